// The report document as one self-contained HTML5 file: inline CSS (a
// phone's width and print included), charts as inline SVG, no script and
// nothing fetched. Every piece of text from the data or the reviewer is
// escaped; the SVG is the report stage's own markup, its text escaped when
// it was drawn.
#include "srm/document.hpp"

#include <sstream>

namespace srm {

namespace {

const char* kCss = R"(:root{color-scheme:light}
*{box-sizing:border-box}
body{font:15px/1.45 "DejaVu Sans",Arial,Helvetica,sans-serif;color:#1d1d1f;margin:0 auto;padding:16px;max-width:960px;background:#fff}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid #ddd;padding-bottom:.2em}
h3{font-size:1em;margin:1.2em 0 .4em}
.subtitle{color:#666;font-size:.9em;margin:0 0 1em}
.health{border-radius:6px;padding:10px 14px;margin:10px 0;border-left:8px solid #888;background:#f6f6f6}
.health .label{font-weight:bold;font-size:1.1em}
.health.healthy{border-color:#2e7d32;background:#edf7ee}.health.warn{border-color:#e0a000;background:#fff8e1}
.health.severe{border-color:#c62828;background:#fdecea}.health.segment_limited{border-color:#ef6c00;background:#fff3e0}
.health.check_failed{border-color:#c62828;background:#fdecea}.health.input_problem{border-color:#6a1b9a;background:#f3e5f5}
.scope{background:#e8f0fe;border:1px solid #aac4f5;border-radius:4px;padding:6px 10px}
.verdict{font-weight:600}.warning{color:#8a4b00}.note{color:#555}
.table-wrap{overflow-x:auto;margin:.4em 0 1em}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #d5d5d5;padding:4px 7px;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#f0f0f0}td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.table-note{color:#555;font-size:.85em;margin-top:-.6em}
figure{margin:.8em 0}figure svg{width:100%;height:auto;max-width:720px;display:block}
figcaption{color:#555;font-size:.85em}
footer{color:#777;font-size:.8em;margin-top:2em;border-top:1px solid #ddd;padding-top:.5em}
@media (max-width:600px){body{font-size:14px;padding:10px}th,td{padding:3px 4px}}
@media print{body{max-width:none;padding:0;font-size:10.5pt}h2,h3{break-after:avoid;page-break-after:avoid}
table,figure,.health{break-inside:avoid;page-break-inside:avoid}tr{break-inside:avoid}.table-wrap{overflow:visible}}
)";

void block_html(std::ostream& o, const DocBlock& b)
{
    switch (b.kind) {
    case DocBlock::Kind::Paragraph: {
        o << "<p" << (b.role.empty() ? "" : " class=\"" + html_escape(b.role) + "\"") << ">";
        // Line breaks of a reviewer's notes are kept.
        const std::string t = html_escape(b.text);
        std::size_t start = 0;
        for (std::size_t nl; (nl = t.find('\n', start)) != std::string::npos; start = nl + 1) o << t.substr(start, nl - start) << "<br>";
        o << t.substr(start) << "</p>\n";
        break;
    }
    case DocBlock::Kind::Subheading: o << "<h3>" << html_escape(b.text) << "</h3>\n"; break;
    case DocBlock::Kind::Bullets:
    case DocBlock::Kind::Numbered: {
        const char* tag = b.kind == DocBlock::Kind::Numbered ? "ol" : "ul";
        o << "<" << tag << ">";
        for (const auto& i : b.items) o << "<li>" << html_escape(i) << "</li>";
        o << "</" << tag << ">\n";
        break;
    }
    case DocBlock::Kind::Table: {
        const auto& t = b.table;
        o << "<div class=\"table-wrap\"><table><thead><tr>";
        for (const auto& h : t.header) o << "<th scope=\"col\">" << html_escape(h) << "</th>";
        o << "</tr></thead><tbody>\n";
        for (const auto& row : t.rows) {
            o << "<tr>";
            for (std::size_t c = 0; c < row.size(); ++c)
                o << (c < t.numeric.size() && t.numeric[c] ? "<td class=\"num\">" : "<td>") << html_escape(row[c]) << "</td>";
            o << "</tr>\n";
        }
        o << "</tbody></table></div>\n";
        if (!t.note.empty()) o << "<p class=\"table-note\">" << html_escape(t.note) << "</p>\n";
        break;
    }
    case DocBlock::Kind::Chart:
        o << "<figure id=\"chart-" << html_escape(b.chart.id) << "\">" << b.chart.svg << "<figcaption>" << html_escape(b.chart.alt)
          << "</figcaption></figure>\n";
        break;
    }
}

}  // namespace

std::string html_escape(std::string_view s)
{
    std::string out;
    out.reserve(s.size() + s.size() / 8);
    for (const char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        case '\0': out += "\xEF\xBF\xBD"; break;  // U+FFFD: NUL is not allowed in HTML text
        default:
            if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += "\xEF\xBF\xBD";
            else out += c;
        }
    }
    return out;
}

std::string to_html(const ReportDocument& doc)
{
    std::ostringstream o;
    o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
      << "<title>" << html_escape(doc.title) << "</title>\n<style>" << kCss << "</style>\n</head>\n<body>\n<header>\n<h1>"
      << html_escape(doc.title) << "</h1>\n<p class=\"subtitle\">" << html_escape(doc.subtitle) << "</p>\n";
    o << "<div class=\"health " << to_string(doc.health) << "\" id=\"health\"><div class=\"label\">" << html_escape(doc.health_label) << "</div><div>"
      << html_escape(doc.health_headline) << "</div>";
    if (!doc.health_reasons.empty()) {
        o << "<ul>";
        for (const auto& r : doc.health_reasons) o << "<li>" << html_escape(r) << "</li>";
        o << "</ul>";
    }
    o << "</div>\n";
    if (!doc.scope.empty()) o << "<p class=\"scope\" id=\"scope\">" << html_escape(doc.scope) << "</p>\n";
    o << "</header>\n<main>\n";
    for (const auto& s : doc.sections) {
        o << "<section id=\"" << html_escape(s.id) << "\">\n<h2>" << html_escape(s.title) << "</h2>\n";
        for (const auto& b : s.blocks) block_html(o, b);
        o << "</section>\n";
    }
    o << "</main>\n<footer>" << html_escape(doc.subtitle) << ". A self-contained report: nothing in it is fetched from a network.</footer>\n</body>\n</html>\n";
    return o.str();
}

}  // namespace srm
