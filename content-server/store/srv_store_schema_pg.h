/*
 * srv_store_schema_pg.h: the database schema of the PostgreSQL backend. A
 * PostgreSQL database is created directly at the current schema (there are
 * no PostgreSQL installations of an older one); a migration added to
 * srv_store_schema.c later is added to srv_store_schema_pg.c too, and
 * tests/unit/content-server/store/test_srv_schema_pg.c compares the two.
 */
#ifndef SRV_STORE_SCHEMA_PG_H
#define SRV_STORE_SCHEMA_PG_H

/* The statements that make an empty PostgreSQL database the schema of
 * version 11, in order, NULL-terminated; one statement a
 * string, run in one transaction by srv_db_migrate_to(), which records
 * the version in schema_version as it does on SQLite. Static data. */
extern const char *const srv_pg_schema_v11[];

/* The schema version srv_pg_schema_v11 and the later migrations of
 * srv_store_schema_pg.c make: srv_store_schema_version() as long as the
 * two backends agree. */
int srv_pg_schema_version(void);

#endif
