/*
 * taulu_hex.h: the value of one hexadecimal digit.
 *
 * Several readers meet hex digits one at a time: "\uXXXX" escapes in JSON,
 * "%XX" in URLs, "#rrggbb" colours in themes. They share this one
 * definition so that none of them accepts a digit another refuses.
 * (Whole byte strings in hex go through taulu_hex_encode/_decode in
 * taulu_crypto.h.) Pure; no locale: isxdigit() would depend on it.
 */
#ifndef TAULU_HEX_H
#define TAULU_HEX_H

/* 0..15 for '0'-'9', 'a'-'f' and 'A'-'F'; -1 for anything else, including
 * a negative (high-bit) char and EOF. */
int taulu_hex_digit(int c);

#endif
