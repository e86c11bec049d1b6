/*
 * srv_app.h: what the handlers share, for the whole run of the server.
 * The HTTP edge carries a pointer to it in every request (r->app) without
 * knowing what is inside; the program (srv_main.c) fills it from its
 * settings before it starts serving.
 */
#ifndef SRV_APP_H
#define SRV_APP_H

#include <stdbool.h>
#include <stdint.h>

struct srv_store;
struct srv_ratelimit; /* srv_auth.h */
struct srv_metrics;   /* srv_metrics.h */
struct srv_checker;   /* srv_check.h */
struct srv_pubapp;    /* srv_pubapp.h */
struct srv_mailer;    /* srv_mailer.h */
struct srv_tally;     /* srv_tally.h */
struct srv_enrol;     /* srv_enrol.h */
struct srv_importer;  /* srv_import.h */

struct srv_app {
    struct srv_store *store;
    struct srv_ratelimit *rl_account; /* login failures per account */
    struct srv_ratelimit *rl_ip;      /* ... and per client address */
    struct srv_metrics *metrics;      /* what /metrics renders */
    /* Refused logins, counted per address and minute and written to the
     * audit log by srv_api_flush_refusals(). */
    struct srv_tally *refusals;
    int64_t started_at;
    /* The checker and renderer; NULL in tests of the API alone: then items
     * are stored unchecked and /check answers 503. */
    struct srv_checker *checker;
    /* The publishing side; NULL when not started (tests of the API alone):
     * then its hooks do nothing and its routes answer 503. */
    struct srv_pubapp *pub;
    /* The mailer; NULL when e-mail is off (messages only queue). */
    struct srv_mailer *mailer;
    /* Password resets asked for, per address and per client address;
     * uses of unknown set-password links per client address
     * (srv_api_account.c). */
    struct srv_ratelimit *rl_reset_account;
    struct srv_ratelimit *rl_reset_ip;
    struct srv_ratelimit *rl_link_ip;
    /* Enrolment of new screens (srv_api_enrol.c, srv_enrol.h): the open
     * sessions; sessions opened per client address; failed binds per
     * coordinator and client address. NULL (tests of the API alone):
     * enrolment answers 503. */
    struct srv_enrol *enrol;
    struct srv_ratelimit *rl_enrol_ip;
    struct srv_ratelimit *rl_bind;

    /* The importers' thread, woken when a source is added or asked to
     * run; NULL when not started (tests of the API alone). */
    struct srv_importer *importer;
    /* Tests only (INFOTAULU_TEST_IMPORT_LOOPBACK=1): sources may name
     * http:// and loopback addresses (import/srv_fetch.h). */
    bool import_loopback;

    /* Settings the handlers read (srv_config.h has their meaning). */
    const char *public_url; /* the public pages' base ("" = not set) */
    int64_t session_ttl;    /* seconds a session lives */
};

#endif
