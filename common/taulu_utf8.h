/*
 * taulu_utf8.h: strict UTF-8 validation and decoding.
 *
 * Everything that comes from outside (submissions, manifests, config files)
 * is checked with these before it is stored or shown. Strict means: no
 * overlong forms, no UTF-16 surrogates (U+D800..U+DFFF), nothing above
 * U+10FFFF, no truncated sequences.
 */
#ifndef TAULU_UTF8_H
#define TAULU_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* 1 if s[0..len) is valid UTF-8, else 0. An embedded NUL is valid UTF-8;
 * callers that need C strings check for it themselves. */
int taulu_utf8_valid(const char *s, size_t len);

/* Decodes the code point at s[*pos], advances *pos past it and stores it in
 * *cp. Returns 0, or -1 for an invalid or truncated sequence (then *pos is
 * advanced by one byte so a caller can skip it, and *cp is U+FFFD). */
int taulu_utf8_decode(const char *s, size_t len, size_t *pos, uint32_t *cp);

/* Number of code points in a valid string. */
size_t taulu_utf8_count(const char *s, size_t len);

/* Writes the UTF-8 form of cp (at most 4 bytes) into out; returns the
 * number of bytes, or 0 if cp is not a Unicode scalar value. */
size_t taulu_utf8_encode(uint32_t cp, char out[4]);

/* 1 if the valid string has a C0 or C1 control character or DEL other than
 * the ones allowed in `allowed` (for example "\n" for body text, "" for
 * titles), else 0. */
int taulu_utf8_has_controls(const char *s, size_t len, const char *allowed);

#endif
