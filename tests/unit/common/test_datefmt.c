/*
 * test_datefmt.c: unit tests of common/taulu_datefmt.c: every format of
 * the header in Finnish, Swedish and English, plain and not, relative
 * days around midnight, summer-time changes, and full buffers.
 *
 * Tuesday 24 November 2026 in Helsinki is the reference day throughout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "taulu_datefmt.h"
#include "taulu_err.h"
#include "taulu_time.h"

#define FI TAULU_LANG_FI
#define SV TAULU_LANG_SV
#define EN TAULU_LANG_EN

static const struct taulu_tz *const tz = &taulu_tz_helsinki;

static int64_t hel(int y, int mo, int d, int h, int mi)
{
    int64_t t = -1;

    assert_int_equal(taulu_time_from_civil(tz, y, mo, d, h, mi, 0, &t), 0);
    return t;
}

/* 24.11.2026 at h:mi. */
static int64_t nov24(int h, int mi)
{
    return hel(2026, 11, 24, h, mi);
}

/* The buffer each test formats into; emptied before every check. */
static struct taulu_buf out;

static int setup(void **state)
{
    (void)state;
    taulu_buf_init(&out, 256);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    taulu_buf_release(&out);
    return 0;
}

static const char *date(enum taulu_lang lang, bool plain, int64_t t)
{
    taulu_buf_reset(&out);
    assert_int_equal(taulu_fmt_date(&out, lang, plain, t, tz), 0);
    return out.data;
}

static const char *day(enum taulu_lang lang, bool plain, int64_t t, int64_t now)
{
    taulu_buf_reset(&out);
    assert_int_equal(taulu_fmt_day(&out, lang, plain, t, now, tz), 0);
    return out.data;
}

static const char *clk(enum taulu_lang lang, int64_t t)
{
    taulu_buf_reset(&out);
    assert_int_equal(taulu_fmt_clock(&out, lang, t, tz), 0);
    return out.data;
}

static const char *header_clock(int64_t t)
{
    taulu_buf_reset(&out);
    assert_int_equal(taulu_fmt_header_clock(&out, t, tz), 0);
    return out.data;
}

static const char *range(enum taulu_lang lang, bool plain, int64_t start,
                         int64_t end)
{
    taulu_buf_reset(&out);
    assert_int_equal(taulu_fmt_time_range(&out, lang, plain, start, end, tz),
                     0);
    return out.data;
}

static const char *when(enum taulu_lang lang, bool plain, int64_t start,
                        int64_t end, int64_t now)
{
    taulu_buf_reset(&out);
    assert_int_equal(
        taulu_fmt_event_when(&out, lang, plain, start, end, now, tz), 0);
    return out.data;
}

static void test_lang_codes(void **state)
{
    (void)state;
    assert_int_equal(taulu_lang_from_code("fi"), TAULU_LANG_FI);
    assert_int_equal(taulu_lang_from_code("sv"), TAULU_LANG_SV);
    assert_int_equal(taulu_lang_from_code("en"), TAULU_LANG_EN);
    assert_int_equal(taulu_lang_from_code("FI"), -1);
    assert_int_equal(taulu_lang_from_code("fi-FI"), -1);
    assert_int_equal(taulu_lang_from_code("f"), -1);
    assert_int_equal(taulu_lang_from_code(""), -1);
    assert_int_equal(taulu_lang_from_code(NULL), -1);
    assert_string_equal(taulu_lang_code(TAULU_LANG_FI), "fi");
    assert_string_equal(taulu_lang_code(TAULU_LANG_SV), "sv");
    assert_string_equal(taulu_lang_code(TAULU_LANG_EN), "en");
    assert_string_equal(taulu_lang_code((enum taulu_lang)3), "?");
    assert_string_equal(taulu_lang_code((enum taulu_lang) - 1), "?");
}

static void test_date_reference_day(void **state)
{
    int64_t t = nov24(12, 0);

    (void)state;
    assert_string_equal(date(FI, false, t), "ti 24.11.");
    assert_string_equal(date(FI, true, t), "tiistaina 24.11.");
    assert_string_equal(date(SV, false, t), "tis 24.11");
    assert_string_equal(date(SV, true, t), "tisdag 24.11");
    assert_string_equal(date(EN, false, t), "Tue 24 Nov");
    assert_string_equal(date(EN, true, t), "Tuesday 24 November");
}

static void test_date_every_weekday(void **state)
{
    static const char *const expect[7][6] = {
        {"ma 23.11.", "maanantaina 23.11.", "mån 23.11", "måndag 23.11",
         "Mon 23 Nov", "Monday 23 November"},
        {"ti 24.11.", "tiistaina 24.11.", "tis 24.11", "tisdag 24.11",
         "Tue 24 Nov", "Tuesday 24 November"},
        {"ke 25.11.", "keskiviikkona 25.11.", "ons 25.11", "onsdag 25.11",
         "Wed 25 Nov", "Wednesday 25 November"},
        {"to 26.11.", "torstaina 26.11.", "tors 26.11", "torsdag 26.11",
         "Thu 26 Nov", "Thursday 26 November"},
        {"pe 27.11.", "perjantaina 27.11.", "fre 27.11", "fredag 27.11",
         "Fri 27 Nov", "Friday 27 November"},
        {"la 28.11.", "lauantaina 28.11.", "lör 28.11", "lördag 28.11",
         "Sat 28 Nov", "Saturday 28 November"},
        {"su 29.11.", "sunnuntaina 29.11.", "sön 29.11", "söndag 29.11",
         "Sun 29 Nov", "Sunday 29 November"},
    };
    int i;

    (void)state;
    for (i = 0; i < 7; i++) {
        int64_t t = hel(2026, 11, 23 + i, 8, 0);

        assert_string_equal(date(FI, false, t), expect[i][0]);
        assert_string_equal(date(FI, true, t), expect[i][1]);
        assert_string_equal(date(SV, false, t), expect[i][2]);
        assert_string_equal(date(SV, true, t), expect[i][3]);
        assert_string_equal(date(EN, false, t), expect[i][4]);
        assert_string_equal(date(EN, true, t), expect[i][5]);
    }
}

static void test_date_single_digits_and_leap_day(void **state)
{
    int64_t ny = hel(2026, 1, 1, 0, 0);
    int64_t leap = hel(2028, 2, 29, 23, 59);

    (void)state;
    assert_string_equal(date(FI, false, ny), "to 1.1.");
    assert_string_equal(date(SV, false, ny), "tors 1.1");
    assert_string_equal(date(EN, false, ny), "Thu 1 Jan");
    assert_string_equal(date(EN, true, ny), "Thursday 1 January");
    assert_string_equal(date(FI, false, leap), "ti 29.2.");
    assert_string_equal(date(SV, true, leap), "tisdag 29.2");
    assert_string_equal(date(EN, true, leap), "Tuesday 29 February");
    assert_string_equal(date(FI, false, leap + 60), "ke 1.3.");
    assert_string_equal(date(EN, false, leap + 60), "Wed 1 Mar");
    /* Midnight: the last second of one day, the first of the next. */
    assert_string_equal(date(FI, false, nov24(0, 0) - 1), "ma 23.11.");
    assert_string_equal(date(FI, false, nov24(0, 0)), "ti 24.11.");
}

static void test_day_relative(void **state)
{
    int64_t now = nov24(10, 0);

    (void)state;
    assert_string_equal(day(FI, false, nov24(14, 0), now), "Tänään ti 24.11.");
    assert_string_equal(day(FI, true, nov24(14, 0), now),
                        "Tänään tiistaina 24.11.");
    assert_string_equal(day(FI, false, hel(2026, 11, 25, 9, 0), now),
                        "Huomenna ke 25.11.");
    assert_string_equal(day(FI, true, hel(2026, 11, 25, 9, 0), now),
                        "Huomenna keskiviikkona 25.11.");
    assert_string_equal(day(SV, false, nov24(14, 0), now), "I dag tis 24.11");
    assert_string_equal(day(SV, false, hel(2026, 11, 25, 9, 0), now),
                        "I morgon ons 25.11");
    assert_string_equal(day(SV, true, hel(2026, 11, 25, 9, 0), now),
                        "I morgon onsdag 25.11");
    assert_string_equal(day(EN, false, nov24(14, 0), now), "Today Tue 24 Nov");
    assert_string_equal(day(EN, false, hel(2026, 11, 25, 9, 0), now),
                        "Tomorrow Wed 25 Nov");
    assert_string_equal(day(EN, true, hel(2026, 11, 25, 9, 0), now),
                        "Tomorrow Wednesday 25 November");
    /* The day after tomorrow and yesterday have no label. */
    assert_string_equal(day(FI, false, hel(2026, 11, 26, 9, 0), now),
                        "to 26.11.");
    assert_string_equal(day(SV, false, hel(2026, 11, 23, 9, 0), now),
                        "mån 23.11");
    assert_string_equal(day(EN, false, hel(2026, 11, 26, 9, 0), now),
                        "Thu 26 Nov");
    /* Earlier the same day is still today. */
    assert_string_equal(day(FI, false, nov24(0, 0), now), "Tänään ti 24.11.");
}

static void test_day_relative_around_midnight(void **state)
{
    int64_t late = nov24(0, 0) - 1; /* ma 23.11. 23:59:59 */
    int64_t t = nov24(10, 0);

    (void)state;
    assert_string_equal(day(FI, false, t, late), "Huomenna ti 24.11.");
    assert_string_equal(day(SV, false, t, late), "I morgon tis 24.11");
    assert_string_equal(day(EN, false, t, late), "Tomorrow Tue 24 Nov");
    assert_string_equal(day(FI, false, hel(2026, 11, 25, 10, 0), late),
                        "ke 25.11.");
    /* One second later the labels move on. */
    assert_string_equal(day(FI, false, t, late + 1), "Tänään ti 24.11.");
    assert_string_equal(day(FI, false, hel(2026, 11, 25, 10, 0), late + 1),
                        "Huomenna ke 25.11.");
    /* 22:30 local is already the next UTC day: the zone decides. */
    assert_string_equal(day(FI, false, t, hel(2026, 11, 23, 22, 30)),
                        "Huomenna ti 24.11.");
    /* Over the year end. */
    assert_string_equal(
        day(FI, false, hel(2027, 1, 1, 10, 0), hel(2026, 12, 31, 22, 0)),
        "Huomenna pe 1.1.");
    assert_string_equal(
        day(EN, false, hel(2027, 1, 1, 10, 0), hel(2026, 12, 31, 22, 0)),
        "Tomorrow Fri 1 Jan");
}

static void test_clock(void **state)
{
    (void)state;
    assert_string_equal(clk(FI, nov24(14, 0)), "14");
    assert_string_equal(clk(SV, nov24(14, 0)), "14.00");
    assert_string_equal(clk(EN, nov24(14, 0)), "14.00");
    assert_string_equal(clk(FI, nov24(9, 30)), "9.30");
    assert_string_equal(clk(SV, nov24(9, 30)), "9.30");
    assert_string_equal(clk(EN, nov24(9, 30)), "9.30");
    assert_string_equal(clk(FI, nov24(9, 5)), "9.05");
    assert_string_equal(clk(FI, nov24(0, 0)), "0");
    assert_string_equal(clk(SV, nov24(0, 0)), "0.00");
    assert_string_equal(clk(FI, nov24(23, 59)), "23.59");
    /* Seconds are never shown nor rounded up. */
    assert_string_equal(clk(FI, nov24(14, 0) + 59), "14");
    assert_string_equal(clk(SV, nov24(14, 0) + 59), "14.00");
}

static void test_header_clock(void **state)
{
    (void)state;
    assert_string_equal(header_clock(nov24(14, 5)), "14.05");
    assert_string_equal(header_clock(nov24(9, 5)), "9.05");
    assert_string_equal(header_clock(nov24(0, 0)), "0.00");
    assert_string_equal(header_clock(nov24(23, 59) + 59), "23.59");
    assert_string_equal(header_clock(nov24(12, 0)), "12.00");
}

static void test_time_range(void **state)
{
    (void)state;
    assert_string_equal(range(FI, false, nov24(14, 0), nov24(16, 0)),
                        "klo 14–16");
    assert_string_equal(range(FI, false, nov24(9, 30), nov24(11, 0)),
                        "klo 9.30–11");
    assert_string_equal(range(FI, false, nov24(9, 0), nov24(11, 45)),
                        "klo 9–11.45");
    assert_string_equal(range(FI, true, nov24(14, 0), nov24(16, 0)),
                        "kello 14–16");
    assert_string_equal(range(FI, true, nov24(9, 30), nov24(11, 0)),
                        "kello 9.30–11");
    assert_string_equal(range(SV, false, nov24(14, 0), nov24(16, 0)),
                        "kl. 14.00–16.00");
    assert_string_equal(range(SV, false, nov24(9, 30), nov24(11, 0)),
                        "kl. 9.30–11.00");
    assert_string_equal(range(SV, true, nov24(14, 0), nov24(16, 0)),
                        "klockan 14.00–16.00");
    assert_string_equal(range(EN, false, nov24(14, 0), nov24(16, 0)),
                        "14.00–16.00");
    assert_string_equal(range(EN, true, nov24(9, 30), nov24(11, 0)),
                        "9.30–11.00");
    /* The dash is U+2013, three bytes, no spaces. */
    assert_memory_equal(range(FI, false, nov24(14, 0), nov24(16, 0)),
                        "klo 14\xe2\x80\x93"
                        "16",
                        12);
}

static void test_time_range_start_only(void **state)
{
    (void)state;
    assert_string_equal(range(FI, false, nov24(14, 0), 0), "klo 14");
    assert_string_equal(range(FI, false, nov24(14, 0), nov24(14, 0)), "klo 14");
    assert_string_equal(range(FI, true, nov24(9, 30), 0), "kello 9.30");
    assert_string_equal(range(SV, false, nov24(14, 0), 0), "kl. 14.00");
    assert_string_equal(range(EN, false, nov24(14, 0), 0), "14.00");
}

static void test_time_range_midnight(void **state)
{
    int64_t midnight = hel(2026, 11, 25, 0, 0);

    (void)state;
    /* Ending exactly at the next midnight is ending on the start day. */
    assert_string_equal(range(FI, false, nov24(20, 0), midnight), "klo 20–24");
    assert_string_equal(range(FI, true, nov24(20, 0), midnight), "kello 20–24");
    assert_string_equal(range(SV, false, nov24(20, 0), midnight),
                        "kl. 20.00–24.00");
    assert_string_equal(range(EN, false, nov24(20, 0), midnight),
                        "20.00–24.00");
    /* A second later it is the next day: the clock reading is written. */
    assert_string_equal(range(FI, false, nov24(22, 0), midnight + 2 * 3600),
                        "klo 22–2");
    /* An event starting at midnight starts at 0, not 24. */
    assert_string_equal(range(FI, false, nov24(0, 0), nov24(1, 0)), "klo 0–1");
}

static void test_event_when_one_day(void **state)
{
    int64_t s = nov24(14, 0), e = nov24(16, 0);

    (void)state;
    assert_string_equal(when(FI, false, s, e, 0), "ti 24.11. klo 14–16");
    assert_string_equal(when(FI, true, s, e, 0),
                        "tiistaina 24.11. kello 14–16");
    assert_string_equal(when(SV, false, s, e, 0), "tis 24.11 kl. 14.00–16.00");
    assert_string_equal(when(SV, true, s, e, 0),
                        "tisdag 24.11 klockan 14.00–16.00");
    assert_string_equal(when(EN, false, s, e, 0), "Tue 24 Nov 14.00–16.00");
    assert_string_equal(when(EN, true, s, e, 0),
                        "Tuesday 24 November 14.00–16.00");
    assert_string_equal(when(FI, false, nov24(9, 30), nov24(11, 0), 0),
                        "ti 24.11. klo 9.30–11");
    assert_string_equal(when(FI, false, s, 0, 0), "ti 24.11. klo 14");
    assert_string_equal(when(SV, false, s, s, 0), "tis 24.11 kl. 14.00");
    assert_string_equal(when(EN, false, s, 0, 0), "Tue 24 Nov 14.00");
}

static void test_event_when_relative(void **state)
{
    int64_t s = nov24(14, 0), e = nov24(16, 0);
    int64_t late = hel(2026, 11, 23, 23, 30);

    (void)state;
    assert_string_equal(when(FI, false, s, e, nov24(8, 0)),
                        "Tänään ti 24.11. klo 14–16");
    assert_string_equal(when(FI, true, s, e, nov24(8, 0)),
                        "Tänään tiistaina 24.11. kello 14–16");
    assert_string_equal(when(FI, false, nov24(9, 30), nov24(11, 0), late),
                        "Huomenna ti 24.11. klo 9.30–11");
    assert_string_equal(when(SV, false, s, e, late),
                        "I morgon tis 24.11 kl. 14.00–16.00");
    assert_string_equal(when(EN, false, s, e, nov24(8, 0)),
                        "Today Tue 24 Nov 14.00–16.00");
    assert_string_equal(when(EN, false, s, e, hel(2026, 11, 20, 8, 0)),
                        "Tue 24 Nov 14.00–16.00");
    /* Multi-day: only the start is relative. */
    assert_string_equal(
        when(FI, false, s, hel(2026, 11, 25, 12, 0), nov24(8, 0)),
        "Tänään ti 24.11. klo 14 – ke 25.11. klo 12");
}

static void test_event_when_several_days(void **state)
{
    int64_t s = nov24(14, 0), e = hel(2026, 11, 25, 12, 0);

    (void)state;
    assert_string_equal(when(FI, false, s, e, 0),
                        "ti 24.11. klo 14 – ke 25.11. klo 12");
    assert_string_equal(when(FI, true, s, e, 0),
                        "tiistaina 24.11. kello 14 – keskiviikkona 25.11. "
                        "kello 12");
    assert_string_equal(when(SV, false, s, e, 0),
                        "tis 24.11 kl. 14.00 – ons 25.11 kl. 12.00");
    assert_string_equal(when(SV, true, s, e, 0),
                        "tisdag 24.11 klockan 14.00 – onsdag 25.11 klockan "
                        "12.00");
    assert_string_equal(when(EN, false, s, e, 0),
                        "Tue 24 Nov 14.00 – Wed 25 Nov 12.00");
    assert_string_equal(when(EN, true, s, e, 0),
                        "Tuesday 24 November 14.00 – Wednesday 25 November "
                        "12.00");
    /* Over the year end. */
    assert_string_equal(
        when(FI, false, hel(2026, 12, 31, 18, 0), hel(2027, 1, 1, 2, 30), 0),
        "to 31.12. klo 18 – pe 1.1. klo 2.30");
}

static void test_event_when_midnight(void **state)
{
    int64_t midnight = hel(2026, 11, 25, 0, 0);

    (void)state;
    /* Crossing midnight: two dates. */
    assert_string_equal(when(FI, false, nov24(22, 0), midnight + 2 * 3600, 0),
                        "ti 24.11. klo 22 – ke 25.11. klo 2");
    assert_string_equal(when(SV, false, nov24(22, 0), midnight + 2 * 3600, 0),
                        "tis 24.11 kl. 22.00 – ons 25.11 kl. 2.00");
    /* Ending exactly at midnight: one day, until 24. */
    assert_string_equal(when(FI, false, nov24(20, 0), midnight, 0),
                        "ti 24.11. klo 20–24");
    assert_string_equal(when(FI, true, nov24(20, 0), midnight, 0),
                        "tiistaina 24.11. kello 20–24");
    assert_string_equal(when(SV, false, nov24(20, 0), midnight, 0),
                        "tis 24.11 kl. 20.00–24.00");
    assert_string_equal(when(EN, false, nov24(20, 0), midnight, 0),
                        "Tue 24 Nov 20.00–24.00");
    assert_string_equal(when(FI, false, nov24(0, 0), midnight, 0),
                        "ti 24.11. klo 0–24");
    /* One second past midnight is the next day. */
    assert_string_equal(when(FI, false, nov24(20, 0), midnight + 60, 0),
                        "ti 24.11. klo 20 – ke 25.11. klo 0.01");
    /* Ending at a later midnight: 24 o'clock of the day before it. */
    assert_string_equal(
        when(FI, false, nov24(20, 0), hel(2026, 11, 26, 0, 0), 0),
        "ti 24.11. klo 20 – ke 25.11. klo 24");
    /* Today's late event seen just before midnight, and just after. */
    assert_string_equal(
        when(FI, false, nov24(20, 0), midnight, nov24(0, 0) - 1),
        "Huomenna ti 24.11. klo 20–24");
    assert_string_equal(when(FI, false, nov24(20, 0), midnight, nov24(0, 0)),
                        "Tänään ti 24.11. klo 20–24");
}

/* Summer-time changes do not shift events: 14-16 stays 14-16 on the change
 * days and the days after, in 2025, 2026 and 2027. */
static void test_dst_does_not_shift_events(void **state)
{
    static const struct {
        int y, m, d;
        const char *fi, *sv;
    } days[] = {
        {2025, 3, 30, "su 30.3. klo 14–16", "sön 30.3 kl. 14.00–16.00"},
        {2025, 3, 31, "ma 31.3. klo 14–16", "mån 31.3 kl. 14.00–16.00"},
        {2025, 10, 26, "su 26.10. klo 14–16", "sön 26.10 kl. 14.00–16.00"},
        {2025, 10, 27, "ma 27.10. klo 14–16", "mån 27.10 kl. 14.00–16.00"},
        {2026, 3, 29, "su 29.3. klo 14–16", "sön 29.3 kl. 14.00–16.00"},
        {2026, 3, 30, "ma 30.3. klo 14–16", "mån 30.3 kl. 14.00–16.00"},
        {2026, 10, 25, "su 25.10. klo 14–16", "sön 25.10 kl. 14.00–16.00"},
        {2026, 10, 26, "ma 26.10. klo 14–16", "mån 26.10 kl. 14.00–16.00"},
        {2027, 3, 28, "su 28.3. klo 14–16", "sön 28.3 kl. 14.00–16.00"},
        {2027, 3, 29, "ma 29.3. klo 14–16", "mån 29.3 kl. 14.00–16.00"},
        {2027, 10, 31, "su 31.10. klo 14–16", "sön 31.10 kl. 14.00–16.00"},
        {2027, 11, 1, "ma 1.11. klo 14–16", "mån 1.11 kl. 14.00–16.00"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof days / sizeof days[0]; i++) {
        int64_t s = hel(days[i].y, days[i].m, days[i].d, 14, 0);
        int64_t e = hel(days[i].y, days[i].m, days[i].d, 16, 0);

        assert_string_equal(range(FI, false, s, e), "klo 14–16");
        assert_string_equal(when(FI, false, s, e, 0), days[i].fi);
        assert_string_equal(when(SV, false, s, e, 0), days[i].sv);
    }
    /* Over the night of the change: 25 and 23 hours, same wall clock. */
    assert_string_equal(
        when(FI, false, hel(2026, 10, 24, 22, 0), hel(2026, 10, 25, 6, 0), 0),
        "la 24.10. klo 22 – su 25.10. klo 6");
    assert_string_equal(
        when(FI, false, hel(2026, 3, 28, 22, 0), hel(2026, 3, 29, 6, 0), 0),
        "la 28.3. klo 22 – su 29.3. klo 6");
    /* Ending at the midnight that ends a 23-hour or 25-hour day. */
    assert_string_equal(
        when(FI, false, hel(2026, 3, 29, 20, 0), hel(2026, 3, 30, 0, 0), 0),
        "su 29.3. klo 20–24");
    assert_string_equal(
        when(FI, false, hel(2026, 10, 25, 0, 0), hel(2026, 10, 26, 0, 0), 0),
        "su 25.10. klo 0–24");
    /* Relative labels on the short day. */
    assert_string_equal(
        day(FI, false, hel(2026, 3, 30, 9, 0), hel(2026, 3, 29, 23, 59)),
        "Huomenna ma 30.3.");
}

/* Fills b with "abc" and checks that a failing call leaves it so. */
static void assert_untouched(const struct taulu_buf *b)
{
    assert_int_equal(b->len, 3);
    assert_string_equal(b->data, "abc");
}

static void test_invalid_arguments(void **state)
{
    struct taulu_buf b;
    int64_t s = nov24(14, 0), e = nov24(16, 0);

    (void)state;
    taulu_buf_init(&b, 256);
    assert_int_equal(taulu_buf_puts(&b, "abc"), 0);
    assert_int_equal(taulu_fmt_date(&b, (enum taulu_lang)3, false, s, tz),
                     TAULU_EINVAL);
    assert_int_equal(taulu_fmt_date(&b, (enum taulu_lang) - 1, false, s, tz),
                     TAULU_EINVAL);
    assert_int_equal(taulu_fmt_date(&b, FI, false, s, NULL), TAULU_EINVAL);
    assert_int_equal(taulu_fmt_date(&b, FI, false, INT64_MAX, tz),
                     TAULU_EINVAL);
    assert_int_equal(taulu_fmt_date(NULL, FI, false, s, tz), TAULU_EINVAL);
    assert_int_equal(taulu_fmt_day(&b, (enum taulu_lang)7, false, s, s, tz),
                     TAULU_EINVAL);
    assert_int_equal(taulu_fmt_clock(&b, (enum taulu_lang)3, s, tz),
                     TAULU_EINVAL);
    assert_int_equal(taulu_fmt_clock(&b, FI, INT64_MIN, tz), TAULU_EINVAL);
    assert_int_equal(taulu_fmt_header_clock(&b, s, NULL), TAULU_EINVAL);
    assert_int_equal(taulu_fmt_time_range(&b, FI, false, e, s, tz),
                     TAULU_EINVAL);
    assert_int_equal(taulu_fmt_time_range(&b, FI, false, s, INT64_MAX, tz),
                     TAULU_EINVAL);
    assert_int_equal(taulu_fmt_event_when(&b, FI, false, e, s, 0, tz),
                     TAULU_EINVAL);
    assert_int_equal(
        taulu_fmt_event_when(&b, (enum taulu_lang)3, false, s, e, 0, tz),
        TAULU_EINVAL);
    assert_untouched(&b);
    taulu_buf_release(&b);
}

/* Every function appends, fits a buffer exactly as large as its text, and
 * fails one byte short without changing what the buffer held. */
static void test_buffer_limits(void **state)
{
    static const char *const texts[] = {
        "ti 24.11.",
        "Tänään ti 24.11.",
        "14.00",
        "9.05",
        "kello 9.30–11",
        "Tuesday 24 November 14.00 – Wednesday 25 November 12.00",
    };
    int64_t s = nov24(14, 0), e = hel(2026, 11, 25, 12, 0);
    size_t i;

    (void)state;
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        size_t need = 3 + strlen(texts[i]);
        size_t limit;

        for (limit = need - 1; limit <= need; limit++) {
            struct taulu_buf b;
            int rc = -100;

            taulu_buf_init(&b, limit);
            assert_int_equal(taulu_buf_puts(&b, "abc"), 0);
            switch (i) {
            case 0:
                rc = taulu_fmt_date(&b, FI, false, s, tz);
                break;
            case 1:
                rc = taulu_fmt_day(&b, FI, false, s, s, tz);
                break;
            case 2:
                rc = taulu_fmt_clock(&b, SV, s, tz);
                break;
            case 3:
                rc = taulu_fmt_header_clock(&b, nov24(9, 5), tz);
                break;
            case 4:
                rc = taulu_fmt_time_range(&b, FI, true, nov24(9, 30),
                                          nov24(11, 0), tz);
                break;
            case 5:
                rc = taulu_fmt_event_when(&b, EN, true, s, e, 0, tz);
                break;
            }
            if (limit < need) {
                assert_int_equal(rc, TAULU_ELIMIT);
                assert_untouched(&b);
            } else {
                assert_int_equal(rc, 0);
                assert_int_equal(b.len, need);
                assert_memory_equal(b.data, "abc", 3);
                assert_string_equal(b.data + 3, texts[i]);
            }
            taulu_buf_release(&b);
        }
    }
}

/* A cancelled occurrence: the word first, the relative day after it in
 * lower case. */
static void test_cancelled_when(void **state)
{
    (void)state;
    taulu_buf_reset(&out);
    assert_int_equal(taulu_fmt_cancelled_when(&out, FI, false, nov24(14, 0),
                                              nov24(16, 0), nov24(9, 0), tz),
                     0);
    assert_string_equal(out.data, "Peruttu tänään ti 24.11. klo 14–16");
    taulu_buf_reset(&out);
    assert_int_equal(taulu_fmt_cancelled_when(&out, SV, false, nov24(14, 0),
                                              nov24(16, 0),
                                              hel(2026, 11, 23, 20, 0), tz),
                     0);
    assert_string_equal(out.data,
                        "Inställt i morgon tis 24.11 kl. 14.00–16.00");
    taulu_buf_reset(&out);
    assert_int_equal(taulu_fmt_cancelled_when(&out, EN, false, nov24(14, 0),
                                              nov24(16, 0),
                                              hel(2026, 11, 20, 9, 0), tz),
                     0);
    assert_string_equal(out.data, "Cancelled Tue 24 Nov 14.00–16.00");
    taulu_buf_reset(&out);
    assert_int_equal(taulu_fmt_cancelled_when(&out, FI, true, nov24(14, 0),
                                              nov24(16, 0), 0, tz),
                     0);
    assert_string_equal(out.data, "Peruttu tiistaina 24.11. kello 14–16");
    assert_string_equal(taulu_word_cancelled(SV), "Inställt");
    assert_string_equal(taulu_word_cancelled((enum taulu_lang)9), "Peruttu");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lang_codes),
        cmocka_unit_test(test_date_reference_day),
        cmocka_unit_test(test_date_every_weekday),
        cmocka_unit_test(test_date_single_digits_and_leap_day),
        cmocka_unit_test(test_day_relative),
        cmocka_unit_test(test_day_relative_around_midnight),
        cmocka_unit_test(test_clock),
        cmocka_unit_test(test_header_clock),
        cmocka_unit_test(test_time_range),
        cmocka_unit_test(test_time_range_start_only),
        cmocka_unit_test(test_time_range_midnight),
        cmocka_unit_test(test_event_when_one_day),
        cmocka_unit_test(test_event_when_relative),
        cmocka_unit_test(test_event_when_several_days),
        cmocka_unit_test(test_event_when_midnight),
        cmocka_unit_test(test_dst_does_not_shift_events),
        cmocka_unit_test(test_invalid_arguments),
        cmocka_unit_test(test_buffer_limits),
        cmocka_unit_test(test_cancelled_when),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
