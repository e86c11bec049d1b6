/*
 * render_map.h: one card of a manifest (common types) + now -> the struct
 * render_card the renderer draws, and the header band. Plain C, no SDL.
 *
 * This is the one place where a card's words are written: the player maps
 * its manifest cards with it, and the content server's preview and fit
 * check map the card being written in the form with it (after building a
 * struct taulu_card from the request), so what the preview shows is what
 * the screen shows.
 *
 * Dates and times come from common/taulu_datefmt in the card's language
 * ("Tänään ti 24.11. klo 14–16"), relative to `now` in the zone `tz`. A
 * recurring event (manifest format 2) shows its occurrence at `now` (the
 * first listed one not ended, taulu_card_occurrence()) and, in the row
 * under it, its rule in words ("joka tiistai klo 14–16"); a cancelled
 * occurrence reads "Peruttu tänään ti 24.11. klo 14–16"; the rule's row
 * leaves out a time the "when" row already says ("Huomenna su 6.12. klo
 * 14–16" / "joka sunnuntai"). A version's short screen text (`summary`)
 * is shown instead of its body when it has one. Meta
 * rows are written in the card's language: "Maksuton" / "Avgiftsfri" /
 * "Free", "Esteetön" / "Hinderfri" / "Step-free", "Induktiosilmukka" /
 * "Induktionsslinga" / "Hearing loop", "Ilmoittautuminen: ...". A language
 * without words of its own (say "se") gets the Finnish ones, the county's
 * language. The category chip says the category's short label. The credit
 * line is the card's organisation and the version's contact.
 *
 * Ownership: the render_card points into the taulu_card and version
 * (borrowed: keep them alive and unchanged while the card is used) and
 * into the buffer's own strings, which keep their memory between calls.
 */
#ifndef RENDER_MAP_H
#define RENDER_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "layout/sizing.h"
#include "render_model.h"
#include "taulu_buf.h"
#include "taulu_manifest.h"
#include "taulu_time.h"

enum render_map_text {
    RENDER_MAP_WHEN = 0,
    RENDER_MAP_REPEAT,
    RENDER_MAP_PRICE,
    RENDER_MAP_REGISTRATION,
    RENDER_MAP_ACCESS,
    RENDER_MAP_TEXTS
};

struct render_map_buf {
    struct render_card card;
    struct taulu_buf text[RENDER_MAP_TEXTS];
    /* the card's body is the version's short screen text (`summary`),
     * not its body: a verdict's RENDER_FIELD_BODY is about the summary */
    bool shows_summary;
};

struct render_map_header {
    struct render_header header;
    char centre[TAULU_MANIFEST_MAX_STRING + 1];
    char centre_short[TAULU_MANIFEST_MAX_STRING + 1];
    struct taulu_buf date;
    struct taulu_buf clock;
    char page[32];
};

void render_map_buf_init(struct render_map_buf *b);
/* Accepts NULL and an only-initialised buffer. */
void render_map_buf_release(struct render_map_buf *b);
void render_map_header_init(struct render_map_header *h);
void render_map_header_release(struct render_map_header *h);

/* The words a card shows in `lang` besides what its author wrote
 * ("Maksuton"); static strings. Unknown languages get Finnish. */
const char *render_map_word_free(const char *lang);
/* "Peruttu" / "Inställt" / "Cancelled" in `lang` (unknown: Finnish). */
const char *render_map_word_cancelled(const char *lang);

/*
 * Maps version `v` of card `c` at `now` (tz NULL = Europe/Helsinki).
 * `image_path` is where the card's image file is (NULL: not at hand; the
 * image's alt text is then drawn in its place). 0, TAULU_EINVAL (NULL
 * arguments), TAULU_ENOMEM / TAULU_ELIMIT (a buffer), or the date
 * formatter's TAULU_EINVAL for instants it cannot write.
 */
int render_map_card(struct render_map_buf *out, const struct taulu_card *c,
                    const struct taulu_card_version *v,
                    const struct taulu_tz *tz, int64_t now,
                    const char *image_path);

/*
 * The header band at `now`, the one builder of it for the player's screen
 * and the server's preview: the centre's name and its short form (copied;
 * cut at the limit on a character boundary; NULL: none; the header shows
 * the short form where the full name does not fit), the date in `lang`,
 * the HH.MM clock (never seconds), and "pos / total" when total > 1 (pos
 * is 1-based). tz NULL = Europe/Helsinki. 0, TAULU_EINVAL (out NULL),
 * TAULU_ENOMEM / TAULU_ELIMIT, or the date formatter's TAULU_EINVAL.
 */
int render_map_header(struct render_map_header *out, const char *centre,
                      const char *centre_short, const char *lang,
                      const struct taulu_tz *tz, int64_t now, size_t pos,
                      size_t total);

/* The layout's profile of a manifest profile (also a player's reported
 * one): pixels as the content is shown (portrait is taller than wide,
 * whichever way the panel's resolution was written), the diagonal in
 * inches and the distance in metres. The player lays out for this (with
 * its own settings over it) and the server checks submissions with it. */
void render_map_profile(const struct taulu_profile *in,
                        struct render_profile *out);

/* The centre's name to show with a page in `lang`: the name in that
 * language, else its first name; NULL when c is NULL or has no name.
 * Borrowed from c. */
const char *render_map_centre_name(const struct taulu_centre *c,
                                   const char *lang);
/* Its short form ("Tuira"): the short name in the language of the name
 * render_map_centre_name() picks, or NULL when there is none. */
const char *render_map_centre_short(const struct taulu_centre *c,
                                    const char *lang);

#endif
