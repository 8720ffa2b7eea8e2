// Observed vs expected per variant, as a table model.
#pragma once

#include "srm/stats.hpp"

#include <QAbstractTableModel>

namespace srmui {

class VariantTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Name, Observed, Expected, ObservedShare, ExpectedShare, Deviation, ColumnCount };
    /// Unformatted value of a cell (numbers as double), for sorting and tests.
    static constexpr int RawRole = Qt::UserRole + 1;

    explicit VariantTableModel(QObject* parent = nullptr);

    void setResult(const srm::SrmResult& result);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<srm::VariantResult> m_rows;
};

}  // namespace srmui
