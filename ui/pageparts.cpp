#include "pageparts.h"
#include "reportformat.h"

#include <QPalette>
#include <QLegend>
#include <QAbstractAxis>

#include "tablecopy.h"

#include <QBarCategoryAxis>
#include <QAbstractBarSeries>
#include <QChart>
#include <QHeaderView>
#include <QValueAxis>
#include <QTableView>

namespace srmui {

QTableView* makeTable(const QString& objectName, QAbstractItemModel* model, QWidget* parent)
{
    auto* t = new QTableView(parent);
    t->setObjectName(objectName);
    t->setModel(model);
    t->verticalHeader()->hide();
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setWordWrap(true);
    makeCopyable(t);
    return t;
}

QString heading(const QString& text) { return QStringLiteral("<h3>%1</h3>").arg(text); }

void fitColumns(QTableView* t, int maxWidth)
{
    // Measured on the first rows only (and rows keep the default height past
    // them): a table of 20,000 metrics or segments is laid out in no time.
    constexpr int kMeasured = 500;
    t->horizontalHeader()->setResizeContentsPrecision(kMeasured);
    t->resizeColumnsToContents();
    for (int c = 0; c < t->model()->columnCount(); ++c)
        if (t->columnWidth(c) > maxWidth) t->setColumnWidth(c, maxWidth);
    if (t->model()->rowCount() <= kMeasured) t->resizeRowsToContents();
    else
        for (int r = 0; r < kMeasured; ++r) t->resizeRowToContents(r);
}

void applyChartStyle(QChart* chart, const QPalette& p)
{
    // Axis labels in the user's locale, as the tables and texts show numbers.
    chart->setLocale(displayLocale());
    chart->setLocalizeNumbers(true);
    chart->setBackgroundBrush(p.color(QPalette::Base));
    chart->setTitleBrush(p.color(QPalette::Text));
    chart->legend()->setLabelColor(p.color(QPalette::Text));
    QColor grid = p.color(QPalette::Text);
    grid.setAlphaF(0.15f);
    for (auto* axis : chart->axes()) {
        axis->setLabelsColor(p.color(QPalette::Text));
        axis->setTitleBrush(p.color(QPalette::Text));
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
    }
}

void clearChart(QChart* chart)
{
    chart->removeAllSeries();
    for (auto* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
}

void addDeviationBars(QChart* chart, QAbstractBarSeries* series, const QStringList& categories, double largest)
{
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    auto* y = new QValueAxis;
    const double span = largest > 0 ? largest * 1.2 : 1.0;
    y->setRange(-span, span);
    y->setTickCount(5);
    // Localized labels (applyChartStyle) take only the "%.Nf" form: no sign flag.
    y->setLabelFormat(span < 0.1 ? QStringLiteral("%.4f") : span < 10 ? QStringLiteral("%.2f") : QStringLiteral("%.0f"));
    y->setTitleText(QObject::tr("pp"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
}

}  // namespace srmui
