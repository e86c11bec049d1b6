/* page-screens.js: the screens of the user's centres (all for the
 * coordinator): online or offline in words, last seen, applied version and
 * "live on N/M screens" per centre, refreshed every few seconds while the
 * page is visible; what each screen holds at its distance (the renderer's
 * capacity, POST /screens/profile-check, with the remedy in words when it
 * is too little) and the cards it reports it cannot show whole or shows
 * on pages; a display turned off outside opening hours is said so, not as
 * a fault. Whoever sees a screen may ask it for a screenshot ("remote
 * eyes"): the picture appears under the screen's row when the screen has
 * sent it. The coordinator also enrols new screens by the code they show
 * (the QR code on the screen opens this page with the code filled in),
 * adds screens one by one, seeing the capacity of the profile while
 * typing it (the answer's token and ready player configuration are shown
 * once, with a copy button) or many from a CSV file. */
import { get, post, api, isMissing, ApiError } from './api.js';
import { h, clear } from './dom.js';
import { tableBox } from './tables.js';
import { t, msg, getLang, onLangChange } from './i18n.js';
import { boot, announce, errorText, poll, field, showErrors, clearErrors, busy, apiErrors } from './app.js';
import { formatDateTime } from './time.js';

let centres = [];
let screens = [];
const liveByCentre = new Map();
let liveAvailable = true;
let listEl;
let myCentres = null; /* null: all (coordinator) */
/* profile-check answers by profile (and language), so a poll of the list
 * asks the server only for a profile not seen before */
const capacities = new Map();
let capacityAvailable = true;

/* What a screen is: what its player last reported, else as configured. */
function profileOf(s) {
  const r = s.reported_profile;
  if (r && r.width_px) {
    return { width_px: r.width_px, height_px: r.height_px, orientation: r.orientation, diagonal_in: r.diagonal_in, viewing_distance_m: r.viewing_distance_m };
  }
  return { width_px: s.width_px, height_px: s.height_px, orientation: s.orientation, diagonal_in: s.diagonal_in, viewing_distance_m: s.viewing_distance_m };
}

async function capacityOf(profile) {
  if (!capacityAvailable) return null;
  const key = JSON.stringify([profile, getLang()]);
  if (capacities.has(key)) return capacities.get(key);
  try {
    const r = await post('/screens/profile-check', { ...profile, lang: getLang() });
    capacities.set(key, r);
    return r;
  } catch (e) {
    if (isMissing(e)) capacityAvailable = false;
    return null;
  }
}

/* "4 riviä" and, when that is too little, the advice in words. */
function capacityCell(cap) {
  if (!cap) return h('td', { text: '–' });
  return h('td', null,
    h('span', { class: cap.enough ? null : 'state state-offline', i18n: cap.body_lines === 1 ? 'screens.lines.one' : 'screens.lines', args: { n: cap.body_lines } }),
    cap.enough ? null : h('p', { class: 'hint capacity-advice', text: msg(cap.advice) }));
}

/* The cards the screen reports it cannot show whole, or shows on pages. */
function fitNotes(st) {
  const notes = [];
  const titles = (list) => (list || []).map((c) => c.title || c.card).join(', ');
  if (st && st.unplaced && st.unplaced.length) {
    notes.push(h('div', { class: 'error-message' }, h('span', { i18n: 'screens.unplaced' }), ' ', h('span', { class: 'user-text', text: titles(st.unplaced) })));
  }
  if (st && st.paged && st.paged.length) {
    notes.push(h('div', { class: 'hint' }, h('span', { i18n: 'screens.paged' }), ' ', h('span', { class: 'user-text', text: titles(st.paged) })));
  }
  return notes;
}
/* Screenshots asked for on this page, by screen id: {state: 'waiting' |
 * 'done' | 'error', requestedAt, url, takenAt, text}; kept across the
 * list's redraws. */
const shots = new Map();

/* "4 min 40 s" in the UI's language. */
function duration(sec) {
  const m = Math.floor(sec / 60);
  const s = Math.round(sec % 60);
  if (!m) return t('duration.s', { s });
  return s ? t('duration.ms', { m, s }) : t('duration.m', { m });
}

/* The loop as the screen runs it: "Kierros 4 min 40 s; 12 ilmoitusta
 * vuorottelee, 3 kerrallaan" (the player's own figures, live). */
function loopNote(st, centre) {
  const l = st && st.loop;
  if (!l) return null;
  const parts = [t('screens.loop', { time: duration(l.seconds) })];
  if (l.turns > 0) parts.push(t('screens.loop.turns', { n: l.turns, k: l.window }));
  const budget = centre && centre.loop_s ? ` (${t('screens.loop.budget', { time: duration(centre.loop_s) })})` : '';
  return h('div', { class: 'loop-note', text: `${parts.join('; ')}${budget}` });
}

function statusBadge(online) {
  return h('span', { class: `state state-${online ? 'online' : 'offline'}`, i18n: online ? 'screens.online' : 'screens.offline' });
}

function render() {
  fillEnrolScreens();
  clear(listEl);
  const visible = centres.filter((c) => !myCentres || myCentres.includes(c.id));
  if (!visible.length) {
    listEl.append(h('p', { i18n: 'screens.noCentres' }));
    return;
  }
  for (const c of visible) {
    const sec = h('section', { class: 'card', 'aria-labelledby': `c-${c.id}` });
    sec.append(h('h2', { id: `c-${c.id}`, text: c.name }));
    const lv = liveByCentre.get(c.id);
    if (lv) {
      sec.append(h('p', { class: 'lead' }, h('span', { i18n: lv.total === 1 ? 'live.centreOne' : 'live.centre', args: { n: lv.live, m: lv.total } }),
        lv.alerts ? h('span', null, ' · ', h('span', { i18n: 'screens.acked', args: { n: lv.alerts_acknowledged_by, m: lv.total } })) : null));
    }
    const mine = screens.filter((s) => s.centre_id === c.id);
    if (!mine.length) {
      sec.append(h('p', { i18n: 'screens.none' }));
    } else {
      const tbody = h('tbody');
      for (const s of mine) {
        const st = lv && (lv.screens || []).find((x) => x.id === s.id);
        const online = st ? st.online : s.online;
        const lastSeen = (st && st.last_seen) || s.last_seen;
        const applied = st ? st.applied_seq : s.applied_version;
        /* never heard from: waiting for its enrolment, not a fault */
        const waiting = !online && !lastSeen;
        const alarm = st && st.alarm && !waiting;
        const display = st && online && (st.display === 'off' || st.display === 'dark') ? st.display : null;
        const cap = capacities.get(JSON.stringify([profileOf(s), getLang()]));
        tbody.append(h('tr', null,
          h('th', { scope: 'row', text: s.name }),
          h('td', null, statusBadge(online), alarm ? h('div', { class: 'error-message', i18n: 'screens.alarm' }) : null,
            waiting ? h('div', { class: 'muted', i18n: 'screens.notEnrolled' }) : null,
            display ? h('div', { class: 'muted', i18n: `screens.display.${display}` }) : null,
            st && st.error ? h('div', { class: 'muted user-text', text: st.error }) : null, ...fitNotes(st || s), loopNote(st, c)),
          h('td', { text: lastSeen ? formatDateTime(lastSeen) : t('screens.never') }),
          h('td', { text: applied === null || applied === undefined || applied === 0 ? '–' : String(applied) }),
          h('td', { i18n: `screens.orientation.${s.orientation}` }),
          capacityCell(cap),
          h('td', null, shotButton(s))));
        const shot = shotView(s);
        if (shot) tbody.append(h('tr', { class: 'shot-row' }, h('td', { colspan: '7' }, shot)));
      }
      sec.append(tableBox(h('table', null,
        h('caption', { class: 'visually-hidden', i18n: 'screens.caption', args: { centre: c.name } }),
        h('thead', null, h('tr', null, ...['name', 'status', 'lastSeen', 'version', 'orientation', 'capacity', 'shot'].map((k) => h('th', { scope: 'col', i18n: `screens.col.${k}` })))),
        tbody)));
    }
    listEl.append(sec);
  }
}

/* ---- remote eyes ---- */

function shotButton(s) {
  const b = h('button', { type: 'button', class: 'button secondary', id: `shot-${s.id}`,
    'aria-label': t('screens.shot.askFor', { name: s.name }), i18n: 'screens.shot.ask' });
  b.setAttribute('aria-label', t('screens.shot.askFor', { name: s.name }));
  const cur = shots.get(s.id);
  if (cur && cur.state === 'waiting') b.setAttribute('aria-disabled', 'true');
  b.addEventListener('click', () => askShot(s, b));
  return b;
}

function shotView(s) {
  const cur = shots.get(s.id);
  if (!cur) return null;
  if (cur.state === 'waiting') return h('p', { class: 'muted', role: 'status', i18n: 'screens.shot.waiting' });
  if (cur.state === 'error') return h('p', { class: 'error-message', role: 'alert', text: cur.text });
  const when = formatDateTime(cur.takenAt);
  return h('figure', { class: 'screenshot' },
    h('img', { src: cur.url, alt: t('screens.shot.alt', { name: s.name, time: when }), width: '480', loading: 'lazy' }),
    h('figcaption', { i18n: 'screens.shot.taken', args: { time: when } }));
}

function redrawShot(id) {
  render();
  const b = document.getElementById(`shot-${id}`);
  if (b && document.activeElement === document.body) b.focus();
}

/* Asks the screen for its picture and waits for it (a second at a time,
 * at most 20 s): the screen uploads it over its own connection. */
async function askShot(s, button) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  let requestedAt;
  try {
    requestedAt = (await post(`/screens/${s.id}/screenshot`)).requested_at;
  } catch (e) {
    const key = e instanceof ApiError && e.status === 429 ? 'screens.shot.limited'
      : e instanceof ApiError && e.status === 503 ? 'screens.shot.unreachable' : null;
    shots.set(s.id, { state: 'error', text: key ? t(key) : errorText(e) });
    redrawShot(s.id);
    return;
  }
  shots.set(s.id, { state: 'waiting', requestedAt });
  announce(t('screens.shot.waiting'));
  redrawShot(s.id);
  const end = Date.now() + 20000;
  while (Date.now() < end) {
    await new Promise((r) => { setTimeout(r, 1000); });
    let info;
    try {
      info = await get(`/screens/${s.id}/screenshot`);
    } catch {
      continue;
    }
    if (info.taken_at && Date.parse(info.taken_at) >= Date.parse(requestedAt)) {
      shots.set(s.id, { state: 'done', url: info.url, takenAt: info.taken_at });
      announce(t('screens.shot.taken', { time: formatDateTime(info.taken_at) }));
      redrawShot(s.id);
      return;
    }
  }
  shots.set(s.id, { state: 'error', text: t('screens.shot.noAnswer') });
  redrawShot(s.id);
}

async function load() {
  const s = await get('/screens');
  screens = s.screens || [];
  for (const x of screens) await capacityOf(profileOf(x));
  if (liveAvailable) {
    const ids = [...new Set(screens.map((x) => x.centre_id))];
    for (const id of ids) {
      try {
        const before = liveByCentre.get(id);
        const r = await get(`/centres/${id}/live`);
        liveByCentre.set(id, r);
        if (before && (before.live !== r.live || before.total !== r.total)) {
          const name = (centres.find((c) => c.id === id) || {}).name || '';
          announce(`${name}: ${t(r.total === 1 ? 'live.centreOne' : 'live.centre', { n: r.live, m: r.total })}`);
        }
      } catch (e) {
        if (isMissing(e)) {
          liveAvailable = false;
          break;
        }
      }
    }
  }
}

function createForm() {
  const centreSel = h('select', null, h('option', { value: '', i18n: 'form.choose' }), ...centres.map((c) => h('option', { value: String(c.id), text: c.name })));
  const name = h('input', { type: 'text', maxlength: '120' });
  const orient = h('select', null, ...['landscape', 'portrait'].map((o) => h('option', { value: o, i18n: `screens.orientation.${o}` })));
  const w = h('input', { type: 'number', min: '320', max: '7680', value: '1920', inputmode: 'numeric' });
  const hh = h('input', { type: 'number', min: '240', max: '7680', value: '1080', inputmode: 'numeric' });
  const diag = h('input', { type: 'number', min: '10', max: '120', value: '55', inputmode: 'numeric' });
  const dist = h('input', { type: 'number', min: '1', max: '20', step: '0.5', value: '3', inputmode: 'decimal' });
  const submit = h('button', { type: 'submit', class: 'button', i18n: 'screens.create' });
  const out = h('div', { 'aria-live': 'polite' });
  /* What the profile being typed holds, measured by the server. */
  const capacity = h('div', { id: 'new-capacity', class: 'panel capacity', 'aria-live': 'polite' });
  let capTimer = null;
  const showCapacity = () => {
    window.clearTimeout(capTimer);
    capTimer = window.setTimeout(async () => {
      const prof = { width_px: +w.value, height_px: +hh.value, orientation: orient.value, diagonal_in: +diag.value, viewing_distance_m: +dist.value };
      if (!(prof.width_px >= 320 && prof.height_px >= 240 && prof.diagonal_in >= 7 && prof.viewing_distance_m >= 0.3)) {
        clear(capacity);
        return;
      }
      const cap = await capacityOf(prof);
      clear(capacity);
      if (!cap) return;
      capacity.append(h('p', { class: cap.enough ? null : 'error-message', text: msg(cap.advice) }));
    }, 500);
  };
  for (const c of [orient, w, hh, diag, dist]) c.addEventListener('input', showCapacity);
  orient.addEventListener('change', showCapacity);
  onLangChange(showCapacity);
  const form = h('form', { novalidate: true },
    field({ id: 'new-centre', label: 'screens.f.centre', control: centreSel }),
    field({ id: 'new-name', label: 'screens.f.name', hint: 'screens.f.name.hint', control: name }),
    field({ id: 'new-orientation', label: 'screens.f.orientation', control: orient }),
    h('div', { class: 'inline-fields' },
      field({ id: 'new-width', label: 'screens.f.width', control: w }),
      field({ id: 'new-height', label: 'screens.f.height', control: hh }),
      field({ id: 'new-diagonal', label: 'screens.f.diagonal', control: diag }),
      field({ id: 'new-distance', label: 'screens.f.distance', control: dist })),
    h('h3', { i18n: 'screens.capacity' }), capacity,
    h('div', { class: 'button-row' }, submit));
  showCapacity();
  const map = { centre_id: 'new-centre', name: 'new-name', orientation: 'new-orientation', width_px: 'new-width', height_px: 'new-height', diagonal_in: 'new-diagonal', viewing_distance_m: 'new-distance' };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      const errs = [];
      if (!centreSel.value) errs.push({ id: 'new-centre', text: t('screens.err.centre') });
      if (!name.value.trim()) errs.push({ id: 'new-name', text: t('screens.err.name') });
      if (errs.length) {
        showErrors(form, errs);
        return;
      }
      clearErrors(form);
      try {
        const r = await post('/screens', {
          centre_id: +centreSel.value, name: name.value.trim(), orientation: orient.value,
          width_px: +w.value, height_px: +hh.value, diagonal_in: +diag.value, viewing_distance_m: +dist.value,
        });
        showCredentials(out, r, name.value.trim());
        name.value = '';
        await load();
        render();
      } catch (e) {
        showErrors(form, apiErrors(e, (f) => map[f]));
      }
    });
  });
  return h('section', { 'aria-labelledby': 'create-title' }, h('h2', { id: 'create-title', i18n: 'screens.createTitle' }),
    h('p', { i18n: 'screens.createLead' }), form, out);
}

/* ---- enrolment by code, screens from a spreadsheet ---- */

/* The screen records to enrol as, kept up to date with the list (a CSV
 * import or a new screen adds to it); the choice made stays. */
let enrolScreens = null;
function fillEnrolScreens() {
  if (!enrolScreens) return;
  const chosen = enrolScreens.value;
  clear(enrolScreens);
  enrolScreens.append(h('option', { value: '', i18n: 'form.choose' }));
  for (const c of centres) {
    const mine = screens.filter((x) => x.centre_id === c.id);
    if (!mine.length) continue;
    enrolScreens.append(h('optgroup', { label: c.name }, ...mine.map((x) => h('option', { value: String(x.id), text: x.name }))));
  }
  enrolScreens.value = chosen;
}

function enrolForm() {
  const code = h('input', { type: 'text', maxlength: '16', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', class: 'code-input' });
  const fromLink = /(?:^#|&)enrol=([A-Za-z0-9-]{4,16})/.exec(window.location.hash);
  if (fromLink) code.value = fromLink[1].toUpperCase();
  const screenSel = h('select');
  enrolScreens = screenSel;
  fillEnrolScreens();
  const submit = h('button', { type: 'submit', class: 'button', i18n: 'screens.enrol' });
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { novalidate: true },
    field({ id: 'enrol-code', label: 'screens.f.code', hint: 'screens.f.code.hint', control: code }),
    field({ id: 'enrol-screen', label: 'screens.f.screen', control: screenSel }),
    h('div', { class: 'button-row' }, submit));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      const errs = [];
      if (!code.value.trim()) errs.push({ id: 'enrol-code', text: t('screens.err.code') });
      if (!screenSel.value) errs.push({ id: 'enrol-screen', text: t('screens.err.screen') });
      if (errs.length) {
        showErrors(form, errs);
        return;
      }
      clearErrors(form);
      clear(out);
      try {
        const r = await post('/enrol/bind', { code: code.value.trim(), screen_id: +screenSel.value });
        code.value = '';
        if (window.location.hash) history.replaceState(null, '', window.location.pathname + window.location.search);
        const msg = h('p', { class: 'panel notice', role: 'status', tabindex: '-1', i18n: 'screens.enrolled', args: { name: r.name } });
        out.append(msg);
        msg.focus();
      } catch (e) {
        showErrors(form, apiErrors(e, (f) => ({ code: 'enrol-code', screen_id: 'enrol-screen' }[f])));
      }
    });
  });
  return h('section', { 'aria-labelledby': 'enrol-title', id: 'enrol' }, h('h2', { id: 'enrol-title', i18n: 'screens.enrolTitle' }),
    h('p', { i18n: 'screens.enrolLead' }), form, out);
}

function importForm() {
  const file = h('input', { type: 'file', accept: '.csv,text/csv' });
  const submit = h('button', { type: 'submit', class: 'button secondary', i18n: 'screens.import' });
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { novalidate: true },
    field({ id: 'import-file', label: 'screens.f.file', control: file }),
    h('div', { class: 'button-row' }, submit));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      if (!file.files || !file.files.length) {
        showErrors(form, [{ id: 'import-file', text: t('screens.err.file') }]);
        return;
      }
      clearErrors(form);
      clear(out);
      try {
        const text = await file.files[0].text();
        const r = await api('POST', '/screens/import', new Blob([text], { type: 'text/csv' }), { contentType: 'text/csv; charset=utf-8' });
        const msg = h('p', { class: 'panel notice', role: 'status', tabindex: '-1', i18n: 'screens.imported', args: { n: r.count } });
        out.append(msg);
        file.value = '';
        await load();
        render();
        msg.focus();
      } catch (e) {
        const where = e instanceof ApiError && e.field ? ` (${e.field})` : '';
        showErrors(form, [{ id: 'import-file', text: errorText(e) + where }]);
      }
    });
  });
  return h('section', { 'aria-labelledby': 'import-title' }, h('h2', { id: 'import-title', i18n: 'screens.importTitle' }),
    h('p', { i18n: 'screens.importLead' }), form, out);
}

function copyButton(textarea) {
  const b = h('button', { type: 'button', class: 'button secondary', i18n: 'copy' });
  b.addEventListener('click', async () => {
    textarea.focus();
    textarea.select();
    try {
      await navigator.clipboard.writeText(textarea.value);
      announce(t('copied'));
    } catch {
      announce(t('copy.manual'));
    }
  });
  return b;
}

function showCredentials(out, r, name) {
  clear(out);
  const box = h('div', { class: 'panel notice', tabindex: '-1' });
  box.append(h('h3', { i18n: 'screens.created', args: { name } }), h('p', null, h('strong', { i18n: 'screens.once' })));
  const token = h('textarea', { class: 'secret', readOnly: true, rows: '2', id: 'new-token', value: r.token || '' });
  box.append(h('label', { for: 'new-token', i18n: 'screens.token' }), token, h('div', { class: 'button-row' }, copyButton(token)));
  if (r.player_config) {
    const conf = h('textarea', { class: 'secret', readOnly: true, rows: '10', id: 'new-config', value: r.player_config });
    box.append(h('label', { for: 'new-config', i18n: 'screens.config' }), h('span', { class: 'hint', i18n: 'screens.config.hint' }), conf,
      h('div', { class: 'button-row' }, copyButton(conf)));
  }
  out.append(box);
  box.focus();
}

boot({
  page: 'screens',
  allow: (me, r) => r.contact || r.coordinator,
  render: async (content, me) => {
    myCentres = me.coordinator ? null : me.contact_centres;
    content.append(h('h1', { i18n: 'screens.title' }), h('p', { i18n: 'screens.lead' }));
    listEl = h('div');
    content.append(listEl);
    try {
      centres = (await get('/centres')).centres || [];
      await load();
    } catch (e) {
      listEl.append(h('p', { class: 'error-message', role: 'alert', text: errorText(e) }));
      return;
    }
    render();
    if (me.coordinator) {
      content.append(enrolForm(), createForm(), importForm());
      if (/enrol=/.test(window.location.hash)) document.getElementById('enrol-code').focus();
    }
    poll(async () => {
      const before = JSON.stringify([screens, [...liveByCentre]]);
      await load().catch(() => null);
      if (before !== JSON.stringify([screens, [...liveByCentre]]) && !listEl.contains(document.activeElement)) render();
    }, 4000);
    /* the capacities' words are the server's, per language */
    onLangChange(async () => {
      for (const x of screens) await capacityOf(profileOf(x));
      render();
    });
  },
});
