/*
 * srv_smtp.c: the libcurl edge of the mailer (see srv_smtp.h).
 */
#include "srv_smtp.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "taulu_buf.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_log.h"

#define TAG "mail"

int srv_smtp_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0
                                                             : TAULU_EUNAVAIL;
}

/* Copies src into dst (size bytes); -1 if it does not fit. */
static int copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);

    if (n >= size) {
        return -1;
    }
    memcpy(dst, src, n + 1);
    return 0;
}

/* Reads "user\npassword\n" (the second line may hold anything but a line
 * break). */
static int read_credentials(struct srv_smtp *s, const char *path, char *err,
                            size_t err_size)
{
    struct taulu_buf b;
    struct stat sb;
    char *nl, *pw, *end;
    int rc = TAULU_ECONFIG;

    taulu_buf_init(&b, 4096);
    if (taulu_file_read(path, &b) != 0 || !b.data) {
        snprintf(err, err_size, "smtp_credentials_file: cannot read %s", path);
        goto out;
    }
    if (stat(path, &sb) == 0 && (sb.st_mode & 0077)) {
        taulu_warn(TAG, "%s can be read by others than its owner: chmod 600",
                   path);
    }
    nl = strchr(b.data, '\n');
    if (!nl) {
        snprintf(err, err_size,
                 "smtp_credentials_file: %s needs the user name on the "
                 "first line and the password on the second",
                 path);
        goto out;
    }
    *nl = '\0';
    if (nl > b.data && nl[-1] == '\r') {
        nl[-1] = '\0';
    }
    pw = nl + 1;
    end = pw + strcspn(pw, "\r\n");
    *end = '\0';
    if (!b.data[0] || !pw[0] || copy(s->user, sizeof(s->user), b.data) ||
        copy(s->password, sizeof(s->password), pw)) {
        snprintf(err, err_size,
                 "smtp_credentials_file: %s: an empty or too long user name "
                 "or password",
                 path);
        goto out;
    }
    rc = 0;
out:
    if (b.data) {
        taulu_wipe(b.data, b.len);
    }
    taulu_buf_release(&b);
    return rc;
}

int srv_smtp_init(struct srv_smtp *s, const char *url, const char *tls,
                  const char *cafile, const char *credentials_file,
                  const char *ehlo, char *err, size_t err_size)
{
    const char *hostport;
    bool smtps;
    size_t n;
    int w;

    memset(s, 0, sizeof(*s));
    s->timeout = 60;
    if (strcmp(tls, "starttls") == 0) {
        s->tls = SRV_SMTP_STARTTLS;
    } else if (strcmp(tls, "tls") == 0) {
        s->tls = SRV_SMTP_TLS;
    } else if (strcmp(tls, "none") == 0) {
        s->tls = SRV_SMTP_NONE;
    } else {
        snprintf(err, err_size, "smtp_tls: \"%s\" is not starttls, tls or none",
                 tls);
        return TAULU_ECONFIG;
    }
    smtps = strncmp(url, "smtps://", 8) == 0;
    if (!smtps && strncmp(url, "smtp://", 7) != 0) {
        snprintf(err, err_size,
                 "smtp_url: \"%s\" must start with smtp:// (or smtps:// "
                 "with smtp_tls = tls)",
                 url);
        return TAULU_ECONFIG;
    }
    if (smtps && s->tls != SRV_SMTP_TLS) {
        snprintf(err, err_size, "smtp_url: smtps:// needs smtp_tls = tls");
        return TAULU_ECONFIG;
    }
    hostport = url + (smtps ? 8 : 7);
    n = strcspn(hostport, "/?#@");
    if (n == 0 || hostport[n] == '@' || hostport[n] == '?' ||
        hostport[n] == '#' || (hostport[n] == '/' && hostport[n + 1])) {
        snprintf(err, err_size,
                 "smtp_url: give only smtp://host[:port] (credentials go "
                 "in smtp_credentials_file)");
        return TAULU_ECONFIG;
    }
    /* libcurl takes the EHLO name from the URL's path. */
    w = snprintf(s->url, sizeof(s->url), "%s://%.*s/%s",
                 s->tls == SRV_SMTP_TLS ? "smtps" : "smtp", (int)n, hostport,
                 ehlo && *ehlo ? ehlo : "localhost");
    if (w < 0 || (size_t)w >= sizeof(s->url)) {
        snprintf(err, err_size, "smtp_url: too long");
        return TAULU_ECONFIG;
    }
    if (copy(s->cafile, sizeof(s->cafile), cafile ? cafile : "")) {
        snprintf(err, err_size, "smtp_cafile: too long");
        return TAULU_ECONFIG;
    }
    if (credentials_file && *credentials_file) {
        return read_credentials(s, credentials_file, err, err_size);
    }
    return 0;
}

void srv_smtp_release(struct srv_smtp *s)
{
    if (s) {
        taulu_wipe(s->password, sizeof(s->password));
    }
}

/* What libcurl reads the message from. */
struct upload {
    const char *p;
    size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nitems, void *arg)
{
    struct upload *u = arg;
    size_t n = size * nitems;

    if (n > u->left) {
        n = u->left;
    }
    memcpy(buf, u->p, n);
    u->p += n;
    u->left -= n;
    return n;
}

int srv_smtp_send(const struct srv_smtp *s, const char *from, const char *to,
                  const char *msg, size_t len, char *err, size_t err_size)
{
    CURL *c = curl_easy_init();
    struct curl_slist *rcpt = NULL;
    struct upload up = {msg, len};
    char addr[300], cerr[CURL_ERROR_SIZE];
    long code = 0;
    CURLcode res;
    int rc;

    if (!c) {
        snprintf(err, err_size, "libcurl: out of memory");
        return TAULU_EUNAVAIL;
    }
    cerr[0] = '\0';
    snprintf(addr, sizeof(addr), "<%s>", to);
    rcpt = curl_slist_append(NULL, addr);
    snprintf(addr, sizeof(addr), "<%s>", from);
    curl_easy_setopt(c, CURLOPT_URL, s->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, addr);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, s->timeout);
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     s->tls == SRV_SMTP_NONE ? (long)CURLUSESSL_NONE
                                             : (long)CURLUSESSL_ALL);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (s->cafile[0]) {
        curl_easy_setopt(c, CURLOPT_CAINFO, s->cafile);
    }
    if (s->user[0]) {
        curl_easy_setopt(c, CURLOPT_USERNAME, s->user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, s->password);
    }
    res = rcpt ? curl_easy_perform(c) : CURLE_OUT_OF_MEMORY;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (res == CURLE_OK) {
        rc = 0;
        err[0] = '\0';
    } else {
        /* A 5xx answer to the sender, the recipient or the message is the
         * server's final word; anything else may pass. */
        rc = code >= 500 && code < 600 && res != CURLE_LOGIN_DENIED
                 ? TAULU_EVALUE
                 : TAULU_EUNAVAIL;
        snprintf(err, err_size, "%s%s%s (SMTP %ld)", curl_easy_strerror(res),
                 cerr[0] ? ": " : "", cerr, code);
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    return rc;
}
