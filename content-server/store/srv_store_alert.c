/*
 * srv_store_alert.c: alerts (srv_store.h), urgent notices for one centre
 * or every centre, with their language versions; ended by their end time
 * or early by hand.
 */
#include "srv_store_int.h"

#include <string.h>

#include "taulu_time.h"

#define ALERT_COLS                                                             \
    "id, COALESCE(centre_id, 0), starts_at, ends_at, ended_at, created_by,"    \
    " created_at"

int srv_store_alert_create(struct srv_store *st, int64_t actor,
                           const struct srv_alert *a, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO alert (centre_id, starts_at, ends_at, created_by,"
        " created_at) VALUES (?, ?, ?, ?, ?)";
    static const char sql_t[] =
        "INSERT INTO alert_text (alert_id, pos, lang, title, body)"
        " VALUES (?, ?, ?, ?, ?)";
    struct srv_db *db = srv_db_acquire(st);
    size_t i;
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ziiii", a->centre_id, a->starts_at,
                         a->ends_at, actor, taulu_now());
    }
    if (!rc) {
        *id = srv_db_last_id(db);
    }
    for (i = 0; !rc && i < a->n_texts; i++) {
        rc = srv_db_exec(db, sql_t, "iittt", *id, (int64_t)i, a->texts[i].lang,
                         a->texts[i].title, a->texts[i].body);
    }
    if (!rc) {
        rc = srv_db_audit(db, actor, "alert.create", "alert", *id, NULL);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

static int read_alert_text(struct srv_db *db, struct srv_pool *p,
                           struct srv_stmt *s, void *out, void *arg)
{
    struct srv_alert_text *t = out;

    (void)db;
    (void)arg;
    t->lang = srv_db_text(p, s, 0);
    t->title = srv_db_text(p, s, 1);
    t->body = srv_db_text(p, s, 2);
    return 0;
}

/* An alert row with its texts, read on the same connection. */
static int read_alert(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                      void *out, void *arg)
{
    static const char sql_t[] = "SELECT lang, title, body FROM alert_text"
                                " WHERE alert_id = ? ORDER BY pos";
    struct srv_alert *a = out;
    struct srv_db_list l;
    int rc;

    (void)arg;
    memset(a, 0, sizeof(*a));
    a->id = srv_db_int(s, 0);
    a->centre_id = srv_db_int(s, 1);
    a->starts_at = srv_db_int(s, 2);
    a->ends_at = srv_db_int(s, 3);
    a->ended_at = srv_db_int(s, 4);
    a->created_by = srv_db_int(s, 5);
    a->created_at = srv_db_int(s, 6);
    rc = srv_db_rows(db, p, srv_db_query(db, sql_t, "i", a->id),
                     sizeof(*a->texts), read_alert_text, NULL, &l);
    a->texts = l.v;
    a->n_texts = l.n;
    return rc;
}

int srv_store_alert_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                        struct srv_alert *out)
{
    static const char sql[] = "SELECT " ALERT_COLS " FROM alert WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc;

    rc = srv_db_one(db, p, srv_db_query(db, sql, "i", id), read_alert, NULL,
                    out);
    srv_db_release(db);
    return rc;
}

int srv_store_alert_list(struct srv_store *st, struct srv_pool *p,
                         const struct srv_scope *centres, int64_t now,
                         struct srv_alert **out, size_t *n)
{
    static const char sql[] =
        "SELECT " ALERT_COLS " FROM alert"
        " WHERE ended_at = 0 AND ends_at > ?1"
        " AND (?2 <> 0 OR centre_id IS NULL"
        "  OR centre_id IN (SELECT value FROM json_each(?3)))"
        " ORDER BY starts_at, id";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p,
                     srv_db_query(db, sql, "ibj", now, (int)centres->all,
                                  centres->ids, centres->n),
                     sizeof(**out), read_alert, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

int srv_store_alert_end(struct srv_store *st, int64_t actor, int64_t id,
                        int64_t now)
{
    static const char sql[] =
        "UPDATE alert SET ended_at = ? WHERE id = ? AND ended_at = 0";
    static const char sql_exists[] = "SELECT 1 FROM alert WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ii", now, id);
    }
    if (!rc && srv_db_changes(db) == 0) {
        /* Gone, or ended already. */
        rc = srv_db_why_unchanged(db, sql_exists, id);
    }
    if (!rc) {
        rc = srv_db_audit(db, actor, "alert.end", "alert", id, NULL);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}
