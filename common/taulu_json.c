/*
 * taulu_json.c: strict JSON over cJSON (see taulu_json.h).
 *
 * The scanner below is a complete RFC 8259 recogniser. It exists because
 * cJSON is lenient in ways that matter when two programs must agree on what
 * a signed document says: it would accept "01" or "+1", raw control bytes in
 * strings, silently truncate a string at "\u0000", silently cut a number
 * after 63 characters and keep both members of {"a":1,"a":2}. Only a
 * document that passes the scanner is handed to cJSON to build the tree.
 *
 * Numbers are further restricted to what our writers produce, so that no
 * value can be read differently by a reader that parses decimals exactly:
 * no exponent, at most 32 characters, and at most 15 significant digits
 * when there is a fraction (then no decimal of that form rounds to an
 * integer as a double, so an integer check on the double is exact).
 */
#include "taulu_json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_hex.h"
#include "taulu_utf8.h"

#define NUMBER_MAX_CHARS    32
#define FRACTION_MAX_DIGITS 15
/* +-2^53: every integer in between is exact as a double. */
#define EXACT_INT_MAX 9007199254740991LL

/* Where the scanner is, for messages: one frame per open container. */
#define SCAN_FRAMES 32
struct scan_frame {
    int object;
    size_t index;             /* arrays: the item being read */
    const unsigned char *key; /* objects: the member being read (raw) */
    size_t key_len;
};

struct scan {
    const unsigned char *s;
    size_t len;
    size_t pos;
    size_t values;
    int depth;
    const struct taulu_json_limits *lim;
    struct taulu_buf *why;
    struct scan_frame frames[SCAN_FRAMES];
};

/* "cards[3].versions[0].title: <what> (byte N)". Member names are shown
 * as raw JSON text with anything but printable ASCII replaced, so that a
 * hostile document cannot put control characters into a log line. */
static int scan_fail(struct scan *sc, int code, const char *what)
{
    size_t start, k;
    int d;

    if (!sc->why) {
        return code;
    }
    start = sc->why->len;
    for (d = 0; d < sc->depth && d < SCAN_FRAMES; d++) {
        const struct scan_frame *f = &sc->frames[d];
        if (!f->object) {
            taulu_buf_appendf(sc->why, "[%zu]", f->index);
        } else if (f->key) {
            if (sc->why->len > start) {
                taulu_buf_putc(sc->why, '.');
            }
            for (k = 0; k < f->key_len && k < 64; k++) {
                unsigned char c = f->key[k];
                taulu_buf_putc(sc->why, c >= 0x20 && c < 0x7f ? (char)c : '?');
            }
        }
    }
    if (sc->why->len == start) {
        taulu_buf_puts(sc->why, "json");
    }
    taulu_buf_appendf(sc->why, ": %s (byte %zu)", what, sc->pos);
    return code;
}

static void scan_ws(struct scan *sc)
{
    while (sc->pos < sc->len) {
        unsigned char c = sc->s[sc->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            break;
        }
        sc->pos++;
    }
}

static int hex4(const unsigned char *p, unsigned *out)
{
    unsigned v = 0;
    int i;

    for (i = 0; i < 4; i++) {
        int d = taulu_hex_digit(p[i]);
        if (d < 0) {
            return -1;
        }
        v = v << 4 | (unsigned)d;
    }
    *out = v;
    return 0;
}

/* A string starting at the opening quote. The text is already known to be
 * valid UTF-8, so only ASCII needs looking at. */
static int scan_string(struct scan *sc)
{
    unsigned u, lo;

    sc->pos++; /* the quote */
    while (sc->pos < sc->len) {
        unsigned char c = sc->s[sc->pos];
        if (c == '"') {
            sc->pos++;
            return TAULU_OK;
        }
        if (c == 0) {
            return scan_fail(sc, TAULU_EUTF8, "NUL byte in string");
        }
        if (c < 0x20) {
            return scan_fail(sc, TAULU_EUTF8, "control character in string");
        }
        if (c >= 0x80) {
            size_t at = sc->pos;
            uint32_t cp;
            if (taulu_utf8_decode((const char *)sc->s, sc->len, &at, &cp) < 0) {
                return scan_fail(sc, TAULU_EUTF8, "invalid UTF-8");
            }
            sc->pos = at;
            continue;
        }
        if (c != '\\') {
            sc->pos++;
            continue;
        }
        if (sc->pos + 1 >= sc->len) {
            break;
        }
        c = sc->s[sc->pos + 1];
        if (strchr("\"\\/bfnrt", c) && c != 0) {
            sc->pos += 2;
            continue;
        }
        if (c != 'u') {
            return scan_fail(sc, TAULU_EPARSE, "invalid escape");
        }
        if (sc->pos + 6 > sc->len || hex4(sc->s + sc->pos + 2, &u) < 0) {
            return scan_fail(sc, TAULU_EPARSE, "invalid \\u escape");
        }
        if (u == 0) {
            return scan_fail(sc, TAULU_EUTF8, "\\u0000 (NUL) in string");
        }
        if (u >= 0xdc00 && u <= 0xdfff) {
            return scan_fail(sc, TAULU_EPARSE, "unpaired surrogate escape");
        }
        if (u >= 0xd800 && u <= 0xdbff) {
            if (sc->pos + 12 > sc->len || sc->s[sc->pos + 6] != '\\' ||
                sc->s[sc->pos + 7] != 'u' ||
                hex4(sc->s + sc->pos + 8, &lo) < 0 || lo < 0xdc00 ||
                lo > 0xdfff) {
                return scan_fail(sc, TAULU_EPARSE, "unpaired surrogate escape");
            }
            sc->pos += 12;
            continue;
        }
        sc->pos += 6;
    }
    return scan_fail(sc, TAULU_EPARSE, "unterminated string");
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int scan_number(struct scan *sc)
{
    size_t start = sc->pos, sig = 0;
    int seen_nonzero = 0, frac = 0;

    if (sc->s[sc->pos] == '-') {
        sc->pos++;
    }
    if (sc->pos >= sc->len || !is_digit(sc->s[sc->pos])) {
        return scan_fail(sc, TAULU_EPARSE, "invalid number");
    }
    if (sc->s[sc->pos] == '0') {
        sc->pos++;
        if (sc->pos < sc->len && is_digit(sc->s[sc->pos])) {
            return scan_fail(sc, TAULU_EPARSE, "leading zero in number");
        }
    } else {
        while (sc->pos < sc->len && is_digit(sc->s[sc->pos])) {
            seen_nonzero = 1;
            sig++;
            sc->pos++;
        }
    }
    if (sc->pos < sc->len && sc->s[sc->pos] == '.') {
        frac = 1;
        sc->pos++;
        if (sc->pos >= sc->len || !is_digit(sc->s[sc->pos])) {
            return scan_fail(sc, TAULU_EPARSE, "invalid number");
        }
        while (sc->pos < sc->len && is_digit(sc->s[sc->pos])) {
            if (sc->s[sc->pos] != '0') {
                seen_nonzero = 1;
            }
            if (seen_nonzero) {
                sig++;
            }
            sc->pos++;
        }
    }
    if (sc->pos < sc->len && (sc->s[sc->pos] == 'e' || sc->s[sc->pos] == 'E')) {
        return scan_fail(sc, TAULU_EPARSE,
                         "exponent in number (not used by this format)");
    }
    if (sc->pos - start > NUMBER_MAX_CHARS) {
        return scan_fail(sc, TAULU_ELIMIT, "number too long");
    }
    if (frac && sig > FRACTION_MAX_DIGITS) {
        return scan_fail(sc, TAULU_ELIMIT,
                         "too many significant digits in number");
    }
    return TAULU_OK;
}

static int scan_literal(struct scan *sc, const char *word)
{
    size_t n = strlen(word);

    if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, word, n) != 0) {
        return scan_fail(sc, TAULU_EPARSE, "invalid literal");
    }
    sc->pos += n;
    return TAULU_OK;
}

static int scan_value(struct scan *sc, int depth);

static int scan_container(struct scan *sc, int depth, int object)
{
    unsigned char close = object ? '}' : ']';
    struct scan_frame *f = NULL;
    size_t items = 0;
    int rc;

    if (depth > sc->lim->max_depth) {
        return scan_fail(sc, TAULU_ELIMIT, "nested too deeply");
    }
    if (depth <= SCAN_FRAMES) {
        f = &sc->frames[depth - 1];
        f->object = object;
        f->index = 0;
        f->key = NULL;
        f->key_len = 0;
    }
    sc->depth = depth;
    sc->pos++;
    scan_ws(sc);
    if (sc->pos < sc->len && sc->s[sc->pos] == close) {
        sc->pos++;
        sc->depth = depth - 1;
        return TAULU_OK;
    }
    for (;;) {
        if (f) {
            f->index = items;
            f->key = NULL;
        }
        if (object) {
            size_t key_start = sc->pos + 1;
            if (items >= sc->lim->max_members) {
                return scan_fail(sc, TAULU_ELIMIT, "too many members");
            }
            if (sc->pos >= sc->len || sc->s[sc->pos] != '"') {
                return scan_fail(sc, TAULU_EPARSE, "expected member name");
            }
            if ((rc = scan_string(sc)) < 0) {
                return rc;
            }
            if (f) {
                f->key = sc->s + key_start;
                f->key_len = sc->pos - 1 - key_start;
            }
            scan_ws(sc);
            if (sc->pos >= sc->len || sc->s[sc->pos] != ':') {
                return scan_fail(sc, TAULU_EPARSE, "expected ':'");
            }
            sc->pos++;
        }
        if ((rc = scan_value(sc, depth)) < 0) {
            return rc;
        }
        sc->depth = depth;
        items++;
        scan_ws(sc);
        if (sc->pos >= sc->len) {
            break;
        }
        if (sc->s[sc->pos] == ',') {
            sc->pos++;
            scan_ws(sc);
            continue;
        }
        if (sc->s[sc->pos] == close) {
            sc->pos++;
            sc->depth = depth - 1;
            return TAULU_OK;
        }
        break;
    }
    return scan_fail(sc, TAULU_EPARSE,
                     object ? "expected ',' or '}'" : "expected ',' or ']'");
}

static int scan_value(struct scan *sc, int depth)
{
    if (++sc->values > sc->lim->max_values) {
        return scan_fail(sc, TAULU_ELIMIT, "too many values");
    }
    scan_ws(sc);
    if (sc->pos >= sc->len) {
        return scan_fail(sc, TAULU_EPARSE, "unexpected end");
    }
    switch (sc->s[sc->pos]) {
    case '{':
        return scan_container(sc, depth + 1, 1);
    case '[':
        return scan_container(sc, depth + 1, 0);
    case '"':
        return scan_string(sc);
    case 't':
        return scan_literal(sc, "true");
    case 'f':
        return scan_literal(sc, "false");
    case 'n':
        return scan_literal(sc, "null");
    case 0:
        return scan_fail(sc, TAULU_EUTF8, "NUL byte");
    default:
        if (sc->s[sc->pos] == '-' || is_digit(sc->s[sc->pos])) {
            return scan_number(sc);
        }
        return scan_fail(sc, TAULU_EPARSE, "unexpected character");
    }
}

/* Duplicate member names, compared after cJSON decoded the escapes (so
 * "a" and "\u0061" are the same name, as they are to every parser). The
 * scanner bounded the members per object, so the quadratic loop is cheap. */
static int check_duplicates(const cJSON *node, struct taulu_json_path *p,
                            struct taulu_buf *why)
{
    const cJSON *a, *b;
    size_t i = 0, mark;
    int rc;

    for (a = node->child; a; a = a->next, i++) {
        if (cJSON_IsObject(node)) {
            for (b = a->next; b; b = b->next) {
                if (strcmp(a->string, b->string) == 0) {
                    return taulu_json_fail(why, p, a->string, TAULU_EPARSE,
                                           "duplicate member");
                }
            }
        }
        if (a->child) {
            mark = cJSON_IsObject(node) ? taulu_json_path_push_key(p, a->string)
                                        : taulu_json_path_push_index(p, i);
            rc = check_duplicates(a, p, why);
            taulu_json_path_pop(p, mark);
            if (rc < 0) {
                return rc;
            }
        }
    }
    return TAULU_OK;
}

int taulu_json_parse(const char *s, size_t len,
                     const struct taulu_json_limits *lim, cJSON **out,
                     struct taulu_buf *why)
{
    struct scan sc;
    struct taulu_json_path path;
    cJSON *root = NULL;
    int rc;

    *out = NULL;
    memset(&sc, 0, sizeof(sc));
    sc.s = (const unsigned char *)s;
    sc.len = len;
    sc.lim = lim;
    sc.why = why;
    if (len > lim->max_bytes) {
        if (why) {
            taulu_buf_appendf(why, "json: too big (%zu > %zu bytes)", len,
                              lim->max_bytes);
        }
        return TAULU_ELIMIT;
    }
    if ((rc = scan_value(&sc, 0)) < 0) {
        return rc;
    }
    scan_ws(&sc);
    if (sc.pos != len) {
        return scan_fail(&sc, sc.s[sc.pos] == 0 ? TAULU_EUTF8 : TAULU_EPARSE,
                         "bytes after the document");
    }
    root = cJSON_ParseWithLength(s, len);
    if (!root) {
        /* The scanner accepted it, so cJSON can only have run out of
         * memory. */
        if (why) {
            taulu_buf_puts(why, "json: out of memory");
        }
        return TAULU_ENOMEM;
    }
    taulu_json_path_init(&path);
    if ((rc = check_duplicates(root, &path, why)) < 0) {
        cJSON_Delete(root);
        return rc;
    }
    *out = root;
    return TAULU_OK;
}

void taulu_json_path_init(struct taulu_json_path *p)
{
    p->s[0] = '\0';
    p->len = 0;
}

static size_t path_append(struct taulu_json_path *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static size_t path_append(struct taulu_json_path *p, const char *fmt, ...)
{
    size_t mark = p->len, room = sizeof(p->s) - p->len;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(p->s + p->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        p->s[p->len] = '\0';
    } else if ((size_t)n >= room) {
        /* Messages only: mark the cut. */
        memcpy(p->s + sizeof(p->s) - 4, "...", 4);
        p->len = sizeof(p->s) - 1;
    } else {
        p->len += (size_t)n;
    }
    return mark;
}

size_t taulu_json_path_push_key(struct taulu_json_path *p, const char *key)
{
    return path_append(p, "%s%s", p->len ? "." : "", key);
}

size_t taulu_json_path_push_index(struct taulu_json_path *p, size_t i)
{
    return path_append(p, "[%zu]", i);
}

void taulu_json_path_pop(struct taulu_json_path *p, size_t len)
{
    if (len < p->len) {
        p->len = len;
        p->s[len] = '\0';
    }
}

int taulu_json_fail(struct taulu_buf *why, const struct taulu_json_path *p,
                    const char *member, int code, const char *fmt, ...)
{
    va_list ap;

    if (!why) {
        return code;
    }
    if (p && p->len) {
        taulu_buf_puts(why, p->s);
        if (member) {
            taulu_buf_putc(why, '.');
        }
    }
    if (member) {
        taulu_buf_puts(why, member);
    }
    if ((!p || !p->len) && !member) {
        taulu_buf_puts(why, "document");
    }
    taulu_buf_puts(why, ": ");
    va_start(ap, fmt);
    taulu_buf_vappendf(why, fmt, ap);
    va_end(ap);
    return code;
}

/* The member, or NULL with TAULU_EMISSING / 1 (absent, optional). */
static int get_member(const cJSON *obj, const char *name, bool required,
                      const cJSON **item, const struct taulu_json_path *p,
                      struct taulu_buf *why)
{
    *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (*item) {
        return TAULU_OK;
    }
    if (required) {
        return taulu_json_fail(why, p, name, TAULU_EMISSING, "missing");
    }
    return 1;
}

int taulu_json_get_string(const cJSON *obj, const char *name, bool required,
                          size_t min, size_t max, const char *allowed,
                          const char **out, const struct taulu_json_path *p,
                          struct taulu_buf *why)
{
    const cJSON *item;
    size_t len;
    int rc;

    if ((rc = get_member(obj, name, required, &item, p, why)) != 0) {
        return rc;
    }
    if (!cJSON_IsString(item) || !item->valuestring) {
        return taulu_json_fail(why, p, name, TAULU_ETYPE, "not a string");
    }
    len = strlen(item->valuestring);
    if (len > max) {
        return taulu_json_fail(why, p, name, TAULU_ELIMIT,
                               "too long (%zu > %zu bytes)", len, max);
    }
    if (len < min) {
        return taulu_json_fail(why, p, name, TAULU_EVALUE,
                               len ? "too short" : "empty");
    }
    if (!taulu_utf8_valid(item->valuestring, len)) {
        return taulu_json_fail(why, p, name, TAULU_EUTF8, "invalid UTF-8");
    }
    if (allowed && taulu_utf8_has_controls(item->valuestring, len, allowed)) {
        return taulu_json_fail(why, p, name, TAULU_EUTF8, "control character");
    }
    *out = item->valuestring;
    return TAULU_OK;
}

int taulu_json_get_int(const cJSON *obj, const char *name, bool required,
                       int64_t min, int64_t max, int64_t *out,
                       const struct taulu_json_path *p, struct taulu_buf *why)
{
    const cJSON *item;
    double v;
    int rc;

    if ((rc = get_member(obj, name, required, &item, p, why)) != 0) {
        return rc;
    }
    if (!cJSON_IsNumber(item)) {
        return taulu_json_fail(why, p, name, TAULU_ETYPE, "not a number");
    }
    v = item->valuedouble;
    if (!isfinite(v) || v != floor(v)) {
        return taulu_json_fail(why, p, name, TAULU_ETYPE, "not an integer");
    }
    if (v < -(double)EXACT_INT_MAX || v > (double)EXACT_INT_MAX ||
        (int64_t)v < min || (int64_t)v > max) {
        return taulu_json_fail(why, p, name, TAULU_EVALUE,
                               "out of range (%lld..%lld)", (long long)min,
                               (long long)max);
    }
    *out = (int64_t)v;
    return TAULU_OK;
}

int taulu_json_get_number(const cJSON *obj, const char *name, bool required,
                          double min, double max, double *out,
                          const struct taulu_json_path *p,
                          struct taulu_buf *why)
{
    const cJSON *item;
    int rc;

    if ((rc = get_member(obj, name, required, &item, p, why)) != 0) {
        return rc;
    }
    if (!cJSON_IsNumber(item)) {
        return taulu_json_fail(why, p, name, TAULU_ETYPE, "not a number");
    }
    if (!isfinite(item->valuedouble) || item->valuedouble < min ||
        item->valuedouble > max) {
        return taulu_json_fail(why, p, name, TAULU_EVALUE,
                               "out of range (%g..%g)", min, max);
    }
    *out = item->valuedouble;
    return TAULU_OK;
}

int taulu_json_get_bool(const cJSON *obj, const char *name, bool required,
                        bool *out, const struct taulu_json_path *p,
                        struct taulu_buf *why)
{
    const cJSON *item;
    int rc;

    if ((rc = get_member(obj, name, required, &item, p, why)) != 0) {
        return rc;
    }
    if (!cJSON_IsBool(item)) {
        return taulu_json_fail(why, p, name, TAULU_ETYPE, "not true or false");
    }
    *out = cJSON_IsTrue(item);
    return TAULU_OK;
}

int taulu_json_get_object(const cJSON *obj, const char *name, bool required,
                          const cJSON **out, const struct taulu_json_path *p,
                          struct taulu_buf *why)
{
    const cJSON *item;
    int rc;

    if ((rc = get_member(obj, name, required, &item, p, why)) != 0) {
        return rc;
    }
    if (!cJSON_IsObject(item)) {
        return taulu_json_fail(why, p, name, TAULU_ETYPE, "not an object");
    }
    *out = item;
    return TAULU_OK;
}

int taulu_json_get_array(const cJSON *obj, const char *name, bool required,
                         size_t min_items, size_t max_items, const cJSON **out,
                         size_t *n_items, const struct taulu_json_path *p,
                         struct taulu_buf *why)
{
    const cJSON *item, *it;
    size_t n = 0;
    int rc;

    if ((rc = get_member(obj, name, required, &item, p, why)) != 0) {
        return rc;
    }
    if (!cJSON_IsArray(item)) {
        return taulu_json_fail(why, p, name, TAULU_ETYPE, "not an array");
    }
    for (it = item->child; it; it = it->next) {
        n++;
    }
    if (n > max_items) {
        return taulu_json_fail(why, p, name, TAULU_ELIMIT,
                               "too many items (%zu > %zu)", n, max_items);
    }
    if (n < min_items) {
        return taulu_json_fail(why, p, name, TAULU_EVALUE,
                               n ? "too few items" : "empty");
    }
    *out = item;
    *n_items = n;
    return TAULU_OK;
}

int taulu_json_put_string(struct taulu_buf *b, const char *s)
{
    static const char hexd[] = "0123456789abcdef";
    size_t start = b->len, run = 0;
    const char *p;
    int rc = TAULU_OK;

    if ((rc = taulu_buf_putc(b, '"')) < 0) {
        return rc;
    }
    /* Copy runs of plain bytes in one go; escape only what JSON needs. */
    for (p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
        size_t n = 2;

        if (c >= 0x20 && c != '"' && c != '\\') {
            run++;
            continue;
        }
        if (run && (rc = taulu_buf_append(b, p - run, run)) < 0) {
            goto out;
        }
        run = 0;
        if (c == 0) {
            break;
        }
        switch (c) {
        case '"':
        case '\\':
            esc[1] = (char)c;
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hexd[c >> 4];
            esc[5] = hexd[c & 15];
            n = 6;
            break;
        }
        if ((rc = taulu_buf_append(b, esc, n)) < 0) {
            goto out;
        }
    }
    rc = taulu_buf_putc(b, '"');
out:
    if (rc < 0) {
        taulu_buf_truncate(b, start);
    }
    return rc;
}

int taulu_json_put_key(struct taulu_buf *b, const char *name)
{
    size_t start = b->len;
    int rc;

    if ((rc = taulu_json_put_string(b, name)) < 0 ||
        (rc = taulu_buf_putc(b, ':')) < 0) {
        taulu_buf_truncate(b, start);
    }
    return rc;
}
