#include "session.h"

#include "databaseclient.h"
#include "reportpainter.h"
#include "srm/cli.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>
#include <stdexcept>
#include <type_traits>

namespace srmui {

namespace {
// The roles a session names a column for, each with the load option it sets.
struct RoleColumn {
    const char* role;
    std::optional<std::string> srm::LoadOptions::*column;
};
constexpr RoleColumn kRoles[] = {{"time", &srm::LoadOptions::time_col},
                                 {"unit", &srm::LoadOptions::unit_col},
                                 {"variant", &srm::LoadOptions::variant_col},
                                 {"count", &srm::LoadOptions::count_col},
                                 {"event", &srm::LoadOptions::event_col},
                                 {"inclusion", &srm::LoadOptions::inclusion_col},
                                 {"hour", &srm::LoadOptions::hour_col},
                                 {"multi_variant", &srm::LoadOptions::multi_variant_col},
                                 {"assigned_variant", &srm::LoadOptions::assigned_variant_col}};
constexpr int kFormat = 1;

QJsonArray toArray(const QStringList& list)
{
    QJsonArray a;
    for (const auto& s : list) a.append(s);
    return a;
}

QStringList toList(const QJsonValue& v)
{
    QStringList out;
    for (const auto& x : v.toArray()) out << x.toString();
    return out;
}

[[noreturn]] void fail(const QString& message) { throw std::runtime_error(message.toStdString()); }

// The session's analysis settings, each checked as srm-check checks its option.
AnalysisSettings readSettings(const QJsonValue& value)
{
    if (!value.isObject()) fail(QObject::tr("the session's settings are not an object"));
    const QJsonObject o = value.toObject();
    AnalysisSettings a;
    using Limits = srm::CheckOptionLimits;
    auto bad = [](const char* key) { fail(QObject::tr("the session's setting '%1' is malformed").arg(QLatin1String(key))); };
    auto real = [&](const char* key, double& out, double low, double high, bool low_open) {
        if (!o.contains(key)) return;
        const double v = o[key].toDouble(NAN);
        if (!(v <= high && (low_open ? v > low : v >= low))) bad(key);
        out = v;
    };
    auto whole = [&](const char* key, auto& out, double low, double high) {
        if (!o.contains(key)) return;
        const double v = o[key].toDouble(NAN);
        if (!(v >= low && v <= high && v == std::floor(v))) bad(key);
        out = static_cast<std::remove_reference_t<decltype(out)>>(v);
    };
    auto flag = [&](const char* key, bool& out) {
        if (!o.contains(key)) return;
        if (!o[key].isBool()) bad(key);
        out = o[key].toBool();
    };
    real("warn_alpha", a.thresholds.warn, 0.0, 1.0, true);
    real("severe_alpha", a.thresholds.severe, 0.0, 1.0, true);
    if (!(a.thresholds.severe <= a.thresholds.warn)) bad("severe_alpha");
    real("min_practical_pp", a.minPracticalPp, 0.0, Limits::max_practical_pp, false);
    real("near_hours", a.nearHours, 0.0, static_cast<double>(Limits::max_near_hours), true);
    whole("min_segment_units", a.minSegmentUnits, 1, static_cast<double>(Limits::max_segment_units));
    whole("max_dimension_values", a.maxDimensionValues, 1, static_cast<double>(Limits::max_dimension_values));
    flag("localize", a.localize);
    flag("strict", a.strict);
    flag("memory_check", a.memoryCheck);
    if (o.contains("header")) {
        bool h = true;
        flag("header", h);
        a.header = h;
    }
    if (o.contains("delimiter")) {
        const QString d = o["delimiter"].toString();
        if (d.size() != 1 || !Limits::delimiter(d.at(0).toLatin1())) bad("delimiter");
        a.delimiter = d.at(0).toLatin1();
    }
    return a;
}

// A path stored absolute and relative to the session's folder.
void putPath(QJsonObject& j, const char* key, const QString& path, const QString& sessionDir)
{
    if (path.isEmpty()) return;
    j[key] = path;
    if (!sessionDir.isEmpty()) j[QStringLiteral("%1_relative").arg(QLatin1String(key))] = QDir(sessionDir).relativeFilePath(path);
}

// The stored path; where it is missing but the relative one exists (the
// session moved with its files), the relative one.
QString getPath(const QJsonObject& j, const char* key, const QString& sessionDir)
{
    const QString path = j[key].toString();
    if (path.isEmpty() || QFileInfo::exists(path) || sessionDir.isEmpty()) return path;
    const QString rel = j[QStringLiteral("%1_relative").arg(QLatin1String(key))].toString();
    if (rel.isEmpty()) return path;
    const QString moved = QDir(sessionDir).absoluteFilePath(rel);
    return QFileInfo::exists(moved) ? QDir::cleanPath(moved) : path;
}
}  // namespace

QJsonObject Session::toJson(const QString& sessionDir) const
{
    QJsonObject j;
    j["format"] = "srm-workbench-session";
    j["version"] = kFormat;
    putPath(j, "data_file", dataFile, sessionDir);
    if (database) {  // never the password
        const auto& d = *database;
        QJsonObject db{{"engine", QString::fromLatin1(srm::to_string(d.url.engine))},
                       {"database", QString::fromStdString(d.url.database)},
                       {"table", d.table},
                       {"unit", d.unit},
                       {"variant", d.variant},
                       {"time", d.time},
                       {"dimensions", toArray(d.dimensions)},
                       {"bucket", d.daily ? "day" : "hour"}};
        if (!d.url.host.empty()) db["host"] = QString::fromStdString(d.url.host);
        if (d.url.port) db["port"] = d.url.port;
        if (!d.url.user.empty()) db["user"] = QString::fromStdString(d.url.user);
        if (!d.event.isEmpty()) db["event"] = d.event;
        j["database"] = db;
    }
    putPath(j, "changes_file", changesFile, sessionDir);
    putPath(j, "allocation_file", allocationFile, sessionDir);
    QJsonObject cols;
    for (auto it = columns.begin(); it != columns.end(); ++it) cols[it.key()] = it.value();
    j["columns"] = cols;
    if (dimensions) j["dimensions"] = toArray(*dimensions);
    if (metrics) j["metrics"] = toArray(*metrics);
    if (!shape.isEmpty()) j["shape"] = shape;
    if (!timeFormat.isEmpty()) j["time_format"] = timeFormat;
    if (timeYear > 0) j["time_year"] = timeYear;
    if (!control.isEmpty()) j["control"] = control;
    QJsonArray exp;
    for (const auto& [name, weight] : expected) exp.append(QJsonObject{{"variant", name}, {"weight", weight}});
    j["expected"] = exp;
    j["prior_concentration"] = priorConcentration;
    const AnalysisSettings& a = settings;
    QJsonObject set{{"warn_alpha", a.thresholds.warn},
                    {"severe_alpha", a.thresholds.severe},
                    {"min_practical_pp", a.minPracticalPp},
                    {"near_hours", a.nearHours},
                    {"min_segment_units", static_cast<double>(a.minSegmentUnits)},
                    {"localize", a.localize},
                    {"strict", a.strict},
                    {"max_dimension_values", static_cast<double>(a.maxDimensionValues)},
                    {"memory_check", a.memoryCheck}};
    if (a.delimiter) set["delimiter"] = QString(QChar::fromLatin1(*a.delimiter));
    if (a.header) set["header"] = *a.header;
    j["settings"] = set;
    if (refinement.window)
        j["window"] = QJsonObject{{"start", static_cast<double>(refinement.window->first)}, {"end", static_cast<double>(refinement.window->second)}};
    if (refinement.segment)
        j["segment"] = QJsonObject{{"dimension", QString::fromStdString(refinement.segment->first)},
                                   {"value", QString::fromStdString(refinement.segment->second)}};
    QJsonObject answersJson;
    for (auto it = answers.begin(); it != answers.end(); ++it)
        answersJson[it.key()] = QJsonObject{{"done", it.value().done}, {"notes", it.value().notes}};
    j["checklist"] = answersJson;
    j["notes"] = notes;
    return j;
}

Session Session::fromJson(const QJsonObject& j, const QString& sessionDir)
{
    if (j["format"].toString() != "srm-workbench-session") fail(QObject::tr("not an SRM Workbench session file"));
    if (j["version"].toInt() > kFormat) fail(QObject::tr("the session was written by a newer SRM Workbench (format %1)").arg(j["version"].toInt()));
    Session s;
    s.dataFile = getPath(j, "data_file", sessionDir);
    if (j.contains("database")) {
        const QJsonObject db = j["database"].toObject();
        DatabaseSource d;
        const QString engine = db["engine"].toString();
        if (engine == QLatin1String("postgresql")) d.url.engine = srm::SqlEngine::PostgreSQL;
        else if (engine == QLatin1String("sqlite")) d.url.engine = srm::SqlEngine::SQLite;
        else fail(QObject::tr("the session's database engine '%1' is not PostgreSQL or SQLite").arg(engine));
        d.url.database = db["database"].toString().toStdString();
        d.url.host = db["host"].toString().toStdString();
        d.url.port = db["port"].toInt();
        d.url.user = db["user"].toString().toStdString();
        d.table = db["table"].toString();
        d.unit = db["unit"].toString();
        d.variant = db["variant"].toString();
        d.time = db["time"].toString();
        d.event = db["event"].toString();
        d.dimensions = toList(db["dimensions"]);
        d.daily = db["bucket"].toString() == QLatin1String("day");
        if (d.url.database.empty() || d.table.isEmpty() || d.unit.isEmpty() || d.variant.isEmpty() || d.time.isEmpty())
            fail(QObject::tr("the session's database source lacks its database, table or unit, variant and time columns"));
        s.database = d;
    }
    if (!s.hasSource()) fail(QObject::tr("the session names no data file"));
    s.changesFile = getPath(j, "changes_file", sessionDir);
    s.allocationFile = getPath(j, "allocation_file", sessionDir);
    const QJsonObject cols = j["columns"].toObject();
    for (const auto& [role, column] : kRoles)
        if (cols.contains(role)) s.columns[role] = cols[role].toString();
    if (j.contains("dimensions")) s.dimensions = toList(j["dimensions"]);
    if (j.contains("metrics")) s.metrics = toList(j["metrics"]);
    s.shape = j["shape"].toString();
    s.timeFormat = j["time_format"].toString();
    s.timeYear = j["time_year"].toInt();
    s.control = j["control"].toString();
    if (!s.shape.isEmpty() && s.shape != "events" && s.shape != "aggregated") fail(QObject::tr("unknown shape '%1'").arg(s.shape));
    for (const auto& e : j["expected"].toArray()) {
        const auto o = e.toObject();
        const double w = o["weight"].toDouble(-1);
        if (o["variant"].toString().isEmpty() || !(w >= 0) || !std::isfinite(w)) fail(QObject::tr("the expected allocation in the session is malformed"));
        s.expected.append({o["variant"].toString(), w});
    }
    if (j.contains("prior_concentration")) {
        s.priorConcentration = j["prior_concentration"].toDouble(-1);
        if (!(s.priorConcentration > 0 && std::isfinite(s.priorConcentration)))
            fail(QObject::tr("the session's prior concentration is not a positive number"));
    }
    if (j.contains("settings")) s.settings = readSettings(j["settings"]);
    if (j.contains("window")) {
        // Seconds since the epoch, whole and within what a double holds exactly.
        const auto w = j["window"].toObject();
        const double start = w["start"].toDouble(NAN), end = w["end"].toDouble(NAN);
        constexpr double kLimit = 9007199254740992.0;  // 2^53
        if (!(std::abs(start) <= kLimit && std::abs(end) <= kLimit && start <= end && start == std::floor(start) && end == std::floor(end)))
            fail(QObject::tr("the session's window is malformed (its start and end are whole seconds since 1970, start first)"));
        s.refinement.window = std::make_pair(static_cast<std::int64_t>(start), static_cast<std::int64_t>(end));
    }
    if (j.contains("segment")) {
        const auto g = j["segment"].toObject();
        s.refinement.segment = std::make_pair(g["dimension"].toString().toStdString(), g["value"].toString().toStdString());
    }
    const QJsonObject answers = j["checklist"].toObject();
    for (auto it = answers.begin(); it != answers.end(); ++it)
        s.answers[it.key()] = ChecklistModel::Answer{it.value().toObject()["done"].toBool(), it.value().toObject()["notes"].toString()};
    s.notes = j["notes"].toString();
    return s;
}

srm::AggregationQuery DatabaseSource::query() const
{
    srm::AggregationQuery q;
    q.engine = url.engine;
    q.table = table.toStdString();
    q.unit = unit.toStdString();
    q.variant = variant.toStdString();
    q.time = time.toStdString();
    if (!event.isEmpty()) q.event = event.toStdString();
    for (const auto& d : dimensions) q.dimensions.push_back(d.toStdString());
    q.daily = daily;
    return q;
}

QString DatabaseSource::title() const { return table + QObject::tr(" on ") + QString::fromStdString(url.display()); }

QString Session::sourceTitle() const { return database ? database->title() : QFileInfo(dataFile).fileName(); }

srm::AnalysisRequest Session::request() const
{
    if (database) {  // the plan, side files and options as for a file; the data from the query
        Session file = *this;
        file.database.reset();
        file.dataFile = QStringLiteral("-");
        file.columns.clear();
        file.shape.clear();
        file.dimensions = database->dimensions;
        const DatabaseSource source = *database;
        return srm::table_query_request(file.request(), source.title().toStdString(),
                                        [source](const srm::ProgressFn& progress, const std::atomic<bool>* cancel) {
            std::string sql;
            try {
                sql = srm::aggregation_sql(source.query());
            } catch (const std::invalid_argument& e) {
                throw srm::InputError(e.what());
            }
            if (progress) progress(-1.0);  // busy: the server aggregates, the rows' number is not known before
            return fetchQueryCsv(source.url, sql, [progress](std::uint64_t) { if (progress) progress(-1.0); }, cancel);
        });
    }
    srm::AnalysisRequest r;
    r.file = dataFile.toStdString();
    if (!changesFile.isEmpty()) r.changes_file = changesFile.toStdString();
    if (!allocationFile.isEmpty()) r.allocation_file = allocationFile.toStdString();
    auto column = [&](const char* role) -> std::optional<std::string> {
        if (!columns.contains(role) || columns[role].isEmpty()) return std::nullopt;
        return columns[role].toStdString();
    };
    for (const auto& [role, member] : kRoles) r.load.*member = column(role);
    if (!timeFormat.isEmpty()) r.load.time_format = timeFormat.toStdString();
    if (timeYear > 0) r.load.time_year = timeYear;
    if (!control.isEmpty()) r.control = control.toStdString();
    auto list = [](const std::optional<QStringList>& l) -> std::optional<std::vector<std::string>> {
        if (!l) return std::nullopt;
        std::vector<std::string> out;
        for (const auto& s : *l) out.push_back(s.toStdString());
        return out;
    };
    r.load.dimensions = list(dimensions);
    r.load.metrics = list(metrics);
    if (shape == "events") r.load.shape = srm::Shape::Events;
    if (shape == "aggregated") r.load.shape = srm::Shape::Aggregated;
    if (!expected.isEmpty()) {
        std::vector<std::pair<std::string, double>> e;
        for (const auto& [name, w] : expected) e.emplace_back(name.toStdString(), w);
        r.expected = e;
    }
    r.prior_concentration = priorConcentration;
    r.options.thresholds = settings.thresholds;
    r.options.min_practical_pp = settings.minPracticalPp;
    r.near_change_hours = settings.nearHours;
    r.min_segment_units = settings.minSegmentUnits;
    r.localize = settings.localize;
    r.load.delimiter = settings.delimiter;
    r.load.header = settings.header;
    r.load.strict = settings.strict;
    r.load.max_dimension_values = settings.maxDimensionValues;
    r.load.memory_check = settings.memoryCheck;
    return r;
}

Session Session::fromRequest(const srm::AnalysisRequest& r)
{
    Session s;
    auto q = [](const std::optional<std::string>& v) { return v ? QString::fromStdString(*v) : QString(); };
    s.dataFile = q(r.file);
    s.changesFile = q(r.changes_file);
    s.allocationFile = q(r.allocation_file);
    for (const auto& [role, member] : kRoles)
        if (r.load.*member) s.columns[role] = q(r.load.*member);
    auto list = [](const std::optional<std::vector<std::string>>& l) -> std::optional<QStringList> {
        if (!l) return std::nullopt;
        QStringList out;
        for (const auto& x : *l) out << QString::fromStdString(x);
        return out;
    };
    s.dimensions = list(r.load.dimensions);
    s.metrics = list(r.load.metrics);
    if (r.load.shape) s.shape = QString::fromLatin1(srm::to_string(*r.load.shape));
    s.timeFormat = q(r.load.time_format);
    s.timeYear = r.load.time_year.value_or(0);
    s.control = q(r.control);
    if (r.expected)
        for (const auto& [name, weight] : *r.expected) s.expected.append({QString::fromStdString(name), weight});
    s.priorConcentration = r.prior_concentration;
    s.settings.thresholds = r.options.thresholds;
    s.settings.minPracticalPp = r.options.min_practical_pp;
    s.settings.nearHours = r.near_change_hours;
    s.settings.minSegmentUnits = r.min_segment_units;
    s.settings.localize = r.localize;
    s.settings.delimiter = r.load.delimiter;
    s.settings.header = r.load.header;
    s.settings.strict = r.load.strict;
    s.settings.maxDimensionValues = r.load.max_dimension_values;
    s.settings.memoryCheck = r.load.memory_check;
    return s;
}

srm::ReviewerWork Session::work() const
{
    srm::ReviewerWork w;
    for (auto it = answers.begin(); it != answers.end(); ++it)
        w.answers.push_back({it.key().toStdString(), it.value().done, it.value().notes.toStdString()});
    w.notes = notes.toStdString();
    return w;
}

QStringList Session::missingFiles() const
{
    QStringList out;
    for (const QString* p : {&dataFile, &changesFile, &allocationFile})
        if (!p->isEmpty() && !QFileInfo::exists(*p)) out << *p;
    return out;
}

QString saveSession(const Session& session, const QString& path)
{
    // Written by core's write_file_atomic (through writeFileAtomic) (every write checked, synced, then
    // renamed): Qt 6.4's QSaveFile committed a file cut short by a full disk
    // and reported success, replacing the old session with half of the new.
    const QByteArray bytes = QJsonDocument(session.toJson(QFileInfo(path).absolutePath())).toJson(QJsonDocument::Indented);
    try {
        writeFileAtomic(path, bytes);
    } catch (const std::exception& e) {
        return QObject::tr("cannot save the session: %1").arg(QString::fromLocal8Bit(e.what()));
    }
    return {};
}

Session loadSession(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) fail(QObject::tr("cannot open '%1': %2").arg(path, file.errorString()));
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        fail(QObject::tr("'%1' is not valid JSON (at byte %2: %3)").arg(path).arg(error.offset).arg(error.errorString()));
    if (!doc.isObject()) fail(QObject::tr("'%1' is not an SRM Workbench session file").arg(path));
    return Session::fromJson(doc.object(), QFileInfo(path).absolutePath());
}

bool isSessionPath(const QString& path)
{
    return path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive);
}

QString sessionFileFilter()
{
    return QObject::tr("SRM Workbench sessions (*.srm.json *.json)");
}

}  // namespace srmui
