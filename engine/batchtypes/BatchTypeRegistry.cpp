#include "BatchTypeRegistry.h"

#include <QFileInfo>
#include <QSet>
#include <QStandardPaths>

#include "batchtypes/BatchTypeLoader.h"
#include "core/Names.h"

namespace batchdeck {

QString BatchTypeRegistry::builtInFolder()
{
    return QStringLiteral(":/batch-types");
}

QString BatchTypeRegistry::userFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + u"/batch-types";
}

BatchTypeRegistry BatchTypeRegistry::loadStandard(const QString& extraFolder)
{
    QList<Folder> folders = {{builtInFolder(), true}, {userFolder(), false}};
    if (!extraFolder.isEmpty())
        folders.append({extraFolder, true});
    return load(folders);
}

BatchTypeRegistry BatchTypeRegistry::load(const QList<Folder>& folders)
{
    BatchTypeRegistry registry;
    for (const Folder& folder : folders)
        registry.addFolder(folder);
    registry.dropBrokenChains();
    return registry;
}

BatchTypeRegistry BatchTypeRegistry::fromTypes(const QList<BatchType>& types)
{
    BatchTypeRegistry registry;
    for (const BatchType& type : types) {
        if (const Status valid = validateBatchTypeName(type.name); !valid) {
            registry.m_problems.append({type.origin, QStringLiteral("name"), valid.error().message});
            continue;
        }
        registry.add(type);
    }
    registry.dropBrokenChains();
    return registry;
}

void BatchTypeRegistry::addFolder(const Folder& folder)
{
    const QFileInfo info(folder.path);
    if (!info.exists()) {
        if (folder.required)
            m_problems.append({folder.path, {}, QStringLiteral("batch type folder does not exist")});
        return;
    }
    if (!info.isDir()) {
        m_problems.append({folder.path, {}, QStringLiteral("is not a folder")});
        return;
    }

    QMap<QString, QString> definedHere; // name -> file, to catch two files of one folder naming one type
    QList<BatchTypeLoadResult> rejected;
    for (BatchTypeLoadResult& result : BatchTypeLoader::loadFolder(folder.path)) {
        if (!result.ok()) {
            m_problems.append(result.problems);
            rejected.append(result);
            continue;
        }
        const QString name = result.type->name;
        if (definedHere.contains(name)) {
            m_problems.append({result.file,
                               QStringLiteral("name"),
                               QStringLiteral("'%1' is also defined by %2 in the same folder; this file is ignored")
                                   .arg(name, definedHere.value(name))});
            continue;
        }
        definedHere.insert(name, result.file);
        add(std::move(*result.type));
    }
    // Say which definition is used instead of a broken one, so nobody wonders why their edit "did nothing".
    for (const BatchTypeLoadResult& result : rejected) {
        if (m_types.contains(result.declaredName))
            m_problems.append({result.file,
                               QStringLiteral("name"),
                               QStringLiteral("because of the errors above, '%1' stays as defined in %2")
                                   .arg(result.declaredName, m_types.value(result.declaredName).origin)});
    }
}

void BatchTypeRegistry::add(BatchType type)
{
    const QString name = type.name;
    m_types.insert(name, std::move(type));
}

void BatchTypeRegistry::dropBrokenChains()
{
    // Each type has at most one source, so following sources from a type either ends or comes back
    // to it within size() steps.
    QSet<QString> looping;
    for (auto it = m_types.cbegin(); it != m_types.cend(); ++it) {
        QString current = it.key();
        QStringList path = {current};
        for (qsizetype step = 0; step < m_types.size(); ++step) {
            const auto next = m_types.constFind(current);
            if (next == m_types.cend() || next->source.isItems())
                break;
            current = next->source.batchType();
            path.append(current);
            if (current == it.key()) {
                looping.insert(it.key());
                m_problems.append({it->origin,
                                   QStringLiteral("source"),
                                   QStringLiteral("the sources go round in a loop: %1").arg(path.join(u" <- "))});
                break;
            }
        }
    }
    for (const QString& name : looping)
        m_types.remove(name);

    // Removing a type can strand the types that take its results, so repeat until nothing changes.
    for (bool changed = true; changed;) {
        changed = false;
        for (auto it = m_types.begin(); it != m_types.end();) {
            const BatchSource& source = it->source;
            if (source.isResults() && !m_types.contains(source.batchType())) {
                m_problems.append({it->origin,
                                   QStringLiteral("source"),
                                   QStringLiteral("'%1' names no usable batch type (known: %2)")
                                       .arg(source.toString(), m_types.keys().join(u", "))});
                it = m_types.erase(it);
                changed = true;
            } else {
                ++it;
            }
        }
    }
}

Result<BatchType> BatchTypeRegistry::find(const QString& name) const
{
    const auto it = m_types.constFind(name);
    if (it != m_types.cend())
        return *it;
    if (m_types.isEmpty())
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("no batch type '%1' (no batch types are loaded)").arg(name));
    return makeError(ErrorKind::NotFound,
                     QStringLiteral("no batch type '%1' (known: %2)").arg(name, m_types.keys().join(u", ")));
}

QStringList BatchTypeRegistry::consumersOf(const QString& name) const
{
    QStringList consumers;
    for (const BatchType& type : m_types) {
        if (type.source.isResults() && type.source.batchType() == name)
            consumers.append(type.name);
    }
    return consumers;
}

} // namespace batchdeck
