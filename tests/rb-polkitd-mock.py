# SPDX-License-Identifier: GPL-3.0-or-later
'''polkitd mock for rawburn's authorization tests (a python-dbusmock template)

  python3 -m dbusmock --system --template tests/rb-polkitd-mock.py \
      -p '{"policy": "_build/dbus/org.rawburn.policy"}'

dbusmock's own polkitd template answers from a list of allowed actions and
nothing else. The tests need the parts of real polkitd (polkit 122,
src/polkitbackend/polkitbackendinteractiveauthority.c) that decide what a
service sees:

- the subject's uid comes from the bus (GetConnectionUnixUser of a
  system-bus-name subject), and uid 0 is always authorized for anything;
- an action the policy file does not register is an error, even for root
  (with the "policy" parameter: the built org.rawburn.policy);
- only root may ask about another user's process, or pass details;
- an action needing authentication is a challenge (is_challenge true) unless
  the caller allowed user interaction (flag 1) and an agent answers; this
  agent answers as SetAgent says (by default it authenticates).

Mock interface (org.freedesktop.DBus.Mock):
  SetAllowed(as)           authorized without interaction
  SetChallenge(as)         authorized only after the agent (flag 1)
  AllowUnknown(b)          every other registered action authorized
  SetAgent(s)              "success" (default), "dismissed", "failed", "none"
  SimulateHangActions(as)  checks for these actions wait for ReleaseHangingCalls()
  ReleaseHangingCalls()    answer them; HaveHangingCalls() -> b
  GetChecks() -> a(ssuu)   every CheckAuthorization received, in order: action id,
                           subject bus name ("" for other kinds), subject uid
                           (0xffffffff when unknown), flags
  ClearChecks()
'''

import xml.etree.ElementTree as ElementTree

import dbus
import dbus.service

from dbusmock import MOCK_IFACE

BUS_NAME = 'org.freedesktop.PolicyKit1'
MAIN_OBJ = '/org/freedesktop/PolicyKit1/Authority'
MAIN_IFACE = 'org.freedesktop.PolicyKit1.Authority'
SYSTEM_BUS = True

FLAG_ALLOW_USER_INTERACTION = 1
FLAG_ALWAYS_CHECK = 2  # polkit >= 124: no special case for root
NO_UID = 0xffffffff

ERROR_FAILED = 'org.freedesktop.PolicyKit1.Error.Failed'
ERROR_NOT_AUTHORIZED = 'org.freedesktop.PolicyKit1.Error.NotAuthorized'
ERROR_CANCELLED = 'org.freedesktop.PolicyKit1.Error.Cancelled'

AGENT_MODES = ('success', 'dismissed', 'failed', 'none')


def load(mock, parameters):
    mock.AddProperties(MAIN_IFACE,
                       dbus.Dictionary({
                           'BackendName': 'rawburn-test',
                           'BackendVersion': '122',
                           # temporary authorizations, as real polkitd
                           'BackendFeatures': dbus.UInt32(1),
                       }, signature='sv'))
    mock.registered = None
    policy = parameters.get('policy')
    if policy:
        root = ElementTree.parse(policy).getroot()
        mock.registered = {action.get('id') for action in root.iter('action')}
    mock.allowed = set()
    mock.challenge = set()
    mock.allow_unknown = False
    mock.agent = 'success'
    mock.hanging_actions = set()
    mock.hanging_calls = []
    mock.checks = []


def _uid_of_connection(mock, name):
    return int(mock.connection.call_blocking('org.freedesktop.DBus', '/org/freedesktop/DBus',
                                             'org.freedesktop.DBus', 'GetConnectionUnixUser',
                                             's', (name,)))


def _uid_of_process(pid):
    with open(f'/proc/{int(pid)}/status', encoding='ascii') as status:
        for line in status:
            if line.startswith('Uid:'):
                return int(line.split()[1])
    raise ValueError(f'no Uid in /proc/{pid}/status')


def _subject_uid(mock, kind, subject_details):
    '''the subject's uid as polkitd finds it; raises DBusException'''
    try:
        if kind == 'system-bus-name':
            return _uid_of_connection(mock, str(subject_details['name']))
        if kind == 'unix-process':
            uid = int(subject_details.get('uid', -1))
            return uid if uid >= 0 else _uid_of_process(subject_details['pid'])
    except (dbus.exceptions.DBusException, KeyError, OSError, ValueError) as error:
        raise dbus.exceptions.DBusException(
            f'Error getting uid for {kind} subject: {error}', name=ERROR_FAILED) from error
    raise dbus.exceptions.DBusException(f'Unsupported subject kind {kind}', name=ERROR_FAILED)


def _decide(mock, action_id, flags, subject_uid):
    '''(is_authorized, is_challenge, details) for a registered action'''
    if subject_uid == 0 and not flags & FLAG_ALWAYS_CHECK:
        return (True, False, {})
    if action_id in mock.allowed:
        return (True, False, {})
    if action_id in mock.challenge:
        if flags & FLAG_ALLOW_USER_INTERACTION and mock.agent != 'none':
            if mock.agent == 'success':
                return (True, False, {})
            if mock.agent == 'dismissed':
                return (False, False, {'polkit.dismissed': 'true'})
            return (False, False, {})
        return (False, True, {'polkit.result': 'auth_admin'})
    if mock.allow_unknown:
        return (True, False, {})
    return (False, False, {})


@dbus.service.method(MAIN_IFACE,
                     in_signature='(sa{sv})sa{ss}us',
                     out_signature='(bba{ss})',
                     sender_keyword='caller',
                     async_callbacks=('ok_cb', 'err_cb'))
def CheckAuthorization(self, subject, action_id, details, flags, cancellation_id,
                       caller=None, ok_cb=None, err_cb=None):
    kind, subject_details = subject
    action_id = str(action_id)
    flags = int(flags)
    name = str(subject_details.get('name', '')) if kind == 'system-bus-name' else ''
    try:
        subject_uid = _subject_uid(self, str(kind), subject_details)
    except dbus.exceptions.DBusException as error:
        self.checks.append((action_id, name, NO_UID, flags))
        err_cb(error)
        return
    self.checks.append((action_id, name, subject_uid, flags))

    # polkitd: asking about someone else, or with details (a custom message
    # in the dialog), is for uid 0 and the action's owners only
    caller_uid = _uid_of_connection(self, caller)
    if (caller_uid != subject_uid or len(details) > 0) and caller_uid != 0:
        err_cb(dbus.exceptions.DBusException(
            'Only trusted callers (e.g. uid 0 or an action owner) can use '
            'CheckAuthorization() for subjects belonging to other identities or pass details',
            name=ERROR_NOT_AUTHORIZED))
        return
    if self.registered is not None and action_id not in self.registered:
        err_cb(dbus.exceptions.DBusException(f'Action {action_id} is not registered',
                                             name=ERROR_FAILED))
        return

    result = _decide(self, action_id, flags, subject_uid)
    if action_id in self.hanging_actions:
        self.hanging_calls.append((str(caller), str(cancellation_id), ok_cb, err_cb, result))
    else:
        ok_cb(result)


@dbus.service.method(MAIN_IFACE, in_signature='s', out_signature='', sender_keyword='caller')
def CancelCheckAuthorization(self, cancellation_id, caller=None):
    cancellation_id = str(cancellation_id)
    for call in self.hanging_calls:
        if call[0] == caller and call[1] == cancellation_id and cancellation_id != '':
            self.hanging_calls.remove(call)
            call[3](dbus.exceptions.DBusException('Authentication was cancelled',
                                                  name=ERROR_CANCELLED))
            return
    raise dbus.exceptions.DBusException(
        f'No such cancellation_id `{cancellation_id}\' for name {caller}', name=ERROR_FAILED)


@dbus.service.method(MAIN_IFACE, in_signature='(sa{sv})ss', out_signature='')
def RegisterAuthenticationAgent(_self, _subject, _locale, _object_path):
    pass


@dbus.service.method(MAIN_IFACE, in_signature='(sa{sv})s', out_signature='')
def UnregisterAuthenticationAgent(_self, _subject, _object_path):
    pass


@dbus.service.method(MOCK_IFACE, in_signature='as', out_signature='')
def SetAllowed(self, actions):
    '''Actions authorized without interaction'''
    self.allowed = {str(a) for a in actions}


@dbus.service.method(MOCK_IFACE, in_signature='as', out_signature='')
def SetChallenge(self, actions):
    '''Actions that need authentication: authorized only with AllowUserInteraction'''
    self.challenge = {str(a) for a in actions}


@dbus.service.method(MOCK_IFACE, in_signature='b', out_signature='')
def AllowUnknown(self, allow):
    '''Whether registered actions neither allowed nor challenged are authorized'''
    self.allow_unknown = bool(allow)


@dbus.service.method(MOCK_IFACE, in_signature='s', out_signature='')
def SetAgent(self, mode):
    '''How the authentication agent answers a challenge'''
    if mode not in AGENT_MODES:
        raise dbus.exceptions.DBusException(f'agent mode is one of {AGENT_MODES}',
                                            name='org.freedesktop.DBus.Error.InvalidArgs')
    self.agent = str(mode)


@dbus.service.method(MOCK_IFACE, in_signature='as', out_signature='')
def SimulateHangActions(self, actions):
    '''CheckAuthorization for these actions waits for ReleaseHangingCalls()'''
    self.hanging_actions = {str(a) for a in actions}


@dbus.service.method(MOCK_IFACE, in_signature='', out_signature='')
def ReleaseHangingCalls(self):
    '''Answers every waiting check, with the result decided when it came'''
    calls, self.hanging_calls = self.hanging_calls, []
    for (_caller, _cancellation_id, ok_cb, _err_cb, result) in calls:
        ok_cb(result)


@dbus.service.method(MOCK_IFACE, in_signature='', out_signature='b')
def HaveHangingCalls(self):
    '''Whether a check is waiting'''
    return len(self.hanging_calls) > 0


@dbus.service.method(MOCK_IFACE, in_signature='', out_signature='a(ssuu)')
def GetChecks(self):
    '''(action_id, subject bus name, subject uid, flags) of every check received'''
    return dbus.Array(self.checks, signature='(ssuu)')


@dbus.service.method(MOCK_IFACE, in_signature='', out_signature='')
def ClearChecks(self):
    '''Forgets the checks received so far'''
    self.checks = []
