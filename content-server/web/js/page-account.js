/* page-account.js: "Oma tili", for everyone signed in: the language of
 * the e-mail the server sends you, whether it sends notifications, and
 * changing your password (with the current one; your other sessions
 * end). */
import { post, put } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { boot, announce, field, showErrors, clearErrors, busy, apiErrors } from './app.js';

function settingsForm(me) {
  const langs = h('fieldset', { 'aria-describedby': 'acc-lang-hint' }, h('legend', { i18n: 'account.lang' }),
    h('span', { class: 'hint', id: 'acc-lang-hint', i18n: 'account.lang.hint' }),
    ...['fi', 'sv', 'en'].map((l) => h('div', { class: 'radio' },
      h('input', { type: 'radio', name: 'acc-lang', id: `acc-lang-${l}`, value: l, checked: (me.lang || 'fi') === l }),
      h('label', { for: `acc-lang-${l}`, i18n: `account.lang.${l}` }))));
  const notify = h('input', { type: 'checkbox', id: 'acc-notify', checked: me.notify !== false, 'aria-describedby': 'acc-notify-hint' });
  const save = h('button', { type: 'submit', class: 'button', i18n: 'account.save' });
  const status = h('p', { role: 'status' });
  const f = h('form', { novalidate: true, 'aria-labelledby': 'acc-messages' }, langs,
    h('div', { class: 'check' }, notify, h('label', { for: 'acc-notify', i18n: 'account.notify' })),
    h('span', { class: 'hint', id: 'acc-notify-hint', i18n: 'account.notify.hint' }),
    h('div', { class: 'button-row' }, save), status);
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(save, async () => {
      clearErrors(f);
      status.textContent = '';
      const lang = f.querySelector('input[name="acc-lang"]:checked').value;
      try {
        await put('/me', { lang, notify: notify.checked });
        status.textContent = t('account.saved');
      } catch (e) {
        showErrors(f, apiErrors(e, () => null));
      }
    });
  });
  return f;
}

function passwordForm() {
  const current = h('input', { type: 'password', autocomplete: 'current-password' });
  const fresh = h('input', { type: 'password', autocomplete: 'new-password' });
  const again = h('input', { type: 'password', autocomplete: 'new-password' });
  const submit = h('button', { type: 'submit', class: 'button', i18n: 'account.password.submit' });
  const status = h('div');
  const f = h('form', { novalidate: true, 'aria-labelledby': 'acc-password' },
    field({ id: 'acc-current', label: 'account.current', control: current }),
    field({ id: 'acc-new', label: 'password.new', hint: 'password.new.hint', control: fresh }),
    field({ id: 'acc-again', label: 'password.repeat', control: again }),
    h('div', { class: 'button-row' }, submit), status);
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      status.replaceChildren();
      const errors = [];
      if (!current.value) errors.push({ id: 'acc-current', text: t('account.err.current') });
      if ([...fresh.value].length < 12) errors.push({ id: 'acc-new', text: t('password.err.short') });
      else if (fresh.value !== again.value) errors.push({ id: 'acc-again', text: t('password.err.repeat') });
      if (errors.length) {
        showErrors(f, errors);
        return;
      }
      clearErrors(f);
      try {
        await post('/me/password', { current_password: current.value, new_password: fresh.value });
        current.value = '';
        fresh.value = '';
        again.value = '';
        const done = h('div', { class: 'panel notice', role: 'status', tabindex: '-1' }, h('p', { i18n: 'account.changed' }));
        status.append(done);
        done.focus();
        announce(t('account.changed'));
      } catch (e) {
        showErrors(f, apiErrors(e, (x) => ({ current_password: 'acc-current', new_password: 'acc-new' }[x])));
      }
    });
  });
  return f;
}

boot({
  page: 'account',
  render: async (content, me) => {
    content.append(h('h1', { i18n: 'account.title' }), h('p', { i18n: 'account.lead', args: { email: me.email } }),
      h('h2', { id: 'acc-messages', i18n: 'account.messages' }), settingsForm(me),
      h('h2', { id: 'acc-password', i18n: 'account.password' }), passwordForm());
  },
});
