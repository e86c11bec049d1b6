/*
 * srv_public_html.c: the public pages as HTML (see srv_public.h and
 * docs/public-page.md): the centre's page, an item's page, the page of an
 * item no longer shown, and the list of centres.
 *
 * Accessibility (WCAG 2.2 AA): one h1, sections under h2 headings, items
 * as articles under h3 (h1 on their own page); landmarks (header with the
 * language navigation, main, footer) and a skip link; `lang` on the page
 * and on every text in another language; facts in words, never in colour
 * alone; no fixed widths (css/public.css reflows at 320 CSS pixels, that
 * is 400 % zoom); links that say where they lead. No script, no images.
 */
#include "srv_public.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "taulu_category.h"
#include "taulu_datefmt.h"
#include "taulu_err.h"
#include "taulu_recur.h"

#define TZ (&taulu_tz_helsinki)

/* ------------------------------------------------------------------ */
/* Words */

enum word {
    W_SKIP,
    W_LANG_NAV,
    W_TITLE_SUFFIX,
    W_ALERTS,
    W_ENDS,
    W_TODAY,
    W_COMING,
    W_BULLETINS,
    W_NONE,
    W_HOURS,
    W_CLOSED,
    W_HOURS_UNKNOWN,
    W_EXCEPTION,
    W_SUBSCRIBE,
    W_ICS,
    W_ATOM,
    W_PLACE,
    W_PRICE,
    W_REGISTRATION,
    W_CONTACT,
    W_FROM,
    W_MORE,
    W_FREE,
    W_STEP_FREE,
    W_LOOP,
    W_FACTS,
    W_NEXT_TIMES,
    W_BACK,
    W_GONE,
    W_FOOTER,
    W_CATEGORY,
    W_ADDRESS,
    W_READ_MORE,
    W_CENTRES,
    W__COUNT
};

static const char *const words[W__COUNT][3] = {
    [W_SKIP] = {"Siirry sisältöön", "Hoppa till innehållet", "Skip to content"},
    [W_LANG_NAV] = {"Kieli", "Språk", "Language"},
    [W_TITLE_SUFFIX] = {"tiedotteet ja tapahtumat", "meddelanden och evenemang",
                        "notices and events"},
    [W_ALERTS] = {"Tärkeä tiedote", "Viktigt meddelande", "Important notice"},
    [W_ENDS] = {"Voimassa", "Gäller", "Valid until"},
    [W_TODAY] = {"Tänään", "I dag", "Today"},
    [W_COMING] = {"Tulossa", "Kommande", "Coming up"},
    [W_BULLETINS] = {"Tiedotteet", "Meddelanden", "Notices"},
    [W_NONE] = {"Tällä hetkellä ei ole tiedotteita eikä tapahtumia.",
                "Just nu finns inga meddelanden eller evenemang.",
                "There are no notices or events right now."},
    [W_HOURS] = {"Aukioloajat", "Öppettider", "Opening hours"},
    [W_CLOSED] = {"suljettu", "stängt", "closed"},
    [W_HOURS_UNKNOWN] = {"Aukioloaikoja ei ole kerrottu.",
                         "Öppettiderna har inte angetts.",
                         "The opening hours have not been given."},
    [W_EXCEPTION] = {"poikkeava aukioloaika", "avvikande öppettid",
                     "exceptional hours"},
    [W_SUBSCRIBE] = {"Tilaa", "Prenumerera", "Subscribe"},
    [W_ICS] = {"Tapahtumat omaan kalenteriin (iCalendar)",
               "Evenemangen i din kalender (iCalendar)",
               "The events in your calendar (iCalendar)"},
    [W_ATOM] = {"Uutissyöte (Atom)", "Nyhetsflöde (Atom)", "News feed (Atom)"},
    [W_PLACE] = {"Paikka", "Plats", "Place"},
    [W_PRICE] = {"Hinta", "Pris", "Price"},
    [W_REGISTRATION] = {"Ilmoittautuminen", "Anmälan", "Registration"},
    [W_CONTACT] = {"Yhteystiedot", "Kontakt", "Contact"},
    [W_FROM] = {"Lähettäjä", "Avsändare", "From"},
    [W_MORE] = {"Lisätietoja", "Mer information", "More information"},
    [W_FREE] = {"Maksuton", "Avgiftsfri", "Free of charge"},
    [W_STEP_FREE] = {"Esteetön kulku", "Hinderfri entré", "Step-free access"},
    [W_LOOP] = {"Induktiosilmukka", "Induktionsslinga", "Induction loop"},
    [W_FACTS] = {"Tiedot", "Fakta", "Facts"},
    [W_NEXT_TIMES] = {"Seuraavat kerrat", "Nästa gånger", "The next times"},
    [W_BACK] = {"Kaikki keskuksen tiedotteet ja tapahtumat",
                "Alla meddelanden och evenemang i centret",
                "All of the centre's notices and events"},
    [W_GONE] = {"Tätä ilmoitusta ei enää näytetä.",
                "Det här meddelandet visas inte längre.",
                "This notice is no longer shown."},
    [W_FOOTER] = {"Ilmoitukset ovat järjestöjen ja seurakuntien. Keskuksen "
                  "yhteyshenkilö on hyväksynyt ne tähän.",
                  "Meddelandena kommer från organisationer och församlingar. "
                  "Centrets kontaktperson har godkänt dem här.",
                  "The notices come from associations and parishes. The "
                  "centre's contact person approved them here."},
    [W_CATEGORY] = {"Aihe", "Ämne", "Topic"},
    [W_ADDRESS] = {"Osoite", "Adress", "Address"},
    [W_READ_MORE] = {"Oma sivu", "Egen sida", "Its own page"},
    [W_CENTRES] = {"Keskukset", "Centren", "Centres"},
};

static const char *const lang_names[3] = {"Suomeksi", "På svenska",
                                          "In English"};
static const char *const lang_codes[3] = {"fi", "sv", "en"};

static int li(const char *lang)
{
    int l = taulu_lang_from_code(lang);

    return l < 0 ? 0 : l;
}

static const char *W(const char *lang, enum word w)
{
    return words[w][li(lang)];
}

/* ------------------------------------------------------------------ */
/* Escaping */

int srv_html_escape(struct taulu_buf *out, const char *s)
{
    int rc = 0;

    for (; s && *s && rc == 0; s++) {
        switch (*s) {
        case '&':
            rc = taulu_buf_puts(out, "&amp;");
            break;
        case '<':
            rc = taulu_buf_puts(out, "&lt;");
            break;
        case '>':
            rc = taulu_buf_puts(out, "&gt;");
            break;
        case '"':
            rc = taulu_buf_puts(out, "&quot;");
            break;
        case '\'':
            rc = taulu_buf_puts(out, "&#39;");
            break;
        default:
            rc = taulu_buf_putc(out, *s);
        }
    }
    return rc;
}

/* A text, escaped. */
static void T(struct taulu_buf *b, const char *s)
{
    srv_html_escape(b, s);
}

/* Markup of ours (constant). */
static void M(struct taulu_buf *b, const char *s)
{
    taulu_buf_puts(b, s);
}

/* ` lang="xx"` when the text's language is not the page's. */
static void lang_attr(struct taulu_buf *b, const char *text_lang,
                      const char *page_lang)
{
    if (text_lang && strcmp(text_lang, page_lang) != 0) {
        M(b, " lang=\"");
        T(b, text_lang);
        M(b, "\"");
    }
}

/* Paragraphs of a body ("\n" between them). */
static void paragraphs(struct taulu_buf *b, const char *body)
{
    const char *p = body;

    while (p && *p) {
        size_t n = strcspn(p, "\n");
        if (n > 0) {
            struct taulu_buf t;
            taulu_buf_init(&t, n + 1);
            taulu_buf_append(&t, p, n);
            M(b, "<p>");
            T(b, t.data);
            M(b, "</p>\n");
            taulu_buf_release(&t);
        }
        p += n;
        if (*p == '\n') {
            p++;
        }
    }
}

/* ------------------------------------------------------------------ */
/* The view's facts */

const char *srv_public_lang(const struct srv_public_view *v, const char *asked)
{
    size_t i;
    int k;

    if (v->content) {
        for (i = 0; i < v->content->centre.n_languages; i++) {
            const char *l = v->content->centre.languages[i];
            if (asked && strcmp(l, asked) == 0 &&
                taulu_lang_from_code(l) >= 0) {
                return lang_codes[taulu_lang_from_code(l)];
            }
        }
        for (i = 0; i < v->content->centre.n_languages; i++) {
            k = taulu_lang_from_code(v->content->centre.languages[i]);
            if (k >= 0) {
                return lang_codes[k];
            }
        }
    }
    return "fi";
}

/* The centre's name in the page's language, and which language it is. */
static const char *centre_name(const struct srv_public_view *v,
                               const char *lang, const char **name_lang)
{
    const char *n = v->names[li(lang)];

    *name_lang = lang;
    if (n) {
        return n;
    }
    /* The centre's own name is in its first language. */
    *name_lang = v->content && v->content->centre.n_languages
                     ? v->content->centre.languages[0]
                     : "fi";
    return v->name;
}

static const char *centre_address(const struct srv_public_view *v,
                                  const char *lang)
{
    const char *a = v->addresses[li(lang)];

    return a ? a : v->address;
}

/* The version of a card to show in `lang`: that language's, else the
 * first. */
static const struct taulu_card_version *version_of(const struct taulu_card *c,
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

static const struct taulu_alert_version *
alert_version(const struct taulu_alert *a, const char *lang)
{
    size_t i;

    for (i = 0; i < a->n_versions; i++) {
        if (strcmp(a->versions[i].lang, lang) == 0) {
            return &a->versions[i];
        }
    }
    return a->n_versions ? &a->versions[0] : NULL;
}

/* The occurrence an event card is at now: its next one not ended (a
 * one-off event: the event), and whether it is cancelled. */
static void next_of(const struct taulu_card *c, int64_t now, int64_t *start,
                    int64_t *end, bool *cancelled)
{
    size_t i;

    *start = c->event.start;
    *end = c->event.end;
    *cancelled = false;
    for (i = 0; c->recur && i < c->n_occurrences; i++) {
        if (c->occurrences[i].end > now) {
            *start = c->occurrences[i].start;
            *end = c->occurrences[i].end;
            *cancelled = c->occurrences[i].cancelled;
            return;
        }
    }
}

/* The card's item id ("i42" -> 42). */
static int64_t card_item(const struct taulu_card *c)
{
    int64_t v = 0;
    const char *p = c->id + 1;

    if (c->id[0] != 'i') {
        return 0;
    }
    for (; *p >= '0' && *p <= '9'; p++) {
        v = v * 10 + (*p - '0');
    }
    return v;
}

/* ------------------------------------------------------------------ */
/* Pieces */

static void head(struct taulu_buf *b, const char *lang, const char *title,
                 const struct srv_public_view *v)
{
    M(b, "<!doctype html>\n<html lang=\"");
    T(b, lang);
    M(b,
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
      "<title>");
    T(b, title);
    M(b, "</title>\n<link rel=\"stylesheet\" href=\"/css/public.css\">\n");
    if (v) {
        taulu_buf_appendf(
            b,
            "<link rel=\"alternate\" type=\"application/atom+xml\" "
            "href=\"/public/centres/%lld/feed.atom?lang=%s\">\n"
            "<link rel=\"alternate\" type=\"text/calendar\" "
            "href=\"/public/centres/%lld/calendar.ics?lang=%s\">\n",
            (long long)v->centre_id, lang, (long long)v->centre_id, lang);
    }
    M(b, "</head>\n<body>\n<a class=\"skip\" href=\"#main\">");
    T(b, W(lang, W_SKIP));
    M(b, "</a>\n");
}

/* The header: the service's name and the page in the centre's other
 * languages. `path` is the page's own path. */
static void header(struct taulu_buf *b, const struct srv_public_view *v,
                   const char *lang, const char *path)
{
    size_t i, n = 0;
    int k;

    M(b, "<header class=\"top\">\n<p class=\"brand\">Infotaulu</p>\n");
    for (i = 0; v && v->content && i < v->content->centre.n_languages; i++) {
        k = taulu_lang_from_code(v->content->centre.languages[i]);
        if (k < 0 || strcmp(lang_codes[k], lang) == 0) {
            continue;
        }
        if (n++ == 0) {
            M(b, "<nav aria-label=\"");
            T(b, W(lang, W_LANG_NAV));
            M(b, "\"><ul class=\"langs\">\n");
        }
        M(b, "<li><a href=\"");
        T(b, path);
        taulu_buf_appendf(b, "?lang=%s\" hreflang=\"%s\" lang=\"%s\">",
                          lang_codes[k], lang_codes[k], lang_codes[k]);
        T(b, lang_names[k]);
        M(b, "</a></li>\n");
    }
    if (n) {
        M(b, "</ul></nav>\n");
    }
    M(b, "</header>\n");
}

static void footer(struct taulu_buf *b, const char *lang)
{
    M(b, "<footer>\n<p>");
    T(b, W(lang, W_FOOTER));
    M(b, "</p>\n</footer>\n</body>\n</html>\n");
}

/* "8–16", "8.30–16" (fi); "8.00–16.00" (sv, en). */
static void clock_range(struct taulu_buf *b, const char *lang, int a, int z)
{
    int i;

    for (i = 0; i < 2; i++) {
        int m = i == 0 ? a : z, h = m / 60, mm = m % 60;
        if (i == 1) {
            M(b, "\xE2\x80\x93");
        }
        if (strcmp(lang, "fi") == 0 && mm == 0) {
            taulu_buf_appendf(b, "%d", h);
        } else {
            taulu_buf_appendf(b, "%d.%02d", h, mm);
        }
    }
}

/* "Tänään ti 24.11. klo 14–16", "Peruttu ...". */
static void when(struct taulu_buf *b, const char *lang, bool plain,
                 int64_t start, int64_t end, bool cancelled, int64_t now)
{
    enum taulu_lang l = (enum taulu_lang)li(lang);

    if (cancelled) {
        taulu_fmt_cancelled_when(b, l, plain, start, end, now, TZ);
    } else {
        taulu_fmt_event_when(b, l, plain, start, end, now, TZ);
    }
}

/* One item: title (h1 on its own page, else h3 linking there), when,
 * place, text, facts, contact, link. */
static void article(struct taulu_buf *b, const struct srv_public_view *v,
                    const struct taulu_card *c, const char *lang, bool alone)
{
    const struct taulu_card_version *ver = version_of(c, lang);
    enum taulu_lang l = (enum taulu_lang)li(lang);
    const char *cat;
    int64_t id = card_item(c), s, e;
    bool cancelled;
    size_t i, shown;

    if (!ver) {
        return;
    }
    M(b, "<article class=\"item\"");
    lang_attr(b, ver->lang, lang);
    M(b, ">\n");
    if (alone) {
        M(b, "<h1>");
        T(b, ver->title);
        M(b, "</h1>\n");
    } else {
        taulu_buf_appendf(b,
                          "<h3><a href=\"/public/centres/%lld/items/%lld"
                          "?lang=%s\">",
                          (long long)v->centre_id, (long long)id, lang);
        T(b, ver->title);
        M(b, "</a></h3>\n");
    }
    if (c->has_event) {
        next_of(c, v->now, &s, &e, &cancelled);
        M(b, "<p class=\"when\"");
        lang_attr(b, lang, ver->lang);
        M(b, ">");
        {
            struct taulu_buf t;
            taulu_buf_init(&t, 512);
            when(&t, lang, ver->plain, s, e, cancelled, v->now);
            T(b, t.data);
            taulu_buf_release(&t);
        }
        M(b, "</p>\n");
        if (c->recur) {
            struct taulu_buf t;
            taulu_buf_init(&t, 512);
            if (taulu_fmt_recur(&t, l, ver->plain, &c->recur->rule,
                                c->recur->start_min, c->recur->end_min) == 0) {
                M(b, "<p class=\"repeat\"");
                lang_attr(b, lang, ver->lang);
                M(b, ">");
                T(b, t.data);
                M(b, "</p>\n");
            }
            taulu_buf_release(&t);
        }
    }
    if (ver->place) {
        M(b, "<p class=\"place\"><span class=\"label\"");
        lang_attr(b, lang, ver->lang);
        M(b, ">");
        T(b, W(lang, W_PLACE));
        M(b, ":</span> ");
        T(b, ver->place);
        M(b, "</p>\n");
    }
    M(b, "<div class=\"text\">\n");
    paragraphs(b, ver->body);
    M(b, "</div>\n");
    /* The facts, in words (never a colour or an icon alone). Only what
     * the sender said yes to: an item's "no" may be only "not said". */
    if (c->has_event && (c->event.free == TAULU_FLAG_YES ||
                         c->event.step_free == TAULU_FLAG_YES ||
                         c->event.induction_loop == TAULU_FLAG_YES)) {
        static const enum word fw[3] = {W_FREE, W_STEP_FREE, W_LOOP};
        const enum taulu_flag fv[3] = {c->event.free, c->event.step_free,
                                       c->event.induction_loop};
        M(b, "<ul class=\"facts\" aria-label=\"");
        T(b, W(lang, W_FACTS));
        M(b, "\"");
        lang_attr(b, lang, ver->lang);
        M(b, ">\n");
        for (i = 0; i < 3; i++) {
            if (fv[i] == TAULU_FLAG_YES) {
                M(b, "<li>");
                T(b, W(lang, fw[i]));
                M(b, "</li>\n");
            }
        }
        M(b, "</ul>\n");
    }
    M(b, "<dl class=\"details\">\n");
    {
        const struct {
            enum word w;
            const char *v;
        } rows[] = {{W_PRICE, ver->price},
                    {W_REGISTRATION, ver->registration},
                    {W_CONTACT, ver->contact},
                    {W_FROM, c->org}};
        for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
            if (!rows[i].v) {
                continue;
            }
            M(b, "<dt");
            lang_attr(b, lang, ver->lang);
            M(b, ">");
            T(b, W(lang, rows[i].w));
            M(b, "</dt><dd>");
            T(b, rows[i].v);
            M(b, "</dd>\n");
        }
        cat = taulu_category_label(c->category, lang, 0);
        if (cat) {
            M(b, "<dt");
            lang_attr(b, lang, ver->lang);
            M(b, ">");
            T(b, W(lang, W_CATEGORY));
            M(b, "</dt><dd");
            lang_attr(b, lang, ver->lang);
            M(b, ">");
            T(b, cat);
            M(b, "</dd>\n");
        }
    }
    M(b, "</dl>\n");
    if (c->recur && alone) {
        /* The coming occurrences, a cancelled one with the word first. */
        shown = 0;
        M(b, "<h2");
        lang_attr(b, lang, ver->lang);
        M(b, ">");
        T(b, W(lang, W_NEXT_TIMES));
        M(b, "</h2>\n<ul class=\"times\"");
        lang_attr(b, lang, ver->lang);
        M(b, ">\n");
        for (i = 0; i < c->n_occurrences && shown < 8; i++) {
            struct taulu_buf t;
            if (c->occurrences[i].end <= v->now) {
                continue;
            }
            taulu_buf_init(&t, 512);
            when(&t, lang, ver->plain, c->occurrences[i].start,
                 c->occurrences[i].end, c->occurrences[i].cancelled, v->now);
            M(b, "<li>");
            T(b, t.data);
            M(b, "</li>\n");
            taulu_buf_release(&t);
            shown++;
        }
        M(b, "</ul>\n");
    }
    if (c->link) {
        M(b, "<p class=\"more\"><span class=\"label\"");
        lang_attr(b, lang, ver->lang);
        M(b, ">");
        T(b, W(lang, W_MORE));
        M(b, ":</span> <a href=\"");
        T(b, c->link);
        M(b, "\" rel=\"noopener noreferrer nofollow\">");
        T(b, c->link);
        M(b, "</a></p>\n");
    }
    M(b, "</article>\n");
}

static void alerts(struct taulu_buf *b, const struct srv_public_view *v,
                   const char *lang)
{
    size_t i;

    if (!v->content->n_alerts) {
        return;
    }
    M(b, "<section class=\"alerts\" aria-labelledby=\"alerts-h\">\n"
         "<h2 id=\"alerts-h\">");
    T(b, W(lang, W_ALERTS));
    M(b, "</h2>\n");
    for (i = 0; i < v->content->n_alerts; i++) {
        const struct taulu_alert *a = &v->content->alerts[i];
        const struct taulu_alert_version *av = alert_version(a, lang);
        struct taulu_buf t;

        if (!av) {
            continue;
        }
        M(b, "<article class=\"alert\"");
        lang_attr(b, av->lang, lang);
        M(b, ">\n<h3>");
        T(b, av->title);
        M(b, "</h3>\n");
        paragraphs(b, av->body);
        taulu_buf_init(&t, 256);
        taulu_fmt_day(&t, (enum taulu_lang)li(lang), false, a->until, v->now,
                      TZ);
        taulu_buf_putc(&t, ' ');
        taulu_fmt_time_range(&t, (enum taulu_lang)li(lang), false, a->until,
                             a->until, TZ);
        M(b, "<p class=\"until\"");
        lang_attr(b, lang, av->lang);
        M(b, ">");
        T(b, W(lang, W_ENDS));
        M(b, ": ");
        T(b, t.data);
        M(b, "</p>\n</article>\n");
        taulu_buf_release(&t);
    }
    M(b, "</section>\n");
}

/* The coming seven days' opening hours, the exceptional ones marked. */
static void hours(struct taulu_buf *b, const struct srv_public_view *v,
                  const char *lang)
{
    const struct taulu_centre *c = &v->content->centre;
    int64_t today = taulu_recur_local_day(v->now, TZ);
    cJSON *ex = v->exceptions_json ? cJSON_Parse(v->exceptions_json) : NULL;
    int d;

    M(b, "<section aria-labelledby=\"hours-h\">\n<h2 id=\"hours-h\">");
    T(b, W(lang, W_HOURS));
    M(b, "</h2>\n");
    if (c->n_hours == 0) {
        M(b, "<p>");
        T(b, W(lang, W_HOURS_UNKNOWN));
        M(b, "</p>\n</section>\n");
        cJSON_Delete(ex);
        return;
    }
    M(b, "<dl class=\"hours\">\n");
    for (d = 0; d < 7; d++) {
        int64_t day = today + d, noon;
        int y, m, dd, wd = taulu_recur_wday(day), n = 0;
        char iso[TAULU_RECUR_DATE_LEN];
        const cJSON *e;
        bool special = false;
        size_t k;
        struct taulu_buf t;

        taulu_civil_from_days(day, &y, &m, &dd);
        taulu_time_from_civil(TZ, y, m, dd, 12, 0, 0, &noon);
        taulu_recur_date_format(day, iso);
        cJSON_ArrayForEach(e, ex)
        {
            const cJSON *x = cJSON_GetObjectItemCaseSensitive(e, "date");
            special = special ||
                      (cJSON_IsString(x) && strcmp(x->valuestring, iso) == 0);
        }
        taulu_buf_init(&t, 128);
        taulu_fmt_date(&t, (enum taulu_lang)li(lang), false, noon, TZ);
        M(b, "<dt>");
        T(b, t.data);
        taulu_buf_release(&t);
        M(b, "</dt><dd>");
        for (k = 0; k < c->n_hours; k++) {
            if (c->hours[k].day != wd) {
                continue;
            }
            if (n++) {
                M(b, ", ");
            }
            clock_range(b, lang, c->hours[k].open_min, c->hours[k].close_min);
        }
        if (n == 0) {
            T(b, W(lang, W_CLOSED));
        }
        if (special) {
            M(b, " (");
            T(b, W(lang, W_EXCEPTION));
            M(b, ")");
        }
        M(b, "</dd>\n");
    }
    M(b, "</dl>\n</section>\n");
    cJSON_Delete(ex);
}

/* ------------------------------------------------------------------ */
/* Pages */

static bool is_today(const struct taulu_card *c, int64_t now)
{
    int64_t s, e;
    bool x;

    next_of(c, now, &s, &e, &x);
    return s <= now || taulu_time_day_diff(now, s, TZ) == 0;
}

int srv_public_render_centre(const struct srv_public_view *v, const char *lang,
                             struct taulu_buf *b)
{
    const char *nl, *name = centre_name(v, lang, &nl);
    const char *addr = centre_address(v, lang);
    char path[64], title[400];
    size_t i, n;
    int pass;

    snprintf(path, sizeof path, "/public/centres/%lld",
             (long long)v->centre_id);
    snprintf(title, sizeof title, "%s: %s", name, W(lang, W_TITLE_SUFFIX));
    head(b, lang, title, v);
    header(b, v, lang, path);
    M(b, "<main id=\"main\" tabindex=\"-1\">\n<h1");
    lang_attr(b, nl, lang);
    M(b, ">");
    T(b, name);
    M(b, "</h1>\n");
    if (addr) {
        M(b, "<p class=\"address\"><span class=\"label\">");
        T(b, W(lang, W_ADDRESS));
        M(b, ":</span> ");
        T(b, addr);
        M(b, "</p>\n");
    }
    alerts(b, v, lang);
    if (v->content->n_cards == 0) {
        M(b, "<p class=\"none\">");
        T(b, W(lang, W_NONE));
        M(b, "</p>\n");
    }
    /* Today's events, the coming ones, then the notices. */
    for (pass = 0; pass < 3; pass++) {
        static const enum word heads[] = {W_TODAY, W_COMING, W_BULLETINS};
        static const char *const ids[] = {"today-h", "coming-h", "notices-h"};
        n = 0;
        for (i = 0; i < v->content->n_cards; i++) {
            const struct taulu_card *c = &v->content->cards[i];
            bool fits =
                pass == 2 ? !c->has_event
                          : c->has_event && is_today(c, v->now) == (pass == 0);
            if (!fits) {
                continue;
            }
            if (n++ == 0) {
                taulu_buf_appendf(b,
                                  "<section aria-labelledby=\"%s\">\n"
                                  "<h2 id=\"%s\">",
                                  ids[pass], ids[pass]);
                T(b, W(lang, heads[pass]));
                M(b, "</h2>\n<ul class=\"items\">\n");
            }
            M(b, "<li>\n");
            article(b, v, c, lang, false);
            M(b, "</li>\n");
        }
        if (n) {
            M(b, "</ul>\n</section>\n");
        }
    }
    hours(b, v, lang);
    M(b, "<section aria-labelledby=\"feeds-h\">\n<h2 id=\"feeds-h\">");
    T(b, W(lang, W_SUBSCRIBE));
    taulu_buf_appendf(b,
                      "</h2>\n<ul class=\"feeds\">\n<li><a href=\"%s/"
                      "calendar.ics?lang=%s\">",
                      path, lang);
    T(b, W(lang, W_ICS));
    taulu_buf_appendf(b, "</a></li>\n<li><a href=\"%s/feed.atom?lang=%s\">",
                      path, lang);
    T(b, W(lang, W_ATOM));
    M(b, "</a></li>\n</ul>\n</section>\n</main>\n");
    footer(b, lang);
    return b->len < b->limit ? 0 : TAULU_ELIMIT;
}

static const struct taulu_card *find_card(const struct srv_public_view *v,
                                          int64_t item_id)
{
    size_t i;

    for (i = 0; v->content && i < v->content->n_cards; i++) {
        if (card_item(&v->content->cards[i]) == item_id) {
            return &v->content->cards[i];
        }
    }
    return NULL;
}

static void back_link(struct taulu_buf *b, const struct srv_public_view *v,
                      const char *lang)
{
    const char *nl, *name = centre_name(v, lang, &nl);

    taulu_buf_appendf(b,
                      "<p class=\"back\"><a href=\"/public/centres/%lld"
                      "?lang=%s\">",
                      (long long)v->centre_id, lang);
    T(b, W(lang, W_BACK));
    M(b, ": <span");
    lang_attr(b, nl, lang);
    M(b, ">");
    T(b, name);
    M(b, "</span></a></p>\n");
}

int srv_public_render_item(const struct srv_public_view *v, int64_t item_id,
                           const char *lang, struct taulu_buf *b)
{
    const struct taulu_card *c = find_card(v, item_id);
    const struct taulu_card_version *ver;
    const char *nl, *name = centre_name(v, lang, &nl);
    char path[96], title[600];

    if (!c || !(ver = version_of(c, lang))) {
        return TAULU_ENOTFOUND;
    }
    snprintf(path, sizeof path, "/public/centres/%lld/items/%lld",
             (long long)v->centre_id, (long long)item_id);
    snprintf(title, sizeof title, "%s: %s", ver->title, name);
    head(b, lang, title, v);
    header(b, v, lang, path);
    M(b, "<main id=\"main\" tabindex=\"-1\">\n");
    /* The item first (its h1 opens the page), the centre's alerts
     * after it. */
    article(b, v, c, lang, true);
    alerts(b, v, lang);
    back_link(b, v, lang);
    M(b, "</main>\n");
    footer(b, lang);
    return b->len < b->limit ? 0 : TAULU_ELIMIT;
}

int srv_public_render_gone(const struct srv_public_view *v, const char *lang,
                           struct taulu_buf *b)
{
    const char *nl, *name = centre_name(v, lang, &nl);
    char title[400];

    snprintf(title, sizeof title, "%s: %s", W(lang, W_GONE), name);
    head(b, lang, title, v);
    header(b, v, lang, "");
    M(b, "<main id=\"main\" tabindex=\"-1\">\n<h1>");
    T(b, W(lang, W_GONE));
    M(b, "</h1>\n");
    back_link(b, v, lang);
    M(b, "</main>\n");
    footer(b, lang);
    return b->len < b->limit ? 0 : TAULU_ELIMIT;
}

int srv_public_render_index(const struct srv_centre *c, size_t n,
                            struct taulu_buf *b)
{
    size_t i;

    head(b, "fi", "Infotaulu: keskukset / centren / centres", NULL);
    M(b, "<header class=\"top\">\n<p class=\"brand\">Infotaulu</p>\n"
         "</header>\n<main id=\"main\" tabindex=\"-1\">\n<h1>Keskukset "
         "<span lang=\"sv\">/ Centren</span> <span lang=\"en\">/ "
         "Centres</span></h1>\n<ul class=\"centres\">\n");
    for (i = 0; i < n; i++) {
        taulu_buf_appendf(b, "<li><a href=\"/public/centres/%lld\">",
                          (long long)c[i].id);
        T(b, c[i].name);
        M(b, "</a></li>\n");
    }
    M(b, "</ul>\n</main>\n");
    footer(b, "fi");
    return b->len < b->limit ? 0 : TAULU_ELIMIT;
}
