/*
 * linebreak.h: the phrase-aware line breaker (plain C, no SDL).
 *
 * Breaks UTF-8 text into lines no wider than a pixel width and no longer
 * than a number of code points, using a caller's measuring function (the
 * SDL_ttf edge in the player, a fixed width per code point in tests). The
 * rules are those of ../shared/design/accessibility.md:
 *
 *  - the author's own line breaks ("\n") are kept; "\n\n" (or more) starts
 *    a new paragraph (the line before is marked RENDER_LINE_PARA_END);
 *  - where a line must wrap, it breaks at a space, preferring (in order)
 *    after sentence punctuation (. ! ?), after clause punctuation (, ; : and
 *    a free-standing dash), before a conjunction of the text's language
 *    (fi: ja tai mutta sekä kun että jos koska; sv: och eller men som när
 *    att om; en: and or but when if that), provided the line stays at least
 *    about half full; otherwise at the last space that fits;
 *  - never hyphenates, never breaks at a no-break space (U+00A0, U+202F);
 *  - keeps together number + unit ("5 €", "10 km", "30 min"), "klo 14–16",
 *    "kl. 14.00–16.00", "kello 9.30–11", weekday + date ("ti 24.11."),
 *    relative day + weekday ("Tänään ti"), day + month ("24 Nov"), a
 *    spaced dash stays with the word before it; these give way only when
 *    there is no other break;
 *  - a single word longer than the line is cut at a code point boundary, as
 *    the last resort, and the line is marked RENDER_LINE_CUT_WORD.
 *
 * The result depends only on where a line starts, so a continuation card
 * that starts at a line's start breaks the rest of the text exactly as the
 * full layout did.
 */
#ifndef RENDER_LINEBREAK_H
#define RENDER_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>

/* Width in pixels of utf8[0..len) set on one line. Must be >= 0 and must not
 * shrink when text is appended (true of any real font). */
typedef int (*render_measure_fn)(void *ctx, const char *utf8, size_t len);

/* Hard limits of the accessibility rules (code points per line). */
#define RENDER_LINE_CHARS_SV  55
#define RENDER_LINE_CHARS_FI  60
#define RENDER_LINE_CHARS_MAX 80

enum render_line_flags {
    RENDER_LINE_HARD = 1 << 0,     /* ends at the author's "\n" */
    RENDER_LINE_PARA_END = 1 << 1, /* last line of a paragraph */
    RENDER_LINE_CUT_WORD = 1 << 2, /* a word too long for a line was cut */
};

/* One line: text[start..end) with no leading or trailing spaces. */
struct render_line {
    size_t start, end;
    int width; /* measured pixels */
    int chars; /* code points */
    unsigned flags;
};

struct render_lb_params {
    int max_width;    /* pixels, > 0 */
    int max_chars;    /* code points; <= 0 or > 80 means 80 */
    int max_lines;    /* lines that "fit"; more are still returned */
    const char *lang; /* conjunction list and default char limit */
    render_measure_fn measure;
    void *measure_ctx;
};

struct render_lb_result {
    size_t n;      /* lines written to the caller's array */
    bool fit;      /* all the text in at most max_lines lines */
    bool complete; /* all the text is in the array (it was big enough) */
};

/* Code points a line may hold for a language: 55 for "sv", 60 for "fi",
 * 80 otherwise. */
int render_lb_lang_chars(const char *lang);

/* Breaks text[0..len) into at most `cap` lines written to `lines`. Returns
 * 0, TAULU_EINVAL (bad parameters) or TAULU_EUTF8 (text is not valid
 * UTF-8). When the array is too small the first `cap` lines are kept and
 * result->complete is false; that is not an error. */
int render_linebreak(const char *text, size_t len,
                     const struct render_lb_params *p,
                     struct render_line *lines, size_t cap,
                     struct render_lb_result *result);

#endif
