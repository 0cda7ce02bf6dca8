# R mgcv fitting what `vitals train --smooth auto` fits, for bench/run.sh --gam.
#
# usage: Rscript bench/gam_peer.R bam|gam DATA.csv --labels churned,expanded --id account_id
#            [--rows N] [--missing impute|drop] [--k COL:K,...] [--sp-file FILE] [--score TEST.csv OUT.csv]
#
#   bam: bam(..., family = binomial, discrete = TRUE, nthreads = 2) (method "fREML", bam's default
#        with discrete = TRUE);  gam: gam(..., family = binomial, method = "REML").
# The file is read once (read.csv, the first N rows with --rows) and every label is fitted on it.
# The formula is vitals' --smooth auto model: the id and the labels left out; a text column is a
# factor (levels in byte order, the first the baseline, as vitals); a numeric column with blanks
# gets the mean of its present cells plus a 0/1 COL_missing column (--missing impute, vitals'
# default), or the row is left out (--missing drop); a numeric column is s(COL, bs = "cr", k = K)
# with K = 10 (or --k COL:K), fewer distinct values (after imputation): that many, fewer than 4:
# a linear term; COL_missing is linear.
# Prints "inner: SECONDS" on stderr (after R has started and loaded mgcv, as bench/peer_glm.R),
# and per label (on stderr) the fit's seconds, iterations, edf, the formula and the smoothing parameters.
# --sp-file: gam with the smoothing parameters fixed (gam's sp =) at FILE's "LABEL COLUMN SP" lines
# (bench/run.sh writes vitals' there: mgcv's fit at vitals' optimum).
# --score: TEST.csv is prepared with the training means and levels and each label's probability
# written to OUT.csv (one column per label, named after it, in TEST.csv's row order).
suppressPackageStartupMessages(library(mgcv))
start <- proc.time()[["elapsed"]]
args <- commandArgs(trailingOnly = TRUE)
usage <- function() stop("usage: gam_peer.R bam|gam DATA.csv --labels A,B --id COL [--rows N] [--missing impute|drop] [--k COL:K,...] [--sp-file FILE] [--score TEST.csv OUT.csv]")
if (length(args) < 2 || !(args[1] %in% c("bam", "gam"))) usage()
engine <- args[1]
path <- args[2]
labels <- character(0); id <- NULL; rows <- -1L; missing <- "impute"; ks <- list(); score <- NULL; sp_file <- NULL
i <- 3
while (i <= length(args)) {
  a <- args[i]
  if (a == "--labels") { labels <- strsplit(args[i + 1], ",")[[1]]; i <- i + 2 }
  else if (a == "--id") { id <- args[i + 1]; i <- i + 2 }
  else if (a == "--rows") { rows <- as.integer(args[i + 1]); i <- i + 2 }
  else if (a == "--missing") { missing <- args[i + 1]; i <- i + 2 }
  else if (a == "--k") {
    for (item in strsplit(args[i + 1], ",")[[1]]) {
      p <- strsplit(item, ":")[[1]]
      ks[[p[1]]] <- as.integer(p[2])
    }
    i <- i + 2
  }
  else if (a == "--sp-file") { sp_file <- args[i + 1]; i <- i + 2 }
  else if (a == "--score") { score <- args[(i + 1):(i + 2)]; i <- i + 3 }
  else usage()
}
if (length(labels) == 0) usage()

na <- c("", " ", "NA", "NaN", "nan", "null", "NULL", "Null")
read <- function(file, n) read.csv(file, na.strings = na, nrows = n, stringsAsFactors = FALSE, check.names = FALSE)
as01 <- function(x) {
  if (is.numeric(x)) return(as.numeric(x))
  as.numeric(tolower(trimws(x)) %in% c("1", "yes", "true", "t"))
}

d <- read(path, rows)
if (!is.null(id)) d[[id]] <- NULL
features <- setdiff(names(d), labels)
if (missing == "drop") d <- d[complete.cases(d[, features, drop = FALSE]), , drop = FALSE]
for (l in labels) d[[l]] <- as01(d[[l]])

levels_of <- list(); means <- list(); terms <- character(0)
for (v in features) {
  x <- d[[v]]
  if (is.character(x)) {
    x <- as.character(x)
    lv <- sort(unique(x[!is.na(x)]), method = "radix")
    if (any(is.na(x))) { x[is.na(x)] <- "missing"; lv <- sort(unique(c(lv, "missing")), method = "radix") }
    levels_of[[v]] <- lv
    d[[v]] <- factor(x, levels = lv)
    if (length(lv) > 1) terms <- c(terms, v)
    next
  }
  if (anyNA(x)) {
    means[[v]] <- mean(x, na.rm = TRUE)
    d[[paste0(v, "_missing")]] <- as.numeric(is.na(x))
    x[is.na(x)] <- means[[v]]
    d[[v]] <- x
  }
  k <- if (is.null(ks[[v]])) 10L else ks[[v]]
  distinct <- length(unique(x))
  if (distinct < 2) next
  if (distinct < 4) terms <- c(terms, v)
  else terms <- c(terms, sprintf('s(%s, bs = "cr", k = %d)', v, min(k, distinct)))
  if (!is.null(means[[v]])) terms <- c(terms, paste0(v, "_missing"))
}
rhs <- paste(terms, collapse = " + ")

fixed <- if (is.null(sp_file)) NULL else read.table(sp_file, col.names = c("label", "column", "sp"), stringsAsFactors = FALSE)
fit_one <- function(label) {
  f <- as.formula(paste(label, "~", rhs))
  sp <- NULL
  if (!is.null(fixed)) {
    smooths <- regmatches(rhs, gregexpr("s\\(([^,]+)", rhs))[[1]]
    smooths <- sub("^s\\(", "", smooths)
    mine <- fixed[fixed$label == label, ]
    if (!setequal(mine$column, smooths)) stop("--sp-file: ", label, ": smooths ", paste(sort(mine$column), collapse = ","),
                                             " but the formula has ", paste(sort(smooths), collapse = ","))
    sp <- mine$sp[match(smooths, mine$column)]
  }
  t0 <- proc.time()[["elapsed"]]
  fit <- if (engine == "bam") bam(f, family = binomial, data = d, discrete = TRUE, nthreads = 2)
         else gam(f, family = binomial, data = d, method = "REML", sp = sp)
  seconds <- proc.time()[["elapsed"]] - t0
  # gam: outer Newton steps on the REML score; bam (fREML): its performance iterations
  steps <- if (!is.null(sp)) "sp fixed" else if (engine == "gam") sprintf("outer Newton steps %d", fit$outer.info$iter)
           else sprintf("fREML performance iterations %d", fit$iter)
  conv <- if (is.character(fit$outer.info$conv)) paste0(" (", fit$outer.info$conv, ")") else ""
  message(sprintf("%s %s: %d rows, %.2f s, %s%s, edf %.3f, deviance %.4f, %s %.6f", engine, label, nrow(d), seconds,
                  steps, conv, sum(fit$edf), fit$deviance, if (engine == "gam") "REML" else "fREML", fit$gcv.ubre))
  message(sprintf("  formula: %s ~ %s", label, rhs))
  message(sprintf("  sp: %s", paste(sprintf("%s=%.5g", vapply(fit$smooth, `[[`, "", "term"), if (is.null(sp)) fit$sp else sp), collapse = " ")))
  fit
}
fits <- lapply(labels, fit_one)
names(fits) <- labels
cat(sprintf("inner: %.3f\n", proc.time()[["elapsed"]] - start), file = stderr())

if (!is.null(score)) {
  t <- read(score[1], -1)
  for (v in names(levels_of)) {
    x <- as.character(t[[v]])
    x[is.na(x)] <- "missing"
    t[[v]] <- factor(x, levels = levels_of[[v]])
  }
  for (v in names(means)) {
    t[[paste0(v, "_missing")]] <- as.numeric(is.na(t[[v]]))
    t[[v]][is.na(t[[v]])] <- means[[v]]
  }
  out <- lapply(fits, function(fit) sprintf("%.17g", as.numeric(predict(fit, t, type = "response"))))
  writeLines(c(paste(labels, collapse = ","), do.call(paste, c(out, sep = ","))), score[2])
}
