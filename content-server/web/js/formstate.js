/* formstate.js: a form's controls as one plain object and back, for the
 * drafts saved while it is filled in and for telling whether anything
 * changed. Every input, select and textarea with an id counts, so a field
 * added to the form later is saved without anyone remembering it here;
 * file inputs do not (an uploaded image is kept by the page as its
 * sha256). */

function controls(form) {
  return [...form.querySelectorAll('input[id], select[id], textarea[id]')]
    .filter((el) => el.type !== 'file' && !el.closest('[data-no-draft]'));
}

export function readControls(form) {
  const out = {};
  for (const el of controls(form)) {
    out[el.id] = el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value;
  }
  return out;
}

/* Writes back what readControls() read; ids no longer in the form (a
 * centre removed since) are skipped, and so is anything not of the
 * control's kind. */
export function writeControls(form, values) {
  for (const el of controls(form)) {
    if (!Object.prototype.hasOwnProperty.call(values || {}, el.id)) continue;
    const v = values[el.id];
    if (el.type === 'checkbox' || el.type === 'radio') {
      if (typeof v === 'boolean') el.checked = v;
    } else if (typeof v === 'string') {
      el.value = v;
    }
  }
}
