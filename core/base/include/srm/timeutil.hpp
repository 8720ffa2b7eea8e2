// UTC time helpers (no time zones other than UTC are ever used).
#pragma once

#include <cstdint>
#include <string>

namespace srm {

/// "2026-03-01T12:00:00Z" for seconds since the Unix epoch.
std::string format_iso8601(std::int64_t epoch_seconds);

/// Whole seconds (rounded down) of microseconds since the epoch.
constexpr std::int64_t to_seconds(std::int64_t us) noexcept
{
    return us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
}

/// Days since 1970-01-01 for a proleptic Gregorian date.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept;

}  // namespace srm
