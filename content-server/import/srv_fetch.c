/*
 * srv_fetch.c: the libcurl edge of the importers (see srv_fetch.h).
 */
#include "srv_fetch.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "taulu_err.h"

#define MAX_URL 2000

int srv_fetch_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0
                                                             : TAULU_EUNAVAIL;
}

int srv_fetch_url_ok(const char *url, bool allow_loopback, char *err,
                     size_t err_size)
{
    const char *host, *p;
    size_t n;

    if (!url || !*url) {
        snprintf(err, err_size, "no address");
        return TAULU_EINVAL;
    }
    n = strlen(url);
    if (n > MAX_URL) {
        snprintf(err, err_size, "the address is longer than %d bytes", MAX_URL);
        return TAULU_EINVAL;
    }
    if (strncmp(url, "https://", 8) == 0) {
        host = url + 8;
    } else if (allow_loopback && strncmp(url, "http://", 7) == 0) {
        host = url + 7;
    } else {
        snprintf(err, err_size, "only https:// addresses are fetched");
        return TAULU_EINVAL;
    }
    for (p = url; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c >= 0x7F) {
            snprintf(err, err_size,
                     "the address has a space or a character "
                     "that is not allowed");
            return TAULU_EINVAL;
        }
    }
    for (p = host; *p && *p != '/' && *p != '?' && *p != '#'; p++) {
        if (*p == '@') {
            snprintf(err, err_size,
                     "no user names or passwords in the "
                     "address");
            return TAULU_EINVAL;
        }
    }
    if (p == host || *host == ':') {
        snprintf(err, err_size, "the address has no host");
        return TAULU_EINVAL;
    }
    return 0;
}

static bool v4_ok(uint32_t a, bool allow_loopback)
{
    /* (network, prefix length) pairs that are not the public internet */
    static const struct {
        uint32_t net;
        int len;
    } deny[] = {
        {0x00000000, 8},  {0x0A000000, 8},  {0x64400000, 10}, {0x7F000000, 8},
        {0xA9FE0000, 16}, {0xAC100000, 12}, {0xC0000000, 24}, {0xC0000200, 24},
        {0xC0586300, 24}, {0xC0A80000, 16}, {0xC6120000, 15}, {0xC6336400, 24},
        {0xCB007100, 24}, {0xE0000000, 4},  {0xF0000000, 4},
    };
    size_t i;

    if (allow_loopback && (a >> 24) == 127) {
        return true;
    }
    for (i = 0; i < sizeof deny / sizeof deny[0]; i++) {
        uint32_t mask = deny[i].len ? 0xFFFFFFFFu << (32 - deny[i].len) : 0;
        if ((a & mask) == deny[i].net) {
            return false;
        }
    }
    return true;
}

bool srv_fetch_addr_ok(const struct sockaddr *sa, bool allow_loopback)
{
    if (!sa) {
        return false;
    }
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in =
            (const struct sockaddr_in *)(const void *)sa;
        return v4_ok(ntohl(in->sin_addr.s_addr), allow_loopback);
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 =
            (const struct sockaddr_in6 *)(const void *)sa;
        const uint8_t *b = in6->sin6_addr.s6_addr;
        static const uint8_t zero[10] = {0};
        uint32_t v4;

        if (memcmp(b, zero, 10) == 0 &&
            ((b[10] == 0xFF && b[11] == 0xFF) || (b[10] == 0 && b[11] == 0))) {
            /* ::ffff:a.b.c.d and ::a.b.c.d (:: and ::1 among them) */
            v4 = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 |
                 (uint32_t)b[14] << 8 | b[15];
            if (b[10] == 0 && v4 == 1) {
                return allow_loopback; /* ::1 */
            }
            return v4_ok(v4, allow_loopback);
        }
        if ((b[0] & 0xFE) == 0xFC || /* fc00::/7 unique local */
            (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) || /* fe80::/10 */
            (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) || /* fec0::/10 */
            b[0] == 0xFF ||                            /* multicast */
            (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D &&
             b[3] == 0xB8) || /* 2001:db8::/32 documentation */
            (b[0] == 0x01 && b[1] == 0 && memcmp(b + 2, zero, 6) == 0) ||
            (b[0] == 0x20 && b[1] == 0x02) || /* 6to4 can carry anything */
            (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF &&
             b[3] == 0x9B)) { /* 64:ff9b::/96 NAT64 of any v4 */
            return false;
        }
        return true;
    }
    return false;
}

struct fetch_ctx {
    const struct srv_fetch_opts *o;
    struct srv_fetch_result *r;
    bool too_large;
    bool refused; /* an address was not allowed */
    char refused_addr[64];
};

static curl_socket_t open_socket(void *arg, curlsocktype purpose,
                                 struct curl_sockaddr *addr)
{
    struct fetch_ctx *c = arg;

    (void)purpose;
    if (!srv_fetch_addr_ok(&addr->addr, c->o->allow_loopback)) {
        const void *raw =
            addr->family == AF_INET
                ? (const void *)&(
                      (const struct sockaddr_in *)(const void *)&addr->addr)
                      ->sin_addr
                : (const void *)&(
                      (const struct sockaddr_in6 *)(const void *)&addr->addr)
                      ->sin6_addr;
        c->refused = true;
        if (!inet_ntop(addr->family, raw, c->refused_addr,
                       sizeof c->refused_addr)) {
            snprintf(c->refused_addr, sizeof c->refused_addr, "?");
        }
        return CURL_SOCKET_BAD;
    }
    return socket(addr->family, addr->socktype, addr->protocol);
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
    struct fetch_ctx *c = arg;
    size_t len = size * n;

    if (c->r->body.len + len > c->o->max_bytes ||
        taulu_buf_append(&c->r->body, data, len) != 0) {
        c->too_large = true;
        return 0;
    }
    return len;
}

/* Copies a header's value (trimmed) into out. */
static void header_value(const char *line, size_t len, size_t name_len,
                         char *out, size_t out_size)
{
    const char *v = line + name_len;
    size_t n = len - name_len;

    while (n > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' ')) {
        n--;
    }
    if (n >= out_size) {
        out[0] = '\0'; /* too long to keep: as if absent */
        return;
    }
    memcpy(out, v, n);
    out[n] = '\0';
}

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
    struct fetch_ctx *c = arg;
    size_t len = size * n;

    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        /* a new answer (after a redirect): forget the last one's */
        c->r->etag[0] = c->r->last_modified[0] = c->r->content_type[0] = '\0';
    } else if (len > 5 && strncasecmp(line, "ETag:", 5) == 0) {
        header_value(line, len, 5, c->r->etag, sizeof c->r->etag);
    } else if (len > 14 && strncasecmp(line, "Last-Modified:", 14) == 0) {
        header_value(line, len, 14, c->r->last_modified,
                     sizeof c->r->last_modified);
    } else if (len > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
        header_value(line, len, 13, c->r->content_type,
                     sizeof c->r->content_type);
    }
    return len;
}

int srv_fetch(const char *url, const struct srv_fetch_opts *o,
              struct srv_fetch_result *r, char *err, size_t err_size)
{
    struct fetch_ctx c;
    struct curl_slist *hdrs = NULL;
    char cerr[CURL_ERROR_SIZE], h[400];
    const char *protos = o->allow_loopback ? "http,https" : "https";
    CURLcode res;
    CURL *cu;
    int rc;

    memset(r, 0, sizeof *r);
    taulu_buf_init(&r->body, o->max_bytes + 1);
    err[0] = '\0';
    rc = srv_fetch_url_ok(url, o->allow_loopback, err, err_size);
    if (rc) {
        return rc;
    }
    cu = curl_easy_init();
    if (!cu) {
        snprintf(err, err_size, "libcurl: out of memory");
        return TAULU_EUNAVAIL;
    }
    memset(&c, 0, sizeof c);
    c.o = o;
    c.r = r;
    cerr[0] = '\0';
    if (o->accept) {
        snprintf(h, sizeof h, "Accept: %s", o->accept);
        hdrs = curl_slist_append(hdrs, h);
    }
    if (o->etag && *o->etag) {
        snprintf(h, sizeof h, "If-None-Match: %s", o->etag);
        hdrs = curl_slist_append(hdrs, h);
    }
    if (o->last_modified && *o->last_modified) {
        snprintf(h, sizeof h, "If-Modified-Since: %s", o->last_modified);
        hdrs = curl_slist_append(hdrs, h);
    }
    curl_easy_setopt(cu, CURLOPT_URL, url);
    curl_easy_setopt(cu, CURLOPT_PROTOCOLS_STR, protos);
    curl_easy_setopt(cu, CURLOPT_REDIR_PROTOCOLS_STR, protos);
    curl_easy_setopt(cu, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(cu, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(cu, CURLOPT_PROXY, "");
    curl_easy_setopt(cu, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(cu, CURLOPT_CONNECTTIMEOUT, o->connect_timeout_s);
    curl_easy_setopt(cu, CURLOPT_TIMEOUT, o->timeout_s);
    curl_easy_setopt(cu, CURLOPT_LOW_SPEED_LIMIT, 256L);
    curl_easy_setopt(cu, CURLOPT_LOW_SPEED_TIME, 15L);
    curl_easy_setopt(cu, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
    curl_easy_setopt(cu, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(cu, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(cu, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(cu, CURLOPT_USERAGENT,
                     o->user_agent ? o->user_agent : "Infotaulu");
    curl_easy_setopt(cu, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(cu, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(cu, CURLOPT_OPENSOCKETDATA, &c);
    curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(cu, CURLOPT_WRITEDATA, &c);
    curl_easy_setopt(cu, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(cu, CURLOPT_HEADERDATA, &c);
    curl_easy_setopt(cu, CURLOPT_ERRORBUFFER, cerr);
    res = curl_easy_perform(cu);
    curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &r->status);
    if (c.refused) {
        snprintf(err, err_size,
                 "the address %s is not on the public internet: refused",
                 c.refused_addr);
        rc = TAULU_EINVAL;
    } else if (c.too_large || res == CURLE_FILESIZE_EXCEEDED) {
        snprintf(err, err_size, "the answer is larger than %zu bytes",
                 o->max_bytes);
        rc = TAULU_ELIMIT;
    } else if (res == CURLE_TOO_MANY_REDIRECTS) {
        snprintf(err, err_size, "more than 3 redirects");
        rc = TAULU_EUNAVAIL;
    } else if (res == CURLE_UNSUPPORTED_PROTOCOL) {
        snprintf(err, err_size,
                 "a redirect to an address that is not "
                 "https:// was not followed");
        rc = TAULU_EINVAL;
    } else if (res != CURLE_OK) {
        snprintf(err, err_size, "%s%s%s", curl_easy_strerror(res),
                 cerr[0] ? ": " : "", cerr);
        rc = TAULU_EUNAVAIL;
    } else if (r->status == 304 || (r->status >= 200 && r->status < 300)) {
        rc = 0;
    } else {
        snprintf(err, err_size, "the server answered HTTP %ld", r->status);
        rc = TAULU_EVALUE;
    }
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(cu);
    return rc;
}
