/*
 * check_lang.c: the plain-language rules on words and sentences for
 * Finnish, Swedish and English, and the statistics of every sentence that
 * the paragraph rules (check_para.c) judge as rates.
 *
 * Works on the tokens and sentences of check_text.c and, for Finnish, on
 * the analyses of check_morph.h. What is underlined word by word is what a
 * volunteer can act on one at a time: a sentence far longer than plain
 * language has, a compound too long to read at a glance, an abbreviation,
 * a number. What real plain language also has now and then (a 16-word
 * sentence, "seurakuntatalo", a passive, an "inte") is only counted here,
 * and check_para.c says something when a paragraph has more of it than
 * professional plain language does (docs/checker.md, calibration).
 *
 * Rules that need base forms (Wiio, passive, participial constructions,
 * compound parts) run only with morphology; everything else works on the
 * written words, so the fallback without the dictionary keeps sentence
 * length, long words, abbreviations, numbers, capitals, negations and
 * subordinate clauses.
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
    "joka",   "jonka",  "jota",   "jossa",  "josta",  "johon",  "jolla",
    "jolta",  "jolle",  "jona",   "joksi",  "jotka",  "joiden", "joita",
    "joissa", "joista", "joihin", "joilla", "joilta", "joille", "joina",
    "joiksi", "mikä",   "minkä",  "mitä",   "missä",  "mistä",  "mihin",
    "millä",  "miltä",  "mille",  "minä",   "miksi",  "mitkä",  NULL,
};

/* Participial forms that are fixed phrases, read as one word: "kesään
 * mennessä" (by summer), "tietääkseni" (as far as I know). Selkokeskus's
 * advice against lauseenvastikkeet is about constructions a reader must
 * unpack, not these. */
static const char *const fi_fixed_participials[] = {
    "mennessä",      "tietääkseni",
    "tietääksemme",  "muistaakseni",
    "luullakseni",   "käsittääkseni",
    "ymmärtääkseni", "nähdäkseni",
    "ollakseen",     NULL,
};

/* All-capital words that are names, not shouting. */
static const char *const caps_allowed[] = {
    "ADHD",   "COVID", "EKSOTE", "KELA",   "LGBT",  "LGBTI",
    "LGBTIQ", "LGBTQ", "MIELI",  "NATO",   "POHDE", "SOSTE",
    "SOTE",   "STEA",  "UNICEF", "UNESCO", "YTHS",  "FOLKHÄLSAN",
    "HUS",    "THL",   "EU",     NULL,
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

/* ---- officialese ---------------------------------------------------- */

/* Words and phrases of official prose that plain language replaces with
 * an everyday one: the lists of Språkrådet (Klarspråk) and Kotus
 * (virkakieli). Professional plain language has almost none of them (the
 * calibration, docs/checker.md), so each is named with its replacement,
 * and many in one paragraph count towards "not plain language". Matched
 * on the written form, lower case, words separated by one space; Finnish
 * entries with `base` set match the base form when morphology is there. */
struct official {
    char lang;
    const char *text;
    const char *plain;
    int base; /* fi: compare Voikko's base form */
};

static const struct official officialese[] = {
    {'s', "samt", "och", 0},
    {'s', "erhålla", "få", 0},
    {'s', "erhåller", "får", 0},
    {'s', "erhöll", "fick", 0},
    {'s', "erhållit", "fått", 0},
    {'s', "erhålls", "fås", 0},
    {'s', "tillhandahålla", "ge", 0},
    {'s', "tillhandahåller", "ger", 0},
    {'s', "tillhandahålls", "ges", 0},
    {'s', "beakta", "tänka på", 0},
    {'s', "beaktar", "tänker på", 0},
    {'s', "beaktas", "räknas med", 0},
    {'s', "avseende", "om", 0},
    {'s', "beträffande", "om", 0},
    {'s', "angående", "om", 0},
    {'s', "rörande", "om", 0},
    {'s', "huruvida", "om", 0},
    {'s', "emellertid", "men", 0},
    {'s', "ävensom", "och", 0},
    {'s', "föreligger", "finns", 0},
    {'s', "erforderlig", "som behövs", 0},
    {'s', "erforderliga", "som behövs", 0},
    {'s', "verkställa", "göra", 0},
    {'s', "ombesörja", "ordna", 0},
    {'s', "medelst", "med", 0},
    {'s', "jämte", "och", 0},
    {'s', "tillika", "också", 0},
    {'s', "därvid", "då", 0},
    {'s', "skyndsamt", "snabbt", 0},
    {'s', "fortsättningsvis", "från och med nu", 0},
    {'s', "innebär", "betyder", 0},
    {'s', "förutsätter", "kräver", 0},
    {'s', "tillämpas", "används", 0},
    {'s', "betjänar", "hjälper", 0},
    {'s', "i syfte att", "för att", 0},
    {'s', "i samband med", "när", 0},
    {'s', "med anledning av", "på grund av", 0},
    {'s', "inom ramen för", "i", 0},
    {'s', "i enlighet med", "enligt", 0},
    {'s', "vid behov", "om det behövs", 0},
    {'s', "från och med", "från", 0},
    {'s', "baserat på", "utifrån", 0},
    {'s', "på basis av", "utifrån", 0},
    {'s', "föregående", "förra", 0},
    {'s', "uppbärs", "tas ut", 0},
    {'s', "uppbär", "tar ut", 0},
    {'s', "annullera", "avboka", 0},
    {'s', "annullerar", "avbokar", 0},
    {'s', "annullering", "avbokning", 0},
    {'s', "annulleringen", "avbokningen", 0},
    {'s', "icke", "inte", 0},
    {'s', "vederbörande", "den det gäller", 0},
    {'s', "tillställa", "skicka", 0},
    {'s', "inkomma", "skicka in", 0},
    {'s', "inneha", "ha", 0},
    {'s', "innehar", "har", 0},
    {'s', "torde", "troligen", 0},
    {'s', "åligger", "ska", 0},
    {'s', "äger rum", "är", 0},
    {'s', "genomföra", "göra", 0},
    {'s', "genomför", "gör", 0},
    {'s', "genomförs", "görs", 0},
    {'s', "ifrågavarande", "den här", 0},
    {'s', "lämpar sig", "passar", 0},
    {'s', "avsedd", "till för", 0},
    {'s', "avsedda", "till för", 0},
    {'s', "såsom", "som", 0},
    {'f', "toimesta", "kerro, kuka tekee", 0},
    {'f', "suorittaa", "tehdä", 1},
    {'f', "kyseinen", "tämä", 1},
    {'f', "mukaisesti", "mukaan", 0},
    {'f', "johdosta", "takia", 0},
    {'f', "ohella", "lisäksi", 0},
    {'f', "puitteissa", "aikana", 0},
    {'f', "koskien", "asiasta", 0},
    {'f', "liittyen", "asiasta", 0},
    {'f', "pääsääntöisesti", "yleensä", 0},
    {'f', "tarvittaessa", "jos tarvitaan", 0},
    {'f', "edellyttää", "vaatia", 1},
    {'f', "toimenpide", "teko", 1},
    {'f', "lukien", "alkaen", 0},
    {'f', "sekä", "ja", 0},
    {'f', "osalta", "kohdalla", 0},
    {'f', "taholta", "keneltä: kerro nimi", 0},
    {'f', "mahdollistaa", "voi", 1},
    {'f', "asianomainen", "se, jota asia koskee", 1},
    /* Selkokeskus and Kotus: henkilö → ihminen; "voimassa oleva",
     * "alla oleva" → "joka on" */
    {'f', "henkilö", "ihminen", 1},
    {'f', "henkilöiden", "ihmisten", 0},
    {'f', "oleva", "joka on", 1},
    {'f', "vuoksi", "takia", 0},
    {'f', "mikäli", "jos", 0},
    {'f', "tällöin", "silloin", 0},
    {'f', "toteuttaa", "tehdä", 1},
    {'f', "pyrkiä", "yrittää", 1},
    {'f', "välittömästi", "heti", 0},
    {'f', "toimipiste", "paikka", 1},
};

/* Does entry `o` match at word token i of the sentence [i, t1)? Returns the
 * last token of the match, or (size_t)-1. */
static size_t match_official(const struct check_text *t, size_t i, size_t t1,
                             const struct official *o, const char *lw,
                             const struct check_morph_word *mw)
{
    const char *p = o->text;
    size_t j = i;

    if (o->base) {
        return mw && mw->count > 0 && strcmp(mw->base, o->text) == 0
                   ? i
                   : (size_t)-1;
    }
    for (;;) {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);
        char w[WORD_BUF];

        if (j >= t1 || t->tok[j].type != CHECK_TOK_WORD) {
            return (size_t)-1;
        }
        if (j == i) {
            snprintf(w, sizeof(w), "%s", lw);
        } else {
            check_tok_lower(t, j, w, sizeof(w));
        }
        if (strlen(w) != n || memcmp(w, p, n) != 0) {
            return (size_t)-1;
        }
        if (!sp) {
            return j;
        }
        p = sp + 1;
        j++;
    }
}

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

/* Is the lower-cased word `w` one of the tokens [i, t1)? */
static int word_follows(const struct check_text *t, size_t i, size_t t1,
                        const char *w)
{
    for (; i < t1; i++) {
        char lw[WORD_BUF];

        if (t->tok[i].type != CHECK_TOK_WORD) {
            continue;
        }
        check_tok_lower(t, i, lw, sizeof(lw));
        if (strcmp(lw, w) == 0) {
            return 1;
        }
    }
    return 0;
}

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
 * (tehdessä), not the instructive (tehden); fixed phrases do not count. */
static int is_participial(const struct check_morph_word *w, const char *lw)
{
    unsigned i;

    if (in_list(lw, fi_fixed_participials)) {
        return 0;
    }
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

static int ends_with(const char *w, const char *suf)
{
    size_t n = strlen(w), k = strlen(suf);

    return n >= k && memcmp(w + n - k, suf, k) == 0;
}

/* Derivational suffixes (as Voikko's WORDBASES names them) of the
 * abstract words official Finnish is built of: action and quality nouns
 * (toiminta, arviointi, palvelu, käsittely, edellytys, saatavuus, maksuton),
 * adjectives made of nouns (taloudellinen, asiakaslähtöinen) and of
 * participles (aiheutuva, järjestettävä, aiheuttama). In the calibration
 * (docs/checker.md) official prose has about 19 such words in 100, real
 * plain language 5 (90 %: 15). Agent nouns (hakija, hoitaja), past
 * participles (julkaistu) and -to nouns (hoito, lento) are as common in
 * plain language and do not count. */
static const char *const fi_abstract_suffixes[] = {
    "us", "ys", "uus", "yys", "inen", "nen", "u",   "y",   "a",
    "ä",  "ta", "tä",  "ti",  "tön",  "ton", "taa", "tää", NULL,
};

/* Derived words that are everyday words all the same, in notices of the
 * project's kind and in real plain language: an event and its programme
 * (yhdistys, tapahtuma, liikunta, keskustelu, kahvitus, ilmoittautuminen),
 * the weather of plain news, and -lainen/-läinen (suomalainen). Matched
 * as the end of the base form, so compounds count too (kuntoliikunta,
 * muistisairaus). */
static const char *const fi_everyday_derived[] = {
    "yhdistys",  "tapahtuma",   "liikunta",    "keskustelu",
    "harrastus", "ruokailu",    "kahvitus",    "vapaaehtoinen",
    "seuraava",  "tuleva",      "sopiva",      "tavallinen",
    "maksuton",  "maksullinen", "iloinen",     "ystävällinen",
    "ulkoilu",   "kuntoilu",    "esitys",      "sairaus",
    "ilmoitus",  "kuljetus",    "laulu",       "kävely",
    "uinti",     "luistelu",    "retkeily",    "askartelu",
    "poutainen", "aurinkoinen", "pilvinen",    "sateinen",
    "tuulinen",  "kysely",      "näyttely",    "tapaus",
    "kysymys",   "vastaus",     "tulevaisuus", "terveellinen",
    "rakennus",  "koulutus",    "tilaisuus",   "lainen",
    "läinen",    NULL,
};

/* Verbs whose -minen noun is an everyday word: ilmoittautuminen,
 * tapaaminen, kokoontuminen. */
static const char *const fi_everyday_minen[] = {
    "ilmoittautua",
    "tavata",
    "kokoontua",
    NULL,
};

static int is_fi_everyday(const char *base)
{
    const char *const *e;

    for (e = fi_everyday_derived; *e; e++) {
        if (ends_with(base, *e)) {
            return 1;
        }
    }
    return 0;
}

/* Does the "+ta+us" list of suffixes hold one of fi_abstract_suffixes? */
static int has_abstract_suffix(const char *deriv)
{
    while (*deriv == '+') {
        const char *end = strchr(deriv + 1, '+');
        size_t n = end ? (size_t)(end - deriv - 1) : strlen(deriv + 1);
        const char *const *sfx;

        for (sfx = fi_abstract_suffixes; *sfx; sfx++) {
            if (strlen(*sfx) == n && memcmp(*sfx, deriv + 1, n) == 0) {
                return 1;
            }
        }
        if (!end) {
            break;
        }
        deriv = end;
    }
    return 0;
}

/* A nominalisation or abstract word, the noun style of official Finnish
 * (Selkokeskus: tell it with verbs and concrete words): a verb used as a
 * noun (järjestäminen, maksamisessa: Voikko's MINEN-infinitive), or a noun
 * or adjective derived with one of fi_abstract_suffixes, or whose base
 * form is an action or quality noun (-minen, -uus/-yys, -nti/-nta: also
 * lexicalised ones Voikko does not split, kuntoutus). "ihminen" only
 * looks like one; short -nta words are things (ranta, kanta). */
static int is_fi_nominal(const struct check_morph_word *w)
{
    const char *b = w->base;
    size_t n = strlen(b);
    unsigned c;

    if (w->count == 0) {
        return 0;
    }
    c = w->a[0].wclass;
    if (c == CHECK_WC_VERB) {
        return w->a[0].mood == CHECK_MOOD_MINEN_INF &&
               !in_list(b, fi_everyday_minen);
    }
    if ((c != CHECK_WC_NOUN && c != CHECK_WC_ADJ) || is_fi_everyday(b)) {
        return 0;
    }
    if (has_abstract_suffix(w->deriv)) {
        return 1;
    }
    if (c != CHECK_WC_NOUN) {
        return 0;
    }
    if (ends_with(b, "minen")) {
        return !ends_with(b, "ihminen");
    }
    if (ends_with(b, "uus") || ends_with(b, "yys") || ends_with(b, "eus")) {
        return 1;
    }
    return n >= 7 &&
           (ends_with(b, "nti") || ends_with(b, "nta") || ends_with(b, "ntä") ||
            ends_with(b, "nto") || ends_with(b, "ntö"));
}

/* A name: a name class in any analysis (Suomen is also the country), or a
 * capital letter inside the sentence (Kelasta, Omaolon). A name is not a
 * word the writer chose and is not judged as one. */
static int is_fi_name(const struct check_text *t, size_t i, size_t t0,
                      const struct check_morph_word *w)
{
    unsigned k;
    size_t j;

    for (k = 0; k < w->count; k++) {
        if (w->a[k].wclass == CHECK_WC_NAME) {
            return 1;
        }
    }
    if (!(t->tok[i].flags & CHECK_TOK_UPPER_INITIAL)) {
        return 0;
    }
    for (j = t0; j < i; j++) {
        if (t->tok[j].type == CHECK_TOK_WORD ||
            t->tok[j].type == CHECK_TOK_NUMBER) {
            return 1; /* not the first word of the sentence */
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

/* A number finding, at most one of each kind per field: professional
 * plain news about a poll has a percentage in each of its four short
 * paragraphs, and the first underline says what there is to say (the
 * calibration, docs/checker.md: four made yellow noise). The next one is
 * underlined when the first is fixed. */
static int add_number(struct check_ctx *ctx, enum check_msg_id id,
                      enum check_field field, const struct check_span *sp,
                      const char *q, const char *a2)
{
    unsigned f = field == CHECK_FIELD_BODY, k;

    switch (id) {
    case CHECK_M_NUMBER_PERCENT:
        k = 0;
        break;
    case CHECK_M_NUMBER_FRACTION:
        k = 1;
        break;
    case CHECK_M_NUMBER_DECIMAL:
        k = 2;
        break;
    case CHECK_M_NUMBER_LONG:
        k = 3;
        break;
    default:
        k = 4; /* CHECK_M_NUMBER_ROMAN */
        break;
    }
    if (ctx->number_seen[f][k]) {
        return 0;
    }
    ctx->number_seen[f][k] = 1;
    return check_add_span(ctx, id, CHECK_WARNING, field, sp, q, a2, NULL);
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
        return add_number(ctx, CHECK_M_NUMBER_PERCENT, field, &sp, q, NULL);
    }
    if (nx && nx->type == CHECK_TOK_WORD) {
        char lw[WORD_BUF];

        tok_lower(t, nx, lw, sizeof(lw));
        if (strncmp(lw, "prosent", 7) == 0 || strncmp(lw, "procent", 7) == 0 ||
            strncmp(lw, "percent", 7) == 0) {
            tok_span(tk, nx, &sp);
            quote(s, nx->b1 - tk->b0, q, sizeof(q));
            return add_number(ctx, CHECK_M_NUMBER_PERCENT, field, &sp, q, NULL);
        }
    }
    if (has_slash && seps == 1) {
        return add_number(ctx, CHECK_M_NUMBER_FRACTION, field, &sp, q, NULL);
    }
    if (seps == 1 && ((has_comma && ctx->family != 'e') ||
                      (has_dot && ctx->family == 'e'))) {
        return add_number(ctx, CHECK_M_NUMBER_DECIMAL, field, &sp, q, NULL);
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
        return add_number(ctx, CHECK_M_NUMBER_LONG, field, &sp, q, NULL);
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

static int defer_key(struct check_deferred_list *l, enum check_field field,
                     const struct check_text *t, const struct check_token *a,
                     const struct check_token *b, unsigned sent,
                     const char *note, const char *key, size_t keylen)
{
    struct check_deferred d;

    memset(&d, 0, sizeof(d));
    d.field = field;
    d.sent = sent;
    tok_span(a, b, &d.span);
    check_deferred_word(&d, t->s + a->b0, b->b1 - a->b0);
    if (note) {
        snprintf(d.note, sizeof(d.note), "%s", note);
    }
    if (key) {
        snprintf(d.key, sizeof(d.key), "%.*s", (int)keylen, key);
    }
    return check_deferred_push(l, &d);
}

static int defer(struct check_deferred_list *l, enum check_field field,
                 const struct check_text *t, const struct check_token *a,
                 const struct check_token *b, unsigned sent, const char *note)
{
    return defer_key(l, field, t, a, b, sent, note, NULL, 0);
}

/* The long-word rule over the hyphen-separated parts of one word token.
 * A part of CHECK_P_LONG_WORD_LETTERS letters makes the word long: it is
 * counted for the paragraph's rate (and remembered as an example), but
 * underlined on its own only when it is longer than real plain language's
 * compounds get (CHECK_P_WORD_LETTERS letters, or CHECK_P_WORD_PARTS
 * compound parts: vertais|tuki|toiminta|mahdollisuuksista). */
static int long_word(struct check_ctx *ctx, enum check_field field,
                     const struct check_text *t, const struct check_token *tk,
                     const struct check_morph_word *mw, unsigned sent,
                     int *is_long)
{
    unsigned min =
        (unsigned)check_threshold_get(CHECK_P_LONG_WORD_LETTERS)->warn;
    unsigned ex_min =
        (unsigned)check_threshold_get(CHECK_P_EXAMPLE_LETTERS)->warn;
    unsigned vlong = (unsigned)check_threshold_get(CHECK_P_WORD_LETTERS)->warn;
    unsigned vparts = (unsigned)check_threshold_get(CHECK_P_WORD_PARTS)->warn;
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
            if (letters >= ex_min) {
                struct check_span sp = {part_b, at, part_c, cp};
                struct check_morph_word sub;
                const struct check_morph_word *use = NULL;
                char q[128], nbuf[16], split[256] = "";
                unsigned parts = 1;
                int err;

                if (letters >= min) {
                    *is_long = 1;
                }
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
                    parts = use->nparts;
                }
                if (field == CHECK_FIELD_BODY) {
                    struct check_deferred d;

                    memset(&d, 0, sizeof(d));
                    d.field = field;
                    d.sent = sent;
                    d.span = sp;
                    check_deferred_word(&d, t->s + part_b, at - part_b);
                    snprintf(d.note, sizeof(d.note), "%s", split);
                    if ((err = check_deferred_push(&ctx->longs, &d)) < 0) {
                        return err;
                    }
                }
                if (letters >= vlong || (letters >= min && parts >= vparts)) {
                    quote(t->s + part_b, at - part_b, q, sizeof(q));
                    snprintf(nbuf, sizeof(nbuf), "%u", letters);
                    if (split[0]) {
                        err = check_add_span(ctx, CHECK_M_WORD_LONG_SPLIT,
                                             CHECK_WARNING, field, &sp, q, nbuf,
                                             split);
                    } else {
                        err = check_add_span(ctx, CHECK_M_WORD_LONG,
                                             CHECK_WARNING, field, &sp, q, nbuf,
                                             NULL);
                    }
                    if (err < 0) {
                        return err;
                    }
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

/* ---- per sentence ------------------------------------------------- */

struct sentence_state {
    struct check_sent_stat *st;
    unsigned sent;        /* index of st in its list */
    unsigned neg_pending; /* words left to find the verb after "ei" */
    size_t neg_tok;
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
                        struct sentence_state *ss)
{
    struct check_sent_stat *st = ss->st;
    const struct check_token *tk = &t->tok[i];
    const struct check_token *pv = prev_tok(t, i, t0);
    int body = field == CHECK_FIELD_BODY;
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
    if (is_fi_nominal(mw) && !is_fi_name(t, i, t0, mw)) {
        /* the base form tells one word from another: a news item says
         * "puolustusteollisuus" five times and it is one word to learn */
        st->nominals++;
        const char *key = mw->base[0] ? mw->base : lw;

        if (body && (err = defer_key(&ctx->noms, field, t, tk, tk, ss->sent,
                                     NULL, key, strlen(key))) < 0) {
            return err;
        }
    }
    if (is_participial(mw, lw)) {
        st->participials++;
        if (body &&
            (err = defer(&ctx->partic, field, t, tk, tk, ss->sent, NULL)) < 0) {
            return err;
        }
    }
    /* Finite verbs and the passive. "ei" carries the person; the verb
     * after it (connegative) says whether the clause is passive. */
    if (mw->a[0].wclass == CHECK_WC_NEG_VERB) {
        st->finite_verbs++;
        ss->neg_pending = 3;
        ss->neg_tok = i;
    } else if (ss->neg_pending > 0) {
        const struct check_morph_analysis *cn = connegative(mw);

        if (cn) {
            int perfect = passive_perfect(t, i, t1, mw, mws);

            ss->neg_pending = 0;
            if (cn->person == 4 || perfect) {
                st->passives++;
                if (body &&
                    (err = defer(&ctx->passives, field, t, &t->tok[ss->neg_tok],
                                 perfect ? &t->tok[i + 1] : tk, ss->sent,
                                 NULL)) < 0) {
                    return err;
                }
            }
        } else {
            ss->neg_pending--;
        }
    } else if (mw->a[0].wclass == CHECK_WC_VERB && mw->a[0].person >= 1 &&
               mw->a[0].negative != CHECK_NEG_TRUE &&
               is_finite_mood(mw->a[0].mood)) {
        int perfect = passive_perfect(t, i, t1, mw, mws);

        st->finite_verbs++;
        if (mw->a[0].person == 4 || perfect) {
            st->passives++;
            if (body && (err = defer(&ctx->passives, field, t, tk,
                                     perfect ? &t->tok[i + 1] : tk, ss->sent,
                                     NULL)) < 0) {
                return err;
            }
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
        st->wiio_words++;
        if (base_has_syllables(ctx->morph, base, syl)) {
            st->hard_words++;
        }
    }
    return 0;
}

static int swedish_word(struct check_ctx *ctx, enum check_field field,
                        const struct check_text *t, size_t i, size_t t0,
                        size_t t1, const char *lw, struct sentence_state *ss)
{
    struct check_sent_stat *st = ss->st;
    const struct check_token *tk = &t->tok[i];

    if (check_sv_is_negation(lw)) {
        st->negations++;
    }
    if (check_sv_is_nominal(lw)) {
        st->nominals++;
        if (field == CHECK_FIELD_BODY) {
            int err = defer_key(&ctx->noms, field, t, tk, tk, ss->sent, NULL,
                                lw, check_sv_nominal_stem(lw));

            if (err < 0) {
                return err;
            }
        }
    }
    if (check_sv_clause_opener(t, i, t0, t1)) {
        st->subclauses++;
    }
    if (!(tk->flags & CHECK_TOK_UPPER_INITIAL) && check_sv_is_passive(lw)) {
        st->passives++;
        if (field == CHECK_FIELD_BODY) {
            return defer(&ctx->passives, field, t, tk, tk, ss->sent, NULL);
        }
    }
    return 0;
}

static struct check_sent_stat *push_stat(struct check_sent_stats *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct check_sent_stat *p = realloc(l->v, cap * sizeof(*p));

        if (!p) {
            return NULL;
        }
        l->v = p;
        l->cap = cap;
    }
    memset(&l->v[l->n], 0, sizeof(l->v[0]));
    return &l->v[l->n++];
}

static int sentence_rules(struct check_ctx *ctx, enum check_field field,
                          const struct check_text *t,
                          const struct check_sentence *se,
                          const struct check_morph_word *mws)
{
    const struct check_threshold *sl =
        check_threshold_get(ctx->family == 'f' ? CHECK_P_SENTENCE_WORDS_FI
                                               : CHECK_P_SENTENCE_WORDS);
    unsigned lix_long =
        (unsigned)check_threshold_get(CHECK_P_LIX_LONG_LETTERS)->warn;
    unsigned caps_min =
        (unsigned)check_threshold_get(CHECK_P_CAPS_LETTERS)->warn;
    struct check_sent_stats *list = field == CHECK_FIELD_BODY ? &ctx->body_stats
                                    : field == CHECK_FIELD_SUMMARY
                                        ? &ctx->summary_stats
                                        : &ctx->title_stats;
    struct sentence_state ss;
    struct check_span sp = {se->b0, se->b1, se->c0, se->c1};
    char nbuf[16], wbuf[16], ebuf[16];
    size_t i;
    int err;

    memset(&ss, 0, sizeof(ss));
    ss.st = push_stat(list);
    if (!ss.st) {
        return TAULU_ENOMEM;
    }
    ss.sent = (unsigned)(list->n - 1);
    ss.st->para = se->para;
    ss.st->span = sp;
    ss.st->words = se->words;
    if (ctx->family == 's' || ctx->family == 'e') {
        /* without a tagger: one finite verb per clause of 3+ words (a
         * heading like "Julbasar i kyrkan" has none) */
        ss.st->finite_verbs = se->words >= 3;
    }

    snprintf(nbuf, sizeof(nbuf), "%u", se->words);
    snprintf(wbuf, sizeof(wbuf), "%.0f", sl->warn);
    snprintf(ebuf, sizeof(ebuf), "%.0f", sl->error);
    if (se->words > (unsigned)sl->error) {
        err = check_add_span(ctx, CHECK_M_SENTENCE_LONG_ERROR, CHECK_ERROR,
                             field, &sp, nbuf, wbuf, ebuf);
    } else if (se->words > (unsigned)sl->warn) {
        err = check_add_span(ctx, CHECK_M_SENTENCE_LONG_WARN, CHECK_WARNING,
                             field, &sp, nbuf, wbuf, ebuf);
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
                if ((err = add_number(ctx, CHECK_M_NUMBER_FRACTION, field, &fs,
                                      q, NULL)) < 0) {
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
        for (a = 0; a < sizeof(officialese) / sizeof(officialese[0]); a++) {
            const struct official *o = &officialese[a];
            size_t last;

            if (o->lang != ctx->family) {
                continue;
            }
            last = match_official(t, i, se->t1, o, lw, mw);
            if (last != (size_t)-1 && strcmp(lw, "sekä") == 0 &&
                word_follows(t, i + 1, se->t1, "että")) {
                last = (size_t)-1; /* "sekä moottoriveneitä että
                                      purjeveneitä" is both ... and */
            }
            if (last != (size_t)-1) {
                struct check_span os;
                char q[64];

                tok_span(tk, &t->tok[last], &os);
                quote(t->s + tk->b0, t->tok[last].b1 - tk->b0, q, sizeof(q));
                ss.st->officialese++;
                if ((err =
                         check_add_span(ctx, CHECK_M_OFFICIALESE, CHECK_WARNING,
                                        field, &os, q, o->plain, NULL)) < 0) {
                    return err;
                }
                break;
            }
        }

        ss.st->word_tokens++;
        ss.st->letters += tk->letters;
        if ((err = long_word(ctx, field, t, tk, mw, ss.sent, &is_long)) < 0) {
            return err;
        }
        if (is_long) {
            ss.st->long_words++;
        }
        if (tk->letters > lix_long) {
            ss.st->lix_long++;
        }
        if ((tk->flags & CHECK_TOK_ALL_UPPER) && tk->letters >= caps_min) {
            char up[WORD_BUF];

            quote(t->s + tk->b0, tk->b1 - tk->b0, up, sizeof(up));
            if (!in_list(up, caps_allowed) &&
                (err = defer(&ctx->caps, field, t, tk, tk, ss.sent, NULL)) <
                    0) {
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
                if ((err = add_number(ctx, CHECK_M_NUMBER_ROMAN, field, &rs, up,
                                      digits)) < 0) {
                    return err;
                }
            }
        }
        if (ctx->family == 'f') {
            err = finnish_word(ctx, field, t, i, se->t0, se->t1, lw, mw, mws,
                               &ss);
        } else if (ctx->family == 's') {
            err = swedish_word(ctx, field, t, i, se->t0, se->t1, lw, &ss);
        } else {
            err = 0;
        }
        if (err < 0) {
            return err;
        }
    }
    if (ctx->family == 's') {
        ss.st->finite_verbs += ss.st->subclauses;
        if (ss.st->finite_verbs < ss.st->passives) {
            ss.st->finite_verbs = ss.st->passives;
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
            mws = malloc(nwords * sizeof(*mws));
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
