/*
 * test_imp_item.c: an imported event as an item body, read back by the
 * API's own srv_item_read() (so what the importer makes is what a
 * submission could be): a one-off event, a series with its rule, an image
 * with its credit in the body, the hash that tells a change, and what
 * cannot be an item.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "imp_item.h"
#include "imp_test.h"
#include "srv_api.h"
#include "taulu_utf8.h"

static struct srv_pool pool;
static int64_t centre_ids[] = {3, 4};

static void source(struct srv_import_source *s)
{
    memset(s, 0, sizeof *s);
    s->id = 1;
    s->kind = "ical";
    s->org_id = 5;
    s->centres.v = centre_ids;
    s->centres.n = 2;
    s->category = "ihmissuhteet";
    s->lang = "fi";
}

static void event(struct imp_event *e)
{
    memset(e, 0, sizeof *e);
    e->ext_id = "x";
    e->free = 1;
    e->start = IMP_NOW + 2 * 86400;
    e->end = e->start + 7200;
    e->n_v = 2;
    memcpy(e->v[0].lang, "sv", 3);
    e->v[0].title = "Minneskafé";
    e->v[0].body = "Välkommen.";
    memcpy(e->v[1].lang, "fi", 3);
    e->v[1].title = "Muistikahvila";
    e->v[1].body = "Tervetuloa.";
    e->v[1].place = "Seurakuntatalo";
    e->link = "https://muisti.example.fi/";
}

/* The body as POST /items would read it: 0, or the failing field. */
static void read_as_api(cJSON *body, struct srv_item *it)
{
    struct srv_ids centres;
    struct srv_verr e;
    bool given;

    cJSON_AddNumberToObject(body, "organisation_id", 5);
    if (srv_item_read(body, true, IMP_NOW, &pool, it, &centres, &given, &e) !=
        0) {
        fail_msg("the API refuses it: %s %s", e.code, e.field);
    }
    assert_int_equal(centres.n, 2);
}

static void test_one_off(void **state)
{
    struct srv_import_source s;
    struct imp_event e;
    struct imp_skip why = {NULL, NULL};
    struct srv_item it;
    cJSON *b;

    (void)state;
    srv_pool_init(&pool);
    source(&s);
    event(&e);
    b = imp_item_body(&e, &s, IMP_NOW, NULL, &why);
    assert_non_null(b);
    read_as_api(b, &it);
    assert_string_equal(it.kind, "event");
    assert_string_equal(it.category, "ihmissuhteet");
    assert_int_equal(it.starts_at, e.start);
    assert_int_equal(it.display_until, e.end);
    assert_true(it.free_of_charge);
    assert_int_equal(it.n_texts, 2);
    /* Finnish first; not plain language (not known to be). */
    assert_string_equal(it.texts[0].lang, "fi");
    assert_false(it.texts[0].plain);
    assert_string_equal(it.texts[1].lang, "sv");
    assert_null(it.recurrence);
    cJSON_Delete(b);
    srv_pool_release(&pool);
}

static void test_series_and_image(void **state)
{
    struct srv_import_source s;
    struct imp_event e;
    struct imp_skip why = {NULL, NULL};
    struct srv_item it;
    char big[2100];
    cJSON *b;

    (void)state;
    srv_pool_init(&pool);
    source(&s);
    event(&e);
    e.series = true;
    e.rule.freq = TAULU_RECUR_WEEKLY;
    e.rule.interval = 1;
    e.rule.days[0].wday =
        taulu_recur_wday(taulu_recur_local_day(e.start, IMP_TZ));
    e.rule.n_days = 1;
    e.rule.until = taulu_recur_local_day(e.start, IMP_TZ) + 21;
    /* a body as long as the API allows: the credit still fits */
    memset(big, 'a', 1999);
    big[1999] = '\0';
    e.v[1].body = big;
    e.v[0].image_alt = "Kahvikuppeja";
    e.v[1].image_alt = "Kahvikuppeja";
    e.image_url = "https://img.example.fi/k.jpg";
    e.image_credit = "Maija Meikäläinen, CC BY 4.0";
    b = imp_item_body(&e, &s, IMP_NOW,
                      "0123456789abcdef0123456789abcdef"
                      "0123456789abcdef0123456789abcdef",
                      &why);
    assert_non_null(b);
    read_as_api(b, &it);
    assert_non_null(it.recurrence);
    /* shown until the fourth occurrence ends */
    assert_int_equal(it.display_until, e.end + 21 * 86400);
    assert_non_null(it.image_sha256);
    assert_string_equal(strrchr(it.texts[0].body, '\n'),
                        "\nKuva: Maija Meikäläinen, CC BY 4.0");
    assert_string_equal(strrchr(it.texts[1].body, '\n'),
                        "\nBild: Maija Meikäläinen, CC BY 4.0");
    assert_true(taulu_utf8_count(it.texts[0].body, strlen(it.texts[0].body)) <=
                2000);
    cJSON_Delete(b);
    srv_pool_release(&pool);
}

static void test_hash(void **state)
{
    struct srv_import_source s;
    struct imp_event e;
    char a[65], b[65];

    (void)state;
    source(&s);
    event(&e);
    imp_item_hash(&e, &s, IMP_NOW, a);
    imp_item_hash(&e, &s, IMP_NOW + 3600, b);
    /* the same event is the same item, whenever it is read */
    assert_string_equal(a, b);
    e.v[1].title = "Muistikahvila klo 15";
    imp_item_hash(&e, &s, IMP_NOW, b);
    assert_string_not_equal(a, b);
    /* the centres are part of it: a source's new centre is an edit */
    event(&e);
    s.centres.n = 1;
    imp_item_hash(&e, &s, IMP_NOW, b);
    assert_string_not_equal(a, b);
}

static void test_cannot_be_an_item(void **state)
{
    struct srv_import_source s;
    struct imp_event e;
    struct imp_skip why = {NULL, NULL};

    (void)state;
    source(&s);
    event(&e);
    e.start = IMP_NOW + 400LL * 86400;
    e.end = e.start + 3600;
    assert_null(imp_item_body(&e, &s, IMP_NOW, NULL, &why));
    assert_string_equal(why.code, "too_far_ahead");
    event(&e);
    e.end = IMP_NOW - 1;
    e.start = e.end - 3600;
    assert_null(imp_item_body(&e, &s, IMP_NOW, NULL, &why));
    assert_string_equal(why.code, "ended");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_off),
        cmocka_unit_test(test_series_and_image),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_cannot_be_an_item),
    };
    taulu_tz_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
