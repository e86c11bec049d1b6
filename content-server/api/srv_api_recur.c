/*
 * srv_api_recur.c: recurring events in the API (docs/api.md, "Recurring
 * events"): the `recurrence` member of an item body, what the item's
 * answers add (the rule in words, its RRULE, the next occurrences, the
 * cancelled dates), the rule change in words for the reviewer, cancelling
 * and restoring one occurrence, and POST /api/v1/recurrence, the form's
 * live summary.
 *
 * The semantics, decided here and documented there:
 *  - A series is one item: one approval covers every occurrence, and an
 *    edit of the rule or its times is an edit like any other (back to
 *    review, the change shown in words).
 *  - An exception date (EXDATE, part of the rule) removes an occurrence
 *    silently: no card, no agenda row. It is content: editing the
 *    exceptions is re-reviewed.
 *  - A cancellation marks one occurrence "peruttu" / "inställt" /
 *    "cancelled" on the screens, on that date. It is no edit: it only
 *    takes back what was approved, carries no text of its own, and needs
 *    no new approval; the organisation's members, the contact persons of
 *    the centres the item is placed at and the coordinators may cancel,
 *    and restore, an occurrence that has not ended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_api.h"
#include "srv_pubapp.h"
#include "srv_recur.h"
#include "taulu_datefmt.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_time.h"

#define TAG "items"
/* Next occurrences in an item's answer and in the form's summary. */
#define NEXT_SHOWN 6

/* The last local date an item is shown on at all: that of the instant
 * before display_until. */
static int64_t last_shown_day(int64_t display_until)
{
    return taulu_recur_local_day(display_until - 1, SRV_RECUR_TZ);
}

/* Reads `recurrence` (absent or null: none) into a series of the first
 * occurrence starts_at..ends_at. The until defaults to the last day the
 * item is shown, and may not be after it (display_until 0: not known, the
 * until is required). 1 if there is none, 0 with *s filled, -1 with e. */
static int read_series(const cJSON *in, int64_t starts_at, int64_t ends_at,
                       int64_t display_until, struct taulu_series *s,
                       struct srv_verr *e)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(in, "recurrence");
    struct taulu_recur_err re;

    memset(s, 0, sizeof *s);
    if (!x || cJSON_IsNull(x)) {
        return 1;
    }
    if (taulu_recur_from_json(x, "recurrence", &s->rule, &re) < 0) {
        return srv_verr_set(e, 400, re.code, NULL, re.field);
    }
    if (s->rule.until == TAULU_RECUR_NO_DATE && !display_until) {
        return srv_verr_set(e, 400, "missing_field", NULL, "recurrence.until");
    }
    if (s->rule.until == TAULU_RECUR_NO_DATE) {
        s->rule.until = last_shown_day(display_until);
    } else if (display_until && s->rule.until > last_shown_day(display_until)) {
        return srv_verr_set(e, 400, "recurrence_after_display", NULL,
                            "recurrence.until");
    }
    s->start = starts_at;
    s->end = ends_at;
    if (taulu_series_check(s, SRV_RECUR_TZ, &re) < 0) {
        return srv_verr_set(e, 400, re.code, NULL, re.field);
    }
    return 0;
}

int srv_item_read_recurrence(const cJSON *in, struct srv_pool *pool,
                             struct srv_item *it, struct srv_verr *e)
{
    struct taulu_series s;
    cJSON *j;
    char *text;
    int rc;

    it->recurrence = NULL;
    it->series_end = 0;
    if (!cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(in, "recurrence")) &&
        cJSON_GetObjectItemCaseSensitive(in, "recurrence") &&
        strcmp(it->kind, "event") != 0) {
        /* A bulletin has no times to repeat. */
        return srv_verr_set(e, 400, "invalid_value", NULL, "recurrence");
    }
    rc = read_series(in, it->starts_at, it->ends_at, it->display_until, &s, e);
    if (rc != 0) {
        return rc < 0 ? -1 : 0;
    }
    j = taulu_recur_to_json(&s.rule);
    text = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (!text) {
        abort(); /* program code: out of memory */
    }
    it->recurrence = srv_pool_strdup(pool, text);
    cJSON_free(text);
    it->series_end = taulu_series_last_end(&s, SRV_RECUR_TZ);
    return 0;
}

void srv_recur_add_content(cJSON *o, const struct srv_item *it)
{
    /* Only when it repeats: the snapshots of items that do not (and every
     * snapshot from before repeating events) then have the same shape,
     * and a diff never shows a "change" from absent to null. */
    cJSON *r = it->recurrence ? cJSON_Parse(it->recurrence) : NULL;

    if (r) {
        cJSON_AddItemToObject(o, "recurrence", r);
    }
}

/* {"fi": "joka tiistai klo 14–16", "sv": ..., "en": ...}, or NULL. */
static cJSON *words_json(const struct taulu_series *s)
{
    cJSON *o = cJSON_CreateObject();
    struct taulu_buf b;
    int sm, em, l;

    taulu_series_times(s, SRV_RECUR_TZ, &sm, &em);
    taulu_buf_init(&b, 512);
    for (l = 0; l < TAULU_LANG_COUNT; l++) {
        taulu_buf_reset(&b);
        if (taulu_fmt_recur(&b, (enum taulu_lang)l, false, &s->rule, sm, em) <
            0) {
            cJSON_Delete(o);
            o = NULL;
            break;
        }
        cJSON_AddStringToObject(o, taulu_lang_code((enum taulu_lang)l), b.data);
    }
    taulu_buf_release(&b);
    return o;
}

static cJSON *occurrence_json(const struct taulu_occurrence *o)
{
    cJSON *x = cJSON_CreateObject();
    char d[TAULU_RECUR_DATE_LEN];

    taulu_recur_date_format(taulu_recur_local_day(o->start, SRV_RECUR_TZ), d);
    cJSON_AddStringToObject(x, "date", d);
    srv_json_add_time(x, "start", o->start);
    srv_json_add_time(x, "end", o->end);
    cJSON_AddBoolToObject(x, "cancelled", o->cancelled);
    return x;
}

/* The words, the RRULE, the count and the next occurrences of a series
 * (from `now`), added to o. */
static void add_series(cJSON *o, const struct taulu_series *s, int64_t now)
{
    struct taulu_occurrence next[NEXT_SHOWN];
    struct taulu_buf b;
    cJSON *arr, *w = words_json(s);
    size_t n, i;

    if (w) {
        cJSON_AddItemToObject(o, "recurrence_text", w);
    } else {
        cJSON_AddNullToObject(o, "recurrence_text");
    }
    taulu_buf_init(&b, 256);
    if (taulu_recur_to_rrule(&s->rule, SRV_RECUR_TZ, &b) == 0) {
        cJSON_AddStringToObject(o, "rrule", b.data);
    } else {
        cJSON_AddNullToObject(o, "rrule");
    }
    taulu_buf_release(&b);
    cJSON_AddNumberToObject(
        o, "occurrence_count",
        (double)taulu_series_expand(s, SRV_RECUR_TZ, TAULU_TIME_MIN,
                                    TAULU_TIME_MAX, NULL, 0));
    n = taulu_series_expand(s, SRV_RECUR_TZ, now, TAULU_TIME_MAX, next,
                            NEXT_SHOWN);
    arr = cJSON_AddArrayToObject(o, "next_occurrences");
    for (i = 0; i < n && i < NEXT_SHOWN; i++) {
        cJSON_AddItemToArray(arr, occurrence_json(&next[i]));
    }
}

void srv_recur_add_json(cJSON *o, const struct srv_item *it, int64_t now)
{
    struct taulu_series s;
    cJSON *arr;
    size_t i;

    if (srv_item_series(it, &s) != 0) {
        cJSON_AddNullToObject(o, "recurrence_text");
        return;
    }
    add_series(o, &s, now);
    srv_json_add_time(o, "series_end", it->series_end);
    /* The cancelled dates that are occurrences of the series as it is. */
    arr = cJSON_AddArrayToObject(o, "cancelled");
    for (i = 0; i < s.n_cancelled; i++) {
        char d[TAULU_RECUR_DATE_LEN];
        taulu_recur_date_format(s.cancelled[i], d);
        cJSON_AddItemToArray(arr, cJSON_CreateString(d));
    }
}

/* The words of a snapshot's rule (null if it does not recur). */
static cJSON *snapshot_words(const cJSON *snap)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(snap, "recurrence");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(snap, "starts_at");
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(snap, "ends_at");
    struct taulu_series s;
    int64_t start = 0, end = 0;
    char *rj;
    cJSON *w = NULL;

    if (!cJSON_IsObject(r) || !cJSON_IsString(a) || !cJSON_IsString(b) ||
        taulu_time_parse_iso(a->valuestring, &start) < 0 ||
        taulu_time_parse_iso(b->valuestring, &end) < 0) {
        return cJSON_CreateNull();
    }
    rj = cJSON_PrintUnformatted(r);
    if (rj && srv_series_from(rj, start, end, NULL, 0, &s) == 0) {
        w = words_json(&s);
    }
    cJSON_free(rj);
    return w ? w : cJSON_CreateNull();
}

void srv_recur_diff_words(cJSON *changes, const cJSON *old_snap,
                          const cJSON *new_snap)
{
    cJSON *a = snapshot_words(old_snap), *b = snapshot_words(new_snap), *c;

    if (cJSON_Compare(a, b, 1)) {
        cJSON_Delete(a);
        cJSON_Delete(b);
        return;
    }
    /* The reviewer reads the rule as the screen will say it; the
     * structural lines (recurrence.byday, ...) are there as well. */
    c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "field", "recurrence_text");
    cJSON_AddItemToObject(c, "old", a);
    cJSON_AddItemToObject(c, "new", b);
    cJSON_AddItemToArray(changes, c);
}

/* ------------------------------------------------------------------ */
/* Cancelling one occurrence */

/* Path item {id}, checked for SRV_A_ITEM_CANCEL: its organisation and the
 * centres it is placed at. 0 or TAULU_EANSWERED. */
static int load_item(struct srv_req *r, struct srv_item *it)
{
    struct srv_object o = {r->params[0], 0, 0, NULL, 0};
    int64_t *c;
    size_t i;
    int rc = srv_store_item_get(r->app->store, &r->pool, r->params[0], it);

    if (rc) {
        return srv_api_load_failed(r, rc);
    }
    c = srv_pool_alloc(&r->pool, (it->n_placements + 1) * sizeof *c);
    for (i = 0; i < it->n_placements; i++) {
        c[i] = it->placements[i].centre_id;
    }
    o.org_id = it->org_id;
    o.centres = c;
    o.n_centres = it->n_placements;
    return srv_authorize(r, SRV_A_ITEM_CANCEL, &o, "item", it->id);
}

static void cancel_or_restore(struct srv_req *r, bool cancel)
{
    static const char *const keys[] = {"date", NULL};
    struct taulu_series s;
    struct taulu_occurrence o;
    struct srv_item it;
    struct srv_verr e;
    const char *date = NULL;
    cJSON *in = NULL, *out;
    int64_t day, now = taulu_now(), first_day;
    size_t k;
    bool excluded = false;
    int rc;

    if (load_item(r, &it) == TAULU_EANSWERED) {
        return;
    }
    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    if (srv_json_keys(in, keys, "", &e) < 0 ||
        srv_json_str(in, "date", true, 10, 10, "", "", &date, &e) < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    if (taulu_recur_date_parse(date, &day) < 0) {
        srv_reply_error(r, 400, "invalid_value", "date");
        goto out;
    }
    if (srv_item_series(&it, &s) != 0) {
        srv_reply_error(r, 400, "not_recurring", "date");
        goto out;
    }
    first_day = taulu_recur_local_day(s.start, SRV_RECUR_TZ);
    for (k = 0; k < s.rule.n_exdates; k++) {
        excluded = excluded || s.rule.exdates[k] == day;
    }
    if (excluded || !taulu_recur_matches(&s.rule, first_day, day)) {
        srv_reply_error(r, 400, "not_an_occurrence", "date");
        goto out;
    }
    /* The occurrence on that day must not be over: one that is over is
     * history. At most a few occurrences start in that day and end after
     * the later of now and its start. */
    {
        struct taulu_occurrence x[4];
        int y, mo, d;
        int64_t day_start, next_start;
        size_t n, i;

        taulu_civil_from_days(day, &y, &mo, &d);
        taulu_time_from_civil(SRV_RECUR_TZ, y, mo, d, 0, 0, 0, &day_start);
        taulu_civil_from_days(day + 1, &y, &mo, &d);
        taulu_time_from_civil(SRV_RECUR_TZ, y, mo, d, 0, 0, 0, &next_start);
        n = taulu_series_expand(&s, SRV_RECUR_TZ,
                                now > day_start ? now : day_start, next_start,
                                x, 4);
        o.end = 0;
        for (i = 0; i < n && i < 4; i++) {
            if (taulu_recur_local_day(x[i].start, SRV_RECUR_TZ) == day) {
                o = x[i];
            }
        }
        if (o.end == 0) {
            srv_reply_error(r, 400, "occurrence_ended", "date");
            goto out;
        }
    }
    if (cancel && !taulu_series_is_cancelled(&s, day) &&
        s.n_cancelled >= TAULU_RECUR_MAX_CANCELLED) {
        srv_reply_error(r, 400, "out_of_range", "date");
        goto out;
    }
    rc = srv_store_item_cancel(r->app->store, r->user.id, it.id, date, cancel);
    if (rc) {
        srv_api_store_error(r, rc);
        goto out;
    }
    /* Republish: the screens show "peruttu" on that date (or no longer). */
    srv_pub_item_changed(r->app->pub, it.id);
    taulu_info(TAG, "item %lld: occurrence %s %s by user %lld",
               (long long)it.id, date, cancel ? "cancelled" : "restored",
               (long long)r->user.id);
    if (srv_store_item_get(r->app->store, &r->pool, it.id, &it) != 0) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "item_id", (double)it.id);
    cJSON_AddStringToObject(out, "date", date);
    cJSON_AddBoolToObject(out, "cancelled", cancel);
    srv_recur_add_json(out, &it, now);
    srv_reply_json(r, 200, out);
out:
    cJSON_Delete(in);
}

void srv_h_item_cancel_occurrence(struct srv_req *r)
{
    cancel_or_restore(r, true);
}

void srv_h_item_restore_occurrence(struct srv_req *r)
{
    cancel_or_restore(r, false);
}

/* ------------------------------------------------------------------ */
/* POST /api/v1/recurrence: the rule in words and its dates, while the
 * volunteer fills in the form (the same checks as a submission). */

void srv_h_recurrence_preview(struct srv_req *r)
{
    static const char *const keys[] = {"starts_at", "ends_at", "display_until",
                                       "recurrence", NULL};
    struct taulu_series s;
    struct srv_verr e;
    int64_t start = 0, end = 0, until = 0;
    cJSON *in = NULL, *out;
    int rc;

    r->authorized = true; /* any signed-in user: pure computation */
    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    if (srv_json_keys(in, keys, "", &e) < 0 ||
        srv_json_time(in, "starts_at", true, "", &start, &e) < 0 ||
        srv_json_time(in, "ends_at", true, "", &end, &e) < 0 ||
        srv_json_time(in, "display_until", false, "", &until, &e) < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    if (end <= start) {
        srv_reply_error(r, 400, "bad_window", "ends_at");
        goto out;
    }
    /* Without a display end the rule must name its own until. */
    rc = read_series(in, start, end, until, &s, &e);
    if (rc == 1) {
        srv_reply_error(r, 400, "missing_field", "recurrence");
        goto out;
    }
    if (rc < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "recurrence", taulu_recur_to_json(&s.rule));
    add_series(out, &s, taulu_now());
    srv_reply_json(r, 200, out);
out:
    cJSON_Delete(in);
}
