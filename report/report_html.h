/* report_html: one self-contained HTML page that shows a fitted model to
 * the people who act on its scores (issue 12).
 *
 * In order: a headline (what was fitted, how well it ranks, the bands, how
 * they were set and what red and red + yellow hold of the accounts and of
 * the churners on the rows shown),
 * what drives each fitted target (odds ratios with intervals: a numeric
 * column's for +1 sd, a long categorical column's largest levels,
 * missing-cell indicators last; a smooth column as a row of its curve's
 * numbers, never its basis terms' odds ratios), learned against hand-set weights (with a scorecard; a smooth
 * column weighs by its curve's spread over the labelled rows, so a smooth
 * model needs --data there), whether it finds the churners (ROC,
 * precision-recall, gains, calibration, health of churners against the
 * rest: on labelled data, else what the model stored from its held-out
 * rows), the buckets and their cross-table, the riskiest accounts of the
 * data with their drivers (riskiest.h), the --by segments, and what
 * changed since a previous model (smooth columns as curves, as `vitals
 * diff` compares them).  Each chart has a sentence reading it.  The page
 * speaks of the targets the model holds: the buckets' and ranking
 * charts' target is churn, or the one target of a model without it.  A
 * section whose input is missing is one line saying what would fill it.
 *
 * The page is XHTML-compatible HTML5 (it parses as XML: xmllint checks it)
 * with inline CSS and SVG drawn by svg.h: no script, no font, no image
 * fetched.  Every text from the data or the command line is escaped.  The
 * numbers are the ones `vitals summary --json`, `vitals compare --json`
 * and `vitals diff --json` give for the same inputs, computed by the same
 * library calls.  Builds text in memory; prints nothing, writes no file. */
#ifndef REPORT_HTML_H
#define REPORT_HTML_H

#include "model.h"
#include "row_stream.h"
#include "scorecard.h"
#include "svg.h"
#include "vt.h"

typedef struct {
    const model *m;              /* required */
    const char *model_path;      /* as the user named it, shown */
    const scorecard *card;       /* or NULL */
    const char *card_path;
    const model *previous;       /* or NULL: same targets as m (checked) */
    const char *previous_path;
    const row_stream_options *data; /* the labelled rows (a file, "-" or a query), or NULL */
    const char *data_path;       /* what the page calls them (a URI without its password) */
    const char *title;           /* or NULL for a default */
    double flag;                 /* |z| above which a term's change is flagged */
} report_inputs;

/* Read the labelled data (if any: once per target, once more for the
 * riskiest accounts unless it is standard input, and once more with a
 * previous model), compute, and append the page to out.
 * Errors: what reading and scoring the data report (FILE:LINE:COL), a
 * previous model with other targets (VT_EDATA), data with one class only
 * (VT_EDATA), VT_ENOMEM.  out is the caller's (text_free). */
vt_status report_html_build(const report_inputs *in, markup *out, vt_err *err);

#endif
