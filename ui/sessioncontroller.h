// The review's session: which files and how they are read, the reviewer's
// answers and notes, where it is saved, whether it has unsaved work, the
// recent files. The window asks it before anything would replace unsaved
// work, and it asks the user (through the DialogService) where a session's
// moved files are.
#pragma once

#include "session.h"

#include <QObject>
#include <QString>

class QMenu;
class QSettings;
class QWidget;

namespace srmui {

class DialogService;

class SessionController : public QObject {
    Q_OBJECT
public:
    SessionController(QWidget* window, QSettings* settings, DialogService* dialogs);

    const Session& session() const { return m_session; }
    const QString& path() const { return m_path; }
    bool isModified() const { return m_modified; }
    void setModified(bool modified);

    /// Before unsaved work would be lost: true to go on (saved or discarded).
    bool confirmDiscard();

    /// A CSV with detected columns, one read through the import dialog, a
    /// request from the command line: a new session (not modified).
    void startFile(const QString& path);
    void startImported(const Session& session);
    void startRequest(const srm::AnalysisRequest& request);
    /// Opens a saved session; relocates its missing files with the user.
    bool open(const QString& path);
    /// Save (to the session's path, or ask) and Save As.
    bool save(bool askPath);
    bool saveTo(const QString& path);

    /// A change log or allocation history for the current data; false when there is no data.
    bool setChangeLog(const QString& path);
    bool setAllocationHistory(const QString& path);
    void setAnswers(const QMap<QString, ChecklistModel::Answer>& answers);
    void setNotes(const QString& notes);
    void setRefinement(const Refinement& refinement);
    /// A new prior concentration for the open analysis: re-runs it.
    void setPriorConcentration(double concentration);

    /// The Open Recent menu, kept up to date.
    void attachRecentMenu(QMenu* menu);
    void addRecent(const QString& path);

signals:
    /// The session's analysis should (re)start.
    void analysisRequested(const srm::AnalysisRequest& request, const QString& title);
    void modifiedChanged(bool modified);
    /// A recent entry was chosen.
    void recentChosen(const QString& path);

private:
    void start(const QString& title);
    bool relocate(Session& session);
    void rebuildRecent();

    QWidget* m_window;
    QSettings* m_settings;
    DialogService* m_dialogs;
    Session m_session;
    QString m_path;
    bool m_modified = false;
    QMenu* m_recent = nullptr;
};

}  // namespace srmui
