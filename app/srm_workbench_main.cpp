// srm-workbench: the desktop workbench. Reads the command line (srm-check's
// options plus the workbench's own), picks the input (the bundled sample when
// none is given) and hands over to srm::ui; without a display it prints
// srm-check's report of the same input.
#include "commandline.h"
#include "dialogservice.h"
#include "mainwindow.h"
#include "palette.h"
#include "preferencesdialog.h"
#include "windowcapture.h"

#include "srm/cli.hpp"

#include <QApplication>
#include <QSettings>
#include <QStyle>
#include <QDir>
#include <QFileInfo>
#include <cstdio>
#include <iostream>
#include <memory>

namespace {

// The bundled sample's folder: installed under share/, or the source tree's
// resources/ when run from a build tree.
std::string sampleDir(const char* argv0)
{
    const QString binaryDir = QFileInfo(QString::fromLocal8Bit(argv0)).absolutePath();
    const QString installed = binaryDir + QStringLiteral("/../share/srm-workbench/sample");
    if (QFileInfo::exists(installed + QStringLiteral("/exposures.csv"))) return QDir::cleanPath(installed).toStdString();
    return SRM_SOURCE_SAMPLE_DIR;
}

bool hasDisplay()
{
#if defined(Q_OS_LINUX)
    return !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
#else
    return true;
#endif
}

}  // namespace

int main(int argc, char** argv)
{
    srmui::WorkbenchCommandLine cl;
    try {
        cl = srmui::parseWorkbenchCommandLine(std::vector<std::string>(argv + 1, argv + argc), sampleDir(argv[0]));
    } catch (const srm::UsageError& e) {
        std::fprintf(stderr, "srm-workbench: %s\nTry 'srm-workbench --help'.\n", e.what());
        return srm::kExitUsage;
    }
    if (cl.help) {
        std::cout << srmui::workbenchUsage();
        return 0;
    }
    if (cl.version) {
        std::cout << "srm-workbench " << srm::version_string() << "\n";
        return 0;
    }
    if (!hasDisplay() && !cl.screenshot) {
        std::fprintf(stderr, "srm-workbench: no display found; printing the report instead of opening the window.\n");
        if (cl.session) {
            std::fprintf(stderr, "srm-workbench: a session needs the window; open it where there is a display\n");
            return srm::kExitUsage;
        }
        const int code = srm::run_srm_check(cl.check_args, std::cout, std::cerr);
        return code == srm::kExitSrm || code == srm::kExitCheckFailed ? 0 : code;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("srm-workbench"));
    QApplication::setOrganizationName(QStringLiteral("SRM Workbench"));
    QApplication::setOrganizationDomain(QStringLiteral("srmworkbench.example"));
    QApplication::setApplicationVersion(QString::fromLatin1(srm::version_string()));
    QApplication::setDesktopFileName(QStringLiteral("org.srmworkbench.SrmWorkbench"));

    if (cl.palette) {
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(*cl.palette == QStringLiteral("dark") ? srmui::darkPalette() : QApplication::style()->standardPalette());
    }
    // A --screenshot run answers its own dialogs (errors on stderr), so a
    // broken session or file ends the run instead of waiting for a click.
    std::unique_ptr<srmui::DialogService> dialogs;
    if (cl.screenshot) dialogs = std::make_unique<srmui::UnattendedDialogService>();
    srmui::MainWindow window(nullptr, dialogs.get());
    if (cl.screenshot) new srmui::WindowCapture(&window, *cl.screenshot, cl.page.value_or(QString()));
    else if (cl.page) window.showPage(*cl.page);
    window.show();
    if (cl.session) {
        if (!window.openSession(*cl.session)) return srm::kExitBadInput;
    } else {
        window.analyse(cl.analysisRequest(srmui::AnalysisPreferences::load(QSettings()).priorConcentration), cl.title);
        if (cl.segment) window.lookAtSegment(*cl.segment);
    }
    return app.exec();
}
