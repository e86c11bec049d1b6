/*
 * check.h: the plain-language and accessibility checker of submissions.
 *
 * One call checks one text version of an item (one language) together with
 * the item-level fields that the content rules need, and returns findings
 * that the submission form underlines while the volunteer types, plus a
 * summary (traffic light, words per sentence, readability index).
 *
 *     struct check_engine *eng = check_engine_new(NULL, &err);  (at start-up)
 *     struct check_result res;
 *     check_result_init(&res);
 *     err = check_run(eng, &input, &res);                (any thread)
 *     ... res.findings[0 .. res.count), res.summary ...
 *     check_result_release(&res);
 *     check_engine_free(eng);                             (at shutdown)
 *
 * The rules, codes, thresholds and messages are listed in docs/checker.md.
 * Every threshold is in one table, check_thresholds.c.
 *
 * Threads: an engine may be shared by any number of threads. Finnish
 * morphology (Voikko) handles are not thread-safe; the engine keeps a pool
 * of them and each check_run borrows one for its duration (blocking if all
 * are in use). Everything else a run touches is its own.
 *
 * Without the Finnish dictionary (not installed, failed to load, or turned
 * off with opts->no_morphology or the environment variable
 * TAULU_CHECK_NO_MORPHOLOGY=1) the engine still works: summary.morphology is
 * 0, a "morphology_unavailable" notice is added to Finnish checks, and the
 * rules that need base forms (Wiio index, passive, participial
 * constructions, compound splits) are skipped; all others run.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stddef.h>
#include <stdint.h>

/* The languages of the messages; every finding has all three. */
enum check_msg_lang {
    CHECK_MSG_FI = 0,
    CHECK_MSG_SV = 1,
    CHECK_MSG_EN = 2,
    CHECK_MSG_LANGS = 3,
};

enum check_severity {
    CHECK_NOTICE = 0,  /* information only; does not change the light */
    CHECK_WARNING = 1, /* shown to the sender and the approver */
    CHECK_ERROR = 2,   /* the submission is refused until it is fixed */
};

/* Which input field a finding is about. Spans count into that field. */
enum check_field {
    CHECK_FIELD_ITEM = 0, /* the whole item (no span) */
    CHECK_FIELD_TITLE,
    CHECK_FIELD_BODY,
    CHECK_FIELD_LINK,
    CHECK_FIELD_IMAGE_ALT,
    CHECK_FIELD_ORGANISATION,
    CHECK_FIELD_CONTACT,
    CHECK_FIELD_DISPLAY_UNTIL,
    CHECK_FIELD_EVENT_START,
    CHECK_FIELD_EVENT_END,
    CHECK_FIELD_PLACE, /* the short texts of a version: place, price, */
    CHECK_FIELD_PRICE, /* registration and contact (CHECK_FIELD_CONTACT) */
    CHECK_FIELD_REGISTRATION,
    CHECK_FIELD_SUMMARY, /* the short screen text (shown instead of the body) */
    CHECK_FIELD_COUNT
};

enum check_kind {
    CHECK_KIND_BULLETIN = 0,
    CHECK_KIND_EVENT = 1,
};

enum check_light {
    CHECK_GREEN = 0,  /* no errors, no warnings */
    CHECK_YELLOW = 1, /* warnings only */
    CHECK_RED = 2,    /* at least one error: cannot be submitted */
};

enum check_index_kind {
    CHECK_INDEX_NONE = 0, /* no index for this language or no morphology */
    CHECK_INDEX_WIIO = 1, /* Finnish, simple Wiio formula */
    CHECK_INDEX_LIX = 2,  /* Swedish */
};

/*
 * The seam for the "fits the screen" check. The server implements
 * measure() with the screens' own renderer (content-server/media/
 * srv_render.c: the renderer's verdict on every target screen); the
 * checker only calls it and turns each issue into a finding with what to
 * do. Without a fit hook the summary says fit_checked = 0 and no fit
 * finding is made: the checker never guesses a fit.
 */
struct check_input;
#define CHECK_FIT_PROFILE_MAX 160 /* bytes of a screen's name, with NUL */
#define CHECK_FIT_MAX_ISSUES  12
#define CHECK_FIT_TEXT_MAX    640 /* bytes of one issue's sentence */

enum check_fit_kind {
    /* the card does not fit one page on a screen: error text_does_not_fit */
    CHECK_FIT_PAGES = 0,
    /* the title needs more than its 2 lines: error title_does_not_fit */
    CHECK_FIT_TITLE,
    /* a word wider than the line, with no place to break it: error
     * word_too_wide (the finding says where it can be split) */
    CHECK_FIT_WORD,
    /* a word wider than the line that the screen breaks at a soft hyphen
     * the server puts there: warning word_split */
    CHECK_FIT_WORD_SPLIT,
    /* part of the card would not be shown at all: error text_not_shown */
    CHECK_FIT_LOST,
    /* the screen holds no line of it at all: error screen_too_small */
    CHECK_FIT_NO_ROOM,
};

struct check_fit_issue {
    enum check_fit_kind kind;
    enum check_field field; /* CHECK_FIELD_ITEM: no span */
    /* the span in that field's text as given to check_run (bytes) */
    size_t byte_start, byte_end;
    /* the screen and what happens there, a sentence in each language
     * ("Näytöllä Aula (Tuiran hyvinvointikeskus, 55" 1920×1080, 3 m):
     * Kortti ei mahdu yhdelle sivulle: ..."); the checker adds what to do */
    char what[CHECK_MSG_LANGS][CHECK_FIT_TEXT_MAX];
    /* the screen by its figures ("Aula (Tuiran hyvinvointikeskus, 55"
     * 1920×1080, 3 m)"), for the approver: the finding's details */
    char figures[CHECK_FIT_PROFILE_MAX];
};

struct check_fit_report {
    struct check_fit_issue issues[CHECK_FIT_MAX_ISSUES];
    size_t n_issues;
    int more; /* 1: more issues than the array holds */
};
struct check_fit {
    /* Returns 0 and fills *out (zeroed by the caller), or a negative
     * taulu_err (then the fit is reported as not checked). Called from the
     * checking thread. */
    int (*measure)(void *ctx, const struct check_input *in,
                   struct check_fit_report *out);
    void *ctx;
};

/*
 * One text version plus the item fields the content rules need. All
 * strings are borrowed for the duration of check_run, given as pointer and
 * length (NULL with length 0 means absent), and need not be NUL-terminated.
 * Instants are Unix seconds (UTC); 0 means "not set".
 */
struct check_input {
    const char *lang;   /* "fi", "sv", "en" or any other BCP 47 tag */
    int plain_language; /* 1 if the version claims to be selkokieli/lättläst */
    enum check_kind kind;

    const char *title;
    size_t title_len;
    const char *body; /* paragraphs separated by blank lines */
    size_t body_len;
    /* optional: the short screen text, shown on the screens instead of the
     * body; checked like the body (language rules, no paragraph rates) */
    const char *summary;
    size_t summary_len;

    int has_organisation; /* the item names the organisation it is from */
    int has_contact;      /* and a contact */

    int64_t event_start; /* events: structured start and end */
    int64_t event_end;
    int64_t display_from;  /* optional; 0 = from approval */
    int64_t display_until; /* required */
    int64_t now;           /* 0 = time(NULL); tests pass a fixed clock */

    int has_image;
    const char *image_alt;
    size_t image_alt_len;

    const char *link; /* optional; shown as a QR code */
    size_t link_len;

    /* Optional short texts of the version, shown as plain text on the card
     * (event rows, the contact line): checked for broken UTF-8, control
     * characters and markup like the title, not for language. The contact
     * text is independent of has_contact (the sender's account is a
     * contact too). */
    const char *place;
    size_t place_len;
    const char *price;
    size_t price_len;
    const char *registration;
    size_t registration_len;
    const char *contact;
    size_t contact_len;

    const struct check_fit *fit; /* optional, borrowed */
};

/* A span in one field: byte offsets and Unicode code point offsets, both
 * half-open [start, end). Code points are what a JavaScript client gets
 * from Array.from(text); see docs/checker.md for UTF-16 units. */
struct check_span {
    size_t byte_start, byte_end;
    size_t cp_start, cp_end;
};

/* What a finding's span stands for. */
enum check_scope {
    CHECK_SCOPE_TEXT = 0,     /* exactly the words to fix: underline them */
    CHECK_SCOPE_PARAGRAPH = 1 /* a rate over these paragraphs (too many long
                                 words, say): point at it, do not underline
                                 every word */
};

struct check_finding {
    const char
        *code; /* stable ASCII id, static storage, e.g. "sentence_long" */
    enum check_severity severity;
    enum check_field field;
    enum check_scope scope;
    struct check_span span; /* all zero for CHECK_FIELD_ITEM and dates */
    /* What to do, in words a volunteer understands; UTF-8, owned by the
     * result. */
    char *message[CHECK_MSG_LANGS];
    /* The figures behind it for the approver ("Keskimäärin 17 sanaa
     * lauseessa; raja 13"), or NULL when the message says it all. */
    char *details[CHECK_MSG_LANGS];
};

struct check_summary {
    enum check_light light;
    unsigned errors, warnings, notices;
    /* The statistics are over the body; the title is a heading, not a
     * sentence, and counts only when there is no body. */
    unsigned sentences, words;
    double words_per_sentence; /* 0 if there are no sentences */
    unsigned longest_sentence; /* words in the longest sentence */
    double long_word_share;    /* share (0..1) of words of 13+ letters */
    double letters_per_word;   /* mean letters per word (numbers aside) */
    enum check_index_kind index_kind;
    double index_value;     /* Wiio or LIX; 0 with CHECK_INDEX_NONE */
    unsigned subclauses;    /* subordinate clauses */
    unsigned negations;     /* negative words (fi: the negative verb) */
    unsigned passives;      /* passive finite verbs (fi with morphology, sv) */
    unsigned finite_verbs;  /* finite verbs (sv: estimated per clause) */
    unsigned nominals;      /* nominalisations (fi with morphology, sv) */
    unsigned nominal_words; /* of them, different words (base form, stem) */
    unsigned participials;  /* participial constructions (fi, morphology) */
    unsigned officialese;   /* words of official prose (samt, toimesta) */
    int morphology; /* 1 if Finnish base forms were available for this run */
    int language_checked; /* 0 for languages without language rules */
    int fit_checked;      /* 1 if a fit hook measured the text */
    int truncated;        /* 1 if findings were dropped at the limit */
};

struct check_result {
    struct check_finding *findings; /* sorted by field, then span, then code */
    size_t count;
    size_t cap;
    struct check_summary summary;
};

struct check_engine_opts {
    unsigned morph_handles; /* Voikko handles in the pool; 0 = 2 */
    int no_morphology;      /* 1: do not load the dictionary at all */
    const char *dict_path;  /* extra dictionary directory, or NULL */
    /* Analyses each handle remembers, so that re-checking a text while it
     * is typed costs little (about 260 bytes each); 0 = 4096. */
    unsigned cache_words;
    int no_cache; /* 1: analyse every word every time (benchmarks) */
};

struct check_engine;

/* Creates an engine. opts may be NULL for the defaults. A missing
 * dictionary is not an error (the engine runs without morphology and logs
 * it once); NULL is returned only when memory runs out, with *err set. */
struct check_engine *check_engine_new(const struct check_engine_opts *opts,
                                      int *err);

/* Frees the engine; no check_run may be in progress. Accepts NULL. */
void check_engine_free(struct check_engine *eng);

/* 1 if the engine has Finnish morphology. */
int check_engine_has_morphology(const struct check_engine *eng);

/* How often a word's analysis came from the cache (hits) and how often
 * Voikko was asked (misses), over all runs so far. Both 0 without
 * morphology. */
void check_engine_cache_stats(struct check_engine *eng, unsigned long *hits,
                              unsigned long *misses);

void check_result_init(struct check_result *res);
/* Frees the findings and their messages; the result is empty again.
 * Accepts an only-initialised result. */
void check_result_release(struct check_result *res);

/*
 * Checks one text version. `res` must be initialised (it is emptied first).
 * Returns 0 when the check ran: the findings say whether the text passes
 * (summary.light != CHECK_RED). Returns TAULU_EINVAL for a NULL argument or
 * a string pointer that is NULL with a non-zero length, TAULU_ENOMEM if
 * memory runs out (then res holds nothing). Invalid UTF-8, markup and
 * oversize fields are findings, not failures.
 */
int check_run(struct check_engine *eng, const struct check_input *in,
              struct check_result *res);

/* "error", "warning", "notice". */
const char *check_severity_name(enum check_severity sev);
/* "text", "paragraph". */
const char *check_scope_name(enum check_scope scope);
/* "item", "title", "body", "link", "image_alt", ..., "place", "price",
 * "registration", "summary". */
const char *check_field_name(enum check_field field);
/* "green", "yellow", "red". */
const char *check_light_name(enum check_light light);

#endif
