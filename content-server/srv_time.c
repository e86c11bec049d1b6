/*
 * srv_time.c: the server's names for common/taulu_time (RFC 3339 instants
 * and the clock). Kept as wrappers so handlers read as before; the parsing
 * and formatting rules are taulu_time's alone.
 */
#include "srv_time.h"

#include "taulu_time.h"

int srv_time_parse_iso(const char *s, int64_t *out)
{
    return taulu_time_parse_iso(s, out);
}

void srv_time_format_iso(int64_t t, char out[SRV_ISO_LEN])
{
    taulu_time_format_iso(t, out);
}

int64_t srv_now(void)
{
    return taulu_now();
}
