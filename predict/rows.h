/* rows: the lines predict and score write, as CSV or JSON lines.
 *
 * A header once (CSV only), then one line per scored row, built in a
 * block's buffer by the worker that scored it.  CSV fields follow the one
 * quoting rule of buf.h; JSON strings are escaped per RFC 8259; numbers
 * are written by num_format (17 significant digits that read back as the
 * same doubles).  Reserve rows_*_bound bytes before each rows_put_*. */
#ifndef ROWS_H
#define ROWS_H

#include <stdio.h>

#include "buf.h"
#include "model.h"
#include "previous.h"
#include "score.h"
#include "scorecard.h"

typedef enum { FORMAT_CSV, FORMAT_JSONL } output_format;

typedef struct {
    const model *m;
    output_format format;
    size_t churn;         /* index of the churn target */
    int health;           /* health and bucket columns: the model has a churn target (set by rows_layout_finish;
                             a propensity model's rows are its id and expansion probability) */
    size_t explain;       /* drivers per target */
    int trend_columns;    /* previous_bucket, health_change, alert */
    int alert_column;     /* alert alone (an alert budget, no previous run) */
    size_t explain_change; /* health_then and this many changes of the churn log-odds (explain.h) */
    size_t bound_fixed;   /* a row's bytes but its id's: see rows_model_bound */
} row_layout;

/* Why the score moved (explain.h): read when layout->explain_change > 0. */
typedef struct {
    int known;                /* the id was in the earlier snapshot */
    int health_then;
    const double *change;     /* per feature, then the rest (n_features + 1) */
    const size_t *order;      /* the largest first */
    size_t n_ordered;
    const model_drivers *drivers; /* whose names the items take (explain_change) */
} row_change;

/* The CSV columns in order: each one's header name and what its cells hold
 * (a table in a database takes its types from them).  Empty cells are
 * missing.  The caller frees them with rows_columns_free; VT_ENOMEM. */
typedef enum { COLUMN_TEXT, COLUMN_DOUBLE, COLUMN_INTEGER } column_kind;
typedef struct {
    char **names;
    column_kind *kinds;
    size_t n, cap;
    int failed;
} row_columns;
vt_status rows_model_columns(const row_layout *layout, row_columns *columns /* OUT */, vt_err *err);
/* id_column NULL: the line number, as "line". */
vt_status rows_card_columns(const scorecard *card, const char *id_column, row_columns *columns /* OUT */, vt_err *err);
void rows_columns_free(row_columns *columns);
/* The header line (CSV only). */
void rows_write_header(FILE *out, const row_columns *columns);

/* Fill the layout's bounds from its other fields. */
void rows_layout_finish(row_layout *layout);
size_t rows_model_bound(const row_layout *layout, size_t id_len);
/* effects and order: per target, n_features values each (scorer_drivers),
 * read when layout->explain > 0; trend read when trend_columns; change
 * when explain_change. */
void rows_put_model(buf *out, const row_layout *layout, const char *id, size_t id_len, const score_result *result,
                    const double *effects, const size_t *order, const previous_trend *trend, int alert,
                    const row_change *change);

size_t rows_card_bound(const scorecard *card, size_t id_len);
void rows_put_card(buf *out, const scorecard *card, const char *id, size_t id_len, const sc_result *result);

#endif
