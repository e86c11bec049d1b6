/*
 * srv_store_placement.c: placements (srv_store.h), an item at one centre:
 * reading one, the approver's queue, decisions (checked against the item
 * version the decider looked at), expiry, and what a centre's screens show
 * now (the publishing side's question).
 */
#include "srv_store_int.h"

#include <stdio.h>
#include <string.h>

#include "taulu_time.h"

static const char *const state_names[SRV_PL__COUNT] = {
    "submitted",         "approved",  "rejected",
    "changes_requested", "withdrawn", "expired",
};

const char *srv_placement_state_name(enum srv_placement_state s)
{
    return (unsigned)s < SRV_PL__COUNT ? state_names[s] : "?";
}

static enum srv_placement_state state_from_name(const char *s)
{
    int i;

    for (i = 0; i < SRV_PL__COUNT; i++) {
        if (s && strcmp(s, state_names[i]) == 0) {
            return (enum srv_placement_state)i;
        }
    }
    return SRV_PL_SUBMITTED;
}

int srv_db_read_placement(struct srv_db *db, struct srv_pool *p,
                          struct srv_stmt *s, void *out, void *arg)
{
    struct srv_placement *o = out;

    (void)db;
    (void)arg;
    memset(o, 0, sizeof(*o));
    o->id = srv_db_int(s, 0);
    o->item_id = srv_db_int(s, 1);
    o->centre_id = srv_db_int(s, 2);
    o->org_id = srv_db_int(s, 3);
    o->state = state_from_name(srv_db_text_ref(s, 4));
    o->submitted_at = srv_db_int(s, 5);
    o->decided_by = srv_db_int(s, 6);
    o->decided_at = srv_db_int(s, 7);
    o->reason = srv_db_text(p, s, 8);
    o->display_from = srv_db_int(s, 9);
    o->display_until = srv_db_int(s, 10);
    o->approved_version = srv_db_int(s, 11);
    o->item_version = srv_db_int(s, 12);
    o->item_title = srv_db_text(p, s, 13);
    o->item_findings = srv_db_text(p, s, 14);
    return 0;
}

int srv_store_placement_get(struct srv_store *st, struct srv_pool *p,
                            int64_t id, struct srv_placement *out)
{
    static const char sql[] =
        "SELECT " SRV_DB_PLACEMENT_COLS " FROM placement p"
        " JOIN item i ON i.id = p.item_id"
        " WHERE p.id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc;

    rc = srv_db_one(db, p, srv_db_query(db, sql, "i", id),
                    srv_db_read_placement, NULL, out);
    srv_db_release(db);
    return rc;
}

int srv_store_placement_queue(struct srv_store *st, struct srv_pool *p,
                              const struct srv_scope *centres, unsigned limit,
                              struct srv_placement **out, size_t *n)
{
    static const char sql[] =
        "SELECT " SRV_DB_PLACEMENT_COLS " FROM placement p"
        " JOIN item i ON i.id = p.item_id"
        " WHERE p.state = 'submitted'"
        " AND (?1 <> 0 OR p.centre_id IN (SELECT value FROM json_each(?2)))"
        " ORDER BY p.submitted_at, p.id LIMIT ?3";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p,
                     srv_db_query(db, sql, "bji", (int)centres->all,
                                  centres->ids, centres->n, (int64_t)limit),
                     sizeof(**out), srv_db_read_placement, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

int srv_store_placement_decide(struct srv_store *st, int64_t actor, int64_t id,
                               enum srv_placement_state to,
                               int64_t item_version, const char *reason,
                               int64_t display_from, int64_t display_until)
{
    static const char sql[] =
        "UPDATE placement SET state = ?1, decided_by = ?2, decided_at = ?3,"
        " reason = ?4,"
        " display_from = CASE WHEN ?1 = 'approved' THEN ?5"
        "  ELSE display_from END,"
        " display_until = CASE WHEN ?1 = 'approved' THEN ?6"
        "  ELSE display_until END,"
        " approved_version = CASE WHEN ?1 = 'approved' THEN ?7"
        "  ELSE approved_version END"
        " WHERE id = ?8 AND state = 'submitted'"
        " AND (SELECT version FROM item WHERE item.id = placement.item_id)"
        "  = ?7";
    static const char sql_exists[] = "SELECT 1 FROM placement WHERE id = ?";
    const char *name = srv_placement_state_name(to);
    struct srv_db *db;
    char action[48], details[96];
    int rc;

    if (to != SRV_PL_APPROVED && to != SRV_PL_REJECTED &&
        to != SRV_PL_CHANGES_REQUESTED) {
        return TAULU_EINVAL;
    }
    db = srv_db_acquire(st);
    rc = srv_db_begin(db);
    if (!rc) {
        rc = srv_db_exec(db, sql, "tiitiiii", name, actor, taulu_now(), reason,
                         display_from, display_until, item_version, id);
    }
    if (!rc && srv_db_changes(db) == 0) {
        /* Gone, decided already, or the item was edited meanwhile. */
        rc = srv_db_why_unchanged(db, sql_exists, id);
    }
    if (!rc) {
        snprintf(action, sizeof(action), "placement.%s",
                 to == SRV_PL_APPROVED   ? "approve"
                 : to == SRV_PL_REJECTED ? "reject"
                                         : "request_changes");
        snprintf(details, sizeof(details), "{\"item_version\":%lld}",
                 (long long)item_version);
        rc = srv_db_audit(db, actor, action, "placement", id, details);
    }
    if (!rc) {
        /* The sender learns of it by e-mail (srv_store_mail.c). */
        rc = srv_db_mail_decision(db, id);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

int srv_store_expire(struct srv_store *st, int64_t now)
{
    static const char sql_audit[] =
        "INSERT INTO audit (at, actor_kind, actor_id, action, object_type,"
        " object_id, refused, details)"
        " SELECT ?1, 3, 0, 'placement.expire', 'placement', id, 0, NULL"
        " FROM placement WHERE state = 'approved' AND display_until <= ?1";
    static const char sql[] =
        "UPDATE placement SET state = 'expired'"
        " WHERE state = 'approved' AND display_until <= ?1";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db), n = 0;

    if (!rc) {
        rc = srv_db_exec(db, sql_audit, "i", now);
    }
    if (!rc) {
        rc = srv_db_exec(db, sql, "i", now);
        n = srv_db_changes(db);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc ? rc : n;
}

static int read_current(struct srv_db *db, struct srv_pool *p,
                        struct srv_stmt *s, void *out, void *arg)
{
    struct srv_current *cur = out;

    (void)db;
    (void)p;
    (void)arg;
    cur->placement_id = srv_db_int(s, 0);
    cur->item_id = srv_db_int(s, 1);
    cur->version = srv_db_int(s, 2);
    cur->display_from = srv_db_int(s, 3);
    cur->display_until = srv_db_int(s, 4);
    return 0;
}

int srv_store_centre_current(struct srv_store *st, struct srv_pool *p,
                             int64_t centre_id, int64_t now,
                             struct srv_current **out, size_t *n)
{
    static const char sql[] =
        "SELECT p.id, p.item_id,"
        " CASE WHEN p.state = 'approved' THEN i.version"
        "  ELSE p.approved_version END,"
        " p.display_from, p.display_until"
        " FROM placement p JOIN item i ON i.id = p.item_id"
        " JOIN centre c ON c.id = p.centre_id"
        " WHERE p.centre_id = ?1 AND p.display_from <= ?2"
        " AND p.display_until > ?2"
        " AND (i.kind = 'bulletin' OR i.ends_at > ?2 OR i.series_end > ?2)"
        " AND (p.state = 'approved' OR (p.state = 'submitted'"
        "  AND c.withdraw_on_edit = 0 AND p.approved_version > 0))"
        " ORDER BY p.display_from, p.id";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p, srv_db_query(db, sql, "ii", centre_id, now),
                     sizeof(**out), read_current, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}
