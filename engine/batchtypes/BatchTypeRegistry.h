#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include "batchtypes/BatchType.h"
#include "batchtypes/BatchTypeProblem.h"
#include "core/Result.h"

namespace batchdeck {

// The batch types a process knows, by name. Built once by load() and never changed afterwards, so
// it can be read from any thread; to pick up edited files, load a new one and swap it in.
//
// Folders are read in order and a later definition of a name replaces an earlier one: built-ins,
// then the user's config folder, then the folder given with --batch-types. A bad file does not
// stop the others: it is left out and reported in problems(), and when it meant to replace a good
// earlier definition, that one stays in use. A chained type whose source is unknown, or that is part
// of a loop of sources, is left out too.
class BatchTypeRegistry
{
public:
    struct Folder
    {
        QString path;
        bool required = false; // a required folder that does not exist is a problem; others are optional
    };

    BatchTypeRegistry() = default; // no types

    static QString builtInFolder(); // ":/batch-types", compiled into the engine
    static QString userFolder();    // QStandardPaths::AppConfigLocation + "/batch-types"

    // Built-ins, the user's folder, then `extraFolder` (the --batch-types DIR) when not empty.
    static BatchTypeRegistry loadStandard(const QString& extraFolder = {});
    static BatchTypeRegistry load(const QList<Folder>& folders);
    // Types already in hand (tests, tools); the same checks of names and chains apply.
    static BatchTypeRegistry fromTypes(const QList<BatchType>& types);

    // NotFound names the known types, so a typo in a URL or a DAG is quick to fix.
    Result<BatchType> find(const QString& name) const;
    bool contains(const QString& name) const { return m_types.contains(name); }
    QStringList names() const { return m_types.keys(); } // sorted
    QList<BatchType> types() const { return m_types.values(); }
    // The types that take `name`'s results as their items: the next stages of a chain.
    QStringList consumersOf(const QString& name) const;

    const QList<BatchTypeProblem>& problems() const { return m_problems; }

private:
    void addFolder(const Folder& folder);
    void add(BatchType type);
    void dropBrokenChains();

    QMap<QString, BatchType> m_types;
    QList<BatchTypeProblem> m_problems;
};

} // namespace batchdeck
