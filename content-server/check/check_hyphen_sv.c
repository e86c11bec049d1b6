/*
 * check_hyphen_sv.c: the libhyphen edge (the ALTLinux hyphenation library
 * LibreOffice uses), for Swedish break points from Debian's hyph_sv
 * dictionary (package hyphen-sv). The only file that includes hyphen.h.
 *
 * The dictionary is in ISO 8859-1: a word is lower-cased and recoded
 * before the lookup, and a word with a letter outside Latin-1 gets no
 * points. Only standard points are used: a non-standard one (a letter
 * added or changed at the break, the old "tillämpa" forms) is left out,
 * because a soft hyphen can only show a plain hyphen.
 */
#include <hyphen.h>
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "taulu_err.h"
#include "taulu_log.h"
#include "taulu_utf8.h"

struct check_sv_hyph {
    HyphenDict *dict;
};

struct check_sv_hyph *check_sv_hyph_new(const char *dict_path, int *err)
{
    struct check_sv_hyph *h = calloc(1, sizeof *h);

    if (!h) {
        *err = TAULU_ENOMEM;
        return NULL;
    }
    h->dict = hnj_hyphen_load(dict_path);
    if (!h->dict) {
        taulu_warn("check", "Swedish hyphenation dictionary not available: %s",
                   dict_path);
        free(h);
        *err = TAULU_EUNAVAIL;
        return NULL;
    }
    *err = 0;
    return h;
}

void check_sv_hyph_free(struct check_sv_hyph *h)
{
    if (!h) {
        return;
    }
    hnj_hyphen_free(h->dict);
    free(h);
}

int check_sv_hyph_word(struct check_sv_hyph *h, const char *word, size_t len,
                       unsigned char *before, size_t ncp)
{
    char latin[CHECK_HYPH_WORD_MAX + 1];
    char hyphens[CHECK_HYPH_WORD_MAX + 5];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    size_t p = 0, n = 0, i;
    uint32_t cp;

    if (!h || ncp > CHECK_HYPH_WORD_MAX) {
        return TAULU_ELIMIT;
    }
    memset(before, 0, ncp);
    while (p < len) {
        if (taulu_utf8_decode(word, len, &p, &cp) < 0 || n >= ncp) {
            return TAULU_EVALUE;
        }
        cp = check_cp_to_lower(cp);
        if (cp > 0xFF) {
            return TAULU_EVALUE; /* not in the dictionary's Latin-1 */
        }
        latin[n++] = (char)cp;
    }
    latin[n] = '\0';
    memset(hyphens, 0, sizeof hyphens);
    if (hnj_hyphen_hyphenate2(h->dict, latin, (int)n, hyphens, NULL, &rep, &pos,
                              &cut) != 0) {
        return TAULU_EVALUE;
    }
    /* An odd digit at i: a break after character i. */
    for (i = 0; i + 1 < n; i++) {
        if ((hyphens[i] & 1) && !(rep && rep[i])) {
            before[i + 1] = 1;
        }
    }
    if (rep) {
        for (i = 0; i < n; i++) {
            free(rep[i]);
        }
        free(rep);
    }
    free(pos);
    free(cut);
    return 0;
}
