/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The authorization map of the D-Bus API (dbus-api.md, "Authorization
 * map"): every member that changes a drive, a disc, a virtual recorder or
 * another client's work names its polkit action here, and nowhere else.
 * Handlers validate their arguments, call rb_auth_map_authorize_async() and
 * change state only in its callback. A test walks the introspection XML and
 * fails on any member this table does not list.
 */
#include "config.h"

#define G_LOG_DOMAIN "RbAuthMap"

#include <glib/gi18n.h>

#include "rb-auth-map.h"
#include "rb-dbus-util.h"
#include "rb-error.h"

#define RB_IFACE_MANAGER "org.rawburn.RawBurn1.Manager"
#define RB_IFACE_RECORDER "org.rawburn.RawBurn1.Recorder"
#define RB_IFACE_RAW_CD "org.rawburn.RawBurn1.DiscFormat2RawCD"
#define RB_IFACE_ERASE "org.rawburn.RawBurn1.DiscFormat2Erase"
#define RB_IFACE_VIRTUAL "org.rawburn.RawBurn1.VirtualRecorder"
#define RB_IFACE_CREATOR "org.rawburn.RawBurn1.RawCDImageCreator"
#define RB_IFACE_TRACK "org.rawburn.RawBurn1.RawCDImageTrackInfo"
#define RB_IFACE_JOB "org.rawburn.RawBurn1.Job"

#define RB_MESSAGE_BURN N_("Authentication is required to write to a CD recorder")
#define RB_MESSAGE_TRAY N_("Authentication is required to eject or load a medium")
#define RB_MESSAGE_VIRTUAL N_("Authentication is required to add or remove a virtual CD recorder")
#define RB_MESSAGE_CANCEL_OTHER                                                                    \
	N_("Authentication is required to cancel a CD burn another user started")
#define RB_MESSAGE_VIRTUAL_DISC                                                                    \
	N_("Authentication is required to change or read the disc of a virtual CD recorder")

/* clang-format off */
static const RbAuthRule rb_auth_rules[] = {
	{RB_IFACE_MANAGER, "GetRecorders", FALSE, NULL, NULL},
	{RB_IFACE_MANAGER, "AddVirtualRecorder", FALSE, RB_AUTHORITY_ACTION_MANAGE_VIRTUAL, RB_MESSAGE_VIRTUAL},
	{RB_IFACE_MANAGER, "RemoveVirtualRecorder", FALSE, RB_AUTHORITY_ACTION_MANAGE_VIRTUAL, RB_MESSAGE_VIRTUAL},
	/* a creator holds only its owner's data; producing the image is a burn's first step */
	{RB_IFACE_MANAGER, "CreateImageCreator", FALSE, NULL, NULL},

	{RB_IFACE_RECORDER, "EjectMedia", FALSE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_TRAY},
	{RB_IFACE_RECORDER, "CloseTray", FALSE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_TRAY},

	{RB_IFACE_RAW_CD, "PrepareMedia", FALSE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_BURN},
	{RB_IFACE_RAW_CD, "WriteMedia", FALSE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_BURN},
	{RB_IFACE_RAW_CD, "WriteMedia2", FALSE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_BURN},
	{RB_IFACE_RAW_CD, "Burn", FALSE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_BURN},
	{RB_IFACE_RAW_CD, "SetWriteSpeed", FALSE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_BURN},
	/* the lock holder's own calls: PrepareMedia authorized it */
	{RB_IFACE_RAW_CD, "CancelWrite", FALSE, NULL, NULL},
	{RB_IFACE_RAW_CD, "ReleaseMedia", FALSE, NULL, NULL},
	{RB_IFACE_RAW_CD, "ClientName", TRUE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_BURN},
	{RB_IFACE_RAW_CD, "RequestedSectorType", TRUE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_BURN},
	{RB_IFACE_RAW_CD, "BufferUnderrunFreeDisabled", TRUE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_BURN},
	{RB_IFACE_RAW_CD, "Preflight", TRUE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_BURN},
	{RB_IFACE_RAW_CD, "TestWrite", TRUE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_BURN},
	/* reading back takes the recorder's lock for as long, so it asks as a burn does */
	{RB_IFACE_RAW_CD, "VerifyMedia", FALSE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_BURN},
	/* DiscFormat2Erase */
	{RB_IFACE_ERASE, "EraseMedia", FALSE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_BURN},
	{RB_IFACE_ERASE, "ClientName", TRUE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_BURN},
	{RB_IFACE_ERASE, "FullErase", TRUE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_BURN},

	{RB_IFACE_VIRTUAL, "InsertMedia", FALSE, RB_AUTHORITY_ACTION_MANAGE_VIRTUAL, RB_MESSAGE_VIRTUAL_DISC},
	{RB_IFACE_VIRTUAL, "RemoveMedia", FALSE, RB_AUTHORITY_ACTION_MANAGE_VIRTUAL, RB_MESSAGE_VIRTUAL_DISC},
	{RB_IFACE_VIRTUAL, "ExportImage", FALSE, RB_AUTHORITY_ACTION_MANAGE_VIRTUAL, RB_MESSAGE_VIRTUAL_DISC},
	{RB_IFACE_VIRTUAL, "LoadDisc", FALSE, RB_AUTHORITY_ACTION_MANAGE_VIRTUAL, RB_MESSAGE_VIRTUAL_DISC},
	{RB_IFACE_VIRTUAL, "Faults", TRUE, RB_AUTHORITY_ACTION_MANAGE_VIRTUAL, RB_MESSAGE_VIRTUAL_DISC},
	{RB_IFACE_VIRTUAL, "FinishingMilliseconds", TRUE, RB_AUTHORITY_ACTION_MANAGE_VIRTUAL, RB_MESSAGE_VIRTUAL_DISC},

	/* the owner's own creator (others get AccessDenied) */
	{RB_IFACE_CREATOR, "AddTrack", FALSE, NULL, NULL},
	{RB_IFACE_CREATOR, "AddSpecialPregap", FALSE, NULL, NULL},
	{RB_IFACE_CREATOR, "AddSubcodeRWGenerator", FALSE, NULL, NULL},
	{RB_IFACE_CREATOR, "CreateResultImage", FALSE, RB_AUTHORITY_ACTION_BURN, RB_MESSAGE_BURN},
	{RB_IFACE_CREATOR, "Close", FALSE, NULL, NULL},
	{RB_IFACE_CREATOR, "ResultingImageType", TRUE, NULL, NULL},
	{RB_IFACE_CREATOR, "StartOfLeadoutLimit", TRUE, NULL, NULL},
	{RB_IFACE_CREATOR, "DisableGaplessAudio", TRUE, NULL, NULL},
	{RB_IFACE_CREATOR, "MediaCatalogNumber", TRUE, NULL, NULL},
	{RB_IFACE_CREATOR, "StartingTrackNumber", TRUE, NULL, NULL},
	{RB_IFACE_TRACK, "AddTrackIndex", FALSE, NULL, NULL},
	{RB_IFACE_TRACK, "ClearTrackIndex", FALSE, NULL, NULL},
	{RB_IFACE_TRACK, "ISRC", TRUE, NULL, NULL},
	{RB_IFACE_TRACK, "DigitalAudioCopySetting", TRUE, NULL, NULL},
	{RB_IFACE_TRACK, "AudioHasPreemphasis", TRUE, NULL, NULL},

	/* asked only when the caller did not start the job: neither its
	 * connection nor its user (rb-service-job.c decides that first) */
	{RB_IFACE_JOB, "Cancel", FALSE, RB_AUTHORITY_ACTION_CANCEL_OTHER, RB_MESSAGE_CANCEL_OTHER},
};
/* clang-format on */

const RbAuthRule *
rb_auth_map_get_rules(gsize *n_rules)
{
	g_return_val_if_fail(n_rules != NULL, NULL);
	*n_rules = G_N_ELEMENTS(rb_auth_rules);
	return rb_auth_rules;
}

const RbAuthRule *
rb_auth_map_lookup(const gchar *interface_name, const gchar *member, gboolean property)
{
	for (gsize i = 0; i < G_N_ELEMENTS(rb_auth_rules); i++) {
		const RbAuthRule *rule = &rb_auth_rules[i];

		if (rule->property == property &&
		    g_strcmp0(rule->interface_name, interface_name) == 0 &&
		    g_strcmp0(rule->member, member) == 0)
			return rule;
	}
	return NULL;
}

/* the option's value, checked like any other option of the call */
gboolean
rb_auth_map_parse_no_user_interaction(GVariant *value, gboolean *out, GError **error)
{
	if (!g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
		g_set_error(error,
			    G_DBUS_ERROR,
			    G_DBUS_ERROR_INVALID_ARGS,
			    _("The option “%s” takes a boolean (b), not “%s”."),
			    RB_AUTH_OPTION_NO_USER_INTERACTION,
			    g_variant_get_type_string(value));
		return FALSE;
	}
	*out = g_variant_get_boolean(value);
	return TRUE;
}

/* polkit may show a dialog only when the caller said it waits for one */
static RbAuthorityCheckFlags
rb_auth_map_get_flags(GDBusMethodInvocation *invocation, GVariant *options)
{
	GDBusMessage *message = g_dbus_method_invocation_get_message(invocation);
	gboolean no_interaction = FALSE;

	if (options != NULL) {
		g_autoptr(GVariant) value =
			g_variant_lookup_value(options, RB_AUTH_OPTION_NO_USER_INTERACTION, NULL);
		if (value != NULL && g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN))
			no_interaction = g_variant_get_boolean(value);
	} else {
		no_interaction = (g_dbus_message_get_flags(message) &
				  G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION) == 0;
	}
	return no_interaction ? RB_AUTHORITY_CHECK_FLAGS_NO_USER_INTERACTION
			      : RB_AUTHORITY_CHECK_FLAGS_NONE;
}

void
rb_auth_map_authorize_async(RbAuthority *authority,
			    GDBusMethodInvocation *invocation,
			    GVariant *options,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	const gchar *interface_name = g_dbus_method_invocation_get_interface_name(invocation);
	const gchar *member = g_dbus_method_invocation_get_method_name(invocation);
	gboolean property = FALSE;
	const RbAuthRule *rule;

	g_return_if_fail(RB_IS_AUTHORITY(authority));
	g_return_if_fail(G_IS_DBUS_METHOD_INVOCATION(invocation));

	/* a property write: Set(interface, property, value) */
	if (g_strcmp0(interface_name, RB_DBUS_PROPERTIES_INTERFACE) == 0) {
		GVariant *parameters = g_dbus_method_invocation_get_parameters(invocation);

		if (g_strcmp0(member, "Set") == 0 &&
		    g_variant_is_of_type(parameters, G_VARIANT_TYPE("(ssv)"))) {
			g_variant_get(parameters, "(&s&sv)", &interface_name, &member, NULL);
			property = TRUE;
		}
	}
	rule = rb_auth_map_lookup(interface_name, member, property);
	if (rule == NULL) {
		g_autoptr(GTask) task = g_task_new(authority, NULL, callback, user_data);

		g_warning("%s.%s is not on the authorization map; refusing it",
			  interface_name,
			  member);
		g_task_return_error(task,
				    rb_error_new(RB_ERROR_NOT_AUTHORIZED,
						 _("%s.%s has no authorization rule, so it is "
						   "refused; report this as a bug."),
						 interface_name,
						 member));
		return;
	}
	/* members on the map without an action need none */
	if (rule->action_id == NULL) {
		g_autoptr(GTask) task = g_task_new(authority, NULL, callback, user_data);

		g_task_return_boolean(task, TRUE);
		return;
	}
	rb_authority_check_full_async(authority,
				      g_dbus_method_invocation_get_sender(invocation),
				      rule->action_id,
				      rule->message,
				      rb_auth_map_get_flags(invocation, options),
				      NULL,
				      callback,
				      user_data);
}

gboolean
rb_auth_map_authorize_finish(RbAuthority *authority, GAsyncResult *result, GError **error)
{
	return rb_authority_check_finish(authority, result, error);
}

typedef struct {
	GObject *self;
	GObject *keep_alive;
	guint *pending; /* in @self, which outlives the call */
	GDBusMethodInvocation *invocation;
	RbAuthAliveFunc alive;
	RbAuthThenFunc then;
} RbAuthCall;

static void
rb_auth_call_free(RbAuthCall *call)
{
	(*call->pending)--;
	g_object_unref(call->invocation);
	g_clear_object(&call->keep_alive);
	g_object_unref(call->self);
	g_free(call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RbAuthCall, rb_auth_call_free)

static void
rb_auth_map_authorized(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(RbAuthCall) call = user_data;
	g_autoptr(GError) error = NULL;

	if (!rb_auth_map_authorize_finish(RB_AUTHORITY(source), result, &error)) {
		rb_dbus_util_return_error(call->invocation, error);
		return;
	}
	/* what the call is for may have gone while polkit asked */
	if (!call->alive(call->self, call->invocation))
		return;
	call->then(call->self, call->invocation);
}

void
rb_auth_map_authorize_then(RbAuthority *authority,
			   GDBusMethodInvocation *invocation,
			   GVariant *options,
			   GObject *self,
			   GObject *keep_alive,
			   guint *pending,
			   RbAuthAliveFunc alive,
			   RbAuthThenFunc then)
{
	RbAuthCall *call;

	if (!alive(self, invocation))
		return;
	call = g_new0(RbAuthCall, 1);
	call->self = g_object_ref(self);
	call->keep_alive = keep_alive != NULL ? g_object_ref(keep_alive) : NULL;
	call->pending = pending;
	call->invocation = g_object_ref(invocation);
	call->alive = alive;
	call->then = then;
	(*pending)++;
	rb_auth_map_authorize_async(authority, invocation, options, rb_auth_map_authorized, call);
}
