/*
 * test_sync_integration.c: the player's sync against a real Mosquitto and
 * a real HTTP server: a new version is applied and reported on the status
 * topic; a tampered manifest, a wrong pointer hash, a truncated or wrong
 * asset, a server error and a rollback attempt all leave the last good
 * version in place with the reason in the status; polling takes over when
 * the broker is down; an offline start shows the cache at once; the last
 * will marks a killed player offline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "player_cache.h"
#include "player_sync.h"
#include "sync_fixture.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_manifest.h"
#include "taulu_proto.h"
#include "tsupport.h"
#include "tsupport_http.h"

#define TIMEOUT_MS 8000
#define MAX_EVENTS 4096

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- events from the sync ---- */

struct events {
    pthread_mutex_t mu;
    struct player_sync_event ev[MAX_EVENTS];
    size_t n;
};

static void on_event(void *ctx, const struct player_sync_event *ev)
{
    struct events *e = ctx;
    pthread_mutex_lock(&e->mu);
    if (e->n < MAX_EVENTS) {
        e->ev[e->n++] = *ev;
    }
    pthread_mutex_unlock(&e->mu);
}

static size_t events_mark(struct events *e)
{
    size_t n;
    pthread_mutex_lock(&e->mu);
    n = e->n;
    pthread_mutex_unlock(&e->mu);
    return n;
}

/* Waits for an event of `kind` after `from` whose message contains `part`
 * (NULL: any) and, for APPLIED, with seq `seq` (-1: any). */
static bool wait_event(struct events *e, size_t from,
                       enum player_sync_event_kind kind, const char *part,
                       int64_t seq, struct player_sync_event *out)
{
    int64_t deadline = now_ms() + TIMEOUT_MS;

    do {
        pthread_mutex_lock(&e->mu);
        for (size_t i = from; i < e->n; i++) {
            const struct player_sync_event *ev = &e->ev[i];
            if (ev->kind == kind && (!part || strstr(ev->message, part)) &&
                (seq < 0 || ev->seq == seq)) {
                if (out) {
                    *out = *ev;
                }
                pthread_mutex_unlock(&e->mu);
                return true;
            }
        }
        pthread_mutex_unlock(&e->mu);
        sleep_ms(10);
    } while (now_ms() < deadline);
    fprintf(stderr, "no event kind %d '%s' seq %lld; got:\n", (int)kind,
            part ? part : "", (long long)seq);
    pthread_mutex_lock(&e->mu);
    for (size_t i = from; i < e->n; i++) {
        fprintf(stderr, "  kind %d seq %lld: %s\n", (int)e->ev[i].kind,
                (long long)e->ev[i].seq, e->ev[i].message);
    }
    pthread_mutex_unlock(&e->mu);
    return false;
}

/* ---- a watcher on the broker (stands in for the content server) ---- */

struct watcher {
    struct mosquitto *mosq;
    pthread_mutex_t mu;
    char status[TAULU_PROTO_MAX_PAYLOAD + 1];
    bool have_status;
    char topic_status[TAULU_TOPIC_MAX + 1];
    char topic_desired[TAULU_TOPIC_MAX + 1];
    char topic_command[TAULU_TOPIC_MAX + 1];
    /* When each status arrived (monotonic ms), for the rate. */
    int64_t arrived[256];
    size_t n_arrived;
};

static void w_on_message(struct mosquitto *mosq, void *obj,
                         const struct mosquitto_message *msg)
{
    struct watcher *w = obj;
    (void)mosq;
    if (strcmp(msg->topic, w->topic_status) == 0 &&
        msg->payloadlen <= TAULU_PROTO_MAX_PAYLOAD) {
        pthread_mutex_lock(&w->mu);
        memcpy(w->status, msg->payload, (size_t)msg->payloadlen);
        w->status[msg->payloadlen] = '\0';
        w->have_status = msg->payloadlen > 0;
        if (w->n_arrived < sizeof w->arrived / sizeof w->arrived[0]) {
            w->arrived[w->n_arrived++] = now_ms();
        }
        pthread_mutex_unlock(&w->mu);
    }
}

static void w_on_connect(struct mosquitto *mosq, void *obj, int rc)
{
    struct watcher *w = obj;
    if (rc == 0) {
        mosquitto_subscribe(mosq, NULL, w->topic_status, 1);
    }
}

static void watcher_start(struct watcher *w, int port)
{
    memset(w, 0, sizeof *w);
    pthread_mutex_init(&w->mu, NULL);
    assert_int_equal(
        taulu_proto_topic(w->topic_status, NULL, FX_SCREEN, TAULU_TOPIC_STATUS),
        0);
    assert_int_equal(taulu_proto_topic(w->topic_desired, NULL, FX_SCREEN,
                                       TAULU_TOPIC_DESIRED),
                     0);
    assert_int_equal(taulu_proto_topic(w->topic_command, NULL, FX_SCREEN,
                                       TAULU_TOPIC_COMMAND),
                     0);
    w->mosq = mosquitto_new(NULL, true, w);
    assert_non_null(w->mosq);
    mosquitto_connect_callback_set(w->mosq, w_on_connect);
    mosquitto_message_callback_set(w->mosq, w_on_message);
    assert_int_equal(mosquitto_connect(w->mosq, "127.0.0.1", port, 30), 0);
    assert_int_equal(mosquitto_loop_start(w->mosq), 0);
}

static void watcher_stop(struct watcher *w)
{
    if (!w->mosq) {
        return;
    }
    mosquitto_disconnect(w->mosq);
    mosquitto_loop_stop(w->mosq, false);
    mosquitto_destroy(w->mosq);
    w->mosq = NULL;
}

static void watcher_publish(struct watcher *w, const char *topic,
                            const char *payload, size_t len, bool retain)
{
    int mid = 0;
    assert_int_equal(
        mosquitto_publish(w->mosq, &mid, topic, (int)len, payload, 1, retain),
        0);
}

static void publish_pointer(struct watcher *w, int64_t seq, const char *sha)
{
    struct taulu_buf b;
    fx_pointer(seq, sha, &b);
    watcher_publish(w, w->topic_desired, b.data, b.len, true);
    taulu_buf_release(&b);
}

/* Waits until the retained status has `state`, `seq` (-1: any) and an
 * error containing `err_part` (NULL: any, "": none). */
static bool wait_status(struct watcher *w, enum taulu_screen_state state,
                        int64_t seq, const char *err_part,
                        struct taulu_proto_status *out)
{
    int64_t deadline = now_ms() + TIMEOUT_MS;
    struct taulu_proto_status st;
    char last[TAULU_PROTO_MAX_PAYLOAD + 1] = "";

    do {
        bool ok = false;
        pthread_mutex_lock(&w->mu);
        if (w->have_status) {
            memcpy(last, w->status, sizeof last);
            ok = taulu_proto_status_parse(w->status, strlen(w->status), &st,
                                          NULL) == 0;
        }
        pthread_mutex_unlock(&w->mu);
        if (ok && st.state == state &&
            (seq < 0 || (st.has_seq && st.seq == seq)) &&
            (!err_part || (err_part[0] ? strstr(st.error, err_part) != NULL
                                       : st.error[0] == '\0'))) {
            if (out) {
                *out = st;
            }
            return true;
        }
        sleep_ms(10);
    } while (now_ms() < deadline);
    fprintf(stderr, "status never matched; last: %s\n", last);
    return false;
}

/* ---- the test's world ---- */

struct world {
    struct fx f;
    struct tsupport_broker broker;
    bool broker_up;
    struct tsupport_http *http;
    struct watcher w;
    struct events ev;
    struct player_cache *cache;
    struct player_sync *sync;
    struct fx_version v[4];
    unsigned n_v;
};

static int setup(void **state)
{
    struct world *x = calloc(1, sizeof *x);
    char tag[32];
    static unsigned n;

    if (!x) {
        return -1;
    }
    snprintf(tag, sizeof tag, "sync-%u", n++);
    fx_init(&x->f, tag);
    pthread_mutex_init(&x->ev.mu, NULL);
    if (tsupport_broker_start(&x->broker, NULL) < 0 ||
        tsupport_http_start(x->f.root, FX_TOKEN, &x->http) < 0) {
        return -1;
    }
    x->broker_up = true;
    watcher_start(&x->w, x->broker.port);
    assert_int_equal(player_cache_open(x->f.cache, 0, &x->cache), 0);
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    struct world *x = *state;

    player_sync_stop(x->sync);
    player_cache_close(x->cache);
    watcher_stop(&x->w);
    tsupport_http_stop(x->http);
    if (x->broker_up) {
        tsupport_broker_stop(&x->broker);
    }
    for (unsigned i = 0; i < x->n_v; i++) {
        fx_version_release(&x->v[i]);
    }
    free(x);
    return 0;
}

/* A version built, served and (optionally) already in the cache. */
static struct fx_version *version(struct world *x, int64_t seq,
                                  unsigned n_assets, bool serve, bool install)
{
    struct fx_version *v = &x->v[x->n_v++];
    fx_version(&x->f, v, seq, n_assets, 4096 + (size_t)seq * 100,
               (unsigned)seq * 7 + x->n_v);
    if (serve) {
        fx_serve(&x->f, v);
    }
    if (install) {
        fx_install(x->cache, v);
    }
    return v;
}

/* The status rate the sync is started with; 0: the player's default. */
static int status_min_ms = 50;

static void start_sync(struct world *x, const char *server_url, int mqtt_port,
                       int poll_s)
{
    struct taulu_manifest *m = NULL;
    struct player_sync_config cfg;
    char sha[65];
    int64_t seq = -1;

    if (player_cache_load_current(x->cache, x->f.pk, FX_SCREEN, &m, sha) == 0) {
        seq = m->seq;
    }
    taulu_manifest_free(m);
    memset(&cfg, 0, sizeof cfg);
    cfg.server_url = server_url ? server_url : tsupport_http_url(x->http);
    cfg.screen_id = FX_SCREEN;
    cfg.screen_token = FX_TOKEN;
    cfg.server_pk = x->f.pk;
    cfg.mqtt_host = mqtt_port ? "127.0.0.1" : NULL;
    cfg.mqtt_port = mqtt_port;
    cfg.poll_interval_s = poll_s;
    cfg.cache = x->cache;
    cfg.retry_min_ms = 100;
    cfg.retry_max_ms = 400;
    cfg.status_min_interval_ms = status_min_ms;
    assert_int_equal(player_sync_start(&cfg, seq, seq >= 0 ? sha : NULL,
                                       on_event, &x->ev, &x->sync),
                     0);
}

static int64_t cached_seq(struct world *x, char sha[65])
{
    struct taulu_manifest *m = NULL;
    int64_t seq = -1;
    if (player_cache_load_current(x->cache, x->f.pk, FX_SCREEN, &m, sha) == 0) {
        seq = m->seq;
    }
    taulu_manifest_free(m);
    return seq;
}

/* ---- tests ---- */

static void test_new_version_applied_and_reported(void **state)
{
    struct world *x = *state;
    struct fx_version *v2;
    struct player_sync_event ev;
    struct taulu_proto_status st;
    char sha[65];
    size_t mark;

    version(x, 1, 2, true, true);
    start_sync(x, NULL, x->broker.port, 300);
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 1, "", NULL));
    /* The poll at start was answered 304: v1 is what the server has. */
    for (int i = 0; i < 500 && tsupport_http_not_modified(x->http) == 0; i++) {
        sleep_ms(10);
    }
    assert_true(tsupport_http_not_modified(x->http) >= 1);

    mark = events_mark(&x->ev);
    v2 = version(x, 2, 3, true, false);
    publish_pointer(&x->w, 2, v2->sha256);
    assert_true(wait_event(&x->ev, mark, PLAYER_SYNC_APPLIED, NULL, 2, &ev));
    assert_string_equal(ev.sha256, v2->sha256);
    assert_true(wait_event(&x->ev, mark, PLAYER_SYNC_PROGRESS, NULL, 2, &ev));
    assert_int_equal(ev.items_total, 3);
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 2, "", &st));
    assert_string_equal(st.sha256, v2->sha256);
    assert_true(st.has_cache_bytes && st.cache_bytes > 0);
    assert_int_equal(cached_seq(x, sha), 2);
    assert_string_equal(sha, v2->sha256);

    /* What the main loop reports goes out too. */
    struct player_status_info info;
    memset(&info, 0, sizeof info);
    info.seq = 2;
    memcpy(info.sha256, v2->sha256, 65);
    snprintf(info.showing, sizeof info.showing, "card-7");
    info.clock_ok = true;
    info.alert_ack[0] = "alert-1";
    info.n_alert_ack = 1;
    player_sync_report(x->sync, &info);
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 2, "", &st));
    for (int i = 0; i < 200 && strcmp(st.showing, "card-7") != 0; i++) {
        sleep_ms(10);
        assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 2, "", &st));
    }
    assert_string_equal(st.showing, "card-7");
    assert_int_equal(st.n_alert_ack, 1);
    assert_string_equal(st.alert_ack[0], "alert-1");

    /* The same pointer again (as after a reconnect) fetches nothing. */
    unsigned hits = tsupport_http_hits(x->http, "/manifest");
    publish_pointer(&x->w, 2, v2->sha256);
    sleep_ms(300);
    assert_int_equal(tsupport_http_hits(x->http, "/manifest"), hits);
}

static size_t arrivals(struct watcher *w, int64_t since, int64_t *first)
{
    size_t n = 0;

    pthread_mutex_lock(&w->mu);
    for (size_t i = 0; i < w->n_arrived; i++) {
        if (w->arrived[i] >= since) {
            if (n == 0 && first) {
                *first = w->arrived[i];
            }
            n++;
        }
    }
    pthread_mutex_unlock(&w->mu);
    return n;
}

static void report(struct player_sync *s, int64_t seq, const char *sha,
                   const char *showing)
{
    struct player_status_info info;

    memset(&info, 0, sizeof info);
    info.seq = seq;
    snprintf(info.sha256, sizeof info.sha256, "%s", sha);
    snprintf(info.showing, sizeof info.showing, "%s", showing);
    info.clock_ok = true;
    player_sync_report(s, &info);
}

/*
 * The rate, with the player's own default: once a second while something
 * changes, and the moment that matters at once. A new manifest is applied
 * by the sync and shown by the main loop a moment later; the status that
 * says "showing seq 2" must reach the broker at once, not a rate interval
 * after the sync's own note that it applied something the screen does not
 * show yet (that made approve-to-live take 2 s). Then a burst of changes
 * goes out at most once a second, its last state included, and a quiet
 * screen sends nothing.
 */
static void test_status_rate(void **state)
{
    struct world *x = *state;
    struct fx_version *v1, *v2;
    struct player_sync_event ev;
    struct taulu_proto_status st;
    int64_t t_shown, t_first = 0, t0;
    size_t mark, n;
    static const char *const cards[] = {"card-a", "card-b", "card-c",
                                        "card-d", "card-e", "card-f"};

    status_min_ms = 0;
    v1 = version(x, 1, 1, true, true);
    start_sync(x, NULL, x->broker.port, 300);
    status_min_ms = 50;
    report(x->sync, 1, v1->sha256, "card-1");
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 1, "", NULL));
    for (int i = 0; i < 300; i++) {
        assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 1, "", &st));
        if (strcmp(st.showing, "card-1") == 0) {
            break;
        }
        sleep_ms(10);
    }
    assert_string_equal(st.showing, "card-1");
    sleep_ms(1200); /* quiet */

    mark = events_mark(&x->ev);
    v2 = version(x, 2, 1, true, false);
    publish_pointer(&x->w, 2, v2->sha256);
    assert_true(wait_event(&x->ev, mark, PLAYER_SYNC_APPLIED, NULL, 2, &ev));
    sleep_ms(30); /* the main loop loads and draws it */
    t_shown = now_ms();
    report(x->sync, 2, v2->sha256, "card-2");
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 2, "", &st));
    assert_string_equal(st.showing, "card-2");
    n = arrivals(&x->w, t_shown, &t_first);
    assert_true(n >= 1);
    fprintf(stderr, "# shown -> status on the broker: %lld ms\n",
            (long long)(t_first - t_shown));
    assert_true(t_first - t_shown < 500);

    /* A burst: six changes 100 ms apart. At most one status a second
     * (the first at once), and the last change is what stays. */
    sleep_ms(1100);
    t0 = now_ms();
    for (size_t i = 0; i < sizeof cards / sizeof cards[0]; i++) {
        report(x->sync, 2, v2->sha256, cards[i]);
        sleep_ms(100);
    }
    for (int i = 0; i < 300; i++) {
        assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 2, "", &st));
        if (strcmp(st.showing, "card-f") == 0) {
            break;
        }
        sleep_ms(10);
    }
    assert_string_equal(st.showing, "card-f");
    n = arrivals(&x->w, t0, NULL);
    fprintf(stderr, "# burst of 6 changes over 0.6 s: %zu statuses\n", n);
    assert_true(n >= 2 && n <= 3);
    pthread_mutex_lock(&x->w.mu);
    for (size_t i = 1; i < x->w.n_arrived; i++) {
        if (x->w.arrived[i - 1] >= t0) {
            /* a little slack for the broker's delivery */
            assert_true(x->w.arrived[i] - x->w.arrived[i - 1] >= 900);
        }
    }
    pthread_mutex_unlock(&x->w.mu);

    /* Quiet: nothing is sent. */
    sleep_ms(1200);
    t0 = now_ms();
    sleep_ms(1500);
    assert_int_equal(arrivals(&x->w, t0, NULL), 0);
}

static void test_tampered_manifest_refused(void **state)
{
    struct world *x = *state;
    struct fx_version *v2;
    struct taulu_buf bad;
    char sha[65], bad_sha[65];
    size_t mark;

    version(x, 1, 1, true, true);
    start_sync(x, NULL, x->broker.port, 300);
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 1, "", NULL));

    v2 = version(x, 2, 1, false, false);
    fx_serve(&x->f, v2);
    taulu_buf_init(&bad, v2->blob.limit);
    assert_int_equal(taulu_buf_append(&bad, v2->blob.data, v2->blob.len), 0);
    bad.data[bad.len - 5] ^= 0x01; /* one bit inside the JSON */
    fx_serve_manifest_bytes(&x->f, bad.data, bad.len);
    taulu_sha256_hex(bad.data, bad.len, bad_sha);
    mark = events_mark(&x->ev);
    /* The pointer matches the tampered bytes: only the signature can tell. */
    publish_pointer(&x->w, 2, bad_sha);
    assert_true(wait_event(&x->ev, mark, PLAYER_SYNC_ERROR,
                           "signature not valid", -1, NULL));
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 1,
                            "signature not valid", NULL));
    assert_int_equal(cached_seq(x, sha), 1);

    /* The real one arrives: applied, error cleared. */
    fx_serve(&x->f, v2);
    publish_pointer(&x->w, 2, v2->sha256);
    assert_true(wait_event(&x->ev, mark, PLAYER_SYNC_APPLIED, NULL, 2, NULL));
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 2, "", NULL));
    taulu_buf_release(&bad);
}

static void test_wrong_pointer_hash_refused(void **state)
{
    struct world *x = *state;
    struct fx_version *v2;
    char sha[65], other[65];
    size_t mark;

    version(x, 1, 1, true, true);
    start_sync(x, NULL, x->broker.port, 300);
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 1, "", NULL));
    v2 = version(x, 2, 1, true, false);
    taulu_sha256_hex("something else", 14, other);
    mark = events_mark(&x->ev);
    publish_pointer(&x->w, 2, other);
    assert_true(wait_event(&x->ev, mark, PLAYER_SYNC_ERROR,
                           "does not match the pointer", -1, NULL));
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 1,
                            "does not match the pointer", NULL));
    assert_int_equal(cached_seq(x, sha), 1);
    (void)v2;
}

static void test_truncated_asset_refused_then_recovered(void **state)
{
    struct world *x = *state;
    struct fx_version *v2;
    char sha[65];
    size_t mark;

    version(x, 1, 1, true, true);
    start_sync(x, NULL, x->broker.port, 300);
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 1, "", NULL));
    v2 = version(x, 2, 2, true, false);
    tsupport_http_fault(x->http, TSUPPORT_HTTP_TRUNCATE, "/assets/", -1, 0);
    mark = events_mark(&x->ev);
    publish_pointer(&x->w, 2, v2->sha256);
    assert_true(wait_event(&x->ev, mark, PLAYER_SYNC_ERROR, "download failed",
                           -1, NULL));
    assert_true(
        wait_status(&x->w, TAULU_SCREEN_ONLINE, 1, "download failed", NULL));
    assert_int_equal(cached_seq(x, sha), 1);
    /* Retried with backoff: several attempts, then it works. */
    sleep_ms(500);
    assert_true(tsupport_http_hits(x->http, "/assets/") >= 2);
    tsupport_http_fault(x->http, TSUPPORT_HTTP_OK, NULL, 0, 0);
    assert_true(wait_event(&x->ev, mark, PLAYER_SYNC_APPLIED, NULL, 2, NULL));
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 2, "", NULL));
}

static void test_asset_with_wrong_hash_refused(void **state)
{
    struct world *x = *state;
    struct fx_version *v2;
    unsigned char *evil;
    char sha[65], path[256];
    size_t mark;

    version(x, 1, 1, true, true);
    start_sync(x, NULL, x->broker.port, 300);
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 1, "", NULL));
    v2 = version(x, 2, 2, true, false);
    evil = malloc(v2->asset_size[1]);
    assert_non_null(evil);
    memcpy(evil, v2->asset_data[1], v2->asset_size[1]);
    evil[10] ^= 0xff; /* same size, other bytes */
    fx_serve_asset_bytes(&x->f, v2->asset_sha[1], evil, v2->asset_size[1]);
    mark = events_mark(&x->ev);
    publish_pointer(&x->w, 2, v2->sha256);
    assert_true(
        wait_event(&x->ev, mark, PLAYER_SYNC_ERROR, "refused", -1, NULL));
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 1, "refused", NULL));
    assert_int_equal(cached_seq(x, sha), 1);
    assert_int_equal(
        player_cache_asset_path(x->cache, v2->asset_sha[1], path, sizeof path),
        0);
    assert_int_equal(access(path, F_OK), -1); /* never stored */
    free(evil);
}

static void test_server_error_keeps_last_good(void **state)
{
    struct world *x = *state;
    struct fx_version *v2;
    char sha[65];
    size_t mark;

    version(x, 1, 1, true, true);
    start_sync(x, NULL, x->broker.port, 300);
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 1, "", NULL));
    v2 = version(x, 2, 1, true, false);
    tsupport_http_fault(x->http, TSUPPORT_HTTP_500, NULL, -1, 0);
    mark = events_mark(&x->ev);
    publish_pointer(&x->w, 2, v2->sha256);
    assert_true(
        wait_event(&x->ev, mark, PLAYER_SYNC_ERROR, "HTTP 500", -1, NULL));
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 1, "HTTP 500", NULL));
    assert_int_equal(cached_seq(x, sha), 1);
    tsupport_http_fault(x->http, TSUPPORT_HTTP_OK, NULL, 0, 0);
    assert_true(wait_event(&x->ev, mark, PLAYER_SYNC_APPLIED, NULL, 2, NULL));
}

static void test_slow_server_still_works(void **state)
{
    struct world *x = *state;
    struct fx_version *v2;
    size_t mark;

    version(x, 1, 1, true, true);
    v2 = version(x, 2, 2, true, false);
    tsupport_http_fault(x->http, TSUPPORT_HTTP_DELAY, NULL, -1, 300);
    mark = events_mark(&x->ev);
    start_sync(x, NULL, 0, 300); /* HTTP only: the poll at start */
    assert_true(wait_event(&x->ev, mark, PLAYER_SYNC_APPLIED, NULL, 2, NULL));
    (void)v2;
}

static void test_broker_down_polling_takes_over(void **state)
{
    struct world *x = *state;
    struct fx_version *v2;
    int port = x->broker.port;
    char sha[65];
    size_t mark;

    version(x, 1, 1, true, true);
    watcher_stop(&x->w);
    tsupport_broker_stop(&x->broker);
    x->broker_up = false;
    start_sync(x, NULL, port, 1);
    mark = events_mark(&x->ev);
    v2 = version(x, 2, 1, true, false);
    assert_true(wait_event(&x->ev, mark, PLAYER_SYNC_APPLIED, NULL, 2, NULL));
    assert_int_equal(cached_seq(x, sha), 2);
    assert_string_equal(sha, v2->sha256);
}

static void test_rollback_refused(void **state)
{
    struct world *x = *state;
    struct fx_version *v3;
    char sha[65];
    size_t mark;

    version(x, 5, 1, true, true);
    start_sync(x, NULL, x->broker.port, 300);
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 5, "", NULL));
    /* A validly signed older version, pointer and all. */
    v3 = version(x, 3, 1, true, false);
    mark = events_mark(&x->ev);
    publish_pointer(&x->w, 3, v3->sha256);
    assert_true(
        wait_event(&x->ev, mark, PLAYER_SYNC_ERROR, "rollback", -1, NULL));
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 5, "rollback", NULL));
    /* Without the pointer's help: the manifest itself is refused. */
    publish_pointer(&x->w, 6, v3->sha256); /* a lying pointer */
    mark = events_mark(&x->ev);
    assert_true(
        wait_event(&x->ev, mark, PLAYER_SYNC_ERROR, "rollback", -1, NULL));
    assert_int_equal(cached_seq(x, sha), 5);
}

static void test_reload_command(void **state)
{
    struct world *x = *state;
    struct taulu_proto_command c;
    struct player_sync_event ev;
    struct taulu_buf b;
    unsigned hits;
    size_t mark;

    version(x, 1, 1, true, true);
    start_sync(x, NULL, x->broker.port, 300);
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 1, "", NULL));
    hits = tsupport_http_hits(x->http, "/manifest");
    memset(&c, 0, sizeof c);
    snprintf(c.id, sizeof c.id, "cmd-42");
    c.cmd = TAULU_CMD_RELOAD;
    taulu_buf_init(&b, 512);
    assert_int_equal(taulu_proto_command_write(&c, &b), 0);
    mark = events_mark(&x->ev);
    watcher_publish(&x->w, x->w.topic_command, b.data, b.len, false);
    assert_true(wait_event(&x->ev, mark, PLAYER_SYNC_COMMAND, NULL, -1, &ev));
    assert_int_equal(ev.command, TAULU_CMD_RELOAD);
    assert_string_equal(ev.command_id, "cmd-42");
    for (int i = 0; i < 300 && tsupport_http_hits(x->http, "/manifest") == hits;
         i++) {
        sleep_ms(10);
    }
    assert_true(tsupport_http_hits(x->http, "/manifest") > hits);
    /* Garbage on the command topic changes nothing. */
    watcher_publish(&x->w, x->w.topic_command, "{\"v\":1", 6, false);
    taulu_buf_release(&b);
}

static void test_offline_start(void **state)
{
    struct world *x = *state;
    struct fx_version *v1;
    struct taulu_manifest *m = NULL;
    char sha[65], url[64];
    int64_t t0, load_ms, stop_ms;
    int dead_port = tsupport_free_port();

    v1 = version(x, 1, 4, false, true);
    /* A restart: close and reopen, then load with no network at all. */
    player_cache_close(x->cache);
    t0 = now_ms();
    assert_int_equal(player_cache_open(x->f.cache, 0, &x->cache), 0);
    assert_int_equal(
        player_cache_load_current(x->cache, x->f.pk, FX_SCREEN, &m, sha), 0);
    load_ms = now_ms() - t0;
    assert_int_equal(m->seq, 1);
    assert_string_equal(sha, v1->sha256);
    taulu_manifest_free(m);
    printf("offline start: cache open + verified load of 4 assets in %lld ms\n",
           (long long)load_ms);
    assert_true(load_ms < 500);

    snprintf(url, sizeof url, "http://127.0.0.1:%d", dead_port);
    start_sync(x, url, dead_port, 300);
    assert_true(wait_event(&x->ev, 0, PLAYER_SYNC_ERROR,
                           "cannot fetch the manifest", -1, NULL));
    t0 = now_ms();
    player_sync_stop(x->sync);
    x->sync = NULL;
    stop_ms = now_ms() - t0;
    printf("offline stop in %lld ms\n", (long long)stop_ms);
    assert_true(stop_ms < 3000);
    assert_int_equal(cached_seq(x, sha), 1);
}

static void test_clean_stop_publishes_offline(void **state)
{
    struct world *x = *state;

    version(x, 1, 1, true, true);
    start_sync(x, NULL, x->broker.port, 300);
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 1, "", NULL));
    player_sync_stop(x->sync);
    x->sync = NULL;
    assert_true(wait_status(&x->w, TAULU_SCREEN_OFFLINE, -1, NULL, NULL));
}

static void test_last_will_when_killed(void **state)
{
    struct world *x = *state;
    struct tsupport_proc child = {0};
    char pk_hex[65], port[16], log[700];
    char *argv[7];
    char exe[] = SYNC_CHILD, poll_s[] = "300";

    version(x, 1, 1, true, true);
    player_cache_close(x->cache); /* the child takes the cache */
    x->cache = NULL;
    assert_int_equal(taulu_hex_encode(x->f.pk, 32, pk_hex, sizeof pk_hex), 0);
    snprintf(port, sizeof port, "%d", x->broker.port);
    snprintf(log, sizeof log, "%s/child.log", x->f.root);
    argv[0] = exe;
    argv[1] = x->f.cache;
    argv[2] = (char *)(uintptr_t)tsupport_http_url(x->http);
    argv[3] = pk_hex;
    argv[4] = port;
    argv[5] = poll_s;
    argv[6] = NULL;
    assert_int_equal(tsupport_spawn(&child, argv, log), 0);
    assert_true(wait_status(&x->w, TAULU_SCREEN_ONLINE, 1, "", NULL));
    tsupport_kill9(&child);
    /* The broker sends the will as soon as the socket closes. */
    assert_true(wait_status(&x->w, TAULU_SCREEN_OFFLINE, -1, NULL, NULL));
    assert_int_equal(player_cache_open(x->f.cache, 0, &x->cache), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_version_applied_and_reported,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_rate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered_manifest_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wrong_pointer_hash_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_truncated_asset_refused_then_recovered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_asset_with_wrong_hash_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_server_error_keeps_last_good,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_slow_server_still_works, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_broker_down_polling_takes_over,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reload_command, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offline_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clean_stop_publishes_offline,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_last_will_when_killed, setup,
                                        teardown),
    };
    int rc;

    if (taulu_crypto_init() < 0 || mosquitto_lib_init() != 0) {
        return 1;
    }
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    mosquitto_lib_cleanup();
    return rc;
}
