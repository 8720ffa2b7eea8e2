#include "mainwindow.h"

#include "analysisengine.h"
#include "summarypage.h"
#include "reportformat.h"
#include "srm/cli.hpp"

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QStatusBar>

namespace srmui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_engine(new AnalysisEngine(this)), m_summary(new SummaryPage)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("SRM Workbench"));
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_summary);
    setCentralWidget(scroll);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("loadProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(220);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    setBusy(false);

    connect(m_cancel, &QPushButton::clicked, m_engine, &AnalysisEngine::cancel);
    connect(m_engine, &AnalysisEngine::started, this, &MainWindow::onStarted);
    connect(m_engine, &AnalysisEngine::progressChanged, this,
            [this](double f) { m_progress->setValue(static_cast<int>(f * 1000)); });
    connect(m_engine, &AnalysisEngine::finished, this, &MainWindow::onFinished);
    connect(m_engine, &AnalysisEngine::failed, this, &MainWindow::onFailed);
    connect(m_engine, &AnalysisEngine::cancelled, this, &MainWindow::onCancelled);

    buildMenus();
    resize(1000, 780);
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Counts CSV…"), this, &MainWindow::chooseFile);
    open->setShortcut(QKeySequence::Open);
    open->setObjectName(QStringLiteral("actionOpen"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);
    quit->setObjectName(QStringLiteral("actionQuit"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About SRM Workbench"), this, &MainWindow::showAbout);
}

void MainWindow::analyse(const srm::AnalysisRequest& request, const QString& title)
{
    setWindowTitle(tr("%1 — SRM Workbench").arg(title));
    m_engine->start(request);
}

void MainWindow::openFile(const QString& path)
{
    srm::AnalysisRequest request;
    request.file = QFileInfo(path).absoluteFilePath().toStdString();
    analyse(request, QFileInfo(path).fileName());
}

void MainWindow::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Counts CSV"), QString(),
                                                      tr("CSV files (*.csv *.tsv *.txt);;All files (*)"));
    if (!path.isEmpty()) openFile(path);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About SRM Workbench"),
                       tr("<b>SRM Workbench %1</b><p>Tells whether an A/B test's traffic split matches its planned "
                          "allocation (Sample Ratio Mismatch) and walks you to the cause.</p>")
                           .arg(QString::fromLatin1(srm::version_string())));
}

void MainWindow::setBusy(bool busy)
{
    m_progress->setVisible(busy);
    m_cancel->setVisible(busy);
    if (!busy) m_progress->setValue(0);
}

void MainWindow::onStarted()
{
    setBusy(true);
    statusBar()->showMessage(tr("Analysing…"));
    m_summary->showRunning();
}

void MainWindow::onFinished(const srm::Report& report)
{
    setBusy(false);
    statusBar()->showMessage(tr("Analysis finished: %1 units in %2 variants")
                                 .arg(formatCount(report.srm.units))
                                 .arg(report.srm.variants.size()),
                             8000);
    m_summary->showReport(report);
    emit reportShown(report);
}

void MainWindow::onFailed(const QString& message)
{
    setBusy(false);
    statusBar()->showMessage(tr("Analysis failed"), 8000);
    m_summary->showError(message);
    emit analysisFailed(message);
}

void MainWindow::onCancelled()
{
    setBusy(false);
    statusBar()->showMessage(tr("Analysis cancelled"), 8000);
    m_summary->showError(tr("the analysis was cancelled"));
}

}  // namespace srmui
