/*
 * taulu_tzif.c: the TZif reader and the POSIX TZ rules of its footers (see
 * taulu_tzif.h).
 *
 * The input is walked with a cursor that knows how many bytes are left, so
 * no read can pass the end; all sizes derived from the header's counts are
 * computed in 64 bits (six 32-bit counts times at most 13 bytes cannot
 * overflow that) and compared with what is left before any allocation.
 */
#include "taulu_tzif.h"

#include <stdlib.h>
#include <string.h>

#include "taulu_buf.h"
#include "taulu_err.h"
#include "taulu_file.h"
#include "taulu_time.h"

#define SECS_PER_DAY 86400
#define HDR_LEN      44

/* RFC 8536: an offset must not be -2^31 and should be more than 25 hours
 * west and less than 26 hours east; anything else is refused. */
#define UTOFF_MIN (-89999)
#define UTOFF_MAX 93599

/* A type index is one octet, so more than 256 types cannot be used. */
#define MAX_TYPES 256

/* The rule's years are computed for instants clamped to a little more
 * than years 1..9999 (as taulu_time.c clamps), so year arithmetic stays
 * small. */
#define RULE_T_LO (TAULU_TIME_MIN - 8 * SECS_PER_DAY)
#define RULE_T_HI (TAULU_TIME_MAX + 8 * SECS_PER_DAY)

struct tzif_type {
    int32_t utoff;
    bool isdst;
};

struct taulu_tzif {
    int version;
    size_t ntrans, ntypes;
    int64_t *trans;          /* strictly ascending */
    unsigned char *trans_ty; /* index into types, one per transition */
    struct tzif_type *types;
    bool has_rule; /* the footer was not empty */
    struct taulu_tz_rule rule;
};

/* ---- POSIX TZ rules ---- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

struct tzs {
    const char *s;
    size_t n, i;
};

static bool tzs_at(const struct tzs *p, char c)
{
    return p->i < p->n && p->s[p->i] == c;
}

/* A zone abbreviation: three or more letters, or <three or more letters,
 * digits, '+' or '-'>. The name itself is not kept. */
static bool tzs_name(struct tzs *p)
{
    size_t start;

    if (tzs_at(p, '<')) {
        p->i++;
        start = p->i;
        while (p->i < p->n && (is_alpha(p->s[p->i]) || is_digit(p->s[p->i]) ||
                               p->s[p->i] == '+' || p->s[p->i] == '-')) {
            p->i++;
        }
        if (p->i - start < 3 || !tzs_at(p, '>')) {
            return false;
        }
        p->i++;
        return true;
    }
    start = p->i;
    while (p->i < p->n && is_alpha(p->s[p->i])) {
        p->i++;
    }
    return p->i - start >= 3;
}

/* 1..max_digits decimal digits, value at most `max`. */
static bool tzs_num(struct tzs *p, int max_digits, int max, int *v)
{
    int k = 0, x = 0;

    while (k < max_digits && p->i < p->n && is_digit(p->s[p->i])) {
        x = x * 10 + (p->s[p->i] - '0');
        p->i++;
        k++;
    }
    if (k == 0 || x > max) {
        return false;
    }
    *v = x;
    return true;
}

/* [+|-]hh[:mm[:ss]] with hours 0..max_h, minutes and seconds of two
 * digits each; the sign only where `signed_ok`. Seconds, signed. */
static bool tzs_hms(struct tzs *p, bool signed_ok, int max_h, int32_t *secs)
{
    int sign = 1, h, m = 0, s = 0;
    size_t at;

    if (signed_ok && (tzs_at(p, '+') || tzs_at(p, '-'))) {
        sign = p->s[p->i] == '-' ? -1 : 1;
        p->i++;
    }
    if (!tzs_num(p, 3, max_h, &h)) {
        return false;
    }
    if (tzs_at(p, ':')) {
        p->i++;
        at = p->i;
        if (!tzs_num(p, 2, 59, &m) || p->i - at != 2) {
            return false;
        }
        if (tzs_at(p, ':')) {
            p->i++;
            at = p->i;
            if (!tzs_num(p, 2, 59, &s) || p->i - at != 2) {
                return false;
            }
        }
    }
    *secs = sign * (h * 3600 + m * 60 + s);
    return true;
}

/* An offset as POSIX writes it (west positive) -> seconds east. */
static bool tzs_offset(struct tzs *p, int32_t *utoff)
{
    int32_t west;

    if (!tzs_hms(p, true, 24, &west)) {
        return false;
    }
    *utoff = -west;
    return true;
}

/* ",date[/time]" */
static bool tzs_date(struct tzs *p, int version, struct taulu_tz_date *d)
{
    if (!tzs_at(p, ',')) {
        return false;
    }
    p->i++;
    memset(d, 0, sizeof(*d));
    if (tzs_at(p, 'J')) {
        p->i++;
        d->kind = 'J';
        if (!tzs_num(p, 3, 365, &d->day) || d->day < 1) {
            return false;
        }
    } else if (tzs_at(p, 'M')) {
        p->i++;
        d->kind = 'M';
        if (!tzs_num(p, 2, 12, &d->month) || d->month < 1 || !tzs_at(p, '.')) {
            return false;
        }
        p->i++;
        if (!tzs_num(p, 1, 5, &d->week) || d->week < 1 || !tzs_at(p, '.')) {
            return false;
        }
        p->i++;
        if (!tzs_num(p, 1, 6, &d->wday)) {
            return false;
        }
    } else {
        d->kind = 'D';
        if (!tzs_num(p, 3, 365, &d->day)) {
            return false;
        }
    }
    d->secs = 2 * 3600; /* POSIX: 02:00 unless given */
    if (tzs_at(p, '/')) {
        p->i++;
        /* Version 3 lets the time be negative or up to 167 hours, so that
         * rules like "the Saturday before the last Sunday, 24:00" can be
         * written. */
        if (!tzs_hms(p, version >= 3, version >= 3 ? 167 : 24, &d->secs)) {
            return false;
        }
    }
    return true;
}

int taulu_tz_rule_parse(const char *s, size_t len, int version,
                        struct taulu_tz_rule *out)
{
    struct tzs p = {s, len, 0};
    struct taulu_tz_rule r;

    if (!s || !out) {
        return TAULU_EINVAL;
    }
    memset(&r, 0, sizeof(r));
    if (!tzs_name(&p) || !tzs_offset(&p, &r.std_utoff)) {
        return TAULU_EPARSE;
    }
    if (p.i < p.n) {
        r.has_dst = true;
        if (!tzs_name(&p)) {
            return TAULU_EPARSE;
        }
        r.dst_utoff = r.std_utoff + 3600;
        if (!tzs_at(&p, ',') && !tzs_offset(&p, &r.dst_utoff)) {
            return TAULU_EPARSE;
        }
        if (!tzs_date(&p, version, &r.start) ||
            !tzs_date(&p, version, &r.end)) {
            return TAULU_EPARSE;
        }
    }
    if (p.i != p.n) {
        return TAULU_EPARSE;
    }
    *out = r;
    return TAULU_OK;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        q--;
    }
    return q;
}

static bool is_leap(int year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

/* The local day count (days since 1970-01-01) of a rule date in a year. */
static int64_t rule_day(const struct taulu_tz_date *d, int year)
{
    int64_t first;
    int wd, len, day;

    switch (d->kind) {
    case 'J':
        /* 1..365 without 29 February: from 1 March on, a leap year is one
         * day further. */
        return taulu_days_from_civil(year, 1, 1) + d->day - 1 +
               (is_leap(year) && d->day >= 60);
    case 'D':
        return taulu_days_from_civil(year, 1, 1) + d->day;
    default:
        first = taulu_days_from_civil(year, d->month, 1);
        /* 1970-01-01 was a Thursday (4 with Sunday = 0). */
        wd = (int)((first % 7 + 7 + 4) % 7);
        len = taulu_days_in_month(year, d->month);
        /* The first such weekday of the month, then the week asked for;
         * week 5 means the last, which may be the fourth. */
        day = (d->wday - wd + 7) % 7 + 7 * (d->week - 1);
        while (day >= len) {
            day -= 7;
        }
        return first + day;
    }
}

/* The two changes of a year in the order they happen: ts[] instants,
 * dst[] whether daylight time starts. Equal instants keep the start first,
 * so a daylight time of no length is no daylight time. */
static void year_changes(const struct taulu_tz_rule *r, int year, int64_t ts[2],
                         bool dst[2])
{
    int64_t on =
        rule_day(&r->start, year) * SECS_PER_DAY + r->start.secs - r->std_utoff;
    int64_t off =
        rule_day(&r->end, year) * SECS_PER_DAY + r->end.secs - r->dst_utoff;

    ts[0] = on <= off ? on : off;
    dst[0] = on <= off;
    ts[1] = on <= off ? off : on;
    dst[1] = !(on <= off);
}

int32_t taulu_tz_rule_utoff(const struct taulu_tz_rule *r, int64_t t)
{
    int64_t ts[2], best_t = 0;
    bool dst[2], found = false, best_dst = false;
    int y, m, d, year, i;

    if (!r->has_dst) {
        return r->std_utoff;
    }
    t = t < RULE_T_LO ? RULE_T_LO : t > RULE_T_HI ? RULE_T_HI : t;
    taulu_civil_from_days(floor_div(t, SECS_PER_DAY), &y, &m, &d);
    /* The change in force is the last one at or before t. A rule time (up
     * to 167 hours) and the offset (up to 26 hours) move a change at most
     * about 8 days from its date, so from 15 January to 14 December only
     * t's own UTC year and, before its first change, the last change of
     * the year before can be the one. */
    if (t >= taulu_days_from_civil(y, 1, 15) * SECS_PER_DAY &&
        t < taulu_days_from_civil(y, 12, 15) * SECS_PER_DAY) {
        year_changes(r, y, ts, dst);
        if (t >= ts[1]) {
            return dst[1] ? r->dst_utoff : r->std_utoff;
        }
        if (t >= ts[0]) {
            return dst[0] ? r->dst_utoff : r->std_utoff;
        }
        year_changes(r, y - 1, ts, dst);
        return dst[1] ? r->dst_utoff : r->std_utoff;
    }
    /* Near New Year: the changes of the years around t in order. Two
     * years back always has one before t. On a tie the later in the list
     * wins: the start of a year over the end of the year before, as in
     * RFC 8536's "EST5EDT,0/0,J365/25", daylight time all year. */
    for (year = y - 2; year <= y + 1; year++) {
        year_changes(r, year, ts, dst);
        for (i = 0; i < 2; i++) {
            if (ts[i] <= t && (!found || ts[i] >= best_t)) {
                found = true;
                best_t = ts[i];
                best_dst = dst[i];
            }
        }
    }
    return best_dst ? r->dst_utoff : r->std_utoff;
}

/* ---- TZif ---- */

struct cursor {
    const unsigned char *p;
    size_t left;
};

static const unsigned char *take(struct cursor *c, size_t n)
{
    const unsigned char *at = c->p;

    if (n > c->left) {
        return NULL;
    }
    c->p += n;
    c->left -= n;
    return at;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

static int32_t be32s(const unsigned char *p)
{
    uint32_t u = be32(p);

    /* Two's complement without relying on implementation-defined
     * conversion. */
    return u <= INT32_MAX ? (int32_t)u : -(int32_t)(~u) - 1;
}

static int64_t be64s(const unsigned char *p)
{
    uint64_t u = (uint64_t)be32(p) << 32 | be32(p + 4);

    return u <= INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

struct hdr {
    int version;
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static int read_header(struct cursor *c, struct hdr *h)
{
    const unsigned char *p = take(c, HDR_LEN);
    size_t i;

    if (!p || memcmp(p, "TZif", 4) != 0) {
        return TAULU_EPARSE;
    }
    switch (p[4]) {
    case 0:
        h->version = 1;
        break;
    case '2':
    case '3':
    case '4':
        h->version = p[4] - '0';
        break;
    default:
        return TAULU_EVERSION;
    }
    for (i = 5; i < 20; i++) {
        if (p[i] != 0) {
            return TAULU_EPARSE; /* fifteen reserved octets, zero */
        }
    }
    h->isutcnt = be32(p + 20);
    h->isstdcnt = be32(p + 24);
    h->leapcnt = be32(p + 28);
    h->timecnt = be32(p + 32);
    h->typecnt = be32(p + 36);
    h->charcnt = be32(p + 40);
    if (h->leapcnt != 0) {
        return TAULU_EVALUE; /* a "right/" zone: instants with leap seconds */
    }
    if (h->typecnt == 0 || h->typecnt > MAX_TYPES || h->charcnt == 0 ||
        (h->isutcnt != 0 && h->isutcnt != h->typecnt) ||
        (h->isstdcnt != 0 && h->isstdcnt != h->typecnt)) {
        return TAULU_EPARSE;
    }
    return TAULU_OK;
}

/* Bytes of the data block that follows header h, with `ts`-byte times. */
static uint64_t block_len(const struct hdr *h, unsigned ts)
{
    return (uint64_t)h->timecnt * (ts + 1) + (uint64_t)h->typecnt * 6 +
           h->charcnt + (uint64_t)h->leapcnt * (ts + 4) + h->isstdcnt +
           h->isutcnt;
}

/* Reads the data block of header h into z (whose arrays it allocates). */
static int read_block(struct cursor *c, const struct hdr *h, unsigned ts,
                      struct taulu_tzif *z)
{
    const unsigned char *times, *idx, *info, *chars, *isstd, *isut;
    size_t i;

    if (block_len(h, ts) > c->left) {
        return TAULU_EPARSE;
    }
    times = take(c, (size_t)h->timecnt * ts);
    idx = take(c, h->timecnt);
    info = take(c, (size_t)h->typecnt * 6);
    chars = take(c, h->charcnt);
    isstd = take(c, h->isstdcnt);
    isut = take(c, h->isutcnt);
    /* Designations are NUL-terminated strings inside the block: with a NUL
     * last, every index below charcnt starts one. */
    if (chars[h->charcnt - 1] != '\0') {
        return TAULU_EPARSE;
    }
    z->ntrans = h->timecnt;
    z->ntypes = h->typecnt;
    z->trans = calloc(z->ntrans ? z->ntrans : 1, sizeof(*z->trans));
    z->trans_ty = calloc(z->ntrans ? z->ntrans : 1, 1);
    z->types = calloc(z->ntypes, sizeof(*z->types));
    if (!z->trans || !z->trans_ty || !z->types) {
        return TAULU_ENOMEM;
    }
    for (i = 0; i < z->ntrans; i++) {
        int64_t t = ts == 8 ? be64s(times + 8 * i) : be32s(times + 4 * i);

        if (i > 0 && t <= z->trans[i - 1]) {
            return TAULU_EPARSE;
        }
        if (idx[i] >= h->typecnt) {
            return TAULU_EVALUE;
        }
        z->trans[i] = t;
        z->trans_ty[i] = idx[i];
    }
    for (i = 0; i < z->ntypes; i++) {
        const unsigned char *e = info + 6 * i;
        int32_t utoff = be32s(e);
        bool std = h->isstdcnt ? isstd[i] : 0;
        bool ut = h->isutcnt ? isut[i] : 0;

        if (utoff < UTOFF_MIN || utoff > UTOFF_MAX || e[4] > 1 ||
            e[5] >= h->charcnt) {
            return TAULU_EVALUE;
        }
        /* The indicators are 0 or 1, and universal time implies standard
         * time. */
        if ((h->isstdcnt && isstd[i] > 1) || (h->isutcnt && isut[i] > 1) ||
            (ut && !std)) {
            return TAULU_EVALUE;
        }
        z->types[i].utoff = utoff;
        z->types[i].isdst = e[4] == 1;
    }
    return TAULU_OK;
}

/* "\n<TZ string>\n" and the end of the data. */
static int read_footer(struct cursor *c, struct taulu_tzif *z)
{
    const unsigned char *p = take(c, 1);
    const unsigned char *nl;

    if (!p || p[0] != '\n') {
        return TAULU_EPARSE;
    }
    nl = c->left ? memchr(c->p, '\n', c->left) : NULL;
    if (!nl || (size_t)(nl - c->p) + 1 != c->left) {
        return TAULU_EPARSE; /* no closing newline, or bytes after it */
    }
    if (nl != c->p) {
        if (taulu_tz_rule_parse((const char *)c->p, (size_t)(nl - c->p),
                                z->version, &z->rule) < 0) {
            return TAULU_EPARSE;
        }
        z->has_rule = true;
    }
    take(c, c->left);
    return TAULU_OK;
}

int taulu_tzif_parse(const void *data, size_t len, struct taulu_tzif **out)
{
    struct cursor c = {data, len};
    struct taulu_tzif *z = NULL;
    struct hdr h, h2;
    int rc;

    if (!data || !out) {
        return TAULU_EINVAL;
    }
    if (len > TAULU_TZIF_MAX_BYTES) {
        return TAULU_ELIMIT;
    }
    rc = read_header(&c, &h);
    if (rc < 0) {
        goto out;
    }
    z = calloc(1, sizeof(*z));
    if (!z) {
        rc = TAULU_ENOMEM;
        goto out;
    }
    z->version = h.version;
    if (h.version == 1) {
        rc = read_block(&c, &h, 4, z);
        if (rc == 0 && c.left != 0) {
            rc = TAULU_EPARSE; /* version 1 has no footer */
        }
        goto out;
    }
    /* Version 2 and later repeat everything with 64-bit times: the first
     * block is only stepped over. */
    if (block_len(&h, 4) > c.left) {
        rc = TAULU_EPARSE;
        goto out;
    }
    take(&c, (size_t)block_len(&h, 4));
    rc = read_header(&c, &h2);
    if (rc < 0) {
        goto out;
    }
    if (h2.version != h.version) {
        rc = TAULU_EPARSE;
        goto out;
    }
    rc = read_block(&c, &h2, 8, z);
    if (rc < 0) {
        goto out;
    }
    rc = read_footer(&c, z);
out:
    if (rc < 0) {
        taulu_tzif_free(z);
        return rc;
    }
    *out = z;
    return TAULU_OK;
}

int taulu_tzif_read(const char *path, struct taulu_tzif **out)
{
    struct taulu_buf b;
    int rc;

    if (!path || !out) {
        return TAULU_EINVAL;
    }
    taulu_buf_init(&b, TAULU_TZIF_MAX_BYTES);
    rc = taulu_file_read(path, &b);
    if (rc == 0) {
        rc = taulu_tzif_parse(b.data, b.len, out);
    }
    taulu_buf_release(&b);
    return rc;
}

const char *taulu_tzif_system_dir(void)
{
    const char *d = getenv("TZDIR");

    return d && d[0] ? d : TAULU_TZDIR_DEFAULT;
}

/* A zone name is parts of [A-Za-z0-9_+-] joined by '/'; a part starts with
 * no '.' so neither "." nor ".." can climb out of the directory. */
static bool zone_name_valid(const char *name)
{
    size_t i, part = 0;

    if (!name[0] || name[0] == '/') {
        return false;
    }
    for (i = 0; name[i]; i++) {
        char ch = name[i];

        if (ch == '/') {
            if (part == 0) {
                return false;
            }
            part = 0;
            continue;
        }
        if (!(is_alpha(ch) || is_digit(ch) || ch == '_' || ch == '+' ||
              ch == '-')) {
            return false;
        }
        part++;
    }
    return part > 0;
}

int taulu_tzif_load_zone(const char *dir, const char *name,
                         struct taulu_tzif **out)
{
    char path[4096];
    size_t dl, nl;

    if (!dir || !name || !out || !zone_name_valid(name)) {
        return TAULU_EINVAL;
    }
    dl = strlen(dir);
    nl = strlen(name);
    if (dl == 0 || dl + 1 + nl + 1 > sizeof path) {
        return TAULU_EINVAL;
    }
    memcpy(path, dir, dl);
    path[dl] = '/';
    memcpy(path + dl + 1, name, nl + 1);
    return taulu_tzif_read(path, out);
}

void taulu_tzif_free(struct taulu_tzif *z)
{
    if (!z) {
        return;
    }
    free(z->trans);
    free(z->trans_ty);
    free(z->types);
    free(z);
}

int32_t taulu_tzif_utoff(const struct taulu_tzif *z, int64_t t)
{
    size_t lo, hi;

    if (z->ntrans == 0 || t >= z->trans[z->ntrans - 1]) {
        if (z->has_rule) {
            return taulu_tz_rule_utoff(&z->rule, t);
        }
        return z->types[z->ntrans ? z->trans_ty[z->ntrans - 1] : 0].utoff;
    }
    if (t < z->trans[0]) {
        return z->types[0].utoff;
    }
    /* trans[lo] <= t < trans[hi] */
    lo = 0;
    hi = z->ntrans - 1;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (z->trans[mid] <= t) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return z->types[z->trans_ty[lo]].utoff;
}

int taulu_tzif_version(const struct taulu_tzif *z)
{
    return z->version;
}

size_t taulu_tzif_transition_count(const struct taulu_tzif *z)
{
    return z->ntrans;
}

bool taulu_tzif_has_rule(const struct taulu_tzif *z)
{
    return z->has_rule;
}
