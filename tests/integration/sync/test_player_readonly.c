/*
 * test_player_readonly.c: the real infotaulu-player with a read-only cache,
 * as after a disk error has remounted the file system read-only: the
 * cache is bind-mounted read-only in a mount namespace of the player's own
 * (as root, which CI is; as another user the directory is made
 * unwritable instead). Against a real Mosquitto and a real HTTP server:
 *
 *  - the player shows what the cache holds (its status says "calm" for the
 *    cached manifest, not "loading") instead of the loading card for ever;
 *  - it publishes its status, and the status says the cache is read-only;
 *  - the sync keeps working in memory: a new version is fetched, applied
 *    (status seq 2) and shown, while the disk is left as it was.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "player_cache.h"
#include "sync_fixture.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_proto.h"
#include "tsupport.h"
#include "tsupport_http.h"

#define TIMEOUT_MS 60000 /* generous: a sanitizer build on a busy machine */

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

/* ---- the server's side of the broker: statuses in, pointers out ---- */

struct watcher {
    struct mosquitto *mosq;
    pthread_mutex_t mu;
    char status[TAULU_PROTO_MAX_PAYLOAD + 1];
    bool have_status;
    char topic_status[TAULU_TOPIC_MAX + 1];
    char topic_desired[TAULU_TOPIC_MAX + 1];
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
    mosquitto_lib_init();
    w->mosq = mosquitto_new(NULL, true, w);
    assert_non_null(w->mosq);
    mosquitto_connect_callback_set(w->mosq, w_on_connect);
    mosquitto_message_callback_set(w->mosq, w_on_message);
    assert_int_equal(mosquitto_connect(w->mosq, "127.0.0.1", port, 30), 0);
    assert_int_equal(mosquitto_loop_start(w->mosq), 0);
}

static void watcher_stop(struct watcher *w)
{
    mosquitto_disconnect(w->mosq);
    mosquitto_loop_stop(w->mosq, false);
    mosquitto_destroy(w->mosq);
}

static void publish_pointer(struct watcher *w, const struct fx_version *v)
{
    struct taulu_buf b;
    int mid = 0;

    fx_pointer(v->seq, v->sha256, &b);
    assert_int_equal(mosquitto_publish(w->mosq, &mid, w->topic_desired,
                                       (int)b.len, b.data, 1, true),
                     0);
    taulu_buf_release(&b);
}

/* Waits for a retained status: online, seq `seq`, showing `showing` and
 * an error containing `err_part`. */
static bool wait_status(struct watcher *w, int64_t seq, const char *showing,
                        const char *err_part)
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
        if (ok && st.state == TAULU_SCREEN_ONLINE && st.has_seq &&
            st.seq == seq && strcmp(st.showing, showing) == 0 &&
            strstr(st.error, err_part) != NULL) {
            return true;
        }
        sleep_ms(20);
    } while (now_ms() < deadline);
    fprintf(stderr, "status never matched; last: %s\n", last);
    return false;
}

/* ---- the player ---- */

/* Fails the test with the end of the player's log (where the reason is). */
static void fail_log(const char *logpath)
{
    struct taulu_buf log;
    const char *tail;

    taulu_buf_init(&log, 16 << 20);
    taulu_file_read(logpath, &log);
    tail = log.len > 3000 ? log.data + log.len - 3000 : log.data;
    fprintf(stderr, "player log (end):\n%s\n", tail ? tail : "");
    taulu_buf_release(&log);
    fail_msg("the player's status never said what it should");
}

/* Makes `dir` and what is in it unwritable for a user other than root
 * (the fallback where no mount namespace can be made). */
static void chmod_tree(const char *dir, int dirs, int files)
{
    char p[700];

    snprintf(p, sizeof p, "%s/manifest.current", dir);
    chmod(p, (mode_t)files);
    snprintf(p, sizeof p, "%s/lock", dir);
    chmod(p, (mode_t)files);
    snprintf(p, sizeof p, "%s/assets", dir);
    chmod(p, (mode_t)dirs);
    chmod(dir, (mode_t)dirs);
}

static void test_read_only_cache(void **state)
{
    struct fx f;
    struct fx_version v1, v2;
    struct tsupport_broker broker;
    struct tsupport_http *http;
    struct tsupport_proc player;
    struct watcher w;
    struct player_cache *c;
    struct taulu_buf before, after, log;
    char dir[512], conf[2048], confpath[700], pub[700], frames[700],
        run_dir[700], logpath[700], cur[700], mem_cur[800];
    const char *mode;
    bool as_root = geteuid() == 0;
    int status;

    (void)state;
    assert_int_equal(taulu_crypto_init(), 0);
    fx_init(&f, "readonly");
    /* Version 1 in the cache, served too, its pointer retained. */
    fx_version(&f, &v1, 1, 1, 5000, 11);
    fx_serve(&f, &v1);
    assert_int_equal(player_cache_open(f.cache, 0, &c), 0);
    fx_install(c, &v1);
    player_cache_close(c);
    snprintf(cur, sizeof cur, "%s/manifest.current", f.cache);
    taulu_buf_init(&before, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    assert_int_equal(taulu_file_read(cur, &before), 0);

    assert_int_equal(tsupport_broker_start(&broker, NULL), 0);
    assert_int_equal(tsupport_http_start(f.root, FX_TOKEN, &http), 0);
    watcher_start(&w, broker.port);
    publish_pointer(&w, &v1);

    assert_int_equal(tsupport_tmpdir("readonly-player", dir, sizeof dir), 0);
    snprintf(pub, sizeof pub, "%s/server.pub", dir);
    assert_int_equal(taulu_write_public_key(pub, f.pk), 0);
    snprintf(frames, sizeof frames, "%s/frames", dir);
    assert_int_equal(taulu_mkdir_p(frames, 0755), 0);
    /* The memory cache goes where systemd's RuntimeDirectory= would put
     * it; here the test's own folder, so nothing is left in /dev/shm. */
    snprintf(run_dir, sizeof run_dir, "%s/run", dir);
    assert_int_equal(taulu_mkdir_p(run_dir, 0755), 0);
    setenv("RUNTIME_DIRECTORY", run_dir, 1);
    snprintf(conf, sizeof conf,
             "server_url = %s\nscreen_id = %s\nscreen_token = %s\n"
             "server_pk_file = %s\nmqtt_host = 127.0.0.1\nmqtt_port = %d\n"
             "mqtt_tls = false\n" /* the test broker: loopback, plain */
             "cache_dir = %s\nlog_level = debug\nfade_ms = 0\n",
             tsupport_http_url(http), FX_SCREEN, FX_TOKEN, pub, broker.port,
             f.cache);
    assert_int_equal(tsupport_write_file(dir, "player.conf", conf), 0);
    snprintf(confpath, sizeof confpath, "%s/player.conf", dir);
    snprintf(logpath, sizeof logpath, "%s/player.log", dir);

    /* The player, its cache read-only (the clock: a day after the
     * manifests were built). */
    {
        static const char *const ns[] = {
            "/usr/bin/unshare",
            "-m",
            "--propagation",
            "private",
            "/bin/sh",
            "-c",
            "mount --bind -o ro \"$1\" \"$1\" || exit 97; shift; exec \"$@\"",
            "sh"};
        const char *args[] = {"--config", confpath, "--headless",
                              "--frames", frames,   "--seconds",
                              "110",      "--at",   "2026-01-02T10:00:00Z"};
        char *argv[24];
        size_t n = 0, i;

        if (as_root) {
            /* A mount namespace of its own: the bind mount is the
             * player's alone and goes away with it. */
            mode = "a read-only bind mount";
            for (i = 0; i < sizeof ns / sizeof ns[0]; i++) {
                argv[n++] = strdup(ns[i]);
            }
            argv[n++] = strdup(f.cache);
        } else {
            mode = "an unwritable directory";
            chmod_tree(f.cache, 0555, 0444);
        }
        argv[n++] = strdup(PLAYER_BIN);
        for (i = 0; i < sizeof args / sizeof args[0]; i++) {
            argv[n++] = strdup(args[i]);
        }
        argv[n] = NULL;
        assert_int_equal(tsupport_spawn(&player, argv, logpath), 0);
        while (n > 0) {
            free(argv[--n]);
        }
    }
    print_message("cache made read-only as %s\n", mode);

    /* It shows what the cache holds and says the cache is read-only. */
    if (!wait_status(&w, 1, "calm", "read-only")) {
        fail_log(logpath);
    }

    /* New content still comes: fetched and applied in memory. */
    fx_version(&f, &v2, 2, 2, 6000, 23);
    fx_serve(&f, &v2);
    publish_pointer(&w, &v2);
    if (!wait_status(&w, 2, "calm", "read-only")) {
        fail_log(logpath);
    }
    status = tsupport_stop(&player);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    /* The disk is as it was; the new version is in the memory cache. */
    taulu_buf_init(&after, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    assert_int_equal(taulu_file_read(cur, &after), 0);
    assert_int_equal(after.len, before.len);
    assert_memory_equal(after.data, before.data, before.len);
    snprintf(mem_cur, sizeof mem_cur,
             "%s/infotaulu-cache-" FX_SCREEN "/manifest.current", run_dir);
    taulu_buf_reset(&after);
    assert_int_equal(taulu_file_read(mem_cur, &after), 0);
    assert_int_equal(after.len, v2.blob.len);
    assert_memory_equal(after.data, v2.blob.data, v2.blob.len);
    taulu_buf_init(&log, 1 << 20);
    assert_int_equal(taulu_file_read(logpath, &log), 0);
    assert_non_null(strstr(log.data, "is read-only"));
    assert_non_null(strstr(log.data, "showing manifest seq 2"));
    assert_null(strstr(log.data, "nothing to render"));

    taulu_buf_release(&log);
    taulu_buf_release(&before);
    taulu_buf_release(&after);
    if (!as_root) {
        chmod_tree(f.cache, 0755, 0644);
    }
    watcher_stop(&w);
    tsupport_http_stop(http);
    tsupport_broker_stop(&broker);
    fx_version_release(&v1);
    fx_version_release(&v2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_only_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
