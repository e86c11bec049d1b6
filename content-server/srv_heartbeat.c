/*
 * srv_heartbeat.c: one HTTP request to the server itself with a deadline
 * (see srv_heartbeat.h). Plain sockets and poll(): the main thread must
 * never wait longer than the deadline, whatever the other end does.
 */
#include "srv_heartbeat.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "taulu_err.h"
#include "taulu_time.h"

/* Waits until fd is ready for `events` or the deadline (monotonic ms).
 * 0, or TAULU_EUNAVAIL when the time is up or poll fails. */
static int wait_for(int fd, short events, int64_t deadline)
{
    struct pollfd p = {.fd = fd, .events = events};
    int64_t left;
    int n;

    for (;;) {
        left = deadline - taulu_monotonic_ms();
        if (left <= 0) {
            return TAULU_EUNAVAIL;
        }
        n = poll(&p, 1, (int)left);
        if (n > 0) {
            return 0;
        }
        if (n < 0 && errno != EINTR) {
            return TAULU_EUNAVAIL;
        }
    }
}

/* The address to ask: the listening one, loopback for the wildcards. */
static const char *target(const char *listen_addr)
{
    if (!listen_addr[0] || strcmp(listen_addr, "0.0.0.0") == 0) {
        return "127.0.0.1";
    }
    if (strcmp(listen_addr, "::") == 0) {
        return "::1";
    }
    return listen_addr;
}

static int connect_to(const char *host, unsigned port, int64_t deadline,
                      int *out)
{
    struct addrinfo hints, *ai = NULL;
    char service[8];
    socklen_t len = sizeof(int);
    int fd, err = 0, rc;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    snprintf(service, sizeof service, "%u", port);
    if (getaddrinfo(host, service, &hints, &ai) != 0 || !ai) {
        return TAULU_EINVAL;
    }
    fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        freeaddrinfo(ai);
        return TAULU_EUNAVAIL;
    }
    rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    if (rc < 0 && errno != EINPROGRESS) {
        close(fd);
        return TAULU_EUNAVAIL;
    }
    if (rc < 0) {
        rc = wait_for(fd, POLLOUT, deadline);
        if (rc == 0 &&
            (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err)) {
            rc = TAULU_EUNAVAIL;
        }
        if (rc < 0) {
            close(fd);
            return rc;
        }
    }
    *out = fd;
    return 0;
}

int srv_heartbeat_http(const char *listen_addr, unsigned port, int timeout_ms,
                       int *status)
{
    static const char req[] = "GET /healthz HTTP/1.1\r\n"
                              "Host: localhost\r\n"
                              "User-Agent: infotaulu-watchdog\r\n"
                              "Connection: close\r\n\r\n";
    int64_t deadline = taulu_monotonic_ms() + timeout_ms;
    char buf[256];
    size_t sent = 0, got = 0;
    ssize_t n;
    int fd = -1, rc, code, major, minor;

    *status = 0;
    rc = connect_to(target(listen_addr), port, deadline, &fd);
    if (rc < 0) {
        return rc;
    }
    while (sent < sizeof req - 1) {
        n = send(fd, req + sent, sizeof req - 1 - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += (size_t)n;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            rc = wait_for(fd, POLLOUT, deadline);
            if (rc == 0) {
                continue;
            }
        } else {
            rc = TAULU_EUNAVAIL;
        }
        goto out;
    }
    /* the status line is all that is read */
    while (got < sizeof buf - 1 && !memchr(buf, '\n', got)) {
        n = recv(fd, buf + got, sizeof buf - 1 - got, 0);
        if (n > 0) {
            got += (size_t)n;
            continue;
        }
        if (n == 0) {
            break;
        }
        if (errno != EAGAIN && errno != EINTR) {
            rc = TAULU_EUNAVAIL;
            goto out;
        }
        rc = wait_for(fd, POLLIN, deadline);
        if (rc < 0) {
            goto out;
        }
    }
    buf[got] = '\0';
    if (got == 0) {
        rc = TAULU_EUNAVAIL;
    } else if (sscanf(buf, "HTTP/%d.%d %3d", &major, &minor, &code) != 3 ||
               code < 100 || code > 599) {
        rc = TAULU_EPARSE;
    } else {
        *status = code;
        rc = 0;
    }
out:
    close(fd);
    return rc;
}
