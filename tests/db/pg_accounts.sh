# Sourced by the pg_* cases: generated accounts in a typed PostgreSQL table
# `accounts` (churned a boolean, as a warehouse would keep it), and
# export.csv, psql's CSV export of the same rows in the same order.
# make_accounts ROWS SEED
make_accounts() {
    "$vitals" generate "$1" --seed "$2" -o generated.csv 2>/dev/null || fail "generate"
    psql -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || fail "creating accounts"
SET client_min_messages = warning;
DROP TABLE IF EXISTS accounts;
CREATE TABLE accounts (account_id text PRIMARY KEY, segment text, lifecycle_stage text, seats integer,
    mrr double precision, tenure_months integer, logins_per_seat double precision,
    active_user_ratio double precision, feature_a_adoption double precision, feature_b_adoption double precision,
    feature_c_adoption double precision, usage_trend double precision, open_tickets integer, nps integer,
    unpaid_invoices integer, days_since_contact integer, churned boolean, expanded integer);
\copy accounts FROM 'generated.csv' (FORMAT csv, HEADER)
SQL
    psql -q -v ON_ERROR_STOP=1 -c "\\copy (SELECT * FROM accounts) TO 'export.csv' (FORMAT csv, HEADER)" ||
        fail "exporting accounts"
}

# The model without what names its source (path, query) or its time.
model_numbers() { grep -Ev '"(created_at|path|query)":' "$1"; }

# table_csv TABLE ORDER FILE: the table's rows as psql exports them, ordered.
table_csv() {
    psql -q -v ON_ERROR_STOP=1 -c "\\copy (SELECT * FROM $1 ORDER BY $2) TO '$3' (FORMAT csv, HEADER)" ||
        fail "exporting $1"
}

# load_csv TABLE LIKE FILE: a CSV file into a new table shaped like LIKE.
load_csv() {
    psql -q -v ON_ERROR_STOP=1 >/dev/null <<SQL || fail "loading $3 into $1"
SET client_min_messages = warning;
DROP TABLE IF EXISTS $1;
CREATE TABLE $1 (LIKE $2);
\\copy $1 FROM '$3' (FORMAT csv, HEADER)
SQL
}
