// Reads a small per-variant counts table (variant,units[,weight]).
#pragma once

#include "srm/report.hpp"

#include <string>
#include <vector>

namespace srm {

struct CountsTable {
    std::vector<VariantInput> variants;  ///< weight 0 where the file has no weight column
    bool has_weights = false;
    InputSummary input;
};

/// Throws InputError (with the line number) on a malformed table.
CountsTable read_counts_csv(const std::string& path);

}  // namespace srm
