/* libm_fixed: the transcendental functions of the whole process, the same
 * bits on every x86-64 CPU.
 *
 * glibc's libm chooses among code paths for exp, log, pow, sin, ... by the
 * CPU it finds at load time (SSE2, FMA, AVX2), and they round differently
 * in the last bit: a model trained where FMA is missing (an older CPU, a
 * virtual machine that hides it) differed in thousands of digits from one
 * trained where it is present, though every sum of vitals runs in a fixed
 * order.  The definitions below take precedence over libm's for vitals and
 * for the shared libraries it loads (GSL's calls bind to the executable's
 * symbols: ELF interposition).  exp and log, which the fits call per row
 * and iteration, are written here (table-driven exp, fdlibm's log), in
 * plain double arithmetic without contraction; the rest call SLEEF's
 * pure-C scalar functions, which have no CPU dispatch and no fused
 * multiply-add (3 to 6 times slower than glibc's: too slow for the per-row
 * pair, whose SLEEF versions cost train 20% of its time).  Every one is
 * within one ulp of glibc's (10M random arguments each, and the edges),
 * far inside every tolerance against R.  tests/cli/cases/train/model_same_on_every_cpu.sh trains under
 * glibc's CPU-feature masks (GLIBC_TUNABLES) and compares the bytes.
 *
 * Built with -fno-builtin (CMakeLists.txt), so the compiler treats these as
 * the plain functions they are. */
#include <sleef.h>
#include <stdint.h>
#include <string.h>

double exp(double x);
double log(double x);
double log10(double x);
double log1p(double x);
double expm1(double x);
double pow(double x, double y);
double sin(double x);
double cos(double x);
double tan(double x);
double atan(double x);
double atan2(double y, double x);
double tanh(double x);
double cbrt(double x);
double ldexp(double x, int e);

double log10(double x) { return Sleef_log10d1_u10purec(x); }
double log1p(double x) { return Sleef_log1pd1_u10purec(x); }
double expm1(double x) { return Sleef_expm1d1_u10purec(x); }
double pow(double x, double y) { return Sleef_powd1_u10purec(x, y); }
double sin(double x) { return Sleef_sind1_u10purec(x); }
double cos(double x) { return Sleef_cosd1_u10purec(x); }
double tan(double x) { return Sleef_tand1_u10purec(x); }
double atan(double x) { return Sleef_atand1_u10purec(x); }
double atan2(double y, double x) { return Sleef_atan2d1_u10purec(y, x); }
double tanh(double x) { return Sleef_tanhd1_u10purec(x); }
double cbrt(double x) { return Sleef_cbrtd1_u10purec(x); }

/* 2^(j/64), j = 0..63, each the double nearest (computed to 60 digits). */
static const double exp2_table[64] = {
    0x1.0000000000000p+0, 0x1.02c9a3e778061p+0, 0x1.059b0d3158574p+0, 0x1.0874518759bc8p+0,
    0x1.0b5586cf9890fp+0, 0x1.0e3ec32d3d1a2p+0, 0x1.11301d0125b51p+0, 0x1.1429aaea92de0p+0,
    0x1.172b83c7d517bp+0, 0x1.1a35beb6fcb75p+0, 0x1.1d4873168b9aap+0, 0x1.2063b88628cd6p+0,
    0x1.2387a6e756238p+0, 0x1.26b4565e27cddp+0, 0x1.29e9df51fdee1p+0, 0x1.2d285a6e4030bp+0,
    0x1.306fe0a31b715p+0, 0x1.33c08b26416ffp+0, 0x1.371a7373aa9cbp+0, 0x1.3a7db34e59ff7p+0,
    0x1.3dea64c123422p+0, 0x1.4160a21f72e2ap+0, 0x1.44e086061892dp+0, 0x1.486a2b5c13cd0p+0,
    0x1.4bfdad5362a27p+0, 0x1.4f9b2769d2ca7p+0, 0x1.5342b569d4f82p+0, 0x1.56f4736b527dap+0,
    0x1.5ab07dd485429p+0, 0x1.5e76f15ad2148p+0, 0x1.6247eb03a5585p+0, 0x1.6623882552225p+0,
    0x1.6a09e667f3bcdp+0, 0x1.6dfb23c651a2fp+0, 0x1.71f75e8ec5f74p+0, 0x1.75feb564267c9p+0,
    0x1.7a11473eb0187p+0, 0x1.7e2f336cf4e62p+0, 0x1.82589994cce13p+0, 0x1.868d99b4492edp+0,
    0x1.8ace5422aa0dbp+0, 0x1.8f1ae99157736p+0, 0x1.93737b0cdc5e5p+0, 0x1.97d829fde4e50p+0,
    0x1.9c49182a3f090p+0, 0x1.a0c667b5de565p+0, 0x1.a5503b23e255dp+0, 0x1.a9e6b5579fdbfp+0,
    0x1.ae89f995ad3adp+0, 0x1.b33a2b84f15fbp+0, 0x1.b7f76f2fb5e47p+0, 0x1.bcc1e904bc1d2p+0,
    0x1.c199bdd85529cp+0, 0x1.c67f12e57d14bp+0, 0x1.cb720dcef9069p+0, 0x1.d072d4a07897cp+0,
    0x1.d5818dcfba487p+0, 0x1.da9e603db3285p+0, 0x1.dfc97337b9b5fp+0, 0x1.e502ee78b3ff6p+0,
    0x1.ea4afa2a490dap+0, 0x1.efa1bee615a27p+0, 0x1.f50765b6e4540p+0, 0x1.fa7c1819e90d8p+0
};

/* ln 2 split so that k * LN2_HI is exact for |k| < 2^21 (fdlibm's split). */
#define LN2_HI 0x1.62e42feep-1
#define LN2_LO 0x1.a39ef35793c76p-33
#define SHIFTER 0x1.8p52 /* x + SHIFTER - SHIFTER rounds x to an integer, ties to even */

static double from_bits(uint64_t bits)
{
    double x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

/* exp: x = (64 m + j) ln2/64 + r, |r| <= ln2/128; exp(x) = 2^m 2^(j/64)
 * e^r, e^r by its Taylor polynomial to r^6 (the next term is below 2^-65
 * of the result).  Error under one ulp. */
double exp(double x)
{
    if (!(x > -745.2))
        return x != x ? x + x : 0.0; /* NaN, or below the smallest subnormal */
    if (x > 709.8)
        return from_bits(0x7ff0000000000000ULL); /* +inf (also for x = +inf) */
    double kd = (x * 0x1.71547652b82fep+6 + SHIFTER) - SHIFTER; /* x 64/ln2, rounded */
    long k = (long)kd;
    double r = (x - kd * (LN2_HI / 64)) - kd * (LN2_LO / 64);
    double p = r * r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720))))) + r;
    long j = k & 63, m = (k - j) / 64;
    double t = exp2_table[j];
    double y = t + t * p;
    if (m > -1022 && m < 1023)
        return y * from_bits((uint64_t)(m + 1023) << 52);
    return ldexp(y, (int)m);
}

/* log: x = 2^e (1 + f), 1 + f in [sqrt(1/2), sqrt(2)); with s = f/(2 + f)
 * and z = s^2, log(1 + f) = 2 atanh(s) = f - (f^2/2 - s (f^2/2 + R(z))),
 * R(z) = Lg1 z + ... + Lg7 z^7 the minimax fit of 2 atanh(s)/s - 2 over
 * the interval (fdlibm's e_log.c arrangement and coefficients; its error
 * bound is below one ulp). */
double log(double x)
{
    uint64_t bits;
    int e = 0;
    memcpy(&bits, &x, sizeof bits);
    if (bits - 0x0010000000000000ULL >= 0x7ff0000000000000ULL - 0x0010000000000000ULL) {
        /* not a positive normal number */
        if (x != x || x == from_bits(0x7ff0000000000000ULL))
            return x + x; /* NaN, +inf */
        if (x <= 0)
            return x == 0 ? -from_bits(0x7ff0000000000000ULL) : from_bits(0x7ff8000000000000ULL);
        x *= 0x1p54; /* a subnormal: made normal, its exponent put back */
        memcpy(&bits, &x, sizeof bits);
        e = -54;
    }
    e += (int)(bits >> 52) - 1023;
    double m = from_bits((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL); /* [1, 2) */
    if (m > 0x1.6a09e667f3bcdp+0) { /* sqrt(2) */
        m *= 0.5;
        e++;
    }
    double f = m - 1.0, s = f / (2.0 + f), z = s * s, w = z * z, hfsq = 0.5 * f * f;
    double t1 = w * (0x1.999999997fa04p-2 + w * (0x1.c71c51d8e78afp-3 + w * 0x1.39a09d078c69fp-3));
    double t2 = z * (0x1.5555555555593p-1 + w * (0x1.2492494229359p-2 + w * (0x1.7466496cb03dep-3 +
                     w * 0x1.2f112df3e5244p-3)));
    double R = t2 + t1, de = (double)e;
    return de * LN2_HI - ((hfsq - (s * (hfsq + R) + de * LN2_LO)) - f);
}
