#include "srm/counts_file.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

namespace srm {

namespace {

std::string trim(std::string s)
{
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
}

std::string lower(std::string s)
{
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> split(const std::string& line, char sep)
{
    std::vector<std::string> out;
    std::string cur;
    std::istringstream in(line);
    while (std::getline(in, cur, sep)) out.push_back(trim(cur));
    if (!line.empty() && line.back() == sep) out.emplace_back();
    return out;
}

}  // namespace

CountsTable read_counts_csv(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError("cannot open '" + path + "'");
    CountsTable t;
    t.input.file = path;
    t.input.shape = "aggregated";
    t.input.delimiter = ",";
    std::string line;
    std::uint64_t line_no = 0;
    int variant_col = -1, count_col = -1, weight_col = -1;
    std::size_t columns = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line_no == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
        if (trim(line).empty()) continue;
        auto fields = split(line, ',');
        if (variant_col < 0) {
            columns = fields.size();
            for (std::size_t i = 0; i < fields.size(); ++i) {
                const auto name = lower(fields[i]);
                if (name == "variant" || name == "variation" || name == "arm" || name == "group" || name == "bucket")
                    variant_col = static_cast<int>(i);
                else if (name == "units" || name == "count" || name == "users" || name == "n" || name == "exposures")
                    count_col = static_cast<int>(i);
                else if (name == "weight" || name == "expected_weight" || name == "allocation")
                    weight_col = static_cast<int>(i);
            }
            if (variant_col < 0 || count_col < 0)
                throw InputError("'" + path + "' needs a header with a variant column and a count column (units)", line_no);
            t.input.columns.variant = fields[static_cast<std::size_t>(variant_col)];
            t.input.columns.count = fields[static_cast<std::size_t>(count_col)];
            t.has_weights = weight_col >= 0;
            continue;
        }
        ++t.input.rows_read;
        if (fields.size() != columns)
            throw InputError("expected " + std::to_string(columns) + " fields, found " + std::to_string(fields.size()), line_no);
        VariantInput v;
        v.name = fields[static_cast<std::size_t>(variant_col)];
        const auto& c = fields[static_cast<std::size_t>(count_col)];
        auto [p, ec] = std::from_chars(c.data(), c.data() + c.size(), v.observed);
        if (ec != std::errc() || p != c.data() + c.size())
            throw InputError("count '" + c + "' is not a whole number of units", line_no);
        if (weight_col >= 0) {
            const auto& w = fields[static_cast<std::size_t>(weight_col)];
            try {
                std::size_t used = 0;
                v.weight = std::stod(w, &used);
                if (used != w.size()) throw std::invalid_argument(w);
            } catch (const std::exception&) {
                throw InputError("weight '" + w + "' is not a number", line_no);
            }
        }
        auto same = std::find_if(t.variants.begin(), t.variants.end(), [&](const auto& x) { return x.name == v.name; });
        if (same != t.variants.end()) throw InputError("variant '" + v.name + "' appears twice", line_no);
        t.variants.push_back(std::move(v));
    }
    if (variant_col < 0) throw InputError("'" + path + "' is empty");
    if (t.variants.empty()) throw InputError("'" + path + "' has a header but no rows");
    return t;
}

}  // namespace srm
