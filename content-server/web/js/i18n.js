/* i18n.js: the chosen language (fi by default, kept in localStorage), the
 * catalogue look-up t(), messages from the API in the chosen language, and
 * re-translation of everything marked with data-i18n when it changes. */
import fi from '../i18n/fi.js';
import sv from '../i18n/sv.js';
import en from '../i18n/en.js';

const catalogues = { fi, sv, en };
export const LANGS = ['fi', 'sv', 'en'];
const KEY = 'infotaulu.lang';
const listeners = [];

function stored() {
  try {
    const l = window.localStorage.getItem(KEY);
    return LANGS.includes(l) ? l : 'fi';
  } catch {
    return 'fi';
  }
}

let lang = stored();

export function getLang() {
  return lang;
}

export function t(key, vars) {
  let s = catalogues[lang][key];
  if (s === undefined) s = catalogues.fi[key];
  if (s === undefined) return key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
  return s;
}

/* A message object from the API: {"fi": ..., "sv": ..., "en": ...}. */
export function msg(obj) {
  if (!obj) return '';
  if (typeof obj === 'string') return obj;
  return obj[lang] || obj.fi || obj.en || obj.sv || '';
}

export function applyI18n(root = document) {
  root.querySelectorAll('[data-i18n]').forEach((el) => {
    const args = el.dataset.i18nArgs ? JSON.parse(el.dataset.i18nArgs) : undefined;
    el.textContent = t(el.dataset.i18n, args);
  });
  root.querySelectorAll('[data-i18n-attr]').forEach((el) => {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr, t(key));
    }
  });
}

export function setLang(l) {
  if (!LANGS.includes(l)) return;
  lang = l;
  try {
    window.localStorage.setItem(KEY, l);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  document.documentElement.lang = l;
  applyI18n(document);
  for (const f of listeners) f(l);
}

export function onLangChange(f) {
  listeners.push(f);
}

document.documentElement.lang = lang;
