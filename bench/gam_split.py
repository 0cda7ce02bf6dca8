"""A seeded, stratified 70/30 split of a CSV, for bench/run.sh --gam.

usage: gam_split.py DATA.csv LABEL TRAIN.csv TEST.csv [--test 0.3] [--seed 20261203] [--complete]

Rows are stratified by LABEL (the classes as written); in each class a seeded permutation
(numpy's default_rng) picks round(share x rows of the class) rows for TEST.csv.  Both files keep
the header and the rows' input order, each row's cells as read (csv module, RFC 4180), so every
tool is fitted and judged on exactly the same rows.  --complete first leaves out rows with a
blank cell (R's na.omit, vitals' --missing drop), so the tools without that option see the
same rows too.
"""
import csv
import sys

import numpy as np


def main():
    args = sys.argv[1:]
    share, seed, complete = 0.3, 20261203, False
    rest = []
    i = 0
    while i < len(args):
        if args[i] == "--test":
            share = float(args[i + 1])
            i += 2
        elif args[i] == "--seed":
            seed = int(args[i + 1])
            i += 2
        elif args[i] == "--complete":
            complete = True
            i += 1
        else:
            rest.append(args[i])
            i += 1
    if len(rest) != 4:
        sys.exit(__doc__)
    data, label, train_path, test_path = rest
    with open(data, newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        rows = list(reader)
    dropped = 0
    if complete:
        kept = [row for row in rows if all(cell.strip() != "" for cell in row)]
        dropped = len(rows) - len(kept)
        rows = kept
    column = header.index(label)
    classes = np.array([row[column] for row in rows])
    rng = np.random.default_rng(seed)
    test = np.zeros(len(rows), dtype=bool)
    for value in sorted(set(classes.tolist())):
        members = np.flatnonzero(classes == value)
        take = int(round(share * len(members)))
        test[rng.permutation(members)[:take]] = True
    for path, keep in ((train_path, ~test), (test_path, test)):
        with open(path, "w", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(row for row, k in zip(rows, keep) if k)
    print(f"{data}: {len(rows)} rows{f' ({dropped} with a blank cell left out)' if dropped else ''}: "
          f"{int((~test).sum())} train, {int(test.sum())} test, stratified by {label}, seed {seed}")


main()
