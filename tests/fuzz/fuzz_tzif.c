/*
 * fuzz_tzif.c: libFuzzer target for the TZif reader and the POSIX TZ rule
 * parser (common/taulu_tzif.c) and for civil time in the zones they make.
 *
 * The input is given whole to both parsers: as a TZif file and as a TZ
 * string. Checks beyond "does not crash or read outside the input":
 *  - the answer is 0 or one of the documented refusals;
 *  - every offset a zone gives is within the range the parser enforces;
 *  - a strict prefix of an accepted file is refused (the data must end
 *    exactly where the header and the footer say);
 *  - a TZ string version 2 accepts, version 3 accepts the same way;
 *  - civil time in a parsed zone works for instants of years 2..9998.
 * The seed corpus is made by make_tzif_corpus.sh from the system's tzdata.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "taulu_err.h"
#include "taulu_time.h"
#include "taulu_tzif.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* The offsets taulu_tzif.c lets through (RFC 8536's bounds). */
#define UTOFF_MIN (-89999)
#define UTOFF_MAX 93599

static void offset_in_range(int32_t off)
{
    if (off < UTOFF_MIN || off > UTOFF_MAX) {
        abort();
    }
}

/* Instants to probe: fixed ones around today and the 32-bit limits, and
 * some from the input's bytes. */
static size_t probes(const uint8_t *d, size_t n, int64_t *t, size_t max)
{
    static const int64_t fixed[] = {
        INT64_MIN,   -62135596800, -2147483649,
        -2147483648, -1,           0,
        1774746000,  1792890000,   2147483647,
        2147483648,  253402300799, INT64_MAX,
    };
    size_t k = 0, i;

    for (i = 0; i < sizeof fixed / sizeof fixed[0] && k < max; i++) {
        t[k++] = fixed[i];
    }
    for (i = 0; i + 8 <= n && k < max; i += 8) {
        int64_t v;

        memcpy(&v, d + i, 8);
        t[k++] = v;
    }
    return k;
}

static void zone_works(const struct taulu_tzif *z, const int64_t *t, size_t k)
{
    struct taulu_tz tz = {"fuzz", 0, false, z};
    size_t i;

    for (i = 0; i < k; i++) {
        struct taulu_civil c;
        int64_t back;
        /* Years 2..9998: room for any offset either way. */
        int64_t u = t[i] % INT64_C(315000000000);

        if (u < 0) {
            u = -u;
        }
        u -= INT64_C(62000000000);
        offset_in_range(taulu_tzif_utoff(z, t[i]));
        offset_in_range(taulu_tz_utoff_at(&tz, u));
        if (taulu_time_to_civil(u, &tz, &c) != 0) {
            abort();
        }
        if (taulu_time_from_civil(&tz, c.year, c.month, c.day, c.hour, c.min,
                                  c.sec, &back) != 0) {
            abort();
        }
        (void)taulu_time_next_midnight(u, &tz);
        (void)taulu_time_day_start(u, &tz);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    struct taulu_tzif *z = NULL, *p = NULL;
    struct taulu_tz_rule r2, r3;
    int64_t t[64];
    size_t k = probes(d, n, t, sizeof t / sizeof t[0]), i;
    int rc = taulu_tzif_parse(d, n, &z);

    if (rc == 0) {
        zone_works(z, t, k);
        if (n > 0 && taulu_tzif_parse(d, n - 1, &p) == 0) {
            abort();
        }
        taulu_tzif_free(z);
    } else if (rc != TAULU_EPARSE && rc != TAULU_EVERSION &&
               rc != TAULU_EVALUE && rc != TAULU_ELIMIT && rc != TAULU_ENOMEM) {
        abort();
    }

    rc = taulu_tz_rule_parse((const char *)d, n, 3, &r3);
    if (rc != 0 && rc != TAULU_EPARSE) {
        abort();
    }
    if (taulu_tz_rule_parse((const char *)d, n, 2, &r2) == 0) {
        if (rc != 0 || r2.std_utoff != r3.std_utoff ||
            r2.dst_utoff != r3.dst_utoff || r2.has_dst != r3.has_dst ||
            r2.start.secs != r3.start.secs || r2.end.secs != r3.end.secs) {
            abort();
        }
    }
    if (rc == 0) {
        for (i = 0; i < k; i++) {
            offset_in_range(taulu_tz_rule_utoff(&r3, t[i]));
        }
    }
    return 0;
}
