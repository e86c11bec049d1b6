/*
 * srv_profile_words.c: a screen profile in the words of the people who
 * write for it. The checker's fit findings name the screen where a text
 * does not fit; a volunteer reads "Raahen sote-keskus, pystynäyttö (43
 * tuumaa), luetaan 2,5 metrin päästä", not '43" 1080×1920, 2.5 m' (that
 * stays in the finding's details, for the approver).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "srv_render.h"
#include "taulu_utf8.h"

/* "43", "42,5" (fi, sv) or "42.5" (en). */
static void number(double v, int lang, char *out, size_t size)
{
    if (fabs(v - round(v)) < 0.005) {
        snprintf(out, size, "%.0f", v);
    } else {
        snprintf(out, size, "%.1f", v);
        if (lang != CHECK_MSG_EN) {
            char *dot = strchr(out, '.');
            if (dot) {
                *dot = ',';
            }
        }
    }
}

void srv_profile_words(const struct srv_profile *p,
                       char out[CHECK_MSG_LANGS][CHECK_FIT_PROFILE_MAX])
{
    bool portrait = p->rp.height > p->rp.width;
    const char *c = p->centre[0] ? p->centre : "";
    const char *sep = p->centre[0] ? ", " : "";
    char diag[CHECK_MSG_LANGS][24], dist[CHECK_MSG_LANGS][24];
    int l;

    for (l = 0; l < CHECK_MSG_LANGS; l++) {
        number(p->rp.diagonal_in, l, diag[l], sizeof(diag[l]));
        number(p->rp.distance_m, l, dist[l], sizeof(dist[l]));
    }
    /* A long centre name is cut at the buffer's end (a character cut in two is
     * trimmed); the return values say so. */
    int n[CHECK_MSG_LANGS];

    n[CHECK_MSG_FI] = snprintf(out[CHECK_MSG_FI], CHECK_FIT_PROFILE_MAX,
                               "%s%s%s (%s tuumaa), luetaan %s metrin päästä",
                               c, sep, portrait ? "pystynäyttö" : "vaakanäyttö",
                               diag[CHECK_MSG_FI], dist[CHECK_MSG_FI]);
    n[CHECK_MSG_SV] =
        snprintf(out[CHECK_MSG_SV], CHECK_FIT_PROFILE_MAX,
                 "%s%s%s (%s tum), läses på %s meters avstånd", c, sep,
                 portrait ? "stående skärm" : "liggande skärm",
                 diag[CHECK_MSG_SV], dist[CHECK_MSG_SV]);
    n[CHECK_MSG_EN] =
        snprintf(out[CHECK_MSG_EN], CHECK_FIT_PROFILE_MAX,
                 "%s%s%s (%s inches), read from %s metres away", c, sep,
                 portrait ? "portrait screen" : "landscape screen",
                 diag[CHECK_MSG_EN], dist[CHECK_MSG_EN]);
    for (l = 0; l < CHECK_MSG_LANGS; l++) {
        if (n[l] < 0) {
            out[l][0] = '\0';
        } else if (n[l] >= CHECK_FIT_PROFILE_MAX) {
            taulu_utf8_trim_cut(out[l]);
        }
    }
}
