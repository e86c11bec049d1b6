/*
 * check_thresholds.c: every number the checker judges text by, in one
 * table. The sources are ../shared/design/accessibility.md (Selkokeskus for
 * Finnish, LL-Center for Swedish) and the manifest's field limits. Change a
 * threshold here and nowhere else; docs/checker.md lists the same rows.
 */
#include "check_internal.h"
#include "taulu_fields.h"
#include "taulu_manifest.h"

/* Indexed by enum check_param (designated, so the order cannot drift). */
static const struct check_threshold table[CHECK_P_COUNT] = {
    /* one sentence: warning above 20 words, error above 25 */
    [CHECK_P_SENTENCE_WORDS] = {CHECK_P_SENTENCE_WORDS, "sentence_words", 16,
                                25},
    [CHECK_P_SENTENCE_WORDS_FI] = {CHECK_P_SENTENCE_WORDS_FI,
                                   "sentence_words_fi", 16, 20},
    /* a word of 13 or more letters counts as long in the summary */
    [CHECK_P_LONG_WORD_LETTERS] = {CHECK_P_LONG_WORD_LETTERS,
                                   "long_word_letters", 13, 0},
    /* words of 10 or more letters are the examples of long words */
    [CHECK_P_EXAMPLE_LETTERS] = {CHECK_P_EXAMPLE_LETTERS, "example_letters", 10,
                                 0},
    /* a word is underlined on its own from 25 letters */
    [CHECK_P_WORD_LETTERS] = {CHECK_P_WORD_LETTERS, "word_letters", 25, 0},
    /* or when it has 4 compound parts (vertais|tuki|toiminta|...) */
    [CHECK_P_WORD_PARTS] = {CHECK_P_WORD_PARTS, "word_parts", 4, 0},
    /* a "hard" word for Wiio: its base form has 4 or more syllables */
    [CHECK_P_WIIO_SYLLABLES] = {CHECK_P_WIIO_SYLLABLES, "wiio_syllables", 4, 0},
    /* a long word for LIX has more than 6 letters */
    [CHECK_P_LIX_LONG_LETTERS] = {CHECK_P_LIX_LONG_LETTERS, "lix_long_letters",
                                  6, 0},
    [CHECK_P_WPS_FI] = {CHECK_P_WPS_FI, "words_per_sentence_fi", 11, 12.3},
    [CHECK_P_WPS_SV] = {CHECK_P_WPS_SV, "words_per_sentence_sv", 14, 21},
    [CHECK_P_LETTERS_FI] = {CHECK_P_LETTERS_FI, "letters_per_word_fi", 8.5,
                            8.75},
    [CHECK_P_LONG_RATE_SV] = {CHECK_P_LONG_RATE_SV, "long_words_per_100_sv", 5,
                              11},
    /* different nominalisations and abstract words per 100 words (fi:
     * järjestäminen, toiminta, palvelu, edellytys, taloudellinen; sv:
     * bedömning, tillgänglighet): plain fi median 4, 90 % 10; official
     * median 16. Plain sv 90 % 4, official median 2.6, 75 % 4.9 */
    [CHECK_P_NOMINALS_FI] = {CHECK_P_NOMINALS_FI, "nominals_per_100_fi", 10,
                             16},
    [CHECK_P_NOMINALS_SV] = {CHECK_P_NOMINALS_SV, "nominals_per_100_sv", 5, 8},
    /* officialese (samt, i samband med, toimesta, henkilö) per 100 words:
     * real plain language has almost none (2 of 140 passages), one in a
     * 60-word paragraph is a strike, three are two */
    [CHECK_P_OFFICIALESE] = {CHECK_P_OFFICIALESE, "officialese_per_100", 1.5,
                             4},
    [CHECK_P_WIIO] = {CHECK_P_WIIO, "wiio", 12, 14},
    [CHECK_P_LIX] = {CHECK_P_LIX, "lix", 45, 52},
    [CHECK_P_SUBCLAUSES_FI] = {CHECK_P_SUBCLAUSES_FI,
                               "subclauses_per_sentence_fi", 1, 0},
    [CHECK_P_SUBCLAUSES_SV] = {CHECK_P_SUBCLAUSES_SV,
                               "subclauses_per_sentence_sv", 1, 0},
    [CHECK_P_NEGATIONS_FI] = {CHECK_P_NEGATIONS_FI, "negations_per_sentence_fi",
                              0.5, 0},
    [CHECK_P_NEGATIONS_SV] = {CHECK_P_NEGATIONS_SV, "negations_per_sentence_sv",
                              0.5, 0},
    [CHECK_P_PASSIVE_FI] = {CHECK_P_PASSIVE_FI, "passive_percent_fi", 50, 0},
    [CHECK_P_PASSIVE_SV] = {CHECK_P_PASSIVE_SV, "passive_percent_sv", 45, 0},
    [CHECK_P_PARTICIPIAL] = {CHECK_P_PARTICIPIAL, "participial_per_100", 1, 0},
    [CHECK_P_HARD_STRIKES] = {CHECK_P_HARD_STRIKES, "hard_strikes", 2, 0},
    /* a number with more than 4 digits: warning (years still pass) */
    [CHECK_P_NUMBER_DIGITS] = {CHECK_P_NUMBER_DIGITS, "number_digits", 4, 0},
    /* all-capital words count if they have 4 or more letters */
    [CHECK_P_CAPS_LETTERS] = {CHECK_P_CAPS_LETTERS, "caps_letters", 4, 0},
    /* more than 2 such words in one version: warning */
    [CHECK_P_CAPS_WORDS] = {CHECK_P_CAPS_WORDS, "caps_words", 2, 0},
    /* manifest limits, in bytes of UTF-8: common/taulu_fields.h's */
    [CHECK_P_TITLE_BYTES] = {CHECK_P_TITLE_BYTES, "title_bytes", 0,
                             TAULU_MANIFEST_MAX_TITLE},
    [CHECK_P_BODY_BYTES] = {CHECK_P_BODY_BYTES, "body_bytes", 0,
                            TAULU_MANIFEST_MAX_BODY},
    [CHECK_P_SUMMARY_BYTES] = {CHECK_P_SUMMARY_BYTES, "summary_bytes", 0,
                               TAULU_MANIFEST_MAX_SUMMARY},
    [CHECK_P_ALT_BYTES] = {CHECK_P_ALT_BYTES, "image_alt_bytes", 0,
                           TAULU_FIELD_BYTES(TAULU_IMAGE_ALT_MAX_CHARS)},
    /* a link becomes a QR code: above 200 bytes it is too dense to scan
     * from a chair (warning); above the manifest's limit it is refused */
    [CHECK_P_LINK_BYTES] = {CHECK_P_LINK_BYTES, "link_bytes", 200,
                            TAULU_MANIFEST_MAX_LINK},
    /* a field longer than this is only measured, not analysed */
    [CHECK_P_ANALYSE_BYTES] = {CHECK_P_ANALYSE_BYTES, "analyse_bytes", 0,
                               65536},
    /* findings kept per run; the rest are counted as truncated */
    [CHECK_P_MAX_FINDINGS] = {CHECK_P_MAX_FINDINGS, "max_findings", 0, 300},
    /* the same control-character or markup finding at most this often per
     * field (one underline per problem is enough to act on) */
    [CHECK_P_PER_FIELD_REPEATS] = {CHECK_P_PER_FIELD_REPEATS,
                                   "per_field_repeats", 0, 5},
    /* rates swing wildly on a few words: a body of fewer than 20 words is
     * not judged measure by measure (see CHECK_P_SHORT_WORDS) */
    [CHECK_P_INDEX_MIN_WORDS] = {CHECK_P_INDEX_MIN_WORDS, "index_min_words", 20,
                                 0},
    /* and paragraphs are judged together until they have 40 words (the
     * body of a card is about 40 to 80 words): one short paragraph with
     * two long words is not a rate */
    [CHECK_P_BLOCK_WORDS] = {CHECK_P_BLOCK_WORDS, "block_words", 40, 0},
    /* a body of 10 to 19 words (a card with one or two sentences) is
     * judged as one block, and only as hard_to_read: a rate over so few
     * words says something only when it is far past plain language, so
     * it takes 3 strikes (one measure past "far" and another past warn),
     * not 2 */
    [CHECK_P_SHORT_WORDS] = {CHECK_P_SHORT_WORDS, "short_words", 10, 0},
    [CHECK_P_SHORT_STRIKES] = {CHECK_P_SHORT_STRIKES, "short_strikes", 3, 0},
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
