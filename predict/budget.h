/* budget: the churn-risk cut-off that alerts a given share of accounts
 * (predict --alert-budget), found in flat memory from two passes.
 *
 * The k-th largest risk (k = share x rows, at least 1) is needed before
 * the first row is written.  A counting pass histograms the risks by the
 * top BUDGET_KEY_BITS bits of their bit patterns (monotone for
 * non-negative doubles); a collecting pass keeps only the risks whose key
 * holds the k-th; sorting those gives it exactly.  Each worker tallies
 * into its own budget_tally; the tallies are merged in any order (counts
 * add, and the collected risks are sorted), so the cut-off does not depend
 * on the thread count. */
#ifndef BUDGET_H
#define BUDGET_H

#include <stddef.h>

#include "vt.h"

#define BUDGET_KEY_BITS 20

typedef struct budget budget;
typedef struct budget_tally budget_tally;

budget *budget_new(double share); /* NULL if out of memory */
void budget_free(budget *b);

/* A tally for the pass b is in (counting, then collecting). */
budget_tally *budget_tally_new(const budget *b); /* NULL if out of memory */
void budget_tally_free(budget_tally *t);
/* 0, or -1 if out of memory. */
int budget_tally_add(budget_tally *t, double risk);

/* Fold a worker's tally into b: 0, or -1 if out of memory. */
int budget_merge(budget *b, const budget_tally *t);

/* End a pass.  After the counting pass: VT_OK and *done = 0 (collect
 * next), or an error when there were no rows.  After the collecting pass:
 * *done = 1 and *cutoff the k-th largest risk.  path names the data in
 * errors. */
vt_status budget_end_pass(budget *b, const char *path, int *done /* OUT */, double *cutoff /* OUT */, vt_err *err);

#endif
