/*
 * fuzz_linebreak.c: libFuzzer target for the phrase-aware line breaker
 * (render_linebreak) with deterministic measuring functions.
 *
 * Input: 5 parameter bytes, then the text.
 *   [0] language (fi, sv, en, se, none) and measuring mode (uniform, or a
 *       width per code point that varies, or a wide first character);
 *   [1] max_width in pixels / 4 (0 exercises the refusal);
 *   [2] max_chars - 8 (so <= 0 and > 80 both occur);
 *   [3] max_lines;  [4] size of the line array (0..63).
 *
 * Checks beyond "does not crash":
 *  - invalid UTF-8 is refused with TAULU_EUTF8 and nothing else is;
 *  - the measuring function is only asked about whole code points inside
 *    the text, or about a copy the breaker made of what a line shows (no
 *    soft hyphen in it);
 *  - lines are in order, do not overlap, start and end on code point
 *    boundaries, have no leading or trailing space, and what lies between
 *    them is only spaces and line breaks, the soft hyphen a drawn hyphen
 *    replaced, a list separator the break replaced, or nothing where a
 *    line ends inside a word: together they cover the text;
 *  - a line ends inside a word only with a hyphen drawn (a soft hyphen or
 *    a syllable or a cut), or after the word's own hyphen or "/";
 *  - each line's width is what the measure says of what it shows and fits
 *    max_width (except a single code point that fits nowhere), its chars
 *    are the code points it shows and never more than the limit;
 *  - n, complete and fit agree with the array size and max_lines;
 *  - breaking again from where a line starts gives the same lines (what a
 *    continuation card relies on).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linebreak.h"
#include "taulu_err.h"
#include "taulu_utf8.h"

#define CAP_MAX 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mctx {
    const char *text;
    size_t len;
    int mode;
};

static int cp_width(uint32_t cp, int mode)
{
    switch (mode) {
    case 0:
        return 10;
    case 1:
        return 4 + (int)((cp * 2654435761u) >> 28); /* 4..19 */
    default:
        return cp >= 0x80 ? 40 : 7;
    }
}

static int measure(void *ctx, const char *s, size_t len)
{
    const struct mctx *m = ctx;
    size_t pos = 0, off;
    int w = 0;

    if (s < m->text || s > m->text + m->len ||
        len > (size_t)(m->text + m->len - s)) {
        /* not the text: the breaker's copy of what a line shows */
        if (!taulu_utf8_valid(s, len) || render_has_soft_hyphen(s, len)) {
            abort();
        }
    } else {
        off = (size_t)(s - m->text);
        if (!taulu_utf8_valid(s, len) ||
            (off < m->len && ((unsigned char)s[0] & 0xC0) == 0x80) ||
            (off + len < m->len && ((unsigned char)s[len] & 0xC0) == 0x80)) {
            abort(); /* asked about part of a UTF-8 sequence */
        }
    }
    while (pos < len) {
        uint32_t cp = 0;
        if (taulu_utf8_decode(s, len, &pos, &cp) < 0) {
            abort();
        }
        w += cp_width(cp, m->mode);
    }
    return w;
}

static int boundary(const char *s, size_t len, size_t at)
{
    return at == len || ((unsigned char)s[at] & 0xC0) != 0x80;
}

static int gap_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void check_lines(const char *t, size_t len,
                        const struct render_lb_params *p, int max_chars,
                        const struct render_line *l,
                        const struct render_lb_result *r, size_t cap)
{
    size_t i, prev = 0, k;

    if (r->n > cap || (r->complete ? 0 : r->n != cap)) {
        abort();
    }
    for (i = 0; i < r->n; i++) {
        unsigned pf = i > 0 ? l[i - 1].flags : 0;
        if (l[i].start < prev || l[i].end < l[i].start || l[i].end > len ||
            !boundary(t, len, l[i].start) || !boundary(t, len, l[i].end)) {
            abort();
        }
        if (i > 0 && (pf & RENDER_LINE_IN_WORD)) {
            /* inside a word: nothing between, or the soft hyphen that a
             * drawn hyphen replaced */
            bool shy = l[i].start == prev + 2 &&
                       (unsigned char)t[prev] == 0xC2 &&
                       (unsigned char)t[prev + 1] == 0xAD;
            bool blanks = true; /* a lone code point cut at its word end */
            for (k = prev; k < l[i].start; k++) {
                blanks = blanks && gap_byte(t[k]);
            }
            if (!(l[i].start == prev ||
                  (shy && (pf & RENDER_LINE_HYPHEN) &&
                   !(pf & (RENDER_LINE_SYLLABLE | RENDER_LINE_CUT_WORD))) ||
                  ((pf & RENDER_LINE_CUT_WORD) && l[i - 1].chars == 1 &&
                   blanks))) {
                abort();
            }
            if (l[i].start == prev && (pf & RENDER_LINE_WORD_BREAK) &&
                !(t[prev - 1] == '-' || t[prev - 1] == '/' ||
                  t[prev - 1] == '.' || t[prev - 1] == '@' ||
                  t[prev - 1] == '?' || t[prev - 1] == '&' ||
                  t[prev - 1] == '=' || t[prev - 1] == '_' ||
                  (unsigned char)t[prev - 1] == 0x93)) {
                abort(); /* a word broken where it had no break */
            }
            if (l[i].start == prev && !(pf & RENDER_LINE_WORD_BREAK) &&
                !(pf & RENDER_LINE_HYPHEN) && l[i - 1].chars != 1) {
                abort(); /* cut without a hyphen */
            }
        } else {
            bool sep = i > 0 && (pf & RENDER_LINE_SEP);
            for (k = prev; k < l[i].start; k++) {
                if (gap_byte(t[k])) {
                    continue;
                }
                if (sep && (t[k] == '|' ||
                            ((unsigned char)t[k] == 0xC2 && k + 1 < len &&
                             (unsigned char)t[k + 1] == 0xB7) ||
                            ((unsigned char)t[k] == 0xE2 && k + 2 < len &&
                             (unsigned char)t[k + 1] == 0x80 &&
                             (unsigned char)t[k + 2] == 0xA2))) {
                    k += (unsigned char)t[k] == 0xC2   ? 1
                         : (unsigned char)t[k] == 0xE2 ? 2
                                                       : 0;
                    sep = false; /* one separator */
                    continue;
                }
                abort(); /* text skipped between lines */
            }
        }
        if (l[i].end > l[i].start &&
            (t[l[i].start] == ' ' || t[l[i].start] == '\t' ||
             t[l[i].end - 1] == ' ' || t[l[i].end - 1] == '\t')) {
            abort();
        }
        char vis[RENDER_LINE_VISIBLE_MAX + 8];
        size_t vn = render_visible_text(t + l[i].start, l[i].end - l[i].start,
                                        (l[i].flags & RENDER_LINE_HYPHEN) != 0,
                                        vis, sizeof vis);
        if ((size_t)l[i].chars != taulu_utf8_count(vis, vn) ||
            l[i].chars > max_chars ||
            l[i].width != p->measure(p->measure_ctx, vis, vn)) {
            abort();
        }
        if (l[i].width > p->max_width &&
            !((l[i].flags & RENDER_LINE_CUT_WORD) && l[i].chars == 1)) {
            abort();
        }
        if (l[i].flags &
            ~(unsigned)(RENDER_LINE_HARD | RENDER_LINE_PARA_END |
                        RENDER_LINE_CUT_WORD | RENDER_LINE_HYPHEN |
                        RENDER_LINE_SYLLABLE | RENDER_LINE_WORD_BREAK |
                        RENDER_LINE_SEP | RENDER_LINE_SENTENCE)) {
            abort();
        }
        prev = l[i].end;
    }
    if (r->complete) {
        for (k = prev; k < len; k++) {
            if (!gap_byte(t[k])) {
                abort(); /* text after the last line */
            }
        }
        if (p->max_lines > 0 && r->fit != (r->n <= (size_t)p->max_lines)) {
            abort();
        }
    } else if (p->max_lines > 0 && r->n > (size_t)p->max_lines && r->fit) {
        abort();
    }
    if (p->max_lines <= 0 && !r->fit) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const langs[] = {"fi", "sv", "en", "se", NULL};
    struct render_line lines[CAP_MAX], again[CAP_MAX];
    struct render_lb_result r, r2;
    struct render_lb_params p;
    struct mctx m;
    const char *t;
    size_t len, cap, i;
    int rc, max_chars;

    if (size < 5) {
        return 0;
    }
    t = (const char *)data + 5;
    len = size - 5;
    m.text = t;
    m.len = len;
    m.mode = (data[0] >> 3) % 3;
    memset(&p, 0, sizeof(p));
    p.lang = langs[data[0] % 5];
    p.max_width = data[1] * 4;
    p.max_chars = (int)data[2] - 8;
    p.max_lines = data[3];
    p.measure = measure;
    p.measure_ctx = &m;
    cap = data[4] % CAP_MAX;
    max_chars = p.max_chars > 0 ? p.max_chars : render_lb_lang_chars(p.lang);
    if (max_chars > RENDER_LINE_CHARS_MAX) {
        max_chars = RENDER_LINE_CHARS_MAX;
    }

    rc = render_linebreak(t, len, &p, lines, cap, &r);
    if (p.max_width <= 0) {
        if (rc != TAULU_EINVAL) {
            abort();
        }
        return 0;
    }
    if (!taulu_utf8_valid(t, len)) {
        if (rc != TAULU_EUTF8) {
            abort();
        }
        return 0;
    }
    if (rc != 0) {
        abort();
    }
    check_lines(t, len, &p, max_chars, lines, &r, cap);

    /* A continuation from the second line breaks the rest the same way. */
    if (r.n >= 2) {
        size_t from = lines[1].start;
        m.text = t + from;
        m.len = len - from;
        rc = render_linebreak(t + from, len - from, &p, again, cap, &r2);
        if (rc != 0) {
            abort();
        }
        for (i = 1; i < r.n && i - 1 < r2.n; i++) {
            const struct render_line *a = &lines[i], *b = &again[i - 1];
            if (a->start - from != b->start || a->end - from != b->end ||
                a->width != b->width || a->chars != b->chars ||
                a->flags != b->flags) {
                abort();
            }
        }
    }
    return 0;
}
