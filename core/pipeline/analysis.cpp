#include "srm/analysis.hpp"

#include <algorithm>
#include <cmath>

namespace srm {

namespace {

constexpr std::int64_t kUs = 1000000;

std::uint64_t whole_count(const std::string& name, double v)
{
    if (!std::isfinite(v)) throw InputError("variant '" + name + "' has a count that is not a number");
    if (v < 0) throw InputError("variant '" + name + "' has a negative count");
    if (v != std::floor(v) || v > 9.0e15) throw InputError("variant '" + name + "' has a count that is not a whole number");
    return static_cast<std::uint64_t>(v);
}

std::vector<VariantInput> as_inputs(const VariantPlan& plan)
{
    std::vector<VariantInput> out;
    for (std::size_t j = 0; j < plan.names.size(); ++j) out.push_back({plan.names[j], plan.observed[j], plan.weights.front()[j]});
    return out;
}

// Counts given on the command line.
Report analyse_counts(const AnalysisRequest& request)
{
    std::vector<std::pair<std::string, std::uint64_t>> observed;
    for (const auto& [given, value] : request.counts) {
        const std::string& name = given;  // a structured binding cannot be captured before C++20 compilers catch up (clang 14)
        if (std::any_of(observed.begin(), observed.end(), [&](const auto& v) { return v.first == name; }))
            throw InputError("variant '" + name + "' is given twice");
        observed.emplace_back(name, whole_count(name, value));
    }
    const VariantPlan plan = plan_variants(observed, request.expected, {}, PlanOrder::AsGiven, true);
    if (request.control) control_index(plan.names, *request.control);  // counts have no metrics, but a wrong name is still wrong
    InputSummary input;
    input.shape = InputShape::Counts;
    input.header = false;
    input.rows_read = observed.size();
    input.columns.variant = "variant";
    input.expected_assumed_equal = plan.assumed_equal;
    return diagnose_counts(as_inputs(plan), input, request.options);
}

}  // namespace

DiagnosisOptions diagnosis_options(const AnalysisRequest& request)
{
    DiagnosisOptions dopt;
    dopt.srm = request.options;
    dopt.expected = request.expected;
    dopt.control = request.control;
    dopt.near_change_hours = request.near_change_hours;
    dopt.min_segment_units = request.min_segment_units;
    dopt.dirichlet_concentration = request.prior_concentration;
    dopt.localize = request.localize;
    if (request.changes_file) dopt.changes = read_change_log(*request.changes_file);
    if (request.allocation_file) dopt.allocation = read_allocation_history(*request.allocation_file);
    return dopt;
}

namespace {

std::shared_ptr<const Dataset> load_dataset(const AnalysisRequest& request, const LoadOptions& options, const ProgressFn& progress,
                                            const std::atomic<bool>* cancel)
{
    if (!request.file) throw InputError("no input file given");
    LoadOptions load = options;
    load.cancel = cancel;
    if (progress) load.progress = progress;
    auto ds = std::make_shared<const Dataset>(request.data ? load_csv_memory(*request.data, *request.file, load) : load_csv(*request.file, load));
    check_cancel(cancel);
    return ds;
}

// An allocation that names none of the data's variants is a wrong request,
// not unplanned traffic.
void check_plan_names_data(const std::optional<Weights>& expected, const Dataset& ds)
{
    if (!expected || ds.variants.empty()) return;
    for (const auto& [name, weight] : *expected)
        if (std::find(ds.variants.begin(), ds.variants.end(), name) != ds.variants.end()) return;
    std::string found;
    for (const auto& v : ds.variants) found += (found.empty() ? "" : ", ") + v;
    throw UsageError("--expected names none of the data's variants; the variants in '" + ds.file + "' are: " + found);
}

std::uint64_t exposed_units(const Dataset& ds)
{
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < ds.size(); ++i)
        if (ds.flags[i] & kExposed) n += ds.weight_of(i);
    return n;
}

// The segment of a dataset, or InputError when it has none such.
std::pair<std::size_t, std::uint16_t> segment_of(const Dataset& ds, const std::pair<std::string, std::string>& segment)
{
    const auto found = find_segment(ds, segment.first, segment.second);
    if (!found) throw InputError("the data has no segment " + segment.first + " = " + segment.second);
    return *found;
}

}  // namespace

LoadedAnalysis load_analysis(const AnalysisRequest& request, const ProgressFn& progress, const std::atomic<bool>* cancel)
{
    LoadedAnalysis out;
    out.request = request;
    out.options = diagnosis_options(request);
    if (out.request.fetch && !out.request.data) {
        out.request.data = std::make_shared<const std::string>(out.request.fetch(progress, cancel));
        check_cancel(cancel);
    }
    out.dataset = load_dataset(out.request, out.request.load, progress, cancel);
    check_plan_names_data(request.expected, *out.dataset);
    out.units_total = exposed_units(*out.dataset);
    return out;
}

Report diagnose_loaded(const LoadedAnalysis& loaded, const Refinement& refinement)
{
    DiagnosisOptions options = loaded.options;
    if (refinement.window) {
        options.window_start = refinement.window->first;
        options.window_end = refinement.window->second;
    }
    if (refinement.segment) options.segment = segment_of(*loaded.dataset, *refinement.segment);
    Report r = diagnose_dataset(*loaded.dataset, options);
    r.scope.window = refinement.window;
    r.scope.segment = refinement.segment;
    r.scope.exact_window = !refinement.window;
    r.scope.units_total = loaded.units_total;
    return r;
}

Report diagnose_window(const LoadedAnalysis& whole, std::optional<std::int64_t> start, std::optional<std::int64_t> end,
                       const std::optional<std::pair<std::string, std::string>>& segment, const ProgressFn& progress,
                       const std::atomic<bool>* cancel)
{
    const Report whole_report = diagnose_loaded(whole);
    LoadOptions in_window = whole.request.load;
    if (start) in_window.window_start = *start * kUs;
    if (end) in_window.window_end = *end * kUs + (kUs - 1);
    LoadedAnalysis part;
    part.request = whole.request;
    part.dataset = load_dataset(whole.request, in_window, progress, cancel);
    part.options = whole.options;
    part.options.loaded_window = LoadedWindow{start, end, whole_report.window.traffic_start, whole_report.window.traffic_end, whole_report.srm};
    if (segment) part.options.segment = segment_of(*part.dataset, *segment);
    Report r = diagnose_dataset(*part.dataset, part.options);
    r.scope.window = std::make_pair(start.value_or(whole_report.window.traffic_start.value_or(0)),
                                    end.value_or(whole_report.window.traffic_end.value_or(0)));
    r.scope.segment = segment;
    r.scope.exact_window = true;
    r.scope.units_total = whole.units_total;
    return r;
}

Report analyse(const AnalysisRequest& request, const ProgressFn& progress, const std::atomic<bool>* cancel)
{
    if (progress) progress(0.0);
    if (!request.file) {
        if (request.counts.empty()) throw InputError("no input: neither a file nor counts were given");
        check_cancel(cancel);
        Report report = analyse_counts(request);
        if (progress) progress(1.0);
        return report;
    }
    const bool windowed = request.window_start || request.window_end;
    const double share = windowed ? 0.45 : 0.9;
    const LoadedAnalysis whole = load_analysis(request, [&](double f) { if (progress) progress(share * f); }, cancel);
    Report r = windowed ? diagnose_window(whole, request.window_start, request.window_end, std::nullopt,
                                          [&](double f) { if (progress) progress(0.45 + 0.45 * f); }, cancel)
                        : diagnose_loaded(whole);
    if (progress) progress(1.0);
    return r;
}

std::vector<VariantInput> variant_counts(const Dataset& ds, const std::optional<Weights>& expected)
{
    std::vector<std::uint64_t> counts(ds.variants.size(), 0);
    for (std::size_t i = 0; i < ds.size(); ++i)
        if (ds.flags[i] & kExposed) counts[ds.variant[i]] += ds.weight_of(i);
    std::vector<std::pair<std::string, std::uint64_t>> observed;
    for (std::size_t v = 0; v < ds.variants.size(); ++v)
        if (counts[v] > 0 || !expected) observed.emplace_back(ds.variants[v], counts[v]);
    return as_inputs(plan_variants(observed, expected, {}, PlanOrder::AsGiven, false));
}

}  // namespace srm
