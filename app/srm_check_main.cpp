// srm-check: the command-line SRM report. All logic lives in srm::core; the
// PDF of --report comes from the ui's Qt renderer on the offscreen platform,
// and --db's queries go through Qt SQL.
#include "srm/cli.hpp"

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#ifdef SRM_WITH_PDF
#include "databaseclient.h"
#include "reportpainter.h"

#include <QGuiApplication>
#include <memory>

namespace {
// Qt's notes about the desktop session (no XDG_RUNTIME_DIR on a server) are
// not the report's business; everything else Qt says still reaches stderr.
void quiet_desktop_notes(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (message.startsWith(QLatin1String("QStandardPaths:"))) return;
    std::cerr << qPrintable(qFormatLogMessage(type, context, message)) << "\n";
}
}  // namespace
#endif

int main(int argc, char** argv)
{
    std::ios::sync_with_stdio(false);
    const std::vector<std::string> args(argv + 1, argv + argc);
    srm::ReportRenderers renderers;
    renderers.now = [] { return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count(); };
#ifdef SRM_WITH_PDF
    std::unique_ptr<QGuiApplication> app;
    auto need_app = [&] {  // Qt only when an option needs it; one application for both
        if (!app) {
            qInstallMessageHandler(quiet_desktop_notes);
            qputenv("QT_QPA_PLATFORM", "offscreen");  // no display needed to lay out a PDF
            app = std::make_unique<QGuiApplication>(argc, argv);
        }
    };
    renderers.pdf = [&](const srm::ReportDocument& doc, const std::string& path, const std::string& page_size) {
        need_app();
        srmui::writeReportPdf(doc, QString::fromStdString(path), QString::fromStdString(page_size));
    };
    renderers.database = [&](const srm::DatabaseUrl& url, const std::string& sql) {
        need_app();
        return srmui::fetchQueryCsv(url, sql);
    };
#endif
    return srm::run_srm_check(args, std::cout, std::cerr, renderers);
}
