/*
 * srv_shots.h: screenshots of the screens ("remote eyes", docs/api.md).
 *
 * A coordinator or the centre's contact person asks a screen for a
 * picture of what it shows; the server sends the screen the `screenshot`
 * command over MQTT, and the screen uploads its current frame with its own
 * token. This file keeps what that needs, and nothing else:
 *
 *   - when each screen was last asked (in memory): at most one request
 *     per SRV_SHOT_INTERVAL_S per screen, and an upload is taken only
 *     within SRV_SHOT_ANSWER_S of a request (a screen cannot fill the
 *     disk by itself);
 *   - the latest picture of each screen, only that one, as
 *     <data_dir>/screenshots/screen-<id>.png (0640, written atomically;
 *     its time is the file's), deleted after SRV_SHOT_KEEP_S, when the
 *     screen is deleted, or replaced by the next one.
 *
 * The picture is checked and re-encoded by media/srv_image.c before it
 * gets here (the caller does that). Never served publicly: the API asks
 * the policy as for the screen's other data.
 *
 * Thread safety: every function takes the table's lock.
 */
#ifndef SRV_SHOTS_H
#define SRV_SHOTS_H

#include <stddef.h>
#include <stdint.h>

#define SRV_SHOT_INTERVAL_S 10         /* one request per screen per 10 s */
#define SRV_SHOT_ANSWER_S   120        /* an upload is taken this long after */
#define SRV_SHOT_KEEP_S     86400      /* a picture is kept a day */
#define SRV_SHOT_MAX_BYTES  (8u << 20) /* an upload at most (PNG) */

struct srv_shots;

/* Makes <data_dir>/screenshots (0750) if missing. 0 and *out, or a code
 * (logged). Free with srv_shots_free() (accepts NULL). */
int srv_shots_new(const char *data_dir, struct srv_shots **out);
void srv_shots_free(struct srv_shots *sh);

/* A request for screen_id's picture at `now` (seconds). 0, or
 * TAULU_ELIMIT with *retry_after (seconds) when the last one was less
 * than SRV_SHOT_INTERVAL_S ago. `id_out` (SRV_SHOT_ID_MAX bytes) gets the
 * command's id ("shot-<screen>-<n>"). */
#define SRV_SHOT_ID_MAX 48
int srv_shots_request(struct srv_shots *sh, int64_t screen_id, int64_t now,
                      int64_t *retry_after, char id_out[SRV_SHOT_ID_MAX]);
/* Forgets a request that could not be sent (no broker), so the next one
 * is not held back. */
void srv_shots_unrequest(struct srv_shots *sh, int64_t screen_id);

/* Stores `png` (already re-encoded) as screen_id's latest picture. 0,
 * TAULU_ESTALE (nobody asked in the last SRV_SHOT_ANSWER_S) or TAULU_EIO.
 * The request is answered by it. */
int srv_shots_put(struct srv_shots *sh, int64_t screen_id, const void *png,
                  size_t len, int64_t now);

/* What is known of screen_id's picture: when it was last asked for (0:
 * not since the server started, or answered), and when the picture kept
 * was taken (0: none; an expired one is deleted here). */
void srv_shots_info(struct srv_shots *sh, int64_t screen_id, int64_t now,
                    int64_t *requested_at, int64_t *taken_at, uint64_t *size);

/* Opens screen_id's picture for reading: 0 with *fd (the caller closes
 * it), *size and *taken_at; TAULU_ENOTFOUND (none, or expired). */
int srv_shots_open(struct srv_shots *sh, int64_t screen_id, int64_t now,
                   int *fd, uint64_t *size, int64_t *taken_at);

/* Deletes pictures older than SRV_SHOT_KEEP_S (the server's periodic
 * maintenance), or all of one screen (screen_id > 0: it was deleted). The
 * number deleted. */
int srv_shots_sweep(struct srv_shots *sh, int64_t now);
void srv_shots_forget(struct srv_shots *sh, int64_t screen_id);

#endif
