/*
 * test_srv_policy.c: the policy as a matrix: every action x every kind of
 * actor x own / other object, against the rules written in srv_policy.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <setjmp.h>
#include <cmocka.h>

#include "srv_policy.h"

/* Org 10 = "A", 20 = "B"; centre 1 and 2. */
static const int64_t org_a[] = {10}, org_b[] = {20}, c1[] = {1}, c2[] = {2};

enum {
    ANON,
    MEM_A,
    MEM_B,
    CON_1,
    CON_2,
    COORD,
    COORD_A,
    CON_1_A,
    SCREEN,
    NACTORS
};

static struct srv_actor actors[NACTORS];

static void make_actors(void)
{
    memset(actors, 0, sizeof(actors));
    actors[ANON].kind = SRV_ACTOR_ANON;
    actors[MEM_A] =
        (struct srv_actor){SRV_ACTOR_USER, 2, false, org_a, 1, NULL, 0};
    actors[MEM_B] =
        (struct srv_actor){SRV_ACTOR_USER, 3, false, org_b, 1, NULL, 0};
    actors[CON_1] =
        (struct srv_actor){SRV_ACTOR_USER, 4, false, NULL, 0, c1, 1};
    actors[CON_2] =
        (struct srv_actor){SRV_ACTOR_USER, 5, false, NULL, 0, c2, 1};
    actors[COORD] =
        (struct srv_actor){SRV_ACTOR_USER, 6, true, NULL, 0, NULL, 0};
    /* A coordinator who is also a member of A. */
    actors[COORD_A] =
        (struct srv_actor){SRV_ACTOR_USER, 7, true, org_a, 1, NULL, 0};
    /* A contact person of centre 1 who is also a member of A. */
    actors[CON_1_A] =
        (struct srv_actor){SRV_ACTOR_USER, 8, false, org_a, 1, c1, 1};
    actors[SCREEN] =
        (struct srv_actor){SRV_ACTOR_SCREEN, 9, false, NULL, 0, NULL, 0};
}

struct row {
    enum srv_action action;
    struct srv_object obj;
    /* expected srv_policy_status per actor: 0 allowed, 403, 404 */
    int expect[NACTORS];
};

/* An item of A placed at centre 1. */
#define ITEM_A_C1                                                              \
    {                                                                          \
        100, 10, 0, c1, 1                                                      \
    }
/* The placement of that item at centre 1. */
#define PL_A_C1                                                                \
    {                                                                          \
        200, 10, 1, NULL, 0                                                    \
    }

static const struct row rows[] = {
    /* action            object           anon memA memB con1 con2 coord coordA
       con1A screen */
    {SRV_A_AREA_READ, {0}, {404, 0, 0, 0, 0, 0, 0, 0, 404}},
    {SRV_A_AREA_WRITE, {0}, {404, 403, 403, 403, 403, 0, 0, 403, 404}},
    {SRV_A_CENTRE_READ, {0}, {404, 0, 0, 0, 0, 0, 0, 0, 404}},
    {SRV_A_CENTRE_WRITE, {0}, {404, 403, 403, 403, 403, 0, 0, 403, 404}},
    {SRV_A_SCREEN_READ,
     {0, 0, 1, NULL, 0},
     {404, 403, 403, 0, 403, 0, 0, 0, 404}},
    {SRV_A_SCREEN_WRITE,
     {0, 0, 1, NULL, 0},
     {404, 403, 403, 403, 403, 0, 0, 403, 404}},
    {SRV_A_SCREEN_SELF,
     {9, 0, 1, NULL, 0},
     {404, 404, 404, 404, 404, 404, 404, 404, 0}},
    {SRV_A_SCREEN_SELF,
     {8, 0, 1, NULL, 0},
     {404, 404, 404, 404, 404, 404, 404, 404, 404}},
    {SRV_A_ORG_READ,
     {10, 10, 0, NULL, 0},
     {404, 0, 404, 404, 404, 0, 0, 0, 404}},
    {SRV_A_ORG_WRITE,
     {10, 10, 0, NULL, 0},
     {404, 403, 404, 404, 404, 0, 0, 403, 404}},
    {SRV_A_USER_READ, {0}, {404, 403, 403, 403, 403, 0, 0, 403, 404}},
    {SRV_A_USER_WRITE, {0}, {404, 403, 403, 403, 403, 0, 0, 403, 404}},
    {SRV_A_TOKEN_OWN, {0}, {404, 0, 0, 0, 0, 0, 0, 0, 404}},
    {SRV_A_ITEM_CREATE,
     {0, 10, 0, c1, 1},
     {404, 0, 404, 404, 404, 0, 0, 0, 404}},
    {SRV_A_ITEM_READ, ITEM_A_C1, {404, 0, 404, 0, 404, 0, 0, 0, 404}},
    {SRV_A_ITEM_EDIT, ITEM_A_C1, {404, 0, 404, 403, 404, 0, 0, 0, 404}},
    {SRV_A_ITEM_WITHDRAW, ITEM_A_C1, {404, 0, 404, 403, 404, 0, 0, 0, 404}},
    /* Cancelling one occurrence: whoever reads the item, the contact
     * person of its centre too (it takes back, adds nothing). */
    {SRV_A_ITEM_CANCEL, ITEM_A_C1, {404, 0, 404, 0, 404, 0, 0, 0, 404}},
    {SRV_A_PLACEMENT_READ, PL_A_C1, {404, 0, 404, 0, 404, 0, 0, 0, 404}},
    /* The decision rule: contact of the centre, or a coordinator who is
     * not a member of the item's organisation. Members never. */
    {SRV_A_PLACEMENT_DECIDE, PL_A_C1, {404, 403, 404, 0, 404, 0, 403, 0, 404}},
    /* The same for an item of B at centre 1: coordA may decide now. */
    {SRV_A_PLACEMENT_DECIDE,
     {201, 20, 1, NULL, 0},
     {404, 404, 403, 0, 404, 0, 0, 0, 404}},
    {SRV_A_QUEUE_READ,
     {0, 0, 1, NULL, 0},
     {404, 403, 403, 0, 403, 0, 0, 0, 404}},
    {SRV_A_QUEUE_READ,
     {0, 0, 2, NULL, 0},
     {404, 403, 403, 403, 0, 0, 0, 403, 404}},
    {SRV_A_ALERT_READ,
     {0, 0, 1, NULL, 0},
     {404, 403, 403, 0, 403, 0, 0, 0, 404}},
    {SRV_A_ALERT_READ, {0, 0, 0, NULL, 0}, {404, 403, 403, 0, 0, 0, 0, 0, 404}},
    {SRV_A_ALERT_WRITE,
     {0, 0, 1, NULL, 0},
     {404, 403, 403, 0, 403, 0, 0, 0, 404}},
    /* Every centre at once: coordinators only. */
    {SRV_A_ALERT_WRITE,
     {0, 0, 0, NULL, 0},
     {404, 403, 403, 403, 403, 0, 0, 403, 404}},
    {SRV_A_AUDIT_READ, {0}, {404, 403, 403, 403, 403, 0, 0, 403, 404}},
    /* Play reports: one organisation everywhere (coordinators, members)... */
    {SRV_A_REPORT_READ,
     {10, 10, 0, NULL, 0},
     {404, 0, 404, 404, 404, 0, 0, 0, 404}},
    /* ...or at one centre (its contact person too)... */
    {SRV_A_REPORT_READ,
     {10, 10, 1, NULL, 0},
     {404, 0, 404, 0, 404, 0, 0, 0, 404}},
    /* ...and every organisation: coordinators, or a centre's contact. */
    {SRV_A_REPORT_READ,
     {0, 0, 0, NULL, 0},
     {404, 404, 404, 404, 404, 0, 0, 404, 404}},
    {SRV_A_REPORT_READ,
     {0, 0, 2, NULL, 0},
     {404, 404, 404, 404, 0, 0, 0, 404, 404}},
    /* A draft is its owner's alone (member A's, id 2): not even a
     * coordinator's to read, and nobody else learns it exists. */
    {SRV_A_DRAFT_OWN,
     {2, 0, 0, NULL, 0},
     {404, 0, 404, 404, 404, 404, 404, 404, 404}},
    {SRV_A_DRAFT_OWN, {0}, {404, 404, 404, 404, 404, 404, 404, 404, 404}},
    /* An organisation's defaults: its members and coordinators. */
    {SRV_A_ORG_DEFAULTS,
     {10, 10, 0, NULL, 0},
     {404, 0, 404, 404, 404, 0, 0, 0, 404}},
};

static void matrix(void **state)
{
    size_t i;
    int a, failures = 0;

    (void)state;
    make_actors();
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        for (a = 0; a < NACTORS; a++) {
            int got =
                srv_policy_status(&actors[a], rows[i].action, &rows[i].obj);
            if (got != rows[i].expect[a]) {
                fprintf(stderr, "row %zu %s actor %d: got %d expected %d\n", i,
                        srv_action_name(rows[i].action), a, got,
                        rows[i].expect[a]);
                failures++;
            }
            /* srv_can agrees with the status. */
            assert_int_equal(srv_can(&actors[a], rows[i].action, &rows[i].obj),
                             got == 0);
        }
    }
    assert_int_equal(failures, 0);
}

/* Every action has a row. */
static void every_action_covered(void **state)
{
    int a;
    size_t i;

    (void)state;
    for (a = 0; a < SRV_A__COUNT; a++) {
        bool found = false;
        for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
            found = found || rows[i].action == (enum srv_action)a;
        }
        if (!found) {
            fprintf(stderr, "no row for %s\n",
                    srv_action_name((enum srv_action)a));
        }
        assert_true(found);
        assert_string_not_equal(srv_action_name((enum srv_action)a), "?");
    }
}

static void edge_cases(void **state)
{
    struct srv_actor bad = {SRV_ACTOR_USER, 0, true, NULL, 0, NULL, 0};
    const int64_t zero[] = {0};
    struct srv_actor zero_member = {SRV_ACTOR_USER, 5, false, zero, 1, zero, 1};
    struct srv_object o = {0, 0, 0, NULL, 0};

    (void)state;
    /* No actor, a user without an id, a NULL object. */
    assert_false(srv_can(NULL, SRV_A_AREA_READ, NULL));
    assert_false(srv_can(&bad, SRV_A_AREA_WRITE, NULL));
    /* id 0 never matches: an object without an organisation or centre is
     * nobody's. */
    assert_false(srv_can(&zero_member, SRV_A_ITEM_EDIT, &o));
    assert_false(srv_can(&zero_member, SRV_A_QUEUE_READ, &o));
    assert_false(srv_can(&zero_member, SRV_A_ALERT_WRITE, &o));
    assert_string_equal(srv_action_name(SRV_A__COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matrix),
        cmocka_unit_test(every_action_covered),
        cmocka_unit_test(edge_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
