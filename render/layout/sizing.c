/*
 * sizing.c: text sizes from the screen profile; see sizing.h.
 */
#include "sizing.h"

#include <math.h>

#include "ratios.h"
#include "taulu_err.h"

#define MM_PER_INCH 25.4

/* Rounds up, but forgives floating-point noise just above an integer. */
static int ceil_px(double v)
{
    return (int)ceil(v - 1e-9);
}

int render_sizes_compute(const struct render_profile *p,
                         struct render_sizes *out)
{
    if (!p || !out || p->width <= 0 || p->height <= 0 || p->width > 16384 ||
        p->height > 16384 || !(p->diagonal_in > 0.0) ||
        p->diagonal_in > 1000.0 || !(p->distance_m > 0.0) ||
        p->distance_m > 100.0) {
        return TAULU_EINVAL;
    }
    const double pi = 3.14159265358979323846;
    double diag_px =
        sqrt((double)p->width * p->width + (double)p->height * p->height);
    out->pitch_mm = p->diagonal_in * MM_PER_INCH / diag_px;
    out->cap_mm = p->distance_m * 1000.0 * tan(RENDER_CAP_DEGREES * pi / 180.0);
    out->cap_px = out->cap_mm / out->pitch_mm;
    out->body_px = ceil_px(out->cap_px / RENDER_CAP_RATIO_ATKINSON);
    out->title_px = ceil_px(out->body_px * RENDER_R_TITLE);
    out->secondary_px = out->body_px;
    out->body_line = ceil_px(out->body_px * RENDER_R_LINE);
    out->title_line = ceil_px(out->title_px * RENDER_R_TITLE_LINE);
    out->secondary_line = ceil_px(out->secondary_px * RENDER_R_LINE);
    out->row_h = ceil_px(out->body_px * RENDER_R_ROW);
    out->para_gap = ceil_px(out->body_px * RENDER_R_PARA);
    /* The safe area: TVs used as signage may overscan a few per cent. */
    int short_side = p->width < p->height ? p->width : p->height;
    out->margin = ceil_px(short_side * RENDER_R_SAFE);
    out->gap = ceil_px(out->body_px * RENDER_R_GAP);
    out->portrait = p->width < p->height;
    return TAULU_OK;
}
