# A date before an earlier line's: FILE:LINE:COL, and the old output kept.
train_small
printf 'id,x,plan,d\n1,0.5,a,2024-01-01\n2,1.5,b,2024-02-01\n1,2.5,a,2024-01-31\n' >snap.csv
echo old >history.csv
expect_fail '^vitals: snap.csv:4:4: d .2024-01-31. is before 2024-02-01 .*date order' \
    "$vitals" history model.json snap.csv --date d -o history.csv
[ "$(cat history.csv)" = old ] || fail "the old output was replaced"
# the same account twice in one month
printf 'id,x,plan,d\n1,0.5,a,2024-01-01\n1,2.5,a,2024-01-01\n' >twice.csv
expect_fail '^vitals: twice.csv:3:1: id .1. appears twice' "$vitals" history model.json twice.csv --date d -o out.csv
no_file out.csv
