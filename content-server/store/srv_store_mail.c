/*
 * srv_store_mail.c: the mail queue (srv_store.h): messages queued inside
 * the transactions that cause them (an invitation with its account, a
 * decision with the decision), the mailer's reads and its marks, the
 * "waiting" digests of contact persons, and what the messages tell.
 *
 * The queue is bounded (srv_store_mail_limit()): a full queue refuses an
 * invitation (the coordinator is told) and skips a notification (logged),
 * rather than grow without end while the SMTP server is away.
 */
#include "srv_store_int.h"

#include <string.h>

#include "taulu_crypto.h"
#include "taulu_log.h"
#include "taulu_time.h"

#define TAG SRV_DB_TAG

/* The JSON objects the queue keeps are spelt out with a quoted value
 * each, so that both databases write the same compact text ({"by":"..."});
 * each has its own way of quoting a JSON string (NULL gives null). */
#define JSON_QUOTE_LITE(x) "json_quote(" x ")"
#define JSON_QUOTE_PG(x)   "COALESCE(to_json(" x ")::text, 'null')"

/* A Message-ID's local part: 32 random hex digits. It is made here,
 * once, so that every try of the message carries the same one. */
static void message_id(char out[33])
{
    uint8_t r[16];

    taulu_random_bytes(r, sizeof r);
    taulu_hex_encode(r, sizeof r, out, 33);
}

int srv_db_mail_add(struct srv_db *db, const char *kind, int64_t user_id,
                    const char *to_addr, int64_t by)
{
#define MAIL_ADD(quote)                                                        \
    "INSERT INTO mail (kind, user_id, to_addr, params, next_at,"               \
    " created_at, message_id)"                                                 \
    " SELECT ?1, ?2, ?3,"                                                      \
    "  '{\"by\":' || " quote(                                                  \
        "COALESCE((SELECT name FROM account"                                   \
        " WHERE id = ?4), '')") " || '}',"                                     \
                                "  ?5, ?5, ?7"                                 \
                                " WHERE (SELECT count(*) FROM mail WHERE "     \
                                "state = 'queued') < ?6"
    static const char sql_lite[] = MAIL_ADD(JSON_QUOTE_LITE);
    static const char sql_pg[] = MAIL_ADD(JSON_QUOTE_PG);
#undef MAIL_ADD
    char mid[33];
    int rc;

    message_id(mid);
    rc = srv_db_exec(db, srv_db_is_pg(db) ? sql_pg : sql_lite, "tztiiit", kind,
                     user_id, to_addr, by, taulu_now(), srv_db_mail_max(db),
                     mid);
    if (!rc && srv_db_changes(db) == 0) {
        taulu_warn(TAG, "the mail queue is full: a %s message was refused",
                   kind);
        return TAULU_ELIMIT;
    }
    if (!rc) {
        srv_db_mail_queued(db);
    }
    return rc;
}

int srv_db_mail_decision(struct srv_db *db, int64_t placement_id)
{
    /* What was decided is kept with the message (the reason could be
     * decided again differently after an edit); the rest is read when it
     * is sent. Nobody is told of their own decision. */
#define MAIL_DECISION(quote)                                                   \
    "INSERT INTO mail (kind, user_id, params, next_at, created_at,"            \
    " message_id)"                                                             \
    " SELECT 'decision', i.created_by,"                                        \
    "  '{\"placement_id\":' || p.id || ',\"state\":' || " quote(               \
        "p.state") "  || ',\"reason\":' || " quote("p.reason") " || '}', ?2, " \
                                                               "?2, ?4"        \
                                                               " FROM "        \
                                                               "placement p "  \
                                                               "JOIN item i "  \
                                                               "ON i.id = "    \
                                                               "p.item_id"     \
                                                               " JOIN "        \
                                                               "account a ON " \
                                                               "a.id = "       \
                                                               "i.created_by"  \
                                                               " WHERE p.id "  \
                                                               "= ?1 AND "     \
                                                               "a.notify = 1 " \
                                                               "AND "          \
                                                               "a.disabled = " \
                                                               "0"             \
                                                               "  AND "        \
                                                               "p.decided_by " \
                                                               "IS DISTINCT "  \
                                                               "FROM "         \
                                                               "i.created_by"  \
                                                               "  AND "        \
                                                               "(SELECT "      \
                                                               "count(*) "     \
                                                               "FROM mail "    \
                                                               "WHERE state "  \
                                                               "= 'queued') "  \
                                                               "< ?3"
    static const char sql_lite[] = MAIL_DECISION(JSON_QUOTE_LITE);
    static const char sql_pg[] = MAIL_DECISION(JSON_QUOTE_PG);
#undef MAIL_DECISION
    char mid[33];
    int rc;

    message_id(mid);
    rc = srv_db_exec(db, srv_db_is_pg(db) ? sql_pg : sql_lite, "iiit",
                     placement_id, taulu_now(), srv_db_mail_max(db), mid);

    if (!rc && srv_db_changes(db) > 0) {
        srv_db_mail_queued(db);
    }
    return rc;
}

static int read_mail(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                     void *out, void *arg)
{
    struct srv_mail *m = out;

    (void)db;
    (void)arg;
    m->id = srv_db_int(s, 0);
    m->kind = srv_db_text(p, s, 1);
    m->user_id = srv_db_int(s, 2);
    m->to_addr = srv_db_text(p, s, 3);
    m->params = srv_db_text(p, s, 4);
    m->attempts = srv_db_int(s, 5);
    m->created_at = srv_db_int(s, 6);
    m->message_id = srv_db_text(p, s, 7);
    return 0;
}

int srv_store_mail_due(struct srv_store *st, struct srv_pool *p, int64_t now,
                       unsigned limit, struct srv_mail **out, size_t *n)
{
    static const char sql[] =
        "SELECT id, kind, COALESCE(user_id, 0), to_addr, params, attempts,"
        " created_at, message_id FROM mail"
        " WHERE state = 'queued' AND next_at <= ? ORDER BY next_at, id"
        " LIMIT ?";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l;
    int rc;

    rc = srv_db_rows(db, p, srv_db_query(db, sql, "ii", now, (int64_t)limit),
                     sizeof(**out), read_mail, NULL, &l);
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

/* Contact persons with placements submitted at their centres since their
 * last "waiting" message (not of their own items), with when the first of
 * those came and when that message was sent: user_id, first, last. */
#define DIGEST_CANDIDATES                                                      \
    "SELECT c.user_id AS user_id, MIN(p.submitted_at) AS first,"               \
    " COALESCE(ns.last_sent_at, 0) AS last"                                    \
    " FROM contact c"                                                          \
    " JOIN account a ON a.id = c.user_id AND a.disabled = 0"                   \
    "  AND a.notify = 1 AND a.pwhash != ''"                                    \
    " JOIN placement p ON p.centre_id = c.centre_id"                           \
    "  AND p.state = 'submitted'"                                              \
    " JOIN item i ON i.id = p.item_id AND i.created_by != c.user_id"           \
    " LEFT JOIN notify_state ns ON ns.user_id = c.user_id"                     \
    " WHERE p.submitted_at >= COALESCE(ns.seen_until, 0)"                      \
    " GROUP BY c.user_id, ns.user_id"

static int read_int(struct srv_db *db, struct srv_pool *p, struct srv_stmt *s,
                    void *out, void *arg)
{
    (void)db;
    (void)p;
    (void)arg;
    *(int64_t *)out = srv_db_int(s, 0);
    return 0;
}

int srv_store_mail_next(struct srv_store *st, int64_t delay, int64_t interval,
                        int64_t *next_at)
{
    static const char sql[] =
        "SELECT COALESCE(MIN(t), 0) FROM ("
        " SELECT MIN(next_at) AS t FROM mail WHERE state = 'queued'"
        " UNION ALL"
        " SELECT MIN(CASE WHEN first + ?1 > last + ?2 THEN first + ?1"
        "  ELSE last + ?2 END) FROM (" DIGEST_CANDIDATES ") AS d) AS t";
    struct srv_db *db = srv_db_acquire(st);
    int rc;

    *next_at = 0;
    rc = srv_db_one(db, NULL, srv_db_query(db, sql, "ii", delay, interval),
                    read_int, NULL, next_at);
    srv_db_release(db);
    return rc;
}

int srv_store_mail_digests(struct srv_store *st, int64_t now, int64_t delay,
                           int64_t interval)
{
    static const char sql[] = "SELECT user_id FROM (" DIGEST_CANDIDATES ") AS d"
                              " WHERE first + ?1 <= ?3 AND last + ?2 <= ?3";
    /* Submissions from this second on count as new for the next message:
     * one may be told twice, never not at all. */
    static const char upsert[] =
        "INSERT INTO notify_state (user_id, last_sent_at, seen_until)"
        " VALUES (?1, ?2, ?2) ON CONFLICT (user_id) DO UPDATE"
        " SET last_sent_at = ?2, seen_until = ?2";
    struct srv_db *db = srv_db_acquire(st);
    struct srv_pool pool;
    struct srv_ids users = {NULL, 0};
    size_t i;
    int rc, queued = 0;

    srv_pool_init(&pool);
    rc = srv_db_begin(db);
    if (!rc) {
        rc = srv_db_ids(db, &pool,
                        srv_db_query(db, sql, "iii", delay, interval, now),
                        &users);
    }
    for (i = 0; !rc && i < users.n; i++) {
        rc = srv_db_mail_add(db, "waiting", users.v[i], NULL, 0);
        if (!rc) {
            rc = srv_db_exec(db, upsert, "ii", users.v[i], now);
            queued++;
        }
    }
    if (rc == TAULU_ELIMIT) {
        /* Those queued so far stay; the rest wait for room. */
        rc = 0;
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    srv_pool_release(&pool);
    return rc ? rc : queued;
}

int srv_store_mail_done(struct srv_store *st, int64_t id, const char *state,
                        int64_t now, const char *error)
{
    static const char sql[] =
        "UPDATE mail SET state = ?1, done_at = ?2, last_error = ?3,"
        " to_addr = NULL,"
        " attempts = attempts + CASE WHEN ?1 = 'dropped' THEN 0 ELSE 1 END"
        " WHERE id = ?4 AND state = 'queued'";
    static const char del_link[] = "DELETE FROM account_link WHERE mail_id = ?";
    /* "Aino was sent her invitation" belongs in the log; a message to
     * nobody does not. */
#define MAIL_AUDIT(quote)                                                      \
    "INSERT INTO audit (at, actor_kind, actor_id, action, object_type,"        \
    " object_id, refused, details)"                                            \
    " SELECT ?1, 3, 0, 'mail.' || ?2, 'user', user_id, 0,"                     \
    "  '{\"kind\":' || " quote(                                                \
        "kind") " || '}'"                                                      \
                " FROM mail WHERE id = ?3 AND user_id IS NOT NULL"
    static const char audit_lite[] = MAIL_AUDIT(JSON_QUOTE_LITE);
    static const char audit_pg[] = MAIL_AUDIT(JSON_QUOTE_PG);
#undef MAIL_AUDIT
    struct srv_db *db;
    int rc;

    if (strcmp(state, "sent") != 0 && strcmp(state, "failed") != 0 &&
        strcmp(state, "dropped") != 0) {
        return TAULU_EINVAL;
    }
    db = srv_db_acquire(st);
    rc = srv_db_begin(db);
    if (!rc) {
        rc = srv_db_exec(db, sql, "titi", state, now, error, id);
    }
    if (!rc && srv_db_changes(db) == 0) {
        rc = TAULU_ENOTFOUND;
    }
    if (!rc && strcmp(state, "sent") != 0) {
        rc = srv_db_exec(db, del_link, "i", id);
    }
    if (!rc && strcmp(state, "dropped") != 0) {
        rc = srv_db_exec(db, srv_db_is_pg(db) ? audit_pg : audit_lite, "iti",
                         now, state, id);
    }
    rc = srv_db_finish(db, rc);
    srv_db_release(db);
    return rc;
}

int srv_store_mail_retry(struct srv_store *st, int64_t id, int64_t next_at,
                         const char *error)
{
    static const char sql[] =
        "UPDATE mail SET attempts = attempts + 1, next_at = ?,"
        " last_error = ? WHERE id = ? AND state = 'queued'";
    struct srv_db *db = srv_db_acquire(st);
    int rc = srv_db_exec(db, sql, "iti", next_at, error, id);

    if (!rc && srv_db_changes(db) == 0) {
        rc = TAULU_ENOTFOUND;
    }
    srv_db_release(db);
    return rc;
}

static int read_counts(struct srv_db *db, struct srv_pool *p,
                       struct srv_stmt *s, void *out, void *arg)
{
    int64_t *v = out;

    (void)db;
    (void)p;
    (void)arg;
    v[0] = srv_db_int(s, 0);
    v[1] = srv_db_int(s, 1);
    v[2] = srv_db_int(s, 2);
    return 0;
}

int srv_store_mail_counts(struct srv_store *st, int64_t *queued, int64_t *sent,
                          int64_t *failed)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM mail WHERE state = 'queued'),"
        " (SELECT count(*) FROM mail WHERE state = 'sent'),"
        " (SELECT count(*) FROM mail WHERE state = 'failed')";
    struct srv_db *db = srv_db_acquire(st);
    int64_t v[3] = {0, 0, 0};
    int rc;

    rc = srv_db_one(db, NULL, srv_db_query(db, sql, ""), read_counts, NULL, v);
    srv_db_release(db);
    *queued = v[0];
    *sent = v[1];
    *failed = v[2];
    return rc;
}

int srv_store_mail_purge(struct srv_store *st, int64_t before)
{
    static const char del_links[] =
        "DELETE FROM account_link WHERE expires_at <= ?";
    static const char del_mail[] =
        "DELETE FROM mail WHERE state != 'queued' AND done_at < ?"
        " AND id NOT IN (SELECT mail_id FROM account_link)";
    struct srv_db *db = srv_db_acquire(st);
    int rc, n = 0;

    rc = srv_db_exec(db, del_links, "i", taulu_now());
    if (!rc) {
        rc = srv_db_exec(db, del_mail, "i", before);
    }
    if (!rc) {
        n = srv_db_changes(db);
    }
    srv_db_release(db);
    return rc ? rc : n;
}

/* ------------------------------------------------------------------ */
/* What the messages tell */

static int read_waiting(struct srv_db *db, struct srv_pool *p,
                        struct srv_stmt *s, void *out, void *arg)
{
    struct srv_waiting *w = out;

    (void)db;
    (void)arg;
    w->placement_id = srv_db_int(s, 0);
    w->title = srv_db_text(p, s, 1);
    w->org_name = srv_db_text(p, s, 2);
    w->centre_name = srv_db_text(p, s, 3);
    w->submitted_at = srv_db_int(s, 4);
    return 0;
}

#define WAITING_FROM                                                           \
    " FROM placement p JOIN item i ON i.id = p.item_id"                        \
    " JOIN contact ct ON ct.centre_id = p.centre_id AND ct.user_id = ?1"       \
    " WHERE p.state = 'submitted' AND i.created_by != ?1"

int srv_store_mail_waiting(struct srv_store *st, struct srv_pool *p,
                           int64_t user_id, unsigned limit,
                           struct srv_waiting **out, size_t *n, int64_t *total)
{
    static const char sql[] =
        "SELECT p.id,"
        " COALESCE((SELECT title FROM item_text t WHERE t.item_id = i.id"
        "  ORDER BY pos LIMIT 1), ''),"
        " (SELECT name FROM org WHERE org.id = i.org_id),"
        " (SELECT name FROM centre WHERE centre.id = p.centre_id),"
        " p.submitted_at" WAITING_FROM " ORDER BY p.submitted_at, p.id"
        " LIMIT ?2";
    static const char sql_n[] = "SELECT count(*)" WAITING_FROM;
    struct srv_db *db = srv_db_acquire(st);
    struct srv_db_list l = {NULL, 0};
    int rc;

    *total = 0;
    rc =
        srv_db_rows(db, p, srv_db_query(db, sql, "ii", user_id, (int64_t)limit),
                    sizeof(**out), read_waiting, NULL, &l);
    if (!rc) {
        rc = srv_db_one(db, NULL, srv_db_query(db, sql_n, "i", user_id),
                        read_int, NULL, total);
    }
    srv_db_release(db);
    *out = l.v;
    *n = l.n;
    return rc;
}

static int read_decision(struct srv_db *db, struct srv_pool *p,
                         struct srv_stmt *s, void *out, void *arg)
{
    struct srv_decision *d = out;

    (void)db;
    (void)arg;
    d->item_id = srv_db_int(s, 0);
    d->title = srv_db_text(p, s, 1);
    d->centre_name = srv_db_text(p, s, 2);
    d->decider_name = srv_db_text(p, s, 3);
    d->display_from = srv_db_int(s, 4);
    d->display_until = srv_db_int(s, 5);
    return 0;
}

int srv_store_mail_decision(struct srv_store *st, struct srv_pool *p,
                            int64_t placement_id, struct srv_decision *out)
{
    static const char sql[] =
        "SELECT p.item_id,"
        " COALESCE((SELECT title FROM item_text t WHERE t.item_id = p.item_id"
        "  ORDER BY pos LIMIT 1), ''),"
        " COALESCE((SELECT name FROM centre WHERE id = p.centre_id), ''),"
        " COALESCE((SELECT name FROM account WHERE id = p.decided_by), ''),"
        " p.display_from, p.display_until FROM placement p WHERE p.id = ?";
    struct srv_db *db = srv_db_acquire(st);
    int rc;

    memset(out, 0, sizeof(*out));
    rc = srv_db_one(db, p, srv_db_query(db, sql, "i", placement_id),
                    read_decision, NULL, out);
    srv_db_release(db);
    return rc;
}
