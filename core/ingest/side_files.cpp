// Reading the diagnosis' side files: change logs and allocation histories.
#include "srm/side_files.hpp"

#include "srm/csv.hpp"
#include "srm/errors.hpp"
#include "srm/text.hpp"
#include "srm/timeparse.hpp"
#include "srm/timeutil.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <iterator>

namespace srm {

namespace {

// Reads a small CSV file into header + rows (with physical line numbers).
struct SmallCsv {
    std::vector<std::string> header;
    std::vector<std::pair<std::uint64_t, std::vector<std::string>>> rows;
};

std::string read_text(const std::string& path, const char* what)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(std::string("cannot open the ") + what + " '" + path + "'");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

SmallCsv read_small_csv(std::string_view text, const std::string& path, const char* what)
{
    Dialect d = sniff_dialect(text, std::nullopt, true);
    SmallCsv out;
    const char* p = text.data() + d.bom_bytes + d.preamble_bytes;
    const char* end = text.data() + text.size();
    Record rec;
    std::uint64_t line = 1 + d.preamble_lines;
    while (p < end) {
        const std::uint64_t here = line;
        p = parse_record(p, end, d, rec);
        line += rec.line_breaks;
        if (rec.blank) continue;
        if (rec.problem != Record::Problem::None)
            throw InputError(std::string("the ") + what + " has a malformed quoted field", here);
        std::vector<std::string> fields;
        for (auto f : rec.fields) {
            std::string s(f);
            while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
            while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
            fields.push_back(std::move(s));
        }
        if (out.header.empty()) out.header = std::move(fields);
        else out.rows.emplace_back(here, std::move(fields));
    }
    if (out.header.empty()) throw InputError(std::string("the ") + what + " '" + path + "' is empty");
    return out;
}

// The time of a row of a small CSV (seconds), after checking its field count.
std::int64_t row_seconds(const SmallCsv& csv, std::uint64_t line, const std::vector<std::string>& f, int t, const char* what)
{
    if (f.size() != csv.header.size())
        throw InputError(std::string("the ") + what + " row has " + std::to_string(f.size()) + " fields, the header " +
                             std::to_string(csv.header.size()),
                         line);
    const auto time = parse_timestamp(f[static_cast<std::size_t>(t)]);
    if (!time) throw InputError(std::string("the ") + what + " has an unparsable time '" + f[static_cast<std::size_t>(t)] + "'", line);
    return to_seconds(*time);
}

int find_col(const std::vector<std::string>& header, std::initializer_list<const char*> names)
{
    for (const char* n : names)
        for (std::size_t i = 0; i < header.size(); ++i)
            if (normalise_name(header[i]) == n) return static_cast<int>(i);  // "Deployed At" is deployed_at
    return -1;
}

}  // namespace

std::vector<ChangeEntry> read_change_log(const std::string& path) { return parse_change_log(read_text(path, "change log"), path); }

std::vector<AllocationPhase> read_allocation_history(const std::string& path)
{
    return parse_allocation_history(read_text(path, "allocation history"), path);
}

std::vector<ChangeEntry> parse_change_log(std::string_view text, const std::string& path)
{
    const SmallCsv csv = read_small_csv(text, path, "change log");
    const int t = find_col(csv.header, {"timestamp", "time", "date", "datetime", "ts", "deployed_at", "created_at"});
    const int k = find_col(csv.header, {"kind", "type", "category", "change_type"});
    const int d = find_col(csv.header, {"description", "desc", "summary", "message", "title", "name", "change"});
    if (t < 0) throw InputError("the change log '" + path + "' needs a timestamp column (timestamp, time or date)", 1);
    std::vector<ChangeEntry> out;
    for (const auto& [line, f] : csv.rows) {
        ChangeEntry e;
        e.time = row_seconds(csv, line, f, t, "change log");
        e.kind = k >= 0 ? f[static_cast<std::size_t>(k)] : "change";
        e.description = d >= 0 ? f[static_cast<std::size_t>(d)] : "";
        e.line = line;
        out.push_back(std::move(e));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.time < b.time; });
    return out;
}

std::vector<AllocationPhase> parse_allocation_history(std::string_view text, const std::string& path)
{
    const SmallCsv csv = read_small_csv(text, path, "allocation history");
    const int t = find_col(csv.header, {"timestamp", "time", "date", "datetime", "ts", "start", "from"});
    if (t < 0) throw InputError("the allocation history '" + path + "' needs a timestamp column first", 1);
    if (csv.header.size() < 3)
        throw InputError("the allocation history needs a weight column for each of at least two variants", 1);
    std::vector<AllocationPhase> out;
    for (const auto& [line, f] : csv.rows) {
        AllocationPhase p;
        p.start = row_seconds(csv, line, f, t, "allocation history");
        double total = 0;
        for (std::size_t c = 0; c < f.size(); ++c) {
            if (static_cast<int>(c) == t) continue;
            double w = 0;  // read locale-independently (not strtod: the workbench runs in the user's locale)
            if (!parse_number(f[c], &w) || !std::isfinite(w) || w < 0) {
                throw InputError("the allocation history gives '" + csv.header[c] + "' the weight '" + f[c] +
                                     "'; weights are numbers of 0 or more",
                                 line);
            }
            total += w;
            p.weights.emplace_back(csv.header[c], w);
        }
        if (total <= 0) throw InputError("the allocation history row gives every variant weight 0", line);
        out.push_back(std::move(p));
    }
    if (out.empty()) throw InputError("the allocation history '" + path + "' has no rows");
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
    return out;
}

}  // namespace srm
