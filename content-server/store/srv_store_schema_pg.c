/* temporary, uncommitted: replaced by the helper's srv_store_schema_pg.c */
#include "srv_store_int.h"
const char *const *srv_db_pg_migration(int version)
{
    (void)version;
    return NULL;
}
