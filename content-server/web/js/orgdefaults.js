/* orgdefaults.js: what an organisation's items usually say (place,
 * contact, category, languages), set once on the organisation's page by
 * its members or the coordinator (PUT /organisations/{id}/defaults) and
 * filled into a new item's form, where only empty fields take them. */
import { put, ApiError } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { field, showErrors, clearErrors, busy, errorText, announce, CATEGORIES } from './app.js';
import { maxChars } from './limits.js';

const LANGS = ['fi', 'sv', 'en'];

/*
 * Fills a new item's form from `d` (an organisation's defaults, or null):
 * the category if none is chosen, the language versions when the user has
 * not chosen any yet (only the default Finnish one), and the place and
 * contact of every included version that has none. ui is page-item.js's:
 * ui.category and ui.v[lang] with include, place and contact.
 */
export function applyOrgDefaults(ui, d) {
  if (!d) return;
  if (d.category && !ui.category.value) ui.category.value = d.category;
  const langs = (d.languages || []).filter((l) => LANGS.includes(l));
  const untouched = LANGS.every((l) => ui.v[l].include.control.checked === (l === 'fi'));
  if (langs.length && untouched) {
    for (const l of LANGS) ui.v[l].include.control.checked = langs.includes(l);
  }
  for (const l of LANGS) {
    const v = ui.v[l];
    if (!v.include.control.checked) continue;
    if (d.place && !v.place.value) v.place.value = d.place;
    if (d.contact && !v.contact.value) v.contact.value = d.contact;
  }
}

/* The editor on the organisation's card: a form that saves the
 * organisation's defaults. onSaved(defaults) after a save. */
export function defaultsForm(org, onSaved) {
  const p = `o${org.id}-d`;
  const d = org.defaults || {};
  const place = h('input', { type: 'text', maxlength: maxChars('place'), value: d.place || '' });
  const contact = h('input', { type: 'text', maxlength: maxChars('contact'), value: d.contact || '' });
  const category = h('select', null, h('option', { value: '', i18n: 'orgs.d.noCategory' }),
    ...CATEGORIES.map((c) => h('option', { value: c, i18n: `cat.${c}`, selected: d.category === c })));
  const langs = h('fieldset', { 'aria-describedby': `${p}-langs-hint` }, h('legend', { i18n: 'orgs.d.languages' }),
    h('span', { class: 'hint', id: `${p}-langs-hint`, i18n: 'orgs.d.languages.hint' }));
  const boxes = {};
  for (const l of LANGS) {
    boxes[l] = h('input', { type: 'checkbox', id: `${p}-lang-${l}`, checked: (d.languages || []).includes(l) });
    langs.append(h('div', { class: 'check' }, boxes[l], h('label', { for: `${p}-lang-${l}`, i18n: `lang.${l}` })));
  }
  const save = h('button', { type: 'submit', class: 'button secondary', i18n: 'orgs.d.save' });
  const f = h('form', { novalidate: true, class: 'org-defaults' },
    h('h4', { id: `${p}-title`, i18n: 'orgs.d.title' }),
    h('p', { class: 'hint', i18n: 'orgs.d.lead' }),
    field({ id: `${p}-place`, label: 'orgs.d.place', hint: 'form.v.place.hint', control: place }),
    field({ id: `${p}-contact`, label: 'orgs.d.contact', hint: 'form.v.contact.hint', control: contact }),
    field({ id: `${p}-category`, label: 'orgs.d.category', control: category }),
    langs, h('div', { class: 'button-row' }, save));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(save, async () => {
      clearErrors(f);
      const body = {
        place: place.value.trim() || null,
        contact: contact.value.trim() || null,
        category: category.value || null,
        languages: LANGS.filter((l) => boxes[l].checked),
      };
      try {
        const r = await put(`/organisations/${org.id}/defaults`, body);
        org.defaults = r.defaults;
        announce(t('orgs.d.saved', { org: org.name }));
        if (onSaved) onSaved(r.defaults);
      } catch (e) {
        const map = { place: `${p}-place`, contact: `${p}-contact`, category: `${p}-category` };
        const id = e instanceof ApiError && e.field ? map[e.field.replace(/\[\d+\]$/, '')] || `${p}-lang-fi` : null;
        showErrors(f, [{ id, text: errorText(e) }]);
      }
    });
  });
  return f;
}
