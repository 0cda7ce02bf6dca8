train_small
printf 'id,x,plan,d\n1,0.5,a,2024-01-01\n' >snap.csv
expect_fail '^vitals: snap.csv:1: no date column .when. in the header' \
    "$vitals" history model.json snap.csv --date when -o history.csv
no_file history.csv
expect_fail 'history: --date' "$vitals" history model.json snap.csv -o history.csv
no_file history.csv
