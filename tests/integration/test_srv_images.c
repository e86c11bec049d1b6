/*
 * test_srv_images.c: hostile image uploads against the real server, and
 * its memory while many arrive at once.
 *
 * One by one: tiny files claiming 6000 x 6000 pixels (baseline and
 * progressive JPEG, PNG), a JPEG cut in its scan with an EOI put back, a
 * PNG cut in its pixel data under valid checksums, and one claiming
 * 100000 x 100000 are all 422 with their codes; a 36-megapixel PNG of
 * zeros (140 KB) is stored at 1920 x 1920.
 *
 * Then eight heavy uploads at once (36-megapixel JPEGs, a progressive
 * 24-megapixel one, PNG bombs plain and interlaced): each is stored or,
 * when every decoding slot and the decode memory stay taken for its
 * wait, answered 503 image_busy with Retry-After; and the server's
 * resident memory, sampled throughout, grows by far less than the
 * decoders would need for whole pictures (the outside battery saw
 * 960 MB for four). Under AddressSanitizer, whose quarantine holds freed
 * memory, the figure is printed but not checked.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "imgmake.h"
#include "itest.h"

static struct itest_server srv;
static struct itest_world w;

/* A side of the big pictures: under AddressSanitizer (an unoptimised
 * build whose server decodes many times slower) a third of it, so that
 * uploads finish within the client's timeout; the sizes still need
 * scaling and the same code paths. */
static int side(int n)
{
    return getenv("ASAN_OPTIONS") ? n / 3 : n;
}

static int setup(void **state)
{
    (void)state;
    itest_setup_dir(&srv, "srv_images");
    itest_world_setup(&srv, &w);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    itest_kill9(&srv);
    return 0;
}

static long upload(const struct imgmake_buf *b, const char *type,
                   struct itest_resp *r)
{
    assert_int_equal(itest_req_raw(&srv, "POST", "/api/v1/images", &w.mem_a,
                                   (const char *)b->data, b->len, type, r),
                     0);
    return r->status;
}

static void expect(const struct imgmake_buf *b, const char *type, long status,
                   const char *code, const char *what)
{
    struct itest_resp r;

    upload(b, type, &r);
    printf("  %s (%zu bytes): %ld %s\n", what, b->len, r.status,
           r.body ? r.body : "");
    assert_int_equal(r.status, status);
    if (code) {
        const cJSON *err = cJSON_GetObjectItem(r.json, "error");
        assert_string_equal(itest_str(err, "code"), code);
    }
    itest_resp_free(&r);
}

static void hostile_one_by_one(void **state)
{
    struct imgmake_buf b;

    (void)state;
    assert_int_equal(imgmake_jpeg(16, 16, 3, 1, 0, 0, IMG_GRADIENT, 75, &b), 0);
    assert_int_equal(imgmake_jpeg_claim(&b, 6000, 6000), 0);
    expect(&b, "image/jpeg", 422, "image_corrupt", "JPEG claiming 6000x6000");
    imgmake_free(&b);

    assert_int_equal(imgmake_jpeg(16, 16, 3, 1, 1, 0, IMG_GRADIENT, 75, &b), 0);
    assert_int_equal(imgmake_jpeg_claim(&b, 6000, 6000), 0);
    expect(&b, "image/jpeg", 422, "image_corrupt",
           "progressive JPEG claiming 6000x6000");
    imgmake_free(&b);

    assert_int_equal(imgmake_png(16, 16, 6, 8, 0, IMG_ZERO, &b), 0);
    assert_int_equal(imgmake_png_claim(&b, 6000, 6000), 0);
    expect(&b, "image/png", 422, "image_corrupt", "PNG claiming 6000x6000");
    imgmake_free(&b);

    assert_int_equal(imgmake_png(16, 16, 6, 8, 0, IMG_ZERO, &b), 0);
    assert_int_equal(imgmake_png_claim(&b, 100000, 100000), 0);
    expect(&b, "image/png", 422, "image_too_many_pixels",
           "PNG claiming 100000x100000");
    imgmake_free(&b);

    assert_int_equal(imgmake_jpeg(800, 600, 3, 1, 0, 0, IMG_GRADIENT, 90, &b),
                     0);
    assert_int_equal(imgmake_jpeg_cut(&b, 0.6), 0);
    expect(&b, "image/jpeg", 422, "image_corrupt", "JPEG cut, EOI put back");
    imgmake_free(&b);

    assert_int_equal(imgmake_png(300, 300, 2, 8, 0, IMG_GRADIENT, &b), 0);
    assert_int_equal(imgmake_png_cut(&b, 0.5), 0);
    expect(&b, "image/png", 422, "image_corrupt", "PNG cut in its pixels");
    imgmake_free(&b);

    assert_int_equal(imgmake_png(side(6000), side(6000), 6, 8, 0, IMG_ZERO, &b),
                     0);
    expect(&b, "image/png", 201, NULL, "big PNG of zeros");
    imgmake_free(&b);
}

/* Resident and peak memory of the server, kB. */
static void server_memory(long *rss, long *hwm)
{
    char path[64], line[256];
    FILE *f;

    snprintf(path, sizeof path, "/proc/%d/status", (int)srv.pid);
    f = fopen(path, "r");
    assert_non_null(f);
    *rss = *hwm = 0;
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "VmRSS: %ld", rss);
        sscanf(line, "VmHWM: %ld", hwm);
    }
    fclose(f);
}

#define HEAVY 8 /* under AddressSanitizer 4: see heavy() */

struct job {
    const struct imgmake_buf *b;
    const char *type;
    long status;
    int retry_after, busy_code;
    pthread_barrier_t *go;
};

static atomic_int sampling;
static long peak_rss;

static void *sampler(void *arg)
{
    (void)arg;
    while (atomic_load(&sampling)) {
        long rss, hwm;
        server_memory(&rss, &hwm);
        if (rss > peak_rss) {
            peak_rss = rss;
        }
        usleep(20 * 1000);
    }
    return NULL;
}

/* On a thread of its own: records what came back (cmocka's asserts work
 * on the main thread only). */
static void *send_job(void *arg)
{
    struct job *j = arg;
    struct itest_resp r;

    pthread_barrier_wait(j->go);
    if (itest_req_raw(&srv, "POST", "/api/v1/images", &w.mem_a,
                      (const char *)j->b->data, j->b->len, j->type, &r) != 0) {
        r.status = 0; /* no answer */
    }
    j->status = r.status;
    j->retry_after = r.headers && strstr(r.headers, "Retry-After:") != NULL;
    if (r.status == 503) {
        const cJSON *err = cJSON_GetObjectItem(r.json, "error");
        const char *code = err ? itest_str(err, "code") : NULL;
        j->busy_code = code && strcmp(code, "image_busy") == 0;
    }
    itest_resp_free(&r);
    return NULL;
}

/* How many heavy uploads at once: under AddressSanitizer, whose server
 * decodes many times slower on threads that each block their other
 * connections meanwhile, four (one of each), so that all are answered
 * within the client's 30 s. */
static int heavy(void)
{
    return getenv("ASAN_OPTIONS") ? 4 : HEAVY;
}

static void heavy_in_parallel(void **state)
{
    struct imgmake_buf big, prog, bomb, ibomb;
    struct job jobs[HEAVY];
    pthread_t t[HEAVY], smp;
    pthread_barrier_t go;
    long base, hwm, grew;
    int i, stored = 0, busy = 0;
    const char *asan = getenv("ASAN_OPTIONS");

    (void)state;
    assert_int_equal(imgmake_jpeg(side(6000), side(6000), 3, 1, 0, 0,
                                  IMG_GRADIENT, 40, &big),
                     0);
    assert_int_equal(imgmake_jpeg(side(6000), side(4000), 3, 1, 1, 0,
                                  IMG_GRADIENT, 40, &prog),
                     0);
    assert_int_equal(
        imgmake_png(side(6000), side(6000), 6, 8, 0, IMG_ZERO, &bomb), 0);
    assert_int_equal(
        imgmake_png(side(6000), side(6000), 6, 8, 1, IMG_ZERO, &ibomb), 0);
    printf("  heavy files (side %d): JPEG %zu bytes, progressive %zu, "
           "PNG bombs %zu and %zu (interlaced)\n",
           side(6000), big.len, prog.len, bomb.len, ibomb.len);
    server_memory(&base, &hwm);
    peak_rss = base;
    pthread_barrier_init(&go, NULL, (unsigned)heavy());
    for (i = 0; i < heavy(); i++) {
        const struct imgmake_buf *const which[4] = {&big, &prog, &bomb, &ibomb};
        jobs[i].b = which[i % 4];
        jobs[i].type = i % 4 < 2 ? "image/jpeg" : "image/png";
        jobs[i].go = &go;
        jobs[i].status = 0;
        jobs[i].retry_after = jobs[i].busy_code = 0;
    }
    atomic_store(&sampling, 1);
    assert_int_equal(pthread_create(&smp, NULL, sampler, NULL), 0);
    for (i = 0; i < heavy(); i++) {
        assert_int_equal(pthread_create(&t[i], NULL, send_job, &jobs[i]), 0);
    }
    for (i = 0; i < heavy(); i++) {
        pthread_join(t[i], NULL);
    }
    atomic_store(&sampling, 0);
    pthread_join(smp, NULL);
    pthread_barrier_destroy(&go);
    server_memory(&hwm, &hwm);
    for (i = 0; i < heavy(); i++) {
        if (jobs[i].status == 201 || jobs[i].status == 200) {
            stored++;
        } else if (jobs[i].status == 503) {
            assert_true(jobs[i].retry_after);
            assert_true(jobs[i].busy_code);
            busy++;
        } else {
            fail_msg("upload %d answered %ld", i, jobs[i].status);
        }
    }
    grew = (peak_rss > hwm ? peak_rss : hwm) - base;
    printf("  %d heavy uploads at once: %d stored, %d busy (503); server "
           "RSS %ld MB before, peak %ld MB: grew by %ld MB\n",
           heavy(), stored, busy, base / 1024, (base + grew) / 1024,
           grew / 1024);
    assert_true(stored >= 2);
    if (asan) {
        printf("  (AddressSanitizer: memory not checked)\n");
    } else {
        /* the decode budget (256 MiB) and the bodies in flight */
        assert_true(grew < 400 * 1024);
    }
    imgmake_free(&big);
    imgmake_free(&prog);
    imgmake_free(&bomb);
    imgmake_free(&ibomb);
}

static void clean_stop(void **state)
{
    (void)state;
    assert_int_equal(itest_stop(&srv), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostile_one_by_one),
        cmocka_unit_test(heavy_in_parallel),
        cmocka_unit_test(clean_stop),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
