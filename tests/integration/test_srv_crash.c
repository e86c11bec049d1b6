/*
 * test_srv_crash.c: kill -9 during writes. Several clients create and edit
 * items (each with two language versions and placements at three centres)
 * as fast as they can; the server is killed with SIGKILL at a random moment,
 * restarted, and the database must be consistent: integrity_check and
 * foreign_key_check clean, and every item whole (both texts, all three
 * placements, a snapshot of its current version). Three rounds.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "itest.h"
#include "srv_store.h"

#define WRITERS 4

static struct itest_server srv;
static struct itest_world w;
static atomic_int stop;
static atomic_long writes;
static char until[32];

static const char ITEM[] =
    "{\"organisation_id\":%lld,\"kind\":\"bulletin\",\"category\":"
    "\"toimiva-arki\",\"display_until\":\"%s\",\"centres\":[%lld,%lld,%lld],"
    "\"texts\":[{\"lang\":\"fi\",\"plain\":true,\"title\":\"Ruoka-apu %d\","
    "\"body\":\"Ruokaa jaetaan torstaisin.\"},{\"lang\":\"sv\",\"plain\":"
    "true,\"title\":\"Mathjälp %d\",\"body\":\"Mat delas ut på "
    "torsdagar.\"}]}";

static void *writer(void *arg)
{
    int n = 0;
    char body[1024], path[64];
    struct itest_resp r;

    (void)arg;
    while (!atomic_load(&stop)) {
        long long id;
        snprintf(body, sizeof(body), ITEM, w.org_a, until, w.c1, w.c2, w.c3, n,
                 n);
        n++;
        if (itest_req(&srv, "POST", "/api/v1/items", &w.mem_a, body, &r) != 0 ||
            r.status != 201) {
            itest_resp_free(&r);
            continue;
        }
        atomic_fetch_add(&writes, 1);
        id = itest_int(r.json, "id");
        itest_resp_free(&r);
        /* And an edit of it, which rewrites texts and placements. */
        snprintf(path, sizeof(path), "/api/v1/items/%lld", id);
        snprintf(body, sizeof(body),
                 "{\"version\":1,\"kind\":\"bulletin\",\"category\":"
                 "\"toimiva-arki\",\"display_until\":\"%s\",\"texts\":[{"
                 "\"lang\":\"fi\",\"plain\":true,\"title\":\"Muutettu %d\","
                 "\"body\":\"Uusi aika.\"},{\"lang\":\"sv\",\"plain\":true,"
                 "\"title\":\"Ändrad %d\",\"body\":\"Ny tid.\"}]}",
                 until, n, n);
        if (itest_req(&srv, "PUT", path, &w.mem_a, body, &r) == 0 &&
            r.status == 200) {
            atomic_fetch_add(&writes, 1);
        }
        itest_resp_free(&r);
    }
    return NULL;
}

/* Every item is whole. Returns how many there are. */
static int check_items(void)
{
    cJSON *j, *it;
    char path[96];
    int n = 0, offset = 0, got;

    do {
        snprintf(path, sizeof(path), "/api/v1/items?limit=200&offset=%d",
                 offset);
        j = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
        got = 0;
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "items"))
        {
            cJSON *texts = cJSON_GetObjectItemCaseSensitive(it, "texts");
            cJSON *snap;
            assert_int_equal(
                cJSON_GetArraySize(
                    cJSON_GetObjectItemCaseSensitive(it, "placements")),
                3);
            assert_non_null(cJSON_GetObjectItemCaseSensitive(texts, "fi"));
            assert_non_null(cJSON_GetObjectItemCaseSensitive(texts, "sv"));
            snprintf(path, sizeof(path), "/api/v1/items/%lld/versions/%lld",
                     itest_int(it, "id"), itest_int(it, "version"));
            snap = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
            cJSON_Delete(snap);
            got++;
        }
        cJSON_Delete(j);
        n += got;
        offset += got;
    } while (got == 200);
    return n;
}

static void kill9_during_writes(void **state)
{
    pthread_t th[WRITERS];
    struct srv_store *st;
    int round, i, before = 0, after;

    (void)state;
    srand((unsigned)time(NULL));
    for (round = 0; round < 3; round++) {
        struct timespec ts = {0, (300 + rand() % 500) * 1000000L};
        atomic_store(&stop, 0);
        atomic_store(&writes, 0);
        for (i = 0; i < WRITERS; i++) {
            assert_int_equal(pthread_create(&th[i], NULL, writer, NULL), 0);
        }
        nanosleep(&ts, NULL);
        itest_kill9(&srv);
        atomic_store(&stop, 1);
        for (i = 0; i < WRITERS; i++) {
            pthread_join(th[i], NULL);
        }
        fprintf(stderr, "round %d: %ld writes before SIGKILL\n", round,
                atomic_load(&writes));
        assert_true(atomic_load(&writes) > 0);

        /* The file itself, with the server down. */
        assert_int_equal(srv_store_open(srv.db, 1, &st), 0);
        assert_int_equal(srv_store_check(st), 0);
        srv_store_close(st);

        assert_int_equal(itest_start(&srv, NULL), 0);
        after = check_items();
        /* Committed items survive: never fewer than before the round. */
        assert_true(after >= before);
        before = after;
    }
    assert_int_equal(itest_stop(&srv), 0);
}

static int setup(void **state)
{
    (void)state;
    itest_setup_dir(&srv, "crash");
    itest_world_setup(&srv, &w);
    itest_iso(20 * 86400, until);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kill9_during_writes),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
