/* row_stream: the one way vitals reads the rows of DATA.
 *
 * DATA is a CSV file, "-" (standard input) or a postgresql:// URI with a
 * query (source.h); row_stream_open reads its header (required; empty or
 * duplicate names are refused at 1:COL) and the rest is read by
 * row_stream_run: the calling thread cuts the input into blocks of whole
 * records (csv_split.h), worker threads turn each block into output text
 * and a result, and the calling thread writes each block's text and merges
 * its result in input order.  So what comes out does not depend on the
 * thread count or the block a row falls in, and the error returned is the
 * first in input order (blocks after it are neither written nor merged).
 * At most 2 x workers + 2 blocks are in flight: memory stays flat.
 *
 * Every reader is a job: predict's and score's scoring passes, the alert
 * budget's, train's table and survey, compare, drift, explain-change,
 * previous runs, history and tune.  A stream is read once, by one run. */
#ifndef ROW_STREAM_H
#define ROW_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "csv_reader.h"
#include "csv_split.h"
#include "outfile.h"
#include "vt.h"

/* The default block: big enough that a block's set-up is noise. */
#define ROW_STREAM_BLOCK_BYTES ((size_t)1 << 20)

typedef struct row_stream row_stream;

typedef struct {
    const char *path;     /* a file, "-", or a postgresql:// URI (with query) */
    const char *query;    /* the rows of this query, or NULL */
    char delimiter;       /* ',' if 0; a query's rows are always comma-separated */
    size_t block_bytes;   /* 0: ROW_STREAM_BLOCK_BYTES */
    int fingerprint;      /* hash the bytes read (row_stream_hash): training wants it */
    size_t threads;       /* the workers a reader runs over it (row_stream_threads: 0 is one per core) */
} row_stream_options;

/* Opens the input and reads its header.  Errors: source_open's, the
 * header's (VT_EDATA "empty file: a header row is required", a malformed,
 * empty or duplicate name at 1:COL), VT_ENOMEM. */
vt_status row_stream_open(const row_stream_options *options, row_stream **out /* OUT */, vt_err *err);
void row_stream_free(row_stream *rows);

size_t row_stream_n_columns(const row_stream *rows);
/* The header's names, n_columns of them, owned by the stream. */
const char *const *row_stream_header(const row_stream *rows);
/* Index of the header name, or -1. */
long row_stream_find(const row_stream *rows, const char *name);
/* n_columns bytes, 1 where the column is a PostgreSQL BOOLEAN (its cells
 * read t and f); NULL when no column is known to be one: a file's cells
 * have no type, so a file's 't' is only text.  Owned by the stream. */
const unsigned char *row_stream_booleans(const row_stream *rows);
/* What messages call the input: "<stdin>", the path, or the URI without its password. */
const char *row_stream_name(const row_stream *rows);
/* The delimiter its records use. */
char row_stream_delimiter(const row_stream *rows);
/* Bytes read so far and, with fingerprint, their FNV-1a hash. */
uint64_t row_stream_bytes(const row_stream *rows);
uint64_t row_stream_hash(const row_stream *rows);

/* One block as a worker sees it: a reader positioned at its first record
 * (csv_reader_next gives its rows in order, each with its file line) and
 * where its bytes lie in the input. */
typedef struct {
    csv_reader *rows;
    uint64_t offset;
    size_t len;
    long first_line;
} row_block;

typedef struct {
    /* On a worker thread, with that worker's own state: turn one block into
     * output text (appended to out, which arrives empty) and a result
     * (result_size bytes, one per block in flight: zeroed once, then as the
     * last block through it left it, so process starts by resetting it). */
    vt_status (*process)(void *worker, const row_block *block, buf *out, void *result, vt_err *err);
    /* On the calling thread, in input order, after the block's text was
     * written: fold the result (and the text, if no file took it) into the
     * job's totals.  May be NULL. */
    vt_status (*merge)(void *user, void *result, const buf *text, vt_err *err);
    /* Frees what a result holds, once per result at the end.  May be NULL. */
    void (*release)(void *result);
    size_t result_size;
    void *user;
} row_job;

/* Runs job over the data rows with one thread per worker state (n_workers
 * >= 1; the states are the caller's, made before and freed after).  Output
 * text goes to out (NULL: only to merge); a failed write stops the run. */
vt_status row_stream_run(row_stream *rows, void *const *workers, size_t n_workers, const row_job *job, outfile *out,
                         vt_err *err);

/* row_stream_run for the common case: n_workers states of worker_size
 * bytes each, zeroed, made ready by init (on the calling thread before the
 * run; its user is job->user) and undone by fini (after it, for every
 * state, made ready or not); init and fini may be NULL. */
vt_status row_stream_run_workers(row_stream *rows, size_t n_workers, size_t worker_size,
                                 vt_status (*init)(void *worker, void *user, vt_err *err), void (*fini)(void *worker),
                                 const row_job *job, outfile *out, vt_err *err);

/* The worker count for a requested thread count (0: one per online core). */
size_t row_stream_threads(size_t requested);

#endif
