// The side files of an analysis: the change log (Step 3) and the history of
// the planned allocation (the expectation per phase).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace srm {

struct ChangeEntry {
    std::int64_t time = 0;  ///< seconds
    std::string kind;
    std::string description;
    std::uint64_t line = 0;
};

/// One phase of the planned allocation, from `start` (seconds) on.
struct AllocationPhase {
    std::int64_t start = 0;
    std::vector<std::pair<std::string, double>> weights;
};

/// Reads a change log CSV (timestamp, kind, description). Throws InputError
/// with the line number of a bad row.
std::vector<ChangeEntry> read_change_log(const std::string& path);
/// Reads an allocation history CSV (timestamp, then one weight column per variant).
std::vector<AllocationPhase> read_allocation_history(const std::string& path);
/// The same from the file's text (`name` for the messages).
std::vector<ChangeEntry> parse_change_log(std::string_view text, const std::string& name);
std::vector<AllocationPhase> parse_allocation_history(std::string_view text, const std::string& name);

}  // namespace srm
