/*
 * test_srv_time.c: RFC 3339 instants at the API edge.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <setjmp.h>
#include <cmocka.h>

#include "srv_time.h"

static void parse_and_format(void **state)
{
    int64_t t;
    char buf[SRV_ISO_LEN];

    (void)state;
    assert_int_equal(srv_time_parse_iso("2026-12-01T14:00:00+02:00", &t), 0);
    assert_int_equal(t, 1796126400);
    srv_time_format_iso(t, buf);
    assert_string_equal(buf, "2026-12-01T12:00:00Z");
    assert_int_equal(srv_time_parse_iso("1970-01-01T00:00:00Z", &t), 0);
    assert_int_equal(t, 0);
    assert_int_equal(srv_time_parse_iso("2024-02-29T23:59:59-03:30", &t), 0);
    srv_time_format_iso(t, buf);
    assert_string_equal(buf, "2024-03-01T03:29:59Z");
    assert_int_not_equal(srv_time_parse_iso("2025-02-29T00:00:00Z", &t), 0);
    assert_int_not_equal(srv_time_parse_iso("2026-12-01 14:00:00Z", &t), 0);
    assert_int_not_equal(srv_time_parse_iso("2026-12-01T14:00:00", &t), 0);
    assert_int_not_equal(srv_time_parse_iso("2026-12-01T24:00:00Z", &t), 0);
    assert_int_not_equal(srv_time_parse_iso("2026-12-01T14:00:00z", &t), 0);
    assert_int_not_equal(srv_time_parse_iso("2026-12-01T14:00:00.5Z", &t), 0);
    assert_int_not_equal(srv_time_parse_iso("+026-12-01T14:00:00Z", &t), 0);
    assert_int_not_equal(srv_time_parse_iso(NULL, &t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_and_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
