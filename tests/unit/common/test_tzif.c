/*
 * test_tzif.c: unit tests of common/taulu_tzif.c (the TZif reader and POSIX
 * TZ rules) and of how taulu_time uses it: the system's tzdata for the
 * built-in zones, the EU rule as the fallback.
 *
 * The oracle is glibc: localtime_r with TZ set in this test process (the
 * library itself never looks at TZ). glibc reads the same tzdata files and
 * evaluates POSIX TZ strings with its own code, so agreeing with it every
 * hour from 1990 to 2040, and at every change it reports, checks the parser,
 * the footer rules and the civil-time conversions at once. Hand-built TZif
 * files check the refusals; forked children check the once-per-process
 * load and its fallback, which a running process cannot redo.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "taulu_buf.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"
#include "taulu_test_tmp.h"
#include "taulu_time.h"
#include "taulu_tzif.h"

#define HOUR 3600
#define DAY  86400

static char tmp[4096];

static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    return taulu_days_from_civil(y, mo, d) * DAY + h * HOUR + mi * 60 + s;
}

/* ---- glibc as the oracle ---- */

static void oracle_zone(const char *tz)
{
    assert_int_equal(setenv("TZ", tz, 1), 0);
    tzset();
}

static long oracle_gmtoff(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;

    assert_non_null(localtime_r(&tt, &tm));
    return tm.tm_gmtoff;
}

static bool same_wall(const struct taulu_civil *a, const struct taulu_civil *b)
{
    return a->year == b->year && a->month == b->month && a->day == b->day &&
           a->hour == b->hour && a->min == b->min && a->sec == b->sec;
}

/* Our civil time of t in tz against glibc's in the oracle zone, and the
 * way back: the wall time must give t again, or, where it occurs twice,
 * the earlier instant with the same wall time. */
static void compare_at(const struct taulu_tz *tz, int64_t t, const char *what)
{
    time_t tt = (time_t)t;
    struct tm tm;
    struct taulu_civil c, back;
    int64_t r = 0;
    int32_t off = taulu_tz_utoff_at(tz, t);

    assert_non_null(localtime_r(&tt, &tm));
    if (taulu_time_to_civil(t, tz, &c) != 0 || c.year != tm.tm_year + 1900 ||
        c.month != tm.tm_mon + 1 || c.day != tm.tm_mday ||
        c.hour != tm.tm_hour || c.min != tm.tm_min || c.sec != tm.tm_sec ||
        c.wday != (tm.tm_wday == 0 ? 7 : tm.tm_wday) ||
        c.yday != tm.tm_yday + 1 || off != tm.tm_gmtoff) {
        fail_msg("%s: t=%lld: ours %04d-%02d-%02d %02d:%02d:%02d %+d s, "
                 "glibc %04d-%02d-%02d %02d:%02d:%02d %+ld s",
                 what, (long long)t, c.year, c.month, c.day, c.hour, c.min,
                 c.sec, (int)off, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_gmtoff);
    }
    assert_int_equal(taulu_time_from_civil(tz, c.year, c.month, c.day, c.hour,
                                           c.min, c.sec, &r),
                     0);
    if (r != t) {
        assert_int_equal(taulu_time_to_civil(r, tz, &back), 0);
        if (r > t || !same_wall(&back, &c)) {
            fail_msg("%s: t=%lld: wall time back gives %lld", what,
                     (long long)t, (long long)r);
        }
    }
}

/* Every `step` seconds from `from` to `to`, and at and around every change
 * of offset glibc reports between two steps (found to the second). Returns
 * the number of changes. */
static int compare_range(const struct taulu_tz *tz, int64_t from, int64_t to,
                         int64_t step, const char *what)
{
    int changes = 0;
    int64_t t;
    long b = oracle_gmtoff(from);

    for (t = from; t < to; t += step) {
        long a = b;

        b = oracle_gmtoff(t + step);
        compare_at(tz, t, what);
        if (a != b) {
            int64_t lo = t, hi = t + step; /* offset(lo) == a != offset(hi) */

            while (hi - lo > 1) {
                int64_t mid = lo + (hi - lo) / 2;

                if (oracle_gmtoff(mid) == a) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            compare_at(tz, hi - 1, what);
            compare_at(tz, hi, what);
            compare_at(tz, hi + 1, what);
            /* The wall times just before and after the change, read back:
             * the gap and the overlap rules on real data. */
            compare_at(tz, hi - 1800, what);
            compare_at(tz, hi + 1800, what);
            changes++;
        }
    }
    return changes;
}

/* ---- the built-in zones against glibc ---- */

static void test_helsinki_tzdata_matches_glibc(void **state)
{
    const struct taulu_tz *tz = &taulu_tz_helsinki;
    int n;

    (void)state;
    /* tzdata is a dependency (scripts/debian-packages.txt): without it this
     * test must fail rather than quietly compare the fallback. */
    assert_true(taulu_tz_uses_tzdata(tz));
    oracle_zone("Europe/Helsinki");
    /* Every hour of 1990..2040: from 2038 on, past the file's last listed
     * change, the footer's rule is what counts. */
    n = compare_range(tz, utc(1990, 1, 1, 0, 0, 0), utc(2041, 1, 1, 0, 0, 0),
                      HOUR, "Helsinki");
    assert_int_equal(n, 51 * 2);
    /* History the EU rule does not know: local mean time (+1:39:49 until
     * 1921), the war-time summer of 1942, summer time from 1981 at 00:00
     * UTC and ending in September until 1995. */
    n = compare_range(tz, utc(1800, 1, 1, 0, 0, 0), utc(1990, 1, 1, 0, 0, 0),
                      DAY + 7 * HOUR, "Helsinki history");
    assert_int_equal(n, 1 + 2 + 9 * 2);
    /* And the far future by the footer. */
    compare_range(tz, utc(2041, 1, 1, 0, 0, 0), utc(2400, 1, 1, 0, 0, 0),
                  5 * DAY + 7 * HOUR, "Helsinki future");
    /* Mariehamn is Helsinki; Stockholm an hour behind. */
    oracle_zone("Europe/Stockholm");
    assert_true(taulu_tz_uses_tzdata(taulu_tz_by_name("Europe/Stockholm")));
    n = compare_range(taulu_tz_by_name("Europe/Stockholm"),
                      utc(1990, 1, 1, 0, 0, 0), utc(2041, 1, 1, 0, 0, 0),
                      11 * HOUR, "Stockholm");
    assert_int_equal(n, 51 * 2);
    oracle_zone("Europe/Mariehamn");
    compare_range(taulu_tz_by_name("Europe/Mariehamn"),
                  utc(1990, 1, 1, 0, 0, 0), utc(2041, 1, 1, 0, 0, 0), 11 * HOUR,
                  "Mariehamn");
    /* UTC is fixed and never read. */
    assert_false(taulu_tz_uses_tzdata(&taulu_tz_utc));
    oracle_zone("UTC");
    compare_range(&taulu_tz_utc, utc(1990, 1, 1, 0, 0, 0),
                  utc(2041, 1, 1, 0, 0, 0), 7 * HOUR, "UTC");
}

/* The fallback rule: the same as tzdata's Helsinki from 1996, and exactly
 * what glibc makes of the EU rule as a POSIX TZ string in every year. */
static void test_fallback_rule_matches_glibc(void **state)
{
    static const struct taulu_tz hel = {"Europe/Helsinki", 120, true, NULL};
    static const struct taulu_tz sto = {"Europe/Stockholm", 60, true, NULL};
    static const struct taulu_tz fixed = {"Etc/GMT-2", 120, false, NULL};
    int n;

    (void)state;
    assert_false(taulu_tz_uses_tzdata(&hel));
    oracle_zone("Europe/Helsinki");
    n = compare_range(&hel, utc(1996, 1, 1, 0, 0, 0), utc(2041, 1, 1, 0, 0, 0),
                      HOUR, "fallback vs tzdata");
    assert_int_equal(n, 45 * 2);
    /* The years before, against glibc's reading of the EU rule as a TZ
     * string (glibc computes rules of years before 1971 as if for 1970). */
    oracle_zone("EET-2EEST,M3.5.0/3,M10.5.0/4");
    n = compare_range(&hel, utc(1971, 1, 1, 0, 0, 0), utc(1996, 1, 1, 0, 0, 0),
                      HOUR, "fallback vs EU rule");
    assert_int_equal(n, 25 * 2);
    oracle_zone("CET-1CEST,M3.5.0,M10.5.0/3");
    n = compare_range(&sto, utc(1990, 1, 1, 0, 0, 0), utc(2041, 1, 1, 0, 0, 0),
                      7 * HOUR, "Stockholm fallback");
    assert_int_equal(n, 51 * 2);
    oracle_zone("<+02>-2");
    assert_int_equal(compare_range(&fixed, utc(2020, 1, 1, 0, 0, 0),
                                   utc(2030, 1, 1, 0, 0, 0), 7 * HOUR, "fixed"),
                     0);

    /* Before 1996 the two differ, which is why the file is preferred:
     * 1.10.1995 was winter time in Finland, summer time by the EU rule. */
    assert_int_equal(taulu_tz_offset_at(&hel, utc(1995, 10, 1, 12, 0, 0)), 180);
    assert_int_equal(
        taulu_tz_offset_at(&taulu_tz_helsinki, utc(1995, 10, 1, 12, 0, 0)),
        120);
}

/* Other zones of the system's tzdata, each with something the Finnish ones
 * lack: southern summers, half-hour and 45-minute offsets, version 3
 * footers with negative and 24-26 hour rule times, negative summer time
 * (Dublin), a zone with no rule after its list (Casablanca), fixed ones. */
static void test_other_zones_match_glibc(void **state)
{
    static const char *const zones[] = {
        "America/New_York", "America/Sao_Paulo", "America/Santiago",
        "America/Nuuk",     "Asia/Jerusalem",    "Australia/Lord_Howe",
        "Pacific/Chatham",  "Europe/Dublin",     "Africa/Casablanca",
        "Asia/Kolkata",     "Asia/Tehran",       "Pacific/Easter",
        "Etc/UTC",          "Etc/GMT+5",
    };
    const char *dir = taulu_tzif_system_dir();
    size_t i;

    (void)state;
    for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        struct taulu_tzif *z = NULL;
        struct taulu_tz tz = {zones[i], 0, false, NULL};

        if (taulu_tzif_load_zone(dir, zones[i], &z) != 0) {
            fail_msg("%s/%s: not read", dir, zones[i]);
        }
        tz.tzif = z;
        oracle_zone(zones[i]);
        compare_range(&tz, utc(1970, 1, 1, 0, 0, 0), utc(2060, 1, 1, 0, 0, 0),
                      17 * HOUR, zones[i]);
        taulu_tzif_free(z);
    }
}

/* ---- POSIX TZ rules ---- */

static void test_rule_parse_fields(void **state)
{
    struct taulu_tz_rule r;
    const char *s;

    (void)state;
    s = "EET-2EEST,M3.5.0/3,M10.5.0/4";
    assert_int_equal(taulu_tz_rule_parse(s, strlen(s), 2, &r), 0);
    assert_int_equal(r.std_utoff, 7200);
    assert_int_equal(r.dst_utoff, 10800);
    assert_true(r.has_dst);
    assert_int_equal(r.start.kind, 'M');
    assert_int_equal(r.start.month, 3);
    assert_int_equal(r.start.week, 5);
    assert_int_equal(r.start.wday, 0);
    assert_int_equal(r.start.secs, 3 * HOUR);
    assert_int_equal(r.end.month, 10);
    assert_int_equal(r.end.secs, 4 * HOUR);

    s = "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0";
    assert_int_equal(taulu_tz_rule_parse(s, strlen(s), 2, &r), 0);
    assert_int_equal(r.std_utoff, 10 * HOUR + 30 * 60);
    assert_int_equal(r.dst_utoff, 11 * HOUR);
    assert_int_equal(r.start.secs, 2 * HOUR); /* the default time */

    s = "<-03>3";
    assert_int_equal(taulu_tz_rule_parse(s, strlen(s), 2, &r), 0);
    assert_int_equal(r.std_utoff, -3 * HOUR);
    assert_false(r.has_dst);

    /* Without an offset the daylight one is an hour ahead. */
    s = "ABC+1:02:03DEF,J60/0:30,300/-0";
    assert_int_equal(taulu_tz_rule_parse(s, strlen(s), 3, &r), 0);
    assert_int_equal(r.std_utoff, -(HOUR + 2 * 60 + 3));
    assert_int_equal(r.dst_utoff, r.std_utoff + HOUR);
    assert_int_equal(r.start.kind, 'J');
    assert_int_equal(r.start.day, 60);
    assert_int_equal(r.start.secs, 30 * 60);
    assert_int_equal(r.end.kind, 'D');
    assert_int_equal(r.end.day, 300);
    assert_int_equal(r.end.secs, 0);

    /* Version 3 times: negative, and past 24 hours. */
    s = "IST-2IDT,M3.4.4/26,M10.5.0";
    assert_int_equal(taulu_tz_rule_parse(s, strlen(s), 2, &r), TAULU_EPARSE);
    assert_int_equal(taulu_tz_rule_parse(s, strlen(s), 3, &r), 0);
    assert_int_equal(r.start.secs, 26 * HOUR);
    s = "<-02>2<-01>,M3.5.0/-1,M10.5.0/0";
    assert_int_equal(taulu_tz_rule_parse(s, strlen(s), 2, &r), TAULU_EPARSE);
    assert_int_equal(taulu_tz_rule_parse(s, strlen(s), 3, &r), 0);
    assert_int_equal(r.start.secs, -HOUR);
    s = "XXX3YYY,M1.1.0/-167,M12.5.6/167:59:59";
    assert_int_equal(taulu_tz_rule_parse(s, strlen(s), 3, &r), 0);
    assert_int_equal(r.end.secs, 167 * HOUR + 59 * 60 + 59);

    /* Only `len` bytes count: a longer buffer is not read further. */
    s = "EET-2EEST,M3.5.0/3,M10.5.0/4 and more";
    assert_int_equal(taulu_tz_rule_parse(s, 28, 2, &r), 0);
    assert_int_equal(taulu_tz_rule_parse(s, 29, 2, &r), TAULU_EPARSE);
    assert_int_equal(taulu_tz_rule_parse(NULL, 0, 2, &r), TAULU_EINVAL);
    assert_int_equal(taulu_tz_rule_parse(s, 3, 2, NULL), TAULU_EINVAL);
}

static void test_rule_parse_refuses(void **state)
{
    static const char *const bad[] = {
        "",
        "EET",
        "EE-2",
        "EET-",
        "EET-25",
        "EET-2:60",
        "EET-2:5",
        "EET-2:00:5",
        "EET-2EEST",
        "EET-2EEST,M3.5.0/3",
        "EET-2EEST-3",
        "EET-2EEST,M3.5.0/3,M10.5.0/4,",
        "EET-2EEST,M13.5.0,M10.5.0",
        "EET-2EEST,M0.5.0,M10.5.0",
        "EET-2EEST,M3.6.0,M10.5.0",
        "EET-2EEST,M3.0.0,M10.5.0",
        "EET-2EEST,M3.5.7,M10.5.0",
        "EET-2EEST,M3.5,M10.5.0",
        "EET-2EEST,J0,J365",
        "EET-2EEST,J1,J366",
        "EET-2EEST,0,366",
        "EET-2EEST,M3.5.0/168,M10.5.0",
        "EET-2EEST,M3.5.0/-168,M10.5.0",
        "EET-2EEST,M3.5.0/1:2,M10.5.0",
        "<EE>-2",
        "<EET-2",
        "<E T>-2",
        "EET-2 ",
        " EET-2",
        "EET-2\n",
        "EET-0002",
    };
    struct taulu_tz_rule r;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&r, 0x5a, sizeof r);
        if (taulu_tz_rule_parse(bad[i], strlen(bad[i]), 3, &r) !=
            TAULU_EPARSE) {
            fail_msg("\"%s\" was accepted", bad[i]);
        }
        assert_int_equal(r.std_utoff, 0x5a5a5a5a); /* untouched */
    }
}

/* Rules evaluated against glibc's reading of the same TZ strings, every
 * hour of 2020..2031: every kind of date, southern summers, negative
 * summer time, version 3 times. */
static void test_rule_matches_glibc(void **state)
{
    static const char *const rules[] = {
        "EET-2EEST,M3.5.0/3,M10.5.0/4",
        "EST5EDT,M3.2.0,M11.1.0",
        "AEST-10AEDT,M10.1.0,M4.1.0/3",
        "IST-1GMT0,M10.5.0,M3.5.0/1",
        "<-04>4<-03>,M9.1.6/24,M4.1.6/24",
        "<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
        "IST-2IDT,M3.4.4/26,M10.5.0",
        "XXX3YYY,J60/2,J300/2",
        "ABC-1DEF,59/2,299/2",
        "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
        "ABC-1:30DEF-3:15,M2.5.3/23,M9.5.4/1",
        "<-0330>3:30",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        struct taulu_tz_rule r;
        int64_t t;

        assert_int_equal(taulu_tz_rule_parse(rules[i], strlen(rules[i]), 3, &r),
                         0);
        oracle_zone(rules[i]);
        for (t = utc(2020, 1, 1, 0, 0, 0); t < utc(2031, 1, 1, 0, 0, 0);
             t += 2 * HOUR + 60) {
            long want = oracle_gmtoff(t);

            if (taulu_tz_rule_utoff(&r, t) != want) {
                fail_msg("%s at %lld: %d, glibc %ld", rules[i], (long long)t,
                         (int)taulu_tz_rule_utoff(&r, t), want);
            }
        }
    }
    /* RFC 8536's example of daylight time all year, 4 hours behind UTC.
     * (glibc gets the first hours of each year wrong: it looks only at the
     * changes of the current UTC year.) */
    {
        struct taulu_tz_rule r;
        const char *s = "EST5EDT,0/0,J365/25";
        int64_t t;

        assert_int_equal(taulu_tz_rule_parse(s, strlen(s), 3, &r), 0);
        for (t = utc(2020, 1, 1, 0, 0, 0) - 2 * DAY;
             t < utc(2030, 1, 1, 0, 0, 0); t += 1800) {
            assert_int_equal(taulu_tz_rule_utoff(&r, t), -4 * HOUR);
        }
    }
    /* Instants far outside years 1..9999 are clamped, not overflowed. */
    {
        struct taulu_tz_rule r;
        const char *s = "EET-2EEST,M3.5.0/3,M10.5.0/4";

        assert_int_equal(taulu_tz_rule_parse(s, strlen(s), 2, &r), 0);
        assert_int_equal(taulu_tz_rule_utoff(&r, INT64_MAX), 7200);
        assert_int_equal(taulu_tz_rule_utoff(&r, INT64_MIN), 7200);
    }
}

/* ---- TZif files built here ---- */

/* A little zone: local mean time +1:23:20, then EET from t0, EEST from
 * t1, EET from t2 (1.1.1973), and the EU rule after that. */
#define T0 INT64_C(-1000000000) /* 1938 */
#define T1 INT64_C(80000000)    /* 14.7.1972 */
#define T2 INT64_C(94694400)    /* 1.1.1973 */

struct built {
    unsigned char b[1024];
    size_t n;
    /* Offsets in b of the parts of the last (or only) data block. */
    size_t hdr, times, idx, info, chars, isstd, isut, footer;
};

static void put(struct built *f, const void *p, size_t n)
{
    assert_true(f->n + n <= sizeof f->b);
    memcpy(f->b + f->n, p, n);
    f->n += n;
}

static void put_be(struct built *f, uint64_t v, int bytes)
{
    unsigned char x[8];
    int i;

    for (i = 0; i < bytes; i++) {
        x[i] = (unsigned char)(v >> (8 * (bytes - 1 - i)));
    }
    put(f, x, (size_t)bytes);
}

static void put_block(struct built *f, char version, int ts)
{
    static const int64_t trans[3] = {T0, T1, T2};
    static const unsigned char idx[3] = {1, 2, 1};
    static const int32_t utoff[3] = {5000, 7200, 10800};
    static const unsigned char isdst[3] = {0, 0, 1};
    static const unsigned char desig[3] = {0, 4, 8};
    static const char chars[] = "LMT\0EET\0EEST"; /* 13 bytes with the NUL */
    static const unsigned char zero[15] = {0};
    int i;

    f->hdr = f->n;
    put(f, "TZif", 4);
    put(f, &version, 1);
    put(f, zero, 15);
    put_be(f, 3, 4);  /* isutcnt */
    put_be(f, 3, 4);  /* isstdcnt */
    put_be(f, 0, 4);  /* leapcnt */
    put_be(f, 3, 4);  /* timecnt */
    put_be(f, 3, 4);  /* typecnt */
    put_be(f, 13, 4); /* charcnt */
    f->times = f->n;
    for (i = 0; i < 3; i++) {
        put_be(f, (uint64_t)trans[i], ts);
    }
    f->idx = f->n;
    put(f, idx, 3);
    f->info = f->n;
    for (i = 0; i < 3; i++) {
        put_be(f, (uint32_t)utoff[i], 4);
        put(f, &isdst[i], 1);
        put(f, &desig[i], 1);
    }
    f->chars = f->n;
    put(f, chars, 13);
    f->isstd = f->n;
    put(f, "\0\0\0", 3);
    f->isut = f->n;
    put(f, "\0\0\0", 3);
}

/* version 0 (1), '2' or '3'; the footer for 2 and 3. */
static void build(struct built *f, char version, const char *footer)
{
    memset(f, 0, sizeof(*f));
    put_block(f, version, 4);
    if (version == 0) {
        f->footer = f->n;
        return;
    }
    put_block(f, version, 8);
    f->footer = f->n;
    put(f, "\n", 1);
    put(f, footer, strlen(footer));
    put(f, "\n", 1);
}

static int parse_built(const struct built *f, struct taulu_tzif **z)
{
    *z = NULL;
    return taulu_tzif_parse(f->b, f->n, z);
}

static void test_built_zone(void **state)
{
    struct built f;
    struct taulu_tzif *z;
    char v;

    (void)state;
    for (v = '2'; v <= '4'; v++) {
        build(&f, v, "EET-2EEST,M3.5.0/3,M10.5.0/4");
        assert_int_equal(parse_built(&f, &z), 0);
        assert_int_equal(taulu_tzif_version(z), v - '0');
        assert_int_equal(taulu_tzif_transition_count(z), 3);
        assert_true(taulu_tzif_has_rule(z));
        assert_int_equal(taulu_tzif_utoff(z, INT64_MIN), 5000);
        assert_int_equal(taulu_tzif_utoff(z, T0 - 1), 5000);
        assert_int_equal(taulu_tzif_utoff(z, T0), 7200);
        assert_int_equal(taulu_tzif_utoff(z, T1 - 1), 7200);
        assert_int_equal(taulu_tzif_utoff(z, T1), 10800);
        assert_int_equal(taulu_tzif_utoff(z, T2 - 1), 10800);
        assert_int_equal(taulu_tzif_utoff(z, T2), 7200);
        /* After the list, the rule: summer 1973 and 2026. */
        assert_int_equal(taulu_tzif_utoff(z, utc(1973, 7, 1, 0, 0, 0)), 10800);
        assert_int_equal(taulu_tzif_utoff(z, utc(2026, 3, 29, 0, 59, 59)),
                         7200);
        assert_int_equal(taulu_tzif_utoff(z, utc(2026, 3, 29, 1, 0, 0)), 10800);
        assert_int_equal(taulu_tzif_utoff(z, INT64_MAX), 7200);
        taulu_tzif_free(z);
    }

    /* An empty footer: the last type stays. */
    build(&f, '2', "");
    assert_int_equal(parse_built(&f, &z), 0);
    assert_false(taulu_tzif_has_rule(z));
    assert_int_equal(taulu_tzif_utoff(z, utc(2026, 7, 1, 0, 0, 0)), 7200);
    taulu_tzif_free(z);

    /* Version 1: 32-bit times, no footer, the last type stays. */
    build(&f, 0, NULL);
    assert_int_equal(parse_built(&f, &z), 0);
    assert_int_equal(taulu_tzif_version(z), 1);
    assert_int_equal(taulu_tzif_utoff(z, T0 - 1), 5000);
    assert_int_equal(taulu_tzif_utoff(z, T1), 10800);
    assert_int_equal(taulu_tzif_utoff(z, utc(2026, 7, 1, 0, 0, 0)), 7200);
    taulu_tzif_free(z);

    /* A zone made from it gives civil time in seconds of local mean time. */
    build(&f, '2', "EET-2EEST,M3.5.0/3,M10.5.0/4");
    assert_int_equal(parse_built(&f, &z), 0);
    {
        struct taulu_tz tz = {"Test", 0, false, z};
        struct taulu_civil c;

        assert_true(taulu_tz_uses_tzdata(&tz));
        assert_int_equal(taulu_time_to_civil(T0 - 1, &tz, &c), 0);
        /* 1938-04-25 22:13:19 UTC + 1:23:20 */
        assert_int_equal(c.hour, 23);
        assert_int_equal(c.min, 36);
        assert_int_equal(c.sec, 39);
        assert_int_equal(c.offset_min, 83);
        assert_int_equal(taulu_tz_offset_at(&tz, T0 - 1), 83);
        taulu_tzif_free(z);
    }
}

/* One change to a good file and the code it must give. */
static void expect_refused(const struct built *f, int want, const char *what)
{
    struct taulu_tzif *z = (struct taulu_tzif *)&z; /* not NULL */
    int rc = taulu_tzif_parse(f->b, f->n, &z);

    if (rc != want) {
        fail_msg("%s: %d (%s), wanted %d", what, rc, taulu_strerror(rc), want);
    }
    assert_ptr_equal(z, (struct taulu_tzif *)&z); /* untouched */
}

static void set_be32(struct built *f, size_t at, uint32_t v)
{
    f->b[at] = (unsigned char)(v >> 24);
    f->b[at + 1] = (unsigned char)(v >> 16);
    f->b[at + 2] = (unsigned char)(v >> 8);
    f->b[at + 3] = (unsigned char)v;
}

static void test_built_refusals(void **state)
{
    static const char *const eu = "EET-2EEST,M3.5.0/3,M10.5.0/4";
    struct built f;
    struct taulu_tzif *z = NULL;

    (void)state;
    build(&f, '2', eu);
    f.b[3] = 'g';
    expect_refused(&f, TAULU_EPARSE, "bad magic");
    build(&f, '2', eu);
    f.b[4] = '5';
    expect_refused(&f, TAULU_EVERSION, "version 5");
    build(&f, '2', eu);
    f.b[4] = '1';
    expect_refused(&f, TAULU_EVERSION, "version '1'");
    build(&f, '2', eu);
    f.b[f.hdr + 4] = '3';
    expect_refused(&f, TAULU_EPARSE, "second header of another version");
    build(&f, '2', eu);
    f.b[12] = 1;
    expect_refused(&f, TAULU_EPARSE, "reserved byte set");
    build(&f, '2', eu);
    set_be32(&f, f.hdr + 28, 1);
    expect_refused(&f, TAULU_EVALUE, "leap seconds");
    build(&f, '2', eu);
    set_be32(&f, f.hdr + 36, 0);
    expect_refused(&f, TAULU_EPARSE, "no types");
    build(&f, '2', eu);
    set_be32(&f, f.hdr + 40, 0);
    expect_refused(&f, TAULU_EPARSE, "no designations");
    build(&f, '2', eu);
    set_be32(&f, f.hdr + 20, 2);
    expect_refused(&f, TAULU_EPARSE, "isutcnt neither 0 nor typecnt");
    build(&f, '2', eu);
    set_be32(&f, 32, 0xffffffffu);
    expect_refused(&f, TAULU_EPARSE, "first block's timecnt too big");
    build(&f, '2', eu);
    set_be32(&f, f.hdr + 32, 0x7fffffffu);
    expect_refused(&f, TAULU_EPARSE, "timecnt too big");
    build(&f, '2', eu);
    set_be32(&f, f.hdr + 40, 0xffffffffu);
    expect_refused(&f, TAULU_EPARSE, "charcnt too big");
    build(&f, '2', eu);
    memcpy(f.b + f.times + 8, f.b + f.times, 8); /* t1 = t0 */
    expect_refused(&f, TAULU_EPARSE, "transitions not ascending");
    build(&f, '2', eu);
    f.b[f.idx + 1] = 3;
    expect_refused(&f, TAULU_EVALUE, "type index out of range");
    build(&f, '2', eu);
    set_be32(&f, f.info, 0x80000000u);
    expect_refused(&f, TAULU_EVALUE, "utoff -2^31");
    build(&f, '2', eu);
    set_be32(&f, f.info, 93600);
    expect_refused(&f, TAULU_EVALUE, "utoff 26 hours");
    build(&f, '2', eu);
    f.b[f.info + 6 + 4] = 2;
    expect_refused(&f, TAULU_EVALUE, "isdst 2");
    build(&f, '2', eu);
    f.b[f.info + 6 + 5] = 13;
    expect_refused(&f, TAULU_EVALUE, "designation index out of range");
    build(&f, '2', eu);
    f.b[f.chars + 12] = 'X';
    expect_refused(&f, TAULU_EPARSE, "designations not NUL-terminated");
    build(&f, '2', eu);
    f.b[f.isstd] = 2;
    expect_refused(&f, TAULU_EVALUE, "isstd 2");
    build(&f, '2', eu);
    f.b[f.isut + 1] = 1;
    expect_refused(&f, TAULU_EVALUE, "universal but not standard");
    build(&f, '2', eu);
    f.b[f.isut + 1] = 1;
    f.b[f.isstd + 1] = 1;
    assert_int_equal(parse_built(&f, &z), 0); /* both set is fine */
    taulu_tzif_free(z);

    /* Footers. */
    build(&f, '2', "EET-2EEST");
    expect_refused(&f, TAULU_EPARSE, "footer without a rule");
    build(&f, '2', "<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
    expect_refused(&f, TAULU_EPARSE, "version 3 footer in version 2");
    build(&f, '3', "<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
    assert_int_equal(parse_built(&f, &z), 0);
    taulu_tzif_free(z);
    build(&f, '2', eu);
    f.b[f.footer] = ' ';
    expect_refused(&f, TAULU_EPARSE, "footer without its first newline");
    build(&f, '2', eu);
    put(&f, "\n", 1);
    expect_refused(&f, TAULU_EPARSE, "an empty line after the footer");
    build(&f, '2', eu);
    put(&f, "x", 1);
    expect_refused(&f, TAULU_EPARSE, "a byte after the footer");
    build(&f, '2', "EET-2\nEET-2");
    expect_refused(&f, TAULU_EPARSE, "two footer lines");
    build(&f, 0, NULL);
    put(&f, "\n", 1);
    expect_refused(&f, TAULU_EPARSE, "a footer in version 1");

    /* Every strict prefix is refused, the whole is taken. */
    build(&f, '3', eu);
    {
        size_t n, full = f.n;

        for (n = 0; n < full; n++) {
            f.n = n;
            expect_refused(&f, TAULU_EPARSE, "a prefix");
        }
        f.n = full;
        assert_int_equal(parse_built(&f, &z), 0);
        taulu_tzif_free(z);
    }
    assert_int_equal(taulu_tzif_parse(NULL, 0, &z), TAULU_EINVAL);
    assert_int_equal(taulu_tzif_parse(f.b, f.n, NULL), TAULU_EINVAL);
}

/* ---- the system's files ---- */

static void read_system(const char *name, struct taulu_buf *b)
{
    char path[4096];

    assert_true((size_t)snprintf(path, sizeof path, "%s/%s",
                                 taulu_tzif_system_dir(), name) < sizeof path);
    taulu_buf_init(b, TAULU_TZIF_MAX_BYTES);
    if (taulu_file_read(path, b) != 0) {
        fail_msg("%s: cannot read (is tzdata installed?)", path);
    }
}

/* The real Helsinki file: every strict prefix refused, every single-byte
 * change either refused or parsed (never a crash, never a read past the
 * end; the sanitizer build checks that), a version 1 file cut from its
 * first block agrees with it over the 32-bit years, and a file over the
 * size limit is refused before it is looked at. */
static void test_system_file_damaged(void **state)
{
    struct taulu_buf b;
    struct taulu_tzif *z = NULL, *z1 = NULL;
    unsigned char *copy;
    size_t n, v1len;
    uint32_t cnt[6];
    int64_t t;
    int i;

    (void)state;
    read_system("Europe/Helsinki", &b);
    assert_int_equal(taulu_tzif_parse(b.data, b.len, &z), 0);
    assert_int_equal(taulu_tzif_version(z), 2);
    copy = malloc(b.len + 1);
    assert_non_null(copy);
    for (n = 0; n < b.len; n++) {
        struct taulu_tzif *p = NULL;

        memcpy(copy, b.data, n); /* exactly n bytes: ASan sees overreads */
        if (taulu_tzif_parse(copy, n, &p) != TAULU_EPARSE) {
            fail_msg("prefix of %zu bytes not refused", n);
        }
    }
    for (n = 0; n < b.len; n++) {
        struct taulu_tzif *p = NULL;

        memcpy(copy, b.data, b.len);
        copy[n] ^= 0x81;
        if (taulu_tzif_parse(copy, b.len, &p) == 0) {
            taulu_tzif_utoff(p, 0);
            taulu_tzif_free(p);
        }
    }

    /* Version 1: the first header and block, version byte 0. */
    for (i = 0; i < 6; i++) {
        const unsigned char *c = (const unsigned char *)b.data + 20 + 4 * i;

        cnt[i] = (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 |
                 (uint32_t)c[2] << 8 | c[3];
    }
    /* isut, isstd, leap, time, type, char */
    v1len =
        44 + cnt[3] * 5 + cnt[4] * 6 + cnt[5] + cnt[2] * 8 + cnt[1] + cnt[0];
    assert_true(v1len < b.len);
    memcpy(copy, b.data, v1len);
    copy[4] = 0;
    assert_int_equal(taulu_tzif_parse(copy, v1len, &z1), 0);
    assert_int_equal(taulu_tzif_version(z1), 1);
    for (t = INT32_MIN; t < utc(2037, 10, 25, 1, 0, 0); t += 3 * HOUR) {
        if (taulu_tzif_utoff(z1, t) != taulu_tzif_utoff(z, t)) {
            fail_msg("version 1 and 2 differ at %lld", (long long)t);
        }
    }
    free(copy);
    taulu_tzif_free(z1);
    taulu_tzif_free(z);

    /* Too big. */
    assert_int_equal(taulu_tzif_parse(b.data, TAULU_TZIF_MAX_BYTES + 1, &z),
                     TAULU_ELIMIT);
    taulu_buf_release(&b);
}

static void test_load_zone_names(void **state)
{
    struct taulu_tzif *z = NULL;
    const char *dir = taulu_tzif_system_dir();
    static const char *const bad[] = {
        "",          "/etc/passwd", "../x",  "Europe/../../etc",
        "Europe//x", "Europe/",     "./UTC", "Europe/.x",
        "a b",       "Europe\\x",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (taulu_tzif_load_zone(dir, bad[i], &z) != TAULU_EINVAL) {
            fail_msg("zone name \"%s\" not refused", bad[i]);
        }
    }
    assert_null(z);
    assert_int_equal(taulu_tzif_load_zone(dir, "Europe/Atlantis", &z),
                     TAULU_ENOTFOUND);
    assert_int_equal(taulu_tzif_load_zone(NULL, "UTC", &z), TAULU_EINVAL);
    assert_int_equal(taulu_tzif_load_zone(dir, "Etc/GMT-14", &z), 0);
    assert_int_equal(taulu_tzif_utoff(z, 0), 14 * HOUR);
    taulu_tzif_free(z);
    taulu_tzif_free(NULL);
}

/* ---- the once-per-process load, in children ---- */

enum tzdir_kind { TZDIR_COPY, TZDIR_MISSING, TZDIR_TRUNCATED, TZDIR_BAD_MAGIC };

static int helsinki_lines, fallback_lines, tzdata_lines, other_lines;

static void count_sink(int level, const char *tag, const char *msg, void *ctx)
{
    (void)level;
    (void)ctx;
    if (strcmp(tag, "time") != 0) {
        return;
    }
    if (strncmp(msg, "Europe/Helsinki:", 16) == 0) {
        helsinki_lines++;
        fallback_lines += strstr(msg, "EU summer-time rule") != NULL;
        tzdata_lines += strstr(msg, "rules from tzdata") != NULL;
    } else {
        other_lines++;
    }
}

static void *first_use(void *arg)
{
    *(int *)arg =
        taulu_tz_offset_at(&taulu_tz_helsinki, utc(1995, 10, 1, 12, 0, 0));
    return NULL;
}

/* Runs in a fresh child: TZDIR, then eight threads at once make the first
 * use. Returns 0 or the number of the check that failed. */
static int child_check(const char *dir, bool want_tzdata)
{
    pthread_t th[8];
    int off[8], i;
    char path[4096];

    if (setenv("TZDIR", dir, 1) != 0) {
        return 1;
    }
    taulu_log_set_sink(count_sink, NULL);
    for (i = 0; i < 8; i++) {
        if (pthread_create(&th[i], NULL, first_use, &off[i]) != 0) {
            return 2;
        }
    }
    for (i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        /* 1.10.1995: winter time by tzdata, summer by the EU rule. */
        if (off[i] != (want_tzdata ? 120 : 180)) {
            return 3;
        }
    }
    /* Read once, logged once: one line for Helsinki, one each for the
     * two other zones, whichever thread came first. */
    if (helsinki_lines != 1 || other_lines != 2) {
        return 4;
    }
    if (want_tzdata ? tzdata_lines != 1 : fallback_lines != 1) {
        return 5;
    }
    if (taulu_tz_uses_tzdata(&taulu_tz_helsinki) != want_tzdata) {
        return 6;
    }
    /* Today's rules are right either way. */
    if (taulu_tz_offset_at(&taulu_tz_helsinki, utc(2026, 3, 29, 0, 59, 59)) !=
            120 ||
        taulu_tz_offset_at(&taulu_tz_helsinki, utc(2026, 3, 29, 1, 0, 0)) !=
            180) {
        return 7;
    }
    /* Not read again: the file can go, the zone stays the same. */
    if ((size_t)snprintf(path, sizeof path, "%s/Europe/Helsinki", dir) >=
            sizeof path ||
        (unlink(path) != 0 && errno != ENOENT)) {
        return 9;
    }
    taulu_tz_init();
    if (taulu_tz_offset_at(&taulu_tz_helsinki, utc(1995, 10, 1, 12, 0, 0)) !=
            (want_tzdata ? 120 : 180) ||
        helsinki_lines != 1) {
        return 8;
    }
    return 0;
}

static void make_tzdir(const char *dir, enum tzdir_kind kind)
{
    static const char *const names[] = {"Europe/Helsinki", "Europe/Mariehamn",
                                        "Europe/Stockholm"};
    char sub[4096], path[4096];
    size_t i;

    assert_true((size_t)snprintf(sub, sizeof sub, "%s/Europe", dir) <
                sizeof sub);
    assert_int_equal(taulu_mkdir_p(sub, 0700), 0);
    if (kind == TZDIR_MISSING) {
        return;
    }
    for (i = 0; i < 3; i++) {
        struct taulu_buf b;
        size_t len;

        read_system(names[i], &b);
        len = b.len;
        if (kind == TZDIR_TRUNCATED) {
            len = len / 2;
        } else if (kind == TZDIR_BAD_MAGIC) {
            b.data[0] = 'X';
        }
        assert_true((size_t)snprintf(path, sizeof path, "%s/%s", dir,
                                     names[i]) < sizeof path);
        assert_int_equal(taulu_file_write_atomic(path, b.data, len, 0600), 0);
        taulu_buf_release(&b);
    }
}

static void test_load_once_or_fall_back(void **state)
{
    static const struct {
        enum tzdir_kind kind;
        const char *name;
        bool tzdata;
    } cases[] = {
        {TZDIR_COPY, "copy", true},
        {TZDIR_MISSING, "missing", false},
        {TZDIR_TRUNCATED, "truncated", false},
        {TZDIR_BAD_MAGIC, "bad-magic", false},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char dir[4096];
        pid_t pid;
        int status = 0;

        assert_true((size_t)snprintf(dir, sizeof dir, "%s/%s", tmp,
                                     cases[i].name) < sizeof dir);
        make_tzdir(dir, cases[i].kind);
        fflush(stdout);
        fflush(stderr);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            _exit(child_check(dir, cases[i].tzdata));
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fail_msg("%s: child failed check %d (status %d)", cases[i].name,
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1, status);
        }
    }
}

static int setup(void **state)
{
    (void)state;
    return taulu_test_tmp_make(tmp, sizeof tmp, "tzif");
}

static int teardown(void **state)
{
    (void)state;
    return taulu_test_tmp_remove(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_parse_fields),
        cmocka_unit_test(test_rule_parse_refuses),
        cmocka_unit_test(test_rule_matches_glibc),
        cmocka_unit_test(test_built_zone),
        cmocka_unit_test(test_built_refusals),
        cmocka_unit_test(test_system_file_damaged),
        cmocka_unit_test(test_load_zone_names),
        /* Before anything of this process loads the built-in zones. */
        cmocka_unit_test(test_load_once_or_fall_back),
        cmocka_unit_test(test_helsinki_tzdata_matches_glibc),
        cmocka_unit_test(test_fallback_rule_matches_glibc),
        cmocka_unit_test(test_other_zones_match_glibc),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
