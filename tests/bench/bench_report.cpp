// The report of a large analysis, rendered: loads and diagnoses FILE once,
// then renders the JSON report (the reference: what srm-check already
// writes), the HTML, the Markdown and the PDF document RUNS times each, and
// prints each format's median wall time and its ratio to the JSON's.
//
//   bench_report FILE [RUNS]     (see tests/bench/README.md)
#include "reportpainter.h"

#include "srm/analysis.hpp"
#include "srm/document.hpp"
#include "srm/render.hpp"

#include <QGuiApplication>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace {

double median_ms(int runs, const std::function<void()>& f)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_report FILE [RUNS]\n");
        return 64;
    }
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 7;
    srm::AnalysisRequest request;
    request.file = argv[1];
    const auto t0 = std::chrono::steady_clock::now();
    const srm::Report report = srm::analyse(request);
    const double analysis_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    QTemporaryDir dir;
    std::size_t bytes = 0;
    const double json = median_ms(runs, [&] { bytes = srm::to_json(report).size(); });
    const double doc = median_ms(runs, [&] { srm::build_document(report); });
    const double html = median_ms(runs, [&] { srmui::writeReportFile(srm::build_document(report), dir.filePath("r.html")); });
    const double md = median_ms(runs, [&] { srmui::writeReportFile(srm::build_document(report), dir.filePath("r.md")); });
    const double pdf = median_ms(runs, [&] { srmui::writeReportFile(srm::build_document(report), dir.filePath("r.pdf")); });
    std::printf("file %s: %llu units, %zu timeline points, %zu dimensions; analysis %.0f ms (once)\n", argv[1],
                static_cast<unsigned long long>(report.srm.units), report.timeline.points.size(), report.dimensions.size(), analysis_ms);
    std::printf("median of %d runs (ms): json %.2f (%zu bytes) | document %.2f | html %.2f | markdown %.2f | pdf %.2f\n", runs, json, bytes, doc,
                html, md, pdf);
    std::printf("ratio to json: html %.1fx, markdown %.1fx, pdf %.1fx; slowest format %.0f ms (target < 1000 ms)\n", html / json, md / json,
                pdf / json, std::max({html, md, pdf}));
    return std::max({html, md, pdf}) < 1000.0 ? 0 : 1;
}
