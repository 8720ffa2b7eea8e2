#include "reportexport.h"

#include "dialogservice.h"
#include "reportformat.h"
#include "reportpainter.h"
#include "tablecopy.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QBuffer>
#include <QChartView>
#include <QClipboard>
#include <QDateTime>
#include <QFileInfo>
#include <QImage>
#include <QMenu>
#include <QPainter>
#include <QPrinter>
#include <QSvgGenerator>
#include <QTableView>

#include <stdexcept>

namespace srmui {

QString tableCsv(const QAbstractItemModel* model)
{
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header;
    for (int c = 0; c < model->columnCount(); ++c) header.push_back(model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString().toStdString());
    rows.push_back(std::move(header));
    for (int r = 0; r < model->rowCount(); ++r) {
        std::vector<std::string> row;
        for (int c = 0; c < model->columnCount(); ++c) {
            // Locale-free numbers where the model offers them (kExportRole), else what it shows.
            const QModelIndex cell = model->index(r, c);
            const QVariant exported = cell.data(kExportRole);
            row.push_back((exported.isValid() ? exported : cell.data(Qt::DisplayRole)).toString().toStdString());
        }
        rows.push_back(std::move(row));
    }
    return QString::fromStdString(srm::to_csv(rows));
}

QByteArray chartSvg(QChartView* view)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(view->size());
    svg.setViewBox(QRect(QPoint(0, 0), view->size()));
    svg.setTitle(view->chart() ? view->chart()->title() : QString());
    QPainter painter(&svg);
    view->render(&painter);
    painter.end();
    return buffer.data();
}

QImage chartImage(QChartView* view)
{
    const qreal ratio = view->devicePixelRatioF();
    QImage image(view->size() * ratio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(ratio);
    image.fill(Qt::white);
    QPainter painter(&image);
    view->render(&painter);
    return image;
}

ReportExporter::ReportExporter(QWidget* window, DialogService* dialogs, ReportFn report, WorkFn work)
    : QObject(window), m_window(window), m_dialogs(dialogs), m_report(std::move(report)), m_work(std::move(work))
{
}

void ReportExporter::addActions(QMenu* menu)
{
    QAction* exp = menu->addAction(tr("&Export Report…"), this, &ReportExporter::exportReport);
    exp->setObjectName(QStringLiteral("exportReportAction"));
    exp->setShortcut(QKeySequence(tr("Ctrl+E")));
    QAction* print = menu->addAction(tr("&Print…"), this, &ReportExporter::print);
    print->setObjectName(QStringLiteral("printAction"));
    print->setShortcut(QKeySequence::Print);
    connect(menu, &QMenu::aboutToShow, this, [this, exp, print] {
        exp->setEnabled(m_report() != nullptr);
        print->setEnabled(m_report() != nullptr);
    });
}

void ReportExporter::installContextMenus(QWidget* root)
{
    for (QChartView* view : root->findChildren<QChartView*>()) {
        view->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(view, &QWidget::customContextMenuRequested, this, [this, view](const QPoint& pos) { chartMenu(view, pos); });
    }
    for (QTableView* view : root->findChildren<QTableView*>()) {
        view->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(view, &QWidget::customContextMenuRequested, this, [this, view](const QPoint& pos) { tableMenu(view, pos); });
    }
}

srm::ReportDocument ReportExporter::document() const
{
    const srm::Report* r = m_report();
    if (!r) return {};
    return srm::build_document(*r, srm::DocumentContext{m_work(), QDateTime::currentSecsSinceEpoch(), "SRM Workbench"});
}

bool ReportExporter::exportTo(const QString& path)
{
    if (!m_report()) return false;
    try {
        writeReportFile(document(), path);
        return true;
    } catch (const std::exception& e) {
        m_dialogs->error(m_window, tr("Export Report"), tr("The report could not be written to %1: %2").arg(path, QString::fromStdString(e.what())));
        return false;
    }
}

void ReportExporter::exportReport()
{
    const srm::Report* r = m_report();
    if (!r) return;
    const QString base = QFileInfo(QString::fromStdString(r->input.file)).completeBaseName();
    QString path = m_dialogs->saveFile(m_window, tr("Export Report"),
                                       tr("HTML report (*.html);;PDF report (*.pdf);;Markdown report (*.md)"),
                                       (base.isEmpty() ? QStringLiteral("srm-report") : base + QStringLiteral("-srm-report")) + QStringLiteral(".html"));
    if (path.isEmpty()) return;
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext != QLatin1String("html") && ext != QLatin1String("htm") && ext != QLatin1String("pdf") && ext != QLatin1String("md") &&
        ext != QLatin1String("markdown"))
        path += QStringLiteral(".html");
    exportTo(path);
}

void ReportExporter::print()
{
    if (!m_report()) return;
    const srm::ReportDocument doc = document();
    m_dialogs->printPreview(m_window, [doc](QPrinter* printer) { paintReport(doc, printer); });
}

bool ReportExporter::writeBytes(const QString& path, const QByteArray& bytes)
{
    try {
        writeFileAtomic(path, bytes);
        return true;
    } catch (const std::exception& e) {
        m_dialogs->error(m_window, tr("Save"), tr("%1 could not be written: %2").arg(path, QString::fromStdString(e.what())));
        return false;
    }
}

bool ReportExporter::saveChart(QChartView* view, const QString& path)
{
    if (QFileInfo(path).suffix().toLower() == QLatin1String("svg")) return writeBytes(path, chartSvg(view));
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    chartImage(view).save(&buffer, "PNG");
    return writeBytes(path, png);
}

bool ReportExporter::saveTable(QTableView* view, const QString& path) { return writeBytes(path, tableCsv(view->model()).toUtf8()); }

void ReportExporter::chartMenu(QChartView* view, const QPoint& pos)
{
    auto* menu = new QMenu(view);
    menu->setObjectName(QStringLiteral("chartMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(tr("Copy Image"), this, [view] { QApplication::clipboard()->setImage(chartImage(view)); });
    menu->addAction(tr("Save as PNG…"), this, [this, view] {
        const QString path = m_dialogs->saveFile(m_window, tr("Save Chart"), tr("PNG image (*.png)"), view->objectName() + QStringLiteral(".png"));
        if (!path.isEmpty()) saveChart(view, path);
    });
    menu->addAction(tr("Save as SVG…"), this, [this, view] {
        const QString path = m_dialogs->saveFile(m_window, tr("Save Chart"), tr("SVG image (*.svg)"), view->objectName() + QStringLiteral(".svg"));
        if (!path.isEmpty()) saveChart(view, path);
    });
    m_dialogs->popupMenu(menu, view->viewport()->mapToGlobal(pos));
}

void ReportExporter::tableMenu(QTableView* view, const QPoint& pos)
{
    auto* menu = new QMenu(view);
    menu->setObjectName(QStringLiteral("tableMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(tr("Copy"), this, [view] { QApplication::clipboard()->setText(selectedCellsText(view)); })->setEnabled(view->selectionModel() &&
                                                                                                                          view->selectionModel()->hasSelection());
    menu->addAction(tr("Save as CSV…"), this, [this, view] {
        const QString path = m_dialogs->saveFile(m_window, tr("Save Table"), tr("CSV file (*.csv)"), view->objectName() + QStringLiteral(".csv"));
        if (!path.isEmpty()) saveTable(view, path);
    });
    m_dialogs->popupMenu(menu, view->viewport()->mapToGlobal(pos));
}

}  // namespace srmui
