// The dialect sniffer: a short driver over named stages, each reading the
// first bytes of the file (DuckDB's sniffer is the model):
//   detect_encoding   UTF-8 with or without BOM; UTF-16, NUL bytes and binary refused
//   detect_line_end   LF, CRLF or CR (the first one seen)
//   detect_quote      " unless the text has none but fields wrapped in '
//   detect_delimiter  the candidate giving the most consistent field count > 1
//   detect_header     a known column name, or a typed column below a text first row
#include "srm/csv.hpp"

#include "column_names_internal.hpp"
#include "time_detect_internal.hpp"
#include "srm/errors.hpp"
#include "srm/text.hpp"
#include "srm/timeparse.hpp"

#include <algorithm>
#include <map>

namespace srm {

std::string describe_delimiter(char d)
{
    switch (d) {
    case ',': return ",";
    case ';': return ";";
    case '\t': return "\\t";
    case '|': return "|";
    default: return std::string(1, d);
    }
}

namespace {

using Rows = std::vector<std::vector<std::string>>;

// The first complete records of the text with a delimiter.
Rows sample_with(std::string_view text, const Dialect& base, char delim, std::size_t max_records)
{
    Dialect t = base;
    t.delimiter = delim;
    Rows rows;
    const char* p = text.data();
    const char* end = text.data() + text.size();
    Record r;
    while (p < end && rows.size() < max_records) {
        const char* next = parse_record(p, end, t, r);
        const bool complete = next < end || text.size() < 65536 * 4;
        if (!r.blank && complete) {
            std::vector<std::string> f;
            for (auto v : r.fields) f.emplace_back(v);
            rows.push_back(std::move(f));
        }
        p = next;
    }
    return rows;
}

// Returns the text after a BOM.
std::string_view detect_encoding(std::string_view prefix, Dialect& d)
{
    if (prefix.empty()) throw InputError("the file is empty");
    const auto* u = reinterpret_cast<const unsigned char*>(prefix.data());
    if (prefix.size() >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        throw InputError("the file is UTF-16 encoded; save it as UTF-8 (with or without BOM) and open it again");
    if (prefix.size() >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        d.bom_bytes = 3;
        d.encoding = "utf-8 with BOM";
        prefix.remove_prefix(3);
        if (prefix.empty()) throw InputError("the file is empty (it holds only a UTF-8 byte order mark)");
    }
    const std::size_t probe = std::min<std::size_t>(prefix.size(), 65536);
    // A few NUL bytes reject their rows (parse.cpp); more than 1 % of the
    // first 64 KiB is a binary or UTF-16 file.
    std::size_t controls = 0, nuls = 0;
    for (std::size_t i = 0; i < probe; ++i) {
        const unsigned char c = static_cast<unsigned char>(prefix[i]);
        if (c == 0) ++nuls;
        else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++controls;
    }
    if (nuls * 100 > probe) throw InputError("the file contains NUL bytes: it is binary or UTF-16, not a UTF-8 CSV text file");
    if ((controls + nuls) * 100 > probe) throw InputError("the file is binary, not a CSV text file");
    return prefix;
}

void detect_line_end(std::string_view text, Dialect& d)
{
    if (const auto pos = text.find_first_of("\r\n"); pos != std::string_view::npos)
        d.line_end = text[pos] == '\n' ? "LF" : (pos + 1 < text.size() && text[pos + 1] == '\n') ? "CRLF" : "CR";
}

void detect_quote(std::string_view text, Dialect& d)
{
    if (text.find('"') != std::string_view::npos) return;
    std::size_t wrapped = 0;
    for (std::size_t i = 0; i + 1 < text.size(); ++i)
        if (text[i] == '\'' && (i == 0 || text[i - 1] == ',' || text[i - 1] == ';' || text[i - 1] == '\t' || text[i - 1] == '|' || text[i - 1] == '\n'))
            ++wrapped;
    if (wrapped >= 2) d.quote = '\'';
}

void detect_delimiter(std::string_view text, Dialect& d)
{
    double best = -1;
    for (char c : {',', '\t', ';', '|'}) {
        const auto rows = sample_with(text, d, c, 60);
        if (rows.empty()) continue;
        std::map<std::size_t, std::size_t> freq;
        for (const auto& r : rows) ++freq[r.size()];
        const auto mode = std::max_element(freq.begin(), freq.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
        if (mode->first < 2) continue;
        const double consistency = static_cast<double>(mode->second) / static_cast<double>(rows.size());
        const double score = consistency * 100.0 + std::min<double>(static_cast<double>(mode->first), 50.0) * 0.01;
        if (score > best + 1e-9) {
            best = score;
            d.delimiter = c;
        }
    }
}

bool typed(const std::string& v) { return parse_number(v) || looks_like_iso_time(v); }

// Could be a date in a common layout (13/03/2026 10:00, 10.07.2020): a digit
// and a date separator, of a date's length. Only these are tried as dates.
bool dateish(const std::string& v)
{
    return v.size() >= 6 && v.size() <= 40 && v.find_first_of("0123456789") != std::string::npos && v.find_first_of("/.-") != std::string::npos;
}

// The first record names columns if a name is a known one, or if a column is
// numeric or a time below but not in the first record.
void detect_header(std::string_view text, Dialect& d)
{
    const auto rows = sample_with(text, d, d.delimiter, 50);
    d.header = true;
    if (rows.empty()) return;
    const auto& first = rows.front();
    const bool known = std::any_of(first.begin(), first.end(), [](const auto& f) { return detail::is_known_column_name(f); });
    bool typed_below = false, typed_first = false;
    for (std::size_t c = 0; c < first.size(); ++c) {
        std::size_t n = 0, seen = 0, dates = 0;
        for (std::size_t r = 1; r < rows.size(); ++r) {
            if (c >= rows[r].size() || rows[r][c].empty()) continue;
            ++seen;
            if (typed(rows[r][c])) ++n;
            else if (dateish(rows[r][c])) ++dates;
        }
        bool column_typed = seen > 0 && n == seen, first_typed = typed(first[c]);
        if (seen > 0 && dates == seen) {  // dates in a layout of their own (13/03/2026 10:00)
            std::vector<std::string> below;
            for (std::size_t r = 1; r < rows.size(); ++r)
                if (c < rows[r].size() && !rows[r][c].empty()) below.push_back(rows[r][c]);
            column_typed = detail::reads_as_times(below, false);
            first_typed = column_typed && dateish(first[c]) && detail::reads_as_times({first[c]}, false);
        }
        if (column_typed && !first_typed) typed_below = true;
        if (column_typed && first_typed) typed_first = true;
    }
    d.header = known || typed_below || (!typed_first && rows.size() == 1);
}

// Excel's "sep=X" first line: the delimiter X, and the line to skip.
std::optional<char> excel_separator_line(std::string_view& text, Dialect& d)
{
    if (text.size() < 5 || (text.substr(0, 4) != "sep=" && text.substr(0, 4) != "SEP=")) return std::nullopt;
    const char sep = text[4];
    if (sep == '\r' || sep == '\n' || sep == '"') return std::nullopt;
    if (text.size() > 5 && text[5] != '\r' && text[5] != '\n') return std::nullopt;  // not a line of its own ("sep=;x,y")
    std::size_t end = 5;
    if (end < text.size() && text[end] == '\r') ++end;
    if (end < text.size() && text[end] == '\n') ++end;
    d.preamble_bytes = end;
    d.preamble_lines = 1;
    text.remove_prefix(end);
    return sep;
}

}  // namespace

Dialect sniff_dialect(std::string_view prefix, std::optional<char> forced_delimiter, std::optional<bool> forced_header)
{
    Dialect d;
    std::string_view text = detect_encoding(prefix, d);
    const std::optional<char> named = excel_separator_line(text, d);
    if (text.empty()) throw InputError("the file has no data: it holds only its \"sep=\" line");
    detect_line_end(text, d);
    detect_quote(text, d);
    if (forced_delimiter) d.delimiter = *forced_delimiter;
    else if (named) d.delimiter = *named;
    else detect_delimiter(text, d);
    if (forced_header) d.header = *forced_header;
    else detect_header(text, d);
    return d;
}

}  // namespace srm
