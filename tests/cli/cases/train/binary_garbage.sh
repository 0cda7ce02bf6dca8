printf '\177ELF\002\001\001\000\000\000\000\000\003\000>\000\001\000\000\000\n\000\000' >g.csv
expect_fail "^vitals: g\.csv:1:1: binary data" "$vitals" train g.csv --churn churn -o m.json
no_file m.json
