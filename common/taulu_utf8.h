/*
 * taulu_utf8.h: strict UTF-8 validation and decoding.
 *
 * Everything Infotaulu reads from outside (config files, manifests, notice
 * texts) must be well-formed UTF-8 before it reaches a log line, a font
 * renderer or a database. "Strict" means the definition of RFC 3629 /
 * Unicode chapter 3, table 3-7:
 *
 *   - no overlong forms (C0, C1, E0 80..9F, F0 80..8F are refused),
 *   - no surrogates (ED A0..BF, i.e. U+D800..U+DFFF, are refused),
 *   - nothing above U+10FFFF (F4 90.. and F5..FF are refused),
 *   - no stray continuation bytes and no truncated sequences.
 *
 * U+0000 (a NUL byte) is valid UTF-8; callers that must refuse control
 * characters check for them separately. Nothing here allocates, looks at
 * the locale or keeps state, so every function is safe from any thread.
 */
#ifndef TAULU_UTF8_H
#define TAULU_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* 1 if the `len` bytes at `s` are strict UTF-8, else 0. `s` need not be
 * NUL-terminated; embedded NUL bytes count as U+0000. `s` may be NULL when
 * `len` is 0 (the empty string is valid). */
int taulu_utf8_valid(const char *s, size_t len);

/* Decodes the code point that starts at s[*pos], where *pos < len.
 * On success stores it in *cp, advances *pos past it and returns 0.
 * If the bytes there are not a strict UTF-8 sequence, stores U+FFFD in *cp,
 * advances *pos by ONE byte and returns -1, so that a loop over a string
 * always ends and a caller that tolerates bad input can skip it. Returns -1
 * without touching anything if *pos >= len. A strict loop:
 *
 *     size_t pos = 0;
 *     uint32_t cp;
 *     while (pos < len) {
 *         if (taulu_utf8_decode(s, len, &pos, &cp) < 0)
 *             return TAULU_EUTF8;
 *         use(cp);
 *     }
 */
int taulu_utf8_decode(const char *s, size_t len, size_t *pos, uint32_t *cp);

/* The number of code points in the `len` bytes at `s`, which the caller has
 * checked with taulu_utf8_valid(). (On invalid input the result is the
 * number of bytes that are not continuation bytes 10xxxxxx: harmless, but
 * meaningless.) */
size_t taulu_utf8_count(const char *s, size_t len);

/* Cuts a NUL-terminated string back to the start of a last character that
 * was cut short (snprintf into a full buffer cuts between bytes). */
void taulu_utf8_trim_cut(char *s);

/* Writes the UTF-8 form of cp (at most 4 bytes) into out; returns the
 * number of bytes, or 0 if cp is not a Unicode scalar value. */
size_t taulu_utf8_encode(uint32_t cp, char out[4]);

/* 1 if the string has a C0 or C1 control character or DEL other than the
 * ASCII ones listed in `allowed` (for example "\n" for body text, "" for
 * titles), or is not valid UTF-8; else 0. */
int taulu_utf8_has_controls(const char *s, size_t len, const char *allowed);

#endif
