# A PostgreSQL URI with a second '@' before its host (a password holding an
# unencoded '@'): libpq would end the userinfo at the first one and take the
# rest of the password for the host, which every message then showed.  It is
# refused before any connection (no server needed), in one line that shows
# none of the URI and says to write the '@' as %40; an encoded one is read as
# a password (the connection is then refused: no server listens there).
train_small
at_refused() { # URI, then a command's arguments around it
    uri=$1
    shift
    expect_fail "^vitals: a PostgreSQL URI with more than one '@' before its host: write an '@' of the user name or password as %40 \(postgresql://user:p%40ss@host/db\)$" \
        "$@"
    for secret in hunter 2xq 'pa:ss' sneaky; do
        ! grep -qF "$secret" stderr.txt || fail "the message shows $secret"
    done
    [ "$(wc -c <stdout.txt)" -eq 0 ] || fail "wrote to standard output"
}
at_refused x "$vitals" predict model.json 'postgresql://vitals:hunter@2xq@/db' --table accounts
at_refused x "$vitals" predict model.json 'postgresql://vitals:hunter@2xq@/db' --table accounts --to-table scores --replace
at_refused x "$vitals" predict model.json 'postgres://sneaky:pa:ss@x@y@host:5432/db?sslmode=disable' --query 'SELECT 1'
at_refused x "$vitals" predict model.json 'postgresql://vitals:hunter@2xq@host' --table accounts
at_refused x "$vitals" train 'postgresql://vitals:hunter@2xq@/db' --table accounts --churn churn --id id -o m2.json
at_refused x "$vitals" score "$fixtures/../../models/scorecards/equal-weights.json" 'postgresql://vitals:hunter@2xq@/db' \
    --table accounts --id account_id
no_file m2.json

# Not a second '@' before the host: one in the query string, in a path, or
# encoded.  These reach libpq, which finds no server at this socket.
for uri in 'postgresql://vitals:hunter%402xq@/db?host=/nonexistent-vitals' \
    'postgresql:///db?host=/nonexistent-vitals&application_name=a@b' \
    'postgresql://vitals@/db?host=/nonexistent-vitals&options=x@y'; do
    expect_fail "cannot connect" "$vitals" predict model.json "$uri" --table accounts
    ! grep -qF hunter stderr.txt || fail "the message shows the password of $uri"
done
