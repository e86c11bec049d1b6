/*
 * test_proto.c: MQTT topic names and the desired / status / command
 * payloads (round trips and every refusal).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "taulu_err.h"
#include "taulu_proto.h"

static const char SHA[] =
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

static void test_screen_ids(void **state)
{
    char id[80];

    (void)state;
    assert_true(taulu_proto_screen_id_valid("tuira-aula-1"));
    assert_true(taulu_proto_screen_id_valid("a"));
    assert_true(taulu_proto_screen_id_valid("0"));
    assert_false(taulu_proto_screen_id_valid(""));
    assert_false(taulu_proto_screen_id_valid(NULL));
    assert_false(taulu_proto_screen_id_valid("-a"));
    assert_false(taulu_proto_screen_id_valid("Tuira"));
    assert_false(taulu_proto_screen_id_valid("a/b"));
    assert_false(taulu_proto_screen_id_valid("a+"));
    assert_false(taulu_proto_screen_id_valid("#"));
    assert_false(taulu_proto_screen_id_valid("a_b"));
    assert_false(taulu_proto_screen_id_valid("a.b"));
    assert_false(taulu_proto_screen_id_valid("ä"));
    memset(id, 'a', 63);
    id[63] = '\0';
    assert_true(taulu_proto_screen_id_valid(id));
    id[63] = 'a';
    id[64] = '\0';
    assert_false(taulu_proto_screen_id_valid(id));
}

static void test_prefixes(void **state)
{
    char p[80];

    (void)state;
    assert_true(taulu_proto_prefix_valid("infotaulu"));
    assert_true(taulu_proto_prefix_valid("county/pohde-infotaulu"));
    assert_false(taulu_proto_prefix_valid(""));
    assert_false(taulu_proto_prefix_valid(NULL));
    assert_false(taulu_proto_prefix_valid("/infotaulu"));
    assert_false(taulu_proto_prefix_valid("infotaulu/"));
    assert_false(taulu_proto_prefix_valid("a//b"));
    assert_false(taulu_proto_prefix_valid("$SYS"));
    assert_false(taulu_proto_prefix_valid("a+"));
    assert_false(taulu_proto_prefix_valid("a#"));
    assert_false(taulu_proto_prefix_valid("a b"));
    memset(p, 'a', 64);
    p[64] = '\0';
    assert_true(taulu_proto_prefix_valid(p));
    p[64] = 'a';
    p[65] = '\0';
    assert_false(taulu_proto_prefix_valid(p));
}

static void test_topics(void **state)
{
    char t[TAULU_TOPIC_MAX + 1], id[TAULU_SCREEN_ID_MAX + 1], longp[65];
    char longid[64];
    enum taulu_topic_kind k = TAULU_TOPIC_DESIRED;

    (void)state;
    assert_int_equal(
        taulu_proto_topic(t, NULL, "tuira-aula-1", TAULU_TOPIC_DESIRED), 0);
    assert_string_equal(t, "infotaulu/v1/screens/tuira-aula-1/desired");
    assert_int_equal(taulu_proto_topic(t, "x/y", "s1", TAULU_TOPIC_STATUS), 0);
    assert_string_equal(t, "x/y/v1/screens/s1/status");
    assert_int_equal(taulu_proto_topic(t, NULL, "s1", TAULU_TOPIC_COMMAND), 0);
    assert_string_equal(t, "infotaulu/v1/screens/s1/command");
    assert_int_equal(taulu_proto_topic(t, NULL, "S1", TAULU_TOPIC_COMMAND),
                     TAULU_EINVAL);
    assert_string_equal(t, "");
    assert_int_equal(taulu_proto_topic(t, "a+", "s1", TAULU_TOPIC_COMMAND),
                     TAULU_EINVAL);
    assert_int_equal(taulu_proto_topic(t, NULL, "s1", (enum taulu_topic_kind)7),
                     TAULU_EINVAL);
    assert_int_equal(taulu_proto_topic_filter(t, NULL, TAULU_TOPIC_STATUS), 0);
    assert_string_equal(t, "infotaulu/v1/screens/+/status");

    /* the longest topic fits */
    memset(longp, 'p', 64);
    longp[64] = '\0';
    memset(longid, 'i', 63);
    longid[63] = '\0';
    assert_int_equal(taulu_proto_topic(t, longp, longid, TAULU_TOPIC_COMMAND),
                     0);
    assert_int_equal(strlen(t), TAULU_TOPIC_MAX);
    assert_int_equal(taulu_proto_topic_parse(t, strlen(t), longp, id, &k), 0);
    assert_string_equal(id, longid);
    assert_int_equal(k, TAULU_TOPIC_COMMAND);

    /* parse */
    {
        const char *good = "infotaulu/v1/screens/tuira-aula-1/status";
        assert_int_equal(
            taulu_proto_topic_parse(good, strlen(good), NULL, id, &k), 0);
        assert_string_equal(id, "tuira-aula-1");
        assert_int_equal(k, TAULU_TOPIC_STATUS);
    }
    {
        static const char *const bad[] = {
            "",
            "infotaulu",
            "infotaulu/v1/screens/",
            "infotaulu/v1/screens//status",
            "infotaulu/v1/screens/s1",
            "infotaulu/v1/screens/s1/",
            "infotaulu/v1/screens/s1/statuss",
            "infotaulu/v1/screens/s1/status/x",
            "infotaulu/v1/screens/+/status",
            "infotaulu/v1/screens/S1/status",
            "infotaulu/v2/screens/s1/status",
            "other/v1/screens/s1/status",
            "infotaulux/v1/screens/s1/status",
            "x/infotaulu/v1/screens/s1/status",
            "infotaulu/v1/screens/a/b/status",
        };
        size_t i;
        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            assert_int_equal(
                taulu_proto_topic_parse(bad[i], strlen(bad[i]), NULL, id, &k),
                TAULU_EVALUE);
            assert_string_equal(id, "");
        }
    }
    /* length, not NUL, ends the topic */
    {
        const char *t2 = "infotaulu/v1/screens/s1/desiredXYZ";
        assert_int_equal(
            taulu_proto_topic_parse(t2, strlen(t2) - 3, NULL, id, &k), 0);
        assert_int_equal(k, TAULU_TOPIC_DESIRED);
    }
    assert_string_equal(taulu_proto_topic_kind_name(TAULU_TOPIC_COMMAND),
                        "command");
    assert_null(taulu_proto_topic_kind_name((enum taulu_topic_kind)3));
}

static char *w_desired(const struct taulu_proto_desired *d)
{
    struct taulu_buf b;

    taulu_buf_init(&b, 4096);
    assert_int_equal(taulu_proto_desired_write(d, &b), 0);
    return taulu_buf_detach(&b, NULL);
}

/* Payload parse must fail with `code` and a message starting "<field>:". */
#define EXPECT(fn, type, json, code, field)                                    \
    do {                                                                       \
        type out_;                                                             \
        struct taulu_buf why_;                                                 \
        int rc_;                                                               \
        taulu_buf_init(&why_, 1024);                                           \
        rc_ = fn((json), strlen(json), &out_, &why_);                          \
        if (rc_ != (code)) {                                                   \
            print_error("%s -> %d: %s\n", (json), rc_, why_.data);             \
        }                                                                      \
        assert_int_equal(rc_, (code));                                         \
        assert_memory_equal(why_.data, field, strlen(field));                  \
        assert_int_equal(why_.data[strlen(field)], ':');                       \
        taulu_buf_release(&why_);                                              \
    } while (0)

static void test_desired(void **state)
{
    struct taulu_proto_desired d, e;
    struct taulu_buf b;
    char *s, *s2;

    (void)state;
    memset(&d, 0, sizeof(d));
    d.seq = 42;
    memcpy(d.sha256, SHA, 65);
    memcpy(d.url, "/api/v1/screens/tuira-aula-1/manifest", 38);
    s = w_desired(&d);
    assert_string_equal(
        s, "{\"v\":1,\"seq\":42,\"sha256\":\"" /**/
           "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
           "\",\"url\":\"/api/v1/screens/tuira-aula-1/manifest\"}");
    assert_int_equal(taulu_proto_desired_parse(s, strlen(s), &e, NULL), 0);
    assert_int_equal(e.seq, 42);
    assert_string_equal(e.sha256, SHA);
    assert_string_equal(e.url, d.url);
    s2 = w_desired(&e);
    assert_string_equal(s, s2);
    free(s);
    free(s2);
    /* url is optional */
    d.url[0] = '\0';
    s = w_desired(&d);
    assert_null(strstr(s, "url"));
    assert_int_equal(taulu_proto_desired_parse(s, strlen(s), &e, NULL), 0);
    assert_string_equal(e.url, "");
    free(s);
    /* the writer refuses what a reader would */
    taulu_buf_init(&b, 4096);
    d.seq = -1;
    assert_int_equal(taulu_proto_desired_write(&d, &b), TAULU_EVALUE);
    d.seq = 1;
    memcpy(d.url, "//evil.example/x", 17);
    assert_int_equal(taulu_proto_desired_write(&d, &b), TAULU_EVALUE);
    d.url[0] = '\0';
    d.sha256[0] = 'A';
    assert_int_equal(taulu_proto_desired_write(&d, &b), TAULU_EVALUE);
    assert_int_equal(b.len, 0);
    taulu_buf_release(&b);

#define D(json, code, field)                                                   \
    EXPECT(taulu_proto_desired_parse, struct taulu_proto_desired, json, code,  \
           field)
#define H "\"sha256\":\"" SHA_LIT "\""
#define SHA_LIT                                                                \
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    D("{\"v\":2,\"seq\":1," H "}", TAULU_EVERSION, "v");
    D("{\"seq\":1," H "}", TAULU_EMISSING, "v");
    D("{\"v\":1," H "}", TAULU_EMISSING, "seq");
    D("{\"v\":1,\"seq\":1}", TAULU_EMISSING, "sha256");
    D("{\"v\":1,\"seq\":\"1\"," H "}", TAULU_ETYPE, "seq");
    D("{\"v\":1,\"seq\":1.5," H "}", TAULU_ETYPE, "seq");
    D("{\"v\":1,\"seq\":-1," H "}", TAULU_EVALUE, "seq");
    D("{\"v\":1,\"seq\":1,\"sha256\":\"9F86\"}", TAULU_EVALUE, "sha256");
    D("{\"v\":1,\"seq\":1,\"sha256\":\"" SHA_LIT "0\"}", TAULU_ELIMIT,
      "sha256");
    D("{\"v\":1,\"seq\":1," H ",\"url\":\"https://evil.example/x\"}",
      TAULU_EVALUE, "url");
    D("{\"v\":1,\"seq\":1," H ",\"url\":\"//evil.example/x\"}", TAULU_EVALUE,
      "url");
    D("{\"v\":1,\"seq\":1," H ",\"url\":\"/api/../../etc\"}", TAULU_EVALUE,
      "url");
    D("{\"v\":1,\"seq\":1," H ",\"url\":\"/a b\"}", TAULU_EVALUE, "url");
    D("{\"v\":1,\"seq\":1," H ",\"url\":\"/a\\u0000\"}", TAULU_EUTF8, "url");
    D("{\"v\":1,\"v\":1,\"seq\":1," H "}", TAULU_EPARSE, "v");
    D("{\"v\":1,\"seq\":1," H ",\"x\":{\"y\":[1]}}", TAULU_ELIMIT, "x.y");
    D("[1]", TAULU_ETYPE, "document");
    D("{\"v\":1,\"seq\":1," H "", TAULU_EPARSE, "sha256");
    /* unknown members are ignored */
    {
        const char *j = "{\"v\":1,\"seq\":7," H ",\"later\":{\"a\":1}}";
        assert_int_equal(taulu_proto_desired_parse(j, strlen(j), &e, NULL), 0);
        assert_int_equal(e.seq, 7);
    }
    /* size limit */
    {
        char *big = malloc(TAULU_PROTO_MAX_PAYLOAD + 2);
        const char *head = "{\"v\":1,\"seq\":1," H ",\"pad\":\"";
        size_t hl = strlen(head), pad = TAULU_PROTO_MAX_PAYLOAD - hl - 2;
        memcpy(big, head, hl);
        memset(big + hl, 'x', pad);
        memcpy(big + hl + pad, "\"}", 3);
        assert_int_equal(strlen(big), TAULU_PROTO_MAX_PAYLOAD);
        assert_int_equal(taulu_proto_desired_parse(big, strlen(big), &e, NULL),
                         0);
        memcpy(big + hl + pad, "x\"}", 4);
        D(big, TAULU_ELIMIT, "json");
        free(big);
    }
}

static void test_status(void **state)
{
    struct taulu_proto_status s, r;
    struct taulu_buf b;
    char *again;

    (void)state;
    taulu_buf_init(&b, 4096);
    /* the last will */
    taulu_proto_status_init(&s);
    assert_int_equal(taulu_proto_status_write(&s, &b), 0);
    assert_string_equal(b.data, "{\"v\":1,\"state\":\"offline\"}");
    assert_int_equal(taulu_proto_status_parse(b.data, b.len, &r, NULL), 0);
    assert_int_equal(r.state, TAULU_SCREEN_OFFLINE);
    assert_false(r.has_seq);
    assert_int_equal(r.at, TAULU_NO_TIME);
    taulu_buf_reset(&b);

    /* everything */
    s.state = TAULU_SCREEN_ONLINE;
    s.has_seq = true;
    s.seq = 42;
    memcpy(s.sha256, SHA, 65);
    memcpy(s.showing, "item-123", 9);
    s.has_uptime = true;
    s.uptime_s = 3600;
    s.has_cache_bytes = true;
    s.cache_bytes = 123456;
    s.has_clock_ok = true;
    s.clock_ok = false;
    memcpy(s.error, "fetch: yhteys katkesi \"x\"", 26);
    assert_int_equal(taulu_manifest_time_parse("2026-11-22T10:00:00Z", &s.at),
                     0);
    memcpy(s.alert_ack[0], "alert-1", 8);
    memcpy(s.alert_ack[1], "alert-2", 8);
    s.n_alert_ack = 2;
    assert_int_equal(taulu_proto_status_write(&s, &b), 0);
    assert_string_equal(
        b.data, "{\"v\":1,\"state\":\"online\",\"seq\":42,\"sha256\":\"" SHA_LIT
                "\",\"showing\":\"item-123\",\"uptime_s\":3600,\"cache_bytes\":"
                "123456,\"clock_ok\":false,\"error\":\"fetch: yhteys katkesi "
                "\\\"x\\\"\",\"at\":\"2026-11-22T10:00:00Z\",\"alert_ack\":["
                "\"alert-1\",\"alert-2\"]}");
    assert_int_equal(taulu_proto_status_parse(b.data, b.len, &r, NULL), 0);
    assert_int_equal(memcmp(&r, &s, sizeof(r)) == 0 ? 0 : 1, 0);
    {
        struct taulu_buf b2;
        taulu_buf_init(&b2, 4096);
        assert_int_equal(taulu_proto_status_write(&r, &b2), 0);
        assert_string_equal(b.data, b2.data);
        taulu_buf_release(&b2);
    }
    taulu_buf_reset(&b);
    /* the writer refuses */
    memcpy(s.error, "a\nb", 4);
    assert_int_equal(taulu_proto_status_write(&s, &b), TAULU_EVALUE);
    s.error[0] = '\0';
    memcpy(s.showing, "a b", 4);
    assert_int_equal(taulu_proto_status_write(&s, &b), TAULU_EVALUE);
    s.showing[0] = '\0';
    s.n_alert_ack = TAULU_PROTO_MAX_ALERT_ACK + 1;
    assert_int_equal(taulu_proto_status_write(&s, &b), TAULU_EVALUE);
    s.n_alert_ack = 0;
    s.at = -5;
    assert_int_equal(taulu_proto_status_write(&s, &b), TAULU_EVALUE);
    assert_int_equal(b.len, 0);
    s.at = TAULU_NO_TIME;
    assert_int_equal(taulu_proto_status_write(&s, &b), 0);
    again = taulu_buf_detach(&b, NULL);
    free(again);

#define S(json, code, field)                                                   \
    EXPECT(taulu_proto_status_parse, struct taulu_proto_status, json, code,    \
           field)
    S("{\"v\":1}", TAULU_EMISSING, "state");
    S("{\"v\":1,\"state\":\"asleep\"}", TAULU_EVALUE, "state");
    S("{\"v\":0,\"state\":\"online\"}", TAULU_EVERSION, "v");
    S("{\"v\":1,\"state\":\"online\",\"seq\":-3}", TAULU_EVALUE, "seq");
    S("{\"v\":1,\"state\":\"online\",\"uptime_s\":1.5}", TAULU_ETYPE,
      "uptime_s");
    S("{\"v\":1,\"state\":\"online\",\"clock_ok\":1}", TAULU_ETYPE, "clock_ok");
    S("{\"v\":1,\"state\":\"online\",\"showing\":\"a/b\"}", TAULU_EVALUE,
      "showing");
    S("{\"v\":1,\"state\":\"online\",\"error\":\"\"}", TAULU_EVALUE, "error");
    S("{\"v\":1,\"state\":\"online\",\"error\":\"a\\u001bb\"}", TAULU_EUTF8,
      "error");
    S("{\"v\":1,\"state\":\"online\",\"error\":\"\xff\"}", TAULU_EUTF8,
      "error");
    S("{\"v\":1,\"state\":\"online\",\"at\":\"yesterday\"}", TAULU_EVALUE,
      "at");
    S("{\"v\":1,\"state\":\"online\",\"alert_ack\":[1]}", TAULU_ETYPE,
      "alert_ack[0]");
    S("{\"v\":1,\"state\":\"online\",\"alert_ack\":[\"a\",\"b c\"]}",
      TAULU_EVALUE, "alert_ack[1]");
    S("{\"v\":1,\"state\":\"online\",\"alert_ack\":[[\"a\"]]}", TAULU_ELIMIT,
      "alert_ack[0]");
    /* error: 200 bytes at most */
    {
        char j[400], *p;
        int n;
        for (n = 200; n <= 201; n++) {
            p = j + snprintf(j, sizeof(j),
                             "{\"v\":1,\"state\":\"online\",\"error\":\"");
            memset(p, 'e', (size_t)n);
            memcpy(p + n, "\"}", 3);
            if (n == 200) {
                assert_int_equal(
                    taulu_proto_status_parse(j, strlen(j), &r, NULL), 0);
                assert_int_equal(strlen(r.error), 200);
            } else {
                S(j, TAULU_ELIMIT, "error");
            }
        }
    }
    /* alert_ack: 16 at most */
    {
        struct taulu_buf j;
        int n, i;
        for (n = 16; n <= 17; n++) {
            taulu_buf_init(&j, 4096);
            taulu_buf_puts(&j, "{\"v\":1,\"state\":\"online\",\"alert_ack\":[");
            for (i = 0; i < n; i++) {
                taulu_buf_appendf(&j, "%s\"a%d\"", i ? "," : "", i);
            }
            taulu_buf_puts(&j, "]}");
            if (n == 16) {
                assert_int_equal(
                    taulu_proto_status_parse(j.data, j.len, &r, NULL), 0);
                assert_int_equal(r.n_alert_ack, 16);
                assert_string_equal(r.alert_ack[15], "a15");
            } else {
                S(j.data, TAULU_ELIMIT, "alert_ack");
            }
            taulu_buf_release(&j);
        }
    }
    taulu_buf_release(&b);
}

/* What a screen says of its fit: its effective profile (the manifest's
 * ranges, one decimal) and the cards it cannot show whole or shows on
 * pages. Optional: the offline form and an old player's status have none.
 * The longest status there can be still fits a payload. */
static void test_status_fit(void **state)
{
    struct taulu_proto_status s, r;
    struct taulu_buf b;
    size_t i;

    (void)state;
    taulu_buf_init(&b, 8192);
    taulu_proto_status_init(&s);
    s.state = TAULU_SCREEN_ONLINE;
    s.has_profile = true;
    s.profile.width_px = 1080;
    s.profile.height_px = 1920;
    s.profile.orientation = TAULU_PORTRAIT;
    s.profile.diagonal_in_x10 = 425;
    s.profile.distance_mm = 2500;
    memcpy(s.unplaced[0], "i12", 4);
    s.n_unplaced = 1;
    memcpy(s.paged[0], "i7", 3);
    memcpy(s.paged[1], "i9", 3);
    s.n_paged = 2;
    assert_int_equal(taulu_proto_status_write(&s, &b), 0);
    assert_string_equal(
        b.data, "{\"v\":1,\"state\":\"online\",\"profile\":{\"width_px\":1080,"
                "\"height_px\":1920,\"orientation\":\"portrait\","
                "\"diagonal_in\":42.5,\"distance_mm\":2500},\"unplaced\":["
                "\"i12\"],\"paged\":[\"i7\",\"i9\"]}");
    assert_int_equal(taulu_proto_status_parse(b.data, b.len, &r, NULL), 0);
    assert_int_equal(memcmp(&r, &s, sizeof(r)) == 0 ? 0 : 1, 0);
    taulu_buf_reset(&b);
    /* an old player's status: none of them */
    {
        static const char old[] = "{\"v\":1,\"state\":\"online\"}";
        assert_int_equal(taulu_proto_status_parse(old, strlen(old), &r, NULL),
                         0);
    }
    assert_false(r.has_profile);
    assert_false(r.has_loop);
    assert_int_equal(r.n_unplaced + r.n_paged, 0);
    /* the loop as run: written and read back */
    s.has_loop = true;
    s.loop_s = 280;
    s.loop_all_s = 1000;
    s.loop_turns = 12;
    s.loop_window = 3;
    assert_int_equal(taulu_proto_status_write(&s, &b), 0);
    assert_non_null(strstr((const char *)b.data,
                           ",\"loop\":{\"s\":280,\"all_s\":1000,"
                           "\"turns\":12,\"window\":3}}"));
    assert_int_equal(taulu_proto_status_parse(b.data, b.len, &r, NULL), 0);
    assert_int_equal(memcmp(&r, &s, sizeof(r)) == 0 ? 0 : 1, 0);
    taulu_buf_reset(&b);
    s.loop_turns = -1;
    assert_int_equal(taulu_proto_status_write(&s, &b), TAULU_EVALUE);
    s.has_loop = false;
    /* the writer refuses what a reader would */
    s.profile.diagonal_in_x10 = 40;
    assert_int_equal(taulu_proto_status_write(&s, &b), TAULU_EVALUE);
    s.profile.diagonal_in_x10 = 425;
    s.n_paged = TAULU_PROTO_MAX_CARD_IDS + 1;
    assert_int_equal(taulu_proto_status_write(&s, &b), TAULU_EVALUE);
    s.n_paged = 1;
    memcpy(s.unplaced[0], "i 12", 5);
    assert_int_equal(taulu_proto_status_write(&s, &b), TAULU_EVALUE);
    assert_int_equal(b.len, 0);

#define SF(json, code, field)                                                  \
    EXPECT(taulu_proto_status_parse, struct taulu_proto_status, json, code,    \
           field)
    SF("{\"v\":1,\"state\":\"online\",\"profile\":{\"width_px\":1080,"
       "\"height_px\":1920,\"diagonal_in\":42.5,\"distance_mm\":2500}}",
       TAULU_EMISSING, "profile.orientation");
    SF("{\"v\":1,\"state\":\"online\",\"profile\":{\"width_px\":1080,"
       "\"height_px\":1920,\"orientation\":\"portrait\",\"diagonal_in\":42.55,"
       "\"distance_mm\":2500}}",
       TAULU_EVALUE, "profile.diagonal_in");
    SF("{\"v\":1,\"state\":\"online\",\"profile\":{\"width_px\":0,"
       "\"height_px\":1920,\"orientation\":\"portrait\",\"diagonal_in\":42.5,"
       "\"distance_mm\":2500}}",
       TAULU_EVALUE, "profile.width_px");
    SF("{\"v\":1,\"state\":\"online\",\"profile\":{\"width_px\":1080,"
       "\"height_px\":1920,\"orientation\":\"portrait\",\"diagonal_in\":42.5,"
       "\"distance_mm\":200}}",
       TAULU_EVALUE, "profile.distance_mm");
    SF("{\"v\":1,\"state\":\"online\",\"profile\":[1]}", TAULU_ETYPE,
       "profile");
    SF("{\"v\":1,\"state\":\"online\",\"unplaced\":[\"a/b\"]}", TAULU_EVALUE,
       "unplaced[0]");
    SF("{\"v\":1,\"state\":\"online\",\"paged\":\"i1\"}", TAULU_ETYPE, "paged");
    SF("{\"v\":1,\"state\":\"online\",\"loop\":{\"s\":1,\"all_s\":1,"
       "\"turns\":0}}",
       TAULU_EMISSING, "loop.window");
    SF("{\"v\":1,\"state\":\"online\",\"loop\":{\"s\":-1,\"all_s\":1,"
       "\"turns\":0,\"window\":1}}",
       TAULU_EVALUE, "loop.s");

    /* the longest status: every list full of the longest ids, an error
     * of 200 escaped quotes */
    taulu_proto_status_init(&s);
    s.state = TAULU_SCREEN_ONLINE;
    s.has_seq = true;
    s.seq = TAULU_MANIFEST_MAX_SEQ;
    memcpy(s.sha256, SHA, 65);
    memset(s.showing, 'x', TAULU_MANIFEST_MAX_ID);
    s.has_uptime = s.has_cache_bytes = s.has_clock_ok = true;
    s.uptime_s = s.cache_bytes = TAULU_MANIFEST_MAX_SEQ;
    memset(s.error, '"', TAULU_PROTO_ERROR_MAX);
    s.at = 0;
    for (i = 0; i < TAULU_PROTO_MAX_ALERT_ACK; i++) {
        memset(s.alert_ack[i], 'a', TAULU_MANIFEST_MAX_ID);
    }
    s.n_alert_ack = TAULU_PROTO_MAX_ALERT_ACK;
    for (i = 0; i < TAULU_PROTO_MAX_CARD_IDS; i++) {
        memset(s.unplaced[i], 'u', TAULU_MANIFEST_MAX_ID);
        memset(s.paged[i], 'p', TAULU_MANIFEST_MAX_ID);
    }
    s.n_unplaced = s.n_paged = TAULU_PROTO_MAX_CARD_IDS;
    s.has_profile = true;
    s.profile.width_px = s.profile.height_px = TAULU_MANIFEST_MAX_PIXELS;
    s.profile.diagonal_in_x10 = 3000;
    s.profile.distance_mm = 100000;
    s.has_loop = true;
    s.loop_s = s.loop_all_s = 86400;
    s.loop_turns = s.loop_window = 1024;
    assert_int_equal(taulu_proto_status_write(&s, &b), 0);
    assert_true(b.len <= TAULU_PROTO_MAX_PAYLOAD);
    assert_int_equal(taulu_proto_status_parse(b.data, b.len, &r, NULL), 0);
    assert_int_equal(r.n_paged, TAULU_PROTO_MAX_CARD_IDS);
    taulu_buf_release(&b);
}

/* status.display (on / dark / off outside opening hours): written last
 * when said, absent otherwise, read back, and nothing else accepted. */
/* A literal and its length. */
#define J(s) (s), strlen(s)

static void test_status_display(void **state)
{
    struct taulu_proto_status s, r;
    struct taulu_buf b;

    (void)state;
    taulu_buf_init(&b, TAULU_PROTO_MAX_PAYLOAD);
    taulu_proto_status_init(&s);
    s.state = TAULU_SCREEN_ONLINE;
    assert_int_equal(taulu_proto_status_write(&s, &b), 0);
    assert_null(strstr(b.data, "display"));
    assert_int_equal(taulu_proto_status_parse(b.data, b.len, &r, NULL), 0);
    assert_int_equal(r.display, TAULU_DISPLAY_UNSAID);
    s.display = TAULU_DISPLAY_OFF;
    taulu_buf_reset(&b);
    assert_int_equal(taulu_proto_status_write(&s, &b), 0);
    assert_string_equal(b.data, "{\"v\":1,\"state\":\"online\","
                                "\"display\":\"off\"}");
    assert_int_equal(taulu_proto_status_parse(b.data, b.len, &r, NULL), 0);
    assert_int_equal(r.display, TAULU_DISPLAY_OFF);
    assert_int_equal(taulu_proto_status_parse(J("{\"v\":1,\"state\":\"online\","
                                                "\"display\":\"dark\"}"),
                                              &r, NULL),
                     0);
    assert_int_equal(r.display, TAULU_DISPLAY_DARK);
    assert_int_equal(taulu_proto_status_parse(J("{\"v\":1,\"state\":\"online\","
                                                "\"display\":\"standby\"}"),
                                              &r, NULL),
                     TAULU_EVALUE);
    assert_int_equal(taulu_proto_status_parse(J("{\"v\":1,\"state\":\"online\","
                                                "\"display\":1}"),
                                              &r, NULL),
                     TAULU_ETYPE);
    s.display = (enum taulu_display_state)9;
    assert_int_equal(taulu_proto_status_write(&s, &b), TAULU_EVALUE);
    taulu_buf_release(&b);
}

static void test_command(void **state)
{
    struct taulu_proto_command c, r;
    struct taulu_buf b;

    (void)state;
    taulu_buf_init(&b, 4096);
    memset(&c, 0, sizeof(c));
    memcpy(c.id, "cmd-17", 7);
    c.cmd = TAULU_CMD_SCREENSHOT;
    assert_int_equal(taulu_proto_command_write(&c, &b), 0);
    assert_string_equal(b.data,
                        "{\"v\":1,\"id\":\"cmd-17\",\"cmd\":\"screenshot\"}");
    assert_int_equal(taulu_proto_command_parse(b.data, b.len, &r, NULL), 0);
    assert_string_equal(r.id, "cmd-17");
    assert_int_equal(r.cmd, TAULU_CMD_SCREENSHOT);
    taulu_buf_reset(&b);
    c.cmd = (enum taulu_command_kind)9;
    assert_int_equal(taulu_proto_command_write(&c, &b), TAULU_EVALUE);
    c.cmd = TAULU_CMD_RELOAD;
    c.id[0] = '\0';
    assert_int_equal(taulu_proto_command_write(&c, &b), TAULU_EVALUE);
    assert_int_equal(b.len, 0);
    assert_string_equal(taulu_proto_command_name(TAULU_CMD_IDENTIFY),
                        "identify");

#define C(json, code, field)                                                   \
    EXPECT(taulu_proto_command_parse, struct taulu_proto_command, json, code,  \
           field)
    C("{\"v\":1,\"id\":\"c1\",\"cmd\":\"reboot\"}", TAULU_EVALUE, "cmd");
    C("{\"v\":1,\"id\":\"c1\"}", TAULU_EMISSING, "cmd");
    C("{\"v\":1,\"cmd\":\"reload\"}", TAULU_EMISSING, "id");
    C("{\"v\":1,\"id\":\"c 1\",\"cmd\":\"reload\"}", TAULU_EVALUE, "id");
    C("{\"v\":1,\"id\":\"\",\"cmd\":\"reload\"}", TAULU_EVALUE, "id");
    C("{\"v\":1,\"id\":7,\"cmd\":\"reload\"}", TAULU_ETYPE, "id");
    C("{\"v\":\"1\",\"id\":\"c\",\"cmd\":\"reload\"}", TAULU_ETYPE, "v");
    C("{\"v\":1,\"id\":\"c\",\"cmd\":\"reload\",\"cmd\":\"identify\"}",
      TAULU_EPARSE, "cmd");
    /* r is zeroed on failure */
    memcpy(r.id, "x", 2);
    assert_true(taulu_proto_command_parse("{}", 2, &r, NULL) < 0);
    assert_string_equal(r.id, "");
    taulu_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screen_ids),
        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_topics),
        cmocka_unit_test(test_desired),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_command),
        cmocka_unit_test(test_status_fit),
        cmocka_unit_test(test_status_display),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
