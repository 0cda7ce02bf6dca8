"""Write the generated CSV in LIBLINEAR's sparse format (untimed set-up)."""
import sys

import pandas as pd

frame = pd.read_csv(sys.argv[1])
features = frame.drop(columns=["account_id", "churned", "expanded"])
features["nps_missing"] = features["nps"].isna().astype(float)
features["nps"] = features["nps"].fillna(features["nps"].mean())
features = pd.get_dummies(features, columns=["segment", "lifecycle_stage"], drop_first=True, dtype=float)
x = features.to_numpy(dtype=float)
with open(sys.argv[2], "w") as out:
    for label, row in zip(frame["churned"].to_numpy(), x):
        out.write(str(label) + " " + " ".join(f"{j + 1}:{v:.17g}" for j, v in enumerate(row) if v != 0) + "\n")
