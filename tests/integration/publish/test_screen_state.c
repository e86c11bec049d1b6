/*
 * test_screen_state.c: what a screen says about itself reaches the screen
 * list (GET /api/v1/screens) and /metrics, with the real parts: the real
 * infotaulu-server and its SQLite file, a real Mosquitto, and the screen as
 * a real MQTT client with its own account and the last will a player sets.
 *
 *   online with an applied seq -> the list says online, last seen, applied
 *   version; /metrics counts it; the same status a second later does not
 *   rewrite last_seen (at most once a minute), the status route has it to
 *   the second; an error -> last_error at once; the screen vanishes (no
 *   DISCONNECT: the broker sends its will) -> offline in both. A restart
 *   keeps an online screen online; a screen that vanishes while the server
 *   is down is offline after the restart (the broker re-delivers the
 *   retained will when the server subscribes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "itest.h"
#include "mqttc.h"
#include "pubsys.h"
#include "taulu_buf.h"
#include "taulu_crypto.h"
#include "taulu_proto.h"
#include "taulu_time.h"
#include "tsupport.h"

static struct itest_server srv;
static struct itest_world w;
static struct tsupport_broker broker;
static char screen_id[PUBSYS_ID_MAX], status_topic[PUBSYS_TOPIC_MAX],
    desired_topic[PUBSYS_TOPIC_MAX];

static int setup(void **state)
{
    (void)state;
    pubsys_setup(&srv, &broker, &w, "screen_state", screen_id, status_topic,
                 desired_topic);
    return 0;
}

/* Last in the group: a sanitizer build reports leaks at exit and exits
 * non-zero, which a group teardown could not fail on. */
static void server_stops_cleanly(void **state)
{
    (void)state;
    assert_int_equal(itest_stop(&srv), 0);
}

static int teardown(void **state)
{
    (void)state;
    pubsys_teardown(&srv, &broker);
    return 0;
}

/* The screen connects as a player does: its own account, a last will
 * (offline, retained) on its status topic; it subscribes to its pointer. */
static struct mqttc *screen_client(void)
{
    struct mqttc *c = NULL;
    int i;

    for (i = 0; i < 50 && !c; i++) {
        c = mqttc_connect_will(broker.port, screen_id, w.screen.bearer,
                               status_topic, "{\"v\":1,\"state\":\"offline\"}",
                               NULL);
        if (!c) {
            usleep(100000);
        }
    }
    assert_non_null(c);
    assert_int_equal(mqttc_subscribe(c, desired_topic), 0);
    return c;
}

/* The retained pointer (the manifest the screen then applies). */
static void wait_pointer(struct mqttc *c, struct taulu_proto_desired *d)
{
    double until = mqttc_now_ms() + 5000;
    size_t i, n;

    while (mqttc_now_ms() < until) {
        n = mqttc_count(c);
        for (i = 0; i < n; i++) {
            struct mqttc_msg m;
            if (mqttc_get(c, i, &m) == 0 &&
                strcmp(m.topic, desired_topic) == 0 &&
                taulu_proto_desired_parse(m.payload, strlen(m.payload), d,
                                          NULL) == 0) {
                return;
            }
        }
        mqttc_wait(c, n + 1, 100);
    }
    fail_msg("no pointer for %s", screen_id);
}

/* Publishes an online status as the player writes it. */
static void online(struct mqttc *c, const struct taulu_proto_desired *d,
                   const char *error)
{
    struct taulu_proto_status st;
    struct taulu_buf b;

    taulu_proto_status_init(&st);
    st.state = TAULU_SCREEN_ONLINE;
    st.has_seq = true;
    st.seq = d->seq;
    memcpy(st.sha256, d->sha256, sizeof st.sha256);
    snprintf(st.error, sizeof st.error, "%s", error ? error : "");
    taulu_buf_init(&b, TAULU_PROTO_MAX_PAYLOAD);
    assert_int_equal(taulu_proto_status_write(&st, &b), 0);
    assert_int_equal(mqttc_publish(c, status_topic, b.data, 1), 0);
    taulu_buf_release(&b);
}

/* The screen's record in GET /api/v1/screens; *root is to be freed. */
static cJSON *screen_row(cJSON **root)
{
    cJSON *s;

    *root = itest_call(&srv, &w.coord, 200, "GET", "/api/v1/screens", NULL);
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(*root, "screens"))
    {
        if (itest_int(s, "id") == w.s1) {
            return s;
        }
    }
    fail_msg("screen %lld is not listed", w.s1);
    return NULL;
}

static bool is_online(const cJSON *o)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "online"));
}

static int64_t time_of(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    int64_t t = 0;

    if (cJSON_IsNull(v)) {
        return 0;
    }
    assert_true(cJSON_IsString(v));
    assert_int_equal(taulu_time_parse_iso(v->valuestring, &t), 0);
    return t;
}

/* Polls the list until the screen's online is `want` (status ingestion is
 * asynchronous: broker, then the server's MQTT thread). */
static cJSON *wait_row(bool want, int timeout_ms, cJSON **root)
{
    int i;

    for (i = 0; i < timeout_ms / 100; i++) {
        cJSON *row = screen_row(root);
        if (is_online(row) == want) {
            return row;
        }
        cJSON_Delete(*root);
        usleep(100000);
    }
    fail_msg("screen %lld is not %s within %d ms", w.s1,
             want ? "online" : "offline", timeout_ms);
    return NULL;
}

static cJSON *status_route(void)
{
    char path[100];

    snprintf(path, sizeof path, "/api/v1/screens/%lld/status", w.s1);
    return itest_call(&srv, &w.coord, 200, "GET", path, NULL);
}

static void test_status_in_list_and_metrics(void **state)
{
    struct taulu_proto_desired d;
    struct mqttc *scr;
    cJSON *root, *row, *st;
    int64_t t0 = taulu_now(), seen;
    int i;

    (void)state;
    /* Never heard of: offline, never seen, nothing applied. */
    row = screen_row(&root);
    assert_false(is_online(row));
    assert_int_equal(time_of(row, "last_seen"), 0);
    assert_int_equal(itest_int(row, "applied_version"), 0);
    cJSON_Delete(root);
    assert_int_equal(itest_metric(&srv, "infotaulu_screens_online"), 0);

    /* Online, with the manifest of the retained pointer applied. */
    scr = screen_client();
    wait_pointer(scr, &d);
    online(scr, &d, NULL);
    row = wait_row(true, 5000, &root);
    seen = time_of(row, "last_seen");
    assert_true(seen >= t0 - 1 && seen <= taulu_now() + 1);
    assert_int_equal(itest_int(row, "applied_version"), d.seq);
    assert_true(
        cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(row, "last_error")));
    cJSON_Delete(root);
    assert_int_equal(itest_metric(&srv, "infotaulu_screens_online"), 1);

    /* The same status again over a second later: the status route has
     * the new time; the list keeps the written one (last_seen alone is
     * written at most once a minute). */
    usleep(1200000);
    online(scr, &d, NULL);
    for (i = 0; i < 50; i++) {
        st = status_route();
        if (time_of(st, "last_seen") > seen) {
            break;
        }
        cJSON_Delete(st);
        st = NULL;
        usleep(100000);
    }
    assert_non_null(st);
    cJSON_Delete(st);
    usleep(300000); /* memory is updated before the database is written */
    row = screen_row(&root);
    assert_true(is_online(row));
    assert_int_equal(time_of(row, "last_seen"), seen);
    cJSON_Delete(root);

    /* An error: in the list at once. */
    online(scr, &d, "fetch: timeout");
    for (i = 0; i < 50; i++) {
        const char *e;
        row = screen_row(&root);
        e = itest_str(row, "last_error");
        if (e && strcmp(e, "fetch: timeout") == 0) {
            break;
        }
        cJSON_Delete(root);
        root = NULL;
        usleep(100000);
    }
    assert_non_null(root);
    cJSON_Delete(root);

    /* The screen vanishes without a word: the broker publishes its will,
     * and the list, /metrics and the status route say offline. When it
     * was last seen and what it had applied stay. */
    mqttc_drop(scr);
    row = wait_row(false, 5000, &root);
    assert_true(time_of(row, "last_seen") >= seen);
    assert_int_equal(itest_int(row, "applied_version"), d.seq);
    cJSON_Delete(root);
    assert_int_equal(itest_metric(&srv, "infotaulu_screens_online"), 0);
    st = status_route();
    assert_false(is_online(st));
    cJSON_Delete(st);
}

static void test_true_after_restart(void **state)
{
    struct taulu_proto_desired d;
    struct mqttc *scr;
    cJSON *root, *row;

    (void)state;
    scr = screen_client();
    wait_pointer(scr, &d);
    online(scr, &d, NULL);
    wait_row(true, 5000, &root);
    cJSON_Delete(root);

    /* A restart while the screen is on: still online. */
    assert_int_equal(itest_stop(&srv), 0);
    assert_int_equal(itest_start(&srv, NULL), 0);
    row = screen_row(&root);
    assert_true(is_online(row));
    assert_int_equal(itest_int(row, "applied_version"), d.seq);
    cJSON_Delete(root);
    assert_int_equal(itest_metric(&srv, "infotaulu_screens_online"), 1);

    /* The screen vanishes while the server is down. The record said
     * online when the server stopped; the broker holds the will, retained,
     * and hands it over when the server subscribes again. */
    assert_int_equal(itest_stop(&srv), 0);
    mqttc_drop(scr);
    usleep(300000);
    assert_int_equal(itest_start(&srv, NULL), 0);
    row = wait_row(false, 10000, &root);
    assert_int_equal(itest_int(row, "applied_version"), d.seq);
    cJSON_Delete(root);
    assert_int_equal(itest_metric(&srv, "infotaulu_screens_online"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_in_list_and_metrics),
        cmocka_unit_test(test_true_after_restart),
        cmocka_unit_test(server_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
