/*
 * srv_policy.h: who may do what. A pure function of the actor, the action
 * and the object, with no I/O, so that the whole matrix is a unit test
 * (tests/unit/server/test_srv_policy.c).
 *
 * The rules (docs/server.md states them for people):
 *  - Anonymous callers may do nothing here (login is the only anonymous
 *    API route, and the router handles it).
 *  - A screen token may read its own screen and nothing else.
 *  - A coordinator manages everything, with one exception below.
 *  - An organisation member reads, creates, edits and withdraws the items
 *    of their own organisations and reads their placements; nothing of
 *    other organisations.
 *  - A contact person reads the items placed at their centres, their
 *    centres' queues, screens and alerts, decides placements at their
 *    centres, and publishes and ends alerts for their centres.
 *  - Deciding (approve, reject, request changes) a placement of item I at
 *    centre C is allowed exactly when the actor is a contact person of C,
 *    or the actor is a coordinator who is not a member of I's
 *    organisation. So nobody approves their own organisation's item
 *    unless they are that centre's contact person; membership never
 *    grants a decision.
 *  - Any signed-in user reads the lists of areas and centres (to choose
 *    where to submit).
 *  - Play reports: a coordinator reads any; a member reads their own
 *    organisation's (at every centre); a contact person reads what was
 *    shown at their centres (of any organisation, centre_id set).
 *  - Cancelling one occurrence of a recurring item (and restoring it):
 *    whoever reads the item (its organisation's members, the contact
 *    persons of the centres it is placed at, coordinators). It takes back
 *    part of what was approved and adds nothing, so it needs no decision.
 *  - A draft (what a user typed and has not sent) is its owner's alone:
 *    not even a coordinator reads another's, and to anyone else it does
 *    not exist (404).
 *  - An organisation's defaults for new items: its members and the
 *    coordinator set them; to others the organisation does not exist.
 */
#ifndef SRV_POLICY_H
#define SRV_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "srv_store.h"

/* struct srv_actor (who is calling) is the data model's: srv_store.h. */

enum srv_action {
    SRV_A_AREA_READ,
    SRV_A_AREA_WRITE,
    SRV_A_CENTRE_READ,
    SRV_A_CENTRE_WRITE,
    SRV_A_SCREEN_READ,  /* object: centre_id */
    SRV_A_SCREEN_WRITE, /* object: centre_id */
    SRV_A_SCREEN_SELF,  /* object: id = screen id */
    SRV_A_ORG_READ,     /* object: org_id */
    SRV_A_ORG_WRITE,
    SRV_A_USER_READ,
    SRV_A_USER_WRITE,
    SRV_A_TOKEN_OWN,   /* create / revoke one's own API tokens */
    SRV_A_ITEM_CREATE, /* object: org_id */
    SRV_A_ITEM_READ,   /* object: org_id, centres */
    SRV_A_ITEM_EDIT,   /* object: org_id */
    SRV_A_ITEM_WITHDRAW,
    SRV_A_PLACEMENT_READ,   /* object: org_id, centre_id */
    SRV_A_PLACEMENT_DECIDE, /* object: org_id, centre_id */
    SRV_A_QUEUE_READ,       /* object: centre_id */
    SRV_A_ALERT_READ,       /* object: centre_id, 0 = every centre */
    SRV_A_ALERT_WRITE,      /* create or end; object: centre_id */
    SRV_A_AUDIT_READ,
    SRV_A_REPORT_READ,  /* play log; object: org_id (0 = all), centre_id
                           (0 = all centres) */
    SRV_A_ITEM_CANCEL,  /* cancel or restore one occurrence of a recurring
                           item; object: org_id, centres */
    SRV_A_DRAFT_OWN,    /* read or delete a draft; object: id = its owner */
    SRV_A_ORG_DEFAULTS, /* set an organisation's defaults for new items;
                           object: org_id */
    SRV_A__COUNT
};

struct srv_object {
    int64_t id;             /* the object's own id, where a rule needs it */
    int64_t org_id;         /* owning organisation */
    int64_t centre_id;      /* centre; 0 = every centre (alerts) */
    const int64_t *centres; /* items: centres it is placed at */
    size_t n_centres;
};

/* The decision. NULL object means "no particular object". */
bool srv_can(const struct srv_actor *a, enum srv_action action,
             const struct srv_object *o);

/* What a refused caller is told: 404 when they may not even see the
 * object (so ids of other organisations' drafts do not leak), 403 when
 * they see it but may not do this. Returns 0 if allowed. */
int srv_policy_status(const struct srv_actor *a, enum srv_action action,
                      const struct srv_object *o);

/* A stable name for the audit log ("item.edit", ...). */
const char *srv_action_name(enum srv_action action);

#endif
