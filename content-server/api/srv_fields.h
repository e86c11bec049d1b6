/*
 * srv_fields.h: the API's side of common/taulu_fields.h, the one table of
 * text limits: reading a text field of a request with the field's own
 * limits (so that whatever the API accepts, the manifest can carry), the
 * time bounds of what is scheduled, and GET /api/v1/limits, which hands
 * the table to the web form (its maxlength attributes come from there).
 */
#ifndef SRV_FIELDS_H
#define SRV_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "srv_http.h"
#include "srv_json.h"
#include "taulu_fields.h"

/* Time bounds of what is scheduled (docs/api.md). Nothing is shown more
 * than a year out (TAULU_MAX_AHEAD_S, which the player's clock rule
 * relies on); an event may have begun up to a year ago (a course that
 * runs on) and may end up to two years ahead; an alert lasts at most 31
 * days. */
#define SRV_MAX_AHEAD_S       TAULU_MAX_AHEAD_S
#define SRV_EVENT_MAX_PAST_S  TAULU_MAX_AHEAD_S
#define SRV_EVENT_MAX_AHEAD_S (2 * TAULU_MAX_AHEAD_S)
#define SRV_ALERT_MAX_S       (31 * 86400)

/* A text field of `obj` read with field f's limits: valid UTF-8, the
 * field's control characters only, at most max_chars code points and
 * max_bytes bytes, and, when `nonempty`, not empty or only white space. A
 * missing or null optional field gives *out = NULL. 0, or -1 with e set
 * (400 too_long / too_short / control_chars / invalid_utf8 / wrong_type /
 * missing_field, naming the field). */
int srv_field_str(const cJSON *obj, const char *name, bool required,
                  enum taulu_field f, bool nonempty, const char *prefix,
                  const char **out, struct srv_verr *e);

/* An instant `t` (0 = absent: not checked) no earlier than now - past_s
 * and no later than now + ahead_s: 0, or -1 with e = 400 out_of_range
 * naming the field. */
int srv_field_time(int64_t t, int64_t now, int64_t past_s, int64_t ahead_s,
                   const char *prefix, const char *name, struct srv_verr *e);

/* GET /api/v1/limits (anyone): {"fields": {"title": {"max_chars",
 * "max_bytes", "newlines"}, ...}, "display_max_days",
 * "event_max_past_days", "event_max_ahead_days", "alert_max_days"}. */
void srv_h_limits(struct srv_req *r);

#endif
