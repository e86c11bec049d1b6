/*
 * srv_metrics.h: counters for /metrics (Prometheus text format 0.0.4).
 *
 * Requests are counted by route (the route table's index, plus "static"
 * and "unmatched") and status code, with a latency histogram per route.
 * Counters are lock-free atomics, so counting costs a few nanoseconds on
 * the hot path.
 */
#ifndef SRV_METRICS_H
#define SRV_METRICS_H

#include <stdint.h>

#include "taulu_buf.h"

#define SRV_METRICS_ROUTES 96

struct srv_metrics;

/* `names[i]` labels route i (borrowed; must outlive the metrics). */
struct srv_metrics *srv_metrics_new(const char *const *names, unsigned nroutes);
void srv_metrics_free(struct srv_metrics *m);

void srv_metrics_request(struct srv_metrics *m, unsigned route, unsigned status,
                         int64_t micros);

/* The edge's connection counts (srv_conn.h), shown as gauges and
 * counters. */
void srv_metrics_connections(struct srv_metrics *m, unsigned trusted,
                             unsigned untrusted, uint64_t kicked_deadline,
                             uint64_t kicked_for_room, uint64_t refused);

/* Appends the text exposition; the caller adds gauges it knows (db errors,
 * screens online) through the arguments. */
int srv_metrics_render(struct srv_metrics *m, struct taulu_buf *out,
                       uint64_t db_errors, int64_t screens_online,
                       int64_t screens_total);

#endif
