/*
 * test_imp_ptv.c: a PTV service location as a centre's names, address and
 * opening hours: the reconstructed sample of ../shared/samples, and a
 * location of the tests' own with over-midnight hours, a lunch break,
 * holidays (closed, shorter), a summer period and hours valid only later;
 * then the week the screens get (store/srv_hours.c) with the exceptions
 * in place and the instant it changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "imp_ptv.h"
#include "imp_test.h"
#include "srv_hours.h"
#include "taulu_err.h"

static struct srv_pool pool;

static void test_sample(void **state)
{
    struct taulu_buf b;
    struct imp_ptv p;
    struct taulu_centre c;
    int64_t until;
    char err[200];
    size_t i;

    (void)state;
    if (imp_sample("ptv_v11_servicelocation_shape_reconstructed.json", &b)) {
        skip();
    }
    srv_pool_init(&pool);
    assert_int_equal(
        imp_ptv_parse(b.data, b.len, IMP_NOW, &pool, &p, err, sizeof err), 0);
    assert_string_equal(p.names, "{\"fi\":\"Esimerkin sote-keskus\"}");
    assert_string_equal(p.address_fi, "Esimerkkitie 1, 90100 OULU");
    assert_string_equal(p.addresses, "{\"fi\":\"Esimerkkitie 1, 90100 OULU\"}");
    /* Monday to Friday 8-16. */
    assert_int_equal(p.n_weekly, 5);
    assert_int_equal(p.n_exceptions, 0);
    memset(&c, 0, sizeof c);
    assert_int_equal(srv_hours_week(p.weekly, p.exceptions, IMP_NOW,
                                    &taulu_tz_helsinki, &c, &until),
                     0);
    assert_int_equal(c.n_hours, 5);
    for (i = 0; i < 5; i++) {
        assert_int_equal(c.hours[i].day, (int)i + 1);
        assert_int_equal(c.hours[i].open_min, 8 * 60);
        assert_int_equal(c.hours[i].close_min, 16 * 60);
    }
    assert_true(until == SRV_HOURS_FOREVER);
    taulu_buf_release(&b);
    srv_pool_release(&pool);
}

/* NOW is Tuesday 1.12.2026. */
static const char centre[] =
    "{\"id\":\"x\",\"serviceChannelType\":\"ServiceLocation\","
    "\"serviceChannelNames\":["
    " {\"type\":\"AlternativeName\",\"language\":\"fi\",\"value\":\"Tuira\"},"
    " {\"type\":\"Name\",\"language\":\"fi\","
    "  \"value\":\"Tuiran hyvinvointikeskus\"},"
    " {\"type\":\"Name\",\"language\":\"sv\","
    "  \"value\":\"Tuira v&auml;lf&auml;rdscenter<script>\"}],"
    "\"addresses\":[{\"type\":\"Postal\",\"streetAddress\":{\"street\":["
    " {\"language\":\"fi\",\"value\":\"PL 1\"}]}},"
    " {\"type\":\"Location\",\"streetAddress\":{"
    "  \"street\":[{\"language\":\"fi\",\"value\":\"Kastellintie\"},"
    "             {\"language\":\"sv\",\"value\":\"Kastellvägen\"}],"
    "  \"streetNumber\":\"1\",\"postalCode\":\"90500\","
    "  \"postOffice\":[{\"language\":\"fi\",\"value\":\"OULU\"},"
    "                 {\"language\":\"sv\",\"value\":\"ULEÅBORG\"}]}}],"
    "\"serviceHours\":["
    /* regular: Mon-Thu 8-11 and 12-16 (a lunch break), Friday 20 to
     * Saturday 2 (one night), Sunday closed */
    " {\"serviceHourType\":\"DaysOfTheWeek\",\"validForNow\":true,"
    "  \"isClosed\":false,\"openingHour\":["
    "   {\"dayFrom\":\"Monday\",\"dayTo\":\"Thursday\",\"from\":\"08:00:00\","
    "    \"to\":\"11:00:00\"},"
    "   {\"dayFrom\":\"Monday\",\"dayTo\":\"Thursday\",\"from\":\"12:00:00\","
    "    \"to\":\"16:00:00\",\"isExtra\":true},"
    "   {\"dayFrom\":\"Friday\",\"dayTo\":\"Saturday\",\"from\":\"20:00:00\","
    "    \"to\":\"02:00:00\"}]},"
    /* later hours, from 1.3.2027: not now */
    " {\"serviceHourType\":\"DaysOfTheWeek\",\"validFrom\":"
    "  \"2027-03-01T00:00:00\",\"isClosed\":false,\"openingHour\":["
    "   {\"dayFrom\":\"Monday\",\"dayTo\":\"Friday\",\"from\":\"07:00:00\","
    "    \"to\":\"15:00:00\"}]},"
    /* Independence Day: closed; the 7th: open 10-12 */
    " {\"serviceHourType\":\"Exceptional\",\"validFrom\":"
    "  \"2026-12-06T00:00:00\",\"isClosed\":true,\"openingHour\":[]},"
    " {\"serviceHourType\":\"Exceptional\",\"validFrom\":"
    "  \"2026-12-07T00:00:00\",\"isClosed\":false,\"openingHour\":["
    "   {\"from\":\"10:00:00\",\"to\":\"12:00:00\"}]},"
    /* Christmas week closed (a range) */
    " {\"serviceHourType\":\"Exceptional\",\"validFrom\":"
    "  \"2026-12-24T00:00:00\",\"validTo\":\"2026-12-26T00:00:00\","
    "  \"isClosed\":true},"
    /* a past exception: not kept */
    " {\"serviceHourType\":\"Exceptional\",\"validFrom\":"
    "  \"2026-11-01T00:00:00\",\"isClosed\":true}"
    "]}";

static bool has(const struct taulu_centre *c, int day, int open, int close)
{
    size_t i;

    for (i = 0; i < c->n_hours; i++) {
        if (c->hours[i].day == day && c->hours[i].open_min == open &&
            c->hours[i].close_min == close) {
            return true;
        }
    }
    return false;
}

static size_t on_day(const struct taulu_centre *c, int day)
{
    size_t i, n = 0;

    for (i = 0; i < c->n_hours; i++) {
        n += c->hours[i].day == day;
    }
    return n;
}

static void test_hours(void **state)
{
    struct imp_ptv p;
    struct taulu_centre c;
    int64_t until, t;
    char err[200];

    (void)state;
    srv_pool_init(&pool);
    assert_int_equal(imp_ptv_parse(centre, strlen(centre), IMP_NOW, &pool, &p,
                                   err, sizeof err),
                     0);
    /* Names of type Name, the markup dropped; the Location address. */
    assert_string_equal(p.names, "{\"fi\":\"Tuiran hyvinvointikeskus\","
                                 "\"sv\":\"Tuira välfärdscenter\"}");
    assert_string_equal(p.address_fi, "Kastellintie 1, 90500 OULU");
    assert_non_null(strstr(p.addresses, "\"sv\":\"Kastellvägen 1, 90500 "
                                        "ULEÅBORG\""));
    /* 4 x 2 + the Friday night; exceptions: 6.12, 7.12, 24-26.12, and the
     * later week from 1.3. is beyond the 60 days kept. */
    assert_int_equal(p.n_weekly, 9);
    assert_int_equal(p.n_exceptions, 5);

    /* The week from Tuesday 1.12: regular. */
    memset(&c, 0, sizeof c);
    assert_int_equal(srv_hours_week(p.weekly, p.exceptions, IMP_NOW,
                                    &taulu_tz_helsinki, &c, &until),
                     0);
    assert_true(has(&c, 2, 8 * 60, 11 * 60)); /* Tuesday, a lunch break */
    assert_true(has(&c, 2, 12 * 60, 16 * 60));
    assert_int_equal(on_day(&c, 2), 2);
    assert_true(has(&c, 5, 20 * 60, 1440)); /* Friday until midnight */
    assert_true(has(&c, 6, 0, 2 * 60));     /* Saturday night's end */
    assert_int_equal(on_day(&c, 7), 0);
    /* The window is Tuesday 1.12 to Monday 7.12, with the exceptions of
     * the 6th and the 7th in it; it changes next when one of them leaves:
     * the 6th, at the start of the 7th. */
    assert_int_equal(
        taulu_time_from_civil(&taulu_tz_helsinki, 2026, 12, 7, 0, 0, 0, &t), 0);
    assert_int_equal(until, t);
    /* Monday 7.12 is within the window (1.12-7.12): 10-12 only. */
    assert_int_equal(on_day(&c, 1), 1);
    assert_true(has(&c, 1, 10 * 60, 12 * 60));

    /* The week from Thursday 24.12: three closed days, then regular. */
    assert_int_equal(
        taulu_time_from_civil(&taulu_tz_helsinki, 2026, 12, 24, 9, 0, 0, &t),
        0);
    memset(&c, 0, sizeof c);
    assert_int_equal(srv_hours_week(p.weekly, p.exceptions, t,
                                    &taulu_tz_helsinki, &c, &until),
                     0);
    assert_int_equal(on_day(&c, 4), 0); /* Thursday 24.12 */
    assert_int_equal(on_day(&c, 5), 0); /* Friday 25.12: no night either */
    /* Saturday 26.12 closed, and Friday's night does not spill into it */
    assert_int_equal(on_day(&c, 6), 0);
    assert_true(has(&c, 1, 8 * 60, 11 * 60)); /* Monday 28.12 regular */
    srv_pool_release(&pool);
}

static void test_not_ptv(void **state)
{
    struct imp_ptv p;
    char err[200];

    (void)state;
    srv_pool_init(&pool);
    assert_int_equal(
        imp_ptv_parse("[]", 2, IMP_NOW, &pool, &p, err, sizeof err),
        TAULU_EPARSE);
    assert_int_equal(
        imp_ptv_parse("{\"id\":1}", 8, IMP_NOW, &pool, &p, err, sizeof err),
        TAULU_EPARSE);
    /* the paging sample is a list, not a location */
    {
        struct taulu_buf b;
        if (imp_sample("ptv_v11_list_paging_shape.json", &b) == 0) {
            assert_int_equal(imp_ptv_parse(b.data, b.len, IMP_NOW, &pool, &p,
                                           err, sizeof err),
                             TAULU_EPARSE);
        }
        taulu_buf_release(&b);
    }
    srv_pool_release(&pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample),
        cmocka_unit_test(test_hours),
        cmocka_unit_test(test_not_ptv),
    };
    taulu_tz_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
