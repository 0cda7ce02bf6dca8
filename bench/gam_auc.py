"""Held-out ROC AUC and PR AUC of each tool's scores, for bench/run.sh --gam.

usage: gam_auc.py TEST.csv CASE RESULTS.txt --labels A[,B] TOOL=SCORES.csv ... [--same TOOL1,TOOL2 ...]
       gam_auc.py --table RESULTS.txt

SCORES.csv is `vitals predict` output (churn_risk for the first label, expansion for the
second) or a peer's (a column per label, named after it), in TEST.csv's row order.  Appends
"CASE LABEL TOOL ROC_AUC PR_AUC" lines to RESULTS.txt (scikit-learn's roc_auc_score and
average_precision_score).  --same T1,T2 also appends the largest |p1 - p2| between the two
tools' probabilities over the test rows (--same may be repeated), per label ("CASE LABEL same:T1~T2 MAXDIFF -").
--table prints RESULTS.txt as a table: a row per case and label, a column per tool.
"""
import csv
import sys

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

TRUE = {"1", "yes", "true", "t"}


def column(path, name):
    with open(path, newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        index = header.index(name)
        return [row[index] for row in reader]


def scores(path, labels, label):
    with open(path, newline="") as stream:
        header = next(csv.reader(stream))
    name = label
    if "churn_risk" in header:  # vitals predict: churn_risk, expansion
        name = "churn_risk" if label == labels[0] else "expansion"
    return np.array([float(v) for v in column(path, name)])


ORDER = ["vitals-linear", "vitals-smooth", "mgcv-gam-REML", "mgcv-at-vitals-sp", "sklearn-HGB", "xgboost"]


def table(path):
    """One table of ROC AUC / PR AUC (a column per tool), one of the largest |p1 - p2|."""
    cases, tools, pairs, cell = [], [], [], {}
    with open(path) as stream:
        for line in stream:
            case, label, tool, roc, pr = line.split()
            if (case, label) not in cases:
                cases.append((case, label))
            if tool.startswith("same:"):
                cell[(case, label, tool)] = f"{float(roc):.1e}"
                if tool not in pairs:
                    pairs.append(tool)
                continue
            if tool not in tools:
                tools.append(tool)
            cell[(case, label, tool)] = f"{float(roc):.4f} / {float(pr):.4f}"
    tools.sort(key=lambda t: ORDER.index(t) if t in ORDER else len(ORDER))
    width = max([len(c) + len(l) + 3 for c, l in cases] + [12])

    def show(heads, keys):
        sizes = [max(len(h), 15) for h in heads]
        print(f"{'case / label':<{width}}  " + "  ".join(f"{h:>{s}}" for h, s in zip(heads, sizes)))
        for case, label in cases:
            print(f"{case + ' / ' + label:<{width}}  " +
                  "  ".join(f"{cell.get((case, label, k), '-'):>{s}}" for k, s in zip(keys, sizes)))

    show(tools, tools)
    print("cells: held-out ROC AUC / PR AUC (average precision)")
    if pairs:
        print()
        show([p[len("same:"):].replace("~", " vs ") for p in pairs], pairs)
        print("cells: the largest |difference in probability| over the test rows")


def main():
    args = sys.argv[1:]
    if args[:1] == ["--table"]:
        table(args[1])
        return
    if len(args) < 5:
        sys.exit(__doc__)
    test, case, results = args[:3]
    labels, pairs, sames = [], [], []
    i = 3
    while i < len(args):
        if args[i] == "--labels":
            labels = args[i + 1].split(",")
            i += 2
        elif args[i] == "--same":
            sames.append(args[i + 1].split(","))
            i += 2
        else:
            pairs.append(args[i].split("=", 1))
            i += 1
    with open(results, "a") as out:
        for label in labels:
            y = np.array([1 if c.strip().lower() in TRUE else 0 for c in column(test, label)])
            got = {}
            for tool, path in pairs:
                try:
                    p = scores(path, labels, label)
                except (OSError, ValueError, StopIteration) as e:
                    print(f"  {case} {label} {tool}: no scores ({e})", file=sys.stderr)
                    continue
                if len(p) != len(y):
                    print(f"  {case} {label} {tool}: {len(p)} scores for {len(y)} rows", file=sys.stderr)
                    continue
                got[tool] = p
                out.write(f"{case} {label} {tool} {roc_auc_score(y, p):.6f} {average_precision_score(y, p):.6f}\n")
            for same in sames:
                if all(t in got for t in same):
                    out.write(f"{case} {label} same:{same[0]}~{same[1]} {np.max(np.abs(got[same[0]] - got[same[1]])):.3e} -\n")


main()
