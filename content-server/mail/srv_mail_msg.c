/*
 * srv_mail_msg.c: plain-text messages in RFC 5322 / MIME form (see
 * srv_mail_msg.h for the choices).
 */
#include "srv_mail_msg.h"

#include <string.h>

#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_time.h"
#include "taulu_utf8.h"

/* RFC 2047: an encoded word is at most 75 characters, a line that holds
 * one at most 76. */
#define LINE_MAX_QP 76
#define WORD_MAX    75
#define WORD_FRAME  12 /* "=?UTF-8?B?" + "?=" */

bool srv_mail_addr_ok(const char *addr)
{
    const char *at, *p;
    size_t n;

    if (!addr) {
        return false;
    }
    n = strlen(addr);
    at = strchr(addr, '@');
    if (n < 3 || n > SRV_MAIL_ADDR_MAX || !at || at == addr || !at[1] ||
        strchr(at + 1, '@')) {
        return false;
    }
    for (p = addr; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c >= 0x7f || strchr("\"(),:;<>[\\]", c)) {
            return false;
        }
    }
    return true;
}

/* A copy of a header value with control characters as spaces, into a
 * buffer of the caller's (limit enforced). */
static int clean_value(const char *text, struct taulu_buf *out)
{
    const unsigned char *p;

    for (p = (const unsigned char *)text; *p; p++) {
        int rc =
            taulu_buf_putc(out, (*p < 0x20 || *p == 0x7f) ? ' ' : (char)*p);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

/* The length of the longest prefix of s[0..len) of at most `max` bytes
 * that does not cut a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    size_t n = len < max ? len : max;

    if (n == len) {
        return n;
    }
    /* Back off while the byte after the cut continues a character. */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
        n--;
    }
    return n;
}

/* Appends `text` as encoded words after `used` bytes of the line. */
static int encoded_words(struct taulu_buf *out, const char *text, size_t len,
                         size_t used)
{
    char b64[WORD_MAX];
    size_t pos = 0;
    int rc = 0;

    while (!rc && pos < len) {
        size_t room = LINE_MAX_QP - used - WORD_FRAME;
        size_t bytes = (room / 4) * 3, take;
        if (bytes < 6) {
            /* No room left on this line: fold first. */
            rc = taulu_buf_puts(out, "\r\n ");
            used = 1;
            continue;
        }
        take = utf8_cut(text + pos, len - pos, bytes);
        if (take == 0) {
            return TAULU_EINVAL; /* cannot happen with valid UTF-8 */
        }
        rc = taulu_base64_encode((const uint8_t *)text + pos, take, b64,
                                 sizeof(b64));
        if (!rc) {
            rc = taulu_buf_appendf(out, "%s=?UTF-8?B?%s?=", pos ? "\r\n " : "",
                                   b64);
        }
        pos += take;
        used = 1;
    }
    return rc < 0 ? rc : 0;
}

static bool plain_ascii(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (s[i] < 0x20 || s[i] > 0x7e) {
            return false;
        }
    }
    /* Something that looks like an encoded word must not be taken for
     * one. */
    return !strstr(s, "=?");
}

int srv_mail_header_text(struct taulu_buf *out, const char *text, size_t used)
{
    struct taulu_buf clean;
    int rc;

    taulu_buf_init(&clean, 4096);
    rc = clean_value(text, &clean);
    if (!rc && !taulu_utf8_valid(clean.data ? clean.data : "", clean.len)) {
        rc = TAULU_EINVAL;
    }
    if (!rc) {
        const char *v = clean.data ? clean.data : "";
        if (plain_ascii(v, clean.len) && used + clean.len <= 78) {
            rc = taulu_buf_append(out, v, clean.len);
        } else {
            rc = encoded_words(out, v, clean.len, used);
        }
    }
    taulu_buf_release(&clean);
    return rc < 0 ? rc : 0;
}

/* A display name followed by <addr>: a name of letters, digits and
 * spaces as it is, anything else as encoded words (never a quoted string
 * a name could break out of). */
static int mailbox(struct taulu_buf *out, const char *header, const char *name,
                   const char *addr)
{
    size_t used = strlen(header) + 2;
    const char *p;
    bool bare = true;
    int rc = taulu_buf_appendf(out, "%s: ", header);

    if (rc < 0) {
        return rc;
    }
    if (name && *name) {
        for (p = name; *p; p++) {
            char c = *p;
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                  (c >= '0' && c <= '9') || c == ' ')) {
                bare = false;
            }
        }
        if (bare && used + strlen(name) < 60) {
            rc = taulu_buf_appendf(out, "%s <%s>\r\n", name, addr);
            return rc < 0 ? rc : 0;
        } else {
            struct taulu_buf clean;
            taulu_buf_init(&clean, 1024);
            rc = clean_value(name, &clean);
            if (!rc &&
                !taulu_utf8_valid(clean.data ? clean.data : "", clean.len)) {
                rc = TAULU_EINVAL;
            }
            if (!rc) {
                rc = encoded_words(out, clean.data, clean.len, used);
            }
            taulu_buf_release(&clean);
        }
        if (!rc) {
            rc = taulu_buf_appendf(out, "\r\n <%s>\r\n", addr);
        }
    } else {
        rc = taulu_buf_appendf(out, "<%s>\r\n", addr);
    }
    return rc < 0 ? rc : 0;
}

/* Appends one encoded character (=XX) or the byte itself. */
static int qp_put(struct taulu_buf *out, size_t *col, const char *tok, size_t n)
{
    int rc = 0;

    /* A soft break ("=" at the end) keeps every line within 76. */
    if (*col + n > LINE_MAX_QP - 1) {
        rc = taulu_buf_puts(out, "=\r\n");
        *col = 0;
    }
    if (!rc) {
        rc = taulu_buf_append(out, tok, n);
        *col += n;
    }
    return rc;
}

int srv_mail_qp(struct taulu_buf *out, const char *text)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *line = text;
    int rc = 0;

    while (!rc && *line) {
        size_t len = strcspn(line, "\n"), i, col = 0;
        size_t end = len;

        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        for (i = 0; !rc && i < end; i++) {
            unsigned char c = (unsigned char)line[i];
            bool last = i + 1 == end;
            bool encode = c == '=' || c > 126 || (c < 32 && c != '\t') ||
                          ((c == ' ' || c == '\t') && last) ||
                          (i == 0 && c == '.') ||
                          (i == 0 && strncmp(line, "From ", 5) == 0);
            if (encode) {
                char tok[3] = {'=', hex[c >> 4], hex[c & 15]};
                rc = qp_put(out, &col, tok, 3);
            } else {
                char tok = (char)c;
                rc = qp_put(out, &col, &tok, 1);
            }
        }
        if (!rc) {
            rc = taulu_buf_puts(out, "\r\n");
        }
        line += len;
        if (*line == '\n') {
            line++;
        }
    }
    return rc < 0 ? rc : 0;
}

static int date_header(struct taulu_buf *out, int64_t t)
{
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu",
                                       "Fri", "Sat", "Sun"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr",
                                         "May", "Jun", "Jul", "Aug",
                                         "Sep", "Oct", "Nov", "Dec"};
    struct taulu_civil c;
    int off;

    if (taulu_time_to_civil(t, &taulu_tz_helsinki, &c) != 0) {
        return TAULU_EINVAL;
    }
    off = c.offset_min < 0 ? -c.offset_min : c.offset_min;
    return taulu_buf_appendf(out,
                             "Date: %s, %02d %s %04d %02d:%02d:%02d "
                             "%c%02d%02d\r\n",
                             days[(c.wday + 6) % 7], c.day, months[c.month - 1],
                             c.year, c.hour, c.min, c.sec,
                             c.offset_min < 0 ? '-' : '+', off / 60, off % 60);
}

int srv_mail_format(const struct srv_mail_msg *m, struct taulu_buf *out)
{
    int rc;

    if (!srv_mail_addr_ok(m->from_addr) || !srv_mail_addr_ok(m->to_addr) ||
        !m->subject || !m->body || !m->message_id ||
        !taulu_utf8_valid(m->body, strlen(m->body)) ||
        strpbrk(m->message_id, "<>\r\n \"")) {
        return TAULU_EINVAL;
    }
    rc = date_header(out, m->date);
    if (!rc) {
        rc = mailbox(out, "From", m->from_name, m->from_addr);
    }
    if (!rc) {
        rc = mailbox(out, "To", m->to_name, m->to_addr);
    }
    if (!rc) {
        rc = taulu_buf_puts(out, "Subject: ");
    }
    if (!rc) {
        rc = srv_mail_header_text(out, m->subject, 9);
    }
    if (!rc) {
        rc = taulu_buf_appendf(out,
                               "\r\nMessage-ID: <%s>\r\n"
                               "MIME-Version: 1.0\r\n"
                               "Content-Type: text/plain; charset=UTF-8\r\n"
                               "Content-Transfer-Encoding: "
                               "quoted-printable\r\n",
                               m->message_id);
    }
    if (!rc && m->lang) {
        rc = taulu_buf_appendf(out, "Content-Language: %s\r\n", m->lang);
    }
    if (!rc && m->auto_generated) {
        rc = taulu_buf_puts(out, "Auto-Submitted: auto-generated\r\n");
    }
    if (!rc) {
        rc = taulu_buf_puts(out, "\r\n");
    }
    if (!rc) {
        rc = srv_mail_qp(out, m->body);
    }
    return rc < 0 ? rc : 0;
}
