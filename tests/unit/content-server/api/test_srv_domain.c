/*
 * test_srv_domain.c: vocabularies and small validators.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "srv_domain.h"
#include "taulu_fields.h"

static void vocabularies(void **state)
{
    int n = 0;

    (void)state;
    /* The county's 30 municipalities, compiled in from data/. */
    assert_int_equal(srv_municipality_count, 30);
    assert_string_equal(srv_municipality_find("564")->name, "Oulu");
    assert_string_equal(srv_municipality_find("785")->name, "Vaala");
    assert_null(srv_municipality_find("091")); /* Helsinki: not ours */
    assert_null(srv_municipality_find(""));
    while (srv_categories[n]) {
        n++;
    }
    assert_int_equal(n, 10);
    assert_true(srv_in_list(srv_categories, "terveys-hyvinvointi"));
    assert_false(srv_in_list(srv_categories, "Terveys"));
    assert_true(srv_lang_valid("fi"));
    assert_true(srv_lang_valid("smn"));
    assert_false(srv_lang_valid("FI"));
    assert_false(srv_lang_valid("f"));
    assert_false(srv_lang_valid("fin-x"));
}

static void validators(void **state)
{
    (void)state;
    assert_true(srv_link_valid("https://muisti.example.fi/kahvila?x=1#a"));
    assert_true(srv_link_valid("http://example.fi"));
    assert_false(srv_link_valid("javascript:alert(1)"));
    assert_false(srv_link_valid("https://"));
    assert_false(srv_link_valid("https://user:pw@example.fi/"));
    assert_false(srv_link_valid("https://exa mple.fi/"));
    assert_false(srv_link_valid("https://example.fi/\"><script>"));
    assert_false(srv_link_valid("data:text/html,x"));
    /* Whatever the API takes, the manifest carries: its characters... */
    assert_false(srv_link_valid("https://example.fi/{x}"));
    assert_false(srv_link_valid("https://example.fi/a|b"));
    assert_false(srv_link_valid("https://example.fi/^`"));
    assert_false(srv_link_valid("https://example.fi/\xc3\xa4"));
    assert_true(srv_link_valid("https://example.fi/%C3%A4?a=[1]&b=(2)"));
    /* ...and its length (the manifest's 2,000, not 2,048) */
    {
        char link[TAULU_LINK_MAX_CHARS + 2];
        memcpy(link, "https://example.fi/", 19);
        memset(link + 19, 'a', sizeof(link) - 19);
        link[TAULU_LINK_MAX_CHARS] = '\0';
        assert_true(srv_link_valid(link));
        link[TAULU_LINK_MAX_CHARS] = 'a';
        link[TAULU_LINK_MAX_CHARS + 1] = '\0';
        assert_false(srv_link_valid(link));
    }
    assert_true(srv_email_valid("aino@muisti.fi"));
    assert_false(srv_email_valid("aino@"));
    assert_false(srv_email_valid("@muisti.fi"));
    assert_false(srv_email_valid("a b@c.fi"));
    assert_false(srv_email_valid("a@b@c.fi"));
    assert_int_equal(srv_hhmm("08:30"), 510);
    assert_int_equal(srv_hhmm("24:00"), 1440);
    assert_int_equal(srv_hhmm("24:01"), -1);
    assert_int_equal(srv_hhmm("8:30"), -1);
    assert_int_equal(srv_hhmm("08:60"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vocabularies),
        cmocka_unit_test(validators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
