# Fit statistics: counts are whole numbers >= 0, statistics finite,
# converged a flag.
train_small
set_field() { awk -v key="$1" -v value="$2" -v nth="${4:-1}" -f "${case_file%/cases/*}/set_field.awk" "${5:-model.json}" >"$3" || fail "no $1 to edit"; }
set_field n_obs -1 obs.json
expect_fail '^vitals: obs\.json:[0-9]+:[0-9]+: not a valid vitals model: targets\[0\]\.fit\.n_obs: expected a whole number from 0 to 9007199254740992, found -1$' "$vitals" summary obs.json
set_field iterations 2.5 iter.json
expect_fail '^vitals: iter\.json:[0-9]+:[0-9]+: not a valid vitals model: targets\[0\]\.fit\.iterations: expected a whole number from 0 to 2147483647, found 2\.5$' "$vitals" summary iter.json
set_field converged '"yes"' conv.json
expect_fail '^vitals: conv\.json:[0-9]+:[0-9]+: not a valid vitals model: targets\[0\]\.fit\.converged: expected true or false, found "yes"$' "$vitals" summary conv.json
set_field deviance null dev.json
expect_fail '^vitals: dev\.json:[0-9]+:[0-9]+: not a valid vitals model: targets\[0\]\.fit\.deviance: expected a finite number, found null$' "$vitals" summary dev.json
set_field l2 -0.5 l2.json
expect_fail '^vitals: l2\.json:[0-9]+:[0-9]+: not a valid vitals model: targets\[0\]\.l2: expected a ridge strength >= 0, found -0\.5$' "$vitals" summary l2.json
