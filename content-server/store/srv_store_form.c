/*
 * srv_store_form.c: what saves a volunteer typing (srv_store.h, "Less
 * typing"): drafts saved while a form is filled in, an organisation's
 * defaults for new items, and the items at a centre a new one may
 * duplicate (the contact person is told, api/srv_api_form.c).
 */
#include "srv_store_int.h"

#include "taulu_time.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Drafts */

static int read_id(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                   void *out, void *arg)
{
    (void)db;
    (void)p;
    (void)arg;
    *(int64_t *)out = srv_db_int(s, 0);
    return 0;
}

int srv_store_draft_save(struct srv_store *st, int64_t user_id,
                         const char *form, const char *title,
                         const char *content, int64_t now, int64_t *id,
                         bool *created)
{
    static const char sql_find[] =
        "SELECT id FROM draft WHERE user_id = ? AND form = ?";
    static const char sql_ins[] =
        "INSERT INTO draft (user_id, form, title, content, updated_at)"
        " VALUES (?, ?, ?, ?, ?)";
    static const char sql_upd[] =
        "UPDATE draft SET title = ?, content = ?, updated_at = ? WHERE id = ?";
    /* The user's oldest past the bound go: a draft forgotten long ago is
     * not worth a row. */
    static const char sql_trim[] =
        "DELETE FROM draft WHERE user_id = ?1 AND id NOT IN"
        " (SELECT id FROM draft WHERE user_id = ?1"
        "  ORDER BY updated_at DESC, id DESC LIMIT ?2)";
    struct srv_db *db;
    int64_t found = 0;
    int rc;

    if (!form || !content || !id || !created) {
        return TAULU_EINVAL;
    }
    db = srv_db_acquire(st);
    rc = srv_db_begin(db);
    if (!rc) {
        rc = srv_db_one(db, NULL,
                        srv_db_query(db, sql_find, "it", user_id, form),
                        read_id, NULL, &found);
        if (rc == TAULU_ENOTFOUND) {
            found = 0;
            rc = 0;
        }
    }
    if (!rc && found) {
        rc = srv_db_exec(db, sql_upd, "ttii", title ? title : "", content, now,
                         found);
        *id = found;
        *created = false;
    } else if (!rc) {
        rc = srv_db_exec(db, sql_ins, "ittti", user_id, form,
                         title ? title : "", content, now);
        *id = srv_db_last_id(db);
        *created = true;
    }
    if (!rc) {
        rc = srv_db_exec(db, sql_trim, "ii", user_id, (int64_t)SRV_DRAFTS_MAX);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

#define DRAFT_COLS "id, user_id, form, title, updated_at"

static int read_draft(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                      void *out, void *arg)
{
    struct srv_draft *d = out;

    (void)db;
    d->id = srv_db_int(s, 0);
    d->user_id = srv_db_int(s, 1);
    d->form = srv_db_text(p, s, 2);
    d->title = srv_db_text(p, s, 3);
    d->updated_at = srv_db_int(s, 4);
    d->content = arg ? srv_db_text(p, s, 5) : NULL;
    return 0;
}

int srv_store_draft_list(struct srv_store *st, struct srv_pool *p,
                         int64_t user_id, const char *form,
                         struct srv_draft **out, size_t *n)
{
    static const char sql[] =
        "SELECT " DRAFT_COLS " FROM draft"
        " WHERE user_id = ?1 AND (?2 IS NULL OR form = ?2)"
        " ORDER BY updated_at DESC, id DESC";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p, srv_db_query(db, sql, "it", user_id, form),
                     sizeof(**out), read_draft, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

int srv_store_draft_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                        struct srv_draft *out)
{
    static const char sql[] =
        "SELECT " DRAFT_COLS ", content FROM draft WHERE id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc;

    memset(out, 0, sizeof(*out));
    rc = srv_db_one(db, p, srv_db_query(db, sql, "i", id), read_draft,
                    (void *)1, out);
    srv_db_release(db);
    return rc;
}

int srv_store_draft_delete(struct srv_store *st, int64_t user_id, int64_t id)
{
    static const char sql[] = "DELETE FROM draft WHERE id = ? AND user_id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_exec(db, sql, "ii", id, user_id);

    if (!rc && srv_db_changes(db) == 0) {
        rc = TAULU_ENOTFOUND;
    }
    srv_db_release(db);
    return rc;
}

/* ------------------------------------------------------------------ */
/* An organisation's defaults */

static int read_text0(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                      void *out, void *arg)
{
    (void)db;
    (void)arg;
    *(const char **)out = srv_db_text(p, s, 0);
    return 0;
}

int srv_db_org_defaults(struct srv_db *db, struct srv_pool *p, int64_t org_id,
                        const char **out)
{
    static const char sql[] =
        "SELECT defaults FROM org_defaults WHERE org_id = ?";
    int rc = srv_db_one(db, p, srv_db_query(db, sql, "i", org_id), read_text0,
                        NULL, out);

    if (rc == TAULU_ENOTFOUND) {
        *out = NULL;
        rc = 0;
    }
    return rc;
}

int srv_store_org_set_defaults(struct srv_store *st, int64_t actor,
                               int64_t org_id, const char *json)
{
    static const char sql_exists[] = "SELECT 1 FROM org WHERE id = ?";
    static const char sql_set[] =
        "INSERT INTO org_defaults (org_id, defaults, updated_at)"
        " VALUES (?1, ?2, ?3)"
        " ON CONFLICT (org_id) DO UPDATE SET defaults = ?2, updated_at = ?3";
    static const char sql_del[] = "DELETE FROM org_defaults WHERE org_id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_begin(db);

    if (!rc) {
        rc = srv_db_one(db, NULL, srv_db_query(db, sql_exists, "i", org_id),
                        NULL, NULL, NULL);
    }
    if (!rc) {
        rc = json ? srv_db_exec(db, sql_set, "iti", org_id, json, taulu_now())
                  : srv_db_exec(db, sql_del, "i", org_id);
    }
    if (!rc) {
        rc = srv_db_audit(db, actor, "org.defaults", "org", org_id, NULL);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Duplicates */

static int read_cand(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                     void *out, void *arg)
{
    struct srv_dupe_cand *c = out;

    (void)db;
    (void)arg;
    c->placement_id = srv_db_int(s, 0);
    c->item_id = srv_db_int(s, 1);
    c->org_id = srv_db_int(s, 2);
    c->state = srv_db_int(s, 3) ? SRV_PL_APPROVED : SRV_PL_SUBMITTED;
    c->submitted_at = srv_db_int(s, 4);
    c->lang = srv_db_text(p, s, 5);
    c->title = srv_db_text(p, s, 6);
    c->body = srv_db_text(p, s, 7);
    return 0;
}

int srv_store_dupe_candidates(struct srv_store *st, struct srv_pool *p,
                              int64_t centre_id, int64_t item_id, int64_t since,
                              unsigned limit, struct srv_dupe_cand **out,
                              size_t *n)
{
    static const char sql[] =
        "SELECT p.id, p.item_id, i.org_id, p.state = 'approved',"
        " p.submitted_at, t.lang, t.title, t.body"
        " FROM placement p JOIN item i ON i.id = p.item_id"
        " JOIN item_text t ON t.item_id = i.id"
        " WHERE p.centre_id = ?1 AND p.item_id != ?2"
        " AND p.state IN ('submitted', 'approved')"
        " AND (p.submitted_at >= ?3 OR p.decided_at >= ?3)"
        " ORDER BY p.submitted_at DESC, p.id DESC, t.pos LIMIT ?4";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p,
                     srv_db_query(db, sql, "iiii", centre_id, item_id, since,
                                  (int64_t)limit),
                     sizeof(**out), read_cand, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}
