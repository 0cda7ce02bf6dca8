#include "validate.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* splitmix64: a small, well-mixed, seeded sequence for the shuffles. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static void shuffle(size_t *items, size_t n, uint64_t *state)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(next_random(state) % i);
        size_t keep = items[i - 1];
        items[i - 1] = items[j];
        items[j] = keep;
    }
}

int validation_is_date(const char *text)
{
    for (int i = 0; i < 10; i++) {
        int want_dash = i == 4 || i == 7;
        if (want_dash ? text[i] != '-' : !isdigit((unsigned char)text[i]))
            return 0;
    }
    int month = (text[5] - '0') * 10 + (text[6] - '0'), day = (text[8] - '0') * 10 + (text[9] - '0');
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return 0;
    return text[10] == '\0' || text[10] == 'T' || text[10] == ' ';
}

/* Each outcome's rows shuffled, then dealt: the first share to the holdout
 * (holdout) or round-robin over the folds (folds). */
static vt_status stratified(const validation_options *options, const double *stratify, size_t n, int *group)
{
    size_t *rows = vt_malloc((n ? n : 1) * sizeof *rows);
    if (rows == NULL)
        return VT_ENOMEM;
    uint64_t state = options->seed;
    size_t dealt = 0; /* the next outcome's deal continues where this one stopped */
    for (int outcome = 0; outcome <= 1; outcome++) {
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
            if ((stratify[i] == 1.0) == outcome)
                rows[count++] = i;
        shuffle(rows, count, &state);
        size_t held = (size_t)llround(options->holdout * (double)count);
        for (size_t r = 0; r < count; r++)
            group[rows[r]] = options->kind == VALIDATE_FOLDS ? (int)((dealt + r) % options->folds) : r < held;
        dealt += count;
    }
    free(rows);
    return VT_OK;
}

vt_status validation_split(const validation_options *options, const double *stratify, const char *const *dates,
                           const long *lines, long date_col, const char *path, size_t n, int *group, vt_err *err)
{
    if (options->kind == VALIDATE_TIME) {
        size_t held = 0;
        for (size_t i = 0; i < n; i++) {
            char shown[VT_QUOTE_SIZE];
            if (!validation_is_date(dates[i]))
                return vt_err_set(err, VT_EDATA, path, lines[i], date_col + 1,
                                  "--time-col: '%s' is not an ISO date (YYYY-MM-DD)",
                                  vt_quote(shown, sizeof shown, dates[i], strlen(dates[i])));
            group[i] = strncmp(dates[i], options->after, 10) > 0;
            held += (size_t)group[i];
        }
        if (held == 0 || held == n)
            return vt_err_set(err, VT_EDATA, path, 0, 0, "--holdout-after %s leaves %s rows", options->after,
                              held == 0 ? "no held-out" : "no training");
        return VT_OK;
    }
    if (stratified(options, stratify, n, group) != VT_OK)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    return VT_OK;
}

void validation_describe(const validation_options *options, char *text, size_t size)
{
    switch (options->kind) {
    case VALIDATE_HOLDOUT:
        snprintf(text, size, "stratified holdout of %g, seed %llu", options->holdout,
                 (unsigned long long)options->seed);
        break;
    case VALIDATE_FOLDS:
        snprintf(text, size, "stratified %zu-fold cross-validation, seed %llu", options->folds,
                 (unsigned long long)options->seed);
        break;
    case VALIDATE_TIME:
        snprintf(text, size, "time split: %s after %s held out", options->time_column, options->after);
        break;
    case VALIDATE_NONE:
        snprintf(text, size, "none");
        break;
    }
}

void validation_fold_summary(const metrics *folds, size_t n_folds, metrics *mean, metrics *sd)
{
    memset(mean, 0, sizeof *mean);
    memset(sd, 0, sizeof *sd);
    for (size_t k = 0; k < n_folds; k++) {
        mean->roc_auc += folds[k].roc_auc / (double)n_folds;
        mean->average_precision += folds[k].average_precision / (double)n_folds;
        mean->log_loss += folds[k].log_loss / (double)n_folds;
        mean->brier += folds[k].brier / (double)n_folds;
    }
    for (size_t k = 0; k < n_folds; k++) {
        sd->roc_auc += (folds[k].roc_auc - mean->roc_auc) * (folds[k].roc_auc - mean->roc_auc);
        sd->average_precision += (folds[k].average_precision - mean->average_precision) *
                                 (folds[k].average_precision - mean->average_precision);
        sd->log_loss += (folds[k].log_loss - mean->log_loss) * (folds[k].log_loss - mean->log_loss);
        sd->brier += (folds[k].brier - mean->brier) * (folds[k].brier - mean->brier);
    }
    double scale = n_folds > 1 ? 1.0 / (double)(n_folds - 1) : 0.0;
    sd->roc_auc = sqrt(sd->roc_auc * scale);
    sd->average_precision = sqrt(sd->average_precision * scale);
    sd->log_loss = sqrt(sd->log_loss * scale);
    sd->brier = sqrt(sd->brier * scale);
}

static cJSON *metrics_json(const metrics *m, int with_buckets)
{
    cJSON *item = cJSON_CreateObject();
    cJSON_AddNumberToObject(item, "rows", (double)m->n);
    json_add_exact(item, "events", m->events);
    json_add_exact(item, "roc_auc", m->roc_auc);
    json_add_exact(item, "pr_auc", m->average_precision);
    json_add_exact(item, "log_loss", m->log_loss);
    json_add_exact(item, "brier", m->brier);
    json_add_exact(item, "top_decile_capture", m->top_decile_capture);
    json_add_exact(item, "top_decile_lift", m->top_decile_lift);
    json_add_exact(item, "hosmer_lemeshow", m->hosmer_lemeshow);
    json_add_exact(item, "hosmer_lemeshow_df", m->hosmer_lemeshow_df);
    json_add_exact(item, "hosmer_lemeshow_p", m->hosmer_lemeshow_p);
    cJSON *deciles = cJSON_AddArrayToObject(item, "calibration_deciles");
    for (size_t g = 0; g < m->n_deciles; g++) {
        cJSON *bin = cJSON_CreateObject();
        json_add_exact(bin, "mean_predicted", m->deciles[g].mean_predicted);
        json_add_exact(bin, "observed_rate", m->deciles[g].observed_rate);
        cJSON_AddNumberToObject(bin, "rows", (double)m->deciles[g].count);
        json_append(deciles, bin);
    }
    if (!with_buckets)
        return item;
    static const char *const names[] = {"red", "yellow", "green"};
    cJSON *buckets = cJSON_AddObjectToObject(item, "buckets");
    for (int b = 0; b < 3; b++) {
        cJSON *bucket = cJSON_AddObjectToObject(buckets, names[b]);
        cJSON_AddNumberToObject(bucket, "rows", (double)m->bucket_rows[b]);
        json_add_exact(bucket, "events", m->bucket_events[b]);
    }
    return item;
}

cJSON *validation_json(const char *method, const metrics *overall, const metrics *folds, size_t n_folds,
                       int with_buckets)
{
    cJSON *item = cJSON_CreateObject();
    cJSON_AddStringToObject(item, "method", method);
    json_attach(item, "metrics", metrics_json(overall, with_buckets));
    if (n_folds > 0) {
        cJSON *list = cJSON_AddArrayToObject(item, "folds");
        for (size_t k = 0; k < n_folds; k++)
            json_append(list, metrics_json(&folds[k], with_buckets));
        metrics mean, sd;
        validation_fold_summary(folds, n_folds, &mean, &sd);
        const char *names[] = {"fold_mean", "fold_sd"};
        const metrics *values[] = {&mean, &sd};
        for (int v = 0; v < 2; v++) {
            cJSON *summary = cJSON_AddObjectToObject(item, names[v]);
            json_add_exact(summary, "roc_auc", values[v]->roc_auc);
            json_add_exact(summary, "pr_auc", values[v]->average_precision);
            json_add_exact(summary, "log_loss", values[v]->log_loss);
            json_add_exact(summary, "brier", values[v]->brier);
        }
    }
    return item;
}
