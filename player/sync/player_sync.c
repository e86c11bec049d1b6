/*
 * player_sync.c: the player's sync logic between the MQTT edge
 * (player_mqtt.c), the HTTP edge (player_fetch.c) and the cache
 * (player_cache.c). docs/player-sync.md describes the behaviour.
 *
 * Threads:
 *   fetch thread   waits for a reason to check (a new pointer, a reload, the
 *                  poll timer while the broker is down, a retry), then
 *                  fetches, verifies and installs one version.
 *   status thread  publishes the retained status when it changed (rate
 *                  limited) and when the broker connection comes back.
 *   libmosquitto's network thread runs the MQTT callbacks below.
 * Everything they share is in struct player_sync under `mu` and copied in
 * and out; the notify callback gets a copy on the stack.
 */
#include "player_sync.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "player_backoff.h"
#include "player_fetch.h"
#include "player_mqtt.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"
#include "taulu_proto.h"
#include "taulu_utf8.h"

#define TAG "sync"

/* With nothing changing, the status still goes out this often (uptime,
 * cache size, and proof of life: the server credits play time for at
 * most 360 s after a status, docs/protocol.md says "at least every 5
 * minutes"). */
#define STATUS_REFRESH_MS (5 * 60 * 1000)
/* While something changes (a manifest applied, the card shown, an error),
 * at most one status a second: the rate docs/protocol.md gives. */
#define STATUS_MIN_MS_DEFAULT 1000
#define URL_MAX               1024
#define NO_DEADLINE           INT64_MAX

/* What one fetch cycle ended with. */
enum cycle_result {
    CYCLE_DONE,    /* applied, or already up to date */
    CYCLE_RETRY,   /* failed; try again after a backoff */
    CYCLE_REFUSED, /* nothing to fetch and nothing to retry (rollback
                      pointer) */
};

struct player_sync {
    /* Configuration (copied). */
    char *server_url, *screen_id, *token, *prefix, *ca_file, *mqtt_host;
    char *mqtt_ca_file;
    bool mqtt_tls;
    uint8_t pk[TAULU_SIGN_PK_LEN];
    int mqtt_port, poll_ms, retry_min_ms, retry_max_ms, status_min_ms;
    struct player_cache *cache;
    player_sync_notify_fn notify;
    void *notify_ctx;

    pthread_mutex_t mu;
    pthread_cond_t fetch_cv, status_cv;
    bool stopping;
    atomic_bool abort; /* read by curl's progress callback */

    /* Fetch state (under mu). */
    bool have_desired;
    struct taulu_proto_desired desired;
    bool fetch_wanted;      /* new pointer, reload command or request */
    char upload_path[1024]; /* a screenshot to upload; "" = none */
    bool broker_online;
    int64_t applied_seq; /* -1: nothing applied */
    char applied_sha[TAULU_SHA256_HEX_LEN + 1];
    char sync_error[TAULU_PROTO_ERROR_MAX + 1];

    /* Status (under mu). */
    bool have_report;
    struct player_status_info report;
    char report_ack[TAULU_PROTO_MAX_ALERT_ACK][TAULU_MANIFEST_MAX_ID + 1];
    char report_unplaced[TAULU_PROTO_MAX_CARD_IDS][TAULU_MANIFEST_MAX_ID + 1];
    char report_paged[TAULU_PROTO_MAX_CARD_IDS][TAULU_MANIFEST_MAX_ID + 1];
    bool status_dirty, status_force;
    int64_t started_ms;

    struct player_fetch *fetch;
    struct player_mqtt *mqtt;
    pthread_t fetch_thread, status_thread;
    bool fetch_started, status_started;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits on cv until signalled or until the monotonic deadline. */
static void wait_until(pthread_cond_t *cv, pthread_mutex_t *mu,
                       int64_t deadline_ms)
{
    struct timespec ts;

    if (deadline_ms == NO_DEADLINE) {
        pthread_cond_wait(cv, mu);
        return;
    }
    ts.tv_sec = (time_t)(deadline_ms / 1000);
    ts.tv_nsec = (long)(deadline_ms % 1000) * 1000000L;
    pthread_cond_timedwait(cv, mu, &ts);
}

/* Copies at most size-1 bytes of s, cutting only between UTF-8
 * characters. */
static void copy_utf8(char *out, size_t size, const char *s)
{
    size_t n = strnlen(s, size);

    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    memcpy(out, s, n);
    out[n] = '\0';
}

static void emit(struct player_sync *s, const struct player_sync_event *ev)
{
    if (s->notify) {
        s->notify(s->notify_ctx, ev);
    }
}

/* Records a failure: log, status, PLAYER_SYNC_ERROR. */
static void fail(struct player_sync *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void fail(struct player_sync *s, const char *fmt, ...)
{
    struct player_sync_event ev;
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    memset(&ev, 0, sizeof ev);
    ev.kind = PLAYER_SYNC_ERROR;
    copy_utf8(ev.message, sizeof ev.message, msg);
    pthread_mutex_lock(&s->mu);
    if (s->stopping) {
        pthread_mutex_unlock(&s->mu);
        return; /* an aborted transfer is not an error */
    }
    ev.seq = s->applied_seq;
    memcpy(ev.sha256, s->applied_sha, sizeof ev.sha256);
    if (strcmp(s->sync_error, ev.message) != 0) {
        copy_utf8(s->sync_error, sizeof s->sync_error, msg);
        s->status_dirty = true;
        pthread_cond_signal(&s->status_cv);
    }
    pthread_mutex_unlock(&s->mu);
    taulu_warn(TAG, "%s", msg);
    emit(s, &ev);
}

static void clear_error(struct player_sync *s)
{
    pthread_mutex_lock(&s->mu);
    if (s->sync_error[0]) {
        s->sync_error[0] = '\0';
        s->status_dirty = true;
        pthread_cond_signal(&s->status_cv);
    }
    pthread_mutex_unlock(&s->mu);
}

/* ---- fetching one version ---- */

struct progress_ctx {
    struct player_sync *s;
    struct player_sync_event ev;
    uint64_t base; /* bytes of the assets before this one */
    int64_t last_ms;
};

static void download_progress(void *ctx, uint64_t bytes)
{
    struct progress_ctx *p = ctx;
    int64_t now = mono_ms();

    /* A few events a second are plenty for a progress bar. */
    if (now - p->last_ms >= 250) {
        p->last_ms = now;
        p->ev.bytes_done = p->base + bytes;
        emit(p->s, &p->ev);
    }
}

static int build_url(char *out, size_t size, const char *base, const char *path)
{
    int n = snprintf(out, size, "%s%s", base, path);
    return (n < 0 || (size_t)n >= size) ? TAULU_ELIMIT : 0;
}

static enum cycle_result fetch_assets(struct player_sync *s,
                                      const struct taulu_manifest *m)
{
    struct progress_ctx p;
    char url[URL_MAX], tmp[4096], got[TAULU_SHA256_HEX_LEN + 1];
    struct player_fetch_result res;
    int64_t got_size;
    int rc;

    memset(&p, 0, sizeof p);
    p.s = s;
    p.ev.kind = PLAYER_SYNC_PROGRESS;
    p.ev.seq = m->seq;
    p.ev.items_total = (unsigned)m->n_assets;
    for (size_t i = 0; i < m->n_assets; i++) {
        p.ev.bytes_total += (uint64_t)m->assets[i].size;
    }
    emit(s, &p.ev);
    for (size_t i = 0; i < m->n_assets; i++) {
        const struct taulu_asset_ref *a = &m->assets[i];

        rc = player_cache_asset_check(s->cache, a);
        if (rc != 0) {
            char path[96];
            snprintf(path, sizeof path, "/api/v1/assets/%s", a->sha256);
            if (build_url(url, sizeof url, s->server_url, path) < 0 ||
                player_cache_asset_tmp_path(s->cache, tmp, sizeof tmp) < 0) {
                fail(s, "asset %.12s: path too long", a->sha256);
                return CYCLE_RETRY;
            }
            p.base = p.ev.bytes_done;
            rc = player_fetch_to_file(s->fetch, url, tmp, a->size, got,
                                      &got_size, download_progress, &p, &res);
            if (rc < 0) {
                if (res.http_status == 401 || res.http_status == 403) {
                    fail(s,
                         "asset %.12s: server refused the screen token "
                         "(HTTP %ld)",
                         a->sha256, res.http_status);
                } else if (rc == TAULU_ELIMIT) {
                    fail(s, "asset %.12s: larger than the %lld bytes listed",
                         a->sha256, (long long)a->size);
                } else {
                    fail(s, "asset %.12s: download failed: %s", a->sha256,
                         res.error);
                }
                return CYCLE_RETRY;
            }
            rc = player_cache_asset_commit(s->cache, tmp, a, got);
            if (rc == TAULU_EHASH) {
                fail(s,
                     "asset %.12s refused: %lld bytes with sha256 %.12s, "
                     "expected %lld bytes",
                     a->sha256, (long long)got_size, got, (long long)a->size);
                return CYCLE_RETRY;
            }
            if (rc < 0) {
                fail(s, "asset %.12s: cannot store it: %s", a->sha256,
                     taulu_strerror(rc));
                return CYCLE_RETRY;
            }
        }
        p.ev.items_done++;
        p.ev.bytes_done = p.base = 0;
        for (size_t j = 0; j <= i; j++) {
            p.ev.bytes_done += (uint64_t)m->assets[j].size;
        }
        emit(s, &p.ev);
    }
    return CYCLE_DONE;
}

static enum cycle_result fetch_cycle(struct player_sync *s)
{
    struct taulu_proto_desired d;
    struct player_fetch_result res;
    struct taulu_manifest *m = NULL;
    struct taulu_buf body, why;
    struct player_sync_event ev;
    char url[URL_MAX], path[TAULU_PROTO_URL_MAX + 96];
    char sha[TAULU_SHA256_HEX_LEN + 1], applied_sha[TAULU_SHA256_HEX_LEN + 1];
    int64_t applied_seq;
    bool have_desired;
    enum cycle_result result = CYCLE_RETRY;
    int rc;

    pthread_mutex_lock(&s->mu);
    have_desired = s->have_desired;
    d = s->desired;
    applied_seq = s->applied_seq;
    memcpy(applied_sha, s->applied_sha, sizeof applied_sha);
    pthread_mutex_unlock(&s->mu);

    if (have_desired) {
        if (applied_seq >= 0 && strcmp(d.sha256, applied_sha) == 0) {
            clear_error(s);
            return CYCLE_DONE; /* the pointer names what we have */
        }
        if (d.seq < applied_seq) {
            fail(s,
                 "refused the pointer to seq %lld: older than the applied "
                 "seq %lld (rollback)",
                 (long long)d.seq, (long long)applied_seq);
            return CYCLE_REFUSED;
        }
    }
    if (have_desired && d.url[0]) {
        snprintf(path, sizeof path, "%s", d.url);
    } else {
        snprintf(path, sizeof path, "/api/v1/screens/%s/manifest",
                 s->screen_id);
    }
    if (build_url(url, sizeof url, s->server_url, path) < 0) {
        fail(s, "manifest URL too long");
        return CYCLE_RETRY;
    }

    taulu_buf_init(&body, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    taulu_buf_init(&why, 1024);
    rc = player_fetch_get(s->fetch, url, applied_seq >= 0 ? applied_sha : NULL,
                          &body, &res);
    if (rc == TAULU_ELIMIT) {
        fail(s, "manifest refused: larger than %u bytes",
             (unsigned)TAULU_MANIFEST_SIGNED_MAX_BYTES);
        goto out;
    }
    if (rc < 0) {
        fail(s, "cannot fetch the manifest: %s",
             rc == TAULU_ENOMEM ? "out of memory" : res.error);
        goto out;
    }
    if (res.http_status == 304) {
        body.len = 0;
        memcpy(sha, applied_sha, sizeof sha);
    } else if (res.http_status == 200) {
        taulu_sha256_hex(body.data, body.len, sha);
    } else if (res.http_status == 401 || res.http_status == 403) {
        fail(s, "server refused the screen token (HTTP %ld)", res.http_status);
        goto out;
    } else if (res.http_status == 404) {
        fail(s, "server does not know screen %s (HTTP 404)", s->screen_id);
        goto out;
    } else {
        fail(s, "server answered HTTP %ld for the manifest", res.http_status);
        goto out;
    }
    if (applied_seq >= 0 && strcmp(sha, applied_sha) == 0) {
        /* Not modified. If the pointer names another version, the server
         * has not caught up with its own pointer yet: retry later. */
        if (have_desired && strcmp(d.sha256, applied_sha) != 0) {
            fail(s, "server still serves seq %lld, pointer says seq %lld",
                 (long long)applied_seq, (long long)d.seq);
            goto out;
        }
        clear_error(s);
        result = CYCLE_DONE;
        goto out;
    }
    rc = taulu_manifest_load_signed(
        body.data, body.len, s->pk, have_desired ? d.sha256 : NULL,
        s->screen_id, applied_seq > 0 ? applied_seq : 0, &m, &why);
    if (rc == TAULU_EHASH) {
        fail(s,
             "manifest refused: sha256 %.12s does not match the pointer's "
             "%.12s",
             sha, d.sha256);
        goto out;
    }
    if (rc == TAULU_ESTALE) {
        fail(s,
             "manifest refused: older than the applied seq %lld "
             "(rollback): %s",
             (long long)applied_seq, why.data);
        goto out;
    }
    if (rc < 0) {
        fail(s, "manifest refused: %s: %s", taulu_strerror(rc), why.data);
        goto out;
    }
    if (applied_seq >= 0 && m->seq == applied_seq) {
        fail(s,
             "manifest refused: seq %lld is already applied with other "
             "content",
             (long long)m->seq);
        goto out;
    }
    rc = player_cache_prepare(s->cache, m);
    if (rc == TAULU_ELIMIT) {
        fail(s, "manifest seq %lld needs more than the cache's %llu bytes",
             (long long)m->seq,
             (unsigned long long)player_cache_max_bytes(s->cache));
        goto out;
    }
    if (fetch_assets(s, m) != CYCLE_DONE) {
        goto out;
    }
    rc = player_cache_install(s->cache, body.data, body.len, m, sha);
    if (rc < 0) {
        fail(s, "cannot store manifest seq %lld: %s", (long long)m->seq,
             taulu_strerror(rc));
        goto out;
    }

    memset(&ev, 0, sizeof ev);
    ev.kind = PLAYER_SYNC_APPLIED;
    ev.seq = m->seq;
    memcpy(ev.sha256, sha, sizeof ev.sha256);
    pthread_mutex_lock(&s->mu);
    s->applied_seq = m->seq;
    memcpy(s->applied_sha, sha, sizeof s->applied_sha);
    s->sync_error[0] = '\0';
    s->status_dirty = true;
    pthread_cond_signal(&s->status_cv);
    pthread_mutex_unlock(&s->mu);
    taulu_info(TAG, "applied manifest seq %lld (%.12s, %zu assets)",
               (long long)m->seq, sha, m->n_assets);
    emit(s, &ev);
    result = CYCLE_DONE;
out:
    taulu_manifest_free(m);
    taulu_buf_release(&body);
    taulu_buf_release(&why);
    return result;
}

/* PUT the frame at `path` as this screen's screenshot, then delete the
 * file. On the fetch thread, between checks (a picture is a few hundred
 * KiB: it does not hold a manifest back for long). */
static void upload_screenshot(struct player_sync *s, const char *path)
{
    struct player_fetch_result res;
    struct taulu_buf png, body;
    char url[URL_MAX], rel[128];
    int rc;

    taulu_buf_init(&png, 8u << 20);
    taulu_buf_init(&body, 4096);
    rc = taulu_file_read(path, &png);
    unlink(path);
    if (rc < 0) {
        taulu_warn(TAG, "screenshot %s not read: %s", path, taulu_strerror(rc));
        goto out;
    }
    snprintf(rel, sizeof rel, "/api/v1/screens/%s/screenshot", s->screen_id);
    if (build_url(url, sizeof url, s->server_url, rel) < 0) {
        goto out;
    }
    rc = player_fetch_send(s->fetch, "PUT", url, "image/png", png.data, png.len,
                           &body, &res);
    if (rc < 0) {
        taulu_warn(TAG, "screenshot not uploaded: %s", res.error);
    } else if (res.http_status != 204) {
        taulu_warn(TAG, "screenshot refused by the server (HTTP %ld)",
                   res.http_status);
    } else {
        taulu_info(TAG, "screenshot uploaded (%zu bytes)", png.len);
    }
out:
    taulu_buf_release(&png);
    taulu_buf_release(&body);
}

static void *fetch_main(void *arg)
{
    struct player_sync *s = arg;
    int64_t next_poll = 0, retry_at = NO_DEADLINE;
    unsigned attempt = 0;
    enum cycle_result r;

    pthread_mutex_lock(&s->mu);
    while (!s->stopping) {
        int64_t now = mono_ms(), deadline = retry_at;
        bool poll_due = !s->broker_online && now >= next_poll;

        if (!s->broker_online && next_poll < deadline) {
            deadline = next_poll;
        }
        if (s->upload_path[0]) {
            char path[sizeof s->upload_path];

            memcpy(path, s->upload_path, sizeof path);
            s->upload_path[0] = '\0';
            pthread_mutex_unlock(&s->mu);
            upload_screenshot(s, path);
            pthread_mutex_lock(&s->mu);
            continue;
        }
        if (!s->fetch_wanted && !poll_due && now < retry_at) {
            wait_until(&s->fetch_cv, &s->mu, deadline);
            continue;
        }
        s->fetch_wanted = false;
        pthread_mutex_unlock(&s->mu);

        r = fetch_cycle(s);

        pthread_mutex_lock(&s->mu);
        now = mono_ms();
        if (r == CYCLE_RETRY) {
            attempt++;
            retry_at =
                now + player_backoff_ms(attempt, (uint32_t)s->retry_min_ms,
                                        (uint32_t)s->retry_max_ms,
                                        taulu_random_uniform(UINT32_MAX));
            taulu_debug(TAG, "retry %u in %lld ms", attempt,
                        (long long)(retry_at - now));
        } else {
            attempt = 0;
            retry_at = NO_DEADLINE;
        }
        next_poll = now + s->poll_ms;
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* ---- status ---- */

/* Fills the status from the shared state. Called with mu held. */
static void fill_status(struct player_sync *s, struct taulu_proto_status *out)
{
    struct taulu_proto_status st;
    const char *err;

    taulu_proto_status_init(&st);
    st.state = TAULU_SCREEN_ONLINE;
    if (s->applied_seq >= 0) {
        st.has_seq = true;
        st.seq = s->applied_seq;
        memcpy(st.sha256, s->applied_sha, sizeof st.sha256);
    }
    st.has_uptime = true;
    st.uptime_s = (mono_ms() - s->started_ms) / 1000;
    st.has_cache_bytes = true;
    st.cache_bytes = (int64_t)player_cache_bytes(s->cache);
    st.at = (int64_t)time(NULL);
    err = s->sync_error;
    if (s->have_report) {
        const struct player_status_info *r = &s->report;
        if (r->seq >= 0 && taulu_is_sha256_hex(r->sha256)) {
            st.has_seq = true;
            st.seq = r->seq;
            memcpy(st.sha256, r->sha256, sizeof st.sha256);
        }
        if (taulu_manifest_id_valid(r->showing)) {
            memcpy(st.showing, r->showing, sizeof st.showing);
        }
        st.has_clock_ok = true;
        st.clock_ok = r->clock_ok;
        if (r->error[0]) {
            err = r->error; /* what the screen shows wrong comes first */
        }
        for (size_t i = 0; i < r->n_alert_ack; i++) {
            if (taulu_manifest_id_valid(s->report_ack[i])) {
                memcpy(st.alert_ack[st.n_alert_ack++], s->report_ack[i],
                       sizeof st.alert_ack[0]);
            }
        }
        for (size_t i = 0; i < r->n_unplaced; i++) {
            if (taulu_manifest_id_valid(s->report_unplaced[i])) {
                memcpy(st.unplaced[st.n_unplaced++], s->report_unplaced[i],
                       sizeof st.unplaced[0]);
            }
        }
        for (size_t i = 0; i < r->n_paged; i++) {
            if (taulu_manifest_id_valid(s->report_paged[i])) {
                memcpy(st.paged[st.n_paged++], s->report_paged[i],
                       sizeof st.paged[0]);
            }
        }
        st.has_profile = r->has_profile;
        st.profile = r->profile;
        if (r->display >= TAULU_DISPLAY_UNSAID &&
            r->display <= TAULU_DISPLAY_OFF) {
            st.display = (enum taulu_display_state)r->display;
        }
        st.has_loop = r->has_loop;
        st.loop_s = r->loop_s;
        st.loop_all_s = r->loop_all_s;
        st.loop_turns = r->loop_turns;
        st.loop_window = r->loop_window;
    }
    copy_utf8(st.error, sizeof st.error, err);
    *out = st;
}

/* The payload of a status. */
static int write_status(struct taulu_proto_status *st, struct taulu_buf *out)
{
    int rc = taulu_proto_status_write(st, out);

    if (rc == TAULU_EUTF8 || rc == TAULU_EVALUE) {
        /* An error text the protocol refuses (controls, bad UTF-8): say so
         * rather than publish nothing. */
        copy_utf8(st->error, sizeof st->error, "(error text not printable)");
        taulu_buf_reset(out);
        rc = taulu_proto_status_write(st, out);
    }
    return rc;
}

/* Whether two statuses say the same to a reader: what is applied and
 * shown, the clock, the error and the acknowledged alerts. Uptime, cache
 * size and the time of writing are not news on their own. */
static bool status_same(const struct taulu_proto_status *a,
                        const struct taulu_proto_status *b)
{
    if (a->state != b->state || a->has_seq != b->has_seq ||
        (a->has_seq && a->seq != b->seq) || strcmp(a->sha256, b->sha256) != 0 ||
        strcmp(a->showing, b->showing) != 0 ||
        a->has_clock_ok != b->has_clock_ok || a->clock_ok != b->clock_ok ||
        strcmp(a->error, b->error) != 0 || a->n_alert_ack != b->n_alert_ack) {
        return false;
    }
    for (size_t i = 0; i < a->n_alert_ack; i++) {
        if (strcmp(a->alert_ack[i], b->alert_ack[i]) != 0) {
            return false;
        }
    }
    return true;
}

/*
 * Publishes the status: the first change after a quiet time at once, then
 * at most one every status_min_ms while things keep changing, and every
 * STATUS_REFRESH_MS when nothing does. A change that leaves the status as
 * it was published (the sync applied what the main loop has not shown
 * yet: the status still says what is on screen) sends nothing and spends
 * none of the rate, so the main loop's "now showing it", a moment later,
 * goes out at once: that is the moment a contact person waits for.
 */
static void *status_main(void *arg)
{
    struct player_sync *s = arg;
    struct taulu_buf b;
    struct taulu_proto_status st, last;
    bool have_last = false;
    int64_t last_pub = 0;

    taulu_buf_init(&b, TAULU_PROTO_MAX_PAYLOAD);
    pthread_mutex_lock(&s->mu);
    while (!s->stopping) {
        int64_t now = mono_ms(), deadline = NO_DEADLINE;
        bool publish = false, refresh = now - last_pub >= STATUS_REFRESH_MS;

        if (s->broker_online) {
            if (s->status_force || refresh ||
                (s->status_dirty && now - last_pub >= s->status_min_ms)) {
                publish = true;
            } else if (s->status_dirty) {
                deadline = last_pub + s->status_min_ms;
            } else {
                deadline = last_pub + STATUS_REFRESH_MS;
            }
        }
        if (!publish) {
            wait_until(&s->status_cv, &s->mu, deadline);
            continue;
        }
        fill_status(s, &st);
        if (!s->status_force && !refresh && have_last &&
            status_same(&st, &last)) {
            s->status_dirty = false;
            continue;
        }
        taulu_buf_reset(&b);
        if (write_status(&st, &b) < 0) {
            taulu_err(TAG, "cannot build the status payload");
            s->status_dirty = s->status_force = false;
            last_pub = now;
            continue;
        }
        s->status_dirty = s->status_force = false;
        last = st;
        have_last = true;
        last_pub = now;
        pthread_mutex_unlock(&s->mu);
        if (player_mqtt_publish_status(s->mqtt, b.data, b.len) < 0) {
            /* Not connected after all: on_connection(true) forces a new
             * publish. */
            taulu_debug(TAG, "status not published: not connected");
        }
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    taulu_buf_release(&b);
    return NULL;
}

/* ---- MQTT callbacks (libmosquitto's thread) ---- */

static void mqtt_on_connection(void *ctx, bool online, const char *why)
{
    struct player_sync *s = ctx;
    struct player_sync_event ev;
    bool changed;

    pthread_mutex_lock(&s->mu);
    changed = s->broker_online != online;
    s->broker_online = online;
    if (online) {
        s->status_force = true; /* the online status, retained */
        pthread_cond_signal(&s->status_cv);
    }
    /* Polling starts (or stops) with the connection. */
    pthread_cond_signal(&s->fetch_cv);
    pthread_mutex_unlock(&s->mu);
    if (changed) {
        memset(&ev, 0, sizeof ev);
        ev.kind = PLAYER_SYNC_CONNECTION;
        ev.online = online;
        if (why) {
            copy_utf8(ev.message, sizeof ev.message, why);
        }
        emit(s, &ev);
    }
}

static void mqtt_on_message(void *ctx, enum taulu_topic_kind kind,
                            const char *payload, size_t len)
{
    struct player_sync *s = ctx;
    struct player_sync_event ev;
    struct taulu_buf why;
    int rc;

    taulu_buf_init(&why, 512);
    if (kind == TAULU_TOPIC_DESIRED) {
        struct taulu_proto_desired d;
        rc = taulu_proto_desired_parse(payload, len, &d, &why);
        if (rc < 0) {
            fail(s, "pointer refused: %s: %s", taulu_strerror(rc), why.data);
        } else {
            pthread_mutex_lock(&s->mu);
            /* The same pointer again (a reconnect) does not cut a backoff
             * short; a new one is fetched at once. */
            if (!s->have_desired || d.seq != s->desired.seq ||
                strcmp(d.sha256, s->desired.sha256) != 0) {
                s->desired = d;
                s->have_desired = true;
                s->fetch_wanted = true;
                pthread_cond_signal(&s->fetch_cv);
            }
            pthread_mutex_unlock(&s->mu);
            taulu_info(TAG, "pointer: seq %lld (%.12s)", (long long)d.seq,
                       d.sha256);
        }
    } else if (kind == TAULU_TOPIC_COMMAND) {
        struct taulu_proto_command c;
        rc = taulu_proto_command_parse(payload, len, &c, &why);
        if (rc < 0) {
            taulu_warn(TAG, "command refused: %s: %s", taulu_strerror(rc),
                       why.data);
        } else {
            taulu_info(TAG, "command %s (%s)", taulu_proto_command_name(c.cmd),
                       c.id);
            if (c.cmd == TAULU_CMD_RELOAD) {
                player_sync_request_reload(s);
            }
            memset(&ev, 0, sizeof ev);
            ev.kind = PLAYER_SYNC_COMMAND;
            ev.command = (int)c.cmd;
            copy_utf8(ev.command_id, sizeof ev.command_id, c.id);
            emit(s, &ev);
        }
    }
    taulu_buf_release(&why);
}

/* ---- public ---- */

static char *dup_opt(const char *v, bool *ok)
{
    char *d;

    if (!v || !*v) {
        return NULL;
    }
    d = strdup(v);
    if (!d) {
        *ok = false;
    }
    return d;
}

static void sync_free(struct player_sync *s)
{
    if (!s) {
        return;
    }
    player_fetch_free(s->fetch);
    free(s->server_url);
    free(s->screen_id);
    if (s->token) {
        taulu_wipe(s->token, strlen(s->token));
        free(s->token);
    }
    free(s->prefix);
    free(s->ca_file);
    free(s->mqtt_host);
    free(s->mqtt_ca_file);
    pthread_cond_destroy(&s->fetch_cv);
    pthread_cond_destroy(&s->status_cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

static bool url_base_valid(const char *u)
{
    size_t n;

    if (!u ||
        (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)) {
        return false;
    }
    n = strlen(u);
    return n > 8 && n < 512 && u[n - 1] != '/';
}

int player_sync_start(const struct player_sync_config *cfg, int64_t current_seq,
                      const char *current_sha256, player_sync_notify_fn notify,
                      void *ctx, struct player_sync **out)
{
    struct player_sync *s = NULL;
    struct player_fetch_opts fo;
    pthread_condattr_t ca;
    bool ok = true;
    int rc;

    if (!out) {
        return TAULU_EINVAL;
    }
    *out = NULL;
    if (!cfg || !cfg->cache || !cfg->server_pk ||
        !taulu_proto_screen_id_valid(cfg->screen_id) ||
        !url_base_valid(cfg->server_url) ||
        (cfg->mqtt_prefix && !taulu_proto_prefix_valid(cfg->mqtt_prefix))) {
        taulu_err(TAG, "invalid sync configuration");
        return TAULU_EINVAL;
    }
    s = calloc(1, sizeof *s);
    if (!s) {
        return TAULU_ENOMEM;
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->fetch_cv, &ca);
    pthread_cond_init(&s->status_cv, &ca);
    pthread_condattr_destroy(&ca);
    atomic_init(&s->abort, false);

    s->server_url = dup_opt(cfg->server_url, &ok);
    s->screen_id = dup_opt(cfg->screen_id, &ok);
    s->token = dup_opt(cfg->screen_token ? cfg->screen_token : "", &ok);
    s->prefix = dup_opt(cfg->mqtt_prefix, &ok);
    s->ca_file = dup_opt(cfg->ca_file, &ok);
    s->mqtt_host = dup_opt(cfg->mqtt_host, &ok);
    s->mqtt_ca_file =
        dup_opt(cfg->mqtt_ca_file ? cfg->mqtt_ca_file : cfg->ca_file, &ok);
    s->mqtt_tls = cfg->mqtt_tls;
    if (!ok) {
        rc = TAULU_ENOMEM;
        goto fail;
    }
    memcpy(s->pk, cfg->server_pk, sizeof s->pk);
    s->mqtt_port = cfg->mqtt_port;
    s->poll_ms = (cfg->poll_interval_s > 0 ? cfg->poll_interval_s : 300) * 1000;
    s->retry_min_ms = cfg->retry_min_ms > 0 ? cfg->retry_min_ms : 1000;
    s->retry_max_ms = cfg->retry_max_ms > 0 ? cfg->retry_max_ms : 300000;
    s->status_min_ms = cfg->status_min_interval_ms > 0
                           ? cfg->status_min_interval_ms
                           : STATUS_MIN_MS_DEFAULT;
    s->cache = cfg->cache;
    s->notify = notify;
    s->notify_ctx = ctx;
    s->started_ms = mono_ms();
    s->fetch_wanted = true; /* one check at start, broker or not */
    s->applied_seq = -1;
    if (current_seq >= 0 && current_sha256 &&
        taulu_is_sha256_hex(current_sha256)) {
        s->applied_seq = current_seq;
        memcpy(s->applied_sha, current_sha256, sizeof s->applied_sha);
    }

    memset(&fo, 0, sizeof fo);
    fo.token = s->token;
    fo.ca_file = s->ca_file;
    fo.abort = &s->abort;
    if ((rc = player_fetch_new(&fo, &s->fetch)) < 0) {
        goto fail;
    }
    if (s->mqtt_host) {
        struct player_mqtt_opts mo = {
            .host = s->mqtt_host,
            .port = s->mqtt_port,
            .tls = s->mqtt_tls,
            .ca_file = s->mqtt_ca_file,
            .prefix = s->prefix,
            .screen_id = s->screen_id,
            .token = s->token,
        };
        struct player_mqtt_callbacks cb = {
            .on_connection = mqtt_on_connection,
            .on_message = mqtt_on_message,
        };
        if ((rc = player_mqtt_start(&mo, &cb, s, &s->mqtt)) < 0) {
            goto fail;
        }
    }
    if (pthread_create(&s->fetch_thread, NULL, fetch_main, s) != 0) {
        rc = TAULU_EUNAVAIL;
        goto fail;
    }
    s->fetch_started = true;
    if (pthread_create(&s->status_thread, NULL, status_main, s) != 0) {
        rc = TAULU_EUNAVAIL;
        goto fail;
    }
    s->status_started = true;
    taulu_info(TAG, "syncing screen %s from %s (broker %s)", s->screen_id,
               s->server_url, s->mqtt_host ? s->mqtt_host : "none");
    *out = s;
    return 0;
fail:
    player_sync_stop(s);
    return rc;
}

/* Whether a report says something other than the one kept. Called with mu
 * held, before the kept alert ids are overwritten. */
/* Whether ids[0..n) differ from the kept copies. */
static bool ids_changed(const char (*kept)[TAULU_MANIFEST_MAX_ID + 1],
                        size_t n_kept, const char *const *ids, size_t n)
{
    if (n_kept != n) {
        return true;
    }
    for (size_t i = 0; i < n; i++) {
        const char *a = ids[i] ? ids[i] : "";
        if (strncmp(kept[i], a, TAULU_MANIFEST_MAX_ID) != 0) {
            return true;
        }
    }
    return false;
}

static bool report_changed(const struct player_sync *s,
                           const struct player_status_info *r, size_t n_ack,
                           size_t n_unplaced, size_t n_paged)
{
    const struct player_status_info *k = &s->report;

    if (!s->have_report || k->seq != r->seq || k->clock_ok != r->clock_ok ||
        k->display != r->display ||
        strncmp(k->sha256, r->sha256, sizeof k->sha256) != 0 ||
        strncmp(k->showing, r->showing, sizeof k->showing) != 0 ||
        strncmp(k->error, r->error, sizeof k->error) != 0 ||
        k->has_profile != r->has_profile ||
        (r->has_profile &&
         memcmp(&k->profile, &r->profile, sizeof k->profile) != 0) ||
        k->has_loop != r->has_loop || k->loop_s != r->loop_s ||
        k->loop_all_s != r->loop_all_s || k->loop_turns != r->loop_turns ||
        k->loop_window != r->loop_window) {
        return true;
    }
    return ids_changed(s->report_ack, k->n_alert_ack, r->alert_ack, n_ack) ||
           ids_changed(s->report_unplaced, k->n_unplaced, r->unplaced,
                       n_unplaced) ||
           ids_changed(s->report_paged, k->n_paged, r->paged, n_paged);
}

/* Copies n ids into kept[] and points out[] at the copies. */
static void keep_ids(char (*kept)[TAULU_MANIFEST_MAX_ID + 1], const char **out,
                     const char *const *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        copy_utf8(kept[i], TAULU_MANIFEST_MAX_ID + 1, ids[i] ? ids[i] : "");
        out[i] = kept[i];
    }
}

void player_sync_report(struct player_sync *s,
                        const struct player_status_info *info)
{
    struct player_status_info *k;
    size_t n, nu, np;

    if (!s || !info) {
        return;
    }
    n = info->n_alert_ack < TAULU_PROTO_MAX_ALERT_ACK
            ? info->n_alert_ack
            : TAULU_PROTO_MAX_ALERT_ACK;
    nu = info->n_unplaced < TAULU_PROTO_MAX_CARD_IDS ? info->n_unplaced
                                                     : TAULU_PROTO_MAX_CARD_IDS;
    np = info->n_paged < TAULU_PROTO_MAX_CARD_IDS ? info->n_paged
                                                  : TAULU_PROTO_MAX_CARD_IDS;
    pthread_mutex_lock(&s->mu);
    if (report_changed(s, info, n, nu, np)) {
        k = &s->report;
        memset(k, 0, sizeof *k);
        k->seq = info->seq;
        k->clock_ok = info->clock_ok;
        k->display = info->display;
        copy_utf8(k->sha256, sizeof k->sha256, info->sha256);
        copy_utf8(k->showing, sizeof k->showing, info->showing);
        copy_utf8(k->error, sizeof k->error, info->error);
        keep_ids(s->report_ack, k->alert_ack, info->alert_ack, n);
        k->n_alert_ack = n;
        keep_ids(s->report_unplaced, k->unplaced, info->unplaced, nu);
        k->n_unplaced = nu;
        keep_ids(s->report_paged, k->paged, info->paged, np);
        k->n_paged = np;
        k->has_profile = info->has_profile;
        k->profile = info->profile;
        k->has_loop = info->has_loop;
        k->loop_s = info->loop_s;
        k->loop_all_s = info->loop_all_s;
        k->loop_turns = info->loop_turns;
        k->loop_window = info->loop_window;
        s->have_report = true;
        s->status_dirty = true;
        pthread_cond_signal(&s->status_cv);
    }
    pthread_mutex_unlock(&s->mu);
}

void player_sync_upload_screenshot(struct player_sync *s, const char *path)
{
    if (!s || !path) {
        return;
    }
    pthread_mutex_lock(&s->mu);
    snprintf(s->upload_path, sizeof s->upload_path, "%s", path);
    pthread_cond_signal(&s->fetch_cv);
    pthread_mutex_unlock(&s->mu);
}

void player_sync_request_reload(struct player_sync *s)
{
    if (!s) {
        return;
    }
    pthread_mutex_lock(&s->mu);
    s->fetch_wanted = true;
    pthread_cond_signal(&s->fetch_cv);
    pthread_mutex_unlock(&s->mu);
}

void player_sync_stop(struct player_sync *s)
{
    if (!s) {
        return;
    }
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    atomic_store(&s->abort, true);
    pthread_cond_broadcast(&s->fetch_cv);
    pthread_cond_broadcast(&s->status_cv);
    pthread_mutex_unlock(&s->mu);
    if (s->fetch_started) {
        pthread_join(s->fetch_thread, NULL);
    }
    if (s->status_started) {
        pthread_join(s->status_thread, NULL);
    }
    /* Last: the callbacks may run until the network thread has stopped. */
    player_mqtt_stop(s->mqtt, 2000);
    s->mqtt = NULL;
    sync_free(s);
}
