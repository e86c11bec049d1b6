/* recurrence.js: the item form's "Toistuva tapahtuma" section: weekly on
 * chosen weekdays, every n weeks, or monthly on an ordinal weekday ("the
 * first Monday"), until a date, with days that have no meeting, and a
 * live summary of the rule in the screen's own words with the next dates
 * (POST /recurrence: the server's rules and words, never the browser's).
 * docs/web-ui.md, "The item form". */
import { post, ApiError, isMissing } from './api.js';
import { h, clear } from './dom.js';
import { t, msg, onLangChange } from './i18n.js';
import { field } from './app.js';
import { formatDate } from './time.js';

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const ORDS = ['1', '2', '3', '4', '-1'];
const DEBOUNCE_MS = 400;

/* The ISO weekday (1 = Monday) and the ordinal in its month ("1".."4",
 * "-1" for a last one after the fourth) of a "YYYY-MM-DD" date. */
function dayFacts(date) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '');
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  const wd = ((d.getUTCDay() + 6) % 7) + 1;
  const n = Math.floor((+m[3] - 1) / 7) + 1;
  return { wd, ord: n > 4 ? '-1' : String(n) };
}

/* opts: start, end, until (the form's date-time pairs, time.js style);
 * onChange() after every change (the form's preview and checker). */
export function recurrenceSection(opts) {
  const s = { exdates: [], result: null, error: null, timer: null, abort: null, available: true };
  const on = h('input', { type: 'checkbox', id: 'repeat-on' });
  const weekly = h('input', { type: 'radio', name: 'repeat-freq', id: 'repeat-weekly', value: 'weekly', checked: true });
  const monthly = h('input', { type: 'radio', name: 'repeat-freq', id: 'repeat-monthly', value: 'monthly' });
  const days = {};
  const dayBox = h('fieldset', { class: 'repeat-days' }, h('legend', { i18n: 'form.repeat.days' }));
  DAYS.forEach((d, i) => {
    days[d] = h('input', { type: 'checkbox', id: `repeat-day-${d}`, value: d });
    dayBox.append(h('div', { class: 'check' }, days[d], h('label', { for: `repeat-day-${d}`, i18n: `wd.${i + 1}` })));
  });
  dayBox.append(h('p', { class: 'error-message', id: 'repeat-day-MO-error' }));
  const interval = h('select', null, ...[1, 2, 3, 4].map((n) => h('option', { value: String(n), i18n: `form.repeat.interval.${n}` })));
  const ord = h('select', null, ...ORDS.map((o) => h('option', { value: o, i18n: `form.repeat.ord.${o}` })));
  const wday = h('select', null, ...DAYS.map((d, i) => h('option', { value: d, i18n: `wd.${i + 1}` })));
  const until = h('input', { type: 'date' });
  const ex = h('input', { type: 'date' });
  const exAdd = h('button', { type: 'button', class: 'button secondary', i18n: 'form.repeat.ex.add' });
  const exList = h('ul', { class: 'chips', 'aria-labelledby': 'repeat-ex-list-title' });
  const exTitle = h('p', { id: 'repeat-ex-list-title', class: 'muted', i18n: 'form.repeat.ex.list', hidden: true });
  const words = h('p', { class: 'repeat-words' });
  const next = h('p', { class: 'repeat-next' });
  const problem = h('p', { class: 'error-message', id: 'repeat-summary-error' });
  const summary = h('div', { class: 'panel repeat-summary', id: 'repeat-summary', role: 'status', 'aria-live': 'polite' },
    h('p', { class: 'muted', i18n: 'form.repeat.summary' }), words, next, problem);
  const weeklyBox = h('div', { id: 'repeat-weekly-box' }, dayBox,
    field({ id: 'repeat-interval', label: 'form.repeat.interval', control: interval }));
  const monthlyBox = h('div', { id: 'repeat-monthly-box', class: 'inline-fields' },
    field({ id: 'repeat-ord', label: 'form.repeat.ord', control: ord }),
    field({ id: 'repeat-wday', label: 'form.repeat.wday', control: wday }));
  const fields = h('div', { id: 'repeat-fields' },
    h('fieldset', null, h('legend', { i18n: 'form.repeat.freq' }),
      h('div', { class: 'radio' }, weekly, h('label', { for: 'repeat-weekly', i18n: 'form.repeat.weekly' })),
      h('div', { class: 'radio' }, monthly, h('label', { for: 'repeat-monthly', i18n: 'form.repeat.monthly' }))),
    weeklyBox, monthlyBox,
    field({ id: 'repeat-until', label: 'form.repeat.until', hint: 'form.repeat.until.hint', control: until }),
    h('div', { class: 'inline-fields' },
      field({ id: 'repeat-ex', label: 'form.repeat.ex', hint: 'form.repeat.ex.hint', control: ex }), exAdd),
    exTitle, exList, summary);
  const el = h('fieldset', { class: 'repeat', id: 'repeat', 'aria-describedby': 'repeat-hint' },
    h('legend', { i18n: 'form.repeat' }),
    h('span', { class: 'hint', id: 'repeat-hint', i18n: 'form.repeat.hint' }),
    h('div', { class: 'check' }, on, h('label', { for: 'repeat-on', i18n: 'form.repeat.on' })),
    fields);

  const startDate = () => opts.start.date.value;

  /* The first time it is switched on, the rule starts from the first
   * occurrence's day: that Tuesday, or that month's first Tuesday. */
  function presetFromStart() {
    const f = dayFacts(startDate());
    if (!f) return;
    if (!DAYS.some((d) => days[d].checked)) days[DAYS[f.wd - 1]].checked = true;
    wday.value = DAYS[f.wd - 1];
    ord.value = f.ord;
  }

  function sync() {
    fields.hidden = !on.checked;
    weeklyBox.hidden = !weekly.checked;
    monthlyBox.hidden = !monthly.checked;
  }

  function renderExdates() {
    clear(exList);
    exTitle.hidden = s.exdates.length === 0;
    for (const d of s.exdates) {
      const label = formatDate(`${d}T12:00:00Z`);
      const rm = h('button', { type: 'button', class: 'button secondary', text: '×' });
      rm.setAttribute('aria-label', t('form.repeat.ex.remove', { date: label }));
      rm.dataset.date = d;
      rm.addEventListener('click', () => {
        s.exdates = s.exdates.filter((x) => x !== d);
        renderExdates();
        changed();
        ex.focus();
      });
      exList.append(h('li', null, h('span', { text: label }), ' ', rm));
    }
  }

  exAdd.addEventListener('click', () => {
    const d = ex.value;
    if (!d || s.exdates.includes(d)) return;
    s.exdates.push(d);
    s.exdates.sort();
    ex.value = '';
    renderExdates();
    changed();
  });

  function value() {
    if (!on.checked) return null;
    const r = { freq: weekly.checked ? 'weekly' : 'monthly' };
    if (weekly.checked) {
      r.interval = +interval.value;
      r.byday = DAYS.filter((d) => days[d].checked);
    } else {
      r.byday = [`${ord.value}${wday.value}`];
    }
    if (until.value) r.until = until.value;
    r.exdates = s.exdates.slice();
    return r;
  }

  function renderSummary() {
    clear(words);
    clear(next);
    problem.textContent = '';
    summary.hidden = !s.available || !on.checked;
    if (s.error) {
      problem.textContent = s.error;
      return;
    }
    if (!s.result) return;
    words.textContent = msg(s.result.recurrence_text);
    const dates = (s.result.next_occurrences || []).map((o) => formatDate(o.start));
    if (dates.length) next.append(t('form.repeat.next', { dates: dates.join(', ') }));
    next.append(' ', t('form.repeat.count', { n: s.result.occurrence_count }));
  }

  async function refresh() {
    const rule = value();
    const starts = opts.start.value();
    const ends = opts.end.value();
    if (!rule || !s.available) {
      s.result = null;
      s.error = null;
      renderSummary();
      return;
    }
    if (!starts || !ends) {
      s.result = null;
      s.error = t('form.repeat.needTimes');
      renderSummary();
      return;
    }
    if (rule.freq === 'weekly' && !rule.byday.length) {
      s.result = null;
      s.error = t('form.repeat.err.days');
      renderSummary();
      return;
    }
    if (s.abort) s.abort.abort();
    const ctl = new AbortController();
    s.abort = ctl;
    const body = { starts_at: starts, ends_at: ends, recurrence: rule };
    const shownUntil = opts.until.value();
    if (shownUntil) body.display_until = shownUntil;
    try {
      s.result = await post('/recurrence', body, { signal: ctl.signal });
      s.error = null;
    } catch (e) {
      if (e && e.name === 'AbortError') return;
      if (isMissing(e)) {
        s.available = false; /* an older server: no summary, nothing made up */
      } else {
        s.result = null;
        s.error = e instanceof ApiError && e.messages ? msg(e.messages) : t('error.generic', { code: e.code || '' });
      }
    }
    renderSummary();
  }

  function changed() {
    sync();
    window.clearTimeout(s.timer);
    s.timer = window.setTimeout(refresh, DEBOUNCE_MS);
    if (opts.onChange) opts.onChange();
  }

  on.addEventListener('change', () => {
    if (on.checked) presetFromStart();
    changed();
  });
  for (const c of [weekly, monthly, interval, ord, wday, until, ...Object.values(days)]) {
    c.addEventListener('change', changed);
  }
  /* The last time also bounds how long the notice is shown: a display end
   * before it is moved to the end of that day. */
  until.addEventListener('change', () => {
    const shown = opts.until.date.value;
    if (until.value && (!shown || shown < until.value)) {
      opts.until.date.value = until.value;
      opts.until.time.value = '23:59';
    }
  });
  for (const c of [opts.start.date, opts.start.time, opts.end.date, opts.end.time, opts.until.date, opts.until.time]) {
    c.addEventListener('change', () => {
      if (on.checked) changed();
    });
  }
  onLangChange(renderSummary);
  sync();
  renderSummary();

  return {
    el,
    value,
    /* An item's stored rule (GET /items/{id}). */
    set(rec) {
      on.checked = !!rec;
      if (rec) {
        weekly.checked = rec.freq !== 'monthly';
        monthly.checked = rec.freq === 'monthly';
        interval.value = String(rec.interval || 1);
        for (const d of DAYS) days[d].checked = false;
        if (rec.freq === 'monthly') {
          const m = /^(-?\d)(\w\w)$/.exec((rec.byday || [])[0] || '');
          if (m) {
            ord.value = m[1];
            wday.value = m[2];
          }
        } else {
          for (const d of rec.byday || []) if (days[d]) days[d].checked = true;
        }
        until.value = rec.until || '';
        s.exdates = (rec.exdates || []).slice();
        renderExdates();
      }
      changed();
    },
    /* Field ids of the API's recurrence errors. */
    fieldId(f) {
      if (/^recurrence\.until/.test(f)) return 'repeat-until';
      if (/^recurrence\.exdates/.test(f)) return 'repeat-ex';
      if (/^recurrence\.interval/.test(f)) return 'repeat-interval';
      if (/^recurrence\.byday/.test(f)) return weekly.checked ? 'repeat-day-MO' : 'repeat-wday';
      return 'repeat-on';
    },
  };
}

/* An item's rule in words (and, with `withNext`, its next dates), as a
 * dt and a dd for a facts list: null when it does not repeat. Cancelled
 * dates say so in words. */
export function recurrenceFacts(item, withNext = true) {
  if (!item.recurrence_text) return null;
  const dd = h('dd', null, h('span', { class: 'repeat-words', text: msg(item.recurrence_text) }));
  const next = withNext ? (item.next_occurrences || []).slice(0, 4) : [];
  if (next.length) {
    const dates = next.map((o) => `${formatDate(o.start)}${o.cancelled ? ` (${t('items.cancelled')})` : ''}`);
    dd.append(h('br'), h('span', { class: 'muted', text: `${t('items.next')}: ` }), dates.join(', '));
  }
  return [h('dt', { i18n: 'items.repeat' }), dd];
}
