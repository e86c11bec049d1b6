/*
 * srv_store_user.c: users with their roles (contact person of centres,
 * member of organisations), login sessions and API tokens (srv_store.h).
 * Sessions and tokens are keyed by the sha256 of the secret; the stored
 * hash is compared in constant time after the indexed look-up.
 */
#include "srv_store_int.h"

#include <string.h>

#include "taulu_time.h"

/* ------------------------------------------------------------------ */
/* Users */

#define USER_COLS                                                              \
    "id, email, name, coordinator, disabled, created_at, lang, notify,"        \
    " pwhash != '',"                                                           \
    " (SELECT COALESCE(MAX(l.expires_at), 0) FROM account_link l"              \
    "  WHERE l.user_id = account.id),"                                         \
    " EXISTS (SELECT 1 FROM mail m WHERE m.user_id = account.id"               \
    "  AND m.state = 'queued' AND m.kind IN ('invite', 'reset'))"
#define USER_COL_PWHASH 11

/* A user row with the roles read on the same connection; `arg` non-NULL:
 * also the password hash (column USER_COL_PWHASH) into
 * *(const char **)arg. */
static int read_user(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                     void *out, void *arg)
{
    static const char sql_c[] =
        "SELECT centre_id FROM contact WHERE user_id = ? ORDER BY centre_id";
    static const char sql_m[] =
        "SELECT org_id FROM member WHERE user_id = ? ORDER BY org_id";
    struct srv_user *u = out;
    int rc;

    memset(u, 0, sizeof(*u));
    u->id = srv_db_int(s, 0);
    u->email = srv_db_text(p, s, 1);
    u->name = srv_db_text(p, s, 2);
    u->coordinator = srv_db_bool(s, 3);
    u->disabled = srv_db_bool(s, 4);
    u->created_at = srv_db_int(s, 5);
    u->lang = srv_db_text(p, s, 6);
    u->notify = srv_db_bool(s, 7);
    u->password_set = srv_db_bool(s, 8);
    u->link_expires_at = srv_db_int(s, 9);
    u->mail_pending = srv_db_bool(s, 10);
    if (arg) {
        *(const char **)arg = srv_db_text(p, s, USER_COL_PWHASH);
    }
    rc = srv_db_ids(db, p, srv_db_query(db, sql_c, "i", u->id),
                    &u->contact_centres);
    if (!rc) {
        rc = srv_db_ids(db, p, srv_db_query(db, sql_m, "i", u->id), &u->orgs);
    }
    return rc;
}

/* Replaces the user's contact centres and memberships by u's
 * (srv_store_int.h). */
int srv_db_user_roles(struct srv_db *db, const struct srv_user *u, int64_t id)
{
    static const char del_c[] = "DELETE FROM contact WHERE user_id = ?";
    static const char del_m[] = "DELETE FROM member WHERE user_id = ?";
    static const char ins_c[] =
        "INSERT INTO contact (centre_id, user_id) VALUES (?, ?)";
    static const char ins_m[] =
        "INSERT INTO member (org_id, user_id) VALUES (?, ?)";
    size_t i;
    int rc;

    rc = srv_db_exec(db, del_c, "i", id);
    if (!rc) {
        rc = srv_db_exec(db, del_m, "i", id);
    }
    for (i = 0; !rc && i < u->contact_centres.n; i++) {
        rc = srv_db_exec(db, ins_c, "ii", u->contact_centres.v[i], id);
    }
    for (i = 0; !rc && i < u->orgs.n; i++) {
        rc = srv_db_exec(db, ins_m, "ii", u->orgs.v[i], id);
    }
    return rc;
}

int srv_store_user_create(struct srv_store *st, int64_t actor,
                          const struct srv_user *u, const char *pwhash,
                          int64_t *id)
{
    static const char sql[] =
        "INSERT INTO account (email, name, pwhash, coordinator, disabled,"
        " created_at, lang) VALUES (?, ?, ?, ?, ?, ?, COALESCE(?, 'fi'))";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "tttbbit", u->email, u->name, pwhash,
                         (int)u->coordinator, (int)u->disabled, taulu_now(),
                         u->lang);
    }
    if (!rc) {
        *id = srv_db_last_id(db);
        rc = srv_db_user_roles(db, u, *id);
    }
    if (!rc) {
        rc = srv_db_audit(db, actor, "user.create", "user", *id, NULL);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

int srv_store_user_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                       struct srv_user *out)
{
    static const char sql[] = "SELECT " USER_COLS " FROM account WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc;

    rc =
        srv_db_one(db, p, srv_db_query(db, sql, "i", id), read_user, NULL, out);
    srv_db_release(db);
    return rc;
}

int srv_store_user_by_email(struct srv_store *st, struct srv_pool *p,
                            const char *email, struct srv_user *out,
                            const char **pwhash)
{
    static const char sql[] = "SELECT " USER_COLS ", pwhash FROM account"
                              " WHERE lower(email) = lower(?)";
    struct srv_db *db = srv_db_acquire(st);
    int rc;

    rc = srv_db_one(db, p, srv_db_query(db, sql, "t", email), read_user, pwhash,
                    out);
    srv_db_release(db);
    return rc;
}

int srv_store_user_list(struct srv_store *st, struct srv_pool *p,
                        struct srv_user **out, size_t *n)
{
    static const char sql[] = "SELECT " USER_COLS " FROM account ORDER BY id";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p, srv_db_query(db, sql, ""), sizeof(**out), read_user,
                     NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

int srv_store_user_update(struct srv_store *st, int64_t actor,
                          const struct srv_user *u)
{
    static const char sql[] =
        "UPDATE account SET name = ?, coordinator = ?, disabled = ?"
        " WHERE id = ?";
    static const char del_s[] = "DELETE FROM session WHERE user_id = ?";
    static const char del_t[] = "DELETE FROM api_token WHERE user_id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "tbbi", u->name, (int)u->coordinator,
                         (int)u->disabled, u->id);
    }
    if (!rc && srv_db_changes(db) == 0) {
        rc = TAULU_ENOTFOUND;
    }
    if (!rc) {
        rc = srv_db_user_roles(db, u, u->id);
    }
    if (!rc && u->disabled) {
        rc = srv_db_exec(db, del_s, "i", u->id);
        if (!rc) {
            rc = srv_db_exec(db, del_t, "i", u->id);
        }
    }
    if (!rc) {
        rc = srv_db_audit(db, actor, "user.update", "user", u->id, NULL);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

int srv_store_user_set_password(struct srv_store *st, int64_t actor, int64_t id,
                                const char *pwhash)
{
    static const char sql[] = "UPDATE account SET pwhash = ? WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ti", pwhash, id);
    }
    rc = srv_db_changed_audited(db, rc, actor, "user.password", "user", id);
    srv_db_release(db);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Sessions and tokens */

/* What a session or token look-up answers. */
struct secret_row {
    const uint8_t *hash; /* the hash looked up */
    int64_t user_id;
    const char *csrf; /* sessions only */
};

/* Columns: user_id, hash[, csrf]. */
static int read_secret(struct srv_db *db, struct srv_pool *p,
                       struct srv_stmt *s, void *out, void *arg)
{
    struct secret_row *r = out;

    (void)db;
    (void)arg;
    if (!srv_db_hash_equal(s, 1, r->hash)) {
        return TAULU_ENOTFOUND;
    }
    r->user_id = srv_db_int(s, 0);
    if (srv_db_columns(s) > 2) {
        r->csrf = srv_db_text(p, s, 2);
    }
    return 0;
}

int srv_store_session_create(struct srv_store *st, const uint8_t hash[32],
                             int64_t user_id, const char *csrf,
                             int64_t expires_at)
{
    static const char sql[] =
        "INSERT INTO session (hash, user_id, csrf, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_exec(db, sql, "hitii", hash, user_id, csrf, taulu_now(),
                         expires_at);

    srv_db_release(db);
    return rc;
}

int srv_store_session_get(struct srv_store *st, struct srv_pool *p,
                          const uint8_t hash[32], int64_t now, int64_t *user_id,
                          const char **csrf)
{
    static const char sql[] =
        "SELECT s.user_id, s.hash, s.csrf FROM session s"
        " JOIN account a ON a.id = s.user_id"
        " WHERE s.hash = ? AND s.expires_at > ? AND a.disabled = 0";
    struct srv_db *db = srv_db_acquire(st);
    struct secret_row r = {hash, 0, NULL};
    int rc;

    rc = srv_db_one(db, p, srv_db_query(db, sql, "hi", hash, now), read_secret,
                    NULL, &r);
    srv_db_release(db);
    if (!rc) {
        *user_id = r.user_id;
        *csrf = r.csrf;
    }
    return rc;
}

int srv_store_session_delete(struct srv_store *st, const uint8_t hash[32])
{
    static const char sql[] = "DELETE FROM session WHERE hash = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_exec(db, sql, "h", hash);

    srv_db_release(db);
    return rc;
}

int srv_store_token_create(struct srv_store *st, int64_t user_id,
                           const char *name, const uint8_t hash[32],
                           int64_t expires_at, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO api_token (user_id, name, hash, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ithii", user_id, name, hash, taulu_now(),
                         expires_at);
    }
    rc = srv_db_insert_audited(db, rc, user_id, "token.create", "token", id);
    srv_db_release(db);
    return rc;
}

int srv_store_token_user(struct srv_store *st, const uint8_t hash[32],
                         int64_t now, int64_t *user_id)
{
    static const char sql[] =
        "SELECT t.user_id, t.hash FROM api_token t"
        " JOIN account a ON a.id = t.user_id"
        " WHERE t.hash = ? AND t.expires_at > ? AND a.disabled = 0";
    struct srv_db *db = srv_db_acquire(st);
    struct secret_row r = {hash, 0, NULL};
    int rc;

    rc = srv_db_one(db, NULL, srv_db_query(db, sql, "hi", hash, now),
                    read_secret, NULL, &r);
    srv_db_release(db);
    if (!rc) {
        *user_id = r.user_id;
    }
    return rc;
}

int srv_store_token_delete(struct srv_store *st, int64_t user_id, int64_t id)
{
    static const char sql[] =
        "DELETE FROM api_token WHERE id = ? AND user_id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ii", id, user_id);
    }
    rc = srv_db_changed_audited(db, rc, user_id, "token.delete", "token", id);
    srv_db_release(db);
    return rc;
}

int srv_store_purge_expired(struct srv_store *st, int64_t now)
{
    static const char sql_s[] = "DELETE FROM session WHERE expires_at <= ?";
    static const char sql_t[] = "DELETE FROM api_token WHERE expires_at <= ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc, n = 0;

    rc = srv_db_exec(db, sql_s, "i", now);
    if (!rc) {
        n = srv_db_changes(db);
        rc = srv_db_exec(db, sql_t, "i", now);
    }
    if (!rc) {
        n += srv_db_changes(db);
    }
    srv_db_release(db);
    return rc ? rc : n;
}
