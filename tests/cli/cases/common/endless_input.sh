# Input that never ends a record is refused at once, by every command that
# reads rows, without reading on until memory runs out: /dev/zero (a NUL at
# 1:1: binary; under 10 s), and a record longer than 64 MiB (no line end;
# its 64 MiB are parsed first: under 30 s, for the sanitizer build).  Each in
# one line, without output.
"$vitals" generate 300 --seed 2 -o g.csv 2>/dev/null || fail "generate"
"$vitals" train g.csv --churn churned --id account_id --drop expanded -o m.json --quiet 2>/dev/null || fail "train"
cards=$(dirname "$fixtures")/../models/scorecards
card="$cards/equal-weights.json"
limit=10
refused() { # REGEX COMMAND...: fails in one line within $limit s
    regex=$1
    shift
    timeout $limit "$@" >out.txt 2>err.txt
    status=$?
    [ "$status" -ne 124 ] || fail "still reading after $limit s: $*"
    [ "$status" -ne 0 ] || fail "accepted: $*"
    [ "$(wc -l <err.txt)" -eq 1 ] && grep -Eq "$regex" err.txt || fail "$*: $(head -3 err.txt)"
}
zero='^vitals: /dev/zero:1:1: binary data \(a NUL byte\): not a CSV text file$'
refused "$zero" "$vitals" train /dev/zero --churn churned -o x.json
refused "$zero" "$vitals" predict m.json /dev/zero -o p.csv
refused "$zero" "$vitals" predict m.json g.csv --previous-data /dev/zero -o p.csv
refused "$zero" "$vitals" score "$card" /dev/zero -o s.csv
refused "$zero" "$vitals" compare m.json "$card" /dev/zero
refused "$zero" "$vitals" history m.json /dev/zero --date d -o h.csv
refused "$zero" "$vitals" tune "$card" /dev/zero --label churned -o t.json
refused "$zero" "$vitals" report m.json --data /dev/zero -o r.html
for f in x.json p.csv s.csv h.csv t.json r.html; do no_file $f; done
# 70 MiB without a line end: the header never ends.
head -c 73400320 /dev/zero | tr '\0' 'a' >long.csv
limit=30
refused '^vitals: long\.csv:1: a record longer than 64 MiB' "$vitals" compare m.json "$card" long.csv
refused '^vitals: long\.csv:1: a record longer than 64 MiB' "$vitals" history m.json long.csv --date d -o h.csv
no_file h.csv
# The same record when the end of the file comes within the same read (the
# splitter once took it whole there: predict then asked for columns).
for command in "predict m.json long.csv -o p.csv" "score $card long.csv -o s.csv" "train long.csv --churn churned -o x.json"; do
    refused '^vitals: long\.csv:1: a record longer than 64 MiB' "$vitals" $command
done
for f in p.csv s.csv x.json; do no_file $f; done
