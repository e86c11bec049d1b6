/*
 * srv_store_play.c: the play log (srv_store.h, srv_playlog.h): seconds an
 * item was on a screen per local day, added in batches by the publisher,
 * and the report per item and centre that organisations show their
 * funders.
 */
#include "srv_store_int.h"

#include <string.h>

int srv_store_play_add(struct srv_store *st, const struct srv_play_row *rows,
                       size_t n)
{
    /* Plays of ids that are no item (a screen's junk) are skipped; a day
     * never holds more than 25 hours of one screen. */
    static const char sql[] =
        "INSERT INTO play (item_id, centre_id, day, screen_id, seconds)"
        " SELECT ?1, ?2, ?3, ?4, ?5"
        " WHERE EXISTS (SELECT 1 FROM item WHERE id = ?1)"
        " ON CONFLICT (item_id, centre_id, day, screen_id) DO UPDATE"
        " SET seconds = CASE WHEN play.seconds + excluded.seconds < 90000"
        " THEN play.seconds + excluded.seconds ELSE 90000 END";
    struct srv_db *db;
    size_t i;
    int rc;

    if (n == 0) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (!rows[i].day || strlen(rows[i].day) != 10 || rows[i].seconds < 0 ||
            rows[i].seconds > 90000) {
            return TAULU_EINVAL;
        }
    }
    db = srv_db_acquire(st);
    rc = srv_db_begin(db);
    for (i = 0; !rc && i < n; i++) {
        rc = srv_db_exec(db, sql, "iitii", rows[i].item_id, rows[i].centre_id,
                         rows[i].day, rows[i].screen_id, rows[i].seconds);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

static int read_report(struct srv_db *db, struct srv_pool *p,
                       struct srv_stmt *s, void *out, void *arg)
{
    struct srv_play_report *e = out;

    (void)db;
    (void)arg;
    e->item_id = srv_db_int(s, 0);
    e->item_title = srv_db_text(p, s, 1);
    e->org_id = srv_db_int(s, 2);
    e->org_name = srv_db_text(p, s, 3);
    e->centre_id = srv_db_int(s, 4);
    e->centre_name = srv_db_text(p, s, 5);
    e->seconds = srv_db_int(s, 6);
    e->screens = srv_db_int(s, 7);
    e->first_day = srv_db_text(p, s, 8);
    e->last_day = srv_db_text(p, s, 9);
    return 0;
}

int srv_store_play_report(struct srv_store *st, struct srv_pool *p,
                          const struct srv_play_filter *f, unsigned limit,
                          struct srv_play_report **out, size_t *n)
{
    static const char sql[] =
        "SELECT pl.item_id,"
        " COALESCE((SELECT t.title FROM item_text t WHERE t.item_id ="
        "  pl.item_id ORDER BY t.pos LIMIT 1), ''),"
        " i.org_id, o.name, pl.centre_id, COALESCE(c.name, ''),"
        " SUM(pl.seconds), COUNT(DISTINCT pl.screen_id), MIN(pl.day),"
        " MAX(pl.day)"
        " FROM play pl JOIN item i ON i.id = pl.item_id"
        " JOIN org o ON o.id = i.org_id"
        " LEFT JOIN centre c ON c.id = pl.centre_id"
        " WHERE (?1 = 0 OR i.org_id = ?1)"
        " AND (?2 <> 0 OR pl.centre_id IN (SELECT value FROM json_each(?3)))"
        " AND (?4 IS NULL OR pl.day >= ?4)"
        " AND (?5 IS NULL OR pl.day <= ?5)"
        " GROUP BY pl.item_id, pl.centre_id, i.id, o.id, c.id"
        " ORDER BY o.name, 2, 6, pl.item_id, pl.centre_id LIMIT ?6";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p,
                     srv_db_query(db, sql, "ibjtti", f->org_id,
                                  (int)f->centres.all, f->centres.ids,
                                  f->centres.n, f->from_day, f->to_day,
                                  (int64_t)limit),
                     sizeof(**out), read_report, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}
