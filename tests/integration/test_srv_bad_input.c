/*
 * test_srv_bad_input.c: bad input on every write route. Malformed and deeply
 * nested JSON, wrong types, huge bodies, invalid UTF-8, NULs, SQL
 * metacharacters, path traversal in names, HTML in text, an image sent as a
 * form. Each must get a 4xx with the right error code (and field), the
 * server must keep serving, and nothing stored may be lost or half-written.
 */
#define _GNU_SOURCE /* vasprintf */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>

#include "itest.h"
#include "srv_store.h"

static struct itest_server srv;
static struct itest_world w;
static long long item_a, pl_a, pl_b;
static char until[32];

static const char *error_code(const cJSON *j)
{
    return itest_str(cJSON_GetObjectItemCaseSensitive(j, "error"), "code");
}

static const char *error_field(const cJSON *j)
{
    return itest_str(cJSON_GetObjectItemCaseSensitive(j, "error"), "field");
}

/* Sends raw bytes and checks status, code and (if given) field. */
static void expect_raw(const char *method, const char *path, const char *body,
                       size_t len, const char *ctype, long status,
                       const char *code, const char *field)
{
    struct itest_resp r;

    assert_int_equal(
        itest_req_raw(&srv, method, path, &w.coord, body, len, ctype, &r), 0);
    if (r.status != status ||
        (code && (!r.json || !error_code(r.json) ||
                  strcmp(error_code(r.json), code))) ||
        (field &&
         (!error_field(r.json) || strcmp(error_field(r.json), field)))) {
        fprintf(stderr, "%s %s: got %ld %s, expected %ld %s (%s)\n", method,
                path, r.status, r.body ? r.body : "", status, code ? code : "",
                field ? field : "");
    }
    assert_int_equal(r.status, status);
    if (code) {
        assert_non_null(r.json);
        assert_string_equal(error_code(r.json), code);
        /* Every error says it in three languages. */
        assert_non_null(itest_str(
            cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(r.json, "error"), "message"),
            "sv"));
    }
    if (field) {
        assert_non_null(error_field(r.json));
        assert_string_equal(error_field(r.json), field);
    }
    itest_resp_free(&r);
}

static void expect(const char *method, const char *path, long status,
                   const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void expect(const char *method, const char *path, long status,
                   const char *code, const char *field, const char *fmt, ...)
{
    char *body = NULL;
    va_list ap;

    va_start(ap, fmt);
    assert_true(vasprintf(&body, fmt, ap) >= 0);
    va_end(ap);
    expect_raw(method, path, body, strlen(body), NULL, status, code, field);
    free(body);
}

struct route {
    const char *method;
    char path[96];
    bool empty_ok; /* an empty body is valid here */
};

static struct route routes[32];
static size_t nroutes;

static void add(const char *method, const char *path, bool empty_ok)
{
    routes[nroutes].empty_ok = empty_ok;
    routes[nroutes].method = method;
    snprintf(routes[nroutes].path, sizeof(routes[0].path), "%s", path);
    nroutes++;
}

static void every_write_route(void **state)
{
    static char nested[70000], huge[1100000];
    static const char bad_utf8[] = "{\"name\":\"\xff\xfe\xc3\x28\"}";
    static const char overlong[] = "{\"name\":\"\xc0\xaf\"}";
    static const char surrogate[] = "{\"name\":\"\xed\xa0\x80\"}";
    static const char lone_escape[] = "{\"name\":\"\\ud800\"}";
    static const char nul_escape[] = "{\"name\":\"a\\u0000b\"}";
    static const char raw_nul[] = "{\"name\":\"a\0b\"}";
    char p[96];
    size_t i, n;

    (void)state;
    n = 0;
    n += (size_t)snprintf(nested + n, sizeof(nested) - n, "{\"name\":");
    for (i = 0; i < 30000; i++) {
        nested[n++] = '[';
    }
    for (i = 0; i < 30000; i++) {
        nested[n++] = ']';
    }
    nested[n++] = '}';
    nested[n] = '\0';
    memset(huge, ' ', sizeof(huge) - 3);
    huge[0] = '{';
    huge[sizeof(huge) - 3] = '}';
    huge[sizeof(huge) - 2] = '\0';

    nroutes = 0;
    add("POST", "/api/v1/login", false);
    add("POST", "/api/v1/tokens", false);
    add("POST", "/api/v1/areas", false);
    snprintf(p, sizeof(p), "/api/v1/areas/%lld", w.area);
    add("PUT", p, false);
    add("POST", "/api/v1/centres", false);
    snprintf(p, sizeof(p), "/api/v1/centres/%lld", w.c1);
    add("PUT", p, false);
    add("POST", "/api/v1/screens", false);
    snprintf(p, sizeof(p), "/api/v1/screens/%lld", w.s1);
    add("PUT", p, false);
    add("POST", "/api/v1/organisations", false);
    snprintf(p, sizeof(p), "/api/v1/organisations/%lld", w.org_a);
    add("PUT", p, false);
    snprintf(p, sizeof(p), "/api/v1/organisations/%lld/members", w.org_a);
    add("POST", p, false);
    add("POST", "/api/v1/users", false);
    snprintf(p, sizeof(p), "/api/v1/users/%lld", w.member_a);
    add("PUT", p, false);
    add("POST", "/api/v1/items", false);
    snprintf(p, sizeof(p), "/api/v1/items/%lld", item_a);
    add("PUT", p, false);
    snprintf(p, sizeof(p), "/api/v1/items/%lld/withdraw", item_a);
    add("POST", p, true);
    snprintf(p, sizeof(p), "/api/v1/placements/%lld/approve", pl_a);
    add("POST", p, false);
    snprintf(p, sizeof(p), "/api/v1/placements/%lld/reject", pl_a);
    add("POST", p, false);
    snprintf(p, sizeof(p), "/api/v1/placements/%lld/request-changes", pl_a);
    add("POST", p, false);
    add("POST", "/api/v1/alerts", false);
    add("POST", "/api/v1/check", false);
    add("POST", "/api/v1/preview", false);

    for (i = 0; i < nroutes; i++) {
        const char *m = routes[i].method, *path = routes[i].path;
        expect_raw(m, path, "{", 1, NULL, 400, "bad_json", NULL);
        expect_raw(m, path, "{\"a\":1,}", 8, NULL, 400, "bad_json", NULL);
        expect_raw(m, path, "{} trailing", 11, NULL, 400, "bad_json", NULL);
        expect_raw(m, path, "[]", 2, NULL, 400, "not_object", NULL);
        expect_raw(m, path, "\"text\"", 6, NULL, 400, "not_object", NULL);
        expect_raw(m, path, nested, strlen(nested), NULL, 400, "too_deep",
                   NULL);
        expect_raw(m, path, huge, strlen(huge), NULL, 413, "body_too_large",
                   NULL);
        expect_raw(m, path, bad_utf8, strlen(bad_utf8), NULL, 400,
                   "invalid_utf8", NULL);
        expect_raw(m, path, overlong, strlen(overlong), NULL, 400,
                   "invalid_utf8", NULL);
        expect_raw(m, path, surrogate, strlen(surrogate), NULL, 400,
                   "invalid_utf8", NULL);
        expect_raw(m, path, lone_escape, strlen(lone_escape), NULL, 400,
                   "bad_json", NULL);
        expect_raw(m, path, nul_escape, strlen(nul_escape), NULL, 400,
                   "control_chars", NULL);
        expect_raw(m, path, raw_nul, sizeof(raw_nul) - 1, NULL, 400,
                   "control_chars", NULL);
        expect_raw(m, path, "{}", 2, "text/plain", 415,
                   "unsupported_media_type", NULL);
        expect_raw(m, path, "{\"zzz\":1}", 9, NULL, 400, "unknown_field",
                   "zzz");
        expect_raw(m, path, "{\"x'); DROP TABLE item;--\":1}", 29, NULL, 400,
                   "unknown_field", NULL);
        if (!routes[i].empty_ok) {
            expect_raw(m, path, "", 0, NULL, 400, "bad_json", NULL);
        }
    }
    /* Still serving. */
    cJSON_Delete(itest_call(&srv, NULL, 200, "GET", "/healthz", NULL));
}

static void fields(void **state)
{
    char p[96], big[400], path_c[64], path_i[64], path_pa[96], path_pb[96];
    char start[32], end[32], past[32], far[32];
    size_t i;

    (void)state;
    for (i = 0; i < 200; i++) {
        big[i] = 'x';
    }
    big[200] = '\0';
    itest_iso_at(1, 9, 0, start);
    itest_iso_at(1, 9, 3600, end);
    itest_iso(-3600, past);
    itest_iso(40 * 86400, far);

    /* areas */
    expect("POST", "/api/v1/areas", 400, "wrong_type", "name",
           "{\"name\":123}");
    expect("POST", "/api/v1/areas", 400, "too_short", "name",
           "{\"name\":\"\"}");
    expect("POST", "/api/v1/areas", 400, "too_short", "name",
           "{\"name\":\"   \"}");
    expect("POST", "/api/v1/areas", 400, "too_long", "name",
           "{\"name\":\"%s\"}", big);
    expect("POST", "/api/v1/areas", 400, "control_chars", "name",
           "{\"name\":\"a\\tb\"}");
    expect("POST", "/api/v1/areas", 400, "duplicate_field", "name",
           "{\"name\":\"a\",\"name\":\"b\"}");
    expect("POST", "/api/v1/areas", 400, "missing_field", "name", "{}");
    expect("POST", "/api/v1/areas", 409, "conflict", NULL,
           "{\"name\":\"Oulu-Koillismaa\"}");

    /* centres */
    snprintf(path_c, sizeof(path_c), "/api/v1/centres/%lld", w.c1);
    expect("POST", "/api/v1/centres", 400, "invalid_value", "municipality",
           "{\"name\":\"X\",\"municipality\":\"999\"}");
    expect("POST", "/api/v1/centres", 400, "too_long", "municipality",
           "{\"name\":\"X\",\"municipality\":\"5640\"}");
    expect("POST", "/api/v1/centres", 400, "wrong_type", "opening_hours",
           "{\"name\":\"X\",\"municipality\":\"564\",\"opening_hours\":[1]}");
    expect("POST", "/api/v1/centres", 400, "invalid_value", "opening_hours[0]",
           "{\"name\":\"X\",\"municipality\":\"564\",\"opening_hours\":[{"
           "\"open\":\"16:00\",\"close\":\"08:00\"},null,null,null,null,null,"
           "null]}");
    expect("POST", "/api/v1/centres", 400, "invalid_value", "languages",
           "{\"name\":\"X\",\"municipality\":\"564\",\"languages\":[\"FI\"]}");
    expect("POST", "/api/v1/centres", 400, "wrong_type", "area_id",
           "{\"name\":\"X\",\"municipality\":\"564\",\"area_id\":1.5}");
    expect("POST", "/api/v1/centres", 400, "out_of_range", "area_id",
           "{\"name\":\"X\",\"municipality\":\"564\",\"area_id\":-1}");
    expect("POST", "/api/v1/centres", 400, "wrong_type", "area_id",
           "{\"name\":\"X\",\"municipality\":\"564\",\"area_id\":1e400}");
    expect("POST", "/api/v1/centres", 400, "invalid_reference", "area_id",
           "{\"name\":\"X\",\"municipality\":\"564\",\"area_id\":99999}");
    expect("PUT", path_c, 400, "wrong_type", "withdraw_on_edit",
           "{\"name\":\"X\",\"municipality\":\"564\",\"withdraw_on_edit\":"
           "\"no\"}");

    /* screens */
    expect("POST", "/api/v1/screens", 400, "out_of_range", "width_px",
           "{\"centre_id\":%lld,\"name\":\"N\",\"orientation\":\"landscape\","
           "\"width_px\":99999,\"height_px\":1080,\"diagonal_in\":55,"
           "\"viewing_distance_m\":3}",
           w.c1);
    expect("POST", "/api/v1/screens", 400, "invalid_value", "orientation",
           "{\"centre_id\":%lld,\"name\":\"N\",\"orientation\":\"diagonal\","
           "\"width_px\":1920,\"height_px\":1080,\"diagonal_in\":55,"
           "\"viewing_distance_m\":3}",
           w.c1);
    expect("POST", "/api/v1/screens", 400, "wrong_type", "diagonal_in",
           "{\"centre_id\":%lld,\"name\":\"N\",\"orientation\":\"portrait\","
           "\"width_px\":1920,\"height_px\":1080,\"diagonal_in\":\"55\","
           "\"viewing_distance_m\":3}",
           w.c1);
    expect("POST", "/api/v1/screens", 400, "invalid_reference", "centre_id",
           "{\"centre_id\":99999,\"name\":\"N\",\"orientation\":\"portrait\","
           "\"width_px\":1920,\"height_px\":1080,\"diagonal_in\":55,"
           "\"viewing_distance_m\":3}");

    /* organisations, members, users */
    expect("POST", "/api/v1/organisations", 400, "invalid_value", "kind",
           "{\"name\":\"Y\",\"kind\":\"company\"}");
    snprintf(p, sizeof(p), "/api/v1/organisations/%lld/members", w.org_a);
    expect("POST", p, 404, "not_found", NULL, "{\"user_id\":99999}");
    expect("POST", p, 400, "wrong_type", "user_id", "{\"user_id\":\"1\"}");
    expect("POST", "/api/v1/users", 400, "invalid_value", "email",
           "{\"email\":\"not-an-email\",\"name\":\"N\"}");
    expect("POST", "/api/v1/users", 400, "weak_password", "password",
           "{\"email\":\"a@b.fi\",\"name\":\"N\",\"password\":\"short\"}");
    expect("POST", "/api/v1/users", 400, "duplicate_value",
           "contact_centres[1]",
           "{\"email\":\"a@b.fi\",\"name\":\"N\",\"contact_centres\":[1,1]}");
    expect("POST", "/api/v1/users", 400, "invalid_reference", "contact_centres",
           "{\"email\":\"a@b.fi\",\"name\":\"N\",\"organisations\":[99999]}");
    expect("POST", "/api/v1/users", 400, "wrong_type", "coordinator",
           "{\"email\":\"a@b.fi\",\"name\":\"N\",\"coordinator\":\"yes\"}");
    expect("POST", "/api/v1/users", 409, "conflict", NULL,
           "{\"email\":\"AINO@muisti.fi\",\"name\":\"N\"}");
    expect("POST", "/api/v1/login", 400, "missing_field", "password",
           "{\"email\":\"a@b.fi\"}");

    /* items */
#define ITEM(extra, texts)                                                     \
    "{\"organisation_id\":%lld,\"centres\":[%lld],\"category\":"               \
    "\"osallisuus\"," extra ",\"texts\":" texts "}"
#define TXT "[{\"lang\":\"fi\",\"plain\":true,\"title\":\"T\",\"body\":\"B\"}]"
    expect("POST", "/api/v1/items", 400, "invalid_value", "category",
           "{\"organisation_id\":%lld,\"centres\":[%lld],\"kind\":\"bulletin\","
           "\"category\":\"politiikka\",\"display_until\":\"%s\",\"texts\":" TXT
           "}",
           w.org_a, w.c1, until);
    expect("POST", "/api/v1/items", 400, "missing_field", "starts_at",
           ITEM("\"kind\":\"event\",\"display_until\":\"%s\"", TXT), w.org_a,
           w.c1, until);
    expect("POST", "/api/v1/items", 400, "bad_window", "ends_at",
           ITEM("\"kind\":\"event\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
                "\"display_until\":\"%s\"",
                TXT),
           w.org_a, w.c1, end, start, until);
    expect("POST", "/api/v1/items", 400, "invalid_time", "starts_at",
           ITEM("\"kind\":\"event\",\"starts_at\":\"2026-13-01T00:00:00Z\","
                "\"ends_at\":\"%s\",\"display_until\":\"%s\"",
                TXT),
           w.org_a, w.c1, end, until);
    expect("POST", "/api/v1/items", 400, "invalid_time", "starts_at",
           ITEM("\"kind\":\"event\",\"starts_at\":\"huomenna\","
                "\"ends_at\":\"%s\",\"display_until\":\"%s\"",
                TXT),
           w.org_a, w.c1, end, until);
    expect("POST", "/api/v1/items", 400, "in_past", "display_until",
           ITEM("\"kind\":\"bulletin\",\"display_until\":\"%s\"", TXT), w.org_a,
           w.c1, past);
    expect("POST", "/api/v1/items", 400, "missing_field", "display_until",
           ITEM("\"kind\":\"bulletin\"", TXT), w.org_a, w.c1);
    expect("POST", "/api/v1/items", 400, "missing_field", "texts",
           ITEM("\"kind\":\"bulletin\",\"display_until\":\"%s\"", "[]"),
           w.org_a, w.c1, until);
    expect("POST", "/api/v1/items", 400, "invalid_value", "texts[0].lang",
           ITEM("\"kind\":\"bulletin\",\"display_until\":\"%s\"",
                "[{\"lang\":\"f1\",\"plain\":true,\"title\":\"T\","
                "\"body\":\"B\"}]"),
           w.org_a, w.c1, until);
    expect("POST", "/api/v1/items", 400, "duplicate_value", "texts[1].lang",
           ITEM("\"kind\":\"bulletin\",\"display_until\":\"%s\"",
                "[{\"lang\":\"fi\",\"plain\":true,\"title\":\"T\","
                "\"body\":\"B\"},{\"lang\":\"fi\",\"plain\":true,"
                "\"title\":\"T\",\"body\":\"B\"}]"),
           w.org_a, w.c1, until);
    expect("POST", "/api/v1/items", 400, "too_long", "texts[0].title",
           ITEM("\"kind\":\"bulletin\",\"display_until\":\"%s\"",
                "[{\"lang\":\"fi\",\"plain\":true,\"title\":\"%s\","
                "\"body\":\"B\"}]"),
           w.org_a, w.c1, until, big);
    expect("POST", "/api/v1/items", 400, "control_chars", "texts[0].body",
           ITEM("\"kind\":\"bulletin\",\"display_until\":\"%s\"",
                "[{\"lang\":\"fi\",\"plain\":true,\"title\":\"T\","
                "\"body\":\"a\\rb\"}]"),
           w.org_a, w.c1, until);
    expect("POST", "/api/v1/items", 400, "wrong_type", "texts[0].plain",
           ITEM("\"kind\":\"bulletin\",\"display_until\":\"%s\"",
                "[{\"lang\":\"fi\",\"plain\":1,\"title\":\"T\","
                "\"body\":\"B\"}]"),
           w.org_a, w.c1, until);
    expect("POST", "/api/v1/items", 400, "invalid_value", "link",
           ITEM("\"kind\":\"bulletin\",\"display_until\":\"%s\","
                "\"link\":\"ftp://example.fi/\"",
                TXT),
           w.org_a, w.c1, until);
    expect("POST", "/api/v1/items", 400, "invalid_value", "link",
           ITEM("\"kind\":\"bulletin\",\"display_until\":\"%s\","
                "\"link\":\"https://user@evil.example/\"",
                TXT),
           w.org_a, w.c1, until);
    expect("POST", "/api/v1/items", 400, "image_alt_required",
           "texts[0].image_alt",
           ITEM("\"kind\":\"bulletin\",\"display_until\":\"%s\","
                "\"image_sha256\":\"%064d\"",
                TXT),
           w.org_a, w.c1, until, 0);
    expect("POST", "/api/v1/items", 400, "missing_field", "centres",
           "{\"organisation_id\":%lld,\"centres\":[],\"kind\":\"bulletin\","
           "\"category\":\"osallisuus\",\"display_until\":\"%s\",\"texts\":" TXT
           "}",
           w.org_a, until);
    expect("POST", "/api/v1/items", 400, "invalid_reference", "centres",
           "{\"organisation_id\":%lld,\"centres\":[99999],\"kind\":"
           "\"bulletin\",\"category\":\"osallisuus\",\"display_until\":\"%s\","
           "\"texts\":" TXT "}",
           w.org_a, until);
    expect(
        "POST", "/api/v1/items", 400, "out_of_range", "display_until",
        ITEM("\"kind\":\"bulletin\",\"display_until\":\"2099-01-01T00:00:00Z\"",
             TXT),
        w.org_a, w.c1);
    snprintf(path_i, sizeof(path_i), "/api/v1/items/%lld", item_a);
    expect("PUT", path_i, 400, "missing_field", "version",
           "{\"kind\":\"bulletin\",\"category\":\"osallisuus\","
           "\"display_until\":\"%s\",\"texts\":" TXT "}",
           until);
    expect("PUT", path_i, 400, "invalid_value", "organisation_id",
           "{\"version\":1,\"organisation_id\":%lld,\"kind\":\"bulletin\","
           "\"category\":\"osallisuus\",\"display_until\":\"%s\",\"texts\":" TXT
           "}",
           w.org_b, until);

    /* decisions */
    snprintf(path_pa, sizeof(path_pa), "/api/v1/placements/%lld/approve", pl_a);
    expect("POST", path_pa, 400, "missing_field", "item_version", "{}");
    expect("POST", path_pa, 400, "wrong_type", "item_version",
           "{\"item_version\":\"1\"}");
    expect("POST", path_pa, 400, "bad_window", "display_until",
           "{\"item_version\":1,\"display_from\":\"%s\",\"display_until\":"
           "\"%s\"}",
           end, start);
    snprintf(path_pb, sizeof(path_pb), "/api/v1/placements/%lld/reject", pl_b);
    expect("POST", path_pb, 400, "reason_required", "reason",
           "{\"item_version\":1,\"reason\":\"\"}");
    expect("POST", path_pb, 400, "unknown_field", "display_from",
           "{\"item_version\":1,\"reason\":\"r\",\"display_from\":\"%s\"}",
           start);

    /* alerts */
    expect("POST", "/api/v1/alerts", 400, "missing_field", "ends_at",
           "{\"centre_id\":%lld,\"texts\":[{\"lang\":\"fi\",\"title\":\"T\","
           "\"body\":\"B\"}]}",
           w.c1);
    expect("POST", "/api/v1/alerts", 400, "out_of_range", "ends_at",
           "{\"centre_id\":%lld,\"ends_at\":\"%s\",\"texts\":[{\"lang\":"
           "\"fi\",\"title\":\"T\",\"body\":\"B\"}]}",
           w.c1, far);
    expect("POST", "/api/v1/alerts", 400, "in_past", "ends_at",
           "{\"centre_id\":%lld,\"ends_at\":\"%s\",\"texts\":[{\"lang\":"
           "\"fi\",\"title\":\"T\",\"body\":\"B\"}]}",
           w.c1, past);
    expect("POST", "/api/v1/alerts", 400, "missing_field", "texts",
           "{\"centre_id\":%lld,\"ends_at\":\"%s\"}", w.c1, end);

    /* ids in paths: only plain positive integers route at all */
    expect_raw("GET", "/api/v1/items/1%20OR%201=1", NULL, 0, NULL, 404,
               "not_found", NULL);
    expect_raw("GET", "/api/v1/items/-1", NULL, 0, NULL, 404, "not_found",
               NULL);
    expect_raw("GET", "/api/v1/items/0001", NULL, 0, NULL, 404, "not_found",
               NULL);
    expect_raw("GET", "/api/v1/items/99999999999999999999", NULL, 0, NULL, 404,
               "not_found", NULL);
    expect_raw("GET", "/api/v1/audit?limit=9999", NULL, 0, NULL, 400,
               "out_of_range", "limit");
    expect_raw("GET", "/api/v1/audit?action=x%27%20OR%201=1", NULL, 0, NULL,
               400, "invalid_value", "action");
    expect_raw("GET", "/api/v1/screens?centre_id=1;DROP", NULL, 0, NULL, 400,
               "invalid_value", "centre_id");
}

/* Text that looks like SQL, paths or HTML is stored and returned as is. */
static void stored_as_text(void **state)
{
    static const char *const names[] = {
        "x'); DROP TABLE item; --",
        "Robert\\\"); DELETE FROM account WHERE (\\\"1\\\"=\\\"1",
        "../../../etc/passwd",
        "<script>alert('x')</script>",
        "Åbo Akademi – Vasa ✓ 😀",
        "%s%n%x",
    };
    static const char *const stored[] = {
        "x'); DROP TABLE item; --",
        "Robert\"); DELETE FROM account WHERE (\"1\"=\"1",
        "../../../etc/passwd",
        "<script>alert('x')</script>",
        "Åbo Akademi – Vasa ✓ 😀",
        "%s%n%x",
    };
    size_t i;
    char path[64];
    cJSON *j;

    (void)state;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        long long id;
        j = itest_call(&srv, &w.coord, 201, "POST", "/api/v1/organisations",
                       "{\"name\":\"%s\",\"kind\":\"other\"}", names[i]);
        id = itest_int(j, "id");
        cJSON_Delete(j);
        snprintf(path, sizeof(path), "/api/v1/organisations/%lld", id);
        j = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
        assert_string_equal(itest_str(j, "name"), stored[i]);
        cJSON_Delete(j);
    }
    /* The tables are all still there. */
    j = itest_call(&srv, &w.coord, 200, "GET", "/api/v1/items", NULL);
    assert_true(
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "items")) >= 2);
    cJSON_Delete(j);
    j = itest_call(&srv, &w.coord, 200, "GET", "/api/v1/users", NULL);
    assert_true(
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "users")) >= 5);
    cJSON_Delete(j);
}

/* A small real PNG (SDL_image's encoder), malloc'd into *out. */
static size_t make_png(unsigned char **out)
{
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormat(0, 32, 24, 32, SDL_PIXELFORMAT_RGBA32);
    size_t cap = 1 << 16, len;
    SDL_RWops *rw;

    *out = malloc(cap);
    assert_non_null(*out);
    assert_non_null(s);
    rw = SDL_RWFromMem(*out, (int)cap);
    SDL_FillRect(s, NULL, SDL_MapRGBA(s->format, 20, 90, 160, 255));
    assert_int_equal(IMG_SavePNG_RW(s, rw, 0), 0);
    len = (size_t)SDL_RWtell(rw);
    SDL_RWclose(rw);
    SDL_FreeSurface(s);
    return len;
}

/* An image sent as a browser form (multipart/form-data) is refused with
 * 415 and a code that says what to do instead, even when the form holds a
 * good PNG: only the raw body is read, so no form parser stands in front
 * of the image checks. The same PNG as the body is accepted. */
static void image_as_form(void **state)
{
    static const char head[] =
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; "
        "filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n";
    static const char tail[] = "\r\n--XyZ--\r\n";
    unsigned char *png = NULL;
    size_t len = make_png(&png), n = 0;
    char *form = malloc(sizeof head + len + sizeof tail);

    (void)state;
    assert_non_null(form);
    memcpy(form, head, sizeof head - 1);
    n += sizeof head - 1;
    memcpy(form + n, png, len);
    n += len;
    memcpy(form + n, tail, sizeof tail - 1);
    n += sizeof tail - 1;
    expect_raw("POST", "/api/v1/images", form, n,
               "multipart/form-data; boundary=XyZ", 415,
               "multipart_not_supported", NULL);
    expect_raw("POST", "/api/v1/images", form, n,
               "Multipart/Form-Data; boundary=\"XyZ\"", 415,
               "multipart_not_supported", NULL);
    expect_raw("POST", "/api/v1/images", form, n, "multipart/mixed", 415,
               "multipart_not_supported", NULL);
    expect_raw("POST", "/api/v1/images", (const char *)png, len, "image/png",
               201, NULL, NULL);
    free(form);
    free(png);
}

/*
 * A centre's PUT checks its body as its POST does: the same limits give
 * the same status, code and field (the web UI's edit form shows them next
 * to the same controls as the new-centre form), and a refused PUT changes
 * nothing. A PUT of a centre that is not there is 404; a centre with a
 * screen and items cannot be deleted (409 referenced) and stays.
 */
static void centre_put_as_post(void **state)
{
    static const struct {
        const char *code, *field, *body;
    } bad[] = {
        {"missing_field", "name", "{\"municipality\":\"564\"}"},
        {"too_long", "name", "{\"name\":\"^\",\"municipality\":\"564\"}"},
        {"too_long", "short_name",
         "{\"name\":\"X\",\"short_name\":\"~\",\"municipality\":\"564\"}"},
        {"out_of_range", "loop_s",
         "{\"name\":\"X\",\"municipality\":\"564\",\"loop_s\":59}"},
        {"out_of_range", "loop_s",
         "{\"name\":\"X\",\"municipality\":\"564\",\"loop_s\":3601}"},
        {"wrong_type", "loop_s",
         "{\"name\":\"X\",\"municipality\":\"564\",\"loop_s\":\"300\"}"},
        {"invalid_value", "municipality",
         "{\"name\":\"X\",\"municipality\":\"999\"}"},
        {"invalid_value", "languages",
         "{\"name\":\"X\",\"municipality\":\"564\",\"languages\":[\"FI\"]}"},
        {"duplicate_value", "languages",
         "{\"name\":\"X\",\"municipality\":\"564\",\"languages\":[\"fi\","
         "\"fi\"]}"},
        {"invalid_value", "names.en",
         "{\"name\":\"X\",\"municipality\":\"564\",\"languages\":[\"fi\","
         "\"sv\"],\"names\":{\"en\":{\"name\":\"X\"}}}"},
        {"too_long", "names.sv.short",
         "{\"name\":\"X\",\"municipality\":\"564\",\"languages\":[\"fi\","
         "\"sv\"],\"names\":{\"sv\":{\"name\":\"X\",\"short\":\"~\"}}}"},
        {"invalid_value", "opening_hours[0]",
         "{\"name\":\"X\",\"municipality\":\"564\",\"opening_hours\":[{"
         "\"open\":\"16:00\",\"close\":\"08:00\"},null,null,null,null,null,"
         "null]}"},
        {"invalid_reference", "area_id",
         "{\"name\":\"X\",\"municipality\":\"564\",\"area_id\":99999}"},
        {"unknown_field", "colour",
         "{\"name\":\"X\",\"municipality\":\"564\",\"colour\":\"red\"}"},
    };
    char path[64], *before, *after, body[400];
    size_t i, k, n;
    cJSON *j;

    (void)state;
    snprintf(path, sizeof(path), "/api/v1/centres/%lld", w.c1);
    j = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
    before = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        /* "^": a name one over its 120, "~": a short one over its 40 */
        for (k = 0, n = 0; bad[i].body[k]; k++) {
            size_t reps = bad[i].body[k] == '^'   ? 121
                          : bad[i].body[k] == '~' ? 41
                                                  : 0;
            if (reps) {
                memset(body + n, 'a', reps);
                n += reps;
            } else {
                body[n++] = bad[i].body[k];
            }
            assert_true(n < sizeof(body) - 1);
        }
        body[n] = '\0';
        expect("POST", "/api/v1/centres", 400, bad[i].code, bad[i].field, "%s",
               body);
        expect("PUT", path, 400, bad[i].code, bad[i].field, "%s", body);
    }
    j = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
    after = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    assert_string_equal(after, before);
    cJSON_free(before);
    cJSON_free(after);

    expect("PUT", "/api/v1/centres/999999", 404, "not_found", NULL,
           "{\"name\":\"X\",\"municipality\":\"564\"}");
    expect("DELETE", "/api/v1/centres/999999", 404, "not_found", NULL, "%s",
           "");
    expect("DELETE", path, 409, "referenced", NULL, "%s", "");
    j = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
    cJSON_Delete(j);
}

/* Nothing was lost or changed by all that: the two items are as they were,
 * the server still answers, and the database file is consistent. */
static void nothing_lost(void **state)
{
    char path[64];
    cJSON *j;
    struct srv_store *st;

    (void)state;
    snprintf(path, sizeof(path), "/api/v1/items/%lld", item_a);
    j = itest_call(&srv, &w.coord, 200, "GET", path, NULL);
    assert_int_equal(itest_int(j, "version"), 1);
    assert_string_equal(
        itest_str(cJSON_GetArrayItem(
                      cJSON_GetObjectItemCaseSensitive(j, "placements"), 0),
                  "state"),
        "submitted");
    cJSON_Delete(j);
    j = itest_call(&srv, &w.coord, 200, "GET", "/api/v1/centres", NULL);
    assert_int_equal(
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "centres")), 3);
    cJSON_Delete(j);
    assert_int_equal(itest_stop(&srv), 0);
    assert_int_equal(srv_store_open(srv.db, 1, &st), 0);
    assert_int_equal(srv_store_check(st), 0);
    srv_store_close(st);
}

static int setup(void **state)
{
    (void)state;
    itest_setup_dir(&srv, "bad_input");
    itest_world_setup(&srv, &w);
    itest_iso(20 * 86400, until);
    item_a = itest_item(&srv, &w.mem_a, w.org_a, "[1]", "A");
    pl_a = itest_placement(&srv, &w.mem_a, item_a, w.c1);
    pl_b = itest_placement(
        &srv, &w.mem_b, itest_item(&srv, &w.mem_b, w.org_b, "[1]", "B"), w.c1);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_write_route),  cmocka_unit_test(fields),
        cmocka_unit_test(stored_as_text),     cmocka_unit_test(image_as_form),
        cmocka_unit_test(centre_put_as_post), cmocka_unit_test(nothing_lost),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
