#include "srm/cli.hpp"

#include "srm/analysis.hpp"
#include "srm/document.hpp"
#include "srm/render.hpp"
#include "srm/timeparse.hpp"
#include "srm/timeutil.hpp"
#include "srm/warehouse.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>

namespace srm {

namespace {

constexpr const char* kUsageHead = R"(Usage: srm-check [FILE | - | --counts NAME=N,...] [options]

Tells whether an experiment's traffic split matches its planned allocation
(Sample Ratio Mismatch, SRM) and prints a reviewer's report.

Input (one of):
  FILE                      an export: exposure events (one row per event) or
                            aggregated counts (one row per period, variant and
                            dimension values with a count of units); plain,
                            .gz (also multi-member), .zst or a .zip holding
                            one CSV (told by content)
  -                         the same from standard input (a pipe)
  --counts NAME=N,...       units per variant, e.g. control=821588,treatment=815482

Or, for an exposure log in a warehouse, print the query that aggregates it
there (its result, saved as CSV, is a FILE for srm-check):
  --print-sql ENGINE        postgresql, duckdb, sqlite, bigquery, snowflake,
                            redshift, databricks (Spark SQL), clickhouse or
                            trino; needs --table, --unit-col, --variant-col and
                            --time-col, takes --dimensions, --event-col and
                            --window; names are quoted exactly as given
  --db URL                  run that query on a database and diagnose its
                            result: postgresql://USER@HOST[:PORT]/DATABASE
                            (the password from PGPASSWORD or ~/.pgpass) or
                            sqlite:///path/to/file.db; takes --table and the
                            column options as --print-sql does
  --table T                 the table (or schema.table, project.dataset.table)
  --bucket hour|day         the result's time buckets (default: hour)

)";

constexpr const char* kOptions = R"(Reading the file (detected when not given):
  --shape events|aggregated
  --time-col C, --unit-col C, --variant-col C, --count-col C, --event-col C,
  --inclusion-col C, --hour-col C, --multi-variant-col C,
  --assigned-variant-col C  the column that has each role (--hour-col: an
                            hour of day 0-23 added to a date-only time; the
                            last two, of aggregated counts: a 0/1 flag of
                            units exposed in more than one variant, the
                            variant first assigned; srm_multi_variant and
                            srm_assigned_variant are found by name)
  --time-format F           the time column's layout, strftime-style, e.g.
                            '%m/%d/%Y %H:%M' or '%d.%m.%Y' (default: ISO 8601,
                            epoch numbers or a common layout, told from the
                            values)
  --time-year Y             the year, for a --time-format without one
  --dimensions A,B          exactly these columns are dimensions
  --metrics A,B             exactly these columns are metrics
  --delimiter D             one of , ; | tab
  --no-header               the first row is data
  --strict                  stop at the first bad row (default: reject it,
                            count it, list it with its line number, go on)
  --max-dimension-values N  a dimension with more values is left out (200)
  --threads N               threads for reading (default: all cores)
  --no-memory-check         load a file even where its distinct units, estimated
                            from the first 64 MB, would need more memory than is
                            available (default: refuse it, pointing to --print-sql)

Options:
  --expected NAME=W,...     planned allocation as relative weights, e.g.
                            control=50,treatment=50 or a=1,b=1,c=2. Default:
                            an equal split over the variants found.
                            A variant left out is planned at weight 0; a
                            planned variant absent from the data counts 0.
  --control NAME            the arm the group metrics compare against
                            (default: found by name: control, baseline, ...)
  --json                    print the machine-readable report (see
                            resources/srm-report.schema.json) instead of text
  --warn-alpha P            p below which the split is an SRM alert (0.01)
  --severe-alpha P          p below which the SRM is severe (0.001)
  --min-practical-pp PP     smallest share deviation, in percentage points,
                            that matters in practice (default: off)
  --changes FILE            change log CSV (timestamp, kind, description):
                            each change's distance to the change point
  --allocation FILE         allocation history CSV (timestamp, then a weight
                            column per variant): each phase's expectation
  --window START,END        analyse only exposures in [START, END] (ISO 8601
                            times or dates, UTC; either side may be empty),
                            each unit in the variant of its first exposure there
  --prior-concentration C   the sequential test's Dirichlet prior, alpha = C x
                            the planned shares (100; Optimizely's ssrm: 10000):
                            larger C expects smaller deviations
  --near-hours H            a change within H hours of the change point is
                            near it (24)
  --min-segment-units N     smaller segments are marked too_small (100) and are
                            not searched for the explanation
  --no-localization         skip the search for the segments that explain the SRM
                            (the explanation is then not_applicable)
  -h, --help                show this help and exit
  --version                 show the version and exit
)";

// srm-check's own output options (the workbench exports from File > Export Report).
constexpr const char* kReportOptions = R"(
Documents (srm-check only):
  --report FILE             also write the reviewer's report as a document,
                            its format told by the extension: .html (one
                            self-contained file), .pdf or .md (Markdown)
  --page-size a4|letter     the PDF's paper (default: a4)
)";

constexpr const char* kExitCodes = R"(
Exit codes (the health state of the report, or why there is none):
  0   healthy: the split matches the plan
  1   SRM: warn or severe, or only inside segments
  2   check failed: a failed check invalidates the split (variant jumping,
      the assignment -> exposure funnel, a column mirroring the variant)
  64  usage error: the command line is wrong
  65  bad input: the data cannot be analysed (message names the line), or
      the report's input_problem state (too many rows rejected to trust it;
      the report is printed)
  69  --db: the database cannot be reached, refused the login or dropped
      the connection
  70  internal error
  74  the report could not be written (a full disk, a closed output)
)";

// The command line: the request it describes, and what only the command
// line has (the lists still to parse, the output form).
struct Options {
    AnalysisRequest request;
    std::optional<std::string> counts;
    std::optional<std::string> expected;
    bool json = false;
    bool help = false;
    bool version = false;
    std::optional<std::string> report;
    std::string page_size = "a4";
    std::optional<SqlEngine> print_sql;
    std::optional<std::string> db;
    std::optional<std::string> table;
    bool daily = false;
};

// The document format of a --report file, from its extension.
std::string report_format(const std::string& path)
{
    const auto dot = path.find_last_of('.');
    std::string ext = dot == std::string::npos || path.find('/', dot) != std::string::npos ? "" : lower(path.substr(dot + 1));
    if (ext == "html" || ext == "htm") return "html";
    if (ext == "md" || ext == "markdown") return "markdown";
    if (ext == "pdf") return "pdf";
    throw UsageError("--report needs a file ending in .html, .pdf or .md, not '" + path + "'");
}

// An option's number, read locale-independently (the workbench runs in the
// user's C locale, where strtod would want a decimal comma), within range.
double option_number(const std::string& flag, const std::string& value, bool (*in_range)(double, double, double), double lo, double hi,
                     const std::string& takes)
{
    double v = 0;
    if (!parse_number(trim_blanks(value), &v) || !in_range(v, lo, hi)) throw UsageError(flag + " takes " + takes + ", not '" + value + "'");
    return v;
}
bool open_range(double v, double lo, double hi) { return v > lo && v < hi; }
bool closed_range(double v, double lo, double hi) { return v >= lo && v <= hi; }

double parse_probability(const std::string& flag, const std::string& value)
{
    return option_number(flag, value, open_range, 0.0, 1.0, "a probability between 0 and 1");
}

std::size_t positive(const std::string& flag, const std::string& value, std::size_t max)
{
    const std::string_view v = trim_blanks(value);
    unsigned long n = 0;
    const auto r = std::from_chars(v.data(), v.data() + v.size(), n);
    if (v.empty() || r.ec != std::errc() || r.ptr != v.data() + v.size() || n == 0 || n > max)
        throw UsageError(flag + " takes a whole number from 1 to " + std::to_string(max) + ", not '" + value + "'");
    return n;
}

double parse_positive_real(const std::string& flag, const std::string& value, double lo, double hi)
{
    return option_number(flag, value, closed_range, lo, hi, "a number from " + format_general(lo) + " to " + format_general(hi));
}

using Setter = std::function<void(const std::string&)>;

std::vector<std::string> split_list(const std::string& v)
{
    std::vector<std::string> out;
    std::stringstream in(v);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

// --window START,END: seconds (a bare end date means the whole day).
void parse_window(const std::string& v, Options& o)
{
    const auto comma = v.find(',');
    if (comma == std::string::npos) throw UsageError("--window takes START,END (either may be empty), not '" + v + "'");
    auto side = [&](const std::string& t, bool end) -> std::optional<std::int64_t> {
        if (t.empty()) return std::nullopt;
        const auto us = parse_timestamp(t);
        if (!us) throw UsageError("--window: '" + t + "' is not an ISO 8601 time or date");
        std::int64_t s = *us / 1000000;
        if (end && t.size() == 10) s += 86399;
        return s;
    };
    o.request.window_start = side(v.substr(0, comma), false);
    o.request.window_end = side(v.substr(comma + 1), true);
    if (!o.request.window_start && !o.request.window_end) throw UsageError("--window needs a START, an END or both");
    if (o.request.window_start && o.request.window_end && *o.request.window_start > *o.request.window_end) throw UsageError("--window: START is after END");
}

// The options that take a value, by name.
std::map<std::string, Setter> valued_options(Options& o)
{
    auto column = [](std::optional<std::string>& slot) { return [&slot](const std::string& v) { slot = v; }; };
    std::map<std::string, Setter> valued = {
        {"--counts", column(o.counts)},
        {"--expected", column(o.expected)},
        {"--control", column(o.request.control)},
        {"--report", [&](const std::string& v) {
             report_format(v);
             o.report = v;
         }},
        {"--page-size", [&](const std::string& v) {
             if (lower(v) != "a4" && lower(v) != "letter") throw UsageError("--page-size takes a4 or letter, not '" + v + "'");
             o.page_size = lower(v);
         }},
        {"--warn-alpha", [&](const std::string& v) { o.request.options.thresholds.warn = parse_probability("--warn-alpha", v); }},
        {"--severe-alpha", [&](const std::string& v) { o.request.options.thresholds.severe = parse_probability("--severe-alpha", v); }},
        {"--min-practical-pp", [&](const std::string& v) {
             o.request.options.min_practical_pp = option_number("--min-practical-pp", v, closed_range, 0.0, CheckOptionLimits::max_practical_pp, "percentage points between 0 and 100");
         }},
        {"--time-col", column(o.request.load.time_col)},
        {"--unit-col", column(o.request.load.unit_col)},
        {"--variant-col", column(o.request.load.variant_col)},
        {"--count-col", column(o.request.load.count_col)},
        {"--event-col", column(o.request.load.event_col)},
        {"--inclusion-col", column(o.request.load.inclusion_col)},
        {"--multi-variant-col", column(o.request.load.multi_variant_col)},
        {"--assigned-variant-col", column(o.request.load.assigned_variant_col)},
        {"--print-sql", [&](const std::string& v) {
             o.print_sql = sql_engine_by_name(v);
             if (!o.print_sql) {
                 std::string names;
                 for (const auto& e : sql_engines()) names += (names.empty() ? "" : ", ") + std::string(e.name);
                 throw UsageError("--print-sql takes one of " + names + ", not '" + v + "'");
             }
         }},
        {"--table", column(o.table)},
        {"--db", column(o.db)},
        {"--bucket", [&](const std::string& v) {
             if (lower(v) != "hour" && lower(v) != "day") throw UsageError("--bucket takes hour or day, not '" + v + "'");
             o.daily = lower(v) == "day";
         }},
        {"--hour-col", column(o.request.load.hour_col)},
        {"--time-format", column(o.request.load.time_format)},
        {"--time-year", [&](const std::string& v) { o.request.load.time_year = static_cast<int>(positive("--time-year", v, 9999)); }},
        {"--dimensions", [&](const std::string& v) { o.request.load.dimensions = split_list(v); }},
        {"--metrics", [&](const std::string& v) { o.request.load.metrics = split_list(v); }},
        {"--changes", column(o.request.changes_file)},
        {"--allocation", column(o.request.allocation_file)},
        {"--window", [&](const std::string& v) { parse_window(v, o); }},
        {"--prior-concentration", [&](const std::string& v) { o.request.prior_concentration = parse_positive_real("--prior-concentration", v, 1e-6, 1e12); }},
        {"--near-hours", [&](const std::string& v) { o.request.near_change_hours = static_cast<double>(positive("--near-hours", v, CheckOptionLimits::max_near_hours)); }},
        {"--min-segment-units", [&](const std::string& v) { o.request.min_segment_units = positive("--min-segment-units", v, CheckOptionLimits::max_segment_units); }},
        {"--threads", [&](const std::string& v) { o.request.load.threads = static_cast<unsigned>(positive("--threads", v, 256)); }},
        {"--max-dimension-values", [&](const std::string& v) { o.request.load.max_dimension_values = positive("--max-dimension-values", v, CheckOptionLimits::max_dimension_values); }},
    };
    valued["--shape"] = [&](const std::string& v) {
        if (v == "events") o.request.load.shape = Shape::Events;
        else if (v == "aggregated") o.request.load.shape = Shape::Aggregated;
        else throw UsageError("--shape takes 'events' or 'aggregated', not '" + v + "'");
    };
    valued["--delimiter"] = [&](const std::string& v) {
        if (v.size() == 1 && v[0] != '\t' && CheckOptionLimits::delimiter(v[0])) o.request.load.delimiter = v[0];
        else if (v == "tab" || v == "\\t" || v == "\t") o.request.load.delimiter = '\t';
        else throw UsageError("--delimiter takes one of , ; | tab, not '" + v + "'");
    };
    return valued;
}

// Checks the options against each other once all are read.
// --print-sql and --db: a table and its columns instead of a FILE.
void validate_table_source(const Options& o)
{
    const auto& l = o.request.load;
    const char* what = o.print_sql ? "--print-sql" : "--db";
    if (o.print_sql && o.db) throw UsageError("give either --print-sql or --db, not both");
    if (o.request.file || o.counts)
        throw UsageError(std::string(what) + (o.print_sql ? " writes a query for the warehouse" : " reads a table") +
                         "; it reads no FILE or --counts");
    for (const auto& [value, flag] : {std::pair{&o.table, "--table"}, std::pair{&l.unit_col, "--unit-col"},
                                      std::pair{&l.variant_col, "--variant-col"}, std::pair{&l.time_col, "--time-col"}})
        if (!*value) throw UsageError(std::string(what) + " needs " + flag);
}

void validate(const Options& o)
{
    if (o.help || o.version) return;
    if (o.print_sql || o.db) return validate_table_source(o);
    if (o.table) throw UsageError("--table is for --print-sql and --db");
    if (o.request.file && o.counts) throw UsageError("give either a FILE or --counts, not both");
    if (!o.request.file && !o.counts) throw UsageError("no input: give a FILE.csv or --counts NAME=N,...");
    if (o.counts && (o.request.changes_file || o.request.allocation_file || o.request.window_start || o.request.window_end))
        throw UsageError("--changes, --allocation and --window need event-level data (a FILE), not --counts");
    if (!(o.request.options.thresholds.severe <= o.request.options.thresholds.warn)) throw UsageError("--severe-alpha must not be larger than --warn-alpha");
}

// The options as given, not yet checked against each other.
Options read_options(const std::vector<std::string>& args)
{
    Options o;
    auto valued = valued_options(o);
    const std::map<std::string, std::function<void()>> flags = {
        {"--strict", [&] { o.request.load.strict = true; }}, {"--no-header", [&] { o.request.load.header = false; }},
        {"--json", [&] { o.json = true; }},          {"--help", [&] { o.help = true; }},
        {"--no-localization", [&] { o.request.localize = false; }},
        {"--no-memory-check", [&] { o.request.load.memory_check = false; }},
        {"-h", [&] { o.help = true; }},               {"--version", [&] { o.version = true; }},
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        std::optional<std::string> inline_value;
        if (arg.rfind("--", 0) == 0)
            if (const auto eq = arg.find('='); eq != std::string::npos) {
                inline_value = arg.substr(eq + 1);
                arg = arg.substr(0, eq);
            }
        if (auto f = flags.find(arg); f != flags.end()) {
            if (inline_value) throw UsageError(arg + " takes no value");
            f->second();
        } else if (auto v = valued.find(arg); v != valued.end()) {
            if (!inline_value) {
                if (i + 1 >= args.size()) throw UsageError(arg + " needs a value");
                inline_value = args[++i];
            }
            v->second(*inline_value);
        } else if (arg.size() > 1 && arg[0] == '-') {
            throw UsageError("unknown option '" + args[i] + "'");
        } else {
            if (o.request.file) throw UsageError("more than one input file given ('" + *o.request.file + "' and '" + arg + "')");
            o.request.file = arg;
        }
    }
    return o;
}

Options parse(const std::vector<std::string>& args)
{
    Options o = read_options(args);
    validate(o);
    return o;
}

AnalysisRequest to_request(const Options& o)
{
    AnalysisRequest r = o.request;
    try {
        if (o.counts) r.counts = parse_name_values(*o.counts, "--counts");
        if (o.expected) r.expected = parse_name_values(*o.expected, "--expected");
    } catch (const std::invalid_argument& e) {
        throw InputError(e.what());
    }
    return r;
}

}  // namespace

CheckCommandLine parse_check_command_line(const std::vector<std::string>& args)
{
    const Options o = parse(args);
    if (o.print_sql || o.db) throw UsageError("--print-sql and --db are srm-check's; the workbench opens a database with File > Open from Database");
    if (o.report) throw UsageError("--report is srm-check's; the workbench writes reports with File > Export Report");
    CheckCommandLine c;
    c.help = o.help;
    c.version = o.version;
    c.json = o.json;
    if (!o.help && !o.version) {
        try {
            c.request = to_request(o);
        } catch (const InputError& e) {
            throw UsageError(e.what());
        }
    }
    return c;
}

bool check_arguments_name_input(const std::vector<std::string>& args)
{
    const Options o = read_options(args);
    return o.request.file || o.counts || o.print_sql || o.db;
}

const char* check_options_help() noexcept { return kOptions; }

// Writes the --report document; false (with the message on err) when it cannot be written.
bool write_report(const Report& report, const std::string& path, const std::string& page_size, const ReportRenderers& renderers, std::ostream& err)
{
    const ReportDocument doc = build_document(report, DocumentContext{{}, renderers.now ? renderers.now() : 0, "srm-check"});
    const std::string format = report_format(path);
    try {
        if (format == "html") write_file_atomic(path, to_html(doc));
        else if (format == "markdown") write_file_atomic(path, to_markdown(doc));
        else if (!renderers.pdf) throw std::runtime_error("this srm-check was built without the PDF renderer (Qt); write .html or .md");
        else renderers.pdf(doc, path, page_size);
        return true;
    } catch (const std::exception& e) {
        err << "srm-check: cannot write the report: " << e.what() << "\n";
        return false;
    }
}

// The warehouse query for the options' table and columns.
AggregationQuery table_query(const Options& o, SqlEngine engine)
{
    const auto& l = o.request.load;
    AggregationQuery q;
    q.engine = engine;
    q.table = *o.table;
    q.unit = *l.unit_col;
    q.variant = *l.variant_col;
    q.time = *l.time_col;
    q.event = l.event_col;
    q.dimensions = l.dimensions.value_or(std::vector<std::string>{});
    q.window_start = o.request.window_start;
    q.window_end = o.request.window_end;
    q.daily = o.daily;
    return q;
}

// --print-sql: the query, printed.
int print_sql(const Options& o, std::ostream& out, std::ostream& err)
{
    try {
        out << aggregation_sql(table_query(o, *o.print_sql));
    } catch (const std::invalid_argument& e) {
        err << "srm-check: --print-sql: " << e.what() << "\nTry 'srm-check --help'.\n";
        return kExitUsage;
    }
    out.flush();
    if (!out) {
        err << "srm-check: cannot write the query to the output\n";
        return kExitIo;
    }
    return kExitHealthy;
}

AnalysisRequest table_query_request(const AnalysisRequest& base, const std::string& source,
                                    std::function<std::string(const ProgressFn&, const std::atomic<bool>*)> fetch)
{
    AnalysisRequest r = base;
    r.file = source;
    r.data.reset();
    r.fetch = std::move(fetch);
    LoadOptions load;
    load.shape = Shape::Aggregated;
    load.dimensions = base.load.dimensions;
    load.strict = base.load.strict;
    load.threads = base.load.threads;
    load.max_dimension_values = base.load.max_dimension_values;
    r.load = load;
    r.window_start.reset();
    r.window_end.reset();
    return r;
}

// --db: the query run on the database; its result (CSV) becomes the input,
// read as the aggregated counts it is. The table's column options named the
// table's columns, not the result's; the window was applied by the query.
AnalysisRequest database_request(const Options& o, const ReportRenderers& renderers)
{
    if (!renderers.database) throw UsageError("this srm-check was built without the database client (Qt SQL); use --print-sql");
    DatabaseUrl url;
    std::string sql;
    try {
        url = parse_database_url(*o.db);
        sql = aggregation_sql(table_query(o, url.engine));
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--db: ") + e.what());
    }
    return table_query_request(to_request(o), *o.table + " on " + url.display(),
                               [db = renderers.database, url, sql](const ProgressFn&, const std::atomic<bool>*) { return db(url, sql); });
}

int run_srm_check(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const ReportRenderers& renderers)
{
    Options o;
    try {
        o = parse(args);
    } catch (const UsageError& e) {
        err << "srm-check: " << e.what() << "\nTry 'srm-check --help'.\n";
        return kExitUsage;
    }
    if (o.help) {
        out << kUsageHead << kOptions << kReportOptions << kExitCodes;
        return kExitHealthy;
    }
    if (o.version) {
        out << "srm-check " << version_string() << "\n";
        return kExitHealthy;
    }
    if (o.print_sql) return print_sql(o, out, err);
    try {
        Report report = analyse(o.db ? database_request(o, renderers) : to_request(o));
        if (o.db && (o.request.window_start || o.request.window_end))  // the result holds only the window: say so
            report.input.warnings.push_back(InputWarning{"window_in_query",
                                             "only events from " + (o.request.window_start ? format_iso8601(*o.request.window_start) : std::string("the start")) +
                                                 " to " + (o.request.window_end ? format_iso8601(*o.request.window_end) : std::string("the end")) +
                                                 " were aggregated (--window, applied by the database query); the span outside it is not known here",
                                             std::nullopt, std::nullopt});
        if (o.report && !write_report(report, *o.report, o.page_size, renderers, err)) return kExitIo;
        out << (o.json ? to_json(report) : to_text(report));
        out.flush();
        if (!out) {
            err << "srm-check: cannot write the report to the output (a full disk or a closed pipe?)\n";
            return kExitIo;
        }
        return exit_code_of(report.health.state);
    } catch (const UsageError& e) {
        err << "srm-check: " << e.what() << "\nTry 'srm-check --help'.\n";
        return kExitUsage;
    } catch (const DatabaseError& e) {
        err << "srm-check: database: " << e.what() << "\n";
        return kExitUnavailable;
    } catch (const InputError& e) {
        err << "srm-check: bad input: ";
        if (e.line() > 0) err << (o.request.file ? *o.request.file : std::string("input")) << ":" << e.line() << ": ";
        err << e.what() << "\n";
        return kExitBadInput;
    } catch (const std::exception& e) {
        err << "srm-check: internal error: " << e.what() << "\n";
        return kExitInternal;
    }
}

}  // namespace srm
