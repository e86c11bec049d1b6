/*
 * card_layout.c: card model + sizes -> positioned boxes; see card_layout.h.
 *
 * Geometry of a first page, landscape:   portrait (one of the plans):
 *   +---------------------------+         +-------------+
 *   | header band               |         | header      |
 *   | title          | when     |         | title       |
 *   | body           | where .. |         | when..  | QR|
 *   | body           | QR       |         | body        |
 *   | chip   osa 1/2 | image    |         | (QR) image  |
 *   +---------------------------+         | chip  1/2   |
 *                                         +-------------+
 * Continuation pages: header, title, body, chip and "osa 2 / 2".
 */
#include "card_layout.h"

#include <stdio.h>
#include <string.h>

#include "dwell.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_utf8.h"

#define TAG "render"

#define MAX_TITLE_LINES 16
#define MAX_BODY_LINES  128
#define MAX_META_ROWS   6
#define MAX_META_LINES  12 /* a row of 300 characters at a narrow width */
#define MAX_SIDE_LINES  3  /* a row in the side column or beside a QR code */
#define MAX_AGENDA_ROWS 200
#define MAX_ROW_LINES   3

struct mctx {
    const struct render_measurer *m;
    enum render_font font;
};

static int measure_tramp(void *ctx, const char *s, size_t len)
{
    const struct mctx *c = ctx;
    return c->m->measure(c->m->ctx, c->font, s, len);
}

static bool present(const char *s)
{
    return s && s[0];
}

/* Valid UTF-8 with no controls other than `allowed`. */
static bool text_ok(const char *s, const char *allowed)
{
    if (!s) {
        return true;
    }
    size_t len = strlen(s);
    return taulu_utf8_valid(s, len) &&
           !taulu_utf8_has_controls(s, len, allowed);
}

void render_frame_compute(const struct render_profile *p,
                          const struct render_sizes *s,
                          struct render_frame *out)
{
    out->header_x = 0;
    out->header_y = 0;
    out->header_w = p->width;
    /* portrait is narrow: centre name and clock, then date and page */
    out->header_h = (s->portrait ? 2 : 1) * s->secondary_line + 2 * s->gap;
    out->card_x = 0;
    out->card_y = out->header_h;
    out->card_w = p->width;
    out->card_h = p->height - out->header_h;
}

const char *render_box_text(const struct render_page *pg,
                            const struct render_box *b, size_t *len)
{
    if (b->flags & RENDER_BOX_OWN_TEXT) {
        size_t off = (size_t)(uintptr_t)b->text;
        *len = b->len;
        return pg->own + off;
    }
    *len = b->len;
    return b->text;
}

static struct render_box *add_box(struct render_page *pg,
                                  enum render_box_kind kind,
                                  enum render_part part, int x, int y, int w,
                                  int h)
{
    if (!pg) {
        return NULL; /* measuring only */
    }
    if (pg->n >= RENDER_PAGE_MAX_BOXES) {
        taulu_warn(TAG, "layout: page full, box dropped");
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

static struct render_box *add_fill(struct render_page *pg,
                                   enum render_part part, int x, int y, int w,
                                   int h, enum render_colour bg)
{
    struct render_box *b = add_box(pg, RENDER_BOX_FILL, part, x, y, w, h);
    if (b) {
        b->bg = bg;
    }
    return b;
}

static struct render_box *add_text(struct render_page *pg,
                                   enum render_part part, enum render_font font,
                                   enum render_colour fg, enum render_colour bg,
                                   int x, int y, int w, int lh, const char *s,
                                   size_t len, unsigned flags)
{
    struct render_box *b = add_box(pg, RENDER_BOX_TEXT, part, x, y, w, lh);
    if (b) {
        b->font = font;
        b->fg = fg;
        b->bg = bg;
        b->text = s;
        b->len = len;
        b->flags = flags;
    }
    return b;
}

/* Text the layout writes itself goes into the page's buffer. */
static struct render_box *
add_own_text(struct render_page *pg, const struct render_measurer *m,
             enum render_part part, enum render_font font,
             enum render_colour fg, enum render_colour bg, int x, int y, int lh,
             const char *s, bool right)
{
    size_t len = strlen(s);
    if (pg->own_len + len > sizeof pg->own) {
        return NULL;
    }
    size_t off = pg->own_len;
    memcpy(pg->own + off, s, len);
    pg->own_len += len;
    int w = m->measure(m->ctx, font, s, len);
    struct render_box *b = add_text(pg, part, font, fg, bg, right ? x - w : x,
                                    y, w, lh, NULL, len, RENDER_BOX_OWN_TEXT);
    if (b) {
        b->text = (const char *)(uintptr_t)off;
    }
    return b;
}

/* Breaks s into at most `cap` lines; *complete says whether all of it
 * fitted (NULL: a shortfall is logged, as text is then dropped). */
static int break_lines(const struct render_measurer *m, enum render_font font,
                       const char *lang, int width, const char *s,
                       struct render_line *lines, size_t cap, size_t *n,
                       bool *cut, bool *complete)
{
    *n = 0;
    if (complete) {
        *complete = true;
    }
    if (!present(s)) {
        return TAULU_OK;
    }
    struct mctx mc = {m, font};
    struct render_lb_params p = {.max_width = width > 1 ? width : 1,
                                 .max_chars = 0,
                                 .max_lines = 0,
                                 .lang = lang,
                                 .measure = measure_tramp,
                                 .measure_ctx = &mc};
    struct render_lb_result r;
    int rc = render_linebreak(s, strlen(s), &p, lines, cap, &r);
    if (rc < 0) {
        return rc;
    }
    if (complete) {
        *complete = r.complete;
    } else if (!r.complete) {
        taulu_warn(TAG, "layout: text longer than %zu lines, rest dropped",
                   cap);
    }
    for (size_t i = 0; i < r.n; i++) {
        if (lines[i].flags & RENDER_LINE_CUT_WORD) {
            *cut = true;
        }
    }
    *n = r.n;
    return TAULU_OK;
}

static int break_text(const struct render_measurer *m, enum render_font font,
                      const char *lang, int width, const char *s,
                      struct render_line *lines, size_t cap, size_t *n,
                      bool *cut)
{
    return break_lines(m, font, lang, width, s, lines, cap, n, cut, NULL);
}

/* Everything one card's pages share. */
struct lay {
    const struct render_card *card;
    const struct render_profile *p;
    const struct render_sizes *s;
    const struct render_measurer *m;
    struct render_layout *out;
    struct render_frame fr;
    const char *lang;
    enum render_colour fg, fg2, bg;
    int category;
    /* columns */
    int main_x, main_w, side_x, side_w;
    bool side;       /* landscape side column in use */
    int top, bottom; /* content area of a page (y range) */
    int footer_y;    /* top of the footer line */
    /* the card's text, broken once */
    struct render_line title[MAX_TITLE_LINES];
    size_t n_title;
    struct render_line body[MAX_BODY_LINES];
    size_t n_body;
    const char *meta_text[MAX_META_ROWS];
    enum render_font meta_font[MAX_META_ROWS];
    struct render_line meta[MAX_META_ROWS][MAX_META_LINES];
    size_t n_meta[MAX_META_ROWS];
    size_t n_meta_rows;
    /* rows [0, first_rows) are on the first page (side column, or under
     * the title); the rest follow the body on the last page (the tail) */
    size_t first_rows;
    int meta_h; /* the first page's rows stacked at meta width */
    /* the tail at the first page's body width [0] and continuation [1],
     * and its lines in reading order (row, line within the row) */
    struct render_line tail[2][MAX_META_ROWS][MAX_META_LINES];
    size_t n_tail[2][MAX_META_ROWS];
    unsigned char tl_row[2][MAX_META_ROWS * MAX_META_LINES];
    unsigned char tl_line[2][MAX_META_ROWS * MAX_META_LINES];
    size_t n_tl[2];
    int tail_h[2];
    /* portrait: the event rows broken beside a QR code floated right */
    struct render_line fmeta[MAX_META_ROWS][MAX_SIDE_LINES + 1];
    size_t n_fmeta[MAX_META_ROWS];
    bool float_ok;
    int float_qr; /* side of that QR code */
    int float_h;  /* height of the rows and the QR code beside them */
    struct render_line caption[2];
    size_t n_caption;
    int media_w; /* width the caption is broken for */
    /* the body on the first page and, re-broken, on continuation pages */
    int body_w, cont_w;
    struct render_line cont[MAX_BODY_LINES];
    size_t n_cont;
    /* portrait band heights: QR code and image side by side, or one */
    int band_both, band_qr, band_img;
    char progress[96];
};

static struct render_page *new_page(struct lay *L)
{
    if (L->out->n_pages >= RENDER_MAX_PAGES) {
        return NULL;
    }
    struct render_page *pg = &L->out->pages[L->out->n_pages++];
    pg->n = 0;
    pg->own_len = 0;
    pg->chars = 0;
    pg->dwell_ms = 0;
    pg->x = L->fr.card_x;
    pg->y = L->fr.card_y;
    pg->w = L->fr.card_w;
    pg->h = L->fr.card_h;
    add_fill(pg, RENDER_PART_BACKGROUND, pg->x, pg->y, pg->w, pg->h, L->bg);
    return pg;
}

static void put_lines(struct lay *L, struct render_page *pg,
                      enum render_part part, enum render_font font,
                      enum render_colour fg, const char *s,
                      const struct render_line *lines, size_t n, int x, int *y,
                      int lh)
{
    (void)L;
    for (size_t i = 0; i < n; i++) {
        add_text(pg, part, font, fg, L->bg, x, *y, lines[i].width, lh,
                 s + lines[i].start, lines[i].end - lines[i].start,
                 lines[i].flags);
        *y += lh;
    }
}

/* The first page's event rows: in the side column (landscape) or under the
 * title, broken at the full width or beside a floated QR code. The planner
 * has made room for them; the check is a guard. */
static int put_meta(struct lay *L, struct render_page *pg, int x, int y,
                    int limit, bool beside_qr)
{
    const struct render_sizes *s = L->s;
    for (size_t r = 0; r < L->first_rows; r++) {
        const struct render_line *ln = beside_qr ? L->fmeta[r] : L->meta[r];
        size_t n = beside_qr ? L->n_fmeta[r] : L->n_meta[r];
        int need = (int)n * s->secondary_line;
        if (y + need > limit) {
            taulu_warn(TAG, "layout: no room for an event row");
            break;
        }
        put_lines(L, pg, RENDER_PART_META, L->meta_font[r], L->fg2,
                  L->meta_text[r], ln, n, x, &y, s->secondary_line);
    }
    return y;
}

/* Lines [a, b) of the event rows that follow the body (the tail), at the
 * first page's body width (w 0) or the continuation width (w 1). */
static void put_tail(struct lay *L, struct render_page *pg, int w, size_t a,
                     size_t b, int x, int *y)
{
    for (size_t i = a; i < b; i++) {
        size_t r = L->tl_row[w][i];
        put_lines(L, pg, RENDER_PART_META, L->meta_font[r], L->fg2,
                  L->meta_text[r], &L->tail[w][r][L->tl_line[w][i]], 1, x, y,
                  L->s->secondary_line);
    }
}

/* The QR code and the image with its caption, in the box x,y,w,h: stacked
 * (side column) or side by side (band). Whether the image found room; pg
 * NULL only measures. */
static bool put_media(struct lay *L, struct render_page *pg, int x, int y,
                      int w, int h, bool with_qr, bool with_img, bool stacked)
{
    const struct render_card *c = L->card;
    const struct render_sizes *s = L->s;
    bool has_img = with_img && (present(c->image.path) || c->image.rgba);
    int cap_h = has_img ? (int)L->n_caption * s->secondary_line : 0;
    int qr = 0;
    if (with_qr && present(c->link)) {
        qr = w < h ? w : h;
        if (has_img && !stacked) {
            /* side by side: QR left, image right with its caption */
            qr = h - cap_h < w / 2 ? h - cap_h : w / 2;
        }
        int cap = (int)(L->fr.card_h * 0.4);
        if (qr > cap) {
            qr = cap;
        }
        if (qr >= (int)(L->fr.card_h * 0.15)) {
            struct render_box *b =
                add_box(pg, RENDER_BOX_QR, RENDER_PART_QR, x, y, qr, qr);
            if (b) {
                b->text = c->link;
                b->len = strlen(c->link);
            }
        } else {
            if (pg) {
                taulu_warn(TAG, "layout: no room for the QR code");
            }
            qr = 0;
        }
    }
    if (!has_img) {
        return false;
    }
    int ix = x, iy = y, iw = w, ih = h;
    if (qr > 0) {
        if (stacked) {
            iy = y + qr + s->gap;
            ih = h - qr - s->gap;
        } else {
            ix = x + qr + s->gap;
            iw = w - qr - s->gap;
        }
    }
    int img_h = ih - cap_h;
    if (img_h < (int)(L->fr.card_h * 0.15) || iw < s->body_px * 2) {
        if (pg) {
            taulu_notice(TAG, "layout: no room for the image on this card");
        }
        return false;
    }
    struct render_box *b =
        add_box(pg, RENDER_BOX_IMAGE, RENDER_PART_IMAGE, ix, iy, iw, img_h);
    if (b) {
        b->image = &c->image;
        if (present(c->image.alt)) {
            b->text = c->image.alt;
            b->len = strlen(c->image.alt);
        }
    }
    if (L->n_caption > 0) {
        /* under the image in a column; across the band in portrait */
        int cy = iy + img_h;
        if (!stacked) {
            ix = x;
            iw = w;
        }
        add_fill(pg, RENDER_PART_CAPTION, ix, cy, iw, cap_h,
                 RENDER_COL_BACKING);
        for (size_t i = 0; i < L->n_caption; i++) {
            const struct render_line *ln = &L->caption[i];
            add_text(pg, RENDER_PART_CAPTION, RENDER_FONT_SECONDARY,
                     RENDER_COL_BACKING_TEXT, RENDER_COL_BACKING,
                     ix + s->gap / 2, cy, ln->width, s->secondary_line,
                     c->image.caption + ln->start, ln->end - ln->start,
                     ln->flags);
            cy += s->secondary_line;
        }
    }
    return true;
}

static void put_chip(struct lay *L, struct render_page *pg)
{
    const struct render_card *c = L->card;
    const struct render_sizes *s = L->s;
    if (!present(c->category_label) ||
        (!present(c->category) && L->category < 0)) {
        return;
    }
    size_t len = strlen(c->category_label);
    int tw = L->m->measure(L->m->ctx, RENDER_FONT_SECONDARY_BOLD,
                           c->category_label, len);
    int pad = s->secondary_px / 2;
    int h = s->secondary_line;
    int maxw = L->main_w;
    int w = tw + 2 * pad > maxw ? maxw : tw + 2 * pad;
    struct render_box *f = add_fill(pg, RENDER_PART_CHIP, L->main_x,
                                    L->footer_y, w, h, RENDER_COL_CATEGORY);
    if (f) {
        f->category = L->category;
    }
    struct render_box *t = add_text(
        pg, RENDER_PART_CHIP, RENDER_FONT_SECONDARY_BOLD, RENDER_COL_CHIP_TEXT,
        RENDER_COL_CATEGORY, L->main_x + pad, L->footer_y,
        tw > w - 2 * pad ? w - 2 * pad : tw, h, c->category_label, len, 0);
    if (t) {
        t->category = L->category;
    }
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

/* Footer (chip, "osa 1 / 2"), characters and dwell of every page. */
static void finish_pages(struct lay *L)
{
    struct render_layout *out = L->out;
    for (size_t i = 0; i < out->n_pages; i++) {
        struct render_page *pg = &out->pages[i];
        put_chip(L, pg);
        if (out->n_pages > 1) {
            char buf[48];
            snprintf(buf, sizeof buf, "%s %zu / %zu", part_word(L->lang), i + 1,
                     out->n_pages);
            /* continuation pages have no side column: the right edge */
            int right =
                L->main_x +
                (i > 0 && L->cont_w > L->main_w ? L->cont_w : L->main_w);
            add_own_text(pg, L->m, RENDER_PART_FOOTER, RENDER_FONT_SECONDARY,
                         L->fg2, L->bg, right, L->footer_y,
                         L->s->secondary_line, buf, true);
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
            (unsigned)(render_dwell_seconds(chars, L->card->plain) * 1000.0 +
                       0.5);
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

/* ---- page budget of text cards ----
 *
 * Only the first page carries the furniture (event rows, QR code, image);
 * a continuation page is the title again (if it has at most 2 lines), the
 * body and the footer, so it holds as much body as its free space allows.
 * On landscape the continuation body is re-broken at the full width (no
 * side column there); the line breaker depends only on a line's start, so
 * that is exact. Portrait tries a few places for the QR code and the image
 * and keeps the one that needs the fewest pages (see choose below). */

/* Where the QR code and the image go on a portrait card. */
#define MAX_ARRANGEMENTS 5 /* portrait_arrangements' most */
struct arrange {
    bool qr_float;            /* QR right of the event rows on the first page */
    bool first_qr, first_img; /* in a band at the bottom of the first page */
    bool last_qr, last_img;   /* in a band under the body on the last page
                                 (or on a page of its own after it) */
};

struct page_plan {
    size_t t0, t1;                   /* title lines set on the page */
    bool title_repeat;               /* the whole title again (continuation) */
    const struct render_line *lines; /* body lines the page indexes */
    size_t b0, b1;                   /* body lines [b0, b1) of `lines` */
    int body_y;                      /* top of the first body line */
    int end_y;                       /* under the last body line */
    int bottom;                      /* lowest y the body may reach */
    bool band;       /* the last-page band is on this page, at end_y */
    size_t tl0, tl1; /* lines of the tail (event rows after the body) */
};

struct plan {
    struct page_plan pages[RENDER_MAX_PAGES];
    size_t n;
    bool truncated; /* more than RENDER_MAX_PAGES pages */
    bool band_fits; /* the last-page band found a page */
    bool tail_set;  /* the tail found a page */
};

/* Whether line i ends a paragraph. An index outside the lines (i >= n,
 * which includes (size_t)-1 for "the line before the first") counts as an
 * end: there is no paragraph to leave a widow of. */
static bool para_end_at(const struct render_line *ln, size_t n, size_t i)
{
    if (i >= n) {
        return true;
    }
    return i + 1 == n || (ln[i].flags & RENDER_LINE_PARA_END);
}

static size_t para_first(const struct render_line *ln, size_t i)
{
    while (i > 0 && !(ln[i - 1].flags & RENDER_LINE_PARA_END)) {
        i--;
    }
    return i;
}

static int para_extra(const struct lay *L, const struct render_line *ln,
                      size_t i, size_t first)
{
    return i > first && (ln[i - 1].flags & RENDER_LINE_PARA_END)
               ? L->s->para_gap
               : 0;
}

/* Body lines from `from` that fit between y and bottom: line height,
 * paragraph gaps and at most RENDER_MAX_BODY_LINES. */
static size_t fit_lines(const struct lay *L, const struct render_line *ln,
                        size_t n, size_t from, int y, int bottom)
{
    size_t k = 0;
    while (from + k < n && k < RENDER_MAX_BODY_LINES) {
        int extra = para_extra(L, ln, from + k, from);
        if (y + extra + L->s->body_line > bottom) {
            break;
        }
        y += extra + L->s->body_line;
        k++;
    }
    return k;
}

/* A page holds body lines [s, e) and line e follows on the next page.
 * Widow and orphan control: moves the break up one line if the next page
 * would start with the last line of a paragraph alone (widow), and once
 * more if the page would then end with a paragraph's first line alone
 * (orphan; the whole paragraph goes over). The page keeps at least one body
 * line unless `empty_ok` (the first page, which has its furniture). If the
 * move cannot help, the break stays where it was. */
static size_t keep_together(const struct render_line *ln, size_t n, size_t s,
                            size_t e, bool empty_ok)
{
    if (e >= n || e <= s) {
        return e;
    }
    size_t w = e;
    if (!para_end_at(ln, n, e - 1) && para_end_at(ln, n, e)) {
        w = e - 1;
    }
    if (w > s && !para_end_at(ln, n, w - 1) && para_first(ln, w - 1) == w - 1) {
        w--;
    }
    size_t min = empty_ok ? s : s + 1;
    return w >= min ? w : e;
}

/* The lowest y of the landscape side column. */
static int side_bottom(const struct lay *L)
{
    return L->fr.card_y + L->fr.card_h - L->s->margin;
}

static int title_block(const struct lay *L, size_t lines)
{
    return lines > 0 ? (int)lines * L->s->title_line + L->s->gap : 0;
}

/* Height of a portrait band holding the QR code and/or the image. */
static int band_height(const struct lay *L, bool qr, bool img)
{
    if (qr && img) {
        return L->band_both;
    }
    return qr ? L->band_qr : img ? L->band_img : 0;
}

/* Top of the body on a continuation page (under a repeated title). */
static int cont_body_top(const struct lay *L)
{
    return L->top + (L->n_title <= RENDER_MAX_TITLE_LINES
                         ? title_block(L, L->n_title)
                         : 0);
}

/* Lowest y of the body on a page without a band. */
static int body_bottom(const struct lay *L)
{
    return L->bottom - (L->progress[0] ? L->s->secondary_line + L->s->gap : 0);
}

/* Re-breaks the body from body line `from` at the continuation width. */
static int break_cont(struct lay *L, size_t from, bool *cut)
{
    L->n_cont = 0;
    if (from >= L->n_body) {
        return TAULU_OK;
    }
    size_t off = L->body[from].start;
    int rc = break_text(L->m, RENDER_FONT_BODY, L->lang, L->cont_w,
                        L->card->body + off, L->cont, MAX_BODY_LINES,
                        &L->n_cont, cut);
    for (size_t i = 0; i < L->n_cont; i++) {
        L->cont[i].start += off;
        L->cont[i].end += off;
    }
    return rc;
}

/* Does the body, re-broken at the continuation width from line e, start
 * with the last line of a paragraph that began on the first page? */
static int cont_widow(struct lay *L, const struct render_line *ln, size_t n,
                      size_t e, bool *cut, bool *widow)
{
    int rc = break_cont(L, e, cut);
    *widow = rc >= 0 && !para_end_at(ln, n, e - 1) && L->n_cont > 0 &&
             para_end_at(L->cont, L->n_cont, 0);
    return rc;
}

/* Landscape: the first page's lines are narrower than the continuation
 * pages', so whether the next page starts with a widow is seen on the
 * re-broken rest, not on the first page's lines (two narrow lines can
 * become one wide one). Moves one line over, or up to three when the rest
 * of the body still fits on one continuation page (so no page is added),
 * each move with keep_together's orphan rule, and takes the first break
 * that leaves no widow; if none does, the break stays. */
static int first_page_break(struct lay *L, const struct render_line *ln,
                            size_t n, size_t s, size_t *e, bool *cut)
{
    if (*e >= n || *e <= s) {
        return TAULU_OK;
    }
    size_t w = *e;
    for (int moves = 0; moves <= 3 && w > s; moves++) {
        if (moves > 0) {
            w--;
        }
        if (w > s && !para_end_at(ln, n, w - 1) &&
            para_first(ln, w - 1) == w - 1) {
            w--; /* no orphan at the foot of the page */
        }
        bool widow = false;
        int rc = cont_widow(L, ln, n, w, cut, &widow);
        if (rc < 0) {
            return rc;
        }
        if (moves > 1 && fit_lines(L, L->cont, L->n_cont, 0, cont_body_top(L),
                                   body_bottom(L)) < L->n_cont) {
            break;
        }
        if (!widow) {
            *e = w;
            return TAULU_OK;
        }
    }
    return TAULU_OK;
}

static bool has_tail(const struct lay *L)
{
    return L->first_rows < L->n_meta_rows;
}

/* Sets the whole tail on page k under its body if it fits there. */
static bool place_tail(const struct lay *L, struct page_plan *pp, size_t k)
{
    int h = L->s->gap + L->tail_h[k > 0];
    if (pp->end_y + h > pp->bottom) {
        return false;
    }
    pp->tl0 = 0;
    pp->tl1 = L->n_tl[k > 0];
    pp->end_y += h;
    return true;
}

/* A page after the body for what follows it (the tail, a band): the
 * title again if it is short, no body lines. *y gets the top of the free
 * room; body_y is a gap above it, so what is set at body_y + gap starts
 * there. The caller checks there is a page left. */
static struct page_plan *extra_page(const struct lay *L, struct plan *P,
                                    const struct render_line *lines, int *y)
{
    struct page_plan *pp = &P->pages[P->n++];
    memset(pp, 0, sizeof *pp);
    pp->t0 = pp->t1 = L->n_title;
    *y = L->top;
    if (L->n_title <= RENDER_MAX_TITLE_LINES) {
        pp->title_repeat = L->n_title > 0;
        *y += title_block(L, L->n_title);
    }
    pp->lines = lines;
    pp->body_y = *y - L->s->gap;
    return pp;
}

/* How many tail lines from `next` go into `room` lines: up to the end of
 * the last whole row that fits; a row is split only if `split` (it is
 * taller than a page). */
static size_t tail_take(const struct lay *L, size_t next, int room, bool split)
{
    size_t n = L->n_tl[1];
    if (room <= 0 || next >= n) {
        return 0;
    }
    size_t take = (size_t)room < n - next ? (size_t)room : n - next;
    size_t e = next + take;
    if (e == n) {
        return take;
    }
    while (e > next && L->tl_row[1][e] == L->tl_row[1][e - 1]) {
        e--;
    }
    return e > next ? e - next : split ? take : 0;
}

/* The tail when it did not fit whole under the body: the rows that fit go
 * under the body of the last page (if it is a continuation page: the first
 * page's width differs), the rest onto pages of their own, the title again
 * and as many rows as fit. */
static void tail_pages(const struct lay *L, struct plan *P)
{
    const struct render_sizes *s = L->s;
    int sl = s->secondary_line;
    size_t next = 0, n = L->n_tl[1];
    struct page_plan *last = &P->pages[P->n - 1];
    if (P->n > 1) {
        int y = last->end_y + s->gap;
        /* a row taller than a page of its own is split anyway: start it
         * here */
        int own = (body_bottom(L) - cont_body_top(L)) / sl;
        size_t row0 = 0;
        while (row0 < n && L->tl_row[1][row0] == L->tl_row[1][0]) {
            row0++;
        }
        size_t take = tail_take(L, 0, (last->bottom - y) / sl, (int)row0 > own);
        if (take > 0) {
            last->tl0 = 0;
            last->tl1 = take;
            last->end_y = y + (int)take * sl;
            next = take;
        }
    }
    while (next < n) {
        if (P->n >= RENDER_MAX_PAGES) {
            P->truncated = true;
            return;
        }
        int y;
        struct page_plan *pp = extra_page(L, P, last->lines, &y);
        pp->bottom = body_bottom(L);
        size_t take = tail_take(L, next, (pp->bottom - y) / sl, true);
        take = take > 0 ? take : 1; /* a page lower than a line */
        pp->tl0 = next;
        pp->tl1 = next + take;
        pp->end_y = y + (int)take * sl;
        next += take;
    }
}

/* The rest of the body, lines [bi, e = n), would end on page k (top of the
 * body at y) but the tail does not fit under it. Keep-with-previous: moves
 * the break up so that the tail goes onto the next page with the last
 * lines of the body: the latest break that leaves at least two lines on
 * page k, no orphan at its foot, no widow on the next page, and the rest of
 * the body and the tail on one continuation page. If there is none, the
 * break stays and the tail gets a page of its own: a short body is better
 * read whole beside its event rows than split mid-sentence. */
static int tail_break(struct lay *L, const struct render_line *ln, size_t n,
                      size_t bi, size_t k, int y, int bottom, size_t *e,
                      bool *cut)
{
    const struct render_sizes *s = L->s;
    int ye = y;
    for (size_t i = bi; i < *e; i++) {
        ye += para_extra(L, ln, i, bi) + s->body_line;
    }
    if (ye + s->gap + L->tail_h[k > 0] <= bottom) {
        return TAULU_OK;
    }
    bool rebreak = k == 0 && L->cont_w != L->body_w;
    int top = cont_body_top(L), bot = body_bottom(L);
    for (size_t w = *e; w-- > bi;) {
        if (w < bi + 2) {
            break; /* page k would keep one line or none */
        }
        const struct render_line *rest = ln + w;
        size_t nr = n - w;
        if (rebreak) {
            int rc = break_cont(L, w, cut);
            if (rc < 0) {
                return rc;
            }
            rest = L->cont;
            nr = L->n_cont;
        }
        if (fit_lines(L, rest, nr, 0, top, bot) < nr) {
            break; /* moving more lines only adds to the next page */
        }
        int yh = top;
        for (size_t i = 0; i < nr; i++) {
            yh += para_extra(L, rest, i, 0) + s->body_line;
        }
        if (yh + s->gap + L->tail_h[1] > bot) {
            break;
        }
        bool split = !para_end_at(ln, n, w - 1);
        if (split && para_first(ln, w - 1) == w - 1) {
            continue; /* orphan */
        }
        if (split && para_end_at(rest, nr, 0)) {
            continue; /* widow */
        }
        *e = w;
        return TAULU_OK;
    }
    return TAULU_OK;
}

/* Pages of a text card for one arrangement: which title and body lines go
 * where. Emits nothing. */
static int plan_pages(struct lay *L, const struct arrange *a, struct plan *P,
                      bool *cut)
{
    const struct render_sizes *s = L->s;
    memset(P, 0, sizeof *P);
    const struct render_line *ln = L->body;
    size_t n = L->n_body, ti = 0, bi = 0;
    for (size_t k = 0;; k++) {
        if (k > 0 && ti >= L->n_title && bi >= n) {
            break;
        }
        if (k >= RENDER_MAX_PAGES) {
            P->truncated = true;
            break;
        }
        if (k == 1) {
            /* continuation pages: no side column, so maybe wider */
            if (L->cont_w != L->body_w) {
                int rc = break_cont(L, bi, cut);
                if (rc < 0) {
                    return rc;
                }
                ln = L->cont;
                n = L->n_cont;
            } else {
                ln = L->body + bi;
                n -= bi;
            }
            bi = 0;
        }
        struct page_plan *pp = &P->pages[P->n++];
        int y = L->top;
        pp->t0 = ti;
        if (ti < L->n_title) {
            size_t t = L->n_title - ti;
            t = t > RENDER_MAX_TITLE_LINES ? RENDER_MAX_TITLE_LINES : t;
            ti += t;
            y += title_block(L, t);
        } else if (L->n_title > 0 && L->n_title <= RENDER_MAX_TITLE_LINES) {
            pp->title_repeat = true;
            y += title_block(L, L->n_title);
        }
        pp->t1 = ti;
        int bottom = L->bottom;
        if (k == 0 && !L->side) {
            if (a->qr_float) {
                y += L->float_h + s->gap;
            } else if (L->first_rows > 0) {
                y += L->meta_h + s->gap;
            }
            if (a->first_qr || a->first_img) {
                bottom -= band_height(L, a->first_qr, a->first_img) + s->gap;
            }
        }
        if (L->progress[0]) {
            bottom -= s->secondary_line + s->gap;
        }
        pp->lines = ln;
        pp->b0 = pp->b1 = bi;
        pp->body_y = pp->end_y = y;
        pp->bottom = bottom;
        if (ti < L->n_title) {
            continue;
        }
        if (bi >= n) {
            if (has_tail(L) && !P->tail_set) {
                /* no body (left): the rows right under the title */
                pp->body_y = pp->end_y = y - s->gap;
                P->tail_set = place_tail(L, pp, k);
                if (!P->tail_set) {
                    pp->body_y = pp->end_y = y;
                }
            }
            continue;
        }
        size_t fit = fit_lines(L, ln, n, bi, y, bottom);
        if (fit == 0 && k > 0) {
            /* not even one line under the repeated title: drop it, or
             * set one line anyway, or the card never ends */
            if (pp->title_repeat) {
                pp->title_repeat = false;
                pp->body_y = y = L->top;
                fit = fit_lines(L, ln, n, bi, y, bottom);
            }
            fit = fit > 0 ? fit : 1;
        }
        size_t e = bi + fit;
        if (k == 0 && L->cont_w != L->body_w) {
            int rc = first_page_break(L, ln, n, bi, &e, cut);
            if (rc < 0) {
                return rc;
            }
        } else {
            e = keep_together(ln, n, bi, e, k == 0);
        }
        if (has_tail(L) && e >= n) {
            int rc = tail_break(L, ln, n, bi, k, y, bottom, &e, cut);
            if (rc < 0) {
                return rc;
            }
        }
        for (size_t i = bi; i < e; i++) {
            y += para_extra(L, ln, i, bi) + s->body_line;
        }
        pp->b1 = e;
        pp->end_y = y;
        bi = e;
        if (has_tail(L) && bi >= n && !P->tail_set) {
            P->tail_set = place_tail(L, pp, k);
        }
    }
    if (has_tail(L) && !P->tail_set && !P->truncated) {
        tail_pages(L, P);
        P->tail_set = true;
    }
    P->band_fits = true;
    bool band_last = a->last_qr || a->last_img;
    if (band_last && !P->truncated) {
        struct page_plan *last = &P->pages[P->n - 1];
        int h = band_height(L, a->last_qr, a->last_img);
        if (last->end_y + s->gap + h <= last->bottom) {
            last->band = true;
        } else if (P->n < RENDER_MAX_PAGES) {
            /* a page of its own: the title again and the band */
            int y;
            struct page_plan *pp = extra_page(L, P, last->lines, &y);
            pp->end_y = pp->body_y;
            pp->bottom = L->bottom;
            pp->band = true;
        } else {
            P->band_fits = false;
        }
    } else if (band_last) {
        P->band_fits = false;
    }
    return TAULU_OK;
}

static size_t plan_body_lines(const struct plan *P, size_t page)
{
    return P->pages[page].b1 - P->pages[page].b0;
}

/* Is plan a better than plan b? Not cut short, then fewer pages, then
 * more body text on the first page, up to 3 lines (a first page with one
 * line of body and the rest elsewhere reads badly); ties keep the earlier
 * arrangement. */
static bool plan_better(const struct plan *a, const struct plan *b)
{
    if (a->truncated != b->truncated) {
        return !a->truncated;
    }
    if (a->n != b->n) {
        return a->n < b->n;
    }
    size_t fa = plan_body_lines(a, 0), fb = plan_body_lines(b, 0);
    fa = fa > 3 ? 3 : fa;
    fb = fb > 3 ? 3 : fb;
    return fa > fb;
}

/* Portrait candidates, in order of preference: the band at the bottom of
 * the first page (QR code left, image right); the QR code beside the event
 * rows and the image (if any) in the band; the QR code in the band and the
 * image under the body on the last page; the QR code beside the rows and
 * the image on the last page; both in a band on the last page. A band that
 * does not fit under the last page's body gets a page of its own. */
static size_t portrait_arrangements(const struct lay *L, struct arrange *out)
{
    const struct render_card *c = L->card;
    bool qr = present(c->link);
    bool img = present(c->image.path) || c->image.rgba;
    size_t n = 0;
    if (!qr && !img) {
        out[n++] = (struct arrange){0};
        return n;
    }
    out[n++] = (struct arrange){.first_qr = qr, .first_img = img};
    if (qr && L->float_ok) {
        out[n++] = (struct arrange){.qr_float = true, .first_img = img};
    }
    if (qr && img) {
        out[n++] = (struct arrange){.first_qr = true, .last_img = true};
    }
    if (qr && img && L->float_ok) {
        out[n++] = (struct arrange){.qr_float = true, .last_img = true};
    }
    out[n++] = (struct arrange){.last_qr = qr, .last_img = img};
    return n;
}

/* Portrait: the event rows broken beside a QR code at the right. A row that
 * starts beside the code is broken narrower; the rest use the full width.
 * Not offered if a row would need more than MAX_SIDE_LINES lines, would
 * leave a short word alone on its last line, or the code would be too
 * small to read from a step away. */
static int prepare_float(struct lay *L, bool *cut)
{
    const struct render_sizes *s = L->s;
    L->float_ok = false;
    if (!s->portrait || !present(L->card->link) || L->n_meta_rows == 0 ||
        L->first_rows < L->n_meta_rows) {
        return TAULU_OK;
    }
    int q = L->main_w * 3 / 10;
    if (q < (int)(L->fr.card_h * 0.15)) {
        return TAULU_OK;
    }
    int y = 0;
    for (size_t r = 0; r < L->n_meta_rows; r++) {
        int w = y < q ? L->main_w - q - s->gap : L->main_w;
        bool all = true;
        int rc = break_lines(L->m, L->meta_font[r], L->lang, w, L->meta_text[r],
                             L->fmeta[r], MAX_SIDE_LINES + 1, &L->n_fmeta[r],
                             cut, &all);
        if (rc < 0) {
            return rc;
        }
        if (!all || L->n_fmeta[r] > MAX_SIDE_LINES) {
            return TAULU_OK;
        }
        /* the narrow column must not strand a short word ("Kirkkotie /
         * 5") that the full width kept on its line */
        size_t nf = L->n_fmeta[r];
        if (nf > L->n_meta[r] && L->fmeta[r][nf - 1].chars < 6) {
            return TAULU_OK;
        }
        y += (int)L->n_fmeta[r] * s->secondary_line;
    }
    int h = y > q ? y : q;
    size_t t = L->n_title < RENDER_MAX_TITLE_LINES ? L->n_title
                                                   : RENDER_MAX_TITLE_LINES;
    if (h > L->bottom - L->top - title_block(L, t)) {
        return TAULU_OK; /* the rows beside the code would leave the page */
    }
    L->float_ok = true;
    L->float_qr = q;
    L->float_h = h;
    return TAULU_OK;
}

/* The side column's QR code (unless it went to the main column) and
 * image under its event rows. Whether the image found room there. */
static bool put_side_media(struct lay *L, struct render_page *pg, bool with_img)
{
    int sy = L->top + L->meta_h + (L->first_rows > 0 ? L->s->gap : 0);
    bool qr_main = L->body_w < L->main_w;
    return put_media(L, pg, L->side_x, sy, L->side_w, side_bottom(L) - sy,
                     !qr_main, with_img, true);
}

/* The first page's furniture: event rows, QR code, image (y: under the
 * title). */
static void put_first_furniture(struct lay *L, struct render_page *pg,
                                const struct arrange *a, int y)
{
    const struct render_card *c = L->card;
    const struct render_sizes *s = L->s;
    bool has_media =
        present(c->link) || present(c->image.path) || c->image.rgba;
    if (L->side) {
        put_meta(L, pg, L->side_x, L->top, side_bottom(L), false);
        bool qr_main = L->body_w < L->main_w;
        if (qr_main) {
            int qr_box = L->main_w - L->body_w - s->gap;
            put_media(L, pg, L->main_x + L->main_w - qr_box, L->bottom - qr_box,
                      qr_box, qr_box, true, false, true);
        }
        if (has_media) {
            put_side_media(L, pg, !a->last_img);
        }
        return;
    }
    if (a->qr_float) {
        int q = L->float_qr;
        struct render_box *b = add_box(pg, RENDER_BOX_QR, RENDER_PART_QR,
                                       L->main_x + L->main_w - q, y, q, q);
        if (b) {
            b->text = c->link;
            b->len = strlen(c->link);
        }
        put_meta(L, pg, L->main_x, y, L->bottom, true);
    } else if (L->n_meta_rows > 0) {
        put_meta(L, pg, L->main_x, y, L->bottom, false);
    }
    if (a->first_qr || a->first_img) {
        int h = band_height(L, a->first_qr, a->first_img);
        put_media(L, pg, L->main_x, L->bottom - h, L->main_w, h, a->first_qr,
                  a->first_img, false);
    }
}

/* Bulletin, event, alert, calm, loading, continuation. */
static int layout_text_card(struct lay *L)
{
    const struct render_card *c = L->card;
    const struct render_sizes *s = L->s;
    bool cut = false;
    int rc;
    bool has_media =
        present(c->link) || present(c->image.path) || c->image.rgba;
    L->n_meta_rows = 0;
    if (c->kind == RENDER_CARD_EVENT || c->kind == RENDER_CARD_BULLETIN ||
        c->kind == RENDER_CARD_CONTINUATION) {
        const char *rows[MAX_META_ROWS] = {c->when,         c->repeat,
                                           c->where,        c->price,
                                           c->registration, c->accessibility};
        for (int i = 0; i < MAX_META_ROWS; i++) {
            if (present(rows[i])) {
                L->meta_text[L->n_meta_rows] = rows[i];
                L->meta_font[L->n_meta_rows] =
                    i == 0 ? RENDER_FONT_SECONDARY_BOLD : RENDER_FONT_SECONDARY;
                L->n_meta_rows++;
            }
        }
    }
    bool alert = c->kind == RENDER_CARD_ALERT;
    L->side = !s->portrait && !alert && (has_media || L->n_meta_rows > 0);
    L->main_x = s->margin;
    L->main_w = L->fr.card_w - 2 * s->margin;
    /* continuation pages have no side column */
    L->cont_w = L->main_w;
    if (L->side) {
        L->side_w = (int)(L->fr.card_w * 0.34);
        L->side_x = L->fr.card_w - s->margin - L->side_w;
        L->main_w -= L->side_w + 2 * s->gap;
    }
    L->top = L->fr.card_y + 2 * s->gap;
    L->footer_y = L->fr.card_y + L->fr.card_h - s->margin - s->secondary_line;
    L->bottom = L->footer_y - s->gap;
    rc = break_text(L->m, RENDER_FONT_TITLE, L->lang, L->main_w, c->title,
                    L->title, MAX_TITLE_LINES, &L->n_title, &cut);
    if (rc < 0) {
        return rc;
    }
    /* The event rows go on the first page, in order, as long as they fit
     * (the side column, or under the title); a row that does not, and the
     * rows after it, follow the body on the last page instead (the tail),
     * so no row is ever dropped. */
    int meta_w = L->side ? L->side_w : L->main_w;
    int meta_room = L->bottom - L->top;
    if (L->side) {
        /* the footer line is the main column's: the side column goes down
         * to the margin */
        meta_room = side_bottom(L) - L->top;
    } else {
        meta_room -= title_block(L, L->n_title < RENDER_MAX_TITLE_LINES
                                        ? L->n_title
                                        : RENDER_MAX_TITLE_LINES);
    }
    size_t row_cap = L->side ? MAX_SIDE_LINES : MAX_META_LINES;
    L->meta_h = 0;
    L->first_rows = 0;
    bool rows_fit = true;
    for (size_t r = 0; r < L->n_meta_rows; r++) {
        bool all = true;
        rc =
            break_lines(L->m, L->meta_font[r], L->lang, meta_w, L->meta_text[r],
                        L->meta[r], MAX_META_LINES, &L->n_meta[r], &cut, &all);
        if (rc < 0) {
            return rc;
        }
        int h = (int)L->n_meta[r] * s->secondary_line;
        rows_fit = rows_fit && all && L->n_meta[r] <= row_cap &&
                   L->meta_h + h <= meta_room;
        if (rows_fit) {
            L->first_rows++;
            L->meta_h += h;
        }
    }
    if (L->first_rows < L->n_meta_rows) {
        taulu_debug(TAG, "layout: %zu event rows follow the body",
                    L->n_meta_rows - L->first_rows);
    }
    rc = prepare_float(L, &cut);
    if (rc < 0) {
        return rc;
    }
    /* Landscape: when the event rows leave too little of the side column
     * for a QR code that a phone reads from a step away, the code goes to
     * the bottom right of the main column and the body is set narrower
     * beside it. */
    L->body_w = L->main_w;
    if (L->side && present(c->link)) {
        int sy = L->top + L->meta_h;
        sy += L->first_rows > 0 ? s->gap : 0;
        int room = L->fr.card_y + L->fr.card_h - s->margin - sy;
        int want = L->side_w < (int)(L->fr.card_h * 0.4)
                       ? L->side_w
                       : (int)(L->fr.card_h * 0.4);
        if (room * 4 < want * 3) {
            int qr_box = (int)(L->fr.card_h * 0.3);
            qr_box = qr_box > L->main_w / 3 ? L->main_w / 3 : qr_box;
            L->body_w = L->main_w - qr_box - s->gap;
        }
    }
    if (!L->side) {
        L->cont_w = L->body_w;
    }
    rc = break_text(L->m, RENDER_FONT_BODY, L->lang, L->body_w, c->body,
                    L->body, MAX_BODY_LINES, &L->n_body, &cut);
    if (rc < 0) {
        return rc;
    }
    /* the tail at the first page's body width and at the continuation
     * pages' width */
    bool first_ok = true;
    for (int w = 0; w < 2; w++) {
        L->n_tl[w] = 0;
        for (size_t r = L->first_rows; r < L->n_meta_rows; r++) {
            bool all = true;
            rc = break_lines(L->m, L->meta_font[r], L->lang,
                             w ? L->cont_w : L->body_w, L->meta_text[r],
                             L->tail[w][r], MAX_META_LINES, &L->n_tail[w][r],
                             &cut, w ? NULL : &all);
            if (rc < 0) {
                return rc;
            }
            if (!all) {
                /* too long for the first page's width: not set there */
                first_ok = false;
            }
            for (size_t i = 0; i < L->n_tail[w][r]; i++) {
                L->tl_row[w][L->n_tl[w]] = (unsigned char)r;
                L->tl_line[w][L->n_tl[w]++] = (unsigned char)i;
            }
        }
        L->tail_h[w] = (int)L->n_tl[w] * s->secondary_line;
    }
    if (!first_ok) {
        L->tail_h[0] = L->fr.card_h; /* never fits */
    }
    /* portrait bands: QR code and image side by side, or one of them */
    L->media_w = L->side ? L->side_w : L->main_w;
    L->n_caption = 0;
    if (present(c->image.caption)) {
        rc = break_text(L->m, RENDER_FONT_SECONDARY, L->lang,
                        L->media_w - s->gap, c->image.caption, L->caption, 2,
                        &L->n_caption, &cut);
        if (rc < 0) {
            return rc;
        }
    }
    int cap_h = (int)L->n_caption * s->secondary_line;
    L->band_both = (int)(L->fr.card_w * 0.36) + cap_h;
    L->band_qr = (int)(L->fr.card_w * 0.36);
    /* an image alone: as tall as beside a QR code, or the old image-only
     * band when the card has no link */
    L->band_img =
        present(c->link) ? L->band_both : (int)(L->fr.card_h * 0.3) + cap_h;
    if (L->side) {
        /* landscape: an image under the body, as wide as the side column */
        L->band_img = (int)(L->fr.card_h * 0.35) + cap_h;
    }
    L->progress[0] = '\0';
    if (c->kind == RENDER_CARD_LOADING) {
        progress_text(c, L->lang, L->progress, sizeof L->progress);
    }

    /* choose the arrangement that needs the fewest pages */
    struct arrange arr[MAX_ARRANGEMENTS];
    size_t n_arr = 1;
    arr[0] = (struct arrange){0};
    if (L->side && (present(c->image.path) || c->image.rgba) &&
        !put_side_media(L, NULL, true)) {
        /* no room under the event rows: the image follows the body */
        arr[0].last_img = true;
    }
    if (s->portrait && !alert) {
        n_arr = portrait_arrangements(L, arr);
    }
    struct plan best, P;
    size_t pick = 0;
    bool have = false;
    for (size_t i = 0; i < n_arr; i++) {
        rc = plan_pages(L, &arr[i], &P, &cut);
        if (rc < 0) {
            return rc;
        }
        if (!P.band_fits) {
            continue;
        }
        if (!have || plan_better(&P, &best)) {
            best = P;
            pick = i;
            have = true;
        }
    }
    /* the continuation lines (L->cont) are the last plan's: plan the
     * chosen arrangement again unless it was the last (landscape has
     * one) */
    if (!have || pick + 1 != n_arr) {
        rc = plan_pages(L, &arr[pick], &best, &cut);
        if (rc < 0) {
            return rc;
        }
    }
    const struct arrange *a = &arr[pick];
    L->out->cut_word = cut;
    if (best.truncated || !best.band_fits) {
        L->out->truncated = true;
        taulu_warn(TAG, "layout: card needs more than %d pages, rest dropped",
                   RENDER_MAX_PAGES);
    }

    for (size_t k = 0; k < best.n; k++) {
        const struct page_plan *pp = &best.pages[k];
        struct render_page *pg = new_page(L);
        if (!pg) {
            break;
        }
        int y = L->top;
        if (pp->t1 > pp->t0) {
            put_lines(L, pg, RENDER_PART_TITLE, RENDER_FONT_TITLE, L->fg,
                      c->title, L->title + pp->t0, pp->t1 - pp->t0, L->main_x,
                      &y, s->title_line);
        } else if (pp->title_repeat) {
            put_lines(L, pg, RENDER_PART_TITLE, RENDER_FONT_TITLE, L->fg,
                      c->title, L->title, L->n_title, L->main_x, &y,
                      s->title_line);
        }
        if (y > L->top) {
            y += s->gap;
        }
        if (k == 0) {
            put_first_furniture(L, pg, a, y);
        }
        if (L->progress[0]) {
            add_own_text(pg, L->m, RENDER_PART_PROGRESS, RENDER_FONT_SECONDARY,
                         L->fg2, L->bg, L->main_x, pp->bottom + s->gap,
                         s->secondary_line, L->progress, false);
        }
        y = pp->body_y;
        for (size_t i = pp->b0; i < pp->b1; i++) {
            const struct render_line *ln = &pp->lines[i];
            y += para_extra(L, pp->lines, i, pp->b0);
            add_text(pg, RENDER_PART_BODY, RENDER_FONT_BODY, L->fg, L->bg,
                     L->main_x, y, ln->width, s->body_line, c->body + ln->start,
                     ln->end - ln->start, ln->flags);
            y += s->body_line;
        }
        if (pp->tl1 > pp->tl0) {
            y += s->gap;
            put_tail(L, pg, k > 0, pp->tl0, pp->tl1, L->main_x, &y);
        }
        if (pp->band) {
            int h = band_height(L, a->last_qr, a->last_img);
            put_media(L, pg, L->main_x, y + s->gap,
                      L->side ? L->side_w : L->main_w, h, a->last_qr,
                      a->last_img, false);
        }
    }
    finish_pages(L);
    return TAULU_OK;
}

static int layout_agenda(struct lay *L)
{
    const struct render_card *c = L->card;
    const struct render_sizes *s = L->s;
    bool cut = false;
    L->side = false;
    L->main_x = s->margin;
    L->main_w = L->fr.card_w - 2 * s->margin;
    L->top = L->fr.card_y + 2 * s->gap;
    L->footer_y = L->fr.card_y + L->fr.card_h - s->margin - s->secondary_line;
    L->bottom = L->footer_y - s->gap;
    int rc = break_text(L->m, RENDER_FONT_TITLE, L->lang, L->main_w, c->title,
                        L->title, RENDER_MAX_TITLE_LINES, &L->n_title, &cut);
    if (rc < 0) {
        return rc;
    }
    /* the time column fits the widest time, up to 40 % of the width */
    int time_w = 0;
    for (size_t i = 0; i < c->n_rows; i++) {
        if (present(c->rows[i].time)) {
            int w = L->m->measure(L->m->ctx, RENDER_FONT_BODY, c->rows[i].time,
                                  strlen(c->rows[i].time));
            time_w = w > time_w ? w : time_w;
        }
    }
    int max_time = (int)(L->main_w * 0.4);
    time_w = time_w > max_time ? max_time : time_w;
    int title_x = L->main_x + (time_w > 0 ? time_w + s->body_px / 2 : 0);
    int title_w = L->main_x + L->main_w - title_x;
    /* a title column under about 16 characters breaks words: put the
     * time on its own line above the title instead */
    bool stacked = title_w < 16 * s->body_px / 2;
    if (stacked) {
        title_x = L->main_x;
        title_w = L->main_w;
        time_w = L->main_w;
    }

    size_t ri = 0;
    if (c->n_rows == 0) {
        rc = break_text(L->m, RENDER_FONT_BODY, L->lang, L->main_w, c->body,
                        L->body, RENDER_MAX_BODY_LINES, &L->n_body, &cut);
        if (rc < 0) {
            return rc;
        }
    }
    do {
        struct render_page *pg = new_page(L);
        if (!pg) {
            L->out->truncated = true;
            taulu_warn(TAG, "layout: agenda needs more than %d pages",
                       RENDER_MAX_PAGES);
            break;
        }
        int y = L->top;
        put_lines(L, pg, RENDER_PART_TITLE, RENDER_FONT_TITLE, L->fg, c->title,
                  L->title, L->n_title, L->main_x, &y, s->title_line);
        y += s->gap;
        if (c->n_rows == 0) {
            put_lines(L, pg, RENDER_PART_BODY, RENDER_FONT_BODY, L->fg, c->body,
                      L->body, L->n_body, L->main_x, &y, s->body_line);
            break;
        }
        const char *day = NULL;
        size_t placed = 0;
        while (ri < c->n_rows) {
            const struct render_agenda_row *row = &c->rows[ri];
            struct render_line tl[MAX_ROW_LINES];
            size_t nt = 0;
            rc = break_text(L->m, RENDER_FONT_BODY, L->lang, title_w,
                            row->title, tl, MAX_ROW_LINES, &nt, &cut);
            if (rc < 0) {
                return rc;
            }
            bool new_day =
                present(row->day) && (!day || strcmp(day, row->day) != 0);
            int need =
                ((nt > 0 ? (int)nt : 1) + (stacked ? 1 : 0)) * s->body_line;
            if (new_day) {
                need += s->body_line + (placed > 0 ? s->gap : 0);
            }
            if (y + need > L->bottom) {
                if (placed == 0 && y == L->top) {
                    /* a row taller than a page: show what fits */
                    nt = 1;
                } else {
                    break;
                }
            }
            if (new_day) {
                if (placed > 0) {
                    y += s->gap;
                }
                add_text(pg, RENDER_PART_AGENDA_DAY, RENDER_FONT_BODY_BOLD,
                         L->fg, L->bg, L->main_x, y,
                         L->m->measure(L->m->ctx, RENDER_FONT_BODY_BOLD,
                                       row->day, strlen(row->day)),
                         s->body_line, row->day, strlen(row->day), 0);
                y += s->body_line;
                day = row->day;
            }
            if (present(row->time)) {
                size_t tlen = strlen(row->time);
                int tw =
                    L->m->measure(L->m->ctx, RENDER_FONT_BODY, row->time, tlen);
                add_text(pg, RENDER_PART_AGENDA_TIME, RENDER_FONT_BODY, L->fg2,
                         L->bg, L->main_x, y, tw > time_w ? time_w : tw,
                         s->body_line, row->time, tlen, 0);
                if (stacked) {
                    y += s->body_line;
                }
            }
            int ty = y;
            put_lines(L, pg, RENDER_PART_AGENDA_TITLE, RENDER_FONT_BODY, L->fg,
                      row->title, tl, nt, title_x, &ty, s->body_line);
            y += (nt > 0 ? (int)nt : 1) * s->body_line;
            placed++;
            ri++;
        }
    } while (ri < c->n_rows);
    L->out->cut_word = cut;
    finish_pages(L);
    return TAULU_OK;
}

static bool card_strings_ok(const struct render_card *c)
{
    const char *one_line[] = {c->lang,          c->category,  c->category_label,
                              c->title,         c->when,      c->repeat,
                              c->where,         c->price,     c->registration,
                              c->accessibility, c->link,      c->image.caption,
                              c->image.alt,     c->image.key, c->image.path};
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

int render_layout_card(const struct render_card *card,
                       const struct render_profile *p,
                       const struct render_sizes *s,
                       const struct render_measurer *m,
                       struct render_layout *out)
{
    if (!card || !p || !s || !m || !m->measure || !out || (int)card->kind < 0 ||
        card->kind >= RENDER_CARD_KIND_COUNT ||
        (card->n_rows > 0 && !card->rows) || card->n_rows > MAX_AGENDA_ROWS) {
        return TAULU_EINVAL;
    }
    out->n_pages = 0;
    out->truncated = false;
    out->cut_word = false;
    if (!card_strings_ok(card)) {
        taulu_warn(TAG, "layout: card text is not valid UTF-8 or has "
                        "control characters");
        return TAULU_EUTF8;
    }
    /* About 20 KiB of broken lines on the stack: re-entrant, no malloc. */
    struct lay L;
    memset(&L, 0, sizeof L);
    L.card = card;
    L.p = p;
    L.s = s;
    L.m = m;
    L.out = out;
    L.lang = present(card->lang) ? card->lang : "fi";
    render_frame_compute(p, s, &L.fr);
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
    if (card->kind == RENDER_CARD_AGENDA) {
        return layout_agenda(&L);
    }
    return layout_text_card(&L);
}

int render_layout_header(const struct render_header *h,
                         const struct render_profile *p,
                         const struct render_sizes *s,
                         const struct render_measurer *m,
                         struct render_page *out)
{
    if (!h || !p || !s || !m || !m->measure || !out) {
        return TAULU_EINVAL;
    }
    const char *strs[] = {h->centre, h->date, h->clock, h->page};
    for (size_t i = 0; i < 4; i++) {
        if (!text_ok(strs[i], "")) {
            return TAULU_EUTF8;
        }
    }
    struct render_frame fr;
    render_frame_compute(p, s, &fr);
    out->n = 0;
    out->own_len = 0;
    out->x = fr.header_x;
    out->y = fr.header_y;
    out->w = fr.header_w;
    out->h = fr.header_h;
    add_fill(out, RENDER_PART_HEADER, fr.header_x, fr.header_y, fr.header_w,
             fr.header_h, RENDER_COL_HEADER_BG);
    int y = fr.header_y + s->gap;
    int lh = s->secondary_line;
    /* right side, from the right edge: clock (bold), date, page; in
     * portrait the date and page go on a second row */
    int x = fr.header_w - s->margin;
    if (s->portrait) {
        int y2 = y + lh;
        if (present(h->date)) {
            size_t len = strlen(h->date);
            int w = m->measure(m->ctx, RENDER_FONT_SECONDARY, h->date, len);
            add_text(out, RENDER_PART_HEADER, RENDER_FONT_SECONDARY,
                     RENDER_COL_HEADER_TEXT, RENDER_COL_HEADER_BG, s->margin,
                     y2, w, lh, h->date, len, 0);
        }
        if (present(h->page)) {
            size_t len = strlen(h->page);
            int w = m->measure(m->ctx, RENDER_FONT_SECONDARY, h->page, len);
            add_text(out, RENDER_PART_HEADER, RENDER_FONT_SECONDARY,
                     RENDER_COL_HEADER_TEXT, RENDER_COL_HEADER_BG, x - w, y2, w,
                     lh, h->page, len, 0);
        }
    }
    const char *right[] = {h->clock, s->portrait ? NULL : h->date,
                           s->portrait ? NULL : h->page};
    const enum render_font rf[] = {RENDER_FONT_SECONDARY_BOLD,
                                   RENDER_FONT_SECONDARY,
                                   RENDER_FONT_SECONDARY};
    for (size_t i = 0; i < 3; i++) {
        if (!present(right[i])) {
            continue;
        }
        size_t len = strlen(right[i]);
        int w = m->measure(m->ctx, rf[i], right[i], len);
        x -= w;
        add_text(out, RENDER_PART_HEADER, rf[i], RENDER_COL_HEADER_TEXT,
                 RENDER_COL_HEADER_BG, x, y, w, lh, right[i], len, 0);
        x -= s->secondary_px;
    }
    if (present(h->centre)) {
        /* the centre's name takes the rest; cut at a word if it must */
        int avail = x - s->margin;
        struct mctx mc = {m, RENDER_FONT_SECONDARY_BOLD};
        struct render_lb_params lp = {.max_width = avail > 1 ? avail : 1,
                                      .max_chars = RENDER_LINE_CHARS_MAX,
                                      .lang = "fi",
                                      .measure = measure_tramp,
                                      .measure_ctx = &mc};
        struct render_line ln[1];
        struct render_lb_result r;
        int rc = render_linebreak(h->centre, strlen(h->centre), &lp, ln, 1, &r);
        if (rc < 0) {
            return rc;
        }
        if (r.n > 0) {
            add_text(out, RENDER_PART_HEADER, RENDER_FONT_SECONDARY_BOLD,
                     RENDER_COL_HEADER_TEXT, RENDER_COL_HEADER_BG, s->margin, y,
                     ln[0].width, lh, h->centre + ln[0].start,
                     ln[0].end - ln[0].start, ln[0].flags);
        }
    }
    out->chars = 0;
    out->dwell_ms = 0;
    return TAULU_OK;
}
