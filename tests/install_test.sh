#!/usr/bin/env bash
# cmake --install puts paceline and its crm/crm_mon links in sbin, and
# leaves a crm_mon that is not ours (crmsh's/Pacemaker's) alone.
set -euo pipefail
build=$1
root=$(mktemp -d /tmp/paceline-install-XXXXXX)
trap 'rm -rf "$root"' EXIT

DESTDIR=$root/a cmake --install "$build" >/dev/null
test -x "$root/a/usr/sbin/paceline"
test "$(readlink "$root/a/usr/sbin/crm")" = paceline
test "$(readlink "$root/a/usr/sbin/crm_mon")" = paceline
"$root/a/usr/sbin/crm" --help | grep -q '^usage: crm'
# the agents' crm_attribute/crm_master, privately, never in /usr/sbin
test "$(readlink "$root/a/usr/lib/paceline/sbin/crm_attribute")" = /usr/sbin/paceline
test "$(readlink "$root/a/usr/lib/paceline/sbin/crm_master")" = /usr/sbin/paceline
test ! -e "$root/a/usr/sbin/crm_attribute"

mkdir -p "$root/b/usr/sbin"
printf '#!/bin/sh\necho pacemaker\n' >"$root/b/usr/sbin/crm_mon"
out=$(DESTDIR=$root/b cmake --install "$build")
grep -q 'Keeping .*crm_mon' <<<"$out"
test "$("$root/b/usr/sbin/crm_mon" 2>/dev/null || sh "$root/b/usr/sbin/crm_mon")" = pacemaker
test "$(readlink "$root/b/usr/sbin/crm")" = paceline
echo "install test passed"
