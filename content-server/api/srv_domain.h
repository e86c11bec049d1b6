/*
 * srv_domain.h: the fixed vocabularies of the data model and their checks:
 * municipality codes of the county (data/municipalities.txt, compiled in),
 * the ten category slugs (../shared/domain/activity-categories.md), item
 * kinds, organisation kinds, screen orientations and language codes.
 * Pure functions; no I/O.
 */
#ifndef SRV_DOMAIN_H
#define SRV_DOMAIN_H

#include <stdbool.h>

struct srv_municipality {
    const char *code; /* Statistics Finland, 3 digits */
    const char *name; /* Finnish name */
};

extern const struct srv_municipality srv_municipalities[];
extern const unsigned srv_municipality_count;

/* The municipality with this code, or NULL. */
const struct srv_municipality *srv_municipality_find(const char *code);

/* NULL-terminated lists, usable as enums by the JSON validator. */
extern const char *const srv_categories[];   /* TAULU_CATEGORY_LIST slugs */
extern const char *const srv_item_kinds[];   /* "bulletin", "event" */
extern const char *const srv_org_kinds[];    /* "ngo", "parish", ... */
extern const char *const srv_orientations[]; /* "landscape", "portrait" */

/* 1 if s is one of the NULL-terminated list. */
bool srv_in_list(const char *const *list, const char *s);

/* A language tag we accept for a text version: two or three lowercase
 * ASCII letters (fi, sv, en, se, smn, ...). */
bool srv_lang_valid(const char *s);

/* An absolute http(s) URL of at most TAULU_LINK_MAX_CHARS bytes with a
 * host, of the characters the manifest allows (taulu_manifest_link_valid():
 * no spaces, controls, non-ASCII, quotes, braces, ...), no credentials
 * ("user@host"). */
bool srv_link_valid(const char *s);

/* A plausible e-mail address: one '@', a dot in the domain, printable
 * ASCII without spaces, at most 254 bytes. */
bool srv_email_valid(const char *s);

/* "HH:MM" with HH 00..24 and MM 00..59 (24:00 only as closing time);
 * minutes since midnight or -1. */
int srv_hhmm(const char *s);

#endif
