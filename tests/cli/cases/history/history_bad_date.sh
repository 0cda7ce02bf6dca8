# A bad date (here 29 February of a common year) names its line and column;
# the previous history stays.
train_small
printf 'id,x,plan,d\n1,0.5,a,2023-01-01\n2,1.5,b,2023-02-29\n' >snap.csv
echo old >history.csv
expect_fail '^vitals: snap.csv:3:4: d .2023-02-29. is not a date YYYY-MM-DD' \
    "$vitals" history model.json snap.csv --date d -o history.csv
[ "$(cat history.csv)" = old ] || fail "the old output was replaced"
