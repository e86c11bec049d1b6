/*
 * test_manifest.c: the manifest writer, the strict reader (every rejection
 * path, each limit at and one past its boundary) and the signed envelope
 * (every single-byte change refused).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <dirent.h>

#include "taulu_crypto.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_json.h"
#include "taulu_manifest.h"

#define T(s) (parse_time(s))

static int64_t parse_time(const char *s)
{
    int64_t t = 0;

    assert_int_equal(taulu_manifest_time_parse(s, &t), 0);
    return t;
}

static const char ASSET_SHA[] =
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/* The manifest of docs/protocol.md, built through the public API. */
static struct taulu_manifest *build_base(void)
{
    struct taulu_manifest *m = taulu_manifest_new();
    struct taulu_card *c;
    struct taulu_card_version *v;
    struct taulu_alert *a;
    int i;

    assert_non_null(m);
    m->screen_id = taulu_manifest_strdup(m, "tuira-aula-1");
    m->seq = 42;
    m->built_at = T("2026-11-22T10:00:00Z");
    m->centre.id = "tuira";
    memcpy(m->centre.name[0].lang, "fi", 3);
    m->centre.name[0].text = "Tuiran hyvinvointikeskus";
    memcpy(m->centre.name[1].lang, "sv", 3);
    m->centre.name[1].text = "Tuira välfärdscentral";
    m->centre.n_name = 2;
    m->centre.timezone = "Europe/Helsinki";
    memcpy(m->centre.languages[0], "fi", 3);
    memcpy(m->centre.languages[1], "sv", 3);
    m->centre.n_languages = 2;
    for (i = 0; i < 5; i++) {
        m->centre.hours[i].day = i + 1;
        m->centre.hours[i].open_min = 8 * 60;
        m->centre.hours[i].close_min = 16 * 60;
    }
    m->centre.n_hours = 5;
    m->centre.closed_behaviour = TAULU_CLOSED_DARK;
    m->profile.width_px = 1920;
    m->profile.height_px = 1080;
    m->profile.orientation = TAULU_LANDSCAPE;
    m->profile.diagonal_in_x10 = 550;
    m->profile.distance_mm = 3000;

    m->cards = taulu_manifest_alloc(m, 2 * sizeof(*m->cards));
    m->n_cards = 2;
    c = &m->cards[0];
    c->id = "item-123";
    c->kind = TAULU_CARD_BULLETIN;
    c->category = TAULU_CATEGORY_LEISURE;
    c->org = "Muistiyhdistys ry";
    c->display_from = T("2026-11-20T00:00:00Z");
    c->display_until = T("2026-12-01T00:00:00Z");
    c->versions = taulu_manifest_alloc(m, 2 * sizeof(*c->versions));
    c->n_versions = 2;
    v = &c->versions[0];
    memcpy(v->lang, "fi", 3);
    v->plain = true;
    v->title = "Muistikahvila";
    v->body = "Tule juttelemaan.\nKahvi on ilmaista.";
    v->place = "Tuiran kirjasto";
    v->contact = "muisti@example.fi";
    v->image_alt = "Kahvikuppi pöydällä";
    v = &c->versions[1];
    memcpy(v->lang, "sv", 3);
    v->plain = false;
    v->title = "Minneskafé";
    v->body = "Välkommen!";
    v->image_alt = "En kaffekopp på ett bord";
    c->link = "https://example.fi/muisti?a=1";
    c->has_image = true;
    memcpy(c->image.sha256, ASSET_SHA, 65);
    c->image.size = 12345;
    c->image.type = TAULU_MEDIA_PNG;
    c->image.width = 800;
    c->image.height = 600;

    c = &m->cards[1];
    c->id = "event-7";
    c->kind = TAULU_CARD_EVENT;
    c->category = TAULU_CATEGORY_HEALTH;
    c->org = "Oulun Seudun Mielenterveysseura";
    c->display_from = T("2026-11-20T00:00:00Z");
    c->display_until = T("2026-11-24T14:00:00Z");
    c->versions = taulu_manifest_alloc(m, sizeof(*c->versions));
    c->n_versions = 1;
    v = &c->versions[0];
    memcpy(v->lang, "fi", 3);
    v->plain = true;
    v->title = "Vertaisryhmä";
    v->body = "";
    v->place = "Tuiran kirjasto, sali 2";
    v->price = "Maksuton";
    v->registration = "Ei ilmoittautumista";
    c->has_event = true;
    c->event.start = T("2026-11-24T12:00:00Z");
    c->event.end = T("2026-11-24T14:00:00Z");
    c->event.free = TAULU_FLAG_YES;
    c->event.step_free = TAULU_FLAG_YES;
    c->event.induction_loop = TAULU_FLAG_NO;

    m->alerts = taulu_manifest_alloc(m, sizeof(*m->alerts));
    m->n_alerts = 1;
    a = &m->alerts[0];
    a->id = "alert-1";
    a->from = T("2026-11-22T08:00:00Z");
    a->until = T("2026-11-22T16:00:00Z");
    a->versions = taulu_manifest_alloc(m, sizeof(*a->versions));
    a->n_versions = 1;
    memcpy(a->versions[0].lang, "fi", 3);
    a->versions[0].title = "Vesikatko";
    a->versions[0].body = "Vesi on poikki klo 12–14.";

    m->assets = taulu_manifest_alloc(m, sizeof(*m->assets));
    m->n_assets = 1;
    memcpy(m->assets[0].sha256, ASSET_SHA, 65);
    m->assets[0].size = 12345;
    m->assets[0].type = TAULU_MEDIA_PNG;
    return m;
}

static char *base_json; /* written once by group setup */

static char *write_json(const struct taulu_manifest *m)
{
    struct taulu_buf b;

    taulu_buf_init(&b, TAULU_MANIFEST_MAX_BYTES + 1);
    assert_int_equal(taulu_manifest_write(m, &b), 0);
    return taulu_buf_detach(&b, NULL);
}

static int setup(void **state)
{
    struct taulu_manifest *m;

    (void)state;
    if (taulu_crypto_init() < 0) {
        return -1;
    }
    m = build_base();
    base_json = write_json(m);
    taulu_manifest_free(m);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(base_json);
    return 0;
}

/* A copy of src with the first `from` replaced by `to` (which must be
 * there). */
static char *edit(const char *src, const char *from, const char *to)
{
    const char *at = strstr(src, from);
    size_t a, f = strlen(from), t = strlen(to), n = strlen(src);
    char *out;

    if (!at) {
        fail_msg("'%s' not in the document", from);
    }
    a = (size_t)(at - src);
    out = malloc(n - f + t + 1);
    assert_non_null(out);
    memcpy(out, src, a);
    memcpy(out + a, to, t);
    memcpy(out + a + t, at + f, n - a - f + 1);
    return out;
}

static int parse_len(const char *json, size_t len, struct taulu_buf *why)
{
    static struct taulu_manifest dummy;
    struct taulu_manifest *m = &dummy;
    int rc = taulu_manifest_parse(json, len, &m, why);

    if (rc == 0) {
        assert_non_null(m);
        taulu_manifest_free(m);
    } else {
        assert_null(m); /* never a partial result */
    }
    return rc;
}

/* Parse must fail with `code`, and the message must start "<path>:". */
static void expect_len(const char *json, size_t len, int code, const char *path)
{
    struct taulu_buf why;
    int rc;
    size_t pl = strlen(path);

    taulu_buf_init(&why, 4096);
    rc = parse_len(json, len, &why);
    if (rc != code || strncmp(why.data, path, pl) != 0 || why.data[pl] != ':') {
        print_error("rc %d (%s), why: %s\n", rc, taulu_strerror(rc), why.data);
    }
    assert_int_equal(rc, code);
    assert_memory_equal(why.data, path, pl);
    assert_int_equal(why.data[pl], ':');
    taulu_buf_release(&why);
}

static void expect(const char *json, int code, const char *path)
{
    expect_len(json, strlen(json), code, path);
}

static void accept(const char *json)
{
    struct taulu_buf why;
    int rc;

    taulu_buf_init(&why, 4096);
    rc = parse_len(json, strlen(json), &why);
    if (rc != 0) {
        print_error("why: %s\n", why.data);
    }
    assert_int_equal(rc, 0);
    taulu_buf_release(&why);
}

static void reject_edit(const char *from, const char *to, int code,
                        const char *path)
{
    char *j = edit(base_json, from, to);

    expect(j, code, path);
    free(j);
}

static void accept_edit(const char *from, const char *to)
{
    char *j = edit(base_json, from, to);

    accept(j);
    free(j);
}

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);

    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* ---- round trip ---- */

static void test_round_trip(void **state)
{
    struct taulu_manifest *m = NULL;
    struct taulu_buf why;
    char *again;

    (void)state;
    taulu_buf_init(&why, 4096);
    assert_int_equal(
        taulu_manifest_parse(base_json, strlen(base_json), &m, &why), 0);
    assert_string_equal(m->screen_id, "tuira-aula-1");
    assert_int_equal(m->seq, 42);
    assert_int_equal(m->n_cards, 2);
    assert_string_equal(m->cards[0].versions[1].title, "Minneskafé");
    assert_int_equal(m->cards[0].category, TAULU_CATEGORY_LEISURE);
    assert_int_equal(m->cards[1].event.induction_loop, TAULU_FLAG_NO);
    assert_int_equal(m->centre.hours[4].close_min, 960);
    assert_int_equal(m->profile.diagonal_in_x10, 550);
    again = write_json(m);
    assert_string_equal(again, base_json);
    free(again);
    taulu_manifest_free(m);
    taulu_buf_release(&why);
    /* The bytes are the documented ones (docs/protocol.md). */
    assert_non_null(strstr(base_json, "\"diagonal_in\":55.0,"));
    assert_non_null(strstr(base_json, "{\"day\":1,\"open\":\"08:00\","
                                      "\"close\":\"16:00\"}"));
    assert_non_null(strstr(base_json, "\"body\":\"Tule juttelemaan.\\nKahvi"));
    assert_memory_equal(base_json,
                        "{\"format\":\"infotaulu.manifest\","
                        "\"format_version\":1,\"screen_id\":\"tuira-aula-1\"",
                        60);
}

static void test_unknown_members_ignored(void **state)
{
    struct taulu_manifest *m = NULL;
    char *j1 =
        edit(base_json, "\"seq\":42,", "\"future\":{\"x\":[1,2]},\"seq\":42,");
    char *j2 = edit(j1, "\"org\":\"Muistiyhdistys ry\",",
                    "\"org\":\"Muistiyhdistys ry\",\"colour\":\"red\",");
    char *again;

    (void)state;
    assert_int_equal(taulu_manifest_parse(j2, strlen(j2), &m, NULL), 0);
    again = write_json(m);
    assert_string_equal(again, base_json);
    free(again);
    taulu_manifest_free(m);
    free(j1);
    free(j2);
}

static void test_writer_refuses_invalid(void **state)
{
    struct taulu_manifest *m = build_base();
    struct taulu_buf out, why;

    (void)state;
    taulu_buf_init(&out, 1 << 20);
    taulu_buf_init(&why, 4096);
    m->cards[0].versions[0].title = "";
    assert_int_equal(taulu_manifest_write(m, &out), TAULU_EVALUE);
    assert_int_equal(out.len, 0);
    assert_int_equal(taulu_manifest_validate(m, &why), TAULU_EVALUE);
    assert_string_equal(why.data, "cards[0].versions[0].title: empty");
    /* A buffer too small leaves nothing behind. */
    m->cards[0].versions[0].title = "T";
    taulu_buf_release(&out);
    taulu_buf_init(&out, 100);
    assert_int_equal(taulu_manifest_write(m, &out), TAULU_ELIMIT);
    assert_int_equal(out.len, 0);
    taulu_buf_release(&out);
    taulu_buf_release(&why);
    taulu_manifest_free(m);
}

/* ---- every rejection path ---- */

static void test_reject_format(void **state)
{
    (void)state;
    reject_edit("infotaulu.manifest", "infotaulu.playlist", TAULU_EVERSION,
                "format");
    reject_edit("\"format_version\":1", "\"format_version\":3", TAULU_EVERSION,
                "format_version");
    reject_edit("\"format_version\":1", "\"format_version\":0", TAULU_EVERSION,
                "format_version");
    /* version 2 without a recurring card is still a valid document */
    accept_edit("\"format_version\":1", "\"format_version\":2");
    reject_edit("\"format_version\":1", "\"format_version\":99999999999",
                TAULU_EVERSION, "format_version");
    reject_edit("\"format\":\"infotaulu.manifest\",", "", TAULU_EMISSING,
                "format");
    reject_edit("\"format_version\":1,", "", TAULU_EMISSING, "format_version");
}

static void test_reject_json(void **state)
{
    char *deep = repeat('[', 100000);

    (void)state;
    expect("", TAULU_EPARSE, "json");
    expect("{", TAULU_EPARSE, "json");
    expect("[]", TAULU_ETYPE, "document");
    expect("\xef\xbb\xbf{}", TAULU_EPARSE, "json");
    expect(deep, TAULU_ELIMIT, "[0][0][0][0][0]");
    free(deep);
    reject_edit("\"seq\":42", "\"seq\":042", TAULU_EPARSE, "seq");
    reject_edit("\"seq\":42", "\"seq\":+42", TAULU_EPARSE, "seq");
    reject_edit("\"seq\":42", "\"seq\":4.2e1", TAULU_EPARSE, "seq");
    reject_edit("\"seq\":42", "\"seq\":42.", TAULU_EPARSE, "seq");
    reject_edit("\"seq\":42", "\"seq\":1.0000000000000001", TAULU_ELIMIT,
                "seq");
    reject_edit("\"seq\":42", "\"seq\":100000000000000000000000000000000",
                TAULU_ELIMIT, "seq");
    reject_edit("\"title\":\"Vesikatko\"", "\"title\":\"Vesi\\x\"",
                TAULU_EPARSE, "alerts[0].versions[0].title");
    reject_edit("\"title\":\"Vesikatko\"", "\"title\":\"\\ud800x\"",
                TAULU_EPARSE, "alerts[0].versions[0].title");
    reject_edit("\"title\":\"Vesikatko\"", "\"title\":\"\\udc00\"",
                TAULU_EPARSE, "alerts[0].versions[0].title");
    reject_edit("\"seq\":42", "\"seq\":tru", TAULU_EPARSE, "seq");
    reject_edit("\"seq\":42", "\"seq\" 42", TAULU_EPARSE, "seq");
    /* Trailing bytes after the document. */
    {
        char *j = malloc(strlen(base_json) + 3);
        memcpy(j, base_json, strlen(base_json));
        memcpy(j + strlen(base_json), " x", 3);
        expect(j, TAULU_EPARSE, "json");
        free(j);
    }
    /* A valid surrogate pair is fine. */
    accept_edit("\"title\":\"Vesikatko\"", "\"title\":\"\\ud83d\\ude00\"");
}

static void test_reject_missing(void **state)
{
    (void)state;
    reject_edit("\"org\":\"Muistiyhdistys ry\",", "", TAULU_EMISSING,
                "cards[0].org");
    reject_edit("\"screen_id\":\"tuira-aula-1\",", "", TAULU_EMISSING,
                "screen_id");
    reject_edit("\"display_until\":\"2026-12-01T00:00:00Z\",", "",
                TAULU_EMISSING, "cards[0].display_until");
    reject_edit(",\"plain\":false", "", TAULU_EMISSING,
                "cards[0].versions[1].plain");
    reject_edit(",\"body\":\"\"", "", TAULU_EMISSING,
                "cards[1].versions[0].body");
    reject_edit(",\"alerts\":[", ",\"alerts_\":[", TAULU_EMISSING, "alerts");
    reject_edit("\"timezone\":\"Europe/Helsinki\",", "", TAULU_EMISSING,
                "centre.timezone");
    reject_edit("\"start\":\"2026-11-24T12:00:00Z\",", "", TAULU_EMISSING,
                "cards[1].event.start");
    reject_edit(",\"width\":800", "", TAULU_EMISSING, "cards[0].image.width");
}

static void test_reject_types(void **state)
{
    (void)state;
    reject_edit("\"seq\":42", "\"seq\":\"42\"", TAULU_ETYPE, "seq");
    reject_edit("\"seq\":42", "\"seq\":42.5", TAULU_ETYPE, "seq");
    reject_edit("\"plain\":true", "\"plain\":1", TAULU_ETYPE,
                "cards[0].versions[0].plain");
    reject_edit("\"title\":\"Muistikahvila\"", "\"title\":null", TAULU_ETYPE,
                "cards[0].versions[0].title");
    reject_edit("\"alerts\":[", "\"alerts\":{},\"x\":[", TAULU_ETYPE, "alerts");
    reject_edit("\"profile\":{", "\"profile\":7,\"x\":{", TAULU_ETYPE,
                "profile");
    reject_edit("\"languages\":[\"fi\",\"sv\"]", "\"languages\":\"fi\"",
                TAULU_ETYPE, "centre.languages");
    reject_edit("\"languages\":[\"fi\",\"sv\"]", "\"languages\":[\"fi\",7]",
                TAULU_ETYPE, "centre.languages[1]");
    reject_edit("{\"day\":1,", "7,{\"day\":1,", TAULU_ETYPE,
                "centre.opening_hours[0]");
    reject_edit("\"free\":true", "\"free\":\"yes\"", TAULU_ETYPE,
                "cards[1].event.free");
    reject_edit("\"diagonal_in\":55.0", "\"diagonal_in\":\"55\"", TAULU_ETYPE,
                "profile.diagonal_in");
}

static void test_reject_ranges(void **state)
{
    (void)state;
    reject_edit("\"seq\":42", "\"seq\":-1", TAULU_EVALUE, "seq");
    reject_edit("\"seq\":42", "\"seq\":9007199254740992", TAULU_EVALUE, "seq");
    accept_edit("\"seq\":42", "\"seq\":9007199254740991");
    reject_edit("\"width_px\":1920", "\"width_px\":0", TAULU_EVALUE,
                "profile.width_px");
    reject_edit("\"width_px\":1920", "\"width_px\":16385", TAULU_EVALUE,
                "profile.width_px");
    accept_edit("\"width_px\":1920", "\"width_px\":16384");
    reject_edit("\"distance_mm\":3000", "\"distance_mm\":299", TAULU_EVALUE,
                "profile.distance_mm");
    reject_edit("\"diagonal_in\":55.0", "\"diagonal_in\":55.25", TAULU_EVALUE,
                "profile.diagonal_in");
    reject_edit("\"diagonal_in\":55.0", "\"diagonal_in\":300.1", TAULU_EVALUE,
                "profile.diagonal_in");
    accept_edit("\"diagonal_in\":55.0", "\"diagonal_in\":65.1");
    accept_edit("\"diagonal_in\":55.0", "\"diagonal_in\":43");
    reject_edit("\"day\":1", "\"day\":8", TAULU_EVALUE,
                "centre.opening_hours[0].day");
    reject_edit("\"open\":\"08:00\"", "\"open\":\"8:00\"", TAULU_EVALUE,
                "centre.opening_hours[0].open");
    reject_edit("\"open\":\"08:00\"", "\"open\":\"24:00\"", TAULU_EVALUE,
                "centre.opening_hours[0].open");
    reject_edit("\"close\":\"16:00\"", "\"close\":\"24:01\"", TAULU_EVALUE,
                "centre.opening_hours[0].close");
    accept_edit("\"close\":\"16:00\"", "\"close\":\"24:00\"");
    reject_edit("\"close\":\"16:00\"", "\"close\":\"08:00\"", TAULU_EVALUE,
                "centre.opening_hours[0].close");
    reject_edit("{\"day\":2,",
                "{\"day\":1,\"open\":\"15:00\","
                "\"close\":\"17:00\"},{\"day\":2,",
                TAULU_EVALUE, "centre.opening_hours[1]");
    accept_edit("{\"day\":2,", "{\"day\":1,\"open\":\"16:00\","
                               "\"close\":\"18:00\"},{\"day\":2,");
    reject_edit("\"size\":12345,\"type\":\"image/png\"}]",
                "\"size\":0,\"type\":\"image/png\"}]", TAULU_EVALUE,
                "assets[0].size");
    reject_edit("\"height\":600", "\"height\":-600", TAULU_EVALUE,
                "cards[0].image.height");
    reject_edit("\"closed_behaviour\":\"dark\"", "\"closed_behaviour\":\"off\"",
                TAULU_EVALUE, "centre.closed_behaviour");
    reject_edit("\"orientation\":\"landscape\"",
                "\"orientation\":\"Landscape\"", TAULU_EVALUE,
                "profile.orientation");
    reject_edit("\"type\":\"image/png\",\"width\"",
                "\"type\":\"image/gif\",\"width\"", TAULU_EVALUE,
                "cards[0].image.type");
}

static void test_reject_times(void **state)
{
    (void)state;
    reject_edit("\"built_at\":\"2026-11-22T10:00:00Z\"",
                "\"built_at\":\"2026-11-22T10:00:00+02:00\"", TAULU_EVALUE,
                "built_at");
    reject_edit("\"built_at\":\"2026-11-22T10:00:00Z\"",
                "\"built_at\":\"2026-11-22 10:00:00Z\"", TAULU_EVALUE,
                "built_at");
    reject_edit("\"built_at\":\"2026-11-22T10:00:00Z\"",
                "\"built_at\":\"2026-02-29T10:00:00Z\"", TAULU_EVALUE,
                "built_at");
    reject_edit("\"built_at\":\"2026-11-22T10:00:00Z\"",
                "\"built_at\":\"2026-11-22T10:00:00.5Z\"", TAULU_EVALUE,
                "built_at");
    /* until <= from */
    reject_edit("\"display_until\":\"2026-12-01T00:00:00Z\"",
                "\"display_until\":\"2026-11-20T00:00:00Z\"", TAULU_EVALUE,
                "cards[0].display_until");
    reject_edit("\"display_until\":\"2026-12-01T00:00:00Z\"",
                "\"display_until\":\"2026-11-19T23:59:59Z\"", TAULU_EVALUE,
                "cards[0].display_until");
    accept_edit("\"display_until\":\"2026-12-01T00:00:00Z\"",
                "\"display_until\":\"2026-11-20T00:00:01Z\"");
    reject_edit("\"until\":\"2026-11-22T16:00:00Z\"",
                "\"until\":\"2026-11-22T08:00:00Z\"", TAULU_EVALUE,
                "alerts[0].until");
    /* event end < start; end == start is a moment, allowed */
    reject_edit("\"end\":\"2026-11-24T14:00:00Z\"",
                "\"end\":\"2026-11-24T11:59:59Z\"", TAULU_EVALUE,
                "cards[1].event.end");
    accept_edit("\"end\":\"2026-11-24T14:00:00Z\"",
                "\"end\":\"2026-11-24T12:00:00Z\"");
}

static void test_time_functions(void **state)
{
    char out[TAULU_MANIFEST_TIME_LEN];
    int64_t t = 0, x;

    (void)state;
    assert_int_equal(taulu_manifest_time_parse("1970-01-01T00:00:00Z", &t), 0);
    assert_int_equal(t, 0);
    assert_int_equal(taulu_manifest_time_parse("2028-02-29T23:59:59Z", &t), 0);
    assert_int_equal(t, 1835481599);
    assert_int_equal(taulu_manifest_time_parse("9999-12-31T23:59:59Z", &t), 0);
    assert_int_equal(t, 253402300799LL);
    assert_int_equal(taulu_manifest_time_parse("1969-12-31T23:59:59Z", &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_manifest_time_parse("2026-11-22T24:00:00Z", &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_manifest_time_parse("2026-11-22T10:00:60Z", &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_manifest_time_parse("2026-11-22t10:00:00z", &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_manifest_time_parse("2026-11-22T10:00:00Z ", &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_manifest_time_parse("2100-02-29T00:00:00Z", &t),
                     TAULU_EVALUE);
    assert_int_equal(taulu_manifest_time_parse("2000-02-29T00:00:00Z", &t), 0);
    assert_int_equal(taulu_manifest_time_format(-1, out), TAULU_EVALUE);
    assert_int_equal(taulu_manifest_time_format(253402300800LL, out),
                     TAULU_EVALUE);
    for (t = 0; t < 253402300799LL; t += 86399LL * 37 + 12345) {
        assert_int_equal(taulu_manifest_time_format(t, out), 0);
        assert_int_equal(taulu_manifest_time_parse(out, &x), 0);
        assert_int_equal(x, t);
    }
}

/* Times of day of the opening hours: what the manifest reader accepts is
 * what the server's backend reads from the centres' stored hours. */
static void test_hhmm(void **state)
{
    (void)state;
    assert_int_equal(taulu_manifest_hhmm_parse("00:00", false), 0);
    assert_int_equal(taulu_manifest_hhmm_parse("08:30", false), 510);
    assert_int_equal(taulu_manifest_hhmm_parse("23:59", false), 1439);
    assert_int_equal(taulu_manifest_hhmm_parse("24:00", true), 1440);
    assert_int_equal(taulu_manifest_hhmm_parse("24:00", false), -1);
    assert_int_equal(taulu_manifest_hhmm_parse("24:01", true), -1);
    assert_int_equal(taulu_manifest_hhmm_parse("25:00", true), -1);
    assert_int_equal(taulu_manifest_hhmm_parse("08:60", false), -1);
    assert_int_equal(taulu_manifest_hhmm_parse("8:30", false), -1);
    assert_int_equal(taulu_manifest_hhmm_parse("08.30", false), -1);
    assert_int_equal(taulu_manifest_hhmm_parse("08:3a", false), -1);
    assert_int_equal(taulu_manifest_hhmm_parse("08:30 ", false), -1);
    assert_int_equal(taulu_manifest_hhmm_parse("", false), -1);
    assert_int_equal(taulu_manifest_hhmm_parse(NULL, true), -1);
}

static void test_reject_strings(void **state)
{
    (void)state;
    /* invalid UTF-8, raw and after escapes */
    reject_edit("Muistikahvila", "Muisti\xc3\x28kahvila", TAULU_EUTF8,
                "cards[0].versions[0].title");
    reject_edit("Muistikahvila", "Muisti\xed\xa0\x80kahvila", TAULU_EUTF8,
                "cards[0].versions[0].title");
    reject_edit("Muistikahvila", "Muisti\xc0\xafkahvila", TAULU_EUTF8,
                "cards[0].versions[0].title");
    /* control characters: raw, escaped, C1; "\n" only in body */
    reject_edit("Muistikahvila", "Muisti\x07kahvila", TAULU_EUTF8,
                "cards[0].versions[0].title");
    reject_edit("Muistikahvila", "Muisti\\u0007kahvila", TAULU_EUTF8,
                "cards[0].versions[0].title");
    reject_edit("Muistikahvila", "Muisti\\nkahvila", TAULU_EUTF8,
                "cards[0].versions[0].title");
    reject_edit("Muistikahvila", "Muisti\\u0085kahvila", TAULU_EUTF8,
                "cards[0].versions[0].title");
    reject_edit("Tule juttelemaan.", "Tule\\tjuttelemaan.", TAULU_EUTF8,
                "cards[0].versions[0].body");
    reject_edit("Tule juttelemaan.", "Tule\\rjuttelemaan.", TAULU_EUTF8,
                "cards[0].versions[0].body");
    reject_edit("Muistiyhdistys ry", "Muistiyhdistys\\u007fry", TAULU_EUTF8,
                "cards[0].org");
    reject_edit("Tuiran kirjasto\"", "Tuiran\\u001bkirjasto\"", TAULU_EUTF8,
                "cards[0].versions[0].place");
    reject_edit("Tuira välfärdscentral", "Tuira\\tvälfärdscentral", TAULU_EUTF8,
                "centre.name.sv");
    /* embedded NUL, escaped and raw */
    reject_edit("Muistikahvila", "Muisti\\u0000kahvila", TAULU_EUTF8,
                "cards[0].versions[0].title");
    {
        char *j = edit(base_json, "Muistikahvila", "MuistiXkahvila");
        size_t len = strlen(j);
        *strchr(j, 'X') = '\0';
        expect_len(j, len, TAULU_EUTF8, "cards[0].versions[0].title");
        free(j);
    }
    /* empty where text is required; empty optional strings too */
    reject_edit("\"Muistikahvila\"", "\"\"", TAULU_EVALUE,
                "cards[0].versions[0].title");
    reject_edit("\"Muistiyhdistys ry\"", "\"\"", TAULU_EVALUE, "cards[0].org");
    reject_edit("\"Maksuton\"", "\"\"", TAULU_EVALUE,
                "cards[1].versions[0].price");
    reject_edit("\"Tuiran hyvinvointikeskus\"", "\"\"", TAULU_EVALUE,
                "centre.name.fi");
}

static void test_reject_duplicate_keys(void **state)
{
    (void)state;
    reject_edit("\"seq\":42", "\"seq\":42,\"seq\":43", TAULU_EPARSE, "seq");
    reject_edit("\"title\":\"Muistikahvila\"",
                "\"title\":\"Muistikahvila\",\"title\":\"Muu\"", TAULU_EPARSE,
                "cards[0].versions[0].title");
    /* the same name written two ways is the same name */
    reject_edit("\"seq\":42", "\"seq\":42,\"s\\u0065q\":43", TAULU_EPARSE,
                "seq");
    /* also inside members this reader ignores */
    reject_edit("\"seq\":42", "\"x\":{\"a\":1,\"a\":2},\"seq\":42",
                TAULU_EPARSE, "x.a");
    reject_edit("\"fi\":\"Tuiran hyvinvointikeskus\"",
                "\"fi\":\"Tuiran hyvinvointikeskus\",\"fi\":\"Toinen\"",
                TAULU_EPARSE, "centre.name.fi");
}

static void test_reject_depth_and_members(void **state)
{
    struct taulu_buf b;
    int i;

    (void)state;
    /* The format needs depth 5 (cards[].versions[] objects); 6 is out. */
    reject_edit("\"plain\":true", "\"x\":[1],\"plain\":true", TAULU_ELIMIT,
                "cards[0].versions[0].x");
    accept_edit("\"plain\":true", "\"x\":1,\"plain\":true");
    reject_edit("\"seq\":42", "\"x\":[[[[[1]]]]],\"seq\":42", TAULU_ELIMIT,
                "x[0][0][0][0]");
    accept_edit("\"seq\":42", "\"x\":[[[[1]]]],\"seq\":42");
    /* at most 64 members per object: the top level has 10 of its own */
    for (i = 54; i <= 55; i++) {
        int k;
        char *j;
        taulu_buf_init(&b, 4096);
        for (k = 0; k < i; k++) {
            taulu_buf_appendf(&b, "\"x%d\":0,", k);
        }
        taulu_buf_puts(&b, "\"seq\":42");
        j = edit(base_json, "\"seq\":42", b.data);
        if (i == 54) {
            accept(j);
        } else {
            expect(j, TAULU_ELIMIT, "json");
        }
        free(j);
        taulu_buf_release(&b);
    }
}

static void test_reject_ids(void **state)
{
    char id[80];

    (void)state;
    reject_edit("\"id\":\"item-123\"", "\"id\":\"item 123\"", TAULU_EVALUE,
                "cards[0].id");
    reject_edit("\"id\":\"item-123\"", "\"id\":\"item/123\"", TAULU_EVALUE,
                "cards[0].id");
    reject_edit("\"id\":\"item-123\"", "\"id\":\"\"", TAULU_EVALUE,
                "cards[0].id");
    reject_edit("\"id\":\"item-123\"", "\"id\":\"tuote-ä\"", TAULU_EVALUE,
                "cards[0].id");
    reject_edit("\"id\":\"alert-1\"", "\"id\":\"alert:1\"", TAULU_EVALUE,
                "alerts[0].id");
    reject_edit("\"id\":\"tuira\"", "\"id\":\"tuira centre\"", TAULU_EVALUE,
                "centre.id");
    reject_edit("\"id\":\"event-7\"", "\"id\":\"item-123\"", TAULU_EVALUE,
                "cards[1].id");
    reject_edit("\"screen_id\":\"tuira-aula-1\"",
                "\"screen_id\":\"Tuira-aula-1\"", TAULU_EVALUE, "screen_id");
    reject_edit("\"screen_id\":\"tuira-aula-1\"",
                "\"screen_id\":\"tuira/aula\"", TAULU_EVALUE, "screen_id");
    /* 64 characters is the longest id */
    memset(id, 'a', 64);
    memcpy(id, "\"id\":\"", 6);
    memset(id + 6, 'a', 64);
    memcpy(id + 70, "\"", 2);
    accept_edit("\"id\":\"item-123\"", id);
    memcpy(id + 70, "a\"", 3);
    reject_edit("\"id\":\"item-123\"", id, TAULU_EVALUE, "cards[0].id");
}

static void test_reject_enums(void **state)
{
    (void)state;
    reject_edit("\"category\":\"leisure\"", "\"category\":\"sports\"",
                TAULU_EVALUE, "cards[0].category");
    reject_edit("\"category\":\"leisure\"", "\"category\":\"Leisure\"",
                TAULU_EVALUE, "cards[0].category");
    reject_edit("\"kind\":\"bulletin\"", "\"kind\":\"poster\"", TAULU_EVALUE,
                "cards[0].kind");
    reject_edit("\"lang\":\"sv\"", "\"lang\":\"SV\"", TAULU_EVALUE,
                "cards[0].versions[1].lang");
    reject_edit("\"lang\":\"sv\"", "\"lang\":\"swedish\"", TAULU_EVALUE,
                "cards[0].versions[1].lang");
    accept_edit("\"lang\":\"sv\"", "\"lang\":\"sv-FI\"");
    reject_edit("\"languages\":[\"fi\",\"sv\"]",
                "\"languages\":[\"fi\",\"fi\"]", TAULU_EVALUE,
                "centre.languages[1]");
    reject_edit("\"sv\":\"Tuira välfärdscentral\"",
                "\"Svenska\":\"Tuira välfärdscentral\"", TAULU_EVALUE,
                "centre.name");
    reject_edit("\"timezone\":\"Europe/Helsinki\"",
                "\"timezone\":\"Europe Helsinki\"", TAULU_EVALUE,
                "centre.timezone");
}

static void test_reject_event_rules(void **state)
{
    char *j;

    (void)state;
    /* kind event needs event; a bulletin may not have one */
    reject_edit("\"kind\":\"event\"", "\"kind\":\"bulletin\"", TAULU_EVALUE,
                "cards[1].event");
    j = edit(base_json,
             ",\"event\":{\"start\":\"2026-11-24T12:00:00Z\","
             "\"end\":\"2026-11-24T14:00:00Z\",\"free\":true,"
             "\"step_free\":true,\"induction_loop\":false}",
             "");
    expect(j, TAULU_EMISSING, "cards[1].event");
    free(j);
    /* flags are optional: unknown */
    accept_edit(",\"free\":true,\"step_free\":true,\"induction_loop\":false",
                "");
}

static void test_reject_image_and_assets(void **state)
{
    char *j;

    (void)state;
    /* the card's image is not listed */
    j = edit(base_json, ",\"assets\":[{", ",\"assets\":[],\"x\":[{");
    expect(j, TAULU_EVALUE, "cards[0].image.sha256");
    free(j);
    /* listed with another size */
    reject_edit("\"size\":12345,\"type\":\"image/png\",\"width\"",
                "\"size\":12346,\"type\":\"image/png\",\"width\"", TAULU_EVALUE,
                "cards[0].image");
    /* sha256 not 64 lowercase hex */
    reject_edit("\"sha256\":\"9f86", "\"sha256\":\"9F86", TAULU_EVALUE,
                "cards[0].image.sha256");
    j = edit(base_json, ",\"assets\":[{\"sha256\":\"9f86",
             ",\"assets\":[{\"sha256\":\"9F86");
    expect(j, TAULU_EVALUE, "assets[0].sha256");
    free(j);
    j = edit(base_json, ",\"assets\":[{\"sha256\":\"9f86",
             ",\"assets\":[{\"sha256\":\"9f8");
    expect(j, TAULU_EVALUE, "assets[0].sha256");
    free(j);
    /* an asset listed twice */
    j = edit(base_json, "\"type\":\"image/png\"}]}",
             "\"type\":\"image/png\"},{\"sha256\":\"9f86d081884c7d659a2feaa0c"
             "55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",\"size\":12345,"
             "\"type\":\"image/png\"}]}");
    expect(j, TAULU_EVALUE, "assets[1].sha256");
    free(j);
    /* an image needs its text alternative in every version */
    reject_edit(",\"image_alt\":\"En kaffekopp på ett bord\"", "",
                TAULU_EMISSING, "cards[0].versions[1].image_alt");
    reject_edit("\"price\":\"Maksuton\"",
                "\"price\":\"Maksuton\",\"image_alt\":\"x\"", TAULU_EVALUE,
                "cards[1].versions[0].image_alt");
}

static void test_reject_links(void **state)
{
    (void)state;
    reject_edit("https://example.fi/muisti?a=1", "ftp://example.fi/muisti",
                TAULU_EVALUE, "cards[0].link");
    reject_edit("https://example.fi/muisti?a=1", "javascript:alert(1)",
                TAULU_EVALUE, "cards[0].link");
    reject_edit("https://example.fi/muisti?a=1", "https://example.fi/a b",
                TAULU_EVALUE, "cards[0].link");
    reject_edit("https://example.fi/muisti?a=1", "https://example.fi/\\u0001",
                TAULU_EUTF8, "cards[0].link");
    reject_edit("https://example.fi/muisti?a=1", "https://example.fi/ä",
                TAULU_EVALUE, "cards[0].link");
    reject_edit("https://example.fi/muisti?a=1", "HTTPS://example.fi/",
                TAULU_EVALUE, "cards[0].link");
    reject_edit("https://example.fi/muisti?a=1", "https://", TAULU_EVALUE,
                "cards[0].link");
    reject_edit("https://example.fi/muisti?a=1", "https:///x", TAULU_EVALUE,
                "cards[0].link");
    reject_edit("https://example.fi/muisti?a=1", "https://x/<script>",
                TAULU_EVALUE, "cards[0].link");
    accept_edit("https://example.fi/muisti?a=1",
                "http://example.fi/%C3%A4?x=1&y=2#z");
}

static void test_reject_versions(void **state)
{
    char *j;

    (void)state;
    reject_edit("\"lang\":\"sv\"", "\"lang\":\"fi\"", TAULU_EVALUE,
                "cards[0].versions[1].lang");
    j = edit(base_json,
             "\"versions\":[{\"lang\":\"fi\",\"plain\":true,\"title\":"
             "\"Vertaisryhmä\",\"body\":\"\",\"place\":\"Tuiran kirjasto, "
             "sali 2\",\"price\":\"Maksuton\",\"registration\":\"Ei "
             "ilmoittautumista\"}]",
             "\"versions\":[]");
    expect(j, TAULU_EVALUE, "cards[1].versions");
    free(j);
    j = edit(base_json,
             "\"versions\":[{\"lang\":\"fi\",\"title\":\"Vesikatko\","
             "\"body\":\"Vesi on poikki klo 12–14.\"}]",
             "\"versions\":[]");
    expect(j, TAULU_EVALUE, "alerts[0].versions");
    free(j);
    j = edit(base_json,
             "\"versions\":[{\"lang\":\"fi\",\"title\":\"Vesikatko\"",
             "\"versions\":[{\"lang\":\"sv\",\"title\":\"Vattenavbrott\","
             "\"body\":\"\"},{\"lang\":\"sv\",\"title\":\"Vesikatko\"");
    expect(j, TAULU_EVALUE, "alerts[0].versions[1].lang");
    free(j);
}

/* ---- limits: at the boundary and one past ---- */

static void string_limit(const char *from, const char *path, size_t max,
                         const char *fill_prefix)
{
    size_t pl = strlen(fill_prefix);
    char *s, *j;
    size_t n;

    for (n = max; n <= max + 1; n++) {
        s = repeat('x', n + 2);
        s[0] = '"';
        memcpy(s + 1, fill_prefix, pl); /* e.g. "https://" */
        s[n + 1] = '"';
        j = edit(base_json, from, s);
        if (n == max) {
            accept(j);
        } else {
            char msg[128];
            expect(j, TAULU_ELIMIT, path);
            snprintf(msg, sizeof(msg), "too long (%zu > %zu bytes)", n, max);
            {
                struct taulu_buf why;
                taulu_buf_init(&why, 4096);
                parse_len(j, strlen(j), &why);
                assert_non_null(strstr(why.data, msg));
                taulu_buf_release(&why);
            }
        }
        free(j);
        free(s);
    }
}

/* Format 1 documents keep format 1's limits (the base document is one:
 * its texts fit them). */
static void test_limits_strings(void **state)
{
    (void)state;
    string_limit("\"Muistikahvila\"", "cards[0].versions[0].title",
                 TAULU_MANIFEST_V1_MAX_TITLE, "");
    string_limit("\"Tule juttelemaan.\\nKahvi on ilmaista.\"",
                 "cards[0].versions[0].body", TAULU_MANIFEST_V1_MAX_BODY, "");
    string_limit("\"Tuiran kirjasto\"", "cards[0].versions[0].place",
                 TAULU_MANIFEST_V1_MAX_STRING, "");
    string_limit("\"Muistiyhdistys ry\"", "cards[0].org",
                 TAULU_MANIFEST_V1_MAX_STRING, "");
    string_limit("\"Kahvikuppi pöydällä\"", "cards[0].versions[0].image_alt",
                 TAULU_MANIFEST_V1_MAX_STRING, "");
    string_limit("\"Vesikatko\"", "alerts[0].versions[0].title",
                 TAULU_MANIFEST_V1_MAX_TITLE, "");
    string_limit("\"https://example.fi/muisti?a=1\"", "cards[0].link",
                 TAULU_MANIFEST_V1_MAX_LINK, "https://");
}

/* `n` copies of the UTF-8 character `ch`. */
static char *repeat_utf8(const char *ch, size_t n)
{
    size_t k = strlen(ch), i;
    char *s = malloc(n * k + 1);

    assert_non_null(s);
    for (i = 0; i < n; i++) {
        memcpy(s + i * k, ch, k);
    }
    s[n * k] = '\0';
    return s;
}

/* Every text field at the API's character limit in the widest characters
 * (4 bytes each, and the 3-byte en dash and euro sign) is written, as
 * format 2, and read back byte for byte; as format 1 the same document is
 * refused (an older player keeps its last good manifest instead of
 * misreading it). */
static void test_format2_texts(void **state)
{
    struct taulu_manifest *m = build_base(), *back = NULL;
    struct taulu_buf out, why;
    char *title = repeat_utf8("\xe2\x80\x93", TAULU_TITLE_MAX_CHARS); /* – */
    char *body = repeat_utf8("\xf0\x9f\x98\x80", TAULU_BODY_MAX_CHARS);
    char *reg = repeat_utf8("\xc3\xa4", TAULU_REGISTRATION_MAX_CHARS); /* ä */
    char *place = repeat_utf8("\xe2\x82\xac", TAULU_PLACE_MAX_CHARS);  /* € */
    char *alt = repeat_utf8("\xc3\xb6", TAULU_IMAGE_ALT_MAX_CHARS);    /* ö */
    char *org = repeat_utf8("\xe2\x80\x94", TAULU_ORG_NAME_MAX_CHARS); /* — */
    char *contact = repeat_utf8("\xd0\x96", TAULU_CONTACT_MAX_CHARS);  /* Ж */
    char *price = repeat_utf8("\xc5\x8b", TAULU_PRICE_MAX_CHARS);      /* ŋ */
    char *atitle = repeat_utf8("\xe2\x80\x93", TAULU_ALERT_TITLE_MAX_CHARS);
    char *abody = repeat_utf8("\xf0\x9f\x98\x80", TAULU_ALERT_BODY_MAX_CHARS);
    char *link = malloc(TAULU_LINK_MAX_CHARS + 1), *v1;
    struct taulu_card_version *v = &m->cards[0].versions[0];

    (void)state;
    memcpy(link, "https://", 8);
    memset(link + 8, 'a', TAULU_LINK_MAX_CHARS - 8);
    link[TAULU_LINK_MAX_CHARS] = '\0';
    v->title = title;
    v->body = body;
    v->registration = reg;
    v->place = place;
    v->image_alt = alt;
    v->contact = contact;
    v->price = price;
    m->cards[0].org = org;
    m->cards[0].link = link;
    m->alerts[0].versions[0].title = atitle;
    m->alerts[0].versions[0].body = abody;
    assert_int_equal(taulu_manifest_format_version(m), 2);
    taulu_buf_init(&out, TAULU_MANIFEST_MAX_BYTES);
    taulu_buf_init(&why, 4096);
    assert_int_equal(taulu_manifest_write(m, &out), 0);
    assert_non_null(strstr(out.data, "\"format_version\":2,"));
    assert_int_equal(taulu_manifest_parse(out.data, out.len, &back, &why), 0);
    assert_int_equal(back->format_version, 2);
    v = &back->cards[0].versions[0];
    assert_string_equal(v->title, title);
    assert_string_equal(v->body, body);
    assert_string_equal(v->registration, reg);
    assert_string_equal(v->place, place);
    assert_string_equal(v->image_alt, alt);
    assert_string_equal(v->contact, contact);
    assert_string_equal(v->price, price);
    assert_string_equal(back->cards[0].org, org);
    assert_string_equal(back->cards[0].link, link);
    assert_string_equal(back->alerts[0].versions[0].title, atitle);
    assert_string_equal(back->alerts[0].versions[0].body, abody);
    /* the hours survive too */
    assert_int_equal(back->centre.n_hours, 5);
    assert_true(back->centre.hours_given);
    taulu_manifest_free(back);
    back = NULL;
    /* The same bytes claiming format 1: over its limits, refused. */
    v1 = edit(out.data, "\"format_version\":2", "\"format_version\":1");
    expect(v1, TAULU_ELIMIT, "cards[0].org");
    free(v1);
    /* One character more than the API allows does not fit format 2. */
    v = &m->cards[0].versions[0];
    free(title);
    title = repeat_utf8("\xf0\x9f\x98\x80", TAULU_TITLE_MAX_CHARS + 1);
    v->title = title;
    taulu_buf_reset(&out);
    assert_int_equal(taulu_manifest_write(m, &out), TAULU_ELIMIT);
    taulu_buf_reset(&why);
    assert_int_equal(taulu_manifest_validate(m, &why), TAULU_ELIMIT);
    assert_non_null(strstr(why.data, "cards[0].versions[0].title: too long"));
    taulu_buf_release(&out);
    taulu_buf_release(&why);
    taulu_manifest_free(m);
    free(title);
    free(body);
    free(reg);
    free(place);
    free(alt);
    free(org);
    free(contact);
    free(price);
    free(atitle);
    free(abody);
    free(link);
}

/* Opening hours: "none given" (always open) and "closed all week" are
 * different things. Format 1 can only say the first (an empty list); a
 * closed week is written as format 2 and an older reader refuses it. */
static void test_opening_hours_formats(void **state)
{
    struct taulu_manifest *m = build_base(), *back = NULL;
    struct taulu_buf out, why;
    char *j;

    (void)state;
    taulu_buf_init(&out, TAULU_MANIFEST_MAX_BYTES);
    taulu_buf_init(&why, 4096);
    /* Always open, format 1: an empty list. */
    m->centre.n_hours = 0;
    m->centre.hours_given = false;
    assert_true(taulu_centre_always_open(&m->centre));
    assert_int_equal(taulu_manifest_format_version(m), 1);
    assert_int_equal(taulu_manifest_write(m, &out), 0);
    assert_non_null(strstr(out.data, "\"opening_hours\":[]"));
    assert_int_equal(taulu_manifest_parse(out.data, out.len, &back, &why), 0);
    assert_true(taulu_centre_always_open(&back->centre));
    assert_false(taulu_centre_closed_all_week(&back->centre));
    taulu_manifest_free(back);
    back = NULL;
    /* Closed all week: format 2, an empty list that now means closed. */
    m->centre.hours_given = true;
    assert_true(taulu_centre_closed_all_week(&m->centre));
    assert_int_equal(taulu_manifest_format_version(m), 2);
    taulu_buf_reset(&out);
    assert_int_equal(taulu_manifest_write(m, &out), 0);
    assert_non_null(strstr(out.data, "\"format_version\":2,"));
    assert_non_null(strstr(out.data, "\"opening_hours\":[]"));
    assert_int_equal(taulu_manifest_parse(out.data, out.len, &back, &why), 0);
    assert_true(taulu_centre_closed_all_week(&back->centre));
    assert_false(taulu_centre_always_open(&back->centre));
    taulu_manifest_free(back);
    back = NULL;
    /* Format 2 and always open: the member is left out. */
    j = edit(out.data, "\"opening_hours\":[],", "");
    assert_int_equal(taulu_manifest_parse(j, strlen(j), &back, &why), 0);
    assert_true(taulu_centre_always_open(&back->centre));
    taulu_manifest_free(back);
    back = NULL;
    free(j);
    /* Format 1 without the member: still required there. */
    reject_edit("\"opening_hours\":[{\"day\":1,\"open\":\"08:00\","
                "\"close\":\"16:00\"},",
                "\"opening_hours_x\":[{\"day\":1,\"open\":\"08:00\","
                "\"close\":\"16:00\"},",
                TAULU_EMISSING, "centre.opening_hours");
    /* Format 2 with hours listed reads them as given. */
    j = edit(base_json, "\"format_version\":1", "\"format_version\":2");
    assert_int_equal(taulu_manifest_parse(j, strlen(j), &back, &why), 0);
    assert_int_equal(back->centre.n_hours, 5);
    assert_true(back->centre.hours_given);
    taulu_manifest_free(back);
    free(j);
    taulu_buf_release(&out);
    taulu_buf_release(&why);
    taulu_manifest_free(m);
}

/* The loop budget: optional (absent = the player's default, and the
 * writer leaves 0 out), written back byte for byte, 60..3600 seconds. */
static void test_loop_budget(void **state)
{
    static const char from[] = "\"closed_behaviour\":\"dark\"";
    struct taulu_manifest *m = NULL;
    char *with, *again, *j;

    (void)state;
    assert_int_equal(
        taulu_manifest_parse(base_json, strlen(base_json), &m, NULL), 0);
    assert_int_equal(m->centre.loop_s, 0);
    taulu_manifest_free(m);
    with =
        edit(base_json, from, "\"closed_behaviour\":\"dark\",\"loop_s\":240");
    assert_int_equal(taulu_manifest_parse(with, strlen(with), &m, NULL), 0);
    assert_int_equal(m->centre.loop_s, 240);
    again = write_json(m);
    assert_string_equal(again, with);
    free(again);
    /* the writer refuses what a reader would */
    m->centre.loop_s = 59;
    {
        struct taulu_buf b;
        taulu_buf_init(&b, 1 << 20);
        assert_int_equal(taulu_manifest_write(m, &b), TAULU_EVALUE);
        taulu_buf_release(&b);
    }
    taulu_manifest_free(m);
    j = edit(with, "\"loop_s\":240", "\"loop_s\":3601");
    expect(j, TAULU_EVALUE, "centre.loop_s");
    free(j);
    j = edit(with, "\"loop_s\":240", "\"loop_s\":\"240\"");
    expect(j, TAULU_ETYPE, "centre.loop_s");
    free(j);
    free(with);
}

/* A version's short screen text and a centre's short names: optional
 * members within the format (an old reader ignores them), read, written
 * back byte for byte, and checked like the texts around them. */
static void test_summary_and_short_names(void **state)
{
    static const char name_from[] =
        "\"name\":{\"fi\":\"Tuiran hyvinvointikeskus\",\"sv\":\"Tuira "
        "välfärdscentral\"}";
    static const char body_from[] =
        "\"body\":\"Tule juttelemaan.\\nKahvi on ilmaista.\"";
    struct taulu_manifest *m = NULL;
    struct taulu_buf b, why;
    char *j, *with, *again;

    (void)state;
    assert_non_null(strstr(base_json, name_from));
    assert_non_null(strstr(base_json, body_from));
    /* both, in the writer's order */
    taulu_buf_init(&b, 1 << 20);
    taulu_buf_appendf(&b, "%s,\"short_name\":{\"fi\":\"Tuira\"}", name_from);
    j = edit(base_json, name_from, b.data);
    taulu_buf_reset(&b);
    taulu_buf_appendf(&b, "%s,\"summary\":\"Kahvia ja juttua.\\nTervetuloa!\"",
                      body_from);
    with = edit(j, body_from, b.data);
    free(j);
    taulu_buf_init(&why, 4096);
    assert_int_equal(taulu_manifest_parse(with, strlen(with), &m, &why), 0);
    assert_string_equal(m->cards[0].versions[0].summary,
                        "Kahvia ja juttua.\nTervetuloa!");
    assert_null(m->cards[0].versions[1].summary);
    assert_int_equal(m->centre.n_short_name, 1);
    assert_string_equal(m->centre.short_name[0].text, "Tuira");
    again = write_json(m);
    assert_string_equal(again, with);
    free(again);
    taulu_manifest_free(m);
    taulu_buf_release(&why);

    /* an old reader's view: the same document without them is the base */
    assert_int_equal(
        taulu_manifest_parse(base_json, strlen(base_json), &m, NULL), 0);
    assert_null(m->cards[0].versions[0].summary);
    assert_int_equal(m->centre.n_short_name, 0);
    taulu_manifest_free(m);

    /* refused: an empty summary, a control character in it, a short name
     * in a language the centre has no name in, an empty one */
    j = edit(with, "Kahvia ja juttua.\\nTervetuloa!", "");
    expect(j, TAULU_EVALUE, "cards[0].versions[0].summary");
    free(j);
    j = edit(with, "Kahvia ja juttua.", "Kahvia\\tja juttua.");
    expect(j, TAULU_EUTF8, "cards[0].versions[0].summary");
    free(j);
    j = edit(with, "\"short_name\":{\"fi\"", "\"short_name\":{\"en\"");
    expect(j, TAULU_EVALUE, "centre.short_name.en");
    free(j);
    j = edit(with, "{\"fi\":\"Tuira\"}", "{\"fi\":\"\"}");
    expect(j, TAULU_EVALUE, "centre.short_name.fi");
    free(j);
    free(with);
    taulu_buf_release(&b);

    /* the summary's byte limit, at the boundary and one past */
    taulu_buf_init(&b, 1 << 20);
    taulu_buf_appendf(&b, "%s,\"summary\":\"Kahvia.\"", body_from);
    with = edit(base_json, body_from, b.data);
    taulu_buf_release(&b);
    {
        char *save = base_json;
        base_json = with;
        string_limit("\"Kahvia.\"", "cards[0].versions[0].summary",
                     TAULU_MANIFEST_MAX_SUMMARY, "");
        base_json = save;
    }
    free(with);
}

/* A whole document with generated lists. */
static char *doc(const char *languages, const char *names, const char *hours,
                 const char *cards, const char *alerts, const char *assets)
{
    struct taulu_buf b;

    taulu_buf_init(&b, 64 << 20);
    taulu_buf_appendf(
        &b,
        "{\"format\":\"infotaulu.manifest\",\"format_version\":1,"
        "\"screen_id\":\"s1\",\"seq\":1,\"built_at\":\"2026-01-01T00:00:00Z\","
        "\"centre\":{\"id\":\"c\",\"name\":{%s},\"timezone\":\"UTC\","
        "\"languages\":[%s],\"opening_hours\":[%s],"
        "\"closed_behaviour\":\"still\"},\"profile\":{\"width_px\":1080,"
        "\"height_px\":1920,\"orientation\":\"portrait\",\"diagonal_in\":43.5,"
        "\"distance_mm\":2000},\"cards\":[%s],\"alerts\":[%s],"
        "\"assets\":[%s]}",
        names, languages, hours, cards, alerts, assets);
    return taulu_buf_detach(&b, NULL);
}

static const char *const LANGS[] = {"fi",  "sv", "en", "se", "smn",
                                    "sms", "ru", "et", "de"};

typedef void (*gen_fn)(struct taulu_buf *b, int i);

static char *list(int n, gen_fn fn)
{
    struct taulu_buf b;
    int i;

    taulu_buf_init(&b, 64 << 20);
    for (i = 0; i < n; i++) {
        if (i) {
            taulu_buf_putc(&b, ',');
        }
        fn(&b, i);
    }
    return taulu_buf_detach(&b, NULL);
}

static void gen_lang(struct taulu_buf *b, int i)
{
    taulu_buf_appendf(b, "\"%s\"", LANGS[i]);
}

static void gen_name(struct taulu_buf *b, int i)
{
    taulu_buf_appendf(b, "\"%s\":\"Nimi %d\"", LANGS[i], i);
}

static void gen_hour(struct taulu_buf *b, int i)
{
    taulu_buf_appendf(b,
                      "{\"day\":%d,\"open\":\"%02d:00\",\"close\":"
                      "\"%02d:30\"}",
                      i % 7 + 1, i / 7 * 2 + 8, i / 7 * 2 + 8);
}

static void gen_version(struct taulu_buf *b, int i)
{
    taulu_buf_appendf(b,
                      "{\"lang\":\"%s\",\"plain\":false,\"title\":"
                      "\"T%d\",\"body\":\"\"}",
                      LANGS[i], i);
}

static void gen_card(struct taulu_buf *b, int i)
{
    taulu_buf_appendf(b,
                      "{\"id\":\"c%d\",\"kind\":\"bulletin\",\"category\":"
                      "\"work\",\"org\":\"O\",\"display_from\":"
                      "\"2026-01-01T00:00:00Z\",\"display_until\":"
                      "\"2027-01-01T00:00:00Z\",\"versions\":[{\"lang\":"
                      "\"fi\",\"plain\":false,\"title\":\"T\",\"body\":\"\"}]}",
                      i);
}

static void gen_alert(struct taulu_buf *b, int i)
{
    taulu_buf_appendf(b,
                      "{\"id\":\"a%d\",\"from\":\"2026-01-01T00:00:00Z\","
                      "\"until\":\"2026-01-02T00:00:00Z\",\"versions\":[{"
                      "\"lang\":\"fi\",\"title\":\"T\",\"body\":\"B\"}]}",
                      i);
}

static void gen_asset(struct taulu_buf *b, int i)
{
    taulu_buf_appendf(b,
                      "{\"sha256\":\"%064x\",\"size\":1,\"type\":"
                      "\"image/webp\"}",
                      (unsigned)i);
}

static char *versions_card(int n)
{
    char *v = list(n, gen_version);
    struct taulu_buf b;

    taulu_buf_init(&b, 1 << 20);
    taulu_buf_appendf(&b,
                      "{\"id\":\"c\",\"kind\":\"bulletin\",\"category\":"
                      "\"work\",\"org\":\"O\",\"display_from\":"
                      "\"2026-01-01T00:00:00Z\",\"display_until\":"
                      "\"2027-01-01T00:00:00Z\",\"versions\":[%s]}",
                      v);
    free(v);
    return taulu_buf_detach(&b, NULL);
}

static void gen_alert_version(struct taulu_buf *b, int i)
{
    taulu_buf_appendf(b, "{\"lang\":\"%s\",\"title\":\"T%d\",\"body\":\"\"}",
                      LANGS[i], i);
}

static char *alert_versions(int n)
{
    char *v = list(n, gen_alert_version);
    struct taulu_buf b;

    taulu_buf_init(&b, 1 << 20);
    taulu_buf_appendf(&b,
                      "{\"id\":\"a\",\"from\":\"2026-01-01T00:00:00Z\","
                      "\"until\":\"2026-01-02T00:00:00Z\",\"versions\":[%s]}",
                      v);
    free(v);
    return taulu_buf_detach(&b, NULL);
}

/* Which list of the document a limit test varies. */
enum which {
    W_LANGS,
    W_NAMES,
    W_HOURS,
    W_CARDS,
    W_ALERTS,
    W_ASSETS,
    W_VERSIONS,
    W_ALERT_VERSIONS
};

static char *doc_with(enum which w, int n)
{
    char *langs = list(w == W_LANGS ? n : 1, gen_lang);
    char *names = list(w == W_NAMES ? n : 1, gen_name);
    char *hours = list(w == W_HOURS ? n : 0, gen_hour);
    char *cards = w == W_CARDS      ? list(n, gen_card)
                  : w == W_VERSIONS ? versions_card(n)
                                    : list(0, gen_card);
    char *alerts = w == W_ALERTS           ? list(n, gen_alert)
                   : w == W_ALERT_VERSIONS ? alert_versions(n)
                                           : list(0, gen_alert);
    char *assets = list(w == W_ASSETS ? n : 0, gen_asset);
    char *d = doc(langs, names, hours, cards, alerts, assets);

    free(langs);
    free(names);
    free(hours);
    free(cards);
    free(alerts);
    free(assets);
    return d;
}

static void count_limit(enum which w, int max, int code, const char *path)
{
    char *d = doc_with(w, max);
    struct taulu_manifest *m = NULL;
    char *again;

    /* at the limit: accepted, and the writer writes it back the same */
    assert_int_equal(taulu_manifest_parse(d, strlen(d), &m, NULL), 0);
    again = write_json(m);
    assert_string_equal(again, d);
    free(again);
    taulu_manifest_free(m);
    free(d);
    d = doc_with(w, max + 1);
    expect(d, code, path);
    free(d);
}

static void test_limits_counts(void **state)
{
    (void)state;
    count_limit(W_CARDS, TAULU_MANIFEST_MAX_CARDS, TAULU_ELIMIT, "cards");
    count_limit(W_ALERTS, TAULU_MANIFEST_MAX_ALERTS, TAULU_ELIMIT, "alerts");
    count_limit(W_ASSETS, TAULU_MANIFEST_MAX_ASSETS, TAULU_ELIMIT, "assets");
    count_limit(W_VERSIONS, TAULU_MANIFEST_MAX_VERSIONS, TAULU_ELIMIT,
                "cards[0].versions");
    count_limit(W_ALERT_VERSIONS, TAULU_MANIFEST_MAX_VERSIONS, TAULU_ELIMIT,
                "alerts[0].versions");
    count_limit(W_LANGS, TAULU_MANIFEST_MAX_LANGUAGES, TAULU_ELIMIT,
                "centre.languages");
    count_limit(W_NAMES, TAULU_MANIFEST_MAX_LANGUAGES, TAULU_ELIMIT,
                "centre.name");
    count_limit(W_HOURS, TAULU_MANIFEST_MAX_HOURS, TAULU_ELIMIT,
                "centre.opening_hours");
    /* and the lower ends */
    {
        char *d = doc_with(W_LANGS, 0);
        expect(d, TAULU_EVALUE, "centre.languages");
        free(d);
        d = doc_with(W_NAMES, 0);
        expect(d, TAULU_EVALUE, "centre.name");
        free(d);
    }
}

static void test_limit_document_size(void **state)
{
    size_t base = strlen(base_json), pad;
    char *j;

    (void)state;
    /* base_json + ,"pad":"..." to exactly MAX_BYTES, then one more */
    pad = TAULU_MANIFEST_MAX_BYTES - base - strlen(",\"pad\":\"\"");
    j = malloc(TAULU_MANIFEST_MAX_BYTES + 2);
    assert_non_null(j);
    memcpy(j, base_json, base - 1);
    memcpy(j + base - 1, ",\"pad\":\"", 8);
    memset(j + base + 7, 'x', pad);
    memcpy(j + base + 7 + pad, "\"}", 3);
    assert_int_equal(strlen(j), TAULU_MANIFEST_MAX_BYTES);
    accept(j);
    memcpy(j + base + 7 + pad, "x\"}", 4);
    expect(j, TAULU_ELIMIT, "json");
    free(j);
}

static size_t count_values(const cJSON *n)
{
    size_t c = 1;

    for (n = n->child; n; n = n->next) {
        c += count_values(n);
    }
    return c;
}

static void test_limit_values(void **state)
{
    cJSON *root = cJSON_Parse(base_json);
    size_t base, zeros, k;
    struct taulu_buf b;
    char *j;

    (void)state;
    assert_non_null(root);
    base = count_values(root);
    cJSON_Delete(root);
    /* "x":[0,0,...] adds the array and its items */
    zeros = TAULU_MANIFEST_MAX_VALUES - base - 1;
    taulu_buf_init(&b, 1 << 22);
    taulu_buf_puts(&b, "\"x\":[");
    for (k = 0; k < zeros; k++) {
        taulu_buf_puts(&b, k ? ",0" : "0");
    }
    taulu_buf_puts(&b, "],\"seq\":42");
    j = edit(base_json, "\"seq\":42", b.data);
    accept(j);
    free(j);
    taulu_buf_reset(&b);
    taulu_buf_puts(&b, "\"x\":[");
    for (k = 0; k <= zeros; k++) {
        taulu_buf_puts(&b, k ? ",0" : "0");
    }
    taulu_buf_puts(&b, "],\"seq\":42");
    j = edit(base_json, "\"seq\":42", b.data);
    expect(j, TAULU_ELIMIT, "assets[0].type"); /* the 200001st value */
    free(j);
    taulu_buf_release(&b);
}

/* ---- signed envelope ---- */

static uint8_t pk[TAULU_SIGN_PK_LEN], sk[TAULU_SIGN_SK_LEN];

static char *small_json(void)
{
    char *d = doc("\"fi\"", "\"fi\":\"K\"", "", "", "", "");
    return d;
}

static void sign_it(const char *json, struct taulu_buf *out)
{
    taulu_buf_init(out, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    assert_int_equal(taulu_manifest_sign(json, strlen(json), sk, out), 0);
}

static void test_sign_open(void **state)
{
    struct taulu_buf s, why;
    char hex[65], kid[17];
    const char *json = NULL;
    size_t json_len = 0;
    struct taulu_manifest *m = NULL;

    (void)state;
    assert_int_equal(taulu_sign_keypair(pk, sk), 0);
    sign_it(base_json, &s);
    taulu_buf_init(&why, 4096);
    taulu_key_id(pk, kid);
    assert_memory_equal(s.data, "infotaulu-manifest-sig v1 ed25519 ", 34);
    assert_memory_equal(s.data + 34, kid, 16);
    assert_int_equal(s.data[TAULU_MANIFEST_SIG_HEADER_LEN - 1], '\n');
    assert_int_equal(s.len, TAULU_MANIFEST_SIG_HEADER_LEN + strlen(base_json));
    taulu_sha256_hex(s.data, s.len, hex);
    assert_int_equal(
        taulu_manifest_open(s.data, s.len, pk, hex, &json, &json_len, &why), 0);
    assert_int_equal(json_len, strlen(base_json));
    assert_memory_equal(json, base_json, json_len);
    assert_ptr_equal(json, s.data + TAULU_MANIFEST_SIG_HEADER_LEN);
    assert_int_equal(
        taulu_manifest_open(s.data, s.len, pk, NULL, &json, &json_len, &why),
        0);
    /* the signature covers the domain string: a plain Ed25519 signature of
     * the JSON alone is a different one */
    {
        uint8_t sig[TAULU_SIGN_LEN];
        char b64[89];
        taulu_sign(base_json, strlen(base_json), sk, sig);
        taulu_base64_encode(sig, sizeof(sig), b64, sizeof(b64));
        assert_memory_not_equal(s.data + 51, b64, 88);
    }
    /* load_signed: screen id and rollback */
    assert_int_equal(taulu_manifest_load_signed(s.data, s.len, pk, hex,
                                                "tuira-aula-1", 42, &m, &why),
                     0);
    assert_int_equal(m->seq, 42);
    taulu_manifest_free(m);
    taulu_buf_reset(&why);
    assert_int_equal(taulu_manifest_load_signed(s.data, s.len, pk, hex,
                                                "tuira-aula-2", 0, &m, &why),
                     TAULU_EVALUE);
    assert_null(m);
    assert_memory_equal(why.data, "screen_id:", 10);
    taulu_buf_reset(&why);
    assert_int_equal(taulu_manifest_load_signed(s.data, s.len, pk, hex,
                                                "tuira-aula-1", 43, &m, &why),
                     TAULU_ESTALE);
    assert_null(m);
    assert_memory_equal(why.data, "seq:", 4);
    taulu_buf_release(&s);
    taulu_buf_release(&why);
}

static void test_sign_refusals(void **state)
{
    uint8_t pk2[TAULU_SIGN_PK_LEN], sk2[TAULU_SIGN_SK_LEN];
    struct taulu_buf s, why;
    char hex[65], bad[65];
    const char *json = (const char *)1;
    size_t json_len = 1;
    struct taulu_manifest *m = NULL;

    (void)state;
    assert_int_equal(taulu_sign_keypair(pk, sk), 0);
    assert_int_equal(taulu_sign_keypair(pk2, sk2), 0);
    sign_it(base_json, &s);
    taulu_sha256_hex(s.data, s.len, hex);
    taulu_buf_init(&why, 4096);
    /* wrong key */
    assert_int_equal(
        taulu_manifest_open(s.data, s.len, pk2, hex, &json, &json_len, &why),
        TAULU_ESIG);
    assert_null(json);
    assert_int_equal(json_len, 0);
    /* right key id, wrong key: the header is rewritten to pk2's id */
    {
        char kid2[17];
        char *copy = malloc(s.len);
        memcpy(copy, s.data, s.len);
        taulu_key_id(pk2, kid2);
        memcpy(copy + 34, kid2, 16);
        assert_int_equal(
            taulu_manifest_open(copy, s.len, pk2, NULL, &json, &json_len, &why),
            TAULU_ESIG);
        free(copy);
    }
    /* hash mismatch */
    memcpy(bad, hex, 65);
    bad[0] = bad[0] == '0' ? '1' : '0';
    assert_int_equal(
        taulu_manifest_open(s.data, s.len, pk, bad, &json, &json_len, &why),
        TAULU_EHASH);
    assert_int_equal(taulu_manifest_load_signed(s.data, s.len, pk, bad,
                                                "tuira-aula-1", 0, &m, &why),
                     TAULU_EHASH);
    assert_null(m);
    /* not a hash at all */
    assert_int_equal(
        taulu_manifest_open(s.data, s.len, pk, "ABC", &json, &json_len, &why),
        TAULU_EINVAL);
    /* unsigned JSON */
    assert_int_equal(taulu_manifest_open(base_json, strlen(base_json), pk, NULL,
                                         &json, &json_len, &why),
                     TAULU_ESIG);
    /* a byte appended */
    assert_int_equal(taulu_buf_putc(&s, ' '), 0);
    assert_int_equal(
        taulu_manifest_open(s.data, s.len, pk, NULL, &json, &json_len, &why),
        TAULU_ESIG);
    taulu_buf_release(&s);
    taulu_buf_release(&why);
}

static void test_sign_every_byte(void **state)
{
    char *json = small_json();
    struct taulu_buf s;
    char hex[65];
    const char *out = NULL;
    size_t out_len = 0, i, bit;
    char *copy;

    (void)state;
    assert_int_equal(taulu_sign_keypair(pk, sk), 0);
    sign_it(json, &s);
    taulu_sha256_hex(s.data, s.len, hex);
    assert_int_equal(
        taulu_manifest_open(s.data, s.len, pk, hex, &out, &out_len, NULL), 0);
    copy = malloc(s.len);
    assert_non_null(copy);
    /* every byte, changed in each of its bits: refused by the signature
     * alone, and by the hash when there is one */
    for (i = 0; i < s.len; i++) {
        for (bit = 0; bit < 8; bit++) {
            memcpy(copy, s.data, s.len);
            copy[i] = (char)(copy[i] ^ (1 << bit));
            assert_true(taulu_manifest_open(copy, s.len, pk, NULL, &out,
                                            &out_len, NULL) < 0);
            assert_null(out);
            assert_int_equal(
                taulu_manifest_open(copy, s.len, pk, hex, &out, &out_len, NULL),
                TAULU_EHASH);
        }
    }
    /* every truncation */
    for (i = 0; i < s.len; i++) {
        assert_true(
            taulu_manifest_open(s.data, i, pk, NULL, &out, &out_len, NULL) < 0);
    }
    free(copy);
    free(json);
    taulu_buf_release(&s);
}

static void test_sign_limits(void **state)
{
    struct taulu_buf s;

    (void)state;
    taulu_buf_init(&s, 16);
    assert_int_equal(taulu_manifest_sign("{}", 2, sk, &s), TAULU_ELIMIT);
    assert_int_equal(s.len, 0);
    assert_int_equal(
        taulu_manifest_sign("{}", TAULU_MANIFEST_MAX_BYTES + 1, sk, &s),
        TAULU_ELIMIT);
    taulu_buf_release(&s);
}

/* ---- helpers ---- */

static void test_helpers(void **state)
{
    struct taulu_manifest *m = build_base();
    const struct taulu_card *c = &m->cards[1];

    (void)state;
    assert_string_equal(taulu_card_version_for(&m->cards[0], "sv")->title,
                        "Minneskafé");
    assert_null(taulu_card_version_for(&m->cards[0], "en"));
    assert_null(taulu_card_version_for(&m->cards[0], NULL));
    assert_string_equal(taulu_alert_version_for(&m->alerts[0], "fi")->title,
                        "Vesikatko");
    assert_false(taulu_card_is_current(c, T("2026-11-19T23:59:59Z")));
    assert_true(taulu_card_is_current(c, T("2026-11-20T00:00:00Z")));
    assert_true(taulu_card_is_current(c, T("2026-11-24T13:59:59Z")));
    assert_false(taulu_card_is_current(c, T("2026-11-24T14:00:00Z")));
    /* an event that has ended is not shown even inside its window */
    m->cards[1].display_until = T("2026-12-24T00:00:00Z");
    assert_false(taulu_card_is_current(c, T("2026-11-25T00:00:00Z")));
    assert_true(
        taulu_alert_is_current(&m->alerts[0], T("2026-11-22T08:00:00Z")));
    assert_false(
        taulu_alert_is_current(&m->alerts[0], T("2026-11-22T16:00:00Z")));
    assert_non_null(taulu_manifest_find_asset(m, ASSET_SHA));
    assert_null(taulu_manifest_find_asset(m, "00"));
    assert_string_equal(taulu_media_type_name(TAULU_MEDIA_WEBP), "image/webp");
    assert_null(taulu_media_type_name((enum taulu_media_type)9));
    assert_string_equal(taulu_card_kind_name(TAULU_CARD_EVENT), "event");
    assert_true(taulu_lang_valid("smn"));
    assert_true(taulu_lang_valid("sv-FI"));
    assert_false(taulu_lang_valid("f"));
    assert_false(taulu_lang_valid("fi-"));
    assert_false(taulu_lang_valid("finn"));
    assert_false(taulu_lang_valid("fi-abcdefghi"));
    assert_false(taulu_lang_valid(NULL));
    assert_true(taulu_manifest_id_valid("a.b_c-D9"));
    assert_false(taulu_manifest_id_valid(NULL));
    /* big arena allocations and strdup */
    assert_non_null(taulu_manifest_alloc(m, 100000));
    assert_non_null(taulu_manifest_alloc(m, 10));
    assert_null(taulu_manifest_strdup(m, NULL));
    taulu_manifest_free(m);
    taulu_manifest_free(NULL);
}

/* ---- recurring events (format 2) ---- */

/* The base manifest with its event made a weekly series: every Tuesday
 * 14-16 until 15.12., three occurrences listed, the second cancelled. */
static struct taulu_manifest *build_recur(void)
{
    struct taulu_manifest *m = build_base();
    struct taulu_card *c = &m->cards[1];
    struct taulu_card_recur *r = taulu_manifest_alloc(m, sizeof *r);

    assert_non_null(r);
    r->rule.freq = TAULU_RECUR_WEEKLY;
    r->rule.interval = 1;
    r->rule.days[0].wday = 2;
    r->rule.n_days = 1;
    assert_int_equal(taulu_recur_date_parse("2026-12-15", &r->rule.until), 0);
    r->start_min = 14 * 60;
    r->end_min = 16 * 60;
    c->recur = r;
    c->occurrences = taulu_manifest_alloc(m, 3 * sizeof *c->occurrences);
    c->n_occurrences = 3;
    c->occurrences[0].start = T("2026-11-24T12:00:00Z");
    c->occurrences[0].end = T("2026-11-24T14:00:00Z");
    c->occurrences[1].start = T("2026-12-01T12:00:00Z");
    c->occurrences[1].end = T("2026-12-01T14:00:00Z");
    c->occurrences[1].cancelled = true;
    c->occurrences[2].start = T("2026-12-08T12:00:00Z");
    c->occurrences[2].end = T("2026-12-08T14:00:00Z");
    c->event.start = c->occurrences[0].start;
    c->event.end = c->occurrences[2].end;
    c->display_until = T("2026-12-15T22:00:00Z");
    return m;
}

static char *recur_json(void)
{
    struct taulu_manifest *m = build_recur();
    char *j = write_json(m);

    taulu_manifest_free(m);
    return j;
}

static void reject_recur(const char *from, const char *to, int code,
                         const char *path)
{
    char *base = recur_json(), *j = edit(base, from, to);

    expect(j, code, path);
    free(j);
    free(base);
}

static void accept_recur(const char *from, const char *to)
{
    char *base = recur_json(), *j = edit(base, from, to);

    accept(j);
    free(j);
    free(base);
}

static void test_recur_round_trip(void **state)
{
    struct taulu_manifest *m = NULL;
    const struct taulu_card *c;
    char *j = recur_json(), *again;

    (void)state;
    /* a recurring card makes the document version 2 */
    assert_memory_equal(j,
                        "{\"format\":\"infotaulu.manifest\","
                        "\"format_version\":2,",
                        40);
    assert_non_null(strstr(
        j,
        "\"event\":{\"start\":\"2026-11-24T12:00:00Z\","
        "\"end\":\"2026-12-08T14:00:00Z\",\"free\":true,\"step_free\":true,"
        "\"induction_loop\":false},\"recurrence\":{\"freq\":\"weekly\","
        "\"interval\":1,\"byday\":[\"TU\"],\"until\":\"2026-12-15\","
        "\"start\":\"14:00\",\"end\":\"16:00\"},\"occurrences\":[{\"start\":"
        "\"2026-11-24T12:00:00Z\",\"end\":\"2026-11-24T14:00:00Z\"},{"
        "\"start\":\"2026-12-01T12:00:00Z\",\"end\":\"2026-12-01T14:00:00Z\","
        "\"cancelled\":true},{\"start\":\"2026-12-08T12:00:00Z\",\"end\":"
        "\"2026-12-08T14:00:00Z\"}]}"));
    assert_int_equal(taulu_manifest_parse(j, strlen(j), &m, NULL), 0);
    assert_int_equal(taulu_manifest_format_version(m), 2);
    c = &m->cards[1];
    assert_non_null(c->recur);
    assert_int_equal(c->recur->rule.days[0].wday, 2);
    assert_int_equal(c->recur->end_min, 960);
    assert_int_equal(c->n_occurrences, 3);
    assert_true(c->occurrences[1].cancelled);
    assert_false(c->occurrences[2].cancelled);
    assert_null(m->cards[0].recur);
    again = write_json(m);
    assert_string_equal(again, j);
    free(again);
    taulu_manifest_free(m);
    free(j);
    /* monthly, "last Friday", an end at midnight */
    accept_recur("\"freq\":\"weekly\",\"interval\":1,\"byday\":[\"TU\"]",
                 "\"freq\":\"monthly\",\"interval\":1,\"byday\":[\"1MO\","
                 "\"-1FR\"]");
    accept_recur("\"end\":\"16:00\"", "\"end\":\"24:00\"");
    accept_recur("\"end\":\"16:00\"", "\"end\":\"01:00\"");
    /* cancelled false is the same as absent (and not written back) */
    accept_recur("\"cancelled\":true", "\"cancelled\":false");
}

/* A version 1 document does not have recurring events: the members are
 * unknown there and ignored, as a version 1 player ignores them; the
 * card is its one event. A version 1 writer never writes them. */
static void test_recur_in_version_1_ignored(void **state)
{
    struct taulu_manifest *m = NULL;
    char *v2 = recur_json();
    char *v1 = edit(v2, "\"format_version\":2", "\"format_version\":1");
    char *again;

    (void)state;
    assert_int_equal(taulu_manifest_parse(v1, strlen(v1), &m, NULL), 0);
    assert_null(m->cards[1].recur);
    assert_int_equal(m->cards[1].n_occurrences, 0);
    assert_int_equal(taulu_manifest_format_version(m), 1);
    again = write_json(m);
    assert_null(strstr(again, "recurrence"));
    assert_memory_equal(again,
                        "{\"format\":\"infotaulu.manifest\","
                        "\"format_version\":1,",
                        40);
    free(again);
    taulu_manifest_free(m);
    free(v1);
    free(v2);
}

/* What a version 1 player sees in a version 2 document: its reader reads
 * "format" and "format_version" first and refuses any version but 1 as
 * TAULU_EVERSION before it looks at anything else, and keeps its last good
 * manifest. For that the document must get that far: within the limits a
 * version 1 reader applies before the version (depth 5, 64 members per
 * object, the value count), whatever the occurrences. */
static void test_recur_within_version_1_limits(void **state)
{
    struct taulu_manifest *m = build_recur();
    struct taulu_card *c = &m->cards[1];
    struct taulu_buf b;
    cJSON *root = NULL;
    size_t i;
    static const struct taulu_json_limits v1_limits = {4u * 1024u * 1024u, 5,
                                                       64, 200000};

    (void)state;
    /* every card recurring, with the most occurrences a card may have */
    c->occurrences = taulu_manifest_alloc(m, TAULU_MANIFEST_MAX_OCCURRENCES *
                                                 sizeof *c->occurrences);
    c->n_occurrences = TAULU_MANIFEST_MAX_OCCURRENCES;
    for (i = 0; i < c->n_occurrences; i++) {
        c->occurrences[i].start = T("2026-11-24T12:00:00Z") + 7 * 86400 * i;
        c->occurrences[i].end = c->occurrences[i].start + 7200;
        c->occurrences[i].cancelled = i % 2;
    }
    c->event.start = c->occurrences[0].start;
    c->event.end = c->occurrences[c->n_occurrences - 1].end;
    c->display_until = c->event.end;
    taulu_buf_init(&b, TAULU_MANIFEST_MAX_BYTES);
    assert_int_equal(taulu_manifest_write(m, &b), 0);
    assert_int_equal(taulu_json_parse(b.data, b.len, &v1_limits, &root, NULL),
                     0);
    cJSON_Delete(root);
    taulu_buf_release(&b);
    taulu_manifest_free(m);
}

static void test_recur_rejects(void **state)
{
    char *base, *j;

    (void)state;
    /* a rule for an event only; occurrences only with a rule */
    reject_recur("\"kind\":\"event\"", "\"kind\":\"bulletin\"", TAULU_EVALUE,
                 "cards[1].event");
    base = recur_json();
    j = edit(base,
             "\"recurrence\":{\"freq\":\"weekly\",\"interval\":1,"
             "\"byday\":[\"TU\"],\"until\":\"2026-12-15\",\"start\":"
             "\"14:00\",\"end\":\"16:00\"},",
             "");
    expect(j, TAULU_EVALUE, "cards[1].occurrences");
    free(j);
    j = edit(base, ",\"occurrences\":[", ",\"occurrences_\":[");
    expect(j, TAULU_EVALUE, "cards[1].occurrences");
    free(j);
    free(base);
    /* the rule */
    reject_recur("\"freq\":\"weekly\"", "\"freq\":\"daily\"", TAULU_EVALUE,
                 "cards[1].recurrence.freq");
    reject_recur("\"interval\":1", "\"interval\":5", TAULU_EVALUE,
                 "cards[1].recurrence.interval");
    reject_recur("\"interval\":1", "\"interval\":\"1\"", TAULU_ETYPE,
                 "cards[1].recurrence.interval");
    reject_recur("\"byday\":[\"TU\"]", "\"byday\":[\"1TU\"]", TAULU_EVALUE,
                 "cards[1].recurrence.byday[0]");
    reject_recur("\"byday\":[\"TU\"]", "\"byday\":[\"TUE\"]", TAULU_EVALUE,
                 "cards[1].recurrence.byday[0]");
    reject_recur("\"byday\":[\"TU\"]", "\"byday\":[\"TU\",7]", TAULU_ETYPE,
                 "cards[1].recurrence.byday[1]");
    reject_recur("\"byday\":[\"TU\"]", "\"byday\":[\"TU\",\"TU\"]",
                 TAULU_EVALUE, "cards[1].recurrence.byday[1]");
    reject_recur("\"byday\":[\"TU\"]", "\"byday\":[]", TAULU_EVALUE,
                 "cards[1].recurrence.byday");
    reject_recur("\"freq\":\"weekly\",\"interval\":1",
                 "\"freq\":\"monthly\",\"interval\":2", TAULU_EVALUE,
                 "cards[1].recurrence.interval");
    reject_recur("\"until\":\"2026-12-15\"", "\"until\":\"2026-12-32\"",
                 TAULU_EVALUE, "cards[1].recurrence.until");
    reject_recur(",\"until\":\"2026-12-15\"", "", TAULU_EMISSING,
                 "cards[1].recurrence.until");
    reject_recur("\"start\":\"14:00\"", "\"start\":\"24:00\"", TAULU_EVALUE,
                 "cards[1].recurrence.start");
    reject_recur("\"end\":\"16:00\"", "\"end\":\"14:00\"", TAULU_EVALUE,
                 "cards[1].recurrence.end");
    /* the occurrences */
    reject_recur("\"end\":\"2026-11-24T14:00:00Z\"}",
                 "\"end\":\"2026-11-24T12:00:00Z\"}", TAULU_EVALUE,
                 "cards[1].occurrences[0].end");
    reject_recur("\"start\":\"2026-12-01T12:00:00Z\"",
                 "\"start\":\"2026-11-24T13:00:00Z\"", TAULU_EVALUE,
                 "cards[1].occurrences[1].start");
    reject_recur("\"cancelled\":true", "\"cancelled\":1", TAULU_ETYPE,
                 "cards[1].occurrences[1].cancelled");
    reject_recur("{\"start\":\"2026-12-08T12:00:00Z\"",
                 "{\"start\":\"2026-12-08T12:00:00+02:00\"", TAULU_EVALUE,
                 "cards[1].occurrences[2].start");
    /* the event spans them */
    reject_recur("\"event\":{\"start\":\"2026-11-24T12:00:00Z\"",
                 "\"event\":{\"start\":\"2026-11-24T11:00:00Z\"", TAULU_EVALUE,
                 "cards[1].event.start");
    reject_recur("\"end\":\"2026-12-08T14:00:00Z\",\"free\"",
                 "\"end\":\"2026-12-08T15:00:00Z\",\"free\"", TAULU_EVALUE,
                 "cards[1].event.end");
}

static void test_recur_limits_and_writer(void **state)
{
    struct taulu_manifest *m = build_recur();
    struct taulu_card *c = &m->cards[1];
    struct taulu_card_recur *r = taulu_manifest_alloc(m, sizeof *r);
    struct taulu_buf why;
    size_t i;

    (void)state;
    assert_non_null(r);
    *r = *c->recur;
    c->recur = r;
    taulu_buf_init(&why, 4096);
    c->occurrences = taulu_manifest_alloc(
        m, (TAULU_MANIFEST_MAX_OCCURRENCES + 1) * sizeof *c->occurrences);
    for (i = 0; i <= TAULU_MANIFEST_MAX_OCCURRENCES; i++) {
        c->occurrences[i].start = T("2026-11-24T12:00:00Z") + 86400 * i;
        c->occurrences[i].end = c->occurrences[i].start + 3600;
    }
    c->event.start = c->occurrences[0].start;
    c->n_occurrences = TAULU_MANIFEST_MAX_OCCURRENCES;
    c->event.end = c->occurrences[c->n_occurrences - 1].end;
    c->display_until = c->event.end;
    assert_int_equal(taulu_manifest_validate(m, &why), 0);
    c->n_occurrences++;
    c->event.end = c->occurrences[c->n_occurrences - 1].end;
    assert_int_equal(taulu_manifest_validate(m, &why), TAULU_ELIMIT);
    assert_string_equal(why.data,
                        "cards[1].occurrences: too many items (65 > 64)");
    c->n_occurrences--;
    c->event.end = c->occurrences[c->n_occurrences - 1].end;
    /* exdates are not carried: the builder leaves them out */
    r->rule.exdates[0] = r->rule.until;
    r->rule.n_exdates = 1;
    taulu_buf_reset(&why);
    assert_int_equal(taulu_manifest_validate(m, &why), TAULU_EVALUE);
    assert_string_equal(
        why.data,
        "cards[1].recurrence.exdates: not carried: the occurrences leave "
        "them out");
    r->rule.n_exdates = 0;
    /* no occurrences listed */
    c->n_occurrences = 0;
    taulu_buf_reset(&why);
    assert_int_equal(taulu_manifest_validate(m, &why), TAULU_EVALUE);
    taulu_buf_release(&why);
    taulu_manifest_free(m);
}

static void test_recur_helpers(void **state)
{
    struct taulu_manifest *m = build_recur();
    const struct taulu_card *c = &m->cards[1], *b = &m->cards[0];
    struct taulu_occurrence o;

    (void)state;
    /* the next one, cancelled or not, until it ends */
    assert_int_equal(taulu_card_occurrence(c, T("2026-11-20T00:00:00Z"), &o),
                     0);
    assert_int_equal(o.start, T("2026-11-24T12:00:00Z"));
    assert_int_equal(taulu_card_occurrence(c, T("2026-11-24T13:59:59Z"), &o),
                     0);
    assert_int_equal(taulu_card_occurrence(c, T("2026-11-24T14:00:00Z"), &o),
                     1);
    assert_true(o.cancelled);
    assert_int_equal(taulu_card_occurrence(c, T("2026-12-01T14:00:00Z"), &o),
                     2);
    assert_false(o.cancelled);
    assert_int_equal(taulu_card_occurrence(c, T("2026-12-08T14:00:00Z"), &o),
                     -1);
    /* current until the last occurrence ends */
    assert_true(taulu_card_is_current(c, T("2026-12-08T13:59:59Z")));
    assert_false(taulu_card_is_current(c, T("2026-12-08T14:00:00Z")));
    /* a one-off event and a bulletin */
    assert_int_equal(taulu_card_occurrence(b, T("2026-11-20T00:00:00Z"), &o),
                     -1);
    m->cards[1].recur = NULL;
    m->cards[1].n_occurrences = 0;
    m->cards[1].occurrences = NULL;
    m->cards[1].event.end = T("2026-11-24T14:00:00Z");
    assert_int_equal(taulu_card_occurrence(c, T("2026-11-24T13:00:00Z"), &o),
                     0);
    assert_int_equal(o.end, T("2026-11-24T14:00:00Z"));
    assert_int_equal(taulu_card_occurrence(c, T("2026-11-24T14:00:00Z"), &o),
                     -1);
    assert_int_equal(taulu_manifest_format_version(m), 1);
    taulu_manifest_free(m);
}

/* The fuzz corpus (tests/fuzz/corpus/manifest) says by its names what
 * each seed is: every valid-*.json is read, every bad-*.json refused. */
static void test_corpus_names(void **state)
{
    const char *src = getenv("TAULU_SOURCE_DIR");
    char dir[1024], path[1400];
    struct dirent *de;
    size_t valid = 0, bad = 0;
    DIR *d;

    (void)state;
    assert_non_null(src);
    snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/manifest", src);
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        size_t len = strlen(n);
        struct taulu_buf b, why;
        int rc;

        if (len < 5 || strcmp(n + len - 5, ".json") != 0) {
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", dir, n);
        taulu_buf_init(&b, TAULU_MANIFEST_MAX_BYTES + 1);
        taulu_buf_init(&why, 4096);
        assert_int_equal(taulu_file_read(path, &b), 0);
        rc = parse_len(b.data, b.len, &why);
        if (strncmp(n, "valid-", 6) == 0) {
            if (rc != 0) {
                print_error("%s: %s\n", n, why.data);
            }
            assert_int_equal(rc, 0);
            valid++;
        } else {
            assert_int_equal(strncmp(n, "bad-", 4), 0);
            if (rc == 0) {
                print_error("%s was read\n", n);
            }
            assert_int_not_equal(rc, 0);
            bad++;
        }
        taulu_buf_release(&b);
        taulu_buf_release(&why);
    }
    closedir(d);
    assert_true(valid >= 8);
    assert_true(bad >= 14);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_summary_and_short_names),
        cmocka_unit_test(test_loop_budget),
        cmocka_unit_test(test_unknown_members_ignored),
        cmocka_unit_test(test_writer_refuses_invalid),
        cmocka_unit_test(test_reject_format),
        cmocka_unit_test(test_reject_json),
        cmocka_unit_test(test_reject_missing),
        cmocka_unit_test(test_reject_types),
        cmocka_unit_test(test_reject_ranges),
        cmocka_unit_test(test_reject_times),
        cmocka_unit_test(test_time_functions),
        cmocka_unit_test(test_hhmm),
        cmocka_unit_test(test_reject_strings),
        cmocka_unit_test(test_reject_duplicate_keys),
        cmocka_unit_test(test_reject_depth_and_members),
        cmocka_unit_test(test_reject_ids),
        cmocka_unit_test(test_reject_enums),
        cmocka_unit_test(test_reject_event_rules),
        cmocka_unit_test(test_reject_image_and_assets),
        cmocka_unit_test(test_reject_links),
        cmocka_unit_test(test_reject_versions),
        cmocka_unit_test(test_limits_strings),
        cmocka_unit_test(test_format2_texts),
        cmocka_unit_test(test_opening_hours_formats),
        cmocka_unit_test(test_limits_counts),
        cmocka_unit_test(test_limit_document_size),
        cmocka_unit_test(test_limit_values),
        cmocka_unit_test(test_sign_open),
        cmocka_unit_test(test_sign_refusals),
        cmocka_unit_test(test_sign_every_byte),
        cmocka_unit_test(test_sign_limits),
        cmocka_unit_test(test_helpers),
        cmocka_unit_test(test_recur_round_trip),
        cmocka_unit_test(test_recur_in_version_1_ignored),
        cmocka_unit_test(test_recur_within_version_1_limits),
        cmocka_unit_test(test_recur_rejects),
        cmocka_unit_test(test_recur_limits_and_writer),
        cmocka_unit_test(test_recur_helpers),
        cmocka_unit_test(test_corpus_names),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
