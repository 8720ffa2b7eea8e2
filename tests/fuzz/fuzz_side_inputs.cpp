// libFuzzer target: every parser besides the CSV reader's, chosen by the
// input's first byte (mod 6), on the rest of the bytes:
//   0 the change log, 1 the allocation history (both as files' text),
//   2 a --counts / --expected list, 3 a --window value (through the whole
//   command line), 4 a time value, 5 a --db URL.
// Besides crashes and sanitizer reports it checks what each promises: bad
// input is an InputError or UsageError (never another exception); change
// logs and phases come sorted by time; weights are finite and not negative
// with a positive total; names of a list are distinct; a time that parses
// formats back to a time that parses to the same second; a URL reads back
// from its display without the password.
#include "srm/cli.hpp"
#include "srm/errors.hpp"
#include "srm/side_files.hpp"
#include "srm/text.hpp"
#include "srm/timeparse.hpp"
#include "srm/timeutil.hpp"
#include "srm/warehouse.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

namespace {

void side_files(std::string_view text, bool allocation)
{
    if (allocation) {
        const auto phases = srm::parse_allocation_history(text, "fuzz.csv");
        for (std::size_t i = 0; i < phases.size(); ++i) {
            if (i > 0 && phases[i].start < phases[i - 1].start) std::abort();
            double total = 0;
            for (const auto& [name, w] : phases[i].weights) {
                if (!std::isfinite(w) || w < 0) std::abort();
                total += w;
            }
            if (!(total > 0)) std::abort();
        }
    } else {
        const auto changes = srm::parse_change_log(text, "fuzz.csv");
        for (std::size_t i = 1; i < changes.size(); ++i)
            if (changes[i].time < changes[i - 1].time || changes[i].line == 0) std::abort();
    }
}

void name_values(const std::string& text)
{
    try {
        const auto pairs = srm::parse_name_values(text, "--counts");
        std::set<std::string> names;
        for (const auto& [name, v] : pairs)
            if (name.empty() || !names.insert(name).second || std::isnan(v)) std::abort();
    } catch (const std::invalid_argument&) {  // how parse_name_values says a list is malformed
    }
}

void window(const std::string& value)
{
    const auto cl = srm::parse_check_command_line({"events.csv", "--window", value});
    const auto& r = cl.request;
    if (r.window_start && r.window_end && *r.window_start > *r.window_end) std::abort();
}

// A --db URL: refused only with std::invalid_argument; a PostgreSQL URL
// reads back from its display() the same (its parts' separators
// percent-encoded), without the password.
void database_url(std::string_view text)
{
    srm::DatabaseUrl u;
    try {
        u = srm::parse_database_url(text);
    } catch (const std::invalid_argument&) {
        return;
    }
    if (u.database.empty() || u.port < 0 || u.port > 65535) std::abort();
    if (u.engine == srm::SqlEngine::SQLite) return;
    const srm::DatabaseUrl again = srm::parse_database_url(u.display());
    if (again.engine != u.engine || again.host != u.host || again.user != u.user || again.database != u.database || again.port != u.port ||
        !again.password.empty())
        std::abort();
}

void time_value(std::string_view text)
{
    std::int64_t us = 0;
    if (!srm::parse_timestamp(text, us)) return;
    const std::int64_t s = srm::to_seconds(us);
    if (s < -62135596800LL || s > 253402300799LL) return;  // years 1-9999: what ISO 8601 text can say
    std::int64_t again = 0;
    if (!srm::parse_timestamp(srm::format_iso8601(s), again) || srm::to_seconds(again) != s) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) return 0;
    const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        switch (data[0] % 6) {
        case 0: side_files(rest, false); break;
        case 1: side_files(rest, true); break;
        case 2: name_values(rest); break;
        case 3: window(rest); break;
        case 4: time_value(rest); break;
        default: database_url(rest); break;
        }
    } catch (const srm::InputError&) {
    } catch (const srm::UsageError&) {
    }
    return 0;
}
