/*
 * test_log.c: unit tests of common/taulu_log (one-line syslog-level
 * logging).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taulu_log.h"
#include "taulu_time.h"

/* What the sink saw last, and how often it was called. */
static int sink_calls;
static int sink_level;
static char sink_tag[64];
static char sink_msg[2048];

static void sink(int level, const char *tag, const char *msg, void *ctx)
{
    assert_ptr_equal(ctx, &sink_calls);
    sink_calls++;
    sink_level = level;
    snprintf(sink_tag, sizeof sink_tag, "%s", tag);
    snprintf(sink_msg, sizeof sink_msg, "%s", msg);
}

static int formatted;

/* An argument with a side effect: counts how often it was evaluated. */
static int side_effect(void)
{
    formatted++;
    return 42;
}

static int setup(void **state)
{
    (void)state;
    sink_calls = 0;
    formatted = 0;
    sink_msg[0] = '\0';
    taulu_log_threshold = TAULU_LOG_INFO;
    taulu_log_set_sink(sink, &sink_calls);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    taulu_log_set_sink(NULL, NULL);
    taulu_log_threshold = TAULU_LOG_INFO;
    return 0;
}

static void test_threshold_before_formatting(void **state)
{
    (void)state;
    assert_int_equal(taulu_log_threshold, TAULU_LOG_INFO);
    taulu_debug("fetch", "value %d", side_effect());
    assert_int_equal(formatted, 0);
    assert_int_equal(sink_calls, 0);

    taulu_info("fetch", "value %d", side_effect());
    assert_int_equal(formatted, 1);
    assert_int_equal(sink_calls, 1);
    assert_int_equal(sink_level, TAULU_LOG_INFO);
    assert_string_equal(sink_tag, "fetch");
    assert_string_equal(sink_msg, "value 42");

    taulu_log_threshold = TAULU_LOG_ERR;
    taulu_warn("mqtt", "%d", side_effect());
    taulu_notice("mqtt", "%d", side_effect());
    taulu_info("mqtt", "%d", side_effect());
    assert_int_equal(formatted, 1);
    assert_int_equal(sink_calls, 1);
    taulu_err("mqtt", "broken %d", side_effect());
    assert_int_equal(formatted, 2);
    assert_int_equal(sink_calls, 2);
    assert_int_equal(sink_level, TAULU_LOG_ERR);
    assert_string_equal(sink_msg, "broken 42");

    taulu_log_threshold = TAULU_LOG_DEBUG;
    taulu_debug("x", "d%d", side_effect());
    assert_int_equal(formatted, 3);
    assert_int_equal(sink_calls, 3);
    assert_int_equal(sink_level, TAULU_LOG_DEBUG);
    assert_string_equal(sink_msg, "d42");
}

/* The threshold is written by the thread that handles SIGHUP while other
 * threads read it: it must stay an atomic int, and a lock-free one, so the
 * level check stays a plain load. */
static void test_threshold_is_atomic(void **state)
{
    (void)state;
    assert_true(_Generic(&taulu_log_threshold, _Atomic int * : 1, default : 0));
    assert_true(atomic_is_lock_free(&taulu_log_threshold));
}

/* A direct call obeys the threshold too. */
static void test_write_checks_threshold(void **state)
{
    (void)state;
    taulu_log_write(TAULU_LOG_DEBUG, "t", "dropped");
    assert_int_equal(sink_calls, 0);
    taulu_log_write(TAULU_LOG_NOTICE, "t", "kept");
    assert_int_equal(sink_calls, 1);
    assert_string_equal(sink_msg, "kept");
    /* Out-of-range levels are clamped to 0..7. */
    taulu_log_write(-5, "t", "low");
    assert_int_equal(sink_level, 0);
    taulu_log_threshold = 7;
    taulu_log_write(99, "t", "high");
    assert_int_equal(sink_level, 7);
}

static void test_control_characters_scrubbed(void **state)
{
    (void)state;
    taulu_info("t", "a\nb\rc\td\x1b[31me\x7f%s", "\nforged: line");
    assert_string_equal(sink_msg, "a b c d [31me  forged: line");
    /* UTF-8 text is left alone. */
    taulu_info("t", "%s", "Hyv\xc3\xa4\xc3\xa4 p\xc3\xa4iv\xc3\xa4\xc3\xa4");
    assert_string_equal(sink_msg,
                        "Hyv\xc3\xa4\xc3\xa4 p\xc3\xa4iv\xc3\xa4\xc3\xa4");
}

static void test_long_message_truncated(void **state)
{
    char big[3000];
    size_t len;

    (void)state;
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    taulu_info("t", "%s", big);
    len = strlen(sink_msg);
    assert_int_equal(len, 1023);
    assert_string_equal(sink_msg + len - 3, "...");
    assert_int_equal(sink_msg[len - 4], 'x');

    /* The cut does not split a UTF-8 sequence. */
    memset(big, 'x', sizeof big - 1);
    memcpy(big + 1019, "\xe2\x82\xac", 3); /* bytes 1019..1021 */
    taulu_info("t", "%s", big);
    len = strlen(sink_msg);
    assert_int_equal(len, 1022);
    assert_string_equal(sink_msg + 1019, "...");
}

static void test_level_names(void **state)
{
    (void)state;
    assert_int_equal(taulu_log_level_from_name("emerg"), 0);
    assert_int_equal(taulu_log_level_from_name("alert"), 1);
    assert_int_equal(taulu_log_level_from_name("crit"), 2);
    assert_int_equal(taulu_log_level_from_name("err"), TAULU_LOG_ERR);
    assert_int_equal(taulu_log_level_from_name("error"), TAULU_LOG_ERR);
    assert_int_equal(taulu_log_level_from_name("warning"), TAULU_LOG_WARNING);
    assert_int_equal(taulu_log_level_from_name("warn"), TAULU_LOG_WARNING);
    assert_int_equal(taulu_log_level_from_name("notice"), TAULU_LOG_NOTICE);
    assert_int_equal(taulu_log_level_from_name("info"), TAULU_LOG_INFO);
    assert_int_equal(taulu_log_level_from_name("DEBUG"), TAULU_LOG_DEBUG);
    assert_int_equal(taulu_log_level_from_name("Info"), TAULU_LOG_INFO);
    assert_int_equal(taulu_log_level_from_name("0"), 0);
    assert_int_equal(taulu_log_level_from_name("7"), 7);
    assert_int_equal(taulu_log_level_from_name("8"), -1);
    assert_int_equal(taulu_log_level_from_name("77"), -1);
    assert_int_equal(taulu_log_level_from_name("-1"), -1);
    assert_int_equal(taulu_log_level_from_name(""), -1);
    assert_int_equal(taulu_log_level_from_name("infos"), -1);
    assert_int_equal(taulu_log_level_from_name(" info"), -1);
    assert_int_equal(taulu_log_level_from_name(NULL), -1);
}

/* Runs one log call with stderr sent to a file; returns what was written. */
static void capture_stderr(char *out, size_t size, const char *tag,
                           const char *msg)
{
    char path[] = "/tmp/taulu-log-XXXXXX";
    int fd = mkstemp(path);
    int saved;
    ssize_t n;

    assert_true(fd >= 0);
    fflush(stderr);
    saved = dup(2);
    assert_true(saved >= 0);
    assert_int_equal(dup2(fd, 2), 2);
    taulu_log_set_sink(NULL, NULL);
    taulu_info(tag, "%s", msg);
    fflush(stderr);
    assert_int_equal(dup2(saved, 2), 2);
    close(saved);
    taulu_log_set_sink(sink, &sink_calls);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    n = read(fd, out, size - 1);
    assert_true(n >= 0);
    out[n] = '\0';
    close(fd);
    unlink(path);
}

static void test_stderr_lines(void **state)
{
    char out[4096], tag[400];
    const char *old = getenv("JOURNAL_STREAM");
    char *saved = old ? strdup(old) : NULL;

    (void)state;
    setenv("JOURNAL_STREAM", "8:1234", 1);
    capture_stderr(out, sizeof out, "mqtt", "connected");
    assert_string_equal(out, "<6>mqtt: connected\n");

    unsetenv("JOURNAL_STREAM");
    capture_stderr(out, sizeof out, "mqtt", "connected");
    /* "2026-11-22T10:00:00Z info mqtt: connected\n" */
    assert_int_equal(strlen(out), 20 + 1 + strlen("info mqtt: connected\n"));
    assert_int_equal(out[4], '-');
    assert_int_equal(out[10], 'T');
    assert_int_equal(out[19], 'Z');
    assert_string_equal(out + 20, " info mqtt: connected\n");
    /* The stamp is now, in the RFC 3339 form of taulu_time. */
    {
        char stamp[TAULU_ISO_LEN];
        int64_t t = 0, now = taulu_now();

        memcpy(stamp, out, 20);
        stamp[20] = '\0';
        assert_int_equal(taulu_time_parse_iso(stamp, &t), 0);
        assert_true(t <= now && t >= now - 5);
    }

    /* A tag long enough to push the newline out of the line buffer: the
     * line must still end with exactly one newline. */
    memset(tag, 't', sizeof tag - 1);
    tag[sizeof tag - 1] = '\0';
    {
        char msg[1100];
        memset(msg, 'm', sizeof msg - 1);
        msg[sizeof msg - 1] = '\0';
        setenv("JOURNAL_STREAM", "8:1234", 1);
        capture_stderr(out, sizeof out, tag, msg);
    }
    assert_int_equal(out[strlen(out) - 1], '\n');
    assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
    assert_memory_equal(out, "<6>ttt", 6);

    if (saved) {
        setenv("JOURNAL_STREAM", saved, 1);
        free(saved);
    } else {
        unsetenv("JOURNAL_STREAM");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_threshold_before_formatting, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_write_checks_threshold, setup,
                                        teardown),
        cmocka_unit_test(test_threshold_is_atomic),
        cmocka_unit_test_setup_teardown(test_control_characters_scrubbed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_long_message_truncated, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_level_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stderr_lines, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
