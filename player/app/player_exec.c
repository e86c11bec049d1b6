/*
 * player_exec.c: one external program with a time limit, no shell (see
 * player_exec.h).
 */
#define _GNU_SOURCE 1 /* pipe2 */
#include "player_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "taulu_err.h"

extern char **environ;

static long long mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int player_exec_split(const char *line, char *buf, size_t buf_size,
                      char *argv[], size_t max)
{
    size_t n = 0, len = line ? strlen(line) : 0;
    char *p;

    if (len + 1 > buf_size || max < 2) {
        return -1;
    }
    memcpy(buf, line ? line : "", len + 1);
    p = buf;
    for (;;) {
        while (*p == ' ' || *p == '\t') {
            *p++ = '\0';
        }
        if (!*p) {
            break;
        }
        if (n + 1 >= max) {
            return -1;
        }
        argv[n++] = p;
        while (*p && *p != ' ' && *p != '\t') {
            p++;
        }
    }
    argv[n] = NULL;
    return (int)n;
}

/* What it wrote, as one trimmed line for the log. */
static void keep_output(struct player_exec_result *res, const char *data,
                        size_t len, size_t *kept)
{
    for (size_t i = 0; i < len && *kept + 1 < sizeof res->output; i++) {
        char c = data[i];

        if (c == '\n' || c == '\r' || c == '\t') {
            c = ' ';
        }
        if ((unsigned char)c < 0x20) {
            continue;
        }
        if (c == ' ' && (*kept == 0 || res->output[*kept - 1] == ' ')) {
            continue;
        }
        res->output[(*kept)++] = c;
    }
    res->output[*kept] = '\0';
}

/* The kept output without a space at its end. */
static void trim_output(struct player_exec_result *res)
{
    size_t n = strlen(res->output);

    while (n > 0 && res->output[n - 1] == ' ') {
        res->output[--n] = '\0';
    }
}

int player_exec_run(char *const argv[], const char *input, int timeout_ms,
                    struct player_exec_result *res)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, dflt, pipe_set, old_mask;
    int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1};
    size_t in_len = input ? strlen(input) : 0, in_done = 0, kept = 0;
    long long deadline = mono_ms() + timeout_ms;
    pid_t pid = 0;
    int status = 0, rc;
    bool exited = false;

    memset(res, 0, sizeof *res);
    res->exit_code = -1;
    if (!argv || !argv[0]) {
        snprintf(res->error, sizeof res->error, "no command");
        return TAULU_EUNAVAIL;
    }
    if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0) {
        snprintf(res->error, sizeof res->error, "pipe: %s", strerror(errno));
        rc = TAULU_EUNAVAIL;
        goto out;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 2);
    /* The player's threads block SIGTERM, SIGINT and SIGHUP (its signal
     * thread takes them): the program gets an empty mask and the default
     * actions, so that a stop reaches it. */
    posix_spawnattr_init(&attr);
    sigemptyset(&none);
    sigemptyset(&dflt);
    sigaddset(&dflt, SIGPIPE);
    sigaddset(&dflt, SIGTERM);
    sigaddset(&dflt, SIGINT);
    sigaddset(&dflt, SIGHUP);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &dflt);
    posix_spawnattr_setflags(&attr,
                             POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    close(in_pipe[0]);
    close(out_pipe[1]);
    in_pipe[0] = out_pipe[1] = -1;
    if (rc != 0) {
        snprintf(res->error, sizeof res->error, "%s: %s", argv[0],
                 strerror(rc));
        rc = TAULU_EUNAVAIL;
        goto out;
    }
    res->started = true;
    /* A program that exits without reading its input would send this
     * thread SIGPIPE: blocked here, and any pending one taken below. */
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
    /* A program that does not read its input must not block us. */
    fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
    if (in_len == 0) {
        close(in_pipe[1]);
        in_pipe[1] = -1;
    }
    while (!exited) {
        struct pollfd pf[2];
        int nfd = 0, left = (int)(deadline - mono_ms());
        char buf[512];

        if (waitpid(pid, &status, WNOHANG) == pid) {
            exited = true;
            break;
        }
        if (left <= 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            res->timed_out = true;
            exited = true;
            break;
        }
        if (out_pipe[0] >= 0) {
            pf[nfd].fd = out_pipe[0];
            pf[nfd++].events = POLLIN;
        }
        if (in_pipe[1] >= 0) {
            pf[nfd].fd = in_pipe[1];
            pf[nfd++].events = POLLOUT;
        }
        /* at most 50 ms, so an exit with its output closed is seen */
        if (poll(pf, (nfds_t)nfd, left < 50 ? left : 50) < 0 &&
            errno != EINTR) {
            break;
        }
        for (int i = 0; i < nfd; i++) {
            if (pf[i].fd == out_pipe[0] &&
                (pf[i].revents & (POLLIN | POLLHUP))) {
                ssize_t n = read(out_pipe[0], buf, sizeof buf);
                if (n > 0) {
                    keep_output(res, buf, (size_t)n, &kept);
                } else if (n == 0 || errno != EINTR) {
                    close(out_pipe[0]);
                    out_pipe[0] = -1;
                }
            } else if (pf[i].fd == in_pipe[1] &&
                       (pf[i].revents & (POLLOUT | POLLERR | POLLHUP))) {
                ssize_t n =
                    write(in_pipe[1], input + in_done, in_len - in_done);
                if (n > 0) {
                    in_done += (size_t)n;
                }
                if (n < 0 || in_done >= in_len) {
                    close(in_pipe[1]);
                    in_pipe[1] = -1;
                }
            }
        }
    }
    if (!res->timed_out && WIFEXITED(status)) {
        res->exit_code = WEXITSTATUS(status);
    } else if (!res->timed_out && WIFSIGNALED(status)) {
        res->signal = WTERMSIG(status);
    }
    /* what is left in the pipe after the exit */
    while (out_pipe[0] >= 0) {
        char buf[512];
        ssize_t n = read(out_pipe[0], buf, sizeof buf);
        if (n <= 0) {
            break;
        }
        keep_output(res, buf, (size_t)n, &kept);
    }
    trim_output(res);
    {
        struct timespec zero = {0, 0};
        while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    rc = res->exit_code == 0 ? 0 : TAULU_EUNAVAIL;
out:
    for (int i = 0; i < 2; i++) {
        if (in_pipe[i] >= 0) {
            close(in_pipe[i]);
        }
        if (out_pipe[i] >= 0) {
            close(out_pipe[i]);
        }
    }
    return rc;
}
