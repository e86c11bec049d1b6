/*
 * test_srv_store.c: the SQLite store against a real file: migrations,
 * re-review on edit, decisions and their conflicts, the two publishing
 * queries, expiry, the append-only audit log, and a screen's status as
 * status ingestion writes it (and the online count /metrics reads).
 */
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "srv_store.h"
#include "taulu_time.h"
#include "taulu_err.h"

static char db[300];
static struct srv_store *st;
static int64_t keep_centre, drop_centre, org, user, other_org;

static int setup(void **state)
{
    const char *tmp = getenv("TAULU_TEST_TMP");
    char cmd[400];
    struct srv_centre c;
    struct srv_org o;
    struct srv_user u;
    struct srv_screen s;
    uint8_t h[32];
    int64_t id;

    (void)state;
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", tmp ? tmp : "/tmp");
    assert_int_equal(system(cmd), 0);
    snprintf(db, sizeof(db), "%s/store.%d.db", tmp ? tmp : "/tmp",
             (int)getpid());
    unlink(db);
    assert_int_equal(srv_store_open(db, 2, &st), 0);
    memset(&c, 0, sizeof(c));
    c.name = "Pitää näkyvissä";
    c.municipality = "564";
    c.address = "";
    c.opening_hours = "[null,null,null,null,null,null,null]";
    c.languages = "[\"fi\"]";
    c.withdraw_on_edit = false;
    assert_int_equal(srv_store_centre_create(st, 0, &c, &keep_centre), 0);
    c.name = "Poistaa muokatessa";
    c.withdraw_on_edit = true;
    assert_int_equal(srv_store_centre_create(st, 0, &c, &drop_centre), 0);
    /* Unique names. */
    assert_int_equal(srv_store_centre_create(st, 0, &c, &id), TAULU_ECONFLICT);
    memset(&o, 0, sizeof(o));
    o.name = "Yhdistys";
    o.kind = "ngo";
    assert_int_equal(srv_store_org_create(st, 0, &o, &org), 0);
    o.name = "Toinen";
    assert_int_equal(srv_store_org_create(st, 0, &o, &other_org), 0);
    memset(&u, 0, sizeof(u));
    u.email = "a@b.fi";
    u.name = "A";
    u.orgs.v = &org;
    u.orgs.n = 1;
    assert_int_equal(srv_store_user_create(st, 0, &u, "$hash", &user), 0);
    memset(&s, 0, sizeof(s));
    s.centre_id = keep_centre;
    s.name = "Aula";
    s.orientation = "landscape";
    s.width_px = 1920;
    s.height_px = 1080;
    s.diagonal_in = 55;
    s.viewing_distance_m = 3;
    memset(h, 1, sizeof(h));
    assert_int_equal(srv_store_screen_create(st, user, &s, h, &id), 0);
    /* A screen at an unknown centre. */
    s.centre_id = 999;
    h[0] = 2;
    assert_int_equal(srv_store_screen_create(st, user, &s, h, &id),
                     TAULU_EREFERENCED);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    srv_store_close(st);
    unlink(db);
    return 0;
}

static void fill_item(struct srv_item *it, struct srv_item_text *t,
                      const char *title)
{
    memset(it, 0, sizeof(*it));
    memset(t, 0, sizeof(*t));
    t->lang = "fi";
    t->plain = true;
    t->title = title;
    t->body = "Tervetuloa.";
    it->org_id = org;
    it->kind = "bulletin";
    it->category = "osallisuus";
    it->display_until = taulu_now() + 86400;
    it->texts = t;
    it->n_texts = 1;
}

static void workflow(void **state)
{
    struct srv_pool p;
    struct srv_item it, got;
    struct srv_item_text t;
    struct srv_current *cur;
    struct srv_ids screens;
    int64_t centres[2] = {keep_centre, drop_centre}, id, now = taulu_now();
    int64_t pk, pd;
    size_t n, i;
    const char *snap;

    (void)state;
    srv_pool_init(&p);
    fill_item(&it, &t, "Ensimmäinen");
    assert_int_equal(
        srv_store_item_create(st, user, &it, centres, 2, "{\"v\":1}", &id), 0);
    assert_int_equal(srv_store_item_get(st, &p, id, &got), 0);
    assert_int_equal(got.n_placements, 2);
    assert_int_equal(got.version, 1);
    pk = got.placements[0].centre_id == keep_centre ? got.placements[0].id
                                                    : got.placements[1].id;
    pd = got.placements[0].centre_id == drop_centre ? got.placements[0].id
                                                    : got.placements[1].id;
    /* Nothing shows before approval. */
    assert_int_equal(
        srv_store_centre_current(st, &p, keep_centre, now + 1, &cur, &n), 0);
    assert_int_equal(n, 0);
    /* A decision against another version conflicts; the right one
     * passes; a second decision conflicts. */
    assert_int_equal(srv_store_placement_decide(st, user, pk, SRV_PL_APPROVED,
                                                2, NULL, now - 10, now + 3600),
                     TAULU_ECONFLICT);
    assert_int_equal(srv_store_placement_decide(st, user, pk, SRV_PL_APPROVED,
                                                1, NULL, now - 10, now + 3600),
                     0);
    assert_int_equal(
        srv_store_placement_decide(st, user, pk, SRV_PL_REJECTED, 1, "x", 0, 0),
        TAULU_ECONFLICT);
    assert_int_equal(srv_store_placement_decide(st, user, 9999, SRV_PL_APPROVED,
                                                1, NULL, now, now + 1),
                     TAULU_ENOTFOUND);
    assert_int_equal(srv_store_placement_decide(st, user, pd, SRV_PL_APPROVED,
                                                1, NULL, now - 10, now + 3600),
                     0);
    assert_int_equal(
        srv_store_centre_current(st, &p, keep_centre, now, &cur, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(cur[0].version, 1);
    assert_int_equal(srv_store_screens_of_item(st, &p, id, &screens), 0);
    assert_int_equal(screens.n, 1);

    /* Edit: both placements return to the queue; the centre that keeps
     * showing edited items still shows version 1, the other nothing. */
    fill_item(&it, &t, "Muutettu");
    it.id = id;
    assert_int_equal(
        srv_store_item_update(st, user, &it, 2, NULL, 0, "{\"v\":2}"),
        TAULU_ECONFLICT);
    assert_int_equal(
        srv_store_item_update(st, user, &it, 1, NULL, 0, "{\"v\":2}"), 0);
    assert_int_equal(srv_store_item_get(st, &p, id, &got), 0);
    assert_int_equal(got.version, 2);
    assert_string_equal(got.texts[0].title, "Muutettu");
    for (i = 0; i < got.n_placements; i++) {
        assert_int_equal(got.placements[i].state, SRV_PL_SUBMITTED);
        assert_int_equal(got.placements[i].approved_version, 1);
    }
    assert_int_equal(
        srv_store_centre_current(st, &p, keep_centre, now, &cur, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(cur[0].version, 1);
    assert_int_equal(
        srv_store_centre_current(st, &p, drop_centre, now, &cur, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(srv_store_item_snapshot(st, &p, id, 1, &snap), 0);
    assert_string_equal(snap, "{\"v\":1}");

    /* Re-approve, then expire. */
    assert_int_equal(srv_store_placement_decide(st, user, pk, SRV_PL_APPROVED,
                                                2, NULL, now - 10, now + 5),
                     0);
    assert_int_equal(srv_store_expire(st, now + 4), 0);
    assert_int_equal(srv_store_expire(st, now + 5), 1);
    assert_int_equal(srv_store_placement_get(st, &p, pk, &got.placements[0]),
                     0);
    assert_int_equal(got.placements[0].state, SRV_PL_EXPIRED);

    /* Replacing the set of centres withdraws the dropped one. */
    centres[0] = keep_centre;
    assert_int_equal(
        srv_store_item_update(st, user, &it, 2, centres, 1, "{\"v\":3}"), 0);
    assert_int_equal(srv_store_placement_get(st, &p, pd, &got.placements[0]),
                     0);
    assert_int_equal(got.placements[0].state, SRV_PL_WITHDRAWN);
    /* ...and the expired one at the kept centre is back in the queue. */
    assert_int_equal(srv_store_placement_get(st, &p, pk, &got.placements[0]),
                     0);
    assert_int_equal(got.placements[0].state, SRV_PL_SUBMITTED);
    assert_int_equal(srv_store_item_withdraw(st, user, id, 0), 0);
    assert_int_equal(srv_store_item_withdraw(st, user, 424242, 0),
                     TAULU_ENOTFOUND);
    srv_pool_release(&p);
}

static void scopes(void **state)
{
    struct srv_pool p;
    struct srv_item it, *items;
    struct srv_item_text t;
    int64_t id, c = drop_centre;
    struct srv_scope none = {false, NULL, 0}, mine = {false, &org, 1};
    struct srv_scope other = {false, &other_org, 1}, at = {false, &c, 1};
    size_t n;

    (void)state;
    srv_pool_init(&p);
    fill_item(&it, &t, "Listattava");
    assert_int_equal(srv_store_item_create(st, user, &it, &c, 1, "{}", &id), 0);
    assert_int_equal(
        srv_store_item_list(st, &p, &mine, &none, 100, 0, &items, &n), 0);
    assert_true(n >= 1);
    assert_int_equal(
        srv_store_item_list(st, &p, &other, &none, 100, 0, &items, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(
        srv_store_item_list(st, &p, &none, &at, 100, 0, &items, &n), 0);
    assert_true(n >= 1);
    assert_int_equal(
        srv_store_item_list(st, &p, &none, &none, 100, 0, &items, &n), 0);
    assert_int_equal(n, 0);
    srv_pool_release(&p);
}

static void audit_is_append_only(void **state)
{
    sqlite3 *raw;
    struct srv_audit e = {0,      0, SRV_ACTOR_USER, 1,          "test.refused",
                          "item", 5, true,           "{\"x\":1}"};
    struct srv_audit_filter f;
    struct srv_audit *out;
    struct srv_pool p;
    size_t n;

    (void)state;
    srv_pool_init(&p);
    assert_int_equal(srv_store_audit_add(st, &e), 0);
    memset(&f, 0, sizeof(f));
    f.refused = 1;
    f.limit = 10;
    assert_int_equal(srv_store_audit_list(st, &p, &f, &out, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(out[0].action, "test.refused");
    f.refused = 0;
    f.action = "item.create";
    assert_int_equal(srv_store_audit_list(st, &p, &f, &out, &n), 0);
    assert_true(n >= 2);
    /* Even with SQL, the audit log cannot be rewritten. */
    assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(raw, "UPDATE audit SET action = 'x'", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(raw, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    assert_int_equal(srv_store_check(st), 0);
    srv_pool_release(&p);
}

static void screen_status(void **state)
{
    struct srv_scope all = {true, NULL, 0};
    struct srv_audit_filter f;
    struct srv_audit *audit;
    struct srv_screen *list, row, got;
    struct srv_pool p;
    int64_t online, total;
    size_t n, n_audit;

    (void)state;
    srv_pool_init(&p);
    assert_int_equal(srv_store_screen_list(st, &p, &all, &list, &n), 0);
    assert_int_equal(n, 1);
    assert_false(list[0].online);
    assert_int_equal(list[0].last_seen, 0);
    assert_int_equal(srv_store_screen_counts(st, &online, &total), 0);
    assert_int_equal(online, 0);
    assert_int_equal(total, 1);
    memset(&f, 0, sizeof(f));
    f.refused = -1;
    f.limit = 500;
    assert_int_equal(srv_store_audit_list(st, &p, &f, &audit, &n_audit), 0);

    memset(&row, 0, sizeof(row));
    row.id = list[0].id;
    row.online = true;
    row.last_seen = 1700000000;
    row.applied_version = 42;
    row.last_error = "fetch: timeout";
    /* Only the status: name and the rest stay as they were. */
    assert_int_equal(srv_store_screen_set_status(st, &row), 0);
    assert_int_equal(srv_store_screen_get(st, &p, row.id, &got), 0);
    assert_true(got.online);
    assert_int_equal(got.last_seen, 1700000000);
    assert_int_equal(got.applied_version, 42);
    assert_string_equal(got.last_error, "fetch: timeout");
    assert_string_equal(got.name, "Aula");
    assert_int_equal(got.width_px, 1920);
    assert_int_equal(srv_store_screen_counts(st, &online, &total), 0);
    assert_int_equal(online, 1);

    /* Offline with no error: "" is stored as none. */
    row.online = false;
    row.last_error = "";
    assert_int_equal(srv_store_screen_set_status(st, &row), 0);
    assert_int_equal(srv_store_screen_get(st, &p, row.id, &got), 0);
    assert_false(got.online);
    assert_int_equal(got.last_seen, 1700000000);
    assert_null(got.last_error);
    assert_int_equal(srv_store_screen_counts(st, &online, &total), 0);
    assert_int_equal(online, 0);

    /* A deleted screen; and no audit entries for what screens report. */
    row.id = 424242;
    assert_int_equal(srv_store_screen_set_status(st, &row), TAULU_ENOTFOUND);
    assert_int_equal(srv_store_audit_list(st, &p, &f, &audit, &n), 0);
    assert_int_equal(n, n_audit);
    srv_pool_release(&p);
}

static void reopen_migrates_once(void **state)
{
    struct srv_store *again;

    (void)state;
    assert_int_equal(srv_store_open(db, 1, &again), 0);
    assert_int_equal(srv_store_check(again), 0);
    srv_store_close(again);
    /* 1: the data model; 2: the checker's findings with each version */
    assert_int_equal(srv_store_schema_version(), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(workflow),
        cmocka_unit_test(scopes),
        cmocka_unit_test(audit_is_append_only),
        cmocka_unit_test(screen_status),
        cmocka_unit_test(reopen_migrates_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
