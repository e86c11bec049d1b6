/* page-signin.js: sign in (POST /api/v1/login). A signed-in visitor goes
 * straight to their start page. */
import { get, post, ApiError } from './api.js';
import { h, $, clear } from './dom.js';
import { applyI18n, getLang, t } from './i18n.js';
import { langSwitch, homeOf, field, showErrors, clearErrors, errorText, busy } from './app.js';

function safeNext() {
  const next = new URLSearchParams(window.location.search).get('next') || '';
  /* Only our own pages: a name, a query, nothing that leaves the site. */
  return /^[a-z-]+\.html(\?[A-Za-z0-9=&_-]*)?$/.test(next) ? next : null;
}

async function main() {
  document.documentElement.lang = getLang();
  applyI18n(document);
  const head = $('#site-header');
  head.append(h('div', { class: 'header-inner' }, h('span', { class: 'brand', text: 'Infotaulu' }), langSwitch()));

  try {
    const me = await get('/me');
    window.location.replace(safeNext() || homeOf(me.user));
    return;
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) {
      /* shown if signing in fails too */
    }
  }

  const content = $('#content');
  clear(content);
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', spellcheck: 'false', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'button', i18n: 'signin.submit' });
  const form = h('form', { novalidate: true, class: 'signin' },
    field({ id: 'email', label: 'signin.email', control: email }),
    field({ id: 'password', label: 'signin.password', control: password }),
    h('div', { class: 'button-row' }, submit));

  content.append(h('h1', { i18n: 'signin.title' }), h('p', { class: 'lead', i18n: 'signin.lead' }));
  if (new URLSearchParams(window.location.search).get('signedout')) {
    content.append(h('div', { class: 'panel notice', role: 'status' }, h('p', { i18n: 'signin.signedout' })));
  }
  content.append(form, h('p', null, h('a', { href: 'forgot.html', i18n: 'signin.forgot' })),
    h('p', { class: 'muted', i18n: 'signin.help' }));

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      const errors = [];
      if (!email.value.trim()) errors.push({ id: 'email', text: t('signin.email.missing') });
      if (!password.value) errors.push({ id: 'password', text: t('signin.password.missing') });
      if (errors.length) {
        showErrors(form, errors);
        return;
      }
      clearErrors(form);
      try {
        const r = await post('/login', { email: email.value.trim(), password: password.value });
        window.location.assign(safeNext() || homeOf(r.user));
      } catch (e) {
        /* A failed login does not say which of the two was wrong. */
        const id = e instanceof ApiError && e.field === 'email' ? 'email' : 'password';
        showErrors(form, [{ id, text: errorText(e) }]);
        password.value = '';
      }
    });
  });
}

main();
