/*
 * taulu_buf.c: growable buffer with a hard limit (see taulu_buf.h).
 */
#include "taulu_buf.h"
#include "taulu_err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char taulu_buf_empty[1];

void taulu_buf_init(struct taulu_buf *b, size_t limit)
{
    b->data = taulu_buf_empty;
    b->len = 0;
    b->cap = 0;
    b->limit = limit;
}

void taulu_buf_release(struct taulu_buf *b)
{
    if (b->cap) {
        free(b->data);
    }
    taulu_buf_init(b, b->limit);
}

void taulu_buf_reset(struct taulu_buf *b)
{
    b->len = 0;
    if (b->cap) {
        b->data[0] = '\0';
    }
}

int taulu_buf_grow(struct taulu_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    /* The second test keeps len + extra + 1 from wrapping around when the
     * limit is SIZE_MAX ("no limit"). */
    if (extra > b->limit - b->len || extra >= SIZE_MAX - b->len) {
        return TAULU_ELIMIT;
    }
    need = b->len + extra + 1;
    if (need <= b->cap) {
        return TAULU_OK;
    }
    cap = b->cap ? b->cap : 64;
    while (cap < need) {
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    }
    if (b->limit < SIZE_MAX && cap > b->limit + 1) {
        cap = b->limit + 1;
    }
    p = b->cap ? realloc(b->data, cap) : malloc(cap);
    if (!p) {
        return TAULU_ENOMEM;
    }
    if (!b->cap) {
        p[0] = '\0';
    }
    b->data = p;
    b->cap = cap;
    return TAULU_OK;
}

int taulu_buf_append(struct taulu_buf *b, const void *data, size_t len)
{
    int rc = taulu_buf_grow(b, len);

    if (rc < 0) {
        return rc;
    }
    if (len) {
        memcpy(b->data + b->len, data, len);
    }
    b->len += len;
    b->data[b->len] = '\0';
    return TAULU_OK;
}

int taulu_buf_puts(struct taulu_buf *b, const char *s)
{
    return taulu_buf_append(b, s, strlen(s));
}

int taulu_buf_putc(struct taulu_buf *b, char c)
{
    return taulu_buf_append(b, &c, 1);
}

int taulu_buf_vappendf(struct taulu_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n, rc;

    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) {
        return TAULU_EINVAL;
    }
    rc = taulu_buf_grow(b, (size_t)n);
    if (rc < 0) {
        return rc;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return TAULU_OK;
}

int taulu_buf_appendf(struct taulu_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = taulu_buf_vappendf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void taulu_buf_truncate(struct taulu_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

char *taulu_buf_detach(struct taulu_buf *b, size_t *len)
{
    char *p;

    if (len) {
        *len = b->len;
    }
    if (!b->cap) {
        p = malloc(1);
        if (p) {
            p[0] = '\0';
        }
        return p;
    }
    p = b->data;
    taulu_buf_init(b, b->limit);
    return p;
}
