// The experiment dataset: what the diagnosis needs from an export, not the
// raw rows. One entry per distinct unit (events with a unit column), per row
// (events without one) or per aggregated row (with its count as weight).
#pragma once

#include "srm/csv.hpp"

#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>
#include <string>
#include <vector>

namespace srm {

struct ColumnMapping {
    std::optional<std::string> time;
    std::optional<std::string> unit;
    std::string variant;
    std::optional<std::string> count;
    std::optional<std::string> event;
    std::optional<std::string> multi_variant, assigned_variant;  ///< aggregated counts only (Role)
    std::vector<std::string> dimensions;
    std::vector<std::string> metrics;
};

struct RowError {
    std::uint64_t line = 0;  ///< 1-based physical line, the header being line 1
    std::string message;
};

enum class Shape { Events, Aggregated };
const char* to_string(Shape s) noexcept;

/// What a column is for. Hour: an hour of day (0-23) added to a date-only
/// time column. Mirror: a column that names the arm in its own words
/// (landing_page = old_page / new_page), checked against the variant.
/// MultiVariant and AssignedVariant: columns of aggregated counts (the
/// warehouse query's, srm-check --print-sql) that carry what event files
/// tell per unit: a 0/1 flag, the row's units were exposed in more than one
/// variant; the variant the row's units were first assigned to (empty: not
/// assigned; a row with it but no variant counts units assigned, never exposed).
enum class Role { Ignore, Time, Unit, Variant, Count, Event, Dimension, Metric, Inclusion, Hour, Mirror, MultiVariant, AssignedVariant };
const char* to_string(Role r) noexcept;

/// What a reviewer must know about how the file was read (contract:
/// input.warnings): a column that mirrors the variant, duplicate header
/// names, a column ignored and why, rows rejected by reason, ...
struct InputWarning {
    std::string code;
    std::string message;
    std::optional<std::string> column;
    std::optional<std::uint64_t> rows;
};

struct ColumnInfo {
    std::string name;
    Role role = Role::Ignore;
    std::string reason;  ///< why: "by name", "by content: ...", "set by --unit-col"
};

struct DimensionInfo {
    std::string name;
    std::vector<std::string> values;  ///< dictionary: code -> value
    bool excluded = false;            ///< more distinct values than allowed: left out of the breakdown
    std::uint64_t distinct = 0;       ///< distinct values seen (a lower bound when excluded)
};

struct MetricInfo {
    std::string name;
    bool binary = true;  ///< only 0/1 seen: per unit "any" (max); otherwise per-unit sum
};

/// Per-entry flag bits.
enum EntryFlag : std::uint8_t {
    kExposed = 1,   ///< counts in the SRM population
    kAssigned = 2,  ///< has an assignment event (event-type column)
    kJumped = 4,    ///< seen in more than one variant (exposures)
    kIncluded = 8,  ///< force-included by hand (inclusion flag column)
    kDisagreed = 16,  ///< on a row whose variant-mirror column names another arm
};

/// Allocator that leaves trivial values uninitialised when a vector grows by
/// resize(): a column can be sized and then filled by several threads without
/// being zeroed first (which would touch all its memory at once).
template <class T>
struct UninitAllocator : std::allocator<T> {
    template <class U>
    struct rebind {
        using other = UninitAllocator<U>;
    };
    UninitAllocator() = default;
    template <class U>
    UninitAllocator(const UninitAllocator<U>&) noexcept
    {
    }
    template <class U>
    void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>)
    {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args)
    {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

/// One array of the dataset's structure of arrays.
template <class T>
using Column = std::vector<T, UninitAllocator<T>>;

constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();
constexpr std::uint16_t kNoCode = 0xFFFF;

struct Dataset {
    std::string file;
    Dialect dialect;
    Shape shape = Shape::Events;
    std::vector<ColumnInfo> columns;
    std::vector<std::string> variants;  ///< variant dictionary: code -> name
    std::vector<DimensionInfo> dimensions;
    std::vector<MetricInfo> metrics;
    bool has_time = false, has_unit = false, has_event = false, has_inclusion = false;
    bool has_multi_variant = false;  ///< aggregated counts with a Role::MultiVariant column

    // Entries, structure of arrays (all the same length, dims/metrics strided).
    Column<std::int64_t> first_time;      ///< us since epoch of the first exposure (kNoTime when none)
    Column<std::uint8_t> variant;         ///< variant of the first exposure
    Column<std::uint8_t> assigned_variant;  ///< variant of the first assignment (when kAssigned)
    Column<std::uint8_t> flags;
    Column<std::uint64_t> weight;         ///< aggregated counts; empty = weight 1 each
    Column<std::uint16_t> dim_codes;      ///< entries x dimensions
    Column<double> metric_values;         ///< entries x metrics

    std::int64_t min_time = kNoTime, max_time = kNoTime;  ///< span of the exposed entries' first times (us)

    std::uint64_t rows_read = 0;       ///< data records read (not counting blank lines and the header)
    std::uint64_t rows_rejected = 0;
    std::uint64_t rows_other_events = 0;  ///< rows whose event type is neither assignment nor exposure
    std::uint64_t rows_outside_window = 0;  ///< rows outside the analysis window (LoadOptions::window_*)
    std::uint64_t blank_lines = 0;
    std::vector<RowError> errors;      ///< the first rejected rows, in file order
    std::vector<InputWarning> warnings;
    /// The variant-mirror column, when there is one: its name and the value
    /// each variant should show there.
    std::optional<std::string> mirror_column;
    std::vector<std::pair<std::string, std::string>> mirror_expected;
    std::uint64_t mirror_disagreeing_rows = 0;
    /// Rejected rows by reason code (field_count, bad_time, ...), with the
    /// first line of each, in the order the reasons were first met.
    struct Rejection {
        std::string reason;
        std::uint64_t rows = 0, first_line = 0;
    };
    std::vector<Rejection> rejected_by_reason;
    std::string compression = "plain";  ///< plain, gzip, zstd, zip (member)
    std::uint64_t input_bytes = 0;      ///< bytes read (decompressed)

    std::size_t size() const noexcept { return variant.size(); }
    std::uint64_t weight_of(std::size_t i) const noexcept { return weight.empty() ? 1 : weight[i]; }
    std::uint16_t dim(std::size_t i, std::size_t d) const noexcept { return dim_codes[i * dimensions.size() + d]; }
    double metric(std::size_t i, std::size_t m) const noexcept { return metric_values[i * metrics.size() + m]; }

    /// Column mapping as the report states it.
    ColumnMapping mapping() const;
};

}  // namespace srm
