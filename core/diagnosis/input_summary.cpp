// The report's input section: what was read and how.
#include "srm/diagnosis.hpp"

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
    return in;
}

}  // namespace srm
