/* limits.js: the text limits of the one table (common/taulu_fields.h) as
 * the server hands them out (GET /api/v1/limits). Every form takes its
 * maxlength from here, so the form and the API cannot disagree and what
 * a person can type is what the screens can show. Loaded once by boot()
 * before a page is drawn. (maxlength counts UTF-16 units: a character
 * outside the Basic Multilingual Plane counts twice, so the form is at
 * worst stricter than the API, never looser.) */
import { get } from './api.js';

let fields = null;

export async function loadLimits() {
  if (!fields) {
    try {
      fields = (await get('/limits')).fields || {};
    } catch {
      fields = {}; /* the API still refuses what is too long */
    }
  }
  return fields;
}

/* The most characters field `key` takes ("title", "alert_body",
 * "organisation_name", ...), as a maxlength value; null if unknown. */
export function maxChars(key) {
  const f = fields && fields[key];
  return f ? String(f.max_chars) : null;
}
