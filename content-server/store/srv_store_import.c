/*
 * srv_store_import.c: import sources, the events each one brought, and
 * the opening hours a PTV source gives a centre (srv_store.h, "Importers";
 * migration 7).
 */
#include "srv_store_int.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "taulu_time.h"

#define SOURCE_COLS                                                            \
    "id, kind, name, url, COALESCE(org_id, 0), centres, category, lang,"       \
    " interval_min, enabled, created_by, created_at, last_run_at,"             \
    " last_ok_at, next_run_at, last_error, failures, cursor, etag,"            \
    " last_modified, counts"

/* The target centres as stored: a JSON array of ids. */
static int ids_from_json(struct srv_pool *p, const char *json,
                         struct srv_ids *out)
{
    cJSON *a = json ? cJSON_Parse(json) : NULL, *x;
    size_t n = 0;

    out->v = NULL;
    out->n = 0;
    if (!cJSON_IsArray(a)) {
        cJSON_Delete(a);
        return 0;
    }
    out->v = srv_pool_alloc(p, sizeof(int64_t) *
                                   ((size_t)cJSON_GetArraySize(a) + 1));
    cJSON_ArrayForEach(x, a)
    {
        if (cJSON_IsNumber(x) && x->valuedouble >= 1) {
            out->v[n++] = (int64_t)x->valuedouble;
        }
    }
    out->n = n;
    cJSON_Delete(a);
    return 0;
}

/* The ids as the JSON text stored; malloc'd (cJSON_free). */
static char *ids_to_json(const struct srv_ids *ids)
{
    cJSON *a = cJSON_CreateArray();
    char *s;
    size_t i;

    for (i = 0; a && i < ids->n; i++) {
        cJSON_AddItemToArray(a, cJSON_CreateNumber((double)ids->v[i]));
    }
    s = a ? cJSON_PrintUnformatted(a) : NULL;
    cJSON_Delete(a);
    return s;
}

static int read_source(struct srv_db *db, struct srv_pool *p,
                       struct srv_stmt *s, void *out, void *arg)
{
    struct srv_import_source *o = out;

    (void)db;
    (void)arg;
    memset(o, 0, sizeof(*o));
    o->id = srv_db_int(s, 0);
    o->kind = srv_db_text(p, s, 1);
    o->name = srv_db_text(p, s, 2);
    o->url = srv_db_text(p, s, 3);
    o->org_id = srv_db_int(s, 4);
    ids_from_json(p, srv_db_text_ref(s, 5), &o->centres);
    o->category = srv_db_text(p, s, 6);
    o->lang = srv_db_text(p, s, 7);
    o->interval_min = srv_db_int(s, 8);
    o->enabled = srv_db_bool(s, 9);
    o->created_by = srv_db_int(s, 10);
    o->created_at = srv_db_int(s, 11);
    o->last_run_at = srv_db_int(s, 12);
    o->last_ok_at = srv_db_int(s, 13);
    o->next_run_at = srv_db_int(s, 14);
    o->last_error = srv_db_text(p, s, 15);
    o->failures = srv_db_int(s, 16);
    o->cursor = srv_db_text(p, s, 17);
    o->etag = srv_db_text(p, s, 18);
    o->last_modified = srv_db_text(p, s, 19);
    o->counts = srv_db_text(p, s, 20);
    return 0;
}

int srv_store_import_source_create(struct srv_store *st, int64_t actor,
                                   const struct srv_import_source *s,
                                   int64_t *id)
{
    static const char sql[] =
        "INSERT INTO import_source (kind, name, url, org_id, centres,"
        " category, lang, interval_min, enabled, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    char *centres = ids_to_json(&s->centres);
    struct srv_db *db;
    int rc;

    if (!centres) {
        return TAULU_ENOMEM;
    }
    db = srv_db_acquire(st);
    rc = srv_db_begin(db);
    if (!rc) {
        rc = srv_db_exec(db, sql, "tttztttibii", s->kind, s->name, s->url,
                         s->org_id, centres, s->category ? s->category : "",
                         s->lang ? s->lang : "fi", s->interval_min,
                         (int)s->enabled, s->created_by, taulu_now());
    }
    rc = srv_db_insert_audited(db, rc, actor, "import_source.create",
                               "import_source", id);
    srv_db_release(db);
    cJSON_free(centres);
    return rc;
}

int srv_store_import_source_update(struct srv_store *st, int64_t actor,
                                   const struct srv_import_source *s)
{
    /* A new address is another feed: what was learnt of the old one (its
     * validators, Linked Events' cursor) does not hold for it. */
    static const char sql[] =
        "UPDATE import_source SET"
        " cursor = CASE WHEN url = ?3 THEN cursor END,"
        " etag = CASE WHEN url = ?3 THEN etag END,"
        " last_modified = CASE WHEN url = ?3 THEN last_modified END,"
        " name = ?2, url = ?3, centres = ?4, category = ?5, lang = ?6,"
        " interval_min = ?7, enabled = ?8, next_run_at = 0, failures = 0"
        " WHERE id = ?1";
    char *centres = ids_to_json(&s->centres);
    struct srv_db *db;
    int rc;

    if (!centres) {
        return TAULU_ENOMEM;
    }
    db = srv_db_acquire(st);
    rc = srv_db_begin(db);
    if (!rc) {
        rc = srv_db_exec(db, sql, "itttttib", s->id, s->name, s->url, centres,
                         s->category ? s->category : "",
                         s->lang ? s->lang : "fi", s->interval_min,
                         (int)s->enabled);
    }
    rc = srv_db_changed_audited(db, rc, actor, "import_source.update",
                                "import_source", s->id);
    srv_db_release(db);
    cJSON_free(centres);
    return rc;
}

int srv_store_import_source_delete(struct srv_store *st, int64_t actor,
                                   int64_t id)
{
    static const char sql[] = "DELETE FROM import_source WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "i", id);
    }
    rc = srv_db_changed_audited(db, rc, actor, "import_source.delete",
                                "import_source", id);
    srv_db_release(db);
    return rc;
}

int srv_store_import_source_get(struct srv_store *st, struct srv_pool *p,
                                int64_t id, struct srv_import_source *out)
{
    static const char sql[] =
        "SELECT " SOURCE_COLS " FROM import_source WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_one(db, p, srv_db_query(db, sql, "i", id), read_source,
                        NULL, out);

    srv_db_release(db);
    return rc;
}

int srv_store_import_source_list(struct srv_store *st, struct srv_pool *p,
                                 const struct srv_scope *orgs,
                                 const struct srv_scope *centres,
                                 struct srv_import_source **out, size_t *n)
{
    /* The source's centres are a JSON array text in a column: read by
     * each database's own JSON function. */
    static const char sql_lite[] =
        "SELECT " SOURCE_COLS " FROM import_source s"
        " WHERE ?1 <> 0 OR org_id IN (SELECT value FROM json_each(?2))"
        " OR (kind != 'ptv' AND EXISTS (SELECT 1 FROM json_each(s.centres) c"
        "  WHERE c.value IN (SELECT value FROM json_each(?3))))"
        " ORDER BY id DESC";
    static const char sql_pg[] =
        "SELECT " SOURCE_COLS " FROM import_source s"
        " WHERE ?1 <> 0 OR org_id IN (SELECT value FROM json_each(?2))"
        " OR (kind != 'ptv' AND EXISTS (SELECT 1"
        "  FROM json_array_elements_text(s.centres::json) AS c(value)"
        "  WHERE c.value::bigint IN (SELECT value FROM json_each(?3))))"
        " ORDER BY id DESC";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p,
                     srv_db_query(db, srv_db_is_pg(db) ? sql_pg : sql_lite,
                                  "bjj", (int)orgs->all, orgs->ids, orgs->n,
                                  centres->ids, centres->n),
                     sizeof(**out), read_source, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

int srv_store_import_source_due(struct srv_store *st, struct srv_pool *p,
                                int64_t now, unsigned limit,
                                struct srv_import_source **out, size_t *n)
{
    static const char sql[] = "SELECT " SOURCE_COLS " FROM import_source"
                              " WHERE enabled = 1 AND next_run_at <= ?"
                              " ORDER BY next_run_at, id LIMIT ?";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p, srv_db_query(db, sql, "ii", now, (int64_t)limit),
                     sizeof(**out), read_source, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

static int read_int(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                    void *out, void *arg)
{
    (void)db;
    (void)p;
    (void)arg;
    *(int64_t *)out = srv_db_int(s, 0);
    return 0;
}

int srv_store_import_next_due(struct srv_store *st, int64_t *at)
{
    static const char sql[] = "SELECT COALESCE(MIN(next_run_at), 0)"
                              " FROM import_source WHERE enabled = 1";
    struct srv_db *db = srv_db_acquire(st);
    int rc =
        srv_db_one(db, NULL, srv_db_query(db, sql, ""), read_int, NULL, at);

    srv_db_release(db);
    return rc;
}

int srv_store_import_source_run_now(struct srv_store *st, int64_t actor,
                                    int64_t id)
{
    static const char sql[] =
        "UPDATE import_source SET next_run_at = 0 WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "i", id);
    }
    rc = srv_db_changed_audited(db, rc, actor, "import_source.run",
                                "import_source", id);
    srv_db_release(db);
    return rc;
}

int srv_store_import_status(struct srv_store *st, int64_t id,
                            const struct srv_import_status *s)
{
    static const char sql[] =
        "UPDATE import_source SET last_run_at = ?2, next_run_at = ?3,"
        " last_ok_at = CASE WHEN ?4 <> 0 THEN ?2 ELSE last_ok_at END,"
        " last_error = CASE WHEN ?4 <> 0 THEN NULL ELSE ?5 END,"
        " failures = CASE WHEN ?4 <> 0 THEN 0 ELSE failures + 1 END,"
        " cursor = COALESCE(?6, cursor), etag = COALESCE(?7, etag),"
        " last_modified = COALESCE(?8, last_modified),"
        " counts = COALESCE(?9, counts)"
        " WHERE id = ?1";
    struct srv_db *db = srv_db_acquire(st);
    int rc =
        srv_db_exec(db, sql, "iiibttttt", id, s->last_run_at, s->next_run_at,
                    (int)s->ok, s->error ? s->error : "failed", s->cursor,
                    s->etag, s->last_modified, s->counts);

    if (!rc && srv_db_changes(db) == 0) {
        rc = TAULU_ENOTFOUND;
    }
    srv_db_release(db);
    return rc;
}

static int read_entry(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                      void *out, void *arg)
{
    struct srv_import_entry *e = out;

    (void)db;
    (void)arg;
    e->source_id = srv_db_int(s, 0);
    e->ext_id = srv_db_text(p, s, 1);
    e->item_id = srv_db_int(s, 2);
    e->hash = srv_db_text(p, s, 3);
    e->state = srv_db_text(p, s, 4);
    e->title = srv_db_text(p, s, 5);
    e->reason = srv_db_text(p, s, 6);
    e->seen_at = srv_db_int(s, 7);
    return 0;
}

#define ENTRY_COLS                                                             \
    "source_id, ext_id, COALESCE(item_id, 0), hash, state, title, reason,"     \
    " seen_at"

int srv_store_import_entries(struct srv_store *st, struct srv_pool *p,
                             int64_t source_id, struct srv_import_entry **out,
                             size_t *n)
{
    static const char sql[] = "SELECT " ENTRY_COLS " FROM import_item"
                              " WHERE source_id = ? ORDER BY ext_id";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p, srv_db_query(db, sql, "i", source_id),
                     sizeof(**out), read_entry, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

int srv_store_import_entry_put(struct srv_store *st,
                               const struct srv_import_entry *e)
{
    static const char sql[] =
        "INSERT INTO import_item (source_id, ext_id, item_id, hash,"
        " state, title, reason, seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "?8)"
        " ON CONFLICT (source_id, ext_id) DO UPDATE SET"
        " item_id = excluded.item_id, hash = excluded.hash,"
        " state = excluded.state, title = excluded.title,"
        " reason = excluded.reason, seen_at = excluded.seen_at";
    struct srv_db *db = srv_db_acquire(st);
    int rc =
        srv_db_exec(db, sql, "itztttti", e->source_id, e->ext_id, e->item_id,
                    e->hash, e->state, e->title, e->reason, e->seen_at);

    srv_db_release(db);
    return rc;
}

int srv_store_import_of_item(struct srv_store *st, struct srv_pool *p,
                             int64_t item_id, struct srv_import_entry *out)
{
    static const char sql[] = "SELECT " ENTRY_COLS " FROM import_item"
                              " WHERE item_id = ? LIMIT 1";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_one(db, p, srv_db_query(db, sql, "i", item_id), read_entry,
                        NULL, out);

    srv_db_release(db);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Opening hours from PTV */

static int read_hours(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                      void *out, void *arg)
{
    struct srv_centre_hours *h = out;

    (void)db;
    (void)arg;
    h->centre_id = srv_db_int(s, 0);
    h->source_id = srv_db_int(s, 1);
    h->weekly = srv_db_text(p, s, 2);
    h->exceptions = srv_db_text(p, s, 3);
    h->names = srv_db_text(p, s, 4);
    h->addresses = srv_db_text(p, s, 5);
    h->updated_at = srv_db_int(s, 6);
    return 0;
}

int srv_store_centre_hours_get(struct srv_store *st, struct srv_pool *p,
                               int64_t centre_id, struct srv_centre_hours *out)
{
    static const char sql[] =
        "SELECT centre_id, COALESCE(source_id, 0), weekly, exceptions, names,"
        " addresses, updated_at FROM centre_hours WHERE centre_id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_one(db, p, srv_db_query(db, sql, "i", centre_id),
                        read_hours, NULL, out);

    srv_db_release(db);
    return rc;
}

int srv_store_centre_hours_put(struct srv_store *st, int64_t actor,
                               const struct srv_centre_hours *h,
                               const char *address)
{
    static const char sql[] =
        "INSERT INTO centre_hours (centre_id, source_id, weekly,"
        " exceptions, names, addresses, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        " ON CONFLICT (centre_id) DO UPDATE SET"
        " source_id = excluded.source_id, weekly = excluded.weekly,"
        " exceptions = excluded.exceptions, names = excluded.names,"
        " addresses = excluded.addresses, updated_at = excluded.updated_at";
    static const char sql_addr[] = "UPDATE centre SET address = ? WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "iztttti", h->centre_id, h->source_id,
                         h->weekly, h->exceptions, h->names, h->addresses,
                         taulu_now());
    }
    if (!rc && address) {
        rc = srv_db_exec(db, sql_addr, "ti", address, h->centre_id);
    }
    if (!rc) {
        rc = srv_db_audit(db, actor, "centre.hours", "centre", h->centre_id,
                          NULL);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}
