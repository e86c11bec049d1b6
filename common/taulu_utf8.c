/*
 * taulu_utf8.c: strict UTF-8 (see taulu_utf8.h).
 */
#include "taulu_utf8.h"

#include <string.h>

int taulu_utf8_decode(const char *s, size_t len, size_t *pos, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s + *pos;
    size_t left = len - *pos;
    uint32_t c, min;
    size_t n, i;

    if (left == 0)
        goto bad;
    c = p[0];
    if (c < 0x80) {
        *cp = c;
        *pos += 1;
        return 0;
    } else if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        c &= 0x1f;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        c &= 0x0f;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        goto bad;
    }
    if (left < n)
        goto bad;
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            goto bad;
        c = (c << 6) | (p[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        goto bad;
    *cp = c;
    *pos += n;
    return 0;
bad:
    *cp = 0xfffd;
    *pos += 1;
    return -1;
}

int taulu_utf8_valid(const char *s, size_t len)
{
    size_t pos = 0;
    uint32_t cp;

    while (pos < len) {
        /* ASCII fast path: most of our text is. */
        if ((unsigned char)s[pos] < 0x80) {
            pos++;
            continue;
        }
        if (taulu_utf8_decode(s, len, &pos, &cp) < 0)
            return 0;
    }
    return 1;
}

size_t taulu_utf8_count(const char *s, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            n++;
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
    if (cp >= 0xd800 && cp <= 0xdfff)
        return 0;
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
        taulu_utf8_decode(s, len, &pos, &cp);
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
            if (cp != 0 && cp < 0x80 && strchr(allowed, (int)cp))
                continue;
            return 1;
        }
    }
    return 0;
}
