/* dom.js: building elements without markup strings. Text is always added
 * as text nodes (textContent), so nothing a submitter typed is ever parsed
 * as HTML. There is no innerHTML anywhere in the UI (a test checks). */
import { t } from './i18n.js';

const PROPS = new Set(['value', 'checked', 'selected', 'disabled', 'hidden', 'required', 'multiple', 'readOnly', 'indeterminate']);

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  props = props || {};
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'i18n') {
      el.dataset.i18n = v;
      if (props.args) el.dataset.i18nArgs = JSON.stringify(props.args);
      el.textContent = t(v, props.args);
    } else if (k === 'args') {
      /* used with i18n */
    } else if (k === 'i18nAttr') {
      el.dataset.i18nAttr = Object.entries(v).map(([a, key]) => `${a}:${key}`).join(';');
      for (const [a, key] of Object.entries(v)) el.setAttribute(a, t(key));
    } else if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (PROPS.has(k)) {
      el[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function $(sel, root = document) {
  return root.querySelector(sel);
}

let uid = 0;
export function newId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}
