/* page-forgot.js: "forgot my password" (POST /api/v1/password/forgot).
 * The answer is the same whether or not the address has an account, and
 * so is what the page says: a link was sent if there is an account. */
import { post, ApiError } from './api.js';
import { h, $, clear } from './dom.js';
import { applyI18n, getLang, t } from './i18n.js';
import { langSwitch, field, showErrors, clearErrors, errorText, busy } from './app.js';

function main() {
  document.documentElement.lang = getLang();
  applyI18n(document);
  $('#site-header').append(h('div', { class: 'header-inner' },
    h('a', { class: 'brand', href: 'index.html', text: 'Infotaulu' }), langSwitch()));
  const content = $('#content');
  clear(content);
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', spellcheck: 'false', required: true });
  const submit = h('button', { type: 'submit', class: 'button', i18n: 'forgot.submit' });
  const form = h('form', { novalidate: true },
    field({ id: 'email', label: 'forgot.email', control: email }),
    h('div', { class: 'button-row' }, submit));
  const result = h('div');
  content.append(h('h1', { i18n: 'forgot.title' }), h('p', { class: 'lead', i18n: 'forgot.lead' }), form, result,
    h('p', null, h('a', { href: 'index.html', i18n: 'forgot.back' })));

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      const value = email.value.trim();
      if (!/^[^\s@]+@[^\s@]+$/.test(value)) {
        showErrors(form, [{ id: 'email', text: t('forgot.err.email') }]);
        return;
      }
      clearErrors(form);
      try {
        await post('/password/forgot', { email: value });
        clear(result);
        const done = h('div', { class: 'panel notice', role: 'status', tabindex: '-1' },
          h('p', { i18n: 'forgot.sent', args: { email: value } }));
        result.append(done);
        form.hidden = true;
        done.focus();
      } catch (e) {
        const id = e instanceof ApiError && e.field === 'email' ? 'email' : null;
        showErrors(form, [{ id, text: errorText(e) }]);
      }
    });
  });
}

main();
