/*
 * test_sync_crash.c: crash safety of an update. A child process syncs a new
 * version while the test kills it with SIGKILL at a random moment, 100
 * times; after every kill the cache must open to a complete version, the
 * old or the new one, never a mix (player_cache_load_current() verifies the
 * signature and every asset's size and hash).
 *
 * SIGKILL is not a power cut (the page cache survives), so this checks the
 * order of the writes and renames; the fsyncs between them are what makes
 * the same order hold across a power cut.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "player_cache.h"
#include "sync_fixture.h"
#include "taulu_crypto.h"
#include "taulu_file.h"
#include "taulu_manifest.h"
#include "tsupport.h"
#include "tsupport_http.h"

#define ITERATIONS 100
#define N_ASSETS   4
#define ASSET_SIZE (128 * 1024)

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void sleep_us(int64_t us)
{
    struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

/* Whether manifest.current holds exactly `blob` (read while the child may
 * be writing: only complete renames are ever seen). */
static bool current_is(const struct fx *f, const struct fx_version *v)
{
    char path[700];
    struct taulu_buf b;
    bool same;

    snprintf(path, sizeof path, "%s/" PLAYER_CACHE_CURRENT, f->cache);
    taulu_buf_init(&b, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    same = taulu_file_read(path, &b) == 0 && b.len == v->blob.len &&
           memcmp(b.data, v->blob.data, b.len) == 0;
    taulu_buf_release(&b);
    return same;
}

static void spawn_child(struct tsupport_proc *p, const struct fx *f,
                        struct tsupport_http *http, const char *pk_hex,
                        const char *log)
{
    char *argv[7];
    char exe[] = SYNC_CHILD, no_mqtt[] = "0", poll_s[] = "1";

    argv[0] = exe;
    argv[1] = (char *)(uintptr_t)f->cache;
    argv[2] = (char *)(uintptr_t)tsupport_http_url(http);
    argv[3] = (char *)(uintptr_t)pk_hex;
    argv[4] = no_mqtt;
    argv[5] = poll_s;
    argv[6] = NULL;
    memset(p, 0, sizeof *p);
    assert_int_equal(tsupport_spawn(p, argv, log), 0);
}

static void test_kill9_during_sync(void **state)
{
    struct fx f;
    struct fx_version base, v;
    struct tsupport_http *http = NULL;
    struct tsupport_proc child;
    struct player_cache *c = NULL;
    char pk_hex[65], log[700];
    int64_t t0, calib_us = 0, old_seq = 1;
    unsigned got_old = 0, got_new = 0;

    (void)state;
    fx_init(&f, "crash");
    assert_int_equal(taulu_hex_encode(f.pk, 32, pk_hex, sizeof pk_hex), 0);
    snprintf(log, sizeof log, "%s/child.log", f.root);
    assert_int_equal(tsupport_http_start(f.root, FX_TOKEN, &http), 0);

    fx_version(&f, &base, 1, N_ASSETS, ASSET_SIZE, 1);
    assert_int_equal(player_cache_open(f.cache, 0, &c), 0);
    fx_install(c, &base);
    player_cache_close(c);
    fx_version_release(&base);

    /* Calibration: how long a child takes to apply a version. */
    fx_version(&f, &v, 2, N_ASSETS, ASSET_SIZE, 2);
    fx_serve(&f, &v);
    t0 = now_us();
    spawn_child(&child, &f, http, pk_hex, log);
    while (!current_is(&f, &v)) {
        assert_true(now_us() - t0 < 10 * 1000000);
        sleep_us(200);
    }
    calib_us = now_us() - t0;
    tsupport_kill9(&child);
    fx_version_release(&v);
    old_seq = 2;
    printf("a child applies %d x %d KiB in %lld us (spawn included)\n",
           N_ASSETS, ASSET_SIZE / 1024, (long long)calib_us);

    for (int i = 0; i < ITERATIONS; i++) {
        struct taulu_manifest *m = NULL;
        char sha[65];
        int64_t seq = 3 + i;
        /* Kill anywhere from before the first request to after the switch. */
        int64_t delay = (int64_t)taulu_random_uniform((uint32_t)(2 * calib_us));
        int rc;

        fx_version(&f, &v, seq, N_ASSETS, ASSET_SIZE, (unsigned)seq);
        fx_serve(&f, &v);
        spawn_child(&child, &f, http, pk_hex, log);
        sleep_us(delay);
        tsupport_kill9(&child);

        assert_int_equal(player_cache_open(f.cache, 0, &c), 0);
        rc = player_cache_load_current(c, f.pk, FX_SCREEN, &m, sha);
        if (rc != 0) {
            fprintf(stderr, "iteration %d (kill after %lld us): %d\n", i,
                    (long long)delay, rc);
        }
        assert_int_equal(rc, 0);
        if (m->seq == seq) {
            assert_string_equal(sha, v.sha256);
            got_new++;
            old_seq = seq;
        } else {
            assert_int_equal(m->seq, old_seq);
            got_old++;
        }
        taulu_manifest_free(m);
        player_cache_close(c);
        fx_version_release(&v);
    }
    printf("%d kills: %u left the old version, %u the new one\n", ITERATIONS,
           got_old, got_new);
    /* The kills landed on both sides of the switch. */
    assert_true(got_old > 0);
    assert_true(got_new > 0);
    tsupport_http_stop(http);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill9_during_sync),
    };
    if (taulu_crypto_init() < 0) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
