/*
 * fuzz_check.c: libFuzzer target for the plain-language checker
 * (check_run) on arbitrary title and body bytes, with Finnish morphology
 * (Voikko) when the dictionary is installed.
 *
 * Input: [0] flags: language (fi, sv, en, de), plain language, event,
 * image without alt text, and whether the title bytes are also given as
 * one of the short texts (place, price, registration, contact: the top two
 * bits pick which); [1] title length (cut to what is there); then the
 * title and the body.
 *
 * Checks beyond "does not crash":
 *  - the check runs (invalid UTF-8 is a finding, never a failure), and a
 *    field that is not valid UTF-8 has a "utf8_invalid" error;
 *  - every finding's byte span lies inside its field; in a valid field it
 *    starts and ends on code point boundaries; its code point span agrees
 *    with the byte span (counting each byte of a broken sequence as one,
 *    as check.h and the form do);
 *  - an empty field only gets its "missing" error, with no span; findings
 *    about items and dates have no span;
 *  - every finding has a code and three messages in valid UTF-8, the list
 *    is sorted as check.h says, and the summary counts and light agree
 *    with the findings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "taulu_log.h"
#include "taulu_utf8.h"

#define NOW 1795000000 /* 2026-11-18, a fixed clock */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Code points in s[0..b): one per character, one per byte of a broken
 * sequence. For valid text, the bytes that are not continuation bytes. */
static size_t cps(const char *s, size_t b, int valid)
{
    size_t pos = 0, n = 0, i;

    if (valid) {
        for (i = 0; i < b; i++) {
            n += ((unsigned char)s[i] & 0xC0) != 0x80;
        }
        return n;
    }
    while (pos < b) {
        uint32_t cp;
        taulu_utf8_decode(s, b, &pos, &cp);
        n++;
    }
    return n;
}

static int on_boundary(const char *s, size_t len, size_t at)
{
    return at == len || ((unsigned char)s[at] & 0xC0) != 0x80;
}

static void check_span(const struct check_finding *f, const char *s, size_t len,
                       int valid, const char *missing)
{
    const struct check_span *sp = &f->span;

    if (len == 0) {
        if (strcmp(f->code, missing) != 0 || sp->byte_start || sp->byte_end ||
            sp->cp_start || sp->cp_end) {
            abort(); /* a finding inside an empty field */
        }
        return;
    }
    if (sp->byte_start > sp->byte_end || sp->byte_end > len) {
        abort();
    }
    if (valid && (!on_boundary(s, len, sp->byte_start) ||
                  !on_boundary(s, len, sp->byte_end))) {
        abort();
    }
    if (sp->cp_start != cps(s, sp->byte_start, valid) ||
        sp->cp_end - sp->cp_start !=
            cps(s + sp->byte_start, sp->byte_end - sp->byte_start, valid)) {
        abort();
    }
}

static int finding_order(const struct check_finding *a,
                         const struct check_finding *b)
{
    int c;

    if (a->field != b->field) {
        return a->field < b->field ? -1 : 1;
    }
    if (a->span.byte_start != b->span.byte_start) {
        return a->span.byte_start < b->span.byte_start ? -1 : 1;
    }
    if (a->span.byte_end != b->span.byte_end) {
        return a->span.byte_end < b->span.byte_end ? -1 : 1;
    }
    c = strcmp(a->code, b->code);
    return c < 0 ? -1 : c > 0;
}

static struct check_engine *engine(void)
{
    static struct check_engine *eng;
    int err = 0;

    if (!eng) {
        taulu_log_threshold = TAULU_LOG_ERR;
        eng = check_engine_new(NULL, &err);
        if (!eng) {
            abort();
        }
    }
    return eng;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const langs[] = {"fi", "sv", "en", "de"};
    struct check_input in;
    struct check_result res;
    static const enum check_field shorts[4] = {
        CHECK_FIELD_PLACE, CHECK_FIELD_PRICE, CHECK_FIELD_REGISTRATION,
        CHECK_FIELD_CONTACT};
    enum check_field sfield = CHECK_FIELD_COUNT; /* none */
    size_t tlen, i, l;
    unsigned counted[3] = {0, 0, 0};
    int tvalid, bvalid, tbad = 0, bbad = 0, sbad = 0;

    if (size < 2) {
        return 0;
    }
    tlen = data[1];
    if (tlen > size - 2) {
        tlen = size - 2;
    }
    memset(&in, 0, sizeof(in));
    in.lang = langs[data[0] & 3];
    in.plain_language = (data[0] >> 2) & 1;
    in.kind = (data[0] >> 3) & 1 ? CHECK_KIND_EVENT : CHECK_KIND_BULLETIN;
    in.has_image = (data[0] >> 4) & 1;
    in.title = (const char *)data + 2;
    in.title_len = tlen;
    in.body = (const char *)data + 2 + tlen;
    in.body_len = size - 2 - tlen;
    in.has_organisation = 1;
    in.has_contact = 1;
    in.now = NOW;
    in.display_until = NOW + 7 * 86400;
    if (in.kind == CHECK_KIND_EVENT) {
        in.event_start = NOW + 6 * 86400;
        in.event_end = NOW + 6 * 86400 + 7200;
    }
    if ((data[0] >> 5) & 1) {
        sfield = shorts[data[0] >> 6];
        switch (sfield) {
        case CHECK_FIELD_PLACE:
            in.place = in.title;
            in.place_len = in.title_len;
            break;
        case CHECK_FIELD_PRICE:
            in.price = in.title;
            in.price_len = in.title_len;
            break;
        case CHECK_FIELD_REGISTRATION:
            in.registration = in.title;
            in.registration_len = in.title_len;
            break;
        default:
            in.contact = in.title;
            in.contact_len = in.title_len;
            break;
        }
    }
    tvalid = taulu_utf8_valid(in.title, in.title_len);
    bvalid = taulu_utf8_valid(in.body, in.body_len);

    check_result_init(&res);
    if (check_run(engine(), &in, &res) != 0) {
        abort();
    }
    for (i = 0; i < res.count; i++) {
        const struct check_finding *f = &res.findings[i];
        if (!f->code || (unsigned)f->severity > CHECK_ERROR ||
            (unsigned)f->field >= CHECK_FIELD_COUNT) {
            abort();
        }
        for (l = 0; l < CHECK_MSG_LANGS; l++) {
            if (!f->message[l] || !f->message[l][0] ||
                !taulu_utf8_valid(f->message[l], strlen(f->message[l]))) {
                abort();
            }
        }
        counted[f->severity]++;
        if (i > 0 && finding_order(&res.findings[i - 1], f) > 0) {
            abort();
        }
        switch (f->field) {
        case CHECK_FIELD_TITLE:
            check_span(f, in.title, in.title_len, tvalid, "title_missing");
            tbad |= strcmp(f->code, "utf8_invalid") == 0;
            break;
        case CHECK_FIELD_BODY:
            check_span(f, in.body, in.body_len, bvalid, "body_missing");
            bbad |= strcmp(f->code, "utf8_invalid") == 0;
            break;
        case CHECK_FIELD_LINK:
        case CHECK_FIELD_IMAGE_ALT:
            check_span(f, NULL, 0, 1, "image_alt_missing");
            break;
        case CHECK_FIELD_PLACE:
        case CHECK_FIELD_PRICE:
        case CHECK_FIELD_REGISTRATION:
        case CHECK_FIELD_CONTACT:
            if (f->field != sfield) {
                abort(); /* a finding about a text that is not there */
            }
            /* an empty short text is absent: no finding at all */
            check_span(f, in.title, in.title_len, tvalid, "none");
            sbad |= strcmp(f->code, "utf8_invalid") == 0;
            break;
        default:
            if (f->span.byte_start || f->span.byte_end || f->span.cp_start ||
                f->span.cp_end) {
                abort();
            }
            break;
        }
    }
    if (tbad != !tvalid || bbad != !bvalid ||
        (sfield != CHECK_FIELD_COUNT && sbad != !tvalid)) {
        abort(); /* broken UTF-8 is reported, and only broken UTF-8 */
    }
    if (!res.summary.truncated &&
        (res.summary.errors != counted[CHECK_ERROR] ||
         res.summary.warnings != counted[CHECK_WARNING] ||
         res.summary.notices != counted[CHECK_NOTICE])) {
        abort();
    }
    if (res.summary.light != (res.summary.errors     ? CHECK_RED
                              : res.summary.warnings ? CHECK_YELLOW
                                                     : CHECK_GREEN) ||
        (!tvalid || !bvalid ? res.summary.light != CHECK_RED : 0)) {
        abort();
    }
    check_result_release(&res);
    return 0;
}
