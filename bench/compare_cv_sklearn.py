"""Telco 5-fold CV: vitals' metrics beside scikit-learn's on the same folds.

usage (from the project root, after make):
  build/vitals train datasets/telco-customer-churn.csv --churn Churn --id customerID \\
      --missing drop --folds 5 --fitted /tmp/oof.csv -o /tmp/t5.json --quiet
  /usr/bin/python3 bench/compare_cv_sklearn.py /tmp/t5.json /tmp/oof.csv
Prints vitals' pooled and per-fold metrics, scikit-learn's metrics of the same
out-of-fold predictions, and an unpenalised scikit-learn LogisticRegression
refitted on the same folds."""
import json
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

warnings.filterwarnings("ignore")  # aliased columns make newton-cg's line search complain
model = json.load(open(sys.argv[1]))["targets"][0]["validation"]
oof = pd.read_csv(sys.argv[2])
data = pd.read_csv("datasets/telco-customer-churn.csv")
data["TotalCharges"] = pd.to_numeric(data["TotalCharges"].str.strip().replace("", np.nan))
data = data.dropna().reset_index(drop=True)
assert (data["customerID"].values == oof["customerID"].values).all()
y = (data["Churn"] == "Yes").astype(int).values
x = pd.get_dummies(data.drop(columns=["customerID", "Churn"]), drop_first=True, dtype=float).values
refit = np.zeros(len(y))
for fold in sorted(oof["fold"].unique()):
    test = (oof["fold"] == fold).values
    lr = LogisticRegression(penalty=None, solver="newton-cg", max_iter=1000, tol=1e-10).fit(x[~test], y[~test])
    refit[test] = lr.predict_proba(x[test])[:, 1]
print(f"{'pooled':10s} {'vitals':>16s} {'sklearn, same preds':>20s} {'sklearn LR refit':>18s}")
for name, fn, key in [("ROC AUC", roc_auc_score, "roc_auc"), ("PR AUC", average_precision_score, "pr_auc"),
                      ("log-loss", log_loss, "log_loss"), ("Brier", brier_score_loss, "brier")]:
    print(f"{name:10s} {model['metrics'][key]:16.12f} {fn(y, oof['churn'].values):20.12f} {fn(y, refit):18.12f}")
for fold, metrics in enumerate(model["folds"], 1):
    test = (oof["fold"] == fold).values
    print(f"fold {fold}: ROC AUC vitals {metrics['roc_auc']:.10f}  sklearn same preds "
          f"{roc_auc_score(y[test], oof['churn'].values[test]):.10f}  sklearn refit {roc_auc_score(y[test], refit[test]):.10f}")
