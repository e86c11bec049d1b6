/* formdates.js: the item form's dates that fill themselves in, and only
 * then. "Näkyy viimeistään" follows the event's end, and a bulletin gets a
 * default four weeks ahead, visible and editable; but a value the user
 * typed there (or the repeat's last time moved there) is never
 * overwritten, and nothing is derived from a date still being typed: a
 * date input passes through 0002-12-01 while its year is typed digit by
 * digit, and that is no date to copy. */
import { parts } from './time.js';

export const BULLETIN_DAYS = 28;
const pad = (n) => String(n).padStart(2, '0');

/* A "YYYY-MM-DD" that is a real date no further than the API accepts
 * anything (a year back, two years ahead): what a person means, not a
 * year half typed. */
export function plausibleDate(d, now = Date.now()) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d || '');
  if (!m) return false;
  const y = +m[1];
  const mo = +m[2];
  const day = +m[3];
  const u = new Date(Date.UTC(y, mo - 1, day));
  if (u.getUTCFullYear() !== y || u.getUTCMonth() !== mo - 1 || u.getUTCDate() !== day) return false;
  const year = parts(now).y;
  return y >= year - 1 && y <= year + 2;
}

export function plausibleTime(tm) {
  const m = /^(\d{2}):(\d{2})$/.exec(tm || '');
  return !!m && +m[1] < 24 && +m[2] < 60;
}

/* The Helsinki date `days` from now, "YYYY-MM-DD". */
export function helsinkiDate(days, now = Date.now()) {
  const p = parts(now + days * 86400000);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
}

/*
 * The display end of the form. opts: kind() ("event" | "bulletin"), end
 * and until (time.js-style date-time pairs: .date, .time inputs). Returns
 * { derive(), state(), setState(s) }: derive() fills "until" from what the
 * rest says unless the user has set it; state() is what a draft keeps of
 * it.
 */
export function displayUntil(opts) {
  const { end, until } = opts;
  /* What this module last wrote there; anything else was set by hand. */
  let mine = null;
  const current = () => `${until.date.value}|${until.time.value}`;
  const userSet = () => !!until.date.value && current() !== mine;
  const write = (date, time) => {
    until.date.value = date;
    until.time.value = time;
    mine = current();
  };

  function derive() {
    if (userSet()) return;
    if (opts.kind() === 'event') {
      if (plausibleDate(end.date.value)) {
        write(end.date.value, plausibleTime(end.time.value) ? end.time.value : '23:59');
      } else if (until.date.value) {
        /* The bulletin's default is no end of an event. */
        write('', '');
      }
      return;
    }
    write(helsinkiDate(BULLETIN_DAYS), '23:59');
  }

  for (const c of [end.date, end.time]) {
    c.addEventListener('input', derive);
    c.addEventListener('change', derive);
  }
  /* Emptied by hand: it may follow again. */
  for (const c of [until.date, until.time]) {
    c.addEventListener('change', () => {
      if (!until.date.value) mine = current();
    });
  }
  return {
    derive,
    userSet,
    state: () => ({ derived: !userSet() }),
    setState(s) {
      if (s && s.derived) mine = current();
    },
  };
}
