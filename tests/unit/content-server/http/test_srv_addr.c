/*
 * test_srv_addr.c: client addresses, their groups (IPv6 by /64), trusted
 * proxy lists and X-Forwarded-For's last entry.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <setjmp.h>
#include <cmocka.h>

#include "srv_addr.h"
#include "taulu_err.h"

static void group_of(const char *ip, const char *want)
{
    struct srv_addr a;
    char g[SRV_ADDR_TEXT];

    assert_int_equal(srv_addr_parse(ip, &a), 0);
    srv_addr_group_text(&a, g);
    assert_string_equal(g, want);
}

static void groups(void **state)
{
    struct srv_addr a, b;
    uint8_t ka[12], kb[12];

    (void)state;
    group_of("192.0.2.7", "192.0.2.7");
    group_of("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64");
    group_of("2001:db8:1:2::1", "2001:db8:1:2::/64");
    /* a dual-stack socket's IPv4 client is the IPv4 address */
    group_of("::ffff:198.51.100.3", "198.51.100.3");
    /* the same /64: the same key; another /64 or IPv4: another */
    assert_int_equal(srv_addr_parse("2001:db8:1:2::1", &a), 0);
    assert_int_equal(srv_addr_parse("2001:db8:1:2:ffff::9", &b), 0);
    srv_addr_group_key(&a, ka);
    srv_addr_group_key(&b, kb);
    assert_memory_equal(ka, kb, 12);
    assert_int_equal(srv_addr_parse("2001:db8:1:3::1", &b), 0);
    srv_addr_group_key(&b, kb);
    assert_memory_not_equal(ka, kb, 12);
    assert_int_equal(srv_addr_parse("0.0.0.0", &b), 0);
    srv_addr_group_key(&b, kb);
    assert_memory_not_equal(ka, kb, 12);
    /* not numeric: refused */
    assert_int_equal(srv_addr_parse("localhost", &a), TAULU_EPARSE);
    assert_int_equal(srv_addr_parse("", &a), TAULU_EPARSE);
    assert_int_equal(srv_addr_parse("1.2.3.4:80", &a), TAULU_EPARSE);
}

static void from_sockaddr_and_loopback(void **state)
{
    struct sockaddr_in in;
    struct sockaddr_in6 in6;
    struct srv_addr a;
    char t[SRV_ADDR_TEXT];

    (void)state;
    memset(&in, 0, sizeof in);
    in.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.3", &in.sin_addr);
    assert_int_equal(srv_addr_from_sockaddr((struct sockaddr *)&in, &a), 0);
    srv_addr_format(&a, t);
    assert_string_equal(t, "127.0.0.3");
    assert_true(srv_addr_is_loopback(&a));
    memset(&in6, 0, sizeof in6);
    in6.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "::ffff:10.1.2.3", &in6.sin6_addr);
    assert_int_equal(srv_addr_from_sockaddr((struct sockaddr *)&in6, &a), 0);
    srv_addr_format(&a, t);
    assert_string_equal(t, "10.1.2.3");
    assert_false(srv_addr_is_loopback(&a));
    inet_pton(AF_INET6, "::1", &in6.sin6_addr);
    assert_int_equal(srv_addr_from_sockaddr((struct sockaddr *)&in6, &a), 0);
    assert_true(srv_addr_is_loopback(&a));
    assert_int_equal(srv_addr_from_sockaddr(NULL, &a), TAULU_EPARSE);
}

static void proxy_lists(void **state)
{
    struct srv_addr list[SRV_ADDR_MAX_PROXY], a;
    size_t n;

    (void)state;
    assert_int_equal(srv_addr_list_parse("", list, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(srv_addr_list_parse(" 127.0.0.1,::1 , 10.0.0.5", list, &n),
                     0);
    assert_int_equal(n, 3);
    assert_int_equal(srv_addr_parse("::1", &a), 0);
    assert_true(srv_addr_in_list(&a, list, n));
    assert_int_equal(srv_addr_parse("10.0.0.6", &a), 0);
    assert_false(srv_addr_in_list(&a, list, n));
    assert_int_equal(srv_addr_list_parse("127.0.0.1, proxy", list, &n),
                     TAULU_EPARSE);
    assert_int_equal(srv_addr_list_parse("1.1.1.1 2.2.2.2 3.3.3.3 4.4.4.4 "
                                         "5.5.5.5 6.6.6.6 7.7.7.7 8.8.8.8 "
                                         "9.9.9.9",
                                         list, &n),
                     TAULU_EPARSE);
}

static void forwarded_for_last(const char *value, const char *want)
{
    struct srv_addr a;
    char t[SRV_ADDR_TEXT];

    if (!want) {
        assert_int_equal(srv_addr_forwarded_for(value, &a), TAULU_EPARSE);
        return;
    }
    assert_int_equal(srv_addr_forwarded_for(value, &a), 0);
    srv_addr_format(&a, t);
    assert_string_equal(t, want);
}

static void forwarded_for(void **state)
{
    (void)state;
    forwarded_for_last("203.0.113.9", "203.0.113.9");
    /* what the client sent comes first; the proxy's own entry last */
    forwarded_for_last("6.6.6.6, 203.0.113.9", "203.0.113.9");
    forwarded_for_last("6.6.6.6,203.0.113.9  ", "203.0.113.9");
    forwarded_for_last("2001:db8::7", "2001:db8::7");
    forwarded_for_last("[2001:db8::7]:4711", "2001:db8::7");
    forwarded_for_last("203.0.113.9:4711", "203.0.113.9");
    forwarded_for_last("::ffff:203.0.113.9", "203.0.113.9");
    forwarded_for_last("203.0.113.9, unknown", NULL);
    forwarded_for_last("", NULL);
    forwarded_for_last(NULL, NULL);
    forwarded_for_last("[2001:db8::7", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(groups),
        cmocka_unit_test(from_sockaddr_and_loopback),
        cmocka_unit_test(proxy_lists),
        cmocka_unit_test(forwarded_for),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
