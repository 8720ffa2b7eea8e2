// Writing what the report exports: formula-safe CSV (RFC 4180 quoting,
// OWASP's CSV-injection rule).
#include "srm/document.hpp"
#include "srm/text.hpp"


namespace srm {

std::string csv_cell(std::string_view s)
{
    std::string v(s);
    if (!v.empty()) {
        const char c = v.front();
        const bool risky = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
        // A plain number ("-0.25", "+3") cannot run as a formula; anything else that starts so is text to show.
        double x = 0;
        if (risky && !((c == '-' || c == '+') && parse_number(v, &x))) v.insert(v.begin(), '\'');
    }
    return csv_quote(v);
}

std::string to_csv(const std::vector<std::vector<std::string>>& rows)
{
    std::string out;
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i) out += ',';
            out += csv_cell(row[i]);
        }
        out += "\r\n";
    }
    return out;
}

}  // namespace srm
