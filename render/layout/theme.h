/*
 * theme.h: colours, WCAG contrast and the category chips (plain C).
 *
 * Relative luminance and contrast exactly as WCAG 2 and accessibility.md
 * define them, never rounded (4.499 fails 4.5). A theme is refused when any
 * text pair is below 4.5:1 or a chip is below 3:1 against the background;
 * the default theme has at least 7:1 for all text, chips included.
 *
 * The ten categories are the county's themes (Pohde 2022,
 * ../shared/domain/activity-categories.md); each has a fill from the
 * Okabe–Ito palette (lightened where black text would not reach 7:1) with
 * black text. Colour is never the only signal: the chip always shows the
 * label the caller passes in.
 */
#ifndef RENDER_THEME_H
#define RENDER_THEME_H

#include <stddef.h>
#include <stdint.h>

#include "taulu_category.h"

struct render_rgb {
    uint8_t r, g, b;
};

#define RENDER_CATEGORY_COUNT       TAULU_CATEGORY_COUNT
#define RENDER_MIN_TEXT_CONTRAST    4.5 /* refused below */
#define RENDER_TARGET_TEXT_CONTRAST 7.0 /* the default theme's level */
#define RENDER_MIN_CHIP_CONTRAST    3.0 /* chip fill against background */

/* theme.category[] is indexed by enum taulu_category; a card names its
 * category by the slug of common/taulu_category.h ("kasvu-oppiminen").
 * Index of a slug, or -1 if unknown (the chip is then drawn in
 * theme.chip_unknown with the label still shown). */
int render_category_index(const char *slug);

struct render_theme {
    struct render_rgb bg;          /* card background */
    struct render_rgb text;        /* titles and body */
    struct render_rgb secondary;   /* meta rows, footer, captions' text */
    struct render_rgb header_bg;   /* header band */
    struct render_rgb header_text; /* centre name, date, clock */
    struct render_rgb alert_bg;    /* alert card */
    struct render_rgb alert_text;
    struct render_rgb backing; /* solid backing for caption/alt text */
    struct render_rgb backing_text;
    struct render_rgb chip_text;    /* label on every chip */
    struct render_rgb chip_unknown; /* fill for an unknown slug */
    struct render_rgb rule;         /* non-text separator lines */
    struct render_rgb category[RENDER_CATEGORY_COUNT];
};

/* The built-in theme: white text on a dark blue-black, >= 7:1 everywhere. */
const struct render_theme *render_theme_default(void);

/* WCAG relative luminance of an sRGB colour, 0..1. */
double render_luminance(struct render_rgb c);
/* (L_lighter + 0.05) / (L_darker + 0.05), 1..21, not rounded. */
double render_contrast(struct render_rgb a, struct render_rgb b);

/* The lowest contrast of any text pair of the theme (text, secondary on
 * bg; header text on header bg; alert; backing; chip label on each fill).
 * If `which` is not NULL it gets the pair's name ("secondary/bg", ...). */
double render_theme_min_text_contrast(const struct render_theme *t,
                                      const char **which);
/* The lowest contrast of a chip fill against the background. */
double render_theme_min_chip_contrast(const struct render_theme *t,
                                      const char **which);

/* 0 if the theme may be used: every text pair >= 4.5:1 and every chip
 * >= 3:1; else TAULU_EVALUE (logged with the failing pair). A theme below
 * 7:1 is accepted with a warning. */
int render_theme_check(const struct render_theme *t);

/* Parses a theme file: "key = #rrggbb" lines, '#' comments at the start of
 * a line, keys as the struct fields ("bg", "text", ...) and
 * "category.<slug>" ("category.kasvu-oppiminen").
 * Starts from the default theme, so a file only lists what it changes, then
 * runs render_theme_check(). 0, TAULU_EPARSE (bad line; *bad_line gets its
 * number if not NULL), TAULU_ELIMIT (over 64 KiB) or TAULU_EVALUE (refused
 * by the check: `out` is then left unchanged). */
int render_theme_parse(const char *text, size_t len, struct render_theme *out,
                       int *bad_line);

#endif
