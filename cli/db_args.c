#include "db_args.h"

#include <stdlib.h>
#include <string.h>

#include "pg.h"

vt_status db_args_resolve(const char *data, db_args *db, const char *output, char delimiter, vt_err *err)
{
    int is_uri = pg_is_uri(data);
    if (db->query && db->table)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--query and --table: choose one");
    if (!is_uri && (db->query || db->table))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s reads from PostgreSQL: DATA must be a postgresql:// URI",
                          db->query ? "--query" : "--table");
    if (is_uri && !db->query && !db->table)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "DATA is a PostgreSQL URI: say which rows with --query or --table");
    if (is_uri && delimiter != 0 && delimiter != ',')
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--delimiter: a query's rows come comma-separated");
    if (db->query && strspn(db->query, " \t\r\n;") == strlen(db->query))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--query is empty");
    if (db->table && *db->table == '\0')
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--table is empty");
    if (db->replace && !db->to_table)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--replace goes with --to-table");
    if (db->to_table && !is_uri)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "--to-table writes to the database DATA comes from: DATA must be a postgresql:// URI");
    if (db->to_table && *db->to_table == '\0')
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--to-table is empty");
    if (db->to_table && output && strcmp(output, "-") != 0)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--to-table and --output: choose one");
    if (db->table) {
        if ((db->owned = pg_table_query(db->table)) == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        db->query = db->owned;
    }
    return VT_OK;
}

void db_args_free(db_args *db)
{
    free(db->owned);
    db->owned = NULL;
}
