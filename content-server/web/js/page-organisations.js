/* page-organisations.js: organisations (associations, parishes). The
 * coordinator adds organisations and their members; the coordinator and
 * each organisation's members set its defaults for new items (place,
 * contact, category, languages: js/orgdefaults.js), which the item form
 * fills in. A member sees only their own organisations. */
import { get, post, del } from './api.js';
import { h, clear } from './dom.js';
import { t } from './i18n.js';
import { boot, announce, errorText, field, showErrors, clearErrors, busy, apiErrors } from './app.js';
import { maxChars } from './limits.js';
import { defaultsForm } from './orgdefaults.js';

let orgs = [];
let users = [];
let listEl;
let coordinator = false;
const KINDS = ['ngo', 'parish', 'county', 'other'];

function userName(id) {
  const u = users.find((x) => x.id === id);
  return u ? `${u.name} <${u.email}>` : `#${id}`;
}

async function reload() {
  [orgs, users] = await Promise.all([get('/organisations').then((r) => r.organisations || []),
    coordinator ? get('/users').then((r) => r.users || []) : Promise.resolve([])]);
}

function orgCard(o) {
  const card = h('li', { class: 'card' });
  card.append(h('h3', { text: o.name }), h('p', { class: 'muted', i18n: `orgs.kind.${o.kind}` }));
  card.append(defaultsForm(o));
  if (!coordinator) return card;
  const members = o.members || [];
  const ul = h('ul');
  for (const m of members) {
    const rm = h('button', { type: 'button', class: 'linklike' }, h('span', { i18n: 'orgs.remove' }), h('span', { class: 'visually-hidden', text: `: ${userName(m)}` }));
    rm.addEventListener('click', () => busy(rm, async () => {
      try {
        await del(`/organisations/${o.id}/members/${m}`);
        announce(t('orgs.removed', { name: userName(m) }));
        await reload();
        render();
      } catch (e) {
        card.append(h('p', { class: 'error-message', role: 'alert', text: errorText(e) }));
      }
    }));
    ul.append(h('li', null, h('span', { text: userName(m) }), ' ', rm));
  }
  card.append(h('h4', { i18n: 'orgs.members' }), members.length ? ul : h('p', { i18n: 'orgs.noMembers' }));
  const sel = h('select', null, h('option', { value: '', i18n: 'form.choose' }),
    ...users.filter((u) => !members.includes(u.id) && !u.disabled).map((u) => h('option', { value: String(u.id), text: `${u.name} <${u.email}>` })));
  const add = h('button', { type: 'submit', class: 'button secondary', i18n: 'orgs.add' });
  const f = h('form', { novalidate: true }, field({ id: `o${o.id}-user`, label: 'orgs.addLabel', labelArgs: { org: o.name }, control: sel }), h('div', { class: 'button-row' }, add));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(add, async () => {
      if (!sel.value) {
        showErrors(f, [{ id: `o${o.id}-user`, text: t('orgs.err.user') }]);
        return;
      }
      try {
        await post(`/organisations/${o.id}/members`, { user_id: +sel.value });
        announce(t('orgs.added'));
        await reload();
        render();
      } catch (e) {
        showErrors(f, [{ id: `o${o.id}-user`, text: errorText(e) }]);
      }
    });
  });
  card.append(f);
  return card;
}

function render() {
  clear(listEl);
  if (!orgs.length) {
    listEl.append(h('p', { i18n: 'orgs.none' }));
    return;
  }
  const ul = h('ul', { class: 'card-list' });
  for (const o of orgs) ul.append(orgCard(o));
  listEl.append(ul);
}

function form() {
  const name = h('input', { type: 'text', maxlength: maxChars('organisation_name') });
  const kind = h('select', null, ...KINDS.map((k) => h('option', { value: k, i18n: `orgs.kind.${k}` })));
  const submit = h('button', { type: 'submit', class: 'button', i18n: 'orgs.create' });
  const f = h('form', { novalidate: true }, field({ id: 'org-name', label: 'orgs.f.name', control: name }),
    field({ id: 'org-kind', label: 'orgs.f.kind', control: kind }), h('div', { class: 'button-row' }, submit));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      if (!name.value.trim()) {
        showErrors(f, [{ id: 'org-name', text: t('orgs.err.name') }]);
        return;
      }
      clearErrors(f);
      try {
        await post('/organisations', { name: name.value.trim(), kind: kind.value });
        announce(t('orgs.created', { name: name.value.trim() }));
        name.value = '';
        await reload();
        render();
      } catch (e) {
        showErrors(f, apiErrors(e, (x) => ({ name: 'org-name', kind: 'org-kind' }[x])));
      }
    });
  });
  return f;
}

boot({
  page: 'organisations',
  allow: (me, r) => r.coordinator || r.member,
  render: async (content, me) => {
    coordinator = !!me.coordinator;
    content.append(h('h1', { i18n: 'orgs.title' }));
    try {
      await reload();
    } catch (e) {
      content.append(h('p', { class: 'error-message', role: 'alert', text: errorText(e) }));
      return;
    }
    if (coordinator) content.append(h('h2', { i18n: 'orgs.new' }), form(), h('h2', { i18n: 'orgs.list' }));
    else content.append(h('p', { i18n: 'orgs.memberLead' }), h('h2', { i18n: 'orgs.mine' }));
    listEl = h('div');
    content.append(listEl);
    render();
    /* Everything on the page is translated in place (data-i18n): no
     * re-render on a language switch, so what is typed into a form stays. */
  },
});
