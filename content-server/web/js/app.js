/* app.js: what every signed-in page shares: who is signed in (GET /me, the
 * CSRF token), the header with the navigation for the user's roles, the
 * language switch, sign-out, the live region, error summaries and
 * field errors. */
import { get, post, setCsrf, ApiError } from './api.js';
import { h, clear, $ } from './dom.js';
import { loadLimits } from './limits.js';
import { t, msg, getLang, setLang, onLangChange, LANGS, applyI18n } from './i18n.js';

export const roles = (me) => ({
  member: (me.organisations || []).length > 0,
  contact: (me.contact_centres || []).length > 0,
  coordinator: !!me.coordinator,
});

/* The page a user starts on. */
export function homeOf(me) {
  const r = roles(me);
  if (r.member) return 'items.html';
  if (r.contact || r.coordinator) return 'queue.html';
  return 'items.html';
}

const NAV = [
  { href: 'items.html', key: 'nav.items', show: (r) => r.member || r.coordinator },
  { href: 'item.html', key: 'nav.new', show: (r) => r.member },
  { href: 'queue.html', key: 'nav.queue', show: (r) => r.contact || r.coordinator },
  { href: 'screens.html', key: 'nav.screens', show: (r) => r.contact || r.coordinator },
  { href: 'alerts.html', key: 'nav.alerts', show: (r) => r.contact || r.coordinator },
  { href: 'centres.html', key: 'nav.centres', show: (r) => r.coordinator },
  { href: 'organisations.html', key: 'nav.organisations', show: (r) => r.coordinator || r.member },
  { href: 'users.html', key: 'nav.users', show: (r) => r.coordinator },
  { href: 'sources.html', key: 'nav.sources', show: (r) => r.member || r.contact || r.coordinator },
  { href: 'report.html', key: 'nav.report', show: (r) => r.member || r.contact || r.coordinator },
  { href: 'audit.html', key: 'nav.audit', show: (r) => r.coordinator },
];

const LANG_NAMES = { fi: 'Suomi', sv: 'Svenska', en: 'English' };

export function langSwitch() {
  const group = h('div', { class: 'lang-switch', role: 'group', 'aria-label': 'Kieli – Språk – Language' });
  for (const l of LANGS) {
    const b = h('button', { type: 'button', lang: l, 'aria-pressed': String(l === getLang()), text: LANG_NAMES[l] });
    b.addEventListener('click', () => setLang(l));
    group.append(b);
  }
  onLangChange((l) => {
    group.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b.lang === l)));
  });
  return group;
}

function header(me, page) {
  const el = $('#site-header');
  clear(el);
  const inner = h('div', { class: 'header-inner' }, h('a', { class: 'brand', href: me ? homeOf(me) : 'index.html', text: 'Infotaulu' }));
  if (me) {
    const r = roles(me);
    const ul = h('ul');
    for (const n of NAV) {
      if (!n.show(r)) continue;
      const a = h('a', { href: n.href, i18n: n.key });
      if (n.href === `${page}.html`) a.setAttribute('aria-current', 'page');
      ul.append(h('li', null, a));
    }
    inner.append(h('nav', { class: 'site-nav', i18nAttr: { 'aria-label': 'nav.label' } }, ul));
    const out = h('button', { type: 'button', class: 'linklike', i18n: 'nav.signout' });
    out.addEventListener('click', signOut);
    const account = h('a', { href: 'account.html', i18n: 'nav.account' });
    if (page === 'account') account.setAttribute('aria-current', 'page');
    inner.append(h('div', { class: 'user-bar' }, h('span', { text: me.name || me.email }), account, out));
  }
  inner.append(langSwitch());
  el.append(inner);
}

async function signOut() {
  try {
    await post('/logout');
  } catch {
    /* the session may have ended already */
  }
  window.location.assign('index.html?signedout=1');
}

export function announce(text) {
  const live = $('#live');
  if (!live) return;
  live.textContent = '';
  window.setTimeout(() => {
    live.textContent = text;
  }, 50);
}

/* The text of an API error in the chosen language. */
export function errorText(err) {
  if (err instanceof ApiError) {
    if (err.messages) return msg(err.messages);
    if (err.code === 'network') return t('error.network');
    return t('error.generic', { code: err.code });
  }
  return t('error.generic', { code: String(err && err.message) });
}

/*
 * Boot a signed-in page: opts.page (name for the navigation), opts.allow(me)
 * (may this user use the page), opts.render(content, me).
 */
export async function boot(opts) {
  document.documentElement.lang = getLang();
  applyI18n(document);
  let data;
  try {
    data = await get('/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      const next = window.location.pathname.replace(/^\//, '') + window.location.search;
      window.location.replace(`index.html?next=${encodeURIComponent(next)}`);
      return;
    }
    header(null, opts.page);
    const c = $('#content');
    c.append(h('h1', { i18n: 'error.title' }), h('p', { text: errorText(e) }));
    return;
  }
  setCsrf(data.csrf_token);
  await loadLimits();
  const me = data.user;
  header(me, opts.page);
  const content = $('#content');
  if (opts.allow && !opts.allow(me, roles(me))) {
    content.append(h('h1', { i18n: 'error.noaccess.title' }), h('p', { i18n: 'error.noaccess' }),
      h('p', null, h('a', { href: homeOf(me), i18n: 'error.noaccess.home' })));
    return;
  }
  await opts.render(content, me);
}

/* ---- forms: fields, error summary, field errors ---- */

/* A labelled field: label, hint, error slot, control (aria-describedby). */
export function field({ id, label, hint, control, labelArgs, cls }) {
  control.id = id;
  const describedBy = [];
  const group = h('div', { class: `form-group ${cls || ''}`.trim(), 'data-field': id });
  group.append(h('label', { for: id, i18n: label, args: labelArgs }));
  if (hint) {
    group.append(h('span', { class: 'hint', id: `${id}-hint`, i18n: hint }));
    describedBy.push(`${id}-hint`);
  }
  group.append(h('p', { class: 'error-message', id: `${id}-error` }));
  describedBy.push(`${id}-error`);
  control.setAttribute('aria-describedby', describedBy.join(' '));
  group.append(control);
  return group;
}

export function clearErrors(form) {
  const old = form.querySelector('.error-summary');
  if (old) old.remove();
  form.querySelectorAll('.has-error').forEach((g) => g.classList.remove('has-error'));
  form.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
  /* Only the messages showErrors() wrote: a line a page keeps up to date
   * itself (why the send waits, a repeat's problem) is not the summary's. */
  form.querySelectorAll('.error-message[data-summary]').forEach((p) => {
    p.textContent = '';
    delete p.dataset.summary;
  });
}

/*
 * Show errors [{id, text}] (id: the control's id; null for errors about the
 * whole form): a summary at the top with links to the fields, and each
 * message next to its field. Focus moves to the summary, unless
 * opts.focus is false (the summary brought up to date while the user
 * fixes the fields: the focus stays where they type).
 */
export function showErrors(form, errors, opts = {}) {
  /* A summary being replaced that has the focus hands it on. */
  const before = form.querySelector('.error-summary');
  const keep = opts.focus === false && before && before.contains(document.activeElement);
  clearErrors(form);
  if (!errors.length) return;
  const list = h('ul');
  for (const e of errors) {
    const control = e.id ? document.getElementById(e.id) : null;
    if (control) {
      const link = h('a', { href: `#${e.id}`, text: e.text });
      link.addEventListener('click', (ev) => {
        ev.preventDefault();
        control.focus();
        control.scrollIntoView({ block: 'center' });
      });
      list.append(h('li', null, link));
      control.setAttribute('aria-invalid', 'true');
      const slot = document.getElementById(`${e.id}-error`);
      if (slot) {
        slot.textContent = e.text;
        slot.dataset.summary = '1';
        const group = slot.closest('.form-group');
        if (group) group.classList.add('has-error');
      }
    } else {
      list.append(h('li', { text: e.text }));
    }
  }
  /* Brought up to date while the user types, it is not announced again
   * and again: the field's own message says it. */
  const summary = h('div', { class: 'error-summary', role: opts.focus === false ? 'group' : 'alert', tabindex: '-1', 'aria-labelledby': 'error-summary-title' },
    h('h2', { id: 'error-summary-title', i18n: 'error.summary' }), list);
  form.prepend(summary);
  if (opts.focus !== false) summary.focus();
  else if (keep) summary.focus({ preventScroll: true });
}

/* An API error as a list for showErrors, the field mapped by fieldId(). */
export function apiErrors(err, fieldId) {
  const id = err instanceof ApiError && err.field ? fieldId(err.field) : null;
  return [{ id: id && document.getElementById(id) ? id : null, text: errorText(err) }];
}

/* Disable a button while a request runs, so a double click sends once. */
export async function busy(button, fn) {
  if (button.dataset.busy) return undefined;
  button.dataset.busy = '1';
  button.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    delete button.dataset.busy;
    button.removeAttribute('aria-busy');
  }
}

/* Polls fn every ms while the page is visible; returns a stop function. */
export function poll(fn, ms) {
  let timer = null;
  let stopped = false;
  const tick = async () => {
    timer = null;
    if (stopped || document.visibilityState !== 'visible') return;
    try {
      await fn();
    } finally {
      if (!stopped && document.visibilityState === 'visible') timer = window.setTimeout(tick, ms);
    }
  };
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && !timer && !stopped) tick();
  });
  timer = window.setTimeout(tick, ms);
  return () => {
    stopped = true;
    if (timer) window.clearTimeout(timer);
  };
}

/* The name of a placement state in words (with its colour class). */
export function stateBadge(state, vars) {
  return h('span', { class: `state state-${state}`, i18n: `state.${state}`, args: vars });
}

export const CATEGORIES = ['kasvu-oppiminen', 'ihmissuhteet', 'asuminen-turvallisuus', 'tyo-toiminta',
  'vapaa-aika-kulttuuri', 'toimiva-arki', 'toimeentulo', 'osallisuus', 'terveys-hyvinvointi', 'elintavat'];
