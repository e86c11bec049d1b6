/*
 * srv_api_enrol.c: screens into the field: enrolment of a new player by a
 * code on its screen (POST /enrol, GET /enrol/{session}, POST
 * /enrol/bind), and many screen records at once from a spreadsheet (POST
 * /screens/import). The sessions are srv_enrol.h's; what a screen is
 * given comes from the publishing side (srv_pubapp.h).
 *
 * The exchange (docs/protocol.md, "Enrolment"):
 *   player -> POST /enrol {"key": hex sha256 of its secret}
 *          <- 201 {"session", "code", "expires_at", "poll_s"}
 *   coordinator -> POST /enrol/bind {"code", "screen_id"}   (signed in)
 *   player -> GET /enrol/{session}, Authorization: Bearer <secret>
 *          <- 200 {"state": "pending"} ... until bound, then once
 *          <- 200 {"state": "enrolled", "screen_id", "token", ...}
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_api.h"
#include "srv_auth.h"
#include "srv_enrol.h"
#include "srv_pubapp.h"
#include "srv_manifest.h"
#include "srv_screen_csv.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_time.h"

#define TAG "enrol"

/* Seconds between a player's polls (it may poll faster; the answer is
 * cheap: memory only until the session is bound). */
#define ENROL_POLL_S 2

static int64_t mono_s(void)
{
    return srv_monotonic_us() / 1000000;
}

static void retry_after(struct srv_req *r, int64_t s)
{
    char v[24];

    snprintf(v, sizeof v, "%lld", (long long)(s > 0 ? s : 1));
    srv_reply_header(r, "Retry-After", v);
}

void srv_h_enrol_open(struct srv_req *r)
{
    static const char *const keys[] = {"key", NULL};
    struct srv_app *app = r->app;
    cJSON *in = NULL, *out;
    struct srv_verr e;
    const char *key;
    uint8_t key_hash[32];
    char session[SRV_ENROL_SESSION_HEX + 1], code[SRV_ENROL_CODE_LEN + 1];
    char shown[SRV_ENROL_CODE_SHOWN + 1], ip_key[80];
    int64_t expires, wait;
    int rc;

    if (!app->enrol || !app->pub) {
        srv_reply_error(r, 503, "publishing_unavailable", NULL);
        return;
    }
    snprintf(ip_key, sizeof ip_key, "e:%s", r->client_ip);
    /* Every session opened counts against the address, so that one
     * client cannot fill the table; checked and counted in one step. A
     * refusal is tallied, not written one row each: this route is public,
     * and a flood must not fill the audit log. */
    wait = srv_ratelimit_begin(app->rl_enrol_ip, ip_key, mono_s());
    if (wait > 0) {
        retry_after(r, wait);
        srv_api_refusal_counted(r, srv_reason_enrol_limited);
        srv_reply_error(r, 429, "rate_limited", NULL);
        return;
    }
    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    if (srv_json_keys(in, keys, "", &e) < 0 ||
        srv_json_str(in, "key", true, 64, 64, "", "", &key, &e) < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    if (taulu_hex_decode(key, key_hash, sizeof key_hash) != 0) {
        srv_reply_error(r, 400, "invalid_value", "key");
        goto out;
    }
    rc = srv_enrol_open(app->enrol, key_hash, r->client_ip, taulu_now(),
                        session, code, &expires);
    if (rc == TAULU_ECONFLICT) {
        srv_reply_error(r, 409, "conflict", "key");
        goto out;
    }
    if (rc == TAULU_ELIMIT) {
        retry_after(r, 60);
        srv_reply_error(r, 503, "enrol_busy", NULL);
        goto out;
    }
    if (rc < 0) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    srv_enrol_code_show(code, shown);
    taulu_info(TAG, "enrolment session opened from %s, code %s", r->client_ip,
               shown);
    out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "session", session);
    cJSON_AddStringToObject(out, "code", shown);
    srv_json_add_time(out, "expires_at", expires);
    cJSON_AddNumberToObject(out, "poll_s", ENROL_POLL_S);
    srv_reply_json(r, 201, out);
out:
    cJSON_Delete(in);
}

/* The enrolled screen's answer: everything it needs to sync, once. */
static cJSON *enrolled_json(struct srv_req *r, const struct srv_screen *s,
                            const char *token)
{
    struct srv_player_access acc;
    char wire[SRV_WIRE_ID_MAX];
    cJSON *out = cJSON_CreateObject(), *mq, *prof;

    srv_pub_screen_access(r->app->pub, &acc);
    srv_screen_wire_id(s->id, wire);
    cJSON_AddStringToObject(out, "state", "enrolled");
    cJSON_AddStringToObject(out, "screen_id", wire);
    cJSON_AddStringToObject(out, "token", token);
    cJSON_AddStringToObject(out, "name", s->name);
    cJSON_AddNumberToObject(out, "centre_id", (double)s->centre_id);
    cJSON_AddStringToObject(out, "server_url", acc.server_url);
    cJSON_AddStringToObject(out, "server_public_key", acc.public_key_b64);
    mq = cJSON_AddObjectToObject(out, "mqtt");
    cJSON_AddStringToObject(mq, "host", acc.mqtt_host);
    cJSON_AddNumberToObject(mq, "port", (double)acc.mqtt_port);
    cJSON_AddStringToObject(mq, "prefix", acc.mqtt_prefix);
    cJSON_AddBoolToObject(mq, "tls", acc.mqtt_tls);
    if (acc.mqtt_ca_pem[0]) {
        cJSON_AddStringToObject(mq, "ca_pem", acc.mqtt_ca_pem);
    }
    prof = cJSON_AddObjectToObject(out, "profile");
    cJSON_AddNumberToObject(prof, "width_px", s->width_px);
    cJSON_AddNumberToObject(prof, "height_px", s->height_px);
    cJSON_AddStringToObject(prof, "orientation", s->orientation);
    cJSON_AddNumberToObject(prof, "diagonal_in", s->diagonal_in);
    cJSON_AddNumberToObject(prof, "viewing_distance_m", s->viewing_distance_m);
    return out;
}

void srv_h_enrol_poll(struct srv_req *r)
{
    struct srv_app *app = r->app;
    const char *authz = srv_req_header(r, "Authorization");
    enum srv_enrol_state state;
    int64_t screen_id, bound_by, expires;
    uint8_t hash[32], tok_hash[32];
    char tok[SRV_TOKEN_LEN + 1];
    struct srv_screen s;
    cJSON *out;
    int rc;

    if (!app->enrol || !app->pub) {
        srv_reply_error(r, 503, "publishing_unavailable", NULL);
        return;
    }
    if (!authz || strncmp(authz, "Bearer ", 7) != 0 ||
        strlen(authz + 7) != SRV_SECRET_HEX) {
        srv_reply_header(r, "WWW-Authenticate", "Bearer");
        srv_reply_error(r, 401, "unauthorized", NULL);
        return;
    }
    srv_auth_secret_hash(authz + 7, hash);
    rc = srv_enrol_claim(app->enrol, r->keys[0], hash, taulu_now(), &state,
                         &screen_id, &bound_by, &expires);
    if (rc < 0) {
        /* Unknown, expired, already claimed or the wrong secret: one
         * answer. The player opens a new session. */
        srv_reply_error(r, 404, "enrol_expired", NULL);
        return;
    }
    if (state == SRV_ENROL_PENDING) {
        out = cJSON_CreateObject();
        cJSON_AddStringToObject(out, "state", "pending");
        srv_json_add_time(out, "expires_at", expires);
        cJSON_AddNumberToObject(out, "poll_s", ENROL_POLL_S);
        srv_reply_json(r, 200, out);
        return;
    }
    /* Bound and now claimed: a new token, made here and shown only in
     * this answer (the store keeps its hash, the broker a PBKDF2 hash);
     * the screen's earlier token, if any, stops working. */
    srv_auth_new_secret(SRV_TOKEN_SCREEN, tok, sizeof tok, tok_hash);
    rc = srv_store_screen_set_token(app->store, bound_by, screen_id, tok_hash);
    if (rc == 0) {
        rc = srv_store_screen_get(app->store, &r->pool, screen_id, &s);
    }
    if (rc == 0) {
        rc = srv_pub_set_screen_secret(app->pub, screen_id, tok);
    }
    if (rc == TAULU_ENOTFOUND) {
        taulu_wipe(tok, sizeof tok);
        srv_reply_error(r, 404, "enrol_expired", NULL);
        return;
    }
    if (rc < 0) {
        taulu_wipe(tok, sizeof tok);
        srv_reply_error(r, 500, "internal", NULL);
        return;
    }
    taulu_notice(TAG, "screen-%lld enrolled from %s (bound by user %lld)",
                 (long long)screen_id, r->client_ip, (long long)bound_by);
    if (!srv_pubapp_options(app->pub)->public_url[0]) {
        taulu_warn(TAG,
                   "public_url is not set: screen-%lld was given this "
                   "server's own address; set public_url to the address "
                   "the screens reach",
                   (long long)screen_id);
    }
    srv_reply_json(r, 200, enrolled_json(r, &s, tok));
    taulu_wipe(tok, sizeof tok);
}

void srv_h_enrol_bind(struct srv_req *r)
{
    static const char *const keys[] = {"code", "screen_id", NULL};
    struct srv_app *app = r->app;
    cJSON *in = NULL, *out;
    struct srv_verr e;
    const char *code_in;
    char code[SRV_ENROL_CODE_LEN + 1], user_key[40], ip_key[80];
    char details[128];
    int64_t screen_id = 0, now = mono_s(), wait;
    struct srv_screen s;
    bool guessed = false;
    int rc;

    if (!app->enrol || !app->pub) {
        srv_reply_error(r, 503, "publishing_unavailable", NULL);
        return;
    }
    snprintf(user_key, sizeof user_key, "u:%lld", (long long)r->user.id);
    snprintf(ip_key, sizeof ip_key, "i:%s", r->client_ip);
    /* A bind is counted as a failed guess before it is tried, per
     * coordinator and per address in one step each (a parallel burst gets
     * exactly the limit's worth of guesses), and taken back unless the
     * code was a wrong guess. */
    wait = srv_ratelimit_begin(app->rl_bind, user_key, now);
    if (wait == 0) {
        wait = srv_ratelimit_begin(app->rl_bind, ip_key, now);
        if (wait > 0) {
            srv_ratelimit_undo(app->rl_bind, user_key);
        }
    }
    if (wait > 0) {
        retry_after(r, wait);
        srv_audit_refusal(r, "screen.bind", "screen", 0,
                          "{\"reason\":\"rate_limited\"}");
        srv_reply_error(r, 429, "rate_limited", NULL);
        return;
    }
    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        goto out;
    }
    if (srv_json_keys(in, keys, "", &e) < 0 ||
        srv_json_str(in, "code", true, 1, 32, "", "", &code_in, &e) < 0 ||
        srv_json_int(in, "screen_id", true, 1, INT64_MAX / 2, "", &screen_id,
                     &e) < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    rc = srv_store_screen_get(app->store, &r->pool, screen_id, &s);
    if (rc == TAULU_ENOTFOUND) {
        srv_reply_error(r, 400, "invalid_reference", "screen_id");
        goto out;
    }
    if (rc < 0) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    if (srv_enrol_code_normalise(code_in, code) < 0) {
        rc = TAULU_ENOTFOUND; /* a guess like any other */
    } else {
        rc = srv_enrol_bind(app->enrol, code, screen_id, r->user.id,
                            taulu_now(), NULL);
    }
    if (rc == TAULU_ENOTFOUND) {
        guessed = true; /* stays counted */
        srv_audit_refusal(r, "screen.bind", "screen", screen_id,
                          "{\"reason\":\"unknown_code\"}");
        srv_reply_error(r, 404, "enrol_code_unknown", "code");
        goto out;
    }
    if (rc == TAULU_ECONFLICT) {
        srv_reply_error(r, 409, "conflict", "code");
        goto out;
    }
    {
        struct srv_audit a;

        memset(&a, 0, sizeof a);
        a.actor_kind = SRV_ACTOR_USER;
        a.actor_id = r->user.id;
        a.action = "screen.bind";
        a.object_type = "screen";
        a.object_id = screen_id;
        snprintf(details, sizeof details, "{\"ip\":\"%s\"}", r->client_ip);
        a.details = details;
        srv_store_audit_add(app->store, &a);
    }
    taulu_info(TAG, "code bound to screen-%lld by user %lld",
               (long long)screen_id, (long long)r->user.id);
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "screen_id", (double)screen_id);
    cJSON_AddStringToObject(out, "name", s.name);
    cJSON_AddNumberToObject(out, "centre_id", (double)s.centre_id);
    srv_reply_json(r, 200, out);
out:
    if (!guessed) {
        srv_ratelimit_undo(app->rl_bind, user_key);
        srv_ratelimit_undo(app->rl_bind, ip_key);
    }
    cJSON_Delete(in);
}

/* ------------------------------------------------------------------ */
/* Import */

static void csv_error(struct srv_req *r, int status, unsigned line,
                      const char *column, const char *code)
{
    char field[80];

    if (line > 0 && column) {
        snprintf(field, sizeof field, "line %u: %s", line, column);
    } else if (line > 0) {
        snprintf(field, sizeof field, "line %u", line);
    } else {
        snprintf(field, sizeof field, "file");
    }
    srv_reply_error(r, status, code, field);
}

static bool same_ci(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z') {
            x = (char)(x - 'A' + 'a');
        }
        if (y >= 'A' && y <= 'Z') {
            y = (char)(y - 'A' + 'a');
        }
        if (x != y) {
            return false;
        }
    }
    return *a == *b;
}

/* The centre a row names: by name (case-insensitively in ASCII), or by
 * id. 0 if none. */
static int64_t find_centre(const struct srv_centre *c, size_t n,
                           const char *name)
{
    char *end;
    long long id = strtoll(name, &end, 10);

    for (size_t i = 0; i < n; i++) {
        if (same_ci(c[i].name, name) || (*end == '\0' && id == c[i].id)) {
            return c[i].id;
        }
    }
    return 0;
}

void srv_h_screen_import(struct srv_req *r)
{
    const char *ctype = srv_req_header(r, "Content-Type");
    struct srv_screen_row *rows = NULL;
    struct srv_screen *sc = NULL;
    uint8_t(*hashes)[32] = NULL;
    int64_t *ids = NULL;
    struct srv_centre *centres = NULL;
    struct srv_csv_error err;
    size_t n = 0, nc = 0, bad = 0, i, k;
    cJSON *out, *arr;
    int rc;

    if (!ctype || (strncasecmp(ctype, "text/csv", 8) != 0 &&
                   strncasecmp(ctype, "text/plain", 10) != 0)) {
        srv_reply_error(r, 415, "unsupported_media_type", NULL);
        return;
    }
    rc = srv_screen_csv_parse(r->body.data, r->body.len, &rows, &n, &err);
    if (rc == TAULU_ENOMEM) {
        srv_reply_error(r, 500, "internal", NULL);
        return;
    }
    if (rc < 0) {
        csv_error(r, 400, err.line, err.column, err.code);
        return;
    }
    if (srv_store_centre_list(r->app->store, &r->pool, &centres, &nc) != 0) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    sc = calloc(n, sizeof *sc);
    hashes = calloc(n, sizeof *hashes);
    ids = calloc(n, sizeof *ids);
    if (!sc || !hashes || !ids) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    for (i = 0; i < n; i++) {
        sc[i].centre_id = find_centre(centres, nc, rows[i].centre);
        if (!sc[i].centre_id) {
            csv_error(r, 400, rows[i].line, "centre", "invalid_reference");
            goto out;
        }
        for (k = 0; k < i; k++) {
            if (sc[k].centre_id == sc[i].centre_id &&
                strcmp(rows[k].name, rows[i].name) == 0) {
                csv_error(r, 400, rows[i].line, "name", "duplicate_value");
                goto out;
            }
        }
        sc[i].name = rows[i].name;
        sc[i].orientation = rows[i].orientation;
        sc[i].width_px = rows[i].width_px;
        sc[i].height_px = rows[i].height_px;
        sc[i].diagonal_in = rows[i].diagonal_in;
        sc[i].viewing_distance_m = rows[i].distance_m;
        /* A token nobody knows: the screen gets its real one when it is
         * enrolled by its code. */
        taulu_random_bytes(hashes[i], sizeof hashes[i]);
    }
    rc = srv_store_screen_create_many(r->app->store, r->user.id, sc, n,
                                      (const uint8_t(*)[32])hashes, ids, &bad);
    if (rc == TAULU_ECONFLICT) {
        csv_error(r, 409, rows[bad].line, "name", "conflict");
        goto out;
    }
    if (rc == TAULU_EREFERENCED) {
        csv_error(r, 400, rows[bad].line, "centre", "invalid_reference");
        goto out;
    }
    if (rc < 0) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    srv_pub_screens_changed(r->app->pub, 0);
    taulu_info(TAG, "%zu screens imported by user %lld", n,
               (long long)r->user.id);
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "count", (double)n);
    arr = cJSON_AddArrayToObject(out, "screens");
    for (i = 0; i < n; i++) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "id", (double)ids[i]);
        cJSON_AddStringToObject(j, "name", sc[i].name);
        cJSON_AddNumberToObject(j, "centre_id", (double)sc[i].centre_id);
        cJSON_AddNumberToObject(j, "line", rows[i].line);
        cJSON_AddItemToArray(arr, j);
    }
    srv_reply_json(r, 201, out);
out:
    free(rows);
    free(sc);
    free(hashes);
    free(ids);
}
