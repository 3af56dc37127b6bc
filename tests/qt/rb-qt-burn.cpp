/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Qt program's burn, through nothing but the proxies qdbusxml2cpp
 * generated from the installed XML: the first recorder from
 * Manager.GetRecorders(), its capabilities read through the annotated types
 * (QList<uint>, the (ubi) struct list), DiscFormat2RawCD.Burn() with a
 * QDBusUnixFileDescriptor and a QVariantMap, and the virtual recorder's
 * ValidationReport (QVariantMap) after it.
 *   rb-qt-burn IMAGE SECTOR_TYPE TRACKS
 * on the session bus (tests/test-qt-proxy.sh gives it a private one).
 * Exits 0 when the burn succeeded and the drive judged the disc clean.
 */
#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QTextStream>

#include "discformat2rawcdproxy.h"
#include "managerproxy.h"
#include "recorderproxy.h"
#include "virtualrecorderproxy.h"

static const char *const rb_name = "org.rawburn.RawBurn1";

static int
rb_fail(const QString &message)
{
	QTextStream(stderr) << "rb-qt-burn: " << message << "\n";
	return 1;
}

int
main(int argc, char **argv)
{
	QCoreApplication app(argc, argv);
	const QStringList args = app.arguments();
	if (args.size() != 4)
		return rb_fail("usage: rb-qt-burn IMAGE SECTOR_TYPE TRACKS");
	const uint sector_type = args.at(2).toUInt();
	const int tracks = args.at(3).toInt();

	rbRegisterQtTypes();
	QDBusConnection bus = QDBusConnection::sessionBus();
	if (!bus.isConnected())
		return rb_fail("no bus: " + bus.lastError().message());

	OrgRawburnRawBurn1ManagerInterface manager(rb_name, "/org/rawburn/RawBurn1/Manager", bus);
	QDBusPendingReply<QList<QDBusObjectPath>> recorders = manager.GetRecorders();
	recorders.waitForFinished();
	if (recorders.isError())
		return rb_fail("GetRecorders: " + recorders.error().message());
	if (recorders.value().isEmpty())
		return rb_fail("GetRecorders gave no recorder");
	const QString path = recorders.value().first().path();

	OrgRawburnRawBurn1RecorderInterface recorder(rb_name, path, bus);
	OrgRawburnRawBurn1DiscFormat2RawCDInterface format(rb_name, path, bus);
	OrgRawburnRawBurn1VirtualRecorderInterface virtual_recorder(rb_name, path, bus);

	const QList<uint> profiles = recorder.supportedProfiles();
	const QList<uint> sector_types = format.supportedSectorTypes();
	const QList<RbWriteSpeedDescriptor> speeds = format.supportedWriteSpeedDescriptors();
	if (profiles.isEmpty() || !sector_types.contains(sector_type) || speeds.isEmpty())
		return rb_fail(QString("%1: %2 profiles, sector types without %3, %4 write speeds")
				       .arg(path)
				       .arg(profiles.size())
				       .arg(sector_type)
				       .arg(speeds.size()));
	for (const RbWriteSpeedDescriptor &speed : speeds) {
		if (speed.sectorsPerSecond <= 0)
			return rb_fail(QString("write speed descriptor of %1 sectors per second")
					       .arg(speed.sectorsPerSecond));
	}

	QFile image(args.at(1));
	if (!image.open(QIODevice::ReadOnly))
		return rb_fail(args.at(1) + ": " + image.errorString());
	QVariantMap options;
	options.insert("ClientName", QString("rb-qt-burn"));
	options.insert("SectorType", sector_type);
	/* a burn outlasts QtDBus's default 25 s timeout under the sanitizers */
	format.setTimeout(10 * 60 * 1000);
	QDBusPendingReply<> burn = format.Burn(QDBusUnixFileDescriptor(image.handle()), options);
	burn.waitForFinished();
	if (burn.isError())
		return rb_fail("Burn: " + burn.error().name() + ": " + burn.error().message());

	const QVariantMap report = virtual_recorder.validationReport();
	static const char *const counters[] = {
		"BadQCrc", "AddressMismatches", "TocMismatches", "SequenceErrors"};
	if (report.value("Complete").toBool() != true || report.value("Tracks").toInt() != tracks ||
	    report.value("SectorsWritten").toULongLong() == 0)
		return rb_fail(
			QString("the drive judged the disc incomplete: Complete=%1 Tracks=%2")
				.arg(report.value("Complete").toBool())
				.arg(report.value("Tracks").toInt()));
	for (const char *counter : counters) {
		if (!report.contains(counter) || report.value(counter).toULongLong() != 0)
			return rb_fail(QString("the drive counted %1 %2")
					       .arg(report.value(counter).toString(), counter));
	}
	QTextStream(stdout) << "burned " << args.at(1) << " on " << path
			    << " through the Qt proxies; "
			    << report.value("SectorsWritten").toULongLong()
			    << " sectors written, the drive's report is clean\n";
	return 0;
}
