# Makes tests/data/smooth_test_r.json with R (r-base-core, r-cran-mgcv 1.8-41):
# the approximate significance test of each smooth term that summary.gam
# reports (Wood 2013, Biometrika 100(1):221-228), as train/smooth_test.c must
# reproduce it.  No input file: the data are simulated here from fixed seeds.
# Run as: Rscript tests/data/make_smooth_test_fixture.R tests/data/smooth_test_r.json
#
# "cases": one per smooth of four binomial REML/ML fits, then hand-made direct
# calls of mgcv:::testStat for the branches real fits rarely reach (rank < 1,
# a rank-deficient covariance, an estimated scale, p-values below 1e-10).
# Each case has the inputs smooth_test() takes -- p, gram_block (the smooth's
# p x p block of X'WX, crossprod(fit$R[, start:stop]); row-major), cov_block
# (Vp[start:stop, start:stop]), beta, rank (min(p, edf1) as summary.gam passes
# it), res_df (-1: known scale) -- and R's answer: stat, p_value, ref_df.  For
# the fits the script checks testStat's answer is summary(fit)$s.table's row.
#
# "psum_cases": direct calls of mgcv:::psum.chisq (Davies' algorithm) with
# negative weights, degrees of freedom above 1, non-centrality, a normal term,
# the lower tail, and nlim small enough that Davies fails and psum.chisq falls
# back on Liu et al.'s approximation.
suppressPackageStartupMessages(library(mgcv))
stopifnot(packageVersion("mgcv") == "1.8.41")
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "smooth_test_r.json"

num <- function(x) {
  s <- sprintf("%.17g", x)
  s[is.na(x)] <- "null"
  paste0("[", paste(s, collapse = ", "), "]")
}
cases <- list()
add_case <- function(name, p, X, V, rank, res_df = -1, check = NULL) {
  r <- mgcv:::testStat(p, X, V, rank, type = 0, res.df = res_df)
  if (!is.null(check))  # the fit's summary.gam row: edf, Ref.df, Chi.sq, p-value
    stopifnot(isTRUE(all.equal(unname(check[2:4]), c(r$rank, r$stat, r$pval), tolerance = 1e-14)))
  G <- crossprod(X)
  cases[[length(cases) + 1]] <<- sprintf(paste0(
    '    {"name": "%s", "p": %d, "rank": %.17g, "res_df": %.17g,\n',
    '     "stat": %.17g, "p_value": %.17g, "ref_df": %.17g,\n',
    '     "beta": %s,\n     "gram_block": %s,\n     "cov_block": %s}'),
    name, length(p), rank, res_df, r$stat, r$pval, r$rank, num(p), num(t(G)), num(t(V)))
  cat(sprintf("%-34s p=%2d rank=%-10.6g stat=%-12.6g p=%-12.6g ref_df=%.6g\n",
              name, length(p), rank, r$stat, r$pval, r$rank))
}
# Every smooth of a fit, exactly as summary.gam feeds testStat.
add_fit <- function(tag, fit) {
  st <- summary(fit)$s.table
  for (i in seq_along(fit$smooth)) {
    sm <- fit$smooth[[i]]
    fx <- if (inherits(sm, "tensor.smooth") && !is.null(sm$fx)) all(sm$fx) else sm$fixed
    if (!fx && sm$null.space.dim == 0)
      next  # summary.gam tests these (cyclic, shrinkage, random effects) with reTest instead
    idx <- sm$first.para:sm$last.para
    Xt <- fit$R[, idx, drop = FALSE]
    edf1 <- sum(fit$edf1[idx])
    add_case(paste0(tag, " ", sm$label), fit$coefficients[idx], Xt, fit$Vp[idx, idx, drop = FALSE],
             min(ncol(Xt), edf1), -1, st[sm$label, ])
  }
}

# Fit A: a strong wave (edf well inside 1..k-1), a linear effect (edf near 1),
# no effect, a bump with the default thin-plate basis, and a tensor product.
set.seed(20240611)
n <- 3000
d <- data.frame(x1 = runif(n), x2 = runif(n), x3 = runif(n), x4 = runif(n), x5 = runif(n), x6 = runif(n))
eta <- -0.4 + 1.4 * sin(2 * pi * d$x1) + 1.2 * (d$x2 - 0.5) + 1.5 * exp(-20 * (d$x4 - 0.35)^2) +
  0.8 * d$x5 * d$x6
d$y <- rbinom(n, 1, plogis(eta))
fit_a <- gam(y ~ s(x1, bs = "cr") + s(x2, bs = "cr", k = 6) + s(x3, bs = "cr") + s(x4) + te(x5, x6, k = 4),
             family = binomial, data = d, method = "REML")
add_fit("A", fit_a)

# Fit B: a wiggly effect on a small basis (edf1 above p - 1, so rank = p and
# nu = 0), an unpenalized (fx = TRUE) smooth (rank = p exactly), a weak
# effect on a large basis.
set.seed(77)
n <- 1500
d <- data.frame(x1 = runif(n), x2 = runif(n), x3 = runif(n))
eta <- 2.5 * sin(3 * pi * d$x1) + 0.6 * d$x2^2 + 0.3 * d$x3
d$y <- rbinom(n, 1, plogis(eta))
fit_b <- gam(y ~ s(x1, bs = "cr", k = 5) + s(x2, bs = "cr", k = 4, fx = TRUE) + s(x3, bs = "cr", k = 20),
             family = binomial, data = d, method = "REML")
add_fit("B", fit_b)

# Fit C: small n, ML, P-splines; one effect so strong its p-value is 0 (as
# Davies' algorithm returns it beyond its upper cutoff).
set.seed(4242)
n <- 400
d <- data.frame(x1 = runif(n), x2 = runif(n), x3 = runif(n))
eta <- 3 * cos(2 * pi * d$x1) + 0.5 * d$x2 - 0.2
d$y <- rbinom(n, 1, plogis(eta))
fit_c <- gam(y ~ s(x1, bs = "cr", k = 8) + s(x2, bs = "ps", k = 7) + s(x3, bs = "cr", k = 5),
             family = binomial, data = d, method = "ML")
add_fit("C", fit_c)

# Fit D: rare events (weights in X'WX near 0 for most rows), a by-factor
# smooth pair.
set.seed(9)
n <- 2500
d <- data.frame(x1 = runif(n), x2 = runif(n), g = factor(sample(c("a", "b"), n, replace = TRUE)))
eta <- -3.2 + ifelse(d$g == "a", 1.2 * sin(2 * pi * d$x1), 0.2 * d$x1) + 0.7 * d$x2
d$y <- rbinom(n, 1, plogis(eta))
fit_d <- gam(y ~ g + s(x1, by = g, bs = "cr", k = 7) + s(x2, bs = "cr", k = 6),
             family = binomial, data = d, method = "REML")
add_fit("D", fit_d)

# Direct calls.  X: a 60 x 6 model block; V: a full-rank covariance.
set.seed(1)
X <- matrix(rnorm(360), 60, 6)
A <- matrix(rnorm(36), 6, 6)
V <- crossprod(A) / 200 + diag(6) / 500
b <- c(0.21, -0.13, 0.08, 0.30, -0.05, 0.11)
add_case("direct rank 3.4 (k = 3, nu = 0.4)", b, X, V, 3.4)
add_case("direct rank 1.7 (k = 1, nu = 0.7)", b, X, V, 1.7)
add_case("direct rank 0.4 (k = 0, nu = 0.4)", b, X, V, 0.4)
add_case("direct rank 1 (k = 1, nu = 0)", b, X, V, 1)
add_case("direct rank 6 (full)", b, X, V, 6)
add_case("direct rank 2.000001 (nu tiny)", b, X, V, 2.000001)
add_case("direct rank 4.95 (nu near 1)", b, X, V, 4.95)
Vd <- tcrossprod(A[, 1:2]) / 200  # rank 2: testStat lowers the rank to 2
add_case("direct rank-2 V, rank 3.5", b, X, Vd, 3.5)
add_case("direct p ~ 2e-5 (Davies)", b * 0.55, X, V / 30, 3.4)
add_case("direct p ~ 1e-7 (Davies, noisy tail)", b * 0.66, X, V / 30, 3.4)
add_case("direct p ~ 1e-8 (pchisq)", b * 2.6, X, V, 6)
add_case("direct p < 1e-10 (pchisq)", b * 3, X, V, 6)
add_case("direct p ~ 1e-20 (pchisq)", b * 4, X, V, 6)
add_case("direct p = 5e-3, rank 2.5", b * 0.55, X, V / 18, 2.5)
add_case("direct p = 0 (far tail)", b * 3, X, V / 30, 3.4)
add_case("direct null (p near 1)", b * 0.01, X, V, 2.3)
add_case("direct res.df 40.3, rank 2.6", b, X, V, 2.6, 40.3)
add_case("direct res.df 200, rank 4", b, X, V, 4, 200)
add_case("direct res.df 500.5, rank 1.5", b, X, V, 1.5, 500.5)
add_case("direct res.df 25, rank 0.6", b, X, V, 0.6, 25)

psum <- list()
add_psum <- function(q, lb, df = rep(1, length(lb)), nc = rep(0, length(lb)), sigz = 0,
                     lower.tail = FALSE, nlim = 1e5) {
  p <- suppressWarnings(mgcv:::psum.chisq(q, lb, df, nc, sigz, lower.tail = lower.tail, nlim = nlim,
                                           trace = TRUE))
  psum[[length(psum) + 1]] <<- sprintf(paste0(
    '    {"q": %.17g, "lb": %s, "df": %s, "nc": %s, "sigz": %.17g, "lower_tail": %s, "nlim": %d,\n',
    '     "p": %.17g, "ifault": %d}'),
    q, num(lb), num(df), num(nc), sigz, if (lower.tail) "true" else "false", as.integer(nlim),
    as.vector(p), attr(p, "ifault"))
  cat(sprintf("psum q=%-8g r=%d p=%.10g ifault=%d\n", q, length(lb), as.vector(p), attr(p, "ifault")))
}
add_psum(3.2, c(1, 1, 1.3, 0.4))
add_psum(3.2, c(1, 1, 1.3, 0.4), lower.tail = TRUE)
add_psum(0.5, c(2.5, 0.01))
add_psum(40, c(1, 1, 1, 1.7, 0.3))
add_psum(0, c(1, 1, 1.4, 0.6, -0.08), df = c(1, 1, 1, 1, 40))
add_psum(0, c(1, 1.2, 0.8, -0.02), df = c(1, 1, 1, 300))
add_psum(2, c(0.7, -0.4, 1.9), df = c(2, 3, 1), nc = c(0.5, 0, 1.2))
add_psum(1.5, c(0.9, 0.3), sigz = 0.4)
add_psum(-1, c(1, 2))
add_psum(6, c(1, 1, 1.3, 0.4), nlim = 5)            # Davies fails: Liu et al.
add_psum(6, c(1, 1, 1.3, 0.4), nlim = 5, lower.tail = TRUE)  # Liu's upper tail regardless
add_psum(2, c(1, 1, 1, 1))                          # equal weights: still Davies

cat('{\n  "tool": "', R.version.string, ', mgcv ', as.character(packageVersion("mgcv")),
    ': mgcv:::testStat as summary.gam calls it; mgcv:::psum.chisq",\n', sep = "", file = out)
cat('  "cases": [\n', paste(unlist(cases), collapse = ",\n"), '\n  ],\n', sep = "", file = out, append = TRUE)
cat('  "psum_cases": [\n', paste(unlist(psum), collapse = ",\n"), '\n  ]\n}\n', sep = "", file = out,
    append = TRUE)
