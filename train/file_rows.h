/* file_rows: the used rows of a training file too large to hold, read
 * again from the file on every pass (train --memory-limit).
 *
 * file_rows_open reads the surveyed file twice (table_survey_pass: blocks
 * typed on threads, taken in file order), to learn what a table in memory
 * would have given: the encoding (equal to
 * encoding_fit's to the bit), the rows used, the level check, each
 * target's classes and the weights' check.  Its row source then serves
 * the solver: scan reads the blocks holding the rows asked for, types
 * them as the whole file, encodes them with design_source and hands them
 * out in the solver's blocks, so every pass sees the numbers a table in
 * memory would give.  Memory: the blocks a pass has in flight (2 x
 * threads + 2), a block of the file and a block of design rows per
 * scanning thread, and a few words per block of the file.
 *
 * The file_rows borrows the survey, the columns, the outcomes (which it
 * fills) and the encoding it learnt, which the caller owns (encoding_free,
 * after file_rows_free).  scan may run on several threads at once. */
#ifndef FILE_ROWS_H
#define FILE_ROWS_H

#include "encode.h"
#include "irls.h"
#include "outcomes.h"
#include "table.h"
#include "vt.h"

typedef struct file_rows file_rows;

/* o (IN/OUT): its columns set, its counts filled.  The file is read on
 * `threads` threads (0: one per core); nothing depends on how many.  enc and report (OUT)
 * as encoding_fit's; *enc is set only on success.  Errors: the reads',
 * the encoder's, the level check's, outcomes_add's and outcomes_check's. */
vt_status file_rows_open(const table_survey *survey, const encode_columns *columns, outcomes *o, size_t threads,
                         file_rows **out /* OUT */, encoding **enc /* OUT */, encode_report *report /* OUT */,
                         vt_err *err);
void file_rows_free(file_rows *rows);
/* The rows as the solver's source: term names are the encoding's. */
irls_source file_rows_source(const file_rows *rows);

#endif
