/* vitals train: read labelled snapshots, fit churn (and expansion) models,
 * print R-like coefficient tables, write the model file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "commands.h"
#include "encode.h"
#include "irls.h"
#include "model.h"
#include "outfile.h"
#include "report.h"
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
    "  --delimiter D        , (default) ; tab |\n"
    "  --max-iter N         IRLS iterations (default 25)\n"
    "  --epsilon E          convergence tolerance on the deviance (default 1e-8)\n"
    "  --bands R,Y          health below R is red, below Y yellow (default 40,70)\n"
    "  --confidence L       level of the Wald intervals reported and stored (default 0.95)\n"
    "  --fitted FILE        also write the fitted probabilities of the rows used\n"
    "  --threads N          threads for the fit (default: one per core); the numbers\n"
    "                       do not depend on it\n"
    "  -o, --output FILE    model file to write (- for standard output)\n"
    "  --quiet              no coefficient tables\n";

typedef struct {
    const char *data_path, *churn, *expansion, *id, *output, *fitted;
    char **drop, **categorical, **numeric, **na;
    size_t n_drop, n_categorical, n_numeric, n_na;
    missing_policy missing;
    char delimiter;
    irls_options irls;
    double red_below, yellow_below, confidence;
    int quiet;
} train_args;

static void train_args_free(train_args *args)
{
    args_list_free(args->drop, args->n_drop);
    args_list_free(args->categorical, args->n_categorical);
    args_list_free(args->numeric, args->n_numeric);
    args_list_free(args->na, args->n_na);
}

static vt_status parse_bands(const char *text, double *red, double *yellow, vt_err *err)
{
    char extra;
    if (sscanf(text, "%lf,%lf%c", red, yellow, &extra) != 2 || !(*red > 0) || !(*yellow > *red) ||
        *yellow > 100)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0,
                          "--bands: '%s' should be two increasing numbers in (0, 100], e.g. 40,70", text);
    return VT_OK;
}

static vt_status parse_train_args(int argc, char **argv, train_args *args, vt_err *err)
{
    args->delimiter = ',';
    args->missing = MISSING_IMPUTE;
    args->red_below = 40;
    args->yellow_below = 70;
    args->confidence = 0.95;
    irls_options_default(&args->irls);
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i], *value = NULL;
        vt_status status = VT_OK;
        long whole = 0;
        if (strcmp(opt, "--quiet") == 0) {
            args->quiet = 1;
            continue;
        }
        if (opt[0] != '-' || strcmp(opt, "-") == 0) {
            if (args->data_path)
                return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "unexpected argument '%s'", opt);
            args->data_path = opt;
            continue;
        }
        if ((value = args_value(argc, argv, &i, err)) == NULL)
            return VT_EUSAGE;
        if (strcmp(opt, "--churn") == 0) args->churn = value;
        else if (strcmp(opt, "--expansion") == 0) args->expansion = value;
        else if (strcmp(opt, "--id") == 0) args->id = value;
        else if (strcmp(opt, "-o") == 0 || strcmp(opt, "--output") == 0) args->output = value;
        else if (strcmp(opt, "--fitted") == 0) args->fitted = value;
        else if (strcmp(opt, "--drop") == 0) status = args_split(value, &args->drop, &args->n_drop, err);
        else if (strcmp(opt, "--categorical") == 0) status = args_split(value, &args->categorical, &args->n_categorical, err);
        else if (strcmp(opt, "--numeric") == 0) status = args_split(value, &args->numeric, &args->n_numeric, err);
        else if (strcmp(opt, "--na") == 0) status = args_split(value, &args->na, &args->n_na, err);
        else if (strcmp(opt, "--bands") == 0) status = parse_bands(value, &args->red_below, &args->yellow_below, err);
        else if (strcmp(opt, "--confidence") == 0) status = args_confidence(value, &args->confidence, err);
        else if (strcmp(opt, "--epsilon") == 0) {
            status = args_double(opt, value, &args->irls.epsilon, err);
            if (status == VT_OK && !(args->irls.epsilon > 0))
                status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--epsilon must be positive");
        } else if (strcmp(opt, "--threads") == 0) {
            status = args_long(opt, value, 1, 256, &whole, err);
            args->irls.threads = (size_t)whole;
        } else if (strcmp(opt, "--max-iter") == 0) {
            status = args_long(opt, value, 1, 10000, &whole, err);
            args->irls.max_iter = (int)whole;
        } else if (strcmp(opt, "--missing") == 0) {
            if (missing_policy_parse(value, &args->missing))
                status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--missing: '%s' is not impute, drop or error", value);
        } else if (strcmp(opt, "--delimiter") == 0) {
            if ((args->delimiter = csv_parse_delimiter(value)) == 0)
                status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--delimiter: '%s' is not , ; tab or |", value);
        } else {
            return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "train: unknown option '%s' (see vitals train --help)", opt);
        }
        if (status != VT_OK)
            return status;
    }
    if (args->data_path == NULL)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "train: no data file given (see vitals train --help)");
    if (args->churn == NULL)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "train: --churn COL is required");
    if (args->output == NULL)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "train: -o MODEL.json is required");
    if (args->expansion && strcmp(args->expansion, args->churn) == 0)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--churn and --expansion name the same column");
    return VT_OK;
}

/* Column roles from the options; a column named by two of them is an error. */
static vt_status build_roles(const train_args *args, table_role **roles_out, size_t *n_roles, vt_err *err)
{
    size_t cap = 3 + args->n_drop + args->n_categorical + args->n_numeric;
    table_role *roles = vt_calloc(cap, sizeof *roles);
    if (roles == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    size_t n = 0;
    roles[n++] = (table_role){args->churn, ROLE_LABEL, "--churn"};
    if (args->expansion)
        roles[n++] = (table_role){args->expansion, ROLE_LABEL, "--expansion"};
    if (args->id)
        roles[n++] = (table_role){args->id, args->fitted ? ROLE_TEXT : ROLE_SKIP, "--id"};
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
    for (size_t f = 0; f < m->enc->n_features; f++)
        if (m->enc->features[f].n_imputed)
            fprintf(stderr, "vitals: column '%s': %zu missing cells imputed (%s)\n", m->enc->features[f].name,
                    m->enc->features[f].n_imputed,
                    m->enc->features[f].type == TYPE_NUMERIC ? "mean + indicator" : "own level");
    for (size_t k = 0; k < m->n_targets; k++) {
        const model_target *target = &m->targets[k];
        for (size_t t = 0; t < m->enc->n_terms; t++)
            if (target->aliased[t])
                fprintf(stderr, "vitals: %s: term '%s' dropped as aliased: %s\n", target->name,
                        m->enc->term_names[t], target->alias_reason[t]);
        if (!target->converged)
            fprintf(stderr, "vitals: warning: %s model did not converge in %d iterations\n", target->name,
                    target->iterations);
        if (target->n_boundary)
            fprintf(stderr, "vitals: warning: %s model: %zu fitted probabilities numerically 0 or 1 "
                            "(separation?)\n", target->name, target->n_boundary);
    }
}

static vt_status write_fitted(const char *path, const model *m, const table *data, const table_column *id,
                              const unsigned char *row_used, double *const *fitted, vt_err *err)
{
    outfile *file = NULL;
    vt_status status = outfile_open(path, &file, err);
    if (status != VT_OK)
        return status;
    FILE *out = outfile_stream(file);
    fputs(id ? id->name : "row", out);
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
    design_source *rows;
    irls_design *prepared;
    double *y;
    irls_result *fits[MODEL_MAX_TARGETS];
    model *m;
    table_role *roles;
} train_state;

static void train_state_free(train_state *state)
{
    table_free(state->data);
    free(state->row_used);
    design_source_free(state->rows);
    irls_design_free(state->prepared);
    free(state->y);
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
        irls_result_free(state->fits[k]);
    if (state->m)
        model_free(state->m);
    else
        encoding_free(state->enc);
    free(state->roles);
}

static vt_status fit_targets(const train_args *args, train_state *state, const encode_report *report, vt_err *err)
{
    const char *labels[MODEL_MAX_TARGETS] = {args->churn, args->expansion};
    const char *names[MODEL_MAX_TARGETS] = {"churn", "expansion"};
    model *m = state->m;
    size_t n_terms = state->enc->n_terms;
    for (size_t k = 0; k < MODEL_MAX_TARGETS && labels[k]; k++) {
        table_column *label = table_find(state->data, labels[k]);
        size_t n_events = 0;
        free(state->y);
        state->y = NULL;
        vt_status status = label_vector(state->data, label, state->row_used, report->n_rows_used, &state->y,
                                        &n_events, err);
        if (status != VT_OK)
            return status;
        status = irls_fit(state->prepared, state->y, &args->irls, &state->fits[k], err);
        if (status != VT_OK) {
            char detail[sizeof err->msg];
            snprintf(detail, sizeof detail, "%s", err->msg);
            return vt_err_set(err, status, state->data->path, 0, 0, "fitting the %s model: %s", names[k], detail);
        }
        model_target *target = &m->targets[m->n_targets++];
        target->name = vt_strdup(names[k]);
        target->label = vt_strdup(labels[k]);
        if (target->name == NULL || target->label == NULL || copy_fit(target, state->fits[k], n_terms) != VT_OK)
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        target->n_events = n_events;
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
    return VT_OK;
}

static void fill_rows(const void *source, size_t first, size_t count, double *out)
{
    design_source_fill(source, first, count, out);
}

static vt_status run_train(const train_args *args, train_state *state, vt_err *err)
{
    size_t n_roles = 0;
    vt_status status = build_roles(args, &state->roles, &n_roles, err);
    if (status != VT_OK)
        return status;
    table_options options = {args->delimiter, (const char *const *)args->na, args->n_na, state->roles, n_roles};
    if ((status = table_read(args->data_path, &options, &state->data, err)) != VT_OK)
        return status;

    size_t *features = vt_calloc(state->data->n_columns, sizeof(size_t));
    size_t labels[MODEL_MAX_TARGETS], n_features = 0, n_labels = 0;
    if (features == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t c = 0; c < state->data->n_columns; c++) {
        column_type type = state->data->columns[c].type;
        if (type == TYPE_LABEL)
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
    if ((status = design_source_new(state->enc, state->data, state->row_used, &state->rows, err)) != VT_OK)
        return status;
    /* One prepared design (aliases found, columns scaled) serves both targets. */
    status = irls_design_new(fill_rows, state->rows, report.n_rows_used, state->enc->n_terms,
                             state->enc->term_names, args->irls.threads, &state->prepared, err);
    if (status != VT_OK)
        return status;
    memcpy(state->enc->term_mean, irls_design_means(state->prepared), state->enc->n_terms * sizeof(double));
    memcpy(state->enc->term_sd, irls_design_sds(state->prepared), state->enc->n_terms * sizeof(double));
    if ((state->m = model_new()) == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    if ((status = fill_model(args, state, &report, err)) != VT_OK ||
        (status = fit_targets(args, state, &report, err)) != VT_OK)
        return status;

    if (args->fitted) {
        double *fitted[MODEL_MAX_TARGETS] = {0};
        for (size_t k = 0; k < state->m->n_targets; k++)
            fitted[k] = state->fits[k]->fitted;
        table_column *id = args->id ? table_find(state->data, args->id) : NULL;
        if ((status = write_fitted(args->fitted, state->m, state->data, id, state->row_used, fitted, err)) != VT_OK)
            return status;
    }
    if ((status = model_save(state->m, args->output, err)) != VT_OK)
        return status;
    print_notes(state->m, &report, state->data);
    if (!args->quiet) {
        FILE *out = strcmp(args->output, "-") == 0 ? stderr : stdout;
        for (size_t k = 0; k < state->m->n_targets; k++)
            report_print_target(out, state->m, &state->m->targets[k], state->m->confidence);
    }
    return VT_OK;
}

vt_status cmd_train(int argc, char **argv, vt_err *err)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(train_help, stdout);
            return VT_OK;
        }
    train_args args = {0};
    train_state state = {0};
    vt_status status = parse_train_args(argc, argv, &args, err);
    if (status == VT_OK)
        status = run_train(&args, &state, err);
    train_state_free(&state);
    train_args_free(&args);
    return status;
}
