#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "score.h"

#define WIDTH 640.0
#define LABEL_CHARS 30 /* longer row labels are cut (the hover text has them whole) */

static const char *const bucket_names[3] = {"red", "yellow", "green"};

const outcome_words *report_outcome_words(const char *target)
{
    static const outcome_words churn = {.noun = "churn", .events = "churners", .others = "non-churners",
                                        .happened = "churned", .risk = "churn risk", .ranked = "riskier",
                                        .score = "risk", .first = "riskiest first", .top_before = "riskiest"},
                               /* "riskiest" would call expanding a risk: the ranking is by likelihood */
                               expansion = {.noun = "expansion", .events = "expanders", .others = "non-expanders",
                                            .happened = "expanded", .risk = "expansion probability",
                                            .ranked = "higher", .score = "expansion probability",
                                            .first = "most likely to expand first",
                                            .top_after = "most likely to expand"},
                               other = {.noun = "event", .events = "events", .others = "non-events",
                                        .happened = "had the event", .risk = "event probability", .ranked = "higher",
                                        .score = "event probability", .first = "most likely first",
                                        .top_after = "most likely to have the event"};
    return strcmp(target, "churn") == 0 ? &churn : strcmp(target, "expansion") == 0 ? &expansion : &other;
}

const char *report_top(char *text, size_t size, const outcome_words *w, const char *what)
{
    if (w->top_before)
        snprintf(text, size, "the %s %s", w->top_before, what);
    else
        snprintf(text, size, "the %s %s", what, w->top_after);
    return text;
}

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

/* A mark beyond the axis: an arrow at its edge pointing the way the
 * value lies (right: above hi), so a clipped value is never drawn as if
 * it sat at the edge. */
static void edge_arrow(svg_plot *p, double x, double y, int right, const char *colour, const char *title)
{
    double px = svg_px(p, x), py = svg_py(p, y), d = right ? 1 : -1;
    text_printf(p->out, "<path class=\"beyond\" d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\"><title>", px + 8 * d,
                py, px, py - 5, px, py + 5, colour);
    markup_escape(p->out, title, 0);
    text_printf(p->out, "</title></path>\n");
}

/* A row's label: the text, and a step or baseline in grey after it. */
static size_t odds_label_chars(const odds_row *r)
{
    size_t c = svg_text_chars(r->label), room = LABEL_CHARS - (size_t)(2 * r->indent);
    c = (c > room ? room : c) + (size_t)(2 * r->indent);
    if (r->baseline)
        c += svg_text_chars(r->baseline) + 4;
    if (r->step > 0)
        c += svg_text_chars(r->note) + 1;
    return c;
}

/* At most this share of the chart goes to the labels; a longer baseline
 * is cut to what is left (its column's hover text names it whole). */
#define ODDS_LABEL_SHARE 0.45

void chart_odds(markup *out, const char *id, const char *title, const odds_row *rows, size_t n, double level)
{
    size_t chars = 8;
    double lo = 1, hi = 1;
    for (size_t i = 0; i < n; i++) {
        size_t c = rows[i].is_note ? svg_text_chars(rows[i].note) + (size_t)(2 * rows[i].indent)
                                   : odds_label_chars(&rows[i]);
        chars = c > chars ? c : chars;
        if (rows[i].is_heading || rows[i].is_note || rows[i].secondary)
            continue;
        lo = fmin(lo, isfinite(rows[i].low) ? rows[i].low : rows[i].odds);
        hi = fmax(hi, isfinite(rows[i].high) ? rows[i].high : rows[i].odds);
    }
    /* Past 1000x either way (separation) a mark is an arrow at the edge. */
    lo = fmax(lo, 1e-3);
    hi = fmin(hi, 1e3);
    double ticks[SVG_MAX_TICKS], row_h = 20, left = fmin(SVG_CHAR_WIDTH * (double)chars + 24, ODDS_LABEL_SHARE * WIDTH);
    size_t room = (size_t)((left - 24) / SVG_CHAR_WIDTH);
    svg_log_ticks(&lo, &hi, 12, ticks);
    svg_plot p;
    svg_begin(&p, out, id, title, WIDTH, 60 + row_h * (double)n, left, 20, 10, 50);
    p.x = (svg_scale){lo, hi, 1, SVG_NUMBER};
    p.y = (svg_scale){(double)n, 0, 0, SVG_NUMBER}; /* row i at y = i + 0.5, top down */
    svg_axis_x(&p, "odds ratio (log scale): below 1 lowers the odds", 10);
    svg_line(&p, 1, 0, 1, (double)n, "#333333", 1, "4 3", NULL);
    char text[1024], beyond[64];
    for (size_t i = 0; i < n; i++) {
        const odds_row *r = &rows[i];
        double y = (double)i + 0.5;
        if (r->is_note) {
            svg_text(&p, 8 + 12.0 * r->indent, svg_py(&p, y) + 4, "start", r->indent ? "note" : "heading", r->note, 0);
            continue;
        }
        if (r->is_heading) { /* the column, and in the same text the level the others are against */
            text_printf(out, "<text x=\"8\" y=\"%.1f\" class=\"heading\"><title>", svg_py(&p, y) + 4);
            snprintf(text, sizeof text, "%s: each level against the baseline level %s", r->label,
                     r->baseline ? r->baseline : "");
            markup_escape(out, text, 0);
            text_printf(out, "</title>");
            markup_escape(out, r->label, LABEL_CHARS);
            size_t used = svg_text_chars(r->label) + 4;
            if (r->baseline && used + 6 <= room) {
                text_printf(out, "<tspan class=\"note\"> vs ");
                markup_escape(out, r->baseline, room - used);
                text_printf(out, "</tspan>");
            }
            text_printf(out, "</text>\n");
            continue;
        }
        size_t fit = LABEL_CHARS - (size_t)(2 * r->indent), beside = r->step > 0 ? svg_text_chars(r->note) + 1 : 0;
        if (room > beside + (size_t)(2 * r->indent) + 8 && fit > room - beside - (size_t)(2 * r->indent))
            fit = room - beside - (size_t)(2 * r->indent);
        text_printf(out, "<text x=\"%.1f\" y=\"%.1f\">", 8 + 12.0 * r->indent, svg_py(&p, y) + 4);
        markup_escape(out, r->label, fit);
        if (r->step > 0) {
            text_printf(out, "<tspan class=\"note\"> ");
            markup_escape(out, r->note, 0);
            text_printf(out, "</tspan>");
        }
        text_printf(out, "</text>\n");
        int significant = r->p < 1 - level;
        const char *colour = !significant ? SVG_GREY : r->odds > 1 ? SVG_VERMILION : SVG_BLUE;
        int past_lo = r->odds < lo, past_hi = r->odds > hi;
        snprintf(beyond, sizeof beyond, "%s", past_lo   ? " (beyond the axis, to the left)"
                                             : past_hi ? " (beyond the axis, to the right)"
                                                       : "");
        if (r->step > 0)
            snprintf(text, sizeof text, "%s: odds ratio %.6g per unit; %.6g for %s (%g%% CI %.6g to %.6g)%s, "
                     "standardised coefficient %.6g, p = %.3g", r->term, r->unit_odds, r->odds, r->note, 100 * level,
                     r->low, r->high, beyond, r->standardised, r->p);
        else
            snprintf(text, sizeof text, "%s: odds ratio %.6g (%g%% CI %.6g to %.6g)%s, standardised coefficient %.6g, "
                     "p = %.3g", r->term, r->odds, 100 * level, r->low, r->high, beyond, r->standardised, r->p);
        double from = fmin(fmax(r->low, lo), hi), to = fmax(fmin(r->high, hi), lo);
        if (to > from)
            svg_line(&p, from, y, to, y, colour, 2, NULL, text);
        if (r->low < lo && r->odds >= lo)
            edge_arrow(&p, lo, y, 0, colour, text);
        if (r->high > hi && r->odds <= hi)
            edge_arrow(&p, hi, y, 1, colour, text);
        if (past_lo || past_hi) { /* the point itself is off the axis: an arrow and its value */
            edge_arrow(&p, past_hi ? hi : lo, y, past_hi, colour, text);
            snprintf(beyond, sizeof beyond, "%.3g", r->odds);
            svg_text(&p, svg_px(&p, past_hi ? hi : lo) + (past_hi ? -6 : 14), svg_py(&p, y) - 6,
                     past_hi ? "end" : "start", "note", beyond, 0);
        } else {
            svg_dot(&p, r->odds, y, 4.5, colour, text);
        }
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
    /* room on the right for the warning, measured as the labels are */
    static const char warning[] = "\xE2\x9A\xA0 signs disagree", unsplit[] = "split not identified";
    double right = 24;
    for (size_t i = 0; i < n; i++) {
        const char *mark = bars[i].disagrees ? warning : bars[i].not_identified ? unsplit : NULL;
        if (mark)
            right = fmax(right, SVG_CHAR_WIDTH * (double)svg_text_chars(mark) + 16);
    }
    svg_begin(&p, out, id, "Share of the weight: hand-set scorecard beside the learned model", WIDTH,
              90 + row_h * (double)n, label_width(chars), right, 40, 50);
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
        else if (b->not_identified)
            snprintf(text, sizeof text, "%s: %.6g%% of the model's standardised weight, the columns nearly collinear "
                     "and weighed as one: how it splits between them, and their signs, are not identified",
                     b->column, 100 * b->model);
        else
            snprintf(text, sizeof text, "%s: %.6g%% of the model's standardised weight%s", b->column, 100 * b->model,
                     b->disagrees ? "; the model's sign disagrees with the scorecard's direction" : "");
        svg_rect(&p, 0, y + 0.52, b->model, y + 0.88, SVG_BLUE, text);
        if (b->disagrees)
            svg_text(&p, p.left + p.plot_w + 6, svg_py(&p, y + 0.5) + 4, "start", "warn", warning, 0);
        else if (b->not_identified)
            svg_text(&p, p.left + p.plot_w + 6, svg_py(&p, y + 0.5) + 4, "start", NULL, unsplit, 0);
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

#define SMOOTH_WIDTH 540.0
#define SMOOTH_STRIP 0.12     /* the accounts' strip: the bottom eighth of the plot */
#define SMOOTH_LEGEND_MAX 9   /* six levels, the extrapolation, the strip and the card */

/* y (a multiplier on the odds) at a fraction of the log axis. */
static double log_axis_at(const svg_plot *p, double fraction)
{
    return exp(log(p->y.lo) + fraction * (log(p->y.hi) - log(p->y.lo)));
}

/* The card's points on the right axis: 0 and 100 kept off the frame, so a
 * step at 0 does not hide in the x axis. */
static double card_y(const svg_plot *p, double points)
{
    return log_axis_at(p, 0.04 + 0.92 * points / 100);
}

double smooth_x_at(double lo, double hi, int log_x, double fraction)
{
    return log_x ? exp(log(lo) + fraction * (log(hi) - log(lo))) : lo + fraction * (hi - lo);
}

double smooth_x_fraction(double lo, double hi, int log_x, double x)
{
    if (log_x)
        return x > 0 ? (log(x) - log(lo)) / (log(hi) - log(lo)) : -1; /* at or below 0: before the axis */
    return (x - lo) / (hi - lo);
}

double smooth_chart_card_points(const smooth_chart *c, double x)
{
    size_t step = 0;
    while (step < c->n_card_at && (c->card_higher_better ? x >= c->card_at[step] : x > c->card_at[step]))
        step++;
    return c->card_points[step];
}

/* The log axis: the curves everywhere and their bands inside the training
 * range (beyond it the band of a straight-line extrapolation fans out and
 * would squash the part the data drew), at least 0.5 to 2, at most 1e-3 to
 * 1e3. */
static void smooth_y_range(const smooth_chart *c, double *y_lo, double *y_hi)
{
    *y_lo = 0.5;
    *y_hi = 2.0;
    for (size_t l = 0; l < c->n_lines; l++)
        for (size_t i = 0; i < c->lines[l].n; i++) {
            const smooth_line *line = &c->lines[l];
            int inside = line->x[i] >= c->train_lo && line->x[i] <= c->train_hi;
            double reach = inside && isfinite(line->se[i]) ? BAND_Z * line->se[i] : 0;
            *y_lo = fmin(*y_lo, exp(line->f[i] - reach));
            *y_hi = fmax(*y_hi, exp(line->f[i] + reach));
        }
    *y_lo = fmax(*y_lo, 1e-3);
    *y_hi = fmin(*y_hi, 1e3);
    double ticks[SVG_MAX_TICKS];
    svg_log_ticks(y_lo, y_hi, 7, ticks);
}

/* Legend rows: entries left to right from x = 8, a new row when the next
 * would pass the chart's right edge.  Returns the rows. */
static size_t legend_rows(const char *const *labels, size_t n, size_t *row_start /* OUT: n + 1 */)
{
    size_t rows = 0;
    double x = SMOOTH_WIDTH;
    for (size_t i = 0; i < n; i++) {
        double width = 22 + SVG_CHAR_WIDTH * (double)svg_text_chars(labels[i]) + 16;
        if (x + width > SMOOTH_WIDTH + 16) {
            row_start[rows++] = i;
            x = 8;
        }
        x += width;
    }
    row_start[rows] = n;
    return rows;
}

/* Where the accounts are: a histogram of the report's data in the bottom
 * of the plot; without data, the knots as ticks and the training rows'
 * mean +- 1 sd as a bar (what the model stores of the column). */
static void smooth_strip(svg_plot *p, const smooth_chart *c)
{
    char text[512];
    if (c->counts) {
        size_t most = 1;
        for (size_t b = 0; b < SMOOTH_CHART_BINS; b++)
            most = c->counts[b] > most ? c->counts[b] : most;
        for (size_t b = 0; b < SMOOTH_CHART_BINS; b++) {
            if (c->counts[b] == 0)
                continue;
            double a = smooth_x_at(c->lo, c->hi, c->log_x, (double)b / SMOOTH_CHART_BINS);
            double z = smooth_x_at(c->lo, c->hi, c->log_x, (double)(b + 1) / SMOOTH_CHART_BINS);
            snprintf(text, sizeof text, "%zu accounts with %s from %.6g to %.6g", c->counts[b], c->column, a, z);
            svg_rect(p, a, p->y.lo, z, log_axis_at(p, SMOOTH_STRIP * (double)c->counts[b] / (double)most), "#c9d6df",
                     text);
        }
        return;
    }
    for (size_t k = 0; k < c->n_knots; k++) {
        snprintf(text, sizeof text, "knot at %s = %.6g (knots sit at quantiles of the column's distinct training values)",
                 c->column, c->knots[k]);
        svg_line(p, c->knots[k], p->y.lo, c->knots[k], log_axis_at(p, 0.05), SVG_GREY, 1.5, NULL, text);
    }
    if (isfinite(c->mean) && isfinite(c->sd)) {
        double from = fmax(c->mean - c->sd, c->lo), to = fmin(c->mean + c->sd, c->hi), y = log_axis_at(p, 0.09);
        snprintf(text, sizeof text, "training accounts: mean %s %.6g, sd %.6g", c->column, c->mean, c->sd);
        svg_line(p, from, y, to, y, SVG_GREY, 3, NULL, text);
        svg_dot(p, c->mean, y, 3.5, SVG_GREY, text);
    }
}

/* Beyond the training range: a shaded ground (the legend names it with
 * the dashed curve: a label inside would cross the curve). */
static void smooth_extrapolation(svg_plot *p, const smooth_chart *c)
{
    double edges[2][2] = {{c->lo, c->train_lo}, {c->train_hi, c->hi}};
    const char *titles[2] = {"below the training range: a straight-line extrapolation",
                             "above the training range: a straight-line extrapolation"};
    for (int side = 0; side < 2; side++) {
        if (edges[side][0] >= edges[side][1])
            continue;
        svg_rect(p, edges[side][0], p->y.lo, edges[side][1], p->y.hi, "#ececec", titles[side]);
    }
}

/* One curve: its band, solid where the data drew it and dashed beyond
 * the training range.  -1 when out of memory. */
static int smooth_curve(svg_plot *p, const smooth_chart *c, const smooth_line *line)
{
    double *mid = vt_malloc(3 * line->n * sizeof(double));
    if (mid == NULL)
        return -1;
    double *low = mid + line->n, *high = low + line->n;
    int has_band = 1;
    for (size_t i = 0; i < line->n; i++) {
        double se = isfinite(line->se[i]) ? line->se[i] : 0;
        has_band &= isfinite(line->se[i]);
        mid[i] = fmin(fmax(exp(line->f[i]), p->y.lo), p->y.hi);
        low[i] = fmin(fmax(exp(line->f[i] - BAND_Z * se), p->y.lo), p->y.hi);
        high[i] = fmin(fmax(exp(line->f[i] + BAND_Z * se), p->y.lo), p->y.hi);
    }
    char text[512];
    const char *level = line->name ? line->name : "", *for_level = line->name ? " for " : "";
    snprintf(text, sizeof text, "95%% band of the %s curve%s%s", c->column, for_level, level);
    if (has_band)
        svg_area(p, line->x, low, high, line->n, line->colour, c->n_lines > 1 ? 0.12 : 0.22, text);
    /* [first, last) inside the training range; a dashed piece either side
     * shares its end point with the solid one, so the line is unbroken */
    size_t first = 0, last = line->n;
    while (first < line->n && line->x[first] < c->train_lo)
        first++;
    while (last > first && line->x[last - 1] > c->train_hi)
        last--;
    snprintf(text, sizeof text, "%s%s%s: x the %s odds", c->column, for_level, level, c->target);
    svg_path(p, line->x + first, mid + first, last - first, line->colour, 2.5, NULL, text);
    snprintf(text, sizeof text, "%s%s%s: x the %s odds, extrapolated beyond the training range", c->column, for_level,
             level, c->target);
    if (first > 0)
        svg_path(p, line->x, mid, first + (first < line->n), line->colour, 2, "5 4", text);
    if (last < line->n && last > 0)
        svg_path(p, line->x + last - 1, mid + last - 1, line->n - last + 1, line->colour, 2, "5 4", text);
    free(mid);
    return 0;
}

/* Step s of the card in words, for the hover text: "50 at >= 0.5 and
 * < 0.8" (higher is better: a threshold opens the step above it), "50 at
 * > 0 and <= 2" (lower). */
static int card_step_text(char *text, size_t size, const smooth_chart *c, size_t s)
{
    const char *open_low = c->card_higher_better ? ">=" : ">", *open_high = c->card_higher_better ? "<" : "<=";
    const char *separator = s ? "; " : "";
    if (c->n_card_at == 0)
        return snprintf(text, size, "%g everywhere", c->card_points[0]);
    if (s == 0)
        return snprintf(text, size, "%g at %s %.6g", c->card_points[s], open_high, c->card_at[0]);
    if (s == c->n_card_at)
        return snprintf(text, size, "%s%g at %s %.6g", separator, c->card_points[s], open_low, c->card_at[s - 1]);
    return snprintf(text, size, "%s%g at %s %.6g and %s %.6g", separator, c->card_points[s], open_low,
                    c->card_at[s - 1], open_high, c->card_at[s]);
}

/* The card's points as a step line on a right axis, its steps listed in
 * the hover text.  -1 when out of memory. */
static int smooth_card(svg_plot *p, const smooth_chart *c)
{
    size_t n = 2 * (c->n_card_at + 1);
    double *x = vt_malloc(2 * n * sizeof(double));
    if (x == NULL)
        return -1;
    double *y = x + n;
    size_t m = 0;
    char text[1024];
    int used = snprintf(text, sizeof text, "scorecard %s: points for %s (right axis): ", c->card_name, c->column);
    for (size_t s = 0; s <= c->n_card_at; s++) {
        double from = s == 0 ? c->lo : fmax(c->lo, c->card_at[s - 1]);
        double to = s == c->n_card_at ? c->hi : fmin(c->hi, c->card_at[s]);
        if (used > 0 && (size_t)used < sizeof text) /* where a value at a threshold goes, as the card says */
            used += card_step_text(text + used, sizeof text - (size_t)used, c, s);
        if (from > to)
            continue; /* a step outside the chart */
        x[m] = from;
        y[m++] = card_y(p, c->card_points[s]);
        x[m] = to;
        y[m++] = card_y(p, c->card_points[s]);
    }
    svg_path(p, x, y, m, SVG_ORANGE, 2, "6 3", text);
    free(x);
    double right = p->left + p->plot_w;
    text_printf(p->out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", right, p->top, right,
                p->top + p->plot_h, SVG_ORANGE);
    for (int points = 0; points <= 100; points += 25) {
        double py = svg_py(p, card_y(p, points));
        text_printf(p->out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", right, py,
                    right + (points % 50 ? 3 : 5), py, SVG_ORANGE);
        if (points % 50 == 0) {
            snprintf(text, sizeof text, "%d", points);
            svg_text(p, right + 8, py + 4, "start", NULL, text, 0);
        }
    }
    double x_label = right + 40, y_label = p->top + p->plot_h / 2;
    text_printf(p->out, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                        "transform=\"rotate(90 %.1f %.1f)\">card points</text>",
                x_label, y_label, x_label, y_label);
    return 0;
}

void chart_smooth(markup *out, const char *id, const smooth_chart *c)
{
    /* the legend first: its rows set the top margin */
    const char *labels[SMOOTH_LEGEND_MAX], *colours[SMOOTH_LEGEND_MAX], *dashes[SMOOTH_LEGEND_MAX];
    size_t n_legend = 0, row_start[SMOOTH_LEGEND_MAX + 1];
    for (size_t l = 0; l < c->n_lines && l < 6; l++) {
        labels[n_legend] = c->lines[l].name ? c->lines[l].name : "learned curve";
        colours[n_legend] = c->lines[l].colour;
        dashes[n_legend++] = NULL;
    }
    if (c->lo < c->train_lo || c->hi > c->train_hi) {
        labels[n_legend] = "extrapolated";
        colours[n_legend] = c->lines[0].colour;
        dashes[n_legend++] = "5 4";
    }
    labels[n_legend] = c->counts ? "accounts" : "knots (no --data)";
    colours[n_legend] = c->counts ? "#c9d6df" : SVG_GREY;
    dashes[n_legend++] = NULL;
    if (c->card_points) {
        labels[n_legend] = "card points";
        colours[n_legend] = SVG_ORANGE;
        dashes[n_legend++] = "6 3";
    }
    size_t rows = legend_rows(labels, n_legend, row_start);
    double top = 30 + 18 * (double)rows;

    char title[512];
    snprintf(title, sizeof title, "%s: the effect of %s on the %s odds (x times an average account), with its 95%% band",
             c->target, c->column, c->target);
    svg_plot p;
    svg_begin(&p, out, id, title, SMOOTH_WIDTH, top + 250 + 50, 60, c->card_points ? 56 : 18, top, 50);
    double y_lo, y_hi;
    smooth_y_range(c, &y_lo, &y_hi);
    p.x = (svg_scale){c->lo, c->hi, c->log_x, SVG_NUMBER}; /* the data's own range: a nice one would widen the shaded ends */
    p.y = (svg_scale){y_lo, y_hi, 1, SVG_NUMBER};
    snprintf(title, sizeof title, "Effect of %s on the %s odds", c->column, c->target);
    svg_text(&p, 8, 16, "start", "heading", title, 80);
    for (size_t r = 0; r < rows; r++)
        svg_legend(&p, 8, 36 + 18 * (double)r, labels + row_start[r], colours + row_start[r], dashes + row_start[r],
                   row_start[r + 1] - row_start[r]);

    smooth_extrapolation(&p, c);
    smooth_strip(&p, c);
    if (c->log_x)
        snprintf(title, sizeof title, "%s (log scale)", c->column);
    svg_axis_x(&p, c->log_x ? title : c->column, 6);
    snprintf(title, sizeof title, "x the %s odds (log scale)", c->target);
    svg_axis_y(&p, title, 7);
    svg_line(&p, c->lo, 1, c->hi, 1, SVG_GREY, 1, "4 3", "1: no effect (an average account)");
    for (size_t l = 0; l < c->n_lines; l++)
        if (smooth_curve(&p, c, &c->lines[l]) != 0) {
            out->failed = 1;
            return;
        }
    if (c->card_points && smooth_card(&p, c) != 0) {
        out->failed = 1;
        return;
    }
    svg_end(&p);
}

/* ------------------------------------------------------------ ti surfaces */

#define TENSOR_RIGHT 80.0 /* the colour bar and its labels */
#define TENSOR_TOP 48.0
#define TENSOR_PLOT_H 250.0

const double tensor_edges[TENSOR_EDGES] = {1.1, 1.25, 1.5, 2, 3, 5};
/* The edges as labels, above 1 and (their inverses) below; the first,
 * bounding the white step, unlabelled. */
static const char *const edge_above[TENSOR_EDGES] = {NULL, "1.25", "1.5", "2", "3", "5"};
static const char *const edge_below[TENSOR_EDGES] = {NULL, "0.8", "0.67", "0.5", "0.33", "0.2"};
/* How far step s (1 .. TENSOR_EDGES) goes from white to the full colour. */
static const double step_shade[TENSOR_EDGES] = {0.14, 0.28, 0.44, 0.6, 0.78, 1.0};

int tensor_step(double f)
{
    int s = 0;
    while (s < TENSOR_EDGES && fabs(f) >= log(tensor_edges[s]))
        s++;
    return f < 0 ? -s : s;
}

/* Step s's fill: white to vermilion (#D55E00) above 1, to blue (#0072B2)
 * below. */
static void step_colour(int s, char *fill, size_t size)
{
    double t = s == 0 ? 0 : step_shade[abs(s) - 1];
    int r = s > 0 ? 0xD5 : 0x00, g = s > 0 ? 0x5E : 0x72, b = s > 0 ? 0x00 : 0xB2;
    snprintf(fill, size, "#%02X%02X%02X", (unsigned)lround(255 - t * (255 - r)), (unsigned)lround(255 - t * (255 - g)),
             (unsigned)lround(255 - t * (255 - b)));
}

/* Step s's range of multipliers in words: "1.25 to 1.5", "above 5". */
static void step_range(int s, char *text, size_t size)
{
    int a = abs(s);
    if (s == 0)
        snprintf(text, size, "%.3g to %.3g", 1 / tensor_edges[0], tensor_edges[0]);
    else if (a == TENSOR_EDGES)
        snprintf(text, size, "%s %.3g", s > 0 ? "above" : "below", s > 0 ? tensor_edges[a - 1] : 1 / tensor_edges[a - 1]);
    else if (s > 0)
        snprintf(text, size, "%.3g to %.3g", tensor_edges[a - 1], tensor_edges[a]);
    else
        snprintf(text, size, "%.3g to %.3g", 1 / tensor_edges[a], 1 / tensor_edges[a - 1]);
}

double tensor_grid_a(const tensor_chart *c, double i)
{
    return i >= TENSOR_NX ? c->a_hi : smooth_x_at(c->a_lo, c->a_hi, c->log_a, i / TENSOR_NX);
}

double tensor_grid_b(const tensor_chart *c, double j)
{
    return j >= TENSOR_NY ? c->b_hi : smooth_x_at(c->b_lo, c->b_hi, c->log_b, j / TENSOR_NY);
}

/* Cells [i0, i1) of row j as a subpath of a <path>. */
static void cell_run(svg_plot *p, const tensor_chart *c, size_t j, size_t i0, size_t i1)
{
    double x0 = svg_px(p, tensor_grid_a(c, (double)i0)), x1 = svg_px(p, tensor_grid_a(c, (double)i1));
    double y0 = svg_py(p, tensor_grid_b(c, (double)j + 1)), y1 = svg_py(p, tensor_grid_b(c, (double)j));
    text_printf(p->out, "M%.1f %.1fH%.1fV%.1fH%.1fZ", x0, y0, x1, y1, x0);
}

/* The cells of colour step s (hatch: those whose 95% band covers 0
 * instead), each row's runs as one subpath; 0 if there are none. */
static int cells_path(svg_plot *p, const tensor_chart *c, int s, int hatch, const char *fill, const char *title)
{
    int any = 0;
    for (size_t j = 0; j < TENSOR_NY; j++)
        for (size_t i = 0; i < TENSOR_NX;) {
            size_t k = i;
            for (; k < TENSOR_NX; k++) {
                double f = c->cell_f[j * TENSOR_NX + k], se = c->cell_se[j * TENSOR_NX + k];
                if (hatch ? !(isfinite(se) && fabs(f) < BAND_Z * se) : tensor_step(f) != s)
                    break;
            }
            if (k == i) {
                i++;
                continue;
            }
            if (!any)
                text_printf(p->out, "<path shape-rendering=\"crispEdges\" d=\"");
            any = 1;
            cell_run(p, c, j, i, k);
            i = k;
        }
    if (!any)
        return 0;
    text_printf(p->out, "\" fill=\"%s\" stroke=\"none\"><title>", fill);
    markup_escape(p->out, title, 0);
    text_printf(p->out, "</title></path>\n");
    return 1;
}

/* The point where the level crosses edge e (0 bottom, 1 right, 2 top, 3
 * left) of cell (i, j), in pixels. */
static void edge_point(const svg_plot *p, const tensor_chart *c, size_t i, size_t j, int e, const double v[4],
                       double level, double *px, double *py)
{
    static const int from[4] = {0, 1, 2, 3}, to[4] = {1, 2, 3, 0};
    static const double corner_i[4] = {0, 1, 1, 0}, corner_j[4] = {0, 0, 1, 1};
    int u = from[e], w = to[e];
    double t = v[w] != v[u] ? (level - v[u]) / (v[w] - v[u]) : 0.5;
    t = fmin(fmax(t, 0), 1);
    *px = svg_px(p, tensor_grid_a(c, (double)i + corner_i[u] + t * (corner_i[w] - corner_i[u])));
    *py = svg_py(p, tensor_grid_b(c, (double)j + corner_j[u] + t * (corner_j[w] - corner_j[u])));
}

typedef struct {
    double x, y;
    const char *text;
} contour_label;

/* The circle of a bin of count accounts: its area grows with the log of
 * the count, so a bin of 20 stays visible beside one of 7,000. */
static double bin_radius(const svg_plot *p, size_t count, size_t most)
{
    double largest = 0.45 * fmin(p->plot_w / TENSOR_BINS_A, p->plot_h / TENSOR_BINS_B);
    return fmax(1.5, largest * sqrt(log1p((double)count) / log1p((double)(most > 1 ? most : 1))));
}

static size_t bins_most(const tensor_chart *c)
{
    size_t most = 1;
    for (size_t k = 0; c->bins && k < c->n_bins; k++)
        most = c->bins[k].count > most ? c->bins[k].count : most;
    return most;
}

/* Distance from (x, y) to the plot's frame, the accounts' circles and the
 * labels placed: where a label reads best (the largest). */
static double label_room(const svg_plot *p, const tensor_chart *c, size_t most, double x, double y,
                         const contour_label *labels, size_t n)
{
    double half = 20; /* a label's half width: "x0.67" */
    double room = fmin(fmin(x - half - p->left, p->left + p->plot_w - half - x),
                       fmin(y - 8 - p->top, p->top + p->plot_h - 8 - y));
    for (size_t k = 0; k < n; k++)
        room = fmin(room, fmax(fabs(x - labels[k].x) - 2 * half, fabs(y - labels[k].y) - 16));
    for (size_t k = 0; c->bins && k < c->n_bins; k++) {
        double radius = bin_radius(p, c->bins[k].count, most);
        room = fmin(room, fmax(fabs(x - svg_px(p, c->bins[k].a)) - half - radius,
                               fabs(y - svg_py(p, c->bins[k].b)) - 8 - radius));
    }
    return room;
}

/* The contour of f = level through the nodes (marching squares; a saddle
 * split by the cell's mean), one <path> of segments; a place for its
 * label (*label_x, *label_y; room -1 if none).  0 if the level does not
 * cross the chart. */
static int contour(svg_plot *p, const tensor_chart *c, double level, const char *title, const contour_label *labels,
                   size_t n_labels, double *label_x, double *label_y)
{
    int any = 0;
    double best = -1;
    size_t most = bins_most(c);
    for (size_t j = 0; j < TENSOR_NY; j++)
        for (size_t i = 0; i < TENSOR_NX; i++) {
            const double *row = c->node_f + j * (TENSOR_NX + 1), *up = row + TENSOR_NX + 1;
            double v[4] = {row[i], row[i + 1], up[i + 1], up[i]};
            int mask = 0;
            for (int k = 0; k < 4; k++)
                mask |= (v[k] > level) << k;
            if (mask == 0 || mask == 15)
                continue;
            int edges[4], n = 0;
            for (int e = 0; e < 4; e++)
                if (((mask >> e) & 1) != ((mask >> ((e + 1) % 4)) & 1))
                    edges[n++] = e;
            int pairs[2][2] = {{edges[0], edges[1]}, {0, 0}}, n_pairs = 1;
            if (n == 4) { /* a saddle: corners 0 and 2 on one side, 1 and 3 on the other */
                int centre_above = (v[0] + v[1] + v[2] + v[3]) / 4 > level;
                int cut_corner_0 = (mask == 10) == centre_above; /* pairs (3, 0), (1, 2); else (0, 1), (2, 3) */
                n_pairs = 2;
                if (cut_corner_0) {
                    pairs[0][0] = 3, pairs[0][1] = 0, pairs[1][0] = 1, pairs[1][1] = 2;
                } else {
                    pairs[0][0] = 0, pairs[0][1] = 1, pairs[1][0] = 2, pairs[1][1] = 3;
                }
            }
            for (int k = 0; k < n_pairs; k++) {
                double x0, y0, x1, y1;
                edge_point(p, c, i, j, pairs[k][0], v, level, &x0, &y0);
                edge_point(p, c, i, j, pairs[k][1], v, level, &x1, &y1);
                if (!any)
                    text_printf(p->out, "<path class=\"contour\" d=\"");
                any = 1;
                text_printf(p->out, "M%.1f %.1fL%.1f %.1f", x0, y0, x1, y1);
                double room = label_room(p, c, most, (x0 + x1) / 2, (y0 + y1) / 2, labels, n_labels);
                if (room > best) {
                    best = room;
                    *label_x = (x0 + x1) / 2;
                    *label_y = (y0 + y1) / 2;
                }
            }
        }
    if (!any)
        return 0;
    text_printf(p->out, "\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1\" stroke-linecap=\"round\"><title>");
    markup_escape(p->out, title, 0);
    text_printf(p->out, "</title></path>\n");
    if (best < 1) /* crowded: the line without its label */
        *label_x = *label_y = NAN;
    return 1;
}

/* A label on white, over whatever is under it. */
static void halo_text(svg_plot *p, double x, double y, const char *anchor, const char *text)
{
    text_printf(p->out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"value\" stroke=\"#ffffff\" "
                        "stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">",
                x, y, anchor);
    markup_escape(p->out, text, 0);
    text_printf(p->out, "</text>");
}

/* The colour scale: its steps on a bar right of the plot, bottom to top,
 * the edges labelled, 1 at the white step's middle. */
static void tensor_scale(svg_plot *p, const tensor_chart *c)
{
    double x = p->left + p->plot_w + 12, step_h = p->plot_h / (2 * TENSOR_EDGES + 1);
    char fill[16], range[64], text[256];
    for (int s = -TENSOR_EDGES; s <= TENSOR_EDGES; s++) {
        double top = p->top + (TENSOR_EDGES - s) * step_h;
        step_colour(s, fill, sizeof fill);
        step_range(s, range, sizeof range);
        snprintf(text, sizeof text, "%s the %s odds from the pair", range, c->target);
        text_printf(p->out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"%.1f\" fill=\"%s\" stroke=\"#888888\" "
                            "stroke-width=\"0.5\"><title>",
                    x, top, step_h, fill);
        markup_escape(p->out, text, 0);
        text_printf(p->out, "</title></rect>");
    }
    for (int e = 1; e < TENSOR_EDGES; e++) {
        double above = p->top + (TENSOR_EDGES - e) * step_h, below = p->top + (TENSOR_EDGES + 1 + e) * step_h;
        svg_text(p, x + 16, above + 4, "start", NULL, edge_above[e], 0);
        svg_text(p, x + 16, below + 4, "start", NULL, edge_below[e], 0);
    }
    svg_text(p, x + 16, p->top + (TENSOR_EDGES + 0.5) * step_h + 4, "start", NULL, "1", 0);
    double label_x = x + 58, label_y = p->top + p->plot_h / 2;
    text_printf(p->out, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                        "transform=\"rotate(90 %.1f %.1f)\">",
                label_x, label_y, label_x, label_y);
    snprintf(text, sizeof text, "x the %s odds from the pair", c->target);
    markup_escape(p->out, text, 0);
    text_printf(p->out, "</text>\n");
}

/* The legend row: hatching, the accounts (or the knots), the contours. */
static void tensor_legend(svg_plot *p, const tensor_chart *c, const char *hatch)
{
    double x = 8, y = 36;
    text_printf(p->out, "<g class=\"legend\"><rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"12\" fill=\"url(#%s)\" "
                        "stroke=\"#888888\" stroke-width=\"0.5\"/>",
                x, y - 10, hatch);
    const char *text = "95% band covers 1";
    svg_text(p, x + 22, y, "start", NULL, text, 0);
    x += 22 + SVG_CHAR_WIDTH * (double)svg_text_chars(text) + 16;
    if (c->bins) {
        text_printf(p->out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#ffffff\" fill-opacity=\"0.5\" "
                            "stroke=\"#1d1d1d\" stroke-width=\"0.8\"/>",
                    x + 9, y - 4);
        text = "accounts (area: log count)";
    } else {
        text_printf(p->out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\"/>",
                    x + 9, y - 10, x + 9, y + 2, SVG_GREY);
        text = "knots (no --data)";
    }
    svg_text(p, x + 22, y, "start", NULL, text, 0);
    x += 22 + SVG_CHAR_WIDTH * (double)svg_text_chars(text) + 16;
    text_printf(p->out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333333\" stroke-width=\"1\"/>",
                x, y - 4, x + 18, y - 4);
    svg_text(p, x + 22, y, "start", NULL, "contours", 0);
    text_printf(p->out, "</g>\n");
}

/* Where the accounts are: a circle per bin at its accounts' mean
 * position, its area the count; without data, the margins' knots as
 * ticks on the plot's bottom and left edges. */
static void tensor_accounts(svg_plot *p, const tensor_chart *c)
{
    char text[512];
    if (c->bins) {
        size_t most = bins_most(c);
        for (size_t k = 0; k < c->n_bins; k++) {
            const tensor_bin *bin = &c->bins[k];
            double radius = bin_radius(p, bin->count, most);
            int n = snprintf(text, sizeof text, "%zu accounts %s %s %.6g, %s %.6g: x %.6g the %s odds from the pair",
                             bin->count, bin->exact ? "at" : "near", c->column_a, bin->a, c->column_b, bin->b,
                             exp(bin->f), c->target);
            if (isfinite(bin->se) && n > 0 && (size_t)n < sizeof text)
                snprintf(text + n, sizeof text - (size_t)n, " (95%% band %.6g to %.6g)", exp(bin->f - BAND_Z * bin->se),
                         exp(bin->f + BAND_Z * bin->se));
            svg_circle(p, bin->a, bin->b, radius, "#ffffff", 0.5, "#1d1d1d", text);
        }
        return;
    }
    double tick_a = smooth_x_at(p->y.lo, p->y.hi, p->y.log, 0.06), tick_b = smooth_x_at(p->x.lo, p->x.hi, p->x.log, 0.035);
    for (size_t k = 0; k < c->n_knots_a; k++) {
        snprintf(text, sizeof text, "knot of the pair's %s margin at %.6g", c->column_a, c->knots_a[k]);
        svg_line(p, c->knots_a[k], p->y.lo, c->knots_a[k], tick_a, SVG_GREY, 2, NULL, text);
    }
    for (size_t k = 0; k < c->n_knots_b; k++) {
        snprintf(text, sizeof text, "knot of the pair's %s margin at %.6g", c->column_b, c->knots_b[k]);
        svg_line(p, p->x.lo, c->knots_b[k], tick_b, c->knots_b[k], SVG_GREY, 2, NULL, text);
    }
}

void chart_tensor(markup *out, const char *id, const tensor_chart *c)
{
    char title[512], hatch[160];
    snprintf(title, sizeof title, "%s: the interaction of %s and %s, ti(%s,%s), as a multiplier on the %s odds beyond "
             "what the two columns give separately", c->target, c->column_a, c->column_b, c->column_a, c->column_b,
             c->target);
    svg_plot p;
    svg_begin(&p, out, id, title, SMOOTH_WIDTH, TENSOR_TOP + TENSOR_PLOT_H + 50, 60, TENSOR_RIGHT, TENSOR_TOP, 50);
    /* a margin beyond the training range, so the accounts at its ends
     * (whole-number columns have many there) sit inside the frame */
    p.x = (svg_scale){smooth_x_at(c->a_lo, c->a_hi, c->log_a, -0.04), smooth_x_at(c->a_lo, c->a_hi, c->log_a, 1.04),
                      c->log_a, SVG_NUMBER};
    p.y = (svg_scale){smooth_x_at(c->b_lo, c->b_hi, c->log_b, -0.04), smooth_x_at(c->b_lo, c->b_hi, c->log_b, 1.04),
                      c->log_b, SVG_NUMBER};
    snprintf(hatch, sizeof hatch, "%s-hatch", id);
    text_printf(out, "<defs><pattern id=\"%s\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" "
                     "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\" "
                     "fill-opacity=\"0.45\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#555555\" "
                     "stroke-width=\"1.2\"/></pattern></defs>\n",
                hatch);
    snprintf(title, sizeof title, "Interaction of %s and %s on the %s odds", c->column_a, c->column_b, c->target);
    svg_text(&p, 8, 16, "start", "heading", title, 80);
    tensor_legend(&p, c, hatch);
    snprintf(title, sizeof title, "%s%s", c->column_a, c->log_a ? " (log scale)" : "");
    svg_axis_x(&p, title, 6);
    snprintf(title, sizeof title, "%s%s", c->column_b, c->log_b ? " (log scale)" : "");
    svg_axis_y(&p, title, 6);

    svg_rect(&p, p.x.lo, p.y.lo, p.x.hi, p.y.hi, "#ececec",
             "beyond the training range (the margins' first and last knots): the surface is not drawn");
    char fill[16], range[64], text[512];
    for (int s = -TENSOR_EDGES; s <= TENSOR_EDGES; s++) { /* the colour steps cover the training range */
        step_colour(s, fill, sizeof fill);
        step_range(s, range, sizeof range);
        snprintf(text, sizeof text, "%s the %s odds from the pair (beyond s(%s) and s(%s))", range, c->target,
                 c->column_a, c->column_b);
        cells_path(&p, c, s, 0, fill, text);
    }
    char url[176];
    snprintf(url, sizeof url, "url(#%.160s)", hatch);
    cells_path(&p, c, 0, 1, url, "the 95% band of the pair's multiplier covers 1 here: no clear interaction");

    contour_label labels[2 * TENSOR_EDGES];
    size_t n_labels = 0;
    for (int e = 1; e < TENSOR_EDGES; e++)
        for (int side = 0; side < 2; side++) {
            double level = side ? -log(tensor_edges[e]) : log(tensor_edges[e]), x = NAN, y = NAN;
            const char *name = side ? edge_below[e] : edge_above[e];
            snprintf(text, sizeof text, "contour: x %s the %s odds from the pair", name, c->target);
            if (contour(&p, c, level, text, labels, n_labels, &x, &y) && isfinite(x))
                labels[n_labels++] = (contour_label){x, y, name};
        }
    for (size_t k = 0; k < n_labels; k++) {
        snprintf(text, sizeof text, "\xC3\x97%s", labels[k].text); /* U+00D7 */
        halo_text(&p, labels[k].x, labels[k].y + 4, "middle", text);
    }
    tensor_accounts(&p, c);
    text_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#888888\"/>\n",
                p.left, p.top, p.plot_w, p.plot_h);
    tensor_scale(&p, c);
    svg_end(&p);
}

void chart_calibration(markup *out, const char *id, const outcome_words *w, const calibration_bin *bins, size_t n)
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
    char title[128], x_label[64], y_label[64];
    snprintf(title, sizeof title, "Calibration: mean predicted against observed %s rate per decile of %s", w->noun,
             w->score);
    snprintf(x_label, sizeof x_label, "mean predicted %s", w->risk);
    snprintf(y_label, sizeof y_label, "observed %s rate", w->noun);
    svg_begin(&p, out, id, title, 420, 400, 56, 16, 40, 50);
    p.x = (svg_scale){0, hi, 0, SVG_PERCENT};
    p.y = (svg_scale){0, hi, 0, SVG_PERCENT};
    svg_axis_x(&p, x_label, 6);
    svg_axis_y(&p, y_label, 6);
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

void chart_health(markup *out, const char *id, const outcome_words *w, const size_t events[HEALTH_BINS],
                  const size_t others[HEALTH_BINS])
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
    char title[128];
    snprintf(title, sizeof title, "Health of %s and %s", w->events, w->others);
    svg_begin(&p, out, id, title, 420, 400, 56, 16, 40, 50);
    p.x = (svg_scale){0, 100, 0, SVG_NUMBER};
    p.y = (svg_scale){0, hi, 0, SVG_PERCENT};
    svg_axis_x(&p, "health (100: healthiest)", 6);
    svg_axis_y(&p, "share of the group", 6);
    const char *names[] = {w->events, w->others}, *colours[] = {SVG_VERMILION, SVG_BLUE};
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

void chart_buckets(markup *out, const char *id, const outcome_words *w, const char *who, const size_t rows[3],
                   const double events[3])
{
    double hi = 0, rate[3];
    for (int b = 0; b < 3; b++) {
        rate[b] = rows[b] ? events[b] / (double)rows[b] : 0;
        hi = fmax(hi, rate[b]);
    }
    double lo = 0, ticks[SVG_MAX_TICKS];
    svg_nice_ticks(&lo, &hi, 5, ticks);
    char title[256], text[512];
    snprintf(title, sizeof title, "%s: accounts and %s rate per bucket", who, w->noun);
    svg_plot p;
    svg_begin(&p, out, id, title, 420, 320, 56, 16, 40, 50);
    p.x = (svg_scale){0, 3, 0, SVG_NUMBER};
    p.y = (svg_scale){0, hi, 0, SVG_PERCENT};
    snprintf(text, sizeof text, "%s rate", w->noun);
    svg_axis_y(&p, text, 5);
    snprintf(text, sizeof text, "%s buckets", who);
    svg_text(&p, p.left, 18, "start", "heading", text, 0);
    static const int order[3] = {BUCKET_GREEN, BUCKET_YELLOW, BUCKET_RED};
    for (int k = 0; k < 3; k++) {
        int b = order[k];
        snprintf(text, sizeof text, "%s %s: %zu accounts, %.6g %s, %s rate %.6g", who, bucket_names[b], rows[b],
                 events[b], w->happened, w->noun, rate[b]);
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

void chart_cross(markup *out, const char *id, const outcome_words *w, const size_t rows[3][3], const size_t events[3][3])
{
    double max_rate = 0;
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            if (rows[a][b])
                max_rate = fmax(max_rate, (double)events[a][b] / (double)rows[a][b]);
    svg_plot p;
    char title[128];
    snprintf(title, sizeof title, "Accounts by scorecard bucket (rows) and model bucket (columns), shaded by %s rate",
             w->noun);
    svg_begin(&p, out, id, title, 420, 340, 84, 16, 50, 16);
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
            snprintf(text, sizeof text, "scorecard %s, model %s: %zu accounts, %s rate %.6g", bucket_names[a],
                     bucket_names[b], rows[a][b], w->noun, rate);
            svg_rect(&p, j + 0.02, i + 0.02, j + 0.98, i + 0.98, fill, text);
            double x = svg_px(&p, j + 0.5), y = svg_py(&p, i + 0.5);
            const char *cls = shade > 0.6 ? "on-dark" : "value";
            svg_text(&p, x, y - 2, "middle", cls, report_count(text, sizeof text, (double)rows[a][b]), 0);
            snprintf(text, sizeof text, "%.1f%% %s", 100 * rate, w->noun);
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
