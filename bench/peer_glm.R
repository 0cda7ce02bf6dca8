# R's glm on both targets (read.csv + glm), for bench/run.sh.
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
d$account_id <- NULL
d$nps_missing <- as.numeric(is.na(d$nps))
d$nps[is.na(d$nps)] <- mean(d$nps, na.rm = TRUE)
churn <- glm(churned ~ . - expanded, family = binomial, data = d)
expansion <- glm(expanded ~ . - churned, family = binomial, data = d)
