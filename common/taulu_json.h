/*
 * taulu_json.h: strict JSON reading and writing, the edge over cJSON.
 *
 * cJSON is lenient (it accepts "+1", "01", raw control characters in
 * strings, duplicate keys, and turns "\u0000" into a silently truncated C
 * string). Documents from outside are therefore first checked here against
 * RFC 8259 exactly, with limits, and only then handed to cJSON:
 *
 *   - the whole text is valid UTF-8 (strict, see taulu_utf8.h);
 *   - exact RFC 8259 grammar, nothing but white space after the value;
 *   - nesting depth (arrays + objects) at most `max_depth`, checked before
 *     cJSON recurses;
 *   - no NUL anywhere, neither raw nor as the escape \u0000; no unpaired
 *     surrogate escapes;
 *   - no duplicate member names in any object (two parsers could pick
 *     different ones), at most `max_members` members per object.
 *
 * The typed getters below read one member of an object, check its type and
 * range, and on error append "path.to.member: reason" to a message buffer.
 * The manifest and MQTT payload readers are built from them; the content
 * server's API can use them for request bodies.
 */
#ifndef TAULU_JSON_H
#define TAULU_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "taulu_buf.h"

struct taulu_json_limits {
    size_t max_bytes;   /* whole document */
    int max_depth;      /* 1 = a flat object */
    size_t max_members; /* per object */
};

/* Checks `s` as described above and parses it. On success *out is the
 * root (free with cJSON_Delete()) and 0 is returned. Otherwise *out is
 * NULL and the code is TAULU_ELIMIT (size, depth, members), TAULU_EUTF8
 * (bad UTF-8, NUL), TAULU_EPARSE (grammar, duplicates: with the byte
 * offset or member path) or TAULU_ENOMEM; the reason goes to `why` (may be
 * NULL). */
int taulu_json_parse(const char *s, size_t len,
                     const struct taulu_json_limits *lim, cJSON **out,
                     struct taulu_buf *why);

/* The path of the member being read, for messages: "cards[3].title". */
#define TAULU_JSON_PATH_MAX 200
struct taulu_json_path {
    char s[TAULU_JSON_PATH_MAX + 1];
    size_t len;
};

void taulu_json_path_init(struct taulu_json_path *p);
/* Push ".key" (or "key" at the root) / "[i]"; return the length to pop
 * back to. A path too long to hold ends in "..." (messages only). */
size_t taulu_json_path_push_key(struct taulu_json_path *p, const char *key);
size_t taulu_json_path_push_index(struct taulu_json_path *p, size_t i);
void taulu_json_path_pop(struct taulu_json_path *p, size_t len);

/* Appends "<path>[.<member>]: <message>" to why (if not NULL) and returns
 * `code`. `member` may be NULL. */
int taulu_json_fail(struct taulu_buf *why, const struct taulu_json_path *p,
                    const char *member, int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Getters. `obj` is an object; `name` the member. Absent optional members
 * leave *out untouched and return 1 (present: 0), so a caller can tell.
 * Errors: TAULU_EMISSING (absent and required), TAULU_ETYPE, and the
 * getter's own checks, with the message in `why`.
 *
 * String: at most `max` bytes; `min` bytes at least; control characters
 * other than those in `allowed` ("" or "\n") give TAULU_EUTF8. The string
 * is borrowed from the cJSON tree. */
int taulu_json_get_string(const cJSON *obj, const char *name, bool required,
                          size_t min, size_t max, const char *allowed,
                          const char **out, const struct taulu_json_path *p,
                          struct taulu_buf *why);
/* Integer: a JSON number with an integral value in [min, max] (min/max
 * within +-2^53), else TAULU_ETYPE (not integral) or TAULU_EVALUE. */
int taulu_json_get_int(const cJSON *obj, const char *name, bool required,
                       int64_t min, int64_t max, int64_t *out,
                       const struct taulu_json_path *p, struct taulu_buf *why);
/* Any finite number in [min, max]. */
int taulu_json_get_number(const cJSON *obj, const char *name, bool required,
                          double min, double max, double *out,
                          const struct taulu_json_path *p,
                          struct taulu_buf *why);
int taulu_json_get_bool(const cJSON *obj, const char *name, bool required,
                        bool *out, const struct taulu_json_path *p,
                        struct taulu_buf *why);
/* Object / array member (borrowed). Arrays: at most `max_items` items,
 * else TAULU_ELIMIT; at least `min_items`, else TAULU_EVALUE. */
int taulu_json_get_object(const cJSON *obj, const char *name, bool required,
                          const cJSON **out, const struct taulu_json_path *p,
                          struct taulu_buf *why);
int taulu_json_get_array(const cJSON *obj, const char *name, bool required,
                         size_t min_items, size_t max_items, const cJSON **out,
                         size_t *n_items, const struct taulu_json_path *p,
                         struct taulu_buf *why);

/* Writing: append a JSON string (quotes and escapes: \" \\ \n \r \t, other
 * controls as \u00XX; UTF-8 passed through), or `"name":`. */
int taulu_json_put_string(struct taulu_buf *b, const char *s);
int taulu_json_put_key(struct taulu_buf *b, const char *name);

#endif
