/*
 * srv_policy.c: who may do what (rules in srv_policy.h).
 */
#include "srv_policy.h"

static bool has(const int64_t *v, size_t n, int64_t x)
{
    size_t i;

    if (x <= 0) {
        return false;
    }
    for (i = 0; i < n; i++) {
        if (v[i] == x) {
            return true;
        }
    }
    return false;
}

static bool member_of(const struct srv_actor *a, int64_t org)
{
    return has(a->orgs, a->n_orgs, org);
}

static bool contact_of(const struct srv_actor *a, int64_t centre)
{
    return has(a->centres, a->n_centres, centre);
}

static bool contact_of_any(const struct srv_actor *a, const int64_t *v,
                           size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (contact_of(a, v[i])) {
            return true;
        }
    }
    return false;
}

bool srv_can(const struct srv_actor *a, enum srv_action action,
             const struct srv_object *o)
{
    static const struct srv_object none = {0, 0, 0, NULL, 0};

    if (!a) {
        return false;
    }
    if (!o) {
        o = &none;
    }
    if (a->kind == SRV_ACTOR_SCREEN) {
        return action == SRV_A_SCREEN_SELF && o->id > 0 && o->id == a->id;
    }
    if (a->kind != SRV_ACTOR_USER || a->id <= 0) {
        return false;
    }
    switch (action) {
    case SRV_A_AREA_READ:
    case SRV_A_CENTRE_READ:
    case SRV_A_TOKEN_OWN:
        return true;
    case SRV_A_AREA_WRITE:
    case SRV_A_CENTRE_WRITE:
    case SRV_A_SCREEN_WRITE:
    case SRV_A_ORG_WRITE:
    case SRV_A_USER_READ:
    case SRV_A_USER_WRITE:
    case SRV_A_AUDIT_READ:
        return a->coordinator;
    case SRV_A_SCREEN_SELF:
        return false;
    case SRV_A_SCREEN_READ:
    case SRV_A_QUEUE_READ:
        return a->coordinator || contact_of(a, o->centre_id);
    case SRV_A_ORG_READ:
    case SRV_A_ITEM_CREATE:
    case SRV_A_ITEM_EDIT:
    case SRV_A_ITEM_WITHDRAW:
        return a->coordinator || member_of(a, o->org_id);
    case SRV_A_ITEM_READ:
    case SRV_A_ITEM_CANCEL:
        return a->coordinator || member_of(a, o->org_id) ||
               contact_of_any(a, o->centres, o->n_centres);
    case SRV_A_PLACEMENT_READ:
        return a->coordinator || member_of(a, o->org_id) ||
               contact_of(a, o->centre_id);
    case SRV_A_PLACEMENT_DECIDE:
        if (contact_of(a, o->centre_id)) {
            return true;
        }
        return a->coordinator && !member_of(a, o->org_id);
    case SRV_A_ALERT_READ:
        if (a->coordinator) {
            return true;
        }
        return o->centre_id == 0 ? a->n_centres > 0
                                 : contact_of(a, o->centre_id);
    case SRV_A_ALERT_WRITE:
        return a->coordinator ||
               (o->centre_id != 0 && contact_of(a, o->centre_id));
    case SRV_A_REPORT_READ:
        return a->coordinator || member_of(a, o->org_id) ||
               contact_of(a, o->centre_id);
    case SRV_A_DRAFT_OWN:
        return o->id > 0 && o->id == a->id;
    case SRV_A_ORG_DEFAULTS:
        return a->coordinator || member_of(a, o->org_id);
    case SRV_A__COUNT:
        break;
    }
    return false;
}

/* The read action that decides whether a refused caller may know the
 * object exists. */
static enum srv_action visibility(enum srv_action action)
{
    switch (action) {
    case SRV_A_ITEM_EDIT:
    case SRV_A_ITEM_WITHDRAW:
    case SRV_A_ITEM_CANCEL:
        return SRV_A_ITEM_READ;
    case SRV_A_PLACEMENT_DECIDE:
        return SRV_A_PLACEMENT_READ;
    case SRV_A_SCREEN_WRITE:
    case SRV_A_SCREEN_READ:
    case SRV_A_QUEUE_READ:
    case SRV_A_ALERT_READ:
        /* Centres are not secret: refusing a centre's queue, screens or
         * alerts is an honest 403. */
        return SRV_A_CENTRE_READ;
    case SRV_A_ORG_WRITE:
        return SRV_A_ORG_READ;
    case SRV_A_ALERT_WRITE:
        return SRV_A_CENTRE_READ;
    case SRV_A_AREA_WRITE:
        return SRV_A_AREA_READ;
    case SRV_A_USER_READ:
    case SRV_A_USER_WRITE:
    case SRV_A_AUDIT_READ:
        /* Coordinator-only functions: a signed-in user is told no. */
        return SRV_A_TOKEN_OWN;
    case SRV_A_CENTRE_WRITE:
        return SRV_A_CENTRE_READ;
    case SRV_A_REPORT_READ:
    case SRV_A_ORG_DEFAULTS:
        /* Another organisation's report or defaults: as invisible as the
         * organisation itself. */
        return SRV_A_ORG_READ;
    default:
        return action;
    }
}

int srv_policy_status(const struct srv_actor *a, enum srv_action action,
                      const struct srv_object *o)
{
    if (srv_can(a, action, o)) {
        return 0;
    }
    return srv_can(a, visibility(action), o) ? 403 : 404;
}

const char *srv_action_name(enum srv_action action)
{
    static const char *const names[SRV_A__COUNT] = {
        "area.read",      "area.write",       "centre.read", "centre.write",
        "screen.read",    "screen.write",     "screen.self", "org.read",
        "org.write",      "user.read",        "user.write",  "token.own",
        "item.create",    "item.read",        "item.edit",   "item.withdraw",
        "placement.read", "placement.decide", "queue.read",  "alert.read",
        "alert.write",    "audit.read",       "report.read", "item.cancel",
        "draft.own",      "org.defaults",
    };
    return (unsigned)action < SRV_A__COUNT ? names[action] : "?";
}
