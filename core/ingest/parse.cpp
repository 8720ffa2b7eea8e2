// Phase a of the loader: one chunk of a window into row buffers. Records
// without quotes inside go through the RecordScanner fast path, the others
// through parse_record; a record the window cuts off is left for the next.
#include "loader_internal.hpp"
#include "record_scanner_internal.hpp"
#include "row_decoder_internal.hpp"

#include <algorithm>
#include <cstring>

namespace srm::detail {

namespace {

// Prepares the chunk's counters, dictionaries and row buffers.
void reset_chunk(const LoadState& s, ChunkOut& c)
{
    c.lines = c.rows = c.blank = c.other = c.outside = c.disagreeing = 0;
    c.rejected.clear();
    c.variants = LocalDict(255);
    c.dims.assign(s.ds.dimensions.size(), LocalDict(s.opt.max_dimension_values));
    c.metric_nonbinary.assign(s.ds.metrics.size(), false);
    c.parts.resize(s.roles.unit >= 0 ? kPartitions : 1);
    const std::size_t expect = (c.end - c.begin) / std::max<std::size_t>(s.avg_record_bytes, 8) / c.parts.size() * 5 / 4 + 16;
    for (auto& b : c.parts) {
        b.clear();
        b.reserve(expect * s.layout.stride);
    }
}

// Whether parse_record stopped at a record the window cut off: it ran to the
// end without a line end (a CR at the very end may be half of a CRLF).
// A record that runs to the end of a window that is not the last may go
// on in the next one: one not ended by a line end, or one whose quote is
// still open (a quoted line end can be the window's last byte).
bool cut_off(const Window& w, const char* next, const Record& rec)
{
    return !w.final && next == w.base + w.size &&
           (w.size == 0 || w.base[w.size - 1] != '\n' || rec.problem == Record::Problem::UnterminatedQuote);
}

}  // namespace

void parse_chunk(const LoadState& s, const Window& w, ChunkOut& c)
{
    const char* base = w.base;
    const char* end = base + w.size;
    const char* chunk_end = base + c.end;
    const char* p = base + c.first;
    if (!c.exact_start) {
        p = base + c.begin;
        while (p < chunk_end && !(p[-1] == '\n' || (p[-1] == '\r' && *p != '\n'))) ++p;
        c.first = static_cast<std::size_t>(p - base);
    }
    reset_chunk(s, c);
    const Dialect& dialect = s.ds.dialect;
    RowDecoder decoder(s, c, base, end);
    RecordScanner scanner(dialect, end);
    std::vector<std::string_view> fields(s.ncols);
    Record rec;
    std::uint64_t line = 0;
    // A NUL byte is not text: the row holding one is rejected. The next one is
    // found by memchr over the chunk (and over a record running past it).
    const char* nul = static_cast<const char*>(std::memchr(p, 0, p < chunk_end ? static_cast<std::size_t>(chunk_end - p) : 0));
    auto holds_nul = [&](const char* from, const char* to) {
        if (!nul && to > chunk_end) nul = static_cast<const char*>(std::memchr(std::max(from, chunk_end), 0, static_cast<std::size_t>(to - std::max(from, chunk_end))));
        if (!nul || nul >= to) return false;
        nul = to < chunk_end ? static_cast<const char*>(std::memchr(to, 0, static_cast<std::size_t>(chunk_end - to))) : nullptr;
        return true;
    };
    auto reject_nul = [&](std::uint64_t at) { decoder.reject(at, RejectReason::NulByte, "a NUL byte (0x00) in the row: it is not text"); };
    while (p < chunk_end) {
        const std::uint64_t here = line;
        if (const char* next = scanner.scan(p, fields.data(), s.ncols)) {
            const bool bad = holds_nul(p, next);
            p = next;
            ++line;
            ++c.rows;
            if (bad) reject_nul(here);
            else decoder.take(here, fields.data(), true);
            continue;
        }
        const char* next = parse_record(p, end, dialect, rec);
        if (cut_off(w, next, rec)) break;
        const bool bad = holds_nul(p, next);
        p = next;
        line += rec.line_breaks;
        if (rec.blank && !bad) {
            ++c.blank;
            continue;
        }
        ++c.rows;
        if (bad) {
            reject_nul(here);
            continue;
        }
        if (rec.problem == Record::Problem::UnterminatedQuote) {
            decoder.reject(here, RejectReason::UnterminatedQuote,
                           "unterminated quote: a quoted field never closes (it runs to the end of the file)");
            continue;
        }
        if (rec.problem == Record::Problem::StrayQuote) {
            decoder.reject(here, RejectReason::StrayQuote, std::string("text after the closing quote of a quoted field (") + dialect.quote + ")");
            continue;
        }
        if (rec.fields.size() != s.ncols) {
            decoder.reject(here, RejectReason::FieldCount,
                           "expected " + std::to_string(s.ncols) + " fields, found " + std::to_string(rec.fields.size()));
            continue;
        }
        decoder.take(here, rec.fields.data(), false);
    }
    c.lines = line;
    c.stop = static_cast<std::size_t>(p - base);
}

const char* reason_code(RejectReason r) noexcept
{
    switch (r) {
    case RejectReason::FieldCount: return "field_count";
    case RejectReason::UnterminatedQuote: return "unterminated_quote";
    case RejectReason::StrayQuote: return "stray_quote";
    case RejectReason::MissingVariant: return "missing_variant";
    case RejectReason::TooManyVariants: return "too_many_variants";
    case RejectReason::MissingTime: return "missing_time";
    case RejectReason::BadTime: return "bad_time";
    case RejectReason::BadHour: return "bad_hour";
    case RejectReason::MissingUnit: return "missing_unit";
    case RejectReason::BadCount: return "bad_count";
    case RejectReason::BadMetric: return "bad_metric";
    case RejectReason::BadFlag: return "bad_flag";
    case RejectReason::NulByte: return "nul_byte";
    case RejectReason::kCount: break;
    }
    return "other";
}

}  // namespace srm::detail
