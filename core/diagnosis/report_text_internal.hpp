// Wording shared by the checks and the verdict (internal to the diagnosis).
#pragma once

#include "srm/report.hpp"

#include <optional>
#include <string>

namespace srm::detail {

/// "12.34 %" of a share.
std::string pct(double share, int decimals = 2);
/// "3.5 h" of seconds.
std::string hours(double seconds);

/// Where the imbalance concentrates: the dimension whose split differs most
/// clearly across its values (independence p below the severe level) and in
/// it the value holding at least half of the dimension's excess units.
struct Concentration {
    std::string dimension, value;
    double share = 0;
};
std::optional<Concentration> concentration(const Report& r);

}  // namespace srm::detail
