/*
 * sizing.h: text sizes from the screen profile (plain C).
 *
 * The capital H of body text subtends at least 0.7 degrees at the design
 * distance D (EN 301 549 5.1.4): cap_mm >= D_mm * tan(0.7 deg). The panel's
 * pixel pitch comes from its diagonal and resolution, and
 * font_px = (cap_mm / pitch_mm) / cap_ratio with Atkinson Hyperlegible's
 * cap height of 0.668 em. Sizes are rounded up, never down: the minimum is
 * a minimum. Worked example: 55" 1920x1080 at 3 m gives 87 px.
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
    int body_px;      /* em size of body text, regular */
    int title_px;     /* >= 1.25 x body, bold */
    int secondary_px; /* >= 2/3 x body (dates, footers, meta rows) */
    int body_line;    /* line heights: >= 1.5 x the font size */
    int title_line;
    int secondary_line;
    int para_gap; /* extra space between paragraphs: 1 em of body */
    int margin;   /* outer margin (safe area) */
    int gap;      /* space between blocks */
    bool portrait;
};

/* Fills `out` from the profile. 0, or TAULU_EINVAL for a profile with a
 * size, diagonal or distance that is not positive (or absurd: more than
 * 16384 px, 1000", 100 m). */
int render_sizes_compute(const struct render_profile *p,
                         struct render_sizes *out);

#endif
