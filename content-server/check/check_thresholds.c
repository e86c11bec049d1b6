/*
 * check_thresholds.c: every number the checker judges text by, in one
 * table. The sources are ../shared/design/accessibility.md (Selkokeskus for
 * Finnish, LL-Center for Swedish) and the manifest's field limits. Change a
 * threshold here and nowhere else; docs/checker.md lists the same rows.
 */
#include "check_internal.h"
#include "taulu_fields.h"
#include "taulu_manifest.h"

static const struct check_threshold table[CHECK_P_COUNT] = {
    /* sentence of more than 10 words: warning; more than 15: error */
    {CHECK_P_SENTENCE_WORDS, "sentence_words", 10, 15},
    /* a word of 13 or more letters (hyphen-separated parts count apart) */
    {CHECK_P_LONG_WORD_LETTERS, "long_word_letters", 13, 0},
    /* Wiio simple form 2.7 + 0.3 * hard words per 100: warning above 8 */
    {CHECK_P_WIIO, "wiio", 8, 0},
    /* a "hard" word for Wiio: its base form has 4 or more syllables */
    {CHECK_P_WIIO_SYLLABLES, "wiio_syllables", 4, 0},
    /* LIX: warning above 40, error above 50 (Swedish only) */
    {CHECK_P_LIX, "lix", 40, 50},
    /* a long word for LIX has more than 6 letters */
    {CHECK_P_LIX_LONG_LETTERS, "lix_long_letters", 6, 0},
    /* more than 1 subordinate clause in one sentence: warning */
    {CHECK_P_SUBCLAUSES, "subclauses_per_sentence", 1, 0},
    /* Finnish: more than 1 negation in one sentence: warning */
    {CHECK_P_NEGATIONS_FI, "negations_per_sentence_fi", 1, 0},
    /* Swedish: LL-Center says avoid "inte": any negation is a warning */
    {CHECK_P_NEGATIONS_SV, "negations_per_sentence_sv", 0, 0},
    /* passive in more than a third of the finite verbs: warning */
    {CHECK_P_PASSIVE_SHARE, "passive_share", 1.0 / 3.0, 0},
    /* a number with more than 4 digits: warning (years still pass) */
    {CHECK_P_NUMBER_DIGITS, "number_digits", 4, 0},
    /* all-capital words count if they have 4 or more letters */
    {CHECK_P_CAPS_LETTERS, "caps_letters", 4, 0},
    /* more than 2 such words in one version: warning */
    {CHECK_P_CAPS_WORDS, "caps_words", 2, 0},
    /* manifest limits, in bytes of UTF-8: common/taulu_fields.h's */
    {CHECK_P_TITLE_BYTES, "title_bytes", 0, TAULU_MANIFEST_MAX_TITLE},
    {CHECK_P_BODY_BYTES, "body_bytes", 0, TAULU_MANIFEST_MAX_BODY},
    {CHECK_P_ALT_BYTES, "image_alt_bytes", 0,
     TAULU_FIELD_BYTES(TAULU_IMAGE_ALT_MAX_CHARS)},
    /* a link becomes a QR code: above 200 bytes it is too dense to scan
     * from a chair (warning); above the manifest's limit it is refused */
    {CHECK_P_LINK_BYTES, "link_bytes", 200, TAULU_MANIFEST_MAX_LINK},
    /* a field longer than this is only measured, not analysed */
    {CHECK_P_ANALYSE_BYTES, "analyse_bytes", 0, 65536},
    /* findings kept per run; the rest are counted as truncated */
    {CHECK_P_MAX_FINDINGS, "max_findings", 0, 300},
    /* the same control-character or markup finding at most this often per
     * field (one underline per problem is enough to act on) */
    {CHECK_P_PER_FIELD_REPEATS, "per_field_repeats", 0, 5},
    /* Wiio and LIX swing wildly on a few words: below 20 words the index is
     * still shown in the summary but gives no warning or error */
    {CHECK_P_INDEX_MIN_WORDS, "index_min_words", 20, 0},
};

const struct check_threshold *check_threshold_get(enum check_param id)
{
    return &table[id];
}

const struct check_threshold *check_threshold_table(size_t *count)
{
    *count = sizeof(table) / sizeof(table[0]);
    return table;
}
