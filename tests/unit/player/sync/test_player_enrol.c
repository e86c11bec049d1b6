/*
 * test_player_enrol.c: what a player does with the server's enrolment
 * answer (player/sync/player_enrol.c): every value checked before it goes
 * into a file, the files private (0600), the settings file last, and the
 * result read back by the player's own settings loader.
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

#include "player_config.h"
#include "player_enrol.h"
#include "taulu_buf.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"

#define TOKEN                                                                  \
    "tss_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void answer(char *out, size_t size, const char *token, const char *url,
                   const char *host, const char *extra)
{
    snprintf(out, size,
             "{\"state\":\"enrolled\",\"screen_id\":\"screen-7\","
             "\"token\":\"%s\",\"name\":\"Aula 1\",\"centre_id\":1,"
             "\"server_url\":\"%s\",\"server_public_key\":"
             "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\","
             "\"mqtt\":{\"host\":\"%s\",\"port\":8883,\"prefix\":\"infotaulu\","
             "\"tls\":true%s},\"profile\":{\"width_px\":1920,\"height_px\":"
             "1080,\"orientation\":\"landscape\",\"diagonal_in\":55,"
             "\"viewing_distance_m\":3}}",
             token, url, host, extra);
}

static void parse(void **st)
{
    char a[4096];
    struct player_enrolment e;
    struct taulu_buf why;

    (void)st;
    taulu_buf_init(&why, 4096);
    answer(a, sizeof a, TOKEN, "https://infotaulu.example.fi",
           "mqtt.example.fi",
           ",\"ca_pem\":\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END "
           "CERTIFICATE-----\\n\"");
    assert_int_equal(player_enrolment_parse(a, strlen(a), &e, &why), 0);
    assert_string_equal(e.screen_id, "screen-7");
    assert_string_equal(e.token, TOKEN);
    assert_int_equal(e.mqtt_port, 8883);
    assert_true(e.mqtt_tls);
    assert_non_null(e.mqtt_ca_pem);
    assert_int_equal(e.width_px, 1920);
    player_enrolment_release(&e);

    /* whatever would go into the settings file is checked */
    answer(a, sizeof a, "tss_short", "https://x.fi", "h", "");
    assert_true(player_enrolment_parse(a, strlen(a), &e, &why) < 0);
    answer(a, sizeof a, TOKEN, "https://x.fi\\nscreen_id = other", "h", "");
    assert_true(player_enrolment_parse(a, strlen(a), &e, &why) < 0);
    answer(a, sizeof a, TOKEN, "https://x.fi # y", "h", "");
    assert_true(player_enrolment_parse(a, strlen(a), &e, &why) < 0);
    answer(a, sizeof a, TOKEN, "ftp://x.fi", "h", "");
    assert_true(player_enrolment_parse(a, strlen(a), &e, &why) < 0);
    answer(a, sizeof a, TOKEN, "https://x.fi", "h host", "");
    assert_true(player_enrolment_parse(a, strlen(a), &e, &why) < 0);
    answer(a, sizeof a, TOKEN, "https://x.fi", "h", ",\"ca_pem\":\"evil\"");
    assert_true(player_enrolment_parse(a, strlen(a), &e, &why) < 0);
    assert_int_equal(
        player_enrolment_parse("{\"state\":\"pending\"}", 19, &e, &why),
        TAULU_EVALUE);
    taulu_buf_release(&why);
}

static void write_and_read_back(void **st)
{
    char a[4096], dir[] = "/tmp/taulu-enrolw-XXXXXX", path[200], sd[256];
    char *over[1];
    struct player_enrolment e;
    struct player_config c;
    struct taulu_buf why;
    struct stat sb;
    static const char *const files[] = {"enrolment.conf", "server.pub",
                                        "mqtt-ca.pem"};

    (void)st;
    assert_non_null(mkdtemp(dir));
    taulu_buf_init(&why, 4096);
    answer(a, sizeof a, TOKEN, "https://infotaulu.example.fi",
           "mqtt.example.fi",
           ",\"ca_pem\":\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END "
           "CERTIFICATE-----\\n\"");
    assert_int_equal(player_enrolment_parse(a, strlen(a), &e, &why), 0);
    assert_int_equal(player_enrolment_write(dir, &e, &why), 0);
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        assert_int_equal(stat(path, &sb), 0);
        assert_int_equal(sb.st_mode & 0777, 0600);
    }
    player_enrolment_release(&e);
    /* the player's settings loader reads it over an empty player.conf */
    snprintf(sd, sizeof sd, "--state_dir=%s", dir);
    over[0] = sd;
    assert_int_equal(player_config_load(&c, NULL, true, over, 1, &why), 0);
    assert_true(c.enrolled);
    assert_string_equal(c.screen_id, "screen-7");
    assert_string_equal(c.screen_token, TOKEN);
    assert_string_equal(c.mqtt_host, "mqtt.example.fi");
    assert_true(c.mqtt_tls);
    snprintf(path, sizeof path, "%s/mqtt-ca.pem", dir);
    assert_string_equal(c.mqtt_ca_file, path);
    snprintf(path, sizeof path, "%s/server.pub", dir);
    assert_string_equal(c.server_pk_file, path);
    {
        uint8_t pk[32];
        assert_int_equal(taulu_read_public_key(path, pk), 0);
    }
    assert_int_equal(player_config_validate(&c, true, &why), 0);
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    taulu_buf_release(&why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse),
        cmocka_unit_test(write_and_read_back),
    };

    taulu_crypto_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
