#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "score.h"

#define WIDTH 640.0
#define LABEL_CHARS 30 /* longer row labels are cut (the hover text has them whole) */

static const char *const bucket_names[3] = {"red", "yellow", "green"};

void report_wilson(double rate, size_t count, double *low, double *high)
{
    if (count == 0) {
        *low = 0;
        *high = 1;
        return;
    }
    double z = 1.959963984540054, n = (double)count, z2 = z * z;
    double centre = (rate + z2 / (2 * n)) / (1 + z2 / n);
    double half = z / (1 + z2 / n) * sqrt(rate * (1 - rate) / n + z2 / (4 * n * n));
    *low = fmax(0, centre - half);
    *high = fmin(1, centre + half);
}

const char *report_count(char *text, size_t size, double value)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", value);
    size_t len = strlen(digits), j = 0, sign = digits[0] == '-';
    for (size_t i = 0; i < len && j + 2 < size; i++) {
        if (i > sign && (len - i) % 3 == 0)
            text[j++] = ',';
        text[j++] = digits[i];
    }
    text[j] = '\0';
    return text;
}

/* Pixels the longest of the labels needs (cut at LABEL_CHARS). */
static double label_width(size_t chars)
{
    if (chars > LABEL_CHARS)
        chars = LABEL_CHARS;
    return SVG_CHAR_WIDTH * (double)chars + 24;
}

/* ------------------------------------------------------------ odds ratios */

void chart_odds(markup *out, const char *id, const char *title, const odds_row *rows, size_t n, double level)
{
    size_t chars = 8;
    double lo = 1, hi = 1;
    for (size_t i = 0; i < n; i++) {
        size_t c = svg_text_chars(rows[i].label) + (size_t)(2 * rows[i].indent) +
                   (rows[i].baseline ? svg_text_chars(rows[i].baseline) + 5 : 0);
        chars = c > chars ? c : chars;
        if (rows[i].is_heading)
            continue;
        lo = fmin(lo, isfinite(rows[i].low) ? rows[i].low : rows[i].odds);
        hi = fmax(hi, isfinite(rows[i].high) ? rows[i].high : rows[i].odds);
    }
    /* Whiskers past 1000x either way (separation) are cut at the edge. */
    lo = fmax(lo, 1e-3);
    hi = fmin(hi, 1e3);
    double ticks[SVG_MAX_TICKS], row_h = 20, left = label_width(chars);
    svg_log_ticks(&lo, &hi, 12, ticks);
    svg_plot p;
    svg_begin(&p, out, id, title, WIDTH, 60 + row_h * (double)n, left, 20, 10, 50);
    p.x = (svg_scale){lo, hi, 1, SVG_NUMBER};
    p.y = (svg_scale){(double)n, 0, 0, SVG_NUMBER}; /* row i at y = i + 0.5, top down */
    svg_axis_x(&p, "odds ratio (log scale): left of 1 lowers the odds, right raises them", 10);
    svg_line(&p, 1, 0, 1, (double)n, "#333333", 1, "4 3", NULL);
    char text[1024];
    for (size_t i = 0; i < n; i++) {
        const odds_row *r = &rows[i];
        double y = (double)i + 0.5;
        if (r->is_heading) { /* the column, and in the same text the level the others are against */
            text_printf(out, "<text x=\"8\" y=\"%.1f\" class=\"heading\"><title>", svg_py(&p, y) + 4);
            snprintf(text, sizeof text, "%s: each level against the baseline level %s", r->label,
                     r->baseline ? r->baseline : "");
            markup_escape(out, text, 0);
            text_printf(out, "</title>");
            markup_escape(out, r->label, LABEL_CHARS);
            if (r->baseline) {
                text_printf(out, "<tspan class=\"note\"> vs ");
                markup_escape(out, r->baseline, LABEL_CHARS / 2);
                text_printf(out, "</tspan>");
            }
            text_printf(out, "</text>\n");
            continue;
        }
        svg_text(&p, 8 + 12.0 * r->indent, svg_py(&p, y) + 4, "start", NULL, r->label,
                 LABEL_CHARS - (size_t)(2 * r->indent));
        int significant = r->p < 1 - level;
        const char *colour = !significant ? SVG_GREY : r->odds > 1 ? SVG_VERMILION : SVG_BLUE;
        snprintf(text, sizeof text, "%s: odds ratio %.6g (%g%% CI %.6g to %.6g), standardised coefficient %.6g, p = %.3g",
                 r->term, r->odds, 100 * level, r->low, r->high, r->standardised, r->p);
        svg_line(&p, fmax(r->low, lo), y, fmin(r->high, hi), y, colour, 2, NULL, text);
        svg_dot(&p, fmin(fmax(r->odds, lo), hi), y, 4.5, colour, text);
    }
    svg_end(&p);
}

/* ------------------------------------------------------------ weights */

void chart_weights(markup *out, const char *id, const weight_bar *bars, size_t n)
{
    size_t chars = 8;
    double hi = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = svg_text_chars(bars[i].column);
        chars = c > chars ? c : chars;
        hi = fmax(hi, fmax(bars[i].model, isnan(bars[i].card) ? 0 : bars[i].card));
    }
    double lo = 0, ticks[SVG_MAX_TICKS], row_h = 26;
    svg_nice_ticks(&lo, &hi, 5, ticks);
    svg_plot p;
    svg_begin(&p, out, id, "Share of the weight: hand-set scorecard beside the learned model", WIDTH,
              90 + row_h * (double)n, label_width(chars), 90, 40, 50);
    p.x = (svg_scale){0, hi, 0, SVG_PERCENT};
    p.y = (svg_scale){(double)n, 0, 0, SVG_NUMBER};
    svg_axis_x(&p, "share of total weight", 6);
    const char *labels[] = {"scorecard", "model"}, *colours[] = {SVG_ORANGE, SVG_BLUE};
    svg_legend(&p, p.left, 16, labels, colours, NULL, 2);
    char text[1024];
    for (size_t i = 0; i < n; i++) {
        const weight_bar *b = &bars[i];
        double y = (double)i;
        svg_text(&p, 8, svg_py(&p, y + 0.5) + 4, "start", NULL, b->column, LABEL_CHARS);
        if (isnan(b->card))
            snprintf(text, sizeof text, "%s: not in the scorecard", b->column);
        else
            snprintf(text, sizeof text, "%s: %.6g%% of the scorecard's weight", b->column, 100 * b->card);
        svg_rect(&p, 0, y + 0.12, isnan(b->card) ? 0 : b->card, y + 0.48, SVG_ORANGE, text);
        if (b->curve)
            snprintf(text, sizeof text, "%s: %.6g%% of the model's weight (a curve: the standard deviation of its "
                     "contribution over the labelled rows)%s", b->column, 100 * b->model,
                     b->disagrees ? "; the curve's trend disagrees with the scorecard's direction" : "");
        else
            snprintf(text, sizeof text, "%s: %.6g%% of the model's standardised weight%s", b->column, 100 * b->model,
                     b->disagrees ? "; the model's sign disagrees with the scorecard's direction" : "");
        svg_rect(&p, 0, y + 0.52, b->model, y + 0.88, SVG_BLUE, text);
        if (b->disagrees)
            svg_text(&p, p.left + p.plot_w + 6, svg_py(&p, y + 0.5) + 4, "start", "warn", "\xE2\x9A\xA0 signs disagree", 0);
    }
    svg_end(&p);
}

/* ------------------------------------------------------------ curves */

void chart_curves(markup *out, const char *id, const char *title, const char *x_label, const char *y_label,
                  const curve *curves, size_t n, const char *reference, double x0, double y0, double x1, double y1)
{
    svg_plot p;
    svg_begin(&p, out, id, title, 420, 400, 56, 16, 40, 50);
    p.x = (svg_scale){0, 1, 0, SVG_PERCENT};
    p.y = (svg_scale){0, 1, 0, SVG_PERCENT};
    svg_axis_x(&p, x_label, 6);
    svg_axis_y(&p, y_label, 6);
    if (reference)
        svg_line(&p, x0, y0, x1, y1, SVG_GREY, 1.5, "5 4", reference);
    const char *labels[4], *colours[4], *dashes[4];
    for (size_t k = 0; k < n && k < 3; k++) {
        svg_path(&p, curves[k].x, curves[k].y, curves[k].n, curves[k].colour, 2.5, curves[k].dash, curves[k].title);
        labels[k] = curves[k].name;
        colours[k] = curves[k].colour;
        dashes[k] = curves[k].dash;
    }
    size_t shown = n < 3 ? n : 3;
    if (reference) {
        labels[shown] = reference;
        colours[shown] = SVG_GREY;
        dashes[shown++] = "5 4";
    }
    svg_legend(&p, p.left, 18, labels, colours, dashes, shown);
    svg_end(&p);
}

/* ------------------------------------------------------------ smooth terms */

/* y (a multiplier on the odds) at a fraction of the log axis. */
static double log_axis_at(const svg_plot *p, double fraction)
{
    return exp(log(p->y.lo) + fraction * (log(p->y.hi) - log(p->y.lo)));
}

void chart_smooth(markup *out, const char *id, const smooth_chart *c)
{
    /* y range: the bands' reach, at least 0.5 to 2, at most 1e-3 to 1e3 */
    double y_lo = 0.5, y_hi = 2.0;
    for (size_t l = 0; l < c->n_lines; l++)
        for (size_t i = 0; i < c->lines[l].n; i++) {
            double f = c->lines[l].f[i], se = isfinite(c->lines[l].se[i]) ? c->lines[l].se[i] : 0;
            y_lo = fmin(y_lo, exp(f - 1.96 * se));
            y_hi = fmax(y_hi, exp(f + 1.96 * se));
        }
    y_lo = fmax(y_lo, 1e-3);
    y_hi = fmin(y_hi, 1e3);
    double ticks[SVG_MAX_TICKS];
    svg_log_ticks(&y_lo, &y_hi, 7, ticks);
    char title[512], text[512];
    snprintf(title, sizeof title, "%s: the effect of %s on the %s odds (x times an average account), with its 95%% band",
             c->target, c->column, c->target);
    svg_plot p;
    svg_begin(&p, out, id, title, 540, 330, 60, c->card_points ? 78 : 18, 40, 50);
    double x_lo = c->lo, x_hi = c->hi; /* the data's own range: a nice one would widen the shaded ends */
    p.x = (svg_scale){x_lo, x_hi, 0, SVG_NUMBER};
    p.y = (svg_scale){y_lo, y_hi, 1, SVG_NUMBER};
    /* beyond the training range the curve goes on as a straight line */
    if (x_lo < c->train_lo)
        svg_rect(&p, x_lo, y_lo, c->train_lo, y_hi, "#f1f1f1", "below the training range: a straight-line extrapolation");
    if (x_hi > c->train_hi)
        svg_rect(&p, c->train_hi, y_lo, x_hi, y_hi, "#f1f1f1", "above the training range: a straight-line extrapolation");
    /* where the accounts are: a histogram in the bottom eighth */
    if (c->counts) {
        size_t most = 1;
        for (size_t b = 0; b < SMOOTH_CHART_BINS; b++)
            most = c->counts[b] > most ? c->counts[b] : most;
        for (size_t b = 0; b < SMOOTH_CHART_BINS; b++) {
            if (c->counts[b] == 0)
                continue;
            double a = c->lo + (c->hi - c->lo) * (double)b / SMOOTH_CHART_BINS;
            double z = c->lo + (c->hi - c->lo) * (double)(b + 1) / SMOOTH_CHART_BINS;
            snprintf(text, sizeof text, "%zu accounts with %s from %.6g to %.6g", c->counts[b], c->column, a, z);
            svg_rect(&p, a, y_lo, z, log_axis_at(&p, 0.12 * (double)c->counts[b] / (double)most), "#c9d6df", text);
        }
    }
    for (size_t k = 0; !c->counts && k < c->n_knots; k++) {
        snprintf(text, sizeof text, "knot at %s = %.6g (knots sit at quantiles of the training values)", c->column,
                 c->knots[k]);
        svg_line(&p, c->knots[k], y_lo, c->knots[k], log_axis_at(&p, 0.05), SVG_GREY, 1.5, NULL, text);
    }
    svg_axis_x(&p, c->column, 6);
    svg_axis_y(&p, "x the odds (log scale)", 7);
    svg_line(&p, x_lo, 1, x_hi, 1, SVG_GREY, 1, "4 3", "1: no effect (an average account)");
    const char *labels[8], *colours[8], *dashes[8];
    size_t n_legend = 0;
    for (size_t l = 0; l < c->n_lines; l++) {
        const smooth_line *line = &c->lines[l];
        double *mid = vt_malloc(line->n * sizeof(double)), *low = vt_malloc(line->n * sizeof(double)),
               *high = vt_malloc(line->n * sizeof(double));
        if (mid == NULL || low == NULL || high == NULL) {
            free(mid);
            free(low);
            free(high);
            out->failed = 1;
            return;
        }
        int has_band = 1;
        for (size_t i = 0; i < line->n; i++) {
            double se = line->se[i];
            has_band &= isfinite(se);
            mid[i] = fmin(fmax(exp(line->f[i]), y_lo), y_hi);
            low[i] = fmin(fmax(exp(line->f[i] - 1.96 * (isfinite(se) ? se : 0)), y_lo), y_hi);
            high[i] = fmin(fmax(exp(line->f[i] + 1.96 * (isfinite(se) ? se : 0)), y_lo), y_hi);
        }
        snprintf(text, sizeof text, "95%% band of the %s curve%s%s", c->column, line->name ? " for " : "",
                 line->name ? line->name : "");
        if (has_band)
            svg_area(&p, line->x, low, high, line->n, line->colour, c->n_lines > 1 ? 0.12 : 0.22, text);
        snprintf(text, sizeof text, "%s%s%s: x the %s odds", c->column, line->name ? " for " : "",
                 line->name ? line->name : "", c->target);
        svg_path(&p, line->x, mid, line->n, line->colour, 2.5, NULL, text);
        if (n_legend < 6) {
            labels[n_legend] = line->name ? line->name : "learned curve";
            colours[n_legend] = line->colour;
            dashes[n_legend++] = NULL;
        }
        free(mid);
        free(low);
        free(high);
    }
    if (c->card_points) { /* the card's points, 0 at the bottom to 100 at the top, on the right */
        const smooth_line *grid = &c->lines[0];
        double *y = vt_malloc(grid->n * sizeof(double));
        if (y == NULL) {
            out->failed = 1;
            return;
        }
        for (size_t i = 0; i < grid->n; i++)
            y[i] = log_axis_at(&p, c->card_points[i] / 100);
        snprintf(text, sizeof text, "scorecard %s: points for %s (right axis, 0-100)", c->card_name, c->column);
        svg_path(&p, grid->x, y, grid->n, SVG_ORANGE, 2, "6 3", text);
        free(y);
        double right = p.left + p.plot_w;
        for (int points = 0; points <= 100; points += 50) {
            double py = svg_py(&p, log_axis_at(&p, points / 100.0));
            text_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", right, py,
                        right + 4, py, SVG_ORANGE);
            snprintf(text, sizeof text, "%d", points);
            svg_text(&p, right + 7, py + 4, "start", "tick", text, 0);
        }
        svg_text(&p, right + 7, p.top - 8, "start", "tick", "card points", 0);
        labels[n_legend] = "card points";
        colours[n_legend] = SVG_ORANGE;
        dashes[n_legend++] = "6 3";
    }
    svg_legend(&p, p.left, 18, labels, colours, dashes, n_legend);
    svg_end(&p);
}

void chart_calibration(markup *out, const char *id, const calibration_bin *bins, size_t n)
{
    double hi = 0;
    for (size_t g = 0; g < n; g++) {
        double low, high;
        report_wilson(bins[g].observed_rate, bins[g].count, &low, &high);
        hi = fmax(hi, fmax(high, bins[g].mean_predicted));
    }
    double lo = 0, ticks[SVG_MAX_TICKS];
    svg_nice_ticks(&lo, &hi, 5, ticks);
    svg_plot p;
    svg_begin(&p, out, id, "Calibration: mean predicted against observed churn rate per decile of risk", 420, 400, 56,
              16, 40, 50);
    p.x = (svg_scale){0, hi, 0, SVG_PERCENT};
    p.y = (svg_scale){0, hi, 0, SVG_PERCENT};
    svg_axis_x(&p, "mean predicted churn risk", 6);
    svg_axis_y(&p, "observed churn rate", 6);
    svg_line(&p, 0, 0, hi, hi, SVG_GREY, 1.5, "5 4", "perfect calibration: observed = predicted");
    double x[METRICS_DECILES], y[METRICS_DECILES];
    char text[512];
    for (size_t g = 0; g < n && g < METRICS_DECILES; g++) {
        double low, high;
        report_wilson(bins[g].observed_rate, bins[g].count, &low, &high);
        snprintf(text, sizeof text, "decile %zu: %zu accounts, mean predicted %.6g, observed %.6g (95%% CI %.4g to %.4g)",
                 g + 1, bins[g].count, bins[g].mean_predicted, bins[g].observed_rate, low, high);
        svg_line(&p, bins[g].mean_predicted, low, bins[g].mean_predicted, high, SVG_BLUE, 1.5, NULL, text);
        svg_dot(&p, bins[g].mean_predicted, bins[g].observed_rate, 4, SVG_BLUE, text);
        x[g] = bins[g].mean_predicted;
        y[g] = bins[g].observed_rate;
    }
    svg_path(&p, x, y, n < METRICS_DECILES ? n : METRICS_DECILES, SVG_BLUE, 1, NULL, NULL);
    const char *labels[] = {"deciles, 95% interval", "diagonal"}, *colours[] = {SVG_BLUE, SVG_GREY},
               *dashes[] = {NULL, "5 4"};
    svg_legend(&p, p.left, 18, labels, colours, dashes, 2);
    svg_end(&p);
}

void chart_health(markup *out, const char *id, const size_t events[HEALTH_BINS], const size_t others[HEALTH_BINS])
{
    size_t total[2] = {0, 0};
    for (int b = 0; b < HEALTH_BINS; b++) {
        total[0] += events[b];
        total[1] += others[b];
    }
    double hi = 0, share[2][HEALTH_BINS];
    for (int b = 0; b < HEALTH_BINS; b++) {
        share[0][b] = total[0] ? (double)events[b] / (double)total[0] : 0;
        share[1][b] = total[1] ? (double)others[b] / (double)total[1] : 0;
        hi = fmax(hi, fmax(share[0][b], share[1][b]));
    }
    double lo = 0, ticks[SVG_MAX_TICKS];
    svg_nice_ticks(&lo, &hi, 5, ticks);
    svg_plot p;
    svg_begin(&p, out, id, "Health of churners and non-churners", 420, 400, 56, 16, 40, 50);
    p.x = (svg_scale){0, 100, 0, SVG_NUMBER};
    p.y = (svg_scale){0, hi, 0, SVG_PERCENT};
    svg_axis_x(&p, "health (100: healthiest)", 6);
    svg_axis_y(&p, "share of the group", 6);
    const char *names[] = {"churners", "non-churners"}, *colours[] = {SVG_VERMILION, SVG_BLUE};
    const size_t *counts[] = {events, others};
    char text[512];
    for (int k = 0; k < 2; k++)
        for (int b = 0; b < HEALTH_BINS; b++) {
            double left = 5.0 * b + (k ? 2.5 : 0.25), right = left + 2.25;
            snprintf(text, sizeof text, "%s with health %d-%d: %zu (%.4g%% of %zu)", names[k], 5 * b,
                     b == HEALTH_BINS - 1 ? 100 : 5 * b + 4, counts[k][b], 100 * share[k][b], total[k]);
            svg_rect(&p, left, 0, right, share[k][b], colours[k], text);
        }
    svg_legend(&p, p.left, 18, names, colours, NULL, 2);
    svg_end(&p);
}

/* ------------------------------------------------------------ buckets */

void chart_buckets(markup *out, const char *id, const char *who, const size_t rows[3], const double events[3])
{
    double hi = 0, rate[3];
    for (int b = 0; b < 3; b++) {
        rate[b] = rows[b] ? events[b] / (double)rows[b] : 0;
        hi = fmax(hi, rate[b]);
    }
    double lo = 0, ticks[SVG_MAX_TICKS];
    svg_nice_ticks(&lo, &hi, 5, ticks);
    char title[256], text[512];
    snprintf(title, sizeof title, "%s: accounts and churn rate per bucket", who);
    svg_plot p;
    svg_begin(&p, out, id, title, 420, 320, 56, 16, 40, 50);
    p.x = (svg_scale){0, 3, 0, SVG_NUMBER};
    p.y = (svg_scale){0, hi, 0, SVG_PERCENT};
    svg_axis_y(&p, "churn rate", 5);
    snprintf(text, sizeof text, "%s buckets", who);
    svg_text(&p, p.left, 18, "start", "heading", text, 0);
    static const int order[3] = {BUCKET_GREEN, BUCKET_YELLOW, BUCKET_RED};
    for (int k = 0; k < 3; k++) {
        int b = order[k];
        snprintf(text, sizeof text, "%s %s: %zu accounts, %.6g churned, churn rate %.6g", who, bucket_names[b], rows[b],
                 events[b], rate[b]);
        svg_rect(&p, k + 0.2, 0, k + 0.8, rate[b], svg_bucket_colours[b], text);
        double x = svg_px(&p, k + 0.5), bottom = p.top + p.plot_h;
        snprintf(text, sizeof text, "%.1f%%", 100 * rate[b]);
        svg_text(&p, x, svg_py(&p, rate[b]) - 5, "middle", "value", text, 0);
        svg_text(&p, x, bottom + 16, "middle", "heading", bucket_names[b], 0);
        char count[32];
        snprintf(text, sizeof text, "%s accounts", report_count(count, sizeof count, (double)rows[b]));
        svg_text(&p, x, bottom + 32, "middle", NULL, text, 0);
    }
    svg_line(&p, 0, 0, 3, 0, "#999999", 1, NULL, NULL);
    svg_end(&p);
}

void chart_cross(markup *out, const char *id, const size_t rows[3][3], const size_t events[3][3])
{
    double max_rate = 0;
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            if (rows[a][b])
                max_rate = fmax(max_rate, (double)events[a][b] / (double)rows[a][b]);
    svg_plot p;
    svg_begin(&p, out, id, "Accounts by scorecard bucket (rows) and model bucket (columns), shaded by churn rate", 420,
              340, 84, 16, 50, 16);
    p.x = (svg_scale){0, 3, 0, SVG_NUMBER};
    p.y = (svg_scale){3, 0, 0, SVG_NUMBER};
    static const int order[3] = {BUCKET_GREEN, BUCKET_YELLOW, BUCKET_RED};
    char text[512], fill[32];
    svg_text(&p, p.left + p.plot_w / 2, 18, "middle", "label", "model bucket", 0);
    double label_y = p.top + p.plot_h / 2;
    text_printf(out, "<g transform=\"rotate(-90 16 %.1f)\">", label_y);
    svg_text(&p, 16, label_y + 4, "middle", "label", "scorecard bucket", 0);
    text_printf(out, "</g>");
    for (int i = 0; i < 3; i++) {
        svg_text(&p, svg_px(&p, i + 0.5), p.top - 8, "middle", "heading", bucket_names[order[i]], 0);
        svg_text(&p, p.left - 8, svg_py(&p, i + 0.5) + 4, "end", "heading", bucket_names[order[i]], 0);
    }
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            int a = order[i], b = order[j];
            double rate = rows[a][b] ? (double)events[a][b] / (double)rows[a][b] : 0;
            double shade = max_rate > 0 ? rate / max_rate : 0;
            /* white to vermilion (#D55E00) with the rate */
            snprintf(fill, sizeof fill, "#%02X%02X%02X", (unsigned)lround(255 - shade * (255 - 0xD5)),
                     (unsigned)lround(255 - shade * (255 - 0x5E)), (unsigned)lround(255 - shade * 255));
            snprintf(text, sizeof text, "scorecard %s, model %s: %zu accounts, churn rate %.6g", bucket_names[a],
                     bucket_names[b], rows[a][b], rate);
            svg_rect(&p, j + 0.02, i + 0.02, j + 0.98, i + 0.98, fill, text);
            double x = svg_px(&p, j + 0.5), y = svg_py(&p, i + 0.5);
            const char *cls = shade > 0.6 ? "on-dark" : "value";
            svg_text(&p, x, y - 2, "middle", cls, report_count(text, sizeof text, (double)rows[a][b]), 0);
            snprintf(text, sizeof text, "%.1f%% churn", 100 * rate);
            svg_text(&p, x, y + 14, "middle", cls, text, 0);
        }
    svg_end(&p);
}

/* ------------------------------------------------------------ drift */

void chart_drift(markup *out, const char *id, const char *title, const drift_term *terms, size_t n, double flag)
{
    size_t chars = 8, shown = 0;
    double lo = -flag, hi = flag;
    for (size_t i = 0; i < n; i++)
        if (terms[i].status == DRIFT_SAME || terms[i].status == DRIFT_CHANGED) {
            size_t c = svg_text_chars(terms[i].term);
            chars = c > chars ? c : chars;
            lo = fmin(lo, terms[i].z);
            hi = fmax(hi, terms[i].z);
            shown++;
        }
    double ticks[SVG_MAX_TICKS], row_h = 18;
    lo = fmin(lo, -hi); /* symmetric around 0 */
    hi = -lo;
    svg_nice_ticks(&lo, &hi, 7, ticks);
    svg_plot p;
    svg_begin(&p, out, id, title, WIDTH, 60 + row_h * (double)shown, label_width(chars), 20, 16, 50);
    p.x = (svg_scale){lo, hi, 0, SVG_NUMBER};
    p.y = (svg_scale){(double)shown, 0, 0, SVG_NUMBER};
    svg_axis_x(&p, "z of the change in the estimate (new - old) / sqrt(SE_old^2 + SE_new^2)", 8);
    char text[1024];
    snprintf(text, sizeof text, "flagged beyond |z| = %g", flag);
    svg_line(&p, -flag, 0, -flag, (double)shown, SVG_VERMILION, 1, "4 3", text);
    svg_line(&p, flag, 0, flag, (double)shown, SVG_VERMILION, 1, "4 3", text);
    svg_line(&p, 0, 0, 0, (double)shown, "#333333", 1, NULL, NULL);
    size_t row = 0;
    for (size_t i = 0; i < n; i++) {
        const drift_term *t = &terms[i];
        if (t->status != DRIFT_SAME && t->status != DRIFT_CHANGED)
            continue;
        double y = (double)row++ + 0.5;
        int flagged = t->status == DRIFT_CHANGED;
        svg_text(&p, 8, svg_py(&p, y) + 4, "start", flagged ? "warn" : NULL, t->term, LABEL_CHARS);
        snprintf(text, sizeof text, "%s: %.6g -> %.6g, change %.6g, z = %.4g%s", t->term, t->old_estimate,
                 t->new_estimate, t->change, t->z, flagged ? " (flagged)" : "");
        svg_line(&p, 0, y, t->z, y, flagged ? SVG_VERMILION : SVG_SKY, 2, NULL, text);
        svg_dot(&p, t->z, y, flagged ? 5 : 3.5, flagged ? SVG_VERMILION : SVG_BLUE, text);
    }
    svg_end(&p);
}
