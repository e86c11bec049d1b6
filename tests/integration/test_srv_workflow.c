/*
 * test_srv_workflow.c: the moderation workflow through the HTTP API, as the
 * scenarios tell it (../shared/design/scenarios.md 1, 3, 4 and 8), plus
 * sessions, CSRF, login rate limiting, headers and static files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "itest.h"

static struct itest_server srv;
static struct itest_world w;

static int setup(void **state)
{
    (void)state;
    itest_setup_dir(&srv, "workflow");
    itest_world_setup(&srv, &w);
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

static cJSON *find_by(cJSON *arr, const char *key, long long v)
{
    cJSON *x;

    cJSON_ArrayForEach(x, arr)
    {
        if (itest_int(x, key) == v) {
            return x;
        }
    }
    return NULL;
}

static long long count_by(const cJSON *arr, const char *key, long long v)
{
    const cJSON *x;
    long long n = 0;

    cJSON_ArrayForEach(x, arr)
    {
        n += itest_int(x, key) == v;
    }
    return n;
}

/* Scenario 1: a memory café for two centres. */
static void scenario_1_memory_cafe(void **state)
{
    char start[32], end[32], path[128];
    cJSON *it, *q, *pl, *mine;
    long long id, p1, p2;

    (void)state;
    itest_iso_at(3, 9, 0, start);
    itest_iso_at(3, 9, 7200, end);
    /* With its when, where, price, access, registration and QR code the
     * card does not fit one page of Tuira's 55" screen read from 3 m: the
     * submission is refused, naming the screen (one card, one page). */
    it = itest_call(
        &srv, &w.mem_a, 422, "POST", "/api/v1/items",
        "{\"organisation_id\":%lld,\"kind\":\"event\","
        "\"category\":\"ihmissuhteet\",\"starts_at\":\"%s\","
        "\"ends_at\":\"%s\",\"free\":true,\"step_free\":true,"
        "\"link\":\"https://muisti.example.fi/kahvila\","
        "\"display_until\":\"%s\",\"centres\":[%lld,%lld],"
        "\"texts\":[{\"lang\":\"fi\",\"plain\":true,"
        "\"title\":\"Muistikahvila\",\"body\":\"Tule juttelemaan ja juomaan "
        "kahvia. Voit tuoda läheisen mukaan.\",\"place\":\"Seurakuntatalo\","
        "\"registration\":\"Ei ilmoittautumista\"}]}",
        w.org_a, start, end, end, w.c1, w.c2);
    {
        char *text = cJSON_PrintUnformatted(it);
        assert_non_null(strstr(text, "Aula 1"));
        assert_non_null(strstr(text, "text_does_not_fit"));
        cJSON_free(text);
    }
    cJSON_Delete(it);
    /* The same with a short text for the screen: the body stays the full
     * text (for the web), the screen shows the summary. */
    it = itest_call(
        &srv, &w.mem_a, 201, "POST", "/api/v1/items",
        "{\"organisation_id\":%lld,\"kind\":\"event\","
        "\"category\":\"ihmissuhteet\",\"starts_at\":\"%s\","
        "\"ends_at\":\"%s\",\"free\":true,\"step_free\":true,"
        "\"link\":\"https://muisti.example.fi/kahvila\","
        "\"display_until\":\"%s\",\"centres\":[%lld,%lld],"
        "\"texts\":[{\"lang\":\"fi\",\"plain\":true,"
        "\"title\":\"Muistikahvila\",\"body\":\"Tule juttelemaan ja juomaan "
        "kahvia. Voit tuoda läheisen mukaan.\",\"place\":\"Seurakuntatalo\","
        "\"registration\":\"Ei ilmoittautumista\","
        "\"summary\":\"Kahvia ja juttua.\"}]}",
        w.org_a, start, end, end, w.c1, w.c2);
    id = itest_int(it, "id");
    assert_true(id > 0);
    assert_int_equal(itest_int(it, "version"), 1);
    pl = cJSON_GetObjectItemCaseSensitive(it, "placements");
    assert_int_equal(cJSON_GetArraySize(pl), 2);
    assert_string_equal(itest_str(find_by(pl, "centre_id", w.c1), "state"),
                        "submitted");
    p1 = itest_int(find_by(pl, "centre_id", w.c1), "id");
    p2 = itest_int(find_by(pl, "centre_id", w.c2), "id");
    cJSON_Delete(it);

    /* Each contact person sees it in their own queue, only for their own
     * centre. */
    q = itest_call(&srv, &w.con_1, 200, "GET", "/api/v1/queue", NULL);
    pl = cJSON_GetObjectItemCaseSensitive(q, "placements");
    assert_non_null(find_by(pl, "id", p1));
    assert_null(find_by(pl, "id", p2));
    assert_int_equal(count_by(pl, "centre_id", w.c2), 0);
    cJSON_Delete(q);
    q = itest_call(&srv, &w.con_2, 200, "GET", "/api/v1/queue", NULL);
    pl = cJSON_GetObjectItemCaseSensitive(q, "placements");
    assert_non_null(find_by(pl, "id", p2));
    assert_null(find_by(pl, "id", p1));
    cJSON_Delete(q);

    /* A contact person reading the item sees only their centre's
     * placement. */
    snprintf(path, sizeof(path), "/api/v1/items/%lld", id);
    it = itest_call(&srv, &w.con_1, 200, "GET", path, NULL);
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(it, "placements")),
        1);
    cJSON_Delete(it);

    /* Tuira approves from now until the event ends; Kaakkuri too. */
    snprintf(path, sizeof(path), "/api/v1/placements/%lld/approve", p1);
    q = itest_call(&srv, &w.con_1, 200, "POST", path,
                   "{\"item_version\":1,\"display_until\":\"%s\"}", end);
    assert_string_equal(itest_str(q, "state"), "approved");
    assert_int_equal(itest_int(q, "decided_by"), w.contact_1);
    assert_string_equal(itest_str(q, "display_until"), end);
    cJSON_Delete(q);
    /* Approving twice is a conflict, not a second decision. */
    cJSON_Delete(
        itest_call(&srv, &w.con_1, 409, "POST", path, "{\"item_version\":1}"));
    snprintf(path, sizeof(path), "/api/v1/placements/%lld/approve", p2);
    cJSON_Delete(
        itest_call(&srv, &w.con_2, 200, "POST", path, "{\"item_version\":1}"));

    /* Aino's list shows both approved. */
    mine = itest_call(&srv, &w.mem_a, 200, "GET", "/api/v1/items", NULL);
    it = find_by(cJSON_GetObjectItemCaseSensitive(mine, "items"), "id", id);
    assert_non_null(it);
    pl = cJSON_GetObjectItemCaseSensitive(it, "placements");
    assert_string_equal(itest_str(find_by(pl, "centre_id", w.c1), "state"),
                        "approved");
    assert_string_equal(itest_str(find_by(pl, "centre_id", w.c2), "state"),
                        "approved");
    cJSON_Delete(mine);

    /* The queues are empty of it now. */
    q = itest_call(&srv, &w.con_1, 200, "GET", "/api/v1/queue", NULL);
    assert_null(
        find_by(cJSON_GetObjectItemCaseSensitive(q, "placements"), "id", p1));
    cJSON_Delete(q);
}

/* Scenario 3: edited after approval goes back to the queue, with the
 * change shown. */
static void scenario_3_edit_after_approval(void **state)
{
    char s17[32], e19[32], s18[32], e20[32], path[128];
    cJSON *it, *q, *pl, *ch, *x;
    long long id, p1;
    bool saw_start = false;

    (void)state;
    itest_iso_at(5, 9, 0, s17);
    itest_iso_at(5, 9, 7200, e19);
    itest_iso_at(5, 9, 3600, s18);
    itest_iso_at(5, 9, 3600 + 7200, e20);
    it = itest_call(
        &srv, &w.mem_b, 201, "POST", "/api/v1/items",
        "{\"organisation_id\":%lld,\"kind\":\"event\",\"category\":"
        "\"vapaa-aika-kulttuuri\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
        "\"display_until\":\"%s\",\"centres\":[%lld],\"texts\":[{\"lang\":"
        "\"fi\",\"plain\":false,\"title\":\"Kuorolaulua\",\"body\":\"Laulamme "
        "yhdessä.\"}]}",
        w.org_b, s17, e19, e19, w.c1);
    id = itest_int(it, "id");
    cJSON_Delete(it);
    p1 = itest_placement(&srv, &w.mem_b, id, w.c1);
    snprintf(path, sizeof(path), "/api/v1/placements/%lld/approve", p1);
    cJSON_Delete(
        itest_call(&srv, &w.con_1, 200, "POST", path, "{\"item_version\":1}"));

    /* The parish moves it from 17 to 18. */
    snprintf(path, sizeof(path), "/api/v1/items/%lld", id);
    it = itest_call(
        &srv, &w.mem_b, 200, "PUT", path,
        "{\"version\":1,\"kind\":\"event\",\"category\":"
        "\"vapaa-aika-kulttuuri\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
        "\"display_until\":\"%s\",\"texts\":[{\"lang\":\"fi\",\"plain\":"
        "false,\"title\":\"Kuorolaulua\",\"body\":\"Laulamme yhdessä.\"}]}",
        s18, e20, e20);
    assert_int_equal(itest_int(it, "version"), 2);
    pl = cJSON_GetObjectItemCaseSensitive(it, "placements");
    assert_string_equal(itest_str(find_by(pl, "id", p1), "state"), "submitted");
    cJSON_Delete(it);

    /* A stale edit (version 1 again) is refused. */
    cJSON_Delete(itest_call(
        &srv, &w.mem_b, 409, "PUT", path,
        "{\"version\":1,\"kind\":\"bulletin\",\"category\":\"osallisuus\","
        "\"display_until\":\"%s\",\"texts\":[{\"lang\":\"fi\",\"plain\":"
        "true,\"title\":\"x\",\"body\":\"y\"}]}",
        e20));

    /* Back in the queue, marked as changed, with the diff. */
    q = itest_call(&srv, &w.con_1, 200, "GET", "/api/v1/queue", NULL);
    x = find_by(cJSON_GetObjectItemCaseSensitive(q, "placements"), "id", p1);
    assert_non_null(x);
    assert_true(cJSON_IsTrue(
        cJSON_GetObjectItemCaseSensitive(x, "changed_since_approval")));
    cJSON_Delete(q);
    snprintf(path, sizeof(path), "/api/v1/placements/%lld", p1);
    q = itest_call(&srv, &w.con_1, 200, "GET", path, NULL);
    ch = cJSON_GetObjectItemCaseSensitive(q, "changes");
    cJSON_ArrayForEach(x, ch)
    {
        if (strcmp(itest_str(x, "field"), "starts_at") == 0) {
            saw_start = true;
            assert_string_equal(itest_str(x, "old"), s17);
            assert_string_equal(itest_str(x, "new"), s18);
        }
        /* Only what changed is listed. */
        assert_true(strncmp(itest_str(x, "field"), "texts", 5) != 0);
    }
    assert_true(saw_start);
    cJSON_Delete(q);

    /* Approving what one saw before the edit is refused. */
    snprintf(path, sizeof(path), "/api/v1/placements/%lld/approve", p1);
    cJSON_Delete(
        itest_call(&srv, &w.con_1, 409, "POST", path, "{\"item_version\":1}"));
    cJSON_Delete(
        itest_call(&srv, &w.con_1, 200, "POST", path, "{\"item_version\":2}"));

    /* The old version stays readable. */
    snprintf(path, sizeof(path), "/api/v1/items/%lld/versions/1", id);
    q = itest_call(&srv, &w.mem_b, 200, "GET", path, NULL);
    assert_string_equal(
        itest_str(cJSON_GetObjectItemCaseSensitive(q, "content"), "starts_at"),
        s17);
    cJSON_Delete(q);
}

/* Reject and request changes need a reason; fixing returns to the queue. */
static void reject_and_request_changes(void **state)
{
    char path[128], until[32];
    long long id, p;
    cJSON *j;

    (void)state;
    id = itest_item(&srv, &w.mem_a, w.org_a, "[2]", "Vertaisryhmä");
    p = itest_placement(&srv, &w.mem_a, id, w.c2);
    snprintf(path, sizeof(path), "/api/v1/placements/%lld/request-changes", p);
    j = itest_call(&srv, &w.con_2, 400, "POST", path, "{\"item_version\":1}");
    assert_string_equal(
        itest_str(cJSON_GetObjectItemCaseSensitive(j, "error"), "code"),
        "reason_required");
    cJSON_Delete(j);
    j = itest_call(&srv, &w.con_2, 200, "POST", path,
                   "{\"item_version\":1,\"reason\":\"Lisää paikka.\"}");
    assert_string_equal(itest_str(j, "state"), "changes_requested");
    assert_string_equal(itest_str(j, "reason"), "Lisää paikka.");
    cJSON_Delete(j);
    itest_iso(20 * 86400, until);
    snprintf(path, sizeof(path), "/api/v1/items/%lld", id);
    cJSON_Delete(itest_call(
        &srv, &w.mem_a, 200, "PUT", path,
        "{\"version\":1,\"kind\":\"bulletin\",\"category\":\"osallisuus\","
        "\"display_until\":\"%s\",\"texts\":[{\"lang\":\"fi\",\"plain\":true,"
        "\"title\":\"Vertaisryhmä\",\"body\":\"Tapaamme kirjastossa.\","
        "\"place\":\"Kirjasto\"}]}",
        until));
    assert_int_equal(itest_placement(&srv, &w.mem_a, id, w.c2), p);
    snprintf(path, sizeof(path), "/api/v1/placements/%lld/reject", p);
    j = itest_call(&srv, &w.con_2, 200, "POST", path,
                   "{\"item_version\":2,\"reason\":\"Ei sovi.\"}");
    assert_string_equal(itest_str(j, "state"), "rejected");
    cJSON_Delete(j);

    /* Withdrawing: the sender takes an item down everywhere. */
    id = itest_item(&srv, &w.mem_a, w.org_a, "[1,2]", "Poistuva");
    snprintf(path, sizeof(path), "/api/v1/items/%lld/withdraw", id);
    j = itest_call(&srv, &w.mem_a, 200, "POST", path, NULL);
    assert_string_equal(
        itest_str(cJSON_GetArrayItem(
                      cJSON_GetObjectItemCaseSensitive(j, "placements"), 0),
                  "state"),
        "withdrawn");
    cJSON_Delete(j);
}

/* Scenario 4: the water is off at Raahe. */
static void scenario_4_alert(void **state)
{
    char roles[64], ends[32], path[96];
    struct itest_auth con3;
    cJSON *a, *l;
    long long id;

    (void)state;
    snprintf(roles, sizeof(roles), "\"contact_centres\":[%lld]", w.c3);
    itest_user(&srv, &w.coord, "raahe@pohde.fi", roles, &con3);
    itest_iso(4 * 3600, ends);
    /* The end is mandatory. */
    cJSON_Delete(itest_call(&srv, &con3, 400, "POST", "/api/v1/alerts",
                            "{\"centre_id\":%lld,\"texts\":[{\"lang\":\"fi\","
                            "\"title\":\"Vesikatko\",\"body\":\"Vesi on "
                            "poikki kello 13 asti.\"}]}",
                            w.c3));
    a = itest_call(&srv, &con3, 201, "POST", "/api/v1/alerts",
                   "{\"centre_id\":%lld,\"ends_at\":\"%s\",\"texts\":[{"
                   "\"lang\":\"fi\",\"title\":\"Vesikatko\",\"body\":\"Vesi "
                   "on poikki kello 13 asti.\"}]}",
                   w.c3, ends);
    id = itest_int(a, "id");
    assert_string_equal(itest_str(a, "ends_at"), ends);
    cJSON_Delete(a);
    /* Another centre's contact person cannot publish for Raahe. */
    cJSON_Delete(itest_call(&srv, &w.con_1, 403, "POST", "/api/v1/alerts",
                            "{\"centre_id\":%lld,\"ends_at\":\"%s\",\"texts\""
                            ":[{\"lang\":\"fi\",\"title\":\"x\",\"body\":"
                            "\"y\"}]}",
                            w.c3, ends));
    l = itest_call(&srv, &con3, 200, "GET", "/api/v1/alerts", NULL);
    assert_non_null(
        find_by(cJSON_GetObjectItemCaseSensitive(l, "alerts"), "id", id));
    cJSON_Delete(l);
    snprintf(path, sizeof(path), "/api/v1/alerts/%lld/end", id);
    cJSON_Delete(itest_call(&srv, &con3, 200, "POST", path, NULL));
    cJSON_Delete(itest_call(&srv, &con3, 409, "POST", path, NULL));
    l = itest_call(&srv, &con3, 200, "GET", "/api/v1/alerts", NULL);
    assert_null(
        find_by(cJSON_GetObjectItemCaseSensitive(l, "alerts"), "id", id));
    cJSON_Delete(l);
}

static bool audit_has(const char *query, long long actor, long long object,
                      const char *action)
{
    char path[256];
    cJSON *j, *e;
    bool found = false;

    snprintf(path, sizeof(path), "/api/v1/audit?%s", query);
    j = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j, "entries"))
    {
        if (itest_int(e, "actor_id") == actor &&
            itest_int(e, "object_id") == object &&
            strcmp(itest_str(e, "action"), action) == 0 &&
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "refused"))) {
            found = true;
        }
    }
    cJSON_Delete(j);
    return found;
}

/* Scenario 8: someone tries to abuse it. */
static void scenario_8_abuse(void **state)
{
    static const char script[] =
        "<script>alert(1)</script><img src=x onerror=alert(2)>";
    char path[128], until[32], roles[96];
    struct itest_auth coord_member, contact_member;
    cJSON *it, *t;
    long long id, p, own, pown;
    struct itest_resp r;

    (void)state;
    itest_iso(10 * 86400, until);
    /* Markup and script are refused by the checker (422, with where they
     * are), so nothing of it is ever stored or shown. */
    it = itest_call(
        &srv, &w.mem_b, 422, "POST", "/api/v1/items",
        "{\"organisation_id\":%lld,\"kind\":\"bulletin\",\"category\":"
        "\"toimeentulo\",\"link\":\"https://phish.example.com/login\","
        "\"display_until\":\"%s\",\"centres\":[%lld],\"texts\":[{\"lang\":"
        "\"fi\",\"plain\":true,\"title\":\"%s\",\"body\":\"%s\"}]}",
        w.org_b, until, w.c1, "<b>Voita</b>", script);
    assert_string_equal(
        itest_str(cJSON_GetObjectItemCaseSensitive(it, "error"), "code"),
        "check_failed");
    {
        char *txt = cJSON_PrintUnformatted(it);
        assert_non_null(strstr(txt, "markup_script"));
        cJSON_free(txt);
    }
    cJSON_Delete(it);
    /* The same spammer with plain text: stored, the link waits for a
     * contact person. */
    it = itest_call(
        &srv, &w.mem_b, 201, "POST", "/api/v1/items",
        "{\"organisation_id\":%lld,\"kind\":\"bulletin\",\"category\":"
        "\"toimeentulo\",\"link\":\"https://phish.example.com/login\","
        "\"display_until\":\"%s\",\"centres\":[%lld],\"texts\":[{\"lang\":"
        "\"fi\",\"plain\":true,\"title\":\"%s\",\"body\":\"%s\"}]}",
        w.org_b, until, w.c1, "Voita palkinto",
        "Kirjaudu sivulle. Saat rahaa.");
    id = itest_int(it, "id");
    t = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(it, "texts"), "fi");
    assert_string_equal(itest_str(t, "title"), "Voita palkinto");
    cJSON_Delete(it);
    snprintf(path, sizeof(path), "/api/v1/items/%lld", id);
    assert_int_equal(itest_req(&srv, "GET", path, &w.mem_b, NULL, &r), 0);
    assert_non_null(strstr(r.headers, "application/json"));
    assert_non_null(strstr(r.headers, "nosniff"));
    itest_resp_free(&r);

    /* A member of another organisation guesses the id: 404, and the
     * attempt is in the audit log. */
    cJSON_Delete(itest_call(&srv, &w.mem_a, 404, "GET", path, NULL));
    assert_true(audit_has("refused=1", w.member_a, id, "item.read"));
    /* ...and cannot tell it from an id that does not exist. */
    cJSON_Delete(
        itest_call(&srv, &w.mem_a, 404, "GET", "/api/v1/items/999999", NULL));

    /* A member tries to approve their own item: refused and logged. */
    p = itest_placement(&srv, &w.mem_b, id, w.c1);
    snprintf(path, sizeof(path), "/api/v1/placements/%lld/approve", p);
    cJSON_Delete(
        itest_call(&srv, &w.mem_b, 403, "POST", path, "{\"item_version\":1}"));
    assert_true(audit_has("refused=1", w.member_b, p, "placement.decide"));

    /* A coordinator who is a member of the organisation may not approve
     * its item... */
    snprintf(roles, sizeof(roles),
             "\"coordinator\":true,\"organisations\":[%lld]", w.org_a);
    itest_user(&srv, &w.coord, "koordinaattori2@pohde.fi", roles,
               &coord_member);
    own = itest_item(&srv, &w.mem_a, w.org_a, "[1]", "Oma");
    pown = itest_placement(&srv, &w.mem_a, own, w.c1);
    snprintf(path, sizeof(path), "/api/v1/placements/%lld/approve", pown);
    cJSON_Delete(itest_call(&srv, &coord_member, 403, "POST", path,
                            "{\"item_version\":1}"));
    /* ...unless they are that centre's contact person. */
    snprintf(roles, sizeof(roles),
             "\"contact_centres\":[%lld],\"organisations\":[%lld]", w.c1,
             w.org_a);
    itest_user(&srv, &w.coord, "yhdyshenkilo@pohde.fi", roles, &contact_member);
    cJSON_Delete(itest_call(&srv, &contact_member, 200, "POST", path,
                            "{\"item_version\":1}"));

    /* The phishing link is refused as a link if it is not http(s). */
    cJSON_Delete(itest_call(
        &srv, &w.mem_b, 400, "POST", "/api/v1/items",
        "{\"organisation_id\":%lld,\"kind\":\"bulletin\",\"category\":"
        "\"toimeentulo\",\"link\":\"javascript:alert(1)\",\"display_until\":"
        "\"%s\",\"centres\":[%lld],\"texts\":[{\"lang\":\"fi\",\"plain\":"
        "true,\"title\":\"a\",\"body\":\"b\"}]}",
        w.org_b, until, w.c1));
}

static void sessions_and_csrf(void **state)
{
    struct itest_auth s, nocsrf;
    struct itest_resp r;
    cJSON *j;

    (void)state;
    assert_int_equal(itest_login(&srv, "aino@muisti.fi", ITEST_PASSWORD, &s),
                     0);
    /* Cookie attributes. */
    assert_int_equal(itest_req(&srv, "POST", "/api/v1/login", NULL,
                               "{\"email\":\"aino@muisti.fi\",\"password\":"
                               "\"" ITEST_PASSWORD "\"}",
                               &r),
                     0);
    assert_non_null(strstr(r.headers, "HttpOnly"));
    assert_non_null(strstr(r.headers, "SameSite=Strict"));
    assert_non_null(strstr(r.headers, "Path=/"));
    /* Neither the password nor the session id goes into the log. */
    itest_resp_free(&r);
    j = itest_call(&srv, &s, 200, "GET", "/api/v1/me", NULL);
    assert_string_equal(itest_str(j, "csrf_token"), s.csrf);
    cJSON_Delete(j);
    /* A write without the CSRF header is refused. */
    nocsrf = s;
    nocsrf.no_csrf = true;
    cJSON_Delete(itest_call(&srv, &nocsrf, 403, "POST", "/api/v1/tokens",
                            "{\"name\":\"x\"}"));
    snprintf(nocsrf.csrf, sizeof(nocsrf.csrf), "%s", "0000");
    nocsrf.no_csrf = false;
    cJSON_Delete(itest_call(&srv, &nocsrf, 403, "POST", "/api/v1/tokens",
                            "{\"name\":\"x\"}"));
    /* A form post (not JSON) is refused before anything else. */
    assert_int_equal(itest_req_raw(&srv, "POST", "/api/v1/tokens", &s, "name=x",
                                   6, "application/x-www-form-urlencoded", &r),
                     0);
    assert_int_equal(r.status, 415);
    itest_resp_free(&r);
    /* Logout ends the session. */
    cJSON_Delete(itest_call(&srv, &s, 204, "POST", "/api/v1/logout", NULL));
    cJSON_Delete(itest_call(&srv, &s, 401, "GET", "/api/v1/me", NULL));
    /* A forged cookie or token is 401. */
    memset(&s, 0, sizeof(s));
    memset(s.cookie, 'a', 64);
    cJSON_Delete(itest_call(&srv, &s, 401, "GET", "/api/v1/me", NULL));
    memset(&s, 0, sizeof(s));
    snprintf(s.bearer, sizeof(s.bearer), "tsa_%064d", 0);
    cJSON_Delete(itest_call(&srv, &s, 401, "GET", "/api/v1/me", NULL));
}

static void login_rate_limit(void **state)
{
    struct itest_resp r;
    struct itest_auth s;
    int i;
    FILE *f;
    char line[1024];

    (void)state;
    for (i = 0; i < 5; i++) {
        assert_int_equal(itest_req(&srv, "POST", "/api/v1/login", NULL,
                                   "{\"email\":\"tuula@pohde.fi\","
                                   "\"password\":\"wrong-password-1\"}",
                                   &r),
                         0);
        assert_int_equal(r.status, 401);
        itest_resp_free(&r);
    }
    assert_int_equal(itest_req(&srv, "POST", "/api/v1/login", NULL,
                               "{\"email\":\"tuula@pohde.fi\","
                               "\"password\":\"" ITEST_PASSWORD "\"}",
                               &r),
                     0);
    assert_int_equal(r.status, 429);
    assert_non_null(strstr(r.headers, "Retry-After"));
    itest_resp_free(&r);
    /* Other accounts are not locked. */
    assert_int_equal(itest_login(&srv, "kaisa@pohde.fi", ITEST_PASSWORD, &s),
                     0);
    /* An unknown account answers like a wrong password. */
    assert_int_equal(itest_req(&srv, "POST", "/api/v1/login", NULL,
                               "{\"email\":\"nobody@example.fi\","
                               "\"password\":\"whatever-123\"}",
                               &r),
                     0);
    assert_int_equal(r.status, 401);
    itest_resp_free(&r);
    /* Secrets never reach the log. */
    f = fopen(srv.log, "r");
    assert_non_null(f);
    while (fgets(line, sizeof(line), f)) {
        assert_null(strstr(line, ITEST_PASSWORD));
        assert_null(strstr(line, s.cookie));
        assert_null(strstr(line, "wrong-password-1"));
    }
    fclose(f);
}

static void headers_static_and_metrics(void **state)
{
    char path[400], target[400];
    struct itest_resp r;
    FILE *f;
    static const char *const bad[] = {
        "/../taulu.db",      "/%2e%2e/taulu.db", "/web/../../etc/passwd",
        "/.hidden",          "/link.html",       "/sub/../index.html",
        "/index.html%00.js", "//etc/passwd",     "/a\\b",
    };
    size_t i;

    (void)state;
    snprintf(path, sizeof(path), "%s/index.html", srv.web);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("<!doctype html><title>Infotaulu</title>\n", f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/.hidden", srv.web);
    f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/link.html", srv.web);
    snprintf(target, sizeof(target), "%s", srv.db);
    assert_int_equal(symlink(target, path), 0);

    assert_int_equal(itest_req(&srv, "GET", "/", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Infotaulu"));
    assert_non_null(strstr(r.headers, "Content-Security-Policy: default-src "
                                      "'self'; frame-ancestors 'none'"));
    assert_non_null(strstr(r.headers, "X-Content-Type-Options: nosniff"));
    assert_non_null(strstr(r.headers, "Referrer-Policy: no-referrer"));
    assert_non_null(strstr(r.headers, "text/html"));
    itest_resp_free(&r);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(itest_req(&srv, "GET", bad[i], NULL, NULL, &r), 0);
        if (r.status != 404 && r.status != 400) {
            fprintf(stderr, "%s -> %ld\n", bad[i], r.status);
        }
        assert_true(r.status == 404 || r.status == 400);
        assert_true(!r.body || !strstr(r.body, "SQLite"));
        itest_resp_free(&r);
    }
    /* API answers are never cached; errors carry the headers too. */
    assert_int_equal(itest_req(&srv, "GET", "/api/v1/nothing", NULL, NULL, &r),
                     0);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.headers, "Cache-Control: no-store"));
    assert_non_null(strstr(r.headers, "Content-Security-Policy"));
    assert_non_null(strstr(r.body, "\"fi\""));
    itest_resp_free(&r);
    assert_int_equal(itest_req(&srv, "PATCH", "/api/v1/items", NULL, "{}", &r),
                     0);
    assert_int_equal(r.status, 405);
    itest_resp_free(&r);
    assert_int_equal(itest_req(&srv, "GET", "/metrics", NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(
        r.body, "infotaulu_http_requests_total{route=\"POST /api/v1/items\","
                "status=\"201\"}"));
    assert_non_null(strstr(r.body, "infotaulu_screens 1"));
    assert_non_null(strstr(r.body, "infotaulu_db_errors_total 0"));
    /* SQLite, and the _pg twin's C database: ordered as SQLite orders */
    assert_non_null(strstr(r.body, "\ninfotaulu_db_collation_ok 1\n"));
    itest_resp_free(&r);
    /* The screen reads its own record with its token. */
    cJSON_Delete(
        itest_call(&srv, &w.screen, 200, "GET", "/api/v1/screen", NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scenario_1_memory_cafe),
        cmocka_unit_test(scenario_3_edit_after_approval),
        cmocka_unit_test(reject_and_request_changes),
        cmocka_unit_test(scenario_4_alert),
        cmocka_unit_test(scenario_8_abuse),
        cmocka_unit_test(sessions_and_csrf),
        cmocka_unit_test(login_rate_limit),
        cmocka_unit_test(headers_static_and_metrics),
        cmocka_unit_test(server_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
