/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The types a Qt program declares before it includes proxies that
 * qdbusxml2cpp generated from rawburn's XML (qdbusxml2cpp -i rb-qt-types.h).
 * QList<uint>, QList<int> and QVariantMap are QtDBus's own; the one struct,
 * DiscFormat2RawCD.SupportedWriteSpeedDescriptors' (ubi), needs a registered
 * type with the QDBusArgument operators. Call rbRegisterQtTypes() once before
 * the first call that carries it.
 */
#ifndef RB_QT_TYPES_H
#define RB_QT_TYPES_H

#include <QtCore/QList>
#include <QtCore/QMetaType>
#include <QtDBus/QDBusArgument>
#include <QtDBus/QDBusMetaType>

/* one element of SupportedWriteSpeedDescriptors: (media type, pure CAV,
 * sectors per second) */
struct RbWriteSpeedDescriptor {
	uint mediaType = 0;
	bool pureCAV = false;
	int sectorsPerSecond = 0;
};
Q_DECLARE_METATYPE(RbWriteSpeedDescriptor)

inline QDBusArgument &
operator<<(QDBusArgument &argument, const RbWriteSpeedDescriptor &descriptor)
{
	argument.beginStructure();
	argument << descriptor.mediaType << descriptor.pureCAV << descriptor.sectorsPerSecond;
	argument.endStructure();
	return argument;
}

inline const QDBusArgument &
operator>>(const QDBusArgument &argument, RbWriteSpeedDescriptor &descriptor)
{
	argument.beginStructure();
	argument >> descriptor.mediaType >> descriptor.pureCAV >> descriptor.sectorsPerSecond;
	argument.endStructure();
	return argument;
}

inline void
rbRegisterQtTypes()
{
	qDBusRegisterMetaType<RbWriteSpeedDescriptor>();
	qDBusRegisterMetaType<QList<RbWriteSpeedDescriptor>>();
}

#endif /* RB_QT_TYPES_H */
