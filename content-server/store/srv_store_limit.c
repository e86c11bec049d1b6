/*
 * srv_store_limit.c: the records of the rate limiters that every server
 * instance on one database shares (srv_store.h). The counting itself is
 * the limiter's (content-server/api/srv_auth.c); this file keeps its
 * record and runs each step under the store's one write lock, so two
 * instances never both see "one attempt left".
 */
#include "srv_store_int.h"

#include <string.h>

static int read_limit(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                      void *out, void *arg)
{
    struct srv_limit_row *r = out;

    (void)db;
    (void)p;
    (void)arg;
    r->failures = srv_db_int(s, 0);
    r->last = srv_db_int(s, 1);
    r->until = srv_db_int(s, 2);
    return 0;
}

int srv_store_limit_update(struct srv_store *st, const char *scope,
                           const uint8_t key[32], int64_t now,
                           int64_t forget_before,
                           void (*fn)(struct srv_limit_row *r, void *arg),
                           void *arg)
{
    static const char sql_forget[] =
        "DELETE FROM rate_limit WHERE scope = ?1 AND last_at < ?2"
        " AND until_at <= ?3";
    static const char sql_get[] =
        "SELECT failures, last_at, until_at FROM rate_limit"
        " WHERE scope = ?1 AND key = ?2";
    static const char sql_put[] =
        "INSERT INTO rate_limit (scope, key, failures, last_at, until_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (scope, key) DO UPDATE"
        " SET failures = ?3, last_at = ?4, until_at = ?5";
    static const char sql_del[] =
        "DELETE FROM rate_limit WHERE scope = ?1 AND key = ?2";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_limit_row r;
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql_forget, "tii", scope, forget_before, now);
    }
    if (!rc) {
        memset(&r, 0, sizeof r);
        rc = srv_db_one(db, NULL, srv_db_query(db, sql_get, "th", scope, key),
                        read_limit, NULL, &r);
        if (rc == TAULU_ENOTFOUND) {
            rc = 0;
        }
    }
    if (!rc) {
        fn(&r, arg);
        rc = r.failures == 0 && r.until == 0
                 ? srv_db_exec(db, sql_del, "th", scope, key)
                 : srv_db_exec(db, sql_put, "thiii", scope, key, r.failures,
                               r.last, r.until);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}
