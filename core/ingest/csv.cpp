#include "srm/csv.hpp"

#include "column_names_internal.hpp"
#include "srm/errors.hpp"
#include "srm/text.hpp"
#include "srm/timeparse.hpp"

#include <algorithm>
#include <array>
#include <cstring>
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

using Pending = Record::Pending;

const char* parse_record_impl(const char* p, const char* end, const Dialect& d, Record& out, std::vector<Pending>& pending)
{
    out.fields.clear();
    out.scratch.clear();
    out.line_breaks = 0;
    out.problem = Record::Problem::None;
    out.blank = false;
    const char delim = d.delimiter;
    const char quote = d.quote;

    // Line terminator at p? Returns its length (0 if none).
    auto terminator = [end](const char* q) -> int {
        if (*q == '\n') return 1;
        if (*q == '\r') return (q + 1 < end && q[1] == '\n') ? 2 : 1;
        return 0;
    };
    if (p < end && terminator(p)) {
        out.blank = true;
        out.line_breaks = 1;
        return p + terminator(p);
    }
    while (true) {
        if (p < end && *p == quote) {
            // Quoted field: up to the closing quote; "" is a literal quote.
            const char* start = ++p;
            bool escaped = false;
            while (true) {
                while (p < end && *p != quote) {
                    if (*p == '\n' || (*p == '\r' && !(p + 1 < end && p[1] == '\n'))) ++out.line_breaks;
                    ++p;
                }
                if (p >= end) {
                    out.problem = Record::Problem::UnterminatedQuote;
                    out.fields.emplace_back(start, static_cast<std::size_t>(p - start));
                    return end;
                }
                if (p + 1 < end && p[1] == quote) {
                    escaped = true;
                    p += 2;
                    continue;
                }
                break;
            }
            const char* stop = p++;  // past the closing quote
            if (escaped) {
                // Unescaped into scratch; the view is set once the record is
                // complete, as scratch may move while it grows.
                const std::size_t at = out.scratch.size();
                for (const char* q = start; q < stop; ++q) {
                    out.scratch.push_back(*q);
                    if (*q == quote) ++q;  // skip the doubled one
                }
                pending.push_back({out.fields.size(), at, out.scratch.size() - at});
                out.fields.emplace_back();
            } else {
                out.fields.emplace_back(start, static_cast<std::size_t>(stop - start));
            }
            // After the closing quote: a delimiter, a terminator or the end.
            if (p < end && *p != delim && !terminator(p)) {
                out.problem = Record::Problem::StrayQuote;
                while (p < end && *p != delim && !terminator(p)) ++p;
            }
        } else {
            const char* start = p;
            // Eight bytes at a time: find the first delimiter, CR or LF.
            const std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
            const std::uint64_t md = ones * static_cast<unsigned char>(delim);
            const std::uint64_t mn = ones * '\n', mr = ones * '\r';
            auto zero_bytes = [&](std::uint64_t v) { return (v - ones) & ~v & highs; };
            while (p + 8 <= end) {
                std::uint64_t w;
                std::memcpy(&w, p, 8);
                const std::uint64_t hit = zero_bytes(w ^ md) | zero_bytes(w ^ mn) | zero_bytes(w ^ mr);
                if (hit) {
                    p += __builtin_ctzll(hit) / 8;
                    break;
                }
                p += 8;
            }
            // A quote inside an unquoted field is an ordinary character.
            while (p < end && *p != delim && *p != '\n' && *p != '\r') ++p;
            out.fields.emplace_back(start, static_cast<std::size_t>(p - start));
        }
        if (p >= end) return end;
        if (*p == delim) {
            ++p;
            continue;
        }
        const int t = terminator(p);
        ++out.line_breaks;
        return p + t;
    }
}

}  // namespace

const char* parse_record(const char* p, const char* end, const Dialect& d, Record& out)
{
    out.pending.clear();
    const char* next = parse_record_impl(p, end, d, out, out.pending);
    for (const auto& f : out.pending) out.fields[f.field] = std::string_view(out.scratch.data() + f.at, f.size);
    return next;
}

Dialect sniff_dialect(std::string_view prefix, std::optional<char> forced_delimiter, std::optional<bool> forced_header)
{
    Dialect d;
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
    std::size_t controls = 0;
    for (std::size_t i = 0; i < probe; ++i) {
        const unsigned char c = static_cast<unsigned char>(prefix[i]);
        if (c == 0) throw InputError("the file contains NUL bytes: it is binary or UTF-16, not a UTF-8 CSV text file");
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++controls;
    }
    if (controls * 100 > probe) throw InputError("the file is binary, not a CSV text file");

    // Line end: the first terminator.
    if (const auto pos = prefix.find_first_of("\r\n"); pos != std::string_view::npos)
        d.line_end = prefix[pos] == '\n' ? "LF" : (pos + 1 < prefix.size() && prefix[pos + 1] == '\n') ? "CRLF" : "CR";

    // Quote: ' only where the text has no " but fields wrapped in '.
    if (prefix.find('"') == std::string_view::npos) {
        std::size_t wrapped = 0;
        for (std::size_t i = 0; i + 1 < prefix.size(); ++i)
            if (prefix[i] == '\'' && (i == 0 || prefix[i - 1] == ',' || prefix[i - 1] == ';' || prefix[i - 1] == '\t' ||
                                      prefix[i - 1] == '|' || prefix[i - 1] == '\n'))
                ++wrapped;
        if (wrapped >= 2) d.quote = '\'';
    }

    // Delimiter: the candidate giving the most consistent field count > 1
    // over the first records.
    auto sample_with = [&](char delim, std::size_t max_records) {
        Dialect t = d;
        t.delimiter = delim;
        std::vector<std::vector<std::string>> rows;
        const char* p = prefix.data();
        const char* end = prefix.data() + prefix.size();
        Record r;
        while (p < end && rows.size() < max_records) {
            const char* next = parse_record(p, end, t, r);
            const bool complete = next < end || prefix.size() < 65536 * 4;
            if (!r.blank && complete) {
                std::vector<std::string> f;
                for (auto v : r.fields) f.emplace_back(v);
                rows.push_back(std::move(f));
            }
            p = next;
        }
        return rows;
    };
    if (forced_delimiter) {
        d.delimiter = *forced_delimiter;
    } else {
        double best = -1;
        for (char c : {',', '\t', ';', '|'}) {
            const auto rows = sample_with(c, 60);
            if (rows.empty()) continue;
            std::map<std::size_t, std::size_t> freq;
            for (const auto& r : rows) ++freq[r.size()];
            const auto mode = std::max_element(freq.begin(), freq.end(),
                                               [](const auto& a, const auto& b) { return a.second < b.second; });
            if (mode->first < 2) continue;
            const double consistency = static_cast<double>(mode->second) / static_cast<double>(rows.size());
            const double score = consistency * 100.0 + std::min<double>(static_cast<double>(mode->first), 50.0) * 0.01;
            if (score > best + 1e-9) {
                best = score;
                d.delimiter = c;
            }
        }
    }

    // Header: the first record names columns if a name is a known one, or if
    // a column is numeric or a time below but not in the first record.
    if (forced_header) {
        d.header = *forced_header;
    } else {
        const auto rows = sample_with(d.delimiter, 50);
        d.header = true;
        if (!rows.empty()) {
            const auto& first = rows.front();
            bool known = std::any_of(first.begin(), first.end(), [](const auto& f) { return detail::is_known_column_name(f); });
            bool typed_below = false, typed_first = false;
            for (std::size_t c = 0; c < first.size(); ++c) {
                std::size_t typed = 0, seen = 0;
                for (std::size_t r = 1; r < rows.size(); ++r) {
                    if (c >= rows[r].size() || rows[r][c].empty()) continue;
                    ++seen;
                    if (parse_number(rows[r][c]) || looks_like_iso_time(rows[r][c])) ++typed;
                }
                const bool column_typed = seen > 0 && typed == seen;
                if (column_typed && !(parse_number(first[c]) || looks_like_iso_time(first[c]))) typed_below = true;
                if (column_typed && (parse_number(first[c]) || looks_like_iso_time(first[c]))) typed_first = true;
            }
            d.header = known || typed_below || (!typed_first && rows.size() == 1);
        }
    }
    return d;
}

}  // namespace srm
