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
    char conf[4096], path[700], log[700];
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

int tsupport_balancer_start(struct tsupport_balancer *b, const unsigned *ports,
                            size_t n, size_t clients)
{
    char upstream[1024], conf[4096], path[700], log[700], errlog[700];
    char exe[] = "/usr/sbin/nginx", opt_c[] = "-c", opt_p[] = "-p",
         opt_e[] = "-e";
    char *argv[8];
    size_t i, off = 0, conns;
    int attempt, k;

    memset(b, 0, sizeof *b);
    if (n == 0 || n > 16) {
        return -1;
    }
    if (access(exe, X_OK) != 0) {
        fprintf(stderr,
                "tsupport: %s is missing (scripts/debian-packages.txt "
                "lists nginx)\n",
                exe);
        return -1;
    }
    if (tsupport_tmpdir("balancer", b->dir, sizeof b->dir) < 0) {
        return -1;
    }
    for (i = 0; i < n; i++) {
        k = snprintf(upstream + off, sizeof upstream - off,
                     "        server 127.0.0.1:%u;\n", ports[i]);
        if (k < 0 || (size_t)k >= sizeof upstream - off) {
            return -1;
        }
        off += (size_t)k;
    }
    /* Each client connection may hold one to an upstream too; two workers
     * do not split them evenly, so each is sized for all. */
    conns = 2 * clients + 1024;
    snprintf(path, sizeof path, "%s/tmp", b->dir);
    mkdir(path, 0700);
    for (attempt = 0; attempt < 5; attempt++) {
        b->port = tsupport_free_port();
        if (b->port < 0) {
            return -1;
        }
        k = snprintf(conf, sizeof conf,
                     "%s"
                     "daemon off;\n"
                     "worker_processes 2;\n"
                     "worker_rlimit_nofile %zu;\n"
                     "pid %s/nginx.pid;\n"
                     "error_log %s/error.log warn;\n"
                     "events { worker_connections %zu; }\n"
                     "http {\n"
                     "    access_log off;\n"
                     "    client_body_temp_path %s/tmp/body;\n"
                     "    proxy_temp_path %s/tmp/proxy;\n"
                     "    fastcgi_temp_path %s/tmp/fastcgi;\n"
                     "    uwsgi_temp_path %s/tmp/uwsgi;\n"
                     "    scgi_temp_path %s/tmp/scgi;\n"
                     "    upstream infotaulu {\n%s"
                     "        keepalive 64;\n"
                     "    }\n"
                     "    server {\n"
                     /* A storm of screens: the accept queue of Linux's
                      * somaxconn, not nginx's default 511. */
                     "        listen 127.0.0.1:%d backlog=4096;\n"
                     "        keepalive_timeout 30s;\n"
                     "        client_max_body_size 9m;\n"
                     "        proxy_http_version 1.1;\n"
                     "        proxy_set_header Connection \"\";\n"
                     "        proxy_set_header Host $host;\n"
                     "        proxy_set_header X-Forwarded-For $remote_addr;\n"
                     "        proxy_set_header X-Forwarded-Proto $scheme;\n"
                     "        proxy_connect_timeout 5s;\n"
                     "        proxy_read_timeout 60s;\n"
                     "        location / { proxy_pass http://infotaulu; }\n"
                     "    }\n"
                     "}\n",
                     geteuid() == 0 ? "user root;\n" : "", conns + 64, b->dir,
                     b->dir, conns, b->dir, b->dir, b->dir, b->dir, b->dir,
                     upstream, b->port);
        if (k < 0 || (size_t)k >= sizeof conf) {
            return -1;
        }
        if (tsupport_write_file(b->dir, "nginx.conf", conf) < 0) {
            return -1;
        }
        snprintf(path, sizeof path, "%s/nginx.conf", b->dir);
        snprintf(log, sizeof log, "%s/nginx.log", b->dir);
        snprintf(errlog, sizeof errlog, "%s/error.log", b->dir);
        argv[0] = exe;
        argv[1] = opt_c;
        argv[2] = path;
        argv[3] = opt_p;
        argv[4] = b->dir;
        /* Before the configuration is read: not /var/log/nginx. */
        argv[5] = opt_e;
        argv[6] = errlog;
        argv[7] = NULL;
        if (tsupport_spawn(&b->proc, argv, log) < 0) {
            return -1;
        }
        if (tsupport_wait_port(b->port, 5000) == 0) {
            return 0;
        }
        tsupport_stop(&b->proc);
    }
    fprintf(stderr, "tsupport: nginx did not start (see %s)\n", errlog);
    return -1;
}

void tsupport_balancer_stop(struct tsupport_balancer *b)
{
    tsupport_stop(&b->proc);
}
