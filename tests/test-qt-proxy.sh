#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Qt programs generate their proxies from the installed XML: qdbusxml2cpp
# must accept every dbus/*.xml (it refuses a type it cannot map unless an
# org.qtproject.QtDBus.QtTypeName annotation names the Qt type), and the
# generated code must compile without a warning against QtDBus, with the
# types tests/qt/rb-qt-types.h declares for the one struct. Then a Qt
# program built on those proxies (tests/qt/rb-qt-burn.cpp) burns an image
# onto a virtual recorder of rawburnd on a private bus, and checks the
# drive's report.
# The Makefile passes QDBUSXML2CPP, QT_MOC, QT_CXX, QT5DBUS_CFLAGS,
# QT5DBUS_LIBS, DBUS_DAEMON, RAWBURND, RAWBURNCTL, MAKE_IMAGE and
# abs_top_srcdir.
# Without Qt the test fails rather than skip: the README's test command
# (.ci/build) installs qtbase5-dev and qtbase5-dev-tools.
set -u

: "${abs_top_srcdir:?run from make check}"

missing() {
	echo "FAIL: $* (apt-get install qtbase5-dev qtbase5-dev-tools, then configure again)" >&2
	exit 1
}

[ -n "${QDBUSXML2CPP:-}" ] || missing "qdbusxml2cpp was not found by configure"
[ -n "${QT5DBUS_CFLAGS:-}" ] || missing "Qt5DBus was not found by configure"
[ -n "${QT_MOC:-}" ] || missing "Qt's moc was not found by configure"
[ -n "${QT_CXX:-}" ] || missing "no C++ compiler (g++) was found by configure"

. "$abs_top_srcdir/tests/rb-private-bus.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rb-test-qt.XXXXXX") || exit 1
cleanup() {
	status=$?
	rb_private_bus_stop
	rm -rf "$tmp"
	# the summary line .ci/run counts, as Check prints it
	if [ "$status" -eq 0 ]; then
		echo "100%: Checks: 1, Failures: 0, Errors: 0"
	else
		echo "0%: Checks: 1, Failures: 1, Errors: 0"
	fi
	exit "$status"
}
trap cleanup EXIT

status=0
count=0
for xml in "$abs_top_srcdir"/dbus/*.xml; do
	name=$(basename "$xml" .xml)
	name=$(echo "${name##*.}" | tr '[:upper:]' '[:lower:]')
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
[ "$status" -eq 0 ] || exit 1

# the burn, as a Qt application does it
: "${RAWBURND:?}" "${RAWBURNCTL:?}" "${MAKE_IMAGE:?}" "${DBUS_DAEMON:?}"
# moc's output for the four proxies as one unit: one compile, not four
objects=""
: >"$tmp/moc_all.cpp"
for name in manager recorder discformat2rawcd virtualrecorder; do
	"$QT_MOC" "$tmp/${name}proxy.h" -o "$tmp/moc_${name}proxy.cpp" || exit 1
	echo "#include \"moc_${name}proxy.cpp\"" >>"$tmp/moc_all.cpp"
	objects="$objects $tmp/$name.o"
done
# shellcheck disable=SC2086
for source in "$abs_top_srcdir/tests/qt/rb-qt-burn.cpp" "$tmp/moc_all.cpp"; do
	object=$tmp/$(basename "$source" .cpp).o
	"$QT_CXX" -std=c++17 -fPIC -Wall -Wextra -Werror -I"$abs_top_srcdir/tests/qt" -I"$tmp" \
		$QT5DBUS_CFLAGS -c "$source" -o "$object" || { echo "FAIL: compiling $source" >&2; exit 1; }
done
objects="$objects $tmp/moc_all.o"
# shellcheck disable=SC2086
"$QT_CXX" -o "$tmp/rb-qt-burn" "$tmp/rb-qt-burn.o" $objects $QT5DBUS_LIBS ||
	{ echo "FAIL: linking rb-qt-burn" >&2; exit 1; }

rb_private_bus_start "$tmp" || exit 1
rb_rawburnd_start "$tmp/rawburnd.log" --virtual-recorder media=cd-r-80,realtime=false || exit 1

"$MAKE_IMAGE" --sector-type 3 --tracks 2 --seconds 10 "$tmp/image.raw" >/dev/null || exit 1
if ! "$tmp/rb-qt-burn" "$tmp/image.raw" 3 2; then
	cat "$tmp/rawburnd.log" >&2
	echo "FAIL: the Qt program's burn" >&2
	exit 1
fi
echo "PASS: a Qt program built on the generated proxies burned a disc"
