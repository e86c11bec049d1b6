/*
 * taulu_notify.c: sd_notify's datagram to $NOTIFY_SOCKET and the
 * watchdog's timing (see taulu_notify.h). A few lines of socket code in
 * place of libsystemd, which would be one more library at start for two
 * programs that only ever send these few words.
 */
#include "taulu_notify.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "taulu_err.h"

int taulu_notify(const char *state)
{
    const char *path = getenv("NOTIFY_SOCKET");
    struct sockaddr_un sa;
    socklen_t salen;
    size_t len;
    ssize_t sent;
    int fd, rc = 0;

    if (!path || !path[0]) {
        return 0;
    }
    len = strlen(path);
    if ((path[0] != '/' && path[0] != '@') || len < 2 ||
        len > sizeof sa.sun_path - (path[0] == '/')) {
        return TAULU_EINVAL;
    }
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, len);
    if (path[0] == '@') {
        /* abstract namespace: a leading NUL, no terminating one */
        sa.sun_path[0] = '\0';
        salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
    } else {
        salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
    }
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return TAULU_EIO;
    }
    do {
        sent = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
                      (const struct sockaddr *)&sa, salen);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0 || (size_t)sent != strlen(state)) {
        rc = TAULU_EIO;
    }
    close(fd);
    return rc;
}

/* A decimal number > 0 and nothing else, or -1. */
static long long positive(const char *s)
{
    char *end = NULL;
    long long v;

    if (!s || *s < '0' || *s > '9') {
        return -1;
    }
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end || v <= 0) {
        return -1;
    }
    return v;
}

int64_t taulu_watchdog_period_ms(const char *usec, const char *pid_text,
                                 pid_t self)
{
    long long us = positive(usec), pid;
    int64_t ms;

    if (us < 0) {
        return 0;
    }
    if (pid_text) {
        /* set for another process (a child that inherited it): not ours */
        pid = positive(pid_text);
        if (pid < 0 || pid != (long long)self) {
            return 0;
        }
    }
    ms = (int64_t)(us / 2000);
    return ms > 0 ? ms : 1;
}

void taulu_watchdog_init(struct taulu_watchdog *w, int64_t now_ms)
{
    w->every_ms = taulu_watchdog_period_ms(getenv("WATCHDOG_USEC"),
                                           getenv("WATCHDOG_PID"), getpid());
    w->next_ms = now_ms;
}

int taulu_watchdog_wait_ms(const struct taulu_watchdog *w, int64_t now_ms,
                           int cap)
{
    int64_t left;

    if (w->every_ms <= 0) {
        return cap;
    }
    left = w->next_ms - now_ms;
    if (left <= 0) {
        return 0;
    }
    return left < cap ? (int)left : cap;
}

bool taulu_watchdog_due(const struct taulu_watchdog *w, int64_t now_ms)
{
    return w->every_ms > 0 && now_ms >= w->next_ms;
}

bool taulu_watchdog_kick(struct taulu_watchdog *w, int64_t now_ms)
{
    if (!taulu_watchdog_due(w, now_ms)) {
        return false;
    }
    w->next_ms = now_ms + w->every_ms;
    return taulu_notify("WATCHDOG=1") == 0;
}
