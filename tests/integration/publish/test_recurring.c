/*
 * test_recurring.c: a recurring event through the real server, its SQLite
 * file and a real Mosquitto, as a screen meets it:
 *
 *   a member creates a weekly series (every Tuesday 14-16, ten weeks), the
 *   API checks it (bulletins, a first day that is not a Tuesday, an until
 *   past the display window, too many occurrences, an exception that is no
 *   occurrence) and answers with the rule in words; the contact person
 *   approves it once -> the screen's signed manifest (format 2) carries
 *   the rule and all ten occurrences at 14:00 local; cancelling the second
 *   one (by the contact person) republishes it marked cancelled and leaves
 *   the series approved; restoring it unmarks it; an edit of the rule
 *   (every other Tuesday) goes back to review with the change in words,
 *   leaves the screen, and comes back once approved.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "itest.h"
#include "mqttc.h"
#include "pubsys.h"
#include "taulu_crypto.h"
#include "taulu_manifest.h"
#include "taulu_proto.h"
#include "tsupport.h"

static struct itest_server srv;
static struct itest_world w;
static struct tsupport_broker broker;
static char screen_id[PUBSYS_ID_MAX], status_topic[PUBSYS_TOPIC_MAX],
    desired_topic[PUBSYS_TOPIC_MAX];

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
    return taulu_buf_append(ctx, p, size * n) == 0 ? size * n : 0;
}

/* The screen's signed manifest with its token; checked as a player
 * checks it (signature, screen); the raw JSON stays in *raw. */
static struct taulu_manifest *fetch(struct taulu_buf *raw)
{
    uint8_t pk[TAULU_SIGN_PK_LEN];
    struct taulu_manifest *m = NULL;
    struct taulu_buf why;
    struct curl_slist *h = NULL;
    char url[300], hdr[200], path[600];
    CURL *c = curl_easy_init();
    long status = 0;
    int i;

    snprintf(path, sizeof path, "%s/data/keys/server.pub", srv.dir);
    assert_int_equal(taulu_read_public_key(path, pk), 0);
    taulu_buf_reset(raw);
    snprintf(url, sizeof url, "http://127.0.0.1:%u/api/v1/screens/%s/manifest",
             srv.port, screen_id);
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", w.screen.bearer);
    h = curl_slist_append(h, hdr);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, raw);
    /* A new screen's first manifest is built after its creation has
     * answered (the publisher's worker): 404 until then, as a player
     * finds it, which asks again. */
    for (i = 0; i < 50; i++) {
        taulu_buf_reset(raw);
        assert_int_equal(curl_easy_perform(c), CURLE_OK);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (status != 404) {
            break;
        }
        usleep(100 * 1000);
    }
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    assert_int_equal(status, 200);
    taulu_buf_init(&why, 1024);
    if (taulu_manifest_load_signed(raw->data, raw->len, pk, NULL, screen_id, 0,
                                   &m, &why) != 0) {
        fail_msg("manifest refused: %s", why.data);
    }
    taulu_buf_release(&why);
    return m;
}

/* Waits until the screen's manifest has a seq above `after`. */
static struct taulu_manifest *fetch_after(int64_t after, struct taulu_buf *raw)
{
    int i;

    for (i = 0; i < 200; i++) { /* 10 s: a loaded machine */
        struct taulu_manifest *m = fetch(raw);
        if (m->seq > after) {
            return m;
        }
        taulu_manifest_free(m);
        usleep(50000);
    }
    fail_msg("no manifest after seq %lld", (long long)after);
    return NULL;
}

/* The item's card in m, or NULL. */
static const struct taulu_card *find_card(const struct taulu_manifest *m,
                                          long long item)
{
    char id[32];
    size_t i;

    snprintf(id, sizeof id, "i%lld", item);
    for (i = 0; i < m->n_cards; i++) {
        if (strcmp(m->cards[i].id, id) == 0) {
            return &m->cards[i];
        }
    }
    return NULL;
}

/* The item's recurring card in m (the test fails without one). */
static const struct taulu_card *card_of(const struct taulu_manifest *m,
                                        long long item)
{
    static const struct taulu_card none;
    const struct taulu_card *c = find_card(m, item);

    if (!c || !c->recur) {
        fail_msg("no recurring card for item %lld", item);
        return &none;
    }
    return c;
}

static int setup(void **state)
{
    (void)state;
    pubsys_setup(&srv, &broker, &w, "recurring", screen_id, status_topic,
                 desired_topic);
    return 0;
}

static void server_stops_cleanly(void **state)
{
    (void)state;
    assert_int_equal(itest_stop(&srv), 0);
}

static int teardown(void **state)
{
    (void)state;
    pubsys_teardown(&srv, &broker);
    return 0;
}

/* POSTs an item of kind `kind` with the first occurrence of `times` (NULL:
 * no times), the display window of `sr` and `recurrence`; expects 400
 * with `code` on `field`. */
static void post_refused(const struct itest_series *sr, const char *kind,
                         const struct itest_series *times,
                         const char *recurrence, const char *code,
                         const char *field)
{
    struct itest_resp r;
    char body[1200], when[200] = "";
    const cJSON *e;

    if (times) {
        snprintf(when, sizeof when, "\"starts_at\":\"%s\",\"ends_at\":\"%s\",",
                 times->starts_at, times->ends_at);
    }
    snprintf(body, sizeof body,
             "{\"organisation_id\":%lld,\"kind\":\"%s\",\"category\":"
             "\"osallisuus\",%s\"display_until\":\"%s\","
             "\"recurrence\":%s,\"centres\":[%lld],\"texts\":[{\"lang\":"
             "\"fi\",\"plain\":true,\"title\":\"Muistikahvila\",\"body\":"
             "\"Tervetuloa.\"}]}",
             w.org_a, kind, when, sr->display_until, recurrence, w.c1);
    assert_int_equal(
        itest_req(&srv, "POST", "/api/v1/items", &w.mem_a, body, &r), 0);
    e = cJSON_GetObjectItemCaseSensitive(r.json, "error");
    if (r.status != 400 || strcmp(itest_str(e, "code"), code) != 0 ||
        strcmp(itest_str(e, "field"), field) != 0) {
        fail_msg("%ld %s for %s", r.status, r.body, recurrence);
    }
    itest_resp_free(&r);
}

static void test_api_checks(void **state)
{
    struct itest_series sr, wed;
    char rec[400], far[32];

    (void)state;
    itest_weekly(&sr, 2, 10);
    /* a bulletin has nothing to repeat */
    post_refused(&sr, "bulletin", NULL,
                 "{\"freq\":\"weekly\",\"byday\":[\"TU\"]}", "invalid_value",
                 "recurrence");
    /* the first time on a Wednesday, the rule on Tuesdays */
    itest_weekly(&wed, 3, 10);
    post_refused(&sr, "event", &wed, "{\"freq\":\"weekly\",\"byday\":[\"TU\"]}",
                 "start_not_in_rule", "starts_at");
    /* past the display window */
    itest_iso(300 * 86400, far);
    snprintf(rec, sizeof rec,
             "{\"freq\":\"weekly\",\"byday\":[\"TU\"],\"until\":\"%.10s\"}",
             far);
    post_refused(&sr, "event", &sr, rec, "recurrence_after_display",
                 "recurrence.until");
    /* an exception that is not a Tuesday of the series */
    snprintf(rec, sizeof rec,
             "{\"freq\":\"weekly\",\"byday\":[\"TU\"],\"exdates\":[\"%s\"]}",
             wed.first_day);
    post_refused(&sr, "event", &sr, rec, "not_an_occurrence",
                 "recurrence.exdates[0]");
    post_refused(&sr, "event", &sr,
                 "{\"freq\":\"weekly\",\"byday\":[\"TU\"],\"interval\":5}",
                 "out_of_range", "recurrence.interval");
    post_refused(&sr, "event", &sr, "{\"freq\":\"weekly\",\"byday\":[\"TUE\"]}",
                 "invalid_value", "recurrence.byday[0]");
    post_refused(&sr, "event", &sr,
                 "{\"freq\":\"weekly\",\"byday\":[\"TU\"],\"count\":4}",
                 "unknown_field", "recurrence.count");
    /* Every day until the display window's end (at most a year): the
     * bound of 400 occurrences leaves room for that (a rule over it is
     * refused by taulu_series_check, tested in test_recur.c) */
    {
        char until[32];
        cJSON *j;
        itest_iso(360 * 86400, until);
        j = itest_call(&srv, &w.mem_a, 201, "POST", "/api/v1/items",
                       "{\"organisation_id\":%lld,\"kind\":\"event\","
                       "\"category\":\"osallisuus\",\"starts_at\":\"%s\","
                       "\"ends_at\":\"%s\",\"display_until\":\"%s\","
                       "\"recurrence\":{\"freq\":\"weekly\",\"byday\":[\"MO\","
                       "\"TU\",\"WE\",\"TH\",\"FR\",\"SA\",\"SU\"]},"
                       "\"centres\":[%lld],\"texts\":[{\"lang\":\"fi\","
                       "\"plain\":true,\"title\":\"Joka päivä\",\"body\":"
                       "\"Tervetuloa.\"}]}",
                       w.org_a, sr.starts_at, sr.ends_at, until, w.c1);
        assert_true(itest_int(j, "occurrence_count") > 340);
        assert_true(itest_int(j, "occurrence_count") <= 366);
        assert_string_equal(
            itest_str(cJSON_GetObjectItemCaseSensitive(j, "recurrence_text"),
                      "fi"),
            "joka maanantai, tiistai, keskiviikko, torstai, perjantai, "
            "lauantai ja sunnuntai klo 14–16");
        cJSON_Delete(j);
    }

    /* The form's live summary: the words, the RRULE and the dates. */
    {
        cJSON *j = itest_call(
            &srv, &w.mem_a, 200, "POST", "/api/v1/recurrence",
            "{\"starts_at\":\"%s\",\"ends_at\":\"%s\",\"display_until\":"
            "\"%s\",\"recurrence\":{\"freq\":\"weekly\",\"interval\":2,"
            "\"byday\":[\"TU\"]}}",
            sr.starts_at, sr.ends_at, sr.display_until);
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "recurrence_text");
        const cJSON *next =
            cJSON_GetObjectItemCaseSensitive(j, "next_occurrences");
        assert_string_equal(itest_str(t, "fi"),
                            "joka toinen tiistai klo 14–16");
        assert_string_equal(itest_str(t, "sv"),
                            "varannan tisdag kl. 14.00–16.00");
        assert_string_equal(itest_str(t, "en"),
                            "every other Tuesday 14.00–16.00");
        assert_int_equal(itest_int(j, "occurrence_count"), 5);
        assert_string_equal(itest_str(cJSON_GetArrayItem(next, 0), "date"),
                            sr.first_day);
        assert_non_null(strstr(itest_str(j, "rrule"),
                               "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL="));
        /* the until defaults to the last day shown: display_until's date
         * (12:00 local there) */
        assert_memory_equal(
            itest_str(cJSON_GetObjectItemCaseSensitive(j, "recurrence"),
                      "until"),
            sr.display_until, 10);
        cJSON_Delete(j);
        /* without a display end the rule names its own */
        cJSON_Delete(itest_call(
            &srv, &w.mem_a, 400, "POST", "/api/v1/recurrence",
            "{\"starts_at\":\"%s\",\"ends_at\":\"%s\",\"recurrence\":{"
            "\"freq\":\"weekly\",\"byday\":[\"TU\"]}}",
            sr.starts_at, sr.ends_at));
    }
}

static void test_series_to_screen(void **state)
{
    struct itest_series sr, wed;
    struct taulu_manifest *m;
    const struct taulu_card *c;
    struct taulu_buf raw;
    struct taulu_civil civ;
    char path[200];
    cJSON *j, *t, *ch;
    long long item, pl, other;
    int64_t seq;
    size_t i;
    bool found;

    (void)state;
    taulu_buf_init(&raw, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    m = fetch(&raw);
    seq = m->seq;
    taulu_manifest_free(m);

    /* Created once; the answer says the rule in words */
    itest_weekly(&sr, 2, 10);
    item = itest_recurring_item(&srv, &w.mem_a, w.org_a, "[1]", "Muistikahvila",
                                &sr, "TU");
    snprintf(path, sizeof path, "/api/v1/items/%lld", item);
    j = itest_call(&srv, &w.mem_a, 200, "GET", path, NULL);
    t = cJSON_GetObjectItemCaseSensitive(j, "recurrence_text");
    assert_string_equal(itest_str(t, "fi"), "joka tiistai klo 14–16");
    assert_string_equal(itest_str(t, "sv"), "varje tisdag kl. 14.00–16.00");
    assert_string_equal(itest_str(t, "en"), "every Tuesday 14.00–16.00");
    assert_int_equal(itest_int(j, "occurrence_count"), 10);
    assert_string_equal(
        itest_str(cJSON_GetObjectItemCaseSensitive(j, "recurrence"), "until"),
        sr.until_day);
    cJSON_Delete(j);
    /* ...and so does the list */
    j = itest_call(&srv, &w.mem_a, 200, "GET", "/api/v1/items", NULL);
    found = false;
    cJSON_ArrayForEach(ch, cJSON_GetObjectItemCaseSensitive(j, "items"))
    {
        if (itest_int(ch, "id") == item) {
            found = strcmp(itest_str(cJSON_GetObjectItemCaseSensitive(
                                         ch, "recurrence_text"),
                                     "fi"),
                           "joka tiistai klo 14–16") == 0;
        }
    }
    assert_true(found);
    cJSON_Delete(j);

    /* One approval for the series: the screen's manifest carries the rule
     * and the ten occurrences, each at 14:00 Helsinki time */
    pl = itest_placement(&srv, &w.con_1, item, w.c1);
    snprintf(path, sizeof path, "/api/v1/placements/%lld/approve", pl);
    cJSON_Delete(
        itest_call(&srv, &w.con_1, 200, "POST", path, "{\"item_version\":1}"));
    m = fetch_after(seq, &raw);
    seq = m->seq;
    assert_non_null(strstr(raw.data, "\"format_version\":2,"));
    c = card_of(m, item);
    assert_int_equal(c->recur->rule.days[0].wday, 2);
    assert_int_equal(c->recur->start_min, 14 * 60);
    assert_int_equal(c->recur->end_min, 16 * 60);
    assert_int_equal(c->n_occurrences, 10);
    assert_int_equal(c->occurrences[0].start, sr.start);
    for (i = 0; i < c->n_occurrences; i++) {
        assert_int_equal(taulu_time_to_civil(c->occurrences[i].start,
                                             &taulu_tz_helsinki, &civ),
                         0);
        assert_int_equal(civ.wday, 2);
        assert_int_equal(civ.hour, 14);
        assert_int_equal(civ.min, 0);
        assert_int_equal(c->occurrences[i].end - c->occurrences[i].start, 7200);
        assert_false(c->occurrences[i].cancelled);
    }
    taulu_manifest_free(m);

    /* The contact person cancels the second one: republished, marked; the
     * series stays approved at the same version */
    snprintf(path, sizeof path, "/api/v1/items/%lld/cancel-occurrence", item);
    j = itest_call(&srv, &w.con_1, 200, "POST", path, "{\"date\":\"%s\"}",
                   sr.second_day);
    assert_string_equal(itest_str(j, "date"), sr.second_day);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "cancelled")));
    cJSON_Delete(j);
    m = fetch_after(seq, &raw);
    seq = m->seq;
    c = card_of(m, item);
    assert_false(c->occurrences[0].cancelled);
    assert_true(c->occurrences[1].cancelled);
    assert_int_equal(c->n_occurrences, 10);
    taulu_manifest_free(m);
    snprintf(path, sizeof path, "/api/v1/items/%lld", item);
    j = itest_call(&srv, &w.mem_a, 200, "GET", path, NULL);
    assert_int_equal(itest_int(j, "version"), 1);
    ch = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "placements"),
                            0);
    assert_string_equal(itest_str(ch, "state"), "approved");
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "cancelled"), 0)
            ->valuestring,
        sr.second_day);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(
            cJSON_GetObjectItemCaseSensitive(j, "next_occurrences"), 1),
        "cancelled")));
    cJSON_Delete(j);

    /* Refusals: not a date of the series, another organisation, a
     * one-off item */
    snprintf(path, sizeof path, "/api/v1/items/%lld/cancel-occurrence", item);
    cJSON_Delete(itest_call(&srv, &w.mem_a, 400, "POST", path,
                            "{\"date\":\"2020-01-01\"}"));
    itest_weekly(&wed, 3, 1);
    j = itest_call(&srv, &w.mem_a, 400, "POST", path, "{\"date\":\"%s\"}",
                   wed.first_day);
    assert_string_equal(
        itest_str(cJSON_GetObjectItemCaseSensitive(j, "error"), "code"),
        "not_an_occurrence");
    cJSON_Delete(j);
    cJSON_Delete(itest_call(&srv, &w.mem_b, 404, "POST", path,
                            "{\"date\":\"%s\"}", sr.first_day));
    other = itest_item(&srv, &w.mem_a, w.org_a, "[1]", "Kertaluonteinen");
    snprintf(path, sizeof path, "/api/v1/items/%lld/cancel-occurrence", other);
    j = itest_call(&srv, &w.mem_a, 400, "POST", path, "{\"date\":\"%s\"}",
                   sr.first_day);
    assert_string_equal(
        itest_str(cJSON_GetObjectItemCaseSensitive(j, "error"), "code"),
        "not_recurring");
    cJSON_Delete(j);

    /* Restored by the member */
    snprintf(path, sizeof path, "/api/v1/items/%lld/restore-occurrence", item);
    cJSON_Delete(itest_call(&srv, &w.mem_a, 200, "POST", path,
                            "{\"date\":\"%s\"}", sr.second_day));
    m = fetch_after(seq, &raw);
    seq = m->seq;
    assert_false(card_of(m, item)->occurrences[1].cancelled);
    taulu_manifest_free(m);

    /* An edit of the rule: every other Tuesday. Back to review, with the
     * change in words for the contact person; off the screen meanwhile */
    snprintf(path, sizeof path, "/api/v1/items/%lld", item);
    cJSON_Delete(itest_call(
        &srv, &w.mem_a, 200, "PUT", path,
        "{\"version\":1,\"kind\":\"event\",\"category\":\"osallisuus\","
        "\"starts_at\":\"%s\",\"ends_at\":\"%s\",\"display_until\":\"%s\","
        "\"recurrence\":{\"freq\":\"weekly\",\"interval\":2,\"byday\":["
        "\"TU\"],\"until\":\"%s\"},\"texts\":[{\"lang\":\"fi\",\"plain\":"
        "true,\"title\":\"Muistikahvila\",\"body\":\"Tervetuloa mukaan.\","
        "\"place\":\"Tuiran kirjasto\"}]}",
        sr.starts_at, sr.ends_at, sr.display_until, sr.until_day));
    snprintf(path, sizeof path, "/api/v1/placements/%lld", pl);
    j = itest_call(&srv, &w.con_1, 200, "GET", path, NULL);
    assert_string_equal(
        itest_str(cJSON_GetObjectItemCaseSensitive(j, "placement"), "state"),
        "submitted");
    found = false;
    cJSON_ArrayForEach(ch, cJSON_GetObjectItemCaseSensitive(j, "changes"))
    {
        if (strcmp(itest_str(ch, "field"), "recurrence_text") == 0) {
            assert_string_equal(
                itest_str(cJSON_GetObjectItemCaseSensitive(ch, "old"), "fi"),
                "joka tiistai klo 14–16");
            assert_string_equal(
                itest_str(cJSON_GetObjectItemCaseSensitive(ch, "new"), "fi"),
                "joka toinen tiistai klo 14–16");
            found = true;
        }
    }
    assert_true(found);
    cJSON_Delete(j);
    m = fetch_after(seq, &raw);
    seq = m->seq;
    assert_null(find_card(m, item));
    taulu_manifest_free(m);
    snprintf(path, sizeof path, "/api/v1/placements/%lld/approve", pl);
    cJSON_Delete(
        itest_call(&srv, &w.con_1, 200, "POST", path, "{\"item_version\":2}"));
    m = fetch_after(seq, &raw);
    c = card_of(m, item);
    assert_int_equal(c->recur->rule.interval, 2);
    assert_int_equal(c->n_occurrences, 5);
    taulu_manifest_free(m);
    /* An edit of a one-off item shows no repeat among its changes. */
    {
        long long opl = itest_placement(&srv, &w.con_1, other, w.c1);
        char until[32];
        itest_iso(20 * 86400, until);
        snprintf(path, sizeof path, "/api/v1/placements/%lld/approve", opl);
        cJSON_Delete(itest_call(&srv, &w.con_1, 200, "POST", path,
                                "{\"item_version\":1}"));
        snprintf(path, sizeof path, "/api/v1/items/%lld", other);
        cJSON_Delete(itest_call(
            &srv, &w.mem_a, 200, "PUT", path,
            "{\"version\":1,\"kind\":\"bulletin\",\"category\":"
            "\"osallisuus\",\"display_until\":\"%s\",\"texts\":[{\"lang\":"
            "\"fi\",\"plain\":true,\"title\":\"Kertaluonteinen\",\"body\":"
            "\"Tervetuloa.\"}]}",
            until));
        snprintf(path, sizeof path, "/api/v1/placements/%lld", opl);
        j = itest_call(&srv, &w.con_1, 200, "GET", path, NULL);
        found = false;
        cJSON_ArrayForEach(ch, cJSON_GetObjectItemCaseSensitive(j, "changes"))
        {
            found =
                found || strncmp(itest_str(ch, "field"), "recurrence", 10) == 0;
        }
        assert_false(found);
        assert_true(cJSON_GetArraySize(
                        cJSON_GetObjectItemCaseSensitive(j, "changes")) > 0);
        cJSON_Delete(j);
    }

    taulu_buf_release(&raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_checks),
        cmocka_unit_test(test_series_to_screen),
        cmocka_unit_test(server_stops_cleanly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
