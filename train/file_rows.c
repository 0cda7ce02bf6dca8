#include "file_rows.h"

#include <stdlib.h>
#include <string.h>

struct file_rows {
    const table_survey *survey;
    const encode_columns *columns;
    const outcomes *o;
    const encoding *enc;
    size_t *used_before;   /* per block: used rows in the blocks before it; [n_blocks] = all */
};

void file_rows_free(file_rows *rows)
{
    if (rows == NULL)
        return;
    free(rows->used_before);
    free(rows);
}

/* A pass's state, for table_survey_pass's visits in file order (the sums
 * must run in the order a table in memory gives them). */
typedef struct {
    file_rows *rows;
    int pass;
    encoding_fitter *fitter;
    table_levels *levels;
    outcomes *o;
} learning;

/* One block's part of a pass: the first pass chooses rows, tallies the
 * features, counts levels and classes; the second adds the spreads. */
static vt_status learn_block(void *user, size_t b, const table *block, vt_err *err)
{
    learning *l = user;
    unsigned char *row_used = vt_malloc(block->n_rows ? block->n_rows : 1);
    if (row_used == NULL)
        return vt_err_set(err, VT_ENOMEM, block->path, 0, 0, "out of memory");
    vt_status status = VT_OK;
    if (l->pass == 0) {
        if ((status = table_levels_add(l->levels, block, err)) == VT_OK &&
            (status = encoding_fitter_add(l->fitter, block, row_used, err)) == VT_OK)
            status = outcomes_add(l->o, block, row_used, err);
        l->rows->used_before[b + 1] = l->o->n_used;
    } else {
        encode_rows_used(l->rows->columns, block, row_used);
        encoding_fitter_add_spread(l->fitter, block, row_used);
    }
    free(row_used);
    return status;
}

/* Two passes over the file (see learn_block), each block read on threads. */
static vt_status learn(file_rows *rows, size_t threads, outcomes *o, encoding **enc, encode_report *report,
                       vt_err *err)
{
    const table_survey *survey = rows->survey;
    const table *layout = table_survey_layout(survey);
    learning l = {rows, 0, NULL, table_levels_new(survey), o};
    vt_status status = l.levels ? encoding_fitter_new(layout, rows->columns, &l.fitter, err)
                                : vt_err_set(err, VT_ENOMEM, layout->path, 0, 0, "out of memory");
    for (l.pass = 0; status == VT_OK && l.pass < 2; l.pass++)
        status = table_survey_pass(survey, threads, learn_block, &l, err);
    if (status == VT_OK && (status = encoding_fitter_finish(l.fitter, enc, report, err)) == VT_OK &&
        (status = outcomes_check(o, layout, err)) != VT_OK) {
        encoding_free(*enc);
        *enc = NULL;
    }
    encoding_fitter_free(l.fitter);
    table_levels_free(l.levels);
    return status;
}

vt_status file_rows_open(const table_survey *survey, const encode_columns *columns, outcomes *o, size_t threads,
                         file_rows **out, encoding **enc, encode_report *report, vt_err *err)
{
    *out = NULL;
    *enc = NULL;
    memset(report, 0, sizeof *report);
    file_rows *rows = vt_calloc(1, sizeof *rows);
    if (rows == NULL || (rows->used_before = vt_calloc(table_survey_blocks(survey) + 1, sizeof(size_t))) == NULL) {
        free(rows);
        return vt_err_set(err, VT_ENOMEM, table_survey_layout(survey)->path, 0, 0, "out of memory");
    }
    rows->survey = survey;
    rows->columns = columns;
    rows->o = o;
    vt_status status = learn(rows, threads, o, enc, report, err);
    rows->enc = *enc;
    if (status != VT_OK) {
        file_rows_free(rows);
        return status;
    }
    *out = rows;
    return VT_OK;
}

/* ---- The row source ---- */

/* One solver block being gathered from the file's blocks. */
typedef struct {
    size_t count;
    double *x, *y[IRLS_MAX_TARGETS], *prior[IRLS_MAX_TARGETS];
} gathered;

static vt_status hand_out(gathered *out, size_t n_targets, irls_visit_fn visit, void *visit_context)
{
    irls_block block = {out->count, out->x, {0}, {0}};
    for (size_t k = 0; k < n_targets; k++) {
        block.y[k] = out->y[k];
        block.prior[k] = out->prior[k];
    }
    out->count = 0;
    return visit(visit_context, &block);
}

/* The used rows [at, at + count) of file block b (at counted within it),
 * appended to out and handed out whenever it holds a solver block. */
static vt_status scan_block(const file_rows *rows, size_t b, size_t at, size_t count, gathered *out,
                            irls_visit_fn visit, void *visit_context, vt_err *err)
{
    const encoding *enc = rows->enc;
    table *block = NULL;
    unsigned char *row_used = NULL;
    design_source *design = NULL;
    vt_status status = table_survey_read(rows->survey, b, &block, err);
    if (status == VT_OK && (row_used = vt_malloc(block->n_rows ? block->n_rows : 1)) == NULL)
        status = vt_err_set(err, VT_ENOMEM, block->path, 0, 0, "out of memory");
    if (status == VT_OK) {
        encode_rows_used(rows->columns, block, row_used);
        status = design_source_new(enc, block, row_used, &design, err);
    }
    while (status == VT_OK && count > 0) {
        size_t take = IRLS_BLOCK_ROWS - out->count < count ? IRLS_BLOCK_ROWS - out->count : count;
        design_source_fill(design, at, take, out->x + out->count * enc->n_terms);
        for (size_t k = 0; k < rows->o->n_targets; k++)
            outcomes_fill(rows->o, block, row_used, k, at, take, out->y[k] + out->count,
                          out->prior[k] ? out->prior[k] + out->count : NULL);
        out->count += take;
        at += take;
        count -= take;
        if (out->count == IRLS_BLOCK_ROWS)
            status = hand_out(out, rows->o->n_targets, visit, visit_context);
    }
    design_source_free(design);
    free(row_used);
    table_free(block);
    return status;
}

static vt_status scan_file(const void *context, size_t first, size_t count, irls_visit_fn visit,
                           void *visit_context, vt_err *err)
{
    const file_rows *rows = context;
    size_t n_blocks = table_survey_blocks(rows->survey), n_targets = rows->o->n_targets;
    int weighted = outcomes_weighted(rows->o);
    gathered out = {0, vt_malloc(IRLS_BLOCK_ROWS * rows->enc->n_terms * sizeof(double)), {0}, {0}};
    int ok = out.x != NULL;
    for (size_t k = 0; k < n_targets; k++) {
        ok &= (out.y[k] = vt_malloc(IRLS_BLOCK_ROWS * sizeof(double))) != NULL;
        ok &= !weighted || (out.prior[k] = vt_malloc(IRLS_BLOCK_ROWS * sizeof(double))) != NULL;
    }
    vt_status status = ok ? VT_OK : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    /* The first block holding used row `first`: the last one starting at or before it. */
    size_t low = 0, high = n_blocks;
    while (high - low > 1) {
        size_t mid = low + (high - low) / 2;
        if (rows->used_before[mid] <= first)
            low = mid;
        else
            high = mid;
    }
    size_t end = first + count;
    for (size_t b = low; status == VT_OK && b < n_blocks && first < end; b++) {
        size_t block_end = rows->used_before[b + 1];
        if (block_end <= first)
            continue;
        size_t take = (block_end < end ? block_end : end) - first;
        status = scan_block(rows, b, first - rows->used_before[b], take, &out, visit, visit_context, err);
        first += take;
    }
    if (status == VT_OK && out.count > 0)
        status = hand_out(&out, n_targets, visit, visit_context);
    free(out.x);
    for (size_t k = 0; k < n_targets; k++) {
        free(out.y[k]);
        free(out.prior[k]);
    }
    return status;
}

irls_source file_rows_source(const file_rows *rows)
{
    return (irls_source){scan_file, rows, rows->used_before[table_survey_blocks(rows->survey)], rows->enc->n_terms,
                         rows->o->n_targets, rows->enc->term_names, NULL, NULL};
}
