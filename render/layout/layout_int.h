/*
 * layout_int.h: what the layout's files share inside the library (not an
 * interface): the card's layout state, boxes, measuring and breaking what
 * is drawn, issues, and the flow engine that sets text and boxes into
 * columns page by page (flow.c).
 */
#ifndef RENDER_LAYOUT_INT_H
#define RENDER_LAYOUT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "card_layout.h"
#include "ratios.h"

#define TAG "render"

/* Everything one card's layout shares. */
struct lay {
    const struct render_card *card;
    const struct render_profile *p;
    const struct render_sizes *s;
    const struct render_measurer *m;
    struct render_frame fr;
    const char *lang;
    enum render_colour fg, fg2, bg;
    int category;
    /* the safe content area of a card page: x in [cx, cx + cw), y in
     * [cy, cbot) */
    int cx, cy, cw, cbot;
    /* the footer row (chip, credit, "osa 1 / 2"): reserved on every page
     * when `footer`; text goes down to `bottom` */
    bool footer;
    int foot_rows; /* 1, or 2 when the page marker needs a row of its own */
    int foot_y, bottom;
    bool chip;          /* the card has a chip */
    int chip_w;         /* its fill's width */
    bool credit_footer; /* organisation and contact sit in the footer */
    bool marker_long;   /* "osa 2 / 3"; else "2 / 3" */
    bool marker_row2;   /* the marker does not fit beside the chip */
    bool marker_ok;     /* the footer as set keeps room for the marker */
    bool footer_lost;   /* the footer does not fit the card area at all */
    int marker_long_w, marker_short_w; /* the widest of each form */
    /* the running head of continuation pages: the whole title on one line
     * at the floor size, bold, if it fits */
    bool head;
    struct render_line head_line;
    char progress[96];
};

/* ---- boxes (card_layout.c) ---- */
struct render_box *lay_add_box(struct render_page *pg,
                               enum render_box_kind kind, enum render_part part,
                               int x, int y, int w, int h);
struct render_box *lay_add_fill(struct render_page *pg, enum render_part part,
                                int x, int y, int w, int h,
                                enum render_colour bg);
struct render_box *lay_add_text(struct render_page *pg, enum render_part part,
                                enum render_field field, enum render_font font,
                                enum render_colour fg, enum render_colour bg,
                                int x, int y, int w, int lh, const char *s,
                                size_t len, unsigned flags);
/* Text the layout writes itself, into the page's buffer; x is the right
 * edge if `right`. */
struct render_box *lay_add_own(struct render_page *pg,
                               const struct render_measurer *m,
                               enum render_part part, enum render_font font,
                               enum render_colour fg, enum render_colour bg,
                               int x, int y, int lh, const char *s, size_t len,
                               bool right);

/* Width of what s[0..len) shows in a font (soft hyphens out). */
int lay_measure(const struct render_measurer *m, enum render_font font,
                const char *s, size_t len);
/* One line of s from `pos` at `width` in a font (render_lb_line). */
int lay_line(const struct render_measurer *m, enum render_font font,
             const char *lang, int width, const char *s, size_t len, size_t pos,
             struct render_line *ln, size_t *next);

bool lay_present(const char *s);
int lay_em(const struct lay *L, double em);

/* ---- issues (card_layout.c) ---- */
/* Adds an issue unless the same one is there; word issues beyond the
 * first few only set more_issues. */
void lay_issue(struct render_verdict *v, enum render_issue_kind kind,
               enum render_field f, unsigned row, size_t byte, size_t len,
               int lines, size_t page);
/* The word around byte `at` of s: [*a, *b). */
void lay_word_at(const char *s, size_t at, size_t *a, size_t *b);

/* ---- the flow engine (flow.c) ---- */

enum fkind { FI_TEXT = 0, FI_QR, FI_IMAGE };

enum frule {
    FR_SENTENCES = 1 << 0, /* pages break between sentences; 7 a page */
    FR_KEEP = 1 << 1,      /* moves whole to the next page (a row) */
    FR_PACK = 1 << 2,      /* may share the line before, after " · " */
    FR_OWN = 1 << 3,       /* text of the layout's own (progress) */
};

struct fitem {
    enum fkind kind;
    enum render_field field;
    enum render_part part;
    unsigned row;
    const char *text; /* FI_TEXT; FI_IMAGE: its caption (or NULL) */
    enum render_font font;
    enum render_colour fg;
    int lh;  /* line height */
    int gap; /* space above, unless first in its column on the page */
    unsigned rules;
    /* FI_QR: side in [bmin, bmax]; FI_IMAGE: height in [bmin, bmax] at
     * width bw, caption under it */
    int bw, bmin, bmax;
};

/* A box on the first page that the text flows around (at the right). */
struct flt {
    int x, y, w, h;
};

struct region {
    int x, w, top, bottom;
    struct flt fl[3];
    size_t n_fl;
};

/* A line of the item being set, on the current page. */
struct pline {
    size_t start, end, next;
    int y;
    size_t box_n; /* boxes of the page before it */
    unsigned flags;
};

#define FLOW_LINES 192

struct flow {
    struct lay *L;
    struct render_layout *out; /* NULL: plan only */
    struct render_verdict *v;  /* issues go here */
    bool one_page;             /* a side column: never leaves page 1 */
    size_t page;
    struct region rg;
    int y;
    bool any;       /* something set above, in this region, on this page */
    bool content;   /* ... and something of it not the title */
    int body_lines; /* body lines on this page */
    /* the last text line set, for packing */
    bool last_ok;
    int last_y, last_x, last_lh, last_chars;
    size_t last_page;
    /* outcome */
    bool stop; /* out of pages or room: what follows is not placed */
    bool fail; /* a one-page flow did not fit */
    int syllables, cuts, splits;
    int page1_lines[RENDER_FIELD_COUNT];
    int later_lines[RENDER_FIELD_COUNT];
    size_t later_byte[RENDER_FIELD_COUNT];
    size_t later_page[RENDER_FIELD_COUNT];
    unsigned later_row[RENDER_FIELD_COUNT];
    bool placed[RENDER_FIELD_COUNT]; /* a box (QR, image) was set */
    /* the credit line kept with what it follows: per page, the room the
     * items before the credit leave free at the foot (NULL: none; set by
     * the caller after flow_init) */
    const int *reserve;
    bool credit_started;
    size_t credit_open; /* a page the credit opened, with nothing of the
                           card's above it (0: none) */
    bool title_alone;   /* a page was left with only the title on it */
    struct pline pl[FLOW_LINES];
};

/* Starts a flow on page 0 in `rg` (the page must exist when emitting). */
void flow_init(struct flow *f, struct lay *L, struct render_layout *out,
               struct render_verdict *v, const struct region *rg,
               bool one_page);
/* Sets one item; false if the flow stopped (the rest is not placed). */
bool flow_item(struct flow *f, const struct fitem *it);
/* Records every item from `it` on as not placed (after a stop). */
void flow_not_placed(struct flow *f, const struct fitem *it, size_t n);
/* A new card page (emitting: appended to out, background filled); the
 * running head on pages after the first. NULL when planning. */
struct render_page *lay_new_page(struct lay *L, struct render_layout *out);
/* The region of a continuation page. */
void lay_cont_region(const struct lay *L, struct region *rg);
/* Width free at the right of x for a line [y, y + lh) of a region. */
int region_width(const struct lay *L, const struct region *rg, int y, int lh);
#define FLOW_CAPTION_LINES 32
/* Caption lines of an image broken at width w (at most max; *rest gets
 * the first byte not in them, strlen(cap) if all are). */
size_t flow_caption(const struct lay *L, const char *cap, int w,
                    struct render_line *out, size_t max, size_t *rest);
/* Emits the QR code (size: its side) or the image (size: its height, at
 * width it->bw) and its caption lines at x, y on the current page. */
void flow_put_box(struct flow *f, const struct fitem *it, int x, int y,
                  int size, const struct render_line *cl, size_t ncl);
/* The current page being emitted, or NULL. */
struct render_page *flow_page(struct flow *f);

/* The footer of pages whose first page's main column is w1 wide (later
 * pages are at least as wide): the chip left, the credit beside it if it
 * fits (credit_w >= 0), the page marker right: "osa 2 / 3", or "2 / 3"
 * where that does not fit beside the chip, or on a row of its own. With
 * `force` the marker is reserved (the card has pages). Sets footer,
 * foot_rows, foot_y and bottom. */
void lay_set_footer(struct lay *L, int w1, int credit_w, bool force);
/* Does the footer as set hold the marker of a card with pages? */
bool lay_footer_has_marker(const struct lay *L);

/* ---- the parts (agenda.c, header.c) ---- */
int lay_agenda(struct lay *L, struct render_layout *out);
void lay_finish_pages(struct lay *L, struct render_layout *out, int main_w1);

#endif
