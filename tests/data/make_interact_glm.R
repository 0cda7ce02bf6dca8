# Fixture for --interact: R's glm with interaction terms on the Telco data
# (products, slopes per level either way round, cells with aliased ones).
# Run from the repository root: Rscript tests/data/make_interact_glm.R
d <- read.csv("datasets/telco-customer-churn.csv", stringsAsFactors = TRUE)
d$customerID <- NULL
d$TotalCharges <- as.numeric(as.character(d$TotalCharges))
d <- d[!is.na(d$TotalCharges), ]
f <- Churn ~ . + tenure:MonthlyCharges + tenure:Contract + PaymentMethod:MonthlyCharges + InternetService:OnlineSecurity
fit <- glm(f, family = binomial, data = d)
s <- summary(fit)$coefficients
num <- function(x) sprintf("%.17g", x)
lines <- vapply(names(coef(fit)), function(term) {
  if (is.na(coef(fit)[[term]])) {
    sprintf('    {"term": "%s", "aliased": true}', term)
  } else {
    sprintf('    {"term": "%s", "estimate": %s, "std_error": %s, "z": %s, "p": %s}', term,
            num(s[term, 1]), num(s[term, 2]), num(s[term, 3]), num(s[term, 4]))
  }
}, "")
out <- "tests/data/telco_interact_glm.json"
cat('{\n  "tool": "', R.version.string, ' glm(', deparse(f, width.cutoff = 500), ', family = binomial)",\n',
    '  "data": "datasets/telco-customer-churn.csv; customerID dropped; 11 rows with TotalCharges blank dropped",\n',
    '  "rows_used": ', nrow(d), ',\n',
    '  "deviance": ', num(deviance(fit)), ',\n',
    '  "null_deviance": ', num(fit$null.deviance), ',\n',
    '  "aic": ', num(AIC(fit)), ',\n',
    '  "bic": ', num(BIC(fit)), ',\n',
    '  "log_likelihood": ', num(as.numeric(logLik(fit))), ',\n',
    '  "df_residual": ', fit$df.residual, ',\n',
    '  "iterations": ', fit$iter, ',\n',
    '  "coefficients": [\n', paste(lines, collapse = ",\n"), '\n  ]\n}\n', sep = "", file = out)
