/*
 * dwell.h: how long a card stays on screen (plain C).
 *
 * T = 2 s + chars * 0.068 s * k, with k = 2.5 for plain-language cards and
 * 1.43 otherwise, clamped to 8..60 s (accessibility.md: 0.068 s/char is the
 * IReST mean reading speed, older readers are about 30 % slower).
 */
#ifndef RENDER_DWELL_H
#define RENDER_DWELL_H

#include <stdbool.h>
#include <stddef.h>

#include "../render_model.h"

#define RENDER_DWELL_MIN_S 8.0
#define RENDER_DWELL_MAX_S 60.0

/* Seconds for `chars` code points of text. */
double render_dwell_seconds(size_t chars, bool plain);

/* Code points a reader reads on the whole card: title, body, event rows,
 * category label, image caption and agenda rows (invalid UTF-8 bytes count
 * as one each). */
size_t render_card_chars(const struct render_card *card);

/* render_dwell_seconds(render_card_chars(card), card->plain) in ms. */
unsigned render_dwell_ms(const struct render_card *card);

#endif
