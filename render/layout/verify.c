/*
 * verify.c: the proof every layout ends with (card_layout.h), and the
 * verdict's issues as sentences for a volunteer.
 *
 * The checks read only the boxes, the card's strings and the verdict, not
 * how the solver got there, so they hold whatever the solver does:
 *
 *  - every box but the page's background lies in the safe area (the card
 *    area inside the margin of RENDER_R_SAFE);
 *  - no two boxes overlap, except a text on its own backing (a chip's
 *    label on the chip, a caption on its backing), wholly inside it;
 *  - every text box is set at or above the floor size (body_px);
 *  - for every field of the card, the boxes that show it (in page order,
 *    copies like the running head aside) cover its words exactly once and
 *    in order: between two boxes only blanks, a soft hyphen where the line
 *    ends in a drawn hyphen, or a list separator the break replaced; where
 *    two boxes meet inside a word, the first ends in a hyphen at a
 *    syllable boundary (reported in the verdict), after the word's own
 *    hyphen or an address's "/" (nothing added), or is a reported cut;
 *    what is not covered must be reported not placed or left out;
 *  - the QR code and the image are drawn exactly once (or reported);
 *  - every agenda page shows at least one row;
 *  - the verdict's page count and class match the pages.
 */
#include <stdio.h>
#include <string.h>

#include "layout_int.h"
#include "taulu_err.h"
#include "taulu_utf8.h"

static int failed(struct render_issue *out, enum render_check check,
                  size_t page, enum render_field f, unsigned row, size_t byte)
{
    if (out) {
        memset(out, 0, sizeof *out);
        out->kind = RENDER_ISSUE_INVARIANT;
        out->check = check;
        out->page = page;
        out->field = f;
        out->row = row;
        out->byte = byte;
    }
    return TAULU_EVALUE;
}

static bool inside(const struct render_box *in, const struct render_box *out)
{
    return in->x >= out->x && in->y >= out->y &&
           in->x + in->w <= out->x + out->w && in->y + in->h <= out->y + out->h;
}

static bool overlap(const struct render_box *a, const struct render_box *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
           b->y < a->y + a->h;
}

static bool is_background(const struct render_box *b)
{
    return b->kind == RENDER_BOX_FILL && b->part == RENDER_PART_BACKGROUND;
}

static bool is_row_field(enum render_field f)
{
    return f == RENDER_FIELD_ROW_TIME || f == RENDER_FIELD_ROW_TITLE;
}

/* An issue of one of the kinds that excuse text not shown: for the field,
 * or for an agenda row at or before this one (the rows from it on are not
 * shown: one issue for them all). *whole: the field may be missing whole
 * (a later row's, or the time of the row the issue names). */
static const struct render_issue *not_shown(const struct render_verdict *v,
                                            enum render_field f, unsigned row,
                                            bool *whole)
{
    for (size_t i = 0; i < v->n_issues; i++) {
        const struct render_issue *is = &v->issues[i];
        if (is->kind != RENDER_ISSUE_NOT_PLACED &&
            is->kind != RENDER_ISSUE_LEFT_OUT &&
            is->kind != RENDER_ISSUE_NO_ROOM) {
            continue;
        }
        if (is->field == f && is->row == row) {
            *whole = false;
            return is;
        }
        if (is_row_field(f) && is_row_field(is->field) &&
            (is->row < row || (is->row == row && f == RENDER_FIELD_ROW_TIME))) {
            *whole = true;
            return is;
        }
    }
    return NULL;
}

static bool reported_word(const struct render_verdict *v,
                          enum render_issue_kind kind, enum render_field f,
                          unsigned row, size_t at)
{
    if (v->more_issues) {
        return true; /* the word issues beyond the array were dropped */
    }
    for (size_t i = 0; i < v->n_issues; i++) {
        const struct render_issue *is = &v->issues[i];
        if (is->kind == kind && is->field == f && is->row == row &&
            is->byte <= at && at <= is->byte + is->len) {
            return true;
        }
    }
    return false;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool all_blank(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        if (!blank(s[i])) {
            return false;
        }
    }
    return true;
}

/* blanks, one list separator, blanks */
static bool separator_gap(const char *s, size_t a, size_t b)
{
    size_t i = a;
    while (i < b && blank(s[i])) {
        i++;
    }
    if (i >= b) {
        return false;
    }
    size_t q = i;
    uint32_t cp = 0;
    if (taulu_utf8_decode(s, b, &q, &cp) < 0 ||
        !(cp == 0xB7 || cp == 0x2022 || cp == '|')) {
        return false;
    }
    return all_blank(s, q, b);
}

static size_t word_end(const char *s, size_t at, size_t len)
{
    while (at < len && !blank(s[at])) {
        at++;
    }
    return at;
}

/* Was the break before `at` one of a word's own: after its hyphen or dash,
 * or after an address's / . @ ? & = _ ? */
static bool own_break(const char *s, size_t at)
{
    if (at == 0) {
        return false;
    }
    char c = s[at - 1];
    if (c == '-' || c == '/' || c == '.' || c == '@' || c == '?' || c == '&' ||
        c == '=' || c == '_') {
        return true;
    }
    return at >= 3 && memcmp(s + at - 3, "\xe2\x80\x93", 3) == 0; /* – */
}

struct walk {
    const struct render_card *card;
    const struct render_layout *L;
    enum render_field f;
    unsigned row;
    const char *str;
    size_t len, pos;
    const struct render_box *prev;
    size_t prev_start;
    size_t boxes;
};

static int walk_box(struct walk *w, const struct render_box *b, size_t page,
                    struct render_issue *fail)
{
    const struct render_verdict *v = &w->L->verdict;
    const char *s = w->str;
    if (b->text < s || (size_t)(b->text - s) + b->len > w->len) {
        return failed(fail, RENDER_CHECK_WORDS, page, w->f, w->row, 0);
    }
    size_t start = (size_t)(b->text - s);
    if (start < w->pos || b->len == 0) {
        return failed(fail, RENDER_CHECK_WORDS, page, w->f, w->row, start);
    }
    const struct render_box *p = w->prev;
    if (!p) {
        if (!all_blank(s, w->pos, start)) {
            return failed(fail, RENDER_CHECK_WORDS, page, w->f, w->row, 0);
        }
    } else if (start == w->pos) {
        /* two boxes meet inside a word */
        unsigned fl = p->flags;
        if (fl & RENDER_LINE_CUT_WORD) {
            if (!reported_word(v, RENDER_ISSUE_WORD_CUT, w->f, w->row, start)) {
                return failed(fail, RENDER_CHECK_BREAK, page, w->f, w->row,
                              start);
            }
        } else if (fl & RENDER_LINE_SYLLABLE) {
            if (!(fl & RENDER_LINE_HYPHEN) ||
                !render_syllable_break_ok(s, w->prev_start,
                                          word_end(s, start, w->len), start) ||
                !reported_word(v, RENDER_ISSUE_WORD_TOO_WIDE, w->f, w->row,
                               start)) {
                return failed(fail, RENDER_CHECK_BREAK, page, w->f, w->row,
                              start);
            }
        } else if (!(fl & RENDER_LINE_WORD_BREAK) || !own_break(s, start)) {
            /* cut with no hyphen, or a soft hyphen break that lost it */
            return failed(fail, RENDER_CHECK_BREAK, page, w->f, w->row, start);
        }
    } else {
        unsigned fl = p->flags;
        bool shy_gap = start - w->pos == 2 &&
                       (unsigned char)s[w->pos] == 0xC2 &&
                       (unsigned char)s[w->pos + 1] == 0xAD;
        if ((fl & RENDER_LINE_HYPHEN) &&
            !(fl & (RENDER_LINE_SYLLABLE | RENDER_LINE_CUT_WORD))) {
            if (!shy_gap) {
                return failed(fail, RENDER_CHECK_BREAK, page, w->f, w->row,
                              start);
            }
        } else if (fl & RENDER_LINE_IN_WORD) {
            /* a hyphen drawn where the word had ended */
            return failed(fail, RENDER_CHECK_BREAK, page, w->f, w->row, start);
        } else if ((fl & RENDER_LINE_SEP) ? !separator_gap(s, w->pos, start)
                                          : !all_blank(s, w->pos, start)) {
            return failed(fail, RENDER_CHECK_WORDS, page, w->f, w->row, w->pos);
        }
    }
    w->pos = start + b->len;
    w->prev = b;
    w->prev_start = start;
    w->boxes++;
    return 0;
}

/* Is the field expected on this kind of card? */
static bool expected(const struct render_card *c, enum render_field f)
{
    bool extras = c->kind == RENDER_CARD_EVENT ||
                  c->kind == RENDER_CARD_BULLETIN ||
                  c->kind == RENDER_CARD_CONTINUATION;
    bool agenda = c->kind == RENDER_CARD_AGENDA && c->n_rows > 0;
    switch (f) {
    case RENDER_FIELD_TITLE:
        return true;
    case RENDER_FIELD_BODY:
        return !agenda;
    case RENDER_FIELD_WHEN:
    case RENDER_FIELD_REPEAT:
    case RENDER_FIELD_WHERE:
    case RENDER_FIELD_PRICE:
    case RENDER_FIELD_REGISTRATION:
    case RENDER_FIELD_ACCESSIBILITY:
    case RENDER_FIELD_ORGANISATION:
    case RENDER_FIELD_CONTACT:
    case RENDER_FIELD_LINK:
        return extras;
    case RENDER_FIELD_IMAGE:
    case RENDER_FIELD_CAPTION:
        return extras && (lay_present(c->image.path) || c->image.rgba);
    case RENDER_FIELD_CATEGORY:
        return lay_present(c->category_label) &&
               (lay_present(c->category) ||
                render_category_index(c->category) >= 0);
    case RENDER_FIELD_ROW_TIME:
    case RENDER_FIELD_ROW_TITLE:
        return agenda;
    default:
        return false;
    }
}

static int check_field(const struct render_card *card,
                       const struct render_layout *L, enum render_field f,
                       unsigned row, struct render_issue *fail)
{
    const char *str = render_card_field(card, f, row);
    bool want = expected(card, f) && lay_present(str);
    struct walk w = {card, L,    f, row, str, want ? strlen(str) : 0,
                     0,    NULL, 0, 0};
    for (size_t pg = 0; pg < L->n_pages; pg++) {
        const struct render_page *page = &L->pages[pg];
        for (size_t i = 0; i < page->n; i++) {
            const struct render_box *b = &page->boxes[i];
            if (b->kind != RENDER_BOX_TEXT || b->field != f || b->row != row ||
                (b->flags & RENDER_BOX_REPEAT) ||
                (b->flags & RENDER_BOX_OWN_TEXT)) {
                continue;
            }
            if (!want) {
                return failed(fail, RENDER_CHECK_WORDS, pg, f, row, 0);
            }
            int rc = walk_box(&w, b, pg, fail);
            if (rc < 0) {
                return rc;
            }
        }
    }
    if (!want || all_blank(str, w.pos, w.len)) {
        return 0;
    }
    /* text not covered: must be reported, from where it stops */
    size_t first = w.pos;
    while (first < w.len && blank(str[first])) {
        first++;
    }
    if (w.prev && (w.prev->flags & RENDER_LINE_HYPHEN) &&
        !(w.prev->flags & (RENDER_LINE_SYLLABLE | RENDER_LINE_CUT_WORD)) &&
        first + 1 < w.len && (unsigned char)str[first] == 0xC2 &&
        (unsigned char)str[first + 1] == 0xAD) {
        first += 2; /* the soft hyphen the last line's hyphen replaced */
    }
    if (w.prev && (w.prev->flags & RENDER_LINE_SEP)) {
        /* the separator the last line's break replaced */
        size_t q = first;
        uint32_t cp = 0;
        if (taulu_utf8_decode(str, w.len, &q, &cp) >= 0 &&
            (cp == 0xB7 || cp == 0x2022 || cp == '|')) {
            first = q;
            while (first < w.len && blank(str[first])) {
                first++;
            }
        }
    }
    bool whole = false;
    const struct render_issue *is = not_shown(&L->verdict, f, row, &whole);
    if (!is || (!whole && w.boxes > 0 && is->byte > first)) {
        return failed(fail, RENDER_CHECK_WORDS, L->n_pages ? L->n_pages - 1 : 0,
                      f, row, first);
    }
    return 0;
}

static int check_box_once(const struct render_card *card,
                          const struct render_layout *L, enum render_field f,
                          enum render_box_kind kind, bool present,
                          struct render_issue *fail)
{
    size_t n = 0;
    for (size_t pg = 0; pg < L->n_pages; pg++) {
        for (size_t i = 0; i < L->pages[pg].n; i++) {
            const struct render_box *b = &L->pages[pg].boxes[i];
            n += b->kind == kind && b->field == f;
        }
    }
    bool want = expected(card, f) && present;
    bool whole = false;
    if (n == (want ? 1u : 0u) ||
        (want && n == 0 && not_shown(&L->verdict, f, 0, &whole))) {
        return 0;
    }
    return failed(fail, RENDER_CHECK_WORDS, 0, f, 0, 0);
}

int render_layout_verify(const struct render_card *card,
                         const struct render_sizes *s,
                         const struct render_frame *fr,
                         const struct render_layout *L,
                         struct render_issue *fail)
{
    if (!card || !s || !fr || !L) {
        return TAULU_EINVAL;
    }
    int x0 = fr->card_x + s->margin;
    int x1 = fr->card_x + fr->card_w - s->margin;
    int y0 = fr->card_y > s->margin ? fr->card_y : s->margin;
    int y1 = fr->card_y + fr->card_h - s->margin;
    if (L->n_pages == 0 || L->n_pages > RENDER_MAX_PAGES) {
        return failed(fail, RENDER_CHECK_VERDICT, 0, RENDER_FIELD_NONE, 0, 0);
    }
    bool agenda = card->kind == RENDER_CARD_AGENDA && card->n_rows > 0;
    for (size_t pg = 0; pg < L->n_pages; pg++) {
        const struct render_page *page = &L->pages[pg];
        size_t rows = 0;
        if (page->dropped > 0) {
            return failed(fail, RENDER_CHECK_BOXES, pg, RENDER_FIELD_NONE, 0,
                          0);
        }
        for (size_t i = 0; i < page->n; i++) {
            const struct render_box *b = &page->boxes[i];
            if (is_background(b)) {
                continue;
            }
            if (b->x < x0 || b->y < y0 || b->w < 0 || b->h <= 0 ||
                b->x + b->w > x1 || b->y + b->h > y1) {
                return failed(fail, RENDER_CHECK_SAFE_AREA, pg, b->field,
                              b->row, 0);
            }
            if (b->kind == RENDER_BOX_TEXT) {
                int px = render_font_px(s, b->font);
                if (px < s->body_px || b->h < px) {
                    return failed(fail, RENDER_CHECK_FLOOR, pg, b->field,
                                  b->row, 0);
                }
                rows += (b->field == RENDER_FIELD_ROW_TITLE ||
                         b->field == RENDER_FIELD_ROW_TIME);
            }
            for (size_t j = 0; j < i; j++) {
                const struct render_box *o = &page->boxes[j];
                if (is_background(o) || !overlap(b, o)) {
                    continue;
                }
                bool backed = (o->kind == RENDER_BOX_FILL &&
                               b->kind == RENDER_BOX_TEXT && inside(b, o)) ||
                              (b->kind == RENDER_BOX_FILL &&
                               o->kind == RENDER_BOX_TEXT && inside(o, b));
                if (!backed) {
                    return failed(fail, RENDER_CHECK_OVERLAP, pg, b->field,
                                  b->row, 0);
                }
            }
        }
        if (agenda && rows == 0 && L->verdict.fit != RENDER_FIT_CANNOT) {
            return failed(fail, RENDER_CHECK_ROWS, pg, RENDER_FIELD_NONE, 0, 0);
        }
    }
    static const enum render_field text_fields[] = {
        RENDER_FIELD_TITLE,        RENDER_FIELD_BODY,
        RENDER_FIELD_WHEN,         RENDER_FIELD_REPEAT,
        RENDER_FIELD_WHERE,        RENDER_FIELD_PRICE,
        RENDER_FIELD_REGISTRATION, RENDER_FIELD_ACCESSIBILITY,
        RENDER_FIELD_ORGANISATION, RENDER_FIELD_CONTACT,
        RENDER_FIELD_CATEGORY,     RENDER_FIELD_CAPTION};
    for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
        int rc = check_field(card, L, text_fields[i], 0, fail);
        if (rc < 0) {
            return rc;
        }
    }
    for (size_t r = 0; agenda && r < card->n_rows; r++) {
        int rc = check_field(card, L, RENDER_FIELD_ROW_TIME, (unsigned)r, fail);
        if (rc == 0) {
            rc =
                check_field(card, L, RENDER_FIELD_ROW_TITLE, (unsigned)r, fail);
        }
        if (rc < 0) {
            return rc;
        }
    }
    int rc = check_box_once(card, L, RENDER_FIELD_LINK, RENDER_BOX_QR,
                            lay_present(card->link), fail);
    if (rc == 0) {
        rc = check_box_once(card, L, RENDER_FIELD_IMAGE, RENDER_BOX_IMAGE,
                            lay_present(card->image.path) || card->image.rgba,
                            fail);
    }
    if (rc < 0) {
        return rc;
    }
    const struct render_verdict *v = &L->verdict;
    bool cannot = false;
    for (size_t i = 0; i < v->n_issues; i++) {
        enum render_issue_kind k = v->issues[i].kind;
        cannot = cannot || k == RENDER_ISSUE_WORD_CUT ||
                 k == RENDER_ISSUE_NOT_PLACED || k == RENDER_ISSUE_NO_ROOM ||
                 k == RENDER_ISSUE_INVARIANT;
    }
    enum render_fit want = cannot           ? RENDER_FIT_CANNOT
                           : L->n_pages > 1 ? RENDER_FIT_PAGES
                                            : RENDER_FIT_ONE_PAGE;
    if (v->pages != L->n_pages || v->fit != want) {
        return failed(fail, RENDER_CHECK_VERDICT, 0, RENDER_FIELD_NONE, 0, 0);
    }
    return 0;
}

int render_header_verify(const struct render_sizes *s,
                         const struct render_frame *fr,
                         const struct render_page *pg,
                         struct render_issue *fail)
{
    if (!s || !fr || !pg) {
        return TAULU_EINVAL;
    }
    if (pg->dropped) {
        return failed(fail, RENDER_CHECK_BOXES, 0, RENDER_FIELD_NONE, 0, 0);
    }
    for (size_t i = 0; i < pg->n; i++) {
        const struct render_box *b = &pg->boxes[i];
        if (b->kind != RENDER_BOX_TEXT) {
            continue;
        }
        if (b->x < s->margin || b->y < s->margin ||
            b->x + b->w > fr->header_w - s->margin ||
            b->y + b->h > fr->header_y + fr->header_h) {
            return failed(fail, RENDER_CHECK_SAFE_AREA, 0, RENDER_FIELD_NONE, 0,
                          0);
        }
        if (render_font_px(s, b->font) < s->body_px) {
            return failed(fail, RENDER_CHECK_FLOOR, 0, RENDER_FIELD_NONE, 0, 0);
        }
        for (size_t j = 0; j < i; j++) {
            const struct render_box *o = &pg->boxes[j];
            if (o->kind == RENDER_BOX_TEXT && overlap(b, o)) {
                return failed(fail, RENDER_CHECK_OVERLAP, 0, RENDER_FIELD_NONE,
                              0, 0);
            }
        }
    }
    return 0;
}

/* ---- the issues in words ---- */

enum msg_lang { ML_FI = 0, ML_SV, ML_EN };

static const char *const field_words[3][RENDER_FIELD_COUNT] = {
    {"", "otsikko", "teksti", "aika", "toistuvuus", "paikka", "hinta",
     "ilmoittautuminen", "esteettömyys", "järjestäjä", "yhteystieto", "aihe",
     "kuvateksti", "QR-koodi", "kuva", "päivä", "kellonaika", "tapahtuma",
     "edistyminen"},
    {"", "rubriken", "texten", "tiden", "upprepningen", "platsen", "priset",
     "anmälan", "tillgängligheten", "arrangören", "kontakten", "temat",
     "bildtexten", "QR-koden", "bilden", "dagen", "klockslaget", "evenemanget",
     "förloppet"},
    {"", "title", "text", "time", "repeat", "place", "price", "registration",
     "accessibility", "organisation", "contact", "category", "caption",
     "QR code", "image", "day", "time of day", "event", "progress"},
};

/* The word [byte, byte + len) of the field, soft hyphens out, at most 80
 * bytes. */
static void quote_word(const struct render_issue *is,
                       const struct render_card *card, char *buf, size_t size)
{
    const char *s = card ? render_card_field(card, is->field, is->row) : NULL;
    buf[0] = '\0';
    if (!s || is->byte + is->len > strlen(s)) {
        return;
    }
    size_t len = is->len;
    if (len > 80) {
        len = 80;
        while (len > 0 && ((unsigned char)s[is->byte + len] & 0xC0) == 0x80) {
            len--;
        }
    }
    render_visible_text(s + is->byte, len, false, buf, size);
}

size_t render_issue_text(const struct render_issue *is,
                         const struct render_card *card, const char *lang,
                         char *buf, size_t size)
{
    enum msg_lang l = lang && strcmp(lang, "fi") == 0   ? ML_FI
                      : lang && strcmp(lang, "sv") == 0 ? ML_SV
                                                        : ML_EN;
    const char *fw = is && (unsigned)is->field < RENDER_FIELD_COUNT
                         ? field_words[l][is->field]
                         : "";
    char word[128];
    int n = 0;
    int k = is ? is->lines : 0;
    if (!buf || size == 0) {
        return 0;
    }
    if (!is) {
        buf[0] = '\0';
        return 0;
    }
    switch (is->kind) {
    case RENDER_ISSUE_TITLE_LINES:
        n = snprintf(buf, size,
                     l == ML_FI ? "Otsikko on %d %s liian pitkä: enintään 2 "
                                  "riviä mahtuu."
                     : l == ML_SV ? "Rubriken är %d %s för lång: högst 2 rader "
                                    "ryms."
                                  : "The title is %d %s too long: at most 2 "
                                    "lines fit.",
                     k,
                     l == ML_FI   ? (k == 1 ? "rivin" : "riviä")
                     : l == ML_SV ? (k == 1 ? "rad" : "rader")
                                  : (k == 1 ? "line" : "lines"));
        break;
    case RENDER_ISSUE_CONTINUES:
        if (is->field == RENDER_FIELD_ROW_TITLE ||
            is->field == RENDER_FIELD_ROW_TIME) {
            n = snprintf(buf, size,
                         l == ML_FI   ? "Tapahtumalista jatkuu sivulle %zu."
                         : l == ML_SV ? "Evenemangslistan fortsätter på sida "
                                        "%zu."
                                      : "The list of events goes on to page "
                                        "%zu.",
                         is->page + 1);
        } else {
            n = snprintf(buf, size,
                         l == ML_FI   ? "Kortti ei mahdu yhdelle sivulle: %s "
                                        "jatkuu sivulle %zu (%d %s)."
                         : l == ML_SV ? "Kortet ryms inte på en sida: %s "
                                        "fortsätter på sida %zu (%d %s)."
                                      : "The card does not fit one page: the "
                                        "%s goes on to page %zu (%d %s).",
                         fw, is->page + 1, k,
                         l == ML_FI   ? (k == 1 ? "rivi" : "riviä")
                         : l == ML_SV ? (k == 1 ? "rad" : "rader")
                                      : (k == 1 ? "line" : "lines"));
        }
        break;
    case RENDER_ISSUE_SENTENCE_SPLIT:
        n = snprintf(buf, size,
                     l == ML_FI   ? "Virke on pidempi kuin sivu ja jakautuu "
                                    "kahdelle sivulle: lyhennä sitä."
                     : l == ML_SV ? "En mening är längre än en sida och delas "
                                    "på två sidor: korta den."
                                  : "A sentence is longer than a page and is "
                                    "split over two pages: shorten it.");
        break;
    case RENDER_ISSUE_WORD_TOO_WIDE:
    case RENDER_ISSUE_WORD_CUT:
        quote_word(is, card, word, sizeof word);
        n = snprintf(buf, size,
                     l == ML_FI ? "Sana \"%s\" (%s) on leveämpi kuin rivi%s."
                     : l == ML_SV
                         ? "Ordet \"%s\" (%s) är bredare än raden%s."
                         : "The word \"%s\" (%s) is wider than the line%s.",
                     word, fw,
                     is->kind == RENDER_ISSUE_WORD_CUT
                         ? (l == ML_FI ? ", eikä siitä mahdu riville edes tavu"
                            : l == ML_SV ? ", och inte ens en stavelse ryms"
                                         : ", and not even one syllable fits")
                         : "");
        break;
    case RENDER_ISSUE_NOT_PLACED:
        n = snprintf(buf, size,
                     l == ML_FI   ? "Kaikki ei mahdu näytölle: %s jää pois "
                                    "(enintään %d sivua)."
                     : l == ML_SV ? "Allt ryms inte på skärmen: %s visas inte "
                                    "(högst %d sidor)."
                                  : "Not everything fits the screen: the %s "
                                    "is not shown (at most %d pages).",
                     fw, RENDER_MAX_PAGES);
        break;
    case RENDER_ISSUE_LEFT_OUT:
        n = snprintf(buf, size,
                     l == ML_FI ? "Näytöllä %s jätetään pois, jotta sivulle "
                                  "mahtuu tapahtuma."
                     : l == ML_SV ? "På skärmen utelämnas %s så att en rad "
                                    "ryms på sidan."
                                  : "On this screen the %s is left out so "
                                    "that an event fits the page.",
                     fw);
        break;
    case RENDER_ISSUE_NO_ROOM:
        n = snprintf(
            buf, size,
            l == ML_FI   ? "Näyttö ei mahda tätä (%s): sivulle mahtuu %d "
                           "riviä. Katseluetäisyys on liian pitkä tai näyttö "
                           "liian pieni."
            : l == ML_SV ? "Skärmen rymmer inte detta (%s): en sida rymmer "
                           "%d rader. Avståndet är för långt eller skärmen "
                           "för liten."
                         : "The screen cannot hold this (%s): a page holds "
                           "%d line(s). The viewing distance is too long or "
                           "the screen too small.",
            fw, k);
        break;
    case RENDER_ISSUE_INVARIANT:
        n = snprintf(buf, size,
                     l == ML_FI   ? "Asettelussa on virhe (tarkistus %d, sivu "
                                    "%zu)."
                     : l == ML_SV ? "Fel i layouten (kontroll %d, sida %zu)."
                                  : "Layout error (check %d, page %zu).",
                     (int)is->check, is->page + 1);
        break;
    case RENDER_ISSUE_NONE:
    default:
        buf[0] = '\0';
        break;
    }
    return n > 0 ? (size_t)n : 0;
}

enum render_gate render_verdict_gate(const struct render_verdict *v)
{
    size_t i;

    if (!v || v->fit == RENDER_FIT_CANNOT) {
        return RENDER_GATE_LOST;
    }
    if (v->fit != RENDER_FIT_ONE_PAGE || v->pages > 1) {
        return RENDER_GATE_PAGES;
    }
    for (i = 0; i < v->n_issues; i++) {
        switch (v->issues[i].kind) {
        case RENDER_ISSUE_TITLE_LINES:
        case RENDER_ISSUE_WORD_TOO_WIDE:
        case RENDER_ISSUE_CONTINUES:
        case RENDER_ISSUE_SENTENCE_SPLIT:
            return RENDER_GATE_PAGES;
        case RENDER_ISSUE_WORD_CUT:
        case RENDER_ISSUE_NOT_PLACED:
        case RENDER_ISSUE_NO_ROOM:
        case RENDER_ISSUE_INVARIANT:
            return RENDER_GATE_LOST;
        default:
            break;
        }
    }
    return v->more_issues ? RENDER_GATE_PAGES : RENDER_GATE_ONE_PAGE;
}

const char *render_gate_name(enum render_gate g)
{
    switch (g) {
    case RENDER_GATE_ONE_PAGE:
        return "one_page";
    case RENDER_GATE_PAGES:
        return "pages";
    case RENDER_GATE_LOST:
        return "lost";
    }
    return "";
}
