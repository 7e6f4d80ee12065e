// The web console in a real browser (contract section 8): Debian's chromium driven
// by playwright-core (tools/package-lock.json), against the real keyward binary.
//   node tests/console/console_test.mjs KEYWARD_BINARY SCREENSHOT_DIR
// Signs in, creates a key and reads it from the one-time dialog, downloads and
// copies it, verifies it with a real HTTP call, revokes it in the page and sees it
// refused, checks that the key is gone from the page and its storage, the cookie's
// flags and CSRF, that a member sees only their own keys, and the admin pages;
// saves a screenshot of each page at 1280 and 360 px. A missing tool fails it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { request, startServer } from './server.mjs';
import { adminPages, memberView, signOutChecks } from './console_admin.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [binary, shotsArg] = process.argv.slice(2);
const CHROMIUM = process.env.KEYWARD_CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'correct horse battery';

if (!binary || !shotsArg) {
  console.error('usage: console_test.mjs KEYWARD_BINARY SCREENSHOT_DIR');
  process.exit(2);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`FAIL: ${CHROMIUM} is missing (scripts/install-deps.sh installs chromium)`);
  process.exit(1);
}
let chromium;
try {
  ({ chromium } = createRequire(path.join(root, 'tools/package.json'))('playwright-core'));
} catch (e) {
  console.error('FAIL: playwright-core is missing from tools/node_modules (run scripts/install-deps.sh)');
  process.exit(1);
}
const shots = path.resolve(root, shotsArg);
fs.mkdirSync(shots, { recursive: true });

// Saves `name`-1280.png and `name`-360.png of the page as it is now.
export async function screenshots(page, name, options = {}) {
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: width === 1280 ? 800 : 740 });
    await page.waitForTimeout(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${name} at ${width} px scrolls sideways by ${overflow} px`);
    await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), ...options });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

export async function signIn(page, base, user, password) {
  await page.goto(base + '/console');
  // The contract's names: textboxes "Username" and "Password", button "Sign in".
  await page.getByRole('textbox', { name: 'Username' }).fill(user);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signInPage(page, server) {
  const resp = await page.goto(server.base + '/console');
  assert.equal(new URL(page.url()).pathname, '/console/', 'redirected to /console/');
  const h = resp.headers();
  assert.match(h['content-security-policy'], /default-src 'self'/);
  assert.match(h['content-security-policy'], /frame-ancestors 'none'/);
  assert.equal(h['x-frame-options'], 'DENY');
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  // Keyboard: Tab reaches the fields, and focus is visible.
  let reached = false;
  for (let i = 0; i < 6 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement.id === 'signin-username');
  }
  assert.ok(reached, 'Tab reaches the Username field');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused field shows its focus');
  await screenshots(page, 'signin');
  for (const [user, pw] of [['admin', 'wrong password here'], ['nobody-here', PASSWORD]]) {
    await page.getByLabel('Username').fill(user);
    await page.getByLabel('Password').fill(pw);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal((await alert.textContent()).trim(), 'Invalid username or password', user);
  }
  await screenshots(page, 'signin-error');
}

async function cookieAndCsrf(context, page, server) {
  const cookies = await context.cookies(server.base);
  const c = cookies.find((x) => x.name === '__Host-keyward_session');
  assert.ok(c, 'session cookie set');
  assert.equal(c.httpOnly, true);
  assert.equal(c.secure, true);
  assert.equal(c.sameSite, 'Strict');
  assert.equal(c.path, '/');
  assert.ok(!(await page.evaluate(() => document.cookie)).includes('keyward_session'),
    'page scripts cannot read the cookie');
  // The cookie alone does not make changes: no X-CSRF-Token, 403.
  const r = await page.evaluate(async () => {
    const resp = await fetch('/v1/keys', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'csrf probe' }) });
    return { status: resp.status, body: await resp.json() };
  });
  assert.equal(r.status, 403);
  assert.equal(r.body.code, 'csrf_failed');
}

async function keysPage(page, server) {
  await page.getByRole('heading', { name: 'API Keys' }).waitFor();
  for (const h of ['Name', 'Prefix', 'Scopes', 'Created', 'Last used', 'Expires', 'Status']) {
    assert.equal(await page.getByRole('columnheader', { name: h, exact: true }).count(), 1, h);
  }
  await page.getByRole('button', { name: 'Create API key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create API key' });
  await dialog.getByLabel('Name', { exact: true }).fill('billing export');
  await dialog.getByLabel('Description').fill('Nightly export job');
  await dialog.getByLabel('Scopes').fill('logs:read, billing:read');
  await dialog.getByLabel('Expires').selectOption({ label: '30 days' });
  await dialog.getByLabel('IP allow list').fill('127.0.0.1\n10.0.0.0/8');
  await dialog.getByLabel('IP deny list').fill('10.9.9.9');
  assert.equal(await dialog.getByLabel('Read-only').isChecked(), false);
  await screenshots(page, 'create-key');
  // The page behind the modal dialog is hidden: "Create" is the dialog's button.
  assert.equal(await page.getByRole('button', { name: 'Create' }).count(), 1);
  await page.getByRole('button', { name: 'Create' }).click();

  const secret = page.getByRole('dialog', { name: 'Your new API key' });
  const box = secret.getByRole('textbox', { name: 'API key' });
  await box.waitFor();
  assert.equal(await box.isEditable(), false, 'the key textbox is read-only');
  const key = await box.inputValue();
  assert.match(key, /^kw_[0-9A-Za-z]{49}$/);
  assert.ok(await secret.getByText('You will not be able to see this key again').isVisible());
  await screenshots(page, 'new-key', { mask: [box], maskColor: '#d0d7de' });
  const [download] = await Promise.all([page.waitForEvent('download'),
    secret.getByRole('button', { name: 'Download' }).click()]);
  const file = await download.path();
  assert.equal(fs.readFileSync(file, 'utf8'), key + '\n', 'the download holds the key and a newline');
  await secret.getByRole('button', { name: 'Copy' }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key, 'Copy puts the key on the clipboard');
  // A real call with the key.
  let v = await request(server.base, 'POST', '/v1/verify', { body: { key, scopes: ['logs:read'] } });
  assert.equal(v.body.valid, true, JSON.stringify(v.body));
  await secret.getByRole('button', { name: 'Done' }).click();
  await secret.waitFor({ state: 'hidden' });
  // Gone from the page, its storage and the URL.
  const leaks = await page.evaluate((k) => ({
    html: document.documentElement.outerHTML.includes(k),
    values: [...document.querySelectorAll('input, textarea')].some((e) => e.value.includes(k)),
    storage: JSON.stringify(localStorage) + JSON.stringify(sessionStorage),
    url: location.href.includes(k),
  }), key);
  assert.deepEqual(leaks, { html: false, values: false, storage: '{}{}', url: false });

  const row = page.getByRole('row', { name: /billing export/ });
  await row.waitFor();
  assert.match(await row.textContent(), /active/);
  // Usage: the verification above, drawn for the last 48 hours.
  // Usage is written in batches (last_used_flush_seconds is 1 here): wait for it.
  const keyId = await row.getAttribute('data-key-id');
  for (let i = 0; ; i++) {
    const u = await request(server.base, 'GET', `/v1/keys/${keyId}/usage`, { key: server.adminKey });
    if (u.body.items.some((h) => h.counts.VALID >= 1)) break;
    assert.ok(i < 100, 'the verification never reached the usage counts');
    await new Promise((r) => setTimeout(r, 100));
  }
  await row.getByRole('button', { name: 'Usage' }).click();
  const usage = page.getByRole('dialog', { name: /Usage of billing export/ });
  await usage.getByRole('img', { name: /1 valid/ }).waitFor();
  await screenshots(page, 'usage');
  await usage.getByRole('button', { name: 'Close' }).click();
  // Edit.
  await row.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit API key' });
  await edit.getByLabel('Name', { exact: true }).fill('billing export v2');
  await edit.getByLabel('Tags').fill('billing');
  await edit.getByRole('button', { name: 'Save' }).click();
  const row2 = page.getByRole('row', { name: /billing export v2/ });
  await row2.waitFor();
  // Filter by tag, sort by last used.
  await page.getByLabel('Tag').fill('billing');
  await page.getByLabel('Tag').press('Enter');
  await page.getByLabel('Tag').blur();
  await page.waitForFunction(() => document.querySelectorAll('#keys-table tbody tr').length === 1);
  assert.match(await page.locator('#keys-table tbody').textContent(), /billing export v2/);
  await page.getByLabel('Tag').fill('');
  await page.getByLabel('Tag').blur();
  await page.waitForFunction(() => document.querySelectorAll('#keys-table tbody tr').length === 2);
  await page.getByLabel('Sort by').selectOption({ label: 'Least recently used first' });
  // Never used first, then the longest unused: the Last used column ascends.
  const lastUsed = await page.evaluate(() => [...document.querySelectorAll('#keys-table tbody tr')]
    .map((r) => { const t = r.cells[4].querySelector('time'); return t ? Date.parse(t.dateTime) : -1; }));
  assert.deepEqual(lastUsed, [...lastUsed].sort((a, b) => a - b), 'sorted by last use');
  await screenshots(page, 'keys');
  // Rotate another key with a grace period: a new key, shown once.
  const other = (await request(server.base, 'POST', '/v1/keys', { key: server.adminKey,
    body: { name: 'deploy bot', scopes: ['deploy:run'] } })).body;
  await page.reload();
  const botRow = page.getByRole('row', { name: /deploy bot/ });
  await botRow.getByRole('button', { name: 'Rotate' }).click();
  const rot = page.getByRole('dialog', { name: 'Rotate API key' });
  await rot.getByLabel('Grace period for the old key').selectOption({ label: '1 hour' });
  await rot.getByRole('button', { name: 'Rotate key' }).click();
  const rotated = await secret.getByRole('textbox', { name: 'API key' }).inputValue();
  assert.match(rotated, /^kw_/);
  // Closed with Escape this time: the key is gone all the same.
  await page.keyboard.press('Escape');
  await secret.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate((k) => document.documentElement.outerHTML.includes(k) ||
    [...document.querySelectorAll('input, textarea')].some((e) => e.value.includes(k)), rotated), false);
  v = await request(server.base, 'POST', '/v1/verify', { body: { key: rotated } });
  assert.equal(v.body.valid, true);
  const old = await request(server.base, 'GET', '/v1/keys/' + other.id, { key: server.adminKey });
  assert.ok(old.body.rotated_to, 'the old key points at its successor');
  // Revoke the first key in the page; a real call then sees it refused.
  const toRevoke = page.getByRole('row', { name: /billing export v2/ });
  await toRevoke.getByRole('button', { name: 'Revoke' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke API key' });
  await screenshots(page, 'revoke');
  await confirm.getByRole('button', { name: 'Revoke key' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('#keys-table tbody tr')]
    .some((r) => r.textContent.includes('billing export v2') && r.textContent.includes('revoked')));
  v = await request(server.base, 'POST', '/v1/verify', { body: { key } });
  assert.equal(v.body.valid, false);
  assert.equal(v.body.code, 'REVOKED');
}

async function main() {
  const server = await startServer(binary, { last_used_flush_seconds: 1 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
  let failed = false;
  try {
    server.setPassword('admin', PASSWORD);
    const context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true,
      viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
    const page = await context.newPage();
    const external = [];
    page.on('request', (r) => { if (!r.url().startsWith(server.base) && !r.url().startsWith('blob:')) external.push(r.url()); });
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error' && !/status of 40[13]/.test(m.text())) errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => { if (r.status() === 404) errors.push('404 ' + r.url()); });
    const steps = [
      ['sign-in page, wrong and unknown credentials', () => signInPage(page, server)],
      ['sign in', async () => { await signIn(page, server.base, 'admin', PASSWORD); await page.getByRole('heading', { name: 'API Keys' }).waitFor(); }],
      ['cookie flags and CSRF', () => cookieAndCsrf(context, page, server)],
      ['API Keys: create, download, copy, verify, edit, rotate, revoke', () => keysPage(page, server)],
      ['admin pages', () => adminPages(page, server, screenshots)],
      ['sign out', () => signOutChecks(context, page, server)],
      ['a member sees only their own keys', () => memberView(browser, server, PASSWORD, screenshots, signIn)],
      ['no external request, no script error', async () => {
        assert.deepEqual(external, []);
        assert.deepEqual(errors, []);
      }],
    ];
    for (const [name, fn] of steps) {
      try {
        await fn();
        console.log('ok   ' + name);
      } catch (e) {
        failed = true;
        console.log('FAIL ' + name + '\n' + (e && e.stack ? e.stack : e));
        await page.screenshot({ path: path.join(os.tmpdir(), 'keyward-console-failure.png') }).catch(() => {});
        break;
      }
    }
    await context.close();
  } finally {
    await browser.close();
    if (failed) console.log(server.log().split('\n').slice(-30).join('\n'));
    await server.stop();
  }
  if (failed) process.exit(1);
  console.log('console browser test passed; screenshots in ' + shots);
}

main().catch((e) => { console.error(e); process.exit(1); });
