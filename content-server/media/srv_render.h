/*
 * srv_render.h: the content server's use of the player's renderer library:
 * the "fits the screen" hook of the checker (struct check_fit) and the
 * preview PNG, with the same layout code, fonts and drawing as the screens.
 *
 * Threads: SDL_ttf and FreeType are not thread-safe (one FT_Library is
 * shared by every font), so every use of fonts, layout with measured text
 * and drawing goes through ONE mutex held by struct srv_render. A fit check
 * holds it for a few milliseconds per profile; a preview for the time of
 * one software-rendered frame (tens of milliseconds at 1080p). The preview
 * route bounds how many requests may wait for it (srv_check.c).
 *
 * Fonts: opened once per set of text sizes (one per distinct screen
 * profile) and kept in a small cache, so a check on every pause in typing
 * does not reopen TTF files. Previews likewise draw on a canvas per screen
 * profile (render_headless, with its own fonts), made at the profile's
 * first preview and kept until srv_render_free, a few at most.
 *
 * SDL's per-thread state (its error buffer) is freed before each call
 * returns, so the HTTP workers that call in leave nothing behind when
 * they end.
 */
#ifndef SRV_RENDER_H
#define SRV_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "layout/card_layout.h"
#include "layout/sizing.h"
#include "render_model.h"
#include "taulu_buf.h"
#include "taulu_manifest.h"

struct srv_render;

/* A screen profile to check and preview against, with a name people know
 * it by: "Aula (Tuiran hyvinvointikeskus, 55" 1920×1080, 3 m)". */
struct srv_profile {
    struct render_profile rp;
    char name[CHECK_FIT_PROFILE_MAX]; /* the screen by its figures */
    char screen[64];                  /* the screen's own name, "" when none */
    char centre[256];                 /* the centre's name, for the names */
    int64_t centre_id; /* the centre's id (0: none): the preview's header */
};

/* Opens the fonts in `font_dir` once to prove they are usable (TTF_Init is
 * done here). 0, TAULU_EINVAL, TAULU_ENOMEM, TAULU_EUNAVAIL (no usable
 * fonts: logged). */
int srv_render_new(const char *font_dir, struct srv_render **out);
/* Frees the fonts and the preview canvases; every TTF_Init made for them
 * is matched. No call may be in progress. Accepts NULL. */
void srv_render_free(struct srv_render *sr);

/* Writes "<screen> (<centre>, 55" 1920×1080, 3 m)" (either name may be
 * NULL or "") into p->name and fills p->rp. */
void srv_profile_set(struct srv_profile *p, const char *screen,
                     const char *centre, int width, int height,
                     double diagonal_in, double distance_m);

/* The screen of `p` in words, one line per message language (fi, sv,
 * en): "Raahen sote-keskus, pystynäyttö (43 tuumaa), luetaan 2,5 metrin
 * päästä"; without a centre, from "pystynäyttö" on. Cut (between
 * characters) at CHECK_FIT_PROFILE_MAX bytes. srv_profile_words.c. */
void srv_profile_words(const struct srv_profile *p,
                       char out[CHECK_MSG_LANGS][CHECK_FIT_PROFILE_MAX]);

/* What the real layout says about a card on one profile: the renderer's
 * verdict (the one the player reads too, render_verdict_gate()), the
 * words it broke at a soft hyphen (wider than a line: the server put the
 * hyphen there, so nothing is lost, but the volunteer hears of it), and
 * how much of the body the first page holds. */
#define SRV_FIT_MAX_SPLITS 8
struct srv_fit_split {
    enum render_field field;
    size_t byte, len; /* the word, in the card's string of the field */
};
struct srv_fit_result {
    struct render_verdict verdict;
    struct srv_fit_split splits[SRV_FIT_MAX_SPLITS];
    size_t n_splits;
    int body_lines;  /* body lines on the first page */
    int body_chars;  /* code points of its longest body line */
    int title_lines; /* title lines on the first page */
    int later_lines; /* text lines on the pages after the first */
};

/* Lays `card` out on profile `p` with the real fonts. 0, TAULU_EINVAL,
 * TAULU_EUTF8 (the renderer refuses the text), TAULU_ENOMEM,
 * TAULU_EUNAVAIL (fonts). */
int srv_render_fit(struct srv_render *sr, const struct render_profile *p,
                   const struct render_card *card, struct srv_fit_result *out);

/* The context of the checker's fit hook. The card is mapped
 * (render_map_card) from `shown`, the version's texts as the screens get
 * them (soft hyphens in, srv_manifest_soften()); the checker's input has
 * the texts as the volunteer wrote them, and the findings' spans are
 * mapped back onto those. Borrowed. */
struct srv_fit_ctx {
    struct srv_render *sr;
    const struct render_card *card;
    const struct taulu_card_version *shown;
    bool shows_summary; /* the card's body is the version's summary */
    const struct srv_profile *profiles;
    size_t n_profiles;
};
/* check_fit.measure: lays the card out on every profile and reports, per
 * screen, what stops it from being one card on one page there (the
 * renderer's verdict read by render_verdict_gate(), as the player reads
 * it), each in Finnish, Swedish and English with the screen's name
 * (render_issue_text()), and every word the screen breaks at a soft
 * hyphen (a warning). */
int srv_fit_measure(void *ctx, const struct check_input *in,
                    struct check_fit_report *out);

/* What a profile holds, measured with the real fonts on a bulletin of a
 * one-line title and running text (with a category chip and a credit
 * line, as every card has): body lines on its one page and the code
 * points of a full line. */
struct srv_capacity {
    int body_lines;
    int chars_per_line;
};
/* 0 or a code of srv_render_fit(). lang: the words measured ("fi", "sv",
 * else English). */
int srv_render_capacity(struct srv_render *sr, const struct render_profile *p,
                        const char *lang, struct srv_capacity *out);

/* Draws page `page` of `card` with `header` on profile `p` exactly as a
 * screen does (render_headless, on the profile's kept canvas: the same
 * pixels as a new one) and appends it as PNG to `png`. 0,
 * TAULU_EINVAL (page out of range), TAULU_EUTF8, TAULU_ENOMEM /
 * TAULU_ELIMIT (png full), TAULU_EUNAVAIL, TAULU_EIO. *n_pages (may be
 * NULL) gets the card's page count. */
int srv_render_png(struct srv_render *sr, const struct render_profile *p,
                   const struct render_card *card,
                   const struct render_header *header, size_t page,
                   size_t *n_pages, struct taulu_buf *png);

/* The same frame as srv_render_png(), its longer side brought down to at
 * most `max_side` pixels (never up) by averaging the screen's own pixels
 * over each image pixel's area, so that a preview of every page of every
 * target screen stays a small answer. *w, *h (may be NULL) get the
 * image's size. Codes as srv_render_png(); TAULU_EINVAL for max_side < 16. */
int srv_render_png_scaled(struct srv_render *sr, const struct render_profile *p,
                          const struct render_card *card,
                          const struct render_header *header, size_t page,
                          int max_side, size_t *n_pages, struct taulu_buf *png,
                          int *w, int *h);

/* Shrinks RGBA pixels (`pitch` bytes a row) to dw x dh (each at most the
 * source's) by area averaging into `out` (dw * 4 bytes a row). Shared
 * with the tests. */
void srv_rgba_shrink(const uint8_t *rgba, int width, int height, int pitch,
                     uint8_t *out, int dw, int dh);

/* Encodes RGBA pixels (R,G,B,A bytes, `pitch` a row) as PNG into `png`.
 * Shared with the tests. 0, TAULU_ENOMEM / TAULU_ELIMIT, TAULU_EIO. */
int srv_png_encode(const uint8_t *rgba, int width, int height, int pitch,
                   struct taulu_buf *png);

#endif
