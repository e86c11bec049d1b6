/*
 * itest.h: helpers for the content server's integration tests: start the
 * real infotaulu-server on a port the kernel chooses, talk to it with
 * libcurl, and read JSON answers.
 */
#ifndef ITEST_H
#define ITEST_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct itest_server {
    pid_t pid;
    unsigned port;
    char dir[256];
    char db[320];
    char log[320];
    char web[320];
    /* Extra arguments for every start when itest_start() gets none (e.g.
     * the broker settings of the publishing tests); NULL-terminated. */
    const char *const *extra;
};

/* Who a request is made as: nobody, a bearer token, or a cookie session
 * (with its CSRF token, sent on writes unless `no_csrf`). */
struct itest_auth {
    char bearer[128];
    char cookie[128];
    char csrf[128];
    bool no_csrf;
};

struct itest_resp {
    long status;
    char *body;
    size_t len;
    char *headers;
    cJSON *json; /* parsed body, NULL if not JSON */
};

/* A fresh directory under $TAULU_TEST_TMP for one test program. */
void itest_setup_dir(struct itest_server *s, const char *name);
/* Creates a coordinator with the CLI (password on stdin). 0 on success. */
int itest_create_coordinator(struct itest_server *s, const char *email,
                             const char *password);
/* Starts the server (extra arguments may be NULL) and waits until
 * /healthz answers. 0 on success. */
int itest_start(struct itest_server *s, const char *const *extra);
/* Starts `peer` as another instance of the server `s` (PostgreSQL only:
 * "Several instances" in srv_store.h): the same database, extra arguments
 * and data directory (signing key, broker password files: instances
 * behind one load balancer share their configuration), in the folder
 * s->dir/<name> with a port and log of its own. 0 on success. */
int itest_start_peer(const struct itest_server *s, struct itest_server *peer,
                     const char *name);
/* SIGTERM and wait; returns the exit status (or -1). Not 0: says so and
 * prints the end of the server's log. A sanitizer build reports leaks at
 * exit and then exits non-zero, so check the result in a test of its own
 * (last in the group): cmocka 1.1 does not count a failing group
 * teardown. */
int itest_stop(struct itest_server *s);

/* A counter or gauge from the server's /metrics (its name without the
 * labels, e.g. "infotaulu_screens_online"); -1 if it is not there. */
long long itest_metric(struct itest_server *s, const char *name);

/* Runs one write on the server's database past the server (content
 * stored before today's rules, say): `sql` with $1 and $2 standing for
 * the text `a` and the integer `b`, on SQLite or PostgreSQL, whichever
 * the test runs on. 0, or -1 with the reason on stderr. */
int itest_db_write(const struct itest_server *s, const char *sql, const char *a,
                   long long b);
/* SIGKILL and reap. */
void itest_kill9(struct itest_server *s);

/* One request. `body` may be NULL; `ctype` NULL means application/json
 * when there is a body. Returns 0 or -1 (transport error). */
int itest_req(struct itest_server *s, const char *method, const char *path,
              const struct itest_auth *auth, const char *body,
              struct itest_resp *out);
int itest_req_raw(struct itest_server *s, const char *method, const char *path,
                  const struct itest_auth *auth, const char *body, size_t len,
                  const char *ctype, struct itest_resp *out);
void itest_resp_free(struct itest_resp *r);

/* printf-style request that asserts the status and returns the parsed
 * JSON (owned by the caller, may be NULL for empty answers). */
cJSON *itest_call(struct itest_server *s, const struct itest_auth *auth,
                  long expect, const char *method, const char *path,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Signs in with a password; fills cookie and csrf. 0 or -1. */
int itest_login(struct itest_server *s, const char *email, const char *password,
                struct itest_auth *out);
/* Creates an API token for a signed-in user and fills out->bearer. */
int itest_api_token(struct itest_server *s, const struct itest_auth *as,
                    struct itest_auth *out);

/* JSON helpers. */
long long itest_int(const cJSON *o, const char *name);
const char *itest_str(const cJSON *o, const char *name);
/* "2026-11-22T10:00:00Z" for now + seconds. */
void itest_iso(long long offset_seconds, char out[32]);
/* The instant `days` days from today (UTC) at hour `hh_utc`:00 UTC, plus
 * `offset_s`, as RFC 3339 UTC. For events: one anchored in the day, not
 * at "now + 3 days", keeps its card the same whatever the hour the suite
 * runs (an evening start crosses local midnight and its time line grows
 * two lines, which the fit gate refuses on the reference screens). */
void itest_iso_at(int days, int hh_utc, long long offset_s, char out[32]);

/*
 * A small county for the tests: coordinator; centres c1 (Tuira), c2
 * (Kaakkuri), c3 (Raahe); organisations a (memory association) and b
 * (parish); users member_a, member_b, contact_1 (of c1), contact_2 (of c2);
 * screen s1 at c1 with its token. Every user has an API token (auth_*) and
 * the coordinator also a cookie session (coord_cookie).
 */
#define ITEST_PASSWORD "vahva-salasana-123"
struct itest_world {
    long long area, c1, c2, c3, org_a, org_b;
    long long member_a, member_b, contact_1, contact_2, s1;
    struct itest_auth coord_cookie, coord, mem_a, mem_b, con_1, con_2, screen,
        anon;
};
void itest_world_setup(struct itest_server *s, struct itest_world *w);
/* Creates a user with roles; returns its id and fills its API token. */
long long itest_user(struct itest_server *s, const struct itest_auth *coord,
                     const char *email, const char *roles_json,
                     struct itest_auth *token);
/* An item of `org` at the centres of `centres_json` ("[1,2]"), created
 * by `as`; returns its id. */
long long itest_item(struct itest_server *s, const struct itest_auth *as,
                     long long org, const char *centres_json,
                     const char *title);
/* A weekly series for the tests: every `wday` (ISO, 1 = Monday) from
 * 14:00 to 16:00 Helsinki time, `weeks` occurrences, the first on the
 * first such day at least two days from now; the item is shown until
 * the day after the last one. Dates are "YYYY-MM-DD", instants RFC 3339
 * in UTC. */
struct itest_series {
    char first_day[11], second_day[11], until_day[11];
    char starts_at[32], ends_at[32], display_until[32];
    long long start, end; /* the first occurrence, Unix seconds */
};
void itest_weekly(struct itest_series *out, int wday, int weeks);
/* An event of `org` at `centres_json` repeating as `sr` says ("byday" is
 * the rule's day, "TU"); returns its id. */
long long itest_recurring_item(struct itest_server *s,
                               const struct itest_auth *as, long long org,
                               const char *centres_json, const char *title,
                               const struct itest_series *sr,
                               const char *byday);
/* The id of the item's placement at `centre`, or -1. */
long long itest_placement(struct itest_server *s, const struct itest_auth *as,
                          long long item, long long centre);

#endif
