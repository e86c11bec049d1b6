/*
 * player_netlib.h: libcurl and libmosquitto, opened when the sync first
 * needs them (dlopen) rather than linked into the program.
 *
 * Linked, the two and the thirty-odd libraries under them (TLS, Kerberos,
 * LDAP, SSH, IDN, ...) are mapped and relocated by the dynamic loader
 * before main(): about 7 ms of CPU on the way to the first frame, for a
 * network side that starts only after that frame (and never on a screen
 * that shows a --manifest file or has no server_url). Only player_fetch.c
 * and player_mqtt.c call through this table; the types are the libraries'
 * own (from their headers), so a call is checked like a direct one, except
 * curl's option-type check of curl_easy_setopt (a macro around the call).
 */
#ifndef PLAYER_NETLIB_H
#define PLAYER_NETLIB_H

#include <curl/curl.h>
#include <mosquitto.h>

struct player_netlib_curl {
    __typeof__(curl_global_init) *global_init;
    __typeof__(curl_easy_init) *easy_init;
    __typeof__(curl_easy_cleanup) *easy_cleanup;
    __typeof__(curl_easy_reset) *easy_reset;
    __typeof__(curl_easy_setopt) *easy_setopt;
    __typeof__(curl_easy_perform) *easy_perform;
    __typeof__(curl_easy_getinfo) *easy_getinfo;
    __typeof__(curl_easy_strerror) *easy_strerror;
    __typeof__(curl_slist_append) *slist_append;
    __typeof__(curl_slist_free_all) *slist_free_all;
};

struct player_netlib_mosq {
    __typeof__(mosquitto_lib_init) *lib_init;
    __typeof__(mosquitto_new) *new_client;
    __typeof__(mosquitto_destroy) *destroy;
    __typeof__(mosquitto_int_option) *int_option;
    __typeof__(mosquitto_log_callback_set) *log_callback_set;
    __typeof__(mosquitto_connect_callback_set) *connect_callback_set;
    __typeof__(mosquitto_disconnect_callback_set) *disconnect_callback_set;
    __typeof__(mosquitto_publish_callback_set) *publish_callback_set;
    __typeof__(mosquitto_message_callback_set) *message_callback_set;
    __typeof__(mosquitto_username_pw_set) *username_pw_set;
    __typeof__(mosquitto_tls_set) *tls_set;
    __typeof__(mosquitto_will_set) *will_set;
    __typeof__(mosquitto_reconnect_delay_set) *reconnect_delay_set;
    __typeof__(mosquitto_connect_async) *connect_async;
    __typeof__(mosquitto_loop_start) *loop_start;
    __typeof__(mosquitto_loop_stop) *loop_stop;
    __typeof__(mosquitto_publish) *publish;
    __typeof__(mosquitto_subscribe) *subscribe;
    __typeof__(mosquitto_disconnect) *disconnect;
    __typeof__(mosquitto_strerror) *error_string;
    __typeof__(mosquitto_connack_string) *connack_string;
};

/* libcurl's functions: the library is opened on the first call (any
 * thread; once per process). NULL when it cannot be opened or lacks one
 * of them (logged once); the table lives as long as the process. */
const struct player_netlib_curl *player_netlib_curl(void);

/* The same for libmosquitto. */
const struct player_netlib_mosq *player_netlib_mosq(void);

#endif
