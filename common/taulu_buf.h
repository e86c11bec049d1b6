/*
 * taulu_buf.h: a growable byte buffer with a hard size limit.
 *
 * Modelled on git's strbuf and curl's dynbuf: the data is always
 * NUL-terminated (so it can be used as a C string when it holds text), it
 * grows by doubling, and it never grows past the limit given at init. Every
 * size that comes from input is bounded by such a limit.
 *
 *     struct taulu_buf b;
 *     taulu_buf_init(&b, 64 * 1024);
 *     if (taulu_buf_appendf(&b, "seq=%d", 42) < 0) ...;
 *     use(b.data, b.len);
 *     taulu_buf_release(&b);
 *
 * On failure (TAULU_ENOMEM or TAULU_ELIMIT) the buffer keeps what it held
 * before the call: nothing is half-appended.
 */
#ifndef TAULU_BUF_H
#define TAULU_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct taulu_buf {
    char *data;   /* NUL-terminated; "" (static) until the first append */
    size_t len;   /* bytes held, not counting the terminating NUL */
    size_t cap;   /* bytes allocated (0 while data points to "") */
    size_t limit; /* len may never exceed this */
};

/* Sets up an empty buffer that may hold at most `limit` bytes. Allocates
 * nothing. */
void taulu_buf_init(struct taulu_buf *b, size_t limit);

/* Frees the memory and leaves the buffer empty and usable (same limit).
 * Accepts a buffer that was only initialised. */
void taulu_buf_release(struct taulu_buf *b);

/* Empties the buffer but keeps its memory. */
void taulu_buf_reset(struct taulu_buf *b);

/* Makes room for `extra` more bytes. TAULU_ELIMIT past the limit. */
int taulu_buf_grow(struct taulu_buf *b, size_t extra);

/* Appends bytes, a C string, one byte, or printf-formatted text.
 * Return 0, TAULU_ENOMEM or TAULU_ELIMIT. */
int taulu_buf_append(struct taulu_buf *b, const void *data, size_t len);
int taulu_buf_puts(struct taulu_buf *b, const char *s);
int taulu_buf_putc(struct taulu_buf *b, char c);
int taulu_buf_appendf(struct taulu_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int taulu_buf_vappendf(struct taulu_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Shortens the buffer to `len` bytes (no-op if it is already shorter). */
void taulu_buf_truncate(struct taulu_buf *b, size_t len);

/* Hands the memory over to the caller, who frees it with free(); the buffer
 * is left empty. Returns a malloc'd copy of "" if the buffer never held
 * anything, or NULL if that allocation fails. `len` may be NULL. */
char *taulu_buf_detach(struct taulu_buf *b, size_t *len);

#endif
