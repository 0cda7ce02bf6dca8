# Makes the fixtures of a ti() pair trained from the command line (--interact A:B of two
# --smooth columns), with R and mgcv 1.8-41, run from the project root:
#   Rscript tests/data/make_gam_ti_cli_fixtures.R
# Not run at test time; the files it wrote are committed:
#   tests/data/gam_ti_cli_reml.json     gam_curved.csv, s(x1) + s(x2) + s(x3) + ti(x1, x2), every sp by REML
#   tests/data/gam_ti_cli_sp_reml.json  the same with the s() sps fixed (--sp), the ti's two by REML
# No fixture with every sp fixed: vitals has no --sp form for a pair (its two sps are always
# chosen by REML), so mgcv's sp = c(0.01, 1, 100, -1, -1) is the nearest (-1: estimate).
# The pair is x1:x2 so that x2's imputed cells (the plain mean, as vitals fills them) are inside
# a ti margin too: its knots come from the distinct values after imputation, as mgcv's do here.
# The writing helpers are make_gam_fixtures.R's (its function definitions only are evaluated);
# write_case there knows one penalty per smooth, so a ti-aware writer is defined here.
# Fixture layout as gam_curved_*.json, except:
#   smooths: one entry per mgcv term (summary.gam's row), in vitals' order (s(COL) in column
#     order, then the pairs); a ti's entry has columns, penalties = 2, k and margin_knots per
#     margin, S_scale and sp as arrays of its two penalties (S_1 = margin 1's penalty (x) I);
#   sp_fixed, tight_fit$sp: one per penalty (mgcv's fit$full.sp order = vitals' entries), null
#     for a REML-chosen sp in sp_fixed; tight_fit$smooth_edf, s_table: one per term.
suppressPackageStartupMessages(library(mgcv))
stopifnot(file.exists("tests/data/gam_curved.csv"))
tool <- paste0(R.version.string, ", mgcv ", packageDescription("mgcv")$Version)
for (e in parse("tests/data/make_gam_fixtures.R"))
  if (is.call(e) && identical(e[[1]], as.name("<-")) && is.call(e[[3]]) && identical(e[[3]][[1]], as.name("function")))
    eval(e)

cv <- read.csv("tests/data/gam_curved.csv", na.strings = "")
n <- nrow(cv)
cv$plan <- byte_factor(cv$plan)
present <- cv$x2[!is.na(cv$x2)]
x2_mean <- Reduce(`+`, present, 0) / length(present)   # vitals: sum in row order, / count
cv$x2_missing <- as.numeric(is.na(cv$x2))
cv$x2[is.na(cv$x2)] <- x2_mean

# mgcv's REML score rebuilt by hand (as make_gam_fixtures.R's reml_by_hand), a term's
# penalties summed first: log|S|+ of a ti block is that of sp_1 S_1 + sp_2 S_2 (rank
# columns - 1), not a sum over its penalties.
reml_by_hand_ti <- function(fit, sp) {
  X <- model.matrix(fit)
  beta <- coef(fit)
  S <- matrix(0, length(beta), length(beta))
  ldetS <- 0
  rank <- 0
  for (sm in fit$smooth) {
    i <- sm$first.para:sm$last.para
    block <- Reduce(`+`, Map(`*`, sp[sm$first.sp:sm$last.sp], sm$S))
    S[i, i] <- block
    r <- length(i) - sm$null.space.dim
    ldetS <- ldetS + sum(log(eigen(block, symmetric = TRUE, only.values = TRUE)$values[seq_len(r)]))
    rank <- rank + r
  }
  Mp <- length(beta) - rank
  H <- crossprod(X, fit$weights * X) + S
  fit$deviance / 2 + drop(beta %*% S %*% beta) / 2 + sum(log(diag(chol(H)))) - ldetS / 2 - Mp / 2 * log(2 * pi)
}

# every penalty's sp: full.sp when some were fixed (sp holds the estimated ones only then)
all_sp <- function(fit) if (is.null(fit$full.sp)) fit$sp else fit$full.sp

out_dir <- "tests/data"
write_ti_case <- function(file, fit_text, data, sp_fixed, vitals_cmd, nd, note) {
  fit <- eval(parse(text = fit_text))
  reml <- is.null(sp_fixed) || any(sp_fixed < 0)  # some sp chosen by REML
  check_fit(fit, file, reml)
  sp <- unname(all_sp(fit))
  stopifnot(length(sp) == sum(vapply(fit$smooth, function(sm) length(sm$S), 0)))
  hand <- reml_by_hand_ti(fit, sp)
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
    common <- list(ref_df = jnum(s_tab[j, "Ref.df"]), chi_sq = jnum(s_tab[j, "Chi.sq"]), p_value = jnum(s_tab[j, "p-value"]),
                   first_para = sm$first.para, last_para = sm$last.para, coefficients = jarr(coef(fit)[i]))
    if (inherits(sm, "tensor.smooth")) {
      margins <- sm$margin
      jobj(c(list(column = jstr(sm$term[1]), columns = jsarr(sm$term), label = jstr(sm$label), penalties = length(sm$S),
                  k = jarr(vapply(margins, `[[`, 0, "bs.dim")),
                  margin_knots = paste0("[", paste(vapply(margins, function(m) jarr(m$xp), ""), collapse = ", "), "]"),
                  S_scale = jarr(sm$S.scale), sp = jarr(sp[sm$first.sp:sm$last.sp]),
                  edf = jnum(sum(fit$edf[i])), edf1 = jnum(sum(fit$edf1[i]))), common), "    ")
    } else {
      jobj(c(list(column = jstr(sm$term), label = jstr(sm$label), penalties = 1, k = sm$bs.dim, knots = jarr(sm$xp),
                  S_scale = jnum(sm$S.scale), sp = jnum(sp[sm$first.sp]),
                  edf = jnum(sum(fit$edf[i])), edf1 = jnum(sum(fit$edf1[i]))), common), "    ")
    }
  }, "")
  pr <- predict(fit, nd, type = "link", se.fit = TRUE)
  tight <- "null"
  if (reml) {
    # mgcv's default outer stop leaves |REML gradient| ~ 1e-4 (sp to ~1e-3 relative): the same
    # fit converged hard, for comparing an optimiser that stops nearer the optimum
    tight_text <- sub(")$", ", control = gam.control(epsilon = 1e-12, newton = list(conv.tol = 1e-10)))", fit_text)
    tf <- eval(parse(text = tight_text))
    check_fit(tf, paste(file, "(tight)"), TRUE)
    tight <- jobj(list(
      call = jstr(tight_text), sp = jarr(all_sp(tf)), reml = jnum(tf$gcv.ubre), reml_gradient = jarr(tf$outer.info$grad),
      outer_iterations = tf$outer.info$iter, outer_convergence = jstr(tf$outer.info$conv), deviance = jnum(tf$deviance),
      edf_total = jnum(sum(tf$edf)),
      smooth_edf = jarr(vapply(tf$smooth, function(sm) sum(tf$edf[sm$first.para:sm$last.para]), 0)),
      coefficient_names = jsarr(names(coef(tf))), coefficients = jarr(coef(tf)),
      newdata_linear_predictor = jarr(predict(tf, nd, type = "link")),
      linear_predictor = jarr(tf$linear.predictors),
      s_table = jarr(as.vector(t(summary(tf)$s.table)))), "  ")
  }
  fields <- list(
    tool = jstr(paste0(tool, ": ", fit_text)),
    formula = jstr(paste(deparse(formula(fit), width.cutoff = 500), collapse = " ")),
    vitals_command = jstr(vitals_cmd),
    note = jstr(note),
    sp_fixed = if (is.null(sp_fixed)) "null" else jarr(ifelse(sp_fixed < 0, NA, sp_fixed)),
    sp_labels = jsarr(names(all_sp(fit))),
    n = nrow(data),
    deviance = jnum(fit$deviance),
    null_deviance = jnum(fit$null.deviance),
    reml = jnum(fit$gcv.ubre),
    reml_definition = jstr(paste("mgcv gcv.ubre (method REML, scale 1): dev/2 + beta'S beta/2 + log|X'WX+S|/2",
                                 "- log|S|+/2 - Mp/2 log(2 pi), S = sum sp_j S_j (scaled constrained penalties; a ti's",
                                 "two summed in its block before log|.|+), W the working weights at convergence,",
                                 "Mp = columns - sum of the terms' penalty ranks;",
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
  writeLines(jobj(fields), file.path(out_dir, file))
  cat(sprintf("\n==== %s  (%s)\n", file, fit_text))
  cat(sprintf("n %d, deviance %.10g, null deviance %.10g, REML %.12g (by hand %.12g), edf %.6g, inner iter %d",
              nrow(data), fit$deviance, fit$null.deviance, fit$gcv.ubre, hand, sum(fit$edf), fit$iter))
  if (reml) cat(sprintf(", outer %s after %d iterations, max |grad| %.3g", fit$outer.info$conv,
                        fit$outer.info$iter, max(abs(fit$outer.info$grad))))
  cat("\n")
  cat("sp:", sprintf("%s=%.10g", names(all_sp(fit)), sp), "\n")
  print(round(s_tab, 4))
  if (reml) cat(sprintf("tight: sp %s, REML %.12g, max |grad| %.3g; default sp / tight sp - 1: %s\n",
              paste(sprintf("%.10g", all_sp(tf)), collapse = " "), tf$gcv.ubre, max(abs(tf$outer.info$grad)),
              paste(sprintf("%.2g", all_sp(fit) / all_sp(tf) - 1), collapse = " ")))
  invisible(fit)
}
write_ti_case_quietly <- function(...) {
  seen <- character(0)
  withCallingHandlers(write_ti_case(...), warning = function(w) {
    seen <<- c(seen, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  for (m in unique(seen)) cat(sprintf("warning (x%d): %s\n", sum(seen == m), m))
}

f <- paste('churned ~ plan + z + x2_missing + s(x1, bs = "cr", k = 10) + s(x2, bs = "cr", k = 8) +',
           's(x3, bs = "cr", k = 10) + ti(x1, x2, bs = "cr", k = c(5, 5))')
reml_text <- paste0("gam(", f, ', family = binomial, data = cv, method = "REML")')
sp <- c(0.01, 1, 100, -1, -1)  # --sp x1=0.01,x2=1,x3=100; the ti's two by REML
sp_text <- paste0("gam(", f, ', family = binomial, data = cv, method = "REML", sp = c(0.01, 1, 100, -1, -1))')
cmd <- "vitals train tests/data/gam_curved.csv --churn churned --id id --drop w --smooth x1:10,x2:8,x3:10 --interact x1:x2"
note <- sprintf(paste("tests/data/gam_curved.csv, all %d rows in file order; plan levels in byte order;",
                      "blank x2 (%d cells) := %.17g, the plain mean of the present cells, and x2_missing = 1 there",
                      "(the filled x2 is ti's second margin too)"),
                n, sum(cv$x2_missing), x2_mean)

# newdata: the ti margins' knots (k = 5: min, the quartiles of the distinct values, max), s()'s
# knots, a blank x2 (x2_missing = 1: the mean, inside the margin), one margin or both beyond the range
probe <- eval(parse(text = reml_text))
ti_sm <- probe$smooth[[4]]
stopifnot(identical(ti_sm$label, "ti(x1,x2)"), identical(ti_sm$term, c("x1", "x2")))
m1 <- ti_sm$margin[[1]]$xp
m2 <- ti_sm$margin[[2]]$xp
crng <- function(v) range(cv[[v]])
pick_knots <- function(fit, term, which) fit$smooth[[match(paste0("s(", term, ")"), vapply(fit$smooth, `[[`, "", "label"))]]$xp[which]
nd <- data.frame(
  plan = factor(levels(cv$plan)[c(1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1)], levels = levels(cv$plan)),
  z = c(-3, -1.5, -0.25, 0, 0.1234, 0.5, 1, 1.5, 2, 2.5, -0.7, 3.2, 0.3, -0.1, 0.9, -2),
  x2_missing = c(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0),
  x1 = c(-0.2, m1[1], m1[2], m1[3], m1[4], m1[5], 1.5, pick_knots(probe, "x1", 2), 3 * crng("x1")[2] + 0.01,
         0.5, m1[2], 0.8, -0.05, m1[3], pick_knots(probe, "x1", 9), m1[4]),
  x2 = c(-10, m2[1], m2[2], m2[4], x2_mean, m2[5], m2[3], pick_knots(probe, "x2", 2), 3 * crng("x2")[2] + 1,
         m2[5], 140, pick_knots(probe, "x2", 7), x2_mean, m2[3], -3, 60),
  x3 = c(-5, crng("x3")[1], pick_knots(probe, "x3", 2), 3.3, 9.99, pick_knots(probe, "x3", 5), 20,
         pick_knots(probe, "x3", 9), 75.25, crng("x3")[2], 3 * crng("x3")[2] + 1, 1000, 12, 0.5, 40, 7))
write_ti_case_quietly("gam_ti_cli_reml.json", reml_text, cv, NULL, cmd, nd, note)
write_ti_case_quietly("gam_ti_cli_sp_reml.json", sp_text, cv, sp, paste(cmd, "--sp x1=0.01,x2=1,x3=100"), nd, note)
