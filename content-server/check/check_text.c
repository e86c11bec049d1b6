/*
 * check_text.c: characters, words and sentences of a field, in plain C.
 *
 * Why our own segmenter and not Voikko's voikkoNextTokenCstr /
 * voikkoNextSentenceStartCstr: the spans must be the same whether the
 * dictionary is loaded or not (the fallback runs every rule that needs no
 * morphology), the same code serves Swedish and English, and Voikko's
 * sentence splitter reports a "possible" break after every abbreviation
 * ("esim. Oulussa") and date ("ti 24.11. klo 17"), which we would have to
 * second-guess anyway. So Voikko is used for what only it can do, the
 * analysis of single words.
 *
 * The text is valid UTF-8 (checked by the content rules first). Every token
 * carries byte and code point offsets, so spans are exact for ä ö å – ….
 */
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "taulu_err.h"
#include "taulu_utf8.h"

int check_cp_is_upper(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z') {
        return 1;
    }
    if (cp < 0xC0) {
        return 0;
    }
    if (cp <= 0xDE) {
        return cp != 0xD7;
    }
    if (cp >= 0x100 && cp <= 0x137) {
        return (cp & 1) == 0;
    }
    if (cp >= 0x139 && cp <= 0x148) {
        return (cp & 1) == 1;
    }
    if (cp >= 0x14A && cp <= 0x177) {
        return (cp & 1) == 0;
    }
    if (cp == 0x178) {
        return 1;
    }
    if (cp >= 0x179 && cp <= 0x17E) {
        return (cp & 1) == 1;
    }
    if (cp >= 0x391 && cp <= 0x3A9) {
        return cp != 0x3A2;
    }
    if (cp >= 0x400 && cp <= 0x42F) {
        return 1;
    }
    if (cp >= 0x1E00 && cp <= 0x1EFF) {
        return (cp & 1) == 0 && (cp <= 0x1E94 || cp >= 0x1EA0);
    }
    return 0;
}

int check_cp_is_lower(uint32_t cp)
{
    if (cp >= 'a' && cp <= 'z') {
        return 1;
    }
    if (cp == 0xB5) {
        return 1;
    }
    if (cp >= 0xDF && cp <= 0xFF) {
        return cp != 0xF7;
    }
    if (cp >= 0x100 && cp <= 0x17F) {
        return !check_cp_is_upper(cp);
    }
    if (cp >= 0x3AC && cp <= 0x3CE) {
        return 1;
    }
    if (cp >= 0x430 && cp <= 0x45F) {
        return 1;
    }
    if (cp >= 0x1E00 && cp <= 0x1EFF) {
        return !check_cp_is_upper(cp);
    }
    return 0;
}

uint32_t check_cp_to_lower(uint32_t cp)
{
    if (!check_cp_is_upper(cp)) {
        return cp;
    }
    if (cp <= 'Z') {
        return cp + 32;
    }
    if (cp <= 0xDE) {
        return cp + 32;
    }
    if (cp == 0x130) {
        return 'i';
    }
    if (cp == 0x178) {
        return 0xFF;
    }
    if (cp < 0x17F || (cp >= 0x1E00 && cp <= 0x1EFF)) {
        return cp + 1;
    }
    if (cp >= 0x391 && cp <= 0x3A9) {
        return cp + 32;
    }
    if (cp >= 0x410 && cp <= 0x42F) {
        return cp + 32;
    }
    if (cp >= 0x400 && cp <= 0x40F) {
        return cp + 80;
    }
    return cp;
}

int check_cp_is_letter(uint32_t cp)
{
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
        return 1;
    }
    if (cp < 0xC0) {
        return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
    }
    if (cp <= 0x2AF) {
        return cp != 0xD7 && cp != 0xF7;
    }
    if (cp >= 0x386 && cp <= 0x3FF) {
        return cp != 0x387;
    }
    if (cp >= 0x400 && cp <= 0x52F) {
        return cp < 0x482 || cp > 0x489;
    }
    if ((cp >= 0x531 && cp <= 0x587) || (cp >= 0x5D0 && cp <= 0x5EA)) {
        return 1;
    }
    if ((cp >= 0x620 && cp <= 0x64A) || (cp >= 0x66E && cp <= 0x6D3)) {
        return 1;
    }
    if (cp >= 0x1E00 && cp <= 0x1EFF) {
        return 1;
    }
    if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3)) {
        return 1;
    }
    return 0;
}

/* Combining marks (a decomposed "ä" is a + U+0308) and the soft hyphen
 * belong to the word they are in but are not letters of their own. */
static int is_word_mark(uint32_t cp)
{
    return (cp >= 0x300 && cp <= 0x36F) || cp == 0xAD ||
           (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x20D0 && cp <= 0x20FF);
}

static int is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\f' || cp == '\v' ||
           cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

static int is_digit(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

/* Characters that join two letter runs into one word: hyphens (sote-keskus),
 * apostrophes (Becky'n) and the colon of inflected abbreviations (EU:n). */
static int is_joiner(uint32_t cp)
{
    return cp == '-' || cp == 0x2010 || cp == 0x2011 || cp == '\'' ||
           cp == 0x2019 || cp == ':';
}

int check_utf8_lower(const char *s, size_t len, char *out, size_t outsz)
{
    size_t pos = 0, n = 0;

    while (pos < len) {
        uint32_t cp;
        char enc[4];
        size_t k;

        taulu_utf8_decode(s, len, &pos, &cp);
        k = taulu_utf8_encode(check_cp_to_lower(cp), enc);
        if (n + k + 1 > outsz) {
            return -1;
        }
        memcpy(out + n, enc, k);
        n += k;
    }
    if (n + 1 > outsz) {
        return -1;
    }
    out[n] = '\0';
    return (int)n;
}

size_t check_cp_offset(const char *s, size_t b0, size_t c0, size_t b)
{
    size_t i;

    for (i = b0; i < b; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            c0++;
        }
    }
    return c0;
}

void check_text_init(struct check_text *t)
{
    memset(t, 0, sizeof(*t));
}

void check_text_release(struct check_text *t)
{
    free(t->tok);
    free(t->sent);
    check_text_init(t);
}

static struct check_token *push_token(struct check_text *t)
{
    if (t->ntok == t->captok) {
        size_t cap = t->captok ? t->captok * 2 : 64;
        struct check_token *p = realloc(t->tok, cap * sizeof(*p));

        if (!p) {
            return NULL;
        }
        t->tok = p;
        t->captok = cap;
    }
    memset(&t->tok[t->ntok], 0, sizeof(t->tok[0]));
    t->tok[t->ntok].morph = -1;
    return &t->tok[t->ntok++];
}

/* A decoding cursor over the field. */
struct cursor {
    const char *s;
    size_t len;
    size_t pos; /* byte */
    size_t cp;  /* code point index of pos */
};

static uint32_t peek(const struct cursor *c, size_t *next)
{
    size_t p = c->pos;
    uint32_t cp = 0;

    if (p >= c->len) {
        *next = p;
        return 0;
    }
    taulu_utf8_decode(c->s, c->len, &p, &cp);
    *next = p;
    return cp;
}

/* The code point after the one at the cursor (0 at the end). */
static uint32_t peek2(const struct cursor *c)
{
    size_t p;
    uint32_t cp;

    peek(c, &p);
    if (p >= c->len) {
        return 0;
    }
    taulu_utf8_decode(c->s, c->len, &p, &cp);
    return cp;
}

static void advance(struct cursor *c, size_t next)
{
    c->pos = next;
    c->cp++;
}

static void scan_word(struct cursor *c, struct check_token *tk)
{
    size_t next;
    uint32_t cp;
    int all_upper = 1;

    tk->type = CHECK_TOK_WORD;
    for (;;) {
        cp = peek(c, &next);
        if (c->pos >= c->len) {
            break;
        }
        if (check_cp_is_letter(cp)) {
            if (tk->letters == 0 && check_cp_is_upper(cp)) {
                tk->flags |= CHECK_TOK_UPPER_INITIAL;
            }
            if (!check_cp_is_upper(cp)) {
                all_upper = 0;
            }
            tk->letters++;
            advance(c, next);
        } else if (is_word_mark(cp)) {
            advance(c, next);
        } else if (is_joiner(cp) && check_cp_is_letter(peek2(c)) &&
                   (cp != ':' || all_upper)) {
            /* a colon joins only after an acronym: "EU:n", "THL:ssä";
             * "javascript:alert" is two words */
            if (cp != ':' && cp != '\'' && cp != 0x2019) {
                tk->flags |= CHECK_TOK_HAS_HYPHEN;
            }
            advance(c, next);
        } else {
            break;
        }
    }
    if (all_upper && tk->letters > 0) {
        tk->flags |= CHECK_TOK_ALL_UPPER;
    }
}

/* Exactly three digits at byte p, then no further digit. */
static int three_digits_at(const char *s, size_t len, size_t p)
{
    return p + 3 <= len && s[p] >= '0' && s[p] <= '9' && s[p + 1] >= '0' &&
           s[p + 1] <= '9' && s[p + 2] >= '0' && s[p + 2] <= '9' &&
           (p + 3 == len || s[p + 3] < '0' || s[p + 3] > '9');
}

static void scan_number(struct cursor *c, struct check_token *tk)
{
    size_t next;
    uint32_t cp;
    unsigned group = 0;
    int plain = 1; /* only digits so far: may take 10 000 groups */

    tk->type = CHECK_TOK_NUMBER;
    for (;;) {
        cp = peek(c, &next);
        if (c->pos >= c->len) {
            break;
        }
        if (is_digit(cp)) {
            tk->letters++;
            group++;
            advance(c, next);
        } else if ((cp == '.' || cp == ',' || cp == ':' || cp == '/') &&
                   is_digit(peek2(c))) {
            plain = 0;
            advance(c, next);
        } else if (plain && (cp == ' ' || cp == 0xA0 || cp == 0x202F) &&
                   group <= 3 && tk->letters == group && c->s[tk->b0] != '0' &&
                   three_digits_at(c->s, c->len, next)) {
            /* "10 000": one number written in groups of three */
            tk->flags |= CHECK_TOK_DIGIT_SEP;
            advance(c, next);
            group = 0;
            while (group < 3) {
                peek(c, &next);
                advance(c, next);
                group++;
                tk->letters++;
            }
            group = 0;
        } else {
            break;
        }
    }
}

static int is_terminal(uint32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 ||
           cp == 0x203C || cp == 0x2047;
}

static int is_closing(uint32_t cp)
{
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x201D ||
           cp == 0x2019 || cp == 0xBB;
}

static int is_bullet(uint32_t cp)
{
    return cp == '-' || cp == 0x2013 || cp == 0x2014 || cp == 0x2022 ||
           cp == '*' || cp == 0xB7 || cp == 0x25AA || cp == 0x25CF;
}

/* Abbreviations after which a full stop does not end a sentence (any
 * language: they do no harm elsewhere). ASCII, lower case. */
static const char *const nonfinal_abbrev[] = {
    "esim.", "ns.",  "mm.",  "ks.",  "n.",    "vrt.",    "puh.", "p.",
    "os.",   "klo.", "ko.",  "ts.",  "t.ex.", "bl.a.",   "s.k.", "ca.",
    "kl.",   "tel.", "dvs.", "e.g.", "i.e.",  "approx.", "tel.", "no.",
    "mr.",   "mrs.", "dr.",  "st.",  "prof.", NULL,
};

static int ascii_lower(int ch)
{
    return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
}

/* 1 if the text just before byte `end` (exclusive) is one of the
 * non-final abbreviations, starting at a word boundary. */
static int ends_nonfinal_abbrev(const char *s, size_t end)
{
    const char *const *a;

    for (a = nonfinal_abbrev; *a; a++) {
        size_t n = strlen(*a), i;

        if (n > end) {
            continue;
        }
        for (i = 0; i < n; i++) {
            if (ascii_lower((unsigned char)s[end - n + i]) != (*a)[i]) {
                break;
            }
        }
        if (i < n) {
            continue;
        }
        if (end == n) {
            return 1;
        }
        {
            unsigned char before = (unsigned char)s[end - n - 1];

            if (!(before >= 'a' && before <= 'z') &&
                !(before >= 'A' && before <= 'Z') && before < 0x80) {
                return 1;
            }
        }
    }
    return 0;
}

static int tokenize(struct check_text *t)
{
    struct cursor c = {t->s, t->len, 0, 0};
    int space_before = 1;

    while (c.pos < c.len) {
        size_t next;
        uint32_t cp = peek(&c, &next);
        struct check_token *tk;

        if (cp == '\n') {
            unsigned lines = 0;
            size_t b0 = c.pos, c0 = c.cp;

            /* a run of line breaks with only blanks between them */
            for (;;) {
                cp = peek(&c, &next);
                if (c.pos >= c.len) {
                    break;
                }
                if (cp == '\n') {
                    lines++;
                } else if (!is_space(cp)) {
                    break;
                }
                advance(&c, next);
            }
            tk = push_token(t);
            if (!tk) {
                return TAULU_ENOMEM;
            }
            tk->type = CHECK_TOK_NEWLINE;
            tk->cp = lines;
            tk->b0 = b0;
            tk->c0 = c0;
            tk->b1 = c.pos;
            tk->c1 = c.cp;
            space_before = 1;
            continue;
        }
        if (is_space(cp)) {
            advance(&c, next);
            space_before = 1;
            continue;
        }
        tk = push_token(t);
        if (!tk) {
            return TAULU_ENOMEM;
        }
        tk->b0 = c.pos;
        tk->c0 = c.cp;
        if (space_before) {
            tk->flags |= CHECK_TOK_SPACE_BEFORE;
        }
        if (check_cp_is_letter(cp)) {
            scan_word(&c, tk);
        } else if (is_digit(cp)) {
            scan_number(&c, tk);
        } else {
            tk->type = CHECK_TOK_PUNCT;
            tk->cp = cp;
            advance(&c, next);
        }
        tk->b1 = c.pos;
        tk->c1 = c.cp;
        space_before = 0;
    }
    return 0;
}

static int push_sentence(struct check_text *t, size_t t0, size_t t1,
                         unsigned para)
{
    struct check_sentence *se;
    size_t i;
    unsigned words = 0;

    /* the span starts at the first token that is not a list bullet */
    while (t0 < t1 && t->tok[t0].type == CHECK_TOK_PUNCT &&
           is_bullet(t->tok[t0].cp)) {
        t0++;
    }
    for (i = t0; i < t1; i++) {
        if (t->tok[i].type == CHECK_TOK_WORD ||
            t->tok[i].type == CHECK_TOK_NUMBER) {
            words++;
        }
    }
    if (words == 0) {
        return 0;
    }
    if (t->nsent == t->capsent) {
        size_t cap = t->capsent ? t->capsent * 2 : 16;
        struct check_sentence *p = realloc(t->sent, cap * sizeof(*p));

        if (!p) {
            return TAULU_ENOMEM;
        }
        t->sent = p;
        t->capsent = cap;
    }
    se = &t->sent[t->nsent++];
    se->t0 = t0;
    se->t1 = t1;
    se->b0 = t->tok[t0].b0;
    se->c0 = t->tok[t0].c0;
    se->b1 = t->tok[t1 - 1].b1;
    se->c1 = t->tok[t1 - 1].c1;
    se->words = words;
    se->para = para;
    return 0;
}

static int starts_lower(const struct check_text *t,
                        const struct check_token *tk)
{
    size_t p = tk->b0;
    uint32_t cp;

    if (tk->type != CHECK_TOK_WORD) {
        return 0;
    }
    taulu_utf8_decode(t->s, t->len, &p, &cp);
    return check_cp_is_lower(cp);
}

/* Is there a sentence break after the terminal punctuation run ending at
 * token j (inclusive) that started at token i? */
static int breaks_after(const struct check_text *t, size_t i, size_t j)
{
    const struct check_token *k = j + 1 < t->ntok ? &t->tok[j + 1] : NULL;

    if (t->tok[i].cp != '.') {
        return 1; /* ! ? … always end a sentence */
    }
    if (!k || k->type == CHECK_TOK_NEWLINE) {
        return 1;
    }
    if (!(k->flags & CHECK_TOK_SPACE_BEFORE)) {
        return 0; /* "t.ex", "www.pohde.fi" */
    }
    if (i > 0 && t->tok[i - 1].type == CHECK_TOK_WORD &&
        ends_nonfinal_abbrev(t->s, t->tok[i].b1)) {
        return 0; /* "esim. Oulussa" */
    }
    if (starts_lower(t, k)) {
        return 0; /* "ti 24.11. klo 17", "jne. ja" */
    }
    if (k->type == CHECK_TOK_NUMBER && i > 0 &&
        t->tok[i - 1].type == CHECK_TOK_NUMBER) {
        return 0; /* "24.11. 2025" */
    }
    return 1;
}

static int split_sentences(struct check_text *t)
{
    size_t i = 0, start = 0;
    unsigned para = 0;
    int err;

    while (i < t->ntok) {
        const struct check_token *tk = &t->tok[i];

        if (tk->type == CHECK_TOK_NEWLINE) {
            int brk = tk->cp >= 2 || i + 1 >= t->ntok ||
                      !starts_lower(t, &t->tok[i + 1]);

            if (brk) {
                if ((err = push_sentence(t, start, i, para)) < 0) {
                    return err;
                }
                start = i + 1;
            }
            if (tk->cp >= 2) {
                para++; /* a blank line: a new paragraph */
            }
            i++;
            continue;
        }
        if (tk->type == CHECK_TOK_PUNCT && is_terminal(tk->cp)) {
            size_t j = i;

            while (j + 1 < t->ntok && t->tok[j + 1].type == CHECK_TOK_PUNCT &&
                   !(t->tok[j + 1].flags & CHECK_TOK_SPACE_BEFORE) &&
                   (is_terminal(t->tok[j + 1].cp) ||
                    is_closing(t->tok[j + 1].cp))) {
                j++;
            }
            if (breaks_after(t, i, j)) {
                if ((err = push_sentence(t, start, j + 1, para)) < 0) {
                    return err;
                }
                start = j + 1;
            }
            i = j + 1;
            continue;
        }
        i++;
    }
    return push_sentence(t, start, t->ntok, para);
}

int check_text_parse(struct check_text *t, const char *s, size_t len)
{
    int err;

    t->s = s;
    t->len = len;
    t->ntok = 0;
    t->nsent = 0;
    if ((err = tokenize(t)) < 0) {
        return err;
    }
    return split_sentences(t);
}

void check_tok_lower(const struct check_text *t, size_t i, char *buf, size_t sz)
{
    const struct check_token *tk = &t->tok[i];

    if (check_utf8_lower(t->s + tk->b0, tk->b1 - tk->b0, buf, sz) < 0) {
        buf[0] = '\0';
    }
}
