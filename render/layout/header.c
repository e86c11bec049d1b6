/*
 * header.c: the header band and the frame (where the band ends and the
 * card area begins); see card_layout.h.
 *
 * All header text is at the floor size (the centre's name and the clock
 * bold). The band is one row where the date, the clock and the loop
 * position leave the name at least RENDER_R_HEADER_NAME_MIN_EM; else two
 * (narrow portrait screens): the clock right of the name's first line,
 * the date and the loop position right of its second. The band's height
 * depends only on the profile and the fonts, never on the name or the
 * minute, so a card laid out once fits under every header drawn later.
 *
 * The name, in order: the full name on its line; the short form; (two
 * rows) the full name, then the short form, wrapped at spaces over both
 * lines; whole words of the full name, then of the short form, and " …".
 * A word is never cut, and a shortened name always ends in "…".
 */
#include <stdio.h>
#include <string.h>

#include "layout_int.h"
#include "taulu_err.h"
#include "taulu_utf8.h"

static const char ellipsis[] = " \xe2\x80\xa6"; /* " …" */

/* Width of s in a font, or an estimate of 0.55 em a character. */
static int width_of(const struct render_sizes *s,
                    const struct render_measurer *m, enum render_font font,
                    const char *t)
{
    size_t len = strlen(t);
    if (m && m->measure) {
        return lay_measure(m, font, t, len);
    }
    return (int)(taulu_utf8_count(t, len) * 0.55 * s->body_px + 0.5);
}

void render_frame_compute(const struct render_profile *p,
                          const struct render_sizes *s,
                          const struct render_measurer *m,
                          struct render_frame *out)
{
    /* the widest right side a header shows: a Swedish weekday, a double
     * digit loop position */
    int space = (int)(RENDER_R_HEADER_SPACE_EM * s->body_px + 0.5);
    int date = width_of(s, m, RENDER_FONT_SECONDARY, "ons 30.11.");
    int date_en = width_of(s, m, RENDER_FONT_SECONDARY, "Wed 30 Nov");
    date = date_en > date ? date_en : date;
    int clock = width_of(s, m, RENDER_FONT_SECONDARY_BOLD, "23.59");
    int page = width_of(s, m, RENDER_FONT_SECONDARY, "10 / 10");
    int content = p->width - 2 * s->margin;
    int name_min = (int)(RENDER_R_HEADER_NAME_MIN_EM * s->body_px + 0.5);
    int one = page + date + clock + 3 * space;
    int two_h = s->margin + 2 * s->row_h + s->gap;
    out->header_rows =
        content - one >= name_min || (p->height - two_h) / s->body_line <
                                         RENDER_R_HEADER_TWO_ROWS_LINES
            ? 1
            : 2;
    out->header_x = 0;
    out->header_y = 0;
    out->header_w = p->width;
    /* the safe area above, the rows, a gap below */
    out->header_h = s->margin + out->header_rows * s->row_h + s->gap;
    out->card_x = 0;
    out->card_y = out->header_h;
    out->card_w = p->width;
    out->card_h = p->height - out->header_h;
}

struct hdr {
    struct render_page *pg;
    const struct render_sizes *s;
    const struct render_measurer *m;
    int y[2];
    int right; /* the right edge of the safe area */
};

static void put(struct hdr *H, enum render_font font, int x, int row,
                const char *t, size_t len, int w)
{
    lay_add_text(H->pg, RENDER_PART_HEADER, RENDER_FIELD_NONE, font,
                 RENDER_COL_HEADER_TEXT, RENDER_COL_HEADER_BG, x, H->y[row], w,
                 H->s->row_h, t, len, 0);
}

/* Sets items right-aligned from x on a row; returns the left edge. Items
 * that would pass `min_x` are left out (a screen too narrow for them). */
static int put_right(struct hdr *H, int row, int x, int min_x,
                     const char *const *items, const enum render_font *fonts,
                     size_t n)
{
    int space = (int)(RENDER_R_HEADER_SPACE_EM * H->s->body_px + 0.5);
    bool first = x >= H->right; /* nothing set on the row yet */
    for (size_t i = 0; i < n; i++) {
        if (!lay_present(items[i])) {
            continue;
        }
        size_t len = strlen(items[i]);
        int w = lay_measure(H->m, fonts[i], items[i], len);
        int left = x - (first ? 0 : space) - w;
        if (left < min_x) {
            break;
        }
        put(H, fonts[i], left, row, items[i], len, w);
        x = left;
        first = false;
    }
    return x;
}

static int name_line(const struct hdr *H, const char *name, size_t pos,
                     int width, struct render_line *ln, size_t *next)
{
    return lay_line(H->m, RENDER_FONT_SECONDARY_BOLD, "fi", width, name,
                    strlen(name), pos, ln, next);
}

/* The name on one line of `width` whole, or false. */
static bool name_whole(struct hdr *H, const char *name, int width)
{
    struct render_line ln;
    size_t next = 0, len = lay_present(name) ? strlen(name) : 0;
    if (len == 0 || width <= 0 ||
        name_line(H, name, 0, width, &ln, &next) <= 0 || next < len ||
        (ln.flags & RENDER_LINE_IN_WORD) || ln.width > width) {
        return false;
    }
    put(H, RENDER_FONT_SECONDARY_BOLD, H->s->margin, 0, name + ln.start,
        ln.end - ln.start, ln.width);
    return true;
}

/* The name over two lines (w0, w1) broken at spaces, or false. */
static bool name_wrapped(struct hdr *H, const char *name, int w0, int w1)
{
    struct render_line a, b;
    size_t n1 = 0, n2 = 0, len = lay_present(name) ? strlen(name) : 0;
    if (len == 0 || w0 <= 0 || w1 <= 0 ||
        name_line(H, name, 0, w0, &a, &n1) <= 0 || n1 >= len ||
        (a.flags & RENDER_LINE_IN_WORD) || a.width > w0 ||
        name_line(H, name, n1, w1, &b, &n2) <= 0 || n2 < len ||
        (b.flags & RENDER_LINE_IN_WORD) || b.width > w1) {
        return false;
    }
    put(H, RENDER_FONT_SECONDARY_BOLD, H->s->margin, 0, name + a.start,
        a.end - a.start, a.width);
    put(H, RENDER_FONT_SECONDARY_BOLD, H->s->margin, 1, name + b.start,
        b.end - b.start, b.width);
    return true;
}

/* As many whole words of the name as fit with " …" after them. */
static bool name_words(struct hdr *H, const char *name, int width)
{
    if (!lay_present(name) || width <= 0) {
        return false;
    }
    int ew = lay_measure(H->m, RENDER_FONT_SECONDARY_BOLD, ellipsis,
                         sizeof ellipsis - 1);
    size_t len = strlen(name), best = 0, i = 0;
    int best_w = 0;
    while (i < len) {
        while (i < len && name[i] != ' ') {
            i++;
        }
        int w = lay_measure(H->m, RENDER_FONT_SECONDARY_BOLD, name, i);
        if (w + ew > width ||
            taulu_utf8_count(name, i) + 2 > RENDER_LINE_CHARS_MAX) {
            break;
        }
        best = i;
        best_w = w;
        while (i < len && name[i] == ' ') {
            i++;
        }
    }
    if (best == 0) {
        return false;
    }
    put(H, RENDER_FONT_SECONDARY_BOLD, H->s->margin, 0, name, best, best_w);
    lay_add_own(H->pg, H->m, RENDER_PART_HEADER, RENDER_FONT_SECONDARY_BOLD,
                RENDER_COL_HEADER_TEXT, RENDER_COL_HEADER_BG,
                H->s->margin + best_w, H->y[0], H->s->row_h, ellipsis,
                sizeof ellipsis - 1, false);
    return true;
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
    const char *strs[] = {h->centre, h->centre_short, h->date, h->clock,
                          h->page};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        if (strs[i] &&
            (!taulu_utf8_valid(strs[i], strlen(strs[i])) ||
             taulu_utf8_has_controls(strs[i], strlen(strs[i]), ""))) {
            return TAULU_EUTF8;
        }
    }
    struct render_frame fr;
    render_frame_compute(p, s, m, &fr);
    out->n = 0;
    out->dropped = 0;
    out->own_len = 0;
    out->x = fr.header_x;
    out->y = fr.header_y;
    out->w = fr.header_w;
    out->h = fr.header_h;
    out->chars = 0;
    out->dwell_ms = 0;
    lay_add_fill(out, RENDER_PART_HEADER, fr.header_x, fr.header_y, fr.header_w,
                 fr.header_h, RENDER_COL_HEADER_BG);
    struct hdr H = {
        out, s, m, {s->margin, s->margin + s->row_h}, p->width - s->margin};
    int space = (int)(RENDER_R_HEADER_SPACE_EM * s->body_px + 0.5);
    int right = p->width - s->margin;
    int name_min_x = s->margin;
    int room[2] = {0, 0};
    if (fr.header_rows == 1) {
        /* the clock, then the date, then the loop position, as long as
         * the name keeps its minimum */
        const char *items[3] = {h->clock, h->date, h->page};
        const enum render_font fonts[3] = {RENDER_FONT_SECONDARY_BOLD,
                                           RENDER_FONT_SECONDARY,
                                           RENDER_FONT_SECONDARY};
        bool name = lay_present(h->centre) || lay_present(h->centre_short);
        int keep =
            name ? (int)(RENDER_R_HEADER_NAME_MIN_EM * s->body_px + 0.5) + space
                 : 0;
        int left = put_right(&H, 0, right, name_min_x, items, fonts, 1);
        left =
            put_right(&H, 0, left, name_min_x + keep, items + 1, fonts + 1, 2);
        room[0] = left - (left < right ? space : 0) - s->margin;
    } else {
        const char *r0[1] = {h->clock};
        const enum render_font f0[1] = {RENDER_FONT_SECONDARY_BOLD};
        const char *r1[2] = {h->page, h->date};
        const enum render_font f1[2] = {RENDER_FONT_SECONDARY,
                                        RENDER_FONT_SECONDARY};
        int l0 = put_right(&H, 0, right, name_min_x, r0, f0, 1);
        int l1 = put_right(&H, 1, right, name_min_x, r1, f1, 2);
        room[0] = l0 - (l0 < right ? space : 0) - s->margin;
        room[1] = l1 - (l1 < right ? space : 0) - s->margin;
    }
    bool two = fr.header_rows == 2;
    bool done = name_whole(&H, h->centre, room[0]) ||
                name_whole(&H, h->centre_short, room[0]) ||
                (two && name_wrapped(&H, h->centre, room[0], room[1])) ||
                (two && name_wrapped(&H, h->centre_short, room[0], room[1])) ||
                name_words(&H, h->centre, room[0]) ||
                name_words(&H, h->centre_short, room[0]);
    (void)done; /* no room at all: the name is left out, never cut */
    return TAULU_OK;
}
