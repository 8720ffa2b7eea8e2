// The report a reviewer hands on, as one format-free model: the sections of
// the text report plus the health state, the explanation, the checklist
// answers and notes, the scope shown and what was read. HTML, Markdown and
// (in the ui's Qt renderer) PDF and print are renderings of this model, so
// every format says the same thing.
#pragma once

#include "srm/atomic_file.hpp"
#include "srm/report.hpp"

#include <string>
#include <vector>

namespace srm {

/// A table: header and rows of display text; `numeric[c]` right-aligns a column.
struct DocTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<bool> numeric;
    std::string note;  ///< below the table ("... and 12 more rows")
};

/// A chart as a self-contained SVG (drawn in core, so that every format
/// shows the same picture), with a text alternative.
struct DocChart {
    std::string id;     ///< "cumulative_units", "deviation", "p_value_path", "breakdown"
    std::string title;
    std::string svg;    ///< <svg ...>...</svg>, with a viewBox
    double width = 720, height = 300;  ///< the viewBox size
    std::string alt;
};

struct DocBlock {
    enum class Kind { Paragraph, Bullets, Numbered, Table, Chart, Subheading };
    Kind kind = Kind::Paragraph;
    std::string text;                 ///< Paragraph, Subheading
    std::vector<std::string> items;   ///< Bullets, Numbered
    DocTable table;
    DocChart chart;
    /// A paragraph's role, for styling: "" or "verdict", "warning", "note", "scope".
    std::string role;
};

struct DocSection {
    std::string id;     ///< "verdict", "split", "step1", ...
    std::string title;
    std::vector<DocBlock> blocks;
};

struct ReportDocument {
    std::string title;     ///< "SRM report: sample.csv"
    std::string subtitle;  ///< "srm-check 1.2.0 · 2026-12-01 18:00 UTC"
    HealthState health = HealthState::Healthy;
    std::string health_label;   ///< "Severe SRM"
    std::string health_headline;
    std::vector<std::string> health_reasons;
    std::string scope;          ///< the active window or segment, "" for all data
    std::vector<DocSection> sections;
};

/// What a report is made from beyond the analysis: the reviewer's work and
/// when it was made (seconds since the epoch; 0 leaves the date out).
struct DocumentContext {
    ReviewerWork work;
    std::int64_t generated_at = 0;
    std::string generator = "srm-check";
};

ReportDocument build_document(const Report& report, const DocumentContext& context = {});

/// The health state as a badge words it ("Balanced", "Severe SRM", ...).
const char* health_label(HealthState s) noexcept;

/// A single self-contained HTML5 file: inline CSS, charts as inline SVG, no
/// script, readable on a phone and in print. All text is escaped.
std::string to_html(const ReportDocument& doc);
/// Markdown for tickets and wikis: pipe tables, charts left out (named by
/// their text alternative). Text is escaped so that it cannot become markup.
std::string to_markdown(const ReportDocument& doc);

/// Text escaped for HTML element content and attribute values.
std::string html_escape(std::string_view s);
/// Text escaped for a Markdown paragraph (or, with `cell`, a pipe-table
/// cell, where a leading + - = cannot start a list or a heading).
std::string markdown_escape(std::string_view s, bool cell = false);

/// A CSV cell per RFC 4180 (quoted when it holds a comma, quote, CR or LF),
/// made formula-safe by OWASP's rule: text that begins with =, +, -, @, a
/// tab or a carriage return is prefixed with ' so that a spreadsheet shows
/// it rather than running it. A cell that is wholly a number ("-0.25",
/// "+3", "1e-5") is a number, not a formula, and is left as it is.
std::string csv_cell(std::string_view s);
/// Rows joined into CSV with CRLF line ends (RFC 4180).
std::string to_csv(const std::vector<std::vector<std::string>>& rows);


}  // namespace srm
