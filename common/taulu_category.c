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
    {TAULU_CATEGORY_LEARNING, "learning", "Kasvu, oppiminen, kasvuyhteisöt",
     "Uppväxt, lärande och uppväxtgemenskaper",
     "Growth, learning and communities", "Oppiminen", "Lärande", "Learning"},
    {TAULU_CATEGORY_RELATIONSHIPS, "relationships",
     "Ihmissuhteet ja elämänmuutokset", "Relationer och livsförändringar",
     "Relationships and life changes", "Ihmissuhteet", "Relationer",
     "Relationships"},
    {TAULU_CATEGORY_HOUSING, "housing",
     "Asuminen, elinympäristö ja turvallisuus",
     "Boende, livsmiljö och säkerhet", "Housing, environment and safety",
     "Asuminen", "Boende", "Housing"},
    {TAULU_CATEGORY_WORK, "work", "Työ ja toiminta", "Arbete och verksamhet",
     "Work and activity", "Työ ja toiminta", "Arbete", "Work"},
    {TAULU_CATEGORY_LEISURE, "leisure", "Vapaa-aika ja kulttuuri",
     "Fritid och kultur", "Leisure and culture", "Vapaa-aika", "Fritid",
     "Leisure"},
    {TAULU_CATEGORY_EVERYDAY, "everyday", "Toimiva arki", "Fungerande vardag",
     "Everyday life", "Toimiva arki", "Vardagen", "Everyday life"},
    {TAULU_CATEGORY_LIVELIHOOD, "livelihood", "Taloudellinen toimeentulo",
     "Ekonomisk utkomst", "Making ends meet", "Toimeentulo", "Utkomst",
     "Money matters"},
    {TAULU_CATEGORY_PARTICIPATION, "participation",
     "Osallisuus, vaikuttaminen ja yhteiskunta",
     "Delaktighet, påverkan och samhälle", "Participation and society",
     "Osallisuus", "Delaktighet", "Participation"},
    {TAULU_CATEGORY_HEALTH, "health",
     "Fyysinen terveys, mielen hyvinvointi ja itsensä toteuttaminen",
     "Fysisk hälsa, psykiskt välbefinnande och självförverkligande",
     "Physical health, mental wellbeing and self-fulfilment",
     "Terveys ja hyvinvointi", "Hälsa och välbefinnande",
     "Health and wellbeing"},
    {TAULU_CATEGORY_LIFESTYLE, "lifestyle", "Elintavat ja terveystyöt",
     "Levnadsvanor och hälsoarbete", "Lifestyle and health work", "Elintavat",
     "Levnadsvanor", "Lifestyle"},
};

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
