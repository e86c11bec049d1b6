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
    CHECK_P_SENTENCE_WORDS,    /* words per sentence: warn >, error > */
    CHECK_P_LONG_WORD_LETTERS, /* letters in a word: warn >= */
    CHECK_P_WIIO,              /* Wiio index (fi): warn > */
    CHECK_P_WIIO_SYLLABLES,    /* base form syllables that make a word hard */
    CHECK_P_LIX,               /* LIX (sv): warn >, error > */
    CHECK_P_LIX_LONG_LETTERS,  /* LIX long word: letters > */
    CHECK_P_SUBCLAUSES,        /* subordinate clauses per sentence: warn > */
    CHECK_P_NEGATIONS_FI,      /* negations per sentence (fi): warn > */
    CHECK_P_NEGATIONS_SV,      /* negations per sentence (sv): warn > */
    CHECK_P_PASSIVE_SHARE,     /* passive finite verbs / finite verbs: > */
    CHECK_P_NUMBER_DIGITS,     /* digits in one number: warn > */
    CHECK_P_CAPS_LETTERS,      /* an all-capital word has at least this */
    CHECK_P_CAPS_WORDS,        /* all-capital words in a version: warn > */
    CHECK_P_TITLE_BYTES,       /* error > (manifest limit) */
    CHECK_P_BODY_BYTES,        /* error > (manifest limit) */
    CHECK_P_ALT_BYTES,         /* image text alternative: error > */
    CHECK_P_LINK_BYTES,        /* link: warn > (dense QR), error > */
    CHECK_P_ANALYSE_BYTES,     /* longest field that is analysed at all */
    CHECK_P_MAX_FINDINGS,      /* findings kept per run */
    CHECK_P_PER_FIELD_REPEATS, /* same control/markup finding per field */
    CHECK_P_INDEX_MIN_WORDS,   /* readability findings need this many words */
    CHECK_P_COUNT
};

struct check_threshold {
    enum check_param id;
    const char *name; /* for docs and logs */
    double warn;      /* meaning per row; see the comment of the row */
    double error;     /* 0 where the rule has no error level */
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

/* ---- messages (check_msg.c) ----------------------------------------- */

enum check_msg_id {
    CHECK_M_SENTENCE_LONG_WARN,
    CHECK_M_SENTENCE_LONG_ERROR,
    CHECK_M_WORD_LONG,
    CHECK_M_WORD_LONG_SPLIT,
    CHECK_M_WIIO,
    CHECK_M_LIX,
    CHECK_M_SUBCLAUSES,
    CHECK_M_PARTICIPIAL,
    CHECK_M_NEGATIONS,
    CHECK_M_NEGATION_SV,
    CHECK_M_PASSIVE,
    CHECK_M_ABBREVIATION,
    CHECK_M_WEEKDAY,
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
    CHECK_M_DOES_NOT_FIT,
    CHECK_M_DOES_NOT_FIT_ON,
    CHECK_M_TITLE_DOES_NOT_FIT_ON,
    CHECK_M_CARD_CONTINUES_ON,
    CHECK_M_COUNT
};

struct check_msg {
    enum check_msg_id id;
    const char *code; /* the finding code this message belongs to */
    const char *text[CHECK_MSG_LANGS]; /* templates with {1} {2} {3} */
};

const struct check_msg *check_msg_get(enum check_msg_id id);

/* Expands a template: "{1}".."{3}" are replaced by args[0..2] (NULL = "").
 * Returns a malloc'd string or NULL when memory runs out. */
char *check_msg_expand(const char *tmpl, const char *const args[3]);

/* ---- the run (check.c) ---------------------------------------------- */

/* A word remembered during the pass over sentences and reported (or not)
 * when the whole version has been seen: passive verbs, capital words. */
struct check_deferred {
    enum check_field field;
    struct check_span span;
    char word[64]; /* the word as written, cut at a character boundary */
};

struct check_deferred_list {
    struct check_deferred *v;
    size_t n, cap;
};

struct check_ctx {
    const struct check_input *in;
    struct check_result *res;
    struct check_morph_handle *morph; /* NULL: no morphology this run */
    char family;                      /* see check_lang_family */
    int64_t now;
    int oom; /* set when memory ran out: the run fails */

    /* statistics over title and body */
    unsigned sentences, words, long_words, lix_long_words;
    unsigned wiio_words; /* words looked up for Wiio (fi, morphology) */
    unsigned hard_words; /* of them, base form of 4+ syllables */
    unsigned finite_verbs;
    struct check_deferred_list passives;
    struct check_deferred_list caps;
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

/* ---- rule modules ---------------------------------------------------- */

/* Content rules: required fields, dates, link, markup, controls, lengths,
 * UTF-8 (check_content.c). Sets *title_ok / *body_ok to 0 when the field
 * must not be analysed further (invalid UTF-8 or beyond the analyse
 * limit). */
int check_content_rules(struct check_ctx *ctx, int *title_ok, int *body_ok);

/* A clock time in the text ("klo 17", "kello 17.30–19", "kl. 17") that
 * contradicts the event's structured start or end (check_content.c). */
int check_clock_times(struct check_ctx *ctx, enum check_field field,
                      const struct check_text *t);

/* Language rules on one parsed field (check_lang.c). */
int check_language_rules(struct check_ctx *ctx, enum check_field field,
                         struct check_text *t);
/* Rules over the whole version: readability, passive share, capitals. */
int check_language_version(struct check_ctx *ctx, struct check_text *title,
                           struct check_text *body);

/* Which language rules apply: 'f' Finnish, 's' Swedish, 'e' English, 0
 * none. */
char check_lang_family(const char *lang);

#endif
