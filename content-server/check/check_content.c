/*
 * check_content.c: the content rules that do not depend on the language.
 *
 * Required fields, display and event dates, the image's text alternative,
 * the link, markup and scripts, control characters, broken UTF-8, the
 * manifest's length limits, and clock times in the text that contradict the
 * event's structured start or end (in Europe/Helsinki time, from
 * common/taulu_time).
 */
#include <stdio.h>
#include <string.h>

#include "check_internal.h"
#include "taulu_err.h"
#include "taulu_time.h"
#include "taulu_utf8.h"

static int is_blank(const char *s, size_t len)
{
    size_t pos = 0;

    while (pos < len) {
        uint32_t cp;

        if (taulu_utf8_decode(s, len, &pos, &cp) < 0) {
            return 0;
        }
        if (!(cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
              cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
              cp == 0x3000)) {
            return 0;
        }
    }
    return 1;
}

static void fmt_instant(int64_t t, char *out, size_t sz)
{
    struct taulu_civil lt;

    if (taulu_time_to_civil(t, &taulu_tz_helsinki, &lt) < 0) {
        /* Outside years 1..9999: the date rules refuse it anyway. */
        snprintf(out, sz, "%lld", (long long)t);
        return;
    }
    snprintf(out, sz, "%d.%d.%d %d.%02d", lt.day, lt.month, lt.year, lt.hour,
             lt.min);
}

/* First byte at or before `b` that starts a character. */
static size_t char_start(const char *s, size_t b)
{
    while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80) {
        b--;
    }
    return b;
}

/* A short copy of s[b0, b1) for a message. */
static void excerpt(const char *s, size_t b0, size_t b1, char *out, size_t sz)
{
    size_t n = b1 - b0;

    if (n > sz - 4) {
        n = char_start(s + b0, sz - 5);
        memcpy(out, s + b0, n);
        memcpy(out + n, "\xE2\x80\xA6", 3);
        out[n + 3] = '\0';
        return;
    }
    memcpy(out, s + b0, n);
    out[n] = '\0';
}

/* ---- UTF-8, controls, length ------------------------------------ */

static int utf8_rule(struct check_ctx *ctx, enum check_field field,
                     const char *s, size_t len, int *ok)
{
    size_t pos = 0;

    *ok = 1;
    if (taulu_utf8_valid(s, len)) {
        return 0;
    }
    *ok = 0;
    while (pos < len) {
        size_t at = pos;
        uint32_t cp;

        if (taulu_utf8_decode(s, len, &pos, &cp) < 0) {
            return check_add(ctx, CHECK_M_UTF8_INVALID, CHECK_ERROR, field, s,
                             at, at + 1, NULL, NULL, NULL);
        }
    }
    return 0;
}

static int is_forbidden_control(uint32_t cp, int body, uint32_t next)
{
    if (cp == '\n' || cp == '\t') {
        return !body;
    }
    if (cp == '\r') {
        return !body || next != '\n'; /* CRLF from a browser form is fine */
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
        return 1;
    }
    /* bidirectional overrides and isolates can make text read differently
     * from how it is stored; line and paragraph separators break layout */
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x2028 || cp == 0x2029;
}

static int control_rule(struct check_ctx *ctx, enum check_field field,
                        const char *s, size_t len, int body)
{
    unsigned max =
        (unsigned)check_threshold_get(CHECK_P_PER_FIELD_REPEATS)->error;
    unsigned found = 0;
    size_t pos = 0;

    while (pos < len && found < max) {
        size_t at = pos, q;
        uint32_t cp, next = 0;

        taulu_utf8_decode(s, len, &pos, &cp);
        q = pos;
        if (q < len) {
            taulu_utf8_decode(s, len, &q, &next);
        }
        if (is_forbidden_control(cp, body, next)) {
            char name[16];
            int err;

            snprintf(name, sizeof(name), "U+%04X", (unsigned)cp);
            err = check_add(ctx, CHECK_M_CONTROL_CHAR, CHECK_ERROR, field, s,
                            at, pos, name, NULL, NULL);
            if (err < 0) {
                return err;
            }
            found++;
        }
    }
    return 0;
}

static int length_rule(struct check_ctx *ctx, enum check_field field,
                       const char *s, size_t len, enum check_param p)
{
    size_t max = (size_t)check_threshold_get(p)->error;

    if (len <= max) {
        return 0;
    }
    return check_add(ctx, CHECK_M_TOO_LONG, CHECK_ERROR, field, s,
                     char_start(s, max), len, NULL, NULL, NULL);
}

/* ---- markup ------------------------------------------------------ */

static int ascii_ieq(const char *s, size_t len, size_t pos, const char *w)
{
    size_t i, n = strlen(w);

    if (pos + n > len) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        char c = s[pos + i];

        if (c >= 'A' && c <= 'Z') {
            c = (char)(c + 32);
        }
        if (c != w[i]) {
            return 0;
        }
    }
    return 1;
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_xdigit(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static const char *const script_tags[] = {
    "script", "style", "iframe", "object", "embed", "svg",
    "link",   "meta",  "base",   "form",   "frame", NULL,
};

static const char *const script_words[] = {
    "javascript:",
    "vbscript:",
    "data:text/html",
    NULL,
};

/* Length of an HTML entity at s[pos] ('&'), or 0. */
static size_t entity_len(const char *s, size_t len, size_t pos)
{
    size_t p = pos + 1, n = 0;

    if (p < len && s[p] == '#') {
        p++;
        if (p < len && (s[p] == 'x' || s[p] == 'X')) {
            p++;
            while (p < len && is_xdigit(s[p]) && n < 7) {
                p++;
                n++;
            }
        } else {
            while (p < len && is_digit(s[p]) && n < 8) {
                p++;
                n++;
            }
        }
    } else {
        while (p < len && (is_alpha(s[p]) || (n > 0 && is_digit(s[p]))) &&
               n < 32) {
            p++;
            n++;
        }
        if (n < 2) {
            return 0;
        }
    }
    if (n == 0 || p >= len || s[p] != ';') {
        return 0;
    }
    return p + 1 - pos;
}

static int markup_rule(struct check_ctx *ctx, enum check_field field,
                       const char *s, size_t len)
{
    unsigned max =
        (unsigned)check_threshold_get(CHECK_P_PER_FIELD_REPEATS)->error;
    unsigned found = 0;
    size_t pos = 0;
    int err;

    while (pos < len && found < max) {
        char c = s[pos];
        const char *const *w;
        size_t end = 0;
        enum check_msg_id id = CHECK_M_COUNT;

        if (c == '<' && pos + 1 < len &&
            (is_alpha(s[pos + 1]) || s[pos + 1] == '!' || s[pos + 1] == '?' ||
             (s[pos + 1] == '/' && pos + 2 < len && is_alpha(s[pos + 2])))) {
            size_t name = pos + 1 + (s[pos + 1] == '/');
            size_t name_end = name, k;

            while (name_end < len &&
                   (is_alpha(s[name_end]) || is_digit(s[name_end]))) {
                name_end++;
            }
            id = CHECK_M_MARKUP_TAG;
            for (w = script_tags; *w; w++) {
                if (name_end - name == strlen(*w) &&
                    ascii_ieq(s, len, name, *w)) {
                    id = CHECK_M_MARKUP_SCRIPT;
                }
            }
            /* the underline runs to the closing '>' if it is near */
            end = name_end;
            for (k = name_end; k < len && k < pos + 512; k++) {
                if (s[k] == '>') {
                    end = k + 1;
                    break;
                }
                if (s[k] == '<' || s[k] == '\n') {
                    break;
                }
            }
            /* <a href="javascript:..."> and <img onerror=...> are scripts */
            for (k = name_end; k < end && id == CHECK_M_MARKUP_TAG; k++) {
                for (w = script_words; *w; w++) {
                    if (ascii_ieq(s, end, k, *w)) {
                        id = CHECK_M_MARKUP_SCRIPT;
                    }
                }
                if (ascii_ieq(s, end, k, "on") && k > 0 &&
                    (s[k - 1] == ' ' || s[k - 1] == '/') && k + 2 < end &&
                    is_alpha(s[k + 2])) {
                    size_t q = k + 2;

                    while (q < end && is_alpha(s[q])) {
                        q++;
                    }
                    while (q < end && s[q] == ' ') {
                        q++;
                    }
                    if (q < end && s[q] == '=') {
                        id = CHECK_M_MARKUP_SCRIPT;
                    }
                }
            }
        } else if (c == '&') {
            size_t n = entity_len(s, len, pos);

            if (n > 0) {
                id = CHECK_M_MARKUP_ENTITY;
                end = pos + n;
            }
        } else if (c == 'j' || c == 'J' || c == 'v' || c == 'V' || c == 'd' ||
                   c == 'D') {
            for (w = script_words; *w; w++) {
                if (ascii_ieq(s, len, pos, *w) &&
                    (pos == 0 || !is_alpha(s[pos - 1]))) {
                    id = CHECK_M_MARKUP_SCRIPT;
                    end = pos + strlen(*w);
                }
            }
        }
        if (id != CHECK_M_COUNT) {
            char ex[64];

            excerpt(s, pos, end, ex, sizeof(ex));
            if ((err = check_add(ctx, id, CHECK_ERROR, field, s, pos, end, ex,
                                 NULL, NULL)) < 0) {
                return err;
            }
            found++;
            pos = end;
            continue;
        }
        pos++;
    }
    return 0;
}

/* ---- link ------------------------------------------------------- */

/* Names that only resolve inside a network (RFC 6761, 6762, 8375 and the
 * usual private suffixes): the QR code is read by the public's phones. */
static const char *const local_names[] = {
    "localhost", "local", "localdomain", "internal", "intranet",
    "lan",       "home",  "corp",        "private",  "home.arpa",
};

/* Whether the host name h[0..n) is one of local_names or ends in "." and
 * one of them (ASCII case ignored). */
static int local_name(const char *h, size_t n)
{
    size_t i, k;

    for (i = 0; i < sizeof(local_names) / sizeof(local_names[0]); i++) {
        k = strlen(local_names[i]);
        if (n >= k && ascii_ieq(h, n, n - k, local_names[i]) &&
            (n == k || h[n - k - 1] == '.')) {
            return 1;
        }
    }
    return 0;
}

/* One part of an IPv4 literal as a browser reads it (WHATWG URL): 0x..
 * hex, a leading 0 octal, else decimal. 0 and *v, or -1. */
static int ipv4_part(const char *p, size_t n, uint64_t *v)
{
    unsigned base = 10;
    size_t i = 0;

    *v = 0;
    if (n >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        i = 2;
    } else if (n >= 2 && p[0] == '0') {
        base = 8;
        i = 1;
    }
    if (n == 0 || n - i > 12) {
        return n == 2 && base == 16 ? 0 : -1; /* "0x" is 0 */
    }
    for (; i < n; i++) {
        unsigned d;
        char c = p[i];

        if (c >= '0' && c <= '9') {
            d = (unsigned)(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            d = (unsigned)(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            d = (unsigned)(c - 'A' + 10);
        } else {
            return -1;
        }
        if (d >= base) {
            return -1;
        }
        *v = *v * base + d;
    }
    return 0;
}

/* The host h[0..n) (no port) as an IPv4 address if a browser would read
 * it as one: its last label is a number ("127.0.0.1", "0x7f.1",
 * "2130706433"). 1 and *ip, 0 if it is a name, -1 if it looks like an
 * address but is not a valid one. */
static int ipv4_literal(const char *h, size_t n, uint32_t *ip)
{
    uint64_t parts[4], v;
    size_t start = 0, np = 0, i, last = n;
    int r;

    while (last > 0 && h[last - 1] != '.') {
        last--;
    }
    if (ipv4_part(h + last, n - last, &v) < 0) {
        return 0; /* the last label is not a number: a name */
    }
    for (i = 0; i <= n; i++) {
        if (i == n || h[i] == '.') {
            if (np == 4 || ipv4_part(h + start, i - start, &parts[np]) < 0) {
                return -1;
            }
            np++;
            start = i + 1;
        }
    }
    v = 0;
    for (i = 0; i + 1 < np; i++) {
        if (parts[i] > 255) {
            return -1;
        }
        v = (v << 8) | parts[i];
    }
    r = (int)(4 - (np - 1)) * 8; /* bits left for the last part */
    if (parts[np - 1] >= ((uint64_t)1 << r)) {
        return -1;
    }
    *ip = (uint32_t)((v << r) | parts[np - 1]);
    return 1;
}

/* Loopback, private, link-local, shared, unspecified, reserved,
 * multicast and broadcast IPv4 ranges: nobody outside can reach them. */
static int ipv4_local(uint32_t ip)
{
    static const struct {
        uint32_t net;
        int bits;
    } ranges[] = {
        {0x00000000u, 8},  /* 0.0.0.0/8 "this network", unspecified */
        {0x0a000000u, 8},  /* 10/8 private */
        {0x64400000u, 10}, /* 100.64/10 shared (carrier NAT) */
        {0x7f000000u, 8},  /* 127/8 loopback */
        {0xa9fe0000u, 16}, /* 169.254/16 link-local */
        {0xac100000u, 12}, /* 172.16/12 private */
        {0xc0000000u, 24}, /* 192.0.0/24 protocol assignments */
        {0xc0a80000u, 16}, /* 192.168/16 private */
        {0xc6120000u, 15}, /* 198.18/15 benchmarking */
        {0xe0000000u, 3},  /* 224/4 multicast, 240/4 reserved, broadcast */
    };
    size_t i;

    for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        uint32_t mask = ~(uint32_t)0 << (32 - ranges[i].bits);
        if ((ip & mask) == ranges[i].net) {
            return 1;
        }
    }
    return 0;
}

/* The host part h[0..n) of a link (as link_rules found it: letters,
 * digits, '-', '.', ':' and non-ASCII; IPv6 literals in brackets never
 * get here). 1 if it names this machine or an internal network: a local
 * name, an IPv4 literal in a local range or not a valid one, or anything
 * with more than one ':' (an IPv6 address written without brackets). */
static int host_is_local(const char *h, size_t n)
{
    const char *colon = memchr(h, ':', n);
    uint32_t ip = 0;
    size_t k;
    int r;

    if (colon) {
        size_t port = (size_t)(colon - h);
        for (k = port + 1; k < n; k++) {
            if (!is_digit(h[k])) {
                return 1;
            }
        }
        n = port;
    }
    if (n == 0) {
        return 1;
    }
    if (local_name(h, n)) {
        return 1;
    }
    r = ipv4_literal(h, n, &ip);
    return r < 0 || (r == 1 && ipv4_local(ip));
}

static int link_rules(struct check_ctx *ctx, const char *s, size_t len)
{
    const struct check_threshold *th = check_threshold_get(CHECK_P_LINK_BYTES);
    enum check_field f = CHECK_FIELD_LINK;
    size_t pos = 0, scheme_len, host0, host1, k;
    int err, at_sign = 0, bad_host = 0, dot = 0;
    char nbuf[24], lbuf[24];

    if (len == 0) {
        return 0;
    }
    while (pos < len) {
        size_t at = pos;
        uint32_t cp;

        taulu_utf8_decode(s, len, &pos, &cp);
        if (cp <= 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0xA0) ||
            (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
            cp == 0x205F || cp == 0x3000 || cp == 0xFEFF) {
            return check_add(ctx, CHECK_M_LINK_SPACE, CHECK_ERROR, f, s, at,
                             pos, NULL, NULL, NULL);
        }
    }
    if (len > (size_t)th->error) {
        snprintf(nbuf, sizeof(nbuf), "%zu", len);
        snprintf(lbuf, sizeof(lbuf), "%d", (int)th->error);
        return check_add(ctx, CHECK_M_LINK_TOO_LONG, CHECK_ERROR, f, s,
                         char_start(s, (size_t)th->error), len, nbuf, lbuf,
                         NULL);
    }
    if (ascii_ieq(s, len, 0, "https://")) {
        scheme_len = 8;
    } else if (ascii_ieq(s, len, 0, "http://")) {
        scheme_len = 7;
        if ((err = check_add(ctx, CHECK_M_LINK_HTTP, CHECK_WARNING, f, s, 0, 4,
                             NULL, NULL, NULL)) < 0) {
            return err;
        }
    } else {
        const char *colon = memchr(s, ':', len);
        size_t end = colon ? (size_t)(colon - s) + 1 : len;

        return check_add(ctx, CHECK_M_LINK_SCHEME, CHECK_ERROR, f, s, 0, end,
                         NULL, NULL, NULL);
    }
    host0 = scheme_len;
    host1 = host0;
    while (host1 < len && s[host1] != '/' && s[host1] != '?' &&
           s[host1] != '#') {
        host1++;
    }
    for (k = host0; k < host1; k++) {
        unsigned char c = (unsigned char)s[k];

        if (c == '@') {
            at_sign = 1;
        } else if (c == '.') {
            dot = 1;
        } else if (!(is_alpha((char)c) || is_digit((char)c) || c == '-' ||
                     c == ':' || c >= 0x80)) {
            bad_host = 1;
        }
    }
    if (at_sign) {
        return check_add(ctx, CHECK_M_LINK_USERINFO, CHECK_ERROR, f, s, host0,
                         host1, NULL, NULL, NULL);
    }
    if (host1 == host0 || bad_host || !dot || s[host0] == '.' ||
        s[host1 - 1] == '.') {
        return check_add(ctx, CHECK_M_LINK_HOST, CHECK_ERROR, f, s, host0,
                         host1, NULL, NULL, NULL);
    }
    if (host_is_local(s + host0, host1 - host0)) {
        char hbuf[80];

        snprintf(hbuf, sizeof(hbuf), "%.*s",
                 (int)(host1 - host0 < 64 ? host1 - host0 : 64), s + host0);
        return check_add(ctx, CHECK_M_LINK_LOCAL, CHECK_ERROR, f, s, host0,
                         host1, hbuf, NULL, NULL);
    }
    if (len > (size_t)th->warn) {
        snprintf(nbuf, sizeof(nbuf), "%zu", len);
        return check_add(ctx, CHECK_M_LINK_LONG, CHECK_WARNING, f, s, 0, len,
                         nbuf, NULL, NULL);
    }
    return 0;
}

/* ---- short texts ------------------------------------------------- */

/* Place, price, registration and contact are shown as plain text, like
 * the title: the same UTF-8, control-character and markup rules (their
 * lengths are the item API's to refuse). */
static int short_text_rules(struct check_ctx *ctx)
{
    const struct check_input *in = ctx->in;
    const struct {
        enum check_field field;
        const char *s;
        size_t len;
    } f[] = {
        {CHECK_FIELD_PLACE, in->place, in->place_len},
        {CHECK_FIELD_PRICE, in->price, in->price_len},
        {CHECK_FIELD_REGISTRATION, in->registration, in->registration_len},
        {CHECK_FIELD_CONTACT, in->contact, in->contact_len},
    };
    size_t analyse_max =
        (size_t)check_threshold_get(CHECK_P_ANALYSE_BYTES)->error;
    size_t i;
    int err, ok;

    for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
        if (f[i].len == 0) {
            continue;
        }
        if ((err = utf8_rule(ctx, f[i].field, f[i].s, f[i].len, &ok)) < 0) {
            return err;
        }
        if (!ok || f[i].len > analyse_max) {
            continue;
        }
        if ((err = control_rule(ctx, f[i].field, f[i].s, f[i].len, 0)) < 0 ||
            (err = markup_rule(ctx, f[i].field, f[i].s, f[i].len)) < 0) {
            return err;
        }
    }
    return 0;
}

/* ---- dates -------------------------------------------------------- */

static int date_rules(struct check_ctx *ctx)
{
    const struct check_input *in = ctx->in;
    char a[48], b[48];
    int err;

    if (in->display_until == 0) {
        if ((err = check_add(ctx, CHECK_M_DISPLAY_UNTIL_MISSING, CHECK_ERROR,
                             CHECK_FIELD_DISPLAY_UNTIL, NULL, 0, 0, NULL, NULL,
                             NULL)) < 0) {
            return err;
        }
    } else if (in->display_until <= ctx->now) {
        fmt_instant(in->display_until, a, sizeof(a));
        if ((err = check_add(ctx, CHECK_M_DISPLAY_UNTIL_PAST, CHECK_ERROR,
                             CHECK_FIELD_DISPLAY_UNTIL, NULL, 0, 0, a, NULL,
                             NULL)) < 0) {
            return err;
        }
    } else if (in->display_from != 0 && in->display_until <= in->display_from) {
        fmt_instant(in->display_until, a, sizeof(a));
        fmt_instant(in->display_from, b, sizeof(b));
        if ((err = check_add(ctx, CHECK_M_DISPLAY_UNTIL_BEFORE_FROM,
                             CHECK_ERROR, CHECK_FIELD_DISPLAY_UNTIL, NULL, 0, 0,
                             a, b, NULL)) < 0) {
            return err;
        }
    }
    if (in->kind != CHECK_KIND_EVENT) {
        return 0;
    }
    if (in->event_start == 0 &&
        (err = check_add(ctx, CHECK_M_EVENT_START_MISSING, CHECK_ERROR,
                         CHECK_FIELD_EVENT_START, NULL, 0, 0, NULL, NULL,
                         NULL)) < 0) {
        return err;
    }
    if (in->event_end == 0 &&
        (err = check_add(ctx, CHECK_M_EVENT_END_MISSING, CHECK_ERROR,
                         CHECK_FIELD_EVENT_END, NULL, 0, 0, NULL, NULL, NULL)) <
            0) {
        return err;
    }
    if (in->event_start != 0 && in->event_end != 0 &&
        in->event_end < in->event_start) {
        fmt_instant(in->event_end, a, sizeof(a));
        fmt_instant(in->event_start, b, sizeof(b));
        if ((err = check_add(ctx, CHECK_M_EVENT_END_BEFORE_START, CHECK_ERROR,
                             CHECK_FIELD_EVENT_END, NULL, 0, 0, a, b, NULL)) <
            0) {
            return err;
        }
    }
    if (in->event_start != 0 && in->display_until != 0 &&
        in->display_until > ctx->now && in->display_until < in->event_start) {
        fmt_instant(in->display_until, a, sizeof(a));
        fmt_instant(in->event_start, b, sizeof(b));
        if ((err = check_add(ctx, CHECK_M_DISPLAY_UNTIL_BEFORE_EVENT,
                             CHECK_WARNING, CHECK_FIELD_DISPLAY_UNTIL, NULL, 0,
                             0, a, b, NULL)) < 0) {
            return err;
        }
    }
    return 0;
}

int check_content_rules(struct check_ctx *ctx, int *title_ok, int *body_ok,
                        int *summary_ok)
{
    const struct check_input *in = ctx->in;
    size_t analyse_max =
        (size_t)check_threshold_get(CHECK_P_ANALYSE_BYTES)->error;
    int err, alt_ok = 1, ok;

    *title_ok = 1;
    *body_ok = 1;
    *summary_ok = in->summary_len > 0;

    /* required fields */
    if (is_blank(in->title, in->title_len)) {
        *title_ok = 0;
        if ((err = check_add(ctx, CHECK_M_TITLE_MISSING, CHECK_ERROR,
                             CHECK_FIELD_TITLE, NULL, 0, 0, NULL, NULL, NULL)) <
            0) {
            return err;
        }
    }
    if (is_blank(in->body, in->body_len)) {
        *body_ok = 0;
        if ((err = check_add(ctx, CHECK_M_BODY_MISSING, CHECK_ERROR,
                             CHECK_FIELD_BODY, NULL, 0, 0, NULL, NULL, NULL)) <
            0) {
            return err;
        }
    }
    if (!in->has_organisation &&
        (err = check_add(ctx, CHECK_M_ORGANISATION_MISSING, CHECK_ERROR,
                         CHECK_FIELD_ORGANISATION, NULL, 0, 0, NULL, NULL,
                         NULL)) < 0) {
        return err;
    }
    if (!in->has_contact &&
        (err = check_add(ctx, CHECK_M_CONTACT_MISSING, CHECK_ERROR,
                         CHECK_FIELD_CONTACT, NULL, 0, 0, NULL, NULL, NULL)) <
            0) {
        return err;
    }
    if ((err = date_rules(ctx)) < 0) {
        return err;
    }

    /* text fields: UTF-8 first, since everything else decodes */
    if ((err = utf8_rule(ctx, CHECK_FIELD_TITLE, in->title, in->title_len,
                         &ok)) < 0) {
        return err;
    }
    *title_ok &= ok;
    if ((err = utf8_rule(ctx, CHECK_FIELD_BODY, in->body, in->body_len, &ok)) <
        0) {
        return err;
    }
    *body_ok &= ok;
    if (*summary_ok) {
        if ((err = utf8_rule(ctx, CHECK_FIELD_SUMMARY, in->summary,
                             in->summary_len, &ok)) < 0) {
            return err;
        }
        *summary_ok &= ok;
    }
    if ((err = utf8_rule(ctx, CHECK_FIELD_IMAGE_ALT, in->image_alt,
                         in->image_alt_len, &alt_ok)) < 0) {
        return err;
    }
    if ((err = utf8_rule(ctx, CHECK_FIELD_LINK, in->link, in->link_len, &ok)) <
        0) {
        return err;
    }
    if (ok && (err = link_rules(ctx, in->link, in->link_len)) < 0) {
        return err;
    }

    if ((err = length_rule(ctx, CHECK_FIELD_TITLE, in->title, in->title_len,
                           CHECK_P_TITLE_BYTES)) < 0 ||
        (err = length_rule(ctx, CHECK_FIELD_BODY, in->body, in->body_len,
                           CHECK_P_BODY_BYTES)) < 0 ||
        (err = length_rule(ctx, CHECK_FIELD_SUMMARY, in->summary,
                           in->summary_len, CHECK_P_SUMMARY_BYTES)) < 0 ||
        (err = length_rule(ctx, CHECK_FIELD_IMAGE_ALT, in->image_alt,
                           in->image_alt_len, CHECK_P_ALT_BYTES)) < 0) {
        return err;
    }
    if (in->summary_len > analyse_max) {
        *summary_ok = 0;
    }
    if (in->title_len > analyse_max) {
        *title_ok = 0;
    }
    if (in->body_len > analyse_max) {
        *body_ok = 0;
    }
    if (in->image_alt_len > analyse_max) {
        alt_ok = 0;
    }

    if (*title_ok && ((err = control_rule(ctx, CHECK_FIELD_TITLE, in->title,
                                          in->title_len, 0)) < 0 ||
                      (err = markup_rule(ctx, CHECK_FIELD_TITLE, in->title,
                                         in->title_len)) < 0)) {
        return err;
    }
    if (*body_ok && ((err = control_rule(ctx, CHECK_FIELD_BODY, in->body,
                                         in->body_len, 1)) < 0 ||
                     (err = markup_rule(ctx, CHECK_FIELD_BODY, in->body,
                                        in->body_len)) < 0)) {
        return err;
    }

    if (*summary_ok &&
        ((err = control_rule(ctx, CHECK_FIELD_SUMMARY, in->summary,
                             in->summary_len, 1)) < 0 ||
         (err = markup_rule(ctx, CHECK_FIELD_SUMMARY, in->summary,
                            in->summary_len)) < 0)) {
        return err;
    }

    if ((err = short_text_rules(ctx)) < 0) {
        return err;
    }

    /* the image and its text alternative */
    if (in->has_image && is_blank(in->image_alt, in->image_alt_len)) {
        if ((err = check_add(ctx, CHECK_M_IMAGE_ALT_MISSING, CHECK_ERROR,
                             CHECK_FIELD_IMAGE_ALT, NULL, 0, 0, NULL, NULL,
                             NULL)) < 0) {
            return err;
        }
    } else if (alt_ok && in->image_alt_len > 0 &&
               ((err = control_rule(ctx, CHECK_FIELD_IMAGE_ALT, in->image_alt,
                                    in->image_alt_len, 0)) < 0 ||
                (err = markup_rule(ctx, CHECK_FIELD_IMAGE_ALT, in->image_alt,
                                   in->image_alt_len)) < 0)) {
        return err;
    }
    return 0;
}

/* ---- clock times in the text ------------------------------------- */

/* Parses "17", "17.30", "17:30" (hours 0..24, minutes two digits). Returns
 * minutes since midnight or -1. */
static int parse_clock(const char *s, size_t len)
{
    size_t i = 0;
    int h = 0, m = 0, hd = 0;

    while (i < len && is_digit(s[i]) && hd < 2) {
        h = h * 10 + (s[i] - '0');
        i++;
        hd++;
    }
    if (hd == 0 || h > 24) {
        return -1;
    }
    if (i < len) {
        if ((s[i] != '.' && s[i] != ':') || i + 3 != len ||
            !is_digit(s[i + 1]) || !is_digit(s[i + 2])) {
            return -1;
        }
        m = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
        if (m > 59 || (h == 24 && m != 0)) {
            return -1;
        }
    }
    return h * 60 + m;
}

static int is_clock_word(const struct check_text *t,
                         const struct check_token *tk)
{
    static const char *const words[] = {"klo", "kello", "kl", "klockan", NULL};
    char lw[16];
    const char *const *w;

    if (tk->type != CHECK_TOK_WORD ||
        check_utf8_lower(t->s + tk->b0, tk->b1 - tk->b0, lw, sizeof(lw)) < 0) {
        return 0;
    }
    for (w = words; *w; w++) {
        if (strcmp(lw, *w) == 0) {
            return 1;
        }
    }
    return 0;
}

static int is_dash(const struct check_token *tk)
{
    return tk->type == CHECK_TOK_PUNCT &&
           (tk->cp == '-' || tk->cp == 0x2013 || tk->cp == 0x2014 ||
            tk->cp == 0x2212);
}

static void fmt_clock(int minutes, char *out, size_t sz)
{
    snprintf(out, sz, "%d.%02d", minutes / 60 % 24, minutes % 60);
}

int check_clock_times(struct check_ctx *ctx, enum check_field field,
                      const struct check_text *t)
{
    const struct check_input *in = ctx->in;
    struct taulu_civil ls, le;
    int start_min, end_min = -1, same_day = 0;
    size_t i;
    int err;

    if (in->kind != CHECK_KIND_EVENT || in->event_start == 0) {
        return 0;
    }
    if (taulu_time_to_civil(in->event_start, &taulu_tz_helsinki, &ls) < 0) {
        return 0; /* no wall-clock time to compare with */
    }
    start_min = ls.hour * 60 + ls.min;
    if (in->event_end != 0 && in->event_end >= in->event_start &&
        taulu_time_to_civil(in->event_end, &taulu_tz_helsinki, &le) == 0) {
        end_min = le.hour * 60 + le.min;
        same_day =
            le.year == ls.year && le.month == ls.month && le.day == ls.day;
    }
    for (i = 0; i < t->ntok; i++) {
        const struct check_token *kw = &t->tok[i], *num, *last;
        size_t j = i + 1;
        int a, b = -1;
        char said[64], want[48];

        if (!is_clock_word(t, kw)) {
            continue;
        }
        if (j < t->ntok && t->tok[j].type == CHECK_TOK_PUNCT &&
            t->tok[j].cp == '.') {
            j++; /* "kl. 17" */
        }
        if (j >= t->ntok || t->tok[j].type != CHECK_TOK_NUMBER) {
            continue;
        }
        num = &t->tok[j];
        a = parse_clock(t->s + num->b0, num->b1 - num->b0);
        if (a < 0) {
            continue;
        }
        last = num;
        /* a range: "17–19", "17.00 - 19.00", "17–klo 19" */
        if (j + 2 < t->ntok && is_dash(&t->tok[j + 1])) {
            size_t k = j + 2;

            if (is_clock_word(t, &t->tok[k]) && k + 1 < t->ntok) {
                k++;
            }
            if (t->tok[k].type == CHECK_TOK_NUMBER) {
                b = parse_clock(t->s + t->tok[k].b0,
                                t->tok[k].b1 - t->tok[k].b0);
                if (b >= 0) {
                    last = &t->tok[k];
                }
            }
        }
        excerpt(t->s, kw->b0, last->b1, said, sizeof(said));
        if (b >= 0 || end_min < 0) {
            /* a range, or a single time with no end to compare with: its
             * start is the event's start */
            if (a % 1440 != start_min) {
                fmt_clock(start_min, want, sizeof(want));
                err =
                    check_add(ctx, CHECK_M_TIME_CONTRADICTS_START, CHECK_ERROR,
                              field, t->s, kw->b0, last->b1, said, want, NULL);
            } else if (b >= 0 && end_min >= 0 && b % 1440 != end_min) {
                fmt_clock(end_min, want, sizeof(want));
                err =
                    check_add(ctx, CHECK_M_TIME_CONTRADICTS_END, CHECK_ERROR,
                              field, t->s, kw->b0, last->b1, said, want, NULL);
            } else {
                err = 0;
            }
        } else if (same_day && (a < start_min || a > end_min)) {
            /* a single time on a one-day event must fall inside it
             * ("kahvi klo 18" in an event 17–19 is fine) */
            char s1[16], s2[16];

            fmt_clock(start_min, s1, sizeof(s1));
            fmt_clock(end_min, s2, sizeof(s2));
            snprintf(want, sizeof(want), "%s\xE2\x80\x93%s", s1, s2);
            err = check_add(ctx, CHECK_M_TIME_OUTSIDE_EVENT, CHECK_ERROR, field,
                            t->s, kw->b0, last->b1, said, want, NULL);
        } else {
            err = 0;
        }
        if (err < 0) {
            return err;
        }
        i = (size_t)(last - t->tok);
    }
    return 0;
}
