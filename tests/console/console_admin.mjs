// The browser test's admin pages, sign-out and member view (console_test.mjs).
import assert from 'node:assert/strict';

import { request } from './server.mjs';

export async function adminPages(page, server, screenshots) {
  const nav = page.getByRole('navigation');
  for (const name of ['API Keys', 'Users', 'Organizations', 'Audit log']) {
    assert.ok(await nav.getByRole('link', { name, exact: true }).isVisible(), name);
  }
  // Users: create one in the dialog, then set their password.
  await nav.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users' }).waitFor();
  await page.getByRole('button', { name: 'Create user' }).click();
  const dlg = page.getByRole('dialog', { name: 'Create user' });
  await dlg.getByLabel('Username').fill('bob');
  await dlg.getByLabel('Role').selectOption('member');
  await dlg.getByLabel('Permissions').fill('keys:read, keys:write');
  await dlg.getByRole('button', { name: 'Create', exact: true }).click();
  const bob = page.getByRole('row', { name: /bob/ });
  await bob.waitFor();
  await bob.getByRole('button', { name: 'Set password' }).click();
  const pw = page.getByRole('dialog', { name: /Set password for bob/ });
  await pw.getByLabel('New password').fill('bob has a long password');
  await pw.getByRole('button', { name: 'Set password' }).click();
  await page.getByText('Password set for bob.').waitFor();
  // Turn bob's API keys off in the Edit dialog.
  await bob.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: /Edit user bob/ });
  await edit.getByLabel('API keys enabled').uncheck();
  await edit.getByRole('button', { name: 'Save' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('#users-table tbody tr')]
    .some((r) => r.cells[0].textContent === 'bob' && r.cells[5].textContent === 'no'));
  await screenshots(page, 'users');
  // Organizations.
  await nav.getByRole('link', { name: 'Organizations' }).click();
  await page.getByRole('heading', { name: 'Organizations' }).waitFor();
  await page.getByRole('button', { name: 'Create organization' }).click();
  const org = page.getByRole('dialog', { name: 'Create organization' });
  await org.getByLabel('Organization name').fill('acme');
  await org.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByRole('row', { name: /acme/ }).waitFor();
  await screenshots(page, 'organizations');
  // Audit log, filtered to the revocation made on the keys page.
  await nav.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  await page.getByLabel('Action').fill('key.revoke');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('#audit-table tbody tr')];
    return rows.length > 0 && rows.every((r) => r.textContent.includes('key.revoke'));
  });
  assert.match(await page.locator('#audit-table tbody').textContent(), /via=console/);
  await page.getByLabel('Action').fill('');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('#audit-table tbody tr')]
    .some((r) => !r.textContent.includes('key.revoke')));
  await screenshots(page, 'audit');
  await nav.getByRole('link', { name: 'API Keys' }).click();
  await page.getByRole('heading', { name: 'API Keys' }).waitFor();
}

export async function signOutChecks(context, page, server) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  const cookies = await context.cookies(server.base);
  assert.ok(!cookies.some((c) => c.name === '__Host-keyward_session'), 'the cookie is gone');
  const r = await page.evaluate(async () => (await fetch('/v1/keys')).status);
  assert.equal(r, 401);
}

export async function memberView(browser, server, password, screenshots, signIn) {
  const users = await request(server.base, 'POST', '/v1/users', { key: server.adminKey,
    body: { username: 'mia', role: 'member', permissions: ['keys:read', 'keys:write', 'logs:read'] } });
  assert.equal(users.status, 201, users.text);
  const mia = users.body.id;
  server.setPassword('mia', password);
  for (const [name, owner] of [['mia laptop', mia], ['mia ci', mia], ['not for mia', undefined]]) {
    const body = { name, scopes: ['logs:read'] };
    if (owner) body.owner_user_id = owner;
    const r = await request(server.base, 'POST', '/v1/keys', { key: server.adminKey, body });
    assert.equal(r.status, 201, r.text);
  }
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, server.base, 'mia', password);
  await page.getByRole('heading', { name: 'API Keys' }).waitFor();
  await page.getByRole('row', { name: /mia laptop/ }).waitFor();
  const names = await page.locator('#keys-table tbody tr td:first-child strong').allTextContents();
  assert.deepEqual(names.sort(), ['mia ci', 'mia laptop']);
  // No admin pages for a member.
  assert.equal(await page.getByRole('navigation').getByRole('link', { name: 'Users' }).isVisible(), false);
  await screenshots(page, 'member-keys');
  await context.close();
}
