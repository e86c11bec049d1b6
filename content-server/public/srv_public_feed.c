/*
 * srv_public_feed.c: a centre's events as an iCalendar feed (RFC 5545,
 * written by hand: CRLF, lines folded at 75 octets, TEXT escaped) and its
 * notices and events as an Atom feed (RFC 4287). See srv_public.h.
 *
 * Both are deterministic for the same view: stamps are the cards' own
 * instants (when they began to be shown), never the clock, so an
 * unchanged centre gives the same bytes and the same ETag.
 */
#include "srv_public.h"

#include <stdio.h>
#include <string.h>

#include "taulu_datefmt.h"
#include "taulu_err.h"
#include "taulu_time.h"

#define TZ (&taulu_tz_helsinki)

int srv_ics_escape(struct taulu_buf *out, const char *s)
{
    int rc = 0;

    for (; s && *s && rc == 0; s++) {
        switch (*s) {
        case '\\':
            rc = taulu_buf_puts(out, "\\\\");
            break;
        case ';':
            rc = taulu_buf_puts(out, "\\;");
            break;
        case ',':
            rc = taulu_buf_puts(out, "\\,");
            break;
        case '\n':
            rc = taulu_buf_puts(out, "\\n");
            break;
        case '\r':
            break;
        default:
            rc = taulu_buf_putc(out, *s);
        }
    }
    return rc;
}

int srv_ics_line(struct taulu_buf *out, const char *line, size_t len)
{
    size_t i = 0, col = 0;
    int rc = 0;

    while (i < len && rc == 0) {
        size_t n = 1;
        unsigned char c = (unsigned char)line[i];
        /* the whole UTF-8 sequence stays on one line */
        if (c >= 0xF0) {
            n = 4;
        } else if (c >= 0xE0) {
            n = 3;
        } else if (c >= 0xC0) {
            n = 2;
        }
        if (i + n > len) {
            n = len - i;
        }
        if (col + n > 75) {
            rc = taulu_buf_puts(out, "\r\n ");
            col = 1;
        }
        if (rc == 0) {
            rc = taulu_buf_append(out, line + i, n);
        }
        col += n;
        i += n;
    }
    return rc ? rc : taulu_buf_puts(out, "\r\n");
}

/* One property "NAME:value" with the value escaped as TEXT (text) or as
 * it is (a date, a URI). */
static void prop(struct taulu_buf *b, const char *name, const char *value,
                 bool text)
{
    struct taulu_buf l;

    if (!value || !*value) {
        return;
    }
    taulu_buf_init(&l, 16384);
    taulu_buf_puts(&l, name);
    taulu_buf_putc(&l, ':');
    if (text) {
        srv_ics_escape(&l, value);
    } else {
        taulu_buf_puts(&l, value);
    }
    srv_ics_line(b, l.data, l.len);
    taulu_buf_release(&l);
}

/* "20261201T120000Z" */
static void ics_time(int64_t t, char out[17])
{
    struct taulu_civil c;

    taulu_time_to_civil(t, &taulu_tz_utc, &c);
    snprintf(out, 17, "%04d%02d%02dT%02d%02d%02dZ", c.year, c.month, c.day,
             c.hour, c.min, c.sec);
}

static const struct taulu_card_version *pick(const struct taulu_card *c,
                                             const char *lang)
{
    size_t i;

    for (i = 0; i < c->n_versions; i++) {
        if (strcmp(c->versions[i].lang, lang) == 0) {
            return &c->versions[i];
        }
    }
    return c->n_versions ? &c->versions[0] : NULL;
}

static void vevent(struct taulu_buf *b, const struct srv_public_view *v,
                   const struct taulu_card *c,
                   const struct taulu_card_version *ver, const char *base,
                   int64_t start, int64_t end, bool cancelled, bool series)
{
    char s[17], e[17], st[17], uid[160], url[600];
    struct taulu_buf d;

    ics_time(start, s);
    ics_time(end, e);
    ics_time(c->display_from, st);
    /* A series' occurrences are events of their own here: simple for
     * every calendar, and a cancelled one is just that one. */
    if (series) {
        snprintf(uid, sizeof uid, "%s-%s-c%lld@infotaulu", c->id, s,
                 (long long)v->centre_id);
    } else {
        snprintf(uid, sizeof uid, "%s-c%lld@infotaulu", c->id,
                 (long long)v->centre_id);
    }
    snprintf(url, sizeof url, "%s/public/centres/%lld/items/%s", base,
             (long long)v->centre_id, c->id + 1);
    taulu_buf_puts(b, "BEGIN:VEVENT\r\n");
    prop(b, "UID", uid, false);
    prop(b, "DTSTAMP", st, false);
    prop(b, "DTSTART", s, false);
    prop(b, "DTEND", e, false);
    prop(b, "SUMMARY", ver->title, true);
    taulu_buf_init(&d, 16384);
    taulu_buf_puts(&d, ver->body);
    if (c->link) {
        taulu_buf_puts(&d, "\n\n");
        taulu_buf_puts(&d, c->link);
    }
    prop(b, "DESCRIPTION", d.data, true);
    taulu_buf_release(&d);
    prop(b, "LOCATION", ver->place, true);
    prop(b, "URL", url, false);
    if (cancelled) {
        prop(b, "STATUS", "CANCELLED", false);
    }
    taulu_buf_puts(b, "END:VEVENT\r\n");
}

int srv_public_render_ics(const struct srv_public_view *v, const char *lang,
                          const char *base, struct taulu_buf *b)
{
    size_t i, k;
    char name[300];

    taulu_buf_puts(b, "BEGIN:VCALENDAR\r\n");
    prop(b, "VERSION", "2.0", false);
    prop(b, "PRODID", "-//Infotaulu//Public calendar//FI", false);
    prop(b, "CALSCALE", "GREGORIAN", false);
    prop(b, "METHOD", "PUBLISH", false);
    {
        int l = taulu_lang_from_code(lang);
        const char *n = v->names[l < 0 ? 0 : l];
        snprintf(name, sizeof name, "%s", n ? n : v->name);
    }
    prop(b, "X-WR-CALNAME", name, true);
    for (i = 0; i < v->content->n_cards; i++) {
        const struct taulu_card *c = &v->content->cards[i];
        const struct taulu_card_version *ver = pick(c, lang);

        if (!c->has_event || !ver) {
            continue;
        }
        if (!c->recur) {
            vevent(b, v, c, ver, base, c->event.start, c->event.end, false,
                   false);
            continue;
        }
        for (k = 0; k < c->n_occurrences; k++) {
            vevent(b, v, c, ver, base, c->occurrences[k].start,
                   c->occurrences[k].end, c->occurrences[k].cancelled, true);
        }
    }
    taulu_buf_puts(b, "END:VCALENDAR\r\n");
    return b->len < b->limit ? 0 : TAULU_ELIMIT;
}

/* ------------------------------------------------------------------ */
/* Atom */

static void xml(struct taulu_buf *b, const char *s)
{
    srv_html_escape(b, s);
}

int srv_public_render_atom(const struct srv_public_view *v, const char *lang,
                           const char *base, struct taulu_buf *b)
{
    char t[TAULU_ISO_LEN];
    int64_t updated = 0;
    size_t i;
    int l = taulu_lang_from_code(lang);
    const char *name =
        v->names[l < 0 ? 0 : l] ? v->names[l < 0 ? 0 : l] : v->name;

    for (i = 0; i < v->content->n_cards; i++) {
        if (v->content->cards[i].display_from > updated) {
            updated = v->content->cards[i].display_from;
        }
    }
    taulu_time_format_iso(updated, t);
    taulu_buf_puts(b,
                   "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                   "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    xml(b, lang);
    taulu_buf_puts(b, "\">\n<title>");
    xml(b, name);
    taulu_buf_appendf(b,
                      "</title>\n<id>%s/public/centres/%lld</id>\n"
                      "<updated>%s</updated>\n"
                      "<link rel=\"self\" href=\"%s/public/centres/%lld/"
                      "feed.atom?lang=%s\"/>\n"
                      "<link rel=\"alternate\" type=\"text/html\" "
                      "href=\"%s/public/centres/%lld?lang=%s\"/>\n"
                      "<author><name>",
                      base, (long long)v->centre_id, t, base,
                      (long long)v->centre_id, lang, base,
                      (long long)v->centre_id, lang);
    xml(b, name);
    taulu_buf_puts(b, "</name></author>\n");
    for (i = 0; i < v->content->n_cards; i++) {
        const struct taulu_card *c = &v->content->cards[i];
        const struct taulu_card_version *ver = pick(c, lang);
        struct taulu_buf s;

        if (!ver) {
            continue;
        }
        taulu_time_format_iso(c->display_from, t);
        taulu_buf_puts(b, "<entry");
        if (strcmp(ver->lang, lang) != 0) {
            taulu_buf_puts(b, " xml:lang=\"");
            xml(b, ver->lang);
            taulu_buf_puts(b, "\"");
        }
        taulu_buf_puts(b, ">\n<title>");
        xml(b, ver->title);
        taulu_buf_appendf(b,
                          "</title>\n<id>%s/public/centres/%lld/items/%s</id>\n"
                          "<updated>%s</updated>\n"
                          "<link rel=\"alternate\" type=\"text/html\" "
                          "href=\"%s/public/centres/%lld/items/%s?lang=%s\"/>\n"
                          "<author><name>",
                          base, (long long)v->centre_id, c->id + 1, t, base,
                          (long long)v->centre_id, c->id + 1, lang);
        xml(b, c->org);
        taulu_buf_puts(b, "</name></author>\n");
        if (c->has_event) {
            enum taulu_lang tl = (enum taulu_lang)(l < 0 ? 0 : l);
            taulu_buf_init(&s, 512);
            if (c->recur && c->n_occurrences) {
                /* the next time, and the rule in words */
                taulu_fmt_event_when(&s, tl, ver->plain,
                                     c->occurrences[0].start,
                                     c->occurrences[0].end, 0, TZ);
                taulu_buf_puts(&s, ", ");
                taulu_fmt_recur(&s, tl, ver->plain, &c->recur->rule,
                                c->recur->start_min, c->recur->end_min);
            } else {
                taulu_fmt_event_when(&s, tl, ver->plain, c->event.start,
                                     c->event.end, 0, TZ);
            }
            if (ver->place) {
                taulu_buf_puts(&s, ", ");
                taulu_buf_puts(&s, ver->place);
            }
            taulu_buf_puts(b, "<summary type=\"text\">");
            xml(b, s.data);
            taulu_buf_puts(b, "</summary>\n");
            taulu_buf_release(&s);
        }
        taulu_buf_puts(b, "<content type=\"text\">");
        xml(b, ver->body);
        taulu_buf_puts(b, "</content>\n</entry>\n");
    }
    taulu_buf_puts(b, "</feed>\n");
    return b->len < b->limit ? 0 : TAULU_ELIMIT;
}
