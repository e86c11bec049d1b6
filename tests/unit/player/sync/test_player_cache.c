/*
 * test_player_cache.c: the player's cache: atomic install and load,
 * fallback to the previous manifest, clean-up and the size bound, damaged
 * and foreign files refused, leftovers of a crash removed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "player_cache.h"
#include "sync_fixture.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_manifest.h"

static bool exists(const char *dir, const char *name)
{
    char path[1024];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

static bool asset_exists(const struct fx *f, const char *sha)
{
    char name[128];
    snprintf(name, sizeof name, "assets/%s", sha);
    return exists(f->cache, name);
}

static void flip_byte(const char *dir, const char *name, long at)
{
    char path[1024];
    struct taulu_buf b;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    taulu_buf_init(&b, 64 * 1024 * 1024);
    assert_int_equal(taulu_file_read(path, &b), 0);
    if (at < 0) {
        at += (long)b.len;
    }
    b.data[at] ^= 0x01;
    fx_write(path, b.data, b.len);
    taulu_buf_release(&b);
}

static int64_t load_seq(struct player_cache *c, const struct fx *f, int *rc,
                        char sha[65])
{
    struct taulu_manifest *m = NULL;
    int64_t seq = -1;

    *rc = player_cache_load_current(c, f->pk, FX_SCREEN, &m, sha);
    if (*rc == 0) {
        assert_non_null(m);
        seq = m->seq;
    } else {
        assert_null(m);
        assert_string_equal(sha, "");
    }
    taulu_manifest_free(m);
    return seq;
}

static void test_empty_cache(void **state)
{
    struct fx f;
    struct player_cache *c = NULL;
    char sha[65];
    int rc;

    (void)state;
    fx_init(&f, "cache-empty");
    assert_int_equal(player_cache_open(f.cache, 0, &c), 0);
    assert_int_equal(load_seq(c, &f, &rc, sha), -1);
    assert_int_equal(rc, TAULU_ENOTFOUND);
    assert_int_equal(player_cache_bytes(c), 0);
    player_cache_close(c);
    player_cache_close(NULL);
}

static void test_install_load_and_clean_up(void **state)
{
    struct fx f;
    struct fx_version v1, v2, v3;
    struct player_cache *c = NULL;
    char sha[65], path[1024];
    int rc;

    (void)state;
    fx_init(&f, "cache-install");
    fx_version(&f, &v1, 1, 3, 1000, 1);
    fx_version(&f, &v2, 2, 2, 2000, 2);
    fx_version(&f, &v3, 3, 1, 3000, 3);
    assert_int_equal(player_cache_open(f.cache, 0, &c), 0);

    fx_install(c, &v1);
    assert_int_equal(load_seq(c, &f, &rc, sha), 1);
    assert_string_equal(sha, v1.sha256);
    assert_int_equal(player_cache_bytes(c), 3000);
    assert_false(exists(f.cache, PLAYER_CACHE_PREVIOUS));

    fx_install(c, &v2);
    assert_int_equal(load_seq(c, &f, &rc, sha), 2);
    assert_string_equal(sha, v2.sha256);
    /* v1 is previous: its assets stay. */
    assert_true(exists(f.cache, PLAYER_CACHE_PREVIOUS));
    assert_true(asset_exists(&f, v1.asset_sha[0]));
    assert_int_equal(player_cache_bytes(c), 3000 + 4000);

    fx_install(c, &v3);
    assert_int_equal(load_seq(c, &f, &rc, sha), 3);
    /* v1 is gone, v2 is previous. */
    for (unsigned i = 0; i < 3; i++) {
        assert_false(asset_exists(&f, v1.asset_sha[i]));
    }
    assert_true(asset_exists(&f, v2.asset_sha[0]));
    assert_true(asset_exists(&f, v3.asset_sha[0]));
    assert_int_equal(player_cache_bytes(c), 4000 + 3000);

    assert_int_equal(
        player_cache_asset_path(c, v3.asset_sha[0], path, sizeof path), 0);
    assert_non_null(strstr(path, v3.asset_sha[0]));
    assert_int_equal(
        player_cache_asset_path(c, "../etc/passwd", path, sizeof path),
        TAULU_EINVAL);
    assert_int_equal(player_cache_asset_path(c, v3.asset_sha[0], path, 10),
                     TAULU_ELIMIT);

    /* Reopening counts the same bytes. */
    player_cache_close(c);
    assert_int_equal(player_cache_open(f.cache, 0, &c), 0);
    assert_int_equal(player_cache_bytes(c), 7000);
    assert_int_equal(load_seq(c, &f, &rc, sha), 3);
    player_cache_close(c);
    fx_version_release(&v1);
    fx_version_release(&v2);
    fx_version_release(&v3);
}

static void test_fallback_to_previous(void **state)
{
    struct fx f;
    struct fx_version v1, v2, v3;
    struct player_cache *c = NULL;
    char sha[65];
    int rc;

    (void)state;
    fx_init(&f, "cache-fallback");
    fx_version(&f, &v1, 1, 2, 500, 11);
    fx_version(&f, &v2, 2, 2, 500, 12);
    fx_version(&f, &v3, 3, 2, 500, 13);
    assert_int_equal(player_cache_open(f.cache, 0, &c), 0);
    fx_install(c, &v1);
    fx_install(c, &v2);

    /* One flipped bit in the JSON of current: the signature fails. */
    flip_byte(f.cache, PLAYER_CACHE_CURRENT, -3);
    assert_int_equal(load_seq(c, &f, &rc, sha), 1);
    assert_string_equal(sha, v1.sha256);

    /* The damaged current must not become previous on the next update. */
    fx_install(c, &v3);
    assert_int_equal(load_seq(c, &f, &rc, sha), 3);
    flip_byte(f.cache, PLAYER_CACHE_CURRENT, 40); /* in the signature */
    assert_int_equal(load_seq(c, &f, &rc, sha), 1);

    /* Both damaged: the error of current. */
    flip_byte(f.cache, PLAYER_CACHE_PREVIOUS, -3);
    assert_int_equal(load_seq(c, &f, &rc, sha), -1);
    assert_int_equal(rc, TAULU_ESIG);
    player_cache_close(c);
    fx_version_release(&v1);
    fx_version_release(&v2);
    fx_version_release(&v3);
}

static void test_damaged_asset(void **state)
{
    struct fx f;
    struct fx_version v1, v2;
    struct player_cache *c = NULL;
    char sha[65], name[128];
    int rc;

    (void)state;
    fx_init(&f, "cache-asset");
    fx_version(&f, &v1, 1, 1, 700, 21);
    fx_version(&f, &v2, 2, 2, 700, 22);
    assert_int_equal(player_cache_open(f.cache, 0, &c), 0);
    fx_install(c, &v1);
    fx_install(c, &v2);
    snprintf(name, sizeof name, "assets/%s", v2.asset_sha[1]);
    flip_byte(f.cache, name, 100);
    /* current refers to a damaged asset: previous is used and the damaged
     * file is removed so that it is fetched again. */
    assert_int_equal(load_seq(c, &f, &rc, sha), 1);
    assert_false(asset_exists(&f, v2.asset_sha[1]));
    assert_int_equal(player_cache_bytes(c), 700 + 700);

    /* A reference without a valid sha256 is refused. */
    assert_int_equal(
        player_cache_asset_check(
            c, &(struct taulu_asset_ref){.size = 700, .type = TAULU_MEDIA_PNG}),
        TAULU_EINVAL);
    player_cache_close(c);
    fx_version_release(&v1);
    fx_version_release(&v2);
}

static void test_foreign_manifests_refused(void **state)
{
    struct fx f, other;
    struct fx_version v1;
    struct player_cache *c = NULL;
    struct taulu_manifest *m = NULL;
    char sha[65];

    (void)state;
    fx_init(&f, "cache-foreign");
    fx_init(&other, "cache-foreign-key");
    fx_version(&f, &v1, 1, 1, 100, 31);
    assert_int_equal(player_cache_open(f.cache, 0, &c), 0);
    fx_install(c, &v1);
    /* Another key. */
    assert_int_equal(player_cache_load_current(c, other.pk, FX_SCREEN, &m, sha),
                     TAULU_ESIG);
    assert_null(m);
    /* Another screen. */
    assert_int_equal(player_cache_load_current(c, f.pk, "lobby-2", &m, sha),
                     TAULU_EVALUE);
    assert_null(m);
    player_cache_close(c);
    fx_version_release(&v1);
}

static void test_asset_commit_checks(void **state)
{
    struct fx f;
    struct fx_version v1;
    struct player_cache *c = NULL;
    struct taulu_asset_ref a;
    char tmp[1024];

    (void)state;
    fx_init(&f, "cache-commit");
    fx_version(&f, &v1, 1, 1, 256, 41);
    assert_int_equal(player_cache_open(f.cache, 0, &c), 0);
    memset(&a, 0, sizeof a);
    memcpy(a.sha256, v1.asset_sha[0], 65);
    a.size = 256;
    a.type = TAULU_MEDIA_PNG;

    /* Right size, but the hash the downloader computed differs. */
    assert_int_equal(player_cache_asset_tmp_path(c, tmp, sizeof tmp), 0);
    fx_write(tmp, v1.asset_data[0], 256);
    assert_int_equal(player_cache_asset_commit(
                         c, tmp, &a,
                         "0000000000000000000000000000000000000000000000000000"
                         "000000000000"),
                     TAULU_EHASH);
    assert_int_equal(access(tmp, F_OK), -1); /* removed */
    /* Wrong size. */
    assert_int_equal(player_cache_asset_tmp_path(c, tmp, sizeof tmp), 0);
    fx_write(tmp, v1.asset_data[0], 255);
    assert_int_equal(player_cache_asset_commit(c, tmp, &a, v1.asset_sha[0]),
                     TAULU_EHASH);
    assert_int_equal(player_cache_asset_check(c, &a), TAULU_ENOTFOUND);
    assert_int_equal(player_cache_bytes(c), 0);
    /* Right. */
    assert_int_equal(player_cache_asset_tmp_path(c, tmp, sizeof tmp), 0);
    fx_write(tmp, v1.asset_data[0], 256);
    assert_int_equal(player_cache_asset_commit(c, tmp, &a, v1.asset_sha[0]), 0);
    assert_int_equal(player_cache_asset_check(c, &a), 0);
    assert_int_equal(player_cache_bytes(c), 256);
    player_cache_close(c);
    fx_version_release(&v1);
}

static void test_install_needs_every_asset(void **state)
{
    struct fx f;
    struct fx_version v1;
    struct player_cache *c = NULL;
    struct taulu_manifest *m = NULL;
    const char *nl;
    char sha[65];
    int rc;

    (void)state;
    fx_init(&f, "cache-incomplete");
    fx_version(&f, &v1, 1, 2, 64, 51);
    assert_int_equal(player_cache_open(f.cache, 0, &c), 0);
    nl = memchr(v1.blob.data, '\n', v1.blob.len);
    assert_int_equal(
        taulu_manifest_parse(
            nl + 1, v1.blob.len - (size_t)(nl + 1 - v1.blob.data), &m, NULL),
        0);
    assert_int_equal(
        player_cache_install(c, v1.blob.data, v1.blob.len, m, v1.sha256),
        TAULU_ENOTFOUND);
    assert_false(exists(f.cache, PLAYER_CACHE_CURRENT));
    assert_int_equal(load_seq(c, &f, &rc, sha), -1);
    assert_int_equal(rc, TAULU_ENOTFOUND);
    taulu_manifest_free(m);
    player_cache_close(c);
    fx_version_release(&v1);
}

static void test_size_bound(void **state)
{
    struct fx f;
    struct fx_version v1, v2, big;
    struct player_cache *c = NULL;
    struct taulu_manifest *m = NULL;
    const char *nl;
    char sha[65];
    int rc;

    (void)state;
    fx_init(&f, "cache-bound");
    fx_version(&f, &v1, 1, 2, 3000, 61);  /* 6000 bytes */
    fx_version(&f, &v2, 2, 2, 3000, 62);  /* 6000 bytes */
    fx_version(&f, &big, 3, 4, 3000, 63); /* 12000 bytes */
    assert_int_equal(player_cache_open(f.cache, 10000, &c), 0);
    assert_int_equal(player_cache_max_bytes(c), 10000);
    fx_install(c, &v1);
    fx_install(c, &v2);
    /* v1 + v2 do not fit: v1's assets go, v2 stays whole. */
    assert_int_equal(player_cache_bytes(c), 6000);
    assert_false(asset_exists(&f, v1.asset_sha[0]));
    assert_int_equal(load_seq(c, &f, &rc, sha), 2);

    /* A version bigger than the bound is refused before any download. */
    nl = memchr(big.blob.data, '\n', big.blob.len);
    assert_int_equal(
        taulu_manifest_parse(
            nl + 1, big.blob.len - (size_t)(nl + 1 - big.blob.data), &m, NULL),
        0);
    assert_int_equal(player_cache_prepare(c, m), TAULU_ELIMIT);
    assert_int_equal(player_cache_bytes(c), 6000);
    taulu_manifest_free(m);
    player_cache_close(c);
    fx_version_release(&v1);
    fx_version_release(&v2);
    fx_version_release(&big);
}

static void test_leftovers_and_lock(void **state)
{
    struct fx f;
    struct fx_version v1;
    struct player_cache *c = NULL, *c2 = NULL;
    char path[1024], sha[65];
    int rc;

    (void)state;
    fx_init(&f, "cache-leftovers");
    fx_version(&f, &v1, 1, 1, 100, 71);
    assert_int_equal(player_cache_open(f.cache, 0, &c), 0);
    fx_install(c, &v1);
    /* Only one process at a time. */
    assert_int_equal(player_cache_open(f.cache, 0, &c2), TAULU_EUNAVAIL);
    assert_null(c2);
    player_cache_close(c);

    /* What a crash leaves behind. */
    snprintf(path, sizeof path, "%s/manifest.current.tmp.12345", f.cache);
    fx_write(path, "half", 4);
    snprintf(path, sizeof path, "%s/manifest.previous.tmp", f.cache);
    fx_write(path, "half", 4);
    snprintf(path, sizeof path, "%s/assets/.tmp-999-1", f.cache);
    fx_write(path, "partial download", 16);
    assert_int_equal(player_cache_open(f.cache, 0, &c), 0);
    assert_int_equal(access(path, F_OK), -1);
    snprintf(path, sizeof path, "%s/manifest.previous.tmp", f.cache);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(player_cache_bytes(c), 100);
    assert_int_equal(load_seq(c, &f, &rc, sha), 1);
    player_cache_close(c);
    fx_version_release(&v1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_cache),
        cmocka_unit_test(test_install_load_and_clean_up),
        cmocka_unit_test(test_fallback_to_previous),
        cmocka_unit_test(test_damaged_asset),
        cmocka_unit_test(test_foreign_manifests_refused),
        cmocka_unit_test(test_asset_commit_checks),
        cmocka_unit_test(test_install_needs_every_asset),
        cmocka_unit_test(test_size_bound),
        cmocka_unit_test(test_leftovers_and_lock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
