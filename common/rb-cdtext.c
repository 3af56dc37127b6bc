/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PLACEHOLDER: CD-TEXT packs (rb-cdtext.h).
 */
#include "config.h"

#include "rb-cdtext.h"
