/*
 * srv_json.c: strict reading of JSON request bodies (see srv_json.h).
 */
#include "srv_json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "taulu_hex.h"
#include "taulu_time.h"
#include "taulu_utf8.h"

int srv_verr_set(struct srv_verr *e, int status, const char *code,
                 const char *prefix, const char *name)
{
    e->status = status;
    e->code = code;
    if (name && prefix && *prefix) {
        snprintf(e->field, sizeof(e->field), "%s.%s", prefix, name);
    } else if (name) {
        snprintf(e->field, sizeof(e->field), "%s", name);
    } else if (prefix) {
        snprintf(e->field, sizeof(e->field), "%s", prefix);
    } else {
        e->field[0] = '\0';
    }
    return -1;
}

/* Depth and \u0000 scan over the raw text. Does not judge the syntax (cJSON
 * does); only what cJSON would accept but we must not. */
static int prescan(const char *s, size_t len, unsigned max_depth,
                   struct srv_verr *e)
{
    size_t i;
    unsigned depth = 0;
    bool in_str = false;

    for (i = 0; i < len; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\') {
                if (i + 5 < len && s[i + 1] == 'u') {
                    int v = 0, k;
                    for (k = 2; k < 6; k++) {
                        int h = taulu_hex_digit(s[i + k]);
                        v = h < 0 ? -1 : (v < 0 ? -1 : v * 16 + h);
                    }
                    if (v == 0) {
                        return srv_verr_set(e, 400, "control_chars", NULL,
                                            NULL);
                    }
                }
                i++;
            } else if (c == '"') {
                in_str = false;
            }
            continue;
        }
        if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth) {
                return srv_verr_set(e, 400, "too_deep", NULL, NULL);
            }
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
    }
    return 0;
}

int srv_json_parse(const char *body, size_t len, unsigned max_depth,
                   cJSON **out, struct srv_verr *e)
{
    const char *end = NULL;
    cJSON *root;

    *out = NULL;
    if (!taulu_utf8_valid(body, len)) {
        return srv_verr_set(e, 400, "invalid_utf8", NULL, NULL);
    }
    if (memchr(body, '\0', len)) {
        return srv_verr_set(e, 400, "control_chars", NULL, NULL);
    }
    if (prescan(body, len, max_depth, e) < 0) {
        return -1;
    }
    root = cJSON_ParseWithOpts(body, &end, 1);
    if (!root) {
        return srv_verr_set(e, 400, "bad_json", NULL, NULL);
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return srv_verr_set(e, 400, "not_object", NULL, NULL);
    }
    *out = root;
    return 0;
}

int srv_json_keys(const cJSON *obj, const char *const *allowed,
                  const char *prefix, struct srv_verr *e)
{
    const cJSON *a, *b;
    const char *const *k;

    for (a = obj->child; a; a = a->next) {
        bool known = false;
        if (!a->string) {
            return srv_verr_set(e, 400, "bad_json", prefix, NULL);
        }
        for (k = allowed; *k && !known; k++) {
            known = strcmp(*k, a->string) == 0;
        }
        if (!known) {
            /* The unknown key is echoed only if it is short and printable
             * (it is valid UTF-8: the body was checked). */
            return srv_verr_set(e, 400, "unknown_field", prefix,
                                strlen(a->string) <= 64 ? a->string : "?");
        }
        for (b = a->next; b; b = b->next) {
            if (b->string && strcmp(a->string, b->string) == 0) {
                return srv_verr_set(e, 400, "duplicate_field", prefix,
                                    a->string);
            }
        }
    }
    return 0;
}

/* The member, or NULL when absent or JSON null. */
static const cJSON *member(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

    return v && !cJSON_IsNull(v) ? v : NULL;
}

int srv_json_str(const cJSON *obj, const char *name, bool required, size_t min,
                 size_t max, const char *allow, const char *prefix,
                 const char **out, struct srv_verr *e)
{
    const cJSON *v = member(obj, name);
    size_t len, cps;

    *out = NULL;
    if (!v) {
        return required ? srv_verr_set(e, 400, "missing_field", prefix, name)
                        : 0;
    }
    if (!cJSON_IsString(v) || !v->valuestring) {
        return srv_verr_set(e, 400, "wrong_type", prefix, name);
    }
    len = strlen(v->valuestring);
    if (!taulu_utf8_valid(v->valuestring, len)) {
        return srv_verr_set(e, 400, "invalid_utf8", prefix, name);
    }
    if (taulu_utf8_has_controls(v->valuestring, len, allow)) {
        return srv_verr_set(e, 400, "control_chars", prefix, name);
    }
    cps = taulu_utf8_count(v->valuestring, len);
    if (cps > max) {
        return srv_verr_set(e, 400, "too_long", prefix, name);
    }
    if (cps < min) {
        return srv_verr_set(e, 400, "too_short", prefix, name);
    }
    if (min > 0) {
        /* Only spaces does not count as text. */
        const char *p = v->valuestring;
        while (*p == ' ' || *p == '\n') {
            p++;
        }
        if (!*p) {
            return srv_verr_set(e, 400, "too_short", prefix, name);
        }
    }
    *out = v->valuestring;
    return 0;
}

int srv_json_enum(const cJSON *obj, const char *name, bool required,
                  const char *const *values, const char *prefix,
                  const char **out, struct srv_verr *e)
{
    const char *s;
    const char *const *k;

    if (srv_json_str(obj, name, required, 0, 64, "", prefix, &s, e) < 0) {
        return -1;
    }
    *out = NULL;
    if (!s) {
        return 0;
    }
    for (k = values; *k; k++) {
        if (strcmp(*k, s) == 0) {
            *out = *k;
            return 0;
        }
    }
    return srv_verr_set(e, 400, "invalid_value", prefix, name);
}

int srv_json_num(const cJSON *obj, const char *name, bool required, double min,
                 double max, const char *prefix, double *out,
                 struct srv_verr *e)
{
    const cJSON *v = member(obj, name);

    if (!v) {
        return required ? srv_verr_set(e, 400, "missing_field", prefix, name)
                        : 0;
    }
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
        return srv_verr_set(e, 400, "wrong_type", prefix, name);
    }
    if (v->valuedouble < min || v->valuedouble > max) {
        return srv_verr_set(e, 400, "out_of_range", prefix, name);
    }
    *out = v->valuedouble;
    return 0;
}

int srv_json_int(const cJSON *obj, const char *name, bool required, int64_t min,
                 int64_t max, const char *prefix, int64_t *out,
                 struct srv_verr *e)
{
    const cJSON *v = member(obj, name);
    double d;

    if (!v) {
        return required ? srv_verr_set(e, 400, "missing_field", prefix, name)
                        : 0;
    }
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
        return srv_verr_set(e, 400, "wrong_type", prefix, name);
    }
    d = v->valuedouble;
    if (d != floor(d)) {
        return srv_verr_set(e, 400, "wrong_type", prefix, name);
    }
    if (d < (double)min || d > (double)max || fabs(d) > 9007199254740992.0) {
        return srv_verr_set(e, 400, "out_of_range", prefix, name);
    }
    *out = (int64_t)d;
    return 0;
}

int srv_json_bool(const cJSON *obj, const char *name, bool required,
                  const char *prefix, bool *out, struct srv_verr *e)
{
    const cJSON *v = member(obj, name);

    if (!v) {
        return required ? srv_verr_set(e, 400, "missing_field", prefix, name)
                        : 0;
    }
    if (!cJSON_IsBool(v)) {
        return srv_verr_set(e, 400, "wrong_type", prefix, name);
    }
    *out = cJSON_IsTrue(v);
    return 0;
}

int srv_json_time(const cJSON *obj, const char *name, bool required,
                  const char *prefix, int64_t *out, struct srv_verr *e)
{
    const char *s;
    int64_t t;

    if (srv_json_str(obj, name, required, 0, 32, "", prefix, &s, e) < 0) {
        return -1;
    }
    if (!s) {
        return 0;
    }
    if (taulu_time_parse_iso(s, &t) != 0 || t <= 0) {
        return srv_verr_set(e, 400, "invalid_time", prefix, name);
    }
    *out = t;
    return 0;
}

int srv_json_ids(const cJSON *obj, const char *name, bool required, size_t min,
                 size_t max, struct srv_pool *p, const char *prefix,
                 struct srv_ids *out, struct srv_verr *e)
{
    const cJSON *v = member(obj, name), *x;
    size_t n = 0, i;
    char path[96];

    out->v = NULL;
    out->n = 0;
    if (!v) {
        return required || min > 0
                   ? srv_verr_set(e, 400, "missing_field", prefix, name)
                   : 0;
    }
    if (!cJSON_IsArray(v)) {
        return srv_verr_set(e, 400, "wrong_type", prefix, name);
    }
    n = (size_t)cJSON_GetArraySize(v);
    if (n > max) {
        return srv_verr_set(e, 400, "out_of_range", prefix, name);
    }
    if (n < min) {
        return srv_verr_set(e, 400, "missing_field", prefix, name);
    }
    out->v = srv_pool_alloc(p, (n ? n : 1) * sizeof(*out->v));
    i = 0;
    cJSON_ArrayForEach(x, v)
    {
        double d = x->valuedouble;
        size_t k;
        snprintf(path, sizeof(path), "%s[%zu]", name, i);
        if (!cJSON_IsNumber(x) || !isfinite(d) || d != floor(d)) {
            return srv_verr_set(e, 400, "wrong_type", prefix, path);
        }
        if (d < 1 || d > 9007199254740992.0) {
            return srv_verr_set(e, 400, "out_of_range", prefix, path);
        }
        for (k = 0; k < i; k++) {
            if (out->v[k] == (int64_t)d) {
                return srv_verr_set(e, 400, "duplicate_value", prefix, path);
            }
        }
        out->v[i++] = (int64_t)d;
    }
    out->n = i;
    return 0;
}

int srv_parse_id(const char *s, size_t len, int64_t *out)
{
    int64_t v = 0;
    size_t i;

    if (len == 0 || len > 15 || s[0] == '0') {
        return -1;
    }
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

void srv_json_add_time(cJSON *obj, const char *name, int64_t t)
{
    char buf[TAULU_ISO_LEN];

    if (t <= 0) {
        cJSON_AddNullToObject(obj, name);
        return;
    }
    taulu_time_format_iso(t, buf);
    cJSON_AddStringToObject(obj, name, buf);
}

void srv_json_add_str(cJSON *obj, const char *name, const char *s)
{
    if (s) {
        cJSON_AddStringToObject(obj, name, s);
    } else {
        cJSON_AddNullToObject(obj, name);
    }
}

void srv_json_add_ids(cJSON *obj, const char *name, const struct srv_ids *ids)
{
    cJSON *a = cJSON_AddArrayToObject(obj, name);
    size_t i;

    for (i = 0; a && i < ids->n; i++) {
        cJSON_AddItemToArray(a, cJSON_CreateNumber((double)ids->v[i]));
    }
}
