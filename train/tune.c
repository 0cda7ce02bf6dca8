#include "tune.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv_reader.h"
#include "irls.h"
#include "row_stream.h"
#include "numparse.h"
#include "table.h"

/* Refits an active-set fit may make: each measure can leave and come back
 * a few times at most; far more means the loop cycles. */
#define TUNE_MAX_STEPS(n_measures) (4 * (n_measures) + 8)

/* A dropped measure comes back when its log-likelihood gradient exceeds
 * this share of the rows: at a true optimum it is <= 0 up to rounding. */
#define TUNE_KKT_TOLERANCE 1e-7

static vt_status no_memory(vt_err *err)
{
    return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
}

/* ------------------------------------------------------------- reading */

void tune_data_free(tune_data *data)
{
    free(data->y);
    free(data->points);
    free(data->values);
    free(data->set);
    free(data->fired);
    free(data->health);
    free(data->level);
    free(data->path);
    memset(data, 0, sizeof *data);
}

/* Room for need rows in every array (they share one capacity). */
static int data_reserve(tune_data *data, size_t need)
{
    if (need <= data->cap)
        return 0;
    size_t width = data->n_columns ? data->n_columns : 1;
    void **columns[] = {(void **)&data->y,     (void **)&data->points, (void **)&data->set,
                        (void **)&data->fired, (void **)&data->health, (void **)&data->level,
                        (void **)&data->values};
    size_t sizes[] = {sizeof(double), width * sizeof(double), sizeof(size_t), sizeof(unsigned long long),
                      sizeof(double), 1, width * sizeof(double)};
    return vt_grow_columns(columns, sizes, sizeof sizes / sizeof sizes[0], &data->cap, need);
}

/* What every block is read with (read-only on the workers). */
typedef struct {
    const scorecard *card;
    const scorecard_binding *binding;
    long label;
    const char *path;
    tune_data *out;
} reading;

/* One row: its outcome (or skipped when missing) and the card's view of it. */
static vt_status read_row(const reading *r, const csv_row *row, tune_data *data, vt_err *err)
{
    double outcome = 0;
    long label = r->label;
    if (table_is_missing(row->fields[label], row->lengths[label], NULL, 0)) {
        data->skipped++;
        return VT_OK;
    }
    if (table_parse_label(row->fields[label], row->lengths[label], &outcome) != 0) {
        char shown[VT_QUOTE_SIZE];
        return vt_err_set(err, VT_EDATA, r->path, row->line, label + 1, "'%s' is not 0/1, yes/no, true/false or t/f",
                          vt_quote(shown, sizeof shown, row->fields[label], row->lengths[label]));
    }
    if (data_reserve(data, data->n + 1) != 0)
        return no_memory(err);
    size_t i = data->n;
    sc_result result = {0, BUCKET_RED, data->points + i * data->n_columns, 0};
    vt_status status = scorecard_row(r->card, r->binding, row, r->path, &result, err);
    if (status != VT_OK)
        return status;
    for (size_t c = 0; c < data->n_columns; c++) {
        long field = scorecard_binding_field(r->binding, c);
        double value = NAN;
        if (field >= 0 && !table_is_missing(row->fields[field], row->lengths[field], NULL, 0) &&
            num_parse(row->fields[field], row->lengths[field], &value) != NUM_OK)
            value = NAN;
        data->values[i * data->n_columns + c] = value;
    }
    data->y[i] = outcome;
    data->set[i] = scorecard_row_set(r->card, r->binding, row);
    data->fired[i] = result.fired;
    data->health[i] = result.health;
    data->level[i] = (unsigned char)result.level;
    data->n++;
    return VT_OK;
}

/* On a worker: a block's rows into its own tune_data (the result). */
static vt_status read_block(void *state, const row_block *block, buf *out, void *result, vt_err *err)
{
    const reading *r = state;
    tune_data *part = result;
    (void)out;
    part->n = 0;
    part->skipped = 0;
    part->n_columns = r->card->n_columns;
    for (;;) {
        const csv_row *row = NULL;
        vt_status status = csv_reader_next(block->rows, &row, err);
        if (status != VT_OK || row == NULL)
            return status;
        if ((status = read_row(r, row, part, err)) != VT_OK)
            return status;
    }
}

/* On the calling thread, in file order: the block's rows after the others. */
static vt_status append_block(void *user, void *result, const buf *text, vt_err *err)
{
    const reading *r = user;
    tune_data *data = r->out;
    const tune_data *part = result;
    (void)text;
    if (data_reserve(data, data->n + part->n) != 0)
        return no_memory(err);
    size_t n = data->n, k = part->n, width = data->n_columns;
    data->skipped += part->skipped;
    if (k == 0)
        return VT_OK;
    memcpy(data->y + n, part->y, k * sizeof(double));
    memcpy(data->points + n * width, part->points, k * width * sizeof(double));
    memcpy(data->values + n * width, part->values, k * width * sizeof(double));
    memcpy(data->set + n, part->set, k * sizeof(size_t));
    memcpy(data->fired + n, part->fired, k * sizeof(unsigned long long));
    memcpy(data->health + n, part->health, k * sizeof(double));
    memcpy(data->level + n, part->level, k);
    data->n += k;
    return VT_OK;
}

static void release_block(void *result)
{
    tune_data_free(result);
}

/* The label column and the card bound to the header. */
static vt_status bind_header(const scorecard *card, const row_stream *rows, const char *label, reading *r,
                             scorecard_binding **binding, vt_err *err)
{
    r->label = row_stream_find(rows, label);
    if (r->label < 0) {
        char shown[VT_QUOTE_SIZE];
        return vt_err_set(err, VT_EDATA, r->path, 1, 0, "no label column '%s' in the header",
                          vt_quote(shown, sizeof shown, label, strlen(label)));
    }
    vt_status status = scorecard_bind(card, r->path, (const char **)row_stream_header(rows), row_stream_n_columns(rows),
                                      binding, err);
    r->binding = *binding;
    return status;
}

vt_status tune_read(const scorecard *card, const row_stream_options *input, const char *label, tune_data *out,
                    vt_err *err)
{
    memset(out, 0, sizeof *out);
    out->n_columns = card->n_columns;
    row_stream_options options = *input;
    options.fingerprint = 1;
    row_stream *rows = NULL;
    scorecard_binding *binding = NULL;
    vt_status status = row_stream_open(&options, &rows, err);
    if (status != VT_OK)
        return status;
    reading r = {.card = card, .out = out};
    size_t n_threads = row_stream_threads(input->threads);
    void **states = vt_calloc(n_threads, sizeof(void *));
    if (states == NULL || (out->path = vt_strdup(row_stream_name(rows))) == NULL)
        status = no_memory(err);
    r.path = out->path;
    if (status == VT_OK)
        status = bind_header(card, rows, label, &r, &binding, err);
    for (size_t i = 0; status == VT_OK && i < n_threads; i++)
        states[i] = &r; /* a worker needs nothing of its own: the block's rows are its result */
    row_job job = {read_block, append_block, release_block, sizeof(tune_data), &r};
    if (status == VT_OK)
        status = row_stream_run(rows, states, n_threads, &job, NULL, err);
    out->bytes = row_stream_bytes(rows);
    out->hash = row_stream_hash(rows);
    free(states);
    scorecard_binding_free(binding);
    row_stream_free(rows);
    return status;
}

/* --------------------------------------------------------- the fitting */

/* One set's rows as a design: column 0 the intercept, column m + 1 measure
 * m's points lost / 100 (row-major, width 1 + n_measures). */
typedef struct {
    double *x, *y;
    size_t n, width;
    const size_t *active;     /* design columns fitted, [0] = 0 */
    size_t n_active;
} set_design;

/* Rows [first, first + count) of the active columns, in IRLS blocks. */
static vt_status scan_active(const void *context, size_t first, size_t count, irls_visit_fn visit,
                             void *visit_context, vt_err *err)
{
    const set_design *d = context;
    double *x = vt_malloc(IRLS_BLOCK_ROWS * d->n_active * sizeof *x);
    vt_status status = x ? VT_OK : no_memory(err);
    for (size_t start = first; status == VT_OK && start < first + count; start += IRLS_BLOCK_ROWS) {
        size_t rows = first + count - start < IRLS_BLOCK_ROWS ? first + count - start : IRLS_BLOCK_ROWS;
        for (size_t i = 0; i < rows; i++)
            for (size_t j = 0; j < d->n_active; j++)
                x[i * d->n_active + j] = d->x[(start + i) * d->width + d->active[j]];
        irls_block block = {rows, x, {d->y + start}, {NULL}};
        status = visit(visit_context, &block);
    }
    free(x);
    return status;
}

/* The set's rows among positions, with excluded points at the measure's mean. */
static vt_status build_design(const scorecard *card, size_t s, const tune_data *data, const size_t *positions,
                              size_t n_fit, set_design *d, vt_err *err)
{
    const sc_measure_set *set = &card->sets[s];
    d->width = 1 + set->n_measures;
    for (size_t i = 0; i < n_fit; i++)
        d->n += data->set[positions[i]] == s;
    d->x = vt_malloc((d->n ? d->n : 1) * d->width * sizeof(double));
    d->y = vt_malloc((d->n ? d->n : 1) * sizeof(double));
    double *sum = vt_calloc(d->width, sizeof(double)), *count = vt_calloc(d->width, sizeof(double));
    if (!d->x || !d->y || !sum || !count) {
        free(sum);
        free(count);
        return no_memory(err);
    }
    for (size_t i = 0, r = 0; i < n_fit; i++) {
        size_t row = positions[i];
        if (data->set[row] != s)
            continue;
        double *x = d->x + r * d->width;
        x[0] = 1;
        for (size_t m = 0; m < set->n_measures; m++) {
            x[m + 1] = (100 - data->points[row * data->n_columns + set->measures[m].column_index]) / 100;
            if (!isnan(x[m + 1])) {
                sum[m + 1] += x[m + 1];
                count[m + 1]++;
            }
        }
        d->y[r++] = data->y[row];
    }
    for (size_t r = 0; r < d->n; r++)
        for (size_t m = 1; m < d->width; m++)
            if (isnan(d->x[r * d->width + m]))
                d->x[r * d->width + m] = count[m] > 0 ? sum[m] / count[m] : 0;
    free(sum);
    free(count);
    return VT_OK;
}

/* Fit the design's active columns; *fit (OUT) the solver's result. */
static vt_status fit_active(const set_design *d, char *const *names, size_t threads, irls_result **fit, vt_err *err)
{
    irls_source source = {scan_active, d, d->n, d->n_active, 1, names, NULL, NULL};
    irls_design *prepared = NULL;
    irls_target target = {{0}, 0, "tuned scorecard"};
    irls_options_default(&target.options);
    irls_result *results[IRLS_MAX_TARGETS] = {0};
    vt_status status = irls_design_new(&source, threads, &prepared, err);
    if (status == VT_OK)
        status = irls_fit(prepared, &target, results, err);
    irls_design_free(prepared);
    *fit = results[0];
    return status;
}

/* The log-likelihood's gradient along design column j at coefficients
 * beta (per design column, 0 where inactive). */
static double gradient(const set_design *d, const double *beta, size_t j)
{
    double total = 0;
    for (size_t r = 0; r < d->n; r++) {
        const double *x = d->x + r * d->width;
        double eta = 0;
        for (size_t c = 0; c < d->width; c++)
            eta += beta[c] * x[c];
        double mu = eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta));
        total += (d->y[r] - mu) * x[j];
    }
    return total;
}

typedef struct {
    size_t *active;           /* design columns in the fit, [0] = 0 */
    unsigned char *in;        /* per design column */
    double *beta;             /* per design column, 0 where out */
    char **names;             /* per active position, borrowed */
} active_set;

/* One refit of the active columns into state->beta; returns the active
 * position of the most negative z (0: none negative), and marks aliased. */
static vt_status refit(set_design *d, const sc_measure_set *set, size_t threads, active_set *state, tune_set *out,
                       size_t *worst, vt_err *err)
{
    irls_result *fit = NULL;
    d->n_active = 0;
    for (size_t c = 0; c < d->width; c++)
        if (state->in[c]) {
            state->names[d->n_active] = c == 0 ? "(Intercept)" : set->measures[c - 1].column;
            state->active[d->n_active++] = c;
        }
    vt_status status = fit_active(d, state->names, threads, &fit, err);
    *worst = 0;
    if (status != VT_OK) {
        irls_result_free(fit);
        return status;
    }
    out->converged &= fit->converged;
    double most_negative = 0;
    memset(state->beta, 0, d->width * sizeof(double));
    for (size_t j = 0; j < d->n_active; j++) {
        size_t c = state->active[j];
        if (fit->aliased[j]) {
            state->in[c] = c == 0; /* never the intercept: an aliased measure leaves for good */
            out->measures[c - 1].aliased = c != 0;
            continue;
        }
        state->beta[c] = fit->estimate[j];
        if (c > 0 && fit->estimate[j] < 0 && fit->z_value[j] < most_negative) {
            most_negative = fit->z_value[j];
            *worst = c;
        }
    }
    irls_result_free(fit);
    return VT_OK;
}

/* The unconstrained fit's coefficient and z per measure. */
static vt_status free_fit(set_design *d, const sc_measure_set *set, size_t threads, active_set *state, tune_set *out,
                          vt_err *err)
{
    irls_result *fit = NULL;
    d->n_active = d->width;
    for (size_t c = 0; c < d->width; c++) {
        state->active[c] = c;
        state->names[c] = c == 0 ? "(Intercept)" : set->measures[c - 1].column;
    }
    vt_status status = fit_active(d, state->names, threads, &fit, err);
    for (size_t m = 0; status == VT_OK && m < set->n_measures; m++) {
        tune_measure *measure = &out->measures[m];
        measure->aliased = fit->aliased[m + 1];
        /* per 100 points lost: a positive coefficient works as the card says */
        measure->free_coefficient = fit->aliased[m + 1] ? NAN : fit->estimate[m + 1];
        measure->free_z = fit->aliased[m + 1] ? NAN : fit->z_value[m + 1];
        state->in[m + 1] = !fit->aliased[m + 1];
    }
    irls_result_free(fit);
    state->in[0] = 1;
    return status;
}

/* The active-set loop: drop negatives one at a time, add back a dropped
 * measure whose gradient says it belongs (KKT), until neither applies. */
static vt_status constrained_fit(set_design *d, const sc_measure_set *set, size_t threads, active_set *state,
                                 tune_set *out, vt_err *err)
{
    vt_status status = VT_OK;
    int done = 0;
    for (out->steps = 0; status == VT_OK && !done && out->steps < TUNE_MAX_STEPS((int)set->n_measures); out->steps++) {
        size_t worst = 0;
        if ((status = refit(d, set, threads, state, out, &worst, err)) != VT_OK)
            break;
        if (worst > 0) {
            state->in[worst] = 0;
            continue;
        }
        double best = TUNE_KKT_TOLERANCE * (double)d->n;
        size_t back = 0;
        for (size_t c = 1; c < d->width; c++) {
            if (state->in[c] || out->measures[c - 1].aliased)
                continue;
            /* the coefficient multiplies x = points lost; raising it from 0 helps when the gradient is positive */
            double g = gradient(d, state->beta, c);
            if (g > best) {
                best = g;
                back = c;
            }
        }
        if (back > 0)
            state->in[back] = 1;
        else
            done = 1;
    }
    out->converged &= done;
    return status;
}

/* Coefficients into weights summing to 100. */
static vt_status set_weights(const sc_measure_set *set, const char *level, const double *beta, tune_set *out,
                             vt_err *err)
{
    double total = 0;
    for (size_t m = 0; m < set->n_measures; m++)
        total += beta[m + 1];
    if (!(total > 0))
        return vt_err_set(err, VT_EDATA, NULL, 0, 0,
                          "%s%s%s: no measure lowers the risk on these rows, so no weights can be learned",
                          level ? "stage '" : "the measures", level ? level : "", level ? "'" : "");
    out->intercept = beta[0];
    for (size_t m = 0; m < set->n_measures; m++) {
        tune_measure *measure = &out->measures[m];
        measure->coefficient = beta[m + 1];
        measure->weight = 100 * beta[m + 1] / total;
        measure->zeroed = !measure->aliased && beta[m + 1] == 0;
    }
    return VT_OK;
}

static vt_status fit_set(const scorecard *card, size_t s, const tune_data *data, const size_t *positions, size_t n_fit,
                         size_t threads, tune_set *out, vt_err *err)
{
    const sc_measure_set *set = &card->sets[s];
    const char *level = set->level;
    set_design d = {0};
    active_set state = {0};
    out->converged = 1;
    out->n_measures = set->n_measures;
    vt_status status = build_design(card, s, data, positions, n_fit, &d, err);
    out->n_rows = d.n;
    for (size_t r = 0; status == VT_OK && r < d.n; r++)
        out->n_events += d.y[r] == 1.0;
    if (status == VT_OK && (out->n_events == 0 || out->n_events == d.n))
        status = vt_err_set(err, VT_EDATA, NULL, 0, 0,
                            "%s%s%s: the outcome has a single class (all %d) in the %zu fitting rows; "
                            "weights need both outcomes", level ? "stage '" : "the label", level ? level : "",
                            level ? "'" : "", out->n_events ? 1 : 0, d.n);
    if (status == VT_OK && ((state.active = vt_calloc(d.width, sizeof(size_t))) == NULL ||
                            (state.in = vt_calloc(d.width, 1)) == NULL ||
                            (state.beta = vt_calloc(d.width, sizeof(double))) == NULL ||
                            (state.names = vt_calloc(d.width, sizeof(char *))) == NULL))
        status = no_memory(err);
    d.active = state.active;
    if (status == VT_OK)
        status = free_fit(&d, set, threads, &state, out, err);
    if (status == VT_OK)
        status = constrained_fit(&d, set, threads, &state, out, err);
    if (status == VT_OK)
        status = set_weights(set, level, state.beta, out, err);
    free(state.active);
    free(state.in);
    free(state.beta);
    free(state.names);
    free(d.x);
    free(d.y);
    return status;
}

vt_status tune_fit(const scorecard *card, const tune_data *data, const size_t *positions, size_t n_fit,
                   size_t threads, tune_set *out, vt_err *err)
{
    size_t set = 0, measure = 0;
    memset(out, 0, card->n_sets * sizeof *out);
    if (!scorecard_set_columns_distinct(card, &set, &measure))
        return vt_err_set(err, VT_EDATA, NULL, 0, 0,
                          "column '%s' is scored twice in one measure set; tune learns one weight per column",
                          card->sets[set].measures[measure].column);
    for (size_t s = 0; s < card->n_sets; s++)
        if ((out[s].measures = vt_calloc(card->sets[s].n_measures, sizeof(tune_measure))) == NULL)
            return no_memory(err);
    vt_status status = VT_OK;
    for (size_t s = 0; status == VT_OK && s < card->n_sets; s++)
        status = fit_set(card, s, data, positions, n_fit, threads, &out[s], err);
    if (status != VT_OK)
        vt_err_locate(err, data->path);
    return status;
}

void tune_sets_free(tune_set *sets, size_t n_sets)
{
    for (size_t s = 0; sets && s < n_sets; s++) {
        free(sets[s].measures);
        sets[s].measures = NULL;
    }
}

void tune_apply(scorecard *card, const tune_set *sets)
{
    for (size_t s = 0; s < card->n_sets; s++)
        for (size_t m = 0; m < card->sets[s].n_measures; m++)
            card->sets[s].measures[m].weight = sets[s].measures[m].weight;
}
