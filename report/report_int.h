/* The charts of the HTML report, one function per kind, each drawing from
 * plain numbers into a markup through svg.h.  Private to report/; the
 * document around them is report_html.c.  Titles on the marks give the
 * numbers at 6 significant digits, the values `summary --json` and
 * `compare --json` write (tests read them back). */
#ifndef REPORT_INT_H
#define REPORT_INT_H

#include <stddef.h>

#include "drift.h"
#include "metrics.h"
#include "svg.h"

/* One row of the odds-ratio chart: a column heading its levels
 * (is_heading, no numbers), or a term. */
typedef struct {
    const char *label;     /* shown (a level, or the column) */
    const char *term;      /* the full term name, for the hover text */
    const char *baseline;  /* a heading's baseline level, or NULL */
    int is_heading, indent;
    double odds, low, high, standardised, p;
} odds_row;
void chart_odds(markup *out, const char *id, const char *title, const odds_row *rows, size_t n, double level);

typedef struct {
    const char *column;
    double card, model;    /* shares; card NaN when the scorecard does not measure the column */
    int disagrees;
    int curve;             /* a smooth column: weighed by its curve's spread over the rows */
} weight_bar;
void chart_weights(markup *out, const char *id, const weight_bar *bars, size_t n);

/* A curve through (x[i], y[i]). */
typedef struct {
    const char *name, *colour, *dash;
    const double *x, *y;
    size_t n;
    const char *title; /* hover text of the whole curve */
} curve;
/* Curves over [0, 1] x [0, 1] with a reference line from (x0, y0) to
 * (x1, y1) named reference (NULL: none). */
void chart_curves(markup *out, const char *id, const char *title, const char *x_label, const char *y_label,
                  const curve *curves, size_t n, const char *reference, double x0, double y0, double x1, double y1);

void chart_calibration(markup *out, const char *id, const calibration_bin *bins, size_t n);

/* A smooth term's effect across its column: each curve f(x) (log-odds,
 * centred on the training rows) drawn as its multiplier on the odds,
 * exp(f), on a log axis with the 95% band exp(f -+ 1.96 se); one curve,
 * or one per level of a by column.  Beyond the training range (the end
 * knots) the curve is dashed on a shaded ground: there it is a straight
 * line the data did not draw. */
typedef struct {
    const char *name, *colour; /* a level's (NULL for the single curve) */
    const double *x, *f, *se;  /* n points */
    size_t n;
    double p_value;            /* summary.gam's test of the smooth (NaN: unknown); for the reading */
} smooth_line;

typedef struct {
    const char *column, *target;    /* "tenure", "churn" */
    const smooth_line *lines;
    size_t n_lines;
    double lo, hi;                  /* the chart's x range */
    int log_x;                      /* a log x axis (lo > 0): accounts spread over orders of magnitude */
    double train_lo, train_hi;      /* the training range (first and last knot) */
    /* Where the accounts are, on a strip along the x axis: accounts per
     * bin of [lo, hi] (SMOOTH_CHART_BINS) from the report's data, or
     * without data (counts NULL) what the model stores of the column: its
     * knots, and the training rows' mean and sd */
    const size_t *counts;
    const double *knots;
    size_t n_knots;
    double mean, sd;
    /* The scorecard's points for the column, a step function drawn on a
     * right axis (0-100): points[0] below at[0], points[i] from at[i-1]
     * to at[i], points[n_at] above at[n_at - 1] (at ascending).  points
     * NULL: no card.  A value at a threshold scores the step above it
     * when higher is better, else the step below (SCORECARD.md). */
    const double *card_at, *card_points;
    size_t n_card_at;
    int card_higher_better;
    const char *card_name;
} smooth_chart;
#define SMOOTH_CHART_BINS 40
/* x at a fraction of a chart's axis [lo, hi] (log_x: of log x), and
 * back; the strip's bin b spans fractions b / SMOOTH_CHART_BINS to
 * (b + 1) / SMOOTH_CHART_BINS. */
double smooth_x_at(double lo, double hi, int log_x, double fraction);
double smooth_x_fraction(double lo, double hi, int log_x, double x);
/* The card's points at x: the step of smooth_chart holding it. */
double smooth_chart_card_points(const smooth_chart *c, double x);
void chart_smooth(markup *out, const char *id, const smooth_chart *c);


#define HEALTH_BINS 20 /* health 0-4, 5-9, ..., 95-100 */
void chart_health(markup *out, const char *id, const size_t events[HEALTH_BINS], const size_t others[HEALTH_BINS]);

/* Accounts and churn rate per bucket (red, yellow, green) of one scorer. */
void chart_buckets(markup *out, const char *id, const char *who, const size_t rows[3], const double events[3]);

/* The cross-table: rows[a][b] for scorecard bucket a and model bucket b. */
void chart_cross(markup *out, const char *id, const size_t rows[3][3], const size_t events[3][3]);

/* The z of each term's change, the flag lines at +/- flag. */
void chart_drift(markup *out, const char *id, const char *title, const drift_term *terms, size_t n, double flag);

/* A count with thousands separators, in text. */
const char *report_count(char *text, size_t size, double value);

/* 95% Wilson score interval of a rate of events in count trials. */
void report_wilson(double rate, size_t count, double *low, double *high);

#endif
