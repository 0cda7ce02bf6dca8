/* pg: PostgreSQL as a source of CSV rows and a sink of scores, through libpq.
 *
 * DATA given as a libpq URI (postgresql://... or postgres://...) is read
 * with COPY (query) TO STDOUT (FORMAT csv, HEADER): the bytes a CSV export
 * of the same rows would hold, streamed, never stored.  The read runs in a
 * READ ONLY transaction as a single statement (the extended protocol takes
 * one), so a source never writes.  Scores go back with COPY ... FROM STDIN
 * inside one transaction that creates the table, or with replace empties
 * and refills it (only if its columns are those written), or with recreate
 * drops and creates it anew; nothing is visible, and an existing table is
 * unchanged, until the commit.
 *
 * Every connection sets connect_timeout 10 s (unless the URI sets one),
 * application_name "vitals", client_encoding UTF8 and extra_float_digits 3
 * (float8 text reads back as the same double).
 *
 * Errors: VT_EIO with one line (the server's primary message, or libpq's
 * first line), naming the URI without its password (pg_redact); the
 * password never appears in a message, even when libpq echoes the URI.
 * VT_EUSAGE for a table that exists without replace, is not a table, or
 * (replace) has other columns than those written; and for a URI with more
 * than one '@' before its host (a password with an unencoded '@': libpq
 * would take the rest for the host), refused before any connection, in a
 * line that shows none of the URI.
 * Each object is used by one thread; separate ones may run at once. */
#ifndef PG_H
#define PG_H

#include <stddef.h>

#include "vt.h"

/* Does text start with postgresql:// or postgres://? */
int pg_is_uri(const char *text);

/* The URI with its password removed (user:secret@ and password=...), for
 * messages and the model's data block.  NULL if out of memory. */
char *pg_redact(const char *uri);

/* SELECT * FROM NAME, NAME quoted as an identifier: taken literally, case
 * and all, "schema.table" split at its first dot.  NULL if out of memory. */
char *pg_table_query(const char *name);

/* ---- Source: the rows of a query as CSV bytes, header first. */
typedef struct pg_reader pg_reader;

/* Connects and starts the COPY; a bad URI, a refused connection or an
 * error in the query fails here.  query: one SELECT (or VALUES, or TABLE
 * name); a trailing semicolon is allowed. */
vt_status pg_reader_open(const char *uri, const char *query, pg_reader **out /* OUT */, vt_err *err);
/* The redacted URI, as messages name the source. */
const char *pg_reader_name(const pg_reader *reader);
/* One byte per column of the query's rows, 1 where the server types it
 * BOOLEAN (whose CSV text is t/f), as *n_fields; NULL (and 0) when the
 * query could not be described.  Owned by the reader. */
const unsigned char *pg_reader_booleans(const pg_reader *reader, size_t *n_fields /* OUT */);
/* Up to want bytes into bytes; *got < want only at the end of the rows.
 * An error raised while the query runs (division by zero at row N) is
 * reported with the line it would have been. */
vt_status pg_reader_read(pg_reader *reader, char *bytes, size_t want, size_t *got /* OUT */, vt_err *err);
/* Ends the COPY (abandoning it if unfinished) and closes the connection. */
void pg_reader_free(pg_reader *reader);

/* ---- Sink: a table filled from CSV bytes (their first line a header). */
typedef enum { PG_TEXT, PG_DOUBLE, PG_INTEGER } pg_type;

/* What to do with a table of that name that exists already. */
typedef enum {
    PG_CREATE,   /* refuse it (left untouched) */
    PG_REPLACE,  /* empty and refill it at commit; its columns must be the
                    ones written, in order, of the same types, else it is
                    refused before any work (left untouched) */
    PG_RECREATE  /* drop it and create it anew at commit */
} pg_table_mode;

typedef struct pg_writer pg_writer;

/* Connects, begins a transaction and makes the table ready: a missing one
 * is created.  An existing one (mode) keeps its rows until commit: scores
 * stream into a temporary table meanwhile, so a source reading the same
 * table is never blocked by this writer, and are moved at commit, after
 * the columns are checked once more under the lock.  columns and types: n
 * of each, as the CSV header names them (id text, scores double precision,
 * health integer, bucket text).  remedy: the end of the line refusing a
 * table whose columns differ ("drop the table or use --recreate"). */
vt_status pg_writer_open(const char *uri, const char *table, pg_table_mode mode, const char *remedy,
                         const char *const *columns, const pg_type *types, size_t n, pg_writer **out /* OUT */,
                         vt_err *err);
vt_status pg_writer_write(pg_writer *writer, const char *bytes, size_t len, vt_err *err);
/* Ends the COPY, fills the table (replace or recreate) and commits; on any error the
 * transaction is rolled back.  Frees writer. */
vt_status pg_writer_commit(pg_writer *writer, vt_err *err);
/* Rolls back and closes.  Frees writer; NULL ok. */
void pg_writer_abort(pg_writer *writer);

#endif
