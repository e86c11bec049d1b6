/*
 * srv_store_org.c: organisations and their members (srv_store.h). A
 * user's memberships as a whole are replaced with the user
 * (srv_store_user.c); here one member at a time, each with its audit
 * entry.
 */
#include "srv_store_int.h"

#include <stdio.h>

/* An organisation row, with its members read on the same connection. */
static int read_org(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                    void *out, void *arg)
{
    static const char sql[] =
        "SELECT user_id FROM member WHERE org_id = ? ORDER BY user_id";
    struct srv_org *o = out;
    int rc;

    (void)arg;
    o->id = srv_db_int(s, 0);
    o->name = srv_db_text(p, s, 1);
    o->kind = srv_db_text(p, s, 2);
    rc = srv_db_ids(db, p, srv_db_query(db, sql, "i", o->id), &o->members);
    if (!rc) {
        rc = srv_db_org_defaults(db, p, o->id, &o->defaults);
    }
    return rc;
}

int srv_store_org_list(struct srv_store *st, struct srv_pool *p,
                       const struct srv_scope *scope, struct srv_org **out,
                       size_t *n)
{
    static const char sql[] = "SELECT id, name, kind FROM org"
                              " WHERE ?1 <> 0 OR id IN (SELECT value FROM "
                              "json_each(?2)) ORDER BY name";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(
        db, p,
        srv_db_query(db, sql, "bj", (int)scope->all, scope->ids, scope->n),
        sizeof(**out), read_org, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

int srv_store_org_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                      struct srv_org *out)
{
    static const char sql[] = "SELECT id, name, kind FROM org WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc;

    rc = srv_db_one(db, p, srv_db_query(db, sql, "i", id), read_org, NULL, out);
    srv_db_release(db);
    return rc;
}

int srv_store_org_create(struct srv_store *st, int64_t actor,
                         const struct srv_org *o, int64_t *id)
{
    static const char sql[] = "INSERT INTO org (name, kind) VALUES (?, ?)";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "tt", o->name, o->kind);
    }
    rc = srv_db_insert_audited(db, rc, actor, "org.create", "org", id);
    srv_db_release(db);
    return rc;
}

int srv_store_org_update(struct srv_store *st, int64_t actor,
                         const struct srv_org *o)
{
    static const char sql[] = "UPDATE org SET name = ?, kind = ? WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "tti", o->name, o->kind, o->id);
    }
    rc = srv_db_changed_audited(db, rc, actor, "org.update", "org", o->id);
    srv_db_release(db);
    return rc;
}

/* The audit entry of a membership change: the organisation, and the user
 * in the details. */
static int member_audit(struct srv_db *db, int64_t actor, const char *action,
                        int64_t org_id, int64_t user_id)
{
    char details[64];

    snprintf(details, sizeof(details), "{\"user_id\":%lld}",
             (long long)user_id);
    return srv_db_audit(db, actor, action, "org", org_id, details);
}

int srv_store_member_add(struct srv_store *st, int64_t actor, int64_t org_id,
                         int64_t user_id)
{
    static const char sql[] =
        "INSERT INTO member (org_id, user_id) VALUES (?, ?)";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ii", org_id, user_id);
    }
    if (!rc) {
        rc = member_audit(db, actor, "org.member_add", org_id, user_id);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

int srv_store_member_remove(struct srv_store *st, int64_t actor, int64_t org_id,
                            int64_t user_id)
{
    static const char sql[] =
        "DELETE FROM member WHERE org_id = ? AND user_id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ii", org_id, user_id);
    }
    if (!rc && srv_db_changes(db) == 0) {
        rc = TAULU_ENOTFOUND;
    }
    if (!rc) {
        rc = member_audit(db, actor, "org.member_remove", org_id, user_id);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}
