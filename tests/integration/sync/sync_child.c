/*
 * sync_child.c: a minimal player for the sync tests that need a process to
 * kill: opens the cache, loads what it has, syncs until SIGTERM (then stops
 * cleanly) or until it is killed.
 *
 *   sync_child <cache-dir> <server-url> <pk-hex> <mqtt-port|0> <poll-s>
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "player_cache.h"
#include "player_sync.h"
#include "sync_fixture.h"
#include "taulu_crypto.h"
#include "taulu_manifest.h"

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

static void on_event(void *ctx, const struct player_sync_event *ev)
{
    (void)ctx;
    if (ev->kind == PLAYER_SYNC_APPLIED) {
        printf("applied %lld %s\n", (long long)ev->seq, ev->sha256);
        fflush(stdout);
    }
}

static long parse_long(const char *s, long lo, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "sync_child: bad number %s\n", s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    struct player_cache *cache = NULL;
    struct player_sync *sync = NULL;
    struct taulu_manifest *m = NULL;
    struct player_sync_config cfg;
    uint8_t pk[32];
    char sha[65];
    int64_t seq = -1;
    long port, poll_s;

    if (argc != 6 || taulu_crypto_init() < 0 ||
        taulu_hex_decode(argv[3], pk, sizeof pk) < 0) {
        fprintf(stderr, "usage: sync_child cache url pk-hex port poll-s\n");
        return 2;
    }
    port = parse_long(argv[4], 0, 65535);
    poll_s = parse_long(argv[5], 1, 3600);
    signal(SIGTERM, on_term);
    if (player_cache_open(argv[1], 0, &cache) < 0) {
        return 1;
    }
    if (player_cache_load_current(cache, pk, FX_SCREEN, &m, sha) == 0) {
        seq = m->seq;
    }
    taulu_manifest_free(m);
    memset(&cfg, 0, sizeof cfg);
    cfg.server_url = argv[2];
    cfg.screen_id = FX_SCREEN;
    cfg.screen_token = FX_TOKEN;
    cfg.server_pk = pk;
    cfg.mqtt_host = port ? "127.0.0.1" : NULL;
    cfg.mqtt_port = (int)port;
    cfg.poll_interval_s = (int)poll_s;
    cfg.cache = cache;
    cfg.retry_min_ms = 50;
    cfg.retry_max_ms = 200;
    cfg.status_min_interval_ms = 50;
    if (player_sync_start(&cfg, seq, seq >= 0 ? sha : NULL, on_event, NULL,
                          &sync) < 0) {
        return 1;
    }
    while (!stop) {
        pause();
    }
    player_sync_stop(sync);
    player_cache_close(cache);
    return 0;
}
