/* itemview.js: an item's content for reviewers (every text version as
 * text, never markup), its changes since the centre's last approval, and
 * its findings. */
import { h } from './dom.js';
import { t, msg } from './i18n.js';
import { formatRange, formatDateTime, formatDate } from './time.js';
import { recurrenceFacts } from './recurrence.js';

const TIME_FIELDS = new Set(['starts_at', 'ends_at', 'display_from', 'display_until']);

function value(field, v) {
  if (v === null || v === undefined || v === '') return t('diff.empty');
  if (field === 'recurrence_text') return msg(v);
  if (field === 'until') return formatDate(`${v}T12:00:00Z`);
  if (field === 'exdates') return v.length ? v.map((d) => formatDate(`${d}T12:00:00Z`)).join(', ') : t('diff.empty');
  if (typeof v === 'boolean') return t(v ? 'yes' : 'no');
  if (TIME_FIELDS.has(field)) return formatDateTime(v);
  if (field === 'category') return t(`cat.${v}`);
  if (field === 'kind') return t(`kind.${v}`);
  if (typeof v === 'object') return Object.entries(v).filter(([, x]) => typeof x === 'string').map(([, x]) => x).join(' / ');
  return String(v);
}

function label(field) {
  const m = /^texts\.(\w+)(?:\.(\w+))?$/.exec(field);
  if (m) {
    const lang = t(`lang.${m[1]}`);
    return m[2] ? `${t(`field.${m[2]}`)} (${lang})` : t('diff.version', { lang });
  }
  return t(`field.${field}`);
}

/* [{field, old, new}] -> a list; start and end are read as one time. */
export function changesList(changes, item) {
  const ul = h('ul', { class: 'changes' });
  const byField = new Map(changes.map((c) => [c.field, c]));
  if (byField.has('starts_at') || byField.has('ends_at')) {
    const s = byField.get('starts_at');
    const e = byField.get('ends_at');
    const oldR = formatRange(s ? s.old : item.starts_at, e ? e.old : item.ends_at);
    const newR = formatRange(s ? s.new : item.starts_at, e ? e.new : item.ends_at);
    ul.append(h('li', null, h('strong', { i18n: 'field.time' }), ': ',
      h('span', { class: 'diff-old', text: oldR || t('diff.empty') }), h('span', { class: 'diff-arrow', text: '→' }),
      h('span', { class: 'diff-new', text: newR || t('diff.empty') }),
      h('span', { class: 'visually-hidden', i18n: 'diff.was', args: { old: oldR, now: newR } })));
  }
  /* A repeat's change is read in words ("joka tiistai" -> "joka toinen
   * tiistai"); its until and exceptions as dates; the rule's parts alone
   * would say the same in code. */
  const words = byField.has('recurrence_text');
  for (const c of changes) {
    if (c.field === 'starts_at' || c.field === 'ends_at') continue;
    if (words && /^recurrence(\.(freq|interval|byday))?$/.test(c.field)) continue;
    ul.append(h('li', null, h('strong', { text: label(c.field) }), ': ',
      h('span', { class: 'diff-old user-text', text: value(c.field.split('.').pop(), c.old) }),
      h('span', { class: 'diff-arrow', 'aria-hidden': 'true', text: '→' }),
      h('span', { class: 'visually-hidden', i18n: 'diff.now' }),
      h('span', { class: 'diff-new user-text', text: value(c.field.split('.').pop(), c.new) })));
  }
  return ul;
}

/* The content of an item, each language version under its own heading. */
export function contentView(item, headingLevel = 'h3') {
  const wrap = h('div', { class: 'item-content' });
  const facts = h('dl', { class: 'facts' },
    h('dt', { i18n: 'items.kind' }), h('dd', { i18n: `kind.${item.kind}` }),
    h('dt', { i18n: 'items.category' }), h('dd', { i18n: `cat.${item.category}` }));
  if (item.kind === 'event') {
    facts.append(h('dt', { i18n: item.recurrence ? 'items.first' : 'items.when' }), h('dd', { text: formatRange(item.starts_at, item.ends_at) }));
    const rf = recurrenceFacts(item);
    if (rf) facts.append(...rf);
    facts.append(
      h('dt', { i18n: 'field.access' }), h('dd', { text: [
        item.free ? t('form.free') : null, item.step_free ? t('form.stepfree') : null, item.induction_loop ? t('form.loop') : null,
      ].filter(Boolean).join(', ') || '–' }));
  }
  if (item.link) facts.append(h('dt', { i18n: 'field.link' }), h('dd', { class: 'user-text', text: item.link }));
  facts.append(h('dt', { i18n: 'items.until' }), h('dd', { text: formatDateTime(item.display_until) }));
  wrap.append(facts);
  if (item.image_sha256) {
    const first = Object.values(item.texts || {})[0] || {};
    wrap.append(h('img', { class: 'thumb', src: `/api/v1/assets/${item.image_sha256}`, alt: first.image_alt || '' }));
  }
  for (const [lang, tx] of Object.entries(item.texts || {})) {
    const sec = h('section');
    sec.append(h(headingLevel, null, h('span', { i18n: `lang.${lang}` }), ' ',
      tx.plain ? h('span', { class: 'muted', i18n: 'form.v.plain.short' }) : null));
    sec.append(h('p', { class: 'user-text', lang }, h('strong', { text: tx.title })));
    sec.append(h('p', { class: 'user-text', lang, text: tx.body }));
    const more = h('dl', { class: 'facts' });
    for (const k of ['summary', 'place', 'price', 'registration', 'contact', 'image_alt']) {
      if (tx[k]) more.append(h('dt', { i18n: `field.${k}` }), h('dd', { class: 'user-text', lang, text: tx[k] }));
    }
    if (more.childNodes.length) sec.append(more);
    wrap.append(sec);
  }
  return wrap;
}

/* Findings stored with the item or from the checker: [{severity, field,
 * message, details, ...}] as a plain list for the approver: the message in
 * words, and the figures behind it (details) folded under "Lisätiedot". */
export function findingsList(findings) {
  const ul = h('ul', { class: 'findings' });
  for (const f of findings) {
    ul.append(h('li', { class: `sev-${f.severity}` }, h('span', { class: 'finding-sev', i18n: `sev.${f.severity}` }), ' ',
      f.lang ? h('span', { text: `(${t(`lang.${f.lang}`)}) ` }) : null,
      f.quote ? h('q', { class: 'user-text', text: f.quote }) : null, f.quote ? ' ' : null,
      h('span', { text: msg(f.message) }),
      f.details ? h('details', { class: 'finding-details' }, h('summary', { i18n: 'queue.details' }), h('span', { text: msg(f.details) })) : null));
  }
  return ul;
}
