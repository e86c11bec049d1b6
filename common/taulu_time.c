/*
 * taulu_time.c: instants, civil time, the EU summer-time rule and RFC 3339
 * (see taulu_time.h).
 *
 * Nothing here reads TZ, tzdata or any global state, so every function is
 * thread-safe and gives the same answer on every machine. Calendar
 * arithmetic uses the well-known era-based day count for the proleptic
 * Gregorian calendar (eras of 400 years = 146097 days, years starting on
 * 1 March so that the leap day is the last day of the year).
 */
#include "taulu_time.h"
#include "taulu_err.h"

#include <stddef.h>
#include <string.h>
#include <time.h>

#define SECS_PER_DAY  86400
#define SECS_PER_HOUR 3600

#define T_MIN TAULU_TIME_MIN
#define T_MAX TAULU_TIME_MAX
/* Internal helpers clamp instants to a little more than that range, so
 * that adding an offset can never overflow and a local date just outside
 * the range is still computed correctly. */
#define T_CLAMP_LO (T_MIN - 2 * SECS_PER_DAY)
#define T_CLAMP_HI (T_MAX + 2 * SECS_PER_DAY)

/* civil_from_days works on days within years -1000000..1000000, where the
 * year fits an int with room to spare. */
#define DAYS_MIN INT64_C(-365962028)
#define DAYS_MAX INT64_C(364523337)

const struct taulu_tz taulu_tz_helsinki = {"Europe/Helsinki", 120, true};
const struct taulu_tz taulu_tz_utc = {"UTC", 0, false};
static const struct taulu_tz tz_mariehamn = {"Europe/Mariehamn", 120, true};
static const struct taulu_tz tz_stockholm = {"Europe/Stockholm", 60, true};

const struct taulu_tz *taulu_tz_by_name(const char *name)
{
    static const struct taulu_tz *const known[] = {
        &taulu_tz_helsinki, &tz_mariehamn, &tz_stockholm, &taulu_tz_utc};
    size_t i;

    if (!name) {
        return NULL;
    }
    for (i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(name, known[i]->name) == 0) {
            return known[i];
        }
    }
    return NULL;
}

/* Division and remainder rounding towards minus infinity (C rounds towards
 * zero, which is wrong for instants before 1970). */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        q--;
    }
    return q;
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static bool is_leap(int64_t year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int taulu_days_in_month(int year, int month)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (month == 2 && is_leap(year)) {
        return 29;
    }
    return len[month - 1];
}

int64_t taulu_days_from_civil(int year, int month, int day)
{
    /* Years start on 1 March: January and February belong to the year
     * before, so the leap day falls at the end. */
    int64_t y = (int64_t)year - (month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                         /* 0..399 */
    int64_t mp = month > 2 ? month - 3 : month + 9;      /* 0 = March */
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)day - 1; /* 0..365 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* 0..146096 */

    /* 719468 days from 0000-03-01 to 1970-01-01. */
    return era * 146097 + doe - 719468;
}

void taulu_civil_from_days(int64_t days, int *year, int *month, int *day)
{
    int64_t z = clamp64(days, DAYS_MIN, DAYS_MAX) + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097; /* 0..146096 */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100); /* 0..365 */
    int64_t mp = (5 * doy + 2) / 153;                      /* 0 = March */
    int64_t m = mp < 10 ? mp + 3 : mp - 9;

    *year = (int)(yoe + era * 400 + (m <= 2));
    *month = (int)m;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
}

/* ISO weekday (1 = Monday) of a day count; 1970-01-01 was a Thursday. */
static int iso_wday(int64_t days)
{
    int64_t r = (days + 3) % 7;

    return (int)(r < 0 ? r + 7 : r) + 1;
}

/* The day count of the last Sunday of a month. */
static int64_t last_sunday(int year, int month)
{
    int64_t last =
        taulu_days_from_civil(year, month, taulu_days_in_month(year, month));

    return last - iso_wday(last) % 7;
}

int taulu_tz_offset_at(const struct taulu_tz *tz, int64_t t)
{
    int64_t start, end;
    int y, m, d;

    if (!tz) {
        return 0;
    }
    if (!tz->eu_dst) {
        return tz->std_offset_min;
    }
    t = clamp64(t, T_CLAMP_LO, T_CLAMP_HI);
    /* The rule is stated in UTC, so the UTC year is the one that counts
     * (the changes are in March and October, far from New Year). */
    taulu_civil_from_days(floor_div(t, SECS_PER_DAY), &y, &m, &d);
    start = last_sunday(y, 3) * SECS_PER_DAY + SECS_PER_HOUR;
    end = last_sunday(y, 10) * SECS_PER_DAY + SECS_PER_HOUR;
    if (t >= start && t < end) {
        return tz->std_offset_min + 60;
    }
    return tz->std_offset_min;
}

/* The local day count (days since 1970-01-01 on the wall calendar) of t. */
static int64_t local_days(int64_t t, const struct taulu_tz *tz)
{
    t = clamp64(t, T_CLAMP_LO, T_CLAMP_HI);
    return floor_div(t + (int64_t)taulu_tz_offset_at(tz, t) * 60, SECS_PER_DAY);
}

/* Local day count plus seconds into that wall-clock day -> instant, with
 * the gap and overlap rules of the header. */
static int64_t local_to_instant(const struct taulu_tz *tz, int64_t days,
                                int64_t secs)
{
    int64_t local = days * SECS_PER_DAY + secs;
    int std, cand[2];
    size_t i;

    if (!tz) {
        return local;
    }
    std = tz->std_offset_min;
    if (!tz->eu_dst) {
        return local - (int64_t)std * 60;
    }
    /* The summer offset first: it gives the earlier instant, which is the
     * answer for a wall time that occurs twice. */
    cand[0] = std + 60;
    cand[1] = std;
    for (i = 0; i < 2; i++) {
        int64_t t = local - (int64_t)cand[i] * 60;

        if (taulu_tz_offset_at(tz, t) == cand[i]) {
            return t;
        }
    }
    /* Neither offset is consistent: the wall time is in the spring gap.
     * Reading it with the offset in force before the gap (standard time)
     * gives the instant that far past the change, i.e. the wall time moved
     * forward by the gap. */
    return local - (int64_t)std * 60;
}

int taulu_time_to_civil(int64_t t, const struct taulu_tz *tz,
                        struct taulu_civil *out)
{
    int64_t local, days;
    int off;

    if (!tz || !out) {
        return TAULU_EINVAL;
    }
    if (t < T_CLAMP_LO || t > T_CLAMP_HI) {
        return TAULU_EVALUE;
    }
    off = taulu_tz_offset_at(tz, t);
    local = t + (int64_t)off * 60;
    if (local < T_MIN || local > T_MAX) {
        return TAULU_EVALUE;
    }
    days = floor_div(local, SECS_PER_DAY);
    local -= days * SECS_PER_DAY;
    taulu_civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(local / SECS_PER_HOUR);
    out->min = (int)(local / 60 % 60);
    out->sec = (int)(local % 60);
    out->wday = iso_wday(days);
    out->yday = (int)(days - taulu_days_from_civil(out->year, 1, 1)) + 1;
    out->offset_min = off;
    return TAULU_OK;
}

static bool valid_civil(int year, int month, int day, int hour, int min,
                        int sec)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= taulu_days_in_month(year, month) && hour >= 0 && hour <= 23 &&
           min >= 0 && min <= 59 && sec >= 0 && sec <= 59;
}

int taulu_time_from_civil(const struct taulu_tz *tz, int year, int month,
                          int day, int hour, int min, int sec, int64_t *out)
{
    if (!tz || !out) {
        return TAULU_EINVAL;
    }
    if (!valid_civil(year, month, day, hour, min, sec)) {
        return TAULU_EVALUE;
    }
    *out = local_to_instant(tz, taulu_days_from_civil(year, month, day),
                            (int64_t)hour * SECS_PER_HOUR + min * 60 + sec);
    return TAULU_OK;
}

int64_t taulu_time_next_midnight(int64_t t, const struct taulu_tz *tz)
{
    return local_to_instant(tz, local_days(t, tz) + 1, 0);
}

int64_t taulu_time_day_start(int64_t t, const struct taulu_tz *tz)
{
    return local_to_instant(tz, local_days(t, tz), 0);
}

int taulu_time_day_diff(int64_t a, int64_t b, const struct taulu_tz *tz)
{
    /* Both are clamped to about 3.65 million days apart: fits an int. */
    return (int)(local_days(b, tz) - local_days(a, tz));
}

/* Reads n decimal digits; false if any is not a digit. Stops at the first
 * non-digit, so it never reads past a terminating NUL. */
static bool read_digits(const char *s, int n, int *v)
{
    int i, x = 0;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return true;
}

/* The first instant each form accepts (both end with year 9999). */
static int64_t form_min(enum taulu_iso_form form)
{
    return form == TAULU_ISO_MANIFEST ? 0 : T_MIN;
}

int taulu_time_parse_iso_form(const char *s, enum taulu_iso_form form,
                              int64_t *out)
{
    int year, month, day, hour, min, sec, off_h = 0, off_m = 0, sign = 0;
    int64_t t;

    if (!s || !out) {
        return TAULU_EINVAL;
    }
    /* Checked strictly left to right: the first byte that does not fit
     * (the NUL of a short string included) ends the parse, so at most 26
     * bytes are ever read, however long the input is. */
    if (!read_digits(s, 4, &year) || s[4] != '-' ||
        !read_digits(s + 5, 2, &month) || s[7] != '-' ||
        !read_digits(s + 8, 2, &day) || s[10] != 'T' ||
        !read_digits(s + 11, 2, &hour) || s[13] != ':' ||
        !read_digits(s + 14, 2, &min) || s[16] != ':' ||
        !read_digits(s + 17, 2, &sec)) {
        return TAULU_EPARSE;
    }
    if (s[19] == 'Z') {
        if (s[20] != '\0') {
            return TAULU_EPARSE;
        }
    } else if ((s[19] == '+' || s[19] == '-') && form != TAULU_ISO_MANIFEST) {
        sign = s[19] == '+' ? 1 : -1;
        if (!read_digits(s + 20, 2, &off_h) || s[22] != ':' ||
            !read_digits(s + 23, 2, &off_m) || s[25] != '\0') {
            return TAULU_EPARSE;
        }
    } else {
        return TAULU_EPARSE;
    }
    /* Seconds 60 (a leap second) is refused: instants ignore them. */
    if (!valid_civil(year, month, day, hour, min, sec) || off_h > 23 ||
        off_m > 59) {
        return TAULU_EVALUE;
    }
    t = taulu_days_from_civil(year, month, day) * SECS_PER_DAY +
        (int64_t)hour * SECS_PER_HOUR + min * 60 + sec -
        (int64_t)sign * (off_h * 60 + off_m) * 60;
    /* Keep parse and format exact inverses: an offset must not push the
     * instant out of the years the formatter can write. */
    if (t < form_min(form) || t > T_MAX) {
        return TAULU_EVALUE;
    }
    *out = t;
    return TAULU_OK;
}

int taulu_time_parse_iso(const char *s, int64_t *out)
{
    return taulu_time_parse_iso_form(s, TAULU_ISO_ANY, out);
}

/* Writes v as exactly n decimal digits (v is in range by construction). */
static void put_digits(char *p, int n, int v)
{
    while (n-- > 0) {
        p[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

int taulu_time_format_iso_form(int64_t t, enum taulu_iso_form form,
                               char out[TAULU_ISO_LEN])
{
    struct taulu_civil c;

    if (t < form_min(form) || t > T_MAX) {
        out[0] = '\0';
        return TAULU_EVALUE;
    }
    /* In range, so this cannot fail. */
    taulu_time_to_civil(t, &taulu_tz_utc, &c);
    memcpy(out, "0000-00-00T00:00:00Z", TAULU_ISO_LEN);
    put_digits(out, 4, c.year);
    put_digits(out + 5, 2, c.month);
    put_digits(out + 8, 2, c.day);
    put_digits(out + 11, 2, c.hour);
    put_digits(out + 14, 2, c.min);
    put_digits(out + 17, 2, c.sec);
    return TAULU_OK;
}

void taulu_time_format_iso(int64_t t, char out[TAULU_ISO_LEN])
{
    taulu_time_format_iso_form(clamp64(t, T_MIN, T_MAX), TAULU_ISO_ANY, out);
}

int64_t taulu_now(void)
{
    struct timespec ts;

    /* CLOCK_REALTIME cannot fail on Linux; 0 (1970) would be rejected by
     * the player's clock sanity check rather than trusted. */
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
        return 0;
    }
    return (int64_t)ts.tv_sec;
}

int64_t taulu_monotonic_ms(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        return 0;
    }
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
