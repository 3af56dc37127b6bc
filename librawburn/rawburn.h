/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * librawburn-1: the client library of rawburnd. Applications include this
 * header alone: #include <rawburn/rawburn.h>, with the flags of
 * `pkg-config --cflags --libs rawburn-1`.
 */
#pragma once

#include "rb-burn.h"
#include "rb-client.h"
#include "rb-error.h"
#include "rb-generated.h"
