/*
 * srv_api_admin.c: handlers for areas, centres, screens, organisations,
 * members, users and the audit log. Mostly the coordinator's; contact
 * persons read their centres' screens, members their organisations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_api.h"
#include "srv_pubapp.h"
#include "srv_domain.h"
#include "srv_fields.h"
#include "taulu_time.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"

#define TAG "api"

/* A store error on a write whose input names other records: a missing
 * reference is the caller's mistake (400), a taken name a conflict. */
static void write_error(struct srv_req *r, int rc, const char *ref_field)
{
    if (rc == TAULU_EREFERENCED) {
        srv_reply_error(r, 400, "invalid_reference", ref_field);
    } else {
        srv_api_store_error(r, rc);
    }
}

static cJSON *id_json(int64_t id)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "id", (double)id);
    return o;
}

int64_t srv_api_query_id(struct srv_req *r, const char *name)
{
    const char *s = srv_req_query(r, name);
    int64_t v;

    if (!s) {
        return 0;
    }
    return srv_parse_id(s, strlen(s), &v) == 0 ? v : -1;
}

/* ------------------------------------------------------------------ */
/* Areas */

void srv_h_area_list(struct srv_req *r)
{
    struct srv_area *a;
    size_t n, i;
    cJSON *out, *arr;
    int rc = srv_store_area_list(r->app->store, &r->pool, &a, &n);

    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    out = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(out, "areas");
    for (i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)a[i].id);
        cJSON_AddStringToObject(o, "name", a[i].name);
        cJSON_AddItemToArray(arr, o);
    }
    srv_reply_json(r, 200, out);
}

static int read_area(struct srv_req *r, cJSON **in, const char **name)
{
    static const char *const keys[] = {"name", NULL};
    struct srv_verr e;

    if (srv_req_json(r, in) == TAULU_EANSWERED) {
        return TAULU_EANSWERED;
    }
    if (srv_json_keys(*in, keys, "", &e) < 0 ||
        srv_json_str(*in, "name", true, 1, 120, "", "", name, &e) < 0) {
        srv_reply_verr(r, &e);
        return TAULU_EANSWERED;
    }
    return 0;
}

void srv_h_area_create(struct srv_req *r)
{
    cJSON *in = NULL;
    const char *name;
    int64_t id;
    int rc;

    if (read_area(r, &in, &name) == 0) {
        rc = srv_store_area_create(r->app->store, r->user.id, name, &id);
        if (rc) {
            srv_api_store_error(r, rc);
        } else {
            srv_reply_json(r, 201, id_json(id));
        }
    }
    cJSON_Delete(in);
}

void srv_h_area_update(struct srv_req *r)
{
    cJSON *in = NULL;
    const char *name;
    int rc;

    if (read_area(r, &in, &name) == 0) {
        rc = srv_store_area_update(r->app->store, r->user.id, r->params[0],
                                   name);
        if (rc) {
            srv_api_store_error(r, rc);
        } else {
            srv_reply_empty(r, 204);
        }
    }
    cJSON_Delete(in);
}

void srv_h_area_delete(struct srv_req *r)
{
    int rc = srv_store_area_delete(r->app->store, r->user.id, r->params[0]);

    if (rc) {
        srv_api_store_error(r, rc);
    } else {
        srv_reply_empty(r, 204);
    }
}

/* ------------------------------------------------------------------ */
/* Centres */

static cJSON *centre_json(const struct srv_centre *c)
{
    cJSON *o = cJSON_CreateObject();
    const struct srv_municipality *m = srv_municipality_find(c->municipality);

    cJSON_AddNumberToObject(o, "id", (double)c->id);
    if (c->area_id) {
        cJSON_AddNumberToObject(o, "area_id", (double)c->area_id);
    } else {
        cJSON_AddNullToObject(o, "area_id");
    }
    cJSON_AddStringToObject(o, "name", c->name);
    cJSON_AddStringToObject(o, "municipality", c->municipality);
    srv_json_add_str(o, "municipality_name", m ? m->name : NULL);
    cJSON_AddStringToObject(o, "address", c->address);
    /* Stored as normalised JSON written by this server. */
    cJSON_AddItemToObject(o, "opening_hours", cJSON_Parse(c->opening_hours));
    cJSON_AddItemToObject(o, "languages", cJSON_Parse(c->languages));
    cJSON_AddBoolToObject(o, "withdraw_on_edit", c->withdraw_on_edit);
    srv_json_add_str(o, "short_name", c->short_name);
    cJSON_AddItemToObject(
        o, "names", c->names ? cJSON_Parse(c->names) : cJSON_CreateObject());
    cJSON_AddNumberToObject(o, "loop_s",
                            c->loop_s > 0 ? c->loop_s : TAULU_LOOP_DEFAULT_S);
    return o;
}

/* The names in the centre's other languages: {"sv": {"name": "Tuira
 * välfärdscentral", "short": "Tuira"}}, each key one of `languages` but
 * not the first (that one is `name` and `short_name`), "name" and
 * "short" within taulu_fields.h's limits (the screens' header shows it where
 * the name does not fit). Normalised into a new JSON text in the pool; absent
 * or null: "{}". */
static int read_names(struct srv_req *r, const cJSON *in, const char *langs,
                      const char **out, struct srv_verr *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, "names"), *x;
    cJSON *norm, *la = cJSON_Parse(langs);
    char path[32];
    char *text;
    int rc = 0;

    *out = "{}";
    if (!v || cJSON_IsNull(v)) {
        cJSON_Delete(la);
        return 0;
    }
    if (!cJSON_IsObject(v)) {
        cJSON_Delete(la);
        return srv_verr_set(e, 400, "wrong_type", NULL, "names");
    }
    norm = cJSON_CreateObject();
    cJSON_ArrayForEach(x, v)
    {
        static const char *const keys[] = {"name", "short", NULL};
        const char *name = NULL, *short_name = NULL;
        const cJSON *l;
        bool known = false, first = true;
        cJSON *o;

        snprintf(path, sizeof path, "names.%.8s", x->string);
        cJSON_ArrayForEach(l, la)
        {
            known = known || (cJSON_IsString(l) &&
                              strcmp(l->valuestring, x->string) == 0 && !first);
            first = false;
        }
        if (!known) {
            rc = srv_verr_set(e, 400, "invalid_value", NULL, path);
            break;
        }
        if (!cJSON_IsObject(x)) {
            rc = srv_verr_set(e, 400, "wrong_type", NULL, path);
            break;
        }
        if (srv_json_keys(x, keys, path, e) < 0 ||
            srv_field_str(x, "name", true, TAULU_F_CENTRE_NAME, true, path,
                          &name, e) < 0 ||
            srv_field_str(x, "short", false, TAULU_F_CENTRE_SHORT, false, path,
                          &short_name, e) < 0) {
            rc = -1;
            break;
        }
        o = cJSON_AddObjectToObject(norm, x->string);
        cJSON_AddStringToObject(o, "name", name);
        if (short_name && *short_name) {
            cJSON_AddStringToObject(o, "short", short_name);
        }
    }
    cJSON_Delete(la);
    if (rc < 0) {
        cJSON_Delete(norm);
        return rc;
    }
    text = cJSON_PrintUnformatted(norm);
    cJSON_Delete(norm);
    if (!text) {
        abort();
    }
    *out = srv_pool_strdup(&r->pool, text);
    cJSON_free(text);
    return 0;
}

/* Opening hours: an array of 7 (Monday first), each null (closed that
 * day) or {"open": "HH:MM", "close": "HH:MM"} with open < close; or absent
 * or null: no hours given, the centre is always open (stored as "null").
 * Seven nulls is a centre closed all week, which is not the same thing.
 * Normalised into a new JSON text in the pool. */
static int read_hours(struct srv_req *r, const cJSON *in, const char **out,
                      struct srv_verr *e)
{
    static const char *const keys[] = {"open", "close", NULL};
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, "opening_hours");
    cJSON *norm = cJSON_CreateArray();
    char path[32], *text;
    int i;

    if (!v || cJSON_IsNull(v)) {
        cJSON_Delete(norm);
        *out = "null";
        return 0;
    }
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 7) {
        cJSON_Delete(norm);
        return srv_verr_set(e, 400, "wrong_type", NULL, "opening_hours");
    } else {
        for (i = 0; i < 7; i++) {
            const cJSON *d = cJSON_GetArrayItem(v, i);
            const char *open, *close;
            cJSON *nd;
            snprintf(path, sizeof(path), "opening_hours[%d]", i);
            if (cJSON_IsNull(d)) {
                cJSON_AddItemToArray(norm, cJSON_CreateNull());
                continue;
            }
            if (!cJSON_IsObject(d) || srv_json_keys(d, keys, path, e) < 0 ||
                srv_json_str(d, "open", true, 5, 5, "", path, &open, e) < 0 ||
                srv_json_str(d, "close", true, 5, 5, "", path, &close, e) < 0) {
                if (!cJSON_IsObject(d)) {
                    srv_verr_set(e, 400, "wrong_type", NULL, path);
                }
                cJSON_Delete(norm);
                return -1;
            }
            if (srv_hhmm(open) < 0 || srv_hhmm(close) < 0 ||
                srv_hhmm(open) >= srv_hhmm(close)) {
                cJSON_Delete(norm);
                return srv_verr_set(e, 400, "invalid_value", NULL, path);
            }
            nd = cJSON_CreateObject();
            cJSON_AddStringToObject(nd, "open", open);
            cJSON_AddStringToObject(nd, "close", close);
            cJSON_AddItemToArray(norm, nd);
        }
    }
    text = cJSON_PrintUnformatted(norm);
    cJSON_Delete(norm);
    if (!text) {
        abort();
    }
    *out = srv_pool_strdup(&r->pool, text);
    cJSON_free(text);
    return 0;
}

static int read_languages(struct srv_req *r, const cJSON *in, const char **out,
                          struct srv_verr *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(in, "languages"), *x;
    cJSON *norm;
    char *text;
    int i = 0;

    if (!v || cJSON_IsNull(v)) {
        *out = "[\"fi\"]";
        return 0;
    }
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) < 1 ||
        cJSON_GetArraySize(v) > 6) {
        return srv_verr_set(e, 400, "wrong_type", NULL, "languages");
    }
    norm = cJSON_CreateArray();
    cJSON_ArrayForEach(x, v)
    {
        const cJSON *y;
        if (!cJSON_IsString(x) || !srv_lang_valid(x->valuestring)) {
            cJSON_Delete(norm);
            return srv_verr_set(e, 400, "invalid_value", NULL, "languages");
        }
        for (y = v->child; y != x; y = y->next) {
            if (strcmp(y->valuestring, x->valuestring) == 0) {
                cJSON_Delete(norm);
                return srv_verr_set(e, 400, "duplicate_value", NULL,
                                    "languages");
            }
        }
        cJSON_AddItemToArray(norm, cJSON_CreateString(x->valuestring));
        i++;
    }
    text = cJSON_PrintUnformatted(norm);
    cJSON_Delete(norm);
    if (!text) {
        abort();
    }
    *out = srv_pool_strdup(&r->pool, text);
    cJSON_free(text);
    return 0;
}

static int read_centre(struct srv_req *r, cJSON **in, struct srv_centre *c)
{
    static const char *const keys[] = {
        "name",          "area_id",    "municipality",
        "address",       "languages",  "withdraw_on_edit",
        "opening_hours", "short_name", "names",
        "loop_s",        NULL};
    struct srv_verr e;
    const char *muni;
    int64_t loop_s = TAULU_LOOP_DEFAULT_S;

    memset(c, 0, sizeof(*c));
    c->withdraw_on_edit = true;
    if (srv_req_json(r, in) == TAULU_EANSWERED) {
        return TAULU_EANSWERED;
    }
    if (srv_json_keys(*in, keys, "", &e) < 0 ||
        srv_field_str(*in, "name", true, TAULU_F_CENTRE_NAME, true, "",
                      &c->name, &e) < 0 ||
        srv_json_int(*in, "area_id", false, 1, INT64_MAX / 2, "", &c->area_id,
                     &e) < 0 ||
        srv_json_str(*in, "municipality", true, 3, 3, "", "", &muni, &e) < 0 ||
        srv_json_str(*in, "address", false, 0, 200, "", "", &c->address, &e) <
            0 ||
        srv_json_bool(*in, "withdraw_on_edit", false, "", &c->withdraw_on_edit,
                      &e) < 0 ||
        srv_field_str(*in, "short_name", false, TAULU_F_CENTRE_SHORT, false, "",
                      &c->short_name, &e) < 0 ||
        srv_json_int(*in, "loop_s", false, TAULU_LOOP_MIN_S, TAULU_LOOP_MAX_S,
                     "", &loop_s, &e) < 0 ||
        read_hours(r, *in, &c->opening_hours, &e) < 0 ||
        read_languages(r, *in, &c->languages, &e) < 0 ||
        read_names(r, *in, c->languages, &c->names, &e) < 0) {
        srv_reply_verr(r, &e);
        return TAULU_EANSWERED;
    }
    c->loop_s = (int)loop_s;
    if (c->short_name && !*c->short_name) {
        c->short_name = NULL;
    }
    if (!srv_municipality_find(muni)) {
        srv_reply_error(r, 400, "invalid_value", "municipality");
        return TAULU_EANSWERED;
    }
    c->municipality = muni;
    if (!c->address) {
        c->address = "";
    }
    return 0;
}

void srv_h_centre_list(struct srv_req *r)
{
    struct srv_centre *c;
    size_t n, i;
    cJSON *out, *arr;
    int rc = srv_store_centre_list(r->app->store, &r->pool, &c, &n);

    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    out = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(out, "centres");
    for (i = 0; i < n; i++) {
        cJSON_AddItemToArray(arr, centre_json(&c[i]));
    }
    srv_reply_json(r, 200, out);
}

void srv_h_centre_get(struct srv_req *r)
{
    struct srv_centre c;
    int rc = srv_store_centre_get(r->app->store, &r->pool, r->params[0], &c);

    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    srv_reply_json(r, 200, centre_json(&c));
}

void srv_h_centre_create(struct srv_req *r)
{
    cJSON *in = NULL;
    struct srv_centre c;
    int64_t id;
    int rc;

    if (read_centre(r, &in, &c) == 0) {
        rc = srv_store_centre_create(r->app->store, r->user.id, &c, &id);
        if (rc) {
            write_error(r, rc, "area_id");
        } else {
            srv_reply_json(r, 201, id_json(id));
        }
    }
    cJSON_Delete(in);
}

void srv_h_centre_update(struct srv_req *r)
{
    cJSON *in = NULL;
    struct srv_centre c;
    int rc;

    if (read_centre(r, &in, &c) == 0) {
        c.id = r->params[0];
        rc = srv_store_centre_update(r->app->store, r->user.id, &c);
        if (rc) {
            write_error(r, rc, "area_id");
        } else {
            srv_pub_centre_changed(r->app->pub, c.id);
            srv_reply_empty(r, 204);
        }
    }
    cJSON_Delete(in);
}

void srv_h_centre_delete(struct srv_req *r)
{
    int rc = srv_store_centre_delete(r->app->store, r->user.id, r->params[0]);

    if (rc) {
        srv_api_store_error(r, rc);
    } else {
        srv_pub_screens_changed(r->app->pub, 0);
        srv_reply_empty(r, 204);
    }
}

/* ------------------------------------------------------------------ */
/* Screens */

static cJSON *screen_json(struct srv_req *r, const struct srv_screen *s)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "id", (double)s->id);
    cJSON_AddNumberToObject(o, "centre_id", (double)s->centre_id);
    cJSON_AddStringToObject(o, "name", s->name);
    cJSON_AddStringToObject(o, "orientation", s->orientation);
    cJSON_AddNumberToObject(o, "width_px", s->width_px);
    cJSON_AddNumberToObject(o, "height_px", s->height_px);
    cJSON_AddNumberToObject(o, "diagonal_in", s->diagonal_in);
    cJSON_AddNumberToObject(o, "viewing_distance_m", s->viewing_distance_m);
    cJSON_AddBoolToObject(o, "online", s->online);
    srv_json_add_time(o, "last_seen", s->last_seen);
    cJSON_AddNumberToObject(o, "applied_version", (double)s->applied_version);
    srv_json_add_str(o, "last_error", s->last_error);
    srv_json_add_time(o, "created_at", s->created_at);
    /* what the player says it is and cannot show as one card, one page */
    srv_api_add_screen_fit(r, o, s);
    return o;
}

/*
 * The centres a listing may cover. With ?centre_id=N: that centre, if the
 * policy allows `action` on it. Without: every centre for a coordinator,
 * the actor's own centres for a contact person, and a refusal for anyone
 * else. 0 and *scope, or TAULU_EANSWERED (refused and answered).
 */
int srv_api_centre_scope(struct srv_req *r, enum srv_action action,
                         struct srv_scope *scope)
{
    int64_t cid = srv_api_query_id(r, "centre_id");

    memset(scope, 0, sizeof(*scope));
    if (cid < 0) {
        srv_reply_error(r, 400, "invalid_value", "centre_id");
        return TAULU_EANSWERED;
    }
    if (cid > 0) {
        struct srv_object o = {cid, 0, cid, NULL, 0};
        if (srv_authorize(r, action, &o, "centre", cid) == TAULU_EANSWERED) {
            return TAULU_EANSWERED;
        }
        int64_t *one = srv_pool_alloc(&r->pool, sizeof(int64_t));
        *one = cid;
        scope->ids = one;
        scope->n = 1;
        return 0;
    }
    if (r->actor.coordinator) {
        scope->all = true;
        r->authorized = true;
        return 0;
    }
    if (r->actor.n_centres == 0) {
        struct srv_object none = {0, 0, 0, NULL, 0};
        return srv_authorize(r, action, &none, "centre", 0);
    }
    /* Exactly the actor's own centres: allowed by construction. */
    scope->ids = r->actor.centres;
    scope->n = r->actor.n_centres;
    r->authorized = true;
    return 0;
}

void srv_h_screen_list(struct srv_req *r)
{
    struct srv_scope scope;
    struct srv_screen *s;
    size_t n, i;
    cJSON *out, *arr;
    int rc;

    if (srv_api_centre_scope(r, SRV_A_SCREEN_READ, &scope) == TAULU_EANSWERED) {
        return;
    }
    rc = srv_store_screen_list(r->app->store, &r->pool, &scope, &s, &n);
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    out = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(out, "screens");
    for (i = 0; i < n; i++) {
        cJSON_AddItemToArray(arr, screen_json(r, &s[i]));
    }
    srv_reply_json(r, 200, out);
}

void srv_h_screen_get(struct srv_req *r)
{
    struct srv_screen s;
    struct srv_object o = {0, 0, 0, NULL, 0};
    int rc = srv_store_screen_get(r->app->store, &r->pool, r->params[0], &s);

    if (rc == TAULU_ENOTFOUND) {
        /* Same answer as a screen the caller may not see. */
        if (srv_authorize(r, SRV_A_SCREEN_READ, &o, "screen", r->params[0]) ==
            TAULU_EANSWERED) {
            return;
        }
    }
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    o.id = s.id;
    o.centre_id = s.centre_id;
    if (srv_authorize(r, SRV_A_SCREEN_READ, &o, "screen", s.id) ==
        TAULU_EANSWERED) {
        return;
    }
    srv_reply_json(r, 200, screen_json(r, &s));
}

static int read_screen(struct srv_req *r, cJSON **in, struct srv_screen *s)
{
    static const char *const keys[] = {
        "centre_id", "name",        "orientation",        "width_px",
        "height_px", "diagonal_in", "viewing_distance_m", NULL};
    struct srv_verr e;
    int64_t w = 0, h = 0;

    memset(s, 0, sizeof(*s));
    if (srv_req_json(r, in) == TAULU_EANSWERED) {
        return TAULU_EANSWERED;
    }
    if (srv_json_keys(*in, keys, "", &e) < 0 ||
        srv_json_int(*in, "centre_id", true, 1, INT64_MAX / 2, "",
                     &s->centre_id, &e) < 0 ||
        srv_json_str(*in, "name", true, 1, 100, "", "", &s->name, &e) < 0 ||
        srv_json_enum(*in, "orientation", true, srv_orientations, "",
                      &s->orientation, &e) < 0 ||
        srv_json_int(*in, "width_px", true, 320, 16384, "", &w, &e) < 0 ||
        srv_json_int(*in, "height_px", true, 240, 16384, "", &h, &e) < 0 ||
        srv_json_num(*in, "diagonal_in", true, 7, 200, "", &s->diagonal_in,
                     &e) < 0 ||
        srv_json_num(*in, "viewing_distance_m", true, 0.3, 30, "",
                     &s->viewing_distance_m, &e) < 0) {
        srv_reply_verr(r, &e);
        return TAULU_EANSWERED;
    }
    s->width_px = (int)w;
    s->height_px = (int)h;
    return 0;
}

void srv_h_screen_create(struct srv_req *r)
{
    cJSON *in = NULL, *out;
    struct srv_screen s;
    char tok[SRV_TOKEN_LEN + 1];
    uint8_t hash[32];
    int64_t id;
    int rc;

    if (read_screen(r, &in, &s) == TAULU_EANSWERED) {
        goto out;
    }
    srv_auth_new_secret(SRV_TOKEN_SCREEN, tok, sizeof(tok), hash);
    rc = srv_store_screen_create(r->app->store, r->user.id, &s, hash, &id);
    if (rc) {
        write_error(r, rc, "centre_id");
        goto out;
    }
    out = id_json(id);
    /* The only time the token is shown: the server keeps its hash. */
    cJSON_AddStringToObject(out, "token", tok);
    /* Public key, MQTT settings, player config; broker files rewritten. */
    srv_api_screen_created(r, id, tok, out);
    srv_reply_json(r, 201, out);
    taulu_wipe(tok, sizeof(tok));
out:
    cJSON_Delete(in);
}

void srv_h_screen_update(struct srv_req *r)
{
    cJSON *in = NULL;
    struct srv_screen s;
    int rc;

    if (read_screen(r, &in, &s) == 0) {
        s.id = r->params[0];
        rc = srv_store_screen_update(r->app->store, r->user.id, &s);
        if (rc) {
            write_error(r, rc, "centre_id");
        } else {
            srv_pub_screens_changed(r->app->pub, 0);
            srv_reply_empty(r, 204);
        }
    }
    cJSON_Delete(in);
}

void srv_h_screen_delete(struct srv_req *r)
{
    int rc = srv_store_screen_delete(r->app->store, r->user.id, r->params[0]);

    if (rc) {
        srv_api_store_error(r, rc);
    } else {
        srv_pub_screens_changed(r->app->pub, r->params[0]);
        srv_reply_empty(r, 204);
    }
}

/* ------------------------------------------------------------------ */
/* Organisations and members */

static cJSON *org_json(const struct srv_org *o)
{
    cJSON *j = cJSON_CreateObject();

    cJSON_AddNumberToObject(j, "id", (double)o->id);
    cJSON_AddStringToObject(j, "name", o->name);
    cJSON_AddStringToObject(j, "kind", o->kind);
    srv_json_add_ids(j, "members", &o->members);
    srv_api_add_org_defaults(j, o->defaults);
    return j;
}

void srv_h_org_list(struct srv_req *r)
{
    struct srv_scope scope;
    struct srv_org *o;
    size_t n, i;
    cJSON *out, *arr;
    int rc;

    /* Filtered by the actor: everything for a coordinator, one's own
     * organisations for anyone else. */
    memset(&scope, 0, sizeof(scope));
    scope.all = r->actor.coordinator;
    scope.ids = r->actor.orgs;
    scope.n = r->actor.n_orgs;
    r->authorized = true;
    rc = srv_store_org_list(r->app->store, &r->pool, &scope, &o, &n);
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    out = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(out, "organisations");
    for (i = 0; i < n; i++) {
        cJSON_AddItemToArray(arr, org_json(&o[i]));
    }
    srv_reply_json(r, 200, out);
}

void srv_h_org_get(struct srv_req *r)
{
    struct srv_org o;
    struct srv_object obj = {r->params[0], r->params[0], 0, NULL, 0};
    int rc;

    /* The check comes first: whether another organisation exists is not
     * the caller's business. */
    if (srv_authorize(r, SRV_A_ORG_READ, &obj, "org", r->params[0]) ==
        TAULU_EANSWERED) {
        return;
    }
    rc = srv_store_org_get(r->app->store, &r->pool, r->params[0], &o);
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    srv_reply_json(r, 200, org_json(&o));
}

static int read_org(struct srv_req *r, cJSON **in, struct srv_org *o)
{
    static const char *const keys[] = {"name", "kind", NULL};
    struct srv_verr e;

    memset(o, 0, sizeof(*o));
    if (srv_req_json(r, in) == TAULU_EANSWERED) {
        return TAULU_EANSWERED;
    }
    if (srv_json_keys(*in, keys, "", &e) < 0 ||
        srv_field_str(*in, "name", true, TAULU_F_ORG_NAME, true, "", &o->name,
                      &e) < 0 ||
        srv_json_enum(*in, "kind", true, srv_org_kinds, "", &o->kind, &e) < 0) {
        srv_reply_verr(r, &e);
        return TAULU_EANSWERED;
    }
    return 0;
}

void srv_h_org_create(struct srv_req *r)
{
    cJSON *in = NULL;
    struct srv_org o;
    int64_t id;
    int rc;

    if (read_org(r, &in, &o) == 0) {
        rc = srv_store_org_create(r->app->store, r->user.id, &o, &id);
        if (rc) {
            srv_api_store_error(r, rc);
        } else {
            srv_reply_json(r, 201, id_json(id));
        }
    }
    cJSON_Delete(in);
}

void srv_h_org_update(struct srv_req *r)
{
    cJSON *in = NULL;
    struct srv_org o;
    int rc;

    if (read_org(r, &in, &o) == 0) {
        o.id = r->params[0];
        rc = srv_store_org_update(r->app->store, r->user.id, &o);
        if (rc) {
            srv_api_store_error(r, rc);
        } else {
            srv_reply_empty(r, 204);
        }
    }
    cJSON_Delete(in);
}

void srv_h_member_add(struct srv_req *r)
{
    static const char *const keys[] = {"user_id", NULL};
    cJSON *in = NULL;
    struct srv_verr e;
    int64_t uid = 0;
    int rc;

    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    if (srv_json_keys(in, keys, "", &e) < 0 ||
        srv_json_int(in, "user_id", true, 1, INT64_MAX / 2, "", &uid, &e) < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    rc = srv_store_member_add(r->app->store, r->user.id, r->params[0], uid);
    if (rc == TAULU_EREFERENCED) {
        /* Either the organisation (the path) or the user is missing. */
        srv_reply_error(r, 404, "not_found", NULL);
    } else if (rc) {
        srv_api_store_error(r, rc);
    } else {
        srv_reply_empty(r, 204);
    }
out:
    cJSON_Delete(in);
}

void srv_h_member_remove(struct srv_req *r)
{
    int rc = srv_store_member_remove(r->app->store, r->user.id, r->params[0],
                                     r->params[1]);

    if (rc) {
        srv_api_store_error(r, rc);
    } else {
        srv_reply_empty(r, 204);
    }
}

/* ------------------------------------------------------------------ */
/* Users */

void srv_h_user_list(struct srv_req *r)
{
    struct srv_user *u;
    size_t n, i;
    cJSON *out, *arr;
    int rc = srv_store_user_list(r->app->store, &r->pool, &u, &n);

    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    out = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(out, "users");
    for (i = 0; i < n; i++) {
        cJSON_AddItemToArray(arr, srv_api_user_json(&u[i]));
    }
    srv_reply_json(r, 200, out);
}

void srv_h_user_get(struct srv_req *r)
{
    struct srv_user u;
    int rc = srv_store_user_get(r->app->store, &r->pool, r->params[0], &u);

    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    srv_reply_json(r, 200, srv_api_user_json(&u));
}

static int read_user(struct srv_req *r, cJSON **in, struct srv_user *u,
                     bool create, const char **password)
{
    static const char *const keys_create[] = {
        "email",           "name",          "password", "coordinator",
        "contact_centres", "organisations", "lang",     NULL};
    static const char *const langs[] = {"fi", "sv", "en", NULL};
    static const char *const keys_update[] = {
        "name",          "coordinator", "disabled", "contact_centres",
        "organisations", NULL};
    struct srv_verr e;

    memset(u, 0, sizeof(*u));
    *password = NULL;
    if (srv_req_json(r, in) == TAULU_EANSWERED) {
        return TAULU_EANSWERED;
    }
    if (srv_json_keys(*in, create ? keys_create : keys_update, "", &e) < 0 ||
        (create &&
         srv_json_str(*in, "email", true, 3, 254, "", "", &u->email, &e) < 0) ||
        srv_json_str(*in, "name", true, 1, 120, "", "", &u->name, &e) < 0 ||
        (create && srv_json_str(*in, "password", false, 0, SRV_PASSWORD_MAX, "",
                                "", password, &e) < 0) ||
        srv_json_bool(*in, "coordinator", false, "", &u->coordinator, &e) < 0 ||
        (!create &&
         srv_json_bool(*in, "disabled", false, "", &u->disabled, &e) < 0) ||
        srv_json_ids(*in, "contact_centres", false, 0, 200, &r->pool, "",
                     &u->contact_centres, &e) < 0 ||
        srv_json_ids(*in, "organisations", false, 0, 50, &r->pool, "", &u->orgs,
                     &e) < 0 ||
        (create &&
         srv_json_enum(*in, "lang", false, langs, "", &u->lang, &e) < 0)) {
        srv_reply_verr(r, &e);
        return TAULU_EANSWERED;
    }
    if (create && !srv_email_valid(u->email)) {
        srv_reply_error(r, 400, "invalid_value", "email");
        return TAULU_EANSWERED;
    }
    if (*password && !srv_auth_password_ok(*password)) {
        srv_reply_error(r, 400, "weak_password", "password");
        return TAULU_EANSWERED;
    }
    return 0;
}

void srv_h_user_create(struct srv_req *r)
{
    cJSON *in = NULL, *out;
    struct srv_user u;
    const char *password;
    char hash[SRV_PWHASH_STRLEN] = "";
    int64_t id;
    int rc;

    if (read_user(r, &in, &u, true, &password) == TAULU_EANSWERED) {
        goto out;
    }
    if (!password) {
        /* The person chooses their own password through the link of the
         * invitation (srv_mailer.h); until then the account cannot sign
         * in. */
        rc = srv_store_user_invite(r->app->store, r->user.id, &u, &id);
        if (rc == TAULU_ELIMIT) {
            srv_reply_error(r, 503, "mail_queue_full", NULL);
        } else if (rc) {
            write_error(r, rc, "contact_centres");
        } else {
            out = id_json(id);
            cJSON_AddBoolToObject(out, "invited", true);
            srv_reply_json(r, 201, out);
        }
        goto out;
    }
    if (srv_auth_hash_password(password, hash) != 0) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    rc = srv_store_user_create(r->app->store, r->user.id, &u, hash, &id);
    if (rc) {
        write_error(r, rc, "contact_centres");
        goto out;
    }
    out = id_json(id);
    cJSON_AddBoolToObject(out, "invited", false);
    srv_reply_json(r, 201, out);
out:
    taulu_wipe(hash, sizeof(hash));
    cJSON_Delete(in);
}

void srv_h_user_update(struct srv_req *r)
{
    cJSON *in = NULL;
    struct srv_user u;
    const char *password;
    int rc;

    if (read_user(r, &in, &u, false, &password) == 0) {
        u.id = r->params[0];
        if (u.id == r->user.id && (!u.coordinator || u.disabled)) {
            /* A coordinator cannot lock themselves out by accident. */
            srv_reply_error(r, 400, "invalid_value", "coordinator");
        } else {
            rc = srv_store_user_update(r->app->store, r->user.id, &u);
            if (rc) {
                write_error(r, rc, "contact_centres");
            } else {
                srv_reply_empty(r, 204);
            }
        }
    }
    cJSON_Delete(in);
}

/* ------------------------------------------------------------------ */
/* Audit log */

static const char *actor_kind_name(enum srv_actor_kind k)
{
    switch (k) {
    case SRV_ACTOR_USER:
        return "user";
    case SRV_ACTOR_SCREEN:
        return "screen";
    case SRV_ACTOR_SYSTEM:
        return "system";
    default:
        return "anonymous";
    }
}

/* A short token from the query: [a-z_.] only, at most 48 bytes. */
static int query_word(struct srv_req *r, const char *name, const char **out)
{
    const char *s = srv_req_query(r, name), *p;

    *out = NULL;
    if (!s) {
        return 0;
    }
    if (strlen(s) > 48 || !*s) {
        return -1;
    }
    for (p = s; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || *p == '_' || *p == '.')) {
            return -1;
        }
    }
    *out = s;
    return 0;
}

/* The names of an entry the reader may see (the log in words): the
 * object's name only if the reader may read the object, by the same
 * policy as the object's own routes. The log is a coordinator's today,
 * who may read them all; the check keeps it so if that changes. */
static void add_names(struct srv_req *r, cJSON *o, const struct srv_audit *a,
                      const struct srv_audit_names *nm)
{
    struct srv_object obj = {a->object_id, nm->object_org_id,
                             nm->object_centre_id, NULL, 0};
    enum srv_action read = SRV_A_USER_READ;
    bool may;

    if (strcmp(a->object_type, "item") == 0) {
        read = SRV_A_ITEM_READ;
        obj.centres = &nm->object_centre_id;
        obj.n_centres = nm->object_centre_id ? 1 : 0;
    } else if (strcmp(a->object_type, "placement") == 0) {
        read = SRV_A_PLACEMENT_READ;
    } else if (strcmp(a->object_type, "org") == 0) {
        read = SRV_A_ORG_READ;
    } else if (strcmp(a->object_type, "centre") == 0 ||
               strcmp(a->object_type, "area") == 0) {
        read = SRV_A_CENTRE_READ;
    } else if (strcmp(a->object_type, "screen") == 0 ||
               strcmp(a->object_type, "alert") == 0) {
        read = SRV_A_SCREEN_READ;
    }
    may = srv_can(&r->actor, read, &obj);
    /* People are named for those who may read the users. */
    if (srv_can(&r->actor, SRV_A_USER_READ, NULL)) {
        srv_json_add_str(o, "actor_name", nm->actor_name);
        srv_json_add_str(o, "actor_email", nm->actor_email);
        srv_json_add_str(o, "user_name", nm->user_name);
        srv_json_add_str(o, "user_email", nm->user_email);
    } else {
        srv_json_add_str(o, "actor_name", NULL);
        srv_json_add_str(o, "actor_email", NULL);
        srv_json_add_str(o, "user_name", NULL);
        srv_json_add_str(o, "user_email", NULL);
    }
    srv_json_add_str(o, "object_name", may ? nm->object_name : NULL);
    srv_json_add_str(
        o, "centre_name",
        srv_can(&r->actor, SRV_A_CENTRE_READ, NULL) ? nm->centre_name : NULL);
}

void srv_h_audit_list(struct srv_req *r)
{
    struct srv_audit_filter f;
    struct srv_audit_names *names = NULL;
    struct srv_audit *a;
    const char *s;
    size_t n, i;
    cJSON *out, *arr;
    int rc;

    memset(&f, 0, sizeof(f));
    f.refused = -1;
    f.limit = 100;
    f.actor_id = srv_api_query_id(r, "actor_id");
    f.object_id = srv_api_query_id(r, "object_id");
    f.before_id = srv_api_query_id(r, "before_id");
    if (f.actor_id < 0 || f.object_id < 0 || f.before_id < 0) {
        srv_reply_error(r, 400, "invalid_value", NULL);
        return;
    }
    if (query_word(r, "action", &f.action) < 0 ||
        query_word(r, "object_type", &f.object_type) < 0) {
        srv_reply_error(r, 400, "invalid_value", "action");
        return;
    }
    s = srv_req_query(r, "refused");
    if (s) {
        if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0) {
            srv_reply_error(r, 400, "invalid_value", "refused");
            return;
        }
        f.refused = s[0] - '0';
    }
    s = srv_req_query(r, "since");
    if (s && taulu_time_parse_iso(s, &f.since) != 0) {
        srv_reply_error(r, 400, "invalid_time", "since");
        return;
    }
    s = srv_req_query(r, "until");
    if (s && taulu_time_parse_iso(s, &f.until) != 0) {
        srv_reply_error(r, 400, "invalid_time", "until");
        return;
    }
    s = srv_req_query(r, "limit");
    if (s) {
        int64_t lim;
        if (srv_parse_id(s, strlen(s), &lim) != 0 || lim > 500) {
            srv_reply_error(r, 400, "out_of_range", "limit");
            return;
        }
        f.limit = (unsigned)lim;
    }
    /* Refused sign-ins are counted per minute and written when the minute
     * is over; whoever reads the log now sees the open minute's too. */
    srv_api_flush_refusals(r->app, true);
    rc = srv_store_audit_list(r->app->store, &r->pool, &f, &a, &n);
    if (!rc) {
        rc = srv_store_audit_names(r->app->store, &r->pool, a, n, &names);
    }
    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    out = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(out, "entries");
    for (i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)a[i].id);
        srv_json_add_time(o, "at", a[i].at);
        cJSON_AddStringToObject(o, "actor_kind",
                                actor_kind_name(a[i].actor_kind));
        cJSON_AddNumberToObject(o, "actor_id", (double)a[i].actor_id);
        cJSON_AddStringToObject(o, "action", a[i].action);
        cJSON_AddStringToObject(o, "object_type", a[i].object_type);
        cJSON_AddNumberToObject(o, "object_id", (double)a[i].object_id);
        cJSON_AddBoolToObject(o, "refused", a[i].refused);
        if (a[i].details) {
            cJSON *d = cJSON_Parse(a[i].details);
            cJSON_AddItemToObject(o, "details",
                                  d ? d : cJSON_CreateString(a[i].details));
        } else {
            cJSON_AddNullToObject(o, "details");
        }
        add_names(r, o, &a[i], &names[i]);
        cJSON_AddItemToArray(arr, o);
    }
    srv_reply_json(r, 200, out);
}
