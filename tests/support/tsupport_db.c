/*
 * tsupport_db.c: a fresh database for each test run on PostgreSQL (see
 * tsupport_db.h). libpq only here, so that tests of SQLite alone need not
 * know it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "tsupport_db.h"

/* PostgreSQL's limit on an identifier (NAMEDATALEN - 1). */
#define PG_NAME_MAX 63

bool tsupport_db_is_pg(void)
{
    const char *dir = getenv("TAULU_TEST_PG_DIR");

    return dir && *dir;
}

/* The cluster's conninfo line (DIR/conninfo) without its newline. */
static int read_conninfo(const char *dir, char *out, size_t size)
{
    char path[1024];
    FILE *f;
    size_t n;

    if (snprintf(path, sizeof path, "%s/conninfo", dir) >= (int)sizeof path) {
        return -1;
    }
    f = fopen(path, "r");
    if (!f) {
        fprintf(stderr,
                "tsupport_db: no %s (is the pg_cluster fixture running?)\n",
                path);
        return -1;
    }
    if (!fgets(out, (int)size, f)) {
        fclose(f);
        fprintf(stderr, "tsupport_db: %s is empty\n", path);
        return -1;
    }
    fclose(f);
    n = strcspn(out, "\r\n");
    out[n] = '\0';
    return n > 0 ? 0 : -1;
}

/* name_pid, folded to [a-z0-9_], starting with a letter, within the
 * identifier limit (the name is shortened, never the pid, which is what
 * keeps parallel tests apart). */
static void db_name(const char *name, char out[PG_NAME_MAX + 1])
{
    char pid[24];
    size_t room, n = 0;
    const char *c;

    snprintf(pid, sizeof pid, "_%ld", (long)getpid());
    room = PG_NAME_MAX - strlen(pid);
    if (!isalpha((unsigned char)*name)) {
        out[n++] = 't';
    }
    for (c = name; *c && n < room; c++) {
        unsigned char ch = (unsigned char)tolower((unsigned char)*c);
        out[n++] = (char)((isalnum(ch) && ch < 128) ? ch : '_');
    }
    memcpy(out + n, pid, strlen(pid) + 1);
}

/* The conninfo with its dbname=... left out (the fixture writes plain
 * space-separated key=value words, nothing quoted). */
static int without_dbname(const char *conninfo, char *out, size_t size)
{
    const char *p = conninfo;
    size_t n = 0;

    while (*p) {
        size_t len = strcspn(p, " ");
        if (len > 0 && strncmp(p, "dbname=", 7) != 0) {
            if (n + len + 2 > size) {
                return -1;
            }
            memcpy(out + n, p, len);
            n += len;
            out[n++] = ' ';
        }
        p += len;
        p += strspn(p, " ");
    }
    out[n] = '\0';
    return 0;
}

/* The server's notices ("does not exist, skipping") are no news here. */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static int run(PGconn *conn, const char *sql)
{
    PGresult *res = PQexec(conn, sql);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;

    if (rc) {
        fprintf(stderr, "tsupport_db: %s: %s", sql, PQerrorMessage(conn));
    }
    PQclear(res);
    return rc;
}

int tsupport_db_target(const char *name, const char *dir, char *out,
                       size_t size)
{
    char conninfo[1024], base[1024], dbname[PG_NAME_MAX + 1], sql[256];
    PGconn *conn = NULL;
    int n, rc = -1;

    if (!tsupport_db_is_pg()) {
        n = snprintf(out, size, "%s/taulu.db", dir);
        return (n < 0 || (size_t)n >= size) ? -1 : 0;
    }
    if (read_conninfo(getenv("TAULU_TEST_PG_DIR"), conninfo, sizeof conninfo) ||
        without_dbname(conninfo, base, sizeof base)) {
        goto out;
    }
    db_name(name, dbname);
    conn = PQconnectdb(conninfo);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "tsupport_db: %s: %s", conninfo, PQerrorMessage(conn));
        goto out;
    }
    PQsetNoticeProcessor(conn, quiet, NULL);
    /* FORCE: a connection left by a crashed earlier run does not keep the
     * old database alive. The name is [a-z0-9_] only, quoting is enough. */
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)",
             dbname);
    if (run(conn, sql)) {
        goto out;
    }
    /* C collation, said here rather than taken from the cluster's
     * template1: the store orders text by code point as SQLite does, and
     * a database the tests make must not depend on how initdb was run.
     * template0, since another locale than template1's needs it; the
     * libc provider named where there is a choice (15 and later). */
    snprintf(sql, sizeof sql,
             "CREATE DATABASE \"%s\" TEMPLATE template0 ENCODING 'UTF8'"
             " %sLC_COLLATE 'C' LC_CTYPE 'C'",
             dbname,
             PQserverVersion(conn) >= 150000 ? "LOCALE_PROVIDER libc " : "");
    if (run(conn, sql)) {
        goto out;
    }
    n = snprintf(out, size, TSUPPORT_PG_PREFIX "%sdbname=%s", base, dbname);
    rc = (n < 0 || (size_t)n >= size) ? -1 : 0;
out:
    PQfinish(conn);
    return rc;
}
