/*
 * srv_time.c: strict RFC 3339 parsing and formatting of instants (see
 * srv_time.h for why this lives here for now).
 */
#include "srv_time.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "taulu_err.h"

static int64_t days_from_civil(int64_t y, int m, int d)
{
    /* Howard Hinnant's algorithm, proleptic Gregorian. */
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool digits(const char *s, int n, int *v)
{
    int i, r = 0;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        r = r * 10 + (s[i] - '0');
    }
    *v = r;
    return true;
}

static int mdays(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

int srv_time_parse_iso(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
    size_t len;

    if (!s) {
        return TAULU_EPARSE;
    }
    len = strlen(s);
    if (len != 20 && len != 25) {
        return TAULU_EPARSE;
    }
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || s[10] != 'T' ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
        s[16] != ':' || !digits(s + 17, 2, &se)) {
        return TAULU_EPARSE;
    }
    if (len == 20) {
        if (s[19] != 'Z') {
            return TAULU_EPARSE;
        }
    } else {
        if (s[19] == '+') {
            sign = 1;
        } else if (s[19] == '-') {
            sign = -1;
        } else {
            return TAULU_EPARSE;
        }
        if (!digits(s + 20, 2, &oh) || s[22] != ':' ||
            !digits(s + 23, 2, &om) || oh > 23 || om > 59) {
            return TAULU_EPARSE;
        }
    }
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo) || h > 23 ||
        mi > 59 || se > 59) {
        return TAULU_EPARSE;
    }
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
           sign * (oh * 3600 + om * 60);
    return 0;
}

void srv_time_format_iso(int64_t t, char out[SRV_ISO_LEN])
{
    int64_t days, rem;
    int y, m, d, i;
    char *p = out;
    int v[6];
    static const char sep[] = "--T::Z";
    static const int width[] = {4, 2, 2, 2, 2, 2};

    if (t < 0) {
        t = 0;
    }
    days = t / 86400;
    rem = t % 86400;
    civil_from_days(days, &y, &m, &d);
    if (y > 9999) {
        y = 9999;
    }
    v[0] = y;
    v[1] = m;
    v[2] = d;
    v[3] = (int)(rem / 3600);
    v[4] = (int)(rem / 60 % 60);
    v[5] = (int)(rem % 60);
    for (i = 0; i < 6; i++) {
        int w = width[i], val = v[i], k;
        for (k = w - 1; k >= 0; k--) {
            p[k] = (char)('0' + val % 10);
            val /= 10;
        }
        p += w;
        *p++ = sep[i];
    }
    *p = '\0';
}

int64_t srv_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}
