/*
 * imp_item.h: an imported event as the body of an item (the JSON of POST
 * /api/v1/items, docs/api.md), and the hash that tells whether the source
 * changed it. Plain C over cJSON.
 *
 * What the item says: kind "event", the source's category and target
 * centres, the event's times (a series: its first occurrence in the
 * window and the rule, with its exception dates), free when the source
 * says so, the link, shown until the event (the series' last occurrence)
 * ends, and one text version per language the source has (fi, sv, en
 * first, in that order), marked as not plain language (what a source
 * writes is not known to be selkokieli; the checker then warns rather
 * than refuses). An image's credit ends the body ("Kuva: ...", "Bild:
 * ...", "Photo: ...").
 */
#ifndef IMP_ITEM_H
#define IMP_ITEM_H

#include <cjson/cJSON.h>

#include "imp_event.h"
#include "srv_store.h"
#include "taulu_crypto.h"

/* The body (caller deletes), with the image's sha256 (NULL: none; the
 * image's alt texts and credit only with one). NULL, with *why filled,
 * when the event cannot be an item (a display window the API would
 * refuse). */
cJSON *imp_item_body(const struct imp_event *e,
                     const struct srv_import_source *src, int64_t now,
                     const char *image_sha256, struct imp_skip *why);

/* The hash of what the item is made from: the body with the image's URL
 * in place of its sha256 (so an unchanged event is known before its
 * image is fetched again). */
void imp_item_hash(const struct imp_event *e,
                   const struct srv_import_source *src, int64_t now,
                   char out[TAULU_SHA256_HEX_LEN + 1]);

#endif
