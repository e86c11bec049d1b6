/*
 * test_player_netlib.c: libcurl and libmosquitto are not loaded when a
 * program linked with the sync library starts (the player's first frame
 * does not wait for them), and once asked for, their tables work.
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "player_netlib.h"

static bool loaded(const char *soname)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_NOLOAD);

    if (h) {
        dlclose(h); /* drops only the reference RTLD_NOLOAD took */
    }
    return h != NULL;
}

/* First: nothing has asked for the libraries yet. */
static void test_not_loaded_at_start(void **state)
{
    (void)state;
    assert_false(loaded(PLAYER_LIBCURL_SONAME));
    assert_false(loaded(PLAYER_LIBMOSQUITTO_SONAME));
}

static void test_curl(void **state)
{
    const struct player_netlib_curl *cl = player_netlib_curl();
    struct curl_slist *h;
    CURL *c;

    (void)state;
    assert_non_null(cl);
    assert_ptr_equal(player_netlib_curl(), cl);
    assert_true(loaded(PLAYER_LIBCURL_SONAME));
    assert_false(loaded(PLAYER_LIBMOSQUITTO_SONAME));
    assert_int_equal(cl->global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
    c = cl->easy_init();
    assert_non_null(c);
    /* the variadic ones through the table */
    assert_int_equal(cl->easy_setopt(c, CURLOPT_URL, "http://127.0.0.1:1/"),
                     CURLE_OK);
    assert_int_equal(cl->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 1L), CURLE_OK);
    {
        long code = -1;

        assert_int_equal(cl->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code),
                         CURLE_OK);
        assert_int_equal(code, 0);
    }
    h = cl->slist_append(NULL, "X-Test: 1");
    assert_non_null(h);
    assert_string_equal(h->data, "X-Test: 1");
    cl->slist_free_all(h);
    cl->easy_reset(c);
    cl->easy_cleanup(c);
    assert_true(strlen(cl->easy_strerror(CURLE_COULDNT_CONNECT)) > 0);
}

static void test_mosquitto(void **state)
{
    const struct player_netlib_mosq *ml = player_netlib_mosq();
    struct mosquitto *m;

    (void)state;
    assert_non_null(ml);
    assert_ptr_equal(player_netlib_mosq(), ml);
    assert_true(loaded(PLAYER_LIBMOSQUITTO_SONAME));
    assert_int_equal(ml->lib_init(), MOSQ_ERR_SUCCESS);
    m = ml->new_client("netlib-test", true, NULL);
    assert_non_null(m);
    assert_int_equal(
        ml->int_option(m, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311),
        MOSQ_ERR_SUCCESS);
    assert_int_equal(ml->username_pw_set(m, "screen", "token"),
                     MOSQ_ERR_SUCCESS);
    ml->destroy(m);
    assert_true(strlen(ml->error_string(MOSQ_ERR_NO_CONN)) > 0);
    assert_true(strlen(ml->connack_string(5)) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_loaded_at_start),
        cmocka_unit_test(test_curl),
        cmocka_unit_test(test_mosquitto),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
