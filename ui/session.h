// A saved session: which files, how they are read, the expected allocation,
// the window and segment looked at, and the reviewer's checklist answers and
// notes. Stored as JSON, written atomically.
#pragma once

#include "analysisengine.h"
#include "reportmodels.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace srmui {

struct Session {
    QString dataFile, changesFile, allocationFile;
    QMap<QString, QString> columns;  ///< role (time, unit, variant, count, event, inclusion) -> column name
    std::optional<QStringList> dimensions, metrics;
    QString shape;  ///< "", "events" or "aggregated"
    QList<QPair<QString, double>> expected;  ///< empty: equal split
    Refinement refinement;
    QMap<QString, ChecklistModel::Answer> answers;
    QString notes;

    QJsonObject toJson() const;
    /// Throws std::runtime_error with a readable message for a malformed session.
    static Session fromJson(const QJsonObject& json);
    srm::AnalysisRequest request() const;
};

/// Writes atomically (QSaveFile); returns an error message or an empty string.
QString saveSession(const Session& session, const QString& path);
/// Returns the session or throws std::runtime_error.
Session loadSession(const QString& path);

}  // namespace srmui
