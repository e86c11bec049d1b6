/*
 * tsupport_http.c: the test HTTP file server (see tsupport_http.h).
 */
#include "tsupport_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "taulu_crypto.h"

#define MAX_LOG 8192

struct tsupport_http {
    struct MHD_Daemon *d;
    char root[1024];
    char auth[512];
    char url[64];
    int port;
    pthread_mutex_t mu;
    enum tsupport_http_fault fault;
    char fault_path[256];
    bool fault_any_path;
    int fault_count;
    int delay_ms;
    char *log[MAX_LOG];
    size_t n_log;
    unsigned not_modified;
};

struct truncated {
    char *data;
    size_t len, sent;
};

static ssize_t truncated_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct truncated *t = cls;
    size_t half = t->len / 2, n;

    if (pos >= half) {
        return MHD_CONTENT_READER_END_WITH_ERROR; /* closes mid-body */
    }
    n = half - (size_t)pos;
    if (n > max) {
        n = max;
    }
    memcpy(buf, t->data + pos, n);
    return (ssize_t)n;
}

static void truncated_free(void *cls)
{
    struct truncated *t = cls;
    free(t->data);
    free(t);
}

static enum MHD_Result answer_text(struct MHD_Connection *c, unsigned status,
                                   const char *text)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(text), (void *)(uintptr_t)text, MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret;

    if (!r) {
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "text/plain");
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static int read_file(const char *path, char **data, size_t *len)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    size_t got = 0;

    if (fd < 0) {
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    *len = (size_t)st.st_size;
    *data = malloc(*len + 1);
    if (!*data) {
        close(fd);
        return -1;
    }
    while (got < *len) {
        ssize_t n = read(fd, *data + got, *len - got);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            break;
        }
        got += (size_t)n;
    }
    close(fd);
    *len = got; /* a file that shrank meanwhile: serve what was read */
    return 0;
}

static bool etag_matches(const char *inm, const char *etag_hex)
{
    /* Accept "<hex>", <hex> and W/"<hex>", and lists of them. */
    return inm && strstr(inm, etag_hex) != NULL;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
                               const char *url, const char *method,
                               const char *version, const char *upload_data,
                               size_t *upload_data_size, void **con_cls)
{
    struct tsupport_http *h = cls;
    enum tsupport_http_fault fault = TSUPPORT_HTTP_OK;
    int delay_ms = 0;
    const char *auth, *inm;
    char path[2048], etag_hex[65], etag[70];
    char *data = NULL;
    size_t len = 0;
    struct MHD_Response *r;
    enum MHD_Result ret;

    (void)version;
    (void)upload_data;
    (void)upload_data_size;
    (void)con_cls;
    pthread_mutex_lock(&h->mu);
    if (h->n_log < MAX_LOG) {
        h->log[h->n_log++] = strdup(url);
    }
    if (h->fault != TSUPPORT_HTTP_OK && h->fault_count != 0 &&
        (h->fault_any_path || strstr(url, h->fault_path))) {
        fault = h->fault;
        delay_ms = h->delay_ms;
        if (h->fault_count > 0) {
            h->fault_count--;
        }
    }
    pthread_mutex_unlock(&h->mu);

    if (strcmp(method, "GET") != 0) {
        return answer_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "GET only\n");
    }
    auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!auth || strcmp(auth, h->auth) != 0) {
        return answer_text(c, MHD_HTTP_UNAUTHORIZED, "bad token\n");
    }
    if (fault == TSUPPORT_HTTP_500) {
        return answer_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "broken\n");
    }
    if (fault == TSUPPORT_HTTP_DELAY) {
        struct timespec ts = {delay_ms / 1000,
                              (long)(delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (strncmp(url, "/api/v1/", 8) != 0 || strstr(url, "..") ||
        snprintf(path, sizeof path, "%s%s", h->root, url) >= (int)sizeof path ||
        read_file(path, &data, &len) < 0) {
        return answer_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
    }
    taulu_sha256_hex(data, len, etag_hex);
    snprintf(etag, sizeof etag, "\"%s\"", etag_hex);
    inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    if (etag_matches(inm, etag_hex)) {
        free(data);
        pthread_mutex_lock(&h->mu);
        h->not_modified++;
        pthread_mutex_unlock(&h->mu);
        r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        if (!r) {
            return MHD_NO;
        }
        MHD_add_response_header(r, "ETag", etag);
        ret = MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED, r);
        MHD_destroy_response(r);
        return ret;
    }
    if (fault == TSUPPORT_HTTP_TRUNCATE) {
        struct truncated *t = calloc(1, sizeof *t);
        if (!t) {
            free(data);
            return MHD_NO;
        }
        t->data = data;
        t->len = len;
        r = MHD_create_response_from_callback(len, 64 * 1024, truncated_reader,
                                              t, truncated_free);
        if (!r) {
            truncated_free(t);
            return MHD_NO;
        }
    } else {
        r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
        if (!r) {
            free(data);
            return MHD_NO;
        }
    }
    MHD_add_response_header(r, "ETag", etag);
    MHD_add_response_header(r, "Content-Type", "application/octet-stream");
    ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

int tsupport_http_start(const char *root, const char *token,
                        struct tsupport_http **out)
{
    struct tsupport_http *h = calloc(1, sizeof *h);
    struct sockaddr_in sa;
    const union MHD_DaemonInfo *info;

    *out = NULL;
    if (!h || taulu_crypto_init() < 0) {
        free(h);
        return -1;
    }
    pthread_mutex_init(&h->mu, NULL);
    snprintf(h->root, sizeof h->root, "%s", root);
    snprintf(h->auth, sizeof h->auth, "Bearer %s", token);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    h->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
            MHD_USE_ERROR_LOG,
        0, NULL, NULL, handler, h, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
    if (!h->d) {
        fprintf(stderr, "tsupport_http: cannot start libmicrohttpd\n");
        pthread_mutex_destroy(&h->mu);
        free(h);
        return -1;
    }
    info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = info ? info->port : 0;
    snprintf(h->url, sizeof h->url, "http://127.0.0.1:%d", h->port);
    *out = h;
    return 0;
}

int tsupport_http_port(const struct tsupport_http *h)
{
    return h->port;
}

const char *tsupport_http_url(const struct tsupport_http *h)
{
    return h->url;
}

void tsupport_http_fault(struct tsupport_http *h, enum tsupport_http_fault f,
                         const char *path_part, int count, int delay_ms)
{
    pthread_mutex_lock(&h->mu);
    h->fault = f;
    h->fault_any_path = path_part == NULL;
    snprintf(h->fault_path, sizeof h->fault_path, "%s",
             path_part ? path_part : "");
    h->fault_count = count;
    h->delay_ms = delay_ms;
    pthread_mutex_unlock(&h->mu);
}

unsigned tsupport_http_hits(struct tsupport_http *h, const char *path_part)
{
    unsigned n = 0;

    pthread_mutex_lock(&h->mu);
    for (size_t i = 0; i < h->n_log; i++) {
        if (h->log[i] && (!path_part || strstr(h->log[i], path_part))) {
            n++;
        }
    }
    pthread_mutex_unlock(&h->mu);
    return n;
}

unsigned tsupport_http_not_modified(struct tsupport_http *h)
{
    unsigned n;

    pthread_mutex_lock(&h->mu);
    n = h->not_modified;
    pthread_mutex_unlock(&h->mu);
    return n;
}

void tsupport_http_stop(struct tsupport_http *h)
{
    if (!h) {
        return;
    }
    MHD_stop_daemon(h->d);
    for (size_t i = 0; i < h->n_log; i++) {
        free(h->log[i]);
    }
    pthread_mutex_destroy(&h->mu);
    free(h);
}
