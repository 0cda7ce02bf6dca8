"""pandas + scikit-learn doing what vitals does, for bench/run.sh.

Used as a competent user would: features standardised before lbfgs (on
raw columns lbfgs crawls: 33 s instead of 4.5 s at 1M rows).  Prints
"inner: SECONDS" on stderr, timed after the imports, which bench/run.sh
compares with vitals' whole run.

usage: peer_sklearn.py train DATA.csv MODELS.pkl
           read, encode (one-hot against the first level, NPS mean-imputed
           plus an indicator), fit churn and expansion, save both
       peer_sklearn.py predict MODELS.pkl DATA.csv OUT.csv
           load the models, read and encode, score both targets, write
           id,churn_risk,expansion,health,bucket
"""
import pickle
import sys
import time

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

CATEGORICAL = ["segment", "lifecycle_stage"]


def encode(frame, means=None):
    features = frame.drop(columns=["account_id", "churned", "expanded"], errors="ignore")
    if means is None:
        means = {"nps": features["nps"].mean()}
    features["nps_missing"] = features["nps"].isna().astype(float)
    features["nps"] = features["nps"].fillna(means["nps"])
    features = pd.get_dummies(features, columns=CATEGORICAL, drop_first=True, dtype=float)
    return features.to_numpy(dtype=float), means


def fit(x, y):
    model = make_pipeline(StandardScaler(), LogisticRegression(penalty=None, solver="lbfgs", max_iter=1000, tol=1e-8))
    return model.fit(x, y)


def main():
    start = time.perf_counter()
    run()
    print(f"inner: {time.perf_counter() - start:.3f}", file=sys.stderr)


def run():
    if sys.argv[1] == "train":
        frame = pd.read_csv(sys.argv[2])
        x, means = encode(frame)
        models = [fit(x, frame[label].to_numpy()) for label in ["churned", "expanded"]]
        with open(sys.argv[3], "wb") as out:
            pickle.dump((models, means), out)
        return
    with open(sys.argv[2], "rb") as stream:
        models, means = pickle.load(stream)
    frame = pd.read_csv(sys.argv[3])
    x, _ = encode(frame, means)
    churn = models[0].predict_proba(x)[:, 1]
    expansion = models[1].predict_proba(x)[:, 1]
    health = np.rint(100 * (1 - churn)).astype(int)
    bucket = np.where(health < 40, "red", np.where(health < 70, "yellow", "green"))
    pd.DataFrame({"account_id": frame["account_id"], "churn_risk": churn, "expansion": expansion,
                  "health": health, "bucket": bucket}).to_csv(sys.argv[4], index=False, float_format="%.17g")


main()
