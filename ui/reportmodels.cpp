#include "reportmodels.h"
#include "srm/text.hpp"

#include "palette.h"
#include "reportformat.h"

#include <algorithm>
#include <QBrush>
#include <QFont>
#include <QGuiApplication>
#include <QLocale>
#include <cmath>

namespace srmui {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }

// A flagged row's background or text, from the application's palette (read
// when the view asks, so a palette change repaints it right).
QVariant tintRole(Emphasis e, int role)
{
    const RowTint t = rowTint(e, QGuiApplication::palette());
    return QBrush(role == Qt::BackgroundRole ? t.background : t.foreground);
}
QString pText(double p, const QLocale& locale) { return formatP(p, std::log10(std::max(p, 1e-300)), locale); }
}  // namespace

// --- MetricsModel ----------------------------------------------------------

void MetricsModel::setReport(const srm::Report& report)
{
    beginResetModel();
    m_rows = report.group_metrics;
    m_variants.clear();
    for (const auto& v : report.srm.variants) m_variants.push_back(v.name);
    endResetModel();
}

int MetricsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(m_rows.size()); }

int MetricsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_variants.size()) + 4;
}

QVariant MetricsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) return {};
    const auto& m = m_rows[static_cast<std::size_t>(index.row())];
    const int nv = static_cast<int>(m_variants.size());
    const int c = index.column();
    if (role == kStatusRole) return m.flag ? QStringLiteral("flag") : QStringLiteral("ok");
    if ((role == Qt::BackgroundRole || role == Qt::ForegroundRole) && m.flag) return tintRole(Emphasis::Warn, role);
    if (role == Qt::DisplayRole || role == kRawRole || role == kExportRole) {
        const QLocale locale = numberLocale(role);
        if (c == 0) return qs(m.metric) + (m.binary ? tr(" (rate)") : tr(" (mean)"));
        if (c <= nv) {
            const auto* v = c - 1 < static_cast<int>(m.variants.size()) ? &m.variants[static_cast<std::size_t>(c - 1)] : nullptr;
            if (!v) return {};
            if (role == kRawRole) return v->rate;
            const double scale = m.binary ? 100.0 : 1.0;
            const int decimals = m.binary ? 2 : 3;
            return (m.binary ? tr("%1 % [%2, %3]  n = %4") : tr("%1 [%2, %3]  n = %4"))
                .arg(formatNumber(v->rate * scale, decimals, locale), formatNumber(v->ci_low * scale, decimals, locale),
                     formatNumber(v->ci_high * scale, decimals, locale), formatCount(v->n, locale));
        }
        if (c == nv + 1) return role == kRawRole ? QVariant(m.p_value) : QVariant(pText(m.p_value, locale));
        if (c == nv + 2) return role == kRawRole ? QVariant(m.adjusted_p_value) : QVariant(pText(m.adjusted_p_value, locale));
        if (c == nv + 3) return m.flag ? tr("\u26A0 differs between variants") : tr("no difference");
    }
    return {};
}

QVariant MetricsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
    const int nv = static_cast<int>(m_variants.size());
    if (section == 0) return tr("Metric");
    if (section <= nv) return qs(m_variants[static_cast<std::size_t>(section - 1)]) + tr(" (95 % interval)");
    if (section == nv + 1) return tr("p");
    if (section == nv + 2) return tr("Holm-adjusted p");
    return tr("Flag");
}

// --- ChangesModel ----------------------------------------------------------

void ChangesModel::setReport(const srm::Report& report)
{
    beginResetModel();
    m_rows = report.changes;
    endResetModel();
}

int ChangesModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(m_rows.size()); }
int ChangesModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ChangesModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const auto& c = m_rows[static_cast<std::size_t>(index.row())];
    if (role == kStatusRole) return c.near_change_point ? QStringLiteral("near") : QStringLiteral("far");
    if ((role == Qt::BackgroundRole || role == Qt::ForegroundRole) && c.near_change_point) return tintRole(Emphasis::Severe, role);
    if (role == Qt::FontRole && c.near_change_point) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == kRawRole && index.column() == Distance) return c.distance_seconds ? QVariant(*c.distance_seconds) : QVariant();
    if (role != Qt::DisplayRole && role != kExportRole) return {};
    switch (index.column()) {
    case Time: return formatTime(c.change.time);
    case Kind: return qs(c.change.kind);
    case Description: return qs(c.change.description);
    case Distance:
        return c.distance_seconds ? QStringLiteral("%1%2 h").arg(*c.distance_seconds >= 0 ? "+" : "", formatNumber(*c.distance_seconds / 3600.0, 1, numberLocale(role)))
                                  : tr("no change point");
    case Near: return c.near_change_point ? tr("\u25CF near") : QString();
    default: return {};
    }
}

QVariant ChangesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time: return tr("Time (UTC)");
    case Kind: return tr("Kind");
    case Description: return tr("Description");
    case Distance: return tr("From change point");
    case Near: return tr("Near");
    default: return {};
    }
}

// --- SegmentsModel ---------------------------------------------------------

void SegmentsModel::setReport(const srm::Report& report)
{
    beginResetModel();
    m_rows.clear();
    m_variants.clear();
    for (const auto& v : report.srm.variants) m_variants.push_back(v.name);
    const auto& ex = report.explanation;
    auto explained_by = [&]() {
        QStringList names;
        for (const auto& sg : ex.segments) names << qs(srm::describe_conditions(sg.conditions));
        return names.join(tr(" and "));
    }();
    for (const auto& d : report.dimensions)
        for (const auto& s : d.segments) {
            Row r{d.name, s, 0, Part::None, d.timelines, {}};
            for (std::size_t i = 0; i < report.ranked_segments.size(); ++i)
                if (report.ranked_segments[i].dimension == d.name && report.ranked_segments[i].value == s.value)
                    r.rank = static_cast<int>(i + 1);
            const std::pair<std::string, std::string> me{d.name, s.value};
            for (const auto& sg : ex.segments) {
                if (std::find(sg.conditions.begin(), sg.conditions.end(), me) == sg.conditions.end()) continue;
                if (sg.conditions.size() == 1) {
                    r.part = Part::Explains;
                    r.partText = sg.marginal ? tr("\u25C6 explains (marginal)") : tr("\u25C6 explains");
                    break;
                }
                r.part = Part::PartOf;
                r.partText = tr("\u25C7 part of %1").arg(qs(srm::describe_conditions(sg.conditions)));
            }
            if (r.part == Part::None)
                for (const auto& c : ex.explained_segments)
                    if (c.size() == 1 && c.front() == me) {
                        r.part = Part::ExplainedBy;
                        r.partText = tr("explained by %1").arg(explained_by);
                    }
            m_rows.push_back(std::move(r));
        }
    endResetModel();
}

SegmentsModel::Part SegmentsModel::partAt(int row) const { return m_rows.at(static_cast<std::size_t>(row)).part; }

int SegmentsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(m_rows.size()); }
int SegmentsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

std::pair<std::string, std::string> SegmentsModel::segmentAt(int row) const
{
    const auto& r = m_rows.at(static_cast<std::size_t>(row));
    return {r.dimension, r.segment.value};
}

const srm::SegmentResult& SegmentsModel::resultAt(int row) const { return m_rows.at(static_cast<std::size_t>(row)).segment; }
bool SegmentsModel::hasTimelineAt(int row) const { return m_rows.at(static_cast<std::size_t>(row)).timelines; }

int SegmentsModel::topRow() const
{
    for (const Part part : {Part::Explains, Part::PartOf})
        for (std::size_t i = 0; i < m_rows.size(); ++i)
            if (m_rows[i].part == part) return static_cast<int>(i);
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].rank == 1) return static_cast<int>(i);
    return -1;
}

QVariant SegmentsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const auto& r = m_rows[static_cast<std::size_t>(index.row())];
    const auto& s = r.segment;
    const QString severity = QString::fromLatin1(srm::to_string(s.severity));
    if (role == kStatusRole) return severity;
    if (role == Qt::BackgroundRole || role == Qt::ForegroundRole) {
        if (severity == "severe") return tintRole(Emphasis::Severe, role);
        if (severity == "warn") return tintRole(Emphasis::Warn, role);
        return {};
    }
    if (role == Qt::FontRole && (r.part == Part::Explains || r.part == Part::PartOf)) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::DecorationRole && index.column() == Severity) return severityIcon(severity);
    if (role == Qt::ToolTipRole) {
        QString t = QStringLiteral("<b>%1 = %2</b><br>").arg(qs(r.dimension).toHtmlEscaped(), qs(s.value).toHtmlEscaped());
        for (std::size_t v = 0; v < m_variants.size() && v < s.counts.size(); ++v)
            t += QStringLiteral("%1: %2<br>").arg(qs(m_variants[v]).toHtmlEscaped(), formatCount(s.counts[v]));
        return t + tr("p = %1 (unadjusted)").arg(formatP(s.p_value, s.log10_p_value));
    }
    if (role == kRawRole) {
        switch (index.column()) {
        case Units: return static_cast<double>(s.units);
        case Deviation: return s.max_deviation_pp;
        case AdjustedP: return s.log10_adjusted_p_value;
        case Share: return s.share_of_imbalance;
        case Rank: return r.rank ? r.rank : 1000000;
        case Explanation: return static_cast<int>(r.part == Part::None ? 9 : r.part == Part::ExplainedBy ? 3 : static_cast<int>(r.part));
        default: break;
        }
    }
    if (role != Qt::DisplayRole && role != kRawRole && role != kExportRole) return {};
    const QLocale locale = numberLocale(role);
    switch (index.column()) {
    case Dimension: return qs(r.dimension);
    case Value: return qs(s.value);
    case Units: return formatCount(s.units, locale);
    case Deviation: return formatNumber(s.max_deviation_pp, 2, locale) + QStringLiteral(" pp");
    case AdjustedP: return formatP(s.adjusted_p_value, s.log10_adjusted_p_value, locale);
    case Severity: return severity == "too_small" ? tr("too small") : severity;
    case Share: return formatNumber(s.share_of_imbalance * 100.0, 1, locale) + QStringLiteral(" %");
    case Explanation: return r.partText;
    case Rank: return r.rank ? (r.rank == 1 ? tr("\u25B2 1 (most implicated)") : locale.toString(r.rank)) : QString();
    default: return {};
    }
}

QVariant SegmentsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Dimension: return tr("Dimension");
    case Value: return tr("Value");
    case Units: return tr("Units");
    case Deviation: return tr("Largest deviation");
    case AdjustedP: return tr("Adjusted p (Holm)");
    case Severity: return tr("Severity");
    case Share: return tr("Share of imbalance");
    case Explanation: return tr("Explanation");
    case Rank: return tr("Rank");
    default: return {};
    }
}

// --- ChecklistModel --------------------------------------------------------

void ChecklistModel::setReport(const srm::Report& report)
{
    beginResetModel();
    m_rows = report.checks;
    endResetModel();
}

void ChecklistModel::setAnswers(const QMap<QString, Answer>& answers)
{
    beginResetModel();
    m_answers = answers;
    endResetModel();
    emit answersChanged();
}

int ChecklistModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(m_rows.size()); }
int ChecklistModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

Qt::ItemFlags ChecklistModel::flags(const QModelIndex& index) const
{
    if (!index.isValid()) return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const bool manual = m_rows[static_cast<std::size_t>(index.row())].status == srm::CheckStatus::Manual;
    if (manual && index.column() == Done) f |= Qt::ItemIsUserCheckable;
    if (manual && index.column() == Notes) f |= Qt::ItemIsEditable;
    return f;
}

QVariant ChecklistModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const auto& c = m_rows[static_cast<std::size_t>(index.row())];
    const QString id = qs(c.id);
    const bool manual = c.status == srm::CheckStatus::Manual;
    const Answer answer = m_answers.value(id);
    if (role == kStatusRole) return QString::fromLatin1(srm::to_string(c.status));
    if (role == Qt::DecorationRole && index.column() == Status) return checkIcon(c.status);
    if (role == Qt::CheckStateRole && index.column() == Done && manual) return answer.done ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::ToolTipRole && index.column() == Detail) return qs(c.detail);
    if (role != Qt::DisplayRole && role != Qt::EditRole && role != kExportRole) return {};
    switch (index.column()) {
    case Status: return checkStatusText(c.status);
    case Title: return qs(c.title);
    case Detail: return qs(c.detail);
    case Done: return manual ? (answer.done ? tr("checked") : tr("to check")) : QString();
    case Notes: return manual ? answer.notes : QString();
    default: return {};
    }
}

bool ChecklistModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!(flags(index) & (Qt::ItemIsUserCheckable | Qt::ItemIsEditable))) return false;
    const QString id = qs(m_rows[static_cast<std::size_t>(index.row())].id);
    Answer& a = m_answers[id];
    if (index.column() == Done && role == Qt::CheckStateRole) a.done = value.toInt() == Qt::Checked;
    else if (index.column() == Notes && role == Qt::EditRole) a.notes = value.toString();
    else return false;
    emit dataChanged(index, index, {role, Qt::DisplayRole});
    emit answersChanged();
    return true;
}

QVariant ChecklistModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Status: return tr("Status");
    case Title: return tr("Check");
    case Detail: return tr("What the data shows");
    case Done: return tr("Reviewed");
    case Notes: return tr("Notes");
    default: return {};
    }
}

}  // namespace srmui
