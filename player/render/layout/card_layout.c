/*
 * card_layout.c: card model + sizes -> positioned boxes; see card_layout.h.
 *
 * Geometry, landscape:            portrait:
 *   +---------------------------+   +-------------+
 *   | header band               |   | header      |
 *   | title          | when     |   | title       |
 *   | body           | where .. |   | when, where |
 *   | body           | QR       |   | body        |
 *   | chip   osa 1/2 | image    |   | QR | image  |
 *   +---------------------------+   | chip  1/2   |
 *                                   +-------------+
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
#define MAX_META_ROWS   5
#define MAX_META_LINES  3
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

static int break_text(const struct render_measurer *m, enum render_font font,
                      const char *lang, int width, const char *s,
                      struct render_line *lines, size_t cap, size_t *n,
                      bool *cut)
{
    *n = 0;
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
    if (!r.complete) {
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
    struct render_line caption[2];
    size_t n_caption;
    int media_w; /* width the caption is broken for */
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

/* Event rows: in the side column (landscape) or under the title. */
static int put_meta(struct lay *L, struct render_page *pg, int x, int y,
                    int limit)
{
    const struct render_sizes *s = L->s;
    for (size_t r = 0; r < L->n_meta_rows; r++) {
        int need = (int)L->n_meta[r] * s->secondary_line;
        if (y + need > limit) {
            taulu_warn(TAG, "layout: no room for an event row");
            break;
        }
        put_lines(L, pg, RENDER_PART_META, L->meta_font[r], L->fg2,
                  L->meta_text[r], L->meta[r], L->n_meta[r], x, &y,
                  s->secondary_line);
    }
    return y;
}

/* The QR code and (on the first page) the image with its caption, in the
 * box x,y,w,h: stacked (side column) or side by side (portrait band). */
static void put_media(struct lay *L, struct render_page *pg, int x, int y,
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
            taulu_warn(TAG, "layout: no room for the QR code");
            qr = 0;
        }
    }
    if (!has_img) {
        return;
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
        taulu_notice(TAG, "layout: no room for the image on this card");
        return;
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
            add_own_text(pg, L->m, RENDER_PART_FOOTER, RENDER_FONT_SECONDARY,
                         L->fg2, L->bg, L->main_x + L->main_w, L->footer_y,
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
        const char *rows[MAX_META_ROWS] = {c->when, c->where, c->price,
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
    if (L->side) {
        L->side_w = (int)(L->fr.card_w * 0.34);
        L->side_x = L->fr.card_w - s->margin - L->side_w;
        L->main_w -= L->side_w + 2 * s->gap;
    }
    L->top = L->fr.card_y + 2 * s->gap;
    L->footer_y = L->fr.card_y + L->fr.card_h - s->margin - s->secondary_line;
    L->bottom = L->footer_y - s->gap;
    int meta_w = L->side ? L->side_w : L->main_w;
    for (size_t r = 0; r < L->n_meta_rows; r++) {
        rc = break_text(L->m, L->meta_font[r], L->lang, meta_w, L->meta_text[r],
                        L->meta[r], MAX_META_LINES, &L->n_meta[r], &cut);
        if (rc < 0) {
            return rc;
        }
    }
    rc = break_text(L->m, RENDER_FONT_TITLE, L->lang, L->main_w, c->title,
                    L->title, MAX_TITLE_LINES, &L->n_title, &cut);
    if (rc < 0) {
        return rc;
    }
    /* Landscape: when the event rows leave too little of the side column
     * for a QR code that a phone reads from a step away, the code goes to
     * the bottom right of the main column and the body is set narrower
     * beside it. */
    bool qr_main = false;
    int qr_box = 0, body_w = L->main_w;
    if (L->side && present(c->link)) {
        int sy = L->top;
        for (size_t r = 0; r < L->n_meta_rows; r++) {
            sy += (int)L->n_meta[r] * s->secondary_line;
        }
        sy += L->n_meta_rows > 0 ? s->gap : 0;
        int room = L->fr.card_y + L->fr.card_h - s->margin - sy;
        int want = L->side_w < (int)(L->fr.card_h * 0.4)
                       ? L->side_w
                       : (int)(L->fr.card_h * 0.4);
        if (room * 4 < want * 3) {
            qr_main = true;
            qr_box = (int)(L->fr.card_h * 0.3);
            qr_box = qr_box > L->main_w / 3 ? L->main_w / 3 : qr_box;
            body_w = L->main_w - qr_box - s->gap;
        }
    }
    rc = break_text(L->m, RENDER_FONT_BODY, L->lang, body_w, c->body, L->body,
                    MAX_BODY_LINES, &L->n_body, &cut);
    if (rc < 0) {
        return rc;
    }
    /* portrait: a band at the bottom for the QR code and the image */
    int band_h = 0;
    L->media_w = L->side ? L->side_w : L->main_w;
    if (s->portrait && has_media) {
        band_h = (int)(L->fr.card_w * 0.36);
    }
    if (has_media && (present(c->image.path) || c->image.rgba) &&
        !present(c->link) && s->portrait) {
        band_h = (int)(L->fr.card_h * 0.3);
    }
    L->n_caption = 0;
    if (present(c->image.caption)) {
        rc = break_text(L->m, RENDER_FONT_SECONDARY, L->lang,
                        L->media_w - s->gap, c->image.caption, L->caption, 2,
                        &L->n_caption, &cut);
        if (rc < 0) {
            return rc;
        }
    }
    if (s->portrait && has_media) {
        band_h += (int)L->n_caption * s->secondary_line;
    }
    char progress[96] = "";
    if (c->kind == RENDER_CARD_LOADING) {
        progress_text(c, L->lang, progress, sizeof progress);
    }
    L->out->cut_word = cut;

    size_t ti = 0, bi = 0;
    bool compact = false;
    while (ti < L->n_title || bi < L->n_body || L->out->n_pages == 0) {
        size_t page_boxes_start;
        struct render_page *pg = new_page(L);
        if (!pg) {
            L->out->truncated = true;
            taulu_warn(TAG,
                       "layout: card needs more than %d pages, rest "
                       "dropped",
                       RENDER_MAX_PAGES);
            break;
        }
        bool first = L->out->n_pages == 1;
        page_boxes_start = pg->n;
        int y = L->top;
        size_t ti0 = ti;
        /* title: its next lines, or repeated on a continuation page */
        if (ti < L->n_title) {
            size_t n = L->n_title - ti;
            if (n > RENDER_MAX_TITLE_LINES) {
                n = RENDER_MAX_TITLE_LINES;
            }
            put_lines(L, pg, RENDER_PART_TITLE, RENDER_FONT_TITLE, L->fg,
                      c->title, L->title + ti, n, L->main_x, &y, s->title_line);
            ti += n;
        } else if (!compact && L->n_title > 0 &&
                   L->n_title <= RENDER_MAX_TITLE_LINES) {
            put_lines(L, pg, RENDER_PART_TITLE, RENDER_FONT_TITLE, L->fg,
                      c->title, L->title, L->n_title, L->main_x, &y,
                      s->title_line);
        }
        if (y > L->top) {
            y += s->gap;
        }
        int body_bottom = L->bottom;
        if (L->side && !compact) {
            int sy = put_meta(L, pg, L->side_x, L->top, L->bottom);
            if (sy > L->top) {
                sy += s->gap;
            }
            int room = L->fr.card_y + L->fr.card_h - s->margin - sy;
            if (qr_main) {
                put_media(L, pg, L->main_x + L->main_w - qr_box,
                          L->bottom - qr_box, qr_box, qr_box, true, false,
                          true);
            }
            if (has_media) {
                put_media(L, pg, L->side_x, sy, L->side_w, room, !qr_main,
                          first, true);
            }
        } else if (!compact) {
            if (L->n_meta_rows > 0) {
                y = put_meta(L, pg, L->main_x, y, L->bottom);
                y += s->gap;
            }
            if (has_media && band_h > 0) {
                body_bottom = L->bottom - band_h - s->gap;
                put_media(L, pg, L->main_x, body_bottom + s->gap, L->main_w,
                          band_h, true, first, false);
            }
        }
        if (progress[0]) {
            add_own_text(pg, L->m, RENDER_PART_PROGRESS, RENDER_FONT_SECONDARY,
                         L->fg2, L->bg, L->main_x,
                         body_bottom - s->secondary_line, s->secondary_line,
                         progress, false);
            body_bottom -= s->secondary_line + s->gap;
        }
        /* body: only after the whole title */
        int lines_here = 0;
        while (ti >= L->n_title && bi < L->n_body &&
               lines_here < RENDER_MAX_BODY_LINES) {
            int extra = 0;
            if (lines_here > 0 &&
                (L->body[bi - 1].flags & RENDER_LINE_PARA_END)) {
                extra = s->para_gap;
            }
            if (y + extra + s->body_line > body_bottom) {
                break;
            }
            y += extra;
            const struct render_line *ln = &L->body[bi];
            add_text(pg, RENDER_PART_BODY, RENDER_FONT_BODY, L->fg, L->bg,
                     L->main_x, y, ln->width, s->body_line, c->body + ln->start,
                     ln->end - ln->start, ln->flags);
            y += s->body_line;
            bi++;
            lines_here++;
        }
        if (ti == ti0 && lines_here == 0 && bi < L->n_body) {
            /* nothing progressed: drop the repeats, or the card never
             * ends */
            if (!compact) {
                compact = true;
                L->out->n_pages--;
                (void)page_boxes_start;
                continue;
            }
            const struct render_line *ln = &L->body[bi];
            add_text(pg, RENDER_PART_BODY, RENDER_FONT_BODY, L->fg, L->bg,
                     L->main_x, L->top, ln->width, s->body_line,
                     c->body + ln->start, ln->end - ln->start, ln->flags);
            bi++;
        }
        compact = false;
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
    const char *one_line[] = {c->lang,      c->category,      c->category_label,
                              c->title,     c->when,          c->where,
                              c->price,     c->registration,  c->accessibility,
                              c->link,      c->image.caption, c->image.alt,
                              c->image.key, c->image.path};
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
    /* About 8 KiB of broken lines on the stack: re-entrant, no malloc. */
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
