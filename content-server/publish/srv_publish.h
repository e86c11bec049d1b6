/*
 * srv_publish.h: the publisher. It keeps every screen's current signed
 * manifest in memory, rebuilds the screens of a centre when something they
 * show changes, publishes the retained pointers, and turns the screens'
 * status messages into "live on N of M".
 *
 * Pipeline (one worker thread does all building, so builds never race):
 *   trigger (srv_publisher_centre_changed() from a handler, or a time
 *   boundary)  ->  backend.load_snapshot(centre, now)  ->
 *   srv_manifest_build_content() once for the centre  ->  per screen:
 *   digest of the manifest without seq/build time; if unchanged, nothing;
 *   else seq + 1, built_at = now, write + sign  ->  backend.save_states()
 *   for the whole batch in one transaction (a seq is never reused, even
 *   after a crash)  ->  swap the blobs in memory  ->  publish the pointers.
 *
 * Time: the worker sleeps until the earliest instant at which any centre's
 * content changes by itself (srv_manifest_next_change(): a window opening
 * or closing, an event ending, an alert starting or ending), or until a
 * trigger. It does not poll; it re-checks at least every
 * SRV_PUB_MAX_SLEEP_S seconds in case the wall clock was stepped.
 *
 * Status: every status message updates the screen's status in memory at
 * once (GET .../status, "live on N of M"). It is written to the database
 * (backend.save_status() and backend.save_screen_status(), on the thread
 * that ingests) only when srv_pub_status_due() says so: at once when what
 * the screen says changes, and for last_seen alone at most once a minute,
 * so that a county's screens chattering about the card they show do not
 * turn into a write each. A failed write is tried again on the worker's
 * next pass (also at start, which brings the screen records up to the
 * saved statuses).
 *
 * Play log: every status message also feeds the screen's play interval
 * (srv_playlog.h); the seconds credited are cut at local midnights and
 * handed to backend.save_plays(). Screens silent for longer than the
 * republish bound are closed on any screen's next status.
 *
 * Hot path: srv_publisher_screen_by_token() and srv_publisher_manifest()
 * take a read lock and binary-search arrays in memory; a 304 touches no
 * database and copies nothing.
 *
 * Several instances (a shared database: backend.lead set): exactly one
 * instance publishes, the one whose backend.lead() says it leads; the
 * worker asks every second. A follower builds nothing, signs nothing,
 * publishes no pointer and writes no status or play log (statuses from
 * MQTT stay in its memory); it serves the manifests the leader saved,
 * loaded from the database (backend.load_manifests()) when the leader
 * says which centres it built. Triggers on any instance are told to
 * every other one (backend.notify(): "c <centre>", "a", "s"), so the
 * leader builds what a follower's request changed; the leader tells "b
 * <centre>" after saving a centre's new manifests. Notifications heard
 * (srv_publisher_heard()) are turned into the same triggers. An instance
 * that takes over loads the saved states and builds every centre as at
 * start (unchanged content keeps its seq and bytes), then publishes every
 * pointer again (the old leader may have died between saving and
 * publishing). One that finds it lost the lead stops publishing; its
 * saves are refused by the store meanwhile (fencing). The views
 * (srv_publisher_live(), _view(), _refusals(), _stats()) answer alike on
 * every instance: a follower reads the cards, alerts and opening hours
 * from the signed manifests it loaded and the left-out lists the leader
 * saved (backend.save_refusals(); "b <centre> r" when one changed).
 *
 * Threads: every function may be called from any thread, except
 * srv_publisher_free() (once, after all other calls have returned).
 */
#ifndef SRV_PUBLISH_H
#define SRV_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srv_manifest.h"
#include "srv_mqtt.h"
#include "srv_pool.h"
#include "srv_store.h"
#include "taulu_proto.h"

#define SRV_PUB_MAX_SLEEP_S 300
/* A screen's manifest is built anew (new seq and built_at) at least this
 * often, even if nothing in it changed: a player takes a clock more than a
 * year after built_at for a wrong one (TAULU_MAX_AHEAD_S). */
#define SRV_PUB_REFRESH_S (30 * 86400)

struct srv_publisher;

/* A screen as the publisher needs it. */
struct srv_pub_screen {
    int64_t id;
    int64_t centre_id;
    struct taulu_profile profile;
    /* sha256 of its bearer token, when the backend knows it; otherwise
     * the hot path learns it with srv_publisher_remember_token() after one
     * look-up in the database. */
    bool has_token;
    uint8_t token_hash[TAULU_SHA256_LEN];
};

/* The rows the publisher keeps per screen (struct srv_pub_state, struct
 * srv_pub_status) are defined with the store that keeps them
 * (srv_store.h). */

/* A status that differs from the one last written only in last_seen is
 * written again after this many seconds, not before. */
#define SRV_PUB_SEEN_WRITE_S 60

/* A player republishes its status at least every 10 minutes while it is
 * online. A screen reported online but silent for longer than this is
 * taken as offline (its last will can be lost with a broker's retained
 * messages, or never sent if the broker died first); last_seen keeps when
 * it was last heard. */
#define SRV_PUB_SILENT_S (25 * 60)

/* Whether `cur` must be written to the database when `saved` (NULL:
 * nothing written since start) is what was last written: a status never
 * heard is not; one that changed online, the applied manifest, the error
 * or the acknowledged alerts is, at once; one that changed only last_seen
 * is when that moved SRV_PUB_SEEN_WRITE_S or more (or went back: the
 * clock was stepped). */
bool srv_pub_status_due(const struct srv_pub_status *saved,
                        const struct srv_pub_status *cur);

/* Seconds an item was on a screen within one local day (the play log). */
struct srv_pub_play {
    int64_t screen_id;
    int64_t item_id;
    int64_t centre_id;
    char day[11]; /* "YYYY-MM-DD", Europe/Helsinki */
    int64_t seconds;
};

/* How the publisher reads and writes the database. Every function returns
 * 0 or a negative code; the publisher logs failures and retries on the
 * next trigger. */
struct srv_pub_backend {
    void *ctx;
    /* All screens; *out is malloc'd (the publisher frees it). */
    int (*list_screens)(void *ctx, struct srv_pub_screen **out, size_t *n);
    /* A centre's snapshot (approved placements with their items, alerts,
     * assets) as of `now`; also placements whose window opens later, so
     * that the next boundary can be found. *holder owns the memory and is
     * handed back to release_snapshot(). TAULU_ENOTFOUND: no such centre. */
    int (*load_snapshot)(void *ctx, int64_t centre_id, int64_t now,
                         struct srv_snapshot *snap, void **holder);
    void (*release_snapshot)(void *ctx, void *holder);
    /* Saved states of all screens, allocated from `p` (the publisher
     * releases it). */
    int (*load_states)(void *ctx, struct srv_pool *p,
                       struct srv_pub_state **out, size_t *n);
    /* Saves a batch in one transaction. */
    int (*save_states)(void *ctx, const struct srv_pub_state *s, size_t n);
    /* Saves one screen's status, all of it, in the publisher's own rows
     * (may be NULL: memory only). */
    int (*save_status)(void *ctx, int64_t screen_id,
                       const struct srv_pub_status *st);
    /* Writes what the rest of the server reads of a screen's status (the
     * screen record's online, last_seen, applied version, last error: the
     * screen list, /metrics) with one UPDATE (may be NULL: not kept).
     * TAULU_ENOTFOUND (the screen was deleted meanwhile) is no failure. */
    int (*save_screen_status)(void *ctx, int64_t screen_id,
                              const struct srv_pub_status *st);
    /* Saved statuses at start, allocated from `p` (may be NULL). */
    int (*load_statuses)(void *ctx, struct srv_pool *p,
                         struct srv_pub_status_row **out, size_t *n);
    /* Adds play-log pieces (srv_playlog.h), already cut into local days,
     * in one transaction (may be NULL: no play log). */
    int (*save_plays)(void *ctx, const struct srv_pub_play *plays, size_t n);
    /* Several instances (all NULL: this is the only one, and leads).
     * lead: takes or keeps the publishers' lock (*leading), called about
     * once a second. notify: tells every instance `payload` (see the top).
     * load_manifests: the saved states with their signed bytes of the
     * screens `ids`, from `p`. */
    int (*lead)(void *ctx, bool *leading);
    int (*notify)(void *ctx, const char *payload);
    int (*load_manifests)(void *ctx, struct srv_pool *p, const int64_t *ids,
                          size_t n_ids, struct srv_pub_state **out, size_t *n);
    /* What the leader's builds left out, for the other instances' views
     * (both NULL: kept in memory only). save_refusals: replaces a
     * centre's list (fenced like save_states: TAULU_ECONFLICT);
     * load_refusals: every centre's, by centre and in order, from `p`. */
    int (*save_refusals)(void *ctx, int64_t centre_id,
                         const struct srv_pub_refusal *v, size_t n);
    int (*load_refusals)(void *ctx, struct srv_pool *p,
                         struct srv_pub_refusal **out, size_t *n);
};

struct srv_pub_config {
    const uint8_t *sign_sk; /* TAULU_SIGN_SK_LEN bytes, copied */
    struct srv_mqtt *mqtt;  /* borrowed; NULL = no MQTT (tests, --check) */
    /* The clock, seconds; NULL = taulu_now(). Tests drive time with it. */
    int64_t (*now)(void *ctx);
    void *now_ctx;
};

/* Creates the publisher and its worker thread, loads screens and saved
 * states and builds every screen's manifest before returning (so the first
 * request already finds one). 0, TAULU_ENOMEM, or a backend's code. */
int srv_publisher_start(const struct srv_pub_config *cfg,
                        const struct srv_pub_backend *be,
                        struct srv_publisher **out);
/* Stops the worker and frees. Accepts NULL. */
void srv_publisher_free(struct srv_publisher *p);

/* MQTT handlers to pass to srv_mqtt_start() (ctx = the publisher). The
 * publisher may be started after the MQTT client: set it with
 * srv_publisher_set_mqtt(). */
void srv_publisher_mqtt_handlers(struct srv_publisher *p,
                                 struct srv_mqtt_handlers *h);
void srv_publisher_set_mqtt(struct srv_publisher *p, struct srv_mqtt *m);
/* The status handler itself (also for tests without a broker). */
void srv_publisher_on_status(void *ctx, const char *screen_id,
                             const struct taulu_proto_status *st);

/* Triggers (return at once; the worker does the work). */
void srv_publisher_centre_changed(struct srv_publisher *p, int64_t centre_id);
/* Alerts for all centres, key rotation: every centre. */
void srv_publisher_all_changed(struct srv_publisher *p);
/* A screen was created, deleted or changed (profile, centre, token). */
void srv_publisher_screens_changed(struct srv_publisher *p);
/* A notification from another instance (or this one), as sent through
 * backend.notify(); NULL: some may have been missed (all is done again).
 * Returns at once. */
void srv_publisher_heard(struct srv_publisher *p, const char *payload);
/* Whether this instance publishes now. */
bool srv_publisher_leading(struct srv_publisher *p);

/* Waits until every trigger made before the call has been processed (tests,
 * benchmarks, --demo start-up). */
void srv_publisher_flush(struct srv_publisher *p);

/* For systemd's watchdog (srv_main.c): whether the worker turned its
 * loop since the previous call (true at the first), and a new ask that it
 * turn once more, which wakes it from its sleep. A worker stuck in a
 * build (a hung database call, a deadlock) answers no more, and the
 * server stops feeding the watchdog. Call from one thread. */
bool srv_publisher_alive(struct srv_publisher *p);

/* The screen whose token hashes to `token_hash` (constant-time compare).
 * 0 and *screen_id, or TAULU_ENOTFOUND. */
int srv_publisher_screen_by_token(struct srv_publisher *p,
                                  const uint8_t token_hash[TAULU_SHA256_LEN],
                                  int64_t *screen_id);

/* Remembers that `token_hash` is screen_id's token (after the database
 * said so), so later requests need no database. Forgotten when the screens
 * change (srv_publisher_screens_changed()), so a deleted screen's or a
 * replaced token stops working at once. */
void srv_publisher_remember_token(struct srv_publisher *p,
                                  const uint8_t token_hash[TAULU_SHA256_LEN],
                                  int64_t screen_id);

/* A signed manifest, immutable, reference-counted. */
struct srv_pub_blob {
    size_t len;
    int64_t seq;
    char sha256[TAULU_SHA256_HEX_LEN + 1];
    char etag[TAULU_SHA256_HEX_LEN + 3]; /* "\"<sha256>\"" */
    char data[];
};
void srv_pub_blob_unref(struct srv_pub_blob *b);

/* The screen's current manifest. If `if_none_match` (the raw header, may
 * be NULL) matches its ETag, returns 304 and *blob stays NULL; otherwise
 * 200 and *blob holds a reference (srv_pub_blob_unref() it). 404 if the
 * screen has no manifest (unknown, or its centre failed to build). `etag`
 * receives the ETag in both the 200 and 304 cases. */
int srv_publisher_manifest(struct srv_publisher *p, int64_t screen_id,
                           const char *if_none_match,
                           struct srv_pub_blob **blob,
                           char etag[TAULU_SHA256_HEX_LEN + 3]);

/* One screen as the admin pages show it. */
struct srv_pub_view {
    int64_t screen_id;
    int64_t centre_id;
    int64_t seq; /* current manifest, 0 = none */
    char sha256[TAULU_SHA256_HEX_LEN + 1];
    struct srv_pub_status status;
    bool live;    /* online and applied the current manifest */
    bool is_open; /* the centre is open now (opening hours) */
    /* offline while the centre is open (scenario 5: no alarm at night) */
    bool alarm;
    size_t acked_alerts; /* current alerts this screen acknowledged */
    size_t alerts;       /* current alerts on its manifest */
};
/* 0 or TAULU_ENOTFOUND. */
int srv_publisher_view(struct srv_publisher *p, int64_t screen_id,
                       struct srv_pub_view *out);

/* "Live on N of M": M = the screens of the centre (every screen of a
 * centre is given the centre's content), N = those online that have
 * applied their current manifest, when that content shows the item
 * (item_id 0: any content); 0 when it does not (left out, or not yet
 * built). */
void srv_publisher_live(struct srv_publisher *p, int64_t centre_id,
                        int64_t item_id, int *live, int *total);

/* What the last build of a centre had to leave out (srv_manifest.h):
 * those of one item (item_id != 0; alerts never match) or all. Copies up
 * to `cap` into out and returns how many there are. */
size_t srv_publisher_refusals(struct srv_publisher *p, int64_t centre_id,
                              int64_t item_id, struct srv_manifest_refusal *out,
                              size_t cap);

/* Counters for /metrics. */
struct srv_pub_stats {
    uint64_t builds, signed_manifests, pointers, build_failures;
    int64_t last_build_ms; /* duration of the last rebuild pass */
    size_t screens;
    size_t refused;         /* cards and alerts left out now, all centres */
    uint64_t refused_total; /* left out, counted when first seen */
};
void srv_publisher_stats(struct srv_publisher *p, struct srv_pub_stats *out);

/* Whether a centre with these hours is open at `now` in its zone (no
 * hours given: always open; hours given for no day: never). */
bool srv_centre_is_open(const struct taulu_centre *c, int64_t now);

#endif
