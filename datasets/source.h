/* source: the bytes of a CSV input, read once, in order.
 *
 * Three kinds, chosen by the path: "-" is standard input; a libpq URI
 * (postgresql://, postgres://) with a query is the query's rows, header
 * first, streamed by COPY (pg.h: the bytes a CSV export of the same rows
 * holds, comma-delimited); anything else is a file.  The readers
 * (csv_split, csv_reader) take their bytes from here, so every command
 * reads a database the way it reads a file.
 *
 * Errors: VT_EUSAGE for a URI without a query or a query without a URI;
 * VT_EIO "cannot open: ...", "read error: ..." or the server's message;
 * VT_EIO at the end of a regular file that changed while it was read (its
 * size or modification time, or the bytes read, differ from when it was
 * opened: a file truncated or rewritten mid-read is not reported whole).
 * A source is used by one thread. */
#ifndef SOURCE_H
#define SOURCE_H

#include <stddef.h>

#include "vt.h"

typedef struct source source;

/* query: NULL for a file or standard input. */
vt_status source_open(const char *path, const char *query, source **out /* OUT */, vt_err *err);
/* Up to want bytes; *got < want only at the end of the input. */
vt_status source_read(source *input, char *bytes, size_t want, size_t *got /* OUT */, vt_err *err);
/* The delimiter the input's rows use: a query's come comma-separated (the
 * CSV COPY writes), whatever the caller's; otherwise delimiter. */
char source_delimiter(const char *query, char delimiter);
/* Whether the file open at fd still has the size and modification time
 * then recorded (a file rewritten or truncated while read has not). */
struct stat;
int source_file_unchanged(int fd, const struct stat *then);
/* What messages call it: "<stdin>", the path, or the URI without its password. */
const char *source_name(const source *input);
/* A query's BOOLEAN columns (pg_reader_booleans); NULL and 0 for a file,
 * whose cells have no type. */
const unsigned char *source_booleans(const source *input, size_t *n_fields /* OUT */);
void source_free(source *input);

#endif
