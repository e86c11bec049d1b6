/*
 * player_show.c: the player's show state machine: which entry is up, what
 * comes next and when, as actions for the SDL side (see player_show.h).
 */
#include "player_show.h"

#include <stdio.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_time.h"

#define TAG "show"

static int64_t wall_s(struct player_show_now now)
{
    return now.wall_ms >= 0 ? now.wall_ms / 1000
                            : -((-now.wall_ms + 999) / 1000);
}

static int64_t minute_of(struct player_show_now now)
{
    return now.wall_ms / 60000;
}

static int64_t min64(int64_t x, int64_t y)
{
    return x < y ? x : y;
}

/* Appends an action; the list has room for every sequence one call makes
 * (at most a fade step, a fade's end, a change and the clock). */
static struct player_show_act *push(struct player_show_acts *out,
                                    enum player_act_kind kind)
{
    struct player_show_act *a;

    if (out->n >= PLAYER_SHOW_MAX_ACTS) {
        taulu_err(TAG, "action list full; %d dropped", (int)kind);
        return NULL;
    }
    a = &out->v[out->n++];
    memset(a, 0, sizeof *a);
    a->kind = kind;
    return a;
}

static void set_header(struct player_show *s, const char *lang, size_t pos,
                       size_t total, struct player_show_now now)
{
    if (lang) {
        snprintf(s->header.lang, sizeof s->header.lang, "%s", lang);
    }
    s->header.pos = pos;
    s->header.total = total;
    s->header.minute = minute_of(now);
}

void player_show_init(struct player_show *s, const struct player_show_opts *o,
                      const struct player_pager *pager,
                      const struct player_pager *quick)
{
    memset(s, 0, sizeof *s);
    s->opts = *o;
    s->pager = *pager;
    s->quick = *quick;
    s->state = PLAYER_SHOW_BLANK;
    s->sched.clock_ok = true;
    s->pos = 0;
    s->header.minute = INT64_MIN;
}

void player_show_set_opts(struct player_show *s,
                          const struct player_show_opts *o)
{
    s->opts = *o;
}

/* The schedule at `now`. Before the first frame (quick_first) every slot
 * counts as one page, so no fonts are needed: laying out the whole loop
 * waits until the first card is on screen (player_show_relayout()). */
static void recompute(struct player_show *s, struct player_show_now now)
{
    int64_t t = wall_s(now);
    bool was_ok = s->sched.clock_ok;

    struct player_schedule_opts o = s->opts.sched;

    s->quick_paged = s->opts.quick_first && !s->first_frame;
    o.rot_from = s->rot_from;
    player_schedule_compute(&s->sched, s->m, &o,
                            s->quick_paged ? &s->quick : &s->pager, t);
    s->day = taulu_time_day_start(t, s->sched.tz);
    if (!s->sched.clock_ok && was_ok) {
        char a[TAULU_ISO_LEN], b[TAULU_ISO_LEN];

        taulu_time_format_iso(t, a);
        taulu_time_format_iso(s->m->built_at, b);
        taulu_warn(TAG,
                   "the clock is wrong: %s is before the manifest was "
                   "built (%s)",
                   a, b);
    }
}

static void end_fade(struct player_show *s, struct player_show_acts *out)
{
    if (s->state == PLAYER_SHOW_FADING) {
        s->state = PLAYER_SHOW_ENTRY;
        push(out, PLAYER_ACT_END_FADE);
    }
}

static void go_dark(struct player_show *s, struct player_show_acts *out)
{
    end_fade(s, out);
    if (s->state == PLAYER_SHOW_DARK) {
        return;
    }
    s->state = PLAYER_SHOW_DARK;
    s->have_shown = false;
    s->dwell_ms = 0;
    push(out, PLAYER_ACT_DARK);
    taulu_info(TAG, "outside opening hours: dark");
    if (s->opts.power && !s->power_off) {
        s->power_off = true;
        push(out, PLAYER_ACT_POWER_OFF);
    }
}

/* The display on again, if it was turned off. */
static void power_on(struct player_show *s, struct player_show_acts *out)
{
    if (s->power_off) {
        s->power_off = false;
        push(out, PLAYER_ACT_POWER_ON);
    }
}

/* When the display is to be turned on while dark: power_lead_s before
 * the next opening; TAULU_NO_TIME when nothing is to be done. */
static int64_t power_on_at(const struct player_show *s)
{
    if (!s->power_off || s->state != PLAYER_SHOW_DARK ||
        s->sched.next_open == TAULU_NO_TIME) {
        return TAULU_NO_TIME;
    }
    return s->sched.next_open - (int64_t)s->opts.power_lead_s;
}

/* Entry `pos` comes up, with a cross-fade when `fade` and there is a
 * picture to fade from. With nothing on screen (the first card, after
 * dark, after the textures were made again) it is drawn in place: no
 * fade, and no second texture. */
static void show_entry(struct player_show *s, int pos, bool fade,
                       struct player_show_now now, struct player_show_acts *out)
{
    struct player_show_act *a;
    bool in_place;

    end_fade(s, out);
    power_on(s, out);
    in_place = !s->picture || s->state == PLAYER_SHOW_DARK;
    a = push(out, PLAYER_ACT_ENTRY);
    if (!a) {
        return;
    }
    a->pos = pos < 0 ? 0 : pos;
    a->in_place = in_place;
    a->fade = fade && !in_place && s->opts.fade_ms > 0;
    if (a->fade) {
        a->alpha = (int)(256 * PLAYER_SHOW_FRAME_MS / s->opts.fade_ms);
    }
    s->want_fade = a->fade;
    /* the entry brings its own header: no clock redraw before it */
    s->header.minute = minute_of(now);
}

/* The next entry of the loop (the dwell ran out, or the loop changed). */
static void advance(struct player_show *s, struct player_show_now now,
                    struct player_show_acts *out)
{
    int pos;

    recompute(s, now);
    if (s->sched.dark) {
        go_dark(s, out);
        return;
    }
    pos = player_schedule_next(
        &s->sched, s->have_shown && s->state != PLAYER_SHOW_DARK, s->shown.key);
    if (pos >= 0 && s->sched.rotating && s->have_shown &&
        s->sched.entries[pos].key <= s->shown.key) {
        /* The loop is round: the next window of the cards taking turns. */
        s->rot_from = s->sched.rot_next;
        recompute(s, now);
        pos = s->sched.dark ? -1 : player_schedule_next(&s->sched, false, 0);
    }
    if (pos < 0) {
        go_dark(s, out);
        return;
    }
    show_entry(s, pos, true, now, out);
}

/* A boundary passed (display window, event end, alert, midnight, opening
 * hours): the schedule again, and a change at once if the entry up is no
 * longer in it; after midnight it is drawn again with today's words. */
static void boundary(struct player_show *s, struct player_show_now now,
                     struct player_show_acts *out)
{
    int64_t old_day = s->day;
    struct player_show_act *a;
    int pos;

    recompute(s, now);
    if (s->sched.dark) {
        go_dark(s, out);
        return;
    }
    if (s->state == PLAYER_SHOW_DARK || !s->have_shown) {
        show_entry(s, 0, s->state != PLAYER_SHOW_DARK, now, out);
        return;
    }
    pos = player_schedule_find(&s->sched, s->shown.key);
    if (pos < 0) {
        show_entry(s, player_schedule_next(&s->sched, true, s->shown.key), true,
                   now, out);
        return;
    }
    s->pos = pos;
    if (s->day != old_day || s->sched.entries[pos].stamp != s->shown.stamp) {
        /* "Huomenna" -> "Tänään", or a recurring event's occurrence that
         * ended (the card shows the next one, the agenda loses its row):
         * the same card with new words */
        end_fade(s, out);
        s->shown = s->sched.entries[pos];
        a = push(out, PLAYER_ACT_RELABEL);
        if (a) {
            a->pos = pos;
        }
        set_header(s, s->shown.lang, (size_t)pos + 1, s->sched.n, now);
    }
}

static void loading_card(struct player_show *s, struct player_show_now now,
                         struct player_show_acts *out)
{
    end_fade(s, out);
    power_on(s, out);
    s->state = PLAYER_SHOW_LOADING;
    s->picture = true;
    s->loading_drawn_ms = now.mono_ms;
    s->loading_dirty = false;
    set_header(s, s->opts.loading_lang, 0, 0, now);
    push(out, PLAYER_ACT_LOADING);
}

int player_show_start(struct player_show *s, const struct taulu_manifest *m,
                      const struct taulu_manifest *old,
                      struct player_show_now now, struct player_show_acts *out)
{
    size_t i, j;
    int pos = 0;

    if (!m) {
        return TAULU_EINVAL;
    }
    s->m = m;
    /* A card new against `old` leads the window when the cards take
     * turns, so that it comes up at once like any new card. */
    for (i = 0; old && i < m->n_cards; i++) {
        bool known = false;

        for (j = 0; j < old->n_cards && !known; j++) {
            known = strcmp(old->cards[j].id, m->cards[i].id) == 0;
        }
        if (!known && taulu_card_is_current(&m->cards[i], wall_s(now))) {
            s->rot_from = (int)i;
            break;
        }
    }
    recompute(s, now);
    if (s->sched.dark) {
        go_dark(s, out);
        return 0;
    }
    for (i = 0; old && i < s->sched.n && pos == 0; i++) {
        const struct player_entry *e = &s->sched.entries[i];
        bool known = false;

        if (e->kind != PLAYER_ENTRY_CARD) {
            continue;
        }
        for (j = 0; j < old->n_cards; j++) {
            if (strcmp(old->cards[j].id, m->cards[e->index].id) == 0) {
                known = true;
                break;
            }
        }
        if (!known) {
            pos = (int)i;
        }
    }
    show_entry(s, pos, true, now, out);
    return 0;
}

int player_show_start_loading(struct player_show *s,
                              enum player_loading_state state,
                              struct player_show_now now,
                              struct player_show_acts *out)
{
    s->loading = state;
    loading_card(s, now, out);
    return 0;
}

int player_show_restart(struct player_show *s, struct player_show_now now,
                        struct player_show_acts *out)
{
    if (!s->m) {
        loading_card(s, now, out);
        return 0;
    }
    s->have_shown = false;
    advance(s, now, out);
    return 0;
}

int player_show_tick(struct player_show *s, struct player_show_now now,
                     struct player_show_acts *out)
{
    if (s->state == PLAYER_SHOW_FADING) {
        int64_t t = now.mono_ms - s->fade_start_ms;

        if (t >= (int64_t)s->opts.fade_ms) {
            end_fade(s, out);
        } else if (now.mono_ms - s->fade_last_ms >= PLAYER_SHOW_FRAME_MS) {
            struct player_show_act *a = push(out, PLAYER_ACT_FADE_STEP);

            s->fade_last_ms = now.mono_ms;
            if (a) {
                a->alpha = (int)(256 * t / (int64_t)s->opts.fade_ms);
            }
        }
    }
    if (s->state == PLAYER_SHOW_IDENTIFY) {
        if (now.mono_ms < s->identify_until_ms) {
            return 0;
        }
        s->state = PLAYER_SHOW_ENTRY;
        if (s->m) {
            advance(s, now, out);
        } else {
            loading_card(s, now, out);
        }
        return 0;
    }
    if (!s->m) {
        if ((s->loading_dirty &&
             now.mono_ms - s->loading_drawn_ms >= PLAYER_SHOW_LOADING_MS) ||
            minute_of(now) != s->header.minute) {
            loading_card(s, now, out);
        }
        return 0;
    }
    if (power_on_at(s) != TAULU_NO_TIME && wall_s(now) >= power_on_at(s)) {
        /* still dark, the opening near: the display wakes up first */
        power_on(s, out);
    }
    if (s->sched.next_change != TAULU_NO_TIME &&
        wall_s(now) >= s->sched.next_change) {
        boundary(s, now, out);
    } else if (s->have_shown && s->dwell_ms > 0 &&
               s->state != PLAYER_SHOW_DARK &&
               now.mono_ms - s->shown_ms >= (int64_t)s->dwell_ms) {
        advance(s, now, out);
    }
    if (s->state != PLAYER_SHOW_DARK && s->state != PLAYER_SHOW_FADING &&
        minute_of(now) != s->header.minute) {
        /* the clock: HH.MM, once a minute, never seconds */
        set_header(s, NULL, (size_t)s->pos + 1, s->sched.n, now);
        push(out, PLAYER_ACT_CLOCK);
    }
    return 0;
}

int player_show_relayout(struct player_show *s, struct player_show_now now,
                         struct player_show_acts *out)
{
    int pos;

    if (!s->m || !s->quick_paged || !s->first_frame) {
        return 0;
    }
    recompute(s, now);
    if (s->sched.dark || !s->have_shown) {
        return 0;
    }
    pos = player_schedule_find(&s->sched, s->shown.key);
    if (pos >= 0) {
        s->pos = pos;
        s->shown = s->sched.entries[pos];
        s->dwell_ms = s->shown.dwell_ms;
        set_header(s, s->shown.lang, (size_t)pos + 1, s->sched.n, now);
        push(out, PLAYER_ACT_HEADER);
    }
    return 0;
}

int player_show_identify(struct player_show *s, struct player_show_now now,
                         struct player_show_acts *out)
{
    end_fade(s, out);
    power_on(s, out); /* a technician at the screen must see it */
    s->state = PLAYER_SHOW_IDENTIFY;
    s->picture = true;
    s->identify_until_ms = now.mono_ms + PLAYER_SHOW_IDENTIFY_MS;
    push(out, PLAYER_ACT_IDENTIFY);
    return 0;
}

void player_show_progress(struct player_show *s, unsigned items_done,
                          unsigned items_total, uint64_t bytes_done,
                          uint64_t bytes_total)
{
    s->items_done = items_done;
    s->items_total = items_total;
    s->bytes_done = bytes_done;
    s->bytes_total = bytes_total;
    if (s->loading != PLAYER_LOADING_OFFLINE) {
        s->loading = PLAYER_LOADING_FETCHING;
    }
    s->loading_dirty = true;
}

void player_show_sync_failed(struct player_show *s)
{
    if (s->loading == PLAYER_LOADING_FETCHING) {
        s->loading = PLAYER_LOADING_ERROR;
    }
    s->loading_dirty = true;
}

void player_show_online(struct player_show *s, bool online)
{
    if (!online) {
        s->loading = PLAYER_LOADING_OFFLINE;
    } else if (s->loading == PLAYER_LOADING_OFFLINE) {
        s->loading = PLAYER_LOADING_FETCHING;
    }
    s->loading_dirty = true;
}

void player_show_calm(const struct player_show *s, struct player_entry *out)
{
    memset(out, 0, sizeof *out);
    out->kind = PLAYER_ENTRY_CALM;
    out->index = -1;
    snprintf(out->lang, sizeof out->lang, "%s", s->sched.languages[0]);
}

void player_show_drawn(struct player_show *s, int pos,
                       struct player_show_now now)
{
    if (pos >= 0 && (size_t)pos < s->sched.n) {
        s->shown = s->sched.entries[pos];
        s->dwell_ms = s->shown.dwell_ms;
    } else {
        player_show_calm(s, &s->shown);
        pos = 0;
        s->dwell_ms = 0;
    }
    s->have_shown = true;
    s->pos = pos;
    s->shown_ms = now.mono_ms;
    s->picture = true;
    set_header(s, s->shown.lang, (size_t)pos + 1, s->sched.n, now);
    if (s->want_fade) {
        s->state = PLAYER_SHOW_FADING;
        player_show_fade_begun(s, now);
    } else {
        s->state = PLAYER_SHOW_ENTRY;
    }
    s->want_fade = false;
}

/* The first step was composed now; it is the step at FRAME_MS, so the
 * last comes at fade_ms from here less one step. */
void player_show_fade_begun(struct player_show *s, struct player_show_now now)
{
    if (s->state == PLAYER_SHOW_FADING) {
        s->fade_last_ms = now.mono_ms;
        s->fade_start_ms = now.mono_ms - PLAYER_SHOW_FRAME_MS;
    }
}

void player_show_picture_lost(struct player_show *s)
{
    s->picture = false;
    if (s->state == PLAYER_SHOW_FADING) {
        s->state = PLAYER_SHOW_ENTRY;
    }
}

void player_show_first_frame(struct player_show *s)
{
    s->first_frame = true;
}

int player_show_schedule(struct player_show *s, const struct taulu_manifest *m,
                         struct player_show_now now)
{
    if (!m) {
        return TAULU_EINVAL;
    }
    s->m = m;
    recompute(s, now);
    return 0;
}

int player_show_wait_ms(const struct player_show *s, struct player_show_now now)
{
    int64_t w = PLAYER_SHOW_MAX_WAIT_MS;
    bool dark = s->state == PLAYER_SHOW_DARK;

    if (s->state == PLAYER_SHOW_FADING) {
        w = min64(w, s->fade_last_ms + PLAYER_SHOW_FRAME_MS - now.mono_ms);
    }
    if (s->state == PLAYER_SHOW_IDENTIFY) {
        w = min64(w, s->identify_until_ms - now.mono_ms);
    } else if (s->have_shown && s->dwell_ms > 0 && !dark) {
        w = min64(w, s->shown_ms + s->dwell_ms - now.mono_ms);
    }
    if (!dark) {
        w = min64(w, (now.wall_ms / 60000 + 1) * 60000 - now.wall_ms);
    }
    if (s->m && s->sched.next_change != TAULU_NO_TIME) {
        w = min64(w, s->sched.next_change * 1000 - now.wall_ms);
    }
    if (power_on_at(s) != TAULU_NO_TIME) {
        w = min64(w, power_on_at(s) * 1000 - now.wall_ms);
    }
    if (!s->m && s->loading_dirty) {
        w = min64(w,
                  s->loading_drawn_ms + PLAYER_SHOW_LOADING_MS - now.mono_ms);
    }
    return w < 0 ? 0 : (int)w;
}

const char *player_show_showing(const struct player_show *s, char *buf,
                                size_t size)
{
    const struct player_entry *e = &s->shown;

    if (!s->m) {
        return "loading";
    }
    if (s->state == PLAYER_SHOW_DARK) {
        return "dark";
    }
    switch (e->kind) {
    case PLAYER_ENTRY_CARD:
        if (e->index < 0 || (size_t)e->index >= s->m->n_cards) {
            return "?";
        }
        snprintf(buf, size, "%s", s->m->cards[e->index].id);
        return buf;
    case PLAYER_ENTRY_ALERT:
        if (e->index < 0 || (size_t)e->index >= s->m->n_alerts) {
            return "?";
        }
        snprintf(buf, size, "alert:%s", s->m->alerts[e->index].id);
        return buf;
    case PLAYER_ENTRY_AGENDA:
        return "agenda";
    case PLAYER_ENTRY_CALM:
        return "calm";
    case PLAYER_ENTRY_CLOSED:
        return "closed";
    case PLAYER_ENTRY_CLOCK:
        return "clock";
    }
    return "?";
}
