# The score (Rao) tests of tests/cli/cases/train/interact_auto_score_test_r.sh: R glm anova(test = "Rao")
# of each pair added to the additive Telco fit (levels in byte order).  Run from the project root:
#   Rscript tests/data/make_rao_telco.R
# It prints: pair, df, statistic.
d <- read.csv("datasets/telco-customer-churn.csv", stringsAsFactors = TRUE)
d$customerID <- NULL
d$TotalCharges <- as.numeric(as.character(d$TotalCharges))
d <- d[!is.na(d$TotalCharges), ]
for (v in names(d)) if (is.factor(d[[v]])) d[[v]] <- factor(as.character(d[[v]]), levels = sort(unique(as.character(d[[v]])), method = "radix"))
f0 <- glm(Churn ~ ., binomial, d)
for (p in c("tenure:Contract", "InternetService:tenure", "tenure:MonthlyCharges", "Contract:PaymentMethod")) {
  f1 <- update(f0, as.formula(paste(". ~ . +", p)))
  a <- anova(f0, f1, test = "Rao")
  cat(sprintf("%s %d %.10g\n", p, a$Df[2], a$Rao[2]))
}
