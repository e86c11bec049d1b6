/*
 * srv_json.h: strict reading of JSON request bodies.
 *
 * A body is checked before cJSON sees it: valid UTF-8, no NUL (raw or as
 * \u0000), nesting at most `max_depth`. Then objects are read field by
 * field: every known field is checked for type, size and range, any
 * unknown or duplicated field is an error, and the first problem is
 * reported as an error code from srv_msg.c plus the field's path
 * ("texts[1].title") so the form can point at it.
 *
 * Strings are returned as pointers into the cJSON tree (borrowed: they live
 * as long as the tree) or copied into a pool where noted. Lengths are
 * counted in code points, as a person counts characters.
 */
#ifndef SRV_JSON_H
#define SRV_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srv_pool.h"
#include "srv_store.h"

struct srv_verr {
    int status;       /* HTTP status to answer */
    const char *code; /* srv_msg.c code */
    char field[128];  /* path of the field, "" if none */
};

/* Fills e and returns -1, for one-line error exits. */
int srv_verr_set(struct srv_verr *e, int status, const char *code,
                 const char *prefix, const char *name);

/* Parses body[0..len) (which must be NUL-terminated at len). The root must
 * be an object. 0 and *out (free with cJSON_Delete), or -1 and e. */
int srv_json_parse(const char *body, size_t len, unsigned max_depth,
                   cJSON **out, struct srv_verr *e);

/* Fails on a key not in `allowed` (NULL-terminated) or given twice. */
int srv_json_keys(const cJSON *obj, const char *const *allowed,
                  const char *prefix, struct srv_verr *e);

/* Text fields. `min`/`max` in code points; `allow` are the control
 * characters allowed ("\n" for body text, "" otherwise). A missing or
 * null optional field gives *out = NULL. */
int srv_json_str(const cJSON *obj, const char *name, bool required, size_t min,
                 size_t max, const char *allow, const char *prefix,
                 const char **out, struct srv_verr *e);
/* A string that must be one of `values` (NULL-terminated). */
int srv_json_enum(const cJSON *obj, const char *name, bool required,
                  const char *const *values, const char *prefix,
                  const char **out, struct srv_verr *e);
/* Whole numbers in [min, max]; a missing optional field leaves *out. */
int srv_json_int(const cJSON *obj, const char *name, bool required, int64_t min,
                 int64_t max, const char *prefix, int64_t *out,
                 struct srv_verr *e);
int srv_json_num(const cJSON *obj, const char *name, bool required, double min,
                 double max, const char *prefix, double *out,
                 struct srv_verr *e);
int srv_json_bool(const cJSON *obj, const char *name, bool required,
                  const char *prefix, bool *out, struct srv_verr *e);
/* An RFC 3339 instant; a missing optional field leaves *out. */
int srv_json_time(const cJSON *obj, const char *name, bool required,
                  const char *prefix, int64_t *out, struct srv_verr *e);
/* An array of distinct positive ids, at most `max` of them, copied into
 * the pool. A missing optional field gives an empty list. */
int srv_json_ids(const cJSON *obj, const char *name, bool required, size_t min,
                 size_t max, struct srv_pool *p, const char *prefix,
                 struct srv_ids *out, struct srv_verr *e);

/* A positive id from a URL path segment (digits only, no sign, no
 * leading zero, at most 15 digits). 0 or -1. */
int srv_parse_id(const char *s, size_t len, int64_t *out);

/* Output helpers: an RFC 3339 string, or null for 0. */
void srv_json_add_time(cJSON *obj, const char *name, int64_t t);
/* A string, or null for NULL. */
void srv_json_add_str(cJSON *obj, const char *name, const char *s);
void srv_json_add_ids(cJSON *obj, const char *name, const struct srv_ids *ids);

#endif
