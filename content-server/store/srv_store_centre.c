/*
 * srv_store_centre.c: areas and centres (srv_store.h). A centre's contact
 * persons are kept with the users (srv_store_user.c); what a centre shows
 * now with the placements (srv_store_placement.c).
 */
#include "srv_store_int.h"

/* ------------------------------------------------------------------ */
/* Areas */

static int read_area(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                     void *out, void *arg)
{
    struct srv_area *a = out;

    (void)db;
    (void)arg;
    a->id = srv_db_int(s, 0);
    a->name = srv_db_text(p, s, 1);
    return 0;
}

int srv_store_area_list(struct srv_store *st, struct srv_pool *p,
                        struct srv_area **out, size_t *n)
{
    static const char sql[] = "SELECT id, name FROM area ORDER BY name";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p, srv_db_query(db, sql, ""), sizeof(**out), read_area,
                     NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

int srv_store_area_create(struct srv_store *st, int64_t actor, const char *name,
                          int64_t *id)
{
    static const char sql[] = "INSERT INTO area (name) VALUES (?)";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "t", name);
    }
    rc = srv_db_insert_audited(db, rc, actor, "area.create", "area", id);
    srv_db_release(db);
    return rc;
}

int srv_store_area_update(struct srv_store *st, int64_t actor, int64_t id,
                          const char *name)
{
    static const char sql[] = "UPDATE area SET name = ? WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ti", name, id);
    }
    rc = srv_db_changed_audited(db, rc, actor, "area.update", "area", id);
    srv_db_release(db);
    return rc;
}

int srv_store_area_delete(struct srv_store *st, int64_t actor, int64_t id)
{
    static const char sql[] = "DELETE FROM area WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "i", id);
    }
    rc = srv_db_changed_audited(db, rc, actor, "area.delete", "area", id);
    srv_db_release(db);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Centres */

#define CENTRE_COLS                                                            \
    "id, COALESCE(area_id, 0), name, municipality, address, opening_hours,"    \
    " languages, withdraw_on_edit, short_name, names, loop_s"

static int read_centre(struct srv_db *db, struct srv_pool *p,
                       struct srv_stmt *s, void *out, void *arg)
{
    struct srv_centre *o = out;

    (void)db;
    (void)arg;
    o->id = srv_db_int(s, 0);
    o->area_id = srv_db_int(s, 1);
    o->name = srv_db_text(p, s, 2);
    o->municipality = srv_db_text(p, s, 3);
    o->address = srv_db_text(p, s, 4);
    o->opening_hours = srv_db_text(p, s, 5);
    o->languages = srv_db_text(p, s, 6);
    o->withdraw_on_edit = srv_db_bool(s, 7);
    o->short_name = srv_db_text(p, s, 8);
    o->names = srv_db_text(p, s, 9);
    o->loop_s = (int)srv_db_int(s, 10);
    return 0;
}

int srv_store_centre_list(struct srv_store *st, struct srv_pool *p,
                          struct srv_centre **out, size_t *n)
{
    static const char sql[] =
        "SELECT " CENTRE_COLS " FROM centre ORDER BY name";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p, srv_db_query(db, sql, ""), sizeof(**out),
                     read_centre, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

int srv_store_centre_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                         struct srv_centre *out)
{
    static const char sql[] = "SELECT " CENTRE_COLS " FROM centre WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc;

    rc = srv_db_one(db, p, srv_db_query(db, sql, "i", id), read_centre, NULL,
                    out);
    srv_db_release(db);
    return rc;
}

static int64_t loop_or_default(const struct srv_centre *o)
{
    return o->loop_s > 0 ? o->loop_s : TAULU_LOOP_DEFAULT_S;
}

int srv_store_centre_create(struct srv_store *st, int64_t actor,
                            const struct srv_centre *o, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO centre (area_id, name, municipality, address,"
        " opening_hours, languages, withdraw_on_edit, short_name, names,"
        " loop_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ztttttbtti", o->area_id, o->name,
                         o->municipality, o->address, o->opening_hours,
                         o->languages, (int)o->withdraw_on_edit,
                         o->short_name && *o->short_name ? o->short_name : NULL,
                         o->names ? o->names : "{}", loop_or_default(o));
    }
    rc = srv_db_insert_audited(db, rc, actor, "centre.create", "centre", id);
    srv_db_release(db);
    return rc;
}

int srv_store_centre_update(struct srv_store *st, int64_t actor,
                            const struct srv_centre *o)
{
    static const char sql[] =
        "UPDATE centre SET area_id = ?, name = ?, municipality = ?,"
        " address = ?, opening_hours = ?, languages = ?,"
        " withdraw_on_edit = ?, short_name = ?, names = ?, loop_s = ?"
        " WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ztttttbttii", o->area_id, o->name,
                         o->municipality, o->address, o->opening_hours,
                         o->languages, (int)o->withdraw_on_edit,
                         o->short_name && *o->short_name ? o->short_name : NULL,
                         o->names ? o->names : "{}", loop_or_default(o), o->id);
    }
    rc =
        srv_db_changed_audited(db, rc, actor, "centre.update", "centre", o->id);
    srv_db_release(db);
    return rc;
}

int srv_store_centre_delete(struct srv_store *st, int64_t actor, int64_t id)
{
    static const char sql[] = "DELETE FROM centre WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "i", id);
    }
    rc = srv_db_changed_audited(db, rc, actor, "centre.delete", "centre", id);
    srv_db_release(db);
    return rc;
}
