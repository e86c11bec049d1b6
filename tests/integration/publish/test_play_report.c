/*
 * test_play_report.c: the play log end to end. A fake screen (a real MQTT
 * client with the screen's own account on a real Mosquitto) publishes the
 * status messages a player would, a second or two apart (the server counts
 * by its own clock): heartbeats of one item, an alert (not counted), and
 * its last will. Then what a screen cannot make up: a flood of statuses
 * whose `at` jumps six minutes each, for another centre's item and for its
 * own (the 470 messages that were credited 46.9 hours). The report
 * says the real seconds and 1 screen, to the member of the organisation,
 * the centre's contact person and the coordinator, and nothing to anyone
 * else; the CSV is the Excel kind with its cells made harmless.
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
#include <curl/curl.h>

#include "itest.h"
#include "mqttc.h"
#include "pubsys.h"
#include "srv_playlog.h"
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
    pubsys_setup(&srv, &broker, &w, "play_report", screen_id, status_topic,
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

static struct mqttc *screen_client(void)
{
    struct mqttc *c = NULL;
    int i;

    for (i = 0; i < 50 && !c; i++) {
        c = mqttc_connect(broker.port, screen_id, w.screen.bearer, NULL);
        if (!c) {
            usleep(100000);
        }
    }
    assert_non_null(c);
    return c;
}

/* Publishes a status as the player writes it (at = TAULU_NO_TIME: none). */
static void status(struct mqttc *c, bool online, const char *showing,
                   int64_t at)
{
    struct taulu_proto_status st;
    struct taulu_buf b;

    taulu_proto_status_init(&st);
    st.state = online ? TAULU_SCREEN_ONLINE : TAULU_SCREEN_OFFLINE;
    snprintf(st.showing, sizeof st.showing, "%s", showing);
    st.at = at;
    taulu_buf_init(&b, TAULU_PROTO_MAX_PAYLOAD);
    assert_int_equal(taulu_proto_status_write(&st, &b), 0);
    assert_int_equal(mqttc_publish(c, status_topic, b.data, 1), 0);
    taulu_buf_release(&b);
}

/* Waits until the screen's manifest carries card `card`. */
static void wait_in_manifest(const char *card)
{
    struct itest_resp r;
    char path[200], want[64];
    int i, found = 0;

    snprintf(path, sizeof path, "/api/v1/screens/%s/manifest", screen_id);
    snprintf(want, sizeof want, "\"id\":\"%s\"", card);
    for (i = 0; i < 100 && !found; i++) {
        assert_int_equal(itest_req(&srv, "GET", path, &w.screen, NULL, &r), 0);
        found = r.status == 200 && r.body && strstr(r.body, want) != NULL;
        itest_resp_free(&r);
        if (!found) {
            usleep(50000);
        }
    }
    assert_true(found);
}

/* Seconds credited to `item` in the report (-1: no row). */
static long long seconds_of(long long item)
{
    char query[100];
    long long got = -1;
    cJSON *j, *row;

    snprintf(query, sizeof query, "/api/v1/reports/plays?organisation_id=%lld",
             w.org_a);
    j = itest_call(&srv, &w.coord, 200, "GET", query, NULL);
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(j, "rows"))
    {
        if (itest_int(row, "item_id") == item) {
            got = itest_int(row, "seconds");
        }
    }
    cJSON_Delete(j);
    return got;
}

static cJSON *report(const struct itest_auth *as, long expect,
                     const char *query)
{
    char path[300];

    snprintf(path, sizeof path, "/api/v1/reports/plays%s", query);
    return itest_call(&srv, as, expect, "GET", path, NULL);
}

static void test_play_report(void **state)
{
    struct mqttc *scr = screen_client();
    struct itest_resp r;
    char path[300], card[32], other_card[32], query[100];
    long long item, other, pl, want = -1;
    int64_t t0;
    double m0, real;
    cJSON *j, *row;
    int i;

    (void)state;
    /* A formula-looking title with a semicolon: the CSV must defuse it. */
    item =
        itest_item(&srv, &w.mem_a, w.org_a, "[1]", "=SUMMA(1;2) Muistikahvila");
    pl = itest_placement(&srv, &w.con_1, item, w.c1);
    snprintf(path, sizeof path, "/api/v1/placements/%lld/approve", pl);
    cJSON_Delete(
        itest_call(&srv, &w.con_1, 200, "POST", path, "{\"item_version\":1}"));
    snprintf(card, sizeof card, "i%lld", item);
    /* Another centre's item, approved there: never on this screen. */
    other = itest_item(&srv, &w.mem_a, w.org_a, "[2]", "Ruoka-apu");
    pl = itest_placement(&srv, &w.con_2, other, w.c2);
    snprintf(path, sizeof path, "/api/v1/placements/%lld/approve", pl);
    cJSON_Delete(
        itest_call(&srv, &w.con_2, 200, "POST", path, "{\"item_version\":1}"));
    snprintf(other_card, sizeof other_card, "i%lld", other);
    wait_in_manifest(card);

    /* Heartbeats of the item about two seconds apart, an alert for a
     * second (counted for nobody), the item again and the last will. */
    m0 = mqttc_now_ms();
    t0 = taulu_now();
    status(scr, true, card, t0);
    usleep(2200000);
    status(scr, true, card, taulu_now());
    usleep(2200000);
    status(scr, true, "a1", taulu_now());
    usleep(1100000);
    status(scr, true, card, taulu_now());
    usleep(1100000);
    status(scr, false, "", TAULU_NO_TIME);
    real = (mqttc_now_ms() - m0) / 1000.0 - 1.1; /* the alert's second */

    /* Wait for the rows, then: the real seconds, never more. Whole
     * seconds of the server's clock: each of the two stretches counted
     * apart may round up by less than a second. (The lower bound is
     * loose: on a loaded machine the server may take the messages late.) */
    for (i = 0; i < 50; i++) {
        want = seconds_of(item);
        if (want >= 4) {
            break;
        }
        usleep(100000);
    }
    /* The first stretch can be in the report before the last will has
     * closed the second: wait until the server has taken the will and the
     * sum has stopped moving, or the flood below is blamed for it. */
    for (i = 0; i < 50 && itest_metric(&srv, "infotaulu_screens_online") != 0;
         i++) {
        usleep(100000);
    }
    for (i = 0; i < 20; i++) {
        long long again;

        usleep(150000);
        again = seconds_of(item);
        if (again == want) {
            break;
        }
        want = again;
    }
    print_message("play log: %lld s credited for %.1f s of real showing\n",
                  want, real);
    assert_true(want >= 2);
    assert_true((double)want < real + 2.0);

    /* The forger: 470 statuses as fast as the broker takes them, each `at`
     * six minutes after the last, for the other centre's item and then for
     * its own. The first credits nothing; the second no more than the
     * seconds the flood took. */
    {
        double f0 = mqttc_now_ms(), flood, elapsed;
        long long before = want, after;

        for (i = 0; i < 470; i++) {
            status(scr, true, i < 235 ? other_card : card,
                   t0 + (int64_t)i * SRV_PLAY_BOUND_S);
        }
        status(scr, false, "", TAULU_NO_TIME);
        flood = (mqttc_now_ms() - f0) / 1000.0;
        usleep(500000);
        assert_int_equal(seconds_of(other), -1);
        after = seconds_of(item);
        /* Every second credited lies, by the server's clock, between the
         * flood's start and now (plus a second of rounding). */
        elapsed = (mqttc_now_ms() - f0) / 1000.0;
        print_message("play log: a flood of 470 forged statuses over %.2f s "
                      "added %lld s (%.2f s since it began)\n",
                      flood, after - before, elapsed);
        assert_true((double)(after - before) < elapsed + 1.0);
        want = after;
    }

    snprintf(query, sizeof query, "?organisation_id=%lld", w.org_a);
    j = report(&w.mem_a, 200, query);
    row = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "rows"), 0);
    assert_non_null(row);
    assert_int_equal(itest_int(row, "screens"), 1);
    assert_int_equal(itest_int(row, "item_id"), item);
    assert_int_equal(itest_int(row, "centre_id"), w.c1);
    assert_string_equal(itest_str(row, "title"), "=SUMMA(1;2) Muistikahvila");
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "rows")), 1);
    assert_int_equal(itest_int(j, "total_seconds"), want);
    cJSON_Delete(j);

    /* The centre's contact person sees it; centre 2's contact sees an
     * empty report; the other organisation's member is told nothing. */
    j = report(&w.con_1, 200, query);
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "rows")), 1);
    cJSON_Delete(j);
    j = report(&w.con_2, 200, query);
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "rows")), 0);
    cJSON_Delete(j);
    cJSON_Delete(report(&w.mem_b, 404, query));
    /* A date range that ends before the plays: nothing. */
    j = report(&w.coord, 200, "?from=2020-01-01&to=2020-12-31");
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "rows")), 0);
    cJSON_Delete(j);
    cJSON_Delete(report(&w.coord, 400, "?from=2026-12-31&to=2026-01-01"));
    cJSON_Delete(report(&w.coord, 400, "?format=xlsx"));

    /* The CSV: BOM, Finnish header, semicolons, the formula defused and
     * quoted, hours with a decimal comma (a few seconds = 0,0 h). */
    snprintf(path, sizeof path,
             "/api/v1/reports/plays?organisation_id=%lld&format=csv", w.org_a);
    assert_int_equal(itest_req(&srv, "GET", path, &w.coord, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.headers, "text/csv"));
    assert_non_null(strstr(r.headers, "attachment"));
    assert_true(r.len > 3 && memcmp(r.body, "\xEF\xBB\xBF", 3) == 0);
    assert_non_null(strstr(r.body, "Ilmoitus;Ilmoituksen nro;J\xC3\xA4rjest"
                                   "\xC3\xB6;Toimipiste;Tunnit;Sekunnit;"));
    {
        char line[200];
        snprintf(line, sizeof line, "\r\n\"'=SUMMA(1;2) Muistikahvila\";%lld;",
                 item);
        assert_non_null(strstr(r.body, line));
    }
    {
        char cells[100];
        snprintf(cells, sizeof cells, ";0,0;%lld;1;", want);
        assert_non_null(strstr(r.body, cells));
    }
    itest_resp_free(&r);
    mqttc_close(scr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_play_report),
        cmocka_unit_test(server_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
