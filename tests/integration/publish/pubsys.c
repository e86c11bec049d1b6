/*
 * pubsys.c: broker + server set-up shared by the publishing integration
 * tests (see pubsys.h).
 */
#include "pubsys.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "taulu_crypto.h"

void pubsys_start(struct itest_server *srv, struct tsupport_broker *broker,
                  const char *tag)
{
    static char conf[2048], passwd[600], acl[600], pidfile[600], port[16],
        pidtext[32];
    static const char *extra[16];

    itest_setup_dir(srv, tag);
    /* The broker reads the files the server will write; empty at first. */
    snprintf(passwd, sizeof passwd, "%s/mosquitto.passwd", srv->dir);
    snprintf(acl, sizeof acl, "%s/mosquitto.acl", srv->dir);
    assert_int_equal(tsupport_write_file(srv->dir, "mosquitto.passwd", ""), 0);
    assert_int_equal(tsupport_write_file(srv->dir, "mosquitto.acl", ""), 0);
    snprintf(conf, sizeof conf,
             "allow_anonymous false\npassword_file %s\nacl_file %s\n%s", passwd,
             acl, geteuid() == 0 ? "user root\n" : "");
    assert_int_equal(tsupport_broker_start(broker, conf), 0);
    snprintf(pidfile, sizeof pidfile, "%s/mosquitto.pid", srv->dir);
    snprintf(pidtext, sizeof pidtext, "%d\n", (int)broker->proc.pid);
    assert_int_equal(tsupport_write_file(srv->dir, "mosquitto.pid", pidtext),
                     0);
    snprintf(port, sizeof port, "%d", broker->port);
    extra[0] = "--mqtt-host";
    extra[1] = "127.0.0.1";
    extra[2] = "--mqtt-port";
    extra[3] = port;
    extra[4] = "--mqtt-prefix";
    extra[5] = "pohde";
    extra[6] = "--broker-passwd";
    extra[7] = passwd;
    extra[8] = "--broker-acl";
    extra[9] = acl;
    extra[10] = "--broker-pid-file";
    extra[11] = pidfile;
    extra[12] = NULL;
    srv->extra = extra;
}

void pubsys_setup(struct itest_server *srv, struct tsupport_broker *broker,
                  struct itest_world *w, const char *tag,
                  char screen_id[PUBSYS_ID_MAX],
                  char status_topic[PUBSYS_TOPIC_MAX],
                  char desired_topic[PUBSYS_TOPIC_MAX])
{
    assert_int_equal(taulu_crypto_init(), 0);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    pubsys_start(srv, broker, tag);
    itest_world_setup(srv, w);
    snprintf(screen_id, PUBSYS_ID_MAX, "screen-%lld", w->s1);
    snprintf(status_topic, PUBSYS_TOPIC_MAX, "pohde/v1/screens/%s/status",
             screen_id);
    snprintf(desired_topic, PUBSYS_TOPIC_MAX, "pohde/v1/screens/%s/desired",
             screen_id);
}

void pubsys_teardown(struct itest_server *srv, struct tsupport_broker *broker)
{
    itest_kill9(srv);
    tsupport_broker_stop(broker);
    curl_global_cleanup();
}
