// A fast path of the CSV tokenizer for the common record: ends with LF or
// CRLF, exactly the expected number of fields, fields plain or quoted as a
// whole without doubled quotes or line breaks inside.
// It finds delimiters and line ends 64 bytes at a time (SSE2 on x86-64, a
// byte loop elsewhere) and keeps the bits of a block for the next record, so
// each byte is classified once. Every record it does not take (doubled
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

private:
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

    // Bit i set: q[i] is a delimiter, LF, CR or quote.
    std::uint64_t mask_at(const char* q) const
    {
#if defined(__SSE2__)
        const __m128i d = _mm_set1_epi8(delim_), n = _mm_set1_epi8('\n'), r = _mm_set1_epi8('\r'), qt = _mm_set1_epi8(quote_);
        std::uint64_t m = 0;
        for (int k = 0; k < 4; ++k) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + 16 * k));
            const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, d), _mm_cmpeq_epi8(x, n)),
                                             _mm_or_si128(_mm_cmpeq_epi8(x, r), _mm_cmpeq_epi8(x, qt)));
            m |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(hit))) << (16 * k);
        }
        return m;
#else
        std::uint64_t m = 0;
        for (int i = 0; i < 64; ++i) {
            const char c = q[i];
            if (c == delim_ || c == '\n' || c == '\r' || c == quote_) m |= 1ULL << i;
        }
        return m;
#endif
    }

    const char* end_;
    char delim_, quote_;
    const char* block_ = nullptr;  // the block whose unread structural bits are in bits_
    std::uint64_t bits_ = 0;
};

}  // namespace srm
