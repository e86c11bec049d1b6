/*
 * player_sync.h: the player's network side. It learns of new content from
 * the retained MQTT pointer (or by polling over HTTP while the broker is
 * unreachable), fetches and verifies the signed manifest and its assets
 * into the cache (player_cache.h), switches atomically and tells the main
 * program through a callback. It also publishes the screen's status.
 *
 * Threads: player_sync_start() starts a fetch thread, a status thread and
 * libmosquitto's network thread. The callback runs on any of them, possibly
 * on two at the same time; it must copy what it keeps and return quickly
 * (the main program pushes an SDL event). No callback runs after
 * player_sync_stop() has returned. No SDL here. player_sync_report(),
 * player_sync_request_reload() and player_sync_stop() may be called from
 * any one thread.
 *
 * Security: manifests are accepted only with a valid signature by
 * server_pk, for screen_id, with a seq not lower than the one in use (no
 * rollback) and, when the pointer named one, with the pointer's sha256.
 * The token is sent only to server_url and the broker, and never logged.
 */
#ifndef PLAYER_SYNC_H
#define PLAYER_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "player_cache.h"
#include "taulu_manifest.h"
#include "taulu_proto.h"

struct player_sync_config {
    const char *server_url;     /* "http://127.0.0.1:8080", no trailing '/' */
    const char *screen_id;      /* taulu_proto_screen_id_valid() */
    const char *screen_token;   /* bearer token for HTTP, password for MQTT
                                   (never logged) */
    const uint8_t *server_pk;   /* 32 bytes, the manifest signing key */
    const char *mqtt_host;      /* NULL or "": no MQTT, poll over HTTP only */
    int mqtt_port;              /* 0 = 1883 (8883 with ca_file) */
    const char *mqtt_prefix;    /* NULL = "infotaulu" */
    const char *ca_file;        /* optional TLS CA for HTTPS, NULL =
                                   system CAs */
    bool mqtt_tls;              /* MQTT over TLS */
    const char *mqtt_ca_file;   /* the broker's CA; NULL: ca_file, then
                                   the system's */
    int poll_interval_s;        /* HTTP polling while the broker is down,
                                   0 = 300 */
    struct player_cache *cache; /* borrowed; must outlive the sync */
    /* Optional (0 = default). */
    int retry_min_ms; /* first retry delay after a failure, default 1000 */
    int retry_max_ms; /* cap of the exponential backoff, default 300000 */
    int status_min_interval_ms; /* status publish rate limit, default 1000 */
};

enum player_sync_event_kind {
    PLAYER_SYNC_APPLIED,   /* a new verified manifest is now
                              manifest.current: seq, sha256 */
    PLAYER_SYNC_PROGRESS,  /* downloading: items_done/items_total,
                              bytes_done/bytes_total */
    PLAYER_SYNC_ERROR,     /* something failed; last good version stays;
                              message (English, for status) */
    PLAYER_SYNC_COMMAND,   /* a command arrived: command (enum
                              taulu_command_kind) + command_id */
    PLAYER_SYNC_CONNECTION /* broker connected or lost: online flag */
};

struct player_sync_event {
    enum player_sync_event_kind kind;
    int64_t seq;
    char sha256[65];
    unsigned items_done, items_total;
    uint64_t bytes_done, bytes_total;
    char message[201];
    int command; /* enum taulu_command_kind */
    char command_id[65];
    bool online;
};

/* Called on a sync thread; the callee must copy what it keeps (the main
 * program copies it into an SDL event). */
typedef void (*player_sync_notify_fn)(void *ctx,
                                      const struct player_sync_event *ev);

struct player_sync;

/* Starts syncing. current_seq / current_sha256 describe the manifest in
 * use (from player_cache_load_current()); pass -1 / NULL when the cache is
 * empty. cfg's strings are copied; cfg->cache is borrowed. 0, or
 * TAULU_EINVAL (bad config), TAULU_ENOMEM, TAULU_EUNAVAIL (a library or
 * thread failed to start); then *out is NULL. Polls over HTTP once at
 * start, then as described in docs/player-sync.md. */
int player_sync_start(const struct player_sync_config *cfg, int64_t current_seq,
                      const char *current_sha256, player_sync_notify_fn notify,
                      void *ctx, struct player_sync **out);

/* The main loop tells what it shows; the sync side publishes it on the
 * status topic (retained): a change at once after a quiet time, at most
 * one every status_min_interval_ms while things keep changing, and every
 * 5 minutes when nothing does. Thread-safe; `info` is copied. */
struct player_status_info {
    int64_t seq;
    char sha256[65];
    char showing[65];
    bool clock_ok;
    char error[201];
    const char *alert_ack[16];
    size_t n_alert_ack;
    /* the profile the screen lays out for (has_profile false: not known
     * yet), and the cards it cannot show as one card, one page
     * (taulu_proto_status.unplaced, .paged); ids are copied */
    bool has_profile;
    struct taulu_profile profile;
    const char *unplaced[TAULU_PROTO_MAX_CARD_IDS];
    size_t n_unplaced;
    const char *paged[TAULU_PROTO_MAX_CARD_IDS];
    size_t n_paged;
    int display; /* enum taulu_display_state (UNSAID: not said) */
    /* the loop as run (taulu_proto_status.loop); has_loop false: none
     * (alerts, closed, no manifest) */
    bool has_loop;
    int loop_s, loop_all_s, loop_turns, loop_window;
};
void player_sync_report(struct player_sync *s,
                        const struct player_status_info *info);

/* Uploads the PNG file at `path` (the current frame, written by the main
 * loop) as this screen's screenshot (PUT /api/v1/screens/<id>/screenshot)
 * on the fetch thread, and deletes the file after. A newer request
 * replaces one not sent yet. Thread-safe; `path` is copied. */
void player_sync_upload_screenshot(struct player_sync *s, const char *path);

/* Fetches the manifest now (like the "reload" command). Thread-safe. */
void player_sync_request_reload(struct player_sync *s);

/* Stops: interrupts a transfer, joins the threads, publishes the offline
 * status (retained) and disconnects cleanly. Accepts NULL. */
void player_sync_stop(struct player_sync *s);

#endif
