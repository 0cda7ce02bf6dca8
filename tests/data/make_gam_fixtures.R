# Makes the GAM fixtures with R (r-base-core) and mgcv 1.8-41, run from the project root:
#   Rscript tests/data/make_gam_fixtures.R
# Not run at test time; the files it wrote are committed:
#   tests/data/gam_curved.csv             generated data (seed 20261203): curved effects, 3% of x2 blank
#   tests/data/gam_telco_fixed.json       Telco, 3 cr smooths, sp fixed
#   tests/data/gam_telco_reml.json        Telco, 3 cr smooths, sp by REML
#   tests/data/gam_curved_fixed.json      gam_curved.csv, sp fixed
#   tests/data/gam_curved_reml.json       gam_curved.csv, sp by REML
#   tests/data/gam_curved_weighted_reml.json  the same with weights = w
#   tests/data/gam_basis.json             smoothCon / PredictMat / F of s(x, bs = "cr") alone
# Factor levels are in byte order (vitals' baseline is the first level in byte order).
# gam_curved: x2 is imputed as vitals does (the plain mean of the present cells, summed in
# row order in doubles, plus a 0/1 x2_missing term), then fitted from the CSV as written.
# Matrices are written as arrays of rows, except F (see gam_basis.json's "F_order").
suppressPackageStartupMessages(library(mgcv))
stopifnot(file.exists("datasets/telco-customer-churn.csv"), dir.exists("tests/data"))
tool <- paste0(R.version.string, ", mgcv ", packageDescription("mgcv")$Version)

# ---- JSON by hand: %.17g round-trips every double ----
jnum <- function(x) { s <- sprintf("%.17g", as.numeric(x)); s[is.na(x)] <- "null"; s }
jstr <- function(s) paste0('"', gsub('"', '\\\\"', gsub("\\\\", "\\\\\\\\", s)), '"')
jarr <- function(x, per_line = 0, indent = "") {
  v <- jnum(x)
  if (per_line <= 0 || length(v) <= per_line) return(paste0("[", paste(v, collapse = ", "), "]"))
  groups <- split(v, ceiling(seq_along(v) / per_line))
  paste0("[\n", indent, "  ", paste(vapply(groups, paste, "", collapse = ", "), collapse = paste0(",\n", indent, "  ")),
         "\n", indent, "]")
}
jsarr <- function(s) paste0("[", paste(jstr(s), collapse = ", "), "]")
jrows <- function(m, indent = "") {
  m <- as.matrix(m)
  paste0("[\n", paste0(indent, "  ", apply(m, 1, jarr), collapse = ",\n"), "\n", indent, "]")
}
jobj <- function(fields, indent = "") {
  paste0("{\n", paste0(indent, "  ", jstr(names(fields)), ": ", unlist(fields), collapse = ",\n"), "\n", indent, "}")
}
byte_factor <- function(x) factor(x, levels = sort(unique(x), method = "radix"))

# ---- 1. gam_curved.csv ----
# Every number is formatted first and the model is computed from the parsed text, so the
# CSV holds exactly the values R used.
set.seed(20261203)
n <- 4000
plan <- sample(c("basic", "plus", "pro"), n, replace = TRUE, prob = c(0.5, 0.3, 0.2))
z_s <- sprintf("%.4f", rnorm(n))
x1_s <- sprintf("%.4f", runif(n))                 # active-user ratio
x2_s <- sprintf("%.1f", runif(n, 0, 120))         # days since contact
x3_s <- sprintf("%.2f", rexp(n, 1 / 20))          # logins, skewed
w_s <- sprintf("%.3f", runif(n, 0.5, 2))          # row weight
z <- as.numeric(z_s); x1 <- as.numeric(x1_s); x2 <- as.numeric(x2_s); x3 <- as.numeric(x3_s)
# truth: steep risk below x1 = 0.5, flat above 0.8; a U in x2; a saturating fall in x3
f1 <- 6 * pmax(0, 0.5 - x1) + 2 * pmax(0, 0.8 - x1)^2
f2 <- ((x2 - 60) / 40)^2
f3 <- -1.2 * (1 - exp(-x3 / 15))
eta <- -1.5 + f1 + f2 + f3 + c(basic = 0, plus = -0.4, pro = -0.8)[plan] + 0.3 * z
churned <- rbinom(n, 1, plogis(eta))
x2_s[runif(n) < 0.03] <- ""                       # about 3% of x2 blank (missing at random)
writeLines(c("id,plan,z,x1,x2,x3,w,churned",
             paste(seq_len(n), plan, z_s, x1_s, x2_s, x3_s, w_s, churned, sep = ",")),
           "tests/data/gam_curved.csv")

# ---- data as the fits see it ----
telco <- read.csv("datasets/telco-customer-churn.csv", na.strings = c("", " ", "NA"))
telco_rows <- nrow(telco)
telco$customerID <- NULL
telco <- na.omit(telco)
for (v in names(telco)) if (is.character(telco[[v]])) telco[[v]] <- byte_factor(telco[[v]])
telco$Churn <- as.numeric(telco$Churn == "Yes")

cv <- read.csv("tests/data/gam_curved.csv", na.strings = "")
stopifnot(nrow(cv) == n, identical(cv$x1, x1), identical(cv$x3, x3), identical(cv$z, z))
cv$plan <- byte_factor(cv$plan)
present <- cv$x2[!is.na(cv$x2)]
x2_mean <- Reduce(`+`, present, 0) / length(present)   # vitals: sum in row order, / count
cv$x2_missing <- as.numeric(is.na(cv$x2))
cv$x2[is.na(cv$x2)] <- x2_mean

# ---- fits ----
check_fit <- function(fit, name, reml) {
  if (!isTRUE(fit$converged)) stop(name, ": the inner IRLS did not converge")
  if (reml && !identical(fit$outer.info$conv, "full convergence"))
    warning(name, ": outer REML iteration: ", fit$outer.info$conv)
}

# mgcv's REML score (gam.fit3, scale 1) rebuilt by hand, to state its definition:
#   dev/2 + beta' S beta / 2 - ls + log|X'WX + S| / 2 - log|S|+ / 2 - Mp/2 log(2 pi),
# S = sum_j sp_j S_j (S_j the scaled, constrained penalties), |S|+ the product of its
# positive eigenvalues, W the working weights at convergence, Mp the columns outside every
# penalty's range (the parametric columns + one per cr smooth), ls = binomial()$ls = 0 for 0/1 y.
reml_by_hand <- function(fit, sp) {
  X <- model.matrix(fit)
  beta <- coef(fit)
  S <- matrix(0, length(beta), length(beta))
  ldetS <- 0
  rank <- 0
  for (j in seq_along(fit$smooth)) {
    sm <- fit$smooth[[j]]
    i <- sm$first.para:sm$last.para
    S[i, i] <- sp[j] * sm$S[[1]]
    ev <- eigen(sm$S[[1]], symmetric = TRUE, only.values = TRUE)$values[seq_len(sm$rank)]
    ldetS <- ldetS + sm$rank * log(sp[j]) + sum(log(ev))
    rank <- rank + sm$rank
  }
  Mp <- length(beta) - rank
  H <- crossprod(X, fit$weights * X) + S
  ldetH <- 2 * sum(log(diag(chol(H))))
  fit$deviance / 2 + drop(beta %*% S %*% beta) / 2 + ldetH / 2 - ldetS / 2 - Mp / 2 * log(2 * pi)
}

newdata_json <- function(nd) {
  cols <- lapply(nd, function(col) if (is.factor(col) || is.character(col)) jsarr(as.character(col)) else jarr(col))
  jobj(cols, "  ")
}

write_case <- function(file, fit_text, data, sp_fixed, vitals_cmd, nd, note) {
  fit <- eval(parse(text = fit_text))
  reml <- is.null(sp_fixed)
  check_fit(fit, file, reml)
  sp <- if (reml) unname(fit$sp) else sp_fixed
  hand <- reml_by_hand(fit, sp)
  if (abs(hand - fit$gcv.ubre) > 1e-8 * abs(fit$gcv.ubre))
    warning(file, ": REML by hand ", hand, " differs from mgcv's ", fit$gcv.ubre)
  st <- summary(fit)
  pt <- st$p.table
  s_tab <- st$s.table
  parametric <- sprintf('    {"term": %s, "estimate": %s, "std_error": %s, "z_value": %s, "p_value": %s}',
                        jstr(rownames(pt)), jnum(pt[, 1]), jnum(pt[, 2]), jnum(pt[, 3]), jnum(pt[, 4]))
  smooths <- vapply(seq_along(fit$smooth), function(j) {
    sm <- fit$smooth[[j]]
    i <- sm$first.para:sm$last.para
    jobj(list(column = jstr(sm$term), label = jstr(sm$label), k = sm$bs.dim, knots = jarr(sm$xp),
              S_scale = jnum(sm$S.scale), sp = jnum(sp[j]), edf = jnum(sum(fit$edf[i])), edf1 = jnum(sum(fit$edf1[i])),
              ref_df = jnum(s_tab[j, "Ref.df"]), chi_sq = jnum(s_tab[j, "Chi.sq"]), p_value = jnum(s_tab[j, "p-value"]),
              first_para = sm$first.para, last_para = sm$last.para, coefficients = jarr(coef(fit)[i])), "    ")
  }, "")
  pr <- predict(fit, nd, type = "link", se.fit = TRUE)
  tight <- "null"
  tight_msg <- ""
  if (reml) {
    # mgcv's default outer stop leaves |REML gradient| ~ 1e-4 (sp to ~1e-3 relative): the same
    # fit converged hard, for comparing an optimiser that stops nearer the optimum
    tight_text <- sub(")$", ", control = gam.control(epsilon = 1e-12, newton = list(conv.tol = 1e-10)))", fit_text)
    tf <- eval(parse(text = tight_text))
    check_fit(tf, paste(file, "(tight)"), TRUE)
    tight <- jobj(list(
      call = jstr(tight_text), sp = jarr(tf$sp), reml = jnum(tf$gcv.ubre), reml_gradient = jarr(tf$outer.info$grad),
      outer_iterations = tf$outer.info$iter, outer_convergence = jstr(tf$outer.info$conv), deviance = jnum(tf$deviance), edf_total = jnum(sum(tf$edf)),
      smooth_edf = jarr(vapply(tf$smooth, function(sm) sum(tf$edf[sm$first.para:sm$last.para]), 0)),
      coefficient_names = jsarr(names(coef(tf))), coefficients = jarr(coef(tf)),
      newdata_linear_predictor = jarr(predict(tf, nd, type = "link")),
      linear_predictor = jarr(tf$linear.predictors),
      s_table = jarr(as.vector(t(summary(tf)$s.table)))), "  ")
    tight_msg <- sprintf("tight: sp %s, REML %.12g, max |grad| %.3g; default sp / tight sp - 1: %s\n",
                paste(sprintf("%.10g", tf$sp), collapse = " "), tf$gcv.ubre, max(abs(tf$outer.info$grad)),
                paste(sprintf("%.2g", fit$sp / tf$sp - 1), collapse = " "))
  }
  fields <- list(
    tool = jstr(paste0(tool, ": ", fit_text)),
    formula = jstr(paste(deparse(formula(fit), width.cutoff = 500), collapse = " ")),
    vitals_command = jstr(vitals_cmd),
    note = jstr(note),
    sp_fixed = if (reml) "null" else jarr(sp_fixed),
    n = nrow(data),
    deviance = jnum(fit$deviance),
    null_deviance = jnum(fit$null.deviance),
    reml = jnum(fit$gcv.ubre),
    reml_definition = jstr(paste("mgcv gcv.ubre (method REML, scale 1): dev/2 + beta'S beta/2 + log|X'WX+S|/2",
                                 "- log|S|+/2 - Mp/2 log(2 pi), S = sum sp_j S_j (scaled constrained penalties),",
                                 "W the working weights at convergence, Mp = columns - sum of penalty ranks;",
                                 sprintf("rebuilt by hand in R: %.17g", hand))),
    edf_total = jnum(sum(fit$edf)),
    outer_iterations = if (reml) fit$outer.info$iter else "null",
    outer_convergence = if (reml) jstr(fit$outer.info$conv) else "null",
    reml_gradient = if (reml) jarr(fit$outer.info$grad) else "null",
    inner_iterations = fit$iter,
    parametric = paste0("[\n", paste(parametric, collapse = ",\n"), "\n  ]"),
    smooths = paste0("[\n    ", paste(smooths, collapse = ",\n    "), "\n  ]"),
    linear_predictor = jarr(fit$linear.predictors, 5, "  "),
    newdata = newdata_json(nd),
    newdata_linear_predictor = jarr(pr$fit),
    newdata_se_fit = jarr(pr$se.fit),
    tight_fit = tight)
  writeLines(jobj(fields), file.path("tests/data", file))
  cat(sprintf("\n==== %s  (%s)\n", file, fit_text))
  cat(sprintf("n %d, deviance %.10g, null deviance %.10g, REML %.12g (by hand %.12g), edf %.6g, inner iter %d",
              nrow(data), fit$deviance, fit$null.deviance, fit$gcv.ubre, hand, sum(fit$edf), fit$iter))
  if (reml) cat(sprintf(", outer %s after %d iterations, max |grad| %.3g", fit$outer.info$conv,
                        fit$outer.info$iter, max(abs(fit$outer.info$grad))))
  cat("\nsp:", sprintf("%s=%.10g", vapply(fit$smooth, `[[`, "", "term"), sp), "\n")
  print(round(s_tab, 4))
  if (reml) cat(tight_msg)
  invisible(fit)
}
# warnings of a case are collected and printed once each, with their count
write_case_quietly <- function(...) {
  seen <- character(0)
  withCallingHandlers(write_case(...), warning = function(w) {
    seen <<- c(seen, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  for (m in unique(seen)) cat(sprintf("warning (x%d): %s\n", sum(seen == m), m))
}

# newdata: every covariate, below the minimum, at the minimum, at knots, typical, at the
# maximum and above 3 x the maximum (the smooths' knots come from a first fit)
pick_knots <- function(fit, term, which) fit$smooth[[which(vapply(fit$smooth, `[[`, "", "term") == term)]]$xp[which]

telco_f <- paste("Churn ~ SeniorCitizen + Contract + InternetService + PaymentMethod + PaperlessBilling +",
                 's(tenure, bs = "cr", k = 10) + s(MonthlyCharges, bs = "cr", k = 10) + s(TotalCharges, bs = "cr", k = 10)')
telco_reml_text <- paste0("gam(", telco_f, ', family = binomial, data = telco, method = "REML")')
telco_sp <- c(30, 300, 3000)
telco_fixed_text <- paste0("gam(", telco_f, ', family = binomial, data = telco, method = "REML", sp = c(30, 300, 3000), control = gam.control(epsilon = 1e-12))')
telco_drop <- "gender,Partner,Dependents,PhoneService,MultipleLines,OnlineSecurity,OnlineBackup,DeviceProtection,TechSupport,StreamingTV,StreamingMovies"
telco_cmd <- paste("vitals train datasets/telco-customer-churn.csv --churn Churn --id customerID --missing drop --drop",
                   telco_drop, "--smooth tenure,MonthlyCharges,TotalCharges")
telco_note <- sprintf(paste("datasets/telco-customer-churn.csv read with na.strings = c('', ' ', 'NA'), customerID dropped,",
                            "na.omit (%d of %d rows kept, file order), factor levels in byte order, Churn Yes = 1"),
                      nrow(telco), telco_rows)

probe <- eval(parse(text = telco_reml_text))
rng <- function(v) range(telco[[v]])
telco_nd <- data.frame(
  SeniorCitizen = c(0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1),
  Contract = factor(levels(telco$Contract)[c(1, 2, 3, 1, 1, 2, 3, 1, 2, 1, 3, 1)], levels = levels(telco$Contract)),
  InternetService = factor(levels(telco$InternetService)[c(1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 1, 3)],
                           levels = levels(telco$InternetService)),
  PaymentMethod = factor(levels(telco$PaymentMethod)[c(1, 2, 3, 4, 3, 1, 2, 3, 4, 3, 2, 4)],
                         levels = levels(telco$PaymentMethod)),
  PaperlessBilling = factor(levels(telco$PaperlessBilling)[c(1, 2, 2, 1, 2, 1, 2, 2, 1, 2, 1, 2)],
                            levels = levels(telco$PaperlessBilling)),
  tenure = c(-5, 0, rng("tenure")[1], pick_knots(probe, "tenure", 2), pick_knots(probe, "tenure", 5), 12, 29,
             pick_knots(probe, "tenure", 9), 55.5, rng("tenure")[2], 100, 3 * rng("tenure")[2] + 1),
  MonthlyCharges = c(5, rng("MonthlyCharges")[1], pick_knots(probe, "MonthlyCharges", 2), 20.05, 45,
                     pick_knots(probe, "MonthlyCharges", 5), 70.35, pick_knots(probe, "MonthlyCharges", 9), 99.9,
                     rng("MonthlyCharges")[2], 250, 3 * rng("MonthlyCharges")[2] + 1),
  TotalCharges = c(0, 15, rng("TotalCharges")[1], pick_knots(probe, "TotalCharges", 2), 400,
                   pick_knots(probe, "TotalCharges", 5), 1397.475, 3500, pick_knots(probe, "TotalCharges", 9),
                   rng("TotalCharges")[2], 3 * rng("TotalCharges")[2] + 1, -100))

write_case_quietly("gam_telco_fixed.json", telco_fixed_text, telco, telco_sp,
           paste(telco_cmd, "--sp tenure=30,MonthlyCharges=300,TotalCharges=3000"), telco_nd, telco_note)
write_case_quietly("gam_telco_reml.json", telco_reml_text, telco, NULL, telco_cmd, telco_nd, telco_note)

cv_f <- paste('churned ~ plan + z + x2_missing + s(x1, bs = "cr", k = 10) + s(x2, bs = "cr", k = 8) +',
              's(x3, bs = "cr", k = 10)')
cv_reml_text <- paste0("gam(", cv_f, ', family = binomial, data = cv, method = "REML")')
cv_sp <- c(0.01, 1, 100)
cv_fixed_text <- paste0("gam(", cv_f, ', family = binomial, data = cv, method = "REML", sp = c(0.01, 1, 100), control = gam.control(epsilon = 1e-12))')
cv_w_text <- paste0("gam(", cv_f, ', family = binomial, data = cv, weights = w, method = "REML")')
cv_cmd <- "vitals train tests/data/gam_curved.csv --churn churned --id id --smooth x1:10,x2:8,x3:10"
cv_note <- sprintf(paste("tests/data/gam_curved.csv, all %d rows in file order; plan levels in byte order;",
                         "blank x2 (%d cells) := %.17g, the plain mean of the %d present cells (R's mean(): %.17g),",
                         "and x2_missing = 1 there"),
                   n, sum(cv$x2_missing), x2_mean, length(present), mean(present))

probe <- eval(parse(text = cv_reml_text))
crng <- function(v) range(cv[[v]])
cv_nd <- data.frame(
  plan = factor(levels(cv$plan)[c(1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3)], levels = levels(cv$plan)),
  z = c(-3, -1.5, -0.25, 0, 0.1234, 0.5, 1, 1.5, 2, 2.5, -0.7, 3.2),
  x2_missing = c(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0),
  x1 = c(-0.2, crng("x1")[1], pick_knots(probe, "x1", 2), 0.25, x1[1], pick_knots(probe, "x1", 5), 0.5,
         0.8, pick_knots(probe, "x1", 9), crng("x1")[2], 1.5, 3 * crng("x1")[2] + 0.01),
  x2 = c(-10, crng("x2")[1], 15.5, pick_knots(probe, "x2", 2), x2_mean, pick_knots(probe, "x2", 4), 60,
         pick_knots(probe, "x2", 7), 110.1, crng("x2")[2], 3 * crng("x2")[2] + 1, 200),
  x3 = c(-5, crng("x3")[1], pick_knots(probe, "x3", 2), 3.3, 9.99, pick_knots(probe, "x3", 5), 20,
         pick_knots(probe, "x3", 9), 75.25, crng("x3")[2], 3 * crng("x3")[2] + 1, 1000))

write_case_quietly("gam_curved_fixed.json", cv_fixed_text, cv, cv_sp, paste(cv_cmd, "--drop w --sp x1=0.01,x2=1,x3=100"),
           cv_nd, cv_note)
write_case_quietly("gam_curved_reml.json", cv_reml_text, cv, NULL, paste(cv_cmd, "--drop w"), cv_nd, cv_note)
write_case_quietly("gam_curved_weighted_reml.json", cv_w_text, cv, NULL, paste(cv_cmd, "--weight w"), cv_nd,
           paste(cv_note, "; prior weights w (not a covariate); x2's fill is the unweighted mean, as vitals'"))

# ---- 3. gam_basis.json: the cr basis alone ----
basis_case <- function(label, x, K) {
  d <- data.frame(x = x)
  sm <- smoothCon(s(x, bs = "cr", k = K), data = d, knots = NULL, absorb.cons = TRUE, scale.penalty = TRUE)[[1]]
  sm0 <- smooth.construct(s(x, bs = "cr", k = K), d, NULL)
  kn <- sm$xp
  u <- sort(unique(x))
  t <- 1 + (length(u) - 1) * ((0:(K - 1)) * (1 / (K - 1)))
  lo <- floor(t)
  h <- t - lo
  by_hand <- ifelse(h == 0, u[lo], (1 - h) * u[lo] + h * u[pmin(lo + 1, length(u))])
  stopifnot(identical(kn, sm0$xp), identical(unname(kn), unname(quantile(unique(x), seq(0, 1, length = K)))),
            identical(unname(kn), by_hand))
  v <- c(min(x) - 0.25 * diff(range(x)), min(x), kn[2], (kn[2] + kn[3]) / 2, kn[ceiling(K / 2)],
         (kn[K - 1] * 2 + kn[K]) / 3, kn[K - 1], max(x), max(x) + 0.1 * diff(range(x)), 3 * max(x) + 1)
  X <- PredictMat(sm, data.frame(x = v))
  X0 <- Predict.matrix(sm0, data.frame(x = v))
  qrc <- attr(sm, "qrc")
  # check the stated relations: constrained = (Householder Q' u)[-1], S.scale = ||S0||_1 / ||X0||_inf^2,
  # S = Z' S0 Z / S.scale
  Z <- qr.Q(qrc, complete = TRUE)[, -1]
  stopifnot(max(abs(X - X0 %*% Z)) < 1e-12,
            abs(sm$S.scale - norm(sm0$S[[1]], "O") / norm(sm0$X, "I")^2) < 1e-12 * sm$S.scale,
            max(abs(sm$S[[1]] - t(Z) %*% sm0$S[[1]] %*% Z / sm$S.scale)) < 1e-9 * max(abs(sm$S[[1]])))
  # F: sm0$F read row by row maps the knot values to the second derivatives at the knots
  # (rows 1 and K zero); checked by central differences of the spline through random knot values
  Fm <- matrix(sm0$F, K, K, byrow = TRUE)
  b <- sin(seq_len(K) * 1.7)
  spline_at <- function(t) drop(Predict.matrix(sm0, data.frame(x = t)) %*% b)
  h <- 1e-4 * min(diff(kn))
  d2 <- vapply(kn[2:(K - 1)], function(t) (spline_at(t + h) - 2 * spline_at(t) + spline_at(t - h)) / h^2, 0)
  stopifnot(all(Fm[1, ] == 0), all(Fm[K, ] == 0),
            max(abs(d2 - (Fm %*% b)[2:(K - 1)])) < 1e-3 * max(abs(Fm %*% b)))
  cat(sprintf("basis %s k=%d: knots %s; S.scale %.10g\n", label, K, paste(signif(kn, 6), collapse = " "), sm$S.scale))
  jobj(list(
    column = jstr(label), k = K, n = length(x), knots = jarr(kn), S_scale = jnum(sm$S.scale),
    column_sums = jarr(colSums(sm0$X)), max_abs_row_sum = jnum(norm(sm0$X, "I")),
    qrc_qr = jarr(qrc$qr), qrc_qraux = jnum(qrc$qraux),
    F = jarr(sm0$F),
    S_unconstrained = jrows(sm0$S[[1]], "    "),
    S = jrows(sm$S[[1]], "    "),
    x = jarr(v),
    X_constrained = jrows(X, "    "),
    X_unconstrained = jrows(X0, "    ")), "  ")
}
cases <- c(basis_case("tenure", telco$tenure, 10), basis_case("tenure", telco$tenure, 5),
           basis_case("x3", cv$x3, 10), basis_case("x3", cv$x3, 5))
writeLines(jobj(list(
  tool = jstr(paste0(tool, ': sm <- smoothCon(s(x, bs = "cr", k = K), data.frame(x = col), knots = NULL, ',
                     'absorb.cons = TRUE, scale.penalty = TRUE)[[1]]; sm0 <- smooth.construct(s(x, bs = "cr", k = K), ',
                     'data.frame(x = col), NULL); X_constrained = PredictMat(sm, data.frame(x = x)), ',
                     'X_unconstrained = Predict.matrix(sm0, data.frame(x = x))')),
  data = jstr(paste("tenure: datasets/telco-customer-churn.csv after na.omit (the rows of gam_telco_*.json);",
                    "x3: tests/data/gam_curved.csv, all rows")),
  F_order = jstr(paste("F is sm0$F exactly as mgcv stores it (crspl's output), a flat K x K array that is",
                       "row-major for the map from knot values to second derivatives: element [K i + j] (0-based)",
                       "is d2 s(knot i) / d (value at knot j); rows 0 and K-1 are zero (natural spline).",
                       "R's matrix(sm0$F, K, K) is its transpose (zero first and last columns).",
                       "S, S_unconstrained, X_* are arrays of rows.")),
  relations = jstr(paste("checked in R: knots = quantile(unique(col), seq(0, 1, length = K)) (type 7), which is",
                         "bit for bit, with u = sort(unique(col)), n = length(u), p_i = i * (1 / (K - 1)),",
                         "t = 1 + (n - 1) p_i, lo = floor(t), h = t - lo: u[lo] if h = 0, else (1 - h) u[lo] + h u[lo + 1];",
                         "S_unconstrained = sm0$S[[1]] (symmetrised, unscaled);",
                         "S_scale = norm(S_unconstrained, 'O') / norm(sm0$X, 'I')^2 over the data rows;",
                         "qrc = qr(t(column_sums)) (LINPACK dqrdc2), Z = qr.Q(qrc, complete = TRUE)[, -1];",
                         "X_constrained = X_unconstrained Z; S = Z' S_unconstrained Z / S_scale")),
  cases = paste0("[\n  ", paste(cases, collapse = ",\n  "), "\n]"))), "tests/data/gam_basis.json")
