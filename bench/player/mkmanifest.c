/*
 * mkmanifest.c: the browser baseline's eight cards (its generated cards.h)
 * as a signed Infotaulu manifest, so that the player shows the same text
 * as Chromium and sdl_ref in bench/player/run.sh.
 *
 * Usage: mkmanifest OUTDIR IMAGE.jpg
 * Writes OUTDIR/server.pub, OUTDIR/manifest.json, OUTDIR/manifest.signed,
 * OUTDIR/assets/<sha256> and a warm player cache in OUTDIR/cache
 * (manifest.current + assets/<sha256>, the layout of player_cache.h).
 *
 * Each card is a bulletin: the title, the body lines (each the author's
 * own line break) and the baseline's date line as the last paragraph;
 * cards 2, 4 and 6 carry the baseline's 1280x720 JPEG.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_buf.h"
#include "taulu_crypto.h"
#include "taulu_file.h"
#include "taulu_manifest.h"

/* cards.h declares SDL colours for sdl_ref; they are not used here. */
typedef struct {
    unsigned char r, g, b, a;
} SDL_Color;
#include "cards.h"

static void die(const char *what, int rc)
{
    fprintf(stderr, "mkmanifest: %s (%d)\n", what, rc);
    exit(1);
}

static void put(const char *dir, const char *name, const void *data, size_t len)
{
    char path[1024];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (taulu_file_write_atomic(path, data, len, 0644) < 0) {
        die(path, -1);
    }
}

int main(int argc, char **argv)
{
    uint8_t pk[TAULU_SIGN_PK_LEN], sk[TAULU_SIGN_SK_LEN];
    struct taulu_buf img, json, blob, why, body;
    struct taulu_manifest *m;
    char sha[TAULU_SHA256_HEX_LEN + 1], path[1024];
    int rc, i;
    size_t b;

    if (argc != 3) {
        fprintf(stderr, "usage: mkmanifest OUTDIR IMAGE.jpg\n");
        return 2;
    }
    if (taulu_crypto_init() < 0) {
        die("crypto", -1);
    }
    taulu_buf_init(&img, 16 * 1024 * 1024);
    taulu_buf_init(&json, TAULU_MANIFEST_MAX_BYTES);
    taulu_buf_init(&blob, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    taulu_buf_init(&why, 4096);
    if ((rc = taulu_file_read(argv[2], &img)) < 0) {
        die(argv[2], rc);
    }
    taulu_sha256_hex(img.data, img.len, sha);
    taulu_sign_keypair(pk, sk);

    m = taulu_manifest_new();
    if (!m) {
        die("out of memory", -1);
    }
    m->screen_id = "bench-1";
    m->seq = 1;
    m->built_at = 1767225600; /* 2026-01-01T00:00:00Z */
    m->centre.id = "tuira";
    snprintf(m->centre.name[0].lang, sizeof m->centre.name[0].lang, "fi");
    m->centre.name[0].text = "Tuiran hyvinvointikeskus";
    m->centre.n_name = 1;
    m->centre.timezone = "Europe/Helsinki";
    snprintf(m->centre.languages[0], sizeof m->centre.languages[0], "fi");
    m->centre.n_languages = 1;
    m->centre.closed_behaviour = TAULU_CLOSED_DARK;
    m->profile.width_px = 1920;
    m->profile.height_px = 1080;
    m->profile.orientation = TAULU_LANDSCAPE;
    m->profile.diagonal_in_x10 = 550;
    m->profile.distance_mm = 3000;
    m->cards = taulu_manifest_alloc(m, NCARDS * sizeof m->cards[0]);
    m->assets = taulu_manifest_alloc(m, sizeof m->assets[0]);
    if (!m->cards || !m->assets) {
        die("out of memory", -1);
    }
    m->n_cards = NCARDS;
    memcpy(m->assets[0].sha256, sha, sizeof sha);
    m->assets[0].size = (int64_t)img.len;
    m->assets[0].type = TAULU_MEDIA_JPEG;
    m->n_assets = 1;
    for (i = 0; i < NCARDS; i++) {
        struct taulu_card *c = &m->cards[i];
        struct taulu_card_version *v;
        char id[16];

        snprintf(id, sizeof id, "card-%d", i + 1);
        c->id = taulu_manifest_strdup(m, id);
        c->kind = TAULU_CARD_BULLETIN;
        c->category = (enum taulu_category)(i % TAULU_CATEGORY_COUNT);
        c->org = "Yhdistys Yhteinen Pöytä ry";
        c->display_from = 1767225600;  /* 2026-01-01 */
        c->display_until = 1924992000; /* 2031-01-01 */
        v = taulu_manifest_alloc(m, sizeof *v);
        if (!v) {
            die("out of memory", -1);
        }
        c->versions = v;
        c->n_versions = 1;
        snprintf(v->lang, sizeof v->lang, "fi");
        v->title = cards[i].title;
        taulu_buf_init(&body, 8192);
        for (b = 0; b < (size_t)cards[i].nbody; b++) {
            taulu_buf_puts(&body, cards[i].body[b]);
            taulu_buf_putc(&body, '\n');
        }
        taulu_buf_putc(&body, '\n');
        taulu_buf_puts(&body, cards[i].date);
        v->body = taulu_manifest_strdup(m, body.data);
        taulu_buf_release(&body);
        if (cards[i].image) {
            c->has_image = true;
            memcpy(c->image.sha256, sha, sizeof sha);
            c->image.size = (int64_t)img.len;
            c->image.type = TAULU_MEDIA_JPEG;
            c->image.width = 1280;
            c->image.height = 720;
            v->image_alt = "Kuva: värikäs tausta ja teksti Kuva 1280×720";
        }
    }
    rc = taulu_manifest_write(m, &json);
    if (rc < 0) {
        taulu_manifest_validate(m, &why);
        fprintf(stderr, "mkmanifest: %s\n", why.data);
        die("manifest not valid", rc);
    }
    if ((rc = taulu_manifest_sign(json.data, json.len, sk, &blob)) < 0) {
        die("sign", rc);
    }
    snprintf(path, sizeof path, "%s/server.pub", argv[1]);
    if (taulu_write_public_key(path, pk) < 0) {
        die(path, -1);
    }
    put(argv[1], "manifest.json", json.data, json.len);
    put(argv[1], "manifest.signed", blob.data, blob.len);
    snprintf(path, sizeof path, "%s/assets", argv[1]);
    taulu_mkdir_p(path, 0755);
    snprintf(path, sizeof path, "%s/cache/assets", argv[1]);
    taulu_mkdir_p(path, 0755);
    snprintf(path, sizeof path, "assets/%s", sha);
    put(argv[1], path, img.data, img.len);
    snprintf(path, sizeof path, "cache/assets/%s", sha);
    put(argv[1], path, img.data, img.len);
    put(argv[1], "cache/manifest.current", blob.data, blob.len);
    printf("%s: %d cards, image %s (%zu bytes)\n", argv[1], NCARDS, sha,
           img.len);
    taulu_manifest_free(m);
    taulu_wipe(sk, sizeof sk);
    taulu_buf_release(&img);
    taulu_buf_release(&json);
    taulu_buf_release(&blob);
    taulu_buf_release(&why);
    return 0;
}
