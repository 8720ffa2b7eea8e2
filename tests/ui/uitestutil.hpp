// Shared by the window tests: a scripted DialogService (answers given in
// advance, every question recorded) and a window with settings in a
// temporary file.
#pragma once

#include "dialogservice.h"
#include "mainwindow.h"
#include "preferencesdialog.h"
#include "session.h"

#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QMenu>
#include <QPrinter>
#include <QtTest>

using srmui::MainWindow;

class ScriptedDialogs : public srmui::DialogService {
public:
    QStringList files;  // answers to openFile / saveFile, in order
    Choice choice = Choice::Cancel;
    int unsavedAsked = 0;
    QStringList errors;
    QString openFile(QWidget*, const QString&, const QString&) override { return files.isEmpty() ? QString() : files.takeFirst(); }
    QString saveFile(QWidget*, const QString&, const QString&, const QString&) override { return openFile(nullptr, {}, {}); }
    Choice unsavedChanges(QWidget*) override
    {
        ++unsavedAsked;
        return choice;
    }
    void error(QWidget*, const QString&, const QString& text) override { errors << text; }
    QStringList located;  // answers to locateFile, in order
    QStringList asked;    // the missing paths locateFile was asked for
    QString locateFile(QWidget*, const QString& missing) override
    {
        asked << missing;
        return located.isEmpty() ? QString() : located.takeFirst();
    }
    std::optional<srmui::Session> imported;
    QStringList importedPaths;  // the paths the import dialog was shown for
    std::optional<srmui::Session> importFile(QWidget*, const QString& path) override
    {
        importedPaths << path;
        if (!imported) return std::nullopt;
        srmui::Session s = *imported;
        s.dataFile = path;  // the dialog reads the file it was given
        return s;
    }
    std::optional<srmui::Session> database;  // the Open from Database answer (nothing: Cancel)
    int databaseAsked = 0;
    std::optional<srmui::Session> openDatabase(QWidget*) override
    {
        ++databaseAsked;
        return database;
    }
    std::optional<srmui::AnalysisPreferences> preferencesAnswer;  // nothing: Cancel
    QList<double> preferencesShown;                               // the concentration each time it was shown
    std::optional<srmui::AnalysisPreferences> preferences(QWidget*, const srmui::AnalysisPreferences& current) override
    {
        preferencesShown << current.priorConcentration;
        return preferencesAnswer;
    }
    QString printTo;  // print preview: paint into this PDF file (empty: nothing printed)
    int printPreviews = 0;
    void printPreview(QWidget*, const std::function<void(QPrinter*)>& paint) override
    {
        ++printPreviews;
        if (printTo.isEmpty()) return;
        QPrinter printer(QPrinter::HighResolution);
        printer.setOutputFormat(QPrinter::PdfFormat);
        printer.setOutputFileName(printTo);
        paint(&printer);
    }
    QString menuChoice;       // the context menu's action to trigger (its text), empty: close it
    QStringList menusShown;   // object names of the menus shown
    QStringList menuEntries;  // the last menu's action texts
    void popupMenu(QMenu* menu, const QPoint&) override
    {
        menusShown << menu->objectName();
        menuEntries.clear();
        for (QAction* a : menu->actions()) {
            menuEntries << a->text();
            if (!menuChoice.isEmpty() && a->text() == menuChoice) a->trigger();
        }
        menu->deleteLater();
    }
};

struct Fixture {
    QTemporaryDir dir;
    QSettings settings{dir.filePath("settings.ini"), QSettings::IniFormat};
    ScriptedDialogs dialogs;
    MainWindow window{&settings, &dialogs};

    bool open(const QString& path)
    {
        window.show();
        QSignalSpy shown(&window, &MainWindow::reportShown);
        window.openFile(path);
        return shown.wait(30000);
    }
    bool waitReport()
    {
        QSignalSpy shown(&window, &MainWindow::reportShown);
        return shown.wait(30000);
    }
};

inline const QString kSample = QStringLiteral(SRM_SAMPLE_DIR "/exposures.csv");
inline const QString kChanges = QStringLiteral(SRM_SAMPLE_DIR "/changes.csv");
