/*
 * srv_store_item.c: items (srv_store.h) with their language versions
 * (item_text), the JSON snapshot and checker findings of every version
 * (item_version), and the placements an item's create, edit and withdraw
 * make or change. Decisions on placements are in srv_store_placement.c.
 */
#include "srv_store_int.h"

#include <stdio.h>
#include <string.h>

#include "taulu_time.h"

static const char SQL_ITEM_EXISTS[] = "SELECT 1 FROM item WHERE id = ?";

/* ------------------------------------------------------------------ */
/* Writing */

static int put_texts(struct srv_db *db, const struct srv_item *it, int64_t id)
{
    static const char del[] = "DELETE FROM item_text WHERE item_id = ?";
    static const char ins[] =
        "INSERT INTO item_text (item_id, pos, lang, plain, title, body,"
        " place, price, registration, contact, image_alt, summary)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    size_t i;
    int rc = srv_db_exec(db, del, "i", id);

    for (i = 0; !rc && i < it->n_texts; i++) {
        const struct srv_item_text *t = &it->texts[i];
        rc = srv_db_exec(db, ins, "iitbtttttttt", id, (int64_t)i, t->lang,
                         (int)t->plain, t->title, t->body, t->place, t->price,
                         t->registration, t->contact, t->image_alt,
                         t->summary && *t->summary ? t->summary : NULL);
    }
    return rc;
}

static int put_version(struct srv_db *db, int64_t id, int64_t version,
                       const char *snapshot, const char *findings,
                       int64_t actor)
{
    static const char sql[] =
        "INSERT INTO item_version (item_id, version, snapshot, created_at,"
        " created_by, findings) VALUES (?, ?, ?, ?, ?, ?)";

    return srv_db_exec(db, sql, "iitiit", id, version, snapshot, taulu_now(),
                       actor, findings);
}

/* A new `submitted` placement of the item at a centre, with its audit
 * entry. */
static int place(struct srv_db *db, int64_t item_id, int64_t centre_id,
                 int64_t actor)
{
    static const char sql[] =
        "INSERT INTO placement (item_id, centre_id, state, submitted_at)"
        " VALUES (?, ?, 'submitted', ?)";
    char details[64];
    int rc = srv_db_exec(db, sql, "iii", item_id, centre_id, taulu_now());

    if (!rc) {
        snprintf(details, sizeof(details), "{\"centre_id\":%lld}",
                 (long long)centre_id);
        rc = srv_db_audit(db, actor, "placement.submit", "placement",
                          srv_db_last_id(db), details);
    }
    return rc;
}

int srv_store_item_create(struct srv_store *st, int64_t actor,
                          const struct srv_item *it, const int64_t *centres,
                          size_t n_centres, const char *snapshot, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO item (org_id, kind, category, starts_at, ends_at, free,"
        " step_free, induction_loop, link, image_sha256, display_from,"
        " display_until, version, created_by, created_at, updated_at,"
        " recurrence, series_end)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)";
    struct srv_db *db = srv_db_acquire(st);
    int64_t now = taulu_now();
    size_t i;
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ittiibbbttiiiiiti", it->org_id, it->kind,
                         it->category, it->starts_at, it->ends_at,
                         (int)it->free_of_charge, (int)it->step_free,
                         (int)it->induction_loop, it->link, it->image_sha256,
                         it->display_from, it->display_until, actor, now, now,
                         it->recurrence, it->series_end);
    }
    if (!rc) {
        *id = srv_db_last_id(db);
        rc = srv_db_audit(db, actor, "item.create", "item", *id, NULL);
    }
    if (!rc) {
        rc = put_texts(db, it, *id);
    }
    if (!rc) {
        rc = put_version(db, *id, 1, snapshot, it->findings, actor);
    }
    for (i = 0; !rc && i < n_centres; i++) {
        rc = place(db, *id, centres[i], actor);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

static bool has_id(const int64_t *v, size_t n, int64_t id)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (v[i] == id) {
            return true;
        }
    }
    return false;
}

/* Replaces the item's set of centres: drops the ones not listed, adds or
 * reopens the listed ones. */
static int replace_centres(struct srv_db *db, int64_t actor, int64_t item_id,
                           const int64_t *centres, size_t n_centres,
                           int64_t now)
{
    static const char sql_cur[] =
        "SELECT centre_id FROM placement WHERE item_id = ?";
    static const char sql_drop[] =
        "UPDATE placement SET state = 'withdrawn', decided_by = ?,"
        " decided_at = ? WHERE item_id = ? AND centre_id = ?"
        " AND state IN ('submitted', 'approved', 'changes_requested')";
    static const char sql_reopen[] =
        "UPDATE placement SET state = 'submitted', submitted_at = ?,"
        " decided_by = NULL, decided_at = 0, reason = NULL"
        " WHERE item_id = ? AND centre_id = ?"
        " AND state IN ('withdrawn', 'expired')";
    struct srv_pool tmp;
    struct srv_ids cur;
    size_t i, k;
    int rc;

    srv_pool_init(&tmp);
    rc = srv_db_ids(db, &tmp, srv_db_query(db, sql_cur, "i", item_id), &cur);
    for (i = 0; !rc && i < cur.n; i++) {
        if (!has_id(centres, n_centres, cur.v[i])) {
            rc = srv_db_exec(db, sql_drop, "iiii", actor, now, item_id,
                             cur.v[i]);
        }
    }
    for (k = 0; !rc && k < n_centres; k++) {
        if (has_id(cur.v, cur.n, centres[k])) {
            rc = srv_db_exec(db, sql_reopen, "iii", now, item_id, centres[k]);
        } else {
            rc = place(db, item_id, centres[k], actor);
        }
    }
    srv_pool_release(&tmp);
    return rc;
}

int srv_store_item_update(struct srv_store *st, int64_t actor,
                          const struct srv_item *it, int64_t expected_version,
                          const int64_t *centres, size_t n_centres,
                          const char *snapshot)
{
    static const char sql[] =
        "UPDATE item SET kind = ?, category = ?, starts_at = ?, ends_at = ?,"
        " free = ?, step_free = ?, induction_loop = ?, link = ?,"
        " image_sha256 = ?, display_from = ?, display_until = ?,"
        " version = version + 1, updated_at = ?, recurrence = ?,"
        " series_end = ?"
        " WHERE id = ? AND version = ?";
    /* Re-review on edit: whatever was approved or waiting for the sender's
     * changes goes back to the queue. Rejected, withdrawn and expired
     * placements stay as they are. */
    static const char sql_back[] =
        "UPDATE placement SET state = 'submitted', submitted_at = ?,"
        " decided_by = NULL, decided_at = 0, reason = NULL"
        " WHERE item_id = ? AND state IN ('approved', 'changes_requested')";
    struct srv_db *db = srv_db_acquire(st);
    int64_t now = taulu_now();
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_exec(db, sql, "ttiibbbttiiitiii", it->kind, it->category,
                         it->starts_at, it->ends_at, (int)it->free_of_charge,
                         (int)it->step_free, (int)it->induction_loop, it->link,
                         it->image_sha256, it->display_from, it->display_until,
                         now, it->recurrence, it->series_end, it->id,
                         expected_version);
    }
    if (!rc && srv_db_changes(db) == 0) {
        /* Gone, or edited since `expected_version`. */
        rc = srv_db_why_unchanged(db, SQL_ITEM_EXISTS, it->id);
    }
    if (!rc) {
        rc = put_texts(db, it, it->id);
    }
    if (!rc) {
        rc = put_version(db, it->id, expected_version + 1, snapshot,
                         it->findings, actor);
    }
    if (!rc) {
        rc = srv_db_exec(db, sql_back, "ii", now, it->id);
    }
    if (!rc && centres) {
        rc = replace_centres(db, actor, it->id, centres, n_centres, now);
    }
    if (!rc) {
        char details[64];
        snprintf(details, sizeof(details), "{\"version\":%lld}",
                 (long long)(expected_version + 1));
        rc = srv_db_audit(db, actor, "item.update", "item", it->id, details);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

int srv_store_item_cancel(struct srv_store *st, int64_t actor, int64_t item_id,
                          const char *day, bool cancel)
{
    static const char sql_add[] =
        "INSERT INTO item_cancel (item_id, day, cancelled_by,"
        " cancelled_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (item_id, day) DO NOTHING";
    static const char sql_del[] =
        "DELETE FROM item_cancel WHERE item_id = ? AND day = ?";
    struct srv_db *db;
    char details[64];
    int rc;

    if (!day || strlen(day) != 10) {
        return TAULU_EINVAL;
    }
    db = srv_db_acquire(st);
    rc = srv_db_begin(db);
    if (!rc) {
        rc = srv_db_one(db, NULL,
                        srv_db_query(db, SQL_ITEM_EXISTS, "i", item_id), NULL,
                        NULL, NULL);
    }
    if (!rc) {
        rc = cancel ? srv_db_exec(db, sql_add, "itii", item_id, day, actor,
                                  taulu_now())
                    : srv_db_exec(db, sql_del, "it", item_id, day);
    }
    if (!rc && srv_db_changes(db) > 0) {
        snprintf(details, sizeof(details), "{\"day\":\"%s\"}", day);
        rc = srv_db_audit(db, actor,
                          cancel ? "item.cancel_occurrence"
                                 : "item.restore_occurrence",
                          "item", item_id, details);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

int srv_store_item_withdraw(struct srv_store *st, int64_t actor,
                            int64_t item_id, int64_t centre_id)
{
    static const char sql[] =
        "UPDATE placement SET state = 'withdrawn', decided_by = ?,"
        " decided_at = ?"
        " WHERE item_id = ? AND (?4 = 0 OR centre_id = ?4)"
        " AND state IN ('submitted', 'approved', 'changes_requested')";
    struct srv_db *db = srv_db_acquire(st);
    char details[64];
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_one(db, NULL,
                        srv_db_query(db, SQL_ITEM_EXISTS, "i", item_id), NULL,
                        NULL, NULL);
    }
    if (!rc) {
        rc = srv_db_exec(db, sql, "iiii", actor, taulu_now(), item_id,
                         centre_id);
    }
    if (!rc) {
        snprintf(details, sizeof(details),
                 "{\"centre_id\":%lld,\"placements\":%d}", (long long)centre_id,
                 srv_db_changes(db));
        rc = srv_db_audit(db, actor, "item.withdraw", "item", item_id, details);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Reading */

#define ITEM_COLS                                                              \
    "id, org_id, kind, category, starts_at, ends_at, free, step_free,"         \
    " induction_loop, link, image_sha256, display_from, display_until,"        \
    " version, created_by, created_at, updated_at,"                            \
    " (SELECT v.findings FROM item_version v WHERE v.item_id = i.id"           \
    "  AND v.version = i.version), i.recurrence, i.series_end"

static int read_text(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                     void *out, void *arg)
{
    struct srv_item_text *t = out;

    (void)db;
    (void)arg;
    t->lang = srv_db_text(p, s, 0);
    t->plain = srv_db_bool(s, 1);
    t->title = srv_db_text(p, s, 2);
    t->body = srv_db_text(p, s, 3);
    t->place = srv_db_text(p, s, 4);
    t->price = srv_db_text(p, s, 5);
    t->registration = srv_db_text(p, s, 6);
    t->contact = srv_db_text(p, s, 7);
    t->image_alt = srv_db_text(p, s, 8);
    t->summary = srv_db_text(p, s, 9);
    return 0;
}

static int read_day(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                    void *out, void *arg)
{
    (void)db;
    (void)arg;
    *(const char **)out = srv_db_text(p, s, 0);
    return 0;
}

/* An item row with its texts, placements and cancelled occurrences, read
 * on the same connection. */
static int read_item(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                     void *out, void *arg)
{
    static const char sql_t[] =
        "SELECT lang, plain, title, body, place, price, registration,"
        " contact, image_alt, summary FROM item_text WHERE item_id = ?"
        " ORDER BY pos";
    static const char sql_p[] =
        "SELECT " SRV_DB_PLACEMENT_COLS " FROM placement p"
        " JOIN item i ON i.id = p.item_id WHERE p.item_id = ?"
        " ORDER BY p.centre_id";
    static const char sql_c[] =
        "SELECT day FROM item_cancel WHERE item_id = ? ORDER BY day";
    struct srv_item *o = out;
    struct srv_db_list l;
    int rc;

    (void)arg;
    memset(o, 0, sizeof(*o));
    o->id = srv_db_int(s, 0);
    o->org_id = srv_db_int(s, 1);
    o->kind = srv_db_text(p, s, 2);
    o->category = srv_db_text(p, s, 3);
    o->starts_at = srv_db_int(s, 4);
    o->ends_at = srv_db_int(s, 5);
    o->free_of_charge = srv_db_bool(s, 6);
    o->step_free = srv_db_bool(s, 7);
    o->induction_loop = srv_db_bool(s, 8);
    o->link = srv_db_text(p, s, 9);
    o->image_sha256 = srv_db_text(p, s, 10);
    o->display_from = srv_db_int(s, 11);
    o->display_until = srv_db_int(s, 12);
    o->version = srv_db_int(s, 13);
    o->created_by = srv_db_int(s, 14);
    o->created_at = srv_db_int(s, 15);
    o->updated_at = srv_db_int(s, 16);
    o->findings = srv_db_text(p, s, 17);
    o->recurrence = srv_db_text(p, s, 18);
    o->series_end = srv_db_int(s, 19);
    rc = srv_db_rows(db, p, srv_db_query(db, sql_t, "i", o->id),
                     sizeof(*o->texts), read_text, NULL, &l);
    o->texts = l.v;
    o->n_texts = l.n;
    if (!rc && o->recurrence) {
        rc = srv_db_rows(db, p, srv_db_query(db, sql_c, "i", o->id),
                         sizeof(*o->cancelled), read_day, NULL, &l);
        o->cancelled = l.v;
        o->n_cancelled = l.n;
    }
    if (!rc) {
        rc = srv_db_rows(db, p, srv_db_query(db, sql_p, "i", o->id),
                         sizeof(*o->placements), srv_db_read_placement, NULL,
                         &l);
        o->placements = l.v;
        o->n_placements = l.n;
    }
    return rc;
}

int srv_store_item_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                       struct srv_item *out)
{
    static const char sql[] = "SELECT " ITEM_COLS " FROM item i WHERE i.id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc;

    rc =
        srv_db_one(db, p, srv_db_query(db, sql, "i", id), read_item, NULL, out);
    srv_db_release(db);
    return rc;
}

int srv_store_item_list(struct srv_store *st, struct srv_pool *p,
                        const struct srv_scope *orgs,
                        const struct srv_scope *centres, unsigned limit,
                        unsigned offset, struct srv_item **out, size_t *n)
{
    static const char sql[] =
        "SELECT " ITEM_COLS " FROM item i"
        " WHERE ?1 <> 0 OR i.org_id IN (SELECT value FROM json_each(?2))"
        " OR EXISTS (SELECT 1 FROM placement p WHERE p.item_id = i.id"
        "  AND p.centre_id IN (SELECT value FROM json_each(?3)))"
        " ORDER BY i.id DESC LIMIT ?4 OFFSET ?5";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p,
                     srv_db_query(db, sql, "bjjii",
                                  (int)(orgs->all || centres->all), orgs->ids,
                                  orgs->n, centres->ids, centres->n,
                                  (int64_t)limit, (int64_t)offset),
                     sizeof(**out), read_item, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

static int read_snapshot(struct srv_db *db, struct srv_pool *p,
                         struct srv_stmt *s, void *out, void *arg)
{
    (void)db;
    (void)arg;
    *(const char **)out = srv_db_text(p, s, 0);
    return 0;
}

int srv_store_item_snapshot(struct srv_store *st, struct srv_pool *p,
                            int64_t item_id, int64_t version, const char **json)
{
    static const char sql[] = "SELECT snapshot FROM item_version"
                              " WHERE item_id = ? AND version = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc;

    rc = srv_db_one(db, p, srv_db_query(db, sql, "ii", item_id, version),
                    read_snapshot, NULL, json);
    srv_db_release(db);
    return rc;
}
