/*
 * srv_mail_msg.h: one plain-text e-mail message in Internet Message Format
 * (RFC 5322) with MIME (RFC 2045-2047), ready for SMTP.
 *
 * Plain C, no I/O: the unit tests read what it writes. The message is
 * UTF-8 text/plain in quoted-printable (every line short and 7-bit, so
 * no server on the way has to convert it), the subject and display names
 * as RFC 2047 encoded words when they are not plain ASCII. Header values
 * come from people (a title in a subject, a name in To:): control
 * characters in them become spaces, so no value can start a header of
 * its own. Lines end in CRLF.
 */
#ifndef SRV_MAIL_MSG_H
#define SRV_MAIL_MSG_H

#include <stdbool.h>
#include <stdint.h>

#include "taulu_buf.h"

/* The longest address accepted (RFC 5321's path limit). */
#define SRV_MAIL_ADDR_MAX 254

struct srv_mail_msg {
    const char *from_addr;  /* required */
    const char *from_name;  /* NULL or "" = none */
    const char *to_addr;    /* required */
    const char *to_name;    /* NULL or "" = none */
    const char *subject;    /* UTF-8 */
    const char *body;       /* UTF-8, lines end in \n */
    const char *lang;       /* Content-Language; NULL = none */
    int64_t date;           /* Unix seconds; written in Helsinki time */
    const char *message_id; /* "local@domain", without the brackets */
    bool auto_generated;    /* Auto-Submitted: auto-generated (RFC 3834) */
};

/* An address we are willing to put in a header and an SMTP command:
 * local@domain, at most SRV_MAIL_ADDR_MAX bytes, printable ASCII without
 * spaces, quotes, brackets, commas or semicolons. */
bool srv_mail_addr_ok(const char *addr);

/* Appends the whole message (headers, empty line, body) to `out`. 0, or
 * TAULU_EINVAL (an address not srv_mail_addr_ok(), no subject or body,
 * text not UTF-8), TAULU_ENOMEM / TAULU_ELIMIT from the buffer. */
int srv_mail_format(const struct srv_mail_msg *m, struct taulu_buf *out);

/* Appends `text` as a header value after `used` bytes of its line
 * ("Subject: " is 9): as it is when it is short printable ASCII, else as
 * UTF-8 "B" encoded words of at most 75 characters, folded onto lines of
 * their own, never splitting a character. */
int srv_mail_header_text(struct taulu_buf *out, const char *text, size_t used);

/* Appends `text` in quoted-printable (RFC 2045 6.7), lines of at most 76
 * characters ending in CRLF; \n in the text is a line break. A leading
 * "." or "From " is encoded too, so no transport mistakes it. */
int srv_mail_qp(struct taulu_buf *out, const char *text);

#endif
