/*
 * rawhttp.c: a small HTTP/1.1 client over plain sockets (see rawhttp.h).
 */
#define _GNU_SOURCE /* strcasestr */
#include "rawhttp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int64_t rawhttp_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

unsigned long rawhttp_raise_nofile(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        return 0;
    }
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    return (unsigned long)rl.rlim_cur;
}

int rawhttp_connect(const char *src, unsigned port, int nonblock)
{
    struct sockaddr_in to, from;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;

    if (fd < 0) {
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (src) {
        memset(&from, 0, sizeof(from));
        from.sin_family = AF_INET;
        inet_pton(AF_INET, src, &from.sin_addr);
        if (bind(fd, (struct sockaddr *)&from, sizeof(from)) != 0) {
            close(fd);
            return -1;
        }
    }
    memset(&to, 0, sizeof(to));
    to.sin_family = AF_INET;
    to.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0) {
        close(fd);
        return -1;
    }
    if (nonblock) {
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    }
    return fd;
}

int rawhttp_send(int fd, const void *data, size_t len)
{
    const char *p = data;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads at least one byte more into *buf within the deadline. */
static int read_more(int fd, int64_t deadline, char **buf, size_t *len,
                     size_t *cap)
{
    struct pollfd pfd = {fd, POLLIN, 0};
    int64_t left = deadline - rawhttp_ms();
    ssize_t n;

    if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) {
        return -1;
    }
    if (*cap - *len < 4096) {
        char *b = realloc(*buf, *cap * 2 + 4096);
        if (!b) {
            return -1;
        }
        *buf = b;
        *cap = *cap * 2 + 4096;
    }
    n = recv(fd, *buf + *len, *cap - *len - 1, 0);
    if (n <= 0) {
        return -1;
    }
    *len += (size_t)n;
    (*buf)[*len] = '\0';
    return 0;
}

int rawhttp_read(int fd, int timeout_ms, struct rawhttp_resp *out)
{
    int64_t deadline = rawhttp_ms() + timeout_ms;
    char *buf = NULL, *end, val[32];
    size_t len = 0, cap = 0, head_len, want;

    memset(out, 0, sizeof(*out));
    for (;;) {
        if (buf && (end = strstr(buf, "\r\n\r\n"))) {
            break;
        }
        if (read_more(fd, deadline, &buf, &len, &cap) != 0) {
            free(buf);
            return -1;
        }
    }
    head_len = (size_t)(end - buf) + 4;
    out->head = strndup(buf, head_len);
    if (!out->head || sscanf(out->head, "HTTP/1.%*d %d", &out->status) != 1) {
        free(buf);
        return -1;
    }
    want = rawhttp_header(out, "Content-Length", val, sizeof(val))
               ? strtoul(val, NULL, 10)
               : 0;
    while (len - head_len < want) {
        if (read_more(fd, deadline, &buf, &len, &cap) != 0) {
            free(buf);
            return -1;
        }
    }
    out->body = malloc(want + 1);
    if (!out->body) {
        free(buf);
        return -1;
    }
    memcpy(out->body, buf + head_len, want);
    out->body[want] = '\0';
    out->body_len = want;
    free(buf);
    return 0;
}

int rawhttp_exchange(int fd, const char *request, int timeout_ms,
                     struct rawhttp_resp *out)
{
    memset(out, 0, sizeof(*out));
    if (rawhttp_send(fd, request, strlen(request)) != 0) {
        return -1;
    }
    return rawhttp_read(fd, timeout_ms, out);
}

void rawhttp_resp_free(struct rawhttp_resp *r)
{
    free(r->head);
    free(r->body);
    memset(r, 0, sizeof(*r));
}

const char *rawhttp_header(const struct rawhttp_resp *r, const char *name,
                           char *out, size_t size)
{
    const char *p = r->head;
    size_t n = strlen(name);

    while (p && (p = strstr(p, "\r\n")) != NULL) {
        p += 2;
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 1, *e;
            size_t len;
            v += strspn(v, " \t");
            e = strstr(v, "\r\n");
            len = e ? (size_t)(e - v) : strlen(v);
            if (len >= size) {
                len = size - 1;
            }
            memcpy(out, v, len);
            out[len] = '\0';
            return out;
        }
    }
    return NULL;
}
