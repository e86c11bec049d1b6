/*
 * test_srv_store.c: the SQLite store against a real file: migrations,
 * re-review on edit, decisions and their conflicts, the two publishing
 * queries, expiry, the append-only audit log, a screen's status as
 * status ingestion writes it (and the online count /metrics reads), and
 * every other entity's reads and writes with their refusals (not found,
 * conflict, still referenced), so that the backend can be rearranged
 * without its answers changing.
 */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/stat.h>
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
#include "tsupport_db.h"
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
    {
        char dir[260];
        snprintf(dir, sizeof(dir), "%s/store.%d", tmp ? tmp : "/tmp",
                 (int)getpid());
        mkdir(dir, 0700);
        /* a SQLite file, or under the _pg twin a PostgreSQL database */
        assert_int_equal(tsupport_db_target("store", dir, db, sizeof(db)), 0);
    }
    if (!tsupport_db_is_pg()) {
        unlink(db);
    }
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
    if (!tsupport_db_is_pg()) {
        unlink(db);
    }
    return 0;
}

/* Raw SQL on the test's database, past the store: whether `sql` fails
 * (it must), and one integer a query answers. */
static bool raw_refused(const char *sql)
{
    bool refused;

    if (tsupport_db_is_pg()) {
        PGconn *c = PQconnectdb(db + strlen(TSUPPORT_PG_PREFIX));
        PGresult *r;
        assert_int_equal(PQstatus(c), CONNECTION_OK);
        r = PQexec(c, sql);
        refused = PQresultStatus(r) == PGRES_FATAL_ERROR;
        PQclear(r);
        PQfinish(c);
    } else {
        sqlite3 *raw;
        assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
        refused = sqlite3_exec(raw, sql, NULL, NULL, NULL) != SQLITE_OK;
        sqlite3_close(raw);
    }
    return refused;
}

static long long raw_int(const char *sql, int col)
{
    long long v;

    if (tsupport_db_is_pg()) {
        PGconn *c = PQconnectdb(db + strlen(TSUPPORT_PG_PREFIX));
        PGresult *r;
        assert_int_equal(PQstatus(c), CONNECTION_OK);
        r = PQexec(c, sql);
        assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
        assert_int_equal(PQntuples(r), 1);
        v = strtoll(PQgetvalue(r, 0, col), NULL, 10);
        PQclear(r);
        PQfinish(c);
    } else {
        sqlite3 *raw;
        sqlite3_stmt *s;
        assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &s, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        v = sqlite3_column_int64(s, col);
        sqlite3_finalize(s);
        sqlite3_close(raw);
    }
    return v;
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
    t.summary = "Lyhyt teksti näytölle.";
    assert_int_equal(
        srv_store_item_create(st, user, &it, centres, 2, "{\"v\":1}", &id), 0);
    assert_int_equal(srv_store_item_get(st, &p, id, &got), 0);
    assert_string_equal(got.texts[0].summary, "Lyhyt teksti näytölle.");
    assert_string_equal(got.texts[0].body, "Tervetuloa.");
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
    assert_true(raw_refused("UPDATE audit SET action = 'x'"));
    assert_true(raw_refused("DELETE FROM audit"));
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

    /* what the player says it is, and the cards it cannot fit: kept;
     * a status without a profile keeps the one reported before */
    assert_int_equal(got.reported_width_px, 0);
    assert_string_equal(got.unplaced, "");
    row.reported_width_px = 3840;
    row.reported_height_px = 2160;
    row.reported_diagonal_in = 43.0;
    row.reported_distance_m = 4.0;
    row.unplaced = "i12";
    row.paged = "i7 i9";
    assert_int_equal(srv_store_screen_set_status(st, &row), 0);
    row.reported_width_px = 0;
    row.unplaced = NULL;
    assert_int_equal(srv_store_screen_set_status(st, &row), 0);
    assert_int_equal(srv_store_screen_get(st, &p, row.id, &got), 0);
    assert_int_equal(got.reported_width_px, 3840);
    assert_int_equal(got.reported_height_px, 2160);
    assert_true(got.reported_distance_m == 4.0);
    assert_string_equal(got.unplaced, "");
    assert_string_equal(got.paged, "i7 i9");
    /* an edit of the configured profile forgets it (the fit check then
     * knows the configured one until the player reports again); an edit
     * of the name alone does not */
    got.name = "Aula (uusi nimi)";
    assert_int_equal(srv_store_screen_update(st, user, &got), 0);
    assert_int_equal(srv_store_screen_get(st, &p, row.id, &got), 0);
    assert_int_equal(got.reported_width_px, 3840);
    got.viewing_distance_m = 2.0;
    assert_int_equal(srv_store_screen_update(st, user, &got), 0);
    assert_int_equal(srv_store_screen_get(st, &p, row.id, &got), 0);
    assert_int_equal(got.reported_width_px, 0);
    got.name = "Aula";
    got.viewing_distance_m = 3.0;
    assert_int_equal(srv_store_screen_update(st, user, &got), 0);
    row.paged = NULL;
    /* (the edits were audited; what the screen reports is not, below) */
    assert_int_equal(srv_store_audit_list(st, &p, &f, &audit, &n_audit), 0);

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

/* Areas and centres: create, list in name order, update, unique names,
 * and a delete refused while something still refers to the row. */
static void areas_and_centres(void **state)
{
    struct srv_pool p;
    struct srv_area *areas;
    struct srv_centre c, got, *centres;
    int64_t a1, a2, cid;
    uint64_t errors;
    size_t n, i;
    bool seen = false;

    (void)state;
    srv_pool_init(&p);
    assert_int_equal(srv_store_area_create(st, user, "Pohjoinen", &a1), 0);
    assert_int_equal(srv_store_area_create(st, user, "Etelä", &a2), 0);
    errors = srv_store_db_errors(st);
    assert_int_equal(srv_store_area_create(st, user, "Etelä", &cid),
                     TAULU_ECONFLICT);
    assert_int_equal(srv_store_area_list(st, &p, &areas, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(areas[0].name, "Etelä");
    assert_int_equal(areas[0].id, a2);
    assert_string_equal(areas[1].name, "Pohjoinen");
    assert_int_equal(srv_store_area_update(st, user, a2, "Länsi"), 0);
    assert_int_equal(srv_store_area_update(st, user, 777, "X"),
                     TAULU_ENOTFOUND);

    memset(&c, 0, sizeof(c));
    c.area_id = a1;
    c.name = "Alueellinen";
    c.municipality = "091";
    c.address = "Katu 1";
    c.opening_hours = "[null,null,null,null,null,null,null]";
    c.languages = "[\"fi\",\"sv\"]";
    c.withdraw_on_edit = true;
    assert_int_equal(srv_store_centre_create(st, user, &c, &cid), 0);
    assert_int_equal(srv_store_area_delete(st, user, a1), TAULU_EREFERENCED);
    /* Refusals by constraint are answers, not database failures. */
    assert_int_equal(srv_store_db_errors(st), errors);
    assert_int_equal(srv_store_centre_get(st, &p, cid, &got), 0);
    assert_int_equal(got.id, cid);
    assert_int_equal(got.area_id, a1);
    assert_string_equal(got.name, "Alueellinen");
    assert_string_equal(got.municipality, "091");
    assert_string_equal(got.address, "Katu 1");
    assert_string_equal(got.languages, "[\"fi\",\"sv\"]");
    assert_true(got.withdraw_on_edit);
    /* no short name, no other names: NULL and "{}" */
    assert_null(got.short_name);
    assert_string_equal(got.names, "{}");
    c.short_name = "Alue";
    c.names = "{\"sv\":{\"name\":\"Regional\",\"short\":\"Reg\"}}";
    c.id = cid;
    c.area_id = 0;
    c.withdraw_on_edit = false;
    c.address = "Katu 2";
    assert_int_equal(srv_store_centre_update(st, user, &c), 0);
    assert_int_equal(srv_store_centre_get(st, &p, cid, &got), 0);
    assert_int_equal(got.area_id, 0);
    assert_false(got.withdraw_on_edit);
    assert_string_equal(got.address, "Katu 2");
    assert_string_equal(got.short_name, "Alue");
    assert_string_equal(got.names,
                        "{\"sv\":{\"name\":\"Regional\",\"short\":\"Reg\"}}");
    c.id = 777;
    assert_int_equal(srv_store_centre_update(st, user, &c), TAULU_ENOTFOUND);
    assert_int_equal(srv_store_centre_list(st, &p, &centres, &n), 0);
    assert_int_equal(n, 3);
    for (i = 1; i < n; i++) {
        assert_true(strcmp(centres[i - 1].name, centres[i].name) < 0);
    }
    for (i = 0; i < n; i++) {
        seen = seen || centres[i].id == cid;
    }
    assert_true(seen);
    assert_int_equal(srv_store_area_delete(st, user, a1), 0);
    assert_int_equal(srv_store_area_delete(st, user, a1), TAULU_ENOTFOUND);
    assert_int_equal(srv_store_centre_delete(st, user, cid), 0);
    assert_int_equal(srv_store_centre_get(st, &p, cid, &got), TAULU_ENOTFOUND);
    assert_int_equal(srv_store_centre_delete(st, user, cid), TAULU_ENOTFOUND);
    srv_pool_release(&p);
}

/* Screens: the token look-up, an update that leaves the status alone, and
 * a delete. */
static void screens(void **state)
{
    struct srv_pool p;
    struct srv_screen s, got, *list;
    struct srv_scope at = {false, &drop_centre, 1};
    uint8_t h[32], wrong[32];
    int64_t id, dup;
    size_t n;

    (void)state;
    srv_pool_init(&p);
    memset(&s, 0, sizeof(s));
    s.centre_id = drop_centre;
    s.name = "Käytävä";
    s.orientation = "portrait";
    s.width_px = 1080;
    s.height_px = 1920;
    s.diagonal_in = 43.5;
    s.viewing_distance_m = 2.5;
    memset(h, 7, sizeof(h));
    assert_int_equal(srv_store_screen_create(st, user, &s, h, &id), 0);
    /* The same name at the same centre, or the same token, is taken. */
    h[0] = 8;
    assert_int_equal(srv_store_screen_create(st, user, &s, h, &dup),
                     TAULU_ECONFLICT);
    h[0] = 7;
    assert_int_equal(srv_store_screen_by_token(st, &p, h, &got), 0);
    assert_int_equal(got.id, id);
    assert_string_equal(got.orientation, "portrait");
    assert_int_equal(got.height_px, 1920);
    assert_true(got.diagonal_in > 43.4 && got.diagonal_in < 43.6);
    assert_true(got.created_at > 0);
    memset(wrong, 9, sizeof(wrong));
    assert_int_equal(srv_store_screen_by_token(st, &p, wrong, &got),
                     TAULU_ENOTFOUND);
    assert_int_equal(srv_store_screen_list(st, &p, &at, &list, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, id);
    s.id = id;
    s.name = "Käytävä 2";
    s.width_px = 720;
    assert_int_equal(srv_store_screen_update(st, user, &s), 0);
    assert_int_equal(srv_store_screen_get(st, &p, id, &got), 0);
    assert_string_equal(got.name, "Käytävä 2");
    assert_int_equal(got.width_px, 720);
    assert_int_equal(srv_store_screen_delete(st, user, id), 0);
    assert_int_equal(srv_store_screen_get(st, &p, id, &got), TAULU_ENOTFOUND);
    assert_int_equal(srv_store_screen_delete(st, user, id), TAULU_ENOTFOUND);
    s.id = id;
    assert_int_equal(srv_store_screen_update(st, user, &s), TAULU_ENOTFOUND);
    srv_pool_release(&p);
}

/* Organisations with their members; users with their roles. */
static void orgs_and_users(void **state)
{
    struct srv_pool p;
    struct srv_org o, got, *orgs;
    struct srv_user u, ug, *users;
    struct srv_scope only = {false, &other_org, 1}, all = {true, NULL, 0};
    int64_t oid, uid, dup, roles_c[2] = {keep_centre, drop_centre};
    int64_t roles_o[2] = {org, other_org};
    const char *pw;
    size_t n, i;

    (void)state;
    srv_pool_init(&p);
    memset(&o, 0, sizeof(o));
    o.name = "Seurakunta";
    o.kind = "parish";
    assert_int_equal(srv_store_org_create(st, user, &o, &oid), 0);
    assert_int_equal(srv_store_org_create(st, user, &o, &dup), TAULU_ECONFLICT);
    memset(&u, 0, sizeof(u));
    u.email = "Koordinaattori@Example.FI";
    u.name = "Koordinaattori";
    u.coordinator = true;
    u.contact_centres.v = roles_c;
    u.contact_centres.n = 2;
    u.orgs.v = roles_o;
    u.orgs.n = 2;
    assert_int_equal(srv_store_user_create(st, 0, &u, "$argon2id$x", &uid), 0);
    assert_int_equal(srv_store_user_create(st, 0, &u, "$y", &dup),
                     TAULU_ECONFLICT);
    assert_int_equal(srv_store_member_add(st, user, oid, uid), 0);
    assert_int_equal(srv_store_member_add(st, user, oid, uid), TAULU_ECONFLICT);
    assert_int_equal(srv_store_org_get(st, &p, oid, &got), 0);
    assert_string_equal(got.name, "Seurakunta");
    assert_string_equal(got.kind, "parish");
    assert_int_equal(got.members.n, 1);
    assert_int_equal(got.members.v[0], uid);
    assert_int_equal(srv_store_org_get(st, &p, 777, &got), TAULU_ENOTFOUND);
    assert_int_equal(srv_store_org_list(st, &p, &only, &orgs, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(orgs[0].id, other_org);
    assert_int_equal(orgs[0].members.n, 1);
    assert_int_equal(orgs[0].members.v[0], uid);
    assert_int_equal(srv_store_org_list(st, &p, &all, &orgs, &n), 0);
    assert_int_equal(n, 3);
    for (i = 1; i < n; i++) {
        assert_true(strcmp(orgs[i - 1].name, orgs[i].name) < 0);
    }
    o.id = oid;
    o.name = "Seurakuntayhtymä";
    assert_int_equal(srv_store_org_update(st, user, &o), 0);
    o.id = 777;
    assert_int_equal(srv_store_org_update(st, user, &o), TAULU_ENOTFOUND);

    /* The e-mail matches whatever its case; the hash comes along. */
    assert_int_equal(
        srv_store_user_by_email(st, &p, "koordinaattori@example.fi", &ug, &pw),
        0);
    assert_int_equal(ug.id, uid);
    assert_string_equal(pw, "$argon2id$x");
    assert_true(ug.coordinator);
    assert_false(ug.disabled);
    assert_int_equal(ug.contact_centres.n, 2);
    assert_int_equal(ug.orgs.n, 3);
    assert_int_equal(srv_store_user_by_email(st, &p, "nobody@x.fi", &ug, &pw),
                     TAULU_ENOTFOUND);
    assert_int_equal(srv_store_user_set_password(st, uid, uid, "$new"), 0);
    assert_int_equal(srv_store_user_by_email(st, &p, u.email, &ug, &pw), 0);
    assert_string_equal(pw, "$new");
    assert_int_equal(srv_store_user_set_password(st, uid, 777, "$new"),
                     TAULU_ENOTFOUND);

    /* Update replaces the roles. */
    u.id = uid;
    u.name = "K";
    u.coordinator = false;
    u.contact_centres.n = 1;
    u.orgs.v = &other_org;
    u.orgs.n = 1;
    assert_int_equal(srv_store_user_update(st, user, &u), 0);
    assert_int_equal(srv_store_user_get(st, &p, uid, &ug), 0);
    assert_string_equal(ug.name, "K");
    assert_false(ug.coordinator);
    assert_int_equal(ug.contact_centres.n, 1);
    assert_int_equal(ug.contact_centres.v[0], keep_centre);
    assert_int_equal(ug.orgs.n, 1);
    assert_int_equal(ug.orgs.v[0], other_org);
    assert_int_equal(srv_store_member_remove(st, user, other_org, uid), 0);
    assert_int_equal(srv_store_member_remove(st, user, other_org, uid),
                     TAULU_ENOTFOUND);
    assert_int_equal(srv_store_user_list(st, &p, &users, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(users[0].id, user);
    assert_int_equal(users[0].orgs.n, 1);
    assert_int_equal(users[1].id, uid);
    assert_int_equal(users[1].orgs.n, 0);
    assert_int_equal(users[1].contact_centres.n, 1);
    u.id = 777;
    assert_int_equal(srv_store_user_update(st, user, &u), TAULU_ENOTFOUND);
    srv_pool_release(&p);
}

/* Sessions and API tokens: valid until they expire or the user is
 * disabled; the purge removes the expired ones. */
static void sessions_and_tokens(void **state)
{
    struct srv_pool p;
    struct srv_user u;
    uint8_t s1[32], s2[32], t1[32], t2[32];
    int64_t now = taulu_now(), uid, tid, tid2, who;
    const char *csrf;

    (void)state;
    srv_pool_init(&p);
    memset(&u, 0, sizeof(u));
    u.email = "istunto@example.fi";
    u.name = "Istunto";
    assert_int_equal(srv_store_user_create(st, 0, &u, "$h", &uid), 0);
    memset(s1, 0x11, sizeof(s1));
    memset(s2, 0x12, sizeof(s2));
    memset(t1, 0x21, sizeof(t1));
    memset(t2, 0x22, sizeof(t2));
    assert_int_equal(
        srv_store_session_create(st, s1, uid, "csrf-1", now + 3600), 0);
    assert_int_equal(srv_store_session_create(st, s2, uid, "csrf-2", now - 1),
                     0);
    assert_int_equal(srv_store_session_get(st, &p, s1, now, &who, &csrf), 0);
    assert_int_equal(who, uid);
    assert_string_equal(csrf, "csrf-1");
    assert_int_equal(srv_store_session_get(st, &p, s2, now, &who, &csrf),
                     TAULU_ENOTFOUND);
    assert_int_equal(
        srv_store_token_create(st, uid, "skripti", t1, now + 3600, &tid), 0);
    assert_int_equal(
        srv_store_token_create(st, uid, "vanha", t2, now - 1, &tid2), 0);
    assert_int_equal(srv_store_token_user(st, t1, now, &who), 0);
    assert_int_equal(who, uid);
    assert_int_equal(srv_store_token_user(st, t2, now, &who), TAULU_ENOTFOUND);
    /* Only the owner deletes a token. */
    assert_int_equal(srv_store_token_delete(st, user, tid2), TAULU_ENOTFOUND);
    /* One expired session and one expired token. */
    assert_int_equal(srv_store_purge_expired(st, now), 2);
    assert_int_equal(srv_store_purge_expired(st, now), 0);
    /* Disabling ends the rest. */
    u.id = uid;
    u.disabled = true;
    assert_int_equal(srv_store_user_update(st, 0, &u), 0);
    assert_int_equal(srv_store_session_get(st, &p, s1, now, &who, &csrf),
                     TAULU_ENOTFOUND);
    assert_int_equal(srv_store_token_user(st, t1, now, &who), TAULU_ENOTFOUND);
    assert_int_equal(srv_store_token_delete(st, uid, tid), TAULU_ENOTFOUND);
    assert_int_equal(srv_store_session_delete(st, s1), 0);
    srv_pool_release(&p);
}

/* Items with several language versions, the queue, listing pages. */
static void items_and_queue(void **state)
{
    struct srv_pool p;
    struct srv_item it, got, *items;
    struct srv_item_text t[2];
    struct srv_placement *q;
    struct srv_scope all = {true, NULL, 0}, none = {false, NULL, 0};
    struct srv_scope at = {false, &keep_centre, 1};
    int64_t a, b, c = keep_centre;
    const char *snap;
    size_t n, i;

    (void)state;
    srv_pool_init(&p);
    fill_item(&it, &t[0], "Kaksikielinen");
    t[1] = t[0];
    t[1].lang = "sv";
    t[1].plain = false;
    t[1].title = "Tvåspråkig";
    t[1].place = "Salen";
    it.n_texts = 2;
    it.link = "https://example.fi/";
    it.step_free = true;
    it.findings = "{\"fi\":{\"light\":\"green\"}}";
    assert_int_equal(srv_store_item_create(st, user, &it, &c, 1, "{}", &a), 0);
    assert_int_equal(srv_store_item_create(st, user, &it, &c, 1, "{}", &b), 0);
    assert_int_equal(srv_store_item_get(st, &p, a, &got), 0);
    assert_int_equal(got.n_texts, 2);
    assert_string_equal(got.texts[0].lang, "fi");
    assert_true(got.texts[0].plain);
    assert_null(got.texts[0].place);
    assert_string_equal(got.texts[1].title, "Tvåspråkig");
    assert_string_equal(got.texts[1].place, "Salen");
    assert_string_equal(got.link, "https://example.fi/");
    assert_true(got.step_free);
    assert_false(got.induction_loop);
    assert_string_equal(got.findings, "{\"fi\":{\"light\":\"green\"}}");
    assert_int_equal(got.n_placements, 1);
    assert_string_equal(got.placements[0].item_title, "Kaksikielinen");
    assert_int_equal(got.placements[0].org_id, org);
    assert_int_equal(srv_store_item_get(st, &p, 424242, &got), TAULU_ENOTFOUND);
    assert_int_equal(srv_store_item_snapshot(st, &p, a, 2, &snap),
                     TAULU_ENOTFOUND);

    /* Newest first, in pages. */
    assert_int_equal(srv_store_item_list(st, &p, &all, &none, 1, 0, &items, &n),
                     0);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, b);
    assert_int_equal(items[0].n_texts, 2);
    assert_int_equal(srv_store_item_list(st, &p, &all, &none, 1, 1, &items, &n),
                     0);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, a);

    /* The queue: submitted placements, oldest first. */
    assert_int_equal(srv_store_placement_queue(st, &p, &at, 100, &q, &n), 0);
    assert_true(n >= 2);
    for (i = 0; i < n; i++) {
        assert_int_equal(q[i].centre_id, keep_centre);
        assert_int_equal(q[i].state, SRV_PL_SUBMITTED);
    }
    for (i = 1; i < n; i++) {
        assert_true(q[i - 1].submitted_at < q[i].submitted_at ||
                    (q[i - 1].submitted_at == q[i].submitted_at &&
                     q[i - 1].id < q[i].id));
    }
    assert_int_equal(q[n - 1].item_id, b);
    assert_string_equal(q[n - 1].item_findings,
                        "{\"fi\":{\"light\":\"green\"}}");
    assert_int_equal(srv_store_placement_queue(st, &p, &none, 100, &q, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(srv_store_placement_queue(st, &p, &all, 1, &q, &n), 0);
    assert_int_equal(n, 1);
    srv_pool_release(&p);
}

/* Alerts: texts in order, listing by centre (plus the all-centre ones),
 * ending once. */
static void alerts(void **state)
{
    struct srv_pool p;
    struct srv_alert a, got, *list;
    struct srv_alert_text t[2] = {{"fi", "Vesikatko", "Tänään."},
                                  {"sv", "Vattenavbrott", "I dag."}};
    struct srv_scope at_drop = {false, &drop_centre, 1};
    int64_t now = taulu_now(), everywhere, here, elsewhere, dup;
    uint64_t errors;
    size_t n;

    (void)state;
    srv_pool_init(&p);
    memset(&a, 0, sizeof(a));
    a.starts_at = now - 60;
    a.ends_at = now + 3600;
    a.texts = t;
    a.n_texts = 2;
    assert_int_equal(srv_store_alert_create(st, user, &a, &everywhere), 0);
    a.centre_id = drop_centre;
    assert_int_equal(srv_store_alert_create(st, user, &a, &here), 0);
    a.centre_id = keep_centre;
    assert_int_equal(srv_store_alert_create(st, user, &a, &elsewhere), 0);
    a.ends_at = a.starts_at;
    /* A broken CHECK is a database failure, and counted as one. */
    errors = srv_store_db_errors(st);
    assert_int_equal(srv_store_alert_create(st, user, &a, &dup), TAULU_EDB);
    assert_int_equal(srv_store_db_errors(st), errors + 1);
    assert_int_equal(srv_store_alert_get(st, &p, here, &got), 0);
    assert_int_equal(got.centre_id, drop_centre);
    assert_int_equal(got.created_by, user);
    assert_int_equal(got.n_texts, 2);
    assert_string_equal(got.texts[0].lang, "fi");
    assert_string_equal(got.texts[1].title, "Vattenavbrott");
    assert_string_equal(got.texts[1].body, "I dag.");
    assert_int_equal(srv_store_alert_get(st, &p, 777, &got), TAULU_ENOTFOUND);
    assert_int_equal(srv_store_alert_list(st, &p, &at_drop, now, &list, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, everywhere);
    assert_int_equal(list[0].centre_id, 0);
    assert_int_equal(list[0].n_texts, 2);
    assert_int_equal(list[1].id, here);
    assert_string_equal(list[1].texts[0].title, "Vesikatko");
    assert_int_equal(srv_store_alert_end(st, user, here, now), 0);
    assert_int_equal(srv_store_alert_end(st, user, here, now), TAULU_ECONFLICT);
    assert_int_equal(srv_store_alert_end(st, user, 777, now), TAULU_ENOTFOUND);
    assert_int_equal(srv_store_alert_list(st, &p, &at_drop, now, &list, &n), 0);
    assert_int_equal(n, 1);
    /* Past its end, nothing lists. */
    assert_int_equal(
        srv_store_alert_list(st, &p, &at_drop, now + 7200, &list, &n), 0);
    assert_int_equal(n, 0);
    srv_pool_release(&p);
}

/* The play log: seconds summed per row and capped at 25 hours, junk ids
 * skipped, the report per item and centre. */
static void play_log(void **state)
{
    struct srv_pool p;
    struct srv_item it;
    struct srv_item_text t;
    struct srv_play_row rows[4];
    struct srv_play_filter f;
    struct srv_play_report *r;
    int64_t id, c = keep_centre;
    size_t n;

    (void)state;
    srv_pool_init(&p);
    fill_item(&it, &t, "Soitettu");
    assert_int_equal(srv_store_item_create(st, user, &it, &c, 1, "{}", &id), 0);
    memset(rows, 0, sizeof(rows));
    rows[0] = (struct srv_play_row){id, keep_centre, 1, "2024-05-01", 100};
    rows[1] = (struct srv_play_row){id, keep_centre, 1, "2024-05-01", 50};
    rows[2] = (struct srv_play_row){id, keep_centre, 2, "2024-05-02", 89990};
    rows[3] = (struct srv_play_row){424242, keep_centre, 1, "2024-05-01", 5};
    assert_int_equal(srv_store_play_add(st, rows, 4), 0);
    rows[0] = (struct srv_play_row){id, keep_centre, 2, "2024-05-02", 100};
    assert_int_equal(srv_store_play_add(st, rows, 1), 0);
    rows[0].day = "2024-5-2";
    assert_int_equal(srv_store_play_add(st, rows, 1), TAULU_EINVAL);
    assert_int_equal(srv_store_play_add(st, rows, 0), 0);

    memset(&f, 0, sizeof(f));
    f.centres.all = true;
    assert_int_equal(srv_store_play_report(st, &p, &f, 100, &r, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].item_id, id);
    assert_string_equal(r[0].item_title, "Soitettu");
    assert_int_equal(r[0].org_id, org);
    assert_string_equal(r[0].org_name, "Yhdistys");
    assert_int_equal(r[0].centre_id, keep_centre);
    assert_string_equal(r[0].centre_name, "Pitää näkyvissä");
    assert_int_equal(r[0].seconds, 150 + 90000);
    assert_int_equal(r[0].screens, 2);
    assert_string_equal(r[0].first_day, "2024-05-01");
    assert_string_equal(r[0].last_day, "2024-05-02");
    f.from_day = "2024-05-02";
    assert_int_equal(srv_store_play_report(st, &p, &f, 100, &r, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].seconds, 90000);
    assert_int_equal(r[0].screens, 1);
    f.from_day = NULL;
    f.org_id = other_org;
    assert_int_equal(srv_store_play_report(st, &p, &f, 100, &r, &n), 0);
    assert_int_equal(n, 0);
    f.org_id = 0;
    f.centres.all = false;
    f.centres.ids = &drop_centre;
    f.centres.n = 1;
    assert_int_equal(srv_store_play_report(st, &p, &f, 100, &r, &n), 0);
    assert_int_equal(n, 0);
    srv_pool_release(&p);
}

/* Audit paging: entries older than an id, newest first. */
static void audit_paging(void **state)
{
    struct srv_pool p;
    struct srv_audit_filter f;
    struct srv_audit *page1, *page2;
    size_t n1, n2;

    (void)state;
    srv_pool_init(&p);
    memset(&f, 0, sizeof(f));
    f.refused = -1;
    f.limit = 3;
    assert_int_equal(srv_store_audit_list(st, &p, &f, &page1, &n1), 0);
    assert_int_equal(n1, 3);
    assert_true(page1[0].id > page1[1].id && page1[1].id > page1[2].id);
    f.before_id = page1[2].id;
    assert_int_equal(srv_store_audit_list(st, &p, &f, &page2, &n2), 0);
    assert_int_equal(n2, 3);
    assert_true(page2[0].id < page1[2].id);
    f.before_id = 0;
    f.object_type = "alert";
    f.action = "alert.end";
    f.limit = 500;
    assert_int_equal(srv_store_audit_list(st, &p, &f, &page1, &n1), 0);
    assert_int_equal(n1, 1);
    assert_int_equal(page1[0].actor_kind, SRV_ACTOR_USER);
    assert_int_equal(page1[0].actor_id, user);
    srv_pool_release(&p);
}

/* A recurring event: the rule and the series' end are stored with the
 * item; it stays current for its screens after its first occurrence, until
 * the series ends; cancelling an occurrence touches no placement (an
 * approved series stays approved) and is audited once. */
static void recurring_item(void **state)
{
    static const char rule[] =
        "{\"freq\":\"weekly\",\"interval\":1,\"byday\":[\"TU\"],"
        "\"until\":\"2027-01-26\",\"exdates\":[]}";
    struct srv_pool p;
    struct srv_item it, got;
    struct srv_item_text t;
    struct srv_current *cur;
    struct srv_audit_filter f;
    struct srv_audit *log;
    int64_t now = taulu_now(), id;
    size_t n;

    (void)state;
    srv_pool_init(&p);
    fill_item(&it, &t, "Muistikahvila");
    it.kind = "event";
    it.starts_at = now - 3 * 3600; /* the first one is over */
    it.ends_at = now - 3600;
    it.recurrence = rule;
    it.series_end = now + 30 * 86400;
    assert_int_equal(
        srv_store_item_create(st, user, &it, &keep_centre, 1, "{\"v\":1}", &id),
        0);
    assert_int_equal(srv_store_item_get(st, &p, id, &got), 0);
    assert_string_equal(got.recurrence, rule);
    assert_int_equal(got.series_end, now + 30 * 86400);
    assert_int_equal(got.n_cancelled, 0);
    assert_int_equal(srv_store_placement_decide(st, user, got.placements[0].id,
                                                SRV_PL_APPROVED, 1, NULL,
                                                now - 86400, now + 40 * 86400),
                     0);
    assert_int_equal(
        srv_store_centre_current(st, &p, keep_centre, now, &cur, &n), 0);
    {
        size_t i;
        bool found = false;
        for (i = 0; i < n; i++) {
            found = found || cur[i].item_id == id;
        }
        assert_true(found);
    }

    /* cancel two, one twice; restore one */
    assert_int_equal(srv_store_item_cancel(st, user, id, "2026-12-15", true),
                     0);
    assert_int_equal(srv_store_item_cancel(st, user, id, "2026-12-08", true),
                     0);
    assert_int_equal(srv_store_item_cancel(st, user, id, "2026-12-08", true),
                     0);
    assert_int_equal(srv_store_item_get(st, &p, id, &got), 0);
    assert_int_equal(got.n_cancelled, 2);
    assert_string_equal(got.cancelled[0], "2026-12-08");
    assert_string_equal(got.cancelled[1], "2026-12-15");
    assert_int_equal(got.placements[0].state, SRV_PL_APPROVED);
    assert_int_equal(got.version, 1);
    assert_int_equal(srv_store_item_cancel(st, user, id, "2026-12-15", false),
                     0);
    assert_int_equal(srv_store_item_cancel(st, user, id, "2026-12-15", false),
                     0);
    assert_int_equal(srv_store_item_get(st, &p, id, &got), 0);
    assert_int_equal(got.n_cancelled, 1);
    assert_int_equal(
        srv_store_item_cancel(st, user, 999999, "2026-12-15", true),
        TAULU_ENOTFOUND);
    assert_int_equal(srv_store_item_cancel(st, user, id, "2026-12", true),
                     TAULU_EINVAL);
    memset(&f, 0, sizeof f);
    f.object_type = "item";
    f.object_id = id;
    f.refused = -1;
    f.limit = 100;
    assert_int_equal(srv_store_audit_list(st, &p, &f, &log, &n), 0);
    /* create, two cancels, one restore: each change once */
    assert_int_equal(n, 4);
    assert_string_equal(log[0].action, "item.restore_occurrence");
    assert_string_equal(log[0].details, "{\"day\":\"2026-12-15\"}");
    assert_string_equal(log[1].action, "item.cancel_occurrence");
    srv_pool_release(&p);
}

static void reopen_migrates_once(void **state)
{
    struct srv_store *again;

    (void)state;
    assert_int_equal(srv_store_open(db, 1, &again), 0);
    assert_int_equal(srv_store_check(again), 0);
    srv_store_close(again);
    /* Every migration ran once, the last being the program's (the list
     * grows: the number itself is not this test's business). A
     * PostgreSQL database begins at the schema of its first version. */
    assert_int_equal(raw_int("SELECT COUNT(*) FROM schema_version", 0),
                     srv_store_schema_version() + 1 -
                         srv_store_first_version(db));
    assert_int_equal(raw_int("SELECT MAX(version) FROM schema_version", 0),
                     srv_store_schema_version());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(workflow),
        cmocka_unit_test(recurring_item),
        cmocka_unit_test(scopes),
        cmocka_unit_test(audit_is_append_only),
        cmocka_unit_test(screen_status),
        cmocka_unit_test(areas_and_centres),
        cmocka_unit_test(screens),
        cmocka_unit_test(orgs_and_users),
        cmocka_unit_test(sessions_and_tokens),
        cmocka_unit_test(items_and_queue),
        cmocka_unit_test(alerts),
        cmocka_unit_test(play_log),
        cmocka_unit_test(audit_paging),
        cmocka_unit_test(reopen_migrates_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
