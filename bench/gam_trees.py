"""Gradient-boosted trees on the split vitals' smooth model is judged on, for bench/run.sh --gam.

usage: gam_trees.py hgb|xgb TRAIN.csv TEST.csv OUT.csv --labels A[,B] [--id COL] [--missing ANY]

  hgb: scikit-learn HistGradientBoostingClassifier, defaults (random_state=0, as its early
       stopping draws a validation split above 10,000 rows), text columns as
       categorical_features (codes from the training levels; an unseen level is missing).
  xgb: xgboost XGBClassifier, defaults, n_jobs=2, text columns one-hot (training levels).
Numeric blanks stay missing (NaN): both handle them natively (their best use; vitals imputes
the mean plus an indicator).  One model per label, fitted on TRAIN.csv; each label's
probability on TEST.csv goes to OUT.csv (a column per label, TEST.csv's row order).
numpy and the csv module only (no pandas).  Prints "inner: SECONDS" on stderr (after imports).
"""
import csv
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from xgboost import XGBClassifier

MISSING = {"", "na", "nan", "null"}
TRUE = {"1", "yes", "true", "t"}


def read(path):
    with open(path, newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        rows = list(reader)
    return header, [list(col) for col in zip(*rows)] if rows else [[] for _ in header]


def is_missing(cell):
    return cell.strip().lower() in MISSING


def numeric(cells):
    for cell in cells:
        if is_missing(cell):
            continue
        try:
            float(cell)
        except ValueError:
            return False
    return True


def to_float(cells):
    return np.array([np.nan if is_missing(c) else float(c) for c in cells])


def design(header, columns, features, kinds, levels, one_hot):
    """The matrix of the features; text columns as codes (hgb) or one-hot (xgb)."""
    parts, categorical = [], []
    for name in features:
        cells = columns[header.index(name)]
        if kinds[name] == "numeric":
            parts.append(to_float(cells)[:, None])
            categorical.append(False)
            continue
        index = {level: i for i, level in enumerate(levels[name])}
        codes = np.array([index.get(c, -1) if not is_missing(c) else -1 for c in cells])
        if one_hot:
            block = np.zeros((len(cells), len(levels[name])))
            hit = codes >= 0
            block[np.flatnonzero(hit), codes[hit]] = 1.0
            parts.append(block)
            categorical.extend([False] * len(levels[name]))
        else:
            parts.append(np.where(codes >= 0, codes, np.nan).astype(float)[:, None])
            categorical.append(True)
    return np.hstack(parts), np.array(categorical)


def main():
    args = sys.argv[1:]
    if len(args) < 4 or args[0] not in ("hgb", "xgb"):
        sys.exit(__doc__)
    kind, train_path, test_path, out_path = args[:4]
    labels, id_column = [], None
    i = 4
    while i < len(args):
        if args[i] == "--labels":
            labels = args[i + 1].split(",")
        elif args[i] == "--id":
            id_column = args[i + 1]
        elif args[i] != "--missing":  # --missing: blanks stay NaN whatever the policy
            sys.exit(__doc__)
        i += 2
    start = time.perf_counter()
    header, columns = read(train_path)
    test_header, test_columns = read(test_path)
    features = [h for h in header if h not in labels and h != id_column]
    kinds, levels = {}, {}
    for name in features:
        cells = columns[header.index(name)]
        if numeric(cells):
            kinds[name] = "numeric"
        else:
            kinds[name] = "text"
            levels[name] = sorted({c for c in cells if not is_missing(c)}, key=lambda s: s.encode())
    x, categorical = design(header, columns, features, kinds, levels, one_hot=(kind == "xgb"))
    x_test, _ = design(test_header, test_columns, features, kinds, levels, one_hot=(kind == "xgb"))
    out = []
    for label in labels:
        y = np.array([1 if c.strip().lower() in TRUE else 0 for c in columns[header.index(label)]])
        if kind == "hgb":
            model = HistGradientBoostingClassifier(categorical_features=categorical if categorical.any() else None,
                                                   random_state=0)
        else:
            model = XGBClassifier(n_jobs=2)
        model.fit(x, y)
        out.append(model.predict_proba(x_test)[:, 1])
    with open(out_path, "w") as stream:
        stream.write(",".join(labels) + "\n")
        for values in zip(*out):
            stream.write(",".join(f"{v:.17g}" for v in values) + "\n")
    print(f"inner: {time.perf_counter() - start:.3f}", file=sys.stderr)


main()
