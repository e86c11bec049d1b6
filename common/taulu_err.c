/* taulu_err.c: phrases for the error codes of taulu_err.h. */
#include "taulu_err.h"

const char *taulu_strerror(int err)
{
    switch ((enum taulu_err)err) {
    case TAULU_OK:
        return "success";
    case TAULU_ENOMEM:
        return "out of memory";
    case TAULU_EINVAL:
        return "invalid argument";
    case TAULU_ELIMIT:
        return "size or count limit exceeded";
    case TAULU_EIO:
        return "input/output error";
    case TAULU_EPARSE:
        return "malformed input";
    case TAULU_ETYPE:
        return "wrong type";
    case TAULU_EMISSING:
        return "required field missing";
    case TAULU_EVALUE:
        return "value out of range";
    case TAULU_EUTF8:
        return "invalid UTF-8 or control character";
    case TAULU_EVERSION:
        return "unsupported version";
    case TAULU_ESIG:
        return "signature not valid";
    case TAULU_EHASH:
        return "hash mismatch";
    case TAULU_ECRYPTO:
        return "crypto library failure";
    case TAULU_ENOTFOUND:
        return "not found";
    case TAULU_ESTALE:
        return "older than current version";
    case TAULU_ECONFIG:
        return "configuration not valid";
    case TAULU_EUNAVAIL:
        return "resource not available";
    case TAULU_ECONFLICT:
        return "conflict with stored data";
    case TAULU_EREFERENCED:
        return "still referenced";
    case TAULU_EDB:
        return "database failure";
    case TAULU_EANSWERED:
        return "request answered already";
    }
    return "unknown error";
}
