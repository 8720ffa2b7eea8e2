// The record tokenizer: RFC 4180 records with CR, LF or CRLF line ends.
#include "srm/csv.hpp"

#include "srm/errors.hpp"
#include "srm/text.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>

namespace srm {

namespace {

using Pending = Record::Pending;

// Length of a line terminator at q (0 if none).
inline int terminator(const char* q, const char* end)
{
    if (*q == '\n') return 1;
    if (*q == '\r') return (q + 1 < end && q[1] == '\n') ? 2 : 1;
    return 0;
}

// A quoted field from the opening quote at p: up to the closing quote, ""
// a literal quote. Returns the position after it (end when it never closes).
const char* quoted_field(const char* p, const char* end, const Dialect& d, Record& out, std::vector<Pending>& pending)
{
    const char quote = d.quote;
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
    if (p < end && *p != d.delimiter && !terminator(p, end)) {
        out.problem = Record::Problem::StrayQuote;
        while (p < end && *p != d.delimiter && !terminator(p, end)) ++p;
    }
    return p;
}

// An unquoted field from p: up to the next delimiter, CR or LF, eight bytes
// at a time. A quote inside it is an ordinary character.
const char* plain_field(const char* p, const char* end, char delim, Record& out)
{
    const char* start = p;
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
    while (p < end && *p != delim && *p != '\n' && *p != '\r') ++p;
    out.fields.emplace_back(start, static_cast<std::size_t>(p - start));
    return p;
}

const char* parse_record_impl(const char* p, const char* end, const Dialect& d, Record& out, std::vector<Pending>& pending)
{
    out.fields.clear();
    out.scratch.clear();
    out.line_breaks = 0;
    out.problem = Record::Problem::None;
    out.blank = false;
    if (p < end && terminator(p, end)) {
        out.blank = true;
        out.line_breaks = 1;
        return p + terminator(p, end);
    }
    while (true) {
        p = (p < end && *p == d.quote) ? quoted_field(p, end, d, out, pending) : plain_field(p, end, d.delimiter, out);
        if (p >= end) return end;
        if (*p == d.delimiter) {
            ++p;
            continue;
        }
        const int t = terminator(p, end);
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

}  // namespace srm
