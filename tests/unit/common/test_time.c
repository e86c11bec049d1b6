/*
 * test_time.c: unit tests of common/taulu_time.c: the calendar, the EU
 * summer-time rule with its gap and overlap, local midnights and the
 * strict RFC 3339 parser and formatter.
 *
 * Expected instants were checked against tzdata's Europe/Helsinki (Python
 * zoneinfo) when the tests were written. They are all from years in which
 * the system's tzdata, which the built-in zones read, and the fallback EU
 * rule agree; test_tzif.c compares both with glibc hour by hour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "taulu_err.h"
#include "taulu_time.h"

#define HOUR 3600
#define DAY  86400

/* An instant from UTC civil time. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    return taulu_days_from_civil(y, mo, d) * DAY + h * HOUR + mi * 60 + s;
}

/* An instant from Helsinki civil time; the test fails if it is invalid. */
static int64_t hel(int y, int mo, int d, int h, int mi, int s)
{
    int64_t t = -1;

    assert_int_equal(
        taulu_time_from_civil(&taulu_tz_helsinki, y, mo, d, h, mi, s, &t), 0);
    return t;
}

static void assert_civil(int64_t t, const struct taulu_tz *tz, int y, int mo,
                         int d, int h, int mi, int s, int off)
{
    struct taulu_civil c;

    assert_int_equal(taulu_time_to_civil(t, tz, &c), 0);
    assert_int_equal(c.year, y);
    assert_int_equal(c.month, mo);
    assert_int_equal(c.day, d);
    assert_int_equal(c.hour, h);
    assert_int_equal(c.min, mi);
    assert_int_equal(c.sec, s);
    assert_int_equal(c.offset_min, off);
}

static void test_days_known(void **state)
{
    int y, m, d;

    (void)state;
    assert_int_equal(taulu_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(taulu_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(taulu_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(taulu_days_from_civil(2028, 2, 29), 21243);
    assert_int_equal(taulu_days_from_civil(1, 1, 1), -719162);
    assert_int_equal(taulu_days_from_civil(9999, 12, 31), 2932896);

    taulu_civil_from_days(-719162, &y, &m, &d);
    assert_int_equal(y, 1);
    assert_int_equal(m, 1);
    assert_int_equal(d, 1);
    taulu_civil_from_days(-1, &y, &m, &d);
    assert_int_equal(y, 1969);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
    taulu_civil_from_days(21244, &y, &m, &d);
    assert_int_equal(y, 2028);
    assert_int_equal(m, 3);
    assert_int_equal(d, 1);
}

/* Every day from year 1 to 9999: the day after each date is the next date
 * of the calendar, and both functions are inverses. */
static void test_days_round_trip(void **state)
{
    static const int mlen[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    int64_t days = taulu_days_from_civil(1, 1, 1);
    int y, m, d;

    (void)state;
    for (y = 1; y <= 9999; y++) {
        int leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);

        for (m = 1; m <= 12; m++) {
            int len = mlen[m - 1] + (m == 2 && leap);

            for (d = 1; d <= len; d++, days++) {
                int cy, cm, cd;

                taulu_civil_from_days(days, &cy, &cm, &cd);
                if (cy != y || cm != m || cd != d ||
                    taulu_days_from_civil(y, m, d) != days) {
                    fail_msg("day %lld is not %04d-%02d-%02d", (long long)days,
                             y, m, d);
                }
            }
        }
    }
}

static void test_days_in_month(void **state)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m;

    (void)state;
    for (y = 1; y <= 2400; y++) {
        for (m = 1; m <= 12; m++) {
            /* The day after the last is the 1st of the next month. */
            int ny, nm, nd;

            taulu_civil_from_days(
                taulu_days_from_civil(y, m, taulu_days_in_month(y, m)) + 1, &ny,
                &nm, &nd);
            assert_int_equal(nd, 1);
            assert_int_equal(nm, m % 12 + 1);
            if (m != 2) {
                assert_int_equal(taulu_days_in_month(y, m), len[m - 1]);
            }
        }
    }
    assert_int_equal(taulu_days_in_month(2028, 2), 29);
    assert_int_equal(taulu_days_in_month(2000, 2), 29);
    assert_int_equal(taulu_days_in_month(2100, 2), 28);
    assert_int_equal(taulu_days_in_month(2027, 2), 28);
}

static void test_days_extremes_do_not_crash(void **state)
{
    int y, m, d;

    (void)state;
    taulu_civil_from_days(INT64_MAX, &y, &m, &d);
    assert_int_equal(y, 1000000);
    taulu_civil_from_days(INT64_MIN, &y, &m, &d);
    assert_int_equal(y, -1000000);
    assert_int_equal(taulu_days_from_civil(-1, 3, 1),
                     taulu_days_from_civil(-1, 2, 28) + 1);
}

static void test_weekday_and_yday(void **state)
{
    struct taulu_civil c;

    (void)state;
    assert_int_equal(taulu_time_to_civil(hel(2026, 11, 24, 12, 0, 0),
                                         &taulu_tz_helsinki, &c),
                     0);
    assert_int_equal(c.wday, 2); /* Tuesday */
    assert_int_equal(c.yday, 328);
    assert_int_equal(taulu_time_to_civil(0, &taulu_tz_utc, &c), 0);
    assert_int_equal(c.wday, 4); /* 1970-01-01 was a Thursday */
    assert_int_equal(c.yday, 1);
    assert_int_equal(
        taulu_time_to_civil(utc(1969, 12, 28, 12, 0, 0), &taulu_tz_utc, &c), 0);
    assert_int_equal(c.wday, 7); /* Sunday, before the epoch */
    assert_int_equal(
        taulu_time_to_civil(utc(2028, 12, 31, 0, 0, 0), &taulu_tz_utc, &c), 0);
    assert_int_equal(c.yday, 366);
    assert_int_equal(c.wday, 7);
}

/* The instants (UTC 01:00) of the changes, from tzdata. */
static const struct {
    int year, month, day;
    int64_t t;
} changes[] = {
    {2025, 3, 30, 1743296400}, {2025, 10, 26, 1761440400},
    {2026, 3, 29, 1774746000}, {2026, 10, 25, 1792890000},
    {2027, 3, 28, 1806195600}, {2027, 10, 31, 1824944400},
};

static void test_offsets_around_changes(void **state)
{
    const struct taulu_tz *sto = taulu_tz_by_name("Europe/Stockholm");
    size_t i;

    (void)state;
    for (i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        int64_t t = changes[i].t;
        int spring = changes[i].month == 3;
        int before = spring ? 120 : 180, after = spring ? 180 : 120;

        assert_int_equal(
            t, utc(changes[i].year, changes[i].month, changes[i].day, 1, 0, 0));
        assert_int_equal(taulu_tz_offset_at(&taulu_tz_helsinki, t - 1), before);
        assert_int_equal(taulu_tz_offset_at(&taulu_tz_helsinki, t), after);
        /* Stockholm changes at the same instant, an hour behind. */
        assert_int_equal(taulu_tz_offset_at(sto, t - 1), before - 60);
        assert_int_equal(taulu_tz_offset_at(sto, t), after - 60);
        assert_int_equal(taulu_tz_offset_at(&taulu_tz_utc, t), 0);
    }
    /* Mid-winter and mid-summer. */
    assert_int_equal(
        taulu_tz_offset_at(&taulu_tz_helsinki, utc(2026, 1, 15, 12, 0, 0)),
        120);
    assert_int_equal(
        taulu_tz_offset_at(&taulu_tz_helsinki, utc(2026, 7, 15, 12, 0, 0)),
        180);
    assert_int_equal(taulu_tz_offset_at(NULL, 0), 0);
}

static void test_wall_clock_across_changes(void **state)
{
    (void)state;
    /* Spring 2026: 02:59:59 EET is followed by 04:00:00 EEST. */
    assert_civil(changes[2].t - 1, &taulu_tz_helsinki, 2026, 3, 29, 2, 59, 59,
                 120);
    assert_civil(changes[2].t, &taulu_tz_helsinki, 2026, 3, 29, 4, 0, 0, 180);
    /* Autumn 2026: 03:59:59 EEST is followed by 03:00:00 EET. */
    assert_civil(changes[3].t - 1, &taulu_tz_helsinki, 2026, 10, 25, 3, 59, 59,
                 180);
    assert_civil(changes[3].t, &taulu_tz_helsinki, 2026, 10, 25, 3, 0, 0, 120);
}

static void test_spring_gap_moves_forward(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof changes / sizeof changes[0]; i += 2) {
        int y = changes[i].year, m = changes[i].month, d = changes[i].day;
        int64_t t = hel(y, m, d, 3, 30, 0);

        /* 03:30 does not exist: it becomes 04:30 EEST (01:30 UTC). */
        assert_int_equal(t, changes[i].t + 30 * 60);
        assert_civil(t, &taulu_tz_helsinki, y, m, d, 4, 30, 0, 180);
        /* The edges of the gap. */
        assert_int_equal(hel(y, m, d, 2, 59, 59), changes[i].t - 1);
        assert_int_equal(hel(y, m, d, 3, 0, 0), changes[i].t);
        assert_int_equal(hel(y, m, d, 4, 0, 0), changes[i].t);
        assert_int_equal(hel(y, m, d, 4, 0, 1), changes[i].t + 1);
    }
}

static void test_autumn_overlap_gives_earlier(void **state)
{
    size_t i;

    (void)state;
    for (i = 1; i < sizeof changes / sizeof changes[0]; i += 2) {
        int y = changes[i].year, m = changes[i].month, d = changes[i].day;
        int64_t t = hel(y, m, d, 3, 30, 0);

        /* 03:30 happens at 00:30 UTC (EEST) and 01:30 UTC (EET). */
        assert_int_equal(t, changes[i].t - 30 * 60);
        assert_civil(t, &taulu_tz_helsinki, y, m, d, 3, 30, 0, 180);
        assert_civil(t + HOUR, &taulu_tz_helsinki, y, m, d, 3, 30, 0, 120);
        assert_int_equal(hel(y, m, d, 2, 59, 59), changes[i].t - HOUR - 1);
        assert_int_equal(hel(y, m, d, 4, 0, 0), changes[i].t + HOUR);
    }
}

static void test_stockholm_gap(void **state)
{
    const struct taulu_tz *sto = taulu_tz_by_name("Europe/Stockholm");
    int64_t t = 0;

    (void)state;
    assert_non_null(sto);
    /* Stockholm springs from 02:00 CET to 03:00 CEST. */
    assert_int_equal(taulu_time_from_civil(sto, 2026, 3, 29, 2, 30, 0, &t), 0);
    assert_int_equal(t, changes[2].t + 30 * 60);
    assert_civil(t, sto, 2026, 3, 29, 3, 30, 0, 120);
}

static void test_from_civil_rejects(void **state)
{
    const struct taulu_tz *tz = &taulu_tz_helsinki;
    int64_t t = 42;

    (void)state;
    assert_int_equal(taulu_time_from_civil(tz, 2026, 13, 1, 0, 0, 0, &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_from_civil(tz, 2026, 0, 1, 0, 0, 0, &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_from_civil(tz, 2026, 11, 31, 0, 0, 0, &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_from_civil(tz, 2027, 2, 29, 0, 0, 0, &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_from_civil(tz, 1900, 2, 29, 0, 0, 0, &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_from_civil(tz, 2026, 1, 0, 0, 0, 0, &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_from_civil(tz, 2026, 1, 1, 24, 0, 0, &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_from_civil(tz, 2026, 1, 1, 0, 60, 0, &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_from_civil(tz, 2026, 1, 1, 0, 0, 60, &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_from_civil(tz, 2026, 1, 1, -1, 0, 0, &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_from_civil(tz, 0, 1, 1, 0, 0, 0, &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_from_civil(tz, 10000, 1, 1, 0, 0, 0, &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_from_civil(NULL, 2026, 1, 1, 0, 0, 0, &t),
                     TAULU_EINVAL);
    assert_int_equal(t, 42);
    /* Leap days that exist. */
    assert_int_equal(taulu_time_from_civil(tz, 2028, 2, 29, 0, 0, 0, &t), 0);
    assert_int_equal(taulu_time_from_civil(tz, 2000, 2, 29, 0, 0, 0, &t), 0);
}

static void test_to_civil_range(void **state)
{
    struct taulu_civil c;

    (void)state;
    assert_civil(utc(1, 1, 1, 0, 0, 0), &taulu_tz_utc, 1, 1, 1, 0, 0, 0, 0);
    assert_civil(utc(9999, 12, 31, 23, 59, 59), &taulu_tz_utc, 9999, 12, 31, 23,
                 59, 59, 0);
    assert_int_equal(
        taulu_time_to_civil(utc(1, 1, 1, 0, 0, 0) - 1, &taulu_tz_utc, &c),
        TAULU_EVALUE);
    assert_int_equal(taulu_time_to_civil(utc(9999, 12, 31, 23, 59, 59) + 1,
                                         &taulu_tz_utc, &c),
                     TAULU_EVALUE);
    /* 9999-12-31 22:00 UTC is already year 10000 in Helsinki. */
    assert_int_equal(taulu_time_to_civil(utc(9999, 12, 31, 22, 0, 0),
                                         &taulu_tz_helsinki, &c),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_to_civil(INT64_MAX, &taulu_tz_helsinki, &c),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_to_civil(INT64_MIN, &taulu_tz_helsinki, &c),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_to_civil(0, NULL, &c), TAULU_EINVAL);
    assert_int_equal(taulu_time_to_civil(0, &taulu_tz_utc, NULL), TAULU_EINVAL);
    /* Before the epoch: negative instants round towards the past. */
    assert_civil(-1, &taulu_tz_utc, 1969, 12, 31, 23, 59, 59, 0);
}

static void test_midnight_boundary(void **state)
{
    int64_t last = hel(2026, 11, 23, 23, 59, 59);
    int64_t first = hel(2026, 11, 24, 0, 0, 0);

    (void)state;
    assert_int_equal(first - last, 1);
    assert_civil(last, &taulu_tz_helsinki, 2026, 11, 23, 23, 59, 59, 120);
    assert_civil(first, &taulu_tz_helsinki, 2026, 11, 24, 0, 0, 0, 120);
    assert_int_equal(taulu_time_day_diff(last, first, &taulu_tz_helsinki), 1);
    assert_int_equal(taulu_time_day_diff(first, last, &taulu_tz_helsinki), -1);
    assert_int_equal(taulu_time_next_midnight(last, &taulu_tz_helsinki), first);
    /* Strictly after: at midnight the next one is a day away. */
    assert_int_equal(taulu_time_next_midnight(first, &taulu_tz_helsinki),
                     first + DAY);
    assert_int_equal(taulu_time_day_start(first, &taulu_tz_helsinki), first);
    assert_int_equal(taulu_time_day_start(last, &taulu_tz_helsinki),
                     first - DAY);
    /* Local midnight is 22:00 UTC the evening before in winter. */
    assert_int_equal(first, utc(2026, 11, 23, 22, 0, 0));
    /* In UTC the same two instants are on one day. */
    assert_int_equal(taulu_time_day_diff(last, first, &taulu_tz_utc), 0);
}

static void test_short_and_long_days(void **state)
{
    const struct taulu_tz *tz = &taulu_tz_helsinki;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        int y = changes[i].year, m = changes[i].month, d = changes[i].day;
        int64_t noon = hel(y, m, d, 12, 0, 0);
        int64_t start = taulu_time_day_start(noon, tz);
        int64_t next = taulu_time_next_midnight(noon, tz);
        int64_t len = m == 3 ? 23 * HOUR : 25 * HOUR;

        /* Midnight is before the change, so it is in the old offset. */
        assert_int_equal(start,
                         utc(y, m, d, 0, 0, 0) - (m == 3 ? 2 : 3) * HOUR);
        assert_int_equal(next - start, len);
        int ny, nm, nd;

        taulu_civil_from_days(taulu_days_from_civil(y, m, d) + 1, &ny, &nm,
                              &nd);
        assert_civil(next, tz, ny, nm, nd, 0, 0, 0, m == 3 ? 180 : 120);
        /* Every instant of the long or short day is on that day. */
        assert_int_equal(taulu_time_day_start(next - 1, tz), start);
        assert_int_equal(taulu_time_day_diff(start, next - 1, tz), 0);
        assert_int_equal(taulu_time_day_diff(start, next, tz), 1);
        /* The day before and after are 24 hours. */
        assert_int_equal(start - taulu_time_day_start(start - 1, tz), DAY);
        assert_int_equal(taulu_time_next_midnight(next, tz) - next, DAY);
    }
}

static void test_day_diff_year_end_and_leap(void **state)
{
    const struct taulu_tz *tz = &taulu_tz_helsinki;

    (void)state;
    assert_int_equal(taulu_time_day_diff(hel(2026, 12, 31, 23, 30, 0),
                                         hel(2027, 1, 1, 0, 30, 0), tz),
                     1);
    assert_int_equal(taulu_time_day_diff(hel(2027, 1, 1, 0, 30, 0),
                                         hel(2026, 12, 31, 23, 30, 0), tz),
                     -1);
    assert_int_equal(taulu_time_day_diff(hel(2026, 12, 30, 8, 0, 0),
                                         hel(2027, 1, 2, 8, 0, 0), tz),
                     3);
    /* 28.2. -> 29.2. -> 1.3. in a leap year. */
    assert_int_equal(taulu_time_day_diff(hel(2028, 2, 28, 12, 0, 0),
                                         hel(2028, 3, 1, 12, 0, 0), tz),
                     2);
    assert_int_equal(taulu_time_day_diff(hel(2027, 2, 28, 12, 0, 0),
                                         hel(2027, 3, 1, 12, 0, 0), tz),
                     1);
    assert_civil(taulu_time_next_midnight(hel(2028, 2, 28, 12, 0, 0), tz), tz,
                 2028, 2, 29, 0, 0, 0, 120);
    assert_civil(taulu_time_next_midnight(hel(2028, 2, 29, 23, 59, 59), tz), tz,
                 2028, 3, 1, 0, 0, 0, 120);
    assert_civil(taulu_time_next_midnight(hel(2026, 12, 31, 23, 0, 0), tz), tz,
                 2027, 1, 1, 0, 0, 0, 120);
    /* Over the spring change the count is still in dates. */
    assert_int_equal(taulu_time_day_diff(hel(2026, 3, 28, 23, 59, 0),
                                         hel(2026, 3, 30, 0, 0, 0), tz),
                     2);
}

static void test_tz_by_name(void **state)
{
    const struct taulu_tz *tz;

    (void)state;
    assert_ptr_equal(taulu_tz_by_name("Europe/Helsinki"), &taulu_tz_helsinki);
    assert_ptr_equal(taulu_tz_by_name("UTC"), &taulu_tz_utc);
    tz = taulu_tz_by_name("Europe/Mariehamn");
    assert_non_null(tz);
    assert_int_equal(tz->std_offset_min, 120);
    assert_true(tz->eu_dst);
    tz = taulu_tz_by_name("Europe/Stockholm");
    assert_non_null(tz);
    assert_int_equal(tz->std_offset_min, 60);
    assert_null(taulu_tz_by_name("europe/helsinki"));
    assert_null(taulu_tz_by_name("Europe/Helsinki "));
    assert_null(taulu_tz_by_name(""));
    assert_null(taulu_tz_by_name(NULL));
}

static void test_parse_iso_valid(void **state)
{
    int64_t t = 0;

    (void)state;
    assert_int_equal(taulu_time_parse_iso("2026-11-22T10:00:00Z", &t), 0);
    assert_int_equal(t, 1795341600);
    assert_int_equal(taulu_time_parse_iso("2026-11-22T12:00:00+02:00", &t), 0);
    assert_int_equal(t, 1795341600);
    assert_int_equal(taulu_time_parse_iso("2026-11-22T05:30:00-04:30", &t), 0);
    assert_int_equal(t, 1795341600);
    assert_int_equal(taulu_time_parse_iso("2026-11-22T10:00:00+00:00", &t), 0);
    assert_int_equal(t, 1795341600);
    assert_int_equal(taulu_time_parse_iso("2026-11-22T10:00:00-00:00", &t), 0);
    assert_int_equal(t, 1795341600);
    assert_int_equal(taulu_time_parse_iso("1970-01-01T00:00:00Z", &t), 0);
    assert_int_equal(t, 0);
    assert_int_equal(taulu_time_parse_iso("1969-12-31T23:59:59Z", &t), 0);
    assert_int_equal(t, -1);
    assert_int_equal(taulu_time_parse_iso("2028-02-29T23:59:59Z", &t), 0);
    assert_int_equal(t, utc(2028, 2, 29, 23, 59, 59));
    assert_int_equal(taulu_time_parse_iso("2000-02-29T00:00:00Z", &t), 0);
    assert_int_equal(taulu_time_parse_iso("0001-01-01T00:00:00Z", &t), 0);
    assert_int_equal(t, utc(1, 1, 1, 0, 0, 0));
    assert_int_equal(taulu_time_parse_iso("9999-12-31T23:59:59Z", &t), 0);
    assert_int_equal(t, utc(9999, 12, 31, 23, 59, 59));
    assert_int_equal(taulu_time_parse_iso("2026-03-29T03:30:00+23:59", &t), 0);
    assert_int_equal(t, utc(2026, 3, 28, 3, 31, 0));
}

static void expect_reject(const char *s, int err)
{
    int64_t t = 12345;

    if (taulu_time_parse_iso(s, &t) != err) {
        fail_msg("\"%s\" gave %d, wanted %d", s, taulu_time_parse_iso(s, &t),
                 err);
    }
    assert_int_equal(t, 12345);
}

static void test_parse_iso_rejects(void **state)
{
    static const char *const shape[] = {
        "",
        "2026-11-22t10:00:00Z",
        "2026-11-22T10:00:00z",
        "2026-11-22 10:00:00Z",
        "2026-11-22T10:00:00",
        "2026-11-22T10:00Z",
        "2026-11-22T10:00:00.5Z",
        "2026-11-22T10:00:00.000Z",
        "2026-11-22",
        "2026-11-2T10:00:00Z",
        "2026-1-22T10:00:00Z",
        "26-11-22T10:00:00Z",
        "+2026-11-22T10:00:00Z",
        "20261122T100000Z",
        " 2026-11-22T10:00:00Z",
        "2026-11-22T10:00:00Z ",
        "2026-11-22T10:00:00Zx",
        "2026-11-22T10:00:00Z\n",
        "2026-11-22T10:00:00+02",
        "2026-11-22T10:00:00+0200",
        "2026-11-22T10:00:00+02:0",
        "2026-11-22T10:00:00+02:00x",
        "2026-11-22T10:00:00+02:00Z",
        "2026-11-22T10:00:00 +02:00",
        "2026/11/22T10:00:00Z",
        "2026-11-22T10.00.00Z",
        "2026-11-22T-1:00:00Z",
        "2026-11-22T1a:00:00Z",
        "２026-11-22T10:00:00Z",
    };
    static const char *const range[] = {
        "2026-13-01T00:00:00Z",      "2026-00-01T00:00:00Z",
        "2026-11-31T00:00:00Z",      "2026-11-00T00:00:00Z",
        "2027-02-29T00:00:00Z",      "1900-02-29T00:00:00Z",
        "2026-01-32T00:00:00Z",      "2026-11-22T24:00:00Z",
        "2026-11-22T10:60:00Z",      "2026-11-22T10:00:60Z",
        "2026-11-22T10:00:00+24:00", "2026-11-22T10:00:00-24:00",
        "2026-11-22T10:00:00+02:60", "0000-01-01T00:00:00Z",
        "0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01",
    };
    size_t i;
    int64_t t = 7;

    (void)state;
    for (i = 0; i < sizeof shape / sizeof shape[0]; i++) {
        expect_reject(shape[i], TAULU_EPARSE);
    }
    for (i = 0; i < sizeof range / sizeof range[0]; i++) {
        expect_reject(range[i], TAULU_EVALUE);
    }
    assert_int_equal(taulu_time_parse_iso(NULL, &t), TAULU_EINVAL);
    assert_int_equal(taulu_time_parse_iso("2026-11-22T10:00:00Z", NULL),
                     TAULU_EINVAL);
    assert_int_equal(t, 7);
}

/* A valid timestamp followed by a megabyte of digits: rejected without the
 * parser looking past byte 26. */
static void test_parse_iso_overlong(void **state)
{
    size_t n = 1 << 20;
    char *s = test_malloc(n + 1);
    int64_t t = 0;

    (void)state;
    memset(s, '9', n);
    s[n] = '\0';
    memcpy(s, "2026-11-22T10:00:00Z", 20);
    assert_int_equal(taulu_time_parse_iso(s, &t), TAULU_EPARSE);
    memcpy(s, "2026-11-22T10:00:00+02:00", 25);
    assert_int_equal(taulu_time_parse_iso(s, &t), TAULU_EPARSE);
    memset(s, '9', n);
    assert_int_equal(taulu_time_parse_iso(s, &t), TAULU_EPARSE);
    test_free(s);
}

static void test_format_iso(void **state)
{
    char out[TAULU_ISO_LEN];

    (void)state;
    taulu_time_format_iso(1795341600, out);
    assert_string_equal(out, "2026-11-22T10:00:00Z");
    taulu_time_format_iso(0, out);
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    taulu_time_format_iso(-1, out);
    assert_string_equal(out, "1969-12-31T23:59:59Z");
    taulu_time_format_iso(utc(2028, 2, 29, 7, 8, 9), out);
    assert_string_equal(out, "2028-02-29T07:08:09Z");
    /* Clamped to the years the parser accepts. */
    taulu_time_format_iso(INT64_MAX, out);
    assert_string_equal(out, "9999-12-31T23:59:59Z");
    taulu_time_format_iso(INT64_MIN, out);
    assert_string_equal(out, "0001-01-01T00:00:00Z");
}

static void test_iso_round_trip(void **state)
{
    static const char *const samples[] = {
        "2026-11-22T10:00:00Z", "2026-03-29T01:00:00Z", "2026-10-25T00:59:59Z",
        "2028-02-29T23:59:59Z", "1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z", "1900-03-01T12:34:56Z",
    };
    char out[TAULU_ISO_LEN];
    int64_t t, back;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        assert_int_equal(taulu_time_parse_iso(samples[i], &t), 0);
        taulu_time_format_iso(t, out);
        assert_string_equal(out, samples[i]);
    }
    /* And instants through text and back, a prime step apart. */
    for (t = utc(1, 1, 1, 0, 0, 0); t < utc(9999, 12, 31, 0, 0, 0);
         t += 7919 * INT64_C(3607)) {
        taulu_time_format_iso(t, out);
        assert_int_equal(taulu_time_parse_iso(out, &back), 0);
        assert_int_equal(back, t);
    }
}

/* The manifest's form: "Z" only, from 1970; the same parser otherwise. */
static void test_iso_manifest_form(void **state)
{
    const enum taulu_iso_form mf = TAULU_ISO_MANIFEST;
    char out[TAULU_ISO_LEN];
    int64_t t = 99;

    (void)state;
    assert_int_equal(taulu_time_parse_iso_form("1970-01-01T00:00:00Z", mf, &t),
                     0);
    assert_int_equal(t, 0);
    assert_int_equal(taulu_time_parse_iso_form("9999-12-31T23:59:59Z", mf, &t),
                     0);
    assert_int_equal(t, utc(9999, 12, 31, 23, 59, 59));
    t = 99;
    assert_int_equal(taulu_time_parse_iso_form("1969-12-31T23:59:59Z", mf, &t),
                     TAULU_EVALUE);
    assert_int_equal(
        taulu_time_parse_iso_form("2026-11-22T12:00:00+02:00", mf, &t),
        TAULU_EPARSE);
    assert_int_equal(
        taulu_time_parse_iso_form("2026-11-22T10:00:00+00:00", mf, &t),
        TAULU_EPARSE);
    assert_int_equal(taulu_time_parse_iso_form("2026-11-22T10:00:00z", mf, &t),
                     TAULU_EPARSE);
    assert_int_equal(taulu_time_parse_iso_form("2026-02-29T10:00:00Z", mf, &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_time_parse_iso_form(NULL, mf, &t), TAULU_EINVAL);
    assert_int_equal(t, 99);
    /* The general form takes what the manifest's refuses. */
    assert_int_equal(
        taulu_time_parse_iso_form("1969-12-31T23:59:59Z", TAULU_ISO_ANY, &t),
        0);
    assert_int_equal(t, -1);

    assert_int_equal(taulu_time_format_iso_form(0, mf, out), 0);
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    assert_int_equal(taulu_time_format_iso_form(-1, mf, out), TAULU_EVALUE);
    assert_string_equal(out, "");
    assert_int_equal(taulu_time_format_iso_form(-1, TAULU_ISO_ANY, out), 0);
    assert_string_equal(out, "1969-12-31T23:59:59Z");
    assert_int_equal(
        taulu_time_format_iso_form(TAULU_TIME_MAX + 1, TAULU_ISO_ANY, out),
        TAULU_EVALUE);
    assert_string_equal(out, "");
    assert_int_equal(
        taulu_time_format_iso_form(TAULU_TIME_MIN - 1, TAULU_ISO_ANY, out),
        TAULU_EVALUE);
    /* Round trips in the manifest's years. */
    for (t = 0; t < TAULU_TIME_MAX; t += 7919 * INT64_C(3607)) {
        int64_t back;

        assert_int_equal(taulu_time_format_iso_form(t, mf, out), 0);
        assert_int_equal(taulu_time_parse_iso_form(out, mf, &back), 0);
        assert_int_equal(back, t);
    }
}

static void test_clocks(void **state)
{
    int64_t a, b;

    (void)state;
    /* The real clock is past the build of this code (2026). */
    assert_true(taulu_now() > utc(2025, 1, 1, 0, 0, 0));
    a = taulu_monotonic_ms();
    b = taulu_monotonic_ms();
    assert_true(a >= 0);
    assert_true(b >= a);
}

/* The forms the HTTP API accepts and writes (it uses these functions). */
static void test_iso_api_edge_forms(void **state)
{
    int64_t t;
    char buf[TAULU_ISO_LEN];

    (void)state;
    assert_int_equal(taulu_time_parse_iso("2026-12-01T14:00:00+02:00", &t), 0);
    assert_int_equal(t, 1796126400);
    taulu_time_format_iso(t, buf);
    assert_string_equal(buf, "2026-12-01T12:00:00Z");
    assert_int_equal(taulu_time_parse_iso("1970-01-01T00:00:00Z", &t), 0);
    assert_int_equal(t, 0);
    assert_int_equal(taulu_time_parse_iso("2024-02-29T23:59:59-03:30", &t), 0);
    taulu_time_format_iso(t, buf);
    assert_string_equal(buf, "2024-03-01T03:29:59Z");
    assert_int_not_equal(taulu_time_parse_iso("2025-02-29T00:00:00Z", &t), 0);
    assert_int_not_equal(taulu_time_parse_iso("2026-12-01 14:00:00Z", &t), 0);
    assert_int_not_equal(taulu_time_parse_iso("2026-12-01T14:00:00", &t), 0);
    assert_int_not_equal(taulu_time_parse_iso("2026-12-01T24:00:00Z", &t), 0);
    assert_int_not_equal(taulu_time_parse_iso("2026-12-01T14:00:00z", &t), 0);
    assert_int_not_equal(taulu_time_parse_iso("2026-12-01T14:00:00.5Z", &t), 0);
    assert_int_not_equal(taulu_time_parse_iso("+026-12-01T14:00:00Z", &t), 0);
    assert_int_not_equal(taulu_time_parse_iso(NULL, &t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days_known),
        cmocka_unit_test(test_days_round_trip),
        cmocka_unit_test(test_days_in_month),
        cmocka_unit_test(test_days_extremes_do_not_crash),
        cmocka_unit_test(test_weekday_and_yday),
        cmocka_unit_test(test_offsets_around_changes),
        cmocka_unit_test(test_wall_clock_across_changes),
        cmocka_unit_test(test_spring_gap_moves_forward),
        cmocka_unit_test(test_autumn_overlap_gives_earlier),
        cmocka_unit_test(test_stockholm_gap),
        cmocka_unit_test(test_from_civil_rejects),
        cmocka_unit_test(test_to_civil_range),
        cmocka_unit_test(test_midnight_boundary),
        cmocka_unit_test(test_short_and_long_days),
        cmocka_unit_test(test_day_diff_year_end_and_leap),
        cmocka_unit_test(test_tz_by_name),
        cmocka_unit_test(test_parse_iso_valid),
        cmocka_unit_test(test_iso_api_edge_forms),
        cmocka_unit_test(test_parse_iso_rejects),
        cmocka_unit_test(test_parse_iso_overlong),
        cmocka_unit_test(test_format_iso),
        cmocka_unit_test(test_iso_round_trip),
        cmocka_unit_test(test_iso_manifest_form),
        cmocka_unit_test(test_clocks),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
