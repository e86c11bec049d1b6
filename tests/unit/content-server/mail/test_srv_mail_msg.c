/*
 * test_srv_mail_msg.c: the e-mail messages without a network: their form
 * (RFC 5322 headers, RFC 2047 subjects and names that decode back and
 * keep within the line limit, quoted-printable bodies, no header
 * injection through a title), their words in Finnish, Swedish and
 * English, addresses we accept, and the retry backoff.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <cmocka.h>

#include "srv_mail_msg.h"
#include "srv_mail_text.h"
#include "srv_mailer.h"
#include "taulu_crypto.h"

/* 2026-12-01T12:00:00Z: a Tuesday, 14.00 in Helsinki. */
#define T0 1796126400LL

static void addresses(void **state)
{
    (void)state;
    assert_true(srv_mail_addr_ok("aino@muisti.fi"));
    assert_true(srv_mail_addr_ok("a.b+c@x.example"));
    assert_false(srv_mail_addr_ok(NULL));
    assert_false(srv_mail_addr_ok("aino"));
    assert_false(srv_mail_addr_ok("@muisti.fi"));
    assert_false(srv_mail_addr_ok("aino@"));
    assert_false(srv_mail_addr_ok("a@b@c"));
    assert_false(srv_mail_addr_ok("aino @muisti.fi"));
    assert_false(srv_mail_addr_ok("aino@muisti.fi\r\nBcc: x@y.fi"));
    assert_false(srv_mail_addr_ok("<aino@muisti.fi>"));
    assert_false(srv_mail_addr_ok("äiti@muisti.fi"));
}

/* Every line of `text` is at most `max` bytes and ends in CRLF. */
static void lines_within(const char *text, size_t max)
{
    const char *p = text;

    while (*p) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        assert_true(nl > p && nl[-1] == '\r');
        assert_true((size_t)(nl - p - 1) <= max);
        p = nl + 1;
    }
}

/* Decodes "=?UTF-8?B?...?=" words separated by CRLF SP. */
static void decode(const char *in, char *out, size_t size)
{
    size_t o = 0;

    while (*in) {
        const char *end;
        char b64[100];
        uint8_t bytes[100];
        size_t n;
        if (strncmp(in, "\r\n ", 3) == 0) {
            in += 3;
            continue;
        }
        if (strcmp(in, "\r\n") == 0) {
            break; /* the end of the header line */
        }
        assert_int_equal(strncmp(in, "=?UTF-8?B?", 10), 0);
        end = strstr(in + 10, "?=");
        assert_non_null(end);
        n = (size_t)(end - in - 10);
        memcpy(b64, in + 10, n);
        b64[n] = '\0';
        n = n / 4 * 3 - (b64[n - 1] == '=') - (b64[n - 2] == '=');
        assert_int_equal(taulu_base64_decode(b64, bytes, n), 0);
        assert_true(o + n < size);
        memcpy(out + o, bytes, n);
        o += n;
        in = end + 2;
    }
    out[o] = '\0';
}

static void header_words(void **state)
{
    struct taulu_buf b;
    char back[600];
    const char *long_fi = "Ilmoitukseesi pyydetään muutoksia: Vertaistukiryhmä "
                          "omaishoitajille ja läheisille – tiistaisin Tuiran "
                          "hyvinvointikeskuksessa 🙂";

    (void)state;
    taulu_buf_init(&b, 4096);
    assert_int_equal(srv_mail_header_text(&b, "Plain words", 9), 0);
    assert_string_equal(b.data, "Plain words");
    taulu_buf_reset(&b);
    /* Not ASCII: encoded words that decode back whole, no character
     * split, no line over 76 with the header's name. */
    assert_int_equal(taulu_buf_puts(&b, "Subject: "), 0);
    assert_int_equal(srv_mail_header_text(&b, long_fi, 9), 0);
    assert_int_equal(taulu_buf_puts(&b, "\r\n"), 0);
    lines_within(b.data, 76);
    decode(b.data + 9, back, sizeof(back));
    assert_string_equal(back, long_fi);
    taulu_buf_reset(&b);
    /* A title with a line break cannot start a header of its own. */
    assert_int_equal(
        srv_mail_header_text(&b, "Kahvila\r\nBcc: kaikki@example.fi", 9), 0);
    assert_null(strchr(b.data, '\r'));
    assert_null(strchr(b.data, '\n'));
    taulu_buf_reset(&b);
    /* Something that looks like an encoded word is encoded itself. */
    assert_int_equal(srv_mail_header_text(&b, "=?UTF-8?B?eA==?=", 9), 0);
    decode(b.data, back, sizeof(back));
    assert_string_equal(back, "=?UTF-8?B?eA==?=");
    taulu_buf_release(&b);
}

static void quoted_printable(void **state)
{
    struct taulu_buf b;
    char line[200];

    (void)state;
    taulu_buf_init(&b, 65536);
    memset(line, 'a', 150);
    line[150] = '\0';
    assert_int_equal(srv_mail_qp(&b, "Hyvää päivää = 1 \n.piste\nFrom me\n"),
                     0);
    assert_string_equal(b.data, "Hyv=C3=A4=C3=A4 p=C3=A4iv=C3=A4=C3=A4 =3D "
                                "1=20\r\n=2Episte\r\n=46rom me\r\n");
    taulu_buf_reset(&b);
    assert_int_equal(srv_mail_qp(&b, line), 0);
    lines_within(b.data, 76);
    assert_non_null(strstr(b.data, "=\r\n"));
    taulu_buf_release(&b);
}

static void whole_message(void **state)
{
    struct srv_mail_msg m;
    struct taulu_buf b;

    (void)state;
    memset(&m, 0, sizeof(m));
    m.from_addr = "infotaulu@pohde.fi";
    m.from_name = "Infotaulu";
    m.to_addr = "aino@muisti.fi";
    m.to_name = "Aino \"Admin\" Virtanen";
    m.subject = "Tervetuloa Infotauluun";
    m.body = "Hei Aino,\n\nTervetuloa.\n";
    m.lang = "fi";
    m.date = T0;
    m.message_id = "abc123@pohde.fi";
    m.auto_generated = true;
    taulu_buf_init(&b, 65536);
    assert_int_equal(srv_mail_format(&m, &b), 0);
    lines_within(b.data, 78);
    assert_non_null(
        strstr(b.data, "Date: Tue, 01 Dec 2026 14:00:00 +0200\r\n"));
    assert_non_null(strstr(b.data, "From: Infotaulu <infotaulu@pohde.fi>\r\n"));
    /* A name with quotes is an encoded word, not a quoted string. */
    assert_non_null(strstr(b.data, "To: =?UTF-8?B?"));
    assert_non_null(strstr(b.data, " <aino@muisti.fi>\r\n"));
    assert_non_null(strstr(b.data, "Subject: Tervetuloa Infotauluun\r\n"));
    assert_non_null(strstr(b.data, "Message-ID: <abc123@pohde.fi>\r\n"));
    assert_non_null(strstr(b.data, "MIME-Version: 1.0\r\n"));
    assert_non_null(
        strstr(b.data, "Content-Type: text/plain; charset=UTF-8\r\n"));
    assert_non_null(strstr(b.data, "Auto-Submitted: auto-generated\r\n"));
    assert_non_null(strstr(b.data, "\r\n\r\nHei Aino,\r\n\r\nTervetuloa.\r\n"));
    /* Refused: a bad address, an id that could close its brackets. */
    taulu_buf_reset(&b);
    m.to_addr = "aino@muisti.fi>\r\nBcc: x@y";
    assert_int_equal(srv_mail_format(&m, &b), TAULU_EINVAL);
    m.to_addr = "aino@muisti.fi";
    m.message_id = "x>\r\nBcc: <y";
    assert_int_equal(srv_mail_format(&m, &b), TAULU_EINVAL);
    taulu_buf_release(&b);
}

static void words_by_language(void **state)
{
    struct srv_mail_ctx c = {"fi", "Aino", "aino@muisti.fi",
                             "https://infotaulu.example.fi"};
    struct taulu_buf s, b;
    struct srv_waiting w[2] = {
        {1, "Muistikahvila", "Oulun Muistiyhdistys", "Tuiran hyvinvointikeskus",
         T0},
        {2, "Kävelyryhmä", "Oulun Muistiyhdistys", "Tuiran hyvinvointikeskus",
         T0 + 60},
    };
    struct srv_decision d = {
        7,  "Muistikahvila", "Tuiran hyvinvointikeskus", "Tuula",
        T0, T0 + 7 * 86400};
    char when[64];

    (void)state;
    taulu_buf_init(&s, 4096);
    taulu_buf_init(&b, 65536);
    srv_mail_time("fi", T0, when, sizeof(when));
    assert_string_equal(when, "1.12.2026 klo 14.00");
    srv_mail_time("sv", T0, when, sizeof(when));
    assert_string_equal(when, "1.12.2026 kl. 14.00");
    srv_mail_time("en", T0, when, sizeof(when));
    assert_string_equal(when, "1 Dec 2026 at 14:00");

    assert_int_equal(
        srv_mail_text_invite(&c, "Anna", "https://x/l", T0, &s, &b), 0);
    assert_string_equal(s.data, "Tervetuloa Infotauluun – valitse salasana");
    assert_non_null(strstr(b.data, "Anna on tehnyt sinulle tunnuksen"));
    assert_non_null(strstr(b.data, "https://x/l\n"));
    assert_non_null(strstr(b.data, "1.12.2026 klo 14.00 asti"));
    taulu_buf_reset(&s);
    taulu_buf_reset(&b);

    c.lang = "sv";
    assert_int_equal(srv_mail_text_waiting(&c, w, 2, 5, 10800, &s, &b), 0);
    assert_string_equal(s.data, "Att godkänna: 5 meddelanden väntar");
    assert_non_null(strstr(b.data, "- \"Kävelyryhmä\" – Oulun"));
    assert_non_null(strstr(b.data, "- och 3 till\n"));
    assert_non_null(strstr(b.data, "högst en gång per 3 timmar"));
    assert_non_null(
        strstr(b.data, "https://infotaulu.example.fi/account.html"));
    taulu_buf_reset(&s);
    taulu_buf_reset(&b);

    c.lang = "en";
    assert_int_equal(
        srv_mail_text_decision(&c, "rejected", "Not for us.", &d, &s, &b), 0);
    assert_string_equal(s.data, "Your item was not approved: Muistikahvila");
    assert_non_null(strstr(b.data, "Tuula (Tuiran hyvinvointikeskus) did not "
                                   "approve"));
    assert_non_null(strstr(b.data, "Reason:\nNot for us.\n"));
    taulu_buf_reset(&s);
    taulu_buf_reset(&b);

    c.lang = "xx"; /* anything else is Finnish */
    assert_int_equal(srv_mail_text_decision(&c, "approved", NULL, &d, &s, &b),
                     0);
    assert_string_equal(s.data, "Ilmoituksesi on hyväksytty: Muistikahvila");
    assert_non_null(strstr(b.data, "näkyy infonäytöillä 1.12.2026–8.12.2026"));
    taulu_buf_reset(&s);
    taulu_buf_reset(&b);
    assert_int_equal(srv_mail_text_decision(&c, "expired", NULL, &d, &s, &b),
                     TAULU_EINVAL);
    assert_int_equal(srv_mail_text_reset(&c, "", "https://x/l", T0, &s, &b), 0);
    assert_non_null(strstr(b.data, "Vanha salasanasi toimii edelleen."));
    taulu_buf_release(&s);
    taulu_buf_release(&b);
}

static void backoff(void **state)
{
    (void)state;
    assert_int_equal(srv_mailer_backoff(60, 1), 60);
    assert_int_equal(srv_mailer_backoff(60, 2), 120);
    assert_int_equal(srv_mailer_backoff(60, 3), 240);
    assert_int_equal(srv_mailer_backoff(60, 7), 3600);
    assert_int_equal(srv_mailer_backoff(60, 40), 3600);
    assert_int_equal(srv_mailer_backoff(0, 1), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(addresses),         cmocka_unit_test(header_words),
        cmocka_unit_test(quoted_printable),  cmocka_unit_test(whole_message),
        cmocka_unit_test(words_by_language), cmocka_unit_test(backoff),
    };
    if (taulu_crypto_init() != 0) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
