/*
 * srv_metrics.c: request counters and latency histograms (srv_metrics.h).
 */
#include "srv_metrics.h"

#include <stdatomic.h>
#include <stdlib.h>

/* The status codes the server answers with; anything else is "other". */
static const unsigned codes[] = {200, 201, 204, 304, 400, 401, 403, 404,
                                 405, 409, 413, 415, 422, 429, 500, 503};
#define NCODES (sizeof(codes) / sizeof(codes[0]))

/* Latency buckets, microseconds (le). */
static const int64_t buckets[] = {250,    1000,   5000,   25000,
                                  100000, 500000, 2500000};
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct route_stats {
    atomic_uint_fast64_t by_code[NCODES + 1];
    atomic_uint_fast64_t hist[NBUCKETS + 1];
    atomic_uint_fast64_t sum_us;
    atomic_uint_fast64_t count;
};

struct srv_metrics {
    const char *const *names;
    unsigned nroutes;
    struct route_stats r[SRV_METRICS_ROUTES];
    /* connections, as the edge's sweeper last counted them */
    atomic_uint_fast64_t conn_trusted, conn_untrusted;
    atomic_uint_fast64_t conn_deadline, conn_room, conn_refused;
};

struct srv_metrics *srv_metrics_new(const char *const *names, unsigned nroutes)
{
    struct srv_metrics *m;

    if (nroutes > SRV_METRICS_ROUTES) {
        return NULL;
    }
    m = calloc(1, sizeof(*m));
    if (!m) {
        return NULL;
    }
    m->names = names;
    m->nroutes = nroutes;
    return m;
}

void srv_metrics_free(struct srv_metrics *m)
{
    free(m);
}

void srv_metrics_request(struct srv_metrics *m, unsigned route, unsigned status,
                         int64_t micros)
{
    struct route_stats *s;
    size_t i;

    if (!m || route >= m->nroutes) {
        return;
    }
    s = &m->r[route];
    for (i = 0; i < NCODES && codes[i] != status; i++) {
    }
    atomic_fetch_add_explicit(&s->by_code[i], 1, memory_order_relaxed);
    for (i = 0; i < NBUCKETS && micros > buckets[i]; i++) {
    }
    atomic_fetch_add_explicit(&s->hist[i], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->sum_us, (uint64_t)(micros > 0 ? micros : 0),
                              memory_order_relaxed);
    atomic_fetch_add_explicit(&s->count, 1, memory_order_relaxed);
}

void srv_metrics_connections(struct srv_metrics *m, unsigned trusted,
                             unsigned untrusted, uint64_t kicked_deadline,
                             uint64_t kicked_for_room, uint64_t refused)
{
    if (!m) {
        return;
    }
    atomic_store(&m->conn_trusted, trusted);
    atomic_store(&m->conn_untrusted, untrusted);
    atomic_store(&m->conn_deadline, kicked_deadline);
    atomic_store(&m->conn_room, kicked_for_room);
    atomic_store(&m->conn_refused, refused);
}

int srv_metrics_render(struct srv_metrics *m, struct taulu_buf *out,
                       uint64_t db_errors, int64_t screens_online,
                       int64_t screens_total)
{
    unsigned r;
    size_t i;
    int rc = 0;

    rc |= taulu_buf_puts(out,
                         "# HELP infotaulu_http_requests_total HTTP requests "
                         "by route and status.\n"
                         "# TYPE infotaulu_http_requests_total counter\n");
    for (r = 0; r < m->nroutes; r++) {
        for (i = 0; i <= NCODES; i++) {
            uint64_t v = atomic_load(&m->r[r].by_code[i]);
            if (!v) {
                continue;
            }
            if (i < NCODES) {
                rc |= taulu_buf_appendf(
                    out,
                    "infotaulu_http_requests_total{route=\"%s\","
                    "status=\"%u\"} %llu\n",
                    m->names[r], codes[i], (unsigned long long)v);
            } else {
                rc |= taulu_buf_appendf(
                    out,
                    "infotaulu_http_requests_total{route=\"%s\","
                    "status=\"other\"} %llu\n",
                    m->names[r], (unsigned long long)v);
            }
        }
    }
    rc |= taulu_buf_puts(out, "# HELP infotaulu_http_request_duration_seconds "
                              "Time to answer, by route.\n"
                              "# TYPE infotaulu_http_request_duration_seconds "
                              "histogram\n");
    for (r = 0; r < m->nroutes; r++) {
        uint64_t cum = 0, count = atomic_load(&m->r[r].count);
        if (!count) {
            continue;
        }
        for (i = 0; i < NBUCKETS; i++) {
            cum += atomic_load(&m->r[r].hist[i]);
            rc |= taulu_buf_appendf(
                out,
                "infotaulu_http_request_duration_seconds_bucket{route=\"%s\","
                "le=\"%g\"} %llu\n",
                m->names[r], (double)buckets[i] / 1e6, (unsigned long long)cum);
        }
        rc |= taulu_buf_appendf(
            out,
            "infotaulu_http_request_duration_seconds_bucket{route=\"%s\","
            "le=\"+Inf\"} %llu\n"
            "infotaulu_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
            "infotaulu_http_request_duration_seconds_count{route=\"%s\"} "
            "%llu\n",
            m->names[r], (unsigned long long)count, m->names[r],
            (double)atomic_load(&m->r[r].sum_us) / 1e6, m->names[r],
            (unsigned long long)count);
    }
    rc |= taulu_buf_appendf(
        out,
        "# HELP infotaulu_db_errors_total Database errors since start.\n"
        "# TYPE infotaulu_db_errors_total counter\n"
        "infotaulu_db_errors_total %llu\n"
        "# HELP infotaulu_screens_online Screens reporting online.\n"
        "# TYPE infotaulu_screens_online gauge\n"
        "infotaulu_screens_online %lld\n"
        "# HELP infotaulu_screens Screens configured.\n"
        "# TYPE infotaulu_screens gauge\n"
        "infotaulu_screens %lld\n",
        (unsigned long long)db_errors, (long long)screens_online,
        (long long)screens_total);
    rc |= taulu_buf_appendf(
        out,
        "# HELP infotaulu_http_connections Open client connections; trusted:"
        " a request on it carried a valid token or session.\n"
        "# TYPE infotaulu_http_connections gauge\n"
        "infotaulu_http_connections{kind=\"trusted\"} %llu\n"
        "infotaulu_http_connections{kind=\"untrusted\"} %llu\n"
        "# HELP infotaulu_http_connections_shed_total Connections closed"
        " by the server: past their deadline, to make room, or refused.\n"
        "# TYPE infotaulu_http_connections_shed_total counter\n"
        "infotaulu_http_connections_shed_total{reason=\"deadline\"} %llu\n"
        "infotaulu_http_connections_shed_total{reason=\"room\"} %llu\n"
        "infotaulu_http_connections_shed_total{reason=\"refused\"} %llu\n",
        (unsigned long long)atomic_load(&m->conn_trusted),
        (unsigned long long)atomic_load(&m->conn_untrusted),
        (unsigned long long)atomic_load(&m->conn_deadline),
        (unsigned long long)atomic_load(&m->conn_room),
        (unsigned long long)atomic_load(&m->conn_refused));
    return rc ? -1 : 0;
}
