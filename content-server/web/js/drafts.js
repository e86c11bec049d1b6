/* drafts.js: a form that keeps what is typed into it. While the user
 * types, the form's state is saved on the server as their draft (POST
 * /api/v1/drafts, debounced) and a status line says when ("Luonnos
 * tallennettu klo 14.32"); coming back to the form restores it, with a
 * way to throw it away; leaving with changes not sent asks first (the
 * browser's own question when the newest changes are not saved yet, and
 * the page's own dialog for links inside the UI). A server without the
 * drafts route keeps the leave warning and shows no status. */
import { get, post, del, isMissing } from './api.js';
import { h, clear } from './dom.js';
import { t, getLang } from './i18n.js';
import { parts, formatDateTime } from './time.js';

export const SAVE_DELAY_MS = 1200;
const pad = (n) => String(n).padStart(2, '0');

/* "14.32" (fi, sv), "14:32" (en), Helsinki time. */
function clockOf(ms) {
  const p = parts(ms);
  return getLang() === 'en' ? `${pad(p.h)}:${pad(p.mi)}` : `${p.h}.${pad(p.mi)}`;
}

/* The dialog asked when a link would leave the form: resolves true to
 * leave, false to stay. */
function askToLeave(saved) {
  return new Promise((resolve) => {
    const stay = h('button', { type: 'button', class: 'button', i18n: 'leave.stay' });
    const go = h('button', { type: 'button', class: 'button secondary', i18n: 'leave.go' });
    const dlg = h('dialog', { class: 'leave-dialog', 'aria-labelledby': 'leave-title', 'aria-describedby': 'leave-text' },
      h('h2', { id: 'leave-title', i18n: 'leave.title' }),
      h('p', { id: 'leave-text', i18n: saved ? 'leave.saved' : 'leave.unsaved' }),
      h('div', { class: 'button-row' }, stay, go));
    const done = (v) => {
      dlg.close();
      dlg.remove();
      resolve(v);
    };
    stay.addEventListener('click', () => done(false));
    go.addEventListener('click', () => done(true));
    dlg.addEventListener('cancel', (ev) => {
      ev.preventDefault();
      done(false);
    });
    document.body.append(dlg);
    dlg.showModal();
    stay.focus();
  });
}

/*
 * opts: form (the element whose input and change events mean "changed"),
 * key (the form's draft key, "item:new"), snapshot() (the state, a plain
 * object), restore(state), title() (a line for the list of drafts),
 * version (the item version being edited, or null).
 */
export async function fetchDraft(key) {
  let list;
  try {
    list = await get(`/drafts?form=${encodeURIComponent(key)}`);
  } catch (e) {
    return { draft: null, unavailable: isMissing(e) };
  }
  const first = (list.drafts || [])[0];
  if (!first) return { draft: null };
  try {
    return { draft: await get(`/drafts/${first.id}`) };
  } catch {
    return { draft: null };
  }
}

export function draftKeeper(opts) {
  const status = h('p', { class: 'draft-status', id: 'draft-status', role: 'status' });
  const notice = h('div', { class: 'panel notice', id: 'draft-notice', hidden: true });
  let available = true;
  let baseline = null; /* JSON of the form as it was loaded */
  let saved = null; /* JSON of the last state the server has */
  let draftId = null;
  let timer = null;
  let saving = null;
  let armed = true;
  let started = false;

  const now = () => JSON.stringify(opts.snapshot());
  const dirty = () => started && now() !== baseline;
  const unsaved = () => dirty() && now() !== saved;

  function say(key, args) {
    const text = key ? t(key, args) : '';
    if (status.textContent !== text) status.textContent = text;
    if (key) {
      status.dataset.i18n = key;
      status.dataset.i18nArgs = JSON.stringify(args || {});
    } else {
      delete status.dataset.i18n;
    }
  }

  async function save() {
    window.clearTimeout(timer);
    timer = null;
    if (!available || !armed) return;
    const state = now();
    if (state === saved || (draftId === null && state === baseline)) return;
    const body = { form: opts.key, title: (opts.title() || '').slice(0, 120), content: { v: 1, version: opts.version, state: JSON.parse(state) } };
    saving = (async () => {
      try {
        const r = await post('/drafts', body);
        draftId = r.id;
        saved = state;
        say('draft.saved', { time: clockOf(Date.parse(r.updated_at) || Date.now()) });
      } catch (e) {
        if (isMissing(e)) {
          available = false;
          say(null);
          return;
        }
        say('draft.failed');
      }
    })();
    await saving;
    saving = null;
  }

  function changed() {
    if (!started) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, SAVE_DELAY_MS);
  }

  function showNotice(key, args, buttons) {
    clear(notice);
    notice.append(h('p', { i18n: key, args, tabindex: '-1' }), h('div', { class: 'button-row' }, ...buttons));
    notice.hidden = false;
  }

  async function discard() {
    window.clearTimeout(timer);
    if (saving) await saving;
    if (draftId !== null) {
      try {
        await del(`/drafts/${draftId}`);
      } catch {
        /* gone already, or the server is away: nothing to keep */
      }
    }
    draftId = null;
    saved = null;
  }

  /* The draft of this form (fetchDraft()'s answer), if there is one:
   * restored at once when it is of the version on the form (or of a new
   * item); when the item has been edited since, offered. Call before
   * start(), with the form filled, before the user can type into it. */
  function restoreIfAny(found) {
    if (found && found.unavailable) available = false;
    const d = found && found.draft;
    if (!d) return false;
    draftId = d.id;
    const c = d.content || {};
    const when = formatDateTime(d.updated_at);
    const throwAway = h('button', { type: 'button', class: 'button secondary', i18n: 'draft.discard' });
    throwAway.addEventListener('click', async () => {
      await discard();
      armed = false;
      window.location.reload();
    });
    if (!c.state) return false;
    if ((c.version ?? null) === (opts.version ?? null)) {
      opts.restore(c.state);
      saved = JSON.stringify(opts.snapshot());
      showNotice('draft.restored', { when }, [throwAway]);
      say('draft.saved', { time: clockOf(Date.parse(d.updated_at)) });
      return true;
    }
    const use = h('button', { type: 'button', class: 'button', i18n: 'draft.use' });
    use.addEventListener('click', () => {
      opts.restore(c.state);
      saved = JSON.stringify(opts.snapshot());
      showNotice('draft.restored', { when }, [throwAway]);
      notice.querySelector('p').focus();
    });
    showNotice('draft.outdated', { when }, [use, throwAway]);
    return false;
  }

  /* From now on changes count; `base` is the form as loaded (before a
   * draft was restored onto it). */
  function start(base) {
    baseline = base;
    if (saved === null && draftId === null) saved = base;
    started = true;
    opts.form.addEventListener('input', changed);
    opts.form.addEventListener('change', changed);
  }

  window.addEventListener('beforeunload', (ev) => {
    if (armed && unsaved()) {
      ev.preventDefault();
      ev.returnValue = '';
    }
  });
  document.addEventListener('click', async (ev) => {
    const a = ev.target.closest && ev.target.closest('a[href]');
    if (!a || !armed || !dirty() || ev.defaultPrevented || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || a.target) return;
    const url = new URL(a.href, window.location.href);
    if (url.origin !== window.location.origin || (url.pathname === window.location.pathname && url.search === window.location.search)) return;
    ev.preventDefault();
    const wasSaved = available && !unsaved();
    if (!(await askToLeave(wasSaved))) {
      a.focus();
      return;
    }
    if (unsaved()) await save();
    armed = false;
    window.location.assign(url.href);
  }, true);

  return {
    status,
    notice,
    start,
    restoreIfAny,
    changed,
    save,
    discard,
    /* After sending: nothing to warn about or keep. */
    disarm() {
      armed = false;
      window.clearTimeout(timer);
    },
    dirty,
    unsaved,
  };
}
