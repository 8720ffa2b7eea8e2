// Loading exposure exports (CSV) into a Dataset: dialect sniffing, column
// roles, chunked parallel parsing with progress and cancellation.
#pragma once

#include "srm/dataset.hpp"
#include "srm/errors.hpp"

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace srm {

struct LoadOptions {
    std::optional<Shape> shape;  ///< unset: detected
    std::optional<std::string> time_col, unit_col, variant_col, count_col, event_col, inclusion_col;
    /// Aggregated counts only: a 0/1 column, the row's units were exposed in
    /// more than one variant; the variant they were first assigned to.
    std::optional<std::string> multi_variant_col, assigned_variant_col;
    std::optional<std::string> hour_col;     ///< an hour of day (0-23) added to a date-only time column
    std::optional<std::string> time_format;  ///< strftime-style layout of the time column (TimestampFormat)
    std::optional<int> time_year;            ///< the year, for a time format without one
    std::optional<std::vector<std::string>> dimensions, metrics;  ///< set: exactly these
    std::optional<char> delimiter;
    std::optional<bool> header;
    bool strict = false;                   ///< the first bad row is fatal
    std::size_t max_dimension_values = 200;
    std::size_t max_errors_kept = 1000;
    unsigned threads = 0;                  ///< 0: all cores
    std::size_t chunk_bytes = 0;           ///< parallel chunk size; 0: automatic (tests force tiny chunks)
    std::size_t window_bytes = 0;          ///< bytes read at a time; 0: automatic (tests force small windows)
    std::size_t max_record_bytes = std::size_t(256) << 20;  ///< a longer record is refused (no line end: not a CSV)
    /// Only exposures in [window_start, window_end] (us) count, each unit in
    /// the variant of its first exposure there.
    std::optional<std::int64_t> window_start, window_end;
    /// Before reading past the first window of a file with unit ids: the
    /// memory its distinct units will need, estimated from that window's,
    /// against the memory available (MemAvailable; `memory_available` when
    /// set, for tests); more than there is refuses the file (InputError).
    bool memory_check = true;
    std::optional<std::uint64_t> memory_available;
    std::function<void(double)> progress;  ///< fraction of the file read (negative: size unknown)
    const std::atomic<bool>* cancel = nullptr;
};

/// The first rows and the detected mapping, for an import preview.
struct Preview {
    Dialect dialect;
    Shape shape = Shape::Events;
    std::vector<ColumnInfo> columns;
    std::vector<std::vector<std::string>> rows;  ///< up to the requested number of data rows
};

/// Loads a CSV export. Throws InputError (with a line number where there is
/// one) for a file that cannot be used, Cancelled when cancelled.
Dataset load_csv(const std::string& path, const LoadOptions& options = {});

/// The same for CSV bytes in memory (`name` stands for the file in messages).
Dataset load_csv_memory(std::string_view bytes, const std::string& name, const LoadOptions& options = {});

/// Reads the file's head: dialect, detected column roles and the first rows.
Preview preview_csv(const std::string& path, const LoadOptions& options = {}, std::size_t rows = 50);

}  // namespace srm
