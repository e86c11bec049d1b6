/*
 * test_srv_demo_fit.c: the demo content keeps its own rule, one card, one
 * page, on every demo screen. The demo is seeded into a real SQLite file
 * (srv_demo_seed), each centre's manifest content is built by the real
 * publisher backend and builder (with the soft hyphens a screen gets), and
 * every card in every language is laid out with the real fonts on every
 * screen of its centre, read as its player reads its manifest
 * (render_map_profile), on each of the next seven days (the relative day
 * labels, "Tänään" / "Huomenna" / a weekday, change the "when" row). The
 * verdict, read as both the server's gate and the player read it
 * (render_verdict_gate), must be one page; a failure names the card, the
 * screen and the day. The centres' headers must show a name whole (the
 * short form where the full one does not fit).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "../common/taulu_test_tmp.h"
#include "render_map.h"
#include "srv_auth.h"
#include "srv_demo.h"
#include "srv_manifest.h"
#include "srv_pubstore.h"
#include "srv_render.h"
#include "srv_store.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_time.h"

#include "check_hyph.h"
#include "sdl/headless.h"

static char dir[4096];
static struct srv_store *store;
static struct srv_render *sr;
static struct check_hyph *hyph;

static int setup(void **state)
{
    const char *src = getenv("TAULU_SOURCE_DIR");
    char path[4200], fonts[1024];
    int err = 0;

    (void)state;
    taulu_tz_init();
    if (srv_auth_init() != 0 ||
        taulu_test_tmp_make(dir, sizeof dir, "demofit") < 0) {
        return -1;
    }
    snprintf(path, sizeof path, "%s/demo.db", dir);
    snprintf(fonts, sizeof fonts, "%s/fonts", src ? src : ".");
    if (srv_store_open(path, 2, &store) != 0 ||
        srv_demo_seed(store, dir) != 0 || srv_render_new(fonts, &sr) != 0) {
        return -1;
    }
    hyph = check_hyph_new(NULL, &err);
    return hyph ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    check_hyph_free(hyph);
    srv_render_free(sr);
    srv_store_close(store);
    return taulu_test_tmp_remove(dir);
}

/* With TAULU_DEMO_FIT_PNG=DIR: page 1 of the card as the screen draws it,
 * into DIR/<screen id>-<card>-<version>.png, to look at. */
static void save_png(const struct render_profile *rp,
                     const struct render_card *card, const struct srv_screen *s,
                     size_t k, size_t v)
{
    struct render_header h = {"Infotaulu", "ma 7.12.", "10.00", "1 / 6", NULL};
    struct taulu_buf png;
    char path[4200];

    taulu_buf_init(&png, 64u << 20);
    if (srv_render_png(sr, rp, card, &h, 0, NULL, &png) == 0) {
        snprintf(path, sizeof path, "%s/screen%lld-card%zu-%zu.png",
                 getenv("TAULU_DEMO_FIT_PNG"), (long long)s->id, k, v);
        taulu_file_write_atomic(path, png.data, png.len, 0644);
    }
    taulu_buf_release(&png);
}

static void every_card_one_page_on_every_screen(void **state)
{
    struct srv_pubstore ps = {.store = store, .hyph = hyph};
    struct srv_pub_backend be;
    struct srv_pool pool;
    struct srv_centre *centres = NULL;
    struct srv_screen *screens = NULL;
    struct srv_scope all = {true, NULL, 0};
    struct srv_fit_result *f = malloc(sizeof *f);
    size_t nc = 0, ns = 0, c, k, v, s, laid = 0, failures = 0;
    int64_t now = taulu_now();
    int day;

    (void)state;
    assert_non_null(f);
    srv_pool_init(&pool);
    srv_pubstore_backend(&ps, &be);
    assert_int_equal(srv_store_centre_list(store, &pool, &centres, &nc), 0);
    assert_int_equal(srv_store_screen_list(store, &pool, &all, &screens, &ns),
                     0);
    assert_true(nc >= 4 && ns >= 5);
    for (day = 0; day < 7; day++) {
        int64_t at = now + (int64_t)day * 86400;
        for (c = 0; c < nc; c++) {
            struct srv_snapshot snap;
            struct taulu_manifest *m = taulu_manifest_new();
            void *holder = NULL;
            struct srv_manifest_refusals refused = {0};

            assert_non_null(m);
            assert_int_equal(
                be.load_snapshot(be.ctx, centres[c].id, at, &snap, &holder), 0);
            assert_int_equal(srv_manifest_build_content(&snap, at, m, &refused),
                             0);
            assert_int_equal(refused.n, 0); /* no demo card left out */
            srv_manifest_refusals_release(&refused);
            for (k = 0; k < m->n_cards; k++) {
                const struct taulu_card *card = &m->cards[k];
                if (!taulu_card_is_current(card, at)) {
                    continue;
                }
                for (v = 0; v < card->n_versions; v++) {
                    struct render_map_buf mb;
                    render_map_buf_init(&mb);
                    assert_int_equal(render_map_card(&mb, card,
                                                     &card->versions[v], NULL,
                                                     at, NULL),
                                     0);
                    for (s = 0; s < ns; s++) {
                        struct render_profile rp;
                        struct taulu_profile tp;
                        if (screens[s].centre_id != centres[c].id) {
                            continue;
                        }
                        srv_pubstore_screen_profile(&screens[s], &tp);
                        render_map_profile(&tp, &rp);
                        assert_int_equal(srv_render_fit(sr, &rp, &mb.card, f),
                                         0);
                        laid++;
                        if (render_verdict_gate(&f->verdict) !=
                            RENDER_GATE_ONE_PAGE) {
                            char why[512] = "";
                            if (f->verdict.n_issues > 0) {
                                render_issue_text(&f->verdict.issues[0],
                                                  &mb.card, "en", why,
                                                  sizeof why);
                            }
                            print_error("\"%s\" (%s) on \"%s\" in %d days: %s "
                                        "(%zu pages): %s\n",
                                        card->versions[v].title,
                                        card->versions[v].lang, screens[s].name,
                                        day,
                                        render_gate_name(
                                            render_verdict_gate(&f->verdict)),
                                        f->verdict.pages, why);
                            failures++;
                        }
                        if (getenv("TAULU_DEMO_FIT_PNG") && day == 0) {
                            save_png(&rp, &mb.card, &screens[s], k, v);
                        }
                    }
                    render_map_buf_release(&mb);
                }
            }
            taulu_manifest_free(m);
            be.release_snapshot(be.ctx, holder);
        }
    }
    print_message("demo: %zu layouts, %zu not one page\n", laid, failures);
    assert_true(laid > 50);
    assert_int_equal(failures, 0);
    free(f);
    srv_pool_release(&pool);
}

/* Words of s (separated by spaces). */
static size_t words_of(const char *s, size_t len)
{
    size_t i, n = 0;
    bool in = false;

    for (i = 0; i < len; i++) {
        bool sp = s[i] == ' ';
        n += !sp && !in;
        in = !sp;
    }
    return n;
}

/* Every demo centre has a short name in each of its languages, and the
 * header shows a name whole on every demo screen: every word of the full
 * name, or of the short one where the full one does not fit; never whole
 * words and "…". */
static void headers_show_a_whole_name(void **state)
{
    const char *src = getenv("TAULU_SOURCE_DIR");
    struct srv_pool pool;
    struct srv_centre *centres = NULL;
    struct srv_screen *screens = NULL;
    struct srv_scope all = {true, NULL, 0};
    struct render_card calm = {.kind = RENDER_CARD_CALM,
                               .lang = "fi",
                               .title = "Tervetuloa",
                               .body = "Juuri nyt ei ole uusia tiedotteita."};
    char fonts[1024];
    size_t nc = 0, ns = 0, c, s, l, b, shorts = 0;

    (void)state;
    snprintf(fonts, sizeof fonts, "%s/fonts", src ? src : ".");
    srv_pool_init(&pool);
    assert_int_equal(srv_store_centre_list(store, &pool, &centres, &nc), 0);
    assert_int_equal(srv_store_screen_list(store, &pool, &all, &screens, &ns),
                     0);
    for (c = 0; c < nc; c++) {
        struct taulu_centre tc;
        cJSON *langs = cJSON_Parse(centres[c].languages), *x;
        memset(&tc, 0, sizeof tc);
        cJSON_ArrayForEach(x, langs)
        {
            snprintf(tc.languages[tc.n_languages++], sizeof tc.languages[0],
                     "%s", x->valuestring);
        }
        cJSON_Delete(langs);
        srv_pubstore_centre_names(&pool, &centres[c], &tc);
        assert_int_equal(tc.n_name, tc.n_languages);
        assert_int_equal(tc.n_short_name, tc.n_languages);
        for (l = 0; l < tc.n_languages; l++) {
            for (s = 0; s < ns; s++) {
                struct render_map_header h;
                struct render_profile rp;
                struct taulu_profile tp;
                struct render_headless *hl = NULL;
                const struct render_page *pg;
                size_t full = 0, shrt = 0;

                if (screens[s].centre_id != centres[c].id) {
                    continue;
                }
                srv_pubstore_screen_profile(&screens[s], &tp);
                render_map_profile(&tp, &rp);
                render_map_header_init(&h);
                assert_int_equal(
                    render_map_header(
                        &h, render_map_centre_name(&tc, tc.languages[l]),
                        render_map_centre_short(&tc, tc.languages[l]),
                        tc.languages[l], NULL, taulu_now(), 3, 8),
                    0);
                assert_int_equal(render_headless_new(fonts, &rp, NULL, &hl), 0);
                assert_int_equal(
                    render_headless_draw(hl, &calm, &h.header, 0, NULL), 0);
                pg = render_headless_header(hl);
                for (b = 0; b < pg->n; b++) {
                    const struct render_box *bx = &pg->boxes[b];
                    size_t len = 0;
                    const char *t = render_box_text(pg, bx, &len);
                    if (bx->kind != RENDER_BOX_TEXT) {
                        continue;
                    }
                    /* never the "…" of a cut name */
                    for (size_t q = 0; q + 3 <= len; q++) {
                        assert_false(memcmp(t + q, "\xe2\x80\xa6", 3) == 0);
                    }
                    if (t >= h.centre && t < h.centre + sizeof h.centre) {
                        full += words_of(t, len);
                    } else if (t >= h.centre_short &&
                               t < h.centre_short + sizeof h.centre_short) {
                        shrt += words_of(t, len);
                    }
                }
                if (!(full == words_of(h.centre, strlen(h.centre)) &&
                      shrt == 0) &&
                    !(shrt ==
                          words_of(h.centre_short, strlen(h.centre_short)) &&
                      full == 0)) {
                    fail_msg("%s on %s: %zu of the name's words, %zu of the "
                             "short name's",
                             h.centre, screens[s].name, full, shrt);
                }
                shorts += shrt > 0;
                render_headless_free(hl);
                render_map_header_release(&h);
            }
        }
    }
    /* the narrow screens show the short names */
    print_message("demo headers: %zu with the short name\n", shorts);
    srv_pool_release(&pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_card_one_page_on_every_screen),
        cmocka_unit_test(headers_show_a_whole_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
