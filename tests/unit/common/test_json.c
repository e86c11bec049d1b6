/*
 * test_json.c: the strict JSON edge: grammar corners cJSON alone would let
 * through, the limits, paths in messages, and string escaping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "taulu_err.h"
#include "taulu_json.h"

static const struct taulu_json_limits lim = {1024, 3, 4, 20};

static int parse(const char *s, struct taulu_buf *why)
{
    cJSON *root = NULL;
    int rc = taulu_json_parse(s, strlen(s), &lim, &root, why);

    if (rc == 0) {
        assert_non_null(root);
        cJSON_Delete(root);
    } else {
        assert_null(root);
    }
    return rc;
}

static void expect(const char *s, int code, const char *why_prefix)
{
    struct taulu_buf why;
    int rc;

    taulu_buf_init(&why, 1024);
    rc = parse(s, &why);
    if (rc != code ||
        (why_prefix && strncmp(why.data, why_prefix, strlen(why_prefix)))) {
        print_error("%s -> %d: %s\n", s, rc, why.data);
    }
    assert_int_equal(rc, code);
    if (why_prefix) {
        assert_memory_equal(why.data, why_prefix, strlen(why_prefix));
    }
    taulu_buf_release(&why);
}

static void test_grammar(void **state)
{
    (void)state;
    expect("{\"a\":[1,-0,0.5,-12.25,true,false,null,\"x\"]}", 0, NULL);
    expect(" \t\r\n{} \n", 0, NULL);
    expect("\"just a string\"", 0, NULL);
    expect("{\"a\":01}", TAULU_EPARSE, "a: leading zero");
    expect("{\"a\":+1}", TAULU_EPARSE, "a:");
    expect("{\"a\":.5}", TAULU_EPARSE, "a:");
    expect("{\"a\":1.}", TAULU_EPARSE, "a:");
    expect("{\"a\":1e5}", TAULU_EPARSE, "a: exponent");
    expect("{\"a\":-}", TAULU_EPARSE, "a:");
    expect("{\"a\":NaN}", TAULU_EPARSE, "a:");
    expect("{\"a\":1,}", TAULU_EPARSE, "json: expected member");
    expect("{\"a\" 1}", TAULU_EPARSE, "a:");
    expect("{a:1}", TAULU_EPARSE, "json:");
    expect("[1 2]", TAULU_EPARSE, "[0]:");
    expect("{} {}", TAULU_EPARSE, "json: bytes after");
    expect("{\"a\":\"\\q\"}", TAULU_EPARSE, "a: invalid escape");
    expect("{\"a\":\"\\u12G4\"}", TAULU_EPARSE, "a:");
    expect("{\"a\":\"x", TAULU_EPARSE, "a: unterminated");
    expect("{\"a\":\"\t\"}", TAULU_EUTF8, "a: control character");
    expect("{\"a\":\"\\u0000\"}", TAULU_EUTF8, "a:");
    expect("{\"a\":\"\xc3\"}", TAULU_EUTF8, "a: invalid UTF-8");
    expect("{\"\xff\":1}", TAULU_EUTF8, "json:");
    expect("\xc3\xa4", TAULU_EPARSE, "json:");
    expect("{\"a\":1.23456789012345}", 0, NULL);
    expect("{\"a\":1.234567890123456}", TAULU_ELIMIT, "a:");
    expect("{\"a\":0.000000000000000000001}", 0, NULL);
    expect("{\"a\":123456789012345678901234567890123}", TAULU_ELIMIT, "a:");
    expect("{\"a\":{\"b\":1,\"a\":2,\"b\":3}}", TAULU_EPARSE, "a.b: duplicate");
    expect("[{\"k\":1},{\"k\":1,\"k\":1}]", TAULU_EPARSE, "[1].k:");
}

static void test_limits(void **state)
{
    (void)state;
    /* depth 3 */
    expect("[[[1]]]", 0, NULL);
    expect("[[[[1]]]]", TAULU_ELIMIT, "[0][0][0]: nested");
    expect("{\"a\":{\"b\":{\"c\":{}}}}", TAULU_ELIMIT, "a.b.c: nested");
    /* 4 members */
    expect("{\"a\":1,\"b\":2,\"c\":3,\"d\":4}", 0, NULL);
    expect("{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5}", TAULU_ELIMIT,
           "json: too many members");
    /* 20 values, the array included */
    expect("[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19]", 0, NULL);
    expect("[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]", TAULU_ELIMIT,
           "[19]: too many values");
    /* bytes */
    {
        char *big = malloc(1026);
        memset(big, ' ', 1025);
        big[0] = '1';
        big[1025] = '\0';
        expect(big, TAULU_ELIMIT, "json: too big");
        big[1024] = '\0';
        expect(big, 0, NULL);
        free(big);
    }
}

static void test_getters(void **state)
{
    cJSON *root = NULL;
    struct taulu_json_path p;
    struct taulu_buf why;
    const char *s = NULL;
    int64_t i = 0;
    double d = 0;
    bool b = false;
    const cJSON *o = NULL;
    size_t n = 0, mark;
    const char *doc = "{\"s\":\"a\\nb\",\"i\":9007199254740991,\"f\":2.5,"
                      "\"b\":true,\"o\":{},\"arr\":[1,2]}";

    (void)state;
    taulu_buf_init(&why, 1024);
    assert_int_equal(
        taulu_json_parse(doc, strlen(doc),
                         &(struct taulu_json_limits){1024, 2, 8, 64}, &root,
                         &why),
        0);
    taulu_json_path_init(&p);
    mark = taulu_json_path_push_key(&p, "cards");
    taulu_json_path_push_index(&p, 3);
    assert_string_equal(p.s, "cards[3]");
    assert_int_equal(
        taulu_json_get_string(root, "s", true, 0, 10, "\n", &s, &p, &why), 0);
    assert_string_equal(s, "a\nb");
    assert_int_equal(
        taulu_json_get_string(root, "s", true, 0, 10, "", &s, &p, &why),
        TAULU_EUTF8);
    assert_string_equal(why.data, "cards[3].s: control character");
    taulu_buf_reset(&why);
    assert_int_equal(
        taulu_json_get_string(root, "s", true, 0, 2, NULL, &s, &p, &why),
        TAULU_ELIMIT);
    assert_string_equal(why.data, "cards[3].s: too long (3 > 2 bytes)");
    taulu_json_path_pop(&p, mark);
    assert_string_equal(p.s, "");
    taulu_buf_reset(&why);
    assert_int_equal(
        taulu_json_get_string(root, "zz", false, 0, 2, NULL, &s, &p, &why), 1);
    assert_int_equal(
        taulu_json_get_string(root, "zz", true, 0, 2, NULL, &s, &p, &why),
        TAULU_EMISSING);
    assert_string_equal(why.data, "zz: missing");
    assert_int_equal(taulu_json_get_int(root, "i", true, 0, 9007199254740991LL,
                                        &i, &p, NULL),
                     0);
    assert_int_equal(i, 9007199254740991LL);
    assert_int_equal(taulu_json_get_int(root, "i", true, 0, 10, &i, &p, NULL),
                     TAULU_EVALUE);
    assert_int_equal(taulu_json_get_int(root, "f", true, 0, 10, &i, &p, NULL),
                     TAULU_ETYPE);
    assert_int_equal(taulu_json_get_int(root, "s", true, 0, 10, &i, &p, NULL),
                     TAULU_ETYPE);
    assert_int_equal(taulu_json_get_number(root, "f", true, 0, 3, &d, &p, NULL),
                     0);
    assert_true(d == 2.5);
    assert_int_equal(taulu_json_get_number(root, "f", true, 0, 2, &d, &p, NULL),
                     TAULU_EVALUE);
    assert_int_equal(taulu_json_get_bool(root, "b", true, &b, &p, NULL), 0);
    assert_true(b);
    assert_int_equal(taulu_json_get_bool(root, "i", true, &b, &p, NULL),
                     TAULU_ETYPE);
    assert_int_equal(taulu_json_get_object(root, "o", true, &o, &p, NULL), 0);
    assert_int_equal(taulu_json_get_object(root, "arr", true, &o, &p, NULL),
                     TAULU_ETYPE);
    assert_int_equal(
        taulu_json_get_array(root, "arr", true, 0, 2, &o, &n, &p, NULL), 0);
    assert_int_equal(n, 2);
    assert_int_equal(
        taulu_json_get_array(root, "arr", true, 0, 1, &o, &n, &p, NULL),
        TAULU_ELIMIT);
    assert_int_equal(
        taulu_json_get_array(root, "arr", true, 3, 9, &o, &n, &p, NULL),
        TAULU_EVALUE);
    cJSON_Delete(root);
    taulu_buf_release(&why);
}

static void test_put_string(void **state)
{
    struct taulu_buf b;

    (void)state;
    taulu_buf_init(&b, 1024);
    assert_int_equal(taulu_json_put_string(&b, "a\"b\\c\n\r\t\x01\x1f/ä€\x7f"),
                     0);
    assert_string_equal(b.data,
                        "\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u001f/ä€\x7f\"");
    taulu_buf_reset(&b);
    assert_int_equal(taulu_json_put_key(&b, "k"), 0);
    assert_string_equal(b.data, "\"k\":");
    taulu_buf_release(&b);
    /* a full buffer leaves nothing half-written */
    taulu_buf_init(&b, 5);
    assert_int_equal(taulu_buf_puts(&b, "ab"), 0);
    assert_int_equal(taulu_json_put_string(&b, "long string"), TAULU_ELIMIT);
    assert_string_equal(b.data, "ab");
    taulu_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grammar),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_getters),
        cmocka_unit_test(test_put_string),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
