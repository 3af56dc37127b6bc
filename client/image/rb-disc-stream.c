/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PLACEHOLDER
 */
#include "config.h"

#include "rb-disc-image-private.h"
