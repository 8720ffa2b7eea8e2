// The report document as Markdown (CommonMark with GitHub's pipe tables),
// for tickets and wikis. Charts are not drawn; their text alternative says
// what the HTML and PDF reports show. Text from the data or the reviewer is
// escaped so that it stays text: no raw HTML, links, emphasis or cell breaks.
#include "srm/document.hpp"
#include "srm/text.hpp"

#include <sstream>

namespace srm {

namespace {

// One line of a table cell or list item: line breaks become spaces (those
// that end the text are dropped).
std::string one_line(std::string_view s)
{
    std::string out(trim_line_breaks(s));
    for (auto& c : out)
        if (c == '\n' || c == '\r') c = ' ';
    return out;
}

void table_md(std::ostream& o, const DocTable& t)
{
    o << "|";
    for (const auto& h : t.header) o << " " << markdown_escape(h, true) << " |";
    o << "\n|";
    for (std::size_t c = 0; c < t.header.size(); ++c) o << (c < t.numeric.size() && t.numeric[c] ? " ---: |" : " --- |");
    o << "\n";
    for (const auto& row : t.rows) {
        o << "|";
        for (std::size_t c = 0; c < t.header.size(); ++c) o << " " << (c < row.size() ? markdown_escape(one_line(row[c]), true) : std::string()) << " |";
        o << "\n";
    }
    o << "\n";
    if (!t.note.empty()) o << "*" << markdown_escape(t.note) << "*\n\n";
}

}  // namespace

std::string markdown_escape(std::string_view s, bool cell)
{
    std::string out;
    out.reserve(s.size() + 8);
    bool line_start = !cell;
    for (const char c : s) {
        switch (c) {
        case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '#': case '~': case '!':
            out += '\\';
            out += c;
            break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '\0': out += "\xEF\xBF\xBD"; break;
        case '-': case '+': case '=':
            // A line starting with these can become a list item or a heading underline.
            if (line_start) out += '\\';
            out += c;
            break;
        default: out += c;
        }
        line_start = c == '\n';
    }
    return out;
}

std::string to_markdown(const ReportDocument& doc)
{
    std::ostringstream o;
    o << "# " << markdown_escape(doc.title) << "\n\n" << markdown_escape(doc.subtitle) << "\n\n";
    o << "**Health: " << markdown_escape(doc.health_label) << "**: " << markdown_escape(one_line(doc.health_headline)) << "\n\n";
    for (const auto& r : doc.health_reasons) o << "- " << markdown_escape(one_line(r)) << "\n";
    if (!doc.health_reasons.empty()) o << "\n";
    if (!doc.scope.empty()) o << "> " << markdown_escape(one_line(doc.scope)) << "\n\n";
    for (const auto& s : doc.sections) {
        o << "## " << markdown_escape(s.title) << "\n\n";
        for (const auto& b : s.blocks) {
            switch (b.kind) {
            case DocBlock::Kind::Paragraph: {
                // A reviewer's line breaks are kept as hard breaks.
                std::string t = markdown_escape(b.text);
                std::string kept;
                for (const char c : t) kept += c == '\n' ? std::string("  \n") : std::string(1, c);
                o << (b.role == "verdict" ? "**" + kept + "**" : kept) << "\n\n";
                break;
            }
            case DocBlock::Kind::Subheading: o << "### " << markdown_escape(b.text) << "\n\n"; break;
            case DocBlock::Kind::Bullets:
                for (const auto& i : b.items) o << "- " << markdown_escape(one_line(i)) << "\n";
                o << "\n";
                break;
            case DocBlock::Kind::Numbered:
                for (std::size_t i = 0; i < b.items.size(); ++i) o << i + 1 << ". " << markdown_escape(one_line(b.items[i])) << "\n";
                o << "\n";
                break;
            case DocBlock::Kind::Table: table_md(o, b.table); break;
            case DocBlock::Kind::Chart:
                o << "*Chart (in the HTML and PDF reports): " << markdown_escape(b.chart.title) << ". " << markdown_escape(b.chart.alt) << "*\n\n";
                break;
            }
        }
    }
    return o.str();
}

}  // namespace srm
