/*
 * srv_store_instance.c: the server instances on a shared database, by
 * the broker account each uses (srv_store.h, "Several instances";
 * migration 14 says why they need one each).
 */
#include "srv_store_int.h"

#include <string.h>

static int name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;

    return n > 0 && n < SRV_STORE_INSTANCE_NAME_MAX;
}

int srv_store_instance_seen(struct srv_store *st, const char *name, int64_t now,
                            int64_t forget_before)
{
    static const char sql_forget[] =
        "DELETE FROM server_instance WHERE seen_at < ?1 AND name <> ?2";
    static const char sql_seen[] =
        "INSERT INTO server_instance (name, started_at, seen_at)"
        " VALUES (?1, ?2, ?2) ON CONFLICT (name) DO UPDATE"
        " SET seen_at = excluded.seen_at";
    struct srv_db *db;
    int rc;

    if (!name_ok(name)) {
        return TAULU_EINVAL;
    }
    db = srv_db_acquire(st);
    rc = srv_db_begin(db);
    if (!rc) {
        rc = srv_db_exec(db, sql_forget, "it", forget_before, name);
    }
    if (!rc) {
        rc = srv_db_exec(db, sql_seen, "ti", name, now);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

int srv_store_instance_gone(struct srv_store *st, const char *name)
{
    static const char sql[] = "DELETE FROM server_instance WHERE name = ?1";
    struct srv_db *db;
    int rc;

    if (!name_ok(name)) {
        return TAULU_EINVAL;
    }
    db = srv_db_acquire(st);
    rc = srv_db_exec(db, sql, "t", name);
    srv_db_release(db);
    return rc;
}

static int read_name(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                     void *out, void *arg)
{
    const char **name = out;

    (void)db;
    (void)arg;
    *name = srv_db_text(p, s, 0);
    return *name ? 0 : TAULU_ENOMEM;
}

int srv_store_instance_names(struct srv_store *st, struct srv_pool *p,
                             int64_t since, const char ***names, size_t *n)
{
    static const char sql[] = "SELECT name FROM server_instance"
                              " WHERE seen_at >= ?1 ORDER BY name";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p, srv_db_query(db, sql, "i", since), sizeof(**names),
                     read_name, NULL, &l);
    srv_db_release(db);
    *names = l.v;
    *n = l.n;
    return rc;
}
