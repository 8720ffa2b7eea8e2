// Diagnosis speed on a loaded file: load once, then time the full diagnosis
// with and without Step 4's localization (alternately, in the same run: the
// difference is what the localization adds), and re-runs for a window and
// for a segment filter on the loaded data.
//
//   bench_diagnosis FILE.csv [REPEATS=5]
#include "srm/diagnosis.hpp"
#include "srm/ingest.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {
double seconds_since(std::chrono::steady_clock::time_point t)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
}  // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_diagnosis FILE.csv [REPEATS]\n");
        return 64;
    }
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
    auto t = std::chrono::steady_clock::now();
    const srm::Dataset ds = srm::load_csv(argv[1]);
    const double load = seconds_since(t);
    std::vector<double> full, unlocalized, window, segment;
    srm::DiagnosisOptions whole, no_localization;
    no_localization.localize = false;
    srm::DiagnosisOptions windowed;
    srm::DiagnosisOptions one_segment;
    {
        const auto r = srm::diagnose_dataset(ds, whole);
        windowed.window_start = *r.window.traffic_start + 2 * 86400;
        windowed.window_end = *r.window.traffic_end - 3 * 86400;
        one_segment.segment = std::make_pair(std::size_t(0), std::uint16_t(1));
    }
    for (int i = 0; i < repeats; ++i) {
        t = std::chrono::steady_clock::now();
        srm::diagnose_dataset(ds, whole);
        full.push_back(seconds_since(t));
        t = std::chrono::steady_clock::now();
        srm::diagnose_dataset(ds, no_localization);
        unlocalized.push_back(seconds_since(t));
        t = std::chrono::steady_clock::now();
        srm::diagnose_dataset(ds, windowed);
        window.push_back(seconds_since(t));
        t = std::chrono::steady_clock::now();
        srm::diagnose_dataset(ds, one_segment);
        segment.push_back(seconds_since(t));
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    std::printf("units %zu, load %.3f s\n", ds.size(), load);
    std::printf("full diagnosis: median %.3f s (%.0f %% of the load)\n", median(full), 100 * median(full) / load);
    std::vector<double> added;
    for (std::size_t i = 0; i < full.size(); ++i) added.push_back(full[i] - unlocalized[i]);
    const auto explanation = srm::diagnose_dataset(ds, whole).explanation;
    std::printf("without the localization: median %.3f s; the localization adds median %.1f ms (status %s, %zu segments)\n",
                median(unlocalized), 1000 * median(added), srm::to_string(explanation.status), explanation.segments.size());
    std::printf("re-run for a window: median %.1f ms\n", 1000 * median(window));
    std::printf("re-run for a segment (%s = %s): median %.1f ms\n", ds.dimensions[0].name.c_str(),
                ds.dimensions[0].values[1].c_str(), 1000 * median(segment));
    return 0;
}
