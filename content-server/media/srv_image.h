/*
 * srv_image.h: what happens to an uploaded image before anything keeps it.
 *
 * An upload is distrusted bytes. In order:
 *   1. size: at most SRV_IMAGE_MAX_BYTES;
 *   2. type: the magic bytes must be those of the declared media type (PNG
 *      or JPEG), so a file that is "also something else" is refused;
 *   3. structure, WITHOUT decoding: the PNG chunk list (CRCs, IHDR first,
 *      IEND last, nothing after it) or the JPEG marker list up to each
 *      scan and an EOI at the very end, and the dimensions from the header
 *      (PNG IHDR, JPEG SOF0/1/2: 8-bit Huffman baseline, extended or
 *      progressive; lossless, arithmetic and hierarchical JPEG are not
 *      taken). More than SRV_IMAGE_MAX_PIXELS is refused here. So is a
 *      file too short for the size it claims: every JPEG scan must carry
 *      at least the bits its 8x8 blocks need (2 a block sequential, 1 for
 *      a progressive DC scan), a PNG's compressed pixels at least 1/1032
 *      of the raw ones (deflate's best case). A small file that claims
 *      gigapixels never reaches a decoder;
 *   4. a decoding slot and memory: at most SRV_IMAGE_DECODES decodes at
 *      once server-wide, and the memory they may hold together is
 *      budgeted (SRV_IMAGE_MEMORY; srv_image_set_limits()) from each
 *      header before decoding: a request that does not fit waits up to
 *      SRV_IMAGE_WAIT_MS, then gets SRV_IMG_BUSY (503); an image that
 *      alone needs more than the whole budget (a huge progressive JPEG
 *      or interlaced PNG) is SRV_IMG_TOO_MANY_PIXELS;
 *   5. decode with libjpeg / libpng, row by row into an area-averaging
 *      scaler, so the full-size picture is never held (a JPEG is decoded
 *      at the DCT scale nearest above the stored size); any warning of
 *      the decoder (corrupt data, a premature end) refuses the image
 *      (SRV_IMG_CORRUPT) instead of letting it fill the rest with grey;
 *   6. the stored size: neither side over SRV_IMAGE_MAX_SIDE;
 *   7. a JPEG whose Exif says it is stored turned or mirrored (Orientation
 *      2..8, a phone's portrait photo is 6) is turned upright
 *      (srv_exif.h); an unreadable Exif segment leaves it as stored;
 *   8. re-encode as PNG. The PNG holds only pixels: Exif (GPS positions,
 *      camera serials), XMP, ICC, comments and anything appended are gone.
 * The result is named by the sha256 of the re-encoded bytes.
 *
 * Thread safety: srv_image_init() once at start; after that
 * srv_image_ingest() may run in several threads at once.
 */
#ifndef SRV_IMAGE_H
#define SRV_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "taulu_buf.h"
#include "taulu_crypto.h"

#define SRV_IMAGE_MAX_BYTES  (8u * 1024u * 1024u)
#define SRV_IMAGE_MAX_PIXELS (40u * 1000u * 1000u)
#define SRV_IMAGE_MAX_SIDE   1920
/* Decodes at once and the memory they may hold, unless
 * srv_image_set_limits() says otherwise; how long an upload waits for
 * them. The budget covers the largest single image of the pixel limit
 * (an interlaced 40 MP PNG holds 160 MB, a progressive 4:2:0 JPEG 120 MB). */
#define SRV_IMAGE_DECODES 2
#define SRV_IMAGE_MEMORY  ((size_t)256 * 1024 * 1024)
#define SRV_IMAGE_WAIT_MS 2000

enum srv_image_error {
    SRV_IMG_OK = 0,
    SRV_IMG_TOO_BIG,         /* more bytes than allowed */
    SRV_IMG_UNSUPPORTED,     /* declared type is not PNG or JPEG */
    SRV_IMG_TYPE_MISMATCH,   /* bytes are not of the declared type */
    SRV_IMG_CORRUPT,         /* structure broken, truncated, trailing data */
    SRV_IMG_TOO_MANY_PIXELS, /* over the pixel limit, or needs more memory
                                than the decode budget */
    SRV_IMG_DECODE,          /* the decoder refused it, or a coding not taken */
    SRV_IMG_BUSY,            /* no decoding slot or memory within the wait */
    SRV_IMG_INTERNAL,        /* out of memory, encoder failure */
};

struct srv_image_result {
    struct taulu_buf png; /* the re-encoded PNG; caller releases */
    char sha256[TAULU_SHA256_HEX_LEN + 1];
    int width, height;           /* of the stored PNG (upright) */
    int orig_width, orig_height; /* from the upload's header (as stored,
                                    before the Exif turn) */
    int orientation;             /* the Exif orientation applied, 1..8
                                    (1: none, and always for PNG) */
};

/* 0 or TAULU_EUNAVAIL (SDL2_image cannot write PNG). */
int srv_image_init(void);
/* Decodes at once (at least 1) and the bytes they may hold together,
 * server-wide (defaults SRV_IMAGE_DECODES, SRV_IMAGE_MEMORY). */
void srv_image_set_limits(unsigned decodes, size_t memory);
void srv_image_quit(void);

/* Checks, decodes, scales and re-encodes `data`, declared as `media_type`
 * ("image/png" or "image/jpeg"; parameters after ';' are ignored). On
 * SRV_IMG_OK `res` holds the PNG (release res->png with
 * taulu_buf_release()); otherwise res->png is empty and `why` (may be NULL)
 * has a sentence for the uploader in English. */
enum srv_image_error srv_image_ingest(const void *data, size_t len,
                                      const char *media_type,
                                      struct srv_image_result *res,
                                      struct taulu_buf *why);

/* Reads width and height from a PNG's IHDR without decoding. 0 or
 * TAULU_EPARSE. */
int srv_png_size(const void *data, size_t len, int *width, int *height);

/* HTTP status for an error: 413, 415, 422 or 503 (500 for internal). */
int srv_image_http_status(enum srv_image_error e);

/* ---- Stored images, decoded for the server's previews ----
 *
 * A preview draws the picture the screens will show: the stored PNG
 * (assets/<sha256>, srv_image_ingest's output), decoded whole to RGBA and
 * handed to the renderer, which scales it into the layout's box as the
 * player does with the same file. Only what the server made is decoded:
 * a file of at most SRV_IMAGE_STORED_MAX_BYTES whose sha256 is its name,
 * with a sound chunk list and neither side over SRV_IMAGE_MAX_SIDE (so at
 * most 1920 x 1920 x 4 bytes of pixels); the decode takes a slot and its
 * memory from the uploads' budget above. A file that is not that (gone,
 * damaged, replaced) is refused, and the preview shows the picture's text
 * alternative as a screen does for an image it cannot load.
 *
 * Decoded pictures are kept in a small cache (struct srv_image_cache,
 * bounded in bytes and entries, least recently used out first), so that
 * the form's preview on every pause in typing decodes its picture once.
 * Entries are counted references: one handed out stays valid until it is
 * given back, even if the cache let go of it meanwhile. Thread-safe. */
#define SRV_IMAGE_STORED_MAX_BYTES (16u * 1024u * 1024u)
#define SRV_IMAGE_CACHE_BYTES      ((size_t)32 * 1024 * 1024)
#define SRV_IMAGE_CACHE_ENTRIES    8

/* A decoded picture: R,G,B,A bytes, `stride` bytes a row. */
struct srv_pixels {
    const uint8_t *rgba;
    int width, height, stride;
};

/* Decodes stored image `data` (len bytes) named `sha256` into `out`
 * (caller frees out->rgba with free()). SRV_IMG_OK; SRV_IMG_TOO_BIG (over
 * the stored size or the stored sides); SRV_IMG_CORRUPT (not the bytes of
 * its name, broken chunks, a decoder warning); SRV_IMG_TYPE_MISMATCH (not
 * a PNG); SRV_IMG_BUSY; SRV_IMG_INTERNAL. `why` (may be NULL) gets why. */
enum srv_image_error srv_image_decode_stored(const void *data, size_t len,
                                             const char *sha256,
                                             struct srv_pixels *out,
                                             struct taulu_buf *why);

struct srv_image_cache;

/* A cache of at most `max_entries` pictures and about `max_bytes` of
 * pixels (a picture larger than that is handed out, never kept).
 * 0, TAULU_EINVAL, TAULU_ENOMEM. */
int srv_image_cache_new(size_t max_bytes, size_t max_entries,
                        struct srv_image_cache **out);
/* Frees every picture; none may still be handed out. Accepts NULL. */
void srv_image_cache_free(struct srv_image_cache *c);

/* The kept picture `sha256` (a reference: give it back with
 * srv_image_cache_put), or NULL when it is not kept. */
const struct srv_pixels *srv_image_cache_get(struct srv_image_cache *c,
                                             const char *sha256);
/* Reads stored image `sha256` from `fd` (its file, `size` bytes; the
 * caller closes fd), decodes it (srv_image_decode_stored) and keeps it:
 * SRV_IMG_OK with *out a reference, else a code of
 * srv_image_decode_stored (SRV_IMG_TOO_BIG before anything is read,
 * SRV_IMG_CORRUPT for a short read). */
enum srv_image_error srv_image_cache_load(struct srv_image_cache *c,
                                          const char *sha256, int fd,
                                          uint64_t size,
                                          const struct srv_pixels **out,
                                          struct taulu_buf *why);
/* Gives a reference back. Accepts NULL. */
void srv_image_cache_put(struct srv_image_cache *c,
                         const struct srv_pixels *px);

/* What the cache holds and did, for the tests and the log. */
struct srv_image_cache_stats {
    size_t entries, bytes;
    unsigned long hits, decodes;
};
void srv_image_cache_stats(struct srv_image_cache *c,
                           struct srv_image_cache_stats *out);

#endif
