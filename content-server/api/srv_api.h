/*
 * srv_api.h: the JSON API under /api/v1: the route table, authentication of
 * callers, and the handlers (srv_api.c: session, tokens, health, metrics;
 * srv_api_admin.c: areas, centres, screens, organisations, users, audit;
 * srv_api_items.c: items, placements, alerts; srv_api_account.c: one's
 * own account, password links, invitations; srv_api_screens.c and
 * srv_api_media.c: the publishing routes; srv_api_report.c: play reports;
 * srv_check.c: checking and previews; srv_api_form.c: drafts, an
 * organisation's defaults, duplicates).
 */
#ifndef SRV_API_H
#define SRV_API_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "srv_app.h"
#include "srv_auth.h"
#include "srv_http.h"
#include "srv_policy.h"
#include "srv_store.h"
#include "taulu_fields.h"

#define SRV_SESSION_COOKIE "taulu_session"
/* The largest request body of POST /images (the JSON limit is the
 * server's max_json setting). */
#define SRV_UPLOAD_MAX (8u * 1024u * 1024u)

extern const struct srv_route srv_routes[];
extern const unsigned srv_route_count;
/* Labels for /metrics: the route patterns, then "static", "unmatched". */
extern const char *const srv_route_labels[];
#define SRV_ROUTE_STATIC    (srv_route_count)
#define SRV_ROUTE_UNMATCHED (srv_route_count + 1)

/* The edge's hooks for this API (srv_http.h): the route table, `app` as
 * every request's r->app, and the callbacks below. */
void srv_api_http_hooks(struct srv_app *app, struct srv_http_hooks *out);

/* An anonymous refusal other than a login's (a password reset asked for
 * too often, enrolment sessions opened too often): counted like refused
 * logins (srv_tally.h) and written per address and minute, as
 * "auth.reset" or "screen.enrol_open". `reason` is one of the names
 * below. */
extern const char srv_reason_reset_limited[];
extern const char srv_reason_enrol_limited[];
void srv_api_refusal_counted(struct srv_req *r, const char *reason);

/* Writes the counted refusals of closed minutes (with `all`, also of the
 * current one: at shutdown) to the audit log, one row per address, reason
 * and account (srv_tally.h). The program calls it every few seconds.
 * Returns the rows written. */
size_t srv_api_flush_refusals(struct srv_app *app, bool all);

/* Who is calling: a screen token, an API token or a session cookie. Fills
 * r->actor (SRV_ACTOR_ANON when nothing was presented). A presented but
 * invalid credential answers 401 and returns TAULU_EANSWERED; so does a
 * database failure (500). */
int srv_api_authenticate(struct srv_req *r);

/*
 * The object check for SRV_SCOPE_OBJECT routes: 0 (and r->authorized) if
 * the actor may do `action` on `o`; otherwise answers 403/404, writes a
 * refusal to the audit log and returns TAULU_EANSWERED.
 */
int srv_authorize(struct srv_req *r, enum srv_action action,
                  const struct srv_object *o, const char *object_type,
                  int64_t object_id);

/* Writes a refused attempt to the audit log (for refusals other than the
 * policy's, e.g. a failed login). */
void srv_audit_refusal(struct srv_req *r, const char *action,
                       const char *object_type, int64_t object_id,
                       const char *details);

/* Shared by the handler files. */
cJSON *srv_api_user_json(const struct srv_user *u);
/* Answers a store error code with the right status and message. */
void srv_api_store_error(struct srv_req *r, int rc);
/* A record a handler reads before it asks the policy was not read (rc):
 * answers 404 for one that is not there (no authorisation needed: it
 * tells nothing a caller could not learn by trying) or the store's error,
 * and returns TAULU_EANSWERED. */
int srv_api_load_failed(struct srv_req *r, int rc);
/* Fills an actor from a user record (the arrays stay in the user). */
void srv_api_actor_from_user(struct srv_actor *a, const struct srv_user *u);

/* A query-string id: absent = 0; present but malformed = -1. */
int64_t srv_api_query_id(struct srv_req *r, const char *name);
/*
 * The centres a listing may cover. With ?centre_id=N: that centre, if the
 * policy allows `action` on it. Without: every centre for a coordinator,
 * the actor's own centres for a contact person, and a refusal for anyone
 * else. 0 and *scope, or TAULU_EANSWERED (refused and answered).
 */
int srv_api_centre_scope(struct srv_req *r, enum srv_action action,
                         struct srv_scope *scope);

/* Text versions per item (the texts' limits: common/taulu_fields.h). */
#define SRV_ITEM_MAX_TEXTS   6
#define SRV_ITEM_MAX_CENTRES 100
#define SRV_ITEM_MAX_AHEAD                                                     \
    TAULU_MAX_AHEAD_S /* nothing is scheduled over a year out */

/*
 * Reads and validates an item body (the parsed JSON of POST /items or
 * PUT /items/{id}) for create (organisation_id and centres required) or
 * update (version required, centres optional), with `now` as the clock.
 * Pure: no request, no store. 0 with *it and *centres filled (strings
 * borrowed from `in`, arrays from `pool`) and *centres_given set; or -1
 * and e says why (the first problem found).
 */
int srv_item_read(const cJSON *in, bool create, int64_t now,
                  struct srv_pool *pool, struct srv_item *it,
                  struct srv_ids *centres, bool *centres_given,
                  struct srv_verr *e);

/* An item's content as the JSON text kept as its version's snapshot
 * (malloc'd, cJSON_free): what srv_store_item_create() and _update() take,
 * for callers that make items outside a request (the importers' sink,
 * srv_api_import.c). */
char *srv_item_snapshot(const struct srv_item *it);

/*
 * Recurring events (srv_api_recur.c). srv_item_read() ends with
 * srv_item_read_recurrence(): the body's `recurrence` (null or absent:
 * none) checked against the item's times and display window, stored in
 * it->recurrence (normalised JSON, in `pool`) and it->series_end. 0 or -1
 * with e. srv_recur_add_content() adds the rule to an item's content (the
 * version snapshot); srv_recur_add_json() adds to an item's answer the
 * rule in words, its RRULE, the next occurrences at `now` and the
 * cancelled dates; srv_recur_diff_words() adds the rule change in words
 * to a placement's changes.
 */
int srv_item_read_recurrence(const cJSON *in, struct srv_pool *pool,
                             struct srv_item *it, struct srv_verr *e);
void srv_recur_add_content(cJSON *o, const struct srv_item *it);
void srv_recur_add_json(cJSON *o, const struct srv_item *it, int64_t now);
void srv_recur_diff_words(cJSON *changes, const cJSON *old_snap,
                          const cJSON *new_snap);

/* Handlers */
void srv_h_login(struct srv_req *r);
void srv_h_logout(struct srv_req *r);
void srv_h_me(struct srv_req *r);
void srv_h_token_create(struct srv_req *r);
void srv_h_token_delete(struct srv_req *r);
void srv_h_healthz(struct srv_req *r);
void srv_h_metrics(struct srv_req *r);
void srv_h_screen_self(struct srv_req *r);

void srv_h_area_list(struct srv_req *r);
void srv_h_area_create(struct srv_req *r);
void srv_h_area_update(struct srv_req *r);
void srv_h_area_delete(struct srv_req *r);
void srv_h_centre_list(struct srv_req *r);
void srv_h_centre_get(struct srv_req *r);
void srv_h_centre_create(struct srv_req *r);
void srv_h_centre_update(struct srv_req *r);
void srv_h_centre_delete(struct srv_req *r);
void srv_h_screen_list(struct srv_req *r);
void srv_h_screen_get(struct srv_req *r);
void srv_h_screen_create(struct srv_req *r);
void srv_h_screen_update(struct srv_req *r);
void srv_h_screen_delete(struct srv_req *r);
void srv_h_org_list(struct srv_req *r);
void srv_h_org_get(struct srv_req *r);
void srv_h_org_create(struct srv_req *r);
void srv_h_org_update(struct srv_req *r);
void srv_h_member_add(struct srv_req *r);
void srv_h_member_remove(struct srv_req *r);
void srv_h_user_list(struct srv_req *r);
void srv_h_user_get(struct srv_req *r);
void srv_h_user_create(struct srv_req *r);
void srv_h_user_update(struct srv_req *r);
void srv_h_audit_list(struct srv_req *r);

void srv_h_item_list(struct srv_req *r);
void srv_h_item_get(struct srv_req *r);
void srv_h_item_create(struct srv_req *r);
void srv_h_item_update(struct srv_req *r);
void srv_h_item_withdraw(struct srv_req *r);
void srv_h_item_version(struct srv_req *r);
void srv_h_item_cancel_occurrence(struct srv_req *r);
void srv_h_item_restore_occurrence(struct srv_req *r);
void srv_h_recurrence_preview(struct srv_req *r);
void srv_h_queue(struct srv_req *r);
void srv_h_placement_get(struct srv_req *r);
void srv_h_placement_approve(struct srv_req *r);
void srv_h_placement_reject(struct srv_req *r);
void srv_h_placement_changes(struct srv_req *r);
void srv_h_alert_list(struct srv_req *r);
void srv_h_alert_create(struct srv_req *r);
void srv_h_alert_end(struct srv_req *r);

/* srv_api_screens.c: publishing, about screens (503 without publishing) */
void srv_h_screen_manifest(struct srv_req *r); /* GET .../screens/{key}/
                                                  manifest */
void srv_h_screen_status(struct srv_req *r);   /* GET .../screens/{id}/
                                                  status */
void srv_h_centre_live(struct srv_req *r);     /* GET .../centres/{id}/
                                                  live */
void srv_h_item_live(struct srv_req *r);       /* GET .../items/{id}/live */
/* What a screen reports of the fit (srv_api_screens.c): the cards it
 * cannot show whole ("unplaced") or shows on pages ("paged"), given as
 * wire ids, as [{"card": "i12", "item_id": 12, "title": "Muistikahvila"}]
 * (title null for a card no longer known), and its reported profile as
 * {"width_px", "height_px", "orientation", "diagonal_in",
 * "viewing_distance_m"}. */
cJSON *srv_api_fit_cards_json(struct srv_req *r, const char *const *ids,
                              size_t n);
void srv_api_add_screen_fit(struct srv_req *r, cJSON *o,
                            const struct srv_screen *s);
/* A screen was created (POST /screens): gives the broker its MQTT
 * credentials and adds to `out` (the 201 answer) the screen's wire id,
 * the server's public key, the MQTT settings and a ready player
 * configuration. `token` is the screen's new token (used for this answer
 * only, never stored). Does nothing without publishing. */
void srv_api_screen_created(struct srv_req *r, int64_t screen_id,
                            const char *token, cJSON *out);

/* srv_api_media.c: images and assets (503 without publishing) */
void srv_h_asset_get(struct srv_req *r);    /* GET /api/v1/assets/{key} */
void srv_h_image_upload(struct srv_req *r); /* POST /api/v1/images */

/* srv_api_account.c: one's own account, forgotten passwords, links,
 * the coordinator's invitations and resets */
void srv_h_me_update(struct srv_req *r);       /* PUT /api/v1/me */
void srv_h_me_password(struct srv_req *r);     /* POST .../me/password */
void srv_h_password_forgot(struct srv_req *r); /* POST .../password/forgot */
void srv_h_password_link(struct srv_req *r);   /* POST .../password/link */
void srv_h_password_set(struct srv_req *r);    /* POST .../password/set */
void srv_h_user_invite(struct srv_req *r);     /* POST .../users/{id}/invite */
void srv_h_user_reset(struct srv_req *r);      /* POST .../users/{id}/reset */

/* srv_api_enrol.c: enrolment of new screens by a code; screen records
 * from a spreadsheet */
void srv_h_enrol_open(struct srv_req *r);    /* POST /api/v1/enrol */
void srv_h_enrol_poll(struct srv_req *r);    /* GET .../enrol/{session} */
void srv_h_enrol_bind(struct srv_req *r);    /* POST .../enrol/bind */
void srv_h_screen_import(struct srv_req *r); /* POST .../screens/import */
/* srv_api_shots.c: screenshots ("remote eyes") */
void srv_h_screenshot_request(struct srv_req *r); /* POST .../screenshot */
void srv_h_screenshot_info(struct srv_req *r);    /* GET .../screenshot */
void srv_h_screenshot_image(struct srv_req *r);   /* GET .../image */
void srv_h_screenshot_upload(struct srv_req *r);  /* PUT (the screen) */
/* srv_api_import.c: import sources (docs/importers.md) */
void srv_h_import_list(struct srv_req *r);   /* GET .../import-sources */
void srv_h_import_create(struct srv_req *r); /* POST .../import-sources */
void srv_h_import_get(struct srv_req *r);    /* GET .../import-sources/{id} */
void srv_h_import_update(struct srv_req *r); /* PUT .../import-sources/{id} */
void srv_h_import_delete(struct srv_req *r); /* DELETE .../{id} */
void srv_h_import_run(struct srv_req *r);    /* POST .../{id}/run */
/* The importers' sink over `app` (import/srv_import.h): imported events
 * become items through the code of POST and PUT /items. */
struct srv_import_sink;
void srv_api_import_sink(struct srv_app *app, struct srv_import_sink *out);

/* srv_api_public.c: a centre's public pages and feeds (no sign-in) */
void srv_h_public_index(struct srv_req *r);  /* GET /public/centres */
void srv_h_public_centre(struct srv_req *r); /* GET /public/centres/{id} */
void srv_h_public_item(struct srv_req *r);   /* .../{id}/items/{id} */
void srv_h_public_ics(struct srv_req *r);    /* .../{id}/calendar.ics */
void srv_h_public_atom(struct srv_req *r);   /* .../{id}/feed.atom */

/* srv_api_report.c */
void srv_h_report_plays(struct srv_req *r);
/* Appends one CSV cell (semicolon-separated, for Finnish Excel): quoted
 * when it holds ';', '"', CR or LF; a cell starting with = + - @ (or a
 * tab or CR) gets a leading apostrophe so no spreadsheet runs it as a
 * formula. 0 or TAULU_ENOMEM / TAULU_ELIMIT. */
int srv_csv_cell(struct taulu_buf *out, const char *text);

/* srv_api_form.c: drafts (each user's own), an organisation's defaults
 * for new items, and the duplicates a contact person is told of. */
void srv_h_draft_save(struct srv_req *r);   /* POST /api/v1/drafts */
void srv_h_draft_list(struct srv_req *r);   /* GET /api/v1/drafts */
void srv_h_draft_get(struct srv_req *r);    /* GET .../drafts/{id} */
void srv_h_draft_delete(struct srv_req *r); /* DELETE .../drafts/{id} */
void srv_h_org_defaults(struct srv_req *r); /* PUT .../organisations/{id}/
                                               defaults */
/* Adds "defaults" (the stored JSON object, or null) to an organisation. */
void srv_api_add_org_defaults(cJSON *o, const char *json);
/* Adds "duplicates" to a placement's answer: the items at its centre,
 * submitted or approved in the last 30 days, whose title and text in the
 * same language are the same or nearly the same as the item's
 * (srv_similar.h), those the caller may read, most alike first, at most
 * five. */
void srv_api_add_duplicates(struct srv_req *r, cJSON *out,
                            const struct srv_placement *pl,
                            const struct srv_item *it);

#endif
