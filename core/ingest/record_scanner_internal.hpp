// A fast path of the CSV tokenizer for the common record: ends with LF or
// CRLF, exactly the expected number of fields, fields plain or quoted as a
// whole without doubled quotes or line breaks inside.
// A record of plain fields that ends within the 128 bytes at its start (most
// exports) is read without a branch per field: two masks of the bytes there
// (delimiters; line ends and quotes) give the record's end and, by their
// bits, its fields. Other records are read 64 bytes at a time, the bits of a
// block kept for the next record, so each byte is classified once. Both use
// SSE2 on x86-64 and a byte loop elsewhere. Every record it does not take (doubled
// quotes, line breaks inside quotes, a quote inside a field, blank lines, a
// lone CR, another number of fields, the last 64 bytes of the data) is left
// to parse_record(); for every record it takes, parse_record() gives the same
// fields (a unit test and the fuzz target check this).
#pragma once

#include "srm/csv.hpp"

#include <cstdint>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace srm {

class RecordScanner {
public:
    RecordScanner(const Dialect& d, const char* end) : end_(end), delim_(d.delimiter), quote_(d.quote) {}

    /// Reads the record at `p` into out[0, ncols) and returns where the next
    /// record starts, or nullptr when the record is not one it takes (then
    /// nothing is consumed and parse_record() must read it).
    const char* scan(const char* p, std::string_view* out, std::size_t ncols)
    {
        if (!block_) {
            if (const char* next = scan_short(p, out, ncols)) return next;
        }
        quoted_ = false;
        const char* next = scan_blocks(p, out, ncols);
        // Back to the short path after a record that it could have read
        // (an export of quoted fields stays with the blocks).
        if (next && next - p <= 128 && !quoted_) miss();
        return next;
    }

private:
    // A record of plain fields ending (LF or CRLF) within the 128 bytes at
    // p, or null. The delimiters before the first line end or quote are the
    // fields' ends: checked to be ncols - 1 and read off by their bits.
    const char* scan_short(const char* p, std::string_view* out, std::size_t ncols) const
    {
        if (end_ - p < 64) return nullptr;
        std::uint64_t d0, s0, d1 = 0, s1 = 0;
        masks_at(p, d0, s0);
        unsigned at;  // the first line end or quote
        if (s0) {
            at = static_cast<unsigned>(__builtin_ctzll(s0));
            d0 &= (1ULL << at) - 1;
        } else {
            if (end_ - p < 128) return nullptr;
            masks_at(p + 64, d1, s1);
            if (!s1) return nullptr;
            const auto k = static_cast<unsigned>(__builtin_ctzll(s1));
            at = 64 + k;
            d1 &= k ? ~0ULL >> (64 - k) : 0;
        }
        const char* stop = p + at;
        const char* next;
        if (*stop == '\n')
            next = stop + 1;
        else if (*stop == '\r' && end_ - stop > 1 && stop[1] == '\n')
            next = stop + 2;
        else
            return nullptr;  // a quote or a lone CR
        if (at == 0) return nullptr;  // a blank line
        const char* start = p;
        std::size_t off = 0;
        for (std::size_t f = 0; f + 1 < ncols; ++f) {
            if (d0 == 0) {
                if (d1 == 0) return nullptr;  // too few fields
                d0 = d1;
                d1 = 0;
                off = 64;
            }
            const char* c = p + off + __builtin_ctzll(d0);
            d0 &= d0 - 1;
            out[f] = std::string_view(start, static_cast<std::size_t>(c - start));
            start = c + 1;
        }
        if (d0 | d1) return nullptr;  // too many fields
        out[ncols - 1] = std::string_view(start, static_cast<std::size_t>(stop - start));
        return next;
    }

    const char* scan_blocks(const char* p, std::string_view* out, std::size_t ncols)
    {
        if (!(block_ && p >= block_ && p < block_ + 64)) {
            if (end_ - p < 64) return miss();
            block_ = p;
            bits_ = mask_at(p);
        } else {
            bits_ &= ~0ULL << (p - block_);
        }
        std::size_t f = 0;
        const char* start = p;         // where the current field begins
        const char* closed = nullptr;  // its closing quote, when it is quoted
        for (;;) {
            const char* c = next();
            if (!c) return miss();
            const char ch = *c;
            if (ch == delim_) {  // the commonest: a field ends
                if (closed && closed + 1 != c) return miss();  // text after the closing quote
                if (f + 1 >= ncols) return miss();
                out[f++] = field(start, c, closed);
                start = c + 1;
                closed = nullptr;
                continue;
            }
            if (ch == quote_) {
                // A quote opens a field only at its start (elsewhere it is
                // text, left to parse_record). Delimiters up to the closing
                // quote are text; a line break or a doubled quote inside is
                // left to parse_record too.
                if (c != start || closed) return miss();
                quoted_ = true;
                for (;;) {
                    const char* q = next();
                    if (!q) return miss();
                    if (*q == quote_) {
                        closed = q;
                        break;
                    }
                    if (*q != delim_) return miss();
                }
                continue;
            }
            // A line end: the record ends here.
            if (closed && closed + 1 != c) return miss();
            if (c == p || f + 1 != ncols) return miss();  // blank line, or too few fields
            if (ch == '\n') {
                out[f] = field(start, c, closed);
                return c + 1;
            }
            if (ch == '\r' && c + 1 < end_ && c[1] == '\n') {
                out[f] = field(start, c, closed);
                return c + 2;
            }
            return miss();  // a lone CR
        }
    }

    // The field from `start` to `stop`, without its quotes when `closed` is set.
    static std::string_view field(const char* start, const char* stop, const char* closed)
    {
        return closed ? std::string_view(start + 1, static_cast<std::size_t>(closed - start - 1))
                      : std::string_view(start, static_cast<std::size_t>(stop - start));
    }

    // The next delimiter, line end or quote, or null near the end of the data.
    const char* next()
    {
        while (bits_ == 0) {
            const char* following = block_ + 64;
            if (end_ - following < 64) return nullptr;
            block_ = following;
            bits_ = mask_at(following);
        }
        const char* c = block_ + __builtin_ctzll(bits_);
        bits_ &= bits_ - 1;
        return c;
    }

    const char* miss()
    {
        block_ = nullptr;
        bits_ = 0;
        return nullptr;
    }

    // Bit i of `delims`: q[i] is a delimiter; of `stops`: a LF, CR or quote.
    void masks_at(const char* q, std::uint64_t& delims, std::uint64_t& stops) const
    {
#if defined(__SSE2__)
        const __m128i d = _mm_set1_epi8(delim_), n = _mm_set1_epi8('\n'), r = _mm_set1_epi8('\r'), qt = _mm_set1_epi8(quote_);
        delims = stops = 0;
        for (int k = 0; k < 4; ++k) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 16 * k));
            const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, n), _mm_cmpeq_epi8(x, r)), _mm_cmpeq_epi8(x, qt));
            delims |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, d)))) << (16 * k);
            stops |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(stop))) << (16 * k);
        }
#else
        delims = stops = 0;
        for (int i = 0; i < 64; ++i) {
            const char c = q[i];
            if (c == delim_) delims |= 1ULL << i;
            else if (c == '\n' || c == '\r' || c == quote_) stops |= 1ULL << i;
        }
#endif
    }

    // Bit i set: q[i] is a delimiter, LF, CR or quote.
    std::uint64_t mask_at(const char* q) const
    {
        std::uint64_t delims, stops;
        masks_at(q, delims, stops);
        return delims | stops;
    }

    const char* end_;
    char delim_, quote_;
    const char* block_ = nullptr;  // the block whose unread structural bits are in bits_
    std::uint64_t bits_ = 0;
    bool quoted_ = false;  // the last record read by blocks had a quoted field
};

}  // namespace srm
