/*
 * test_srv_store_mail.c: the store's side of accounts and e-mail against
 * a real SQLite file: set-password links (expired, used, of a disabled
 * account: gone), an account without a password, the bounded mail queue,
 * the end states of a message, and when a contact person's "waiting"
 * digest is due (the delay that gathers a burst, the interval between
 * digests, not for one's own items, not with notifications off).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "srv_store.h"
#include "tsupport_db.h"
#include "taulu_time.h"

static char db[300];
static struct srv_store *st;
static int64_t centre, org, contact, member;

static int64_t make_user(const char *email, const int64_t *centres, size_t nc,
                         const int64_t *orgs, size_t no)
{
    struct srv_user u;
    int64_t id;

    memset(&u, 0, sizeof(u));
    u.email = email;
    u.name = email;
    u.contact_centres.v = (int64_t *)(uintptr_t)centres;
    u.contact_centres.n = nc;
    u.orgs.v = (int64_t *)(uintptr_t)orgs;
    u.orgs.n = no;
    assert_int_equal(srv_store_user_create(st, 0, &u, "$hash", &id), 0);
    return id;
}

static int setup(void **state)
{
    const char *tmp = getenv("TAULU_TEST_TMP");
    struct srv_centre c;
    struct srv_org o;
    char cmd[400];

    (void)state;
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", tmp ? tmp : "/tmp");
    assert_int_equal(system(cmd), 0);
    {
        char dir[260];
        snprintf(dir, sizeof(dir), "%s/store-mail.%d", tmp ? tmp : "/tmp",
                 (int)getpid());
        mkdir(dir, 0700);
        /* a SQLite file, or under the _pg twin a PostgreSQL database */
        assert_int_equal(tsupport_db_target("store_mail", dir, db, sizeof(db)),
                         0);
    }
    if (!tsupport_db_is_pg()) {
        unlink(db);
    }
    assert_int_equal(srv_store_open(db, 2, &st), 0);
    memset(&c, 0, sizeof(c));
    c.name = "Tuira";
    c.municipality = "564";
    c.address = "";
    c.opening_hours = "[null,null,null,null,null,null,null]";
    c.languages = "[\"fi\"]";
    assert_int_equal(srv_store_centre_create(st, 0, &c, &centre), 0);
    memset(&o, 0, sizeof(o));
    o.name = "Yhdistys";
    o.kind = "ngo";
    assert_int_equal(srv_store_org_create(st, 0, &o, &org), 0);
    contact = make_user("tuula@pohde.fi", &centre, 1, NULL, 0);
    member = make_user("aino@muisti.fi", NULL, 0, &org, 1);
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

/* The messages queued now, of `kind` (NULL: all). */
static size_t queued(const char *kind, int64_t user)
{
    struct srv_pool p;
    struct srv_mail *m;
    size_t n, i, c = 0;

    srv_pool_init(&p);
    assert_int_equal(srv_store_mail_due(st, &p, taulu_now() + 1, 1000, &m, &n),
                     0);
    for (i = 0; i < n; i++) {
        if ((!kind || strcmp(m[i].kind, kind) == 0) &&
            (!user || m[i].user_id == user)) {
            c++;
        }
    }
    srv_pool_release(&p);
    return c;
}

/* Ends every queued message as sent. */
static void send_all(void)
{
    struct srv_pool p;
    struct srv_mail *m;
    size_t n, i;

    srv_pool_init(&p);
    assert_int_equal(srv_store_mail_due(st, &p, taulu_now() + 1, 1000, &m, &n),
                     0);
    for (i = 0; i < n; i++) {
        assert_int_equal(
            srv_store_mail_done(st, m[i].id, "sent", taulu_now(), NULL), 0);
    }
    srv_pool_release(&p);
}

static void links(void **state)
{
    struct srv_pool p;
    struct srv_user u, got;
    struct srv_link l;
    struct srv_mail *m;
    uint8_t h1[32], h2[32], h3[32];
    int64_t id, uid = 0;
    size_t n;

    (void)state;
    srv_pool_init(&p);
    memset(h1, 1, 32);
    memset(h2, 2, 32);
    memset(h3, 3, 32);
    memset(&u, 0, sizeof(u));
    u.email = "uusi@muisti.fi";
    u.name = "Uusi";
    assert_int_equal(srv_store_user_invite(st, contact, &u, &id), 0);
    assert_int_equal(srv_store_user_get(st, &p, id, &got), 0);
    assert_false(got.password_set);
    assert_true(got.mail_pending);
    assert_string_equal(got.lang, "fi");
    assert_true(got.notify);
    assert_int_equal(queued("invite", id), 1);
    assert_int_equal(srv_store_mail_due(st, &p, taulu_now() + 1, 10, &m, &n),
                     0);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].params, "{\"by\":\"tuula@pohde.fi\"}");
    /* An expired link is no link; the next one of the same message
     * replaces it. */
    assert_int_equal(
        srv_store_link_put(st, m[0].id, id, "invite", h1, taulu_now() - 1), 0);
    assert_int_equal(srv_store_link_get(st, &p, h1, taulu_now(), &l),
                     TAULU_ENOTFOUND);
    assert_int_equal(
        srv_store_link_put(st, m[0].id, id, "invite", h2, taulu_now() + 600),
        0);
    assert_int_equal(srv_store_link_get(st, &p, h2, taulu_now(), &l), 0);
    assert_int_equal(l.user_id, id);
    assert_string_equal(l.purpose, "invite");
    assert_string_equal(l.email, "uusi@muisti.fi");
    assert_int_equal(srv_store_link_get(st, &p, h3, taulu_now(), &l),
                     TAULU_ENOTFOUND);
    /* Resending to an account without a password is fine. */
    assert_int_equal(srv_store_user_reinvite(st, contact, id), 0);
    /* Used once: the password is set, every link of the account gone. */
    assert_int_equal(srv_store_link_use(st, h2, taulu_now(), "$new", &uid), 0);
    assert_int_equal(uid, id);
    assert_int_equal(srv_store_link_use(st, h2, taulu_now(), "$new", &uid),
                     TAULU_ENOTFOUND);
    assert_int_equal(srv_store_user_get(st, &p, id, &got), 0);
    assert_true(got.password_set);
    assert_int_equal(srv_store_user_reinvite(st, contact, id), TAULU_ECONFLICT);
    /* A forced reset clears the password and queues a reset. */
    assert_int_equal(srv_store_user_force_reset(st, contact, id), 0);
    assert_int_equal(srv_store_user_get(st, &p, id, &got), 0);
    assert_false(got.password_set);
    assert_int_equal(queued("reset", id), 1);
    assert_int_equal(srv_store_user_force_reset(st, contact, 999999),
                     TAULU_ENOTFOUND);
    send_all();
    srv_pool_release(&p);
}

static void bounded_queue(void **state)
{
    int i;

    (void)state;
    send_all();
    srv_store_mail_limit(st, 3);
    for (i = 0; i < 3; i++) {
        assert_int_equal(srv_store_reset_request(st, "kuka@tahansa.fi"), 0);
    }
    assert_int_equal(srv_store_reset_request(st, "kuka@tahansa.fi"),
                     TAULU_ELIMIT);
    assert_int_equal(queued("reset", 0), 3);
    srv_store_mail_limit(st, SRV_MAIL_QUEUE_DEFAULT);
    send_all();
}

static void digests(void **state)
{
    struct srv_item it;
    struct srv_item_text t;
    int64_t item, now = taulu_now(), next = 0, t0, t1;

    (void)state;
    send_all();
    memset(&it, 0, sizeof(it));
    memset(&t, 0, sizeof(t));
    t.lang = "fi";
    t.title = "Muistikahvila";
    t.body = "Tule.";
    it.org_id = org;
    it.kind = "bulletin";
    it.category = "osallisuus";
    it.display_until = now + 86400;
    it.texts = &t;
    it.n_texts = 1;
    /* The contact's own item does not count. */
    it.created_by = contact;
    assert_int_equal(
        srv_store_item_create(st, contact, &it, &centre, 1, "{}", &item), 0);
    assert_int_equal(srv_store_mail_digests(st, now + 3600, 60, 3600), 0);
    it.created_by = member;
    /* The submission is stamped with the real time: bounded by the
     * clock read around it (a loaded machine may take seconds). */
    t0 = taulu_now();
    assert_int_equal(
        srv_store_item_create(st, member, &it, &centre, 1, "{}", &item), 0);
    t1 = taulu_now();
    /* Not before the delay (next says when); then one; not again
     * within the interval, but after it when more came. (Digests run at
     * the real time: the store remembers it as what was told.) */
    assert_int_equal(srv_store_mail_next(st, 60, 3600, &next), 0);
    assert_true(next >= t0 + 60 && next <= t1 + 61);
    assert_int_equal(srv_store_mail_digests(st, now + 30, 60, 3600), 0);
    assert_int_equal(srv_store_mail_digests(st, now, 0, 3600), 1);
    assert_int_equal(queued("waiting", contact), 1);
    send_all();
    assert_int_equal(
        srv_store_item_create(st, member, &it, &centre, 1, "{}", &item), 0);
    assert_int_equal(srv_store_mail_digests(st, now + 200, 0, 3600), 0);
    assert_int_equal(srv_store_mail_digests(st, now + 3600, 0, 3600), 1);
    send_all();
    /* Notifications off: none. */
    assert_int_equal(srv_store_user_set_prefs(st, contact, "sv", 0), 0);
    assert_int_equal(
        srv_store_item_create(st, member, &it, &centre, 1, "{}", &item), 0);
    assert_int_equal(srv_store_mail_digests(st, now + 3 * 86400, 60, 3600), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(links),
        cmocka_unit_test(bounded_queue),
        cmocka_unit_test(digests),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
