/*
 * test_srv_form.c: what saves a volunteer typing and a contact person a
 * double approval, through the real server: drafts (saved, replaced,
 * listed, read back, deleted; another user's, the coordinator's too, do
 * not exist and the attempt is in the audit log; at most 20 a user), an
 * organisation's defaults (set by a member, read with the organisation,
 * refused to others, cleared), duplicates in the queue (the same text sent
 * twice, or with a word changed, is flagged at the same centre, never an
 * unrelated text, and never an item the reader may not see), and date
 * errors that name their field in words.
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

static struct itest_server srv;
static struct itest_world w;

static int setup(void **state)
{
    (void)state;
    itest_setup_dir(&srv, "form");
    itest_world_setup(&srv, &w);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    itest_kill9(&srv);
    return 0;
}

static void server_stops_cleanly(void **state)
{
    (void)state;
    assert_int_equal(itest_stop(&srv), 0);
}

static void drafts(void **state)
{
    cJSON *d, *list, *x;
    long long id, id2;
    char path[64];
    struct itest_resp r;
    int i;

    (void)state;
    /* Saved, then replaced: the same draft for the same form. */
    d = itest_call(&srv, &w.mem_a, 201, "POST", "/api/v1/drafts",
                   "{\"form\":\"item:new\",\"title\":\"Muistikahvila\","
                   "\"content\":{\"fi-title\":\"Muistikahvila\","
                   "\"kind\":\"event\",\"centres\":[1,2]}}");
    id = itest_int(d, "id");
    assert_true(id > 0);
    assert_string_equal(itest_str(d, "form"), "item:new");
    assert_non_null(itest_str(d, "updated_at"));
    cJSON_Delete(d);
    d = itest_call(&srv, &w.mem_a, 200, "POST", "/api/v1/drafts",
                   "{\"form\":\"item:new\",\"title\":\"Muistikahvila 2\","
                   "\"content\":{\"fi-title\":\"Muistikahvila 2\"}}");
    assert_int_equal(itest_int(d, "id"), id);
    cJSON_Delete(d);
    /* Another form is another draft. */
    d = itest_call(&srv, &w.mem_a, 201, "POST", "/api/v1/drafts",
                   "{\"form\":\"item:edit-7\",\"content\":{}}");
    id2 = itest_int(d, "id");
    cJSON_Delete(d);

    /* The list: newest first, no content; one form's only. */
    list = itest_call(&srv, &w.mem_a, 200, "GET", "/api/v1/drafts", NULL);
    x = cJSON_GetObjectItem(list, "drafts");
    assert_int_equal(cJSON_GetArraySize(x), 2);
    assert_int_equal(itest_int(cJSON_GetArrayItem(x, 0), "id"), id2);
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(x, 0), "content"));
    cJSON_Delete(list);
    list = itest_call(&srv, &w.mem_a, 200, "GET",
                      "/api/v1/drafts?form=item:new", NULL);
    x = cJSON_GetObjectItem(list, "drafts");
    assert_int_equal(cJSON_GetArraySize(x), 1);
    assert_string_equal(itest_str(cJSON_GetArrayItem(x, 0), "title"),
                        "Muistikahvila 2");
    cJSON_Delete(list);
    /* Nobody else has any. */
    list = itest_call(&srv, &w.coord, 200, "GET", "/api/v1/drafts", NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(list, "drafts")),
                     0);
    cJSON_Delete(list);

    /* Read back as saved. */
    snprintf(path, sizeof(path), "/api/v1/drafts/%lld", id);
    d = itest_call(&srv, &w.mem_a, 200, "GET", path, NULL);
    assert_string_equal(
        itest_str(cJSON_GetObjectItem(d, "content"), "fi-title"),
        "Muistikahvila 2");
    cJSON_Delete(d);

    /* Scenario 8: someone guessing ids, a coordinator too, finds nothing,
     * and the attempt is on the record. */
    cJSON_Delete(itest_call(&srv, &w.mem_b, 404, "GET", path, NULL));
    cJSON_Delete(itest_call(&srv, &w.coord, 404, "GET", path, NULL));
    cJSON_Delete(itest_call(&srv, &w.con_1, 404, "DELETE", path, NULL));
    list = itest_call(&srv, &w.coord, 200, "GET",
                      "/api/v1/audit?refused=1&action=draft.own", NULL);
    x = cJSON_GetObjectItem(list, "entries");
    assert_int_equal(cJSON_GetArraySize(x), 3);
    assert_string_equal(itest_str(cJSON_GetArrayItem(x, 0), "object_type"),
                        "draft");
    assert_int_equal(itest_int(cJSON_GetArrayItem(x, 0), "object_id"), id);
    cJSON_Delete(list);

    /* Bad input: a form key that is not one, content that is no object. */
    cJSON_Delete(itest_call(&srv, &w.mem_a, 400, "POST", "/api/v1/drafts",
                            "{\"form\":\"../x\",\"content\":{}}"));
    cJSON_Delete(itest_call(&srv, &w.mem_a, 400, "POST", "/api/v1/drafts",
                            "{\"form\":\"item:new\",\"content\":\"x\"}"));
    cJSON_Delete(itest_call(&srv, &w.mem_a, 400, "POST", "/api/v1/drafts",
                            "{\"form\":\"item:new\"}"));
    cJSON_Delete(
        itest_call(&srv, &w.screen, 403, "GET", "/api/v1/drafts", NULL));

    /* Deleted by its owner: gone. */
    cJSON_Delete(itest_call(&srv, &w.mem_a, 204, "DELETE", path, NULL));
    cJSON_Delete(itest_call(&srv, &w.mem_a, 404, "GET", path, NULL));

    /* At most 20 a user: the least recently saved goes. */
    for (i = 0; i < 22; i++) {
        char body[96];
        snprintf(body, sizeof(body),
                 "{\"form\":\"item:copy-%d\",\"content\":{\"n\":%d}}", i, i);
        cJSON_Delete(itest_call(&srv, &w.mem_b, 201, "POST", "/api/v1/drafts",
                                "%s", body));
    }
    list = itest_call(&srv, &w.mem_b, 200, "GET", "/api/v1/drafts", NULL);
    x = cJSON_GetObjectItem(list, "drafts");
    assert_int_equal(cJSON_GetArraySize(x), 20);
    assert_string_equal(itest_str(cJSON_GetArrayItem(x, 0), "form"),
                        "item:copy-21");
    assert_string_equal(itest_str(cJSON_GetArrayItem(x, 19), "form"),
                        "item:copy-2");
    cJSON_Delete(list);

    /* A body past the server's JSON limit is refused, nothing stored. */
    {
        static const char head[] =
            "{\"form\":\"item:new\",\"content\":{\"a\":\"";
        size_t n = 70 * 1024, h = sizeof(head) - 1;
        char *big = malloc(h + n + 4);
        assert_non_null(big);
        memcpy(big, head, h);
        memset(big + h, 'x', n);
        memcpy(big + h + n, "\"}}", 4);
        assert_int_equal(
            itest_req(&srv, "POST", "/api/v1/drafts", &w.mem_a, big, &r), 0);
        assert_int_equal(r.status, 413);
        itest_resp_free(&r);
        free(big);
    }
}

static void org_defaults(void **state)
{
    char path[80];
    cJSON *o, *d;

    (void)state;
    snprintf(path, sizeof(path), "/api/v1/organisations/%lld/defaults",
             w.org_a);
    o = itest_call(&srv, &w.mem_a, 200, "PUT", path,
                   "{\"place\":\"Seurakuntatalo, Kirkkotie 1\","
                   "\"contact\":\"p. 040 123 4567\","
                   "\"category\":\"ihmissuhteet\",\"languages\":[\"fi\","
                   "\"sv\"]}");
    d = cJSON_GetObjectItem(o, "defaults");
    assert_string_equal(itest_str(d, "place"), "Seurakuntatalo, Kirkkotie 1");
    cJSON_Delete(o);
    /* Read with the organisation, by its member and in the list. */
    snprintf(path, sizeof(path), "/api/v1/organisations/%lld", w.org_a);
    o = itest_call(&srv, &w.mem_a, 200, "GET", path, NULL);
    d = cJSON_GetObjectItem(o, "defaults");
    assert_string_equal(itest_str(d, "contact"), "p. 040 123 4567");
    assert_string_equal(itest_str(d, "category"), "ihmissuhteet");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(d, "languages")),
                     2);
    cJSON_Delete(o);
    o = itest_call(&srv, &w.mem_b, 200, "GET", "/api/v1/organisations", NULL);
    /* member B sees B only, and B has no defaults */
    d = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "organisations"), 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "defaults")));
    cJSON_Delete(o);

    /* Others: as if the organisation were not there; bad values named. */
    snprintf(path, sizeof(path), "/api/v1/organisations/%lld/defaults",
             w.org_a);
    cJSON_Delete(itest_call(&srv, &w.mem_b, 404, "PUT", path, "{}"));
    cJSON_Delete(itest_call(&srv, &w.con_1, 404, "PUT", path, "{}"));
    o = itest_call(&srv, &w.mem_a, 400, "PUT", path,
                   "{\"languages\":[\"fi\",\"fi\"]}");
    assert_string_equal(itest_str(cJSON_GetObjectItem(o, "error"), "field"),
                        "languages[1]");
    cJSON_Delete(o);
    cJSON_Delete(itest_call(&srv, &w.mem_a, 400, "PUT", path,
                            "{\"category\":\"kahvi\"}"));
    /* The coordinator may set them too; all empty clears them. */
    o = itest_call(&srv, &w.coord, 200, "PUT", path,
                   "{\"place\":\"\",\"languages\":[]}");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "defaults")));
    cJSON_Delete(o);
    o = itest_call(&srv, &w.coord, 200, "GET",
                   "/api/v1/audit?refused=0&action=org.defaults", NULL);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "entries")), 2);
    cJSON_Delete(o);
}

static long long post_item(const struct itest_auth *as, long long org,
                           const char *centres, const char *title,
                           const char *body)
{
    char until[32];
    cJSON *j;
    long long id;

    itest_iso(10 * 86400, until);
    j = itest_call(&srv, as, 201, "POST", "/api/v1/items",
                   "{\"organisation_id\":%lld,\"kind\":\"bulletin\","
                   "\"category\":\"ihmissuhteet\",\"display_until\":\"%s\","
                   "\"centres\":%s,\"texts\":[{\"lang\":\"fi\","
                   "\"plain\":false,\"title\":\"%s\",\"body\":\"%s\"}]}",
                   org, until, centres, title, body);
    id = itest_int(j, "id");
    cJSON_Delete(j);
    return id;
}

static cJSON *dupes_of(const struct itest_auth *as, long long item,
                       long long centre, cJSON **root)
{
    char path[64];
    long long pl = itest_placement(&srv, &w.coord, item, centre);

    snprintf(path, sizeof(path), "/api/v1/placements/%lld", pl);
    *root = itest_call(&srv, as, 200, "GET", path, NULL);
    return cJSON_GetObjectItem(*root, "duplicates");
}

static void duplicates(void **state)
{
    static const char body[] =
        "Tule juttelemaan ja juomaan kahvia. Voit tuoda läheisen mukaan. "
        "Kahvila on seurakuntatalolla joka tiistai.";
    static const char body2[] =
        "Tule juttelemaan ja juomaan kahvia! Voit tuoda ystävän mukaan. "
        "Kahvila on seurakuntatalolla joka tiistai.";
    long long first, again, other, elsewhere, parish;
    cJSON *root, *d;

    (void)state;
    first = post_item(&w.mem_a, w.org_a, "[1]", "Muistikahvila", body);
    /* The same, a word or two changed, sent again to the same centre. */
    again = post_item(&w.mem_a, w.org_a, "[1]", "Muistikahvila", body2);
    /* Something else at the same centre; the same text at another. */
    other = post_item(&w.mem_a, w.org_a, "[1]", "Kävelyryhmä",
                      "Kävelemme yhdessä puistossa. Lähtö on pääovelta.");
    (void)other;
    elsewhere = post_item(&w.mem_a, w.org_a, "[2]", "Muistikahvila", body);
    /* The parish sends the very same text to centre 1. */
    parish = post_item(&w.mem_b, w.org_b, "[1]", "Muistikahvila", body);

    /* The contact person of centre 1 sees both others that say the same,
     * most alike first, in words of their state. */
    d = dupes_of(&w.con_1, again, 1, &root);
    assert_int_equal(cJSON_GetArraySize(d), 2);
    {
        const cJSON *a = cJSON_GetArrayItem(d, 0),
                    *b = cJSON_GetArrayItem(d, 1);
        long long ia = itest_int(a, "item_id"), ib = itest_int(b, "item_id");
        assert_true((ia == first && ib == parish) ||
                    (ia == parish && ib == first));
        assert_string_equal(itest_str(a, "title"), "Muistikahvila");
        assert_string_equal(itest_str(cJSON_GetObjectItem(a, "titles"), "fi"),
                            "Muistikahvila");
        assert_string_equal(itest_str(a, "state"), "submitted");
        assert_true(cJSON_GetObjectItem(a, "similarity")->valuedouble >= 0.8);
        assert_true(cJSON_GetObjectItem(a, "similarity")->valuedouble < 1.0);
    }
    cJSON_Delete(root);
    /* The identical one scores 1 and comes first. */
    d = dupes_of(&w.con_1, first, 1, &root);
    assert_int_equal(itest_int(cJSON_GetArrayItem(d, 0), "item_id"), parish);
    assert_true(cJSON_GetObjectItem(cJSON_GetArrayItem(d, 0), "similarity")
                    ->valuedouble == 1.0);
    cJSON_Delete(root);
    /* At centre 2 there is nothing like it (the copy at centre 1 is at
     * another centre). */
    d = dupes_of(&w.con_2, elsewhere, 2, &root);
    assert_int_equal(cJSON_GetArraySize(d), 0);
    cJSON_Delete(root);
    /* A member reading their own placement learns nothing of the
     * parish's item: only their own organisation's duplicates. */
    d = dupes_of(&w.mem_a, again, 1, &root);
    assert_int_equal(cJSON_GetArraySize(d), 1);
    assert_int_equal(itest_int(cJSON_GetArrayItem(d, 0), "item_id"), first);
    cJSON_Delete(root);
}

/* A mistyped year is told about the field it is in, in words. */
static void date_errors_name_their_field(void **state)
{
    cJSON *j, *e, *m;

    (void)state;
    j = itest_call(&srv, &w.mem_a, 400, "POST", "/api/v1/items",
                   "{\"organisation_id\":%lld,\"kind\":\"bulletin\","
                   "\"category\":\"ihmissuhteet\",\"display_until\":"
                   "\"0002-12-01T16:00:00+02:00\",\"centres\":[1],"
                   "\"texts\":[{\"lang\":\"fi\",\"plain\":false,\"title\":"
                   "\"Testi\",\"body\":\"Testi.\"}]}",
                   w.org_a);
    e = cJSON_GetObjectItem(j, "error");
    m = cJSON_GetObjectItem(e, "message");
    assert_string_equal(itest_str(e, "field"), "display_until");
    assert_non_null(strstr(itest_str(m, "fi"), "Näkyy viimeistään"));
    assert_non_null(strstr(itest_str(m, "sv"), "Visas senast till"));
    assert_non_null(strstr(itest_str(m, "en"), "Shown until"));
    assert_null(strstr(itest_str(m, "fi"), "T14:00"));
    cJSON_Delete(j);
    j = itest_call(&srv, &w.mem_a, 400, "POST", "/api/v1/items",
                   "{\"organisation_id\":%lld,\"kind\":\"event\","
                   "\"category\":\"ihmissuhteet\",\"starts_at\":"
                   "\"2026-13-01T14:00:00+02:00\",\"ends_at\":"
                   "\"2026-12-01T16:00:00+02:00\",\"display_until\":"
                   "\"2026-12-01T16:00:00+02:00\",\"centres\":[1],"
                   "\"texts\":[{\"lang\":\"fi\",\"plain\":false,\"title\":"
                   "\"Testi\",\"body\":\"Testi.\"}]}",
                   w.org_a);
    e = cJSON_GetObjectItem(j, "error");
    assert_string_equal(itest_str(e, "code"), "invalid_time");
    assert_string_equal(itest_str(e, "field"), "starts_at");
    assert_non_null(strstr(itest_str(cJSON_GetObjectItem(e, "message"), "fi"),
                           "Alkamisaika"));
    cJSON_Delete(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(drafts),
        cmocka_unit_test(org_defaults),
        cmocka_unit_test(duplicates),
        cmocka_unit_test(date_errors_name_their_field),
        cmocka_unit_test(server_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
