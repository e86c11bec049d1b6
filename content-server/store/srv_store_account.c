/*
 * srv_store_account.c: accounts that look after themselves (srv_store.h):
 * invitations, the coordinator's forced reset, resets asked for by
 * address, the set-password links, a password changed by its owner, and
 * the account's own settings (language, notifications).
 *
 * An account whose pwhash is '' has no password and cannot sign in. A
 * link is only its secret's sha256; the secret itself exists only in the
 * message that carried it.
 */
#include "srv_store_int.h"

#include <stdio.h>
#include <string.h>

#include "taulu_time.h"

static const char SQL_DEL_SESSIONS[] = "DELETE FROM session WHERE user_id = ?";
static const char SQL_DEL_TOKENS[] = "DELETE FROM api_token WHERE user_id = ?";
static const char SQL_DEL_LINKS[] =
    "DELETE FROM account_link WHERE user_id = ?";

/* Ends every session, API token and link of the account. */
static int end_access(struct srv_db *db, int64_t id)
{
    int rc = srv_db_exec(db, SQL_DEL_SESSIONS, "i", id);

    if (!rc) {
        rc = srv_db_exec(db, SQL_DEL_TOKENS, "i", id);
    }
    if (!rc) {
        rc = srv_db_exec(db, SQL_DEL_LINKS, "i", id);
    }
    return rc;
}

int srv_store_user_set_prefs(struct srv_store *st, int64_t id, const char *lang,
                             int notify)
{
    static const char sql[] =
        "UPDATE account SET lang = COALESCE(?1, lang),"
        " notify = CASE WHEN ?2 < 0 THEN notify ELSE ?2 END WHERE id = ?3";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "tii", lang, (int64_t)notify, id);
    }
    rc = srv_db_changed_audited(db, rc, id, "user.settings", "user", id);
    srv_db_release(db);
    return rc;
}

int srv_store_user_invite(struct srv_store *st, int64_t actor,
                          const struct srv_user *u, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO account (email, name, pwhash, coordinator, disabled,"
        " created_at, lang) VALUES (?, ?, '', ?, 0, ?, COALESCE(?, 'fi'))";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ttbit", u->email, u->name,
                         (int)u->coordinator, taulu_now(), u->lang);
    }
    if (!rc) {
        *id = srv_db_last_id(db);
        rc = srv_db_user_roles(db, u, *id);
    }
    if (!rc) {
        rc = srv_db_mail_add(db, "invite", *id, NULL, actor);
    }
    if (!rc) {
        rc = srv_db_audit(db, actor, "user.invite", "user", *id, NULL);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

/* Column 0: the account's password is set; 1: it is disabled. */
static int read_state(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                      void *out, void *arg)
{
    bool *v = out;

    (void)db;
    (void)p;
    (void)arg;
    v[0] = srv_db_bool(s, 0);
    v[1] = srv_db_bool(s, 1);
    return 0;
}

int srv_store_user_reinvite(struct srv_store *st, int64_t actor, int64_t id)
{
    static const char sql[] =
        "SELECT pwhash != '', disabled FROM account WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    bool state[2] = {false, false};
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_one(db, NULL, srv_db_query(db, sql, "i", id), read_state,
                        NULL, state);
    }
    if (!rc && (state[0] || state[1])) {
        /* Active already, or disabled: nothing to invite to. */
        rc = TAULU_ECONFLICT;
    }
    if (!rc) {
        rc = srv_db_mail_add(db, "invite", id, NULL, actor);
    }
    if (!rc) {
        rc = srv_db_audit(db, actor, "user.reinvite", "user", id, NULL);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

int srv_store_user_force_reset(struct srv_store *st, int64_t actor, int64_t id)
{
    static const char sql[] =
        "UPDATE account SET pwhash = '' WHERE id = ? AND disabled = 0";
    static const char sql_exists[] = "SELECT 1 FROM account WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "i", id);
    }
    if (!rc && srv_db_changes(db) == 0) {
        rc = srv_db_why_unchanged(db, sql_exists, id);
    }
    if (!rc) {
        rc = end_access(db, id);
    }
    if (!rc) {
        rc = srv_db_mail_add(db, "reset", id, NULL, actor);
    }
    if (!rc) {
        rc = srv_db_audit(db, actor, "user.force_reset", "user", id, NULL);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

int srv_store_reset_request(struct srv_store *st, const char *email)
{
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    /* No audit entry: who asked is not known, and an address that is no
     * account's is nobody's business. The mailer writes one when it
     * sends a link to an account. */
    if (!rc) {
        rc = srv_db_mail_add(db, "reset", 0, email, 0);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

int srv_store_user_change_password(struct srv_store *st, int64_t id,
                                   const char *pwhash,
                                   const uint8_t *keep_session)
{
    static const char sql[] = "UPDATE account SET pwhash = ? WHERE id = ?";
    static const char sql_other[] =
        "DELETE FROM session WHERE user_id = ? AND hash != ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ti", pwhash, id);
    }
    if (!rc && srv_db_changes(db) == 0) {
        rc = TAULU_ENOTFOUND;
    }
    if (!rc) {
        rc = keep_session ? srv_db_exec(db, sql_other, "ih", id, keep_session)
                          : srv_db_exec(db, SQL_DEL_SESSIONS, "i", id);
    }
    if (!rc) {
        rc = srv_db_audit(db, id, "user.password", "user", id, NULL);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Links */

int srv_store_link_put(struct srv_store *st, int64_t mail_id, int64_t user_id,
                       const char *purpose, const uint8_t hash[32],
                       int64_t expires_at)
{
    /* A newer link of the same purpose replaces the older ones (also the
     * one an earlier try of this message made): only the last message
     * sent works. */
    static const char del[] =
        "DELETE FROM account_link WHERE (user_id = ?1 AND purpose = ?2)"
        " OR mail_id = ?3";
    static const char ins[] =
        "INSERT INTO account_link (user_id, purpose, mail_id, hash,"
        " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)";
    /* The message now has its account (a reset asked for by address). */
    static const char upd[] =
        "UPDATE mail SET user_id = ?, to_addr = NULL WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, del, "iti", user_id, purpose, mail_id);
    }
    if (!rc) {
        rc = srv_db_exec(db, ins, "itihii", user_id, purpose, mail_id, hash,
                         taulu_now(), expires_at);
    }
    if (!rc) {
        rc = srv_db_exec(db, upd, "ii", user_id, mail_id);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

static const char SQL_LINK[] =
    "SELECT l.user_id, l.hash, l.purpose, l.expires_at, a.email, a.name"
    " FROM account_link l JOIN account a ON a.id = l.user_id"
    " WHERE l.hash = ? AND l.expires_at > ? AND a.disabled = 0";

/* A row of SQL_LINK; `out` holds the hash looked up in user_id's place
 * until it is compared (see read_link's caller). */
struct link_row {
    const uint8_t *hash;
    struct srv_link link;
};

static int read_link(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                     void *out, void *arg)
{
    struct link_row *r = out;

    (void)db;
    (void)arg;
    if (!srv_db_hash_equal(s, 1, r->hash)) {
        return TAULU_ENOTFOUND;
    }
    r->link.user_id = srv_db_int(s, 0);
    r->link.purpose = p ? srv_db_text(p, s, 2) : NULL;
    r->link.expires_at = srv_db_int(s, 3);
    r->link.email = p ? srv_db_text(p, s, 4) : NULL;
    r->link.name = p ? srv_db_text(p, s, 5) : NULL;
    return 0;
}

int srv_store_link_get(struct srv_store *st, struct srv_pool *p,
                       const uint8_t hash[32], int64_t now,
                       struct srv_link *out)
{
    struct srv_db *db = srv_db_acquire(st);
    struct link_row r;
    int rc;

    memset(&r, 0, sizeof(r));
    r.hash = hash;
    rc = srv_db_one(db, p, srv_db_query(db, SQL_LINK, "hi", hash, now),
                    read_link, NULL, &r);
    srv_db_release(db);
    if (!rc) {
        *out = r.link;
    }
    return rc;
}

int srv_store_link_use(struct srv_store *st, const uint8_t hash[32],
                       int64_t now, const char *pwhash, int64_t *user_id)
{
    static const char sql[] = "UPDATE account SET pwhash = ? WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_pool pool;
    struct link_row r;
    char details[48];
    int rc;

    srv_pool_init(&pool);
    memset(&r, 0, sizeof(r));
    r.hash = hash;
    rc = srv_db_begin(db);
    if (!rc) {
        /* Read inside the write transaction: two uses of one link cannot
         * both find it. */
        rc = srv_db_one(db, &pool, srv_db_query(db, SQL_LINK, "hi", hash, now),
                        read_link, NULL, &r);
    }
    if (!rc) {
        rc = srv_db_exec(db, sql, "ti", pwhash, r.link.user_id);
    }
    if (!rc) {
        rc = end_access(db, r.link.user_id);
    }
    if (!rc) {
        snprintf(details, sizeof(details), "{\"purpose\":\"%s\"}",
                 strcmp(r.link.purpose, "invite") == 0 ? "invite" : "reset");
        rc = srv_db_audit(db, r.link.user_id, "user.password_set", "user",
                          r.link.user_id, details);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    srv_pool_release(&pool);
    if (!rc) {
        *user_id = r.link.user_id;
    }
    return rc;
}
