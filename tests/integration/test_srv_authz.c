/*
 * test_srv_authz.c: the authorisation matrix. Every route, called as every
 * role (anonymous, member of organisation A, member of B, contact person of
 * centre 1, contact of centre 2, coordinator, screen token), on objects that
 * are the caller's own or someone else's, with the status each must get.
 * At the end /metrics proves that every route of the server's table was
 * exercised, so a new route without a row here fails the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <cmocka.h>

#include "itest.h"
#include "srv_api.h"

enum { ANON, MEM_A, MEM_B, CON_1, CON_2, COORD, SCREEN, NROLES };
static const char *const role_names[NROLES] = {
    "anonymous", "member A",    "member B", "contact 1",
    "contact 2", "coordinator", "screen"};

/* What a row needs made fresh before each call (so that one role's
 * success does not change what the next role meets). */
enum fresh {
    F_NONE,
    F_AREA,      /* {X}: a new area */
    F_CENTRE,    /* {X}: a new centre */
    F_SCREEN,    /* {X}: a new screen at c1 */
    F_ITEM,      /* {X}: a new item of org A at c1 (version 1) */
    F_PLACEMENT, /* {X}: the c1 placement of a new item of org A */
    F_ALERT,     /* {X}: a new alert at c1 */
    F_SCREEN2,   /* {X}: another new screen at c1 (never deleted) */
    F_RITEM,     /* {X}: a new weekly event of org A at c1; {DAY}: its
                    first date */
    F_DRAFT,     /* {X}: a new draft of member A's */
    F_SOURCE,    /* {X}: a new iCalendar source of org A for c1 */
};

struct row {
    const char *method;
    const char *path;
    const char *body;
    enum fresh fresh;
    int expect[NROLES];
};

#define ALL(x)                                                                 \
    {                                                                          \
        x, x, x, x, x, x, x                                                    \
    }
#define USERS(x)                                                               \
    {                                                                          \
        401, x, x, x, x, x, 403                                                \
    }
#define COORD_ONLY(x)                                                          \
    {                                                                          \
        401, 403, 403, 403, 403, x, 403                                        \
    }

static const char SCREEN_BODY[] =
    "{\"centre_id\":{C1},\"name\":\"%s\",\"orientation\":\"portrait\","
    "\"width_px\":1080,\"height_px\":1920,\"diagonal_in\":43,"
    "\"viewing_distance_m\":2.5}";
#define ITEM_BODY(ver)                                                         \
    "{" ver "\"kind\":\"bulletin\",\"category\":\"elintavat\","                \
    "\"display_until\":\"{UNTIL}\",\"texts\":[{\"lang\":\"fi\","               \
    "\"plain\":true,\"title\":\"Kävelyryhmä\",\"body\":\"Lähde mukaan.\"}]"

static const struct row rows[] = {
    {"GET", "/healthz", NULL, F_NONE, ALL(200)},
    {"GET", "/metrics", NULL, F_NONE, ALL(200)},
    {"POST", "/api/v1/login",
     "{\"email\":\"nobody{ROLE}@example.fi\",\"password\":\"wrong-pass-1\"}",
     F_NONE, ALL(401)},
    {"GET", "/api/v1/me", NULL, F_NONE, USERS(200)},
    {"POST", "/api/v1/tokens", "{\"name\":\"m\"}", F_NONE, USERS(201)},
    {"DELETE", "/api/v1/tokens/999999", NULL, F_NONE, USERS(404)},
    {"GET",
     "/api/v1/screen",
     NULL,
     F_NONE,
     {401, 403, 403, 403, 403, 403, 200}},

    {"GET", "/api/v1/areas", NULL, F_NONE, USERS(200)},
    {"POST", "/api/v1/areas", "{\"name\":\"Alue {ROLE}\"}", F_NONE,
     COORD_ONLY(201)},
    {"PUT", "/api/v1/areas/{AREA}", "{\"name\":\"Oulu-Koillismaa\"}", F_NONE,
     COORD_ONLY(204)},
    {"DELETE", "/api/v1/areas/{X}", NULL, F_AREA, COORD_ONLY(204)},

    {"GET", "/api/v1/centres", NULL, F_NONE, USERS(200)},
    {"GET", "/api/v1/centres/{C1}", NULL, F_NONE, USERS(200)},
    {"POST", "/api/v1/centres",
     "{\"name\":\"Keskus {ROLE}\",\"municipality\":\"305\"}", F_NONE,
     COORD_ONLY(201)},
    {"PUT", "/api/v1/centres/{C2}",
     "{\"name\":\"Kaakkurin sote-keskus\",\"municipality\":\"564\"}", F_NONE,
     COORD_ONLY(204)},
    {"DELETE", "/api/v1/centres/{X}", NULL, F_CENTRE, COORD_ONLY(204)},
    /* Not even the centre's own contact person may change or delete it
     * (403 before the body is read); the coordinator passes and is
     * refused by the body (no municipality 999) and by what c1 holds (a
     * screen, items), so the rows change nothing. */
    {"PUT", "/api/v1/centres/{C1}", "{\"name\":\"X\",\"municipality\":\"999\"}",
     F_NONE, COORD_ONLY(400)},
    {"DELETE", "/api/v1/centres/{C1}", NULL, F_NONE, COORD_ONLY(409)},

    {"GET",
     "/api/v1/screens",
     NULL,
     F_NONE,
     {401, 403, 403, 200, 200, 200, 403}},
    {"GET",
     "/api/v1/screens?centre_id={C1}",
     NULL,
     F_NONE,
     {401, 403, 403, 200, 403, 200, 403}},
    {"GET",
     "/api/v1/screens/{S1}",
     NULL,
     F_NONE,
     {401, 403, 403, 200, 403, 200, 403}},
    {"POST", "/api/v1/screens", NULL /* SCREEN_BODY */, F_NONE,
     COORD_ONLY(201)},
    {"PUT", "/api/v1/screens/{S1}", NULL /* SCREEN_BODY */, F_NONE,
     COORD_ONLY(204)},
    {"DELETE", "/api/v1/screens/{X}", NULL, F_SCREEN, COORD_ONLY(204)},

    {"GET", "/api/v1/organisations", NULL, F_NONE, USERS(200)},
    {"GET",
     "/api/v1/organisations/{A}",
     NULL,
     F_NONE,
     {401, 200, 404, 404, 404, 200, 403}},
    {"GET",
     "/api/v1/organisations/{B}",
     NULL,
     F_NONE,
     {401, 404, 200, 404, 404, 200, 403}},
    {"POST", "/api/v1/organisations",
     "{\"name\":\"Yhdistys {ROLE}\",\"kind\":\"ngo\"}", F_NONE,
     COORD_ONLY(201)},
    {"PUT", "/api/v1/organisations/{A}",
     "{\"name\":\"Oulun Muistiyhdistys\",\"kind\":\"ngo\"}", F_NONE,
     COORD_ONLY(204)},
    {"POST", "/api/v1/organisations/{B}/members", "{\"user_id\":{SPARE}}",
     F_NONE, COORD_ONLY(204)},
    {"DELETE", "/api/v1/organisations/{B}/members/{SPARE}", NULL, F_NONE,
     COORD_ONLY(204)},

    {"GET", "/api/v1/users", NULL, F_NONE, COORD_ONLY(200)},
    {"GET", "/api/v1/users/{SPARE}", NULL, F_NONE, COORD_ONLY(200)},
    {"POST", "/api/v1/users",
     "{\"email\":\"uusi{ROLE}@example.fi\",\"name\":\"Uusi\"}", F_NONE,
     COORD_ONLY(201)},
    {"PUT", "/api/v1/users/{SPARE}", "{\"name\":\"Vara\"}", F_NONE,
     COORD_ONLY(204)},
    {"GET", "/api/v1/audit", NULL, F_NONE, COORD_ONLY(200)},

    {"GET", "/api/v1/items", NULL, F_NONE, USERS(200)},
    {"GET",
     "/api/v1/items?organisation_id={A}",
     NULL,
     F_NONE,
     {401, 200, 404, 404, 404, 200, 403}},
    {"POST",
     "/api/v1/items",
     ITEM_BODY("\"organisation_id\":{A},") ",\"centres\":[{C1}]}",
     F_NONE,
     {401, 201, 404, 404, 404, 201, 403}},
    {"GET",
     "/api/v1/items/{IA}",
     NULL,
     F_NONE,
     {401, 200, 404, 200, 404, 200, 403}},
    {"GET",
     "/api/v1/items/{IB}",
     NULL,
     F_NONE,
     {401, 404, 200, 200, 404, 200, 403}},
    {"PUT",
     "/api/v1/items/{X}",
     ITEM_BODY("\"version\":1,") "}",
     F_ITEM,
     {401, 200, 404, 403, 404, 200, 403}},
    {"POST",
     "/api/v1/items/{X}/withdraw",
     NULL,
     F_ITEM,
     {401, 200, 404, 403, 404, 200, 403}},
    {"GET",
     "/api/v1/items/{IA}/versions/1",
     NULL,
     F_NONE,
     {401, 200, 404, 200, 404, 200, 403}},
    /* One occurrence of a series: whoever reads the item, its centre's
     * contact person too. */
    {"POST",
     "/api/v1/items/{X}/cancel-occurrence",
     "{\"date\":\"{DAY}\"}",
     F_RITEM,
     {401, 200, 404, 200, 404, 200, 403}},
    {"POST",
     "/api/v1/items/{X}/restore-occurrence",
     "{\"date\":\"{DAY}\"}",
     F_RITEM,
     {401, 200, 404, 200, 404, 200, 403}},
    {"POST", "/api/v1/recurrence",
     "{\"starts_at\":\"{RSTART}\",\"ends_at\":\"{REND}\","
     "\"recurrence\":{\"freq\":\"weekly\",\"byday\":[\"TU\"],"
     "\"until\":\"{RUNTIL}\"}}",
     F_NONE, USERS(200)},

    {"GET", "/api/v1/queue", NULL, F_NONE, {401, 403, 403, 200, 200, 200, 403}},
    {"GET",
     "/api/v1/queue?centre_id={C1}",
     NULL,
     F_NONE,
     {401, 403, 403, 200, 403, 200, 403}},
    {"GET",
     "/api/v1/placements/{PA}",
     NULL,
     F_NONE,
     {401, 200, 404, 200, 404, 200, 403}},
    {"GET",
     "/api/v1/placements/{PB}",
     NULL,
     F_NONE,
     {401, 404, 200, 200, 404, 200, 403}},
    {"POST",
     "/api/v1/placements/{X}/approve",
     "{\"item_version\":1}",
     F_PLACEMENT,
     {401, 403, 404, 200, 404, 200, 403}},
    {"POST",
     "/api/v1/placements/{X}/reject",
     "{\"item_version\":1,\"reason\":\"Ei.\"}",
     F_PLACEMENT,
     {401, 403, 404, 200, 404, 200, 403}},
    {"POST",
     "/api/v1/placements/{X}/request-changes",
     "{\"item_version\":1,\"reason\":\"Korjaa.\"}",
     F_PLACEMENT,
     {401, 403, 404, 200, 404, 200, 403}},

    {"GET",
     "/api/v1/alerts",
     NULL,
     F_NONE,
     {401, 403, 403, 200, 200, 200, 403}},
    {"POST",
     "/api/v1/alerts",
     "{\"centre_id\":{C1},\"ends_at\":\"{ENDS}\",\"texts\":[{\"lang\":\"fi\","
     "\"title\":\"Hissi\",\"body\":\"Hissi on rikki.\"}]}",
     F_NONE,
     {401, 403, 403, 201, 403, 201, 403}},
    {"POST",
     "/api/v1/alerts",
     "{\"ends_at\":\"{ENDS}\",\"texts\":[{\"lang\":\"fi\",\"title\":"
     "\"Kaikille\",\"body\":\"Tiedote.\"}]}",
     F_NONE,
     {401, 403, 403, 403, 403, 201, 403}},
    {"POST",
     "/api/v1/alerts/{X}/end",
     NULL,
     F_ALERT,
     {401, 403, 403, 200, 403, 200, 403}},

    /* The checker and the preview: every signed-in user. */
    {"POST", "/api/v1/check",
     "{\"lang\":\"fi\",\"plain\":true,\"title\":\"Kävelyryhmä\","
     "\"body\":\"Lähde mukaan.\",\"centres\":[{C1}]}",
     F_NONE, USERS(200)},
    {"POST", "/api/v1/preview",
     "{\"lang\":\"fi\",\"plain\":true,\"title\":\"Kävelyryhmä\","
     "\"body\":\"Lähde mukaan.\",\"orientation\":\"portrait\"}",
     F_NONE, USERS(200)},
    {"POST", "/api/v1/preview/screens",
     "{\"lang\":\"fi\",\"plain\":true,\"title\":\"Kävelyryhmä\","
     "\"body\":\"Lähde mukaan.\",\"centres\":[{C1}],\"image_px\":160}",
     F_NONE, USERS(200)},
    /* The text limits for the web form: not secret. */
    {"GET", "/api/v1/limits", NULL, F_NONE, ALL(200)},
    {"POST", "/api/v1/screens/profile-check",
     "{\"width_px\":1920,\"height_px\":1080,\"orientation\":"
     "\"landscape\",\"diagonal_in\":55,\"viewing_distance_m\":3}",
     F_NONE, USERS(200)},
    /* Publishing. The manifest route takes only a screen token, for that
     * screen only; an image upload is authorised first, then its type is
     * checked (a JSON body: 415). */
    {"GET",
     "/api/v1/screens/screen-{S1}/manifest",
     NULL,
     F_NONE,
     {401, 401, 401, 401, 401, 401, 200}},
    {"GET",
     "/api/v1/screens/screen-{X}/manifest",
     NULL,
     F_SCREEN2,
     {401, 401, 401, 401, 401, 401, 403}},
    {"GET",
     "/api/v1/assets/"
     "0000000000000000000000000000000000000000000000000000000000000000",
     NULL,
     F_NONE,
     {401, 404, 404, 404, 404, 404, 404}},
    {"POST",
     "/api/v1/images",
     "{}",
     F_NONE,
     {401, 415, 415, 403, 403, 415, 403}},
    {"GET",
     "/api/v1/screens/{S1}/status",
     NULL,
     F_NONE,
     {401, 403, 403, 200, 403, 200, 403}},
    {"GET",
     "/api/v1/centres/{C1}/live",
     NULL,
     F_NONE,
     {401, 403, 403, 200, 403, 200, 403}},
    {"GET",
     "/api/v1/items/{IA}/live",
     NULL,
     F_NONE,
     {401, 200, 404, 200, 404, 200, 403}},
    /* Play reports: members see their own organisation's, contact persons
     * what was shown at their centres (so always a 200), coordinators all. */
    {"GET",
     "/api/v1/reports/plays?organisation_id={A}",
     NULL,
     F_NONE,
     {401, 200, 404, 200, 200, 200, 403}},
    {"GET",
     "/api/v1/reports/plays?organisation_id={B}&format=csv",
     NULL,
     F_NONE,
     {401, 404, 200, 200, 200, 200, 403}},
    {"GET",
     "/api/v1/reports/plays",
     NULL,
     F_NONE,
     {401, 404, 404, 200, 200, 200, 403}},
    {"GET",
     "/api/v1/reports/plays?from=2026-02-30",
     NULL,
     F_NONE,
     {401, 400, 400, 400, 400, 400, 403}},
    /* Accounts: one's own settings and password (a wrong current
     * password is 400); "forgot" answers every caller alike; a link that
     * is no link is 404 for everyone; invitations and forced resets are
     * the coordinator's (the spare account has a password: 409). */
    {"PUT", "/api/v1/me", "{\"lang\":\"sv\",\"notify\":false}", F_NONE,
     USERS(200)},
    {"POST", "/api/v1/me/password",
     "{\"current_password\":\"not-the-password-{ROLE}\","
     "\"new_password\":\"uusi-salasana-{ROLE}\"}",
     F_NONE, USERS(400)},
    {"POST", "/api/v1/password/forgot",
     "{\"email\":\"nobody{ROLE}@example.fi\"}", F_NONE, ALL(202)},
    {"POST", "/api/v1/password/link",
     "{\"token\":\"00000000000000000000000000000000"
     "00000000000000000000000000000000\"}",
     F_NONE, ALL(404)},
    {"POST", "/api/v1/password/set",
     "{\"token\":\"00000000000000000000000000000000"
     "00000000000000000000000000000000\",\"password\":\"uusi-salasana-1\"}",
     F_NONE, ALL(404)},
    {"POST", "/api/v1/users/{SPARE}/invite", NULL, F_NONE, COORD_ONLY(409)},
    {"POST", "/api/v1/users/{SPARE}/reset", NULL, F_NONE, COORD_ONLY(202)},
    /* Drafts: one's own only; another's does not exist for anyone, the
     * coordinator included. An organisation's defaults: its members and
     * the coordinator. */
    {"GET", "/api/v1/drafts", NULL, F_NONE, USERS(200)},
    {"POST", "/api/v1/drafts",
     "{\"form\":\"item:new\",\"title\":\"Kävelyryhmä\","
     "\"content\":{\"fi-title\":\"Kävelyryhmä\"}}",
     F_NONE, USERS(201)},
    {"GET",
     "/api/v1/drafts/{X}",
     NULL,
     F_DRAFT,
     {401, 200, 404, 404, 404, 404, 403}},
    {"DELETE",
     "/api/v1/drafts/{X}",
     NULL,
     F_DRAFT,
     {401, 204, 404, 404, 404, 404, 403}},
    {"PUT",
     "/api/v1/organisations/{A}/defaults",
     "{\"place\":\"Seurakuntatalo\",\"languages\":[\"fi\"]}",
     F_NONE,
     {401, 200, 404, 404, 404, 200, 403}},
    /* Screens in the field. Anyone may open an enrolment session (a new
     * player has no credentials); its poll takes only the session's own
     * secret; binding a code and importing screens are the
     * coordinator's. A screenshot is asked for by whoever reads the
     * screen (503 here: this server has no broker to reach it), and
     * uploaded only by the screen itself. */
    {"POST", "/api/v1/enrol",
     "{\"key\":\"00000000000000000000000000000000000000000000000000000000"
     "0000000{ROLE}\"}",
     F_NONE, ALL(201)},
    {"GET", "/api/v1/enrol/0123456789abcdef0123456789abcdef", NULL, F_NONE,
     ALL(401)},
    {"POST", "/api/v1/enrol/bind",
     "{\"code\":\"ABCD-EFGH\",\"screen_id\":{S1}}", F_NONE, COORD_ONLY(404)},
    {"POST", "/api/v1/screens/import", "{}", F_NONE, COORD_ONLY(415)},
    {"POST",
     "/api/v1/screens/{S1}/screenshot",
     "{}",
     F_NONE,
     {401, 403, 403, 503, 403, 503, 403}},
    {"GET",
     "/api/v1/screens/{S1}/screenshot",
     NULL,
     F_NONE,
     {401, 403, 403, 200, 403, 200, 403}},
    {"GET",
     "/api/v1/screens/{S1}/screenshot/image",
     NULL,
     F_NONE,
     {401, 403, 403, 404, 403, 404, 403}},
    {"PUT",
     "/api/v1/screens/screen-{S1}/screenshot",
     "{}",
     F_NONE,
     {401, 403, 403, 403, 403, 403, 415}},
    {"PUT",
     "/api/v1/screens/screen-{X}/screenshot",
     "{}",
     F_SCREEN2,
     {401, 403, 403, 403, 403, 403, 403}},
    /* Import sources: an event source is its organisation's (members,
     * coordinators; others do not see it); a PTV source writes a centre's
     * facts (coordinator). Nothing is fetched here: the address does not
     * resolve and the source's run fails on its own. */
    {"GET", "/api/v1/import-sources", NULL, F_NONE, USERS(200)},
    {"POST",
     "/api/v1/import-sources",
     "{\"kind\":\"ical\",\"name\":\"Syöte {ROLE}\",\"url\":"
     "\"https://feeds.invalid/{ROLE}.ics\",\"organisation_id\":{A},"
     "\"centres\":[{C1}],\"category\":\"ihmissuhteet\"}",
     F_NONE,
     {401, 201, 404, 404, 404, 201, 403}},
    {"POST", "/api/v1/import-sources",
     "{\"kind\":\"ptv\",\"name\":\"PTV {ROLE}\",\"url\":"
     "\"https://ptv.invalid/{ROLE}\",\"centres\":[{C2}]}",
     F_NONE, COORD_ONLY(201)},
    {"GET",
     "/api/v1/import-sources/{X}",
     NULL,
     F_SOURCE,
     {401, 200, 404, 200, 404, 200, 403}},
    {"PUT",
     "/api/v1/import-sources/{X}",
     "{\"name\":\"Uusi nimi\",\"url\":\"https://feeds.invalid/u.ics\","
     "\"centres\":[{C1}],\"category\":\"elintavat\"}",
     F_SOURCE,
     {401, 200, 404, 403, 404, 200, 403}},
    {"POST",
     "/api/v1/import-sources/{X}/run",
     NULL,
     F_SOURCE,
     {401, 202, 404, 403, 404, 202, 403}},
    {"DELETE",
     "/api/v1/import-sources/{X}",
     NULL,
     F_SOURCE,
     {401, 204, 404, 403, 404, 204, 403}},
    /* A centre's public pages: anyone, no credentials needed; an item
     * that is not shown there is a 404 page in words. */
    {"GET", "/public/centres", NULL, F_NONE, ALL(200)},
    {"GET", "/public/centres/{C1}", NULL, F_NONE, ALL(200)},
    {"GET", "/public/centres/{C1}/items/{IA}", NULL, F_NONE, ALL(404)},
    {"GET", "/p/{C1}/{IA}", NULL, F_NONE, ALL(404)},
    {"GET", "/public/centres/{C1}/calendar.ics", NULL, F_NONE, ALL(200)},
    {"GET", "/public/centres/{C1}/feed.atom?lang=sv", NULL, F_NONE, ALL(200)},
    /* Last, because it ends the callers' sessions where they have one. */
    {"POST", "/api/v1/logout", NULL, F_NONE, USERS(204)},
};

static struct itest_server srv;
static struct itest_world w;
static long long item_a, item_b, pl_a, pl_b, spare;
static char until[32], ends[32];
static struct itest_series series; /* every Tuesday, for F_RITEM */

static const struct itest_auth *as(int role)
{
    switch (role) {
    case MEM_A:
        return &w.mem_a;
    case MEM_B:
        return &w.mem_b;
    case CON_1:
        return &w.con_1;
    case CON_2:
        return &w.con_2;
    case COORD:
        return &w.coord;
    case SCREEN:
        return &w.screen;
    default:
        return &w.anon;
    }
}

static long long post_id(const char *path, const char *body)
{
    cJSON *j = itest_call(&srv, &w.coord, 201, "POST", path, "%s", body);
    long long id = itest_int(j, "id");

    cJSON_Delete(j);
    return id;
}

static int screen2_made;

static long long make_fresh(enum fresh f, int role)
{
    char body[512];
    long long id;

    switch (f) {
    case F_AREA:
        snprintf(body, sizeof(body), "{\"name\":\"Poistettava %d\"}", role);
        return post_id("/api/v1/areas", body);
    case F_CENTRE:
        snprintf(body, sizeof(body),
                 "{\"name\":\"Poistettava keskus %d\",\"municipality\":"
                 "\"009\"}",
                 role);
        return post_id("/api/v1/centres", body);
    case F_SCREEN:
        snprintf(body, sizeof(body),
                 "{\"centre_id\":%lld,\"name\":\"Poistettava %d\","
                 "\"orientation\":\"landscape\",\"width_px\":1920,"
                 "\"height_px\":1080,\"diagonal_in\":55,"
                 "\"viewing_distance_m\":3}",
                 w.c1, role);
        return post_id("/api/v1/screens", body);
    case F_SCREEN2:
        /* (more than one row makes these: a name per call) */
        screen2_made++;
        snprintf(body, sizeof(body),
                 "{\"centre_id\":%lld,\"name\":\"Toinen %d-%d\","
                 "\"orientation\":\"landscape\",\"width_px\":1920,"
                 "\"height_px\":1080,\"diagonal_in\":55,"
                 "\"viewing_distance_m\":3}",
                 w.c1, role, screen2_made);
        return post_id("/api/v1/screens", body);
    case F_ITEM:
        return itest_item(&srv, &w.coord, w.org_a, "[1]", "Tuore");
    case F_PLACEMENT:
        id = itest_item(&srv, &w.coord, w.org_a, "[1]", "Tuore");
        return itest_placement(&srv, &w.coord, id, w.c1);
    case F_RITEM:
        return itest_recurring_item(&srv, &w.coord, w.org_a, "[1]", "Sarja",
                                    &series, "TU");
    case F_DRAFT: {
        static int n;
        cJSON *j;
        snprintf(body, sizeof(body),
                 "{\"form\":\"item:edit-%d\",\"content\":{}}", ++n);
        j = itest_call(&srv, &w.mem_a, 201, "POST", "/api/v1/drafts", "%s",
                       body);
        id = itest_int(j, "id");
        cJSON_Delete(j);
        return id;
    }
    case F_SOURCE:
        snprintf(body, sizeof(body),
                 "{\"kind\":\"ical\",\"name\":\"Tuore %d\",\"url\":"
                 "\"https://feeds.invalid/%d.ics\",\"organisation_id\":%lld,"
                 "\"centres\":[%lld],\"category\":\"elintavat\"}",
                 role, role, w.org_a, w.c1);
        return post_id("/api/v1/import-sources", body);
    case F_ALERT:
        snprintf(body, sizeof(body),
                 "{\"centre_id\":%lld,\"ends_at\":\"%s\",\"texts\":[{"
                 "\"lang\":\"fi\",\"title\":\"Tuore\",\"body\":\"x\"}]}",
                 w.c1, ends);
        return post_id("/api/v1/alerts", body);
    default:
        return 0;
    }
}

/* Replaces {NAME} tokens. */
static void expand(const char *in, char *out, size_t size, int role,
                   long long x)
{
    size_t o = 0;

    while (*in && o + 1 < size) {
        char val[64];
        const char *end;
        size_t k;
        if (*in != '{' || !(end = strchr(in, '}')) || end - in > 8) {
            out[o++] = *in++;
            continue;
        }
        k = (size_t)(end - in - 1);
#define TOK(name, fmt, v)                                                      \
    if (k == strlen(name) && strncmp(in + 1, name, k) == 0) {                  \
        snprintf(val, sizeof(val), fmt, v);                                    \
    } else
        TOK("ROLE", "%d", role)
        TOK("X", "%lld", x)
        TOK("A", "%lld", w.org_a)
        TOK("B", "%lld", w.org_b)
        TOK("C1", "%lld", w.c1)
        TOK("C2", "%lld", w.c2)
        TOK("S1", "%lld", w.s1)
        TOK("AREA", "%lld", w.area)
        TOK("IA", "%lld", item_a)
        TOK("IB", "%lld", item_b)
        TOK("PA", "%lld", pl_a)
        TOK("PB", "%lld", pl_b)
        TOK("SPARE", "%lld", spare)
        TOK("UNTIL", "%s", until)
        TOK("ENDS", "%s", ends)
        TOK("DAY", "%s", series.first_day)
        TOK("RSTART", "%s", series.starts_at)
        TOK("REND", "%s", series.ends_at)
        TOK("RUNTIL", "%s", series.until_day)
        {
            out[o++] = *in++;
            continue;
        }
#undef TOK
        for (k = 0; val[k] && o + 1 < size; k++) {
            out[o++] = val[k];
        }
        in = end + 1;
    }
    out[o] = '\0';
}

static void matrix(void **state)
{
    size_t i;
    int role, failures = 0;
    char path[256], body[1024], tmpl[1024];
    struct itest_resp r;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct row *row = &rows[i];
        const char *b = row->body;
        if (!b && strcmp(row->method, "GET") != 0 &&
            strncmp(row->path, "/api/v1/screens", 15) == 0) {
            b = tmpl;
        }
        for (role = 0; role < NROLES; role++) {
            long long x = make_fresh(row->fresh, role);
            if (b == tmpl) {
                char name[32];
                snprintf(name, sizeof(name), "Aula %s%d",
                         strcmp(row->method, "PUT") == 0 ? "" : "x",
                         strcmp(row->method, "PUT") == 0 ? 1 : role);
                snprintf(tmpl, sizeof(tmpl), SCREEN_BODY, name);
            }
            expand(row->path, path, sizeof(path), role, x);
            if (b) {
                expand(b, body, sizeof(body), role, x);
            }
            assert_int_equal(itest_req(&srv, row->method, path, as(role),
                                       b ? body : NULL, &r),
                             0);
            if (r.status != row->expect[role]) {
                fprintf(stderr, "%s %s as %s: %ld, expected %d: %s\n",
                        row->method, path, role_names[role], r.status,
                        row->expect[role], r.body ? r.body : "");
                failures++;
            }
            /* Every refusal is a JSON error in three languages; the
             * public pages answer people, with a page in words. */
            if (r.status >= 400 && (strncmp(path, "/public/", 8) == 0 ||
                                    strncmp(path, "/p/", 3) == 0)) {
                assert_non_null(r.body);
                assert_non_null(strstr(r.body, "<h1>"));
            } else if (r.status >= 400) {
                if (!r.json ||
                    !cJSON_GetObjectItemCaseSensitive(
                        cJSON_GetObjectItemCaseSensitive(r.json, "error"),
                        "message")) {
                    fprintf(stderr, "%s %s as %s: no JSON error: %s\n",
                            row->method, path, role_names[role],
                            r.body ? r.body : "");
                }
                assert_non_null(r.json);
                assert_non_null(cJSON_GetObjectItemCaseSensitive(
                    cJSON_GetObjectItemCaseSensitive(r.json, "error"),
                    "message"));
            }
            itest_resp_free(&r);
        }
    }
    assert_int_equal(failures, 0);
}

/* Every route of the table was called: each has a metrics line. */
static void every_route_covered(void **state)
{
    struct itest_resp r;
    unsigned i;
    char needle[200];
    int missing = 0;

    (void)state;
    assert_int_equal(itest_req(&srv, "GET", "/metrics", NULL, NULL, &r), 0);
    for (i = 0; i < srv_route_count; i++) {
        snprintf(needle, sizeof(needle),
                 "infotaulu_http_requests_total{route=\"%s\"",
                 srv_route_labels[i]);
        if (!strstr(r.body, needle)) {
            fprintf(stderr, "route not in the matrix: %s\n",
                    srv_route_labels[i]);
            missing++;
        }
    }
    itest_resp_free(&r);
    assert_int_equal(missing, 0);
}

/* Refusals were written to the audit log. */
static void refusals_audited(void **state)
{
    cJSON *j;
    struct itest_auth coord;

    (void)state;
    /* The coordinator's token was not logged out (bearer tokens have no
     * session), so it still works. */
    coord = w.coord;
    j = itest_call(&srv, &coord, 200, "GET",
                   "/api/v1/audit?refused=1&action=placement.decide", NULL);
    assert_true(cJSON_GetArraySize(
                    cJSON_GetObjectItemCaseSensitive(j, "entries")) >= 6);
    cJSON_Delete(j);
}

static int setup(void **state)
{
    char roles[64];

    (void)state;
    itest_setup_dir(&srv, "authz");
    itest_world_setup(&srv, &w);
    itest_iso(20 * 86400, until);
    itest_iso(6 * 3600, ends);
    itest_weekly(&series, 2, 8);
    item_a = itest_item(&srv, &w.mem_a, w.org_a, "[1]", "A:n tiedote");
    item_b = itest_item(&srv, &w.mem_b, w.org_b, "[1]", "B:n tiedote");
    pl_a = itest_placement(&srv, &w.mem_a, item_a, w.c1);
    pl_b = itest_placement(&srv, &w.mem_b, item_b, w.c1);
    snprintf(roles, sizeof(roles), "\"contact_centres\":[%lld]", w.c3);
    spare = itest_user(&srv, &w.coord, "vara@pohde.fi", roles, NULL);
    return 0;
}

/* Last: a clean stop, with no leak reported in a sanitizer build. */
static void server_stops_cleanly(void **state)
{
    (void)state;
    assert_int_equal(itest_stop(&srv), 0);
}

/* After a failed test the server may still run. */
static int teardown(void **state)
{
    (void)state;
    itest_kill9(&srv);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matrix),
        cmocka_unit_test(every_route_covered),
        cmocka_unit_test(refusals_audited),
        cmocka_unit_test(server_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
