/*
 * dwell.c: how long a card stays on screen; see dwell.h.
 */
#include "dwell.h"

#include <string.h>

#include "taulu_utf8.h"

double render_dwell_seconds(size_t chars, bool plain)
{
    double k = plain ? 2.5 : 1.43;
    double t = 2.0 + (double)chars * 0.068 * k;
    if (t < RENDER_DWELL_MIN_S) {
        t = RENDER_DWELL_MIN_S;
    }
    if (t > RENDER_DWELL_MAX_S) {
        t = RENDER_DWELL_MAX_S;
    }
    return t;
}

static size_t cps(const char *s)
{
    if (!s) {
        return 0;
    }
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

size_t render_card_chars(const struct render_card *card)
{
    if (!card) {
        return 0;
    }
    size_t n = cps(card->title) + cps(card->body) + cps(card->when) +
               cps(card->repeat) + cps(card->where) + cps(card->price) +
               cps(card->registration) + cps(card->accessibility) +
               cps(card->category_label) + cps(card->image.caption);
    for (size_t i = 0; card->rows && i < card->n_rows; i++) {
        n += cps(card->rows[i].day) + cps(card->rows[i].time) +
             cps(card->rows[i].title);
    }
    return n;
}

unsigned render_dwell_ms(const struct render_card *card)
{
    double s = render_dwell_seconds(render_card_chars(card),
                                    card ? card->plain : false);
    return (unsigned)(s * 1000.0 + 0.5);
}
