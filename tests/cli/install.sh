#!/bin/sh
# install.sh BUILD: `make install` as a packager runs it (PREFIX and DESTDIR),
# into a temporary staging directory: bin/vitals runs, the manual page has
# a section for every command --help lists, and man renders it.
set -u
build=$1
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
fail() { echo "FAIL [install_destdir]: $*"; exit 1; }
DESTDIR=$stage cmake --install "$build" --prefix /opt/vitals >/dev/null || fail "cmake --install"
bin=$stage/opt/vitals/bin/vitals
page=$stage/opt/vitals/share/man/man1/vitals.1
[ -x "$bin" ] || fail "no bin/vitals under PREFIX"
"$bin" --version | grep -q '^vitals ' || fail "the installed vitals does not run"
[ -f "$page" ] || fail "no share/man/man1/vitals.1"
for command in $("$bin" --help | awk '/^  [a-z]+ / { print $1 }'); do
    grep -q "^\.SS $command\$" "$page" || fail "the manual page has no section for $command"
done
grep -q 'usage: vitals evaluate' "$page" || fail "the page does not hold the commands' --help text"
if command -v man >/dev/null 2>&1; then
    MANWIDTH=80 man -l "$page" 2>/dev/null | grep -q 'VITALS(1)' || fail "man cannot render the page"
fi
echo "ok [install_destdir]"
