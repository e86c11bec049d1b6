/*
 * test_srv_fetch.c: what the importers' fetch may reach (a user gives the
 * address): https only, no credentials; no loopback, private,
 * link-local, carrier-grade NAT, multicast, documentation or reserved
 * addresses, also not in their IPv4-mapped IPv6 forms; the tests'
 * loopback setting opens loopback and http only. The refusal of an
 * address at connect time is tested against a real server in
 * tests/integration/test_srv_import.c.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "srv_fetch.h"
#include "taulu_err.h"

static bool ok(const char *addr, bool loopback)
{
    struct sockaddr_storage ss;

    memset(&ss, 0, sizeof ss);
    if (strchr(addr, ':')) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        assert_int_equal(inet_pton(AF_INET6, addr, &a->sin6_addr), 1);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        assert_int_equal(inet_pton(AF_INET, addr, &a->sin_addr), 1);
    }
    return srv_fetch_addr_ok((struct sockaddr *)&ss, loopback);
}

static void test_addresses(void **state)
{
    static const char *const denied[] = {
        "127.0.0.1",
        "127.255.0.9",
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.2.5",
        "198.18.0.1",
        "::1",
        "::",
        "fe80::1",
        "fd00::1",
        "fc00::5",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "2001:db8::1",
        "64:ff9b::a00:1",
        "2002:a00:1::1",
    };
    static const char *const allowed[] = {
        "193.166.3.2",        "8.8.8.8", "172.32.0.1", "2a00:1450:4010::1",
        "::ffff:193.166.3.2",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof denied / sizeof denied[0]; i++) {
        if (ok(denied[i], false)) {
            fail_msg("%s should be refused", denied[i]);
        }
    }
    for (i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
        if (!ok(allowed[i], false)) {
            fail_msg("%s should be allowed", allowed[i]);
        }
    }
    /* The tests' setting opens loopback and nothing else. */
    assert_true(ok("127.0.0.1", true));
    assert_true(ok("::1", true));
    assert_true(ok("::ffff:127.0.0.1", true));
    assert_false(ok("10.1.2.3", true));
    assert_false(ok("169.254.169.254", true));
    assert_false(srv_fetch_addr_ok(NULL, true));
}

static void test_urls(void **state)
{
    char err[200];

    (void)state;
    assert_int_equal(srv_fetch_url_ok("https://api.hel.fi/linkedevents/v1/"
                                      "event/?publisher=espoo",
                                      false, err, sizeof err),
                     0);
    assert_int_equal(srv_fetch_url_ok("http://feeds.example.fi/a.ics", false,
                                      err, sizeof err),
                     TAULU_EINVAL);
    assert_non_null(strstr(err, "https"));
    assert_int_equal(
        srv_fetch_url_ok("http://127.0.0.1:8000/a.ics", true, err, sizeof err),
        0);
    assert_int_equal(
        srv_fetch_url_ok("https://user:pw@a.fi/x", false, err, sizeof err),
        TAULU_EINVAL);
    assert_int_equal(
        srv_fetch_url_ok("file:///etc/passwd", true, err, sizeof err),
        TAULU_EINVAL);
    assert_int_equal(srv_fetch_url_ok("gopher://a.fi/", true, err, sizeof err),
                     TAULU_EINVAL);
    assert_int_equal(srv_fetch_url_ok("https:///x", false, err, sizeof err),
                     TAULU_EINVAL);
    assert_int_equal(
        srv_fetch_url_ok("https://a.fi/x y", false, err, sizeof err),
        TAULU_EINVAL);
    assert_int_equal(srv_fetch_url_ok("", false, err, sizeof err),
                     TAULU_EINVAL);
}

/* A URL that is refused before any connection. */
static void test_fetch_refuses_before_connecting(void **state)
{
    struct srv_fetch_opts o;
    struct srv_fetch_result r;
    char err[300];

    (void)state;
    memset(&o, 0, sizeof o);
    o.max_bytes = 1024;
    o.timeout_s = 2;
    o.connect_timeout_s = 2;
    assert_int_equal(srv_fetch("http://127.0.0.1:9/x", &o, &r, err, sizeof err),
                     TAULU_EINVAL);
    taulu_buf_release(&r.body);
    /* https to a loopback literal: the address check, at connect time. */
    assert_int_equal(
        srv_fetch("https://127.0.0.1:9/x", &o, &r, err, sizeof err),
        TAULU_EINVAL);
    assert_non_null(strstr(err, "127.0.0.1"));
    taulu_buf_release(&r.body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_fetch_refuses_before_connecting),
    };
    srv_fetch_global_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
