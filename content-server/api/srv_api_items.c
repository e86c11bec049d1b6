/*
 * srv_api_items.c: handlers for items, placements (the moderation queue and
 * decisions) and alerts: the workflow of scenarios 1, 3, 4 and 8.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_api.h"
#include "srv_check.h"
#include "srv_domain.h"
#include "srv_fields.h"
#include "srv_pubapp.h"
#include "taulu_time.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"

#define TAG         "items"
#define MAX_TEXTS   SRV_ITEM_MAX_TEXTS
#define MAX_CENTRES SRV_ITEM_MAX_CENTRES
#define MAX_AHEAD   SRV_ITEM_MAX_AHEAD
#define ALERT_MAX   SRV_ALERT_MAX_S

/* ------------------------------------------------------------------ */
/* JSON of items */

/*
 * The content of an item (what the sender wrote), without ids and
 * moderation. The same shape is kept as each version's snapshot, with
 * texts keyed by language so that a diff reads "texts.fi.title".
 */
static cJSON *item_content_json(const struct srv_item *it)
{
    cJSON *o = cJSON_CreateObject(), *texts;
    size_t i;

    cJSON_AddStringToObject(o, "kind", it->kind);
    cJSON_AddStringToObject(o, "category", it->category);
    srv_json_add_time(o, "starts_at", it->starts_at);
    srv_json_add_time(o, "ends_at", it->ends_at);
    cJSON_AddBoolToObject(o, "free", it->free_of_charge);
    cJSON_AddBoolToObject(o, "step_free", it->step_free);
    cJSON_AddBoolToObject(o, "induction_loop", it->induction_loop);
    srv_json_add_str(o, "link", it->link);
    srv_json_add_str(o, "image_sha256", it->image_sha256);
    srv_json_add_time(o, "display_from", it->display_from);
    srv_json_add_time(o, "display_until", it->display_until);
    srv_recur_add_content(o, it);
    texts = cJSON_AddObjectToObject(o, "texts");
    for (i = 0; i < it->n_texts; i++) {
        const struct srv_item_text *t = &it->texts[i];
        cJSON *x = cJSON_AddObjectToObject(texts, t->lang);
        if (!x) {
            continue;
        }
        cJSON_AddBoolToObject(x, "plain", t->plain);
        cJSON_AddStringToObject(x, "title", t->title);
        cJSON_AddStringToObject(x, "body", t->body);
        /* only when there is one: a snapshot of an earlier version has no
         * such member, and a diff must not see a change in "null" */
        if (t->summary) {
            cJSON_AddStringToObject(x, "summary", t->summary);
        }
        srv_json_add_str(x, "place", t->place);
        srv_json_add_str(x, "price", t->price);
        srv_json_add_str(x, "registration", t->registration);
        srv_json_add_str(x, "contact", t->contact);
        srv_json_add_str(x, "image_alt", t->image_alt);
    }
    return o;
}

/* The checker's findings stored with a version (srv_check.h), as JSON;
 * null for versions stored unchecked. */
static void add_findings(cJSON *o, const char *json)
{
    cJSON *f = json ? cJSON_Parse(json) : NULL;

    if (f) {
        cJSON_AddItemToObject(o, "findings", f);
    } else {
        cJSON_AddNullToObject(o, "findings");
    }
}

/* Why an approved placement's card is not on the centre's screens, when
 * the publisher had to leave it out (srv_manifest.h): the reason, or null.
 * Nothing approved goes missing without the contact person seeing why. */
static void add_publish_error(cJSON *o, struct srv_pubapp *pa,
                              const struct srv_placement *p)
{
    struct srv_manifest_refusal x;

    if (pa && p->state == SRV_PL_APPROVED &&
        srv_publisher_refusals(srv_pubapp_publisher(pa), p->centre_id,
                               p->item_id, &x, 1) > 0) {
        cJSON_AddStringToObject(o, "publish_error", x.reason);
    } else {
        cJSON_AddNullToObject(o, "publish_error");
    }
}

static cJSON *placement_json(struct srv_pubapp *pa,
                             const struct srv_placement *p)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "id", (double)p->id);
    cJSON_AddNumberToObject(o, "item_id", (double)p->item_id);
    cJSON_AddNumberToObject(o, "centre_id", (double)p->centre_id);
    cJSON_AddNumberToObject(o, "organisation_id", (double)p->org_id);
    cJSON_AddStringToObject(o, "state", srv_placement_state_name(p->state));
    srv_json_add_time(o, "submitted_at", p->submitted_at);
    if (p->decided_by) {
        cJSON_AddNumberToObject(o, "decided_by", (double)p->decided_by);
    } else {
        cJSON_AddNullToObject(o, "decided_by");
    }
    srv_json_add_time(o, "decided_at", p->decided_at);
    srv_json_add_str(o, "reason", p->reason);
    srv_json_add_time(o, "display_from", p->display_from);
    srv_json_add_time(o, "display_until", p->display_until);
    cJSON_AddNumberToObject(o, "approved_version", (double)p->approved_version);
    cJSON_AddNumberToObject(o, "item_version", (double)p->item_version);
    cJSON_AddBoolToObject(o, "changed_since_approval",
                          p->approved_version > 0 &&
                              p->approved_version != p->item_version);
    srv_json_add_str(o, "item_title", p->item_title);
    /* The approver sees what the checker warned about (queue, placement). */
    add_findings(o, p->item_findings);
    add_publish_error(o, pa, p);
    return o;
}

/* Whether the actor sees every placement of the item (its organisation,
 * a coordinator) or only those at their own centres (a contact person). */
static bool sees_all_placements(const struct srv_actor *a,
                                const struct srv_item *it)
{
    struct srv_object o = {it->id, it->org_id, 0, NULL, 0};

    return srv_can(a, SRV_A_ITEM_EDIT, &o);
}

static cJSON *item_json(struct srv_pubapp *pa, const struct srv_actor *a,
                        const struct srv_item *it)
{
    cJSON *o = item_content_json(it), *pl;
    size_t i;
    bool all = sees_all_placements(a, it);

    cJSON_AddNumberToObject(o, "id", (double)it->id);
    cJSON_AddNumberToObject(o, "organisation_id", (double)it->org_id);
    cJSON_AddNumberToObject(o, "version", (double)it->version);
    cJSON_AddNumberToObject(o, "created_by", (double)it->created_by);
    srv_json_add_time(o, "created_at", it->created_at);
    srv_json_add_time(o, "updated_at", it->updated_at);
    add_findings(o, it->findings);
    srv_recur_add_json(o, it, taulu_now());
    pl = cJSON_AddArrayToObject(o, "placements");
    for (i = 0; i < it->n_placements; i++) {
        const struct srv_placement *p = &it->placements[i];
        struct srv_object po = {p->id, p->org_id, p->centre_id, NULL, 0};
        if (all || srv_can(a, SRV_A_PLACEMENT_READ, &po)) {
            cJSON_AddItemToArray(pl, placement_json(pa, p));
        }
    }
    return o;
}

/* The policy object of an item: its organisation and centres. */
static void item_object(struct srv_req *r, const struct srv_item *it,
                        struct srv_object *o)
{
    size_t i;
    int64_t *c =
        srv_pool_alloc(&r->pool, (it->n_placements + 1) * sizeof(int64_t));

    for (i = 0; i < it->n_placements; i++) {
        c[i] = it->placements[i].centre_id;
    }
    o->id = it->id;
    o->org_id = it->org_id;
    o->centre_id = 0;
    o->centres = c;
    o->n_centres = it->n_placements;
}

/* Field-by-field differences between two snapshots: [{"field": "texts.fi
 * .title", "old": ..., "new": ...}]. */
static void diff(cJSON *out, const cJSON *a, const cJSON *b, const char *path)
{
    const cJSON *x, *y;
    char sub[160];

    if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
        cJSON_ArrayForEach(x, a)
        {
            snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "",
                     x->string);
            y = cJSON_GetObjectItemCaseSensitive(b, x->string);
            diff(out, x, y, sub);
        }
        cJSON_ArrayForEach(y, b)
        {
            if (!cJSON_GetObjectItemCaseSensitive(a, y->string)) {
                snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "",
                         y->string);
                diff(out, NULL, y, sub);
            }
        }
        return;
    }
    if (a && b && cJSON_Compare(a, b, 1)) {
        return;
    }
    {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "field", path);
        cJSON_AddItemToObject(c, "old",
                              a ? cJSON_Duplicate(a, 1) : cJSON_CreateNull());
        cJSON_AddItemToObject(c, "new",
                              b ? cJSON_Duplicate(b, 1) : cJSON_CreateNull());
        cJSON_AddItemToArray(out, c);
    }
}

/* ------------------------------------------------------------------ */
/* Reading an item from a request */

static int read_texts(struct srv_pool *pool, const cJSON *in,
                      struct srv_item *it, struct srv_verr *e)
{
    static const char *const keys[] = {
        "lang",         "plain",   "title",     "body",    "place", "price",
        "registration", "contact", "image_alt", "summary", NULL};
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(in, "texts"), *x;
    char path[24];
    size_t i = 0, k;

    if (!arr || cJSON_IsNull(arr)) {
        return srv_verr_set(e, 400, "missing_field", NULL, "texts");
    }
    if (!cJSON_IsArray(arr)) {
        return srv_verr_set(e, 400, "wrong_type", NULL, "texts");
    }
    it->n_texts = (size_t)cJSON_GetArraySize(arr);
    if (it->n_texts < 1) {
        return srv_verr_set(e, 400, "missing_field", NULL, "texts");
    }
    if (it->n_texts > MAX_TEXTS) {
        return srv_verr_set(e, 400, "out_of_range", NULL, "texts");
    }
    it->texts = srv_pool_alloc(pool, it->n_texts * sizeof(*it->texts));
    cJSON_ArrayForEach(x, arr)
    {
        struct srv_item_text *t = &it->texts[i];
        snprintf(path, sizeof(path), "texts[%zu]", i);
        if (!cJSON_IsObject(x)) {
            return srv_verr_set(e, 400, "wrong_type", NULL, path);
        }
        /* Every text with its own limits from the one table
         * (common/taulu_fields.h): what is accepted here, the manifest
         * carries. */
        if (srv_json_keys(x, keys, path, e) < 0 ||
            srv_json_str(x, "lang", true, 2, 3, "", path, &t->lang, e) < 0 ||
            srv_json_bool(x, "plain", true, path, &t->plain, e) < 0 ||
            srv_field_str(x, "title", true, TAULU_F_TITLE, true, path,
                          &t->title, e) < 0 ||
            srv_field_str(x, "body", true, TAULU_F_BODY, true, path, &t->body,
                          e) < 0 ||
            srv_field_str(x, "place", false, TAULU_F_PLACE, false, path,
                          &t->place, e) < 0 ||
            srv_field_str(x, "price", false, TAULU_F_PRICE, false, path,
                          &t->price, e) < 0 ||
            srv_field_str(x, "registration", false, TAULU_F_REGISTRATION, false,
                          path, &t->registration, e) < 0 ||
            srv_field_str(x, "contact", false, TAULU_F_CONTACT, false, path,
                          &t->contact, e) < 0 ||
            srv_field_str(x, "image_alt", false, TAULU_F_IMAGE_ALT, false, path,
                          &t->image_alt, e) < 0 ||
            srv_field_str(x, "summary", false, TAULU_F_SUMMARY, false, path,
                          &t->summary, e) < 0) {
            return -1;
        }
        if (t->summary && !*t->summary) {
            t->summary = NULL; /* "" = none, as for the other optional texts */
        }
        if (!srv_lang_valid(t->lang)) {
            return srv_verr_set(e, 400, "invalid_value", path, "lang");
        }
        for (k = 0; k < i; k++) {
            if (strcmp(it->texts[k].lang, t->lang) == 0) {
                return srv_verr_set(e, 400, "duplicate_value", path, "lang");
            }
        }
        if (it->image_sha256 && (!t->image_alt || !*t->image_alt)) {
            return srv_verr_set(e, 400, "image_alt_required", path,
                                "image_alt");
        }
        i++;
    }
    return 0;
}

int srv_item_read(const cJSON *in, bool create, int64_t now,
                  struct srv_pool *pool, struct srv_item *it,
                  struct srv_ids *centres, bool *centres_given,
                  struct srv_verr *e)
{
    static const char *const keys[] = {"organisation_id",
                                       "version",
                                       "kind",
                                       "category",
                                       "starts_at",
                                       "ends_at",
                                       "free",
                                       "step_free",
                                       "induction_loop",
                                       "link",
                                       "image_sha256",
                                       "display_from",
                                       "display_until",
                                       "centres",
                                       "texts",
                                       "recurrence",
                                       NULL};
    const cJSON *c;

    memset(it, 0, sizeof(*it));
    *centres_given = false;
    if (srv_json_keys(in, keys, "", e) < 0 ||
        srv_json_int(in, "organisation_id", create, 1, INT64_MAX / 2, "",
                     &it->org_id, e) < 0 ||
        srv_json_int(in, "version", !create, 1, INT64_MAX / 2, "", &it->version,
                     e) < 0 ||
        srv_json_enum(in, "kind", true, srv_item_kinds, "", &it->kind, e) < 0 ||
        srv_json_enum(in, "category", true, srv_categories, "", &it->category,
                      e) < 0 ||
        srv_json_time(in, "starts_at", false, "", &it->starts_at, e) < 0 ||
        srv_json_time(in, "ends_at", false, "", &it->ends_at, e) < 0 ||
        srv_json_bool(in, "free", false, "", &it->free_of_charge, e) < 0 ||
        srv_json_bool(in, "step_free", false, "", &it->step_free, e) < 0 ||
        srv_json_bool(in, "induction_loop", false, "", &it->induction_loop, e) <
            0 ||
        srv_field_str(in, "link", false, TAULU_F_LINK, false, "", &it->link,
                      e) < 0 ||
        srv_json_str(in, "image_sha256", false, 64, 64, "", "",
                     &it->image_sha256, e) < 0 ||
        srv_json_time(in, "display_from", false, "", &it->display_from, e) <
            0 ||
        srv_json_time(in, "display_until", true, "", &it->display_until, e) <
            0 ||
        srv_json_ids(in, "centres", create, create ? 1 : 0, MAX_CENTRES, pool,
                     "", centres, e) < 0 ||
        read_texts(pool, in, it, e) < 0) {
        return -1;
    }
    c = cJSON_GetObjectItemCaseSensitive(in, "centres");
    *centres_given = c && !cJSON_IsNull(c);
    if (!create && *centres_given && centres->n == 0) {
        return srv_verr_set(e, 400, "missing_field", NULL, "centres");
    }
    if (it->link && !srv_link_valid(it->link)) {
        return srv_verr_set(e, 400, "invalid_value", NULL, "link");
    }
    if (it->image_sha256 && !taulu_is_sha256_hex(it->image_sha256)) {
        return srv_verr_set(e, 400, "invalid_value", NULL, "image_sha256");
    }
    if (strcmp(it->kind, "event") == 0) {
        if (!it->starts_at) {
            return srv_verr_set(e, 400, "missing_field", NULL, "starts_at");
        }
        if (!it->ends_at) {
            return srv_verr_set(e, 400, "missing_field", NULL, "ends_at");
        }
        if (it->ends_at <= it->starts_at) {
            return srv_verr_set(e, 400, "bad_window", NULL, "ends_at");
        }
        /* An event that has ended is never shown (the screens drop it at
         * its end): accepting it would only make work for an approver. */
        if (it->ends_at <= now) {
            return srv_verr_set(e, 400, "in_past", NULL, "ends_at");
        }
        /* Within what the screens can show (and date): no year 9999. */
        if (srv_field_time(it->starts_at, now, SRV_EVENT_MAX_PAST_S,
                           SRV_EVENT_MAX_AHEAD_S, "", "starts_at", e) < 0 ||
            srv_field_time(it->ends_at, now, SRV_EVENT_MAX_PAST_S,
                           SRV_EVENT_MAX_AHEAD_S, "", "ends_at", e) < 0) {
            return -1;
        }
    } else if (it->starts_at || it->ends_at) {
        /* A bulletin has no time of its own; its display window says how
         * long it is shown. */
        return srv_verr_set(e, 400, "invalid_value", NULL,
                            it->starts_at ? "starts_at" : "ends_at");
    }
    if (it->display_until <= now) {
        return srv_verr_set(e, 400, "in_past", NULL, "display_until");
    }
    if (it->display_until > now + MAX_AHEAD) {
        return srv_verr_set(e, 400, "out_of_range", NULL, "display_until");
    }
    if (it->display_from && it->display_from >= it->display_until) {
        return srv_verr_set(e, 400, "bad_window", NULL, "display_until");
    }
    if (srv_field_time(it->display_from, now, MAX_AHEAD, MAX_AHEAD, "",
                       "display_from", e) < 0) {
        return -1;
    }
    return srv_item_read_recurrence(in, pool, it, e);
}

/* Reads the request's item (srv_item_read). 0, or TAULU_EANSWERED when it
 * answered the failure. */
static int read_item(struct srv_req *r, cJSON **in, struct srv_item *it,
                     struct srv_ids *centres, bool *centres_given, bool create)
{
    struct srv_verr e;

    memset(it, 0, sizeof(*it));
    if (srv_req_json(r, in) == TAULU_EANSWERED) {
        return TAULU_EANSWERED;
    }
    if (srv_item_read(*in, create, taulu_now(), &r->pool, it, centres,
                      centres_given, &e) < 0) {
        srv_reply_verr(r, &e);
        return TAULU_EANSWERED;
    }
    return 0;
}

static char *snapshot_text(const struct srv_item *it)
{
    cJSON *c = item_content_json(it);
    char *s = cJSON_PrintUnformatted(c);

    cJSON_Delete(c);
    if (!s) {
        abort();
    }
    return s;
}

char *srv_item_snapshot(const struct srv_item *it)
{
    return snapshot_text(it);
}

/* ------------------------------------------------------------------ */
/* Item handlers */

void srv_h_item_create(struct srv_req *r)
{
    cJSON *in = NULL, *out;
    struct srv_item it;
    struct srv_ids centres;
    struct srv_object o = {0, 0, 0, NULL, 0};
    bool given;
    char *snap = NULL;
    int64_t id;
    int rc;

    if (read_item(r, &in, &it, &centres, &given, true) == TAULU_EANSWERED) {
        goto out;
    }
    o.org_id = it.org_id;
    o.centres = centres.v;
    o.n_centres = centres.n;
    if (srv_authorize(r, SRV_A_ITEM_CREATE, &o, "org", it.org_id) ==
        TAULU_EANSWERED) {
        goto out;
    }
    /* Errors refuse (422, nothing stored); warnings go with the version. */
    if (srv_check_item(r, &it, centres.v, centres.n, &it.findings) ==
        TAULU_EANSWERED) {
        goto out;
    }
    snap = snapshot_text(&it);
    rc = srv_store_item_create(r->app->store, r->user.id, &it, centres.v,
                               centres.n, snap, &id);
    if (rc == TAULU_EREFERENCED) {
        srv_reply_error(r, 400, "invalid_reference", "centres");
        goto out;
    }
    if (rc) {
        srv_api_store_error(r, rc);
        goto out;
    }
    if (srv_store_item_get(r->app->store, &r->pool, id, &it) != 0) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    out = item_json(r->app->pub, &r->actor, &it);
    srv_reply_json(r, 201, out);
out:
    cJSON_free(snap);
    cJSON_Delete(in);
}

/* Loads path item {id} and checks `action` on it. 0 or TAULU_EANSWERED. */
static int load_item(struct srv_req *r, enum srv_action action,
                     struct srv_item *it)
{
    struct srv_object o = {r->params[0], 0, 0, NULL, 0};
    int rc = srv_store_item_get(r->app->store, &r->pool, r->params[0], it);

    if (rc == TAULU_ENOTFOUND) {
        /* Indistinguishable from an item the caller may not see. */
        r->authorized = true;
        srv_reply_error(r, 404, "not_found", NULL);
        return TAULU_EANSWERED;
    }
    if (rc) {
        srv_api_store_error(r, rc);
        return TAULU_EANSWERED;
    }
    item_object(r, it, &o);
    return srv_authorize(r, action, &o, "item", it->id);
}

void srv_h_item_get(struct srv_req *r)
{
    struct srv_item it;

    if (load_item(r, SRV_A_ITEM_READ, &it) == TAULU_EANSWERED) {
        return;
    }
    srv_reply_json(r, 200, item_json(r->app->pub, &r->actor, &it));
}

void srv_h_item_version(struct srv_req *r)
{
    struct srv_item it;
    const char *json;
    cJSON *out, *snap;
    int rc;

    if (load_item(r, SRV_A_ITEM_READ, &it) == TAULU_EANSWERED) {
        return;
    }
    rc = srv_store_item_snapshot(r->app->store, &r->pool, it.id, r->params[1],
                                 &json);
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    snap = cJSON_Parse(json);
    if (!snap) {
        srv_reply_error(r, 500, "internal", NULL);
        return;
    }
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "item_id", (double)it.id);
    cJSON_AddNumberToObject(out, "version", (double)r->params[1]);
    cJSON_AddItemToObject(out, "content", snap);
    srv_reply_json(r, 200, out);
}

void srv_h_item_list(struct srv_req *r)
{
    struct srv_scope orgs, centres;
    struct srv_item *items;
    size_t n, i;
    unsigned limit = 50, offset = 0;
    int64_t org = srv_api_query_id(r, "organisation_id");
    const char *s;
    cJSON *out, *arr;
    int rc;

    memset(&orgs, 0, sizeof(orgs));
    memset(&centres, 0, sizeof(centres));
    s = srv_req_query(r, "limit");
    if (s) {
        int64_t v;
        if (srv_parse_id(s, strlen(s), &v) != 0 || v > 200) {
            srv_reply_error(r, 400, "out_of_range", "limit");
            return;
        }
        limit = (unsigned)v;
    }
    s = srv_req_query(r, "offset");
    if (s && strcmp(s, "0") != 0) {
        int64_t v;
        if (srv_parse_id(s, strlen(s), &v) != 0 || v > 1000000) {
            srv_reply_error(r, 400, "out_of_range", "offset");
            return;
        }
        offset = (unsigned)v;
    }
    if (org < 0) {
        srv_reply_error(r, 400, "invalid_value", "organisation_id");
        return;
    }
    if (org > 0) {
        /* One organisation's items: its members and coordinators. */
        struct srv_object o = {org, org, 0, NULL, 0};
        if (srv_authorize(r, SRV_A_ITEM_EDIT, &o, "org", org) ==
            TAULU_EANSWERED) {
            return;
        }
        int64_t *one = srv_pool_alloc(&r->pool, sizeof(int64_t));
        *one = org;
        orgs.ids = one;
        orgs.n = 1;
    } else {
        /* What the actor may read: everything for a coordinator, else
         * the items of their organisations and those placed at their
         * centres. */
        orgs.all = r->actor.coordinator;
        orgs.ids = r->actor.orgs;
        orgs.n = r->actor.n_orgs;
        centres.ids = r->actor.centres;
        centres.n = r->actor.n_centres;
        r->authorized = true;
    }
    rc = srv_store_item_list(r->app->store, &r->pool, &orgs, &centres, limit,
                             offset, &items, &n);
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    out = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(out, "items");
    for (i = 0; i < n; i++) {
        cJSON_AddItemToArray(arr, item_json(r->app->pub, &r->actor, &items[i]));
    }
    srv_reply_json(r, 200, out);
}

void srv_h_item_update(struct srv_req *r)
{
    cJSON *in = NULL;
    struct srv_item old, it;
    struct srv_ids centres;
    bool given = false;
    char *snap = NULL;
    int rc;

    if (load_item(r, SRV_A_ITEM_EDIT, &old) == TAULU_EANSWERED) {
        return;
    }
    if (read_item(r, &in, &it, &centres, &given, false) == TAULU_EANSWERED) {
        goto out;
    }
    if (it.org_id && it.org_id != old.org_id) {
        srv_reply_error(r, 400, "invalid_value", "organisation_id");
        goto out;
    }
    if (it.version != old.version) {
        srv_reply_error(r, 409, "item_changed", "version");
        goto out;
    }
    it.id = old.id;
    it.org_id = old.org_id;
    /* Checked against the centres it will be at after the edit. */
    if (given) {
        rc = srv_check_item(r, &it, centres.v, centres.n, &it.findings);
    } else {
        int64_t *cur =
            srv_pool_alloc(&r->pool, (old.n_placements + 1) * sizeof(int64_t));
        size_t i, n = 0;
        for (i = 0; i < old.n_placements; i++) {
            if (old.placements[i].state != SRV_PL_WITHDRAWN &&
                old.placements[i].state != SRV_PL_EXPIRED) {
                cur[n++] = old.placements[i].centre_id;
            }
        }
        rc = srv_check_item(r, &it, cur, n, &it.findings);
    }
    if (rc == TAULU_EANSWERED) {
        goto out;
    }
    snap = snapshot_text(&it);
    rc = srv_store_item_update(r->app->store, r->user.id, &it, old.version,
                               given ? centres.v : NULL, centres.n, snap);
    if (rc == TAULU_ECONFLICT) {
        srv_reply_error(r, 409, "item_changed", "version");
        goto out;
    }
    if (rc == TAULU_EREFERENCED) {
        srv_reply_error(r, 400, "invalid_reference", "centres");
        goto out;
    }
    if (rc) {
        srv_api_store_error(r, rc);
        goto out;
    }
    /* Back to review: its centres' screens withdraw it (or keep the
     * approved version), as each centre's setting says. */
    srv_pub_item_changed(r->app->pub, old.id);
    if (srv_store_item_get(r->app->store, &r->pool, old.id, &it) != 0) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    srv_reply_json(r, 200, item_json(r->app->pub, &r->actor, &it));
out:
    cJSON_free(snap);
    cJSON_Delete(in);
}

void srv_h_item_withdraw(struct srv_req *r)
{
    static const char *const keys[] = {"centre_id", NULL};
    struct srv_item it;
    cJSON *in = NULL;
    struct srv_verr e;
    int64_t centre = 0;
    int rc;

    if (load_item(r, SRV_A_ITEM_WITHDRAW, &it) == TAULU_EANSWERED) {
        return;
    }
    /* The body is optional: none withdraws the item everywhere. */
    if (r->body.len > 0) {
        if (srv_req_json(r, &in) == TAULU_EANSWERED) {
            return;
        }
        if (srv_json_keys(in, keys, "", &e) < 0 ||
            srv_json_int(in, "centre_id", false, 1, INT64_MAX / 2, "", &centre,
                         &e) < 0) {
            srv_reply_verr(r, &e);
            goto out;
        }
    }
    rc = srv_store_item_withdraw(r->app->store, r->user.id, it.id, centre);
    if (rc) {
        srv_api_store_error(r, rc);
        goto out;
    }
    srv_pub_item_changed(r->app->pub, it.id);
    if (srv_store_item_get(r->app->store, &r->pool, it.id, &it) != 0) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    srv_reply_json(r, 200, item_json(r->app->pub, &r->actor, &it));
out:
    cJSON_Delete(in);
}

/* ------------------------------------------------------------------ */
/* Queue and placements */

void srv_h_queue(struct srv_req *r)
{
    struct srv_scope scope;
    struct srv_placement *p;
    size_t n, i;
    cJSON *out, *arr;
    int rc;

    if (srv_api_centre_scope(r, SRV_A_QUEUE_READ, &scope) == TAULU_EANSWERED) {
        return;
    }
    rc =
        srv_store_placement_queue(r->app->store, &r->pool, &scope, 200, &p, &n);
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    out = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(out, "placements");
    for (i = 0; i < n; i++) {
        cJSON_AddItemToArray(arr, placement_json(r->app->pub, &p[i]));
    }
    srv_reply_json(r, 200, out);
}

static int load_placement(struct srv_req *r, enum srv_action action,
                          struct srv_placement *p)
{
    struct srv_object o = {r->params[0], 0, 0, NULL, 0};
    int rc = srv_store_placement_get(r->app->store, &r->pool, r->params[0], p);

    if (rc) {
        return srv_api_load_failed(r, rc);
    }
    o.org_id = p->org_id;
    o.centre_id = p->centre_id;
    return srv_authorize(r, action, &o, "placement", p->id);
}

void srv_h_placement_get(struct srv_req *r)
{
    struct srv_placement p;
    struct srv_item it;
    cJSON *out, *changes;
    int rc;

    if (load_placement(r, SRV_A_PLACEMENT_READ, &p) == TAULU_EANSWERED) {
        return;
    }
    rc = srv_store_item_get(r->app->store, &r->pool, p.item_id, &it);
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "placement", placement_json(r->app->pub, &p));
    cJSON_AddItemToObject(out, "item", item_json(r->app->pub, &r->actor, &it));
    changes = cJSON_AddArrayToObject(out, "changes");
    if (p.approved_version > 0 && p.approved_version != it.version) {
        /* What changed since this centre last approved it (scenario 3). */
        const char *old_json, *new_json;
        if (srv_store_item_snapshot(r->app->store, &r->pool, it.id,
                                    p.approved_version, &old_json) == 0 &&
            srv_store_item_snapshot(r->app->store, &r->pool, it.id, it.version,
                                    &new_json) == 0) {
            cJSON *a = cJSON_Parse(old_json), *b = cJSON_Parse(new_json);
            if (a && b) {
                diff(changes, a, b, "");
                srv_recur_diff_words(changes, a, b);
            }
            cJSON_Delete(a);
            cJSON_Delete(b);
        }
    }
    /* The same text sent twice, or again with a word changed. */
    srv_api_add_duplicates(r, out, &p, &it);
    srv_reply_json(r, 200, out);
}

static void decide(struct srv_req *r, enum srv_placement_state to)
{
    static const char *const keys_approve[] = {"item_version", "display_from",
                                               "display_until", NULL};
    static const char *const keys_reason[] = {"item_version", "reason", NULL};
    struct srv_placement p;
    struct srv_item it;
    cJSON *in = NULL;
    struct srv_verr e;
    const char *reason = NULL;
    int64_t version = 0, from = 0, until = 0, now = taulu_now();
    int rc;

    if (load_placement(r, SRV_A_PLACEMENT_DECIDE, &p) == TAULU_EANSWERED) {
        return;
    }
    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    /* item_version: the version the decider looked at. If the item was
     * edited meanwhile, the decision is refused (409) rather than applied
     * to text nobody reviewed. */
    if (srv_json_keys(in, to == SRV_PL_APPROVED ? keys_approve : keys_reason,
                      "", &e) < 0 ||
        srv_json_int(in, "item_version", true, 1, INT64_MAX / 2, "", &version,
                     &e) < 0 ||
        (to == SRV_PL_APPROVED &&
         (srv_json_time(in, "display_from", false, "", &from, &e) < 0 ||
          srv_json_time(in, "display_until", false, "", &until, &e) < 0)) ||
        (to != SRV_PL_APPROVED && srv_json_str(in, "reason", false, 0, 500,
                                               "\n", "", &reason, &e) < 0)) {
        srv_reply_verr(r, &e);
        goto out;
    }
    if (to != SRV_PL_APPROVED && (!reason || !*reason)) {
        srv_reply_error(r, 400, "reason_required", "reason");
        goto out;
    }
    if (to == SRV_PL_APPROVED) {
        rc = srv_store_item_get(r->app->store, &r->pool, p.item_id, &it);
        if (rc) {
            srv_api_store_error(r, rc);
            goto out;
        }
        /* Defaults: from now (or the sender's start), until the sender's
         * end. The approver may shorten, never go past a year. */
        if (!from) {
            from = it.display_from > now ? it.display_from : now;
        }
        if (!until) {
            until = it.display_until;
        }
        if (until <= from) {
            srv_reply_error(r, 400, "bad_window", "display_until");
            goto out;
        }
        if (until <= now) {
            srv_reply_error(r, 400, "in_past", "display_until");
            goto out;
        }
        if (until > now + MAX_AHEAD) {
            srv_reply_error(r, 400, "out_of_range", "display_until");
            goto out;
        }
        if (from < now - MAX_AHEAD) {
            srv_reply_error(r, 400, "out_of_range", "display_from");
            goto out;
        }
        /* An event that ended since it was sent is never shown: say so
         * instead of approving what no screen will show. */
        if (it.kind && strcmp(it.kind, "event") == 0 && it.ends_at <= now) {
            srv_reply_error(r, 400, "in_past", "ends_at");
            goto out;
        }
    }
    rc = srv_store_placement_decide(r->app->store, r->user.id, p.id, to,
                                    version, reason, from, until);
    if (rc == TAULU_ECONFLICT) {
        srv_reply_error(r, 409,
                        p.state != SRV_PL_SUBMITTED ? "not_submitted"
                                                    : "item_changed",
                        NULL);
        goto out;
    }
    if (rc) {
        srv_api_store_error(r, rc);
        goto out;
    }
    srv_pub_centre_changed(r->app->pub, p.centre_id);
    if (srv_store_placement_get(r->app->store, &r->pool, p.id, &p) != 0) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    taulu_info(TAG, "placement %lld %s by user %lld", (long long)p.id,
               srv_placement_state_name(to), (long long)r->user.id);
    srv_reply_json(r, 200, placement_json(r->app->pub, &p));
out:
    cJSON_Delete(in);
}

void srv_h_placement_approve(struct srv_req *r)
{
    decide(r, SRV_PL_APPROVED);
}

void srv_h_placement_reject(struct srv_req *r)
{
    decide(r, SRV_PL_REJECTED);
}

void srv_h_placement_changes(struct srv_req *r)
{
    decide(r, SRV_PL_CHANGES_REQUESTED);
}

/* ------------------------------------------------------------------ */
/* Alerts */

static cJSON *alert_json(const struct srv_alert *a)
{
    cJSON *o = cJSON_CreateObject(), *texts;
    size_t i;

    cJSON_AddNumberToObject(o, "id", (double)a->id);
    if (a->centre_id) {
        cJSON_AddNumberToObject(o, "centre_id", (double)a->centre_id);
    } else {
        cJSON_AddNullToObject(o, "centre_id");
    }
    srv_json_add_time(o, "starts_at", a->starts_at);
    srv_json_add_time(o, "ends_at", a->ends_at);
    srv_json_add_time(o, "ended_at", a->ended_at);
    cJSON_AddNumberToObject(o, "created_by", (double)a->created_by);
    srv_json_add_time(o, "created_at", a->created_at);
    texts = cJSON_AddArrayToObject(o, "texts");
    for (i = 0; i < a->n_texts; i++) {
        cJSON *t = cJSON_CreateObject();
        cJSON_AddStringToObject(t, "lang", a->texts[i].lang);
        cJSON_AddStringToObject(t, "title", a->texts[i].title);
        cJSON_AddStringToObject(t, "body", a->texts[i].body);
        cJSON_AddItemToArray(texts, t);
    }
    return o;
}

void srv_h_alert_list(struct srv_req *r)
{
    struct srv_scope scope;
    struct srv_alert *a;
    size_t n, i;
    cJSON *out, *arr;
    int rc;

    if (srv_api_centre_scope(r, SRV_A_ALERT_READ, &scope) == TAULU_EANSWERED) {
        return;
    }
    rc = srv_store_alert_list(r->app->store, &r->pool, &scope, taulu_now(), &a,
                              &n);
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    out = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(out, "alerts");
    for (i = 0; i < n; i++) {
        cJSON_AddItemToArray(arr, alert_json(&a[i]));
    }
    srv_reply_json(r, 200, out);
}

void srv_h_alert_create(struct srv_req *r)
{
    static const char *const keys[] = {"centre_id", "starts_at", "ends_at",
                                       "texts", NULL};
    static const char *const tkeys[] = {"lang", "title", "body", NULL};
    cJSON *in = NULL, *x;
    const cJSON *arr;
    struct srv_verr e;
    struct srv_alert a;
    struct srv_object o = {0, 0, 0, NULL, 0};
    int64_t now = taulu_now(), id;
    char path[24];
    size_t i = 0, k;
    int rc;

    memset(&a, 0, sizeof(a));
    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    if (srv_json_keys(in, keys, "", &e) < 0 ||
        srv_json_int(in, "centre_id", false, 1, INT64_MAX / 2, "", &a.centre_id,
                     &e) < 0 ||
        srv_json_time(in, "starts_at", false, "", &a.starts_at, &e) < 0 ||
        srv_json_time(in, "ends_at", true, "", &a.ends_at, &e) < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    /* Authorise before looking at the rest: the centre decides. */
    o.centre_id = a.centre_id;
    if (srv_authorize(r, SRV_A_ALERT_WRITE, &o, "centre", a.centre_id) ==
        TAULU_EANSWERED) {
        goto out;
    }
    arr = cJSON_GetObjectItemCaseSensitive(in, "texts");
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1 ||
        cJSON_GetArraySize(arr) > MAX_TEXTS) {
        srv_reply_error(r, 400, arr ? "wrong_type" : "missing_field", "texts");
        goto out;
    }
    a.n_texts = (size_t)cJSON_GetArraySize(arr);
    a.texts = srv_pool_alloc(&r->pool, a.n_texts * sizeof(*a.texts));
    cJSON_ArrayForEach(x, arr)
    {
        struct srv_alert_text *t = &a.texts[i];
        snprintf(path, sizeof(path), "texts[%zu]", i);
        if (!cJSON_IsObject(x)) {
            srv_reply_error(r, 400, "wrong_type", path);
            goto out;
        }
        if (srv_json_keys(x, tkeys, path, &e) < 0 ||
            srv_json_str(x, "lang", true, 2, 3, "", path, &t->lang, &e) < 0 ||
            srv_field_str(x, "title", true, TAULU_F_ALERT_TITLE, true, path,
                          &t->title, &e) < 0 ||
            srv_field_str(x, "body", true, TAULU_F_ALERT_BODY, true, path,
                          &t->body, &e) < 0) {
            srv_reply_verr(r, &e);
            goto out;
        }
        if (!srv_lang_valid(t->lang)) {
            srv_reply_error(r, 400, "invalid_value", path);
            goto out;
        }
        for (k = 0; k < i; k++) {
            if (strcmp(a.texts[k].lang, t->lang) == 0) {
                srv_reply_error(r, 400, "duplicate_value", path);
                goto out;
            }
        }
        i++;
    }
    if (!a.starts_at) {
        a.starts_at = now;
    }
    if (a.ends_at <= now) {
        srv_reply_error(r, 400, "in_past", "ends_at");
        goto out;
    }
    if (a.ends_at <= a.starts_at) {
        srv_reply_error(r, 400, "bad_window", "ends_at");
        goto out;
    }
    if (a.ends_at - a.starts_at > ALERT_MAX || a.ends_at > now + MAX_AHEAD) {
        srv_reply_error(r, 400, "out_of_range", "ends_at");
        goto out;
    }
    rc = srv_store_alert_create(r->app->store, r->user.id, &a, &id);
    if (rc == TAULU_EREFERENCED) {
        srv_reply_error(r, 400, "invalid_reference", "centre_id");
        goto out;
    }
    if (rc || srv_store_alert_get(r->app->store, &r->pool, id, &a) != 0) {
        srv_api_store_error(r, rc ? rc : TAULU_EDB);
        goto out;
    }
    srv_pub_alert_changed(r->app->pub, a.centre_id);
    taulu_info(TAG, "alert %lld published by user %lld", (long long)id,
               (long long)r->user.id);
    srv_reply_json(r, 201, alert_json(&a));
out:
    cJSON_Delete(in);
}

void srv_h_alert_end(struct srv_req *r)
{
    struct srv_alert a;
    struct srv_object o = {r->params[0], 0, 0, NULL, 0};
    int rc = srv_store_alert_get(r->app->store, &r->pool, r->params[0], &a);

    if (rc == TAULU_ENOTFOUND) {
        r->authorized = true;
        srv_reply_error(r, 404, "not_found", NULL);
        return;
    }
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    o.centre_id = a.centre_id;
    if (srv_authorize(r, SRV_A_ALERT_WRITE, &o, "alert", a.id) ==
        TAULU_EANSWERED) {
        return;
    }
    rc = srv_store_alert_end(r->app->store, r->user.id, a.id, taulu_now());
    if (rc == TAULU_ECONFLICT) {
        srv_reply_error(r, 409, "already_ended", NULL);
        return;
    }
    if (rc || srv_store_alert_get(r->app->store, &r->pool, a.id, &a) != 0) {
        srv_api_store_error(r, rc ? rc : TAULU_EDB);
        return;
    }
    srv_pub_alert_changed(r->app->pub, a.centre_id);
    srv_reply_json(r, 200, alert_json(&a));
}
