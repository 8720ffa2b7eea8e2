// What leaves the workbench: the report as a document (File > Export
// Report..., File > Print...), every chart as an image (context menu: Copy
// image, Save as PNG / SVG) and every table as text (Copy, Save as CSV, the
// CSV formula-safe). The window hands it the report and the reviewer's work;
// every dialog goes through the DialogService.
#pragma once

#include "srm/document.hpp"

#include <QObject>
#include <QString>
#include <functional>

class QAbstractItemModel;
class QChartView;
class QMenu;
class QTableView;
class QWidget;

namespace srmui {

class DialogService;

/// The model's rows as formula-safe CSV (RFC 4180), the header first.
QString tableCsv(const QAbstractItemModel* model);
/// A chart view drawn as SVG (vectors) and as an image at the screen's pixel ratio.
QByteArray chartSvg(QChartView* view);
QImage chartImage(QChartView* view);

class ReportExporter : public QObject {
    Q_OBJECT
public:
    using ReportFn = std::function<const srm::Report*()>;
    using WorkFn = std::function<srm::ReviewerWork()>;
    ReportExporter(QWidget* window, DialogService* dialogs, ReportFn report, WorkFn work);

    /// Adds Export Report... and Print... to a menu.
    void addActions(QMenu* menu);
    /// Context menus on every chart and table under `root`.
    void installContextMenus(QWidget* root);

    /// The document of the report shown now (with the reviewer's work and the scope).
    srm::ReportDocument document() const;
    /// Writes the report to `path` (format by extension); false after telling the user why.
    bool exportTo(const QString& path);
    void exportReport();
    void print();
    bool saveChart(QChartView* view, const QString& path);
    bool saveTable(QTableView* view, const QString& path);

private:
    void chartMenu(QChartView* view, const QPoint& pos);
    void tableMenu(QTableView* view, const QPoint& pos);
    bool writeBytes(const QString& path, const QByteArray& bytes);

    QWidget* m_window;
    DialogService* m_dialogs;
    ReportFn m_report;
    WorkFn m_work;
};

}  // namespace srmui
