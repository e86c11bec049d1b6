/*
 * srv_importer.c: one run of a source, and the thread that runs them as
 * they fall due (see srv_import.h).
 */
#include "srv_import.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imp_ical.h"
#include "imp_item.h"
#include "imp_linkedevents.h"
#include "imp_ptv.h"
#include "srv_fetch.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_time.h"

#define TAG "import"

#define MAX_PAGES   20 /* Linked Events pages of one listing */
#define MAX_GROUPS  20 /* series fetched whole in an incremental run */
#define MAX_BACKOFF (24 * 3600)

/* What a run carries along. */
struct run {
    struct srv_store *st;
    const struct srv_import_sink *sink;
    const struct srv_import_options *o;
    const struct srv_import_source *src;
    int64_t now;
    int64_t deadline_ms;
    struct srv_pool *p;
    struct srv_import_counts *c;
    char err[512];
    /* validators of the first answer, for the next run */
    char etag[256], last_modified[64];
};

static void fetch_opts(const struct run *r, size_t max, const char *accept,
                       struct srv_fetch_opts *f)
{
    int64_t left = (r->deadline_ms - taulu_monotonic_ms()) / 1000;

    memset(f, 0, sizeof *f);
    f->max_bytes = max;
    f->timeout_s = r->o->timeout_s;
    if (left < f->timeout_s) {
        f->timeout_s = left > 1 ? (long)left : 1;
    }
    f->connect_timeout_s = f->timeout_s < 10 ? f->timeout_s : 10;
    f->allow_loopback = r->o->allow_loopback;
    f->user_agent = r->o->user_agent;
    f->accept = accept;
}

/* ------------------------------------------------------------------ */
/* Entries: what the source brought before */

struct known {
    struct srv_import_entry *v;
    size_t n;
    bool *seen;
};

static struct srv_import_entry *known_find(struct known *k, const char *id,
                                           size_t *at)
{
    size_t i;

    for (i = 0; i < k->n; i++) {
        if (strcmp(k->v[i].ext_id, id) == 0) {
            *at = i;
            return &k->v[i];
        }
    }
    return NULL;
}

static char *skip_json(const struct imp_skip *s)
{
    cJSON *o = cJSON_CreateObject();
    char *t;

    cJSON_AddStringToObject(o, "code", s->code ? s->code : "skipped");
    cJSON_AddStringToObject(o, "detail", s->detail ? s->detail : "");
    t = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return t;
}

static int put_entry(struct run *r, const char *ext_id, int64_t item,
                     const char *hash, const char *state, const char *title,
                     const char *reason)
{
    struct srv_import_entry e;

    memset(&e, 0, sizeof e);
    e.source_id = r->src->id;
    e.ext_id = ext_id;
    e.item_id = item;
    e.hash = hash ? hash : "";
    e.state = state;
    e.title = title;
    e.reason = reason;
    e.seen_at = r->now;
    return srv_store_import_entry_put(r->st, &e);
}

static int withdraw(struct run *r, int64_t item)
{
    int rc = item ? r->sink->withdraw(r->sink->ctx, r->src, item) : 0;

    if (rc == 0 && item) {
        r->c->withdrawn++;
    }
    return rc == TAULU_ENOTFOUND ? 0 : rc;
}

/* The item's cancellations as the source says (a series only). */
static int sync_cancelled(struct run *r, const struct imp_event *e,
                          int64_t item)
{
    struct srv_item it;
    size_t i, k;
    int rc;

    rc = srv_store_item_get(r->st, r->p, item, &it);
    if (rc) {
        return rc;
    }
    for (i = 0; i < e->n_cancelled; i++) {
        char d[TAULU_RECUR_DATE_LEN];
        bool have = false;
        taulu_recur_date_format(e->cancelled[i], d);
        for (k = 0; k < it.n_cancelled; k++) {
            have = have || strcmp(it.cancelled[k], d) == 0;
        }
        if (!have &&
            (rc = r->sink->cancel(r->sink->ctx, r->src, item, d, true)) != 0 &&
            rc != TAULU_EVALUE) {
            return rc;
        }
    }
    for (k = 0; k < it.n_cancelled; k++) {
        bool want = false;
        for (i = 0; i < e->n_cancelled; i++) {
            char d[TAULU_RECUR_DATE_LEN];
            taulu_recur_date_format(e->cancelled[i], d);
            want = want || strcmp(it.cancelled[k], d) == 0;
        }
        if (!want &&
            (rc = r->sink->cancel(r->sink->ctx, r->src, item, it.cancelled[k],
                                  false)) != 0 &&
            rc != TAULU_EVALUE) {
            return rc;
        }
    }
    return 0;
}

/* The image of an event, fetched and stored: its sha256, or NULL (the
 * item goes without; the reason is logged). */
static const char *image_of(struct run *r, const struct imp_event *e,
                            char sha[65])
{
    struct srv_fetch_opts f;
    struct srv_fetch_result res;
    char err[300];
    const char *out = NULL;
    int rc;

    if (!e->image_url) {
        return NULL;
    }
    fetch_opts(r, SRV_IMPORT_IMAGE_MAX, "image/png, image/jpeg", &f);
    rc = srv_fetch(e->image_url, &f, &res, err, sizeof err);
    if (rc == 0 && res.status == 200) {
        rc = r->sink->image(r->sink->ctx, res.body.data, res.body.len, sha);
        if (rc == 0) {
            out = sha;
        } else {
            snprintf(err, sizeof err, "the image was refused (%s)",
                     taulu_strerror(rc));
        }
    }
    if (!out) {
        taulu_info(TAG, "source %lld: event %s goes without its image: %s",
                   (long long)r->src->id, e->ext_id, err);
    }
    taulu_buf_release(&res.body);
    return out;
}

static const char *title_of(const struct imp_event *e)
{
    return e->n_v && e->v[0].title ? e->v[0].title : NULL;
}

/* One event against its entry. 0, or a code that ends the run. */
static int one_event(struct run *r, struct known *k, const struct imp_event *e)
{
    size_t at = 0;
    struct srv_import_entry *old = known_find(k, e->ext_id, &at);
    int64_t item = old ? old->item_id : 0;
    bool active = old && strcmp(old->state, "active") == 0;
    char hash[TAULU_SHA256_HEX_LEN + 1], sha[65];
    struct imp_skip why = {NULL, NULL};
    const char *img;
    cJSON *body;
    char *reason = NULL, *answer = NULL;
    int64_t id = 0;
    int rc;

    if (old) {
        k->seen[at] = true;
    }
    r->c->events++;
    if (e->gone) {
        if (!old) {
            return 0; /* deleted before we ever saw it */
        }
        rc = active ? withdraw(r, item) : 0;
        return rc ? rc
                  : put_entry(r, e->ext_id, item, old->hash, "withdrawn",
                              old->title, NULL);
    }
    if (e->skip.code) {
        r->c->skipped++;
        /* An event that ended keeps its item (it expires by itself); one
         * that can no longer be shown as it is loses it. */
        if (active && strcmp(e->skip.code, "ended") == 0) {
            return 0;
        }
        rc = active ? withdraw(r, item) : 0;
        reason = skip_json(&e->skip);
        if (rc == 0) {
            /* a private event's title is not ours to keep */
            rc = put_entry(r, e->ext_id, item, old ? old->hash : "", "skipped",
                           strcmp(e->skip.code, "private") == 0 ? NULL
                                                                : title_of(e),
                           reason);
        }
        cJSON_free(reason);
        return rc;
    }
    imp_item_hash(e, r->src, r->now, hash);
    if (old && strcmp(old->hash, hash) == 0 &&
        (active || strcmp(old->state, "refused") == 0)) {
        r->c->unchanged++;
        return active && e->series ? sync_cancelled(r, e, item) : 0;
    }
    img = image_of(r, e, sha);
    body = imp_item_body(e, r->src, r->now, img, &why);
    if (!body) {
        r->c->skipped++;
        rc = active ? withdraw(r, item) : 0;
        reason = skip_json(&why);
        if (rc == 0) {
            rc = put_entry(r, e->ext_id, item, hash, "skipped", title_of(e),
                           reason);
        }
        cJSON_free(reason);
        return rc;
    }
    /* An active item is edited; a withdrawn one stays as it was and the
     * event comes back as a new item. */
    rc = r->sink->submit(r->sink->ctx, r->src, body, active ? item : 0, &id,
                         &answer);
    cJSON_Delete(body);
    if (rc == TAULU_EVALUE) {
        /* Refused: nothing stored. An item whose edit is refused does not
         * go on showing what the source no longer says. */
        r->c->refused++;
        rc = active ? withdraw(r, item) : 0;
        if (rc == 0) {
            rc = put_entry(r, e->ext_id, item, hash, "refused", title_of(e),
                           answer);
        }
        free(answer);
        return rc;
    }
    free(answer);
    if (rc) {
        snprintf(r->err, sizeof r->err,
                 "the item of %s could not be saved "
                 "(%s)",
                 e->ext_id, taulu_strerror(rc));
        return rc;
    }
    if (active) {
        r->c->updated++;
    } else {
        r->c->created++;
    }
    rc = put_entry(r, e->ext_id, id, hash, "active", title_of(e), NULL);
    if (rc == 0 && e->series) {
        rc = sync_cancelled(r, e, id);
    }
    return rc;
}

/* The batch against the entries; a complete batch withdraws what it no
 * longer has. */
static int reconcile(struct run *r, const struct imp_batch *b)
{
    struct known k;
    size_t i;
    int rc;

    rc = srv_store_import_entries(r->st, r->p, r->src->id, &k.v, &k.n);
    if (rc) {
        return rc;
    }
    k.seen = srv_pool_alloc(r->p, (k.n + 1) * sizeof *k.seen);
    for (i = 0; i < b->n; i++) {
        rc = one_event(r, &k, &b->v[i]);
        if (rc) {
            return rc;
        }
    }
    r->c->dropped = b->dropped;
    for (i = 0; b->complete && i < k.n; i++) {
        if (k.seen[i] || strcmp(k.v[i].state, "withdrawn") == 0) {
            continue;
        }
        if (strcmp(k.v[i].state, "active") == 0 &&
            (rc = withdraw(r, k.v[i].item_id)) != 0) {
            return rc;
        }
        rc = put_entry(r, k.v[i].ext_id, k.v[i].item_id, k.v[i].hash,
                       "withdrawn", k.v[i].title, NULL);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* iCalendar */

static int run_ical(struct run *r)
{
    struct srv_fetch_opts f;
    struct srv_fetch_result res;
    struct imp_batch b;
    int rc;

    fetch_opts(r, r->o->max_bytes, "text/calendar, */*;q=0.5", &f);
    f.etag = r->src->etag;
    f.last_modified = r->src->last_modified;
    rc = srv_fetch(r->src->url, &f, &res, r->err, sizeof r->err);
    if (rc == 0 && res.status == 304) {
        r->c->not_modified = true;
    } else if (rc == 0) {
        snprintf(r->etag, sizeof r->etag, "%s", res.etag);
        snprintf(r->last_modified, sizeof r->last_modified, "%s",
                 res.last_modified);
        rc = imp_ical_parse(res.body.data, res.body.len, r->now, r->src->lang,
                            r->p, &b, r->err, sizeof r->err);
        if (rc == 0) {
            rc = reconcile(r, &b);
        }
    }
    taulu_buf_release(&res.body);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Linked Events */

/* Appends "name=value" to the URL in b unless the URL already has name. */
static void add_param(struct taulu_buf *b, const char *name, const char *value)
{
    char key[64];
    const char *q = strchr(b->data, '?'), *at;

    snprintf(key, sizeof key, "%s=", name);
    for (at = q ? strstr(q, key) : NULL; at; at = strstr(at + 1, key)) {
        if (at[-1] == '?' || at[-1] == '&') {
            return;
        }
    }
    if (!q) {
        taulu_buf_putc(b, '?');
    } else if (b->data[b->len - 1] != '?' && b->data[b->len - 1] != '&') {
        taulu_buf_putc(b, '&');
    }
    taulu_buf_puts(b, key);
    taulu_buf_puts(b, value);
}

/* scheme://host[:port] of a URL, to compare hosts. */
static size_t origin_len(const char *u)
{
    const char *s = strstr(u, "://");

    return s ? (size_t)(s + 3 - u) + strcspn(s + 3, "/?#") : 0;
}

/* The API's event root ("https://api.hel.fi/linkedevents/v1/event/") of
 * the source's URL, or "" when it has none. */
static void event_root(const char *url, char *out, size_t size)
{
    const char *e = strstr(url, "/event/");

    if (!e) {
        const char *q = strchr(url, '?');
        size_t n = q ? (size_t)(q - url) : strlen(url);
        if (n >= 6 && strncmp(url + n - 6, "/event", 6) == 0 && n + 2 < size) {
            memcpy(out, url, n);
            memcpy(out + n, "/", 2);
            return;
        }
        out[0] = '\0';
        return;
    }
    snprintf(out, size, "%.*s", (int)(e + 7 - url), url);
}

/* Every page of a listing into raw. */
static int le_pages(struct run *r, const char *first, struct imp_le_list *raw)
{
    const char *url = first;
    size_t origin = origin_len(first);
    int page, rc = 0;

    for (page = 0; url && page < MAX_PAGES; page++) {
        struct srv_fetch_opts f;
        struct srv_fetch_result res;
        const char *next = NULL;

        if (taulu_monotonic_ms() > r->deadline_ms) {
            snprintf(r->err, sizeof r->err, "the run took longer than %lld s",
                     (long long)r->o->run_deadline_s);
            return TAULU_EUNAVAIL;
        }
        fetch_opts(r, r->o->max_bytes, "application/json", &f);
        rc = srv_fetch(url, &f, &res, r->err, sizeof r->err);
        if (rc == 0) {
            rc = imp_le_parse(res.body.data, res.body.len, r->p, raw, &next,
                              r->err, sizeof r->err);
        }
        taulu_buf_release(&res.body);
        if (rc) {
            return rc;
        }
        if (next &&
            (origin_len(next) != origin || strncmp(next, first, origin) != 0)) {
            snprintf(r->err, sizeof r->err,
                     "the next page is on another host: not followed");
            return TAULU_EINVAL;
        }
        url = next;
    }
    if (url) {
        taulu_warn(TAG,
                   "source %lld: more than %d pages; the rest is left "
                   "for now",
                   (long long)r->src->id, MAX_PAGES);
        r->c->dropped++;
        return 1; /* incomplete */
    }
    return 0;
}

static int run_le(struct run *r)
{
    struct taulu_buf u;
    struct imp_le_list raw;
    struct imp_batch b;
    char since[TAULU_ISO_LEN], root[1200];
    int64_t cursor = 0;
    bool full;
    int rc;

    memset(&raw, 0, sizeof raw);
    memset(&b, 0, sizeof b);
    /* Incremental (last_modified_since, show_deleted) after a successful
     * run today; the first run of each day reads the whole listing, so
     * that nothing missed stays for long. */
    full = !r->src->cursor ||
           taulu_time_parse_iso(r->src->cursor, &cursor) != 0 ||
           taulu_time_day_diff(cursor, r->now, IMP_TZ) != 0;
    taulu_buf_init(&u, 4096);
    taulu_buf_puts(&u, r->src->url);
    add_param(&u, "event_type", "General,Course,Volunteering");
    add_param(&u, "include", "location");
    add_param(&u, "page_size", "100");
    if (!full) {
        taulu_time_format_iso(cursor, since);
        add_param(&u, "last_modified_since", since);
        add_param(&u, "show_deleted", "true");
    }
    rc = le_pages(r, u.data, &raw);
    taulu_buf_release(&u);
    if (rc < 0) {
        return rc;
    }
    b.complete = full && rc == 0;
    /* A changed occurrence of a series: the series is read whole. */
    event_root(r->src->url, root, sizeof root);
    if (!full && root[0]) {
        const char *ids[MAX_GROUPS];
        size_t n = imp_le_groups(&raw, ids, MAX_GROUPS), i;
        for (i = 0; i < n; i++) {
            struct imp_le_list more;
            size_t k, j;
            memset(&more, 0, sizeof more);
            taulu_buf_init(&u, 4096);
            taulu_buf_puts(&u, root);
            taulu_buf_puts(&u, ids[i]);
            taulu_buf_puts(&u, "/?include=location");
            rc = le_pages(r, u.data, &more);
            taulu_buf_reset(&u);
            taulu_buf_puts(&u, root);
            taulu_buf_puts(&u, "?include=location&page_size=100"
                               "&show_deleted=true&super_event=");
            taulu_buf_puts(&u, ids[i]);
            if (rc >= 0) {
                rc = le_pages(r, u.data, &more);
            }
            taulu_buf_release(&u);
            if (rc < 0) {
                /* Not read whole: this series is left as it is for this
                 * run (its changed occurrences with it), not made of a
                 * part of it. */
                size_t keep = 0;
                taulu_warn(TAG, "source %lld: series %s not read: %s",
                           (long long)r->src->id, ids[i], r->err);
                r->err[0] = '\0';
                for (k = 0; k < raw.n; k++) {
                    if (strcmp(raw.v[k].id, ids[i]) != 0 &&
                        !(raw.v[k].super_id &&
                          strcmp(raw.v[k].super_id, ids[i]) == 0)) {
                        raw.v[keep++] = raw.v[k];
                    }
                }
                raw.n = keep;
                rc = 0;
                continue;
            }
            for (k = 0; k < more.n; k++) {
                bool have = false;
                for (j = 0; j < raw.n && !have; j++) {
                    have = strcmp(raw.v[j].id, more.v[k].id) == 0;
                }
                if (!have) {
                    if (raw.n == raw.cap) {
                        raw.v =
                            srv_pool_grow(r->p, raw.v, sizeof *raw.v, &raw.cap);
                    }
                    raw.v[raw.n++] = more.v[k];
                }
            }
        }
    }
    imp_le_events(r->p, &raw, r->now, &b);
    rc = reconcile(r, &b);
    return rc;
}

/* ------------------------------------------------------------------ */
/* PTV */

static int run_ptv(struct run *r)
{
    struct srv_fetch_opts f;
    struct srv_fetch_result res;
    struct srv_centre_hours h;
    struct imp_ptv ptv;
    int rc;

    if (r->src->centres.n != 1) {
        snprintf(r->err, sizeof r->err, "a PTV source has exactly one centre");
        return TAULU_EINVAL;
    }
    fetch_opts(r, r->o->max_bytes, "application/json", &f);
    f.etag = r->src->etag;
    f.last_modified = r->src->last_modified;
    rc = srv_fetch(r->src->url, &f, &res, r->err, sizeof r->err);
    if (rc == 0 && res.status == 304) {
        /* The dated exceptions still move with the days: rewrite them
         * from what is stored only when the answer changes; the week is
         * computed from them at every build (srv_hours.h). */
        r->c->not_modified = true;
    } else if (rc == 0) {
        snprintf(r->etag, sizeof r->etag, "%s", res.etag);
        snprintf(r->last_modified, sizeof r->last_modified, "%s",
                 res.last_modified);
        rc = imp_ptv_parse(res.body.data, res.body.len, r->now, r->p, &ptv,
                           r->err, sizeof r->err);
        if (rc == 0) {
            memset(&h, 0, sizeof h);
            h.centre_id = r->src->centres.v[0];
            h.source_id = r->src->id;
            h.weekly = ptv.weekly;
            h.exceptions = ptv.exceptions;
            h.names = ptv.names;
            h.addresses = ptv.addresses;
            rc = srv_store_centre_hours_put(r->st, 0, &h, ptv.address_fi);
            if (rc == TAULU_EREFERENCED) {
                snprintf(r->err, sizeof r->err, "centre %lld does not exist",
                         (long long)h.centre_id);
                rc = TAULU_EINVAL;
            } else if (rc == 0) {
                r->c->events = ptv.n_weekly;
                r->c->updated = ptv.n_exceptions;
                r->sink->centre_changed(r->sink->ctx, h.centre_id);
            }
        }
    }
    taulu_buf_release(&res.body);
    return rc;
}

/* ------------------------------------------------------------------ */

static char *counts_json(const struct srv_import_counts *c)
{
    cJSON *o = cJSON_CreateObject();
    char *s;

    cJSON_AddNumberToObject(o, "events", (double)c->events);
    cJSON_AddNumberToObject(o, "created", (double)c->created);
    cJSON_AddNumberToObject(o, "updated", (double)c->updated);
    cJSON_AddNumberToObject(o, "unchanged", (double)c->unchanged);
    cJSON_AddNumberToObject(o, "withdrawn", (double)c->withdrawn);
    cJSON_AddNumberToObject(o, "refused", (double)c->refused);
    cJSON_AddNumberToObject(o, "skipped", (double)c->skipped);
    cJSON_AddNumberToObject(o, "dropped", (double)c->dropped);
    cJSON_AddBoolToObject(o, "not_modified", c->not_modified);
    s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

int srv_import_run(struct srv_store *st, const struct srv_import_sink *sink,
                   const struct srv_import_options *o,
                   const struct srv_import_source *src, int64_t now,
                   struct srv_import_counts *counts)
{
    struct srv_import_counts local;
    struct srv_import_status s;
    struct srv_pool pool;
    struct run r;
    char cursor[TAULU_ISO_LEN];
    char *cj;
    int64_t wait;
    int rc, src_rc;

    if (!counts) {
        counts = &local;
    }
    memset(counts, 0, sizeof *counts);
    memset(&r, 0, sizeof r);
    srv_pool_init(&pool);
    r.st = st;
    r.sink = sink;
    r.o = o;
    r.src = src;
    r.now = now;
    r.p = &pool;
    r.c = counts;
    r.deadline_ms = taulu_monotonic_ms() + o->run_deadline_s * 1000;
    if (strcmp(src->kind, "ical") == 0) {
        src_rc = run_ical(&r);
    } else if (strcmp(src->kind, "linkedevents") == 0) {
        src_rc = run_le(&r);
    } else if (strcmp(src->kind, "ptv") == 0) {
        src_rc = run_ptv(&r);
    } else {
        snprintf(r.err, sizeof r.err, "unknown kind %s", src->kind);
        src_rc = TAULU_EINVAL;
    }
    memset(&s, 0, sizeof s);
    s.last_run_at = now;
    s.ok = src_rc == 0;
    if (!s.ok && !r.err[0]) {
        snprintf(r.err, sizeof r.err, "%s", taulu_strerror(src_rc));
    }
    s.error = r.err;
    /* The next run: the interval; after failures, twice as long for each
     * (at most a day), so a broken feed is not hammered. */
    wait = src->interval_min * 60;
    if (!s.ok) {
        int64_t f = src->failures + 1 < 16 ? src->failures + 1 : 16;
        while (f-- > 0 && wait < MAX_BACKOFF) {
            wait *= 2;
        }
        if (wait > MAX_BACKOFF) {
            wait = MAX_BACKOFF;
        }
    }
    s.next_run_at = now + wait;
    cj = counts_json(counts);
    s.counts = cj;
    if (s.ok) {
        taulu_time_format_iso(now, cursor);
        s.cursor = strcmp(src->kind, "linkedevents") == 0 ? cursor : NULL;
        s.etag = r.etag[0] ? r.etag : NULL;
        s.last_modified = r.last_modified[0] ? r.last_modified : NULL;
    }
    rc = srv_store_import_status(st, src->id, &s);
    if (s.ok) {
        taulu_info(TAG,
                   "source %lld (%s): %s%zu events, %zu new, %zu changed, "
                   "%zu withdrawn, %zu refused, %zu skipped",
                   (long long)src->id, src->kind,
                   counts->not_modified ? "not modified; " : "", counts->events,
                   counts->created, counts->updated, counts->withdrawn,
                   counts->refused, counts->skipped);
    } else {
        taulu_warn(TAG, "source %lld (%s) failed: %s; next try in %lld s",
                   (long long)src->id, src->kind, r.err, (long long)wait);
    }
    cJSON_free(cj);
    srv_pool_release(&pool);
    return rc == TAULU_ENOTFOUND ? 0 : rc; /* deleted meanwhile */
}

/* ------------------------------------------------------------------ */
/* The thread */

struct srv_importer {
    struct srv_store *st;
    struct srv_import_sink sink;
    struct srv_import_options o;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop, woken, started;
};

static void *loop(void *arg)
{
    struct srv_importer *im = arg;

    for (;;) {
        struct srv_pool pool;
        struct srv_import_source *due = NULL;
        size_t n = 0, i;
        int64_t next = 0, now = taulu_now(), wait_s;
        struct timespec ts;

        pthread_mutex_lock(&im->mu);
        im->woken = false;
        if (im->stop) {
            pthread_mutex_unlock(&im->mu);
            break;
        }
        pthread_mutex_unlock(&im->mu);
        srv_pool_init(&pool);
        if (srv_store_import_source_due(im->st, &pool, now, 8, &due, &n) != 0) {
            n = 0;
        }
        for (i = 0; i < n; i++) {
            bool stop;
            pthread_mutex_lock(&im->mu);
            stop = im->stop;
            pthread_mutex_unlock(&im->mu);
            if (stop) {
                break;
            }
            srv_import_run(im->st, &im->sink, &im->o, &due[i], taulu_now(),
                           NULL);
        }
        srv_pool_release(&pool);
        if (n == 8) {
            continue; /* more may be due */
        }
        srv_store_import_next_due(im->st, &next);
        now = taulu_now();
        wait_s = next == 0 ? 60 : next - now;
        if (wait_s > 60) {
            wait_s = 60; /* a source added by another process, a clock step */
        }
        if (wait_s < 1) {
            wait_s = 1;
        }
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += (time_t)wait_s;
        pthread_mutex_lock(&im->mu);
        while (!im->stop && !im->woken) {
            if (pthread_cond_timedwait(&im->cv, &im->mu, &ts) != 0) {
                break;
            }
        }
        pthread_mutex_unlock(&im->mu);
    }
    return NULL;
}

int srv_importer_start(struct srv_store *st, const struct srv_import_sink *sink,
                       const struct srv_import_options *o,
                       struct srv_importer **out)
{
    struct srv_importer *im = calloc(1, sizeof *im);

    *out = NULL;
    if (!im) {
        return TAULU_ENOMEM;
    }
    im->st = st;
    im->sink = *sink;
    im->o = *o;
    pthread_mutex_init(&im->mu, NULL);
    pthread_cond_init(&im->cv, NULL);
    if (srv_fetch_global_init() != 0 ||
        pthread_create(&im->thread, NULL, loop, im) != 0) {
        pthread_mutex_destroy(&im->mu);
        pthread_cond_destroy(&im->cv);
        free(im);
        return TAULU_EUNAVAIL;
    }
    im->started = true;
    if (o->allow_loopback) {
        taulu_warn(TAG, "INFOTAULU_TEST_IMPORT_LOOPBACK: sources may fetch "
                        "http:// and loopback addresses (tests only)");
    }
    *out = im;
    return 0;
}

void srv_importer_wake(struct srv_importer *im)
{
    if (!im) {
        return;
    }
    pthread_mutex_lock(&im->mu);
    im->woken = true;
    pthread_cond_signal(&im->cv);
    pthread_mutex_unlock(&im->mu);
}

void srv_importer_stop(struct srv_importer *im)
{
    if (!im) {
        return;
    }
    pthread_mutex_lock(&im->mu);
    im->stop = true;
    pthread_cond_signal(&im->cv);
    pthread_mutex_unlock(&im->mu);
    if (im->started) {
        pthread_join(im->thread, NULL);
    }
    pthread_mutex_destroy(&im->mu);
    pthread_cond_destroy(&im->cv);
    free(im);
}
