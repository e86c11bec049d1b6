/*
 * test_player_power.c: the display's power decisions (player_power.c):
 * the commands of each power_control, what the status says, and a
 * failing command said once (a PC without CEC fails every evening).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "player_config.h"
#include "player_power.h"
#include "taulu_buf.h"
#include "taulu_log.h"
#include "taulu_proto.h"

static void config(struct player_config *c, const char *const over[])
{
    struct taulu_buf errs;
    size_t n = 0;

    while (over[n]) {
        n++;
    }
    taulu_buf_init(&errs, 4096);
    assert_int_equal(player_config_load(c, NULL, true,
                                        (char *const *)(uintptr_t)over, n,
                                        &errs),
                     0);
    taulu_buf_release(&errs);
}

static void commands(void **st)
{
    static const char *const cec[] = {"--power_control=cec", NULL};
    static const char *const dpms[] = {"--power_control=dpms", NULL};
    static const char *const none[] = {NULL};
    static const char *const own[] = {
        "--power_control=command", "--power_off_command=cec-ctl --standby",
        "--power_on_command=cec-ctl --image-view-on", NULL};
    static const char *const half[] = {"--power_control=command",
                                       "--power_off_command=x", NULL};
    struct player_config c;
    struct player_power p;
    const char *in, *line;

    (void)st;
    config(&c, cec);
    player_power_init(&p, &c);
    assert_true(player_power_enabled(&p));
    line = player_power_line(&p, false, &in);
    assert_string_equal(line, "cec-client -s -d 1");
    assert_string_equal(in, "standby 0\n");
    line = player_power_line(&p, true, &in);
    assert_string_equal(line, "cec-client -s -d 1");
    assert_string_equal(in, "on 0\n");
    assert_int_equal(p.timeout_ms, 10000);

    config(&c, dpms);
    player_power_init(&p, &c);
    assert_string_equal(player_power_line(&p, false, &in),
                        "xset dpms force off");
    assert_string_equal(in, "");

    config(&c, own);
    player_power_init(&p, &c);
    assert_string_equal(player_power_line(&p, true, &in),
                        "cec-ctl --image-view-on");

    config(&c, none);
    player_power_init(&p, &c);
    assert_false(player_power_enabled(&p));
    assert_null(player_power_line(&p, false, &in));

    /* a command without its other half does nothing */
    config(&c, half);
    player_power_init(&p, &c);
    assert_false(player_power_enabled(&p));
}

static void said_once(void **st)
{
    static const char *const cec[] = {"--power_control=cec", NULL};
    struct player_config c;
    struct player_power p;
    char msg[512];

    (void)st;
    config(&c, cec);
    player_power_init(&p, &c);
    assert_int_equal(player_power_display(&p, false), TAULU_DISPLAY_ON);
    /* the evening: off fails; said, and the screen is only black */
    assert_int_equal(player_power_outcome(&p, false, false,
                                          "exit 1: autodetect FAILED", msg,
                                          sizeof msg),
                     TAULU_LOG_WARNING);
    assert_non_null(strstr(msg, "cec-client -s -d 1"));
    assert_non_null(strstr(msg, "autodetect FAILED"));
    assert_non_null(strstr(msg, "black"));
    assert_int_equal(player_power_display(&p, true), TAULU_DISPLAY_DARK);
    /* the morning and the next evenings: the same failure, not again */
    for (int day = 0; day < 30; day++) {
        assert_int_equal(
            player_power_outcome(&p, true, false, "exit 1", msg, sizeof msg),
            -1);
        assert_int_equal(
            player_power_outcome(&p, false, false, "exit 1", msg, sizeof msg),
            -1);
    }
    assert_int_equal(player_power_display(&p, true), TAULU_DISPLAY_DARK);
    /* an adapter plugged in: it works again, said once */
    assert_int_equal(
        player_power_outcome(&p, false, true, "exit 0", msg, sizeof msg),
        TAULU_LOG_NOTICE);
    assert_non_null(strstr(msg, "works again"));
    assert_int_equal(player_power_display(&p, true), TAULU_DISPLAY_OFF);
    assert_int_equal(
        player_power_outcome(&p, true, true, "exit 0", msg, sizeof msg),
        TAULU_LOG_INFO);
    assert_int_equal(player_power_display(&p, true), TAULU_DISPLAY_DARK);
    assert_int_equal(player_power_display(&p, false), TAULU_DISPLAY_ON);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(commands),
        cmocka_unit_test(said_once),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
