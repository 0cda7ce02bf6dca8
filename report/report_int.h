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

/* How the page speaks of the target its buckets and ranking charts are
 * for: churn's words for churn, expansion's for a model of expansion
 * alone, neutral ones for another name. */
typedef struct {
    const char *noun;     /* "churn" */
    const char *events;   /* "churners" */
    const char *others;   /* "non-churners" */
    const char *happened; /* "churned" */
    const char *risk;     /* "churn risk" */
    const char *ranked;   /* "riskier": where the scores put an event first */
    const char *score;    /* "risk": what the deciles and the ranking go by, in short */
    const char *first;    /* "riskiest first": the order of a list by the score */
    /* The accounts the score puts first, one of the two set: before a
     * noun ("the riskiest 10%"), or after it where English wants that
     * ("the 10% most likely to expand"): report_top joins them. */
    const char *top_before, *top_after;
} outcome_words;
const outcome_words *report_outcome_words(const char *target);
/* "the riskiest WHAT" or "the WHAT most likely to expand", in text (size
 * bytes); returns text. */
const char *report_top(char *text, size_t size, const outcome_words *w, const char *what);

/* One row of the odds-ratio chart: a column heading its levels
 * (is_heading, no numbers), a line of text (is_note: a section's title,
 * or the levels left out), or a term.  A numeric column's term is drawn
 * over a step (step > 0: odds, low and high are for +step of the column,
 * the hover text gives both), stated in note ("+1 SD = 12.3"). */
typedef struct {
    const char *label;     /* shown (a level, or the column) */
    const char *term;      /* the full term name, for the hover text */
    const char *baseline;  /* a heading's baseline level, or NULL */
    int is_heading, is_note, indent;
    int secondary;         /* does not widen the axis (a missing-cell indicator): its arrows say where it goes */
    double odds, low, high, standardised, p;
    double step;           /* 0: per unit, or a level against the baseline */
    double unit_odds;      /* with step: the odds ratio per unit (summary's) */
    char note[96];         /* with step: the step in words; a note row: its text */
} odds_row;
/* Marks past the axis (0.001 to 1000) are drawn as arrows at its edge,
 * the value in their hover text. */
void chart_odds(markup *out, const char *id, const char *title, const odds_row *rows, size_t n, double level);

typedef struct {
    const char *column;
    double card, model;    /* shares; card NaN when the scorecard does not measure the column */
    int disagrees;
    int curve;             /* a smooth column: weighed by its curve's spread over the rows */
    int not_identified;    /* a collinear group's columns as one: no sign read */
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

void chart_calibration(markup *out, const char *id, const outcome_words *w, const calibration_bin *bins, size_t n);

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
#define BAND_Z 1.96 /* the 95% bands: f -+ BAND_Z se */
/* x at a fraction of a chart's axis [lo, hi] (log_x: of log x), and
 * back; the strip's bin b spans fractions b / SMOOTH_CHART_BINS to
 * (b + 1) / SMOOTH_CHART_BINS. */
double smooth_x_at(double lo, double hi, int log_x, double fraction);
double smooth_x_fraction(double lo, double hi, int log_x, double x);
/* The card's points at x: the step of smooth_chart holding it. */
double smooth_chart_card_points(const smooth_chart *c, double x);
void chart_smooth(markup *out, const char *id, const smooth_chart *c);

/* A ti(A, B) term's surface over the training ranges of A (x axis) and B
 * (y axis): f(a, b), the term's part of the log-odds (the interaction
 * alone: s(A) and s(B) have their own charts), drawn as its multiplier on
 * the odds, exp(f), in steps of a diverging colour scale centred at 1
 * (vermilion above, blue below, white within 10% of 1; TENSOR_EDGES),
 * with contour lines at the steps' edges (marching squares on the nodes),
 * hatched where the pointwise 95% band of f covers 0, and where the
 * accounts are (a circle per bin of the data, its area the count) or,
 * without data, the margins' knots. */
#define TENSOR_NX 80     /* cells across (A) */
#define TENSOR_NY 50     /* cells up (B) */
#define TENSOR_BINS_A 20 /* the accounts' bins */
#define TENSOR_BINS_B 14
#define TENSOR_EDGES 6   /* colour steps each side of 1: edges 1.1, 1.25, 1.5, 2, 3, 5 and their inverses */
extern const double tensor_edges[TENSOR_EDGES];

typedef struct {
    double a, b;         /* the mean position of the bin's accounts */
    size_t count;
    int exact;           /* all of them are at (a, b) (whole-number columns: often) */
    double f, se;        /* the surface there (se NaN: unknown) */
} tensor_bin;

typedef struct {
    const char *column_a, *column_b, *target;
    double a_lo, a_hi, b_lo, b_hi;  /* the training range: each margin's first and last knot */
    int log_a, log_b;               /* a log axis (lo > 0): accounts spread over orders of magnitude */
    const double *node_f;           /* f at (TENSOR_NX + 1) x (TENSOR_NY + 1) nodes, [j * (TENSOR_NX + 1) + i] at
                                       (tensor_grid_a(c, i), tensor_grid_b(c, j)) */
    const double *cell_f, *cell_se; /* f and se at the TENSOR_NX x TENSOR_NY cells' centres, [j * TENSOR_NX + i] at
                                       (tensor_grid_a(c, i + 0.5), tensor_grid_b(c, j + 0.5)) */
    const tensor_bin *bins;         /* accounts per bin (count > 0 only), or NULL without data */
    size_t n_bins;
    const double *knots_a, *knots_b;
    size_t n_knots_a, n_knots_b;
} tensor_chart;
/* The colour step of a multiplier exp(f): 0 within 10% of 1, s > 0 above
 * edge s - 1 (1 .. TENSOR_EDGES), -s below its inverse. */
int tensor_step(double f);
/* A at grid position i (0 .. TENSOR_NX: i / TENSOR_NX of the axis, on a
 * log axis of log A), B at j (0 .. TENSOR_NY). */
double tensor_grid_a(const tensor_chart *c, double i);
double tensor_grid_b(const tensor_chart *c, double j);
void chart_tensor(markup *out, const char *id, const tensor_chart *c);


#define HEALTH_BINS 20 /* health 0-4, 5-9, ..., 95-100 */
void chart_health(markup *out, const char *id, const outcome_words *w, const size_t events[HEALTH_BINS],
                  const size_t others[HEALTH_BINS]);

/* Accounts and event rate per bucket (red, yellow, green) of one scorer. */
void chart_buckets(markup *out, const char *id, const outcome_words *w, const char *who, const size_t rows[3],
                   const double events[3]);

/* The cross-table: rows[a][b] for scorecard bucket a and model bucket b. */
void chart_cross(markup *out, const char *id, const outcome_words *w, const size_t rows[3][3], const size_t events[3][3]);

/* The z of each term's change, the flag lines at +/- flag. */
void chart_drift(markup *out, const char *id, const char *title, const drift_term *terms, size_t n, double flag);

/* A count with thousands separators, in text. */
const char *report_count(char *text, size_t size, double value);

/* 95% Wilson score interval of a rate of events in count trials. */
void report_wilson(double rate, size_t count, double *low, double *high);

#endif
