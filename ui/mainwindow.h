// The main window: menus, status bar and pages, wired to the analysis engine.
// It holds no analysis logic; it forwards requests and shows results.
#pragma once

#include "srm/analysis.hpp"

#include <QMainWindow>

class QProgressBar;
class QPushButton;

namespace srmui {

class AnalysisEngine;
class SummaryPage;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);

    AnalysisEngine* engine() const { return m_engine; }
    SummaryPage* summaryPage() const { return m_summary; }

    /// Analyses a request (file or counts); the result arrives asynchronously.
    void analyse(const srm::AnalysisRequest& request, const QString& title);
    /// Opens a counts CSV with the expected allocation it names (or equal split).
    void openFile(const QString& path);

signals:
    /// The shown report changed (after a successful analysis).
    void reportShown(const srm::Report& report);
    /// An analysis ended in an error message.
    void analysisFailed(const QString& message);

private:
    void buildMenus();
    void onStarted();
    void onFinished(const srm::Report& report);
    void onFailed(const QString& message);
    void onCancelled();
    void chooseFile();
    void showAbout();
    void setBusy(bool busy);

    AnalysisEngine* m_engine;
    SummaryPage* m_summary;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
};

}  // namespace srmui
