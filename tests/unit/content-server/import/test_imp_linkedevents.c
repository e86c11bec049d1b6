/*
 * test_imp_linkedevents.c: Linked Events answers as events: the samples of
 * ../shared/samples (Espoo's event, Tampere's list page, an EP Kalenteri
 * event without a name or a time) and a page of the tests' own with
 * languages, HTML, offers, licences of images, deleted and cancelled
 * events, and a recurring super event whose sub-events are one series.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "imp_linkedevents.h"
#include "imp_test.h"
#include "taulu_err.h"

static struct srv_pool pool;

static int64_t iso(const char *s)
{
    int64_t t;

    assert_int_equal(taulu_time_parse_iso(s, &t), 0);
    return t;
}

static const struct imp_event *find(const struct imp_batch *b, const char *id)
{
    size_t i;

    for (i = 0; i < b->n; i++) {
        if (strcmp(b->v[i].ext_id, id) == 0) {
            return &b->v[i];
        }
    }
    fail_msg("no event %s", id);
    return NULL;
}

static void test_espoo_sample(void **state)
{
    struct taulu_buf b;
    struct imp_le_list raw;
    struct imp_batch out;
    const struct imp_event *e;
    const char *next;
    char err[200];

    (void)state;
    if (imp_sample("linkedevents_helsinki_api_espoo_event_reconstructed.json",
                   &b)) {
        skip();
    }
    srv_pool_init(&pool);
    memset(&raw, 0, sizeof raw);
    memset(&out, 0, sizeof out);
    assert_int_equal(
        imp_le_parse(b.data, b.len, &pool, &raw, &next, err, sizeof err), 0);
    assert_null(next);
    assert_int_equal(raw.n, 1);
    /* The day before it (its "now"): it is to come. */
    imp_le_events(&pool, &raw, iso("2018-10-22T10:00:00Z"), &out);
    assert_int_equal(out.n, 1);
    e = find(&out, "espoo:146665");
    assert_null(e->skip.code);
    assert_int_equal(e->start, iso("2018-10-23T14:30:00Z"));
    assert_int_equal(e->end, iso("2018-10-23T16:30:00Z"));
    assert_int_equal(e->n_v, 1);
    assert_string_equal(e->v[0].lang, "fi");
    assert_string_equal(e->v[0].title,
                        "Asukastilaisuus Mankkaan päiväkodin laajennuksesta");
    /* The description without its paragraphs' markup. */
    assert_non_null(strstr(e->v[0].body, "Seilimäki-Lukupuron asemakaavan"));
    assert_non_null(strstr(e->v[0].body, "…\nTervetuloa!"));
    assert_null(strchr(e->v[0].body, '<'));
    assert_string_equal(e->v[0].place, "Mankkaan päiväkoti, Vanhan-Mankkaan "
                                       "kuja 2 B, 02180 Espoo");
    assert_string_equal(e->v[0].price, "30€");
    assert_int_equal(e->free, 0);
    assert_non_null(strstr(e->link, "https://www.espoo.fi/fi-FI/"));
    /* A CC BY image without a text alternative is not used. */
    assert_null(e->image_url);
    /* Now it is over. */
    memset(&out, 0, sizeof out);
    imp_le_events(&pool, &raw, IMP_NOW, &out);
    assert_string_equal(out.v[0].skip.code, "ended");
    taulu_buf_release(&b);
    srv_pool_release(&pool);
}

static void test_other_samples(void **state)
{
    struct taulu_buf b;
    struct imp_le_list raw;
    struct imp_batch out;
    const char *next;
    char err[200];

    (void)state;
    if (imp_sample("linkedevents_tampere_list_partial.json", &b)) {
        skip();
    }
    srv_pool_init(&pool);
    memset(&raw, 0, sizeof raw);
    memset(&out, 0, sizeof out);
    assert_int_equal(
        imp_le_parse(b.data, b.len, &pool, &raw, &next, err, sizeof err), 0);
    /* The list page: its next page, and an event with only a place (a
     * postal code that is a number, not a string). */
    assert_string_equal(next, "http://linkedevents.tampere.fi/v1/event?page=2");
    assert_int_equal(raw.n, 1);
    taulu_buf_release(&b);
    assert_int_equal(
        imp_sample("linkedevents_epkalenteri_event_partial.json", &b), 0);
    assert_int_equal(
        imp_le_parse(b.data, b.len, &pool, &raw, &next, err, sizeof err), 0);
    assert_int_equal(raw.n, 2);
    imp_le_events(&pool, &raw, IMP_NOW, &out);
    assert_int_equal(out.n, 2);
    /* No time (and no name): skipped, with the reason. */
    assert_string_equal(find(&out, "visittampere:10685")->skip.code,
                        "no_title");
    assert_non_null(find(&out, "eptapahtumat:agoaxbuv7y")->skip.code);
    taulu_buf_release(&b);
    srv_pool_release(&pool);
}

static const char page[] =
    "{\"meta\":{\"count\":6,\"next\":null,\"previous\":null},\"data\":["
    /* two languages, free, an image that may be shown */
    "{\"id\":\"oulu:1\",\"name\":{\"fi\":\"Kävelyryhmä\",\"sv\":\"Promenad\","
    " \"ru\":\"Прогулка\"},"
    " \"description\":{\"fi\":\"<p>Lähde mukaan &ndash; kävellään "
    "yhdessä.</p>\",\"sv\":\"<p>Kom med.</p>\"},"
    " \"start_time\":\"2026-12-03T10:00:00+02:00\","
    " \"end_time\":\"2026-12-03T11:30:00.000000Z\","
    " \"offers\":[{\"is_free\":true,\"price\":null}],"
    " \"info_url\":{\"fi\":\"https://oulu.fi/kavely\"},"
    " \"location\":{\"name\":{\"fi\":\"Tuiran kirjasto\",\"sv\":\"Tuira "
    "bibliotek\"},\"street_address\":{\"fi\":\"Kastellintie 1\"}},"
    " \"images\":[{\"license\":\"event_only\",\"url\":"
    "\"https://img.example.fi/a.jpg\",\"alt_text\":\"A\"},"
    "  {\"license\":\"cc_by\",\"url\":\"https://img.example.fi/b.jpg\","
    "   \"alt_text\":\"Kävelijöitä puistossa\","
    "   \"photographer_name\":\"Maija Meikäläinen\"}]},"
    /* only an event_only image: none */
    "{\"id\":\"oulu:2\",\"name\":{\"fi\":\"Kuvaton\"},"
    " \"start_time\":\"2026-12-04T10:00:00Z\","
    " \"end_time\":\"2026-12-04T11:00:00Z\",\"images\":[{\"license\":"
    "\"event_only\",\"url\":\"https://img.example.fi/c.jpg\","
    "\"alt_text\":\"C\"}]},"
    /* deleted, cancelled */
    "{\"id\":\"oulu:3\",\"deleted\":true},"
    "{\"id\":\"oulu:4\",\"name\":{\"fi\":\"Peruttu\"},\"event_status\":"
    "\"EventCancelled\",\"start_time\":\"2026-12-05T10:00:00Z\","
    "\"end_time\":\"2026-12-05T11:00:00Z\"},"
    /* a recurring super event and its sub-events: every Wednesday but one
     * that is cancelled */
    "{\"id\":\"oulu:10\",\"name\":{\"fi\":\"Muistikahvila\"},"
    " \"super_event_type\":\"recurring\","
    " \"start_time\":\"2026-12-02T14:00:00+02:00\","
    " \"end_time\":\"2026-12-23T16:00:00+02:00\"},"
    "{\"id\":\"oulu:11\",\"name\":{\"fi\":\"Muistikahvila\"},"
    " \"super_event\":{\"@id\":\"https://api.example.fi/v1/event/oulu:10/\"},"
    " \"start_time\":\"2026-12-02T14:00:00+02:00\","
    " \"end_time\":\"2026-12-02T16:00:00+02:00\"},"
    "{\"id\":\"oulu:12\",\"name\":{\"fi\":\"Muistikahvila\"},"
    " \"super_event\":{\"@id\":\"https://api.example.fi/v1/event/oulu:10/\"},"
    " \"event_status\":\"EventCancelled\","
    " \"start_time\":\"2026-12-09T14:00:00+02:00\","
    " \"end_time\":\"2026-12-09T16:00:00+02:00\"},"
    "{\"id\":\"oulu:13\",\"name\":{\"fi\":\"Muistikahvila\"},"
    " \"super_event\":{\"@id\":\"https://api.example.fi/v1/event/oulu:10/\"},"
    " \"start_time\":\"2026-12-16T14:00:00+02:00\","
    " \"end_time\":\"2026-12-16T16:00:00+02:00\"},"
    "{\"id\":\"oulu:14\",\"name\":{\"fi\":\"Muistikahvila\"},"
    " \"super_event\":{\"@id\":\"https://api.example.fi/v1/event/oulu:10/\"},"
    " \"start_time\":\"2026-12-23T14:00:00+02:00\","
    " \"end_time\":\"2026-12-23T16:00:00+02:00\"}"
    "]}";

static void test_page(void **state)
{
    struct imp_le_list raw;
    struct imp_batch out;
    const struct imp_event *e;
    const char *next, *ids[4];
    char err[200];

    (void)state;
    srv_pool_init(&pool);
    memset(&raw, 0, sizeof raw);
    memset(&out, 0, sizeof out);
    assert_int_equal(
        imp_le_parse(page, strlen(page), &pool, &raw, &next, err, sizeof err),
        0);
    assert_int_equal(raw.n, 9);
    /* The series to read whole in an incremental run. */
    assert_int_equal(imp_le_groups(&raw, ids, 4), 1);
    assert_string_equal(ids[0], "oulu:10");
    imp_le_events(&pool, &raw, IMP_NOW, &out);

    e = find(&out, "oulu:1");
    assert_null(e->skip.code);
    assert_int_equal(e->start, iso("2026-12-03T08:00:00Z"));
    assert_int_equal(e->end, iso("2026-12-03T11:30:00Z"));
    assert_int_equal(e->n_v, 2); /* fi and sv; not ru */
    assert_string_equal(e->v[0].body, "Lähde mukaan – kävellään yhdessä.");
    assert_string_equal(e->v[1].title, "Promenad");
    assert_string_equal(e->v[1].place, "Tuira bibliotek, Kastellintie 1");
    assert_int_equal(e->free, 1);
    assert_string_equal(e->link, "https://oulu.fi/kavely");
    /* The CC BY image, credited; not the event_only one. */
    assert_string_equal(e->image_url, "https://img.example.fi/b.jpg");
    assert_string_equal(e->image_credit, "Maija Meikäläinen, CC BY 4.0");
    assert_string_equal(e->v[0].image_alt, "Kävelijöitä puistossa");
    assert_null(find(&out, "oulu:2")->image_url);

    assert_true(find(&out, "oulu:3")->gone);
    assert_true(find(&out, "oulu:4")->gone);

    /* The super event is one weekly series, its cancelled sub-event a
     * cancelled occurrence; the sub-events are not items of their own. */
    e = find(&out, "oulu:10");
    assert_true(e->series);
    assert_int_equal(e->start, iso("2026-12-02T12:00:00Z"));
    assert_int_equal(e->rule.n_days, 1);
    assert_int_equal(e->rule.days[0].wday, 3);
    assert_int_equal(e->n_cancelled, 1);
    assert_int_equal(out.n, 5);
    srv_pool_release(&pool);
}

static void test_times(void **state)
{
    int64_t t;
    bool d;

    (void)state;
    assert_int_equal(imp_iso_parse("2026-12-01T14:00:00Z", &t, &d), 0);
    assert_int_equal(t, iso("2026-12-01T14:00:00Z"));
    assert_int_equal(imp_iso_parse("2026-12-01T14:00:00.123456+02:00", &t, &d),
                     0);
    assert_int_equal(t, iso("2026-12-01T12:00:00Z"));
    assert_int_equal(imp_iso_parse("2026-06-01T14:00", &t, &d), 0);
    assert_int_equal(t, iso("2026-06-01T11:00:00Z")); /* Helsinki summer */
    assert_int_equal(imp_iso_parse("2026-12-01", &t, &d), 0);
    assert_true(d);
    assert_int_equal(t, iso("2026-11-30T22:00:00Z"));
    assert_int_equal(imp_iso_parse("2026-02-30T10:00:00Z", &t, &d),
                     TAULU_EPARSE);
    assert_int_equal(imp_iso_parse("tomorrow", &t, &d), TAULU_EPARSE);
    assert_int_equal(imp_iso_parse(NULL, &t, &d), TAULU_EPARSE);
}

static void test_not_an_answer(void **state)
{
    struct imp_le_list raw;
    const char *next;
    char err[200];

    (void)state;
    srv_pool_init(&pool);
    memset(&raw, 0, sizeof raw);
    assert_int_equal(
        imp_le_parse("<html>", 6, &pool, &raw, &next, err, sizeof err),
        TAULU_EPARSE);
    assert_int_equal(
        imp_le_parse("{\"data\":5}", 10, &pool, &raw, &next, err, sizeof err),
        TAULU_EPARSE);
    assert_int_equal(imp_le_parse("{\"detail\":\"x\"}", 14, &pool, &raw, &next,
                                  err, sizeof err),
                     TAULU_EPARSE);
    srv_pool_release(&pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_espoo_sample),
        cmocka_unit_test(test_other_samples),
        cmocka_unit_test(test_page),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_not_an_answer),
    };
    taulu_tz_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
