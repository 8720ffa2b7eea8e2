// A saved session: which files, how they are read, the expected allocation,
// the window and segment looked at, and the reviewer's checklist answers and
// notes. Stored as JSON, written atomically.
#pragma once

#include "analysisengine.h"
#include "reportmodels.h"
#include "srm/warehouse.hpp"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace srmui {

/// A table in a database, diagnosed through its warehouse query (File ▸
/// Open from Database). The password lives in memory only: a session file
/// never holds it (libpq's PGPASSWORD or ~/.pgpass serve a reopened one).
struct DatabaseSource {
    srm::DatabaseUrl url;
    QString table, unit, variant, time, event;  ///< event: "" = none
    QStringList dimensions;
    bool daily = false;
    /// The query for these columns; throws std::invalid_argument for names it cannot quote.
    srm::AggregationQuery query() const;
    /// "events on postgresql://srm@db:5432/exp" (never the password).
    QString title() const;
};

/// The analysis options a session was started with beyond its files and
/// plan: srm-check's thresholds, --min-practical-pp, --near-hours,
/// --min-segment-units, --no-localization and how the file is read. Kept
/// with the session, so that a re-run (a new prior, a reopened session)
/// answers with the settings it was started with.
struct AnalysisSettings {
    srm::SrmThresholds thresholds;
    double minPracticalPp = srm::SrmOptions{}.min_practical_pp;
    double nearHours = srm::AnalysisRequest{}.near_change_hours;
    std::uint64_t minSegmentUnits = srm::AnalysisRequest{}.min_segment_units;
    bool localize = srm::AnalysisRequest{}.localize;
    std::optional<char> delimiter;  ///< unset: detected
    std::optional<bool> header;     ///< unset: detected
    bool strict = srm::LoadOptions{}.strict;
    std::size_t maxDimensionValues = srm::LoadOptions{}.max_dimension_values;
    bool memoryCheck = srm::LoadOptions{}.memory_check;
};

struct Session {
    QString dataFile, changesFile, allocationFile;
    std::optional<DatabaseSource> database;  ///< instead of dataFile
    QMap<QString, QString> columns;  ///< role (time, unit, variant, count, event, inclusion, hour) -> column name
    QString timeFormat;              ///< the time column's layout ("" = detected)
    int timeYear = 0;                ///< the year for a layout without one (0 = none)
    QString control;                 ///< the arm the metrics compare against ("" = by name)
    std::optional<QStringList> dimensions, metrics;
    QString shape;  ///< "", "events" or "aggregated"
    QList<QPair<QString, double>> expected;  ///< empty: equal split
    double priorConcentration = 100.0;       ///< the sequential test's prior (Preferences)
    AnalysisSettings settings;
    Refinement refinement;
    QMap<QString, ChecklistModel::Answer> answers;
    QString notes;

    /// Paths are stored absolute and relative to `sessionDir` (when given),
    /// so a session moved with its files still finds them.
    QJsonObject toJson(const QString& sessionDir = {}) const;
    /// Throws std::runtime_error with a readable message for a malformed
    /// session. A missing file is looked for relative to `sessionDir`.
    static Session fromJson(const QJsonObject& json, const QString& sessionDir = {});
    srm::AnalysisRequest request() const;
    /// The session of a request (the command line's file, columns and plan).
    static Session fromRequest(const srm::AnalysisRequest& request);
    /// The reviewer's answers and notes, for reports.
    srm::ReviewerWork work() const;
    /// Whether it names data: a file or a database table.
    bool hasSource() const { return !dataFile.isEmpty() || database.has_value(); }
    /// The data's name for the window title: the file's, or the table's.
    QString sourceTitle() const;
    /// The input files the session names that do not exist (data, change log, allocation history).
    QStringList missingFiles() const;
};

/// Whether a path names a session rather than data: it ends in .json (any case).
bool isSessionPath(const QString& path);
/// The file dialogs' filter for sessions.
QString sessionFileFilter();

/// Writes atomically (QSaveFile); returns an error message or an empty string.
QString saveSession(const Session& session, const QString& path);
/// Returns the session or throws std::runtime_error.
Session loadSession(const QString& path);

}  // namespace srmui
