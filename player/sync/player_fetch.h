/*
 * player_fetch.h: the libcurl edge of the player: bounded HTTP GETs of the
 * manifest (into memory) and of assets (streamed to a file, sha256 computed
 * while writing). Only this file knows libcurl (opened at run time by
 * player_netlib.c).
 *
 * Every request carries "Authorization: Bearer <token>" and goes only to
 * the URL given (redirects are not followed, so the token never leaves for
 * another host; only http and https). Transfers stop at their size limit,
 * on a stalled connection and when *abort becomes true.
 *
 * One player_fetch is used by one thread at a time.
 */
#ifndef PLAYER_FETCH_H
#define PLAYER_FETCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "taulu_buf.h"

struct player_fetch;

struct player_fetch_opts {
    const char *token;     /* copied; wiped on free */
    const char *ca_file;   /* NULL = the system's CAs */
    int connect_timeout_s; /* 0 = 10 */
    int stall_timeout_s;   /* under 1 byte/s this long aborts; 0 = 30 */
    int total_timeout_s;   /* one transfer at most; 0 = 600 */
    atomic_bool *abort;    /* borrowed; may be NULL */
};

/* Once per process, before any thread uses libcurl. 0 or TAULU_EUNAVAIL. */
int player_fetch_global_init(void);

/* 0, TAULU_ENOMEM or TAULU_EUNAVAIL. Free with player_fetch_free(). */
int player_fetch_new(const struct player_fetch_opts *opts,
                     struct player_fetch **out);
void player_fetch_free(struct player_fetch *f); /* accepts NULL */

/* The outcome of one transfer. */
struct player_fetch_result {
    long http_status; /* 0 if no answer */
    char error[160];  /* why, when the call did not return 0 */
};

/* GET url into `body` (whose limit bounds the size). if_none_match (may be
 * NULL) is sent as If-None-Match: "<value>". Returns 0 when an HTTP answer
 * arrived (any status: look at res->http_status; the body is kept only for
 * 200), TAULU_EUNAVAIL (network, timeout, aborted), TAULU_ELIMIT (larger
 * than the limit) or TAULU_ENOMEM. */
int player_fetch_get(struct player_fetch *f, const char *url,
                     const char *if_none_match, struct taulu_buf *body,
                     struct player_fetch_result *res);

/* A request with a body (POST, PUT) of `len` bytes of `content_type`;
 * the answer's body (any status) into `body`, bounded by its limit. As
 * player_fetch_get() otherwise: 0 when an HTTP answer arrived (see
 * res->http_status), TAULU_EUNAVAIL, TAULU_ELIMIT, TAULU_ENOMEM. */
int player_fetch_send(struct player_fetch *f, const char *method,
                      const char *url, const char *content_type,
                      const void *data, size_t len, struct taulu_buf *body,
                      struct player_fetch_result *res);

/* Progress of a file download: bytes written so far. */
typedef void (*player_fetch_progress_fn)(void *ctx, uint64_t bytes);

/* GET url into a new file `path` (created with O_EXCL, fsync'd and closed;
 * removed again on any failure), at most max_bytes, with the sha256 of what
 * was written in sha256_out and its size in *size_out. 0 for a complete 200
 * answer; TAULU_EUNAVAIL (network, timeout, aborted, a truncated body, or
 * any other HTTP status: see res), TAULU_ELIMIT, TAULU_EIO (writing). */
int player_fetch_to_file(struct player_fetch *f, const char *url,
                         const char *path, int64_t max_bytes,
                         char sha256_out[65], int64_t *size_out,
                         player_fetch_progress_fn progress, void *ctx,
                         struct player_fetch_result *res);

#endif
