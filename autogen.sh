#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Prepares a git checkout for ./configure.
set -e
srcdir=$(dirname "$0")
cd "$srcdir"
mkdir -p m4
autopoint --force
autoreconf --force --install --verbose
