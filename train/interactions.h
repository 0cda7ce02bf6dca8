/* interactions: the pairs of columns --interact asks for, made pair terms
 * of the training encoding (encode.h's enc_pair: R's A:B, main effects
 * kept).
 *
 * --interact is "A:B,C:D,..." and/or "auto" or "auto:N" (the N pairs the
 * additive fit's score tests rank best, tried and kept when they improve
 * the held-out or REML criterion).  A column name may hold ':': an item
 * splits at the one ':' that leaves a feature on both sides.  Usage errors
 * are one line (VT_EUSAGE) naming the item and why: not A:B, no such
 * feature (a label, id, weight, --by or dropped column), ambiguous, paired
 * twice, a column with itself, a smooth column with a numeric one or with
 * a second categorical one. */
#ifndef INTERACTIONS_H
#define INTERACTIONS_H

#include <stddef.h>

#include "encode.h"
#include "table.h"
#include "vt.h"

#define INTERACT_AUTO_DEFAULT 3
#define INTERACT_AUTO_MAX 20

typedef struct {
    char **items;      /* "A:B" as written, split when the features are known */
    size_t n;
    size_t n_auto;     /* auto[:N]: how many ranked pairs to try; 0 without auto */
} interaction_requests;

/* Parse --interact (NULL: no pairs, out empty). */
vt_status interaction_requests_parse(const char *text, interaction_requests *out /* OUT */, vt_err *err);
void interaction_requests_free(interaction_requests *requests);

/* Add the named pairs to enc (encoding_add_pair), in the order written.
 * roles and layout name the columns that are not features, for messages. */
vt_status interactions_apply(const interaction_requests *requests, const table_role *roles, size_t n_roles,
                             const table *layout, encoding *enc, vt_err *err);

#endif
