/*
 * test_imp_ical.c: iCalendar feeds as they are in the wild, read with
 * libical: the Linked Events test sample (no UID, no DTSTAMP), a BOM,
 * CRLF and LF, broken folding, floating times and unknown zones, all-day
 * events, RRULE with EXDATE, COUNT, DAILY and BYMONTHDAY, RECURRENCE-ID
 * overrides (cancelled, moved), private and cancelled events, a feed of
 * more events than are read, and what is not a feed at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "imp_ical.h"
#include "imp_test.h"
#include "taulu_err.h"

static struct srv_pool pool;
static struct imp_batch batch;
static char err[256];

static int parse(const char *text, int64_t now)
{
    return imp_ical_parse(text, strlen(text), now, "fi", &pool, &batch, err,
                          sizeof err);
}

static const struct imp_event *find(const char *ext_id)
{
    size_t i;

    for (i = 0; i < batch.n; i++) {
        if (strcmp(batch.v[i].ext_id, ext_id) == 0) {
            return &batch.v[i];
        }
    }
    fail_msg("no event %s", ext_id);
    return NULL;
}

static int64_t iso(const char *s)
{
    int64_t t;

    assert_int_equal(taulu_time_parse_iso(s, &t), 0);
    return t;
}

static int64_t day(const char *s)
{
    int64_t d;

    assert_int_equal(taulu_recur_date_parse(s, &d), 0);
    return d;
}

static const char *rrule(const struct imp_event *e)
{
    static char out[200];
    struct taulu_buf b;

    taulu_buf_init(&b, sizeof out - 1);
    assert_int_equal(taulu_recur_to_rrule(&e->rule, IMP_TZ, &b), 0);
    memcpy(out, b.data, b.len + 1);
    taulu_buf_release(&b);
    return out;
}

/* The Linked Events test sample: no UID and no DTSTAMP (RFC 5545 wants
 * both), a TZID without a VTIMEZONE. */
static void test_linked_events_sample(void **state)
{
    struct taulu_buf b;
    const struct imp_event *e;
    char first[64];

    (void)state;
    if (imp_sample("linkedevents_registration_confirmation_test.ics", &b)) {
        skip();
    }
    srv_pool_init(&pool);
    /* While it runs (January 2024). */
    assert_int_equal(imp_ical_parse(b.data, b.len, iso("2024-01-05T10:00:00Z"),
                                    "fi", &pool, &batch, err, sizeof err),
                     0);
    assert_int_equal(batch.n, 1);
    assert_true(batch.complete);
    e = &batch.v[0];
    assert_null(e->skip.code);
    assert_false(e->gone);
    assert_int_equal(strncmp(e->ext_id, "nouid-", 6), 0);
    snprintf(first, sizeof first, "%s", e->ext_id);
    /* 02:00 Helsinki winter time is 00:00 UTC. */
    assert_int_equal(e->start, iso("2024-01-01T00:00:00Z"));
    assert_int_equal(e->end, iso("2024-01-11T00:00:00Z"));
    assert_string_equal(e->v[0].lang, "fi");
    assert_string_equal(e->v[0].title, "Event name");
    assert_string_equal(e->v[0].body, "Event description");
    assert_string_equal(e->v[0].place, "Place name, Streen address, Helsinki");
    /* The made-up id is the same at every run; now the event has
     * ended. */
    assert_int_equal(imp_ical_parse(b.data, b.len, IMP_NOW, "fi", &pool, &batch,
                                    err, sizeof err),
                     0);
    assert_string_equal(batch.v[0].ext_id, first);
    assert_string_equal(batch.v[0].skip.code, "ended");
    taulu_buf_release(&b);
    srv_pool_release(&pool);
}

static const char awkward[] =
    "\xEF\xBB\xBF"
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//awkward//FI\r\n"
    /* a weekly series with an exception date, a cancelled and a moved
     * occurrence */
    "BEGIN:VEVENT\r\nUID:weekly-1@test\r\nDTSTAMP:20261101T000000Z\r\n"
    "DTSTART;TZID=Europe/Helsinki:20261208T140000\r\n"
    "DTEND;TZID=Europe/Helsinki:20261208T160000\r\n"
    "RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270330T220000Z\r\n"
    "EXDATE;TZID=Europe/Helsinki:20261229T140000\r\n"
    "SUMMARY;LANGUAGE=fi-FI:Muistikahvila\r\n"
    "DESCRIPTION:<p>Tule <b>juttelemaan</b> &amp; juomaan kahvia.</p><p>Voit "
    "tuoda l&auml;heisen mukaan.</p>\r\n"
    "LOCATION:Seurakuntatalo\\, Oulu\r\n"
    "URL:https://muisti.example.fi/kahvila?a=1 b\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:weekly-1@test\r\n"
    "RECURRENCE-ID;TZID=Europe/Helsinki:20261215T140000\r\n"
    "DTSTART;TZID=Europe/Helsinki:20261215T140000\r\n"
    "DTEND;TZID=Europe/Helsinki:20261215T160000\r\n"
    "STATUS:CANCELLED\r\nSUMMARY:Muistikahvila\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:weekly-1@test\r\n"
    "RECURRENCE-ID;TZID=Europe/Helsinki:20270105T140000\r\n"
    "DTSTART;TZID=Europe/Helsinki:20270107T150000\r\n"
    "DTEND;TZID=Europe/Helsinki:20270107T170000\r\n"
    "SUMMARY:Muistikahvila siirtyy torstaille\r\nEND:VEVENT\r\n"
    /* COUNT and DAILY with a floating time; broken folding (a long line
     * folded without the leading space) */
    "BEGIN:VEVENT\r\nUID:daily-count\r\nDTSTART:20261210T090000\r\n"
    "DTEND:20261210T100000\r\nRRULE:FREQ=DAILY;COUNT=5\r\n"
    "SUMMARY:Aamujumppa\r\n"
    "DESCRIPTION:Kaikille avoin jumppa. Tämä rivi on pitkä ja se taitetaan "
    "väärin ilman välilyöntiä rivi\r\nn alussa.\r\n"
    "END:VEVENT\r\n"
    /* BYMONTHDAY: no weekday rule */
    "BEGIN:VEVENT\r\nUID:monthday\r\n"
    "DTSTART;TZID=Europe/Helsinki:20261215T180000\r\nDURATION:PT2H\r\n"
    "RRULE:FREQ=MONTHLY;BYMONTHDAY=15;COUNT=4\r\nSUMMARY:Kokous\r\n"
    "END:VEVENT\r\n"
    /* never ours to show */
    "BEGIN:VEVENT\r\nUID:private\r\nCLASS:PRIVATE\r\n"
    "DTSTART:20261220T100000Z\r\nDTEND:20261220T110000Z\r\n"
    "SUMMARY:Henkilökohtainen asia\r\nEND:VEVENT\r\n"
    /* cancelled: gone */
    "BEGIN:VEVENT\r\nUID:cancelled\r\nSTATUS:CANCELLED\r\n"
    "DTSTART:20261220T100000Z\r\nDTEND:20261220T110000Z\r\n"
    "SUMMARY:Peruttu tapahtuma\r\nEND:VEVENT\r\n"
    /* all day, without DTEND */
    "BEGIN:VEVENT\r\nUID:allday\r\nDTSTART;VALUE=DATE:20261224\r\n"
    "SUMMARY:Joulukirkko\r\nEND:VEVENT\r\n"
    /* a timed event without an end */
    "BEGIN:VEVENT\r\nUID:no-end\r\nDTSTART:20261220T100000Z\r\n"
    "SUMMARY:Alku vain\r\nEND:VEVENT\r\n"
    /* an unknown zone: Helsinki time */
    "BEGIN:VEVENT\r\nUID:outlook\r\n"
    "DTSTART;TZID=FLE Standard Time:20261211T100000\r\n"
    "DTEND;TZID=FLE Standard Time:20261211T113000\r\n"
    "SUMMARY:Outlookin aikavyöhyke\r\nEND:VEVENT\r\n"
    /* the first Tuesday of the month, six times */
    "BEGIN:VEVENT\r\nUID:first-tue\r\n"
    "DTSTART;TZID=Europe/Helsinki:20261201T180000\r\n"
    "DTEND;TZID=Europe/Helsinki:20261201T190000\r\n"
    "RRULE:FREQ=MONTHLY;BYDAY=1TU;COUNT=6\r\nSUMMARY:Kuukausitapaaminen\r\n"
    "END:VEVENT\r\n"
    /* too often */
    "BEGIN:VEVENT\r\nUID:hourly\r\nDTSTART:20261210T090000Z\r\n"
    "DTEND:20261210T091500Z\r\nRRULE:FREQ=HOURLY;COUNT=5\r\n"
    "SUMMARY:Tunneittain\r\nEND:VEVENT\r\n"
    /* no SUMMARY */
    "BEGIN:VEVENT\r\nUID:untitled\r\nDTSTART:20261220T100000Z\r\n"
    "DTEND:20261220T110000Z\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n";

static void test_awkward_feed(void **state)
{
    const struct imp_event *e;
    size_t i;

    (void)state;
    srv_pool_init(&pool);
    assert_int_equal(parse(awkward, IMP_NOW), 0);

    e = find("weekly-1@test");
    assert_null(e->skip.code);
    assert_true(e->series);
    assert_int_equal(e->start, iso("2026-12-08T12:00:00Z"));
    assert_int_equal(e->end, iso("2026-12-08T14:00:00Z"));
    assert_string_equal(rrule(e),
                        "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270330T205959Z");
    /* EXDATE 29.12 and the moved 5.1 are exception dates ... */
    assert_int_equal(e->rule.n_exdates, 2);
    assert_int_equal(e->rule.exdates[0], day("2026-12-29"));
    assert_int_equal(e->rule.exdates[1], day("2027-01-05"));
    /* ... the cancelled 15.12 a cancellation */
    assert_int_equal(e->n_cancelled, 1);
    assert_int_equal(e->cancelled[0], day("2026-12-15"));
    assert_string_equal(e->v[0].lang, "fi");
    assert_string_equal(e->v[0].body, "Tule juttelemaan & juomaan kahvia.\n"
                                      "Voit tuoda läheisen mukaan.");
    assert_string_equal(e->v[0].place, "Seurakuntatalo, Oulu");
    assert_string_equal(e->link, "https://muisti.example.fi/kahvila?a=1%20b");

    /* The moved occurrence is an event of its own. */
    e = find("weekly-1@test/moved-20270105T1400");
    assert_false(e->series);
    assert_int_equal(e->start, iso("2027-01-07T13:00:00Z"));
    assert_string_equal(e->v[0].title, "Muistikahvila siirtyy torstaille");

    /* DAILY;COUNT=5 from Thursday: five days of a weekly rule; a floating
     * time is Helsinki time; the broken fold is mended without a break. */
    e = find("daily-count");
    assert_true(e->series);
    assert_int_equal(e->start, iso("2026-12-10T07:00:00Z"));
    assert_string_equal(rrule(e), "FREQ=WEEKLY;BYDAY=MO,TH,FR,SA,SU;"
                                  "UNTIL=20261214T215959Z");
    assert_string_equal(e->v[0].body,
                        "Kaikille avoin jumppa. Tämä rivi on pitkä ja se "
                        "taitetaan väärin ilman välilyöntiä rivin alussa.");

    /* BYMONTHDAY=15 fits no weekday rule: four events of their own. */
    for (i = 0; i < 4; i++) {
        static const char *const ids[] = {
            "monthday/20261215T1800", "monthday/20270115T1800",
            "monthday/20270215T1800", "monthday/20270315T1800"};
        e = find(ids[i]);
        assert_false(e->series);
        assert_int_equal(e->end - e->start, 7200);
    }

    e = find("private");
    assert_string_equal(e->skip.code, "private");
    e = find("cancelled");
    assert_true(e->gone);
    /* All day: Helsinki midnight to midnight. */
    e = find("allday");
    assert_null(e->skip.code);
    assert_true(e->all_day);
    assert_int_equal(e->start, iso("2026-12-23T22:00:00Z"));
    assert_int_equal(e->end, iso("2026-12-24T22:00:00Z"));
    e = find("no-end");
    assert_string_equal(e->skip.code, "no_time");
    e = find("outlook");
    assert_null(e->skip.code);
    assert_int_equal(e->start, iso("2026-12-11T08:00:00Z"));
    e = find("first-tue");
    assert_true(e->series);
    assert_string_equal(rrule(e),
                        "FREQ=MONTHLY;BYDAY=1TU;UNTIL=20270504T205959Z");
    e = find("hourly");
    assert_string_equal(e->skip.code, "rule_not_supported");
    e = find("untitled");
    assert_string_equal(e->skip.code, "no_title");
    srv_pool_release(&pool);
}

/* The same feed with LF line ends, and with CR alone, reads the same. */
static void test_line_ends(void **state)
{
    char *lf = malloc(sizeof awkward), *cr = malloc(sizeof awkward);
    size_t i, k = 0, n0;

    (void)state;
    assert_non_null(lf);
    assert_non_null(cr);
    for (i = 0; awkward[i]; i++) {
        if (awkward[i] != '\r') {
            lf[k++] = awkward[i];
        }
    }
    lf[k] = '\0';
    for (i = 0; i <= k; i++) {
        cr[i] = lf[i] == '\n' ? '\r' : lf[i];
    }
    srv_pool_init(&pool);
    assert_int_equal(parse(awkward, IMP_NOW), 0);
    n0 = batch.n;
    assert_int_equal(parse(lf, IMP_NOW), 0);
    assert_int_equal(batch.n, n0);
    assert_true(find("weekly-1@test")->series);
    assert_int_equal(parse(cr, IMP_NOW), 0);
    assert_int_equal(batch.n, n0);
    assert_int_equal(find("daily-count")->start, iso("2026-12-10T07:00:00Z"));
    srv_pool_release(&pool);
    free(lf);
    free(cr);
}

/* A weekly rule in Helsinki time keeps its wall clock over the spring
 * change; one in UTC does not, so it is not the model's rule: a few
 * occurrences become events of their own, many are refused. */
static void test_summer_time(void **state)
{
    static const char feed[] =
        "BEGIN:VCALENDAR\nVERSION:2.0\n"
        "BEGIN:VEVENT\nUID:hel\nDTSTART;TZID=Europe/Helsinki:20270316T140000\n"
        "DTEND;TZID=Europe/Helsinki:20270316T150000\n"
        "RRULE:FREQ=WEEKLY;COUNT=4\nSUMMARY:Kerho\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:utc\nDTSTART:20270316T120000Z\n"
        "DTEND:20270316T130000Z\nRRULE:FREQ=WEEKLY;COUNT=4\n"
        "SUMMARY:Kerho UTC\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:utc-long\nDTSTART:20270316T120000Z\n"
        "DTEND:20270316T130000Z\nRRULE:FREQ=WEEKLY;COUNT=20\n"
        "SUMMARY:Kerho UTC pitkä\nEND:VEVENT\n"
        "END:VCALENDAR\n";
    const struct imp_event *e;

    (void)state;
    srv_pool_init(&pool);
    assert_int_equal(parse(feed, IMP_NOW), 0);
    e = find("hel");
    assert_true(e->series);
    assert_int_equal(e->start, iso("2027-03-16T12:00:00Z"));
    /* 14:00 summer time after 28.3 is 11:00 UTC: still the rule. */
    assert_string_equal(rrule(e),
                        "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270406T205959Z");
    assert_false(find("utc/20270316T1400")->series);
    assert_int_equal(find("utc/20270330T1500")->start,
                     iso("2027-03-30T12:00:00Z"));
    assert_string_equal(find("utc-long")->skip.code, "rule_not_supported");
    srv_pool_release(&pool);
}

/* A huge feed: only IMP_MAX_EVENTS are read, the rest counted. */
static void test_bounded(void **state)
{
    struct taulu_buf b;
    int i;

    (void)state;
    taulu_buf_init(&b, 4 * 1024 * 1024);
    taulu_buf_puts(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
    for (i = 0; i < IMP_MAX_EVENTS + 50; i++) {
        taulu_buf_appendf(&b,
                          "BEGIN:VEVENT\r\nUID:e%d\r\nDTSTART:20261220T100000Z"
                          "\r\nDTEND:20261220T110000Z\r\nSUMMARY:T%d\r\n"
                          "END:VEVENT\r\n",
                          i, i);
    }
    taulu_buf_puts(&b, "END:VCALENDAR\r\n");
    srv_pool_init(&pool);
    assert_int_equal(imp_ical_parse(b.data, b.len, IMP_NOW, "fi", &pool, &batch,
                                    err, sizeof err),
                     0);
    assert_int_equal(batch.n, IMP_MAX_EVENTS);
    assert_int_equal(batch.dropped, 50);
    srv_pool_release(&pool);
    taulu_buf_release(&b);
}

static void test_not_a_feed(void **state)
{
    (void)state;
    srv_pool_init(&pool);
    assert_int_equal(parse("<html><body>404</body></html>", IMP_NOW),
                     TAULU_EPARSE);
    assert_non_null(strstr(err, "VCALENDAR"));
    assert_int_equal(parse("", IMP_NOW), TAULU_EPARSE);
    /* A VEVENT that never ends is not a calendar either. */
    assert_int_equal(
        parse("BEGIN:VEVENT\r\nBEGIN:VEVENT\r\nUID:x\r\n", IMP_NOW),
        TAULU_EPARSE);
    /* An empty calendar is a calendar: nothing in it. */
    assert_int_equal(parse("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR"
                           "\r\n",
                           IMP_NOW),
                     0);
    assert_int_equal(batch.n, 0);
    srv_pool_release(&pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linked_events_sample),
        cmocka_unit_test(test_awkward_feed),
        cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_summer_time),
        cmocka_unit_test(test_bounded),
        cmocka_unit_test(test_not_a_feed),
    };
    taulu_tz_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
