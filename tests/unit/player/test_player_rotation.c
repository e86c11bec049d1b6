/*
 * test_player_rotation.c: the loop budget (player_schedule.h, "Loop
 * budget"). When the agenda and the cards take longer than the centre's
 * loop_s, the cards take turns; these tests hold the rule to its promises
 * over many card counts, page counts, languages, dwells and budgets:
 *
 *  - every loop stays within the budget, unless its window is one card
 *    (a card longer than the budget is still shown, alone);
 *  - the window is as long as fits (the next card would not), and a card
 *    in it comes with all its languages and pages, in order;
 *  - the agenda is in every loop, first;
 *  - over successive loops every card is shown equally often: at any
 *    moment no card has been shown more than once more than another, and
 *    after whole rounds exactly as often;
 *  - keys rise through the loop (so player_schedule_next() wraps only at
 *    its end), also when the window wraps round the manifest;
 *  - a loop that fits is left exactly as it was (no rotation, old keys);
 *  - alerts are never rotated out, however long;
 *  - through the show (player_show.h): the loop moves on window by window
 *    as the dwells end, each card equally often, and a new card of a new
 *    manifest comes up at once even when it was outside the window.
 *
 * Pagers need no fonts: each card's pages and dwell come from tables.
 * Tuesday 24 November 2026 in Helsinki is the day.
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

#include "player_schedule.h"
#include "player_show.h"

#define MAXC 64

static const struct taulu_tz *const tz = &taulu_tz_helsinki;

struct fix {
    struct taulu_manifest m;
    struct taulu_card cards[MAXC];
    struct taulu_card_version ver[MAXC][2];
    char ids[MAXC][8];
    struct taulu_alert alerts[TAULU_MANIFEST_MAX_ALERTS];
    struct taulu_alert_version aver[TAULU_MANIFEST_MAX_ALERTS];
    char alert_ids[TAULU_MANIFEST_MAX_ALERTS][8];
    int pages[MAXC];      /* pages of each card */
    unsigned dwell[MAXC]; /* each page's dwell, ms */
    unsigned agenda_ms;   /* the agenda's one page */
    struct player_schedule s;
    struct player_show show;
};

static struct fix F; /* big: not on the test's stack */

static int64_t nov(int d, int h, int mi)
{
    int64_t t = -1;

    assert_int_equal(taulu_time_from_civil(tz, 2026, 11, d, h, mi, 0, &t), 0);
    return t;
}

static int table_pager(void *ctx, const struct taulu_manifest *m,
                       const struct taulu_tz *z, const struct player_entry *e,
                       int64_t now, unsigned dwell_ms[], size_t cap)
{
    int n = 1, i;
    unsigned d = 9000;

    (void)ctx;
    (void)m;
    (void)z;
    (void)now;
    if (e->kind == PLAYER_ENTRY_CARD) {
        n = F.pages[e->index];
        d = F.dwell[e->index];
    } else if (e->kind == PLAYER_ENTRY_AGENDA) {
        d = F.agenda_ms;
    } else if (e->kind == PLAYER_ENTRY_ALERT) {
        d = 60000;
    }
    for (i = 0; i < n && (size_t)i < cap; i++) {
        dwell_ms[i] = d;
    }
    return n;
}

static const struct player_pager pager = {table_pager, NULL};

/* n bulletins (or events, `events` of them first), each with `pages`
 * pages of `dwell` ms, in `langs` languages (fi, sv). */
static void build(size_t n, size_t events, int langs, int loop_s)
{
    size_t i;

    memset(&F.m, 0, sizeof F.m);
    F.m.screen_id = "tuira-1";
    F.m.seq = 1;
    F.m.built_at = nov(1, 12, 0);
    F.m.centre.id = "tuira";
    memcpy(F.m.centre.name[0].lang, "fi", 3);
    F.m.centre.name[0].text = "Tuiran hyvinvointikeskus";
    F.m.centre.n_name = 1;
    F.m.centre.timezone = "Europe/Helsinki";
    memcpy(F.m.centre.languages[0], "fi", 3);
    memcpy(F.m.centre.languages[1], "sv", 3);
    F.m.centre.n_languages = (size_t)langs;
    F.m.centre.loop_s = loop_s;
    F.m.cards = F.cards;
    F.m.alerts = F.alerts;
    F.m.n_cards = n;
    F.agenda_ms = 20000;
    for (i = 0; i < n; i++) {
        struct taulu_card *c = &F.cards[i];
        int l;

        memset(c, 0, sizeof *c);
        snprintf(F.ids[i], sizeof F.ids[i], "c%zu", i);
        c->id = F.ids[i];
        c->kind = i < events ? TAULU_CARD_EVENT : TAULU_CARD_BULLETIN;
        c->category = TAULU_CATEGORY_HEALTH;
        c->display_from = nov(1, 0, 0);
        c->display_until = nov(30, 0, 0);
        if (i < events) {
            c->has_event = true;
            c->event.start = nov(26, 14, 0);
            c->event.end = nov(26, 16, 0);
        }
        c->versions = F.ver[i];
        for (l = 0; l < langs; l++) {
            memset(&F.ver[i][l], 0, sizeof F.ver[i][l]);
            memcpy(F.ver[i][l].lang, l == 0 ? "fi" : "sv", 3);
            F.ver[i][l].title = "Otsikko";
            F.ver[i][l].body = "Teksti.";
        }
        c->n_versions = (size_t)langs;
        F.pages[i] = 1;
        F.dwell[i] = 30000;
    }
}

static void compute_from(int rot_from, int64_t now)
{
    struct player_schedule_opts o;

    memset(&o, 0, sizeof o);
    o.rot_from = rot_from;
    assert_int_equal(player_schedule_compute(&F.s, &F.m, &o, &pager, now), 0);
}

/* The pure window: 1..n items, the sum within room unless one, and no
 * room for the next. */
static void test_window_rule(void **state)
{
    unsigned ms[40], sum, room;
    size_t n, start, k, i;

    (void)state;
    for (n = 1; n <= 40; n++) {
        for (i = 0; i < n; i++) {
            ms[i] = 5000 + (unsigned)((i * 7919) % 53) * 1000;
        }
        for (room = 0; room <= 400000; room += 7000) {
            for (start = 0; start < n; start++) {
                uint64_t check = 0;

                k = player_rotation_window(ms, n, start, room, &sum);
                assert_true(k >= 1 && k <= n);
                for (i = 0; i < k; i++) {
                    check += ms[(start + i) % n];
                }
                assert_int_equal(check, sum);
                assert_true(k == 1 || sum <= room);
                assert_true(k == n || sum + ms[(start + k) % n] > room);
            }
        }
    }
    assert_int_equal(player_rotation_window(ms, 0, 0, 1000, &sum), 0);
}

/* Runs `loops` loops from rot_from 0, checking each; returns through
 * counts[] how often each card was shown. */
static void run_loops(size_t n, size_t loops, bool agenda, unsigned counts[])
{
    int rot_from = 0;
    size_t loop, i;
    int64_t now = nov(24, 12, 0);

    memset(counts, 0, n * sizeof counts[0]);
    for (loop = 0; loop < loops; loop++) {
        int last_card = -1, last_page = -1;
        unsigned sum = 0, lo = ~0u, hi = 0;
        size_t cards = 0;

        compute_from(rot_from, now);
        assert_true(F.s.n > 0);
        assert_false(F.s.truncated);
        /* the agenda leads every loop */
        assert_int_equal(F.s.entries[0].kind == PLAYER_ENTRY_AGENDA, agenda);
        for (i = 0; i < F.s.n; i++) {
            const struct player_entry *e = &F.s.entries[i];

            sum += e->dwell_ms;
            if (i > 0) {
                assert_true(e->key > F.s.entries[i - 1].key);
            }
            if (e->kind != PLAYER_ENTRY_CARD) {
                continue;
            }
            if (e->index != last_card) {
                /* a card comes whole: its first page first */
                assert_int_equal(e->page, 0);
                counts[e->index]++;
                cards++;
                last_card = e->index;
            } else if (e->page != 0) {
                assert_int_equal(e->page, last_page + 1);
            }
            assert_int_equal(e->n_pages, F.pages[e->index]);
            last_page = e->page;
        }
        assert_int_equal(sum, F.s.loop_ms);
        assert_int_equal(cards, F.s.n_window);
        assert_true(F.s.loop_ms <= F.s.budget_ms || F.s.n_window == 1);
        if (!F.s.rotating) {
            assert_int_equal(cards, n);
            assert_int_equal(F.s.loop_ms, F.s.all_ms);
        } else {
            assert_int_equal(F.s.n_turns, n);
            assert_true(F.s.n_window < n);
            assert_true(F.s.all_ms > F.s.budget_ms);
        }
        /* fair at every moment */
        for (i = 0; i < n; i++) {
            lo = counts[i] < lo ? counts[i] : lo;
            hi = counts[i] > hi ? counts[i] : hi;
        }
        assert_true(hi - lo <= 1);
        rot_from = F.s.rotating ? F.s.rot_next : 0;
    }
}

/* Many card counts, page counts, languages, dwells and budgets. */
static void test_fair_over_loops(void **state)
{
    static const int budgets[] = {60, 120, 300, 600};
    unsigned counts[MAXC];
    size_t n, b, i;
    int pages, langs;

    (void)state;
    for (n = 1; n <= 40; n++) {
        for (pages = 1; pages <= 3; pages++) {
            for (langs = 1; langs <= 2; langs++) {
                for (b = 0; b < sizeof budgets / sizeof budgets[0]; b++) {
                    bool agenda = (n + b) % 2 == 0;

                    build(n, agenda ? 1 : 0, langs, budgets[b]);
                    for (i = 0; i < n; i++) {
                        F.pages[i] = 1 + (int)((i + (size_t)pages) % 3);
                        F.dwell[i] = 8000 + (unsigned)((i * 37) % 23) * 1000;
                    }
                    /* loops enough for several rounds of the cards */
                    run_loops(n, 3 * n + 5, agenda, counts);
                }
            }
        }
    }
}

/* After whole rounds every card has been shown exactly as often. */
static void test_whole_rounds_equal(void **state)
{
    unsigned counts[MAXC];
    size_t i;

    (void)state;
    /* 12 cards of 40 s, 2 languages: 16 min; a 5 min budget holds 3 cards
     * with the agenda of 20 s in each language (3 * 80 + 40 = 280 s; 4
     * would be 360 s): 4 loops make a round */
    build(12, 1, 2, 0);
    for (i = 0; i < 12; i++) {
        F.dwell[i] = 40000;
    }
    run_loops(12, 8, true, counts);
    assert_int_equal(F.s.budget_ms, TAULU_LOOP_DEFAULT_S * 1000u);
    assert_int_equal(F.s.n_window, 3);
    assert_int_equal(F.s.loop_ms, 280000);
    assert_int_equal(F.s.all_ms, 40000 + 12 * 80000);
    for (i = 0; i < 12; i++) {
        assert_int_equal(counts[i], 2);
    }
}

/* A window that wraps round the manifest keeps its own order: the last
 * cards first, then the first ones; next() wraps only at its end. */
static void test_window_wraps_round(void **state)
{
    (void)state;
    build(10, 0, 1, 120); /* 4 cards of 30 s a loop */
    compute_from(8, nov(24, 12, 0));
    assert_true(F.s.rotating);
    assert_int_equal(F.s.n, 4);
    assert_int_equal(F.s.entries[0].index, 8);
    assert_int_equal(F.s.entries[1].index, 9);
    assert_int_equal(F.s.entries[2].index, 0);
    assert_int_equal(F.s.entries[3].index, 1);
    assert_int_equal(F.s.rot_next, 2);
    assert_int_equal(player_schedule_next(&F.s, true, F.s.entries[1].key), 2);
    assert_int_equal(player_schedule_next(&F.s, true, F.s.entries[3].key), 0);
    /* a start past the last card begins at the first */
    compute_from(40, nov(24, 12, 0));
    assert_int_equal(F.s.entries[0].index, 0);
}

/* A loop that fits is the loop it always was: every card, manifest keys. */
static void test_fits_unchanged(void **state)
{
    size_t i;

    (void)state;
    build(6, 0, 2, 0); /* 6 * 60 s = 6 min: over 5 */
    compute_from(3, nov(24, 12, 0));
    assert_true(F.s.rotating);
    build(6, 0, 2, 600); /* the same within 10 min */
    compute_from(3, nov(24, 12, 0));
    assert_false(F.s.rotating);
    assert_int_equal(F.s.n_turns, 0);
    assert_int_equal(F.s.n, 12);
    assert_int_equal(F.s.loop_ms, 360000);
    for (i = 0; i < F.s.n; i++) {
        assert_int_equal(F.s.entries[i].index, (int)(i / 2));
        assert_int_equal(F.s.entries[i].key,
                         ((uint64_t)PLAYER_ENTRY_CARD << 48) |
                             ((uint64_t)(i / 2 + 1) << 16) |
                             ((uint64_t)(i % 2) << 8));
    }
}

/* A card longer than the budget is shown, alone, and the others in turn. */
static void test_card_longer_than_budget(void **state)
{
    unsigned counts[MAXC];

    (void)state;
    build(3, 0, 1, 60);
    F.pages[1] = 8;
    F.dwell[1] = 20000; /* 160 s */
    /* windows [c0] [c1] [c2 c0] [c1] [c2 c0] [c1]: the long card alone,
     * the round c0 c1 c2 kept */
    run_loops(3, 6, false, counts);
    assert_int_equal(counts[0], 3);
    assert_int_equal(counts[1], 3);
    assert_int_equal(counts[2], 2);
}

/* Alerts are never rotated out: 16 alerts of a minute each, 5 min budget. */
static void test_alerts_never_rotated(void **state)
{
    size_t i;
    int64_t now = nov(24, 12, 0);

    (void)state;
    build(20, 0, 1, 0);
    for (i = 0; i < TAULU_MANIFEST_MAX_ALERTS; i++) {
        struct taulu_alert *a = &F.alerts[i];

        memset(a, 0, sizeof *a);
        snprintf(F.alert_ids[i], sizeof F.alert_ids[i], "a%zu", i);
        a->id = F.alert_ids[i];
        a->from = now - 60;
        a->until = now + 3600;
        a->versions = &F.aver[i];
        memset(&F.aver[i], 0, sizeof F.aver[i]);
        memcpy(F.aver[i].lang, "fi", 3);
        F.aver[i].title = "Vesikatko";
        F.aver[i].body = "Vesi on poikki.";
        a->n_versions = 1;
    }
    F.m.n_alerts = TAULU_MANIFEST_MAX_ALERTS;
    for (i = 0; i < 5; i++) {
        compute_from((int)i * 3, now);
        assert_true(F.s.alerts);
        assert_false(F.s.rotating);
        assert_int_equal(F.s.n, TAULU_MANIFEST_MAX_ALERTS);
    }
}

/* ---- through the show ---- */

static struct player_show_now show_now;

static void show_carry(struct player_show_acts *acts)
{
    size_t i;

    for (i = 0; i < acts->n; i++) {
        if (acts->v[i].kind == PLAYER_ACT_ENTRY) {
            player_show_drawn(&F.show, acts->v[i].pos, show_now);
        }
    }
    acts->n = 0;
}

static void show_pass(int64_t ms, struct player_show_acts *acts)
{
    show_now.mono_ms += ms;
    show_now.wall_ms += ms;
    player_show_tick(&F.show, show_now, acts);
    show_carry(acts);
}

/* Dwell by dwell, the show goes through window after window: after whole
 * rounds every card was up equally often, and a loop's cards stay within
 * the budget. */
static void test_show_turns(void **state)
{
    struct player_show_opts o;
    struct player_show_acts acts;
    unsigned counts[MAXC] = {0};
    size_t i, steps;
    int64_t loop_start = 0;

    (void)state;
    build(10, 0, 1, 120); /* 10 cards of 30 s: windows of 4 */
    memset(&o, 0, sizeof o);
    o.fade_ms = 0;
    player_show_init(&F.show, &o, &pager, &pager);
    show_now.mono_ms = 1000;
    show_now.wall_ms = nov(24, 12, 0) * 1000;
    memset(&acts, 0, sizeof acts);
    player_show_start(&F.show, &F.m, NULL, show_now, &acts);
    show_carry(&acts);
    /* 5 rounds of 10 cards = 50 cards shown */
    for (steps = 0; steps < 50; steps++) {
        const struct player_entry *e = &F.show.shown;

        assert_int_equal(e->kind, PLAYER_ENTRY_CARD);
        counts[e->index]++;
        if (F.show.pos == 0) {
            loop_start = show_now.mono_ms;
        }
        assert_true(show_now.mono_ms - loop_start < 120000);
        assert_true(F.show.header.total <= 4);
        show_pass(F.show.dwell_ms, &acts);
    }
    for (i = 0; i < 10; i++) {
        assert_int_equal(counts[i], 5);
    }
}

/* A new card of a new manifest comes up at once, even when the window
 * that was running did not hold its place. */
static void test_show_new_card_at_once(void **state)
{
    static struct taulu_manifest old;
    struct player_show_opts o;
    struct player_show_acts acts;

    (void)state;
    build(10, 0, 1, 120);
    F.m.n_cards = 9; /* the old manifest: c0..c8 */
    old = F.m;
    memset(&o, 0, sizeof o);
    player_show_init(&F.show, &o, &pager, &pager);
    show_now.mono_ms = 1000;
    show_now.wall_ms = nov(24, 12, 0) * 1000;
    memset(&acts, 0, sizeof acts);
    player_show_start(&F.show, &old, NULL, show_now, &acts);
    show_carry(&acts);
    assert_true(F.show.sched.rotating);
    assert_int_equal(F.show.shown.index, 0);
    F.m.n_cards = 10; /* c9 is new, far outside the window of c0..c3 */
    player_show_start(&F.show, &F.m, &old, show_now, &acts);
    show_carry(&acts);
    assert_string_equal(F.m.cards[F.show.shown.index].id, "c9");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_rule),
        cmocka_unit_test(test_fair_over_loops),
        cmocka_unit_test(test_whole_rounds_equal),
        cmocka_unit_test(test_window_wraps_round),
        cmocka_unit_test(test_fits_unchanged),
        cmocka_unit_test(test_card_longer_than_budget),
        cmocka_unit_test(test_alerts_never_rotated),
        cmocka_unit_test(test_show_turns),
        cmocka_unit_test(test_show_new_card_at_once),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
