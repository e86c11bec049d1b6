/*
 * check_voikko.c: the Voikko edge of the checker (see check_morph.h).
 *
 * The only file that includes libvoikko. It turns Voikko's string-keyed
 * analyses into small enums, the STRUCTURE attribute into compound
 * boundaries, WORDBASES into the word's derivational suffixes, and the
 * hyphenator's pattern into a syllable count. A pool of
 * handles behind a mutex makes it safe for several HTTP threads: Voikko
 * handles must not be used by two threads at once.
 */
#include <libvoikko/voikko.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check_morph.h"
#include "taulu_err.h"
#include "taulu_log.h"

#define MORPH_WORD_MAX 200 /* bytes; longer "words" are not analysed */
#define MORPH_POOL_MAX 64

struct check_morph_handle {
    struct VoikkoHandle *vh;
    struct check_word_cache *cache; /* NULL: no cache */
};

struct check_morph {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned n;
    unsigned nfree;
    struct check_morph_handle h[MORPH_POOL_MAX];
    struct check_morph_handle *free_list[MORPH_POOL_MAX];
};

struct check_morph *check_morph_new(const char *dict_path, unsigned handles,
                                    unsigned cache_words, int *err)
{
    struct check_morph *m = NULL;
    unsigned i;

    if (handles == 0 || handles > MORPH_POOL_MAX) {
        *err = TAULU_EINVAL;
        return NULL;
    }
    m = calloc(1, sizeof(*m));
    if (!m) {
        *err = TAULU_ENOMEM;
        return NULL;
    }
    for (i = 0; i < handles; i++) {
        const char *verr = NULL;
        struct VoikkoHandle *vh = voikkoInit(&verr, "fi", dict_path);

        if (!vh) {
            taulu_warn("check", "Finnish dictionary not available: %s",
                       verr ? verr : "unknown reason");
            m->n = i;
            check_morph_free(m);
            *err = TAULU_EUNAVAIL;
            return NULL;
        }
        /* Syllables need every hyphenation point, also the "ugly" ones
         * next to a single vowel (a-si-a) and in two-letter words. */
        voikkoSetBooleanOption(vh, VOIKKO_OPT_NO_UGLY_HYPHENATION, 0);
        voikkoSetBooleanOption(vh, VOIKKO_OPT_HYPHENATE_UNKNOWN_WORDS, 1);
        voikkoSetIntegerOption(vh, VOIKKO_MIN_HYPHENATED_WORD_LENGTH, 2);
        m->h[i].vh = vh;
        m->free_list[i] = &m->h[i];
        if (cache_words > 0) {
            m->h[i].cache = check_cache_new(cache_words);
            if (!m->h[i].cache) {
                m->n = i + 1;
                check_morph_free(m);
                *err = TAULU_ENOMEM;
                return NULL;
            }
        }
    }
    m->n = handles;
    m->nfree = handles;
    pthread_mutex_init(&m->mu, NULL);
    pthread_cond_init(&m->cv, NULL);
    *err = 0;
    return m;
}

void check_morph_free(struct check_morph *m)
{
    unsigned i;

    if (!m) {
        return;
    }
    for (i = 0; i < m->n; i++) {
        voikkoTerminate(m->h[i].vh);
        check_cache_free(m->h[i].cache);
    }
    if (m->nfree == m->n && m->n > 0) {
        pthread_mutex_destroy(&m->mu);
        pthread_cond_destroy(&m->cv);
    }
    free(m);
}

struct check_morph_handle *check_morph_acquire(struct check_morph *m)
{
    struct check_morph_handle *h;

    pthread_mutex_lock(&m->mu);
    while (m->nfree == 0) {
        pthread_cond_wait(&m->cv, &m->mu);
    }
    h = m->free_list[--m->nfree];
    pthread_mutex_unlock(&m->mu);
    return h;
}

void check_morph_release(struct check_morph *m, struct check_morph_handle *h)
{
    if (!h) {
        return;
    }
    pthread_mutex_lock(&m->mu);
    m->free_list[m->nfree++] = h;
    pthread_cond_signal(&m->cv);
    pthread_mutex_unlock(&m->mu);
}

void check_morph_cache_stats(struct check_morph *m, unsigned long *hits,
                             unsigned long *misses)
{
    unsigned i;

    *hits = 0;
    *misses = 0;
    pthread_mutex_lock(&m->mu);
    for (i = 0; i < m->n; i++) {
        unsigned long h, x;

        check_cache_stats(m->h[i].cache, &h, &x);
        *hits += h;
        *misses += x;
    }
    pthread_mutex_unlock(&m->mu);
}

struct name_val {
    const char *name;
    int val;
};

static int lookup(const struct name_val *t, const char *s, int dflt)
{
    if (!s) {
        return dflt;
    }
    for (; t->name; t++) {
        if (strcmp(t->name, s) == 0) {
            return t->val;
        }
    }
    return dflt;
}

static const struct name_val classes[] = {
    {"nimisana", CHECK_WC_NOUN},
    {"laatusana", CHECK_WC_ADJ},
    {"nimisana_laatusana", CHECK_WC_ADJ},
    {"teonsana", CHECK_WC_VERB},
    {"kieltosana", CHECK_WC_NEG_VERB},
    {"asemosana", CHECK_WC_PRONOUN},
    {"seikkasana", CHECK_WC_ADVERB},
    {"sidesana", CHECK_WC_CONJ},
    {"suhdesana", CHECK_WC_ADPOS},
    {"huudahdussana", CHECK_WC_INTERJ},
    {"lukusana", CHECK_WC_NUMERAL},
    {"lyhenne", CHECK_WC_ABBREV},
    {"etunimi", CHECK_WC_NAME},
    {"sukunimi", CHECK_WC_NAME},
    {"paikannimi", CHECK_WC_NAME},
    {"nimi", CHECK_WC_NAME},
    {NULL, 0},
};

static const struct name_val moods[] = {
    {"indicative", CHECK_MOOD_INDICATIVE},
    {"conditional", CHECK_MOOD_CONDITIONAL},
    {"imperative", CHECK_MOOD_IMPERATIVE},
    {"potential", CHECK_MOOD_POTENTIAL},
    {"A-infinitive", CHECK_MOOD_A_INF},
    {"E-infinitive", CHECK_MOOD_E_INF},
    {"MA-infinitive", CHECK_MOOD_MA_INF},
    {"MINEN-infinitive", CHECK_MOOD_MINEN_INF},
    {NULL, 0},
};

static const struct name_val participles[] = {
    {"present_active", CHECK_PART_PRESENT_ACTIVE},
    {"present_passive", CHECK_PART_PRESENT_PASSIVE},
    {"past_active", CHECK_PART_PAST_ACTIVE},
    {"past_passive", CHECK_PART_PAST_PASSIVE},
    {"agent", CHECK_PART_AGENT},
    {NULL, 0},
};

static const struct name_val cases[] = {
    {"nimento", CHECK_CASE_NOMINATIVE},
    {"omanto", CHECK_CASE_GENITIVE},
    {"osanto", CHECK_CASE_PARTITIVE},
    {NULL, 0},
};

static const struct name_val negatives[] = {
    {"false", CHECK_NEG_FALSE},
    {"true", CHECK_NEG_TRUE},
    {"both", CHECK_NEG_BOTH},
    {NULL, 0},
};

/* Returns Voikko's value for `key` as a malloc'd-by-Voikko string or NULL. */
static char *value(const struct voikko_mor_analysis *a, const char *key)
{
    return voikko_mor_analysis_value_cstr(a, key);
}

/* 0 if the analysis has no `key`; the table's value for a known value;
 * `other` for a value the table does not model (a rare mood, say). */
static int lookup_key(const struct voikko_mor_analysis *a, const char *key,
                      const struct name_val *t, int other)
{
    char *v = value(a, key);
    int r;

    if (!v) {
        return 0;
    }
    r = lookup(t, v, other);
    voikko_free_mor_analysis_value_cstr(v);
    return r;
}

/* STRUCTURE is one character per code point of the word ('p' lower case,
 * 'i' upper, 'j'/'q' abbreviation, '-' and ':' themselves), with '=' in
 * front of each compound part. */
static void parse_structure(const char *st, struct check_morph_word *out)
{
    unsigned cp = 0;
    int first = 1;

    out->nparts = 1;
    out->part_cp[0] = 0;
    for (; st && *st; st++) {
        if (*st == '=') {
            if (!first && cp > 0 && out->nparts < CHECK_MORPH_MAX_PARTS &&
                out->part_cp[out->nparts - 1] != cp) {
                out->part_cp[out->nparts++] = (uint16_t)cp;
            }
        } else {
            cp++;
        }
        first = 0;
    }
}

/* WORDBASES lists the parts of a word: its roots with their base forms in
 * brackets ("+toimi(toimia)") and its derivational suffixes, whose bracket
 * starts with '+' ("+n+ta(+ta)", "+us(+us)"). Keeps the suffixes only,
 * "+ta", in `out`. */
static void parse_wordbases(const char *wb, char out[CHECK_MORPH_DERIV_MAX])
{
    size_t n = 0;

    out[0] = '\0';
    for (; wb && (wb = strstr(wb, "(+")) != NULL; wb += 2) {
        const char *end = strchr(wb + 2, ')');
        size_t k;

        if (!end) {
            break;
        }
        k = (size_t)(end - wb) - 1; /* "+ta" */
        if (n + k >= CHECK_MORPH_DERIV_MAX) {
            break;
        }
        memcpy(out + n, wb + 1, k);
        n += k;
        out[n] = '\0';
    }
}

int check_morph_analyse(struct check_morph_handle *h, const char *word,
                        size_t len, struct check_morph_word *out)
{
    char buf[MORPH_WORD_MAX + 1];
    struct voikko_mor_analysis **list = NULL;
    unsigned i;

    memset(out, 0, sizeof(*out));
    out->nparts = 1;
    if (len == 0 || len > MORPH_WORD_MAX) {
        return TAULU_ELIMIT;
    }
    if (check_cache_get_word(h->cache, word, len, out)) {
        return 0;
    }
    memcpy(buf, word, len);
    buf[len] = '\0';
    list = voikkoAnalyzeWordCstr(h->vh, buf);
    if (!list) {
        check_cache_put_word(h->cache, word, len, out);
        return 0;
    }
    for (i = 0; list[i] && out->count < CHECK_MORPH_MAX_ANALYSES; i++) {
        struct check_morph_analysis *a = &out->a[out->count++];
        char *v;

        a->wclass =
            (uint8_t)lookup_key(list[i], "CLASS", classes, CHECK_WC_OTHER);
        a->mood = (uint8_t)lookup_key(list[i], "MOOD", moods, CHECK_MOOD_OTHER);
        a->participle = (uint8_t)lookup_key(list[i], "PARTICIPLE", participles,
                                            CHECK_PART_OTHER);
        a->gcase =
            (uint8_t)lookup_key(list[i], "SIJAMUOTO", cases, CHECK_CASE_OTHER);
        a->negative = (uint8_t)lookup_key(list[i], "NEGATIVE", negatives,
                                          CHECK_NEG_UNSET);
        v = value(list[i], "POSSESSIVE");
        a->possessive = v != NULL;
        voikko_free_mor_analysis_value_cstr(v);
        v = value(list[i], "PERSON");
        a->person = 0;
        if (v && v[0] >= '1' && v[0] <= '4' && v[1] == '\0') {
            a->person = (int8_t)(v[0] - '0');
        }
        voikko_free_mor_analysis_value_cstr(v);
        if (i == 0) {
            v = value(list[i], "BASEFORM");
            if (v && strlen(v) < sizeof(out->base)) {
                memcpy(out->base, v, strlen(v) + 1);
            }
            voikko_free_mor_analysis_value_cstr(v);
            v = value(list[i], "STRUCTURE");
            parse_structure(v, out);
            voikko_free_mor_analysis_value_cstr(v);
            v = value(list[i], "WORDBASES");
            parse_wordbases(v, out->deriv);
            voikko_free_mor_analysis_value_cstr(v);
        }
    }
    voikko_free_mor_analysis(list);
    check_cache_put_word(h->cache, word, len, out);
    return 0;
}

int check_morph_syllables(struct check_morph_handle *h, const char *word,
                          size_t len)
{
    char buf[MORPH_WORD_MAX + 1];
    char *pattern;
    const char *p;
    int n = 1;

    if (len == 0 || len > MORPH_WORD_MAX) {
        return TAULU_ELIMIT;
    }
    if ((n = check_cache_get_syllables(h->cache, word, len)) > 0) {
        return n;
    }
    n = 1;
    memcpy(buf, word, len);
    buf[len] = '\0';
    pattern = voikkoHyphenateCstr(h->vh, buf);
    if (!pattern) {
        return TAULU_EUNAVAIL;
    }
    /* '-' marks a hyphenation point before that character; '=' one where
     * the character (an existing hyphen) is replaced. Each starts a new
     * syllable. */
    for (p = pattern; *p; p++) {
        if (*p == '-' || *p == '=') {
            n++;
        }
    }
    voikkoFreeCstr(pattern);
    check_cache_put_syllables(h->cache, word, len, n);
    return n;
}

int check_morph_hyphenate(struct check_morph_handle *h, const char *word,
                          size_t len, char *pattern, size_t size)
{
    char buf[MORPH_WORD_MAX + 1];
    char *pat;
    size_t n;

    if (len == 0 || len > MORPH_WORD_MAX) {
        return TAULU_ELIMIT;
    }
    memcpy(buf, word, len);
    buf[len] = '\0';
    pat = voikkoHyphenateCstr(h->vh, buf);
    if (!pat) {
        return TAULU_EUNAVAIL;
    }
    n = strlen(pat);
    if (n + 1 > size) {
        voikkoFreeCstr(pat);
        return TAULU_ELIMIT;
    }
    memcpy(pattern, pat, n + 1);
    voikkoFreeCstr(pat);
    return (int)n;
}
