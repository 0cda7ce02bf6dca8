/* previous: the last scoring run's health and bucket per account id, for
 * trends and alerts (predict --previous OLD.csv).
 *
 * Reads what predict wrote, a file or the table of --to-table (or any
 * rows with an id column and `health` and `bucket` columns), through
 * row_stream: cells are checked on worker threads, ids added in input
 * order, so which of two equal ids is refused does not depend on the
 * threads.  Memory grows with the number of ids in it, the one part of
 * predict that does.  Lookups are thread-safe; marking an id seen is an
 * atomic store. */
#ifndef PREVIOUS_H
#define PREVIOUS_H

#include <stddef.h>

#include "buf.h"
#include "row_stream.h"
#include "vt.h"

typedef struct previous_scores previous_scores;

/* input: its delimiter is the caller's (predict writes ','); id_column
 * NULL: the first column.  Errors: the stream's, a missing column (FILE:1),
 * a health that is not a whole number 0-100 or a bucket not red, yellow or
 * green, an id given twice (FILE:LINE:COL, the first in input order),
 * VT_ENOMEM. */
vt_status previous_load(const row_stream_options *input, const char *id_column, previous_scores **out /* OUT */,
                        vt_err *err);
void previous_free(previous_scores *scores);

/* A table built by hand (explain.h): previous_new (NULL if out of memory),
 * previous_add per id (its index: 0, 1, 2... in the order added; -1 out of
 * memory, -2 the id is there already), then previous_finish (0, or -1 out
 * of memory) before lookups. */
previous_scores *previous_new(void);
long previous_add(previous_scores *scores, const char *id, size_t len, int health, int bucket);
int previous_finish(previous_scores *scores);

/* One block's rows as a worker read them (row_stream.h), to be added on the
 * calling thread in input order; what stopped the block, if anything, is
 * kept to be reported after its rows, so the first error in input order
 * wins even when it is an id the block repeats. */
typedef struct {
    buf ids;                 /* the ids' bytes, back to back */
    size_t *ends;            /* per row: where its id ends in ids */
    long *lines;             /* per row: its line */
    int *health;
    unsigned char *bucket;
    size_t n, cap;
    vt_status stopped;       /* VT_OK, or the error after the rows */
    vt_err err;
} previous_batch;
void previous_batch_clear(previous_batch *batch); /* no rows, no error; keeps its memory */
/* 0, or -1 out of memory. */
int previous_batch_push(previous_batch *batch, const char *id, size_t len, long line, int health, int bucket);
void previous_batch_free(previous_batch *batch);
/* Adds the batch's rows in order (the indexes previous_size() onwards),
 * then returns its error.  Errors: "id 'X' appears twice" at
 * path:LINE:id_field + 1, the batch's own, VT_ENOMEM. */
vt_status previous_add_batch(previous_scores *scores, const previous_batch *batch, const char *path, long id_field,
                             vt_err *err);

/* Index of the id, or -1. */
long previous_find(const previous_scores *scores, const char *id, size_t len);
int previous_health(const previous_scores *scores, long index);
int previous_bucket(const previous_scores *scores, long index); /* a bucket value */
void previous_mark_seen(previous_scores *scores, long index);
size_t previous_size(const previous_scores *scores);

/* An account against the previous run: its index there (-1 if the id is
 * new; else the id is marked seen), previous bucket and health change, and
 * whether it slid: to a worse bucket (green to yellow counts) or health
 * down by more than alert_drop. */
typedef struct {
    long index;
    int previous_bucket, health_change, slid;
} previous_trend;
previous_trend previous_compare(previous_scores *scores, const char *id, size_t len, int health, int bucket,
                                double alert_drop);
size_t previous_count_unseen(const previous_scores *scores);

#endif
