/*
 * bench_scale.c: N simulated screens against the real content server
 * (one instance on SQLite or PostgreSQL, or several instances on one
 * PostgreSQL behind a real nginx load balancer) and a real Mosquitto on
 * loopback ports chosen at run time. Every simulated screen is what a player is
 * on the wire: its own MQTT connection with its own credentials (the password
 * and ACL files the server writes) and its last will, its online status, its
 * subscription to its own pointer, and a conditional manifest GET
 * (If-None-Match) over its own kept-alive HTTP connection, from its own
 * loopback address (127.1.x.y), as screens come from addresses of their
 * own.
 *
 * The screens are multiplexed with poll() over non-blocking libmosquitto
 * clients and plain sockets in a few worker processes (not a thread per
 * screen). Processes rather than threads because one process may hold only
 * RLIMIT_NOFILE descriptors (20,000 hard on the machine this was written
 * on) and 10,000 screens need 20,000 sockets. The workers write their
 * timings into shared memory; the parent times the phases:
 *
 *  (a) all N connect at once with nothing cached (every GET a 200), then
 *      are dropped (no DISCONNECT: the broker fires every last will) and
 *      reconnect at once holding their manifests (every GET a 304): the
 *      time until every screen has fetched and checked its current
 *      manifest (goal <= 10 s for 10,000);
 *  (b) an approval at one centre: the time from the approve request until
 *      each screen of that centre has its new pointer, p50/p99 (goal p99
 *      <= 1 s), and until it has fetched the new manifest;
 *  (c) the server's and the broker's RSS, idle and with N screens
 *      connected, per screen;
 *  (d) with several instances: the publishing instance killed (SIGKILL)
 *      with every screen connected, then an approval at another centre
 *      sent to the next instance: the time until each screen of that
 *      centre has its new pointer (takeover included) and its manifest
 *      through the balancer.
 *
 *   bench_scale [SCREENS [CENTRES [WORKERS [SPREAD_MS [INSTANCES [TLS]]]]]]
 *   (1000 10 4 0 1 0)
 *
 * The database is the tests' (tsupport_db.h): a SQLite file, or with
 * TAULU_TEST_PG_DIR (the _pg twin, or scripts/pg-test-cluster.sh start
 * DIR by hand) a fresh PostgreSQL database. INSTANCES > 1 needs
 * PostgreSQL: the instances share the database and the data directory,
 * the screens' HTTP goes through nginx (round robin, kept-alive upstream
 * connections, the screen's address in X-Forwarded-For), MQTT straight
 * to the one broker. The approval of (b) is sent to an instance that is
 * not publishing, so it travels the whole way: a write on one instance,
 * NOTIFY, the build on the publishing one, the pointers, the manifest
 * from whichever instance the balancer picks.
 *
 * TLS 1: the screens' MQTT goes over TLS, as it does outside loopback
 * (a second listener of the broker with a certificate made here by
 * openssl for 127.0.0.1; each screen checks it against that CA); the
 * server stays on the plain loopback listener, as the packages set it
 * up. The screens' HTTP stays plain (nginx or the server would carry
 * HTTPS; not measured here).
 *
 * SPREAD_MS > 0: in a storm each screen connects at a random instant in
 * the first SPREAD_MS (players that jitter their reconnects); the times
 * still count from the storm's start.
 *
 * Exit 0 when every phase completed for every screen (the goals are
 * printed, not enforced: a shared machine moves them). Uses the
 * integration tests' helpers; a failed set-up step ends the program.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <mosquitto.h>
#include <sodium.h>

#include "itest.h"
#include "srv_auth.h"
#include "srv_broker.h"
#include "srv_store.h"
#include "tsupport.h"
#include "tsupport_db.h"

#define PREFIX        "scale"
#define MAX_INSTANCES 4
#define TOKEN_MAX     (SRV_TOKEN_LEN + 1)
#define PHASE_WAIT                                                             \
    60000.0 /* ms a phase may take before it counts as failed                  \
             */

/* What a worker tells the parent about one screen (shared memory). Times
 * are CLOCK_MONOTONIC ms, 0 = not yet. */
struct shared_screen {
    double t_connack; /* connected (CONNACK accepted) */
    double t_ptr;     /* latest pointer received */
    double t_fetched; /* manifest of ptr_seq fetched and checked */
    int64_t ptr_seq;  /* seq of the latest pointer */
    int64_t have_seq; /* seq of the manifest held */
    uint32_t n200, n304, nerr, nretry;
};

/* A worker's own view of one screen. */
struct screen {
    size_t idx;
    int64_t id;
    char user[40];
    const char *token;
    struct mosquitto *mosq;
    bool connected;
    /* TLS: the TCP connect may still be on its way (a SYN the broker's
     * full accept queue dropped); the handshake goes on when the socket
     * becomes writable, through mosquitto_loop_read(), as libmosquitto's
     * own loop does. */
    bool tls_await_out;
    /* the pointer to act on */
    int64_t want_seq;
    char want_sha[65];
    char url[260];
    bool fetch_due;
    /* the manifest held */
    char have_sha[65];
    /* HTTP */
    int fd;
    int hstate; /* 0 idle/closed, 1 connecting, 2 sending, 3 reading */
    char req[768];
    size_t req_len, req_off;
    char *in;
    size_t in_len, in_cap;
    int64_t req_seq;
    char req_sha[65];
    double retry_at;
    double start_at; /* connect then (a spread storm); 0 = not waiting */
};

struct worker {
    struct screen *s;
    size_t n;
    struct shared_screen *sh; /* whole array, indexed by screen idx */
    int http_port, mqtt_port;
    const char *cafile; /* MQTT over TLS with this CA; NULL: plain */
    unsigned spread_ms; /* a storm's connects spread over this */
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* 127.1.x.y for screen i: a source address of its own. */
static void screen_addr(size_t i, char out[32])
{
    snprintf(out, 32, "127.1.%zu.%zu", (i / 250) % 250, i % 250 + 1);
}

static long rss_kib(pid_t pid)
{
    char path[64], line[256];
    long kib = -1;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
        }
    }
    fclose(f);
    return kib;
}

/* TcpExt ListenOverflows of this network namespace: connections dropped
 * because a listener's accept queue was full (the client's SYN is then
 * retransmitted after 1 s, 3 s, 7 s...). Other processes in the namespace
 * count too. -1 if unreadable. */
static long long listen_overflows(void)
{
    char names[4096], values[4096];
    long long v = -1;
    FILE *f = fopen("/proc/net/netstat", "r");

    if (!f) {
        return -1;
    }
    while (fgets(names, sizeof names, f) && fgets(values, sizeof values, f)) {
        const char *a = names, *b = values;
        if (strncmp(names, "TcpExt:", 7) != 0) {
            continue;
        }
        /* The same position in the names line and the values line. */
        while (a && b) {
            a = strchr(a, ' ');
            b = strchr(b, ' ');
            if (!a || !b) {
                break;
            }
            a++;
            b++;
            if (strncmp(a, "ListenOverflows ", 16) == 0) {
                v = strtoll(b, NULL, 10);
            }
        }
    }
    fclose(f);
    return v;
}

/* ---- the worker: MQTT ---- */

static struct worker *g_w;

static void on_connect(struct mosquitto *m, void *ud, int rc)
{
    struct screen *s = ud;
    char topic[128], payload[64];

    if (rc != 0) {
        /* refused (the broker has not reloaded its files yet): again */
        s->retry_at = now_ms() + 200;
        return;
    }
    s->connected = true;
    g_w->sh[s->idx].t_connack = now_ms();
    snprintf(topic, sizeof topic, PREFIX "/v1/screens/%s/status", s->user);
    snprintf(payload, sizeof payload, "{\"v\":1,\"state\":\"online\"}");
    mosquitto_publish(m, NULL, topic, (int)strlen(payload), payload, 1, true);
    snprintf(topic, sizeof topic, PREFIX "/v1/screens/%s/desired", s->user);
    mosquitto_subscribe(m, NULL, topic, 1);
}

static void on_disconnect(struct mosquitto *m, void *ud, int rc)
{
    struct screen *s = ud;

    (void)m;
    s->connected = false;
    if (rc != 0 && s->retry_at == 0) {
        s->retry_at = now_ms() + 200;
    }
}

/* The string value of "name":"..." in a small flat JSON object. */
static bool json_str(const char *p, size_t n, const char *name, char *out,
                     size_t out_size)
{
    char key[32];
    const char *a, *b, *end = p + n;
    size_t len;

    snprintf(key, sizeof key, "\"%s\":\"", name);
    a = memmem(p, n, key, strlen(key));
    if (!a) {
        return false;
    }
    a += strlen(key);
    b = memchr(a, '"', (size_t)(end - a));
    if (!b || (len = (size_t)(b - a)) >= out_size) {
        return false;
    }
    memcpy(out, a, len);
    out[len] = '\0';
    return true;
}

static void on_message(struct mosquitto *m, void *ud,
                       const struct mosquitto_message *msg)
{
    struct screen *s = ud;
    struct shared_screen *sh = &g_w->sh[s->idx];
    const char *p = msg->payload, *q;
    char sha[65], url[260];
    int64_t seq;

    (void)m;
    if (msg->payloadlen <= 0 || msg->payloadlen > 4096) {
        return;
    }
    q = memmem(p, (size_t)msg->payloadlen, "\"seq\":", 6);
    if (!q ||
        !json_str(p, (size_t)msg->payloadlen, "sha256", sha, sizeof sha)) {
        sh->nerr++;
        return;
    }
    seq = strtoll(q + 6, NULL, 10);
    if (!json_str(p, (size_t)msg->payloadlen, "url", url, sizeof url)) {
        snprintf(url, sizeof url, "/api/v1/screens/%s/manifest", s->user);
    }
    sh->t_ptr = now_ms();
    sh->ptr_seq = seq;
    s->want_seq = seq;
    memcpy(s->want_sha, sha, sizeof sha);
    memcpy(s->url, url, sizeof url);
    /* A player that (re)connects confirms what it holds with a
     * conditional GET; a new pointer is fetched. */
    s->fetch_due = true;
}

static int mqtt_start(struct worker *w, struct screen *s)
{
    char topic[128], addr[32];
    const char *will = "{\"v\":1,\"state\":\"offline\"}";

    s->mosq = mosquitto_new(s->user, true, s);
    if (!s->mosq) {
        return -1;
    }
    mosquitto_username_pw_set(s->mosq, s->user, s->token);
    snprintf(topic, sizeof topic, PREFIX "/v1/screens/%s/status", s->user);
    mosquitto_will_set(s->mosq, topic, (int)strlen(will), will, 1, true);
    mosquitto_connect_callback_set(s->mosq, on_connect);
    mosquitto_disconnect_callback_set(s->mosq, on_disconnect);
    mosquitto_message_callback_set(s->mosq, on_message);
    if (w->cafile && mosquitto_tls_set(s->mosq, w->cafile, NULL, NULL, NULL,
                                       NULL) != MOSQ_ERR_SUCCESS) {
        return -1;
    }
    screen_addr(s->idx, addr);
    s->retry_at = 0;
    s->tls_await_out = w->cafile != NULL;
    if (mosquitto_connect_bind_async(s->mosq, "127.0.0.1", w->mqtt_port, 120,
                                     addr) != MOSQ_ERR_SUCCESS) {
        s->retry_at = now_ms() + 200;
    }
    return 0;
}

/* ---- the worker: HTTP ---- */

static void http_close(struct screen *s)
{
    if (s->fd >= 0) {
        close(s->fd);
    }
    s->fd = -1;
    s->hstate = 0;
    s->in_len = 0;
}

static void http_begin(struct worker *w, struct screen *s)
{
    char addr[32];
    struct sockaddr_in src, dst;
    int n;

    s->req_seq = s->want_seq;
    memcpy(s->req_sha, s->want_sha, sizeof s->req_sha);
    s->fetch_due = false;
    n = snprintf(s->req, sizeof s->req,
                 "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                 "Authorization: Bearer %s\r\n%s%s%s"
                 "User-Agent: bench_scale\r\n\r\n",
                 s->url, w->http_port, s->token,
                 s->have_sha[0] ? "If-None-Match: \"" : "", s->have_sha,
                 s->have_sha[0] ? "\"\r\n" : "");
    s->req_len = (size_t)n;
    s->req_off = 0;
    s->in_len = 0;
    if (s->fd >= 0) {
        s->hstate = 2;
        return;
    }
    s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->fd < 0) {
        w->sh[s->idx].nerr++;
        s->fetch_due = true;
        s->retry_at = now_ms() + 500;
        return;
    }
    memset(&src, 0, sizeof src);
    src.sin_family = AF_INET;
    screen_addr(s->idx, addr);
    inet_pton(AF_INET, addr, &src.sin_addr);
    memset(&dst, 0, sizeof dst);
    dst.sin_family = AF_INET;
    dst.sin_port = htons((uint16_t)w->http_port);
    inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
    if (bind(s->fd, (struct sockaddr *)&src, sizeof src) < 0 ||
        (connect(s->fd, (struct sockaddr *)&dst, sizeof dst) < 0 &&
         errno != EINPROGRESS)) {
        w->sh[s->idx].nerr++;
        http_close(s);
        s->fetch_due = true;
        s->retry_at = now_ms() + 500;
        return;
    }
    s->hstate = 1;
}

/* Again later (the server closed a kept-alive connection, or said 429 or
 * 503). */
static void http_retry(struct worker *w, struct screen *s, double delay)
{
    w->sh[s->idx].nretry++;
    http_close(s);
    s->want_seq = s->want_seq > s->req_seq ? s->want_seq : s->req_seq;
    s->fetch_due = true;
    s->retry_at = now_ms() + delay;
}

/* A whole response in s->in? Handles it and returns true. */
static bool http_response(struct worker *w, struct screen *s)
{
    struct shared_screen *sh = &w->sh[s->idx];
    char *head_end, *p;
    long status, clen = 0;
    size_t head;
    bool close_after = false;

    head_end = memmem(s->in, s->in_len, "\r\n\r\n", 4);
    if (!head_end) {
        return false;
    }
    head = (size_t)(head_end - s->in) + 4;
    *head_end = '\0';
    p = strcasestr(s->in, "\r\nContent-Length:");
    if (p) {
        clen = strtol(p + 17, NULL, 10);
    }
    if (s->in_len < head + (size_t)clen) {
        *head_end = '\r';
        return false;
    }
    status = strtol(s->in + 9, NULL, 10);
    close_after = strcasestr(s->in, "\r\nConnection: close") != NULL;
    if (status == 200) {
        uint8_t h[32];
        char hex[65];
        crypto_hash_sha256(h, (const uint8_t *)s->in + head,
                           (unsigned long long)clen);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        if (strcmp(hex, s->req_sha) == 0) {
            sh->n200++;
            memcpy(s->have_sha, hex, sizeof hex);
        } else {
            sh->nerr++; /* a manifest other than the pointer's */
        }
    } else if (status == 304) {
        sh->n304++;
    } else if (status == 429 || status == 503) {
        http_retry(w, s, 1000);
        return true;
    } else {
        sh->nerr++;
    }
    if (status == 200 || status == 304) {
        if (strcmp(s->have_sha, s->req_sha) == 0) {
            sh->have_seq = s->req_seq;
            sh->t_fetched = now_ms();
        }
    }
    if (close_after) {
        http_close(s);
    } else {
        s->hstate = 0;
        s->in_len = 0;
    }
    return true;
}

static void http_io(struct worker *w, struct screen *s, short rev)
{
    if (s->hstate == 1 && (rev & (POLLOUT | POLLERR | POLLHUP))) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
            http_retry(w, s, 500);
            return;
        }
        s->hstate = 2;
    }
    if (s->hstate == 2) {
        ssize_t k = send(s->fd, s->req + s->req_off, s->req_len - s->req_off,
                         MSG_NOSIGNAL);
        if (k < 0 && errno != EAGAIN) {
            http_retry(w, s, 100);
            return;
        }
        if (k > 0) {
            s->req_off += (size_t)k;
        }
        if (s->req_off == s->req_len) {
            s->hstate = 3;
        }
        return;
    }
    if (rev & (POLLIN | POLLHUP | POLLERR)) {
        for (;;) {
            ssize_t k;
            if (s->in_cap - s->in_len < 4096) {
                size_t cap = s->in_cap ? s->in_cap * 2 : 16384;
                char *in = realloc(s->in, cap + 1);
                if (!in) {
                    http_retry(w, s, 1000);
                    return;
                }
                s->in = in;
                s->in_cap = cap;
            }
            k = recv(s->fd, s->in + s->in_len, s->in_cap - s->in_len, 0);
            if (k > 0) {
                s->in_len += (size_t)k;
                continue;
            }
            if (k < 0 && errno == EAGAIN) {
                break;
            }
            /* closed: a kept-alive connection the server let go of */
            if (s->hstate == 3) {
                http_retry(w, s, 0);
            } else {
                http_close(s);
            }
            return;
        }
        if (s->hstate == 3) {
            http_response(w, s);
        } else {
            s->in_len = 0; /* nothing is expected while idle */
        }
    }
}

/* ---- the worker's loop ---- */

static void worker_drop(struct worker *w)
{
    size_t i;

    for (i = 0; i < w->n; i++) {
        /* No DISCONNECT: the broker sees the connection die and fires
         * the last will, as when a centre's network goes down. */
        mosquitto_destroy(w->s[i].mosq);
        w->s[i].mosq = NULL;
        w->s[i].start_at = 0;
        w->s[i].connected = false;
        http_close(&w->s[i]);
        w->s[i].fetch_due = false;
    }
}

static void worker_run(struct worker *w, int cmd_fd)
{
    struct pollfd *pf = calloc(2 * w->n + 1, sizeof *pf);
    int *who = calloc(2 * w->n + 1, sizeof *who);
    double last_misc = 0;
    size_t i;

    g_w = w;
    for (;;) {
        size_t k = 0;
        double t = now_ms();
        int rc;

        pf[k].fd = cmd_fd;
        pf[k].events = POLLIN;
        who[k++] = -1;
        for (i = 0; i < w->n; i++) {
            struct screen *s = &w->s[i];
            if (s->start_at != 0 && t >= s->start_at) {
                s->start_at = 0;
                mqtt_start(w, s);
            }
            if (s->mosq && s->retry_at != 0 && t >= s->retry_at) {
                char addr[32];
                s->retry_at = 0;
                screen_addr(s->idx, addr);
                s->tls_await_out = w->cafile != NULL;
                if (mosquitto_reconnect_async(s->mosq) != MOSQ_ERR_SUCCESS) {
                    s->retry_at = t + 500;
                }
            }
            if (s->fetch_due && s->hstate == 0 &&
                (s->retry_at == 0 || t >= s->retry_at)) {
                http_begin(w, s);
            }
            if (s->mosq && mosquitto_socket(s->mosq) >= 0) {
                pf[k].fd = mosquitto_socket(s->mosq);
                pf[k].events =
                    (short)(POLLIN |
                            (mosquitto_want_write(s->mosq) ||
                                     (s->tls_await_out && !s->connected)
                                 ? POLLOUT
                                 : 0));
                who[k++] = (int)(2 * i);
            }
            if (s->fd >= 0) {
                pf[k].fd = s->fd;
                pf[k].events =
                    (short)(s->hstate == 1 || s->hstate == 2 ? POLLOUT
                                                             : POLLIN);
                who[k++] = (int)(2 * i + 1);
            }
        }
        rc = poll(pf, k, 20);
        if (rc < 0 && errno != EINTR) {
            break;
        }
        for (i = 0; rc > 0 && i < k; i++) {
            struct screen *s;
            if (!pf[i].revents) {
                continue;
            }
            if (who[i] < 0) {
                char c;
                if (read(cmd_fd, &c, 1) != 1 || c == 'Q') {
                    goto out;
                }
                if (c == 'C') {
                    size_t j;
                    for (j = 0; j < w->n; j++) {
                        if (w->spread_ms == 0) {
                            mqtt_start(w, &w->s[j]);
                        } else {
                            w->s[j].start_at =
                                t + 1 + randombytes_uniform(w->spread_ms);
                        }
                    }
                } else if (c == 'D') {
                    worker_drop(w);
                }
                break; /* the sets changed: poll again */
            }
            s = &w->s[who[i] / 2];
            if (who[i] % 2 == 0) {
                if (!s->mosq) {
                    continue;
                }
                int lr = MOSQ_ERR_SUCCESS;
                if (pf[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                    lr = mosquitto_loop_read(s->mosq, 1);
                }
                if (lr == MOSQ_ERR_SUCCESS && (pf[i].revents & POLLOUT)) {
                    if (w->cafile && !s->connected) {
                        /* the handshake's next step (want_connect), then
                         * the CONNECT once it is queued */
                        s->tls_await_out = false;
                        lr = mosquitto_loop_read(s->mosq, 1);
                    }
                    if (lr == MOSQ_ERR_SUCCESS && s->mosq) {
                        lr = mosquitto_loop_write(s->mosq, 1);
                    }
                }
                /* A connection lost before its CONNACK (a TLS handshake
                 * the broker gave up on) calls no disconnect callback:
                 * the player's library tries again; so does the bench. */
                if (lr != MOSQ_ERR_SUCCESS && !s->connected &&
                    s->retry_at == 0) {
                    s->retry_at = t + 200;
                    w->sh[s->idx].nretry++;
                }
            } else if (s->fd >= 0) {
                http_io(w, s, pf[i].revents);
            }
        }
        if (t - last_misc > 1000) {
            last_misc = t;
            for (i = 0; i < w->n; i++) {
                if (w->s[i].mosq) {
                    mosquitto_loop_misc(w->s[i].mosq);
                }
            }
        }
    }
out:
    for (i = 0; i < w->n; i++) {
        if (w->s[i].mosq) {
            mosquitto_disconnect(w->s[i].mosq);
            mosquitto_loop_write(w->s[i].mosq, 1);
            mosquitto_destroy(w->s[i].mosq);
        }
        http_close(&w->s[i]);
        free(w->s[i].in);
    }
    free(pf);
    free(who);
}

/* ---- the parent ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *sorted, size_t n, double p)
{
    size_t i;

    if (n == 0) {
        return -1;
    }
    i = (size_t)(p * (double)(n - 1) + 0.5);
    return sorted[i < n ? i : n - 1];
}

static void send_all(const int *fds, size_t n, char c)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (write(fds[i], &c, 1) != 1) {
            fprintf(stderr, "bench: a worker is gone\n");
        }
    }
}

/* Waits until every screen in [0, n) with `pick` (NULL = all) has fetched
 * a manifest of seq > min_seq[i] (NULL: any), up to PHASE_WAIT. Returns
 * how many did. */
static size_t wait_fetched(struct shared_screen *sh, size_t n, const bool *pick,
                           const int64_t *min_seq)
{
    double t0 = now_ms();
    size_t done = 0, i;

    while (now_ms() - t0 < PHASE_WAIT) {
        done = 0;
        for (i = 0; i < n; i++) {
            if (pick && !pick[i]) {
                done++;
                continue;
            }
            if (__atomic_load_n(&sh[i].have_seq, __ATOMIC_RELAXED) >
                    (min_seq ? min_seq[i] : 0) &&
                sh[i].t_fetched > 0) {
                done++;
            }
        }
        if (done == n) {
            break;
        }
        usleep(5000);
    }
    return done;
}

static void report_storm(const char *what, struct shared_screen *sh, size_t n,
                         double t0, size_t done, long long overflows)
{
    double *conn = calloc(n, sizeof *conn), *fetch = calloc(n, sizeof *fetch);
    size_t i, nc = 0, nf = 0;
    uint32_t n200 = 0, n304 = 0, nerr = 0, nretry = 0;

    for (i = 0; i < n; i++) {
        if (sh[i].t_connack > 0) {
            conn[nc++] = sh[i].t_connack - t0;
        }
        if (sh[i].t_fetched > 0) {
            fetch[nf++] = sh[i].t_fetched - t0;
        }
        n200 += sh[i].n200;
        n304 += sh[i].n304;
        nerr += sh[i].nerr;
        nretry += sh[i].nretry;
    }
    qsort(conn, nc, sizeof *conn, cmp_double);
    qsort(fetch, nf, sizeof *fetch, cmp_double);
    printf("%s\n", what);
    printf("  connected:        %zu of %zu; p50 %.0f ms, p99 %.0f ms, "
           "last %.0f ms\n",
           nc, n, pct(conn, nc, 0.5), pct(conn, nc, 0.99), pct(conn, nc, 1.0));
    printf("  manifest current: %zu of %zu; p50 %.0f ms, p99 %.0f ms, "
           "last %.0f ms\n",
           done, n, pct(fetch, nf, 0.5), pct(fetch, nf, 0.99),
           pct(fetch, nf, 1.0));
    printf("  answers: %u x 200, %u x 304; %u errors, %u retried\n", n200, n304,
           nerr, nretry);
    printf("  connections dropped by full accept queues (ListenOverflows): "
           "%lld\n",
           overflows);
    printf("  goal (for 10,000 screens): all within 10000 ms: %s\n",
           done == n && pct(fetch, nf, 1.0) <= 10000.0 ? "met" : "NOT met");
    fflush(stdout);
    free(conn);
    free(fetch);
}

static void reset_times(struct shared_screen *sh, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        sh[i].t_connack = 0;
        sh[i].t_ptr = 0;
        sh[i].t_fetched = 0;
        sh[i].n200 = sh[i].n304 = sh[i].nerr = sh[i].nretry = 0;
    }
}

/* An approval to time: an item of `org` at `centre` made by `member` on
 * `via`, its placement approved there by `contact`; the screens of
 * centre index `centre_idx` (and screen 0 when that is 0) are to get the
 * new pointer. */
struct approval {
    struct itest_server *via;
    const struct itest_auth *member;
    long long org;
    const struct itest_auth *contact;
    long long centre;
    size_t centre_idx;
    const char *title;
};

/* Makes the approval and prints how long until its centre's screens had
 * the new pointer and manifest (from the approve request, or from *since
 * when given: a kill before it), and that no other screen moved. 0 when
 * every screen of the centre got both and no other moved. */
static int measure_approval(const struct approval *ap, struct shared_screen *sh,
                            size_t n, const size_t *screen_centre,
                            int64_t *base_seq, bool *pick, const double *since)
{
    long long item, pl;
    char path[128], where[32];
    double *lat = calloc(n, sizeof *lat), *fet = calloc(n, sizeof *fet);
    double t0, t_resp;
    size_t nl = 0, nf = 0, i, done, at = 0, others_moved = 0;
    int rc;

    if (!lat || !fet) {
        free(lat);
        free(fet);
        return 1;
    }
    snprintf(where, sizeof where, "[%lld]", ap->centre);
    item = itest_item(ap->via, ap->member, ap->org, where, ap->title);
    pl = itest_placement(ap->via, ap->contact, item, ap->centre);
    if (!since) {
        usleep(500000);
    }
    for (i = 0; i < n; i++) {
        base_seq[i] = __atomic_load_n(&sh[i].ptr_seq, __ATOMIC_RELAXED);
        pick[i] = screen_centre[i] == ap->centre_idx;
        at += pick[i];
    }
    reset_times(sh, n);
    snprintf(path, sizeof path, "/api/v1/placements/%lld/approve", pl);
    t0 = now_ms();
    cJSON_Delete(itest_call(ap->via, ap->contact, 200, "POST", path,
                            "{\"item_version\":1}"));
    t_resp = now_ms() - t0;
    if (since) {
        t0 = *since;
    }
    done = wait_fetched(sh, n, pick, base_seq);
    usleep(500000);
    for (i = 0; i < n; i++) {
        if (pick[i] && sh[i].ptr_seq > base_seq[i]) {
            lat[nl++] = sh[i].t_ptr - t0;
        }
        if (pick[i] && sh[i].t_fetched > 0) {
            fet[nf++] = sh[i].t_fetched - t0;
        }
        others_moved += !pick[i] && sh[i].ptr_seq != base_seq[i];
    }
    qsort(lat, nl, sizeof *lat, cmp_double);
    qsort(fet, nf, sizeof *fet, cmp_double);
    printf("  %zu screens at the centre; approve request answered in "
           "%.1f ms\n",
           at, t_resp);
    printf("  times from the %s:\n", since ? "kill" : "approve request");
    printf("  pointer received: %zu of %zu; p50 %.0f ms, p99 %.0f ms, "
           "last %.0f ms\n",
           nl, at, pct(lat, nl, 0.5), pct(lat, nl, 0.99), pct(lat, nl, 1.0));
    printf("  new manifest fetched: %zu of %zu; p50 %.0f ms, p99 %.0f "
           "ms, last %.0f ms\n",
           nf, at, pct(fet, nf, 0.5), pct(fet, nf, 0.99), pct(fet, nf, 1.0));
    printf("  screens of other centres with a new pointer: %zu "
           "(expected 0)\n",
           others_moved);
    printf("  goal: pointer p99 <= 1000 ms%s: %s\n",
           since ? " (a takeover's own goal is 5 s)" : "",
           nl == at && pct(lat, nl, 0.99) <= 1000.0 ? "met" : "NOT met");
    fflush(stdout);
    rc = done != n || nl != at || others_moved != 0;
    free(lat);
    free(fet);
    return rc;
}

/* The processes this run started, ended on Ctrl-C or a kill too: a
 * benchmark stopped by hand must not leave servers, a broker and nginx
 * running (and their database connections open). */
#define MAX_CHILDREN (MAX_INSTANCES + 2 + 64)
static volatile pid_t g_children[MAX_CHILDREN];

static void child_started(pid_t pid)
{
    size_t i;

    for (i = 0; i < MAX_CHILDREN; i++) {
        if (g_children[i] == 0) {
            g_children[i] = pid;
            return;
        }
    }
}

static void on_stop_signal(int sig)
{
    size_t i;

    for (i = 0; i < MAX_CHILDREN; i++) {
        if (g_children[i] > 0) {
            kill(g_children[i], SIGTERM);
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Waits (up to 60 s) until the instance serves the manifest of the screen
 * `id` (token `token`): 200. 0 or -1. */
static int wait_manifest(struct itest_server *srv, const char *token,
                         int64_t id)
{
    struct itest_auth as;
    char path[128];
    int i;

    memset(&as, 0, sizeof as);
    snprintf(as.bearer, sizeof as.bearer, "%s", token);
    snprintf(path, sizeof path, "/api/v1/screens/screen-%lld/manifest",
             (long long)id);
    for (i = 0; i < 6000; i++) {
        struct itest_resp r;
        long status = 0;
        if (itest_req(srv, "GET", path, &as, NULL, &r) == 0) {
            status = r.status;
            itest_resp_free(&r);
        }
        if (status == 200) {
            return 0;
        }
        usleep(10000);
    }
    fprintf(stderr, "bench: no manifest of screen %lld from port %u\n",
            (long long)id, srv->port);
    return -1;
}

/* RSS of a process and its children (nginx's master and workers). */
static long rss_tree_kib(pid_t pid)
{
    char path[96], buf[512];
    long sum = rss_kib(pid);
    FILE *f;

    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid,
             (int)pid);
    f = fopen(path, "r");
    if (f) {
        if (fgets(buf, sizeof buf, f)) {
            char *p = buf, *end;
            long child;
            while ((child = strtol(p, &end, 10)) > 0 && end != p) {
                long k = rss_kib((pid_t)child);
                sum += k > 0 ? k : 0;
                p = end;
            }
        }
        fclose(f);
    }
    return sum;
}

int main(int argc, char **argv)
{
    static const char *extra[16];
    static char conf[4096], passwd[600], acl[600], pidfile[600], port[16],
        pidtext[32];
    struct itest_server srv;
    struct itest_world w;
    struct tsupport_broker broker;
    struct srv_store *st = NULL;
    struct rlimit rl;
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000;
    size_t ncentres = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 10;
    size_t nworkers = argc > 3 ? (size_t)strtoull(argv[3], NULL, 10) : 4;
    unsigned spread = argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 0;
    size_t ninst = argc > 5 ? (size_t)strtoull(argv[5], NULL, 10) : 1;
    bool tls = argc > 6 && strcmp(argv[6], "1") == 0;
    static char cafile[600], tls_conf[1600];
    int screen_mqtt_port = 0;
    struct itest_server inst[MAX_INSTANCES];
    struct tsupport_balancer lb;
    unsigned ports[MAX_INSTANCES];
    long inst_idle[MAX_INSTANCES], inst_conn[MAX_INSTANCES], lb_idle = 0,
                                                             lb_conn = 0;
    size_t lead = 0, other = 0;
    int http_port;
    int64_t *centre, *ids, *base_seq;
    size_t *screen_centre;
    char(*tokens)[TOKEN_MAX];
    struct shared_screen *sh;
    pid_t *pids;
    int *cmd;
    bool *pick;
    size_t i, done;
    long srv_idle, brk_idle, srv_conn, brk_conn;
    double t0, t_build;
    long long ovf;
    int rc = 0;

    if (n < 2 || n > 60000 || ncentres < 3 || ncentres > n || nworkers < 1 ||
        nworkers > 64 || ninst < 1 || ninst > MAX_INSTANCES ||
        (argc > 6 && !tls && strcmp(argv[6], "0") != 0)) {
        fprintf(stderr,
                "usage: %s [SCREENS 2..60000 [CENTRES 3.. [WORKERS "
                "[SPREAD_MS [INSTANCES 1..%d [TLS 0|1]]]]]]\n",
                argv[0], MAX_INSTANCES);
        return 2;
    }
    if (ninst > 1 && !tsupport_db_is_pg()) {
        fprintf(stderr, "bench: several instances share a PostgreSQL "
                        "database: set TAULU_TEST_PG_DIR (run the _pg "
                        "twin, or scripts/pg-test-cluster.sh start DIR)\n");
        return 2;
    }
    /* Each worker holds two sockets per screen; the broker and the server
     * inherit the raised limit. */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        if (2 * (n / nworkers + 1) + 64 > rl.rlim_cur ||
            n + 256 > rl.rlim_cur) {
            fprintf(stderr,
                    "bench: %zu screens in %zu workers need more than the "
                    "descriptor limit %llu: more workers\n",
                    n, nworkers, (unsigned long long)rl.rlim_cur);
            return 2;
        }
    }
    if (sodium_init() < 0 || mosquitto_lib_init() != MOSQ_ERR_SUCCESS) {
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, on_stop_signal);
    signal(SIGTERM, on_stop_signal);
    signal(SIGHUP, on_stop_signal);

    /* The broker reads the files the server writes (as pubsys.c). */
    itest_setup_dir(&srv, "bench_scale");
    snprintf(passwd, sizeof passwd, "%s/mosquitto.passwd", srv.dir);
    snprintf(acl, sizeof acl, "%s/mosquitto.acl", srv.dir);
    if (tsupport_write_file(srv.dir, "mosquitto.passwd", "") < 0 ||
        tsupport_write_file(srv.dir, "mosquitto.acl", "") < 0) {
        return 1;
    }
    tls_conf[0] = '\0';
    if (tls) {
        char ossl[2048], key[600];
        screen_mqtt_port = tsupport_free_port();
        snprintf(cafile, sizeof cafile, "%s/broker-cert.pem", srv.dir);
        snprintf(key, sizeof key, "%s/broker-key.pem", srv.dir);
        snprintf(ossl, sizeof ossl,
                 "openssl req -x509 -newkey ec -pkeyopt "
                 "ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "
                 "/CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 "
                 "-keyout '%s' -out '%s' >/dev/null 2>&1",
                 key, cafile);
        if (screen_mqtt_port < 0 || system(ossl) != 0) {
            fprintf(stderr, "bench: openssl could not make a certificate "
                            "(scripts/debian-packages.txt lists it)\n");
            return 1;
        }
        /* A listener of its own for the screens, as the broker package
         * sets up (listener options after it apply to it). */
        snprintf(tls_conf, sizeof tls_conf,
                 "listener %d 127.0.0.1\ncertfile %s\nkeyfile %s\n",
                 screen_mqtt_port, cafile, key);
    }
    snprintf(conf, sizeof conf,
             "allow_anonymous false\npassword_file %s\nacl_file %s\n%s%s",
             passwd, acl, geteuid() == 0 ? "user root\n" : "", tls_conf);
    if (tsupport_broker_start(&broker, conf) < 0) {
        return 1;
    }
    child_started(broker.proc.pid);
    snprintf(pidfile, sizeof pidfile, "%s/mosquitto.pid", srv.dir);
    snprintf(pidtext, sizeof pidtext, "%d\n", (int)broker.proc.pid);
    tsupport_write_file(srv.dir, "mosquitto.pid", pidtext);
    snprintf(port, sizeof port, "%d", broker.port);
    extra[0] = "--mqtt-host";
    extra[1] = "127.0.0.1";
    extra[2] = "--mqtt-port";
    extra[3] = port;
    extra[4] = "--mqtt-prefix";
    extra[5] = PREFIX;
    extra[6] = "--broker-passwd";
    extra[7] = passwd;
    extra[8] = "--broker-acl";
    extra[9] = acl;
    extra[10] = "--broker-pid-file";
    extra[11] = pidfile;
    extra[12] = ninst > 1 ? "--trusted-proxy" : NULL;
    extra[13] = "127.0.0.1";
    extra[14] = NULL;
    srv.extra = extra;
    itest_world_setup(&srv, &w); /* c1..c3, screen s1 at c1 */

    centre = calloc(ncentres, sizeof *centre);
    ids = calloc(n, sizeof *ids);
    base_seq = calloc(n, sizeof *base_seq);
    screen_centre = calloc(n, sizeof *screen_centre);
    tokens = calloc(n, sizeof *tokens);
    pick = calloc(n, sizeof *pick);
    pids = calloc(nworkers, sizeof *pids);
    cmd = calloc(nworkers, sizeof *cmd);
    sh = mmap(NULL, n * sizeof *sh, PROT_READ | PROT_WRITE,
              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (!centre || !ids || !base_seq || !screen_centre || !tokens || !pick ||
        !pids || !cmd || sh == MAP_FAILED) {
        return 1;
    }
    centre[0] = w.c1;
    centre[1] = w.c2;
    centre[2] = w.c3;
    for (i = 3; i < ncentres; i++) {
        cJSON *j = itest_call(&srv, &w.coord, 201, "POST", "/api/v1/centres",
                              "{\"name\":\"Sote-keskus %zu\","
                              "\"municipality\":\"564\"}",
                              i + 1);
        centre[i] = itest_int(j, "id");
        cJSON_Delete(j);
    }
    if (itest_stop(&srv) != 0) {
        return 1;
    }

    /* N - 1 screens more, straight into the store (the API would rewrite
     * the broker's files once per screen), each with a token of its own
     * and its MQTT password hash, as provisioning makes them. */
    printf("creating %zu screens at %zu centres...\n", n, ncentres);
    fflush(stdout);
    t_build = now_ms();
    ids[0] = w.s1;
    if (strlen(w.screen.bearer) != SRV_TOKEN_LEN) {
        return 1;
    }
    memcpy(tokens[0], w.screen.bearer, SRV_TOKEN_LEN + 1);
    if (srv_store_open(srv.db, 1, &st) != 0) {
        return 1;
    }
    {
        struct srv_screen *s = calloc(n, sizeof *s);
        uint8_t(*hashes)[32] = calloc(n, sizeof *hashes);
        char(*names)[40] = calloc(n, sizeof *names);
        size_t bad = 0;

        for (i = 1; i < n; i++) {
            screen_centre[i] = i % ncentres;
            snprintf(names[i], sizeof names[i], "Näyttö %zu", i);
            s[i].centre_id = centre[screen_centre[i]];
            s[i].name = names[i];
            s[i].orientation = "landscape";
            s[i].width_px = 1920;
            s[i].height_px = 1080;
            s[i].diagonal_in = 55;
            s[i].viewing_distance_m = 3;
            srv_auth_new_secret(SRV_TOKEN_SCREEN, tokens[i], TOKEN_MAX,
                                hashes[i]);
        }
        if (srv_store_screen_create_many(st, 1, s + 1, n - 1,
                                         (const uint8_t(*)[32])(hashes + 1),
                                         ids + 1, &bad) != 0) {
            fprintf(stderr, "bench: creating screens failed at %zu\n", bad);
            return 1;
        }
        for (i = 1; i < n; i++) {
            char h[SRV_MOSQ_HASH_MAX];
            if (srv_mosq_hash(tokens[i], h) != 0 ||
                srv_store_pub_set_mqtt_hash(st, ids[i], h) != 0) {
                fprintf(stderr, "bench: MQTT hash of screen %zu\n", i);
                return 1;
            }
        }
        free(s);
        free(hashes);
        free(names);
    }
    srv_store_close(st);
    printf("  in %.1f s\n", (now_ms() - t_build) / 1000.0);

    /* The server again: it builds every screen's manifest, writes the
     * broker's files and publishes every pointer. */
    t_build = now_ms();
    if (itest_start(&srv, NULL) != 0) {
        return 1;
    }
    child_started(srv.pid);
    if (wait_manifest(&srv, tokens[n - 1], ids[n - 1]) != 0) {
        return 1;
    }
    printf("server started with %zu screens: every manifest in %.1f s\n", n,
           (now_ms() - t_build) / 1000.0);
    inst[0] = srv;
    http_port = (int)srv.port;
    for (i = 1; i < ninst; i++) {
        char name[16];
        snprintf(name, sizeof name, "i%zu", i + 1);
        t_build = now_ms();
        if (itest_start_peer(&srv, &inst[i], name) != 0) {
            return 1;
        }
        child_started(inst[i].pid);
        if (wait_manifest(&inst[i], tokens[n - 1], ids[n - 1]) != 0) {
            return 1;
        }
        printf("instance %zu started: every manifest loaded in %.1f s\n", i + 1,
               (now_ms() - t_build) / 1000.0);
    }
    if (ninst > 1) {
        for (i = 0; i < ninst; i++) {
            ports[i] = inst[i].port;
            if (itest_metric(&inst[i], "infotaulu_publish_leading") == 1) {
                lead = i;
            }
        }
        other = (lead + 1) % ninst;
        if (tsupport_balancer_start(&lb, ports, ninst, n) != 0) {
            return 1;
        }
        child_started(lb.proc.pid);
        http_port = lb.port;
        printf("%zu instances behind nginx (port %d); instance %zu "
               "publishes\n",
               ninst, lb.port, lead + 1);
    }
    fflush(stdout);
    sleep(1); /* the broker's reload of the files */
    for (i = 0; i < ninst; i++) {
        inst_idle[i] = rss_kib(inst[i].pid);
    }
    srv_idle = inst_idle[0];
    lb_idle = ninst > 1 ? rss_tree_kib(lb.proc.pid) : 0;
    brk_idle = rss_kib(broker.proc.pid);

    /* The workers: screens i, i + W, i + 2W... */
    fflush(stdout);
    for (i = 0; i < nworkers; i++) {
        int pfd[2];
        if (pipe(pfd) < 0) {
            return 1;
        }
        pids[i] = fork();
        if (pids[i] == 0) {
            signal(SIGINT, SIG_DFL);
            signal(SIGTERM, SIG_DFL);
            signal(SIGHUP, SIG_DFL);
            struct worker wk;
            size_t j, k = 0;
            close(pfd[1]);
            memset(&wk, 0, sizeof wk);
            wk.sh = sh;
            wk.http_port = http_port;
            wk.mqtt_port = tls ? screen_mqtt_port : broker.port;
            wk.cafile = tls ? cafile : NULL;
            wk.spread_ms = spread;
            wk.s = calloc(n / nworkers + 1, sizeof *wk.s);
            for (j = i; j < n; j += nworkers, k++) {
                struct screen *s = &wk.s[k];
                s->idx = j;
                s->id = ids[j];
                s->token = tokens[j];
                s->fd = -1;
                snprintf(s->user, sizeof s->user, "screen-%lld",
                         (long long)ids[j]);
            }
            wk.n = k;
            worker_run(&wk, pfd[0]);
            mosquitto_lib_cleanup();
            _exit(0);
        }
        close(pfd[0]);
        cmd[i] = pfd[1];
        child_started(pids[i]);
    }

    /* (a) cold: nothing cached, every manifest a 200. */
    reset_times(sh, n);
    t0 = now_ms();
    ovf = listen_overflows();
    send_all(cmd, nworkers, 'C');
    done = wait_fetched(sh, n, NULL, NULL);
    report_storm("(a1) all connect at once, nothing cached:", sh, n, t0, done,
                 listen_overflows() - ovf);
    rc |= done != n;
    usleep(500000);
    for (i = 0; i < ninst; i++) {
        inst_conn[i] = rss_kib(inst[i].pid);
    }
    srv_conn = inst_conn[0];
    lb_conn = ninst > 1 ? rss_tree_kib(lb.proc.pid) : 0;
    brk_conn = rss_kib(broker.proc.pid);

    /* (a) warm: dropped without DISCONNECT (every last will fires), then
     * all reconnect at once holding their manifests: 304s. */
    send_all(cmd, nworkers, 'D');
    sleep(2);
    for (i = 0; i < n; i++) {
        sh[i].have_seq = 0;
    }
    reset_times(sh, n);
    t0 = now_ms();
    ovf = listen_overflows();
    send_all(cmd, nworkers, 'C');
    done = wait_fetched(sh, n, NULL, NULL);
    report_storm("(a2) all dropped (last wills), reconnect at once:", sh, n, t0,
                 done, listen_overflows() - ovf);
    rc |= done != n;

    /* (b) an approval at c1, sent to an instance that does not publish
     * when there are several. */
    {
        struct approval ap = {&inst[ninst > 1 ? other : 0],
                              &w.mem_a,
                              w.org_a,
                              &w.con_1,
                              w.c1,
                              0,
                              "Muistikahvila"};
        printf("(b) approval at one centre, sent to instance %zu%s:\n",
               (ninst > 1 ? other : 0) + 1,
               ninst > 1 ? " (not the publishing one)" : "");
        rc |= measure_approval(&ap, sh, n, screen_centre, base_seq, pick, NULL);
    }

    /* (c) memory. */
    printf("(c) memory with %zu screens (RSS, KiB):\n", n);
    printf("  server: %ld idle, %ld all connected; %.1f KiB per screen "
           "(all of it / N), %.1f (connected - idle)\n",
           srv_idle, srv_conn, (double)srv_conn / (double)n,
           (double)(srv_conn - srv_idle) / (double)n);
    for (i = 1; i < ninst; i++) {
        printf("  server instance %zu: %ld idle, %ld all connected\n", i + 1,
               inst_idle[i], inst_conn[i]);
    }
    printf("  broker: %ld idle, %ld all connected; %.1f KiB per screen "
           "(all of it / N), %.1f (connected - idle)\n",
           brk_idle, brk_conn, (double)brk_conn / (double)n,
           (double)(brk_conn - brk_idle) / (double)n);
    if (ninst > 1) {
        printf("  nginx (master and workers): %ld idle, %ld all connected; "
               "%.1f KiB per screen (connected - idle)\n",
               lb_idle, lb_conn, (double)(lb_conn - lb_idle) / (double)n);
    }
    fflush(stdout);

    /* (d) the publishing instance killed, an approval at c2 on the next. */
    if (ninst > 1) {
        struct approval ap = {&inst[other], &w.mem_a, w.org_a, &w.con_2,
                              w.c2,         1,        "Kuoro"};
        double t_kill;
        printf("(d) instance %zu (publishing) killed with %zu screens "
               "connected; approval at another centre sent to instance "
               "%zu at once:\n",
               lead + 1, n, other + 1);
        itest_kill9(&inst[lead]);
        t_kill = now_ms();
        rc |= measure_approval(&ap, sh, n, screen_centre, base_seq, pick,
                               &t_kill);
        for (i = 0; i < ninst; i++) {
            if (inst[i].pid > 0 &&
                itest_metric(&inst[i], "infotaulu_publish_leading") == 1) {
                printf("  instance %zu publishes now\n", i + 1);
            }
        }
    }

    send_all(cmd, nworkers, 'Q');
    for (i = 0; i < nworkers; i++) {
        int status = 0;
        waitpid(pids[i], &status, 0);
        close(cmd[i]);
    }
    for (i = 0; i < ninst; i++) {
        if (inst[i].pid > 0 && itest_stop(&inst[i]) != 0) {
            rc = 1;
        }
    }
    if (ninst > 1) {
        tsupport_balancer_stop(&lb);
    }
    tsupport_broker_stop(&broker);
    printf("%s\n", rc ? "INCOMPLETE" : "complete");
    munmap(sh, n * sizeof *sh);
    free(centre);
    free(ids);
    free(base_seq);
    free(screen_centre);
    free(tokens);
    free(pick);
    free(pids);
    free(cmd);
    mosquitto_lib_cleanup();
    return rc ? 1 : 0;
}
