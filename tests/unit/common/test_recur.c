/*
 * test_recur.c: unit tests of common/taulu_recur.c (rules, series, their
 * expansion across the summer-time changes of 2026 and 2027, the JSON and
 * RRULE forms) and of taulu_fmt_recur() (the rule in words, fi/sv/en).
 *
 * The summer-time changes in Helsinki: 29.3.2026, 25.10.2026, 28.3.2027
 * and 31.10.2027, the last Sundays of March and October, at 03:00 local
 * (01:00 UTC) in spring and 04:00 local (01:00 UTC) in autumn.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "taulu_datefmt.h"
#include "taulu_err.h"
#include "taulu_recur.h"
#include "taulu_time.h"

static const struct taulu_tz *const tz = &taulu_tz_helsinki;

static int64_t hel(int y, int mo, int d, int h, int mi)
{
    int64_t t = -1;

    assert_int_equal(taulu_time_from_civil(tz, y, mo, d, h, mi, 0, &t), 0);
    return t;
}

static int64_t utc(const char *s)
{
    int64_t t = -1;

    assert_int_equal(taulu_time_parse_iso(s, &t), 0);
    return t;
}

static int64_t day(const char *s)
{
    int64_t d = 0;

    assert_int_equal(taulu_recur_date_parse(s, &d), 0);
    return d;
}

static void iso(int64_t t, char out[TAULU_ISO_LEN])
{
    taulu_time_format_iso(t, out);
}

/* A weekly series on the given ISO weekdays (0-terminated list). */
static void weekly(struct taulu_series *s, int interval, const int *wdays,
                   int64_t start, int64_t end, const char *until)
{
    memset(s, 0, sizeof *s);
    s->rule.freq = TAULU_RECUR_WEEKLY;
    s->rule.interval = interval;
    for (; *wdays; wdays++) {
        s->rule.days[s->rule.n_days].ord = 0;
        s->rule.days[s->rule.n_days].wday = *wdays;
        s->rule.n_days++;
    }
    s->rule.until = day(until);
    s->start = start;
    s->end = end;
}

static void monthly(struct taulu_series *s, const int *ord_wday, int64_t start,
                    int64_t end, const char *until)
{
    memset(s, 0, sizeof *s);
    s->rule.freq = TAULU_RECUR_MONTHLY;
    s->rule.interval = 1;
    for (; ord_wday[1]; ord_wday += 2) {
        s->rule.days[s->rule.n_days].ord = ord_wday[0];
        s->rule.days[s->rule.n_days].wday = ord_wday[1];
        s->rule.n_days++;
    }
    s->rule.until = day(until);
    s->start = start;
    s->end = end;
}

/* Expands all and checks the starts (UTC, "...Z") and that each lasts
 * `len` seconds. */
static void expect_starts(const struct taulu_series *s, const char *const *want,
                          size_t n, int64_t len)
{
    struct taulu_occurrence o[64];
    char got[TAULU_ISO_LEN];
    size_t k, i;

    assert_int_equal(taulu_series_check(s, tz, NULL), 0);
    k = taulu_series_expand(s, tz, TAULU_TIME_MIN, TAULU_TIME_MAX, o, 64);
    assert_int_equal(k, n);
    for (i = 0; i < n; i++) {
        iso(o[i].start, got);
        assert_string_equal(got, want[i]);
        assert_int_equal(o[i].end - o[i].start, len);
    }
}

static const int TU[] = {2, 0};

/* ---- dates ---- */

static void test_dates(void **state)
{
    char s[TAULU_RECUR_DATE_LEN];
    int64_t d;

    (void)state;
    assert_int_equal(taulu_recur_date_parse("1970-01-01", &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(taulu_recur_wday(0), 4); /* a Thursday */
    assert_int_equal(taulu_recur_wday(day("2026-11-24")), 2);
    assert_int_equal(taulu_recur_wday(day("1969-12-29")), 1);
    assert_int_equal(taulu_recur_date_format(day("2027-02-28"), s), 0);
    assert_string_equal(s, "2027-02-28");
    assert_int_equal(taulu_recur_date_parse("2027-02-29", &d), TAULU_EVALUE);
    assert_int_equal(taulu_recur_date_parse("2026-13-01", &d), TAULU_EVALUE);
    assert_int_equal(taulu_recur_date_parse("2026-1-01", &d), TAULU_EVALUE);
    assert_int_equal(taulu_recur_date_parse("2026-01-01T", &d), TAULU_EVALUE);
    assert_int_equal(taulu_recur_date_parse(NULL, &d), TAULU_EVALUE);
    /* the local date of an instant: 23:30 UTC is already tomorrow here */
    assert_int_equal(taulu_recur_local_day(utc("2026-11-24T23:30:00Z"), tz),
                     day("2026-11-25"));
}

/* ---- expansion across summer time ---- */

/* 14-16 every Tuesday keeps 14 local on both sides of 25.10.2026. */
static void test_weekly_autumn_2026(void **state)
{
    static const char *const want[] = {
        "2026-10-13T11:00:00Z", "2026-10-20T11:00:00Z", "2026-10-27T12:00:00Z",
        "2026-11-03T12:00:00Z"};
    struct taulu_series s;

    (void)state;
    weekly(&s, 1, TU, hel(2026, 10, 13, 14, 0), hel(2026, 10, 13, 16, 0),
           "2026-11-03");
    expect_starts(&s, want, 4, 7200);
}

static void test_weekly_spring_2027(void **state)
{
    static const char *const want[] = {
        "2027-03-16T12:00:00Z", "2027-03-23T12:00:00Z", "2027-03-30T11:00:00Z",
        "2027-04-06T11:00:00Z"};
    struct taulu_series s;

    (void)state;
    weekly(&s, 1, TU, hel(2027, 3, 16, 14, 0), hel(2027, 3, 16, 16, 0),
           "2027-04-06");
    expect_starts(&s, want, 4, 7200);
}

/* 03:30 on Sundays: on 28.3.2027 03:30 does not exist; the occurrence is
 * moved forward by the gap, to 04:30 summer time (01:30 UTC), and keeps
 * its length. The Sundays around it are 03:30 winter and summer time. */
static void test_gap_spring_2027(void **state)
{
    static const int SU[] = {7, 0};
    static const char *const want[] = {
        "2027-03-21T01:30:00Z", "2027-03-28T01:30:00Z", "2027-04-04T00:30:00Z"};
    struct taulu_series s;
    struct taulu_occurrence o[3];
    struct taulu_civil c;

    (void)state;
    weekly(&s, 1, SU, hel(2027, 3, 21, 3, 30), hel(2027, 3, 21, 4, 30),
           "2027-04-04");
    expect_starts(&s, want, 3, 3600);
    assert_int_equal(
        taulu_series_expand(&s, tz, TAULU_TIME_MIN, TAULU_TIME_MAX, o, 3), 3);
    assert_int_equal(taulu_time_to_civil(o[1].start, tz, &c), 0);
    assert_int_equal(c.hour, 4);
    assert_int_equal(c.min, 30);
    assert_int_equal(c.offset_min, 180);
    assert_int_equal(taulu_time_to_civil(o[2].start, tz, &c), 0);
    assert_int_equal(c.hour, 3);
    assert_int_equal(c.min, 30);
}

/* The autumn night: 03:30 happens twice on 25.10.2026; the first of the
 * two (summer time, 00:30 UTC) is the occurrence. */
static void test_overlap_autumn_2026(void **state)
{
    static const int SU[] = {7, 0};
    static const char *const want[] = {
        "2026-10-18T00:30:00Z", "2026-10-25T00:30:00Z", "2026-11-01T01:30:00Z"};
    struct taulu_series s;

    (void)state;
    weekly(&s, 1, SU, hel(2026, 10, 18, 3, 30), hel(2026, 10, 18, 4, 0),
           "2026-11-01");
    expect_starts(&s, want, 3, 1800);
}

/* Also across the spring change of 2026 and the autumn one of 2027. */
static void test_weekly_2026_spring_2027_autumn(void **state)
{
    static const char *const spring[] = {"2026-03-24T12:00:00Z",
                                         "2026-03-31T11:00:00Z"};
    static const char *const autumn[] = {"2027-10-26T11:00:00Z",
                                         "2027-11-02T12:00:00Z"};
    struct taulu_series s;

    (void)state;
    weekly(&s, 1, TU, hel(2026, 3, 24, 14, 0), hel(2026, 3, 24, 16, 0),
           "2026-03-31");
    expect_starts(&s, spring, 2, 7200);
    weekly(&s, 1, TU, hel(2027, 10, 26, 14, 0), hel(2027, 10, 26, 16, 0),
           "2027-11-02");
    expect_starts(&s, autumn, 2, 7200);
}

static void test_every_other_week(void **state)
{
    static const int WE[] = {3, 0};
    static const int TU_TH[] = {4, 2, 0}; /* given out of order */
    static const char *const want[] = {
        "2026-11-04T13:00:00Z", "2026-11-18T13:00:00Z", "2026-12-02T13:00:00Z"};
    static const char *const want2[] = {
        "2026-11-24T08:00:00Z", "2026-11-26T08:00:00Z", "2026-12-08T08:00:00Z",
        "2026-12-10T08:00:00Z"};
    struct taulu_series s;

    (void)state;
    weekly(&s, 2, WE, hel(2026, 11, 4, 15, 0), hel(2026, 11, 4, 17, 0),
           "2026-12-08");
    expect_starts(&s, want, 3, 7200);
    /* the phase is the first occurrence's week (WKST=MO) */
    assert_true(
        taulu_recur_matches(&s.rule, day("2026-11-04"), day("2026-11-18")));
    assert_false(
        taulu_recur_matches(&s.rule, day("2026-11-04"), day("2026-11-11")));
    /* two days a week, every other week, from a Tuesday */
    weekly(&s, 2, TU_TH, hel(2026, 11, 24, 10, 0), hel(2026, 11, 24, 12, 0),
           "2026-12-11");
    expect_starts(&s, want2, 4, 7200);
}

static void test_monthly(void **state)
{
    static const int first_mo[] = {1, 1, 0, 0};
    static const int last_fr[] = {-1, 5, 0, 0};
    static const int tu_1_3[] = {3, 2, 1, 2, 0, 0};
    /* in a month with four Tuesdays the fourth is the last: one date */
    static const int tu_4_last[] = {4, 2, -1, 2, 0, 0};
    static const char *const mo[] = {
        "2026-11-02T12:00:00Z", "2026-12-07T12:00:00Z", "2027-01-04T12:00:00Z"};
    static const char *const fr[] = {
        "2026-11-27T16:00:00Z", "2026-12-25T16:00:00Z", "2027-01-29T16:00:00Z"};
    static const char *const tu13[] = {
        "2026-11-03T16:00:00Z", "2026-11-17T16:00:00Z", "2026-12-01T16:00:00Z",
        "2026-12-15T16:00:00Z"};
    /* Nov 2026: Tuesdays 3, 10, 17, 24 (4th = last); Dec: 1, 8, 15, 22,
     * 29 (4th 22, last 29) */
    static const char *const tu4l[] = {
        "2026-11-24T16:00:00Z", "2026-12-22T16:00:00Z", "2026-12-29T16:00:00Z"};
    struct taulu_series s;

    (void)state;
    monthly(&s, first_mo, hel(2026, 11, 2, 14, 0), hel(2026, 11, 2, 16, 0),
            "2027-01-31");
    expect_starts(&s, mo, 3, 7200);
    monthly(&s, last_fr, hel(2026, 11, 27, 18, 0), hel(2026, 11, 27, 19, 30),
            "2027-02-26");
    assert_int_equal(s.rule.until, day("2027-02-26"));
    s.rule.until = day("2027-02-25"); /* 26.2.2027 is the last Friday */
    expect_starts(&s, fr, 3, 5400);
    monthly(&s, tu_1_3, hel(2026, 11, 3, 18, 0), hel(2026, 11, 3, 20, 0),
            "2026-12-31");
    expect_starts(&s, tu13, 4, 7200);
    monthly(&s, tu_4_last, hel(2026, 11, 24, 18, 0), hel(2026, 11, 24, 20, 0),
            "2026-12-31");
    expect_starts(&s, tu4l, 3, 7200);
    /* not the first Monday */
    assert_false(
        taulu_recur_matches(&s.rule, day("2026-11-24"), day("2026-12-08")));
}

static void test_exdates_and_cancelled(void **state)
{
    struct taulu_series s;
    struct taulu_occurrence o[8];
    char got[TAULU_ISO_LEN];
    size_t n;

    (void)state;
    weekly(&s, 1, TU, hel(2026, 11, 24, 14, 0), hel(2026, 11, 24, 16, 0),
           "2027-01-12");
    s.rule.exdates[s.rule.n_exdates++] = day("2026-12-29");
    s.rule.exdates[s.rule.n_exdates++] = day("2026-12-22");
    taulu_recur_normalize(&s.rule);
    assert_int_equal(s.rule.exdates[0], day("2026-12-22"));
    s.cancelled[s.n_cancelled++] = day("2026-12-08");
    assert_int_equal(taulu_series_check(&s, tz, NULL), 0);
    n = taulu_series_expand(&s, tz, TAULU_TIME_MIN, TAULU_TIME_MAX, o, 8);
    /* 24.11, 1.12, 8.12 (cancelled), 15.12, 5.1, 12.1 */
    assert_int_equal(n, 6);
    assert_false(o[1].cancelled);
    assert_true(o[2].cancelled);
    iso(o[4].start, got);
    assert_string_equal(got, "2027-01-05T12:00:00Z");
    assert_true(taulu_series_is_cancelled(&s, day("2026-12-08")));
    assert_false(taulu_series_is_cancelled(&s, day("2026-12-15")));
    /* a window: what ends after `from` and starts before `to`; the count
     * is all of them, also beyond cap */
    n = taulu_series_expand(&s, tz, hel(2026, 12, 1, 15, 0),
                            hel(2027, 1, 5, 14, 0), o, 2);
    assert_int_equal(n, 3); /* 1.12 (running), 8.12, 15.12 */
    iso(o[0].start, got);
    assert_string_equal(got, "2026-12-01T12:00:00Z");
    assert_int_equal(taulu_series_last_end(&s, tz), hel(2027, 1, 12, 16, 0));
}

static void test_series_check(void **state)
{
    static const int MO_TH[] = {1, 4, 0};
    struct taulu_series s;
    struct taulu_recur_err e;
    int sm, em;

    (void)state;
    weekly(&s, 1, TU, hel(2026, 11, 24, 14, 0), hel(2026, 11, 24, 16, 0),
           "2027-05-25");
    assert_int_equal(taulu_series_check(&s, tz, &e), 0);
    taulu_series_times(&s, tz, &sm, &em);
    assert_int_equal(sm, 14 * 60);
    assert_int_equal(em, 16 * 60);

    /* the first occurrence must be on a day of the rule */
    weekly(&s, 1, MO_TH, hel(2026, 11, 24, 14, 0), hel(2026, 11, 24, 16, 0),
           "2027-05-25");
    assert_int_equal(taulu_series_check(&s, tz, &e), TAULU_EVALUE);
    assert_string_equal(e.code, "start_not_in_rule");
    assert_string_equal(e.field, "starts_at");

    weekly(&s, 1, TU, hel(2026, 11, 24, 14, 0), hel(2026, 11, 24, 16, 0),
           "2026-11-23");
    assert_int_equal(taulu_series_check(&s, tz, &e), TAULU_EVALUE);
    assert_string_equal(e.code, "bad_window");
    assert_string_equal(e.field, "recurrence.until");

    s.rule.until = TAULU_RECUR_NO_DATE;
    assert_int_equal(taulu_series_check(&s, tz, &e), TAULU_EVALUE);
    assert_string_equal(e.code, "missing_field");

    /* 7 days a week for over a year: too many */
    {
        static const int ALL[] = {1, 2, 3, 4, 5, 6, 7, 0};
        weekly(&s, 1, ALL, hel(2026, 11, 24, 14, 0), hel(2026, 11, 24, 16, 0),
               "2027-12-31");
        assert_int_equal(taulu_series_check(&s, tz, &e), TAULU_EVALUE);
        assert_string_equal(e.code, "too_many_occurrences");
        s.rule.until = day("2027-11-24"); /* 366 days */
        assert_int_equal(taulu_series_check(&s, tz, &e), 0);
    }

    weekly(&s, 1, TU, hel(2026, 11, 24, 14, 0), hel(2026, 11, 25, 2, 1),
           "2027-05-25");
    assert_int_equal(taulu_series_check(&s, tz, &e), TAULU_EVALUE);
    assert_string_equal(e.field, "ends_at");
    s.end = s.start;
    assert_int_equal(taulu_series_check(&s, tz, &e), TAULU_EVALUE);
    assert_string_equal(e.code, "bad_window");

    weekly(&s, 1, TU, hel(2026, 11, 24, 14, 0), hel(2026, 11, 24, 16, 0),
           "2027-05-25");
    s.rule.exdates[s.rule.n_exdates++] = day("2026-12-30"); /* a Wednesday */
    assert_int_equal(taulu_series_check(&s, tz, &e), TAULU_EVALUE);
    assert_string_equal(e.code, "not_an_occurrence");
    assert_string_equal(e.field, "recurrence.exdates[0]");
    s.rule.exdates[0] = day("2027-06-01"); /* after until */
    assert_int_equal(taulu_series_check(&s, tz, &e), TAULU_EVALUE);
    s.rule.exdates[0] = day("2026-12-29");
    assert_int_equal(taulu_series_check(&s, tz, &e), 0);
    s.cancelled[s.n_cancelled++] = day("2026-12-29"); /* an exdate */
    assert_int_equal(taulu_series_check(&s, tz, &e), TAULU_EVALUE);
    assert_string_equal(e.field, "cancelled[0]");
    s.cancelled[0] = day("2026-12-15");
    assert_int_equal(taulu_series_check(&s, tz, &e), 0);

    /* every occurrence an exception: nothing left */
    weekly(&s, 1, TU, hel(2026, 11, 24, 14, 0), hel(2026, 11, 24, 16, 0),
           "2026-11-24");
    s.rule.exdates[s.rule.n_exdates++] = day("2026-11-24");
    assert_int_equal(taulu_series_check(&s, tz, &e), TAULU_EVALUE);
    assert_string_equal(e.field, "recurrence.exdates");

    /* rules */
    weekly(&s, 5, TU, hel(2026, 11, 24, 14, 0), hel(2026, 11, 24, 16, 0),
           "2027-05-25");
    assert_int_equal(taulu_recur_check(&s.rule, &e), TAULU_EVALUE);
    assert_string_equal(e.field, "recurrence.interval");
    s.rule.interval = 1;
    s.rule.days[1] = s.rule.days[0];
    s.rule.n_days = 2;
    assert_int_equal(taulu_recur_check(&s.rule, &e), TAULU_EVALUE);
    assert_string_equal(e.code, "duplicate_value");
    s.rule.n_days = 1;
    s.rule.days[0].ord = 1; /* an ordinal in a weekly rule */
    assert_int_equal(taulu_recur_check(&s.rule, &e), TAULU_EVALUE);
    s.rule.freq = TAULU_RECUR_MONTHLY;
    assert_int_equal(taulu_recur_check(&s.rule, &e), 0);
    s.rule.days[0].ord = 5;
    assert_int_equal(taulu_recur_check(&s.rule, &e), TAULU_EVALUE);
    s.rule.days[0].ord = -1;
    s.rule.interval = 2;
    assert_int_equal(taulu_recur_check(&s.rule, &e), TAULU_EVALUE);
}

/* ---- JSON ---- */

static int from_json(const char *text, struct taulu_recur *r,
                     struct taulu_recur_err *e)
{
    cJSON *o = cJSON_Parse(text);
    int rc;

    assert_non_null(o);
    rc = taulu_recur_from_json(o, "recurrence", r, e);
    cJSON_Delete(o);
    return rc;
}

static void test_json(void **state)
{
    struct taulu_recur r, r2;
    struct taulu_recur_err e;
    cJSON *o;
    char *s;

    (void)state;
    assert_int_equal(
        from_json("{\"freq\":\"weekly\",\"interval\":2,\"byday\":[\"TH\","
                  "\"TU\"],\"until\":\"2027-05-25\",\"exdates\":"
                  "[\"2027-01-05\",\"2026-12-29\"]}",
                  &r, &e),
        0);
    assert_int_equal(r.freq, TAULU_RECUR_WEEKLY);
    assert_int_equal(r.interval, 2);
    assert_int_equal(r.days[0].wday, 2); /* sorted */
    assert_int_equal(r.until, day("2027-05-25"));
    o = taulu_recur_to_json(&r);
    s = cJSON_PrintUnformatted(o);
    assert_string_equal(s, "{\"freq\":\"weekly\",\"interval\":2,\"byday\":"
                           "[\"TU\",\"TH\"],\"until\":\"2027-05-25\","
                           "\"exdates\":[\"2026-12-29\",\"2027-01-05\"]}");
    assert_int_equal(taulu_recur_from_json(o, "recurrence", &r2, &e), 0);
    assert_true(taulu_recur_equal(&r, &r2));
    cJSON_free(s);
    cJSON_Delete(o);

    /* defaults: interval 1, no until yet, no exdates */
    assert_int_equal(
        from_json("{\"freq\":\"monthly\",\"byday\":[\"-1FR\",\"1MO\"]}", &r,
                  &e),
        0);
    assert_int_equal(r.interval, 1);
    assert_int_equal(r.until, TAULU_RECUR_NO_DATE);
    assert_int_equal(r.days[0].ord, 1);
    assert_int_equal(r.days[1].ord, -1);

    assert_int_equal(
        from_json("{\"freq\":\"daily\",\"byday\":[\"TU\"]}", &r, &e),
        TAULU_EVALUE);
    assert_string_equal(e.field, "recurrence.freq");
    assert_string_equal(e.code, "invalid_value");
    assert_int_equal(from_json("{\"freq\":\"weekly\",\"byday\":[\"TU\"],"
                               "\"count\":3}",
                               &r, &e),
                     TAULU_EVALUE);
    assert_string_equal(e.code, "unknown_field");
    assert_string_equal(e.field, "recurrence.count");
    assert_int_equal(
        from_json("{\"freq\":\"weekly\",\"byday\":[\"TU\",\"1WE\"]}", &r, &e),
        TAULU_EVALUE);
    assert_string_equal(e.field, "recurrence.byday[1]");
    assert_int_equal(
        from_json("{\"freq\":\"monthly\",\"byday\":[\"WE\"]}", &r, &e),
        TAULU_EVALUE);
    assert_int_equal(
        from_json("{\"freq\":\"monthly\",\"byday\":[\"5WE\"]}", &r, &e),
        TAULU_EVALUE);
    assert_int_equal(
        from_json("{\"freq\":\"weekly\",\"byday\":[\"TU\"],\"interval\":1.5}",
                  &r, &e),
        TAULU_EVALUE);
    assert_string_equal(e.code, "wrong_type");
    assert_int_equal(
        from_json("{\"freq\":\"weekly\",\"byday\":[\"TU\"],\"interval\":9}", &r,
                  &e),
        TAULU_EVALUE);
    assert_string_equal(e.code, "out_of_range");
    assert_int_equal(
        from_json("{\"freq\":\"weekly\",\"byday\":[],\"until\":\"x\"}", &r, &e),
        TAULU_EVALUE);
    assert_int_equal(from_json("{\"freq\":\"weekly\",\"byday\":[\"TU\"],"
                               "\"until\":\"2027-02-30\"}",
                               &r, &e),
                     TAULU_EVALUE);
    assert_string_equal(e.field, "recurrence.until");
    assert_int_equal(from_json("{\"freq\":\"weekly\",\"byday\":[\"TU\"],"
                               "\"exdates\":[\"2027-01-05\",\"2027-01-05\"]}",
                               &r, &e),
                     TAULU_EVALUE);
    assert_string_equal(e.code, "duplicate_value");
    assert_int_equal(from_json("[1]", &r, &e), TAULU_EVALUE);
    assert_string_equal(e.code, "wrong_type");
}

/* ---- RRULE ---- */

static void test_rrule(void **state)
{
    struct taulu_recur r, r2;
    struct taulu_buf b;
    const char *why = NULL;
    int64_t first = hel(2026, 11, 24, 14, 0);

    (void)state;
    taulu_buf_init(&b, 256);
    assert_int_equal(
        from_json("{\"freq\":\"weekly\",\"interval\":2,\"byday\":[\"TU\","
                  "\"TH\"],\"until\":\"2027-05-25\"}",
                  &r, NULL),
        0);
    assert_int_equal(taulu_recur_to_rrule(&r, tz, &b), 0);
    /* the end of 25.5.2027 in summer time is 20:59:59 UTC */
    assert_string_equal(b.data,
                        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20270525T"
                        "205959Z");
    assert_int_equal(taulu_recur_from_rrule(b.data, first, tz, &r2, &why), 0);
    assert_true(taulu_recur_equal(&r, &r2));

    taulu_buf_reset(&b);
    assert_int_equal(
        from_json("{\"freq\":\"monthly\",\"byday\":[\"1MO\",\"-1FR\"],"
                  "\"until\":\"2027-01-31\"}",
                  &r, NULL),
        0);
    assert_int_equal(taulu_recur_to_rrule(&r, tz, &b), 0);
    assert_string_equal(b.data,
                        "FREQ=MONTHLY;BYDAY=1MO,-1FR;UNTIL=20270131T215959Z");
    assert_int_equal(taulu_recur_from_rrule(b.data, first, tz, &r2, NULL), 0);
    assert_true(taulu_recur_equal(&r, &r2));

    /* UNTIL forms: a date; a UTC time before that day's 14:00 leaves the
     * day out; a local date-time; lower case and WKST=MO are fine */
    assert_int_equal(taulu_recur_from_rrule("FREQ=WEEKLY;BYDAY=TU;UNTIL="
                                            "20261208",
                                            first, tz, &r2, NULL),
                     0);
    assert_int_equal(r2.until, day("2026-12-08"));
    assert_int_equal(taulu_recur_from_rrule("FREQ=WEEKLY;BYDAY=TU;UNTIL="
                                            "20261208T115959Z",
                                            first, tz, &r2, NULL),
                     0);
    assert_int_equal(r2.until, day("2026-12-07"));
    assert_int_equal(taulu_recur_from_rrule("FREQ=WEEKLY;BYDAY=TU;UNTIL="
                                            "20261208T120000Z",
                                            first, tz, &r2, NULL),
                     0);
    assert_int_equal(r2.until, day("2026-12-08"));
    assert_int_equal(taulu_recur_from_rrule("freq=weekly;wkst=mo;byday=tu;"
                                            "until=20261208T140000",
                                            first, tz, &r2, NULL),
                     0);
    assert_int_equal(r2.until, day("2026-12-08"));
    assert_int_equal(
        taulu_recur_from_rrule("FREQ=WEEKLY;BYDAY=TU", first, tz, &r2, NULL),
        0);
    assert_int_equal(r2.until, TAULU_RECUR_NO_DATE);

    /* outside the subset */
    assert_int_equal(taulu_recur_from_rrule("FREQ=WEEKLY;BYDAY=TU;COUNT=5",
                                            first, tz, &r2, &why),
                     TAULU_EVALUE);
    assert_non_null(strstr(why, "COUNT"));
    assert_int_equal(taulu_recur_from_rrule("FREQ=DAILY", first, tz, &r2, NULL),
                     TAULU_EVALUE);
    assert_int_equal(taulu_recur_from_rrule("FREQ=MONTHLY;BYMONTHDAY=1", first,
                                            tz, &r2, NULL),
                     TAULU_EVALUE);
    assert_int_equal(taulu_recur_from_rrule("FREQ=WEEKLY;BYDAY=TU;WKST=SU",
                                            first, tz, &r2, NULL),
                     TAULU_EVALUE);
    assert_int_equal(taulu_recur_from_rrule("FREQ=WEEKLY;FREQ=WEEKLY;BYDAY=TU",
                                            first, tz, &r2, NULL),
                     TAULU_EVALUE);
    assert_int_equal(
        taulu_recur_from_rrule("FREQ=WEEKLY;BYDAY=2TU", first, tz, &r2, NULL),
        TAULU_EVALUE);
    assert_int_equal(taulu_recur_from_rrule("FREQ=WEEKLY;INTERVAL=7;BYDAY=TU",
                                            first, tz, &r2, NULL),
                     TAULU_EVALUE);
    assert_int_equal(taulu_recur_from_rrule("BYDAY=TU", first, tz, &r2, NULL),
                     TAULU_EVALUE);
    assert_int_equal(taulu_recur_from_rrule("FREQ=WEEKLY;BYDAY=TU;UNTIL=2026",
                                            first, tz, &r2, NULL),
                     TAULU_EVALUE);
    r.until = TAULU_RECUR_NO_DATE;
    assert_int_equal(taulu_recur_to_rrule(&r, tz, &b), TAULU_EINVAL);
    taulu_buf_release(&b);
}

/* ---- words ---- */

static const char *words(enum taulu_lang lang, bool plain, const char *json,
                         int start_min, int end_min)
{
    static struct taulu_buf b;
    static bool init;
    struct taulu_recur r;

    if (!init) {
        taulu_buf_init(&b, 512);
        init = true;
    }
    taulu_buf_reset(&b);
    assert_int_equal(from_json(json, &r, NULL), 0);
    assert_int_equal(taulu_fmt_recur(&b, lang, plain, &r, start_min, end_min),
                     0);
    return b.data;
}

#define W_TU  "{\"freq\":\"weekly\",\"byday\":[\"TU\"]}"
#define W2_WE "{\"freq\":\"weekly\",\"interval\":2,\"byday\":[\"WE\"]}"
#define W3_WE "{\"freq\":\"weekly\",\"interval\":3,\"byday\":[\"WE\"]}"
#define W4_WE "{\"freq\":\"weekly\",\"interval\":4,\"byday\":[\"WE\"]}"
#define W_MTF "{\"freq\":\"weekly\",\"byday\":[\"FR\",\"MO\",\"WE\"]}"
#define W_MT  "{\"freq\":\"weekly\",\"byday\":[\"TH\",\"MO\"]}"
#define M_1MO "{\"freq\":\"monthly\",\"byday\":[\"1MO\"]}"
#define M_LFR "{\"freq\":\"monthly\",\"byday\":[\"-1FR\"]}"
#define M_13  "{\"freq\":\"monthly\",\"byday\":[\"3TU\",\"1TU\"]}"
#define M_MIX "{\"freq\":\"monthly\",\"byday\":[\"-1FR\",\"1MO\"]}"

static void test_words_fi(void **state)
{
    enum taulu_lang fi = TAULU_LANG_FI;

    (void)state;
    assert_string_equal(words(fi, false, W_TU, 840, 960),
                        "joka tiistai klo 14–16");
    assert_string_equal(words(fi, true, W_TU, 840, 960),
                        "joka tiistai kello 14–16");
    assert_string_equal(words(fi, false, W2_WE, 570, 660),
                        "joka toinen keskiviikko klo 9.30–11");
    assert_string_equal(words(fi, false, W3_WE, 570, 660),
                        "joka kolmas keskiviikko klo 9.30–11");
    assert_string_equal(words(fi, false, W4_WE, 570, 660),
                        "joka neljäs keskiviikko klo 9.30–11");
    assert_string_equal(words(fi, false, W_MT, 600, 720),
                        "joka maanantai ja torstai klo 10–12");
    assert_string_equal(words(fi, false, W_MTF, 600, 720),
                        "joka maanantai, keskiviikko ja perjantai klo 10–12");
    assert_string_equal(words(fi, false, M_1MO, 840, 960),
                        "kuukauden ensimmäinen maanantai klo 14–16");
    assert_string_equal(words(fi, false, M_LFR, 1080, 1440),
                        "kuukauden viimeinen perjantai klo 18–24");
    assert_string_equal(words(fi, false, M_13, 1080, 1200),
                        "kuukauden ensimmäinen ja kolmas tiistai klo 18–20");
    assert_string_equal(
        words(fi, false, M_MIX, 840, 960),
        "kuukauden ensimmäinen maanantai ja viimeinen perjantai klo 14–16");
    /* over midnight; no end */
    assert_string_equal(words(fi, false, W_TU, 1320, 120),
                        "joka tiistai klo 22–2");
    assert_string_equal(words(fi, false, W_TU, 840, -1), "joka tiistai klo 14");
    /* without the time, which the "when" row above it says already */
    assert_string_equal(words(fi, true, W_TU, -1, 960), "joka tiistai");
    assert_string_equal(words(TAULU_LANG_SV, false, W_TU, -1, -1),
                        "varje tisdag");
    assert_string_equal(words(TAULU_LANG_EN, false, M_13, -1, 1200),
                        "first and third Tuesday of the month");
}

static void test_words_sv(void **state)
{
    enum taulu_lang sv = TAULU_LANG_SV;

    (void)state;
    assert_string_equal(words(sv, false, W_TU, 840, 960),
                        "varje tisdag kl. 14.00–16.00");
    assert_string_equal(words(sv, true, W_TU, 840, 960),
                        "varje tisdag klockan 14.00–16.00");
    assert_string_equal(words(sv, false, W2_WE, 570, 660),
                        "varannan onsdag kl. 9.30–11.00");
    assert_string_equal(words(sv, false, W3_WE, 570, 660),
                        "var tredje onsdag kl. 9.30–11.00");
    assert_string_equal(words(sv, false, W4_WE, 570, 660),
                        "var fjärde onsdag kl. 9.30–11.00");
    assert_string_equal(words(sv, false, W_MTF, 600, 720),
                        "varje måndag, onsdag och fredag kl. 10.00–12.00");
    assert_string_equal(words(sv, false, M_1MO, 840, 960),
                        "första måndagen i månaden kl. 14.00–16.00");
    assert_string_equal(words(sv, false, M_LFR, 840, 960),
                        "sista fredagen i månaden kl. 14.00–16.00");
    assert_string_equal(words(sv, false, M_13, 1080, 1200),
                        "första och tredje tisdagen i månaden kl. 18.00–20.00");
    assert_string_equal(
        words(sv, false, M_MIX, 840, 960),
        "första måndagen och sista fredagen i månaden kl. 14.00–16.00");
}

static void test_words_en(void **state)
{
    enum taulu_lang en = TAULU_LANG_EN;
    struct taulu_recur r;
    struct taulu_buf b;

    (void)state;
    assert_string_equal(words(en, false, W_TU, 840, 960),
                        "every Tuesday 14.00–16.00");
    assert_string_equal(words(en, true, W_TU, 840, 960),
                        "every Tuesday 14.00–16.00");
    assert_string_equal(words(en, false, W2_WE, 570, 660),
                        "every other Wednesday 9.30–11.00");
    assert_string_equal(words(en, false, W3_WE, 570, 660),
                        "every third Wednesday 9.30–11.00");
    assert_string_equal(words(en, false, W_MT, 600, 720),
                        "every Monday and Thursday 10.00–12.00");
    assert_string_equal(words(en, false, M_1MO, 840, 960),
                        "first Monday of the month 14.00–16.00");
    assert_string_equal(words(en, false, M_13, 1080, 1200),
                        "first and third Tuesday of the month 18.00–20.00");
    assert_string_equal(
        words(en, false, M_MIX, 840, 960),
        "first Monday and last Friday of the month 14.00–16.00");

    /* refusals: a bad rule, a bad time, an unknown language; the buffer
     * keeps what it held */
    taulu_buf_init(&b, 64);
    assert_int_equal(from_json(W_TU, &r, NULL), 0);
    r.interval = 0;
    assert_int_equal(taulu_fmt_recur(&b, en, false, &r, 840, 960),
                     TAULU_EINVAL);
    r.interval = 1;
    assert_int_equal(taulu_fmt_recur(&b, en, false, &r, 1440, 960),
                     TAULU_EINVAL);
    assert_int_equal(
        taulu_fmt_recur(&b, (enum taulu_lang)7, false, &r, 840, 960),
        TAULU_EINVAL);
    assert_int_equal(b.len, 0);
    taulu_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_weekly_autumn_2026),
        cmocka_unit_test(test_weekly_spring_2027),
        cmocka_unit_test(test_gap_spring_2027),
        cmocka_unit_test(test_overlap_autumn_2026),
        cmocka_unit_test(test_weekly_2026_spring_2027_autumn),
        cmocka_unit_test(test_every_other_week),
        cmocka_unit_test(test_monthly),
        cmocka_unit_test(test_exdates_and_cancelled),
        cmocka_unit_test(test_series_check),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_rrule),
        cmocka_unit_test(test_words_fi),
        cmocka_unit_test(test_words_sv),
        cmocka_unit_test(test_words_en),
    };
    taulu_tz_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
