#!/bin/sh
# man.sh VITALS OUT: write the manual page vitals.1 from the program's own
# --help texts (vitals --help, then each command's), so the page and --help
# never disagree.  Run by the build (CMakeLists.txt) after vitals is linked.
set -eu
vitals=$1
out=$2
# roff: a backslash is \e; a line that starts with . or ' is protected by \&
escape() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }
commands=$("$vitals" --help | awk '/^  [a-z]+ / { print $1 }')
version=$("$vitals" --version | awk '{ print $2 }')
tmp=$out.tmp.$$
{
    echo ".TH VITALS 1 \"\" \"vitals $version\" \"User Commands\""
    echo ".SH NAME"
    echo "vitals \\- learn customer-health scores from account snapshots, and score them"
    echo ".SH SYNOPSIS"
    echo ".B vitals"
    echo ".I COMMAND"
    echo "[options]"
    echo ".SH DESCRIPTION"
    echo ".nf"
    "$vitals" --help | escape
    echo ".fi"
    echo ".SH COMMANDS"
    for command in $commands; do
        echo ".SS $command"
        echo ".nf"
        "$vitals" "$command" --help | escape
        echo ".fi"
    done
    echo ".SH EXIT STATUS"
    echo "0 on success; otherwise one line on standard error,"
    echo ".IR \"vitals: FILE:LINE:COL: what is wrong\" ,"
    echo "a non-zero status, and no partial output."
    echo ".SH SEE ALSO"
    echo "README.md and models/SCORECARD.md in the source tree."
} >"$tmp"
mv "$tmp" "$out"
