/*
 * test_broker_acl.c: the password and ACL files the server writes, enforced
 * by a REAL Mosquitto: a screen reads only its own desired pointer, writes
 * only its own status; the server (through srv_mqtt) reads every status and
 * writes every pointer; a wrong password is refused; a new screen works
 * after the SIGHUP reload.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mqttc.h"
#include "srv_broker.h"
#include "srv_mqtt.h"
#include "taulu_crypto.h"
#include "tsupport.h"

struct seen {
    pthread_mutex_t mu;
    int n;
    char ids[64][TAULU_SCREEN_ID_MAX + 1];
    int64_t seq[64];
};

static void on_status(void *ctx, const char *id,
                      const struct taulu_proto_status *st)
{
    struct seen *s = ctx;

    pthread_mutex_lock(&s->mu);
    if (s->n < 64) {
        snprintf(s->ids[s->n], sizeof s->ids[0], "%s", id);
        s->seq[s->n] = st->has_seq ? st->seq : -1;
        s->n++;
    }
    pthread_mutex_unlock(&s->mu);
}

static int seen_count(struct seen *s, const char *id)
{
    int i, n = 0;

    pthread_mutex_lock(&s->mu);
    for (i = 0; i < s->n; i++) {
        n += strcmp(s->ids[i], id) == 0;
    }
    pthread_mutex_unlock(&s->mu);
    return n;
}

static void write_files(const char *dir, const char *const *ids,
                        const char *const *pws, size_t n, const char *pidfile)
{
    struct srv_broker_account server, screens[8];
    char hs[SRV_MOSQ_HASH_MAX], h[8][SRV_MOSQ_HASH_MAX];
    char pw[600], acl[600];
    struct taulu_buf pt, at;
    size_t i;

    assert_int_equal(srv_mosq_hash("server-secret", hs), 0);
    server.user = "infotaulu-server";
    server.hash = hs;
    for (i = 0; i < n; i++) {
        assert_int_equal(srv_mosq_hash(pws[i], h[i]), 0);
        screens[i].user = ids[i];
        screens[i].hash = h[i];
    }
    taulu_buf_init(&pt, 1 << 20);
    taulu_buf_init(&at, 1 << 20);
    assert_int_equal(srv_broker_passwd_text(&server, 1, screens, n, &pt), 0);
    assert_int_equal(srv_broker_acl_text("itest", &server.user, 1, ids, n, &at),
                     0);
    snprintf(pw, sizeof pw, "%s/passwd", dir);
    snprintf(acl, sizeof acl, "%s/acl", dir);
    assert_int_equal(srv_broker_write_files(pw, pt.data, acl, at.data, pidfile),
                     0);
    taulu_buf_release(&pt);
    taulu_buf_release(&at);
}

static void test_acl_enforced(void **state)
{
    const char *ids[] = {"screen-1", "screen-2", "screen-3"};
    const char *pws[] = {"token-one", "token-two", "token-three"};
    struct tsupport_broker b;
    char dir[512], conf[2048], pidfile[600], pidtext[32];
    struct srv_mqtt *srv;
    struct srv_mqtt_config cfg;
    struct srv_mqtt_handlers h;
    struct seen seen;
    struct mqttc *a, *evil, *c3;
    struct mqttc_msg msg;
    int connack;
    size_t i;

    (void)state;
    assert_int_equal(taulu_crypto_init(), 0);
    assert_int_equal(tsupport_tmpdir("acl", dir, sizeof dir), 0);
    write_files(dir, ids, pws, 2, NULL); /* screen-3 comes later */
    snprintf(conf, sizeof conf,
             "allow_anonymous false\npassword_file %s/passwd\n"
             "acl_file %s/acl\n%s",
             dir, dir,
             /* As root, Mosquitto would drop to its own user, which cannot
              * read the test's private directory. */
             geteuid() == 0 ? "user root\n" : "");
    assert_int_equal(tsupport_broker_start(&b, conf), 0);

    memset(&seen, 0, sizeof seen);
    pthread_mutex_init(&seen.mu, NULL);
    memset(&cfg, 0, sizeof cfg);
    cfg.host = "127.0.0.1";
    cfg.port = b.port;
    cfg.user = "infotaulu-server";
    cfg.password = "server-secret";
    cfg.prefix = "itest";
    memset(&h, 0, sizeof h);
    h.on_status = on_status;
    h.ctx = &seen;
    assert_int_equal(srv_mqtt_start(&cfg, &h, &srv), 0);
    for (i = 0; i < 300 && !srv_mqtt_connected(srv); i++) {
        usleep(10000);
    }
    assert_true(srv_mqtt_connected(srv));
    assert_int_equal(
        srv_mqtt_publish_desired(srv, "screen-1", 5,
                                 "1111111111111111111111111111111"
                                 "111111111111111111111111111111111"),
        0);
    assert_int_equal(
        srv_mqtt_publish_desired(srv, "screen-2", 7,
                                 "2222222222222222222222222222222"
                                 "222222222222222222222222222222222"),
        0);

    /* Wrong password, unknown user, no password: refused. */
    assert_null(mqttc_connect(b.port, "screen-1", "token-two", &connack));
    assert_int_not_equal(connack, 0);
    assert_null(mqttc_connect(b.port, "screen-9", "x", NULL));
    assert_null(mqttc_connect(b.port, NULL, NULL, NULL));

    a = mqttc_connect(b.port, "screen-1", "token-one", &connack);
    assert_non_null(a);
    /* Its own pointer arrives (retained). */
    assert_int_equal(mqttc_subscribe(a, "itest/v1/screens/screen-1/desired"),
                     0);
    assert_int_equal(mqttc_wait(a, 1, 3000), 1);
    assert_int_equal(mqttc_get(a, 0, &msg), 0);
    assert_non_null(strstr(msg.payload, "\"seq\":5"));
    assert_non_null(
        strstr(msg.payload, "\"url\":\"/api/v1/screens/screen-1/manifest\""));
    /* Screen B's pointer, directly or by wildcard: nothing arrives. */
    mqttc_subscribe(a, "itest/v1/screens/screen-2/desired");
    mqttc_subscribe(a, "itest/v1/screens/+/desired");
    mqttc_subscribe(a, "itest/#");
    usleep(500000);
    for (i = 0; i < mqttc_count(a); i++) {
        assert_int_equal(mqttc_get(a, i, &msg), 0);
        assert_null(strstr(msg.topic, "screen-2"));
    }

    /* A's status arrives at the server; A pretending to be B does not. */
    assert_int_equal(mqttc_publish(a, "itest/v1/screens/screen-2/status",
                                   "{\"v\":1,\"state\":\"offline\"}", 1),
                     0);
    assert_int_equal(mqttc_publish(a, "itest/v1/screens/screen-1/status",
                                   "{\"v\":1,\"state\":\"online\",\"seq\":5}",
                                   1),
                     0);
    /* A may not write pointers either, not even its own. */
    mqttc_publish(a, "itest/v1/screens/screen-1/desired",
                  "{\"v\":1,\"seq\":999,\"sha256\":\"x\"}", 1);
    for (i = 0; i < 300 && seen_count(&seen, "screen-1") == 0; i++) {
        usleep(10000);
    }
    usleep(300000);
    assert_int_equal(seen_count(&seen, "screen-1"), 1);
    assert_int_equal(seen_count(&seen, "screen-2"), 0);
    evil = mqttc_connect(b.port, "screen-2", "token-two", NULL);
    assert_non_null(evil);
    assert_int_equal(mqttc_subscribe(evil, "itest/v1/screens/screen-2/desired"),
                     0);
    assert_int_equal(mqttc_wait(evil, 1, 3000), 1);
    assert_int_equal(mqttc_get(evil, 0, &msg), 0);
    assert_non_null(strstr(msg.payload, "\"seq\":7"));
    mqttc_close(evil);
    /* The retained pointer of screen-1 is still the server's. (A second
     * connection of screen-1 would take A's session over: one account,
     * one client id.) */
    mqttc_close(a);
    a = NULL;
    evil = mqttc_connect(b.port, "screen-1", "token-one", NULL);
    assert_non_null(evil);
    assert_int_equal(mqttc_subscribe(evil, "itest/v1/screens/screen-1/desired"),
                     0);
    assert_int_equal(mqttc_wait(evil, 1, 3000), 1);
    assert_int_equal(mqttc_get(evil, 0, &msg), 0);
    assert_non_null(strstr(msg.payload, "\"seq\":5"));
    mqttc_close(evil);

    /* A new screen: files rewritten, broker reloads on SIGHUP. */
    assert_null(mqttc_connect(b.port, "screen-3", "token-three", NULL));
    snprintf(pidfile, sizeof pidfile, "%s/mosquitto.pid", dir);
    snprintf(pidtext, sizeof pidtext, "%d\n", (int)b.proc.pid);
    assert_int_equal(tsupport_write_file(dir, "mosquitto.pid", pidtext), 0);
    write_files(dir, ids, pws, 3, pidfile);
    c3 = NULL;
    for (i = 0; i < 50 && !c3; i++) {
        usleep(100000);
        c3 = mqttc_connect(b.port, "screen-3", "token-three", NULL);
    }
    assert_non_null(c3);
    mqttc_close(c3);

    srv_mqtt_stop(srv);
    tsupport_broker_stop(&b);
}

/* Counts the statuses of `id` the server saw with state offline. */
static int seen_offline(struct seen *s, const char *id)
{
    int i, n = 0;

    pthread_mutex_lock(&s->mu);
    for (i = 0; i < s->n; i++) {
        n += strcmp(s->ids[i], id) == 0 && s->seq[i] == -2;
    }
    pthread_mutex_unlock(&s->mu);
    return n;
}

static void on_status_state(void *ctx, const char *id,
                            const struct taulu_proto_status *st)
{
    struct seen *s = ctx;

    pthread_mutex_lock(&s->mu);
    if (s->n < 64) {
        snprintf(s->ids[s->n], sizeof s->ids[0], "%s", id);
        s->seq[s->n] = st->state == TAULU_SCREEN_OFFLINE ? -2 : 0;
        s->n++;
    }
    pthread_mutex_unlock(&s->mu);
}

/* One screen's credentials must not knock another off the broker: screen
 * A connecting with screen B's client id (the player's
 * "infotaulu-screen-2"), with B's user name as its client id, or with the
 * server's, closes nobody's session and fires nobody's last will, because
 * the broker binds a client id to the account (use_username_as_clientid,
 * written by tsupport as in content-server/mosquitto/mosquitto.conf). */
static void test_client_id_bound_to_account(void **state)
{
    const char *ids[] = {"screen-1", "screen-2"};
    const char *pws[] = {"token-one", "token-two"};
    static const char *const stolen[] = {"infotaulu-screen-2", "screen-2",
                                         "infotaulu-server",
                                         "infotaulu-server-1234"};
    struct tsupport_broker b;
    char dir[512], conf[2048];
    struct srv_mqtt *srv;
    struct srv_mqtt_config cfg;
    struct srv_mqtt_handlers h;
    struct srv_mqtt_stats st;
    struct seen seen;
    struct mqttc *victim, *thief;
    size_t i;
    int connack;

    (void)state;
    assert_int_equal(taulu_crypto_init(), 0);
    assert_int_equal(tsupport_tmpdir("clientid", dir, sizeof dir), 0);
    write_files(dir, ids, pws, 2, NULL);
    snprintf(conf, sizeof conf,
             "allow_anonymous false\npassword_file %s/passwd\n"
             "acl_file %s/acl\n%s",
             dir, dir, geteuid() == 0 ? "user root\n" : "");
    assert_int_equal(tsupport_broker_start(&b, conf), 0);
    memset(&seen, 0, sizeof seen);
    pthread_mutex_init(&seen.mu, NULL);
    memset(&cfg, 0, sizeof cfg);
    cfg.host = "127.0.0.1";
    cfg.port = b.port;
    cfg.user = "infotaulu-server";
    cfg.password = "server-secret";
    cfg.prefix = "itest";
    memset(&h, 0, sizeof h);
    h.on_status = on_status_state;
    h.ctx = &seen;
    assert_int_equal(srv_mqtt_start(&cfg, &h, &srv), 0);
    for (i = 0; i < 300 && !srv_mqtt_connected(srv); i++) {
        usleep(10000);
    }
    assert_true(srv_mqtt_connected(srv));

    /* The server's own id is not guessable: random at every start. (The
     * second start points nowhere: with the same account it would take
     * the first one's session over, as it should.) */
    {
        struct srv_mqtt_config nowhere = cfg;
        struct srv_mqtt *again;
        const char *id1 = srv_mqtt_client_id(srv), *id2;

        nowhere.port = tsupport_free_port();
        assert_int_equal(srv_mqtt_start(&nowhere, NULL, &again), 0);
        id2 = srv_mqtt_client_id(again);
        assert_int_equal(strlen(id1), strlen("infotaulu-server-") + 16);
        assert_memory_equal(id1, "infotaulu-server-", 17);
        assert_string_not_equal(id1, id2);
        srv_mqtt_stop(again);
    }
    /* B as the player connects: its client id, its last will. */
    victim =
        mqttc_connect_id(b.port, "screen-2", "token-two", "infotaulu-screen-2",
                         "itest/v1/screens/screen-2/status",
                         "{\"v\":1,\"state\":\"offline\"}", &connack);
    assert_non_null(victim);
    assert_int_equal(mqttc_publish(victim, "itest/v1/screens/screen-2/status",
                                   "{\"v\":1,\"state\":\"online\"}", 1),
                     0);
    /* A, with its own account, takes every id it might steal. */
    for (i = 0; i < sizeof stolen / sizeof stolen[0]; i++) {
        thief = mqttc_connect_id(b.port, "screen-1", "token-one", stolen[i],
                                 NULL, NULL, &connack);
        assert_non_null(thief);
        usleep(200000);
        mqttc_close(thief);
    }
    /* A will of the thief's own kind, dropped: only A's own status. */
    thief =
        mqttc_connect_id(b.port, "screen-1", "token-one", "infotaulu-screen-2",
                         "itest/v1/screens/screen-1/status",
                         "{\"v\":1,\"state\":\"offline\"}", &connack);
    assert_non_null(thief);
    mqttc_drop(thief);
    usleep(1000000);
    /* B was never thrown off, its will never fired; the server's own
     * session was never taken over (one connect, still connected). */
    assert_int_equal(mqttc_disconnects(victim), 0);
    assert_int_equal(seen_offline(&seen, "screen-2"), 0);
    assert_true(srv_mqtt_connected(srv));
    srv_mqtt_get_stats(srv, &st);
    assert_int_equal(st.connects, 1);
    /* B still works: its next status arrives. */
    assert_int_equal(mqttc_publish(victim, "itest/v1/screens/screen-2/status",
                                   "{\"v\":1,\"state\":\"online\"}", 1),
                     0);
    for (i = 0; i < 300 && seen_count(&seen, "screen-2") < 2; i++) {
        usleep(10000);
    }
    assert_int_equal(seen_count(&seen, "screen-2"), 2);
    /* And when B itself goes away without a word, its will does fire:
     * the binding did not break the alarm. */
    mqttc_drop(victim);
    for (i = 0; i < 300 && seen_offline(&seen, "screen-2") == 0; i++) {
        usleep(10000);
    }
    assert_int_equal(seen_offline(&seen, "screen-2"), 1);

    srv_mqtt_stop(srv);
    tsupport_broker_stop(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_acl_enforced),
        cmocka_unit_test(test_client_id_bound_to_account),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
