/*
 * test_srv_manifest.c: the manifest builder as a pure function: what goes
 * in (approved, current, approved version only), order, determinism,
 * change digest, signing and the player's check of the result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "srv_manifest.h"
#include "taulu_err.h"
#include "taulu_recur.h"
#include "taulu_proto.h"

#define H 3600
/* 2026-12-01T10:00:00Z */
#define NOW 1795989600LL

static const struct srv_snap_text memory_fi[] = {{
    .lang = "fi",
    .plain = true,
    .title = "Muistikahvila",
    .body = "Tule juttelemaan ja juomaan kahvia. Voit tuoda läheisen mukaan.",
    .place = "Seurakuntatalo",
    .price = "Maksuton",
}};
static const struct srv_snap_text food_texts[] = {
    {.lang = "sv", .title = "Matutdelning", .body = "Gratis mat."},
    {.lang = "fi", .title = "Ruoka-apu", .body = "Ilmaista ruokaa."},
    {.lang = "en", .title = "Food aid", .body = "Free food."},
};
static const struct srv_snap_text long_title[] = {{
    .lang = "fi",
    .title = "x", /* replaced in the test by a too-long title */
    .body = "",
}};
static const struct srv_snap_text with_image[] = {{
    .lang = "fi",
    .title = "Vapaaehtoisia tarvitaan",
    .body = "Tule mukaan.",
    .image_alt = "Kaksi ihmistä juo kahvia.",
}};
static const struct srv_snap_text alert_fi[] = {
    {.lang = "fi", .title = "Vesi on poikki", .body = "Vesi palaa kello 13."}};

static struct srv_snap_item items[] = {
    {.id = 1,
     .version = 1,
     .kind = TAULU_CARD_EVENT,
     .category = "health",
     .org_name = "Muistiyhdistys",
     .event_start = NOW + 4 * H,
     .event_end = NOW + 6 * H,
     .free = TAULU_FLAG_YES,
     .step_free = TAULU_FLAG_YES,
     .link = "https://example.org/muisti",
     .texts = memory_fi,
     .n_texts = 1},
    {.id = 2,
     .version = 3,
     .kind = TAULU_CARD_BULLETIN,
     .category = "livelihood",
     .org_name = "Seurakunta",
     .link = "https://example.org/ruoka",
     .texts = food_texts,
     .n_texts = 3},
    /* Edited after approval: version 2 is waiting, 1 was approved. */
    {.id = 3,
     .version = 2,
     .kind = TAULU_CARD_BULLETIN,
     .category = "leisure",
     .org_name = "X",
     .link = "https://phishing.example/",
     .texts = memory_fi,
     .n_texts = 1},
    /* An event that has ended. */
    {.id = 4,
     .version = 1,
     .kind = TAULU_CARD_EVENT,
     .category = "health",
     .org_name = "Y",
     .event_start = NOW - 3 * H,
     .event_end = NOW - H,
     .texts = memory_fi,
     .n_texts = 1},
    {.id = 5,
     .version = 1,
     .kind = TAULU_CARD_BULLETIN,
     .category = "health",
     .org_name = "Z",
     .texts = long_title,
     .n_texts = 1},
    {.id = 6,
     .version = 1,
     .kind = TAULU_CARD_BULLETIN,
     .category = "work",
     .org_name = "W",
     .image_sha256 =
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     .texts = with_image,
     .n_texts = 1},
};

static const struct srv_snap_asset assets[] = {
    {.sha256 =
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     .size = 1234,
     .type = TAULU_MEDIA_PNG,
     .width = 640,
     .height = 480},
};

static struct srv_snap_placement placements[] = {
    {.id = 11,
     .approved = true,
     .approved_version = 1,
     .display_from = NOW - H,
     .display_until = NOW + 6 * H,
     .item = &items[0]},
    {.id = 12,
     .approved = true,
     .approved_version = 3,
     .display_from = NOW - 2 * H,
     .display_until = NOW + 48 * H,
     .item = &items[1]},
    {.id = 13,
     .approved = true,
     .approved_version = 1,
     .display_from = NOW - H,
     .display_until = NOW + 48 * H,
     .item = &items[2]},
    {.id = 14,
     .approved = true,
     .approved_version = 1,
     .display_from = NOW - 5 * H,
     .display_until = NOW + 48 * H,
     .item = &items[3]},
    /* Submitted, not decided. */
    {.id = 15,
     .approved = false,
     .approved_version = 0,
     .display_from = NOW - H,
     .display_until = NOW + H,
     .item = &items[1]},
    /* Approved, window opens in two hours. */
    {.id = 16,
     .approved = true,
     .approved_version = 1,
     .display_from = NOW + 2 * H,
     .display_until = NOW + 10 * H,
     .item = &items[5]},
};

static struct srv_snap_alert alerts[] = {
    {.id = 1,
     .centre_id = 7,
     .from = NOW - 60,
     .until = NOW + 3 * H,
     .texts = alert_fi,
     .n_texts = 1},
    {.id = 2,
     .centre_id = 8,
     .from = NOW - 60,
     .until = NOW + 3 * H,
     .texts = alert_fi,
     .n_texts = 1},
    {.id = 3,
     .centre_id = 0,
     .from = NOW - 120,
     .until = NOW + H,
     .texts = alert_fi,
     .n_texts = 1},
    /* Ended by hand. */
    {.id = 4,
     .centre_id = 7,
     .from = NOW - 60,
     .until = NOW + 3 * H,
     .ended_at = NOW - 1,
     .texts = alert_fi,
     .n_texts = 1},
};

static void snapshot(struct srv_snapshot *s)
{
    memset(s, 0, sizeof *s);
    s->centre_db_id = 7;
    s->centre.id = "c7";
    s->centre.name[0].lang[0] = 'f';
    s->centre.name[0].lang[1] = 'i';
    s->centre.name[0].text = "Tuiran hyvinvointikeskus";
    s->centre.n_name = 1;
    s->centre.timezone = "Europe/Helsinki";
    memcpy(s->centre.languages[0], "fi", 3);
    memcpy(s->centre.languages[1], "sv", 3);
    s->centre.n_languages = 2;
    s->placements = placements;
    s->n_placements = 4; /* 5 and 6 added where needed */
    s->alerts = alerts;
    s->n_alerts = 4;
    s->assets = assets;
    s->n_assets = 1;
}

static const struct taulu_profile profile = {1920, 1080, TAULU_LANDSCAPE, 550,
                                             3000};

static int setup(void **state)
{
    (void)state;
    assert_int_equal(taulu_crypto_init(), 0);
    return 0;
}

static struct taulu_manifest *build(const struct srv_snapshot *s, int64_t now,
                                    struct srv_manifest_refusals *refused)
{
    struct taulu_manifest *m = taulu_manifest_new();

    assert_non_null(m);
    assert_int_equal(srv_manifest_build_content(s, now, m, refused), 0);
    return m;
}

static void test_what_goes_in(void **state)
{
    struct srv_snapshot s;
    struct taulu_manifest *c;
    struct srv_manifest_refusals refused = {0};

    (void)state;
    snapshot(&s);
    s.n_placements = 6;
    c = build(&s, NOW, &refused);
    assert_int_equal(refused.n, 0);
    srv_manifest_refusals_release(&refused);
    /* The event (1) and the bulletin (2): not the edited one (3), not the
     * ended event (4), not the submitted one, not the future window (6). */
    assert_int_equal(c->n_cards, 2);
    assert_string_equal(c->cards[0].id, "i1");
    assert_true(c->cards[0].has_event);
    assert_string_equal(c->cards[0].link, "https://example.org/muisti");
    assert_string_equal(c->cards[1].id, "i2");
    /* Versions in the centre's languages and order: fi, sv; not en. */
    assert_int_equal(c->cards[1].n_versions, 2);
    assert_string_equal(c->cards[1].versions[0].lang, "fi");
    assert_string_equal(c->cards[1].versions[1].lang, "sv");
    assert_int_equal(c->n_assets, 0);
    /* Alerts of centre 7 and of all centres, not centre 8's, not the one
     * ended by hand; by start. */
    assert_int_equal(c->n_alerts, 2);
    assert_string_equal(c->alerts[0].id, "a3");
    assert_string_equal(c->alerts[1].id, "a1");
    taulu_manifest_free(c);

    /* Two hours later the image card's window has opened, with its asset;
     * alert 3 has ended. */
    c = build(&s, NOW + 2 * H, NULL);
    assert_int_equal(c->n_cards, 3);
    /* Bulletins newest first: the image card before the food aid. */
    assert_string_equal(c->cards[1].id, "i6");
    assert_string_equal(c->cards[2].id, "i2");
    assert_true(c->cards[1].has_image);
    assert_int_equal(c->n_assets, 1);
    assert_int_equal(c->assets[0].size, 1234);
    assert_string_equal(c->cards[1].versions[0].image_alt,
                        "Kaksi ihmistä juo kahvia.");
    assert_int_equal(c->n_alerts, 1);
    taulu_manifest_free(c);

    /* At the event's end it is gone. */
    c = build(&s, NOW + 6 * H, NULL);
    assert_int_equal(c->n_cards, 2);
    assert_string_equal(c->cards[0].id, "i6");
    assert_string_equal(c->cards[1].id, "i2");
    taulu_manifest_free(c);
}

/* The phishing link of an edited item never reaches a screen while the
 * edit waits for review; once re-approved it does. */
static void test_link_only_when_approved(void **state)
{
    struct srv_snapshot s;
    struct srv_snap_placement p = placements[2];
    struct taulu_manifest *c;

    (void)state;
    snapshot(&s);
    s.placements = &p;
    s.n_placements = 1;
    c = build(&s, NOW, NULL);
    assert_int_equal(c->n_cards, 0);
    taulu_manifest_free(c);
    p.approved_version = 2;
    c = build(&s, NOW, NULL);
    assert_int_equal(c->n_cards, 1);
    assert_string_equal(c->cards[0].link, "https://phishing.example/");
    taulu_manifest_free(c);
}

static void test_bad_card_is_dropped_alone(void **state)
{
    struct srv_snapshot s;
    struct srv_snap_placement p[2];
    struct srv_snap_text t = long_title[0];
    struct srv_snap_item it = items[4];
    char *title = malloc(TAULU_MANIFEST_MAX_TITLE + 2);
    struct taulu_manifest *c, m;
    struct taulu_buf out;
    struct srv_manifest_refusals refused = {0};

    (void)state;
    assert_non_null(title);
    memset(title, 'a', TAULU_MANIFEST_MAX_TITLE + 1);
    title[TAULU_MANIFEST_MAX_TITLE + 1] = '\0';
    t.title = title;
    it.texts = &t;
    p[0] = placements[0];
    p[1] = placements[0];
    p[1].id = 99;
    p[1].item = &it;
    snapshot(&s);
    s.placements = p;
    s.n_placements = 2;
    c = build(&s, NOW, &refused);
    /* Left out alone, and never silently: which item and why. */
    assert_int_equal(refused.n, 1);
    assert_false(refused.v[0].alert);
    assert_int_equal(refused.v[0].id, it.id);
    assert_int_equal(refused.v[0].placement_id, 99);
    assert_non_null(strstr(refused.v[0].reason, "versions[0].title: too long"));
    assert_null(strstr(refused.v[0].reason, "cards[0]"));
    srv_manifest_refusals_release(&refused);
    assert_int_equal(c->n_cards, 1);
    srv_manifest_for_screen(c, "screen-1", &profile, 1, NOW, &m);
    taulu_buf_init(&out, TAULU_MANIFEST_MAX_BYTES);
    assert_int_equal(taulu_manifest_write(&m, &out), 0);
    taulu_buf_release(&out);
    taulu_manifest_free(c);
    free(title);
}

static void test_deterministic_and_order_independent(void **state)
{
    struct srv_snapshot s;
    struct srv_snap_placement rev[4];
    struct srv_snap_alert arev[4];
    struct taulu_manifest *a, *b, ma, mb;
    struct taulu_buf ba, bb;
    size_t i;

    (void)state;
    snapshot(&s);
    a = build(&s, NOW, NULL);
    for (i = 0; i < 4; i++) {
        rev[i] = placements[3 - i];
        arev[i] = alerts[3 - i];
    }
    s.placements = rev;
    s.alerts = arev;
    b = build(&s, NOW, NULL);
    srv_manifest_for_screen(a, "screen-1", &profile, 5, NOW, &ma);
    srv_manifest_for_screen(b, "screen-1", &profile, 5, NOW, &mb);
    taulu_buf_init(&ba, TAULU_MANIFEST_MAX_BYTES);
    taulu_buf_init(&bb, TAULU_MANIFEST_MAX_BYTES);
    assert_int_equal(taulu_manifest_write(&ma, &ba), 0);
    assert_int_equal(taulu_manifest_write(&mb, &bb), 0);
    assert_int_equal(ba.len, bb.len);
    assert_memory_equal(ba.data, bb.data, ba.len);
    taulu_buf_release(&ba);
    taulu_buf_release(&bb);
    taulu_manifest_free(a);
    taulu_manifest_free(b);
}

static void test_digest_ignores_seq_and_time(void **state)
{
    struct srv_snapshot s;
    struct taulu_manifest *c, m1, m2;
    struct taulu_buf scratch;
    char d1[65], d2[65], d3[65];

    (void)state;
    snapshot(&s);
    c = build(&s, NOW, NULL);
    taulu_buf_init(&scratch, TAULU_MANIFEST_MAX_BYTES);
    srv_manifest_for_screen(c, "screen-1", &profile, 1, NOW, &m1);
    srv_manifest_for_screen(c, "screen-1", &profile, 9, NOW + 500, &m2);
    assert_int_equal(srv_manifest_digest(&m1, &scratch, d1, NULL), 0);
    assert_int_equal(srv_manifest_digest(&m2, &scratch, d2, NULL), 0);
    assert_string_equal(d1, d2);
    /* Another screen of the same centre: another digest (its id is in). */
    srv_manifest_for_screen(c, "screen-2", &profile, 1, NOW, &m2);
    assert_int_equal(srv_manifest_digest(&m2, &scratch, d3, NULL), 0);
    assert_string_not_equal(d1, d3);
    taulu_buf_release(&scratch);
    taulu_manifest_free(c);
}

static void test_sign_and_player_check(void **state)
{
    struct srv_snapshot s;
    struct taulu_manifest *c, m, *got = NULL;
    struct taulu_buf scratch, blob, why;
    uint8_t pk[TAULU_SIGN_PK_LEN], sk[TAULU_SIGN_SK_LEN];
    char sha[65];

    (void)state;
    assert_int_equal(taulu_sign_keypair(pk, sk), 0);
    snapshot(&s);
    c = build(&s, NOW, NULL);
    srv_manifest_for_screen(c, "screen-3", &profile, 42, NOW, &m);
    taulu_buf_init(&scratch, TAULU_MANIFEST_MAX_BYTES);
    taulu_buf_init(&blob, TAULU_MANIFEST_SIGNED_MAX_BYTES);
    taulu_buf_init(&why, 4096);
    assert_int_equal(srv_manifest_sign(&m, sk, &scratch, &blob, sha, NULL), 0);
    assert_int_equal(taulu_manifest_load_signed(blob.data, blob.len, pk, sha,
                                                "screen-3", 42, &got, &why),
                     0);
    assert_int_equal(got->seq, 42);
    assert_int_equal(got->n_cards, 2);
    assert_string_equal(got->cards[0].versions[0].title, "Muistikahvila");
    assert_string_equal(got->centre.name[0].text, "Tuiran hyvinvointikeskus");
    taulu_manifest_free(got);
    /* One flipped byte in the text: refused. */
    blob.data[blob.len - 10] ^= 1;
    assert_int_not_equal(taulu_manifest_load_signed(blob.data, blob.len, pk,
                                                    NULL, "screen-3", 0, &got,
                                                    NULL),
                         0);
    assert_null(got);
    taulu_buf_release(&scratch);
    taulu_buf_release(&blob);
    taulu_buf_release(&why);
    taulu_manifest_free(c);
}

static void test_next_change(void **state)
{
    struct srv_snapshot s;

    (void)state;
    snapshot(&s);
    s.n_placements = 6;
    /* alert 3 ends at NOW + H, the first boundary after NOW. */
    assert_int_equal(srv_manifest_next_change(&s, NOW), NOW + H);
    /* then the image card's window opens */
    assert_int_equal(srv_manifest_next_change(&s, NOW + H), NOW + 2 * H);
    s.n_alerts = 0;
    s.n_placements = 0;
    assert_int_equal(srv_manifest_next_change(&s, NOW), INT64_MAX);
}

/* With public_url, every card's link (its QR code) is the item's page on
 * the centre's public pages, also for an item without a link of its own;
 * a trailing '/' of the base is not doubled. */
static void test_link_to_public_page(void **state)
{
    struct srv_snapshot s;
    struct taulu_manifest *c;

    (void)state;
    snapshot(&s);
    s.public_base = "https://infotaulu.pohde.fi/";
    c = build(&s, NOW, NULL);
    assert_int_equal(c->n_cards, 2);
    /* the short address of the same page (docs/public-page.md): a
     * shorter link is a coarser QR code */
    assert_string_equal(c->cards[0].link, "https://infotaulu.pohde.fi/p/7/1");
    assert_string_equal(c->cards[1].link, "https://infotaulu.pohde.fi/p/7/2");
    {
        /* a link the players accept */
        struct taulu_manifest m;
        srv_manifest_for_screen(c, "screen-1", &profile, 1, NOW, &m);
        assert_int_equal(taulu_manifest_validate(&m, NULL), 0);
    }
    taulu_manifest_free(c);
}

/* Opening hours that change by themselves (a holiday entering the week)
 * are a boundary like any other. */
static void test_hours_change_is_a_boundary(void **state)
{
    struct srv_snapshot s;

    (void)state;
    snapshot(&s);
    s.n_alerts = 0;
    s.n_placements = 0;
    s.hours_until = NOW + 5 * H;
    assert_int_equal(srv_manifest_next_change(&s, NOW), NOW + 5 * H);
    assert_int_equal(srv_manifest_next_change(&s, NOW + 5 * H), INT64_MAX);
}

static void test_wire_ids(void **state)
{
    char id[SRV_WIRE_ID_MAX];
    int64_t v;

    (void)state;
    assert_int_equal(srv_screen_wire_id(17, id), 0);
    assert_string_equal(id, "screen-17");
    assert_true(taulu_proto_screen_id_valid(id));
    assert_int_equal(srv_screen_id_parse(id, &v), 0);
    assert_int_equal(v, 17);
    assert_int_equal(srv_screen_id_parse("screen-017", &v), TAULU_EVALUE);
    assert_int_equal(srv_screen_id_parse("screen-1x", &v), TAULU_EVALUE);
    assert_int_equal(srv_screen_id_parse("screen-", &v), TAULU_EVALUE);
    assert_int_equal(srv_screen_id_parse("screen-99999999999999999999999", &v),
                     TAULU_EVALUE);
    assert_int_equal(srv_item_wire_id(0, id), TAULU_EINVAL);
}

/* ---- recurring events ---- */

static int64_t hel(int y, int mo, int d, int h, int mi)
{
    int64_t t = 0;

    assert_int_equal(
        taulu_time_from_civil(&taulu_tz_helsinki, y, mo, d, h, mi, 0, &t), 0);
    return t;
}

static int64_t day_of(const char *s)
{
    int64_t d = 0;

    assert_int_equal(taulu_recur_date_parse(s, &d), 0);
    return d;
}

/* The memory café every Tuesday 14-16 (NOW is Tuesday 1.12.2026 at 12
 * local) until 30.3.2027, across the spring change of 28.3.2027; 8.12.
 * cancelled, 29.12. no meeting. */
static void cafe_series(struct taulu_series *sr)
{
    memset(sr, 0, sizeof *sr);
    sr->rule.freq = TAULU_RECUR_WEEKLY;
    sr->rule.interval = 1;
    sr->rule.days[0].wday = 2;
    sr->rule.n_days = 1;
    sr->rule.until = day_of("2027-03-30");
    sr->rule.exdates[0] = day_of("2026-12-29");
    sr->rule.n_exdates = 1;
    sr->start = hel(2026, 12, 1, 14, 0);
    sr->end = hel(2026, 12, 1, 16, 0);
    sr->cancelled[0] = day_of("2026-12-08");
    sr->n_cancelled = 1;
    assert_int_equal(taulu_series_check(sr, &taulu_tz_helsinki, NULL), 0);
}

static void recurring_snapshot(struct srv_snapshot *s,
                               struct srv_snap_placement *p,
                               struct srv_snap_item *it,
                               const struct taulu_series *sr)
{
    snapshot(s);
    *it = items[0];
    it->id = 9;
    it->event_start = sr->start;
    it->event_end = sr->end;
    it->series = sr;
    memset(p, 0, sizeof *p);
    p->id = 19;
    p->approved = true;
    p->approved_version = 1;
    p->display_from = NOW - H;
    p->display_until = hel(2027, 3, 31, 0, 0);
    p->item = it;
    s->placements = p;
    s->n_placements = 1;
    s->n_alerts = 0;
}

static void test_recurring_card(void **state)
{
    struct taulu_series sr;
    struct srv_snap_item it;
    struct srv_snap_placement p;
    struct srv_snapshot s;
    struct taulu_manifest *c, framed;
    const struct taulu_card *card;
    struct taulu_buf out;

    (void)state;
    cafe_series(&sr);
    recurring_snapshot(&s, &p, &it, &sr);
    c = build(&s, NOW, NULL);
    assert_int_equal(c->n_cards, 1);
    card = &c->cards[0];
    assert_non_null(card->recur);
    assert_int_equal(card->recur->start_min, 14 * 60);
    assert_int_equal(card->recur->end_min, 16 * 60);
    assert_int_equal(card->recur->rule.n_exdates, 0);
    /* 18 Tuesdays from 1.12. to 30.3., less 29.12. */
    assert_int_equal(card->n_occurrences, 17);
    assert_int_equal(card->occurrences[0].start, hel(2026, 12, 1, 14, 0));
    assert_true(card->occurrences[1].cancelled);
    assert_int_equal(card->occurrences[4].start, hel(2027, 1, 5, 14, 0));
    /* 14:00 local on both sides of the spring change */
    assert_int_equal(card->occurrences[15].start, hel(2027, 3, 23, 14, 0));
    assert_int_equal(card->occurrences[16].start, hel(2027, 3, 30, 14, 0));
    assert_int_equal(card->occurrences[16].start - card->occurrences[15].start,
                     7 * 86400 - H);
    assert_int_equal(card->event.start, card->occurrences[0].start);
    assert_int_equal(card->event.end, hel(2027, 3, 30, 16, 0));
    /* a valid version 2 manifest for the screens */
    srv_manifest_for_screen(c, "screen-1", &profile, 1, NOW, &framed);
    assert_int_equal(taulu_manifest_format_version(&framed), 2);
    taulu_buf_init(&out, 1 << 20);
    assert_int_equal(taulu_manifest_write(&framed, &out), 0);
    assert_non_null(strstr(out.data, "\"format_version\":2,"));
    taulu_buf_release(&out);
    taulu_manifest_free(c);

    /* after the first occurrence: it is no longer listed */
    c = build(&s, hel(2026, 12, 1, 16, 0), NULL);
    assert_int_equal(c->cards[0].n_occurrences, 16);
    assert_true(c->cards[0].occurrences[0].cancelled);
    taulu_manifest_free(c);

    /* the approver's shorter window bounds the list */
    p.display_until = hel(2026, 12, 16, 0, 0);
    c = build(&s, NOW, NULL);
    assert_int_equal(c->cards[0].n_occurrences, 3);
    taulu_manifest_free(c);
    p.display_until = hel(2027, 3, 31, 0, 0);

    /* after the last one, no card */
    c = build(&s, hel(2027, 3, 30, 16, 0), NULL);
    assert_int_equal(c->n_cards, 0);
    taulu_manifest_free(c);
}

static void test_recurring_next_change(void **state)
{
    struct taulu_series sr;
    struct srv_snap_item it;
    struct srv_snap_placement p;
    struct srv_snapshot s;
    struct taulu_manifest *c;

    (void)state;
    cafe_series(&sr);
    recurring_snapshot(&s, &p, &it, &sr);
    /* the players move from occurrence to occurrence by themselves: the
     * server wakes only at the series' end (then the window's) */
    assert_int_equal(srv_manifest_next_change(&s, NOW),
                     hel(2027, 3, 30, 16, 0));
    /* every day for 80 days: more than a manifest lists, so the end of
     * the first listed one moves the list on */
    sr.rule.days[0].wday = 1;
    sr.rule.n_days = 7;
    for (int d = 0; d < 7; d++) {
        sr.rule.days[d].wday = d + 1;
    }
    sr.rule.n_exdates = 0;
    sr.n_cancelled = 0;
    sr.rule.until = day_of("2027-02-18");
    assert_int_equal(taulu_series_check(&sr, &taulu_tz_helsinki, NULL), 0);
    assert_int_equal(srv_manifest_next_change(&s, NOW),
                     hel(2026, 12, 1, 16, 0));
    c = build(&s, NOW, NULL);
    assert_int_equal(c->cards[0].n_occurrences, TAULU_MANIFEST_MAX_OCCURRENCES);
    taulu_manifest_free(c);
}

/* A stand-in hyphenator: a soft hyphen after "kah" in every "kahvi", and
 * a failure for the text "fail"; it writes past `max` for the text
 * "long" (the builder must not take that). */
static int fake_soften(void *ctx, const char *lang, const char *s, size_t max,
                       struct taulu_buf *out)
{
    const char *p;

    (void)lang;
    (*(int *)ctx)++;
    if (strcmp(s, "fail") == 0) {
        return TAULU_EINVAL;
    }
    if (strcmp(s, "long") == 0) {
        size_t i;
        for (i = 0; i <= max; i++) {
            taulu_buf_putc(out, 'x');
        }
        return 0;
    }
    for (p = s; *p; p++) {
        taulu_buf_putc(out, *p);
        if (strncmp(p, "kah", 3) == 0 && strncmp(p + 3, "vi", 2) == 0) {
            taulu_buf_puts(out, "ah\xc2\xad");
            p += 2;
        }
    }
    return 0;
}

static const char *keep_dup(void *ctx, const char *s, size_t len)
{
    char *c = malloc(len + 1);

    (void)ctx;
    memcpy(c, s, len);
    c[len] = '\0';
    return c;
}

/* The soft hyphens go into every text the card shows (title, body,
 * summary, place, price, registration, contact), through the one function
 * the fit check uses too; a failing or overlong answer leaves the text as
 * written; the summary and the centre's short names reach the manifest. */
static void test_soft_hyphens_summary_and_short_names(void **state)
{
    static const struct srv_snap_text texts[] = {{
        .lang = "fi",
        .plain = true,
        .title = "Muistikahvila",
        .body = "Tule juomaan kahvia.",
        .summary = "Kahvia ja juttua kahvilassa.",
        .place = "long",
        .price = "fail",
        .registration = "Ei ilmoittautumista",
        .contact = "kahvi@example.fi",
    }};
    struct srv_snap_item it = items[0];
    struct srv_snap_placement p = placements[0];
    struct srv_snapshot s;
    struct taulu_manifest *c;
    struct taulu_card_version v;
    int calls = 0;

    (void)state;
    snapshot(&s);
    memcpy(s.centre.short_name[0].lang, "fi", 3);
    s.centre.short_name[0].text = "Tuira";
    s.centre.n_short_name = 1;
    it.texts = texts;
    it.n_texts = 1;
    p.item = &it;
    s.placements = &p;
    s.n_placements = 1;
    s.soften.text = fake_soften;
    s.soften.ctx = &calls;
    c = build(&s, NOW, NULL);
    assert_int_equal(c->n_cards, 1);
    v = c->cards[0].versions[0];
    assert_string_equal(v.title, "Muistikah\xc2\xadvila");
    assert_string_equal(v.body, "Tule juomaan kah\xc2\xadvia.");
    assert_string_equal(v.summary, "Kahvia ja juttua kah\xc2\xadvilassa.");
    assert_string_equal(v.place, "long"); /* over the limit: as written */
    assert_string_equal(v.price, "fail"); /* the hyphenator failed */
    assert_string_equal(v.registration, "Ei ilmoittautumista");
    assert_string_equal(v.contact, "kah\xc2\xadvi@example.fi");
    assert_string_equal(c->cards[0].link, "https://example.org/muisti");
    assert_int_equal(calls, 7);
    assert_int_equal(c->centre.n_short_name, 1);
    assert_string_equal(c->centre.short_name[0].text, "Tuira");
    {
        /* the writer takes it all (within every limit) */
        struct taulu_buf b, why;
        struct taulu_manifest m;
        taulu_buf_init(&b, TAULU_MANIFEST_MAX_BYTES);
        taulu_buf_init(&why, 1024);
        srv_manifest_for_screen(c, "screen-1", &profile, 1, NOW, &m);
        if (taulu_manifest_write(&m, &b) != 0) {
            taulu_manifest_validate(&m, &why);
            fail_msg("%s", why.data);
        }
        assert_non_null(strstr(b.data, "\"short_name\":{\"fi\":\"Tuira\"}"));
        taulu_buf_release(&b);
        taulu_buf_release(&why);
    }
    taulu_manifest_free(c);

    /* the same function on a version by hand: the same texts */
    memset(&v, 0, sizeof v);
    memcpy(v.lang, "fi", 3);
    v.title = texts[0].title;
    v.body = texts[0].body;
    v.summary = texts[0].summary;
    calls = 0;
    assert_int_equal(srv_manifest_soften(&s.soften, &v, keep_dup, NULL), 0);
    assert_string_equal(v.summary, "Kahvia ja juttua kah\xc2\xadvilassa.");
    assert_int_equal(calls, 3);
    free((char *)(uintptr_t)v.title);
    free((char *)(uintptr_t)v.body);
    free((char *)(uintptr_t)v.summary);
    /* no hyphenator: nothing changes */
    assert_int_equal(srv_manifest_soften(NULL, &v, keep_dup, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_what_goes_in),
        cmocka_unit_test(test_link_only_when_approved),
        cmocka_unit_test(test_bad_card_is_dropped_alone),
        cmocka_unit_test(test_deterministic_and_order_independent),
        cmocka_unit_test(test_digest_ignores_seq_and_time),
        cmocka_unit_test(test_sign_and_player_check),
        cmocka_unit_test(test_next_change),
        cmocka_unit_test(test_wire_ids),
        cmocka_unit_test(test_link_to_public_page),
        cmocka_unit_test(test_hours_change_is_a_boundary),
        cmocka_unit_test(test_recurring_card),
        cmocka_unit_test(test_recurring_next_change),
        cmocka_unit_test(test_soft_hyphens_summary_and_short_names),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
