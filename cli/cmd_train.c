/* vitals train: options in, train_run, then the model file and the report
 * (notes on stderr; coefficient tables, ridge curves and validation metrics
 * on stdout, or on stderr when the model goes to stdout). */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "model.h"
#include "outfile.h"
#include "db_args.h"
#include "report.h"
#include "train.h"
static const char train_help[] =
    "usage: vitals train DATA.csv --churn COL [--expansion COL] [options] -o MODEL.json\n"
    "       vitals train DATA.csv --expansion COL [options] -o MODEL.json\n"
    "       vitals train postgresql://... --query SQL|--table NAME --churn COL [options] -o MODEL.json\n"
    "\n"
    "Fit logistic-regression churn (and expansion) models as R's glm does.  With\n"
    "--expansion alone, a propensity model: its probability only, no health,\n"
    "bucket or bands (those come from the churn risk).\n"
    "\n"
    DB_ARGS_HELP
    "  --churn COL          churn label column (0/1, yes/no, true/false, t/f)\n"
    "  --expansion COL      expansion label column, fitted as a second model (or alone)\n"
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
    "                       with fewer than 10 events per term uses the pooled model; a\n"
    "                       level's fits leave out COL itself and a COL_missing with fewer\n"
    "                       than 10 missing cells in the level (or all of one outcome),\n"
    "                       noted, 0 there; with --holdout, --folds or --time-col the\n"
    "                       judged rows routed by level against the pooled model\n"
    "  --l2 LAMBDA|cv       ridge as glmnet's alpha = 0, intercept free: maximise loglik/n -\n"
    "                       LAMBDA/2 sum((beta_j sd_j)^2), sd_j with divisor n (weighted: n = sum of\n"
    "                       weights); cv picks LAMBDA per target by K-fold log-loss (K = --folds or 5)\n"
    "                       on a 1e-6..10 grid\n"
    "  --firth              Firth's penalised likelihood: finite estimates when a column\n"
    "                       (or a combination) separates the outcome\n"
    "  --smooth auto|COL[:K],...\n"
    "                       penalised cubic regression splines, R mgcv's s(COL, bs = \"cr\",\n"
    "                       k = K) (K = 10; fewer distinct values: that many; fewer than 4:\n"
    "                       linear); auto: every numeric feature (auto,COL:K: and COL with K);\n"
    "                       each smoothing parameter\n"
    "                       chosen by REML as gam(method = \"REML\") does\n"
    "  --sp COL=VALUE,...   fix smoothing parameters instead (mgcv's sp =)\n"
    "  --interact A:B,...   interactions, R's A:B with the main effects kept: the product\n"
    "                       of two numeric columns, a slope per level of a categorical one,\n"
    "                       or a term per cell of two categorical ones; a --smooth column\n"
    "                       with a categorical one: a curve per level, mgcv's s(A, by = B)\n"
    "                       (each level's smoothing parameter by REML)\n"
    "  --interact auto[:N]  rank every pair by a score test on the additive fit, try the\n"
    "                       N best (default 3) one at a time and keep each that lowers the\n"
    "                       held-out log-loss (with --holdout, --folds, --time-col) or AIC\n"
    "  --epsilon E          convergence tolerance on the deviance (default 1e-8)\n"
    "  --red-share S --yellow-share S\n"
    "                       set the bands so those shares of the fitting rows are red\n"
    "                       and yellow, an alert budget (default 0.05 and 0.15: the\n"
    "                       riskiest 5% red, the next 15% yellow; with --by each row\n"
    "                       scored by its level's model); the shares on held-out (or\n"
    "                       out-of-fold) rows are reported\n"
    "  --bands R,Y          absolute cut-offs instead: health below R is red, below Y\n"
    "                       yellow (e.g. 40,70)\n"
    "  --confidence L       level of the Wald intervals reported and stored (default 0.95)\n"
    "  --fitted FILE        also write, per row used, its id (or line), each target's\n"
    "                       probability and observed outcome; with --holdout or\n"
    "                       --time-col whether it was fitted or held out; with\n"
    "                       --folds its fold and out-of-fold prediction\n"
    "  --holdout FRAC       fit on the rest, report metrics on FRAC of the rows held out\n"
    "                       (stratified by the first target, seeded: --seed N)\n"
    "  --folds K            stratified K-fold cross-validation: metrics per fold, their mean\n"
    "                       and sd, and on the pooled out-of-fold predictions; the model\n"
    "                       is then fitted on every row\n"
    "  --time-col COL --holdout-after DATE\n"
    "                       fit on rows dated up to DATE (ISO), judge on the later ones\n"
    "  --threads N          threads for the fit (default: one per core); the numbers\n"
    "                       do not depend on it\n"
    "  --memory-limit SIZE  memory the table may take (e.g. 256M, 4G; default: half the\n"
    "                       machine's); a larger file is read again on each pass instead,\n"
    "                       with the same model (plain fits only; not standard input)\n"
    "  -o, --output FILE    model file to write (- for standard output)\n"
    "  --quiet              no coefficient tables\n";

/* The spec plus what only the command line has. */
typedef struct {
    train_spec spec;
    db_args db;
    const char *output;
    const char *holdout_after;
    int max_iter;    /* --max-iter; 0 when not given */
    int bands_given; /* --bands: absolute cut-offs, no shares */
    double red_share, yellow_share; /* --red-share, --yellow-share; 0 when not given */
    int quiet;
    long max_levels; /* --max-levels; 0 when not given */
} train_args;

/* --bands R,Y */
static vt_status parse_bands(void *options, const char *name, const char *text, vt_err *err)
{
    train_args *args = options;
    double *red = &args->spec.red_below, *yellow = &args->spec.yellow_below;
    char extra;
    args->bands_given = 1;
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
        args->spec.l2_cv = 1;
        return VT_OK;
    }
    vt_status status = args_double(name, text, &args->spec.irls.l2, err);
    if (status == VT_OK && !(args->spec.irls.l2 > 0))
        status = vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: '%s' is not a positive strength or cv", name, text);
    return status;
}

/* --memory-limit SIZE: bytes, or with a K, M, G or T suffix (powers of 1024). */
static vt_status parse_memory_limit(void *options, const char *name, const char *text, vt_err *err)
{
    train_args *args = options;
    char *end = NULL;
    unsigned long long value = strtoull(text, &end, 10);
    const char *units = "KMGT", *unit = *end ? strchr(units, *end & ~0x20) : NULL;
    int shift = unit ? 10 * (int)(unit - units + 1) : 0;
    if (end == text || text[0] == '-' || (*end && (unit == NULL || end[1] != '\0')) || value == 0 ||
        value > (UINT64_MAX >> shift))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "%s: '%s' is not a size such as 256M or 4G", name, text);
    args->spec.memory_limit = (uint64_t)value << shift;
    return VT_OK;
}

static const char *const missing_policies[] = {"impute", "drop", "error", NULL}; /* in missing_policy order */

static const arg_spec train_options[] = {
    {"--churn", NULL, ARG_STRING, ARG_AT(train_args, spec.churn)},
    {"--expansion", NULL, ARG_STRING, ARG_AT(train_args, spec.expansion)},
    {"--id", NULL, ARG_STRING, ARG_AT(train_args, spec.id)},
    {"--drop", NULL, ARG_LIST, ARG_LIST_AT(train_args, spec.drop, spec.n_drop)},
    {"--categorical", NULL, ARG_LIST, ARG_LIST_AT(train_args, spec.categorical, spec.n_categorical)},
    {"--numeric", NULL, ARG_LIST, ARG_LIST_AT(train_args, spec.numeric, spec.n_numeric)},
    {"--na", NULL, ARG_LIST, ARG_LIST_AT(train_args, spec.na, spec.n_na)},
    {"--missing", NULL, ARG_CHOICE, ARG_AT(train_args, spec.missing), .choices = missing_policies},
    {"--delimiter", NULL, ARG_DELIMITER, ARG_AT(train_args, spec.delimiter)},
    {"--max-iter", NULL, ARG_LONG, ARG_AT(train_args, max_iter), .min = 1, .max = 10000},
    {"--max-levels", NULL, ARG_LONG, ARG_AT(train_args, max_levels), .min = 1, .max = 1000000000L},
    {"--weight", NULL, ARG_STRING, ARG_AT(train_args, spec.weight)},
    {"--balance", NULL, ARG_FLAG, ARG_AT(train_args, spec.balance)},
    {"--by", NULL, ARG_STRING, ARG_AT(train_args, spec.by)},
    {"--l2", NULL, ARG_CUSTOM, .parse = parse_l2},
    {"--firth", NULL, ARG_FLAG, ARG_AT(train_args, spec.irls.firth)},
    {"--smooth", NULL, ARG_STRING, ARG_AT(train_args, spec.smooth)},
    {"--sp", NULL, ARG_STRING, ARG_AT(train_args, spec.sp)},
    {"--interact", NULL, ARG_STRING, ARG_AT(train_args, spec.interact)},
    {"--epsilon", NULL, ARG_POSITIVE, ARG_AT(train_args, spec.irls.epsilon)},
    {"--bands", NULL, ARG_CUSTOM, .parse = parse_bands},
    {"--red-share", NULL, ARG_SHARE, ARG_AT(train_args, red_share)},
    {"--yellow-share", NULL, ARG_SHARE, ARG_AT(train_args, yellow_share)},
    {"--confidence", NULL, ARG_SHARE, ARG_AT(train_args, spec.confidence), .what = "a level between 0 and 1"},
    {"--fitted", NULL, ARG_STRING, ARG_AT(train_args, spec.fitted)},
    {"--holdout", NULL, ARG_SHARE, ARG_AT(train_args, spec.validation.holdout)},
    {"--folds", NULL, ARG_LONG, ARG_AT(train_args, spec.validation.folds), .min = 2, .max = 100},
    {"--seed", NULL, ARG_LONG, ARG_AT(train_args, spec.validation.seed), .min = 0, .max = LONG_MAX},
    {"--time-col", NULL, ARG_STRING, ARG_AT(train_args, spec.validation.time_column)},
    {"--holdout-after", NULL, ARG_STRING, ARG_AT(train_args, holdout_after)},
    {"--threads", NULL, ARG_LONG, ARG_AT(train_args, spec.threads), .min = 1, .max = 256},
    {"--memory-limit", NULL, ARG_CUSTOM, .parse = parse_memory_limit},
    {"--output", "-o", ARG_STRING, ARG_AT(train_args, output), .required = 1},
    {"--query", NULL, ARG_STRING, ARG_AT(train_args, db.query)},
    {"--table", NULL, ARG_STRING, ARG_AT(train_args, db.table)},
    {"--quiet", NULL, ARG_FLAG, ARG_AT(train_args, quiet)},
    {0},
};

static const arg_spec train_positionals[] = {
    {"DATA.csv", NULL, ARG_STRING, ARG_AT(train_args, spec.data_path)},
    {0},
};

static args_result parse_train_args(int argc, char **argv, train_args *args, vt_err *err)
{
    train_spec_default(&args->spec);
    args_result parsed = args_parse(argc, argv, train_options, train_positionals, args, err);
    if (parsed != ARGS_RUN)
        return parsed;
    if (args->max_iter)
        args->spec.irls.max_iter = args->max_iter;
    args->spec.max_levels = (size_t)args->max_levels;
    args->spec.validation.after = args->holdout_after;
    if (args->bands_given && (args->red_share > 0 || args->yellow_share > 0)) {
        vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--bands sets absolute cut-offs, --red-share and --yellow-share "
                                               "shares of the rows: choose one");
        return ARGS_FAIL;
    }
    if (args->bands_given || args->red_share > 0 || args->yellow_share > 0) { /* else the default shares */
        args->spec.red_share = args->red_share;
        args->spec.yellow_share = args->yellow_share;
    }
    if (db_args_resolve(args->spec.data_path, &args->db, NULL, args->spec.delimiter, err) != VT_OK)
        return ARGS_FAIL;
    args->spec.query = args->db.query;
    return train_spec_check(&args->spec, args->max_iter != 0, err) == VT_OK ? ARGS_RUN : ARGS_FAIL;
}

/* The model saved, then what the run noted, the tables (unless --quiet) and
 * the validation. */
static vt_status save_and_report(const train_args *args, const model *m, const train_notes *notes, vt_err *err)
{
    vt_status status = model_save(m, args->output, err);
    if (status != VT_OK)
        return status;
    report_print_train_notes(stderr, m, &notes->rows);
    if (notes->n_smooths)
        fprintf(stderr, "vitals: %zu smooth term%s, smoothing parameters %s\n", notes->n_smooths,
                notes->n_smooths == 1 ? "" : "s",
                args->spec.sp ? "fixed by --sp where given, else by REML" : "by REML");
    if (notes->row_counters)
        fprintf(stderr, "vitals: %s number%s the rows (1, 2, 3, ... in file order): a row index, not a feature of "
                        "the accounts; leave it out with --drop\n",
                notes->row_counters, strchr(notes->row_counters, ',') ? "" : "s");
    for (const char *line = notes->collinear; line && *line;) { /* one line per group */
        const char *end = strchr(line, '\n');
        fprintf(stderr, "vitals: note: %.*s\n", (int)(end - line), line);
        line = end + 1;
    }
    if (notes->smooth_linear)
        fprintf(stderr, "vitals: --smooth: kept linear, fewer than 4 distinct values: %s\n", notes->smooth_linear);
    if (notes->pairs_searched) {
        size_t tried = 0, kept = 0;
        for (size_t i = 0; i < notes->pairs.n_trials; i++) {
            tried += notes->pairs.trials[i].tried;
            kept += notes->pairs.trials[i].kept;
        }
        fprintf(stderr, "vitals: --interact auto: %zu of %zu pairs tried, %zu kept", tried, notes->pairs.n_ranked, kept);
        for (size_t i = 0, n = 0; i < notes->pairs.n_trials; i++)
            if (notes->pairs.trials[i].kept) {
                char name[VT_QUOTE_SIZE];
                vt_quote(name, sizeof name, notes->pairs.trials[i].name, strlen(notes->pairs.trials[i].name));
                fprintf(stderr, "%s%s", n++ ? ", " : ": ", name);
            }
        fputc('\n', stderr);
    }
    if (notes->streamed)
        fprintf(stderr, "vitals: the table would take %.0f MiB, over the memory limit: %s was read again on "
                        "each pass\n", (double)notes->table_bytes / 1048576, m->data_path);
    if (notes->bands_set) {
        fprintf(stderr, "vitals: bands from shares: red below %g, yellow below %g: red %.1f%%, yellow %.1f%% of the "
                        "%zu fitting rows%s", notes->red_below, notes->yellow_below, 100 * notes->fit_share[0],
                100 * notes->fit_share[1], notes->n_fit_banded,
                m->by_column ? ", each scored by its level's model" : "");
        if (notes->n_judged)
            fprintf(stderr, "; red %.1f%%, yellow %.1f%% of the %zu %s rows", 100 * notes->judged_share[0],
                    100 * notes->judged_share[1], notes->n_judged,
                    args->spec.validation.kind == VALIDATE_FOLDS ? "out-of-fold" : "held-out");
        fprintf(stderr, " (asked: red %g, yellow %g%s)\n", args->spec.red_share, args->spec.yellow_share,
                args->red_share > 0 ? "" : ", the default; --bands R,Y sets absolute cut-offs");
    } else if (!model_has_health(m)) {
        fprintf(stderr, "vitals: no churn target: the model gives the expansion probability, no health, bucket or "
                        "bands (health is 100 x (1 - churn risk))\n");
    } else {
        fprintf(stderr, "vitals: bands absolute (--bands): red below %g, yellow below %g\n", m->red_below,
                m->yellow_below);
    }
    /* --quiet leaves out the coefficient tables only: what the validation,
     * the --l2 cv curve and the pair search found is the run's answer. */
    FILE *out = outfile_is_stdout(args->output) ? stderr : stdout;
    for (size_t k = 0; !args->quiet && k < m->n_targets; k++)
        report_print_target(out, m, &m->targets[k], m->confidence);
    if (!args->quiet)
        report_print_segments(out, m, m->confidence);
    report_print_routing(out, m);
    report_print_train_results(out, notes);
    return VT_OK;
}

static vt_status run_train(const train_args *args, vt_err *err)
{
    /* A model that cannot be written is known before the work is done. */
    vt_status status = outfile_check(args->output, err);
    if (status != VT_OK)
        return status;
    model *m = NULL;
    train_notes notes;
    if ((status = train_run(&args->spec, &m, &notes, err)) == VT_OK)
        status = save_and_report(args, m, &notes, err);
    model_free(m);
    train_notes_free(&notes);
    return status;
}

vt_status cmd_train(int argc, char **argv, vt_err *err)
{
    train_args args = {0};
    args_result parsed = parse_train_args(argc, argv, &args, err);
    vt_status status = parsed == ARGS_RUN ? run_train(&args, err) : args_stop(parsed, train_help, err);
    args_free(train_options, &args);
    db_args_free(&args.db);
    train_spec_free(&args.spec);
    return status;
}
