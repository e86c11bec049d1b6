/*
 * check_sv.c: Swedish without a tagger: which words open a subordinate
 * clause, which are negations and which verbs are s-passives, judged from
 * the written form and a word or two around it.
 *
 * Why not count every "att", "som", "om" and "där": in professional
 * lättläst (8 Sidor, Klartext, LL-Bladet) most of them open no clause.
 * "att" is mostly the infinitive marker ("Det är bra att röra sig"), "som"
 * often means "as" ("som medlem", "lika stor som"), "om" is mostly the
 * preposition "about" ("prata om mötet") and "där" the adverb "there"
 * ("Där finns kaffe"). Counting them all made the subordinate-clause rule
 * fire on most real plain paragraphs (docs/checker.md, calibration).
 *
 * A real tagger would be better; the one Debian has for Swedish
 * (apertium-swe-nor's lttoolbox analyser) is C++ and runs as a separate
 * process, which does not fit a check that runs while the volunteer types.
 * So the rules below look at the neighbours: a clause opener is followed
 * by a subject (du, vi, barnen, Anna) or, for relative "som", by a finite
 * verb; an infinitive marker by an infinitive (most end in -a).
 */
#include <string.h>

#include "check_internal.h"

static int in_list(const char *w, const char *const *list)
{
    for (; *list; list++) {
        if (strcmp(w, *list) == 0) {
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

/* Words that stand as the subject at the start of a clause: personal
 * pronouns in the subject form and determiners that begin a noun phrase. */
static const char *const subjects[] = {
    "du",   "ni",     "vi",    "jag",    "han",     "hon",   "hen",   "de",
    "dom",  "den",    "det",   "man",    "någon",   "något", "detta", "dessa",
    "alla", "många",  "flera", "några",  "ingen",   "inget", "inga",  "en",
    "ett",  "min",    "mitt",  "mina",   "din",     "ditt",  "dina",  "sin",
    "sitt", "sina",   "vår",   "vårt",   "våra",    "er",    "ert",   "era",
    "hans", "hennes", "deras", "varje",  "båda",    "andra", "vissa", "hela",
    "fler", "färre",  "allt",  "mycket", "somliga", "dessa", "vem",   "vad",
    NULL,
};

/* Object pronouns: "om oss", "om dig" is the preposition. */
static const char *const objects[] = {
    "mig", "dig", "oss", "er", "honom", "henne", "dem", "sig", "varandra", NULL,
};

/* Finite verbs and auxiliaries that follow a relative "som" or a subject:
 * the common irregular ones; regular present tense is judged by -r. */
static const char *const finite_verbs[] = {
    "är",     "var",    "har",     "hade",    "kan",    "kunde",   "ska",
    "skall",  "skulle", "vill",    "ville",   "måste",  "får",     "fick",
    "bör",    "borde",  "blir",    "blev",    "finns",  "fanns",   "går",
    "gick",   "kommer", "kom",     "gör",     "gjorde", "brukar",  "behöver",
    "står",   "stod",   "ser",     "såg",     "tar",    "tog",     "ger",
    "gav",    "vet",    "visste",  "bor",     "bodde",  "heter",   "hette",
    "ligger", "låg",    "sitter",  "satt",    "säger",  "sa",      "sade",
    "lever",  "levde",  "dog",     "dör",     "sker",   "skedde",  "hör",
    "känner", "tycker", "tror",    "tänker",  "jobbar", "arbetar", "talar",
    "pratar", "läser",  "skriver", "hjälper", "möts",   "träffas", "syns",
    "hänt",   "hände",  "händer",  NULL,
};

/* Adverbs that stand between "som" or a subject and its verb. */
static const char *const mid_adverbs[] = {
    "inte", "också",  "redan", "ofta",        "alltid", "aldrig", "gärna",
    "bara", "även",   "ännu",  "fortfarande", "själv",  "snart",  "ju",
    "nog",  "kanske", "sedan", "numera",      "då",     NULL,
};

/* Infinitives that do not end in -a. */
static const char *const short_infinitives[] = {
    "gå", "få",  "se", "bo",  "ge",  "stå", "dö",  "tro", "nå", "sy", "må",
    "le", "slå", "be", "dra", "flå", "klä", "spå", "två", "ro", NULL,
};

static int is_finite_verb(const char *w)
{
    size_t n = strlen(w);

    if (in_list(w, finite_verbs)) {
        return 1;
    }
    /* Present tense of the regular conjugations: arbetar, behöver, bor.
     * Plural nouns end alike (medlemmar), but rarely right after "som". */
    if (n >= 4 && (ends_with(w, "ar") || ends_with(w, "er"))) {
        return !ends_with(w, "are") && !ends_with(w, "ner");
    }
    /* Past tense: ordnade, köpte, kände. */
    return n >= 5 &&
           (ends_with(w, "ade") || ends_with(w, "de") || ends_with(w, "te"));
}

static int is_infinitive(const char *w)
{
    size_t n = strlen(w);

    if (in_list(w, short_infinitives)) {
        return 1;
    }
    if (in_list(w, subjects)) {
        return 0; /* alla, många, andra, våra, hela end in -a too */
    }
    return n >= 3 && w[n - 1] == 'a';
}

/* The lower-cased word `k` tokens after i (words only; punctuation ends
 * the look-ahead), or "" if there is none. Sets *cap when it starts with a
 * capital (a name: Anna, Kommunen at the start is not possible here) and
 * *num when the token is a number. */
static void word_at(const struct check_text *t, size_t i, size_t t1, int k,
                    char *buf, size_t sz, int *cap, int *num)
{
    size_t j = i;

    buf[0] = '\0';
    *cap = 0;
    *num = 0;
    while (k-- > 0) {
        j++;
        if (j >= t1 || (t->tok[j].type != CHECK_TOK_WORD &&
                        t->tok[j].type != CHECK_TOK_NUMBER)) {
            return;
        }
    }
    if (t->tok[j].type == CHECK_TOK_NUMBER) {
        *num = 1;
        return;
    }
    check_tok_lower(t, j, buf, sz);
    *cap = (t->tok[j].flags & CHECK_TOK_UPPER_INITIAL) != 0;
}

/* Does the word after i begin a clause's subject? */
static int subject_follows(const char *n1, int cap, int num)
{
    return cap || num || in_list(n1, subjects);
}

int check_sv_clause_opener(const struct check_text *t, size_t i, size_t t0,
                           size_t t1)
{
    char w[64], n1[64], n2[64], pw[64] = "";
    int cap1, num1, cap2, num2;
    const struct check_token *pv = i > t0 ? &t->tok[i - 1] : NULL;
    int at_start =
        !pv ||
        (pv->type == CHECK_TOK_PUNCT &&
         (pv->cp == ',' || pv->cp == 0x2013 || pv->cp == '-' || pv->cp == ':'));

    check_tok_lower(t, i, w, sizeof(w));
    if (pv && pv->type == CHECK_TOK_WORD) {
        check_tok_lower(t, i - 1, pw, sizeof(pw));
    }
    word_at(t, i, t1, 1, n1, sizeof(n1), &cap1, &num1);
    word_at(t, i, t1, 2, n2, sizeof(n2), &cap2, &num2);

    if (strcmp(w, "att") == 0) {
        /* "att inte komma", "att du kommer": look past one adverb */
        if (in_list(n1, mid_adverbs)) {
            memcpy(n1, n2, sizeof(n1));
            cap1 = cap2;
            num1 = num2;
        }
        if (n1[0] == '\0' && !num1) {
            return 0;
        }
        if (subject_follows(n1, cap1, num1)) {
            return 1;
        }
        return !is_infinitive(n1);
    }
    if (strcmp(w, "som") == 0) {
        if (strcmp(pw, "lika") == 0 || strcmp(pw, "så") == 0 ||
            strcmp(pw, "samma") == 0 || strcmp(pw, "sådan") == 0 ||
            strcmp(pw, "sådant") == 0 || strcmp(pw, "sådana") == 0 ||
            strcmp(pw, "precis") == 0 || strcmp(pw, "både") == 0) {
            return 0; /* "lika stor som", "så snart som", "både som" */
        }
        if (is_finite_verb(n1) || in_list(n1, mid_adverbs)) {
            return 1; /* "de som bor", "alla som inte kan" */
        }
        /* "boken som du läser": an object relative has its own subject
         * and then a verb */
        if (in_list(n1, subjects) && !in_list(n1, objects) &&
            (is_finite_verb(n2) || in_list(n2, mid_adverbs))) {
            return 1;
        }
        return 0; /* "som medlem", "som vanligt", "som en vän" */
    }
    if (strcmp(w, "om") == 0) {
        if (in_list(n1, objects)) {
            return 0; /* "om oss" */
        }
        if (strcmp(pw, "även") == 0 || strcmp(pw, "som") == 0) {
            return 1; /* "även om", "som om" */
        }
        if (strcmp(n1, "det") == 0 || strcmp(n1, "den") == 0 ||
            strcmp(n1, "detta") == 0) {
            /* "om det regnar" against "prata om det" */
            return is_finite_verb(n2) || in_list(n2, mid_adverbs);
        }
        if (at_start) {
            return n1[0] != '\0';
        }
        return in_list(n1, subjects) && strcmp(n1, "en") != 0 &&
               strcmp(n1, "ett") != 0 && !cap1;
    }
    if (strcmp(w, "där") == 0) {
        /* "där vi träffas" is a clause; "Där finns kaffe", "där borta"
         * and "vi ses där." are the adverb */
        return subject_follows(n1, cap1, num1) && strcmp(n1, "en") != 0 &&
               strcmp(n1, "ett") != 0;
    }
    if (strcmp(w, "när") == 0) {
        /* "När börjar kursen?" is a question, not a clause */
        if (!pv && t1 > t0 && t->tok[t1 - 1].type == CHECK_TOK_PUNCT &&
            t->tok[t1 - 1].cp == '?') {
            return 0;
        }
        return 1;
    }
    if (strcmp(w, "vilket") == 0 || strcmp(w, "vilken") == 0 ||
        strcmp(w, "vilka") == 0) {
        return pv && pv->type == CHECK_TOK_PUNCT && pv->cp == ',';
    }
    return strcmp(w, "eftersom") == 0 || strcmp(w, "medan") == 0 ||
           strcmp(w, "innan") == 0 || strcmp(w, "ifall") == 0 ||
           strcmp(w, "fast") == 0 || strcmp(w, "vars") == 0 ||
           strcmp(w, "såvida") == 0 || strcmp(w, "tills") == 0;
}

static const char *const negations[] = {
    "inte", "ej",        "icke",       "aldrig", "ingen", "inget",
    "inga", "ingenting", "ingenstans", "varken", NULL,
};

int check_sv_is_negation(const char *lw)
{
    return in_list(lw, negations);
}

/* Swedish verbs in -s that are not passive (deponents, reciprocals) and
 * common words that merely end like a passive. */
static const char *const not_passive[] = {
    "finns",     "fanns",     "funnits",  "hoppas",   "hoppades", "minns",
    "mindes",    "känns",     "kändes",   "syns",     "syntes",   "trivs",
    "trivdes",   "lyckas",    "lyckades", "lyckats",  "andas",    "låtsas",
    "umgås",     "slåss",     "vistas",   "åldras",   "svettas",  "brottas",
    "träffas",   "träffades", "ses",      "möts",     "samlas",   "samlades",
    "kramas",    "pratas",    "hörs",     "märks",    "fattas",   "plats",
    "kurs",      "hus",       "buss",     "glas",     "gas",      "bas",
    "mus",       "ris",       "pris",     "ros",      "kaos",     "atlas",
    "tips",      "kompass",   "status",   "campus",   "bonus",    "virus",
    "fokus",     "minus",     "plus",     "ananas",   "ingas",    "alls",
    "redas",     "fritids",   "dags",     "bredvids", "tvärs",    "annars",
    "hellres",   "kvartals",  "mitts",    "ts",       "efteråt",  "ibland",
    "förändras", "behövs",    "behövdes", "krävs",    "krävdes",  "tycks",
    "tyckas",    "kallas",    "enas",     "väntas",   "övervägs", "försvann",
    "stads",     "lands",     "folks",    "livs",     "års",      "slags",
    "sorts",     "västs",     "nordens",  "öns",      "ens",      NULL,
};

/* Short s-passives the endings below cannot tell from other words. */
static const char *const short_passives[] = {
    "fås",  "ges",   "gavs", "görs",  "gjordes", "tas",    "togs",
    "dras", "drogs", "sägs", "sades", "anses",   "ansågs", NULL,
};

int check_sv_is_passive(const char *lw)
{
    size_t n = strlen(lw);

    if (in_list(lw, short_passives)) {
        return 1;
    }
    if (n < 5 || in_list(lw, not_passive)) {
        return 0;
    }
    if (ends_with(lw, "ens") || ends_with(lw, "ets") || ends_with(lw, "ans") ||
        ends_with(lw, "ss") || ends_with(lw, "ors") || ends_with(lw, "ars") ||
        ends_with(lw, "ers") || ends_with(lw, "rnas") ||
        ends_with(lw, "tions") || ends_with(lw, "ings") ||
        ends_with(lw, "hets") || ends_with(lw, "skaps")) {
        return 0; /* genitives: kommunens, mötets, medlemmarnas, barnens */
    }
    return ends_with(lw, "as") || ends_with(lw, "des") ||
           ends_with(lw, "tes") || ends_with(lw, "ats") ||
           ends_with(lw, "ds") || ends_with(lw, "lls") ||
           ends_with(lw, "nns") || ends_with(lw, "rs") || ends_with(lw, "es");
}

/* Nominalisations, the noun style of official Swedish (bedömning,
 * tillgänglighet, förutsättning, information): suffixes of action and
 * quality nouns in all their forms. A few everyday nouns end alike. */
static const char *const nominal_suffixes[] = {
    "ning",   "ningen",  "ningar", "ningarna", "het",    "heten",
    "heter",  "heterna", "else",   "elsen",    "elser",  "tion",
    "tionen", "tioner",  "skap",   "skapet",   "skapen", NULL,
};

static const char *const not_nominal[] = {
    "tidning",  "tidningen",  "tidningar",  "tidningarna",
    "förening", "föreningen", "föreningar", "föreningarna",
    "ingen",    "sällskap",   "sällskapet", NULL,
};

/* The roots of the suffixes above, in the same order of length. */
static const char *const nominal_roots[] = {"ning", "het",  "else",
                                            "tion", "skap", NULL};

size_t check_sv_nominal_stem(const char *lw)
{
    const char *const *s;
    size_t n = strlen(lw);

    if (!check_sv_is_nominal(lw)) {
        return 0;
    }
    for (s = nominal_suffixes; *s; s++) {
        if (ends_with(lw, *s)) {
            const char *const *r;

            for (r = nominal_roots; *r; r++) {
                if (strncmp(*s, *r, strlen(*r)) == 0) {
                    return n - strlen(*s) + strlen(*r);
                }
            }
        }
    }
    return n;
}

int check_sv_is_nominal(const char *lw)
{
    const char *const *s;

    if (strlen(lw) < 6 || in_list(lw, not_nominal)) {
        return 0;
    }
    for (s = nominal_suffixes; *s; s++) {
        if (ends_with(lw, *s)) {
            return 1;
        }
    }
    return 0;
}
