/* vitals compare: a learned model beside the hand-set scorecard, on the same
 * labelled rows: "were our churners the ones the score flagged?" */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "buf.h"
#include "commands.h"
#include "csv_reader.h"
#include "encode.h"
#include "json.h"
#include "metrics.h"
#include "model.h"
#include "outfile.h"
#include "score.h"
#include "scorecard.h"
#include "table.h"

static const char compare_help[] =
    "usage: vitals compare MODEL.json SCORECARD.json LABELLED.csv [--target churn] [--missed N]\n"
    "                      [--json] [-o FILE] [--scores FILE]\n"
    "\n"
    "Put the learned model and the hand-set scorecard on the same labelled rows:\n"
    "weights on one scale (share of the scorecard's weight beside the share of the\n"
    "model's standardised coefficients, levels grouped) with their rank correlation\n"
    "and the columns whose signs disagree; ROC AUC, PR AUC, capture of the top decile\n"
    "and the event rate per bucket of each; the bucket cross-table; the events each one\n"
    "missed that the other flagged (first N ids, default 10); and the scorecard red\n"
    "cut-off that would alert the share of accounts the model puts in red.\n"
    "--scores writes id,outcome,model_risk,scorecard_health per row.\n";

typedef struct {
    double *y, *risk, *health;
    unsigned char *model_bucket, *card_bucket;
    char **ids;
    size_t n, cap, skipped;
} rows;

static void rows_free(rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->ids[i]);
    free(r->ids);
    free(r->y);
    free(r->risk);
    free(r->health);
    free(r->model_bucket);
    free(r->card_bucket);
}

/* Room for one more row in every column (they share one capacity). */
static int rows_grow(rows *r)
{
    if (r->n < r->cap)
        return 0;
    void **columns[] = {(void **)&r->y, (void **)&r->risk, (void **)&r->health, (void **)&r->model_bucket,
                        (void **)&r->card_bucket, (void **)&r->ids};
    size_t sizes[] = {sizeof(double), sizeof(double), sizeof(double), 1, 1, sizeof(char *)};
    size_t cap = r->cap;
    for (size_t c = 0; c < sizeof sizes / sizeof sizes[0]; c++) {
        cap = r->cap;
        if (vt_grow(columns[c], &cap, r->n + 1, sizes[c]) != 0)
            return -1;
    }
    r->cap = cap;
    return 0;
}

/* Read the labelled file once: each row's outcome, model risk and scorecard result. */
static vt_status read_rows(const model *m, size_t target, const scorecard *card, const char *path, rows *out,
                           vt_err *err)
{
    csv_reader *csv = NULL;
    vt_status status = csv_reader_open(path, m->delimiter, &csv, err);
    if (status != VT_OK)
        return status;
    size_t n_columns = csv_reader_n_columns(csv);
    const char **header = vt_calloc(n_columns, sizeof(char *));
    scorer *sc = NULL;
    scorecard_binding *binding = NULL;
    double *x = vt_calloc(m->enc->n_terms, sizeof(double)), *points = vt_calloc(card->n_columns + 1, sizeof(double));
    const model_target *t = &m->targets[target];
    long label = csv_reader_find(csv, t->label), id = m->id_column ? csv_reader_find(csv, m->id_column) : -1;
    if (!header || !x || !points)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t c = 0; status == VT_OK && c < n_columns; c++)
        header[c] = csv_reader_column(csv, c);
    if (status == VT_OK && label < 0)
        status = vt_err_set(err, VT_EDATA, csv_reader_path(csv), 1, 0, "no outcome column '%s' (the model's %s label)",
                            t->label, t->name);
    if (status == VT_OK)
        status = scorer_new(m, csv_reader_path(csv), header, n_columns, 1, &sc, err);
    if (status == VT_OK)
        status = scorecard_bind(card, csv_reader_path(csv), header, n_columns, &binding, err);
    while (status == VT_OK) {
        const csv_row *row = NULL;
        if ((status = csv_reader_next(csv, &row, err)) != VT_OK || row == NULL)
            break;
        double outcome = 0;
        if (table_is_missing(row->fields[label], row->lengths[label], NULL, 0)) {
            out->skipped++;
            continue;
        }
        if (table_parse_label(row->fields[label], row->lengths[label], &outcome) != 0) {
            char shown[VT_QUOTE_SIZE];
            status = vt_err_set(err, VT_EDATA, csv_reader_path(csv), row->line, label + 1,
                                "'%s' is not 0/1, yes/no or true/false",
                                vt_quote(shown, sizeof shown, row->fields[label], row->lengths[label]));
            break;
        }
        score_counts counts = {0};
        score_result scored;
        sc_result result = {0, BUCKET_RED, points, 0};
        if ((status = scorer_row(sc, row, x, &scored, &counts, err)) != VT_OK ||
            (status = scorecard_row(card, binding, row, csv_reader_path(csv), &result, err)) != VT_OK)
            break;
        if (rows_grow(out)) {
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        size_t i = out->n++;
        out->y[i] = outcome;
        out->risk[i] = scored.probability[target];
        out->health[i] = result.health;
        out->card_bucket[i] = (unsigned char)result.level;
        out->model_bucket[i] = (unsigned char)score_bucket(score_health(out->risk[i]), m->red_below, m->yellow_below);
        char line[32];
        snprintf(line, sizeof line, "%ld", row->line);
        out->ids[i] = vt_strdup(id >= 0 ? row->fields[id] : line);
        if (out->ids[i] == NULL)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    free(header);
    free(x);
    free(points);
    scorer_free(sc);
    scorecard_binding_free(binding);
    csv_reader_free(csv);
    return status;
}

/* ---------------------------------------------------------- the weights */

typedef struct {
    const char *column;
    double card, model; /* shares of total weight, NaN if absent */
    int sign_disagrees;
} weight_row;

static double card_weight(const scorecard *card, const char *column, int *higher_is_better)
{
    double weight = 0;
    for (size_t m = 0; m < card->sets[0].n_measures; m++)
        if (strcmp(card->sets[0].measures[m].column, column) == 0) {
            weight += card->sets[0].measures[m].weight;
            *higher_is_better = card->sets[0].measures[m].higher_is_better;
        }
    return weight;
}

static size_t weight_table(const model *m, size_t target, const scorecard *card, weight_row *out)
{
    const model_target *t = &m->targets[target];
    double card_total = 0, model_total = 0;
    for (size_t i = 0; i < card->sets[0].n_measures; i++)
        card_total += card->sets[0].measures[i].weight;
    for (size_t k = 1; k < m->enc->n_terms; k++)
        if (!t->aliased[k])
            model_total += fabs(t->estimate[k] * m->enc->term_sd[k]);
    size_t n = 0;
    for (size_t f = 0; f < m->enc->n_features; f++) {
        const enc_feature *feature = &m->enc->features[f];
        double size = 0;
        for (size_t k = feature->first_term; k < feature->first_term + feature->n_terms; k++)
            if (!t->aliased[k])
                size += fabs(t->estimate[k] * m->enc->term_sd[k]);
        int higher = 0;
        double weight = card_weight(card, feature->name, &higher);
        weight_row *row = &out[n++];
        row->column = feature->name;
        row->model = model_total > 0 ? size / model_total : 0;
        row->card = weight > 0 ? weight / card_total : NAN;
        /* "higher is better" means more of it should lower churn risk. */
        row->sign_disagrees = weight > 0 && feature->type == TYPE_NUMERIC && !t->aliased[feature->first_term] &&
                              (higher ? t->estimate[feature->first_term] > 0 : t->estimate[feature->first_term] < 0);
    }
    return n;
}

/* Spearman's rank correlation of the two shares over the scorecard's columns. */
static double rank_correlation(const weight_row *rows_in, size_t n)
{
    double a[256], b[256], ra[256], rb[256];
    size_t k = 0;
    for (size_t i = 0; i < n && k < 256; i++)
        if (!isnan(rows_in[i].card)) {
            a[k] = rows_in[i].card;
            b[k++] = rows_in[i].model;
        }
    if (k < 2)
        return NAN;
    for (size_t i = 0; i < k; i++) { /* average ranks for ties */
        double below_a = 0, equal_a = 0, below_b = 0, equal_b = 0;
        for (size_t j = 0; j < k; j++) {
            below_a += a[j] < a[i];
            equal_a += a[j] == a[i];
            below_b += b[j] < b[i];
            equal_b += b[j] == b[i];
        }
        ra[i] = below_a + (equal_a + 1) / 2;
        rb[i] = below_b + (equal_b + 1) / 2;
    }
    double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < k; i++) { /* sums of ranks are exact: equal ranks give exactly 0 spread */
        ma += ra[i];
        mb += rb[i];
    }
    ma /= (double)k;
    mb /= (double)k;
    for (size_t i = 0; i < k; i++) {
        sab += (ra[i] - ma) * (rb[i] - mb);
        saa += (ra[i] - ma) * (ra[i] - ma);
        sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : NAN;
}

/* ---------------------------------------------------------- the report */

static cJSON *ranking_json(const metrics *m, const unsigned char *buckets, const rows *r)
{
    cJSON *item = cJSON_CreateObject();
    json_add_exact(item, "roc_auc", m->roc_auc);
    json_add_exact(item, "pr_auc", m->average_precision);
    json_add_exact(item, "top_decile_capture", m->top_decile_capture);
    static const char *const names[] = {"red", "yellow", "green"};
    cJSON *by_bucket = cJSON_AddObjectToObject(item, "buckets");
    for (int b = 0; b < 3; b++) {
        size_t n = 0, events = 0;
        for (size_t i = 0; i < r->n; i++)
            if (buckets[i] == b) {
                n++;
                events += r->y[i] == 1.0;
            }
        cJSON *bucket = cJSON_AddObjectToObject(by_bucket, names[b]);
        cJSON_AddNumberToObject(bucket, "rows", (double)n);
        cJSON_AddNumberToObject(bucket, "events", (double)events);
        json_add_exact(bucket, "event_rate", n ? (double)events / (double)n : 0);
    }
    return item;
}

static int descending_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* The scorecard health below which it would alert as many accounts as the
 * model puts in red, and the share of events that alert would catch. */
static cJSON *suggested_cutoff(const rows *r)
{
    size_t model_red = 0, model_red_events = 0, events = 0;
    for (size_t i = 0; i < r->n; i++) {
        events += r->y[i] == 1.0;
        if (r->model_bucket[i] == BUCKET_RED) {
            model_red++;
            model_red_events += r->y[i] == 1.0;
        }
    }
    cJSON *item = cJSON_CreateObject();
    double *risk = vt_malloc((r->n ? r->n : 1) * sizeof *risk); /* scorecard risk = 100 - health */
    if (risk == NULL || model_red == 0 || events == 0) {
        free(risk);
        return item;
    }
    for (size_t i = 0; i < r->n; i++)
        risk[i] = 100 - r->health[i];
    qsort(risk, r->n, sizeof *risk, descending_double);
    double cutoff = 100 - risk[model_red - 1]; /* alert when health <= cutoff */
    size_t alerted = 0, caught = 0;
    for (size_t i = 0; i < r->n; i++)
        if (r->health[i] <= cutoff) {
            alerted++;
            caught += r->y[i] == 1.0;
        }
    json_add_exact(item, "alert_share", (double)model_red / (double)r->n);
    json_add_exact(item, "scorecard_red_at_or_below", cutoff);
    cJSON_AddNumberToObject(item, "scorecard_alerted", (double)alerted);
    json_add_exact(item, "scorecard_capture", (double)caught / (double)events);
    json_add_exact(item, "model_capture", (double)model_red_events / (double)events);
    free(risk);
    return item;
}

static cJSON *missed_json(const rows *r, int card_green_model_flagged, size_t limit)
{
    cJSON *item = cJSON_CreateObject(), *ids = cJSON_AddArrayToObject(item, "first_ids");
    size_t count = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (r->y[i] != 1.0)
            continue;
        int hit = card_green_model_flagged ? r->card_bucket[i] == BUCKET_GREEN && r->model_bucket[i] != BUCKET_GREEN
                                           : r->model_bucket[i] == BUCKET_GREEN && r->card_bucket[i] != BUCKET_GREEN;
        if (!hit)
            continue;
        if (count++ < limit)
            json_append(ids, cJSON_CreateString(r->ids[i]));
    }
    cJSON_AddNumberToObject(item, "events", (double)count);
    return item;
}

static cJSON *build_report(const model *m, size_t target, const scorecard *card, const rows *r, const metrics *model_m,
                           const metrics *card_m, size_t limit)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "target", m->targets[target].name);
    cJSON_AddStringToObject(root, "scorecard", card->name);
    cJSON_AddNumberToObject(root, "rows", (double)r->n);
    cJSON_AddNumberToObject(root, "rows_without_outcome", (double)r->skipped);
    weight_row *weights = vt_calloc(m->enc->n_features + 1, sizeof *weights);
    size_t n_weights = weights ? weight_table(m, target, card, weights) : 0;
    cJSON *list = cJSON_AddArrayToObject(root, "weights");
    for (size_t i = 0; i < n_weights; i++) {
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "column", weights[i].column);
        json_add_exact(item, "scorecard_share", weights[i].card);
        json_add_exact(item, "model_share", weights[i].model);
        cJSON_AddBoolToObject(item, "signs_disagree", weights[i].sign_disagrees);
        json_append(list, item);
    }
    json_add_exact(root, "weight_rank_correlation", rank_correlation(weights, n_weights));
    free(weights);
    json_attach(root, "model", ranking_json(model_m, r->model_bucket, r));
    json_attach(root, "scorecard_metrics", ranking_json(card_m, r->card_bucket, r));
    static const char *const names[] = {"red", "yellow", "green"};
    cJSON *cross = cJSON_AddObjectToObject(root, "cross_table");
    for (int a = 0; a < 3; a++) {
        cJSON *row = cJSON_AddObjectToObject(cross, names[a]);
        for (int b = 0; b < 3; b++) {
            size_t n = 0, events = 0;
            for (size_t i = 0; i < r->n; i++)
                if (r->card_bucket[i] == a && r->model_bucket[i] == b) {
                    n++;
                    events += r->y[i] == 1.0;
                }
            cJSON *cell = cJSON_AddObjectToObject(row, names[b]);
            cJSON_AddNumberToObject(cell, "rows", (double)n);
            json_add_exact(cell, "event_rate", n ? (double)events / (double)n : 0);
        }
    }
    json_attach(root, "events_scorecard_green_model_flagged", missed_json(r, 1, limit));
    json_attach(root, "events_model_green_scorecard_flagged", missed_json(r, 0, limit));
    json_attach(root, "suggested_scorecard_cutoff", suggested_cutoff(r));
    return root;
}

static void print_report(FILE *out, const cJSON *root)
{
    fprintf(out, "%s: model vs scorecard '%s' on %.0f labelled rows\n\n",
            cJSON_GetObjectItem(root, "target")->valuestring, cJSON_GetObjectItem(root, "scorecard")->valuestring,
            json_number(root, "rows"));
    fprintf(out, "%-28s %16s %16s\n", "column", "scorecard share", "model share");
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(root, "weights")) {
        double card = json_number(item, "scorecard_share");
        char card_text[32] = "-";
        if (!isnan(card))
            snprintf(card_text, sizeof card_text, "%.1f%%", 100 * card);
        fprintf(out, "%-28s %16s %15.1f%%%s\n", cJSON_GetObjectItem(item, "column")->valuestring, card_text,
                100 * json_number(item, "model_share"),
                cJSON_IsTrue(cJSON_GetObjectItem(item, "signs_disagree")) ? "  <-- signs disagree" : "");
    }
    double correlation = json_number(root, "weight_rank_correlation");
    if (isnan(correlation))
        fprintf(out, "rank correlation of the shares: undefined (the scorecard weighs its measures equally)\n\n");
    else
        fprintf(out, "rank correlation of the shares: %.3f\n\n", correlation);
    const char *who[] = {"model", "scorecard_metrics"}, *label[] = {"model", "scorecard"};
    for (int k = 0; k < 2; k++) {
        const cJSON *m = cJSON_GetObjectItem(root, who[k]), *buckets = cJSON_GetObjectItem(m, "buckets");
        fprintf(out, "%-10s ROC AUC %.4f   PR AUC %.4f   top decile captures %.1f%%   event rate: green %.1f%%, yellow %.1f%%, red %.1f%%\n",
                label[k], json_number(m, "roc_auc"), json_number(m, "pr_auc"), 100 * json_number(m, "top_decile_capture"),
                100 * json_number(cJSON_GetObjectItem(buckets, "green"), "event_rate"),
                100 * json_number(cJSON_GetObjectItem(buckets, "yellow"), "event_rate"),
                100 * json_number(cJSON_GetObjectItem(buckets, "red"), "event_rate"));
    }
    fprintf(out, "\nrows: scorecard bucket, columns: model bucket (rows, event rate)\n%-8s", "");
    const char *names[] = {"green", "yellow", "red"};
    for (int b = 0; b < 3; b++)
        fprintf(out, " %22s", names[b]);
    fputc('\n', out);
    for (int a = 0; a < 3; a++) {
        const cJSON *row = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "cross_table"), names[a]);
        fprintf(out, "%-8s", names[a]);
        for (int b = 0; b < 3; b++) {
            const cJSON *cell = cJSON_GetObjectItem(row, names[b]);
            fprintf(out, " %12.0f (%5.1f%%)", json_number(cell, "rows"), 100 * json_number(cell, "event_rate"));
        }
        fputc('\n', out);
    }
    const char *keys[] = {"events_scorecard_green_model_flagged", "events_model_green_scorecard_flagged"};
    const char *words[] = {"events the scorecard rated green but the model flagged",
                           "events the model rated green but the scorecard flagged"};
    for (int k = 0; k < 2; k++) {
        const cJSON *missed = cJSON_GetObjectItem(root, keys[k]), *id;
        fprintf(out, "\n%s: %.0f; first:", words[k], json_number(missed, "events"));
        cJSON_ArrayForEach(id, cJSON_GetObjectItem(missed, "first_ids"))
            fprintf(out, " %s", id->valuestring);
    }
    const cJSON *cut = cJSON_GetObjectItem(root, "suggested_scorecard_cutoff");
    if (cJSON_GetObjectItem(cut, "scorecard_red_at_or_below"))
        fprintf(out, "\n\nto alert the %.1f%% of accounts the model puts in red, call scorecard health <= %.4g red: it "
                     "would catch %.1f%% of the events (the model's red catches %.1f%%)\n",
                100 * json_number(cut, "alert_share"), json_number(cut, "scorecard_red_at_or_below"), 100 * json_number(cut, "scorecard_capture"),
                100 * json_number(cut, "model_capture"));
}

static vt_status write_scores(const char *path, const rows *r, vt_err *err)
{
    outfile *file = NULL;
    vt_status status = outfile_open(path, &file, err);
    if (status != VT_OK)
        return status;
    FILE *out = outfile_stream(file);
    fputs("id,outcome,model_risk,scorecard_health\n", out);
    for (size_t i = 0; i < r->n; i++) {
        csv_write_field(out, r->ids[i]);
        fprintf(out, ",%g,%.17g,%.17g\n", r->y[i], r->risk[i], r->health[i]);
    }
    return outfile_commit(file, err);
}

static vt_status run_compare(const char *model_path, const char *card_path, const char *data, const char *target_name,
                             size_t limit, int json, const char *output, const char *scores, vt_err *err)
{
    model *m = NULL;
    scorecard *card = NULL;
    rows r = {0};
    double *card_risk = NULL;
    vt_status status = model_load(model_path, &m, err);
    if (status == VT_OK)
        status = scorecard_load(card_path, &card, err);
    size_t target = 0;
    if (status == VT_OK) {
        const model_target *t = model_find_target(m, target_name);
        if (t == NULL)
            status = vt_err_set(err, VT_EUSAGE, model_path, 0, 0, "--target: the model has no '%s' target", target_name);
        else
            target = (size_t)(t - m->targets);
    }
    if (status == VT_OK)
        status = read_rows(m, target, card, data, &r, err);
    if (status == VT_OK && (card_risk = vt_malloc((r.n ? r.n : 1) * sizeof *card_risk)) == NULL)
        status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    metrics model_m, card_m;
    if (status == VT_OK) {
        for (size_t i = 0; i < r.n; i++)
            card_risk[i] = 1 - r.health[i] / 100; /* higher health, lower risk */
        status = metrics_compute(r.y, r.risk, NULL, r.n, m->red_below, m->yellow_below, &model_m, err);
    }
    if (status == VT_OK)
        status = metrics_compute(r.y, card_risk, NULL, r.n, card->red_below, card->yellow_below, &card_m, err);
    if (status == VT_OK && scores)
        status = write_scores(scores, &r, err);
    if (status == VT_OK) {
        unsigned long failures = vt_alloc_failures();
        cJSON *root = build_report(m, target, card, &r, &model_m, &card_m, limit);
        if (json) {
            status = json_write_file(root, output, failures, err);
        } else {
            outfile *file = NULL;
            if ((status = outfile_open(output, &file, err)) == VT_OK) {
                print_report(outfile_stream(file), root);
                status = outfile_commit(file, err);
            }
            cJSON_Delete(root);
        }
    }
    free(card_risk);
    rows_free(&r);
    scorecard_free(card);
    model_free(m);
    return status;
}

typedef struct {
    const char *model_path, *card_path, *data_path, *output, *target, *scores;
    long missed;
    int json;
} compare_args;

static const arg_spec compare_options[] = {
    {"--output", "-o", ARG_STRING, ARG_AT(compare_args, output)},
    {"--target", NULL, ARG_STRING, ARG_AT(compare_args, target)},
    {"--scores", NULL, ARG_STRING, ARG_AT(compare_args, scores)},
    {"--missed", NULL, ARG_LONG, ARG_AT(compare_args, missed), .min = 0, .max = 100000},
    {"--json", NULL, ARG_FLAG, ARG_AT(compare_args, json)},
    {0},
};

static const arg_spec compare_positionals[] = {
    {"MODEL.json", NULL, ARG_STRING, ARG_AT(compare_args, model_path)},
    {"SCORECARD.json", NULL, ARG_STRING, ARG_AT(compare_args, card_path)},
    {"LABELLED.csv", NULL, ARG_STRING, ARG_AT(compare_args, data_path)},
    {0},
};

vt_status cmd_compare(int argc, char **argv, vt_err *err)
{
    compare_args args = {.output = "-", .target = "churn", .missed = 10};
    args_result parsed = args_parse(argc, argv, compare_options, compare_positionals, &args, err);
    if (parsed != ARGS_RUN)
        return args_stop(parsed, compare_help, err);
    return run_compare(args.model_path, args.card_path, args.data_path, args.target, (size_t)args.missed, args.json,
                       args.output, args.scores, err);
}
