/*
 * srv_smtp.h: hands one message to an SMTP server. srv_smtp.c is the only
 * file of the server that calls libcurl.
 *
 * TLS: "starttls" (the default: plain connection upgraded with STARTTLS,
 * which is required: a server that does not offer it gets nothing),
 * "tls" (implicit TLS, smtps://, usually port 465) or "none" (only for a
 * relay on the same machine). The server's certificate is always
 * verified, against `cafile` when set or the system's CAs, and its name
 * against the URL's host. Credentials (optional) come from a file whose
 * first line is the user name and second the password; neither is ever
 * logged, nor is libcurl's protocol trace turned on.
 */
#ifndef SRV_SMTP_H
#define SRV_SMTP_H

#include <stddef.h>

enum srv_smtp_tls {
    SRV_SMTP_STARTTLS = 0,
    SRV_SMTP_TLS,
    SRV_SMTP_NONE,
};

struct srv_smtp {
    char url[320]; /* smtp[s]://host:port/ehlo-name, as libcurl wants it */
    enum srv_smtp_tls tls;
    char cafile[512];
    char user[256];
    char password[256];
    long timeout; /* seconds for one message */
};

/* Must be called once, before threads that send start. 0 or
 * TAULU_EUNAVAIL. */
int srv_smtp_global_init(void);

/*
 * Checks the settings and reads the credentials: `url` smtp://host[:port]
 * (the scheme smtps:// only with tls "tls"), `tls` one of "starttls",
 * "tls", "none", `cafile` and `credentials_file` may be "" (none),
 * `ehlo` the name the server greets with (the sender's domain). 0, or
 * TAULU_ECONFIG with a reason in `err`.
 */
int srv_smtp_init(struct srv_smtp *s, const char *url, const char *tls,
                  const char *cafile, const char *credentials_file,
                  const char *ehlo, char *err, size_t err_size);
/* Wipes the password. */
void srv_smtp_release(struct srv_smtp *s);

/*
 * Sends `msg` (len bytes, a whole RFC 5322 message with CRLF lines) from
 * `from` to `to`. 0 when the server accepted it; TAULU_EUNAVAIL for a
 * failure worth another try later (no connection, timeout, TLS, a 4xx
 * answer); TAULU_EVALUE when the server refused it for good (a 5xx
 * answer). `err` says what happened, without secrets.
 */
int srv_smtp_send(const struct srv_smtp *s, const char *from, const char *to,
                  const char *msg, size_t len, char *err, size_t err_size);

#endif
