// SPDX-License-Identifier: GPL-3.0-or-later
//
// Burns IMAGE on RECORDER through librawburn's GObject Introspection data,
// as a GJS application (a GNOME Shell extension, say) would: the progress
// signal, and the burn's job followed to its Completed signal. The same
// checks as rb-gi-burn.py; run by tests/test-gi-burn on a private bus (the
// session bus address is that bus's).
//
//   gjs rb-gjs-burn.js RECORDER IMAGE

imports.gi.versions.Gio = '2.0';
imports.gi.versions.RawBurn = '1.0';
const {Gio, GLib, RawBurn} = imports.gi;
const System = imports.system;

function fail(message) {
    print(`FAIL: ${message}`);
    System.exit(1);
}

const [recorderName, image] = ARGV;
const loop = new GLib.MainLoop(null, false);
const client = RawBurn.Client.new_sync(Gio.BusType.SESSION, null);
if (client.get_name_owner() === null)
    fail('rawburnd is not on the bus');
const recorder = client.lookup_recorder(recorderName);
if (recorder === null)
    fail(`no recorder ${recorderName}`);
const path = recorder.get_object_path();

const state = {burned: false, jobs: 0, jobsDone: 0, jobError: null, progress: 0, writing: 0, fraction: -1};

function maybeQuit() {
    if (state.burned && state.jobsDone === state.jobs)
        loop.quit();
}

client.get_object_manager().connect('object-added', (manager, object) => {
    const job = object.get_job();
    if (job === null || !job.objects.includes(path))
        return;
    state.jobs++;
    client.wait_for_job(object, null, (source, result) => {
        try {
            source.wait_for_job_finish(result);
        } catch (e) {
            state.jobError = e.message;
        }
        state.jobsDone++;
        maybeQuit();
    });
});

const burn = RawBurn.Burn.new(recorder);
burn.connect('progress', (source, action, fraction) => {
    state.progress++;
    if (action === 2)
        state.writing++;
    state.fraction = fraction;
});
const options = new GLib.Variant('a{sv}', {ClientName: new GLib.Variant('s', 'rb-gjs-burn')});
burn.burn_file(Gio.File.new_for_path(image), options, null, (source, result) => {
    try {
        source.finish(result);
    } catch (e) {
        fail(`the burn failed: ${e.message}`);
    }
    state.burned = true;
    maybeQuit();
});
loop.run();

if (state.writing === 0 || state.fraction !== 1.0)
    fail(`no progress while writing: ${JSON.stringify(state)}`);
if (state.jobs !== 1)
    fail(`the burn should have been one job, it was ${state.jobs}`);
if (state.jobError !== null)
    fail(`the job failed: ${state.jobError}`);

// the drive's own account of what was written, read afresh
const reply = client.get_connection().call_sync('org.rawburn.RawBurn1', path,
    'org.freedesktop.DBus.Properties', 'Get',
    new GLib.Variant('(ss)', ['org.rawburn.RawBurn1.VirtualRecorder', 'ValidationReport']),
    new GLib.VariantType('(v)'), Gio.DBusCallFlags.NONE, -1, null);
const report = reply.recursiveUnpack()[0];
if (!report.SectorsWritten)
    fail(`the drive wrote nothing: ${JSON.stringify(report)}`);
print(`burned ${recorderName}: ${report.SectorsWritten} sectors, ${state.progress} progress updates, ${state.jobs} job(s) followed`);
