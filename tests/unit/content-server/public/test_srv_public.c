/*
 * test_srv_public.c: the public pages' rendering as plain C over a view
 * built from a snapshot, as the server builds it: every text escaped
 * (a script in a title is text), `lang` on texts in another language,
 * one h1, the facts in words; the iCalendar feed folded at 75 octets
 * without splitting a character, escaped, and read back by the
 * importers' own iCalendar reader (libical) to the same events; the Atom
 * feed's entries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "imp_ical.h"
#include "srv_manifest.h"
#include "srv_public.h"
#include "taulu_utf8.h"

/* 2026-12-01T10:00:00Z (12:00 in Helsinki) */
#define NOW 1796119200LL
#define H   3600

static const struct srv_snap_text hostile[] = {
    {.lang = "fi",
     .title = "<script>alert(1)</script> & \"kahvi\"",
     .body = "Eka kappale.\n<img src=x onerror=alert(2)>",
     .place = "Sali 'A'",
     .contact = "p. 040 123 4567"},
};
static const struct srv_snap_text swedish_only[] = {
    {.lang = "sv",
     .title = "Minneskafé för alla som vill komma och prata en stund i dag",
     .body = "Välkommen; ta med en vän, eller två."},
};
static struct srv_snap_item items[] = {
    {.id = 11,
     .version = 1,
     .kind = TAULU_CARD_EVENT,
     .category = "health",
     .org_name = "Muisti & Co",
     .event_start = NOW + 2 * H,
     .event_end = NOW + 4 * H,
     .free = TAULU_FLAG_YES,
     .step_free = TAULU_FLAG_NO,
     .induction_loop = TAULU_FLAG_YES,
     .link = "https://muisti.example.fi/?a=1&b=2",
     .texts = hostile,
     .n_texts = 1},
    {.id = 12,
     .version = 1,
     .kind = TAULU_CARD_EVENT,
     .category = "leisure",
     .org_name = "Förening",
     .event_start = NOW + 50 * H,
     .event_end = NOW + 52 * H,
     .texts = swedish_only,
     .n_texts = 1},
};
static const struct srv_snap_placement placements[] = {
    {.id = 1,
     .approved = true,
     .approved_version = 1,
     .display_from = NOW - H,
     .display_until = NOW + 100 * H,
     .item = &items[0]},
    {.id = 2,
     .approved = true,
     .approved_version = 1,
     .display_from = NOW - 2 * H,
     .display_until = NOW + 100 * H,
     .item = &items[1]},
};

static void view(struct srv_public_view *v)
{
    struct srv_snapshot s;

    memset(&s, 0, sizeof s);
    s.centre_db_id = 3;
    s.centre.id = "c3";
    memcpy(s.centre.name[0].lang, "fi", 3);
    s.centre.name[0].text = "Tuiran hyvinvointikeskus";
    s.centre.n_name = 1;
    s.centre.timezone = "Europe/Helsinki";
    memcpy(s.centre.languages[0], "fi", 3);
    memcpy(s.centre.languages[1], "sv", 3);
    s.centre.n_languages = 2;
    s.placements = placements;
    s.n_placements = 2;
    memset(v, 0, sizeof *v);
    srv_pool_init(&v->pool);
    v->centre_id = 3;
    v->now = NOW;
    v->name = "Tuiran hyvinvointikeskus";
    v->address = "Kastellintie 1 <b>";
    v->names[1] = "Tuira välfärdscenter";
    v->content = taulu_manifest_new();
    assert_non_null(v->content);
    assert_int_equal(srv_manifest_build_content(&s, NOW, v->content, NULL), 0);
    assert_int_equal(v->content->n_cards, 2);
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;

    while ((s = strstr(s, what)) != NULL) {
        n++;
        s += strlen(what);
    }
    return n;
}

static void test_centre_page(void **state)
{
    struct srv_public_view v;
    struct taulu_buf b;

    (void)state;
    view(&v);
    taulu_buf_init(&b, SRV_PUBLIC_MAX_BYTES);
    assert_string_equal(srv_public_lang(&v, "sv"), "sv");
    assert_string_equal(srv_public_lang(&v, "en"), "fi");
    assert_string_equal(srv_public_lang(&v, "<x>"), "fi");
    assert_int_equal(srv_public_render_centre(&v, "fi", &b), 0);
    /* Nothing of the items' markup survives as markup. */
    assert_null(strstr(b.data, "<script"));
    assert_null(strstr(b.data, "<img"));
    assert_null(strstr(b.data, "<b>"));
    assert_non_null(strstr(b.data, "&lt;script&gt;alert(1)&lt;/script&gt; "
                                   "&amp; &quot;kahvi&quot;"));
    assert_non_null(strstr(b.data, "Sali &#39;A&#39;"));
    assert_non_null(strstr(b.data, "href=\"https://muisti.example.fi/"
                                   "?a=1&amp;b=2\""));
    /* One h1; landmarks; the language link. */
    assert_int_equal(count(b.data, "<h1"), 1);
    assert_non_null(strstr(b.data, "<html lang=\"fi\">"));
    assert_non_null(strstr(b.data, "<main id=\"main\""));
    assert_non_null(strstr(b.data, "<footer>"));
    assert_non_null(strstr(b.data, "href=\"/public/centres/3?lang=sv\" "
                                   "hreflang=\"sv\" lang=\"sv\""));
    /* Today's event, then the coming one (Swedish text on a Finnish
     * page: marked). */
    assert_non_null(strstr(b.data, "id=\"today-h\">Tänään"));
    assert_non_null(strstr(b.data, "<article class=\"item\" lang=\"sv\">"));
    assert_true(strstr(b.data, "today-h") < strstr(b.data, "coming-h"));
    /* Facts said yes to, in words; a "no" is not asserted. */
    assert_non_null(strstr(b.data, "<li>Maksuton</li>"));
    assert_non_null(strstr(b.data, "<li>Induktiosilmukka</li>"));
    assert_null(strstr(b.data, "Esteetön"));
    /* Contact and sender. */
    assert_non_null(strstr(b.data, "<dd>p. 040 123 4567</dd>"));
    assert_non_null(strstr(b.data, "<dd>Muisti &amp; Co</dd>"));
    /* The centre's own address, escaped. */
    assert_non_null(strstr(b.data, "Kastellintie 1 &lt;b&gt;"));
    taulu_buf_reset(&b);
    /* In Swedish: the PTV name, the Finnish text marked. */
    assert_int_equal(srv_public_render_centre(&v, "sv", &b), 0);
    assert_non_null(strstr(b.data, "<h1>Tuira välfärdscenter</h1>"));
    assert_non_null(strstr(b.data, "<article class=\"item\" lang=\"fi\">"));
    assert_non_null(strstr(b.data, "I dag"));
    taulu_buf_release(&b);
    srv_public_view_release(&v);
}

static void test_item_page(void **state)
{
    struct srv_public_view v;
    struct taulu_buf b;

    (void)state;
    view(&v);
    taulu_buf_init(&b, SRV_PUBLIC_MAX_BYTES);
    assert_int_equal(srv_public_render_item(&v, 11, "fi", &b), 0);
    assert_int_equal(count(b.data, "<h1"), 1);
    assert_non_null(strstr(b.data, "<h1>&lt;script&gt;"));
    assert_non_null(
        strstr(b.data, "<p>&lt;img src=x onerror=alert(2)&gt;</p>"));
    assert_non_null(strstr(b.data, "href=\"/public/centres/3?lang=fi\""));
    taulu_buf_reset(&b);
    /* An item not shown at this centre. */
    assert_int_equal(srv_public_render_item(&v, 99, "fi", &b), TAULU_ENOTFOUND);
    taulu_buf_reset(&b);
    assert_int_equal(srv_public_render_gone(&v, "sv", &b), 0);
    assert_non_null(strstr(b.data, "visas inte längre"));
    taulu_buf_release(&b);
    srv_public_view_release(&v);
}

static void test_ics(void **state)
{
    struct srv_public_view v;
    struct taulu_buf b;
    struct srv_pool p;
    struct imp_batch batch;
    const char *line;
    char err[200];
    size_t i;

    (void)state;
    view(&v);
    taulu_buf_init(&b, SRV_PUBLIC_MAX_BYTES);
    assert_int_equal(srv_public_render_ics(&v, "fi", "https://x.fi", &b), 0);
    /* CRLF lines of at most 75 octets, folds never inside a character. */
    for (line = b.data; *line;) {
        const char *e = strstr(line, "\r\n");
        assert_non_null(e);
        assert_true(e - line <= 75);
        assert_true(taulu_utf8_valid(line, (size_t)(e - line)));
        line = e + 2;
    }
    assert_non_null(strstr(b.data, "SUMMARY:<script>alert(1)</script> & "
                                   "\"kahvi\"\r\n"));
    assert_non_null(strstr(b.data, "URL:https://x.fi/public/centres/3/"
                                   "items/11\r\n"));
    /* Read back with libical, through the importers' reader. */
    srv_pool_init(&p);
    assert_int_equal(
        imp_ical_parse(b.data, b.len, NOW, "fi", &p, &batch, err, sizeof err),
        0);
    assert_int_equal(batch.n, 2);
    for (i = 0; i < batch.n; i++) {
        assert_null(batch.v[i].skip.code);
    }
    assert_int_equal(batch.v[0].start, NOW + 2 * H);
    /* The importer drops a script with its content: text, not markup. */
    assert_string_equal(batch.v[0].v[0].title, "& \"kahvi\"");
    assert_string_equal(batch.v[1].v[0].title, swedish_only[0].title);
    assert_string_equal(batch.v[1].v[0].body,
                        "Välkommen; ta med en vän, eller två.");
    srv_pool_release(&p);
    /* The same view gives the same bytes (an ETag that holds). */
    {
        struct taulu_buf c;
        taulu_buf_init(&c, SRV_PUBLIC_MAX_BYTES);
        assert_int_equal(srv_public_render_ics(&v, "fi", "https://x.fi", &c),
                         0);
        assert_int_equal(c.len, b.len);
        assert_memory_equal(c.data, b.data, b.len);
        taulu_buf_release(&c);
    }
    taulu_buf_release(&b);
    srv_public_view_release(&v);
}

static void test_atom(void **state)
{
    struct srv_public_view v;
    struct taulu_buf b;

    (void)state;
    view(&v);
    taulu_buf_init(&b, SRV_PUBLIC_MAX_BYTES);
    assert_int_equal(srv_public_render_atom(&v, "sv", "https://x.fi", &b), 0);
    assert_int_equal(count(b.data, "<entry"), 2);
    assert_non_null(strstr(b.data,
                           "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
                           "xml:lang=\"sv\">"));
    assert_non_null(strstr(b.data, "<title>Tuira välfärdscenter</title>"));
    assert_non_null(strstr(b.data, "<entry xml:lang=\"fi\">"));
    assert_null(strstr(b.data, "<script"));
    assert_non_null(strstr(b.data, "<id>https://x.fi/public/centres/3/items/"
                                   "12</id>"));
    taulu_buf_release(&b);
    srv_public_view_release(&v);
}

static void test_ics_line(void **state)
{
    struct taulu_buf b;
    char line[300];
    size_t i;

    (void)state;
    /* 100 two-byte characters: folds between characters only. */
    memcpy(line, "X:", 2);
    for (i = 0; i < 100; i++) {
        memcpy(line + 2 + 2 * i, "ä", 2);
    }
    line[202] = '\0';
    taulu_buf_init(&b, 4096);
    assert_int_equal(srv_ics_line(&b, line, strlen(line)), 0);
    assert_non_null(strstr(b.data, "\r\n "));
    {
        const char *l = b.data;
        while (*l) {
            const char *e = strstr(l, "\r\n");
            assert_true(e - l <= 75);
            assert_true(taulu_utf8_valid(l, (size_t)(e - l)));
            l = e + 2;
        }
    }
    taulu_buf_reset(&b);
    assert_int_equal(srv_ics_escape(&b, "a;b,c\\d\ne"), 0);
    assert_string_equal(b.data, "a\\;b\\,c\\\\d\\ne");
    taulu_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_centre_page), cmocka_unit_test(test_item_page),
        cmocka_unit_test(test_ics),         cmocka_unit_test(test_atom),
        cmocka_unit_test(test_ics_line),
    };
    taulu_tz_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
