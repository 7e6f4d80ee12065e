// keyward console: the admin pages — Users, Organizations, Audit log. What each
// admin sees and may change is decided by the API (roles, visibility, "a key never
// grants more than itself"); the page only shows the answer.
'use strict';

KW.admin = (function () {
  let orgs = [];
  let editingUser = null;
  let editingOrg = null;
  let passwordUser = null;
  let auditCursor = null;

  const yesNo = (b) => (b ? 'yes' : 'no');

  async function listAll(path) {
    const out = [];
    let cursor = null;
    for (let page = 0; page < 20; page++) {
      const r = await KW.api('GET', path + (path.includes('?') ? '&' : '?') + 'limit=500' +
        (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
      if (r.status !== 200) return { error: KW.problemText(r) };
      out.push(...r.body.items);
      cursor = r.body.next_cursor;
      if (!cursor) break;
    }
    return { items: out };
  }

  async function loadOrgs() {
    const r = await listAll('/v1/orgs');
    orgs = r.items || [];
    return r;
  }

  const orgName = (id) => (orgs.find((o) => o.id === id) || {}).name || id;

  // --- users
  function showUsers() {
    KW.mount('users');
    KW.$('create-user').addEventListener('click', () => openUser(null));
    return loadUsers();
  }

  async function loadUsers() {
    await loadOrgs();
    if (!KW.$('users-table')) return;
    const r = await listAll('/v1/users');
    const tbody = KW.$('users-table').querySelector('tbody');
    tbody.replaceChildren();
    if (r.error) return KW.notice('Could not list users: ' + r.error);
    for (const u of r.items) {
      tbody.append(KW.el('tr', { dataset: { userId: u.id } },
        KW.el('td', {}, KW.el('strong', {}, u.username)),
        KW.el('td', {}, orgName(u.org_id)),
        KW.el('td', {}, u.role),
        KW.el('td', {}, KW.el('code', {}, u.permissions.length ? u.permissions.join(' ') : '(none)')),
        KW.el('td', {}, yesNo(u.enabled)),
        KW.el('td', {}, yesNo(u.api_keys_enabled)),
        KW.el('td', { className: 'actions' },
          KW.button('Edit', () => openUser(u)),
          KW.button('Set password', () => openPassword(u)))));
    }
  }

  function fillOrgSelect(selected) {
    const sel = KW.$('uf-org');
    sel.replaceChildren(...orgs.map((o) => KW.el('option', { value: o.id }, o.name)));
    if (!orgs.length && KW.me) sel.append(KW.el('option', { value: KW.me.org_id }, KW.me.org_id));
    sel.value = selected || (KW.me && KW.me.org_id) || '';
  }

  function openUser(u) {
    editingUser = u || null;
    KW.openDialog('user-dialog');
    KW.$('user-form').addEventListener('submit', submitUser);
    fillOrgSelect(u && u.org_id);
    KW.$('user-dialog-title').textContent = u ? 'Edit user ' + u.username : 'Create user';
    KW.$('uf-submit').textContent = u ? 'Save' : 'Create';
    KW.$('uf-org').disabled = !!u;
    if (u) {
      KW.$('uf-username').value = u.username;
      KW.$('uf-role').value = u.role;
      KW.$('uf-permissions').value = u.permissions.join(', ');
      KW.$('uf-enabled').checked = u.enabled;
      KW.$('uf-api-keys').checked = u.api_keys_enabled;
    }
  }

  async function submitUser(ev) {
    ev.preventDefault();
    const body = {
      username: KW.$('uf-username').value.trim(),
      role: KW.$('uf-role').value,
      enabled: KW.$('uf-enabled').checked,
      api_keys_enabled: KW.$('uf-api-keys').checked,
    };
    const perms = KW.$('uf-permissions').value.trim();
    if (perms || editingUser) body.permissions = KW.splitList(perms);
    if (!editingUser) body.org_id = KW.$('uf-org').value;
    const r = editingUser
      ? await KW.api('PATCH', '/v1/users/' + encodeURIComponent(editingUser.id), body)
      : await KW.api('POST', '/v1/users', body);
    if (r.status !== 200 && r.status !== 201) {
      return KW.showError(KW.$('user-form-error'), KW.problemText(r));
    }
    KW.$('user-dialog').close('done');
    KW.notice((editingUser ? 'Saved ' : 'Created ') + r.body.username + '.');
    await loadUsers();
  }

  function openPassword(u) {
    passwordUser = u;
    KW.openDialog('password-dialog', (d) => { d.querySelector('#pw-new').value = ''; });
    KW.$('password-form').addEventListener('submit', submitPassword);
    KW.$('password-title').textContent = 'Set password for ' + u.username;
  }

  async function submitPassword(ev) {
    ev.preventDefault();
    const input = KW.$('pw-new');
    const r = await KW.api('PUT', '/v1/users/' + encodeURIComponent(passwordUser.id) + '/password',
      { password: input.value });
    input.value = '';
    if (r.status !== 204) return KW.showError(KW.$('password-error'), KW.problemText(r));
    KW.$('password-dialog').close('done');
    KW.notice('Password set for ' + passwordUser.username + '.');
  }

  // --- organizations
  function showOrgs() {
    KW.mount('orgs');
    KW.$('create-org').addEventListener('click', () => openOrg(null));
    return loadOrgsPage();
  }

  async function loadOrgsPage() {
    const r = await loadOrgs();
    if (!KW.$('orgs-table')) return;
    const tbody = KW.$('orgs-table').querySelector('tbody');
    tbody.replaceChildren();
    if (r.error) return KW.notice('Could not list organizations: ' + r.error);
    for (const o of orgs) {
      tbody.append(KW.el('tr', { dataset: { orgId: o.id } },
        KW.el('td', {}, KW.el('strong', {}, o.name)),
        KW.el('td', {}, KW.el('code', {}, o.id)),
        KW.el('td', {}, yesNo(o.enabled)),
        KW.el('td', {}, yesNo(o.api_keys_enabled)),
        KW.el('td', {}, KW.timeCell(o.created_at)),
        KW.el('td', { className: 'actions' }, KW.button('Edit', () => openOrg(o)))));
    }
  }

  function openOrg(o) {
    editingOrg = o || null;
    KW.openDialog('org-dialog');
    KW.$('org-form').addEventListener('submit', submitOrg);
    KW.$('org-dialog-title').textContent = o ? 'Edit organization ' + o.name : 'Create organization';
    KW.$('of-submit').textContent = o ? 'Save' : 'Create';
    if (o) {
      KW.$('of-name').value = o.name;
      KW.$('of-enabled').checked = o.enabled;
      KW.$('of-api-keys').checked = o.api_keys_enabled;
    }
  }

  async function submitOrg(ev) {
    ev.preventDefault();
    const body = {
      name: KW.$('of-name').value.trim(),
      enabled: KW.$('of-enabled').checked,
      api_keys_enabled: KW.$('of-api-keys').checked,
    };
    const r = editingOrg
      ? await KW.api('PATCH', '/v1/orgs/' + encodeURIComponent(editingOrg.id), body)
      : await KW.api('POST', '/v1/orgs', body);
    if (r.status !== 200 && r.status !== 201) {
      return KW.showError(KW.$('org-form-error'), KW.problemText(r));
    }
    KW.$('org-dialog').close('done');
    KW.notice((editingOrg ? 'Saved ' : 'Created ') + r.body.name + '.');
    await loadOrgsPage();
  }

  // --- audit log
  function auditQuery() {
    const p = new URLSearchParams({ limit: '100' });
    const add = (name, id) => { const v = KW.$(id).value.trim(); if (v) p.set(name, v); };
    add('action', 'audit-action');
    add('actor_user_id', 'audit-actor');
    add('target_id', 'audit-target');
    const since = KW.$('audit-since').value;
    const until = KW.$('audit-until').value;
    if (since) p.set('since', since + 'T00:00:00Z');
    if (until) p.set('until', until + 'T23:59:59Z');
    return p;
  }

  function showAudit() {
    KW.mount('audit');
    KW.$('audit-filters').addEventListener('submit', (ev) => { ev.preventDefault(); loadAudit(false); });
    KW.$('audit-more').addEventListener('click', () => loadAudit(true));
    return loadAudit(false);
  }

  async function loadAudit(more) {
    if (!KW.$('audit-table')) return;
    const tbody = KW.$('audit-table').querySelector('tbody');
    const p = auditQuery();
    if (more && auditCursor) p.set('cursor', auditCursor);
    else tbody.replaceChildren();
    const r = await KW.api('GET', '/v1/audit?' + p.toString());
    if (!tbody.isConnected) return;
    if (r.status !== 200) {
      KW.$('audit-more').hidden = true;
      return KW.notice('Could not read the audit log: ' + KW.problemText(r));
    }
    for (const e of r.body.items) {
      const details = Object.entries(e.details || {}).map(([k, v]) => k + '=' +
        (typeof v === 'string' ? v : JSON.stringify(v))).join(' ');
      tbody.append(KW.el('tr', {},
        KW.el('td', {}, KW.timeCell(e.at)),
        KW.el('td', {}, KW.el('code', {}, e.action)),
        KW.el('td', {}, KW.el('code', {}, e.actor_user_id || e.actor_key_id || '—')),
        KW.el('td', {}, (e.target_type || '') + ' ', KW.el('code', {}, e.target_id || '')),
        KW.el('td', {}, KW.el('code', {}, e.ip || '')),
        KW.el('td', {}, e.outcome),
        KW.el('td', {}, KW.el('code', {}, details))));
    }
    auditCursor = r.body.next_cursor;
    KW.$('audit-more').hidden = !auditCursor;
  }

  return { showUsers, showOrgs, showAudit };
})();
