/*
 * imp_text.c: a source's text as plain text (see imp_text.h).
 */
#include "imp_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "linebreak.h"
#include "taulu_buf.h"
#include "taulu_utf8.h"

/* Named character references worth knowing in Finnish, Swedish and
 * English text; anything else named is kept as it was written. */
static const struct {
    const char *name;
    uint32_t cp;
} entities[] = {
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},
    {"apos", '\''},     {"nbsp", ' '},     {"auml", 0xE4},    {"Auml", 0xC4},
    {"ouml", 0xF6},     {"Ouml", 0xD6},    {"aring", 0xE5},   {"Aring", 0xC5},
    {"uuml", 0xFC},     {"Uuml", 0xDC},    {"eacute", 0xE9},  {"Eacute", 0xC9},
    {"egrave", 0xE8},   {"aacute", 0xE1},  {"scaron", 0x161}, {"Scaron", 0x160},
    {"zcaron", 0x17E},  {"Zcaron", 0x17D}, {"ndash", 0x2013}, {"mdash", 0x2014},
    {"hellip", 0x2026}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},
    {"rdquo", 0x201D},  {"bdquo", 0x201E}, {"laquo", 0xAB},   {"raquo", 0xBB},
    {"euro", 0x20AC},   {"copy", 0xA9},    {"reg", 0xAE},     {"deg", 0xB0},
    {"middot", 0xB7},   {"bull", 0x2022},  {"times", 0xD7},   {"shy", 0xAD},
    {"thinsp", 0x2009}, {"ensp", 0x2002},  {"emsp", 0x2003},
};

/* Tags after which the text goes on on a new line. */
static const char *const block_tags[] = {
    "p",  "br", "div", "li",         "ul",  "ol",     "h1",      "h2",
    "h3", "h4", "h5",  "h6",         "tr",  "table",  "section", "article",
    "dd", "dt", "hr",  "blockquote", "pre", "header", "footer",  NULL};

/* Characters that are never kept: C0/C1 controls (but the line feed,
 * handled apart), DEL, and the invisible format characters that can hide
 * or reorder text (zero-width, bidi embeddings and isolates, the BOM, the
 * soft hyphen: the screen hyphenates by itself). */
static bool invisible(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x206F) ||
           cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
           (cp >= 0xE0000 && cp <= 0xE007F);
}

static bool space_like(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

/* What is being built: code points with white space folded. */
struct out {
    struct taulu_buf b;
    bool multiline;
    int pending; /* 0 none, 1 a space, 2 a line break waiting */
};

static void emit_break(struct out *o, bool line)
{
    int want = line && o->multiline ? 2 : 1;

    if (o->b.len > 0 && want > o->pending) {
        o->pending = want;
    }
}

static void emit(struct out *o, uint32_t cp)
{
    char u[4];
    size_t n;

    if (cp == '\n' || cp == 0x2028 || cp == 0x2029) {
        emit_break(o, true);
        return;
    }
    if (space_like(cp)) {
        emit_break(o, false);
        return;
    }
    if (invisible(cp) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return;
    }
    n = taulu_utf8_encode(cp, u);
    if (n == 0) {
        return;
    }
    if (o->pending) {
        taulu_buf_putc(&o->b, o->pending == 2 ? '\n' : ' ');
        o->pending = 0;
    }
    taulu_buf_append(&o->b, u, n);
}

/* A character reference at s[i] ('&'): decodes it into *cp and returns
 * its length, or 0 if it is none (the '&' is then kept). */
static size_t char_ref(const char *s, size_t len, size_t i, uint32_t *cp)
{
    size_t j = i + 1, k;
    char name[12];

    if (j < len && s[j] == '#') {
        uint32_t v = 0;
        bool hex = j + 1 < len && (s[j + 1] == 'x' || s[j + 1] == 'X');
        size_t digits = 0;
        j += hex ? 2 : 1;
        while (j < len && digits < 8) {
            char c = s[j];
            int d = c >= '0' && c <= '9' ? c - '0'
                    : hex && ((c | 32) >= 'a' && (c | 32) <= 'f')
                        ? (c | 32) - 'a' + 10
                        : -1;
            if (d < 0) {
                break;
            }
            v = v * (hex ? 16 : 10) + (uint32_t)d;
            digits++;
            j++;
        }
        if (digits == 0 || (digits == 8 && j < len && s[j] != ';')) {
            return 0;
        }
        if (j < len && s[j] == ';') {
            j++;
        }
        /* Windows-1252 numbers in place of Unicode ones are common in
         * feeds written by hand: &#150; is a dash there. */
        if (v == 150) {
            v = 0x2013;
        } else if (v == 151) {
            v = 0x2014;
        } else if (v == 146) {
            v = 0x2019;
        }
        *cp = v == 0 ? 0xFFFD : v;
        return j - i;
    }
    for (k = 0; j < len && k < sizeof name - 1 &&
                ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
                 (s[j] >= '0' && s[j] <= '9'));
         k++, j++) {
        name[k] = s[j];
    }
    name[k] = '\0';
    if (k == 0 || j >= len || s[j] != ';') {
        /* "&nbsp" without its ';' is seen in the wild too */
        if (k == 4 && strcmp(name, "nbsp") == 0) {
            *cp = ' ';
            return j - i;
        }
        return 0;
    }
    for (k = 0; k < sizeof entities / sizeof entities[0]; k++) {
        if (strcmp(entities[k].name, name) == 0) {
            *cp = entities[k].cp;
            return j + 1 - i;
        }
    }
    return 0;
}

/* Whether s[i] ('<') starts a tag, a closing tag, a comment or a
 * declaration: '<' then a letter, '/', '!' or '?'. "a < b" is text. */
static bool tag_start(const char *s, size_t len, size_t i)
{
    char c = i + 1 < len ? s[i + 1] : '\0';

    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' ||
           c == '!' || c == '?';
}

/* The tag's name (lower case, at most 15 letters) from s[i] ('<'). */
static void tag_name(const char *s, size_t len, size_t i, char name[16],
                     bool *closing)
{
    size_t j = i + 1, k = 0;

    *closing = j < len && s[j] == '/';
    if (*closing) {
        j++;
    }
    while (j < len && k < 15 &&
           ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
            (s[j] >= '0' && s[j] <= '9'))) {
        name[k++] = (char)(s[j] | (s[j] >= 'A' && s[j] <= 'Z' ? 32 : 0));
        j++;
    }
    name[k] = '\0';
}

/* Where the tag at s[i] ends (the index after its '>'), quotes in
 * attributes respected; len if it never ends. */
static size_t tag_end(const char *s, size_t len, size_t i)
{
    char quote = 0;

    if (i + 3 < len && memcmp(s + i, "<!--", 4) == 0) {
        const char *e = NULL;
        size_t j;
        for (j = i + 4; j + 2 < len; j++) {
            if (memcmp(s + j, "-->", 3) == 0) {
                e = s + j;
                break;
            }
        }
        return e ? (size_t)(e - s) + 3 : len;
    }
    for (i++; i < len; i++) {
        if (quote) {
            if (s[i] == quote) {
                quote = 0;
            }
        } else if (s[i] == '"' || s[i] == '\'') {
            quote = s[i];
        } else if (s[i] == '>') {
            return i + 1;
        }
    }
    return len;
}

/* After <script> or <style>: the index after its closing tag. */
static size_t skip_raw(const char *s, size_t len, size_t i, const char *name)
{
    size_t n = strlen(name);

    for (; i + n + 2 < len; i++) {
        if (s[i] == '<' && s[i + 1] == '/' &&
            strncasecmp(s + i + 2, name, n) == 0) {
            return tag_end(s, len, i);
        }
    }
    return len;
}

static bool is_block(const char *name)
{
    size_t k;

    for (k = 0; block_tags[k]; k++) {
        if (strcmp(block_tags[k], name) == 0) {
            return true;
        }
    }
    return false;
}

/* Cuts `b` to at most max_cp code points at the last space before the
 * limit, and appends "…". */
static void cut(struct taulu_buf *b, size_t max_cp)
{
    size_t pos = 0, n = 0, keep = 0, last_space = 0;
    uint32_t cp;

    if (taulu_utf8_count(b->data, b->len) <= max_cp) {
        return;
    }
    while (pos < b->len && n < max_cp - 1) {
        size_t at = pos;
        taulu_utf8_decode(b->data, b->len, &pos, &cp);
        if (cp == ' ' || cp == '\n') {
            last_space = at;
        }
        n++;
        keep = pos;
    }
    if (last_space > keep / 2) {
        keep = last_space;
    }
    while (keep > 0 && (b->data[keep - 1] == ' ' || b->data[keep - 1] == '\n' ||
                        b->data[keep - 1] == ',' || b->data[keep - 1] == '.')) {
        keep--;
    }
    taulu_buf_truncate(b, keep);
    taulu_buf_puts(b, "\xE2\x80\xA6");
}

char *imp_text_clean(struct srv_pool *p, const char *in, size_t len,
                     size_t max_cp, bool multiline)
{
    struct out o;
    size_t i = 0;
    char *res = NULL;

    if (!in || max_cp < 2) {
        return NULL;
    }
    memset(&o, 0, sizeof o);
    /* More than 8 bytes a code point is never needed; the limit only
     * stops a hostile feed from making the buffer grow without end. */
    taulu_buf_init(&o.b, max_cp * 8 + 64);
    o.multiline = multiline;
    while (i < len && o.b.len < o.b.limit - 16) {
        uint32_t cp;
        size_t n;

        if (in[i] == '<' && tag_start(in, len, i)) {
            char name[16];
            bool closing;
            size_t e = tag_end(in, len, i);
            tag_name(in, len, i, name, &closing);
            if (!closing &&
                (strcmp(name, "script") == 0 || strcmp(name, "style") == 0)) {
                e = skip_raw(in, len, e, name);
            }
            if (is_block(name)) {
                emit_break(&o, true);
            } else {
                /* "<b>kahvi</b>la" stays one word; "a<span>b" too */
            }
            i = e;
            continue;
        }
        if (in[i] == '&' && (n = char_ref(in, len, i, &cp)) > 0) {
            emit(&o, cp);
            i += n;
            continue;
        }
        if (taulu_utf8_decode(in, len, &i, &cp) < 0) {
            continue; /* an invalid byte is dropped */
        }
        emit(&o, cp);
    }
    if (o.b.len > 0) {
        cut(&o.b, max_cp);
        res = srv_pool_strndup(p, o.b.data, o.b.len);
    }
    taulu_buf_release(&o.b);
    return res;
}

char *imp_text(struct srv_pool *p, const char *in, size_t max_cp,
               bool multiline)
{
    return in ? imp_text_clean(p, in, strlen(in), max_cp, multiline) : NULL;
}

bool imp_link_ok(const char *s)
{
    size_t n, host;
    const char *h, *end;

    if (!s) {
        return false;
    }
    n = strlen(s);
    if (n == 0 || n > IMP_LINK_MAX) {
        return false;
    }
    if (strncmp(s, "https://", 8) == 0) {
        host = 8;
    } else if (strncmp(s, "http://", 7) == 0) {
        host = 7;
    } else {
        return false;
    }
    for (h = s; *h; h++) {
        unsigned char c = (unsigned char)*h;
        if (c <= 0x20 || c >= 0x7F) {
            return false;
        }
    }
    h = s + host;
    end = h + strcspn(h, "/?#");
    if (end == h || memchr(h, '@', (size_t)(end - h))) {
        return false;
    }
    return true;
}

/* RFC 3986's unreserved, reserved and '%' characters. */
static bool uri_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || strchr("-._~:/?#[]@!$&'()*+,;=%", c);
}

char *imp_link(struct srv_pool *p, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    struct taulu_buf b;
    size_t n;
    char *res = NULL;

    if (!s) {
        return NULL;
    }
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
        s++;
    }
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
                     s[n - 1] == '\r')) {
        n--;
    }
    taulu_buf_init(&b, IMP_LINK_MAX + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int rc;
        if (c != 0 && uri_char(c)) {
            rc = taulu_buf_putc(&b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            rc = taulu_buf_append(&b, e, 3);
        }
        if (rc < 0) {
            taulu_buf_release(&b);
            return NULL;
        }
    }
    if (imp_link_ok(b.data)) {
        res = srv_pool_strndup(p, b.data, b.len);
    }
    taulu_buf_release(&b);
    return res;
}

static size_t trim_end(const char *s, size_t e)
{
    while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' ||
                     s[e - 1] == '\r')) {
        e--;
    }
    return e;
}

size_t imp_text_sentences_before(const char *s, size_t end)
{
    size_t seg, e;

    end = trim_end(s, end);
    /* the paragraph `end` is in: the renderer reads sentences within a
     * line ("\n" is the author's break), and a paragraph's end is a
     * sentence's end too */
    seg = end;
    while (seg > 0 && s[seg - 1] != '\n') {
        seg--;
    }
    e = render_lb_sentence_end(s, seg, end);
    if (e > seg) {
        return trim_end(s, e);
    }
    return seg > 0 ? trim_end(s, seg - 1) : 0;
}
