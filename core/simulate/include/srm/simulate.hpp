// srm-simulate's engine: realistic exposure exports with injected SRM causes,
// seeded and reproducible, together with the ground truth they were built with.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace srm {

enum class Scenario {
    Healthy,             ///< correct randomisation, nothing wrong
    BucketingDefect,     ///< from the start a share of treatment users land in control
    DeploymentDrop,      ///< from the change time, treatment exposures are lost for one browser
    GradualAttrition,    ///< treatment users drop out at a rate growing over time (crashes)
    SegmentSkew,         ///< skew inside two browsers that cancels out overall
    VariantJumping,      ///< a share of users is also exposed to another variant
    AllocationChange,    ///< the planned split changes at the change time
    AssignmentExposureDrop,  ///< assigned treatment users are exposed less often
    SegmentDrop,         ///< only the causes given (SimulationSpec::causes): treatment exposures lost in segments
};

const char* to_string(Scenario s) noexcept;
/// Throws std::invalid_argument for an unknown name.
Scenario scenario_from_string(const std::string& name);
std::vector<std::string> scenario_names();

/// A cause of SRM confined to a segment: treatment exposures of the units
/// matching every condition are lost with probability `strength`, from
/// `from` (a fraction of the test) on. Any scenario can take causes.
struct SimulatedCause {
    std::vector<std::pair<std::string, std::string>> conditions;  ///< dimension = value, all must hold
    double strength = 0.5;
    double from = 0.0;
};
/// "browser=Chrome&sdk_version=3.2.0:0.3@0.5" (strength and start optional).
/// Throws std::invalid_argument for a malformed one.
SimulatedCause parse_cause(const std::string& text);

enum class TimeFormat { IsoZ, IsoSpaceUtc, IsoOffset, EpochSeconds, EpochMillis, EpochMicros, Date };

struct SimulationSpec {
    Scenario scenario = Scenario::Healthy;
    std::uint64_t seed = 1;
    std::uint64_t users = 100000;         ///< units that arrive during the test
    double exposures_per_user = 1.6;      ///< mean exposure events per exposed user
    std::vector<std::pair<std::string, double>> variants{{"control", 50}, {"treatment", 50}};
    std::int64_t start_us = 1772323200LL * 1000000;  ///< 2026-03-01T00:00:00Z
    int days = 14;
    double change_fraction = 0.5;  ///< when the injected change happens, as a fraction of the span
    double strength = -1;          ///< the cause's strength; < 0: the scenario's default
    std::string affected_browser = "Safari";
    bool event_type = false;  ///< write assignment and exposure events (event_type column)
    bool metrics = true;      ///< write a crashed (0/1) column
    bool dimensions = true;   ///< browser, os, country, sdk_version
    bool inclusion = false;   ///< write a force_included column (2 % of users)
    std::vector<SimulatedCause> causes;
    /// Extra dimensions extra1..extraN (at most 8), each with `extra_values`
    /// values (at most 200) e1_v001, ... of falling popularity (Zipf),
    /// independent of everything else.
    int extra_dimensions = 0;
    int extra_values = 10;
    // Dialect of the output.
    char delimiter = ',';
    bool crlf = false;
    bool quote_all = false;
    bool bom = false;
    TimeFormat time_format = TimeFormat::IsoZ;
};

struct SimulationTruth {
    std::uint64_t rows = 0;
    std::uint64_t exposed_units = 0;
    std::map<std::string, std::uint64_t> units_per_variant;              ///< by first exposure
    std::map<std::string, std::map<std::string, std::uint64_t>> units_per_browser;  ///< variant -> browser -> units
    std::map<std::string, std::map<std::string, std::uint64_t>> units_per_day;      ///< variant -> YYYY-MM-DD -> units
    std::uint64_t jumpers = 0;
    std::uint64_t assigned_units = 0;
    std::uint64_t included_units = 0;  ///< exposed units marked force_included
    std::int64_t change_time_us = 0;  ///< when the injected change happened (0 when none)
    std::vector<std::pair<std::string, double>> weights_after;  ///< allocation after the change (AllocationChange)
    /// What the localization should find: localized (with the segments),
    /// global, none, or "" when the scenario does not say.
    std::string explanation;
    std::vector<std::vector<std::pair<std::string, std::string>>> explaining_segments;
};

/// Writes the events CSV and returns what it was built with.
SimulationTruth simulate(const SimulationSpec& spec, std::ostream& events);

/// Writes the same experiment as aggregated counts: one row per (day of first
/// exposure, variant, browser, os, country, sdk_version) with its units.
SimulationTruth simulate_aggregated(const SimulationSpec& spec, std::ostream& out);

/// A change log for the spec (the injected change and unrelated ones).
void write_change_log(const SimulationSpec& spec, std::ostream& out);
/// The allocation history (AllocationChange: two phases; otherwise one).
void write_allocation_history(const SimulationSpec& spec, std::ostream& out);

/// srm-simulate's command line (without the program name): 0 when written,
/// 64 for a wrong command line, 73 when a file cannot be written.
int run_srm_simulate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace srm
