// keyward console: shared helpers. No framework; everything the page shows is
// built with DOM calls and textContent, never parsed as markup, so no value from the
// server can turn into markup or script.
'use strict';

const KW = {
  csrf: null, // the session's CSRF token, kept in memory only
  me: null,   // the signed-in user
};

// Calls the keyward API with the session cookie; changes carry X-CSRF-Token.
// Resolves to {status, body}; body is parsed JSON or null.
KW.api = async function (method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && KW.csrf) headers['X-CSRF-Token'] = KW.csrf;
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const resp = await fetch(path, init);
  let data = null;
  const type = resp.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try { data = await resp.json(); } catch (e) { data = null; }
  }
  if (resp.status === 401 && path.startsWith('/v1/') && KW.onSignedOut) KW.onSignedOut();
  return { status: resp.status, body: data };
};

// A readable message from a problem+json body.
KW.problemText = function (r) {
  const b = r.body || {};
  let text = b.detail || b.title || ('Request failed (' + r.status + ')');
  if (Array.isArray(b.errors) && b.errors.length) {
    text += ': ' + b.errors.map((e) => e.field + ' ' + e.message).join('; ');
  }
  return text;
};

// el('td', {className: 'x'}, 'text', childNode, ...)
KW.el = function (tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('aria-') || k === 'role' || k === 'for') node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
};

KW.$ = (id) => document.getElementById(id);

KW.fmtTime = function (iso) {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC').replace(/:\d\dZ$/, ' UTC');
};

KW.timeCell = function (iso, empty) {
  const text = KW.fmtTime(iso);
  if (!text) return KW.el('span', { className: 'muted' }, empty || '—');
  return KW.el('time', { dateTime: iso, title: iso }, text);
};

// "a, b c\nd" -> ["a", "b", "c", "d"]
KW.splitList = function (text) {
  return String(text || '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
};

KW.showError = function (node, text) {
  if (!text) {
    node.hidden = true;
    node.textContent = '';
    return;
  }
  // Text only, no aria-label: an alert's label would also be found as the label
  // of a field ("Invalid username or password" contains "username").
  node.textContent = text;
  node.hidden = false;
};

KW.notice = function (text) {
  KW.$('notice').textContent = text || '';
};

// Pages and dialogs live in <template>s and enter the document only while shown,
// so hidden controls never share a label with visible ones (tests and assistive
// technology find exactly one "Name", one "Password", ...).

// Shows the page template `tpl-<name>` in place of the current page.
KW.mount = function (name) {
  const node = KW.$('tpl-' + name).content.cloneNode(true);
  KW.$('page').replaceChildren(node);
  return KW.$('page').firstElementChild;
};

// While a dialog is open, the page behind it is inert and hidden from assistive
// technology (showModal() makes it inert; aria-hidden says so to every reader), so
// "Create" means the dialog's button, not "Create API key" behind it.
KW.setBackground = function (covered) {
  for (const id of ['chrome', 'main']) {
    const node = KW.$(id);
    node.inert = covered;
    if (covered) node.setAttribute('aria-hidden', 'true');
    else node.removeAttribute('aria-hidden');
  }
};

// Opens dialog template `tpl-<name>` modally and returns the <dialog>. Its Cancel
// buttons close it; once closed it leaves the document (onClose runs first), and
// the browser returns focus to the control that opened it.
KW.openDialog = function (name, onClose) {
  const dialog = KW.$('tpl-' + name).content.firstElementChild.cloneNode(true);
  document.body.append(dialog);
  for (const b of dialog.querySelectorAll('button.cancel')) {
    b.addEventListener('click', () => dialog.close('cancel'));
  }
  dialog.addEventListener('close', () => {
    if (onClose) onClose(dialog);
    dialog.remove();
    if (!document.querySelector('dialog[open]')) KW.setBackground(false);
  });
  KW.setBackground(true);
  dialog.showModal();
  const first = dialog.querySelector('input:not([type=hidden]):not([readonly]), select, textarea, button');
  if (first) first.focus();
  return dialog;
};

KW.button = function (label, onClick, props) {
  const b = KW.el('button', Object.assign({ type: 'button' }, props || {}), label);
  b.addEventListener('click', onClick);
  return b;
};
