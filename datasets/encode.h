/* encode: turn typed columns into the numeric design matrix a model uses.
 *
 * Term 0 is the intercept.  A numeric feature gives one term named after the
 * column; a categorical one gives a 0/1 term per level except the baseline,
 * the first level in byte order, named column + level as R names them
 * ("ContractOne year").  Missing cells follow a policy: impute (numeric: the
 * training mean, plus a 0/1 term COL_missing; categorical: a COL_missing
 * term), drop the row, or stop with an error.
 *
 * encoding_fit learns the encoding from a table (training); encoder_new and
 * encoder_row apply it to streamed CSV rows (scoring), one row at a time,
 * looking columns up by header name.  An encoding owns its strings;
 * encoding_free releases it.  An encoder only borrows its encoding. */
#ifndef ENCODE_H
#define ENCODE_H

#include <stdint.h>

#include "csv_reader.h"
#include "dict.h"
#include "smooth.h"
#include "table.h"
#include "tensor.h"
#include "vt.h"

typedef enum { MISSING_IMPUTE, MISSING_DROP, MISSING_ERROR } missing_policy;

typedef struct {
    char *name;
    column_type type;     /* TYPE_NUMERIC or TYPE_CATEGORICAL */
    double mean, sd;      /* numeric: over the non-missing cells of the rows used */
    double impute;        /* numeric: value used for a missing cell */
    int missing_term;     /* has a COL_missing term */
    char **levels;        /* categorical: byte-sorted; levels[0] is the baseline */
    size_t n_levels;
    size_t first_term, n_terms;
    size_t n_imputed;     /* training cells imputed */
    smooth_spec *smooth;  /* numeric: a smooth term's basis (k - 1 terms named
                             s(COL).1 ...), or NULL for one linear term */
    /* A smooth split by a pair's levels (enc_pair.by_smooth): the feature
     * has no terms of its own but COL_missing; its basis goes to each
     * level's block from by_first_term (set by encoding_finish_terms). */
    int smooth_by;
    size_t by_first_term, by_levels;
    /* Derived by encoding_finish_terms: where the row's value (imputed)
     * is parked for the tensor pairs that read it, or -1. */
    int value_slot;
} enc_feature;

#define ENC_MAX_TENSORS 8 /* ti() pairs per model; each reads two parked values */
#define ENC_MAX_SLOTS (2 * ENC_MAX_TENSORS)

/* An interaction of two features (--interact A:B): R's A:B with both main
 * effects kept, its terms after every feature's, the pair's terms in R's
 * column order:
 *   both numeric: one term "A:B", the product of the two values;
 *   numeric and categorical: a slope per level but the baseline ("A:Bb",
 *     or "Ab:B" when the categorical one is written first);
 *   both categorical: a term per cell of levels but the baselines
 *     ("Ab:Bx", A's level varying fastest).
 * Every such term is the product of a term of A and a term of B (a
 * numeric value, imputed where missing, or a level's 0/1), so it is
 * computed from the encoded row itself: a missing categorical cell has no
 * level and its pair terms are 0.
 *   A smooth numeric and a categorical (by_smooth; a is the smooth one):
 * mgcv's s(A, by = B) beside B's main effect, a curve per level of B,
 * baseline included, each with its own smoothing parameter: A's basis
 * (knots, constraint and scale as s(A) alone has them, from every row)
 * times the level's 0/1, terms "s(A):Bl.j" level by level.  A row whose
 * B is missing (with a COL_missing term) has no curve.
 *   Two smooth numeric columns (tensor): mgcv's ti(A, B, bs = "cr") beside
 * s(A) and s(B), its own margins (models/tensor.h), terms "ti(A,B).j",
 * evaluated at the two values (imputed where missing), which the features
 * park in the row's value slots. */
typedef struct {
    size_t a, b;          /* features, in the order the user wrote them (by_smooth: a the smooth) */
    char *name;           /* "A x B": how drivers name the pair */
    int by_smooth;
    tensor_spec *tensor;  /* a ti() pair's basis, owned; NULL for other pairs */
    size_t first_term, n_terms;
    size_t *left, *right; /* n_terms: the terms of A and of B each pair term multiplies
                             (by_smooth: unused) */
} enc_pair;

typedef struct {
    enc_feature *features;
    size_t n_features;
    enc_pair *pairs;      /* interactions, owned */
    size_t n_pairs;
    char **term_names;    /* [0] = "(Intercept)" */
    long *term_feature;   /* feature of each term, -1 for the intercept and pair terms */
    long *term_effect;    /* effect of each term (encoding_n_effects), -1 for the intercept */
    double *term_mean;    /* training mean of each term's column (drivers are
                             coefficient x (value - mean)) */
    double *term_sd;      /* its sample standard deviation (standardised
                             coefficients are coefficient x sd) */
    size_t n_terms;
    missing_policy missing;
} encoding;

const char *missing_policy_name(missing_policy policy);
int missing_policy_parse(const char *text, missing_policy *policy /* OUT */);

/* Make numeric feature f of a fitted encoding a smooth term with k knots,
 * learnt from the used rows of data (the knots from the distinct values
 * after imputation, the constraint and scale from the basis over the rows:
 * smooth.h), and rebuild the term names and indices.  VT_EDATA with a
 * message naming the column when it has fewer than k distinct values. */
vt_status encoding_make_smooth(encoding *enc, size_t f, size_t k, const table *data, size_t column,
                               const unsigned char *row_used, vt_err *err);

/* The smooth terms of an encoding in term order, each a block of basis
 * columns with one penalty: the features' s(COL) (smooth_by ones aside),
 * then each by_smooth pair's curve per level. */
typedef struct {
    size_t feature;           /* the smooth column (a ti pair's: its first) */
    long pair, level;         /* a by_smooth pair and the level of its column b; -1, -1 for s(COL);
                                 a tensor pair and -1 */
    size_t first_term, n_terms;
    const smooth_spec *spec;  /* the feature's; NULL for a tensor pair's */
    const tensor_spec *tensor; /* a tensor pair's, else NULL: one block per penalty, */
    int penalty;              /* its penalty 0 or 1, each with the same terms */
} enc_smooth_block;
/* The count, and (out not NULL) the blocks: s(COL) in feature order, then
 * the pairs' in pair order (a curve per level, or a ti's two penalties). */
size_t encoding_smooth_blocks(const encoding *enc, enc_smooth_block *out /* OUT, or NULL */);
/* The by column of a smooth_by feature (its pair's categorical one). */
size_t encoding_by_column(const encoding *enc, size_t feature);
/* A smooth's name as mgcv labels it: "s(COL)", or "s(COL):BYlevel" for
 * level `level` (>= 0) of a smooth_by feature's by column; NULL if no
 * memory (caller frees). */
char *encoding_smooth_name(const encoding *enc, size_t feature, long level);

/* A pair's form in a few words: "product", "slope per level", "cell per
 * pair of levels", "curve per level" or "tensor ti()".  Static. */
const char *encoding_pair_form(const encoding *enc, size_t pair);

/* A ti pair's name as mgcv labels it: "ti(A,B)"; NULL if no memory. */
char *encoding_tensor_name(const encoding *enc, size_t pair);

/* Term t is a basis column of a smooth term (s(COL).j), whose coefficient
 * alone means nothing: tables of coefficients, odds ratios and weights
 * leave it out, and show the smooth as a whole. */
int encoding_term_is_basis(const encoding *enc, size_t t);

/* Effects, the units drivers and explanations speak of: the features
 * (0 .. n_features - 1), then the pairs (n_features + p). */
size_t encoding_n_effects(const encoding *enc);
/* An effect's name: the column, or the pair's "A x B".  Borrowed. */
const char *encoding_effect_name(const encoding *enc, size_t effect);

/* Add the interaction of features a and b (distinct; see enc_pair) and
 * rebuild the term names and indices.  VT_EUSAGE with a message naming
 * the columns for a pair already there, a feature paired with itself, a
 * smooth one paired with another numeric one or with a second column;
 * VT_ENOMEM. */
vt_status encoding_add_pair(encoding *enc, size_t a, size_t b, vt_err *err);
/* Add ti(A, B) of two smooth features a and b (see enc_pair) with its
 * basis, whose ownership passes to the encoding whatever the outcome (on
 * failure it is freed), and rebuild the term names and indices.
 * VT_EUSAGE, naming the columns, for a pair already there, a column that
 * is no smooth term (a curve per level is one: mgcv's s(A, by = C) +
 * ti(A, B)), more than ENC_MAX_TENSORS tensors; VT_ENOMEM. */
vt_status encoding_add_tensor(encoding *enc, size_t a, size_t b, tensor_spec *spec, vt_err *err);
/* The same built from the used rows of data (tensor_spec_build with k_a
 * and k_b knots on the two columns, missing cells imputed as the
 * features impute them).  Errors as encoding_add_tensor's, and VT_EDATA
 * naming the pair when a column has fewer than k distinct values. */
vt_status encoding_make_tensor(encoding *enc, size_t a, size_t b, size_t k_a, size_t k_b, const table *data,
                               const unsigned char *row_used, vt_err *err);
/* Take the last pair away again (a trial that did not pay). */
vt_status encoding_drop_last_pair(encoding *enc);

/* An empty encoding to fill by hand (the model loader); NULL if no memory. */
encoding *encoding_new(void);
void encoding_free(encoding *enc);
/* Derive term names and indices from features (after filling them). */
vt_status encoding_finish_terms(encoding *enc);

typedef struct {
    size_t n_rows_read;
    size_t n_rows_used;
    size_t n_dropped_missing_feature; /* policy drop */
    size_t n_dropped_missing_label;
} encode_report;

/* Which columns of a table are features and which are labels (the row
 * weight counts as a label: needed on every row used), by index. */
typedef struct {
    const size_t *features, *labels;
    size_t n_features, n_labels;
    missing_policy policy;
} encode_columns;

/* Learn an encoding of the feature columns, choosing the rows to use:
 * rows with a missing label are left out (an error under MISSING_ERROR),
 * and rows with a missing feature under MISSING_DROP.  row_used (OUT, one
 * byte per table row, caller frees) marks the rows kept. */
vt_status encoding_fit(const table *data, const encode_columns *columns, encoding **out /* OUT */,
                       unsigned char **row_used /* OUT */, encode_report *report /* OUT */, vt_err *err);

/* The same learnt from a file a block at a time (table_survey_read): add
 * every block in file order, then every block again with add_spread (the
 * standard deviations need the means first), then finish.  The encoding
 * and report equal encoding_fit's on the whole file, to the bit.  The
 * fitter borrows layout (the file's columns: a block's have the same
 * indices) and columns.  Errors as encoding_fit's. */
typedef struct encoding_fitter encoding_fitter;

vt_status encoding_fitter_new(const table *layout, const encode_columns *columns, encoding_fitter **out /* OUT */,
                              vt_err *err);
void encoding_fitter_free(encoding_fitter *fitter);
/* row_used (OUT): one byte per block row. */
vt_status encoding_fitter_add(encoding_fitter *fitter, const table *block, unsigned char *row_used /* OUT */,
                              vt_err *err);
void encoding_fitter_add_spread(encoding_fitter *fitter, const table *block, const unsigned char *row_used);
vt_status encoding_fitter_finish(encoding_fitter *fitter, encoding **out /* OUT */, encode_report *report /* OUT */,
                                 vt_err *err);

/* The rows of a table the fit uses (one byte each, OUT), without its errors. */
void encode_rows_used(const encode_columns *columns, const table *data, unsigned char *row_used /* OUT */);

/* The design rows of the used rows, handed out block by block so the whole
 * matrix need never exist.  Borrows enc and data; fill is thread-safe. */
typedef struct design_source design_source;

vt_status design_source_new(const encoding *enc, const table *data, const unsigned char *row_used,
                            design_source **out /* OUT */, vt_err *err);
void design_source_free(design_source *source);
size_t design_source_rows(const design_source *source);
/* Rows [first, first + count) of the used rows, row-major count x n_terms. */
void design_source_fill(const design_source *source, size_t first, size_t count, double *out);
/* The same for the used rows positions[first .. first + count). */
void design_source_fill_list(const design_source *source, const size_t *positions, size_t first, size_t count,
                             double *out);

/* The whole design matrix of the used rows (n_rows x n_terms, row-major;
 * the caller frees it): for tests and small data. */
vt_status encoding_design(const encoding *enc, const table *data, const unsigned char *row_used,
                          double **design /* OUT */, size_t *n_rows /* OUT */, vt_err *err);

/* --- applying an encoding to streamed rows --- */

typedef struct encoder encoder;

typedef struct {
    size_t n_imputed;     /* missing cells filled in */
    size_t n_unseen;      /* unseen levels sent to the baseline */
} encoder_counts;

/* A categorical feature's two levels that train reads as a binary label
 * (table_parse_label: yes/no, true/false, t/f, 1/0, any case), their
 * indices as *yes and *no; 0 for any other feature.  What a typed BOOLEAN
 * column's true and false mean to it (here and in models/sql.h). */
int encoding_binary_levels(const enc_feature *feature, size_t *yes /* OUT */, size_t *no /* OUT */);

/* Map features to the columns of a header.  A missing column is an error.
 * unseen_baseline: an unseen level scores as the baseline instead of failing. */
vt_status encoder_new(const encoding *enc, const char *path, const char *const *header,
                      size_t n_columns, int unseen_baseline, const char *const *na_tokens,
                      size_t n_na_tokens, encoder **out /* OUT */, vt_err *err);
void encoder_free(encoder *coder);
/* Which header columns are typed BOOLEAN (row_stream_booleans: one byte
 * per column, or NULL for none), before any row is encoded: such a
 * column's cell t or f is its feature's yes or no level when the two
 * levels are a binary label (encoding_binary_levels), so a model trained
 * on a file's yes/no scores a PostgreSQL boolean as the file.  Any other
 * cell, and every cell of another feature, is read as its text. */
void encoder_read_booleans(encoder *coder, const unsigned char *boolean);
/* Feature f's cell in row as the model reads it, for showing: the level
 * a BOOLEAN column's t or f stands for, else the cell's own text.
 * Borrowed (from the encoding or the row). */
const char *encoder_cell(const encoder *coder, size_t f, const csv_row *row);

/* Encode one row into x (n_terms values).  Thread-safe for distinct counts. */
vt_status encoder_row(const encoder *coder, const csv_row *row, const char *path, double *x,
                      encoder_counts *counts, vt_err *err);

#endif
