/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the image file tests: sample sets generated on the fly (WAV,
 * BIN sectors, sheets), and burning them onto a virtual recorder.
 */
#include "config.h"

#include "rb-disc-test.h"
