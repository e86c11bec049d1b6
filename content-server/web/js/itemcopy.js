/* itemcopy.js: "Kopioi": an earlier item (in any state) as the start of a
 * new one. Everything the volunteer wrote is kept; the dates are moved,
 * not copied: an event goes forward in whole weeks (a monthly one to the
 * same weekday of a later month) to its first time after both now and
 * the original, keeping its weekday and clock time in Helsinki, and its
 * display end moves as many days; a repeat keeps its rule but not its last
 * day or its days off (they were the old series' dates); a bulletin gets
 * the form's default display end. The form says that the dates were
 * moved, so that they are read before sending. */
import { toInputs, toInstant } from './time.js';

const DAY_MS = 86400000;
const WD = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function ymd(date) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return Date.UTC(+m[1], +m[2] - 1, +m[3]);
}

function dateOf(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/* Whether a UTC-midnight date is "the n-th (or last: -1) weekday wd" of
 * its month. */
function isOrdinal(ms, ord, wd) {
  const d = new Date(ms);
  if (WD[(d.getUTCDay() + 6) % 7] !== wd) return false;
  if (ord === -1) return new Date(ms + 7 * DAY_MS).getUTCMonth() !== d.getUTCMonth();
  return Math.floor((d.getUTCDate() - 1) / 7) + 1 === ord;
}

/* How many days the first time moves: the smallest step of the series
 * (a week, or to the next month's such weekday) that puts it after now
 * and after the original. */
function shiftDays(item, now) {
  const start = toInputs(item.starts_at);
  const first = ymd(start.date);
  const rule = item.recurrence;
  const at = (days) => Date.parse(toInstant(dateOf(first + days * DAY_MS), start.time));
  const after = Math.max(now, Date.parse(item.starts_at));
  if (rule && rule.freq === 'monthly') {
    const m = /^(-?\d)(\w\w)$/.exec((rule.byday || [])[0] || '');
    if (m) {
      for (let days = 1; days < 800; days++) {
        if (isOrdinal(first + days * DAY_MS, +m[1], m[2]) && at(days) > after) return days;
      }
    }
  }
  let days = 7;
  while (at(days) <= after) days += 7;
  return days;
}

function moved(iso, days) {
  if (!iso) return iso;
  const v = toInputs(iso);
  return toInstant(dateOf(ymd(v.date) + days * DAY_MS), v.time);
}

/* The item to fill a new form with: {item, days} (days: how far the
 * dates moved, 0 for a bulletin). */
export function copyOf(item, now = Date.now()) {
  const c = {
    ...item,
    placements: (item.placements || []).filter((p) => p.state !== 'withdrawn').map((p) => ({ centre_id: p.centre_id, state: 'submitted' })),
    display_until: null,
  };
  delete c.id;
  delete c.version;
  let days = 0;
  if (item.kind === 'event' && item.starts_at && item.ends_at) {
    days = shiftDays(item, now);
    c.starts_at = moved(item.starts_at, days);
    c.ends_at = moved(item.ends_at, days);
    const until = moved(item.display_until, days);
    /* Kept only when it still makes sense: after the new end, within the
     * year a notice may be shown. */
    if (until && Date.parse(until) >= Date.parse(c.ends_at) && Date.parse(until) < now + 365 * DAY_MS) c.display_until = until;
    if (item.recurrence) c.recurrence = { ...item.recurrence, until: undefined, exdates: [] };
  }
  return { item: c, days };
}
