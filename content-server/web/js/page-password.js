/* page-password.js: the page the links of invitations and resets open
 * (password.html#t=SECRET). The secret is in the URL's fragment, which
 * the browser never sends to any server; the page takes it out of the
 * address bar at once (kept for this tab only, so a reload still works),
 * asks the server whose link it is, lets the person choose a password
 * and signs them in with it. */
import { post, ApiError } from './api.js';
import { h, $, clear } from './dom.js';
import { applyI18n, getLang, t } from './i18n.js';
import { langSwitch, homeOf, field, showErrors, clearErrors, errorText, busy } from './app.js';

const KEY = 'infotaulu.link';

function takeToken() {
  const m = /^#t=([0-9a-f]{64})$/.exec(window.location.hash);
  if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
  try {
    if (m) window.sessionStorage.setItem(KEY, m[1]);
    return m ? m[1] : window.sessionStorage.getItem(KEY);
  } catch {
    return m ? m[1] : null;
  }
}

function forget() {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    /* nothing kept */
  }
}

function invalid(content) {
  forget();
  clear(content);
  const title = h('h1', { tabindex: '-1', i18n: 'password.invalid.title' });
  content.append(title, h('p', { i18n: 'password.invalid' }),
    h('p', null, h('a', { class: 'button', href: 'forgot.html', i18n: 'password.invalid.forgot' })));
  title.focus();
}

async function main() {
  document.documentElement.lang = getLang();
  applyI18n(document);
  $('#site-header').append(h('div', { class: 'header-inner' },
    h('a', { class: 'brand', href: 'index.html', text: 'Infotaulu' }), langSwitch()));
  const content = $('#content');
  clear(content);
  const token = takeToken();
  if (!token) {
    invalid(content);
    return;
  }
  content.append(h('p', { role: 'status', i18n: 'password.checking' }));
  let link;
  try {
    link = await post('/password/link', { token });
  } catch (e) {
    if (e instanceof ApiError && e.code === 'link_invalid') {
      invalid(content);
    } else {
      clear(content);
      content.append(h('h1', { i18n: 'error.title' }), h('p', { role: 'alert', text: errorText(e) }));
    }
    return;
  }
  clear(content);
  const kind = link.purpose === 'invite' ? 'invite' : 'reset';
  const title = h('h1', { tabindex: '-1', i18n: `password.title.${kind}` });
  /* For password managers: the account the new password belongs to. */
  const user = h('input', { type: 'email', autocomplete: 'username', value: link.email, readOnly: true, hidden: true });
  const pw = h('input', { type: 'password', autocomplete: 'new-password', required: true });
  const again = h('input', { type: 'password', autocomplete: 'new-password', required: true });
  const submit = h('button', { type: 'submit', class: 'button', i18n: 'password.submit' });
  const form = h('form', { novalidate: true }, user,
    field({ id: 'pw-new', label: 'password.new', hint: 'password.new.hint', control: pw }),
    field({ id: 'pw-again', label: 'password.repeat', control: again }),
    h('div', { class: 'button-row' }, submit));
  content.append(title, h('p', { class: 'lead', i18n: `password.lead.${kind}`, args: { name: link.name, email: link.email } }), form);
  title.focus();

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      const errors = [];
      if ([...pw.value].length < 12) errors.push({ id: 'pw-new', text: t('password.err.short') });
      else if (pw.value !== again.value) errors.push({ id: 'pw-again', text: t('password.err.repeat') });
      if (errors.length) {
        showErrors(form, errors);
        return;
      }
      clearErrors(form);
      try {
        const r = await post('/password/set', { token, password: pw.value });
        forget();
        const me = await post('/login', { email: r.email, password: pw.value });
        window.location.assign(homeOf(me.user));
      } catch (e) {
        if (e instanceof ApiError && e.code === 'link_invalid') {
          invalid(content);
          return;
        }
        showErrors(form, [{ id: e instanceof ApiError && e.field === 'password' ? 'pw-new' : null, text: errorText(e) }]);
      }
    });
  });
}

main();
