"""statsmodels Logit (Newton, like glm) on both targets, for bench/run.sh."""
import sys

import pandas as pd
import statsmodels.api as sm

frame = pd.read_csv(sys.argv[1])
features = frame.drop(columns=["account_id", "churned", "expanded"])
features["nps_missing"] = features["nps"].isna().astype(float)
features["nps"] = features["nps"].fillna(features["nps"].mean())
features = pd.get_dummies(features, columns=["segment", "lifecycle_stage"], drop_first=True, dtype=float)
x = sm.add_constant(features.to_numpy(dtype=float))
for label in ["churned", "expanded"]:
    sm.Logit(frame[label].to_numpy(), x).fit(disp=0, method="newton", tol=1e-8)
