// keyward console: the API Keys page — table, filters, create, edit, rotate,
// revoke, usage chart, and the one-time key dialog.
'use strict';

KW.keys = (function () {
  let items = [];
  let editing = null; // the key object being edited, or null when creating
  let target = null;  // the key the revoke/rotate dialog is about

  const STALE_DAYS = 30;

  async function load() {
    if (!KW.$('keys-table')) return;  // another page is showing
    const params = new URLSearchParams({ limit: '500' });
    const status = KW.$('filter-status').value;
    const tag = KW.$('filter-tag').value.trim();
    if (status) params.set('status', status);
    if (tag) params.set('tag', tag);
    const all = [];
    for (let page = 0; page < 20; page++) {
      const r = await KW.api('GET', '/v1/keys?' + params.toString());
      if (r.status !== 200) {
        KW.notice('Could not list keys: ' + KW.problemText(r));
        break;
      }
      all.push(...r.body.items);
      if (!r.body.next_cursor) break;
      params.set('cursor', r.body.next_cursor);
    }
    items = all;
    render();
  }

  function sorted() {
    const list = items.slice();
    if (KW.$('sort-keys').value === 'last_used') {
      // Never used first, then the longest unused: stale keys stand out at the top.
      const t = (k) => (k.last_used_at ? Date.parse(k.last_used_at) : -Infinity);
      list.sort((a, b) => t(a) - t(b));
    } else {
      list.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
    }
    return list;
  }

  function lastUsedCell(k) {
    const td = KW.el('td');
    const cutoff = Date.now() - STALE_DAYS * 86400 * 1000;
    if (!k.last_used_at) {
      td.append(KW.el('span', { className: 'muted' }, 'Never'));
    } else {
      td.append(KW.timeCell(k.last_used_at));
      if (k.last_used_ip) td.append(KW.el('div', { className: 'mono muted' }, 'from ' + k.last_used_ip));
      if (Date.parse(k.last_used_at) < cutoff) td.append(KW.el('div', { className: 'stale' }, 'stale'));
    }
    return td;
  }

  function render() {
    if (!KW.$('keys-table')) return;
    const tbody = KW.$('keys-table').querySelector('tbody');
    tbody.replaceChildren();
    const list = sorted();
    KW.$('keys-empty').hidden = list.length > 0;
    for (const k of list) {
      const done = k.status === 'revoked';
      const frozen = done || k.status === 'expired' || !!k.rotated_to;
      const scopes = k.scopes.length ? k.scopes.join(' ') : '(none)';
      const row = KW.el('tr', { dataset: { keyId: k.id } },
        KW.el('td', {}, KW.el('strong', {}, k.name),
          k.description ? KW.el('div', { className: 'muted' }, k.description) : null,
          k.tags && k.tags.length ? KW.el('div', { className: 'muted' }, 'tags: ' + k.tags.join(', ')) : null),
        KW.el('td', {}, KW.el('code', {}, k.prefix)),
        KW.el('td', {}, KW.el('code', {}, scopes), k.read_only ? KW.el('div', { className: 'muted' }, 'read-only') : null),
        KW.el('td', {}, KW.timeCell(k.created_at)),
        lastUsedCell(k),
        KW.el('td', {}, KW.timeCell(k.expires_at, 'Never')),
        KW.el('td', {}, KW.el('span', { className: 'status status-' + k.status }, k.status)),
        KW.el('td', { className: 'actions' },
          KW.button('Edit', () => openEdit(k), { disabled: done }),
          KW.button('Rotate', () => openRotate(k), { disabled: frozen }),
          KW.button('Revoke', () => openRevoke(k), { disabled: done }),
          KW.button('Usage', () => openUsage(k))));
      tbody.append(row);
    }
  }

  function setMode(create) {
    const dlg = KW.$('key-dialog');
    for (const n of dlg.querySelectorAll('.create-only')) n.hidden = !create;
    for (const n of dlg.querySelectorAll('.edit-only')) n.hidden = create;
    KW.$('key-dialog-title').textContent = create ? 'Create API key' : 'Edit API key';
    KW.$('kf-submit').textContent = create ? 'Create' : 'Save';
  }

  function openKeyDialog(create) {
    KW.openDialog('key-dialog');
    KW.$('key-form').addEventListener('submit', submit);
    KW.$('kf-expires').addEventListener('change', toggleDate);
    setMode(create);
  }

  function openCreate() {
    editing = null;
    openKeyDialog(true);
    toggleDate();
  }

  function openEdit(k) {
    editing = k;
    openKeyDialog(false);
    KW.$('kf-name').value = k.name;
    KW.$('kf-description').value = k.description || '';
    KW.$('kf-scopes').value = k.scopes.join(', ');
    KW.$('kf-ip-allow').value = (k.ip_allow || []).join('\n');
    KW.$('kf-ip-deny').value = (k.ip_deny || []).join('\n');
    KW.$('kf-tags').value = (k.tags || []).join(', ');
    KW.$('kf-read-only').checked = !!k.read_only;
    KW.$('kf-enabled').checked = !!k.enabled;
  }

  function toggleDate() {
    const onDate = KW.$('kf-expires').value === 'date';
    for (const n of document.querySelectorAll('.date-only')) n.hidden = !onDate;
  }

  function formBody() {
    const body = {
      name: KW.$('kf-name').value.trim(),
      description: KW.$('kf-description').value.trim(),
      scopes: KW.splitList(KW.$('kf-scopes').value),
      ip_allow: KW.splitList(KW.$('kf-ip-allow').value),
      ip_deny: KW.splitList(KW.$('kf-ip-deny').value),
      tags: KW.splitList(KW.$('kf-tags').value),
      read_only: KW.$('kf-read-only').checked,
    };
    if (editing) {
      body.enabled = KW.$('kf-enabled').checked;
      return body;
    }
    const exp = KW.$('kf-expires').value;
    if (exp === 'date') {
      const d = KW.$('kf-expires-date').value;
      if (!d) return { error: 'Choose an expiry date.' };
      body.expires_at = d + 'T23:59:59Z';
    } else if (exp !== 'never') {
      body.expires_in = exp + 'd';
    }
    return body;
  }

  async function submit(ev) {
    ev.preventDefault();
    const body = formBody();
    if (body.error) return KW.showError(KW.$('key-form-error'), body.error);
    if (!body.name) return KW.showError(KW.$('key-form-error'), 'Name is required.');
    const r = editing
      ? await KW.api('PATCH', '/v1/keys/' + encodeURIComponent(editing.id), body)
      : await KW.api('POST', '/v1/keys', body);
    if (r.status !== 200 && r.status !== 201) {
      return KW.showError(KW.$('key-form-error'), KW.problemText(r));
    }
    KW.$('key-dialog').close('done');
    if (editing) {
      KW.notice('Saved ' + r.body.name + '.');
      editing = null;
      return load();
    }
    showSecret(r.body);
  }

  // --- the one-time key dialog. The key lives only in the textbox's value (not
  // an attribute) and in `secret` while the dialog is open; closing it clears
  // both, and nothing ever writes it to storage or the URL.
  let secret = null;
  let secretName = '';

  function showSecret(created) {
    secret = created.key;
    secretName = created.prefix;
    created.key = undefined;
    const dialog = KW.openDialog('secret-dialog', clearSecret);
    KW.$('secret-copy').addEventListener('click', copySecret);
    KW.$('secret-download').addEventListener('click', downloadSecret);
    // close() hides the dialog at once but its "close" event comes a task later:
    // wipe first, so no moment exists where the dialog is gone and the key is not.
    KW.$('secret-done').addEventListener('click', () => { wipeSecret(dialog); dialog.close('done'); });
    dialog.addEventListener('cancel', () => wipeSecret(dialog));  // Escape
    KW.$('secret-key').value = secret;
    KW.$('secret-key').focus();
    KW.$('secret-key').select();
  }

  // Runs as the dialog closes (Done, Escape): the key leaves the textbox and the
  // last reference to it is dropped, before the dialog leaves the document.
  function wipeSecret(dialog) {
    secret = null;
    dialog.querySelector('#secret-key').value = '';
  }

  function clearSecret(dialog) {
    wipeSecret(dialog);
    load();
  }

  async function copySecret() {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
    } catch (e) {
      KW.$('secret-key').select();
      document.execCommand('copy');
    }
    KW.$('secret-status').textContent = 'Copied to the clipboard.';
  }

  function downloadSecret() {
    if (!secret) return;
    const url = URL.createObjectURL(new Blob([secret + '\n'], { type: 'text/plain' }));
    const a = KW.el('a', { href: url, download: secretName + '.key' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    KW.$('secret-status').textContent = 'Downloaded ' + secretName + '.key.';
  }

  // --- revoke and rotate
  function openRevoke(k) {
    target = k;
    KW.openDialog('revoke-dialog');
    KW.$('revoke-confirm').addEventListener('click', confirmRevoke);
    KW.$('revoke-text').textContent = 'Revoke "' + k.name + '" (' + k.prefix +
      ')? Anything using it is refused from the next request on. This cannot be undone.';
  }

  async function confirmRevoke() {
    const k = target;
    const r = await KW.api('DELETE', '/v1/keys/' + encodeURIComponent(k.id));
    KW.$('revoke-dialog').close('done');
    if (r.status !== 204) return KW.notice('Could not revoke: ' + KW.problemText(r));
    KW.notice('Revoked ' + k.name + '.');
    await load();
  }

  function openRotate(k) {
    target = k;
    KW.openDialog('rotate-dialog');
    KW.$('rotate-form').addEventListener('submit', confirmRotate);
    KW.$('rotate-text').textContent = 'Rotate "' + k.name + '" (' + k.prefix +
      '): a new key with the same settings replaces it.';
  }

  async function confirmRotate(ev) {
    ev.preventDefault();
    const grace = Number(KW.$('rotate-grace').value);
    const r = await KW.api('POST', '/v1/keys/' + encodeURIComponent(target.id) + '/rotate',
      { grace_seconds: grace });
    if (r.status !== 201) return KW.showError(KW.$('rotate-error'), KW.problemText(r));
    KW.$('rotate-dialog').close('done');
    showSecret(r.body);
  }

  // --- usage: verifications per hour over the last 48 hours, as an SVG bar chart
  async function openUsage(k) {
    const dialog = KW.openDialog('usage-dialog');
    KW.$('usage-title').textContent = 'Usage of ' + k.name + ' (last 48 hours)';
    KW.$('usage-summary').textContent = 'Loading…';
    const r = await KW.api('GET', '/v1/keys/' + encodeURIComponent(k.id) + '/usage');
    if (!dialog.isConnected) return;
    if (r.status !== 200) {
      KW.$('usage-summary').textContent = KW.problemText(r);
      return;
    }
    drawUsage(r.body.items);
  }

  function drawUsage(rows) {
    const HOURS = 48;
    const now = Math.floor(Date.now() / 3600000) * 3600000;
    const valid = new Array(HOURS).fill(0);
    const denied = new Array(HOURS).fill(0);
    for (const row of rows) {
      const i = HOURS - 1 - Math.round((now - Date.parse(row.hour)) / 3600000);
      if (i < 0 || i >= HOURS) continue;
      for (const [code, n] of Object.entries(row.counts)) {
        if (code === 'VALID') valid[i] += n; else denied[i] += n;
      }
    }
    const max = Math.max(1, ...valid.map((v, i) => v + denied[i]));
    const W = 480, H = 160, top = 10, bottom = 20, bw = W / HOURS;
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    const totalValid = valid.reduce((a, b) => a + b, 0);
    const totalDenied = denied.reduce((a, b) => a + b, 0);
    const label = 'Verifications per hour over the last 48 hours: ' + totalValid +
      ' valid, ' + totalDenied + ' refused';
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
    const title = document.createElementNS(ns, 'title');
    title.textContent = label;
    svg.append(title);
    const scale = (n) => (n / max) * (H - top - bottom);
    const rect = (x, y, h, cls) => {
      const r = document.createElementNS(ns, 'rect');
      r.setAttribute('x', x.toFixed(1));
      r.setAttribute('y', y.toFixed(1));
      r.setAttribute('width', (bw - 1).toFixed(1));
      r.setAttribute('height', h.toFixed(1));
      r.setAttribute('class', cls);
      svg.append(r);
    };
    for (let i = 0; i < HOURS; i++) {
      const base = H - bottom;
      const hv = scale(valid[i]), hd = scale(denied[i]);
      if (hv > 0) rect(i * bw, base - hv, hv, 'bar-valid');
      if (hd > 0) rect(i * bw, base - hv - hd, hd, 'bar-denied');
    }
    const axis = document.createElementNS(ns, 'line');
    for (const [k, v] of [['x1', 0], ['x2', W], ['y1', H - bottom], ['y2', H - bottom]]) axis.setAttribute(k, v);
    axis.setAttribute('class', 'axis');
    svg.append(axis);
    for (const [x, text, anchor] of [[0, '48 h ago', 'start'], [W / 2, '24 h ago', 'middle'], [W, 'now', 'end']]) {
      const t = document.createElementNS(ns, 'text');
      t.setAttribute('x', x);
      t.setAttribute('y', H - 5);
      t.setAttribute('text-anchor', anchor);
      t.textContent = text;
      svg.append(t);
    }
    KW.$('usage-chart').replaceChildren(svg);
    KW.$('usage-summary').textContent = totalValid + ' valid and ' + totalDenied +
      ' refused verifications (blue: valid, red: refused; peak ' + max + ' per hour).';
  }

  // Shows the page and loads the keys.
  function show() {
    KW.mount('keys');
    KW.$('create-key').addEventListener('click', openCreate);
    KW.$('filter-status').addEventListener('change', load);
    KW.$('filter-tag').addEventListener('change', load);
    KW.$('sort-keys').addEventListener('change', render);
    return load();
  }

  return { show, reset: () => { items = []; } };
})();
