// Timestamps as exports write them, to microseconds since the epoch (UTC).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace srm {

/// Parses ISO 8601 ("2026-03-01T12:00:00Z", "2026-03-01 12:00:00.123+02:00",
/// "2026-03-01 12:00:00 UTC", "2026-03-01", "2026/03/01 12:00") and epoch
/// numbers in seconds, milliseconds, microseconds or nanoseconds, told apart
/// by magnitude (< 1e11 s, < 1e14 ms, < 1e17 us, else ns); seconds may carry
/// a fraction. Returns microseconds since 1970-01-01T00:00:00Z.
std::optional<std::int64_t> parse_timestamp(std::string_view text) noexcept;
/// The same without std::optional, for the loader's hot loop: false when unparsable.
bool parse_timestamp(std::string_view text, std::int64_t& out) noexcept;

/// Whether the text looks like a timestamp in one of the ISO forms (not a
/// bare number): used to recognise a time column by its content.
bool looks_like_iso_time(std::string_view text) noexcept;

}  // namespace srm
