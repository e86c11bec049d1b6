/*
 * test_failover.c: two real server processes on one PostgreSQL database
 * and one real Mosquitto (srv_store.h and srv_publish.h, "Several
 * instances"), with screens connected to the broker with their own
 * credentials:
 * - a follower serves the current manifest (200, then 304 with the ETag)
 *   after a change made on the other instance, and the publishing one
 *   builds a change made through the follower;
 * - a follower that never led answers the live views as the publishing
 *   one does (the centre's live status with "live on N of M", its alerts
 *   and the cards left out; an item's live status and its publish error;
 *   a screen's status; /metrics' count of cards left out), after
 *   approvals, an alert and a card the manifest cannot carry made on
 *   either instance, and again when they are withdrawn;
 * - a burst of approvals spread over both instances, the publishing one
 *   killed with SIGKILL in the middle: the other takes over within 5 s
 *   (measured and printed), every screen ends with the manifest of the
 *   final approved content, the same (seq and sha256) in its retained
 *   pointer and from both instances, and no seq is ever published with
 *   two different hashes (every pointer a screen received is kept).
 * Both servers share the data directory (signing key, broker password) as
 * instances behind one load balancer share their configuration.
 * Registered as a PostgreSQL test only: SQLite is one process's file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "itest.h"
#include "mqttc.h"
#include "pubsys.h"
#include "taulu_buf.h"
#include "taulu_crypto.h"
#include "taulu_manifest.h"
#include "taulu_proto.h"
#include "tsupport.h"
#include "tsupport_db.h"

#define N_SCREENS 4
#define N_ITEMS   8

static struct itest_server srv_a, srv_b;
static struct tsupport_broker broker;
static struct itest_world w;
static char screen_id0[PUBSYS_ID_MAX], status_topic[PUBSYS_TOPIC_MAX],
    desired_topic[PUBSYS_TOPIC_MAX];

struct screen {
    long long id, centre;
    char wire[PUBSYS_ID_MAX];
    char token[128];
    struct mqttc *c;
};
static struct screen scr[N_SCREENS];

struct got {
    long status;
    struct taulu_buf body;
    char etag[100];
};

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
    struct got *g = ctx;
    return taulu_buf_append(&g->body, p, size * n) == 0 ? size * n : 0;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
    struct got *g = ctx;
    size_t len = size * n;

    if (len > 8 && strncasecmp(p, "ETag: ", 6) == 0) {
        snprintf(g->etag, sizeof g->etag, "%.*s", (int)(len - 8), p + 6);
    }
    return len;
}

/* GET of screen `s`'s manifest from server `srv`, with an optional
 * If-None-Match. */
static void get_manifest(const struct itest_server *srv, const struct screen *s,
                         const char *inm, struct got *g)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char url[400], hdr[300];

    memset(g, 0, sizeof *g);
    taulu_buf_init(&g->body, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    snprintf(url, sizeof url, "http://127.0.0.1:%u/api/v1/screens/%s/manifest",
             srv->port, s->wire);
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", s->token);
    h = curl_slist_append(h, hdr);
    if (inm) {
        snprintf(hdr, sizeof hdr, "If-None-Match: %s", inm);
        h = curl_slist_append(h, hdr);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, g);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, g);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &g->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

/* infotaulu_publish_leading of a server's /metrics: 1, 0, or -1 (no
 * answer: a dead server). */
static int leading(struct itest_server *s)
{
    struct itest_resp r;
    const char *m;
    int v = -1;

    if (s->pid <= 0 || itest_req(s, "GET", "/metrics", NULL, NULL, &r) != 0) {
        return -1;
    }
    m = r.body ? strstr(r.body, "\ninfotaulu_publish_leading ") : NULL;
    if (r.status == 200 && m) {
        v = (int)strtol(m + strlen("\ninfotaulu_publish_leading "), NULL, 10);
    }
    itest_resp_free(&r);
    return v;
}

/* The latest pointer screen `s` has received: 0 and *d, or -1 (none). */
static int last_pointer(const struct screen *s, struct taulu_proto_desired *d)
{
    size_t n = mqttc_count(s->c), i;

    for (i = n; i > 0; i--) {
        struct mqttc_msg m;
        mqttc_get(s->c, i - 1, &m);
        if (taulu_proto_desired_parse(m.payload, strlen(m.payload), d, NULL) ==
            0) {
            return 0;
        }
    }
    return -1;
}

/* Every pointer a screen received: no seq with two hashes. */
static void assert_no_seq_twice(const struct screen *s)
{
    size_t n = mqttc_count(s->c), i, k;
    struct taulu_proto_desired *d = calloc(n ? n : 1, sizeof *d);
    size_t nd = 0;

    assert_non_null(d);
    for (i = 0; i < n; i++) {
        struct mqttc_msg m;
        mqttc_get(s->c, i, &m);
        if (taulu_proto_desired_parse(m.payload, strlen(m.payload), &d[nd],
                                      NULL) == 0) {
            nd++;
        }
    }
    for (i = 0; i < nd; i++) {
        for (k = 0; k < i; k++) {
            if (d[i].seq == d[k].seq && strcmp(d[i].sha256, d[k].sha256) != 0) {
                fail_msg("%s: seq %lld published as %s and as %s", s->wire,
                         (long long)d[i].seq, d[k].sha256, d[i].sha256);
            }
        }
    }
    printf("# %s: %zu pointers received, no seq with two hashes\n", s->wire,
           nd);
    free(d);
}

static void read_pk(uint8_t pk[TAULU_SIGN_PK_LEN])
{
    char path[600];

    snprintf(path, sizeof path, "%s/data/keys/server.pub", srv_a.dir);
    assert_int_equal(taulu_read_public_key(path, pk), 0);
}

/* Whether screen s, on both servers and in its retained pointer, has one
 * manifest (seq, sha256) showing exactly `items` (n of them, 0 = none
 * expected besides). */
static bool settled(const struct screen *s, const long long *items, size_t n,
                    bool verbose)
{
    struct taulu_proto_desired d;
    struct itest_server *srvs[2] = {&srv_a, &srv_b};
    uint8_t pk[TAULU_SIGN_PK_LEN];
    bool ok = true;
    size_t k, i;

    read_pk(pk);
    if (last_pointer(s, &d) != 0) {
        if (verbose) {
            printf("# %s: no pointer\n", s->wire);
        }
        return false;
    }
    for (k = 0; k < 2 && ok; k++) {
        struct taulu_manifest *m = NULL;
        struct got g;

        get_manifest(srvs[k], s, NULL, &g);
        ok = g.status == 200 &&
             taulu_manifest_load_signed(g.body.data, g.body.len, pk, d.sha256,
                                        s->wire, d.seq, &m, NULL) == 0 &&
             m->seq == d.seq;
        for (i = 0; ok && i < n; i++) {
            char id[32];
            size_t c;
            bool found = false;

            snprintf(id, sizeof id, "i%lld", items[i]);
            for (c = 0; c < m->n_cards; c++) {
                found |= strcmp(m->cards[c].id, id) == 0;
            }
            ok = found;
        }
        ok = ok && m->n_cards == n;
        if (!ok && verbose) {
            printf("# %s from server %zu: status %ld, %zu cards, pointer seq "
                   "%lld\n",
                   s->wire, k, g.status, m ? m->n_cards : 0, (long long)d.seq);
        }
        taulu_manifest_free(m);
        taulu_buf_release(&g.body);
    }
    return ok;
}

static void wait_settled(const struct screen *s, const long long *items,
                         size_t n, int timeout_ms)
{
    double until = mqttc_now_ms() + timeout_ms;

    while (!settled(s, items, n, false)) {
        if (mqttc_now_ms() > until) {
            settled(s, items, n, true);
            fail_msg("%s did not get its manifest within %d ms", s->wire,
                     timeout_ms);
        }
        usleep(100 * 1000);
    }
}

static void add_screen(int i, long long centre)
{
    cJSON *j;

    scr[i].centre = centre;
    if (i == 0) {
        scr[i].id = w.s1;
        snprintf(scr[i].token, sizeof scr[i].token, "%s", w.screen.bearer);
    } else {
        j = itest_call(&srv_a, &w.coord, 201, "POST", "/api/v1/screens",
                       "{\"centre_id\":%lld,\"name\":\"Aula %d\","
                       "\"orientation\":\"landscape\",\"width_px\":1920,"
                       "\"height_px\":1080,\"diagonal_in\":55,"
                       "\"viewing_distance_m\":3}",
                       centre, i + 1);
        scr[i].id = itest_int(j, "id");
        snprintf(scr[i].token, sizeof scr[i].token, "%s",
                 itest_str(j, "token"));
        cJSON_Delete(j);
    }
    snprintf(scr[i].wire, sizeof scr[i].wire, "screen-%lld", scr[i].id);
}

static void connect_screen(struct screen *s)
{
    char topic[PUBSYS_TOPIC_MAX];
    int k;

    /* the broker reloads the files the server wrote on a SIGHUP */
    for (k = 0; k < 50 && !s->c; k++) {
        s->c = mqttc_connect(broker.port, s->wire, s->token, NULL);
        if (!s->c) {
            usleep(100 * 1000);
        }
    }
    assert_non_null(s->c);
    snprintf(topic, sizeof topic, "pohde/v1/screens/%s/desired", s->wire);
    assert_int_equal(mqttc_subscribe(s->c, topic), 0);
}

/* Server B: a second instance of A (itest_start_peer). */
static void start_b(void)
{
    assert_int_equal(itest_start_peer(&srv_a, &srv_b, "b"), 0);
}

static int setup(void **state)
{
    int i;

    (void)state;
    if (!tsupport_db_is_pg()) {
        fprintf(stderr, "test_failover runs on PostgreSQL only\n");
        return -1;
    }
    pubsys_setup(&srv_a, &broker, &w, "failover", screen_id0, status_topic,
                 desired_topic);
    add_screen(0, w.c1);
    add_screen(1, w.c2);
    add_screen(2, w.c3);
    add_screen(3, w.c2);
    start_b();
    for (i = 0; i < N_SCREENS; i++) {
        connect_screen(&scr[i]);
    }
    return 0;
}

static int teardown(void **state)
{
    int i;

    (void)state;
    for (i = 0; i < N_SCREENS; i++) {
        if (scr[i].c) {
            mqttc_close(scr[i].c);
        }
    }
    itest_kill9(&srv_b);
    pubsys_teardown(&srv_a, &broker);
    return 0;
}

static long long approve(struct itest_server *s, long long item,
                         long long centre)
{
    long long pl = itest_placement(s, &w.coord, item, centre);
    char path[200];

    assert_true(pl > 0);
    snprintf(path, sizeof path, "/api/v1/placements/%lld/approve", pl);
    cJSON_Delete(
        itest_call(s, &w.coord, 200, "POST", path, "{\"item_version\":1}"));
    return pl;
}

/* Each instance has a broker account of its own (the broker binds client
 * ids to user names, so two instances under one account throw each other
 * off, every second): both stay connected, on their first connection. */
static void test_instances_keep_their_broker_connections(void **state)
{
    struct itest_server *s[2] = {&srv_a, &srv_b};
    int i;

    (void)state;
    for (i = 0; i < 2; i++) {
        long long c = -1;
        int k;
        for (k = 0; k < 100 && c < 1; k++) {
            c = itest_metric(s[i], "infotaulu_mqtt_connects_total");
            usleep(50000);
        }
        assert_int_equal(c, 1);
    }
    sleep(3); /* the client library reconnects after 1 s */
    for (i = 0; i < 2; i++) {
        assert_int_equal(itest_metric(s[i], "infotaulu_mqtt_connects_total"),
                         1);
    }
}

/* A follower serves the current manifest, kept current by notification:
 * a change approved on B reaches the screens (A publishes) and B's
 * GET; one approved on A reaches B's GET and its 304. */
static void test_follower_serves_current(void **state)
{
    long long items[2];
    struct taulu_proto_desired d;
    struct got g;
    char inm[100], at[32];

    (void)state;
    assert_int_equal(leading(&srv_a), 1);
    assert_int_equal(leading(&srv_b), 0);

    snprintf(at, sizeof at, "[%lld]", w.c1);
    items[0] = itest_item(&srv_b, &w.mem_a, w.org_a, at, "Muistikahvila");
    approve(&srv_b, items[0], w.c1);
    wait_settled(&scr[0], items, 1, 5000);

    items[1] = itest_item(&srv_a, &w.mem_b, w.org_b, at, "Kirkkokahvit");
    approve(&srv_a, items[1], w.c1);
    wait_settled(&scr[0], items, 2, 5000);

    /* B's answer and its 304, from memory, with the pointer's hash */
    assert_int_equal(last_pointer(&scr[0], &d), 0);
    get_manifest(&srv_b, &scr[0], NULL, &g);
    assert_int_equal(g.status, 200);
    assert_memory_equal(g.etag + 1, d.sha256, 64);
    snprintf(inm, sizeof inm, "%s", g.etag);
    taulu_buf_release(&g.body);
    get_manifest(&srv_b, &scr[0], inm, &g);
    assert_int_equal(g.status, 304);
    assert_int_equal(g.body.len, 0);
    taulu_buf_release(&g.body);

    /* Withdrawn again, so the burst below starts from empty screens. */
    {
        char path[200];
        size_t i;
        for (i = 0; i < 2; i++) {
            snprintf(path, sizeof path, "/api/v1/items/%lld/withdraw",
                     items[i]);
            cJSON_Delete(itest_call(&srv_b, &w.coord, 200, "POST", path, "{}"));
        }
    }
    wait_settled(&scr[0], items, 0, 5000);
}

static void withdraw(struct itest_server *s, long long item)
{
    char path[200];

    snprintf(path, sizeof path, "/api/v1/items/%lld/withdraw", item);
    cJSON_Delete(itest_call(s, &w.coord, 200, "POST", path, "{}"));
}

/* Screen 0 says it shows the manifest of its last pointer, as a player
 * does when a new one comes (retained, so both instances hear it). */
static char reported[TAULU_SHA256_HEX_LEN + 1];
static void report_applied(void)
{
    struct taulu_proto_desired d;
    struct taulu_proto_status st;
    struct taulu_buf b;

    if (last_pointer(&scr[0], &d) != 0 || strcmp(d.sha256, reported) == 0) {
        return;
    }
    memcpy(reported, d.sha256, sizeof reported);
    taulu_proto_status_init(&st);
    st.state = TAULU_SCREEN_ONLINE;
    st.has_seq = true;
    st.seq = d.seq;
    memcpy(st.sha256, d.sha256, sizeof st.sha256);
    taulu_buf_init(&b, 4096);
    assert_int_equal(taulu_proto_status_write(&st, &b), 0);
    assert_int_equal(mqttc_publish(scr[0].c, status_topic, b.data, 1), 0);
    taulu_buf_release(&b);
}

/* A view as one instance answers it, as text, without what each instance
 * stamps at its own instant of hearing (a screen's last_seen). */
static char *view_of(struct itest_server *s, const char *path)
{
    cJSON *j = itest_call(s, &w.coord, 200, "GET", path, NULL), *x;
    cJSON *screens = cJSON_GetObjectItemCaseSensitive(j, "screens");
    char *t;

    cJSON_DeleteItemFromObjectCaseSensitive(j, "last_seen");
    cJSON_ArrayForEach(x, screens)
    {
        cJSON_DeleteItemFromObjectCaseSensitive(x, "last_seen");
    }
    t = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    assert_non_null(t);
    return t;
}

/* Waits until the publishing instance's `path` holds every one of
 * `want` (NULL-terminated) and the follower answers it the same, within
 * 5 s; then also /metrics' count of the cards left out. */
static void views_agree(const char *path, const char *const *want)
{
    double until = mqttc_now_ms() + 5000;
    char *a = NULL, *b = NULL;
    bool ok = false;
    size_t i;

    while (!ok) {
        free(a);
        free(b);
        report_applied(); /* a build may have followed the one awaited */
        a = view_of(&srv_a, path);
        b = view_of(&srv_b, path);
        ok = strcmp(a, b) == 0;
        for (i = 0; ok && want[i]; i++) {
            ok = strstr(a, want[i]) != NULL;
        }
        if (!ok && mqttc_now_ms() > until) {
            printf("# %s\n# publishing: %s\n# following:  %s\n", path, a, b);
            fail_msg("the instances answer %s differently", path);
        }
        if (!ok) {
            usleep(100 * 1000);
        }
    }
    free(a);
    free(b);
    assert_int_equal(itest_metric(&srv_a, "infotaulu_publish_unpublished"),
                     itest_metric(&srv_b, "infotaulu_publish_unpublished"));
}

/* The live views read per-build data (the cards on the screens, the
 * alerts, what was left out), which a follower does not build: it reads
 * the signed manifests and the left-out lists the publishing instance
 * saved. B has never led. */
static void test_follower_views_agree(void **state)
{
    long long items[2];
    char at[32], centre_live[100], live0[100], live1[100], item1[100],
        status0[100], end[32], title[601];
    const char *const has_live[] = {"\"live\":1,\"total\":1", "\"alerts\":1,",
                                    NULL};
    const char *const has_left_out[] = {"\"unpublished_count\":1", "too long",
                                        NULL};
    const char *const item_live[] = {"\"live\":1,\"total\":1", NULL};
    const char *const item_left_out[] = {"\"live\":0,\"total\":1", "too long",
                                         NULL};
    const char *const none_left_out[] = {"\"unpublished_count\":0", NULL};
    const char *const nothing[] = {NULL};

    (void)state;
    assert_int_equal(leading(&srv_a), 1);
    assert_int_equal(leading(&srv_b), 0);
    snprintf(at, sizeof at, "[%lld]", w.c1);
    snprintf(centre_live, sizeof centre_live, "/api/v1/centres/%lld/live",
             w.c1);
    snprintf(status0, sizeof status0, "/api/v1/screens/%lld/status", scr[0].id);

    /* A card approved through the follower, one through the publisher,
     * an alert through the follower. */
    items[0] = itest_item(&srv_b, &w.mem_a, w.org_a, at, "Lukupiiri");
    items[1] = itest_item(&srv_a, &w.mem_b, w.org_b, at, "Ruoka-apu");
    snprintf(live0, sizeof live0, "/api/v1/items/%lld/live", items[0]);
    snprintf(live1, sizeof live1, "/api/v1/items/%lld/live", items[1]);
    snprintf(item1, sizeof item1, "/api/v1/items/%lld", items[1]);
    approve(&srv_b, items[0], w.c1);
    approve(&srv_a, items[1], w.c1);
    itest_iso(3600, end);
    cJSON_Delete(itest_call(&srv_b, &w.coord, 201, "POST", "/api/v1/alerts",
                            "{\"centre_id\":%lld,\"ends_at\":\"%s\","
                            "\"texts\":[{\"lang\":\"fi\",\"title\":"
                            "\"Hissi\",\"body\":\"Hissi on rikki.\"}]}",
                            w.c1, end));
    wait_settled(&scr[0], items, 2, 5000);
    report_applied();
    views_agree(centre_live, has_live);
    views_agree(live0, item_live);
    views_agree(live1, item_live);
    views_agree(status0, nothing);

    /* The second card made one no manifest can carry (content stored
     * before today's rules), then any change at the centre through the
     * follower: left out, with the reason, on both. */
    memset(title, 'a', sizeof title - 1);
    title[sizeof title - 1] = '\0';
    assert_int_equal(itest_db_write(&srv_a,
                                    "UPDATE item_text SET title = $1"
                                    " WHERE item_id = $2",
                                    title, items[1]),
                     0);
    itest_iso(7200, end);
    cJSON_Delete(itest_call(&srv_b, &w.coord, 201, "POST", "/api/v1/alerts",
                            "{\"centre_id\":%lld,\"ends_at\":\"%s\","
                            "\"texts\":[{\"lang\":\"fi\",\"title\":"
                            "\"Ovi\",\"body\":\"Sivuovi on kiinni.\"}]}",
                            w.c1, end));
    wait_settled(&scr[0], items, 1, 5000);
    report_applied();
    views_agree(centre_live, has_left_out);
    views_agree(live0, item_live);
    views_agree(live1, item_left_out);
    views_agree(item1, item_left_out + 1);
    views_agree(status0, nothing);
    assert_int_equal(itest_metric(&srv_b, "infotaulu_publish_unpublished"), 1);

    /* Withdrawn through the follower: first the card that was never on
     * the screens, which changes no manifest, only the list of what was
     * left out; then the other, so the burst below starts from empty
     * screens. */
    withdraw(&srv_b, items[1]);
    views_agree(centre_live, none_left_out);
    views_agree(live1, nothing);
    assert_int_equal(itest_metric(&srv_b, "infotaulu_publish_unpublished"), 0);
    withdraw(&srv_b, items[0]);
    wait_settled(&scr[0], items, 0, 5000);
    views_agree(live0, nothing);
}

static void test_failover_burst(void **state)
{
    long long items[N_ITEMS];
    double t_kill = 0, t_lead = 0;
    int i, k, n = 0, total = N_ITEMS * 3;
    struct itest_server *to;
    long long centres[3];
    char all[64];

    (void)state;
    centres[0] = w.c1;
    centres[1] = w.c2;
    centres[2] = w.c3;
    snprintf(all, sizeof all, "[%lld,%lld,%lld]", w.c1, w.c2, w.c3);
    assert_int_equal(leading(&srv_a), 1);
    for (i = 0; i < N_ITEMS; i++) {
        char title[64];
        snprintf(title, sizeof title, "Kerho %d", i + 1);
        items[i] =
            itest_item(i % 2 ? &srv_b : &srv_a, &w.mem_a, w.org_a, all, title);
    }
    /* The burst: approvals alternate between the instances; the
     * publishing one (A) is killed after a third of them. */
    for (i = 0; i < N_ITEMS; i++) {
        for (k = 0; k < 3; k++, n++) {
            if (n == total / 3) {
                itest_kill9(&srv_a);
                t_kill = mqttc_now_ms();
                printf("# killed the publishing instance after %d of %d "
                       "approvals\n",
                       n, total);
            }
            to = srv_a.pid > 0 && n % 2 == 0 ? &srv_a : &srv_b;
            approve(to, items[i], centres[k]);
            if (t_kill > 0 && t_lead == 0 && leading(&srv_b) == 1) {
                t_lead = mqttc_now_ms();
            }
        }
    }
    while (t_lead == 0 && mqttc_now_ms() - t_kill < 10000) {
        if (leading(&srv_b) == 1) {
            t_lead = mqttc_now_ms();
        }
        usleep(20 * 1000);
    }
    assert_true(t_lead > 0);
    printf("# takeover: instance B publishing %.0f ms after the leader was "
           "killed\n",
           t_lead - t_kill);
    assert_true(t_lead - t_kill < 5000);

    /* A comes back: it follows now, and serves the same. */
    assert_int_equal(itest_start(&srv_a, NULL), 0);
    assert_int_equal(leading(&srv_a), 0);

    for (i = 0; i < N_SCREENS; i++) {
        wait_settled(&scr[i], items, N_ITEMS, 10000);
    }
    for (i = 0; i < N_SCREENS; i++) {
        assert_no_seq_twice(&scr[i]);
    }
}

/* Last: both stop cleanly (the sanitizer build's leak report). */
static void servers_stop_cleanly(void **state)
{
    (void)state;
    assert_int_equal(itest_stop(&srv_b), 0);
    assert_int_equal(itest_stop(&srv_a), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_instances_keep_their_broker_connections),
        cmocka_unit_test(test_follower_serves_current),
        cmocka_unit_test(test_follower_views_agree),
        cmocka_unit_test(test_failover_burst),
        cmocka_unit_test(servers_stop_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
