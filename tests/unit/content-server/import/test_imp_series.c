/*
 * test_imp_series.c: lists of occurrences as rules of the recurrence
 * model, when they are one: weekly, every n weeks with gaps as exception
 * dates, monthly by weekday (the last one too), and what is not a rule
 * (different times, lengths, random dates, two on a day, over 12 hours).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "imp_series.h"
#include "imp_test.h"

#define TZ (&taulu_tz_helsinki)

/* n occurrences at local dates `dates` ("YYYY-MM-DD"), hh:mm for len
 * seconds. */
static size_t make(struct imp_occ *o, const char *const *dates, size_t n,
                   int hh, int mm, int64_t len)
{
    size_t i;

    for (i = 0; i < n; i++) {
        int64_t d;
        int y, m, dd;
        assert_int_equal(taulu_recur_date_parse(dates[i], &d), 0);
        taulu_civil_from_days(d, &y, &m, &dd);
        assert_int_equal(
            taulu_time_from_civil(TZ, y, m, dd, hh, mm, 0, &o[i].start), 0);
        o[i].end = o[i].start + len;
        o[i].cancelled = false;
    }
    return n;
}

static const char *rrule(const struct taulu_recur *r)
{
    static char out[200];
    struct taulu_buf b;

    taulu_buf_init(&b, sizeof out - 1);
    assert_int_equal(taulu_recur_to_rrule(r, TZ, &b), 0);
    memcpy(out, b.data, b.len + 1);
    taulu_buf_release(&b);
    return out;
}

static void test_weekly(void **state)
{
    static const char *const tue[] = {"2026-12-01", "2026-12-08", "2026-12-15",
                                      "2027-01-05", "2027-01-12"};
    struct imp_occ o[8];
    struct taulu_recur r;
    const char *why;

    (void)state;
    /* Tuesdays with the two holiday weeks off: exceptions. */
    assert_true(imp_series_fit(o, make(o, tue, 5, 14, 0, 7200), TZ, &r, &why));
    assert_string_equal(rrule(&r),
                        "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270112T215959Z");
    assert_int_equal(r.n_exdates, 2);
}

static void test_every_other_week_and_days(void **state)
{
    static const char *const v[] = {"2026-12-01", "2026-12-03", "2026-12-15",
                                    "2026-12-17", "2026-12-29", "2026-12-31"};
    struct imp_occ o[8];
    struct taulu_recur r;
    const char *why;

    (void)state;
    assert_true(imp_series_fit(o, make(o, v, 6, 9, 30, 3600), TZ, &r, &why));
    assert_string_equal(rrule(&r), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;"
                                   "UNTIL=20261231T215959Z");
    assert_int_equal(r.n_exdates, 0);
}

static void test_monthly(void **state)
{
    /* the last Friday of each month */
    static const char *const last[] = {"2026-12-25", "2027-01-29", "2027-02-26",
                                       "2027-03-26"};
    /* the second Wednesday */
    static const char *const second[] = {"2026-12-09", "2027-01-13",
                                         "2027-02-10"};
    struct imp_occ o[8];
    struct taulu_recur r;
    const char *why;

    (void)state;
    assert_true(imp_series_fit(o, make(o, last, 4, 18, 0, 5400), TZ, &r, &why));
    assert_string_equal(rrule(&r), "FREQ=MONTHLY;BYDAY=-1FR;"
                                   "UNTIL=20270326T215959Z");
    assert_true(
        imp_series_fit(o, make(o, second, 3, 18, 0, 5400), TZ, &r, &why));
    assert_string_equal(rrule(&r), "FREQ=MONTHLY;BYDAY=2WE;"
                                   "UNTIL=20270210T215959Z");
}

static void test_not_a_rule(void **state)
{
    static const char *const random[] = {"2026-12-01", "2026-12-02",
                                         "2026-12-19", "2027-02-05"};
    static const char *const two[] = {"2026-12-01", "2026-12-08"};
    struct imp_occ o[8];
    struct taulu_recur r;
    const char *why;

    (void)state;
    /* dates of no rule (too many gaps to be exception dates) */
    assert_false(
        imp_series_fit(o, make(o, random, 4, 10, 0, 3600), TZ, &r, &why));
    assert_non_null(why);
    /* different times of day */
    make(o, two, 2, 10, 0, 3600);
    o[1].start += 1800;
    o[1].end += 1800;
    assert_false(imp_series_fit(o, 2, TZ, &r, &why));
    assert_string_equal(why, "occurrences at different times of day");
    /* different lengths */
    make(o, two, 2, 10, 0, 3600);
    o[1].end += 60;
    assert_false(imp_series_fit(o, 2, TZ, &r, &why));
    /* longer than 12 hours */
    make(o, two, 2, 8, 0, 13 * 3600);
    assert_false(imp_series_fit(o, 2, TZ, &r, &why));
    /* two on one day */
    make(o, two, 2, 10, 0, 3600);
    o[1] = o[0];
    o[1].start += 7200;
    o[1].end += 7200;
    assert_false(imp_series_fit(o, 2, TZ, &r, &why));
    /* one is not a series */
    assert_false(imp_series_fit(o, 1, TZ, &r, &why));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekly),
        cmocka_unit_test(test_every_other_week_and_days),
        cmocka_unit_test(test_monthly),
        cmocka_unit_test(test_not_a_rule),
    };
    taulu_tz_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
