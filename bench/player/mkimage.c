/*
 * mkimage.c: the benchmark's 1280x720 JPEG (page/image.jpg of the browser
 * baseline), made with the libraries the player already uses, so that
 * bench/player/run.sh needs no image tool of its own.
 *
 * Usage: mkimage OUT.jpg FONT.ttf
 *
 * What the baseline asked of ImageMagick: a smooth, seeded "plasma" from
 * #2a6f97 to #f4a261 with the caption "Kuva 1280×720" in bold 110 px,
 * white with a 3 px #12355B outline, centred, JPEG quality 85. The plasma
 * here is value noise (four octaves, smoothstep between lattice points)
 * from a fixed seed: the same bytes on every run and every machine, with
 * the soft gradients and fine grain of a photograph's JPEG, which is what
 * the players' decoders and scalers spend their time on.
 */
#include <stdint.h>
#include <stdio.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#define W       1280
#define H       720
#define GRID    17 /* lattice points a side of the coarsest octave */
#define OCTAVES 4

static const char caption[] = "Kuva 1280\xc3\x97"
                              "720";

/* One lattice of random values in 0..1 per octave (a 32-bit LCG, so the
 * picture does not depend on the C library's rand()). */
static float lattice[OCTAVES][GRID << OCTAVES][GRID << OCTAVES];

static void fill_lattice(uint32_t seed)
{
    int o, i, j;

    for (o = 0; o < OCTAVES; o++) {
        for (i = 0; i < (GRID << o); i++) {
            for (j = 0; j < (GRID << o); j++) {
                seed = seed * 1664525u + 1013904223u;
                lattice[o][i][j] = (float)(seed >> 8) / (float)(1u << 24);
            }
        }
    }
}

static float smooth(float t)
{
    return t * t * (3.0f - 2.0f * t);
}

/* The noise at (x, y) in 0..1: octaves of halving weight. */
static float noise(int x, int y)
{
    float sum = 0.0f, weight = 1.0f, total = 0.0f;
    int o;

    for (o = 0; o < OCTAVES; o++) {
        int cells = (GRID << o) - 1;
        float fx = (float)x * (float)cells / (float)W;
        float fy = (float)y * (float)cells / (float)H;
        int ix = (int)fx, iy = (int)fy;
        float tx = smooth(fx - (float)ix), ty = smooth(fy - (float)iy);
        float a = lattice[o][iy][ix], b = lattice[o][iy][ix + 1];
        float c = lattice[o][iy + 1][ix], d = lattice[o][iy + 1][ix + 1];
        float top = a + (b - a) * tx, bottom = c + (d - c) * tx;

        sum += weight * (top + (bottom - top) * ty);
        total += weight;
        weight *= 0.5f;
    }
    return sum / total;
}

static Uint8 mix(int from, int to, float t)
{
    return (Uint8)((float)from + ((float)to - (float)from) * t + 0.5f);
}

static void plasma(SDL_Surface *s)
{
    int x, y;

    for (y = 0; y < H; y++) {
        Uint8 *row = (Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch;
        for (x = 0; x < W; x++) {
            float t = noise(x, y);
            Uint32 px = SDL_MapRGB(s->format, mix(0x2a, 0xf4, t),
                                   mix(0x6f, 0xa2, t), mix(0x97, 0x61, t));
            SDL_memcpy(row + (size_t)x * 4, &px, 4);
        }
    }
}

/* The caption centred: the outline drawn first, the white text over it. */
static int draw_caption(SDL_Surface *s, const char *font_path)
{
    SDL_Color fill = {0xff, 0xff, 0xff, 0xff}, edge = {0x12, 0x35, 0x5b, 0xff};
    SDL_Surface *outer = NULL, *inner = NULL;
    TTF_Font *font = TTF_OpenFont(font_path, 110);
    int rc = -1;

    if (!font) {
        fprintf(stderr, "mkimage: %s: %s\n", font_path, TTF_GetError());
        goto out;
    }
    TTF_SetFontOutline(font, 3);
    outer = TTF_RenderUTF8_Blended(font, caption, edge);
    TTF_SetFontOutline(font, 0);
    inner = TTF_RenderUTF8_Blended(font, caption, fill);
    if (!outer || !inner) {
        fprintf(stderr, "mkimage: caption: %s\n", TTF_GetError());
        goto out;
    }
    {
        SDL_Rect o = {(W - outer->w) / 2, (H - outer->h) / 2, 0, 0};
        SDL_Rect i = {o.x + 3, o.y + 3, 0, 0};

        if (SDL_BlitSurface(outer, NULL, s, &o) != 0 ||
            SDL_BlitSurface(inner, NULL, s, &i) != 0) {
            fprintf(stderr, "mkimage: blit: %s\n", SDL_GetError());
            goto out;
        }
    }
    rc = 0;
out:
    SDL_FreeSurface(outer);
    SDL_FreeSurface(inner);
    if (font) {
        TTF_CloseFont(font);
    }
    return rc;
}

int main(int argc, char **argv)
{
    SDL_Surface *s = NULL;
    int rc = 1;

    if (argc != 3) {
        fprintf(stderr, "usage: mkimage OUT.jpg FONT.ttf\n");
        return 2;
    }
    if (TTF_Init() != 0) {
        fprintf(stderr, "mkimage: TTF_Init: %s\n", TTF_GetError());
        return 1;
    }
    s = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_XRGB8888);
    if (!s) {
        fprintf(stderr, "mkimage: %s\n", SDL_GetError());
        goto out;
    }
    fill_lattice(42);
    plasma(s);
    if (draw_caption(s, argv[2]) != 0) {
        goto out;
    }
    if (IMG_SaveJPG(s, argv[1], 85) != 0) {
        fprintf(stderr, "mkimage: %s: %s\n", argv[1], IMG_GetError());
        goto out;
    }
    rc = 0;
out:
    SDL_FreeSurface(s);
    TTF_Quit();
    return rc;
}
