/*
 * srv_api.c: the route table, authentication of callers, and the session,
 * token, health and metrics handlers.
 */
#include "srv_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_auth.h"
#include "srv_check.h"
#include "srv_mailer.h"
#include "srv_fields.h"
#include "srv_pubapp.h"
#include "srv_tally.h"
#include "srv_screen_csv.h"
#include "srv_shots.h"
#include "taulu_time.h"
#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_log.h"

#define TAG "api"

/* Every route of the server. `auth` gates who may call it at all; `scope`
 * and `action` say where the policy is asked (srv_http.h). */
const struct srv_route srv_routes[] = {
    /* method, pattern, auth, scope, action, handler, max_body (0: max_json) */
    {"GET", "/healthz", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE, 0, srv_h_healthz, 0},
    {"GET", "/metrics", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE, 0, srv_h_metrics, 0},
    {"POST", "/api/v1/login", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE, 0, srv_h_login,
     0},
    {"POST", "/api/v1/logout", SRV_AUTH_USER, SRV_SCOPE_GLOBAL, SRV_A_TOKEN_OWN,
     srv_h_logout, 0},
    {"GET", "/api/v1/me", SRV_AUTH_USER, SRV_SCOPE_GLOBAL, SRV_A_TOKEN_OWN,
     srv_h_me, 0},
    {"POST", "/api/v1/tokens", SRV_AUTH_USER, SRV_SCOPE_GLOBAL, SRV_A_TOKEN_OWN,
     srv_h_token_create, 0},
    {"DELETE", "/api/v1/tokens/{id}", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_TOKEN_OWN, srv_h_token_delete, 0},
    {"GET", "/api/v1/screen", SRV_AUTH_SCREEN, SRV_SCOPE_OBJECT,
     SRV_A_SCREEN_SELF, srv_h_screen_self, 0},

    {"GET", "/api/v1/areas", SRV_AUTH_USER, SRV_SCOPE_GLOBAL, SRV_A_AREA_READ,
     srv_h_area_list, 0},
    {"POST", "/api/v1/areas", SRV_AUTH_USER, SRV_SCOPE_GLOBAL, SRV_A_AREA_WRITE,
     srv_h_area_create, 0},
    {"PUT", "/api/v1/areas/{id}", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_AREA_WRITE, srv_h_area_update, 0},
    {"DELETE", "/api/v1/areas/{id}", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_AREA_WRITE, srv_h_area_delete, 0},
    {"GET", "/api/v1/centres", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_CENTRE_READ, srv_h_centre_list, 0},
    {"GET", "/api/v1/centres/{id}", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_CENTRE_READ, srv_h_centre_get, 0},
    {"POST", "/api/v1/centres", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_CENTRE_WRITE, srv_h_centre_create, 0},
    {"PUT", "/api/v1/centres/{id}", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_CENTRE_WRITE, srv_h_centre_update, 0},
    {"DELETE", "/api/v1/centres/{id}", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_CENTRE_WRITE, srv_h_centre_delete, 0},
    {"GET", "/api/v1/screens", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_SCREEN_READ, srv_h_screen_list, 0},
    {"GET", "/api/v1/screens/{id}", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_SCREEN_READ, srv_h_screen_get, 0},
    {"POST", "/api/v1/screens", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_SCREEN_WRITE, srv_h_screen_create, 0},
    {"PUT", "/api/v1/screens/{id}", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_SCREEN_WRITE, srv_h_screen_update, 0},
    {"DELETE", "/api/v1/screens/{id}", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_SCREEN_WRITE, srv_h_screen_delete, 0},
    {"GET", "/api/v1/organisations", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ORG_READ, srv_h_org_list, 0},
    {"GET", "/api/v1/organisations/{id}", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ORG_READ, srv_h_org_get, 0},
    {"POST", "/api/v1/organisations", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_ORG_WRITE, srv_h_org_create, 0},
    {"PUT", "/api/v1/organisations/{id}", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_ORG_WRITE, srv_h_org_update, 0},
    {"POST", "/api/v1/organisations/{id}/members", SRV_AUTH_USER,
     SRV_SCOPE_GLOBAL, SRV_A_ORG_WRITE, srv_h_member_add, 0},
    {"DELETE", "/api/v1/organisations/{id}/members/{id}", SRV_AUTH_USER,
     SRV_SCOPE_GLOBAL, SRV_A_ORG_WRITE, srv_h_member_remove, 0},
    {"GET", "/api/v1/users", SRV_AUTH_USER, SRV_SCOPE_GLOBAL, SRV_A_USER_READ,
     srv_h_user_list, 0},
    {"GET", "/api/v1/users/{id}", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_USER_READ, srv_h_user_get, 0},
    {"POST", "/api/v1/users", SRV_AUTH_USER, SRV_SCOPE_GLOBAL, SRV_A_USER_WRITE,
     srv_h_user_create, 0},
    {"PUT", "/api/v1/users/{id}", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_USER_WRITE, srv_h_user_update, 0},
    {"GET", "/api/v1/audit", SRV_AUTH_USER, SRV_SCOPE_GLOBAL, SRV_A_AUDIT_READ,
     srv_h_audit_list, 0},

    {"GET", "/api/v1/items", SRV_AUTH_USER, SRV_SCOPE_OBJECT, SRV_A_ITEM_READ,
     srv_h_item_list, 0},
    {"POST", "/api/v1/items", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ITEM_CREATE, srv_h_item_create, 0},
    {"GET", "/api/v1/items/{id}", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ITEM_READ, srv_h_item_get, 0},
    {"PUT", "/api/v1/items/{id}", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ITEM_EDIT, srv_h_item_update, 0},
    {"POST", "/api/v1/items/{id}/withdraw", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ITEM_WITHDRAW, srv_h_item_withdraw, 0},
    {"GET", "/api/v1/items/{id}/versions/{id}", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ITEM_READ, srv_h_item_version, 0},
    /* Recurring events (srv_api_recur.c). */
    {"POST", "/api/v1/items/{id}/cancel-occurrence", SRV_AUTH_USER,
     SRV_SCOPE_OBJECT, SRV_A_ITEM_CANCEL, srv_h_item_cancel_occurrence, 0},
    {"POST", "/api/v1/items/{id}/restore-occurrence", SRV_AUTH_USER,
     SRV_SCOPE_OBJECT, SRV_A_ITEM_CANCEL, srv_h_item_restore_occurrence, 0},
    {"POST", "/api/v1/recurrence", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_CENTRE_READ, srv_h_recurrence_preview, 0},
    {"GET", "/api/v1/queue", SRV_AUTH_USER, SRV_SCOPE_OBJECT, SRV_A_QUEUE_READ,
     srv_h_queue, 0},
    {"GET", "/api/v1/placements/{id}", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_PLACEMENT_READ, srv_h_placement_get, 0},
    {"POST", "/api/v1/placements/{id}/approve", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_PLACEMENT_DECIDE, srv_h_placement_approve, 0},
    {"POST", "/api/v1/placements/{id}/reject", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_PLACEMENT_DECIDE, srv_h_placement_reject, 0},
    {"POST", "/api/v1/placements/{id}/request-changes", SRV_AUTH_USER,
     SRV_SCOPE_OBJECT, SRV_A_PLACEMENT_DECIDE, srv_h_placement_changes, 0},
    {"GET", "/api/v1/alerts", SRV_AUTH_USER, SRV_SCOPE_OBJECT, SRV_A_ALERT_READ,
     srv_h_alert_list, 0},
    {"POST", "/api/v1/alerts", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ALERT_WRITE, srv_h_alert_create, 0},
    {"POST", "/api/v1/alerts/{id}/end", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ALERT_WRITE, srv_h_alert_end, 0},

    /* The checker and the preview (srv_check.c): any signed-in user, as
     * choosing centres is (they read the centres' screen panels). */
    {"POST", "/api/v1/check", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_CENTRE_READ, srv_h_check, 0},
    {"POST", "/api/v1/preview", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_CENTRE_READ, srv_h_preview, 0},
    {"POST", "/api/v1/preview/screens", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_CENTRE_READ, srv_h_preview_screens, 0},
    /* The text limits, for the web form (srv_fields.c): not secret. */
    {"GET", "/api/v1/limits", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE, 0, srv_h_limits,
     0},
    /* What a screen profile holds, measured by the renderer: any
     * signed-in user (no screen's record is read). */
    {"POST", "/api/v1/screens/profile-check", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_CENTRE_READ, srv_h_profile_check, 0},
    /* Publishing (srv_api_screens.c, srv_api_media.c). The manifest route
     * authenticates the screen from memory (no database on the 304 path)
     * and asks the policy itself; the asset route accepts screens and
     * signed-in users. */
    {"GET", "/api/v1/screens/{key}/manifest", SRV_AUTH_PUBLIC, SRV_SCOPE_OBJECT,
     SRV_A_SCREEN_SELF, srv_h_screen_manifest, 0},
    {"GET", "/api/v1/assets/{key}", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE, 0,
     srv_h_asset_get, 0},
    {"POST", "/api/v1/images", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ITEM_CREATE, srv_h_image_upload, SRV_UPLOAD_MAX},
    {"GET", "/api/v1/screens/{id}/status", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_SCREEN_READ, srv_h_screen_status, 0},
    {"GET", "/api/v1/centres/{id}/live", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_SCREEN_READ, srv_h_centre_live, 0},
    {"GET", "/api/v1/items/{id}/live", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ITEM_READ, srv_h_item_live, 0},
    /* Reports (srv_api_report.c): the scope depends on who asks. */
    {"GET", "/api/v1/reports/plays", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_REPORT_READ, srv_h_report_plays, 0},
    /* Accounts (srv_api_account.c): one's own; anyone with a link or an
     * address (the answers tell nothing about which addresses exist);
     * the coordinator's invitations and forced resets. */
    {"PUT", "/api/v1/me", SRV_AUTH_USER, SRV_SCOPE_GLOBAL, SRV_A_TOKEN_OWN,
     srv_h_me_update, 0},
    {"POST", "/api/v1/me/password", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_TOKEN_OWN, srv_h_me_password, 0},
    {"POST", "/api/v1/password/forgot", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE, 0,
     srv_h_password_forgot, 0},
    {"POST", "/api/v1/password/link", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE, 0,
     srv_h_password_link, 0},
    {"POST", "/api/v1/password/set", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE, 0,
     srv_h_password_set, 0},
    {"POST", "/api/v1/users/{id}/invite", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_USER_WRITE, srv_h_user_invite, 0},
    {"POST", "/api/v1/users/{id}/reset", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_USER_WRITE, srv_h_user_reset, 0},
    /* Less typing (srv_api_form.c): one's own drafts; an organisation's
     * defaults, set by its members. */
    {"GET", "/api/v1/drafts", SRV_AUTH_USER, SRV_SCOPE_GLOBAL, SRV_A_TOKEN_OWN,
     srv_h_draft_list, 0},
    {"POST", "/api/v1/drafts", SRV_AUTH_USER, SRV_SCOPE_GLOBAL, SRV_A_TOKEN_OWN,
     srv_h_draft_save, 0},
    {"GET", "/api/v1/drafts/{id}", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_DRAFT_OWN, srv_h_draft_get, 0},
    {"DELETE", "/api/v1/drafts/{id}", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_DRAFT_OWN, srv_h_draft_delete, 0},
    {"PUT", "/api/v1/organisations/{id}/defaults", SRV_AUTH_USER,
     SRV_SCOPE_OBJECT, SRV_A_ORG_DEFAULTS, srv_h_org_defaults, 0},
    /* Screens in the field (srv_api_enrol.c, srv_api_shots.c): a new
     * player opens an enrolment session and polls it with its own
     * secret (public: the handlers check it); a coordinator binds the
     * code shown on the screen and imports screen records from a
     * spreadsheet; screenshots are asked for by whoever reads the
     * screen, and uploaded by the screen itself. */
    {"POST", "/api/v1/enrol", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE, 0,
     srv_h_enrol_open, 0},
    {"GET", "/api/v1/enrol/{key}", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE, 0,
     srv_h_enrol_poll, 0},
    {"POST", "/api/v1/enrol/bind", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_SCREEN_WRITE, srv_h_enrol_bind, 0},
    {"POST", "/api/v1/screens/import", SRV_AUTH_USER, SRV_SCOPE_GLOBAL,
     SRV_A_SCREEN_WRITE, srv_h_screen_import, SRV_CSV_MAX_BYTES},
    {"POST", "/api/v1/screens/{id}/screenshot", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_SCREEN_READ, srv_h_screenshot_request, 0},
    {"GET", "/api/v1/screens/{id}/screenshot", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_SCREEN_READ, srv_h_screenshot_info, 0},
    {"GET", "/api/v1/screens/{id}/screenshot/image", SRV_AUTH_USER,
     SRV_SCOPE_OBJECT, SRV_A_SCREEN_READ, srv_h_screenshot_image, 0},
    {"PUT", "/api/v1/screens/{key}/screenshot", SRV_AUTH_SCREEN,
     SRV_SCOPE_OBJECT, SRV_A_SCREEN_SELF, srv_h_screenshot_upload,
     SRV_SHOT_MAX_BYTES},
    /* Import sources (srv_api_import.c): an event source is its
     * organisation's (its members, coordinators), a PTV source the
     * coordinator's; the handlers ask the policy with the source. */
    {"GET", "/api/v1/import-sources", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ITEM_READ, srv_h_import_list, 0},
    {"POST", "/api/v1/import-sources", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ITEM_CREATE, srv_h_import_create, 0},
    {"GET", "/api/v1/import-sources/{id}", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ITEM_READ, srv_h_import_get, 0},
    {"PUT", "/api/v1/import-sources/{id}", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ITEM_EDIT, srv_h_import_update, 0},
    {"DELETE", "/api/v1/import-sources/{id}", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ITEM_EDIT, srv_h_import_delete, 0},
    {"POST", "/api/v1/import-sources/{id}/run", SRV_AUTH_USER, SRV_SCOPE_OBJECT,
     SRV_A_ITEM_EDIT, srv_h_import_run, 0},
    /* A centre's public pages and feeds (srv_api_public.c): what its
     * screens show, to anyone, without sign-in. */
    {"GET", "/public/centres", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE, 0,
     srv_h_public_index, 0},
    {"GET", "/public/centres/{id}", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE, 0,
     srv_h_public_centre, 0},
    {"GET", "/public/centres/{id}/items/{id}", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE,
     0, srv_h_public_item, 0},
    /* the same page at the short address a card's QR code carries: a
     * shorter link is a coarser code, readable from further away */
    {"GET", "/p/{id}/{id}", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE, 0,
     srv_h_public_item, 0},
    {"GET", "/public/centres/{id}/calendar.ics", SRV_AUTH_PUBLIC,
     SRV_SCOPE_NONE, 0, srv_h_public_ics, 0},
    {"GET", "/public/centres/{id}/feed.atom", SRV_AUTH_PUBLIC, SRV_SCOPE_NONE,
     0, srv_h_public_atom, 0},
};

#define NROUTES (sizeof(srv_routes) / sizeof(srv_routes[0]))
const unsigned srv_route_count = NROUTES;

/* The metric labels: "<METHOD> <pattern>" for each route, then the two
 * extra buckets. Built as constants so /metrics needs no allocation. */
#define L(m, p) m " " p
const char *const srv_route_labels[] = {
    L("GET", "/healthz"),
    L("GET", "/metrics"),
    L("POST", "/api/v1/login"),
    L("POST", "/api/v1/logout"),
    L("GET", "/api/v1/me"),
    L("POST", "/api/v1/tokens"),
    L("DELETE", "/api/v1/tokens/{id}"),
    L("GET", "/api/v1/screen"),
    L("GET", "/api/v1/areas"),
    L("POST", "/api/v1/areas"),
    L("PUT", "/api/v1/areas/{id}"),
    L("DELETE", "/api/v1/areas/{id}"),
    L("GET", "/api/v1/centres"),
    L("GET", "/api/v1/centres/{id}"),
    L("POST", "/api/v1/centres"),
    L("PUT", "/api/v1/centres/{id}"),
    L("DELETE", "/api/v1/centres/{id}"),
    L("GET", "/api/v1/screens"),
    L("GET", "/api/v1/screens/{id}"),
    L("POST", "/api/v1/screens"),
    L("PUT", "/api/v1/screens/{id}"),
    L("DELETE", "/api/v1/screens/{id}"),
    L("GET", "/api/v1/organisations"),
    L("GET", "/api/v1/organisations/{id}"),
    L("POST", "/api/v1/organisations"),
    L("PUT", "/api/v1/organisations/{id}"),
    L("POST", "/api/v1/organisations/{id}/members"),
    L("DELETE", "/api/v1/organisations/{id}/members/{id}"),
    L("GET", "/api/v1/users"),
    L("GET", "/api/v1/users/{id}"),
    L("POST", "/api/v1/users"),
    L("PUT", "/api/v1/users/{id}"),
    L("GET", "/api/v1/audit"),
    L("GET", "/api/v1/items"),
    L("POST", "/api/v1/items"),
    L("GET", "/api/v1/items/{id}"),
    L("PUT", "/api/v1/items/{id}"),
    L("POST", "/api/v1/items/{id}/withdraw"),
    L("GET", "/api/v1/items/{id}/versions/{id}"),
    L("POST", "/api/v1/items/{id}/cancel-occurrence"),
    L("POST", "/api/v1/items/{id}/restore-occurrence"),
    L("POST", "/api/v1/recurrence"),
    L("GET", "/api/v1/queue"),
    L("GET", "/api/v1/placements/{id}"),
    L("POST", "/api/v1/placements/{id}/approve"),
    L("POST", "/api/v1/placements/{id}/reject"),
    L("POST", "/api/v1/placements/{id}/request-changes"),
    L("GET", "/api/v1/alerts"),
    L("POST", "/api/v1/alerts"),
    L("POST", "/api/v1/alerts/{id}/end"),
    L("POST", "/api/v1/check"),
    L("POST", "/api/v1/preview"),
    L("POST", "/api/v1/preview/screens"),
    L("GET", "/api/v1/limits"),
    L("POST", "/api/v1/screens/profile-check"),
    L("GET", "/api/v1/screens/{key}/manifest"),
    L("GET", "/api/v1/assets/{key}"),
    L("POST", "/api/v1/images"),
    L("GET", "/api/v1/screens/{id}/status"),
    L("GET", "/api/v1/centres/{id}/live"),
    L("GET", "/api/v1/items/{id}/live"),
    L("GET", "/api/v1/reports/plays"),
    L("PUT", "/api/v1/me"),
    L("POST", "/api/v1/me/password"),
    L("POST", "/api/v1/password/forgot"),
    L("POST", "/api/v1/password/link"),
    L("POST", "/api/v1/password/set"),
    L("POST", "/api/v1/users/{id}/invite"),
    L("POST", "/api/v1/users/{id}/reset"),
    L("GET", "/api/v1/drafts"),
    L("POST", "/api/v1/drafts"),
    L("GET", "/api/v1/drafts/{id}"),
    L("DELETE", "/api/v1/drafts/{id}"),
    L("PUT", "/api/v1/organisations/{id}/defaults"),
    L("POST", "/api/v1/enrol"),
    L("GET", "/api/v1/enrol/{key}"),
    L("POST", "/api/v1/enrol/bind"),
    L("POST", "/api/v1/screens/import"),
    L("POST", "/api/v1/screens/{id}/screenshot"),
    L("GET", "/api/v1/screens/{id}/screenshot"),
    L("GET", "/api/v1/screens/{id}/screenshot/image"),
    L("PUT", "/api/v1/screens/{key}/screenshot"),
    L("GET", "/api/v1/import-sources"),
    L("POST", "/api/v1/import-sources"),
    L("GET", "/api/v1/import-sources/{id}"),
    L("PUT", "/api/v1/import-sources/{id}"),
    L("DELETE", "/api/v1/import-sources/{id}"),
    L("POST", "/api/v1/import-sources/{id}/run"),
    L("GET", "/public/centres"),
    L("GET", "/public/centres/{id}"),
    L("GET", "/public/centres/{id}/items/{id}"),
    L("GET", "/p/{id}/{id}"),
    L("GET", "/public/centres/{id}/calendar.ics"),
    L("GET", "/public/centres/{id}/feed.atom"),
    "static",
    "unmatched",
};
#undef L

_Static_assert(sizeof(srv_route_labels) / sizeof(srv_route_labels[0]) ==
                   NROUTES + 2,
               "every route needs a metrics label");

/* ------------------------------------------------------------------ */
/* Shared helpers */

void srv_api_actor_from_user(struct srv_actor *a, const struct srv_user *u)
{
    memset(a, 0, sizeof(*a));
    a->kind = SRV_ACTOR_USER;
    a->id = u->id;
    a->coordinator = u->coordinator;
    a->orgs = u->orgs.v;
    a->n_orgs = u->orgs.n;
    a->centres = u->contact_centres.v;
    a->n_centres = u->contact_centres.n;
}

cJSON *srv_api_user_json(const struct srv_user *u)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "id", (double)u->id);
    cJSON_AddStringToObject(o, "email", u->email);
    cJSON_AddStringToObject(o, "name", u->name);
    cJSON_AddBoolToObject(o, "coordinator", u->coordinator);
    cJSON_AddBoolToObject(o, "disabled", u->disabled);
    srv_json_add_ids(o, "contact_centres", &u->contact_centres);
    srv_json_add_ids(o, "organisations", &u->orgs);
    srv_json_add_time(o, "created_at", u->created_at);
    srv_json_add_str(o, "lang", u->lang ? u->lang : "fi");
    cJSON_AddBoolToObject(o, "notify", u->notify);
    cJSON_AddBoolToObject(o, "password_set", u->password_set);
    srv_json_add_time(o, "link_expires_at", u->link_expires_at);
    cJSON_AddBoolToObject(o, "mail_pending", u->mail_pending);
    return o;
}

int srv_api_load_failed(struct srv_req *r, int rc)
{
    if (rc == TAULU_ENOTFOUND) {
        r->authorized = true;
        srv_reply_error(r, 404, "not_found", NULL);
    } else {
        srv_api_store_error(r, rc);
    }
    return TAULU_EANSWERED;
}

void srv_api_store_error(struct srv_req *r, int rc)
{
    switch (rc) {
    case TAULU_ENOTFOUND:
        srv_reply_error(r, 404, "not_found", NULL);
        break;
    case TAULU_ECONFLICT:
        srv_reply_error(r, 409, "conflict", NULL);
        break;
    case TAULU_EREFERENCED:
        srv_reply_error(r, 409, "referenced", NULL);
        break;
    default:
        srv_reply_error(r, 500, "internal", NULL);
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Authentication */

static int auth_fail(struct srv_req *r)
{
    srv_reply_header(r, "WWW-Authenticate", "Bearer");
    srv_reply_error(r, 401, "unauthorized", NULL);
    return TAULU_EANSWERED;
}

static int load_user(struct srv_req *r, int64_t user_id)
{
    int rc = srv_store_user_get(r->app->store, &r->pool, user_id, &r->user);

    if (rc == TAULU_ENOTFOUND || (rc == 0 && r->user.disabled)) {
        return auth_fail(r);
    }
    if (rc) {
        srv_reply_error(r, 500, "internal", NULL);
        return TAULU_EANSWERED;
    }
    srv_api_actor_from_user(&r->actor, &r->user);
    return 0;
}

int srv_api_authenticate(struct srv_req *r)
{
    const char *authz = srv_req_header(r, "Authorization");
    const char *cookie;
    uint8_t hash[32];
    int64_t uid = 0;
    int rc;

    memset(&r->actor, 0, sizeof(r->actor));
    r->actor.kind = SRV_ACTOR_ANON;
    if (authz) {
        const char *tok;
        if (strncmp(authz, "Bearer ", 7) != 0) {
            return auth_fail(r);
        }
        tok = authz + 7;
        if (strlen(tok) != SRV_TOKEN_LEN) {
            return auth_fail(r);
        }
        srv_auth_secret_hash(tok, hash);
        if (strncmp(tok, SRV_TOKEN_SCREEN, 4) == 0) {
            rc = srv_store_screen_by_token(r->app->store, &r->pool, hash,
                                           &r->screen);
            if (rc == TAULU_ENOTFOUND) {
                return auth_fail(r);
            }
            if (rc) {
                srv_reply_error(r, 500, "internal", NULL);
                return TAULU_EANSWERED;
            }
            r->actor.kind = SRV_ACTOR_SCREEN;
            r->actor.id = r->screen.id;
            return 0;
        }
        if (strncmp(tok, SRV_TOKEN_API, 4) != 0) {
            return auth_fail(r);
        }
        rc = srv_store_token_user(r->app->store, hash, taulu_now(), &uid);
        if (rc == TAULU_ENOTFOUND) {
            return auth_fail(r);
        }
        if (rc) {
            srv_reply_error(r, 500, "internal", NULL);
            return TAULU_EANSWERED;
        }
        return load_user(r, uid);
    }
    cookie = srv_req_cookie(r, SRV_SESSION_COOKIE);
    if (!cookie) {
        return 0; /* anonymous */
    }
    if (strlen(cookie) != SRV_SECRET_HEX) {
        return auth_fail(r);
    }
    srv_auth_secret_hash(cookie, hash);
    rc = srv_store_session_get(r->app->store, &r->pool, hash, taulu_now(), &uid,
                               &r->csrf);
    if (rc == TAULU_ENOTFOUND) {
        return auth_fail(r);
    }
    if (rc) {
        srv_reply_error(r, 500, "internal", NULL);
        return TAULU_EANSWERED;
    }
    memcpy(r->session_hash, hash, sizeof(hash));
    r->via_cookie = true;
    return load_user(r, uid);
}

/* ------------------------------------------------------------------ */
/* Authorisation and refusals */

void srv_audit_refusal(struct srv_req *r, const char *action,
                       const char *object_type, int64_t object_id,
                       const char *details)
{
    struct srv_audit e;

    memset(&e, 0, sizeof(e));
    e.actor_kind = r->actor.kind;
    e.actor_id = r->actor.id;
    e.action = action;
    e.object_type = object_type;
    e.object_id = object_id;
    e.refused = true;
    e.details = details;
    if (srv_store_audit_add(r->app->store, &e) != 0) {
        taulu_err(TAG, "could not write a refusal to the audit log");
    }
}

int srv_authorize(struct srv_req *r, enum srv_action action,
                  const struct srv_object *o, const char *object_type,
                  int64_t object_id)
{
    int status = srv_policy_status(&r->actor, action, o);
    char details[96];

    if (status == 0) {
        r->authorized = true;
        return 0;
    }
    snprintf(details, sizeof(details), "{\"route\":\"%s %s\",\"status\":%d}",
             r->route->method, r->route->pattern, status);
    srv_audit_refusal(r, srv_action_name(action), object_type, object_id,
                      details);
    taulu_notice(TAG, "refused %s on %s %lld to %s %lld",
                 srv_action_name(action), object_type, (long long)object_id,
                 r->actor.kind == SRV_ACTOR_SCREEN ? "screen" : "user",
                 (long long)r->actor.id);
    srv_reply_error(r, status, status == 404 ? "not_found" : "forbidden", NULL);
    return TAULU_EANSWERED;
}

/* The edge's check of SRV_SCOPE_GLOBAL routes: the route's action with no
 * particular object. */
static int check_route(struct srv_req *r)
{
    enum srv_action action = (enum srv_action)r->route->action;

    if (!srv_can(&r->actor, action, NULL)) {
        srv_audit_refusal(r, srv_action_name(action), "route", 0, NULL);
        srv_reply_error(r, 403, "forbidden", NULL);
        return TAULU_EANSWERED;
    }
    return 0;
}

/* A refusal the edge answered itself (wrong kind of credential, CSRF). */
static void edge_refused(struct srv_req *r, const char *what)
{
    srv_audit_refusal(r, what, "route", 0, NULL);
}

void srv_api_http_hooks(struct srv_app *app, struct srv_http_hooks *out)
{
    memset(out, 0, sizeof(*out));
    out->routes = srv_routes;
    out->nroutes = srv_route_count;
    out->app = app;
    out->authenticate = srv_api_authenticate;
    out->check_route = check_route;
    out->refused = edge_refused;
}

/* ------------------------------------------------------------------ */
/* Session handlers */

static void set_cookie(struct srv_req *r, const char *value, long max_age)
{
    char buf[256];

    snprintf(buf, sizeof(buf),
             "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld%s",
             SRV_SESSION_COOKIE, value, max_age, r->secure ? "; Secure" : "");
    srv_reply_header(r, "Set-Cookie", buf);
}

/* Why a login was refused, as the audit rows name it (srv_tally.h wants
 * strings that live for the run). */
static const char reason_failed[] = "failed";
static const char reason_limited[] = "rate_limited";
const char srv_reason_reset_limited[] = "reset_limited";
const char srv_reason_enrol_limited[] = "enrol_limited";

/* A refused login: counted, and written to the audit log per address and
 * minute. Only an account's id is kept, never the address a stranger
 * typed: that may be anybody's, or a password typed in the wrong box. */
static void refused_login(struct srv_req *r, const char *reason,
                          int64_t account_id)
{
    if (r->app->refusals) {
        srv_tally_add(r->app->refusals, reason, r->client_group, account_id,
                      taulu_now());
    }
}

void srv_api_refusal_counted(struct srv_req *r, const char *reason)
{
    refused_login(r, reason, 0);
}

static void write_refusals(void *ctx, const struct srv_tally_row *t)
{
    struct srv_app *app = ctx;
    struct srv_audit e;
    cJSON *d = cJSON_CreateObject();
    char *det;

    cJSON_AddStringToObject(d, "reason", t->reason);
    srv_json_add_str(d, "ip", t->addr[0] ? t->addr : NULL);
    cJSON_AddNumberToObject(d, "count", (double)t->count);
    srv_json_add_time(d, "first", t->first);
    srv_json_add_time(d, "last", t->last);
    det = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    memset(&e, 0, sizeof(e));
    e.at = t->last;
    e.actor_kind = SRV_ACTOR_ANON;
    e.action = t->reason == srv_reason_reset_limited   ? "auth.reset"
               : t->reason == srv_reason_enrol_limited ? "screen.enrol_open"
                                                       : "auth.login";
    e.object_type = t->reason == srv_reason_enrol_limited ? "screen" : "user";
    e.object_id = t->account_id;
    e.refused = true;
    e.details = det;
    if (srv_store_audit_add(app->store, &e) != 0) {
        taulu_err(TAG, "could not write refused logins to the audit log");
    }
    cJSON_free(det);
}

size_t srv_api_flush_refusals(struct srv_app *app, bool all)
{
    if (!app->refusals) {
        return 0;
    }
    return srv_tally_flush(app->refusals, taulu_now(), all, write_refusals,
                           app);
}

void srv_h_login(struct srv_req *r)
{
    static const char *const keys[] = {"email", "password", NULL};
    cJSON *in = NULL, *out;
    struct srv_verr e;
    const char *email, *password, *pwhash = NULL;
    struct srv_user u;
    char account_key[300], ip_key[80], sid[SRV_SECRET_HEX + 1];
    char csrf[SRV_SECRET_HEX + 1], retry[24];
    uint8_t hash[32], csrf_hash[32];
    int64_t now = srv_monotonic_us() / 1000000, wait;
    bool rehash = false, found;
    int rc;

    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    if (srv_json_keys(in, keys, "", &e) < 0 ||
        srv_json_str(in, "email", true, 1, 254, "", "", &email, &e) < 0 ||
        srv_json_str(in, "password", true, 1, SRV_PASSWORD_MAX, "", "",
                     &password, &e) < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    snprintf(account_key, sizeof(account_key), "a:%s", email);
    for (char *p = account_key; *p; p++) {
        if (*p >= 'A' && *p <= 'Z') {
            *p = (char)(*p - 'A' + 'a');
        }
    }
    /* Per address group: an IPv6 client counts with its whole /64. */
    snprintf(ip_key, sizeof(ip_key), "i:%s", r->client_group);
    /* Checked and counted in one step each, before the slow hash: a
     * parallel burst gets exactly the limit's worth of guesses. */
    wait = srv_ratelimit_begin(r->app->rl_account, account_key, now);
    if (wait == 0) {
        wait = srv_ratelimit_begin(r->app->rl_ip, ip_key, now);
        if (wait > 0) {
            srv_ratelimit_undo(r->app->rl_account, account_key);
        }
    }
    if (wait > 0) {
        snprintf(retry, sizeof(retry), "%lld", (long long)wait);
        srv_reply_header(r, "Retry-After", retry);
        refused_login(r, reason_limited, 0);
        srv_reply_error(r, 429, "rate_limited", NULL);
        goto out;
    }
    rc = srv_store_user_by_email(r->app->store, &r->pool, email, &u, &pwhash);
    if (rc && rc != TAULU_ENOTFOUND) {
        srv_ratelimit_undo(r->app->rl_account, account_key);
        srv_ratelimit_undo(r->app->rl_ip, ip_key);
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    found = rc == 0 && !u.disabled && u.password_set;
    /* An unknown or disabled account, or one without a password yet
     * (invited, or reset), is verified against a dummy hash so that the
     * answer takes as long as for a real one. */
    if (srv_auth_verify_password(found ? pwhash : NULL, password, &rehash) !=
            0 ||
        !found) {
        /* The attempt was counted as failed when it began. */
        refused_login(r, reason_failed, rc == 0 ? u.id : 0);
        srv_reply_error(r, 401, "login_failed", NULL);
        goto out;
    }
    /* Signed in: the account's count is forgotten; the address keeps its
     * earlier failures (only this attempt is taken back), or one valid
     * account would reset the address limit between guesses. */
    srv_ratelimit_clear(r->app->rl_account, account_key);
    srv_ratelimit_undo(r->app->rl_ip, ip_key);
    if (rehash) {
        char newhash[SRV_PWHASH_STRLEN];
        if (srv_auth_hash_password(password, newhash) == 0) {
            srv_store_user_set_password(r->app->store, u.id, u.id, newhash);
        }
    }
    srv_auth_new_secret("", sid, sizeof(sid), hash);
    srv_auth_new_secret("", csrf, sizeof(csrf), csrf_hash);
    rc = srv_store_session_create(r->app->store, hash, u.id, csrf,
                                  taulu_now() + r->app->session_ttl);
    if (rc) {
        srv_reply_error(r, 500, "internal", NULL);
        goto out;
    }
    {
        struct srv_audit a = {0,      0,    SRV_ACTOR_USER, u.id, "auth.login",
                              "user", u.id, false,          NULL};
        srv_store_audit_add(r->app->store, &a);
    }
    set_cookie(r, sid, (long)r->app->session_ttl);
    taulu_info(TAG, "user %lld signed in", (long long)u.id);
    out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "user", srv_api_user_json(&u));
    cJSON_AddStringToObject(out, "csrf_token", csrf);
    srv_reply_json(r, 200, out);
    taulu_wipe(sid, sizeof(sid));
out:
    cJSON_Delete(in);
}

void srv_h_logout(struct srv_req *r)
{
    if (r->via_cookie) {
        if (srv_store_session_delete(r->app->store, r->session_hash) != 0) {
            srv_reply_error(r, 500, "internal", NULL);
            return;
        }
        set_cookie(r, "", 0);
    }
    srv_reply_empty(r, 204);
}

void srv_h_me(struct srv_req *r)
{
    cJSON *out = cJSON_CreateObject();

    cJSON_AddItemToObject(out, "user", srv_api_user_json(&r->user));
    srv_json_add_str(out, "csrf_token", r->via_cookie ? r->csrf : NULL);
    srv_reply_json(r, 200, out);
}

void srv_h_token_create(struct srv_req *r)
{
    static const char *const keys[] = {"name", "days", NULL};
    cJSON *in = NULL, *out;
    struct srv_verr e;
    const char *name;
    int64_t days = 90, id;
    char tok[SRV_TOKEN_LEN + 1];
    uint8_t hash[32];
    int rc;

    if (srv_req_json(r, &in) == TAULU_EANSWERED) {
        return;
    }
    if (srv_json_keys(in, keys, "", &e) < 0 ||
        srv_json_str(in, "name", true, 1, 100, "", "", &name, &e) < 0 ||
        srv_json_int(in, "days", false, 1, 366, "", &days, &e) < 0) {
        srv_reply_verr(r, &e);
        goto out;
    }
    srv_auth_new_secret(SRV_TOKEN_API, tok, sizeof(tok), hash);
    rc = srv_store_token_create(r->app->store, r->user.id, name, hash,
                                taulu_now() + days * 86400, &id);
    if (rc) {
        srv_api_store_error(r, rc);
        goto out;
    }
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "id", (double)id);
    cJSON_AddStringToObject(out, "name", name);
    /* Shown once: only its hash is kept. */
    cJSON_AddStringToObject(out, "token", tok);
    srv_json_add_time(out, "expires_at", taulu_now() + days * 86400);
    srv_reply_json(r, 201, out);
    taulu_wipe(tok, sizeof(tok));
out:
    cJSON_Delete(in);
}

void srv_h_token_delete(struct srv_req *r)
{
    /* Scoped to the caller's own tokens by the store's WHERE user_id. */
    int rc = srv_store_token_delete(r->app->store, r->user.id, r->params[0]);

    if (rc) {
        srv_api_store_error(r, rc);
        return;
    }
    srv_reply_empty(r, 204);
}

void srv_h_screen_self(struct srv_req *r)
{
    struct srv_object o = {r->screen.id, 0, r->screen.centre_id, NULL, 0};
    cJSON *out;

    if (srv_authorize(r, SRV_A_SCREEN_SELF, &o, "screen", r->screen.id) ==
        TAULU_EANSWERED) {
        return;
    }
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "id", (double)r->screen.id);
    cJSON_AddNumberToObject(out, "centre_id", (double)r->screen.centre_id);
    cJSON_AddStringToObject(out, "name", r->screen.name);
    cJSON_AddStringToObject(out, "orientation", r->screen.orientation);
    cJSON_AddNumberToObject(out, "width_px", r->screen.width_px);
    cJSON_AddNumberToObject(out, "height_px", r->screen.height_px);
    cJSON_AddNumberToObject(out, "diagonal_in", r->screen.diagonal_in);
    cJSON_AddNumberToObject(out, "viewing_distance_m",
                            r->screen.viewing_distance_m);
    srv_reply_json(r, 200, out);
}

void srv_h_healthz(struct srv_req *r)
{
    int64_t online, total;

    /* Healthy means the database answers. */
    if (srv_store_screen_counts(r->app->store, &online, &total) != 0) {
        srv_reply_text(r, 503, "text/plain; charset=utf-8", "db\n", 3);
        return;
    }
    srv_reply_text(r, 200, "text/plain; charset=utf-8", "ok\n", 3);
}

void srv_h_metrics(struct srv_req *r)
{
    struct taulu_buf b;
    int64_t online = 0, total = 0;
    size_t len;
    char *text;

    taulu_buf_init(&b, 1024 * 1024);
    srv_store_screen_counts(r->app->store, &online, &total);
    if (srv_metrics_render(r->app->metrics, &b,
                           srv_store_db_errors(r->app->store), online,
                           total) != 0 ||
        srv_store_metrics(r->app->store, &b) != 0 ||
        srv_mailer_metrics(r->app->mailer, r->app->store, &b) != 0 ||
        srv_pubapp_metrics(r->app->pub, &b) != 0) {
        taulu_buf_release(&b);
        srv_reply_error(r, 500, "internal", NULL);
        return;
    }
    text = taulu_buf_detach(&b, &len);
    if (!text) {
        abort();
    }
    r->status = 200;
    r->content_type = "text/plain; version=0.0.4; charset=utf-8";
    free(r->resp);
    r->resp = text;
    r->resp_len = len;
}
