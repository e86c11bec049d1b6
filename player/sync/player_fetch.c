/*
 * player_fetch.c: the libcurl edge (see player_fetch.h). Keeps one easy
 * handle so that connections to the server are reused between the manifest
 * and its assets.
 */
#include "player_fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"

#include "player_netlib.h"

#define TAG "fetch"

struct player_fetch {
    CURL *curl;
    char *auth_header; /* "Authorization: Bearer ..." (a secret) */
    char *ca_file;
    long connect_timeout_s, stall_timeout_s, total_timeout_s;
    atomic_bool *abort;
    char errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;
/* libcurl, opened by the first player_fetch_global_init() (set before any
 * transfer can run: every one needs a player_fetch_new()). */
static const struct player_netlib_curl *cl;

static void global_init(void)
{
    cl = player_netlib_curl();
    if (cl) {
        global_rc = cl->global_init(CURL_GLOBAL_DEFAULT);
    }
}

int player_fetch_global_init(void)
{
    pthread_once(&global_once, global_init);
    return global_rc == CURLE_OK ? 0 : TAULU_EUNAVAIL;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

int player_fetch_new(const struct player_fetch_opts *opts,
                     struct player_fetch **out)
{
    struct player_fetch *f;
    size_t n;

    *out = NULL;
    if (player_fetch_global_init() < 0) {
        return TAULU_EUNAVAIL;
    }
    f = calloc(1, sizeof *f);
    if (!f) {
        return TAULU_ENOMEM;
    }
    f->curl = cl->easy_init();
    n = strlen("Authorization: Bearer ") +
        (opts->token ? strlen(opts->token) : 0) + 1;
    f->auth_header = malloc(n);
    f->ca_file = dup_or_null(opts->ca_file);
    if (!f->curl || !f->auth_header || (opts->ca_file && !f->ca_file)) {
        int rc = f->curl ? TAULU_ENOMEM : TAULU_EUNAVAIL;
        player_fetch_free(f);
        return rc;
    }
    snprintf(f->auth_header, n, "Authorization: Bearer %s",
             opts->token ? opts->token : "");
    f->connect_timeout_s =
        opts->connect_timeout_s > 0 ? opts->connect_timeout_s : 10;
    f->stall_timeout_s = opts->stall_timeout_s > 0 ? opts->stall_timeout_s : 30;
    f->total_timeout_s =
        opts->total_timeout_s > 0 ? opts->total_timeout_s : 600;
    f->abort = opts->abort;
    *out = f;
    return 0;
}

void player_fetch_free(struct player_fetch *f)
{
    if (!f) {
        return;
    }
    if (f->curl) {
        cl->easy_cleanup(f->curl);
    }
    if (f->auth_header) {
        taulu_wipe(f->auth_header, strlen(f->auth_header));
        free(f->auth_header);
    }
    free(f->ca_file);
    free(f);
}

static int xferinfo(void *ctx, curl_off_t dltotal, curl_off_t dlnow,
                    curl_off_t ultotal, curl_off_t ulnow)
{
    struct player_fetch *f = ctx;

    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return (f->abort && atomic_load(f->abort)) ? 1 : 0;
}

/* Options every request has. The header list is the caller's to free. */
static int setup(struct player_fetch *f, const char *url, curl_off_t max,
                 const char *if_none_match, struct curl_slist **headers)
{
    char inm[128];
    struct curl_slist *h = NULL, *t;

    cl->easy_reset(f->curl);
    f->errbuf[0] = '\0';
    if (f->auth_header[strlen("Authorization: Bearer ")] != '\0') {
        /* (no header at all without a token: enrolment's first POST) */
        t = cl->slist_append(h, f->auth_header);
        if (!t) {
            return TAULU_ENOMEM;
        }
        h = t;
    }
    if (if_none_match && *if_none_match) {
        snprintf(inm, sizeof inm, "If-None-Match: \"%s\"", if_none_match);
        if (!(t = cl->slist_append(h, inm))) {
            cl->slist_free_all(h);
            return TAULU_ENOMEM;
        }
        h = t;
    }
    *headers = h; /* NULL without a token: libcurl's defaults only */
    cl->easy_setopt(f->curl, CURLOPT_URL, url);
    cl->easy_setopt(f->curl, CURLOPT_HTTPHEADER, h);
    cl->easy_setopt(f->curl, CURLOPT_ERRORBUFFER, f->errbuf);
    cl->easy_setopt(f->curl, CURLOPT_NOSIGNAL, 1L);
    cl->easy_setopt(f->curl, CURLOPT_FOLLOWLOCATION, 0L);
    cl->easy_setopt(f->curl, CURLOPT_PROTOCOLS_STR, "http,https");
    cl->easy_setopt(f->curl, CURLOPT_USERAGENT, "infotaulu-player/1");
    cl->easy_setopt(f->curl, CURLOPT_CONNECTTIMEOUT, f->connect_timeout_s);
    cl->easy_setopt(f->curl, CURLOPT_TIMEOUT, f->total_timeout_s);
    cl->easy_setopt(f->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    cl->easy_setopt(f->curl, CURLOPT_LOW_SPEED_TIME, f->stall_timeout_s);
    cl->easy_setopt(f->curl, CURLOPT_MAXFILESIZE_LARGE, max);
    cl->easy_setopt(f->curl, CURLOPT_NOPROGRESS, 0L);
    cl->easy_setopt(f->curl, CURLOPT_XFERINFOFUNCTION, xferinfo);
    cl->easy_setopt(f->curl, CURLOPT_XFERINFODATA, f);
    /* The server's answers are small and already compressed images. */
    cl->easy_setopt(f->curl, CURLOPT_ACCEPT_ENCODING, NULL);
    if (f->ca_file) {
        cl->easy_setopt(f->curl, CURLOPT_CAINFO, f->ca_file);
    }
    return 0;
}

static long response_code(CURL *curl)
{
    long code = 0;
    cl->easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    return code;
}

/* Turns a transfer's outcome into our code and a message. */
static int finish(struct player_fetch *f, CURLcode cc, bool over_limit,
                  struct player_fetch_result *res)
{
    res->http_status = response_code(f->curl);
    if (over_limit || cc == CURLE_FILESIZE_EXCEEDED) {
        snprintf(res->error, sizeof res->error, "answer larger than allowed");
        return TAULU_ELIMIT;
    }
    if (cc != CURLE_OK) {
        if (cc == CURLE_ABORTED_BY_CALLBACK) {
            snprintf(res->error, sizeof res->error, "stopped");
        } else {
            snprintf(res->error, sizeof res->error, "%.150s",
                     f->errbuf[0] ? f->errbuf : cl->easy_strerror(cc));
        }
        return TAULU_EUNAVAIL;
    }
    return 0;
}

struct mem_ctx {
    struct player_fetch *f;
    struct taulu_buf *body;
    bool over_limit, nomem;
};

static size_t mem_write(char *data, size_t size, size_t n, void *ctx)
{
    struct mem_ctx *m = ctx;
    size_t len = size * n;
    int rc;

    if (response_code(m->f->curl) != 200) {
        return len; /* an error page: read and drop */
    }
    rc = taulu_buf_append(m->body, data, len);
    if (rc == TAULU_ELIMIT) {
        m->over_limit = true;
        return 0; /* stops the transfer */
    }
    if (rc < 0) {
        m->nomem = true;
        return 0;
    }
    return len;
}

/* mem_write() for any status: an answer's JSON error body is read too. */
static size_t mem_write_any(char *data, size_t size, size_t n, void *ctx)
{
    struct mem_ctx *m = ctx;
    size_t len = size * n;
    int rc = taulu_buf_append(m->body, data, len);

    if (rc == TAULU_ELIMIT) {
        m->over_limit = true;
        return 0;
    }
    if (rc < 0) {
        m->nomem = true;
        return 0;
    }
    return len;
}

int player_fetch_get(struct player_fetch *f, const char *url,
                     const char *if_none_match, struct taulu_buf *body,
                     struct player_fetch_result *res)
{
    struct curl_slist *headers = NULL;
    struct mem_ctx m = {f, body, false, false};
    CURLcode cc;
    int rc;

    memset(res, 0, sizeof *res);
    if ((rc = setup(f, url, (curl_off_t)body->limit, if_none_match, &headers)) <
        0) {
        return rc;
    }
    cl->easy_setopt(f->curl, CURLOPT_WRITEFUNCTION, mem_write);
    cl->easy_setopt(f->curl, CURLOPT_WRITEDATA, &m);
    cc = cl->easy_perform(f->curl);
    cl->slist_free_all(headers);
    if (m.nomem) {
        taulu_buf_reset(body);
        return TAULU_ENOMEM;
    }
    rc = finish(f, cc, m.over_limit, res);
    if (rc < 0 || res->http_status != 200) {
        taulu_buf_reset(body);
    }
    return rc;
}

struct file_ctx {
    struct player_fetch *f;
    int fd;
    int64_t max, written;
    struct taulu_sha256_state sha;
    bool over_limit, io_error;
    player_fetch_progress_fn progress;
    void *progress_ctx;
};

static size_t file_write(char *data, size_t size, size_t n, void *ctx)
{
    struct file_ctx *fc = ctx;
    size_t len = size * n, done = 0;

    if (response_code(fc->f->curl) != 200) {
        return len;
    }
    if ((int64_t)len > fc->max - fc->written) {
        fc->over_limit = true;
        return 0;
    }
    while (done < len) {
        ssize_t w = write(fc->fd, data + done, len - done);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            fc->io_error = true;
            return 0;
        }
        done += (size_t)w;
    }
    taulu_sha256_update(&fc->sha, data, len);
    fc->written += (int64_t)len;
    if (fc->progress) {
        fc->progress(fc->progress_ctx, (uint64_t)fc->written);
    }
    return len;
}

int player_fetch_to_file(struct player_fetch *f, const char *url,
                         const char *path, int64_t max_bytes,
                         char sha256_out[65], int64_t *size_out,
                         player_fetch_progress_fn progress, void *ctx,
                         struct player_fetch_result *res)
{
    struct curl_slist *headers = NULL;
    struct file_ctx fc;
    CURLcode cc;
    int rc;

    memset(res, 0, sizeof *res);
    memset(&fc, 0, sizeof fc);
    sha256_out[0] = '\0';
    *size_out = 0;
    fc.f = f;
    fc.max = max_bytes;
    fc.progress = progress;
    fc.progress_ctx = ctx;
    taulu_sha256_begin(&fc.sha);
    fc.fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fc.fd < 0) {
        snprintf(res->error, sizeof res->error, "cannot create %s: %s", path,
                 strerror(errno));
        return TAULU_EIO;
    }
    if ((rc = setup(f, url, (curl_off_t)max_bytes, NULL, &headers)) < 0) {
        goto fail;
    }
    cl->easy_setopt(f->curl, CURLOPT_WRITEFUNCTION, file_write);
    cl->easy_setopt(f->curl, CURLOPT_WRITEDATA, &fc);
    cc = cl->easy_perform(f->curl);
    cl->slist_free_all(headers);
    if (fc.io_error) {
        snprintf(res->error, sizeof res->error, "cannot write %s: %s", path,
                 strerror(errno));
        rc = TAULU_EIO;
        goto fail;
    }
    if ((rc = finish(f, cc, fc.over_limit, res)) < 0) {
        goto fail;
    }
    if (res->http_status != 200) {
        snprintf(res->error, sizeof res->error, "HTTP %ld", res->http_status);
        rc = TAULU_EUNAVAIL;
        goto fail;
    }
    if (fsync(fc.fd) < 0) {
        snprintf(res->error, sizeof res->error, "cannot fsync %s: %s", path,
                 strerror(errno));
        rc = TAULU_EIO;
        goto fail;
    }
    if (close(fc.fd) < 0) {
        fc.fd = -1;
        rc = TAULU_EIO;
        goto fail;
    }
    taulu_sha256_end_hex(&fc.sha, sha256_out);
    *size_out = fc.written;
    return 0;
fail:
    if (fc.fd >= 0) {
        close(fc.fd);
    }
    unlink(path);
    return rc;
}

int player_fetch_send(struct player_fetch *f, const char *method,
                      const char *url, const char *content_type,
                      const void *data, size_t len, struct taulu_buf *body,
                      struct player_fetch_result *res)
{
    struct curl_slist *headers = NULL, *t;
    struct mem_ctx m = {f, body, false, false};
    char ctype[128];
    CURLcode cc;
    int rc;

    memset(res, 0, sizeof *res);
    if ((rc = setup(f, url, (curl_off_t)body->limit, NULL, &headers)) < 0) {
        return rc;
    }
    snprintf(ctype, sizeof ctype, "Content-Type: %s", content_type);
    if (!(t = cl->slist_append(headers, ctype))) {
        cl->slist_free_all(headers);
        return TAULU_ENOMEM;
    }
    headers = t;
    cl->easy_setopt(f->curl, CURLOPT_HTTPHEADER, headers);
    cl->easy_setopt(f->curl, CURLOPT_CUSTOMREQUEST, method);
    cl->easy_setopt(f->curl, CURLOPT_POSTFIELDS, data);
    cl->easy_setopt(f->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    cl->easy_setopt(f->curl, CURLOPT_WRITEFUNCTION, mem_write_any);
    cl->easy_setopt(f->curl, CURLOPT_WRITEDATA, &m);
    cc = cl->easy_perform(f->curl);
    cl->slist_free_all(headers);
    if (m.nomem) {
        taulu_buf_reset(body);
        return TAULU_ENOMEM;
    }
    rc = finish(f, cc, m.over_limit, res);
    if (rc < 0) {
        taulu_buf_reset(body);
    }
    return rc;
}
