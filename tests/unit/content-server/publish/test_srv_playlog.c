/*
 * test_srv_playlog.c: status sequences -> play spans: heartbeats credit the
 * card on screen by the server's clock, a change of card closes the
 * interval, the last will and alerts stop the count, silence is capped at
 * the republish bound, duplicates and a clock that steps back credit
 * nothing; and what a screen cannot make up: items that are not current
 * cards of its manifest, time outside a card's window, and a flood of
 * statuses with made-up `at` values (credited no more than the seconds the
 * flood took). Spans are cut at midnight in Europe/Helsinki (also on the
 * 23-hour day of the spring change).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "srv_playlog.h"
#include "taulu_err.h"
#include "taulu_manifest.h"
#include "taulu_time.h"

#define T0 1795000000 /* 2026-11-18, any instant */

static int64_t total; /* seconds credited by feed() */

/* The screen's manifest: items 1..6 current from T0 - 1 h to T0 + 1 day;
 * item 7 only until T0 + 100; item 8 only from T0 + 1000; nothing else
 * (item 99 is another centre's). */
static bool shown(void *ctx, int64_t item, int64_t now, int64_t *until)
{
    int64_t from = T0 - 3600, end = T0 + 86400;

    (void)ctx;
    if (item == 7) {
        end = T0 + 100;
    } else if (item == 8) {
        from = T0 + 1000;
    } else if (item < 1 || item > 6) {
        return false;
    }
    if (now < from || now >= end) {
        return false;
    }
    *until = end;
    return true;
}

static const struct srv_play_items manifest = {shown, NULL};

static int feed(struct srv_play_screen *s, bool online, const char *showing,
                int64_t at, int64_t now, int64_t want_item)
{
    struct srv_play_span sp;
    int got = srv_play_observe(s, 7, online, showing, at, now, &manifest, &sp);

    if (got) {
        assert_int_equal(sp.item_id, want_item);
        assert_int_equal(sp.centre_id, 7);
        assert_true(sp.end > sp.start);
        total += sp.end - sp.start;
    }
    return got;
}

static void test_item_of(void **state)
{
    int64_t id;

    (void)state;
    assert_int_equal(srv_play_item_of("i42", &id), 0);
    assert_int_equal(id, 42);
    assert_int_equal(srv_play_item_of("a42", &id), TAULU_EVALUE);
    assert_int_equal(srv_play_item_of("i0", &id), TAULU_EVALUE);
    assert_int_equal(srv_play_item_of("i042", &id), TAULU_EVALUE);
    assert_int_equal(srv_play_item_of("i4x", &id), TAULU_EVALUE);
    assert_int_equal(srv_play_item_of("i", &id), TAULU_EVALUE);
    assert_int_equal(srv_play_item_of("", &id), TAULU_EVALUE);
    assert_int_equal(srv_play_item_of(NULL, &id), TAULU_EVALUE);
    assert_int_equal(srv_play_item_of("i99999999999999999999999", &id),
                     TAULU_EVALUE);
}

static void test_heartbeats_change_offline(void **state)
{
    struct srv_play_screen s;

    (void)state;
    memset(&s, 0, sizeof s);
    total = 0;
    /* The first status opens the interval: nothing to credit yet. */
    assert_int_equal(feed(&s, true, "i1", T0, T0, 1), 0);
    assert_int_equal(feed(&s, true, "i1", T0 + 60, T0 + 60, 1), 1);
    /* the screen's clock says 60 s, the server saw 61: the smaller */
    assert_int_equal(feed(&s, true, "i1", T0 + 120, T0 + 121, 1), 1);
    assert_int_equal(total, 120);
    /* A duplicate (QoS 1 may deliver twice) credits nothing and changes
     * nothing. */
    assert_int_equal(feed(&s, true, "i1", T0 + 120, T0 + 125, 1), 0);
    /* The card changes: i1 gets the time up to the change. */
    assert_int_equal(feed(&s, true, "i2", T0 + 150, T0 + 151, 1), 1);
    assert_int_equal(total, 150);
    /* The last will has no `at`: the server's clock, 30 s later. */
    assert_int_equal(feed(&s, false, "", TAULU_NO_TIME, T0 + 181, 2), 1);
    assert_int_equal(total, 180);
    assert_false(s.showing);
    /* Offline again: nothing more. */
    assert_int_equal(feed(&s, false, "", TAULU_NO_TIME, T0 + 999, 2), 0);
    assert_int_equal(total, 180);
}

static void test_gap_cap_and_expire(void **state)
{
    struct srv_play_screen s;
    struct srv_play_span sp;

    (void)state;
    memset(&s, 0, sizeof s);
    total = 0;
    feed(&s, true, "i3", T0, T0, 3);
    /* Three hours of silence: at most the bound. */
    assert_int_equal(feed(&s, true, "i3", T0 + 3 * 3600, T0 + 3 * 3600, 3), 1);
    assert_int_equal(total, SRV_PLAY_BOUND_S);
    /* A dead screen (no last will): not expired within the bound... */
    assert_int_equal(srv_play_expire(&s, T0 + 3 * 3600 + SRV_PLAY_BOUND_S, &sp),
                     0);
    assert_true(s.showing);
    /* ...closed after it, with the bound credited, once. */
    assert_int_equal(
        srv_play_expire(&s, T0 + 3 * 3600 + SRV_PLAY_BOUND_S + 1, &sp), 1);
    assert_int_equal(sp.item_id, 3);
    assert_int_equal(sp.start, T0 + 3 * 3600);
    assert_int_equal(sp.end - sp.start, SRV_PLAY_BOUND_S);
    assert_false(s.showing);
    assert_int_equal(srv_play_expire(&s, T0 + 9 * 3600, &sp), 0);
}

static void test_alerts_and_clock(void **state)
{
    struct srv_play_screen s;

    (void)state;
    memset(&s, 0, sizeof s);
    total = 0;
    feed(&s, true, "i4", T0, T0, 4);
    /* An alert takes the screen: i4 is credited up to it, the alert's
     * time to nobody. */
    assert_int_equal(feed(&s, true, "a9", T0 + 40, T0 + 40, 4), 1);
    assert_int_equal(feed(&s, true, "a9", T0 + 100, T0 + 100, 4), 0);
    assert_int_equal(feed(&s, true, "i4", T0 + 130, T0 + 130, 4), 0);
    assert_int_equal(total, 40);
    /* The screen's clock steps back (or an old message is replayed):
     * nothing credited, counting restarts from the new reading. */
    assert_int_equal(feed(&s, true, "i4", T0 + 10, T0 + 160, 4), 0);
    assert_int_equal(feed(&s, true, "i4", T0 + 70, T0 + 220, 4), 1);
    assert_int_equal(total, 100);
    /* An `at` a week off is not believed: the server's time alone. */
    assert_int_equal(feed(&s, true, "i4", T0 - 7 * 86400, T0 + 280, 4), 1);
    assert_int_equal(total, 160);
    /* An item card while offline is not counted (20 s after the last). */
    assert_int_equal(feed(&s, false, "i4", TAULU_NO_TIME, T0 + 300, 4), 1);
    assert_int_equal(feed(&s, false, "i4", T0 + 400, T0 + 400, 4), 0);
    assert_int_equal(total, 180);
}

/* What a screen cannot make up. The case: 470 statuses in a fifth
 * of a second, each `at` 6 minutes after the last, for an item that is not
 * on the screen's manifest, credited 46.9 hours. */
static void test_forgery(void **state)
{
    struct srv_play_screen s;
    char card[16];
    int i;

    (void)state;
    /* Another centre's item: nothing, however it is told. */
    memset(&s, 0, sizeof s);
    total = 0;
    for (i = 0; i < 470; i++) {
        feed(&s, true, "i99", T0 + (int64_t)i * SRV_PLAY_BOUND_S, T0, 99);
    }
    assert_int_equal(total, 0);
    /* An item of the manifest, in the same second: nothing either. */
    memset(&s, 0, sizeof s);
    for (i = 0; i < 470; i++) {
        feed(&s, true, "i5", T0 + (int64_t)i * SRV_PLAY_BOUND_S, T0, 5);
    }
    assert_int_equal(total, 0);
    /* Spread over 10 real seconds: at most those 10 seconds. */
    memset(&s, 0, sizeof s);
    for (i = 0; i < 470; i++) {
        feed(&s, true, "i5", T0 + (int64_t)i * SRV_PLAY_BOUND_S,
             T0 + (i * 10) / 469, 5);
    }
    assert_true(total <= 10);
    /* Items switched every message: still the real seconds at most. */
    memset(&s, 0, sizeof s);
    total = 0;
    for (i = 0; i < 600; i++) {
        int64_t item = 1 + i % 6, prev = 1 + (i + 5) % 6;
        struct srv_play_span sp;
        snprintf(card, sizeof card, "i%lld", (long long)item);
        if (srv_play_observe(&s, 7, true, card, T0 + (int64_t)i * 300,
                             T0 + i / 10, &manifest, &sp)) {
            assert_int_equal(sp.item_id, prev);
            total += sp.end - sp.start;
        }
    }
    assert_true(total <= 60);
    /* A card outside its window: item 8 is not current yet; item 7 ends
     * at T0 + 100, so a minute before its end earns a minute, not more. */
    memset(&s, 0, sizeof s);
    total = 0;
    assert_int_equal(feed(&s, true, "i8", T0, T0, 8), 0);
    assert_int_equal(feed(&s, true, "i8", T0 + 60, T0 + 60, 8), 0);
    assert_int_equal(total, 0);
    memset(&s, 0, sizeof s);
    assert_int_equal(feed(&s, true, "i7", T0 + 40, T0 + 40, 7), 0);
    assert_int_equal(feed(&s, true, "i7", T0 + 340, T0 + 340, 7), 1);
    assert_int_equal(total, 60);
    /* ...and nothing after it: the card is no longer current. */
    assert_int_equal(feed(&s, true, "i7", T0 + 400, T0 + 400, 7), 0);
    assert_false(s.showing);
    /* No manifest at all (a screen whose centre was never built). */
    memset(&s, 0, sizeof s);
    {
        struct srv_play_span sp;
        assert_int_equal(srv_play_observe(&s, 7, true, "i1", T0, T0, NULL, &sp),
                         0);
        assert_int_equal(
            srv_play_observe(&s, 7, true, "i1", T0 + 60, T0 + 60, NULL, &sp),
            0);
    }
}

static void split_all(int64_t start, int64_t end, const char *d1, int64_t s1,
                      const char *d2, int64_t s2)
{
    const struct taulu_tz *hel = taulu_tz_by_name("Europe/Helsinki");
    char day[SRV_PLAY_DAY_LEN];
    int64_t secs, t;

    assert_non_null(hel);
    t = srv_play_split(start, end, hel, day, &secs);
    assert_string_equal(day, d1);
    assert_int_equal(secs, s1);
    if (!d2) {
        assert_int_equal(t, end);
        return;
    }
    t = srv_play_split(t, end, hel, day, &secs);
    assert_string_equal(day, d2);
    assert_int_equal(secs, s2);
    assert_int_equal(t, end);
}

static void test_day_boundary(void **state)
{
    int64_t t;

    (void)state;
    /* 23:55..00:05 local (EET, UTC+2) on 22/23 November 2026. */
    assert_int_equal(taulu_time_parse_iso("2026-11-22T21:55:00Z", &t), 0);
    split_all(t, t + 600, "2026-11-22", 300, "2026-11-23", 300);
    /* Within one day. */
    split_all(t - 3600, t, "2026-11-22", 3600, NULL, 0);
    /* UTC midnight is not the local one: 01:30..02:30 local. */
    assert_int_equal(taulu_time_parse_iso("2026-11-22T23:30:00Z", &t), 0);
    split_all(t, t + 3600, "2026-11-23", 3600, NULL, 0);
    /* Summer time: 23:30 EEST on 24 June .. 00:30 on 25 June. */
    assert_int_equal(taulu_time_parse_iso("2026-06-24T20:30:00Z", &t), 0);
    split_all(t, t + 3600, "2026-06-24", 1800, "2026-06-25", 1800);
    /* An empty span gives nothing. */
    {
        char day[SRV_PLAY_DAY_LEN];
        int64_t secs;
        assert_int_equal(srv_play_split(t, t,
                                        taulu_tz_by_name("Europe/Helsinki"),
                                        day, &secs),
                         t);
        assert_int_equal(secs, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_item_of),
        cmocka_unit_test(test_heartbeats_change_offline),
        cmocka_unit_test(test_gap_cap_and_expire),
        cmocka_unit_test(test_alerts_and_clock),
        cmocka_unit_test(test_forgery),
        cmocka_unit_test(test_day_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
