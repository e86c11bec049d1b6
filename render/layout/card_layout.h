/*
 * card_layout.h: a card model and the text sizes -> positioned boxes
 * (plain C, no SDL).
 *
 * The screen is a header band (centre name, date, HH.MM clock) and the card
 * area under it. A card is laid out into one or more pages: when the body
 * needs more than 7 lines (or fewer, if fewer fit the screen), or the title
 * more than 2, the rest goes onto continuation pages. Nothing is ever set
 * smaller than the sizes of sizing.h. Only the first page has the event
 * rows, QR code and image (landscape: in a side column); a continuation
 * page is the title again and as much body as fits, with widow and orphan
 * control. Event rows that do not fit the first page follow the body on
 * the last page (or pages of their own): no row is ever dropped. Portrait puts
 * the QR code and image where the card needs the fewest pages
 * (docs/rendering.md, Page budget). Left aligned, ragged right, no capitals
 * transform, no italic.
 *
 * The boxes point into the card's and header's strings (borrowed; keep them
 * alive and unchanged while the layout is used). Text the layout writes
 * itself (the "osa 1 / 2" footer, the loading progress) lives in the page;
 * get any box's text with render_box_text(). A page must not be copied with
 * memcpy while a box refers to its own text; lay out into the final place.
 */
#ifndef RENDER_CARD_LAYOUT_H
#define RENDER_CARD_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "../render_model.h"
#include "linebreak.h"
#include "sizing.h"
#include "theme.h"

enum render_font {
    RENDER_FONT_BODY = 0,      /* body_px, regular */
    RENDER_FONT_BODY_BOLD,     /* body_px, bold (event "when", agenda day) */
    RENDER_FONT_TITLE,         /* title_px, bold */
    RENDER_FONT_SECONDARY,     /* secondary_px, regular */
    RENDER_FONT_SECONDARY_BOLD /* secondary_px, bold (chips, clock) */
};
#define RENDER_FONT_COUNT 5

/* Colours by role; the draw edge looks them up in its theme. */
enum render_colour {
    RENDER_COL_BG = 0,
    RENDER_COL_TEXT,
    RENDER_COL_SECONDARY,
    RENDER_COL_HEADER_BG,
    RENDER_COL_HEADER_TEXT,
    RENDER_COL_ALERT_BG,
    RENDER_COL_ALERT_TEXT,
    RENDER_COL_BACKING,
    RENDER_COL_BACKING_TEXT,
    RENDER_COL_CHIP_TEXT,
    RENDER_COL_RULE,
    RENDER_COL_CATEGORY /* theme.category[box.category] or chip_unknown */
};

enum render_box_kind {
    RENDER_BOX_FILL = 0, /* solid rectangle in `bg` */
    RENDER_BOX_TEXT,     /* one line of text in `fg` on `bg` */
    RENDER_BOX_QR,       /* QR code of the text (a link), dark on light */
    RENDER_BOX_IMAGE,    /* `image` scaled to fit, centred, aspect kept */
};

/* What a box is, for the tests, the preview and the logs. */
enum render_part {
    RENDER_PART_BACKGROUND = 0,
    RENDER_PART_HEADER,
    RENDER_PART_TITLE,
    RENDER_PART_BODY,
    RENDER_PART_META,
    RENDER_PART_CHIP,
    RENDER_PART_FOOTER,
    RENDER_PART_QR,
    RENDER_PART_IMAGE,
    RENDER_PART_CAPTION,
    RENDER_PART_AGENDA_DAY,
    RENDER_PART_AGENDA_TIME,
    RENDER_PART_AGENDA_TITLE,
    RENDER_PART_PROGRESS,
};

#define RENDER_BOX_OWN_TEXT 1u << 8 /* box text is in the page's own buffer */

struct render_box {
    enum render_box_kind kind;
    enum render_part part;
    int x, y, w, h; /* text: the line box (height = line height) */
    enum render_font font;
    enum render_colour fg, bg; /* bg: what the text sits on */
    int category;              /* for RENDER_COL_CATEGORY; -1 unknown */
    const char *text;          /* use render_box_text() */
    size_t len;
    unsigned flags; /* RENDER_LINE_* of the line, RENDER_BOX_OWN_TEXT */
    const struct render_image *image; /* RENDER_BOX_IMAGE (borrowed) */
};

#define RENDER_PAGE_MAX_BOXES  160
#define RENDER_PAGE_TEXT_BYTES 256
#define RENDER_MAX_PAGES       8
#define RENDER_MAX_TITLE_LINES 2
#define RENDER_MAX_BODY_LINES  7

struct render_page {
    struct render_box boxes[RENDER_PAGE_MAX_BOXES];
    size_t n;
    int x, y, w, h;    /* the area the page covers */
    size_t chars;      /* code points a reader reads on this page */
    unsigned dwell_ms; /* from dwell.h for this page's text */
    char own[RENDER_PAGE_TEXT_BYTES];
    size_t own_len;
};

struct render_layout {
    struct render_page pages[RENDER_MAX_PAGES];
    size_t n_pages;
    bool truncated; /* text beyond RENDER_MAX_PAGES was dropped */
    bool cut_word;  /* some word was cut at a code point boundary */
};

/* Measures text in one of the fonts (the SDL_ttf edge, or a fake). */
struct render_measurer {
    int (*measure)(void *ctx, enum render_font font, const char *utf8,
                   size_t len);
    void *ctx;
};

/* The header band and the card area of a screen. */
struct render_frame {
    int header_x, header_y, header_w, header_h;
    int card_x, card_y, card_w, card_h;
};
void render_frame_compute(const struct render_profile *p,
                          const struct render_sizes *s,
                          struct render_frame *out);

/* A box's text and length (its own page buffer or the borrowed string). */
const char *render_box_text(const struct render_page *pg,
                            const struct render_box *b, size_t *len);

/* Lays out the header band (centre name left; date, clock, page right).
 * 0, TAULU_EINVAL or TAULU_EUTF8. */
int render_layout_header(const struct render_header *h,
                         const struct render_profile *p,
                         const struct render_sizes *s,
                         const struct render_measurer *m,
                         struct render_page *out);

/* Lays out a card into out->pages[0..n_pages). 0, TAULU_EINVAL (NULL
 * arguments, unknown kind) or TAULU_EUTF8 (a string is not valid UTF-8 or
 * has control characters: the player skips the card). Text that needs more
 * than RENDER_MAX_PAGES pages is cut at a page end and out->truncated set
 * (logged): a kiosk shows what it can rather than nothing. */
int render_layout_card(const struct render_card *card,
                       const struct render_profile *p,
                       const struct render_sizes *s,
                       const struct render_measurer *m,
                       struct render_layout *out);

#endif
