#include "db_args.h"

#include <stdlib.h>
#include <string.h>

#include "pg.h"

/* The byte length of the longest part of a possibly schema-qualified SQL
 * name ("a"."b" or a.b; a doubled quote inside quotes counts once). */
static size_t longest_name_part(const char *name)
{
    size_t longest = 0, part = 0;
    int quoted = 0;
    for (const char *c = name; *c; c++) {
        if (*c == '"' && quoted && c[1] == '"') {
            part++;
            c++;
        } else if (*c == '"') {
            quoted = !quoted;
        } else if (*c == '.' && !quoted) {
            part = 0;
            continue;
        } else {
            part++;
        }
        longest = part > longest ? part : longest;
    }
    return longest;
}

/* PostgreSQL cuts a name at NAMEDATALEN - 1 bytes without a word */
#define PG_NAME_BYTES 63

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
    if (db->to_table && longest_name_part(db->to_table) > PG_NAME_BYTES) {
        char name[VT_QUOTE_SIZE];
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "--to-table: '%s' has a name longer than PostgreSQL's %d bytes, which the server would cut",
                          vt_quote(name, sizeof name, db->to_table, strlen(db->to_table)), PG_NAME_BYTES);
    }
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

row_stream_options db_args_input(const char *data, const db_args *db, char default_delimiter)
{
    return (row_stream_options){.path = data, .query = db->query,
                                .delimiter = db->delimiter ? db->delimiter : default_delimiter,
                                .threads = db->threads};
}

vt_status db_args_resolve_optional(const char *option, const char *data, db_args *db, vt_err *err)
{
    if (data == NULL && (db->query || db->table || db->delimiter || db->threads))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s reads %s: give %s",
                          db->query ? "--query" : db->table ? "--table" : db->delimiter ? "--delimiter" : "--threads",
                          option, option);
    return data ? db_args_resolve(data, db, NULL, db->delimiter, err) : VT_OK;
}
