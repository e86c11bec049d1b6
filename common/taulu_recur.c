/*
 * taulu_recur.c: recurrence rules, their series, and the JSON and RRULE
 * forms (see taulu_recur.h).
 *
 * Dates are walked one occurrence at a time: next_date() jumps straight
 * to the next date the rule allows (the next weekday in a week of the
 * right phase, or the next ordinal weekday in a month), so a year of a
 * weekly rule is about fifty steps. Wall-clock times become instants only
 * at the end, date by date, through taulu_time_from_civil(), which is
 * where summer time is taken care of.
 */
#include "taulu_recur.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_err.h"

#define SECS_PER_DAY 86400
/* At most this many dates of a rule are looked at by one walk: a valid
 * series has at most MAX_OCCURRENCES + MAX_EXDATES of them; this bounds
 * the work for one that is not. */
#define WALK_MAX 4096

static const char *const day_names[7] = {"MO", "TU", "WE", "TH",
                                         "FR", "SA", "SU"};
static const char *const freq_names[2] = {"weekly", "monthly"};

/* ---- dates ---- */

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

int taulu_recur_wday(int64_t day)
{
    /* 1970-01-01 was a Thursday, ISO weekday 4. */
    return (int)(((day % 7) + 7 + 3) % 7) + 1;
}

static int64_t monday_of(int64_t day)
{
    return day - (taulu_recur_wday(day) - 1);
}

/* Days of years 1..9999, the dates civil time handles. */
static int64_t day_min(void)
{
    return taulu_days_from_civil(1, 1, 1);
}

static int64_t day_max(void)
{
    return taulu_days_from_civil(9999, 12, 31);
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool valid_date(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= taulu_days_in_month(y, m);
}

int taulu_recur_date_parse(const char *s, int64_t *day)
{
    int y, m, d;

    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        !digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d) ||
        !valid_date(y, m, d)) {
        return TAULU_EVALUE;
    }
    *day = taulu_days_from_civil(y, m, d);
    return TAULU_OK;
}

int taulu_recur_date_format(int64_t day, char out[TAULU_RECUR_DATE_LEN])
{
    int y, m, d;

    out[0] = '\0';
    if (day < day_min() || day > day_max()) {
        return TAULU_EVALUE;
    }
    taulu_civil_from_days(day, &y, &m, &d);
    snprintf(out, TAULU_RECUR_DATE_LEN, "%04d-%02d-%02d", y, m, d);
    return TAULU_OK;
}

int64_t taulu_recur_local_day(int64_t t, const struct taulu_tz *tz)
{
    struct taulu_civil c;

    if (taulu_time_to_civil(t, tz, &c) < 0) {
        /* Out of civil time's years: the UTC day, clamped. */
        int64_t d = t / SECS_PER_DAY - (t % SECS_PER_DAY < 0);
        return d < day_min() ? day_min() : d > day_max() ? day_max() : d;
    }
    return taulu_days_from_civil(c.year, c.month, c.day);
}

/* The date of entry `e` (an ordinal weekday) in month y-m. */
static int64_t month_entry(int y, int m, const struct taulu_recur_day *e)
{
    int64_t first = taulu_days_from_civil(y, m, 1);
    int64_t last = first + taulu_days_in_month(y, m) - 1;

    if (e->ord < 0) {
        return last - (taulu_recur_wday(last) - e->wday + 7) % 7;
    }
    return first + (e->wday - taulu_recur_wday(first) + 7) % 7 +
           7 * (e->ord - 1);
}

/* The first date after `after`, not before `first_day`, that the rule
 * allows (until and exdates not looked at); TAULU_RECUR_NO_DATE past year
 * 9999 or for a rule that allows none. */
static int64_t next_date(const struct taulu_recur *r, int64_t first_day,
                         int64_t after)
{
    int64_t c = max64(after + 1, first_day);
    int guard;
    size_t i;

    if (r->n_days == 0) {
        return TAULU_RECUR_NO_DATE;
    }
    if (r->freq == TAULU_RECUR_WEEKLY) {
        int64_t base = monday_of(first_day);
        int64_t iv = r->interval >= 1 ? r->interval : 1;

        for (guard = 0; guard < 4 && c <= day_max(); guard++) {
            int64_t mon = monday_of(c), best = TAULU_RECUR_NO_DATE;
            int64_t rem = ((mon - base) / 7) % iv;
            int w = taulu_recur_wday(c);

            if (rem != 0) {
                c = mon + 7 * (iv - rem);
                continue;
            }
            for (i = 0; i < r->n_days; i++) {
                int64_t d = mon + r->days[i].wday - 1;
                if (r->days[i].wday >= w &&
                    (best == TAULU_RECUR_NO_DATE || d < best)) {
                    best = d;
                }
            }
            if (best != TAULU_RECUR_NO_DATE) {
                return best;
            }
            c = mon + 7 * iv;
        }
        return TAULU_RECUR_NO_DATE;
    }
    /* Monthly: every month has four or five of each weekday, so each
     * entry (first..fourth, last) falls in every month. */
    for (guard = 0; guard < 3 && c <= day_max(); guard++) {
        int y, m, d;
        int64_t best = TAULU_RECUR_NO_DATE;

        taulu_civil_from_days(c, &y, &m, &d);
        for (i = 0; i < r->n_days; i++) {
            int64_t e = month_entry(y, m, &r->days[i]);
            if (e >= c && (best == TAULU_RECUR_NO_DATE || e < best)) {
                best = e;
            }
        }
        if (best != TAULU_RECUR_NO_DATE) {
            return best;
        }
        c = taulu_days_from_civil(y, m, 1) + taulu_days_in_month(y, m);
    }
    return TAULU_RECUR_NO_DATE;
}

/* ---- the rule ---- */

static int day_rank(const struct taulu_recur_day *d)
{
    /* first..fourth, then last */
    int ord = d->ord < 0 ? 5 : d->ord;
    return ord * 8 + d->wday;
}

static int cmp_day(const void *a, const void *b)
{
    return day_rank(a) - day_rank(b);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

void taulu_recur_normalize(struct taulu_recur *r)
{
    if (r->n_days > 1 && r->n_days <= 7) {
        qsort(r->days, r->n_days, sizeof r->days[0], cmp_day);
    }
    if (r->n_exdates > 1 && r->n_exdates <= TAULU_RECUR_MAX_EXDATES) {
        qsort(r->exdates, r->n_exdates, sizeof r->exdates[0], cmp_i64);
    }
}

static int fail(struct taulu_recur_err *err, const char *code,
                const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct taulu_recur_err *err, const char *code,
                const char *reason, const char *fmt, ...)
{
    va_list ap;

    if (err) {
        va_start(ap, fmt);
        vsnprintf(err->field, sizeof err->field, fmt, ap);
        va_end(ap);
        err->code = code;
        err->reason = reason;
    }
    return TAULU_EVALUE;
}

int taulu_recur_check(const struct taulu_recur *r, struct taulu_recur_err *err)
{
    size_t i, j;

    if (!r) {
        return fail(err, "invalid_value", "no rule", "recurrence");
    }
    if (r->freq != TAULU_RECUR_WEEKLY && r->freq != TAULU_RECUR_MONTHLY) {
        return fail(err, "invalid_value", "not weekly or monthly",
                    "recurrence.freq");
    }
    if (r->freq == TAULU_RECUR_WEEKLY &&
        (r->interval < 1 || r->interval > TAULU_RECUR_MAX_INTERVAL)) {
        return fail(err, "out_of_range", "weekly interval is 1..4",
                    "recurrence.interval");
    }
    if (r->freq == TAULU_RECUR_MONTHLY && r->interval != 1) {
        return fail(err, "out_of_range", "a monthly rule has interval 1",
                    "recurrence.interval");
    }
    if (r->n_days == 0) {
        return fail(err, "missing_field", "no days", "recurrence.byday");
    }
    if (r->n_days >
        (r->freq == TAULU_RECUR_WEEKLY ? 7u : TAULU_RECUR_MAX_MONTHLY)) {
        return fail(err, "out_of_range", "too many days", "recurrence.byday");
    }
    for (i = 0; i < r->n_days; i++) {
        const struct taulu_recur_day *d = &r->days[i];
        bool ord_ok = r->freq == TAULU_RECUR_WEEKLY
                          ? d->ord == 0
                          : (d->ord >= 1 && d->ord <= 4) || d->ord == -1;
        if (d->wday < 1 || d->wday > 7 || !ord_ok) {
            return fail(err, "invalid_value",
                        r->freq == TAULU_RECUR_WEEKLY
                            ? "a weekly day is MO..SU"
                            : "a monthly day is 1..4 or -1 and MO..SU",
                        "recurrence.byday[%zu]", i);
        }
        for (j = 0; j < i; j++) {
            if (r->days[j].wday == d->wday && r->days[j].ord == d->ord) {
                return fail(err, "duplicate_value", "a day twice",
                            "recurrence.byday[%zu]", i);
            }
        }
    }
    if (r->until != TAULU_RECUR_NO_DATE &&
        (r->until < day_min() || r->until > day_max())) {
        return fail(err, "invalid_value", "until out of range",
                    "recurrence.until");
    }
    if (r->n_exdates > TAULU_RECUR_MAX_EXDATES) {
        return fail(err, "out_of_range", "too many exdates",
                    "recurrence.exdates");
    }
    for (i = 0; i < r->n_exdates; i++) {
        if (r->exdates[i] < day_min() || r->exdates[i] > day_max()) {
            return fail(err, "invalid_value", "exdate out of range",
                        "recurrence.exdates[%zu]", i);
        }
        for (j = 0; j < i; j++) {
            if (r->exdates[j] == r->exdates[i]) {
                return fail(err, "duplicate_value", "an exdate twice",
                            "recurrence.exdates[%zu]", i);
            }
        }
    }
    return TAULU_OK;
}

bool taulu_recur_equal(const struct taulu_recur *a, const struct taulu_recur *b)
{
    struct taulu_recur x = *a, y = *b;
    size_t i;

    taulu_recur_normalize(&x);
    taulu_recur_normalize(&y);
    if (x.freq != y.freq || x.interval != y.interval || x.n_days != y.n_days ||
        x.until != y.until || x.n_exdates != y.n_exdates || x.n_days > 7 ||
        x.n_exdates > TAULU_RECUR_MAX_EXDATES) {
        return false;
    }
    for (i = 0; i < x.n_days; i++) {
        if (x.days[i].ord != y.days[i].ord ||
            x.days[i].wday != y.days[i].wday) {
            return false;
        }
    }
    for (i = 0; i < x.n_exdates; i++) {
        if (x.exdates[i] != y.exdates[i]) {
            return false;
        }
    }
    return true;
}

bool taulu_recur_matches(const struct taulu_recur *r, int64_t first_day,
                         int64_t day)
{
    if (day < first_day ||
        (r->until != TAULU_RECUR_NO_DATE && day > r->until)) {
        return false;
    }
    return next_date(r, first_day, day - 1) == day;
}

/* ---- the series ---- */

static bool has_day(const int64_t *v, size_t n, int64_t day)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (v[i] == day) {
            return true;
        }
    }
    return false;
}

bool taulu_series_is_cancelled(const struct taulu_series *s, int64_t day)
{
    return has_day(s->cancelled,
                   s->n_cancelled < TAULU_RECUR_MAX_CANCELLED
                       ? s->n_cancelled
                       : TAULU_RECUR_MAX_CANCELLED,
                   day);
}

/* A walk over the series' occurrences, exdates left out. */
struct walk {
    const struct taulu_series *s;
    const struct taulu_tz *tz;
    int64_t first_day, day;
    int hour, min, sec;
    int64_t len;
    unsigned steps;
};

static void walk_init(struct walk *w, const struct taulu_series *s,
                      const struct taulu_tz *tz)
{
    struct taulu_civil c;

    memset(w, 0, sizeof *w);
    w->s = s;
    w->tz = tz;
    if (taulu_time_to_civil(s->start, tz, &c) == 0) {
        w->first_day = taulu_days_from_civil(c.year, c.month, c.day);
        w->hour = c.hour;
        w->min = c.min;
        w->sec = c.sec;
    } else {
        w->first_day = taulu_recur_local_day(s->start, tz);
    }
    w->day = w->first_day - 1;
    w->len = s->end > s->start ? s->end - s->start : 0;
}

/* The next occurrence: true and *o filled, or false at the end. */
static bool walk_next(struct walk *w, struct taulu_occurrence *o)
{
    const struct taulu_recur *r = &w->s->rule;
    size_t nx = r->n_exdates < TAULU_RECUR_MAX_EXDATES
                    ? r->n_exdates
                    : TAULU_RECUR_MAX_EXDATES;

    for (;;) {
        int y, m, d;
        int64_t day;

        if (++w->steps > WALK_MAX) {
            return false;
        }
        day = next_date(r, w->first_day, w->day);
        if (day == TAULU_RECUR_NO_DATE ||
            (r->until != TAULU_RECUR_NO_DATE && day > r->until)) {
            return false;
        }
        w->day = day;
        if (has_day(r->exdates, nx, day)) {
            continue;
        }
        if (day == w->first_day) {
            o->start = w->s->start; /* DTSTART is the first, exactly */
        } else {
            taulu_civil_from_days(day, &y, &m, &d);
            if (taulu_time_from_civil(w->tz, y, m, d, w->hour, w->min, w->sec,
                                      &o->start) < 0) {
                return false;
            }
        }
        o->end = o->start + w->len;
        o->cancelled = taulu_series_is_cancelled(w->s, day);
        return true;
    }
}

size_t taulu_series_expand(const struct taulu_series *s,
                           const struct taulu_tz *tz, int64_t from, int64_t to,
                           struct taulu_occurrence *out, size_t cap)
{
    struct taulu_occurrence o;
    struct walk w;
    size_t n = 0;

    if (!s || !tz) {
        return 0;
    }
    walk_init(&w, s, tz);
    while (n <= TAULU_RECUR_MAX_OCCURRENCES && walk_next(&w, &o)) {
        if (o.start >= to) {
            break;
        }
        if (o.end <= from) {
            continue;
        }
        if (out && n < cap) {
            out[n] = o;
        }
        n++;
    }
    return n;
}

int64_t taulu_series_last_end(const struct taulu_series *s,
                              const struct taulu_tz *tz)
{
    struct taulu_occurrence o;
    struct walk w;
    int64_t last = TAULU_RECUR_NO_DATE;
    size_t n = 0;

    if (!s || !tz) {
        return last;
    }
    walk_init(&w, s, tz);
    while (n++ <= TAULU_RECUR_MAX_OCCURRENCES && walk_next(&w, &o)) {
        last = o.end;
    }
    return last;
}

void taulu_series_times(const struct taulu_series *s, const struct taulu_tz *tz,
                        int *start_min, int *end_min)
{
    struct taulu_civil c;

    *start_min = 0;
    *end_min = 0;
    if (taulu_time_to_civil(s->start, tz, &c) == 0) {
        *start_min = c.hour * 60 + c.min;
    }
    /* An end exactly at a local midnight reads "24". */
    if (s->end > s->start && taulu_time_day_start(s->end, tz) == s->end) {
        *end_min = 1440;
    } else if (taulu_time_to_civil(s->end, tz, &c) == 0) {
        *end_min = c.hour * 60 + c.min;
    }
}

int taulu_series_check(const struct taulu_series *s, const struct taulu_tz *tz,
                       struct taulu_recur_err *err)
{
    const struct taulu_recur *r;
    int64_t first_day;
    size_t i, n;
    int rc;

    if (!s || !tz) {
        return fail(err, "invalid_value", "no series", "recurrence");
    }
    r = &s->rule;
    if ((rc = taulu_recur_check(r, err)) < 0) {
        return rc;
    }
    if (r->until == TAULU_RECUR_NO_DATE) {
        return fail(err, "missing_field", "a series needs an end date",
                    "recurrence.until");
    }
    if (s->end <= s->start) {
        return fail(err, "bad_window", "end not after start", "ends_at");
    }
    if (s->end - s->start > TAULU_RECUR_MAX_DURATION) {
        return fail(err, "out_of_range",
                    "a recurring occurrence is at most 12 hours", "ends_at");
    }
    first_day = taulu_recur_local_day(s->start, tz);
    if (next_date(r, first_day, first_day - 1) != first_day) {
        return fail(err, "start_not_in_rule",
                    "the first occurrence is not on a day of the rule",
                    "starts_at");
    }
    if (r->until < first_day) {
        return fail(err, "bad_window", "until before the first occurrence",
                    "recurrence.until");
    }
    for (i = 0; i < r->n_exdates; i++) {
        if (!taulu_recur_matches(r, first_day, r->exdates[i])) {
            return fail(err, "not_an_occurrence",
                        "an exdate that is not a date of the series",
                        "recurrence.exdates[%zu]", i);
        }
    }
    if (s->n_cancelled > TAULU_RECUR_MAX_CANCELLED) {
        return fail(err, "out_of_range", "too many cancelled dates",
                    "cancelled");
    }
    for (i = 0; i < s->n_cancelled; i++) {
        if (!taulu_recur_matches(r, first_day, s->cancelled[i]) ||
            has_day(r->exdates, r->n_exdates, s->cancelled[i])) {
            return fail(err, "not_an_occurrence",
                        "a cancelled date that is not a date of the series",
                        "cancelled[%zu]", i);
        }
    }
    n = taulu_series_expand(s, tz, TAULU_TIME_MIN, TAULU_TIME_MAX, NULL, 0);
    if (n == 0) {
        return fail(err, "invalid_value", "no occurrence is left",
                    "recurrence.exdates");
    }
    if (n > TAULU_RECUR_MAX_OCCURRENCES) {
        return fail(err, "too_many_occurrences", "more than 400 occurrences",
                    "recurrence.until");
    }
    return TAULU_OK;
}

/* ---- BYDAY entries ---- */

/* "TU", "1TU", "-1FR" -> entry. */
bool taulu_recur_day_parse(const char *s, size_t len,
                           struct taulu_recur_day *out)
{
    int ord = 0, i;

    if (len == 4 && s[0] == '-' && s[1] == '1') {
        ord = -1;
    } else if (len == 3 && s[0] >= '1' && s[0] <= '4') {
        ord = s[0] - '0';
    } else if (len != 2) {
        return false;
    }
    for (i = 0; i < 7; i++) {
        if (s[len - 2] == day_names[i][0] && s[len - 1] == day_names[i][1]) {
            out->ord = ord;
            out->wday = i + 1;
            return true;
        }
    }
    return false;
}

void taulu_recur_day_format(const struct taulu_recur_day *d, char out[5])
{
    const char *name =
        d->wday >= 1 && d->wday <= 7 ? day_names[d->wday - 1] : "??";

    if (d->ord == 0) {
        snprintf(out, 5, "%s", name);
    } else {
        snprintf(out, 5, "%d%s", d->ord, name);
    }
}

/* ---- JSON ---- */

int taulu_recur_from_json(const cJSON *obj, const char *path,
                          struct taulu_recur *out, struct taulu_recur_err *err)
{
    static const char *const keys[] = {"freq", "until", "interval", "byday",
                                       "exdates"};
    const cJSON *x, *it;
    size_t i;
    int rc;

    memset(out, 0, sizeof *out);
    out->interval = 1;
    out->until = TAULU_RECUR_NO_DATE;
    if (!cJSON_IsObject(obj)) {
        return fail(err, "wrong_type", "not an object", "%s", path);
    }
    cJSON_ArrayForEach(x, obj)
    {
        bool known = false;
        for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            known = known || strcmp(x->string, keys[i]) == 0;
        }
        if (!known) {
            return fail(err, "unknown_field", "unknown member", "%s.%.40s",
                        path, x->string);
        }
    }
    x = cJSON_GetObjectItemCaseSensitive(obj, "freq");
    if (!x || cJSON_IsNull(x)) {
        return fail(err, "missing_field", "freq is required", "%s.freq", path);
    }
    if (!cJSON_IsString(x)) {
        return fail(err, "wrong_type", "freq is a string", "%s.freq", path);
    }
    if (strcmp(x->valuestring, "weekly") == 0) {
        out->freq = TAULU_RECUR_WEEKLY;
    } else if (strcmp(x->valuestring, "monthly") == 0) {
        out->freq = TAULU_RECUR_MONTHLY;
    } else {
        return fail(err, "invalid_value", "freq is weekly or monthly",
                    "%s.freq", path);
    }
    x = cJSON_GetObjectItemCaseSensitive(obj, "interval");
    if (x && !cJSON_IsNull(x)) {
        if (!cJSON_IsNumber(x)) {
            return fail(err, "wrong_type", "interval is an integer",
                        "%s.interval", path);
        }
        if (!(x->valuedouble >= 1 &&
              x->valuedouble <= TAULU_RECUR_MAX_INTERVAL)) {
            return fail(err, "out_of_range", "interval is 1..4", "%s.interval",
                        path);
        }
        if (x->valuedouble != (double)(int)x->valuedouble) {
            return fail(err, "wrong_type", "interval is an integer",
                        "%s.interval", path);
        }
        out->interval = (int)x->valuedouble;
    }
    x = cJSON_GetObjectItemCaseSensitive(obj, "byday");
    if (!x || cJSON_IsNull(x)) {
        return fail(err, "missing_field", "byday is required", "%s.byday",
                    path);
    }
    if (!cJSON_IsArray(x)) {
        return fail(err, "wrong_type", "byday is an array", "%s.byday", path);
    }
    if (cJSON_GetArraySize(x) > 7) {
        return fail(err, "out_of_range", "at most 7 days", "%s.byday", path);
    }
    i = 0;
    cJSON_ArrayForEach(it, x)
    {
        if (!cJSON_IsString(it)) {
            return fail(err, "wrong_type", "a day is a string", "%s.byday[%zu]",
                        path, i);
        }
        if (!taulu_recur_day_parse(it->valuestring, strlen(it->valuestring),
                                   &out->days[i]) ||
            (out->freq == TAULU_RECUR_WEEKLY) != (out->days[i].ord == 0)) {
            return fail(err, "invalid_value",
                        out->freq == TAULU_RECUR_WEEKLY
                            ? "a weekly day is MO..SU"
                            : "a monthly day is 1MO..4SU or -1MO..-1SU",
                        "%s.byday[%zu]", path, i);
        }
        i++;
    }
    out->n_days = i;
    x = cJSON_GetObjectItemCaseSensitive(obj, "until");
    if (x && !cJSON_IsNull(x)) {
        if (!cJSON_IsString(x)) {
            return fail(err, "wrong_type", "until is a string", "%s.until",
                        path);
        }
        if (taulu_recur_date_parse(x->valuestring, &out->until) < 0) {
            return fail(err, "invalid_value", "until is YYYY-MM-DD", "%s.until",
                        path);
        }
    }
    x = cJSON_GetObjectItemCaseSensitive(obj, "exdates");
    if (x && !cJSON_IsNull(x)) {
        if (!cJSON_IsArray(x)) {
            return fail(err, "wrong_type", "exdates is an array", "%s.exdates",
                        path);
        }
        if (cJSON_GetArraySize(x) > TAULU_RECUR_MAX_EXDATES) {
            return fail(err, "out_of_range", "at most 64 exdates", "%s.exdates",
                        path);
        }
        i = 0;
        cJSON_ArrayForEach(it, x)
        {
            if (!cJSON_IsString(it)) {
                return fail(err, "wrong_type", "a date is a string",
                            "%s.exdates[%zu]", path, i);
            }
            if (taulu_recur_date_parse(it->valuestring, &out->exdates[i]) < 0) {
                return fail(err, "invalid_value", "a date is YYYY-MM-DD",
                            "%s.exdates[%zu]", path, i);
            }
            i++;
        }
        out->n_exdates = i;
    }
    /* Checked before sorting, so that a field named by index is the one
     * the caller sent. */
    if ((rc = taulu_recur_check(out, err)) < 0) {
        if (err && strncmp(err->field, "recurrence", 10) == 0 &&
            strcmp(path, "recurrence") != 0) {
            char rest[sizeof err->field];
            snprintf(rest, sizeof rest, "%s", err->field + 10);
            snprintf(err->field, sizeof err->field, "%s%s", path, rest);
        }
        return rc;
    }
    taulu_recur_normalize(out);
    return TAULU_OK;
}

cJSON *taulu_recur_to_json(const struct taulu_recur *r)
{
    cJSON *o = cJSON_CreateObject(), *a, *s;
    char buf[TAULU_RECUR_DATE_LEN];
    size_t i;
    bool ok = o != NULL;

    if (!ok) {
        return NULL;
    }
    ok = cJSON_AddStringToObject(
             o, "freq", freq_names[r->freq == TAULU_RECUR_MONTHLY]) != NULL &&
         cJSON_AddNumberToObject(o, "interval", r->interval) != NULL;
    a = ok ? cJSON_AddArrayToObject(o, "byday") : NULL;
    for (i = 0; a && i < r->n_days && i < 7; i++) {
        char d[5];
        taulu_recur_day_format(&r->days[i], d);
        s = cJSON_CreateString(d);
        ok = ok && s && cJSON_AddItemToArray(a, s);
    }
    ok = ok && a;
    if (ok && r->until != TAULU_RECUR_NO_DATE &&
        taulu_recur_date_format(r->until, buf) == 0) {
        ok = cJSON_AddStringToObject(o, "until", buf) != NULL;
    } else if (ok) {
        ok = cJSON_AddNullToObject(o, "until") != NULL;
    }
    a = ok ? cJSON_AddArrayToObject(o, "exdates") : NULL;
    for (i = 0; a && i < r->n_exdates && i < TAULU_RECUR_MAX_EXDATES; i++) {
        if (taulu_recur_date_format(r->exdates[i], buf) == 0) {
            s = cJSON_CreateString(buf);
            ok = ok && s && cJSON_AddItemToArray(a, s);
        }
    }
    if (!ok || !a) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* ---- RRULE ---- */

int taulu_recur_to_rrule(const struct taulu_recur *r, const struct taulu_tz *tz,
                         struct taulu_buf *out)
{
    size_t start = out->len, i;
    int64_t u;
    int y, m, d, rc;
    char ut[TAULU_ISO_LEN];

    if (!r || !tz || r->until == TAULU_RECUR_NO_DATE || r->until < day_min() ||
        r->until > day_max()) {
        return TAULU_EINVAL;
    }
    taulu_civil_from_days(r->until, &y, &m, &d);
    if ((rc = taulu_time_from_civil(tz, y, m, d, 23, 59, 59, &u)) < 0) {
        return TAULU_EINVAL;
    }
    taulu_time_format_iso(u, ut);
    rc = taulu_buf_appendf(
        out, "FREQ=%s", r->freq == TAULU_RECUR_MONTHLY ? "MONTHLY" : "WEEKLY");
    if (rc == 0 && r->interval != 1) {
        rc = taulu_buf_appendf(out, ";INTERVAL=%d", r->interval);
    }
    if (rc == 0) {
        rc = taulu_buf_puts(out, ";BYDAY=");
    }
    for (i = 0; rc == 0 && i < r->n_days && i < 7; i++) {
        char dn[5];
        taulu_recur_day_format(&r->days[i], dn);
        rc = taulu_buf_appendf(out, "%s%s", i ? "," : "", dn);
    }
    if (rc == 0) {
        /* 2027-05-25T20:59:59Z -> 20270525T205959Z */
        rc = taulu_buf_appendf(out, ";UNTIL=%.4s%.2s%.2sT%.2s%.2s%.2sZ", ut,
                               ut + 5, ut + 8, ut + 11, ut + 14, ut + 17);
    }
    if (rc < 0) {
        taulu_buf_truncate(out, start);
    }
    return rc;
}

static int rr_fail(const char **why, const char *msg)
{
    if (why) {
        *why = msg;
    }
    return TAULU_EVALUE;
}

/* UNTIL: a date, a UTC date-time or a local one. */
static int rr_until(const char *v, int64_t first, const struct taulu_tz *tz,
                    int64_t *until, const char **why)
{
    int y, mo, d, h = 0, mi = 0, s = 0;
    size_t len = strlen(v);
    int64_t t, day, occ;
    struct taulu_civil c;

    if ((len != 8 && len != 15 && len != 16) || !digits(v, 4, &y) ||
        !digits(v + 4, 2, &mo) || !digits(v + 6, 2, &d) ||
        !valid_date(y, mo, d)) {
        return rr_fail(why, "UNTIL is not a date or date-time");
    }
    day = taulu_days_from_civil(y, mo, d);
    if (len == 8) {
        *until = day;
        return TAULU_OK;
    }
    if (v[8] != 'T' || !digits(v + 9, 2, &h) || !digits(v + 11, 2, &mi) ||
        !digits(v + 13, 2, &s) || h > 23 || mi > 59 || s > 59 ||
        (len == 16 && v[15] != 'Z')) {
        return rr_fail(why, "UNTIL is not a date or date-time");
    }
    if (len == 16) {
        t = taulu_days_from_civil(y, mo, d) * SECS_PER_DAY + h * 3600 +
            mi * 60 + s;
    } else if (taulu_time_from_civil(tz, y, mo, d, h, mi, s, &t) < 0) {
        return rr_fail(why, "UNTIL is not a date or date-time");
    }
    /* The last day whose occurrence starts at or before UNTIL. */
    day = taulu_recur_local_day(t, tz);
    if (taulu_time_to_civil(first, tz, &c) < 0) {
        return rr_fail(why, "DTSTART out of range");
    }
    taulu_civil_from_days(day, &y, &mo, &d);
    if (taulu_time_from_civil(tz, y, mo, d, c.hour, c.min, c.sec, &occ) == 0 &&
        occ > t) {
        day--;
    }
    *until = day;
    return TAULU_OK;
}

int taulu_recur_from_rrule(const char *s, int64_t first,
                           const struct taulu_tz *tz, struct taulu_recur *out,
                           const char **why)
{
    char buf[256], *part, *save = NULL;
    bool seen_freq = false, seen_interval = false, seen_byday = false,
         seen_until = false, seen_wkst = false;
    size_t i;

    memset(out, 0, sizeof *out);
    out->interval = 1;
    out->until = TAULU_RECUR_NO_DATE;
    if (!s || !tz || strlen(s) >= sizeof buf) {
        return rr_fail(why, "no RRULE, or too long");
    }
    for (i = 0; s[i]; i++) {
        buf[i] = (char)toupper((unsigned char)s[i]);
    }
    buf[i] = '\0';
    for (part = strtok_r(buf, ";", &save); part;
         part = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(part, '='), *v;
        if (!eq || eq == part || !eq[1]) {
            return rr_fail(why, "a part is not NAME=VALUE");
        }
        *eq = '\0';
        v = eq + 1;
        if (strcmp(part, "FREQ") == 0 && !seen_freq) {
            seen_freq = true;
            if (strcmp(v, "WEEKLY") == 0) {
                out->freq = TAULU_RECUR_WEEKLY;
            } else if (strcmp(v, "MONTHLY") == 0) {
                out->freq = TAULU_RECUR_MONTHLY;
            } else {
                return rr_fail(why, "FREQ other than WEEKLY or MONTHLY");
            }
        } else if (strcmp(part, "INTERVAL") == 0 && !seen_interval) {
            seen_interval = true;
            if (strlen(v) != 1 || v[0] < '1' || v[0] > '9') {
                return rr_fail(why, "INTERVAL out of range");
            }
            out->interval = v[0] - '0';
        } else if (strcmp(part, "BYDAY") == 0 && !seen_byday) {
            char *save2 = NULL, *e;
            seen_byday = true;
            for (e = strtok_r(v, ",", &save2); e;
                 e = strtok_r(NULL, ",", &save2)) {
                if (out->n_days >= 7 ||
                    !taulu_recur_day_parse(e, strlen(e),
                                           &out->days[out->n_days])) {
                    return rr_fail(why, "BYDAY entry not supported");
                }
                out->n_days++;
            }
        } else if (strcmp(part, "UNTIL") == 0 && !seen_until) {
            seen_until = true;
            if (rr_until(v, first, tz, &out->until, why) < 0) {
                return TAULU_EVALUE;
            }
        } else if (strcmp(part, "WKST") == 0 && !seen_wkst) {
            seen_wkst = true;
            if (strcmp(v, "MO") != 0) {
                return rr_fail(why, "WKST other than MO");
            }
        } else if (strcmp(part, "COUNT") == 0) {
            return rr_fail(why, "COUNT is not supported (use UNTIL)");
        } else {
            return rr_fail(why, "a part that is not supported, or twice");
        }
    }
    if (!seen_freq) {
        return rr_fail(why, "FREQ is missing");
    }
    if (!seen_byday) {
        return rr_fail(why, "BYDAY is missing");
    }
    for (i = 0; i < out->n_days; i++) {
        if ((out->freq == TAULU_RECUR_WEEKLY) != (out->days[i].ord == 0)) {
            return rr_fail(why, "BYDAY does not fit FREQ");
        }
    }
    if (taulu_recur_check(out, NULL) < 0) {
        return rr_fail(why, "the rule is outside the supported subset");
    }
    taulu_recur_normalize(out);
    return TAULU_OK;
}
