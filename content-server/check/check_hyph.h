/*
 * check_hyph.h: where a long word may be broken, and soft hyphens (U+00AD)
 * put there for the screens.
 *
 * A screen never hyphenates a word that fits its line
 * (../shared/design/accessibility.md); a word wider than the line (a long
 * compound on a narrow portrait screen) breaks only where the text has a
 * soft hyphen, with a visible hyphen (docs/rendering.md). The server
 * computes those places, because it has the dictionaries a player does
 * not: Finnish from Voikko's hyphenator (the checker's Voikko edge,
 * check_voikko.c), Swedish from Debian's hyph_sv patterns through libhyphen
 * (check_hyphen_sv.c, the one file that includes it). Other languages get
 * none (the renderer's own syllable rule is their last resort).
 *
 * Soft hyphens go only into words of CHECK_HYPH_MIN_LETTERS letters or
 * more (shorter ones fit every line a profile can have at its floor size),
 * never into links, e-mail addresses or numbers (phone numbers are
 * digits), never into a word written all in capitals, and never into a
 * chunk of text that already has a soft hyphen of its author's. A point
 * leaves at least 2 letters before it and 3 after it, so no line starts
 * with a stub like "sa". The result stays within a byte limit (the
 * manifest's for the field: each soft hyphen is 2 bytes): when the points
 * of every long word do not fit, the longest words get theirs first.
 *
 * Threads: one struct check_hyph may be used from any thread (a mutex
 * guards its Voikko handle and dictionary). Memory: its own.
 */
#ifndef CHECK_HYPH_H
#define CHECK_HYPH_H

#include <stddef.h>

#include "taulu_buf.h"

#define CHECK_HYPH_MIN_LETTERS 13
/* The Swedish patterns of Debian's hyphen-sv (also used for sv-FI). */
#define CHECK_HYPH_SV_DICT "/usr/share/hyphen/hyph_sv_FI.dic"

struct check_hyph;

struct check_hyph_opts {
    const char *sv_dict;     /* NULL: CHECK_HYPH_SV_DICT */
    const char *voikko_path; /* extra Voikko dictionary directory, or NULL */
    int no_voikko;           /* 1: no Finnish points (tests) */
};

/* Loads what it can: a missing dictionary is logged and its language gets
 * no points (never an error). NULL only when memory runs out (*err). */
struct check_hyph *check_hyph_new(const struct check_hyph_opts *opts, int *err);
void check_hyph_free(struct check_hyph *h); /* accepts NULL */

/* 1 if the language has a dictionary here: "fi" (Voikko), "sv"/"sv-*"
 * (libhyphen). */
int check_hyph_has(const struct check_hyph *h, const char *lang);

/* The break points of one word (letters only, UTF-8, at most
 * CHECK_HYPH_WORD_MAX code points): byte offsets into the word where a
 * hyphen may come, in order, at most `max`. Returns the count (0 for a
 * language without a dictionary), or TAULU_EINVAL. The 2-before,
 * 3-after rule applies. */
int check_hyph_points(struct check_hyph *h, const char *lang, const char *word,
                      size_t len, size_t *at, size_t max);

/* Appends `text` to `out` with soft hyphens in its long words (see
 * above), the whole at most `max_bytes` bytes (text longer than that is
 * appended unchanged). *added (may be NULL) gets the number of soft
 * hyphens put in. 0, TAULU_EINVAL, TAULU_ENOMEM / TAULU_ELIMIT (out's
 * limit; out is then as before). */
int check_hyph_text(struct check_hyph *h, const char *lang, const char *text,
                    size_t max_bytes, struct taulu_buf *out, size_t *added);

#endif
