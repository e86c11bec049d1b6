/*
 * test_player_e2e.c: runs the real infotaulu-player binary, headless.
 *
 *  - headless shots: a manifest built with common/taulu_manifest, signed,
 *    written; the PNG exists, has the profile's size, and differs between
 *    two instants where an event has ended in between;
 *  - offline start: a cache with a signed manifest, no broker, no server:
 *    the first frame of the real loop (--frames) shows the cached content,
 *    pixel for pixel what a shot of the same manifest at the same instant
 *    shows (read through the sync library's cache);
 *  - a card change in the real loop (--frames): the cross-fade blends only
 *    the pixels where the two cards differ, composes no whole frame while
 *    it runs, takes at most fade_ms / 50 ms + 1 steps, and ends on the new
 *    card pixel for pixel as a shot of it (the guard on the cheap fade:
 *    counters from the player's debug log, not timings);
 *  - both also guard the loop's start-up path: its first card is drawn
 *    straight onto the output and the card texture is made only after
 *    that frame (player_compose_keep_card); a texture left without the
 *    card would make the fade blend the whole card area and leave the old
 *    text behind;
 *  - a clock 64 years ahead: the card that says the clock is wrong, not
 *    "nothing new";
 *  - --check-config on a broken file: file:line, non-zero exit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "taulu_buf.h"
#include "taulu_crypto.h"
#include "taulu_file.h"
#include "taulu_manifest.h"
#include "taulu_recur.h"
#include "taulu_time.h"

static char dir[512];

/* Runs the player with args; stdout+stderr to dir/<log>. Exit status. */
static int run(const char *log, const char *const args[])
{
    char *argv[32];
    char logpath[768];
    size_t n = 0;
    pid_t pid;
    int status = -1;

    argv[n++] = strdup(PLAYER_BIN);
    while (*args && n < 31) {
        argv[n++] = strdup(*args++);
    }
    argv[n] = NULL;
    snprintf(logpath, sizeof logpath, "%s/%s", dir, log);
    pid = fork();
    if (pid == 0) {
        FILE *f = freopen(logpath, "w", stdout);

        if (!f || dup2(fileno(stdout), 2) < 0) {
            _exit(127);
        }
        execv(PLAYER_BIN, argv);
        _exit(127);
    }
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    while (n > 0) {
        free(argv[--n]);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int write_text(const char *p, const char *text)
{
    return taulu_file_write_atomic(p, text, strlen(text), 0644);
}

static void path(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

/* Width and height from a PNG's IHDR. */
static void png_size(const char *p, int *w, int *h)
{
    struct taulu_buf b;
    const unsigned char *d;

    taulu_buf_init(&b, 64 * 1024 * 1024);
    assert_int_equal(taulu_file_read(p, &b), 0);
    assert_true(b.len > 24);
    d = (const unsigned char *)b.data;
    assert_memory_equal(d, "\x89PNG", 4);
    *w = (d[16] << 24) | (d[17] << 16) | (d[18] << 8) | d[19];
    *h = (d[20] << 24) | (d[21] << 16) | (d[22] << 8) | d[23];
    taulu_buf_release(&b);
}

static int same_file(const char *a, const char *b)
{
    struct taulu_buf x, y;
    int same;

    taulu_buf_init(&x, 64 * 1024 * 1024);
    taulu_buf_init(&y, 64 * 1024 * 1024);
    assert_int_equal(taulu_file_read(a, &x), 0);
    assert_int_equal(taulu_file_read(b, &y), 0);
    same = x.len == y.len && memcmp(x.data, y.data, x.len) == 0;
    taulu_buf_release(&x);
    taulu_buf_release(&y);
    return same;
}

static int64_t hel(int d, int h, int mi)
{
    int64_t t = 0;

    assert_int_equal(
        taulu_time_from_civil(&taulu_tz_helsinki, 2026, 11, d, h, mi, 0, &t),
        0);
    return t;
}

/* Scenario 1's memory café (14-16 on 24.11.) and a bulletin, signed.
 * Writes server.pub, manifest.signed and a cache in cache/. */
static void write_manifest(void)
{
    uint8_t pk[TAULU_SIGN_PK_LEN], sk[TAULU_SIGN_SK_LEN];
    struct taulu_manifest *m = taulu_manifest_new();
    struct taulu_card_version *v;
    struct taulu_buf json, blob, why;
    char p[768];

    assert_non_null(m);
    taulu_sign_keypair(pk, sk);
    m->screen_id = "tuira-1";
    m->seq = 3;
    m->built_at = hel(20, 12, 0);
    m->centre.id = "tuira";
    memcpy(m->centre.name[0].lang, "fi", 3);
    m->centre.name[0].text = "Tuiran hyvinvointikeskus";
    m->centre.n_name = 1;
    m->centre.timezone = "Europe/Helsinki";
    memcpy(m->centre.languages[0], "fi", 3);
    m->centre.n_languages = 1;
    m->profile.width_px = 1280;
    m->profile.height_px = 720;
    m->profile.orientation = TAULU_LANDSCAPE;
    m->profile.diagonal_in_x10 = 430;
    m->profile.distance_mm = 2500;
    m->cards = taulu_manifest_alloc(m, 2 * sizeof m->cards[0]);
    v = taulu_manifest_alloc(m, 2 * sizeof *v);
    assert_non_null(m->cards);
    assert_non_null(v);
    m->n_cards = 2;
    m->cards[0].id = "muistikahvila";
    m->cards[0].kind = TAULU_CARD_EVENT;
    m->cards[0].category = TAULU_CATEGORY_RELATIONSHIPS;
    m->cards[0].org = "Muistiyhdistys";
    m->cards[0].display_from = hel(20, 0, 0);
    m->cards[0].display_until = hel(25, 0, 0);
    m->cards[0].has_event = true;
    m->cards[0].event.start = hel(24, 14, 0);
    m->cards[0].event.end = hel(24, 16, 0);
    m->cards[0].event.free = TAULU_FLAG_YES;
    m->cards[0].event.step_free = TAULU_FLAG_YES;
    m->cards[0].versions = &v[0];
    m->cards[0].n_versions = 1;
    memcpy(v[0].lang, "fi", 3);
    v[0].title = "Muistikahvila";
    v[0].body = "Tule juttelemaan ja juomaan kahvia.\nVoit tuoda läheisen "
                "mukaan.";
    v[0].place = "Seurakuntatalo";
    m->cards[1].id = "ruokapankki";
    m->cards[1].kind = TAULU_CARD_BULLETIN;
    m->cards[1].category = TAULU_CATEGORY_LIVELIHOOD;
    m->cards[1].org = "Ruokapankki";
    m->cards[1].display_from = hel(20, 0, 0);
    m->cards[1].display_until = hel(30, 0, 0);
    m->cards[1].versions = &v[1];
    m->cards[1].n_versions = 1;
    memcpy(v[1].lang, "fi", 3);
    v[1].title = "Ruokapankki on auki";
    v[1].body = "Ruoka-apua jaetaan tiistaisin.";

    taulu_buf_init(&json, TAULU_MANIFEST_MAX_BYTES);
    taulu_buf_init(&blob, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    taulu_buf_init(&why, 4096);
    if (taulu_manifest_write(m, &json) < 0) {
        taulu_manifest_validate(m, &why);
        fail_msg("manifest: %s", why.data);
    }
    assert_int_equal(taulu_manifest_sign(json.data, json.len, sk, &blob), 0);
    path(p, sizeof p, "server.pub");
    assert_int_equal(taulu_write_public_key(p, pk), 0);
    path(p, sizeof p, "manifest.signed");
    assert_int_equal(taulu_file_write_atomic(p, blob.data, blob.len, 0644), 0);
    path(p, sizeof p, "cache");
    assert_int_equal(taulu_mkdir_p(p, 0755), 0);
    path(p, sizeof p, "cache/assets");
    assert_int_equal(taulu_mkdir_p(p, 0755), 0);
    path(p, sizeof p, "cache/manifest.current");
    assert_int_equal(taulu_file_write_atomic(p, blob.data, blob.len, 0644), 0);
    taulu_buf_release(&json);
    taulu_buf_release(&blob);
    taulu_buf_release(&why);
    taulu_wipe(sk, sizeof sk);
    taulu_manifest_free(m);
}

static int setup(void **state)
{
    const char *base = getenv("TAULU_TEST_TMP");

    (void)state;
    if (taulu_crypto_init() < 0) {
        return -1;
    }
    snprintf(dir, sizeof dir, "%s/player-e2e-%ld", base ? base : "/tmp",
             (long)getpid());
    if (taulu_mkdir_p(dir, 0755) < 0) {
        return -1;
    }
    write_manifest();
    return 0;
}

static void test_headless_shots(void **state)
{
    char man[768], pub[768], pkarg[800], a[768], b[768], c[768];
    int w = 0, h = 0;

    (void)state;
    path(man, sizeof man, "manifest.signed");
    path(pub, sizeof pub, "server.pub");
    snprintf(pkarg, sizeof pkarg, "--server_pk_file=%s", pub);
    path(a, sizeof a, "at-15.png");
    path(b, sizeof b, "at-1630.png");
    path(c, sizeof c, "portrait.png");
    {
        /* 15.00 local: the café is on (agenda first) */
        const char *args[] = {"--headless",
                              "--manifest",
                              man,
                              "--at",
                              "2026-11-24T13:00:00Z",
                              "--out",
                              a,
                              pkarg,
                              NULL};
        assert_int_equal(run("shot-a.log", args), 0);
    }
    {
        /* 16.30 local: it has ended; only the bulletin is left */
        const char *args[] = {"--headless",
                              "--manifest",
                              man,
                              "--at",
                              "2026-11-24T14:30:00Z",
                              "--out",
                              b,
                              pkarg,
                              NULL};
        assert_int_equal(run("shot-b.log", args), 0);
    }
    png_size(a, &w, &h);
    assert_int_equal(w, 1280); /* the manifest's profile */
    assert_int_equal(h, 720);
    png_size(b, &w, &h);
    assert_int_equal(w, 1280);
    assert_false(same_file(a, b));
    {
        const char *args[] = {"--headless",
                              "--manifest",
                              man,
                              "--at",
                              "2026-11-24T13:00:00Z",
                              "--out",
                              c,
                              "--profile",
                              "1080x1920",
                              "--card",
                              "2",
                              pkarg,
                              NULL};
        assert_int_equal(run("shot-c.log", args), 0);
    }
    png_size(c, &w, &h);
    assert_int_equal(w, 1080);
    assert_int_equal(h, 1920);
    {
        /* unsigned by our key: refused, non-zero */
        static const char wrong[] =
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        char wp[768], wa[800];

        path(wp, sizeof wp, "wrong.pub");
        assert_int_equal(write_text(wp, wrong), 0);
        snprintf(wa, sizeof wa, "--server_pk_file=%s", wp);
        {
            const char *args[] = {"--headless", "--manifest", man, "--out", a,
                                  wa,           NULL};
            assert_int_not_equal(run("shot-wrong.log", args), 0);
        }
    }
}

static void test_offline_start(void **state)
{
    char man[768], pub[768], frames[768], cache[768], shot[768], first[768];
    char pkarg[800], cachearg[800];

    (void)state;
    path(man, sizeof man, "manifest.signed");
    path(pub, sizeof pub, "server.pub");
    path(frames, sizeof frames, "frames");
    path(cache, sizeof cache, "cache");
    path(shot, sizeof shot, "offline-shot.png");
    path(first, sizeof first, "frames/frame-0001.png");
    assert_int_equal(taulu_mkdir_p(frames, 0755), 0);
    snprintf(pkarg, sizeof pkarg, "--server_pk_file=%s", pub);
    snprintf(cachearg, sizeof cachearg, "--cache_dir=%s", cache);
    {
        /* no server_url, no broker: the cache is all there is */
        const char *args[] = {"--headless",
                              "--frames",
                              frames,
                              "--seconds",
                              "2",
                              "--at",
                              "2026-11-24T13:00:00Z",
                              pkarg,
                              cachearg,
                              "--screen_id=tuira-1",
                              NULL};
        assert_int_equal(run("offline.log", args), 0);
    }
    {
        const char *args[] = {
            "--headless", "--manifest", man,   "--at", "2026-11-24T13:00:00Z",
            "--out",      shot,         pkarg, NULL};
        assert_int_equal(run("offline-shot.log", args), 0);
    }
    assert_true(same_file(first, shot));
}

static void test_fade(void **state)
{
    char man[768], pub[768], frames[768], shot[768], second[768], logp[768];
    char pkarg[800];
    unsigned frames_n = 0, rects = 0, full = 0;
    unsigned long long blended = 0, per_frame = 0;
    struct taulu_buf log;
    const char *line;

    (void)state;
    path(man, sizeof man, "manifest.signed");
    path(pub, sizeof pub, "server.pub");
    path(frames, sizeof frames, "fade-frames");
    path(shot, sizeof shot, "fade-shot.png");
    path(second, sizeof second, "fade-frames/frame-0002.png");
    path(logp, sizeof logp, "fade.log");
    assert_int_equal(taulu_mkdir_p(frames, 0755), 0);
    snprintf(pkarg, sizeof pkarg, "--server_pk_file=%s", pub);
    {
        /* 15.00 local: the agenda (8 s, the shortest dwell), then the
         * café; one change with its 800 ms fade within 10.5 s */
        const char *args[] = {"--headless",
                              "--frames",
                              frames,
                              "--seconds",
                              "10.5",
                              "--at",
                              "2026-11-24T13:00:00Z",
                              "--manifest",
                              man,
                              pkarg,
                              "--fade_ms=800",
                              "--log_level=debug",
                              NULL};
        assert_int_equal(run("fade.log", args), 0);
    }
    taulu_buf_init(&log, 1 << 20);
    assert_int_equal(taulu_file_read(logp, &log), 0);
    line = strstr(log.data, "fade: ");
    assert_non_null(line);
    assert_int_equal(sscanf(line,
                            "fade: %u frames, %llu px blended (%llu a "
                            "frame, %u rects), %u full frames",
                            &frames_n, &blended, &per_frame, &rects, &full),
                     5);
    taulu_buf_release(&log);
    assert_int_equal(full, 0);  /* no whole frame while fading */
    assert_true(frames_n >= 2); /* a fade, not a cut */
    assert_true(frames_n <= 800 / 50 + 1);
    assert_true(rects >= 1);
    assert_int_equal(blended, (unsigned long long)frames_n * per_frame);
    /* the two cards share their background: far less than the card area
     * (1280 x 720 minus the header) is blended */
    assert_true(per_frame > 0);
    assert_true(per_frame * 2 < 1280ull * 720ull);
    /* and the fade ends exactly on the new card */
    {
        const char *args[] = {"--headless",
                              "--manifest",
                              man,
                              "--at",
                              "2026-11-24T13:00:00Z",
                              "--out",
                              shot,
                              "--card",
                              "2",
                              pkarg,
                              NULL};
        assert_int_equal(run("fade-shot.log", args), 0);
    }
    assert_true(same_file(second, shot));
}

/* The memory café as a weekly series (manifest format 2) across the
 * autumn change of 2026: every Tuesday 14-16 from 20.10. to 3.11., the
 * one of 27.10. cancelled when `cancel`; with `recur` false the card is
 * the first occurrence alone (format 1). Plain JSON, as previews and
 * tests give the player. */
static void write_series(const char *name, bool recur, bool cancel)
{
    static struct taulu_occurrence occ[3];
    static struct taulu_card_recur rec;
    struct taulu_manifest *m = taulu_manifest_new();
    struct taulu_card_version *v;
    struct taulu_buf json, why;
    char p[768];
    int i;

    assert_non_null(m);
    m->screen_id = "tuira-1";
    m->seq = 5;
    m->built_at = hel(1, 12, 0) - 40 * 86400;
    m->centre.id = "tuira";
    memcpy(m->centre.name[0].lang, "fi", 3);
    m->centre.name[0].text = "Tuiran hyvinvointikeskus";
    m->centre.n_name = 1;
    m->centre.timezone = "Europe/Helsinki";
    memcpy(m->centre.languages[0], "fi", 3);
    m->centre.n_languages = 1;
    m->profile.width_px = 1280;
    m->profile.height_px = 720;
    m->profile.orientation = TAULU_LANDSCAPE;
    m->profile.diagonal_in_x10 = 430;
    m->profile.distance_mm = 2500;
    m->cards = taulu_manifest_alloc(m, sizeof m->cards[0]);
    v = taulu_manifest_alloc(m, sizeof *v);
    assert_non_null(m->cards);
    assert_non_null(v);
    m->n_cards = 1;
    m->cards[0].id = "muistikahvila";
    m->cards[0].kind = TAULU_CARD_EVENT;
    m->cards[0].category = TAULU_CATEGORY_RELATIONSHIPS;
    m->cards[0].org = "Muistiyhdistys";
    m->cards[0].display_from = hel(1, 0, 0) - 40 * 86400; /* 22.10. */
    m->cards[0].display_until = hel(4, 0, 0);
    m->cards[0].has_event = true;
    m->cards[0].event.free = TAULU_FLAG_YES;
    m->cards[0].versions = v;
    m->cards[0].n_versions = 1;
    memcpy(v->lang, "fi", 3);
    v->plain = true;
    v->title = "Muistikahvila";
    v->body = "Tule juttelemaan ja juomaan kahvia.";
    v->place = "Seurakuntatalo";
    for (i = 0; i < 3; i++) {
        assert_int_equal(taulu_time_from_civil(
                             &taulu_tz_helsinki, 2026, i < 2 ? 10 : 11,
                             i < 2 ? 20 + 7 * i : 3, 14, 0, 0, &occ[i].start),
                         0);
        occ[i].end = occ[i].start + 2 * 3600;
        occ[i].cancelled = cancel && i == 1;
    }
    memset(&rec, 0, sizeof rec);
    rec.rule.freq = TAULU_RECUR_WEEKLY;
    rec.rule.interval = 1;
    rec.rule.days[0].wday = 2;
    rec.rule.n_days = 1;
    assert_int_equal(taulu_recur_date_parse("2026-11-03", &rec.rule.until), 0);
    rec.start_min = 14 * 60;
    rec.end_min = 16 * 60;
    if (recur) {
        m->cards[0].recur = &rec;
        m->cards[0].occurrences = occ;
        m->cards[0].n_occurrences = 3;
        m->cards[0].event.start = occ[0].start;
        m->cards[0].event.end = occ[2].end;
    } else {
        m->cards[0].event.start = occ[1].start;
        m->cards[0].event.end = occ[1].end;
    }
    taulu_buf_init(&json, TAULU_MANIFEST_MAX_BYTES);
    taulu_buf_init(&why, 4096);
    if (taulu_manifest_write(m, &json) < 0) {
        taulu_manifest_validate(m, &why);
        fail_msg("manifest: %s", why.data);
    }
    assert_true(strstr(json.data, recur ? "\"format_version\":2,"
                                        : "\"format_version\":1,") != NULL);
    path(p, sizeof p, name);
    assert_int_equal(taulu_file_write_atomic(p, json.data, json.len, 0644), 0);
    taulu_buf_release(&json);
    taulu_buf_release(&why);
    m->cards[0].recur = NULL; /* static, not the arena's */
    taulu_manifest_free(m);
}

/* The real player draws a recurring card: the card of 20.10. after its
 * occurrence shows the next one (27.10., winter time by then) with the
 * rule's row; cancelled, it reads differently; a one-off card of the same
 * occurrence lacks the rule's row. (What the words are is
 * test_player_schedule's; here the binary reads format 2 and draws it.) */
static void test_headless_recurring(void **state)
{
    char rec[768], can[768], one[768], a[768], b[768], c[768], d[768];
    int w = 0, h = 0;

    (void)state;
    write_series("series.json", true, false);
    write_series("series-cancelled.json", true, true);
    write_series("one-off.json", false, false);
    path(rec, sizeof rec, "series.json");
    path(can, sizeof can, "series-cancelled.json");
    path(one, sizeof one, "one-off.json");
    path(a, sizeof a, "series.png");
    path(b, sizeof b, "series-cancelled.png");
    path(c, sizeof c, "one-off.png");
    path(d, sizeof d, "series-agenda.png");
    {
        /* Tuesday 20.10. at 16.30 local: the next one is 27.10., past the
         * agenda's days: the card is the only entry */
        const char *args[] = {
            "--headless", "--manifest", rec,     "--at", "2026-10-20T13:30:00Z",
            "--card",     "1",          "--out", a,      NULL};
        assert_int_equal(run("series-a.log", args), 0);
    }
    {
        const char *args[] = {
            "--headless", "--manifest", can,     "--at", "2026-10-20T13:30:00Z",
            "--card",     "1",          "--out", b,      NULL};
        assert_int_equal(run("series-b.log", args), 0);
    }
    {
        const char *args[] = {
            "--headless", "--manifest", one,     "--at", "2026-10-20T13:30:00Z",
            "--card",     "1",          "--out", c,      NULL};
        assert_int_equal(run("series-c.log", args), 0);
    }
    {
        /* Wednesday 21.10. at 9 local: the agenda lists 27.10., cancelled */
        const char *args[] = {
            "--headless", "--manifest", can,     "--at", "2026-10-21T06:00:00Z",
            "--card",     "1",          "--out", d,      NULL};
        assert_int_equal(run("series-d.log", args), 0);
    }
    png_size(a, &w, &h);
    assert_int_equal(w, 1280);
    assert_int_equal(h, 720);
    assert_false(same_file(a, b)); /* "Peruttu ..." */
    assert_false(same_file(a, c)); /* the rule's row */
    assert_false(same_file(b, d));
}

/* A display clock 64 years ahead: not "nothing new" for ever, but the
 * card that says the clock is wrong (and the same screen at the right time
 * shows its cards). */
static void test_clock_far_ahead(void **state)
{
    char man[768], pub[768], pkarg[800], out[768], log[768];
    struct taulu_buf b;

    (void)state;
    path(man, sizeof man, "manifest.signed");
    path(pub, sizeof pub, "server.pub");
    snprintf(pkarg, sizeof pkarg, "--server_pk_file=%s", pub);
    path(out, sizeof out, "clock.png");
    {
        const char *args[] = {
            "--headless", "--manifest", man, "--at", "2090-11-24T13:00:00Z",
            "--all",      "--out",      out, pkarg,  NULL};
        assert_int_equal(run("clock.log", args), 0);
    }
    path(log, sizeof log, "clock.log");
    taulu_buf_init(&b, 1 << 20);
    assert_int_equal(taulu_file_read(log, &b), 0);
    assert_non_null(strstr(b.data, "\tclock\t1/1\tfi\t"));
    assert_null(strstr(b.data, "\truokapankki\t"));
    taulu_buf_reset(&b);
    {
        const char *args[] = {
            "--headless", "--manifest", man, "--at", "2026-11-24T13:00:00Z",
            "--all",      "--out",      out, pkarg,  NULL};
        assert_int_equal(run("clock-ok.log", args), 0);
    }
    path(log, sizeof log, "clock-ok.log");
    assert_int_equal(taulu_file_read(log, &b), 0);
    assert_null(strstr(b.data, "\tclock\t"));
    assert_non_null(strstr(b.data, "\truokapankki\t"));
    taulu_buf_release(&b);
}

static void test_check_config(void **state)
{
    char conf[768], good[768], out[768];
    struct taulu_buf log;

    (void)state;
    path(conf, sizeof conf, "broken.conf");
    assert_int_equal(
        write_text(conf, "# a player\nmqtt_port = eighty\nlanguages = fi\n"),
        0);
    {
        const char *args[] = {"--config", conf, "--check-config", NULL};
        assert_int_not_equal(run("check.log", args), 0);
    }
    path(out, sizeof out, "check.log");
    taulu_buf_init(&log, 1 << 20);
    assert_int_equal(taulu_file_read(out, &log), 0);
    {
        char want[800];

        snprintf(want, sizeof want, "%s:2:", conf);
        assert_non_null(strstr(log.data, want));
    }
    taulu_buf_release(&log);
    path(good, sizeof good, "good.conf");
    assert_int_equal(
        write_text(good, "languages = fi,sv\nscreen_token = hunter2\n"), 0);
    {
        const char *args[] = {"--config", good, "--check-config", NULL};
        assert_int_equal(run("check-good.log", args), 0);
    }
    path(out, sizeof out, "check-good.log");
    taulu_buf_init(&log, 1 << 20);
    assert_int_equal(taulu_file_read(out, &log), 0);
    assert_non_null(strstr(log.data, "languages = fi,sv"));
    assert_null(strstr(log.data, "hunter2")); /* a secret is never shown */
    taulu_buf_release(&log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headless_shots),
        cmocka_unit_test(test_offline_start),
        cmocka_unit_test(test_fade),
        cmocka_unit_test(test_headless_recurring),
        cmocka_unit_test(test_clock_far_ahead),
        cmocka_unit_test(test_check_config),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
