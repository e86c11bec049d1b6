/*
 * render_check.h: checks of a laid-out card that the render tests share,
 * written apart from the layout's own verification (verify.c) so that the
 * two prove each other: they read the boxes' visible text, not byte
 * offsets, and compute the 0.7 degree floor and the safe area from the
 * profile, not from the layout's sizes.
 */
#ifndef RENDER_CHECK_H
#define RENDER_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "card_layout.h"
#include "sizing.h"

/* Half an em per code point, in the font's size (ctx: struct
 * render_sizes). */
int rc_fake_measure(void *ctx, enum render_font font, const char *s,
                    size_t len);

/* NULL if the layout of `c` on `p` holds every rule; else what broke (a
 * static buffer):
 *  - every text box subtends at least 0.7 degrees at the profile's
 *    distance (cap height 0.668 em);
 *  - no box but the background in the safe margin (3.5 % of the short
 *    side) and none overlapping another (a label on its own backing
 *    aside);
 *  - every field's words shown once, in order, as the text has them (a
 *    word broken only with a drawn hyphen, or after its own hyphen or an
 *    address's "/"; soft hyphens and list separators aside), or a prefix
 *    of them with the rest reported not placed;
 *  - no soft hyphen drawn, and a drawn hyphen only where a box says so;
 *  - an agenda page always has a row;
 *  - the verdict matches: one page, pages with a reason, or cannot with a
 *    reason, and never a broken invariant; render_layout_verify agrees. */
const char *rc_check_layout(const struct render_card *c,
                            const struct render_profile *p,
                            const struct render_sizes *s,
                            const struct render_frame *fr,
                            const struct render_layout *L);

/* The same for a header page: floor, safe area, no overlap, and the
 * centre's name shown as whole words (full or short form), with "…" after
 * it if shortened. */
const char *rc_check_header(const struct render_header *h,
                            const struct render_profile *p,
                            const struct render_sizes *s,
                            const struct render_frame *fr,
                            const struct render_page *pg);

#endif
