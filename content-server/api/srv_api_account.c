/*
 * srv_api_account.c: accounts that look after themselves: one's own
 * settings and password, "forgot my password", the set-password links of
 * invitations and resets, and the coordinator's invitations and forced
 * resets (docs/api.md, "Accounts").
 *
 * Secrets of links arrive only in request bodies (the link's page reads
 * them from the URL's fragment, which no browser sends), are hashed at
 * once and never logged. "Forgot my password" answers the same, after
 * the same work, whether or not the address is an account's: the request
 * is only queued, and the mailer finds out later.
 */
#include <stdio.h>
#include <string.h>

#include "srv_api.h"
#include "srv_domain.h"
#include "srv_mailer.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_time.h"

#define TAG "api"

/* "prefix" + the address in lower case, the rate limiters' key. */
static void address_key(const char *prefix, const char *email, char *out,
                        size_t size)
{
    char *p;

    snprintf(out, size, "%s%s", prefix, email);
    for (p = out; *p; p++) {
        if (*p >= 'A' && *p <= 'Z') {
            *p = (char)(*p - 'A' + 'a');
        }
    }
}

/* 429 with Retry-After. */
static void too_many(struct srv_req *r, int64_t wait, const char *code)
{
    char retry[24];

    snprintf(retry, sizeof(retry), "%lld", (long long)wait);
    srv_reply_header(r, "Retry-After", retry);
    srv_reply_error(r, 429, code, NULL);
}

/* ------------------------------------------------------------------ */
/* One's own account */

void srv_h_me_update(struct srv_req *r)
{
    static const char *const keys[] = {"lang", "notify", NULL};
    static const char *const langs[] = {"fi", "sv", "en", NULL};
    cJSON *in = NULL, *out;
    struct srv_verr e;
    const char *lang = NULL;
    bool notify = true;
    struct srv_user u;
    int rc;

    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    if (srv_json_keys(in, keys, "", &e) < 0 ||
        srv_json_enum(in, "lang", false, langs, "", &lang, &e) < 0 ||
        srv_json_bool(in, "notify", false, "", &notify, &e) < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    rc = srv_store_user_set_prefs(
        r->app->store, r->user.id, lang,
        cJSON_GetObjectItemCaseSensitive(in, "notify") ? (int)notify : -1);
    if (!rc) {
        rc = srv_store_user_get(r->app->store, &r->pool, r->user.id, &u);
    }
    if (rc) {
        srv_api_store_error(r, rc);
        goto out;
    }
    out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "user", srv_api_user_json(&u));
    srv_reply_json(r, 200, out);
out:
    cJSON_Delete(in);
}

void srv_h_me_password(struct srv_req *r)
{
    static const char *const keys[] = {"current_password", "new_password",
                                       NULL};
    cJSON *in = NULL;
    struct srv_verr e;
    const char *current, *fresh, *pwhash = NULL;
    char key[300], hash[SRV_PWHASH_STRLEN];
    struct srv_user u;
    int64_t now = srv_monotonic_us() / 1000000, wait;
    int rc;

    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    if (srv_json_keys(in, keys, "", &e) < 0 ||
        srv_json_str(in, "current_password", true, 1, SRV_PASSWORD_MAX, "", "",
                     &current, &e) < 0 ||
        srv_json_str(in, "new_password", true, 1, SRV_PASSWORD_MAX, "", "",
                     &fresh, &e) < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    if (!srv_auth_password_ok(fresh)) {
        srv_reply_error(r, 400, "weak_password", "new_password");
        goto out;
    }
    /* Guessing the current password here counts as failed logins of
     * the account: the same limiter, the same key. */
    address_key("a:", r->user.email, key, sizeof(key));
    /* checked and counted in one step, before the slow hash */
    wait = srv_ratelimit_begin(r->app->rl_account, key, now);
    if (wait > 0) {
        too_many(r, wait, "rate_limited");
        goto out;
    }
    rc = srv_store_user_by_email(r->app->store, &r->pool, r->user.email, &u,
                                 &pwhash);
    if (rc) {
        srv_api_store_error(r, rc);
        goto out;
    }
    if (srv_auth_verify_password(pwhash && *pwhash ? pwhash : NULL, current,
                                 NULL) != 0) {
        srv_audit_refusal(r, "user.password", "user", r->user.id,
                          "{\"reason\":\"wrong_password\"}");
        srv_reply_error(r, 400, "wrong_password", "current_password");
        goto out;
    }
    /* the account's own password: its count is forgotten, as at a
     * sign-in */
    srv_ratelimit_clear(r->app->rl_account, key);
    if (srv_auth_hash_password(fresh, hash) != 0) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    /* The other sessions end; this one goes on. */
    rc = srv_store_user_change_password(r->app->store, r->user.id, hash,
                                        r->via_cookie ? r->session_hash : NULL);
    taulu_wipe(hash, sizeof(hash));
    if (rc) {
        srv_api_store_error(r, rc);
        goto out;
    }
    taulu_info(TAG, "user %lld changed their password", (long long)r->user.id);
    srv_reply_empty(r, 204);
out:
    cJSON_Delete(in);
}

/* ------------------------------------------------------------------ */
/* Forgot password, set-password links (anyone) */

void srv_h_password_forgot(struct srv_req *r)
{
    static const char *const keys[] = {"email", NULL};
    cJSON *in = NULL;
    struct srv_verr e;
    const char *email;
    char akey[300], ikey[80];
    int64_t now = srv_monotonic_us() / 1000000, wait, w2;
    int rc;

    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    if (srv_json_keys(in, keys, "", &e) < 0 ||
        srv_json_str(in, "email", true, 3, 254, "", "", &email, &e) < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    if (!srv_email_valid(email)) {
        srv_reply_error(r, 400, "invalid_value", "email");
        goto out;
    }
    /* Every request counts, known address or not: the limits say nothing
     * about which addresses are accounts. */
    address_key("r:", email, akey, sizeof(akey));
    snprintf(ikey, sizeof(ikey), "i:%s", r->client_group);
    /* checked and counted in one step each (srv_auth.h) */
    wait = srv_ratelimit_begin(r->app->rl_reset_account, akey, now);
    if (wait == 0) {
        w2 = srv_ratelimit_begin(r->app->rl_reset_ip, ikey, now);
        if (w2 > 0) {
            srv_ratelimit_undo(r->app->rl_reset_account, akey);
            wait = w2;
        }
    }
    if (wait > 0) {
        /* counted per address and minute, not a row per request: an
         * anonymous flood must not grow the audit log */
        srv_api_refusal_counted(r, srv_reason_reset_limited);
        too_many(r, wait, "reset_limited");
        goto out;
    }
    rc = srv_store_reset_request(r->app->store, email);
    if (rc && rc != TAULU_ELIMIT) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    /* A full queue is logged by the store; the answer stays the same. */
    srv_reply_json(r, 202, cJSON_CreateObject());
out:
    cJSON_Delete(in);
}

/* The token of a link body: 64 hex digits, hashed into `hash`. 0, or
 * answered (400 for a malformed body, 404 link_invalid for a token that
 * cannot be one, counted as a failure of the client) and
 * TAULU_EANSWERED. */
static int read_token(struct srv_req *r, cJSON *in, const char *const *keys,
                      uint8_t hash[32])
{
    struct srv_verr e;
    const char *token, *p;
    char ikey[80];
    int64_t now = srv_monotonic_us() / 1000000, wait;

    if (srv_json_keys(in, keys, "", &e) < 0 ||
        srv_json_str(in, "token", true, 1, 200, "", "", &token, &e) < 0) {
        srv_reply_verr(r, &e);
        return TAULU_EANSWERED;
    }
    snprintf(ikey, sizeof(ikey), "i:%s", r->client_group);
    wait = srv_ratelimit_wait(r->app->rl_link_ip, ikey, now);
    if (wait > 0) {
        too_many(r, wait, "rate_limited");
        return TAULU_EANSWERED;
    }
    for (p = token; *p; p++) {
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) {
            break;
        }
    }
    if (*p || p - token != SRV_SECRET_HEX) {
        (void)srv_ratelimit_begin(r->app->rl_link_ip, ikey, now);
        srv_reply_error(r, 404, "link_invalid", "token");
        return TAULU_EANSWERED;
    }
    srv_auth_secret_hash(token, hash);
    return 0;
}

/* An unknown, used or expired link: counted against the client. */
static void link_invalid(struct srv_req *r)
{
    char ikey[80];

    snprintf(ikey, sizeof(ikey), "i:%s", r->client_group);
    (void)srv_ratelimit_begin(r->app->rl_link_ip, ikey,
                              srv_monotonic_us() / 1000000);
    srv_reply_error(r, 404, "link_invalid", "token");
}

void srv_h_password_link(struct srv_req *r)
{
    static const char *const keys[] = {"token", NULL};
    cJSON *in = NULL, *out;
    struct srv_link l;
    uint8_t hash[32];
    int rc;

    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    if (read_token(r, in, keys, hash) == TAULU_EANSWERED) {
        goto out;
    }
    rc = srv_store_link_get(r->app->store, &r->pool, hash, taulu_now(), &l);
    if (rc == TAULU_ENOTFOUND) {
        link_invalid(r);
        goto out;
    }
    if (rc) {
        srv_api_store_error(r, rc);
        goto out;
    }
    out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "purpose", l.purpose);
    cJSON_AddStringToObject(out, "email", l.email);
    cJSON_AddStringToObject(out, "name", l.name);
    srv_json_add_time(out, "expires_at", l.expires_at);
    srv_reply_json(r, 200, out);
out:
    cJSON_Delete(in);
}

void srv_h_password_set(struct srv_req *r)
{
    static const char *const keys[] = {"token", "password", NULL};
    cJSON *in = NULL, *out;
    struct srv_verr e;
    struct srv_link l;
    const char *password;
    char pwhash[SRV_PWHASH_STRLEN];
    uint8_t hash[32];
    int64_t uid = 0;
    int rc;

    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    if (read_token(r, in, keys, hash) == TAULU_EANSWERED) {
        goto out;
    }
    if (srv_json_str(in, "password", true, 1, SRV_PASSWORD_MAX, "", "",
                     &password, &e) < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    /* The link first, so that a dead link is told before the password
     * is judged (the person needs a new link either way). */
    rc = srv_store_link_get(r->app->store, &r->pool, hash, taulu_now(), &l);
    if (rc == TAULU_ENOTFOUND) {
        link_invalid(r);
        goto out;
    }
    if (rc) {
        srv_api_store_error(r, rc);
        goto out;
    }
    if (!srv_auth_password_ok(password)) {
        srv_reply_error(r, 400, "weak_password", "password");
        goto out;
    }
    if (srv_auth_hash_password(password, pwhash) != 0) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    rc = srv_store_link_use(r->app->store, hash, taulu_now(), pwhash, &uid);
    taulu_wipe(pwhash, sizeof(pwhash));
    if (rc == TAULU_ENOTFOUND) {
        /* Used by a request that came in between. */
        link_invalid(r);
        goto out;
    }
    if (rc) {
        srv_api_store_error(r, rc);
        goto out;
    }
    taulu_info(TAG, "user %lld set a password with a link", (long long)uid);
    out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "email", l.email);
    srv_reply_json(r, 200, out);
out:
    cJSON_Delete(in);
}

/* ------------------------------------------------------------------ */
/* The coordinator's: invitations and forced resets */

static void queued_answer(struct srv_req *r, int rc)
{
    switch (rc) {
    case 0:
        srv_reply_json(r, 202, cJSON_CreateObject());
        break;
    case TAULU_ELIMIT:
        srv_reply_error(r, 503, "mail_queue_full", NULL);
        break;
    default:
        srv_api_store_error(r, rc);
        break;
    }
}

void srv_h_user_invite(struct srv_req *r)
{
    int rc = srv_store_user_reinvite(r->app->store, r->user.id, r->params[0]);

    if (rc == TAULU_ECONFLICT) {
        srv_reply_error(r, 409, "already_active", NULL);
        return;
    }
    queued_answer(r, rc);
}

void srv_h_user_reset(struct srv_req *r)
{
    int rc;

    if (r->params[0] == r->user.id) {
        /* Change your own password on your account page instead; this
         * would sign you out everywhere with no way back in but mail. */
        srv_reply_error(r, 400, "invalid_value", NULL);
        return;
    }
    rc = srv_store_user_force_reset(r->app->store, r->user.id, r->params[0]);
    if (rc == TAULU_ECONFLICT) {
        /* Disabled: enable it first. */
        srv_reply_error(r, 409, "conflict", NULL);
        return;
    }
    if (!rc) {
        taulu_info(TAG, "user %lld reset the password of user %lld",
                   (long long)r->user.id, (long long)r->params[0]);
    }
    queued_answer(r, rc);
}
