/*
 * test_srv_preview.c: the server's preview canvases (srv_render.c): one
 * per screen profile, kept and drawn again with the same pixels as a new
 * render_headless canvas, every TTF_Init matched at srv_render_free, and
 * the HTTP workers' threads (here: threads of the test's own, as
 * libmicrohttpd's are) leave no SDL state behind when they end.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <cmocka.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include "headless.h"
#include "srv_render.h"
#include "taulu_buf.h"
#include "taulu_err.h"

#define WORKERS 4

static char fonts[1024];
/* The card of every preview here; set in setup, then only read (by the
 * workers too). */
static struct render_card walk;

static const struct render_header header = {"Tuira", "ti 1.12.", "14.05", NULL,
                                            NULL};

static struct render_card bulletin(const char *title, const char *body)
{
    struct render_card c;

    memset(&c, 0, sizeof(c));
    c.kind = RENDER_CARD_BULLETIN;
    c.lang = "fi";
    c.plain = true;
    c.title = title;
    c.body = body;
    return c;
}

static int setup(void **state)
{
    const char *src = getenv("TAULU_SOURCE_DIR");

    (void)state;
    snprintf(fonts, sizeof(fonts), "%s/fonts", src ? src : ".");
    walk = bulletin("Kävelyryhmä",
                    "Lähdemme kävelylle joka tiistai. Tule mukaan!");
    return 0;
}

static struct srv_render *new_render(void)
{
    struct srv_render *sr = NULL;

    assert_int_equal(srv_render_new(fonts, &sr), 0);
    return sr;
}

/* Page 0 of `c` on `p` as a preview PNG into `png` (emptied first). */
static void preview(struct srv_render *sr, const struct render_profile *p,
                    const struct render_card *c, struct taulu_buf *png)
{
    taulu_buf_reset(png);
    assert_int_equal(srv_render_png(sr, p, c, &header, 0, NULL, png), 0);
    assert_true(png->len > 8);
}

static void same_bytes(const struct taulu_buf *a, const struct taulu_buf *b)
{
    assert_int_equal(a->len, b->len);
    assert_memory_equal(a->data, b->data, a->len);
}

static void kept_canvas_same_pixels(void **state)
{
    struct srv_render *sr = new_render();
    struct render_profile p = {1920, 1080, 55.0, 3.0};
    struct render_card other =
        bulletin("Toimintasuunnitelma vuodelle 2025",
                 "Yhdistyksemme keskeisenä tavoitteena on edistää jäsenistön "
                 "osallisuutta, hyvinvointia ja yhdenvertaisuutta.");
    struct render_headless *h = NULL;
    struct taulu_buf first, between, again, fresh;
    const uint8_t *px;
    int w, hgt, pitch;

    (void)state;
    taulu_buf_init(&first, 16u << 20);
    taulu_buf_init(&between, 16u << 20);
    taulu_buf_init(&again, 16u << 20);
    taulu_buf_init(&fresh, 16u << 20);
    preview(sr, &p, &walk, &first);
    preview(sr, &p, &other, &between);
    assert_true(between.len != first.len ||
                memcmp(between.data, first.data, first.len) != 0);
    /* the kept canvas, drawn over another card */
    preview(sr, &p, &walk, &again);
    same_bytes(&again, &first);

    /* a new canvas of the same profile, drawn here */
    assert_int_equal(render_headless_new(fonts, &p, NULL, &h), 0);
    assert_int_equal(render_headless_draw(h, &walk, &header, 0, NULL), 0);
    render_headless_pixels(h, &px, &w, &hgt, &pitch);
    assert_int_equal(srv_png_encode(px, w, hgt, pitch, &fresh), 0);
    same_bytes(&fresh, &first);
    render_headless_free(h);

    srv_render_free(sr);
    taulu_buf_release(&first);
    taulu_buf_release(&between);
    taulu_buf_release(&again);
    taulu_buf_release(&fresh);
}

static void one_canvas_per_profile(void **state)
{
    struct srv_render *sr = new_render();
    struct render_profile a = {1280, 720, 43.0, 2.5};
    struct render_profile b = {720, 1280, 43.0, 2.5};
    struct taulu_buf png;
    int base, i;

    (void)state;
    taulu_buf_init(&png, 16u << 20);
    /* srv_render_new's own TTF_Init; each canvas makes one more. */
    base = TTF_WasInit();
    assert_true(base >= 1);
    preview(sr, &a, &walk, &png);
    assert_int_equal(TTF_WasInit(), base + 1);
    for (i = 0; i < 3; i++) {
        preview(sr, &a, &walk, &png);
    }
    assert_int_equal(TTF_WasInit(), base + 1); /* kept, not made again */
    preview(sr, &b, &walk, &png);
    assert_int_equal(TTF_WasInit(), base + 2);
    preview(sr, &a, &walk, &png);
    assert_int_equal(TTF_WasInit(), base + 2);

    /* Many profiles: a few canvases are kept, the oldest replaced. */
    for (i = 0; i < 8; i++) {
        struct render_profile p = {1280, 720, 43.0, 2.0 + 0.25 * i};
        preview(sr, &p, &walk, &png);
    }
    assert_true(TTF_WasInit() > base + 1);
    assert_true(TTF_WasInit() < base + 2 + 8);

    srv_render_free(sr);
    assert_int_equal(TTF_WasInit(), base - 1); /* all matched */
    taulu_buf_release(&png);
}

struct worker {
    pthread_t t;
    struct srv_render *sr;
    const struct render_profile *p;
    int png_rc, fit_rc;
};

/* What an HTTP worker does for a preview and a check. */
static void *work(void *arg)
{
    struct worker *w = arg;
    struct taulu_buf png;
    struct srv_fit_result f;

    taulu_buf_init(&png, 16u << 20);
    w->png_rc = srv_render_png(w->sr, w->p, &walk, &header, 0, NULL, &png);
    w->fit_rc = srv_render_fit(w->sr, w->p, &walk, &f);
    taulu_buf_release(&png);
    return NULL;
}

/* SDL frees a thread's SDL state (its error buffer, made by SDL_Init and
 * by any failure) only for threads it started; srv_render must free it
 * before it returns, or every libmicrohttpd worker that made a canvas
 * leaks it when it ends. SDL_GetNumAllocations counts what SDL holds
 * through SDL_malloc, the per-thread table among it. */
static void workers_leave_nothing(void **state)
{
    struct srv_render *sr = new_render();
    struct render_profile warm = {1280, 720, 43.0, 2.5};
    struct render_profile p[WORKERS];
    struct worker w[WORKERS];
    struct taulu_buf png;
    int before, i;

    (void)state;
    /* What SDL makes once per process is made here first. */
    taulu_buf_init(&png, 16u << 20);
    preview(sr, &warm, &walk, &png);
    taulu_buf_release(&png);
    srv_render_free(sr);
    before = SDL_GetNumAllocations();

    /* Each worker makes a canvas (SDL_Init on its thread) and checks. */
    sr = new_render();
    memset(w, 0, sizeof(w));
    for (i = 0; i < WORKERS; i++) {
        p[i] = warm;
        p[i].distance_m = 2.0 + 0.25 * i;
        w[i].sr = sr;
        w[i].p = &p[i];
        assert_int_equal(pthread_create(&w[i].t, NULL, work, &w[i]), 0);
    }
    for (i = 0; i < WORKERS; i++) {
        assert_int_equal(pthread_join(w[i].t, NULL), 0);
        assert_int_equal(w[i].png_rc, 0);
        assert_int_equal(w[i].fit_rc, 0);
    }
    srv_render_free(sr);
    assert_int_equal(SDL_GetNumAllocations(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kept_canvas_same_pixels),
        cmocka_unit_test(one_canvas_per_profile),
        cmocka_unit_test(workers_leave_nothing),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
