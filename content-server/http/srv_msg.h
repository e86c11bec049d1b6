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

/* A date or time error about one field, in words that name the field
 * ("The event's end time is not a valid date ..."), for the codes and
 * fields that have one (invalid_time, in_past, bad_window, out_of_range,
 * missing_field about starts_at, ends_at, display_from, display_until,
 * since, until); NULL for any other pair: then srv_msg_find(code). A
 * volunteer who mistyped a year is told which of the form's dates it is,
 * not the format of an API. */
const struct srv_msg *srv_msg_find_field(const char *code, const char *field);

#endif
