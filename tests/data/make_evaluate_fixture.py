"""Makes tests/data/evaluate_sklearn.json: scikit-learn's metrics of the
churn and expansion risks `vitals predict` gives the test rows of
  vitals generate 6000 --seed 29 -o g.csv
  head -4001 g.csv >train.csv; { head -1 g.csv; tail -n +4002 g.csv; } >test.csv
  vitals train train.csv --churn churned --expansion expanded --id account_id -o m.json
  vitals predict m.json test.csv -o p.csv
(tests/cli/cases/evaluate/evaluate_matches_sklearn.sh runs the same and
compares `vitals evaluate`'s numbers).  Run once:
  /usr/bin/python3 tests/data/make_evaluate_fixture.py test.csv p.csv tests/data/evaluate_sklearn.json"""
import csv
import json
import sys

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

test = list(csv.DictReader(open(sys.argv[1])))
scores = list(csv.DictReader(open(sys.argv[2])))
assert len(test) == len(scores)
out = {"tool": "scikit-learn " + sklearn.__version__}
for target, label, column in (("churn", "churned", "churn_risk"), ("expansion", "expanded", "expansion")):
    y = np.array([float(row[label]) for row in test])
    p = np.array([float(row[column]) for row in scores])
    out[target] = {"roc_auc": roc_auc_score(y, p), "pr_auc": average_precision_score(y, p),
                   "log_loss": log_loss(y, p), "brier": brier_score_loss(y, p), "rows": len(y), "events": y.sum()}
json.dump(out, open(sys.argv[3], "w"), indent=1)
