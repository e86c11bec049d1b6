/*
 * srv_store_names.c: the names an audit entry refers to (srv_store.h), so
 * that the log can be read in words ("Aino Virtanen approved
 * 'Muistikahvila' for Tuiran hyvinvointikeskus") instead of codes and ids.
 * The entry itself keeps only ids: a name is what the thing is called now
 * (or nothing if it was deleted). Who may see which name is the API's
 * business.
 */
#include "srv_store_int.h"

#include <cjson/cJSON.h>
#include <string.h>

/* ?1 actor kind, ?2 actor id, ?3 object type, ?4 object id, ?5 and ?6 the
 * centre and the user the details name (0: none). */
static const char SQL_NAMES[] =
    "SELECT"
    " CASE ?1 WHEN 1 THEN (SELECT name FROM account WHERE id = ?2)"
    "  WHEN 2 THEN (SELECT name FROM screen WHERE id = ?2) END,"
    " CASE ?1 WHEN 1 THEN (SELECT email FROM account WHERE id = ?2) END,"
    " CASE ?3"
    "  WHEN 'item' THEN (SELECT title FROM item_text WHERE item_id = ?4"
    "   ORDER BY pos LIMIT 1)"
    "  WHEN 'placement' THEN (SELECT t.title FROM placement p"
    "   JOIN item_text t ON t.item_id = p.item_id WHERE p.id = ?4"
    "   ORDER BY t.pos LIMIT 1)"
    "  WHEN 'centre' THEN (SELECT name FROM centre WHERE id = ?4)"
    "  WHEN 'user' THEN (SELECT name FROM account WHERE id = ?4)"
    "  WHEN 'org' THEN (SELECT name FROM org WHERE id = ?4)"
    "  WHEN 'area' THEN (SELECT name FROM area WHERE id = ?4)"
    "  WHEN 'screen' THEN (SELECT name FROM screen WHERE id = ?4)"
    "  WHEN 'token' THEN (SELECT name FROM api_token WHERE id = ?4)"
    "  WHEN 'alert' THEN (SELECT title FROM alert_text WHERE alert_id = ?4"
    "   ORDER BY pos LIMIT 1) END,"
    " COALESCE(CASE ?3"
    "  WHEN 'item' THEN (SELECT org_id FROM item WHERE id = ?4)"
    "  WHEN 'placement' THEN (SELECT i.org_id FROM placement p"
    "   JOIN item i ON i.id = p.item_id WHERE p.id = ?4)"
    "  WHEN 'org' THEN ?4 END, 0),"
    " COALESCE(CASE ?3"
    "  WHEN 'placement' THEN (SELECT centre_id FROM placement WHERE id = ?4)"
    "  WHEN 'screen' THEN (SELECT centre_id FROM screen WHERE id = ?4)"
    "  WHEN 'alert' THEN (SELECT centre_id FROM alert WHERE id = ?4)"
    "  WHEN 'centre' THEN ?4 END, ?5),"
    " ?6";
static const char SQL_CENTRE[] = "SELECT name FROM centre WHERE id = ?";
static const char SQL_USER[] = "SELECT name, email FROM account WHERE id = ?";

/* The row of SQL_NAMES, and the two ids it leads to. */
struct names_row {
    struct srv_audit_names *n;
    int64_t user_id;
};

static int read_names(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                      void *out, void *arg)
{
    struct names_row *r = out;

    (void)db;
    (void)arg;
    r->n->actor_name = srv_db_text(p, s, 0);
    r->n->actor_email = srv_db_text(p, s, 1);
    r->n->object_name = srv_db_text(p, s, 2);
    r->n->object_org_id = srv_db_int(s, 3);
    r->n->object_centre_id = srv_db_int(s, 4);
    r->user_id = srv_db_int(s, 5);
    return 0;
}

static int read_text(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                     void *out, void *arg)
{
    const char **v = out;

    (void)db;
    (void)arg;
    v[0] = srv_db_text(p, s, 0);
    if (srv_db_columns(s) > 1) {
        v[1] = srv_db_text(p, s, 1);
    }
    return 0;
}

/* A whole-number member of the entry's details JSON (0: none). */
static int64_t detail_id(const cJSON *d, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, name);

    return cJSON_IsNumber(v) && v->valuedouble >= 1 &&
                   v->valuedouble < 9007199254740992.0
               ? (int64_t)v->valuedouble
               : 0;
}

int srv_store_audit_names(struct srv_store *st, struct srv_pool *p,
                          const struct srv_audit *e, size_t n,
                          struct srv_audit_names **out)
{
    struct srv_db *db = srv_db_acquire(st);
    struct srv_audit_names *v = srv_pool_alloc(p, (n ? n : 1) * sizeof(*v));
    size_t i;
    int rc = 0;

    for (i = 0; !rc && i < n; i++) {
        struct names_row r = {&v[i], 0};
        const char *user[2] = {NULL, NULL};
        cJSON *d = e[i].details ? cJSON_Parse(e[i].details) : NULL;

        rc = srv_db_one(
            db, p,
            srv_db_query(db, SQL_NAMES, "iitiii", (int64_t)e[i].actor_kind,
                         e[i].actor_id, e[i].object_type, e[i].object_id,
                         detail_id(d, "centre_id"), detail_id(d, "user_id")),
            read_names, NULL, &r);
        cJSON_Delete(d);
        if (!rc && v[i].object_centre_id > 0) {
            rc = srv_db_one(
                db, p, srv_db_query(db, SQL_CENTRE, "i", v[i].object_centre_id),
                read_text, NULL, &v[i].centre_name);
        }
        if (!rc && r.user_id > 0) {
            rc = srv_db_one(db, p, srv_db_query(db, SQL_USER, "i", r.user_id),
                            read_text, NULL, user);
            v[i].user_name = user[0];
            v[i].user_email = user[1];
        }
        if (rc == TAULU_ENOTFOUND) {
            rc = 0; /* deleted since: no name */
        }
    }
    srv_db_release(db);
    *out = v;
    return rc;
}
