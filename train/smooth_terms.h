/* smooth_terms: which columns become smooth terms (--smooth, --sp), made
 * so in the training encoding, and the penalties gam_fit needs.
 *
 * --smooth is "auto" (every numeric feature column), "COL[:K],...", or
 * both ("auto,days_since_contact:20": every numeric column, that one with
 * K = 20);
 * --sp is "COL=VALUE,...", smoothing parameters fixed instead of chosen by
 * REML.  A column with fewer distinct values than K gets K = that number;
 * with fewer than 4 it stays linear (noted).  Usage errors are one line
 * (VT_EUSAGE) naming the column and why: unknown, a label, id, weight,
 * --by or dropped column, a text column, one value, K below 3 or above
 * SMOOTH_MAX_K, a --sp column that is not smooth. */
#ifndef SMOOTH_TERMS_H
#define SMOOTH_TERMS_H

#include <stddef.h>

#include "encode.h"
#include "gam.h"
#include "table.h"
#include "vt.h"

typedef struct {
    char *column;
    size_t k;   /* 0: the default, SMOOTH_DEFAULT_K */
    double sp;  /* > 0: fixed by --sp */
} smooth_request;

typedef struct {
    int automatic;         /* --smooth auto */
    smooth_request *items; /* the columns named (with automatic: only those --sp names) */
    size_t n;
} smooth_requests;

/* Parse the two options (either may be NULL).  out is empty when smooth is NULL. */
vt_status smooth_requests_parse(const char *smooth, const char *sp, smooth_requests *out /* OUT */, vt_err *err);
void smooth_requests_free(smooth_requests *requests);

/* The smooth terms of a fitted encoding: make the columns asked for smooth
 * (encoding_make_smooth) on the used rows of data.  roles names the
 * columns that are not features, for the messages.  note (OUT, caller
 * frees, NULL if nothing to say) lists the columns kept linear and why. */
vt_status smooth_terms_apply(const smooth_requests *requests, const table_role *roles, size_t n_roles,
                             encoding *enc, const table *data, const unsigned char *row_used, char **note /* OUT */,
                             vt_err *err);

/* Every smooth block of enc (encoding_smooth_blocks: s(COL), and the
 * curves per level of by pairs, added after smooth_terms_apply) described
 * for gam_fit, --sp applied (out: n_out entries pointing into enc, which
 * must outlive them; caller frees the array). */
vt_status smooth_terms_penalties(const smooth_requests *requests, const encoding *enc, gam_smooth **out /* OUT */,
                                 size_t *n_out /* OUT */, vt_err *err);

/* Distinct values of a numeric column over the used rows' present cells,
 * counted up to stop (<= SMOOTH_MAX_K + 1). */
size_t smooth_terms_distinct(const table_column *column, const table *data, const unsigned char *row_used,
                             size_t stop);

/* Why a named column is no feature, in one line (VT_EUSAGE) starting
 * with option: a role's column (a label, id, ...), a text column, or none
 * of the data's. */
vt_status smooth_terms_not_a_feature(const char *option, const char *column, const table_role *roles, size_t n_roles,
                                     const table *data, vt_err *err);

#endif
