/* time.js: instants shown and entered in Europe/Helsinki, whatever the
 * browser's own zone. Inputs are a date (YYYY-MM-DD) and a time (HH:MM) of
 * Helsinki wall-clock time; the API gets RFC 3339 with the right offset,
 * so a daylight-saving change never shifts an event. */
import { getLang } from './i18n.js';

export const ZONE = 'Europe/Helsinki';

const partsFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'short',
});

/* Helsinki wall-clock parts of an instant (ms). */
export function parts(ms) {
  const o = {};
  for (const p of partsFmt.formatToParts(new Date(ms))) o[p.type] = p.value;
  return {
    y: +o.year, mo: +o.month, d: +o.day, h: +o.hour % 24, mi: +o.minute, s: +o.second,
    wd: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(o.weekday),
  };
}

/* Offset of Helsinki from UTC at an instant, in minutes. */
function offsetAt(ms) {
  const p = parts(ms);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

const pad = (n) => String(n).padStart(2, '0');

/* "2026-12-01", "14:00" (Helsinki) -> "2026-12-01T14:00:00+02:00", or null. */
export function toInstant(date, time) {
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '');
  const tm = /^(\d{2}):(\d{2})$/.exec(time || '');
  if (!dm || !tm) return null;
  const wall = Date.UTC(+dm[1], +dm[2] - 1, +dm[3], +tm[1], +tm[2]);
  let off = offsetAt(wall);
  const second = offsetAt(wall - off * 60000);
  if (second !== off) off = second;
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  return `${date}T${time}:00${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/* An RFC 3339 string -> {date: "YYYY-MM-DD", time: "HH:MM"} in Helsinki. */
export function toInputs(iso) {
  if (!iso) return { date: '', time: '' };
  const p = parts(Date.parse(iso));
  return { date: `${p.y}-${pad(p.mo)}-${pad(p.d)}`, time: `${pad(p.h)}:${pad(p.mi)}` };
}

const WEEKDAYS = {
  fi: ['su', 'ma', 'ti', 'ke', 'to', 'pe', 'la'],
  sv: ['sön', 'mån', 'tis', 'ons', 'tor', 'fre', 'lör'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};

function clock(p, lang) {
  if (lang === 'en') return `${pad(p.h)}:${pad(p.mi)}`;
  return `${p.h}.${pad(p.mi)}`;
}

/* "ti 1.12.2026 klo 14.00" / "tis 1.12.2026 kl. 14.00" / "Tue 1.12.2026 14:00" */
export function formatDateTime(iso) {
  if (!iso) return '';
  const lang = getLang();
  const p = parts(Date.parse(iso));
  const word = lang === 'fi' ? ' klo ' : lang === 'sv' ? ' kl. ' : ' ';
  return `${WEEKDAYS[lang][p.wd]} ${p.d}.${p.mo}.${p.y}${word}${clock(p, lang)}`;
}

export function formatDate(iso) {
  if (!iso) return '';
  const lang = getLang();
  const p = parts(Date.parse(iso));
  return `${WEEKDAYS[lang][p.wd]} ${p.d}.${p.mo}.${p.y}`;
}

/* An event's time, as the screen says it: "ti 1.12.2026 klo 14.00–16.00". */
export function formatRange(startIso, endIso) {
  if (!startIso) return '';
  if (!endIso) return formatDateTime(startIso);
  const lang = getLang();
  const a = parts(Date.parse(startIso));
  const b = parts(Date.parse(endIso));
  if (a.y === b.y && a.mo === b.mo && a.d === b.d) {
    return `${formatDateTime(startIso)}–${clock(b, lang)}`;
  }
  return `${formatDateTime(startIso)} – ${formatDateTime(endIso)}`;
}

/* "5 min ago" style age of an instant, for "last seen". */
export function ageMinutes(iso, now = Date.now()) {
  if (!iso) return null;
  return Math.max(0, Math.round((now - Date.parse(iso)) / 60000));
}
