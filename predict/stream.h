/* stream: score a CSV file of any length with flat memory.
 *
 * Rows are read in blocks (never the whole file), encoded with the model's
 * encoding, scored one block at a time, and written in input order as
 * id,churn_risk[,expansion],health,bucket.  The output is written to a
 * temporary file and renamed only when every row was scored, so an error
 * (reported with file, line and column) leaves nothing behind. */
#ifndef STREAM_H
#define STREAM_H

#include <stddef.h>

#include "model.h"
#include "vt.h"

typedef struct {
    const char *data_path;   /* "-" for standard input */
    const char *output_path; /* "-" for standard output */
    char delimiter;          /* 0: the model's */
    int unseen_baseline;     /* unseen levels score as the baseline */
    size_t block_rows;       /* 0: default */
} stream_options;

typedef struct {
    size_t n_rows;
    size_t n_imputed, n_unseen;
    size_t n_bucket[3];      /* indexed by bucket */
} stream_report;

vt_status stream_score(const model *m, const stream_options *options, stream_report *report /* OUT */,
                       vt_err *err);

#endif
