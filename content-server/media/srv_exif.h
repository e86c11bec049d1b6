/*
 * srv_exif.h: the Exif Orientation of an uploaded JPEG, and turning pixels
 * upright by it. Plain C, no SDL: srv_image.c decodes and calls these.
 *
 * A phone stores a portrait photo as a landscape frame and says in its Exif
 * (APP1 "Exif\0\0", a TIFF structure) that the frame must be turned for
 * viewing: tag 0x0112 in IFD0, 1 = as stored, 6 = turn 90° clockwise, and
 * so on (the table in srv_exif.c). The stored PNG has no Exif, so the turn
 * is made on the pixels before the image is scaled and re-encoded.
 *
 * The bytes are an upload, so distrusted: every offset is checked against
 * the segment it points into before anything is read, only IFD0 is read
 * (no offset to another IFD is ever followed, so cyclic offsets cannot
 * loop), and the marker walk stops at the first scan. The work is bounded
 * by the input's length.
 */
#ifndef SRV_EXIF_H
#define SRV_EXIF_H

#include <stddef.h>

/* Orientation of a JPEG file (all its bytes, from SOI): 1..8 from the first
 * APP1 Exif segment before the first scan; 0 if there is no Exif segment or
 * its IFD0 has no Orientation; TAULU_EPARSE if there is an Exif segment but
 * it is malformed (byte order, offsets outside the segment, an IFD cut
 * short, an Orientation of the wrong type or out of 1..8) or the marker
 * list is cut short before the scan. Never reads outside data[0, len). */
int srv_exif_orientation(const void *data, size_t len);

/* The same for the TIFF structure of an Exif segment (the bytes after
 * "Exif\0\0": "II*\0" or "MM\0*", the offset of IFD0, ...). 1..8, 0 or
 * TAULU_EPARSE. */
int srv_exif_tiff_orientation(const void *tiff, size_t len);

/* Width and height of a w x h image once turned as `orientation` says
 * (swapped for 5..8). Orientations outside 1..8 count as 1. */
void srv_exif_oriented_size(int orientation, int w, int h, int *ow, int *oh);

/* Copies a w x h image of 4-byte pixels from src (rows src_pitch bytes
 * apart) into dst, turned and mirrored as `orientation` says so that dst is
 * upright. dst has the size srv_exif_oriented_size() gives, rows dst_pitch
 * bytes apart, and must not overlap src. Orientations outside 1..8 copy as
 * they are. */
void srv_exif_orient_pixels(const unsigned char *src, size_t src_pitch, int w,
                            int h, int orientation, unsigned char *dst,
                            size_t dst_pitch);

#endif
