// UTC time helpers (no time zones other than UTC are ever used).
#pragma once

#include <cstdint>
#include <string>

namespace srm {

/// "2026-03-01T12:00:00Z" for seconds since the Unix epoch.
std::string format_iso8601(std::int64_t epoch_seconds);

/// Days since 1970-01-01 for a proleptic Gregorian date.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept;

}  // namespace srm
