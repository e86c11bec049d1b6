/*
 * srv_msg.h: the catalogue of error messages the API returns, in Finnish,
 * Swedish and English. A handler names an error by its code ("missing_field")
 * and the HTTP status; the text comes from here, never from taulu_strerror()
 * or a library's message, so nothing internal leaks to a caller.
 */
#ifndef SRV_MSG_H
#define SRV_MSG_H

struct srv_msg {
    const char *code;
    const char *fi;
    const char *sv;
    const char *en;
};

/* The entry for `code`; the "internal" entry for an unknown code. */
const struct srv_msg *srv_msg_find(const char *code);

#endif
