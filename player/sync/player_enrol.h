/*
 * player_enrol.h: a new screen enrols itself by a code (docs/protocol.md,
 * "Enrolment"; docs/player.md).
 *
 * A player that knows only its server (server_url) and no screen id or
 * token makes a random secret, keeps it in memory, and opens an
 * enrolment session with only the secret's sha256 (POST
 * /api/v1/enrol). It shows the code it gets, large, with a QR code of a
 * link to the screens page; a coordinator types the code in the web UI
 * and picks the screen record. The player polls its session with the
 * secret itself (GET /api/v1/enrol/<session>, Authorization: Bearer
 * <secret>) every couple of seconds; when the session was bound, the
 * answer, given once, has the screen's id and new token, the server's
 * public key, the public addresses of the server and its broker (with
 * TLS and the broker's CA) and the screen's profile. They are written to
 * state_dir (0600): enrolment.conf (settings read over player.conf),
 * server.pub and mqtt-ca.pem; then the player syncs as any screen.
 *
 * A session ends after 15 minutes (the server's); a new one, with a new
 * secret and code, is opened at once. Network errors are retried with
 * backoff and the code stays on screen meanwhile.
 *
 * Threads: player_enrol_start() runs one thread; the callback runs on it
 * and must copy what it keeps. None comes after player_enrol_stop()
 * returns.
 */
#ifndef PLAYER_ENROL_H
#define PLAYER_ENROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "taulu_buf.h"

#define PLAYER_ENROL_CODE_MAX 16

/* What the server gave an enrolled screen (the answer's members). */
struct player_enrolment {
    char screen_id[64];
    char token[128];
    char name[128];
    char server_url[256];
    char server_public_key[64]; /* base64 of 32 bytes */
    char mqtt_host[256];
    long long mqtt_port;
    char mqtt_prefix[65];
    bool mqtt_tls;
    char *mqtt_ca_pem; /* malloc'd or NULL; player_enrolment_release() */
    int width_px, height_px;
    char orientation[16];
    double diagonal_in, viewing_distance_m;
};

void player_enrolment_release(struct player_enrolment *e);

/* Reads the "enrolled" answer strictly (every value checked: a screen id,
 * a screen token, an http(s) URL without spaces, a host name, a topic
 * prefix, a 32-byte base64 key, a PEM certificate). 0, or a code with the
 * reason in `why`. */
int player_enrolment_parse(const char *json, size_t len,
                           struct player_enrolment *out, struct taulu_buf *why);

/* Writes the enrolment into `state_dir` (0600 files, each atomically; the
 * settings file last, so a power cut leaves either no enrolment or a
 * whole one). 0 or a code (reason in `why`). */
int player_enrolment_write(const char *state_dir,
                           const struct player_enrolment *e,
                           struct taulu_buf *why);

struct player_enrol_config {
    const char *server_url; /* where to enrol, no trailing '/' */
    const char *ca_file;    /* HTTPS CA, NULL: the system's */
    const char *state_dir;  /* where the enrolment is written */
    int retry_max_ms;       /* backoff cap after errors; 0: 60000 */
};

enum player_enrol_event_kind {
    PLAYER_ENROL_CODE,  /* a code to show: code, expires_at */
    PLAYER_ENROL_DONE,  /* enrolled and written: screen_id, message (the
                           screen's name) */
    PLAYER_ENROL_ERROR, /* message (English, for the log) */
};

struct player_enrol_event {
    enum player_enrol_event_kind kind;
    char code[PLAYER_ENROL_CODE_MAX];
    int64_t expires_at; /* Unix seconds */
    char screen_id[64];
    char message[201];
};

typedef void (*player_enrol_notify_fn)(void *ctx,
                                       const struct player_enrol_event *ev);

struct player_enrol;

/* Starts enrolling on a thread of its own. 0, TAULU_EINVAL, TAULU_ENOMEM
 * or TAULU_EUNAVAIL (libcurl, the thread). */
int player_enrol_start(const struct player_enrol_config *cfg,
                       player_enrol_notify_fn notify, void *ctx,
                       struct player_enrol **out);
/* Stops (interrupts a request) and frees. Accepts NULL. */
void player_enrol_stop(struct player_enrol *e);

#endif
