/*
 * check_lang.c: the plain-language rules for Finnish, Swedish and English.
 *
 * Works on the tokens and sentences of check_text.c and, for Finnish, on
 * the analyses of check_morph.h. Rules that need base forms (Wiio, passive,
 * participial constructions, compound parts) run only with morphology;
 * everything else works on the written words, so the fallback without the
 * dictionary keeps sentence length, long words, abbreviations, numbers,
 * capitals, negations and subordinate clauses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "taulu_err.h"
#include "taulu_utf8.h"

#define WORD_BUF 128

char check_lang_family(const char *lang)
{
    char primary[8];
    size_t i;

    if (!lang) {
        return 0;
    }
    for (i = 0;
         i < sizeof(primary) - 1 && lang[i] && lang[i] != '-' && lang[i] != '_';
         i++) {
        char ch = lang[i];

        primary[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    primary[i] = '\0';
    if (lang[i] && lang[i] != '-' && lang[i] != '_') {
        return 0;
    }
    if (strcmp(primary, "fi") == 0 || strcmp(primary, "fin") == 0) {
        return 'f';
    }
    if (strcmp(primary, "sv") == 0 || strcmp(primary, "swe") == 0) {
        return 's';
    }
    if (strcmp(primary, "en") == 0 || strcmp(primary, "eng") == 0) {
        return 'e';
    }
    return 0;
}

static int in_list(const char *w, const char *const *list)
{
    for (; *list; list++) {
        if (strcmp(w, *list) == 0) {
            return 1;
        }
    }
    return 0;
}

/* ---- word lists --------------------------------------------------- */

/* The negative verb in every person, the imperative "älä", and the
 * contractions of a conjunction with "ei". A closed class: matching the
 * written form is exact and needs no dictionary. */
static const char *const fi_negations[] = {
    "en",      "et",       "ei",     "emme",   "ette",   "eivät",  "älä",
    "älkää",   "älköön",   "enkä",   "etkä",   "eikä",   "emmekä", "ettekä",
    "eivätkä", "eihän",    "eipä",   "ettei",  "etten",  "ettet",  "ettemme",
    "ettette", "etteivät", "jottei", "jollei", "jollen", "mutten", "muttei",
    "vaikkei", "kunnei",   "koskei", NULL,
};

/* Conjunctions that always start a subordinate clause. */
static const char *const fi_subordinators[] = {
    "että",   "kun",     "jos",     "koska",   "vaikka",   "jotta",  "ettei",
    "etten",  "ettet",   "ettemme", "ettette", "etteivät", "jottei", "jollei",
    "jollen", "vaikkei", "koskei",  "kunnei",  NULL,
};

/* Relative pronouns joka and mikä in their forms: a clause when they follow
 * a comma (Finnish always puts one there). Without a comma "joka" is
 * usually "every" (joka tiistai) and "mikä" starts a question. */
static const char *const fi_relatives[] = {
    "joka",   "jonka",  "jota",   "jossa",  "josta",  "johon",
    "jolla",  "jolta",  "jolle",  "jona",   "joksi",  "jotka",
    "joiden", "joita",  "joissa", "joista", "joihin", "joilla",
    "joilta", "joille", "joina",  "joiksi", "mikä",   "minkä",
    "mitä",   "missä",  "mistä",  "mihin",  "millä",  "miltä",
    "mille",  "minä",   "miksi",  "mitkä",  "joita",  NULL,
};

static const char *const sv_negations[] = {
    "inte", "ej",        "icke",       "aldrig", "ingen", "inget",
    "inga", "ingenting", "ingenstans", "varken", NULL,
};

static const char *const sv_subordinators[] = {
    "att", "som", "när", "eftersom", "medan", "innan", "där", "ifall", NULL,
};

static const char *const sv_pronouns[] = {
    "du",  "ni",  "vi",  "jag",   "han",   "hon", "de",
    "den", "det", "man", "någon", "något", NULL,
};

/* Swedish verbs in -s that are not passive (deponents, reciprocals) and
 * common words that merely end like a passive. */
static const char *const sv_not_passive[] = {
    "finns",   "fanns",     "funnits",  "hoppas",   "hoppades", "minns",
    "mindes",  "känns",     "kändes",   "syns",     "syntes",   "trivs",
    "trivdes", "lyckas",    "lyckades", "lyckats",  "andas",    "låtsas",
    "umgås",   "slåss",     "vistas",   "åldras",   "svettas",  "brottas",
    "träffas", "träffades", "ses",      "möts",     "samlas",   "samlades",
    "kramas",  "pratas",    "hörs",     "märks",    "fattas",   "plats",
    "kurs",    "hus",       "buss",     "glas",     "gas",      "bas",
    "mus",     "ris",       "pris",     "ros",      "kaos",     "atlas",
    "tips",    "kompass",   "status",   "campus",   "bonus",    "virus",
    "fokus",   "minus",     "plus",     "ananas",   "ingas",    "alls",
    "redas",   "fritids",   "dags",     "bredvids", "tvärs",    "annars",
    "hellres", "kvartals",  "mitts",    "ts",       "efteråt",  NULL,
};

/* All-capital words that are names, not shouting. */
static const char *const caps_allowed[] = {
    "ADHD",   "COVID",  "EKSOTE", "KELA",       "LGBT",  "LGBTI", "LGBTIQ",
    "LGBTQ",  "MIELI",  "NATO",   "POHDE",      "SOSTE", "SOTE",  "STEA",
    "UNICEF", "UNESCO", "YTHS",   "FOLKHÄLSAN", NULL,
};

static const char *const phone_words[] = {
    "puh",   "puhelin", "puhelinnumero", "p",    "tel", "telefon",
    "gsm",   "phone",   "numero",        "nro",  "tfn", "mob",
    "mobil", "soita",   "ring",          "call", NULL,
};

static const char *const roman_allowed[] = {
    "CV", "XL", "XXL", "XXXL", "CC", "CI", NULL,
};

/* ---- abbreviations ------------------------------------------------ */

#define AB_PLAIN   0x01u /* only in plain-language mode */
#define AB_WEEKDAY 0x02u /* a weekday: its own message */
#define AB_DOT_OPT 0x04u /* also without the full stop; a stop is included */

struct abbrev {
    char lang;            /* 'f', 's', 'e' */
    const char *text;     /* lower case; ' ' matches one space */
    const char *expanded; /* the written-out form */
    unsigned flags;
};

static const struct abbrev abbrevs[] = {
    {'f', "esim", "esimerkiksi", AB_DOT_OPT},
    {'f', "ns.", "niin sanottu", 0},
    {'f', "mm.", "muun muassa", 0},
    {'f', "yms", "ja muuta sellaista", AB_DOT_OPT},
    {'f', "ym.", "ja muuta", 0},
    {'f', "jne", "ja niin edelleen", AB_DOT_OPT},
    {'f', "tms", "tai muuta sellaista", AB_DOT_OPT},
    {'f', "ks.", "katso", 0},
    {'f', "n.", "noin", 0},
    {'f', "vrt.", "vertaa", 0},
    {'f', "ts.", "toisin sanoen", 0},
    {'f', "ko.", "kyseinen", 0},
    {'f', "kpl", "kappaletta", AB_DOT_OPT},
    {'f', "pvm", "päivämäärä", AB_DOT_OPT},
    {'f', "os.", "osoite", 0},
    {'f', "klo", "kello", AB_PLAIN | AB_DOT_OPT},
    {'f', "puh", "puhelin", AB_PLAIN | AB_DOT_OPT},
    {'f', "ma", "maanantaina", AB_PLAIN | AB_WEEKDAY | AB_DOT_OPT},
    {'f', "ti", "tiistaina", AB_PLAIN | AB_WEEKDAY | AB_DOT_OPT},
    {'f', "ke", "keskiviikkona", AB_PLAIN | AB_WEEKDAY | AB_DOT_OPT},
    {'f', "to", "torstaina", AB_PLAIN | AB_WEEKDAY | AB_DOT_OPT},
    {'f', "pe", "perjantaina", AB_PLAIN | AB_WEEKDAY | AB_DOT_OPT},
    {'f', "la", "lauantaina", AB_PLAIN | AB_WEEKDAY | AB_DOT_OPT},
    {'f', "su", "sunnuntaina", AB_PLAIN | AB_WEEKDAY | AB_DOT_OPT},
    {'s', "t.ex.", "till exempel", 0},
    {'s', "t. ex.", "till exempel", 0},
    {'s', "bl.a.", "bland annat", 0},
    {'s', "bl. a.", "bland annat", 0},
    {'s', "m.m.", "med mera", 0},
    {'s', "s.k.", "så kallad", 0},
    {'s', "ca", "cirka", AB_DOT_OPT},
    {'s', "d.v.s.", "det vill säga", 0},
    {'s', "dvs", "det vill säga", AB_DOT_OPT},
    {'s', "o.s.v.", "och så vidare", 0},
    {'s', "osv", "och så vidare", AB_DOT_OPT},
    {'s', "resp.", "respektive", 0},
    {'s', "fr.o.m.", "från och med", 0},
    {'s', "t.o.m.", "till och med", 0},
    {'s', "kl", "klockan", AB_PLAIN | AB_DOT_OPT},
    {'s', "tel", "telefon", AB_PLAIN | AB_DOT_OPT},
    {'s', "mån", "måndag", AB_PLAIN | AB_WEEKDAY | AB_DOT_OPT},
    {'s', "tis", "tisdag", AB_PLAIN | AB_WEEKDAY | AB_DOT_OPT},
    {'s', "ons", "onsdag", AB_PLAIN | AB_WEEKDAY | AB_DOT_OPT},
    {'s', "tors", "torsdag", AB_PLAIN | AB_WEEKDAY | AB_DOT_OPT},
    {'s', "fre", "fredag", AB_PLAIN | AB_WEEKDAY | AB_DOT_OPT},
    {'s', "lör", "lördag", AB_PLAIN | AB_WEEKDAY | AB_DOT_OPT},
    {'s', "sön", "söndag", AB_PLAIN | AB_WEEKDAY | AB_DOT_OPT},
    {'e', "e.g.", "for example", 0},
    {'e', "i.e.", "that is", 0},
    {'e', "etc", "and so on", AB_DOT_OPT},
    {'e', "approx", "about", AB_DOT_OPT},
    {'e', "incl.", "including", 0},
};

static int is_alnum_cp(uint32_t cp)
{
    return check_cp_is_letter(cp) || (cp >= '0' && cp <= '9');
}

/* Matches pattern `pat` (lower case) at s[pos] ignoring case. Returns the
 * bytes matched (including an optional trailing full stop for AB_DOT_OPT),
 * or 0. The match must end at a word boundary. */
static size_t match_abbrev(const char *s, size_t len, size_t pos,
                           const struct abbrev *ab)
{
    const char *pat = ab->text;
    size_t plen = strlen(pat), pp = 0, p = pos;

    while (pp < plen) {
        uint32_t a, b;

        if (p >= len) {
            return 0;
        }
        taulu_utf8_decode(pat, plen, &pp, &a);
        taulu_utf8_decode(s, len, &p, &b);
        if (check_cp_to_lower(b) != a) {
            return 0;
        }
    }
    if (plen == 2 && pat[1] == '.' && (unsigned char)s[pos] >= 'A' &&
        (unsigned char)s[pos] <= 'Z') {
        return 0; /* "N. Virtanen" is an initial, not "n." (noin) */
    }
    if (p < len && pat[plen - 1] != '.') {
        size_t q = p;
        uint32_t next;

        taulu_utf8_decode(s, len, &q, &next);
        if (is_alnum_cp(next)) {
            return 0; /* "esimerkiksi" is not "esim" */
        }
        if (next == '.' && (ab->flags & AB_DOT_OPT)) {
            /* "esim." takes its stop along; "esim.fi" is no abbreviation */
            size_t r = q;
            uint32_t after = 0;

            if (r < len) {
                taulu_utf8_decode(s, len, &r, &after);
            }
            if (r > q && is_alnum_cp(after)) {
                return 0;
            }
            p = q;
        }
    }
    return p - pos;
}

/* ---- small helpers -------------------------------------------------- */

/* Lower-cased token text, or "" if it does not fit. */
static void tok_lower(const struct check_text *t, const struct check_token *tk,
                      char *buf, size_t sz)
{
    if (check_utf8_lower(t->s + tk->b0, tk->b1 - tk->b0, buf, sz) < 0) {
        buf[0] = '\0';
    }
}

static void tok_span(const struct check_token *a, const struct check_token *b,
                     struct check_span *sp)
{
    sp->byte_start = a->b0;
    sp->cp_start = a->c0;
    sp->byte_end = b->b1;
    sp->cp_end = b->c1;
}

/* A quoted copy of a piece of text for a message: at most `max` bytes, cut
 * at a character boundary, with "…" if cut. */
static void quote(const char *s, size_t len, char *out, size_t outsz)
{
    size_t n = len;

    if (n + 1 > outsz - 4) {
        n = outsz - 5;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    memcpy(out, s, n);
    if (n < len) {
        memcpy(out + n, "\xE2\x80\xA6", 3); /* … */
        n += 3;
    }
    out[n] = '\0';
}

static const struct check_token *prev_tok(const struct check_text *t, size_t i,
                                          size_t t0)
{
    return i > t0 ? &t->tok[i - 1] : NULL;
}

static int tok_is_punct(const struct check_token *tk, uint32_t cp)
{
    return tk && tk->type == CHECK_TOK_PUNCT && tk->cp == cp;
}

/* ---- syllables and Wiio ------------------------------------------- */

static int is_fi_vowel(uint32_t cp)
{
    return cp == 'a' || cp == 'e' || cp == 'i' || cp == 'o' || cp == 'u' ||
           cp == 'y' || cp == 0xE4 || cp == 0xF6 || cp == 0xE5;
}

/* Has the (lower-case) base form `syl` or more syllables? A word has at
 * most as many syllables as vowels and at least as many as vowel runs, so
 * the hyphenator is asked only when those bounds disagree. */
static int base_has_syllables(struct check_morph_handle *mh, const char *base,
                              unsigned syl)
{
    size_t len = strlen(base), pos = 0;
    unsigned vowels = 0, runs = 0;
    int in_run = 0, n;

    while (pos < len) {
        uint32_t cp;

        taulu_utf8_decode(base, len, &pos, &cp);
        if (is_fi_vowel(cp)) {
            vowels++;
            if (!in_run) {
                runs++;
            }
            in_run = 1;
        } else {
            in_run = 0;
        }
    }
    if (vowels < syl) {
        return 0;
    }
    if (runs >= syl) {
        return 1;
    }
    n = check_morph_syllables(mh, base, len);
    return n >= (int)syl;
}

/* ---- Finnish morphology predicates ------------------------------- */

static int is_finite_mood(unsigned mood)
{
    return mood == CHECK_MOOD_INDICATIVE || mood == CHECK_MOOD_CONDITIONAL ||
           mood == CHECK_MOOD_IMPERATIVE || mood == CHECK_MOOD_POTENTIAL;
}

/* Lauseenvastike: temporal (tultuaan, tehdessään), final (tehdäkseen) or
 * referative (tulevansa). The E-infinitive counts in its inessive only
 * (tehdessä), not the instructive (tehden). */
static int is_participial(const struct check_morph_word *w, const char *lw)
{
    unsigned i;

    for (i = 0; i < w->count; i++) {
        const struct check_morph_analysis *a = &w->a[i];

        if (a->participle == CHECK_PART_PAST_PASSIVE &&
            a->gcase == CHECK_CASE_PARTITIVE && a->possessive) {
            return 1;
        }
        if (a->mood == CHECK_MOOD_E_INF && strstr(lw, "ess")) {
            return 1;
        }
        if (a->mood == CHECK_MOOD_A_INF && a->possessive) {
            return 1;
        }
        if ((a->participle == CHECK_PART_PRESENT_ACTIVE ||
             a->participle == CHECK_PART_PAST_ACTIVE) &&
            a->possessive) {
            return 1;
        }
    }
    return 0;
}

/* A connegative verb form after "ei": returns its analysis or NULL. */
static const struct check_morph_analysis *
connegative(const struct check_morph_word *w)
{
    unsigned i;

    for (i = 0; i < w->count; i++) {
        if (w->a[i].wclass == CHECK_WC_VERB &&
            (w->a[i].negative == CHECK_NEG_TRUE ||
             w->a[i].negative == CHECK_NEG_BOTH)) {
            return &w->a[i];
        }
    }
    return NULL;
}

/* ---- Swedish passive heuristic ------------------------------------ */

static int ends_with(const char *w, size_t n, const char *suf)
{
    size_t k = strlen(suf);

    return n >= k && memcmp(w + n - k, suf, k) == 0;
}

/* Swedish s-passive: ordnas, serveras, ordnades, köptes, erbjuds, hålls,
 * ordnats. Without a tagger this is a heuristic over the written form; the
 * exclusion list removes deponents (finns, hoppas, samlas) and common
 * nouns (plats, kurs). */
static int sv_is_passive(const char *lw)
{
    size_t n = strlen(lw);

    if (n < 5 || in_list(lw, sv_not_passive)) {
        return 0;
    }
    if (ends_with(lw, n, "ens") || ends_with(lw, n, "ets") ||
        ends_with(lw, n, "ans") || ends_with(lw, n, "ss") ||
        ends_with(lw, n, "ors") || ends_with(lw, n, "ars") ||
        ends_with(lw, n, "ers") || ends_with(lw, n, "rnas")) {
        return 0; /* genitives: kommunens, mötets, medlemmarnas */
    }
    return ends_with(lw, n, "as") || ends_with(lw, n, "des") ||
           ends_with(lw, n, "tes") || ends_with(lw, n, "ats") ||
           ends_with(lw, n, "ds") || ends_with(lw, n, "lls") ||
           ends_with(lw, n, "nns") || ends_with(lw, n, "rs") ||
           ends_with(lw, n, "es");
}

/* ---- numbers ------------------------------------------------------ */

static int roman_value(const char *w)
{
    static const struct {
        const char *s;
        int v;
    } tab[] = {{"C", 100}, {"XC", 90}, {"L", 50}, {"XL", 40}, {"X", 10},
               {"IX", 9},  {"V", 5},   {"IV", 4}, {"I", 1}};
    char canon[32];
    size_t n = 0, i;
    int v = 0, rest;
    const char *p;

    for (p = w; *p; p++) {
        switch (*p) {
        case 'I':
            v += 1;
            break;
        case 'V':
            v += 5;
            break;
        case 'X':
            v += 10;
            break;
        case 'L':
            v += 50;
            break;
        case 'C':
            v += 100;
            break;
        default:
            return 0;
        }
    }
    /* The additive sum is an upper bound; compute the real value by the
     * subtractive rule and accept only the canonical spelling. */
    v = 0;
    for (p = w; *p; p++) {
        int cur = 0, nxt = 0;

        cur = *p == 'I'   ? 1
              : *p == 'V' ? 5
              : *p == 'X' ? 10
              : *p == 'L' ? 50
                          : 100;
        if (p[1]) {
            nxt = p[1] == 'I'   ? 1
                  : p[1] == 'V' ? 5
                  : p[1] == 'X' ? 10
                  : p[1] == 'L' ? 50
                                : 100;
        }
        v += cur < nxt ? -cur : cur;
    }
    if (v <= 0 || v > 399) {
        return 0;
    }
    rest = v;
    for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
        while (rest >= tab[i].v) {
            size_t k = strlen(tab[i].s);

            if (n + k >= sizeof(canon)) {
                return 0;
            }
            memcpy(canon + n, tab[i].s, k);
            n += k;
            rest -= tab[i].v;
        }
    }
    canon[n] = '\0';
    return strcmp(canon, w) == 0 ? v : 0;
}

static int is_phone_context(const struct check_text *t, size_t i, size_t t0)
{
    size_t k, back = 0;

    if (t->s[t->tok[i].b0] == '0') {
        return 1;
    }
    for (k = i; k > t0 && back < 5; k--, back++) {
        const struct check_token *p = &t->tok[k - 1];
        char lw[WORD_BUF];

        if (tok_is_punct(p, '+')) {
            return 1;
        }
        if (p->type == CHECK_TOK_NUMBER && t->s[p->b0] == '0') {
            return 1;
        }
        if (p->type == CHECK_TOK_WORD) {
            tok_lower(t, p, lw, sizeof(lw));
            if (in_list(lw, phone_words)) {
                return 1;
            }
        }
    }
    return 0;
}

static int number_rules(struct check_ctx *ctx, enum check_field field,
                        const struct check_text *t, size_t i, size_t t0,
                        size_t t1)
{
    const struct check_token *tk = &t->tok[i];
    const struct check_token *nx = i + 1 < t1 ? &t->tok[i + 1] : NULL;
    const char *s = t->s + tk->b0;
    size_t n = tk->b1 - tk->b0, k;
    unsigned seps = 0;
    int has_comma = 0, has_slash = 0, has_dot = 0, has_colon = 0;
    char q[64];
    struct check_span sp;

    for (k = 0; k < n; k++) {
        if (s[k] == ',' || s[k] == '.' || s[k] == ':' || s[k] == '/') {
            seps++;
            has_comma |= s[k] == ',';
            has_slash |= s[k] == '/';
            has_dot |= s[k] == '.';
            has_colon |= s[k] == ':';
        }
    }
    quote(s, n, q, sizeof(q));
    tok_span(tk, tk, &sp);

    /* 50 % and 50 prosenttia */
    if (nx && tok_is_punct(nx, '%')) {
        tok_span(tk, nx, &sp);
        quote(s, nx->b1 - tk->b0, q, sizeof(q));
        return check_add_span(ctx, CHECK_M_NUMBER_PERCENT, CHECK_WARNING, field,
                              &sp, q, NULL, NULL);
    }
    if (nx && nx->type == CHECK_TOK_WORD) {
        char lw[WORD_BUF];

        tok_lower(t, nx, lw, sizeof(lw));
        if (strncmp(lw, "prosent", 7) == 0 || strncmp(lw, "procent", 7) == 0 ||
            strncmp(lw, "percent", 7) == 0) {
            tok_span(tk, nx, &sp);
            quote(s, nx->b1 - tk->b0, q, sizeof(q));
            return check_add_span(ctx, CHECK_M_NUMBER_PERCENT, CHECK_WARNING,
                                  field, &sp, q, NULL, NULL);
        }
    }
    if (has_slash && seps == 1) {
        return check_add_span(ctx, CHECK_M_NUMBER_FRACTION, CHECK_WARNING,
                              field, &sp, q, NULL, NULL);
    }
    if (seps == 1 && ((has_comma && ctx->family != 'e') ||
                      (has_dot && ctx->family == 'e'))) {
        return check_add_span(ctx, CHECK_M_NUMBER_DECIMAL, CHECK_WARNING, field,
                              &sp, q, NULL, NULL);
    }
    if (has_dot || has_colon || has_slash) {
        return 0; /* dates 24.11.2025 and times 17.30 */
    }
    if (ctx->family == 'e' && has_comma) {
        seps = 0; /* 12,000 in English is one number */
    } else if (has_comma) {
        return 0;
    }
    if (tk->letters >
        (unsigned)check_threshold_get(CHECK_P_NUMBER_DIGITS)->warn) {
        if (is_phone_context(t, i, t0)) {
            return 0;
        }
        /* 90100 Oulu: a postal code before a place name */
        if (tk->letters == 5 && !(tk->flags & CHECK_TOK_DIGIT_SEP) && nx &&
            nx->type == CHECK_TOK_WORD &&
            (nx->flags & CHECK_TOK_UPPER_INITIAL)) {
            return 0;
        }
        return check_add_span(ctx, CHECK_M_NUMBER_LONG, CHECK_WARNING, field,
                              &sp, q, NULL, NULL);
    }
    return 0;
}

/* ---- per word ----------------------------------------------------- */

/* "vertais|tuki|toiminta|mahdollisuuksista" from the compound parts. */
static void split_string(const char *s, size_t len,
                         const struct check_morph_word *w, char *out,
                         size_t outsz)
{
    size_t pos = 0, n = 0, cp = 0;
    unsigned part = 1;

    while (pos < len && n + 6 < outsz) {
        size_t start = pos;
        uint32_t c;

        if (part < w->nparts && cp == w->part_cp[part]) {
            out[n++] = '|';
            part++;
        }
        taulu_utf8_decode(s, len, &pos, &c);
        memcpy(out + n, s + start, pos - start);
        n += pos - start;
        cp++;
    }
    out[n] = '\0';
}

/* The long-word rule over the hyphen-separated parts of one word token. */
static int long_word(struct check_ctx *ctx, enum check_field field,
                     const struct check_text *t, const struct check_token *tk,
                     const struct check_morph_word *mw, int *is_long)
{
    unsigned min =
        (unsigned)check_threshold_get(CHECK_P_LONG_WORD_LETTERS)->warn;
    size_t pos = tk->b0, part_b = tk->b0, part_c = tk->c0, cp = tk->c0;
    unsigned letters = 0;

    *is_long = 0;
    while (pos <= tk->b1) {
        uint32_t c = 0;
        size_t at = pos;

        if (pos < tk->b1) {
            taulu_utf8_decode(t->s, tk->b1, &pos, &c);
        } else {
            pos++;
        }
        if (at == tk->b1 || c == '-' || c == 0x2010 || c == 0x2011) {
            if (letters >= min) {
                struct check_span sp = {part_b, at, part_c, cp};
                struct check_morph_word sub;
                const struct check_morph_word *use = NULL;
                char q[128], nbuf[16], split[256];
                int err;

                *is_long = 1;
                quote(t->s + part_b, at - part_b, q, sizeof(q));
                snprintf(nbuf, sizeof(nbuf), "%u", letters);
                if (ctx->morph && ctx->family == 'f') {
                    if (part_b == tk->b0 && at == tk->b1) {
                        use = mw;
                    } else if (check_morph_analyse(ctx->morph, t->s + part_b,
                                                   at - part_b, &sub) == 0) {
                        use = &sub;
                    }
                }
                if (use && use->count > 0 && use->nparts > 1) {
                    split_string(t->s + part_b, at - part_b, use, split,
                                 sizeof(split));
                    err = check_add_span(ctx, CHECK_M_WORD_LONG_SPLIT,
                                         CHECK_WARNING, field, &sp, q, nbuf,
                                         split);
                } else {
                    err = check_add_span(ctx, CHECK_M_WORD_LONG, CHECK_WARNING,
                                         field, &sp, q, nbuf, NULL);
                }
                if (err < 0) {
                    return err;
                }
            }
            letters = 0;
            part_b = pos;
            part_c = cp + 1;
        } else if (check_cp_is_letter(c)) {
            letters++;
        }
        cp++;
    }
    return 0;
}

static int defer(struct check_deferred_list *l, enum check_field field,
                 const struct check_text *t, const struct check_token *a,
                 const struct check_token *b)
{
    struct check_deferred d;

    memset(&d, 0, sizeof(d));
    d.field = field;
    tok_span(a, b, &d.span);
    check_deferred_word(&d, t->s + a->b0, b->b1 - a->b0);
    return check_deferred_push(l, &d);
}

/* ---- per sentence ------------------------------------------------- */

struct sentence_state {
    unsigned subclauses;
    unsigned negations;
    unsigned neg_pending; /* words left to find the verb after "ei" */
    size_t neg_tok;
    size_t sv_neg[8]; /* Swedish negation tokens */
    unsigned sv_nneg;
};

/* "on tehty", "ei ole tehty": a form of "olla" followed by a past passive
 * participle in the nominative is the passive perfect. */
static int passive_perfect(const struct check_text *t, size_t i, size_t t1,
                           const struct check_morph_word *mw,
                           const struct check_morph_word *mws)
{
    const struct check_token *nx;
    const struct check_morph_word *nw;
    unsigned k;

    if (strcmp(mw->base, "olla") != 0 || i + 1 >= t1) {
        return 0;
    }
    nx = &t->tok[i + 1];
    if (nx->type != CHECK_TOK_WORD || nx->morph < 0) {
        return 0;
    }
    nw = &mws[nx->morph];
    for (k = 0; k < nw->count; k++) {
        if (nw->a[k].participle == CHECK_PART_PAST_PASSIVE &&
            nw->a[k].gcase == CHECK_CASE_NOMINATIVE) {
            return 1;
        }
    }
    return 0;
}

static int finnish_word(struct check_ctx *ctx, enum check_field field,
                        const struct check_text *t, size_t i, size_t t0,
                        size_t t1, const char *lw,
                        const struct check_morph_word *mw,
                        const struct check_morph_word *mws,
                        struct sentence_state *st)
{
    const struct check_token *tk = &t->tok[i];
    const struct check_token *pv = prev_tok(t, i, t0);
    int err;

    if (in_list(lw, fi_negations)) {
        st->negations++;
    }
    if (in_list(lw, fi_subordinators)) {
        st->subclauses++;
    } else if (tok_is_punct(pv, ',')) {
        int rel;

        if (mw && mw->count > 0) {
            rel = mw->a[0].wclass == CHECK_WC_PRONOUN &&
                  (strcmp(mw->base, "joka") == 0 ||
                   strcmp(mw->base, "mikä") == 0);
        } else {
            rel = in_list(lw, fi_relatives);
        }
        if (rel) {
            st->subclauses++;
        }
    }
    if (!mw || mw->count == 0) {
        return 0;
    }
    if (is_participial(mw, lw)) {
        struct check_span sp;
        char q[96];

        tok_span(tk, tk, &sp);
        quote(t->s + tk->b0, tk->b1 - tk->b0, q, sizeof(q));
        if ((err = check_add_span(ctx, CHECK_M_PARTICIPIAL, CHECK_WARNING,
                                  field, &sp, q, NULL, NULL)) < 0) {
            return err;
        }
    }
    /* Finite verbs and the passive. "ei" carries the person; the verb
     * after it (connegative) says whether the clause is passive. */
    if (mw->a[0].wclass == CHECK_WC_NEG_VERB) {
        ctx->finite_verbs++;
        st->neg_pending = 3;
        st->neg_tok = i;
    } else if (st->neg_pending > 0) {
        const struct check_morph_analysis *cn = connegative(mw);

        if (cn) {
            int perfect = passive_perfect(t, i, t1, mw, mws);

            st->neg_pending = 0;
            if ((cn->person == 4 || perfect) &&
                (err = defer(&ctx->passives, field, t, &t->tok[st->neg_tok],
                             perfect ? &t->tok[i + 1] : tk)) < 0) {
                return err;
            }
        } else {
            st->neg_pending--;
        }
    } else if (mw->a[0].wclass == CHECK_WC_VERB && mw->a[0].person >= 1 &&
               mw->a[0].negative != CHECK_NEG_TRUE &&
               is_finite_mood(mw->a[0].mood)) {
        int perfect = passive_perfect(t, i, t1, mw, mws);

        ctx->finite_verbs++;
        if ((mw->a[0].person == 4 || perfect) &&
            (err = defer(&ctx->passives, field, t, tk,
                         perfect ? &t->tok[i + 1] : tk)) < 0) {
            return err;
        }
    }
    /* Wiio: is the base form four syllables or more? */
    {
        char base[CHECK_MORPH_BASE_MAX * 2];
        unsigned syl =
            (unsigned)check_threshold_get(CHECK_P_WIIO_SYLLABLES)->warn;

        if (mw->base[0] == '\0' || check_utf8_lower(mw->base, strlen(mw->base),
                                                    base, sizeof(base)) < 0) {
            snprintf(base, sizeof(base), "%s", lw);
        }
        ctx->wiio_words++;
        if (base_has_syllables(ctx->morph, base, syl)) {
            ctx->hard_words++;
        }
    }
    return 0;
}

static int swedish_word(struct check_ctx *ctx, enum check_field field,
                        const struct check_text *t, size_t i, size_t t0,
                        size_t t1, const char *lw, struct sentence_state *st)
{
    const struct check_token *tk = &t->tok[i];
    const struct check_token *pv = prev_tok(t, i, t0);

    if (in_list(lw, sv_negations)) {
        st->negations++;
        if (st->sv_nneg < sizeof(st->sv_neg) / sizeof(st->sv_neg[0])) {
            st->sv_neg[st->sv_nneg++] = i;
        }
    }
    if (strcmp(lw, "att") == 0 && pv && pv->type == CHECK_TOK_WORD) {
        char pw[WORD_BUF];

        tok_lower(t, pv, pw, sizeof(pw));
        if (strcmp(pw, "trots") == 0 || strcmp(pw, "så") == 0) {
            return 0; /* "trots att", "så att": counted once, below */
        }
    }
    if (in_list(lw, sv_subordinators)) {
        st->subclauses++;
    } else if (strcmp(lw, "trots") == 0 || strcmp(lw, "så") == 0) {
        const struct check_token *nx = i + 1 < t1 ? &t->tok[i + 1] : NULL;
        char nw[WORD_BUF];

        if (nx && nx->type == CHECK_TOK_WORD) {
            tok_lower(t, nx, nw, sizeof(nw));
            if (strcmp(nw, "att") == 0) {
                st->subclauses++;
            }
        }
    } else if (strcmp(lw, "om") == 0) {
        /* "om" is a clause ("om du vill") at the start, after a comma or
         * before a subject; otherwise the preposition "about". */
        const struct check_token *nx = i + 1 < t1 ? &t->tok[i + 1] : NULL;
        char nw[WORD_BUF] = "";

        if (nx && nx->type == CHECK_TOK_WORD) {
            tok_lower(t, nx, nw, sizeof(nw));
        }
        if (!pv || tok_is_punct(pv, ',') || in_list(nw, sv_pronouns)) {
            st->subclauses++;
        }
    }
    if (!(tk->flags & CHECK_TOK_UPPER_INITIAL) && sv_is_passive(lw)) {
        return defer(&ctx->passives, field, t, tk, tk);
    }
    return 0;
}

static int sentence_rules(struct check_ctx *ctx, enum check_field field,
                          const struct check_text *t,
                          const struct check_sentence *se,
                          const struct check_morph_word *mws)
{
    const struct check_threshold *sl =
        check_threshold_get(CHECK_P_SENTENCE_WORDS);
    unsigned lix_long =
        (unsigned)check_threshold_get(CHECK_P_LIX_LONG_LETTERS)->warn;
    unsigned caps_min =
        (unsigned)check_threshold_get(CHECK_P_CAPS_LETTERS)->warn;
    struct sentence_state st;
    struct check_span sp = {se->b0, se->b1, se->c0, se->c1};
    char nbuf[16];
    size_t i;
    int err;

    memset(&st, 0, sizeof(st));
    ctx->sentences++;
    ctx->words += se->words;
    snprintf(nbuf, sizeof(nbuf), "%u", se->words);
    if (se->words > (unsigned)sl->error) {
        err = check_add_span(ctx, CHECK_M_SENTENCE_LONG_ERROR, CHECK_ERROR,
                             field, &sp, nbuf, NULL, NULL);
    } else if (se->words > (unsigned)sl->warn) {
        err = check_add_span(ctx, CHECK_M_SENTENCE_LONG_WARN, CHECK_WARNING,
                             field, &sp, nbuf, NULL, NULL);
    } else {
        err = 0;
    }
    if (err < 0) {
        return err;
    }

    for (i = se->t0; i < se->t1; i++) {
        const struct check_token *tk = &t->tok[i];
        const struct check_morph_word *mw =
            (mws && tk->morph >= 0) ? &mws[tk->morph] : NULL;
        char lw[WORD_BUF];
        size_t a;
        int is_long, matched = 0;

        if (tk->type == CHECK_TOK_NUMBER) {
            if ((err = number_rules(ctx, field, t, i, se->t0, se->t1)) < 0) {
                return err;
            }
            continue;
        }
        if (tk->type == CHECK_TOK_PUNCT) {
            if ((tk->cp >= 0xBC && tk->cp <= 0xBE) ||
                (tk->cp >= 0x2150 && tk->cp <= 0x215E)) {
                struct check_span fs;
                char q[16];

                tok_span(tk, tk, &fs);
                quote(t->s + tk->b0, tk->b1 - tk->b0, q, sizeof(q));
                if ((err = check_add_span(ctx, CHECK_M_NUMBER_FRACTION,
                                          CHECK_WARNING, field, &fs, q, NULL,
                                          NULL)) < 0) {
                    return err;
                }
            }
            continue;
        }
        if (tk->type != CHECK_TOK_WORD) {
            continue;
        }
        tok_lower(t, tk, lw, sizeof(lw));

        /* abbreviations first: their letters are no words of their own */
        for (a = 0; a < sizeof(abbrevs) / sizeof(abbrevs[0]); a++) {
            const struct abbrev *ab = &abbrevs[a];
            size_t m;

            if (ab->lang != ctx->family ||
                ((ab->flags & AB_PLAIN) && !ctx->in->plain_language)) {
                continue;
            }
            m = match_abbrev(t->s, t->len, tk->b0, ab);
            if (m > 0) {
                struct check_span as;
                char q[32];
                size_t end = tk->b0 + m;

                as.byte_start = tk->b0;
                as.cp_start = tk->c0;
                as.byte_end = end;
                as.cp_end = check_cp_offset(t->s, tk->b0, tk->c0, end);
                quote(t->s + tk->b0, m, q, sizeof(q));
                if ((err = check_add_span(ctx,
                                          (ab->flags & AB_WEEKDAY)
                                              ? CHECK_M_WEEKDAY
                                              : CHECK_M_ABBREVIATION,
                                          CHECK_WARNING, field, &as, q,
                                          ab->expanded, NULL)) < 0) {
                    return err;
                }
                /* skip the tokens inside "t.ex." */
                while (i + 1 < se->t1 && t->tok[i + 1].b0 < end) {
                    i++;
                }
                matched = 1;
                break;
            }
        }
        if (matched) {
            continue;
        }

        if ((err = long_word(ctx, field, t, tk, mw, &is_long)) < 0) {
            return err;
        }
        if (is_long) {
            ctx->long_words++;
        }
        if (tk->letters > lix_long) {
            ctx->lix_long_words++;
        }
        if ((tk->flags & CHECK_TOK_ALL_UPPER) && tk->letters >= caps_min) {
            char up[WORD_BUF];

            quote(t->s + tk->b0, tk->b1 - tk->b0, up, sizeof(up));
            if (!in_list(up, caps_allowed) &&
                (err = defer(&ctx->caps, field, t, tk, tk)) < 0) {
                return err;
            }
        }
        if ((tk->flags & CHECK_TOK_ALL_UPPER) && tk->letters >= 2 &&
            tk->letters == tk->b1 - tk->b0) {
            char up[16];
            int v;

            quote(t->s + tk->b0, tk->b1 - tk->b0, up, sizeof(up));
            v = roman_value(up);
            if (v > 0 && !in_list(up, roman_allowed)) {
                struct check_span rs;
                char digits[16];

                snprintf(digits, sizeof(digits),
                         ctx->family == 'e' ? "%d" : "%d.", v);
                tok_span(tk, tk, &rs);
                if ((err = check_add_span(ctx, CHECK_M_NUMBER_ROMAN,
                                          CHECK_WARNING, field, &rs, up, digits,
                                          NULL)) < 0) {
                    return err;
                }
            }
        }
        if (ctx->family == 'f') {
            err = finnish_word(ctx, field, t, i, se->t0, se->t1, lw, mw, mws,
                               &st);
        } else if (ctx->family == 's') {
            err = swedish_word(ctx, field, t, i, se->t0, se->t1, lw, &st);
        } else {
            err = 0;
        }
        if (err < 0) {
            return err;
        }
    }

    if (ctx->family == 'f' || ctx->family == 's') {
        unsigned sub_max =
            (unsigned)check_threshold_get(CHECK_P_SUBCLAUSES)->warn;

        if (st.subclauses > sub_max) {
            snprintf(nbuf, sizeof(nbuf), "%u", st.subclauses);
            if ((err = check_add_span(ctx, CHECK_M_SUBCLAUSES, CHECK_WARNING,
                                      field, &sp, nbuf, NULL, NULL)) < 0) {
                return err;
            }
        }
    }
    if (ctx->family == 'f') {
        unsigned neg_max =
            (unsigned)check_threshold_get(CHECK_P_NEGATIONS_FI)->warn;

        if (st.negations > neg_max) {
            snprintf(nbuf, sizeof(nbuf), "%u", st.negations);
            if ((err = check_add_span(ctx, CHECK_M_NEGATIONS, CHECK_WARNING,
                                      field, &sp, nbuf, NULL, NULL)) < 0) {
                return err;
            }
        }
    } else if (ctx->family == 's') {
        unsigned neg_max =
            (unsigned)check_threshold_get(CHECK_P_NEGATIONS_SV)->warn;
        unsigned k;

        if (st.negations > neg_max) {
            for (k = 0; k < st.sv_nneg; k++) {
                const struct check_token *nt = &t->tok[st.sv_neg[k]];
                struct check_span ns;
                char q[64];

                tok_span(nt, nt, &ns);
                quote(t->s + nt->b0, nt->b1 - nt->b0, q, sizeof(q));
                if ((err =
                         check_add_span(ctx, CHECK_M_NEGATION_SV, CHECK_WARNING,
                                        field, &ns, q, NULL, NULL)) < 0) {
                    return err;
                }
            }
        }
        /* Without a tagger, each clause of three words or more is taken to
         * have one finite verb (a heading like "Julbasar i kyrkan" has
         * none). */
        if (se->words >= 3) {
            ctx->finite_verbs += 1 + st.subclauses;
        }
    }
    return 0;
}

int check_language_rules(struct check_ctx *ctx, enum check_field field,
                         struct check_text *t)
{
    struct check_morph_word *mws = NULL;
    size_t i, nwords = 0;
    int err = 0;

    if (!ctx->family) {
        return 0;
    }
    if (ctx->family == 'f' && ctx->morph) {
        for (i = 0; i < t->ntok; i++) {
            nwords += t->tok[i].type == CHECK_TOK_WORD;
        }
        if (nwords > 0) {
            mws = calloc(nwords, sizeof(*mws));
            if (!mws) {
                return TAULU_ENOMEM;
            }
        }
        nwords = 0;
        for (i = 0; i < t->ntok; i++) {
            struct check_token *tk = &t->tok[i];

            if (tk->type != CHECK_TOK_WORD) {
                continue;
            }
            err = check_morph_analyse(ctx->morph, t->s + tk->b0,
                                      tk->b1 - tk->b0, &mws[nwords]);
            if (err == TAULU_ENOMEM) {
                goto out;
            }
            err = 0;
            tk->morph = (int)nwords++;
        }
    }
    for (i = 0; i < t->nsent; i++) {
        if ((err = sentence_rules(ctx, field, t, &t->sent[i], mws)) < 0) {
            goto out;
        }
    }
out:
    free(mws);
    return err;
}

static void format_index(double v, char *out, size_t sz)
{
    snprintf(out, sz, "%.1f", v);
}

int check_language_version(struct check_ctx *ctx, struct check_text *title,
                           struct check_text *body)
{
    struct check_summary *sum = &ctx->res->summary;
    unsigned min_words =
        (unsigned)check_threshold_get(CHECK_P_INDEX_MIN_WORDS)->warn;
    size_t k;
    int err;
    char v[32], lim[32];
    const struct check_text *where = body->len > 0 ? body : title;
    enum check_field wfield =
        body->len > 0 ? CHECK_FIELD_BODY : CHECK_FIELD_TITLE;
    struct check_span whole = {0, where->len, 0,
                               check_cp_offset(where->s, 0, 0, where->len)};

    if (!ctx->family) {
        return 0;
    }
    /* readability index */
    if (ctx->family == 'f' && ctx->morph && ctx->wiio_words > 0) {
        const struct check_threshold *th = check_threshold_get(CHECK_P_WIIO);

        sum->index_kind = CHECK_INDEX_WIIO;
        sum->index_value =
            2.7 + 0.3 * (100.0 * ctx->hard_words / ctx->wiio_words);
        if (ctx->wiio_words >= min_words && sum->index_value > th->warn) {
            format_index(sum->index_value, v, sizeof(v));
            format_index(th->warn, lim, sizeof(lim));
            if ((err = check_add_span(ctx, CHECK_M_WIIO, CHECK_WARNING, wfield,
                                      &whole, v, lim, NULL)) < 0) {
                return err;
            }
        }
    } else if (ctx->family == 's' && ctx->words > 0 && ctx->sentences > 0) {
        const struct check_threshold *th = check_threshold_get(CHECK_P_LIX);

        sum->index_kind = CHECK_INDEX_LIX;
        sum->index_value = (double)ctx->words / ctx->sentences +
                           100.0 * ctx->lix_long_words / ctx->words;
        if (ctx->words >= min_words && sum->index_value > th->warn) {
            int is_err = sum->index_value > th->error;

            format_index(sum->index_value, v, sizeof(v));
            format_index(th->warn, lim, sizeof(lim));
            if ((err = check_add_span(ctx, CHECK_M_LIX,
                                      is_err ? CHECK_ERROR : CHECK_WARNING,
                                      wfield, &whole, v, lim, NULL)) < 0) {
                return err;
            }
        }
    }

    /* passive: more than a third of the finite verbs */
    if (ctx->passives.n > 0 && ctx->finite_verbs > 0) {
        double share = check_threshold_get(CHECK_P_PASSIVE_SHARE)->warn;
        unsigned fin = ctx->finite_verbs;

        if (fin < ctx->passives.n) {
            fin = (unsigned)ctx->passives.n;
        }
        if ((double)ctx->passives.n > share * fin) {
            char np[16], nf[16];

            snprintf(np, sizeof(np), "%zu", ctx->passives.n);
            snprintf(nf, sizeof(nf), "%u", fin);
            for (k = 0; k < ctx->passives.n; k++) {
                const struct check_deferred *d = &ctx->passives.v[k];

                if ((err = check_add_span(ctx, CHECK_M_PASSIVE, CHECK_WARNING,
                                          d->field, &d->span, d->word, np,
                                          nf)) < 0) {
                    return err;
                }
            }
        }
    }

    /* capitals: more than two shouted words */
    if (ctx->caps.n > (size_t)check_threshold_get(CHECK_P_CAPS_WORDS)->warn) {
        char nc[16];

        snprintf(nc, sizeof(nc), "%zu", ctx->caps.n);
        for (k = 0; k < ctx->caps.n; k++) {
            const struct check_deferred *d = &ctx->caps.v[k];

            if ((err = check_add_span(ctx, CHECK_M_CAPITALS, CHECK_WARNING,
                                      d->field, &d->span, d->word, nc, NULL)) <
                0) {
                return err;
            }
        }
    }
    return 0;
}
