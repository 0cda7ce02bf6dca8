/* separation: is a fitted outcome separated, so that no finite maximum
 * likelihood estimate exists?
 *
 * Beside IRLS rather than in it: it reads the design rows again (from the
 * same row source), after the fit.  A single column separates when it is 0/1 and every row with a 1
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

/* VT_OK when the fit of target `target` of rows (its outcome and design,
 * scanned in chunks on `threads` threads, 0: one per core) is not separated.  Else VT_ENUMERIC with one line
 * naming the column (or, for a combination, the three terms with the
 * largest |estimate x sds[t]|), the target's name and path, and the
 * remedies; the scan's error, or VT_ENOMEM if out of memory. */
vt_status separation_check(const irls_source *rows, size_t target, size_t threads, const irls_result *fit,
                           const double *sds, const char *target_name, const char *path, vt_err *err);

#endif
