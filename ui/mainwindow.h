// The main window: menus, the health header, the navigator and the pages,
// wired to the analysis engine and the session controller. It holds no
// analysis logic: it turns the user's actions into requests and shows the
// reports that come back.
#pragma once

#include "analysisengine.h"
#include "session.h"

#include <QMainWindow>
#include <memory>

class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSettings;
class QStackedWidget;

namespace srmui {

class ChecklistPage;
class DialogService;
class HealthHeader;
class ReportExporter;
class SessionController;
class Step1Page;
class Step2Page;
class Step3Page;
class Step4Page;
class SummaryPage;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    /// `settings` (recent files, geometry) and `dialogs` may be injected (tests);
    /// by default the application's QSettings and real dialogs are used.
    explicit MainWindow(QSettings* settings = nullptr, DialogService* dialogs = nullptr, QWidget* parent = nullptr);
    ~MainWindow() override;

    AnalysisEngine* engine() const { return m_engine; }
    SessionController* sessions() const { return m_sessions; }
    /// Page ids: step1, step2, step3, step4, checklist, summary.
    static QStringList pageIds();
    void showPage(const QString& id);
    QString currentPage() const;

    /// Analyses counts or a file given on the command line.
    void analyse(const srm::AnalysisRequest& request, const QString& title);
    /// Opens an exposure export with detected columns (asks first when work is unsaved).
    bool openFile(const QString& path);
    /// Analyses a file as the import dialog describes it (File > Open Exposure CSV).
    bool openWith(const Session& session);
    /// Opens the analysis a session describes (same path as File > Open Session).
    bool openSession(const QString& path);
    bool saveSessionTo(const QString& path);
    void setChangeLog(const QString& path);
    void setAllocationHistory(const QString& path);
    const Session& session() const;
    bool isModified() const;
    const srm::Report* report() const { return m_report ? m_report.get() : nullptr; }
    /// The text Edit > Copy Report puts on the clipboard: the report with
    /// the reviewer's answers and notes and what the view shows.
    QString reportText() const;
    /// Clears the window and segment filter (Esc).
    void showAllUnits();
    /// Looks at one segment once the data is loaded (or now, when it is).
    void lookAtSegment(const std::pair<std::string, std::string>& segment);

signals:
    void reportShown(const srm::Report& report);
    void analysisFailed(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void buildFileMenu();
    void buildPages();
    void buildStatusBar();
    void connectPages();
    void startAnalysis(const srm::AnalysisRequest& request, const QString& title);
    void onStarted();
    void onFinished(const srm::Report& report);
    void showNextPage(quint64 generation);
    void showReportOnPage(int page);
    void finishShowing();
    void onFailed(const QString& message);
    void onCancelled();
    void refine(const Refinement& refinement);
    void updateNavigator(const srm::Report& report);
    void clearPages();
    void chooseAndOpen();
    void chooseSession();
    void openRecent(const QString& path);
    void copyReport();
    void editPreferences();
    void setBusy(bool busy);

    std::unique_ptr<DialogService> m_ownDialogs;
    DialogService* m_dialogs;
    std::unique_ptr<QSettings> m_ownSettings;
    QSettings* m_settings;
    AnalysisEngine* m_engine;
    SessionController* m_sessions;
    ReportExporter* m_exporter = nullptr;
    HealthHeader* m_header;
    QListWidget* m_navigator;
    QStackedWidget* m_stack;
    Step1Page* m_step1;
    Step2Page* m_step2;
    Step3Page* m_step3;
    Step4Page* m_step4;
    ChecklistPage* m_checklist;
    SummaryPage* m_summary;
    QPlainTextEdit* m_notes;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    std::unique_ptr<srm::Report> m_report;
    QList<int> m_pagesToShow;  // pages the shown report is not on yet
    quint64 m_showGeneration = 0;
};

}  // namespace srmui
