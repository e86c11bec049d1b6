/*
 * taulu_category.c: the table of card categories (see taulu_category.h).
 *
 * Finnish labels are the county's own wording (Pohde 2022), kept as written
 * even where it is unusual ("terveystyöt"). Swedish labels follow the
 * Finland-Swedish usage of the welfare counties (utkomst, välbefinnande,
 * delaktighet); English ones are plain glosses.
 */
#include "taulu_category.h"

#include <string.h>

#include "taulu_err.h"

static const struct taulu_category_info categories[TAULU_CATEGORY_COUNT] = {
    {TAULU_CATEGORY_LEARNING, "learning", "kasvu-oppiminen",
     "Kasvu, oppiminen, kasvuyhteisöt",
     "Uppväxt, lärande och uppväxtgemenskaper",
     "Growth, learning and communities", "Oppiminen", "Lärande", "Learning"},
    {TAULU_CATEGORY_RELATIONSHIPS, "relationships", "ihmissuhteet",
     "Ihmissuhteet ja elämänmuutokset", "Relationer och livsförändringar",
     "Relationships and life changes", "Ihmissuhteet", "Relationer",
     "Relationships"},
    {TAULU_CATEGORY_HOUSING, "housing", "asuminen-turvallisuus",
     "Asuminen, elinympäristö ja turvallisuus",
     "Boende, livsmiljö och säkerhet", "Housing, environment and safety",
     "Asuminen", "Boende", "Housing"},
    {TAULU_CATEGORY_WORK, "work", "tyo-toiminta", "Työ ja toiminta",
     "Arbete och verksamhet", "Work and activity", "Työ ja toiminta", "Arbete",
     "Work"},
    {TAULU_CATEGORY_LEISURE, "leisure", "vapaa-aika-kulttuuri",
     "Vapaa-aika ja kulttuuri", "Fritid och kultur", "Leisure and culture",
     "Vapaa-aika", "Fritid", "Leisure"},
    {TAULU_CATEGORY_EVERYDAY, "everyday", "toimiva-arki", "Toimiva arki",
     "Fungerande vardag", "Everyday life", "Toimiva arki", "Vardagen",
     "Everyday life"},
    {TAULU_CATEGORY_LIVELIHOOD, "livelihood", "toimeentulo",
     "Taloudellinen toimeentulo", "Ekonomisk utkomst", "Making ends meet",
     "Toimeentulo", "Utkomst", "Money matters"},
    {TAULU_CATEGORY_PARTICIPATION, "participation", "osallisuus",
     "Osallisuus, vaikuttaminen ja yhteiskunta",
     "Delaktighet, påverkan och samhälle", "Participation and society",
     "Osallisuus", "Delaktighet", "Participation"},
    {TAULU_CATEGORY_HEALTH, "health", "terveys-hyvinvointi",
     "Fyysinen terveys, mielen hyvinvointi ja itsensä toteuttaminen",
     "Fysisk hälsa, psykiskt välbefinnande och självförverkligande",
     "Physical health, mental wellbeing and self-fulfilment", "Terveys",
     "Hälsa", "Health"},
    {TAULU_CATEGORY_LIFESTYLE, "lifestyle", "elintavat",
     "Elintavat ja terveystyöt", "Levnadsvanor och hälsoarbete",
     "Lifestyle and health work", "Elintavat", "Levnadsvanor", "Lifestyle"},
};

/* The table follows TAULU_CATEGORY_LIST: same order, key and slug. */
#define TAULU_CATEGORY_KEY_(id, key, slug)  key,
#define TAULU_CATEGORY_SLUG_(id, key, slug) slug,
static const char *const list_keys[] = {
    TAULU_CATEGORY_LIST(TAULU_CATEGORY_KEY_)};
static const char *const list_slugs[] = {
    TAULU_CATEGORY_LIST(TAULU_CATEGORY_SLUG_)};
_Static_assert(sizeof list_keys / sizeof list_keys[0] == TAULU_CATEGORY_COUNT,
               "one table row a theme");

int taulu_category_table_ok(void)
{
    size_t i;

    for (i = 0; i < TAULU_CATEGORY_COUNT; i++) {
        if (categories[i].id != (enum taulu_category)i ||
            strcmp(categories[i].key, list_keys[i]) != 0 ||
            strcmp(categories[i].slug, list_slugs[i]) != 0) {
            return 0;
        }
    }
    return 1;
}

const struct taulu_category_info *taulu_category_get(enum taulu_category c)
{
    if ((int)c < 0 || c >= TAULU_CATEGORY_COUNT) {
        return NULL;
    }
    return &categories[c];
}

int taulu_category_from_key(const char *key, enum taulu_category *out)
{
    size_t i;

    if (!key) {
        return TAULU_EVALUE;
    }
    for (i = 0; i < TAULU_CATEGORY_COUNT; i++) {
        if (strcmp(categories[i].key, key) == 0) {
            *out = categories[i].id;
            return TAULU_OK;
        }
    }
    return TAULU_EVALUE;
}

const char *taulu_category_key(enum taulu_category c)
{
    const struct taulu_category_info *ci = taulu_category_get(c);

    return ci ? ci->key : NULL;
}

int taulu_category_from_slug_n(const char *s, size_t len,
                               enum taulu_category *out)
{
    size_t i;

    if (!s) {
        return TAULU_EVALUE;
    }
    for (i = 0; i < TAULU_CATEGORY_COUNT; i++) {
        if (strlen(categories[i].slug) == len &&
            memcmp(categories[i].slug, s, len) == 0) {
            *out = categories[i].id;
            return TAULU_OK;
        }
    }
    return TAULU_EVALUE;
}

int taulu_category_from_slug(const char *slug, enum taulu_category *out)
{
    return slug ? taulu_category_from_slug_n(slug, strlen(slug), out)
                : TAULU_EVALUE;
}

const char *taulu_category_slug(enum taulu_category c)
{
    const struct taulu_category_info *ci = taulu_category_get(c);

    return ci ? ci->slug : NULL;
}

const char *taulu_category_label(enum taulu_category c, const char *lang,
                                 int short_form)
{
    const struct taulu_category_info *ci = taulu_category_get(c);

    if (!ci) {
        return NULL;
    }
    if (lang && strcmp(lang, "sv") == 0) {
        return short_form ? ci->sv_short : ci->sv;
    }
    if (lang && strcmp(lang, "en") == 0) {
        return short_form ? ci->en_short : ci->en;
    }
    return short_form ? ci->fi_short : ci->fi;
}
