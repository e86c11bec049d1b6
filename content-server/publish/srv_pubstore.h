/*
 * srv_pubstore.h: the publisher's backend over the server's store
 * (struct srv_pub_backend of srv_publish.h): screens and centre snapshots
 * read from srv_store and turned into the manifest's terms, the
 * publisher's own rows (seq, status: srv_store_pub_*), and the screens'
 * status and play counts written back to the store.
 */
#ifndef SRV_PUBSTORE_H
#define SRV_PUBSTORE_H

#include "srv_assets.h"
#include "srv_publish.h"
#include "srv_store.h"

/* What the backend reads and writes; all borrowed, outliving the
 * publisher. */
struct srv_pubstore {
    struct srv_store *store;
    const struct srv_assets *assets; /* for the manifest's asset entries;
                                        NULL: no images */
    const char *public_base;         /* public_url for the cards' links, or NULL
                                        (srv_manifest.h, public_base) */
};

/* Fills `be` with the backend over `ps` (be->ctx = ps). */
void srv_pubstore_backend(struct srv_pubstore *ps, struct srv_pub_backend *be);

#endif
