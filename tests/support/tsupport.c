/*
 * tsupport.c: integration-test helpers (see tsupport.h).
 */
#include "tsupport.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int tsupport_free_port(void)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    int fd, port = -1;

    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

int tsupport_wait_port(int port, int timeout_ms)
{
    struct sockaddr_in sa;
    int waited, fd, rc;

    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((unsigned short)port);
    for (waited = 0; waited <= timeout_ms; waited += 20) {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0)
            return -1;
        rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
        close(fd);
        if (rc == 0)
            return 0;
        sleep_ms(20);
    }
    fprintf(stderr, "tsupport: nothing listens on port %d\n", port);
    return -1;
}

int tsupport_tmpdir(const char *tag, char *out, size_t out_size)
{
    const char *base = getenv("TAULU_TEST_TMP");
    int n;

    if (!base || !*base)
        base = "/tmp";
    mkdir(base, 0700);
    n = snprintf(out, out_size, "%s/%s-XXXXXX", base, tag);
    if (n < 0 || (size_t)n >= out_size)
        return -1;
    if (!mkdtemp(out)) {
        fprintf(stderr, "tsupport: mkdtemp %s: %s\n", out, strerror(errno));
        return -1;
    }
    return 0;
}

int tsupport_write_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    FILE *f;
    int rc = 0;

    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return -1;
    f = fopen(path, "w");
    if (!f)
        return -1;
    if (fputs(text, f) < 0)
        rc = -1;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

int tsupport_spawn(struct tsupport_proc *p, char *const argv[],
                   const char *log_path)
{
    pid_t pid = fork();

    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (log_path) {
            int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
            if (fd >= 0) {
                dup2(fd, 1);
                dup2(fd, 2);
                close(fd);
            }
        }
        execv(argv[0], argv);
        fprintf(stderr, "tsupport: exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    p->pid = pid;
    return 0;
}

int tsupport_stop(struct tsupport_proc *p)
{
    int status = -1, i;

    if (p->pid <= 0)
        return -1;
    kill(p->pid, SIGTERM);
    for (i = 0; i < 250; i++) {
        pid_t r = waitpid(p->pid, &status, WNOHANG);
        if (r == p->pid) {
            p->pid = 0;
            return status;
        }
        sleep_ms(20);
    }
    kill(p->pid, SIGKILL);
    waitpid(p->pid, &status, 0);
    p->pid = 0;
    return status;
}

void tsupport_kill9(struct tsupport_proc *p)
{
    if (p->pid <= 0)
        return;
    kill(p->pid, SIGKILL);
    waitpid(p->pid, NULL, 0);
    p->pid = 0;
}

int tsupport_broker_start(struct tsupport_broker *b, const char *extra_conf)
{
    char conf[2048], path[700], log[700];
    char exe[] = "/usr/sbin/mosquitto", opt[] = "-c";
    char *argv[4];
    int attempt, n;

    memset(b, 0, sizeof *b);
    if (tsupport_tmpdir("broker", b->dir, sizeof b->dir) < 0)
        return -1;
    for (attempt = 0; attempt < 5; attempt++) {
        b->port = tsupport_free_port();
        if (b->port < 0)
            return -1;
        n = snprintf(conf, sizeof conf,
                     "listener %d 127.0.0.1\n"
                     "persistence false\n"
                     "log_dest stderr\n"
                     "log_type error\nlog_type warning\nlog_type notice\n"
                     "%s\n%s",
                     b->port,
                     /* With accounts, as the shipped configuration: a
                      * client id is its user name (another account's
                      * client id cannot take over a session). */
                     extra_conf ? "per_listener_settings false\n"
                                  "use_username_as_clientid true"
                                : "allow_anonymous true",
                     extra_conf ? extra_conf : "");
        if (n < 0 || (size_t)n >= sizeof conf)
            return -1;
        if (tsupport_write_file(b->dir, "mosquitto.conf", conf) < 0)
            return -1;
        snprintf(path, sizeof path, "%s/mosquitto.conf", b->dir);
        snprintf(log, sizeof log, "%s/mosquitto.log", b->dir);
        argv[0] = exe;
        argv[1] = opt;
        argv[2] = path;
        argv[3] = NULL;
        if (tsupport_spawn(&b->proc, argv, log) < 0)
            return -1;
        if (tsupport_wait_port(b->port, 3000) == 0)
            return 0;
        tsupport_stop(&b->proc);
    }
    fprintf(stderr, "tsupport: mosquitto did not start (see %s)\n", log);
    return -1;
}

void tsupport_broker_stop(struct tsupport_broker *b)
{
    tsupport_stop(&b->proc);
}
