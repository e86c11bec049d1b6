/*
 * test_player_show.c: the show state machine (player_show.h) driven
 * through realistic sequences with an injected clock, the way the player's
 * loop drives it: sleep player_show_wait_ms(), tick, carry out the
 * actions (the SDL side's answers: player_show_drawn() for an entry,
 * player_show_fade_begun() after a fade's first step).
 *
 *  - a loop of several cards, one of three pages: each entry comes up
 *    after its dwell with one cross-fade of fade_ms in 50 ms steps, the
 *    header says "n / 5", the clock's minute redraws the header only, and
 *    the loop wraps;
 *  - a manifest replaced mid-loop: its new card comes up at once;
 *  - going dark at closing time and coming back at the next opening (no
 *    clock while dark, the first card drawn in place, not faded in);
 *  - the midnight relabel: the card on screen is drawn again in place;
 *  - an alert arriving over the loop and ending by itself;
 *  - a card expiring while shown: the next one at once, not at the end
 *    of its dwell;
 *  - the loading card (progress at most once a second, offline), the
 *    identify card, a lost picture, a cut (fade_ms 0), a card that cannot
 *    be drawn, and the quick paging before the first frame.
 *
 * Tuesday 24 November 2026 in Helsinki is the day; manifests are built on
 * the stack as in test_player_schedule.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "taulu_err.h"
#include "taulu_manifest.h"
#include "taulu_time.h"

#include "player_cards.h"
#include "player_schedule.h"
#include "player_show.h"

#define MAXC  6
#define DWELL 10000u /* every page's dwell in these tests */

static const struct taulu_tz *const tz = &taulu_tz_helsinki;

struct man {
    struct taulu_manifest m;
    struct taulu_card cards[MAXC];
    struct taulu_card_version ver[MAXC];
    struct taulu_alert alerts[2];
    struct taulu_alert_version aver[2];
};

struct fix {
    struct man a, b;
    struct player_show s;
    struct player_card_buf quickbuf;
    struct player_show_now now;
    struct player_show_acts acts;
};

static struct fix F; /* big: not on the test's stack */

static int64_t hel(int d, int h, int mi, int s)
{
    int64_t t = -1;

    assert_int_equal(taulu_time_from_civil(tz, 2026, 11, d, h, mi, s, &t), 0);
    return t;
}

/* A pager that needs no fonts: a card whose id ends in a digit has that
 * many pages, anything else one; every page stays DWELL. */
static int pages(void *ctx, const struct taulu_manifest *m,
                 const struct taulu_tz *z, const struct player_entry *slot,
                 int64_t now, unsigned dwell_ms[], size_t cap)
{
    size_t i, n = 1;

    (void)ctx;
    (void)z;
    (void)now;
    if (slot->kind == PLAYER_ENTRY_CARD) {
        const char *id = m->cards[slot->index].id;
        char last = id[strlen(id) - 1];

        if (last >= '1' && last <= '9') {
            n = (size_t)(last - '0');
        }
    }
    for (i = 0; i < n && i < cap; i++) {
        dwell_ms[i] = DWELL;
    }
    return (int)i;
}

static void man_init(struct man *x)
{
    memset(x, 0, sizeof *x);
    x->m.screen_id = "tuira-1";
    x->m.seq = 7;
    x->m.built_at = hel(1, 12, 0, 0);
    x->m.centre.id = "tuira";
    memcpy(x->m.centre.name[0].lang, "fi", 3);
    x->m.centre.name[0].text = "Tuiran hyvinvointikeskus";
    x->m.centre.n_name = 1;
    x->m.centre.timezone = "Europe/Helsinki";
    memcpy(x->m.centre.languages[0], "fi", 3);
    x->m.centre.n_languages = 1;
    x->m.cards = x->cards;
    x->m.alerts = x->alerts;
}

static struct taulu_card *card(struct man *x, const char *id, int64_t until)
{
    size_t i = x->m.n_cards++;
    struct taulu_card *c = &x->cards[i];

    c->id = id;
    c->kind = TAULU_CARD_BULLETIN;
    c->category = TAULU_CATEGORY_HEALTH;
    c->org = "Muistiyhdistys";
    c->display_from = hel(1, 0, 0, 0);
    c->display_until = until ? until : hel(30, 0, 0, 0);
    c->versions = &x->ver[i];
    memcpy(x->ver[i].lang, "fi", 3);
    x->ver[i].title = id;
    x->ver[i].body = "Tule juttelemaan ja juomaan kahvia.";
    c->n_versions = 1;
    return c;
}

static void alert(struct man *x, const char *id, int64_t from, int64_t until)
{
    size_t i = x->m.n_alerts++;
    struct taulu_alert *a = &x->alerts[i];

    a->id = id;
    a->from = from;
    a->until = until;
    a->versions = &x->aver[i];
    memcpy(x->aver[i].lang, "fi", 3);
    x->aver[i].title = "Vesikatko";
    x->aver[i].body = "Vesi on poikki kello 13 asti.";
    a->n_versions = 1;
}

static void show_init(unsigned fade_ms, bool quick_first,
                      enum player_closed_cfg closed)
{
    struct player_show_opts o;
    struct player_pager full = {pages, NULL};
    struct player_pager quick = {player_cards_pager, &F.quickbuf};

    memset(&o, 0, sizeof o);
    o.fade_ms = fade_ms;
    o.quick_first = quick_first;
    o.sched.closed = closed;
    memcpy(o.loading_lang, "fi", 3);
    player_show_init(&F.s, &o, &full, quick_first ? &quick : &full);
}

static int setup(void **state)
{
    (void)state;
    player_card_buf_release(&F.quickbuf);
    memset(&F, 0, sizeof F);
    player_card_buf_init(&F.quickbuf);
    man_init(&F.a);
    man_init(&F.b);
    show_init(800, false, PLAYER_CLOSED_MANIFEST);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    player_card_buf_release(&F.quickbuf);
    return 0;
}

/* ---- the loop's side ---- */

static void clock_at(int64_t wall_s)
{
    F.now.mono_ms = 1000000; /* any origin: only differences count */
    F.now.wall_ms = wall_s * 1000;
}

static void pass(int64_t ms)
{
    F.now.mono_ms += ms;
    F.now.wall_ms += ms;
}

static int64_t wall_s(void)
{
    return F.now.wall_ms / 1000;
}

/* Carries out the actions as a screen that draws everything would. */
static void carry_out(void)
{
    size_t i;

    for (i = 0; i < F.acts.n; i++) {
        const struct player_show_act *a = &F.acts.v[i];

        if (a->kind == PLAYER_ACT_ENTRY) {
            player_show_drawn(&F.s, a->pos, F.now);
            if (a->fade) {
                player_show_fade_begun(&F.s, F.now);
            }
        }
    }
}

static void start(const struct man *x, const struct man *old)
{
    F.acts.n = 0;
    assert_int_equal(
        player_show_start(&F.s, &x->m, old ? &old->m : NULL, F.now, &F.acts),
        0);
    carry_out();
}

static void tick(void)
{
    F.acts.n = 0;
    assert_int_equal(player_show_tick(&F.s, F.now, &F.acts), 0);
    carry_out();
}

/* One turn of the loop: sleep as long as the show says, then tick. */
static void turn(void)
{
    pass(player_show_wait_ms(&F.s, F.now));
    tick();
}

static const struct player_show_act *find_act(enum player_act_kind k)
{
    size_t i;

    for (i = 0; i < F.acts.n; i++) {
        if (F.acts.v[i].kind == k) {
            return &F.acts.v[i];
        }
    }
    return NULL;
}

/* The action of kind k among the last ones; the test fails without. */
static const struct player_show_act *act(enum player_act_kind k)
{
    static const struct player_show_act none;
    const struct player_show_act *a = find_act(k);

    if (!a) {
        fail_msg("no action %d among %zu", (int)k, F.acts.n);
        return &none;
    }
    return a;
}

/* Turns until an entry comes up (at most `limit` turns); its action. */
static const struct player_show_act *next_entry(int limit)
{
    while (limit-- > 0) {
        turn();
        if (find_act(PLAYER_ACT_ENTRY)) {
            break;
        }
    }
    return act(PLAYER_ACT_ENTRY);
}

/* Turns through a running fade; the number of steps, the last included. */
static unsigned finish_fade(void)
{
    unsigned steps = 1; /* the first, composed with the entry */
    int last_alpha = 0;

    assert_int_equal(F.s.state, PLAYER_SHOW_FADING);
    while (F.s.state == PLAYER_SHOW_FADING) {
        const struct player_show_act *a;

        assert_true(player_show_wait_ms(&F.s, F.now) <= PLAYER_SHOW_FRAME_MS);
        turn();
        a = find_act(PLAYER_ACT_FADE_STEP);
        if (a) {
            assert_true(a->alpha > last_alpha); /* even, one way */
            assert_true(a->alpha < 256);
            last_alpha = a->alpha;
            steps++;
        }
        if (find_act(PLAYER_ACT_END_FADE)) {
            steps++;
        }
        assert_null(find_act(PLAYER_ACT_CLOCK)); /* nothing else moves */
    }
    return steps;
}

static const char *shown_id(void)
{
    const struct player_entry *e = &F.s.shown;

    if (e->kind == PLAYER_ENTRY_CARD) {
        return F.s.m->cards[e->index].id;
    }
    if (e->kind == PLAYER_ENTRY_ALERT) {
        return F.s.m->alerts[e->index].id;
    }
    return e->kind == PLAYER_ENTRY_AGENDA   ? "agenda"
           : e->kind == PLAYER_ENTRY_CALM   ? "calm"
           : e->kind == PLAYER_ENTRY_CLOSED ? "closed"
                                            : "?";
}

/* ---- tests ---- */

static void test_loop_with_pages(void **state)
{
    static const char *const want[] = {"a", "b3", "b3", "b3", "c", "a"};
    static const int want_page[] = {0, 0, 1, 2, 0, 0};
    const struct player_show_act *a;
    int64_t t0;
    size_t i;

    (void)state;
    card(&F.a, "a", 0);
    card(&F.a, "b3", 0);
    card(&F.a, "c", 0);
    clock_at(hel(24, 12, 0, 5));
    start(&F.a, NULL);
    /* nothing on screen yet: the first card is drawn in place, no fade */
    assert_int_equal(F.acts.n, 1);
    assert_int_equal(F.acts.v[0].kind, PLAYER_ACT_ENTRY);
    assert_true(F.acts.v[0].in_place);
    assert_false(F.acts.v[0].fade);
    assert_int_equal(F.s.state, PLAYER_SHOW_ENTRY);
    assert_int_equal(F.s.sched.n, 5); /* a, b3 x 3 pages, c */
    assert_string_equal(shown_id(), "a");
    assert_int_equal(F.s.header.pos, 1);
    assert_int_equal(F.s.header.total, 5);
    assert_int_equal(player_show_wait_ms(&F.s, F.now), DWELL);
    t0 = F.now.mono_ms;
    for (i = 1; i < sizeof want / sizeof want[0]; i++) {
        a = next_entry(5);
        /* each page stays its dwell from when it came up */
        assert_int_equal(F.now.mono_ms - t0, (int64_t)DWELL);
        t0 = F.now.mono_ms;
        assert_false(a->in_place);
        assert_true(a->fade);
        assert_int_equal(a->alpha, 256 * 50 / 800);
        assert_string_equal(shown_id(), want[i]);
        assert_int_equal(F.s.shown.page, want_page[i]);
        assert_int_equal(F.s.header.pos, i % 5 + 1);
        /* one cross-fade: 800 ms in 16 even steps of 50 ms */
        assert_int_equal(finish_fade(), 800 / 50);
        assert_int_equal(F.now.mono_ms - t0, 800 - 50);
        assert_int_equal(F.s.state, PLAYER_SHOW_ENTRY);
    }
}

static void test_clock_minute(void **state)
{
    (void)state;
    card(&F.a, "a", 0);
    clock_at(hel(24, 12, 0, 55));
    start(&F.a, NULL);
    /* one card: it stays; the minute is the next thing that happens */
    assert_int_equal(player_show_wait_ms(&F.s, F.now), 5000);
    turn();
    assert_int_equal(wall_s(), hel(24, 12, 1, 0));
    assert_int_equal(F.acts.n, 1);
    assert_int_equal(F.acts.v[0].kind, PLAYER_ACT_CLOCK);
    assert_int_equal(F.s.header.minute, F.now.wall_ms / 60000);
    assert_int_equal(F.s.header.pos, 1);
    /* the dwell ran out meanwhile: the card again (the loop of one) */
    turn();
    assert_non_null(find_act(PLAYER_ACT_ENTRY));
    assert_string_equal(shown_id(), "a");
}

/* A change on the minute: the entry brings its header, and no clock
 * redraw follows it (it would compose a whole frame over the fade). */
static void test_change_on_the_minute(void **state)
{
    (void)state;
    card(&F.a, "a", 0);
    card(&F.a, "c", 0);
    clock_at(hel(24, 12, 0, 50));
    start(&F.a, NULL);
    turn();
    assert_int_equal(wall_s(), hel(24, 12, 1, 0));
    assert_int_equal(F.acts.n, 1);
    assert_int_equal(F.acts.v[0].kind, PLAYER_ACT_ENTRY);
    assert_int_equal(F.s.header.minute, F.now.wall_ms / 60000);
    assert_int_equal(finish_fade(), 16);
}

static void test_manifest_replaced_mid_loop(void **state)
{
    const struct player_show_act *a;

    (void)state;
    card(&F.a, "a", 0);
    card(&F.a, "b3", 0);
    card(&F.a, "c", 0);
    card(&F.b, "a", 0);
    card(&F.b, "new", 0);
    card(&F.b, "b3", 0);
    card(&F.b, "c", 0);
    clock_at(hel(24, 12, 0, 5));
    start(&F.a, NULL);
    next_entry(5);
    finish_fade();
    next_entry(5);
    assert_string_equal(shown_id(), "b3");
    assert_int_equal(F.s.shown.page, 1);
    pass(3000);
    /* mid-dwell, mid-card: the new card comes up now, faded in */
    start(&F.b, &F.a);
    a = act(PLAYER_ACT_ENTRY);
    assert_true(a->fade);
    assert_false(a->in_place);
    assert_string_equal(shown_id(), "new");
    assert_int_equal(F.s.sched.n, 6);
    assert_int_equal(F.s.header.pos, 2);
    finish_fade();
    /* and the loop goes on from it */
    next_entry(5);
    assert_string_equal(shown_id(), "b3");
    assert_int_equal(F.s.shown.page, 0);
}

static void test_dark_and_back(void **state)
{
    const struct player_show_act *a;
    int turns = 0;

    (void)state;
    F.a.m.centre.hours[0] = (struct taulu_opening_interval){2, 8 * 60, 960};
    F.a.m.centre.hours[1] = (struct taulu_opening_interval){3, 8 * 60, 960};
    F.a.m.centre.n_hours = 2;
    F.a.m.centre.closed_behaviour = TAULU_CLOSED_DARK;
    card(&F.a, "a", 0);
    card(&F.a, "c", 0);
    clock_at(hel(24, 15, 59, 45));
    start(&F.a, NULL);
    next_entry(5); /* 15.59.55: c, until 16.00.05; the closing first */
    finish_fade();
    turn();
    assert_int_equal(wall_s(), hel(24, 16, 0, 0));
    assert_non_null(find_act(PLAYER_ACT_DARK));
    assert_null(find_act(PLAYER_ACT_ENTRY));
    assert_null(find_act(PLAYER_ACT_CLOCK));
    assert_int_equal(F.s.state, PLAYER_SHOW_DARK);
    /* the night: no clock, no changes, a wake-up at most once a minute */
    for (;;) {
        assert_true(player_show_wait_ms(&F.s, F.now) > 0);
        turn();
        turns++;
        if (F.acts.n > 0) {
            break;
        }
    }
    assert_int_equal(wall_s(), hel(25, 8, 0, 0));
    assert_true(turns >= 16 * 60 && turns <= 16 * 60 + 1);
    a = act(PLAYER_ACT_ENTRY);
    assert_int_equal(F.acts.n, 1);
    /* from black: drawn in place, no fade, the loop from its start */
    assert_true(a->in_place);
    assert_false(a->fade);
    assert_string_equal(shown_id(), "a");
    assert_int_equal(F.s.state, PLAYER_SHOW_ENTRY);
}

/* With the display's power: off after dark, on again power_lead_s before
 * the opening (the loop wakes for it), the first card after that; a dark
 * screen that leaves dark sooner (identify) turns it on first. Off and
 * on once each: nothing is asked again while dark. */
static void test_dark_power(void **state)
{
    struct player_show_opts o;
    int offs = 0, ons = 0;

    (void)state;
    F.a.m.centre.hours[0] = (struct taulu_opening_interval){2, 8 * 60, 960};
    F.a.m.centre.hours[1] = (struct taulu_opening_interval){3, 8 * 60, 960};
    F.a.m.centre.n_hours = 2;
    F.a.m.centre.closed_behaviour = TAULU_CLOSED_DARK;
    card(&F.a, "a", 0);
    o = F.s.opts;
    o.power = true;
    o.power_lead_s = 120;
    player_show_set_opts(&F.s, &o);
    clock_at(hel(24, 16, 0, 0));
    start(&F.a, NULL);
    /* dark, then the display off, in that order */
    assert_int_equal(F.acts.n, 2);
    assert_int_equal(F.acts.v[0].kind, PLAYER_ACT_DARK);
    assert_int_equal(F.acts.v[1].kind, PLAYER_ACT_POWER_OFF);
    offs++;
    /* the night: the only action is the display on at 7.58, then the
     * card at 8.00 */
    for (;;) {
        turn();
        offs += find_act(PLAYER_ACT_POWER_OFF) != NULL;
        if (find_act(PLAYER_ACT_POWER_ON)) {
            ons++;
            assert_int_equal(wall_s(), hel(25, 7, 58, 0));
            assert_int_equal(F.acts.n, 1);
            assert_int_equal(F.s.state, PLAYER_SHOW_DARK);
        }
        if (find_act(PLAYER_ACT_ENTRY)) {
            break;
        }
    }
    assert_int_equal(wall_s(), hel(25, 8, 0, 0));
    assert_null(find_act(PLAYER_ACT_POWER_ON)); /* on already */
    assert_int_equal(offs, 1);
    assert_int_equal(ons, 1);

    /* dark again; identify: the technician must see the screen */
    clock_at(hel(25, 16, 0, 0));
    turn();
    assert_non_null(find_act(PLAYER_ACT_POWER_OFF));
    F.acts.n = 0;
    player_show_identify(&F.s, F.now, &F.acts);
    assert_int_equal(F.acts.v[0].kind, PLAYER_ACT_POWER_ON);
    assert_non_null(find_act(PLAYER_ACT_IDENTIFY));

    /* without power: no such actions at all */
    setup(NULL);
    F.a.m.centre.hours[0] = (struct taulu_opening_interval){2, 8 * 60, 960};
    F.a.m.centre.n_hours = 1;
    F.a.m.centre.closed_behaviour = TAULU_CLOSED_DARK;
    card(&F.a, "a", 0);
    clock_at(hel(24, 16, 0, 0));
    start(&F.a, NULL);
    assert_int_equal(F.acts.n, 1);
    assert_null(find_act(PLAYER_ACT_POWER_OFF));
}

static void test_closed_still(void **state)
{
    (void)state;
    F.a.m.centre.hours[0] = (struct taulu_opening_interval){2, 8 * 60, 960};
    F.a.m.centre.n_hours = 1;
    card(&F.a, "a", 0);
    show_init(800, false, PLAYER_CLOSED_STILL);
    clock_at(hel(24, 15, 59, 55));
    start(&F.a, NULL);
    turn();
    assert_int_equal(wall_s(), hel(24, 16, 0, 0));
    assert_non_null(find_act(PLAYER_ACT_ENTRY));
    assert_string_equal(shown_id(), "closed");
    assert_true(act(PLAYER_ACT_ENTRY)->fade);
}

static void test_midnight_relabel(void **state)
{
    struct taulu_card *e;
    int pos;

    (void)state;
    /* tomorrow's event: the agenda says "Huomenna" until midnight */
    e = card(&F.a, "ev", 0);
    e->kind = TAULU_CARD_EVENT;
    e->has_event = true;
    e->event.start = hel(25, 10, 0, 0);
    e->event.end = hel(25, 12, 0, 0);
    clock_at(hel(24, 23, 59, 55));
    start(&F.a, NULL);
    assert_string_equal(shown_id(), "agenda");
    pos = F.s.pos;
    turn();
    assert_int_equal(wall_s(), hel(25, 0, 0, 0));
    /* the same entry, drawn again in place with today's words, and the
     * header with it: nothing else */
    assert_int_equal(F.acts.n, 1);
    assert_int_equal(F.acts.v[0].kind, PLAYER_ACT_RELABEL);
    assert_int_equal(F.acts.v[0].pos, pos);
    assert_string_equal(shown_id(), "agenda");
    assert_int_equal(F.s.header.minute, F.now.wall_ms / 60000);
    /* its dwell goes on from when it came up */
    turn();
    assert_int_equal(wall_s(), hel(25, 0, 0, 5));
    assert_non_null(find_act(PLAYER_ACT_ENTRY));
    assert_string_equal(shown_id(), "ev");
}

/* A recurring event's occurrence ends: the agenda on screen loses that
 * row (and the card would show the next occurrence), so the same entry is
 * drawn again in place at that instant, with no new manifest. */
static void test_occurrence_relabel(void **state)
{
    static struct taulu_card_recur r;
    static struct taulu_occurrence o[2];
    struct taulu_card *e;
    int pos;

    (void)state;
    memset(&r, 0, sizeof r);
    r.rule.freq = TAULU_RECUR_WEEKLY;
    r.rule.interval = 1;
    r.rule.days[0].wday = 2;
    r.rule.days[1].wday = 3;
    r.rule.n_days = 2;
    r.rule.until = taulu_recur_local_day(hel(25, 12, 0, 0), tz);
    r.start_min = 14 * 60;
    r.end_min = 16 * 60;
    o[0].start = hel(24, 14, 0, 0);
    o[0].end = hel(24, 16, 0, 0);
    o[1].start = hel(25, 14, 0, 0);
    o[1].end = hel(25, 16, 0, 0);
    e = card(&F.a, "kahvila", 0);
    e->kind = TAULU_CARD_EVENT;
    e->has_event = true;
    e->event.start = o[0].start;
    e->event.end = o[1].end;
    e->recur = &r;
    e->occurrences = o;
    e->n_occurrences = 2;
    clock_at(hel(24, 15, 59, 55));
    start(&F.a, NULL);
    assert_string_equal(shown_id(), "agenda");
    pos = F.s.pos;
    turn();
    assert_int_equal(wall_s(), hel(24, 16, 0, 0));
    assert_int_equal(F.acts.n, 1);
    assert_int_equal(F.acts.v[0].kind, PLAYER_ACT_RELABEL);
    assert_int_equal(F.acts.v[0].pos, pos);
    assert_string_equal(shown_id(), "agenda");
    /* then the card, and at the next boundary with nothing of its own
     * changed (midnight relabels for the day), nothing extra */
    turn();
    assert_string_equal(shown_id(), "kahvila");
}

static void test_alert_arrives(void **state)
{
    const struct player_show_act *a;

    (void)state;
    card(&F.a, "a", 0);
    card(&F.a, "c", 0);
    alert(&F.a, "water", hel(24, 12, 0, 25), hel(24, 12, 0, 45));
    clock_at(hel(24, 12, 0, 0));
    start(&F.a, NULL);
    next_entry(5);
    finish_fade();
    next_entry(5); /* 12.00.20: a */
    finish_fade();
    assert_string_equal(shown_id(), "a");
    a = next_entry(5);
    /* at its start, not at the end of a's dwell */
    assert_int_equal(wall_s(), hel(24, 12, 0, 25));
    assert_true(a->fade);
    assert_string_equal(shown_id(), "water");
    assert_true(F.s.sched.alerts);
    assert_int_equal(F.s.sched.n, 1);
    finish_fade();
    /* it ends by itself, network or not: the cards again */
    do {
        next_entry(5);
        if (F.s.state == PLAYER_SHOW_FADING) {
            finish_fade();
        }
    } while (strcmp(shown_id(), "water") == 0);
    assert_int_equal(wall_s(), hel(24, 12, 0, 45));
    assert_false(F.s.sched.alerts);
}

static void test_card_expires_while_shown(void **state)
{
    const struct player_show_act *a;

    (void)state;
    card(&F.a, "a", hel(24, 12, 0, 4));
    card(&F.a, "c", 0);
    clock_at(hel(24, 12, 0, 0));
    start(&F.a, NULL);
    assert_string_equal(shown_id(), "a");
    assert_int_equal(player_show_wait_ms(&F.s, F.now), 4000);
    a = next_entry(1);
    assert_int_equal(wall_s(), hel(24, 12, 0, 4));
    assert_true(a->fade);
    assert_string_equal(shown_id(), "c");
    assert_int_equal(F.s.sched.n, 1);
}

static void test_fade_interrupted(void **state)
{
    (void)state;
    card(&F.a, "a", hel(24, 12, 0, 10) + 1);
    card(&F.a, "c", hel(24, 12, 0, 10) + 1);
    card(&F.a, "d", 0);
    clock_at(hel(24, 12, 0, 0));
    start(&F.a, NULL);
    pass(DWELL);
    tick(); /* c fades in over a */
    assert_int_equal(F.s.state, PLAYER_SHOW_FADING);
    pass(1000); /* 12.00.11, mid-fade... */
    F.acts.n = 0;
    assert_int_equal(player_show_tick(&F.s, F.now, &F.acts), 0);
    /* ...c has expired: the fade ends first, then d comes up */
    assert_true(F.acts.n >= 2);
    assert_int_equal(F.acts.v[F.acts.n - 2].kind, PLAYER_ACT_END_FADE);
    assert_int_equal(F.acts.v[F.acts.n - 1].kind, PLAYER_ACT_ENTRY);
    carry_out();
    assert_string_equal(shown_id(), "d");
}

static void test_loading(void **state)
{
    const struct player_show_act *a;

    (void)state;
    card(&F.a, "a", 0);
    clock_at(hel(24, 12, 0, 0));
    F.acts.n = 0;
    player_show_start_loading(&F.s, PLAYER_LOADING_FETCHING, F.now, &F.acts);
    assert_int_equal(F.acts.n, 1);
    assert_int_equal(F.acts.v[0].kind, PLAYER_ACT_LOADING);
    assert_int_equal(F.s.header.total, 0); /* no "1 / n" */
    /* progress: redrawn, but at most once a second */
    pass(300);
    player_show_progress(&F.s, 1, 4, 1000, 90000);
    assert_int_equal(player_show_wait_ms(&F.s, F.now), 700);
    pass(100);
    tick();
    assert_int_equal(F.acts.n, 0);
    turn();
    assert_non_null(find_act(PLAYER_ACT_LOADING));
    assert_int_equal(F.s.items_done, 1);
    assert_int_equal(F.s.loading, PLAYER_LOADING_FETCHING);
    /* the network goes: said at the next redraw, and progress keeps it */
    player_show_online(&F.s, false);
    player_show_progress(&F.s, 2, 4, 2000, 90000);
    turn();
    assert_non_null(find_act(PLAYER_ACT_LOADING));
    assert_int_equal(F.s.loading, PLAYER_LOADING_OFFLINE);
    player_show_online(&F.s, true);
    player_show_sync_failed(&F.s);
    assert_int_equal(F.s.loading, PLAYER_LOADING_ERROR);
    /* no news: only the clock's minute redraws it */
    turn();
    assert_non_null(find_act(PLAYER_ACT_LOADING));
    turn();
    assert_int_equal(F.now.wall_ms % 60000, 0);
    assert_non_null(find_act(PLAYER_ACT_LOADING));
    /* the manifest arrives: faded in from the loading card */
    start(&F.a, NULL);
    a = act(PLAYER_ACT_ENTRY);
    assert_false(a->in_place);
    assert_true(a->fade);
    assert_int_equal(F.s.state, PLAYER_SHOW_FADING);
}

static void test_identify(void **state)
{
    const struct player_show_act *a;
    int64_t t0;

    (void)state;
    card(&F.a, "a", 0);
    card(&F.a, "c", 0);
    clock_at(hel(24, 12, 0, 0));
    start(&F.a, NULL);
    pass(2000);
    F.acts.n = 0;
    player_show_identify(&F.s, F.now, &F.acts);
    assert_int_equal(F.acts.n, 1);
    assert_int_equal(F.acts.v[0].kind, PLAYER_ACT_IDENTIFY);
    t0 = F.now.mono_ms;
    /* the id stays its 30 s: a's dwell and the minute pass under it */
    pass(DWELL);
    tick();
    assert_int_equal(F.acts.n, 0);
    a = next_entry(10);
    assert_int_equal(F.now.mono_ms - t0, PLAYER_SHOW_IDENTIFY_MS);
    assert_true(a->fade);
    assert_string_equal(shown_id(), "c");
}

static void test_picture_lost_and_cut(void **state)
{
    const struct player_show_act *a;

    (void)state;
    card(&F.a, "a", 0);
    card(&F.a, "c", 0);
    clock_at(hel(24, 12, 0, 0));
    start(&F.a, NULL);
    a = next_entry(5);
    assert_int_equal(F.s.state, PLAYER_SHOW_FADING);
    /* the textures were made again mid-fade (a new output size) */
    player_show_picture_lost(&F.s);
    assert_int_equal(F.s.state, PLAYER_SHOW_ENTRY);
    F.acts.n = 0;
    player_show_restart(&F.s, F.now, &F.acts);
    carry_out();
    a = act(PLAYER_ACT_ENTRY);
    assert_true(a->in_place); /* nothing to fade from */
    assert_false(a->fade);
    assert_string_equal(shown_id(), "a"); /* from the loop's start */
    /* fade_ms 0: a cut, into the second texture */
    show_init(0, false, PLAYER_CLOSED_MANIFEST);
    start(&F.a, NULL);
    a = next_entry(5);
    assert_false(a->in_place);
    assert_false(a->fade);
    assert_int_equal(F.s.state, PLAYER_SHOW_ENTRY);
}

static void test_undrawable_entry(void **state)
{
    (void)state;
    card(&F.a, "a", 0);
    card(&F.a, "b", 0);
    card(&F.a, "c", 0);
    clock_at(hel(24, 12, 0, 0));
    start(&F.a, NULL);
    pass(DWELL);
    F.acts.n = 0;
    player_show_tick(&F.s, F.now, &F.acts);
    assert_int_equal(F.acts.v[0].kind, PLAYER_ACT_ENTRY);
    assert_int_equal(F.acts.v[0].pos, 1);
    /* b could not be drawn; the SDL side drew the next one, c */
    player_show_drawn(&F.s, 2, F.now);
    assert_string_equal(shown_id(), "c");
    assert_int_equal(F.s.header.pos, 3);
    finish_fade();
    next_entry(5);
    assert_string_equal(shown_id(), "a");
    /* nothing could be drawn: the calm card, which stays */
    pass(DWELL);
    F.acts.n = 0;
    player_show_tick(&F.s, F.now, &F.acts);
    player_show_drawn(&F.s, -1, F.now);
    assert_string_equal(shown_id(), "calm");
    assert_int_equal(F.s.dwell_ms, 0);
}

static void test_quick_paging(void **state)
{
    (void)state;
    card(&F.a, "a", 0);
    card(&F.a, "b3", 0);
    card(&F.a, "c", 0);
    show_init(800, true, PLAYER_CLOSED_MANIFEST);
    clock_at(hel(24, 12, 0, 0));
    start(&F.a, NULL);
    /* before the first frame every slot is one page (no fonts) */
    assert_int_equal(F.s.sched.n, 3);
    F.acts.n = 0;
    player_show_relayout(&F.s, F.now, &F.acts);
    assert_int_equal(F.acts.n, 0); /* not before the first frame */
    player_show_first_frame(&F.s);
    pass(20);
    player_show_relayout(&F.s, F.now, &F.acts);
    assert_int_equal(F.acts.n, 1);
    assert_int_equal(F.acts.v[0].kind, PLAYER_ACT_HEADER);
    assert_int_equal(F.s.sched.n, 5);
    assert_int_equal(F.s.header.total, 5);
    assert_string_equal(shown_id(), "a");
    assert_int_equal(F.s.dwell_ms, DWELL);
    /* once only */
    F.acts.n = 0;
    player_show_relayout(&F.s, F.now, &F.acts);
    assert_int_equal(F.acts.n, 0);
}

static void test_showing(void **state)
{
    char buf[64];

    (void)state;
    card(&F.a, "a", 0);
    assert_string_equal(player_show_showing(&F.s, buf, sizeof buf), "loading");
    clock_at(hel(24, 12, 0, 0));
    start(&F.a, NULL);
    assert_string_equal(player_show_showing(&F.s, buf, sizeof buf), "a");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_loop_with_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clock_minute, setup, teardown),
        cmocka_unit_test_setup_teardown(test_change_on_the_minute, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_manifest_replaced_mid_loop, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_dark_and_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dark_power, setup, teardown),
        cmocka_unit_test_setup_teardown(test_closed_still, setup, teardown),
        cmocka_unit_test_setup_teardown(test_midnight_relabel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_occurrence_relabel, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_alert_arrives, setup, teardown),
        cmocka_unit_test_setup_teardown(test_card_expires_while_shown, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fade_interrupted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loading, setup, teardown),
        cmocka_unit_test_setup_teardown(test_identify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_picture_lost_and_cut, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_undrawable_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quick_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_showing, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
