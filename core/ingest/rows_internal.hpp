// The loader's intermediate stage (internal to ingest): parsed rows packed
// into byte buffers per partition, and what one chunk of the input produced
// (rows, counters, rejected rows by reason, chunk-local dictionaries).
#pragma once

#include "tables_internal.hpp"
#include "srm/dataset.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace srm::detail {

constexpr unsigned kPartitionBits = 3;
constexpr unsigned kPartitions = 1u << kPartitionBits;

[[gnu::always_inline]] inline bool blank_char(char c) { return c == ' ' || c == '\t'; }

[[gnu::always_inline]] inline std::string_view trim(std::string_view s)
{
    // Most fields have nothing to trim: one compare per end (both blanks sort at or below ' ').
    if (s.empty() || (static_cast<unsigned char>(s.front()) > ' ' && static_cast<unsigned char>(s.back()) > ' ')) return s;
    while (!s.empty() && blank_char(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank_char(s.back())) s.remove_suffix(1);
    return s;
}

// Copies n codes; the usual small counts as fixed-size copies (no call).
[[gnu::always_inline]] inline void copy_codes(void* to, const std::uint16_t* from, std::size_t n)
{
    switch (n) {
    case 0: return;
    case 1: std::memcpy(to, from, 2); return;
    case 2: std::memcpy(to, from, 4); return;
    case 3: std::memcpy(to, from, 6); return;
    case 4: std::memcpy(to, from, 8); return;
    case 5: std::memcpy(to, from, 10); return;
    case 6: std::memcpy(to, from, 12); return;
    case 7: std::memcpy(to, from, 14); return;
    case 8: std::memcpy(to, from, 16); return;
    default: std::memcpy(to, from, 2 * n);
    }
}

// Where a parsed row's values sit in the row buffers: one packed record per
// row (a single write stream per partition while parsing, a single read
// stream while folding).
struct RowLayout {
    RowLayout() = default;
    RowLayout(bool unit, bool count, std::size_t dims, std::size_t metrics, bool assigned_col = false)
    {
        std::size_t o = 0;
        key = o;
        o += unit ? 8 : 0;
        time = o;
        o += 8;
        weight = o;
        o += count ? 8 : 0;
        metric = o;
        o += 8 * metrics;
        dim = o;
        o += 2 * dims;
        variant = o++;
        kind = o++;
        assigned = assigned_col ? o++ : 0;
        stride = o;
    }
    std::size_t key = 0, time = 0, weight = 0, metric = 0, dim = 0, variant = 0, kind = 0, assigned = 0, stride = 0;
};

// Bits of a row's kind byte beside its EventKind (low nibble).
constexpr unsigned char kRowIncluded = 0x10;   ///< force-included by hand
constexpr unsigned char kRowDisagrees = 0x20;  ///< the variant-mirror column names another arm
constexpr unsigned char kRowAssigned = 0x40;   ///< aggregated: the units were also assigned (to the variant at RowLayout::assigned)
constexpr unsigned char kRowMulti = 0x80;      ///< aggregated: the units were exposed in more than one variant

// A growing byte buffer of packed rows, kept (with its memory) from batch to batch.
struct RowBuf {
    void clear()
    {
        used = 0;
        rows = 0;
    }
    unsigned char* append(std::size_t stride)
    {
        if (used + stride > bytes.size()) bytes.resize(std::max(bytes.size() * 2, used + stride + 4096));
        unsigned char* r = bytes.data() + used;
        used += stride;
        ++rows;
        return r;
    }
    void reserve(std::size_t n) { bytes.resize(std::max(bytes.size(), n)); }
    const unsigned char* row(std::size_t i, std::size_t stride) const { return bytes.data() + i * stride; }
    std::vector<unsigned char> bytes;
    std::size_t used = 0, rows = 0;
};

/// Why a row was rejected; the codes of `input.rejected_by_reason`.
enum class RejectReason : std::uint8_t {
    FieldCount,
    UnterminatedQuote,
    StrayQuote,
    MissingVariant,
    TooManyVariants,
    MissingTime,
    BadTime,
    BadHour,
    MissingUnit,
    BadCount,
    BadMetric,
    BadFlag,
    NulByte,
    kCount
};
const char* reason_code(RejectReason r) noexcept;

/// Rejected rows of a chunk: counts per reason and the first rows kept with
/// their messages (line offsets within the chunk).
struct Rejections {
    static constexpr std::uint64_t kNone = ~std::uint64_t{0};
    std::array<std::uint64_t, static_cast<std::size_t>(RejectReason::kCount)> counts{};
    std::array<std::uint64_t, static_cast<std::size_t>(RejectReason::kCount)> first{};  ///< line offset, or kNone
    std::vector<std::pair<std::uint64_t, std::string>> kept;
    std::uint64_t total = 0;
    void clear()
    {
        counts.fill(0);
        first.fill(kNone);
        kept.clear();
        total = 0;
    }
};

struct ChunkOut {
    std::size_t begin = 0, end = 0;  // byte range (offsets into the window)
    std::size_t first = 0;           // where its first record starts (a guess until verified)
    std::size_t stop = 0;            // where its last complete record ends
    bool exact_start = false;        // `first` is known to be a record start
    std::uint64_t lines = 0, rows = 0, blank = 0, other = 0, outside = 0, disagreeing = 0;
    Rejections rejected;
    LocalDict variants;
    std::vector<LocalDict> dims;
    std::vector<bool> metric_nonbinary;
    std::vector<RowBuf> parts;
};

}  // namespace srm::detail
