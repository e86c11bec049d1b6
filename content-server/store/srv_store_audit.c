/*
 * srv_store_audit.c: the audit log (srv_store.h): the entry every change
 * writes inside its own transaction, entries added by the policy (refused
 * attempts), and the filtered, paged listing. The table is append-only by
 * trigger (srv_store_schema.c), whatever the code does.
 */
#include "srv_store_int.h"

#include "taulu_time.h"

int srv_db_audit(struct srv_db *db, int64_t actor, const char *action,
                 const char *otype, int64_t oid, const char *details)
{
    static const char sql[] =
        "INSERT INTO audit (at, actor_kind, actor_id, action, object_type,"
        " object_id, refused, details) VALUES (?, ?, ?, ?, ?, ?, 0, ?)";

    return srv_db_exec(db, sql, "iiittit", taulu_now(),
                       (int64_t)(actor ? SRV_ACTOR_USER : SRV_ACTOR_SYSTEM),
                       actor, action, otype, oid, details);
}

int srv_db_insert_audited(struct srv_db *db, int rc, int64_t actor,
                          const char *action, const char *otype, int64_t *id)
{
    if (!rc) {
        *id = srv_db_last_id(db);
        rc = srv_db_audit(db, actor, action, otype, *id, NULL);
    }
    return srv_db_finish(db, rc);
}

int srv_db_changed_audited(struct srv_db *db, int rc, int64_t actor,
                           const char *action, const char *otype, int64_t id)
{
    if (!rc && srv_db_changes(db) == 0) {
        rc = TAULU_ENOTFOUND;
    }
    if (!rc) {
        rc = srv_db_audit(db, actor, action, otype, id, NULL);
    }
    return srv_db_finish(db, rc);
}

int srv_store_audit_add(struct srv_store *st, const struct srv_audit *e)
{
    static const char sql[] =
        "INSERT INTO audit (at, actor_kind, actor_id, action, object_type,"
        " object_id, refused, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    struct srv_db *db = srv_db_acquire(st);
    int rc;

    rc = srv_db_exec(db, sql, "iiittibt", e->at ? e->at : taulu_now(),
                     (int64_t)e->actor_kind, e->actor_id, e->action,
                     e->object_type, e->object_id, (int)e->refused, e->details);
    srv_db_release(db);
    return rc;
}

static int read_audit(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                      void *out, void *arg)
{
    struct srv_audit *a = out;

    (void)db;
    (void)arg;
    a->id = srv_db_int(s, 0);
    a->at = srv_db_int(s, 1);
    a->actor_kind = (enum srv_actor_kind)srv_db_int(s, 2);
    a->actor_id = srv_db_int(s, 3);
    a->action = srv_db_text(p, s, 4);
    a->object_type = srv_db_text(p, s, 5);
    a->object_id = srv_db_int(s, 6);
    a->refused = srv_db_bool(s, 7);
    a->details = srv_db_text(p, s, 8);
    return 0;
}

int srv_store_audit_list(struct srv_store *st, struct srv_pool *p,
                         const struct srv_audit_filter *f,
                         struct srv_audit **out, size_t *n)
{
    static const char sql[] =
        "SELECT id, at, actor_kind, actor_id, action, object_type,"
        " object_id, refused, details FROM audit"
        " WHERE (?1 = 0 OR actor_id = ?1)"
        " AND (?2 IS NULL OR action = ?2)"
        " AND (?3 IS NULL OR object_type = ?3)"
        " AND (?4 = 0 OR object_id = ?4)"
        " AND (?5 < 0 OR refused = ?5)"
        " AND (?6 = 0 OR at >= ?6)"
        " AND (?7 = 0 OR at < ?7)"
        " AND (?8 = 0 OR id < ?8)"
        " ORDER BY id DESC LIMIT ?9";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p,
                     srv_db_query(db, sql, "ittiiiiii", f->actor_id, f->action,
                                  f->object_type, f->object_id,
                                  (int64_t)f->refused, f->since, f->until,
                                  f->before_id, (int64_t)f->limit),
                     sizeof(**out), read_audit, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}
