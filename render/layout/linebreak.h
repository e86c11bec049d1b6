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
 *    a free-standing dash) or a list separator (" · "), before a
 *    conjunction of the text's language (fi: ja tai mutta sekä kun että jos
 *    koska; sv: och eller men som när att om; en: and or but when if that),
 *    provided the line stays at least about half full; otherwise at the
 *    last space that fits;
 *  - never breaks at a no-break space (U+00A0, U+202F);
 *  - keeps together number + unit ("5 €", "10 km", "30 min"), "klo 14–16",
 *    "kl. 14.00–16.00", "kello 9.30–11", weekday + date ("ti 24.11."),
 *    relative day + weekday ("Tänään ti"), day + month ("24 Nov"), the
 *    groups of a phone number ("040 123 4567"); a spaced dash and a list
 *    separator stay with the word before them; these give way only when
 *    there is no other break;
 *  - a list separator (U+00B7 ·, U+2022 •, "|") never ends a line: when the
 *    line breaks after it, it is left out (RENDER_LINE_SEP) and the break
 *    separates the items instead ("Esteetön" / "Induktiosilmukka");
 *  - no hyphenation of a word that fits on a line. A word wider than the
 *    line breaks, in this order: after a soft hyphen U+00AD in the text
 *    (the server inserts them), with a visible hyphen (RENDER_LINE_HYPHEN);
 *    after the word's own hyphen or dash ("Ruoka-" / "apu"), or in a web or
 *    mail address after / . @ (RENDER_LINE_WORD_BREAK, nothing added); at a
 *    Finnish-style syllable boundary (before a consonant followed by a
 *    vowel, at least two letters before and three after) with a visible
 *    hyphen (RENDER_LINE_HYPHEN | RENDER_LINE_SYLLABLE: the caller reports
 *    the word); and only where not even one syllable fits, after as many
 *    code points as fit, still with a hyphen (RENDER_LINE_CUT_WORD). A
 *    soft hyphen is never drawn: render_visible_text() gives what a line
 *    shows.
 *
 * The result depends only on where a line starts, so a continuation card
 * that starts at a line's start breaks the rest of the text exactly as the
 * full layout did, and a caller may break line by line at changing widths
 * (render_lb_line) around a QR code.
 */
#ifndef RENDER_LINEBREAK_H
#define RENDER_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>

/* Width in pixels of utf8[0..len) set on one line. Must be >= 0 and must not
 * shrink when text is appended (true of any real font). The breaker never
 * passes a soft hyphen (U+00AD): it measures what the line shows, with the
 * hyphen it draws, from a buffer of its own when the two differ. */
typedef int (*render_measure_fn)(void *ctx, const char *utf8, size_t len);

/* Hard limits of the accessibility rules (code points per line). */
#define RENDER_LINE_CHARS_SV  55
#define RENDER_LINE_CHARS_FI  60
#define RENDER_LINE_CHARS_MAX 80

/* The bytes a line can show: 80 code points of 4 bytes and a hyphen. */
#define RENDER_LINE_VISIBLE_MAX (RENDER_LINE_CHARS_MAX * 4 + 4)

enum render_line_flags {
    RENDER_LINE_HARD = 1 << 0,     /* ends at the author's "\n" */
    RENDER_LINE_PARA_END = 1 << 1, /* last line of a paragraph */
    RENDER_LINE_CUT_WORD = 1 << 2, /* a word cut where no syllable fits */
    RENDER_LINE_HYPHEN = 1 << 3,   /* a hyphen is drawn after the text */
    RENDER_LINE_SYLLABLE = 1 << 4, /* ...at a syllable the text did not mark */
    RENDER_LINE_WORD_BREAK = 1 << 5, /* inside a word after its own - or / */
    RENDER_LINE_SEP = 1 << 6,        /* a list separator after it left out */
    RENDER_LINE_SENTENCE = 1 << 7,   /* ends a sentence */
};
/* A page may end after a line with one of these (between sentences, at
 * the author's line break or paragraph end). */
#define RENDER_LINE_PAGE_OK                                                    \
    (RENDER_LINE_SENTENCE | RENDER_LINE_HARD | RENDER_LINE_PARA_END)
/* The line ends inside a word. */
#define RENDER_LINE_IN_WORD                                                    \
    (RENDER_LINE_HYPHEN | RENDER_LINE_WORD_BREAK | RENDER_LINE_CUT_WORD)

/* One line: text[start..end) with no leading or trailing spaces (a soft
 * hyphen inside may be there: draw render_visible_text()). */
struct render_line {
    size_t start, end;
    int width; /* measured pixels of what the line shows */
    int chars; /* code points it shows (soft hyphens not counted) */
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

/* One line of text[0..len) starting at byte `pos` (0, or a `next` this
 * function returned): 1 and *line, *next (where the following line starts;
 * len at the end), or 0 when only blanks are left (*next = len). The text
 * must be valid UTF-8 (the layout checks every string first). TAULU_EINVAL
 * for bad parameters. Lines made one by one at one width are the lines of
 * render_linebreak at that width. */
int render_lb_line(const char *text, size_t len, size_t pos,
                   const struct render_lb_params *p, struct render_line *line,
                   size_t *next);

/* The end of the last sentence that ends inside text[start..end) before
 * its last word (the byte after its full stop), or `start` if none: where
 * a page may end in the middle of a line, the line cut short there. */
size_t render_lb_sentence_end(const char *text, size_t start, size_t end);

/* What a line shows: s[0..len) without soft hyphens, and "-" after it if
 * `hyphen`. Writes at most size - 1 bytes and a NUL; returns the length
 * written (cut at a code point boundary if `out` is too small). */
size_t render_visible_text(const char *s, size_t len, bool hyphen, char *out,
                           size_t size);

/* Whether s[0..len) holds a soft hyphen (U+00AD). */
bool render_has_soft_hyphen(const char *s, size_t len);

/* The Finnish-style syllable rule of the last resort: may a word be broken
 * before byte `at` of s[start..end) (a code point boundary)? A consonant
 * followed by a vowel starts there, with at least two letters, one of them
 * a vowel, before it and three letters after. The verification of a layout
 * uses it to prove that a hyphen the breaker added stands at a syllable. */
bool render_syllable_break_ok(const char *s, size_t start, size_t end,
                              size_t at);

#endif
