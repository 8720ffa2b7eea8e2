#include "mainwindow.h"

#include "dialogservice.h"
#include "guide.h"
#include "healthheader.h"
#include "pages.h"
#include "preferencesdialog.h"
#include "reportexport.h"
#include "reportformat.h"
#include "reportmodels.h"
#include "sessioncontroller.h"
#include "summarypage.h"
#include "uiqueue.h"
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
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

namespace srmui {

namespace {
const QString kCsvFilter = QObject::tr("Exports (*.csv *.tsv *.txt *.gz *.zst *.zip);;All files (*)");

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
    m_sessions = new SessionController(this, m_settings, m_dialogs);
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("SRM Workbench[*]"));
    setAcceptDrops(true);
    buildPages();
    m_exporter = new ReportExporter(
        this, m_dialogs, [this] { return report(); }, [this] { return m_sessions->session().work(); });
    m_exporter->installContextMenus(m_stack);
    buildMenus();
    buildStatusBar();
    connectPages();
    resize(1280, 860);
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
        auto* item = new QListWidgetItem(stepIcon(srm::StepState::NotApplicable), titles[i], m_navigator);
        item->setData(Qt::UserRole, pageIds()[i]);
        m_stack->addWidget(i == 3 || i == 4 ? pages[i] : scrollable(pages[i]));
    }
    connect(m_navigator, &QListWidget::currentRowChanged, this, [this](int row) {
        if (m_pagesToShow.removeOne(row)) showReportOnPage(row);  // never a page behind the report
        m_stack->setCurrentIndex(row);
    });
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

void MainWindow::buildFileMenu()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Exposure CSV…"), this, &MainWindow::chooseAndOpen);
    open->setShortcut(QKeySequence::Open);
    open->setObjectName(QStringLiteral("actionOpen"));
    file->addAction(tr("Open from &Database…"), this, [this] {
            if (!m_sessions->confirmDiscard()) return;
            if (const auto chosen = m_dialogs->openDatabase(this)) m_sessions->startImported(*chosen);
        })->setObjectName(QStringLiteral("openDatabaseAction"));
    QMenu* recent = file->addMenu(tr("Open &Recent"));
    recent->setObjectName(QStringLiteral("recentMenu"));
    m_sessions->attachRecentMenu(recent);
    file->addAction(tr("Open Change &Log…"), this, [this] {
        const QString p = m_dialogs->openFile(this, tr("Open Change Log"), kCsvFilter);
        if (!p.isEmpty()) setChangeLog(p);
    });
    file->addAction(tr("Open Allocation &History…"), this, [this] {
        const QString p = m_dialogs->openFile(this, tr("Open Allocation History"), kCsvFilter);
        if (!p.isEmpty()) setAllocationHistory(p);
    });
    file->addSeparator();
    file->addAction(tr("Open Sess&ion…"), this, &MainWindow::chooseSession);
    file->addAction(tr("&Save Session"), this, [this] { m_sessions->save(false); })->setShortcut(QKeySequence::Save);
    QAction* saveAs = file->addAction(tr("Save Session &As…"), this, [this] { m_sessions->save(true); });
    saveAs->setShortcut(QKeySequence::SaveAs);
    saveAs->setObjectName(QStringLiteral("actionSaveAs"));
    file->addSeparator();
    m_exporter->addActions(file);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setObjectName(QStringLiteral("actionQuit"));
}

void MainWindow::buildMenus()
{
    buildFileMenu();
    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* copy = edit->addAction(tr("&Copy Report"), this, &MainWindow::copyReport);
    copy->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));  // Ctrl+C copies a table's selected cells
    copy->setObjectName(QStringLiteral("actionCopyReport"));
    edit->addSeparator();
    QAction* prefs = edit->addAction(tr("&Preferences…"), this, &MainWindow::editPreferences);
    prefs->setObjectName(QStringLiteral("actionPreferences"));
    prefs->setMenuRole(QAction::PreferencesRole);
    prefs->setShortcut(QKeySequence::Preferences);
    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < pageIds().size(); ++i) {
        QAction* a = view->addAction(m_navigator->item(i)->text(), this, [this, i] { m_navigator->setCurrentRow(i); });
        a->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }
    view->addSeparator();
    view->addAction(tr("Show &All Units"), this, &MainWindow::showAllUnits)->setShortcut(QKeySequence(Qt::Key_Escape));
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("SRM &Guide"), this, [this] { showSrmGuide(this); })->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About SRM Workbench"), this, [this] {
        QMessageBox::about(this, tr("About SRM Workbench"),
                           tr("<b>SRM Workbench %1</b><p>Tells whether an A/B test's traffic split matches its planned "
                              "allocation (Sample Ratio Mismatch) and walks you to the cause.</p>")
                               .arg(QString::fromLatin1(srm::version_string())));
    });
}

void MainWindow::buildStatusBar()
{
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("loadProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(220);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);
    setBusy(false);
}

void MainWindow::connectPages()
{
    connect(m_cancel, &QPushButton::clicked, m_engine, &AnalysisEngine::cancel);
    connect(m_engine, &AnalysisEngine::started, this, &MainWindow::onStarted);
    connect(m_engine, &AnalysisEngine::refining, this, [this] {
        setBusy(true);
        statusBar()->showMessage(tr("Reading the window exactly (units with any exposure in it)…"));
    });
    connect(m_engine, &AnalysisEngine::progressChanged, this, [this](double f) {
        if (f < 0) m_progress->setRange(0, 0);  // size unknown: busy
        else m_progress->setValue(static_cast<int>(f * 1000));
    });
    connect(m_engine, &AnalysisEngine::finished, this, &MainWindow::onFinished);
    connect(m_engine, &AnalysisEngine::failed, this, &MainWindow::onFailed);
    connect(m_engine, &AnalysisEngine::cancelled, this, &MainWindow::onCancelled);
    connect(m_sessions, &SessionController::analysisRequested, this, &MainWindow::startAnalysis);
    connect(m_sessions, &SessionController::modifiedChanged, this, &QWidget::setWindowModified);
    connect(m_sessions, &SessionController::recentChosen, this, &MainWindow::openRecent);
    connect(m_header, &HealthHeader::clearScopeRequested, this, &MainWindow::showAllUnits);
    connect(m_step1, &Step1Page::windowChosen, this, [this](qint64 a, qint64 b) {
        Refinement r = m_engine->refinement();
        r.window = std::make_pair(a, b);
        refine(r);
    });
    connect(m_step4, &Step4Page::segmentChosen, this, [this](const QString& dimension, const QString& value) {
        Refinement r = m_engine->refinement();
        r.segment = std::make_pair(dimension.toStdString(), value.toStdString());
        refine(r);
        showPage(QStringLiteral("step1"));
    });
    connect(m_checklist->model(), &ChecklistModel::answersChanged, this, [this] { m_sessions->setAnswers(m_checklist->model()->answers()); });
    connect(m_notes, &QPlainTextEdit::textChanged, this, [this] { m_sessions->setNotes(m_notes->toPlainText()); });
}

void MainWindow::showPage(const QString& id)
{
    const int i = pageIds().indexOf(id);
    if (i >= 0) m_navigator->setCurrentRow(i);
}

QString MainWindow::currentPage() const { return pageIds().value(m_navigator->currentRow()); }

const Session& MainWindow::session() const { return m_sessions->session(); }
bool MainWindow::isModified() const { return m_sessions->isModified(); }

void MainWindow::editPreferences()
{
    const auto chosen = m_dialogs->preferences(this, AnalysisPreferences::load(*m_settings));
    if (!chosen) return;
    chosen->save(*m_settings);
    m_sessions->setPriorConcentration(chosen->priorConcentration);  // the open analysis follows
}

void MainWindow::analyse(const srm::AnalysisRequest& request, const QString& title)
{
    // A file from the command line becomes the session, so that the change
    // log, allocation history and session actions apply to it.
    if (request.file) m_sessions->startRequest(request);
    startAnalysis(request, title);
}

void MainWindow::startAnalysis(const srm::AnalysisRequest& request, const QString& title)
{
    m_checklist->model()->setAnswers(m_sessions->session().answers);
    {
        const QSignalBlocker block(m_notes);
        m_notes->setPlainText(m_sessions->session().notes);
    }
    setWindowTitle(tr("%1[*] — SRM Workbench").arg(title));
    m_engine->start(request);
}

bool MainWindow::openFile(const QString& path)
{
    if (!m_sessions->confirmDiscard()) return false;
    m_sessions->startFile(path);
    return true;
}

bool MainWindow::openWith(const Session& session)
{
    if (!m_sessions->confirmDiscard()) return false;
    m_sessions->startImported(session);
    return true;
}

bool MainWindow::openSession(const QString& path)
{
    if (!m_sessions->confirmDiscard()) return false;
    return m_sessions->open(path);
}

bool MainWindow::saveSessionTo(const QString& path)
{
    if (!m_sessions->saveTo(path)) return false;
    statusBar()->showMessage(tr("Session saved to %1").arg(path), 5000);
    return true;
}

void MainWindow::setChangeLog(const QString& path)
{
    if (!m_sessions->setChangeLog(path))
        m_dialogs->error(this, tr("Open Change Log"), tr("Open an exposure CSV first: the change log is read against its time pattern."));
}

void MainWindow::setAllocationHistory(const QString& path)
{
    if (!m_sessions->setAllocationHistory(path))
        m_dialogs->error(this, tr("Open Allocation History"), tr("Open an exposure CSV first: the history applies to its units."));
}

void MainWindow::chooseAndOpen()
{
    if (!m_sessions->confirmDiscard()) return;
    const QString path = m_dialogs->openFile(this, tr("Open Exposure CSV"), kCsvFilter);
    if (path.isEmpty()) return;
    if (const auto chosen = m_dialogs->importFile(this, path)) m_sessions->startImported(*chosen);
}

void MainWindow::chooseSession()
{
    if (!m_sessions->confirmDiscard()) return;
    const QString path = m_dialogs->openFile(this, tr("Open Session"), sessionFileFilter());
    if (!path.isEmpty()) m_sessions->open(path);
}

void MainWindow::openRecent(const QString& path)
{
    if (isSessionPath(path)) openSession(path);
    else openFile(path);
}

void MainWindow::refine(const Refinement& refinement)
{
    if (!m_engine->hasData()) return;
    m_sessions->setRefinement(refinement);
    m_engine->refine(refinement);
}

void MainWindow::lookAtSegment(const std::pair<std::string, std::string>& segment)
{
    Refinement r = m_engine->refinement();
    r.segment = segment;
    if (m_engine->hasData() && !m_engine->isRunning()) refine(r);
    else m_sessions->setRefinement(r);  // applied once the data is loaded
}

void MainWindow::showAllUnits()
{
    if (m_engine->refinement() == Refinement{}) return;
    refine({});
}

void MainWindow::onStarted()
{
    setBusy(true);
    statusBar()->showMessage(tr("Analysing…"));
    m_header->showRunning();
}

void MainWindow::onFinished(const srm::Report& report)
{
    // A report still being put on the pages is replaced: it is shown on the
    // header and the page in sight, the rest of its pages are not needed.
    if (m_report && !m_pagesToShow.isEmpty()) {
        if (m_pagesToShow.contains(m_navigator->currentRow())) showReportOnPage(m_navigator->currentRow());
        m_pagesToShow.clear();
        ++m_showGeneration;
        emit reportShown(*m_report);
    }
    setBusy(m_engine->isRunning());
    m_report = std::make_unique<srm::Report>(report);
    statusBar()->showMessage(tr("Analysis finished: %1 units in %2 variants").arg(formatCount(report.srm.units)).arg(report.srm.variants.size()), 8000);
    m_header->showReport(report);
    updateNavigator(report);
    // The header now; the page in sight on the next turn of the event loop,
    // then the others one per turn: a large report never holds the window
    // for long. reportShown follows once every page shows it.
    m_pagesToShow.clear();
    m_pagesToShow << m_navigator->currentRow();
    for (int i = 0; i < m_stack->count(); ++i)
        if (i != m_navigator->currentRow()) m_pagesToShow << i;
    const quint64 generation = ++m_showGeneration;
    runSoon(this, [this, generation] { showNextPage(generation); });
}

void MainWindow::showNextPage(quint64 generation)
{
    if (generation != m_showGeneration || !m_report) return;
    if (m_pagesToShow.isEmpty()) {
        finishShowing();
        return;
    }
    showReportOnPage(m_pagesToShow.takeFirst());
    runSoon(this, [this, generation] { showNextPage(generation); });
}

void MainWindow::showReportOnPage(int page)
{
    const srm::Report& report = *m_report;
    switch (page) {
    case 0: m_step1->showReport(report); break;
    case 1: m_step2->showReport(report); break;
    case 2: m_step3->showReport(report); break;
    case 3: m_step4->showReport(report); break;
    case 4: m_checklist->showReport(report); break;
    case 5: m_summary->showReport(report); break;
    default: break;
    }
}

void MainWindow::finishShowing()
{
    const srm::Report& report = *m_report;
    // A session's saved window or segment applies once its data is loaded.
    // A window given on the command line stays when a segment is added to it.
    const Refinement& now = m_engine->refinement();
    Refinement wanted = m_sessions->session().refinement;
    if (!wanted.window) wanted.window = now.window;
    if (m_engine->hasData() && !(wanted == now) && !now.segment && !m_engine->isRunning()) {
        m_sessions->setRefinement(wanted);
        m_engine->refine(wanted);
        return;
    }
    if (!m_engine->isRunning()) m_sessions->setRefinement(now);
    emit reportShown(report);
}

void MainWindow::onFailed(const QString& message)
{
    setBusy(false);
    statusBar()->showMessage(tr("Analysis failed"), 8000);
    m_report.reset();
    ++m_showGeneration;
    m_pagesToShow.clear();
    clearPages();
    m_header->showError(message);
    emit analysisFailed(message);
}

void MainWindow::onCancelled()
{
    setBusy(false);
    statusBar()->showMessage(m_report ? tr("Cancelled: the previous result is still shown") : tr("Cancelled"), 8000);
    m_header->showCancelled(m_report.get());
    if (!m_report) clearPages();
    emit analysisFailed(tr("the analysis was cancelled"));
}

void MainWindow::clearPages()
{
    const srm::Report empty;
    m_step1->clear();
    m_step2->showReport(empty);
    m_step3->showReport(empty);
    m_step4->showReport(empty);
    m_checklist->showReport(empty);
    m_summary->clear();
    for (int i = 0; i < m_navigator->count(); ++i) m_navigator->item(i)->setIcon(stepIcon(srm::StepState::NotApplicable));
}

void MainWindow::updateNavigator(const srm::Report& r)
{
    for (const auto& step : r.steps) {
        const int i = pageIds().indexOf(QString::fromStdString(step.id));
        if (i < 0) continue;
        m_navigator->item(i)->setIcon(stepIcon(step.state));
        m_navigator->item(i)->setData(Qt::UserRole + 1, QString::fromLatin1(srm::to_string(step.state)));
        m_navigator->item(i)->setToolTip(tr("status: %1 (%2)").arg(QString::fromLatin1(srm::to_string(step.state)), QString::fromStdString(step.note)));
    }
}

QString MainWindow::reportText() const
{
    return m_report ? QString::fromStdString(srm::to_text(*m_report, m_sessions->session().work())) : QString();
}

void MainWindow::copyReport()
{
    if (m_report) QApplication::clipboard()->setText(reportText());
}

void MainWindow::setBusy(bool busy)
{
    m_progress->setVisible(busy);
    m_cancel->setVisible(busy);
    m_progress->setRange(0, 1000);
    if (!busy) m_progress->setValue(0);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!m_sessions->confirmDiscard()) {
        event->ignore();
        return;
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
    if (isSessionPath(path)) {
        openSession(path);
    } else if (m_sessions->confirmDiscard()) {
        if (const auto chosen = m_dialogs->importFile(this, path)) m_sessions->startImported(*chosen);
    }
}

}  // namespace srmui
