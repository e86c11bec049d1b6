/*
 * taulu_err.h: the error codes of Infotaulu.
 *
 * Every function of common/ that can fail returns 0 (TAULU_OK) or one of the
 * negative codes below; taulu_strerror() gives a short English phrase for a
 * log line. User-facing messages are never built from these phrases: they
 * come from the message catalogues of the programs.
 */
#ifndef TAULU_ERR_H
#define TAULU_ERR_H

enum taulu_err {
    TAULU_OK = 0,
    TAULU_ENOMEM = -1,     /* out of memory */
    TAULU_EINVAL = -2,     /* invalid argument from the caller */
    TAULU_ELIMIT = -3,     /* a size or count limit was exceeded */
    TAULU_EIO = -4,        /* reading or writing a file failed (see errno) */
    TAULU_EPARSE = -5,     /* malformed input (JSON, config line, date) */
    TAULU_ETYPE = -6,      /* a field has the wrong type */
    TAULU_EMISSING = -7,   /* a required field is missing */
    TAULU_EVALUE = -8,     /* a field has a value out of its domain */
    TAULU_EUTF8 = -9,      /* a string is not valid UTF-8 or has controls */
    TAULU_EVERSION = -10,  /* unknown format or protocol version */
    TAULU_ESIG = -11,      /* signature missing, malformed or not valid */
    TAULU_EHASH = -12,     /* content does not match its sha256 */
    TAULU_ECRYPTO = -13,   /* the crypto library failed to initialise */
    TAULU_ENOTFOUND = -14, /* no such file, key or record */
    TAULU_ESTALE = -15,    /* older than what we already have (rollback) */
    TAULU_ECONFIG = -16,   /* configuration is not valid */
    TAULU_EUNAVAIL = -17,  /* a resource (dictionary, font) is not available */
    /* Not a failure to report: the content server's request helpers say
     * with it that they have answered the request already (an error
     * status), so the caller only returns. Apart from the other codes so
     * that codes added after them never take its value. */
    TAULU_EANSWERED = -64,
    /* The server's storage (srv_store.h); numbered apart from the rest. */
    TAULU_ECONFLICT = -100,   /* a unique value is taken, or the record
                                 changed since it was read */
    TAULU_EREFERENCED = -101, /* still used by other records */
    TAULU_EDB = -102,         /* the database failed */
};

/* A short English phrase for the code; never NULL (unknown codes give
 * "unknown error"). */
const char *taulu_strerror(int err);

#endif
