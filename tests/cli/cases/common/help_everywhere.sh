for command in train predict generate summary diff score compare evaluate; do
    "$vitals" $command --help | grep -q "usage: vitals $command" || fail "$command --help"
done
