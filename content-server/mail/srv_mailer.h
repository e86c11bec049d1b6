/*
 * srv_mailer.h: the mailer, one worker thread that sends what the mail
 * queue (srv_store.h) holds.
 *
 * For each message that is due it reads what the message must tell (the
 * recipient's name, address and language now; for an invitation or a
 * reset it makes the set-password link: a new random secret whose sha256
 * only is stored, put in the message and nowhere else), writes the text
 * (srv_mail_text.h, srv_mail_msg.h) and hands it to the SMTP server
 * (srv_smtp.h). Accepted: marked sent, never sent again. A temporary
 * failure: tried again after 1, 2, 4 ... times `retry` seconds (at most an
 * hour apart), `max_attempts` times in all, then marked failed. A refusal
 * for good (5xx): failed at once. A message with nobody to go to (an
 * address that is no account's, notifications turned off since, nothing
 * waiting any more) is dropped. It also queues the contact persons'
 * "waiting" digests (srv_store_mail_digests()).
 *
 * It sleeps until the next message or digest is due, or until woken by
 * srv_mailer_kick() (the store calls it when a transaction queued mail).
 * Nothing of a message's secret, and no SMTP password, is ever logged.
 */
#ifndef SRV_MAILER_H
#define SRV_MAILER_H

#include <stdint.h>

#include "srv_store.h"
#include "taulu_buf.h"

struct srv_mailer_options {
    const char *smtp_url;         /* "" = mail off: srv_mailer_start()
                                     does not start */
    const char *smtp_tls;         /* "starttls" | "tls" | "none" */
    const char *smtp_cafile;      /* "" = the system's CAs */
    const char *smtp_credentials; /* file, "" = no AUTH */
    const char *from_addr;
    const char *from_name;
    const char *base_url;    /* the web UI for links, e.g. public_url */
    int64_t max_attempts;    /* tries of one message */
    int64_t retry;           /* seconds before the first retry */
    int64_t notify_delay;    /* a digest waits this long after the first
                                new item, so that a burst is one message */
    int64_t notify_interval; /* at most one digest per contact per this */
    int64_t invite_ttl;      /* seconds an invitation's link works */
    int64_t reset_ttl;       /* seconds a reset's link works */
};

struct srv_mailer;

/* Checks the settings and starts the thread (also installs the store's
 * mail hook). 0, TAULU_ECONFIG (logged), TAULU_ENOMEM. With an empty
 * smtp_url: 0 and *out NULL (the queue only fills). */
int srv_mailer_start(const struct srv_mailer_options *o, struct srv_store *st,
                     struct srv_mailer **out);
/* Stops the thread after the message it is sending; frees. NULL is
 * fine. */
void srv_mailer_stop(struct srv_mailer *m);
/* Wakes the thread (new mail). Any thread; NULL is fine. */
void srv_mailer_kick(struct srv_mailer *m);

/* Appends the mail metrics (Prometheus text): messages queued now (from
 * the store), sent, failed and retried since start (NULL m: 0). */
int srv_mailer_metrics(struct srv_mailer *m, struct srv_store *st,
                       struct taulu_buf *out);

/* The delay before try number `attempt` + 1 (attempt >= 1 failures so
 * far): retry, 2 x retry, 4 x retry ... at most an hour. */
int64_t srv_mailer_backoff(int64_t retry, int64_t attempt);

#endif
