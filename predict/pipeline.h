/* pipeline: process a CSV stream block by block on threads, in input order.
 *
 * The calling thread cuts the input into blocks of whole records
 * (csv_splitter), hands them to worker threads, and writes each block's
 * output text and merges its tally in input order, so what comes out does
 * not depend on the thread count.  What a block means is the job's: model
 * scoring, scorecard scoring and the alert-budget passes are users of the
 * pipeline, each a set of callbacks.  The pipeline holds a fixed number of
 * blocks in flight (2 x workers + 2): memory stays flat.
 *
 * The first error in input order stops the run and is returned; blocks
 * after it are not written. */
#ifndef PIPELINE_H
#define PIPELINE_H

#include <stdio.h>

#include "buf.h"
#include "csv_split.h"
#include "outfile.h"
#include "vt.h"

typedef struct {
    /* On a worker thread, with that worker's own state: turn one block
     * into output text (appended to out, which arrives empty) and a tally
     * (tally_size bytes, arriving zeroed).  Errors go to err. */
    vt_status (*process)(void *worker, const csv_block *block, buf *out, void *tally, vt_err *err);
    /* On the calling thread, in input order, after the block's text was
     * written.  May be NULL. */
    void (*merge)(void *user, const void *tally);
    size_t tally_size;
    void *user;
} pipeline_job;

/* Run job over the rest of splitter's input (the caller has read the
 * header) with one thread per worker state (n_workers >= 1; the states
 * are the caller's, made before and freed after).  Output text goes to out
 * (NULL: discarded); a failed write stops the run with its error. */
vt_status pipeline_run(csv_splitter *splitter, void *const *workers, size_t n_workers, const pipeline_job *job,
                       outfile *out, vt_err *err);

#endif
