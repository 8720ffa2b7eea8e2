// Small text helpers every stage uses: one spelling of each.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace srm {

/// Lower case (ASCII).
std::string lower(std::string_view s);

/// A column or value name for loose matching: lower case, spaces, dashes,
/// dots and slashes as '_', brackets, quotes and '$' dropped ("Test Group" ->
/// "test_group", "[variant]" -> "variant").
std::string normalise_name(std::string_view s);

/// Leading and trailing blanks (space, tab) removed.
std::string_view trim_blanks(std::string_view s) noexcept;

/// Trailing line breaks ('\n', '\r') removed (a note typed with a final
/// Return ends where its text ends).
std::string_view trim_line_breaks(std::string_view s) noexcept;

/// A plain decimal number ("12", "-0.5", "+3", "1.5e3"); no "inf", "nan",
/// hex or thousands separators. Sets `value` when it is one.
bool parse_number(std::string_view s, double* value = nullptr) noexcept;

/// `s` with every byte that is not part of a valid UTF-8 sequence written
/// as the text \xNN (so a name in a bad encoding is shown, not dropped, and
/// every output stays valid UTF-8). Valid text is returned unchanged.
std::string escape_invalid_utf8(std::string_view s);
/// Escapes in place; true when anything changed.
bool make_valid_utf8(std::string& s);

/// At most `max` bytes of `s`, with "..." when cut.
std::string shorten(std::string_view s, std::size_t max = 60);

/// A p-value for people: "1.82e-06", "0.0123", or "1e-350" style from
/// log10 where the double underflows.
std::string format_p(double p, double log10_p);

/// `v` with `decimals` digits after the point ("2.770"), and in printf's %g
/// style with `precision` significant digits ("0.01", "1e-05"): both
/// locale-independent (a point, whatever LC_NUMERIC says).
std::string format_fixed(double v, int decimals);
std::string format_general(double v, int precision = 6);

/// A CSV field quoted as RFC 4180 has it (in double quotes, a quote doubled)
/// when it holds a comma, quote or line end; else as it is. Data for a
/// reader: no formula prefix (for a spreadsheet, report's csv_cell).
std::string csv_quote(std::string_view s);

/// "12,345" (thousands separated by commas; locale-independent).
std::string group_thousands(std::uint64_t n);

/// "a=1,b=2" into pairs; throws std::invalid_argument naming `what` on bad syntax.
std::vector<std::pair<std::string, double>> parse_name_values(const std::string& text, const std::string& what);

/// The version of the tools ("0.1.0").
const char* version_string() noexcept;

}  // namespace srm
