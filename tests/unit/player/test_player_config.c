/*
 * test_player_config.c: the player's settings table, overrides, the
 * cross-field checks and which screen profile wins.
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

#include "taulu_datadir.h"
#include "taulu_err.h"
#include "taulu_file.h"

#include "player_config.h"

static void test_table_is_valid(void **state)
{
    struct taulu_buf errs;

    (void)state;
    taulu_buf_init(&errs, 4096);
    assert_int_equal(taulu_config_check_table(&player_config_table, &errs), 0);
    taulu_buf_release(&errs);
}

/* The example file, read as the config, gives what no file gives. */
static void test_example_loads_to_defaults(void **state)
{
    struct player_config a, b;
    struct taulu_buf ex, errs;
    const char *tmp = getenv("TAULU_TEST_TMP");
    char path[600];

    (void)state;
    taulu_buf_init(&ex, 1 << 20);
    taulu_buf_init(&errs, 4096);
    assert_int_equal(taulu_config_write_example(&player_config_table, &ex), 0);
    assert_int_equal(taulu_mkdir_p(tmp && tmp[0] ? tmp : "/tmp", 0700), 0);
    snprintf(path, sizeof path, "%s/player-example-%ld.conf",
             tmp && tmp[0] ? tmp : "/tmp", (long)getpid());
    assert_int_equal(taulu_file_write_atomic(path, ex.data, ex.len, 0600), 0);
    assert_int_equal(player_config_load(&a, NULL, true, NULL, 0, &errs), 0);
    assert_int_equal(player_config_load(&b, path, false, NULL, 0, &errs), 0);
    unlink(path);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(player_config_validate(&a, false, &errs), 0);
    taulu_buf_release(&ex);
    taulu_buf_release(&errs);
}

/* Empty font_dir is the shipped fonts' folder and a theme name an
 * installed theme (common/taulu_datadir.h); paths that are set stay. */
static void test_data_defaults(void **state)
{
    struct player_config c;
    struct taulu_buf errs;
    char fonts[512], themes[512], want[600];
    static char t1[] = "--theme_file=light", t2[] = "--theme_file=light.theme",
                t3[] = "--theme_file=./my.theme", f1[] = "--font_dir=/srv/f";
    char *name[] = {t1}, *named[] = {t2}, *path[] = {t3}, *font[] = {f1};

    (void)state;
    taulu_buf_init(&errs, 4096);
    (void)taulu_datadir_find(TAULU_DATA_FONTS, fonts, sizeof fonts);
    (void)taulu_datadir_find(TAULU_DATA_THEMES, themes, sizeof themes);
    snprintf(want, sizeof want, "%s/light.theme", themes);

    assert_int_equal(player_config_load(&c, NULL, true, NULL, 0, &errs), 0);
    assert_string_equal(c.font_dir, fonts);
    assert_string_equal(c.theme_file, ""); /* the built-in theme */

    assert_int_equal(player_config_load(&c, NULL, true, name, 1, &errs), 0);
    assert_string_equal(c.theme_file, want);
    assert_int_equal(player_config_load(&c, NULL, true, named, 1, &errs), 0);
    assert_string_equal(c.theme_file, want);
    assert_int_equal(player_config_load(&c, NULL, true, path, 1, &errs), 0);
    assert_string_equal(c.theme_file, "./my.theme");
    assert_int_equal(player_config_load(&c, NULL, true, font, 1, &errs), 0);
    assert_string_equal(c.font_dir, "/srv/f");
    assert_string_equal(errs.data, "");
    taulu_buf_release(&errs);
}

static void test_overrides_and_errors(void **state)
{
    struct player_config c;
    struct taulu_buf errs;
    static char g1[] = "--languages=fi,sv", g2[] = "--closed_behaviour=still",
                g3[] = "--window=borderless", g4[] = "--fade_ms=500";
    static char b1[] = "--mqtt_port=abc", b2[] = "--no-such-key=1",
                b3[] = "--fade_ms=2000";
    char *good[] = {g1, g2, g3, g4};
    char *bad[] = {b1, b2, b3};
    char langs[8][TAULU_LANG_MAX + 1];

    (void)state;
    taulu_buf_init(&errs, 16384);
    assert_int_equal(player_config_load(&c, "/nonexistent/player.conf", true,
                                        good, 4, &errs),
                     0);
    assert_int_equal(c.closed_behaviour, PLAYER_CLOSED_STILL);
    assert_int_equal(c.window, PLAYER_WINDOW_BORDERLESS);
    assert_int_equal(c.fade_ms, 500);
    assert_int_equal(player_config_languages(&c, langs, 8), 2);
    assert_string_equal(langs[0], "fi");
    assert_string_equal(langs[1], "sv");
    /* a missing file that was asked for is an error */
    assert_int_equal(player_config_load(&c, "/nonexistent/player.conf", false,
                                        NULL, 0, &errs),
                     TAULU_ECONFIG);
    taulu_buf_reset(&errs);
    assert_int_equal(player_config_load(&c, NULL, true, bad, 3, &errs),
                     TAULU_ECONFIG);
    assert_non_null(strstr(errs.data, "mqtt_port"));
    assert_non_null(strstr(errs.data, "no-such-key"));
    assert_non_null(strstr(errs.data, "fade_ms"));
    taulu_buf_release(&errs);
}

static void test_validate(void **state)
{
    struct player_config c;
    struct taulu_buf errs;

    (void)state;
    taulu_buf_init(&errs, 16384);
    player_config_load(&c, NULL, true, NULL, 0, &errs);
    snprintf(c.languages, sizeof c.languages, "fi,Swedish");
    c.rotation = 45;
    snprintf(c.screen_token, sizeof c.screen_token, "s3cret-token");
    snprintf(c.screen_token_file, sizeof c.screen_token_file, "/x");
    snprintf(c.server_url, sizeof c.server_url, "ftp://x");
    assert_int_equal(player_config_validate(&c, true, &errs), TAULU_ECONFIG);
    assert_non_null(strstr(errs.data, "languages"));
    assert_non_null(strstr(errs.data, "rotation"));
    assert_non_null(strstr(errs.data, "server_url"));
    assert_non_null(strstr(errs.data, "screen_id"));
    /* the token is never in a message */
    assert_null(strstr(errs.data, "s3cret"));
    taulu_buf_release(&errs);
}

/* Plain http:// and MQTT without TLS only to loopback, unless told
 * allow_insecure; a player with a server and no screen is to enrol. */
static void test_transport(void **state)
{
    static const struct {
        const char *url, *mqtt;
        bool tls, insecure;
        int rc;
        const char *says;
    } cases[] = {
        {"https://infotaulu.example.fi", "mqtt.example.fi", true, false, 0,
         NULL},
        {"http://127.0.0.1:8080", "127.0.0.1", false, false, 0, NULL},
        {"http://localhost:8080", "localhost", false, false, 0, NULL},
        {"http://[::1]:8080", "::1", false, false, 0, NULL},
        {"http://10.0.0.5:8080", "", true, false, TAULU_ECONFIG,
         "plain http://"},
        {"http://127.0.0.1.example.fi", "", true, false, TAULU_ECONFIG,
         "plain http://"},
        {"http://user@127.0.0.1", "", true, false, TAULU_ECONFIG,
         "plain http://"},
        {"https://infotaulu.example.fi", "10.0.0.5", false, false,
         TAULU_ECONFIG, "MQTT without TLS"},
        {"http://10.0.0.5:8080", "10.0.0.5", false, true, 0, NULL},
    };
    struct player_config c;
    struct taulu_buf errs;

    (void)state;
    assert_true(player_host_is_loopback("127.5.6.7"));
    assert_false(player_host_is_loopback("127.0.0.1x"));
    assert_false(player_host_is_loopback("128.0.0.1"));
    taulu_buf_init(&errs, 16384);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        taulu_buf_reset(&errs);
        player_config_load(&c, NULL, true, NULL, 0, &errs);
        snprintf(c.server_url, sizeof c.server_url, "%s", cases[i].url);
        snprintf(c.mqtt_host, sizeof c.mqtt_host, "%s", cases[i].mqtt);
        snprintf(c.screen_id, sizeof c.screen_id, "screen-1");
        snprintf(c.screen_token, sizeof c.screen_token, "tss_x");
        c.mqtt_tls = cases[i].tls;
        c.allow_insecure = cases[i].insecure;
        if (player_config_validate(&c, true, &errs) != cases[i].rc) {
            fail_msg("case %zu: %s", i, errs.data ? errs.data : "");
        }
        if (cases[i].says) {
            assert_non_null(strstr(errs.data, cases[i].says));
        }
    }
    /* enrolment: a server, no screen, no token: valid, and to enrol */
    player_config_load(&c, NULL, true, NULL, 0, &errs);
    snprintf(c.server_url, sizeof c.server_url, "https://infotaulu.fi");
    taulu_buf_reset(&errs);
    assert_int_equal(player_config_validate(&c, true, &errs), 0);
    assert_true(player_config_needs_enrolment(&c));
    /* half of it is a mistake, not an enrolment */
    snprintf(c.screen_id, sizeof c.screen_id, "screen-1");
    assert_false(player_config_needs_enrolment(&c));
    assert_int_equal(player_config_validate(&c, true, &errs), TAULU_ECONFIG);
    taulu_buf_release(&errs);
}

/* The enrolment's file in state_dir is read over player.conf when that
 * names no screen, and the command line still wins over both. */
static void test_enrolment_file(void **state)
{
    char dir[] = "/tmp/taulu-enrol-XXXXXX", path[128], conf[128];
    char sd[160], over_port[] = "--mqtt_port=9999";
    char *over[2];
    struct player_config c;
    struct taulu_buf errs;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/enrolment.conf", dir);
    snprintf(conf, sizeof conf, "%s/player.conf", dir);
    assert_int_equal(
        taulu_file_write_atomic(
            path,
            "server_url = https://public.example.fi\nscreen_id = screen-7\n"
            "screen_token = tss_abc\nmqtt_host = mqtt.example.fi\n"
            "mqtt_port = 8883\n",
            strlen("server_url = https://public.example.fi\nscreen_id = "
                   "screen-7\nscreen_token = tss_abc\nmqtt_host = "
                   "mqtt.example.fi\nmqtt_port = 8883\n"),
            0600),
        0);
    snprintf(sd, sizeof sd, "state_dir = %s\nserver_url = https://boot\n", dir);
    assert_int_equal(taulu_file_write_atomic(conf, sd, strlen(sd), 0600), 0);
    over[0] = over_port;
    taulu_buf_init(&errs, 16384);
    assert_int_equal(player_config_load(&c, conf, false, over, 1, &errs), 0);
    assert_true(c.enrolled);
    assert_string_equal(c.server_url, "https://public.example.fi");
    assert_string_equal(c.screen_id, "screen-7");
    assert_string_equal(c.mqtt_host, "mqtt.example.fi");
    assert_int_equal(c.mqtt_port, 9999);
    assert_false(player_config_needs_enrolment(&c));
    /* a player.conf that names its screen ignores the enrolment */
    snprintf(sd, sizeof sd,
             "state_dir = %s\nserver_url = https://boot\nscreen_id = "
             "screen-1\nscreen_token_file = /x\n",
             dir);
    assert_int_equal(taulu_file_write_atomic(conf, sd, strlen(sd), 0600), 0);
    assert_int_equal(player_config_load(&c, conf, false, NULL, 0, &errs), 0);
    assert_false(c.enrolled);
    assert_string_equal(c.screen_id, "screen-1");
    assert_string_equal(c.server_url, "https://boot");
    unlink(path);
    unlink(conf);
    rmdir(dir);
    taulu_buf_release(&errs);
}

static void test_profile_precedence(void **state)
{
    struct player_config c;
    struct taulu_manifest m;
    struct render_profile p;
    struct taulu_buf errs;

    (void)state;
    taulu_buf_init(&errs, 4096);
    player_config_load(&c, NULL, true, NULL, 0, &errs);
    /* nothing anywhere: the defaults */
    player_config_profile(&c, NULL, &p);
    assert_int_equal(p.width, 1920);
    assert_int_equal(p.height, 1080);
    assert_true(p.diagonal_in == 55.0);
    assert_true(p.distance_m == 3.0);
    /* the manifest's profile (portrait written as the panel's native
     * landscape resolution is turned) */
    memset(&m, 0, sizeof m);
    m.profile.width_px = 1920;
    m.profile.height_px = 1080;
    m.profile.orientation = TAULU_PORTRAIT;
    m.profile.diagonal_in_x10 = 430;
    m.profile.distance_mm = 2000;
    player_config_profile(&c, &m, &p);
    assert_int_equal(p.width, 1080);
    assert_int_equal(p.height, 1920);
    assert_true(p.diagonal_in == 43.0);
    assert_true(p.distance_m == 2.0);
    /* the PC's own config wins field by field */
    c.diagonal_in = 65.0;
    c.orientation = PLAYER_ORIENT_LANDSCAPE;
    player_config_profile(&c, &m, &p);
    assert_int_equal(p.width, 1920);
    assert_int_equal(p.height, 1080);
    assert_true(p.diagonal_in == 65.0);
    assert_true(p.distance_m == 2.0);
    taulu_buf_release(&errs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_is_valid),
        cmocka_unit_test(test_example_loads_to_defaults),
        cmocka_unit_test(test_data_defaults),
        cmocka_unit_test(test_overrides_and_errors),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_transport),
        cmocka_unit_test(test_enrolment_file),
        cmocka_unit_test(test_profile_precedence),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
