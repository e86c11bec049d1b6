/*
 * taulu_category.h: the categories of bulletins and events.
 *
 * The ten themes of the county's classification of what NGOs and parishes
 * do for residents' wellbeing (Pohde 2022, see
 * shared/domain/activity-categories.md). A card carries one of them. On the
 * wire (manifests, the server's API) a category is its key: a stable ASCII
 * slug that never changes once published. Labels are in Finnish (as the
 * county writes them), Swedish and English, each in a full form and a short
 * form for the category chip on a card. Colours and icons are the player's
 * business; common/ only has keys and labels.
 */
#ifndef TAULU_CATEGORY_H
#define TAULU_CATEGORY_H

#include <stddef.h>

/* The one list of the ten themes, in the county's order:
 * X(ID, key, slug). The key is the wire form (manifests): a stable ASCII
 * word that never changes once published. The slug is the Finnish name the
 * server stores, its API and web UI use, and theme files name a chip colour
 * by ("category.kasvu-oppiminen"). Everything else (the enum, the server's
 * enum of accepted slugs, the theme's chip names) is made from this list,
 * so nothing maps one list onto another by position. New themes are added
 * at the end. */
#define TAULU_CATEGORY_LIST(X)                                                 \
    X(LEARNING, "learning", "kasvu-oppiminen")                                 \
    X(RELATIONSHIPS, "relationships", "ihmissuhteet")                          \
    X(HOUSING, "housing", "asuminen-turvallisuus")                             \
    X(WORK, "work", "tyo-toiminta")                                            \
    X(LEISURE, "leisure", "vapaa-aika-kulttuuri")                              \
    X(EVERYDAY, "everyday", "toimiva-arki")                                    \
    X(LIVELIHOOD, "livelihood", "toimeentulo")                                 \
    X(PARTICIPATION, "participation", "osallisuus")                            \
    X(HEALTH, "health", "terveys-hyvinvointi")                                 \
    X(LIFESTYLE, "lifestyle", "elintavat")

#define TAULU_CATEGORY_ENUM_(id, key, slug) TAULU_CATEGORY_##id,
enum taulu_category {
    TAULU_CATEGORY_LIST(TAULU_CATEGORY_ENUM_) TAULU_CATEGORY_COUNT
};
#undef TAULU_CATEGORY_ENUM_

/* Longest key, without the NUL. */
#define TAULU_CATEGORY_KEY_MAX 16

struct taulu_category_info {
    enum taulu_category id;
    const char *key;  /* wire form: [a-z]+, at most TAULU_CATEGORY_KEY_MAX */
    const char *slug; /* store, API, web UI and theme files: [a-z-]+ */
    /* Full labels: fi exactly as the county writes the theme. */
    const char *fi, *sv, *en;
    /* Short labels for a chip (at most 24 characters); the same as the full
     * label where that is already short. */
    const char *fi_short, *sv_short, *en_short;
};

/* The table entry of a category; NULL if `c` is not a valid category.
 * Points into static, read-only data. */
const struct taulu_category_info *taulu_category_get(enum taulu_category c);

/* The category of a key (exact, case-sensitive match). 0, or TAULU_EVALUE
 * for an unknown key (then *out is untouched). `key` may be NULL
 * (TAULU_EVALUE). */
int taulu_category_from_key(const char *key, enum taulu_category *out);

/* The key of a category, or NULL if `c` is not valid. */
const char *taulu_category_key(enum taulu_category c);

/* The category of a slug ("kasvu-oppiminen"; exact match). 0, or
 * TAULU_EVALUE for an unknown or NULL slug (then *out is untouched). */
int taulu_category_from_slug(const char *slug, enum taulu_category *out);
/* The first `len` bytes of s as a slug (theme file keys). */
int taulu_category_from_slug_n(const char *s, size_t len,
                               enum taulu_category *out);

/* The slug of a category, or NULL if `c` is not valid. */
const char *taulu_category_slug(enum taulu_category c);

/* 1 if the label table agrees with TAULU_CATEGORY_LIST (order, keys,
 * slugs); for the tests. */
int taulu_category_table_ok(void);

/* The label of a category in a language ("fi", "sv", "en"; other languages
 * and NULL fall back to Finnish, the county's language), full or short
 * (`short_form` non-zero). NULL only if `c` is not valid. Static data. */
const char *taulu_category_label(enum taulu_category c, const char *lang,
                                 int short_form);

#endif
