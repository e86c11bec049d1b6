/*
 * card_layout.h: a card model and the text sizes -> positioned boxes and
 * a verdict (plain C, no SDL).
 *
 * The screen is a header band (centre name, date, HH.MM clock, the loop
 * position) and the card area under it. Every text is at least the floor
 * size of sizing.h (the 0.7 degree cap height); titles are larger.
 *
 * The layout is a small solver (docs/rendering.md, Layout): for a card it
 * tries a few arrangements (a side column of event rows, or the rows
 * stacked under the title; the QR code and the image as boxes beside the
 * text, in a band, or after it), flows the text into each, and keeps the
 * one that needs the fewest pages (then breaks no word, then has the most
 * on its first page). A bulletin or event is meant to fit one page;
 * continuation pages are the player's last line of defence, broken
 * between sentences. An agenda continues between its rows, and every
 * agenda page has at least one row.
 *
 * Every layout ends with a verification (render_layout_verify, always on):
 * no box overlaps another or leaves the safe area, every text is at or
 * above the floor, every word of every field is set exactly once and in
 * order, and a word is broken only at a soft hyphen or, reported, at a
 * syllable, with a visible hyphen. The result carries a verdict: one page,
 * N pages, or cannot be placed, with the reasons (which field, how many
 * lines over, which word is wider than the line) as data the server turns
 * into a message for the volunteer (render_issue_text).
 *
 * The boxes point into the card's and header's strings (borrowed; keep them
 * alive and unchanged while the layout is used). Text the layout writes
 * itself (the "osa 1 / 2" footer, separators, the loading progress) lives
 * in the page, by offset (a page may be copied); get any box's text with
 * render_box_text(), and what to draw (soft hyphens out, a drawn hyphen
 * in) with render_box_visible(). struct render_layout is about 170 KiB:
 * allocate it.
 */
#ifndef RENDER_CARD_LAYOUT_H
#define RENDER_CARD_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "../render_model.h"
#include "linebreak.h"
#include "sizing.h"
#include "theme.h"

/* Fonts by role. All are at least the floor size: the "secondary" fonts
 * are the floor size too and differ by colour and place, not by size. */
enum render_font {
    RENDER_FONT_BODY = 0,      /* floor size, regular */
    RENDER_FONT_BODY_BOLD,     /* floor size, bold (event "when", agenda day) */
    RENDER_FONT_TITLE,         /* title_px, bold */
    RENDER_FONT_SECONDARY,     /* floor size, regular (header, footer) */
    RENDER_FONT_SECONDARY_BOLD /* floor size, bold (chips, clock) */
};
#define RENDER_FONT_COUNT 5

/* The em size of a font in pixels. */
int render_font_px(const struct render_sizes *s, enum render_font font);

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
    RENDER_BOX_IMAGE,    /* `image` scaled to fit, aspect kept */
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
    RENDER_PART_CREDIT,
};

/* Which field of the card a box shows (the verdict names fields too). */
enum render_field {
    RENDER_FIELD_NONE = 0, /* text the layout writes (footer, separators) */
    RENDER_FIELD_TITLE,
    RENDER_FIELD_BODY,
    RENDER_FIELD_WHEN,
    RENDER_FIELD_REPEAT, /* a recurring event's rule in words */
    RENDER_FIELD_WHERE,
    RENDER_FIELD_PRICE,
    RENDER_FIELD_REGISTRATION,
    RENDER_FIELD_ACCESSIBILITY,
    RENDER_FIELD_ORGANISATION,
    RENDER_FIELD_CONTACT,
    RENDER_FIELD_CATEGORY, /* the chip's label */
    RENDER_FIELD_CAPTION,
    RENDER_FIELD_LINK,  /* the QR code */
    RENDER_FIELD_IMAGE, /* the image box */
    RENDER_FIELD_ROW_DAY,
    RENDER_FIELD_ROW_TIME,
    RENDER_FIELD_ROW_TITLE,
    RENDER_FIELD_PROGRESS,
};
#define RENDER_FIELD_COUNT 19

/* "title", "body", "when", "place", "price", "registration",
 * "accessibility", "organisation", "contact", "category", "caption",
 * "link", "image", "day", "time", "event", "progress" (the API's words
 * where it has them); "" for NONE. */
const char *render_field_name(enum render_field f);
/* The card's string of a field (row: agenda row), or NULL. */
const char *render_card_field(const struct render_card *c, enum render_field f,
                              size_t row);

#define RENDER_BOX_OWN_TEXT (1u << 8) /* text is in the page's own buffer */
#define RENDER_BOX_REPEAT   (1u << 9) /* a copy (running head, chip) */

struct render_box {
    enum render_box_kind kind;
    enum render_part part;
    int x, y, w, h; /* text: the line box (height = line height) */
    enum render_font font;
    enum render_colour fg, bg; /* bg: what the text sits on */
    int category;              /* for RENDER_COL_CATEGORY; -1 unknown */
    const char *text;          /* use render_box_text() */
    size_t len;
    unsigned flags; /* RENDER_LINE_* of the line, RENDER_BOX_* */
    const struct render_image *image; /* RENDER_BOX_IMAGE (borrowed) */
    enum render_field field;
    unsigned row; /* agenda row of a RENDER_FIELD_ROW_* box */
};

#define RENDER_PAGE_MAX_BOXES  256
#define RENDER_PAGE_TEXT_BYTES 256
#define RENDER_MAX_PAGES       8
#define RENDER_MAX_TITLE_LINES 2
#define RENDER_MAX_BODY_LINES  7 /* body lines a page holds at most */

struct render_page {
    struct render_box boxes[RENDER_PAGE_MAX_BOXES];
    size_t n;
    unsigned dropped;  /* boxes that did not fit the array (a bug) */
    int x, y, w, h;    /* the area the page covers */
    size_t chars;      /* code points a reader reads on this page */
    unsigned dwell_ms; /* from dwell.h for this page's text */
    char own[RENDER_PAGE_TEXT_BYTES];
    size_t own_len;
};

/* ---- the verdict ---- */

enum render_fit {
    RENDER_FIT_ONE_PAGE = 0, /* everything on one page */
    RENDER_FIT_PAGES,        /* everything placed, on `pages` pages */
    RENDER_FIT_CANNOT,       /* something could not be placed (see issues) */
};

enum render_issue_kind {
    RENDER_ISSUE_NONE = 0,
    /* the title needs `lines` lines more than RENDER_MAX_TITLE_LINES */
    RENDER_ISSUE_TITLE_LINES,
    /* the field goes on to a later page from `byte` (page `page`), with
     * `lines` lines on later pages (a continuation page; for an agenda,
     * the row that starts page 2) */
    RENDER_ISSUE_CONTINUES,
    /* a page breaks inside a sentence longer than a page, at `byte` */
    RENDER_ISSUE_SENTENCE_SPLIT,
    /* the word [byte, byte + len) is wider than the line and has no
     * usable soft hyphen: shown broken at a syllable with a hyphen */
    RENDER_ISSUE_WORD_TOO_WIDE,
    /* ... not even one syllable fits the line: cut (cannot be placed) */
    RENDER_ISSUE_WORD_CUT,
    /* the field is not shown from `byte` on: more than RENDER_MAX_PAGES
     * pages (cannot be placed) */
    RENDER_ISSUE_NOT_PLACED,
    /* the layout left the field out to keep a rule (an agenda page shows
     * at least one row: its title gave way on the profile) */
    RENDER_ISSUE_LEFT_OUT,
    /* the profile holds no line of the field (or not the QR code or the
     * image at its smallest) on an empty page: `lines` = the lines a page
     * holds (cannot be placed) */
    RENDER_ISSUE_NO_ROOM,
    /* the verification found a broken invariant (a bug; cannot be
     * placed): `check` says which, `page` where */
    RENDER_ISSUE_INVARIANT,
};

/* The invariants render_layout_verify checks. */
enum render_check {
    RENDER_CHECK_OK = 0,
    RENDER_CHECK_SAFE_AREA, /* a box outside the safe area */
    RENDER_CHECK_OVERLAP,   /* two boxes overlap */
    RENDER_CHECK_FLOOR,     /* a text below the floor size */
    RENDER_CHECK_WORDS,     /* a word missing, twice, or out of order */
    RENDER_CHECK_BREAK,     /* a word broken without a hyphen, or unreported */
    RENDER_CHECK_ROWS,      /* an agenda page without a row */
    RENDER_CHECK_BOXES,     /* a page ran out of boxes */
    RENDER_CHECK_VERDICT,   /* the verdict does not match the pages */
};

struct render_issue {
    enum render_issue_kind kind;
    enum render_field field;
    unsigned row;     /* agenda row of a ROW_* field */
    size_t byte, len; /* span in the field's string */
    int lines;        /* lines over / lines a page holds */
    size_t page;      /* 0-based page it is about */
    enum render_check check;
};

#define RENDER_MAX_ISSUES 32

struct render_verdict {
    enum render_fit fit;
    size_t pages;
    /* body lines a continuation page of this profile holds (at most
     * RENDER_MAX_BODY_LINES): the profile's capacity, for the message */
    int capacity;
    struct render_issue issues[RENDER_MAX_ISSUES];
    size_t n_issues;
    bool more_issues; /* some issues did not fit the array (word issues
                         beyond the first few) */
};

struct render_layout {
    struct render_page pages[RENDER_MAX_PAGES];
    size_t n_pages;
    bool truncated; /* something was not placed: verdict.fit == CANNOT */
    bool cut_word;  /* a word was broken where the text had no soft hyphen */
    struct render_verdict verdict;
};

/* "one page", "pages", "cannot" */
const char *render_fit_name(enum render_fit fit);

/* A bulletin's or event's verdict as one card, one page reads it. The
 * content server's gate at submission and the player's status both use
 * this one reading, so that they decide alike. */
enum render_gate {
    /* everything on one page, every word whole (or broken at a soft
     * hyphen), the title within its lines: what the server accepts */
    RENDER_GATE_ONE_PAGE = 0,
    /* everything shown, but not as one card, one page: continuation
     * pages, a title over its lines, a word broken at a syllable where
     * the text had no soft hyphen */
    RENDER_GATE_PAGES,
    /* something is not shown (verdict RENDER_FIT_CANNOT) */
    RENDER_GATE_LOST,
};
enum render_gate render_verdict_gate(const struct render_verdict *v);
/* "one_page", "pages", "lost" */
const char *render_gate_name(enum render_gate g);

/* The issue as a sentence for a volunteer in `lang` ("fi", "sv", else
 * English), naming the field and quoting the word where there is one:
 * "Sana \"Omaishoitajavalmennusryhmätapaaminen\" (otsikko) on leveämpi
 * kuin rivi." It says what happens; what to do is the caller's (the
 * server's checker adds it). Returns the length (snprintf's: the text is
 * cut if the buffer is smaller). */
size_t render_issue_text(const struct render_issue *is,
                         const struct render_card *card, const char *lang,
                         char *buf, size_t size);

/* Measures text in one of the fonts (the SDL_ttf edge, or a fake). The
 * layout never passes a soft hyphen (it measures what is drawn). */
struct render_measurer {
    int (*measure)(void *ctx, enum render_font font, const char *utf8,
                   size_t len);
    void *ctx;
};

/* The header band and the card area of a screen. The header takes one row
 * where the date, clock and loop position leave the centre's name room
 * (RENDER_R_HEADER_NAME_MIN_EM), else two; it is fixed per profile and
 * fonts (never per name), so cards laid out before the header fit under
 * it. `m` may be NULL: widths are then estimated at 0.55 em a character. */
struct render_frame {
    int header_x, header_y, header_w, header_h;
    int header_rows;
    int card_x, card_y, card_w, card_h;
};
void render_frame_compute(const struct render_profile *p,
                          const struct render_sizes *s,
                          const struct render_measurer *m,
                          struct render_frame *out);

/* A box's text and length (its own page buffer or the borrowed string). */
const char *render_box_text(const struct render_page *pg,
                            const struct render_box *b, size_t *len);
/* What a text box draws: its text without soft hyphens and with the hyphen
 * of a broken word, NUL-terminated in `buf`; returns the length. */
size_t render_box_visible(const struct render_page *pg,
                          const struct render_box *b, char *buf, size_t size);

/* Lays out the header band: the centre's name left (the full name, or the
 * short form, or wrapped onto the second row, or whole words and "…"; never
 * a cut word); the loop position, date and clock right. 0, TAULU_EINVAL
 * or TAULU_EUTF8. */
int render_layout_header(const struct render_header *h,
                         const struct render_profile *p,
                         const struct render_sizes *s,
                         const struct render_measurer *m,
                         struct render_page *out);

/* Lays out a card into out->pages[0..n_pages) and fills out->verdict.
 * 0, TAULU_EINVAL (NULL arguments, unknown kind) or TAULU_EUTF8 (a string
 * is not valid UTF-8 or has control characters: the player skips the
 * card). A card that cannot be placed whole is still laid out as far as
 * it goes (a kiosk shows what it can) with verdict.fit RENDER_FIT_CANNOT
 * and the reason logged (see render_layout_log_verdicts). */
int render_layout_card(const struct render_card *card,
                       const struct render_profile *p,
                       const struct render_sizes *s,
                       const struct render_measurer *m,
                       struct render_layout *out);
/* Whether render_layout_card logs a card it cannot place whole as a
 * warning (the default: a player has met a card it cannot show) or only
 * at debug level (a server's fit gate, for which such a card is an answer,
 * not a fault: it tells the volunteer instead). Process-wide; set once at
 * start. */
void render_layout_log_verdicts(bool warn);

/* The verification every layout ends with, for tests to call on any
 * layout: 0 if every invariant holds (given the verdict's issues), else
 * TAULU_EVALUE with *fail (may be NULL) saying which and where. */
int render_layout_verify(const struct render_card *card,
                         const struct render_sizes *s,
                         const struct render_frame *fr,
                         const struct render_layout *L,
                         struct render_issue *fail);

/* The same for a header page: texts at or above the floor, inside the
 * safe area and the band, not overlapping. 0 or TAULU_EVALUE. */
int render_header_verify(const struct render_sizes *s,
                         const struct render_frame *fr,
                         const struct render_page *pg,
                         struct render_issue *fail);

#endif
