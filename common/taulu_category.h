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

/* The order is the county's and is part of nothing on the wire: only the
 * keys are. New themes are added at the end, before TAULU_CATEGORY_COUNT. */
enum taulu_category {
    TAULU_CATEGORY_LEARNING = 0,  /* "learning" */
    TAULU_CATEGORY_RELATIONSHIPS, /* "relationships" */
    TAULU_CATEGORY_HOUSING,       /* "housing" */
    TAULU_CATEGORY_WORK,          /* "work" */
    TAULU_CATEGORY_LEISURE,       /* "leisure" */
    TAULU_CATEGORY_EVERYDAY,      /* "everyday" */
    TAULU_CATEGORY_LIVELIHOOD,    /* "livelihood" */
    TAULU_CATEGORY_PARTICIPATION, /* "participation" */
    TAULU_CATEGORY_HEALTH,        /* "health" */
    TAULU_CATEGORY_LIFESTYLE,     /* "lifestyle" */
    TAULU_CATEGORY_COUNT
};

/* Longest key, without the NUL. */
#define TAULU_CATEGORY_KEY_MAX 16

struct taulu_category_info {
    enum taulu_category id;
    const char *key; /* wire form: [a-z]+, at most TAULU_CATEGORY_KEY_MAX */
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

/* The label of a category in a language ("fi", "sv", "en"; other languages
 * and NULL fall back to Finnish, the county's language), full or short
 * (`short_form` non-zero). NULL only if `c` is not valid. Static data. */
const char *taulu_category_label(enum taulu_category c, const char *lang,
                                 int short_form);

#endif
