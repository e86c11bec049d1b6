/*
 * bench_fanout.c: approve -> retained pointers for every screen of one
 * centre. The real server (SQLite, signing, libmosquitto) and a real
 * Mosquitto on loopback; a subscriber on "<prefix>/v1/screens/+/desired"
 * records when each screen's new pointer arrives. Prints the time from
 * sending the approve request to the last pointer received (goal for 1,000
 * screens: under 1 s), and the approve request's own time.
 *
 *   bench_fanout [SCREENS]        (default 1000)
 *
 * Uses the integration tests' helpers (itest, mqttc, tsupport); a failed
 * step ends the program with a message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "itest.h"
#include "mqttc.h"
#include "tsupport.h"

static long long id_of_topic(const char *topic)
{
    const char *p = strstr(topic, "/screens/screen-");
    return p ? strtoll(p + strlen("/screens/screen-"), NULL, 10) : -1;
}

static long long seq_of(const char *payload)
{
    const char *p = strstr(payload, "\"seq\":");
    return p ? strtoll(p + 6, NULL, 10) : -1;
}

int main(int argc, char **argv)
{
    static const char *extra[8];
    struct itest_server srv;
    struct itest_world w;
    struct tsupport_broker broker;
    struct mqttc *sub;
    char port[16], body[400], path[200];
    long long n = argc > 1 ? strtoll(argv[1], NULL, 10) : 1000;
    long long i, item, pl, max_id = 0, *base, *newseq;
    double t0, t_resp, t_last = 0;
    size_t k, seen, done = 0;

    if (n < 1 || n > 3000) {
        fprintf(stderr, "usage: %s [SCREENS 1..3000]\n", argv[0]);
        return 2;
    }
    if (tsupport_broker_start(&broker, NULL) < 0) {
        return 1;
    }
    snprintf(port, sizeof port, "%d", broker.port);
    extra[0] = "--mqtt-host";
    extra[1] = "127.0.0.1";
    extra[2] = "--mqtt-port";
    extra[3] = port;
    extra[4] = "--mqtt-prefix";
    extra[5] = "bench";
    extra[6] = NULL;
    itest_setup_dir(&srv, "bench_fanout");
    srv.extra = extra;
    itest_world_setup(&srv, &w); /* c1 with one screen already */
    printf("creating %lld screens at one centre...\n", n);
    fflush(stdout);
    for (i = 1; i < n; i++) {
        cJSON *j = itest_call(&srv, &w.coord, 201, "POST", "/api/v1/screens",
                              "{\"centre_id\":%lld,\"name\":\"Näyttö %lld\","
                              "\"orientation\":\"landscape\",\"width_px\":"
                              "1920,\"height_px\":1080,\"diagonal_in\":55,"
                              "\"viewing_distance_m\":3}",
                              w.c1, i);
        cJSON_Delete(j);
    }
    base = calloc(4 * (size_t)n + 16, sizeof *base);
    newseq = calloc(4 * (size_t)n + 16, sizeof *newseq);
    sub = mqttc_connect(broker.port, NULL, NULL, NULL);
    if (!base || !newseq || !sub ||
        mqttc_subscribe(sub, "bench/v1/screens/+/desired") < 0) {
        fprintf(stderr, "bench: subscriber failed\n");
        return 1;
    }
    /* Every screen's current (retained) pointer first. */
    for (k = 0; k < 100; k++) {
        seen = mqttc_count(sub);
        if (seen >= (size_t)n) {
            /* wait until the pointers of the last screens settle */
            usleep(300000);
            break;
        }
        mqttc_wait(sub, (size_t)n, 100);
    }
    seen = mqttc_count(sub);
    for (k = 0; k < seen; k++) {
        struct mqttc_msg m;
        long long id;
        mqttc_get(sub, k, &m);
        id = id_of_topic(m.topic);
        if (id > 0 && id < 4 * n + 16) {
            long long s = seq_of(m.payload);
            base[id] = s > base[id] ? s : base[id];
            max_id = id > max_id ? id : max_id;
        }
    }

    item = itest_item(&srv, &w.mem_a, w.org_a, "[1]", "Muistikahvila");
    pl = itest_placement(&srv, &w.con_1, item, w.c1);
    snprintf(path, sizeof path, "/api/v1/placements/%lld/approve", pl);
    snprintf(body, sizeof body, "{\"item_version\":1}");
    t0 = mqttc_now_ms();
    cJSON_Delete(itest_call(&srv, &w.con_1, 200, "POST", path, "%s", body));
    t_resp = mqttc_now_ms() - t0;
    while (done < (size_t)n && mqttc_now_ms() - t0 < 30000) {
        size_t now_count;
        mqttc_wait(sub, seen + 1, 200);
        now_count = mqttc_count(sub);
        for (k = seen; k < now_count; k++) {
            struct mqttc_msg m;
            long long id, s;
            mqttc_get(sub, k, &m);
            id = id_of_topic(m.topic);
            s = seq_of(m.payload);
            if (id > 0 && id <= max_id && s > base[id] && newseq[id] == 0) {
                newseq[id] = s;
                done++;
                t_last = mqttc_arrival_ms(sub, k) - t0;
            }
        }
        seen = now_count;
    }
    printf("screens at the centre:                 %lld\n", n);
    printf("pointers received after the approval:  %zu\n", done);
    printf("approve request answered in:           %.1f ms\n", t_resp);
    printf("approve -> last pointer received:      %.1f ms\n", t_last);
    printf("goal < 1000 ms for 1000 screens:       %s\n",
           done == (size_t)n && t_last < 1000.0 ? "met" : "NOT met");
    mqttc_close(sub);
    itest_stop(&srv);
    tsupport_broker_stop(&broker);
    free(base);
    free(newseq);
    return done == (size_t)n ? 0 : 1;
}
