/*
 * srv_store.h: the content server's storage, in terms of its data model.
 *
 * Handlers and the policy never see SQL: everything goes through the
 * functions below, which one backend implements (SQLite today: the
 * srv_store_*.c files, a core and one file per part of the data model, see
 * srv_store_int.h; a PostgreSQL backend implements the same header).
 * Every write that changes state also appends its audit-log entry in the
 * same transaction, so a change without its audit entry (or the other way
 * round) cannot exist.
 *
 * Threads: a struct srv_store is shared by all HTTP worker threads. The
 * SQLite backend keeps a small pool of connections (one per worker, handed
 * out under a mutex); each call takes one for its duration. WAL mode lets
 * readers run beside the one writer; writers wait on the busy timeout.
 *
 * Memory: whatever a read returns (strings, arrays) is allocated from the
 * caller's struct srv_pool and lives until the pool is released. Inputs are
 * borrowed.
 *
 * Returns: 0 or a negative code: TAULU_ENOTFOUND (no such record),
 * TAULU_ECONFLICT (unique value taken, or the record changed since it was
 * read: optimistic version check), TAULU_EREFERENCED (still used by other
 * records), TAULU_EDB (the database failed: logged, counted in /metrics),
 * TAULU_EINVAL (caller error).
 */
#ifndef SRV_STORE_H
#define SRV_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srv_pool.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_manifest.h"
#include "taulu_proto.h"

struct srv_store;

/* Who did something, for the audit log and for decided_by / created_by. */
enum srv_actor_kind {
    SRV_ACTOR_ANON = 0,
    SRV_ACTOR_USER = 1,
    SRV_ACTOR_SCREEN = 2,
    SRV_ACTOR_SYSTEM = 3,
};

/* Who is calling, as the policy (api/srv_policy.h) judges them and a
 * request (http/srv_http.h) carries them. The arrays are borrowed (from
 * the user's record). */
struct srv_actor {
    enum srv_actor_kind kind;
    int64_t id; /* user id or screen id */
    bool coordinator;
    const int64_t *orgs; /* member of */
    size_t n_orgs;
    const int64_t *centres; /* contact person of */
    size_t n_centres;
};

struct srv_ids {
    int64_t *v;
    size_t n;
};

struct srv_area {
    int64_t id;
    const char *name;
};

struct srv_centre {
    int64_t id;
    int64_t area_id; /* 0 = none */
    const char *name;
    const char *municipality; /* Statistics Finland code, "564" */
    const char *address;
    const char *opening_hours; /* normalised JSON array of 7 (Mon..Sun) */
    const char *languages;     /* normalised JSON array of codes */
    bool withdraw_on_edit;     /* edited approved items leave the screens
                                  until re-approved (default true) */
    /* The short form of `name` for the screens' header ("Tuira"), NULL =
     * none; `name` is in the centre's first language. */
    const char *short_name;
    /* The names in the centre's other languages, normalised JSON
     * {"sv": {"name": "Tuira välfärdscentral", "short": "Tuira"}} ("short"
     * optional); never NULL when read ("{}"), NULL on write = "{}". */
    const char *names;
    /* The loop budget in seconds (TAULU_LOOP_MIN_S..TAULU_LOOP_MAX_S); 0
     * on write = TAULU_LOOP_DEFAULT_S. */
    int loop_s;
};

struct srv_screen {
    int64_t id;
    int64_t centre_id;
    const char *name;
    const char *orientation; /* "landscape" | "portrait" */
    int width_px, height_px;
    double diagonal_in;
    double viewing_distance_m;
    /* status, written by status ingestion (srv_store_screen_set_status();
     * ignored by create and update) */
    bool online;
    int64_t last_seen;       /* 0 = never */
    int64_t applied_version; /* manifest version the player reports */
    const char *last_error;  /* NULL = none */
    int64_t created_at;
    /* What the player last reported it lays out for (its own settings
     * over the configured profile; protocol status "profile"): 0 = none
     * reported yet. Width and height as the content is shown. Cleared when
     * the configured profile is edited. */
    int reported_width_px, reported_height_px;
    double reported_diagonal_in, reported_distance_m;
    /* Cards it reports it cannot show whole, and shows on pages: wire ids
     * ("i12") separated by spaces, "" = none (never NULL when read). */
    const char *unplaced;
    const char *paged;
};

struct srv_org {
    int64_t id;
    const char *name;
    const char *kind; /* "ngo" | "parish" | "county" | "other" */
    struct srv_ids members;
    const char *defaults; /* read only: JSON object text of its defaults for
                             new items, NULL = none (see
                             srv_store_org_set_defaults()) */
};

struct srv_user {
    int64_t id;
    const char *email;
    const char *name;
    bool coordinator;
    bool disabled;
    struct srv_ids contact_centres; /* contact person of these */
    struct srv_ids orgs;            /* member of these */
    int64_t created_at;
    /* The account's own settings (srv_store_user_set_prefs()); create
     * and invite take `lang` (NULL: "fi"), update ignores both, a new
     * account's notify is true. */
    const char *lang; /* "fi" | "sv" | "en": its messages' language */
    bool notify;      /* wants notifications (not invitations, resets) */
    /* Read only: */
    bool password_set;       /* false: invited or reset, cannot sign in */
    int64_t link_expires_at; /* its latest set-password link's expiry,
                                0 = none */
    bool mail_pending;       /* an invitation or reset message waits in
                                the queue */
};

/* One language version of an item. */
struct srv_item_text {
    const char *lang; /* "fi", "sv", "en", ... */
    bool plain;       /* written in plain language (selkokieli) */
    const char *title;
    const char *body;
    const char *place;        /* events; NULL = none */
    const char *price;        /* NULL = none */
    const char *registration; /* NULL = none */
    const char *contact;      /* NULL = none */
    const char *image_alt;    /* required when the item has an image */
    /* the short screen text, shown on the screens instead of the body
     * (which is then the full text); NULL = none */
    const char *summary;
};

enum srv_placement_state {
    SRV_PL_SUBMITTED = 0,
    SRV_PL_APPROVED,
    SRV_PL_REJECTED,
    SRV_PL_CHANGES_REQUESTED,
    SRV_PL_WITHDRAWN,
    SRV_PL_EXPIRED,
    SRV_PL__COUNT
};
const char *srv_placement_state_name(enum srv_placement_state s);

struct srv_placement {
    int64_t id;
    int64_t item_id;
    int64_t centre_id;
    int64_t org_id; /* the item's organisation (for the policy) */
    enum srv_placement_state state;
    int64_t submitted_at;
    int64_t decided_by; /* 0 = nobody yet */
    int64_t decided_at;
    const char *reason;       /* NULL = none */
    int64_t display_from;     /* set by the approver */
    int64_t display_until;    /* set by the approver */
    int64_t approved_version; /* item version last approved here, 0 = none */
    /* Queue listings also fill these: */
    const char *item_title; /* first language version's title */
    int64_t item_version;
    const char *item_findings; /* the checker's JSON for item_version, or
                                  NULL (see srv_item.findings) */
};

struct srv_item {
    int64_t id;
    int64_t org_id;
    const char *kind;     /* "bulletin" | "event" */
    const char *category; /* one of the ten theme slugs */
    int64_t starts_at;    /* events; 0 for bulletins */
    int64_t ends_at;      /* events; 0 for bulletins */
    bool free_of_charge, step_free, induction_loop;
    const char *link;         /* https URL or NULL */
    const char *image_sha256; /* NULL = no image */
    int64_t display_from;     /* 0 = from approval */
    int64_t display_until;    /* required */
    int64_t version;          /* 1 on create, +1 on every edit */
    int64_t created_by;
    int64_t created_at;
    int64_t updated_at;
    struct srv_item_text *texts;
    size_t n_texts;
    struct srv_placement *placements;
    size_t n_placements;
    /* The checker's findings for this version: JSON {"fi": {"lang",
     * "light", "summary", "findings"}, ...}; written with the version on
     * create and update, read back for the current version. NULL = not
     * checked. */
    const char *findings;
    /* A recurring event (srv_recur.h): the rule as the API's JSON object
     * (with its until), NULL for a one-off event or a bulletin;
     * starts_at/ends_at are then the first occurrence. series_end is the
     * end of the last occurrence (0: not recurring). Written on create and
     * update like the rest of the content. */
    const char *recurrence;
    int64_t series_end;
    /* Cancelled occurrences, "YYYY-MM-DD" (local dates), in order: read
     * with the item, written only by srv_store_item_cancel(); not part of
     * a version. */
    const char **cancelled;
    size_t n_cancelled;
};

struct srv_alert_text {
    const char *lang;
    const char *title;
    const char *body;
};

struct srv_alert {
    int64_t id;
    int64_t centre_id; /* 0 = every centre */
    int64_t starts_at;
    int64_t ends_at;  /* mandatory */
    int64_t ended_at; /* ended early by hand; 0 = not */
    int64_t created_by;
    int64_t created_at;
    struct srv_alert_text *texts;
    size_t n_texts;
};

struct srv_audit {
    int64_t id;
    int64_t at;
    enum srv_actor_kind actor_kind;
    int64_t actor_id;   /* user or screen id; 0 for anonymous/system */
    const char *action; /* "item.create", "placement.approve", ... */
    const char *object_type;
    int64_t object_id;
    bool refused;        /* a refused attempt, not a change */
    const char *details; /* JSON object text or NULL */
};

struct srv_audit_filter {
    int64_t actor_id;        /* 0 = any */
    const char *action;      /* NULL = any */
    const char *object_type; /* NULL = any */
    int64_t object_id;       /* 0 = any */
    int refused;             /* -1 any, 0 changes only, 1 refusals only */
    int64_t since, until;    /* 0 = open */
    int64_t before_id;       /* paging: entries older than this id */
    unsigned limit;          /* 1..500 */
};

/* Scope of a listing: all, or restricted to the given ids. */
struct srv_scope {
    bool all;
    const int64_t *ids; /* borrowed */
    size_t n;
};

/* What a screen of a centre should show now (for the manifest builder). */
struct srv_current {
    int64_t placement_id;
    int64_t item_id;
    int64_t version; /* the item version to show: the current one, or the
                        approved one while an edit awaits re-review at a
                        centre that keeps showing edited items */
    int64_t display_from, display_until;
};

/* Opens (creating if needed) and migrates the database. `connections` is
 * the number of pooled connections (>= 1). 0, TAULU_EDB, TAULU_ENOMEM. */
int srv_store_open(const char *path, unsigned connections,
                   struct srv_store **out);
/* Creates or migrates the database at `path` up to schema `version`
 * (1..srv_store_schema_version()) and no further, and closes it: to test
 * the upgrade of a database some versions old. 0, TAULU_EINVAL, TAULU_EDB,
 * TAULU_ENOMEM. */
int srv_store_migrate_to(const char *path, int version);
void srv_store_close(struct srv_store *st);
/* The schema version the code migrates to. */
int srv_store_schema_version(void);
/* The oldest schema a database of `target` can be at: 1 for a SQLite
 * file; a PostgreSQL database is made at a later version in one step. */
int srv_store_first_version(const char *target);
/* PRAGMA integrity_check and foreign_key_check: 0 if clean, TAULU_EDB. */
int srv_store_check(struct srv_store *st);
/* Number of database errors since start (for /metrics). */
uint64_t srv_store_db_errors(struct srv_store *st);
/* Whether the database orders text by code point as SQLite does (always
 * on SQLite; on PostgreSQL a C / POSIX / C.UTF-8 collation, checked at
 * open, where a database that does not gets one warning in the log). */
bool srv_store_collation_ok(const struct srv_store *st);
/* The store's gauges for /metrics (infotaulu_db_collation_ok) appended
 * to `out`: 0 or -1 (out of memory). */
struct taulu_buf;
int srv_store_metrics(struct srv_store *st, struct taulu_buf *out);

/* Audit: `e->at` 0 = now. */
int srv_store_audit_add(struct srv_store *st, const struct srv_audit *e);
int srv_store_audit_list(struct srv_store *st, struct srv_pool *p,
                         const struct srv_audit_filter *f,
                         struct srv_audit **out, size_t *n);

/* `actor` is the acting user (for the audit entry); 0 = system. */
int srv_store_area_list(struct srv_store *st, struct srv_pool *p,
                        struct srv_area **out, size_t *n);
int srv_store_area_create(struct srv_store *st, int64_t actor, const char *name,
                          int64_t *id);
int srv_store_area_update(struct srv_store *st, int64_t actor, int64_t id,
                          const char *name);
int srv_store_area_delete(struct srv_store *st, int64_t actor, int64_t id);

int srv_store_centre_list(struct srv_store *st, struct srv_pool *p,
                          struct srv_centre **out, size_t *n);
int srv_store_centre_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                         struct srv_centre *out);
int srv_store_centre_create(struct srv_store *st, int64_t actor,
                            const struct srv_centre *c, int64_t *id);
int srv_store_centre_update(struct srv_store *st, int64_t actor,
                            const struct srv_centre *c);
int srv_store_centre_delete(struct srv_store *st, int64_t actor, int64_t id);

/* Screens: `token_hash` is sha256 of the screen's bearer token. */
int srv_store_screen_list(struct srv_store *st, struct srv_pool *p,
                          const struct srv_scope *centres,
                          struct srv_screen **out, size_t *n);
int srv_store_screen_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                         struct srv_screen *out);
int srv_store_screen_create(struct srv_store *st, int64_t actor,
                            const struct srv_screen *s,
                            const uint8_t token_hash[32], int64_t *id);
int srv_store_screen_update(struct srv_store *st, int64_t actor,
                            const struct srv_screen *s);
int srv_store_screen_delete(struct srv_store *st, int64_t actor, int64_t id);
/* The screen whose token hashes to `token_hash` (compared in constant
 * time after the indexed look-up). */
int srv_store_screen_by_token(struct srv_store *st, struct srv_pool *p,
                              const uint8_t token_hash[32],
                              struct srv_screen *out);
/* Status ingestion: writes only s->id's online, last_seen,
 * applied_version, last_error (NULL or "" = none), the reported profile
 * (reported_width_px 0: leave the one kept) and the unplaced and paged
 * cards (NULL = ""), with one UPDATE. No
 * audit entry: these are what a screen reports, not a change anybody made.
 * TAULU_ENOTFOUND if there is no such screen (deleted meanwhile). */
int srv_store_screen_set_status(struct srv_store *st,
                                const struct srv_screen *s);
/* Count of screens marked online, and of all screens. */
int srv_store_screen_counts(struct srv_store *st, int64_t *online,
                            int64_t *total);

int srv_store_org_list(struct srv_store *st, struct srv_pool *p,
                       const struct srv_scope *scope, struct srv_org **out,
                       size_t *n);
int srv_store_org_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                      struct srv_org *out);
int srv_store_org_create(struct srv_store *st, int64_t actor,
                         const struct srv_org *o, int64_t *id);
int srv_store_org_update(struct srv_store *st, int64_t actor,
                         const struct srv_org *o);
int srv_store_member_add(struct srv_store *st, int64_t actor, int64_t org_id,
                         int64_t user_id);
int srv_store_member_remove(struct srv_store *st, int64_t actor, int64_t org_id,
                            int64_t user_id);

/* Users. `pwhash` is the crypto_pwhash_str() string. */
int srv_store_user_create(struct srv_store *st, int64_t actor,
                          const struct srv_user *u, const char *pwhash,
                          int64_t *id);
int srv_store_user_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                       struct srv_user *out);
/* By e-mail (case-insensitive); also returns the password hash. */
int srv_store_user_by_email(struct srv_store *st, struct srv_pool *p,
                            const char *email, struct srv_user *out,
                            const char **pwhash);
int srv_store_user_list(struct srv_store *st, struct srv_pool *p,
                        struct srv_user **out, size_t *n);
/* Replaces name, coordinator, disabled and contact centres. Disabling
 * also ends the user's sessions and tokens. */
int srv_store_user_update(struct srv_store *st, int64_t actor,
                          const struct srv_user *u);
int srv_store_user_set_password(struct srv_store *st, int64_t actor, int64_t id,
                                const char *pwhash);

/*
 * Accounts that look after themselves (srv_store_account.c). A password
 * hash of "" means "no password": such an account cannot sign in until
 * its owner sets one through a link from an invitation or a reset.
 * Functions that queue a message return TAULU_ELIMIT when the mail queue
 * is full (srv_store_mail_limit()).
 */
/* The account's language ("fi", "sv", "en"; NULL = keep) and
 * notifications (-1 = keep, 0 off, 1 on). */
int srv_store_user_set_prefs(struct srv_store *st, int64_t id, const char *lang,
                             int notify);
/* Creates the account without a password and queues its invitation, in
 * one transaction. */
int srv_store_user_invite(struct srv_store *st, int64_t actor,
                          const struct srv_user *u, int64_t *id);
/* Queues a new invitation for an account that has no password yet:
 * TAULU_ECONFLICT if it has one, TAULU_ENOTFOUND. */
int srv_store_user_reinvite(struct srv_store *st, int64_t actor, int64_t id);
/* The coordinator's forced reset: the password is cleared, the account's
 * sessions, API tokens and earlier links end, and a reset message is
 * queued. */
int srv_store_user_force_reset(struct srv_store *st, int64_t actor, int64_t id);
/* A reset asked for by address, by anybody: queued as it is, whether or
 * not such an account exists (the mailer finds out and forgets the
 * address), so that the request costs the same either way. */
int srv_store_reset_request(struct srv_store *st, const char *email);
/* A password changed by its owner (who gave the old one): the new hash,
 * and every session of the account ends except `keep_session` (sha256 of
 * the session id; NULL: all). */
int srv_store_user_change_password(struct srv_store *st, int64_t id,
                                   const char *pwhash,
                                   const uint8_t *keep_session);

/* A set-password link as its page asks about it. */
struct srv_link {
    int64_t user_id;
    const char *purpose; /* "invite" | "reset" */
    int64_t expires_at;
    const char *email;
    const char *name;
};
/* Stores the link of message `mail_id` (replacing the one an earlier try
 * of the same message made), for `user_id`. */
int srv_store_link_put(struct srv_store *st, int64_t mail_id, int64_t user_id,
                       const char *purpose, const uint8_t hash[32],
                       int64_t expires_at);
/* The unexpired link whose secret hashes to `hash` (compared in constant
 * time after the indexed look-up) of an account that is not disabled;
 * TAULU_ENOTFOUND otherwise. */
int srv_store_link_get(struct srv_store *st, struct srv_pool *p,
                       const uint8_t hash[32], int64_t now,
                       struct srv_link *out);
/* Uses the link: sets the password, removes all of the account's links
 * (each link works once), ends its sessions and API tokens, writes the
 * audit entry. *user_id is the account. TAULU_ENOTFOUND if the link is
 * not valid (any more). */
int srv_store_link_use(struct srv_store *st, const uint8_t hash[32],
                       int64_t now, const char *pwhash, int64_t *user_id);

/*
 * The mail queue (srv_store_mail.c). Rows say what to send; the mailer
 * (mail/srv_mailer.h) writes the text when it sends.
 */
#define SRV_MAIL_QUEUE_DEFAULT 10000
struct srv_mail {
    int64_t id;
    const char *kind;    /* "invite" | "reset" | "waiting" | "decision" */
    int64_t user_id;     /* 0: a reset asked for by address */
    const char *to_addr; /* that address; NULL otherwise */
    const char *params;  /* JSON object text */
    int64_t attempts;
    int64_t created_at;
    const char *message_id; /* the local part, the same at every try */
};
/* The most messages waiting at once (default SRV_MAIL_QUEUE_DEFAULT):
 * past it, new ones are refused (TAULU_ELIMIT) or, for notifications,
 * not queued (logged). */
void srv_store_mail_limit(struct srv_store *st, int64_t max_queued);
/* Called after a transaction that queued a message commits (from the
 * committing thread): the mailer's wake-up. */
void srv_store_mail_hook(struct srv_store *st, void (*fn)(void *), void *arg);
/* Messages due at `now`, oldest first, at most `limit`. */
int srv_store_mail_due(struct srv_store *st, struct srv_pool *p, int64_t now,
                       unsigned limit, struct srv_mail **out, size_t *n);
/* The earliest time something will be due: a queued message, or a
 * "waiting" digest (see srv_store_mail_digests()); 0 = nothing. */
int srv_store_mail_next(struct srv_store *st, int64_t delay, int64_t interval,
                        int64_t *next_at);
/* The end of a message: sent (accepted by the SMTP server), failed (given
 * up; `error` says why) or dropped (nothing to send: unknown address,
 * notifications turned off, nothing waits any more). Drops the address of
 * a reset asked for by address, and a failed or dropped message's link. */
int srv_store_mail_done(struct srv_store *st, int64_t id, const char *state,
                        int64_t now, const char *error);
/* Another try later: attempts + 1, next_at, the error. */
int srv_store_mail_retry(struct srv_store *st, int64_t id, int64_t next_at,
                         const char *error);
/* Messages queued now, and the rows in each end state. */
int srv_store_mail_counts(struct srv_store *st, int64_t *queued, int64_t *sent,
                          int64_t *failed);
/* Forgets finished messages older than `before`; returns how many. */
int srv_store_mail_purge(struct srv_store *st, int64_t before);
/*
 * "Something waits for you": for every contact person who wants
 * notifications, whose centres have placements submitted since the last
 * such message (not their own items), queues one message once the
 * oldest of those is `delay` seconds old and the last message is
 * `interval` seconds old. Returns how many were queued.
 */
int srv_store_mail_digests(struct srv_store *st, int64_t now, int64_t delay,
                           int64_t interval);
/* What a "waiting" message lists: the submitted placements at the
 * user's centres (not of items the user made), oldest first, at most
 * `limit`; *total counts them all. */
struct srv_waiting {
    int64_t placement_id;
    const char *title;
    const char *org_name;
    const char *centre_name;
    int64_t submitted_at;
};
int srv_store_mail_waiting(struct srv_store *st, struct srv_pool *p,
                           int64_t user_id, unsigned limit,
                           struct srv_waiting **out, size_t *n, int64_t *total);
/* What a decision message tells: the placement as it is now. */
struct srv_decision {
    int64_t item_id;
    const char *title; /* the item's first version's title */
    const char *centre_name;
    const char *decider_name; /* "" if unknown */
    int64_t display_from, display_until;
};
int srv_store_mail_decision(struct srv_store *st, struct srv_pool *p,
                            int64_t placement_id, struct srv_decision *out);

/* The names an audit entry refers to, for the log in words
 * (srv_store_names.c). Strings NULL when there is nothing to name (or
 * it was deleted). */
struct srv_audit_names {
    const char *actor_name;   /* user or screen */
    const char *actor_email;  /* users */
    const char *object_name;  /* item title, centre, user, org, area,
                                 screen name; a placement's item title */
    int64_t object_org_id;    /* items and placements: the organisation */
    int64_t object_centre_id; /* placements, screens, alerts: the centre */
    const char *centre_name;  /* that centre, or details' centre_id's */
    const char *user_name;    /* details' user_id's (member changes) */
    const char *user_email;
};
/* One per entry of `e` into *out (n records, from the pool). */
int srv_store_audit_names(struct srv_store *st, struct srv_pool *p,
                          const struct srv_audit *e, size_t n,
                          struct srv_audit_names **out);

/* ---- limits shared by every instance on the database ---- */

/* A rate limiter's record (content-server/api/srv_auth.c). */
struct srv_limit_row {
    int64_t failures;
    int64_t last;  /* wall-clock seconds */
    int64_t until; /* locked out until then */
};

/* Runs fn on the record of (scope, key) in one write transaction, so that
 * every instance counts the same attempts one at a time: a missing record
 * arrives zeroed; after fn it is written back, or deleted when fn leaves
 * failures and until at 0. Records of the scope untouched since
 * `forget_before` and not locked out at `now` are deleted on the way. */
int srv_store_limit_update(struct srv_store *st, const char *scope,
                           const uint8_t key[32], int64_t now,
                           int64_t forget_before,
                           void (*fn)(struct srv_limit_row *r, void *arg),
                           void *arg);

/* Whether other server instances may share this database (PostgreSQL):
 * then what one process kept in memory must live in the database. */
bool srv_store_shared(const struct srv_store *st);

/* Sessions, keyed by sha256 of the random session id. */
int srv_store_session_create(struct srv_store *st, const uint8_t hash[32],
                             int64_t user_id, const char *csrf,
                             int64_t expires_at);
int srv_store_session_get(struct srv_store *st, struct srv_pool *p,
                          const uint8_t hash[32], int64_t now, int64_t *user_id,
                          const char **csrf);
int srv_store_session_delete(struct srv_store *st, const uint8_t hash[32]);
/* API bearer tokens of users. */
int srv_store_token_create(struct srv_store *st, int64_t user_id,
                           const char *name, const uint8_t hash[32],
                           int64_t expires_at, int64_t *id);
int srv_store_token_user(struct srv_store *st, const uint8_t hash[32],
                         int64_t now, int64_t *user_id);
int srv_store_token_delete(struct srv_store *st, int64_t user_id, int64_t id);
/* Removes expired sessions and tokens; returns how many or a code. */
int srv_store_purge_expired(struct srv_store *st, int64_t now);

/* Items. Create inserts the item, its texts, one `submitted` placement per
 * centre and version 1's snapshot. */
int srv_store_item_create(struct srv_store *st, int64_t actor,
                          const struct srv_item *it, const int64_t *centres,
                          size_t n_centres, const char *snapshot, int64_t *id);
/* With texts and placements. */
int srv_store_item_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                       struct srv_item *out);
/* Items of the given organisations, or placed at the given centres, or all
 * (texts filled, placements filled). Newest first. */
int srv_store_item_list(struct srv_store *st, struct srv_pool *p,
                        const struct srv_scope *orgs,
                        const struct srv_scope *centres, unsigned limit,
                        unsigned offset, struct srv_item **out, size_t *n);
/* Replaces the content of item it->id if its version is still
 * `expected_version`; the version goes up by one and `snapshot` (the new
 * version as JSON) is kept. Placements that were approved or waiting for
 * changes return to submitted. `centres` (if non-NULL) replaces the set of
 * centres: new ones are submitted, dropped ones withdrawn. */
int srv_store_item_update(struct srv_store *st, int64_t actor,
                          const struct srv_item *it, int64_t expected_version,
                          const int64_t *centres, size_t n_centres,
                          const char *snapshot);
/* The snapshot (JSON) of one version of an item. */
int srv_store_item_snapshot(struct srv_store *st, struct srv_pool *p,
                            int64_t item_id, int64_t version,
                            const char **json);
/* Cancels (cancel true) or restores one occurrence of a recurring item,
 * named by its local date "YYYY-MM-DD", with its audit entry
 * ("item.cancel_occurrence" / "item.restore_occurrence"). No placement
 * changes: the occurrence was approved with the series, and a
 * cancellation only takes it back. Doing it twice is no error (nothing
 * changes, nothing is audited). The caller checks that the date is an
 * occurrence. TAULU_ENOTFOUND if there is no such item. */
int srv_store_item_cancel(struct srv_store *st, int64_t actor, int64_t item_id,
                          const char *day, bool cancel);
/* Withdraws the item's placements (all, or the one at `centre_id`) that are
 * not already final. */
int srv_store_item_withdraw(struct srv_store *st, int64_t actor,
                            int64_t item_id, int64_t centre_id);

int srv_store_placement_get(struct srv_store *st, struct srv_pool *p,
                            int64_t id, struct srv_placement *out);
/* Submitted placements at the given centres, oldest first. */
int srv_store_placement_queue(struct srv_store *st, struct srv_pool *p,
                              const struct srv_scope *centres, unsigned limit,
                              struct srv_placement **out, size_t *n);
/* Moves a `submitted` placement to approved / rejected /
 * changes_requested, recording who, when, why and (approve) the display
 * window. TAULU_ECONFLICT if it is no longer submitted or the item's version
 * is no longer `item_version` (it was edited while being reviewed). */
int srv_store_placement_decide(struct srv_store *st, int64_t actor, int64_t id,
                               enum srv_placement_state to,
                               int64_t item_version, const char *reason,
                               int64_t display_from, int64_t display_until);
/* Marks approved placements whose display window has closed as expired;
 * returns how many (>= 0) or a code. */
int srv_store_expire(struct srv_store *st, int64_t now);

/* The publishing side's two questions. */
int srv_store_centre_current(struct srv_store *st, struct srv_pool *p,
                             int64_t centre_id, int64_t now,
                             struct srv_current **out, size_t *n);
int srv_store_screens_of_item(struct srv_store *st, struct srv_pool *p,
                              int64_t item_id, struct srv_ids *out);

int srv_store_alert_create(struct srv_store *st, int64_t actor,
                           const struct srv_alert *a, int64_t *id);
int srv_store_alert_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                        struct srv_alert *out);
/* Alerts not ended at `now` for the given centres (plus all-centre ones). */
int srv_store_alert_list(struct srv_store *st, struct srv_pool *p,
                         const struct srv_scope *centres, int64_t now,
                         struct srv_alert **out, size_t *n);
int srv_store_alert_end(struct srv_store *st, int64_t actor, int64_t id,
                        int64_t now);

/* The play log (srv_playlog.h): seconds an item was on a screen on one
 * local day. Adds `n` rows in one transaction (seconds are summed into
 * existing rows; rows of ids that are not items are skipped). */
struct srv_play_row {
    int64_t item_id;
    int64_t centre_id;
    int64_t screen_id;
    const char *day; /* "YYYY-MM-DD", Europe/Helsinki */
    int64_t seconds; /* 0..90000 */
};
int srv_store_play_add(struct srv_store *st, const struct srv_play_row *rows,
                       size_t n);

/* Per item and centre over the days from_day..to_day (inclusive, NULL =
 * open), of one organisation (org_id 0 = all) at the centres in scope. */
struct srv_play_filter {
    int64_t org_id;
    struct srv_scope centres;
    const char *from_day, *to_day;
};
struct srv_play_report {
    int64_t item_id;
    const char *item_title; /* the item's first text's title */
    int64_t org_id;
    const char *org_name;
    int64_t centre_id;
    const char *centre_name; /* "" if the centre was deleted */
    int64_t seconds;
    int64_t screens; /* distinct screens */
    const char *first_day, *last_day;
};
int srv_store_play_report(struct srv_store *st, struct srv_pool *p,
                          const struct srv_play_filter *f, unsigned limit,
                          struct srv_play_report **out, size_t *n);

/*
 * The publisher's rows (srv_publish.h), per screen: the manifest state, so
 * that seq keeps growing across restarts and an unchanged manifest is
 * rebuilt to the very same bytes; the last status the screen reported;
 * and its MQTT password hash, so that the broker's password file can be
 * written again at any time. Not part of the screen record and without
 * audit entries: what the publisher and the screens do, not what anybody
 * changed. A deleted screen's rows stay until srv_store_pub_forget().
 */

/* Persisted per screen, so seq keeps growing across restarts and an
 * unchanged manifest is rebuilt to the very same bytes (same sha256: the
 * players do not fetch anything after a server restart). */
struct srv_pub_state {
    int64_t screen_id;
    int64_t seq;
    int64_t built_at;
    char digest[TAULU_SHA256_HEX_LEN + 1];
    char sha256[TAULU_SHA256_HEX_LEN + 1];
    /* The signed manifest (text, manifest_len bytes) these are of, so that
     * every instance serves the bytes the publishing one signed: written
     * with the state when not NULL (borrowed); read only by
     * srv_store_pub_manifests(). has_manifest: the row holds them. */
    const char *manifest;
    size_t manifest_len;
    bool has_manifest;
};

/* What a screen last said about itself. */
struct srv_pub_status {
    bool known; /* a status has arrived at some time */
    bool online;
    int64_t last_seen; /* when the server last heard from it */
    bool has_seq;
    int64_t applied_seq;
    char applied_sha256[TAULU_SHA256_HEX_LEN + 1];
    char error[TAULU_PROTO_ERROR_MAX + 1];
    char alert_ack[TAULU_PROTO_MAX_ALERT_ACK][TAULU_MANIFEST_MAX_ID + 1];
    size_t n_alert_ack;
    /* the profile it lays out for, and the cards it cannot show as one
     * card, one page (taulu_proto_status) */
    bool has_profile;
    struct taulu_profile profile;
    char unplaced[TAULU_PROTO_MAX_CARD_IDS][TAULU_MANIFEST_MAX_ID + 1];
    size_t n_unplaced;
    char paged[TAULU_PROTO_MAX_CARD_IDS][TAULU_MANIFEST_MAX_ID + 1];
    size_t n_paged;
    /* The display as the screen last said (enum taulu_display_state: on,
     * dark, off on purpose outside opening hours). In memory only, not
     * saved: the broker keeps the screen's retained status, which comes
     * again when the server subscribes. */
    int display;
    /* The loop as the screen runs it (taulu_proto_status.loop). Kept in
     * memory only, not saved: it changes loop by loop when cards take
     * turns, and the retained status brings it back after a restart. */
    bool has_loop;
    int loop_s, loop_all_s, loop_turns, loop_window;
};

/* A saved status and its screen. */
struct srv_pub_status_row {
    int64_t screen_id;
    struct srv_pub_status status; /* known is true */
    /* The screen's record holds the same status (online, last_seen, the
     * applied seq, the error, the unplaced and paged cards): false when
     * the screen is gone or a write of its record was lost (an instance
     * that died between the two writes). */
    bool record_agrees;
};

/* A screen's MQTT password hash (Mosquitto "$7$" form, see srv_broker.h). */
#define SRV_STORE_MQTT_HASH_MAX 128 /* with the NUL */
struct srv_mqtt_hash {
    int64_t screen_id;
    const char *hash;
};

/* Every screen's saved state, by screen id. */
int srv_store_pub_states(struct srv_store *st, struct srv_pool *p,
                         struct srv_pub_state **out, size_t *n);
/* Inserts or replaces a batch in one transaction: all or nothing. On a
 * shared database only while this instance holds the publishers' lock
 * (srv_store_lead()), checked inside the transaction: TAULU_ECONFLICT
 * otherwise, so a deposed instance never writes a seq. */
int srv_store_pub_save_states(struct srv_store *st,
                              const struct srv_pub_state *s, size_t n);
/* The saved states with their signed manifests of the screens `ids`
 * (those that have them), allocated from `p`. */
int srv_store_pub_manifests(struct srv_store *st, struct srv_pool *p,
                            const int64_t *ids, size_t n_ids,
                            struct srv_pub_state **out, size_t *n);
/* One card or alert the publishing instance had to leave out of a
 * centre's manifests, and why (srv_manifest.h's struct
 * srv_manifest_refusal, as the other instances on a shared database read
 * it: they make no build of their own). */
struct srv_pub_refusal {
    int64_t centre_id;
    bool alert;           /* an alert; else an item's card */
    int64_t id;           /* the item's or the alert's id */
    int64_t placement_id; /* cards: the placement (0 for alerts) */
    const char *reason;
};
/* Replaces a centre's list with v[0..n) (kept in this order) in one
 * transaction; on a shared database fenced like
 * srv_store_pub_save_states() (TAULU_ECONFLICT). */
int srv_store_pub_save_refusals(struct srv_store *st, int64_t centre_id,
                                const struct srv_pub_refusal *v, size_t n);
/* Every centre's list, by centre and then in its order, allocated from
 * `p`. */
int srv_store_pub_refusals(struct srv_store *st, struct srv_pool *p,
                           struct srv_pub_refusal **out, size_t *n);
/* Inserts or replaces one screen's status, all of it. */
int srv_store_pub_save_status(struct srv_store *st, int64_t screen_id,
                              const struct srv_pub_status *s);
/* Every saved status, by screen id, with whether the screen's record
 * agrees with it (one read: the publisher taking over writes only what
 * differs). */
int srv_store_pub_statuses(struct srv_store *st, struct srv_pool *p,
                           struct srv_pub_status_row **out, size_t *n);
/* Sets a screen's MQTT password hash; TAULU_EINVAL if it is
 * SRV_STORE_MQTT_HASH_MAX bytes or longer. */
int srv_store_pub_set_mqtt_hash(struct srv_store *st, int64_t screen_id,
                                const char *hash);
/* Every screen's MQTT password hash, by screen id. */
int srv_store_pub_mqtt_hashes(struct srv_store *st, struct srv_pool *p,
                              struct srv_mqtt_hash **out, size_t *n);
/* Forgets a deleted screen's rows (state, status, MQTT hash) in one
 * transaction. */
int srv_store_pub_forget(struct srv_store *st, int64_t screen_id);

/*
 * Less typing (srv_store_form.c): drafts, organisations' defaults, and
 * the items a new one may duplicate.
 *
 * A draft is what one user typed into one form and has not sent: saved
 * as they type, one per user and form key ("item:new", "item:edit-42"),
 * replaced by the next save. `content` is the form's own JSON object as
 * the web UI sent it (not an item: it may be half written); `title` a
 * line for the list. No audit entries: a draft changes nothing anybody
 * else sees. A user keeps at most SRV_DRAFTS_MAX drafts; a save past that
 * forgets the least recently saved.
 */
#define SRV_DRAFTS_MAX 20
struct srv_draft {
    int64_t id;
    int64_t user_id; /* the owner */
    const char *form;
    const char *title;
    const char *content; /* JSON object text; NULL in lists */
    int64_t updated_at;
};
/* Saves user_id's draft of `form` (inserted or replaced): its id into
 * *id, *created whether it is new. */
int srv_store_draft_save(struct srv_store *st, int64_t user_id,
                         const char *form, const char *title,
                         const char *content, int64_t now, int64_t *id,
                         bool *created);
/* The user's drafts (of `form` only, or all with NULL), newest first,
 * without their content. */
int srv_store_draft_list(struct srv_store *st, struct srv_pool *p,
                         int64_t user_id, const char *form,
                         struct srv_draft **out, size_t *n);
/* One draft, content included, whoever owns it (the caller checks). */
int srv_store_draft_get(struct srv_store *st, struct srv_pool *p, int64_t id,
                        struct srv_draft *out);
/* Deletes draft `id` if user_id owns it; TAULU_ENOTFOUND otherwise. */
int srv_store_draft_delete(struct srv_store *st, int64_t user_id, int64_t id);

/* An organisation's defaults for new items: a JSON object text (place,
 * contact, category, languages) or NULL to forget them; with its audit
 * entry "org.defaults". TAULU_ENOTFOUND if there is no such
 * organisation. Read back with the organisation (srv_org.defaults). */
int srv_store_org_set_defaults(struct srv_store *st, int64_t actor,
                               int64_t org_id, const char *json);

/* One text version of an item placed at a centre, for finding duplicates:
 * what the contact person of that centre already has or had to decide. */
struct srv_dupe_cand {
    int64_t placement_id;
    int64_t item_id;
    int64_t org_id;
    enum srv_placement_state state; /* submitted or approved */
    int64_t submitted_at;
    const char *lang;
    const char *title;
    const char *body;
};
/* The text versions of the items other than `item_id` with a placement at
 * `centre_id` that is submitted or approved and was submitted or decided
 * at `since` or later; newest first, at most `limit` rows. */
int srv_store_dupe_candidates(struct srv_store *st, struct srv_pool *p,
                              int64_t centre_id, int64_t item_id, int64_t since,
                              unsigned limit, struct srv_dupe_cand **out,
                              size_t *n);
/* Screens in the field (srv_store_screen.c). A new token for an enrolled
 * screen (docs/protocol.md, "Enrolment"): the old one stops working; the
 * audit entry "screen.enrol" names `actor`, the coordinator who bound the
 * code. TAULU_ENOTFOUND if the screen is gone. */
int srv_store_screen_set_token(struct srv_store *st, int64_t actor,
                               int64_t screen_id, const uint8_t token_hash[32]);
/* Creates n screens in one transaction (all or none), each with its own
 * token hash (`hashes`: n x 32 bytes) and a "screen.create" audit entry;
 * their ids into ids[]. TAULU_ECONFLICT (a name taken at its centre: *bad
 * is its index), TAULU_EREFERENCED (no such centre: *bad), TAULU_EDB. */
int srv_store_screen_create_many(struct srv_store *st, int64_t actor,
                                 const struct srv_screen *s, size_t n,
                                 const uint8_t (*hashes)[32], int64_t *ids,
                                 size_t *bad);

/*
 * Importers (srv_store_import.c, docs/importers.md): sources someone
 * added, the events each one brought, and the opening hours a PTV source
 * gives a centre. The import layer (content-server/import/) reads and
 * writes these; items themselves are made by the same calls as the API's.
 */
struct srv_import_source {
    int64_t id;
    const char *kind; /* "ical" | "linkedevents" | "ptv" */
    const char *name;
    const char *url;
    int64_t org_id;         /* who the items are from; 0 for "ptv" */
    struct srv_ids centres; /* target centres ("ptv": the one centre) */
    const char *category;   /* the items' category slug ("" for "ptv") */
    const char *lang;       /* language of texts that do not say theirs */
    int64_t interval_min;   /* minutes between runs */
    bool enabled;
    int64_t created_by; /* the account the items are made as */
    int64_t created_at;
    /* How it went (srv_store_import_status(); ignored by create and
     * update, which make the source due at once): */
    int64_t last_run_at, last_ok_at, next_run_at;
    const char *last_error;           /* NULL = the last run went well */
    int64_t failures;                 /* runs failed in a row */
    const char *cursor;               /* Linked Events: last_modified_since */
    const char *etag, *last_modified; /* the last 200's validators */
    const char *counts;               /* JSON object text of the last run */
};

struct srv_import_status {
    int64_t last_run_at, next_run_at;
    bool ok;
    const char *error;                                  /* when !ok */
    const char *cursor, *etag, *last_modified, *counts; /* NULL: keep */
};

/* One event of a source and what became of it. */
struct srv_import_entry {
    int64_t source_id;
    const char *ext_id;
    int64_t item_id;    /* 0 = none (refused before it became an item) */
    const char *hash;   /* of what it was made from (sha256 hex) */
    const char *state;  /* "active" | "refused" | "withdrawn" | "skipped" */
    const char *title;  /* its title at the source, for the owner's list */
    const char *reason; /* refused or skipped: JSON text; NULL otherwise */
    int64_t seen_at;
};

int srv_store_import_source_create(struct srv_store *st, int64_t actor,
                                   const struct srv_import_source *s,
                                   int64_t *id);
/* Replaces the settings (not the status) and makes the source due now;
 * a changed url also forgets the cursor and validators. */
int srv_store_import_source_update(struct srv_store *st, int64_t actor,
                                   const struct srv_import_source *s);
/* Deletes the source and its entries (the items stay: the caller
 * withdraws them first). */
int srv_store_import_source_delete(struct srv_store *st, int64_t actor,
                                   int64_t id);
int srv_store_import_source_get(struct srv_store *st, struct srv_pool *p,
                                int64_t id, struct srv_import_source *out);
/* All sources (orgs->all), or those of the given organisations and the
 * event sources that bring items to the given centres. Newest first. */
int srv_store_import_source_list(struct srv_store *st, struct srv_pool *p,
                                 const struct srv_scope *orgs,
                                 const struct srv_scope *centres,
                                 struct srv_import_source **out, size_t *n);
/* Enabled sources whose next run is due at `now`, the most overdue
 * first, at most `limit`. */
int srv_store_import_source_due(struct srv_store *st, struct srv_pool *p,
                                int64_t now, unsigned limit,
                                struct srv_import_source **out, size_t *n);
/* The earliest next run of an enabled source (0 = none). */
int srv_store_import_next_due(struct srv_store *st, int64_t *at);
/* Makes a source due now (a run on demand). */
int srv_store_import_source_run_now(struct srv_store *st, int64_t actor,
                                    int64_t id);
/* What a run says: last_run_at, next_run_at, ok or the error (failures
 * reset or + 1); the cursor, validators and counts when not NULL. No
 * audit entry: what the importer did, not what anybody changed. */
int srv_store_import_status(struct srv_store *st, int64_t id,
                            const struct srv_import_status *s);
/* The entries of a source, by ext_id. */
int srv_store_import_entries(struct srv_store *st, struct srv_pool *p,
                             int64_t source_id, struct srv_import_entry **out,
                             size_t *n);
/* Inserts or replaces one entry. */
int srv_store_import_entry_put(struct srv_store *st,
                               const struct srv_import_entry *e);
/* The source and entry an item came from; TAULU_ENOTFOUND if it was not
 * imported. */
int srv_store_import_of_item(struct srv_store *st, struct srv_pool *p,
                             int64_t item_id, struct srv_import_entry *out);

/* What PTV says about a centre (srv_hours.h reads the JSON texts). */
struct srv_centre_hours {
    int64_t centre_id;
    int64_t source_id;      /* 0 = its source was deleted */
    const char *weekly;     /* [{"day":1..7,"open":"HH:MM","close":"HH:MM"}] */
    const char *exceptions; /* [{"date":"YYYY-MM-DD","hours":[{"open",
                               "close"}]}], [] hours = closed */
    const char *names;      /* {"fi": "...", "sv": "..."} */
    const char *addresses;  /* {"fi": "...", "sv": "..."} */
    int64_t updated_at;
};
/* TAULU_ENOTFOUND when there is none. */
int srv_store_centre_hours_get(struct srv_store *st, struct srv_pool *p,
                               int64_t centre_id, struct srv_centre_hours *out);
/* Inserts or replaces the centre's row; `address` (NULL: keep) also
 * becomes the centre's own address. Audited as centre.hours (actor 0: the
 * importer). */
int srv_store_centre_hours_put(struct srv_store *st, int64_t actor,
                               const struct srv_centre_hours *h,
                               const char *address);

/*
 * Several instances on one database (PostgreSQL). Exactly one instance
 * publishes: the one holding the publishers' session-level advisory lock,
 * on a connection of its own (not one of the pool), which PostgreSQL lets
 * go when that connection closes, a killed instance's included. On SQLite
 * the one process that owns the file always leads, notifications go
 * nowhere and nothing listens.
 */
/* srv_store_shared() (above) says whether other instances can share the
 * database. */
/* Takes the publishers' lock if it is free, or confirms it is still held:
 * *leading. A lost lock connection is closed (the lock is gone with it;
 * *leading false) and made again on the next call. 0, or TAULU_EDB (not
 * leading). Call about once a second. */
int srv_store_lead(struct srv_store *st, bool *leading);
/* Gives the lock up (closes its connection). Accepts NULL. */
void srv_store_unlead(struct srv_store *st);
/* NOTIFY `channel` with `payload` (under 8000 bytes), delivered to every
 * listener when sent (outside a transaction: at once). 0 on SQLite. */
int srv_store_notify(struct srv_store *st, const char *channel,
                     const char *payload);
/* LISTEN on `channel` on a connection and a thread of its own: fn(arg,
 * payload) for each notification, on that thread; fn(arg, NULL) after the
 * connection was lost and made again (some may have been missed).
 * Listening when this returns 0. *out NULL on SQLite (nothing to hear). */
struct srv_store_listener;
int srv_store_listen(struct srv_store *st, const char *channel,
                     void (*fn)(void *arg, const char *payload), void *arg,
                     struct srv_store_listener **out);
/* Stops listening (waits for the thread). Accepts NULL. */
void srv_store_listen_stop(struct srv_store_listener *l);
/* The live instances, by the account each uses on the broker (at most
 * SRV_STORE_INSTANCE_NAME_MAX - 1 bytes): the writer of the broker's
 * files lists them all, since a broker that binds client ids to user
 * names keeps one connection per account. seen: `name` is alive at `now`
 * (its row made or refreshed; rows not seen since `forget_before`, a
 * killed instance's, deleted in the same step). gone: a clean stop.
 * names: the names seen since `since`, sorted, from `p`. 0 or a code. */
#define SRV_STORE_INSTANCE_NAME_MAX 64
int srv_store_instance_seen(struct srv_store *st, const char *name, int64_t now,
                            int64_t forget_before);
int srv_store_instance_gone(struct srv_store *st, const char *name);
int srv_store_instance_names(struct srv_store *st, struct srv_pool *p,
                             int64_t since, const char ***names, size_t *n);

#endif
