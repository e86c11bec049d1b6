/*
 * test_srv_ratelimit_shared.c: the sign-in limits shared through the
 * database by every server instance (srv_ratelimit_share). Two limiters on
 * two store handles of one database stand for two instances behind a load
 * balancer: a guess counts whichever one it reaches, a lock-out holds on
 * both, a burst on both at once gets exactly the allowed attempts, and a
 * success on one clears the account on the other. Runs on a SQLite file
 * and, as its _pg twin, on PostgreSQL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pthread.h>
#include <setjmp.h>
#include <cmocka.h>

#include "srv_auth.h"
#include "srv_store.h"
#include "tsupport_db.h"

static char db[600];
static struct srv_store *st_a, *st_b;
static struct srv_ratelimit *a, *b;

static int setup(void **state)
{
    const char *tmp = getenv("TAULU_TEST_TMP");
    char dir[400];

    (void)state;
    snprintf(dir, sizeof dir, "%s/rl-shared.%d", tmp ? tmp : "/tmp",
             (int)getpid());
    mkdir(tmp ? tmp : "/tmp", 0700);
    mkdir(dir, 0700);
    if (tsupport_db_target("rl_shared", dir, db, sizeof db) != 0) {
        return -1;
    }
    if (!tsupport_db_is_pg()) {
        unlink(db);
    }
    if (srv_store_open(db, 4, &st_a) != 0 || srv_store_open(db, 4, &st_b)) {
        return -1;
    }
    a = srv_ratelimit_new(3);
    b = srv_ratelimit_new(3);
    if (!a || !b) {
        return -1;
    }
    srv_ratelimit_share(a, st_a, "login_account");
    srv_ratelimit_share(b, st_b, "login_account");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    srv_ratelimit_free(a);
    srv_ratelimit_free(b);
    srv_store_close(st_a);
    srv_store_close(st_b);
    return 0;
}

/* Three guesses spread over both instances lock the account on both. */
static void guesses_count_on_every_instance(void **state)
{
    (void)state;
    assert_int_equal(srv_ratelimit_begin(a, "aino@yhdistys.fi", 0), 0);
    assert_int_equal(srv_ratelimit_begin(b, "aino@yhdistys.fi", 0), 0);
    assert_int_equal(srv_ratelimit_wait(a, "aino@yhdistys.fi", 0), 0);
    assert_int_equal(srv_ratelimit_begin(a, "aino@yhdistys.fi", 0), 0);
    /* the third failure starts the first lock-out, seen by both */
    assert_true(srv_ratelimit_wait(b, "aino@yhdistys.fi", 0) > 20);
    assert_true(srv_ratelimit_wait(a, "aino@yhdistys.fi", 0) > 20);
    assert_true(srv_ratelimit_begin(b, "aino@yhdistys.fi", 0) > 20);
    /* another account is not touched */
    assert_int_equal(srv_ratelimit_wait(b, "eino@yhdistys.fi", 0), 0);
    /* the right password on one: the account is free on both */
    srv_ratelimit_clear(a, "aino@yhdistys.fi");
    assert_int_equal(srv_ratelimit_wait(b, "aino@yhdistys.fi", 0), 0);
    assert_int_equal(srv_ratelimit_begin(b, "aino@yhdistys.fi", 0), 0);
    /* an attempt taken back (it succeeded) is not counted */
    srv_ratelimit_undo(a, "aino@yhdistys.fi");
    assert_int_equal(srv_ratelimit_begin(a, "aino@yhdistys.fi", 0), 0);
    assert_int_equal(srv_ratelimit_begin(b, "aino@yhdistys.fi", 0), 0);
    assert_int_equal(srv_ratelimit_wait(a, "aino@yhdistys.fi", 0), 0);
    srv_ratelimit_clear(b, "aino@yhdistys.fi");
}

struct burst {
    struct srv_ratelimit *rl;
    int allowed;
};

static void *guess(void *arg)
{
    struct burst *x = arg;
    int i;

    for (i = 0; i < 10; i++) {
        if (srv_ratelimit_begin(x->rl, "leena@seurakunta.fi", 0) == 0) {
            x->allowed++;
        }
    }
    return NULL;
}

/* Eight threads, four on each instance, 80 guesses at once: exactly the
 * three allowed are tried, not three per instance or per thread. */
static void a_burst_gets_exactly_the_limit(void **state)
{
    struct burst x[8];
    pthread_t t[8];
    int i, allowed = 0;

    (void)state;
    for (i = 0; i < 8; i++) {
        x[i].rl = i % 2 ? a : b;
        x[i].allowed = 0;
        assert_int_equal(pthread_create(&t[i], NULL, guess, &x[i]), 0);
    }
    for (i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        allowed += x[i].allowed;
    }
    assert_int_equal(allowed, 3);
    assert_true(srv_ratelimit_wait(a, "leena@seurakunta.fi", 0) > 0);
}

/* Not shared: each process counts alone (one instance, the default). */
static void unshared_counts_alone(void **state)
{
    struct srv_ratelimit *c = srv_ratelimit_new(2), *d = srv_ratelimit_new(2);

    (void)state;
    assert_int_equal(srv_ratelimit_begin(c, "x@y.fi", 100), 0);
    assert_int_equal(srv_ratelimit_begin(c, "x@y.fi", 100), 0);
    assert_true(srv_ratelimit_wait(c, "x@y.fi", 100) > 0);
    assert_int_equal(srv_ratelimit_wait(d, "x@y.fi", 100), 0);
    srv_ratelimit_free(c);
    srv_ratelimit_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(guesses_count_on_every_instance),
        cmocka_unit_test(a_burst_gets_exactly_the_limit),
        cmocka_unit_test(unshared_counts_alone),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
