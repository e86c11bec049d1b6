/*
 * srv_api_import.c: import sources in the API (docs/api.md, "Import
 * sources") and the importers' sink (import/srv_import.h): how an
 * imported event becomes an item through exactly the code of POST and
 * PUT /api/v1/items.
 *
 * The sink runs on the importer's thread, outside any HTTP request. It
 * makes a request of its own (struct srv_req with the app, a pool and
 * the source's owner as the caller, no connection) so that the item
 * passes srv_item_read(), the policy, srv_check_item() (the checker and
 * the fit on the centres' screens) and the store as a submission by that
 * person would; an answer the API would give (400, 422) becomes the
 * refusal the source's owner sees.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_api.h"
#include "srv_check.h"
#include "srv_domain.h"
#include "srv_fetch.h"
#include "srv_image.h"
#include "imp_text.h"
#include "srv_import.h"
#include "srv_pubapp.h"
#include "srv_recur.h"
#include "taulu_err.h"
#include "taulu_fields.h"
#include "taulu_log.h"
#include "taulu_time.h"
#include "taulu_utf8.h"

#define TAG "import"

static const char *const source_kinds[] = {"ical", "linkedevents", "ptv", NULL};

/* ------------------------------------------------------------------ */
/* The sink */

/* A request of the importer's own, as the source's owner. 0, or
 * TAULU_EVALUE when the owner may no longer act (why set). */
static int inner_req(struct srv_app *app, const struct srv_import_source *src,
                     struct srv_req *r, char **why)
{
    int rc;

    memset(r, 0, sizeof *r);
    r->app = app;
    r->resp_fd = -1;
    r->method = "POST";
    r->path = "(import)";
    srv_pool_init(&r->pool);
    snprintf(r->client_ip, sizeof r->client_ip, "import");
    rc = srv_store_user_get(app->store, &r->pool, src->created_by, &r->user);
    if (rc == TAULU_ENOTFOUND || (rc == 0 && r->user.disabled)) {
        srv_reply_error(r, 403, "forbidden", "created_by");
        *why = r->resp ? strdup(r->resp) : NULL;
        return TAULU_EVALUE;
    }
    if (rc) {
        return rc;
    }
    srv_api_actor_from_user(&r->actor, &r->user);
    return 0;
}

static void inner_release(struct srv_req *r)
{
    free(r->resp);
    r->resp = NULL;
    srv_pool_release(&r->pool);
}

/* The answer the request would have had, as the refusal's text. */
static int refused(struct srv_req *r, char **why)
{
    *why = r->resp ? strdup(r->resp) : NULL;
    return r->status >= 500 ? TAULU_EDB : TAULU_EVALUE;
}

/* What a card with a QR code says where the description is, when not
 * even its first sentence fits the screens (NULL: a language without). */
static const char *qr_pointer(const char *lang)
{
    if (strcmp(lang, "fi") == 0) {
        return "Lisätietoja QR-koodista.";
    }
    if (strcmp(lang, "sv") == 0) {
        return "Mer information via QR-koden.";
    }
    if (strcmp(lang, "en") == 0) {
        return "More information via the QR code.";
    }
    return NULL;
}

/* Tries `summary` as text i's screen text: kept (true) when the card
 * then fits every screen. */
static int try_summary(struct srv_req *r, struct srv_item *it, size_t i,
                       const struct srv_ids *centres, const char *summary,
                       bool *fits)
{
    int rc;

    it->texts[i].summary = summary;
    rc = srv_check_fits(r, it, i, centres->v, centres->n, fits);
    if (rc || !*fits) {
        it->texts[i].summary = NULL;
    }
    return rc;
}

/* A source's description is written for a web page, not for a screen
 * read from across a lobby: where a text version's card does not fit one
 * page on the centres' screens, its screen text (summary) becomes the
 * description's leading whole sentences that fit, the most first, and the
 * body stays the full text (the public page that the QR code opens shows
 * it). Where not even the first sentence fits but the card has a QR code,
 * the screen text says the description is behind it. Where nothing fits
 * (the title and the event's facts alone are too much) the version is
 * left as it was: the checker's fit gate refuses it with the screen named,
 * and the source's entry shows that. 0, TAULU_EANSWERED (the request was
 * answered: an unknown centre), or a code of the renderer. */
static int fit_summaries(struct srv_req *r, struct srv_item *it,
                         const struct srv_ids *centres)
{
    size_t max = taulu_field_get(TAULU_F_SUMMARY)->max_chars;
    bool has_qr =
        (it->link && *it->link) || (r->app->public_url && *r->app->public_url);
    size_t i;
    int rc;

    for (i = 0; i < it->n_texts; i++) {
        struct srv_item_text *t = &it->texts[i];
        const char *ptr;
        bool fits = true;
        size_t e;

        if (t->summary || !t->body) {
            continue; /* the source's own screen text, if any, stands */
        }
        rc = srv_check_fits(r, it, i, centres->v, centres->n, &fits);
        if (rc || fits) {
            if (rc) {
                return rc;
            }
            continue;
        }
        for (e = imp_text_sentences_before(t->body, strlen(t->body)); e > 0;
             e = imp_text_sentences_before(t->body, e)) {
            char *cand;
            if (taulu_utf8_count(t->body, e) > max) {
                continue;
            }
            cand = srv_pool_alloc(&r->pool, e + 1);
            memcpy(cand, t->body, e);
            cand[e] = '\0';
            rc = try_summary(r, it, i, centres, cand, &fits);
            if (rc) {
                return rc;
            }
            if (fits) {
                break;
            }
        }
        ptr = qr_pointer(t->lang);
        if (!t->summary && has_qr && ptr) {
            rc = try_summary(r, it, i, centres, ptr, &fits);
            if (rc) {
                return rc;
            }
        }
    }
    return 0;
}

static int sink_submit(void *ctx, const struct srv_import_source *src,
                       const cJSON *body, int64_t item_id, int64_t *id,
                       char **why)
{
    struct srv_app *app = ctx;
    struct srv_req r;
    struct srv_item it, old;
    struct srv_ids centres;
    struct srv_object o = {0, 0, 0, NULL, 0};
    struct srv_verr e;
    cJSON *in = cJSON_Duplicate(body, 1);
    bool given = false;
    char *snap = NULL;
    int rc;

    *why = NULL;
    if (!in) {
        return TAULU_ENOMEM;
    }
    rc = inner_req(app, src, &r, why);
    if (rc) {
        cJSON_Delete(in);
        return rc;
    }
    if (item_id) {
        rc = srv_store_item_get(app->store, &r.pool, item_id, &old);
        if (rc) {
            goto out;
        }
        cJSON_AddNumberToObject(in, "version", (double)old.version);
    } else {
        cJSON_AddNumberToObject(in, "organisation_id", (double)src->org_id);
    }
    if (srv_item_read(in, item_id == 0, taulu_now(), &r.pool, &it, &centres,
                      &given, &e) < 0) {
        srv_reply_verr(&r, &e);
        rc = refused(&r, why);
        goto out;
    }
    /* The owner must still be allowed to submit for the organisation at
     * these centres (a member who left, a coordinator no more). */
    o.org_id = src->org_id;
    o.centres = centres.v;
    o.n_centres = centres.n;
    if (!srv_can(&r.actor, item_id ? SRV_A_ITEM_EDIT : SRV_A_ITEM_CREATE, &o)) {
        srv_reply_error(&r, 403, "forbidden", "created_by");
        rc = refused(&r, why);
        goto out;
    }
    if (item_id) {
        it.id = item_id;
        it.org_id = old.org_id;
    }
    rc = fit_summaries(&r, &it, &centres);
    if (rc == TAULU_EANSWERED) {
        rc = refused(&r, why);
        goto out;
    }
    if (rc) {
        goto out;
    }
    if (srv_check_item(&r, &it, centres.v, centres.n, &it.findings) ==
        TAULU_EANSWERED) {
        rc = refused(&r, why);
        goto out;
    }
    snap = srv_item_snapshot(&it);
    if (!snap) {
        rc = TAULU_ENOMEM;
        goto out;
    }
    if (item_id) {
        rc = srv_store_item_update(app->store, r.user.id, &it, old.version,
                                   centres.v, centres.n, snap);
        *id = item_id;
        if (rc == 0) {
            srv_pub_item_changed(app->pub, item_id);
        }
    } else {
        rc = srv_store_item_create(app->store, r.user.id, &it, centres.v,
                                   centres.n, snap, id);
    }
    if (rc == TAULU_EREFERENCED) {
        srv_reply_error(&r, 400, "invalid_reference", "centres");
        rc = refused(&r, why);
    }
out:
    cJSON_free(snap);
    cJSON_Delete(in);
    inner_release(&r);
    return rc;
}

static int sink_withdraw(void *ctx, const struct srv_import_source *src,
                         int64_t item_id)
{
    struct srv_app *app = ctx;
    int rc = srv_store_item_withdraw(app->store, src->created_by, item_id, 0);

    if (rc == 0) {
        srv_pub_item_changed(app->pub, item_id);
    }
    return rc;
}

static int sink_cancel(void *ctx, const struct srv_import_source *src,
                       int64_t item_id, const char *day, bool cancel)
{
    struct srv_app *app = ctx;
    struct srv_pool pool;
    struct srv_item it;
    struct taulu_series s;
    int64_t d;
    size_t k;
    int rc;

    srv_pool_init(&pool);
    rc = srv_store_item_get(app->store, &pool, item_id, &it);
    if (rc == 0 &&
        (srv_item_series(&it, &s) != 0 ||
         taulu_recur_date_parse(day, &d) != 0 ||
         !taulu_recur_matches(
             &s.rule, taulu_recur_local_day(s.start, SRV_RECUR_TZ), d))) {
        rc = TAULU_EVALUE; /* not a date of the series (any more) */
    }
    for (k = 0; rc == 0 && k < s.rule.n_exdates; k++) {
        if (s.rule.exdates[k] == d) {
            rc = TAULU_EVALUE;
        }
    }
    if (rc == 0) {
        rc = srv_store_item_cancel(app->store, src->created_by, item_id, day,
                                   cancel);
    }
    if (rc == 0) {
        srv_pub_item_changed(app->pub, item_id);
    }
    srv_pool_release(&pool);
    return rc;
}

static int sink_image(void *ctx, const void *data, size_t len, char sha[65])
{
    struct srv_app *app = ctx;
    struct srv_image_result res;
    struct taulu_buf why;
    const unsigned char *b = data;
    const char *type;
    bool existed;
    int rc;

    if (!app->pub) {
        return TAULU_EUNAVAIL;
    }
    /* The bytes say what they are; the image code checks it again. */
    if (len >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) {
        type = "image/png";
    } else if (len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
        type = "image/jpeg";
    } else {
        return TAULU_EVALUE;
    }
    taulu_buf_init(&why, 512);
    if (srv_image_ingest(data, len, type, &res, &why) != SRV_IMG_OK) {
        taulu_info(TAG, "an imported image was refused: %s", why.data);
        taulu_buf_release(&why);
        return TAULU_EVALUE;
    }
    taulu_buf_release(&why);
    rc = srv_pub_asset_put(app->pub, res.sha256, res.png.data, res.png.len,
                           &existed);
    if (rc == 0) {
        memcpy(sha, res.sha256, TAULU_SHA256_HEX_LEN + 1);
    }
    taulu_buf_release(&res.png);
    return rc;
}

static void sink_centre_changed(void *ctx, int64_t centre_id)
{
    struct srv_app *app = ctx;

    srv_pub_centre_changed(app->pub, centre_id);
}

void srv_api_import_sink(struct srv_app *app, struct srv_import_sink *out)
{
    memset(out, 0, sizeof *out);
    out->ctx = app;
    out->submit = sink_submit;
    out->withdraw = sink_withdraw;
    out->cancel = sink_cancel;
    out->image = sink_image;
    out->centre_changed = sink_centre_changed;
}

/* ------------------------------------------------------------------ */
/* JSON */

static cJSON *parsed_or_null(const char *json)
{
    cJSON *v = json ? cJSON_Parse(json) : NULL;

    return v ? v : cJSON_CreateNull();
}

static cJSON *source_json(const struct srv_import_source *s)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "id", (double)s->id);
    cJSON_AddStringToObject(o, "kind", s->kind);
    cJSON_AddStringToObject(o, "name", s->name);
    cJSON_AddStringToObject(o, "url", s->url);
    if (s->org_id) {
        cJSON_AddNumberToObject(o, "organisation_id", (double)s->org_id);
    } else {
        cJSON_AddNullToObject(o, "organisation_id");
    }
    srv_json_add_ids(o, "centres", &s->centres);
    srv_json_add_str(o, "category",
                     s->category && *s->category ? s->category : NULL);
    cJSON_AddStringToObject(o, "lang", s->lang);
    cJSON_AddNumberToObject(o, "interval_minutes", (double)s->interval_min);
    cJSON_AddBoolToObject(o, "enabled", s->enabled);
    cJSON_AddNumberToObject(o, "created_by", (double)s->created_by);
    srv_json_add_time(o, "created_at", s->created_at);
    srv_json_add_time(o, "last_run_at", s->last_run_at);
    srv_json_add_time(o, "last_ok_at", s->last_ok_at);
    srv_json_add_time(o, "next_run_at", s->next_run_at);
    srv_json_add_str(o, "last_error", s->last_error);
    cJSON_AddNumberToObject(o, "failures", (double)s->failures);
    cJSON_AddItemToObject(o, "counts", parsed_or_null(s->counts));
    return o;
}

static cJSON *entry_json(const struct srv_import_entry *e)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "ext_id", e->ext_id);
    if (e->item_id) {
        cJSON_AddNumberToObject(o, "item_id", (double)e->item_id);
    } else {
        cJSON_AddNullToObject(o, "item_id");
    }
    cJSON_AddStringToObject(o, "state", e->state);
    srv_json_add_str(o, "title", e->title);
    cJSON_AddItemToObject(o, "reason", parsed_or_null(e->reason));
    srv_json_add_time(o, "seen_at", e->seen_at);
    return o;
}

/* ------------------------------------------------------------------ */
/* Handlers */

/* The policy question about a source: a PTV source writes a centre's
 * facts (coordinator); an event source submits for its organisation
 * (its members, coordinators). */
static int authorize_source(struct srv_req *r, const char *kind, int64_t org_id,
                            const struct srv_ids *centres, bool write,
                            int64_t id)
{
    struct srv_object o = {id, org_id, 0, centres ? centres->v : NULL,
                           centres ? centres->n : 0};

    if (strcmp(kind, "ptv") == 0) {
        o.centre_id = centres && centres->n ? centres->v[0] : 0;
        return srv_authorize(r, write ? SRV_A_CENTRE_WRITE : SRV_A_CENTRE_READ,
                             &o, "import_source", id);
    }
    /* Reading: also the contact persons of its centres, who approve
     * what it brings. */
    return srv_authorize(r,
                         !write    ? SRV_A_ITEM_READ
                         : id == 0 ? SRV_A_ITEM_CREATE
                                   : SRV_A_ITEM_EDIT,
                         &o, "import_source", id);
}

/* Reads a source's settings from the body (create: kind and
 * organisation_id too). 0, or -1 with e. */
static int read_source(struct srv_req *r, const cJSON *in, bool create,
                       struct srv_import_source *s, struct srv_verr *e)
{
    static const char *const keys_create[] = {
        "kind",    "name",     "url",  "organisation_id",
        "centres", "category", "lang", "interval_minutes",
        "enabled", NULL};
    static const char *const keys_update[] = {
        "name",    "url", "centres", "category", "lang", "interval_minutes",
        "enabled", NULL};
    char why[200];
    size_t i;

    if (srv_json_keys(in, create ? keys_create : keys_update, "", e) < 0 ||
        (create &&
         srv_json_enum(in, "kind", true, source_kinds, "", &s->kind, e) < 0) ||
        srv_json_str(in, "name", true, 1, 120, "", "", &s->name, e) < 0 ||
        srv_json_str(in, "url", true, 1, 2000, "", "", &s->url, e) < 0 ||
        srv_json_ids(in, "centres", true, 1, SRV_ITEM_MAX_CENTRES, &r->pool, "",
                     &s->centres, e) < 0 ||
        srv_json_str(in, "lang", false, 2, 3, "", "", &s->lang, e) < 0 ||
        srv_json_bool(in, "enabled", false, "", &s->enabled, e) < 0) {
        return -1;
    }
    if (strcmp(s->kind, "ptv") == 0) {
        if (cJSON_GetObjectItemCaseSensitive(in, "organisation_id") &&
            !cJSON_IsNull(
                cJSON_GetObjectItemCaseSensitive(in, "organisation_id"))) {
            return srv_verr_set(e, 400, "invalid_value", NULL,
                                "organisation_id");
        }
        if (s->centres.n != 1) {
            return srv_verr_set(e, 400, "out_of_range", NULL, "centres");
        }
        if (cJSON_GetObjectItemCaseSensitive(in, "category")) {
            return srv_verr_set(e, 400, "invalid_value", NULL, "category");
        }
        s->category = "";
    } else {
        if ((create && srv_json_int(in, "organisation_id", true, 1,
                                    INT64_MAX / 2, "", &s->org_id, e) < 0) ||
            srv_json_enum(in, "category", true, srv_categories, "",
                          &s->category, e) < 0) {
            return -1;
        }
    }
    if (!s->lang) {
        s->lang = "fi";
    }
    if (!srv_lang_valid(s->lang)) {
        return srv_verr_set(e, 400, "invalid_value", NULL, "lang");
    }
    s->interval_min = strcmp(s->kind, "ptv") == 0 ? SRV_IMPORT_INTERVAL_PTV
                                                  : SRV_IMPORT_INTERVAL_EVENTS;
    if (srv_json_int(in, "interval_minutes", false, SRV_IMPORT_INTERVAL_MIN,
                     SRV_IMPORT_INTERVAL_MAX, "", &s->interval_min, e) < 0) {
        return -1;
    }
    if (srv_fetch_url_ok(s->url, r->app->import_loopback, why, sizeof why) !=
        0) {
        taulu_info(TAG, "source address refused: %s", why);
        return srv_verr_set(e, 400, "invalid_value", NULL, "url");
    }
    for (i = 0; i < s->centres.n; i++) {
        struct srv_centre c;
        if (srv_store_centre_get(r->app->store, &r->pool, s->centres.v[i],
                                 &c) != 0) {
            char f[32];
            snprintf(f, sizeof f, "centres[%zu]", i);
            return srv_verr_set(e, 400, "invalid_reference", NULL, f);
        }
    }
    return 0;
}

void srv_h_import_list(struct srv_req *r)
{
    struct srv_scope orgs = {r->actor.coordinator, r->actor.orgs,
                             r->actor.n_orgs};
    struct srv_scope centres = {false, r->actor.centres, r->actor.n_centres};
    struct srv_import_source *v;
    size_t n, i;
    cJSON *out, *arr;
    int rc;

    /* Every signed-in user may ask: the answer is what they may see. */
    r->authorized = true;
    rc = srv_store_import_source_list(r->app->store, &r->pool, &orgs, &centres,
                                      &v, &n);
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    out = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(out, "sources");
    for (i = 0; i < n; i++) {
        cJSON_AddItemToArray(arr, source_json(&v[i]));
    }
    srv_reply_json(r, 200, out);
}

void srv_h_import_create(struct srv_req *r)
{
    struct srv_import_source s;
    struct srv_verr e;
    cJSON *in = NULL;
    int64_t id;
    int rc;

    memset(&s, 0, sizeof s);
    s.enabled = true;
    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    s.kind = "ical";
    if (read_source(r, in, true, &s, &e) < 0) {
        /* Who may not create here learns nothing more from the body's
         * faults: authorise on what could be read first. */
        if (s.kind && s.org_id &&
            authorize_source(r, s.kind, s.org_id, &s.centres, true, 0) ==
                TAULU_EANSWERED) {
            goto out;
        }
        r->authorized = true;
        srv_reply_verr(r, &e);
        goto out;
    }
    if (authorize_source(r, s.kind, s.org_id, &s.centres, true, 0) ==
        TAULU_EANSWERED) {
        goto out;
    }
    s.created_by = r->user.id;
    rc = srv_store_import_source_create(r->app->store, r->user.id, &s, &id);
    if (rc == TAULU_EREFERENCED) {
        srv_reply_error(r, 400, "invalid_reference", "organisation_id");
        goto out;
    }
    if (rc || srv_store_import_source_get(r->app->store, &r->pool, id, &s)) {
        srv_api_store_error(r, rc ? rc : TAULU_EDB);
        goto out;
    }
    taulu_info(TAG, "source %lld (%s) added by user %lld", (long long)id,
               s.kind, (long long)r->user.id);
    srv_importer_wake(r->app->importer);
    srv_reply_json(r, 201, source_json(&s));
out:
    cJSON_Delete(in);
}

/* Loads path source {id} and checks `write` (or read) on it. */
static int load_source(struct srv_req *r, bool write,
                       struct srv_import_source *s)
{
    int rc =
        srv_store_import_source_get(r->app->store, &r->pool, r->params[0], s);

    if (rc) {
        return srv_api_load_failed(r, rc);
    }
    return authorize_source(r, s->kind, s->org_id, &s->centres, write, s->id);
}

void srv_h_import_get(struct srv_req *r)
{
    struct srv_import_source s;
    struct srv_import_entry *v;
    size_t n, i;
    cJSON *out, *arr;
    int rc;

    if (load_source(r, false, &s) == TAULU_EANSWERED) {
        return;
    }
    rc = srv_store_import_entries(r->app->store, &r->pool, s.id, &v, &n);
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    out = source_json(&s);
    arr = cJSON_AddArrayToObject(out, "entries");
    for (i = 0; i < n; i++) {
        cJSON_AddItemToArray(arr, entry_json(&v[i]));
    }
    srv_reply_json(r, 200, out);
}

void srv_h_import_update(struct srv_req *r)
{
    struct srv_import_source old, s;
    struct srv_verr e;
    cJSON *in = NULL;
    int rc;

    if (load_source(r, true, &old) == TAULU_EANSWERED) {
        return;
    }
    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    s = old;
    s.lang = NULL;
    s.category = NULL;
    if (read_source(r, in, false, &s, &e) < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    /* The new centres must be the caller's to submit to as well. */
    if (strcmp(s.kind, "ptv") != 0 &&
        authorize_source(r, s.kind, s.org_id, &s.centres, true, 0) ==
            TAULU_EANSWERED) {
        goto out;
    }
    rc = srv_store_import_source_update(r->app->store, r->user.id, &s);
    if (rc || srv_store_import_source_get(r->app->store, &r->pool, s.id, &s)) {
        srv_api_store_error(r, rc ? rc : TAULU_EDB);
        goto out;
    }
    srv_importer_wake(r->app->importer);
    srv_reply_json(r, 200, source_json(&s));
out:
    cJSON_Delete(in);
}

void srv_h_import_delete(struct srv_req *r)
{
    struct srv_import_source s;
    struct srv_import_entry *v;
    size_t n, i;
    int rc;

    if (load_source(r, true, &s) == TAULU_EANSWERED) {
        return;
    }
    /* Nobody keeps what a deleted source brought up to date: its items
     * leave the screens (they stay on record, withdrawn). */
    rc = srv_store_import_entries(r->app->store, &r->pool, s.id, &v, &n);
    for (i = 0; rc == 0 && i < n; i++) {
        if (strcmp(v[i].state, "active") == 0 && v[i].item_id) {
            rc = srv_store_item_withdraw(r->app->store, r->user.id,
                                         v[i].item_id, 0);
            if (rc == 0) {
                srv_pub_item_changed(r->app->pub, v[i].item_id);
            }
        }
    }
    if (rc == 0) {
        rc = srv_store_import_source_delete(r->app->store, r->user.id, s.id);
    }
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    srv_reply_empty(r, 204);
}

void srv_h_import_run(struct srv_req *r)
{
    struct srv_import_source s;
    int rc;

    if (load_source(r, true, &s) == TAULU_EANSWERED) {
        return;
    }
    rc = srv_store_import_source_run_now(r->app->store, r->user.id, s.id);
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    srv_importer_wake(r->app->importer);
    srv_reply_json(r, 202, cJSON_CreateObject());
}
