/* page-users.js (coordinator): accounts and their roles; inviting a person
 * creates the account and shows its generated password once, to be passed
 * on by the coordinator (the server sends no e-mail). Disabling an account
 * ends its sessions. */
import { get, post, put } from './api.js';
import { h, clear } from './dom.js';
import { t, onLangChange } from './i18n.js';
import { boot, announce, errorText, field, showErrors, clearErrors, busy, apiErrors } from './app.js';

let users = [];
let centres = [];
let orgs = [];
let me;
let tableEl;

const names = (list, ids) => (ids || []).map((id) => (list.find((x) => x.id === id) || {}).name || `#${id}`).join(', ');

function render() {
  clear(tableEl);
  const tbody = h('tbody');
  for (const u of users) {
    const toggle = h('button', { type: 'button', class: 'linklike' },
      h('span', { i18n: u.disabled ? 'users.enable' : 'users.disable' }), h('span', { class: 'visually-hidden', text: `: ${u.name}` }));
    const err = h('span', { class: 'error-message', role: 'alert' });
    toggle.addEventListener('click', () => busy(toggle, async () => {
      try {
        await put(`/users/${u.id}`, { name: u.name, contact_centres: u.contact_centres, organisations: u.organisations, coordinator: u.coordinator, disabled: !u.disabled });
        announce(t(u.disabled ? 'users.enabled' : 'users.disabled', { name: u.name }));
        users = (await get('/users')).users || [];
        render();
      } catch (e) {
        err.textContent = errorText(e);
      }
    }));
    const roles = [u.coordinator ? t('users.role.coordinator') : null,
      u.contact_centres.length ? `${t('users.role.contact')}: ${names(centres, u.contact_centres)}` : null,
      u.organisations.length ? `${t('users.role.member')}: ${names(orgs, u.organisations)}` : null].filter(Boolean);
    tbody.append(h('tr', null, h('th', { scope: 'row', text: u.name }), h('td', { text: u.email }),
      h('td', { text: roles.join('; ') || '–' }),
      h('td', { i18n: u.disabled ? 'users.state.disabled' : 'users.state.active' }),
      h('td', null, u.id === me.id ? null : toggle, err)));
  }
  tableEl.append(h('div', { class: 'table-wrap' }, h('table', null,
    h('thead', null, h('tr', null, ...['name', 'email', 'roles', 'state', 'actions'].map((k) => h('th', { scope: 'col', i18n: `users.col.${k}` })))), tbody)));
}

function checks(prefix, legend, list) {
  const fs = h('fieldset', null, h('legend', { i18n: legend }));
  if (!list.length) fs.append(h('p', { class: 'muted', i18n: 'users.f.noneYet' }));
  for (const x of list) fs.append(h('div', { class: 'check' }, h('input', { type: 'checkbox', id: `${prefix}-${x.id}`, value: String(x.id) }), h('label', { for: `${prefix}-${x.id}`, text: x.name })));
  return fs;
}

function form(out) {
  const name = h('input', { type: 'text', maxlength: '120', autocomplete: 'off' });
  const email = h('input', { type: 'email', maxlength: '254', autocomplete: 'off', spellcheck: 'false' });
  const cs = checks('u-centre', 'users.f.centres', centres);
  const os = checks('u-org', 'users.f.orgs', orgs);
  const coord = h('input', { type: 'checkbox', id: 'u-coord' });
  const submit = h('button', { type: 'submit', class: 'button', i18n: 'users.create' });
  const f = h('form', { novalidate: true }, field({ id: 'u-name', label: 'users.f.name', control: name }),
    field({ id: 'u-email', label: 'users.f.email', control: email }), os, cs,
    h('div', { class: 'check' }, coord, h('label', { for: 'u-coord', i18n: 'users.f.coordinator' })),
    h('div', { class: 'button-row' }, submit));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      const errs = [];
      if (!name.value.trim()) errs.push({ id: 'u-name', text: t('users.err.name') });
      if (!/^[^\s@]+@[^\s@]+$/.test(email.value.trim())) errs.push({ id: 'u-email', text: t('users.err.email') });
      if (errs.length) {
        showErrors(f, errs);
        return;
      }
      clearErrors(f);
      const b = {
        name: name.value.trim(), email: email.value.trim(), coordinator: coord.checked,
        contact_centres: [...cs.querySelectorAll('input:checked')].map((c) => +c.value),
        organisations: [...os.querySelectorAll('input:checked')].map((c) => +c.value),
      };
      try {
        const r = await post('/users', b);
        clear(out);
        const pw = h('textarea', { class: 'secret', readOnly: true, rows: '1', id: 'u-password', value: r.password || '' });
        const copy = h('button', { type: 'button', class: 'button secondary', i18n: 'copy' });
        copy.addEventListener('click', async () => {
          pw.focus();
          pw.select();
          try {
            await navigator.clipboard.writeText(pw.value);
            announce(t('copied'));
          } catch {
            announce(t('copy.manual'));
          }
        });
        const box = h('div', { class: 'panel notice', tabindex: '-1' }, h('h3', { i18n: 'users.created', args: { name: b.name, email: b.email } }),
          h('p', null, h('strong', { i18n: 'users.once' })), h('label', { for: 'u-password', i18n: 'users.password' }), pw,
          h('div', { class: 'button-row' }, copy));
        out.append(box);
        box.focus();
        f.reset();
        users = (await get('/users')).users || [];
        render();
      } catch (e) {
        showErrors(f, apiErrors(e, (x) => ({ name: 'u-name', email: 'u-email' }[x])));
      }
    });
  });
  return f;
}

boot({
  page: 'users',
  allow: (m, r) => r.coordinator,
  render: async (content, m) => {
    me = m;
    content.append(h('h1', { i18n: 'users.title' }));
    try {
      [users, centres, orgs] = await Promise.all([get('/users').then((r) => r.users || []), get('/centres').then((r) => r.centres || []),
        get('/organisations').then((r) => r.organisations || [])]);
    } catch (e) {
      content.append(h('p', { class: 'error-message', role: 'alert', text: errorText(e) }));
      return;
    }
    const out = h('div');
    tableEl = h('div');
    content.append(h('h2', { i18n: 'users.new' }), h('p', { i18n: 'users.newLead' }), form(out), out, h('h2', { i18n: 'users.list' }), tableEl);
    render();
    onLangChange(render);
  },
});
