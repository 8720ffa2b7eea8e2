// Validation run of the time-pattern classifier (not a unit test): simulated
// experiments with fixed seeds, through the same CSV writer and reader as
// srm-simulate and srm-check, classified by diagnose_dataset.
//
//   validate_time_pattern [EXPERIMENTS_PER_CLASS=100] [USERS=100000]
//
// Classes: none (healthy), from_start (bucketing defect), gradual (attrition
// growing over time), at_point (a deployment that drops exposures for one
// browser, alternating with a mid-test allocation change). Prints the
// confusion matrix, the share correct per class and the change-point error.
#include "srm/diagnosis.hpp"
#include "srm/ingest.hpp"
#include "srm/simulate.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    const int per_class = argc > 1 ? std::atoi(argv[1]) : 100;
    const std::uint64_t users = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 100000;
    const std::vector<std::string> classes = {"none", "from_start", "gradual", "at_point"};
    std::map<std::string, std::map<std::string, int>> confusion;
    std::vector<double> cp_error_hours;
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t c = 0; c < classes.size(); ++c) {
        for (int i = 0; i < per_class; ++i) {
            srm::SimulationSpec spec;
            spec.users = users;
            spec.seed = 1000 * (c + 1) + static_cast<std::uint64_t>(i);
            switch (c) {
            case 0: spec.scenario = srm::Scenario::Healthy; break;
            case 1: spec.scenario = srm::Scenario::BucketingDefect; break;
            case 2: spec.scenario = srm::Scenario::GradualAttrition; break;
            default:
                spec.scenario = i % 2 ? srm::Scenario::AllocationChange : srm::Scenario::DeploymentDrop;
                spec.change_fraction = 0.25 + 0.5 * static_cast<double>(i % 10) / 10.0;  // days 3.5 to 9.8
                break;
            }
            std::ostringstream csv;
            const auto truth = srm::simulate(spec, csv);
            const auto ds = srm::load_csv_memory(csv.str(), "sim.csv");
            const auto report = srm::diagnose_dataset(ds, {});
            const std::string kind = srm::to_string(report.time_pattern.kind);
            ++confusion[classes[c]][kind];
            if (c == 3 && kind == "at_point")
                cp_error_hours.push_back(std::abs(static_cast<double>(*report.time_pattern.change_point - truth.change_time_us / 1000000)) / 3600.0);
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("time-pattern validation: %d experiments per class, %llu users each (%.0f s)\n\n", per_class,
                static_cast<unsigned long long>(users), seconds);
    std::printf("%-12s", "true \\ found");
    for (const auto& k : classes) std::printf("%12s", k.c_str());
    std::printf("%12s\n", "correct");
    bool all_ok = true;
    for (const auto& t : classes) {
        std::printf("%-12s", t.c_str());
        for (const auto& k : classes) std::printf("%12d", confusion[t][k]);
        const double share = static_cast<double>(confusion[t][t]) / per_class;
        all_ok = all_ok && share >= 0.9;
        std::printf("%11.0f%%\n", share * 100);
    }
    std::sort(cp_error_hours.begin(), cp_error_hours.end());
    if (!cp_error_hours.empty()) {
        const auto within = std::count_if(cp_error_hours.begin(), cp_error_hours.end(), [](double h) { return h <= 12.0; });
        std::printf("\nchange point error (at_point found): median %.1f h, 90th percentile %.1f h, max %.1f h; within 12 h: %ld of %zu\n",
                    cp_error_hours[cp_error_hours.size() / 2], cp_error_hours[cp_error_hours.size() * 9 / 10],
                    cp_error_hours.back(), static_cast<long>(within), cp_error_hours.size());
        all_ok = all_ok && within == static_cast<long>(cp_error_hours.size());
    }
    std::printf("\ntarget (>= 90 %% correct per class, change point within 12 h): %s\n", all_ok ? "met" : "NOT met");
    return all_ok ? 0 : 1;
}
