/*
 * srv_api_screens.c: the publishing routes about screens: a screen's
 * signed manifest, a screen's delivery status, the live counts of a
 * centre and of an item, and what a new screen is given (its MQTT
 * settings and a ready player configuration). The publishing side itself
 * is publish/srv_pubapp.h; with it not started (r->app->pub NULL) these
 * routes answer 503.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_api.h"
#include "srv_auth.h"
#include "srv_pubapp.h"
#include "taulu_crypto.h"
#include "taulu_err.h"

static void unavailable(struct srv_req *r)
{
    srv_reply_error(r, 503, "publishing_unavailable", NULL);
}

void srv_api_screen_created(struct srv_req *r, int64_t screen_id,
                            const char *token, cJSON *out)
{
    struct srv_pubapp *pa = r->app->pub;
    struct srv_player_access acc;
    char id[SRV_WIRE_ID_MAX];
    struct taulu_buf conf;
    cJSON *mq;

    if (!pa) {
        return;
    }
    srv_pub_screen_access(pa, &acc);
    srv_screen_wire_id(screen_id, id);
    srv_pub_set_screen_secret(pa, screen_id, token);
    cJSON_AddStringToObject(out, "screen_id", id);
    cJSON_AddStringToObject(out, "server_public_key",
                            srv_pub_public_key_b64(pa));
    mq = cJSON_AddObjectToObject(out, "mqtt");
    cJSON_AddStringToObject(mq, "host", acc.mqtt_host);
    cJSON_AddNumberToObject(mq, "port", (double)acc.mqtt_port);
    cJSON_AddStringToObject(mq, "prefix", acc.mqtt_prefix);
    cJSON_AddStringToObject(mq, "user", id);
    cJSON_AddBoolToObject(mq, "tls", acc.mqtt_tls);
    taulu_buf_init(&conf, 8192);
    if (srv_pub_player_config(pa, screen_id, token, "/etc/infotaulu/server.pub",
                              "/var/lib/infotaulu/cache", &conf) == 0) {
        cJSON_AddStringToObject(out, "player_config", conf.data);
    }
    taulu_wipe(conf.data, conf.len);
    taulu_buf_release(&conf);
}

void srv_h_screen_manifest(struct srv_req *r)
{
    struct srv_pubapp *pa = r->app->pub;
    const char *authz, *tok;
    struct srv_object o = {0, 0, 0, NULL, 0};
    struct srv_pub_blob *blob = NULL;
    char etag[TAULU_SHA256_HEX_LEN + 3];
    uint8_t hash[32];
    int64_t want, sid;
    int status;

    if (!pa) {
        unavailable(r);
        return;
    }
    /* Screen authentication from memory: the 304 path touches no
     * database. A token not yet seen is checked in the store once. */
    authz = srv_req_header(r, "Authorization");
    if (!authz || strncmp(authz, "Bearer " SRV_TOKEN_SCREEN, 11) != 0 ||
        strlen(authz + 7) != SRV_TOKEN_LEN) {
        srv_reply_header(r, "WWW-Authenticate", "Bearer");
        srv_reply_error(r, 401, "unauthorized", NULL);
        return;
    }
    tok = authz + 7;
    srv_auth_secret_hash(tok, hash);
    if (srv_publisher_screen_by_token(srv_pubapp_publisher(pa), hash, &sid) !=
        0) {
        struct srv_screen s;
        int rc = srv_store_screen_by_token(r->app->store, &r->pool, hash, &s);
        if (rc == TAULU_ENOTFOUND) {
            srv_reply_header(r, "WWW-Authenticate", "Bearer");
            srv_reply_error(r, 401, "unauthorized", NULL);
            return;
        }
        if (rc != 0) {
            srv_reply_error(r, 500, "internal", NULL);
            return;
        }
        sid = s.id;
        srv_publisher_remember_token(srv_pubapp_publisher(pa), hash, sid);
    }
    r->actor.kind = SRV_ACTOR_SCREEN;
    r->actor.id = sid;
    if (srv_screen_id_parse(r->keys[0], &want) != 0) {
        srv_reply_error(r, 404, "not_found", NULL);
        return;
    }
    if (want != sid) {
        /* Another screen's manifest: a screen knows the others exist
         * (ids are not secret), so this is an honest 403, and logged. */
        srv_audit_refusal(r, "screen.self", "screen", want, NULL);
        srv_reply_error(r, 403, "forbidden", NULL);
        return;
    }
    o.id = want;
    if (srv_authorize(r, SRV_A_SCREEN_SELF, &o, "screen", want) ==
        TAULU_EANSWERED) {
        return;
    }
    status =
        srv_publisher_manifest(srv_pubapp_publisher(pa), sid,
                               srv_req_header(r, "If-None-Match"), &blob, etag);
    if (status == 404) {
        srv_reply_error(r, 404, "no_manifest_yet", NULL);
        return;
    }
    srv_reply_header(r, "ETag", etag);
    if (status == 304) {
        srv_reply_empty(r, 304);
        return;
    }
    srv_reply_text(r, 200, "application/vnd.infotaulu.manifest", blob->data,
                   blob->len);
    srv_pub_blob_unref(blob);
}

cJSON *srv_api_fit_cards_json(struct srv_req *r, const char *const *ids,
                              size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    size_t i;

    for (i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        struct srv_item it;
        char *end = NULL;
        long long id = 0;

        cJSON_AddStringToObject(o, "card", ids[i]);
        if (ids[i][0] == 'i') {
            id = strtoll(ids[i] + 1, &end, 10);
        }
        if (id > 0 && end && *end == '\0') {
            cJSON_AddNumberToObject(o, "item_id", (double)id);
            if (srv_store_item_get(r->app->store, &r->pool, id, &it) == 0 &&
                it.n_texts > 0) {
                cJSON_AddStringToObject(o, "title", it.texts[0].title);
            } else {
                cJSON_AddNullToObject(o, "title");
            }
        } else {
            cJSON_AddNullToObject(o, "item_id");
            cJSON_AddNullToObject(o, "title");
        }
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

/* A space-separated list of ids (the store's form) as JSON. */
static cJSON *list_json(struct srv_req *r, const char *list)
{
    const char *ids[TAULU_PROTO_MAX_CARD_IDS];
    char *copy = srv_pool_strdup(&r->pool, list ? list : "");
    size_t n = 0;
    char *p = copy;

    while (*p && n < TAULU_PROTO_MAX_CARD_IDS) {
        size_t k = strcspn(p, " ");
        if (k > 0) {
            ids[n++] = p;
        }
        p += k;
        if (*p) {
            *p++ = '\0';
        }
    }
    return srv_api_fit_cards_json(r, ids, n);
}

static void add_profile(cJSON *o, const char *name, int w, int h, double diag,
                        double dist)
{
    cJSON *p;

    if (w <= 0 || h <= 0) {
        cJSON_AddNullToObject(o, name);
        return;
    }
    p = cJSON_AddObjectToObject(o, name);
    cJSON_AddNumberToObject(p, "width_px", w);
    cJSON_AddNumberToObject(p, "height_px", h);
    cJSON_AddStringToObject(p, "orientation", h > w ? "portrait" : "landscape");
    cJSON_AddNumberToObject(p, "diagonal_in", diag);
    cJSON_AddNumberToObject(p, "viewing_distance_m", dist);
}

void srv_api_add_screen_fit(struct srv_req *r, cJSON *o,
                            const struct srv_screen *s)
{
    add_profile(o, "reported_profile", s->reported_width_px,
                s->reported_height_px, s->reported_diagonal_in,
                s->reported_distance_m);
    cJSON_AddItemToObject(o, "unplaced", list_json(r, s->unplaced));
    cJSON_AddItemToObject(o, "paged", list_json(r, s->paged));
}

/* The status's card lists as JSON. */
static void add_status_fit(struct srv_req *r, cJSON *o,
                           const struct srv_pub_status *st)
{
    const char *ids[TAULU_PROTO_MAX_CARD_IDS];
    size_t i;

    if (st->has_profile) {
        add_profile(o, "reported_profile", st->profile.width_px,
                    st->profile.height_px, st->profile.diagonal_in_x10 / 10.0,
                    st->profile.distance_mm / 1000.0);
    } else {
        cJSON_AddNullToObject(o, "reported_profile");
    }
    for (i = 0; i < st->n_unplaced; i++) {
        ids[i] = st->unplaced[i];
    }
    cJSON_AddItemToObject(o, "unplaced",
                          srv_api_fit_cards_json(r, ids, st->n_unplaced));
    for (i = 0; i < st->n_paged; i++) {
        ids[i] = st->paged[i];
    }
    cJSON_AddItemToObject(o, "paged",
                          srv_api_fit_cards_json(r, ids, st->n_paged));
    /* The loop as the screen runs it: its length, everything current in
     * one pass, and the cards taking turns (turns 0: every card in every
     * loop), window of them a loop. */
    if (st->has_loop) {
        cJSON *l = cJSON_AddObjectToObject(o, "loop");
        cJSON_AddNumberToObject(l, "seconds", st->loop_s);
        cJSON_AddNumberToObject(l, "all_seconds", st->loop_all_s);
        cJSON_AddNumberToObject(l, "turns", st->loop_turns);
        cJSON_AddNumberToObject(l, "window", st->loop_window);
    } else {
        cJSON_AddNullToObject(o, "loop");
    }
}

static cJSON *view_json(struct srv_req *r, const struct srv_pub_view *v)
{
    cJSON *o = cJSON_CreateObject();
    char id[SRV_WIRE_ID_MAX];

    srv_screen_wire_id(v->screen_id, id);
    cJSON_AddNumberToObject(o, "id", (double)v->screen_id);
    cJSON_AddStringToObject(o, "screen_id", id);
    cJSON_AddNumberToObject(o, "centre_id", (double)v->centre_id);
    cJSON_AddNumberToObject(o, "seq", (double)v->seq);
    cJSON_AddStringToObject(o, "sha256", v->sha256);
    cJSON_AddBoolToObject(o, "online", v->status.online);
    srv_json_add_time(o, "last_seen", v->status.last_seen);
    if (v->status.has_seq) {
        cJSON_AddNumberToObject(o, "applied_seq",
                                (double)v->status.applied_seq);
    } else {
        cJSON_AddNullToObject(o, "applied_seq");
    }
    cJSON_AddBoolToObject(o, "live", v->live);
    cJSON_AddBoolToObject(o, "centre_open", v->is_open);
    cJSON_AddBoolToObject(o, "alarm", v->alarm);
    cJSON_AddNumberToObject(o, "alerts", (double)v->alerts);
    cJSON_AddNumberToObject(o, "alerts_acknowledged", (double)v->acked_alerts);
    if (v->status.error[0]) {
        cJSON_AddStringToObject(o, "error", v->status.error);
    }
    add_status_fit(r, o, &v->status);
    /* the display: "off" is on purpose, outside opening hours */
    if (v->status.display == TAULU_DISPLAY_ON ||
        v->status.display == TAULU_DISPLAY_DARK ||
        v->status.display == TAULU_DISPLAY_OFF) {
        static const char *const words[] = {"", "on", "dark", "off"};
        cJSON_AddStringToObject(o, "display", words[v->status.display]);
    }
    return o;
}

void srv_h_screen_status(struct srv_req *r)
{
    struct srv_pubapp *pa = r->app->pub;
    struct srv_object o = {0, 0, 0, NULL, 0};
    struct srv_pub_view v;

    if (!pa) {
        unavailable(r);
        return;
    }
    if (srv_publisher_view(srv_pubapp_publisher(pa), r->params[0], &v) != 0) {
        srv_reply_error(r, 404, "not_found", NULL);
        return;
    }
    o.id = v.screen_id;
    o.centre_id = v.centre_id;
    if (srv_authorize(r, SRV_A_SCREEN_READ, &o, "screen", v.screen_id) ==
        TAULU_EANSWERED) {
        return;
    }
    srv_reply_json(r, 200, view_json(r, &v));
}

/* What the publisher had to leave out of a centre's manifests, and why:
 * [{"item_id", "placement_id", "reason"} | {"alert_id", "reason"}]. */
static void add_unpublished(cJSON *out, struct srv_pubapp *pa, int64_t cid)
{
    struct srv_manifest_refusal x[64];
    cJSON *arr = cJSON_AddArrayToObject(out, "unpublished");
    size_t n, i;

    n = srv_publisher_refusals(srv_pubapp_publisher(pa), cid, 0, x,
                               sizeof x / sizeof x[0]);
    for (i = 0; i < n && i < sizeof x / sizeof x[0]; i++) {
        cJSON *o = cJSON_CreateObject();
        if (x[i].alert) {
            cJSON_AddNumberToObject(o, "alert_id", (double)x[i].id);
        } else {
            cJSON_AddNumberToObject(o, "item_id", (double)x[i].id);
            cJSON_AddNumberToObject(o, "placement_id",
                                    (double)x[i].placement_id);
        }
        cJSON_AddStringToObject(o, "reason", x[i].reason);
        cJSON_AddItemToArray(arr, o);
    }
    cJSON_AddNumberToObject(out, "unpublished_count", (double)n);
}

void srv_h_centre_live(struct srv_req *r)
{
    struct srv_pubapp *pa = r->app->pub;
    struct srv_object o = {0, 0, 0, NULL, 0};
    struct srv_scope scope = {false, NULL, 1};
    struct srv_screen *s = NULL;
    struct srv_centre c;
    int64_t cid = r->params[0];
    size_t n = 0, i, acked_all = 0, alerts = 0;
    int live, total, alarms = 0, rc;
    cJSON *out, *arr;

    if (!pa) {
        unavailable(r);
        return;
    }
    o.id = cid;
    o.centre_id = cid;
    if (srv_authorize(r, SRV_A_SCREEN_READ, &o, "centre", cid) ==
        TAULU_EANSWERED) {
        return;
    }
    /* A centre that does not exist has no live status (a coordinator may
     * read any centre's, so the policy alone said yes). */
    rc = srv_store_centre_get(r->app->store, &r->pool, cid, &c);
    if (rc == TAULU_ENOTFOUND) {
        srv_reply_error(r, 404, "not_found", NULL);
        return;
    }
    if (rc != 0) {
        srv_api_store_error(r, rc);
        return;
    }
    scope.ids = &cid;
    if (srv_store_screen_list(r->app->store, &r->pool, &scope, &s, &n) != 0) {
        srv_reply_error(r, 500, "internal", NULL);
        return;
    }
    srv_publisher_live(srv_pubapp_publisher(pa), cid, 0, &live, &total);
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "centre_id", (double)cid);
    arr = cJSON_AddArrayToObject(out, "screens");
    for (i = 0; i < n; i++) {
        struct srv_pub_view v;
        cJSON *j;
        if (srv_publisher_view(srv_pubapp_publisher(pa), s[i].id, &v) != 0) {
            continue;
        }
        j = view_json(r, &v);
        cJSON_AddStringToObject(j, "name", s[i].name);
        cJSON_AddItemToArray(arr, j);
        alarms += v.alarm;
        alerts = v.alerts;
        acked_all += v.alerts > 0 && v.acked_alerts == v.alerts;
    }
    cJSON_AddNumberToObject(out, "live", live);
    cJSON_AddNumberToObject(out, "total", total);
    cJSON_AddNumberToObject(out, "alarms", alarms);
    cJSON_AddNumberToObject(out, "alerts", (double)alerts);
    /* "acknowledged by 3/3": screens that showed every current alert. */
    cJSON_AddNumberToObject(out, "alerts_acknowledged_by", (double)acked_all);
    add_unpublished(out, pa, cid);
    srv_reply_json(r, 200, out);
}

void srv_h_item_live(struct srv_req *r)
{
    struct srv_pubapp *pa = r->app->pub;
    struct srv_object o = {0, 0, 0, NULL, 0};
    struct srv_item it;
    int64_t *centres;
    size_t i;
    cJSON *out, *arr;
    int rc;

    if (!pa) {
        unavailable(r);
        return;
    }
    rc = srv_store_item_get(r->app->store, &r->pool, r->params[0], &it);
    if (rc != 0) {
        srv_api_store_error(r, rc);
        return;
    }
    centres = srv_pool_alloc(&r->pool, sizeof *centres * (it.n_placements + 1));
    for (i = 0; i < it.n_placements; i++) {
        centres[i] = it.placements[i].centre_id;
    }
    o.id = it.id;
    o.org_id = it.org_id;
    o.centres = centres;
    o.n_centres = it.n_placements;
    if (srv_authorize(r, SRV_A_ITEM_READ, &o, "item", it.id) ==
        TAULU_EANSWERED) {
        return;
    }
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "item_id", (double)it.id);
    arr = cJSON_AddArrayToObject(out, "centres");
    for (i = 0; i < it.n_placements; i++) {
        const struct srv_placement *p = &it.placements[i];
        struct srv_object po = {p->id, p->org_id, p->centre_id, NULL, 0};
        struct srv_centre c;
        int live, total;
        cJSON *j;

        if (!srv_can(&r->actor, SRV_A_PLACEMENT_READ, &po)) {
            continue;
        }
        srv_publisher_live(srv_pubapp_publisher(pa), p->centre_id, it.id, &live,
                           &total);
        j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "centre_id", (double)p->centre_id);
        if (srv_store_centre_get(r->app->store, &r->pool, p->centre_id, &c) ==
            0) {
            cJSON_AddStringToObject(j, "centre", c.name);
        }
        cJSON_AddStringToObject(j, "state", srv_placement_state_name(p->state));
        cJSON_AddNumberToObject(j, "live", live);
        cJSON_AddNumberToObject(j, "total", total);
        {
            struct srv_manifest_refusal x;
            if (p->state == SRV_PL_APPROVED &&
                srv_publisher_refusals(srv_pubapp_publisher(pa), p->centre_id,
                                       it.id, &x, 1) > 0) {
                cJSON_AddStringToObject(j, "publish_error", x.reason);
            } else {
                cJSON_AddNullToObject(j, "publish_error");
            }
        }
        cJSON_AddItemToArray(arr, j);
    }
    srv_reply_json(r, 200, out);
}
