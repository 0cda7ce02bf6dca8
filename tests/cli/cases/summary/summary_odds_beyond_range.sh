# An odds ratio beyond a double's range is said to be so, not printed as
# "inf" or "0"; an estimate of -0 prints as 0, not a sign it lacks.
train_small
. "${case_file%/cases/*}/edit_json.sh"
set_field estimate 800 big.json 2
"$vitals" summary big.json >big.txt || fail "summary of a large estimate"
grep -q '^x .*>1\.8e+308' big.txt || fail "overflowing odds ratio not said: $(grep '^x ' big.txt)"
set_field estimate -800 small_or.json 2
"$vitals" summary small_or.json >small.txt || fail "summary of a large negative estimate"
grep -q '^x .*<2\.2e-308' small.txt || fail "underflowing odds ratio not said: $(grep '^x ' small.txt)"
set_field estimate -0.0 zero.json 2
"$vitals" summary zero.json >zero.txt || fail "summary of a zero estimate"
! grep -E '^x .* -0( |$)' zero.txt || fail "-0 printed: $(grep '^x ' zero.txt)"
! grep -Eqi '(^| )-?inf( |$)' big.txt small.txt zero.txt || fail "inf printed"
