// srm-simulate: writes realistic exposure exports with injected SRM causes.
#include "srm/cli.hpp"
#include "srm/simulate.hpp"
#include "srm/timeparse.hpp"

#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {

constexpr const char* kUsage = R"(Usage: srm-simulate --out EVENTS.csv [options]

Writes a simulated experiment's exposure events (timestamp, user_id, variant,
browser, os, country, sdk_version[, event_type], crashed) with an injected
cause of SRM, seeded and reproducible, and optionally the same experiment as
aggregated counts, its change log, its allocation history and its truth.

Options:
  --scenario NAME        healthy, bucketing_defect, deployment_drop,
                         gradual_attrition, segment_skew, variant_jumping,
                         allocation_change, assignment_exposure_drop (healthy)
  --seed N               random seed (1)
  --users N              units arriving during the test (100000)
  --exposures-per-user X mean exposure events per exposed unit (1.6)
  --variants A=W,B=W     variants and planned weights (control=50,treatment=50)
  --days N               length of the test in days (14)
  --start ISO            start time (2026-03-01T00:00:00Z)
  --change-at F          when the injected change happens, as a fraction of the test (0.5)
  --strength X           strength of the cause (scenario default)
  --browser NAME         browser hit by deployment_drop / segment_skew (Safari)
  --event-type           also write assignment events (event_type column)
  --inclusion            write a force_included column (2 % of units)
  --no-metrics, --no-dimensions
  --delimiter D          , ; | or tab        --crlf      CRLF line ends
  --quote-all            quote every field   --bom       UTF-8 byte order mark
  --time-format F        iso, iso-space-utc, iso-offset, epoch-s, epoch-ms, epoch-us, date
  --aggregated FILE      also write aggregated counts per day and segment
  --changes FILE         also write a change log
  --allocation FILE      also write the allocation history
  --truth FILE           also write the counts the data was built with (text)
)";

[[noreturn]] void usage_error(const std::string& message)
{
    std::cerr << "srm-simulate: " << message << "\nTry 'srm-simulate --help'.\n";
    std::exit(srm::kExitUsage);
}

std::ofstream open_out(const std::string& path)
{
    std::ofstream f(path, std::ios::binary);
    if (!f) {
        std::cerr << "srm-simulate: cannot write '" << path << "'\n";
        std::exit(73);
    }
    return f;
}

void write_truth(const srm::SimulationTruth& t, std::ostream& o)
{
    o << "rows " << t.rows << "\nexposed_units " << t.exposed_units << "\njumpers " << t.jumpers << "\nassigned_units "
      << t.assigned_units << "\nchange_time_us " << t.change_time_us << "\n";
    for (const auto& [v, n] : t.units_per_variant) o << "variant " << v << " " << n << "\n";
    for (const auto& [v, m] : t.units_per_browser)
        for (const auto& [b, n] : m) o << "browser " << v << " " << b << " " << n << "\n";
    for (const auto& [v, m] : t.units_per_day)
        for (const auto& [d, n] : m) o << "day " << v << " " << d << " " << n << "\n";
}

}  // namespace

int main(int argc, char** argv)
{
    srm::SimulationSpec spec;
    std::string out, aggregated, changes, allocation, truth_path;
    auto number = [](const std::string& flag, const std::string& v) {
        try {
            std::size_t used = 0;
            const double d = std::stod(v, &used);
            if (used != v.size()) throw std::invalid_argument(v);
            return d;
        } catch (const std::exception&) {
            usage_error(flag + " takes a number, not '" + v + "'");
        }
    };
    std::map<std::string, std::function<void(const std::string&)>> valued = {
        {"--out", [&](const std::string& v) { out = v; }},
        {"--aggregated", [&](const std::string& v) { aggregated = v; }},
        {"--changes", [&](const std::string& v) { changes = v; }},
        {"--allocation", [&](const std::string& v) { allocation = v; }},
        {"--truth", [&](const std::string& v) { truth_path = v; }},
        {"--scenario", [&](const std::string& v) {
             try { spec.scenario = srm::scenario_from_string(v); } catch (const std::exception& e) { usage_error(e.what()); }
         }},
        {"--seed", [&](const std::string& v) { spec.seed = static_cast<std::uint64_t>(number("--seed", v)); }},
        {"--users", [&](const std::string& v) { spec.users = static_cast<std::uint64_t>(number("--users", v)); }},
        {"--exposures-per-user", [&](const std::string& v) { spec.exposures_per_user = number("--exposures-per-user", v); }},
        {"--days", [&](const std::string& v) { spec.days = static_cast<int>(number("--days", v)); }},
        {"--change-at", [&](const std::string& v) { spec.change_fraction = number("--change-at", v); }},
        {"--strength", [&](const std::string& v) { spec.strength = number("--strength", v); }},
        {"--browser", [&](const std::string& v) { spec.affected_browser = v; }},
        {"--start", [&](const std::string& v) {
             const auto t = srm::parse_timestamp(v);
             if (!t) usage_error("--start takes an ISO 8601 time, not '" + v + "'");
             spec.start_us = *t;
         }},
        {"--variants", [&](const std::string& v) {
             try { spec.variants = srm::parse_name_values(v, "--variants"); } catch (const std::exception& e) { usage_error(e.what()); }
         }},
        {"--delimiter", [&](const std::string& v) {
             if (v == "tab") spec.delimiter = '\t';
             else if (v == "," || v == ";" || v == "|") spec.delimiter = v[0];
             else usage_error("--delimiter takes , ; | or tab");
         }},
        {"--time-format", [&](const std::string& v) {
             static const std::map<std::string, srm::TimeFormat> formats = {
                 {"iso", srm::TimeFormat::IsoZ}, {"iso-space-utc", srm::TimeFormat::IsoSpaceUtc},
                 {"iso-offset", srm::TimeFormat::IsoOffset}, {"epoch-s", srm::TimeFormat::EpochSeconds},
                 {"epoch-ms", srm::TimeFormat::EpochMillis}, {"epoch-us", srm::TimeFormat::EpochMicros},
                 {"date", srm::TimeFormat::Date}};
             const auto it = formats.find(v);
             if (it == formats.end()) usage_error("unknown --time-format '" + v + "'");
             spec.time_format = it->second;
         }},
    };
    std::map<std::string, std::function<void()>> flags = {
        {"--event-type", [&] { spec.event_type = true; }}, {"--inclusion", [&] { spec.inclusion = true; }},
        {"--no-metrics", [&] { spec.metrics = false; }},   {"--no-dimensions", [&] { spec.dimensions = false; }},
        {"--crlf", [&] { spec.crlf = true; }},             {"--quote-all", [&] { spec.quote_all = true; }},
        {"--bom", [&] { spec.bom = true; }},
    };
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-h" || a == "--help") {
            std::cout << kUsage;
            return 0;
        }
        if (a == "--version") {
            std::cout << "srm-simulate " << srm::version_string() << "\n";
            return 0;
        }
        if (auto f = flags.find(a); f != flags.end()) {
            f->second();
        } else if (auto v = valued.find(a); v != valued.end()) {
            if (i + 1 >= argc) usage_error(a + " needs a value");
            v->second(argv[++i]);
        } else {
            usage_error("unknown argument '" + a + "'");
        }
    }
    if (out.empty()) usage_error("--out EVENTS.csv is required");
    try {
        srm::SimulationTruth truth;
        {
            auto f = open_out(out);
            truth = srm::simulate(spec, f);
        }
        if (!aggregated.empty()) {
            auto f = open_out(aggregated);
            srm::simulate_aggregated(spec, f);
        }
        if (!changes.empty()) {
            auto f = open_out(changes);
            srm::write_change_log(spec, f);
        }
        if (!allocation.empty()) {
            auto f = open_out(allocation);
            srm::write_allocation_history(spec, f);
        }
        if (!truth_path.empty()) {
            auto f = open_out(truth_path);
            write_truth(truth, f);
        }
    } catch (const std::exception& e) {
        std::cerr << "srm-simulate: " << e.what() << "\n";
        return srm::kExitUsage;
    }
    return 0;
}
