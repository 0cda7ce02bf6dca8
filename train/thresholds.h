/* thresholds: where a model's learned curve puts a scorecard measure's
 * thresholds (vitals tune --model).
 *
 * A measure gives points by thresholds t_0 .. t_{m-1} (best first, points
 * P_0 > ... , `otherwise` below the last).  Read as risk, the card's points
 * say where on the column's risk range an account is: 100 points the
 * safest, 0 the riskiest.  The learned curve f (curve.h: the column's term
 * of the churn log-odds) spans the risk range [f_lo, f_hi] over the middle
 * 90% of the fitting accounts, so P points stand for the risk level
 * f_hi - P/100 (f_hi - f_lo).  Threshold t_j separates P_j from the next
 * band's points; its risk level is that of their midpoint, and the
 * suggested threshold is where f crosses that level, the crossing nearest
 * to t_j over the accounts' 0.5% to 99.5% quantiles (linear between 2,001
 * grid points), rounded to 3 significant digits; on a column whose
 * accounts all hold whole numbers, to the whole number that keeps the same
 * accounts in the band (ceil for "higher", floor for "lower").  A threshold keeps the
 * card's value when f never crosses its level there, or when the crossing
 * would break the thresholds' order (then all keep theirs); `moved` says
 * which.  The rule does not depend on the curve's centring.  Each band's
 * mean curve value over its fitting accounts is reported beside it.
 *
 * Pure computation over a loaded model: nothing prints; out owns its
 * arrays (thresholds_free). */
#ifndef THRESHOLDS_H
#define THRESHOLDS_H

#include <stddef.h>

#include "model.h"
#include "scorecard.h"
#include "vt.h"

typedef struct {
    size_t n;                /* the measure's thresholds */
    double *card, *suggested; /* n each, best first */
    int *moved;              /* n: 1 moved to a crossing, 0 kept */
    double *level;           /* n: each threshold's risk level on the curve's scale */
    double risk_low, risk_high; /* f_lo, f_hi */
    int whole;               /* every account's value is a whole number: so are the suggestions */
    double *band_risk;       /* n + 1: the mean curve value per band (NaN: no account) */
    size_t *band_rows;       /* n + 1 */
} threshold_suggestion;

/* The suggestion for measure on the column of numeric smooth feature f of
 * m, target t, from the fitting accounts' values x[0 .. n) (NaN: missing,
 * left out).  VT_EDATA when no account has a value; VT_ENOMEM. */
vt_status thresholds_suggest(const model *m, const model_target *t, size_t feature, const sc_measure *measure,
                             const double *x, size_t n, threshold_suggestion *out /* OUT */, vt_err *err);
void thresholds_free(threshold_suggestion *suggestion);

#endif
