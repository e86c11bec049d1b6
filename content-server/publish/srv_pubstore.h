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
struct check_hyph;

struct srv_pubstore {
    struct srv_store *store;
    /* soft hyphens in the cards' long words (check_hyph.h); NULL: none */
    struct check_hyph *hyph;
    const struct srv_assets *assets; /* for the manifest's asset entries;
                                        NULL: no images */
    const char *public_base;         /* public_url for the cards' links, or NULL
                                        (srv_manifest.h, public_base) */
    /* This instance's broker account on a shared database, said alive
     * (srv_store_instance_seen) every SRV_INSTANCE_BEAT_S when the
     * publisher asks about its lock; NULL: none. */
    const char *instance;
    int64_t instance_seen; /* the publisher's worker's */
};

/* The centre's languages (the store's JSON array) into c->languages, the
 * valid tags only, at most TAULU_MANIFEST_MAX_LANGUAGES; none given:
 * Finnish. The manifest's and the preview's header read them alike. */
void srv_pubstore_centre_languages(const char *json, struct taulu_centre *c);

/* The centre's names for the manifest: `name` in its first language, the
 * names of its other languages from `names` (the store's JSON), and the
 * short forms, into c->name / c->short_name (strings from `pool`). The
 * languages must be set already. */
struct srv_centre;
void srv_pubstore_centre_names(struct srv_pool *pool,
                               const struct srv_centre *src,
                               struct taulu_centre *c);

/* The screen's profile as its manifest carries it (the configured one, with
 * the manifest's ranges: an impossible value becomes the county's usual
 * 55" 1080p at 3 m). */
struct srv_screen;
void srv_pubstore_screen_profile(const struct srv_screen *s,
                                 struct taulu_profile *out);

/* The channel the instances on one database tell each other about the
 * publisher's work on (srv_publish.h, "Several instances"). */
#define SRV_PUBSTORE_CHANNEL "taulu_publish"

/* Fills `be` with the backend over `ps` (be->ctx = ps); on a database
 * several instances share, with lead, notify and load_manifests. */
void srv_pubstore_backend(struct srv_pubstore *ps, struct srv_pub_backend *be);

#endif
