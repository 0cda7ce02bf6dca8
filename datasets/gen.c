#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The true coefficients, in the order vitals encodes the columns (baselines:
 * segment "enterprise", lifecycle_stage "adoption").  The NPS of an
 * unanswered survey contributes NPS_MISSING_EFFECT to the log-odds; in
 * vitals' encoding (mean imputation plus an indicator) that is the
 * nps_missing term NPS_MISSING_EFFECT - nps * mean. */
enum {
    T_INTERCEPT, T_SEG_MID, T_SEG_SMB, T_STAGE_MATURITY, T_STAGE_ONBOARDING, T_SEATS, T_MRR, T_TENURE,
    T_LOGINS, T_ACTIVE, T_FEATURE_A, T_FEATURE_B, T_FEATURE_C, T_TREND, T_TICKETS, T_NPS, T_NPS_MISSING,
    T_UNPAID, T_DAYS
};

static const char *const term_names[GEN_N_TERMS] = {
    "(Intercept)", "segmentmid-market", "segmentsmb", "lifecycle_stagematurity",
    "lifecycle_stageonboarding", "seats", "mrr", "tenure_months", "logins_per_seat",
    "active_user_ratio", "feature_a_adoption", "feature_b_adoption", "feature_c_adoption",
    "usage_trend", "open_tickets", "nps", "nps_missing", "unpaid_invoices", "days_since_contact"};

static const double churn_truth[GEN_N_TERMS] = {
    0.0, 0.3, 0.7, -0.3, 0.4, 0.0, -0.00002, -0.012, -0.03,
    -2.0, -0.8, -0.5, -0.3, -2.5, 0.15, -0.12, 0.0, 0.6, 0.01};
static const double churn_nps_missing_effect = -0.55;

static const double expansion_truth[GEN_N_TERMS] = {
    -4.7, 0.2, -0.3, 0.3, -0.5, 0.0005, 0.0, 0.004, 0.02,
    1.5, 0.6, 0.4, 0.8, 2.0, -0.05, 0.08, 0.0, -0.5, -0.005};
static const double expansion_nps_missing_effect = 0.45;

/* GEN_CURVED churn: the linear coefficients above for every other column,
 * CURVED_CHURN_INTERCEPT for the intercept (before the curves are centred;
 * it keeps the churn rate near the linear file's), and these three curves
 * in place of the linear effects of their columns.  Their sizes are set so a
 * linear fit loses clearly to the truth (about 0.05 of held-out ROC AUC at
 * 20,000 rows), with no curve so strong that it separates the classes. */
#define CURVED_CHURN_INTERCEPT -0.9
/* Active-user ratio: flat (0) above 0.8, easing in quadratically down to
 * 0.5, then climbing at CURVE_ACTIVE_SLOPE per unit below it (a smoothed
 * hinge: continuous with a continuous slope). */
#define CURVE_ACTIVE_SLOPE 6.0
/* Days since contact: a U in log-days, lowest at 30 days; risky when
 * contacted in the last few days (escalations) and when left alone. */
#define CURVE_DAYS_SIZE 1.75
/* Logins per seat: protection that grows fast and saturates at
 * CURVE_LOGINS_SIZE, 63% of it reached at 3 logins per seat. */
#define CURVE_LOGINS_SIZE 3.0

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

/* GEN_CURVED churn also holds two interactions (R's A:B terms, beside the
 * main effects above): usage_trend's slope depends on the lifecycle stage
 * (a falling trend in onboarding is far worse than in maturity), and open
 * tickets weigh more on an account with unpaid invoices. */
static const char *const pair_term_names[GEN_N_PAIRS] = {
    "usage_trend:lifecycle_stagematurity", "usage_trend:lifecycle_stageonboarding", "open_tickets:unpaid_invoices"};
static const int pair_terms[GEN_N_PAIRS][2] = {
    {T_TREND, T_STAGE_MATURITY}, {T_TREND, T_STAGE_ONBOARDING}, {T_TICKETS, T_UNPAID}};
static const double pair_truth[GEN_N_PAIRS] = {2.0, -4.0, 0.4};

static double pairs_eta(const double *x)
{
    double eta = 0;
    for (int p = 0; p < GEN_N_PAIRS; p++)
        eta += pair_truth[p] * (x[pair_terms[p][0]] * x[pair_terms[p][1]]);
    return eta;
}

enum { C_ACTIVE, C_LOGINS, C_DAYS };
static const int curve_terms[GEN_N_CURVES] = {T_ACTIVE, T_LOGINS, T_DAYS};
static const char *const curve_formulas[GEN_N_CURVES] = {
    STRINGIFY(CURVE_ACTIVE_SLOPE) " * ((0.8 - x)^2 / 0.6 if 0.5 <= x < 0.8; 0.65 - x if x < 0.5; 0 if x >= 0.8)",
    "-" STRINGIFY(CURVE_LOGINS_SIZE) " * (1 - exp(-x / 3))",
    STRINGIFY(CURVE_DAYS_SIZE) " * ln((x + 10) / 40)^2"};
/* The columns are written with 3, 2 and 0 decimals: these many steps per
 * unit; their values lie in [0, bins) steps (logins per seat far below
 * 100; more would count in the last bin): the histogram of each column
 * that its quantiles come from. */
static const double curve_steps[GEN_N_CURVES] = {1000, 100, 1};
static const size_t curve_bins[GEN_N_CURVES] = {1001, 10001, 366};

static const char *const header =
    "account_id,segment,lifecycle_stage,seats,mrr,tenure_months,logins_per_seat,active_user_ratio,"
    "feature_a_adoption,feature_b_adoption,feature_c_adoption,usage_trend,open_tickets,nps,"
    "unpaid_invoices,days_since_contact,churned,expanded\n";

/* xoshiro256** (Blackman & Vigna), seeded through splitmix64. */
typedef struct {
    uint64_t s[4];
    int has_spare;
    double spare;
} rng;

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t next_u64(rng *r)
{
    uint64_t result = rotl(r->s[1] * 5, 7) * 9, t = r->s[1] << 17;
    r->s[2] ^= r->s[0];
    r->s[3] ^= r->s[1];
    r->s[1] ^= r->s[2];
    r->s[0] ^= r->s[3];
    r->s[2] ^= t;
    r->s[3] = rotl(r->s[3], 45);
    return result;
}

/* Uniform on (0, 1): never exactly 0, so log() is safe. */
static double uniform(rng *r) { return ((double)(next_u64(r) >> 11) + 0.5) * 0x1.0p-53; }

static double normal(rng *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double radius = sqrt(-2.0 * log(uniform(r))), angle = 2.0 * M_PI * uniform(r);
    r->spare = radius * sin(angle);
    r->has_spare = 1;
    return radius * cos(angle);
}

static int poisson(rng *r, double mean)
{
    double limit = exp(-mean), product = uniform(r);
    int count = 0;
    while (product > limit) {
        product *= uniform(r);
        count++;
    }
    return count;
}

static double clamp(double x, double low, double high) { return x < low ? low : x > high ? high : x; }

/* Fixed-point text of x with `decimals` places; returns the value written
 * (k / 10^decimals), which is what a reader will parse. */
static double put_fixed(char **cursor, double x, int decimals)
{
    static const double scale[] = {1, 10, 100, 1000, 10000};
    long long k = llround(x * scale[decimals]);
    char digits[32];
    int n = 0;
    unsigned long long magnitude = k < 0 ? (unsigned long long)(-k) : (unsigned long long)k;
    do {
        digits[n++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude > 0 || n <= decimals);
    char *p = *cursor;
    if (k < 0)
        *p++ = '-';
    while (n > 0) {
        if (n == decimals)
            *p++ = '.';
        *p++ = digits[--n];
    }
    *p++ = ',';
    *cursor = p;
    return (double)k / scale[decimals];
}

static void put_text(char **cursor, const char *text)
{
    size_t len = strlen(text);
    memcpy(*cursor, text, len);
    (*cursor)[len] = ',';
    *cursor += len + 1;
}

static double logistic(double eta) { return 1.0 / (1.0 + exp(-eta)); }

/* One account: writes the row at *cursor and returns the log-odds inputs. */
static void generate_row(rng *r, size_t index, char **cursor, double x[GEN_N_TERMS], int *nps_missing)
{
    static const char *const segments[] = {"smb", "mid-market", "enterprise"};
    static const char *const stages[] = {"onboarding", "adoption", "maturity"};
    double seg_u = uniform(r), stage_u = uniform(r);
    int segment = seg_u < 0.6 ? 0 : seg_u < 0.9 ? 1 : 2;
    int stage = stage_u < 0.2 ? 0 : stage_u < 0.55 ? 1 : 2;
    *cursor += sprintf(*cursor, "A%08zu,", index + 1);
    put_text(cursor, segments[segment]);
    put_text(cursor, stages[stage]);
    memset(x, 0, GEN_N_TERMS * sizeof(double));
    x[T_INTERCEPT] = 1;
    x[T_SEG_MID] = segment == 1;
    x[T_SEG_SMB] = segment == 0;
    x[T_STAGE_MATURITY] = stage == 2;
    x[T_STAGE_ONBOARDING] = stage == 0;

    static const double seat_base[] = {1, 20, 200}, seat_median[] = {5, 50, 600}, price[] = {30, 45, 60};
    double seats = seat_base[segment] + floor(exp(normal(r) * 0.5 + log(seat_median[segment])));
    x[T_SEATS] = put_fixed(cursor, seats, 0);
    x[T_MRR] = put_fixed(cursor, seats * price[segment] * exp(normal(r) * 0.15), 2);
    double tenure = stage == 0 ? floor(uniform(r) * 3) : stage == 1 ? 3 + floor(uniform(r) * 9)
                                                                    : fmin(120, 12 + floor(-24 * log(uniform(r))));
    x[T_TENURE] = put_fixed(cursor, tenure, 0);
    double active = clamp(0.55 + 0.1 * (stage == 2) - 0.05 * (stage == 0) + normal(r) * 0.2, 0.02, 1.0);
    x[T_LOGINS] = put_fixed(cursor, fmax(0, active * 18 + normal(r) * 3), 2);
    x[T_ACTIVE] = put_fixed(cursor, active, 3);
    x[T_FEATURE_A] = put_fixed(cursor, clamp(active * 0.8 + normal(r) * 0.2, 0, 1), 3);
    x[T_FEATURE_B] = put_fixed(cursor, clamp(0.4 + normal(r) * 0.25, 0, 1), 3);
    x[T_FEATURE_C] = put_fixed(cursor, clamp(0.3 * active + 0.15 + normal(r) * 0.2, 0, 1), 3);
    x[T_TREND] = put_fixed(cursor, normal(r) * 0.15 + 0.03 * (stage == 1), 3);
    x[T_TICKETS] = put_fixed(cursor, poisson(r, 0.8 + 0.004 * fmin(seats, 500)), 0);
    *nps_missing = uniform(r) < 0.15;
    double nps = clamp(round(7 + normal(r) * 2 + 2 * (active - 0.55)), 0, 10);
    if (*nps_missing) {
        *(*cursor)++ = ',';
    } else {
        x[T_NPS] = put_fixed(cursor, nps, 0);
    }
    double unpaid_u = uniform(r);
    x[T_UNPAID] = put_fixed(cursor, unpaid_u < 0.88 ? 0 : unpaid_u < 0.96 ? 1 : unpaid_u < 0.99 ? 2 : 3, 0);
    x[T_DAYS] = put_fixed(cursor, fmin(365, floor(-25 * log(uniform(r)))), 0);
}

/* ------------------------------------------------------- curved churn */

/* The uncentred curve c at the value x (as written). */
static double curve(int c, double x)
{
    switch (c) {
    case C_ACTIVE:
        return CURVE_ACTIVE_SLOPE * (x >= 0.8 ? 0 : x >= 0.5 ? (0.8 - x) * (0.8 - x) / 0.6 : 0.65 - x);
    case C_LOGINS:
        return -CURVE_LOGINS_SIZE * (1 - exp(-x / 3));
    default: {
        double log_days = log((x + 10) / 40);
        return CURVE_DAYS_SIZE * log_days * log_days;
    }
    }
}

/* What the curves need from the rows written: their sum (for the means)
 * and a histogram of each column's values (for the quantiles). */
typedef struct {
    size_t *count[GEN_N_CURVES];
    double sum[GEN_N_CURVES];
} curve_tally;

static vt_status tally_new(curve_tally *tally, vt_err *err)
{
    memset(tally, 0, sizeof *tally);
    for (int c = 0; c < GEN_N_CURVES; c++)
        if ((tally->count[c] = vt_calloc(curve_bins[c], sizeof(size_t))) == NULL) {
            for (int k = 0; k < c; k++)
                free(tally->count[k]);
            return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
        }
    return VT_OK;
}

static void tally_free(curve_tally *tally)
{
    for (int c = 0; c < GEN_N_CURVES; c++)
        free(tally->count[c]);
}

/* The curves' part of a row's churn log-odds, counted in the tally. */
static double curves_eta(curve_tally *tally, const double *x)
{
    double eta = 0;
    for (int c = 0; c < GEN_N_CURVES; c++) {
        double value = x[curve_terms[c]], f = curve(c, value);
        long long step = llround(value * curve_steps[c]);
        tally->count[c][step < 0 ? 0 : (size_t)step >= curve_bins[c] ? curve_bins[c] - 1 : (size_t)step]++;
        tally->sum[c] += f;
        eta += f;
    }
    return eta;
}

/* The value at quantile q of curve c's column, in steps: the smallest
 * value with at least q n of the n rows at or below it (R's quantile type
 * 1). */
static size_t tally_quantile(const curve_tally *tally, int c, size_t n, double q)
{
    size_t seen = 0, last = curve_bins[c] - 1;
    for (size_t step = 0; step < curve_bins[c]; step++) {
        seen += tally->count[c][step];
        if (seen > 0 && (double)seen >= q * (double)n) {
            last = step;
            break;
        }
    }
    return last;
}

/* The centred curves of the rows tallied into truth, and their means into
 * the churn intercept. */
static void tally_truth(const curve_tally *tally, gen_truth *truth)
{
    size_t n = truth->n_rows;
    for (int c = 0; c < GEN_N_CURVES; c++) {
        gen_curve *out = &truth->churn_curves[c];
        out->term = term_names[curve_terms[c]];
        out->formula = curve_formulas[c];
        out->mean = n ? tally->sum[c] / (double)n : 0;
        size_t low = tally_quantile(tally, c, n, 0.005), high = tally_quantile(tally, c, n, 0.995);
        out->low = (double)low / curve_steps[c];
        out->high = (double)high / curve_steps[c];
        for (size_t i = 0; i < GEN_GRID; i++) {
            /* A whole number of (GEN_GRID - 1)ths of a step over one
             * division: the double nearest the decimal, printed short. */
            size_t parts = low * (GEN_GRID - 1 - i) + high * i;
            out->x[i] = (double)parts / (curve_steps[c] * (GEN_GRID - 1));
            out->f[i] = curve(c, out->x[i]) - out->mean;
        }
        truth->churn[T_INTERCEPT] += out->mean;
        truth->churn_curved[curve_terms[c]] = 1;
    }
    for (int p = 0; p < GEN_N_PAIRS; p++) {
        truth->pair_names[p] = pair_term_names[p];
        truth->churn_pairs[p] = pair_truth[p];
    }
}

static double linear(const double *coefficients, const double *x)
{
    double eta = 0;
    for (size_t t = 0; t < GEN_N_TERMS; t++)
        eta += coefficients[t] * x[t];
    return eta;
}

static int is_curve(gen_shape shape, const char *target, const char *term)
{
    for (int c = 0; shape == GEN_CURVED && c < GEN_N_CURVES; c++)
        if (strcmp(target, "churn") == 0 && strcmp(term, term_names[curve_terms[c]]) == 0)
            return 1;
    return 0;
}

/* The true coefficients of the shape (a curve's is 0), with the override
 * applied. */
static vt_status true_coefficients(gen_shape shape, const gen_override *override, double churn[GEN_N_TERMS],
                                   double expansion[GEN_N_TERMS], vt_err *err)
{
    memcpy(churn, churn_truth, GEN_N_TERMS * sizeof(double));
    memcpy(expansion, expansion_truth, GEN_N_TERMS * sizeof(double));
    if (shape == GEN_CURVED) {
        churn[T_INTERCEPT] = CURVED_CHURN_INTERCEPT;
        for (int c = 0; c < GEN_N_CURVES; c++)
            churn[curve_terms[c]] = 0;
    }
    if (override == NULL)
        return VT_OK;
    if (is_curve(shape, override->target, override->term))
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--set: churn:%s is a curve under --shape curved, not a "
                          "coefficient (--set takes its linear terms)", override->term);
    int found = 0;
    for (size_t t = 0; t < GEN_N_TERMS; t++)
        if (t != T_NPS_MISSING && strcmp(term_names[t], override->term) == 0) {
            found = 1;
            if (strcmp(override->target, "churn") == 0)
                churn[t] = override->value;
            else if (strcmp(override->target, "expansion") == 0)
                expansion[t] = override->value;
            else
                found = 0;
        }
    if (!found)
        return vt_err_set(err, VT_EUSAGE, NULL, 0, 0, "--set: no true coefficient %s:%s (targets churn and "
                          "expansion; terms as in the truth file, not nps_missing)", override->target, override->term);
    return VT_OK;
}

static void seed_rng(rng *r, uint64_t seed)
{
    *r = (rng){{0}, 0, 0};
    uint64_t state = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&state);
}

/* The truth of the rows written: coefficients, and nps_missing in vitals'
 * encoding from the mean of the answered NPS values. */
static void fill_truth(gen_truth *truth, const double *churn, const double *expansion, double nps_sum,
                       size_t nps_count)
{
    truth->nps_mean = nps_count ? nps_sum / (double)nps_count : 0;
    for (size_t t = 0; t < GEN_N_TERMS; t++) {
        truth->term_names[t] = term_names[t];
        truth->churn[t] = churn[t];
        truth->expansion[t] = expansion[t];
    }
    truth->churn[T_NPS_MISSING] = churn_nps_missing_effect - churn[T_NPS] * truth->nps_mean;
    truth->expansion[T_NPS_MISSING] = expansion_nps_missing_effect - expansion[T_NPS] * truth->nps_mean;
}

/* The truth of a file written to out, whatever the shape: frees the
 * tally. */
static vt_status finish_truth(FILE *out, gen_shape shape, curve_tally *curves, const double *churn,
                              const double *expansion, double nps_sum, size_t nps_count, gen_truth *truth,
                              vt_err *err)
{
    fill_truth(truth, churn, expansion, nps_sum, nps_count);
    truth->shape = shape;
    if (curves) {
        tally_truth(curves, truth);
        tally_free(curves);
    }
    if (ferror(out))
        return vt_err_set(err, VT_EIO, NULL, 0, 0, "write failed");
    return VT_OK;
}

/* The labels of one row from its log-odds inputs, written at *cursor;
 * curves NULL: the linear shape. */
static void put_labels(rng *r, char **cursor, const double *x, int nps_missing, const double *churn,
                       const double *expansion, curve_tally *curves, gen_truth *truth, int *churned_out)
{
    double churn_eta = linear(churn, x) + (nps_missing ? churn_nps_missing_effect : 0);
    if (curves)
        churn_eta += curves_eta(curves, x) + pairs_eta(x);
    double expansion_eta = linear(expansion, x) + (nps_missing ? expansion_nps_missing_effect : 0);
    int churned = uniform(r) < logistic(churn_eta);
    int expanded = uniform(r) < logistic(expansion_eta);
    *(*cursor)++ = (char)('0' + churned);
    *(*cursor)++ = ',';
    *(*cursor)++ = (char)('0' + expanded);
    *(*cursor)++ = '\n';
    truth->n_churned += (size_t)churned;
    truth->n_expanded += (size_t)expanded;
    *churned_out = churned;
}

enum { BUFFER_BYTES = 1 << 20, ROW_MAX = 512 };

vt_status gen_write(FILE *out, size_t n_rows, uint64_t seed, gen_shape shape, const gen_override *override,
                    gen_truth *truth, vt_err *err)
{
    memset(truth, 0, sizeof *truth);
    double churn[GEN_N_TERMS], expansion[GEN_N_TERMS];
    vt_status status = true_coefficients(shape, override, churn, expansion, err);
    if (status != VT_OK)
        return status;
    curve_tally tally, *curves = shape == GEN_CURVED ? &tally : NULL;
    if (curves && (status = tally_new(curves, err)) != VT_OK)
        return status;
    rng r;
    seed_rng(&r, seed);
    char *buffer = vt_malloc(BUFFER_BYTES);
    if (buffer == NULL) {
        if (curves)
            tally_free(curves);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    char *cursor = buffer;
    double nps_sum = 0;
    size_t nps_count = 0;
    fputs(header, out);
    for (size_t i = 0; i < n_rows; i++) {
        double x[GEN_N_TERMS];
        int nps_missing = 0, churned = 0;
        generate_row(&r, i, &cursor, x, &nps_missing);
        put_labels(&r, &cursor, x, nps_missing, churn, expansion, curves, truth, &churned);
        if (!nps_missing) {
            nps_sum += x[T_NPS];
            nps_count++;
        }
        if (cursor - buffer > BUFFER_BYTES - ROW_MAX) {
            fwrite(buffer, 1, (size_t)(cursor - buffer), out);
            cursor = buffer;
        }
    }
    fwrite(buffer, 1, (size_t)(cursor - buffer), out);
    free(buffer);
    truth->n_rows = n_rows;
    return finish_truth(out, shape, curves, churn, expansion, nps_sum, nps_count, truth, err);
}

/* ------------------------------------------------------ monthly snapshots */

/* A month's chance that a healthy account starts to decline. */
#define GEN_DECLINE_START 0.03
/* Added to the churn intercept for a month's churn (about a sixth of the
 * odds of the single snapshot's horizon). */
#define GEN_MONTHLY_CHURN_SHIFT -1.8

/* What an account carries from one month to the next. */
typedef struct {
    int segment, nps_never, gone;
    double seats, price, tenure, active, feature_b, nps_taste;
    int decline; /* months into a decline (0: none) */
} gen_account;

/* Month 1 of an account: the distributions of generate_row. */
static void account_start(rng *r, gen_account *a)
{
    static const double seat_base[] = {1, 20, 200}, seat_median[] = {5, 50, 600}, price[] = {30, 45, 60};
    double seg_u = uniform(r), stage_u = uniform(r);
    a->segment = seg_u < 0.6 ? 0 : seg_u < 0.9 ? 1 : 2;
    a->seats = seat_base[a->segment] + floor(exp(normal(r) * 0.5 + log(seat_median[a->segment])));
    a->price = price[a->segment] * exp(normal(r) * 0.15);
    a->tenure = stage_u < 0.2 ? floor(uniform(r) * 3) : stage_u < 0.55 ? 3 + floor(uniform(r) * 9)
                                                                     : fmin(120, 12 + floor(-24 * log(uniform(r))));
    a->active = clamp(0.55 + normal(r) * 0.2, 0.02, 1.0);
    a->feature_b = clamp(0.4 + normal(r) * 0.25, 0, 1);
    a->nps_taste = normal(r) * 2;
    a->nps_never = uniform(r) < 0.15;
}

/* The month's drift: a healthy account wanders; one in decline (which
 * starts at random, GEN_DECLINE_START a month) loses active users, usage
 * and contact, and opens tickets, month after month. */
static void account_drift(rng *r, gen_account *a, int first)
{
    if (!first) {
        a->tenure = fmin(120, a->tenure + 1);
        if (a->decline == 0 && uniform(r) < GEN_DECLINE_START)
            a->decline = 1;
        else if (a->decline > 0)
            a->decline++;
        a->active = clamp(a->active + normal(r) * 0.03 - 0.08 * (a->decline > 0), 0.02, 1.0);
        a->feature_b = clamp(a->feature_b + normal(r) * 0.03 - 0.04 * (a->decline > 0), 0, 1);
    }
}

static void month_date(int month, char date[32])
{
    snprintf(date, 32, "%04d-%02d-01", 2024 + month / 12, month % 12 + 1);
}

/* One snapshot of a live account, written at *cursor; the log-odds inputs in x. */
static void account_row(rng *r, const gen_account *a, size_t index, const char *date, char **cursor,
                        double x[GEN_N_TERMS], int *nps_missing)
{
    static const char *const segments[] = {"smb", "mid-market", "enterprise"};
    static const char *const stages[] = {"onboarding", "adoption", "maturity"};
    int stage = a->tenure < 3 ? 0 : a->tenure < 12 ? 1 : 2, declining = a->decline > 0;
    *cursor += sprintf(*cursor, "A%08zu,%s,", index + 1, date);
    put_text(cursor, segments[a->segment]);
    put_text(cursor, stages[stage]);
    memset(x, 0, GEN_N_TERMS * sizeof(double));
    x[T_INTERCEPT] = 1;
    x[T_SEG_MID] = a->segment == 1;
    x[T_SEG_SMB] = a->segment == 0;
    x[T_STAGE_MATURITY] = stage == 2;
    x[T_STAGE_ONBOARDING] = stage == 0;
    x[T_SEATS] = put_fixed(cursor, a->seats, 0);
    x[T_MRR] = put_fixed(cursor, a->seats * a->price, 2);
    x[T_TENURE] = put_fixed(cursor, a->tenure, 0);
    x[T_LOGINS] = put_fixed(cursor, fmax(0, a->active * 18 + normal(r) * 3), 2);
    x[T_ACTIVE] = put_fixed(cursor, a->active, 3);
    x[T_FEATURE_A] = put_fixed(cursor, clamp(a->active * 0.8 + normal(r) * 0.1, 0, 1), 3);
    x[T_FEATURE_B] = put_fixed(cursor, a->feature_b, 3);
    x[T_FEATURE_C] = put_fixed(cursor, clamp(0.3 * a->active + 0.15 + normal(r) * 0.1, 0, 1), 3);
    x[T_TREND] = put_fixed(cursor, normal(r) * 0.08 + 0.02 - 0.15 * declining, 3);
    x[T_TICKETS] = put_fixed(cursor, poisson(r, 0.8 + 0.004 * fmin(a->seats, 500) + 0.6 * declining), 0);
    *nps_missing = a->nps_never || uniform(r) < 0.05;
    double nps = clamp(round(7 + a->nps_taste + normal(r) * 0.7 + 2 * (a->active - 0.55)), 0, 10);
    if (*nps_missing)
        *(*cursor)++ = ',';
    else
        x[T_NPS] = put_fixed(cursor, nps, 0);
    double unpaid_u = uniform(r);
    x[T_UNPAID] = put_fixed(cursor, unpaid_u < 0.9 ? 0 : unpaid_u < 0.97 ? 1 : 2, 0);
    x[T_DAYS] = put_fixed(cursor, fmin(365, floor(-(25 + 30 * declining) * log(uniform(r)))), 0);
}

/* One month of every live account; those that churn are gone after it. */
static void write_month(rng *r, gen_account *accounts, size_t n_accounts, int month, const double *churn,
                        const double *expansion, curve_tally *curves, FILE *out, char *buffer, gen_truth *truth,
                        double *nps_sum, size_t *nps_count)
{
    char date[32], *cursor = buffer;
    month_date(month, date);
    for (size_t i = 0; i < n_accounts; i++) {
        gen_account *a = &accounts[i];
        if (a->gone)
            continue;
        double x[GEN_N_TERMS];
        int nps_missing = 0;
        account_drift(r, a, month == 0);
        account_row(r, a, i, date, &cursor, x, &nps_missing);
        put_labels(r, &cursor, x, nps_missing, churn, expansion, curves, truth, &a->gone);
        truth->n_rows++;
        if (!nps_missing) {
            *nps_sum += x[T_NPS];
            (*nps_count)++;
        }
        if (cursor - buffer > BUFFER_BYTES - ROW_MAX) {
            fwrite(buffer, 1, (size_t)(cursor - buffer), out);
            cursor = buffer;
        }
    }
    fwrite(buffer, 1, (size_t)(cursor - buffer), out);
}

vt_status gen_write_months(FILE *out, size_t n_accounts, int months, uint64_t seed, gen_shape shape,
                           const gen_override *override, gen_truth *truth, vt_err *err)
{
    memset(truth, 0, sizeof *truth);
    double churn[GEN_N_TERMS], expansion[GEN_N_TERMS];
    vt_status status = true_coefficients(shape, override, churn, expansion, err);
    if (status != VT_OK)
        return status;
    /* A snapshot's label is churn before the next one: a month, not the
     * single snapshot's horizon. */
    churn[T_INTERCEPT] += GEN_MONTHLY_CHURN_SHIFT;
    rng r;
    seed_rng(&r, seed);
    curve_tally tally, *curves = shape == GEN_CURVED ? &tally : NULL;
    if (curves && (status = tally_new(curves, err)) != VT_OK)
        return status;
    char *buffer = vt_malloc(BUFFER_BYTES);
    gen_account *accounts = vt_calloc(n_accounts, sizeof *accounts);
    if (buffer == NULL || accounts == NULL) {
        free(buffer);
        free(accounts);
        if (curves)
            tally_free(curves);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < n_accounts; i++)
        account_start(&r, &accounts[i]);
    fputs("account_id,snapshot_date", out);
    fputs(strchr(header, ','), out);
    double nps_sum = 0;
    size_t nps_count = 0;
    for (int month = 0; month < months; month++)
        write_month(&r, accounts, n_accounts, month, churn, expansion, curves, out, buffer, truth, &nps_sum,
                    &nps_count);
    free(buffer);
    free(accounts);
    return finish_truth(out, shape, curves, churn, expansion, nps_sum, nps_count, truth, err);
}
