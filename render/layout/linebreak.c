/*
 * linebreak.c: the phrase-aware line breaker; see linebreak.h for the
 * rules. Works on byte offsets into the caller's text and never allocates.
 */
#include "linebreak.h"

#include <stdint.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_utf8.h"

/* Break priorities, best first. */
enum prio {
    PRIO_FORBID = -1, /* inside a keep-together group */
    PRIO_SPACE = 0,
    PRIO_CONJ = 1,
    PRIO_CLAUSE = 2,
    PRIO_SENTENCE = 3,
};

/* A phrase break is taken only if the line is at least this full (per
 * mille of the width), so that lines stay about even. */
static const int min_fill[4] = {0, 700, 600, 500};

#define WORD_MAX 48 /* longest word compared against the lists, in bytes */

static const char *const conj_fi[] = {"ja",   "tai", "mutta", "sekä", "kun",
                                      "että", "jos", "koska", NULL};
static const char *const conj_sv[] = {"och", "eller", "men", "som",
                                      "när", "att",   "om",  NULL};
static const char *const conj_en[] = {"and", "or",   "but", "when",
                                      "if",  "that", NULL};

static const char *const units[] = {
    "€",    "%",      "‰",   "e",   "eur", "euroa", "euro", "snt", "c",
    "km",   "m",      "cm",  "mm",  "m²",  "kg",    "g",    "t",   "l",
    "dl",   "cl",     "ml",  "min", "h",   "s",     "sek",  "kpl", "krs",
    "v",    "vuotta", "vrk", "pv",  "år",  "kr",    "st",   "°c",  "°",
    "km/h", "mb",     "mt",  "gb",  "kb",  NULL};

static const char *const clock_words[] = {"klo", "kl", "kello", "klockan",
                                          NULL};

static const char *const weekdays[] = {
    /* fi */
    "ma", "ti", "ke", "to", "pe", "la", "su", "maanantai", "tiistai",
    "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai",
    "maanantaina", "tiistaina", "keskiviikkona", "torstaina", "perjantaina",
    "lauantaina", "sunnuntaina",
    /* sv */
    "må", "mån", "tis", "ons", "tor", "fre", "lör", "sön", "måndag", "tisdag",
    "onsdag", "torsdag", "fredag", "lördag", "söndag",
    /* en */
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", NULL};

static const char *const relative_days[] = {
    "tänään", "huomenna", "ylihuomenna", "dag",
    "morgon", "today",    "tomorrow",    NULL};

static const char *const months_en[] = {
    "jan",      "feb",      "mar",      "apr",  "may",  "jun",    "jul",
    "aug",      "sep",      "sept",     "oct",  "nov",  "dec",    "january",
    "february", "march",    "april",    "june", "july", "august", "september",
    "october",  "november", "december", NULL};

/* Abbreviations whose full stop does not end a sentence. */
static const char *const abbrevs[] = {
    "esim", "ns",   "mm",   "yms", "jne", "tms", "ks",  "n",   "ym",  "ts",
    "vrt",  "t.ex", "bl.a", "m.m", "s.k", "ca",  "e.g", "i.e", "etc", "kl",
    "p",    "puh",  "tel",  "os",  "nro", "dr",  "mr",  "mrs", NULL};

/* A word, stripped of surrounding punctuation and case-folded. */
struct word {
    size_t start, end; /* raw bytes in the text */
    char fold[WORD_MAX + 1];
    size_t fold_len;
    bool numeric; /* starts with a digit; digits and . , : – - / only */
    bool dash;    /* a free-standing dash: "–", "—", "-" */
};

static bool is_space_cp(uint32_t cp)
{
    /* No-break spaces (U+00A0, U+202F) are not break opportunities. */
    return cp == ' ' || cp == '\t';
}

static uint32_t fold_cp(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z') {
        return cp + 32;
    }
    /* Latin-1 capitals À..Þ except × */
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) {
        return cp + 32;
    }
    return cp;
}

static bool is_open_punct(uint32_t cp)
{
    return cp == '"' || cp == '\'' || cp == '(' || cp == '[' ||
           cp == 0xAB /* « */ || cp == 0x201C || cp == 0x2018 || cp == 0x201D ||
           cp == 0xBB;
}

static bool is_close_punct(uint32_t cp)
{
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' ||
           cp == 0xBB /* » */ || cp == 0x201D || cp == 0x2019 || cp == 0xAB;
}

static bool is_trail_punct(uint32_t cp)
{
    return cp == '.' || cp == ',' || cp == ';' || cp == ':' || cp == '!' ||
           cp == '?' || is_close_punct(cp);
}

static bool is_dash_cp(uint32_t cp)
{
    return cp == 0x2013 || cp == 0x2014 || cp == '-';
}

/* Decodes the code point that ends at byte `end` (text valid). */
static uint32_t cp_before(const char *s, size_t start, size_t end,
                          size_t *cp_start)
{
    size_t p = end;
    while (p > start && ((unsigned char)s[p - 1] & 0xC0) == 0x80) {
        p--;
    }
    if (p > start) {
        p--;
    }
    while (p > start && ((unsigned char)s[p] & 0xC0) == 0x80) {
        p--;
    }
    size_t q = p;
    uint32_t cp = 0;
    taulu_utf8_decode(s, end, &q, &cp);
    if (cp_start) {
        *cp_start = p;
    }
    return cp;
}

static void make_word(const char *s, size_t start, size_t end, struct word *w)
{
    size_t a = start, b = end;
    w->start = start;
    w->end = end;
    /* strip leading opening punctuation */
    while (a < b) {
        size_t q = a;
        uint32_t cp = 0;
        taulu_utf8_decode(s, b, &q, &cp);
        if (!is_open_punct(cp)) {
            break;
        }
        a = q;
    }
    /* strip trailing punctuation */
    while (b > a) {
        size_t cs = 0;
        uint32_t cp = cp_before(s, a, b, &cs);
        if (!is_trail_punct(cp)) {
            break;
        }
        b = cs;
    }
    w->fold_len = 0;
    w->numeric = false;
    w->dash = false;
    bool numeric = a < b && s[a] >= '0' && s[a] <= '9';
    size_t count = 0;
    size_t q = a;
    while (q < b) {
        uint32_t cp = 0;
        taulu_utf8_decode(s, b, &q, &cp);
        count++;
        if (!((cp >= '0' && cp <= '9') || cp == '.' || cp == ',' || cp == ':' ||
              cp == '/' || is_dash_cp(cp))) {
            numeric = false;
        }
        char enc[4];
        size_t n = taulu_utf8_encode(fold_cp(cp), enc);
        if (w->fold_len + n <= WORD_MAX) {
            memcpy(w->fold + w->fold_len, enc, n);
            w->fold_len += n;
        } else {
            w->fold_len = WORD_MAX + 1; /* too long for any list */
        }
    }
    if (w->fold_len > WORD_MAX) {
        w->fold_len = 0;
    }
    w->fold[w->fold_len] = '\0';
    w->numeric = numeric;
    if (count == 0) {
        /* all punctuation: a free-standing dash? */
        size_t r = start;
        uint32_t cp = 0;
        taulu_utf8_decode(s, end, &r, &cp);
        w->dash = r == end && is_dash_cp(cp);
    } else if (count == 1) {
        size_t r = a;
        uint32_t cp = 0;
        taulu_utf8_decode(s, b, &r, &cp);
        w->dash = is_dash_cp(cp) && a == start && b == end;
    }
}

static bool in_list(const char *const *list, const struct word *w)
{
    if (w->fold_len == 0) {
        return false;
    }
    for (size_t i = 0; list[i]; i++) {
        if (strcmp(list[i], w->fold) == 0) {
            return true;
        }
    }
    return false;
}

static bool raw_in_list(const char *const *list, const char *s,
                        const struct word *w)
{
    /* the raw word folded, with its own trailing full stop: "kl." */
    char buf[WORD_MAX + 1];
    size_t n = 0, q = w->start;
    while (q < w->end) {
        uint32_t cp = 0;
        taulu_utf8_decode(s, w->end, &q, &cp);
        char enc[4];
        size_t k = taulu_utf8_encode(fold_cp(cp), enc);
        if (n + k > WORD_MAX) {
            return false;
        }
        memcpy(buf + n, enc, k);
        n += k;
    }
    buf[n] = '\0';
    for (size_t i = 0; list[i]; i++) {
        if (strcmp(list[i], buf) == 0) {
            return true;
        }
    }
    return false;
}

static bool is_three_digits(const struct word *w)
{
    return w->fold_len == 3 && w->fold[0] >= '0' && w->fold[0] <= '9' &&
           w->fold[1] >= '0' && w->fold[1] <= '9' && w->fold[2] >= '0' &&
           w->fold[2] <= '9';
}

static bool starts_with_digit(const char *s, const struct word *w)
{
    size_t q = w->start;
    while (q < w->end) {
        uint32_t cp = 0;
        taulu_utf8_decode(s, w->end, &q, &cp);
        if (!is_open_punct(cp)) {
            return cp >= '0' && cp <= '9';
        }
    }
    return false;
}

/* Does the raw word end a sentence (. ! ? before closing quotes)? */
static bool ends_sentence(const char *s, const struct word *a)
{
    size_t b = a->end;
    while (b > a->start) {
        size_t cs = 0;
        uint32_t cp = cp_before(s, a->start, b, &cs);
        if (is_close_punct(cp)) {
            b = cs;
            continue;
        }
        if (cp == '!' || cp == '?') {
            return true;
        }
        if (cp == '.') {
            /* "24.11." and "5." are dates and ordinals, "esim." is an
             * abbreviation: none of them ends a sentence for sure. */
            return !a->numeric && !in_list(abbrevs, a);
        }
        return false;
    }
    return false;
}

static bool ends_clause(const char *s, const struct word *a)
{
    if (a->dash) {
        return true;
    }
    size_t b = a->end;
    while (b > a->start) {
        size_t cs = 0;
        uint32_t cp = cp_before(s, a->start, b, &cs);
        if (is_close_punct(cp)) {
            b = cs;
            continue;
        }
        return cp == ',' || cp == ';' || cp == ':';
    }
    return false;
}

static bool is_conjunction(const char *lang, const struct word *b)
{
    bool fi = lang && (strcmp(lang, "fi") == 0);
    bool sv = lang && (strcmp(lang, "sv") == 0);
    bool en = lang && (strcmp(lang, "en") == 0);
    bool other = !fi && !sv && !en;
    /* Finnish and Swedish share the region's bilingual cards, so each
     * also knows the other's conjunctions; English keeps its own. */
    if ((fi || sv || other) && (in_list(conj_fi, b) || in_list(conj_sv, b))) {
        return true;
    }
    return (en || other) && in_list(conj_en, b);
}

/* The priority of a break at the space between words a and b. */
static enum prio break_prio(const char *s, const char *lang,
                            const struct word *a, const struct word *b)
{
    /* keep-together groups */
    if (b->dash) {
        return PRIO_FORBID; /* a spaced dash stays with the word before */
    }
    if (a->numeric && (in_list(units, b) || raw_in_list(units, s, b))) {
        return PRIO_FORBID; /* 5 €, 10 km, 30 min */
    }
    if (a->numeric && is_three_digits(b) && !ends_clause(s, a)) {
        return PRIO_FORBID; /* 1 000 */
    }
    if ((in_list(clock_words, a) || raw_in_list(clock_words, s, a)) &&
        starts_with_digit(s, b)) {
        return PRIO_FORBID; /* klo 14–16, kl. 14.00–16.00 */
    }
    if (in_list(weekdays, a) && starts_with_digit(s, b) && !ends_clause(s, a)) {
        return PRIO_FORBID; /* ti 24.11. */
    }
    if (in_list(relative_days, a) && in_list(weekdays, b) &&
        !ends_clause(s, a)) {
        return PRIO_FORBID; /* Tänään ti */
    }
    if (a->fold_len == 1 && a->fold[0] == 'i' &&
        (strcmp(b->fold, "dag") == 0 || strcmp(b->fold, "morgon") == 0)) {
        return PRIO_FORBID; /* I dag, I morgon */
    }
    if (a->numeric && in_list(months_en, b)) {
        return PRIO_FORBID; /* 24 Nov */
    }
    /* phrase boundaries */
    if (ends_sentence(s, a)) {
        return PRIO_SENTENCE;
    }
    if (ends_clause(s, a)) {
        return PRIO_CLAUSE;
    }
    if (is_conjunction(lang, b)) {
        return PRIO_CONJ;
    }
    return PRIO_SPACE;
}

int render_lb_lang_chars(const char *lang)
{
    if (lang && strcmp(lang, "sv") == 0) {
        return RENDER_LINE_CHARS_SV;
    }
    if (lang && strcmp(lang, "fi") == 0) {
        return RENDER_LINE_CHARS_FI;
    }
    return RENDER_LINE_CHARS_MAX;
}

struct lb {
    const char *s;
    size_t len;
    const struct render_lb_params *p;
    int max_chars;
    struct render_line *lines;
    size_t cap;
    size_t n;     /* lines produced (also those beyond cap) */
    size_t total; /* counted lines */
};

static int count_cps(const char *s, size_t a, size_t b)
{
    int n = 0;
    for (size_t i = a; i < b; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

static int measure(const struct lb *lb, size_t a, size_t b)
{
    int w = lb->p->measure(lb->p->measure_ctx, lb->s + a, b - a);
    return w < 0 ? 0 : w;
}

static void emit(struct lb *lb, size_t a, size_t b, int width, unsigned flags)
{
    if (lb->total < lb->cap) {
        struct render_line *l = &lb->lines[lb->total];
        l->start = a;
        l->end = b;
        l->width = width;
        l->chars = count_cps(lb->s, a, b);
        l->flags = flags;
    }
    lb->total++;
}

static size_t skip_spaces(const char *s, size_t pos, size_t end)
{
    while (pos < end) {
        size_t q = pos;
        uint32_t cp = 0;
        taulu_utf8_decode(s, end, &q, &cp);
        if (!is_space_cp(cp)) {
            break;
        }
        pos = q;
    }
    return pos;
}

static size_t word_end(const char *s, size_t pos, size_t end)
{
    while (pos < end) {
        size_t q = pos;
        uint32_t cp = 0;
        taulu_utf8_decode(s, end, &q, &cp);
        if (is_space_cp(cp)) {
            break;
        }
        pos = q;
    }
    return pos;
}

static size_t trim_right(const char *s, size_t start, size_t end)
{
    while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t')) {
        end--;
    }
    return end;
}

static bool fits(const struct lb *lb, size_t a, size_t b, int *width)
{
    if (count_cps(lb->s, a, b) > lb->max_chars) {
        return false;
    }
    *width = measure(lb, a, b);
    return *width <= lb->p->max_width;
}

/* Cuts the over-long word at [pos, wend) after as many code points as fit
 * (at least one). Returns the cut offset. */
static size_t cut_word(const struct lb *lb, size_t pos, size_t wend, int *width)
{
    size_t best = pos, q = pos;
    int best_w = 0;
    while (q < wend) {
        uint32_t cp = 0;
        taulu_utf8_decode(lb->s, wend, &q, &cp);
        int w = 0;
        if (!fits(lb, pos, q, &w)) {
            break;
        }
        best = q;
        best_w = w;
    }
    if (best == pos) {
        /* not even one code point fits: take one anyway, or we loop */
        best = pos;
        uint32_t cp = 0;
        taulu_utf8_decode(lb->s, wend, &best, &cp);
        best_w = measure(lb, pos, best);
    }
    *width = best_w;
    return best;
}

/* Breaks one segment (text between author line breaks). */
static void break_segment(struct lb *lb, size_t seg_start, size_t seg_end)
{
    const char *s = lb->s;
    size_t pos = skip_spaces(s, seg_start, seg_end);
    seg_end = trim_right(s, pos, seg_end);
    while (pos < seg_end) {
        int width = 0;
        if (fits(lb, pos, seg_end, &width)) {
            emit(lb, pos, seg_end, width, 0);
            return;
        }
        /* Walk the break opportunities while the line still fits. */
        struct word a, b;
        size_t wend = word_end(s, pos, seg_end);
        make_word(s, pos, wend, &a);
        size_t best_end[4 + 1] = {0}, best_next[4 + 1] = {0};
        int best_w[4 + 1] = {0};
        bool have[4 + 1] = {false};
        /* index 0: forbidden, 1..4: PRIO_SPACE..PRIO_SENTENCE */
        while (wend < seg_end) {
            int w = 0;
            if (!fits(lb, pos, wend, &w)) {
                break;
            }
            size_t next = skip_spaces(s, wend, seg_end);
            size_t nend = word_end(s, next, seg_end);
            make_word(s, next, nend, &b);
            enum prio pr = break_prio(s, lb->p->lang, &a, &b);
            int slot = (int)pr + 1;
            best_end[slot] = wend;
            best_next[slot] = next;
            best_w[slot] = w;
            have[slot] = true;
            a = b;
            wend = nend;
        }
        int pick = -1;
        for (int pr = PRIO_SENTENCE; pr >= PRIO_CONJ; pr--) {
            int slot = pr + 1;
            if (have[slot] && (long)best_w[slot] * 1000 >=
                                  (long)min_fill[pr] * lb->p->max_width) {
                pick = slot;
                break;
            }
        }
        if (pick < 0) {
            /* the furthest ordinary or phrase break that fits */
            size_t far = 0;
            for (int slot = 1; slot <= 4; slot++) {
                if (have[slot] && best_end[slot] > far) {
                    far = best_end[slot];
                    pick = slot;
                }
            }
        }
        if (pick < 0 && have[0]) {
            pick = 0; /* a keep-together group gives way last */
        }
        if (pick < 0) {
            size_t first_end = word_end(s, pos, seg_end);
            size_t cut = cut_word(lb, pos, first_end, &width);
            emit(lb, pos, cut, width, RENDER_LINE_CUT_WORD);
            /* A code point wider than the line is cut after itself, at the
             * end of its word: the next line starts after the space. */
            pos = skip_spaces(s, cut, seg_end);
            continue;
        }
        emit(lb, pos, best_end[pick], best_w[pick], 0);
        pos = best_next[pick];
    }
}

int render_linebreak(const char *text, size_t len,
                     const struct render_lb_params *p,
                     struct render_line *lines, size_t cap,
                     struct render_lb_result *result)
{
    if (!p || !p->measure || p->max_width <= 0 || !result ||
        (cap > 0 && !lines) || (len > 0 && !text)) {
        return TAULU_EINVAL;
    }
    result->n = 0;
    result->fit = true;
    result->complete = true;
    if (!taulu_utf8_valid(text, len)) {
        return TAULU_EUTF8;
    }
    struct lb lb = {.s = text, .len = len, .p = p, .lines = lines, .cap = cap};
    lb.max_chars =
        p->max_chars > 0 ? p->max_chars : render_lb_lang_chars(p->lang);
    if (lb.max_chars > RENDER_LINE_CHARS_MAX) {
        lb.max_chars = RENDER_LINE_CHARS_MAX;
    }
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t seg_end = nl ? (size_t)(nl - text) : len;
        size_t after = seg_end;
        bool para = true;
        if (nl) {
            /* one "\n" is a line break, two or more a paragraph */
            after = seg_end + 1;
            size_t q = after;
            para = false;
            while (q < len && (text[q] == '\n' || text[q] == ' ' ||
                               text[q] == '\t' || text[q] == '\r')) {
                if (text[q] == '\n') {
                    para = true;
                }
                q++;
            }
            if (para || q >= len) {
                after = q;
                para = true;
            }
        }
        size_t before = lb.total;
        break_segment(&lb, pos, seg_end);
        if (lb.total > before && lb.total <= cap) {
            unsigned f = nl ? RENDER_LINE_HARD : 0;
            lines[lb.total - 1].flags |= f | (para ? RENDER_LINE_PARA_END : 0);
        }
        pos = after;
    }
    result->n = lb.total < cap ? lb.total : cap;
    result->complete = lb.total <= cap;
    result->fit = p->max_lines <= 0 || lb.total <= (size_t)p->max_lines;
    return TAULU_OK;
}
