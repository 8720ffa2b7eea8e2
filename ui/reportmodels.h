// Table models over the report's steps: group metrics (Step 2), changes
// (Step 3), dimension segments (Step 4) and the checklist (with the
// reviewer's answers to the manual items).
#pragma once

#include "srm/report.hpp"

#include <QAbstractTableModel>
#include <QMap>

namespace srmui {

/// Unformatted cell values (numbers as double) for sorting and tests.
constexpr int kRawRole = Qt::UserRole + 1;
/// "ok" / "warn" / "severe" / "too_small" / check status, for styling and tests.
constexpr int kStatusRole = Qt::UserRole + 2;

class MetricsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;
    void setReport(const srm::Report& report);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<srm::GroupMetric> m_rows;
    std::vector<std::string> m_variants;
};

class ChangesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Kind, Description, Distance, Near, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;
    void setReport(const srm::Report& report);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<srm::ChangeResult> m_rows;
};

class SegmentsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Dimension, Value, Units, Deviation, AdjustedP, Severity, Share, Explanation, Rank, ColumnCount };
    /// A row's part in the localization.
    enum class Part { None, Explains, PartOf, ExplainedBy };
    using QAbstractTableModel::QAbstractTableModel;
    void setReport(const srm::Report& report);
    Part partAt(int row) const;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    /// (dimension, value) of a row.
    std::pair<std::string, std::string> segmentAt(int row) const;
    /// A row's segment as the report has it (with its timeline and the rest's).
    const srm::SegmentResult& resultAt(int row) const;
    /// Whether the row's dimension carries the segments' timelines.
    bool hasTimelineAt(int row) const;
    /// Row of the first explaining segment (or one of its values), else of
    /// the most implicated (first of ranked_segments), -1 if none.
    int topRow() const;

private:
    struct Row {
        std::string dimension;
        srm::SegmentResult segment;
        int rank = 0;  // 1-based position in ranked_segments, 0 if not ranked
        Part part = Part::None;
        bool timelines = false;
        QString partText;  // "explains", "part of browser = Chrome ∧ sdk_version = 3.2.0", "explained by browser = Safari"
    };
    std::vector<Row> m_rows;
    std::vector<std::string> m_variants;
};

/// The checklist; manual items carry a check box and a notes field.
class ChecklistModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Status, Title, Detail, Done, Notes, ColumnCount };
    struct Answer {
        bool done = false;
        QString notes;
        bool operator==(const Answer&) const = default;
    };
    using QAbstractTableModel::QAbstractTableModel;
    void setReport(const srm::Report& report);
    QMap<QString, Answer> answers() const { return m_answers; }
    void setAnswers(const QMap<QString, Answer>& answers);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void answersChanged();

private:
    std::vector<srm::Check> m_rows;
    QMap<QString, Answer> m_answers;
};

}  // namespace srmui
