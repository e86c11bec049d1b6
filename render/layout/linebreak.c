/*
 * linebreak.c: the phrase-aware line breaker; see linebreak.h for the
 * rules. Works on byte offsets into the caller's text and never allocates:
 * what a line shows (soft hyphens out, a drawn hyphen in) is built in a
 * buffer of the breaker's own only when it differs from the text.
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
    bool sep;     /* a free-standing list separator: "·", "•", "|" */
    bool digits;  /* digits only (a leading "+" allowed) */
    bool trail;   /* trailing punctuation was stripped ("4567.") */
};

#define SHY 0xADu /* U+00AD SOFT HYPHEN */

static bool is_space_cp(uint32_t cp)
{
    /* No-break spaces (U+00A0, U+202F) are not break opportunities. A
     * carriage return is a blank like a tab: the same set a line's start
     * and end skip (is_blank_byte), or a word could run across it. */
    return cp == ' ' || cp == '\t' || cp == '\r';
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

static bool is_sep_cp(uint32_t cp)
{
    return cp == 0xB7 || cp == 0x2022 || cp == '|';
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
    w->sep = false;
    bool numeric = a < b && s[a] >= '0' && s[a] <= '9';
    /* digits only, nothing stripped before them ("040", "+358") */
    bool digits =
        a == start && a < b && ((s[a] >= '0' && s[a] <= '9') || s[a] == '+');
    size_t count = 0;
    size_t q = a;
    while (q < b) {
        uint32_t cp = 0;
        taulu_utf8_decode(s, b, &q, &cp);
        if (cp == SHY) {
            continue; /* invisible: "klo" with one is still "klo" */
        }
        count++;
        if (!((cp >= '0' && cp <= '9') || (cp == '+' && count == 1))) {
            digits = false;
        }
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
    w->digits = digits;
    w->trail = b != end;
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
        w->sep = is_sep_cp(cp) && a == start && b == end;
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
    if (b->dash || b->sep) {
        return PRIO_FORBID; /* a spaced dash or a separator stays with the
                               word before */
    }
    if (a->sep) {
        return PRIO_CLAUSE; /* the break separates: the dot is left out */
    }
    if (a->digits && !a->trail && b->digits) {
        return PRIO_FORBID; /* 040 123 4567, +358 40 123 4567 */
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

bool render_has_soft_hyphen(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if ((unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xAD) {
            return true;
        }
    }
    return false;
}

size_t render_visible_text(const char *s, size_t len, bool hyphen, char *out,
                           size_t size)
{
    size_t n = 0, i = 0;
    if (size == 0) {
        return 0;
    }
    while (i < len) {
        if (i + 1 < len && (unsigned char)s[i] == 0xC2 &&
            (unsigned char)s[i + 1] == 0xAD) {
            i += 2;
            continue;
        }
        /* copy one whole code point, or stop */
        size_t k = i + 1;
        while (k < len && ((unsigned char)s[k] & 0xC0) == 0x80) {
            k++;
        }
        if (n + (k - i) + 1 > size) {
            out[n] = '\0';
            return n;
        }
        memcpy(out + n, s + i, k - i);
        n += k - i;
        i = k;
    }
    if (hyphen && n + 2 <= size) {
        out[n++] = '-';
    }
    out[n] = '\0';
    return n;
}

struct lb {
    const char *s;
    size_t len;
    const struct render_lb_params *p;
    int max_chars;
    char vis[RENDER_LINE_VISIBLE_MAX + 8];
};

/* Code points shown in s[a..b): soft hyphens do not count. */
static int count_cps(const char *s, size_t a, size_t b)
{
    int n = 0;
    for (size_t i = a; i < b; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) == 0x80) {
            continue;
        }
        if (c == 0xC2 && i + 1 < b && (unsigned char)s[i + 1] == 0xAD) {
            continue;
        }
        n++;
    }
    return n;
}

/* Width of what s[a..b) shows (with a hyphen if asked); the caller has
 * checked that it is at most max_chars code points, so it fits vis. */
static int measure(struct lb *lb, size_t a, size_t b, bool hyphen)
{
    int w;
    if (!hyphen && !render_has_soft_hyphen(lb->s + a, b - a)) {
        w = lb->p->measure(lb->p->measure_ctx, lb->s + a, b - a);
    } else {
        size_t n = render_visible_text(lb->s + a, b - a, hyphen, lb->vis,
                                       sizeof lb->vis);
        w = lb->p->measure(lb->p->measure_ctx, lb->vis, n);
    }
    return w < 0 ? 0 : w;
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

static bool is_blank_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static size_t trim_right(const char *s, size_t start, size_t end)
{
    while (end > start && is_blank_byte(s[end - 1])) {
        end--;
    }
    return end;
}

static bool fits(struct lb *lb, size_t a, size_t b, bool hyphen, int *width)
{
    if (count_cps(lb->s, a, b) + (hyphen ? 1 : 0) > lb->max_chars) {
        return false;
    }
    *width = measure(lb, a, b, hyphen);
    return *width <= lb->p->max_width;
}

/* ---- letters and syllables (the last resort for a word too wide) ---- */

static bool is_vowel(uint32_t cp)
{
    cp = fold_cp(cp);
    switch (cp) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
    case 'y':
    case 0xE5: /* å */
    case 0xE4: /* ä */
    case 0xF6: /* ö */
    case 0xE9: /* é */
    case 0xE8: /* è */
    case 0xE1: /* á */
    case 0xE0: /* à */
    case 0xFC: /* ü */
    case 0xF5: /* õ */
    case 0xF3: /* ó */
    case 0xF4: /* ô */
    case 0xE2: /* â */
    case 0xF8: /* ø */
    case 0xE6: /* æ */
    case 0xED: /* í */
    case 0xFA: /* ú */
    case 0xEA: /* ê */
        return true;
    default:
        return false;
    }
}

static bool is_letter(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

bool render_syllable_break_ok(const char *s, size_t start, size_t end,
                              size_t at)
{
    if (!s || at <= start || at >= end) {
        return false;
    }
    /* letters before (and whether one is a vowel), the code points at and
     * after `at`, and letters after */
    int before = 0, after = 0;
    bool vowel_before = false;
    uint32_t prev = 0, cur = 0, next = 0;
    size_t q = start;
    while (q < at) {
        uint32_t cp = 0;
        taulu_utf8_decode(s, end, &q, &cp);
        if (cp == SHY) {
            continue;
        }
        prev = cp;
        if (is_letter(cp)) {
            before++;
            vowel_before = vowel_before || is_vowel(cp);
        }
    }
    if (q != at) {
        return false; /* not a code point boundary */
    }
    int k = 0;
    while (q < end) {
        uint32_t cp = 0;
        taulu_utf8_decode(s, end, &q, &cp);
        if (cp == SHY) {
            continue;
        }
        if (k == 0) {
            cur = cp;
        } else if (k == 1) {
            next = cp;
        }
        k++;
        after += is_letter(cp);
    }
    return before >= 2 && vowel_before && after >= 3 && is_letter(prev) &&
           is_letter(cur) && !is_vowel(cur) && is_letter(next) &&
           is_vowel(next);
}

/* The shortest word end a syllable break likes to leave for the next
 * line: five letters ("minen"), so that no line is a stub like "nen". */
#define TAIL_MIN 5

static int letters(const char *s, size_t a, size_t b)
{
    int n = 0;
    while (a < b) {
        uint32_t cp = 0;
        taulu_utf8_decode(s, b, &a, &cp);
        n += is_letter(cp);
    }
    return n;
}

/* A web or mail address: never hyphenated at syllables (a hyphen would
 * change it); it may break after / . @ instead. Judged from [a, b) only
 * (a line may start inside the word, and a line depends only on where it
 * starts): "@", "://", "www." or a full stop between two letters
 * ("example.fi"). */
static bool is_address(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        if (s[i] == '@' || (s[i] == ':' && i + 2 < b && s[i + 1] == '/') ||
            (i + 4 <= b && memcmp(s + i, "www.", 4) == 0)) {
            return true;
        }
        if (s[i] == '.' && i > a && i + 1 < b &&
            is_letter((unsigned char)s[i - 1]) &&
            is_letter((unsigned char)s[i + 1])) {
            return true;
        }
    }
    return false;
}

/* The word at [pos, wend) is wider than the line. Finds where to break it
 * (see linebreak.h): *end the line's end, *next where the next line starts,
 * *flags how. Always makes progress. */
static void break_word(struct lb *lb, size_t pos, size_t wend, size_t *end,
                       size_t *next, int *width, unsigned *flags)
{
    const char *s = lb->s;
    bool address = is_address(s, pos, wend);
    size_t best = pos, best_next = pos;
    unsigned best_flags = 0;
    int best_w = 0, w = 0;
    /* 1. the text's own breaks: soft hyphens, the word's hyphens and
     * dashes, an address's / . @ */
    uint32_t prev = 0;
    size_t q = pos;
    while (q < wend) {
        size_t at = q;
        uint32_t cp = 0;
        taulu_utf8_decode(s, wend, &q, &cp);
        size_t e = 0, n = 0;
        unsigned f = 0;
        if (cp == SHY && at > pos && q < wend) {
            e = at;
            n = q;
            f = RENDER_LINE_HYPHEN;
        } else if ((cp == '-' || cp == 0x2013) && is_letter(prev) && q < wend) {
            e = n = q;
            f = RENDER_LINE_WORD_BREAK;
        } else if (address && q < wend &&
                   (cp == '/' || cp == '.' || cp == '@' || cp == '?' ||
                    cp == '&' || cp == '=' || cp == '_')) {
            e = n = q;
            f = RENDER_LINE_WORD_BREAK;
        }
        if (cp != SHY) {
            prev = cp;
        }
        if (e > pos && fits(lb, pos, e, f & RENDER_LINE_HYPHEN, &w)) {
            best = e;
            best_next = n;
            best_flags = f;
            best_w = w;
        }
    }
    if (best > pos) {
        goto done;
    }
    /* 2. a syllable: the last one that fits and leaves the next line at
     * least TAIL_MIN letters ("tapaa-minen", not "tapaami-nen"), or else
     * the last one that fits */
    bool numeric = s[pos] >= '0' && s[pos] <= '9';
    if (!address && !numeric) {
        size_t tail_best = pos;
        int tail_w = 0;
        q = pos;
        while (q < wend) {
            uint32_t cp = 0;
            taulu_utf8_decode(s, wend, &q, &cp);
            if (q < wend && render_syllable_break_ok(s, pos, wend, q)) {
                if (!fits(lb, pos, q, true, &w)) {
                    break;
                }
                best = best_next = q;
                best_flags = RENDER_LINE_HYPHEN | RENDER_LINE_SYLLABLE;
                best_w = w;
                if (letters(s, q, wend) >= TAIL_MIN) {
                    tail_best = q;
                    tail_w = w;
                }
            }
        }
        if (tail_best > pos) {
            best = best_next = tail_best;
            best_w = tail_w;
        }
    }
    if (best > pos) {
        goto done;
    }
    /* 3. not even a syllable fits: as many code points as fit, with a
     * hyphen; a single code point wider than the line is set alone */
    q = pos;
    while (q < wend) {
        uint32_t cp = 0;
        taulu_utf8_decode(s, wend, &q, &cp);
        if (q >= wend) {
            break;
        }
        if (!fits(lb, pos, q, true, &w)) {
            break;
        }
        best = best_next = q;
        best_flags = RENDER_LINE_HYPHEN | RENDER_LINE_CUT_WORD;
        best_w = w;
    }
    if (best == pos) {
        q = pos;
        uint32_t cp = 0;
        do {
            taulu_utf8_decode(s, wend, &q, &cp);
        } while (cp == SHY && q < wend);
        best = best_next = q;
        best_flags = RENDER_LINE_CUT_WORD;
        best_w = measure(lb, pos, q, false);
        if (q < wend && fits(lb, pos, q, true, &w)) {
            best_flags |= RENDER_LINE_HYPHEN;
            best_w = w;
        }
    }
done:
    *end = best;
    *next = best_next;
    *width = best_w;
    *flags = best_flags;
}

/* One line of the segment [pos, seg_end) (pos at a word, seg_end
 * trimmed): its end, the next line's start inside the segment (or
 * seg_end), width and flags. */
static void break_one(struct lb *lb, size_t pos, size_t seg_end, size_t *end,
                      size_t *next, int *width, unsigned *flags)
{
    const char *s = lb->s;
    *flags = 0;
    if (fits(lb, pos, seg_end, false, width)) {
        *end = *next = seg_end;
        return;
    }
    /* Walk the break opportunities while the line still fits. */
    struct word a, b;
    size_t wend = word_end(s, pos, seg_end);
    size_t before_a = pos; /* end of the word before a (pos: none) */
    make_word(s, pos, wend, &a);
    size_t best_end[4 + 1] = {0}, best_next[4 + 1] = {0};
    int best_w[4 + 1] = {0};
    bool have[4 + 1] = {false}, best_sep[4 + 1] = {false};
    /* index 0: forbidden, 1..4: PRIO_SPACE..PRIO_SENTENCE */
    while (wend < seg_end) {
        int w = 0;
        if (!fits(lb, pos, wend, false, &w)) {
            break;
        }
        size_t nx = skip_spaces(s, wend, seg_end);
        size_t nend = word_end(s, nx, seg_end);
        make_word(s, nx, nend, &b);
        enum prio pr = break_prio(s, lb->p->lang, &a, &b);
        int slot = (int)pr + 1;
        bool sep = a.sep && before_a > pos;
        if (b.sep && !a.sep) {
            /* before a separator (forbidden, taken only if nothing else
             * is): the separator goes with the break, not to the next
             * line's start */
            best_end[slot] = wend;
            best_next[slot] = skip_spaces(s, nend, seg_end);
            best_w[slot] = w;
            best_sep[slot] = true;
            have[slot] = best_next[slot] < seg_end;
        } else if (!a.sep || sep) {
            best_end[slot] = sep ? before_a : wend;
            best_next[slot] = nx;
            best_w[slot] = sep ? measure(lb, pos, before_a, false) : w;
            best_sep[slot] = sep;
            have[slot] = true;
        }
        if (!a.sep) {
            before_a = wend;
        }
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
        /* the first word alone is wider than the line */
        break_word(lb, pos, word_end(s, pos, seg_end), end, next, width, flags);
        if (*next < seg_end && is_space_cp((unsigned char)s[*next])) {
            *next = skip_spaces(s, *next, seg_end);
        }
        return;
    }
    *end = best_end[pick];
    *next = best_next[pick];
    *width = best_w[pick];
    *flags = best_sep[pick] ? RENDER_LINE_SEP : 0;
}

static bool is_ws_byte(char c)
{
    return is_blank_byte(c) || c == '\n';
}

/* Does the line [a, e) end a sentence? Its last word decides. */
static bool line_ends_sentence(const char *s, size_t a, size_t e)
{
    size_t w = e;
    while (w > a && !is_blank_byte(s[w - 1])) {
        w--;
    }
    struct word last;
    make_word(s, w, e, &last);
    return ends_sentence(s, &last);
}

static int next_line(struct lb *lb, size_t pos, struct render_line *out,
                     size_t *next)
{
    const char *s = lb->s;
    size_t len = lb->len;
    /* a line starts at text: blanks and blank lines are skipped */
    while (pos < len && is_ws_byte(s[pos])) {
        pos++;
    }
    if (pos >= len) {
        *next = len;
        return 0;
    }
    const char *nl = memchr(s + pos, '\n', len - pos);
    size_t seg_end = nl ? (size_t)(nl - s) : len;
    size_t seg = trim_right(s, pos, seg_end);
    size_t end = pos, nx = pos;
    int width = 0;
    unsigned flags = 0;
    break_one(lb, pos, seg, &end, &nx, &width, &flags);
    if (nx >= seg) {
        /* the segment is done: one "\n" is a line break, two or more (or
         * the end of the text) a paragraph */
        size_t q = seg_end;
        bool para = !nl;
        if (nl) {
            flags |= RENDER_LINE_HARD;
            q++;
        }
        while (q < len && is_ws_byte(s[q])) {
            para = para || s[q] == '\n';
            q++;
        }
        if (q >= len) {
            para = true;
        }
        if (para) {
            flags |= RENDER_LINE_PARA_END;
        }
        nx = q;
    }
    if (!(flags & (RENDER_LINE_IN_WORD | RENDER_LINE_SEP)) &&
        line_ends_sentence(s, pos, end)) {
        flags |= RENDER_LINE_SENTENCE;
    }
    out->start = pos;
    out->end = end;
    out->width = width;
    out->chars = count_cps(s, pos, end) + ((flags & RENDER_LINE_HYPHEN) != 0);
    out->flags = flags;
    *next = nx;
    return 1;
}

size_t render_lb_sentence_end(const char *text, size_t start, size_t end)
{
    size_t best = start, pos = skip_spaces(text, start, end);
    while (pos < end) {
        size_t wend = word_end(text, pos, end);
        size_t next = skip_spaces(text, wend, end);
        if (next >= end) {
            break; /* the last word: the line's own end */
        }
        struct word w;
        make_word(text, pos, wend, &w);
        if (ends_sentence(text, &w)) {
            best = wend;
        }
        pos = next;
    }
    return best;
}

static void lb_init(struct lb *lb, const char *text, size_t len,
                    const struct render_lb_params *p)
{
    lb->s = text;
    lb->len = len;
    lb->p = p;
    lb->max_chars =
        p->max_chars > 0 ? p->max_chars : render_lb_lang_chars(p->lang);
    if (lb->max_chars > RENDER_LINE_CHARS_MAX) {
        lb->max_chars = RENDER_LINE_CHARS_MAX;
    }
}

static bool params_ok(const struct render_lb_params *p)
{
    return p && p->measure && p->max_width > 0;
}

int render_lb_line(const char *text, size_t len, size_t pos,
                   const struct render_lb_params *p, struct render_line *line,
                   size_t *next)
{
    if (!params_ok(p) || !line || !next || (len > 0 && !text) || pos > len) {
        return TAULU_EINVAL;
    }
    struct lb lb;
    lb_init(&lb, text, len, p);
    return next_line(&lb, pos, line, next);
}

int render_linebreak(const char *text, size_t len,
                     const struct render_lb_params *p,
                     struct render_line *lines, size_t cap,
                     struct render_lb_result *result)
{
    if (!params_ok(p) || !result || (cap > 0 && !lines) || (len > 0 && !text)) {
        return TAULU_EINVAL;
    }
    result->n = 0;
    result->fit = true;
    result->complete = true;
    if (!taulu_utf8_valid(text, len)) {
        return TAULU_EUTF8;
    }
    struct lb lb;
    lb_init(&lb, text, len, p);
    size_t pos = 0, total = 0;
    struct render_line line;
    while (next_line(&lb, pos, &line, &pos) > 0) {
        if (total < cap) {
            lines[total] = line;
        }
        total++;
    }
    result->n = total < cap ? total : cap;
    result->complete = total <= cap;
    result->fit = p->max_lines <= 0 || total <= (size_t)p->max_lines;
    return TAULU_OK;
}
