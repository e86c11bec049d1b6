/*
 * srv_similar.c: the likeness of two notices (srv_similar.h).
 */
#include "srv_similar.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_utf8.h"

#define MAX_BYTES 8000

/* The code point in lower case for the letters notices are written in
 * (ASCII, Latin-1 and the Finnish and Swedish letters): enough to make
 * "Muistikahvila" and "muistikahvila" the same word. */
static uint32_t lower(uint32_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) {
        return c + 32;
    }
    return c;
}

/* Whether c is part of a word: ASCII letters and digits, and anything
 * beyond ASCII that is not Latin-1 punctuation or a space (the letters of
 * every language, which the trigram only needs to tell apart). */
static int word_char(uint32_t c)
{
    if (c < 0x80) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9');
    }
    if (c < 0xC0) {
        return 0; /* Latin-1 punctuation, NBSP, quotes */
    }
    if (c >= 0x2000 && c <= 0x206F) {
        return 0; /* general punctuation: dashes, quotes, spaces */
    }
    return c != 0xD7 && c != 0xF7 && c != 0x3000 && c != 0xFEFF;
}

/* The normalised words of s, one space between them, as code points into
 * out (at most cap); returns how many. */
static size_t normalise(const char *s, uint32_t *out, size_t cap)
{
    size_t len = s ? strlen(s) : 0, pos = 0, n = 0;
    int space = 1; /* no space at the start */

    if (len > MAX_BYTES) {
        len = MAX_BYTES;
    }
    while (pos < len && n < cap) {
        uint32_t c;
        taulu_utf8_decode(s, len, &pos, &c);
        if (word_char(c)) {
            out[n++] = lower(c);
            space = 0;
        } else if (!space) {
            out[n++] = ' ';
            space = 1;
        }
    }
    if (n > 0 && out[n - 1] == ' ') {
        n--;
    }
    return n;
}

/* The trigrams of a normalised text as 64-bit keys (three code points of
 * 21 bits each), sorted, duplicates removed: a set. Returns its size. A
 * text shorter than three characters is one key of what it has. */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static size_t trigrams(const uint32_t *t, size_t n, uint64_t *out)
{
    size_t i, m = 0, k;

    if (n == 0) {
        return 0;
    }
    if (n < 3) {
        uint64_t key = 0;
        for (i = 0; i < n; i++) {
            key = (key << 21) | (t[i] & 0x1FFFFF);
        }
        out[0] = key | (UINT64_C(1) << 63);
        return 1;
    }
    for (i = 0; i + 2 < n; i++) {
        out[m++] = ((uint64_t)(t[i] & 0x1FFFFF) << 42) |
                   ((uint64_t)(t[i + 1] & 0x1FFFFF) << 21) |
                   (uint64_t)(t[i + 2] & 0x1FFFFF);
    }
    qsort(out, m, sizeof(*out), cmp_u64);
    for (i = 0, k = 0; i < m; i++) {
        if (k == 0 || out[k - 1] != out[i]) {
            out[k++] = out[i];
        }
    }
    return k;
}

double srv_similarity(const char *a, const char *b)
{
    /* MAX_BYTES of UTF-8 are at most MAX_BYTES code points. */
    uint32_t *ta = malloc(sizeof(uint32_t) * MAX_BYTES * 2);
    uint64_t *ga = malloc(sizeof(uint64_t) * MAX_BYTES * 2);
    uint32_t *tb;
    uint64_t *gb;
    size_t na, nb, sa, sb, i = 0, j = 0, common = 0;
    double score = 0;

    if (!ta || !ga) {
        free(ta);
        free(ga);
        return 0;
    }
    tb = ta + MAX_BYTES;
    gb = ga + MAX_BYTES;
    na = normalise(a, ta, MAX_BYTES);
    nb = normalise(b, tb, MAX_BYTES);
    sa = trigrams(ta, na, ga);
    sb = trigrams(tb, nb, gb);
    if (sa + sb > 0) {
        while (i < sa && j < sb) {
            if (ga[i] == gb[j]) {
                common++;
                i++;
                j++;
            } else if (ga[i] < gb[j]) {
                i++;
            } else {
                j++;
            }
        }
        score = 2.0 * (double)common / (double)(sa + sb);
    }
    free(ta);
    free(ga);
    return score;
}
