/*
 * srv_image.h: what happens to an uploaded image before anything keeps it.
 *
 * An upload is distrusted bytes. In order:
 *   1. size: at most SRV_IMAGE_MAX_BYTES;
 *   2. type: the magic bytes must be those of the declared media type (PNG
 *      or JPEG), so a file that is "also something else" is refused;
 *   3. structure, WITHOUT decoding: the PNG chunk list (CRCs, IHDR first,
 *      IEND last, nothing after it) or the JPEG marker list up to the scan
 *      and an EOI at the very end, and the dimensions from the header; more
 *      than SRV_IMAGE_MAX_PIXELS is refused here, so a small file that
 *      would decompress to gigabytes never reaches the decoder;
 *   4. decode with SDL2_image (libpng / libjpeg); the decoded size must be
 *      the header's;
 *   5. a JPEG whose Exif says it is stored turned or mirrored (Orientation
 *      2..8, a phone's portrait photo is 6) is turned upright
 *      (srv_exif.h); an unreadable Exif segment leaves it as stored;
 *   6. scale down (area average) so neither side exceeds
 *      SRV_IMAGE_MAX_SIDE, and re-encode as PNG. The PNG holds only pixels:
 *      Exif (GPS positions, camera serials), XMP, ICC, comments and
 *      anything appended are gone.
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

enum srv_image_error {
    SRV_IMG_OK = 0,
    SRV_IMG_TOO_BIG,       /* more bytes than allowed */
    SRV_IMG_UNSUPPORTED,   /* declared type is not PNG or JPEG */
    SRV_IMG_TYPE_MISMATCH, /* bytes are not of the declared type */
    SRV_IMG_CORRUPT,       /* structure broken, truncated, trailing data */
    SRV_IMG_TOO_MANY_PIXELS,
    SRV_IMG_DECODE,   /* the decoder refused it */
    SRV_IMG_INTERNAL, /* out of memory, encoder failure */
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

/* 0 or TAULU_EUNAVAIL (SDL2_image has no PNG or JPEG support). */
int srv_image_init(void);
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

/* HTTP status for an error: 413, 415 or 422 (500 for internal). */
int srv_image_http_status(enum srv_image_error e);

#endif
