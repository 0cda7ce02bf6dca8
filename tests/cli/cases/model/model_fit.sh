# Fit statistics: counts are whole numbers >= 0, statistics finite,
# converged a flag.
train_small
. "${case_file%/cases/*}/edit_json.sh"
set_field n_obs -1 obs.json
refused obs.json 'targets\[0\]\.fit\.n_obs' 'expected a whole number from 0 to 9007199254740992, found -1'
set_field iterations 2.5 iter.json
refused iter.json 'targets\[0\]\.fit\.iterations' 'expected a whole number from 0 to 2147483647, found 2\.5'
set_field converged '"yes"' conv.json
refused conv.json 'targets\[0\]\.fit\.converged' 'expected true or false, found "yes"'
set_field deviance null dev.json
refused dev.json 'targets\[0\]\.fit\.deviance' 'expected a finite number, found null'
set_field l2 -0.5 l2.json
refused l2.json 'targets\[0\]\.l2' 'expected a ridge strength >= 0, found -0\.5'
