/* page-users.js (coordinator): accounts and their roles. Inviting a person
 * creates the account and sends an e-mail with a link through which they
 * choose their own password (no password is ever shown or read out). Per
 * account: whether it has a password yet and how long its link works,
 * sending the invitation again, requiring a new password (ends the
 * account's sessions; with a confirmation), editing the roles
 * (coordinator, contact person of centres, member of organisations),
 * disabling and enabling. */
import { get, post, put } from './api.js';
import { h, clear } from './dom.js';
import { tableBox } from './tables.js';
import { t, onLangChange } from './i18n.js';
import { boot, announce, errorText, field, showErrors, clearErrors, busy, apiErrors } from './app.js';
import { formatDateTime } from './time.js';

let users = [];
let centres = [];
let orgs = [];
let me;
let tableEl;
let panelEl; /* the role editor or a confirmation, under the form */

const names = (list, ids) => (ids || []).map((id) => (list.find((x) => x.id === id) || {}).name || `#${id}`).join(', ');

async function reload() {
  users = (await get('/users')).users || [];
  render();
}

/* What the account's state is, in words. */
function stateCell(u) {
  if (u.disabled) return h('td', { i18n: 'users.state.disabled' });
  if (u.password_set) return h('td', { i18n: 'users.state.active' });
  let link;
  if (u.mail_pending) link = h('span', { i18n: 'users.link.queued' });
  else if (u.link_expires_at && Date.parse(u.link_expires_at) > Date.now()) {
    link = h('span', { i18n: 'users.link.until', args: { date: formatDateTime(u.link_expires_at) } });
  } else link = h('span', { i18n: 'users.link.expired' });
  return h('td', null, h('strong', { i18n: 'users.state.nopassword' }), h('br'), link);
}

/* A button whose accessible name ends with the user's name. */
function action(key, u, fn) {
  const b = h('button', { type: 'button', class: 'linklike' },
    h('span', { i18n: key }), h('span', { class: 'visually-hidden', text: `: ${u.name}` }));
  b.addEventListener('click', () => busy(b, () => fn(b)));
  return b;
}

function openPanel(content, returnTo) {
  clear(panelEl);
  panelEl.append(content);
  panelEl.hidden = false;
  const head = panelEl.querySelector('h2, h3, p');
  if (head) {
    head.setAttribute('tabindex', '-1');
    head.focus();
  }
  panelEl.dataset.return = returnTo ? returnTo.id : '';
}

function closePanel() {
  const back = panelEl.dataset.return && document.getElementById(panelEl.dataset.return);
  clear(panelEl);
  panelEl.hidden = true;
  if (back) back.focus();
}

function checks(prefix, legend, list, chosen) {
  const fs = h('fieldset', null, h('legend', { i18n: legend }));
  if (!list.length) fs.append(h('p', { class: 'muted', i18n: 'users.f.noneYet' }));
  for (const x of list) {
    fs.append(h('div', { class: 'check' },
      h('input', { type: 'checkbox', id: `${prefix}-${x.id}`, value: String(x.id), checked: (chosen || []).includes(x.id) }),
      h('label', { for: `${prefix}-${x.id}`, text: x.name })));
  }
  return fs;
}

const checked = (fs) => [...fs.querySelectorAll('input:checked')].map((c) => +c.value);

function editRoles(u, opener) {
  const os = checks('e-org', 'users.f.orgs', orgs, u.organisations);
  const cs = checks('e-centre', 'users.f.centres', centres, u.contact_centres);
  const coord = h('input', { type: 'checkbox', id: 'e-coord', checked: u.coordinator, disabled: u.id === me.id });
  const save = h('button', { type: 'submit', class: 'button', i18n: 'users.edit.save' });
  const cancel = h('button', { type: 'button', class: 'button secondary', i18n: 'users.edit.cancel' });
  const f = h('form', { novalidate: true, class: 'panel', 'aria-labelledby': 'e-title' },
    h('h2', { id: 'e-title', i18n: 'users.edit.title', args: { name: u.name } }), os, cs,
    h('div', { class: 'check' }, coord, h('label', { for: 'e-coord', i18n: 'users.f.coordinator' })),
    h('div', { class: 'button-row' }, save, cancel));
  cancel.addEventListener('click', closePanel);
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(save, async () => {
      clearErrors(f);
      try {
        await put(`/users/${u.id}`, { name: u.name, coordinator: coord.checked, disabled: u.disabled,
          contact_centres: checked(cs), organisations: checked(os) });
        announce(t('users.edit.saved', { name: u.name }));
        closePanel();
        await reload();
        const back = document.getElementById(`edit-${u.id}`);
        if (back) back.focus();
      } catch (e) {
        showErrors(f, apiErrors(e, () => null));
      }
    });
  });
  openPanel(f, opener);
}

function confirmReset(u, opener) {
  const yes = h('button', { type: 'button', class: 'button warning', i18n: 'users.reset.yes' });
  const no = h('button', { type: 'button', class: 'button secondary', i18n: 'users.reset.no' });
  const err = h('p', { class: 'error-message', role: 'alert' });
  const box = h('div', { class: 'panel', role: 'group', 'aria-labelledby': 'r-q' },
    h('p', { id: 'r-q', i18n: 'users.reset.confirm', args: { name: u.name } }), h('div', { class: 'button-row' }, yes, no), err);
  no.addEventListener('click', closePanel);
  yes.addEventListener('click', () => busy(yes, async () => {
    try {
      await post(`/users/${u.id}/reset`);
      announce(t('users.reset.done', { name: u.name }));
      closePanel();
      await reload();
    } catch (e) {
      err.textContent = errorText(e);
    }
  }));
  openPanel(box, opener);
}

function render() {
  clear(tableEl);
  const tbody = h('tbody');
  for (const u of users) {
    const err = h('span', { class: 'error-message', role: 'alert' });
    const acts = h('div', { class: 'actions' });
    const edit = action('users.edit', u, (b) => editRoles(u, b));
    edit.id = `edit-${u.id}`;
    acts.append(edit);
    if (!u.password_set && !u.disabled) {
      acts.append(action('users.resend', u, async () => {
        try {
          await post(`/users/${u.id}/invite`);
          announce(t('users.resent', { name: u.name }));
          await reload();
        } catch (e) {
          err.textContent = errorText(e);
        }
      }));
    }
    if (u.id !== me.id) {
      if (u.password_set && !u.disabled) {
        const r = action('users.reset', u, (b) => confirmReset(u, b));
        r.id = `reset-${u.id}`;
        acts.append(r);
      }
      acts.append(action(u.disabled ? 'users.enable' : 'users.disable', u, async () => {
        try {
          await put(`/users/${u.id}`, { name: u.name, contact_centres: u.contact_centres, organisations: u.organisations, coordinator: u.coordinator, disabled: !u.disabled });
          announce(t(u.disabled ? 'users.enabled' : 'users.disabled', { name: u.name }));
          await reload();
        } catch (e) {
          err.textContent = errorText(e);
        }
      }));
    }
    const roles = [u.coordinator ? t('users.role.coordinator') : null,
      u.contact_centres.length ? `${t('users.role.contact')}: ${names(centres, u.contact_centres)}` : null,
      u.organisations.length ? `${t('users.role.member')}: ${names(orgs, u.organisations)}` : null].filter(Boolean);
    tbody.append(h('tr', null,
      h('th', { scope: 'row' }, h('span', { text: u.name }), u.id === me.id ? ' ' : null, u.id === me.id ? h('span', { i18n: 'users.you' }) : null),
      h('td', { class: 'user-text', text: u.email }),
      h('td', { text: roles.join('; ') || '–' }), stateCell(u), h('td', null, acts, err)));
  }
  tableEl.append(tableBox(h('table', null,
    h('thead', null, h('tr', null, ...['name', 'email', 'roles', 'state', 'actions'].map((k) => h('th', { scope: 'col', i18n: `users.col.${k}` })))), tbody), 'users.caption'));
}

function form(out) {
  const name = h('input', { type: 'text', maxlength: '120', autocomplete: 'off' });
  const email = h('input', { type: 'email', maxlength: '254', autocomplete: 'off', spellcheck: 'false' });
  const cs = checks('u-centre', 'users.f.centres', centres, []);
  const os = checks('u-org', 'users.f.orgs', orgs, []);
  const coord = h('input', { type: 'checkbox', id: 'u-coord' });
  const lang = h('select', null, ...['fi', 'sv', 'en'].map((l) => h('option', { value: l, i18n: `account.lang.${l}` })));
  const submit = h('button', { type: 'submit', class: 'button', i18n: 'users.create' });
  const f = h('form', { novalidate: true }, field({ id: 'u-name', label: 'users.f.name', control: name }),
    field({ id: 'u-email', label: 'users.f.email', control: email }),
    field({ id: 'u-lang', label: 'users.f.lang', hint: 'users.f.lang.hint', control: lang }), os, cs,
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
        name: name.value.trim(), email: email.value.trim(), lang: lang.value, coordinator: coord.checked,
        contact_centres: checked(cs), organisations: checked(os),
      };
      try {
        await post('/users', b);
        clear(out);
        const box = h('div', { class: 'panel notice', role: 'status', tabindex: '-1' },
          h('p', { i18n: 'users.invited', args: { email: b.email } }));
        out.append(box);
        box.focus();
        f.reset();
        await reload();
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
    panelEl = h('div', { hidden: true });
    content.append(h('h2', { i18n: 'users.new' }), h('p', { i18n: 'users.newLead' }), form(out), out,
      h('h2', { i18n: 'users.list' }), panelEl, tableEl);
    render();
    onLangChange(render);
  },
});
