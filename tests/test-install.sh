#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# What `make install` installs, and where:
#  1. `make install DESTDIR=...` of this build tree installs exactly the
#     files tests/install-files.txt lists (directories as ${name});
#  2. configured with --prefix=/usr the bus policy, activation file, polkit
#     action and unit land where Debian's dbus-daemon, polkitd and systemd
#     read them, and both the activation file and the unit start
#     /usr/libexec/rawburnd;
#  3. configured with another prefix nothing is installed outside it.
# 2 and 3 configure the source tree again in a temporary folder and install
# only the data files (no compiling). The Makefile passes MAKE,
# RB_INSTALL_DIRS ("name=value ..."), RB_INSTALL_FEATURES, RB_DATA_TARGETS,
# abs_top_srcdir and abs_top_builddir.
set -u

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

: "${MAKE:=make}"
: "${abs_top_srcdir:?run from make check}"
: "${abs_top_builddir:?run from make check}"
expected_list=$abs_top_srcdir/tests/install-files.txt

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rb-test-install.XXXXXX") || fail "mktemp"
# the summary line .ci/run counts, as Check prints it
summary() {
	status=$?
	rm -rf "$tmp"
	if [ "$status" -eq 0 ]; then
		echo "100%: Checks: 3, Failures: 0, Errors: 0"
	else
		echo "0%: Checks: 1, Failures: 1, Errors: 0"
	fi
	exit "$status"
}
trap summary EXIT

# a sub-make of its own: not the jobs of the make check that runs us
rb_make() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "$MAKE" -s --no-print-directory "$@"
}

# files under $1, relative to it, with each directory of RB_INSTALL_DIRS
# (longest value first) written as ${name}
installed_files() {
	subst=$tmp/subst.sed
	: >"$subst"
	for pair in $RB_INSTALL_DIRS; do
		name=${pair%%=*}
		value=${pair#*=}
		[ -n "$value" ] && printf '%s %s\n' "${#value}" "$pair"
	done | sort -rn | while read -r _ pair; do
		name=${pair%%=*}
		value=$(printf '%s' "${pair#*=}" | sed 's/[][\\.*^$|]/\\&/g')
		# shellcheck disable=SC2016 # ${name} is the list's notation
		printf 's|^%s/|${%s}/|;t\n' "$value" "$name" >>"$subst"
	done
	(cd "$1" && find . ! -type d | sed 's|^\.||') | sed -f "$subst" | LC_ALL=C sort
}

# the lines of install-files.txt this build should install
expected_files() {
	grep -v '^#' "$expected_list" | grep -v '^[[:space:]]*$' | while read -r first rest; do
		case $first in
		\?*)
			case " $RB_INSTALL_FEATURES " in
			*" ${first#\?} "*) echo "$rest" ;;
			esac
			;;
		*) echo "$first" ;;
		esac
	done | LC_ALL=C sort
}

# 1. this build tree
rb_make -C "$abs_top_builddir" install DESTDIR="$tmp/dest" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; fail "make install DESTDIR=$tmp/dest"; }
installed_files "$tmp/dest" >"$tmp/installed"
expected_files >"$tmp/expected"
if ! diff -u "$tmp/expected" "$tmp/installed"; then
	fail "make install installs other files than tests/install-files.txt lists (- missing, + not listed)"
fi
echo "PASS: make install DESTDIR installs the $(wc -l <"$tmp/installed") files of tests/install-files.txt"

# 2. and 3. need a source tree that is not configured itself
if [ -f "$abs_top_srcdir/config.status" ]; then
	echo "the source tree is configured in place (no out-of-tree build): the /usr layout is not checked"
	exit 0
fi

configure_data() {
	build=$1
	shift
	mkdir -p "$build"
	(cd "$build" && "$abs_top_srcdir/configure" -q -C --cache-file="$tmp/config.cache" "$@") \
		>"$build.log" 2>&1 || { cat "$build.log"; fail "configure $*"; }
}

# 2. the layout of a distribution package
configure_data "$tmp/usr" --prefix=/usr --sysconfdir=/etc --localstatedir=/var
# shellcheck disable=SC2086 # a list of targets
rb_make -C "$tmp/usr" $RB_DATA_TARGETS DESTDIR="$tmp/usr-dest" >"$tmp/usr-install.log" 2>&1 ||
	{ cat "$tmp/usr-install.log"; fail "make $RB_DATA_TARGETS (--prefix=/usr)"; }
dest=$tmp/usr-dest
for file in /usr/share/dbus-1/system.d/org.rawburn.RawBurn1.conf \
	/usr/share/dbus-1/system-services/org.rawburn.RawBurn1.service \
	/usr/share/polkit-1/actions/org.rawburn.policy; do
	[ -f "$dest$file" ] || fail "--prefix=/usr did not install $file"
done
# systemd's own directory, else either of the two it reads on Debian
unitdir=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null)
if [ -n "$unitdir" ]; then
	unit=$dest$unitdir/rawburnd.service
	[ -f "$unit" ] || fail "--prefix=/usr did not install the unit into $unitdir (pkg-config systemd)"
else
	unit=$dest/lib/systemd/system/rawburnd.service
	[ -f "$unit" ] || unit=$dest/usr/lib/systemd/system/rawburnd.service
	[ -f "$unit" ] || fail "--prefix=/usr did not install the unit into /lib/systemd/system or /usr/lib/systemd/system"
fi
grep -qx 'Exec=/usr/libexec/rawburnd' "$dest/usr/share/dbus-1/system-services/org.rawburn.RawBurn1.service" ||
	fail "the activation file does not start /usr/libexec/rawburnd"
grep -qx 'ExecStart=/usr/libexec/rawburnd' "$unit" ||
	fail "the unit does not start /usr/libexec/rawburnd"
echo "PASS: --prefix=/usr installs the policy, activation file, polkit action and unit where dbus-daemon, polkitd and systemd read them"

# 3. a user's prefix: nothing outside it
prefix=$tmp/home/x
configure_data "$tmp/x" --prefix="$prefix"
# shellcheck disable=SC2086
rb_make -C "$tmp/x" $RB_DATA_TARGETS DESTDIR="$tmp/x-dest" >"$tmp/x-install.log" 2>&1 ||
	{ cat "$tmp/x-install.log"; fail "make $RB_DATA_TARGETS (--prefix=$prefix)"; }
outside=$(cd "$tmp/x-dest" && find . ! -type d | sed 's|^\.||' | grep -v "^$prefix/")
[ -z "$outside" ] || fail "--prefix=$prefix installs outside the prefix: $outside"
[ -n "$(cd "$tmp/x-dest" && find . ! -type d)" ] || fail "--prefix=$prefix installed nothing"
echo "PASS: --prefix=$prefix installs nothing outside the prefix"
