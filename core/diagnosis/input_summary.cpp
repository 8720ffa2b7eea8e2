// The report's input section: what was read and how.
#include "steps_internal.hpp"

#include "srm/text.hpp"

namespace srm {

InputSummary summarise_input(const Dataset& ds)
{
    InputSummary in;
    in.file = ds.file;
    in.shape = input_shape(ds.shape);
    in.delimiter = describe_delimiter(ds.dialect.delimiter);
    in.quote = std::string(1, ds.dialect.quote);
    in.header = ds.dialect.header;
    in.encoding = ds.dialect.encoding;
    in.line_end = ds.dialect.line_end;
    in.rows_read = ds.rows_read;
    in.rows_rejected = ds.rows_rejected;
    in.errors = ds.errors;
    in.columns = ds.mapping();
    for (const auto& c : ds.columns) in.column_roles.push_back({c.name, c.role, c.reason});
    in.rows_other_events = ds.rows_other_events;
    in.rows_outside_window = ds.rows_outside_window;
    in.blank_lines = ds.blank_lines;
    for (const auto& d : ds.dimensions)
        if (d.excluded) in.excluded_dimensions.emplace_back(d.name, d.distinct);
    in.warnings = ds.warnings;
    in.rejected_by_reason = ds.rejected_by_reason;
    in.compression = ds.compression;
    in.input_bytes = ds.input_bytes;
    return in;
}

namespace detail {

void add_input_warnings(Report& report)
{
    auto& in = report.input;
    const auto& ev = report.evidence;
    if (in.rows_rejected > 0) {
        std::string by;
        for (const auto& r : in.rejected_by_reason)
            by += (by.empty() ? "" : ", ") + group_thousands(r.rows) + " " + r.reason + " (first on line " + std::to_string(r.first_line) + ")";
        in.warnings.push_back({"rows_rejected", group_thousands(in.rows_rejected) + " of " + group_thousands(in.rows_read) +
                                                    " rows were rejected and not counted: " + by,
                               std::nullopt, in.rows_rejected});
    }
    if (ev.mirror_column && ev.mirror_rows_disagreeing > 0)
        in.warnings.push_back({"variant_mirror_disagrees",
                               group_thousands(ev.mirror_rows_disagreeing) + " rows (" + group_thousands(ev.mirror_units_disagreeing) +
                                   " units) show another arm in '" + *ev.mirror_column + "' than their variant",
                               *ev.mirror_column, ev.mirror_rows_disagreeing});
    if (in.expected_assumed_equal && report.srm.max_abs_deviation_pp >= 10.0) {
        std::string shares;
        for (const auto& v : report.srm.variants)
            shares += (shares.empty() ? "" : ", ") + v.name + " " + group_thousands(static_cast<std::uint64_t>(v.observed_share * 100.0 + 0.5)) + " %";
        in.warnings.push_back({"equal_split_assumed",
                               "no planned allocation was given, so an equal split is assumed, but the units split " + shares +
                                   ": if the plan was unequal, give the planned allocation before reading the verdict",
                               std::nullopt, std::nullopt});
    }
        // A file of one row per unit (nearly every id once) with ids on several rows.
    if (ev.has_unit && ev.repeated_rows > 0 && ev.exposed_units > 0 && ev.repeated_rows * 20 <= ev.exposed_units)
        in.warnings.push_back({"duplicate_units",
                               group_thousands(ev.repeated_rows) + " rows repeat the id of an earlier row in a file of one row per unit (" +
                                   group_thousands(ev.exposed_units) +
                                   " units): a duplicate in a unit-level export is a defect of the export (each unit counts once, in "
                                   "the variant of its first row)",
                               in.columns.unit, ev.repeated_rows});
}

}  // namespace detail

}  // namespace srm
