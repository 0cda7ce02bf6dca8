"""Makes tests/data/compare_sklearn.json: scikit-learn's ROC AUC and average
precision of the scores `vitals compare --scores` wrote for
  vitals generate 5000 --seed 17 -o g.csv
  vitals train g.csv --churn churned --drop expanded --id account_id -o m.json
  vitals compare m.json models/scorecards/key-feature-rule.json g.csv --scores s.csv
Run once: /usr/bin/python3 tests/data/make_compare_fixture.py s.csv tests/data/compare_sklearn.json"""
import json
import sys

import pandas as pd
import sklearn
from sklearn.metrics import average_precision_score, roc_auc_score

scores = pd.read_csv(sys.argv[1])
y = scores["outcome"].values
card_risk = 1 - scores["scorecard_health"].values / 100
json.dump({"tool": "scikit-learn " + sklearn.__version__,
           "model_roc_auc": roc_auc_score(y, scores["model_risk"]),
           "model_pr_auc": average_precision_score(y, scores["model_risk"]),
           "scorecard_roc_auc": roc_auc_score(y, card_risk),
           "scorecard_pr_auc": average_precision_score(y, card_risk)}, open(sys.argv[2], "w"), indent=1)
