/*
 * tsupport_db.h: the database a store test runs against. The same test
 * program runs twice under CTest: as itself on a SQLite file, and as its
 * "_pg" twin (taulu_pg_twin() in tests/CMakeLists.txt) on a database of its
 * own in the throwaway PostgreSQL cluster of the pg_cluster fixture
 * (scripts/pg-test-cluster.sh), which the twin names in TAULU_TEST_PG_DIR.
 *
 * Test code only: failures return -1 and say why on stderr.
 */
#ifndef TSUPPORT_DB_H
#define TSUPPORT_DB_H

#include <stdbool.h>
#include <stddef.h>

/* The prefix of a store target that is a PostgreSQL conninfo; any other
 * target is the path of a SQLite file. */
#define TSUPPORT_PG_PREFIX "postgresql:"

/* True when this run is against PostgreSQL (TAULU_TEST_PG_DIR is set). */
bool tsupport_db_is_pg(void);

/* Writes into out (size bytes) a fresh store target for the test `name`:
 * - on PostgreSQL, "postgresql:<conninfo>" of a new, empty database (UTF-8,
 *   C collation and character classes, as the store expects) named
 *   after name and this process id (lower-case letters, digits and '_',
 *   at most 63 characters), made on the cluster of TAULU_TEST_PG_DIR (its
 *   file "conninfo"); a database of that name left by an earlier run is
 *   dropped first;
 * - else "<dir>/taulu.db" (nothing is created).
 * 0 or -1. */
int tsupport_db_target(const char *name, const char *dir, char *out,
                       size_t size);

#endif
