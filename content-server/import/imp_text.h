/*
 * imp_text.h: a source's text made safe to keep: whatever a feed says is
 * data, never markup. HTML tags are dropped (block tags become line
 * breaks, script and style with their content, comments), character
 * references are decoded (&auml; &#228; &#xE4;), control and invisible
 * format characters (bidi overrides, zero-width spaces, BOM) are removed,
 * white space is collapsed, and the result is cut to the field's length in
 * code points at a word boundary with "…". Invalid UTF-8 is dropped byte
 * by byte. Plain C: the unit tests read it.
 */
#ifndef IMP_TEXT_H
#define IMP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "srv_pool.h"

/* Field lengths of the item API (POST /api/v1/items), in code points. */
#define IMP_TITLE_MAX        120
#define IMP_BODY_MAX         2000
#define IMP_PLACE_MAX        200
#define IMP_PRICE_MAX        100
#define IMP_REGISTRATION_MAX 300
#define IMP_CONTACT_MAX      200
#define IMP_ALT_MAX          300
#define IMP_LINK_MAX         2000

/*
 * Cleans `len` bytes of `in` (need not be NUL-terminated). `multiline`
 * keeps paragraphs as single "\n" (body text); otherwise every break is a
 * space. At most `max_cp` code points (>= 2) come out. The result is in
 * the pool; NULL when nothing but white space is left (or in is NULL).
 */
char *imp_text_clean(struct srv_pool *p, const char *in, size_t len,
                     size_t max_cp, bool multiline);

/* The same for a NUL-terminated string. */
char *imp_text(struct srv_pool *p, const char *in, size_t max_cp,
               bool multiline);

/* A link a card may carry: http:// or https://, a host, no credentials,
 * no white space or control characters, at most IMP_LINK_MAX bytes (the
 * API's srv_link_valid() decides again on submission). */
bool imp_link_ok(const char *s);

/* A source's link in the form a card may carry: leading and trailing white
 * space trimmed, every byte outside RFC 3986's characters (non-ASCII,
 * spaces, braces, quotes) percent-encoded; NULL when it is not a link
 * imp_link_ok() takes after that. In the pool. */
char *imp_link(struct srv_pool *p, const char *s);

/*
 * Where the leading whole sentences of `s` before byte `end` stop: the
 * end of the last sentence (or paragraph, a "\n") that ends before the
 * text's last word in [0, end), trailing blanks left out; 0 when there is
 * none. Sentences end as the renderer's page breaks read them
 * (render_lb_sentence_end: not after "24.11." or "esim."). Called with
 * the text's length and then with each answer, it gives the ever shorter
 * screen texts an importer tries (srv_api_import.c).
 */
size_t imp_text_sentences_before(const char *s, size_t end);

#endif
