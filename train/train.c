#include "train.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/stat.h>
#include <unistd.h>

#include "bands.h"
#include "buf.h"
#include "file_rows.h"
#include "fit.h"
#include "json.h"
#include "outcomes.h"
#include "outfile.h"
#include "score.h"
#include "segments.h"
#include "source.h"
#include "table.h"

/* What a run builds, freed in one place whatever failed. */
typedef struct {
    table_role *roles;
    table_options options;
    size_t *features, labels[MODEL_MAX_TARGETS + 1];
    encode_columns columns;
    table *data;                            /* the table in memory, or NULL when streamed: */
    table_survey *survey;                   /* the file surveyed, read again on each pass */
    file_rows *file;
    irls_source stream;
    const table *layout;                    /* data, or the survey's columns */
    outcomes o;
    encoding *enc;                          /* owned here until the model takes it */
    unsigned char *row_used;                /* per table row */
    design_source *rows;
    double *y[MODEL_MAX_TARGETS];           /* each target's outcome on the used rows */
    double *prior[MODEL_MAX_TARGETS];       /* each target's row weights, or NULL */
    gam_smooth *smooths;                    /* the smooth terms, pointing into enc */
    encoding *linear_enc;                   /* with smooth terms and validation: the linear encoding, */
    unsigned char *linear_used;             /* its rows (the same) */
    design_source *linear_rows;             /* and design, to validate the linear fit beside */
    size_t n_smooths;
    fit_problem problem;
    fit_result saved;                       /* the saved model's fit */
    double red_below, yellow_below;         /* the bands the model gets, */
    model_bands_source bands_source;        /* and how they were set */
    int *group;                             /* the validation split of the used rows, or NULL */
    double *out_of_fold[MODEL_MAX_TARGETS]; /* --folds: each row's prediction by a model that did not see it */
    model *m;
} train_work;

static vt_status build_roles(const train_spec *spec, table_role **roles_out, size_t *n_roles, vt_err *err);
/* Each group of nearly collinear terms of the saved fits, in words: their
 * coefficients trade off against each other, so neither their signs nor
 * their split of the effect (which --explain and compare read) mean
 * anything; one column of the group, or a ridge, settles it. */
#define TRAIN_COLLINEAR_NAMED 3

static vt_status name_collinear(train_work *work, train_notes *notes, vt_err *err)
{
    const encoding *enc = work->m->enc;
    text lines = {0};
    for (size_t k = 0; k < work->m->n_targets; k++) {
        const irls_result *fit = work->saved.fits[k];
        size_t n_groups = fit ? fit->n_collinear : 0;
        if (n_groups > TRAIN_COLLINEAR_NAMED) /* a wide file's groups would bury the other notes */
            text_printf(&lines, "%s model: %zu groups of nearly collinear terms; the first %d:\n",
                        work->m->targets[k].name, n_groups, TRAIN_COLLINEAR_NAMED);
        for (size_t g = 0; g < n_groups && g < TRAIN_COLLINEAR_NAMED; g++) {
            const collinear_group *group = &fit->collinear[g];
            char shown[VT_QUOTE_SIZE];
            text_printf(&lines, "%s model: ", work->m->targets[k].name);
            for (size_t i = 0; i < group->n_terms; i++) {
                const char *name = enc->term_names[group->terms[i]];
                text_printf(&lines, "%s'%s'", i == 0 ? "" : i + 1 == group->n_terms ? " and " : ", ",
                            vt_quote(shown, sizeof shown, name, strlen(name)));
            }
            long last = enc->term_feature[group->terms[group->n_terms - 1]];
            const char *drop = last >= 0 ? enc->features[last].name : enc->term_names[group->terms[group->n_terms - 1]];
            text_printf(&lines, " are nearly collinear (condition index %.3g > %g): how their effect splits between "
                                "them is not identified, so their signs and each one's share as a driver mean "
                                "nothing; leave one out (--drop %s) or add --l2\n",
                        group->condition_index, COLLINEAR_CONDITION, vt_quote(shown, sizeof shown, drop, strlen(drop)));
        }
    }
    if (lines.len == 0)
        return VT_OK;
    if ((notes->collinear = text_finish(&lines)) == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    return VT_OK;
}

static vt_status read_and_encode(const train_spec *spec, train_work *work, train_notes *notes, vt_err *err);
static vt_status outcome_vectors(train_work *work, vt_err *err);
static vt_status split_rows(const train_spec *spec, train_work *work, vt_err *err);
static vt_status fit_and_validate(const train_spec *spec, train_work *work, train_notes *notes, vt_err *err);
static vt_status validate_linear(const train_spec *spec, train_work *work, const char *method, train_notes *notes,
                                 vt_err *err);
static vt_status bands_by_share(const train_spec *spec, train_work *work, const segments_bands *by_level,
                                train_notes *notes, vt_err *err);
static vt_status search_pairs(const train_spec *spec, train_work *work, train_notes *notes, vt_err *err);
static char *utc_now(void);
static vt_status fill_model(const train_spec *spec, train_work *work, const encode_report *report, vt_err *err);
static vt_status record_targets(const train_spec *spec, train_work *work, const train_notes *notes, vt_err *err);
static vt_status write_fitted(const train_spec *spec, train_work *work, vt_err *err);
static void train_work_free(train_work *work);

size_t train_targets(const train_spec *spec, const char **labels, const char **names)
{
    size_t n = 0;
    labels[0] = labels[1] = names[0] = names[1] = NULL;
    if (spec->churn) {
        labels[n] = spec->churn;
        names[n++] = "churn";
    }
    if (spec->expansion) {
        labels[n] = spec->expansion;
        names[n++] = "expansion";
    }
    return n;
}

void train_spec_default(train_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->delimiter = ',';
    spec->missing = MISSING_IMPUTE;
    spec->red_below = 40;
    spec->yellow_below = 70;
    spec->red_share = TRAIN_RED_SHARE;
    spec->yellow_share = TRAIN_YELLOW_SHARE;
    spec->confidence = 0.95;
    spec->validation.seed = 20261123; /* fixed, so runs repeat */
    irls_options_default(&spec->irls);
}

vt_status train_spec_check(train_spec *spec, int max_iter_given, vt_err *err)
{
    validation_options *v = &spec->validation;
    if (spec->churn == NULL && spec->expansion == NULL)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "no target: give --churn COL, --expansion COL, or both");
    if (spec->churn && spec->expansion && strcmp(spec->expansion, spec->churn) == 0)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--churn and --expansion name the same column");
    char quoted[VT_QUOTE_SIZE];
    if (spec->id && model_output_name(spec->id))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "--id: '%s' is the name of a column vitals writes beside the id (churn_risk, expansion, "
                          "health, bucket, vitals_note, line): rename the column in the data",
                          vt_quote(quoted, sizeof quoted, spec->id, strlen(spec->id)));
    if (spec->irls.firth && (spec->irls.l2 > 0 || spec->l2_cv))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--firth and --l2 are two remedies: choose one");
    /* Firth's modified-score iterations converge linearly far from the
     * optimum: more of them by default. */
    if (!max_iter_given && spec->irls.firth)
        spec->irls.max_iter = 200;
    int methods = (v->holdout > 0) + (v->folds > 0) + (v->time_column != NULL || v->after != NULL);
    if (methods > 1)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "choose one of --holdout, --folds and --time-col/--holdout-after");
    if ((v->time_column == NULL) != (v->after == NULL))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--time-col and --holdout-after go together");
    if (v->after && !validation_is_date(v->after))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--holdout-after: '%s' is not an ISO date (YYYY-MM-DD)",
                          v->after);
    v->kind = v->holdout > 0 ? VALIDATE_HOLDOUT : v->folds > 0 ? VALIDATE_FOLDS
            : v->time_column ? VALIDATE_TIME : VALIDATE_NONE;
    if ((spec->red_share > 0) != (spec->yellow_share > 0))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--red-share and --yellow-share go together");
    if (spec->red_share + spec->yellow_share >= 1)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--red-share and --yellow-share must sum below 1");
    smooth_requests_free(&spec->smooths);
    vt_status parsed = smooth_requests_parse(spec->smooth, spec->sp, &spec->smooths, err);
    if (parsed != VT_OK)
        return parsed;
    interaction_requests_free(&spec->interactions);
    if ((parsed = interaction_requests_parse(spec->interact, &spec->interactions, err)) != VT_OK)
        return parsed;
    if (spec->smooth && (spec->irls.firth || spec->irls.l2 > 0 || spec->l2_cv))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--smooth cannot be combined with %s yet (smooth terms are "
                          "penalised by REML already)", spec->irls.firth ? "--firth" : "--l2");
    return VT_OK;
}

/* Column roles from the options; a column named by two of them is an error. */
static vt_status build_roles(const train_spec *spec, table_role **roles_out, size_t *n_roles, vt_err *err)
{
    size_t cap = 6 + spec->n_drop + spec->n_categorical + spec->n_numeric;
    table_role *roles = vt_calloc(cap, sizeof *roles);
    if (roles == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    size_t n = 0;
    if (spec->churn)
        roles[n++] = (table_role){spec->churn, ROLE_LABEL, "--churn"};
    if (spec->expansion)
        roles[n++] = (table_role){spec->expansion, ROLE_LABEL, "--expansion"};
    if (spec->id)
        roles[n++] = (table_role){spec->id, spec->fitted ? ROLE_TEXT : ROLE_SKIP, "--id"};
    if (spec->validation.time_column)
        roles[n++] = (table_role){spec->validation.time_column, ROLE_TEXT, "--time-col"};
    if (spec->weight)
        roles[n++] = (table_role){spec->weight, ROLE_NUMERIC, "--weight"};
    if (spec->by)
        roles[n++] = (table_role){spec->by, ROLE_CATEGORICAL, "--by"};
    for (size_t i = 0; i < spec->n_drop; i++)
        roles[n++] = (table_role){spec->drop[i], ROLE_SKIP, "--drop"};
    for (size_t i = 0; i < spec->n_categorical; i++)
        roles[n++] = (table_role){spec->categorical[i], ROLE_CATEGORICAL, "--categorical"};
    for (size_t i = 0; i < spec->n_numeric; i++)
        roles[n++] = (table_role){spec->numeric[i], ROLE_NUMERIC, "--numeric"};
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(roles[i].name, roles[j].name) == 0) {
                vt_status status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "column '%s' is given to both %s and %s",
                                              roles[i].name, roles[j].option, roles[i].option);
                free(roles);
                return status;
            }
    *roles_out = roles;
    *n_roles = n;
    return VT_OK;
}

/* Features, labels (the weight counts as one: needed on every row used)
 * and the outcomes' columns, from the columns' types. */
static vt_status choose_columns(const train_spec *spec, train_work *work, vt_err *err)
{
    const table *layout = work->layout;
    size_t n_features = 0, n_labels = 0;
    if ((work->features = vt_calloc(layout->n_columns ? layout->n_columns : 1, sizeof(size_t))) == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    const char *labels[MODEL_MAX_TARGETS], *names[MODEL_MAX_TARGETS];
    train_targets(spec, labels, names);
    work->o = (outcomes){.weight = -1, .balance = spec->balance};
    for (size_t c = 0; c < layout->n_columns; c++) {
        const table_column *column = &layout->columns[c];
        int is_weight = spec->weight && strcmp(column->name, spec->weight) == 0;
        if (column->type == TYPE_LABEL || is_weight)
            work->labels[n_labels++] = c;
        else if (column->type != TYPE_TEXT)
            work->features[n_features++] = c;
        if (is_weight)
            work->o.weight = (long)c;
    }
    for (size_t k = 0; k < MODEL_MAX_TARGETS && labels[k]; k++) {
        work->o.label[k] = (size_t)dict_find(layout->names, labels[k], strlen(labels[k]));
        work->o.n_targets = k + 1;
    }
    work->columns = (encode_columns){work->features, work->labels, n_features, n_labels, spec->missing};
    return VT_OK;
}

/* Half the machine's memory: the default --memory-limit. */
static uint64_t default_memory_limit(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page / 2 : UINT64_C(1) << 31;
}

/* Bytes per file byte a table in memory takes at most (a one-column file
 * of "1" lines: 2 bytes become a double and a line number), with the
 * fit's per-row arrays. */
#define TRAIN_MEMORY_PER_FILE_BYTE 12

/* Bytes training in memory takes per used row beyond the table: the row
 * map, the used flag, and each target's outcome and weight. */
static uint64_t per_row_beyond_table(const train_spec *spec)
{
    return sizeof(size_t) + 1 + (spec->expansion ? 2 : 1) * 2 * sizeof(double);
}

/* Whether the table would exceed the memory limit: decided from the file's
 * size when that is enough, else from the survey (kept, for streaming). */
/* A size as a reader takes it in: MiB, or KiB or bytes below one MiB
 * (a limit of 1K printed as "0 MiB" read as no memory at all). */
static const char *size_text(double bytes, char *text, size_t size)
{
    if (bytes >= 1048576)
        snprintf(text, size, "%.0f MiB", bytes / 1048576);
    else if (bytes >= 1024)
        snprintf(text, size, "%.0f KiB", bytes / 1024);
    else
        snprintf(text, size, "%.0f bytes", bytes);
    return text;
}

static vt_status over_memory_limit(const train_spec *spec, train_work *work, train_notes *notes, vt_err *err)
{
    int *over = &notes->streamed;
    uint64_t limit = spec->memory_limit ? spec->memory_limit : default_memory_limit();
    char need_text[32], limit_text[32];
    struct stat st;
    *over = 0;
    if (spec->query || strcmp(spec->data_path, "-") == 0 || stat(spec->data_path, &st) != 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size <= limit / TRAIN_MEMORY_PER_FILE_BYTE)
        return VT_OK; /* a query, standard input and pipes are read whole; a missing file fails in the reader */
    vt_status status = table_survey_new(spec->data_path, &work->options, (size_t)spec->threads, spec->block_bytes,
                                        &work->survey, err);
    if (status != VT_OK)
        return status;
    const table *layout = table_survey_layout(work->survey);
    uint64_t need = table_survey_memory(work->survey) + layout->n_rows * per_row_beyond_table(spec);
    *over = need > limit;
    notes->table_bytes = need;
    if (!*over) {
        table_survey_free(work->survey);
        work->survey = NULL;
        return VT_OK;
    }
    const char *needs_table = spec->validation.kind == VALIDATE_HOLDOUT ? "--holdout"
                            : spec->validation.kind == VALIDATE_FOLDS ? "--folds"
                            : spec->validation.kind == VALIDATE_TIME ? "--time-col"
                            : spec->l2_cv ? "--l2 cv" : spec->by ? "--by" : spec->fitted ? "--fitted" : NULL;
    if (needs_table)
        return vt_err_set(err, VT_EUSAGE, layout->path, 0, 0,
                          "the table would take %s, over --memory-limit %s: %s needs it in memory "
                          "(a file read again on each pass allows plain fits only); raise --memory-limit",
                          size_text((double)need, need_text, sizeof need_text),
                          size_text((double)limit, limit_text, sizeof limit_text), needs_table);
    return VT_OK;
}

/* The table (or the surveyed file), its encoding, the used rows and their
 * design, and each target's outcomes. */
/* The design without smooth terms (encoding_fit again, before the smooth
 * terms replace its columns), so validation can show what the curves bought. */
static vt_status linear_design(train_work *work, vt_err *err)
{
    encode_report report;
    vt_status status = encoding_fit(work->data, &work->columns, &work->linear_enc, &work->linear_used, &report, err);
    if (status == VT_OK)
        status = design_source_new(work->linear_enc, work->data, work->linear_used, &work->linear_rows, err);
    return status;
}

/* Numeric features whose cells count the rows in file order (v, v + 1,
 * v + 2, ...): a row number exported with the data fits the file's order,
 * not the accounts, and says nothing of new rows.  Named, not dropped. */
static vt_status find_row_counters(train_work *work, train_notes *notes, vt_err *err)
{
    const table *data = work->data;
    text names = {0};
    for (size_t f = 0; f < work->columns.n_features; f++) {
        const table_column *column = &data->columns[work->columns.features[f]];
        if (column->type != TYPE_NUMERIC || column->n_missing > 0 || data->n_rows < 3)
            continue;
        size_t r = 1;
        while (r < data->n_rows && column->values[r] == column->values[0] + (double)r)
            r++;
        if (r < data->n_rows)
            continue;
        char shown[VT_QUOTE_SIZE];
        text_printf(&names, "%s'%s'", names.len ? ", " : "",
                    vt_quote(shown, sizeof shown, column->name, strlen(column->name)));
    }
    if (names.len == 0)
        return VT_OK;
    if ((notes->row_counters = text_finish(&names)) == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    return VT_OK;
}

static vt_status read_and_encode(const train_spec *spec, train_work *work, train_notes *notes, vt_err *err)
{
    encode_report *report = &notes->rows;
    size_t n_roles = 0;
    vt_status status = build_roles(spec, &work->roles, &n_roles, err);
    if (status != VT_OK)
        return status;
    work->options = (table_options){spec->delimiter, (const char *const *)spec->na, spec->n_na, work->roles, n_roles,
                                    spec->max_levels, spec->query};
    if ((status = over_memory_limit(spec, work, notes, err)) != VT_OK)
        return status;
    if (notes->streamed && spec->interactions.n_auto)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--interact auto needs the table in memory (it would take %.0f "
                          "MiB, over --memory-limit): raise the limit", (double)notes->table_bytes / 1048576);
    if (notes->streamed && spec->smooth)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--smooth needs the table in memory (it would take %.0f MiB, "
                          "over --memory-limit): raise the limit", (double)notes->table_bytes / 1048576);
    if (notes->streamed) {
        work->layout = table_survey_layout(work->survey);
        if ((status = choose_columns(spec, work, err)) != VT_OK ||
            (status = file_rows_open(work->survey, &work->columns, &work->o, (size_t)spec->threads, &work->file,
                                          &work->enc, report, err)) != VT_OK ||
            (status = interactions_apply(&spec->interactions, work->roles, n_roles, work->layout, NULL, work->enc, err)) !=
                VT_OK)
            return status;
        work->stream = file_rows_source(work->file);
        return VT_OK;
    }
    status = table_read_threads(spec->data_path, &work->options, (size_t)spec->threads, spec->block_bytes,
                                &work->data, err);
    if (status != VT_OK)
        return status;
    work->layout = work->data;
    if ((status = choose_columns(spec, work, err)) != VT_OK ||
        (status = encoding_fit(work->data, &work->columns, &work->enc, &work->row_used, report, err)) != VT_OK ||
        (spec->smooth && spec->validation.kind != VALIDATE_NONE &&
         (status = linear_design(work, err)) != VT_OK) ||
        (spec->smooth &&
         (status = smooth_terms_apply(&spec->smooths, work->roles, work->options.n_roles, work->enc, work->data,
                                      work->row_used, &notes->smooth_linear, err)) != VT_OK) ||
        (status = interactions_apply(&spec->interactions, work->roles, n_roles, work->data, work->row_used, work->enc,
                                     err)) != VT_OK ||
        (spec->smooth &&
         (status = smooth_terms_penalties(&spec->smooths, work->enc, &work->smooths, &work->n_smooths, err)) != VT_OK) ||
        (status = design_source_new(work->enc, work->data, work->row_used, &work->rows, err)) != VT_OK)
        return status;
    if ((status = outcomes_add(&work->o, work->data, work->row_used, err)) == VT_OK &&
        (status = outcomes_check(&work->o, work->data, err)) == VT_OK)
        status = outcome_vectors(work, err);
    if (status == VT_OK)
        status = find_row_counters(work, notes, err);
    return status;
}

/* Each target's outcome and weights on the used rows of the table. */
static vt_status outcome_vectors(train_work *work, vt_err *err)
{
    size_t n_used = work->o.n_used;
    for (size_t k = 0; k < work->o.n_targets; k++) {
        work->y[k] = vt_malloc((n_used ? n_used : 1) * sizeof(double));
        if (outcomes_weighted(&work->o))
            work->prior[k] = vt_malloc((n_used ? n_used : 1) * sizeof(double));
        if (work->y[k] == NULL || (outcomes_weighted(&work->o) && work->prior[k] == NULL))
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        outcomes_fill(&work->o, work->data, work->row_used, k, 0, n_used, work->y[k], work->prior[k]);
    }
    return VT_OK;
}

/* The validation split of the used rows: held out (1) or kept (0), or the fold. */
static vt_status split_rows(const train_spec *spec, train_work *work, vt_err *err)
{
    if (work->group)
        return VT_OK; /* split already (--interact auto) */
    const validation_options *options = &spec->validation;
    size_t n = work->problem.n_used;
    work->group = vt_calloc(n ? n : 1, sizeof(int));
    const char **dates = vt_calloc(n ? n : 1, sizeof(char *));
    long *lines = vt_calloc(n ? n : 1, sizeof(long));
    vt_status status = VT_OK;
    if (!work->group || !dates || !lines)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    table_column *time = options->time_column ? table_find(work->data, options->time_column) : NULL;
    for (size_t r = 0, i = 0; status == VT_OK && r < work->data->n_rows; r++)
        if (work->row_used[r]) {
            dates[i] = time ? time->text[r] : "";
            lines[i++] = work->data->lines[r];
        }
    if (status == VT_OK)
        status = validation_split(options, work->y[0], dates, lines, time ? time->csv_index : 0, work->data->path, n,
                                  work->group, err);
    free(dates);
    free(lines);
    return status;
}

/* The ridge strengths, then the saved model's fit (see train.h for which)
 * and the validation, if asked. */
/* --l2 cv: each target's strength from the n_rows rows (NULL: every used
 * row), into the problem; the curve is noted for the report and the model. */
static vt_status choose_l2(const train_spec *spec, train_work *work, const size_t *rows, size_t n_rows,
                          train_notes *notes, vt_err *err)
{
    const validation_options *options = &spec->validation;
    size_t folds = options->folds ? options->folds : 5;
    vt_status status = ridge_cv_choose(&work->problem, rows, n_rows, folds, options->seed, notes->l2, err);
    if (status != VT_OK)
        return status;
    notes->l2_chosen = 1;
    for (size_t k = 0; k < work->problem.n_targets; k++)
        work->problem.l2[k] = notes->l2[k].lambda[notes->l2[k].best];
    return VT_OK;
}

static vt_status fit_and_validate(const train_spec *spec, train_work *work, train_notes *notes, vt_err *err)
{
    const validation_options *options = &spec->validation;
    fit_problem *problem = &work->problem;
    vt_status status = VT_OK;
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
        problem->l2[k] = spec->irls.l2;
    size_t l2_folds = options->folds ? options->folds : 5;
    if (options->kind == VALIDATE_NONE) {
        if (spec->l2_cv && (status = choose_l2(spec, work, NULL, 0, notes, err)) != VT_OK)
            return status;
        return fit_rows(problem, NULL, problem->n_used, NULL, &work->saved, err);
    }
    if ((status = split_rows(spec, work, err)) != VT_OK)
        return status;
    char method[160];
    validation_describe(options, method, sizeof method);
    notes->validated = 1;
    size_t n = problem->n_used;
    size_t *fit_at = spec->l2_cv ? vt_malloc((n ? n : 1) * sizeof *fit_at) : NULL;
    if (spec->l2_cv && fit_at == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (options->kind != VALIDATE_FOLDS) {
        /* --l2 cv chooses from the kept rows only: the held-out rows judge
         * the whole procedure, the choice included. */
        if (spec->l2_cv)
            status = choose_l2(spec, work, fit_at, crossfit_rows(work->group, n, 1, 1, fit_at), notes, err);
        if (status == VT_OK)
            status = crossfit_holdout(problem, work->group, method, spec->red_below, spec->yellow_below, &work->saved,
                                      notes->validation, err);
    } else {
        for (size_t k = 0; k < problem->n_targets; k++)
            if ((work->out_of_fold[k] = vt_malloc((n ? n : 1) * sizeof(double))) == NULL)
                status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        /* Nested: each fold's strength from its own fit rows (inner folds);
         * the saved model's from every row. */
        double *l2_by_fold = spec->l2_cv ? vt_calloc(options->folds * MODEL_MAX_TARGETS, sizeof(double)) : NULL;
        if (status == VT_OK && spec->l2_cv && l2_by_fold == NULL)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t fold = 0; status == VT_OK && spec->l2_cv && fold < options->folds; fold++) {
            ridge_cv_curve inner[MODEL_MAX_TARGETS];
            size_t n_fit = crossfit_rows(work->group, n, (int)fold, 1, fit_at);
            status = ridge_cv_choose(problem, fit_at, n_fit, l2_folds, options->seed, inner, err);
            for (size_t k = 0; status == VT_OK && k < problem->n_targets; k++)
                l2_by_fold[fold * MODEL_MAX_TARGETS + k] = inner[k].lambda[inner[k].best];
        }
        if (status == VT_OK)
            status = crossfit_folds_l2(problem, work->group, options->folds, l2_by_fold, method, spec->red_below,
                                       spec->yellow_below, work->out_of_fold, notes->validation, err);
        free(l2_by_fold);
        if (status == VT_OK && spec->l2_cv)
            status = choose_l2(spec, work, NULL, 0, notes, err);
        if (status == VT_OK)
            status = fit_rows(problem, NULL, n, NULL, &work->saved, err);
    }
    free(fit_at);
    if (status == VT_OK && work->linear_rows)
        status = validate_linear(spec, work, method, notes, err);
    return status;
}

/* --interact auto: the pairs that pay are added to the encoding, and the
 * design and penalties the fit uses rebuilt over its terms. */
static vt_status search_pairs(const train_spec *spec, train_work *work, train_notes *notes, vt_err *err)
{
    vt_status status = spec->validation.kind != VALIDATE_NONE ? split_rows(spec, work, err) : VT_OK;
    if (status != VT_OK)
        return status;
    pair_search_input input = {work->problem, work->data, work->row_used, &spec->smooths, spec->validation.kind,
                               work->group, spec->validation.folds, spec->red_below, spec->yellow_below};
    notes->pairs_searched = 1;
    if ((status = interactions_search(&input, spec->interactions.n_auto, work->enc, &notes->pairs, err)) != VT_OK)
        return status;
    design_source_free(work->rows);
    work->rows = NULL;
    free(work->smooths);
    work->smooths = NULL;
    work->n_smooths = 0;
    if ((status = design_source_new(work->enc, work->data, work->row_used, &work->rows, err)) == VT_OK && spec->smooth)
        status = smooth_terms_penalties(&spec->smooths, work->enc, &work->smooths, &work->n_smooths, err);
    work->problem.rows = work->rows;
    work->problem.term_names = work->enc->term_names;
    work->problem.n_terms = work->enc->n_terms;
    work->problem.smooths = work->smooths;
    work->problem.n_smooths = work->n_smooths;
    notes->n_smooths = work->n_smooths;
    return status;
}

/* The linear fit validated on the same split, beside the smooth one. */
static vt_status validate_linear(const train_spec *spec, train_work *work, const char *method, train_notes *notes,
                                 vt_err *err)
{
    fit_problem linear = work->problem;
    linear.rows = work->linear_rows;
    linear.term_names = work->linear_enc->term_names;
    linear.n_terms = work->linear_enc->n_terms;
    linear.smooths = NULL;
    linear.n_smooths = 0;
    vt_status status;
    if (spec->validation.kind != VALIDATE_FOLDS) {
        fit_result fitted = {0};
        status = crossfit_holdout(&linear, work->group, method, spec->red_below, spec->yellow_below, &fitted,
                                  notes->linear, err);
        fit_result_free(&fitted);
    } else {
        double *out_of_fold[MODEL_MAX_TARGETS] = {0};
        status = VT_OK;
        for (size_t k = 0; status == VT_OK && k < linear.n_targets; k++)
            if ((out_of_fold[k] = vt_malloc((linear.n_used ? linear.n_used : 1) * sizeof(double))) == NULL)
                status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        if (status == VT_OK)
            status = crossfit_folds(&linear, work->group, spec->validation.folds, method, spec->red_below,
                                    spec->yellow_below, out_of_fold, notes->linear, err);
        for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
            free(out_of_fold[k]);
    }
    if (status != VT_OK) {
        char detail[sizeof err->msg];
        snprintf(detail, sizeof detail, "%s", err->msg);
        return vt_err_set(err, status, NULL, 0, 0, "validating the linear fit beside the smooth one: %s", detail);
    }
    notes->linear_compared = 1;
    return VT_OK;
}

/* A pass over a streamed file's rows: each one's churn health, in order. */
typedef struct {
    double *beta;
    size_t n_terms, at;
    double *health;
} health_pass;

static vt_status health_visit(void *context, const irls_block *block)
{
    health_pass *pass = context;
    for (size_t i = 0; i < block->count; i++)
        pass->health[pass->at++] = score_probability(score_eta(pass->beta, block->x + i * pass->n_terms, pass->n_terms));
    return VT_OK;
}

/* The churn health (score_health of the saved fit's probability) of the
 * used rows at positions (all if NULL), into health (n values).  A
 * streamed file is read once more (no positions then: it has no split). */
static vt_status churn_health(const train_work *work, const size_t *positions, size_t n, double *health, vt_err *err)
{
    vt_status status;
    if (work->rows) {
        status = fit_predict(&work->problem, work->saved.fits[0], positions, n, health, err);
    } else {
        const irls_result *fit = work->saved.fits[0];
        health_pass pass = {vt_malloc((work->stream.n_terms ? work->stream.n_terms : 1) * sizeof(double)),
                            work->stream.n_terms, 0, health};
        if (pass.beta == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        score_coefficients(fit->estimate, fit->aliased, pass.n_terms, pass.beta);
        status = work->stream.scan(work->stream.context, 0, n, health_visit, &pass, err);
        free(pass.beta);
    }
    for (size_t i = 0; status == VT_OK && i < n; i++)
        health[i] = score_health(health[i]);
    return status;
}

/* The rows the saved fit did not see (held out; with --folds every row, by
 * its out-of-fold prediction): positions into judged_at, churn health by
 * the pooled model into judged (*n values). */
static vt_status judged_health(const train_spec *spec, const train_work *work, size_t *judged_at, double *judged,
                               size_t *n, vt_err *err)
{
    *n = 0;
    if (spec->validation.kind == VALIDATE_HOLDOUT || spec->validation.kind == VALIDATE_TIME) {
        *n = crossfit_rows(work->group, work->problem.n_used, 1, 0, judged_at);
        return churn_health(work, judged_at, *n, judged, err);
    }
    if (work->out_of_fold[0])
        for (size_t i = 0; i < work->problem.n_used; i++) {
            judged_at[(*n)++] = i;
            judged[i] = score_health(work->out_of_fold[0][i]);
        }
    return VT_OK;
}

/* Bands set from shares: by_level's (--by: each row scored by the model
 * that serves it), else bands that put the shares of the saved fit's rows
 * in red and yellow.  The shares the bands give rows the fit did not see
 * are noted, and the churn target's held-out bucket figures (counted under
 * the provisional bands) recounted under them: in the notes and, once the
 * model holds them (--by), in the model. */
static vt_status bands_by_share(const train_spec *spec, train_work *work, const segments_bands *by_level,
                                train_notes *notes, vt_err *err)
{
    size_t n = work->problem.n_used, n_fit = n, n_judged = 0;
    int split = spec->validation.kind == VALIDATE_HOLDOUT || spec->validation.kind == VALIDATE_TIME;
    size_t *fit_at = vt_malloc((n ? n : 1) * sizeof *fit_at), *judged_at = vt_malloc((n ? n : 1) * sizeof *judged_at);
    double *health = vt_malloc((n ? n : 1) * sizeof *health), *judged = vt_malloc((n ? n : 1) * sizeof *judged);
    vt_status status = fit_at && judged_at && health && judged ? VT_OK : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (status == VT_OK)
        status = judged_health(spec, work, judged_at, judged, &n_judged, err);
    if (status == VT_OK && by_level) {
        work->red_below = by_level->red_below;
        work->yellow_below = by_level->yellow_below;
        n_fit = by_level->n_fit;
        memcpy(notes->fit_share, by_level->fit_share, sizeof notes->fit_share);
        memcpy(notes->judged_share, by_level->judged_share, sizeof notes->judged_share);
    } else if (status == VT_OK) {
        if (split)
            n_fit = crossfit_rows(work->group, n, 0, 0, fit_at);
        if ((status = churn_health(work, split ? fit_at : NULL, n_fit, health, err)) == VT_OK &&
            (status = bands_from_shares(health, n_fit, spec->red_share, spec->yellow_share, &work->red_below,
                                        &work->yellow_below, err)) == VT_OK) {
            bands_shares(health, n_fit, work->red_below, work->yellow_below, &notes->fit_share[0],
                         &notes->fit_share[1]);
            bands_shares(judged, n_judged, work->red_below, work->yellow_below, &notes->judged_share[0],
                         &notes->judged_share[1]);
        }
    }
    if (status == VT_OK) {
        notes->bands_set = 1;
        notes->red_below = work->red_below;
        notes->yellow_below = work->yellow_below;
        notes->n_fit_banded = n_fit;
        notes->n_judged = n_judged;
        work->bands_source = (model_bands_source){1, {spec->red_share, spec->yellow_share},
                                                  {notes->fit_share[0], notes->fit_share[1]}, n_fit};
    }
    if (status == VT_OK && notes->validated) { /* the churn target's held-out buckets, under the new bands */
        crossfit_metrics *validation = &notes->validation[0];
        metrics *overall = &validation->overall;
        memset(overall->bucket_rows, 0, sizeof overall->bucket_rows);
        memset(overall->bucket_events, 0, sizeof overall->bucket_events);
        for (size_t f = 0; f < validation->n_folds; f++) {
            memset(validation->folds[f].bucket_rows, 0, sizeof validation->folds[f].bucket_rows);
            memset(validation->folds[f].bucket_events, 0, sizeof validation->folds[f].bucket_events);
        }
        for (size_t i = 0; i < n_judged; i++) {
            size_t row = judged_at[i];
            bucket level = score_bucket((int)judged[i], work->red_below, work->yellow_below);
            double event = work->y[0][row]; /* unweighted, as metrics_compute counted them */
            overall->bucket_rows[level]++;
            overall->bucket_events[level] += event;
            /* --folds: row's fold scored it with the same out-of-fold prediction */
            if (validation->n_folds && work->out_of_fold[0] && (size_t)work->group[row] < validation->n_folds) {
                validation->folds[work->group[row]].bucket_rows[level]++;
                validation->folds[work->group[row]].bucket_events[level] += event;
            }
        }
    }
    if (status == VT_OK && work->m) {
        model *m = work->m;
        m->red_below = work->red_below;
        m->yellow_below = work->yellow_below;
        m->bands_source = work->bands_source;
        if (notes->validated) {
            const crossfit_metrics *validation = &notes->validation[0];
            model_validation_free(m->targets[0].validation);
            m->targets[0].validation = model_validation_new(validation->method, &validation->overall,
                                                            validation->folds, validation->n_folds, 1);
            if (m->targets[0].validation == NULL)
                status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        }
    }
    free(fit_at);
    free(judged_at);
    free(health);
    free(judged);
    return status;
}

static char *utc_now(void)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm parts;
    gmtime_r(&now, &parts);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return vt_strdup(stamp);
}

static vt_status fill_model(const train_spec *spec, train_work *work, const encode_report *report, vt_err *err)
{
    model *m = work->m;
    m->enc = work->enc;
    work->enc = NULL; /* the model owns it now */
    m->tool_version = vt_strdup(VT_VERSION);
    m->created_at = utc_now();
    m->data_path = vt_strdup(work->layout->path);
    m->data_query = spec->query ? vt_strdup(spec->query) : NULL;
    m->id_column = spec->id ? vt_strdup(spec->id) : NULL;
    m->na_tokens = vt_calloc(spec->n_na, sizeof(char *));
    if (!m->tool_version || !m->created_at || !m->data_path || (spec->query && !m->data_query) ||
        (spec->id && !m->id_column) || !m->na_tokens)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < spec->n_na; i++)
        if ((m->na_tokens[m->n_na_tokens++] = vt_strdup(spec->na[i])) == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    m->data_rows = work->layout->n_rows;
    m->data_bytes = work->layout->bytes;
    m->data_hash = work->layout->hash;
    m->rows_used = report->n_rows_used;
    m->dropped_missing_feature = report->n_dropped_missing_feature;
    m->dropped_missing_label = report->n_dropped_missing_label;
    m->delimiter = source_delimiter(spec->query, spec->delimiter);
    m->max_iter = spec->irls.max_iter;
    m->epsilon = spec->irls.epsilon;
    m->red_below = work->red_below;
    m->yellow_below = work->yellow_below;
    m->bands_source = work->bands_source;
    m->confidence = spec->confidence;
    m->firth = spec->irls.firth;
    m->balance = spec->balance;
    m->l2_cv = spec->l2_cv;
    m->weight_column = spec->weight ? vt_strdup(spec->weight) : NULL;
    if (spec->weight && m->weight_column == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    return VT_OK;
}

/* The --l2 cv curve as the model stores it. */
static vt_status record_targets(const train_spec *spec, train_work *work, const train_notes *notes, vt_err *err)
{
    const char *labels[MODEL_MAX_TARGETS], *names[MODEL_MAX_TARGETS];
    train_targets(spec, labels, names);
    model *m = work->m;
    for (size_t k = 0; k < work->problem.n_targets; k++) {
        model_target *target = &m->targets[m->n_targets++];
        const crossfit_metrics *validation = &notes->validation[k];
        target->name = vt_strdup(names[k]);
        target->label = vt_strdup(labels[k]);
        if (target->name == NULL || target->label == NULL ||
            fit_copy_target(target, work->saved.fits[k], work->saved.term_mean, m->enc) != VT_OK)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        target->n_events = work->saved.n_events[k];
        target->l2 = work->problem.l2[k];
        if (notes->l2_chosen && (target->l2_curve = model_l2_curve_new(notes->l2[k].lambda, notes->l2[k].log_loss,
                                                                       RIDGE_CV_GRID)) == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        if (notes->validated &&
            (target->validation = model_validation_new(validation->method, &validation->overall, validation->folds,
                                                       validation->n_folds, spec->churn && k == 0)) == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    return VT_OK;
}

/* --fitted: each used row's id (or its line, as predict numbers rows), with
 * a holdout or time split whether the saved model was fitted on it or it
 * was held out, with --folds its fold, then each target's probability and
 * observed outcome.  The probabilities are scored as predict scores them
 * (score_eta on the saved coefficients), so the two files agree to the
 * bit; with --folds they are the out-of-fold ones. */
static vt_status write_fitted(const train_spec *spec, train_work *work, vt_err *err)
{
    const model *m = work->m;
    const table *data = work->data;
    const int *fold_of = work->out_of_fold[0] ? work->group : NULL;
    const int *held_out = !fold_of && spec->validation.kind != VALIDATE_NONE ? work->group : NULL;
    double *fitted[MODEL_MAX_TARGETS] = {0}, *scored[MODEL_MAX_TARGETS] = {0};
    size_t n_rows = work->problem.n_used;
    vt_status status = VT_OK;
    for (size_t k = 0; status == VT_OK && k < m->n_targets; k++) {
        if (fold_of)
            fitted[k] = work->out_of_fold[k];
        else if ((fitted[k] = scored[k] = vt_malloc((n_rows ? n_rows : 1) * sizeof(double))) == NULL)
            status = vt_err_set(err, VT_ENOMEM, spec->fitted, 0, 0, "out of memory");
        else
            status = fit_predict(&work->problem, work->saved.fits[k], NULL, n_rows, scored[k], err);
    }
    const table_column *id = spec->id ? table_find(work->data, spec->id) : NULL;
    outfile *file = NULL;
    if (status == VT_OK && (status = outfile_open(spec->fitted, &file, err)) == VT_OK) {
        FILE *out = outfile_stream(file);
        fputs(id ? id->name : "line", out);
        if (held_out)
            fputs(",set", out);
        if (fold_of)
            fputs(",fold", out);
        for (size_t k = 0; k < m->n_targets; k++) {
            /* the label's own name, unless an output column already has it */
            const char *label = m->targets[k].label;
            int taken = strcmp(label, "set") == 0 || strcmp(label, "fold") == 0 || strcmp(label, "line") == 0 ||
                        model_find_target(m, label) != NULL || (id && strcmp(label, id->name) == 0);
            fprintf(out, ",%s", m->targets[k].name);
            fputc(',', out);
            csv_write_field(out, label);
            if (taken)
                fputs("_observed", out);
        }
        fputc('\n', out);
        for (size_t r = 0, i = 0; r < data->n_rows; r++) {
            if (!work->row_used[r])
                continue;
            if (id)
                csv_write_field(out, id->text[r]);
            else
                fprintf(out, "%ld", data->lines[r]);
            if (held_out)
                fputs(held_out[i] ? ",held_out" : ",fitted", out);
            if (fold_of)
                fprintf(out, ",%d", fold_of[i] + 1);
            for (size_t k = 0; k < m->n_targets; k++)
                fprintf(out, ",%.17g,%.0f", fitted[k][i], work->problem.y[k][i]);
            fputc('\n', out);
            i++;
        }
        status = outfile_commit(file, err);
    }
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
        free(scored[k]);
    return status;
}

static void train_work_free(train_work *work)
{
    design_source_free(work->rows); /* before what it borrows */
    file_rows_free(work->file);
    table_survey_free(work->survey);
    free(work->features);
    free(work->roles);
    table_free(work->data);
    encoding_free(work->enc);
    free(work->row_used);
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++) {
        free(work->y[k]);
        free(work->prior[k]);
        free(work->out_of_fold[k]);
    }
    fit_result_free(&work->saved);
    free(work->smooths);
    design_source_free(work->linear_rows);
    encoding_free(work->linear_enc);
    free(work->linear_used);
    free(work->group);
    if (work->m)
        model_free(work->m);
}

void train_spec_free(train_spec *spec)
{
    smooth_requests_free(&spec->smooths);
    interaction_requests_free(&spec->interactions);
}

void train_notes_free(train_notes *notes)
{
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
        crossfit_metrics_free(&notes->validation[k]);
    free(notes->smooth_linear);
    free(notes->row_counters);
    free(notes->collinear);
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
        crossfit_metrics_free(&notes->linear[k]);
    pair_search_report_free(&notes->pairs);
    memset(notes, 0, sizeof *notes);
}

vt_status train_run(const train_spec *spec, model **out, train_notes *notes, vt_err *err)
{
    train_work work = {0};
    memset(notes, 0, sizeof *notes);
    *out = NULL;
    /* A result that cannot be written is known before the work is done. */
    vt_status status = spec->fitted ? outfile_check(spec->fitted, err) : VT_OK;
    if (status == VT_OK)
        status = read_and_encode(spec, &work, notes, err);
    if (status == VT_OK) {
        work.problem = (fit_problem){work.rows, work.enc->term_names, work.enc->n_terms, notes->rows.n_rows_used,
                                     work.o.n_targets, {0}, {0}, spec->irls, {0}, work.layout->path,
                                     (size_t)spec->threads, work.file ? &work.stream : NULL, {0},
                                     work.smooths, work.n_smooths, {0}, NULL};
        notes->n_smooths = work.n_smooths;
        for (size_t k = 0; k < work.o.n_targets; k++) {
            work.problem.y[k] = work.y[k];
            work.problem.prior[k] = work.prior[k];
            work.problem.stream_events[k] = work.o.events[k];
        }
    }
    notes->n_targets = train_targets(spec, notes->label, notes->name);
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
        work.problem.names[k] = notes->name[k];
    if (status == VT_OK && spec->interactions.n_auto)
        status = search_pairs(spec, &work, notes, err);
    work.red_below = spec->red_below;
    work.yellow_below = spec->yellow_below;
    /* --by: the bands once every level's model is fitted, as they score its rows */
    if (status == VT_OK && (status = fit_and_validate(spec, &work, notes, err)) == VT_OK && spec->red_share > 0 &&
        !spec->by && spec->churn)
        status = bands_by_share(spec, &work, NULL, notes, err);
    if (status == VT_OK) {
        memcpy(work.enc->term_mean, work.saved.term_mean, work.enc->n_terms * sizeof(double));
        memcpy(work.enc->term_sd, work.saved.term_sd, work.enc->n_terms * sizeof(double));
        if ((work.m = model_new()) == NULL)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (status == VT_OK && (status = fill_model(spec, &work, &notes->rows, err)) == VT_OK)
        status = record_targets(spec, &work, notes, err);
    if (status == VT_OK)
        status = name_collinear(&work, notes, err);
    if (status == VT_OK && spec->by) {
        segments_input input = {spec->by, work.data, work.row_used, work.m->enc, &work.problem, &work.saved,
                                &spec->validation, work.out_of_fold[0] ? NULL : work.group,
                                work.out_of_fold[0] ? work.out_of_fold : NULL, spec->red_below, spec->yellow_below,
                                spec->churn ? spec->red_share : 0, spec->churn ? spec->yellow_share : 0,
                                work.out_of_fold[0] ? work.group : NULL, (size_t)spec->validation.folds};
        segments_bands bands = {0};
        if ((status = segments_fit(&input, work.m, &bands, err)) == VT_OK && spec->red_share > 0 && spec->churn)
            status = bands_by_share(spec, &work, &bands, notes, err);
    }
    if (status == VT_OK && model_finish_drivers(work.m) != VT_OK) /* every fit is in */
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (status == VT_OK && spec->fitted)
        status = write_fitted(spec, &work, err);
    if (status == VT_OK) {
        *out = work.m;
        work.m = NULL;
    }
    train_work_free(&work);
    return status;
}
