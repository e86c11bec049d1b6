/*
 * srv_domain.c: the fixed vocabularies of the data model (see srv_domain.h).
 */
#include "srv_domain.h"

#include <string.h>

#include "taulu_category.h"
#include "taulu_manifest.h"

#define SRV_SLUG_(id, key, slug) slug,
const char *const srv_categories[] = {TAULU_CATEGORY_LIST(SRV_SLUG_) NULL};
#undef SRV_SLUG_
const char *const srv_item_kinds[] = {"bulletin", "event", NULL};
const char *const srv_org_kinds[] = {"ngo", "parish", "county", "other", NULL};
const char *const srv_orientations[] = {"landscape", "portrait", NULL};

const struct srv_municipality *srv_municipality_find(const char *code)
{
    unsigned i;

    if (!code) {
        return NULL;
    }
    for (i = 0; i < srv_municipality_count; i++) {
        if (strcmp(srv_municipalities[i].code, code) == 0) {
            return &srv_municipalities[i];
        }
    }
    return NULL;
}

bool srv_in_list(const char *const *list, const char *s)
{
    if (!s) {
        return false;
    }
    for (; *list; list++) {
        if (strcmp(*list, s) == 0) {
            return true;
        }
    }
    return false;
}

bool srv_lang_valid(const char *s)
{
    size_t n = 0;

    if (!s) {
        return false;
    }
    for (; s[n]; n++) {
        if (s[n] < 'a' || s[n] > 'z' || n >= 3) {
            return false;
        }
    }
    return n >= 2;
}

bool srv_link_valid(const char *s)
{
    const char *host, *p;

    /* The manifest's own rule (what a screen accepts), the length of the
     * field table, and no credentials before the host. */
    if (!s || strlen(s) > TAULU_LINK_MAX_CHARS ||
        !taulu_manifest_link_valid(s)) {
        return false;
    }
    host = s + (strncmp(s, "https://", 8) == 0 ? 8 : 7);
    /* The host part: up to the first '/', '?' or '#'; non-empty, no '@'. */
    for (p = host; *p && *p != '/' && *p != '?' && *p != '#'; p++) {
        if (*p == '@') {
            return false;
        }
    }
    return p > host && *host != ':' && *host != '.';
}

bool srv_email_valid(const char *s)
{
    const char *at = NULL, *p;
    size_t n;

    if (!s) {
        return false;
    }
    n = strlen(s);
    if (n < 3 || n > 254) {
        return false;
    }
    for (p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch <= 0x20 || ch >= 0x7f || ch == '"' || ch == '<' || ch == '>' ||
            ch == '\\' || ch == ',' || ch == ';') {
            return false;
        }
        if (ch == '@') {
            if (at) {
                return false;
            }
            at = p;
        }
    }
    return at && at > s && strchr(at, '.') && at[1] != '.' && s[n - 1] != '.';
}

int srv_hhmm(const char *s)
{
    /* The manifest's own reader: what the API accepts is what a screen
     * will read. */
    return taulu_manifest_hhmm_parse(s, true);
}
