/*
 * srv_check.h: the plain-language checker and the renderer wired into the
 * API: POST /api/v1/check (live feedback while typing), the check of every
 * text version on item create and edit (errors refuse with 422, warnings
 * are stored with the version), and POST /api/v1/preview (the card as PNG,
 * drawn by the screens' own renderer).
 *
 * One struct srv_checker lives for the whole process (srv_app.checker): one
 * checker engine (its Voikko handle pool is shared by the HTTP threads) and
 * one renderer (srv_render.h: fonts behind one mutex).
 *
 * Previews cost CPU (a 1080p frame in software), so they are bounded: at
 * most one at a time per session (or API token's user), answered 429
 * otherwise, and at most `max_previews` at once for the whole server,
 * answered 503 with Retry-After otherwise. Neither waits in a queue.
 */
#ifndef SRV_CHECK_H
#define SRV_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srv_http.h"

struct srv_checker;

/* `font_dir`: the renderer's fonts (Atkinson Hyperlegible, DejaVu Sans).
 * `max_previews` >= 1. 0, TAULU_EINVAL, TAULU_ENOMEM, TAULU_EUNAVAIL
 * (fonts or SDL: logged). */
int srv_checker_new(const char *font_dir, unsigned max_previews,
                    struct srv_checker **out);
void srv_checker_free(struct srv_checker *c);

/*
 * Item create and edit: checks every text version of `it` against the
 * screen profiles of `centres` (n may be 0: no fit check). On an error
 * finding answers 422 with the findings of every version and returns
 * TAULU_EANSWERED (nothing is stored). Otherwise returns 0 and sets
 * *findings to the JSON to keep with the version (pool memory): per
 * language the light, the summary and the warnings and notices. With no
 * checker in the app (tests of the API alone) *findings is NULL and 0 is
 * returned. A failure of the store or the checker answers 500 and returns
 * TAULU_EANSWERED.
 */
int srv_check_item(struct srv_req *r, const struct srv_item *it,
                   const int64_t *centres, size_t n_centres,
                   const char **findings);

/*
 * Whether text version `text` of `it` is one card on one page on every
 * screen of `centres`, as the fit gate of srv_check_item() lays it out
 * (the same card, the summary when it has one, the same profiles), without
 * the rest of the checker: the importers try shorter screen texts with it
 * (srv_api_import.c). *fits is true with no checker or no screens. 0,
 * TAULU_EANSWERED (an unknown centre, answered 400), or a code of the
 * renderer (TAULU_EUTF8, TAULU_ENOMEM, TAULU_EUNAVAIL).
 */
int srv_check_fits(struct srv_req *r, const struct srv_item *it, size_t text,
                   const int64_t *centres, size_t n_centres, bool *fits);

void srv_h_check(struct srv_req *r);
void srv_h_preview(struct srv_req *r);
/* POST /api/v1/preview/screens: every target screen of the chosen centres
 * (each distinct real profile), every page, drawn by the screens' code,
 * scaled down, with the fit gate's verdict per screen in words; bounded
 * (docs/api.md). */
void srv_h_preview_screens(struct srv_req *r);
/* POST /api/v1/screens/profile-check: what a screen profile holds (the
 * renderer's capacity) and, below SRV_PROFILE_MIN_LINES, the remedy in
 * words, each measured. */
void srv_h_profile_check(struct srv_req *r);

/* A profile that holds fewer body lines than this under a one-line title
 * (with the chip and the credit line every card has) cannot show a
 * bulletin with its when and where on one page. */
#define SRV_PROFILE_MIN_LINES 4

#endif
