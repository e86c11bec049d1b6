/* page-items.js: "Omat ilmoitukset": the items of the user's organisations
 * with their state at each centre in words, the reason when sent back,
 * "live on N/M screens" (when the server reports it), edit and withdraw;
 * a repeating event's rule in words and its next times, each of which can
 * be cancelled (the screens then say "peruttu") and restored. */
import * as api from './api.js';
import { get, post, ApiError, isMissing } from './api.js';
import { h, clear } from './dom.js';
import { t, onLangChange, getLang } from './i18n.js';
import { boot, announce, errorText, poll, stateBadge, busy } from './app.js';
import { formatRange, formatDateTime } from './time.js';
import { recurrenceFacts } from './recurrence.js';

let centres = new Map();
let items = [];
let liveAvailable = true;
const live = new Map(); /* item id -> {centre id -> {live, total}} */
let listEl;

export function pickText(texts) {
  if (!texts) return null;
  return texts[getLang()] || texts.fi || Object.values(texts)[0] || null;
}

function needsAction(it) {
  return it.placements.some((p) => p.state === 'changes_requested' || p.state === 'rejected');
}

function liveText(itemId, centreId) {
  const m = live.get(itemId);
  const c = m && m[centreId];
  if (!c) return null;
  return `: ${t(c.total === 1 ? 'live.onOne' : 'live.on', { n: c.live, m: c.total })}`;
}

function placementRow(it, p) {
  const li = h('li');
  const name = centres.get(p.centre_id) || t('items.centre', { id: p.centre_id });
  li.append(h('strong', { text: `${name}: ` }), stateBadge(p.state));
  if (p.state === 'approved') {
    const lt = liveText(it.id, p.centre_id);
    li.append(h('span', { class: 'live-count', 'data-item': it.id, 'data-centre': p.centre_id, text: lt || '' }));
    if (p.display_until) li.append(h('div', { class: 'muted', i18n: 'items.shownUntil', args: { until: formatDateTime(p.display_until) } }));
  }
  if ((p.state === 'changes_requested' || p.state === 'rejected') && p.reason) {
    li.append(h('p', { class: 'reason' }, h('span', { i18n: 'items.reason' }), ' ', h('span', { class: 'user-text', text: p.reason })));
  }
  return li;
}

function withdrawControls(it) {
  const open = it.placements.filter((p) => ['submitted', 'approved', 'changes_requested'].includes(p.state));
  if (!open.length) return null;
  const wrap = h('div');
  const ask = h('button', { type: 'button', class: 'button secondary', i18n: 'items.withdraw' });
  const confirmBox = h('div', { class: 'panel', hidden: true, role: 'group', 'aria-labelledby': `wd-${it.id}` },
    h('p', { id: `wd-${it.id}`, i18n: 'items.withdraw.confirm' }));
  const yes = h('button', { type: 'button', class: 'button warning', i18n: 'items.withdraw.yes' });
  const no = h('button', { type: 'button', class: 'button secondary', i18n: 'items.withdraw.no' });
  confirmBox.append(h('div', { class: 'button-row' }, yes, no));
  ask.addEventListener('click', () => {
    confirmBox.hidden = false;
    ask.hidden = true;
    no.focus();
  });
  no.addEventListener('click', () => {
    confirmBox.hidden = true;
    ask.hidden = false;
    ask.focus();
  });
  yes.addEventListener('click', () => busy(yes, async () => {
    try {
      const updated = await post(`/items/${it.id}/withdraw`, {});
      Object.assign(it, updated);
      announce(t('items.withdrawn'));
      render();
    } catch (e) {
      confirmBox.append(h('p', { class: 'error-message', role: 'alert', text: errorText(e) }));
    }
  }));
  wrap.append(ask, confirmBox);
  return wrap;
}

/* The next times of a repeating event, each with "Peru tämä kerta" or,
 * once cancelled, "Palauta". A cancellation needs no new approval. */
function occurrenceControls(it) {
  const next = it.next_occurrences || [];
  const open = it.placements.some((p) => ['submitted', 'approved'].includes(p.state));
  if (!it.recurrence || !next.length || !open) return null;
  const titleId = `next-${it.id}`;
  const ul = h('ul', { class: 'occurrences', 'aria-labelledby': titleId });
  for (const o of next) {
    const when = formatRange(o.start, o.end);
    const btn = h('button', {
      type: 'button',
      class: 'button secondary',
      i18n: o.cancelled ? 'items.restore' : 'items.cancel',
      'data-date': o.date,
    });
    btn.setAttribute('aria-label', `${t(o.cancelled ? 'items.restore' : 'items.cancel')}: ${when}`);
    btn.addEventListener('click', () => busy(btn, async () => {
      try {
        const r = await post(`/items/${it.id}/${o.cancelled ? 'restore' : 'cancel'}-occurrence`, { date: o.date });
        it.next_occurrences = r.next_occurrences;
        it.cancelled = r.cancelled;
        announce(t(o.cancelled ? 'items.restore.done' : 'items.cancel.done', { date: when }));
        render();
        const again = document.querySelector(`[data-item-id="${it.id}"] button[data-date="${o.date}"]`);
        if (again) again.focus();
      } catch (e) {
        ul.append(h('li', { class: 'error-message', role: 'alert', text: errorText(e) }));
      }
    }));
    ul.append(h('li', { class: o.cancelled ? 'cancelled' : null },
      h('span', { text: when }), ' ',
      o.cancelled ? h('strong', { i18n: 'items.cancelled' }) : null, ' ', btn));
  }
  return h('div', { class: 'occurrence-box' },
    h('h3', { id: titleId, i18n: 'items.next' }),
    h('p', { class: 'muted', i18n: 'items.cancel.hint' }), ul);
}

function itemCard(it) {
  const text = pickText(it.texts) || {};
  const card = h('li', { class: 'card', 'data-item-id': it.id });
  card.append(h('h2', { class: 'user-text', text: text.title || '' }));
  const facts = h('dl', { class: 'facts' },
    h('dt', { i18n: 'items.kind' }), h('dd', { i18n: `kind.${it.kind}` }),
    h('dt', { i18n: 'items.category' }), h('dd', { i18n: `cat.${it.category}` }));
  if (it.kind === 'event') facts.append(h('dt', { i18n: it.recurrence ? 'items.first' : 'items.when' }), h('dd', { text: formatRange(it.starts_at, it.ends_at) }));
  const rf = recurrenceFacts(it, false); /* the next times are listed below */
  if (rf) facts.append(...rf);
  facts.append(h('dt', { i18n: 'items.until' }), h('dd', { text: formatDateTime(it.display_until) }),
    h('dt', { i18n: 'items.languages' }), h('dd', { text: Object.keys(it.texts || {}).map((l) => t(`lang.${l}`)).join(', ') }));
  card.append(facts);
  card.append(h('h3', { i18n: 'items.states' }));
  const ul = h('ul', { class: 'placements' });
  for (const p of it.placements) ul.append(placementRow(it, p));
  card.append(ul);
  const occ = occurrenceControls(it);
  if (occ) card.append(occ);
  const editable = it.placements.some((p) => p.state !== 'withdrawn' && p.state !== 'expired');
  const row = h('div', { class: 'button-row' });
  if (editable) {
    row.append(h('a', { class: 'button', href: `item.html?id=${it.id}`, i18n: 'items.edit', 'aria-describedby': `edit-note-${it.id}` }));
  }
  /* Any item, in any state, is the start of a new one. */
  const copy = h('a', { class: 'button secondary', href: `item.html?copy=${it.id}` }, h('span', { i18n: 'items.copy' }),
    h('span', { class: 'visually-hidden', text: `: ${text.title || ''}` }));
  row.append(copy);
  const wd = withdrawControls(it);
  card.append(row);
  if (editable) card.append(h('p', { class: 'muted', id: `edit-note-${it.id}`, i18n: 'items.edit.note' }));
  if (wd) card.append(wd);
  return card;
}

function render() {
  clear(listEl);
  if (!items.length) {
    listEl.append(h('p', { i18n: 'items.none' }));
    return;
  }
  const action = items.filter(needsAction);
  if (action.length) {
    listEl.append(h('div', { class: 'panel notice', role: 'note' },
      h('p', { i18n: action.length === 1 ? 'items.needAction.one' : 'items.needAction', args: { n: action.length } })));
  }
  const ul = h('ul', { class: 'card-list' });
  for (const it of [...action, ...items.filter((x) => !needsAction(x))]) ul.append(itemCard(it));
  listEl.append(ul);
}

async function refreshLive(announceChanges) {
  if (!liveAvailable) return;
  const approved = items.filter((it) => it.placements.some((p) => p.state === 'approved'));
  for (const it of approved) {
    try {
      const r = await get(`/items/${it.id}/live`);
      const m = {};
      for (const c of r.centres || []) m[c.centre_id] = { live: c.live, total: c.total };
      const before = JSON.stringify(live.get(it.id) || {});
      live.set(it.id, m);
      if (before !== JSON.stringify(m)) {
        document.querySelectorAll(`.live-count[data-item="${it.id}"]`).forEach((span) => {
          span.textContent = liveText(it.id, +span.dataset.centre) || '';
        });
        if (announceChanges && before !== '{}') announce(t('items.liveChanged'));
      }
    } catch (e) {
      if (isMissing(e)) {
        liveAvailable = false; /* the server does not report screens yet */
        return;
      }
    }
  }
}

/* Where a draft continues: its form key's page. */
function draftHref(form) {
  const m = /^item:(new|edit|copy)(?:-(\d+))?$/.exec(form);
  if (!m) return null;
  if (m[1] === 'new') return 'item.html';
  return m[1] === 'edit' ? `item.html?id=${m[2]}` : `item.html?copy=${m[2]}`;
}

async function draftList(el) {
  let list;
  try {
    list = (await get('/drafts')).drafts || [];
  } catch {
    return; /* no drafts on this server */
  }
  const mine = list.filter((d) => draftHref(d.form));
  clear(el);
  if (!mine.length) return;
  const ul = h('ul', { class: 'drafts' });
  for (const d of mine) {
    const name = d.title || t('drafts.untitled');
    const del = h('button', { type: 'button', class: 'linklike' }, h('span', { i18n: 'drafts.delete' }),
      h('span', { class: 'visually-hidden', text: `: ${name}` }));
    del.addEventListener('click', () => busy(del, async () => {
      try {
        await api.del(`/drafts/${d.id}`);
        announce(t('drafts.deleted', { title: name }));
        await draftList(el);
        const h2 = el.querySelector('h2');
        (h2 || document.getElementById('main')).focus();
      } catch (e) {
        el.append(h('p', { class: 'error-message', role: 'alert', text: errorText(e) }));
      }
    }));
    ul.append(h('li', null, h('a', { href: draftHref(d.form), class: 'user-text', text: name }), ' ',
      h('span', { class: 'muted', i18n: d.form === 'item:new' ? 'drafts.new' : /edit/.test(d.form) ? 'drafts.edit' : 'drafts.copy', args: { at: formatDateTime(d.updated_at) } }), ' ', del));
  }
  el.append(h('section', { class: 'panel', 'aria-labelledby': 'drafts-title' },
    h('h2', { id: 'drafts-title', tabindex: '-1', i18n: 'drafts.title' }), h('p', { i18n: 'drafts.lead' }), ul));
}

boot({
  page: 'items',
  allow: (me, r) => r.member || r.coordinator,
  render: async (content, me) => {
    content.append(h('h1', { i18n: 'items.title' }));
    if ((me.organisations || []).length) {
      content.append(h('div', { class: 'button-row' }, h('a', { class: 'button', href: 'item.html', i18n: 'items.new' })));
    }
    const saved = new URLSearchParams(window.location.search).get('saved');
    if (saved) content.append(h('div', { class: 'panel notice', role: 'status' }, h('p', { i18n: 'items.saved' })));
    /* Drafts not sent yet: continue or throw away. */
    const draftsEl = h('div');
    content.append(draftsEl);
    draftList(draftsEl);
    listEl = h('div');
    content.append(listEl);
    try {
      const [c, list] = await Promise.all([get('/centres'), get('/items?limit=200')]);
      centres = new Map((c.centres || []).map((x) => [x.id, x.name]));
      items = list.items || [];
    } catch (e) {
      listEl.append(h('p', { class: 'error-message', role: 'alert', text: errorText(e) }));
      return;
    }
    render();
    await refreshLive(false);
    onLangChange(render);
    poll(async () => {
      const list = await get('/items?limit=200').catch(() => null);
      /* Never redraw under the user's focus (or an open confirmation). */
      const busyHere = listEl.contains(document.activeElement) || listEl.querySelector('.panel:not([hidden]) .button.warning');
      if (list && !busyHere && JSON.stringify(list.items) !== JSON.stringify(items)) {
        items = list.items || [];
        render();
      }
      await refreshLive(true);
    }, 5000);
  },
});
