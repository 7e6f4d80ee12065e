// keyward console: sign-in, sign-out and page switching (#keys, #users, #orgs,
// #audit). The session lives in an HttpOnly cookie the page cannot read; the
// CSRF token it needs for changes is kept in memory only.
'use strict';

(function () {
  const PAGES = ['keys', 'users', 'orgs', 'audit'];
  const ADMIN_PAGES = ['users', 'orgs', 'audit'];

  const isAdmin = () => KW.me && KW.me.role !== 'member';

  function signedOutView() {
    KW.csrf = null;
    KW.me = null;
    KW.keys.reset();
    for (const d of document.querySelectorAll('dialog')) d.close();
    KW.$('chrome').replaceChildren();
    KW.notice('');
    KW.mount('signin');
    document.title = 'Sign in · keyward';
    KW.$('signin-form').addEventListener('submit', signIn);
    KW.$('signin-username').focus();
  }

  KW.onSignedOut = function () {
    if (KW.me) {
      signedOutView();
      KW.notice('Your session has ended. Sign in again.');
    }
  };

  function signedInView(session) {
    KW.csrf = session.csrf_token;
    KW.me = session.user;
    KW.$('chrome').replaceChildren(KW.$('tpl-bar').content.cloneNode(true));
    KW.$('sign-out').addEventListener('click', signOut);
    KW.$('whoami').textContent = session.user.username + ' (' + session.user.role + ')';
    if (!isAdmin()) for (const li of document.querySelectorAll('.admin-only')) li.remove();
    route();
  }

  async function route() {
    if (!KW.me) return;
    let page = (location.hash || '#keys').slice(1);
    if (!PAGES.includes(page) || (ADMIN_PAGES.includes(page) && !isAdmin())) page = 'keys';
    for (const a of document.querySelectorAll('nav a')) {
      if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    KW.notice('');
    const show = { keys: KW.keys.show, users: KW.admin.showUsers, orgs: KW.admin.showOrgs,
      audit: KW.admin.showAudit }[page];
    const loading = show();
    document.title = KW.$(page + '-title').textContent + ' · keyward';
    await loading;
  }

  async function signIn(ev) {
    ev.preventDefault();
    const err = KW.$('signin-error');
    KW.showError(err, '');
    const username = KW.$('signin-username').value;
    const pw = KW.$('signin-password');
    const r = await KW.api('POST', '/console/session', { username, password: pw.value });
    pw.value = '';
    if (r.status === 201) return signedInView(r.body);
    if (r.status === 429) return KW.showError(err, 'Too many failed sign-ins. Try again in a minute.');
    KW.showError(err, r.status === 401 ? 'Invalid username or password' : KW.problemText(r));
    pw.focus();
  }

  async function signOut() {
    await KW.api('DELETE', '/console/session');
    signedOutView();
    history.replaceState(null, '', '/console/');
  }

  async function start() {
    window.addEventListener('hashchange', route);
    const r = await KW.api('GET', '/console/session');
    if (r.status === 200) signedInView(r.body);
    else signedOutView();
  }

  document.addEventListener('DOMContentLoaded', start);
})();
