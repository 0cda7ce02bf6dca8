/* smooth_test: mgcv's testStat (type 0) and psum.chisq; see smooth_test.h.
 *
 * Matrices are row-major p x p arrays.  Sums, products and their order
 * follow mgcv 1.8-41's R and C code operation by operation where that code
 * does one thing (Davies' integration, the error bounds), so that the
 * tail probabilities, which Davies' method gets to about 2e-5 only, are
 * R's own values to rounding; where R calls LAPACK or BLAS (qr, eigen,
 * %*%) we use a Cholesky factor and GSL, which agree to rounding. */
#include "smooth_test.h"

#include <assert.h>
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_sf_log.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Davies (1980), "The distribution of a linear combination of
 * chi-squared random variables", Applied Statistics 29:323-333 (AS 155):
 * Pr(Q < c) by numerical inversion of Q's characteristic function (Davies
 * 1973, Biometrika 60:415-417), with the truncation, discretisation and
 * convergence-factor error bounds of the 1980 paper.  Written for vitals
 * from the paper's description, step for step as mgcv's C translation
 * (src/davies.c, 2020) takes them, so that every integration interval,
 * number of terms and convergence factor is the one mgcv chooses: with
 * tol = 2e-5 a different choice moves the p-value by up to ~1e-5, so
 * matching R to 1e-6 means making the same ones.  Like mgcv's version it
 * keeps one sum of the main and auxiliary integrals (and of their error
 * sums) where the paper keeps two.  Unlike it, every search stops after
 * SMOOTH_TEST_MAX_SEARCH steps (ifault 4). ---- */

typedef struct {
    int r;            /* number of chi-square terms */
    const double *lb; /* their weights */
    const double *nc; /* their non-centralities */
    const int *n;     /* their degrees of freedom */
    int *th;          /* term indices by decreasing |lb| (R's revsort order) */
    int stuck;        /* a search ran SMOOTH_TEST_MAX_SEARCH steps (R's would loop on) */
} qf_terms;

typedef struct {
    double sigsq;      /* variance of the normal term, plus convergence factors */
    double mean, lmin, lmax;
    double intl, ersm; /* the integral so far and its round-off error sum */
    int lim;           /* integration terms left */
} qf_state;

static double log1pmx(double x);
static void order_by_decreasing(double *a, int *ib, int n);
static double qf_errbd(const qf_terms *t, double u, double sigsq, double *cx);
static double qf_ctff(qf_terms *t, double accx, double *upn, const qf_state *s);
static double qf_truncation(const qf_terms *t, double u, double tausq, double sigsq);
static double qf_findu(qf_terms *t, double utx, double accx, double sigsq);
static void qf_integrate(const qf_terms *t, int nterm, double interv, double tausq, int main_pass, double c,
                         qf_state *s);
static double qf_cfe(const qf_terms *t, double x, int *fail);
static int qf_moments(const qf_terms *t, double sigma, qf_state *s, double *sd);
static int term_count(double x);
static double qf_davies(qf_terms *t, double sigma, double c, int lim, double acc, int *ifault);
static int round_half(double x);
static double liu_upper(double q, const double *lambda, const int *h, int r);
static double nchisq_upper(double x, double f, double ncp);

/* Scratch for one test: one allocation, carved up. */
typedef struct {
    size_t p;
    double *r;       /* upper-triangular R_j with R_j'R_j = gram_block */
    double *rv;      /* R_j V_j */
    double *w;       /* R_j V_j R_j' (destroyed by the eigen-decomposition) */
    double *vec;     /* its eigenvectors by column, then the test directions */
    double *vec1;    /* the directions with the last pair blended the other way */
    double *values;  /* eigenvalues, decreasing */
    double *rb;      /* R_j beta */
    double *val, *df; /* chi-square weights and degrees of freedom (k1 + 1) */
} test_work;

typedef struct {
    size_t k, k1; /* whole directions, and directions used: k1 = k + (nu > 0) */
    double nu;    /* fractional part of the rank */
    double rank;  /* the rank testStat returns (Ref.df) */
} test_rank;

static vt_status check_inputs(size_t p, const double *gram, const double *cov, const double *beta, double rank,
                              double res_df, vt_err *err);
static vt_status work_new(test_work *w, size_t p, vt_err *err);
static vt_status cholesky_upper(size_t p, const double *gram, double *r, vt_err *err);
static void transform_cov(test_work *w, const double *cov);
static vt_status eigen_decreasing(test_work *w, vt_err *err);
static test_rank choose_rank(const test_work *w, double rank);
static void scale_columns(test_work *w, size_t from, size_t to, int multiply);
static void blend_last_pair(test_work *w, const test_rank *tr);
static void build_directions(test_work *w, test_rank *tr);
static double squared_projection(const test_work *w, const double *vec, size_t columns);
static double chisq_upper(double x, double df);
static vt_status test_p_value(test_work *w, double d, double d1, const test_rank *tr, double res_df, double *pval,
                              vt_err *err);

/* log(1 + x) - x, R's log1pmx: direct outside [-0.79149064, 1], where R
 * switches too, else GSL's series (R uses a continued fraction: they agree
 * to rounding, and this only feeds Davies' error bounds). */
static double log1pmx(double x)
{
    if (x > 1 || x < -0.79149064)
        return log1p(x) - x;
    return gsl_sf_log_1plusx_mx(x);
}

/* Sort a[] into decreasing order, permuting ib[] alongside, by the heapsort
 * R's revsort uses.  The order of tied |weights| of opposite signs changes
 * the convergence factor (qf_cfe), so ties must break as R breaks them. */
static void order_by_decreasing(double *a, int *ib, int n)
{
    if (n <= 1)
        return;
    int l = n / 2 + 1, ir = n; /* 1-based heap positions: element i is a[i - 1] */
    for (;;) {
        double ra;
        int ii;
        if (l > 1) {
            l--;
            ra = a[l - 1];
            ii = ib[l - 1];
        } else {
            ra = a[ir - 1];
            ii = ib[ir - 1];
            a[ir - 1] = a[0];
            ib[ir - 1] = ib[0];
            if (--ir == 1) {
                a[0] = ra;
                ib[0] = ii;
                return;
            }
        }
        int i = l, j = 2 * l;
        while (j <= ir) { /* sift ra down a min-heap */
            if (j < ir && a[j - 1] > a[j])
                j++;
            if (ra > a[j - 1]) {
                a[i - 1] = a[j - 1];
                ib[i - 1] = ib[j - 1];
                i = j;
                j += j;
            } else {
                j = ir + 1;
            }
        }
        a[i - 1] = ra;
        ib[i - 1] = ii;
    }
}

/* Chernoff bound on the tail beyond the cutoff *cx it returns (Davies 1980,
 * sec. 3): u > 0 for the upper tail, u < 0 for the lower. */
static double qf_errbd(const qf_terms *t, double u, double sigsq, double *cx)
{
    double c = u * sigsq, sum1 = u * c;
    u = u * 2;
    for (int j = t->r - 1; j >= 0; j--) {
        double lj = t->lb[j], ncj = t->nc[j], x = u * lj, y = 1.0 - x;
        int nj = t->n[j];
        c += lj * (ncj / y + nj) / y;
        double xy = x / y;
        sum1 = sum1 + ncj * xy * xy + nj * (x * xy + log1pmx(-x));
    }
    *cx = c;
    return exp(-0.5 * sum1);
}

/* A cutoff beyond which Q lies with probability below accx: above the
 * mean for *upn > 0, below it otherwise.  Doubles u until the bound holds,
 * then bisects until the cutoff is within 10% of the last one that failed
 * (measured from the mean).  Updates *upn for the next call. */
static double qf_ctff(qf_terms *t, double accx, double *upn, const qf_state *s)
{
    double u1 = 0.0, u2 = *upn, c1 = s->mean, c2 = 0.0;
    double rb = u2 > 0 ? 2 * s->lmax : 2 * s->lmin;
    int steps = 0;
    while (!(qf_errbd(t, u2 / (1 + u2 * rb), s->sigsq, &c2) <= accx)) {
        u1 = u2;
        c1 = c2;
        u2 = u2 * 2;
        if (++steps > SMOOTH_TEST_MAX_SEARCH) {
            t->stuck = 1;
            return c2;
        }
    }
    while (!((c1 - s->mean) / (c2 - s->mean) >= 0.9)) {
        double u = (u1 + u2) * 0.5, cst;
        if (qf_errbd(t, u / (1 + u * rb), s->sigsq, &cst) > accx) {
            u1 = u;
            c1 = cst;
        } else {
            u2 = u;
            c2 = cst;
        }
        if (++steps > SMOOTH_TEST_MAX_SEARCH) {
            t->stuck = 1;
            break;
        }
    }
    *upn = u2;
    return c2;
}

/* Bound on the error from truncating the integral at u, with convergence
 * factor exp(-tausq u^2 / 2) (Davies 1980, sec. 4). */
static double qf_truncation(const qf_terms *t, double u, double tausq, double sigsq)
{
    double sum1 = 0.0, prod2 = 0.0, prod3 = 0.0, sum2 = (sigsq + tausq) * u * u;
    double prod1 = 2 * sum2;
    int s = 0;
    u = 2 * u;
    for (int j = 0; j < t->r; j++) {
        int nj = t->n[j];
        double x = u * t->lb[j];
        x = x * x;
        sum1 += t->nc[j] * x / (1 + x);
        if (x > 1) {
            prod2 += nj * log(x);
            prod3 += nj * log1p(x);
            s = s + nj;
        } else {
            prod1 += nj * log1p(x);
        }
    }
    sum1 = sum1 * 0.5;
    prod2 += prod1;
    prod3 += prod1;
    double x = exp(-sum1 - 0.25 * prod2) / M_PI, y = exp(-sum1 - 0.25 * prod3) / M_PI;
    double err1 = s == 0 ? 1.0 : 2.0 * x / s, err2 = prod3 > 1 ? 2.5 * y : 1.0;
    if (err2 < err1)
        err1 = err2;
    x = 0.5 * sum2;
    err2 = x <= y ? 1.0 : y / x;
    return err1 < err2 ? err1 : err2;
}

/* A truncation point u with truncation error at most accx, and within a
 * factor 1.1 of the smallest such (searching by 4, then 2, 1.4, 1.2, 1.1). */
static double qf_findu(qf_terms *t, double utx, double accx, double sigsq)
{
    static const double divisors[4] = {2.0, 1.4, 1.2, 1.1};
    double ut = utx, u = ut * 0.25;
    int steps = 0;
    if (qf_truncation(t, u, 0, sigsq) > accx) {
        while (qf_truncation(t, ut, 0, sigsq) > accx && ++steps <= SMOOTH_TEST_MAX_SEARCH)
            ut = ut * 4;
    } else {
        ut = u;
        u = u / 4;
        while (qf_truncation(t, u, 0, sigsq) <= accx && ++steps <= SMOOTH_TEST_MAX_SEARCH) {
            ut = u;
            u = u / 4;
        }
    }
    if (steps > SMOOTH_TEST_MAX_SEARCH)
        t->stuck = 1;
    for (int i = 0; i < 4; i++) {
        u = ut / divisors[i];
        if (qf_truncation(t, u, 0, sigsq) <= accx)
            ut = u;
    }
    return ut;
}

/* Adds nterm + 1 terms of the inversion integral at step interv (midpoints
 * (k + 1/2) interv, last first) to s->intl, and their absolute values to
 * the round-off sum s->ersm.  The auxiliary pass (!main_pass) multiplies
 * the integrand by 1 - exp(-tausq u^2 / 2). */
static void qf_integrate(const qf_terms *t, int nterm, double interv, double tausq, int main_pass, double c,
                         qf_state *s)
{
    double inpi = interv / M_PI;
    for (int k = nterm; k >= 0; k--) {
        double u = (k + .5) * interv, sum1 = -2 * u * c;
        double sum2 = fabs(sum1), sum3 = -0.5 * s->sigsq * u * u;
        for (int j = t->r - 1; j >= 0; j--) {
            int nj = t->n[j];
            double x = 2 * t->lb[j] * u, y = x * x;
            sum3 = sum3 - 0.25 * nj * log1p(y);
            y = t->nc[j] * x / (1 + y);
            double z = nj * atan(x) + y;
            sum1 += z;
            sum2 += fabs(z);
            sum3 += -0.5 * x * y;
        }
        double x = inpi * exp(sum3) / u;
        if (!main_pass)
            x = x * (1 - exp(-0.5 * tausq * u * u));
        sum1 = sin(0.5 * sum1) * x;
        sum2 = 0.5 * sum2 * x;
        s->intl += sum1;
        s->ersm += sum2;
    }
}

/* Coefficient of tausq in the error of the distribution function at x when
 * the convergence factor exp(-tausq u^2 / 2) is used; *fail when it is
 * too large to help (Davies 1980, sec. 5). */
static double qf_cfe(const qf_terms *t, double x, int *fail)
{
    double axl = fabs(x), sum1 = 0.0, ln28 = log(2.0) / 8;
    int sxl = x < 0 ? -1 : 1;
    for (int j = t->r - 1; j >= 0; j--) {
        int th = t->th[j];
        if (t->lb[th] * sxl > 0.0) {
            double lj = fabs(t->lb[th]), axl1 = axl - lj * (t->n[th] + t->nc[th]), axl2 = lj / ln28;
            if (axl1 > axl2) {
                axl = axl1;
            } else {
                if (axl > axl2)
                    axl = axl2;
                sum1 = (axl - axl1) / lj;
                for (int k = j - 1; k >= 0; k--)
                    sum1 += t->n[t->th[k]] + t->nc[t->th[k]];
                break;
            }
        }
    }
    if (sum1 > 100.0) {
        *fail = 1;
        return 1.0;
    }
    *fail = 0;
    return pow(2.0, sum1 * .25) / (M_PI * axl * axl);
}

/* R's round() of a count: half to even (nearbyint in the default rounding
 * mode), clamped to int. */
static int round_half(double x)
{
    double r = nearbyint(x);
    return r >= INT_MAX ? INT_MAX : r <= INT_MIN ? INT_MIN : (int)r;
}

/* Mean, variance and extreme weights; 0 or a fault code (3: invalid). */
static int qf_moments(const qf_terms *t, double sigma, qf_state *s, double *sd)
{
    *sd = s->sigsq = sigma * sigma;
    s->lmax = s->lmin = 0; /* not lb[0]: mgcv's note says the paper's comment misleads */
    s->mean = 0.0;
    for (int j = 0; j < t->r; j++) {
        int nj = t->n[j];
        double lj = t->lb[j], ncj = t->nc[j];
        if (nj < 0 || ncj < 0)
            return 3;
        *sd += lj * lj * (2.0 * nj + 4.0 * ncj);
        s->mean += lj * (nj + ncj);
        if (s->lmax < lj)
            s->lmax = lj;
        else if (s->lmin > lj)
            s->lmin = lj;
    }
    return 0;
}

/* The number of terms round(x) as mgcv computes it (floor, then up if the
 * rest is above one half), clamped so a huge x cannot overflow an int. */
static int term_count(double x)
{
    if (!(x < INT_MAX / 2))
        return INT_MAX / 2;
    int n = (int)floor(x);
    if (x - n > .5)
        n++;
    return n;
}

/* Pr(Q < c) for Q = sum lb[j] chi2(n[j], nc[j]) + sigma N(0, 1), to within
 * acc, with at most lim integration terms.  *ifault: 0 fine, 1 accuracy not
 * reached (returns -1), 2 round-off possibly significant, 3 invalid
 * parameters, 4 a search did not end. */
static double qf_davies(qf_terms *t, double sigma, double c, int lim, double acc, int *ifault)
{
    qf_state s = {.intl = 0.0, .ersm = 0.0, .lim = lim};
    double sd, acc1 = acc, tausq, intv = 0.0;
    int fail = 0, nt = 0;
    *ifault = 0;
    /* mean, sd, max and min of the weights; check the parameters */
    if ((*ifault = qf_moments(t, sigma, &s, &sd)) != 0)
        return 0.0;
    if (sd == 0.0)
        return c > 0.0 ? 1.0 : 0.0;
    if (s.lmin == 0.0 && s.lmax == 0.0 && sigma == 0.0) {
        *ifault = 3;
        return 0.0;
    }
    sd = sqrt(sd);
    double almx = s.lmax < -s.lmin ? -s.lmin : s.lmax;
    /* starting values for findu and ctff; truncation point with no
     * convergence factor */
    double utx = 16.0 / sd, up = 4.5 / sd, un = -up;
    utx = qf_findu(t, utx, 0.5 * acc1, s.sigsq);
    /* does a convergence factor help? */
    if (c != 0.0 && almx > 0.07 * sd) {
        tausq = 0.25 * acc1 / qf_cfe(t, c, &fail);
        if (!fail && qf_truncation(t, utx, tausq, s.sigsq) < 0.2 * acc1) {
            s.sigsq = s.sigsq + tausq;
            utx = qf_findu(t, utx, 0.25 * acc1, s.sigsq);
        }
    }
    acc1 = 0.5 * acc1;
    /* find the range of the distribution, quit if c is outside it; then the
     * integration interval and the number of terms of the main (nt) and an
     * auxiliary (ntm) integration; while nt is too large, integrate with a
     * convergence factor (auxiliary) and tighten */
    for (;;) {
        double d1 = qf_ctff(t, acc1, &up, &s) - c;
        if (d1 < 0.0)
            return t->stuck ? (*ifault = 4, -1.0) : 1.0;
        double d2 = c - qf_ctff(t, acc1, &un, &s);
        if (d2 < 0.0)
            return t->stuck ? (*ifault = 4, -1.0) : 0.0;
        intv = d1 > d2 ? 2 * M_PI / d1 : 2 * M_PI / d2;
        nt = term_count(utx / intv);
        int ntm = term_count(3.0 / sqrt(acc1));
        if (!(nt > ntm * 1.5))
            break;
        double intv1 = utx / ntm, x = 2 * M_PI / intv1;
        if (x <= fabs(c))
            break;
        /* fail is cfe(c + x)'s: mgcv writes cfe(c - x, &fail) + cfe(c + x,
         * &fail), an unspecified order in C; its compiled code (mgcv.so of
         * R 4.2.2 on Debian, x86-64) calls cfe(c - x) first */
        double below = qf_cfe(t, c - x, &fail), above = qf_cfe(t, c + x, &fail);
        tausq = 0.33 * acc1 / (1.1 * (below + above));
        if (fail)
            break;
        acc1 = acc1 * 0.67;
        if (ntm > s.lim)
            return -1.0; /* mgcv leaves ifault 0 here: psum.chisq then gives 1 - (-1) = 2 */
        qf_integrate(t, ntm, intv1, tausq, 0, c, &s);
        s.lim = s.lim - ntm;
        s.sigsq = s.sigsq + tausq;
        utx = qf_findu(t, utx, 0.25 * acc1, s.sigsq);
        acc1 = 0.75 * acc1;
    }
    if (t->stuck) {
        *ifault = 4;
        return -1.0;
    }
    /* main integration */
    if (nt > s.lim) {
        *ifault = 1;
        return -1.0;
    }
    qf_integrate(t, nt, intv, 0.0, 1, c, &s);
    /* could round-off be significant?  (x == ersm, tested at scales 1..8 as
     * mgcv does) */
    double x = s.ersm + acc / 10.0;
    for (int i = 0, j = 1; i < 4; i++, j *= 2)
        if (j * x == j * s.ersm)
            *ifault = 2;
    return 0.5 - s.intl;
}

/* ---- Liu, Tang and Zhang (2009), "A new chi-square approximation to the
 * distribution of non-negative definite quadratic forms in non-central
 * normal variables", CSDA 53:853-856: mgcv's liu2, upper tail, central
 * terms.  Matching four cumulants gives a scaled non-central chi-square
 * whose non-centrality is 0 here (by Cauchy-Schwarz s1^2 <= s2 when every
 * nc is 0) unless rounding says otherwise; R then evaluates pchisq with
 * ncp given, which we follow with its Poisson mixture. ---- */

static double liu_upper(double q, const double *lambda, const int *h, int r)
{
    long double mu = 0, c2 = 0, c3 = 0, c4 = 0; /* R's sum() accumulates in long double */
    for (int j = 0; j < r; j++) {
        double lh = lambda[j] * h[j];
        mu += lh;
        lh = lh * lambda[j];
        c2 += lh;
        lh = lh * lambda[j];
        c3 += lh;
        c4 += lh * lambda[j];
    }
    double muq = (double)mu, k2 = (double)c2, k3 = (double)c3, k4 = (double)c4;
    if (!(q > 0) || k2 <= 0)
        return 1.0;
    double s1 = k3 / pow(k2, 1.5), s2 = k4 / (k2 * k2), sigq = sqrt(2 * k2), tq = (q - muq) / sigq;
    double a, delta, l;
    if (s1 * s1 > s2) {
        a = 1 / (s1 - sqrt(s1 * s1 - s2));
        delta = s1 * pow(a, 3) - a * a;
        l = a * a - 2 * delta;
    } else {
        a = 1 / s1;
        delta = 0;
        if (k3 == 0)
            return 1.0;
        l = pow(k2, 3) / (k3 * k3);
    }
    double mux = l + delta, sigx = sqrt(2) * a;
    return nchisq_upper(tq * sigx + mux, l, delta);
}

/* R's pchisq(x, f, ncp, lower.tail = FALSE) for ncp given (pnchisq): the
 * Poisson(ncp / 2) mixture of central tails, renormalised; NaN for a
 * negative ncp, as R. */
static double nchisq_upper(double x, double f, double ncp)
{
    if (!(ncp >= 0) || !(f >= 0))
        return NAN;
    if (x <= 0)
        return 1.0;
    double lambda = 0.5 * ncp, pr = exp(-lambda), sum = 0, weight = 0;
    double more = lambda + 40 * sqrt(lambda); /* R sums 110 terms: its ncp < 80 */
    int terms = 110 + (int)(more < 1e6 ? more : 1e6);
    for (int i = 0; i < terms; i++) {
        weight += pr;
        sum += pr * (f + 2 * i > 0 ? gsl_cdf_chisq_Q(x, f + 2 * i) : 0.0);
        pr *= lambda / (i + 1);
    }
    return sum / weight;
}

/* ---- psum.chisq ---- */

vt_status smooth_test_psum_chisq(double q, size_t r, const double *lb, const double *df, const double *nc, double sigz,
                                 int lower_tail, double tol, int nlim, double *p, int *ifault, vt_err *err)
{
    assert(lb != NULL && p != NULL);
    if (r == 0 || r > INT_MAX / 4)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "psum_chisq: %zu chi-square terms", r);
    if (!isfinite(q) || !isfinite(sigz) || !(tol > 0) || !isfinite(tol))
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "psum_chisq: q, sigz and tol must be finite, tol positive");
    int any_weight = 0, central = 1;
    for (size_t j = 0; j < r; j++) {
        double d = df ? df[j] : 1.0, c = nc ? nc[j] : 0.0;
        if (!isfinite(lb[j]) || !isfinite(d) || !isfinite(c) || c < 0 || round_half(d) < 1)
            return vt_err_set(err, VT_EDATA, NULL, 0, 0,
                              "psum_chisq: term %zu: weights finite, df at least 1, nc not negative", j + 1);
        any_weight |= lb[j] != 0;
        central &= c == 0;
    }
    if (!any_weight)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "psum_chisq: at least one weight must be non-zero");
    int *ints = vt_malloc(2 * r * sizeof(int));
    double *buf = vt_malloc(2 * r * sizeof(double));
    if (ints == NULL || buf == NULL) {
        free(ints);
        free(buf);
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "psum_chisq: out of memory");
    }
    int *n = ints, *th = ints + r;
    double *ncs = buf, *order = buf + r;
    for (size_t j = 0; j < r; j++) {
        n[j] = round_half(df ? df[j] : 1.0);
        ncs[j] = nc ? nc[j] : 0.0;
        order[j] = fabs(lb[j]);
        th[j] = (int)j;
    }
    order_by_decreasing(order, th, (int)r);
    qf_terms terms = {(int)r, lb, ncs, n, th, 0};
    int fault = 0;
    double c = qf_davies(&terms, sigz < 0 ? 0 : sigz, q, nlim, tol, &fault);
    vt_status status = VT_OK;
    if (fault == 0 || fault == 2)
        *p = lower_tail ? c : 1 - c;
    else if (central)
        *p = liu_upper(q, lb, n, (int)r); /* the upper tail, even for lower_tail: as psum.chisq */
    else
        status = vt_err_set(err, VT_ENUMERIC, NULL, 0, 0,
                            "psum_chisq: Davies' algorithm failed (fault %d) and Liu's needs central terms", fault);
    if (ifault)
        *ifault = fault;
    free(ints);
    free(buf);
    return status;
}

/* ---- testStat (type = 0) ---- */

static vt_status check_inputs(size_t p, const double *gram, const double *cov, const double *beta, double rank,
                              double res_df, vt_err *err)
{
    if (p == 0)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "smooth test: the smooth has no coefficients");
    if (p > SMOOTH_TEST_MAX_P)
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "smooth test: %zu coefficients, more than %d", p,
                          SMOOTH_TEST_MAX_P);
    for (size_t i = 0; i < p * p; i++)
        if (!isfinite(gram[i]) || !isfinite(cov[i]))
            return vt_err_set(err, VT_EDATA, NULL, 0, 0,
                              "smooth test: X'WX or covariance entry (%zu, %zu) is not finite", i / p + 1, i % p + 1);
    for (size_t i = 0; i < p; i++)
        if (!isfinite(beta[i]))
            return vt_err_set(err, VT_EDATA, NULL, 0, 0, "smooth test: coefficient %zu is not finite", i + 1);
    if (!(rank > 0) || !isfinite(rank))
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "smooth test: rank %g; it must be positive and finite", rank);
    if (!isfinite(res_df))
        return vt_err_set(err, VT_EDATA, NULL, 0, 0, "smooth test: residual df is not finite");
    return VT_OK;
}

static vt_status work_new(test_work *w, size_t p, vt_err *err)
{
    double *block = vt_malloc((5 * p * p + 4 * p + 2) * sizeof(double));
    if (block == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "smooth test: out of memory");
    w->p = p;
    w->r = block;
    w->rv = w->r + p * p;
    w->w = w->rv + p * p;
    w->vec = w->w + p * p;
    w->vec1 = w->vec + p * p;
    w->values = w->vec1 + p * p;
    w->rb = w->values + p;
    w->val = w->rb + p;
    w->df = w->val + p + 1;
    return VT_OK;
}

/* R_j from gram = R_j'R_j (Cholesky, row by row of R_j; the upper triangle
 * of gram is read).  testStat takes R_j from qr(Xt) instead, which differs
 * from this one by the signs of some rows: R_qr = D R_j, D diagonal +-1.
 * The statistic does not change: R_qr V R_qr' = D (R_j V R_j') D has the
 * eigenvectors D u_i, and testStat's sign rule (first element of each
 * eigenvector >= 0) multiplies every one of them by the same sign, D[0][0]
 * (that of u_i's first element being fixed by the rule too).  So every test
 * direction, and the blend of the last pair, is D[0][0] D times ours, its
 * product with R_qr beta = D R_j beta is D[0][0] times ours, and squaring
 * removes that. */
/* A pivot within this share of its column's square norm of 0 is
 * rounding: the column lies in the span of the earlier ones (1e-4 of its
 * norm left; the Gram matrix squares the columns' conditioning, and a
 * dependent column's pivot came out at -7e-9 of its square norm). */
#define RANK_TOLERANCE 1e-8

static vt_status cholesky_upper(size_t p, const double *gram, double *r, vt_err *err)
{
    memset(r, 0, p * p * sizeof(double));
    for (size_t j = 0; j < p; j++) {
        double diag = gram[j * p + j];
        for (size_t k = 0; k < j; k++)
            diag -= r[k * p + j] * r[k * p + j];
        if (!(diag >= 0) && !(diag > -RANK_TOLERANCE * gram[j * p + j]))
            return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0,
                              "smooth test: X'WX block not positive definite (pivot %zu); collinear columns?", j + 1);
        if (!(diag > RANK_TOLERANCE * gram[j * p + j]))
            continue; /* a column the earlier ones span (a curve per level on a level
                         covering a few knot intervals): its row of R is 0, as the rank
                         deficient qr(X, tol = 0) of testStat gives R'R = X'WX too */
        r[j * p + j] = sqrt(diag);
        for (size_t i = j + 1; i < p; i++) {
            double sum = gram[j * p + i];
            for (size_t k = 0; k < j; k++)
                sum -= r[k * p + j] * r[k * p + i];
            r[j * p + i] = sum / r[j * p + j];
        }
    }
    return VT_OK;
}

/* w = R V R', then (w + w') / 2 as testStat does. */
static void transform_cov(test_work *w, const double *cov)
{
    size_t p = w->p;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double sum = 0;
            for (size_t k = i; k < p; k++) /* R is upper triangular */
                sum += w->r[i * p + k] * cov[k * p + j];
            w->rv[i * p + j] = sum;
        }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double sum = 0;
            for (size_t k = j; k < p; k++)
                sum += w->rv[i * p + k] * w->r[j * p + k];
            w->w[i * p + j] = sum;
        }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < i; j++)
            w->w[i * p + j] = w->w[j * p + i] = (w->w[i * p + j] + w->w[j * p + i]) / 2;
}

/* Eigenvalues in decreasing order (R's eigen(symmetric = TRUE)), and each
 * eigenvector's sign set so its first element is >= 0 (testStat's siv;
 * 0 counts as +). */
static vt_status eigen_decreasing(test_work *w, vt_err *err)
{
    size_t p = w->p;
    gsl_eigen_symmv_workspace *work = gsl_eigen_symmv_alloc(p);
    if (work == NULL)
        return vt_err_set(err, VT_ENOMEM, NULL, 0, 0, "smooth test: out of memory");
    gsl_matrix_view a = gsl_matrix_view_array(w->w, p, p), vectors = gsl_matrix_view_array(w->vec, p, p);
    gsl_vector_view values = gsl_vector_view_array(w->values, p);
    int status = gsl_eigen_symmv(&a.matrix, &values.vector, &vectors.matrix, work);
    gsl_eigen_symmv_free(work);
    if (status != 0)
        return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0, "smooth test: eigen-decomposition did not converge");
    gsl_eigen_symmv_sort(&values.vector, &vectors.matrix, GSL_EIGEN_SORT_VAL_DESC);
    for (size_t j = 0; j < p; j++)
        if (w->vec[j] < 0)
            for (size_t i = 0; i < p; i++)
                w->vec[i * p + j] = -w->vec[i * p + j];
    return VT_OK;
}

/* k = floor(rank), nu = rank - k, k1 = k + (nu > 0); if fewer than k1
 * eigenvalues exceed max * eps^0.9, the rank becomes that count. */
static test_rank choose_rank(const test_work *w, double rank)
{
    size_t p = w->p, r_est = 0;
    double floor_rank = floor(rank);
    test_rank tr;
    tr.rank = rank;
    tr.k = floor_rank > (double)p ? p + 1 : (size_t)floor_rank; /* above p: lowered to r_est below */
    tr.nu = fabs(rank - floor_rank);
    tr.k1 = tr.nu > 0 ? tr.k + 1 : tr.k;
    double floor_value = w->values[0] * pow(DBL_EPSILON, 0.9);
    for (size_t j = 0; j < p; j++)
        r_est += w->values[j] > floor_value;
    if (r_est < tr.k1) {
        tr.k1 = tr.k = r_est;
        tr.nu = 0;
        tr.rank = (double)r_est;
    }
    return tr;
}

/* Columns [from, to) of vec divided by sqrt(value), or (multiply) times
 * sqrt(1 / value): testStat writes both. */
static void scale_columns(test_work *w, size_t from, size_t to, int multiply)
{
    size_t p = w->p;
    for (size_t j = from; j < to; j++) {
        double s = multiply ? sqrt(1 / w->values[j]) : sqrt(w->values[j]);
        for (size_t i = 0; i < p; i++)
            w->vec[i * p + j] = multiply ? w->vec[i * p + j] * s : w->vec[i * p + j] / s;
    }
}

/* Wood (2013), sec. 3: directions k and k + 1 (columns k - 1, k) become
 * rB [u_k, u_k1]' with rB the square root of
 * E [1, b12; b12, nu] E, E = diag(lambda_k, lambda_k1)^-1/2,
 * b12 = sqrt(nu (1 - nu) / 2); vec1 uses [-u_k, u_k1].  The square root of
 * a symmetric positive definite 2 x 2 M is (M + sqrt(det M) I) /
 * sqrt(trace M + 2 sqrt(det M)): unique, so equal to R's from eigen(). */
static void blend_last_pair(test_work *w, const test_rank *tr)
{
    size_t p = w->p, a = tr->k - 1, b = tr->k;
    double b12 = 0.5 * tr->nu * (1 - tr->nu);
    b12 = sqrt(b12 < 0 ? 0 : b12);
    double e0 = pow(w->values[a], -0.5), e1 = pow(w->values[b], -0.5);
    double m00 = e0 * 1 * e0, m01 = e1 * b12 * e0, m11 = e1 * tr->nu * e1;
    double s = sqrt(m00 * m11 - m01 * m01), t = sqrt(m00 + m11 + 2 * s);
    double r00 = (m00 + s) / t, r01 = m01 / t, r11 = (m11 + s) / t;
    for (size_t i = 0; i < p; i++) {
        double x = w->vec[i * p + a], y = w->vec[i * p + b];
        w->vec1[i * p + a] = -r00 * x + r01 * y;
        w->vec1[i * p + b] = -r01 * x + r11 * y;
        w->vec[i * p + a] = r00 * x + r01 * y;
        w->vec[i * p + b] = r01 * x + r11 * y;
    }
}

/* The k1 test directions (scaled eigenvectors) in vec, and vec1. */
static void build_directions(test_work *w, test_rank *tr)
{
    size_t p = w->p;
    assert(tr->k1 >= 1 && tr->k1 <= p);
    if (tr->nu > 0 && tr->k > 0) {
        scale_columns(w, 0, tr->k - 1, 0);
        for (size_t i = 0; i < p; i++) /* vec1 <- vec, then its last pair differs */
            memcpy(w->vec1 + i * p, w->vec + i * p, tr->k1 * sizeof(double));
        blend_last_pair(w, tr);
        return;
    }
    if (tr->k == 0)
        scale_columns(w, 0, 1, 1);
    else
        scale_columns(w, 0, tr->k, 0);
    if (tr->k == 1)
        tr->rank = 1;
    for (size_t i = 0; i < p; i++)
        memcpy(w->vec1 + i * p, w->vec + i * p, tr->k1 * sizeof(double));
}

/* sum_j (vec[, j]' R beta)^2 over the first `columns` directions; R's sum()
 * accumulates in long double. */
static double squared_projection(const test_work *w, const double *vec, size_t columns)
{
    size_t p = w->p;
    long double total = 0;
    for (size_t j = 0; j < columns; j++) {
        double dot = 0;
        for (size_t i = 0; i < p; i++)
            dot += vec[i * p + j] * w->rb[i];
        total += dot * dot;
    }
    return (double)total;
}

/* Upper tail of chi-square(df), df >= 0 (pchisq(x, 0) is a point mass at 0). */
static double chisq_upper(double x, double df)
{
    return df > 0 ? gsl_cdf_chisq_Q(x, df) : 0.0;
}

/* testStat's p-value: with nu > 0, the mean of psum.chisq at d and d1 with
 * weights 1, ..., 1, val_k, val_k1 (or, with an estimated scale, of
 * Pr(sum val_j chi2_1 - d / k0 chi2_k0 > 0), k0 = round(res_df)); where
 * that exceeds 1 or nu = 0, the mean of chi-square (or F) tails on rank1
 * degrees of freedom.  Then min(1, p). */
static vt_status test_p_value(test_work *w, double d, double d1, const test_rank *tr, double res_df, double *pval,
                              vt_err *err)
{
    double rank1 = tr->rank, p = 2, pa, pb;
    vt_status status = VT_OK;
    if (tr->nu > 0) {
        size_t m = tr->k1;
        for (size_t j = 0; j < m; j++)
            w->val[j] = w->df[j] = 1;
        if (m == 1) {
            rank1 = 1;
        } else {
            double rp = tr->nu + 1;
            w->val[tr->k - 1] = (rp + sqrt(rp * (2 - rp))) / 2;
            w->val[tr->k] = rp - w->val[tr->k - 1];
        }
        if (res_df <= 0) {
            if ((status = smooth_test_psum_chisq(d, m, w->val, NULL, NULL, 0, 0, SMOOTH_TEST_TOL, SMOOTH_TEST_NLIM,
                                                 &pa, NULL, err)) != VT_OK ||
                (status = smooth_test_psum_chisq(d1, m, w->val, NULL, NULL, 0, 0, SMOOTH_TEST_TOL, SMOOTH_TEST_NLIM,
                                                 &pb, NULL, err)) != VT_OK)
                return status;
        } else {
            double k0 = fmax(1, nearbyint(res_df));
            w->df[m] = k0;
            w->val[m] = -d / k0;
            if ((status = smooth_test_psum_chisq(0, m + 1, w->val, w->df, NULL, 0, 0, SMOOTH_TEST_TOL,
                                                 SMOOTH_TEST_NLIM, &pa, NULL, err)) != VT_OK)
                return status;
            w->val[m] = -d1 / k0;
            if ((status = smooth_test_psum_chisq(0, m + 1, w->val, w->df, NULL, 0, 0, SMOOTH_TEST_TOL,
                                                 SMOOTH_TEST_NLIM, &pb, NULL, err)) != VT_OK)
                return status;
        }
        p = (pa + pb) / 2;
    }
    if (p > 1) {
        if (res_df <= 0)
            p = (chisq_upper(d, rank1) + chisq_upper(d1, rank1)) / 2;
        else
            p = (gsl_cdf_fdist_Q(d / rank1, rank1, res_df) + gsl_cdf_fdist_Q(d1 / rank1, rank1, res_df)) / 2;
    }
    if (isnan(p))
        return vt_err_set(err, VT_ENUMERIC, NULL, 0, 0, "smooth test: the p-value could not be computed");
    *pval = p > 1 ? 1 : p;
    return VT_OK;
}

vt_status smooth_test(size_t p, const double *gram_block, const double *cov_block, const double *beta, double rank,
                      double res_df, smooth_test_result *out, vt_err *err)
{
    assert(gram_block != NULL && cov_block != NULL && beta != NULL && out != NULL);
    test_work w = {0};
    vt_status status = check_inputs(p, gram_block, cov_block, beta, rank, res_df, err);
    if (status != VT_OK || (status = work_new(&w, p, err)) != VT_OK)
        return status;
    /* R_j, and the eigen-decomposition of R_j V_j R_j' */
    if ((status = cholesky_upper(p, gram_block, w.r, err)) != VT_OK)
        goto done;
    transform_cov(&w, cov_block);
    if ((status = eigen_decreasing(&w, err)) != VT_OK)
        goto done;
    if (!(w.values[0] > 0)) {
        status = vt_err_set(err, VT_EDATA, NULL, 0, 0, "smooth test: the covariance block has no positive eigenvalue");
        goto done;
    }
    /* the rank, the test directions, and the statistics along them */
    test_rank tr = choose_rank(&w, rank);
    build_directions(&w, &tr);
    for (size_t i = 0; i < p; i++) {
        double sum = 0;
        for (size_t k = i; k < p; k++)
            sum += w.r[i * p + k] * beta[k];
        w.rb[i] = sum;
    }
    double d = squared_projection(&w, w.vec, tr.k1), d1 = squared_projection(&w, w.vec1, tr.k1), pval = 0;
    if ((status = test_p_value(&w, d, d1, &tr, res_df, &pval, err)) != VT_OK)
        goto done;
    out->stat = d;
    out->p_value = pval;
    out->ref_df = tr.rank;
done:
    free(w.r);
    return status;
}
