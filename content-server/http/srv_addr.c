/*
 * srv_addr.c: client addresses and their groups (see srv_addr.h).
 */
#include "srv_addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "taulu_err.h"

static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static void set6(struct srv_addr *out, const uint8_t b[16])
{
    memset(out, 0, sizeof(*out));
    if (memcmp(b, v4mapped, sizeof(v4mapped)) == 0) {
        out->family = AF_INET;
        memcpy(out->b, b + 12, 4);
        return;
    }
    out->family = AF_INET6;
    memcpy(out->b, b, 16);
}

int srv_addr_parse(const char *text, struct srv_addr *out)
{
    uint8_t b[16];

    memset(out, 0, sizeof(*out));
    if (inet_pton(AF_INET, text, b) == 1) {
        out->family = AF_INET;
        memcpy(out->b, b, 4);
        return 0;
    }
    if (inet_pton(AF_INET6, text, b) == 1) {
        set6(out, b);
        return 0;
    }
    return TAULU_EPARSE;
}

int srv_addr_from_sockaddr(const struct sockaddr *sa, struct srv_addr *out)
{
    memset(out, 0, sizeof(*out));
    if (!sa) {
        return TAULU_EPARSE;
    }
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const void *)sa;
        out->family = AF_INET;
        memcpy(out->b, &in->sin_addr, 4);
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const void *)sa;
        set6(out, in6->sin6_addr.s6_addr);
        return 0;
    }
    return TAULU_EPARSE;
}

void srv_addr_format(const struct srv_addr *a, char out[SRV_ADDR_TEXT])
{
    if (!a->family ||
        !inet_ntop(a->family, a->b, out, (socklen_t)SRV_ADDR_TEXT)) {
        snprintf(out, SRV_ADDR_TEXT, "?");
    }
}

void srv_addr_group_text(const struct srv_addr *a, char out[SRV_ADDR_TEXT])
{
    struct srv_addr g = *a;
    size_t n;

    if (a->family != AF_INET6) {
        srv_addr_format(a, out);
        return;
    }
    memset(g.b + 8, 0, 8);
    srv_addr_format(&g, out);
    n = strlen(out);
    if (n + 4 < SRV_ADDR_TEXT) {
        memcpy(out + n, "/64", 4);
    }
}

void srv_addr_group_key(const struct srv_addr *a, uint8_t key[12])
{
    memset(key, 0, 12);
    key[0] = a->family == AF_INET ? 4 : a->family == AF_INET6 ? 6 : 0;
    memcpy(key + 4, a->b, a->family == AF_INET ? 4 : 8);
}

bool srv_addr_equal(const struct srv_addr *a, const struct srv_addr *b)
{
    return a->family == b->family &&
           memcmp(a->b, b->b, a->family == AF_INET ? 4 : 16) == 0;
}

bool srv_addr_is_loopback(const struct srv_addr *a)
{
    static const uint8_t one[16] = {0, 0, 0, 0, 0, 0, 0, 0,
                                    0, 0, 0, 0, 0, 0, 0, 1};

    if (a->family == AF_INET) {
        return a->b[0] == 127;
    }
    return a->family == AF_INET6 && memcmp(a->b, one, 16) == 0;
}

int srv_addr_list_parse(const char *text, struct srv_addr *out, size_t *n)
{
    const char *p = text;

    *n = 0;
    for (;;) {
        char word[SRV_ADDR_TEXT];
        size_t len;

        p += strspn(p, ", \t");
        if (!*p) {
            return 0;
        }
        len = strcspn(p, ", \t");
        if (len >= sizeof(word) || *n >= SRV_ADDR_MAX_PROXY) {
            return TAULU_EPARSE;
        }
        memcpy(word, p, len);
        word[len] = '\0';
        if (srv_addr_parse(word, &out[*n]) != 0) {
            return TAULU_EPARSE;
        }
        (*n)++;
        p += len;
    }
}

bool srv_addr_in_list(const struct srv_addr *a, const struct srv_addr *list,
                      size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (srv_addr_equal(a, &list[i])) {
            return true;
        }
    }
    return false;
}

int srv_addr_forwarded_for(const char *value, struct srv_addr *out)
{
    const char *last, *end;
    char word[SRV_ADDR_TEXT];
    size_t len;

    if (!value) {
        return TAULU_EPARSE;
    }
    last = strrchr(value, ',');
    last = last ? last + 1 : value;
    last += strspn(last, " \t");
    end = last + strlen(last);
    while (end > last && (end[-1] == ' ' || end[-1] == '\t')) {
        end--;
    }
    if (end > last && *last == '[') {
        /* "[2001:db8::1]" or "[2001:db8::1]:443" */
        const char *close = memchr(last, ']', (size_t)(end - last));
        if (!close) {
            return TAULU_EPARSE;
        }
        last++;
        end = close;
    } else {
        /* "192.0.2.7:5000": the port is not part of the address (one
         * colon only: an IPv6 address has at least two) */
        const char *colon = memchr(last, ':', (size_t)(end - last));
        if (colon && !memchr(colon + 1, ':', (size_t)(end - colon - 1))) {
            end = colon;
        }
    }
    len = (size_t)(end - last);
    if (len == 0 || len >= sizeof(word)) {
        return TAULU_EPARSE;
    }
    memcpy(word, last, len);
    word[len] = '\0';
    return srv_addr_parse(word, out);
}
