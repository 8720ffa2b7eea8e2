#include "srm/analysis.hpp"

#include "srm/diagnosis.hpp"

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

void apply_expected(std::vector<VariantInput>& variants,
                    const std::optional<std::vector<std::pair<std::string, double>>>& expected, bool from_data,
                    bool* assumed_equal)
{
    if (assumed_equal) *assumed_equal = false;
    if (!expected) {
        if (variants.size() == 1)
            throw InputError("only one variant ('" + variants.front().name +
                             "') in the data, and no expected allocation names the others: give one with --expected");
        for (auto& v : variants) v.weight = 1.0;
        if (assumed_equal) *assumed_equal = true;
        return;
    }
    for (auto& v : variants) v.weight = 0.0;
    for (const auto& entry : *expected) {
        const std::string& name = entry.first;
        const double weight = entry.second;
        auto it = std::find_if(variants.begin(), variants.end(), [&](const auto& v) { return v.name == name; });
        if (it == variants.end()) {
            if (!from_data) throw InputError("the expected allocation names variant '" + name + "', which has no count");
            // A planned variant absent from the data received no units: the
            // most severe SRM there is, so it is counted as 0 and tested.
            variants.push_back({name, 0, 0.0});
            it = variants.end() - 1;
        }
        if (!std::isfinite(weight) || weight < 0)
            throw InputError("the expected allocation gives variant '" + name + "' a negative or invalid weight");
        it->weight = weight;
    }
}

}  // namespace

std::vector<VariantInput> variant_counts(const Dataset& ds,
                                         const std::optional<std::vector<std::pair<std::string, double>>>& expected,
                                         bool* assumed_equal)
{
    std::vector<std::uint64_t> counts(ds.variants.size(), 0);
    for (std::size_t i = 0; i < ds.size(); ++i)
        if (ds.flags[i] & kExposed) counts[ds.variant[i]] += ds.weight_of(i);
    std::vector<VariantInput> variants;
    for (std::size_t v = 0; v < ds.variants.size(); ++v)
        if (counts[v] > 0 || !expected) variants.push_back({ds.variants[v], counts[v], 0.0});
    if (variants.empty() && !expected) throw InputError("no exposed units in the data");
    apply_expected(variants, expected, true, assumed_equal);
    return variants;
}

InputSummary summarise_input(const Dataset& ds)
{
    InputSummary in;
    in.file = ds.file;
    in.shape = to_string(ds.shape);
    in.delimiter = describe_delimiter(ds.dialect.delimiter);
    in.quote = std::string(1, ds.dialect.quote);
    in.header = ds.dialect.header;
    in.encoding = ds.dialect.encoding;
    in.line_end = ds.dialect.line_end;
    in.rows_read = ds.rows_read;
    in.rows_rejected = ds.rows_rejected;
    in.errors = ds.errors;
    in.columns = ds.mapping();
    for (const auto& c : ds.columns) in.column_roles.push_back({c.name, to_string(c.role), c.reason});
    in.rows_other_events = ds.rows_other_events;
    in.rows_outside_window = ds.rows_outside_window;
    in.blank_lines = ds.blank_lines;
    for (const auto& d : ds.dimensions)
        if (d.excluded) in.excluded_dimensions.emplace_back(d.name, d.distinct);
    return in;
}

DiagnosisOptions diagnosis_options(const AnalysisRequest& request)
{
    DiagnosisOptions dopt;
    dopt.srm = request.options;
    dopt.expected = request.expected;
    dopt.near_change_hours = request.near_change_hours;
    dopt.min_segment_units = request.min_segment_units;
    if (request.changes_file) dopt.changes = read_change_log(*request.changes_file);
    if (request.allocation_file) dopt.allocation = read_allocation_history(*request.allocation_file);
    return dopt;
}

Report analyse(const AnalysisRequest& request, const ProgressFn& progress, const std::atomic<bool>* cancel)
{
    Report report;
    report.tool_version = SRM_VERSION;
    report.options = request.options;
    std::vector<VariantInput> variants;
    if (progress) progress(0.0);
    if (request.file) {
        const DiagnosisOptions dopt = diagnosis_options(request);
        const bool windowed = request.window_start || request.window_end;
        LoadOptions load = request.load;
        load.cancel = cancel;
        const double share = windowed ? 0.45 : 0.9;
        if (progress) load.progress = [&](double f) { progress(share * f); };
        const Dataset ds = load_csv(*request.file, load);
        check_cancel(cancel);
        if (!windowed) {
            Report r = diagnose_dataset(ds, dopt);
            if (progress) progress(1.0);
            return r;
        }
        const Report whole = diagnose_dataset(ds, dopt);
        if (progress) load.progress = [&](double f) { progress(0.45 + 0.45 * f); };
        if (request.window_start) load.window_start = *request.window_start * 1000000;
        if (request.window_end) load.window_end = *request.window_end * 1000000 + 999999;
        const Dataset in_window = load_csv(*request.file, load);
        check_cancel(cancel);
        Report r = diagnose_dataset(in_window, dopt);
        r.window.start = request.window_start;
        r.window.end = request.window_end;
        r.window.traffic_start = whole.window.traffic_start;
        r.window.traffic_end = whole.window.traffic_end;
        r.window.whole_span = whole.srm;
        diagnose(r);
        if (progress) progress(1.0);
        return r;
    } else {
        if (request.counts.empty()) throw InputError("no input: neither a file nor counts were given");
        for (const auto& entry : request.counts) {
            const std::string& name = entry.first;
            const double value = entry.second;
            if (std::any_of(variants.begin(), variants.end(), [&](const auto& v) { return v.name == name; }))
                throw InputError("variant '" + name + "' is given twice");
            variants.push_back({name, whole_count(name, value), 0.0});
        }
        report.input.shape = "counts";
        report.input.header = false;
        report.input.rows_read = variants.size();
        report.input.columns.variant = "variant";
        apply_expected(variants, request.expected, false, &report.input.expected_assumed_equal);
    }
    check_cancel(cancel);
    report.srm = test_srm(variants, request.options);
    diagnose(report);
    if (progress) progress(1.0);
    return report;
}

}  // namespace srm
