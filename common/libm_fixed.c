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
 * symbols: ELF interposition), and compute with SLEEF's pure-C scalar
 * functions, which have no CPU dispatch and no fused multiply-add; their
 * error is at most 1.0 ulp (glibc's: about 0.5), far inside every tolerance
 * against R.  tests/cli/cases/train/model_same_on_every_cpu.sh trains under
 * glibc's CPU-feature masks (GLIBC_TUNABLES) and compares the bytes.
 *
 * Built with -fno-builtin (CMakeLists.txt), so the compiler treats these as
 * the plain functions they are. */
#include <sleef.h>

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

double exp(double x) { return Sleef_expd1_u10purec(x); }
double log(double x) { return Sleef_logd1_u10purec(x); }
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
