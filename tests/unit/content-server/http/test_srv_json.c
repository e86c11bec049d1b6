/*
 * test_srv_json.c: strict reading of request bodies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <setjmp.h>
#include <cmocka.h>

#include "srv_json.h"

static int parse(const char *s, cJSON **out, struct srv_verr *e)
{
    return srv_json_parse(s, strlen(s), 8, out, e);
}

static void parse_rules(void **state)
{
    struct srv_verr e;
    cJSON *j = NULL;
    char deep[64];

    (void)state;
    assert_int_equal(parse("{\"a\":1}", &j, &e), 0);
    cJSON_Delete(j);
    assert_int_equal(parse("{\"a\":", &j, &e), -1);
    assert_string_equal(e.code, "bad_json");
    assert_int_equal(parse("{} {}", &j, &e), -1);
    assert_string_equal(e.code, "bad_json");
    assert_int_equal(parse("[1]", &j, &e), -1);
    assert_string_equal(e.code, "not_object");
    assert_int_equal(parse("{\"a\":\"\xc3\"}", &j, &e), -1);
    assert_string_equal(e.code, "invalid_utf8");
    assert_int_equal(parse("{\"a\":\"x\\u0000\"}", &j, &e), -1);
    assert_string_equal(e.code, "control_chars");
    /* An escaped backslash before "u0000" is just text. */
    assert_int_equal(parse("{\"a\":\"x\\\\u0000\"}", &j, &e), 0);
    cJSON_Delete(j);
    /* Brackets inside strings do not count as depth. */
    assert_int_equal(parse("{\"a\":\"[[[[[[[[[[[[\"}", &j, &e), 0);
    cJSON_Delete(j);
    memset(deep, '[', 20);
    memcpy(deep, "{\"a\":", 5);
    deep[20] = '\0';
    assert_int_equal(parse(deep, &j, &e), -1);
    assert_string_equal(e.code, "too_deep");
    assert_int_equal(srv_json_parse("{\"a\":1}\0x", 9, 8, &j, &e), -1);
    assert_string_equal(e.code, "control_chars");
}

static void fields(void **state)
{
    static const char *const keys[] = {"s", "n", "b", "t", "ids", "e", NULL};
    static const char *const vals[] = {"x", "y", NULL};
    struct srv_verr e;
    struct srv_pool p;
    struct srv_ids ids;
    cJSON *j;
    const char *s;
    int64_t n = 7, t = 0;
    bool b = false;

    (void)state;
    srv_pool_init(&p);
    assert_int_equal(
        parse("{\"s\":\"Hyvää päivää\",\"n\":42,\"b\":true,"
              "\"t\":\"2026-12-01T14:00:00+02:00\",\"ids\":[3,1],\"e\":\"y\"}",
              &j, &e),
        0);
    assert_int_equal(srv_json_keys(j, keys, "", &e), 0);
    /* Lengths are code points: 12 characters, 16 bytes. */
    assert_int_equal(srv_json_str(j, "s", true, 1, 12, "", "", &s, &e), 0);
    assert_string_equal(s, "Hyvää päivää");
    assert_int_equal(srv_json_str(j, "s", true, 1, 11, "", "", &s, &e), -1);
    assert_string_equal(e.code, "too_long");
    assert_int_equal(srv_json_int(j, "n", true, 1, 100, "", &n, &e), 0);
    assert_int_equal(n, 42);
    assert_int_equal(srv_json_int(j, "n", true, 1, 10, "x", &n, &e), -1);
    assert_string_equal(e.code, "out_of_range");
    assert_string_equal(e.field, "x.n");
    assert_int_equal(srv_json_bool(j, "b", true, "", &b, &e), 0);
    assert_true(b);
    assert_int_equal(srv_json_time(j, "t", true, "", &t, &e), 0);
    assert_int_equal(t, 1796126400); /* 2026-12-01T12:00:00Z */
    assert_int_equal(srv_json_ids(j, "ids", true, 1, 5, &p, "", &ids, &e), 0);
    assert_int_equal(ids.n, 2);
    assert_int_equal(ids.v[0], 3);
    assert_int_equal(srv_json_enum(j, "e", true, vals, "", &s, &e), 0);
    assert_string_equal(s, "y");
    /* Wrong types. */
    assert_int_equal(srv_json_str(j, "n", true, 0, 9, "", "", &s, &e), -1);
    assert_string_equal(e.code, "wrong_type");
    assert_int_equal(srv_json_int(j, "s", true, 0, 9, "", &n, &e), -1);
    assert_string_equal(e.code, "wrong_type");
    assert_int_equal(srv_json_bool(j, "n", true, "", &b, &e), -1);
    assert_string_equal(e.code, "wrong_type");
    /* Missing: required fails, optional leaves defaults. */
    assert_int_equal(srv_json_str(j, "zz", true, 0, 9, "", "", &s, &e), -1);
    assert_string_equal(e.code, "missing_field");
    assert_string_equal(e.field, "zz");
    n = 5;
    assert_int_equal(srv_json_int(j, "zz", false, 0, 9, "", &n, &e), 0);
    assert_int_equal(n, 5);
    cJSON_Delete(j);

    assert_int_equal(parse("{\"s\":\"a\",\"s\":\"b\"}", &j, &e), 0);
    assert_int_equal(srv_json_keys(j, keys, "", &e), -1);
    assert_string_equal(e.code, "duplicate_field");
    cJSON_Delete(j);
    assert_int_equal(parse("{\"q\":1}", &j, &e), 0);
    assert_int_equal(srv_json_keys(j, keys, "p", &e), -1);
    assert_string_equal(e.code, "unknown_field");
    assert_string_equal(e.field, "p.q");
    cJSON_Delete(j);
    assert_int_equal(
        parse("{\"s\":\"a\\nb\",\"n\":1.5,\"ids\":[1,1],\"t\":\"2026-02-30T"
              "00:00:00Z\"}",
              &j, &e),
        0);
    assert_int_equal(srv_json_str(j, "s", true, 0, 9, "", "", &s, &e), -1);
    assert_string_equal(e.code, "control_chars");
    assert_int_equal(srv_json_str(j, "s", true, 0, 9, "\n", "", &s, &e), 0);
    assert_int_equal(srv_json_int(j, "n", true, 0, 9, "", &n, &e), -1);
    assert_string_equal(e.code, "wrong_type");
    assert_int_equal(srv_json_ids(j, "ids", true, 1, 5, &p, "", &ids, &e), -1);
    assert_string_equal(e.code, "duplicate_value");
    assert_int_equal(srv_json_time(j, "t", true, "", &t, &e), -1);
    assert_string_equal(e.code, "invalid_time");
    cJSON_Delete(j);
    srv_pool_release(&p);
}

static void path_ids(void **state)
{
    int64_t v;

    (void)state;
    assert_int_equal(srv_parse_id("42", 2, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(srv_parse_id("042", 3, &v), -1);
    assert_int_equal(srv_parse_id("0", 1, &v), -1);
    assert_int_equal(srv_parse_id("-1", 2, &v), -1);
    assert_int_equal(srv_parse_id("1a", 2, &v), -1);
    assert_int_equal(srv_parse_id("", 0, &v), -1);
    assert_int_equal(srv_parse_id("1234567890123456", 16, &v), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_rules),
        cmocka_unit_test(fields),
        cmocka_unit_test(path_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
