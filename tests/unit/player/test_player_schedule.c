/*
 * test_player_schedule.c: the scheduler and the card mapping with an
 * injected clock: dwell, expiry mid-loop, an event that ends at 16.00 with
 * no network, the midnight relabel, a display window opening, alerts over
 * everything and ending by themselves (scenario 4), opening hours (dark and
 * still), the bilingual rotation (scenario 7), summer-time days and the
 * calm card.
 *
 * Manifests are built on the stack (taulu_manifest.h allows a caller's own
 * struct for reading). Tuesday 24 November 2026 in Helsinki is the day.
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
#include "taulu_recur.h"
#include "taulu_time.h"

#include "layout/dwell.h"
#include "player_cards.h"
#include "player_schedule.h"

static const struct taulu_tz *const tz = &taulu_tz_helsinki;

static int64_t hel(int y, int mo, int d, int h, int mi)
{
    int64_t t = -1;

    assert_int_equal(taulu_time_from_civil(tz, y, mo, d, h, mi, 0, &t), 0);
    return t;
}

static int64_t nov(int d, int h, int mi)
{
    return hel(2026, 11, d, h, mi);
}

#define MAXC 8

struct fix {
    struct taulu_manifest m;
    struct taulu_card cards[MAXC];
    struct taulu_card_version ver[MAXC][3];
    struct taulu_alert alerts[2];
    struct taulu_alert_version aver[2][2];
    struct player_schedule s;
    struct player_card_buf pb, cb;
    struct player_pager pager;
};

static struct fix F; /* big: not on the test's stack */

/* Occurrences and rules of recurring cards (one set per card index). */
static struct taulu_occurrence occ[MAXC][16];
static struct taulu_card_recur rec[MAXC];

static void fix_init(void)
{
    struct fix *f = &F;

    player_card_buf_release(&f->pb);
    player_card_buf_release(&f->cb);
    memset(f, 0, sizeof *f);
    player_card_buf_init(&f->pb);
    player_card_buf_init(&f->cb);
    f->pager.pages = player_cards_pager;
    f->pager.ctx = &f->pb;
    f->m.screen_id = "tuira-1";
    f->m.seq = 7;
    f->m.built_at = nov(1, 12, 0);
    f->m.centre.id = "tuira";
    memcpy(f->m.centre.name[0].lang, "fi", 3);
    f->m.centre.name[0].text = "Tuiran hyvinvointikeskus";
    memcpy(f->m.centre.name[1].lang, "sv", 3);
    f->m.centre.name[1].text = "Tuira välfärdscentral";
    f->m.centre.n_name = 2;
    f->m.centre.timezone = "Europe/Helsinki";
    memcpy(f->m.centre.languages[0], "fi", 3);
    f->m.centre.n_languages = 1;
    f->m.cards = f->cards;
    f->m.alerts = f->alerts;
}

static struct taulu_card *card(const char *id, int64_t from, int64_t until,
                               const char *title)
{
    struct fix *f = &F;
    size_t i = f->m.n_cards++;
    struct taulu_card *c = &f->cards[i];

    c->id = id;
    c->kind = TAULU_CARD_BULLETIN;
    c->category = TAULU_CATEGORY_HEALTH;
    c->org = "Muistiyhdistys";
    c->display_from = from;
    c->display_until = until;
    c->versions = f->ver[i];
    memcpy(f->ver[i][0].lang, "fi", 3);
    f->ver[i][0].title = title;
    f->ver[i][0].body = "Tule juttelemaan ja juomaan kahvia.";
    c->n_versions = 1;
    return c;
}

static void version(struct taulu_card *c, const char *lang, const char *title)
{
    struct taulu_card_version *v = &c->versions[c->n_versions++];

    snprintf(v->lang, sizeof v->lang, "%s", lang);
    v->title = title;
    v->body = "Text.";
}

static void event(struct taulu_card *c, int64_t start, int64_t end)
{
    c->kind = TAULU_CARD_EVENT;
    c->has_event = true;
    c->event.start = start;
    c->event.end = end;
}

/* Makes an event card a weekly series on weekday `wday` from the local
 * time h:mi for `len` minutes, n weeks from the date y-mo-d (given in the
 * order the server lists them), the occurrences computed by
 * common/taulu_recur as the server does. `cancel` is a week to mark
 * cancelled, or -1. */
static void weekly(struct taulu_card *c, int wday, int y, int mo, int d, int h,
                   int mi, int len, size_t n, int cancel)
{
    size_t i = (size_t)(c - F.cards);
    struct taulu_series sr;

    assert_true(n <= 16);
    memset(&sr, 0, sizeof sr);
    sr.rule.freq = TAULU_RECUR_WEEKLY;
    sr.rule.interval = 1;
    sr.rule.days[0].wday = wday;
    sr.rule.n_days = 1;
    sr.start = hel(y, mo, d, h, mi);
    sr.end = sr.start + 60 * len;
    sr.rule.until = taulu_recur_local_day(sr.start, tz) + 7 * (int64_t)(n - 1);
    if (cancel >= 0) {
        sr.cancelled[0] = taulu_recur_local_day(sr.start, tz) + 7 * cancel;
        sr.n_cancelled = 1;
    }
    assert_int_equal(taulu_series_check(&sr, tz, NULL), 0);
    assert_int_equal(
        taulu_series_expand(&sr, tz, TAULU_TIME_MIN, TAULU_TIME_MAX, occ[i], n),
        n);
    rec[i].rule = sr.rule;
    taulu_series_times(&sr, tz, &rec[i].start_min, &rec[i].end_min);
    event(c, occ[i][0].start, occ[i][n - 1].end);
    c->recur = &rec[i];
    c->occurrences = occ[i];
    c->n_occurrences = n;
}

static struct taulu_alert *alert(const char *id, int64_t from, int64_t until,
                                 const char *title)
{
    struct fix *f = &F;
    size_t i = f->m.n_alerts++;
    struct taulu_alert *a = &f->alerts[i];

    a->id = id;
    a->from = from;
    a->until = until;
    a->versions = f->aver[i];
    memcpy(f->aver[i][0].lang, "fi", 3);
    f->aver[i][0].title = title;
    f->aver[i][0].body = "Vesi on poikki kello 13 asti.";
    a->n_versions = 1;
    return a;
}

static void compute(int64_t now)
{
    assert_int_equal(player_schedule_compute(&F.s, &F.m, NULL, &F.pager, now),
                     0);
}

static void compute_opts(int64_t now, const struct player_schedule_opts *o)
{
    assert_int_equal(player_schedule_compute(&F.s, &F.m, o, &F.pager, now), 0);
}

/* Whether card `id` is in the loop. */
static int has_card(const char *id)
{
    size_t i;

    for (i = 0; i < F.s.n; i++) {
        const struct player_entry *e = &F.s.entries[i];

        if (e->kind == PLAYER_ENTRY_CARD &&
            strcmp(F.m.cards[e->index].id, id) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The loop index of card `id`'s (first) entry. */
static size_t card_entry(const char *id)
{
    size_t i;

    for (i = 0; i < F.s.n; i++) {
        const struct player_entry *e = &F.s.entries[i];

        if (e->kind == PLAYER_ENTRY_CARD &&
            strcmp(F.m.cards[e->index].id, id) == 0) {
            return i;
        }
    }
    fail_msg("card %s is not in the loop", id);
    return 0;
}

static const struct render_card *map(size_t i, int64_t now)
{
    assert_true(i < F.s.n);
    assert_int_equal(player_cards_map(&F.cb, &F.m, tz, &F.s.entries[i], now,
                                      F.s.next_open, NULL),
                     0);
    return &F.cb.card;
}

static int setup(void **state)
{
    (void)state;
    fix_init();
    return 0;
}

/* ---- tests ---- */

static void test_empty_is_calm(void **state)
{
    (void)state;
    compute(nov(24, 12, 0));
    assert_int_equal(F.s.n, 1);
    assert_int_equal(F.s.entries[0].kind, PLAYER_ENTRY_CALM);
    assert_int_equal(F.s.entries[0].dwell_ms, 0);
    assert_false(F.s.dark);
    assert_string_equal(map(0, nov(24, 12, 0))->title, "Tervetuloa");
    /* the next midnight is always a boundary */
    assert_true(F.s.next_change == nov(25, 0, 0));
}

static void test_dwell_from_text(void **state)
{
    struct taulu_card *c;
    const struct render_card *rc;

    (void)state;
    c = card("short", nov(1, 0, 0), nov(30, 0, 0), "Lyhyt");
    c->versions[0].body = "Auki.";
    c = card("long", nov(1, 0, 0), nov(30, 0, 0), "Pitkä");
    c->versions[0].body =
        "Tervetuloa kaikki vapaaehtoiset yhdistyksen kevätkokoukseen. "
        "Käsittelemme syksyn tapahtumat, talousarvion ja uudet jäsenedut. "
        "Kahvitarjoilu alkaa puoli tuntia ennen kokouksen alkua. "
        "Tervetuloa kaikki vapaaehtoiset yhdistyksen kevätkokoukseen.";
    compute(nov(24, 12, 0));
    assert_int_equal(F.s.n, 2);
    /* short text: the minimum of 8 s */
    assert_int_equal(F.s.entries[0].dwell_ms, 8000);
    /* long text: the renderer's formula, more than the minimum */
    rc = map(1, nov(24, 12, 0));
    assert_int_equal(F.s.entries[1].dwell_ms, render_dwell_ms(rc));
    assert_true(F.s.entries[1].dwell_ms > 8000);
    /* plain language reads slower: a longer dwell */
    c->versions[0].plain = true;
    compute(nov(24, 12, 0));
    assert_true(F.s.entries[1].dwell_ms > render_dwell_ms(rc));
}

static void test_expiry_mid_loop(void **state)
{
    int64_t now = nov(24, 12, 0);

    (void)state;
    card("a", nov(1, 0, 0), nov(30, 0, 0), "A");
    card("b", nov(1, 0, 0), now + 30, "B");
    card("c", nov(1, 0, 0), nov(30, 0, 0), "C");
    compute(now);
    assert_int_equal(F.s.n, 3);
    assert_true(F.s.next_change == now + 30);
    /* the loop was showing b; at its end it is gone and c comes next */
    compute(now + 30);
    assert_int_equal(F.s.n, 2);
    assert_false(has_card("b"));
    assert_int_equal(player_schedule_find(&F.s, F.s.entries[1].key), 1);
    {
        struct player_schedule before = F.s;
        uint64_t b_key;

        compute(now);
        b_key = F.s.entries[1].key;
        compute(now + 30);
        assert_int_equal(player_schedule_find(&F.s, b_key), -1);
        assert_string_equal(
            F.m.cards[F.s.entries[player_schedule_next(&F.s, true, b_key)]
                          .index]
                .id,
            "c");
        (void)before;
    }
}

/* Scenario 1: the memory café 14-16 disappears at 16.00 sharp, with no
 * network: only the local clock decides. */
static void test_event_ends_at_16(void **state)
{
    struct taulu_card *c;
    const struct render_card *rc;

    (void)state;
    c = card("muistikahvila", nov(20, 0, 0), nov(25, 0, 0), "Muistikahvila");
    event(c, nov(24, 14, 0), nov(24, 16, 0));
    card("other", nov(1, 0, 0), nov(30, 0, 0), "Muuta");

    compute(nov(24, 15, 59));
    assert_true(has_card("muistikahvila"));
    assert_int_equal(F.s.entries[0].kind, PLAYER_ENTRY_AGENDA);
    assert_int_equal(F.s.n_events, 1);
    assert_true(F.s.next_change == nov(24, 16, 0));
    rc = map(1, nov(24, 15, 59));
    assert_string_equal(rc->when, "Tänään ti 24.11. klo 14–16");

    compute(nov(24, 16, 0));
    assert_false(has_card("muistikahvila"));
    assert_int_equal(F.s.n_events, 0);
    assert_int_equal(F.s.n, 1); /* no agenda without events */
    assert_int_equal(F.s.entries[0].kind, PLAYER_ENTRY_CARD);
}

static void test_midnight_relabel(void **state)
{
    struct taulu_card *c;
    const struct render_card *rc;

    (void)state;
    c = card("ev", nov(1, 0, 0), nov(30, 0, 0), "Muistikahvila");
    event(c, nov(25, 14, 0), nov(25, 16, 0));
    compute(nov(24, 23, 59));
    assert_true(F.s.next_change == nov(25, 0, 0));
    rc = map(0, nov(24, 23, 59));
    assert_int_equal(rc->kind, RENDER_CARD_AGENDA);
    assert_int_equal(rc->n_rows, 1);
    assert_string_equal(rc->rows[0].day, "Huomenna ke 25.11.");
    assert_string_equal(rc->rows[0].time, "klo 14–16");
    assert_string_equal(map(1, nov(24, 23, 59))->when,
                        "Huomenna ke 25.11. klo 14–16");

    compute(nov(25, 0, 0));
    rc = map(0, nov(25, 0, 0));
    assert_string_equal(rc->rows[0].day, "Tänään ke 25.11.");
    assert_string_equal(map(1, nov(25, 0, 0))->when,
                        "Tänään ke 25.11. klo 14–16");
}

static void test_agenda_week(void **state)
{
    struct taulu_card *c;
    const struct render_card *rc;

    (void)state;
    /* listed in start order, not manifest order; the one eight days
     * ahead is not in this week's agenda (but its card is current) */
    c = card("late", nov(1, 0, 0), nov(30, 0, 0), "Myöhemmin");
    event(c, nov(27, 10, 0), nov(27, 11, 0));
    c = card("first", nov(1, 0, 0), nov(30, 0, 0), "Ensin");
    event(c, nov(24, 18, 0), nov(24, 19, 30));
    c = card("far", nov(1, 0, 0), nov(30, 0, 0), "Kaukana");
    event(c, hel(2026, 12, 2, 10, 0), hel(2026, 12, 2, 11, 0));
    compute(nov(24, 12, 0));
    assert_int_equal(F.s.n_events, 2);
    rc = map(0, nov(24, 12, 0));
    assert_int_equal(rc->n_rows, 2);
    assert_string_equal(rc->rows[0].title, "Ensin");
    assert_string_equal(rc->rows[0].day, "Tänään ti 24.11.");
    assert_string_equal(rc->rows[0].time, "klo 18–19.30");
    assert_string_equal(rc->rows[1].title, "Myöhemmin");
    assert_string_equal(rc->rows[1].day, "pe 27.11.");
    assert_string_equal(rc->title, "Tulevat tapahtumat");
    assert_true(has_card("far"));

    /* one of the events written in plain language: the whole list in the
     * plain style ("kello"), never "klo" on one row and "kello" on the
     * next */
    F.ver[1][0].plain = true;
    rc = map(0, nov(24, 12, 0));
    assert_string_equal(rc->rows[0].time, "kello 18–19.30");
    assert_string_equal(rc->rows[1].time, "kello 10–11");
    assert_true(rc->plain);
}

/* ---- recurring events ---- */

/* The memory café every Tuesday 14-16: the card shows the next
 * occurrence with its relative label and the rule in words, and moves on
 * to the following one when one ends, by itself (no new manifest). */
static void test_recurring_next_occurrence(void **state)
{
    struct taulu_card *c;
    const struct render_card *rc;
    uint64_t key, stamp;
    size_t k;

    (void)state;
    c = card("kahvila", nov(1, 0, 0), hel(2026, 12, 31, 0, 0), "Muistikahvila");
    weekly(c, 2, 2026, 11, 24, 14, 0, 120, 4, -1);
    compute(nov(24, 12, 0));
    assert_true(F.s.next_change == nov(24, 16, 0));
    k = card_entry("kahvila");
    rc = map(k, nov(24, 12, 0));
    assert_string_equal(rc->when, "Tänään ti 24.11. klo 14–16");
    /* the time is in the row above: the rule's row is the days alone */
    assert_string_equal(rc->repeat, "joka tiistai");
    key = F.s.entries[k].key;
    stamp = F.s.entries[k].stamp;
    assert_true(stamp != 0);

    /* still on during it */
    compute(nov(24, 15, 59));
    assert_int_equal(F.s.entries[card_entry("kahvila")].stamp, stamp);
    /* when it ends, the same card (same key) shows the next one: a new
     * stamp, so the player draws it again in place */
    compute(nov(24, 16, 0));
    k = card_entry("kahvila");
    assert_int_equal(F.s.entries[k].key, key);
    assert_true(F.s.entries[k].stamp != stamp);
    assert_true(F.s.next_change == nov(25, 0, 0));
    rc = map(k, nov(24, 16, 0));
    assert_string_equal(rc->when, "ti 1.12. klo 14–16");
    /* the time is in the row above: the rule's row is the days alone */
    assert_string_equal(rc->repeat, "joka tiistai");
    /* 1.12. is past the agenda's days: no agenda until the 25th */
    assert_int_equal(F.s.n_events, 0);
    compute(nov(25, 0, 0));
    assert_int_equal(F.s.n_events, 1);
    rc = map(0, nov(25, 0, 0));
    assert_int_equal(rc->n_rows, 1);
    assert_string_equal(rc->rows[0].day, "ti 1.12.");

    /* and at the midnight before it, "Huomenna" */
    compute(hel(2026, 11, 30, 0, 0));
    assert_string_equal(
        map(card_entry("kahvila"), hel(2026, 11, 30, 0, 0))->when,
        "Huomenna ti 1.12. klo 14–16");
    compute(hel(2026, 12, 1, 0, 0));
    assert_string_equal(
        map(card_entry("kahvila"), hel(2026, 12, 1, 0, 0))->when,
        "Tänään ti 1.12. klo 14–16");

    /* after the last one the card is gone */
    compute(hel(2026, 12, 15, 16, 0));
    assert_false(has_card("kahvila"));
}

/* A cancelled occurrence: "Peruttu" on the card while it is the next one,
 * and on its row in the agenda; the series goes on after it. */
static void test_recurring_cancelled(void **state)
{
    struct taulu_card *c;
    const struct render_card *rc;

    (void)state;
    c = card("kahvila", nov(1, 0, 0), hel(2026, 12, 31, 0, 0), "Muistikahvila");
    version(c, "sv", "Minneskafé");
    weekly(c, 2, 2026, 11, 24, 14, 0, 120, 4, 1);
    compute(nov(25, 17, 0));
    rc = map(card_entry("kahvila"), nov(25, 17, 0));
    assert_string_equal(rc->when, "Peruttu ti 1.12. klo 14–16");
    /* the time is in the row above: the rule's row is the days alone */
    assert_string_equal(rc->repeat, "joka tiistai");
    rc = map(0, nov(25, 17, 0));
    assert_int_equal(rc->kind, RENDER_CARD_AGENDA);
    assert_int_equal(rc->n_rows, 1);
    assert_string_equal(rc->rows[0].title, "Peruttu: Muistikahvila");
    assert_string_equal(rc->rows[0].time, "klo 14–16");
    /* in Swedish */
    memcpy(F.m.centre.languages[0], "sv", 3);
    compute(hel(2026, 12, 1, 9, 0));
    rc = map(card_entry("kahvila"), hel(2026, 12, 1, 9, 0));
    assert_string_equal(rc->when, "Inställt i dag tis 1.12 kl. 14.00–16.00");
    assert_string_equal(rc->repeat, "varje tisdag");
    rc = map(0, hel(2026, 12, 1, 9, 0));
    assert_int_equal(rc->n_rows, 1); /* 8.12 is past the sixth day */
    assert_string_equal(rc->rows[0].title, "Inställt: Minneskafé");
    assert_string_equal(rc->rows[0].day, "I dag tis 1.12");
    compute(hel(2026, 12, 2, 9, 0));
    rc = map(0, hel(2026, 12, 2, 9, 0));
    assert_int_equal(rc->n_rows, 1);
    assert_string_equal(rc->rows[0].title, "Minneskafé");
    /* once the cancelled one is past, the next is an ordinary one */
    compute(hel(2026, 12, 1, 16, 0));
    assert_string_equal(
        map(card_entry("kahvila"), hel(2026, 12, 1, 16, 0))->when,
        "tis 8.12 kl. 14.00–16.00");
}

/* Each occurrence its own agenda row, among the other events by start. */
static void test_recurring_agenda_rows(void **state)
{
    struct taulu_card *c;
    const struct render_card *rc;
    struct player_agenda_row rows[PLAYER_AGENDA_MAX_ROWS];

    (void)state;
    c = card("ryhma", nov(1, 0, 0), hel(2026, 12, 31, 0, 0), "Vertaisryhmä");
    weekly(c, 3, 2026, 11, 25, 10, 0, 90, 4, -1); /* Wednesdays */
    {
        /* and Mondays, the same week: a second series */
        struct taulu_card *c2 =
            card("kuoro", nov(1, 0, 0), hel(2026, 12, 31, 0, 0), "Kuoro");
        weekly(c2, 1, 2026, 11, 23, 18, 0, 60, 4, -1);
    }
    c = card("juhla", nov(1, 0, 0), nov(30, 0, 0), "Juhla");
    event(c, nov(26, 12, 0), nov(26, 13, 0));
    compute(nov(24, 12, 0));
    assert_int_equal(player_schedule_agenda(&F.m, tz, nov(24, 12, 0), rows, 12),
                     3);
    rc = map(0, nov(24, 12, 0));
    /* ke 25.11 Vertaisryhmä, to 26.11 Juhla, ma 30.11 Kuoro (ma 23.11 has
     * ended; ke 2.12 is past the sixth day after today) */
    assert_int_equal(rc->n_rows, 3);
    assert_string_equal(rc->rows[0].title, "Vertaisryhmä");
    assert_string_equal(rc->rows[0].day, "Huomenna ke 25.11.");
    assert_string_equal(rc->rows[1].title, "Juhla");
    assert_string_equal(rc->rows[2].title, "Kuoro");
    assert_string_equal(rc->rows[2].day, "ma 30.11.");
    /* two days later the next Wednesday comes in as a row of its own */
    assert_int_equal(player_schedule_agenda(&F.m, tz, nov(26, 9, 0), rows, 12),
                     3);
    assert_int_equal(rows[2].card, 0);
    assert_int_equal(rows[2].occurrence, 1);
    /* the cap keeps the earliest */
    assert_int_equal(player_schedule_agenda(&F.m, tz, nov(24, 12, 0), rows, 2),
                     2);
    assert_int_equal(rows[0].card, 0);
    assert_int_equal(rows[1].card, 2);
    assert_int_equal(player_schedule_agenda(&F.m, tz, nov(24, 12, 0), rows, 0),
                     0);
}

/* Across the autumn change of 2026: 14-16 local on both sides. */
static void test_recurring_dst(void **state)
{
    struct taulu_card *c;

    (void)state;
    c = card("kahvila", hel(2026, 10, 1, 0, 0), hel(2026, 11, 30, 0, 0),
             "Muistikahvila");
    weekly(c, 2, 2026, 10, 20, 14, 0, 120, 3, -1);
    compute(hel(2026, 10, 20, 9, 0));
    assert_string_equal(
        map(card_entry("kahvila"), hel(2026, 10, 20, 9, 0))->when,
        "Tänään ti 20.10. klo 14–16");
    compute(hel(2026, 10, 20, 16, 0));
    assert_string_equal(
        map(card_entry("kahvila"), hel(2026, 10, 20, 16, 0))->when,
        "ti 27.10. klo 14–16");
    assert_string_equal(
        map(card_entry("kahvila"), hel(2026, 10, 20, 16, 0))->repeat,
        "joka tiistai");
    /* the boundary is 16:00 winter time, 14:00 UTC */
    compute(hel(2026, 10, 27, 15, 0));
    assert_true(F.s.next_change == hel(2026, 10, 27, 16, 0));
}

static void test_window_opens(void **state)
{
    (void)state;
    card("always", nov(1, 0, 0), nov(30, 0, 0), "Aina");
    card("later", nov(24, 10, 0), nov(30, 0, 0), "Myöhemmin");
    compute(nov(24, 9, 59));
    assert_false(has_card("later"));
    assert_true(F.s.next_change == nov(24, 10, 0));
    compute(nov(24, 10, 0));
    assert_true(has_card("later"));
}

/* Scenario 4: the water is off until 13.00. */
static void test_alert_over_everything(void **state)
{
    (void)state;
    card("a", nov(1, 0, 0), nov(30, 0, 0), "A");
    card("b", nov(1, 0, 0), nov(30, 0, 0), "B");
    alert("water", nov(24, 9, 5), nov(24, 13, 0), "Vesi on poikki");

    compute(nov(24, 9, 0));
    assert_false(F.s.alerts);
    assert_true(F.s.next_change == nov(24, 9, 5));
    compute(nov(24, 10, 0));
    assert_true(F.s.alerts);
    assert_int_equal(F.s.n, 1);
    assert_int_equal(F.s.entries[0].kind, PLAYER_ENTRY_ALERT);
    assert_int_equal(map(0, nov(24, 10, 0))->kind, RENDER_CARD_ALERT);
    assert_true(F.s.next_change == nov(24, 13, 0));
    /* a card key is not in the alert loop: the player changes at once,
     * to the alert (alerts sort after cards) */
    {
        uint64_t card_key = ((uint64_t)PLAYER_ENTRY_CARD << 48) | (1 << 16);

        assert_int_equal(player_schedule_find(&F.s, card_key), -1);
        assert_int_equal(player_schedule_next(&F.s, true, card_key), 0);
    }
    /* 13.00: gone by itself, also offline */
    compute(nov(24, 13, 0));
    assert_false(F.s.alerts);
    assert_int_equal(F.s.n, 2);
}

static void set_hours(enum taulu_closed_behaviour b)
{
    int d;

    for (d = 1; d <= 5; d++) {
        F.m.centre.hours[F.m.centre.n_hours].day = d;
        F.m.centre.hours[F.m.centre.n_hours].open_min = 8 * 60;
        F.m.centre.hours[F.m.centre.n_hours].close_min = 16 * 60;
        F.m.centre.n_hours++;
    }
    F.m.centre.closed_behaviour = b;
}

static void test_hours_dark(void **state)
{
    (void)state;
    card("a", nov(1, 0, 0), nov(30, 0, 0), "A");
    alert("water", nov(24, 5, 0), nov(24, 13, 0), "Vesi on poikki");
    set_hours(TAULU_CLOSED_DARK);
    compute(nov(24, 7, 59));
    assert_true(F.s.dark);
    assert_int_equal(F.s.n, 0); /* dark means dark, alerts too */
    assert_true(F.s.next_change == nov(24, 8, 0));
    assert_int_equal(player_schedule_next(&F.s, false, 0), -1);
    compute(nov(24, 8, 0));
    assert_false(F.s.dark);
    assert_true(F.s.alerts);
    compute(nov(24, 16, 0));
    assert_true(F.s.dark);
    /* Friday 16.00 -> Monday 8.00 */
    compute(nov(27, 16, 0));
    assert_true(F.s.dark);
    assert_true(F.s.next_change == nov(28, 0, 0)); /* midnight comes first */
    {
        int64_t nb;

        assert_false(
            player_schedule_is_open(&F.m.centre, tz, nov(27, 16, 0), &nb));
        assert_true(nb == nov(30, 8, 0));
    }
}

static void test_hours_still(void **state)
{
    const struct render_card *rc;
    struct player_schedule_opts o;

    (void)state;
    card("a", nov(1, 0, 0), nov(30, 0, 0), "A");
    set_hours(TAULU_CLOSED_STILL);
    compute(nov(24, 17, 0));
    assert_false(F.s.dark);
    assert_int_equal(F.s.n, 1);
    assert_int_equal(F.s.entries[0].kind, PLAYER_ENTRY_CLOSED);
    assert_int_equal(F.s.entries[0].dwell_ms, 0);
    assert_true(F.s.next_open == nov(25, 8, 0));
    rc = map(0, nov(24, 17, 0));
    assert_string_equal(rc->title, "Suljettu");
    assert_string_equal(rc->body,
                        "Olemme taas auki:\nHuomenna ke 25.11. klo 8");
    /* an alert shows over the still card */
    alert("water", nov(24, 5, 0), nov(24, 20, 0), "Vesi on poikki");
    compute(nov(24, 17, 0));
    assert_true(F.s.alerts);
    /* the config overrides the centre: dark, or ignore the hours */
    memset(&o, 0, sizeof o);
    o.closed = PLAYER_CLOSED_DARK;
    compute_opts(nov(24, 17, 0), &o);
    assert_true(F.s.dark);
    o.closed = PLAYER_CLOSED_IGNORE;
    compute_opts(nov(24, 17, 0), &o);
    assert_false(F.s.dark);
    assert_true(F.s.open);
}

/* Back-to-back intervals are one opening: no boundary at 12.00. */
static void test_hours_contiguous(void **state)
{
    int64_t nb;

    (void)state;
    F.m.centre.hours[0] = (struct taulu_opening_interval){2, 8 * 60, 12 * 60};
    F.m.centre.hours[1] = (struct taulu_opening_interval){2, 12 * 60, 1440};
    F.m.centre.hours[2] = (struct taulu_opening_interval){3, 0, 8 * 60};
    F.m.centre.n_hours = 3;
    assert_true(player_schedule_is_open(&F.m.centre, tz, nov(24, 11, 0), &nb));
    assert_true(nb == nov(25, 8, 0));
    assert_true(player_schedule_is_open(&F.m.centre, tz, nov(24, 23, 59), &nb));
    assert_false(player_schedule_is_open(&F.m.centre, tz, nov(25, 8, 0), &nb));
}

/* Scenario 7: fi+sv shows both, one after the other; fi only shows fi. */
static void test_bilingual(void **state)
{
    struct taulu_card *c;
    struct player_schedule_opts o;

    (void)state;
    memcpy(F.m.centre.languages[1], "sv", 3);
    F.m.centre.n_languages = 2;
    c = card("both", nov(1, 0, 0), nov(30, 0, 0), "Muistikahvila");
    version(c, "sv", "Minneskafé");
    card("fi-only", nov(1, 0, 0), nov(30, 0, 0), "Vain suomeksi");
    c = card("en-only", nov(1, 0, 0), nov(30, 0, 0), "x");
    memcpy(c->versions[0].lang, "en", 3);
    c->versions[0].title = "English only";
    compute(nov(24, 12, 0));
    assert_int_equal(F.s.n, 4);
    assert_string_equal(F.s.entries[0].lang, "fi");
    assert_string_equal(F.s.entries[1].lang, "sv");
    assert_int_equal(F.s.entries[0].index, F.s.entries[1].index);
    assert_string_equal(map(1, nov(24, 12, 0))->title, "Minneskafé");
    assert_string_equal(F.s.entries[2].lang, "fi");
    assert_string_equal(map(2, nov(24, 12, 0))->title, "Vain suomeksi");
    /* neither of the centre's languages: its own version */
    assert_string_equal(F.s.entries[3].lang, "en");
    assert_string_equal(map(3, nov(24, 12, 0))->title, "English only");
    /* keys ascend in loop order */
    assert_true(F.s.entries[0].key < F.s.entries[1].key);
    assert_true(F.s.entries[2].key < F.s.entries[3].key);
    /* the config's languages override the centre's */
    memset(&o, 0, sizeof o);
    memcpy(o.languages[0], "sv", 3);
    o.n_languages = 1;
    compute_opts(nov(24, 12, 0), &o);
    assert_string_equal(F.s.entries[0].lang, "sv");
    assert_string_equal(F.s.entries[1].lang, "fi"); /* fi-only: own */
}

/* Swedish meta rows and dates ("tisdag 1.12" in plain language). */
static void test_swedish_card(void **state)
{
    struct taulu_card *c;
    const struct render_card *rc;
    struct player_entry e;

    (void)state;
    c = card("cafe", nov(1, 0, 0), hel(2026, 12, 2, 0, 0), "Muistikahvila");
    version(c, "sv", "Minneskafé");
    event(c, hel(2026, 12, 1, 14, 0), hel(2026, 12, 1, 16, 0));
    c->event.free = TAULU_FLAG_YES;
    c->event.step_free = TAULU_FLAG_YES;
    c->event.induction_loop = TAULU_FLAG_YES;
    c->versions[1].plain = true;
    c->versions[1].registration = "behövs inte";
    c->versions[1].place = "Församlingshemmet";
    memset(&e, 0, sizeof e);
    e.kind = PLAYER_ENTRY_CARD;
    e.index = 0;
    memcpy(e.lang, "sv", 3);
    assert_int_equal(player_cards_map(&F.cb, &F.m, tz, &e, nov(24, 12, 0),
                                      TAULU_NO_TIME, NULL),
                     0);
    rc = &F.cb.card;
    assert_string_equal(rc->when, "tisdag 1.12 klockan 14.00–16.00");
    assert_string_equal(rc->price, "Avgiftsfri");
    assert_string_equal(rc->accessibility, "Hinderfri · Induktionsslinga");
    assert_string_equal(rc->registration, "Anmälan: behövs inte");
    assert_string_equal(rc->where, "Församlingshemmet");
    assert_string_equal(rc->category, "terveys-hyvinvointi");
    assert_non_null(rc->category_label);
    memcpy(e.lang, "fi", 3);
    assert_int_equal(player_cards_map(&F.cb, &F.m, tz, &e, nov(24, 12, 0),
                                      TAULU_NO_TIME, NULL),
                     0);
    assert_string_equal(F.cb.card.when, "ti 1.12. klo 14–16");
    assert_string_equal(F.cb.card.price, "Maksuton");
    assert_string_equal(F.cb.card.accessibility, "Esteetön · Induktiosilmukka");
}

/* Summer time: opening hours and event times in local time on the days
 * the clocks change (29.3.2026 spring, 25.10.2026 autumn). */
static void test_dst_days(void **state)
{
    struct taulu_card *c;
    int64_t t;

    (void)state;
    F.m.centre.hours[0] = (struct taulu_opening_interval){7, 8 * 60, 16 * 60};
    F.m.centre.n_hours = 1;
    /* Sunday 29.3.2026: 8.00 local is 05:00Z (UTC+3 since 04:00 local) */
    assert_int_equal(taulu_time_parse_iso("2026-03-29T04:59:59Z", &t), 0);
    assert_false(player_schedule_is_open(&F.m.centre, tz, t, NULL));
    assert_int_equal(taulu_time_parse_iso("2026-03-29T05:00:00Z", &t), 0);
    assert_true(player_schedule_is_open(&F.m.centre, tz, t, NULL));
    /* Sunday 25.10.2026: 8.00 local is 06:00Z again (UTC+2) */
    assert_int_equal(taulu_time_parse_iso("2026-10-25T05:59:59Z", &t), 0);
    assert_false(player_schedule_is_open(&F.m.centre, tz, t, NULL));
    {
        int64_t nb;

        assert_false(player_schedule_is_open(&F.m.centre, tz, t, &nb));
        assert_int_equal(taulu_time_parse_iso("2026-10-25T06:00:00Z", &t), 0);
        assert_true(nb == t);
    }
    /* an event 14-16 local on the autumn day keeps its local times and
     * ends at 16.00 local = 14:00Z */
    F.m.centre.n_hours = 0;
    c = card("dst", hel(2026, 10, 1, 0, 0), hel(2026, 10, 31, 0, 0), "Ilta");
    event(c, hel(2026, 10, 25, 14, 0), hel(2026, 10, 25, 16, 0));
    assert_int_equal(taulu_time_parse_iso("2026-10-25T12:00:00Z", &t), 0);
    compute(t);
    assert_true(has_card("dst"));
    assert_string_equal(map(1, t)->when, "Tänään su 25.10. klo 14–16");
    assert_int_equal(taulu_time_parse_iso("2026-10-25T14:00:00Z", &t), 0);
    assert_true(F.s.next_change == t);
    compute(t);
    assert_false(has_card("dst"));
    /* the 25-hour day's midnight */
    assert_int_equal(taulu_time_parse_iso("2026-10-25T22:00:00Z", &t), 0);
    assert_true(F.s.next_change == t);
}

static void test_clock_sanity(void **state)
{
    const struct render_card *rc;
    int64_t built = F.m.built_at;

    (void)state;
    card("a", nov(1, 0, 0), nov(30, 0, 0), "A");
    compute(nov(1, 11, 59)); /* before built_at: slow, reported only */
    assert_false(F.s.clock_ok);
    assert_false(F.s.clock_wrong);
    assert_true(has_card("a"));
    compute(nov(1, 12, 0));
    assert_true(F.s.clock_ok);
    assert_false(F.s.clock_wrong);
    /* a year and a day after the build: the last instant anything of the
     * manifest could be shown (the server shows nothing longer) */
    compute(built + TAULU_MAX_AHEAD_S);
    assert_true(F.s.clock_ok);
    assert_false(F.s.clock_wrong);
    compute(built + TAULU_MAX_AHEAD_S + 1);
    assert_false(F.s.clock_ok);
    assert_true(F.s.clock_wrong);
    /* 64 years ahead (a display whose RTC jumped): not "nothing new" but
     * a card that says the clock is wrong, alone, even when the hours say
     * closed and dark, and looked at again within a minute */
    set_hours(TAULU_CLOSED_DARK);
    alert("water", nov(1, 0, 0), nov(30, 0, 0), "Vesi on poikki");
    compute(built + 64LL * 365 * 86400);
    assert_false(F.s.clock_ok);
    assert_true(F.s.clock_wrong);
    assert_false(F.s.dark);
    assert_false(F.s.alerts);
    assert_int_equal(F.s.n, 1);
    assert_int_equal(F.s.entries[0].kind, PLAYER_ENTRY_CLOCK);
    assert_true(F.s.next_change == built + 64LL * 365 * 86400 + 60);
    rc = map(0, built + 64LL * 365 * 86400);
    assert_string_equal(rc->title, "Näytön kello on väärässä");
    /* and far behind (a clock reset to 1970); a week behind only reports
     * (a server clock off by days must not blank the screens) */
    compute(86400);
    assert_true(F.s.clock_wrong);
    assert_int_equal(F.s.entries[0].kind, PLAYER_ENTRY_CLOCK);
    compute(built - 7 * 86400);
    assert_false(F.s.clock_ok);
    assert_false(F.s.clock_wrong);
    compute(built - PLAYER_CLOCK_BEHIND_S);
    assert_false(F.s.clock_wrong);
    compute(built - PLAYER_CLOCK_BEHIND_S - 1);
    assert_true(F.s.clock_wrong);
}

/* Hours not given (always open) and hours given for no day (closed all
 * week) are different: the second is dark, or the still card with no
 * time to come back. */
static void test_hours_closed_all_week(void **state)
{
    const struct render_card *rc;
    int64_t nb;

    (void)state;
    card("a", nov(1, 0, 0), nov(30, 0, 0), "A");
    F.m.centre.n_hours = 0;
    F.m.centre.hours_given = false;
    F.m.centre.closed_behaviour = TAULU_CLOSED_DARK;
    compute(nov(24, 3, 0));
    assert_true(F.s.open);
    assert_false(F.s.dark);
    assert_true(has_card("a"));
    F.m.centre.hours_given = true;
    assert_false(player_schedule_is_open(&F.m.centre, tz, nov(24, 12, 0), &nb));
    assert_true(nb == TAULU_NO_TIME);
    compute(nov(24, 12, 0));
    assert_false(F.s.open);
    assert_true(F.s.dark);
    assert_int_equal(F.s.n, 0);
    F.m.centre.closed_behaviour = TAULU_CLOSED_STILL;
    compute(nov(24, 12, 0));
    assert_false(F.s.dark);
    assert_int_equal(F.s.n, 1);
    assert_int_equal(F.s.entries[0].kind, PLAYER_ENTRY_CLOSED);
    rc = map(0, nov(24, 12, 0));
    assert_string_equal(rc->title, "Suljettu");
    assert_string_equal(rc->body, "Katso aukioloajat ovesta.");
}

static void test_next_wraps(void **state)
{
    (void)state;
    card("a", nov(1, 0, 0), nov(30, 0, 0), "A");
    card("b", nov(1, 0, 0), nov(30, 0, 0), "B");
    compute(nov(24, 12, 0));
    assert_int_equal(player_schedule_next(&F.s, false, 0), 0);
    assert_int_equal(player_schedule_next(&F.s, true, F.s.entries[0].key), 1);
    assert_int_equal(player_schedule_next(&F.s, true, F.s.entries[1].key), 0);
}

/* Pages from the pager become continuation entries with their own dwell. */
static int three_pages(void *ctx, const struct taulu_manifest *m,
                       const struct taulu_tz *z, const struct player_entry *e,
                       int64_t now, unsigned dwell[], size_t cap)
{
    (void)ctx;
    (void)m;
    (void)z;
    (void)now;
    if (e->kind != PLAYER_ENTRY_CARD || cap < 3) {
        dwell[0] = 8000;
        return 1;
    }
    dwell[0] = 20000;
    dwell[1] = 15000;
    dwell[2] = 9000;
    return 3;
}

static void test_continuation_pages(void **state)
{
    struct player_pager p = {three_pages, NULL};

    (void)state;
    card("long", nov(1, 0, 0), nov(30, 0, 0), "Pitkä");
    card("b", nov(1, 0, 0), nov(30, 0, 0), "B");
    assert_int_equal(
        player_schedule_compute(&F.s, &F.m, NULL, &p, nov(24, 12, 0)), 0);
    assert_int_equal(F.s.n, 6);
    assert_int_equal(F.s.entries[1].page, 1);
    assert_int_equal(F.s.entries[1].n_pages, 3);
    assert_int_equal(F.s.entries[1].dwell_ms, 15000);
    assert_int_equal(F.s.entries[3].index, 1);
}

static void test_loading_card(void **state)
{
    (void)state;
    assert_int_equal(player_cards_loading(&F.cb, "sv", PLAYER_LOADING_OFFLINE,
                                          3, 12, 1000, 4000),
                     0);
    assert_int_equal(F.cb.card.kind, RENDER_CARD_LOADING);
    assert_string_equal(F.cb.card.title, "Meddelandena laddas");
    assert_non_null(strstr(F.cb.card.body, "Nätverket fungerar inte"));
    assert_int_equal(F.cb.card.items_total, 12);
    assert_int_equal(
        player_cards_loading(&F.cb, "se", PLAYER_LOADING_FETCHING, 0, 0, 0, 0),
        0);
    assert_string_equal(F.cb.card.lang, "fi");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_empty_is_calm, setup),
        cmocka_unit_test_setup(test_dwell_from_text, setup),
        cmocka_unit_test_setup(test_expiry_mid_loop, setup),
        cmocka_unit_test_setup(test_event_ends_at_16, setup),
        cmocka_unit_test_setup(test_midnight_relabel, setup),
        cmocka_unit_test_setup(test_agenda_week, setup),
        cmocka_unit_test_setup(test_window_opens, setup),
        cmocka_unit_test_setup(test_alert_over_everything, setup),
        cmocka_unit_test_setup(test_hours_dark, setup),
        cmocka_unit_test_setup(test_hours_still, setup),
        cmocka_unit_test_setup(test_hours_contiguous, setup),
        cmocka_unit_test_setup(test_bilingual, setup),
        cmocka_unit_test_setup(test_swedish_card, setup),
        cmocka_unit_test_setup(test_dst_days, setup),
        cmocka_unit_test_setup(test_clock_sanity, setup),
        cmocka_unit_test_setup(test_hours_closed_all_week, setup),
        cmocka_unit_test_setup(test_next_wraps, setup),
        cmocka_unit_test_setup(test_continuation_pages, setup),
        cmocka_unit_test_setup(test_loading_card, setup),
        cmocka_unit_test_setup(test_recurring_next_occurrence, setup),
        cmocka_unit_test_setup(test_recurring_cancelled, setup),
        cmocka_unit_test_setup(test_recurring_agenda_rows, setup),
        cmocka_unit_test_setup(test_recurring_dst, setup),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);

    player_card_buf_release(&F.pb);
    player_card_buf_release(&F.cb);
    return rc;
}
