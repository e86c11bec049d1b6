/*
 * imp_series.c: a list of occurrences as a rule of the recurrence model
 * (see imp_series.h).
 */
#include "imp_series.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LIST TAULU_RECUR_MAX_OCCURRENCES

/* Monday of a date's week. */
static int64_t monday(int64_t day)
{
    return day - (taulu_recur_wday(day) - 1);
}

static bool has_day(const int64_t *days, size_t n, int64_t d)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (days[mid] == d) {
            return true;
        }
        if (days[mid] < d) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}

/* A candidate rule and how many exception dates it needs. */
struct cand {
    struct taulu_recur r;
    size_t exdates; /* SIZE_MAX: not a candidate */
};

/* The simpler rule wins: fewer weekdays or entries plus exception
 * dates (every Tuesday with two holidays off, not "the first, second and
 * third Tuesday"); on a tie the one tried first (weekly, then smaller
 * intervals). */
static bool better(const struct cand *c, const struct cand *best)
{
    if (c->exdates == SIZE_MAX) {
        return false;
    }
    if (best->exdates == SIZE_MAX) {
        return true;
    }
    return c->exdates + c->r.n_days < best->exdates + best->r.n_days;
}

/* Dates of the rule from first to last not in `days` go into the rule's
 * exdates (as many as fit); returns how many there are. */
static size_t fill_exdates(struct taulu_recur *r, const int64_t *days, size_t n)
{
    int64_t d;
    size_t ex = 0;

    r->n_exdates = 0;
    for (d = days[0]; d <= days[n - 1]; d++) {
        if (!taulu_recur_matches(r, days[0], d) || has_day(days, n, d)) {
            continue;
        }
        if (r->n_exdates < TAULU_RECUR_MAX_EXDATES) {
            r->exdates[r->n_exdates++] = d;
        }
        ex++;
    }
    return ex;
}

static void weekly(const int64_t *days, size_t n, int k, struct cand *c)
{
    bool wd[8] = {false};
    int64_t mon0 = monday(days[0]);
    size_t i;
    int w;

    c->exdates = SIZE_MAX;
    memset(&c->r, 0, sizeof c->r);
    for (i = 0; i < n; i++) {
        if (((monday(days[i]) - mon0) / 7) % k != 0) {
            return;
        }
        wd[taulu_recur_wday(days[i])] = true;
    }
    c->r.freq = TAULU_RECUR_WEEKLY;
    c->r.interval = k;
    for (w = 1; w <= 7; w++) {
        if (wd[w]) {
            c->r.days[c->r.n_days].ord = 0;
            c->r.days[c->r.n_days].wday = w;
            c->r.n_days++;
        }
    }
    c->r.until = days[n - 1];
    c->exdates = fill_exdates(&c->r, days, n);
}

/* Monthly: `last_first` prefers "last" for a date that is the last such
 * weekday of its month (the fourth Tuesday may be both). */
static void monthly(const int64_t *days, size_t n, bool last_first,
                    struct cand *c)
{
    size_t i, k;

    c->exdates = SIZE_MAX;
    memset(&c->r, 0, sizeof c->r);
    c->r.freq = TAULU_RECUR_MONTHLY;
    c->r.interval = 1;
    for (i = 0; i < n; i++) {
        int y, m, dom, ord, w = taulu_recur_wday(days[i]);
        bool last, seen = false;

        taulu_civil_from_days(days[i], &y, &m, &dom);
        ord = (dom - 1) / 7 + 1;
        last = dom + 7 > taulu_days_in_month(y, m);
        if (ord > 4 || (last && last_first)) {
            ord = -1;
        }
        for (k = 0; k < c->r.n_days; k++) {
            if (c->r.days[k].ord == ord && c->r.days[k].wday == w) {
                seen = true;
            }
        }
        if (!seen) {
            if (c->r.n_days == TAULU_RECUR_MAX_MONTHLY) {
                return;
            }
            c->r.days[c->r.n_days].ord = ord;
            c->r.days[c->r.n_days].wday = w;
            c->r.n_days++;
        }
    }
    c->r.until = days[n - 1];
    c->exdates = fill_exdates(&c->r, days, n);
}

/* Expanding the rule again gives exactly the list. */
static bool verify(const struct taulu_recur *r, const struct imp_occ *occ,
                   size_t n, const struct taulu_tz *tz)
{
    struct taulu_series s;
    struct taulu_occurrence *o;
    size_t got, i;
    bool ok;

    memset(&s, 0, sizeof s);
    s.rule = *r;
    s.start = occ[0].start;
    s.end = occ[0].end;
    if (taulu_series_check(&s, tz, NULL) != 0) {
        return false;
    }
    o = calloc(n + 1, sizeof *o);
    if (!o) {
        return false;
    }
    got = taulu_series_expand(&s, tz, TAULU_TIME_MIN, TAULU_TIME_MAX, o, n + 1);
    ok = got == n;
    for (i = 0; ok && i < n; i++) {
        ok = o[i].start == occ[i].start && o[i].end == occ[i].end;
    }
    free(o);
    return ok;
}

bool imp_series_fit(const struct imp_occ *occ, size_t n,
                    const struct taulu_tz *tz, struct taulu_recur *rule,
                    const char **why)
{
    int64_t days[MAX_LIST];
    struct cand best, c;
    struct taulu_civil first, x;
    int64_t len;
    size_t i;
    int k;

    *why = NULL;
    if (n < 2 || n > MAX_LIST) {
        *why = n < 2 ? "fewer than two occurrences" : "too many occurrences";
        return false;
    }
    len = occ[0].end - occ[0].start;
    if (len <= 0 || len > TAULU_RECUR_MAX_DURATION) {
        *why = "an occurrence lasts over 12 hours";
        return false;
    }
    if (taulu_time_to_civil(occ[0].start, tz, &first) != 0) {
        *why = "a time out of range";
        return false;
    }
    for (i = 0; i < n; i++) {
        if (taulu_time_to_civil(occ[i].start, tz, &x) != 0 ||
            occ[i].end - occ[i].start != len) {
            *why = "occurrences of different lengths";
            return false;
        }
        if (x.hour != first.hour || x.min != first.min) {
            *why = "occurrences at different times of day";
            return false;
        }
        days[i] = taulu_recur_local_day(occ[i].start, tz);
        if (i > 0 && days[i] <= days[i - 1]) {
            *why = "two occurrences on one day";
            return false;
        }
    }
    best.exdates = SIZE_MAX;
    for (k = 1; k <= TAULU_RECUR_MAX_INTERVAL; k++) {
        weekly(days, n, k, &c);
        if (better(&c, &best)) {
            best = c;
        }
    }
    monthly(days, n, false, &c);
    if (better(&c, &best)) {
        best = c;
    }
    monthly(days, n, true, &c);
    if (better(&c, &best)) {
        best = c;
    }
    if (best.exdates == SIZE_MAX || best.exdates > n ||
        best.exdates > TAULU_RECUR_MAX_EXDATES) {
        *why = "the dates follow no weekly or monthly weekday rule";
        return false;
    }
    taulu_recur_normalize(&best.r);
    if (taulu_recur_check(&best.r, NULL) != 0 || !verify(&best.r, occ, n, tz)) {
        *why = "the dates follow no weekly or monthly weekday rule";
        return false;
    }
    *rule = best.r;
    return true;
}
