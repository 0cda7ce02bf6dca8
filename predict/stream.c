#include "stream.h"

#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "csv_reader.h"
#include "numformat.h"
#include "outfile.h"
#include "pg.h"
#include "row_stream.h"
#include "source.h"
#include "score.h"

/* What every block of one pass over the input shares (read-only on the
 * workers). */
typedef struct {
    const stream_options *options;
    const char *path;
    char delimiter;
    size_t n_columns;
    stream_report *report;   /* the totals, merged in input order */
    /* a model */
    const model *m;
    scorer *sc;
    row_layout layout;
    budget *budget;          /* an alert-budget pass: tally risks, write nothing */
    int use_cutoff;
    double cutoff;
    /* a scorecard */
    const scorecard *card;
    scorecard_binding *binding;
    long id_field;
    row_columns columns;     /* the output's header */
} run;

/* A worker thread's scratch, reused for every block. */
typedef struct {
    const run *r;
    double *x;               /* an encoded row */
    double *effects;         /* drivers: n_targets x effects (features, then pairs) */
    size_t *order;
    double *now, *change;    /* --previous-data: churn contributions now, their change (effects + 1) */
    size_t *change_order;
    double *points;          /* scorecard: per column */
    budget_tally *tally;
} worker;

/* The id a row is written under: its id cell, or its line number. */
static const char *row_id(const csv_row *row, long id_field, char line[24], size_t *len)
{
    if (id_field >= 0) {
        *len = row->lengths[id_field];
        return row->fields[id_field];
    }
    *len = num_format_uint((unsigned long long)row->line, line);
    return line;
}

/* ------------------------------------------------------------- a model */

/* Trend and alert columns, counted. */
static int row_alert(const run *r, const char *id, size_t id_len, const score_result *result,
                     previous_trend *trend, stream_report *counts)
{
    int alert = 0;
    previous_scores *previous = r->options->previous;
    if (previous != NULL) {
        *trend = previous_compare(previous, id, id_len, result->health, (int)result->level, r->options->alert_drop);
        if (trend->index < 0)
            counts->n_new++;
        else
            counts->transitions[trend->previous_bucket][result->level]++;
        alert = trend->slid;
    }
    if (r->use_cutoff)
        alert = result->probability[r->layout.churn] >= r->cutoff;
    counts->n_alerts += (size_t)alert;
    return alert;
}

static vt_status model_row(worker *w, const csv_row *row, buf *out, stream_report *counts, score_counts *scored,
                           vt_err *err)
{
    const run *r = w->r;
    score_result result;
    vt_status status = scorer_row(r->sc, row, w->x, &result, scored, err);
    if (status != VT_OK)
        return status;
    if (w->tally != NULL)
        return budget_tally_add(w->tally, result.probability[r->layout.churn]) == 0
                   ? VT_OK
                   : vt_err_set(err, VT_ENOMEM, r->path, 0, 0, "out of memory");
    char line[24];
    size_t id_len;
    const char *id = row_id(row, scorer_id_field(r->sc), line, &id_len);
    counts->n_bucket[result.level]++;
    previous_trend trend = {-1, 0, 0, 0};
    int alert = row_alert(r, id, id_len, &result, &trend, counts);
    size_t n_effects = encoding_n_effects(r->m->enc);
    for (size_t k = 0; r->options->explain && k < r->m->n_targets; k++)
        scorer_drivers(r->sc, w->x, result.model, k, r->options->explain, w->effects + k * n_effects,
                       w->order + k * n_effects);
    row_change change = {0, 0, w->change, w->change_order, 0, NULL};
    if (r->options->then && trend.index >= 0) {
        size_t churn = r->layout.churn;
        scorer_effects(r->sc, w->x, result.model, churn, w->now);
        change.known = 1;
        change.health_then = result.health - trend.health_change;
        change.n_ordered = explain_change(r->options->then, trend.index, result.model, w->now, result.eta[churn],
                                          r->options->explain_change, w->change, w->change_order, &change.drivers);
    }
    if (buf_reserve(out, rows_model_bound(&r->layout, id_len)) != 0)
        return vt_err_set(err, VT_ENOMEM, r->path, row->line, 0, "out of memory");
    rows_put_model(out, &r->layout, id, id_len, &result, w->effects, w->order, &trend, alert, &change);
    return VT_OK;
}

static vt_status model_block(void *state, const row_block *block, buf *out, void *tally, vt_err *err)
{
    worker *w = state;
    stream_report *counts = tally;
    score_counts scored = {0};
    memset(counts, 0, sizeof *counts);
    for (;;) {
        const csv_row *row = NULL;
        vt_status status = csv_reader_next(block->rows, &row, err);
        if (status != VT_OK)
            return status;
        if (row == NULL)
            break;
        counts->n_rows++;
        if (!w->r->options->tokenize_only && (status = model_row(w, row, out, counts, &scored, err)) != VT_OK)
            return status;
    }
    counts->n_imputed = scored.n_imputed;
    counts->n_unseen = scored.n_unseen;
    counts->n_pooled = scored.n_pooled;
    return VT_OK;
}

/* ---------------------------------------------------------- a scorecard */

static vt_status card_block(void *state, const row_block *block, buf *out, void *tally, vt_err *err)
{
    worker *w = state;
    const run *r = w->r;
    stream_report *counts = tally;
    memset(counts, 0, sizeof *counts);
    for (;;) {
        const csv_row *row = NULL;
        vt_status status = csv_reader_next(block->rows, &row, err);
        if (status != VT_OK || row == NULL)
            return status;
        sc_result result = {0, BUCKET_RED, w->points, 0};
        if ((status = scorecard_row(r->card, r->binding, row, r->path, &result, err)) != VT_OK)
            return status;
        char line[24];
        size_t id_len;
        const char *id = row_id(row, r->id_field, line, &id_len);
        if (buf_reserve(out, rows_card_bound(r->card, id_len)) != 0)
            return vt_err_set(err, VT_ENOMEM, r->path, row->line, 0, "out of memory");
        rows_put_card(out, r->card, id, id_len, &result);
        counts->n_bucket[result.level]++;
        counts->n_rows++;
    }
}

/* ------------------------------------------------------------ the driver */

static vt_status merge_counts(void *user, void *tally, const buf *text, vt_err *err)
{
    (void)text;
    (void)err;
    const run *r = user;
    stream_report *total = r->report;
    const stream_report *part = tally;
    total->n_rows += part->n_rows;
    total->n_imputed += part->n_imputed;
    total->n_unseen += part->n_unseen;
    total->n_new += part->n_new;
    total->n_alerts += part->n_alerts;
    total->n_pooled += part->n_pooled;
    for (int b = 0; b < 3; b++) {
        total->n_bucket[b] += part->n_bucket[b];
        for (int c = 0; c < 3; c++)
            total->transitions[b][c] += part->transitions[b][c];
    }
    if (r->options->progress)
        r->options->progress(total->n_rows, r->options->progress_user);
    return VT_OK;
}

/* Bind the model or scorecard to the header. */
static vt_status bind_header(run *r, const row_stream *rows, vt_err *err)
{
    const char *const *columns = row_stream_header(rows);
    r->n_columns = row_stream_n_columns(rows);
    vt_status status = VT_OK;
    if (r->m)
        status = scorer_new(r->m, r->path, (const char **)columns, r->n_columns, r->options->unseen_baseline, &r->sc,
                            err);
    if (status == VT_OK && r->m)
        scorer_read_booleans(r->sc, row_stream_booleans(rows));
    if (status == VT_OK && r->m && r->m->id_column && scorer_id_field(r->sc) < 0)
        status = vt_err_set(err, VT_EDATA, r->path, 1, 0, "no id column '%s' in the header", r->m->id_column);
    if (status == VT_OK && r->card) {
        status = scorecard_bind(r->card, r->path, (const char **)columns, r->n_columns, &r->binding, err);
        r->id_field = r->options->id_column ? row_stream_find(rows, r->options->id_column) : -1;
        if (status == VT_OK && r->options->id_column && r->id_field < 0)
            status = vt_err_set(err, VT_EDATA, r->path, 1, 0, "no id column '%s' in the header", r->options->id_column);
    }
    return status;
}

static void worker_free(worker *w)
{
    free(w->x);
    free(w->effects);
    free(w->order);
    free(w->now);
    free(w->change);
    free(w->change_order);
    free(w->points);
    budget_tally_free(w->tally);
}

static vt_status worker_init(worker *w, const run *r, vt_err *err)
{
    w->r = r;
    int ok = 1;
    if (r->m) {
        size_t n_drivers = r->m->n_targets * (encoding_n_effects(r->m->enc) + 1);
        ok = (w->x = vt_calloc(scorer_n_terms(r->sc), sizeof(double))) && (w->effects = vt_calloc(n_drivers, sizeof(double))) &&
             (w->order = vt_calloc(n_drivers, sizeof(size_t))) && (!r->budget || (w->tally = budget_tally_new(r->budget)));
        size_t n_change = encoding_n_effects(r->m->enc) + 1;
        ok = ok && (!r->options->then || ((w->now = vt_calloc(n_change, sizeof(double))) &&
                                          (w->change = vt_calloc(n_change, sizeof(double))) &&
                                          (w->change_order = vt_calloc(n_change, sizeof(size_t)))));
    } else {
        ok = (w->points = vt_calloc(r->card->n_columns + 1, sizeof(double))) != NULL;
    }
    return ok ? VT_OK : vt_err_set(err, VT_ENOMEM, r->path, 0, 0, "out of memory");
}

/* One pass over the input: every block parsed and scored; written to file
 * (NULL: an alert-budget pass, whose tallies are folded into r->budget). */
static vt_status run_pass(run *r, outfile *file, vt_err *err)
{
    const stream_options *options = r->options;
    size_t n_threads = row_stream_threads(options->threads);
    row_stream *rows = NULL;
    worker *workers = vt_calloc(n_threads, sizeof(worker));
    void **states = vt_calloc(n_threads, sizeof(void *));
    memset(r->report, 0, sizeof *r->report);
    vt_status status = workers && states ? VT_OK : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    row_stream_options input = {.path = options->data_path, .query = options->query, .delimiter = r->delimiter,
                               .block_bytes = options->block_bytes};
    if (status == VT_OK)
        status = row_stream_open(&input, &rows, err);
    if (status == VT_OK) {
        r->path = row_stream_name(rows);
        status = bind_header(r, rows, err);
    }
    for (size_t i = 0; status == VT_OK && i < n_threads; i++) {
        states[i] = &workers[i];
        status = worker_init(&workers[i], r, err);
    }
    if (status == VT_OK && file != NULL && (r->card || r->layout.format == FORMAT_CSV))
        rows_write_header(outfile_stream(file), &r->columns);
    row_job job = {r->m ? model_block : card_block, merge_counts, NULL, sizeof(stream_report), r};
    if (status == VT_OK)
        status = row_stream_run(rows, states, n_threads, &job, file, err);
    for (size_t i = 0; status == VT_OK && r->budget && i < n_threads; i++)
        if (budget_merge(r->budget, workers[i].tally) != 0)
            status = vt_err_set(err, VT_ENOMEM, r->path, 0, 0, "out of memory");
    for (size_t i = 0; workers && i < n_threads; i++)
        worker_free(&workers[i]);
    free(workers);
    free(states);
    scorer_free(r->sc);
    r->sc = NULL;
    scorecard_binding_free(r->binding);
    r->binding = NULL;
    row_stream_free(rows);
    r->path = NULL; /* the stream's */
    return status;
}

/* The churn risk above which the riskiest share of accounts lies. */
static vt_status find_cutoff(run *r, vt_err *err)
{
    budget *b = budget_new(r->options->alert_budget);
    if (b == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    r->budget = b;
    vt_status status = VT_OK;
    for (int done = 0; status == VT_OK && !done;)
        if ((status = run_pass(r, NULL, err)) == VT_OK)
            status = budget_end_pass(b, r->options->data_path, &done, &r->cutoff, err);
    r->budget = NULL;
    r->use_cutoff = 1;
    budget_free(b);
    return status;
}

/* ---- The scores into a table of the data's database (pg.h) */

static vt_status table_write(void *state, const char *bytes, size_t len, vt_err *err)
{
    return pg_writer_write(state, bytes, len, err);
}
static vt_status table_commit(void *state, vt_err *err) { return pg_writer_commit(state, err); }
static void table_abort(void *state) { pg_writer_abort(state); }

static vt_status open_table(const run *r, outfile **file, vt_err *err)
{
    const row_columns *columns = &r->columns;
    pg_type *types = vt_calloc(columns->n, sizeof(pg_type));
    if (types == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < columns->n; i++)
        types[i] = columns->kinds[i] == COLUMN_DOUBLE ? PG_DOUBLE : columns->kinds[i] == COLUMN_INTEGER ? PG_INTEGER
                                                                                                        : PG_TEXT;
    pg_writer *writer = NULL;
    const stream_options *options = r->options;
    pg_table_mode mode = options->recreate ? PG_RECREATE : options->replace ? PG_REPLACE : PG_CREATE;
    /* predict has --recreate; score does not */
    const char *remedy = r->m ? "drop the table or use --recreate" : "drop the table";
    vt_status status = pg_writer_open(options->data_path, options->to_table, mode, remedy,
                                      (const char *const *)columns->names, types, columns->n, &writer, err);
    free(types);
    if (status != VT_OK)
        return status;
    outfile_sink sink = {writer, table_write, table_commit, table_abort};
    return outfile_open_sink(r->options->to_table, &sink, file, err);
}

/* The writing pass, after the alert-budget passes when there are any.  A
 * table is opened first, so a name already taken, or (--replace) a table of
 * other columns, fails before any work. */
static vt_status write_scores(run *r, vt_err *err)
{
    outfile *file = NULL;
    const stream_options *options = r->options;
    vt_status status = r->m ? rows_model_columns(&r->layout, &r->columns, err)
                            : rows_card_columns(r->card, options->id_column, &r->columns, err);
    if (status == VT_OK && options->to_table)
        status = open_table(r, &file, err);
    if (status == VT_OK && options->alert_budget > 0)
        status = find_cutoff(r, err);
    if (status == VT_OK && !options->to_table)
        status = outfile_open(options->output_path, &file, err);
    if (status == VT_OK)
        status = run_pass(r, file, err);
    r->report->alert_cutoff = r->cutoff;
    if (status == VT_OK) {
        status = outfile_commit(file, err);
        file = NULL;
    }
    outfile_abort(file);
    rows_columns_free(&r->columns);
    return status;
}

vt_status stream_score(const model *m, const stream_options *options, stream_report *report, vt_err *err)
{
    memset(report, 0, sizeof *report);
    if (options->alert_budget > 0 && (strcmp(options->data_path, "-") == 0 || options->query))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "--alert-budget reads the data three times: give a file, not - or a query");
    if (options->to_table && options->tokenize_only)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--tokenize-only writes no scores: not with --to-table");
    if (options->to_table && options->format != FORMAT_CSV)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--to-table writes CSV rows through COPY: drop --format jsonl");
    run r = {.options = options, .report = report, .m = m};
    r.delimiter = source_delimiter(options->query, options->delimiter ? options->delimiter : m->delimiter);
    r.layout = (row_layout){.m = m, .format = options->format, .explain = options->explain,
                            .trend_columns = options->previous != NULL,
                            .alert_column = options->previous == NULL && options->alert_budget > 0,
                            .explain_change = options->then ? options->explain_change : 0,
                            .churn = score_churn_index(m)};
    rows_layout_finish(&r.layout);
    return write_scores(&r, err);
}

vt_status stream_score_card(const scorecard *card, const stream_options *options, stream_report *report, vt_err *err)
{
    memset(report, 0, sizeof *report);
    run r = {.options = options, .report = report, .card = card};
    r.delimiter = source_delimiter(options->query, options->delimiter ? options->delimiter : ',');
    return write_scores(&r, err);
}
