/* vitals compare: a learned model beside the hand-set scorecard, on the same
 * labelled rows: "were our churners the ones the score flagged?" */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "buf.h"
#include "db_args.h"
#include "compare.h"
#include "commands.h"
#include "json.h"
#include "metrics.h"
#include "model.h"
#include "outfile.h"
#include "score.h"
#include "scorecard.h"

static const char compare_help[] =
    "usage: vitals compare MODEL.json SCORECARD.json LABELLED.csv [--target churn] [--missed N]\n"
    "                      [--json] [-o FILE] [--scores FILE] [--delimiter D] [--threads N]\n"
    "       vitals compare MODEL.json SCORECARD.json postgresql://... --query SQL|--table NAME\n"
    "                      [options]\n"
    "\n"
    "Put the learned model and the hand-set scorecard on the same labelled rows:\n"
    "weights on one scale (share of the scorecard's weight beside the share of the\n"
    "model's standardised coefficients, levels grouped; a smooth column's curve by\n"
    "the standard deviation of its contribution over the labelled rows, its sign by\n"
    "the slope of a least-squares line through it) with their rank correlation\n"
    "and the columns whose signs disagree; ROC AUC, PR AUC, capture of the top decile\n"
    "and the event rate per bucket of each; the bucket cross-table; the events each one\n"
    "missed that the other flagged (first N ids, default 10); and the scorecard red\n"
    "cut-off that would alert the share of accounts the model puts in red.\n"
    "--scores writes id,outcome,model_risk,scorecard_health per row.\n"
    "LABELLED.csv may be - (standard input) or a postgresql:// URI with:\n"
    DB_ARGS_HELP_READ;

/* ---------------------------------------------------------- the report */

static cJSON *ranking_json(const metrics *m, const unsigned char *buckets, const compare_rows *r)
{
    cJSON *item = cJSON_CreateObject();
    json_add_exact(item, "roc_auc", m->roc_auc);
    json_add_exact(item, "pr_auc", m->average_precision);
    json_add_exact(item, "top_decile_capture", m->top_decile_capture);
    static const char *const names[] = {"red", "yellow", "green"};
    cJSON *by_bucket = cJSON_AddObjectToObject(item, "buckets");
    size_t rows[3], counts[3];
    compare_bucket_counts(r->y, buckets, r->n, rows, counts);
    for (int b = 0; b < 3; b++) {
        size_t n = rows[b], events = counts[b];
        cJSON *bucket = cJSON_AddObjectToObject(by_bucket, names[b]);
        cJSON_AddNumberToObject(bucket, "rows", (double)n);
        cJSON_AddNumberToObject(bucket, "events", (double)events);
        json_add_exact(bucket, "event_rate", n ? (double)events / (double)n : 0);
    }
    return item;
}

/* The scorecard's health as score writes it: a whole number, 0 to 100. */
static long whole_health(double health)
{
    long h = lround(health);
    return h < 0 ? 0 : h > 100 ? 100 : h;
}

/* The whole-number scorecard health at or below which the card alerts the
 * most accounts without alerting more than the model puts in red, with the
 * share of events it catches.  A hand-set card gives few distinct healths,
 * so the count jumps: each side's count is stated, and the next cut-off's
 * (the one that would alert more than the model) beside it. */
static cJSON *suggested_cutoff(const compare_rows *r)
{
    size_t model_red = 0, model_red_events = 0, events = 0;
    size_t at[101] = {0}, events_at[101] = {0}; /* accounts and events per whole health */
    for (size_t i = 0; i < r->n; i++) {
        int event = r->y[i] == 1.0;
        events += (size_t)event;
        if (r->model_bucket[i] == BUCKET_RED) {
            model_red++;
            model_red_events += (size_t)event;
        }
        long h = whole_health(r->health[i]);
        at[h]++;
        events_at[h] += (size_t)event;
    }
    cJSON *item = cJSON_CreateObject();
    if (model_red == 0 || events == 0)
        return item;
    long cutoff = -1, next = -1;
    size_t alerted = 0, caught = 0, next_alerted = 0, next_caught = 0;
    for (long h = 0, total = 0, total_events = 0; h <= 100; h++) {
        if (at[h] == 0)
            continue;
        total += (long)at[h];
        total_events += (long)events_at[h];
        if ((size_t)total > model_red) {
            next = h;
            next_alerted = (size_t)total;
            next_caught = (size_t)total_events;
            break;
        }
        cutoff = h;
        alerted = (size_t)total;
        caught = (size_t)total_events;
    }
    json_add_exact(item, "alert_share", (double)model_red / (double)r->n);
    cJSON_AddNumberToObject(item, "model_alerted", (double)model_red);
    json_add_exact(item, "model_capture", (double)model_red_events / (double)events);
    if (cutoff >= 0) {
        cJSON_AddNumberToObject(item, "scorecard_red_at_or_below", (double)cutoff);
        cJSON_AddNumberToObject(item, "scorecard_alerted", (double)alerted);
        json_add_exact(item, "scorecard_alert_share", (double)alerted / (double)r->n);
        json_add_exact(item, "scorecard_capture", (double)caught / (double)events);
    }
    if (next >= 0 && alerted < model_red) {
        cJSON_AddNumberToObject(item, "next_red_at_or_below", (double)next);
        cJSON_AddNumberToObject(item, "next_alerted", (double)next_alerted);
        json_add_exact(item, "next_alert_share", (double)next_alerted / (double)r->n);
        json_add_exact(item, "next_capture", (double)next_caught / (double)events);
    }
    return item;
}

static cJSON *missed_json(const compare_rows *r, int card_green_model_flagged, size_t limit)
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

static cJSON *build_report(const model *m, size_t target, const scorecard *card, const compare_rows *r, const metrics *model_m,
                           const metrics *card_m, size_t limit)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "target", m->targets[target].name);
    cJSON_AddStringToObject(root, "scorecard", card->name);
    cJSON_AddNumberToObject(root, "rows", (double)r->n);
    cJSON_AddNumberToObject(root, "rows_without_outcome", (double)r->skipped);
    compare_weight *weights = vt_calloc(encoding_n_effects(m->enc) + 1, sizeof *weights);
    size_t n_weights = weights ? compare_weights(m, target, card, r, weights) : 0;
    cJSON *list = cJSON_AddArrayToObject(root, "weights");
    for (size_t i = 0; i < n_weights; i++) {
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "column", weights[i].column);
        json_add_exact(item, "scorecard_share", weights[i].card);
        json_add_exact(item, "model_share", weights[i].model);
        cJSON_AddBoolToObject(item, "signs_disagree", weights[i].sign_disagrees);
        if (weights[i].not_identified) /* absent otherwise: a report without groups keeps its bytes */
            cJSON_AddBoolToObject(item, "not_identified", 1);
        if (weights[i].curve) { /* a linear model's report keeps its bytes */
            cJSON_AddBoolToObject(item, "curve", 1);
            json_add_exact(item, "trend", weights[i].trend);
        }
        json_append(list, item);
    }
    double correlation = compare_rank_correlation(weights, n_weights);
    json_add_exact(root, "weight_rank_correlation", correlation);
    if (isnan(correlation))
        cJSON_AddStringToObject(root, "weight_rank_correlation_undefined", compare_rank_undefined(weights, n_weights));
    free(weights);
    json_attach(root, "model", ranking_json(model_m, r->model_bucket, r));
    json_attach(root, "scorecard_metrics", ranking_json(card_m, r->card_bucket, r));
    static const char *const names[] = {"red", "yellow", "green"};
    cJSON *cross = cJSON_AddObjectToObject(root, "cross_table");
    size_t cross_rows[3][3], cross_events[3][3];
    compare_cross_table(r, cross_rows, cross_events);
    for (int a = 0; a < 3; a++) {
        cJSON *row = cJSON_AddObjectToObject(cross, names[a]);
        for (int b = 0; b < 3; b++) {
            size_t n = cross_rows[a][b], events = cross_events[a][b];
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
    int curves = 0, groups = 0;
    cJSON_ArrayForEach(item, cJSON_GetObjectItem(root, "weights")) {
        double card = json_number(item, "scorecard_share");
        char card_text[32] = "-", column[300];
        if (!isnan(card))
            snprintf(card_text, sizeof card_text, "%.1f%%", 100 * card);
        int curve = cJSON_IsTrue(cJSON_GetObjectItem(item, "curve"));
        curves += curve;
        snprintf(column, sizeof column, curve ? "s(%.280s)" : "%.280s", cJSON_GetObjectItem(item, "column")->valuestring);
        int group = cJSON_IsTrue(cJSON_GetObjectItem(item, "not_identified"));
        groups += group;
        fprintf(out, "%-28s %16s %15.1f%%%s\n", column, card_text, 100 * json_number(item, "model_share"),
                group ? "  (one driver: split not identified)"
                : !cJSON_IsTrue(cJSON_GetObjectItem(item, "signs_disagree")) ? ""
                : curve ? "  <-- signs disagree (the curve's trend)" : "  <-- signs disagree");
    }
    if (groups)
        fprintf(out, "A + B: nearly collinear columns weighed as one (the spread of their summed contribution); how\n"
                     "the weight splits between them, and their signs, are not identified\n");
    if (curves)
        fprintf(out, "s(COL): a smooth column; its share is the standard deviation of its curve over these rows, its\n"
                     "sign the slope of the least-squares line through the curve (the curve's trend)\n");
    double correlation = json_number(root, "weight_rank_correlation");
    if (isnan(correlation))
        fprintf(out, "rank correlation of the shares: undefined (%s)\n\n",
                cJSON_GetStringValue(cJSON_GetObjectItem(root, "weight_rank_correlation_undefined")));
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
    if (cJSON_GetObjectItem(cut, "model_alerted")) {
        fprintf(out, "\n\nthe model puts %.0f accounts (%.1f%%) in red, catching %.1f%% of the events. ",
                json_number(cut, "model_alerted"), 100 * json_number(cut, "alert_share"),
                100 * json_number(cut, "model_capture"));
        if (cJSON_GetObjectItem(cut, "scorecard_red_at_or_below"))
            fprintf(out, "To alert no more, call scorecard health <= %.0f red: it alerts %.0f (%.1f%%) and catches "
                         "%.1f%% of the events",
                    json_number(cut, "scorecard_red_at_or_below"), json_number(cut, "scorecard_alerted"),
                    100 * json_number(cut, "scorecard_alert_share"), 100 * json_number(cut, "scorecard_capture"));
        else
            fprintf(out, "No scorecard cut-off alerts as few: its lowest health alone holds more accounts");
        if (cJSON_GetObjectItem(cut, "next_red_at_or_below"))
            fprintf(out, "; health <= %.0f would alert %.0f (%.1f%%), catching %.1f%% (the card's healths tie)",
                    json_number(cut, "next_red_at_or_below"), json_number(cut, "next_alerted"),
                    100 * json_number(cut, "next_alert_share"), 100 * json_number(cut, "next_capture"));
        fputs(".\n", out);
    }
}

static vt_status write_scores(const char *path, const compare_rows *r, vt_err *err)
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

typedef struct {
    const char *model_path, *card_path, *data_path, *output, *target, *scores;
    long missed;
    int json;
    db_args db;
} compare_args;

static vt_status run_compare(const compare_args *args, vt_err *err)
{
    const char *model_path = args->model_path, *output = args->output, *scores = args->scores;
    model *m = NULL;
    scorecard *card = NULL;
    compare_rows r = {0};
    double *card_risk = NULL;
    vt_status status = model_load(model_path, &m, err);
    if (status == VT_OK)
        status = scorecard_load(args->card_path, &card, err);
    size_t target = 0;
    if (status == VT_OK) {
        const model_target *t = model_find_target(m, args->target ? args->target : "churn");
        if (t == NULL && args->target == NULL)
            status = vt_err_set(err, VT_EUSAGE, model_path, 0, 0, "the model has no churn target (an expansion model "
                                "alone), and a scorecard's health scores churn: train with --churn COL, or give "
                                "--target expansion");
        else if (t == NULL)
            status = vt_err_set(err, VT_EUSAGE, model_path, 0, 0, "--target: the model has no '%s' target", args->target);
        else
            target = (size_t)(t - m->targets);
    }
    if (status == VT_OK) {
        row_stream_options input = db_args_input(args->data_path, &args->db, m->delimiter);
        status = compare_read(m, target, card, &input, &r, err);
    }
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
        cJSON *root = build_report(m, target, card, &r, &model_m, &card_m, (size_t)args->missed);
        if (args->json) {
            status = json_write_file(root, output, failures, err);
        } else if (root == NULL || vt_alloc_failures() != failures) { /* a part of the tree was never built */
            cJSON_Delete(root);
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
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
    compare_rows_free(&r);
    scorecard_free(card);
    model_free(m);
    return status;
}

static const arg_spec compare_options[] = {
    {"--output", "-o", ARG_STRING, ARG_AT(compare_args, output)},
    {"--target", NULL, ARG_STRING, ARG_AT(compare_args, target)},
    {"--scores", NULL, ARG_STRING, ARG_AT(compare_args, scores)},
    {"--missed", NULL, ARG_LONG, ARG_AT(compare_args, missed), .min = 0, .max = 100000},
    {"--json", NULL, ARG_FLAG, ARG_AT(compare_args, json)},
    DB_ARGS_OPTIONS(compare_args, db),
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
    compare_args args = {.output = "-", .missed = 10}; /* target NULL: churn */
    args_result parsed = args_parse(argc, argv, compare_options, compare_positionals, &args, err);
    if (parsed != ARGS_RUN)
        return args_stop(parsed, compare_help, err);
    vt_status status = db_args_resolve(args.data_path, &args.db, NULL, args.db.delimiter, err);
    if (status == VT_OK)
        status = run_compare(&args, err);
    db_args_free(&args.db);
    return status;
}
