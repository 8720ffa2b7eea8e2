// srm-check: the command-line SRM report. All logic lives in srm::core; the
// PDF of --report comes from the ui's Qt renderer on the offscreen platform.
#include "srm/cli.hpp"

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#ifdef SRM_WITH_PDF
#include "reportpainter.h"

#include <QGuiApplication>
#include <memory>
#endif

int main(int argc, char** argv)
{
    std::ios::sync_with_stdio(false);
    const std::vector<std::string> args(argv + 1, argv + argc);
    srm::ReportRenderers renderers;
    renderers.now = [] { return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count(); };
#ifdef SRM_WITH_PDF
    std::unique_ptr<QGuiApplication> app;
    renderers.pdf = [&](const srm::ReportDocument& doc, const std::string& path, const std::string& page_size) {
        if (!app) {
            qputenv("QT_QPA_PLATFORM", "offscreen");  // no display needed to lay out a PDF
            app = std::make_unique<QGuiApplication>(argc, argv);
        }
        srmui::writeReportPdf(doc, QString::fromStdString(path), QString::fromStdString(page_size));
    };
#endif
    return srm::run_srm_check(args, std::cout, std::cerr, renderers);
}
