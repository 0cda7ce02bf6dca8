# Makes the ti() basis fixtures with R (r-base-core) and mgcv 1.8-41, run from the project root:
#   Rscript tests/data/make_tensor_fixtures.R
# Not run at test time; the files it wrote are committed:
#   tests/data/tensor_curved.json   gam_curved.csv: ti(x1, x3, bs = "cr", k = c(5, 5)) and
#                                   ti(x2, x1, bs = "cr", k = c(3, 8)) (x2's blanks filled as vitals does)
#   tests/data/tensor_telco.json    Telco (all rows): ti(tenure, MonthlyCharges, bs = "cr", k = c(4, 6))
# Each case: the two training columns (as the basis sees them), mgcv's knots per margin,
# the two penalties and their S.scale, the model matrix at every stride-th training row and
# PredictMat at a grid of new points (below, at and beyond the range, at knots).
# Matrices are arrays of rows; row indices are 0-based.
suppressPackageStartupMessages(library(mgcv))
stopifnot(file.exists("datasets/telco-customer-churn.csv"), dir.exists("tests/data"))
tool <- paste0(R.version.string, ", mgcv ", packageDescription("mgcv")$Version)

jnum <- function(x) { s <- sprintf("%.17g", as.numeric(x)); s[is.na(x)] <- "null"; s }
jstr <- function(s) paste0('"', gsub('"', '\\\\"', gsub("\\\\", "\\\\\\\\", s)), '"')
jarr <- function(x, per_line = 0, indent = "") {
  v <- jnum(x)
  if (per_line <= 0 || length(v) <= per_line) return(paste0("[", paste(v, collapse = ", "), "]"))
  groups <- split(v, ceiling(seq_along(v) / per_line))
  paste0("[\n", indent, "  ", paste(vapply(groups, paste, "", collapse = ", "), collapse = paste0(",\n", indent, "  ")),
         "\n", indent, "]")
}
jrows <- function(m, indent = "") {
  m <- as.matrix(m)
  paste0("[\n", paste0(indent, "  ", apply(m, 1, jarr), collapse = ",\n"), "\n", indent, "]")
}
jobj <- function(fields, indent = "") {
  paste0("{\n", paste0(indent, "  ", jstr(names(fields)), ": ", unlist(fields), collapse = ",\n"), "\n", indent, "}")
}

tensor_case <- function(label, a, b, k, stride) {
  d <- data.frame(a = a, b = b)
  sm <- smoothCon(ti(a, b, bs = "cr", k = k), data = d, knots = NULL, absorb.cons = TRUE)[[1]]
  stopifnot(length(sm$S) == 2, ncol(sm$X) == prod(k - 1), identical(attr(sm, "qrc"), "no constraints"), sm$null.space.dim == 1)
  # the relations the C code relies on, checked here
  # cr margins are not reparameterised (cr.smooth sets noterp, so XP is empty): each margin is
  # the s(x, bs = "cr", k) basis with its sum-to-zero constraint, as smoothCon(absorb.cons = TRUE)
  # makes it, and its end knots are the column's range
  stopifnot(length(sm$XP) == 0, isTRUE(sm$margin[[1]]$noterp), isTRUE(sm$margin[[2]]$noterp))
  for (i in 1:2) {
    mg <- sm$margin[[i]]
    s1 <- smoothCon(s(x, bs = "cr", k = k[i]), data.frame(x = d[[mg$term]]), knots = NULL, absorb.cons = TRUE)[[1]]
    stopifnot(identical(mg$xp, s1$xp), max(abs(mg$X - s1$X)) == 0, max(abs(mg$S[[1]] - s1$S[[1]])) == 0)
  }
  rng <- function(x) range(x)
  grid_of <- function(x, kn) {
    r <- range(x)
    c(r[1] - 0.3 * diff(r), r[1], kn[2], (kn[2] + kn[3]) / 2, median(x), kn[length(kn) - 1], r[2],
      r[2] + 0.2 * diff(r), 3 * r[2] + 1)
  }
  ga <- grid_of(a, sm$margin[[1]]$xp)
  gb <- grid_of(b, sm$margin[[2]]$xp)
  nd <- expand.grid(a = ga, b = gb)
  P <- PredictMat(sm, nd)
  rows <- seq(1, nrow(d), by = stride)
  stopifnot(max(abs(PredictMat(sm, d[rows, ]) - sm$X[rows, ])) < 1e-12 * max(abs(sm$X)))
  ev <- vapply(1:2, function(i) eigen(sm$margin[[i]]$S[[1]], symmetric = TRUE, only.values = TRUE)$values[1], 0)
  cat(sprintf("%s: k = %d, %d; %d rows; S.scale %.10g %.10g; marginal S.scale %.10g %.10g, largest eigenvalues %.10g %.10g\n",
              label, k[1], k[2], nrow(d), sm$S.scale[1], sm$S.scale[2], sm$margin[[1]]$S.scale,
              sm$margin[[2]]$S.scale, ev[1], ev[2]))
  jobj(list(
    label = jstr(label), k = jarr(k), n = nrow(d),
    x1 = jarr(a, 20, "    "), x2 = jarr(b, 20, "    "),
    knots1 = jarr(sm$margin[[1]]$xp), knots2 = jarr(sm$margin[[2]]$xp),
    margin_S_scale = jarr(c(sm$margin[[1]]$S.scale, sm$margin[[2]]$S.scale)),
    margin_largest_eigenvalue = jarr(ev),
    S_scale = jarr(sm$S.scale),
    S1 = jrows(sm$S[[1]], "    "), S2 = jrows(sm$S[[2]], "    "),
    rank = jarr(sm$rank),
    X_rows = jarr(rows - 1, 20, "    "),
    X = jrows(sm$X[rows, , drop = FALSE], "    "),
    new_x1 = jarr(nd$a), new_x2 = jarr(nd$b),
    X_new = jrows(P, "    ")), "  ")
}

write_fixture <- function(file, cases, data_note) {
  writeLines(jobj(list(
    tool = jstr(paste0(tool, ': sm <- smoothCon(ti(x1, x2, bs = "cr", k = k), data, knots = NULL, ',
                       'absorb.cons = TRUE)[[1]]; X = sm$X, S1 = sm$S[[1]], S2 = sm$S[[2]], X_new = PredictMat(sm, new)')),
    data = jstr(data_note),
    relations = jstr(paste("checked in R: each margin is exactly smoothCon(s(x, bs = 'cr', k), absorb.cons = TRUE)'s",
                           "basis and penalty (cr sets noterp: no np reparameterisation, XP empty);",
                           "the ti term itself has no constraint (qrc 'no constraints') and a 1-dimensional null space")),
    cases = paste0("[\n  ", paste(cases, collapse = ",\n  "), "\n]"))), file.path("tests/data", file))
}

cv <- read.csv("tests/data/gam_curved.csv", na.strings = "")
present <- cv$x2[!is.na(cv$x2)]
x2_mean <- Reduce(`+`, present, 0) / length(present)   # vitals: sum in row order, / count
cv$x2[is.na(cv$x2)] <- x2_mean
write_fixture("tensor_curved.json",
              c(tensor_case("ti(x1, x3)", cv$x1, cv$x3, c(5, 5), 13),
                tensor_case("ti(x2, x1)", cv$x2, cv$x1, c(3, 8), 17)),
              paste("tests/data/gam_curved.csv, all rows in file order; blank x2 :=", sprintf("%.17g", x2_mean),
                    "(the plain mean of the present cells, as vitals imputes)"))

telco <- read.csv("datasets/telco-customer-churn.csv", na.strings = c("", " ", "NA"))
write_fixture("tensor_telco.json",
              c(tensor_case("ti(tenure, MonthlyCharges)", telco$tenure, telco$MonthlyCharges, c(4, 6), 29)),
              "datasets/telco-customer-churn.csv, all rows in file order (tenure and MonthlyCharges have no blanks)")

# ---- gam_ti_*.json: a logistic GAM with s(x1) + s(x2) + ti(x1, x2) ----
# Generated data (seed 20261204, written into the fixture): an interaction that is wiggly along
# x1 and nearly straight along x2, so REML puts ti's two smoothing parameters far apart.
#   gam_ti_fixed.json   sp fixed at c(0.5, 5, 0.02, 2000)
#   gam_ti_reml.json    sp by REML; mgcv run again converged tightly (its default stop is loose)
set.seed(20261204)
n <- 3000
x1 <- as.numeric(sprintf("%.4f", runif(n)))
x2 <- as.numeric(sprintf("%.2f", runif(n, 0, 10)))
u <- (x2 - 5) / 5
eta_true <- -0.8 + sin(2 * pi * x1) + 0.4 * u^2 + 1.5 * cos(2 * pi * x1) * (u + 0.3 * u^2)
y <- rbinom(n, 1, plogis(eta_true))
ti_data <- data.frame(x1 = x1, x2 = x2, y = y)
ti_f <- 'y ~ s(x1, bs = "cr") + s(x2, bs = "cr") + ti(x1, x2, bs = "cr", k = c(5, 5))'

# mgcv's REML score rebuilt by hand (gam.fit3, scale 1), with several penalties per term:
#   dev/2 + beta'S beta/2 + log|X'WX + S|/2 - log|S|+/2 - Mp/2 log(2 pi),
# S = sum_j sp_j S_j over every penalty, |S|+ the product of S's positive eigenvalues (rank:
# columns - Mp), Mp = 1 (intercept) + 1 per s() + 1 for ti (its null space: the product of the
# two margins' straight lines)
ti_reml_by_hand <- function(fit, sp) {
  X <- model.matrix(fit)
  beta <- coef(fit)
  S <- matrix(0, length(beta), length(beta))
  l <- 0
  for (sm in fit$smooth) {
    i <- sm$first.para:sm$last.para
    for (S_j in sm$S) { l <- l + 1; S[i, i] <- S[i, i] + sp[l] * S_j }
  }
  Mp <- 4
  ev <- eigen(S, symmetric = TRUE, only.values = TRUE)$values[seq_len(length(beta) - Mp)]
  H <- crossprod(X, fit$weights * X) + S
  fit$deviance / 2 + drop(beta %*% S %*% beta) / 2 + sum(log(diag(chol(H)))) - sum(log(ev)) / 2 - Mp / 2 * log(2 * pi)
}

ti_case <- function(file, fit_text, note) {
  fit <- eval(parse(text = fit_text))
  sp <- if (length(fit$sp) == 4) fit$sp else fit$full.sp   # with sp given, fit$sp is empty
  stopifnot(isTRUE(fit$converged), length(sp) == 4)
  # the model matrix's ti columns are smoothCon's (gam.side leaves ti alone)
  sm_ti <- smoothCon(ti(x1, x2, bs = "cr", k = c(5, 5)), ti_data, knots = NULL, absorb.cons = TRUE)[[1]]
  stopifnot(max(abs(model.matrix(fit)[, fit$smooth[[3]]$first.para:fit$smooth[[3]]$last.para] - sm_ti$X)) == 0)
  hand <- ti_reml_by_hand(fit, sp)
  if (abs(hand - fit$gcv.ubre) > 1e-8 * abs(fit$gcv.ubre))
    warning(file, ": REML by hand ", hand, " differs from mgcv's ", fit$gcv.ubre)
  st <- summary(fit)
  term_edf <- vapply(fit$smooth, function(sm) sum(fit$edf[sm$first.para:sm$last.para]), 0)
  grad <- if (is.null(fit$outer.info$grad)) NA else max(abs(fit$outer.info$grad))
  cat(sprintf("%s: sp %s; edf %s; REML %.12g (by hand %.12g); max |grad| %.3g\n", file,
              paste(sprintf("%.6g", sp), collapse = " "), paste(sprintf("%.4f", term_edf), collapse = " "),
              fit$gcv.ubre, hand, grad))
  print(round(st$s.table, 4))
  writeLines(jobj(list(
    tool = jstr(paste0(tool, ": ", fit_text)),
    note = jstr(note),
    terms = jstr(paste("s(x1, bs = 'cr', k = 10): columns 1..9; s(x2, bs = 'cr', k = 10): 10..18;",
                       "ti(x1, x2, bs = 'cr', k = c(5, 5)): 19..34 (column 0 the intercept);",
                       "sp: s(x1), s(x2), ti's S_1 (along x1), ti's S_2 (along x2)")),
    n = n,
    x1 = jarr(x1, 20, "  "), x2 = jarr(x2, 20, "  "), y = jarr(y, 40, "  "),
    sp = jarr(sp),
    reml = jnum(fit$gcv.ubre),
    reml_gradient = if (is.null(fit$outer.info$grad)) "null" else jarr(fit$outer.info$grad),
    deviance = jnum(fit$deviance),
    term_edf = jarr(term_edf),
    term_edf1 = jarr(vapply(fit$smooth, function(sm) sum(fit$edf1[sm$first.para:sm$last.para]), 0)),
    s_table = jarr(as.vector(t(st$s.table))),
    coefficients = jarr(coef(fit)),
    linear_predictor = jarr(fit$linear.predictors, 5, "  "))), file.path("tests/data", file))
}
ti_case("gam_ti_fixed.json",
        paste0("gam(", ti_f, ', family = binomial, data = ti_data, method = "REML", sp = c(0.5, 5, 0.02, 2000), ',
               "control = gam.control(epsilon = 1e-12))"),
        "sp fixed; generated data (x1, x2, y) in the fixture")
ti_case("gam_ti_reml.json",
        paste0("gam(", ti_f, ', family = binomial, data = ti_data, method = "REML", ',
               "control = gam.control(epsilon = 1e-12, newton = list(conv.tol = 1e-10)))"),
        "sp by REML, converged tightly; generated data (x1, x2, y) in the fixture")
