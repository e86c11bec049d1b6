/*
 * taulu_time.c: instants, civil time, zones and RFC 3339 (see
 * taulu_time.h).
 *
 * A zone's offset comes from its TZif file (taulu_tzif.c), read once per
 * process under pthread_once and never written again, or else from the
 * EU summer-time rule, which is stated once below as a POSIX TZ rule and
 * evaluated by the same code as a TZif footer. Nothing reads TZ or calls
 * localtime_r, so every function is thread-safe. Calendar arithmetic uses
 * the well-known era-based day count for the proleptic Gregorian calendar
 * (eras of 400 years = 146097 days, years starting on 1 March so that the
 * leap day is the last day of the year).
 */
#include "taulu_time.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_tzif.h"

#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#define SECS_PER_DAY  86400
#define SECS_PER_HOUR 3600

#define T_MIN TAULU_TIME_MIN
#define T_MAX TAULU_TIME_MAX
/* Internal helpers clamp instants to a little more than that range, so
 * that adding an offset (less than 26 hours) can never overflow and a
 * local date just outside the range is still computed correctly. */
#define T_CLAMP_LO (T_MIN - 2 * SECS_PER_DAY)
#define T_CLAMP_HI (T_MAX + 2 * SECS_PER_DAY)

/* civil_from_days works on days within years -1000000..1000000, where the
 * year fits an int with room to spare. */
#define DAYS_MIN INT64_C(-365962028)
#define DAYS_MAX INT64_C(364523337)

const struct taulu_tz taulu_tz_helsinki = {"Europe/Helsinki", 120, true, NULL};
const struct taulu_tz taulu_tz_utc = {"UTC", 0, false, NULL};
static const struct taulu_tz tz_mariehamn = {"Europe/Mariehamn", 120, true,
                                             NULL};
static const struct taulu_tz tz_stockholm = {"Europe/Stockholm", 60, true,
                                             NULL};

/* The zones read from tzdata, in the order of system_tzif[]. UTC is not
 * among them: it has no rules to read. */
static const struct taulu_tz *const system_zones[] = {
    &taulu_tz_helsinki, &tz_mariehamn, &tz_stockholm};
#define N_SYSTEM (sizeof system_zones / sizeof system_zones[0])

static pthread_once_t system_once = PTHREAD_ONCE_INIT;
/* Written once inside pthread_once, read-only afterwards; NULL where the
 * zone uses its fallback rule. Never freed: they live as long as the
 * process. */
static struct taulu_tzif *system_tzif[N_SYSTEM];

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

/* Runs once, under pthread_once. Its log lines are stamped in UTC, which
 * is not a system zone: a system zone here would wait for itself. */
static void system_load(void)
{
    const char *dir = taulu_tzif_system_dir();
    size_t i;

    for (i = 0; i < N_SYSTEM; i++) {
        const struct taulu_tz *tz = system_zones[i];
        struct taulu_tzif *z = NULL;
        int rc = taulu_tzif_load_zone(dir, tz->name, &z);

        if (rc < 0) {
            taulu_warn("time",
                       "%s: no usable tzdata at %s/%s (%s); using the EU "
                       "summer-time rule (UTC%+d:00, %+d:00 in summer)",
                       tz->name, dir, tz->name, taulu_strerror(rc),
                       tz->std_offset_min / 60, tz->std_offset_min / 60 + 1);
            continue;
        }
        system_tzif[i] = z;
        taulu_info("time",
                   "%s: rules from tzdata %s/%s (TZif v%d, %zu transitions%s)",
                   tz->name, dir, tz->name, taulu_tzif_version(z),
                   taulu_tzif_transition_count(z),
                   taulu_tzif_has_rule(z) ? ", then a TZ rule" : "");
    }
}

void taulu_tz_init(void)
{
    pthread_once(&system_once, system_load);
}

/* The TZif rules a zone uses, or NULL for its fallback rule. */
static const struct taulu_tzif *zone_tzif(const struct taulu_tz *tz)
{
    size_t i;

    if (tz->tzif) {
        return tz->tzif;
    }
    for (i = 0; i < N_SYSTEM; i++) {
        if (tz == system_zones[i]) {
            pthread_once(&system_once, system_load);
            return system_tzif[i];
        }
    }
    return NULL;
}

bool taulu_tz_uses_tzdata(const struct taulu_tz *tz)
{
    return tz && zone_tzif(tz) != NULL;
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

/* The fallback: the zone's standard offset and, if it has summer time,
 * the EU rule. As a POSIX rule, both changes are at 01:00 UTC, which is
 * 01:00 plus the offset in force before the change in local time
 * ("EET-2EEST,M3.5.0/3,M10.5.0/4" for Helsinki). */
static void fallback_rule(const struct taulu_tz *tz, struct taulu_tz_rule *r)
{
    memset(r, 0, sizeof(*r));
    r->std_utoff = tz->std_offset_min * 60;
    if (!tz->eu_dst) {
        return;
    }
    r->has_dst = true;
    r->dst_utoff = r->std_utoff + SECS_PER_HOUR;
    r->start.kind = 'M';
    r->start.month = 3;
    r->start.week = 5; /* the last */
    r->start.wday = 0; /* Sunday */
    r->start.secs = SECS_PER_HOUR + r->std_utoff;
    r->end = r->start;
    r->end.month = 10;
    r->end.secs = SECS_PER_HOUR + r->dst_utoff;
}

int32_t taulu_tz_utoff_at(const struct taulu_tz *tz, int64_t t)
{
    const struct taulu_tzif *z;
    struct taulu_tz_rule r;

    if (!tz) {
        return 0;
    }
    z = zone_tzif(tz);
    if (z) {
        return taulu_tzif_utoff(z, t);
    }
    fallback_rule(tz, &r);
    return taulu_tz_rule_utoff(&r, t);
}

int taulu_tz_offset_at(const struct taulu_tz *tz, int64_t t)
{
    return (int)floor_div(taulu_tz_utoff_at(tz, t), 60);
}

/* The local day count (days since 1970-01-01 on the wall calendar) of t. */
static int64_t local_days(int64_t t, const struct taulu_tz *tz)
{
    t = clamp64(t, T_CLAMP_LO, T_CLAMP_HI);
    return floor_div(t + taulu_tz_utoff_at(tz, t), SECS_PER_DAY);
}

/* Local day count plus seconds into that wall-clock day -> instant, with
 * the gap and overlap rules of the header. */
static int64_t local_to_instant(const struct taulu_tz *tz, int64_t days,
                                int64_t secs)
{
    int64_t local = days * SECS_PER_DAY + secs;
    /* The offsets a day before and a day after the wall time: if the
     * offset changes near it, these are the one before and the one after
     * the change. */
    int32_t before = taulu_tz_utoff_at(tz, local - SECS_PER_DAY);
    int32_t after = taulu_tz_utoff_at(tz, local + SECS_PER_DAY);
    int64_t tb = local - before, ta = local - after;
    bool b_ok = taulu_tz_utoff_at(tz, tb) == before;
    bool a_ok = taulu_tz_utoff_at(tz, ta) == after;

    if (b_ok && a_ok) {
        return tb < ta ? tb : ta; /* an overlap: the earlier */
    }
    if (a_ok) {
        return ta;
    }
    /* Either only the offset before fits, or neither does: the wall time
     * is in a gap. Read with the offset before the gap, it gives the
     * instant that far past the change, i.e. the wall time moved forward
     * by the gap. */
    return tb;
}

int taulu_time_to_civil(int64_t t, const struct taulu_tz *tz,
                        struct taulu_civil *out)
{
    int64_t local, days;
    int32_t off;

    if (!tz || !out) {
        return TAULU_EINVAL;
    }
    if (t < T_CLAMP_LO || t > T_CLAMP_HI) {
        return TAULU_EVALUE;
    }
    off = taulu_tz_utoff_at(tz, t);
    local = t + off;
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
    out->offset_min = (int)floor_div(off, 60);
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
