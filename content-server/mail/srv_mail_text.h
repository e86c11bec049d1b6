/*
 * srv_mail_text.h: what the server's e-mail messages say, in Finnish,
 * Swedish and English, in words a volunteer understands: an invitation,
 * a new password, what waits for a contact person, and the decision on
 * an item with its reason.
 *
 * Plain C, no I/O: the subject and the body are appended to buffers
 * (UTF-8, lines ending in \n; srv_mail_msg.h makes the message). Text
 * that people typed (names, titles, reasons) is put in as it is: the
 * message is plain text, never markup. Times are Helsinki time.
 */
#ifndef SRV_MAIL_TEXT_H
#define SRV_MAIL_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "srv_store.h"
#include "taulu_buf.h"

/* Who the message is to, and where the web UI is. */
struct srv_mail_ctx {
    const char *lang;     /* "fi", "sv", "en"; anything else is "fi" */
    const char *name;     /* the recipient's name */
    const char *email;    /* and address */
    const char *base_url; /* the web UI, without a trailing '/' */
};

/* The items a "waiting" message lists at most; the rest are counted. */
#define SRV_MAIL_WAITING_LIST 20

/* An invitation: `by` is who made the account ("" = not known), `link`
 * the set-password link, valid until `expires`. */
int srv_mail_text_invite(const struct srv_mail_ctx *c, const char *by,
                         const char *link, int64_t expires,
                         struct taulu_buf *subject, struct taulu_buf *body);
/* A new password: asked for by the user (`by` "") or required by the
 * coordinator `by` (the old password no longer works). */
int srv_mail_text_reset(const struct srv_mail_ctx *c, const char *by,
                        const char *link, int64_t expires,
                        struct taulu_buf *subject, struct taulu_buf *body);
/* What waits for a contact person: `w` (n of them) listed, `total` in
 * all; at most one such message every `interval` seconds. */
int srv_mail_text_waiting(const struct srv_mail_ctx *c,
                          const struct srv_waiting *w, size_t n, int64_t total,
                          int64_t interval, struct taulu_buf *subject,
                          struct taulu_buf *body);
/* The decision on an item at one centre: `state` "approved", "rejected"
 * or "changes_requested", with the decider's `reason` (may be NULL for
 * an approval). TAULU_EINVAL for another state. */
int srv_mail_text_decision(const struct srv_mail_ctx *c, const char *state,
                           const char *reason, const struct srv_decision *d,
                           struct taulu_buf *subject, struct taulu_buf *body);

/* A time in words of the language: "5.12.2026 klo 14.30",
 * "5.12.2026 kl. 14.30", "5 Dec 2026 at 14:30". */
void srv_mail_time(const char *lang, int64_t t, char *out, size_t size);

#endif
