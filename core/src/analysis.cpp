#include "srm/analysis.hpp"

#include "srm/counts_file.hpp"

#include <algorithm>
#include <cmath>

namespace srm {

namespace {

std::uint64_t whole_count(const std::string& name, double v)
{
    if (!std::isfinite(v)) throw InputError("variant '" + name + "' has a count that is not a number");
    if (v < 0) throw InputError("variant '" + name + "' has a negative count");
    if (v != std::floor(v) || v > 9.0e15) throw InputError("variant '" + name + "' has a count that is not a whole number");
    return static_cast<std::uint64_t>(v);
}

void check_cancel(const std::atomic<bool>* cancel)
{
    if (cancel && cancel->load(std::memory_order_relaxed)) throw Cancelled{};
}

}  // namespace

Report analyse(const AnalysisRequest& request, const ProgressFn& progress, const std::atomic<bool>* cancel)
{
    Report report;
    report.tool_version = SRM_VERSION;
    report.options = request.options;
    std::vector<VariantInput> variants;
    bool have_weights = false;
    if (progress) progress(0.0);
    if (request.file) {
        auto table = read_counts_csv(*request.file);
        variants = std::move(table.variants);
        have_weights = table.has_weights;
        report.input = std::move(table.input);
    } else {
        if (request.counts.empty()) throw InputError("no input: neither a file nor counts were given");
        for (const auto& [name, value] : request.counts) {
            if (std::any_of(variants.begin(), variants.end(), [&](const auto& v) { return v.name == name; }))
                throw InputError("variant '" + name + "' is given twice");
            variants.push_back({name, whole_count(name, value), 0.0});
        }
        report.input.shape = "counts";
        report.input.header = false;
        report.input.rows_read = variants.size();
        report.input.columns.variant = "variant";
    }
    check_cancel(cancel);
    if (progress) progress(0.5);
    if (request.expected) {
        for (auto& v : variants) v.weight = 0.0;
        for (const auto& [name, weight] : *request.expected) {
            auto it = std::find_if(variants.begin(), variants.end(), [&](const auto& v) { return v.name == name; });
            if (it == variants.end()) {
                if (!request.file)
                    throw InputError("the expected allocation names variant '" + name + "', which has no count");
                // A planned variant absent from the data received no units: the
                // most severe SRM there is, so it is counted as 0 and tested.
                variants.push_back({name, 0, 0.0});
                it = variants.end() - 1;
            }
            if (!std::isfinite(weight) || weight < 0)
                throw InputError("the expected allocation gives variant '" + name + "' a negative or invalid weight");
            it->weight = weight;
        }
    } else if (!have_weights) {
        for (auto& v : variants) v.weight = 1.0;
        report.input.expected_assumed_equal = true;
    }
    report.srm = test_srm(variants, request.options);
    check_cancel(cancel);
    diagnose(report);
    if (progress) progress(1.0);
    return report;
}

}  // namespace srm
