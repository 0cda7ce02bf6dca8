# Makes tests/data/telco_confint.json with R (r-base-core), run from the project root:
#   Rscript tests/data/make_telco_confint.R
# Not run at test time; the JSON it wrote is committed.
d <- read.csv("datasets/telco-customer-churn.csv", stringsAsFactors = TRUE, na.strings = c("", " ", "NA"))
d$customerID <- NULL
d <- na.omit(d)
fit <- glm(Churn ~ ., family = binomial, data = d)
out <- function(level) {
  ci <- confint.default(fit, level = level)
  ok <- !is.na(coef(fit))
  sd_x <- apply(model.matrix(fit), 2, sd)
  rows <- sprintf('    {"term": "%s", "low": %.17g, "high": %.17g, "odds_ratio": %.17g, "standardised": %.17g}',
                  rownames(ci)[ok], ci[ok, 1], ci[ok, 2], exp(coef(fit)[ok]), (coef(fit) * sd_x[names(coef(fit))])[ok])
  paste0('  "', level, '": [\n', paste(rows, collapse = ",\n"), '\n  ]')
}
mcfadden <- 1 - fit$deviance / fit$null.deviance
cat('{\n  "tool": "', R.version.string, ' confint.default(glm(Churn ~ ., binomial)); standardised = coef x sd of the model.matrix column",\n', sep = "", file = "tests/data/telco_confint.json")
cat(sprintf('  "mcfadden_r2": %.17g,\n', mcfadden), file = "tests/data/telco_confint.json", append = TRUE)
cat(out(0.95), ",\n", out(0.9), "\n}\n", sep = "", file = "tests/data/telco_confint.json", append = TRUE)
