// CSV dialect sniffing and the record tokenizer (RFC 4180 with CR, LF or
// CRLF line ends). The tokenizer is shared by the sniffer, the sequential
// header read and the parallel loader, so all agree on where records end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace srm {

struct Dialect {
    char delimiter = ',';
    char quote = '"';
    bool header = true;
    std::string encoding = "utf-8";  ///< "utf-8" or "utf-8 with BOM"
    std::string line_end = "LF";     ///< LF, CRLF or CR (the first one seen)
    std::size_t bom_bytes = 0;
    /// Excel's "sep=;" first line (after any BOM): it names the delimiter and
    /// is skipped, in bytes and lines, before the first record.
    std::size_t preamble_bytes = 0;
    std::uint32_t preamble_lines = 0;
};

std::string describe_delimiter(char d);

/// One record's fields. Views point into the input or into `scratch`
/// (fields with doubled quotes are unescaped there).
struct Record {
    std::vector<std::string_view> fields;
    std::string scratch;
    std::uint32_t line_breaks = 0;  ///< physical line breaks consumed, incl. the terminator
    enum class Problem { None, UnterminatedQuote, StrayQuote } problem = Problem::None;
    bool blank = false;  ///< an empty line
    /// Scratch of the parser: unescaped fields waiting for their views.
    struct Pending {
        std::size_t field, at, size;
    };
    std::vector<Pending> pending;
};

/// Parses the record starting at `p` (within [p, end)) and returns the
/// position after its terminator (RFC 4180: a quote opens a quoted field only
/// at the start of a field; inside an unquoted field it is an ordinary
/// character). Text after a closing quote is reported as StrayQuote.
const char* parse_record(const char* p, const char* end, const Dialect& d, Record& out);

/// Sniffs encoding, delimiter, quote, header and line end from the file's
/// first bytes. Throws InputError for empty, binary and UTF-16 input.
/// `forced_delimiter` skips delimiter detection.
Dialect sniff_dialect(std::string_view prefix, std::optional<char> forced_delimiter = std::nullopt,
                      std::optional<bool> forced_header = std::nullopt);

}  // namespace srm
