/* checker.js: the live checker's client. Text versions are sent to
 * POST /api/v1/check while the user types (debounced); findings come back
 * with code-point spans and messages in fi/sv/en. The findings of the body
 * and of the short screen text are drawn in a mirrored layer behind each
 * textarea (underlines) and listed
 * with their quoted text; choosing one selects the span in the field.
 * If the server has no /check, the panel stays hidden and nothing is
 * faked. */
import { post, ApiError, isMissing } from './api.js';
import { h, clear } from './dom.js';
import { t, msg } from './i18n.js';

export const DEBOUNCE_MS = 400;
let available = true;

export function checkerAvailable() {
  return available;
}

/* Code-point offsets -> UTF-16 offsets of a string. */
export function cpToUtf16(text, cp) {
  let i = 0;
  let n = 0;
  while (n < cp && i < text.length) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    n += 1;
  }
  return i;
}

export function spanOf(f, text) {
  const s = f.span || {};
  const a = s.cp_start !== undefined ? s.cp_start : s.start || 0;
  const b = s.cp_end !== undefined ? s.cp_end : s.end || 0;
  return [cpToUtf16(text, a), cpToUtf16(text, b)];
}

/* Ask the server; resolves to {findings, summary} or null (not available,
 * or superseded by a newer request). */
export async function runCheck(body, signal) {
  if (!available) return null;
  try {
    return await post('/check', body, { signal });
  } catch (e) {
    if (e && e.name === 'AbortError') return null;
    if (isMissing(e)) {
      available = false;
      return null;
    }
    throw e;
  }
}

/* Draw the mirror: the text with <mark>s over the findings' spans. Where
 * spans overlap, the most severe one shows (an error is never hidden under
 * a warning about the same words). Findings with scope "paragraph" are
 * rates over a whole paragraph (too many long words): the list points at
 * them, the mirror does not underline every word of the paragraph. */
const RANK = { notice: 1, warning: 2, error: 3 };
const BY_RANK = ['', 'notice', 'warning', 'error'];
export function paintMirror(mirror, text, findings, field = 'body') {
  clear(mirror);
  const level = new Uint8Array(text.length);
  for (const f of findings) {
    if (f.field !== field || f.scope === 'paragraph') continue;
    const [a, b] = spanOf(f, text);
    const r = RANK[f.severity] || 0;
    for (let i = a; i < b && i < text.length; i++) if (level[i] < r) level[i] = r;
  }
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || level[i] !== level[start]) {
      const piece = text.slice(start, i);
      mirror.append(level[start] ? h('mark', { class: `sev-${BY_RANK[level[start]]}`, text: piece }) : piece);
      start = i;
    }
  }
  /* A trailing newline needs a character after it to take up a line. */
  mirror.append(' ');
}

const SEV_ORDER = { error: 0, warning: 1, notice: 2 };

/*
 * The list of findings: each with its severity in words, the quoted text
 * and the message (what to do, in words); a button selects the span in its
 * field. The figures behind a finding (details: word counts, limits) are
 * not shown here: they are for the approver, who reads them under
 * "Lisätiedot" in the queue (itemview.js); the volunteer gets the words.
 */
export function renderFindings(list, findings, controls) {
  clear(list);
  /* errors first; within a severity the words to fix before the rates over
   * a paragraph (the sentence to split before "the paragraph is hard") */
  const scopeRank = (f) => (f.scope === 'paragraph' ? 1 : 0);
  const sorted = [...findings].sort((a, b) => (SEV_ORDER[a.severity] ?? 3) - (SEV_ORDER[b.severity] ?? 3) || scopeRank(a) - scopeRank(b));
  for (const f of sorted) {
    const li = h('li', { class: `sev-${f.severity}` });
    li.append(h('span', { class: 'finding-sev', i18n: `sev.${f.severity}` }), ' ');
    const control = controls[f.field];
    if (control) {
      const [a, b] = spanOf(f, control.value);
      if (b > a) {
        const quote = control.value.slice(a, b);
        const btn = h('button', { type: 'button', class: 'linklike' }, h('q', { text: quote.length > 80 ? `${quote.slice(0, 77)}…` : quote }));
        btn.setAttribute('aria-label', t('check.select', { text: quote.slice(0, 120) }));
        btn.addEventListener('click', () => {
          control.dispatchEvent(new CustomEvent('reveal', { bubbles: true }));
          control.focus();
          control.setSelectionRange(a, b);
        });
        li.append(btn, ' ');
      }
    }
    li.append(h('span', { text: msg(f.message) }));
    list.append(li);
  }
}

export function lightOf(result) {
  if (result && result.light) return String(result.light).toLowerCase();
  const fs = (result && result.findings) || [];
  if (fs.some((f) => f.severity === 'error')) return 'red';
  if (fs.some((f) => f.severity === 'warning')) return 'yellow';
  return 'green';
}

export function lightBadge(light, counts) {
  return h('p', { class: `light light-${light}`, i18n: `check.light.${light}`, args: counts });
}

export function counts(result) {
  const fs = (result && result.findings) || [];
  return {
    errors: fs.filter((f) => f.severity === 'error').length,
    warnings: fs.filter((f) => f.severity === 'warning').length,
  };
}

export { t };
