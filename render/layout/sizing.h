/*
 * sizing.h: text sizes from the screen profile (plain C).
 *
 * The capital H of body text subtends at least 0.7 degrees at the design
 * distance D (EN 301 549 5.1.4): cap_mm >= D_mm * tan(0.7 deg). The panel's
 * pixel pitch comes from its diagonal and resolution, and
 * font_px = (cap_mm / pitch_mm) / cap_ratio with Atkinson Hyperlegible's
 * cap height of 0.668 em (measured on rendered pixels too). That size is
 * the floor of EVERY text on the screen (EN 301 549 5.1.4 speaks of all
 * text of a closed system): body, event rows, header, chips, page marker,
 * captions. Titles are larger. Sizes are rounded up, never down: the floor
 * is a floor. Worked example: 55" 1920x1080 at 3 m gives 87 px. The
 * ratios are those of ratios.h.
 */
#ifndef RENDER_SIZING_H
#define RENDER_SIZING_H

#include <stdbool.h>

#define RENDER_CAP_RATIO_ATKINSON 0.668
#define RENDER_CAP_DEGREES        0.7

/* A screen as configured: pixels as the content is shown (portrait means
 * width < height), the panel's diagonal and the design viewing distance. */
struct render_profile {
    int width, height;
    double diagonal_in;
    double distance_m;
};

struct render_sizes {
    double pitch_mm;  /* size of one pixel */
    double cap_mm;    /* minimum cap height of body text */
    double cap_px;    /* the same in pixels */
    int body_px;      /* the floor: em size of every text but titles */
    int title_px;     /* >= 1.25 x body, bold */
    int secondary_px; /* = body_px: header, footer, meta rows differ by
                         colour, weight and place, never by size */
    int body_line;    /* line heights: >= 1.5 x the font size */
    int title_line;   /* 1.3 x title_px (ratios.h) */
    int secondary_line;
    int row_h;    /* a one-line row (header, footer, chip): 1.25 x body */
    int para_gap; /* extra space between paragraphs: 1 em of body */
    int margin;   /* the safe area: 3.5 % of the short side */
    int gap;      /* space between blocks */
    bool portrait;
};

/* Fills `out` from the profile. 0, or TAULU_EINVAL for a profile with a
 * size, diagonal or distance that is not positive (or absurd: more than
 * 16384 px, 1000", 100 m). */
int render_sizes_compute(const struct render_profile *p,
                         struct render_sizes *out);

#endif
