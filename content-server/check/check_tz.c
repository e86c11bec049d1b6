/*
 * check_tz.c: Europe/Helsinki wall-clock time for the clock-time rule.
 *
 * The checker compares "klo 17" in a body with the event's structured start,
 * which the server stores as an instant. Rather than depend on the process
 * time zone (TZ, tzdata, localtime_r's global state) we apply the one rule
 * that has governed Finland since 1996: UTC+2, and UTC+3 from the last
 * Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC. The
 * calendar arithmetic is Howard Hinnant's days-from-civil algorithm. Should
 * the EU ever abolish the clock change, this is the one place to edit.
 */
#include "check_internal.h"

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        q--;
    }
    return q;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = floor_div(y, 400);
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *year, int *month, int *day)
{
    int64_t era, doe, yoe, y, doy, mp;

    z += 719468;
    era = floor_div(z, 146097);
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(y + (*month <= 2));
}

/* Day number of the last Sunday of a 31-day month. */
static int64_t last_sunday(int64_t year, int month)
{
    int64_t last = days_from_civil(year, month, 31);
    int64_t wd = floor_div(last + 4, 7) * 7; /* 1970-01-01 was a Thursday */

    wd = last + 4 - wd; /* 0 = Sunday */
    return last - wd;
}

void check_helsinki_time(int64_t t, struct check_local_time *out)
{
    int64_t days = floor_div(t, 86400);
    int y, m, d;
    int64_t start, end, local, secs;

    civil_from_days(days, &y, &m, &d);
    start = last_sunday(y, 3) * 86400 + 3600;
    end = last_sunday(y, 10) * 86400 + 3600;
    out->utc_offset_min = (t >= start && t < end) ? 180 : 120;
    local = t + (int64_t)out->utc_offset_min * 60;
    days = floor_div(local, 86400);
    secs = local - days * 86400;
    civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(secs / 3600);
    out->minute = (int)(secs % 3600 / 60);
}
