/*
 * check_internal.h: what the checker's modules share with each other (not
 * with the server): the threshold table, the tokenizer's output, the
 * message catalogue and the run context that collects findings.
 */
#ifndef CHECK_INTERNAL_H
#define CHECK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "check_morph.h"

/* ---- thresholds (check_thresholds.c) ---------------------------------- */

enum check_param {
    CHECK_P_SENTENCE_WORDS,    /* words in one sentence: warn >, error > */
    CHECK_P_SENTENCE_WORDS_FI, /* the same for Finnish (longer words) */
    CHECK_P_LONG_WORD_LETTERS, /* a long word (summary): letters >= */
    CHECK_P_EXAMPLE_LETTERS,   /* a word named as an example of long words */
    CHECK_P_WORD_LETTERS,      /* one word underlined: letters >= */
    CHECK_P_WORD_PARTS,        /* one word underlined: compound parts >= */
    CHECK_P_WIIO_SYLLABLES,    /* base form syllables that make a word hard */
    CHECK_P_LIX_LONG_LETTERS,  /* LIX long word: letters > */
    /* Rates over a paragraph (or paragraphs joined to reach
     * CHECK_P_INDEX_MIN_WORDS words): warn > (outside real plain language)
     * and far > (well inside official prose). */
    CHECK_P_WPS_FI,            /* mean words per sentence, Finnish */
    CHECK_P_WPS_SV,            /* the same, Swedish (and English) */
    CHECK_P_WIIO,              /* Wiio index (Finnish with morphology) */
    CHECK_P_LIX,               /* LIX (Swedish) */
    CHECK_P_SUBCLAUSES_FI,     /* subordinate clauses per sentence */
    CHECK_P_SUBCLAUSES_SV,     /* the same, Swedish */
    CHECK_P_NEGATIONS_FI,      /* negations per sentence, Finnish */
    CHECK_P_NEGATIONS_SV,      /* the same, Swedish */
    CHECK_P_PASSIVE_FI,        /* passive share of the finite verbs */
    CHECK_P_PASSIVE_SV,        /* the same, Swedish (estimated) */
    CHECK_P_PARTICIPIAL,       /* participial constructions per 100 words */
    CHECK_P_LETTERS_FI,        /* mean letters per word, Finnish */
    CHECK_P_LONG_RATE_SV,      /* long words per 100 words, Swedish, English */
    CHECK_P_NOMINALS_FI,       /* nominalisations per 100 words, Finnish */
    CHECK_P_NOMINALS_SV,       /* the same, Swedish */
    CHECK_P_OFFICIALESE,       /* officialese words per 100 words */
    CHECK_P_HARD_STRIKES,      /* plain mode: this many rates past warn (a
                                  rate past far counts twice) is an error */
    CHECK_P_NUMBER_DIGITS,     /* digits in one number: warn > */
    CHECK_P_CAPS_LETTERS,      /* an all-capital word has at least this */
    CHECK_P_CAPS_WORDS,        /* all-capital words in a version: warn > */
    CHECK_P_TITLE_BYTES,       /* error > (manifest limit) */
    CHECK_P_BODY_BYTES,        /* error > (manifest limit) */
    CHECK_P_SUMMARY_BYTES,     /* short screen text: error > (manifest) */
    CHECK_P_ALT_BYTES,         /* image text alternative: error > */
    CHECK_P_LINK_BYTES,        /* link: warn > (dense QR), error > */
    CHECK_P_ANALYSE_BYTES,     /* longest field that is analysed at all */
    CHECK_P_MAX_FINDINGS,      /* findings kept per run */
    CHECK_P_PER_FIELD_REPEATS, /* same control/markup finding per field */
    CHECK_P_INDEX_MIN_WORDS,   /* rates need at least this many words */
    CHECK_P_BLOCK_WORDS,       /* paragraphs are joined to this many */
    CHECK_P_SHORT_WORDS,       /* a shorter body from this many words is
                                  judged as a whole, and only as a whole */
    CHECK_P_SHORT_STRIKES,     /* strikes that make such a body hard */
    CHECK_P_COUNT
};

struct check_threshold {
    enum check_param id;
    const char *name; /* for docs and logs */
    double warn;      /* meaning per row; see the comment of the row */
    double error;     /* error level, or "far" for the rates; 0 if none */
};

/* The row of the table for `id`. */
const struct check_threshold *check_threshold_get(enum check_param id);
/* The whole table, for the docs test. */
const struct check_threshold *check_threshold_table(size_t *count);

/* ---- text: characters, tokens, sentences (check_text.c) -------------- */

int check_cp_is_letter(uint32_t cp);
int check_cp_is_upper(uint32_t cp);
int check_cp_is_lower(uint32_t cp);
uint32_t check_cp_to_lower(uint32_t cp);
/* Lower-cases valid UTF-8 s[0..len) into out (NUL-terminated). Returns the
 * length, or -1 if it does not fit in outsz. */
int check_utf8_lower(const char *s, size_t len, char *out, size_t outsz);

enum check_tok_type {
    CHECK_TOK_WORD,   /* letters, with inner hyphens, apostrophes, colons */
    CHECK_TOK_NUMBER, /* digits with inner . , : / and 10 000 groups */
    CHECK_TOK_PUNCT,  /* one punctuation or symbol character */
    CHECK_TOK_NEWLINE /* a line break inside a paragraph */
};

#define CHECK_TOK_UPPER_INITIAL 0x01u /* first letter is upper case */
#define CHECK_TOK_ALL_UPPER     0x02u /* every letter is upper case */
#define CHECK_TOK_SPACE_BEFORE  0x04u /* white space (or start) before */
#define CHECK_TOK_HAS_HYPHEN    0x08u /* word with an inner hyphen */
#define CHECK_TOK_DIGIT_SEP     0x10u /* number with a thousands space */

struct check_token {
    size_t b0, b1; /* bytes [b0, b1) in the field */
    size_t c0, c1; /* code points */
    enum check_tok_type type;
    unsigned flags;
    unsigned letters; /* letters (words) or digits (numbers) */
    uint32_t cp;      /* PUNCT: the character */
    int morph;        /* index into the run's analyses, -1 if none */
};

struct check_sentence {
    size_t t0, t1; /* tokens [t0, t1) */
    size_t b0, b1; /* span of the sentence in the field */
    size_t c0, c1;
    unsigned words; /* word and number tokens */
    unsigned para;  /* paragraph (blank-line separated), from 0 */
};

struct check_text {
    const char *s; /* borrowed field text */
    size_t len;
    struct check_token *tok;
    size_t ntok, captok;
    struct check_sentence *sent;
    size_t nsent, capsent;
};

void check_text_init(struct check_text *t);
void check_text_release(struct check_text *t);
/* Tokenizes valid UTF-8 text and splits it into sentences. Returns 0 or
 * TAULU_ENOMEM. The text stays borrowed. */
int check_text_parse(struct check_text *t, const char *s, size_t len);

/* Code point offset of byte `b` (a character boundary) given that byte b0
 * is code point c0. */
size_t check_cp_offset(const char *s, size_t b0, size_t c0, size_t b);

/* Lower-cased text of token i into buf, or "" if it does not fit. */
void check_tok_lower(const struct check_text *t, size_t i, char *buf,
                     size_t sz);

/* ---- Swedish word classes without a tagger (check_sv.c) --------------- */

/* 1 if word token i of the sentence [t0, t1) opens a subordinate clause
 * (att + subject, relative som + verb, conditional om, relative där, när,
 * eftersom...); 0 for the infinitive marker, "som" = "as", the preposition
 * "om" and the adverb "där". */
int check_sv_clause_opener(const struct check_text *t, size_t i, size_t t0,
                           size_t t1);
int check_sv_is_negation(const char *lw);
/* 1 for a nominalisation (bedömning, tillgänglighet, information). */
int check_sv_is_nominal(const char *lw);
/* The bytes of a nominalisation's stem without its inflection
 * ("bedömningarna" -> 8, "bedömning"), 0 for another word. */
size_t check_sv_nominal_stem(const char *lw);
/* 1 if the lower-cased word looks like an s-passive (ordnas, serveras). */
int check_sv_is_passive(const char *lw);

/* ---- Swedish hyphenation (check_hyphen_sv.c, the libhyphen edge) ---- */

/* Longest word (code points) whose break points are looked up. */
#define CHECK_HYPH_WORD_MAX 96

struct check_sv_hyph;
/* Loads a libhyphen dictionary; NULL with *err TAULU_EUNAVAIL (logged) or
 * TAULU_ENOMEM. Not thread-safe to use: the caller serialises. */
struct check_sv_hyph *check_sv_hyph_new(const char *dict_path, int *err);
void check_sv_hyph_free(struct check_sv_hyph *h); /* accepts NULL */
/* The standard break points of a word of `ncp` code points (letters):
 * before[i] = 1 where a break may come before code point i. 0,
 * TAULU_EVALUE (a letter outside Latin-1, or the library refused it),
 * TAULU_ELIMIT. */
int check_sv_hyph_word(struct check_sv_hyph *h, const char *word, size_t len,
                       unsigned char *before, size_t ncp);

/* ---- messages (check_msg.c) ----------------------------------------- */

enum check_msg_id {
    CHECK_M_SENTENCE_LONG_WARN,
    CHECK_M_SENTENCE_LONG_ERROR,
    CHECK_M_WORD_LONG,
    CHECK_M_WORD_LONG_SPLIT,
    CHECK_M_HARD_PLAIN,     /* plain mode: the paragraph is not plain yet */
    CHECK_M_HARD,           /* standard mode: the paragraph is hard */
    CHECK_M_SENTENCES_LONG, /* the rates, one by one */
    CHECK_M_LONG_WORDS,
    CHECK_M_NOMINALS,
    CHECK_M_WIIO,
    CHECK_M_LIX,
    CHECK_M_SUBCLAUSES,
    CHECK_M_NEGATIONS,
    CHECK_M_PASSIVE,
    CHECK_M_PARTICIPIAL,
    CHECK_M_ABBREVIATION,
    CHECK_M_WEEKDAY,
    CHECK_M_OFFICIALESE,
    CHECK_M_NUMBER_LONG,
    CHECK_M_NUMBER_PERCENT,
    CHECK_M_NUMBER_FRACTION,
    CHECK_M_NUMBER_DECIMAL,
    CHECK_M_NUMBER_ROMAN,
    CHECK_M_CAPITALS,
    CHECK_M_MORPHOLOGY_UNAVAILABLE,
    CHECK_M_LANGUAGE_NOT_CHECKED,
    CHECK_M_TITLE_MISSING,
    CHECK_M_BODY_MISSING,
    CHECK_M_ORGANISATION_MISSING,
    CHECK_M_CONTACT_MISSING,
    CHECK_M_DISPLAY_UNTIL_MISSING,
    CHECK_M_DISPLAY_UNTIL_PAST,
    CHECK_M_DISPLAY_UNTIL_BEFORE_FROM,
    CHECK_M_DISPLAY_UNTIL_BEFORE_EVENT,
    CHECK_M_EVENT_START_MISSING,
    CHECK_M_EVENT_END_MISSING,
    CHECK_M_EVENT_END_BEFORE_START,
    CHECK_M_TIME_CONTRADICTS_START,
    CHECK_M_TIME_CONTRADICTS_END,
    CHECK_M_TIME_OUTSIDE_EVENT,
    CHECK_M_IMAGE_ALT_MISSING,
    CHECK_M_LINK_SCHEME,
    CHECK_M_LINK_HTTP,
    CHECK_M_LINK_SPACE,
    CHECK_M_LINK_HOST,
    CHECK_M_LINK_USERINFO,
    CHECK_M_LINK_LONG,
    CHECK_M_LINK_TOO_LONG,
    CHECK_M_LINK_LOCAL,
    CHECK_M_MARKUP_TAG,
    CHECK_M_MARKUP_ENTITY,
    CHECK_M_MARKUP_SCRIPT,
    CHECK_M_CONTROL_CHAR,
    CHECK_M_UTF8_INVALID,
    CHECK_M_TOO_LONG,
    /* the fit on the screens ({7}: the screen and what happens there) */
    CHECK_M_FIT_PAGES,         /* text_does_not_fit, no short screen text */
    CHECK_M_FIT_PAGES_SUMMARY, /* text_does_not_fit with one */
    CHECK_M_FIT_TITLE,         /* title_does_not_fit */
    CHECK_M_FIT_WORD,          /* word_too_wide, {1}: where it splits */
    CHECK_M_FIT_WORD_PLAIN,    /* word_too_wide, no split known */
    CHECK_M_FIT_WORD_SPLIT,    /* word_split (warning), {1}: the parts */
    CHECK_M_FIT_LOST,          /* text_not_shown */
    CHECK_M_FIT_NO_ROOM,       /* screen_too_small */
    CHECK_M_COUNT
};

/* Arguments of a template: {1}..{6} are the same in every language,
 * {7} to {9} are given per language (phrases built from the catalogue). */
#define CHECK_MSG_ARGS   9
#define CHECK_MSG_SHARED 6
#define CHECK_MSG_LARGS  3

struct check_msg {
    enum check_msg_id id;
    const char *code; /* the finding code this message belongs to */
    const char *text[CHECK_MSG_LANGS]; /* templates with {1} .. {6} */
    /* The figures behind the finding, for the approver (NULL: none). */
    const char *details[CHECK_MSG_LANGS];
};

const struct check_msg *check_msg_get(enum check_msg_id id);

/* The pieces the paragraph rules compose their messages of: a reason in
 * words ("lauseet ovat pitkiä") and the figure behind it for the details
 * line ("keskimäärin {1} sanaa lauseessa, raja {2}"). */
enum check_phrase_id {
    CHECK_PH_WPS,
    CHECK_PH_LONGEST,
    CHECK_PH_LETTERS,
    CHECK_PH_LONG,
    CHECK_PH_NOMINALS,
    CHECK_PH_OFFICIALESE,
    CHECK_PH_WIIO,
    CHECK_PH_LIX,
    CHECK_PH_SUBCLAUSES,
    CHECK_PH_NEGATIONS,
    CHECK_PH_PASSIVE,
    CHECK_PH_PARTICIPIAL,
    CHECK_PH_COUNT
};

struct check_phrase {
    enum check_phrase_id id;
    int item; /* the reason is a thing the paragraph has: "paljon
                 teonnimiä", listed after one "siinä on" */
    const char *reason[CHECK_MSG_LANGS];
    const char *figure[CHECK_MSG_LANGS]; /* {1} the value, {2} the limit */
    const char *advice[CHECK_MSG_LANGS]; /* what to do, one sentence */
};

const struct check_phrase *check_phrase_get(enum check_phrase_id id);
/* " ja ", " och ", " and ": before the last of several reasons. */
const char *check_phrase_and(int lang);
/* "siinä on ", "den har ", "it has ": before the items. */
const char *check_phrase_has(int lang);
/* ", ja ", ", och ", ", and ": between the statements and the items. */
const char *check_phrase_then(int lang);

/* Expands a template: "{1}".."{9}" are replaced by args[0..8] (NULL = "").
 * Returns a malloc'd string or NULL when memory runs out. */
char *check_msg_expand(const char *tmpl,
                       const char *const args[CHECK_MSG_ARGS]);

/* ---- the run (check.c) ---------------------------------------------- */

/* A word remembered during the pass over sentences and reported (or not)
 * when the whole version has been seen: passive verbs, long words, capital
 * words. */
struct check_deferred {
    enum check_field field;
    struct check_span span;
    unsigned sent; /* index into the field's sentence statistics */
    char word[64]; /* the word as written, cut at a character boundary */
    char note[96]; /* long words: the compound split, "" if none */
    char key[64];  /* nominalisations: the base form (fi) or stem (sv)
                      that tells one word from another, "" otherwise */
};

struct check_deferred_list {
    struct check_deferred *v;
    size_t n, cap;
};

/* What the first pass counts in one sentence; the paragraph rules
 * (check_para.c) add them up and judge the rates. */
struct check_sent_stat {
    unsigned para; /* paragraph of the field */
    struct check_span span;
    unsigned words;        /* words and numbers */
    unsigned long_words;   /* CHECK_P_LONG_WORD_LETTERS letters or more */
    unsigned lix_long;     /* more than CHECK_P_LIX_LONG_LETTERS letters */
    unsigned wiio_words;   /* words looked up for Wiio (fi, morphology) */
    unsigned hard_words;   /* of them, base form of 4+ syllables */
    unsigned subclauses;   /* subordinate clauses */
    unsigned negations;    /* negative words */
    unsigned finite_verbs; /* finite verbs (sv: one per clause) */
    unsigned passives;     /* of them, passive */
    unsigned participials; /* participial constructions (fi) */
    unsigned word_tokens;  /* words only (no numbers), for letters/word */
    unsigned letters;      /* letters of those words */
    unsigned nominals;     /* nominalisations: järjestäminen, toteutus,
                              toiminta; bedömning, tillgänglighet */
    unsigned officialese;  /* samt, erhålla, i samband med; toimesta */
};

struct check_sent_stats {
    struct check_sent_stat *v;
    size_t n, cap;
};

struct check_ctx {
    const struct check_input *in;
    struct check_result *res;
    struct check_morph_handle *morph; /* NULL: no morphology this run */
    char family;                      /* see check_lang_family */
    int64_t now;
    int oom; /* set when memory ran out: the run fails */

    /* the first pass: one entry per sentence of the title and the body */
    struct check_sent_stats title_stats, body_stats, summary_stats;
    struct check_deferred_list passives; /* passive verbs (body) */
    struct check_deferred_list longs;    /* long words (body) */
    struct check_deferred_list partic;   /* participial constructions */
    struct check_deferred_list noms;     /* nominalisations (body) */
    struct check_deferred_list caps;     /* all-capital words */
    /* number findings (percent, fraction, decimal, long, Roman) already
     * made, per field (title, body) and kind */
    unsigned char number_seen[2][5];
};

/* Copies `len` bytes of word into d->word, cut at a character boundary. */
void check_deferred_word(struct check_deferred *d, const char *s, size_t len);
/* Appends; returns 0 or TAULU_ENOMEM. */
int check_deferred_push(struct check_deferred_list *l,
                        const struct check_deferred *d);
void check_deferred_release(struct check_deferred_list *l);

/* Adds a finding with message `id`. The span is given in bytes of the
 * field text `s` (NULL for fields without text); code points are computed
 * here. Returns 0 or TAULU_ENOMEM (also sets ctx->oom). Past the findings
 * limit the finding is dropped and summary.truncated is set. */
int check_add(struct check_ctx *ctx, enum check_msg_id id,
              enum check_severity sev, enum check_field field, const char *s,
              size_t b0, size_t b1, const char *a1, const char *a2,
              const char *a3);

/* The same with a span already in code points (tokens carry both). */
int check_add_span(struct check_ctx *ctx, enum check_msg_id id,
                   enum check_severity sev, enum check_field field,
                   const struct check_span *span, const char *a1,
                   const char *a2, const char *a3);

/* The general form: six arguments shared by the languages ({1}..{6}),
 * two per language ({7}, {8}; largs may be NULL) for the message and its
 * details line, and the scope (CHECK_SCOPE_PARAGRAPH for the rates). */
int check_add_full(struct check_ctx *ctx, enum check_msg_id id,
                   enum check_severity sev, enum check_field field,
                   enum check_scope scope, const struct check_span *span,
                   const char *const args[CHECK_MSG_SHARED],
                   const char *const (*largs)[CHECK_MSG_LARGS]);

/* ---- rule modules ---------------------------------------------------- */

/* Content rules: required fields, dates, link, markup, controls, lengths,
 * UTF-8 (check_content.c). Sets *title_ok / *body_ok / *summary_ok (0 also
 * for no summary) to 0 when the field
 * must not be analysed further (invalid UTF-8 or beyond the analyse
 * limit). */
int check_content_rules(struct check_ctx *ctx, int *title_ok, int *body_ok,
                        int *summary_ok);

/* A clock time in the text ("klo 17", "kello 17.30–19", "kl. 17") that
 * contradicts the event's structured start or end (check_content.c). */
int check_clock_times(struct check_ctx *ctx, enum check_field field,
                      const struct check_text *t);

/* Language rules on one parsed field (check_lang.c): the words and
 * sentences, and the statistics of each sentence for the paragraph rules. */
int check_language_rules(struct check_ctx *ctx, enum check_field field,
                         struct check_text *t);
/* Rules over the paragraphs of the body (check_para.c): the rates of long
 * sentences and words, readability, clauses, negations, passive and
 * participial constructions; the capitals of the version; the summary's
 * statistics. */
int check_para_rules(struct check_ctx *ctx, const struct check_text *body);

/* Which language rules apply: 'f' Finnish, 's' Swedish, 'e' English, 0
 * none. */
char check_lang_family(const char *lang);

#endif
