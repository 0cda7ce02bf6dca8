/* table: a whole CSV file read into typed columns, for training.
 *
 * Each column has a role chosen by the caller (by name) or inferred:
 *   auto        numeric when every non-missing cell is a number, categorical
 *               when the cells are text; a column of mostly numbers with some
 *               text is an error naming the first text cell and the remedy;
 *   categorical declared text; cells kept verbatim as levels;
 *   numeric     declared number; any text cell is an error;
 *   label       0/1, yes/no, true/false or t/f in any case, stored as 0.0 / 1.0;
 *   text        kept verbatim per row (ids);
 *   skip        not stored and not checked.
 * Missing cells (empty, blank, NA, NaN, null in any case, plus the caller's
 * tokens) are NaN in numeric and label columns and code -1 in categorical
 * ones.  `inf`, `nan(...)`-like words and overflowing numbers are errors.
 * Too many levels: a categorical column (declared or inferred) with a level
 * for almost every row is an identifier, not a feature: each level would
 * be a term fitted from a row or two, and the fit costs rows x terms^2 (a
 * forgotten --id on 2,000 rows took 66 s; on 100,000 it ran out of
 * memory).  By default a categorical column may hold at most
 * TABLE_MAX_LEVELS levels and, from TABLE_LEVELS_MIN_ROWS rows on, no
 * more levels than half the rows; table_options.max_levels > 0 replaces
 * both rules by that bound.  The error names the column and the remedies.
 * The table owns all its memory; table_free releases it.
 * Threads: table_read types the file's blocks on its own workers and
 * returns when they are done; the table and any error are the same on any
 * number of them.  Separate calls may run at once. */
#ifndef TABLE_H
#define TABLE_H

#include <stdint.h>

#include "dict.h"
#include "vt.h"

typedef enum { ROLE_AUTO, ROLE_CATEGORICAL, ROLE_NUMERIC, ROLE_LABEL, ROLE_TEXT, ROLE_SKIP } column_role;
typedef enum { TYPE_NUMERIC, TYPE_CATEGORICAL, TYPE_LABEL, TYPE_TEXT } column_type;

typedef struct {
    const char *name;
    column_role role;
    const char *option; /* the command-line option that named it, for errors */
} table_role;

typedef struct {
    char delimiter;               /* ignored with a query: COPY writes ',' */
    const char *const *na_tokens; /* extra missing-value tokens, exact match */
    size_t n_na_tokens;
    const table_role *roles;      /* by name; others are ROLE_AUTO */
    size_t n_roles;
    size_t max_levels;            /* 0: the default rules (see above) */
    const char *query;            /* with a postgresql:// URI as path: the rows of this query (source.h) */
} table_options;

#define TABLE_MAX_LEVELS 1000
/* Blocks of about 1 MB: a block's bytes and typed part stay in cache, and
 * threads share the work evenly to the last block (on 1M rows, 84 MB, two
 * threads: 0.24 s with 1 MB blocks, 0.27 s with 4 MB, 0.30 s with 8 MB). */
#define TABLE_BLOCK_BYTES (1u << 20)
#define TABLE_LEVELS_MIN_ROWS 20

typedef struct {
    char *name;
    long csv_index;       /* 0-based field in the file */
    column_type type;
    double *values;       /* numeric, label: NaN = missing */
    int32_t *codes;       /* categorical: -1 = missing; ids in `levels` */
    dict *levels;         /* categorical: levels in first-seen order */
    char **text;          /* text: one string per row */
    size_t n_missing;
    long first_missing_line;
} table_column;

typedef struct {
    char *path;
    size_t n_rows;
    size_t n_columns;     /* stored columns (skipped ones excluded) */
    table_column *columns;
    dict *names;          /* column name -> its index in columns */
    long *lines;          /* physical line of each row */
    uint64_t bytes, hash; /* fingerprint of the file */
} table;

/* Reads and types the file on one thread per core (table_read_threads
 * with 0, 0). */
vt_status table_read(const char *path, const table_options *options,
                     table **out /* OUT */, vt_err *err);
/* The file is cut into blocks of whole records (about block_bytes each; 0:
 * TABLE_BLOCK_BYTES), typed on n_threads threads (0: one per core) and
 * merged in file order, so the table (types, levels in first-seen order,
 * codes, values, lines) and the error (the first bad cell in the file) do
 * not depend on the thread count or the block size.  It is a row_stream
 * job (row_stream.h): memory beyond the table is the blocks in flight,
 * each with its typed part (2 x threads + 2 of them). */
vt_status table_read_threads(const char *path, const table_options *options, size_t n_threads, size_t block_bytes,
                             table **out /* OUT */, vt_err *err);
void table_free(table *data);

/* ---- A file too large to hold: surveyed once, then read a block at a time.
 *
 * table_survey_new reads the file as table_read does (same types, same
 * errors in the same order, except the too-many-levels check: see
 * table_levels) but keeps no rows: only the columns' types and missing
 * counts, the row count, the fingerprint, and where each block of records
 * lies.  table_survey_read then reads block i again as a table of its rows
 * only, whose cells are exactly what table_read would have stored (its
 * categorical codes are the block's own; look levels up by name).  The
 * file must be a regular file (not "-", a FIFO or a device); a read that
 * finds it changed since the survey fails with VT_EIO.  The survey keeps
 * the file open and borrows the options' strings and roles.  Reads of
 * distinct or equal blocks may run at once. */
typedef struct table_survey table_survey;

vt_status table_survey_new(const char *path, const table_options *options, size_t n_threads, size_t block_bytes,
                           table_survey **out /* OUT */, vt_err *err);
void table_survey_free(table_survey *survey);
/* The file's columns and row count, fingerprint and path; no rows stored. */
const table *table_survey_layout(const table_survey *survey);
size_t table_survey_blocks(const table_survey *survey);
size_t table_survey_block_rows(const table_survey *survey, size_t block);
/* Bytes table_read would take for this file's columns (an estimate for text). */
uint64_t table_survey_memory(const table_survey *survey);
/* Block `block` as a table; the caller frees it (table_free). */
vt_status table_survey_read(const table_survey *survey, size_t block, table **out /* OUT */, vt_err *err);
/* Every block, in file order, as table_survey_read gives it: the file is
 * read again as a row_stream on `threads` threads (0: one per core), its
 * blocks typed on them and handed to visit on the calling thread, block 0
 * first; the table is freed when visit returns.  Errors: the reads' (a
 * file changed, or renamed over, since the survey is VT_EIO), then
 * visit's, which stops the pass. */
typedef vt_status (*table_visit_fn)(void *user, size_t block, const table *rows, vt_err *err);
vt_status table_survey_pass(const table_survey *survey, size_t threads, table_visit_fn visit, void *user,
                            vt_err *err);

/* The too-many-levels check of a surveyed file, its blocks added in any
 * order: table_levels_add fails as soon as a column holds more levels
 * than table_read would accept (so memory stays bounded by that rule). */
typedef struct table_levels table_levels;
table_levels *table_levels_new(const table_survey *survey); /* NULL if out of memory */
void table_levels_free(table_levels *counter);
vt_status table_levels_add(table_levels *counter, const table *block, vt_err *err);

/* The stored column with this name, or NULL. */
table_column *table_find(table *data, const char *name);

/* Missing-cell test shared with the streaming scorer. */
int table_is_missing(const char *text, size_t len, const char *const *na_tokens, size_t n_na_tokens);
/* 0/1, yes/no, true/false, t/f in any case; returns 0 on success. */
int table_parse_label(const char *text, size_t len, double *value /* OUT */);

#endif
