/*
 * ratios.h: every number the layout uses, in one table with the reason for
 * each (plain C). Sizes are in em of the floor size (body_px: the 0.7
 * degree cap height at the design distance, sizing.h) or in parts of the
 * card area; docs/rendering.md repeats the table.
 */
#ifndef RENDER_RATIOS_H
#define RENDER_RATIOS_H

/* name                          value    why
 * ---- text ---------------------------------------------------------- */
/* titles at least 1.25 x body, bold (accessibility.md) */
#define RENDER_R_TITLE 1.25
/* line height of running text at least 1.5 x the size (WCAG 1.4.8) */
#define RENDER_R_LINE 1.5
/* a title's line: 1.3 x its size. WCAG 1.4.8's 1.5 is for paragraphs; a
 * title is at most two lines, and headings are set tighter than the text
 * they head (1.3 keeps Atkinson's 1.24 em of ascent and descent apart) */
#define RENDER_R_TITLE_LINE 1.3
/* a one-line row (header, footer, chip): Atkinson's ascent + descent is
 * 1.24 em, so the glyphs stay inside their box; not a paragraph, so 1.5
 * does not apply */
#define RENDER_R_ROW 1.25
/* extra space between paragraphs: 1 em (accessibility.md) */
#define RENDER_R_PARA 1.0
/* space between blocks (title, rows, body): a quarter em */
#define RENDER_R_GAP 0.25
/* the safe area: signage TVs overscan up to about 3.5 % on each side */
#define RENDER_R_SAFE 0.035
/* chip padding left and right of its label */
#define RENDER_R_CHIP_PAD 0.5

/* a continuation page repeats the title (one line, floor size, bold) only
 * where at least 3 lines of text still fit under it: on a screen that
 * holds two, a running head would take half of every page */
#define RENDER_R_HEAD_MIN_LINES 3

/* ---- columns ------------------------------------------------------ */
/* a side column of event rows: a third leaves the body two thirds */
#define RENDER_R_SIDE_NARROW 0.34
/* ...or wider, when its rows need it and the body still keeps enough */
#define RENDER_R_SIDE_WIDE 0.42
/* a column of only the QR code and the image (rows stay in the body) */
#define RENDER_R_MEDIA_COL 0.30
/* a side column under 8 em (about 16 characters) breaks most rows */
#define RENDER_R_SIDE_MIN_EM 8.0
/* the body column beside it keeps at least 12 em (about 24 characters) */
#define RENDER_R_MAIN_MIN_EM 12.0
/* a line beside a QR code narrower than 5 em (about 10 characters) reads
 * as a list of words: the text goes on under the code instead */
#define RENDER_R_BESIDE_MIN_EM 5.0

/* ---- QR code and image -------------------------------------------- */
/* QR code side at least 60 mm: a phone reads a code from about ten times
 * its side, so from 60 cm, a step in front of the screen */
#define RENDER_R_QR_MIN_MM 60.0
/* ...and at least 120 px: 3 px a module of a 33-module code (a link of
 * about 60 characters) with its quiet zone, whole pixels */
#define RENDER_R_QR_MIN_PX 120
/* ...and at most 40 %: a larger one gains nothing and costs text */
#define RENDER_R_QR_MAX 0.40
/* a QR code beside text: 30 % of the column width */
#define RENDER_R_QR_FLOAT 0.30
/* an image lower than 15 % of the card height is not worth its room */
#define RENDER_R_IMG_MIN 0.15
/* an image in a band at the foot of the first page, without a QR code */
#define RENDER_R_IMG_BAND 0.30
/* an image after the body (or on a page of its own) */
#define RENDER_R_IMG_END 0.35
/* the narrowest an image may be: 2 em */
#define RENDER_R_IMG_MIN_EM 2.0

/* ---- agenda ------------------------------------------------------- */
/* space between the time column and the event's title */
#define RENDER_R_AGENDA_GAP 0.5
/* an event-title column under 8 em breaks words: the time goes on its own
 * line above the title instead */
#define RENDER_R_AGENDA_TITLE_MIN_EM 8.0

/* ---- header -------------------------------------------------------- */
/* one header row must leave the centre's name at least 5 em (a short name
 * like "Tuira" or "Raahe" and an ellipsis); else the header takes two */
#define RENDER_R_HEADER_NAME_MIN_EM 5.0
/* space between the date, the clock and the loop position */
#define RENDER_R_HEADER_SPACE_EM 0.75
/* a second header row only where the card area keeps at least 8 lines
 * under it (narrow portrait screens); elsewhere one row, and the loop
 * position, then the date, give way to the name's minimum */
#define RENDER_R_HEADER_TWO_ROWS_LINES 8

#endif
