/*
 * imp_event.c: the window of a run and the batch of events (see
 * imp_event.h).
 */
#include "imp_event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void imp_window_at(int64_t now, struct imp_window *w)
{
    struct taulu_civil c;
    int q, y, m;

    memset(w, 0, sizeof *w);
    if (taulu_time_to_civil(now, IMP_TZ, &c) != 0) {
        w->from = now;
        w->cap_day = taulu_recur_local_day(now, IMP_TZ) + 270;
        w->cap_time = now + 270 * 86400;
        return;
    }
    q = (c.month - 1) / 3; /* 0..3: this quarter */
    taulu_time_from_civil(IMP_TZ, c.year, q * 3 + 1, 1, 0, 0, 0, &w->from);
    /* The end of the third quarter after this one: its last day. */
    m = q * 3 + 1 + 12; /* the first month after it */
    y = c.year + (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    w->cap_day = taulu_days_from_civil(y, m, 1) - 1;
    taulu_time_from_civil(IMP_TZ, y, m, 1, 0, 0, 0, &w->cap_time);
}

struct imp_event *imp_batch_add(struct srv_pool *p, struct imp_batch *b)
{
    struct imp_event *e;

    if (b->n == b->cap) {
        b->v = srv_pool_grow(p, b->v, sizeof *b->v, &b->cap);
    }
    e = &b->v[b->n++];
    memset(e, 0, sizeof *e);
    e->free = -1;
    return e;
}

struct imp_version *imp_event_version(struct imp_event *e, const char *lang)
{
    size_t i;

    for (i = 0; i < e->n_v; i++) {
        if (strcmp(e->v[i].lang, lang) == 0) {
            return &e->v[i];
        }
    }
    if (e->n_v == IMP_MAX_TEXTS) {
        return NULL;
    }
    memset(&e->v[e->n_v], 0, sizeof e->v[0]);
    snprintf(e->v[e->n_v].lang, sizeof e->v[0].lang, "%s", lang);
    return &e->v[e->n_v++];
}

void imp_event_check_window(struct imp_event *e, int64_t now,
                            const struct imp_window *w)
{
    if (e->skip.code || e->gone) {
        return;
    }
    if (e->end <= now) {
        e->skip.code = "ended";
        e->skip.detail = "the event has ended";
    } else if (e->start >= w->cap_time) {
        e->skip.code = "too_far_ahead";
        e->skip.detail = "it starts after the import window; a later run "
                         "brings it";
    }
}

static int cmp_occ(const void *a, const void *b)
{
    const struct imp_occ *x = a, *y = b;

    return (x->start > y->start) - (x->start < y->start);
}

/* Drops repeated starts (an RDATE that is also a date of the rule). */
static size_t dedupe(struct imp_occ *occ, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        if (k > 0 && occ[k - 1].start == occ[i].start) {
            occ[k - 1].cancelled = occ[k - 1].cancelled && occ[i].cancelled;
            continue;
        }
        occ[k++] = occ[i];
    }
    return k;
}

void imp_batch_occurrences(struct srv_pool *p, struct imp_batch *b,
                           const struct imp_event *proto, struct imp_occ *occ,
                           size_t n, int64_t now, const struct imp_window *w)
{
    struct imp_event *e;
    struct taulu_recur rule;
    const char *why = NULL;
    size_t i, k = 0, later = 0, to_come = 0;

    qsort(occ, n, sizeof *occ, cmp_occ);
    n = dedupe(occ, n);
    /* The window: from the start of this quarter to its cap. */
    for (i = 0; i < n; i++) {
        if (occ[i].start >= w->cap_time) {
            later++;
            continue;
        }
        if (occ[i].end > w->from) {
            occ[k++] = occ[i];
        }
    }
    for (i = 0; i < k; i++) {
        if (occ[i].end > now) {
            to_come++;
        }
    }
    if (to_come == 0) {
        e = imp_batch_add(p, b);
        *e = *proto;
        e->skip.code = later ? "too_far_ahead" : "ended";
        e->skip.detail = later ? "every occurrence is after the import "
                                 "window; a later run brings them"
                               : "every occurrence has ended";
        return;
    }
    if (k == 1) {
        e = imp_batch_add(p, b);
        *e = *proto;
        e->start = occ[0].start;
        e->end = occ[0].end;
        e->gone = occ[0].cancelled;
        return;
    }
    if (imp_series_fit(occ, k, IMP_TZ, &rule, &why)) {
        e = imp_batch_add(p, b);
        *e = *proto;
        e->start = occ[0].start;
        e->end = occ[0].end;
        e->series = true;
        e->rule = rule;
        e->n_cancelled = 0;
        for (i = 0; i < k && e->n_cancelled < TAULU_RECUR_MAX_CANCELLED; i++) {
            if (occ[i].cancelled) {
                e->cancelled[e->n_cancelled++] =
                    taulu_recur_local_day(occ[i].start, IMP_TZ);
            }
        }
        return;
    }
    if (to_come > IMP_MAX_SEPARATE) {
        e = imp_batch_add(p, b);
        *e = *proto;
        e->skip.code = "rule_not_supported";
        e->skip.detail = why;
        return;
    }
    for (i = 0; i < k; i++) {
        struct taulu_civil c;
        char id[600];

        if (occ[i].end <= now) {
            continue;
        }
        taulu_time_to_civil(occ[i].start, IMP_TZ, &c);
        snprintf(id, sizeof id, "%s/%04d%02d%02dT%02d%02d", proto->ext_id,
                 c.year, c.month, c.day, c.hour, c.min);
        e = imp_batch_add(p, b);
        *e = *proto;
        e->ext_id = srv_pool_strdup(p, id);
        e->start = occ[i].start;
        e->end = occ[i].end;
        e->gone = occ[i].cancelled;
    }
}
