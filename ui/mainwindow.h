// The main window: menus, the health header, the navigator and the pages,
// wired to the analysis engine. It holds no analysis logic: it turns the
// user's actions into requests and shows the reports that come back.
#pragma once

#include "analysisengine.h"
#include "session.h"

#include <QMainWindow>
#include <memory>

class QListWidget;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSettings;
class QStackedWidget;

namespace srmui {

class ChecklistPage;
class DialogService;
class HealthHeader;
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
    /// Page ids: step1, step2, step3, step4, checklist, summary.
    static QStringList pageIds();
    void showPage(const QString& id);
    QString currentPage() const;

    /// Analyses counts or a file given on the command line.
    void analyse(const srm::AnalysisRequest& request, const QString& title);
    /// Opens an exposure export with detected columns and an equal split.
    void openFile(const QString& path);
    /// Analyses a file as the import dialog describes it (File > Open Exposure CSV).
    void openWith(const Session& session);
    /// Opens the analysis a session describes (same path as File > Open Session).
    bool openSession(const QString& path);
    bool saveSessionTo(const QString& path);
    void setChangeLog(const QString& path);
    void setAllocationHistory(const QString& path);
    const Session& session() const { return m_session; }
    bool isModified() const { return m_modified; }
    const srm::Report* report() const { return m_report ? m_report.get() : nullptr; }

signals:
    void reportShown(const srm::Report& report);
    void analysisFailed(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void buildPages();
    void startSession(const QString& title);
    /// Sets a change log or allocation history of the session and analyses again.
    void addSideFile(QString& slot, const QString& path, const QString& title, const QString& needsData);
    void onStarted();
    void onFinished(const srm::Report& report);
    void onFailed(const QString& message);
    void refine(const Refinement& refinement);
    void updateNavigator(const srm::Report& report);
    void setModified(bool modified);
    void addRecent(const QString& path);
    void rebuildRecentMenu();
    bool saveSession(bool ask_path);
    void chooseAndOpen();
    void chooseSession();
    void copyReport();
    void showGuide();
    void setBusy(bool busy);

    std::unique_ptr<DialogService> m_ownDialogs;
    DialogService* m_dialogs;
    std::unique_ptr<QSettings> m_ownSettings;
    QSettings* m_settings;
    AnalysisEngine* m_engine;
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
    QMenu* m_recentMenu = nullptr;
    Session m_session;
    QString m_sessionPath;
    bool m_modified = false;
    std::unique_ptr<srm::Report> m_report;
};

}  // namespace srmui
