/* page-alerts.js: urgent notices ("tärkeä tiedote") for a centre, shown
 * over everything on its screens until the mandatory end time; the list of
 * current ones with "end now"; "acknowledged by N/M" where reported. */
import { get, post, isMissing } from './api.js';
import { h, clear } from './dom.js';
import { t, onLangChange } from './i18n.js';
import { boot, announce, errorText, field, showErrors, clearErrors, busy, apiErrors, poll } from './app.js';
import { formatDateTime, toInstant, toInputs } from './time.js';
import { maxChars } from './limits.js';

let centres = [];
let alerts = [];
let listEl;
const acked = new Map();
let liveOk = true;

function centreName(id) {
  if (id === null || id === undefined) return t('alerts.allCentres');
  return (centres.find((c) => c.id === id) || {}).name || String(id);
}

function render() {
  clear(listEl);
  const current = alerts.filter((a) => !a.ended_at && Date.parse(a.ends_at) > Date.now());
  if (!current.length) {
    listEl.append(h('p', { i18n: 'alerts.none' }));
    return;
  }
  const ul = h('ul', { class: 'card-list' });
  for (const a of current) {
    const tx = a.texts[0] || {};
    const end = h('button', { type: 'button', class: 'button secondary' }, h('span', { i18n: 'alerts.end' }), h('span', { class: 'visually-hidden', text: `: ${tx.title}` }));
    const err = h('p', { class: 'error-message', role: 'alert' });
    end.addEventListener('click', () => busy(end, async () => {
      try {
        await post(`/alerts/${a.id}/end`, {});
        announce(t('alerts.ended'));
        await load();
        render();
        listEl.focus();
      } catch (e) {
        err.textContent = errorText(e);
      }
    }));
    const ack = acked.get(a.centre_id);
    ul.append(h('li', { class: 'card' },
      h('h3', { class: 'user-text', text: tx.title }),
      h('p', { class: 'user-text', lang: tx.lang, text: tx.body }),
      h('p', null, h('strong', { text: centreName(a.centre_id) }), ' · ',
        h('span', { i18n: 'alerts.until', args: { until: formatDateTime(a.ends_at) } })),
      ack ? h('p', { i18n: 'alerts.acked', args: ack }) : null,
      err, h('div', { class: 'button-row' }, end)));
  }
  listEl.append(ul);
}

async function load() {
  const r = await get('/alerts');
  alerts = r.alerts || [];
  if (!liveOk) return;
  for (const id of new Set(alerts.map((a) => a.centre_id).filter((x) => x))) {
    try {
      const lv = await get(`/centres/${id}/live`);
      acked.set(id, { n: lv.alerts_acknowledged_by, m: lv.total });
    } catch (e) {
      if (isMissing(e)) liveOk = false;
    }
  }
}

function form(me) {
  const own = me.coordinator ? centres : centres.filter((c) => (me.contact_centres || []).includes(c.id));
  const centre = h('select', null,
    own.length === 1 ? null : h('option', { value: '', i18n: 'form.choose' }),
    ...own.map((c) => h('option', { value: String(c.id), text: c.name })),
    me.coordinator ? h('option', { value: 'all', i18n: 'alerts.allCentres' }) : null);
  const title = h('input', { type: 'text', maxlength: maxChars('alert_title'), lang: 'fi' });
  const body = h('textarea', { rows: '3', maxlength: maxChars('alert_body'), lang: 'fi' });
  const svTitle = h('input', { type: 'text', maxlength: maxChars('alert_title'), lang: 'sv' });
  const svBody = h('textarea', { rows: '3', maxlength: maxChars('alert_body'), lang: 'sv' });
  const now = new Date(Date.now() + 3 * 3600 * 1000).toISOString();
  const ed = h('input', { type: 'date', value: toInputs(now).date });
  const et = h('input', { type: 'time', step: '300' });
  const submit = h('button', { type: 'submit', class: 'button', i18n: 'alerts.publish' });
  const f = h('form', { novalidate: true },
    field({ id: 'a-centre', label: 'alerts.f.centre', control: centre }),
    field({ id: 'a-title', label: 'alerts.f.title', hint: 'alerts.f.title.hint', control: title }),
    field({ id: 'a-body', label: 'alerts.f.body', control: body }),
    h('fieldset', { 'aria-describedby': 'a-end-hint' }, h('legend', { i18n: 'alerts.f.end' }),
      h('span', { class: 'hint', id: 'a-end-hint', i18n: 'alerts.f.end.hint' }),
      h('div', { class: 'inline-fields' },
        field({ id: 'a-end-date', label: 'form.date', control: ed }),
        field({ id: 'a-end-time', label: 'form.time', control: et }))),
    h('details', null, h('summary', { i18n: 'alerts.f.sv' }),
      field({ id: 'a-sv-title', label: 'alerts.f.svTitle', control: svTitle }),
      field({ id: 'a-sv-body', label: 'alerts.f.svBody', control: svBody })),
    h('div', { class: 'button-row' }, submit));
  const map = { centre_id: 'a-centre', ends_at: 'a-end-date', 'texts[0].title': 'a-title', 'texts[0].body': 'a-body', 'texts[1].title': 'a-sv-title', 'texts[1].body': 'a-sv-body' };
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy(submit, async () => {
      const errs = [];
      const ends = toInstant(ed.value, et.value);
      if (!centre.value) errs.push({ id: 'a-centre', text: t('alerts.err.centre') });
      if (!title.value.trim()) errs.push({ id: 'a-title', text: t('alerts.err.title') });
      if (!body.value.trim()) errs.push({ id: 'a-body', text: t('alerts.err.body') });
      if (!ends) errs.push({ id: et.value ? 'a-end-date' : 'a-end-time', text: t('alerts.err.end') });
      else if (Date.parse(ends) <= Date.now()) errs.push({ id: 'a-end-time', text: t('alerts.err.past') });
      if (errs.length) {
        showErrors(f, errs);
        return;
      }
      clearErrors(f);
      const texts = [{ lang: 'fi', title: title.value.trim(), body: body.value.trim() }];
      if (svTitle.value.trim() && svBody.value.trim()) texts.push({ lang: 'sv', title: svTitle.value.trim(), body: svBody.value.trim() });
      const b = { ends_at: ends, texts };
      if (centre.value !== 'all') b.centre_id = +centre.value;
      try {
        await post('/alerts', b);
        announce(t('alerts.published'));
        title.value = '';
        body.value = '';
        svTitle.value = '';
        svBody.value = '';
        await load();
        render();
        listEl.focus();
      } catch (e) {
        showErrors(f, apiErrors(e, (x) => map[x]));
      }
    });
  });
  return f;
}

boot({
  page: 'alerts',
  allow: (me, r) => r.contact || r.coordinator,
  render: async (content, me) => {
    content.append(h('h1', { i18n: 'alerts.title' }), h('p', { class: 'lead', i18n: 'alerts.lead' }));
    try {
      centres = (await get('/centres')).centres || [];
      await load();
    } catch (e) {
      content.append(h('p', { class: 'error-message', role: 'alert', text: errorText(e) }));
      return;
    }
    content.append(h('h2', { i18n: 'alerts.new' }), form(me));
    listEl = h('div', { tabindex: '-1', 'aria-labelledby': 'alerts-current' });
    content.append(h('h2', { id: 'alerts-current', i18n: 'alerts.current' }), listEl);
    render();
    onLangChange(render);
    poll(async () => {
      const before = JSON.stringify([alerts, [...acked]]);
      await load().catch(() => null);
      if (before !== JSON.stringify([alerts, [...acked]]) && !listEl.contains(document.activeElement)) render();
    }, 5000);
  },
});
