/*
 * test_player_exec.c: one external program with a time limit, no shell
 * (player/app/player_exec.c), with real programs: an exit status and its
 * output, standard input, a program that never ends, one that does not
 * exist, one that does not read its input, and the argument splitting
 * (no shell: a ';' is an argument like any other).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "player_exec.h"
#include "taulu_err.h"

static int run(const char *line, const char *input, int timeout_ms,
               struct player_exec_result *r)
{
    char buf[256], *argv[16];

    assert_true(player_exec_split(line, buf, sizeof buf, argv, 16) > 0);
    return player_exec_run(argv, input, timeout_ms, r);
}

static void split(void **st)
{
    char buf[64], *argv[4];

    (void)st;
    assert_int_equal(
        player_exec_split("  cec-client\t-s  -d 1 ", buf, sizeof buf, argv, 4),
        -1); /* (4 words need 5 slots) */
    assert_int_equal(
        player_exec_split("xset dpms force", buf, sizeof buf, argv, 4), 3);
    assert_string_equal(argv[0], "xset");
    assert_string_equal(argv[2], "force");
    assert_null(argv[3]);
    assert_int_equal(player_exec_split("   ", buf, sizeof buf, argv, 4), 0);
}

static void exits(void **st)
{
    struct player_exec_result r;

    (void)st;
    assert_int_equal(run("true", NULL, 5000, &r), 0);
    assert_true(r.started);
    assert_int_equal(r.exit_code, 0);
    /* no shell: ';' and '$' are the program's arguments, printed back */
    assert_int_equal(run("echo a;b $HOME", NULL, 5000, &r), 0);
    assert_string_equal(r.output, "a;b $HOME");
    assert_int_equal(run("false", NULL, 5000, &r), TAULU_EUNAVAIL);
    assert_int_equal(r.exit_code, 1);
    assert_false(r.timed_out);
}

static void input(void **st)
{
    struct player_exec_result r;

    (void)st;
    assert_int_equal(run("cat", "standby 0\n", 5000, &r), 0);
    assert_string_equal(r.output, "standby 0");
    /* a program that never reads its input: no SIGPIPE kills us */
    assert_int_equal(run("true", "on 0\n", 5000, &r), 0);
}

static void limits(void **st)
{
    struct player_exec_result r;
    struct timespec a, b;
    long ms;

    (void)st;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(run("sleep 30", NULL, 300, &r), TAULU_EUNAVAIL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
    assert_true(r.timed_out);
    /* ended by the timeout, not by sleep's own 30 s. Only an upper bound,
     * and a loose one: a loaded machine may take seconds to reap it, and
     * on a virtual machine whose monotonic clock is read on another CPU
     * the 300 ms have been seen as fewer. timed_out says which path. */
    assert_true(ms < 20000);
    assert_int_equal(run("infotaulu-no-such-program", NULL, 1000, &r),
                     TAULU_EUNAVAIL);
    assert_false(r.started);
    assert_non_null(strstr(r.error, "infotaulu-no-such-program"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(split),
        cmocka_unit_test(exits),
        cmocka_unit_test(input),
        cmocka_unit_test(limits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
