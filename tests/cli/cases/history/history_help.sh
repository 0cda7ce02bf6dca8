"$vitals" history --help >help.txt 2>err.txt || fail "--help failed"
grep -q '^usage: vitals history MODEL.json SNAPSHOTS.csv --date COL' help.txt || fail "no usage line"
[ ! -s err.txt ] || fail "--help wrote to stderr"
