/*
 * check_morph.h: the checker's only window onto Finnish morphology.
 *
 * check_voikko.c implements it with libvoikko; nothing else in the checker
 * includes a Voikko header. The interface gives plain data (class, base
 * form, a few grammatical features, compound boundaries, syllables) so that
 * the rules in check_lang.c are ordinary C that a test can drive with
 * hand-made analyses.
 *
 * Threads: a struct check_morph is shared; a handle is used by one thread
 * at a time, between check_morph_acquire and check_morph_release (a mutex
 * and a condition variable guard the pool; acquire blocks while all
 * handles are in use).
 */
#ifndef CHECK_MORPH_H
#define CHECK_MORPH_H

#include <stddef.h>
#include <stdint.h>

enum check_wclass {
    CHECK_WC_UNKNOWN = 0,
    CHECK_WC_NOUN,     /* nimisana */
    CHECK_WC_ADJ,      /* laatusana, nimisana_laatusana */
    CHECK_WC_VERB,     /* teonsana */
    CHECK_WC_NEG_VERB, /* kieltosana: ei, en, et, emme, ette, eivät */
    CHECK_WC_PRONOUN,  /* asemosana */
    CHECK_WC_ADVERB,   /* seikkasana */
    CHECK_WC_CONJ,     /* sidesana */
    CHECK_WC_ADPOS,    /* suhdesana */
    CHECK_WC_INTERJ,   /* huudahdussana */
    CHECK_WC_NUMERAL,  /* lukusana */
    CHECK_WC_ABBREV,   /* lyhenne */
    CHECK_WC_NAME,     /* etunimi, sukunimi, paikannimi, nimi */
    CHECK_WC_OTHER
};

enum check_mood {
    CHECK_MOOD_NONE = 0,
    CHECK_MOOD_INDICATIVE,
    CHECK_MOOD_CONDITIONAL,
    CHECK_MOOD_IMPERATIVE,
    CHECK_MOOD_POTENTIAL,
    CHECK_MOOD_A_INF,
    CHECK_MOOD_E_INF,
    CHECK_MOOD_MA_INF,
    CHECK_MOOD_MINEN_INF, /* järjestäminen, maksamisessa: a verb as a noun */
    CHECK_MOOD_OTHER
};

enum check_participle {
    CHECK_PART_NONE = 0,
    CHECK_PART_PRESENT_ACTIVE,
    CHECK_PART_PRESENT_PASSIVE,
    CHECK_PART_PAST_ACTIVE,
    CHECK_PART_PAST_PASSIVE,
    CHECK_PART_AGENT,
    CHECK_PART_OTHER
};

enum check_case {
    CHECK_CASE_NONE = 0,
    CHECK_CASE_NOMINATIVE,
    CHECK_CASE_GENITIVE,
    CHECK_CASE_PARTITIVE,
    CHECK_CASE_OTHER
};

enum check_negative {
    CHECK_NEG_UNSET = 0,
    CHECK_NEG_FALSE, /* affirmative form only */
    CHECK_NEG_TRUE,  /* connegative: only after "ei" */
    CHECK_NEG_BOTH
};

struct check_morph_analysis {
    uint8_t wclass;     /* enum check_wclass */
    uint8_t mood;       /* enum check_mood */
    uint8_t participle; /* enum check_participle */
    uint8_t gcase;      /* enum check_case */
    uint8_t negative;   /* enum check_negative */
    uint8_t possessive; /* 1 if the form has a possessive suffix */
    int8_t person;      /* 0 none, 1..3, 4 = passive */
};

#define CHECK_MORPH_MAX_ANALYSES 6
#define CHECK_MORPH_BASE_MAX     96
#define CHECK_MORPH_MAX_PARTS    12
#define CHECK_MORPH_DERIV_MAX    24

struct check_morph_word {
    unsigned count; /* analyses kept (0: word unknown to the dictionary) */
    struct check_morph_analysis a[CHECK_MORPH_MAX_ANALYSES];
    char base[CHECK_MORPH_BASE_MAX]; /* base form of a[0], UTF-8; "" if it
                                        did not fit */
    /* Compound parts of the surface word per a[0]'s STRUCTURE: nparts >= 1;
     * part i starts at code point part_cp[i] of the word (part_cp[0] = 0). */
    unsigned nparts;
    uint16_t part_cp[CHECK_MORPH_MAX_PARTS];
    /* The derivational suffixes of a[0] as Voikko's WORDBASES names them,
     * each with a leading '+': "+ta" for toiminta, "+a+us" for saatavuus,
     * "+nen" for taloudellinen, "" for a word without one. Cut at
     * CHECK_MORPH_DERIV_MAX - 1 bytes. */
    char deriv[CHECK_MORPH_DERIV_MAX];
};

struct check_morph;
struct check_morph_handle;

/* ---- the analysis cache (check_cache.c) ------------------------------
 * Plain C, no Voikko: each handle owns one, so it needs no lock. Words of
 * more than 64 bytes are not cached. */
struct check_word_cache;

/* A cache for about `words` entries (analyses and syllable counts). NULL
 * when memory runs out. */
struct check_word_cache *check_cache_new(unsigned words);
void check_cache_free(struct check_word_cache *c); /* accepts NULL */
/* 1 and *out filled if the surface word was analysed before, else 0. */
int check_cache_get_word(struct check_word_cache *c, const char *word,
                         size_t len, struct check_morph_word *out);
void check_cache_put_word(struct check_word_cache *c, const char *word,
                          size_t len, const struct check_morph_word *w);
/* The syllables of a base form counted before, or -1. */
int check_cache_get_syllables(struct check_word_cache *c, const char *base,
                              size_t len);
void check_cache_put_syllables(struct check_word_cache *c, const char *base,
                               size_t len, int n);
void check_cache_stats(const struct check_word_cache *c, unsigned long *hits,
                       unsigned long *misses);

/* Loads the Finnish dictionary into `handles` Voikko instances (at least
 * 1), each with an analysis cache of `cache_words` entries (0: no cache).
 * Returns NULL with *err = TAULU_EUNAVAIL if the dictionary cannot be
 * loaded (the reason is logged once), TAULU_ENOMEM or TAULU_EINVAL. */
struct check_morph *check_morph_new(const char *dict_path, unsigned handles,
                                    unsigned cache_words, int *err);

/* Cache hits and misses of all handles so far (for the benchmark and the
 * tests; a miss is a call to Voikko). */
void check_morph_cache_stats(struct check_morph *m, unsigned long *hits,
                             unsigned long *misses);
/* Accepts NULL. No handle may be acquired. */
void check_morph_free(struct check_morph *m);

struct check_morph_handle *check_morph_acquire(struct check_morph *m);
void check_morph_release(struct check_morph *m, struct check_morph_handle *h);

/* Analyses one word (UTF-8, no spaces), from the handle's cache when it
 * was analysed before. Returns 0 (out->count may be 0 for an unknown
 * word), TAULU_ELIMIT for a word too long to analyse, or TAULU_ENOMEM. */
int check_morph_analyse(struct check_morph_handle *h, const char *word,
                        size_t len, struct check_morph_word *out);

/* Syllables of a word by the Voikko hyphenator (1 + hyphenation points),
 * cached like the analyses. Returns the count (>= 1) or a negative
 * taulu_err. */
int check_morph_syllables(struct check_morph_handle *h, const char *word,
                          size_t len);

/* The Voikko hyphenator's pattern of a word: one character per code point
 * written into pattern[0..size), NUL-terminated: '-' a point before that
 * character, '=' the character (a hyphen) replaced by the break, ' '
 * none. Returns the number of code points, TAULU_ELIMIT (a word or pattern
 * too long), TAULU_EUNAVAIL. Not cached. */
int check_morph_hyphenate(struct check_morph_handle *h, const char *word,
                          size_t len, char *pattern, size_t size);

#endif
