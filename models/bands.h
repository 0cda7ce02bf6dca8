/* bands: health cut-offs set by an alert budget.
 *
 * "Less than 5% of customers in the at-risk bucket": given the health of a
 * set of rows, choose red_below and yellow_below so that the requested
 * shares of those rows fall in red and in yellow.  Health is banded after
 * rounding to a whole number (score.h, scorecard.h), so a share is hit only
 * as closely as the rows' whole-number healths allow: each cut-off is the
 * whole number whose share is nearest the request (ties: the lower cut-off,
 * fewer alerts).  The cut-offs keep what every model and card requires:
 * 0 < red_below < yellow_below <= 100.  Bucket-forcing rules of a card are
 * not counted (they act after the bands).  Pure computation. */
#ifndef BANDS_H
#define BANDS_H

#include <stddef.h>

#include "vt.h"

/* health: n values (0..100, rounded here as banding rounds them).
 * red_share, yellow_share: each in (0, 1), their sum below 1.  Errors:
 * VT_EUSAGE for shares out of range, VT_EDATA for no rows. */
vt_status bands_from_shares(const double *health, size_t n, double red_share, double yellow_share,
                            double *red_below /* OUT */, double *yellow_below /* OUT */, vt_err *err);

/* The shares of the rows (n values of health) that the cut-offs put in red
 * and in yellow (0 and 0 for no rows). */
void bands_shares(const double *health, size_t n, double red_below, double yellow_below, double *red_share /* OUT */,
                  double *yellow_share /* OUT */);

#endif
