/*
 * player_netlib.c: opens libcurl and libmosquitto at run time (see
 * player_netlib.h). The sonames come from the build (the libraries the
 * headers belong to); the handles stay open until the process ends.
 */
#include "player_netlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "taulu_log.h"

#define TAG "sync"

#ifndef PLAYER_LIBCURL_SONAME
#define PLAYER_LIBCURL_SONAME "libcurl.so.4"
#endif
#ifndef PLAYER_LIBMOSQUITTO_SONAME
#define PLAYER_LIBMOSQUITTO_SONAME "libmosquitto.so.1"
#endif

/* A function pointer and dlsym's void * have the same size and
 * representation on every platform with dlsym (POSIX); memcpy keeps ISO C
 * from seeing an object-to-function pointer conversion. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
               "function pointers are as wide as void *");

static bool sym(void *lib, const char *soname, const char *name, void *slot)
{
    void *p = dlsym(lib, name);

    if (!p) {
        taulu_err(TAG, "%s has no %s", soname, name);
        return false;
    }
    memcpy(slot, &p, sizeof p);
    return true;
}

static void *open_lib(const char *soname)
{
    /* RTLD_NOW: a missing symbol shows now, not in the middle of a fetch */
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

    if (!lib) {
        taulu_err(TAG, "cannot open %s (the network side stays off): %s",
                  soname, dlerror());
    }
    return lib;
}

#define SYM(lib, soname, t, field, name)                                       \
    (ok = ok && sym((lib), (soname), (name), &(t).field))

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static struct player_netlib_curl curl_fns;
static bool curl_ok;

static void open_curl(void)
{
    const char *so = PLAYER_LIBCURL_SONAME;
    void *lib = open_lib(so);
    bool ok = lib != NULL;

    SYM(lib, so, curl_fns, global_init, "curl_global_init");
    SYM(lib, so, curl_fns, easy_init, "curl_easy_init");
    SYM(lib, so, curl_fns, easy_cleanup, "curl_easy_cleanup");
    SYM(lib, so, curl_fns, easy_reset, "curl_easy_reset");
    SYM(lib, so, curl_fns, easy_setopt, "curl_easy_setopt");
    SYM(lib, so, curl_fns, easy_perform, "curl_easy_perform");
    SYM(lib, so, curl_fns, easy_getinfo, "curl_easy_getinfo");
    SYM(lib, so, curl_fns, easy_strerror, "curl_easy_strerror");
    SYM(lib, so, curl_fns, slist_append, "curl_slist_append");
    SYM(lib, so, curl_fns, slist_free_all, "curl_slist_free_all");
    curl_ok = ok;
}

const struct player_netlib_curl *player_netlib_curl(void)
{
    pthread_once(&curl_once, open_curl);
    return curl_ok ? &curl_fns : NULL;
}

static pthread_once_t mosq_once = PTHREAD_ONCE_INIT;
static struct player_netlib_mosq mosq_fns;
static bool mosq_ok;

static void open_mosq(void)
{
    const char *so = PLAYER_LIBMOSQUITTO_SONAME;
    void *lib = open_lib(so);
    bool ok = lib != NULL;

    SYM(lib, so, mosq_fns, lib_init, "mosquitto_lib_init");
    SYM(lib, so, mosq_fns, new_client, "mosquitto_new");
    SYM(lib, so, mosq_fns, destroy, "mosquitto_destroy");
    SYM(lib, so, mosq_fns, int_option, "mosquitto_int_option");
    SYM(lib, so, mosq_fns, log_callback_set, "mosquitto_log_callback_set");
    SYM(lib, so, mosq_fns, connect_callback_set,
        "mosquitto_connect_callback_set");
    SYM(lib, so, mosq_fns, disconnect_callback_set,
        "mosquitto_disconnect_callback_set");
    SYM(lib, so, mosq_fns, publish_callback_set,
        "mosquitto_publish_callback_set");
    SYM(lib, so, mosq_fns, message_callback_set,
        "mosquitto_message_callback_set");
    SYM(lib, so, mosq_fns, username_pw_set, "mosquitto_username_pw_set");
    SYM(lib, so, mosq_fns, tls_set, "mosquitto_tls_set");
    SYM(lib, so, mosq_fns, will_set, "mosquitto_will_set");
    SYM(lib, so, mosq_fns, reconnect_delay_set,
        "mosquitto_reconnect_delay_set");
    SYM(lib, so, mosq_fns, connect_async, "mosquitto_connect_async");
    SYM(lib, so, mosq_fns, loop_start, "mosquitto_loop_start");
    SYM(lib, so, mosq_fns, loop_stop, "mosquitto_loop_stop");
    SYM(lib, so, mosq_fns, publish, "mosquitto_publish");
    SYM(lib, so, mosq_fns, subscribe, "mosquitto_subscribe");
    SYM(lib, so, mosq_fns, disconnect, "mosquitto_disconnect");
    SYM(lib, so, mosq_fns, error_string, "mosquitto_strerror");
    SYM(lib, so, mosq_fns, connack_string, "mosquitto_connack_string");
    mosq_ok = ok;
}

const struct player_netlib_mosq *player_netlib_mosq(void)
{
    pthread_once(&mosq_once, open_mosq);
    return mosq_ok ? &mosq_fns : NULL;
}
