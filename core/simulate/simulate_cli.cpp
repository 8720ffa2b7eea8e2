// srm-simulate's command line: options into a SimulationSpec, then the
// files it writes.
#include "srm/simulate.hpp"

#include "srm/text.hpp"
#include "srm/timeparse.hpp"

#include <fstream>
#include <functional>
#include <map>
#include <ostream>
#include <stdexcept>

namespace srm {

namespace {

constexpr const char* kUsage = R"(Usage: srm-simulate --out EVENTS.csv [options]

Writes a simulated experiment's exposure events (timestamp, user_id, variant,
browser, os, country, sdk_version[, event_type], crashed) with an injected
cause of SRM, seeded and reproducible, and optionally the same experiment as
aggregated counts, its change log, its allocation history and its truth.

Options:
  --scenario NAME        healthy, bucketing_defect, deployment_drop,
                         gradual_attrition, segment_skew, variant_jumping,
                         allocation_change, assignment_exposure_drop,
                         segment_drop (only the --cause options) (healthy)
  --cause SPEC           treatment exposures lost in a segment, repeatable:
                         DIM=VALUE[&DIM=VALUE...][:STRENGTH][@START], e.g.
                         'browser=Chrome&sdk_version=3.2.0:0.3@0.5' loses 30 %
                         from half-way on (strength 0.5, start 0 by default)
  --extra-dimensions N   also write extra1..extraN (at most 8), independent of
                         the rest, values e1_v001, ... of falling popularity
  --extra-values N       values per extra dimension, 2 to 200 (10)
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

struct SimUsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Where the simulation goes.
struct Outputs {
    std::string events, aggregated, changes, allocation, truth;
};

double number(const std::string& flag, const std::string& v)
{
    try {
        std::size_t used = 0;
        const double d = std::stod(v, &used);
        if (used != v.size()) throw std::invalid_argument(v);
        return d;
    } catch (const std::exception&) {
        throw SimUsageError(flag + " takes a number, not '" + v + "'");
    }
}

TimeFormat time_format_named(const std::string& v)
{
    static const std::map<std::string, TimeFormat> formats = {
        {"iso", TimeFormat::IsoZ},          {"iso-space-utc", TimeFormat::IsoSpaceUtc}, {"iso-offset", TimeFormat::IsoOffset},
        {"epoch-s", TimeFormat::EpochSeconds}, {"epoch-ms", TimeFormat::EpochMillis},  {"epoch-us", TimeFormat::EpochMicros},
        {"date", TimeFormat::Date}};
    const auto it = formats.find(v);
    if (it == formats.end()) throw SimUsageError("unknown --time-format '" + v + "'");
    return it->second;
}

std::map<std::string, std::function<void(const std::string&)>> valued_options(SimulationSpec& spec, Outputs& out)
{
    return {
        {"--out", [&](const std::string& v) { out.events = v; }},
        {"--aggregated", [&](const std::string& v) { out.aggregated = v; }},
        {"--changes", [&](const std::string& v) { out.changes = v; }},
        {"--allocation", [&](const std::string& v) { out.allocation = v; }},
        {"--truth", [&](const std::string& v) { out.truth = v; }},
        {"--scenario", [&](const std::string& v) {
             try {
                 spec.scenario = scenario_from_string(v);
             } catch (const std::exception& e) {
                 throw SimUsageError(e.what());
             }
         }},
        {"--seed", [&](const std::string& v) { spec.seed = static_cast<std::uint64_t>(number("--seed", v)); }},
        {"--users", [&](const std::string& v) { spec.users = static_cast<std::uint64_t>(number("--users", v)); }},
        {"--exposures-per-user", [&](const std::string& v) { spec.exposures_per_user = number("--exposures-per-user", v); }},
        {"--days", [&](const std::string& v) { spec.days = static_cast<int>(number("--days", v)); }},
        {"--change-at", [&](const std::string& v) { spec.change_fraction = number("--change-at", v); }},
        {"--strength", [&](const std::string& v) { spec.strength = number("--strength", v); }},
        {"--browser", [&](const std::string& v) { spec.affected_browser = v; }},
        {"--cause", [&](const std::string& v) {
             try {
                 spec.causes.push_back(parse_cause(v));
             } catch (const std::exception& e) {
                 throw SimUsageError(std::string("--cause: ") + e.what());
             }
         }},
        {"--extra-dimensions", [&](const std::string& v) { spec.extra_dimensions = static_cast<int>(number("--extra-dimensions", v)); }},
        {"--extra-values", [&](const std::string& v) { spec.extra_values = static_cast<int>(number("--extra-values", v)); }},
        {"--start", [&](const std::string& v) {
             const auto t = parse_timestamp(v);
             if (!t) throw SimUsageError("--start takes an ISO 8601 time, not '" + v + "'");
             spec.start_us = *t;
         }},
        {"--variants", [&](const std::string& v) {
             try {
                 spec.variants = parse_name_values(v, "--variants");
             } catch (const std::exception& e) {
                 throw SimUsageError(e.what());
             }
         }},
        {"--delimiter", [&](const std::string& v) {
             if (v == "tab") spec.delimiter = '\t';
             else if (v == "," || v == ";" || v == "|") spec.delimiter = v[0];
             else throw SimUsageError("--delimiter takes , ; | or tab");
         }},
        {"--time-format", [&](const std::string& v) { spec.time_format = time_format_named(v); }},
    };
}

// Reads the arguments; returns false after --help or --version.
bool parse(const std::vector<std::string>& args, SimulationSpec& spec, Outputs& outputs, std::ostream& out)
{
    auto valued = valued_options(spec, outputs);
    const std::map<std::string, std::function<void()>> flags = {
        {"--event-type", [&] { spec.event_type = true; }}, {"--inclusion", [&] { spec.inclusion = true; }},
        {"--no-metrics", [&] { spec.metrics = false; }},   {"--no-dimensions", [&] { spec.dimensions = false; }},
        {"--crlf", [&] { spec.crlf = true; }},             {"--quote-all", [&] { spec.quote_all = true; }},
        {"--bom", [&] { spec.bom = true; }},
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "-h" || a == "--help") {
            out << kUsage;
            return false;
        }
        if (a == "--version") {
            out << "srm-simulate " << version_string() << "\n";
            return false;
        }
        if (auto f = flags.find(a); f != flags.end()) {
            f->second();
        } else if (auto v = valued.find(a); v != valued.end()) {
            if (i + 1 >= args.size()) throw SimUsageError(a + " needs a value");
            v->second(args[++i]);
        } else {
            throw SimUsageError("unknown argument '" + a + "'");
        }
    }
    if (outputs.events.empty()) throw SimUsageError("--out EVENTS.csv is required");
    return true;
}

void write_truth(const SimulationTruth& t, std::ostream& o)
{
    o << "rows " << t.rows << "\nexposed_units " << t.exposed_units << "\njumpers " << t.jumpers << "\nassigned_units "
      << t.assigned_units << "\nchange_time_us " << t.change_time_us << "\n";
    for (const auto& [v, n] : t.units_per_variant) o << "variant " << v << " " << n << "\n";
    if (!t.explanation.empty()) o << "explanation " << t.explanation << "\n";
    for (const auto& seg : t.explaining_segments) {
        o << "explaining_segment ";
        for (std::size_t i = 0; i < seg.size(); ++i) o << (i ? "&" : "") << seg[i].first << "=" << seg[i].second;
        o << "\n";
    }
    for (const auto& [v, m] : t.units_per_browser)
        for (const auto& [b, n] : m) o << "browser " << v << " " << b << " " << n << "\n";
    for (const auto& [v, m] : t.units_per_day)
        for (const auto& [d, n] : m) o << "day " << v << " " << d << " " << n << "\n";
}

// Writes one output file with `write`; false (and a message) when it cannot.
template <typename Write>
bool write_file(const std::string& path, std::ostream& err, Write&& write)
{
    if (path.empty()) return true;
    std::ofstream f(path, std::ios::binary);
    if (f) write(f);
    if (!f) err << "srm-simulate: cannot write '" << path << "'\n";
    return static_cast<bool>(f);
}

}  // namespace

int run_srm_simulate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    SimulationSpec spec;
    Outputs o;
    try {
        if (!parse(args, spec, o, out)) return 0;
        SimulationTruth truth;
        const bool ok = write_file(o.events, err, [&](std::ostream& f) { truth = simulate(spec, f); }) &&
                        write_file(o.aggregated, err, [&](std::ostream& f) { simulate_aggregated(spec, f); }) &&
                        write_file(o.changes, err, [&](std::ostream& f) { write_change_log(spec, f); }) &&
                        write_file(o.allocation, err, [&](std::ostream& f) { write_allocation_history(spec, f); }) &&
                        write_file(o.truth, err, [&](std::ostream& f) { write_truth(truth, f); });
        return ok ? 0 : 73;
    } catch (const SimUsageError& e) {
        err << "srm-simulate: " << e.what() << "\nTry 'srm-simulate --help'.\n";
        return 64;
    } catch (const std::exception& e) {
        err << "srm-simulate: " << e.what() << "\n";
        return 64;
    }
}

}  // namespace srm
