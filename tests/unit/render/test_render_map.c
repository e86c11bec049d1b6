/*
 * test_render_map.c: the header band's one builder (render_map_header),
 * which the player's screen and the server's preview both draw: the
 * centre's name in the page's language, the date in that language, the
 * HH.MM clock with no seconds, the "3 / 8" page marker only when the loop
 * has more than one entry, and a name too long for the band cut on a
 * character boundary, never inside one (a broken UTF-8 sequence would
 * make the text renderer refuse the whole line); the short form of the
 * name the header falls back on; a repeating event's rows; the short
 * screen text shown instead of the body. Plain C, no SDL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "taulu_err.h"
#include "taulu_manifest.h"
#include "taulu_time.h"
#include "taulu_utf8.h"

#include "render_map.h"

static const struct taulu_tz *const tz = &taulu_tz_helsinki;

/* Tuesday 24 November 2026, local time in Helsinki. */
static int64_t nov24(int h, int mi, int s)
{
    int64_t t = -1;

    assert_int_equal(taulu_time_from_civil(tz, 2026, 11, 24, h, mi, s, &t), 0);
    return t;
}

static void centre(struct taulu_centre *c)
{
    memset(c, 0, sizeof *c);
    c->id = "tuira";
    memcpy(c->name[0].lang, "fi", 3);
    c->name[0].text = "Tuiran hyvinvointikeskus";
    memcpy(c->name[1].lang, "sv", 3);
    c->name[1].text = "Tuira välfärdscentral";
    c->n_name = 2;
    memcpy(c->short_name[0].lang, "fi", 3);
    c->short_name[0].text = "Tuira";
    c->n_short_name = 1;
}

static void test_centre_name(void **state)
{
    struct taulu_centre c;

    (void)state;
    centre(&c);
    assert_string_equal(render_map_centre_name(&c, "sv"),
                        "Tuira välfärdscentral");
    assert_string_equal(render_map_centre_name(&c, "fi"),
                        "Tuiran hyvinvointikeskus");
    /* a page in a language the centre has no name in: its first name */
    assert_string_equal(render_map_centre_name(&c, "en"),
                        "Tuiran hyvinvointikeskus");
    assert_string_equal(render_map_centre_name(&c, NULL),
                        "Tuiran hyvinvointikeskus");
    /* the short form of the name shown: Finnish has one, Swedish not;
     * English pages show the Finnish name, so its short form */
    assert_string_equal(render_map_centre_short(&c, "fi"), "Tuira");
    assert_null(render_map_centre_short(&c, "sv"));
    assert_string_equal(render_map_centre_short(&c, "en"), "Tuira");
    c.n_name = 0;
    assert_null(render_map_centre_name(&c, "fi"));
    assert_null(render_map_centre_name(NULL, "fi"));
    assert_null(render_map_centre_short(&c, "fi"));
    assert_null(render_map_centre_short(NULL, "fi"));
}

static void test_header(void **state)
{
    struct render_map_header h;
    struct taulu_centre c;

    (void)state;
    centre(&c);
    render_map_header_init(&h);
    assert_int_equal(render_map_header(&h, render_map_centre_name(&c, "sv"),
                                       render_map_centre_short(&c, "sv"), "sv",
                                       tz, nov24(14, 5, 59), 3, 8),
                     0);
    assert_string_equal(h.header.centre, "Tuira välfärdscentral");
    assert_null(h.header.centre_short);
    assert_string_equal(h.header.clock, "14.05"); /* no seconds */
    assert_string_equal(h.header.date, "tis 24.11");
    assert_string_equal(h.header.page, "3 / 8");
    assert_int_equal(render_map_header(&h, render_map_centre_name(&c, "fi"),
                                       render_map_centre_short(&c, "fi"), "fi",
                                       tz, nov24(9, 5, 0), 1, 1),
                     0);
    assert_string_equal(h.header.centre, "Tuiran hyvinvointikeskus");
    assert_string_equal(h.header.centre_short, "Tuira");
    assert_string_equal(h.header.clock, "9.05");
    assert_string_equal(h.header.date, "ti 24.11.");
    assert_string_equal(h.header.page, ""); /* one entry: no marker */
    /* the loading card's header: no loop at all */
    assert_int_equal(render_map_header(&h, "tuira-1", NULL, "en", NULL,
                                       nov24(23, 59, 0), 0, 0),
                     0);
    assert_string_equal(h.header.centre, "tuira-1");
    assert_string_equal(h.header.clock, "23.59");
    assert_string_equal(h.header.page, "");
    assert_int_equal(
        render_map_header(&h, NULL, NULL, "fi", tz, nov24(0, 0, 0), 2, 12), 0);
    assert_string_equal(h.header.centre, "");
    assert_string_equal(h.header.clock, "0.00");
    assert_string_equal(h.header.page, "2 / 12");
    assert_int_equal(render_map_header(NULL, "x", NULL, "fi", tz, 0, 1, 1),
                     TAULU_EINVAL);
    render_map_header_release(&h);
    render_map_header_release(NULL);
}

/* A name longer than the band's buffer, with a two-byte "ä" across the
 * cut: the cut goes before the "ä", so the name stays valid UTF-8. */
static void test_long_name_cut(void **state)
{
    struct render_map_header h;
    char name[sizeof h.centre + 16];
    size_t cut = sizeof h.centre - 1; /* "ä" in bytes cut-1 .. cut */
    size_t len;

    (void)state;
    memset(name, 'a', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    name[cut - 1] = (char)0xC3;
    name[cut] = (char)0xA4;
    render_map_header_init(&h);
    assert_int_equal(
        render_map_header(&h, name, name, "fi", tz, nov24(12, 0, 0), 1, 1), 0);
    len = strlen(h.header.centre);
    assert_int_equal(len, cut - 1);
    assert_true(taulu_utf8_valid(h.header.centre, len));
    assert_memory_equal(h.header.centre, name, len);
    assert_int_equal(strlen(h.header.centre_short), cut - 1);
    render_map_header_release(&h);
}

/* A repeating event's card: the occurrence at the instant with its
 * relative label, the rule in words in the row under it, "Cancelled"
 * first for a cancelled one, in English here (fi and sv:
 * test_player_schedule.c), and no rule row for a one-off event. */
static void test_recurring_card(void **state)
{
    struct taulu_occurrence occ[2];
    struct taulu_card_recur rec;
    struct taulu_card c;
    struct taulu_card_version v;
    struct render_map_buf b;

    (void)state;
    memset(&c, 0, sizeof c);
    memset(&v, 0, sizeof v);
    memset(&rec, 0, sizeof rec);
    memcpy(v.lang, "en", 3);
    v.title = "Memory café";
    v.body = "Come for a chat.";
    rec.rule.freq = TAULU_RECUR_WEEKLY;
    rec.rule.interval = 1;
    rec.rule.days[0].wday = 2;
    rec.rule.n_days = 1;
    assert_int_equal(taulu_recur_date_parse("2026-12-01", &rec.rule.until), 0);
    rec.start_min = 14 * 60;
    rec.end_min = 16 * 60;
    occ[0].start = nov24(14, 0, 0);
    occ[0].end = nov24(16, 0, 0);
    occ[0].cancelled = false;
    occ[1].start = occ[0].start + 7 * 86400;
    occ[1].end = occ[0].end + 7 * 86400;
    occ[1].cancelled = true;
    c.id = "i1";
    c.kind = TAULU_CARD_EVENT;
    c.category = TAULU_CATEGORY_LEISURE;
    c.org = "Memory association";
    c.display_from = nov24(0, 0, 0);
    c.display_until = occ[1].end;
    c.versions = &v;
    c.n_versions = 1;
    c.has_event = true;
    c.event.start = occ[0].start;
    c.event.end = occ[1].end;
    c.recur = &rec;
    c.occurrences = occ;
    c.n_occurrences = 2;
    render_map_buf_init(&b);
    assert_int_equal(render_map_card(&b, &c, &v, tz, nov24(9, 0, 0), NULL), 0);
    assert_string_equal(b.card.when, "Today Tue 24 Nov 14.00–16.00");
    /* the rule's row does not say the time the row above says */
    assert_string_equal(b.card.repeat, "every Tuesday");
    assert_int_equal(render_map_card(&b, &c, &v, tz, nov24(16, 0, 0), NULL), 0);
    assert_string_equal(b.card.when, "Cancelled Tue 1 Dec 14.00–16.00");
    assert_string_equal(b.card.repeat, "every Tuesday");
    /* an occurrence at other times than the rule's (a clock change moved
     * it): the rule's row keeps its own time */
    occ[0].start += 3600;
    occ[0].end += 3600;
    assert_int_equal(render_map_card(&b, &c, &v, tz, nov24(9, 0, 0), NULL), 0);
    assert_string_equal(b.card.when, "Today Tue 24 Nov 15.00–17.00");
    assert_string_equal(b.card.repeat, "every Tuesday 14.00–16.00");
    occ[0].start -= 3600;
    occ[0].end -= 3600;
    /* Finnish, the memory café of the demo: "joka tiistai" alone */
    memcpy(v.lang, "fi", 3);
    v.plain = true;
    assert_int_equal(render_map_card(&b, &c, &v, tz, nov24(9, 0, 0), NULL), 0);
    assert_string_equal(b.card.when, "Tänään tiistaina 24.11. kello 14–16");
    assert_string_equal(b.card.repeat, "joka tiistai");
    memcpy(v.lang, "en", 3);
    v.plain = false;
    assert_string_equal(render_map_word_cancelled("sv"), "Inställt");
    /* a one-off event has no rule row */
    c.recur = NULL;
    c.occurrences = NULL;
    c.n_occurrences = 0;
    c.event.end = occ[0].end;
    assert_int_equal(render_map_card(&b, &c, &v, tz, nov24(9, 0, 0), NULL), 0);
    assert_string_equal(b.card.when, "Today Tue 24 Nov 14.00–16.00");
    assert_null(b.card.repeat);
    /* the short screen text, when there is one, is what the card shows */
    assert_string_equal(b.card.body, "Come for a chat.");
    assert_false(b.shows_summary);
    v.summary = "A chat and coffee.";
    assert_int_equal(render_map_card(&b, &c, &v, tz, nov24(9, 0, 0), NULL), 0);
    assert_string_equal(b.card.body, "A chat and coffee.");
    assert_true(b.shows_summary);
    v.summary = NULL;
    render_map_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_centre_name),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_long_name_cut),
        cmocka_unit_test(test_recurring_card),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
