/*
 * card_layout.c: a card model + sizes -> positioned boxes and a verdict;
 * see card_layout.h. The solver for text cards (bulletin, event, alert,
 * calm, loading, continuation) lives here; the flow engine in flow.c, the
 * agenda in agenda.c, the header in header.c and the verification every
 * layout ends with in verify.c.
 *
 * Arrangements tried, in order of preference (a card keeps the first that
 * is best by: everything placed, fewest pages, fewest words broken, fewest
 * sentences split, event rows on page 1, most body on page 1):
 *
 *   side column          media column        stacked
 *   +------------+---+   +------------+--+   +--------------+
 *   | title      |row|   | title      |QR|   | title        |
 *   | body       |row|   | rows       |  |   | rows...  | QR |
 *   | body       |QR |   | body       |im|   | body...  +----+
 *   | chip  1/2  |img|   | chip  1/2  |  |   | [band: QR img] |
 *   +------------+---+   +------------+--+   | chip     1/2   |
 *                                            +----------------+
 * A side column is used only where its rows, QR code and image all fit
 * it at full size; the QR code and the image are boxes the solver owns
 * (beside the text at the top or the foot, in a band at the foot of page
 * 1, or after the body). Continuation pages are one column: the title
 * once at the floor size (if it fits a line), the rest of the text.
 */
#include "card_layout.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "dwell.h"
#include "layout_int.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_utf8.h"

/* ---- small helpers shared by the layout's files ---- */

bool lay_present(const char *s)
{
    return s && s[0];
}

int lay_em(const struct lay *L, double em)
{
    return (int)(em * L->s->body_px + 0.5);
}

int render_font_px(const struct render_sizes *s, enum render_font font)
{
    switch (font) {
    case RENDER_FONT_TITLE:
        return s->title_px;
    case RENDER_FONT_SECONDARY:
    case RENDER_FONT_SECONDARY_BOLD:
        return s->secondary_px;
    case RENDER_FONT_BODY:
    case RENDER_FONT_BODY_BOLD:
    default:
        return s->body_px;
    }
}

int lay_measure(const struct render_measurer *m, enum render_font font,
                const char *s, size_t len)
{
    char buf[1024];
    int w;
    if (len == 0) {
        return 0;
    }
    if (render_has_soft_hyphen(s, len) && len < sizeof buf) {
        size_t n = render_visible_text(s, len, false, buf, sizeof buf);
        w = m->measure(m->ctx, font, buf, n);
    } else {
        w = m->measure(m->ctx, font, s, len);
    }
    return w < 0 ? 0 : w;
}

struct mctx {
    const struct render_measurer *m;
    enum render_font font;
};

static int measure_tramp(void *ctx, const char *s, size_t len)
{
    const struct mctx *c = ctx;
    return c->m->measure(c->m->ctx, c->font, s, len);
}

int lay_line(const struct render_measurer *m, enum render_font font,
             const char *lang, int width, const char *s, size_t len, size_t pos,
             struct render_line *ln, size_t *next)
{
    struct mctx mc = {m, font};
    struct render_lb_params p = {.max_width = width > 1 ? width : 1,
                                 .lang = lang,
                                 .measure = measure_tramp,
                                 .measure_ctx = &mc};
    return render_lb_line(s, len, pos, &p, ln, next);
}

struct render_box *lay_add_box(struct render_page *pg,
                               enum render_box_kind kind, enum render_part part,
                               int x, int y, int w, int h)
{
    if (!pg) {
        return NULL; /* planning only */
    }
    if (pg->n >= RENDER_PAGE_MAX_BOXES) {
        pg->dropped++; /* the verification reports it */
        return NULL;
    }
    struct render_box *b = &pg->boxes[pg->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->part = part;
    b->x = x;
    b->y = y;
    b->w = w;
    b->h = h;
    b->category = -1;
    return b;
}

struct render_box *lay_add_fill(struct render_page *pg, enum render_part part,
                                int x, int y, int w, int h,
                                enum render_colour bg)
{
    struct render_box *b = lay_add_box(pg, RENDER_BOX_FILL, part, x, y, w, h);
    if (b) {
        b->bg = bg;
    }
    return b;
}

struct render_box *lay_add_text(struct render_page *pg, enum render_part part,
                                enum render_field field, enum render_font font,
                                enum render_colour fg, enum render_colour bg,
                                int x, int y, int w, int lh, const char *s,
                                size_t len, unsigned flags)
{
    struct render_box *b = lay_add_box(pg, RENDER_BOX_TEXT, part, x, y, w, lh);
    if (b) {
        b->font = font;
        b->fg = fg;
        b->bg = bg;
        b->text = s;
        b->len = len;
        b->flags = flags;
        b->field = field;
    }
    return b;
}

struct render_box *lay_add_own(struct render_page *pg,
                               const struct render_measurer *m,
                               enum render_part part, enum render_font font,
                               enum render_colour fg, enum render_colour bg,
                               int x, int y, int lh, const char *s, size_t len,
                               bool right)
{
    if (!pg) {
        return NULL;
    }
    if (pg->own_len + len > sizeof pg->own) {
        pg->dropped++;
        return NULL;
    }
    size_t off = pg->own_len;
    memcpy(pg->own + off, s, len);
    pg->own_len += len;
    int w = lay_measure(m, font, s, len);
    struct render_box *b = lay_add_text(pg, part, RENDER_FIELD_NONE, font, fg,
                                        bg, right ? x - w : x, y, w, lh, NULL,
                                        len, RENDER_BOX_OWN_TEXT);
    if (b) {
        b->text = (const char *)(uintptr_t)off;
    }
    return b;
}

const char *render_box_text(const struct render_page *pg,
                            const struct render_box *b, size_t *len)
{
    *len = b->len;
    if (b->flags & RENDER_BOX_OWN_TEXT) {
        size_t off = (size_t)(uintptr_t)b->text;
        return pg->own + off;
    }
    return b->text;
}

size_t render_box_visible(const struct render_page *pg,
                          const struct render_box *b, char *buf, size_t size)
{
    size_t len = 0;
    const char *s = render_box_text(pg, b, &len);
    if (!s || size == 0) {
        if (size > 0) {
            buf[0] = '\0';
        }
        return 0;
    }
    return render_visible_text(s, len, (b->flags & RENDER_LINE_HYPHEN) != 0,
                               buf, size);
}

const char *render_field_name(enum render_field f)
{
    static const char *const names[RENDER_FIELD_COUNT] = {
        "",        "title",    "body",         "when",          "repeat",
        "place",   "price",    "registration", "accessibility", "organisation",
        "contact", "category", "caption",      "link",          "image",
        "day",     "time",     "event",        "progress"};
    return (unsigned)f < RENDER_FIELD_COUNT ? names[f] : "";
}

const char *render_card_field(const struct render_card *c, enum render_field f,
                              size_t row)
{
    switch (f) {
    case RENDER_FIELD_TITLE:
        return c->title;
    case RENDER_FIELD_BODY:
        return c->body;
    case RENDER_FIELD_WHEN:
        return c->when;
    case RENDER_FIELD_REPEAT:
        return c->repeat;
    case RENDER_FIELD_WHERE:
        return c->where;
    case RENDER_FIELD_PRICE:
        return c->price;
    case RENDER_FIELD_REGISTRATION:
        return c->registration;
    case RENDER_FIELD_ACCESSIBILITY:
        return c->accessibility;
    case RENDER_FIELD_ORGANISATION:
        return c->organisation;
    case RENDER_FIELD_CONTACT:
        return c->contact;
    case RENDER_FIELD_CATEGORY:
        return c->category_label;
    case RENDER_FIELD_CAPTION:
        return c->image.caption;
    case RENDER_FIELD_LINK:
        return c->link;
    case RENDER_FIELD_ROW_DAY:
        return c->rows && row < c->n_rows ? c->rows[row].day : NULL;
    case RENDER_FIELD_ROW_TIME:
        return c->rows && row < c->n_rows ? c->rows[row].time : NULL;
    case RENDER_FIELD_ROW_TITLE:
        return c->rows && row < c->n_rows ? c->rows[row].title : NULL;
    case RENDER_FIELD_NONE:
    case RENDER_FIELD_IMAGE:
    case RENDER_FIELD_PROGRESS:
    default:
        return NULL;
    }
}

const char *render_fit_name(enum render_fit fit)
{
    switch (fit) {
    case RENDER_FIT_ONE_PAGE:
        return "one page";
    case RENDER_FIT_PAGES:
        return "pages";
    case RENDER_FIT_CANNOT:
    default:
        return "cannot";
    }
}

/* Word issues kept at most: the rest only set more_issues, so that the
 * issues that decide (not placed, no room) always find room. */
#define MAX_WORD_ISSUES 12

void lay_issue(struct render_verdict *v, enum render_issue_kind kind,
               enum render_field f, unsigned row, size_t byte, size_t len,
               int lines, size_t page)
{
    size_t words = 0;
    for (size_t i = 0; i < v->n_issues; i++) {
        const struct render_issue *is = &v->issues[i];
        if (is->kind == kind && is->field == f && is->row == row &&
            is->byte == byte) {
            return;
        }
        words += is->kind == RENDER_ISSUE_WORD_TOO_WIDE ||
                 is->kind == RENDER_ISSUE_WORD_CUT;
    }
    bool word =
        kind == RENDER_ISSUE_WORD_TOO_WIDE || kind == RENDER_ISSUE_WORD_CUT;
    if (v->n_issues >= RENDER_MAX_ISSUES ||
        (word && words >= MAX_WORD_ISSUES)) {
        v->more_issues = true;
        return;
    }
    struct render_issue *is = &v->issues[v->n_issues++];
    memset(is, 0, sizeof *is);
    is->kind = kind;
    is->field = f;
    is->row = row;
    is->byte = byte;
    is->len = len;
    is->lines = lines;
    is->page = page;
}

void lay_word_at(const char *s, size_t at, size_t *a, size_t *b)
{
    size_t len = s ? strlen(s) : 0;
    if (at > len) {
        at = len;
    }
    size_t i = at, j = at;
    while (i > 0 && s[i - 1] != ' ' && s[i - 1] != '\n' && s[i - 1] != '\t') {
        i--;
    }
    while (j < len && s[j] != ' ' && s[j] != '\n' && s[j] != '\t') {
        j++;
    }
    *a = i;
    *b = j;
}

/* ---- text cards: the solver ---- */

/* Where a QR code or an image goes. */
enum place {
    P_NONE = 0,
    P_SIDE,         /* the right column of page 1 */
    P_FLOAT_TOP,    /* beside the text, right, under the title */
    P_FLOAT_BOTTOM, /* beside the text, right, at the foot of page 1 */
    P_BAND,         /* a band across the foot of page 1 */
    P_END,          /* after the text, where it ends */
};

struct arrangement {
    double side;    /* right column (part of the width); 0: one column */
    bool meta_side; /* event rows in the right column */
    enum place qr, img;
    bool small_qr; /* the QR code beside the text at its smallest */
};

/* In order of preference; a card uses those that apply to it. */
static const struct arrangement arrangements[] = {
    {RENDER_R_SIDE_NARROW, true, P_SIDE, P_SIDE, false},
    {RENDER_R_SIDE_WIDE, true, P_SIDE, P_SIDE, false},
    {RENDER_R_MEDIA_COL, false, P_SIDE, P_SIDE, false},
    {0.0, false, P_FLOAT_TOP, P_BAND, false},
    {0.0, false, P_BAND, P_BAND, false},
    {0.0, false, P_FLOAT_BOTTOM, P_END, false},
    {0.0, false, P_FLOAT_TOP, P_END, false},
    {0.0, false, P_FLOAT_BOTTOM, P_END, true},
    {0.0, false, P_FLOAT_TOP, P_END, true},
    {0.0, false, P_END, P_END, false},
};
#define N_ARRANGEMENTS (sizeof arrangements / sizeof arrangements[0])

/* How an arrangement came out, for comparing. */
struct outcome {
    bool valid;  /* usable (a side column that fits, room for a float) */
    bool cannot; /* something not placed */
    size_t pages;
    int cuts, syllables, splits, meta_later, p1_body;
    size_t order;
    int w1;             /* first page's main column */
    size_t credit_open; /* a page the credit line opened alone (0: none) */
    bool title_alone;   /* a page holds only the title */
};

/* The card's items, in reading order. */
/* The event rows, in their order on the card: when, the repeat rule,
 * where, price, registration, accessibility. */
#define N_META 6

struct items {
    struct fitem title;
    struct fitem meta[N_META];
    size_t n_meta;
    struct fitem body;
    struct fitem credit[2];
    size_t n_credit;
    struct fitem progress;
    struct fitem qr, img;
    bool has_qr, has_img;
};

static struct fitem text_item(const struct lay *L, enum render_field f,
                              enum render_part part, const char *text,
                              enum render_font font, enum render_colour fg,
                              int lh, unsigned rules)
{
    struct fitem it;
    memset(&it, 0, sizeof it);
    it.kind = FI_TEXT;
    it.field = f;
    it.part = part;
    it.text = text;
    it.font = font;
    it.fg = fg;
    it.lh = lh;
    it.gap = L->s->gap;
    it.rules = rules;
    return it;
}

static void make_items(const struct lay *L, struct items *I)
{
    const struct render_card *c = L->card;
    const struct render_sizes *s = L->s;
    memset(I, 0, sizeof *I);
    I->title = text_item(L, RENDER_FIELD_TITLE, RENDER_PART_TITLE, c->title,
                         RENDER_FONT_TITLE, L->fg, s->title_line, 0);
    bool extras = c->kind == RENDER_CARD_EVENT ||
                  c->kind == RENDER_CARD_BULLETIN ||
                  c->kind == RENDER_CARD_CONTINUATION;
    if (extras) {
        /* when, bold; the rest share a line where they fit ("Kirkkotie 5
         * · Maksuton"): the when and where are what a visitor needs, so
         * the where starts its own line. The repeat rule is the when's
         * own words ("ti 8.12. klo 14–16 · joka tiistai"): it shares the
         * when's line where it fits whole, which on a 1080p screen read
         * from 3 m gives the body back one of its few lines. */
        static const enum render_field mf[N_META] = {
            RENDER_FIELD_WHEN,         RENDER_FIELD_REPEAT,
            RENDER_FIELD_WHERE,        RENDER_FIELD_PRICE,
            RENDER_FIELD_REGISTRATION, RENDER_FIELD_ACCESSIBILITY};
        for (size_t i = 0; i < N_META; i++) {
            const char *t = render_card_field(c, mf[i], 0);
            if (!lay_present(t)) {
                continue;
            }
            unsigned rules = FR_KEEP | (i == 1 || i >= 3 ? FR_PACK : 0);
            struct fitem *it = &I->meta[I->n_meta];
            *it = text_item(L, mf[i], RENDER_PART_META, t,
                            i == 0 ? RENDER_FONT_BODY_BOLD : RENDER_FONT_BODY,
                            L->fg, s->body_line, rules);
            /* the rows read as one block: a gap only above the first */
            it->gap = I->n_meta > 0 ? 0 : s->gap;
            I->n_meta++;
        }
        if (lay_present(c->organisation)) {
            I->credit[I->n_credit++] =
                text_item(L, RENDER_FIELD_ORGANISATION, RENDER_PART_CREDIT,
                          c->organisation, RENDER_FONT_SECONDARY, L->fg2,
                          s->body_line, FR_KEEP);
        }
        if (lay_present(c->contact)) {
            I->credit[I->n_credit] = text_item(
                L, RENDER_FIELD_CONTACT, RENDER_PART_CREDIT, c->contact,
                RENDER_FONT_SECONDARY, L->fg2, s->body_line, FR_KEEP | FR_PACK);
            I->credit[I->n_credit].gap = I->n_credit > 0 ? 0 : s->gap;
            I->n_credit++;
        }
        I->has_qr = lay_present(c->link);
        I->has_img = lay_present(c->image.path) || c->image.rgba;
    }
    I->body = text_item(L, RENDER_FIELD_BODY, RENDER_PART_BODY, c->body,
                        RENDER_FONT_BODY, L->fg, s->body_line, FR_SENTENCES);
    if (L->progress[0]) {
        I->progress = text_item(L, RENDER_FIELD_PROGRESS, RENDER_PART_PROGRESS,
                                L->progress, RENDER_FONT_SECONDARY, L->fg2,
                                s->body_line, FR_OWN | FR_KEEP);
    }
    I->qr.kind = FI_QR;
    I->qr.field = RENDER_FIELD_LINK;
    I->qr.part = RENDER_PART_QR;
    I->qr.gap = s->gap;
    I->img.kind = FI_IMAGE;
    I->img.field = RENDER_FIELD_IMAGE;
    I->img.part = RENDER_PART_IMAGE;
    I->img.text = c->image.caption;
    I->img.gap = s->gap;
}

/* The arrangement as it applies to this card, or false if it does not. */
static bool applies(const struct items *I, const struct arrangement *in,
                    struct arrangement *out)
{
    *out = *in;
    if (!I->has_qr) {
        out->qr = P_NONE;
    }
    if (out->qr != P_FLOAT_TOP && out->qr != P_FLOAT_BOTTOM) {
        out->small_qr = false;
    }
    if (!I->has_img) {
        out->img = P_NONE;
    }
    if (out->side > 0.0) {
        if (out->meta_side && I->n_meta == 0) {
            return false; /* the media column covers it */
        }
        if (!out->meta_side && out->qr == P_NONE && out->img == P_NONE) {
            return false;
        }
    }
    return true;
}

static bool same_arrangement(const struct arrangement *a,
                             const struct arrangement *b)
{
    return a->side == b->side && a->meta_side == b->meta_side &&
           a->qr == b->qr && a->img == b->img && a->small_qr == b->small_qr;
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Width of the credit set in the footer ("Yhdistys ry · 040 123 4567"). */
static int credit_width(const struct lay *L, const struct items *I)
{
    static const char sep[] = " \xc2\xb7 ";
    int w = 0;
    for (size_t i = 0; i < I->n_credit; i++) {
        const char *t = I->credit[i].text;
        if (memchr(t, '\n', strlen(t))) {
            return -1;
        }
        if (taulu_utf8_count(t, strlen(t)) > RENDER_LINE_CHARS_MAX) {
            return -1;
        }
        w += lay_measure(L->m, RENDER_FONT_SECONDARY, t, strlen(t));
        if (i > 0) {
            w += lay_measure(L->m, RENDER_FONT_SECONDARY, sep, sizeof sep - 1);
        }
    }
    return w;
}

void lay_set_footer(struct lay *L, int w1, int credit_w, bool force)
{
    const struct render_sizes *s = L->s;
    int chip = L->chip ? L->chip_w + s->gap : 0;
    L->marker_long = chip + L->marker_long_w <= w1;
    int mw = L->marker_long ? L->marker_long_w : L->marker_short_w;
    L->marker_row2 = chip + mw > w1;
    /* a card of one page has no marker: the credit may take its room;
     * with pages (force) the marker keeps it */
    int marker = force && !L->marker_row2 ? mw + s->gap : 0;
    L->credit_footer = credit_w >= 0 && chip + credit_w + marker <= w1;
    L->footer = L->chip || L->credit_footer || force;
    L->foot_rows = !L->footer ? 0 : force && L->marker_row2 ? 2 : 1;
    L->foot_y = L->cbot - L->foot_rows * s->row_h;
    L->bottom = L->footer ? L->foot_y - s->gap : L->cbot;
    L->marker_ok = force;
    L->footer_lost = L->footer && L->foot_y < L->cy;
    if (L->footer_lost) {
        /* not even the footer fits the card area: no chip, no marker
         * (reported: the category has no room) */
        L->footer = false;
        L->credit_footer = false;
        L->foot_rows = 0;
        L->foot_y = L->cbot;
        L->bottom = L->cbot;
        L->marker_ok = true;
    }
}

bool lay_footer_has_marker(const struct lay *L)
{
    return L->footer && L->marker_ok;
}

/* The band at the foot of the first page: the QR code left, the image
 * right with its caption under it, or one of them alone. */
static bool put_band(struct lay *L, struct flow *f, const struct items *I,
                     const struct arrangement *a, int q, int w1)
{
    const struct render_sizes *s = L->s;
    bool bq = a->qr == P_BAND, bi = a->img == P_BAND;
    int card_h = L->fr.card_h;
    int iw = bq ? w1 - q - s->gap : w1;
    int ih = bq ? q : (int)(card_h * RENDER_R_IMG_BAND);
    struct render_line cl[FLOW_CAPTION_LINES];
    size_t ncl = 0;
    if (bi) {
        if (iw < lay_em(L, RENDER_R_IMG_MIN_EM) ||
            ih < (int)(card_h * RENDER_R_IMG_MIN)) {
            return false;
        }
        size_t rest = 0;
        ncl = flow_caption(L, I->img.text, iw - 2 * s->gap, cl,
                           FLOW_CAPTION_LINES, &rest);
        if (rest < strlen(I->img.text ? I->img.text : "")) {
            return false; /* a caption this long belongs after the text */
        }
    }
    int h = bi ? ih + (int)ncl * s->secondary_line : q;
    int y = f->rg.bottom - h;
    if (f->page != 0 || y < f->y + s->gap) {
        return false;
    }
    f->rg.bottom = y - s->gap;
    f->content = true; /* page 1 holds more than the title */
    if (bq) {
        flow_put_box(f, &I->qr, L->cx, y, q, NULL, 0);
        f->placed[RENDER_FIELD_LINK] = true;
    }
    if (bi) {
        struct fitem img = I->img;
        img.bw = iw;
        flow_put_box(f, &img, L->cx + (bq ? q + s->gap : 0), y, ih, cl, ncl);
        f->placed[RENDER_FIELD_IMAGE] = true;
    }
    return true;
}

/* The QR code beside the text, right of the first page's column. */
static bool put_float(struct lay *L, struct flow *f, const struct items *I,
                      enum place where, int q)
{
    const struct render_sizes *s = L->s;
    int y = where == P_FLOAT_TOP ? f->y + s->gap : f->rg.bottom - q;
    if (f->page != 0 || y < f->y + (f->any ? s->gap : 0) ||
        y + q > f->rg.bottom || q > f->rg.w / 2) {
        return false;
    }
    struct flt *b = &f->rg.fl[f->rg.n_fl++];
    b->x = f->rg.x + f->rg.w - q;
    b->y = y;
    b->w = q;
    b->h = q;
    flow_put_box(f, &I->qr, b->x, y, q, NULL, 0);
    f->placed[RENDER_FIELD_LINK] = true;
    f->content = true;
    return true;
}

static const char *c_title(const struct lay *L)
{
    return L->card->title;
}

/* Lines of s at width w in the title font. */
static int title_lines_at(const struct lay *L, const char *s, int w)
{
    size_t len = lay_present(s) ? strlen(s) : 0, pos = 0;
    int n = 0;
    struct render_line ln;
    while (pos < len && n < 64 &&
           lay_line(L->m, RENDER_FONT_TITLE, L->lang, w, s, len, pos, &ln,
                    &pos) > 0) {
        n++;
    }
    return n;
}

static bool is_meta(enum render_field f)
{
    return f >= RENDER_FIELD_WHEN && f <= RENDER_FIELD_ACCESSIBILITY;
}

/* Lays the card out in one arrangement, once, with `reserve` kept free
 * for the credit line (see run). */
static void run_once(struct lay *L, const struct items *I,
                     const struct arrangement *a, size_t order,
                     bool force_footer, struct render_layout *out,
                     struct render_verdict *v, struct outcome *o,
                     const int *reserve)
{
    const struct render_sizes *s = L->s;
    int card_h = L->fr.card_h;
    int qr_min = (int)(RENDER_R_QR_MIN_MM / s->pitch_mm + 0.5);
    qr_min = qr_min > RENDER_R_QR_MIN_PX ? qr_min : RENDER_R_QR_MIN_PX;
    int qr_max = (int)(card_h * RENDER_R_QR_MAX);
    memset(o, 0, sizeof *o);
    o->order = order;
    int w1 = L->cw, sw = 0;
    if (a->side > 0.0) {
        sw = (int)(L->cw * a->side);
        w1 = L->cw - sw - 2 * s->gap;
        if (sw < lay_em(L, RENDER_R_SIDE_MIN_EM) ||
            w1 < lay_em(L, RENDER_R_MAIN_MIN_EM)) {
            return;
        }
    }
    o->w1 = w1;
    if (L->chip && L->chip_w > w1) {
        return; /* the chip does not fit under this column */
    }
    lay_set_footer(L, w1, I->n_credit > 0 ? credit_width(L, I) : -1,
                   force_footer);
    if (out) {
        out->n_pages = 0;
        lay_new_page(L, out);
    }
    /* the side column first: it must hold its items whole on page 1 */
    struct flow fs, fm;
    if (sw > 0) {
        struct region rs;
        memset(&rs, 0, sizeof rs);
        rs.x = L->cx + L->cw - sw;
        rs.w = sw;
        rs.top = L->cy;
        rs.bottom = L->cbot; /* the footer row is the main column's */
        flow_init(&fs, L, out, v, &rs, true);
        for (size_t i = 0; a->meta_side && i < I->n_meta; i++) {
            flow_item(&fs, &I->meta[i]);
        }
        if (a->qr == P_SIDE) {
            struct fitem q = I->qr;
            q.bw = sw;
            q.bmin = qr_min;
            q.bmax = qr_max;
            flow_item(&fs, &q);
        }
        if (a->img == P_SIDE) {
            struct fitem im = I->img;
            im.bw = sw;
            im.bmin = (int)(card_h * RENDER_R_IMG_MIN);
            im.bmax = (int)(card_h * RENDER_R_IMG_END);
            flow_item(&fs, &im);
        }
        if (fs.fail || fs.stop) {
            return;
        }
        o->syllables += fs.syllables;
        o->cuts += fs.cuts;
    }
    struct region rm;
    memset(&rm, 0, sizeof rm);
    rm.x = L->cx;
    rm.w = w1;
    rm.top = L->cy;
    rm.bottom = L->bottom;
    flow_init(&fm, L, out, v, &rm, false);
    fm.reserve = reserve;
    fm.content = sw > 0; /* the side column's rows and boxes are on page 1 */
    /* the items after the title, in order */
    struct fitem rest[12];
    size_t n = 0;
    for (size_t i = 0; !a->meta_side && i < I->n_meta; i++) {
        rest[n++] = I->meta[i];
    }
    rest[n++] = I->body;
    for (size_t i = 0; !L->credit_footer && i < I->n_credit; i++) {
        rest[n++] = I->credit[i];
    }
    if (L->progress[0]) {
        rest[n++] = I->progress;
    }
    int qe = clampi((int)(w1 * RENDER_R_QR_FLOAT), qr_min, qr_max);
    if (a->small_qr) {
        qe = qr_min; /* the smallest that still reads, to save lines */
    }
    if (a->qr == P_END) {
        struct fitem q = I->qr;
        q.bw = w1;
        q.bmin = qr_min;
        q.bmax = qe;
        rest[n++] = q;
    }
    if (a->img == P_END) {
        struct fitem im = I->img;
        im.bw = w1;
        im.bmin = (int)(card_h * RENDER_R_IMG_MIN);
        im.bmax = (int)(card_h * RENDER_R_IMG_END);
        rest[n++] = im;
    }
    /* a title that would leave page 1 no line of anything else is set at
     * the floor size, bold, rather than split over pages ("nen" alone on
     * a page); the verdict reports its lines */
    struct fitem title = I->title;
    if (title_lines_at(L, c_title(L), w1) * s->title_line + s->gap +
            s->body_line >
        L->bottom - L->cy) {
        title.font = RENDER_FONT_BODY_BOLD;
        title.lh = s->body_line;
    }
    bool ok = flow_item(&fm, &title);
    if (!ok) {
        flow_not_placed(&fm, rest, n);
    }
    int title_lines =
        fm.page1_lines[RENDER_FIELD_TITLE] + fm.later_lines[RENDER_FIELD_TITLE];
    if (title_lines > RENDER_MAX_TITLE_LINES) {
        lay_issue(v, RENDER_ISSUE_TITLE_LINES, RENDER_FIELD_TITLE, 0, 0, 0,
                  title_lines - RENDER_MAX_TITLE_LINES, 0);
    }
    /* the boxes the text goes around, on page 1 */
    if (ok && (a->qr == P_BAND || a->img == P_BAND) &&
        !put_band(L, &fm, I, a, qe, w1)) {
        return;
    }
    if (ok && (a->qr == P_FLOAT_TOP || a->qr == P_FLOAT_BOTTOM) &&
        !put_float(L, &fm, I, a->qr, qe)) {
        return;
    }
    for (size_t i = 0; ok && i < n; i++) {
        if (!flow_item(&fm, &rest[i])) {
            flow_not_placed(&fm, rest + i + 1, n - i - 1);
            ok = false;
        }
    }
    /* a QR code or image meant for page 1 that never got there (the
     * title took the page) is reported too */
    bool side_qr = sw > 0 && fs.placed[RENDER_FIELD_LINK];
    bool side_img = sw > 0 && fs.placed[RENDER_FIELD_IMAGE];
    if (I->has_qr && !fm.placed[RENDER_FIELD_LINK] && !side_qr) {
        lay_issue(v, RENDER_ISSUE_NOT_PLACED, RENDER_FIELD_LINK, 0, 0, 0, 0,
                  fm.page);
        fm.stop = true;
    }
    if (I->has_img && !fm.placed[RENDER_FIELD_IMAGE] && !side_img) {
        lay_issue(v, RENDER_ISSUE_NOT_PLACED, RENDER_FIELD_IMAGE, 0, 0, 0, 0,
                  fm.page);
        if (lay_present(I->img.text)) {
            lay_issue(v, RENDER_ISSUE_NOT_PLACED, RENDER_FIELD_CAPTION, 0, 0, 0,
                      0, fm.page);
        }
        fm.stop = true;
    }
    o->valid = true;
    o->pages = fm.page + 1;
    o->cannot = fm.stop;
    o->cuts += fm.cuts;
    o->syllables += fm.syllables;
    o->splits = fm.splits;
    o->p1_body = fm.page1_lines[RENDER_FIELD_BODY];
    for (int fd = 0; fd < RENDER_FIELD_COUNT; fd++) {
        if (is_meta((enum render_field)fd)) {
            o->meta_later += fm.later_lines[fd];
        }
        if (fm.later_lines[fd] > 0) {
            lay_issue(v, RENDER_ISSUE_CONTINUES, (enum render_field)fd,
                      fm.later_row[fd], fm.later_byte[fd], 0,
                      fm.later_lines[fd], fm.later_page[fd]);
        }
    }
    o->cannot = o->cannot || o->cuts > 0;
    o->credit_open = fm.credit_open;
    o->title_alone = fm.title_alone;
}

/* The height the credit line (organisation, contact) takes in a column w
 * wide, with the gap above it: flowed as the layout flows it. */
static int credit_height(struct lay *L, const struct items *I, int w)
{
    struct region rg;
    memset(&rg, 0, sizeof rg);
    rg.x = L->cx;
    rg.w = w;
    rg.bottom = 1 << 28;
    struct flow f;
    struct render_verdict scratch;
    memset(&scratch, 0, sizeof scratch);
    flow_init(&f, L, NULL, &scratch, &rg, false);
    for (size_t i = 0; i < I->n_credit; i++) {
        flow_item(&f, &I->credit[i]);
    }
    return f.y + (I->n_credit > 0 ? I->credit[0].gap : 0);
}

/* Attempts at keeping the credit line with what it follows. */
#define CREDIT_TRIES 6

/* Lays the card out in one arrangement: plans (out NULL) or emits. The
 * credit line (who the card is from) never opens a page alone: a reader
 * gets nothing from a page of only it. Where it would (it did not fit
 * under the end of the text), the card is laid out again with its room
 * kept free at the foot of the page before, so that the text before it
 * either leaves it that room or gives it its last sentences to go with
 * (the body's page breaks stay between sentences). The room grows a line
 * at a time where the first guess was short (a column narrowed by a QR
 * code), at most CREDIT_TRIES times, and never so far that the page
 * before would hold no line; a retry that would lose text or leave a page
 * of only the title is not kept. What cannot be helped in one arrangement
 * (nothing but the title before the credit) the solver weighs against
 * the others (better()). */
static void run(struct lay *L, const struct items *I,
                const struct arrangement *a, size_t order, bool force_footer,
                struct render_layout *out, struct render_verdict *v,
                struct outcome *o)
{
    const struct render_sizes *s = L->s;
    int reserve[RENDER_MAX_PAGES], prev[RENDER_MAX_PAGES];
    memset(reserve, 0, sizeof reserve);
    memset(v, 0, sizeof *v);
    run_once(L, I, a, order, force_footer, out, v, o, NULL);
    for (int tries = 0; tries < CREDIT_TRIES && o->valid &&
                        o->credit_open > 0 && !L->credit_footer;
         tries++) {
        size_t pg = o->credit_open - 1; /* the page the credit follows */
        struct region rg;
        lay_cont_region(L, &rg);
        int room = pg == 0 ? L->bottom - L->cy : rg.bottom - rg.top;
        int grow = reserve[pg] == 0
                       ? credit_height(L, I, pg == 0 ? o->w1 : L->cw)
                       : s->body_line;
        if (reserve[pg] + grow > room - s->body_line) {
            break; /* the page before would hold nothing else */
        }
        bool cannot = o->cannot, alone = o->title_alone;
        memcpy(prev, reserve, sizeof prev);
        reserve[pg] += grow;
        memset(v, 0, sizeof *v);
        run_once(L, I, a, order, force_footer, out, v, o, reserve);
        if ((o->cannot && !cannot) || (o->title_alone && !alone)) {
            /* keeping it would lose text or leave the title alone: back
             * to the last that did not */
            memset(v, 0, sizeof *v);
            run_once(L, I, a, order, force_footer, out, v, o, prev);
            break;
        }
    }
}

/* Is outcome x better than y? */
static bool better(const struct outcome *x, const struct outcome *y)
{
    if (x->valid != y->valid) {
        return x->valid;
    }
    if (x->cannot != y->cannot) {
        return !x->cannot;
    }
    if (x->pages != y->pages) {
        return x->pages < y->pages;
    }
    /* on as many pages, none that holds only the credit line or only the
     * title (a QR code after the credit rather than beside the title) */
    int wx = (x->credit_open > 0) + x->title_alone;
    int wy = (y->credit_open > 0) + y->title_alone;
    if (wx != wy) {
        return wx < wy;
    }
    if (x->cuts != y->cuts) {
        return x->cuts < y->cuts;
    }
    if (x->syllables != y->syllables) {
        return x->syllables < y->syllables;
    }
    if (x->splits != y->splits) {
        return x->splits < y->splits;
    }
    if (x->meta_later != y->meta_later) {
        return x->meta_later < y->meta_later;
    }
    /* a first page with one line of body and the rest elsewhere reads
     * badly: up to three lines count */
    int bx = x->p1_body < 3 ? x->p1_body : 3;
    int by = y->p1_body < 3 ? y->p1_body : 3;
    if (bx != by) {
        return bx > by;
    }
    return x->order < y->order;
}

static const char *part_word(const char *lang)
{
    if (lang && strcmp(lang, "sv") == 0) {
        return "del";
    }
    if (lang && strcmp(lang, "fi") == 0) {
        return "osa";
    }
    return "part";
}

/* The footer of every page (chip, credit, "osa 1 / 2"), and each page's
 * characters and dwell. w1: the first page's main column. */
void lay_finish_pages(struct lay *L, struct render_layout *out, int w1)
{
    const struct render_sizes *s = L->s;
    const struct render_card *c = L->card;
    static const char sep[] = " \xc2\xb7 ";
    for (size_t i = 0; i < out->n_pages; i++) {
        struct render_page *pg = &out->pages[i];
        unsigned rep = i > 0 ? RENDER_BOX_REPEAT : 0;
        int x = L->cx;
        if (L->chip && L->footer) {
            size_t len = strlen(c->category_label);
            int tw = lay_measure(L->m, RENDER_FONT_SECONDARY_BOLD,
                                 c->category_label, len);
            int pad = lay_em(L, RENDER_R_CHIP_PAD);
            struct render_box *f =
                lay_add_fill(pg, RENDER_PART_CHIP, x, L->foot_y, L->chip_w,
                             s->row_h, RENDER_COL_CATEGORY);
            if (f) {
                f->category = L->category;
            }
            struct render_box *t =
                lay_add_text(pg, RENDER_PART_CHIP, RENDER_FIELD_CATEGORY,
                             RENDER_FONT_SECONDARY_BOLD, RENDER_COL_CHIP_TEXT,
                             RENDER_COL_CATEGORY, x + pad, L->foot_y, tw,
                             s->row_h, c->category_label, len, rep);
            if (t) {
                t->category = L->category;
            }
            x += L->chip_w + s->gap;
        }
        if (L->credit_footer) {
            const char *parts[2] = {c->organisation, c->contact};
            const enum render_field fd[2] = {RENDER_FIELD_ORGANISATION,
                                             RENDER_FIELD_CONTACT};
            bool first = true;
            for (int k = 0; k < 2; k++) {
                if (!lay_present(parts[k])) {
                    continue;
                }
                if (!first) {
                    struct render_box *b = lay_add_own(
                        pg, L->m, RENDER_PART_CREDIT, RENDER_FONT_SECONDARY,
                        L->fg2, L->bg, x, L->foot_y, s->row_h, sep,
                        sizeof sep - 1, false);
                    x += b ? b->w : 0;
                }
                size_t len = strlen(parts[k]);
                int w = lay_measure(L->m, RENDER_FONT_SECONDARY, parts[k], len);
                lay_add_text(pg, RENDER_PART_CREDIT, fd[k],
                             RENDER_FONT_SECONDARY, L->fg2, L->bg, x, L->foot_y,
                             w, s->row_h, parts[k], len, rep);
                x += w;
                first = false;
            }
        }
        if (out->n_pages > 1 && L->footer) {
            char buf[48];
            int n = L->marker_long
                        ? snprintf(buf, sizeof buf, "%s %zu / %zu",
                                   part_word(L->lang), i + 1, out->n_pages)
                        : snprintf(buf, sizeof buf, "%zu / %zu", i + 1,
                                   out->n_pages);
            int right = L->cx + (i == 0 ? w1 : L->cw);
            int y = L->foot_y + (L->marker_row2 ? s->row_h : 0);
            lay_add_own(pg, L->m, RENDER_PART_FOOTER, RENDER_FONT_SECONDARY,
                        L->fg2, L->bg, right, y, s->row_h, buf, (size_t)n,
                        true);
        }
        size_t chars = 0;
        for (size_t b = 0; b < pg->n; b++) {
            const struct render_box *bx = &pg->boxes[b];
            if (bx->kind != RENDER_BOX_TEXT || bx->part == RENDER_PART_FOOTER ||
                (bx->flags & RENDER_BOX_OWN_TEXT)) {
                continue;
            }
            chars += taulu_utf8_count(bx->text, bx->len);
        }
        pg->chars = chars;
        pg->dwell_ms =
            (unsigned)(render_dwell_seconds(chars, c->plain) * 1000.0 + 0.5);
    }
}

/* Loading progress as static text: "3 / 12 · 1,2 / 4,5 Mt". */
static void progress_text(const struct render_card *c, const char *lang,
                          char *buf, size_t size)
{
    bool comma = !(lang && strcmp(lang, "en") == 0);
    const char *unit = lang && strcmp(lang, "fi") == 0 ? "Mt" : "MB";
    size_t n = 0;
    buf[0] = '\0';
    if (c->items_total > 0) {
        int k = snprintf(buf, size, "%u / %u", c->items_done, c->items_total);
        n = k > 0 ? (size_t)k : 0;
    }
    if (c->bytes_total > 0 && n < size) {
        unsigned long long d10 =
            (unsigned long long)(c->bytes_done * 10 + 524288) / 1048576;
        unsigned long long t10 =
            (unsigned long long)(c->bytes_total * 10 + 524288) / 1048576;
        char sep = comma ? ',' : '.';
        snprintf(buf + n, size - n, "%s%llu%c%llu / %llu%c%llu %s",
                 n ? " · " : "", d10 / 10, sep, d10 % 10, t10 / 10, sep,
                 t10 % 10, unit);
    }
}

/* The widest page marker a card can have (long form "osa 8 / 8" or short
 * "8 / 8"), kept free in the footer. */
static int marker_width(const struct lay *L, bool long_form)
{
    char buf[48];
    int n = long_form
                ? snprintf(buf, sizeof buf, "%s %d / %d", part_word(L->lang),
                           RENDER_MAX_PAGES, RENDER_MAX_PAGES)
                : snprintf(buf, sizeof buf, "%d / %d", RENDER_MAX_PAGES,
                           RENDER_MAX_PAGES);
    return lay_measure(L->m, RENDER_FONT_SECONDARY, buf, (size_t)n);
}

/* Tries the arrangements and lays the card out in the best. */
static void solve(struct lay *L, const struct items *I, bool force_footer,
                  struct render_layout *out, struct outcome *best)
{
    struct arrangement tried[N_ARRANGEMENTS], pick;
    size_t n_tried = 0;
    bool have = false;
    bool extras = I->n_meta > 0 || I->has_qr || I->has_img;
    memset(best, 0, sizeof *best);
    memset(&pick, 0, sizeof pick);
    for (size_t i = 0; i < N_ARRANGEMENTS; i++) {
        struct arrangement a;
        if (!extras) {
            if (i > 0) {
                break;
            }
            memset(&a, 0, sizeof a); /* title and body, one column */
        } else if (!applies(I, &arrangements[i], &a)) {
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < n_tried; k++) {
            dup = dup || same_arrangement(&tried[k], &a);
        }
        if (dup) {
            continue;
        }
        tried[n_tried++] = a;
        struct render_verdict scratch;
        memset(&scratch, 0, sizeof scratch);
        struct outcome o;
        run(L, I, &a, i, force_footer, NULL, &scratch, &o);
        if (!have || better(&o, best)) {
            *best = o;
            pick = a;
            have = true;
        }
        if (o.valid && !o.cannot && o.pages == 1 && o.syllables == 0 &&
            o.cuts == 0) {
            break; /* one page, no word broken: the first such is it */
        }
    }
    memset(&out->verdict, 0, sizeof out->verdict);
    run(L, I, &pick, best->order, force_footer, out, &out->verdict, best);
}

static int layout_text_card(struct lay *L, struct render_layout *out)
{
    const struct render_card *c = L->card;
    const struct render_sizes *s = L->s;
    L->progress[0] = '\0';
    if (c->kind == RENDER_CARD_LOADING) {
        progress_text(c, L->lang, L->progress, sizeof L->progress);
    }
    struct items I;
    make_items(L, &I);
    bool chip_lost = L->chip && L->chip_w > L->cw;
    if (chip_lost) {
        L->chip = false; /* the label is wider than the screen */
    }
    struct outcome o;
    solve(L, &I, false, out, &o);
    if (out->n_pages > 1 && !lay_footer_has_marker(L)) {
        /* the page marker needs the footer (or a row of it) after all */
        solve(L, &I, true, out, &o);
    }
    (void)s;
    if (chip_lost || (L->footer_lost && L->chip)) {
        lay_issue(&out->verdict, RENDER_ISSUE_NO_ROOM, RENDER_FIELD_CATEGORY, 0,
                  0, 0, 0, 0);
    }
    lay_finish_pages(L, out, o.w1 > 0 ? o.w1 : L->cw);
    return TAULU_OK;
}

static bool text_ok(const char *s, const char *allowed)
{
    if (!s) {
        return true;
    }
    size_t len = strlen(s);
    return taulu_utf8_valid(s, len) &&
           !taulu_utf8_has_controls(s, len, allowed);
}

static bool card_strings_ok(const struct render_card *c)
{
    const char *one_line[] = {c->lang,          c->category,  c->category_label,
                              c->title,         c->when,      c->repeat,
                              c->where,         c->price,     c->registration,
                              c->accessibility, c->link,      c->image.caption,
                              c->image.alt,     c->image.key, c->image.path,
                              c->organisation,  c->contact};
    for (size_t i = 0; i < sizeof one_line / sizeof one_line[0]; i++) {
        if (!text_ok(one_line[i], "")) {
            return false;
        }
    }
    if (!text_ok(c->body, "\n")) {
        return false;
    }
    for (size_t i = 0; c->rows && i < c->n_rows; i++) {
        if (!text_ok(c->rows[i].day, "") || !text_ok(c->rows[i].time, "") ||
            !text_ok(c->rows[i].title, "")) {
            return false;
        }
    }
    return true;
}

/* The verdict's class from its issues and pages. */
static void set_fit(struct render_layout *out)
{
    struct render_verdict *v = &out->verdict;
    bool cannot = false;
    for (size_t i = 0; i < v->n_issues; i++) {
        switch (v->issues[i].kind) {
        case RENDER_ISSUE_WORD_CUT:
        case RENDER_ISSUE_NOT_PLACED:
        case RENDER_ISSUE_NO_ROOM:
        case RENDER_ISSUE_INVARIANT:
            cannot = true;
            break;
        default:
            break;
        }
    }
    v->pages = out->n_pages;
    v->fit = cannot             ? RENDER_FIT_CANNOT
             : out->n_pages > 1 ? RENDER_FIT_PAGES
                                : RENDER_FIT_ONE_PAGE;
    out->truncated = cannot;
    out->cut_word = false;
    for (size_t i = 0; i < v->n_issues; i++) {
        out->cut_word = out->cut_word ||
                        v->issues[i].kind == RENDER_ISSUE_WORD_TOO_WIDE ||
                        v->issues[i].kind == RENDER_ISSUE_WORD_CUT;
    }
}

static atomic_bool warn_verdicts = true;

void render_layout_log_verdicts(bool warn)
{
    atomic_store(&warn_verdicts, warn);
}

/* Logs what a volunteer would be told: the issue that decides (the first
 * that makes it "cannot", or else the first). */
static void log_verdict(const struct render_layout *out,
                        const struct render_card *card)
{
    const struct render_verdict *v = &out->verdict;
    if (v->n_issues == 0) {
        return;
    }
    const struct render_issue *is = &v->issues[0];
    for (size_t i = 0; i < v->n_issues; i++) {
        enum render_issue_kind k = v->issues[i].kind;
        if (k == RENDER_ISSUE_INVARIANT || k == RENDER_ISSUE_NO_ROOM ||
            k == RENDER_ISSUE_NOT_PLACED || k == RENDER_ISSUE_WORD_CUT) {
            is = &v->issues[i];
            break;
        }
    }
    char msg[512];
    render_issue_text(is, card, "en", msg, sizeof msg);
    if (v->fit == RENDER_FIT_CANNOT && atomic_load(&warn_verdicts)) {
        taulu_warn(TAG,
                   "layout: \"%.40s\" cannot be placed whole (%zu "
                   "issues): %s",
                   card->title ? card->title : "", v->n_issues, msg);
    } else {
        taulu_debug(TAG, "layout: \"%.40s\" on %zu page(s): %s",
                    card->title ? card->title : "", v->pages, msg);
    }
}

int render_layout_card(const struct render_card *card,
                       const struct render_profile *p,
                       const struct render_sizes *s,
                       const struct render_measurer *m,
                       struct render_layout *out)
{
    if (!card || !p || !s || !m || !m->measure || !out || (int)card->kind < 0 ||
        card->kind >= RENDER_CARD_KIND_COUNT ||
        (card->n_rows > 0 && !card->rows) || card->n_rows > 1000) {
        return TAULU_EINVAL;
    }
    out->n_pages = 0;
    out->truncated = false;
    out->cut_word = false;
    memset(&out->verdict, 0, sizeof out->verdict);
    if (!card_strings_ok(card)) {
        taulu_warn(TAG, "layout: card text is not valid UTF-8 or has "
                        "control characters");
        return TAULU_EUTF8;
    }
    struct lay L;
    memset(&L, 0, sizeof L);
    L.card = card;
    L.p = p;
    L.s = s;
    L.m = m;
    L.lang = lay_present(card->lang) ? card->lang : "fi";
    render_frame_compute(p, s, m, &L.fr);
    L.category = render_category_index(card->category);
    if (card->kind == RENDER_CARD_ALERT) {
        L.fg = RENDER_COL_ALERT_TEXT;
        L.fg2 = RENDER_COL_ALERT_TEXT;
        L.bg = RENDER_COL_ALERT_BG;
    } else {
        L.fg = RENDER_COL_TEXT;
        L.fg2 = RENDER_COL_SECONDARY;
        L.bg = RENDER_COL_BG;
    }
    /* the safe area of a card page */
    L.cx = s->margin;
    L.cw = p->width - 2 * s->margin;
    L.cy = L.fr.card_y + s->gap;
    L.cbot = p->height - s->margin;
    L.chip = lay_present(card->category_label) &&
             (lay_present(card->category) || L.category >= 0);
    if (L.chip) {
        L.chip_w =
            lay_measure(m, RENDER_FONT_SECONDARY_BOLD, card->category_label,
                        strlen(card->category_label)) +
            2 * lay_em(&L, RENDER_R_CHIP_PAD);
    }
    L.marker_long_w = marker_width(&L, true);
    L.marker_short_w = marker_width(&L, false);
    L.foot_y = L.cbot;
    L.bottom = L.cbot;
    /* the running head: the title on one line at the floor size */
    if (lay_present(card->title)) {
        size_t next = 0, len = strlen(card->title);
        int under = L.cbot - s->row_h - s->gap - (L.cy + s->body_line + s->gap);
        L.head = lay_line(m, RENDER_FONT_BODY_BOLD, L.lang, L.cw, card->title,
                          len, 0, &L.head_line, &next) > 0 &&
                 next >= len && !(L.head_line.flags & RENDER_LINE_IN_WORD) &&
                 under / s->body_line >= RENDER_R_HEAD_MIN_LINES;
    }
    if (card->kind == RENDER_CARD_AGENDA && card->n_rows > 0) {
        lay_agenda(&L, out);
    } else {
        layout_text_card(&L, out);
    }
    /* the capacity of the profile, for the message */
    struct region rg;
    lay_cont_region(&L, &rg);
    int cap = (rg.bottom - rg.top) / s->body_line;
    out->verdict.capacity = cap < 0 ? 0
                            : cap > RENDER_MAX_BODY_LINES
                                ? RENDER_MAX_BODY_LINES
                                : cap;
    set_fit(out);
    struct render_issue fail;
    if (render_layout_verify(card, s, &L.fr, out, &fail) < 0) {
        taulu_err(TAG, "layout: invariant %d broken on page %zu (a bug)",
                  (int)fail.check, fail.page + 1);
        lay_issue(&out->verdict, RENDER_ISSUE_INVARIANT, fail.field, fail.row,
                  fail.byte, 0, 0, fail.page);
        if (out->verdict.n_issues > 0) {
            out->verdict.issues[out->verdict.n_issues - 1].check = fail.check;
        }
        set_fit(out);
    }
    log_verdict(out, card);
    return TAULU_OK;
}
