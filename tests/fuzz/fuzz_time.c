/*
 * fuzz_time.c: libFuzzer target for the RFC 3339 parser and the date
 * formatters. Checks that a parsed instant formats and parses back to
 * itself, that every local day is 23 to 25 hours long and contains its
 * instant, and that no formatter crashes or overruns its buffer.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "taulu_time.h"
#include "taulu_datefmt.h"
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    char s[64];
    int64_t t, back, a, b;
    char iso[TAULU_ISO_LEN];
    struct taulu_buf buf;
    if (n > 63)
        n = 63;
    memcpy(s, d, n);
    s[n] = 0;
    if (taulu_time_parse_iso(s, &t) == 0) {
        taulu_time_format_iso(t, iso);
        if (taulu_time_parse_iso(iso, &back) != 0 || back != t)
            abort();
        if (s[19] == 'Z' && strcmp(iso, s) != 0)
            abort();
    }
    /* The manifest's form is a strict subset of the general one. */
    if (taulu_time_parse_iso_form(s, TAULU_ISO_MANIFEST, &t) == 0) {
        if (taulu_time_parse_iso(s, &back) != 0 || back != t || t < 0) {
            abort();
        }
        if (taulu_time_format_iso_form(t, TAULU_ISO_MANIFEST, iso) != 0 ||
            strcmp(iso, s) != 0) {
            abort();
        }
    }
    if (n >= 17) {
        memcpy(&a, d, 8);
        memcpy(&b, d + 8, 8);
        a %= INT64_C(400000000000);
        b = a + (b % INT64_C(20000000));
        taulu_buf_init(&buf, 40 + (d[16] & 63));
        for (int l = 0; l < 3; l++) {
            taulu_fmt_event_when(&buf, (enum taulu_lang)l, d[16] & 64, a, b,
                                 a - 3600, &taulu_tz_helsinki);
            taulu_fmt_day(&buf, (enum taulu_lang)l, d[16] & 128, a, b,
                          &taulu_tz_helsinki);
        }
        int64_t m = taulu_time_next_midnight(a, &taulu_tz_helsinki);
        int64_t st = taulu_time_day_start(a, &taulu_tz_helsinki);
        if (a > -62135596800 + 86400 && a < 253402300799 - 2 * 86400) {
            if (!(st <= a && a < m))
                abort();
            /* 23, 24 or 25 hours, or in between: the zone is read from
             * tzdata, whose Helsinki left local mean time (+1:39:49) for
             * EET in 1921, a day 20 min 11 s short. */
            if (m - st < 82800 || m - st > 90000)
                abort();
        }
        taulu_buf_release(&buf);
    }
    return 0;
}
