#include "sessioncontroller.h"

#include "dialogservice.h"
#include "preferencesdialog.h"

#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace srmui {

namespace {
constexpr int kMaxRecent = 8;
}  // namespace

SessionController::SessionController(QWidget* window, QSettings* settings, DialogService* dialogs)
    : QObject(window), m_window(window), m_settings(settings), m_dialogs(dialogs)
{
}

void SessionController::setModified(bool modified)
{
    if (m_modified == modified) return;
    m_modified = modified;
    emit modifiedChanged(modified);
}

bool SessionController::confirmDiscard()
{
    if (!m_modified) return true;
    const auto choice = m_dialogs->unsavedChanges(m_window);
    if (choice == DialogService::Choice::Cancel) return false;
    if (choice == DialogService::Choice::Save) return save(false);
    return true;
}

void SessionController::start(const QString& title)
{
    emit analysisRequested(m_session.request(), title);
}

void SessionController::startFile(const QString& path)
{
    m_session = Session{};
    m_session.dataFile = QFileInfo(path).absoluteFilePath();
    m_session.priorConcentration = AnalysisPreferences::load(*m_settings).priorConcentration;
    m_path.clear();
    addRecent(m_session.dataFile);
    setModified(false);
    start(QFileInfo(path).fileName());
}

void SessionController::startImported(const Session& session)
{
    m_session = session;
    m_session.priorConcentration = AnalysisPreferences::load(*m_settings).priorConcentration;
    m_path.clear();
    if (!m_session.dataFile.isEmpty()) addRecent(m_session.dataFile);
    setModified(false);
    start(m_session.sourceTitle());
}

void SessionController::setPriorConcentration(double concentration)
{
    if (!m_session.hasSource() || m_session.priorConcentration == concentration) return;
    m_session.priorConcentration = concentration;
    setModified(true);
    start(m_session.sourceTitle());
}

void SessionController::startRequest(const srm::AnalysisRequest& request)
{
    m_session = Session::fromRequest(request);
    m_path.clear();
    setModified(false);
}

bool SessionController::relocate(Session& s)
{
    for (QString* file : {&s.dataFile, &s.changesFile, &s.allocationFile}) {
        if (file->isEmpty() || QFileInfo::exists(*file)) continue;
        const QString found = m_dialogs->locateFile(m_window, *file);
        if (found.isEmpty()) return false;
        *file = QFileInfo(found).absoluteFilePath();
    }
    return true;
}

bool SessionController::open(const QString& path)
{
    Session loaded;
    try {
        loaded = loadSession(path);
    } catch (const std::exception& e) {
        m_dialogs->error(m_window, tr("Open Session"), QString::fromStdString(e.what()));
        return false;
    }
    const bool moved = !loaded.missingFiles().isEmpty();
    if (moved && !relocate(loaded)) {
        m_dialogs->error(m_window, tr("Open Session"),
                         tr("The session's files are missing (%1); it was not opened.").arg(loaded.missingFiles().join(tr(", "))));
        return false;
    }
    m_session = loaded;
    m_path = QFileInfo(path).absoluteFilePath();
    addRecent(m_path);
    setModified(moved);  // relocated files are a change worth saving
    start(QFileInfo(path).fileName());
    return true;
}

bool SessionController::saveTo(const QString& path)
{
    const QString error = saveSession(m_session, path);
    if (!error.isEmpty()) {
        m_dialogs->error(m_window, tr("Save Session"), error);
        return false;
    }
    m_path = QFileInfo(path).absoluteFilePath();
    addRecent(m_path);
    setModified(false);
    return true;
}

bool SessionController::save(bool askPath)
{
    if (!m_session.hasSource()) return false;
    QString path = m_path;
    if (askPath || path.isEmpty())
        path = m_dialogs->saveFile(m_window, tr("Save Session"), sessionFileFilter(), (m_session.database ? m_session.database->table : QFileInfo(m_session.dataFile).completeBaseName()) + ".srm.json");
    return !path.isEmpty() && saveTo(path);
}

bool SessionController::setChangeLog(const QString& path)
{
    if (!m_session.hasSource()) return false;
    m_session.changesFile = QFileInfo(path).absoluteFilePath();
    setModified(true);
    start(m_session.sourceTitle());
    return true;
}

bool SessionController::setAllocationHistory(const QString& path)
{
    if (!m_session.hasSource()) return false;
    m_session.allocationFile = QFileInfo(path).absoluteFilePath();
    setModified(true);
    start(m_session.sourceTitle());
    return true;
}

void SessionController::setAnswers(const QMap<QString, ChecklistModel::Answer>& answers)
{
    if (m_session.answers == answers) return;
    m_session.answers = answers;
    setModified(true);
}

void SessionController::setNotes(const QString& notes)
{
    if (m_session.notes == notes) return;
    m_session.notes = notes;
    setModified(true);
}

void SessionController::setRefinement(const Refinement& refinement) { m_session.refinement = refinement; }

void SessionController::attachRecentMenu(QMenu* menu)
{
    m_recent = menu;
    rebuildRecent();
}

void SessionController::addRecent(const QString& path)
{
    QStringList recent = m_settings->value(QStringLiteral("recentFiles")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent) recent.removeLast();
    m_settings->setValue(QStringLiteral("recentFiles"), recent);
    rebuildRecent();
}

void SessionController::rebuildRecent()
{
    if (!m_recent) return;
    m_recent->clear();
    const QStringList recent = m_settings->value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& path : recent)
        m_recent->addAction(QFileInfo(path).fileName(), this, [this, path] { emit recentChosen(path); })->setToolTip(path);
    m_recent->setEnabled(!recent.isEmpty());
}

}  // namespace srmui
