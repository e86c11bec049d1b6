/*
 * srv_hours.c: the coming week of a centre's PTV opening hours (see
 * srv_hours.h).
 */
#include "srv_hours.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_recur.h"

#define MAX_PER_DAY 8
#define WINDOW      7

/* One day's intervals while the week is put together; close may be past
 * 1440 until it is split. */
struct day {
    int open[MAX_PER_DAY], close[MAX_PER_DAY];
    int n;
};

static void day_add(struct day *d, int open, int close)
{
    if (d->n < MAX_PER_DAY && open < close) {
        d->open[d->n] = open;
        d->close[d->n] = close;
        d->n++;
    }
}

/* An interval {"open", "close"}: minutes, close + 1440 when it runs over
 * midnight. false when it cannot be read. */
static bool read_interval(const cJSON *o, int *open, int *close)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "open");
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, "close");

    if (!cJSON_IsString(a) || !cJSON_IsString(b)) {
        return false;
    }
    *open = taulu_manifest_hhmm_parse(a->valuestring, false);
    *close = taulu_manifest_hhmm_parse(b->valuestring, true);
    if (*open < 0 || *close < 0) {
        return false;
    }
    if (*close <= *open) {
        *close += 1440; /* over midnight ("00:00" too: to the day's end) */
    }
    return true;
}

/* The exception of local date `day`, or NULL. */
static const cJSON *exception_of(const cJSON *ex, int64_t day)
{
    const cJSON *e;

    cJSON_ArrayForEach(e, ex)
    {
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "date");
        int64_t v;

        if (cJSON_IsString(d) &&
            taulu_recur_date_parse(d->valuestring, &v) == 0 && v == day) {
            return e;
        }
    }
    return NULL;
}

static int cmp_int2(const void *a, const void *b)
{
    const int *x = a, *y = b;

    if (x[0] != y[0]) {
        return x[0] < y[0] ? -1 : 1;
    }
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* Sorts and merges a day's intervals (all within 0..1440 by now). */
static void day_normalise(struct day *d)
{
    int v[MAX_PER_DAY][2];
    int i, n = 0;

    for (i = 0; i < d->n; i++) {
        v[i][0] = d->open[i];
        v[i][1] = d->close[i];
    }
    qsort(v, (size_t)d->n, sizeof v[0], cmp_int2);
    for (i = 0; i < d->n; i++) {
        if (n > 0 && v[i][0] <= d->close[n - 1]) {
            if (v[i][1] > d->close[n - 1]) {
                d->close[n - 1] = v[i][1];
            }
            continue;
        }
        d->open[n] = v[i][0];
        d->close[n] = v[i][1];
        n++;
    }
    d->n = n;
}

static void earliest(int64_t *best, int64_t t, int64_t now)
{
    if (t > now && t < *best) {
        *best = t;
    }
}

int srv_hours_week(const char *weekly, const char *exceptions, int64_t now,
                   const struct taulu_tz *tz, struct taulu_centre *c,
                   int64_t *valid_until)
{
    cJSON *wk = weekly ? cJSON_Parse(weekly) : NULL;
    cJSON *ex = exceptions ? cJSON_Parse(exceptions) : NULL;
    struct day days[WINDOW + 1]; /* [WINDOW]: spill past the window */
    const cJSON *e;
    int64_t today = taulu_recur_local_day(now, tz);
    int i, k;

    *valid_until = SRV_HOURS_FOREVER;
    if (!cJSON_IsArray(wk)) {
        cJSON_Delete(wk);
        cJSON_Delete(ex);
        return TAULU_EVALUE;
    }
    memset(days, 0, sizeof days);
    for (i = 0; i < WINDOW; i++) {
        int64_t date = today + i;
        int wday = taulu_recur_wday(date);
        const cJSON *x = exception_of(ex, date), *iv;
        int open, close;

        if (x) {
            cJSON_ArrayForEach(iv, cJSON_GetObjectItemCaseSensitive(x, "hours"))
            {
                if (read_interval(iv, &open, &close)) {
                    day_add(&days[i], open, close);
                }
            }
            continue;
        }
        cJSON_ArrayForEach(iv, wk)
        {
            const cJSON *d = cJSON_GetObjectItemCaseSensitive(iv, "day");
            if (cJSON_IsNumber(d) && d->valueint == wday &&
                read_interval(iv, &open, &close)) {
                day_add(&days[i], open, close);
            }
        }
    }
    /* What runs over midnight goes on the next day; the regular hours of
     * the window's last day wrap to its first (the same weekday a week
     * on), an exception's spill past the window is dropped. */
    for (i = 0; i < WINDOW; i++) {
        for (k = 0; k < days[i].n; k++) {
            if (days[i].close[k] > 1440) {
                int next = i + 1;
                if (next == WINDOW) {
                    next =
                        exception_of(ex, today + i) || exception_of(ex, today)
                            ? WINDOW
                            : 0;
                }
                day_add(&days[next], 0, days[i].close[k] - 1440);
                days[i].close[k] = 1440;
            }
        }
    }
    c->n_hours = 0;
    for (i = 0; i < WINDOW; i++) {
        day_normalise(&days[i]);
    }
    /* By weekday, Monday first, as the manifest writes them. */
    for (k = 1; k <= 7; k++) {
        for (i = 0; i < WINDOW; i++) {
            int j;
            if (taulu_recur_wday(today + i) != k) {
                continue;
            }
            for (j = 0; j < days[i].n && c->n_hours < TAULU_MANIFEST_MAX_HOURS;
                 j++) {
                c->hours[c->n_hours].day = k;
                c->hours[c->n_hours].open_min = days[i].open[j];
                c->hours[c->n_hours].close_min = days[i].close[j];
                c->n_hours++;
            }
        }
    }
    /* The week changes when an exception date enters the window (at the
     * start of its date - 6) or leaves it (the start of the day after). */
    cJSON_ArrayForEach(e, ex)
    {
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "date");
        int64_t v, t;
        int y, m, dd;

        if (!cJSON_IsString(d) || taulu_recur_date_parse(d->valuestring, &v)) {
            continue;
        }
        taulu_civil_from_days(v - (WINDOW - 1), &y, &m, &dd);
        if (taulu_time_from_civil(tz, y, m, dd, 0, 0, 0, &t) == 0) {
            earliest(valid_until, t, now);
        }
        taulu_civil_from_days(v + 1, &y, &m, &dd);
        if (taulu_time_from_civil(tz, y, m, dd, 0, 0, 0, &t) == 0) {
            earliest(valid_until, t, now);
        }
    }
    cJSON_Delete(wk);
    cJSON_Delete(ex);
    return 0;
}
