"""Makes tests/data/metrics_sklearn.json with Debian's scikit-learn (python3-sklearn).
Run once from the project root: /usr/bin/python3 tests/data/make_metrics_fixture.py
Not run at test time; the JSON it wrote is committed."""
import json

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

rng = np.random.default_rng(20261123)
cases = []
for name, n, n_levels, weighted in [("ties", 400, 7, False), ("ties_weighted", 400, 7, True),
                                    ("continuous", 1000, 0, False), ("continuous_weighted", 1000, 0, True),
                                    ("tiny", 6, 3, False)]:
    if n_levels:
        score = rng.integers(1, n_levels + 1, n) / (n_levels + 1)  # many ties
    else:
        score = rng.uniform(0.001, 0.999, n)
    y = (rng.uniform(0, 1, n) < score).astype(int)
    if name == "tiny":
        y = np.array([0, 1, 1, 0, 1, 0])
    weight = rng.uniform(0.2, 3.0, n) if weighted else None
    cases.append({
        "name": name,
        "y": y.tolist(),
        "score": score.tolist(),
        "weight": weight.tolist() if weighted else None,
        "roc_auc": roc_auc_score(y, score, sample_weight=weight),
        "average_precision": average_precision_score(y, score, sample_weight=weight),
        "log_loss": log_loss(y, score, sample_weight=weight),
        "brier": brier_score_loss(y, score, sample_weight=weight),
    })
with open("tests/data/metrics_sklearn.json", "w") as out:
    json.dump({"tool": "scikit-learn " + sklearn.__version__, "cases": cases}, out, indent=1)
