#include "session.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <stdexcept>

namespace srmui {

namespace {
const char* const kRoles[] = {"time", "unit", "variant", "count", "event", "inclusion"};
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
}  // namespace

QJsonObject Session::toJson() const
{
    QJsonObject j;
    j["format"] = "srm-workbench-session";
    j["version"] = kFormat;
    j["data_file"] = dataFile;
    if (!changesFile.isEmpty()) j["changes_file"] = changesFile;
    if (!allocationFile.isEmpty()) j["allocation_file"] = allocationFile;
    QJsonObject cols;
    for (auto it = columns.begin(); it != columns.end(); ++it) cols[it.key()] = it.value();
    j["columns"] = cols;
    if (dimensions) j["dimensions"] = toArray(*dimensions);
    if (metrics) j["metrics"] = toArray(*metrics);
    if (!shape.isEmpty()) j["shape"] = shape;
    QJsonArray exp;
    for (const auto& [name, weight] : expected) exp.append(QJsonObject{{"variant", name}, {"weight", weight}});
    j["expected"] = exp;
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

Session Session::fromJson(const QJsonObject& j)
{
    if (j["format"].toString() != "srm-workbench-session") fail(QObject::tr("not an SRM Workbench session file"));
    if (j["version"].toInt() > kFormat) fail(QObject::tr("the session was written by a newer SRM Workbench (format %1)").arg(j["version"].toInt()));
    Session s;
    s.dataFile = j["data_file"].toString();
    if (s.dataFile.isEmpty()) fail(QObject::tr("the session names no data file"));
    s.changesFile = j["changes_file"].toString();
    s.allocationFile = j["allocation_file"].toString();
    const QJsonObject cols = j["columns"].toObject();
    for (const char* role : kRoles)
        if (cols.contains(role)) s.columns[role] = cols[role].toString();
    if (j.contains("dimensions")) s.dimensions = toList(j["dimensions"]);
    if (j.contains("metrics")) s.metrics = toList(j["metrics"]);
    s.shape = j["shape"].toString();
    if (!s.shape.isEmpty() && s.shape != "events" && s.shape != "aggregated") fail(QObject::tr("unknown shape '%1'").arg(s.shape));
    for (const auto& e : j["expected"].toArray()) {
        const auto o = e.toObject();
        const double w = o["weight"].toDouble(-1);
        if (o["variant"].toString().isEmpty() || w < 0) fail(QObject::tr("the expected allocation in the session is malformed"));
        s.expected.append({o["variant"].toString(), w});
    }
    if (j.contains("window")) {
        const auto w = j["window"].toObject();
        s.refinement.window = std::make_pair(static_cast<std::int64_t>(w["start"].toDouble()), static_cast<std::int64_t>(w["end"].toDouble()));
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

srm::AnalysisRequest Session::request() const
{
    srm::AnalysisRequest r;
    r.file = dataFile.toStdString();
    if (!changesFile.isEmpty()) r.changes_file = changesFile.toStdString();
    if (!allocationFile.isEmpty()) r.allocation_file = allocationFile.toStdString();
    auto column = [&](const char* role) -> std::optional<std::string> {
        if (!columns.contains(role) || columns[role].isEmpty()) return std::nullopt;
        return columns[role].toStdString();
    };
    r.load.time_col = column("time");
    r.load.unit_col = column("unit");
    r.load.variant_col = column("variant");
    r.load.count_col = column("count");
    r.load.event_col = column("event");
    r.load.inclusion_col = column("inclusion");
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
    return r;
}

QString saveSession(const Session& session, const QString& path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return QObject::tr("cannot write '%1': %2").arg(path, file.errorString());
    file.write(QJsonDocument(session.toJson()).toJson(QJsonDocument::Indented));
    if (!file.commit()) return QObject::tr("cannot save '%1': %2").arg(path, file.errorString());
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
    return Session::fromJson(doc.object());
}

}  // namespace srmui
