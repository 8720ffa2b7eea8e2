// Every dialog the window opens goes through this small service, so that
// tests can answer them without blocking (KeePassXC's approach).
#pragma once

#include <QPoint>
#include <QString>
#include <functional>
#include <optional>

class QMenu;
class QPrinter;
class QWidget;

namespace srmui {

struct Session;
struct AnalysisPreferences;

class DialogService {
public:
    enum class Choice { Save, Discard, Cancel };
    virtual ~DialogService() = default;
    virtual QString openFile(QWidget* parent, const QString& title, const QString& filter) = 0;
    virtual QString saveFile(QWidget* parent, const QString& title, const QString& filter, const QString& suggested) = 0;
    /// Asked before unsaved changes would be lost.
    virtual Choice unsavedChanges(QWidget* parent) = 0;
    virtual void error(QWidget* parent, const QString& title, const QString& text) = 0;
    /// A file a session names is missing: where is it now? Empty to give up.
    virtual QString locateFile(QWidget* parent, const QString& missingPath) = 0;
    /// The import dialog for a CSV: the session to analyse, or nothing when cancelled.
    virtual std::optional<Session> importFile(QWidget* parent, const QString& path) = 0;
    /// File > Open from Database: the table's session (its password in
    /// memory only), or nothing when cancelled.
    virtual std::optional<Session> openDatabase(QWidget* parent) = 0;
    /// Edit > Preferences: the new preferences, or nothing when cancelled.
    virtual std::optional<AnalysisPreferences> preferences(QWidget* parent, const AnalysisPreferences& current) = 0;
    /// File > Print: a preview that paints with `paint` and prints on request.
    virtual void printPreview(QWidget* parent, const std::function<void(QPrinter*)>& paint) = 0;
    /// Shows a context menu (the menu deletes itself when closed).
    virtual void popupMenu(QMenu* menu, const QPoint& globalPos) = 0;
};

/// The real dialogs.
class QtDialogService : public DialogService {
public:
    QString openFile(QWidget* parent, const QString& title, const QString& filter) override;
    QString saveFile(QWidget* parent, const QString& title, const QString& filter, const QString& suggested) override;
    Choice unsavedChanges(QWidget* parent) override;
    void error(QWidget* parent, const QString& title, const QString& text) override;
    QString locateFile(QWidget* parent, const QString& missingPath) override;
    std::optional<Session> importFile(QWidget* parent, const QString& path) override;
    std::optional<Session> openDatabase(QWidget* parent) override;
    std::optional<AnalysisPreferences> preferences(QWidget* parent, const AnalysisPreferences& current) override;
    void printPreview(QWidget* parent, const std::function<void(QPrinter*)>& paint) override;
    void popupMenu(QMenu* menu, const QPoint& globalPos) override;
};

/// For a run nobody watches (srm-workbench --screenshot): errors go to
/// stderr, a moved file is not looked for and unsaved changes are
/// discarded, so nothing waits for an answer; the rest is QtDialogService's.
class UnattendedDialogService : public QtDialogService {
public:
    Choice unsavedChanges(QWidget* parent) override;
    void error(QWidget* parent, const QString& title, const QString& text) override;
    QString locateFile(QWidget* parent, const QString& missingPath) override;
};

}  // namespace srmui
