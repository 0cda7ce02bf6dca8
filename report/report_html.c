#include "report_html.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "curve.h"
#include "drift.h"
#include "inference.h"
#include "json.h"
#include "metrics.h"
#include "report_int.h"
#include "riskiest.h"
#include "score.h"

/* What was read and computed from the labelled data, per target. */
typedef struct {
    compare_rows rows;            /* with the scorecard for the churn target */
    metrics model_m, card_m;
    int has_card;                 /* card_m and the scorecard columns are filled */
} target_data;

typedef struct {
    const report_inputs *in;
    const model *m;
    size_t churn;                 /* index of the churn target (or of the model's one target without churn):
                                     the buckets' and the ranking charts' */
    const outcome_words *words;   /* how the page speaks of it */
    riskiest top;                 /* --data: the accounts to call first */
    int has_top;                  /* top was read (standard input is read once, for the charts) */
    target_data data[MODEL_MAX_TARGETS];
    int has_data;
    drift_risks risks;            /* --previous with --data */
    drift_shift shift;
    int has_shift;
    markup *out;
} report;

/* ------------------------------------------------------------ text helpers */

static void put_text(report *r, const char *text)
{
    markup_escape(r->out, text, 0);
}

static void missing_line(report *r, const char *what)
{
    text_printf(r->out, "<p class=\"missing\">");
    put_text(r, what);
    text_printf(r->out, "</p>\n");
}

static const char *target_title(const model_target *t)
{
    return strcmp(t->name, "churn") == 0 ? "Churn" : strcmp(t->name, "expansion") == 0 ? "Expansion" : t->name;
}

/* A target's part of the charts' ids ("odds-churn"). */
static const char *target_key(const model_target *t)
{
    return strcmp(t->name, "churn") == 0 ? "churn" : "expansion";
}

/* The fitted targets in a sentence: "churn", "churn and expansion". */
static void put_targets(report *r)
{
    for (size_t k = 0; k < r->m->n_targets; k++) {
        if (k)
            text_printf(r->out, k + 1 == r->m->n_targets ? " and " : ", ");
        put_text(r, r->m->targets[k].name);
    }
}

/* ------------------------------------------------------------ data */

static vt_status read_data(report *r, vt_err *err)
{
    const model *m = r->m;
    for (size_t k = 0; k < m->n_targets; k++) {
        target_data *d = &r->data[k];
        const scorecard *card = k == r->churn ? r->in->card : NULL;
        vt_status status = compare_read(m, k, card, r->in->data, &d->rows, err);
        if (status == VT_OK)
            status = metrics_compute(d->rows.y, d->rows.risk, NULL, d->rows.n, m->red_below, m->yellow_below,
                                     &d->model_m, err);
        if (status == VT_OK && card) {
            /* The scorecard's risk as compare ranks it: higher health, lower risk. */
            double *card_risk = vt_malloc((d->rows.n ? d->rows.n : 1) * sizeof *card_risk);
            if (card_risk == NULL)
                return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
            for (size_t i = 0; i < d->rows.n; i++)
                card_risk[i] = 1 - d->rows.health[i] / 100;
            status = metrics_compute(d->rows.y, card_risk, NULL, d->rows.n, card->red_below, card->yellow_below,
                                     &d->card_m, err);
            free(card_risk);
            d->has_card = status == VT_OK;
        }
        if (status != VT_OK)
            return status;
    }
    if (strcmp(r->in->data->path, "-") != 0) {
        vt_status status = riskiest_read(m, r->churn, r->in->data, &r->top, err);
        if (status != VT_OK)
            return status;
        r->has_top = 1;
    }
    r->has_data = 1;
    if (r->in->previous) {
        vt_status status = drift_score(r->in->previous, m, r->in->data, &r->risks, err);
        if (status != VT_OK)
            return status;
        r->has_shift = drift_population(r->in->previous, m, &r->risks, &r->shift) == 0;
    }
    return VT_OK;
}

static vt_status same_targets(const report_inputs *in, vt_err *err)
{
    const model *a = in->previous, *b = in->m;
    int same = a->n_targets == b->n_targets;
    for (size_t k = 0; same && k < a->n_targets; k++)
        same = strcmp(a->targets[k].name, b->targets[k].name) == 0 &&
               strcmp(a->targets[k].label, b->targets[k].label) == 0;
    if (!same)
        return vt_err_set(err, VT_EDATA, in->previous_path, 0, 0, "--previous: its targets differ from %s's",
                          in->model_path);
    return VT_OK;
}

/* ------------------------------------------------------------ curves */

typedef struct {
    double *roc_x, *roc_y, *pr_x, *pr_y, *gain_x, *gain_y;
    size_t n;
} curve_points;

typedef struct {
    double score, y;
} scored_row;

static int by_score_descending(const void *a, const void *b)
{
    double x = ((const scored_row *)a)->score, y = ((const scored_row *)b)->score;
    return (x < y) - (x > y);
}

static void curve_points_free(curve_points *c)
{
    double *all[] = {c->roc_x, c->roc_y, c->pr_x, c->pr_y, c->gain_x, c->gain_y};
    for (int i = 0; i < 6; i++)
        free(all[i]);
    memset(c, 0, sizeof *c);
}

/* Append the point after a group of tied scores, unless it moved less
 * than a pixel's worth (0.2%) from the last kept one on every curve. */
static void add_point(curve_points *c, double fpr, double tpr, double precision, double contacted, int last)
{
    if (c->n && !last && fabs(fpr - c->roc_x[c->n - 1]) < 0.002 && fabs(tpr - c->roc_y[c->n - 1]) < 0.002 &&
        fabs(precision - c->pr_y[c->n - 1]) < 0.002 && fabs(contacted - c->gain_x[c->n - 1]) < 0.002)
        return;
    c->roc_x[c->n] = fpr;
    c->roc_y[c->n] = tpr;
    c->pr_x[c->n] = tpr;
    c->pr_y[c->n] = precision;
    c->gain_x[c->n] = contacted;
    c->gain_y[c->n++] = tpr;
}

/* ROC, precision-recall and gains points of score against outcome y, a
 * point per distinct score (tied scores one point, as metrics counts
 * them), thinned to what a chart can show.  -1 if out of memory. */
static int ranking_curves(const double *y, const double *score, size_t n, curve_points *c)
{
    scored_row *rows = vt_malloc((n ? n : 1) * sizeof *rows);
    double **all[] = {&c->roc_x, &c->roc_y, &c->pr_x, &c->pr_y, &c->gain_x, &c->gain_y};
    for (int i = 0; i < 6; i++)
        *all[i] = vt_malloc((n + 2) * sizeof(double));
    if (rows == NULL || !c->roc_x || !c->roc_y || !c->pr_x || !c->pr_y || !c->gain_x || !c->gain_y) {
        free(rows);
        return -1;
    }
    double positives = 0;
    for (size_t i = 0; i < n; i++) {
        rows[i] = (scored_row){score[i], y[i]};
        positives += y[i] == 1.0;
    }
    qsort(rows, n, sizeof *rows, by_score_descending);
    double negatives = (double)n - positives, tp = 0, fp = 0;
    c->n = 0;
    c->roc_x[0] = c->roc_y[0] = c->gain_x[0] = c->gain_y[0] = c->pr_x[0] = 0;
    c->pr_y[0] = 1;
    c->n = 1;
    for (size_t i = 0; i < n; i++) {
        tp += rows[i].y == 1.0;
        fp += rows[i].y != 1.0;
        /* A group of ties ends a point; before the first event there is no
         * precision to draw (the curve starts at recall 0, precision 1). */
        if ((i + 1 < n && rows[i + 1].score == rows[i].score) || tp == 0)
            continue;
        add_point(c, negatives > 0 ? fp / negatives : 0, positives > 0 ? tp / positives : 0, tp / (tp + fp),
                  (tp + fp) / (double)n, i + 1 == n);
    }
    free(rows);
    return 0;
}

/* ------------------------------------------------------------ the page */

static const char style[] =
    "body{font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif;color:#1d1d1d;"
    "max-width:1180px;margin:0 auto;padding:16px 20px 40px;background:#fff}\n"
    "h1{font-size:26px;margin:8px 0 4px}h2{font-size:20px;margin:32px 0 8px;padding-top:12px;border-top:2px solid #ddd}"
    "h3{font-size:16px;margin:18px 0 6px}\n"
    "p,li{max-width:80ch}.meta{color:#555;font-size:13px}.missing{color:#555;font-style:italic}\n"
    ".headline{font-size:16px;padding-left:20px}.headline li{margin:4px 0}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}\n"
    "figure{margin:0;flex:1 1 400px;min-width:0;max-width:100%}figure.wide{flex-basis:100%;overflow-x:auto}figure.wide svg.chart{min-width:560px}\n"
    "figcaption{font-size:13px;color:#444;margin-top:2px}\n"
    "svg.chart{display:block;width:100%;height:auto;max-width:660px}\n"
    "svg.chart text{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif;font-size:11px;fill:#333}\n"
    "svg.chart text.label,svg.chart text.heading{font-weight:600;fill:#1d1d1d}\n"
    "svg.chart text.warn{fill:#B34700;font-weight:600}svg.chart text.value{fill:#1d1d1d}"
    "svg.chart text.on-dark{fill:#fff;font-weight:600}"
    "svg.chart .note{fill:#666;font-style:italic;font-weight:400}\n"
    "svg.chart .grid{stroke:#e8e8e8;stroke-width:1}svg.chart .frame{stroke:#888;stroke-width:1}\n"
    "table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{padding:3px 10px;border-bottom:1px solid #e4e4e4;"
    "text-align:right}th:first-child,td:first-child{text-align:left}th{background:#f4f4f4}\n"
    "td.drivers,th.drivers{text-align:left}.disagree{color:#B34700}tr.flagged td{background:#FBE3D3;font-weight:600}.scroll{overflow-x:auto;max-width:100%}\n"
    "@media print{body{max-width:none;font-size:11pt}h2{break-before:auto}figure,table{break-inside:avoid}"
    ".charts{display:block}figure{margin-bottom:12px}}\n";

static void page_start(report *r)
{
    char fallback[600];
    const char *title = r->in->title;
    if (title == NULL) {
        snprintf(fallback, sizeof fallback, "Customer health: %.500s", r->in->model_path);
        title = fallback;
    }
    text_printf(r->out, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
                          "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                          "<title>");
    put_text(r, title);
    text_printf(r->out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", style);
    put_text(r, title);
    text_printf(r->out, "</h1>\n");
}

/* ------------------------------------------------------------ 1. headline */

static void fit_line(report *r)
{
    const model *m = r->m;
    char rows[32], bytes[32], used[32];
    text_printf(r->out, "<p class=\"meta\">Model <code>");
    put_text(r, r->in->model_path);
    text_printf(r->out, "</code>, fitted %s by vitals ", m->created_at && *m->created_at ? "" : "(date not recorded)");
    put_text(r, m->tool_version ? m->tool_version : "?");
    text_printf(r->out, " on ");
    put_text(r, m->created_at ? m->created_at : "");
    text_printf(r->out, " from <code>");
    put_text(r, m->data_path ? m->data_path : "?");
    text_printf(r->out, "</code> (%s rows, %s bytes, fingerprint %016" PRIx64 "); %s rows used",
                  report_count(rows, sizeof rows, (double)m->data_rows), report_count(bytes, sizeof bytes, (double)m->data_bytes),
                  m->data_hash, report_count(used, sizeof used, (double)m->rows_used));
    if (m->dropped_missing_feature || m->dropped_missing_label)
        text_printf(r->out, " (%zu dropped for a missing feature, %zu for a missing label)", m->dropped_missing_feature,
                      m->dropped_missing_label);
    text_printf(r->out, ". Options: missing cells %s", missing_policy_name(m->enc->missing));
    if (m->firth)
        text_printf(r->out, ", Firth's penalised likelihood");
    if (m->balance)
        text_printf(r->out, ", classes balanced");
    if (m->weight_column) {
        text_printf(r->out, ", row weights from ");
        put_text(r, m->weight_column);
    }
    if (m->targets[0].l2 > 0)
        text_printf(r->out, ", ridge l2 = %g%s", m->targets[0].l2, m->l2_cv ? " (cross-validated)" : "");
    if (m->by_column) {
        text_printf(r->out, ", one model per level of ");
        put_text(r, m->by_column);
    }
    for (size_t f = 0, n = 0; f < m->enc->n_features; f++)
        if (m->enc->features[f].smooth) {
            text_printf(r->out, n++ ? ", " : ", smooth terms (penalised cubic regression splines, as mgcv's) for ");
            put_text(r, m->enc->features[f].name);
        }
    if (!model_has_health(m)) {
        text_printf(r->out, "; %g%% intervals; no health buckets (an expansion model alone).</p>\n", 100 * m->confidence);
        return;
    }
    text_printf(r->out, "; %g%% intervals; buckets: red below health %g, yellow below %g, green above", 100 * m->confidence,
                m->red_below, m->yellow_below);
    if (m->bands_source.by_share)
        text_printf(r->out, " (set so the riskiest %g%% of the fitting rows are red, the next %g%% yellow)",
                    100 * m->bands_source.asked[0], 100 * m->bands_source.asked[1]);
    else
        text_printf(r->out, " (absolute cut-offs)");
    text_printf(r->out, ".</p>\n");
}

/* Where the judging numbers come from, for one target. */
static const metrics *stored_metrics(const model_target *t)
{
    return t->validation ? &t->validation->overall : NULL;
}

static void ranking_line(report *r, size_t k)
{
    const model_target *t = &r->m->targets[k];
    char events[32], n[32], top[64];
    /* this target's words: a two-target page's own (r->words) are churn's */
    report_top(top, sizeof top, report_outcome_words(t->name), "10% of accounts");
    text_printf(r->out, "<li><b>%s</b> (", target_title(t));
    put_text(r, t->label);
    text_printf(r->out, "): %s events in %s training rows (%.1f%%). ", report_count(events, sizeof events, (double)t->n_events),
                  report_count(n, sizeof n, (double)t->n_obs), t->n_obs ? 100.0 * (double)t->n_events / (double)t->n_obs : 0);
    const metrics *stored = stored_metrics(t);
    if (r->has_data) {
        const metrics *mm = &r->data[k].model_m;
        text_printf(r->out, "Ranks with ROC AUC <b>%.3f</b>; %s hold <b>%.1f%%</b> of the "
                              "events (%s labelled rows of <code>",
                      mm->roc_auc, top, 100 * mm->top_decile_capture, report_count(n, sizeof n, (double)mm->n));
        put_text(r, r->in->data_path);
        text_printf(r->out, "</code>).");
    } else if (stored) {
        text_printf(r->out, "Ranks with ROC AUC <b>%.3f</b>; %s hold <b>%.1f%%</b> of the "
                              "events (%s held-out rows, ",
                      stored->roc_auc, top, 100 * stored->top_decile_capture, report_count(n, sizeof n, (double)stored->n));
        put_text(r, t->validation->method);
        text_printf(r->out, ").");
    } else {
        text_printf(r->out, "How well it ranks needs held-out rows: train with --holdout, or pass --data LABELLED.csv.");
    }
    text_printf(r->out, "</li>\n");
}

/* Rows and events per bucket: from the data, else the stored held-out rows. */
static int bucket_counts(const report *r, size_t rows[3], double events[3])
{
    if (!model_has_health(r->m))
        return 0; /* health and buckets come from churn risk: a propensity model has none */
    if (r->has_data) {
        const target_data *d = &r->data[r->churn];
        size_t counted[3];
        compare_bucket_counts(d->rows.y, d->rows.model_bucket, d->rows.n, rows, counted);
        for (int b = 0; b < 3; b++)
            events[b] = (double)counted[b];
        return 1;
    }
    const model_validation *stored = r->m->targets[r->churn].validation;
    if (stored == NULL || !stored->with_buckets)
        return 0;
    for (int b = 0; b < 3; b++) {
        rows[b] = stored->overall.bucket_rows[b];
        events[b] = stored->overall.bucket_events[b];
    }
    return 1;
}

/* What red, and red with yellow, hold of the accounts and of the churners
 * on the rows shown, and how the bands were set: what a team acting on
 * the buckets needs first. */
static void bands_sentence(report *r, const size_t rows[3], const double events[3])
{
    const model *m = r->m;
    double accounts = (double)(rows[BUCKET_RED] + rows[BUCKET_YELLOW] + rows[BUCKET_GREEN]);
    double churners = events[BUCKET_RED] + events[BUCKET_YELLOW] + events[BUCKET_GREEN]; /* the events */
    double red_rows = (double)rows[BUCKET_RED], alert_rows = red_rows + (double)rows[BUCKET_YELLOW];
    double red_events = events[BUCKET_RED], alert_events = red_events + events[BUCKET_YELLOW];
    text_printf(r->out, "red (health below %g) holds <b>%.1f%%</b> of the accounts and <b>%.1f%%</b> of the %s; "
                        "red and yellow (below %g) hold <b>%.1f%%</b> and <b>%.1f%%</b>. ",
                m->red_below, accounts > 0 ? 100 * red_rows / accounts : 0,
                churners > 0 ? 100 * red_events / churners : 0, r->words->events, m->yellow_below,
                accounts > 0 ? 100 * alert_rows / accounts : 0, churners > 0 ? 100 * alert_events / churners : 0);
    const model_bands_source *source = &m->bands_source;
    char fitting[32];
    if (source->by_share)
        text_printf(r->out, "The bands were set from shares of the %s fitting rows: the riskiest %g%% red, the next "
                            "%g%% yellow.", report_count(fitting, sizeof fitting, (double)source->rows),
                    100 * source->asked[0], 100 * source->asked[1]);
    else
        text_printf(r->out, "The bands are absolute cut-offs.");
}

static void section_headline(report *r)
{
    fit_line(r);
    text_printf(r->out, "<ul class=\"headline\">\n");
    ranking_line(r, r->churn);
    size_t rows[3];
    double events[3];
    if (bucket_counts(r, rows, events)) {
        char a[32], b[32], c[32];
        text_printf(r->out, "<li><b>Buckets</b>%s: ", r->has_data ? "" : " (held-out rows)");
        bands_sentence(r, rows, events);
        text_printf(r->out, " %s green (%.1f%% %s), %s yellow (%.1f%%), %s red (%.1f%%).</li>\n",
                      report_count(a, sizeof a, (double)rows[BUCKET_GREEN]),
                      rows[BUCKET_GREEN] ? 100 * events[BUCKET_GREEN] / (double)rows[BUCKET_GREEN] : 0, r->words->happened,
                      report_count(b, sizeof b, (double)rows[BUCKET_YELLOW]),
                      rows[BUCKET_YELLOW] ? 100 * events[BUCKET_YELLOW] / (double)rows[BUCKET_YELLOW] : 0,
                      report_count(c, sizeof c, (double)rows[BUCKET_RED]),
                      rows[BUCKET_RED] ? 100 * events[BUCKET_RED] / (double)rows[BUCKET_RED] : 0);
    }
    for (size_t k = 0; k < r->m->n_targets; k++)
        if (k != r->churn)
            ranking_line(r, k);
    text_printf(r->out, "</ul>\n");
}

/* ------------------------------------------------------------ 2. drivers */

typedef struct {
    size_t feature;  /* an effect: a feature, or a pair (encoding_n_effects) */
    double size; /* largest |standardised coefficient| among its terms */
} feature_size;

static int by_size_descending(const void *a, const void *b)
{
    double x = ((const feature_size *)a)->size, y = ((const feature_size *)b)->size;
    return (x < y) - (x > y);
}

typedef struct {
    size_t term;
    double size;
} term_size;

static int term_by_size_descending(const void *a, const void *b)
{
    double x = ((const term_size *)a)->size, y = ((const term_size *)b)->size;
    return (x < y) - (x > y);
}

/* The chart rows of one target: features by their largest standardised
 * coefficient, a column with several terms heading them (largest first),
 * aliased terms and a smooth column's basis terms left out (one by one
 * their odds ratios mean nothing: the curve is in smooth_table).  rows
 * holds 2 x n_terms; returns the count. */
/* An effect's terms (a feature's, or a pair's: encoding_n_effects). */
static void effect_terms(const encoding *enc, size_t e, size_t *first, size_t *n)
{
    if (e < enc->n_features) {
        *first = enc->features[e].first_term;
        *n = enc->features[e].n_terms;
    } else {
        *first = enc->pairs[e - enc->n_features].first_term;
        *n = enc->pairs[e - enc->n_features].n_terms;
    }
}

/* A column of 0s and 1s (its sd that of a 0/1 variable with its mean):
 * a step of one unit is already the meaningful one. */
static int looks_binary(double mean, double sd)
{
    return mean > 0 && mean < 1 && fabs(sd - sqrt(mean * (1 - mean))) < 0.02 * sd;
}

/* A term's row; a numeric column's own term over +1 sd (its term_sd, the
 * sd standardised coefficients use), so the chart's odds ratios rank as
 * the rows are sorted and read in a step the column actually moves. */
static odds_row term_row(const model *m, const model_target *t, size_t k, const char *label, int indent)
{
    const encoding *enc = m->enc;
    long f = enc->term_feature[k];
    const enc_feature *feature = f >= 0 ? &enc->features[f] : NULL;
    double sd = enc->term_sd[k];
    term_inference inf;
    inference_term(t->estimate[k], t->std_error[k], m->confidence, sd, &inf);
    odds_row row = {.label = label, .term = enc->term_names[k], .indent = indent, .odds = inf.odds_ratio,
                    .low = inf.odds_low, .high = inf.odds_high, .standardised = inf.standardised, .p = t->p_value[k]};
    if (feature && feature->type == TYPE_NUMERIC && k == feature->first_term && !feature->smooth && sd > 0 &&
        isfinite(sd) && !looks_binary(enc->term_mean[k], sd)) {
        row.step = sd;
        row.unit_odds = inf.odds_ratio;
        row.odds = exp(t->estimate[k] * sd);
        row.low = exp(inf.low * sd);
        row.high = exp(inf.high * sd);
        char count[32];
        if (sd < 1000)
            snprintf(row.note, sizeof row.note, "+1 SD = %.3g", sd);
        else /* 2,266 rather than 2.27e+03 */
            snprintf(row.note, sizeof row.note, "+1 SD = %s", report_count(count, sizeof count, sd));
    }
    return row;
}

/* A missing-cell indicator (COL_missing): one term per column that had
 * missing cells, listed apart (their wide intervals crowd the columns'). */
static int missing_term(const encoding *enc, size_t k)
{
    long f = enc->term_feature[k];
    if (f < 0 || !enc->features[f].missing_term)
        return 0;
    const enc_feature *feature = &enc->features[f];
    return k == feature->first_term + feature->n_terms - 1;
}

/* text, or its first bytes that fit size on a character boundary (the
 * page is UTF-8: a cut inside a character would show as U+FFFD). */
static const char *utf8_cut(char *out, size_t size, const char *text)
{
    size_t len = strlen(text);
    if (len < size)
        return text;
    for (len = size - 1; len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80;)
        len--;
    memcpy(out, text, len);
    out[len] = '\0';
    return out;
}

/* A driver's name for a reader: a collinear group of more than three
 * columns by its first two and a count (the page lists them all under the
 * odds ratios). */
static const char *driver_label(char *out, size_t size, const model_target *t, const encoding *enc, size_t e)
{
    const model_drivers *drivers = &t->drivers;
    if (!model_driver_merged(drivers, e))
        return model_driver_name(drivers, enc, e);
    size_t members[2] = {e, e}, n = 0;
    for (size_t f = e; f < encoding_n_effects(enc); f++)
        if (model_driver_head(drivers, f) == e && n++ < 2)
            members[n - 1] = f;
    if (n <= 3)
        return model_driver_name(drivers, enc, e);
    char first[64], second[64];
    snprintf(out, size, "%s + %s + %zu more", utf8_cut(first, sizeof first, encoding_effect_name(enc, members[0])),
             utf8_cut(second, sizeof second, encoding_effect_name(enc, members[1])), n - 2);
    return out;
}

/* A term drawn among the odds ratios: not aliased, not a curve's basis,
 * not a collinear group's (its own odds ratio means nothing: the group is
 * one line, collinear_list), not a missing-cell indicator. */
static int drawn_term(const encoding *enc, const model_target *t, size_t k)
{
    return !t->aliased[k] && !curve_is_basis_term(enc, k) && !missing_term(enc, k) &&
           !model_in_collinear_group(t, k);
}

/* Out of memory: *failed set (the page is not written), 0 rows.  rows
 * holds 4 x n_terms + 2.  A categorical column shows its ODDS_LEVELS
 * largest levels and counts the rest; a collinear group is one note line
 * after the columns; missing-cell indicators come last under their own
 * title, not widening the axis. */
#define ODDS_LEVELS 8
static size_t odds_rows(const model *m, const model_target *t, odds_row *rows, int *failed)
{
    const encoding *enc = m->enc;
    size_t n_effects = encoding_n_effects(enc);
    feature_size *order = vt_calloc(n_effects + 1, sizeof *order);
    term_size *terms = vt_calloc(enc->n_terms + 1, sizeof *terms);
    size_t n = 0, n_missing = 0;
    if (order == NULL || terms == NULL) {
        free(order);
        free(terms);
        *failed = 1;
        return 0;
    }
    for (size_t e = 0; e < n_effects; e++) {
        size_t first, count;
        effect_terms(enc, e, &first, &count);
        order[e].feature = e;
        for (size_t k = first; k < first + count; k++)
            if (drawn_term(enc, t, k))
                order[e].size = fmax(order[e].size, fabs(t->estimate[k] * enc->term_sd[k]));
    }
    qsort(order, n_effects, sizeof *order, by_size_descending);
    for (size_t i = 0; i < n_effects; i++) {
        size_t e = order[i].feature, first, count, n_terms = 0;
        effect_terms(enc, e, &first, &count);
        for (size_t k = first; k < first + count; k++)
            if (drawn_term(enc, t, k))
                terms[n_terms++] = (term_size){k, fabs(t->estimate[k] * enc->term_sd[k])};
        if (n_terms == 0)
            continue;
        /* A categorical column heads its levels, a pair its terms. */
        const enc_feature *feature = e < enc->n_features ? &enc->features[e] : NULL;
        const char *name = encoding_effect_name(enc, e);
        int grouped = feature ? feature->type == TYPE_CATEGORICAL : n_terms > 1;
        if (grouped)
            rows[n++] = (odds_row){.label = name, .term = name, .is_heading = 1,
                                   .baseline = feature && feature->n_levels ? feature->levels[0] : NULL};
        qsort(terms, n_terms, sizeof *terms, term_by_size_descending);
        size_t shown = grouped && n_terms > ODDS_LEVELS + 1 ? ODDS_LEVELS : n_terms;
        for (size_t j = 0; j < shown; j++) {
            size_t k = terms[j].term;
            const char *label = enc->term_names[k];
            size_t prefix = strlen(name);
            /* A level shows as itself under its column ("One year" under Contract). */
            if (feature && grouped && strncmp(label, name, prefix) == 0 && label[prefix] != '\0')
                label += prefix;
            rows[n++] = term_row(m, t, k, label, grouped);
        }
        if (shown < n_terms) {
            odds_row *more = &rows[n++];
            *more = (odds_row){.is_note = 1, .indent = 1};
            snprintf(more->note, sizeof more->note, "and %zu more levels: vitals summary",
                     n_terms - shown);
        }
    }
    for (size_t g = 0; g < t->n_collinear; g++) { /* one line per driver: groups may share one */
        size_t head = model_driver_head(&t->drivers, (size_t)enc->term_effect[t->collinear[g].terms[0]]), h = 0;
        while (h < g && model_driver_head(&t->drivers, (size_t)enc->term_effect[t->collinear[h].terms[0]]) != head)
            h++;
        if (h < g)
            continue;
        odds_row *group = &rows[n++];
        *group = (odds_row){.is_note = 1};
        char label[160], cut[56]; /* the note's 96 bytes hold the words after it */
        snprintf(group->note, sizeof group->note, "%s: nearly collinear, one driver (below)",
                 utf8_cut(cut, sizeof cut, driver_label(label, sizeof label, t, enc, head)));
    }
    for (size_t k = 1; k < enc->n_terms; k++)
        n_missing += missing_term(enc, k) && !t->aliased[k];
    if (n_missing) {
        odds_row *title = &rows[n++];
        *title = (odds_row){.is_note = 1};
        snprintf(title->note, sizeof title->note, "Missing cells (against a filled cell)");
        for (size_t k = 1; k < enc->n_terms; k++)
            if (missing_term(enc, k) && !t->aliased[k]) {
                rows[n] = term_row(m, t, k, enc->term_names[k], 1);
                rows[n++].secondary = 1;
            }
    }
    free(order);
    free(terms);
    return n;
}

/* Each collinear group in words: its size as one driver, and why its
 * columns' own odds ratios are not drawn. */
static void collinear_list(report *r, const model_target *t)
{
    const encoding *enc = r->m->enc;
    if (t->n_collinear == 0)
        return;
    text_printf(r->out, "<p>Nearly collinear columns, read as one driver (condition index above 30, variance "
                        "shares above one half): how their effect splits between them is not identified, so their "
                        "own odds ratios and signs mean nothing and are not drawn (vitals summary lists them). "
                        "Leave one out (<code>--drop</code>) or add <code>--l2</code> to fit them apart.</p>\n<ul>\n");
    for (size_t g = 0; g < t->n_collinear; g++) {
        const model_collinear *group = &t->collinear[g];
        text_printf(r->out, "<li>");
        for (size_t i = 0; i < group->n_terms; i++) {
            text_printf(r->out, "%s<code>", i == 0 ? "" : i + 1 == group->n_terms ? " and " : ", ");
            put_text(r, enc->term_names[group->terms[i]]);
            text_printf(r->out, "</code>");
        }
        text_printf(r->out, " (condition index %.3g): their summed contribution varies by %.3g in the log-odds "
                            "(one standard deviation over the training rows), the odds &#215;%.3g</li>\n",
                    group->condition_index, group->standardised, exp(group->standardised));
    }
    text_printf(r->out, "</ul>\n");
}

static void aliased_list(report *r, const model_target *t)
{
    size_t n = 0;
    for (size_t k = 1; k < r->m->enc->n_terms; k++)
        n += t->aliased[k] != 0;
    if (n == 0)
        return;
    text_printf(r->out, "<p>Dropped as aliased (no estimate, as R's NA):</p>\n<ul>\n");
    for (size_t k = 1; k < r->m->enc->n_terms; k++)
        if (t->aliased[k]) {
            text_printf(r->out, "<li><code>");
            put_text(r, r->m->enc->term_names[k]);
            text_printf(r->out, "</code>: ");
            put_text(r, t->alias_reason[k] ? t->alias_reason[k] : "linearly dependent on other terms");
            text_printf(r->out, "</li>\n");
        }
    text_printf(r->out, "</ul>\n");
}

static int has_curves(const model *m)
{
    for (size_t f = 0; f < m->enc->n_features; f++)
        if (m->enc->features[f].smooth)
            return 1;
    return 0;
}

/* A p-value as summary.gam prints a tiny one. */
static void put_p(report *r, double p)
{
    if (p < 2e-16)
        text_printf(r->out, "<td>&lt; 2e-16</td>");
    else
        text_printf(r->out, "<td>%.3g</td>", p);
}


/* ------------------------------------------------------------ ti terms */

/* The training range of ti pair p: each margin's first and last knot. */
static void tensor_range(const enc_pair *pair, double *a_lo, double *a_hi, double *b_lo, double *b_hi)
{
    const smooth_spec *ma = &pair->tensor->margin[0], *mb = &pair->tensor->margin[1];
    *a_lo = ma->knots[0];
    *a_hi = ma->knots[ma->k - 1];
    *b_lo = mb->knots[0];
    *b_hi = mb->knots[mb->k - 1];
}

/* The smallest and largest f of ti pair p over a grid of its training
 * range (the smooth table's range of effect), and where. */
typedef struct {
    double min, max, a_min, b_min, a_max, b_max;
} tensor_extent;
static void tensor_span(const model *m, const model_target *t, size_t p, tensor_extent *out)
{
    double a_lo, a_hi, b_lo, b_hi;
    tensor_range(&m->enc->pairs[p], &a_lo, &a_hi, &b_lo, &b_hi);
    *out = (tensor_extent){INFINITY, -INFINITY, NAN, NAN, NAN, NAN};
    for (size_t j = 0; j <= TENSOR_NY; j++)
        for (size_t i = 0; i <= TENSOR_NX; i++) {
            double a = a_lo + (a_hi - a_lo) * (double)i / TENSOR_NX, b = b_lo + (b_hi - b_lo) * (double)j / TENSOR_NY, f;
            curve_eval_tensor(m, t, p, a, b, &f, NULL);
            if (f < out->min) {
                out->min = f;
                out->a_min = a;
                out->b_min = b;
            }
            if (f > out->max) {
                out->max = f;
                out->a_max = a;
                out->b_max = b;
            }
        }
}

/* The smooth table's row of ti pair p (entry s of t's fit: both
 * penalties' smoothing parameters, the rest the term's). */
static void tensor_table_row(report *r, const model_target *t, size_t s)
{
    const model *m = r->m;
    const model_smooth_fit *fit = t->smooth;
    size_t p = (size_t)fit->tensor[s];
    char *name = model_smooth_name(m->enc, fit, s);
    tensor_extent extent;
    double a_lo, a_hi, b_lo, b_hi;
    tensor_span(m, t, p, &extent);
    tensor_range(&m->enc->pairs[p], &a_lo, &a_hi, &b_lo, &b_hi);
    text_printf(r->out, "<tr><td>");
    put_text(r, name ? name : "ti");
    free(name);
    text_printf(r->out, "</td><td>%.3f</td><td>%.3f</td><td>%.2f</td>", fit->edf[s], fit->ref_df[s], fit->chi_sq[s]);
    put_p(r, fit->p_value[s]);
    text_printf(r->out, "<td>%.4g, %.4g</td><td>%.4g&#215;</td><td>%.4g, %.4g</td><td>%.4g, %.4g</td><td>%.4g, %.4g</td>"
                        "<td>%.4g, %.4g</td></tr>\n",
                fit->sp[s], s + 1 < fit->n_smooths ? fit->sp[s + 1] : NAN, exp(extent.max - extent.min), extent.a_min,
                extent.b_min, extent.a_max, extent.b_max, a_lo, b_lo, a_hi, b_hi);
}

/* One row per smooth term of t: what REML chose and summary.gam reports,
 * and the curve's range of effect on the odds between its end knots. */
static void smooth_table(report *r, const model_target *t, const char *id)
{
    const model *m = r->m;
    if (t->smooth == NULL || t->smooth->n_smooths == 0)
        return;
    text_printf(r->out, "<p>Smooth terms: each is a curve, not a coefficient (its basis terms are left out of the "
                        "chart). Range of effect: how many times the odds move from the curve's lowest to its highest "
                        "point between the first and last knot, exp(max f &#8722; min f)%s.</p>\n",
                m->by_column ? "; the pooled model's curves" : "");
    text_printf(r->out, "<div class=\"scroll\"><table id=\"%s\">\n<tr><th>column</th><th>edf</th><th>Ref.df</th>"
                        "<th>Chi.sq</th><th>p-value</th><th>smoothing parameter</th><th>range of effect on the odds</th>"
                        "<th>lowest at</th><th>highest at</th><th>knots from</th><th>to</th></tr>\n",
                id);
    const model_smooth_fit *fit = t->smooth;
    for (size_t s = 0; s < fit->n_smooths; s++) {
        if (fit->tensor[s] >= 0) { /* ti(A, B): one row, though two entries (one per penalty) */
            if (fit->penalty[s] == 0)
                tensor_table_row(r, t, s);
            continue;
        }
        size_t f = fit->feature[s];
        curve_extent extent;
        double lo = NAN, hi = NAN;
        const enc_feature *feature = &m->enc->features[f];
        if (feature->smooth_by && fit->level[s] >= 0)
            curve_span_level(m, t, f, fit->level[s], &extent);
        else
            curve_span(m, t, f, &extent);
        curve_knot_range(feature, &lo, &hi);
        text_printf(r->out, "<tr><td>");
        put_text(r, feature->name);
        if (feature->smooth_by && fit->level[s] >= 0) { /* a curve per level: named as its chart's legend */
            text_printf(r->out, " for ");
            put_text(r, m->enc->features[encoding_by_column(m->enc, f)].levels[fit->level[s]]);
        }
        text_printf(r->out, "</td><td>%.3f</td><td>%.3f</td><td>%.2f</td>", fit->edf[s], fit->ref_df[s], fit->chi_sq[s]);
        put_p(r, fit->p_value[s]);
        text_printf(r->out, "<td>%.4g</td><td>%.4g&#215;</td><td>%.4g</td><td>%.4g</td><td>%.4g</td><td>%.4g</td></tr>\n",
                    fit->sp[s], exp(extent.max - extent.min), extent.x_min, extent.x_max, lo, hi);
    }
    text_printf(r->out, "</table></div>\n");
}

static const sc_measure *card_measure(const scorecard *card, const char *column)
{
    for (size_t i = 0; card && card->n_sets && i < card->sets[0].n_measures; i++)
        if (strcmp(card->sets[0].measures[i].column, column) == 0)
            return &card->sets[0].measures[i];
    return NULL;
}

static const char *const level_colours[] = {SVG_BLUE, SVG_VERMILION, SVG_GREEN, SVG_PURPLE, SVG_SKY, SVG_ORANGE};

/* Where the accounts are in smooth feature f (the labelled rows read for
 * target k): its 0.5% and 99.5% quantiles (type 1) and its median; 0
 * without data. */
static int account_range(const report *r, size_t k, size_t f, double *lo, double *hi, double *median)
{
    const compare_rows *rows = r->has_data ? &r->data[k].rows : NULL;
    for (size_t c = 0; rows && c < rows->n_curves; c++) {
        if (rows->curve_feature[c] != f || rows->n == 0)
            continue;
        double *values = vt_malloc(rows->n * sizeof(double));
        if (values == NULL)
            return 0;
        for (size_t i = 0; i < rows->n; i++)
            values[i] = rows->curve_x[i * rows->n_curves + c];
        qsort(values, rows->n, sizeof(double), vt_compare_doubles);
        *lo = values[(size_t)(0.005 * (double)(rows->n - 1))];
        *hi = values[(size_t)ceil(0.995 * (double)(rows->n - 1))];
        *median = values[(rows->n - 1) / 2];
        free(values);
        return *lo < *hi;
    }
    return 0;
}

/* Accounts per bin of [lo, hi] of smooth feature f, from the labelled rows
 * read for target k (compare_rows keeps each smooth column's values);
 * 0 when the data holds none. */
static int account_counts(const report *r, size_t k, size_t f, double lo, double hi, int log_x, size_t *counts)
{
    if (!r->has_data)
        return 0;
    const compare_rows *rows = &r->data[k].rows;
    for (size_t c = 0; c < rows->n_curves; c++) {
        if (rows->curve_feature[c] != f)
            continue;
        memset(counts, 0, SMOOTH_CHART_BINS * sizeof *counts);
        for (size_t i = 0; i < rows->n; i++) {
            double x = rows->curve_x[i * rows->n_curves + c];
            long b = (long)floor(smooth_x_fraction(lo, hi, log_x, x) * SMOOTH_CHART_BINS);
            counts[b < 0 ? 0 : b >= SMOOTH_CHART_BINS ? SMOOTH_CHART_BINS - 1 : b]++;
        }
        return 1;
    }
    return 0;
}

/* A whole number, or one a quantile's rounding left a hair off it
 * (6.999999999999999). */
static int near_whole(double x)
{
    return fabs(x - round(x)) <= 1e-9 * fmax(1, fabs(x));
}

/* Whether the column holds whole numbers (tickets, days): the reading
 * then names whole values.  With data, every row's value (a missing
 * cell's imputed mean aside); without, every knot. */
static int column_whole(const report *r, size_t k, const enc_feature *feature, size_t f)
{
    const compare_rows *rows = r->has_data ? &r->data[k].rows : NULL;
    for (size_t c = 0; rows && c < rows->n_curves; c++) {
        if (rows->curve_feature[c] != f)
            continue;
        for (size_t i = 0; i < rows->n; i++) {
            double x = rows->curve_x[i * rows->n_curves + c];
            if (!near_whole(x) && !(feature->missing_term && x == feature->impute))
                return 0;
        }
        return 1;
    }
    for (size_t j = 0; j < feature->smooth->k; j++)
        if (!near_whole(feature->smooth->knots[j]))
            return 0;
    return 1;
}

/* A value of the column as a reader says it: a whole number on a whole
 * column, else to about a twentieth of the range read (0.23, not
 * 0.2252: a grid point's digits say nothing), large ones to 3 digits with
 * thousands separators. */
static const char *reading_value(char *text, size_t size, double x, double range, int whole)
{
    int decimals = whole || !(range > 0) ? 0 : (int)fmax(0, -floor(log10(range / 20)));
    if (decimals == 0 && fabs(x) >= 1000) {
        double unit = pow(10, floor(log10(fabs(x))) - 2);
        return report_count(text, size, round(x / unit) * unit);
    }
    double scale = pow(10, decimals), shown = round(x * scale) / scale + 0.0; /* + 0.0: no "-0" */
    snprintf(text, size, "%.*f", decimals, shown);
    size_t len = strlen(text);
    while (decimals && len > 1 && (text[len - 1] == '0' || text[len - 1] == '.')) { /* 0.20 as 0.2, 0.00 as 0 */
        int dot = text[len - 1] == '.';
        text[--len] = '\0';
        if (dot)
            break;
    }
    return text;
}

/* The stretch the reading describes: the middle 90% of the accounts
 * (from the strip's bins), else (no data) the training range within 2 sd
 * of the training mean: a curve's ends rest on a few rows and would give
 * the widest, least certain numbers. */
static const char *reading_range(const smooth_chart *c, double *from, double *to)
{
    *from = c->train_lo;
    *to = c->train_hi;
    if (c->counts) {
        size_t total = 0, seen = 0;
        for (size_t b = 0; b < SMOOTH_CHART_BINS; b++)
            total += c->counts[b];
        for (size_t b = 0; total && b < SMOOTH_CHART_BINS; b++) {
            if ((double)seen < 0.05 * (double)total && (double)(seen + c->counts[b]) >= 0.05 * (double)total)
                *from = fmax(*from, smooth_x_at(c->lo, c->hi, c->log_x, (double)b / SMOOTH_CHART_BINS));
            seen += c->counts[b];
            if ((double)seen >= 0.95 * (double)total) {
                *to = fmin(*to, smooth_x_at(c->lo, c->hi, c->log_x, (double)(b + 1) / SMOOTH_CHART_BINS));
                break;
            }
        }
        if (total > 0 && *from < *to)
            return "over the middle 90% of the accounts";
    } else if (c->sd > 0 && fmax(c->train_lo, c->mean - 2 * c->sd) < fmin(c->train_hi, c->mean + 2 * c->sd)) {
        *from = fmax(c->train_lo, c->mean - 2 * c->sd);
        *to = fmin(c->train_hi, c->mean + 2 * c->sd);
        return "within 2 sd of the training mean";
    }
    *from = c->train_lo;
    *to = c->train_hi;
    return "over the training range";
}

/* Grid indices [*first, *last] of line inside [from, to]; 0 if none. */
static int reading_span(const smooth_line *line, double from, double to, size_t *first, size_t *last)
{
    size_t i = 0;
    while (i < line->n && line->x[i] < from)
        i++;
    size_t j = i;
    while (j + 1 < line->n && line->x[j + 1] <= to)
        j++;
    *first = i;
    *last = j;
    return i < line->n && line->x[i] <= to;
}

/* The index of the largest (sign 1) or smallest (-1) f in [first, last]. */
static size_t reading_extreme(const smooth_line *line, size_t first, size_t last, int sign)
{
    size_t best = first;
    for (size_t i = first; i <= last; i++)
        if (sign * line->f[i] > sign * line->f[best])
            best = i;
    return best;
}

/* Where a flat end begins: walking in from the end (step -1 from last,
 * +1 from first) while the curve stays within 10% on the odds. */
static size_t flat_end(const smooth_line *line, size_t first, size_t last, int from_right)
{
    size_t end = from_right ? last : first, i = end;
    double lo = line->f[end], hi = line->f[end];
    for (;;) {
        size_t next = from_right ? i - 1 : i + 1;
        if ((from_right && i == first) || (!from_right && i == last))
            return i;
        double f = line->f[next];
        if (fmax(hi, f) - fmin(lo, f) >= log(1.1))
            return i;
        lo = fmin(lo, f);
        hi = fmax(hi, f);
        i = next;
    }
}

#define READING_REBOUND 1.25 /* an extreme inside the stretch is told when the curve moves back this much */

/* The shape after the main comparison: a curve that turns back (a U, a
 * hump), or ends that are flat. */
static void reading_shape(report *r, const smooth_line *line, size_t first, size_t last, size_t at_max, size_t at_min,
                          int whole)
{
    double range = line->x[last] - line->x[first];
    if (whole && range < 10)
        return; /* a few whole values (invoices 0-3): between them the curve is only interpolation */
    char a[64], b[64];
    for (int sign = -1; sign <= 1; sign += 2) {
        /* sign -1: the lowest point inside, the curve rising again beyond it
         * (away from the highest); +1: the highest inside, falling again */
        size_t turn = sign < 0 ? at_min : at_max, other = sign < 0 ? at_max : at_min;
        if (turn == first || turn == last)
            continue;
        size_t back = other < turn ? reading_extreme(line, turn, last, -sign) : reading_extreme(line, first, turn, -sign);
        double moved = fabs(line->f[back] - line->f[turn]);
        if (exp(moved) < READING_REBOUND)
            continue;
        reading_value(a, sizeof a, line->x[turn], range, whole);
        reading_value(b, sizeof b, line->x[back], range, whole);
        text_printf(r->out, "; %s at %s, then %.2g times %s at %s", sign < 0 ? "lowest" : "highest", a, exp(moved),
                    sign < 0 ? "higher again" : "lower again", b);
        return;
    }
    size_t left = flat_end(line, first, last, 0), right = flat_end(line, first, last, 1);
    int flat_left = line->x[left] - line->x[first] >= 0.2 * range && left < last;
    int flat_right = line->x[last] - line->x[right] >= 0.2 * range && right > first && right > left;
    if (!flat_left && !flat_right)
        return;
    text_printf(r->out, "; flat");
    if (flat_left)
        text_printf(r->out, " below %s", reading_value(a, sizeof a, line->x[left], range, whole));
    if (flat_right)
        text_printf(r->out, "%s above %s", flat_left ? " and" : "", reading_value(a, sizeof a, line->x[right], range, whole));
}

/* The card against the curve where the accounts are: the correlation of
 * its points and f over the grid, each point weighed by the accounts in
 * its bin (no data: evenly over [from, to]).  Its points are health, so a
 * card that follows the curve correlates negatively with churn risk. */
static double card_correlation(const smooth_chart *c, double from, double to)
{
    double sw = 0, sf = 0, sp = 0, sff = 0, spp = 0, sfp = 0;
    const smooth_line *line = &c->lines[0];
    for (size_t i = 0; i < line->n; i++) {
        double w;
        if (c->counts) {
            long b = (long)floor(smooth_x_fraction(c->lo, c->hi, c->log_x, line->x[i]) * SMOOTH_CHART_BINS);
            w = b < 0 || b >= SMOOTH_CHART_BINS ? 0 : (double)c->counts[b];
        } else
            w = line->x[i] >= from && line->x[i] <= to;
        double f = line->f[i], pts = smooth_chart_card_points(c, line->x[i]);
        sw += w;
        sf += w * f;
        sp += w * pts;
        sff += w * f * f;
        spp += w * pts * pts;
        sfp += w * f * pts;
    }
    if (sw <= 0)
        return 0;
    double cov = sfp / sw - (sf / sw) * (sp / sw), vf = sff / sw - (sf / sw) * (sf / sw),
           vp = spp / sw - (sp / sw) * (sp / sw);
    return vf > 0 && vp > 0 ? cov / sqrt(vf * vp) : 0;
}

/* The reading under a curve chart: one sentence on what the curve does
 * where the accounts are, and one when the card runs against it. */
static void smooth_reading(report *r, const smooth_chart *c, const model_target *t, int whole)
{
    double from, to;
    const char *where = reading_range(c, &from, &to);
    const smooth_line *widest = NULL;
    size_t first = 0, last = 0, at_max = 0, at_min = 0;
    for (size_t l = 0; l < c->n_lines; l++) {
        size_t i, j;
        if (!reading_span(&c->lines[l], from, to, &i, &j))
            continue;
        size_t hi = reading_extreme(&c->lines[l], i, j, 1), lo = reading_extreme(&c->lines[l], i, j, -1);
        if (widest == NULL || c->lines[l].f[hi] - c->lines[l].f[lo] > widest->f[at_max] - widest->f[at_min]) {
            widest = &c->lines[l];
            first = i;
            last = j;
            at_max = hi;
            at_min = lo;
        }
    }
    text_printf(r->out, "<p class=\"reading\">");
    if (widest == NULL) { /* a chart narrower than a grid step: nothing to read */
        text_printf(r->out, "</p>\n");
        return;
    }
    double ratio = exp(widest->f[at_max] - widest->f[at_min]), range = widest->x[last] - widest->x[first];
    char a[64], b[64];
    if (ratio < 1.1) {
        text_printf(r->out, "Nearly flat %s: ", where);
        put_text(r, c->column);
        text_printf(r->out, " moves the %s odds by less than 10%%", t->name);
    } else if (widest->p_value > 0.05) { /* summary.gam's test: a shape chance could draw is not read */
        text_printf(r->out, "No clear effect %s: ", where);
        put_text(r, c->column);
        text_printf(r->out, " moves the %s odds by at most %.2g times, and the data do not settle even that (p = %.2g)",
                    t->name, ratio, widest->p_value);
    } else {
        text_printf(r->out, "%c%s, %s odds are %.2g times higher at ", toupper((unsigned char)where[0]), where + 1,
                    t->name, ratio);
        put_text(r, c->column);
        text_printf(r->out, " %s than at %s", reading_value(a, sizeof a, widest->x[at_max], range, whole),
                    reading_value(b, sizeof b, widest->x[at_min], range, whole));
        if (widest->name) {
            text_printf(r->out, " for ");
            put_text(r, widest->name);
            text_printf(r->out, " (the level whose curve moves most)");
        }
        reading_shape(r, widest, first, last, at_max, at_min, whole);
    }
    text_printf(r->out, ".");
    if (c->card_points) {
        double correlation = card_correlation(c, from, to);
        const outcome_words *words = report_outcome_words(t->name);
        if (correlation > 0.2)
            text_printf(r->out, " <b class=\"disagree\">The card runs against the data here: %s it gives more points "
                                "(healthier) where the curve puts more %s (correlation %.2f).</b>",
                        c->counts ? "over most accounts" : "over the training range", words->risk, correlation);
        else if (correlation < -0.2)
            text_printf(r->out, " The card's points fall where the curve's %s rises, as they should (correlation "
                                "%.2f); compare its thresholds with where the curve bends.",
                        words->score, correlation);
    }
    text_printf(r->out, "</p>\n");
}

/* The card's points for a measure as steps: its thresholds ascending
 * (distinct), and the points below, between and above them, each asked of
 * the card itself (scorecard_measure_points) inside its step, so the
 * chart follows the card's own rule.  Returns the thresholds' count. */
static size_t card_steps(const sc_measure *measure, double *at /* OUT */, double *points /* OUT */)
{
    size_t n = 0;
    for (size_t i = 0; i < measure->n_thresholds; i++)
        at[n++] = measure->thresholds[i].at;
    qsort(at, n, sizeof *at, vt_compare_doubles);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (distinct == 0 || at[i] != at[distinct - 1])
            at[distinct++] = at[i];
    points[0] = measure->otherwise;
    for (size_t s = 0; distinct && s <= distinct; s++) {
        double inside = s == 0 ? at[0] - fmax(1, fabs(at[0]))
                        : s == distinct ? at[s - 1] + fmax(1, fabs(at[s - 1]))
                                        : (at[s - 1] + at[s]) / 2;
        points[s] = scorecard_measure_points(measure, inside);
    }
    return distinct;
}

/* A curve chart's id, curve-TARGET-COLUMN (a link to it reads as what it
 * shows), the column's index in place of a name with characters an id or
 * a URL fragment would need escaped. */
static void curve_id(char *id, size_t size, const char *target, const char *column, size_t f)
{
    int plain = strlen(column) <= 48;
    for (const char *c = column; plain && *c; c++)
        plain = isalnum((unsigned char)*c) || *c == '_' || *c == '-' || *c == '.';
    if (plain)
        snprintf(id, size, "curve-%s-%s", target, column);
    else
        snprintf(id, size, "curve-%s-%zu", target, f);
}

/* summary.gam's p-value of feature f's smooth (level: of its by column,
 * -1 for s(COL)), NaN when t has none. */
static double smooth_p_value(const model_target *t, size_t f, long level)
{
    for (size_t s = 0; t->smooth && s < t->smooth->n_smooths; s++)
        if (t->smooth->feature[s] == f && t->smooth->level[s] == level && t->smooth->tensor[s] < 0)
            return t->smooth->p_value[s];
    return NAN;
}

/* How to read the charts that follow, once per target. */
static void smooth_legend_text(report *r, const model_target *t, int with_card)
{
    text_printf(r->out, "<p>Each curve is its column's multiplier on the %s odds against an account where the "
                        "column has its average effect (1: no effect; log scale, so 2 and 0.5 are the same size), "
                        "shaded with its 95%% band. ",
                t->name);
    if (r->has_data)
        text_printf(r->out, "Bars along the bottom: where the accounts of the data are. ");
    else
        text_printf(r->out, "Ticks along the bottom: the knots, and the grey bar the training mean &#177; 1 sd (the "
                            "model stores no more of its rows; --data LABELLED.csv draws where the accounts are). ");
    text_printf(r->out, "Grey ground, dashed curve: beyond the first or last knot, the training range, where the "
                        "curve goes on as a straight line the data did not draw.");
    if (with_card)
        text_printf(r->out, " Orange steps: the scorecard's points for the same column (right axis, 0&#8211;100, "
                            "higher is healthier).");
    int has_ti = 0;
    for (size_t p = 0; p < r->m->enc->n_pairs; p++)
        has_ti |= r->m->enc->pairs[p].tensor != NULL && curve_tensor_index(t, p) >= 0;
    if (has_ti) {
        text_printf(r->out, " Heat maps: a ti(A,B) term, two columns' interaction alone: how many times the %s odds "
                            "move where both take those values, beyond what the curves of A and of B give separately "
                            "(1: the two curves say it all; vermilion raises the odds, blue lowers them, white is within "
                            "10%%; lines at the colour steps). Hatched: its 95%% band covers 1. ",
                    t->name);
        if (r->has_data)
            text_printf(r->out, "Circles: where the accounts of the data are (area: the log of their count). ");
        else
            text_printf(r->out, "Ticks on the edges: the margins' knots. ");
        text_printf(r->out, "Grey edge: beyond the training range.");
    }
    text_printf(r->out, "</p>\n");
}

/* Where the accounts are in smooth feature f, [*lo, *hi]: 99% of them
 * (account_range), or without data the training range [train_lo,
 * train_hi] within 3 sd of the mean, the model's nearest word on where
 * its accounts were (a knot range wider than the accounts' would give
 * most of a chart to a few rows in a long tail).  Returns whether the
 * column is drawn on a log axis: a positive column whose accounts crowd
 * its low end (seats, MRR: the median in the first 15% of a range over
 * two orders of magnitude), else the crowd is one bar. */
static int accounts_span(const report *r, size_t k, size_t f, double train_lo, double train_hi, double *lo, double *hi)
{
    const enc_feature *feature = &r->m->enc->features[f];
    double middle;
    if (!account_range(r, k, f, lo, hi, &middle)) {
        *lo = feature->sd > 0 ? fmax(train_lo, feature->mean - 3 * feature->sd) : train_lo;
        *hi = feature->sd > 0 ? fmin(train_hi, feature->mean + 3 * feature->sd) : train_hi;
        middle = feature->mean;
        if (!(*lo < *hi)) {
            *lo = train_lo;
            *hi = train_hi;
        }
    }
    return train_lo > 0 && *lo > 0 && *hi / *lo >= 100 && (middle - *lo) / (*hi - *lo) < 0.15;
}

/* A ti chart's id, curve-TARGET-ti-A-B, as curve_id names a curve's (the
 * pair's index in place of names an id would need escaped). */
static void tensor_id(char *id, size_t size, const char *target, const char *a, const char *b, size_t p)
{
    int plain = strlen(a) + strlen(b) <= 80;
    for (const char *c = a; plain && *c; c++)
        plain = isalnum((unsigned char)*c) || *c == '_' || *c == '-' || *c == '.';
    for (const char *c = b; plain && *c; c++)
        plain = isalnum((unsigned char)*c) || *c == '_' || *c == '-' || *c == '.';
    if (plain)
        snprintf(id, size, "curve-%s-ti-%s-%s", target, a, b);
    else
        snprintf(id, size, "curve-%s-ti-%zu", target, p);
}

/* The accounts of the data (target k's rows) in bins of ti pair p's
 * training range: count > 0 bins at their mean position, with the
 * surface there; their count (0: no data, or no values of the columns). */
static size_t tensor_bins(const report *r, size_t k, const model_target *t, size_t p, const tensor_chart *c,
                          tensor_bin *bins /* OUT: TENSOR_BINS_A x TENSOR_BINS_B */)
{
    const compare_rows *rows = r->has_data ? &r->data[k].rows : NULL;
    const enc_pair *pair = &r->m->enc->pairs[p];
    long ca = -1, cb = -1;
    for (size_t i = 0; rows && i < rows->n_curves; i++) {
        ca = rows->curve_feature[i] == pair->a ? (long)i : ca;
        cb = rows->curve_feature[i] == pair->b ? (long)i : cb;
    }
    if (ca < 0 || cb < 0)
        return 0;
    memset(bins, 0, TENSOR_BINS_A * TENSOR_BINS_B * sizeof *bins);
    for (size_t i = 0; i < rows->n; i++) {
        double a = rows->curve_x[i * rows->n_curves + (size_t)ca], b = rows->curve_x[i * rows->n_curves + (size_t)cb];
        if (!(a >= c->a_lo && a <= c->a_hi && b >= c->b_lo && b <= c->b_hi))
            continue; /* beyond the training range: off the chart */
        size_t u = (size_t)fmin(TENSOR_BINS_A - 1, floor(smooth_x_fraction(c->a_lo, c->a_hi, c->log_a, a) * TENSOR_BINS_A));
        size_t v = (size_t)fmin(TENSOR_BINS_B - 1, floor(smooth_x_fraction(c->b_lo, c->b_hi, c->log_b, b) * TENSOR_BINS_B));
        tensor_bin *bin = &bins[v * TENSOR_BINS_A + u];
        if (bin->count == 0) { /* exact until an account elsewhere in the bin (f and se, unused until the
                                  surface is evaluated below, hold the first account's values meanwhile) */
            bin->exact = 1;
            bin->f = a;
            bin->se = b;
        }
        bin->exact &= a == bin->f && b == bin->se;
        bin->count++;
        bin->a += a;
        bin->b += b;
    }
    size_t n = 0;
    for (size_t i = 0; i < TENSOR_BINS_A * TENSOR_BINS_B; i++) {
        if (bins[i].count == 0)
            continue;
        tensor_bin bin = bins[i];
        bin.a = bin.exact ? bin.f : bin.a / (double)bin.count;
        bin.b = bin.exact ? bin.se : bin.b / (double)bin.count;
        curve_eval_tensor(r->m, t, p, bin.a, bin.b, &bin.f, &bin.se);
        bins[n++] = bin;
    }
    return n;
}

/* A point the reading may name: where, how many accounts (0: no data),
 * the surface there. */
typedef struct {
    double a, b;
    size_t count;
    double f, se;
    int exact; /* the accounts are all at (a, b) */
} tensor_point;

/* "Accounts with A 4 and B 2 have" (with data; "near" for a bin whose
 * accounts are not all at one point), or "Near A 3.4 and B 1 the pair
 * gives" (without). */
static void reading_point(report *r, const tensor_point *at, const enc_feature *fa, const enc_feature *fb,
                          double range_a, double range_b, int whole_a, int whole_b)
{
    char a[64], b[64];
    if (at->count)
        text_printf(r->out, "Accounts %s ", at->exact ? "with" : "near");
    else
        text_printf(r->out, "Near ");
    put_text(r, fa->name);
    /* a log axis (range 0): to about a twentieth of the value itself */
    text_printf(r->out, " %s and ", reading_value(a, sizeof a, at->a, range_a > 0 ? range_a : fabs(at->a), whole_a));
    put_text(r, fb->name);
    text_printf(r->out, " %s %s", reading_value(b, sizeof b, at->b, range_b > 0 ? range_b : fabs(at->b), whole_b),
                at->count ? "have" : "the pair gives");
}

/* The reading under a ti chart: where the accounts are (bins of at least
 * a tenth of a percent of them, 10 at least; without data, the cells
 * within 2 sd of both training means), where the pair raises the odds
 * most and lowers them most, each only where its 95% band leaves 1 out. */
static void tensor_reading(report *r, size_t k, const model_target *t, size_t p, const tensor_chart *c)
{
    const model *m = r->m;
    const enc_pair *pair = &m->enc->pairs[p];
    const enc_feature *fa = &m->enc->features[pair->a], *fb = &m->enc->features[pair->b];
    int whole_a = column_whole(r, k, fa, pair->a), whole_b = column_whole(r, k, fb, pair->b);
    double range_a = c->log_a ? 0 : c->a_hi - c->a_lo, range_b = c->log_b ? 0 : c->b_hi - c->b_lo;
    long entry = curve_tensor_index(t, p);
    double p_value = entry >= 0 ? t->smooth->p_value[entry] : NAN;
    size_t least = 0, total = 0, n = c->bins ? c->n_bins : (size_t)(TENSOR_NX * TENSOR_NY);
    for (size_t i = 0; c->bins && i < c->n_bins; i++)
        total += c->bins[i].count;
    least = total / 1000 > 10 ? total / 1000 : 10;
    double a_from = c->a_lo, a_to = c->a_hi, b_from = c->b_lo, b_to = c->b_hi;
    if (!c->bins && fa->sd > 0 && fb->sd > 0) {
        a_from = fmax(a_from, fa->mean - 2 * fa->sd);
        a_to = fmin(a_to, fa->mean + 2 * fa->sd);
        b_from = fmax(b_from, fb->mean - 2 * fb->sd);
        b_to = fmin(b_to, fb->mean + 2 * fb->sd);
    }
    tensor_point most = {0}, least_at = {0};
    int has_most = 0, has_least = 0, any = 0;
    double lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        tensor_point at;
        if (c->bins) {
            const tensor_bin *bin = &c->bins[i];
            if (bin->count < least)
                continue;
            at = (tensor_point){bin->a, bin->b, bin->count, bin->f, bin->se, bin->exact};
        } else {
            size_t u = i % TENSOR_NX, v = i / TENSOR_NX;
            at = (tensor_point){tensor_grid_a(c, (double)u + 0.5), tensor_grid_b(c, (double)v + 0.5), 0, c->cell_f[i],
                                c->cell_se[i], 0};
            if (at.a < a_from || at.a > a_to || at.b < b_from || at.b > b_to)
                continue;
        }
        lo = any ? fmin(lo, at.f) : at.f;
        hi = any ? fmax(hi, at.f) : at.f;
        any = 1;
        int known = isfinite(at.se);
        if ((!known || at.f - BAND_Z * at.se > 0) && at.f >= log(1.1) && (!has_most || at.f > most.f)) {
            most = at;
            has_most = 1;
        }
        if ((!known || at.f + BAND_Z * at.se < 0) && at.f <= -log(1.1) && (!has_least || at.f < least_at.f)) {
            least_at = at;
            has_least = 1;
        }
    }
    char where[96];
    if (c->bins)
        snprintf(where, sizeof where, "where at least %zu accounts are", least);
    else
        snprintf(where, sizeof where, "within 2 sd of the training means");
    text_printf(r->out, "<p class=\"reading\">");
    if (!any) {
        text_printf(r->out, "</p>\n");
        return;
    }
    double moves = exp(fmax(hi, -lo));
    if (moves < 1.1) {
        text_printf(r->out, "Nearly no interaction %s: the pair moves the %s odds by less than 10%% beyond what ", where,
                    t->name);
        put_text(r, fa->name);
        text_printf(r->out, " and ");
        put_text(r, fb->name);
        text_printf(r->out, " give separately.");
    } else if (p_value > 0.05) {
        text_printf(r->out, "No clear interaction %s: the pair moves the %s odds by at most %.2g times beyond what the two "
                            "columns give separately, and the data do not settle even that (p = %.2g).",
                    where, t->name, moves, p_value);
    } else if (!has_most && !has_least) {
        text_printf(r->out, "The test finds an interaction (p = %.2g), but %s its 95%% band covers 1 everywhere: it acts "
                            "where too few accounts are to say how much.",
                    p_value, where);
    } else {
        for (int side = 0; side < 2; side++) {
            const tensor_point *at = side ? &least_at : &most;
            if (!(side ? has_least : has_most))
                continue;
            if (side && has_most)
                text_printf(r->out, " ");
            reading_point(r, at, fa, fb, range_a, range_b, whole_a, whole_b);
            if (side && has_most) {
                text_printf(r->out, " %.2g times the odds, the most the pair lowers them", exp(at->f));
            } else {
                text_printf(r->out, " %.2g times the %s odds that ", exp(at->f), t->name);
                put_text(r, fa->name);
                text_printf(r->out, " and ");
                put_text(r, fb->name);
                text_printf(r->out, " give separately, the most the pair %s them", side ? "lowers" : "raises");
            }
            if (c->bins)
                text_printf(r->out, " %s (%zu accounts there).", where, at->count);
            else
                text_printf(r->out, " %s.", where);
        }
    }
    text_printf(r->out, "</p>\n");
}

/* A heat map per ti term of target t (tensor_chart), with its reading. */
static void tensor_charts(report *r, size_t k, const model_target *t)
{
    const model *m = r->m;
    size_t nodes = (TENSOR_NX + 1) * (TENSOR_NY + 1), cells = TENSOR_NX * TENSOR_NY;
    for (size_t p = 0; p < m->enc->n_pairs; p++) {
        const enc_pair *pair = &m->enc->pairs[p];
        if (pair->tensor == NULL || curve_tensor_index(t, p) < 0)
            continue;
        double *values = vt_malloc((nodes + 2 * cells) * sizeof(double));
        tensor_bin *bins = vt_malloc(TENSOR_BINS_A * TENSOR_BINS_B * sizeof *bins);
        if (values == NULL || bins == NULL) {
            free(values);
            free(bins);
            r->out->failed = 1;
            return;
        }
        tensor_chart c = {.column_a = m->enc->features[pair->a].name, .column_b = m->enc->features[pair->b].name,
                           .target = t->name};
        tensor_range(pair, &c.a_lo, &c.a_hi, &c.b_lo, &c.b_hi);
        double lo, hi;
        c.log_a = accounts_span(r, k, pair->a, c.a_lo, c.a_hi, &lo, &hi);
        c.log_b = accounts_span(r, k, pair->b, c.b_lo, c.b_hi, &lo, &hi);
        double *node_f = values, *cell_f = values + nodes, *cell_se = cell_f + cells;
        for (size_t j = 0; j <= TENSOR_NY; j++)
            for (size_t i = 0; i <= TENSOR_NX; i++)
                curve_eval_tensor(m, t, p, tensor_grid_a(&c, (double)i), tensor_grid_b(&c, (double)j),
                             &node_f[j * (TENSOR_NX + 1) + i], NULL);
        for (size_t j = 0; j < TENSOR_NY; j++)
            for (size_t i = 0; i < TENSOR_NX; i++)
                curve_eval_tensor(m, t, p, tensor_grid_a(&c, (double)i + 0.5), tensor_grid_b(&c, (double)j + 0.5),
                             &cell_f[j * TENSOR_NX + i], &cell_se[j * TENSOR_NX + i]);
        c.node_f = node_f;
        c.cell_f = cell_f;
        c.cell_se = cell_se;
        c.n_bins = tensor_bins(r, k, t, p, &c, bins);
        c.bins = c.n_bins ? bins : NULL;
        c.knots_a = pair->tensor->margin[0].knots;
        c.n_knots_a = pair->tensor->margin[0].k;
        c.knots_b = pair->tensor->margin[1].knots;
        c.n_knots_b = pair->tensor->margin[1].k;
        char id[256];
        tensor_id(id, sizeof id, target_key(t), c.column_a, c.column_b, p);
        text_printf(r->out, "<figure class=\"curve\">");
        chart_tensor(r->out, id, &c);
        tensor_reading(r, k, t, p, &c);
        text_printf(r->out, "</figure>\n");
        free(values);
        free(bins);
    }
}

/* One chart per smooth column of target t: the curve (or a curve per level
 * of its by column) with its band, where the accounts are, the training
 * range and, with a scorecard, the card's points for the column. */
static void smooth_charts(report *r, size_t k, const model_target *t)
{
    const model *m = r->m;
    if (t->smooth == NULL)
        return;
    const scorecard *card = k == r->churn ? r->in->card : NULL;
    int with_card = 0;
    for (size_t f = 0; f < m->enc->n_features; f++)
        with_card |= m->enc->features[f].smooth && card_measure(card, m->enc->features[f].name);
    smooth_legend_text(r, t, with_card);
    text_printf(r->out, "<div class=\"charts\">\n");
    for (size_t f = 0; f < m->enc->n_features; f++) {
        const enc_feature *feature = &m->enc->features[f];
        if (feature->smooth == NULL)
            continue;
        double train_lo, train_hi, lo, hi;
        curve_knot_range(feature, &train_lo, &train_hi);
        int log_x = accounts_span(r, k, f, train_lo, train_hi, &lo, &hi);
        if (log_x) {
            double margin = pow(hi / lo, 0.08);
            lo /= margin;
            hi *= margin;
        } else {
            double margin = 0.08 * (hi - lo);
            lo -= margin;
            hi += margin;
        }
        size_t n_lines = feature->smooth_by ? feature->by_levels : 1, n = CURVE_GRID;
        smooth_line lines[6];
        if (n_lines > 6)
            n_lines = 6; /* the first six levels: more would not read */
        const sc_measure *measure = card_measure(card, feature->name);
        size_t n_thresholds = measure ? measure->n_thresholds : 0, n_at = 0;
        double *x = vt_malloc(n * sizeof(double)), *values = vt_malloc(2 * n * n_lines * sizeof(double));
        double *steps = vt_malloc((2 * n_thresholds + 1) * sizeof(double)); /* thresholds, then points */
        size_t counts[SMOOTH_CHART_BINS];
        if (x == NULL || values == NULL || steps == NULL) {
            free(x);
            free(values);
            free(steps);
            r->out->failed = 1;
            return;
        }
        for (size_t i = 0; i < n; i++)
            x[i] = smooth_x_at(lo, hi, log_x, (double)i / (double)(n - 1));
        const enc_feature *by = feature->smooth_by ? &m->enc->features[encoding_by_column(m->enc, f)] : NULL;
        for (size_t l = 0; l < n_lines; l++) {
            double *fx = values + 2 * n * l, *se = fx + n;
            for (size_t i = 0; i < n; i++)
                curve_eval_level(m, t, f, l, x[i], &fx[i], &se[i]);
            lines[l] = (smooth_line){by ? by->levels[l] : NULL, level_colours[l], x, fx, se, n,
                                     smooth_p_value(t, f, by ? (long)l : -1)};
        }
        if (measure)
            n_at = card_steps(measure, steps, steps + n_thresholds);
        smooth_chart chart = {feature->name, t->name, lines, n_lines, lo, hi, log_x, train_lo, train_hi,
                              account_counts(r, k, f, lo, hi, log_x, counts) ? counts : NULL, feature->smooth->knots,
                              feature->smooth->k, feature->mean, feature->sd, steps,
                              measure ? steps + n_thresholds : NULL, n_at, measure && measure->higher_is_better,
                              card ? card->name : NULL};
        char id[128];
        curve_id(id, sizeof id, target_key(t), feature->name, f);
        text_printf(r->out, "<figure class=\"curve\">");
        chart_smooth(r->out, id, &chart);
        smooth_reading(r, &chart, t, column_whole(r, k, feature, f));
        text_printf(r->out, "</figure>\n");
        free(x);
        free(values);
        free(steps);
    }
    tensor_charts(r, k, t);
    text_printf(r->out, "</div>\n");
}

/* The largest driver in a sentence (the rows come largest first). */
static void odds_reading(report *r, const model_target *t, const odds_row *rows, size_t n)
{
    const odds_row *heading = NULL;
    for (size_t i = 0; i < n; i++) {
        const odds_row *row = &rows[i];
        if (row->is_heading)
            heading = row;
        if (row->is_heading || row->is_note || row->secondary)
            continue;
        /* a smooth column's effect is its curve, read under its own chart */
        text_printf(r->out, "<figcaption class=\"reading\">%s %s: ", has_curves(r->m) ? "Of the terms drawn here, the largest for"
                                                                                       : "The largest driver of",
                    t->name);
        if (row->indent && heading) {
            put_text(r, heading->label);
            text_printf(r->out, " ");
            put_text(r, row->label);
            if (heading->baseline) {
                text_printf(r->out, " rather than ");
                put_text(r, heading->baseline);
            }
        } else {
            put_text(r, row->label);
            if (row->step > 0) {
                text_printf(r->out, " up by one standard deviation (");
                put_text(r, row->note + strlen("+1 SD = "));
                text_printf(r->out, ")");
            } else {
                text_printf(r->out, " up by one");
            }
        }
        text_printf(r->out, " multiplies the odds of %s by %.3g (%g%% interval %.3g to %.3g)%s.</figcaption>\n",
                    t->name, row->odds, 100 * r->m->confidence, row->low, row->high,
                    row->p < 1 - r->m->confidence ? "" : ", an interval that includes 1: no clear effect");
        return;
    }
}

static void section_drivers(report *r)
{
    const model *m = r->m;
    text_printf(r->out, "<h2 id=\"drivers\">What drives ");
    put_targets(r);
    text_printf(r->out, "</h2>\n"
                          "<p>Each dot is a term's odds ratio, the line its %g%% interval; terms are sorted by the "
                          "size of their standardised coefficient (estimate &#215; the column's standard deviation). "
                          "A numeric column's odds ratio is for a step of one standard deviation of the training rows "
                          "(stated beside it; the hover text gives the odds ratio per unit, as vitals summary does); "
                          "a level's is against its column's baseline; a column of more than %d levels shows its %d "
                          "largest. Missing-cell indicators come last, on the same axis without widening it. A mark "
                          "past the axis is an arrow at its edge with its value. Grey: the interval includes 1.%s</p>\n",
                  100 * m->confidence, ODDS_LEVELS + 1, ODDS_LEVELS,
                  has_curves(m) ? " Smooth columns are curves, not odds ratios: each has its own chart below the "
                                  "table of smooth terms."
                                : "");
    odds_row *rows = vt_calloc(4 * m->enc->n_terms + 2, sizeof *rows);
    if (rows == NULL) {
        r->out->failed = 1;
        return;
    }
    for (size_t k = 0; k < m->n_targets; k++) {
        const model_target *t = &m->targets[k];
        char id[32], title[256];
        snprintf(id, sizeof id, "odds-%s", target_key(t));
        snprintf(title, sizeof title, "%s: odds ratios with %g%% intervals", target_title(t), 100 * m->confidence);
        text_printf(r->out, "<h3>%s</h3>\n<figure class=\"wide\">", target_title(t));
        size_t n = odds_rows(m, t, rows, &r->out->failed);
        chart_odds(r->out, id, title, rows, n, m->confidence);
        odds_reading(r, t, rows, n);
        text_printf(r->out, "</figure>\n");
        snprintf(id, sizeof id, "smooth-%s", target_key(t));
        smooth_table(r, t, id);
        smooth_charts(r, k, t);
        collinear_list(r, t);
        aliased_list(r, t);
    }
    free(rows);
}

/* ------------------------------------------------------------ 3. weights */

static void section_weights(report *r)
{
    text_printf(r->out, "<h2 id=\"weights\">Learned vs hand-set</h2>\n");
    const scorecard *card = r->in->card;
    if (card == NULL) {
        missing_line(r, "Left out: --scorecard CARD.json would put each column's share of the scorecard's weight beside "
                        "its share of the model's.");
        return;
    }
    const model *m = r->m;
    int curves = has_curves(m);
    if (curves && !r->has_data) {
        missing_line(r, "Left out: a smooth column weighs by its curve's spread over labelled rows: --data "
                        "LABELLED.csv would put each column's share of the scorecard's weight beside its share of "
                        "the model's.");
        return;
    }
    compare_weight *weights = vt_calloc(encoding_n_effects(m->enc) + 1, sizeof *weights);
    weight_bar *bars = vt_calloc(encoding_n_effects(m->enc) + 1, sizeof *bars);
    if (weights == NULL || bars == NULL) {
        free(weights);
        free(bars);
        r->out->failed = 1;
        return;
    }
    size_t n = compare_weights(m, r->churn, card, r->has_data ? &r->data[r->churn].rows : NULL, weights),
           disagree = 0;
    for (size_t i = 0; i < n; i++) {
        bars[i] = (weight_bar){weights[i].column, weights[i].card, weights[i].model, weights[i].sign_disagrees,
                               weights[i].curve, weights[i].not_identified};
        disagree += weights[i].sign_disagrees != 0;
    }
    double correlation = compare_rank_correlation(weights, n);
    text_printf(r->out, "<p>Scorecard <b>");
    put_text(r, card->name);
    text_printf(r->out, "</b> (<code>");
    put_text(r, r->in->card_path);
    text_printf(r->out, "</code>) against the %s model: the model's share is a column's |standardised coefficient| "
                          "over all of them (levels added up)%s. ",
                r->words->noun,
                curves ? "; a smooth column's, the standard deviation of its curve over the labelled rows, and its sign "
                         "the slope of a least-squares line through the curve"
                       : "");
    if (isnan(correlation))
        text_printf(r->out, "Rank correlation of the shares: undefined (%s). ", compare_rank_undefined(weights, n));
    else
        text_printf(r->out, "Rank correlation of the shares: %.3f. ", correlation);
    text_printf(r->out, "%zu column%s where the model's sign contradicts the scorecard's direction.</p>\n", disagree,
                  disagree == 1 ? "" : "s");
    text_printf(r->out, "<figure class=\"wide\">");
    chart_weights(r->out, "weights", bars, n);
    text_printf(r->out, "</figure>\n");
    free(weights);
    free(bars);
}

/* ------------------------------------------------------------ 4. ranking */

static void ranking_charts(report *r, const target_data *d)
{
    curve_points model_c = {0}, card_c = {0};
    if (ranking_curves(d->rows.y, d->rows.risk, d->rows.n, &model_c) != 0) {
        r->out->failed = 1;
        curve_points_free(&model_c);
        return;
    }
    double *card_risk = NULL;
    if (d->has_card) {
        card_risk = vt_malloc((d->rows.n ? d->rows.n : 1) * sizeof *card_risk);
        for (size_t i = 0; card_risk && i < d->rows.n; i++)
            card_risk[i] = 1 - d->rows.health[i] / 100;
        if (card_risk == NULL || ranking_curves(d->rows.y, card_risk, d->rows.n, &card_c) != 0)
            r->out->failed = 1;
        free(card_risk);
    }
    int cards = d->has_card && !r->out->failed;
    const outcome_words *w = r->words;
    char roc_model[256], roc_card[256], pr_model[256], pr_card[256], base[128], gain_model[256], gain_card[256];
    char top[64];
    report_top(top, sizeof top, w, "10%");
    snprintf(roc_model, sizeof roc_model, "model: ROC AUC %.6g", d->model_m.roc_auc);
    snprintf(roc_card, sizeof roc_card, "scorecard: ROC AUC %.6g", d->card_m.roc_auc);
    snprintf(pr_model, sizeof pr_model, "model: PR AUC (average precision) %.6g", d->model_m.average_precision);
    snprintf(pr_card, sizeof pr_card, "scorecard: PR AUC (average precision) %.6g", d->card_m.average_precision);
    snprintf(gain_model, sizeof gain_model, "model: %s hold %.6g of the events", top, d->model_m.top_decile_capture);
    snprintf(gain_card, sizeof gain_card, "scorecard: %s hold %.6g of the events", top, d->card_m.top_decile_capture);
    double rate = d->rows.n ? d->model_m.events / (double)d->rows.n : 0;
    snprintf(base, sizeof base, "base rate %.1f%%", 100 * rate);
    curve roc[2] = {{"model", SVG_BLUE, NULL, model_c.roc_x, model_c.roc_y, model_c.n, roc_model},
                    {"scorecard", SVG_ORANGE, "7 4", card_c.roc_x, card_c.roc_y, card_c.n, roc_card}};
    curve pr[2] = {{"model", SVG_BLUE, NULL, model_c.pr_x, model_c.pr_y, model_c.n, pr_model},
                   {"scorecard", SVG_ORANGE, "7 4", card_c.pr_x, card_c.pr_y, card_c.n, pr_card}};
    curve gains[2] = {{"model", SVG_BLUE, NULL, model_c.gain_x, model_c.gain_y, model_c.n, gain_model},
                      {"scorecard", SVG_ORANGE, "7 4", card_c.gain_x, card_c.gain_y, card_c.n, gain_card}};
    size_t n = cards ? 2 : 1;
    char title[160], label[96], x_label[96];
    text_printf(r->out, "<div class=\"charts\">\n<figure>");
    snprintf(title, sizeof title, "ROC curve: %s found against %s flagged", w->events, w->others);
    chart_curves(r->out, "roc", title, "false positive rate", "true positive rate (recall)", roc, n, "random", 0, 0, 1, 1);
    /* what the area means, in the words of the people who act on it */
    text_printf(r->out, "<figcaption class=\"reading\">ROC AUC %.2f: %s %.*s is ranked %s than a %.*s %.0f%% of "
                        "the time (50%%: a coin toss)", d->model_m.roc_auc, strchr("aeiou", w->events[0]) ? "an" : "a",
                (int)strlen(w->events) - 1, w->events, w->ranked, (int)strlen(w->others) - 1, w->others,
                100 * d->model_m.roc_auc);
    if (cards)
        text_printf(r->out, "; the scorecard's %.2f", d->card_m.roc_auc);
    text_printf(r->out, ".</figcaption></figure>\n<figure>");
    snprintf(title, sizeof title, "Precision-recall: of the accounts flagged, the share that %s", w->happened);
    chart_curves(r->out, "pr", title, "recall", "precision", pr, n, base, 0, rate, 1, rate);
    text_printf(r->out, "<figcaption class=\"reading\">PR AUC %.2f: going down the list %s, on average "
                        "%.0f%% of the accounts flagged so far have %s, against %.1f%% picked at random",
                d->model_m.average_precision, w->first, 100 * d->model_m.average_precision, w->happened, 100 * rate);
    if (cards)
        text_printf(r->out, "; the scorecard's %.2f", d->card_m.average_precision);
    text_printf(r->out, ".</figcaption></figure>\n<figure>");
    snprintf(title, sizeof title, "Gains: share of %s found against share of accounts contacted", w->events);
    snprintf(label, sizeof label, "share of %s found", w->events);
    snprintf(x_label, sizeof x_label, "share of accounts contacted, %s", w->first);
    chart_curves(r->out, "gains", title, x_label, label, gains, n, "random", 0, 0, 1, 1);
    text_printf(r->out, "<figcaption class=\"reading\">Contacting %s finds %.1f%% of the %s, %.1f times "
                        "what 10%% picked at random would", top, 100 * d->model_m.top_decile_capture, w->events,
                d->model_m.top_decile_capture / 0.1);
    if (cards)
        text_printf(r->out, " (scorecard: %.1f%%)", 100 * d->card_m.top_decile_capture);
    text_printf(r->out, ".</figcaption></figure>\n");
    curve_points_free(&model_c);
    curve_points_free(&card_c);
}

static void health_chart(report *r, const target_data *d)
{
    size_t events[HEALTH_BINS] = {0}, others[HEALTH_BINS] = {0}, count[2] = {0, 0};
    double sum[2] = {0, 0};
    for (size_t i = 0; i < d->rows.n; i++) {
        int health = score_health(d->rows.risk[i]), bin = health / 5, event = d->rows.y[i] == 1.0;
        bin = bin >= HEALTH_BINS ? HEALTH_BINS - 1 : bin < 0 ? 0 : bin;
        if (event)
            events[bin]++;
        else
            others[bin]++;
        count[event]++;
        sum[event] += health;
    }
    const outcome_words *w = r->words;
    text_printf(r->out, "<figure>");
    chart_health(r->out, "health", w, events, others);
    text_printf(r->out, "<figcaption class=\"reading\">The %s average health %.0f, the %s %.0f: the further apart the "
                        "two humps, the better health separates them. Health is 100 &#8722; %s in %%; the bucket bands "
                        "are at %g and %g.</figcaption></figure>\n",
                w->events, count[1] ? sum[1] / (double)count[1] : 0, w->others, count[0] ? sum[0] / (double)count[0] : 0,
                w->risk, r->m->red_below, r->m->yellow_below);
}

/* Calibration in a sentence: the test, and the decile furthest off. */
static void calibration_reading(report *r, const metrics *mm)
{
    size_t worst = 0;
    for (size_t g = 1; g < mm->n_deciles; g++)
        if (fabs(mm->deciles[g].observed_rate - mm->deciles[g].mean_predicted) >
            fabs(mm->deciles[worst].observed_rate - mm->deciles[worst].mean_predicted))
            worst = g;
    text_printf(r->out, "<figcaption class=\"reading\">On the diagonal, a predicted %s of 20%% means 20%% of those "
                        "accounts %s. ", r->words->risk, r->words->happened);
    if (mm->n_deciles)
        text_printf(r->out, "Furthest off: decile %zu, predicted %.1f%%, observed %.1f%%. ", worst + 1,
                    100 * mm->deciles[worst].mean_predicted, 100 * mm->deciles[worst].observed_rate);
    text_printf(r->out, "Hosmer-Lemeshow %.2f on %.0f df, p = %.3g%s.</figcaption>", mm->hosmer_lemeshow,
                mm->hosmer_lemeshow_df, mm->hosmer_lemeshow_p,
                mm->hosmer_lemeshow_p < 0.05 ? ": the probabilities are off somewhere; the ranking may still hold"
                                             : ": no sign the probabilities are off");
}

static void section_ranking(report *r)
{
    text_printf(r->out, "<h2 id=\"ranking\">Does it find the %s?</h2>\n", r->words->events);
    const model_target *t = &r->m->targets[r->churn];
    const metrics *stored = stored_metrics(t);
    if (r->has_data) {
        const target_data *d = &r->data[r->churn];
        char n[32];
        text_printf(r->out, "<p>On %s labelled rows of <code>", report_count(n, sizeof n, (double)d->rows.n));
        put_text(r, r->in->data_path);
        text_printf(r->out, "</code>%s.</p>\n", d->rows.skipped ? " (rows without an outcome left out)" : "");
        ranking_charts(r, d);
        text_printf(r->out, "<figure>");
        chart_calibration(r->out, "calibration", r->words, d->model_m.deciles, d->model_m.n_deciles);
        calibration_reading(r, &d->model_m);
        text_printf(r->out, "</figure>\n");
        if (model_has_health(r->m)) /* health is churn's */
            health_chart(r, d);
        text_printf(r->out, "</div>\n");
        return;
    }
    if (stored == NULL) {
        missing_line(r, "Left out: --data LABELLED.csv (or a model trained with --holdout or --folds) would show ROC, "
                        "precision-recall, gains and calibration charts and the health of the accounts with and "
                        "without the event.");
        return;
    }
    text_printf(r->out, "<p>On the %zu held-out rows stored in the model: ROC AUC %.3f, PR AUC %.3f.</p>\n",
                  stored->n, stored->roc_auc, stored->average_precision);
    text_printf(r->out, "<div class=\"charts\">\n<figure>");
    chart_calibration(r->out, "calibration", r->words, stored->deciles, stored->n_deciles);
    calibration_reading(r, stored);
    text_printf(r->out, "</figure>\n</div>\n");
    missing_line(r, "Left out: --data LABELLED.csv would add the ROC, precision-recall and gains curves and the "
                    "health of the accounts with and without the event (the model stores no rows).");
}

/* ------------------------------------------------------------ 5. buckets */

/* How far red is from green, in a sentence under a bucket chart. */
static void bucket_reading(report *r, const size_t rows[3], const double events[3])
{
    double red = rows[BUCKET_RED] ? events[BUCKET_RED] / (double)rows[BUCKET_RED] : 0,
           green = rows[BUCKET_GREEN] ? events[BUCKET_GREEN] / (double)rows[BUCKET_GREEN] : 0;
    text_printf(r->out, "<figcaption class=\"reading\">Red accounts %s at %.1f%%", r->words->happened, 100 * red);
    if (green > 0)
        text_printf(r->out, ", %.1f times the green accounts' %.1f%%", red / green, 100 * green);
    text_printf(r->out, ": the buckets are worth acting on as far as that gap is wide.</figcaption>");
}

static void section_buckets(report *r)
{
    text_printf(r->out, "<h2 id=\"buckets\">Buckets</h2>\n");
    size_t rows[3];
    double events[3];
    if (!model_has_health(r->m)) {
        missing_line(r, "None: health and its buckets measure the risk of losing an account (health = 100 x (1 - "
                        "that risk)), and this model predicts expansion alone.");
        return;
    }
    if (!bucket_counts(r, rows, events)) {
        missing_line(r, "Left out: --data LABELLED.csv (or a model trained with --holdout) would show the accounts and "
                        "event rate per bucket.");
        return;
    }
    text_printf(r->out, "<div class=\"charts\">\n<figure>");
    chart_buckets(r->out, "buckets-model", r->words, "model", rows, events);
    bucket_reading(r, rows, events);
    text_printf(r->out, "</figure>\n");
    const target_data *d = &r->data[r->churn];
    if (r->has_data && d->has_card) {
        size_t card_rows[3], card_events[3], cross_rows[3][3], cross_events[3][3];
        double card_events_d[3];
        compare_bucket_counts(d->rows.y, d->rows.card_bucket, d->rows.n, card_rows, card_events);
        for (int b = 0; b < 3; b++)
            card_events_d[b] = (double)card_events[b];
        text_printf(r->out, "<figure>");
        chart_buckets(r->out, "buckets-scorecard", r->words, "scorecard", card_rows, card_events_d);
        bucket_reading(r, card_rows, card_events_d);
        text_printf(r->out, "</figure>\n<figure>");
        compare_cross_table(&d->rows, cross_rows, cross_events);
        chart_cross(r->out, "cross", r->words, cross_rows, cross_events);
        text_printf(r->out, "<figcaption class=\"reading\">Where the two disagree: %zu accounts the scorecard calls "
                            "green are red to the model, %zu the other way round; the %zu the scorecard calls green but "
                            "the model yellow or red are the ones it would miss.</figcaption></figure>\n</div>\n",
                    cross_rows[BUCKET_GREEN][BUCKET_RED], cross_rows[BUCKET_RED][BUCKET_GREEN],
                    cross_rows[BUCKET_GREEN][BUCKET_RED] + cross_rows[BUCKET_GREEN][BUCKET_YELLOW]);
        return;
    }
    text_printf(r->out, "</div>\n");
    missing_line(r, r->has_data ? "Left out: --scorecard CARD.json would add the scorecard's buckets and their "
                                  "cross-table with the model's."
                                : "Left out: --data LABELLED.csv with --scorecard CARD.json would add the scorecard's "
                                  "buckets and their cross-table with the model's.");
}

/* ------------------------------------------------------------ accounts */

/* The riskiest accounts of the data, each with its drivers in words: the
 * column, the account's value, and what it does to the odds against an
 * account at the training means (predict --explain's numbers). */
static void section_accounts(report *r)
{
    const outcome_words *w = r->words;
    char first[64], missing[256];
    report_top(first, sizeof first, w, "accounts");
    text_printf(r->out, "<h2 id=\"accounts\">Accounts to call first</h2>\n");
    if (!r->has_data || !r->has_top) {
        snprintf(missing, sizeof missing, "Left out: %s--data ACCOUNTS.csv%s would list %s with what drives each one.",
                 r->has_data ? "standard input is read once, for the charts; " : "",
                 r->has_data ? " (a file or a query)" : "", first);
        missing_line(r, missing);
        return;
    }
    const riskiest *top = &r->top;
    char read[32];
    text_printf(r->out, "<p>The %zu accounts of the %s scored with the highest %s, %s. Drivers are "
                        "what vitals predict --explain gives: the columns that move this account's odds most "
                        "against an account at the training averages, and by how much.</p>\n",
                top->n, report_count(read, sizeof read, (double)top->read), w->risk, w->first);
    text_printf(r->out, "<div class=\"scroll\"><table id=\"riskiest\">\n<tr><th>");
    put_text(r, r->m->id_column ? r->m->id_column : "line");
    int health = model_has_health(r->m); /* a propensity model has no health */
    text_printf(r->out, "</th>%s<th>%s</th><th class=\"drivers\">top drivers</th></tr>\n",
                health ? "<th>health</th><th>bucket</th>" : "", w->risk);
    for (size_t i = 0; i < top->n; i++) {
        const riskiest_row *row = &top->rows[i];
        text_printf(r->out, "<tr><td>");
        put_text(r, row->id);
        if (health)
            text_printf(r->out, "</td><td>%d</td><td>%s", row->health, bucket_name((bucket)row->bucket));
        text_printf(r->out, "</td><td>%.1f%%</td><td class=\"drivers\">", 100 * row->risk);
        for (size_t d = 0; d < row->n_drivers; d++) {
            double times = exp(row->effect_value[d]);
            text_printf(r->out, "%s", d ? "; " : "");
            char label[160];
            put_text(r, driver_label(label, sizeof label, row->scoring, r->m->enc, row->effect[d]));
            if (row->cell[d]) {
                text_printf(r->out, " ");
                put_text(r, *row->cell[d] ? row->cell[d] : "(missing)");
            }
            text_printf(r->out, " %s the odds &#215;%.2g", times >= 1 ? "raises" : "lowers", times);
        }
        text_printf(r->out, "</td></tr>\n");
    }
    text_printf(r->out, "</table></div>\n");
}

/* ------------------------------------------------------------ 6. segments */

static void section_segments(report *r)
{
    const model *m = r->m;
    text_printf(r->out, "<h2 id=\"segments\">Segments</h2>\n");
    if (m->by_column == NULL) {
        missing_line(r, "Left out: a model trained with --by COLUMN (one model per segment or stage) would list each "
                        "level's rows, events, AUC and whether it fell back to the pooled model.");
        return;
    }
    text_printf(r->out, "<p>One model per level of <code>");
    put_text(r, m->by_column);
    text_printf(r->out, "</code>.</p>\n<div class=\"scroll\"><table>\n<tr><th>level</th><th>rows</th>");
    for (size_t k = 0; k < m->n_targets; k++)
        text_printf(r->out, "<th>%s events</th><th>%s ROC AUC</th><th>%s model</th>", m->targets[k].name,
                      m->targets[k].name, m->targets[k].name);
    text_printf(r->out, "</tr>\n");
    for (size_t s = 0; s < m->n_segments; s++) {
        const model_segment *segment = &m->segments[s];
        text_printf(r->out, "<tr><td>");
        put_text(r, segment->level);
        text_printf(r->out, "</td><td>%zu</td>", segment->n_rows);
        for (size_t k = 0; k < m->n_targets; k++) {
            const metrics *judged = segment->validation[k] ? &segment->validation[k]->overall : NULL;
            if (segment->fallback[k])
                text_printf(r->out, "<td>&#8211;</td>");
            else
                text_printf(r->out, "<td>%zu</td>", segment->targets[k].n_events);
            if (judged)
                text_printf(r->out, "<td>%.3f</td>", judged->roc_auc);
            else
                text_printf(r->out, "<td>&#8211;</td>");
            text_printf(r->out, "<td>");
            if (segment->fallback[k]) {
                text_printf(r->out, "pooled (");
                put_text(r, segment->fallback_reason[k] ? segment->fallback_reason[k] : "");
                text_printf(r->out, ")");
            } else {
                text_printf(r->out, "own");
            }
            text_printf(r->out, "</td>");
        }
        text_printf(r->out, "</tr>\n");
    }
    text_printf(r->out, "</table></div>\n");
}

/* ------------------------------------------------------------ 7. changes */

static void drift_table(report *r, const drift_term *terms, size_t n)
{
    static const char *const statuses[] = {"", "flagged", "added", "removed", "aliased"};
    text_printf(r->out, "<div class=\"scroll\"><table>\n<tr><th>term</th><th>old</th><th>new</th><th>change</th>"
                          "<th>z</th><th></th></tr>\n");
    for (size_t i = 0; i < n; i++) {
        const drift_term *t = &terms[i];
        text_printf(r->out, "<tr%s><td>", t->status == DRIFT_CHANGED ? " class=\"flagged\"" : "");
        put_text(r, t->term);
        if (t->status == DRIFT_SAME || t->status == DRIFT_CHANGED)
            text_printf(r->out, "</td><td>%.4g</td><td>%.4g</td><td>%+.4g</td><td>%.2f</td>", t->old_estimate,
                          t->new_estimate, t->change, t->z);
        else
            text_printf(r->out, "</td><td></td><td></td><td></td><td></td>");
        text_printf(r->out, "<td>%s</td></tr>\n", statuses[t->status]);
    }
    text_printf(r->out, "</table></div>\n");
}

/* The columns smooth in either model, compared as curves (curve.h), as
 * `diff --json` lists them under "curves"; their count, flagged counted. */
static size_t count_curves(const report *r, size_t k, size_t *flagged)
{
    const model *old = r->in->previous, *m = r->m;
    size_t n = 0;
    for (size_t f = 0; f < old->enc->n_features; f++) {
        curve_change c;
        if (curve_compare(old, &old->targets[k], m, &m->targets[k], old->enc->features[f].name, r->in->flag, &c) == 0) {
            n++;
            *flagged += c.flagged != 0;
        }
    }
    return n;
}

static void put_edf(report *r, int smooth, double edf)
{
    if (smooth)
        text_printf(r->out, "<td>%.2f</td>", edf);
    else
        text_printf(r->out, "<td>linear</td>");
}

static void curve_table(report *r, size_t k, const char *id)
{
    const model *old = r->in->previous, *m = r->m;
    size_t flagged = 0;
    if (count_curves(r, k, &flagged) == 0)
        return;
    text_printf(r->out, "<p>Smooth columns, compared as curves rather than by their basis terms (which change with "
                        "the knots): both curves centred over a grid between the two models' end knots, the point "
                        "where the change is largest against its band (z = change / sqrt(se_old&#178; + "
                        "se_new&#178;)), and the largest change on the log-odds scale. A column linear in one model is "
                        "compared as its line; the intercept then holds that line's level (estimate &#215; mean), so "
                        "its change is not comparable.</p>\n");
    text_printf(r->out, "<div class=\"scroll\"><table id=\"%s\">\n<tr><th>column</th><th>edf old</th><th>edf new</th>"
                        "<th>grid from</th><th>to</th><th>largest |z|</th><th>at x</th><th>change there</th>"
                        "<th>largest change</th><th>at x</th><th></th></tr>\n",
                id);
    for (size_t f = 0; f < old->enc->n_features; f++) {
        curve_change c;
        if (curve_compare(old, &old->targets[k], m, &m->targets[k], old->enc->features[f].name, r->in->flag, &c) != 0)
            continue;
        text_printf(r->out, "<tr%s><td>", c.flagged ? " class=\"flagged\"" : "");
        put_text(r, c.column);
        text_printf(r->out, "</td>");
        put_edf(r, c.old_smooth, c.old_edf);
        put_edf(r, c.new_smooth, c.new_edf);
        text_printf(r->out, "<td>%.4g</td><td>%.4g</td><td>%.2f</td><td>%.4g</td><td>%+.4g</td><td>%+.4g</td><td>%.4g</td>"
                            "<td>%s</td></tr>\n",
                    c.lo, c.hi, c.z, c.x, c.change, c.largest_change, c.largest_change_x, c.flagged ? "flagged" : "");
    }
    text_printf(r->out, "</table></div>\n");
}

/* The largest change in a sentence under the drift chart. */
static void drift_reading(report *r, const drift_term *terms, size_t n)
{
    const drift_term *largest = NULL;
    for (size_t i = 0; i < n; i++)
        if ((terms[i].status == DRIFT_SAME || terms[i].status == DRIFT_CHANGED) &&
            (largest == NULL || fabs(terms[i].z) > fabs(largest->z)))
            largest = &terms[i];
    if (largest == NULL)
        return;
    text_printf(r->out, "<figcaption class=\"reading\">The largest change: ");
    put_text(r, largest->term);
    text_printf(r->out, ", z = %.2f: %s.</figcaption>", largest->z,
                fabs(largest->z) > r->in->flag ? "beyond the flag line, more than the two fits' noise explains"
                                               : "within the flag lines, no more than the two fits' noise");
}

static void section_changes(report *r)
{
    text_printf(r->out, "<h2 id=\"changes\">What changed</h2>\n");
    const model *old = r->in->previous, *m = r->m;
    if (old == NULL) {
        missing_line(r, "Left out: --previous OLD_MODEL.json would show each term's old and new estimate with the "
                        "change's z, and with --data the population stability index of the scores.");
        return;
    }
    text_printf(r->out, "<p>Against <code>");
    put_text(r, r->in->previous_path);
    text_printf(r->out, "</code> (fitted ");
    put_text(r, old->created_at ? old->created_at : "?");
    text_printf(r->out, "); a change is flagged when |z| &gt; %g.", r->in->flag);
    if (r->has_shift)
        text_printf(r->out, " On %zu rows of the data, the population stability index of the %s is <b>%.4f</b> "
                              "(below 0.1: little shift; above 0.25: a large one) and %zu accounts change bucket.",
                      r->shift.rows, r->words->risk, r->shift.psi, r->shift.changed);
    else
        text_printf(r->out, " (--data LABELLED.csv would add the PSI of the %s.)", r->words->risk);
    text_printf(r->out, "</p>\n");
    drift_term *terms = vt_calloc(old->enc->n_terms + m->enc->n_terms + 1, sizeof *terms);
    if (terms == NULL) {
        r->out->failed = 1;
        return;
    }
    for (size_t k = 0; k < m->n_targets; k++) {
        size_t listed = drift_terms(old, &old->targets[k], m, &m->targets[k], r->in->flag, terms), flagged = 0, n = 0;
        for (size_t i = 0; i < listed; i++)
            if (!curve_term_in_curve(old, m, terms[i].term)) /* compared as curves: curve_table */
                terms[n++] = terms[i];
        for (size_t i = 0; i < n; i++)
            flagged += terms[i].status == DRIFT_CHANGED;
        size_t curves_flagged = 0, n_curves = count_curves(r, k, &curves_flagged);
        char id[32], title[256];
        snprintf(id, sizeof id, "changes-%s", target_key(&m->targets[k]));
        snprintf(title, sizeof title, "%s: z of each term's change since the previous model", target_title(&m->targets[k]));
        text_printf(r->out, "<h3>%s: %zu term%s flagged", target_title(&m->targets[k]), flagged, flagged == 1 ? "" : "s");
        if (n_curves)
            text_printf(r->out, ", %zu curve%s", curves_flagged, curves_flagged == 1 ? "" : "s");
        text_printf(r->out, "</h3>\n<figure class=\"wide\">");
        chart_drift(r->out, id, title, terms, n, r->in->flag);
        drift_reading(r, terms, n);
        text_printf(r->out, "</figure>\n");
        drift_table(r, terms, n);
        snprintf(id, sizeof id, "curve-changes-%s", target_key(&m->targets[k]));
        curve_table(r, k, id);
    }
    free(terms);
}

/* ------------------------------------------------------------ build */

vt_status report_html_build(const report_inputs *in, markup *out, vt_err *err)
{
    report r = {.in = in, .m = in->m, .churn = score_churn_index(in->m), .out = out};
    r.words = report_outcome_words(in->m->targets[r.churn].name);
    vt_status status = in->previous ? same_targets(in, err) : VT_OK;
    if (status == VT_OK && in->data)
        status = read_data(&r, err);
    if (status == VT_OK) {
        page_start(&r);
        section_headline(&r);
        section_drivers(&r);
        section_weights(&r);
        section_ranking(&r);
        section_buckets(&r);
        section_accounts(&r);
        section_segments(&r);
        section_changes(&r);
        text_printf(out, "<p class=\"meta\">Written by vitals %s. Hover a mark for its numbers.</p>\n</body>\n</html>\n",
                      VT_VERSION);
        if (out->failed)
            status = vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t k = 0; k < MODEL_MAX_TARGETS; k++)
        compare_rows_free(&r.data[k].rows);
    drift_risks_free(&r.risks);
    riskiest_free(&r.top);
    return status;
}
