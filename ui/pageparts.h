// Parts the diagnosis pages share: their tables, headings and column widths.
#pragma once

#include <QString>
#include <QStringList>

class QAbstractBarSeries;
class QAbstractItemModel;
class QChart;
class QPalette;

class QTableView;
class QWidget;

namespace srmui {

/// A read-only table of whole rows that copies its cells (Ctrl+C) and lets Tab move on.
QTableView* makeTable(const QString& objectName, QAbstractItemModel* model, QWidget* parent);
/// A page's heading as rich text.
QString heading(const QString& text);
/// Columns to their contents, none wider than maxWidth (long text wraps), so
/// that the last columns stay in view.
void fitColumns(QTableView* table, int maxWidth = 340);
/// A chart in the palette's colours (background, title, legend, axes, grid), its axis numbers in displayLocale().
void applyChartStyle(QChart* chart, const QPalette& palette);
/// Removes a chart's series and axes.
void clearChart(QChart* chart);
/// Adds a bar series of deviations (percentage points) to a cleared chart:
/// categories along the bottom, a symmetric axis around 0 a little past
/// the largest |value| on the left.
void addDeviationBars(QChart* chart, QAbstractBarSeries* series, const QStringList& categories, double largest);

}  // namespace srmui
