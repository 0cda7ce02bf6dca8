#!/bin/sh
# Write the seed corpus of every fuzz target under tests/fuzz/corpus/.
# Usage: tests/fuzz/make_corpus.sh PATH/TO/vitals
# The model seeds are trained on a 20-row CSV by that build, so re-run this
# when the model format changes.  Files named regress-* that this script
# does not write are inputs that found bugs, kept as found.  Seeds are small on purpose: libFuzzer's
# default input limit is the largest seed (at least 4096 bytes).
set -e
vitals=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
corpus=$here/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seed() { # TARGET NAME TEXT (printf format, no arguments)
    mkdir -p "$corpus/$1"
    printf "$3" >"$corpus/$1/$2"
}

# --- CSV: quoting, line ends, BOM, blank lines, delimiters, errors
seed csv simple.csv 'id,x,plan\n1,0.5,a\n2,1.5,b\n'
seed csv quotes.csv 'id,text,n\n1,"a, b",1\n2,"line one\nline two",2\n3,"say ""hi""",3\n4,"",4\n5,"""",5\n'
seed csv crlf.csv 'id,text\r\n1,"x\r\ny"\r\n2,plain\r\n\r\n3,last'
seed csv bom.csv '\357\273\277id,x\n1,2\n'
seed csv bom-quoted.csv '\357\273\277"id","x"\r\n"1","2"\r\n'
seed csv blank-lines.csv '\n  \n\tid , x \n\n 1 , 2 \n \t \n3,4\n\n'
seed csv lone-cr.csv 'h,k\r1,2\r \t\n3,4\r\n"5",6\r\r\n7,8'
seed csv tab.tsv 'a\tb\tc\n 1 \t 2 \t3\n\t\t\n"x\ty"\tz\tw\n'
seed csv ragged.csv 'a,b,c\n1,2,3\n4,5\n'
seed csv malformed-quote.csv 'a,b\n1,x"y\n'
seed csv unterminated.csv 'a,b\n1,"open\n2,3\n'
seed csv text-after-quote.csv 'a,b\n"1"x,2\n'
seed csv empty-name.csv 'a,,c\n1,2,3\n'
seed csv duplicate-name.csv 'a,b,a\n1,2,3\n'
seed csv nul.csv 'a,b\n1,\0002\n'
seed csv only-header.csv 'a,b,c'
seed csv mixed-ends.csv 'a,b\n1,2\r\n3,4\r5,6\n"7\r","8\n"\n'
# Inputs that found bugs (each has a regression test naming it).
seed csv regress-blank-before-header.csv '\n-\201'
seed csv regress-cr-blank-lf.csv '\206\r\t\n\005'
seed csv regress-bom-mid-file.csv ',\n\357\273\277\212\211,\372'
cat >"$work/tiny.csv" <<'EOF'
account_id,segment,active_user_ratio,open_tickets,nps,churned,expanded
A01,smb,0.51,0,5,1,0
A02,mid-market,0.64,1,NA,0,1
A03,mid-market,0.71,2,,0,0
A04,smb,0.57,2,6,1,0
A05,enterprise,0.34,1,8,1,0
A06,smb,0.70,2,6,0,1
A07,smb,0.53,0,6,0,0
A08,mid-market,0.52,2,9,1,0
A09,enterprise,0.75,0,7,0,1
A10,mid-market,0.58,0,,0,0
A11,mid-market,0.71,0,,1,0
A12,smb,0.69,0,10,0,1
A13,smb,0.27,2,7,1,0
A14,enterprise,0.53,5,,0,0
A15,mid-market,0.58,1,7,0,1
A16,mid-market,0.71,2,8,0,0
A17,smb,0.84,3,,1,0
A18,enterprise,0.54,1,7,0,0
A19,smb,0.53,0,6,0,1
A20,enterprise,0.51,1,7,1,0
EOF
cp "$work/tiny.csv" "$corpus/csv/tiny.csv"

# --- numbers: one per file, accepted and refused
n=0
for text in 0 -0 +0 0.0 1 -1 .5 5. -.5 007 00000123.4500000 1e308 1e309 -1e309 1.7976931348623157e308 \
    1.7976931348623158e308 4.9e-324 2.4703282292062327e-324 2.4703282292062328e-324 1e-400 \
    2.2250738585072011e-308 9007199254740993 18446744073709551616 123456789012345678901234567890 \
    0.1234567890123456789 1e22 1e23 1e-22 1e-23 0e999 1e0000000000000000000000001 \
    1.00000000000000011102230246251565404236316680908203125 ' 42 ' '	-3.5	' 0x1p3 0x10 inf -Infinity \
    nan NaN 'nan(123)' 1e 1e+ - . e5 1,000 1_000 '1 2' '' ' ' 12345678901234567890e-30; do
    n=$((n + 1))
    mkdir -p "$corpus/numparse"
    printf '%s' "$text" >"$corpus/numparse/n$(printf %02d $n)"
done

# --- rules
n=0
for text in 'a > 1' 'NOT a >= 0.5' 'x = 1 OR y != 2 AND z < 3' '(a > 1) and not (b <= -2.5e3)' \
    'active_user_ratio > 0.8 AND (feature_a_adoption >= 0.5 OR NOT usage_trend < 0)' \
    'a == -0 OR a.b_c <= 1e308' 'not not not x>.5' '((a>1)OR(b<2))AND c=3' \
    'a >' 'a ! 1' '(a > 1' 'a > 1 b > 2' 'AND > 1' 'a > 1e999' 'a > 0x10'; do
    n=$((n + 1))
    mkdir -p "$corpus/rule"
    printf '%s' "$text" >"$corpus/rule/r$(printf %02d $n)"
done
# Nesting around RULE_NESTING_LIMIT (256) and a long chain.
repeat() { printf "%${2}s" '' | sed "s/ /$1/g"; }
printf '%s' "$(repeat '(' 300)a>1$(repeat ')' 300)" >"$corpus/rule/deep-parens"
printf '%s' "$(repeat 'NOT ' 255)a>1" >"$corpus/rule/deep-not"
printf '%s' "$(repeat 'a>1 AND ' 400)b<2" >"$corpus/rule/long-chain"

# --- scorecards: the examples, and small ones for each feature
mkdir -p "$corpus/scorecard"
cp "$here/../../models/scorecards/"*.json "$corpus/scorecard/"
seed scorecard minimal.json '{"format":"vitals-scorecard","format_version":1,"measures":[{"column":"a","better":"higher","points":[{"at":1,"points":100}]}]}'
seed scorecard lower-exclude.json '{"format":"vitals-scorecard","format_version":1,"name":"x","bands":{"red_below":10,"yellow_below":90},"measures":[{"column":"a","better":"lower","points":[{"at":0,"points":100},{"at":5,"points":40}],"otherwise":10,"weight":2,"missing":"exclude"},{"column":"b","better":"higher","points":[{"at":0.5,"points":0}],"missing":"zero","weight":0.5}]}'
seed scorecard stages-rules.json '{"format":"vitals-scorecard","format_version":1,"measures":[{"column":"a","better":"higher","points":[{"at":1,"points":100}]}],"stages":{"column":"s","levels":{"x":[{"column":"b","better":"lower","points":[{"at":2,"points":60}]}],"y":[{"column":"a","better":"higher","points":[{"at":0,"points":1}]}]}},"rules":[{"when":"a > 0 AND NOT b < 1","bucket":"yellow"},{"when":"c = 1 OR s > 2","points":15}]}'

# --- models: trained on tiny.csv by this build
cd "$work"
mkdir -p "$corpus/model"
"$vitals" train tiny.csv --churn churned --id account_id --drop expanded -o "$corpus/model/churn.json" --quiet 2>/dev/null
"$vitals" train tiny.csv --churn churned --expansion expanded --id account_id -o "$corpus/model/two-targets.json" --quiet 2>/dev/null
"$vitals" train tiny.csv --churn churned --id account_id --drop expanded --by segment -o "$corpus/model/by-segment.json" --quiet 2>/dev/null
"$vitals" train tiny.csv --churn churned --id account_id --drop expanded --holdout 0.3 --l2 0.1 --missing drop \
    -o "$corpus/model/holdout-l2.json" --quiet 2>/dev/null
"$vitals" train tiny.csv --churn churned --id account_id --drop expanded,nps --firth --na '?' --missing error \
    -o "$corpus/model/firth.json" --quiet 2>/dev/null
# A --by model whose first level has its own churn target (tiny data gives
# only fallbacks), so the segment loader sees a full target too.
python3 - "$corpus/model/by-segment.json" "$corpus/model/segment-target.json" <<'EOF'
import json, sys
model = json.load(open(sys.argv[1]))
model["segments"]["levels"][0]["targets"][0] = model["targets"][0]
json.dump(model, open(sys.argv[2], "w"), indent=1)
EOF
echo "seeds written under $corpus"
