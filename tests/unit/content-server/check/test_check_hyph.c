/*
 * test_check_hyph.c: the soft hyphens the screens get in long words
 * (check_hyph.c) with the real dictionaries: Finnish from Voikko, Swedish
 * from Debian's hyph_sv through libhyphen. Where they go (only in words of
 * 13+ letters, at least 2 letters before and 3 after a point), where they
 * never go (links, e-mail addresses, phone numbers, words in capitals, a
 * chunk with the author's own soft hyphen, other languages), and the byte
 * limit of the field (each soft hyphen is 2 bytes): the longest words get
 * theirs first and the result never goes over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check_hyph.h"
#include "taulu_buf.h"
#include "taulu_err.h"
#include "taulu_utf8.h"

static struct check_hyph *hy;

static int setup(void **state)
{
    int err = 0;

    (void)state;
    hy = check_hyph_new(NULL, &err);
    return hy ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    check_hyph_free(hy);
    return 0;
}

/* The text with soft hyphens shown as '|', into a static buffer. */
static const char *marked(const char *lang, const char *text, size_t max,
                          size_t *added)
{
    static char out[8192];
    struct taulu_buf b;
    size_t i, o = 0;

    taulu_buf_init(&b, 64 * 1024);
    assert_int_equal(check_hyph_text(hy, lang, text, max, &b, added), 0);
    assert_true(b.len <= max || b.len == strlen(text));
    assert_true(taulu_utf8_valid(b.data, b.len));
    for (i = 0; i < b.len && o + 2 < sizeof out; i++) {
        if ((unsigned char)b.data[i] == 0xC2 && i + 1 < b.len &&
            (unsigned char)b.data[i + 1] == 0xAD) {
            out[o++] = '|';
            i++;
        } else {
            out[o++] = b.data[i];
        }
    }
    out[o] = '\0';
    taulu_buf_release(&b);
    return out;
}

static void finnish_compounds(void **state)
{
    size_t n = 0;

    (void)state;
    assert_true(check_hyph_has(hy, "fi")); /* voikko-fi */
    assert_string_equal(
        marked("fi", "Omaishoitajavalmennusryhmätapaaminen", 4000, &n),
        "Omais|hoi|ta|ja|val|men|nus|ryh|mä|ta|paa|mi|nen");
    assert_int_equal(n, 12);
    /* "ta-lo" would leave a stub: at least 3 letters after a point */
    assert_string_equal(marked("fi", "seurakuntatalo", 4000, &n),
                        "seu|ra|kun|ta|talo");
    /* words of fewer than 13 letters are left alone */
    assert_string_equal(marked("fi", "Muistiryhmä on auki.", 4000, &n),
                        "Muistiryhmä on auki.");
    assert_int_equal(n, 0);
    assert_true(check_hyph_has(hy, "fi-FI"));
}

static void swedish_patterns(void **state)
{
    size_t n = 0;

    (void)state;
    assert_true(check_hyph_has(hy, "sv")); /* hyphen-sv */
    assert_string_equal(marked("sv", "Influensavaccinationerna", 4000, &n),
                        "In|flu|ensa|vac|ci|na|tio|nerna");
    assert_string_equal(marked("sv", "Välfärdscentralen i Uleåborg", 4000, &n),
                        "Väl|färds|cen|tra|len i Uleåborg");
    assert_true(check_hyph_has(hy, "sv-FI"));
}

/* Links, e-mail addresses, phone numbers, capitals and the author's own
 * soft hyphens are never touched. */
static void never_in_addresses(void **state)
{
    static const char text[] =
        "Soita 040 123 4567 tai kirjoita osoitteeseen "
        "omaishoitajavalmennus@example.fi tai katso "
        "https://omaishoitajavalmennusryhma.example.fi/tapaamiset ja "
        "www.omaishoitajavalmennus.fi, KANSANELÄKELAITOKSEN ohjeet ja "
        "Omais\xc2\xadhoitajavalmennusryhmä.";
    size_t n = 0;
    const char *m;

    (void)state;
    assert_true(check_hyph_has(hy, "fi")); /* voikko-fi */
    m = marked("fi", text, 4000, &n);
    assert_int_equal(n, 0);
    /* the author's soft hyphen is kept, none added in that chunk */
    assert_non_null(strstr(m, "Omais|hoitajavalmennusryhmä."));
    assert_non_null(strstr(m, "040 123 4567"));
    assert_non_null(strstr(m, "https://omaishoitajavalmennusryhma.example.fi/"
                              "tapaamiset"));
    assert_non_null(strstr(m, "omaishoitajavalmennus@example.fi"));
    assert_non_null(strstr(m, "www.omaishoitajavalmennus.fi,"));
    assert_non_null(strstr(m, "KANSANELÄKELAITOKSEN"));
}

/* The field's byte limit holds: when every point does not fit, the
 * longest words get theirs first, and nothing goes over. */
static void limits_kept(void **state)
{
    static const char text[] = "Vertaistukitoimintamahdollisuuksista ja "
                               "seurakuntatalolla kerrotaan.";
    size_t len = strlen(text), n = 0, all = 0, k;
    const char *m;

    (void)state;
    assert_true(check_hyph_has(hy, "fi")); /* voikko-fi */
    marked("fi", text, 4000, &all);
    assert_true(all > 11);
    /* room for the long word's points only */
    m = marked("fi", text, len + 2 * 11, &n);
    assert_int_equal(n, 11);
    assert_non_null(strstr(m, "Ver|tais|tu|ki|toi|min|ta|mah|dol|li|suuk|"
                              "sista"));
    assert_non_null(strstr(m, " seurakuntatalolla "));
    /* every limit from none to all: never over, never a broken text */
    for (k = len; k <= len + 2 * all + 2; k++) {
        struct taulu_buf b;
        size_t added = 0;
        taulu_buf_init(&b, 8192);
        assert_int_equal(check_hyph_text(hy, "fi", text, k, &b, &added), 0);
        assert_true(b.len <= k);
        assert_int_equal(b.len, len + 2 * added);
        taulu_buf_release(&b);
    }
    /* a text already at the limit: as it is */
    assert_string_equal(marked("fi", text, len, &n), text);
    assert_int_equal(n, 0);
}

static void other_languages_and_points(void **state)
{
    size_t at[32];
    size_t n = 0;
    int k;

    (void)state;
    /* no dictionary for English here: the renderer's own last resort */
    assert_string_equal(marked("en", "Internationalisation", 4000, &n),
                        "Internationalisation");
    assert_int_equal(check_hyph_has(hy, "en"), 0);
    assert_int_equal(
        check_hyph_points(hy, "en", "Internationalisation", 20, at, 32), 0);
    /* byte offsets: "hy|vin|voin|ti|kes|kus" */
    k = check_hyph_points(hy, "fi", "hyvinvointikeskus", 17, at, 32);
    assert_int_equal(k, 5);
    assert_int_equal(at[0], 2);
    assert_int_equal(at[4], 14);
    assert_int_equal(check_hyph_text(hy, "fi", NULL, 10, NULL, NULL),
                     TAULU_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finnish_compounds),
        cmocka_unit_test(swedish_patterns),
        cmocka_unit_test(never_in_addresses),
        cmocka_unit_test(limits_kept),
        cmocka_unit_test(other_languages_and_points),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
