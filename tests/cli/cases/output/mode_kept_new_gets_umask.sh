# Regression (issue 9): overwriting a 0640 file left it 0644 (the
# temporary's mode), and owner and group were lost.
train_small
echo "previous scores" >kept.csv
chmod 0640 kept.csv
"$vitals" predict model.json small.csv -o kept.csv 2>/dev/null || fail "predict over an existing file"
[ "$(stat -c %a kept.csv)" = 640 ] || fail "kept.csv is now $(stat -c %a kept.csv), not 640"
[ "$(wc -l <kept.csv)" -eq 9 ] || fail "kept.csv was not rewritten"

(umask 022 && "$vitals" predict model.json small.csv -o new.csv 2>/dev/null) || fail "predict to a new file"
[ "$(stat -c %a new.csv)" = 644 ] || fail "new.csv under umask 022 is $(stat -c %a new.csv), not 644"
(umask 027 && "$vitals" predict model.json small.csv -o private.csv 2>/dev/null) || fail "predict to a new file"
[ "$(stat -c %a private.csv)" = 640 ] || fail "private.csv under umask 027 is $(stat -c %a private.csv), not 640"

if [ "$(id -u)" = 0 ]; then
    chown 65534:65534 kept.csv
    "$vitals" predict model.json small.csv -o kept.csv 2>/dev/null || fail "predict over another user's file"
    [ "$(stat -c %u:%g:%a kept.csv)" = 65534:65534:640 ] || fail "owner, group or mode lost: $(stat -c %u:%g:%a kept.csv)"
fi
