/*
 * srv_api_form.c: what saves a volunteer typing and a contact person a
 * double approval: drafts saved while the item form is filled in (each
 * user's own), an organisation's defaults for new items, and the items at
 * a centre that a new one may duplicate (docs/api.md, "Drafts",
 * "Organisations", "Moderation").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_api.h"
#include "srv_domain.h"
#include "srv_fields.h"
#include "srv_similar.h"
#include "taulu_err.h"
#include "taulu_time.h"

#define FORM_MAX    48
#define TITLE_MAX   120
#define DUPES_MAX   5
#define DUPES_SINCE (30 * 86400) /* "recently": the last 30 days */
#define DUPES_ROWS  600          /* text versions compared at most */

/* ------------------------------------------------------------------ */
/* Drafts */

/* A form key: a word, a colon and a name: "item:new", "item:edit-42". */
static bool form_key_valid(const char *s)
{
    const char *p = s;

    while (*p >= 'a' && *p <= 'z') {
        p++;
    }
    if (p == s || *p != ':' || !p[1]) {
        return false;
    }
    for (p++; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-')) {
            return false;
        }
    }
    return true;
}

static cJSON *draft_json(const struct srv_draft *d)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "id", (double)d->id);
    cJSON_AddStringToObject(o, "form", d->form);
    cJSON_AddStringToObject(o, "title", d->title ? d->title : "");
    srv_json_add_time(o, "updated_at", d->updated_at);
    if (d->content) {
        cJSON *c = cJSON_Parse(d->content);
        cJSON_AddItemToObject(o, "content", c ? c : cJSON_CreateObject());
    }
    return o;
}

void srv_h_draft_save(struct srv_req *r)
{
    static const char *const keys[] = {"form", "title", "content", NULL};
    cJSON *in = NULL, *out;
    const cJSON *content;
    struct srv_verr e;
    struct srv_draft d;
    const char *form, *title = NULL;
    char *text = NULL;
    int64_t now = taulu_now();
    bool created = false;
    int rc;

    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    if (srv_json_keys(in, keys, "", &e) < 0 ||
        srv_json_str(in, "form", true, 3, FORM_MAX, "", "", &form, &e) < 0 ||
        srv_json_str(in, "title", false, 0, TITLE_MAX, "", "", &title, &e) <
            0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    if (!form_key_valid(form)) {
        srv_reply_error(r, 400, "invalid_value", "form");
        goto out;
    }
    content = cJSON_GetObjectItemCaseSensitive(in, "content");
    if (!content || cJSON_IsNull(content)) {
        srv_reply_error(r, 400, "missing_field", "content");
        goto out;
    }
    if (!cJSON_IsObject(content)) {
        srv_reply_error(r, 400, "wrong_type", "content");
        goto out;
    }
    /* Kept as sent (it was parsed, so it is JSON): a half-written form is
     * no item, and nobody but its owner ever reads it. */
    text = cJSON_PrintUnformatted(content);
    if (!text) {
        abort();
    }
    rc = srv_store_draft_save(r->app->store, r->user.id, form, title, text, now,
                              &d.id, &created);
    if (rc) {
        srv_api_store_error(r, rc);
        goto out;
    }
    d.user_id = r->user.id;
    d.form = form;
    d.title = title;
    d.content = NULL;
    d.updated_at = now;
    out = draft_json(&d);
    srv_reply_json(r, created ? 201 : 200, out);
out:
    cJSON_free(text);
    cJSON_Delete(in);
}

void srv_h_draft_list(struct srv_req *r)
{
    const char *form = srv_req_query(r, "form");
    struct srv_draft *d;
    size_t n, i;
    cJSON *out, *arr;
    int rc;

    if (form && (strlen(form) > FORM_MAX || !form_key_valid(form))) {
        srv_reply_error(r, 400, "invalid_value", "form");
        return;
    }
    rc =
        srv_store_draft_list(r->app->store, &r->pool, r->user.id, form, &d, &n);
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    out = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(out, "drafts");
    for (i = 0; i < n; i++) {
        cJSON_AddItemToArray(arr, draft_json(&d[i]));
    }
    srv_reply_json(r, 200, out);
}

/* Loads path draft {id} for its owner. 0 or TAULU_EANSWERED (404 for a
 * draft that is not there and for one of someone else, the attempt
 * audited). */
static int load_draft(struct srv_req *r, struct srv_draft *d)
{
    struct srv_object o = {0, 0, 0, NULL, 0};
    int rc = srv_store_draft_get(r->app->store, &r->pool, r->params[0], d);

    if (rc) {
        return srv_api_load_failed(r, rc);
    }
    o.id = d->user_id;
    return srv_authorize(r, SRV_A_DRAFT_OWN, &o, "draft", d->id);
}

void srv_h_draft_get(struct srv_req *r)
{
    struct srv_draft d;

    if (load_draft(r, &d) == TAULU_EANSWERED) {
        return;
    }
    srv_reply_json(r, 200, draft_json(&d));
}

void srv_h_draft_delete(struct srv_req *r)
{
    struct srv_draft d;
    int rc;

    if (load_draft(r, &d) == TAULU_EANSWERED) {
        return;
    }
    rc = srv_store_draft_delete(r->app->store, r->user.id, d.id);
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    srv_reply_empty(r, 204);
}

/* ------------------------------------------------------------------ */
/* An organisation's defaults */

void srv_api_add_org_defaults(cJSON *o, const char *json)
{
    cJSON *d = json ? cJSON_Parse(json) : NULL;

    if (d) {
        cJSON_AddItemToObject(o, "defaults", d);
    } else {
        cJSON_AddNullToObject(o, "defaults");
    }
}

static const char *const version_langs[] = {"fi", "sv", "en", NULL};

/* The languages of the defaults: distinct "fi", "sv", "en". */
static int read_languages(const cJSON *in, cJSON *out, struct srv_verr *e)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(in, "languages"), *x;
    cJSON *list;
    char path[24];
    int i = 0;

    if (!arr || cJSON_IsNull(arr)) {
        return 0;
    }
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > 3) {
        return srv_verr_set(e, 400,
                            cJSON_IsArray(arr) ? "out_of_range" : "wrong_type",
                            NULL, "languages");
    }
    list = cJSON_AddArrayToObject(out, "languages");
    cJSON_ArrayForEach(x, arr)
    {
        const cJSON *y;
        bool known = false;
        size_t k;
        snprintf(path, sizeof(path), "languages[%d]", i++);
        if (!cJSON_IsString(x)) {
            return srv_verr_set(e, 400, "wrong_type", NULL, path);
        }
        for (k = 0; version_langs[k]; k++) {
            known = known || strcmp(version_langs[k], x->valuestring) == 0;
        }
        if (!known) {
            return srv_verr_set(e, 400, "invalid_value", NULL, path);
        }
        cJSON_ArrayForEach(y, list)
        {
            if (strcmp(y->valuestring, x->valuestring) == 0) {
                return srv_verr_set(e, 400, "duplicate_value", NULL, path);
            }
        }
        cJSON_AddItemToArray(list, cJSON_CreateString(x->valuestring));
    }
    return 0;
}

void srv_h_org_defaults(struct srv_req *r)
{
    static const char *const keys[] = {"place", "contact", "category",
                                       "languages", NULL};
    struct srv_object obj = {r->params[0], r->params[0], 0, NULL, 0};
    cJSON *in = NULL, *d = NULL, *langs;
    struct srv_verr e;
    const char *place = NULL, *contact = NULL, *category = NULL;
    char *text = NULL;
    bool empty;
    int rc;

    if (srv_authorize(r, SRV_A_ORG_DEFAULTS, &obj, "org", r->params[0]) ==
        TAULU_EANSWERED) {
        return;
    }
    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    d = cJSON_CreateObject();
    if (srv_json_keys(in, keys, "", &e) < 0 ||
        srv_field_str(in, "place", false, TAULU_F_PLACE, false, "", &place,
                      &e) < 0 ||
        srv_field_str(in, "contact", false, TAULU_F_CONTACT, false, "",
                      &contact, &e) < 0 ||
        srv_json_enum(in, "category", false, srv_categories, "", &category,
                      &e) < 0 ||
        read_languages(in, d, &e) < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    /* Written in full, every member present: the form reads one shape. */
    langs = cJSON_DetachItemFromObjectCaseSensitive(d, "languages");
    srv_json_add_str(d, "place", place && *place ? place : NULL);
    srv_json_add_str(d, "contact", contact && *contact ? contact : NULL);
    srv_json_add_str(d, "category", category);
    cJSON_AddItemToObject(d, "languages", langs ? langs : cJSON_CreateArray());
    empty = !(place && *place) && !(contact && *contact) && !category &&
            cJSON_GetArraySize(cJSON_GetObjectItem(d, "languages")) == 0;
    text = cJSON_PrintUnformatted(d);
    if (!text) {
        abort();
    }
    rc = srv_store_org_set_defaults(r->app->store, r->user.id, r->params[0],
                                    empty ? NULL : text);
    if (rc) {
        srv_api_store_error(r, rc);
        goto out;
    }
    {
        cJSON *o = cJSON_CreateObject();
        srv_api_add_org_defaults(o, empty ? NULL : text);
        srv_reply_json(r, 200, o);
    }
out:
    cJSON_free(text);
    cJSON_Delete(d);
    cJSON_Delete(in);
}

/* ------------------------------------------------------------------ */
/* Duplicates */

struct dupe {
    const struct srv_dupe_cand *c;
    double score;
};

static int dupe_cmp(const void *a, const void *b)
{
    const struct dupe *x = a, *y = b;

    if (x->score != y->score) {
        return x->score < y->score ? 1 : -1;
    }
    return x->c->placement_id < y->c->placement_id ? 1 : -1;
}

/* "title\nbody" of a text version, in the pool. */
static const char *joined(struct srv_pool *p, const char *title,
                          const char *body)
{
    size_t a = title ? strlen(title) : 0, b = body ? strlen(body) : 0;
    char *s = srv_pool_alloc(p, a + b + 2);

    memcpy(s, title ? title : "", a);
    s[a] = '\n';
    memcpy(s + a + 1, body ? body : "", b);
    s[a + b + 1] = '\0';
    return s;
}

void srv_api_add_duplicates(struct srv_req *r, cJSON *out,
                            const struct srv_placement *pl,
                            const struct srv_item *it)
{
    struct srv_dupe_cand *c;
    struct dupe *found;
    size_t n = 0, i, k, nf = 0;
    cJSON *arr = cJSON_AddArrayToObject(out, "duplicates");
    int64_t now = taulu_now();

    if (srv_store_dupe_candidates(r->app->store, &r->pool, pl->centre_id,
                                  it->id, now - DUPES_SINCE, DUPES_ROWS, &c,
                                  &n) != 0 ||
        n == 0) {
        return;
    }
    found = srv_pool_alloc(&r->pool, n * sizeof(*found));
    for (i = 0; i < n; i++) {
        struct srv_object po = {c[i].placement_id, c[i].org_id, pl->centre_id,
                                NULL, 0};
        double best = 0;
        /* Only what the reader may see: a member reading their own
         * placement learns nothing of other organisations' items. */
        if (!srv_can(&r->actor, SRV_A_PLACEMENT_READ, &po)) {
            continue;
        }
        for (k = 0; k < it->n_texts; k++) {
            double s;
            if (strcmp(it->texts[k].lang, c[i].lang) != 0) {
                continue;
            }
            s = srv_similarity(
                joined(&r->pool, it->texts[k].title, it->texts[k].body),
                joined(&r->pool, c[i].title, c[i].body));
            if (s > best) {
                best = s;
            }
        }
        if (best < SRV_SIMILAR_DUPLICATE) {
            continue;
        }
        /* One entry per placement: its best version. */
        for (k = 0; k < nf; k++) {
            if (found[k].c->placement_id == c[i].placement_id) {
                break;
            }
        }
        if (k < nf) {
            if (best > found[k].score) {
                found[k].c = &c[i];
                found[k].score = best;
            }
            continue;
        }
        found[nf].c = &c[i];
        found[nf].score = best;
        nf++;
    }
    qsort(found, nf, sizeof(*found), dupe_cmp);
    for (i = 0; i < nf && i < DUPES_MAX; i++) {
        const struct srv_dupe_cand *d = found[i].c;
        cJSON *o = cJSON_CreateObject(), *titles;
        cJSON_AddNumberToObject(o, "item_id", (double)d->item_id);
        cJSON_AddNumberToObject(o, "placement_id", (double)d->placement_id);
        cJSON_AddStringToObject(o, "lang", d->lang);
        cJSON_AddStringToObject(o, "title", d->title);
        /* Every version's title, for the reader's language. */
        titles = cJSON_AddObjectToObject(o, "titles");
        for (k = 0; k < n; k++) {
            if (c[k].placement_id == d->placement_id &&
                !cJSON_GetObjectItemCaseSensitive(titles, c[k].lang)) {
                cJSON_AddStringToObject(titles, c[k].lang, c[k].title);
            }
        }
        cJSON_AddStringToObject(o, "state", srv_placement_state_name(d->state));
        srv_json_add_time(o, "submitted_at", d->submitted_at);
        cJSON_AddNumberToObject(
            o, "similarity", (double)(int)(found[i].score * 100 + 0.5) / 100.0);
        cJSON_AddItemToArray(arr, o);
    }
}
