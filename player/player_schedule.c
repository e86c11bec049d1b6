/*
 * player_schedule.c: the loop of entries at an instant (see
 * player_schedule.h for the rules). Plain C: no SDL, no clock of its own.
 */
#include "player_schedule.h"

#include <stdio.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_log.h"

#define TAG "schedule"

/* Loop order: a group, then the item's index, its language's position and
 * the page. Agenda first, then cards; alerts, calm and closed stand alone. */
static uint64_t entry_key(enum player_entry_kind kind, int index,
                          size_t lang_pos, int page)
{
    return ((uint64_t)kind << 48) | ((uint64_t)(uint32_t)(index + 1) << 16) |
           ((uint64_t)lang_pos << 8) | (uint64_t)page;
}

const struct taulu_tz *player_schedule_tz(const struct taulu_manifest *m)
{
    const struct taulu_tz *tz = NULL;

    if (m && m->centre.timezone) {
        tz = taulu_tz_by_name(m->centre.timezone);
    }
    return tz ? tz : &taulu_tz_helsinki;
}

static void consider(int64_t *next, int64_t now, int64_t t)
{
    if (t != TAULU_NO_TIME && t > now && t < *next) {
        *next = t;
    }
}

/* Whether one of the intervals holds `now`, and the nearest interval start
 * or end after now (INT64_MAX if none within the coming week). */
static bool raw_open(const struct taulu_centre *c, const struct taulu_tz *tz,
                     int64_t now, int64_t *next)
{
    struct taulu_civil civ;
    int64_t today;
    bool open = false;
    int d;
    size_t i;

    *next = INT64_MAX;
    if (taulu_time_to_civil(now, tz, &civ) < 0) {
        return true;
    }
    today = taulu_days_from_civil(civ.year, civ.month, civ.day);
    /* Walk yesterday .. eight days ahead, turning each interval into
     * instants in local time (so a summer-time change moves nothing).
     * Yesterday matters for an interval that ends at 24:00. */
    for (d = -1; d <= 8; d++) {
        int64_t day = today + d;
        int y, mo, dd, y2, mo2, d2, wday;

        taulu_civil_from_days(day, &y, &mo, &dd);
        taulu_civil_from_days(day + 1, &y2, &mo2, &d2);
        /* 1970-01-01 was a Thursday (ISO weekday 4). */
        wday = (int)(((day % 7) + 7 + 3) % 7) + 1;
        for (i = 0; i < c->n_hours; i++) {
            const struct taulu_opening_interval *iv = &c->hours[i];
            int64_t a, b;
            int rc;

            if (iv->day != wday) {
                continue;
            }
            rc = taulu_time_from_civil(tz, y, mo, dd, iv->open_min / 60,
                                       iv->open_min % 60, 0, &a);
            if (rc == 0 && iv->close_min >= 1440) {
                rc = taulu_time_from_civil(tz, y2, mo2, d2, 0, 0, 0, &b);
            } else if (rc == 0) {
                rc = taulu_time_from_civil(tz, y, mo, dd, iv->close_min / 60,
                                           iv->close_min % 60, 0, &b);
            }
            if (rc < 0) {
                continue;
            }
            if (a <= now && now < b) {
                open = true;
            }
            consider(next, now, a);
            consider(next, now, b);
        }
    }
    return open;
}

bool player_schedule_is_open(const struct taulu_centre *c,
                             const struct taulu_tz *tz, int64_t now,
                             int64_t *next_boundary)
{
    int64_t next, probe;
    bool open;
    int guard;

    if (next_boundary) {
        *next_boundary = TAULU_NO_TIME;
    }
    /* No hours given: always open. Hours given for no day (format 2):
     * closed all week, which raw_open() says with no boundary. */
    if (taulu_centre_always_open(c)) {
        return true;
    }
    open = raw_open(c, tz, now, &next);
    if (!next_boundary) {
        return open;
    }
    /* Back-to-back intervals (8-12, 12-16, or Monday 20-24 and Tuesday
     * 0-8) are one opening: skip boundaries that do not change the state. */
    probe = next;
    for (guard = 0; probe != INT64_MAX && guard < 64; guard++) {
        int64_t after;

        if (raw_open(c, tz, probe, &after) != open) {
            *next_boundary = probe;
            return open;
        }
        probe = after;
    }
    return open;
}

/* Puts row r into rows[0..*n) sorted by start, keeping the `cap`
 * earliest; rows come in manifest and occurrence order, so equal starts
 * stay in that order. */
static void agenda_insert(struct player_agenda_row rows[], size_t *n,
                          size_t cap, const struct player_agenda_row *r)
{
    size_t j;

    if (cap == 0 || (*n == cap && rows[cap - 1].start <= r->start)) {
        return;
    }
    j = *n < cap ? (*n)++ : cap - 1;
    while (j > 0 && rows[j - 1].start > r->start) {
        rows[j] = rows[j - 1];
        j--;
    }
    rows[j] = *r;
}

size_t player_schedule_agenda(const struct taulu_manifest *m,
                              const struct taulu_tz *tz, int64_t now,
                              struct player_agenda_row rows[], size_t cap)
{
    int64_t horizon = taulu_time_day_start(now, tz);
    size_t i, j, n = 0;
    int k;

    /* The end of the sixth day after today, in local days (a summer-time
     * day has 23 or 25 hours, so step midnight by midnight). */
    for (k = 0; k < PLAYER_AGENDA_DAYS; k++) {
        horizon = taulu_time_next_midnight(horizon, tz);
    }
    for (i = 0; i < m->n_cards; i++) {
        const struct taulu_card *c = &m->cards[i];
        struct player_agenda_row r;

        if (!c->has_event || !taulu_card_is_current(c, now)) {
            continue;
        }
        if (!c->recur) {
            if (c->event.start < horizon) {
                r.card = (int)i;
                r.occurrence = 0;
                r.start = c->event.start;
                r.end = c->event.end;
                r.cancelled = false;
                agenda_insert(rows, &n, cap, &r);
            }
            continue;
        }
        for (j = 0; j < c->n_occurrences; j++) {
            const struct taulu_occurrence *o = &c->occurrences[j];

            if (o->start >= horizon) {
                break; /* in order */
            }
            if (o->end <= now) {
                continue;
            }
            r.card = (int)i;
            r.occurrence = (int)j;
            r.start = o->start;
            r.end = o->end;
            r.cancelled = o->cancelled;
            agenda_insert(rows, &n, cap, &r);
        }
    }
    return n;
}

/* FNV-1a over the words' inputs: which rows, which occurrence. */
static uint64_t stamp_mix(uint64_t h, uint64_t v)
{
    int b;

    for (b = 0; b < 8; b++) {
        h ^= (v >> (8 * b)) & 0xff;
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t agenda_stamp(const struct player_agenda_row *rows, size_t n)
{
    uint64_t h = 14695981039346656037ULL;
    size_t i;

    for (i = 0; i < n; i++) {
        h = stamp_mix(h, (uint64_t)(uint32_t)rows[i].card);
        h = stamp_mix(h, (uint64_t)(uint32_t)rows[i].occurrence);
        h = stamp_mix(h, rows[i].cancelled);
    }
    return h;
}

/* A recurring card's occurrence at now (+1, so that 0 stays "none"). */
static uint64_t card_stamp(const struct taulu_card *c, int64_t now)
{
    struct taulu_occurrence o;
    int k;

    if (!c->recur) {
        return 0;
    }
    k = taulu_card_occurrence(c, now, &o);
    return (uint64_t)(uint32_t)(k + 1);
}

/* The languages in effect: the override, else the centre's, else "fi". */
static void pick_languages(struct player_schedule *s,
                           const struct taulu_manifest *m,
                           const struct player_schedule_opts *o)
{
    size_t i;

    s->n_languages = 0;
    if (o && o->n_languages > 0) {
        for (i = 0; i < o->n_languages && i < PLAYER_MAX_LANGS; i++) {
            memcpy(s->languages[s->n_languages++], o->languages[i],
                   sizeof s->languages[0]);
        }
    } else {
        for (i = 0; i < m->centre.n_languages && i < PLAYER_MAX_LANGS; i++) {
            memcpy(s->languages[s->n_languages++], m->centre.languages[i],
                   sizeof s->languages[0]);
        }
    }
    if (s->n_languages == 0) {
        memcpy(s->languages[0], "fi", 3);
        s->n_languages = 1;
    }
}

/* Adds a slot's pages. Returns 0, or -1 when the loop is full. */
static int add_slot(struct player_schedule *s, const struct taulu_manifest *m,
                    const struct player_pager *pager,
                    enum player_entry_kind kind, int index, const char *lang,
                    size_t lang_pos, int64_t now, uint64_t stamp)
{
    unsigned dwell[PLAYER_MAX_PAGES];
    struct player_entry slot;
    int n, p;

    memset(&slot, 0, sizeof slot);
    slot.kind = kind;
    slot.index = index;
    snprintf(slot.lang, sizeof slot.lang, "%s", lang);
    slot.n_pages = 1;
    n = pager->pages(pager->ctx, m, s->tz, &slot, now, dwell, PLAYER_MAX_PAGES);
    if (n < 0) {
        return 0; /* the pager logged why; the rest of the loop goes on */
    }
    if (n == 0) {
        n = 1;
        dwell[0] = 0;
    }
    for (p = 0; p < n; p++) {
        struct player_entry *e;

        if (s->n >= PLAYER_MAX_ENTRIES) {
            s->truncated = true;
            return -1;
        }
        e = &s->entries[s->n++];
        *e = slot;
        e->page = p;
        e->n_pages = n;
        e->dwell_ms = dwell[p];
        e->key = entry_key(kind, index, lang_pos, p);
        e->stamp = stamp;
    }
    return 0;
}

/* Adds an item in each language in effect that it has; an item with none
 * of them in its first version. `has` tells whether version `lang` exists;
 * `first` is the first version's language. */
static int add_item(struct player_schedule *s, const struct taulu_manifest *m,
                    const struct player_pager *pager,
                    enum player_entry_kind kind, int index, int64_t now)
{
    const char *first;
    size_t l, shown = 0;
    uint64_t stamp =
        kind == PLAYER_ENTRY_CARD ? card_stamp(&m->cards[index], now) : 0;

    for (l = 0; l < s->n_languages; l++) {
        const char *lang = s->languages[l];
        bool has;

        if (kind == PLAYER_ENTRY_ALERT) {
            has = taulu_alert_version_for(&m->alerts[index], lang) != NULL;
        } else {
            has = taulu_card_version_for(&m->cards[index], lang) != NULL;
        }
        if (!has) {
            continue;
        }
        shown++;
        if (add_slot(s, m, pager, kind, index, lang, l, now, stamp) < 0) {
            return -1;
        }
    }
    if (shown > 0) {
        return 0;
    }
    if (kind == PLAYER_ENTRY_ALERT) {
        first = m->alerts[index].n_versions ? m->alerts[index].versions[0].lang
                                            : NULL;
    } else {
        first = m->cards[index].n_versions ? m->cards[index].versions[0].lang
                                           : NULL;
    }
    if (!first) {
        return 0;
    }
    return add_slot(s, m, pager, kind, index, first, PLAYER_MAX_LANGS, now,
                    stamp);
}

size_t player_rotation_window(const unsigned item_ms[], size_t n, size_t start,
                              unsigned room_ms, unsigned *sum_ms)
{
    uint64_t sum = 0;
    size_t k = 0;

    *sum_ms = 0;
    if (n == 0 || start >= n) {
        return 0;
    }
    while (k < n) {
        unsigned d = item_ms[(start + k) % n];

        if (k > 0 && sum + d > room_ms) {
            break;
        }
        sum += d;
        k++;
    }
    *sum_ms = sum > UINT32_MAX ? UINT32_MAX : (unsigned)sum;
    return k;
}

static void reverse_entries(struct player_entry *e, size_t a, size_t b)
{
    while (a + 1 < b) {
        struct player_entry t = e[a];

        e[a] = e[b - 1];
        e[b - 1] = t;
        a++;
        b--;
    }
}

static unsigned add_ms(unsigned a, unsigned b)
{
    return b > UINT32_MAX - a ? UINT32_MAX : a + b;
}

/* Holds the loop to the budget: when the agenda and the cards take longer,
 * keeps the agenda and the window of the cards that starts at `rot_from`
 * (see player_schedule.h), in that order, keyed so that the loop's order
 * is the window's (a window that wraps round shows its last cards of the
 * manifest first). The cards' entries are contiguous, card by card, after
 * the agenda's (compute() adds them so). */
static void apply_budget(struct player_schedule *s,
                         const struct taulu_manifest *m, int rot_from)
{
    unsigned item_ms[TAULU_MANIFEST_MAX_CARDS];
    size_t item_first[TAULU_MANIFEST_MAX_CARDS + 1];
    int item_card[TAULU_MANIFEST_MAX_CARDS];
    size_t n_items = 0, first_card = s->n, i, start = 0, k, from, to;
    unsigned fixed_ms = 0, cards_ms = 0, room, win_ms;
    uint64_t span;

    s->budget_ms = (unsigned)(m->centre.loop_s > 0 ? m->centre.loop_s
                                                   : TAULU_LOOP_DEFAULT_S) *
                   1000u;
    for (i = 0; i < s->n; i++) {
        const struct player_entry *e = &s->entries[i];

        if (e->kind != PLAYER_ENTRY_CARD) {
            fixed_ms = add_ms(fixed_ms, e->dwell_ms);
            continue;
        }
        if (first_card == s->n) {
            first_card = i;
        }
        if (n_items == 0 || item_card[n_items - 1] != e->index) {
            if (n_items == TAULU_MANIFEST_MAX_CARDS) {
                break; /* cannot be: a manifest has no more cards */
            }
            item_card[n_items] = e->index;
            item_first[n_items] = i;
            item_ms[n_items] = 0;
            n_items++;
        }
        item_ms[n_items - 1] = add_ms(item_ms[n_items - 1], e->dwell_ms);
        cards_ms = add_ms(cards_ms, e->dwell_ms);
    }
    item_first[n_items] = s->n;
    s->all_ms = add_ms(fixed_ms, cards_ms);
    s->loop_ms = s->all_ms;
    s->n_window = n_items;
    s->rot_next = 0;
    if (s->all_ms <= s->budget_ms || n_items <= 1) {
        return;
    }
    for (i = 0; i < n_items; i++) {
        if (item_card[i] >= rot_from) {
            start = i;
            break;
        }
    }
    room = s->budget_ms > fixed_ms ? s->budget_ms - fixed_ms : 0;
    k = player_rotation_window(item_ms, n_items, start, room, &win_ms);
    if (k >= n_items) {
        return;
    }
    s->rotating = true;
    s->n_turns = n_items;
    s->n_window = k;
    s->loop_ms = add_ms(fixed_ms, win_ms);
    s->rot_next = item_card[(start + k) % n_items];
    /* The card segment turned so that the window's first card leads, then
     * cut after the window. */
    from = item_first[start];
    to = s->n;
    if (from > first_card) {
        reverse_entries(s->entries, first_card, from);
        reverse_entries(s->entries, from, to);
        reverse_entries(s->entries, first_card, to);
    }
    span = 0;
    for (i = 0; i < k; i++) {
        size_t j = (start + i) % n_items;

        span += item_first[j + 1] - item_first[j];
    }
    s->n = first_card + (size_t)span;
    /* Keys in the window's order: a card's place counted from the
     * window's first card, round the manifest. */
    for (i = first_card; i < s->n; i++) {
        struct player_entry *e = &s->entries[i];
        uint64_t rel =
            (uint64_t)((e->index - item_card[start] + (int)m->n_cards) %
                       (int)m->n_cards);

        e->key = (e->key & ~(0xffffffffULL << 16)) | ((rel + 1) << 16);
    }
}

int player_schedule_compute(struct player_schedule *s,
                            const struct taulu_manifest *m,
                            const struct player_schedule_opts *opts,
                            const struct player_pager *pager, int64_t now)
{
    enum player_closed_cfg closed;
    int64_t next = INT64_MAX, boundary = TAULU_NO_TIME;
    bool still;
    size_t i, l;
    struct player_agenda_row agenda[PLAYER_AGENDA_MAX_ROWS];

    if (!s || !m || !pager || !pager->pages) {
        return TAULU_EINVAL;
    }
    s->n = 0;
    s->dark = false;
    s->alerts = false;
    s->truncated = false;
    s->n_cards = 0;
    s->budget_ms = 0;
    s->loop_ms = 0;
    s->all_ms = 0;
    s->n_turns = 0;
    s->n_window = 0;
    s->rotating = false;
    s->rot_next = 0;
    s->n_events = 0;
    s->computed_at = now;
    s->next_open = TAULU_NO_TIME;
    s->tz = player_schedule_tz(m);
    s->clock_ok =
        m->built_at == TAULU_NO_TIME ||
        (now >= m->built_at && now - m->built_at <= TAULU_MAX_AHEAD_S);
    s->clock_wrong =
        m->built_at != TAULU_NO_TIME &&
        (now < m->built_at - PLAYER_CLOCK_BEHIND_S ||
         (now > m->built_at && now - m->built_at > TAULU_MAX_AHEAD_S));
    pick_languages(s, m, opts);
    if (s->clock_wrong) {
        /* Nothing can be dated by this clock: one still card that says so
         * (so that someone fixes it), looked at again every minute in case
         * the clock is set right meanwhile. */
        s->open = true;
        s->next_change = now + 60;
        add_slot(s, m, pager, PLAYER_ENTRY_CLOCK, -1, s->languages[0], 0, now,
                 0);
        s->entries[0].dwell_ms = 0;
        taulu_warn(TAG,
                   "the clock (%lld) is not plausible for a manifest built "
                   "at %lld: showing the clock card",
                   (long long)now, (long long)m->built_at);
        return 0;
    }

    /* Every instant at which the answer can change. */
    consider(&next, now, taulu_time_next_midnight(now, s->tz));
    for (i = 0; i < m->n_cards; i++) {
        const struct taulu_card *c = &m->cards[i];

        consider(&next, now, c->display_from);
        consider(&next, now, c->display_until);
        if (c->has_event) {
            struct taulu_occurrence o;
            consider(&next, now, c->event.end);
            /* a recurring card moves on to its next occurrence */
            if (c->recur && taulu_card_occurrence(c, now, &o) >= 0) {
                consider(&next, now, o.end);
            }
        }
    }
    for (i = 0; i < m->n_alerts; i++) {
        consider(&next, now, m->alerts[i].from);
        consider(&next, now, m->alerts[i].until);
    }

    closed = opts ? opts->closed : PLAYER_CLOSED_MANIFEST;
    if (closed == PLAYER_CLOSED_MANIFEST) {
        closed = m->centre.closed_behaviour == TAULU_CLOSED_STILL
                     ? PLAYER_CLOSED_STILL
                     : PLAYER_CLOSED_DARK;
    }
    s->open = closed == PLAYER_CLOSED_IGNORE ||
              player_schedule_is_open(&m->centre, s->tz, now, &boundary);
    if (closed != PLAYER_CLOSED_IGNORE) {
        consider(&next, now, boundary);
    }
    s->next_change = next == INT64_MAX ? TAULU_NO_TIME : next;

    if (!s->open && closed == PLAYER_CLOSED_DARK) {
        /* Dark means dark: the centre is closed and nobody reads it.
         * (When it opens is still known: the display's power comes on
         * before that, player_show.c.) */
        s->dark = true;
        s->next_open = boundary;
        return 0;
    }
    still = !s->open;
    if (still) {
        s->next_open = boundary;
    }

    for (i = 0; i < m->n_alerts; i++) {
        if (taulu_alert_is_current(&m->alerts[i], now) &&
            add_item(s, m, pager, PLAYER_ENTRY_ALERT, (int)i, now) < 0) {
            break;
        }
    }
    if (s->n > 0) {
        s->alerts = true;
        goto out;
    }
    if (still) {
        add_slot(s, m, pager, PLAYER_ENTRY_CLOSED, -1, s->languages[0], 0, now,
                 0);
        s->entries[0].dwell_ms = 0;
        goto out;
    }

    s->n_events =
        player_schedule_agenda(m, s->tz, now, agenda, PLAYER_AGENDA_MAX_ROWS);
    if (s->n_events > 0) {
        for (l = 0; l < s->n_languages; l++) {
            if (add_slot(s, m, pager, PLAYER_ENTRY_AGENDA, -1, s->languages[l],
                         l, now, agenda_stamp(agenda, s->n_events)) < 0) {
                goto out;
            }
        }
    }
    for (i = 0; i < m->n_cards; i++) {
        if (!taulu_card_is_current(&m->cards[i], now)) {
            continue;
        }
        s->n_cards++;
        if (add_item(s, m, pager, PLAYER_ENTRY_CARD, (int)i, now) < 0) {
            break;
        }
    }
    apply_budget(s, m, opts ? opts->rot_from : 0);
    if (s->n == 0) {
        add_slot(s, m, pager, PLAYER_ENTRY_CALM, -1, s->languages[0], 0, now,
                 0);
        s->entries[0].dwell_ms = 0;
    }
out:
    if (s->truncated) {
        taulu_warn(TAG, "more than %d pages in the loop; the rest is left out",
                   PLAYER_MAX_ENTRIES);
    }
    return 0;
}

int player_schedule_next(const struct player_schedule *s, bool have_last,
                         uint64_t last_key)
{
    size_t i;

    if (s->n == 0) {
        return -1;
    }
    if (have_last) {
        for (i = 0; i < s->n; i++) {
            if (s->entries[i].key > last_key) {
                return (int)i;
            }
        }
    }
    return 0;
}

int player_schedule_find(const struct player_schedule *s, uint64_t key)
{
    size_t i;

    for (i = 0; i < s->n; i++) {
        if (s->entries[i].key == key) {
            return (int)i;
        }
    }
    return -1;
}
