// The CSV loader's state and phases (internal to ingest). Outline:
//  1. Open the source, read its first window, sniff the dialect, read the
//     header and a sample of rows and give each column a role (head.cpp).
//  2. Read the data window by window (a window is a batch of chunks). Per window:
//     a. parse the chunks in parallel (parse.cpp, one RowDecoder per chunk).
//        Every chunk but the first guesses that its first record starts
//        after its first line break; each guess is checked against where the
//        previous chunk's last record ended, and a wrong one (a quoted newline
//        near the boundary) is parsed again from there. A record the window
//        cuts off is left for the next window. Rows go into packed row
//        buffers, split by unit hash into partitions, with chunk-local
//        dictionaries;
//     b. merge the dictionaries, counters and rejected rows in file order;
//     c. fold the rows into the per-partition unit tables in parallel (each
//        partition sees its rows in file order, so "first" is well defined)
//        (fold.cpp).
//  3. Move the unit tables into the Dataset's arrays, in parallel (fold.cpp).
#pragma once

#include "roles_internal.hpp"
#include "rows_internal.hpp"
#include "source_internal.hpp"
#include "tables_internal.hpp"
#include "srm/ingest.hpp"

#include <memory>
#include <string>
#include <vector>

namespace srm::detail {

/// A stretch of the input in memory: records start at offsets from `base`;
/// `final` when it runs to the end of the input.
struct Window {
    const char* base = nullptr;
    std::size_t size = 0;
    bool final = false;
};

/// Local -> global codes of one chunk: the variant, then each dimension.
using ChunkRemap = std::vector<std::vector<std::uint16_t>>;

/// Everything the loader knows, in one place.
struct LoadState {
    LoadState(std::string p, const LoadOptions& o) : path(std::move(p)), opt(o) {}

    std::string path;
    const LoadOptions& opt;
    Dataset ds;
    RoleAssignment roles;
    std::size_t ncols = 0;
    std::size_t avg_record_bytes = 64;
    unsigned threads = 1;
    RowLayout layout;
    int combo_lo = -1, combo_hi = -1;  ///< the variant and dimension columns, when adjacent: [lo, hi]
    /// The variant-mirror column: for each variant name, the value it should show.
    std::vector<std::pair<std::string, std::string>> mirror_expected;

    // Global dictionaries and the unit tables.
    std::vector<LocalDict> global_dims;
    LocalDict global_variants{255};
    std::vector<std::unique_ptr<UnitTable>> tables;

    std::uint64_t outside_window = 0;
    Rejections rejected;                ///< counts by reason (kept rows are in ds.errors)
    std::array<std::uint64_t, static_cast<std::size_t>(RejectReason::kCount)> first_line_of{};
    std::uint64_t disagreeing_rows = 0;
    double trace[5] = {0, 0, 0, 0, 0};  ///< tables, parse, repair, merge, fold (SRM_LOAD_TRACE)
};

// Phase a: one chunk's records into its row buffers.
void parse_chunk(const LoadState& s, const Window& w, ChunkOut& c);
// Phase b: dictionaries, counters and errors of a window's chunks, in file order.
std::vector<ChunkRemap> merge_chunks(LoadState& s, std::vector<ChunkOut>& chunks, std::uint64_t& next_line);
// Phase c: the rows into the unit tables (unit ids), or as entries (none).
void fold_partition(LoadState& s, std::size_t part, std::vector<ChunkOut>& chunks, const std::vector<ChunkRemap>& remaps);
void append_rows(LoadState& s, std::vector<ChunkOut>& chunks, const std::vector<ChunkRemap>& remaps);
// 3: the unit tables into the dataset, then the dictionaries.
void move_tables_into_dataset(LoadState& s);
void finish_dictionaries(LoadState& s);

}  // namespace srm::detail
