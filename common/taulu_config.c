/*
 * taulu_config.c: table-driven "key = value" configuration (see
 * taulu_config.h).
 *
 * One value parser serves the defaults, the file and the command line, so a
 * value is valid in one place exactly when it is valid in the others. A file
 * is parsed into a private copy of the program's struct and committed only
 * when no line had an error: a half-applied configuration on a screen in a
 * lobby is worse than the old one plus a clear log message.
 */
#include "taulu_config.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_utf8.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Messages are formatted into a buffer of this size before they are
 * appended, so a message is either appended whole or not at all. User text
 * echoed in a message is cut to ECHO_MAX bytes, which keeps it well inside. */
#define MSG_MAX  1024
#define ECHO_MAX 60

/* Where messages go and how many have been produced. */
struct report {
    struct taulu_buf *errors; /* may be NULL */
    const char *name;         /* path, or "command line" */
    size_t count;             /* messages produced, shown or not */
};

static void report_line(struct report *r, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One message: "name:line: text\n" (line 0: "name: text\n"). */
static void report_line(struct report *r, size_t line, const char *fmt, ...)
{
    char msg[MSG_MAX];
    va_list ap;

    r->count++;
    if (!r->errors || r->count > TAULU_CONFIG_MAX_ERRORS) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line) {
        taulu_buf_appendf(r->errors, "%s:%zu: %s\n", r->name, line, msg);
    } else {
        taulu_buf_appendf(r->errors, "%s: %s\n", r->name, msg);
    }
}

/* After the last message of a call: says how many were left out. */
static void report_finish(struct report *r)
{
    if (r->errors && r->count > TAULU_CONFIG_MAX_ERRORS) {
        taulu_buf_appendf(r->errors, "%s: %zu more errors not shown\n", r->name,
                          r->count - TAULU_CONFIG_MAX_ERRORS);
    }
}

/*
 * Copies at most ECHO_MAX bytes of already validated text into dst for a
 * message, cutting at a code-point boundary and marking the cut with "...".
 */
static void echo(char *dst, size_t size, const char *s, size_t len)
{
    size_t n = len;

    if (n > ECHO_MAX) {
        n = ECHO_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xc0u) == 0x80u) {
            n--;
        }
    }
    snprintf(dst, size, "%.*s%s", (int)n, s, n < len ? "..." : "");
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Control characters other than tab cannot be in a value. */
static int is_control(unsigned char c)
{
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* Index of the first control character (other than tab) or len. */
static size_t find_control(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (is_control((unsigned char)s[i])) {
            break;
        }
    }
    return i;
}

/* Text a value may hold: strict UTF-8 without control characters. */
static int text_ok(const char *s, size_t len)
{
    return taulu_utf8_valid(s, len) && find_control(s, len) == len;
}

/*
 * strtod() and printf("%g") follow LC_NUMERIC, and a program running with
 * a Finnish locale would expect "0,3". Config files always use '.', so the
 * C locale is switched in for this thread only (uselocale), never for the
 * whole process.
 */
struct c_numeric {
    locale_t c;
    locale_t old;
};

static void c_numeric_enter(struct c_numeric *cn)
{
    cn->c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    cn->old = cn->c != (locale_t)0 ? uselocale(cn->c) : (locale_t)0;
}

static void c_numeric_leave(struct c_numeric *cn)
{
    if (cn->c != (locale_t)0) {
        uselocale(cn->old);
        freelocale(cn->c);
    }
}

/* The shortest "%g" text that reads back as exactly v. */
static void format_double(double v, char *buf, size_t size)
{
    struct c_numeric cn;
    int prec;

    c_numeric_enter(&cn);
    for (prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) {
            break;
        }
    }
    c_numeric_leave(&cn);
}

static const char *const bool_true[] = {"true", "yes", "on", "1"};
static const char *const bool_false[] = {"false", "no", "off", "0"};

/* "err, warning, info" into buf. */
static void word_list(const struct taulu_config_setting *s, char *buf,
                      size_t size)
{
    size_t i, used = 0;

    buf[0] = '\0';
    for (i = 0; s->words[i] && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
                         s->words[i]);
        if (n < 0) {
            break;
        }
        used += (size_t)n;
    }
}

static int parse_int(const struct taulu_config_setting *s, const char *val,
                     size_t len, long long *out, char *why, size_t whysz)
{
    char shown[ECHO_MAX + 4];
    char *end = NULL;
    long long v;
    int range;

    echo(shown, sizeof shown, val, len);
    if (len == 0 ||
        !(val[0] == '-' || val[0] == '+' || (val[0] >= '0' && val[0] <= '9'))) {
        snprintf(why, whysz, "%s: \"%s\" is not an integer", s->name,
                 s->secret ? "..." : shown);
        return TAULU_ECONFIG;
    }
    errno = 0;
    v = strtoll(val, &end, 10);
    range = errno == ERANGE;
    if (end == val || end != val + len) {
        snprintf(why, whysz, "%s: \"%s\" is not an integer", s->name,
                 s->secret ? "..." : shown);
        return TAULU_ECONFIG;
    }
    if (range || v < s->min || v > s->max) {
        snprintf(why, whysz, "%s: %s is out of range (%lld to %lld)", s->name,
                 s->secret ? "the value" : shown, s->min, s->max);
        return TAULU_ECONFIG;
    }
    *out = v;
    return TAULU_OK;
}

static int parse_double(const struct taulu_config_setting *s, const char *val,
                        size_t len, double *out, char *why, size_t whysz)
{
    char shown[ECHO_MAX + 4], lo[32], hi[32];
    struct c_numeric cn;
    char *end = NULL;
    size_t i, digits = 0;
    double v;
    int range;

    echo(shown, sizeof shown, val, len);
    /* Only plain decimal notation: strtod would also take hex floats,
     * "inf", "nan" and leading whitespace. */
    for (i = 0; i < len; i++) {
        char c = val[i];
        if (c >= '0' && c <= '9') {
            digits++;
        } else if (!(c == '.' || c == 'e' || c == 'E' || c == '+' ||
                     c == '-')) {
            break;
        }
    }
    if (i < len || digits == 0) {
        snprintf(why, whysz, "%s: \"%s\" is not a number", s->name,
                 s->secret ? "..." : shown);
        return TAULU_ECONFIG;
    }
    c_numeric_enter(&cn);
    errno = 0;
    v = strtod(val, &end);
    range = errno == ERANGE;
    c_numeric_leave(&cn);
    if (end != val + len) {
        snprintf(why, whysz, "%s: \"%s\" is not a number", s->name,
                 s->secret ? "..." : shown);
        return TAULU_ECONFIG;
    }
    if ((range && fabs(v) > 1.0) || !isfinite(v) || v < s->dmin ||
        v > s->dmax) {
        format_double(s->dmin, lo, sizeof lo);
        format_double(s->dmax, hi, sizeof hi);
        snprintf(why, whysz, "%s: %s is out of range (%s to %s)", s->name,
                 s->secret ? "the value" : shown, lo, hi);
        return TAULU_ECONFIG;
    }
    *out = v;
    return TAULU_OK;
}

/*
 * Parses `len` bytes of `val` (NUL-terminated at len, already checked to be
 * UTF-8 without control characters) as a value of setting s. On success
 * stores it into the setting's field of obj, unless obj is NULL (check
 * only). On failure writes a message into why and leaves obj alone.
 */
static int parse_value(const struct taulu_config_setting *s, const char *val,
                       size_t len, void *obj, char *why, size_t whysz)
{
    char *field = obj ? (char *)obj + s->offset : NULL;
    char shown[ECHO_MAX + 4], words[MSG_MAX / 2];
    long long iv;
    double dv;
    size_t i;
    int rc;

    switch (s->type) {
    case TAULU_CONFIG_TYPE_STRING:
        if (len >= s->size) {
            snprintf(why, whysz, "%s: value too long (%zu bytes; at most %zu)",
                     s->name, len, s->size - 1);
            return TAULU_ECONFIG;
        }
        if (field) {
            memset(field, 0, s->size);
            memcpy(field, val, len);
        }
        return TAULU_OK;
    case TAULU_CONFIG_TYPE_INT:
        rc = parse_int(s, val, len, &iv, why, whysz);
        if (rc == TAULU_OK && field) {
            memcpy(field, &iv, sizeof iv);
        }
        return rc;
    case TAULU_CONFIG_TYPE_DOUBLE:
        rc = parse_double(s, val, len, &dv, why, whysz);
        if (rc == TAULU_OK && field) {
            memcpy(field, &dv, sizeof dv);
        }
        return rc;
    case TAULU_CONFIG_TYPE_BOOL:
        for (i = 0; i < sizeof bool_true / sizeof bool_true[0]; i++) {
            bool bv;
            if (strcasecmp(val, bool_true[i]) == 0) {
                bv = true;
            } else if (strcasecmp(val, bool_false[i]) == 0) {
                bv = false;
            } else {
                continue;
            }
            if (field) {
                memcpy(field, &bv, sizeof bv);
            }
            return TAULU_OK;
        }
        echo(shown, sizeof shown, val, len);
        snprintf(why, whysz,
                 "%s: \"%s\" is not a boolean (true/false, yes/no, "
                 "on/off, 1/0)",
                 s->name, s->secret ? "..." : shown);
        return TAULU_ECONFIG;
    case TAULU_CONFIG_TYPE_ENUM:
        for (i = 0; s->words[i]; i++) {
            if (strcasecmp(val, s->words[i]) == 0) {
                int idx = (int)i;
                if (field) {
                    memcpy(field, &idx, sizeof idx);
                }
                return TAULU_OK;
            }
        }
        echo(shown, sizeof shown, val, len);
        word_list(s, words, sizeof words);
        snprintf(why, whysz, "%s: \"%s\" is not one of: %s", s->name,
                 s->secret ? "..." : shown, words);
        return TAULU_ECONFIG;
    }
    snprintf(why, whysz, "%s: unknown setting type", s->name);
    return TAULU_EINVAL;
}

/*
 * Optimal string alignment distance (Levenshtein plus transposition of two
 * neighbours, so "prot" is 1 from "port"), ignoring ASCII case. b is a
 * table name (at most TAULU_CONFIG_MAX_NAME bytes).
 */
static size_t osa_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t rows[3][TAULU_CONFIG_MAX_NAME + 1];
    size_t i, j, *p2, *p1, *cur;

    for (j = 0; j <= lb; j++) {
        rows[1][j] = j;
    }
    p2 = rows[0];
    p1 = rows[1];
    cur = rows[2];
    for (i = 1; i <= la; i++) {
        char ai = (char)tolower((unsigned char)a[i - 1]);

        cur[0] = i;
        for (j = 1; j <= lb; j++) {
            char bj = (char)tolower((unsigned char)b[j - 1]);
            size_t d = p1[j - 1] + (ai == bj ? 0 : 1);

            if (p1[j] + 1 < d) {
                d = p1[j] + 1;
            }
            if (cur[j - 1] + 1 < d) {
                d = cur[j - 1] + 1;
            }
            if (i > 1 && j > 1 &&
                ai == (char)tolower((unsigned char)b[j - 2]) &&
                (char)tolower((unsigned char)a[i - 2]) == bj &&
                p2[j - 2] + 1 < d) {
                d = p2[j - 2] + 1;
            }
            cur[j] = d;
        }
        {
            size_t *t = p2;
            p2 = p1;
            p1 = cur;
            cur = t;
        }
    }
    return p1[lb];
}

/* The known key closest to an unknown one, if it is close enough to be a
 * typo: one edit for short names, two for longer ones. */
static const char *suggest(const struct taulu_config_table *t, const char *key,
                           size_t klen)
{
    const char *best = NULL;
    size_t i, best_d = SIZE_MAX;

    for (i = 0; i < t->count; i++) {
        const char *name = t->settings[i].name;
        size_t nlen = strlen(name), d, allowed = nlen <= 4 ? 1 : 2;

        if (klen > nlen + allowed || nlen > klen + allowed) {
            continue;
        }
        d = osa_distance(key, klen, name, nlen);
        if (d <= allowed && d < best_d) {
            best = name;
            best_d = d;
        }
    }
    return best;
}

static const struct taulu_config_setting *
find_n(const struct taulu_config_table *t, const char *key, size_t klen,
       size_t *index)
{
    size_t i;

    for (i = 0; i < t->count; i++) {
        const char *name = t->settings[i].name;
        if (strlen(name) == klen && memcmp(name, key, klen) == 0) {
            if (index) {
                *index = i;
            }
            return &t->settings[i];
        }
    }
    return NULL;
}

static void report_unknown(struct report *r, size_t line,
                           const struct taulu_config_table *t, const char *key,
                           size_t klen)
{
    char shown[ECHO_MAX + 4];
    const char *near = suggest(t, key, klen);

    echo(shown, sizeof shown, key, klen);
    if (near) {
        report_line(r, line, "unknown key \"%s\"; did you mean \"%s\"?", shown,
                    near);
    } else {
        report_line(r, line, "unknown key \"%s\"", shown);
    }
}

static size_t field_size(enum taulu_config_type type)
{
    switch (type) {
    case TAULU_CONFIG_TYPE_STRING:
        return 0; /* any size of char array */
    case TAULU_CONFIG_TYPE_INT:
        return sizeof(long long);
    case TAULU_CONFIG_TYPE_BOOL:
        return sizeof(bool);
    case TAULU_CONFIG_TYPE_DOUBLE:
        return sizeof(double);
    case TAULU_CONFIG_TYPE_ENUM:
        return sizeof(int);
    }
    return SIZE_MAX;
}

/* Checks one setting of the table; a message into why on failure. */
static int check_setting(const struct taulu_config_table *t,
                         const struct taulu_config_setting *s, char *why,
                         size_t whysz)
{
    const char *def;
    size_t i, j, nlen;

    if (!s->name) {
        snprintf(why, whysz, "a setting has no name");
        return TAULU_EINVAL;
    }
    nlen = strlen(s->name);
    if (nlen == 0 || nlen > TAULU_CONFIG_MAX_NAME || s->name[0] < 'a' ||
        s->name[0] > 'z') {
        snprintf(why, whysz, "bad setting name \"%.*s\"", TAULU_CONFIG_MAX_NAME,
                 s->name);
        return TAULU_EINVAL;
    }
    for (i = 0; i < nlen; i++) {
        char c = s->name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            snprintf(why, whysz, "bad setting name \"%s\"", s->name);
            return TAULU_EINVAL;
        }
    }
    for (i = 0; &t->settings[i] != s; i++) {
        if (strcmp(t->settings[i].name, s->name) == 0) {
            snprintf(why, whysz, "%s: listed twice", s->name);
            return TAULU_EINVAL;
        }
    }
    if (!s->help) {
        snprintf(why, whysz, "%s: no help text", s->name);
        return TAULU_EINVAL;
    }
    if (field_size(s->type) == SIZE_MAX ||
        (s->type == TAULU_CONFIG_TYPE_STRING
             ? s->size == 0
             : s->size != field_size(s->type))) {
        snprintf(why, whysz, "%s: field size does not match the type", s->name);
        return TAULU_EINVAL;
    }
    if (s->offset > t->obj_size || s->size > t->obj_size - s->offset) {
        snprintf(why, whysz, "%s: field is outside the struct", s->name);
        return TAULU_EINVAL;
    }
    if (s->type == TAULU_CONFIG_TYPE_INT && s->min > s->max) {
        snprintf(why, whysz, "%s: min is above max", s->name);
        return TAULU_EINVAL;
    }
    if (s->type == TAULU_CONFIG_TYPE_DOUBLE &&
        !(isfinite(s->dmin) && isfinite(s->dmax) && s->dmin <= s->dmax)) {
        snprintf(why, whysz, "%s: bad range", s->name);
        return TAULU_EINVAL;
    }
    if (s->type == TAULU_CONFIG_TYPE_ENUM) {
        if (!s->words || !s->words[0]) {
            snprintf(why, whysz, "%s: no words", s->name);
            return TAULU_EINVAL;
        }
        for (i = 0; s->words[i]; i++) {
            const char *w = s->words[i];
            size_t wlen = strlen(w);

            /* A word must be writable unquoted in a file. */
            if (wlen == 0 || wlen > TAULU_CONFIG_MAX_NAME ||
                !text_ok(w, wlen) || strpbrk(w, " \t#\"") || i >= INT_MAX) {
                snprintf(why, whysz, "%s: bad word %zu", s->name, i);
                return TAULU_EINVAL;
            }
            for (j = 0; j < i; j++) {
                if (strcasecmp(s->words[j], w) == 0) {
                    snprintf(why, whysz, "%s: word \"%s\" listed twice",
                             s->name, w);
                    return TAULU_EINVAL;
                }
            }
        }
    }
    def = s->def;
    if (!def && s->type == TAULU_CONFIG_TYPE_STRING) {
        def = "";
    }
    if (!def) {
        snprintf(why, whysz, "%s: no default", s->name);
        return TAULU_EINVAL;
    }
    if (!text_ok(def, strlen(def))) {
        snprintf(why, whysz, "%s: default is not UTF-8 text", s->name);
        return TAULU_EINVAL;
    }
    if (parse_value(s, def, strlen(def), NULL, why, whysz) < 0) {
        return TAULU_EINVAL;
    }
    return TAULU_OK;
}

static int check_table(const struct taulu_config_table *t,
                       struct taulu_buf *errors)
{
    char why[MSG_MAX];
    size_t i;

    if (!t || (t->count && !t->settings)) {
        if (errors) {
            taulu_buf_puts(errors, "config table: missing\n");
        }
        return TAULU_EINVAL;
    }
    for (i = 0; i < t->count; i++) {
        if (check_setting(t, &t->settings[i], why, sizeof why) < 0) {
            if (errors) {
                taulu_buf_appendf(errors, "config table: %s\n", why);
            }
            return TAULU_EINVAL;
        }
    }
    return TAULU_OK;
}

int taulu_config_check_table(const struct taulu_config_table *table,
                             struct taulu_buf *errors)
{
    return check_table(table, errors);
}

const struct taulu_config_setting *
taulu_config_find(const struct taulu_config_table *table, const char *name)
{
    if (!table || !name || (table->count && !table->settings)) {
        return NULL;
    }
    return find_n(table, name, strlen(name), NULL);
}

int taulu_config_defaults(const struct taulu_config_table *table, void *obj)
{
    char why[MSG_MAX];
    size_t i;

    if (check_table(table, NULL) < 0 || !obj) {
        return TAULU_EINVAL;
    }
    for (i = 0; i < table->count; i++) {
        const struct taulu_config_setting *s = &table->settings[i];
        const char *def = s->def ? s->def : "";

        /* Cannot fail: check_table() parsed every default. */
        parse_value(s, def, strlen(def), obj, why, sizeof why);
    }
    return TAULU_OK;
}

/*
 * Splits the value part of a line (after '=', leading whitespace already
 * skipped) into out, undoing quotes. Returns the value's length, or -1 with
 * a message in why.
 */
static long unquote(const char *v, size_t len, char *out, char *why,
                    size_t whysz)
{
    size_t i, n = 0;

    if (len == 0 || v[0] != '"') {
        /* Unquoted: up to a '#' at the start or after whitespace. */
        for (i = 0; i < len; i++) {
            if (v[i] == '#' && (i == 0 || is_space(v[i - 1]))) {
                break;
            }
        }
        while (i > 0 && is_space(v[i - 1])) {
            i--;
        }
        memcpy(out, v, i);
        out[i] = '\0';
        return (long)i;
    }
    for (i = 1; i < len; i++) {
        if (v[i] == '"') {
            break;
        }
        if (v[i] == '\\') {
            if (i + 1 < len && (v[i + 1] == '"' || v[i + 1] == '\\')) {
                out[n++] = v[++i];
                continue;
            }
            snprintf(why, whysz,
                     "unknown escape in quoted value (only \\\" and \\\\)");
            return -1;
        }
        out[n++] = v[i];
    }
    if (i >= len) {
        snprintf(why, whysz, "unterminated quoted value (missing '\"')");
        return -1;
    }
    for (i++; i < len && is_space(v[i]); i++) {
    }
    if (i < len && v[i] != '#') {
        snprintf(why, whysz, "unexpected text after the closing quote");
        return -1;
    }
    out[n] = '\0';
    return (long)n;
}

/* State of one file parse. */
struct parse {
    const struct taulu_config_table *t;
    void *copy;   /* the program's struct being built */
    size_t *seen; /* line where each setting was set, 0 if not */
    char *value;  /* scratch of TAULU_CONFIG_MAX_LINE + 1 bytes */
    struct report r;
};

static void parse_line(struct parse *p, size_t lineno, const char *line,
                       size_t len)
{
    char why[MSG_MAX];
    const struct taulu_config_setting *s;
    const char *eq, *key;
    size_t i, klen, idx = 0;
    long vlen;

    if (len > TAULU_CONFIG_MAX_LINE) {
        report_line(&p->r, lineno, "line too long (%zu bytes; at most %d)", len,
                    TAULU_CONFIG_MAX_LINE);
        return;
    }
    if (!taulu_utf8_valid(line, len)) {
        size_t pos = 0;
        uint32_t cp;

        /* The decoder steps over a bad byte: report the byte it refused. */
        while (taulu_utf8_decode(line, len, &pos, &cp) == 0) {
        }
        report_line(&p->r, lineno, "invalid UTF-8 (byte %zu)", pos);
        return;
    }
    i = find_control(line, len);
    if (i < len) {
        report_line(&p->r, lineno, "control character 0x%02x (byte %zu)",
                    (unsigned)(unsigned char)line[i], i + 1);
        return;
    }
    for (i = 0; i < len && is_space(line[i]); i++) {
    }
    if (i == len || line[i] == '#') {
        return;
    }
    line += i;
    len -= i;
    eq = memchr(line, '=', len);
    if (!eq) {
        report_line(&p->r, lineno, "missing '=' (expected \"key = value\")");
        return;
    }
    key = line;
    klen = (size_t)(eq - line);
    while (klen > 0 && is_space(key[klen - 1])) {
        klen--;
    }
    if (klen == 0) {
        report_line(&p->r, lineno, "missing key before '='");
        return;
    }
    s = find_n(p->t, key, klen, &idx);
    if (!s) {
        report_unknown(&p->r, lineno, p->t, key, klen);
        return;
    }
    eq++;
    len -= (size_t)(eq - line);
    while (len > 0 && is_space(*eq)) {
        eq++;
        len--;
    }
    vlen = unquote(eq, len, p->value, why, sizeof why);
    if (vlen < 0) {
        report_line(&p->r, lineno, "%s: %s", s->name, why);
        return;
    }
    if (p->seen[idx]) {
        report_line(&p->r, lineno,
                    "duplicate key \"%s\" (first set on line %zu)", s->name,
                    p->seen[idx]);
        return;
    }
    p->seen[idx] = lineno;
    if (parse_value(s, p->value, (size_t)vlen, p->copy, why, sizeof why) < 0) {
        report_line(&p->r, lineno, "%s", why);
    }
}

int taulu_config_load_text(const struct taulu_config_table *table, void *obj,
                           const char *name, const char *text, size_t len,
                           struct taulu_buf *errors)
{
    struct parse p = {0};
    size_t pos = 0, lineno = 0, i;
    int rc = TAULU_OK;

    if (check_table(table, errors) < 0 || !obj || (!text && len)) {
        return TAULU_EINVAL;
    }
    p.t = table;
    p.r.errors = errors;
    p.r.name = name ? name : "(config)";
    if (len > TAULU_CONFIG_MAX_FILE) {
        report_line(&p.r, 0, "file too large (%zu bytes; at most %d)", len,
                    TAULU_CONFIG_MAX_FILE);
        return TAULU_ECONFIG;
    }
    p.copy = malloc(table->obj_size ? table->obj_size : 1);
    p.seen = calloc(table->count + 1, sizeof *p.seen);
    p.value = malloc(TAULU_CONFIG_MAX_LINE + 1);
    if (!p.copy || !p.seen || !p.value) {
        report_line(&p.r, 0, "out of memory");
        rc = TAULU_ENOMEM;
        goto out;
    }
    memcpy(p.copy, obj, table->obj_size);

    /* A byte-order mark, as Windows editors write, is not part of line 1. */
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        pos = 3;
    }
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t llen = nl ? (size_t)(nl - line) : len - pos;

        pos += llen + (nl ? 1 : 0);
        lineno++;
        if (llen > 0 && line[llen - 1] == '\r') {
            llen--;
        }
        parse_line(&p, lineno, line, llen);
    }
    if (p.r.count) {
        report_finish(&p.r);
        rc = TAULU_ECONFIG;
        goto out;
    }
    /* Commit only the settings' own bytes: the rest of obj is not ours. */
    for (i = 0; i < table->count; i++) {
        const struct taulu_config_setting *s = &table->settings[i];
        memcpy((char *)obj + s->offset, (char *)p.copy + s->offset, s->size);
    }
out:
    /* The copy and the scratch may hold passwords. */
    if (p.copy) {
        taulu_wipe(p.copy, table->obj_size);
    }
    if (p.value) {
        taulu_wipe(p.value, TAULU_CONFIG_MAX_LINE + 1);
    }
    free(p.copy);
    free(p.seen);
    free(p.value);
    return rc;
}

int taulu_config_load_file(const struct taulu_config_table *table, void *obj,
                           const char *path, struct taulu_buf *errors)
{
    struct report r = {errors, path, 0};
    struct taulu_buf b;
    int rc;

    if (check_table(table, errors) < 0 || !obj || !path) {
        return TAULU_EINVAL;
    }
    taulu_buf_init(&b, TAULU_CONFIG_MAX_FILE);
    rc = taulu_file_read(path, &b);
    switch (rc) {
    case TAULU_OK:
        rc = taulu_config_load_text(table, obj, path, b.data, b.len, errors);
        break;
    case TAULU_ENOTFOUND:
        report_line(&r, 0, "no such file");
        break;
    case TAULU_ELIMIT:
        report_line(&r, 0, "file too large (more than %d bytes)",
                    TAULU_CONFIG_MAX_FILE);
        rc = TAULU_ECONFIG;
        break;
    case TAULU_ENOMEM:
        report_line(&r, 0, "out of memory");
        break;
    default:
        /* Startup code, before any thread: strerror() is fine here. */
        report_line(&r, 0, "cannot read: %s", strerror(errno));
        rc = TAULU_EIO;
        break;
    }
    taulu_wipe(b.data, b.len);
    taulu_buf_release(&b);
    return rc;
}

int taulu_config_set(const struct taulu_config_table *table, void *obj,
                     const char *key, const char *value, const char *where,
                     struct taulu_buf *errors)
{
    struct report r = {errors, where ? where : "command line", 0};
    const struct taulu_config_setting *s;
    char why[MSG_MAX];
    size_t klen, vlen;

    if (check_table(table, errors) < 0 || !obj || !key || !value) {
        return TAULU_EINVAL;
    }
    klen = strlen(key);
    vlen = strlen(value);
    if (!text_ok(key, klen)) {
        report_line(&r, 0, "key is not UTF-8 text");
        return TAULU_ECONFIG;
    }
    s = find_n(table, key, klen, NULL);
    if (!s) {
        report_unknown(&r, 0, table, key, klen);
        return TAULU_ECONFIG;
    }
    if (!text_ok(value, vlen)) {
        report_line(&r, 0,
                    "%s: value is not UTF-8 text or has control "
                    "characters",
                    s->name);
        return TAULU_ECONFIG;
    }
    if (parse_value(s, value, vlen, obj, why, sizeof why) < 0) {
        report_line(&r, 0, "%s", why);
        return TAULU_ECONFIG;
    }
    return TAULU_OK;
}

/*
 * Appends a string value in file syntax: bare when that reads back the
 * same, else in quotes with '"' and '\' escaped. Control characters cannot
 * be written in the syntax and cannot come from a file; if a program put
 * one into its struct directly, it is shown as '?'.
 */
static int put_string(struct taulu_buf *out, const char *v, size_t len)
{
    size_t i;
    int quote, rc = 0;

    quote = len == 0 || is_space(v[0]) || is_space(v[len - 1]) || v[0] == '"' ||
            memchr(v, '#', len) != NULL;
    if (!quote) {
        for (i = 0; i < len && rc == 0; i++) {
            unsigned char c = (unsigned char)v[i];
            rc = taulu_buf_putc(out, is_control(c) ? '?' : (char)c);
        }
        return rc;
    }
    rc = taulu_buf_putc(out, '"');
    for (i = 0; i < len && rc == 0; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c == '"' || c == '\\') {
            rc = taulu_buf_putc(out, '\\');
        }
        if (rc == 0) {
            rc = taulu_buf_putc(out, is_control(c) ? '?' : (char)c);
        }
    }
    if (rc == 0) {
        rc = taulu_buf_putc(out, '"');
    }
    return rc;
}

/* Appends the value of s held in field (its bytes in the struct). */
static int put_value(struct taulu_buf *out,
                     const struct taulu_config_setting *s, const char *field)
{
    char num[40];
    long long iv;
    double dv;
    bool bv;
    int idx;
    size_t i;

    switch (s->type) {
    case TAULU_CONFIG_TYPE_STRING:
        return put_string(out, field, strnlen(field, s->size));
    case TAULU_CONFIG_TYPE_INT:
        memcpy(&iv, field, sizeof iv);
        return taulu_buf_appendf(out, "%lld", iv);
    case TAULU_CONFIG_TYPE_BOOL:
        memcpy(&bv, field, sizeof bv);
        return taulu_buf_puts(out, bv ? "true" : "false");
    case TAULU_CONFIG_TYPE_DOUBLE:
        memcpy(&dv, field, sizeof dv);
        format_double(dv, num, sizeof num);
        return taulu_buf_puts(out, num);
    case TAULU_CONFIG_TYPE_ENUM:
        memcpy(&idx, field, sizeof idx);
        for (i = 0; s->words[i]; i++) {
            if ((size_t)idx == i && idx >= 0) {
                return taulu_buf_puts(out, s->words[i]);
            }
        }
        return taulu_buf_appendf(out, "(invalid: %d)", idx);
    }
    return TAULU_EINVAL;
}

/* "# line\n" for each line of a help text. */
static int put_comment(struct taulu_buf *out, const char *text)
{
    const char *nl;
    int rc = 0;

    while (rc == 0) {
        nl = strchr(text, '\n');
        if (!nl) {
            return taulu_buf_appendf(out, "# %s\n", text);
        }
        rc = taulu_buf_appendf(out, "# %.*s\n", (int)(nl - text), text);
        text = nl + 1;
    }
    return rc;
}

static int put_type(struct taulu_buf *out, const struct taulu_config_setting *s)
{
    char lo[32], hi[32], words[MSG_MAX];

    switch (s->type) {
    case TAULU_CONFIG_TYPE_STRING:
        return taulu_buf_appendf(out, "# %s, at most %zu bytes.\n",
                                 s->secret ? "Secret text" : "Text",
                                 s->size - 1);
    case TAULU_CONFIG_TYPE_INT:
        return taulu_buf_appendf(out, "# Integer from %lld to %lld.\n", s->min,
                                 s->max);
    case TAULU_CONFIG_TYPE_BOOL:
        return taulu_buf_puts(out, "# true or false.\n");
    case TAULU_CONFIG_TYPE_DOUBLE:
        format_double(s->dmin, lo, sizeof lo);
        format_double(s->dmax, hi, sizeof hi);
        return taulu_buf_appendf(out, "# Number from %s to %s.\n", lo, hi);
    case TAULU_CONFIG_TYPE_ENUM:
        word_list(s, words, sizeof words);
        return taulu_buf_appendf(out, "# One of: %s.\n", words);
    }
    return TAULU_EINVAL;
}

int taulu_config_write_example(const struct taulu_config_table *table,
                               struct taulu_buf *out)
{
    char why[MSG_MAX];
    size_t start, i;
    void *scratch = NULL;
    int rc;

    if (check_table(table, NULL) < 0 || !out) {
        return TAULU_EINVAL;
    }
    start = out->len;
    /* The defaults are parsed into a scratch struct and written from there,
     * so the example shows each value in its canonical form. */
    scratch = calloc(1, table->obj_size ? table->obj_size : 1);
    if (!scratch) {
        return TAULU_ENOMEM;
    }
    rc = taulu_buf_appendf(
        out,
        "# %s: example configuration.\n"
        "#\n"
        "# Every setting is listed with its default value. Syntax:\n"
        "# key = value. A line starting with '#' is a comment, and so is\n"
        "# everything after a '#' that follows whitespace. Put a value in\n"
        "# \"double quotes\" to keep leading or trailing spaces or a '#';\n"
        "# inside quotes write \\\" for \" and \\\\ for \\.\n"
        "# Command-line options --key=value override this file.\n",
        table->title ? table->title : "Infotaulu");
    for (i = 0; i < table->count && rc == 0; i++) {
        const struct taulu_config_setting *s = &table->settings[i];
        const char *def = s->def ? s->def : "";

        parse_value(s, def, strlen(def), scratch, why, sizeof why);
        rc = taulu_buf_putc(out, '\n');
        if (rc == 0 && s->help[0]) {
            rc = put_comment(out, s->help);
        }
        if (rc == 0) {
            rc = put_type(out, s);
        }
        if (rc == 0) {
            rc = taulu_buf_appendf(out, "%s = ", s->name);
        }
        if (rc == 0) {
            rc = put_value(out, s, (char *)scratch + s->offset);
        }
        if (rc == 0) {
            rc = taulu_buf_putc(out, '\n');
        }
    }
    if (rc < 0) {
        taulu_buf_truncate(out, start);
    }
    taulu_wipe(scratch, table->obj_size ? table->obj_size : 1);
    free(scratch);
    return rc;
}

int taulu_config_dump(const struct taulu_config_table *table, const void *obj,
                      struct taulu_buf *out)
{
    size_t start, i;
    int rc = 0;

    if (check_table(table, NULL) < 0 || !obj || !out) {
        return TAULU_EINVAL;
    }
    start = out->len;
    for (i = 0; i < table->count && rc == 0; i++) {
        const struct taulu_config_setting *s = &table->settings[i];
        const char *field = (const char *)obj + s->offset;

        rc = taulu_buf_appendf(out, "%s = ", s->name);
        if (rc < 0) {
            break;
        }
        if (s->secret) {
            int set = s->type != TAULU_CONFIG_TYPE_STRING || field[0] != '\0';
            rc = taulu_buf_puts(out, set ? "(set)" : "(unset)");
        } else {
            rc = put_value(out, s, field);
        }
        if (rc == 0) {
            rc = taulu_buf_putc(out, '\n');
        }
    }
    if (rc < 0) {
        taulu_buf_truncate(out, start);
    }
    return rc;
}
