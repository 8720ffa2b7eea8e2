// srm-check's command line, as a function so that mains stay thin and tests
// can call it in-process as well as through the binary.
#pragma once

#include "srm/analysis.hpp"
#include "srm/document.hpp"
#include "srm/text.hpp"
#include "srm/report.hpp"
#include "srm/warehouse.hpp"

#include <functional>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace srm {

/// srm-check's documented exit codes.
enum ExitCode : int {
    kExitHealthy = 0,      ///< health: healthy
    kExitSrm = 1,          ///< health: warn, severe or segment_limited
    kExitCheckFailed = 2,  ///< health: check_failed
    kExitUsage = 64,     ///< the command line is wrong (EX_USAGE)
    kExitBadInput = 65,  ///< the data cannot be analysed (EX_DATAERR), or health input_problem
    kExitUnavailable = 69,  ///< --db: the database cannot be reached, refused the login or dropped the connection (EX_UNAVAILABLE)
    kExitInternal = 70,  ///< a defect in srm-check itself (EX_SOFTWARE)
    kExitIo = 74,        ///< the report could not be written (EX_IOERR)
};


/// The ranges srm-check's options accept. The workbench checks a saved
/// session's settings against the same numbers.
struct CheckOptionLimits {
    static constexpr double max_practical_pp = 100.0;            ///< --min-practical-pp, from 0
    static constexpr std::size_t max_near_hours = 24 * 365;      ///< --near-hours, from 1
    static constexpr std::size_t max_segment_units = 1000000000; ///< --min-segment-units, from 1
    static constexpr std::size_t max_dimension_values = 65000;   ///< --max-dimension-values, from 1
    /// --delimiter: one of , ; | and tab.
    static constexpr bool delimiter(char c) noexcept { return c == ',' || c == ';' || c == '|' || c == '\t'; }
};

/// srm-check's command line read into a request (srm-workbench takes the
/// same options). Throws UsageError for a wrong one.
struct CheckCommandLine {
    AnalysisRequest request;
    bool help = false, version = false, json = false;
};
CheckCommandLine parse_check_command_line(const std::vector<std::string>& args);

/// Whether srm-check's arguments name an input of their own (a FILE, "-",
/// --counts, or a table with --print-sql or --db), read with srm-check's own
/// table of options, so that no option's value is taken for a file and no
/// file for an option's value. Throws UsageError for an unknown option or a
/// missing value.
bool check_arguments_name_input(const std::vector<std::string>& args);

/// The options part of srm-check's --help (reading the file, the plan, the thresholds).
const char* check_options_help() noexcept;

/// What srm-check uses beyond core: the PDF renderer of --report and the
/// database client of --db (Qt's, given by the main; none leaves them out),
/// and the clock for the report's date.
struct ReportRenderers {
    /// Writes the document as PDF to the path (atomically) on "a4" or
    /// "letter" paper; throws std::runtime_error when it cannot.
    std::function<void(const ReportDocument&, const std::string& path, const std::string& page_size)> pdf;
    std::function<std::int64_t()> now;  ///< seconds since the epoch; none leaves the date out
    /// Runs the query on the database and returns its result as CSV (a
    /// header, then the rows; NULL as an empty field). Throws DatabaseError
    /// when the database cannot be used, InputError when it rejects the query.
    std::function<std::string(const DatabaseUrl&, const std::string& sql)> database;
};

/// The request that diagnoses a table's warehouse query: `fetch` runs the
/// query (on the loading thread) and gives its result as CSV; the result is
/// read as the aggregated counts it is, named `source` in the report. Of
/// `base`, the plan, side files, thresholds and the reading of dimensions
/// are kept; the column options (the table's, not the result's) and the
/// window (applied by the query) are not.
AnalysisRequest table_query_request(const AnalysisRequest& base, const std::string& source,
                                    std::function<std::string(const ProgressFn&, const std::atomic<bool>*)> fetch);

/// Runs srm-check with its arguments (without the program name).
int run_srm_check(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const ReportRenderers& renderers = {});


}  // namespace srm
