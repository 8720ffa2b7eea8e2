// srm-workbench: the desktop workbench. Parses the command line, picks the
// input (the bundled sample when none is given) and hands over to srm::ui.
#include "mainwindow.h"
#include "windowcapture.h"

#include "srm/cli.hpp"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QStringList>
#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace {

// The bundled sample's folder: installed under share/, or the source tree's
// resources/ when run from a build tree.
std::string sampleDir(const std::string& binaryDir)
{
    const QString installed = QString::fromStdString(binaryDir) + QStringLiteral("/../share/srm-workbench/sample");
    if (QFileInfo::exists(installed + QStringLiteral("/exposures.csv"))) return QDir::cleanPath(installed).toStdString();
    return SRM_SOURCE_SAMPLE_DIR;
}

// The sample experiment: its exposures, change log and planned 50/50 split.
void useSample(srm::AnalysisRequest& request, const std::string& dir)
{
    request.file = dir + "/exposures.csv";
    request.changes_file = dir + "/changes.csv";
    request.expected = std::vector<std::pair<std::string, double>>{{"control", 50}, {"treatment", 50}};
}

bool hasDisplay()
{
#if defined(Q_OS_LINUX)
    const bool forcedPlatform = !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
    return forcedPlatform || !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
#else
    return true;
#endif
}

bool wantsHelp(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-h" || a == "--help" || a == "--version" || a == "-v" || a == "--screenshot") return true;
    }
    return false;
}

}  // namespace

int main(int argc, char** argv)
{
    // Without a display there is no window to open: print the CLI report of
    // the same input instead (the bundled sample when none is given).
    if (!hasDisplay() && !wantsHelp(argc, argv)) {
        std::fprintf(stderr, "srm-workbench: no display found; printing the report instead of opening the window.\n");
        std::vector<std::string> args(argv + 1, argv + argc);
        const bool hasInput = std::any_of(args.begin(), args.end(), [](const std::string& a) {
            return a == "--counts" || a.rfind("--counts=", 0) == 0 || (!a.empty() && a[0] != '-');
        });
        if (!hasInput) {
            const std::string dir = sampleDir(QFileInfo(QString::fromLocal8Bit(argv[0])).absolutePath().toStdString());
            args.insert(args.begin(), {dir + "/exposures.csv", "--expected", "control=50,treatment=50", "--changes", dir + "/changes.csv"});
        }
        const int code = srm::run_srm_check(args, std::cout, std::cerr);
        return code == srm::kExitSrm ? 0 : code;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("srm-workbench"));
    QApplication::setOrganizationName(QStringLiteral("SRM Workbench"));
    QApplication::setOrganizationDomain(QStringLiteral("srmworkbench.example"));
    QApplication::setApplicationVersion(QString::fromLatin1(srm::version_string()));
    QApplication::setDesktopFileName(QStringLiteral("org.srmworkbench.SrmWorkbench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Sample Ratio Mismatch diagnosis workbench"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("Exposure export or saved session to open (default: the bundled sample)."),
                                 QStringLiteral("[FILE.csv | SESSION.srm.json]"));
    const QCommandLineOption counts(QStringLiteral("counts"), QStringLiteral("Units per variant, NAME=N,..."),
                                    QStringLiteral("counts"));
    const QCommandLineOption expected(QStringLiteral("expected"), QStringLiteral("Planned allocation, NAME=W,..."),
                                      QStringLiteral("weights"));
    const QCommandLineOption changes(QStringLiteral("changes"), QStringLiteral("Change log CSV (timestamp, kind, description)."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption allocation(QStringLiteral("allocation"),
                                        QStringLiteral("Allocation history CSV (timestamp, a weight column per variant)."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Render the window to OUT.png after the analysis and exit."),
                                        QStringLiteral("OUT.png"));
    const QCommandLineOption page(QStringLiteral("page"),
                                  QStringLiteral("Page to show: step1, step2, step3, step4, checklist or summary."),
                                  QStringLiteral("PAGE"));
    parser.addOptions({counts, expected, changes, allocation, screenshot, page});
    parser.process(app);

    if (parser.isSet(page) && !srmui::MainWindow::pageIds().contains(parser.value(page))) {
        std::fprintf(stderr, "srm-workbench: --page takes one of %s\n",
                     qPrintable(srmui::MainWindow::pageIds().join(QStringLiteral(", "))));
        return srm::kExitUsage;
    }
    srmui::MainWindow window;
    if (parser.isSet(screenshot)) new srmui::WindowCapture(&window, parser.value(screenshot), parser.value(page));
    else if (parser.isSet(page)) window.showPage(parser.value(page));
    window.show();
    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty() && positional.front().endsWith(QStringLiteral(".json"))) {
        if (!window.openSession(positional.front())) return srm::kExitBadInput;
        return app.exec();
    }
    srm::AnalysisRequest request;
    QString title;
    try {
        if (parser.isSet(counts)) {
            request.counts = srm::parse_name_values(parser.value(counts).toStdString(), "--counts");
            title = QStringLiteral("counts");
        } else {
            if (parser.positionalArguments().isEmpty()) {
                useSample(request, sampleDir(QCoreApplication::applicationDirPath().toStdString()));
                title = QStringLiteral("sample experiment");
            } else {
                const QString file = parser.positionalArguments().front();
                request.file = QFileInfo(file).absoluteFilePath().toStdString();
                title = QFileInfo(file).fileName();
            }
        }
        if (parser.isSet(expected)) request.expected = srm::parse_name_values(parser.value(expected).toStdString(), "--expected");
        if (parser.isSet(changes)) request.changes_file = QFileInfo(parser.value(changes)).absoluteFilePath().toStdString();
        if (parser.isSet(allocation)) request.allocation_file = QFileInfo(parser.value(allocation)).absoluteFilePath().toStdString();
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "srm-workbench: %s\n", e.what());
        return srm::kExitUsage;
    }

    window.analyse(request, title);
    return app.exec();
}
