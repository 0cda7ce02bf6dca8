/* separation: is a fitted outcome separated, so that no finite maximum
 * likelihood estimate exists?
 *
 * Beside IRLS rather than in it: it reads the design rows again, after the
 * fit.  A single column separates when it is 0/1 and every row with a 1
 * has the same outcome, or when it is numeric and the outcomes' ranges do
 * not overlap (the estimate is infinite even when IRLS stops politely, as
 * R's glm.fit does; Albert & Anderson 1984).  A combination of columns
 * separates when fitted probabilities reach 0 or 1 (fit->n_boundary).
 * Aliased terms are not judged.  Pure computation; thread-safe. */
#ifndef SEPARATION_H
#define SEPARATION_H

#include <stddef.h>

#include "irls.h"
#include "vt.h"

/* rows(source, first, count, out) writes design rows [first, first +
 * count) row-major, count x n_terms, column 0 the intercept. */
typedef void (*separation_rows_fn)(const void *source, size_t first, size_t count, double *out);

typedef struct {
    separation_rows_fn rows;
    const void *source;
    size_t n_rows, n_terms;
    char *const *term_names; /* n_terms; data, quoted when shown */
} separation_design;

/* VT_OK when the fit of y (n_rows 0/1 values) on the design is not
 * separated.  Else VT_ENUMERIC with one line naming the column (or, for a
 * combination, the three terms with the largest |estimate x sds[t]|), the
 * target and path, and the remedies; VT_ENOMEM if out of memory. */
vt_status separation_check(const separation_design *design, const double *y, const irls_result *fit,
                           const double *sds, const char *target, const char *path, vt_err *err);

#endif
