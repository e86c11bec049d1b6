/*
 * srv_similar.h: how alike two notices are, for telling a contact person
 * that a new item may be a duplicate of one already sent or approved at
 * the same centre (the same text sent twice, or again with a word
 * changed). Pure: no I/O, no allocation that outlives a call.
 *
 * Texts are compared as words: lower case, letters and digits only
 * (punctuation, line breaks and repeated spaces do not count), then as
 * the set of their character trigrams (across word boundaries, one space
 * between words). The score is the Dice coefficient of the two sets,
 * 2 |A ∩ B| / (|A| + |B|): 1 for the same words, about 0.9 for a long
 * text with one word changed, near 0 for unrelated texts.
 */
#ifndef SRV_SIMILAR_H
#define SRV_SIMILAR_H

#include <stddef.h>

/* At or above this, the texts are "the same or nearly the same". */
#define SRV_SIMILAR_DUPLICATE 0.8

/* The score of a and b (title and body joined by the caller, or not: any
 * UTF-8 text; NULL counts as empty). Two empty texts score 0: nothing to
 * compare is no duplicate. At most the first 8000 bytes of each count. */
double srv_similarity(const char *a, const char *b);

#endif
