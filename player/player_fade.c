/*
 * player_fade.c: the cross-fade over the pixels that differ; see
 * player_fade.h.
 */
#include "player_fade.h"

#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "taulu_err.h"

void player_fade_init(struct player_fade *f)
{
    memset(f, 0, sizeof *f);
}

void player_fade_release(struct player_fade *f)
{
    free(f->spans);
    free(f->old_px);
    free(f->new_px);
    free(f->cells);
    player_fade_init(f);
}

int player_fade_begin(struct player_fade *f, int x, int y, int w, int h)
{
    int n_cells;

    if (w <= 0 || h <= 0) {
        return TAULU_EINVAL;
    }
    n_cells = (w + PLAYER_FADE_CELL - 1) / PLAYER_FADE_CELL;
    if (n_cells > f->n_cells) {
        unsigned char *c = realloc(f->cells, (size_t)n_cells);

        if (!c) {
            return TAULU_ENOMEM;
        }
        f->cells = c;
        f->n_cells = n_cells;
    }
    f->x = x;
    f->y = y;
    f->w = w;
    f->h = h;
    f->n_spans = 0;
    f->n_px = 0;
    f->dirty_px = 0;
    f->frames = 0;
    f->blended_px = 0;
    return 0;
}

static int grow_px(struct player_fade *f, size_t more)
{
    size_t cap = f->cap_px ? f->cap_px : 65536;
    uint32_t *o, *n;

    if (f->n_px + more <= f->cap_px) {
        return 0;
    }
    while (cap < f->n_px + more) {
        cap *= 2;
    }
    o = realloc(f->old_px, cap * sizeof *o);
    if (!o) {
        return TAULU_ENOMEM;
    }
    f->old_px = o;
    n = realloc(f->new_px, cap * sizeof *n);
    if (!n) {
        return TAULU_ENOMEM;
    }
    f->new_px = n;
    f->cap_px = cap;
    return 0;
}

/* Columns cx0 .. cx1 - 1 (region coordinates) of the band as a span, or
 * the previous span made taller when it has the same columns. */
static int add_span(struct player_fade *f, int y, int h, int cx0, int cx1,
                    const uint32_t *old, size_t old_pitch, const uint32_t *new,
                    size_t new_pitch)
{
    struct player_fade_span *last =
        f->n_spans ? &f->spans[f->n_spans - 1] : NULL;
    size_t w = (size_t)(cx1 - cx0), r;
    int rc = grow_px(f, w * (size_t)h);

    if (rc < 0) {
        return rc;
    }
    if (last && last->x == f->x + cx0 && last->w == (int)w &&
        last->y + last->h == y &&
        last->off + (size_t)last->w * (size_t)last->h == f->n_px) {
        last->h += h;
    } else {
        if (f->n_spans == f->cap_spans) {
            size_t cap = f->cap_spans ? f->cap_spans * 2 : 64;
            struct player_fade_span *s = realloc(f->spans, cap * sizeof *s);

            if (!s) {
                return TAULU_ENOMEM;
            }
            f->spans = s;
            f->cap_spans = cap;
        }
        last = &f->spans[f->n_spans++];
        last->x = f->x + cx0;
        last->y = y;
        last->w = (int)w;
        last->h = h;
        last->off = f->n_px;
    }
    for (r = 0; r < (size_t)h; r++) {
        memcpy(f->old_px + f->n_px, old + r * old_pitch + cx0, w * sizeof *old);
        memcpy(f->new_px + f->n_px, new + r *new_pitch + cx0, w * sizeof *new);
        f->n_px += w;
    }
    f->dirty_px += w * (size_t)h;
    return 0;
}

int player_fade_add_band(struct player_fade *f, int y, int h,
                         const uint32_t *old, size_t old_pitch,
                         const uint32_t *new, size_t new_pitch)
{
    int n_cells = (f->w + PLAYER_FADE_CELL - 1) / PLAYER_FADE_CELL;
    int c, r, start = -1, end = -1;

    if (!old || !new || h <= 0 || h > PLAYER_FADE_BAND || y < f->y ||
        y + h > f->y + f->h || n_cells > f->n_cells) {
        return TAULU_EINVAL;
    }
    for (c = 0; c < n_cells; c++) {
        int x0 = c * PLAYER_FADE_CELL;
        int cw = f->w - x0 < PLAYER_FADE_CELL ? f->w - x0 : PLAYER_FADE_CELL;

        f->cells[c] = 0;
        for (r = 0; r < h; r++) {
            if (memcmp(old + (size_t)r * old_pitch + x0,
                       new + (size_t)r *new_pitch + x0,
                       (size_t)cw * sizeof *old) != 0) {
                f->cells[c] = 1;
                break;
            }
        }
    }
    /* runs of differing cells, joined over short identical gaps */
    for (c = 0; c <= n_cells; c++) {
        int dirty = c < n_cells && f->cells[c];

        if (dirty) {
            if (start < 0) {
                start = c;
            }
            end = c + 1;
        } else if (start >= 0 && (c == n_cells || c - end >= PLAYER_FADE_GAP)) {
            int x1 = end * PLAYER_FADE_CELL;
            int rc =
                add_span(f, y, h, start * PLAYER_FADE_CELL,
                         x1 > f->w ? f->w : x1, old, old_pitch, new, new_pitch);

            if (rc < 0) {
                return rc;
            }
            start = -1;
        }
    }
    return 0;
}

void player_fade_blend_row(uint32_t *dst, const uint32_t *old,
                           const uint32_t *new, size_t n, unsigned a)
{
    uint32_t ia = 256 - a;
    size_t i = 0;

#ifdef __SSE2__
    {
        const __m128i va = _mm_set1_epi16((short)a);
        const __m128i vi = _mm_set1_epi16((short)ia);
        const __m128i z = _mm_setzero_si128();

        for (; i + 4 <= n; i += 4) {
            __m128i o = _mm_loadu_si128((const __m128i *)(old + i));
            __m128i w = _mm_loadu_si128((const __m128i *)(new + i));
            __m128i lo =
                _mm_add_epi16(_mm_mullo_epi16(_mm_unpacklo_epi8(o, z), vi),
                              _mm_mullo_epi16(_mm_unpacklo_epi8(w, z), va));
            __m128i hi =
                _mm_add_epi16(_mm_mullo_epi16(_mm_unpackhi_epi8(o, z), vi),
                              _mm_mullo_epi16(_mm_unpackhi_epi8(w, z), va));

            _mm_storeu_si128(
                (__m128i *)(dst + i),
                _mm_packus_epi16(_mm_srli_epi16(lo, 8), _mm_srli_epi16(hi, 8)));
        }
    }
#endif
    for (; i < n; i++) {
        uint32_t o = old[i], w = new[i];
        uint32_t rb = ((o & 0x00FF00FFu) * ia + (w & 0x00FF00FFu) * a) >> 8;
        uint32_t ag =
            ((o >> 8) & 0x00FF00FFu) * ia + ((w >> 8) & 0x00FF00FFu) * a;

        dst[i] = (rb & 0x00FF00FFu) | (ag & 0xFF00FF00u);
    }
}

uint64_t player_fade_frame(struct player_fade *f, unsigned a, uint32_t *dst,
                           size_t dst_pitch)
{
    uint64_t px = 0;
    size_t i;
    int r;

    if (a > 256) {
        a = 256;
    }
    for (i = 0; i < f->n_spans; i++) {
        const struct player_fade_span *s = &f->spans[i];
        const uint32_t *o = f->old_px + s->off, *n = f->new_px + s->off;
        uint32_t *d = dst + (size_t)s->y * dst_pitch + (size_t)s->x;

        for (r = 0; r < s->h; r++) {
            player_fade_blend_row(d, o, n, (size_t)s->w, a);
            d += dst_pitch;
            o += s->w;
            n += s->w;
        }
        px += (uint64_t)s->w * (uint64_t)s->h;
    }
    f->frames++;
    f->blended_px += px;
    return px;
}
