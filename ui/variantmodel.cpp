#include "variantmodel.h"

#include "reportformat.h"

#include <QBrush>
#include <QLocale>

namespace srmui {

VariantTableModel::VariantTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void VariantTableModel::setResult(const srm::SrmResult& result)
{
    beginResetModel();
    m_rows = result.variants;
    endResetModel();
}

void VariantTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int VariantTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int VariantTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant VariantTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const auto& v = m_rows[static_cast<std::size_t>(index.row())];
    const auto column = static_cast<Column>(index.column());
    if (role == RawRole) {
        switch (column) {
        case Name: return QString::fromStdString(v.name);
        case Observed: return static_cast<double>(v.observed);
        case Expected: return v.expected;
        case ObservedShare: return v.observed_share;
        case ExpectedShare: return v.expected_share;
        case Deviation: return v.deviation_pp;
        default: return {};
        }
    }
    if (role == Qt::DisplayRole || role == kExportRole) {
        const QLocale locale = numberLocale(role);
        switch (column) {
        case Name: return QString::fromStdString(v.name) + (v.unplanned ? tr(" (planned at 0 %)") : QString());
        case Observed: return formatCount(v.observed, locale);
        case Expected: return formatNumber(v.expected, 1, locale);
        case ObservedShare: return formatShare(v.observed_share, locale);
        case ExpectedShare: return formatShare(v.expected_share, locale);
        case Deviation: return formatDeviationPp(v.deviation_pp, locale);
        default: return {};
        }
    }
    if (role == Qt::TextAlignmentRole && column != Name) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && v.unplanned) return QBrush(severityColor(srm::Severity::Severe));
    return {};
}

QVariant VariantTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name: return tr("Variant");
    case Observed: return tr("Observed units");
    case Expected: return tr("Expected units");
    case ObservedShare: return tr("Observed share");
    case ExpectedShare: return tr("Expected share");
    case Deviation: return tr("Deviation");
    default: return {};
    }
}

}  // namespace srmui
