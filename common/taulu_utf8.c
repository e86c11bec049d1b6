/*
 * taulu_utf8.c: strict UTF-8 validation and decoding (see taulu_utf8.h).
 *
 * The decoder follows Unicode table 3-7 ("well-formed UTF-8 byte
 * sequences") directly: the lead byte decides how many continuation bytes
 * follow and which narrower range the first of them must be in, which is
 * what refuses overlongs, surrogates and code points past U+10FFFF without
 * any arithmetic on the decoded value.
 */
#include "taulu_utf8.h"

#include <string.h>

static int decode_strict(const char *s, size_t len, size_t *pos, uint32_t *cp)
{
    const unsigned char *p;
    size_t avail, need, i;
    unsigned char lo = 0x80, hi = 0xbf;
    uint32_t c;

    if (*pos >= len) {
        return -1;
    }
    p = (const unsigned char *)s + *pos;
    avail = len - *pos;
    if (p[0] < 0x80) {
        *cp = p[0];
        *pos += 1;
        return 0;
    }
    if (p[0] >= 0xc2 && p[0] <= 0xdf) {
        need = 1;
        c = p[0] & 0x1fu;
    } else if (p[0] >= 0xe0 && p[0] <= 0xef) {
        need = 2;
        c = p[0] & 0x0fu;
        if (p[0] == 0xe0) {
            lo = 0xa0; /* below is overlong */
        } else if (p[0] == 0xed) {
            hi = 0x9f; /* above is U+D800..U+DFFF */
        }
    } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
        need = 3;
        c = p[0] & 0x07u;
        if (p[0] == 0xf0) {
            lo = 0x90; /* below is overlong */
        } else if (p[0] == 0xf4) {
            hi = 0x8f; /* above is past U+10FFFF */
        }
    } else {
        /* 80..BF: stray continuation; C0, C1: always overlong; F5..FF. */
        return -1;
    }
    if (avail <= need) {
        return -1;
    }
    if (p[1] < lo || p[1] > hi) {
        return -1;
    }
    for (i = 1; i <= need; i++) {
        if ((p[i] & 0xc0u) != 0x80u) {
            return -1;
        }
        c = (c << 6) | (p[i] & 0x3fu);
    }
    *cp = c;
    *pos += need + 1;
    return 0;
}

int taulu_utf8_decode(const char *s, size_t len, size_t *pos, uint32_t *cp)
{
    if (*pos >= len) {
        return -1;
    }
    if (decode_strict(s, len, pos, cp) == 0) {
        return 0;
    }
    /* Step over the one bad byte so that every decoding loop ends. */
    *cp = 0xfffd;
    *pos += 1;
    return -1;
}

int taulu_utf8_valid(const char *s, size_t len)
{
    size_t pos = 0;
    uint32_t cp;

    while (pos < len) {
        /* ASCII runs are the common case in config files and notices. */
        if ((unsigned char)s[pos] < 0x80) {
            pos++;
            continue;
        }
        if (taulu_utf8_decode(s, len, &pos, &cp) < 0) {
            return 0;
        }
    }
    return 1;
}

size_t taulu_utf8_count(const char *s, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xc0u) != 0x80u) {
            n++;
        }
    }
    return n;
}

size_t taulu_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) {
        return 0;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    if (cp <= 0x10ffff) {
        out[0] = (char)(0xf0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[3] = (char)(0x80 | (cp & 0x3f));
        return 4;
    }
    return 0;
}

int taulu_utf8_has_controls(const char *s, size_t len, const char *allowed)
{
    size_t pos = 0;
    uint32_t cp;

    while (pos < len) {
        if (taulu_utf8_decode(s, len, &pos, &cp) < 0) {
            return 1;
        }
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
            if (cp != 0 && cp < 0x80 && strchr(allowed, (int)cp)) {
                continue;
            }
            return 1;
        }
    }
    return 0;
}

void taulu_utf8_trim_cut(char *s)
{
    size_t n = strlen(s), st, need;
    unsigned char lead;

    if (n == 0 || !((unsigned char)s[n - 1] & 0x80)) {
        return;
    }
    st = n - 1;
    while (st > 0 && ((unsigned char)s[st] & 0xC0) == 0x80) {
        st--;
    }
    lead = (unsigned char)s[st];
    need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - st < need) {
        s[st] = '\0';
    }
}
