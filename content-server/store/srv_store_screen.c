/*
 * srv_store_screen.c: screens (srv_store.h): their records, the look-up by
 * bearer token, the status that status ingestion writes, the counts
 * /metrics reads, and which screens show an item. The publisher's own rows
 * per screen are in srv_store_pub.c.
 */
#include "srv_store_int.h"

#include "taulu_time.h"

#define SCREEN_COLS                                                            \
    "id, centre_id, name, orientation, width_px, height_px, diagonal_in,"      \
    " viewing_distance_m, online, last_seen, applied_version, last_error,"     \
    " created_at, reported_width_px, reported_height_px,"                      \
    " reported_diagonal_in, reported_distance_m, unplaced, paged"

static int read_screen(struct srv_db *db, struct srv_pool *p,
                       struct srv_stmt *s, void *out, void *arg)
{
    struct srv_screen *o = out;

    (void)db;
    (void)arg;
    o->id = srv_db_int(s, 0);
    o->centre_id = srv_db_int(s, 1);
    o->name = srv_db_text(p, s, 2);
    o->orientation = srv_db_text(p, s, 3);
    o->width_px = (int)srv_db_int(s, 4);
    o->height_px = (int)srv_db_int(s, 5);
    o->diagonal_in = srv_db_double(s, 6);
    o->viewing_distance_m = srv_db_double(s, 7);
    o->online = srv_db_bool(s, 8);
    o->last_seen = srv_db_int(s, 9);
    o->applied_version = srv_db_int(s, 10);
    o->last_error = srv_db_text(p, s, 11);
    o->created_at = srv_db_int(s, 12);
    o->reported_width_px = (int)srv_db_int(s, 13);
    o->reported_height_px = (int)srv_db_int(s, 14);
    o->reported_diagonal_in = srv_db_double(s, 15);
    o->reported_distance_m = srv_db_double(s, 16);
    o->unplaced = srv_db_text(p, s, 17);
    o->paged = srv_db_text(p, s, 18);
    return 0;
}

/* The hash a screen was looked up by. */
struct token_key {
    const uint8_t *hash;
};

/* read_screen() of a row found by token hash (`arg`, a struct token_key):
 * column 19 is the stored hash, compared in constant time although the
 * index look-up already matched. */
static int read_screen_token(struct srv_db *db, struct srv_pool *p,
                             struct srv_stmt *s, void *out, void *arg)
{
    const struct token_key *key = arg;

    read_screen(db, p, s, out, NULL);
    return srv_db_hash_equal(s, 19, key->hash) ? 0 : TAULU_ENOTFOUND;
}

int srv_store_screen_list(struct srv_store *st, struct srv_pool *p,
                          const struct srv_scope *centres,
                          struct srv_screen **out, size_t *n)
{
    static const char sql[] =
        "SELECT " SCREEN_COLS " FROM screen"
        " WHERE ?1 <> 0 OR centre_id IN (SELECT value FROM json_each(?2))"
        " ORDER BY centre_id, name";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p,
                     srv_db_query(db, sql, "bj", (int)centres->all,
                                  centres->ids, centres->n),
                     sizeof(**out), read_screen, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

int srv_store_screen_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                         struct srv_screen *out)
{
    static const char sql[] = "SELECT " SCREEN_COLS " FROM screen WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc;

    rc = srv_db_one(db, p, srv_db_query(db, sql, "i", id), read_screen, NULL,
                    out);
    srv_db_release(db);
    return rc;
}

int srv_store_screen_by_token(struct srv_store *st, struct srv_pool *p,
                              const uint8_t token_hash[32],
                              struct srv_screen *out)
{
    static const char sql[] =
        "SELECT " SCREEN_COLS ", token_hash FROM screen WHERE token_hash = ?";
    struct srv_db *db = srv_db_acquire(st);
    struct token_key key = {token_hash};
    int rc;

    rc = srv_db_one(db, p, srv_db_query(db, sql, "h", token_hash),
                    read_screen_token, &key, out);
    srv_db_release(db);
    return rc;
}

int srv_store_screen_create(struct srv_store *st, int64_t actor,
                            const struct srv_screen *o,
                            const uint8_t token_hash[32], int64_t *id)
{
    static const char sql[] =
        "INSERT INTO screen (centre_id, name, orientation, width_px,"
        " height_px, diagonal_in, viewing_distance_m, token_hash,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ittiiddhi", o->centre_id, o->name,
                         o->orientation, (int64_t)o->width_px,
                         (int64_t)o->height_px, o->diagonal_in,
                         o->viewing_distance_m, token_hash, taulu_now());
    }
    rc = srv_db_insert_audited(db, rc, actor, "screen.create", "screen", id);
    srv_db_release(db);
    return rc;
}

int srv_store_screen_update(struct srv_store *st, int64_t actor,
                            const struct srv_screen *o)
{
    /* A new configured profile forgets the reported one: until the player
     * says what it lays out for now, the configured profile is what the
     * fit check knows. */
    static const char sql[] =
        "UPDATE screen SET centre_id = ?1, name = ?2, orientation = ?3,"
        " reported_width_px = CASE WHEN width_px = ?4 AND height_px = ?5"
        "  AND diagonal_in = ?6 AND viewing_distance_m = ?7"
        "  AND orientation = ?3 THEN reported_width_px ELSE 0 END,"
        " width_px = ?4, height_px = ?5, diagonal_in = ?6,"
        " viewing_distance_m = ?7 WHERE id = ?8";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ittiiddi", o->centre_id, o->name,
                         o->orientation, (int64_t)o->width_px,
                         (int64_t)o->height_px, o->diagonal_in,
                         o->viewing_distance_m, o->id);
    }
    rc =
        srv_db_changed_audited(db, rc, actor, "screen.update", "screen", o->id);
    srv_db_release(db);
    return rc;
}

int srv_store_screen_delete(struct srv_store *st, int64_t actor, int64_t id)
{
    static const char sql[] = "DELETE FROM screen WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "i", id);
    }
    rc = srv_db_changed_audited(db, rc, actor, "screen.delete", "screen", id);
    srv_db_release(db);
    return rc;
}

int srv_store_screen_set_status(struct srv_store *st,
                                const struct srv_screen *o)
{
    static const char sql[] =
        "UPDATE screen SET online = ?1, last_seen = ?2, applied_version = ?3,"
        " last_error = ?4,"
        " reported_width_px = CASE WHEN ?5 > 0 THEN ?5"
        "  ELSE reported_width_px END,"
        " reported_height_px = CASE WHEN ?5 > 0 THEN ?6"
        "  ELSE reported_height_px END,"
        " reported_diagonal_in = CASE WHEN ?5 > 0 THEN ?7"
        "  ELSE reported_diagonal_in END,"
        " reported_distance_m = CASE WHEN ?5 > 0 THEN ?8"
        "  ELSE reported_distance_m END,"
        " unplaced = ?9, paged = ?10 WHERE id = ?11";
    struct srv_db *db = srv_db_acquire(st);
    const char *err = o->last_error && o->last_error[0] ? o->last_error : NULL;
    /* One statement in autocommit: its own transaction, no audit entry. */
    int rc =
        srv_db_exec(db, sql, "biitiiddtti", (int)o->online, o->last_seen,
                    o->applied_version, err, (int64_t)o->reported_width_px,
                    (int64_t)o->reported_height_px, o->reported_diagonal_in,
                    o->reported_distance_m, o->unplaced ? o->unplaced : "",
                    o->paged ? o->paged : "", o->id);

    if (!rc && srv_db_changes(db) == 0) {
        rc = TAULU_ENOTFOUND;
    }
    srv_db_release(db);
    return rc;
}

/* The two counts of srv_store_screen_counts(), into int64_t[2]. */
static int read_counts(struct srv_db *db, struct srv_pool *p,
                       struct srv_stmt *s, void *out, void *arg)
{
    int64_t *v = out;

    (void)db;
    (void)p;
    (void)arg;
    v[0] = srv_db_int(s, 0);
    v[1] = srv_db_int(s, 1);
    return 0;
}

int srv_store_screen_counts(struct srv_store *st, int64_t *online,
                            int64_t *total)
{
    static const char sql[] =
        "SELECT COALESCE(SUM(online), 0), COUNT(*) FROM screen";
    struct srv_db *db = srv_db_acquire(st);
    int64_t v[2];
    int rc;

    rc = srv_db_one(db, NULL, srv_db_query(db, sql, ""), read_counts, NULL, v);
    srv_db_release(db);
    if (rc) {
        /* An aggregate always answers one row. */
        return TAULU_EDB;
    }
    *online = v[0];
    *total = v[1];
    return 0;
}

int srv_store_screens_of_item(struct srv_store *st, struct srv_pool *p,
                              int64_t item_id, struct srv_ids *out)
{
    static const char sql[] = "SELECT DISTINCT s.id FROM screen s"
                              " JOIN placement p ON p.centre_id = s.centre_id"
                              " WHERE p.item_id = ? ORDER BY s.id";
    struct srv_db *db = srv_db_acquire(st);
    int rc;

    rc = srv_db_ids(db, p, srv_db_query(db, sql, "i", item_id), out);
    srv_db_release(db);
    return rc;
}

int srv_store_screen_set_token(struct srv_store *st, int64_t actor,
                               int64_t screen_id, const uint8_t token_hash[32])
{
    static const char sql[] = "UPDATE screen SET token_hash = ? WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "hi", token_hash, screen_id);
    }
    rc = srv_db_changed_audited(db, rc, actor, "screen.enrol", "screen",
                                screen_id);
    srv_db_release(db);
    return rc;
}

int srv_store_screen_create_many(struct srv_store *st, int64_t actor,
                                 const struct srv_screen *s, size_t n,
                                 const uint8_t (*hashes)[32], int64_t *ids,
                                 size_t *bad)
{
    static const char sql[] =
        "INSERT INTO screen (centre_id, name, orientation, width_px,"
        " height_px, diagonal_in, viewing_distance_m, token_hash,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    struct srv_db *db = srv_db_acquire(st);
    int64_t now = taulu_now();
    int rc = srv_db_begin(db);
    size_t i;

    *bad = 0;
    for (i = 0; !rc && i < n; i++) {
        const struct srv_screen *o = &s[i];

        rc = srv_db_exec(db, sql, "ittiiddhi", o->centre_id, o->name,
                         o->orientation, (int64_t)o->width_px,
                         (int64_t)o->height_px, o->diagonal_in,
                         o->viewing_distance_m, hashes[i], now);
        if (!rc) {
            ids[i] = srv_db_last_id(db);
            rc = srv_db_audit(db, actor, "screen.create", "screen", ids[i],
                              "{\"import\":true}");
        } else {
            *bad = i;
        }
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}
