/*
 * test_notify.c: common/taulu_notify against a real AF_UNIX datagram
 * socket bound where $NOTIFY_SOCKET says, as systemd's would be: path and
 * abstract addresses, no socket, bad addresses, a socket nobody reads;
 * the watchdog's period from $WATCHDOG_USEC/$WATCHDOG_PID and its timing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "taulu_err.h"
#include "taulu_notify.h"

/* The socket path lives under /tmp: sun_path holds 108 bytes, less than a
 * build tree's path may take. */
static char dir[64];
static char path[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/taulu-notify-XXXXXX");
    if (!mkdtemp(dir)) {
        return -1;
    }
    snprintf(path, sizeof path, "%s/notify", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    rmdir(dir);
    unsetenv("NOTIFY_SOCKET");
    return 0;
}

/* A bound datagram socket at `addr` ("/path" or "@name"), reads time out
 * after 2 s. */
static int listener(const char *addr)
{
    struct sockaddr_un sa;
    struct timeval tv = {2, 0};
    socklen_t len;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    assert_true(fd >= 0);
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, addr, strlen(addr));
    if (addr[0] == '@') {
        sa.sun_path[0] = '\0';
        len =
            (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(addr));
    } else {
        len = (socklen_t)sizeof sa;
    }
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, len), 0);
    assert_int_equal(
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, (socklen_t)sizeof tv), 0);
    return fd;
}

/* The next datagram as a string ("" when none came). */
static void receive(int fd, char *buf, size_t size)
{
    ssize_t n = recv(fd, buf, size - 1, 0);

    buf[n > 0 ? n : 0] = '\0';
}

static void test_path_socket(void **state)
{
    char buf[256];
    int fd;

    (void)state;
    fd = listener(path);
    setenv("NOTIFY_SOCKET", path, 1);
    assert_int_equal(taulu_notify("READY=1\nSTATUS=serving on port 8080"), 0);
    receive(fd, buf, sizeof buf);
    assert_string_equal(buf, "READY=1\nSTATUS=serving on port 8080");
    assert_int_equal(taulu_notify("STOPPING=1"), 0);
    receive(fd, buf, sizeof buf);
    assert_string_equal(buf, "STOPPING=1");
    close(fd);
}

static void test_abstract_socket(void **state)
{
    char name[64], buf[64];
    int fd;

    (void)state;
    snprintf(name, sizeof name, "@taulu-notify-test-%ld", (long)getpid());
    fd = listener(name);
    setenv("NOTIFY_SOCKET", name, 1);
    assert_int_equal(taulu_notify("WATCHDOG=1"), 0);
    receive(fd, buf, sizeof buf);
    assert_string_equal(buf, "WATCHDOG=1");
    close(fd);
}

static void test_no_socket(void **state)
{
    (void)state;
    unsetenv("NOTIFY_SOCKET");
    assert_int_equal(taulu_notify("READY=1"), 0);
    setenv("NOTIFY_SOCKET", "", 1);
    assert_int_equal(taulu_notify("READY=1"), 0);
}

static void test_bad_address(void **state)
{
    char longpath[200];

    (void)state;
    setenv("NOTIFY_SOCKET", "relative/socket", 1);
    assert_int_equal(taulu_notify("READY=1"), TAULU_EINVAL);
    setenv("NOTIFY_SOCKET", "@", 1);
    assert_int_equal(taulu_notify("READY=1"), TAULU_EINVAL);
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[0] = '/';
    longpath[sizeof longpath - 1] = '\0';
    setenv("NOTIFY_SOCKET", longpath, 1);
    assert_int_equal(taulu_notify("READY=1"), TAULU_EINVAL);
    /* a path where nobody listens: the send fails and says so */
    setenv("NOTIFY_SOCKET", path, 1);
    unlink(path);
    assert_int_equal(taulu_notify("READY=1"), TAULU_EIO);
}

static void test_period(void **state)
{
    (void)state;
    assert_int_equal(taulu_watchdog_period_ms(NULL, NULL, 42), 0);
    assert_int_equal(taulu_watchdog_period_ms("", NULL, 42), 0);
    assert_int_equal(taulu_watchdog_period_ms("0", NULL, 42), 0);
    assert_int_equal(taulu_watchdog_period_ms("-5", NULL, 42), 0);
    assert_int_equal(taulu_watchdog_period_ms("30s", NULL, 42), 0);
    assert_int_equal(taulu_watchdog_period_ms("30000000", NULL, 42), 15000);
    assert_int_equal(taulu_watchdog_period_ms("30000000", "42", 42), 15000);
    /* inherited by another process: not ours to feed */
    assert_int_equal(taulu_watchdog_period_ms("30000000", "43", 42), 0);
    assert_int_equal(taulu_watchdog_period_ms("30000000", "x", 42), 0);
    assert_int_equal(taulu_watchdog_period_ms("1", NULL, 42), 1);
}

static void test_timing(void **state)
{
    struct taulu_watchdog w;
    char buf[64], usec[32], pid[32];
    int fd;

    (void)state;
    fd = listener(path);
    setenv("NOTIFY_SOCKET", path, 1);
    unsetenv("WATCHDOG_USEC");
    taulu_watchdog_init(&w, 1000);
    assert_int_equal(w.every_ms, 0);
    assert_int_equal(taulu_watchdog_wait_ms(&w, 1000, 60000), 60000);
    assert_false(taulu_watchdog_kick(&w, 1000));

    snprintf(usec, sizeof usec, "%d", 2000000);
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    setenv("WATCHDOG_USEC", usec, 1);
    setenv("WATCHDOG_PID", pid, 1);
    taulu_watchdog_init(&w, 1000);
    assert_int_equal(w.every_ms, 1000);
    /* the first is due at once */
    assert_int_equal(taulu_watchdog_wait_ms(&w, 1000, 60000), 0);
    assert_true(taulu_watchdog_kick(&w, 1000));
    receive(fd, buf, sizeof buf);
    assert_string_equal(buf, "WATCHDOG=1");
    /* then every half of the timeout, the sleep cut to it */
    assert_false(taulu_watchdog_due(&w, 1999));
    assert_false(taulu_watchdog_kick(&w, 1999));
    assert_int_equal(taulu_watchdog_wait_ms(&w, 1400, 60000), 600);
    assert_int_equal(taulu_watchdog_wait_ms(&w, 1400, 100), 100);
    assert_true(taulu_watchdog_kick(&w, 2100));
    receive(fd, buf, sizeof buf);
    assert_string_equal(buf, "WATCHDOG=1");
    assert_int_equal(taulu_watchdog_wait_ms(&w, 2100, 60000), 1000);
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_path_socket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abstract_socket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_socket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_address, setup, teardown),
        cmocka_unit_test(test_period),
        cmocka_unit_test_setup_teardown(test_timing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
