# Makes the fixtures of smooths per level (mgcv's s(x, by = factor)), with R and mgcv 1.8-41,
# run from the project root:  Rscript tests/data/make_gam_by_fixtures.R
# Not run at test time; the files it wrote are committed:
#   tests/data/gam_by_fixed.json   gam_curved.csv, s(x1, by = plan) beside s(x2), s(x3), sp fixed
#   tests/data/gam_by_reml.json    the same, sp by REML
# The writing functions are make_gam_fixtures.R's (its function definitions only are evaluated).
# mgcv's smooths are written in vitals' order (s(COL) in column order, then the curves per level).
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

f <- paste('churned ~ plan + z + x2_missing + s(x2, bs = "cr", k = 8) + s(x3, bs = "cr", k = 10) +',
           's(x1, by = plan, bs = "cr", k = 10)')
reml_text <- paste0("gam(", f, ', family = binomial, data = cv, method = "REML")')
sp <- c(1, 100, 0.01, 0.01, 0.01)  # --sp x1=0.01 sets every level's
fixed_text <- paste0("gam(", f, ', family = binomial, data = cv, method = "REML", sp = c(1, 100, 0.01, 0.01, 0.01), ',
                     'control = gam.control(epsilon = 1e-12))')
cmd <- "vitals train tests/data/gam_curved.csv --churn churned --id id --drop w --smooth x1:10,x2:8,x3:10 --interact x1:plan"
note <- sprintf(paste("tests/data/gam_curved.csv, all %d rows in file order; plan levels in byte order;",
                      "blank x2 (%d cells) := %.17g, the plain mean of the present cells, and x2_missing = 1 there"),
                n, sum(cv$x2_missing), x2_mean)
probe <- eval(parse(text = reml_text))
crng <- function(v) range(cv[[v]])
nd <- data.frame(
  plan = factor(levels(cv$plan)[c(1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3)], levels = levels(cv$plan)),
  z = c(-3, -1.5, -0.25, 0, 0.1234, 0.5, 1, 1.5, 2, 2.5, -0.7, 3.2),
  x2_missing = c(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0),
  x1 = c(-0.2, crng("x1")[1], probe$smooth[[3]]$xp[2], 0.25, 0.31, probe$smooth[[3]]$xp[5], 0.5,
         0.8, probe$smooth[[3]]$xp[9], crng("x1")[2], 1.5, 3 * crng("x1")[2] + 0.01),
  x2 = c(-10, crng("x2")[1], 15.5, pick_knots(probe, "x2", 2), x2_mean, pick_knots(probe, "x2", 4), 60,
         pick_knots(probe, "x2", 7), 110.1, crng("x2")[2], 3 * crng("x2")[2] + 1, 200),
  x3 = c(-5, crng("x3")[1], pick_knots(probe, "x3", 2), 3.3, 9.99, pick_knots(probe, "x3", 5), 20,
         pick_knots(probe, "x3", 9), 75.25, crng("x3")[2], 3 * crng("x3")[2] + 1, 1000))
write_case_quietly("gam_by_fixed.json", fixed_text, cv, sp, paste(cmd, "--sp x1=0.01,x2=1,x3=100"), nd, note)
write_case_quietly("gam_by_reml.json", reml_text, cv, NULL, cmd, nd, note)
