/* page-item.js: a new item or an edit of one (item.html?id=N). Bulletin or
 * event, centres, category, language versions (tabs) each with the
 * plain-language flag, title, body and the short text the screens show
 * instead of it (one card, one page); event details; link; image with its
 * text alternative; display end. The checker's findings appear as the user
 * types; the preview shows the card as the screens will. */
import { get, post, put, api, ApiError, isMissing } from './api.js';
import { h, clear, newId } from './dom.js';
import { t, getLang, onLangChange } from './i18n.js';
import { boot, field, showErrors, clearErrors, errorText, announce, busy, CATEGORIES, roles } from './app.js';
import { toInstant, toInputs } from './time.js';
import { runCheck, checkerAvailable, paintMirror, renderFindings, lightOf, lightBadge, counts, DEBOUNCE_MS } from './checker.js';
import { previewPanel } from './preview.js';
import { recurrenceSection } from './recurrence.js';
import { maxChars } from './limits.js';
import { displayUntil, plausibleDate, plausibleTime } from './formdates.js';
import { draftKeeper, fetchDraft } from './drafts.js';
import { readControls, writeControls } from './formstate.js';
import { copyOf } from './itemcopy.js';
import { applyOrgDefaults } from './orgdefaults.js';

const VERSIONS = ['fi', 'sv', 'en'];
const state = {
  item: null, /* the item being edited */
  image: null, /* {sha256, width, height} */
  results: {}, /* lang -> check result */
  timers: {},
  aborts: {},
};
const ui = {};

function input(type, props) {
  return h('input', { type, ...props });
}

function checkbox(id, label, checked) {
  const c = input('checkbox', { id, checked: !!checked });
  return { control: c, el: h('div', { class: 'check' }, c, h('label', { for: id, i18n: label })) };
}

function dateTime(prefix, labelKey, hintKey) {
  const d = input('date', { id: `${prefix}-date` });
  const tm = input('time', { id: `${prefix}-time`, step: '300' });
  const fs = h('fieldset', { 'aria-describedby': hintKey ? `${prefix}-hint` : null },
    h('legend', { i18n: labelKey }),
    hintKey ? h('span', { class: 'hint', id: `${prefix}-hint`, i18n: hintKey }) : null,
    h('div', { class: 'inline-fields' },
      field({ id: `${prefix}-date`, label: 'form.date', control: d }),
      field({ id: `${prefix}-time`, label: 'form.time', control: tm })));
  return { fs, date: d, time: tm, value: () => toInstant(d.value, tm.value), set: (iso) => {
    const v = toInputs(iso);
    d.value = v.date;
    tm.value = v.time;
  } };
}

/* ---- language version panels ---- */

function versionPanel(lang) {
  const v = { lang };
  const p = (name) => `${lang}-${name}`;
  v.include = checkbox(p('include'), `form.v.include.${lang}`, lang === 'fi');
  /* A claim the volunteer makes on purpose (the checker is stricter with
   * it), never a default. */
  v.plain = checkbox(p('plain'), 'form.v.plain', false);
  v.plain.el.append(h('span', { class: 'hint', id: p('plain-hint'), i18n: 'form.v.plain.hint' }));
  v.plain.control.setAttribute('aria-describedby', p('plain-hint'));
  v.title = input('text', { maxlength: maxChars('title'), lang, autocomplete: 'off' });
  v.body = h('textarea', { rows: '6', maxlength: maxChars('body'), lang, spellcheck: 'true' });
  v.mirror = h('div', { class: 'hl-mirror', 'aria-hidden': 'true' });
  /* The short text the screens show instead of the body (one card, one
   * page); the body is then the full text, for the web. */
  v.summary = h('textarea', { rows: '3', maxlength: maxChars('summary'), lang, spellcheck: 'true' });
  v.summaryMirror = h('div', { class: 'hl-mirror', 'aria-hidden': 'true' });
  v.place = input('text', { maxlength: maxChars('place'), lang });
  v.price = input('text', { maxlength: maxChars('price'), lang });
  v.registration = input('text', { maxlength: maxChars('registration'), lang });
  v.contact = input('text', { maxlength: maxChars('contact'), lang });
  v.alt = h('textarea', { rows: '2', maxlength: maxChars('image_alt'), lang });
  v.findings = h('ul', { class: 'findings' });
  v.light = h('div', { 'aria-live': 'polite' });
  v.checkArea = h('div', { class: 'check-area', hidden: true },
    h('h3', { i18n: 'check.title' }), v.light, v.findings);

  const bodyGroup = field({ id: p('body'), label: 'form.v.body', hint: 'form.v.body.hint', control: v.body });
  /* The textarea sits over its mirror in one grid cell. */
  bodyGroup.append(h('div', { class: 'hl-wrap' }, v.mirror, v.body));
  const summaryGroup = field({ id: p('summary'), label: 'form.v.summary', hint: 'form.v.summary.hint', control: v.summary });
  summaryGroup.append(h('div', { class: 'hl-wrap' }, v.summaryMirror, v.summary));
  v.eventFields = h('div', null,
    field({ id: p('place'), label: 'form.v.place', hint: 'form.v.place.hint', control: v.place }),
    v.priceGroup = field({ id: p('price'), label: 'form.v.price', hint: 'form.v.price.hint', control: v.price }),
    field({ id: p('registration'), label: 'form.v.registration', hint: 'form.v.registration.hint', control: v.registration }));
  v.altGroup = field({ id: p('alt'), label: 'form.v.alt', hint: 'form.v.alt.hint', control: v.alt });
  v.fields = h('div', null,
    v.plain.el,
    field({ id: p('title'), label: 'form.v.title', hint: 'form.v.title.hint', control: v.title }),
    bodyGroup,
    summaryGroup,
    v.checkArea,
    v.eventFields,
    field({ id: p('contact'), label: 'form.v.contact', hint: 'form.v.contact.hint', control: v.contact }),
    v.altGroup);
  v.panel = h('div', { role: 'tabpanel', id: `panel-${lang}`, 'aria-labelledby': `tab-${lang}` },
    v.include.el, v.fields);
  v.include.control.addEventListener('change', () => {
    syncVersion(v);
    scheduleCheck(v);
  });
  for (const c of [v.title, v.body, v.summary, v.place, v.price, v.registration, v.contact, v.alt, v.plain.control]) {
    c.addEventListener('input', () => scheduleCheck(v));
  }
  v.plain.control.addEventListener('change', () => scheduleCheck(v));
  v.body.addEventListener('input', () => paintMirror(v.mirror, v.body.value, (state.results[lang] || {}).findings || []));
  v.summary.addEventListener('input', () => paintMirror(v.summaryMirror, v.summary.value, (state.results[lang] || {}).findings || [], 'summary'));
  return v;
}

function syncVersion(v) {
  v.fields.hidden = !v.include.control.checked;
  const st = ui.tabs[v.lang].querySelector('.tab-state');
  st.dataset.i18n = v.include.control.checked ? 'form.tab.on' : 'form.tab.off';
  st.textContent = t(st.dataset.i18n);
}

function tabs(versions) {
  const list = h('div', { role: 'tablist', i18nAttr: { 'aria-label': 'form.versions' } });
  ui.tabs = {};
  const select = (lang, focus) => {
    for (const l of VERSIONS) {
      const on = l === lang;
      ui.tabs[l].setAttribute('aria-selected', String(on));
      ui.tabs[l].tabIndex = on ? 0 : -1;
      versions[l].panel.hidden = !on;
    }
    if (focus) ui.tabs[lang].focus();
    if (ui.preview) schedulePreview();
  };
  for (const l of VERSIONS) {
    const tab = h('button', { type: 'button', role: 'tab', id: `tab-${l}`, 'aria-controls': `panel-${l}` },
      h('span', { i18n: `lang.${l}` }), ' ', h('span', { class: 'tab-state' }));
    tab.addEventListener('click', () => select(l, false));
    tab.addEventListener('keydown', (ev) => {
      const i = VERSIONS.indexOf(l);
      let j = null;
      if (ev.key === 'ArrowRight') j = (i + 1) % VERSIONS.length;
      else if (ev.key === 'ArrowLeft') j = (i + VERSIONS.length - 1) % VERSIONS.length;
      else if (ev.key === 'Home') j = 0;
      else if (ev.key === 'End') j = VERSIONS.length - 1;
      if (j !== null) {
        ev.preventDefault();
        select(VERSIONS[j], true);
      }
    });
    ui.tabs[l] = tab;
    list.append(tab);
  }
  const wrap = h('div', { class: 'tabs' }, list, ...VERSIONS.map((l) => versions[l].panel));
  /* A field in a hidden panel shows its panel first (error links, findings). */
  wrap.addEventListener('reveal', (ev) => {
    const panel = ev.target.closest('[role=tabpanel]');
    if (panel) select(panel.id.replace('panel-', ''), false);
  });
  select('fi', false);
  return wrap;
}

/* ---- checking ---- */

function included() {
  return VERSIONS.filter((l) => ui.v[l].include.control.checked);
}

/* One text version with the item fields the checker's rules need
 * (docs/api.md, "Checking and previewing"). */
function checkBody(v) {
  const kind = ui.kind();
  const b = {
    lang: v.lang,
    plain: v.plain.control.checked,
    kind,
    title: v.title.value,
    body: v.body.value,
    centres: [...ui.centres.querySelectorAll('input:checked')].map((c) => +c.value),
  };
  /* what the screens will show: the short screen text, and the credit line
   * with the organisation's name */
  if (v.summary.value.trim()) b.summary = v.summary.value;
  if (ui.org && ui.org.value) b.organisation = +ui.org.value;
  if (ui.category.value) b.category = ui.category.value;
  /* A date still being typed (year 0002) is not sent: the checker would
   * only answer with a refusal that vanishes a keystroke later. */
  const s = meant(ui.start);
  const e = meant(ui.end);
  const u = meant(ui.until);
  if (kind === 'event') {
    if (s) b.starts_at = s;
    if (e) b.ends_at = e;
    const rec = ui.repeat.value();
    if (rec) b.recurrence = rec;
    b.free = ui.free.control.checked;
    b.step_free = ui.stepFree.control.checked;
    b.induction_loop = ui.loop.control.checked;
    /* As typed (not trimmed), so that the findings' spans fit the field. */
    if (v.place.value.trim()) b.place = v.place.value;
    if (!b.free && v.price.value.trim()) b.price = v.price.value;
    if (v.registration.value.trim()) b.registration = v.registration.value;
  }
  if (v.contact.value.trim()) b.contact = v.contact.value;
  if (u) b.display_until = u;
  if (ui.link.value.trim()) b.link = ui.link.value.trim();
  if (state.image) {
    /* the uploaded picture: the preview draws it where the screens will */
    b.image = true;
    b.image_sha256 = state.image.sha256;
    b.image_alt = v.alt.value;
  }
  return b;
}

/* The instant of a date-time pair if its date is one a person means. */
function meant(pair) {
  return plausibleDate(pair.date.value) && plausibleTime(pair.time.value) ? pair.value() : null;
}

function scheduleCheck(v) {
  if (!checkerAvailable()) return;
  window.clearTimeout(state.timers[v.lang]);
  state.timers[v.lang] = window.setTimeout(() => check(v), DEBOUNCE_MS);
}

async function check(v) {
  if (!v.include.control.checked || (!v.title.value && !v.body.value)) {
    delete state.results[v.lang];
    v.checkArea.hidden = true;
    paintMirror(v.mirror, v.body.value, []);
    paintMirror(v.summaryMirror, v.summary.value, [], 'summary');
    updateSubmit();
    return;
  }
  if (state.aborts[v.lang]) state.aborts[v.lang].abort();
  const ctl = new AbortController();
  state.aborts[v.lang] = ctl;
  let result;
  try {
    result = await runCheck(checkBody(v), ctl.signal);
  } catch (e) {
    v.checkArea.hidden = false;
    clear(v.light).append(h('p', { class: 'error-message', text: errorText(e) }));
    return;
  }
  if (!result) {
    if (!checkerAvailable()) hideChecker();
    return;
  }
  state.results[v.lang] = result;
  showResult(v);
  updateSubmit();
  schedulePreview();
}

function showResult(v) {
  const result = state.results[v.lang];
  if (!result) return;
  const findings = result.findings || [];
  v.checkArea.hidden = false;
  const light = lightOf(result);
  const before = v.light.dataset.light;
  clear(v.light).append(lightBadge(light, counts(result)));
  v.light.dataset.light = light;
  if (before && before !== light) announce(t(`check.light.${light}`, counts(result)));
  paintMirror(v.mirror, v.body.value, findings);
  paintMirror(v.summaryMirror, v.summary.value, findings, 'summary');
  renderFindings(v.findings, findings, {
    body: v.body, summary: v.summary, title: v.title, image_alt: v.alt,
    place: v.place, price: v.price, registration: v.registration, contact: v.contact,
  });
}

function hideChecker() {
  for (const l of VERSIONS) ui.v[l].checkArea.hidden = true;
  updateSubmit();
}

function blockingErrors() {
  let n = 0;
  for (const l of included()) n += counts(state.results[l]).errors;
  return n;
}

function updateSubmit() {
  const n = blockingErrors();
  const blocked = n > 0;
  ui.submit.setAttribute('aria-disabled', String(blocked));
  ui.submitWhy.hidden = !blocked;
  if (blocked) {
    ui.submitWhy.dataset.i18n = n === 1 ? 'form.blocked.one' : 'form.blocked';
    ui.submitWhy.dataset.i18nArgs = JSON.stringify({ n });
    ui.submitWhy.textContent = t(ui.submitWhy.dataset.i18n, { n });
  }
}

/* ---- preview ---- */

let previewTimer = null;
function schedulePreview() {
  window.clearTimeout(previewTimer);
  previewTimer = window.setTimeout(() => {
    const shown = VERSIONS.find((l) => !ui.v[l].panel.hidden && ui.v[l].include.control.checked) || included()[0];
    if (shown) ui.preview.update(checkBody(ui.v[shown]));
  }, 800);
}

/* ---- the item ---- */

function buildItem(forPreview) {
  const kind = ui.kind();
  const b = {
    kind,
    category: ui.category.value,
    free: kind === 'event' ? ui.free.control.checked : false,
    step_free: kind === 'event' ? ui.stepFree.control.checked : false,
    induction_loop: kind === 'event' ? ui.loop.control.checked : false,
    centres: [...ui.centres.querySelectorAll('input:checked')].map((c) => +c.value),
    texts: [],
  };
  if (!state.item || forPreview) b.organisation_id = ui.org ? +ui.org.value : undefined;
  if (kind === 'event') {
    b.starts_at = ui.start.value();
    b.ends_at = ui.end.value();
    /* A series is one item: entered once, approved once. */
    const rec = ui.repeat.value();
    if (rec) b.recurrence = rec;
  }
  const link = ui.link.value.trim();
  if (link) b.link = link;
  if (state.image) b.image_sha256 = state.image.sha256;
  b.display_until = ui.until.value();
  for (const l of included()) {
    const v = ui.v[l];
    const tx = { lang: l, plain: v.plain.control.checked, title: v.title.value.trim(), body: v.body.value.replace(/\s+$/, '') };
    const summary = v.summary.value.replace(/\s+$/, '');
    if (summary.trim()) tx.summary = summary;
    const opt = (name, el) => {
      const s = el.value.trim();
      if (s) tx[name] = s;
    };
    if (kind === 'event') {
      opt('place', v.place);
      if (!b.free) opt('price', v.price);
      opt('registration', v.registration);
    }
    opt('contact', v.contact);
    if (state.image) opt('image_alt', v.alt);
    b.texts.push(tx);
  }
  for (const k of Object.keys(b)) if (b[k] === undefined || b[k] === null) delete b[k];
  return b;
}

function clientErrors(b) {
  const e = [];
  if (ui.org && !ui.org.value) e.push({ id: 'organisation', text: t('form.err.organisation') });
  if (!b.centres.length) e.push({ id: ui.firstCentre, text: t('form.err.centres') });
  if (!b.category) e.push({ id: 'category', text: t('form.err.category') });
  if (!b.texts.length) e.push({ id: 'fi-include', text: t('form.err.versions') });
  for (const tx of b.texts) {
    if (!tx.title) e.push({ id: `${tx.lang}-title`, text: t('form.err.title', { lang: t(`lang.${tx.lang}`) }) });
    if (!tx.body) e.push({ id: `${tx.lang}-body`, text: t('form.err.body', { lang: t(`lang.${tx.lang}`) }) });
    if (state.image && !tx.image_alt) e.push({ id: `${tx.lang}-alt`, text: t('form.err.alt', { lang: t(`lang.${tx.lang}`) }) });
  }
  const odd = (pair) => pair.date.value && !plausibleDate(pair.date.value);
  if (b.kind === 'event') {
    if (odd(ui.start)) e.push({ id: 'start-date', text: t('form.err.start.date') });
    else if (!b.starts_at) e.push({ id: 'start-date', text: t('form.err.start') });
    if (odd(ui.end)) e.push({ id: 'end-date', text: t('form.err.end.date') });
    else if (!b.ends_at) e.push({ id: 'end-date', text: t('form.err.end') });
    if (b.starts_at && b.ends_at && Date.parse(b.ends_at) <= Date.parse(b.starts_at)) e.push({ id: 'end-date', text: t('form.err.endBeforeStart') });
  }
  if (b.recurrence && b.recurrence.freq === 'weekly' && !b.recurrence.byday.length) {
    e.push({ id: 'repeat-day-MO', text: t('form.repeat.err.days') });
  }
  if (odd(ui.until)) e.push({ id: 'until-date', text: t('form.err.until.date') });
  else if (!b.display_until) e.push({ id: 'until-date', text: t('form.err.until') });
  if (b.link && !/^https?:\/\/[^\s/@]+/.test(b.link)) e.push({ id: 'link', text: t('form.err.link') });
  return e;
}

/* API field names -> the controls they concern. */
function fieldId(f) {
  const m = /^texts\[(\d+)\]\.(\w+)$/.exec(f);
  if (m) {
    const lang = included()[+m[1]] || 'fi';
    const map = { title: 'title', body: 'body', summary: 'summary', place: 'place', price: 'price', registration: 'registration', contact: 'contact', image_alt: 'alt', lang: 'include', plain: 'plain' };
    return `${lang}-${map[m[2]] || 'title'}`;
  }
  if (/^recurrence/.test(f)) return ui.repeat.fieldId(f);
  const top = f.replace(/\[\d+\]$/, '');
  return {
    organisation_id: 'organisation', kind: 'kind-bulletin', category: 'category', centres: ui.firstCentre,
    starts_at: 'start-date', ends_at: 'end-date', display_until: 'until-date', display_from: 'until-date',
    link: 'link', image_sha256: 'image', texts: 'fi-include', free: 'free', step_free: 'step-free',
    induction_loop: 'loop',
  }[top] || null;
}

async function submit(ev) {
  ev.preventDefault();
  const n = blockingErrors();
  if (n > 0) {
    /* Say why and take the user to the first finding. */
    announce(ui.submitWhy.textContent);
    const first = document.querySelector('.findings li.sev-error button, .findings li.sev-error');
    if (first) {
      first.dispatchEvent(new CustomEvent('reveal', { bubbles: true }));
      (first.tagName === 'BUTTON' ? first : ui.submitWhy).focus();
    }
    return;
  }
  const b = buildItem(false);
  const errs = clientErrors(b);
  if (errs.length) {
    liveErrors.on = true;
    liveErrors.api = null;
    liveErrors.last = JSON.stringify(errs);
    showErrors(ui.form, errs);
    return;
  }
  liveErrors.on = false;
  clearErrors(ui.form);
  await busy(ui.submit, async () => {
    try {
      let saved;
      if (state.item) {
        b.version = state.item.version;
        saved = await put(`/items/${state.item.id}`, b);
      } else {
        saved = await post('/items', b);
      }
      /* Sent: the draft has done its work. */
      ui.drafts.disarm();
      await ui.drafts.discard();
      window.location.assign(`items.html?saved=${saved.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'item_changed') {
        showErrors(ui.form, [{ id: null, text: t('form.err.changed') }]);
        return;
      }
      const list = [{ id: null, text: errorText(e) }];
      if (e instanceof ApiError && e.field) {
        const id = fieldId(e.field);
        if (id && document.getElementById(id)) list[0].id = id;
      }
      liveErrors.on = true;
      liveErrors.api = { ...list[0], value: list[0].id ? controlValue(list[0].id) : null };
      liveErrors.last = JSON.stringify(list);
      showErrors(ui.form, list);
    }
  });
}

/* ---- the error summary follows the form ---- */

/* Once a send has failed, the summary at the top says what is wrong now:
 * a fixed field leaves it at once, a new problem joins it (the focus
 * stays where the user types). The server's answer stays until its field
 * is changed. */
const liveErrors = { on: false, api: null, last: '', timer: null };

function controlValue(id) {
  const el = document.getElementById(id);
  if (!el) return null;
  return el.type === 'checkbox' || el.type === 'radio' ? String(el.checked) : el.value;
}

function refreshErrors() {
  window.clearTimeout(liveErrors.timer);
  liveErrors.timer = window.setTimeout(() => {
    if (!liveErrors.on) return;
    const list = clientErrors(buildItem(false));
    const api = liveErrors.api;
    if (api && (api.id === null || controlValue(api.id) === api.value)) list.push({ id: api.id, text: api.text });
    else liveErrors.api = null;
    const key = JSON.stringify(list);
    if (key === liveErrors.last) return;
    liveErrors.last = key;
    if (!list.length) {
      liveErrors.on = false;
      clearErrors(ui.form);
      announce(t('form.errors.fixed'));
      return;
    }
    showErrors(ui.form, list, { focus: false });
  }, 250);
}

/* ---- image ---- */

function imageSection() {
  const file = input('file', { accept: 'image/png,image/jpeg' });
  const status = h('p', { role: 'status' });
  const thumb = h('img', { class: 'thumb', hidden: true, alt: '' });
  const remove = h('button', { type: 'button', class: 'button secondary', i18n: 'form.image.remove', hidden: true });
  const section = h('div', null, field({ id: 'image', label: 'form.image', hint: 'form.image.hint', control: file }), thumb, status, remove);
  const show = () => {
    const has = !!state.image;
    thumb.hidden = !has;
    remove.hidden = !has;
    if (has) thumb.src = `/api/v1/assets/${state.image.sha256}`;
    for (const l of VERSIONS) ui.v[l].altGroup.hidden = !has;
  };
  file.addEventListener('change', async () => {
    const f = file.files && file.files[0];
    if (!f) return;
    status.dataset.i18n = 'form.image.uploading';
    status.textContent = t('form.image.uploading');
    try {
      const r = await api('POST', '/images', f, { contentType: f.type });
      state.image = { sha256: r.sha256, width: r.width, height: r.height };
      if (ui.drafts) ui.drafts.changed();
      status.dataset.i18n = 'form.image.done';
      status.textContent = t('form.image.done');
      show();
      schedulePreview();
    } catch (e) {
      delete status.dataset.i18n;
      if (isMissing(e)) {
        /* The server cannot take images: no image section at all. */
        section.hidden = true;
        return;
      }
      status.textContent = errorText(e);
    }
  });
  remove.addEventListener('click', () => {
    state.image = null;
    file.value = '';
    status.textContent = '';
    if (ui.drafts) ui.drafts.changed();
    show();
    file.focus();
    schedulePreview();
  });
  return { section, show };
}

/* ---- the form as a whole: drafts, copies, defaults ---- */

/* Everything the form holds, for a draft: its controls, the image, the
 * repeat's days off (kept by the section, not in a control) and whether
 * the display end is still the form's own. */
function snapshot() {
  return { controls: readControls(ui.form), image: state.image, repeat: ui.repeat.value(), dates: ui.dates.state() };
}

function restore(snap) {
  writeControls(ui.form, snap.controls || {});
  state.image = snap.image || null;
  ui.repeat.set(snap.repeat || null);
  ui.dates.setState(snap.dates);
  refreshAll();
}

/* After the form was filled by code: tabs, event fields, the image, the
 * underlines, the send button, the checker and the preview. */
function refreshAll() {
  for (const l of VERSIONS) syncVersion(ui.v[l]);
  syncKind();
  ui.img.show();
  for (const l of VERSIONS) {
    paintMirror(ui.v[l].mirror, ui.v[l].body.value, []);
    paintMirror(ui.v[l].summaryMirror, ui.v[l].summary.value, [], 'summary');
  }
  updateSubmit();
  for (const l of included()) scheduleCheck(ui.v[l]);
  schedulePreview();
}

function recheckOn(controls) {
  for (const c of controls) {
    for (const type of ['input', 'change']) {
      c.addEventListener(type, () => included().forEach((l) => scheduleCheck(ui.v[l])));
    }
  }
}

function defaultsOf(list, orgId) {
  const o = list.find((x) => String(x.id) === String(orgId));
  return o ? o.defaults : null;
}

function pickTexts(texts) {
  return texts ? texts[getLang()] || texts.fi || Object.values(texts)[0] : null;
}

/* ---- filling from an existing item ---- */

function fill(it) {
  if (ui.org) ui.org.value = String(it.organisation_id);
  document.getElementById(it.kind === 'event' ? 'kind-event' : 'kind-bulletin').checked = true;
  ui.category.value = it.category;
  const mine = new Set(it.placements.filter((p) => p.state !== 'withdrawn').map((p) => p.centre_id));
  ui.centres.querySelectorAll('input').forEach((c) => {
    c.checked = mine.has(+c.value);
  });
  if (it.starts_at) ui.start.set(it.starts_at);
  if (it.ends_at) ui.end.set(it.ends_at);
  ui.free.control.checked = !!it.free;
  ui.stepFree.control.checked = !!it.step_free;
  ui.loop.control.checked = !!it.induction_loop;
  ui.link.value = it.link || '';
  if (it.display_until) ui.until.set(it.display_until);
  ui.repeat.set(it.recurrence || null);
  state.image = it.image_sha256 ? { sha256: it.image_sha256 } : null;
  for (const l of VERSIONS) {
    const v = ui.v[l];
    const tx = it.texts[l];
    v.include.control.checked = !!tx;
    if (!tx) continue;
    v.plain.control.checked = !!tx.plain;
    v.title.value = tx.title || '';
    v.body.value = tx.body || '';
    v.summary.value = tx.summary || '';
    v.place.value = tx.place || '';
    v.price.value = tx.price || '';
    v.registration.value = tx.registration || '';
    v.contact.value = tx.contact || '';
    v.alt.value = tx.image_alt || '';
  }
}

function syncKind() {
  const ev = ui.kind() === 'event';
  ui.eventBox.hidden = !ev;
  for (const l of VERSIONS) {
    ui.v[l].eventFields.hidden = !ev;
    ui.v[l].priceGroup.hidden = ui.free.control.checked;
  }
}

boot({
  page: 'item',
  allow: (me, r) => r.member || r.coordinator,
  render: async (content, me) => {
    const params = new URLSearchParams(window.location.search);
    const id = params.get('id');
    const copyId = id ? null : params.get('copy');
    let centres;
    let orgs;
    let source = null; /* the item copied */
    let draft = null; /* this form's draft on the server */
    const draftKey = id ? `item:edit-${id}` : copyId ? `item:copy-${copyId}` : 'item:new';
    try {
      [centres, orgs, draft] = await Promise.all([get('/centres'), get('/organisations'), fetchDraft(draftKey)]);
      if (id) state.item = await get(`/items/${encodeURIComponent(id)}`);
      if (copyId) source = await get(`/items/${encodeURIComponent(copyId)}`);
    } catch (e) {
      content.append(h('h1', { i18n: 'form.title.new' }), h('p', { class: 'error-message', role: 'alert', text: errorText(e) }));
      return;
    }
    content.append(h('h1', { i18n: state.item ? 'form.title.edit' : 'form.title.new' }));
    if (state.item) {
      content.append(h('div', { class: 'panel notice', id: 'edit-notice' },
        h('p', null, h('strong', { i18n: 'form.edit.notice.title' })), h('p', { i18n: 'form.edit.notice' })));
    } else {
      content.append(h('p', { class: 'lead', i18n: 'form.lead' }));
    }
    const copied = source ? copyOf(source) : null;
    if (copied) {
      const title = (pickTexts(source.texts) || {}).title || '';
      content.append(h('div', { class: 'panel notice', id: 'copy-notice' },
        h('p', null, h('strong', { i18n: 'form.copy.title', args: { title } })),
        h('p', { i18n: copied.days ? 'form.copy.moved' : 'form.copy.dates', args: { days: copied.days } })));
    }

    const form = h('form', { novalidate: true, class: 'item-form' });
    ui.form = form;

    /* Organisation: only asked when there is a choice. */
    const orgList = (orgs.organisations || []).filter((o) => me.coordinator || (me.organisations || []).includes(o.id));
    if (orgList.length > 1 || (me.coordinator && !state.item)) {
      ui.org = h('select', null, h('option', { value: '', i18n: 'form.choose' }),
        ...orgList.map((o) => h('option', { value: String(o.id), text: o.name })));
      form.append(field({ id: 'organisation', label: 'form.organisation', control: ui.org }));
    } else if (orgList.length === 1) {
      ui.org = h('input', { type: 'hidden', value: String(orgList[0].id) });
      form.append(h('p', null, h('span', { i18n: 'form.from' }), ' ', h('strong', { text: orgList[0].name })), ui.org);
    }

    /* Kind */
    const kindFs = h('fieldset', null, h('legend', { i18n: 'form.kind' }));
    for (const k of ['bulletin', 'event']) {
      const r = input('radio', { name: 'kind', id: `kind-${k}`, value: k, checked: k === 'bulletin' });
      r.addEventListener('change', () => {
        syncKind();
        included().forEach((l) => scheduleCheck(ui.v[l]));
      });
      kindFs.append(h('div', { class: 'radio' }, r, h('label', { for: `kind-${k}`, i18n: `form.kind.${k}` })));
    }
    ui.kind = () => (document.getElementById('kind-event').checked ? 'event' : 'bulletin');
    form.append(kindFs);

    /* Centres */
    ui.centres = h('fieldset', { 'aria-describedby': 'centres-hint' }, h('legend', { i18n: 'form.centres' }),
      h('span', { class: 'hint', id: 'centres-hint', i18n: 'form.centres.hint' }));
    for (const c of centres.centres || []) {
      const cid = `centre-${c.id}`;
      if (!ui.firstCentre) ui.firstCentre = cid;
      ui.centres.append(h('div', { class: 'check' }, input('checkbox', { id: cid, value: String(c.id) }), h('label', { for: cid, text: c.name })));
    }
    ui.centres.append(h('p', { class: 'error-message', id: `${ui.firstCentre}-error` }));
    form.append(ui.centres);

    /* Category */
    ui.category = h('select', null, h('option', { value: '', i18n: 'form.choose' }),
      ...CATEGORIES.map((c) => h('option', { value: c, i18n: `cat.${c}` })));
    form.append(field({ id: 'category', label: 'form.category', hint: 'form.category.hint', control: ui.category }));

    /* Language versions */
    ui.v = {};
    for (const l of VERSIONS) ui.v[l] = versionPanel(l);
    form.append(h('h2', { i18n: 'form.versions' }), h('p', { class: 'hint', i18n: 'form.versions.hint' }), tabs(ui.v));

    /* Event details */
    ui.start = dateTime('start', 'form.start', 'form.tz');
    ui.end = dateTime('end', 'form.end', null);
    ui.free = checkbox('free', 'form.free', true);
    ui.stepFree = checkbox('step-free', 'form.stepfree', false);
    ui.loop = checkbox('loop', 'form.loop', false);
    ui.free.control.addEventListener('change', syncKind);
    /* Display until is made below; the section reads it when it asks. */
    ui.until = dateTime('until', 'form.until', 'form.until.hint');
    ui.repeat = recurrenceSection({ start: ui.start, end: ui.end, until: ui.until,
      onChange: () => {
        included().forEach((l) => scheduleCheck(ui.v[l]));
        /* days off are added with a button: no input event says so */
        if (ui.drafts) ui.drafts.changed();
      } });
    ui.eventBox = h('div', null, h('h2', { i18n: 'form.event' }), ui.start.fs, ui.end.fs, ui.repeat.el,
      h('fieldset', null, h('legend', { i18n: 'form.access' }), ui.free.el, ui.stepFree.el, ui.loop.el));
    form.append(ui.eventBox);

    /* Link, image */
    form.append(h('h2', { i18n: 'form.more' }));
    ui.link = input('url', { inputmode: 'url', autocomplete: 'url', spellcheck: 'false', maxlength: maxChars('link') });
    form.append(field({ id: 'link', label: 'form.link', hint: 'form.link.hint', control: ui.link }));
    const img = imageSection();
    form.append(img.section);

    /* Display until */
    form.append(h('h2', { i18n: 'form.display' }), ui.until.fs);
    /* "Näkyy viimeistään" follows the event's end once its date is
     * complete (a bulletin: four weeks), unless the user set it. */
    ui.dates = displayUntil({ kind: () => ui.kind(), end: ui.end, until: ui.until });
    form.querySelector('#kind-event').addEventListener('change', () => ui.dates.derive());
    form.querySelector('#kind-bulletin').addEventListener('change', () => ui.dates.derive());
    /* What the checker reads besides the text: a date fixed clears its
     * finding, as a word fixed does. */
    recheckOn([ui.start.date, ui.start.time, ui.end.date, ui.end.time, ui.until.date, ui.until.time,
      ui.link, ui.category, ui.free.control, ui.stepFree.control, ui.loop.control, ...ui.centres.querySelectorAll('input')]);

    /* Preview */
    ui.preview = previewPanel();
    form.append(ui.preview.el);

    /* Submit */
    ui.submit = h('button', { type: 'submit', class: 'button', i18n: state.item ? 'form.submit.edit' : 'form.submit', 'aria-describedby': 'submit-why' });
    ui.submitWhy = h('p', { id: 'submit-why', class: 'error-message', hidden: true, tabindex: '-1' });
    form.append(h('h2', { i18n: 'form.send' }),
      state.item ? h('p', { i18n: 'form.edit.notice' }) : h('p', { i18n: 'form.send.hint' }),
      ui.submitWhy, h('div', { class: 'button-row' }, ui.submit, h('a', { href: 'items.html', i18n: 'form.cancel' })));
    form.addEventListener('submit', submit);
    form.addEventListener('input', () => schedulePreview());
    form.addEventListener('change', () => schedulePreview());
    form.addEventListener('input', refreshErrors);
    form.addEventListener('change', refreshErrors);
    content.append(form);

    /* Drafts: one per form ("item:new", "item:edit-42", "item:copy-42"). */
    ui.drafts = draftKeeper({
      form,
      key: draftKey,
      version: state.item ? state.item.version : null,
      snapshot,
      restore,
      title: () => (ui.v.fi.title.value || ui.v.sv.title.value || ui.v.en.title.value || '').trim(),
    });
    form.before(ui.drafts.notice);
    form.prepend(ui.drafts.status);

    if (state.item) fill(state.item);
    else if (copied) fill(copied.item);
    else applyOrgDefaults(ui, defaultsOf(orgList, ui.org && ui.org.value));
    if (!state.item) ui.dates.derive();
    if (ui.org && ui.org.tagName === 'SELECT') {
      ui.org.addEventListener('change', () => {
        applyOrgDefaults(ui, defaultsOf(orgList, ui.org.value));
        refreshAll();
      });
    }
    ui.img = img;
    refreshAll();
    const base = JSON.stringify(snapshot());
    ui.drafts.restoreIfAny(draft);
    ui.drafts.start(base);
    onLangChange(() => {
      for (const l of VERSIONS) {
        syncVersion(ui.v[l]);
        showResult(ui.v[l]);
      }
      updateSubmit();
    });
    void getLang;
    void newId;
    void roles;
  },
});
