#include "mainwindow.h"

#include "dialogservice.h"
#include "guide.h"
#include "healthheader.h"
#include "pages.h"
#include "reportformat.h"
#include "reportmodels.h"
#include "summarypage.h"
#include "srm/cli.hpp"
#include "srm/render.hpp"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QFileInfo>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace srmui {

namespace {
constexpr int kMaxRecent = 8;
const QString kCsvFilter = QObject::tr("CSV exports (*.csv *.tsv *.txt);;All files (*)");
const QString kSessionFilter = QObject::tr("SRM Workbench sessions (*.srm.json *.json)");

QWidget* scrollable(QWidget* page)
{
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(page);
    return scroll;
}
}  // namespace

QStringList MainWindow::pageIds()
{
    return {QStringLiteral("step1"), QStringLiteral("step2"), QStringLiteral("step3"), QStringLiteral("step4"),
            QStringLiteral("checklist"), QStringLiteral("summary")};
}

MainWindow::MainWindow(QSettings* settings, DialogService* dialogs, QWidget* parent)
    : QMainWindow(parent), m_engine(new AnalysisEngine(this))
{
    if (!dialogs) m_ownDialogs = std::make_unique<QtDialogService>();
    m_dialogs = dialogs ? dialogs : m_ownDialogs.get();
    if (!settings) m_ownSettings = std::make_unique<QSettings>();
    m_settings = settings ? settings : m_ownSettings.get();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("SRM Workbench[*]"));
    setAcceptDrops(true);
    buildPages();
    buildMenus();

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
    connect(m_engine, &AnalysisEngine::progressChanged, this, [this](double f) { m_progress->setValue(static_cast<int>(f * 1000)); });
    connect(m_engine, &AnalysisEngine::finished, this, &MainWindow::onFinished);
    connect(m_engine, &AnalysisEngine::failed, this, &MainWindow::onFailed);
    connect(m_engine, &AnalysisEngine::cancelled, this, [this] { onFailed(tr("the analysis was cancelled")); });
    connect(m_step1, &Step1Page::windowChosen, this, [this](qint64 a, qint64 b) {
        Refinement r = m_engine->refinement();
        r.window = std::make_pair(a, b);
        refine(r);
    });
    connect(m_step1, &Step1Page::showAllRequested, this, [this] { refine({}); });
    connect(m_step4, &Step4Page::segmentChosen, this, [this](const QString& dimension, const QString& value) {
        Refinement r = m_engine->refinement();
        r.segment = std::make_pair(dimension.toStdString(), value.toStdString());
        refine(r);
        showPage(QStringLiteral("step1"));
    });
    connect(m_checklist->model(), &ChecklistModel::answersChanged, this, [this] {
        m_session.answers = m_checklist->model()->answers();
        setModified(true);
    });
    connect(m_notes, &QPlainTextEdit::textChanged, this, [this] {
        if (m_session.notes == m_notes->toPlainText()) return;
        m_session.notes = m_notes->toPlainText();
        setModified(true);
    });

    resize(1200, 860);
    restoreGeometry(m_settings->value(QStringLiteral("window/geometry")).toByteArray());
}

MainWindow::~MainWindow() = default;

void MainWindow::buildPages()
{
    m_header = new HealthHeader;
    m_navigator = new QListWidget;
    m_navigator->setObjectName(QStringLiteral("navigator"));
    m_navigator->setMaximumWidth(230);
    m_stack = new QStackedWidget;
    m_step1 = new Step1Page;
    m_step2 = new Step2Page;
    m_step3 = new Step3Page;
    m_step4 = new Step4Page;
    m_checklist = new ChecklistPage;
    m_notes = m_checklist->notes();
    m_summary = new SummaryPage;
    const QStringList titles = {tr("Step 1  Time pattern"), tr("Step 2  Group metrics"), tr("Step 3  Changes"),
                                tr("Step 4  Dimensions"), tr("Checklist"), tr("Summary")};
    const QList<QWidget*> pages = {m_step1, m_step2, m_step3, m_step4, m_checklist, m_summary};
    for (int i = 0; i < pages.size(); ++i) {
        auto* item = new QListWidgetItem(severityIcon(QStringLiteral("none")), titles[i], m_navigator);
        item->setData(Qt::UserRole, pageIds()[i]);
        m_stack->addWidget(i == 4 ? pages[i] : scrollable(pages[i]));
    }
    connect(m_navigator, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    auto* splitter = new QSplitter;
    splitter->addWidget(m_navigator);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(1, 1);
    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_header);
    layout->addWidget(splitter, 1);
    setCentralWidget(central);
    m_navigator->setCurrentRow(pageIds().indexOf(QStringLiteral("summary")));
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Exposure CSV…"), this, &MainWindow::chooseAndOpen);
    open->setShortcut(QKeySequence::Open);
    open->setObjectName(QStringLiteral("actionOpen"));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addAction(tr("Open &Change Log…"), this, [this] {
        const QString p = m_dialogs->openFile(this, tr("Open Change Log"), kCsvFilter);
        if (!p.isEmpty()) setChangeLog(p);
    });
    file->addAction(tr("Open &Allocation History…"), this, [this] {
        const QString p = m_dialogs->openFile(this, tr("Open Allocation History"), kCsvFilter);
        if (!p.isEmpty()) setAllocationHistory(p);
    });
    file->addSeparator();
    file->addAction(tr("Open &Session…"), this, &MainWindow::chooseSession);
    file->addAction(tr("&Save Session"), this, [this] { saveSession(false); })->setShortcut(QKeySequence::Save);
    file->addAction(tr("Save Session &As…"), this, [this] { saveSession(true); })->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setObjectName(QStringLiteral("actionQuit"));

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(tr("&Copy Report"), this, &MainWindow::copyReport)->setShortcut(QKeySequence::Copy);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < pageIds().size(); ++i) {
        QAction* a = view->addAction(m_navigator->item(i)->text(), this, [this, i] { m_navigator->setCurrentRow(i); });
        a->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("SRM &Guide"), this, &MainWindow::showGuide)->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About SRM Workbench"), this, [this] {
        QMessageBox::about(this, tr("About SRM Workbench"),
                           tr("<b>SRM Workbench %1</b><p>Tells whether an A/B test's traffic split matches its planned "
                              "allocation (Sample Ratio Mismatch) and walks you to the cause.</p>")
                               .arg(QString::fromLatin1(srm::version_string())));
    });
}

void MainWindow::showPage(const QString& id)
{
    const int i = pageIds().indexOf(id);
    if (i >= 0) m_navigator->setCurrentRow(i);
}

QString MainWindow::currentPage() const { return pageIds().value(m_navigator->currentRow()); }

void MainWindow::analyse(const srm::AnalysisRequest& request, const QString& title)
{
    if (request.file) {
        // A file from the command line becomes the session, so that the
        // change log, allocation history and session actions apply to it.
        m_session = Session{};
        m_session.dataFile = QString::fromStdString(*request.file);
        if (request.changes_file) m_session.changesFile = QString::fromStdString(*request.changes_file);
        if (request.allocation_file) m_session.allocationFile = QString::fromStdString(*request.allocation_file);
        if (request.expected)
            for (const auto& [name, weight] : *request.expected) m_session.expected.append({QString::fromStdString(name), weight});
    }
    setWindowTitle(tr("%1[*] — SRM Workbench").arg(title));
    m_engine->start(request);
}

void MainWindow::startSession(const QString& title)
{
    m_checklist->model()->setAnswers(m_session.answers);
    m_notes->setPlainText(m_session.notes);
    setWindowTitle(tr("%1[*] — SRM Workbench").arg(title));
    m_engine->start(m_session.request());
}

void MainWindow::openFile(const QString& path)
{
    m_session = Session{};
    m_session.dataFile = QFileInfo(path).absoluteFilePath();
    m_sessionPath.clear();
    addRecent(m_session.dataFile);
    startSession(QFileInfo(path).fileName());
    setModified(false);
}

void MainWindow::setChangeLog(const QString& path)
{
    addSideFile(m_session.changesFile, path, tr("Open Change Log"),
                tr("Open an exposure CSV first: the change log is read against its time pattern."));
}

void MainWindow::setAllocationHistory(const QString& path)
{
    addSideFile(m_session.allocationFile, path, tr("Open Allocation History"),
                tr("Open an exposure CSV first: the history applies to its units."));
}

void MainWindow::addSideFile(QString& slot, const QString& path, const QString& title, const QString& needsData)
{
    if (m_session.dataFile.isEmpty()) {
        m_dialogs->error(this, title, needsData);
        return;
    }
    slot = QFileInfo(path).absoluteFilePath();
    setModified(true);
    startSession(QFileInfo(m_session.dataFile).fileName());
}

bool MainWindow::openSession(const QString& path)
{
    try {
        m_session = loadSession(path);
    } catch (const std::exception& e) {
        m_dialogs->error(this, tr("Open Session"), QString::fromStdString(e.what()));
        return false;
    }
    m_sessionPath = path;
    addRecent(path);
    startSession(QFileInfo(path).fileName());
    setModified(false);
    return true;
}

bool MainWindow::saveSessionTo(const QString& path)
{
    m_session.refinement = m_engine->refinement();
    const QString error = srmui::saveSession(m_session, path);
    if (!error.isEmpty()) {
        m_dialogs->error(this, tr("Save Session"), error);
        return false;
    }
    m_sessionPath = path;
    setModified(false);
    statusBar()->showMessage(tr("Session saved to %1").arg(path), 5000);
    return true;
}

bool MainWindow::saveSession(bool ask_path)
{
    if (m_session.dataFile.isEmpty()) return false;
    QString path = m_sessionPath;
    if (ask_path || path.isEmpty())
        path = m_dialogs->saveFile(this, tr("Save Session"), kSessionFilter, QFileInfo(m_session.dataFile).completeBaseName() + ".srm.json");
    return !path.isEmpty() && saveSessionTo(path);
}

void MainWindow::chooseAndOpen()
{
    const QString path = m_dialogs->openFile(this, tr("Open Exposure CSV"), kCsvFilter);
    if (path.isEmpty()) return;
    const auto chosen = m_dialogs->importFile(this, path);
    if (!chosen) return;
    openWith(*chosen);
}

void MainWindow::openWith(const Session& session)
{
    m_session = session;
    m_sessionPath.clear();
    addRecent(m_session.dataFile);
    startSession(QFileInfo(m_session.dataFile).fileName());
    setModified(true);
}

void MainWindow::chooseSession()
{
    const QString path = m_dialogs->openFile(this, tr("Open Session"), kSessionFilter);
    if (!path.isEmpty()) openSession(path);
}

void MainWindow::refine(const Refinement& refinement)
{
    if (!m_engine->hasData()) return;
    m_session.refinement = refinement;
    setModified(true);
    m_engine->refine(refinement);
}

void MainWindow::onStarted()
{
    setBusy(true);
    statusBar()->showMessage(tr("Analysing…"));
    m_header->showRunning();
}

void MainWindow::onFinished(const srm::Report& report)
{
    setBusy(false);
    m_report = std::make_unique<srm::Report>(report);
    statusBar()->showMessage(tr("Analysis finished: %1 units in %2 variants").arg(formatCount(report.srm.units)).arg(report.srm.variants.size()), 8000);
    m_header->showReport(report);
    m_step1->showReport(report, m_engine->refinement());
    m_step2->showReport(report);
    m_step3->showReport(report);
    m_step4->showReport(report);
    m_checklist->showReport(report);
    m_summary->showReport(report);
    updateNavigator(report);
    // A session's saved window or segment applies once its data is loaded.
    if (m_engine->hasData() && !(m_session.refinement == m_engine->refinement()) && m_engine->refinement() == Refinement{}) {
        m_engine->refine(m_session.refinement);
        return;
    }
    emit reportShown(report);
}

void MainWindow::onFailed(const QString& message)
{
    setBusy(false);
    statusBar()->showMessage(tr("Analysis failed"), 8000);
    m_header->showError(message);
    m_summary->clear();
    emit analysisFailed(message);
}

void MainWindow::updateNavigator(const srm::Report& r)
{
    auto status = [](bool applicable, bool bad, bool severe) {
        return !applicable ? QStringLiteral("none") : severe ? QStringLiteral("severe") : bad ? QStringLiteral("warn") : QStringLiteral("ok");
    };
    bool flagged = false, near = false, fail = false, warn = false;
    for (const auto& m : r.group_metrics) flagged = flagged || m.flag;
    for (const auto& c : r.changes) near = near || c.near_change_point;
    for (const auto& c : r.checks) {
        fail = fail || c.status == srm::CheckStatus::Fail;
        warn = warn || c.status == srm::CheckStatus::Warn;
    }
    const bool severe = r.srm.severity == srm::Severity::Severe;
    const QStringList states = {
        status(r.time_pattern.kind != srm::PatternKind::NotApplicable, r.time_pattern.kind != srm::PatternKind::None, severe && r.time_pattern.kind != srm::PatternKind::None),
        status(!r.group_metrics.empty(), flagged, false),
        status(!r.changes.empty(), near, false),
        status(!r.dimensions.empty(), !r.ranked_segments.empty(), !r.ranked_segments.empty() && severe),
        status(true, warn || fail, fail),
        status(true, r.verdict.srm, r.verdict.srm && severe)};
    for (int i = 0; i < states.size(); ++i) {
        m_navigator->item(i)->setIcon(severityIcon(states[i]));
        m_navigator->item(i)->setData(Qt::UserRole + 1, states[i]);
        m_navigator->item(i)->setToolTip(tr("status: %1").arg(states[i]));
    }
}

void MainWindow::copyReport()
{
    if (m_report) QApplication::clipboard()->setText(QString::fromStdString(srm::to_text(*m_report)));
}

void MainWindow::showGuide() { showSrmGuide(this); }

void MainWindow::setModified(bool modified)
{
    m_modified = modified;
    setWindowModified(modified);
}

void MainWindow::addRecent(const QString& path)
{
    QStringList recent = m_settings->value(QStringLiteral("recentFiles")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent) recent.removeLast();
    m_settings->setValue(QStringLiteral("recentFiles"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    if (!m_recentMenu) return;
    m_recentMenu->clear();
    const QStringList recent = m_settings->value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& path : recent) {
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] {
            if (path.endsWith(QStringLiteral(".json"))) openSession(path);
            else openFile(path);
        })->setToolTip(path);
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::setBusy(bool busy)
{
    m_progress->setVisible(busy);
    m_cancel->setVisible(busy);
    if (!busy) m_progress->setValue(0);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_modified) {
        const auto choice = m_dialogs->unsavedChanges(this);
        if (choice == DialogService::Choice::Cancel || (choice == DialogService::Choice::Save && !saveSession(false))) {
            event->ignore();
            return;
        }
    }
    m_settings->setValue(QStringLiteral("window/geometry"), saveGeometry());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.front().isLocalFile()) return;
    const QString path = urls.front().toLocalFile();
    event->acceptProposedAction();
    if (path.endsWith(QStringLiteral(".json"))) {
        openSession(path);
    } else if (const auto chosen = m_dialogs->importFile(this, path)) {
        openWith(*chosen);
    }
}

}  // namespace srmui
