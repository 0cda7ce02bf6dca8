/* db_args: DATA from PostgreSQL, the options every reading command shares.
 *
 *   DATA         a file, "-", or a libpq URI (postgresql://, postgres://)
 *   --query SQL  with a URI: the rows of this query
 *   --table NAME with a URI: the rows of this table (SELECT * FROM NAME)
 *   --to-table NAME [--replace]   predict and score: the scores into this
 *                table of the same database instead of --output
 *
 * db_args_resolve checks how they relate (one line, VT_EUSAGE) and leaves
 * in db->query the query to read: --query, or the --table's SELECT (then
 * owned by db, freed by db_args_free), or NULL for a file. */
#ifndef DB_ARGS_H
#define DB_ARGS_H

#include "row_stream.h"
#include "vt.h"

typedef struct {
    const char *query, *table;
    const char *to_table; /* NULL for commands that only read */
    int replace;
    char delimiter;       /* --delimiter, 0 if not given */
    size_t threads;       /* --threads, 0 if not given (one per core) */
    char *owned;
} db_args;

/* output: the command's --output as given ("-" when not), or NULL for a
 * command without --to-table.  delimiter: --delimiter's (0 if none): a
 * query's rows are comma-separated, so another is refused. */
vt_status db_args_resolve(const char *data, db_args *db, const char *output, char delimiter, vt_err *err);
/* DATA given by an option (diff's and report's --data), which may be
 * absent: then --query, --table, --delimiter and --threads are refused
 * ("--query reads --data: give --data"); otherwise db_args_resolve. */
vt_status db_args_resolve_optional(const char *option, const char *data, db_args *db, vt_err *err);
void db_args_free(db_args *db);

/* How a reader opens DATA once resolved: delimiter is --delimiter's, else
 * default_delimiter (the model's, ',' for none). */
row_stream_options db_args_input(const char *data, const db_args *db, char default_delimiter);

/* The option-table entries of a reading command (args.h), db a db_args
 * field of the command's options struct type. */
#define DB_ARGS_OPTIONS(type, db)                                                    \
    {"--query", NULL, ARG_STRING, ARG_AT(type, db.query)},                           \
    {"--table", NULL, ARG_STRING, ARG_AT(type, db.table)},                           \
    {"--delimiter", NULL, ARG_DELIMITER, ARG_AT(type, db.delimiter)},                \
    {"--threads", NULL, ARG_LONG, ARG_AT(type, db.threads), .min = 1, .max = 256}

/* The help lines for the options above. */
#define DB_ARGS_HELP \
    "  --query SQL          DATA is a postgresql:// URI: read the rows of this query\n" \
    "  --table NAME         DATA is a postgresql:// URI: read this table (schema.table,\n" \
    "                       the name as written)\n"
#define DB_ARGS_HELP_READ \
    DB_ARGS_HELP \
    "  --delimiter D        DATA's delimiter: , ; tab or | (a query's rows: ,)\n" \
    "  --threads N          worker threads (default: one per core); the output does\n" \
    "                       not depend on how many\n"
#define DB_ARGS_HELP_TO_TABLE \
    "  --to-table NAME      write the scores into this new table of DATA's database,\n" \
    "                       in one transaction (instead of --output)\n" \
    "  --replace            with --to-table: the table may exist; its rows are\n" \
    "                       replaced at commit\n"

#endif
