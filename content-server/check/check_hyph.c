/*
 * check_hyph.c: break points of long words and the soft hyphens the
 * screens get (see check_hyph.h). Plain C over the two dictionary edges:
 * check_voikko.c (Finnish) and check_hyphen_sv.c (Swedish).
 */
#include "check_hyph.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "check_morph.h"
#include "taulu_err.h"
#include "taulu_utf8.h"

#define SHY     "\xc2\xad"
#define SHY_LEN 2
/* A break leaves at least this many letters before it and after it. */
#define MIN_BEFORE 2
#define MIN_AFTER  3

enum hyph_lang { HL_NONE = 0, HL_FI, HL_SV };

struct check_hyph {
    pthread_mutex_t mu;
    struct check_morph *morph; /* NULL: no Finnish points */
    struct check_sv_hyph *sv;  /* NULL: no Swedish points */
};

/* A long word of the text and its points. */
struct cand {
    size_t b0; /* first byte of the word in the text */
    unsigned letters;
    size_t first, n; /* its points: pts[first .. first + n) */
    bool chosen;
};

static enum hyph_lang lang_kind(const char *lang)
{
    if (!lang) {
        return HL_NONE;
    }
    if (strncmp(lang, "fi", 2) == 0 && (lang[2] == '\0' || lang[2] == '-')) {
        return HL_FI;
    }
    if (strncmp(lang, "sv", 2) == 0 && (lang[2] == '\0' || lang[2] == '-')) {
        return HL_SV;
    }
    return HL_NONE;
}

struct check_hyph *check_hyph_new(const struct check_hyph_opts *opts, int *err)
{
    struct check_hyph *h = calloc(1, sizeof *h);
    int e = 0;

    if (!h) {
        *err = TAULU_ENOMEM;
        return NULL;
    }
    pthread_mutex_init(&h->mu, NULL);
    /* TAULU_CHECK_NO_MORPHOLOGY=1 turns Voikko off here as in the
     * checker (check.h), so that the fit check and the manifests agree */
    if ((!opts || !opts->no_voikko) &&
        !(getenv("TAULU_CHECK_NO_MORPHOLOGY") &&
          strcmp(getenv("TAULU_CHECK_NO_MORPHOLOGY"), "1") == 0)) {
        h->morph = check_morph_new(opts ? opts->voikko_path : NULL, 1, 0, &e);
        if (!h->morph && e == TAULU_ENOMEM) {
            check_hyph_free(h);
            *err = e;
            return NULL;
        }
    }
    h->sv = check_sv_hyph_new(
        opts && opts->sv_dict ? opts->sv_dict : CHECK_HYPH_SV_DICT, &e);
    if (!h->sv && e == TAULU_ENOMEM) {
        check_hyph_free(h);
        *err = e;
        return NULL;
    }
    *err = 0;
    return h;
}

void check_hyph_free(struct check_hyph *h)
{
    if (!h) {
        return;
    }
    check_morph_free(h->morph);
    check_sv_hyph_free(h->sv);
    pthread_mutex_destroy(&h->mu);
    free(h);
}

int check_hyph_has(const struct check_hyph *h, const char *lang)
{
    switch (lang_kind(lang)) {
    case HL_FI:
        return h && h->morph != NULL;
    case HL_SV:
        return h && h->sv != NULL;
    case HL_NONE:
    default:
        return 0;
    }
}

/* The points of a word of `ncp` code points into before[] (1: a break
 * may come before that code point). Under h->mu. 0 or a negative code
 * (then no points). */
static int word_points(struct check_hyph *h, enum hyph_lang kind, const char *w,
                       size_t len, size_t ncp, unsigned char *before)
{
    char pattern[CHECK_HYPH_WORD_MAX * 4 + 1];
    size_t i;
    int rc = TAULU_EUNAVAIL;

    memset(before, 0, ncp);
    if (ncp > CHECK_HYPH_WORD_MAX) {
        return TAULU_ELIMIT;
    }
    if (kind == HL_FI && h->morph) {
        struct check_morph_handle *mh = check_morph_acquire(h->morph);
        rc = check_morph_hyphenate(mh, w, len, pattern, sizeof pattern);
        check_morph_release(h->morph, mh);
        if (rc >= 0 && (size_t)rc != ncp) {
            rc = TAULU_EVALUE; /* Voikko counted otherwise: no points */
        }
        for (i = 0; rc >= 0 && i < ncp; i++) {
            before[i] = pattern[i] == '-';
        }
    } else if (kind == HL_SV && h->sv) {
        rc = check_sv_hyph_word(h->sv, w, len, before, ncp);
    }
    if (rc < 0) {
        memset(before, 0, ncp);
        return rc;
    }
    for (i = 0; i < ncp; i++) {
        if (i < MIN_BEFORE || ncp - i < MIN_AFTER) {
            before[i] = 0;
        }
    }
    return 0;
}

int check_hyph_points(struct check_hyph *h, const char *lang, const char *word,
                      size_t len, size_t *at, size_t max)
{
    unsigned char before[CHECK_HYPH_WORD_MAX];
    size_t offs[CHECK_HYPH_WORD_MAX];
    size_t p = 0, ncp = 0, i, n = 0;
    enum hyph_lang kind = lang_kind(lang);
    uint32_t cp;

    if (!h || !word || (!at && max > 0)) {
        return TAULU_EINVAL;
    }
    if (kind == HL_NONE) {
        return 0;
    }
    while (p < len) {
        if (ncp == CHECK_HYPH_WORD_MAX) {
            return 0; /* longer than anything looked up */
        }
        offs[ncp] = p;
        if (taulu_utf8_decode(word, len, &p, &cp) < 0) {
            return TAULU_EINVAL;
        }
        ncp++;
    }
    pthread_mutex_lock(&h->mu);
    word_points(h, kind, word, len, ncp, before);
    pthread_mutex_unlock(&h->mu);
    for (i = 0; i < ncp && n < max; i++) {
        if (before[i]) {
            at[n++] = offs[i];
        }
    }
    return (int)n;
}

static bool isalnum_ascii(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* A chunk (text between white space) that is an address or already
 * hyphenated by its author: left as it is. */
static bool chunk_kept(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '@' || c == '/') {
            return true; /* e-mail, link, path */
        }
        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xAD) {
            return true; /* the author's own soft hyphen */
        }
        /* a dot between two letters or digits: a host name ("example.fi",
         * "www.oulu.fi") */
        if (c == '.' && i > 0 && i + 1 < len &&
            ((unsigned char)s[i - 1] >= 0x80 || isalnum_ascii(s[i - 1])) &&
            ((unsigned char)s[i + 1] >= 0x80 || isalnum_ascii(s[i + 1]))) {
            return true;
        }
    }
    return false;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Dynamic arrays of the candidates and their points. */
struct work {
    struct cand *c;
    size_t nc, capc;
    size_t *pts;
    size_t np, capp;
};

static int push_cand(struct work *w, const struct cand *c)
{
    if (w->nc == w->capc) {
        size_t cap = w->capc ? 2 * w->capc : 16;
        struct cand *v = realloc(w->c, cap * sizeof *v);
        if (!v) {
            return TAULU_ENOMEM;
        }
        w->c = v;
        w->capc = cap;
    }
    w->c[w->nc++] = *c;
    return 0;
}

static int push_point(struct work *w, size_t at)
{
    if (w->np == w->capp) {
        size_t cap = w->capp ? 2 * w->capp : 64;
        size_t *v = realloc(w->pts, cap * sizeof *v);
        if (!v) {
            return TAULU_ENOMEM;
        }
        w->pts = v;
        w->capp = cap;
    }
    w->pts[w->np++] = at;
    return 0;
}

/* The long words of chunk [b0, b1) and their points. Under h->mu. */
static int scan_chunk(struct check_hyph *h, enum hyph_lang kind,
                      const char *text, size_t b0, size_t b1, struct work *w)
{
    unsigned char before[CHECK_HYPH_WORD_MAX];
    size_t offs[CHECK_HYPH_WORD_MAX];
    size_t p = b0;
    uint32_t cp;

    while (p < b1) {
        size_t start = p, q = p, ncp = 0, i;
        bool upper = true, lower = false;
        int rc;

        taulu_utf8_decode(text, b1, &q, &cp);
        if (!check_cp_is_letter(cp)) {
            p = q;
            continue;
        }
        /* the run of letters from p */
        q = p;
        while (q < b1) {
            size_t at = q;
            if (taulu_utf8_decode(text, b1, &q, &cp) < 0 ||
                !check_cp_is_letter(cp)) {
                q = at;
                break;
            }
            if (ncp < CHECK_HYPH_WORD_MAX) {
                offs[ncp] = at;
            }
            ncp++;
            upper = upper && !check_cp_is_lower(cp);
            lower = lower || check_cp_is_lower(cp);
        }
        p = q;
        if (ncp < CHECK_HYPH_MIN_LETTERS || ncp > CHECK_HYPH_WORD_MAX ||
            (upper && !lower)) {
            continue;
        }
        if (word_points(h, kind, text + start, q - start, ncp, before) < 0) {
            continue;
        }
        struct cand c = {start, (unsigned)ncp, w->np, 0, false};
        for (i = 0; i < ncp; i++) {
            if (before[i]) {
                if ((rc = push_point(w, offs[i])) < 0) {
                    return rc;
                }
                c.n++;
            }
        }
        if (c.n > 0 && (rc = push_cand(w, &c)) < 0) {
            return rc;
        }
    }
    return 0;
}

/* Longest words first; then in text order. */
static int cmp_longest(const void *a, const void *b)
{
    const struct cand *x = *(const struct cand *const *)a;
    const struct cand *y = *(const struct cand *const *)b;

    if (x->letters != y->letters) {
        return x->letters > y->letters ? -1 : 1;
    }
    return x->b0 < y->b0 ? -1 : (x->b0 > y->b0);
}

int check_hyph_text(struct check_hyph *h, const char *lang, const char *text,
                    size_t max_bytes, struct taulu_buf *out, size_t *added)
{
    enum hyph_lang kind = lang_kind(lang);
    struct work w = {0};
    size_t len, before_len, i, room, used = 0, k, copied = 0, n_added = 0;
    int rc = 0;

    if (added) {
        *added = 0;
    }
    if (!text || !out) {
        return TAULU_EINVAL;
    }
    len = strlen(text);
    before_len = out->len;
    if (!h || !check_hyph_has(h, lang) || len + SHY_LEN > max_bytes) {
        return taulu_buf_append(out, text, len);
    }
    pthread_mutex_lock(&h->mu);
    for (i = 0; i < len && rc == 0;) {
        size_t j = i;
        if (is_space(text[i])) {
            i++;
            continue;
        }
        while (j < len && !is_space(text[j])) {
            j++;
        }
        if (!chunk_kept(text + i, j - i)) {
            rc = scan_chunk(h, kind, text, i, j, &w);
        }
        i = j;
    }
    pthread_mutex_unlock(&h->mu);
    if (rc < 0) {
        goto out;
    }
    /* What fits the limit: every point, or the longest words' first. */
    room = (max_bytes - len) / SHY_LEN;
    if (w.np <= room) {
        for (k = 0; k < w.nc; k++) {
            w.c[k].chosen = true;
        }
    } else {
        struct cand **order = malloc((w.nc ? w.nc : 1) * sizeof *order);
        if (!order) {
            rc = TAULU_ENOMEM;
            goto out;
        }
        for (k = 0; k < w.nc; k++) {
            order[k] = &w.c[k];
        }
        qsort(order, w.nc, sizeof *order, cmp_longest);
        for (k = 0; k < w.nc; k++) {
            if (used + order[k]->n <= room) {
                order[k]->chosen = true;
                used += order[k]->n;
            }
        }
        free(order);
    }
    /* The text with the chosen points, in order. */
    for (k = 0; k < w.nc && rc == 0; k++) {
        const struct cand *c = &w.c[k];
        size_t m;
        if (!c->chosen) {
            continue;
        }
        for (m = 0; m < c->n && rc == 0; m++) {
            size_t at = w.pts[c->first + m];
            rc = taulu_buf_append(out, text + copied, at - copied);
            if (rc == 0) {
                rc = taulu_buf_append(out, SHY, SHY_LEN);
            }
            copied = at;
            n_added++;
        }
    }
    if (rc == 0) {
        rc = taulu_buf_append(out, text + copied, len - copied);
    }
out:
    if (rc < 0) {
        taulu_buf_truncate(out, before_len);
        n_added = 0;
    }
    if (added) {
        *added = n_added;
    }
    free(w.c);
    free(w.pts);
    return rc;
}
