/* vitals train: read labelled snapshots, fit churn (and expansion) models,
 * print R-like coefficient tables, write the model file. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "buf.h"
#include "commands.h"
#include "encode.h"
#include "irls.h"
#include "json.h"
#include "model.h"
#include "outfile.h"
#include "report.h"
#include "score.h"
#include "validate.h"
#include "table.h"

static const char train_help[] =
    "usage: vitals train DATA.csv --churn COL [options] -o MODEL.json\n"
    "\n"
    "Fit logistic-regression churn (and expansion) models as R's glm does.\n"
    "\n"
    "  --churn COL          churn label column (0/1, yes/no, true/false)\n"
    "  --expansion COL      expansion label column, fitted as a second model\n"
    "  --id COL             account id column (not a feature)\n"
    "  --drop A,B           columns that are not features\n"
    "  --categorical A,B    columns to treat as text levels\n"
    "  --numeric A,B        columns that must be numbers\n"
    "  --na TOKEN[,TOKEN]   more cell values meaning missing (besides empty, NA, NaN, null)\n"
    "  --missing POLICY     impute (default: mean + indicator), drop (the row), error\n"
    "  --max-levels N       allow a text column up to N levels (default: 1000, and from\n"
    "                       20 rows on at most half the rows: more is an id, not a feature)\n"
    "  --delimiter D        , (default) ; tab |\n"
    "  --max-iter N         IRLS iterations (default 25; 200 with --firth)\n"
    "  --weight COL         row weights, as R's glm(weights =); rows of weight 0 do not count\n"
    "  --balance            weigh both classes the same (n / (2 x rows of the class))\n"
    "  --by COL             also one model per level of COL (e.g. lifecycle_stage); a level\n"
    "                       with fewer than 10 events per term uses the pooled model\n"
    "  --l2 LAMBDA|cv       ridge on standardised columns, intercept free: maximise\n"
    "                       loglik/n - LAMBDA/2 sum((beta_j sd_j)^2); cv picks LAMBDA per\n"
    "                       target by K-fold log-loss (K = --folds or 5) on a 1e-6..10 grid\n"
    "  --firth              Firth's penalised likelihood: finite estimates when a column\n"
    "                       (or a combination) separates the outcome\n"
    "  --epsilon E          convergence tolerance on the deviance (default 1e-8)\n"
    "  --bands R,Y          health below R is red, below Y yellow (default 40,70)\n"
    "  --confidence L       level of the Wald intervals reported and stored (default 0.95)\n"
    "  --fitted FILE        also write the fitted probabilities of the rows used (with\n"
    "                       --folds: each row's fold and out-of-fold prediction)\n"
    "  --holdout FRAC       fit on the rest, report metrics on FRAC of the rows held out\n"
    "                       (stratified by churn, seeded: --seed N)\n"
    "  --folds K            stratified K-fold cross-validation: metrics per fold, their mean\n"
    "                       and sd, and on the pooled out-of-fold predictions; the model\n"
    "                       is then fitted on every row\n"
    "  --time-col COL --holdout-after DATE\n"
    "                       fit on rows dated up to DATE (ISO), judge on the later ones\n"
    "  --threads N          threads for the fit (default: one per core); the numbers\n"
    "                       do not depend on it\n"
    "  -o, --output FILE    model file to write (- for standard output)\n"
    "  --quiet              no coefficient tables\n";

typedef struct {
    const char *data_path, *churn, *expansion, *id, *output, *fitted, *weight, *by;
    char **drop, **categorical, **numeric, **na;
    size_t n_drop, n_categorical, n_numeric, n_na;
    missing_policy missing;
    char delimiter;
    irls_options irls;
    double red_below, yellow_below, confidence;
    validation_options validation;
    const char *holdout_after;
    int max_iter; /* --max-iter; 0 when not given */
    long threads; /* --threads; 0: one per core */
    int quiet, balance, l2_cv;
    long max_levels; /* --max-levels; 0 when not given */
} train_args;

/* --bands R,Y */
static vt_status parse_bands(void *options, const char *name, const char *text, vt_err *err)
{
    train_args *args = options;
    double *red = &args->red_below, *yellow = &args->yellow_below;
    char extra;
    if (sscanf(text, "%lf,%lf%c", red, yellow, &extra) != 2 || !(*red > 0) || !(*yellow > *red) ||
        *yellow > 100)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "%s: '%s' should be two increasing numbers in (0, 100], e.g. 40,70", name, text);
    return VT_OK;
}

/* --l2 LAMBDA|cv */
static vt_status parse_l2(void *options, const char *name, const char *text, vt_err *err)
{
    train_args *args = options;
    if (strcmp(text, "cv") == 0) {
        args->l2_cv = 1;
        return VT_OK;
    }
    vt_status status = args_double(name, text, &args->irls.l2, err);
    if (status == VT_OK && !(args->irls.l2 > 0))
        status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: '%s' is not a positive strength or cv", name, text);
    return status;
}

static const char *const missing_policies[] = {"impute", "drop", "error", NULL}; /* in missing_policy order */

static const arg_spec train_options[] = {
    {"--churn", NULL, ARG_STRING, ARG_AT(train_args, churn), .required = 1},
    {"--expansion", NULL, ARG_STRING, ARG_AT(train_args, expansion)},
    {"--id", NULL, ARG_STRING, ARG_AT(train_args, id)},
    {"--drop", NULL, ARG_LIST, ARG_LIST_AT(train_args, drop, n_drop)},
    {"--categorical", NULL, ARG_LIST, ARG_LIST_AT(train_args, categorical, n_categorical)},
    {"--numeric", NULL, ARG_LIST, ARG_LIST_AT(train_args, numeric, n_numeric)},
    {"--na", NULL, ARG_LIST, ARG_LIST_AT(train_args, na, n_na)},
    {"--missing", NULL, ARG_CHOICE, ARG_AT(train_args, missing), .choices = missing_policies},
    {"--delimiter", NULL, ARG_DELIMITER, ARG_AT(train_args, delimiter)},
    {"--max-iter", NULL, ARG_LONG, ARG_AT(train_args, max_iter), .min = 1, .max = 10000},
    {"--max-levels", NULL, ARG_LONG, ARG_AT(train_args, max_levels), .min = 1, .max = 1000000000L},
    {"--weight", NULL, ARG_STRING, ARG_AT(train_args, weight)},
    {"--balance", NULL, ARG_FLAG, ARG_AT(train_args, balance)},
    {"--by", NULL, ARG_STRING, ARG_AT(train_args, by)},
    {"--l2", NULL, ARG_CUSTOM, .parse = parse_l2},
    {"--firth", NULL, ARG_FLAG, ARG_AT(train_args, irls.firth)},
    {"--epsilon", NULL, ARG_POSITIVE, ARG_AT(train_args, irls.epsilon)},
    {"--bands", NULL, ARG_CUSTOM, .parse = parse_bands},
    {"--confidence", NULL, ARG_SHARE, ARG_AT(train_args, confidence), .what = "a level between 0 and 1"},
    {"--fitted", NULL, ARG_STRING, ARG_AT(train_args, fitted)},
    {"--holdout", NULL, ARG_SHARE, ARG_AT(train_args, validation.holdout)},
    {"--folds", NULL, ARG_LONG, ARG_AT(train_args, validation.folds), .min = 2, .max = 100},
    {"--seed", NULL, ARG_LONG, ARG_AT(train_args, validation.seed), .min = 0, .max = LONG_MAX},
    {"--time-col", NULL, ARG_STRING, ARG_AT(train_args, validation.time_column)},
    {"--holdout-after", NULL, ARG_STRING, ARG_AT(train_args, holdout_after)},
    {"--threads", NULL, ARG_LONG, ARG_AT(train_args, threads), .min = 1, .max = 256},
    {"--output", "-o", ARG_STRING, ARG_AT(train_args, output), .required = 1},
    {"--quiet", NULL, ARG_FLAG, ARG_AT(train_args, quiet)},
    {0},
};

static const arg_spec train_positionals[] = {
    {"DATA.csv", NULL, ARG_STRING, ARG_AT(train_args, data_path)},
    {0},
};

/* One way to validate at a time, each with what it needs. */
static vt_status check_validation(train_args *args, vt_err *err)
{
    validation_options *v = &args->validation;
    int methods = (v->holdout > 0) + (v->folds > 0) + (v->time_column != NULL || args->holdout_after != NULL);
    if (methods > 1)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "choose one of --holdout, --folds and --time-col/--holdout-after");
    if ((v->time_column == NULL) != (args->holdout_after == NULL))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--time-col and --holdout-after go together");
    if (args->holdout_after && !validation_is_date(args->holdout_after))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--holdout-after: '%s' is not an ISO date (YYYY-MM-DD)",
                          args->holdout_after);
    v->after = args->holdout_after;
    v->kind = v->holdout > 0 ? VALIDATE_HOLDOUT : v->folds > 0 ? VALIDATE_FOLDS
            : v->time_column ? VALIDATE_TIME : VALIDATE_NONE;
    if ((v->kind == VALIDATE_HOLDOUT || v->kind == VALIDATE_TIME) && args->fitted)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--fitted cannot be combined with --holdout or --time-col "
                                                      "(with --folds it writes the out-of-fold predictions)");
    return VT_OK;
}

/* The checks that relate several options. */
static vt_status check_train_args(train_args *args, vt_err *err)
{
    if (args->expansion && strcmp(args->expansion, args->churn) == 0)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--churn and --expansion name the same column");
    if (args->irls.firth && (args->irls.l2 > 0 || args->l2_cv))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--firth and --l2 are two remedies: choose one");
    /* Firth's modified-score iterations converge linearly far from the
     * optimum: more of them by default. */
    if (args->max_iter)
        args->irls.max_iter = args->max_iter;
    else if (args->irls.firth)
        args->irls.max_iter = 200;
    return check_validation(args, err);
}

static args_result parse_train_args(int argc, char **argv, train_args *args, vt_err *err)
{
    args->delimiter = ',';
    args->missing = MISSING_IMPUTE;
    args->red_below = 40;
    args->yellow_below = 70;
    args->confidence = 0.95;
    args->validation.seed = 20261123; /* fixed, so runs repeat */
    irls_options_default(&args->irls);
    args_result parsed = args_parse(argc, argv, train_options, train_positionals, args, err);
    if (parsed == ARGS_RUN && check_train_args(args, err) != VT_OK)
        return ARGS_FAIL;
    return parsed;
}

/* Column roles from the options; a column named by two of them is an error. */
static vt_status build_roles(const train_args *args, table_role **roles_out, size_t *n_roles, vt_err *err)
{
    size_t cap = 6 + args->n_drop + args->n_categorical + args->n_numeric;
    table_role *roles = vt_calloc(cap, sizeof *roles);
    if (roles == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    size_t n = 0;
    roles[n++] = (table_role){args->churn, ROLE_LABEL, "--churn"};
    if (args->expansion)
        roles[n++] = (table_role){args->expansion, ROLE_LABEL, "--expansion"};
    if (args->id)
        roles[n++] = (table_role){args->id, args->fitted ? ROLE_TEXT : ROLE_SKIP, "--id"};
    if (args->validation.time_column)
        roles[n++] = (table_role){args->validation.time_column, ROLE_TEXT, "--time-col"};
    if (args->weight)
        roles[n++] = (table_role){args->weight, ROLE_NUMERIC, "--weight"};
    if (args->by)
        roles[n++] = (table_role){args->by, ROLE_CATEGORICAL, "--by"};
    for (size_t i = 0; i < args->n_drop; i++)
        roles[n++] = (table_role){args->drop[i], ROLE_SKIP, "--drop"};
    for (size_t i = 0; i < args->n_categorical; i++)
        roles[n++] = (table_role){args->categorical[i], ROLE_CATEGORICAL, "--categorical"};
    for (size_t i = 0; i < args->n_numeric; i++)
        roles[n++] = (table_role){args->numeric[i], ROLE_NUMERIC, "--numeric"};
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

static char *utc_now(void)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm parts;
    gmtime_r(&now, &parts);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return vt_strdup(stamp);
}

/* The label values of the used rows, checked to hold both classes. */
static vt_status label_vector(const table *data, const table_column *label, const unsigned char *row_used,
                              size_t n_used, double **y_out, size_t *n_events, vt_err *err)
{
    double *y = vt_calloc(n_used, sizeof *y);
    if (y == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    size_t events = 0;
    for (size_t r = 0, i = 0; r < data->n_rows; r++)
        if (row_used[r]) {
            y[i++] = label->values[r];
            events += label->values[r] == 1.0;
        }
    if (events == 0 || events == n_used) {
        free(y);
        return vt_err_set(err, VT_EDATA, data->path, 0, label->csv_index + 1,
                          "label column '%s' has a single class (all %d) in the %zu rows used; "
                          "a model needs both outcomes", label->name, events ? 1 : 0, n_used);
    }
    *y_out = y;
    *n_events = events;
    return VT_OK;
}

static vt_status copy_fit(model_target *target, const irls_result *fit, size_t n_terms)
{
    if (model_target_alloc(target, n_terms) != VT_OK)
        return VT_ENOMEM;
    for (size_t t = 0; t < n_terms; t++) {
        target->estimate[t] = fit->estimate[t];
        target->std_error[t] = fit->std_error[t];
        target->z_value[t] = fit->z_value[t];
        target->p_value[t] = fit->p_value[t];
        target->aliased[t] = fit->aliased[t];
        if (fit->alias_reason[t] && (target->alias_reason[t] = vt_strdup(fit->alias_reason[t])) == NULL)
            return VT_ENOMEM;
    }
    target->deviance = fit->deviance;
    target->null_deviance = fit->null_deviance;
    target->log_likelihood = fit->log_likelihood;
    target->aic = fit->aic;
    target->bic = fit->bic;
    target->n_obs = fit->n_obs;
    target->rank = fit->rank;
    target->df_residual = fit->df_residual;
    target->df_null = fit->df_null;
    target->iterations = fit->iterations;
    target->converged = fit->converged;
    target->n_boundary = fit->n_boundary;
    return VT_OK;
}

/* Messages about the data and the fit that a user must see, on stderr. */
static void print_notes(const model *m, const encode_report *report, const table *data)
{
    fprintf(stderr, "vitals: %s: %zu rows read, %zu used", data->path, report->n_rows_read, report->n_rows_used);
    if (report->n_dropped_missing_feature)
        fprintf(stderr, ", %zu dropped for a missing feature (--missing drop)", report->n_dropped_missing_feature);
    if (report->n_dropped_missing_label)
        fprintf(stderr, ", %zu dropped for a missing label", report->n_dropped_missing_label);
    fputc('\n', stderr);
    char shown[VT_QUOTE_SIZE]; /* names from the data, escaped for the terminal */
    for (size_t f = 0; f < m->enc->n_features; f++)
        if (m->enc->features[f].n_imputed)
            fprintf(stderr, "vitals: column '%s': %zu missing cells imputed (%s)\n",
                    vt_quote(shown, sizeof shown, m->enc->features[f].name, strlen(m->enc->features[f].name)),
                    m->enc->features[f].n_imputed,
                    m->enc->features[f].type == TYPE_NUMERIC ? "mean + indicator" : "own level");
    for (size_t k = 0; k < m->n_targets; k++) {
        const model_target *target = &m->targets[k];
        for (size_t t = 0; t < m->enc->n_terms; t++)
            if (target->aliased[t])
                fprintf(stderr, "vitals: %s: term '%s' dropped as aliased: %s\n", target->name,
                        vt_quote(shown, sizeof shown, m->enc->term_names[t], strlen(m->enc->term_names[t])),
                        target->alias_reason[t]);
        if (!target->converged)
            fprintf(stderr, "vitals: warning: %s model did not converge in %d iterations\n", target->name,
                    target->iterations);
        if (target->n_boundary)
            fprintf(stderr, "vitals: warning: %s model: %zu fitted probabilities numerically 0 or 1 "
                            "(separation?)\n", target->name, target->n_boundary);
    }
}

static vt_status write_fitted(const char *path, const model *m, const table *data, const table_column *id,
                              const unsigned char *row_used, double *const *fitted, const int *fold_of, vt_err *err)
{
    outfile *file = NULL;
    vt_status status = outfile_open(path, &file, err);
    if (status != VT_OK)
        return status;
    FILE *out = outfile_stream(file);
    fputs(id ? id->name : "row", out);
    if (fold_of)
        fputs(",fold", out);
    for (size_t k = 0; k < m->n_targets; k++)
        fprintf(out, ",%s", m->targets[k].name);
    fputc('\n', out);
    for (size_t r = 0, i = 0; r < data->n_rows; r++) {
        if (!row_used[r])
            continue;
        if (id)
            csv_write_field(out, id->text[r]);
        else
            fprintf(out, "%zu", r + 1);
        if (fold_of)
            fprintf(out, ",%d", fold_of[i] + 1);
        for (size_t k = 0; k < m->n_targets; k++)
            fprintf(out, ",%.17g", fitted[k][i]);
        fputc('\n', out);
        i++;
    }
    return outfile_commit(file, err);
}

typedef struct {
    table *data;
    encoding *enc;
    unsigned char *row_used;
    size_t n_used;
    design_source *rows;
    size_t n_targets;
    double *y[MODEL_MAX_TARGETS];     /* each target's outcome on the used rows */
    double *prior[MODEL_MAX_TARGETS]; /* each target's row weights, or NULL */
    double l2[MODEL_MAX_TARGETS];     /* each target's ridge strength */
    cJSON *l2_curve[MODEL_MAX_TARGETS];
    char *l2_text[MODEL_MAX_TARGETS];
    irls_result *fits[MODEL_MAX_TARGETS];
    irls_design *prepared;            /* of the rows the saved model was fitted on */
    size_t fit_events[MODEL_MAX_TARGETS]; /* events among the rows of the saved fit */
    cJSON *validation[MODEL_MAX_TARGETS];
    char *validation_text[MODEL_MAX_TARGETS];
    double *out_of_fold[MODEL_MAX_TARGETS]; /* --folds: each row's prediction by the model that did not see it */
    int *fold_of;                          /* --folds: each used row's fold */
    int *held_out;                         /* --holdout, --time-col: 1 for each held-out used row */
    model *m;
    table_role *roles;
} train_state;

static const char *const target_names[MODEL_MAX_TARGETS] = {"churn", "expansion"};

static void train_state_free(train_state *state)
{
    table_free(state->data);
    free(state->row_used);
    design_source_free(state->rows);
    irls_design_free(state->prepared);
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++) {
        free(state->y[k]);
        free(state->prior[k]);
        cJSON_Delete(state->l2_curve[k]);
        free(state->l2_text[k]);
        irls_result_free(state->fits[k]);
        cJSON_Delete(state->validation[k]);
        free(state->validation_text[k]);
        free(state->out_of_fold[k]);
    }
    free(state->fold_of);
    free(state->held_out);
    if (state->m)
        model_free(state->m);
    else
        encoding_free(state->enc);
    free(state->roles);
}

/* Per term, what the fitted rows show about separation: the range of the
 * column among events and among non-events. */
typedef struct {
    double low[2], high[2]; /* by outcome */
    int binary;             /* only 0 and 1 seen */
    size_t ones[2];         /* rows with the column at 1, by outcome */
} term_range;

/* Refuse a fit whose outcome is separated: by a single column (a 0/1 column
 * with an empty cell, or a numeric column whose outcomes do not overlap:
 * the estimate is infinite even when IRLS stops politely, as R's does), or
 * by a combination (fitted probabilities reach 0 or 1).  One line names
 * the column, or the terms with the largest standardised estimates. */
static vt_status check_separation(train_state *state, size_t k, const irls_result *fit, const double *sds,
                                  const size_t *positions, size_t n, const double *y, vt_err *err)
{
    const encoding *enc = state->enc;
    size_t p = enc->n_terms;
    term_range *range = vt_calloc(p, sizeof *range);
    double *x = vt_malloc(1024 * p * sizeof *x);
    if (range == NULL || x == NULL) {
        free(range);
        free(x);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t t = 0; t < p; t++) {
        range[t].low[0] = range[t].low[1] = INFINITY;
        range[t].high[0] = range[t].high[1] = -INFINITY;
        range[t].binary = 1;
    }
    enum { BLOCK = 1024 };
    for (size_t first = 0; first < n; first += BLOCK) {
        size_t count = n - first < BLOCK ? n - first : BLOCK;
        design_source_fill_list(state->rows, positions, first, count, x);
        for (size_t i = 0; i < count; i++) {
            int outcome = y[first + i] == 1.0;
            const double *row = x + i * p;
            for (size_t t = 1; t < p; t++) {
                term_range *r = &range[t];
                r->low[outcome] = fmin(r->low[outcome], row[t]);
                r->high[outcome] = fmax(r->high[outcome], row[t]);
                r->binary &= row[t] == 0.0 || row[t] == 1.0;
                r->ones[outcome] += row[t] == 1.0;
            }
        }
    }
    char detail[VT_QUOTE_SIZE + 200] = "", name[VT_QUOTE_SIZE]; /* term names hold levels: data */
    for (size_t t = 1; t < p && !detail[0]; t++) {
        const term_range *r = &range[t];
        vt_quote(name, sizeof name, enc->term_names[t], strlen(enc->term_names[t]));
        if (fit->aliased[t])
            continue;
        if (r->binary && r->ones[0] + r->ones[1] > 0 && (r->ones[0] == 0 || r->ones[1] == 0))
            snprintf(detail, sizeof detail, "every row with %s = 1 has %s %d", name, target_names[k], r->ones[0] == 0);
        else if (!r->binary && r->high[0] <= r->low[1])
            snprintf(detail, sizeof detail, "%s: rows above %.6g all have %s 1, rows below all 0", name, r->high[0],
                     target_names[k]);
        else if (!r->binary && r->high[1] <= r->low[0])
            snprintf(detail, sizeof detail, "%s: rows above %.6g all have %s 0, rows below all 1", name, r->high[1],
                     target_names[k]);
    }
    if (!detail[0] && fit->n_boundary == 0) {
        free(range);
        free(x);
        return VT_OK;
    }
    if (!detail[0]) { /* a combination: name the terms that ran off furthest */
        size_t used = (size_t)snprintf(detail, sizeof detail, "a combination of terms, led by"), picked[3] = {0};
        for (int pick = 0; pick < 3; pick++) {
            double best_size = -1;
            for (size_t t = 1; t < p; t++) {
                double size = fit->aliased[t] ? -1 : fabs(fit->estimate[t] * sds[t]);
                int taken = (pick > 0 && picked[0] == t) || (pick > 1 && picked[1] == t);
                if (!taken && size > best_size) {
                    picked[pick] = t;
                    best_size = size;
                }
            }
            const char *term = enc->term_names[picked[pick]];
            if (picked[pick] > 0 && used < sizeof detail)
                used += (size_t)snprintf(detail + used, sizeof detail - used, "%s %s", pick ? "," : "",
                                         vt_quote(name, sizeof name, term, strlen(term)));
        }
    }
    free(range);
    free(x);
    return vt_err_set(err, VT_ENUMERIC, state->data->path, 0, 0,
                      "%s model: separation (%s): no finite estimate exists (%zu fitted probabilities at 0 or 1); "
                      "refit with --firth (penalised likelihood), or drop or merge the column", target_names[k], detail,
                      fit->n_boundary);
}

/* The used rows at the given positions (all if NULL) as IRLS reads them:
 * design rows filled from the table, outcomes and weights from the
 * per-target vectors. */
typedef struct {
    const train_state *state;
    const size_t *positions;
} row_subset;

static vt_status scan_subset(const void *context, size_t first, size_t count, irls_visit_fn visit,
                             void *visit_context, vt_err *err)
{
    const row_subset *subset = context;
    const train_state *state = subset->state;
    size_t p = state->enc->n_terms, n_targets = state->n_targets;
    double *x = vt_malloc(IRLS_BLOCK_ROWS * p * sizeof *x);
    double *gathered = vt_malloc(2 * IRLS_MAX_TARGETS * IRLS_BLOCK_ROWS * sizeof *gathered);
    vt_status status = x && gathered ? VT_OK : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t start = first; status == VT_OK && start < first + count; start += IRLS_BLOCK_ROWS) {
        irls_block block = {first + count - start < IRLS_BLOCK_ROWS ? first + count - start : IRLS_BLOCK_ROWS, x,
                            {0}, {0}};
        design_source_fill_list(state->rows, subset->positions, start, block.count, x);
        for (size_t k = 0; k < n_targets; k++) {
            double *y = gathered + 2 * k * IRLS_BLOCK_ROWS, *prior = y + IRLS_BLOCK_ROWS;
            if (subset->positions == NULL) {
                block.y[k] = state->y[k] + start;
                block.prior[k] = state->prior[k] ? state->prior[k] + start : NULL;
                continue;
            }
            for (size_t i = 0; i < block.count; i++) {
                y[i] = state->y[k][subset->positions[start + i]];
                if (state->prior[k])
                    prior[i] = state->prior[k][subset->positions[start + i]];
            }
            block.y[k] = y;
            block.prior[k] = state->prior[k] ? prior : NULL;
        }
        status = visit(visit_context, &block);
    }
    free(x);
    free(gathered);
    return status;
}

/* Prepare the design of the given rows once and fit every target on it,
 * all targets in the same passes. */
static vt_status fit_rows(const train_args *args, train_state *state, const size_t *positions, size_t n,
                          const int *skip, irls_design **prepared, irls_result **fits, vt_err *err)
{
    row_subset subset = {state, positions};
    irls_source source = {scan_subset, &subset, n, state->enc->n_terms, state->n_targets, state->enc->term_names};
    irls_target targets[IRLS_MAX_TARGETS] = {{{0}, 0, NULL}};
    for (size_t k = 0; k < state->n_targets; k++) {
        size_t events = 0;
        for (size_t i = 0; i < n; i++)
            events += state->y[k][positions ? positions[i] : i] == 1.0;
        if (prepared == &state->prepared) /* the saved model's fit */
            state->fit_events[k] = events;
        if (!(skip && skip[k]) && (events == 0 || events == n))
            return vt_err_set(err, VT_EDATA, state->data->path, 0, 0,
                              "the rows left to fit the %s model on hold a single outcome", target_names[k]);
        targets[k] = (irls_target){args->irls, skip && skip[k], target_names[k]};
        targets[k].options.l2 = state->l2[k];
    }
    vt_status status = irls_design_new(&source, args->threads, prepared, err);
    if (status == VT_OK)
        status = irls_fit(*prepared, targets, fits, err);
    if (status != VT_OK) {
        vt_err_locate(err, state->data->path);
        return status;
    }
    if (args->irls.firth)
        return VT_OK;
    for (size_t k = 0; status == VT_OK && k < state->n_targets; k++)
        if (fits[k] && state->l2[k] == 0) {
            double *y = vt_malloc((n ? n : 1) * sizeof *y);
            if (y == NULL)
                return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
            for (size_t i = 0; i < n; i++)
                y[i] = state->y[k][positions ? positions[i] : i];
            status = check_separation(state, k, fits[k], irls_design_sds(*prepared), positions, n, y, err);
            free(y);
        }
    return status;
}

/* Probabilities of a fitted target at the given used-row positions. */
static vt_status predict_rows(const train_state *state, const irls_result *fit, const size_t *positions, size_t n,
                              double *out, vt_err *err)
{
    enum { BLOCK = 1024 };
    size_t n_terms = state->enc->n_terms;
    double *x = vt_malloc(BLOCK * n_terms * sizeof *x), *beta = vt_malloc(n_terms * sizeof *beta);
    if (x == NULL || beta == NULL) {
        free(x);
        free(beta);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    score_coefficients(fit->estimate, fit->aliased, n_terms, beta);
    for (size_t first = 0; first < n; first += BLOCK) {
        size_t count = n - first < BLOCK ? n - first : BLOCK;
        design_source_fill_list(state->rows, positions, first, count, x);
        for (size_t i = 0; i < count; i++)
            out[first + i] = score_probability(score_eta(beta, x + i * n_terms, n_terms));
    }
    free(x);
    free(beta);
    return VT_OK;
}

/* Row weights per target: the --weight column (non-negative, not all 0),
 * times, with --balance, n / (2 x rows of the row's class) so that both
 * classes weigh the same (scikit-learn's "balanced"). */
static vt_status prior_weights(const train_args *args, train_state *state, vt_err *err)
{
    if (args->weight == NULL && !args->balance)
        return VT_OK;
    const table_column *column = args->weight ? table_find(state->data, args->weight) : NULL;
    for (size_t k = 0; k < state->n_targets; k++) {
        double *prior = vt_malloc(state->n_used * sizeof *prior), total = 0;
        size_t class_rows[2] = {0, 0};
        if ((state->prior[k] = prior) == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t i = 0; i < state->n_used; i++)
            class_rows[state->y[k][i] == 1.0]++;
        for (size_t r = 0, i = 0; r < state->data->n_rows; r++) {
            if (!state->row_used[r])
                continue;
            double weight = column ? column->values[r] : 1.0;
            if (!(weight >= 0))
                return vt_err_set(err, VT_EDATA, state->data->path, state->data->lines[r], column->csv_index + 1,
                                  "--weight: %g is negative", weight);
            if (args->balance)
                weight *= (double)state->n_used / (2.0 * (double)class_rows[state->y[k][i] == 1.0]);
            total += weight;
            prior[i++] = weight;
        }
        if (!(total > 0))
            return vt_err_set(err, VT_EDATA, state->data->path, 0, 0, "--weight: every weight is 0");
    }
    return VT_OK;
}

static vt_status outcome_vectors(const train_args *args, train_state *state, vt_err *err)
{
    const char *labels[MODEL_MAX_TARGETS] = {args->churn, args->expansion};
    for (size_t k = 0; k < MODEL_MAX_TARGETS && labels[k]; k++) {
        size_t events = 0;
        vt_status status = label_vector(state->data, table_find(state->data, labels[k]), state->row_used,
                                        state->n_used, &state->y[k], &events, err);
        if (status != VT_OK)
            return status;
        state->n_targets = k + 1;
    }
    return VT_OK;
}

/* Rows of one group (or all but it) as used-row positions. */
static size_t rows_in(const int *group, size_t n, int wanted, int invert, size_t *positions)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if ((group[i] == wanted) != invert)
            positions[count++] = i;
    return count;
}

typedef struct {
    int *group;
    size_t *fit_rows, *test_rows;
    double *predicted, *observed;
    metrics *folds;
} validation_work;

static void validation_work_free(validation_work *work)
{
    free(work->group);
    free(work->fit_rows);
    free(work->test_rows);
    free(work->predicted);
    free(work->observed);
    free(work->folds);
}

/* Metrics of the fits on the test rows of one split; fills predicted and
 * observed (n_test values) for the caller to pool. */
static vt_status score_split(const train_args *args, train_state *state, irls_result *const *fits, size_t k,
                             const size_t *test_rows, size_t n_test, double *predicted, double *observed,
                             metrics *result, vt_err *err)
{
    vt_status status = predict_rows(state, fits[k], test_rows, n_test, predicted, err);
    for (size_t i = 0; status == VT_OK && i < n_test; i++)
        observed[i] = state->y[k][test_rows[i]];
    if (status == VT_OK)
        status = metrics_compute(observed, predicted, NULL, n_test, args->red_below, args->yellow_below, result, err);
    return status;
}

/* The metrics as stored in the model and as printed after the tables. */
static vt_status keep_validation(train_state *state, size_t k, const char *method, const metrics *overall,
                                 const metrics *folds, size_t n_folds, vt_err *err)
{
    size_t size = 0;
    FILE *text = open_memstream(&state->validation_text[k], &size);
    state->validation[k] = validation_json(method, overall, folds, n_folds, k == 0);
    if (text == NULL || state->validation[k] == NULL) {
        if (text)
            fclose(text);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    report_print_validation(text, target_names[k], method, overall, folds, n_folds, k == 0);
    fclose(text);
    return VT_OK;
}

static vt_status validate_holdout(const train_args *args, train_state *state, validation_work *work,
                                  const char *method, vt_err *err)
{
    size_t n = state->n_used;
    if ((state->held_out = vt_malloc(n * sizeof(int))) == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    memcpy(state->held_out, work->group, n * sizeof(int));
    size_t n_fit = rows_in(work->group, n, 0, 0, work->fit_rows), n_test = rows_in(work->group, n, 1, 0, work->test_rows);
    vt_status status = fit_rows(args, state, work->fit_rows, n_fit, NULL, &state->prepared, state->fits, err);
    for (size_t k = 0; status == VT_OK && k < state->n_targets; k++) {
        metrics result;
        status = score_split(args, state, state->fits, k, work->test_rows, n_test, work->predicted, work->observed,
                             &result, err);
        if (status == VT_OK)
            status = keep_validation(state, k, method, &result, NULL, 0, err);
    }
    return status;
}

/* Out-of-fold predictions: each fold scored by the model fitted on the others. */
static vt_status validate_folds(const train_args *args, train_state *state, validation_work *work, const char *method,
                                vt_err *err)
{
    size_t n = state->n_used, folds = args->validation.folds;
    vt_status status = VT_OK;
    double *pooled_predicted[MODEL_MAX_TARGETS] = {0};
    for (size_t k = 0; k < state->n_targets; k++)
        if ((pooled_predicted[k] = vt_malloc(n * sizeof(double))) == NULL ||
            (state->out_of_fold[k] = vt_malloc(n * sizeof(double))) == NULL)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (status == VT_OK && (state->fold_of = vt_malloc(n * sizeof(int))) == NULL)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (status == VT_OK)
        memcpy(state->fold_of, work->group, n * sizeof(int));
    size_t pooled = 0;
    for (size_t fold = 0; status == VT_OK && fold < folds; fold++) {
        size_t n_fit = rows_in(work->group, n, (int)fold, 1, work->fit_rows);
        size_t n_test = rows_in(work->group, n, (int)fold, 0, work->test_rows);
        irls_design *prepared = NULL;
        irls_result *fits[MODEL_MAX_TARGETS] = {0};
        status = fit_rows(args, state, work->fit_rows, n_fit, NULL, &prepared, fits, err);
        for (size_t k = 0; status == VT_OK && k < state->n_targets; k++) {
            status = score_split(args, state, fits, k, work->test_rows, n_test, pooled_predicted[k] + pooled,
                                 work->observed + pooled, &work->folds[k * folds + fold], err);
            for (size_t i = 0; status == VT_OK && i < n_test; i++)
                state->out_of_fold[k][work->test_rows[i]] = pooled_predicted[k][pooled + i];
        }
        pooled += n_test;
        irls_design_free(prepared);
        for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
            irls_result_free(fits[k]);
    }
    /* work->observed holds the last target's outcomes: rebuild per target. */
    for (size_t k = 0; status == VT_OK && k < state->n_targets; k++) {
        size_t at = 0;
        for (size_t fold = 0; fold < folds; fold++) {
            size_t n_test = rows_in(work->group, n, (int)fold, 0, work->test_rows);
            for (size_t i = 0; i < n_test; i++)
                work->observed[at++] = state->y[k][work->test_rows[i]];
        }
        metrics overall;
        status = metrics_compute(work->observed, pooled_predicted[k], NULL, n, args->red_below, args->yellow_below,
                                 &overall, err);
        if (status == VT_OK)
            status = keep_validation(state, k, method, &overall, work->folds + k * folds, folds, err);
    }
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
        free(pooled_predicted[k]);
    if (status == VT_OK)
        status = fit_rows(args, state, NULL, n, NULL, &state->prepared, state->fits, err);
    return status;
}

/* --l2 cv: for each target, the strength on a half-decade grid whose pooled
 * out-of-fold log-loss is lowest (ties: the stronger). */
#define L2_GRID 15
static vt_status choose_l2(const train_args *args, train_state *state, vt_err *err)
{
    size_t n = state->n_used, folds = args->validation.folds ? args->validation.folds : 5;
    validation_options split = {VALIDATE_FOLDS, 0, folds, args->validation.seed, NULL, NULL};
    int *group = vt_calloc(n, sizeof(int));
    size_t *fit_rows_list = vt_calloc(n, sizeof(size_t)), *test_rows = vt_calloc(n, sizeof(size_t));
    double *predicted = vt_calloc(n, sizeof(double)), *observed = vt_calloc(n, sizeof(double));
    double loss[MODEL_MAX_TARGETS][L2_GRID], grid[L2_GRID];
    vt_status status = VT_OK;
    if (!group || !fit_rows_list || !test_rows || !predicted || !observed)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if (status == VT_OK)
        status = validation_split(&split, state->y[0], NULL, NULL, 0, state->data->path, n, group, err);
    for (int g = 0; g < L2_GRID; g++)
        grid[g] = pow(10.0, -6.0 + 0.5 * g);
    for (int g = 0; status == VT_OK && g < L2_GRID; g++) {
        for (size_t k = 0; k < state->n_targets; k++) {
            state->l2[k] = grid[g];
            loss[k][g] = 0;
        }
        for (size_t fold = 0; status == VT_OK && fold < folds; fold++) {
            size_t n_fit = rows_in(group, n, (int)fold, 1, fit_rows_list), n_test = rows_in(group, n, (int)fold, 0, test_rows);
            irls_design *prepared = NULL;
            irls_result *fits[MODEL_MAX_TARGETS] = {0};
            status = fit_rows(args, state, fit_rows_list, n_fit, NULL, &prepared, fits, err);
            for (size_t k = 0; status == VT_OK && k < state->n_targets; k++) {
                status = predict_rows(state, fits[k], test_rows, n_test, predicted, err);
                for (size_t i = 0; status == VT_OK && i < n_test; i++) {
                    double p = fmin(fmax(predicted[i], DBL_EPSILON), 1 - DBL_EPSILON);
                    loss[k][g] -= state->y[k][test_rows[i]] == 1.0 ? log(p) : log(1 - p);
                }
            }
            irls_design_free(prepared);
            for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
                irls_result_free(fits[k]);
        }
    }
    for (size_t k = 0; status == VT_OK && k < state->n_targets; k++) {
        int best = 0;
        size_t size = 0;
        FILE *text = open_memstream(&state->l2_text[k], &size);
        state->l2_curve[k] = cJSON_CreateArray();
        if (text == NULL || state->l2_curve[k] == NULL) {
            if (text)
                fclose(text);
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        for (int g = 0; g < L2_GRID; g++)
            if (loss[k][g] <= loss[k][best])
                best = g;
        fprintf(text, "\n%s: --l2 chosen by %zu-fold cross-validated log-loss: %g\n ", target_names[k], folds, grid[best]);
        for (int g = 0; g < L2_GRID; g++) {
            cJSON *point = cJSON_CreateObject();
            json_add_exact(point, "lambda", grid[g]);
            json_add_exact(point, "log_loss", loss[k][g] / (double)n);
            json_append(state->l2_curve[k], point);
            fprintf(text, " %g:%.5f%s", grid[g], loss[k][g] / (double)n, g == best ? "*" : "");
        }
        fputc('\n', text);
        fclose(text);
        state->l2[k] = grid[best];
    }
    free(group);
    free(fit_rows_list);
    free(test_rows);
    free(predicted);
    free(observed);
    return status;
}

/* Fit the saved model (on all rows, or on the training part of a holdout
 * or time split) and, if asked, validate on rows it did not see. */
static vt_status fit_and_validate(const train_args *args, train_state *state, vt_err *err)
{
    const validation_options *options = &args->validation;
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
        state->l2[k] = args->irls.l2;
    if (args->l2_cv) {
        vt_status status = choose_l2(args, state, err);
        if (status != VT_OK)
            return status;
    }
    if (options->kind == VALIDATE_NONE)
        return fit_rows(args, state, NULL, state->n_used, NULL, &state->prepared, state->fits, err);
    size_t n = state->n_used;
    validation_work work = {0};
    work.group = vt_calloc(n, sizeof(int));
    work.fit_rows = vt_calloc(n, sizeof(size_t));
    work.test_rows = vt_calloc(n, sizeof(size_t));
    work.predicted = vt_calloc(n, sizeof(double));
    work.observed = vt_calloc(n, sizeof(double));
    work.folds = vt_calloc(MODEL_MAX_TARGETS * (options->folds ? options->folds : 1), sizeof(metrics));
    const char **dates = vt_calloc(n, sizeof(char *));
    long *lines = vt_calloc(n, sizeof(long));
    vt_status status = VT_OK;
    if (!work.group || !work.fit_rows || !work.test_rows || !work.predicted || !work.observed || !work.folds ||
        !dates || !lines)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    table_column *time = options->time_column ? table_find(state->data, options->time_column) : NULL;
    for (size_t r = 0, i = 0; status == VT_OK && r < state->data->n_rows; r++)
        if (state->row_used[r]) {
            dates[i] = time ? time->text[r] : "";
            lines[i++] = state->data->lines[r];
        }
    if (status == VT_OK)
        status = validation_split(options, state->y[0], dates, lines, time ? time->csv_index : 0, state->data->path, n,
                                  work.group, err);
    char method[160];
    validation_describe(options, method, sizeof method);
    if (status == VT_OK)
        status = options->kind == VALIDATE_FOLDS ? validate_folds(args, state, &work, method, err)
                                                 : validate_holdout(args, state, &work, method, err);
    free(dates);
    free(lines);
    validation_work_free(&work);
    return status;
}

/* A level's metrics: with a holdout or time split, its held-out rows scored
 * by the model that serves it (its own, fitted without them, or the pooled
 * one); with --folds, the pooled model's out-of-fold predictions on its rows. */
static vt_status validate_level(const train_args *args, train_state *state, model_segment *segment,
                                irls_result *const *fits, const size_t *level_rows, size_t n_level, vt_err *err)
{
    if (state->held_out == NULL && state->fold_of == NULL)
        return VT_OK;
    size_t *rows = vt_malloc((n_level ? n_level : 1) * sizeof *rows), n = 0;
    double *predicted = vt_malloc((n_level ? n_level : 1) * sizeof *predicted);
    double *observed = vt_malloc((n_level ? n_level : 1) * sizeof *observed);
    vt_status status = rows && predicted && observed ? VT_OK : vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; status == VT_OK && i < n_level; i++)
        if (state->held_out == NULL || state->held_out[level_rows[i]])
            rows[n++] = level_rows[i];
    char method[200];
    validation_describe(&args->validation, method, sizeof method);
    if (state->fold_of)
        snprintf(method + strlen(method), sizeof method - strlen(method), ", pooled model's out-of-fold predictions");
    for (size_t k = 0; status == VT_OK && k < state->n_targets; k++) {
        const irls_result *fit = segment->fallback[k] ? state->fits[k] : fits[k];
        if (state->fold_of)
            for (size_t i = 0; i < n; i++)
                predicted[i] = state->out_of_fold[k][rows[i]];
        else
            status = predict_rows(state, fit, rows, n, predicted, err);
        size_t events = 0;
        for (size_t i = 0; status == VT_OK && i < n; i++)
            events += (observed[i] = state->y[k][rows[i]]) == 1.0;
        if (status != VT_OK || events == 0 || events == n)
            continue; /* metrics need both outcomes among the level's held-out rows */
        metrics result;
        if ((status = metrics_compute(observed, predicted, NULL, n, args->red_below, args->yellow_below, &result,
                                      err)) == VT_OK)
            segment->validation[k] = validation_json(method, &result, NULL, 0, k == 0);
    }
    free(rows);
    free(predicted);
    free(observed);
    return status;
}

/* --by: a model per level of the column, on that level's rows, where the
 * level has at least 10 events (and non-events) per term; else, or if
 * its fit fails, the pooled model serves the level and the reason is kept. */
static vt_status fit_segments(const train_args *args, train_state *state, vt_err *err)
{
    const table_column *by = table_find(state->data, args->by);
    const enc_feature *feature = NULL;
    for (size_t f = 0; f < state->enc->n_features; f++)
        if (strcmp(state->enc->features[f].name, args->by) == 0)
            feature = &state->enc->features[f];
    if (feature == NULL || feature->n_levels < 2)
        return vt_err_set(err, VT_EUSAGE, state->data->path, 0, 0, "--by %s: the column has %s level among the rows used; "
                          "one model per level needs at least two", args->by, feature ? "a single" : "no");
    model *m = state->m;
    m->by_column = vt_strdup(args->by);
    m->segments = vt_calloc(feature->n_levels, sizeof(model_segment));
    size_t *positions = vt_calloc(state->n_used, sizeof(size_t)), *level_rows = vt_calloc(state->n_used, sizeof(size_t));
    if (!m->by_column || !m->segments || !positions || !level_rows) {
        free(positions);
        free(level_rows);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    size_t terms = state->enc->n_terms - feature->n_terms; /* the level's own column is constant in it */
    vt_status status = VT_OK;
    for (size_t l = 0; status == VT_OK && l < feature->n_levels; l++) {
        model_segment *segment = &m->segments[m->n_segments++];
        const char *level = feature->levels[l];
        size_t n = 0, n_level = 0;
        for (size_t r = 0, i = 0; r < state->data->n_rows; r++)
            if (state->row_used[r]) {
                if (by->codes[r] >= 0 && strcmp(dict_key(by->levels, by->codes[r]), level) == 0) {
                    level_rows[n_level++] = i;
                    if (state->held_out == NULL || !state->held_out[i])
                        positions[n++] = i; /* a holdout's rows stay unseen by every fit */
                }
                i++;
            }
        segment->level = vt_strdup(level);
        segment->n_rows = n;
        int skip[MODEL_MAX_TARGETS] = {0};
        char reason[MODEL_MAX_TARGETS][600] = {{0}};
        for (size_t k = 0; k < state->n_targets; k++) {
            size_t events = 0;
            for (size_t i = 0; i < n; i++)
                events += state->y[k][positions[i]] == 1.0;
            size_t rarer = events < n - events ? events : n - events;
            if (rarer < 10 * terms) {
                skip[k] = 1;
                snprintf(reason[k], sizeof reason[k], "%zu rows, %zu %s: fewer than 10 per term (%zu terms)", n,
                         rarer, rarer == events ? "events" : "non-events", terms);
            }
        }
        irls_design *prepared = NULL;
        irls_result *fits[MODEL_MAX_TARGETS] = {0};
        vt_err fit_err = {0};
        int any = 0;
        for (size_t k = 0; k < state->n_targets; k++)
            any |= !skip[k];
        if (any && fit_rows(args, state, positions, n, skip, &prepared, fits, &fit_err) != VT_OK)
            for (size_t k = 0; k < state->n_targets; k++)
                if (!skip[k]) {
                    skip[k] = 1;
                    snprintf(reason[k], sizeof reason[k], "its fit failed: %s", fit_err.msg);
                }
        for (size_t k = 0; status == VT_OK && k < state->n_targets; k++) {
            model_target *target = &segment->targets[k];
            if (skip[k]) {
                segment->fallback[k] = 1;
                segment->fallback_reason[k] = vt_strdup(reason[k]);
                continue;
            }
            target->name = vt_strdup(target_names[k]);
            target->label = vt_strdup(state->m->targets[k].label);
            if (!target->name || !target->label || copy_fit(target, fits[k], state->enc->n_terms) != VT_OK)
                status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
            else
                for (size_t i = 0; i < n; i++)
                    target->n_events += state->y[k][positions[i]] == 1.0;
        }
        if (status == VT_OK)
            status = validate_level(args, state, segment, fits, level_rows, n_level, err);
        irls_design_free(prepared);
        for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
            irls_result_free(fits[k]);
    }
    free(positions);
    free(level_rows);
    return status;
}

static vt_status record_targets(const train_args *args, train_state *state, vt_err *err)
{
    const char *labels[MODEL_MAX_TARGETS] = {args->churn, args->expansion};
    model *m = state->m;
    for (size_t k = 0; k < state->n_targets; k++) {
        model_target *target = &m->targets[m->n_targets++];
        target->name = vt_strdup(target_names[k]);
        target->label = vt_strdup(labels[k]);
        if (target->name == NULL || target->label == NULL || copy_fit(target, state->fits[k], state->enc->n_terms) != VT_OK)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        target->n_events = state->fit_events[k];
        target->l2 = state->l2[k];
        target->l2_curve = state->l2_curve[k];
        state->l2_curve[k] = NULL;
        target->validation = state->validation[k];
        state->validation[k] = NULL;
    }
    return VT_OK;
}

static vt_status fill_model(const train_args *args, train_state *state, const encode_report *report, vt_err *err)
{
    model *m = state->m;
    m->enc = state->enc;
    m->tool_version = vt_strdup(VT_VERSION);
    m->created_at = utc_now();
    m->data_path = vt_strdup(state->data->path);
    m->id_column = args->id ? vt_strdup(args->id) : NULL;
    m->na_tokens = vt_calloc(args->n_na, sizeof(char *));
    if (!m->tool_version || !m->created_at || !m->data_path || (args->id && !m->id_column) || !m->na_tokens)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < args->n_na; i++)
        if ((m->na_tokens[m->n_na_tokens++] = vt_strdup(args->na[i])) == NULL)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    m->data_rows = state->data->n_rows;
    m->data_bytes = state->data->bytes;
    m->data_hash = state->data->hash;
    m->rows_used = report->n_rows_used;
    m->dropped_missing_feature = report->n_dropped_missing_feature;
    m->dropped_missing_label = report->n_dropped_missing_label;
    m->delimiter = args->delimiter;
    m->max_iter = args->irls.max_iter;
    m->epsilon = args->irls.epsilon;
    m->red_below = args->red_below;
    m->yellow_below = args->yellow_below;
    m->confidence = args->confidence;
    m->firth = args->irls.firth;
    m->balance = args->balance;
    m->l2_cv = args->l2_cv;
    m->weight_column = args->weight ? vt_strdup(args->weight) : NULL;
    if (args->weight && m->weight_column == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    return VT_OK;
}

static vt_status run_train(const train_args *args, train_state *state, vt_err *err)
{
    /* The validation and ridge records are cJSON trees, which drop an item
     * whose allocation failed: a failure anywhere fails the run. */
    unsigned long failures = vt_alloc_failures();
    /* A result that cannot be written is known before the work is done. */
    vt_status status = outfile_check(args->output, err);
    if (status == VT_OK && args->fitted)
        status = outfile_check(args->fitted, err);
    if (status != VT_OK)
        return status;
    size_t n_roles = 0;
    status = build_roles(args, &state->roles, &n_roles, err);
    if (status != VT_OK)
        return status;
    table_options options = {args->delimiter, (const char *const *)args->na, args->n_na, state->roles, n_roles,
                             (size_t)args->max_levels};
    if ((status = table_read(args->data_path, &options, &state->data, err)) != VT_OK)
        return status;

    size_t *features = vt_calloc(state->data->n_columns, sizeof(size_t));
    size_t labels[MODEL_MAX_TARGETS + 1], n_features = 0, n_labels = 0;
    if (features == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t c = 0; c < state->data->n_columns; c++) {
        column_type type = state->data->columns[c].type;
        /* A weight is handled as an outcome is: needed on every row used. */
        if (type == TYPE_LABEL || (args->weight && strcmp(state->data->columns[c].name, args->weight) == 0))
            labels[n_labels++] = c;
        else if (type != TYPE_TEXT)
            features[n_features++] = c;
    }
    encode_report report;
    status = encoding_fit(state->data, features, n_features, labels, n_labels, args->missing, &state->enc,
                          &state->row_used, &report, err);
    free(features);
    if (status != VT_OK)
        return status;
    state->n_used = report.n_rows_used;
    if ((status = design_source_new(state->enc, state->data, state->row_used, &state->rows, err)) != VT_OK ||
        (status = outcome_vectors(args, state, err)) != VT_OK || (status = prior_weights(args, state, err)) != VT_OK ||
        (status = fit_and_validate(args, state, err)) != VT_OK)
        return status;
    memcpy(state->enc->term_mean, irls_design_means(state->prepared), state->enc->n_terms * sizeof(double));
    memcpy(state->enc->term_sd, irls_design_sds(state->prepared), state->enc->n_terms * sizeof(double));
    if ((state->m = model_new()) == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if ((status = fill_model(args, state, &report, err)) != VT_OK || (status = record_targets(args, state, err)) != VT_OK)
        return status;
    if (args->by && (status = fit_segments(args, state, err)) != VT_OK)
        return status;

    if (args->fitted) {
        /* Scored as predict scores them (score_eta on the saved
         * coefficients), so the two files agree to the bit. */
        double *fitted[MODEL_MAX_TARGETS] = {0}, *scored[MODEL_MAX_TARGETS] = {0};
        size_t n_rows = design_source_rows(state->rows);
        for (size_t k = 0; status == VT_OK && k < state->m->n_targets; k++) {
            if (state->fold_of) {
                fitted[k] = state->out_of_fold[k];
            } else if ((fitted[k] = scored[k] = vt_malloc((n_rows ? n_rows : 1) * sizeof(double))) == NULL) {
                status = vt_err_set(err, VT_ENOMEM, args->fitted, 0, 0, "out of memory");
            } else {
                status = predict_rows(state, state->fits[k], NULL, n_rows, scored[k], err);
            }
        }
        table_column *id = args->id ? table_find(state->data, args->id) : NULL;
        if (status == VT_OK)
            status = write_fitted(args->fitted, state->m, state->data, id, state->row_used, fitted, state->fold_of, err);
        for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
            free(scored[k]);
        if (status != VT_OK)
            return status;
    }
    if (vt_alloc_failures() != failures)
        return vt_err_set(err, VT_ENOMEM, args->output, 0, 0, "out of memory");
    if ((status = model_save(state->m, args->output, err)) != VT_OK)
        return status;
    print_notes(state->m, &report, state->data);
    if (!args->quiet) {
        FILE *out = outfile_is_stdout(args->output) ? stderr : stdout;
        for (size_t k = 0; k < state->m->n_targets; k++)
            report_print_target(out, state->m, &state->m->targets[k], state->m->confidence);
        report_print_segments(out, state->m, state->m->confidence);
        for (size_t k = 0; k < state->n_targets; k++) {
            if (state->l2_text[k])
                fputs(state->l2_text[k], out);
            if (state->validation_text[k])
                fputs(state->validation_text[k], out);
        }
    }
    return VT_OK;
}

vt_status cmd_train(int argc, char **argv, vt_err *err)
{
    train_args args = {0};
    train_state state = {0};
    args_result parsed = parse_train_args(argc, argv, &args, err);
    vt_status status = parsed == ARGS_RUN ? run_train(&args, &state, err) : args_stop(parsed, train_help, err);
    train_state_free(&state);
    args_free(train_options, &args);
    return status;
}
