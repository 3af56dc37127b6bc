#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Qt programs generate their proxies from the installed XML: qdbusxml2cpp
# must accept every dbus/*.xml (it refuses a type it cannot map unless an
# org.qtproject.QtDBus.QtTypeName annotation names the Qt type), and the
# generated code must compile without a warning against QtDBus, with the
# types tests/qt/rb-qt-types.h declares for the one struct.
# The Makefile passes QDBUSXML2CPP, QT_CXX, QT5DBUS_CFLAGS, abs_top_srcdir.
# Without Qt the test is skipped, except in CI (CI set), where .ci/build
# installs qtbase5-dev and qtbase5-dev-tools: there it fails.
set -u

: "${abs_top_srcdir:?run from make check}"

missing() {
	if [ -n "${CI:-}" ]; then
		echo "FAIL: $* (.ci/build installs qtbase5-dev and qtbase5-dev-tools)" >&2
		exit 1
	fi
	echo "SKIP: $* (apt-get install qtbase5-dev qtbase5-dev-tools, then configure again)"
	exit 77
}

[ -n "${QDBUSXML2CPP:-}" ] || missing "qdbusxml2cpp was not found by configure"
[ -n "${QT5DBUS_CFLAGS:-}" ] || missing "Qt5DBus was not found by configure"
[ -n "${QT_CXX:-}" ] || missing "no C++ compiler (g++) was found by configure"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rb-test-qt.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

status=0
count=0
for xml in "$abs_top_srcdir"/dbus/*.xml; do
	name=$(basename "$xml" .xml)
	name=$(echo "${name##*.}" | tr 'A-Z' 'a-z')
	count=$((count + 1))
	# qdbusxml2cpp prints its complaint and still exits 0 for some of them:
	# anything it says is a failure
	if ! (cd "$tmp" && "$QDBUSXML2CPP" -p "${name}proxy" -i rb-qt-types.h "$xml") >"$tmp/$name.gen" 2>&1 ||
		[ -s "$tmp/$name.gen" ]; then
		echo "FAIL: qdbusxml2cpp $xml:" >&2
		cat "$tmp/$name.gen" >&2
		status=1
		continue
	fi
	# shellcheck disable=SC2086
	if ! "$QT_CXX" -std=c++17 -fPIC -Wall -Wextra -Werror -I"$abs_top_srcdir/tests/qt" \
		$QT5DBUS_CFLAGS -c "$tmp/${name}proxy.cpp" -o "$tmp/$name.o" >"$tmp/$name.cxx" 2>&1; then
		echo "FAIL: the proxy qdbusxml2cpp generated from $xml does not compile cleanly:" >&2
		cat "$tmp/$name.cxx" >&2
		status=1
		continue
	fi
	echo "PASS: $(basename "$xml"): proxy generated and compiled"
done
[ "$count" -gt 0 ] || { echo "FAIL: no dbus/*.xml in $abs_top_srcdir" >&2; exit 1; }
exit $status
