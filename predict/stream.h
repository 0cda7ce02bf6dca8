/* stream: score a CSV file of any length with flat memory, on threads.
 *
 * Two jobs of the row stream (row_stream.h): a model, each row scored
 * by the one row scorer (score.h), and a hand-set scorecard.  A row's
 * output depends only on the row: not on the thread count, the block it
 * falls in or the CPU.  With an alert budget the file is read twice more
 * first to find the cut-off (budget.h).
 *
 * A model with segments (--by) scores each row with its level's model; a
 * level unseen in training goes to the pooled model and is counted.
 *
 * Each output row: id, churn_risk[, expansion], health, bucket; then, on
 * request, the top drivers of each target (coefficient x (value - training
 * mean), one-hot levels grouped under their column), and the trend against
 * a previous run (previous bucket, change in health, alert).  CSV or JSON
 * lines.  The output is written to a temporary file and renamed only when
 * every row was scored (or, with to_table, committed to the table only
 * then); the first error in file order is reported with its
 * line and column and leaves nothing behind.  The library never prints:
 * progress goes through a callback. */
#ifndef STREAM_H
#define STREAM_H

#include <stddef.h>

#include "explain.h"
#include "model.h"
#include "previous.h"
#include "rows.h"
#include "scorecard.h"
#include "vt.h"

typedef struct {
    const char *data_path;     /* "-" for standard input, or a postgresql:// URI with query */
    const char *query;         /* the rows of this query (source.h), or NULL */
    const char *output_path;   /* "-" for standard output */
    const char *to_table;      /* instead of output_path: a table of data_path's database (pg.h) */
    int replace;               /* to_table may exist: its rows are replaced at commit (its
                                  columns must be the ones written, else it is refused) */
    int recreate;              /* to_table may exist: it is dropped and created anew at commit */
    char delimiter;            /* 0: the model's */
    int unseen_baseline;       /* unseen levels score as the baseline */
    size_t threads;            /* 0: one per online core */
    size_t explain;            /* drivers per target (0: none) */
    previous_scores *previous; /* NULL: no trend columns */
    explain_then *then;        /* --previous-data: the earlier snapshot (previous is its scores), or NULL */
    size_t explain_change;     /* with then: changes of the churn log-odds per row (0: none) */
    double alert_drop;         /* alert when health falls by more than this */
    double alert_budget;       /* > 0: instead alert the riskiest share of
                                  accounts (needs a file: it is read 3 times) */
    output_format format;
    size_t block_bytes;        /* 0: default */
    int tokenize_only;         /* benchmark floor: read and tokenise, no scores */
    void (*progress)(size_t rows_done, void *user);
    void *progress_user;
    const char *id_column;     /* stream_score_card: the id column, or NULL (line numbers) */
} stream_options;

typedef struct {
    size_t n_rows;
    size_t n_imputed, n_unseen;
    size_t n_bucket[3];        /* indexed by bucket */
    size_t transitions[3][3];  /* [previous bucket][bucket] */
    size_t n_new;              /* ids not in the previous run */
    size_t n_alerts;
    double alert_cutoff;       /* with alert_budget: alert when churn_risk >= this */
    size_t n_pooled;           /* --by models: rows whose level has no model of its own */
} stream_report;

vt_status stream_score(const model *m, const stream_options *options, stream_report *report /* OUT */,
                       vt_err *err);

/* The same pipeline for a hand-set scorecard: id, health, bucket, each
 * measure's points and the rules that fired (1-based, ';'-separated).
 * Uses data_path, query, output_path, to_table, replace, recreate, delimiter (',' if 0), threads, block_bytes,
 * progress and id_column of the options. */
vt_status stream_score_card(const scorecard *card, const stream_options *options, stream_report *report /* OUT */,
                            vt_err *err);

#endif
