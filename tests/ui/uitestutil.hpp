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
    std::optional<srmui::AnalysisPreferences> preferencesAnswer;  // nothing: Cancel
    QList<double> preferencesShown;                               // the concentration each time it was shown
    std::optional<srmui::AnalysisPreferences> preferences(QWidget*, const srmui::AnalysisPreferences& current) override
    {
        preferencesShown << current.priorConcentration;
        return preferencesAnswer;
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
