# R's glm on both targets (read.csv once, glm twice, summary of each), for
# bench/run.sh.  Prints "inner: SECONDS" on stderr, timed after R starts.
start <- proc.time()[["elapsed"]]
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
d$account_id <- NULL
d$nps_missing <- as.numeric(is.na(d$nps))
d$nps[is.na(d$nps)] <- mean(d$nps, na.rm = TRUE)
churn <- summary(glm(churned ~ . - expanded, family = binomial, data = d))
expansion <- summary(glm(expanded ~ . - churned, family = binomial, data = d))
cat(sprintf("inner: %.3f\n", proc.time()[["elapsed"]] - start), file = stderr())
