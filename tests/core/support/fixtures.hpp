// Small hand-made exports for the core tests: each row written out, so a
// test knows every count it asserts.
#pragma once

#include "srm/diagnosis.hpp"
#include "srm/ingest.hpp"
#include "srm/report.hpp"

#include <QtTest>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace srm::test {

/// An ISO 8601 time `hours` hours (plus `seconds`) after 2026-03-01T00:00:00Z.
inline std::string at(long hours, long seconds = 0)
{
    const long t = hours * 3600 + seconds;
    const std::chrono::year_month_day d{std::chrono::sys_days{std::chrono::year{2026} / 3 / 1} + std::chrono::days{t / 86400}};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()), t / 3600 % 24, t / 60 % 60, t % 60);
    return buf;
}
constexpr std::int64_t kT0 = 1772323200;  ///< 2026-03-01T00:00:00Z (date -u -d 2026-03-01 +%s)

/// Events "timestamp,user_id,variant[,extra columns]": rows appended one by one.
struct Events {
    std::string csv;
    long next_unit = 0;
    explicit Events(const std::string& header = "timestamp,user_id,variant") : csv(header + "\n") {}
    /// `n` new units with one row each in `variant` during hour `hour`
    /// (spread over its seconds), with `extra` appended to every row.
    Events& units(long hour, const std::string& variant, long n, const std::string& extra = "")
    {
        for (long i = 0; i < n; ++i) row(at(hour, i * 3599 / (n > 1 ? n - 1 : 1)), "u" + std::to_string(next_unit++), variant, extra);
        return *this;
    }
    Events& row(const std::string& time, const std::string& unit, const std::string& variant, const std::string& extra = "")
    {
        csv += time + "," + unit + "," + variant + (extra.empty() ? "" : "," + extra) + "\n";
        return *this;
    }
    /// Hourly (control, treatment) counts from hour 0 on.
    Events& hours(const std::vector<std::pair<long, long>>& counts, long first_hour = 0)
    {
        for (std::size_t h = 0; h < counts.size(); ++h) {
            units(first_hour + static_cast<long>(h), "control", counts[h].first);
            units(first_hour + static_cast<long>(h), "treatment", counts[h].second);
        }
        return *this;
    }
    Dataset load(const LoadOptions& options = {}) const { return load_csv_memory(csv, "fixture.csv", options); }
    Report diagnose(const DiagnosisOptions& options = {}, const LoadOptions& load_options = {}) const
    {
        return diagnose_dataset(load(load_options), options);
    }
};

/// Step 4's segments without the explanation's search (what the
/// concentration rule and the ranking read on their own).
inline DiagnosisOptions without_localization()
{
    DiagnosisOptions opt;
    opt.localize = false;
    return opt;
}

inline const Check& check(const Report& r, const std::string& id)
{
    for (const auto& c : r.checks)
        if (c.id == id) return c;
    qFatal("no check %s", id.c_str());
}

inline const SegmentResult& segment(const Report& r, const std::string& dimension, const std::string& value)
{
    for (const auto& d : r.dimensions)
        if (d.name == dimension)
            for (const auto& s : d.segments)
                if (s.value == value) return s;
    qFatal("no segment %s = %s", dimension.c_str(), value.c_str());
}

inline std::vector<std::uint64_t> observed(const Report& r)
{
    std::vector<std::uint64_t> out;
    for (const auto& v : r.srm.variants) out.push_back(v.observed);
    return out;
}

}  // namespace srm::test
