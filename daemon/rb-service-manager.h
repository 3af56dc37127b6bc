/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rb-generated.h"

G_BEGIN_DECLS

typedef struct _RbDaemon RbDaemon;

#define RB_TYPE_SERVICE_MANAGER (rb_service_manager_get_type())
G_DECLARE_FINAL_TYPE(RbServiceManager, rb_service_manager, RB, SERVICE_MANAGER, RbManagerSkeleton)

RbServiceManager *rb_service_manager_new(RbDaemon *daemon);

G_END_DECLS
