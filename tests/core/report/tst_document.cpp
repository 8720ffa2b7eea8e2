// The report document's rules, each at its edge: at most 200 rejected rows
// listed (with how many more), a reviewer's note on an item left unchecked,
// the whole span's p in a window's report, the scope line of a window and a
// segment, and text that stays text in HTML (quotes in attributes) and
// Markdown (a pipe in a cell); the breakdown chart's bars: the twelve
// smallest adjusted p-values, smallest first, ties in their order, coloured
// by severity.
#include "support/fixtures.hpp"

#include "srm/analysis.hpp"
#include "srm/document.hpp"
#include "srm/render.hpp"

#include <QtTest>
#include <map>
#include <regex>
#include <sstream>

using namespace srm;
using namespace srm::test;

namespace {

const DocSection& section(const ReportDocument& d, const std::string& id)
{
    for (const auto& s : d.sections)
        if (s.id == id) return s;
    qFatal("no section %s", id.c_str());
}

const DocTable* table_after(const DocSection& s, const std::string& subheading)
{
    for (std::size_t i = 0; i + 1 < s.blocks.size(); ++i)
        if (s.blocks[i].kind == DocBlock::Kind::Subheading && s.blocks[i].text == subheading && s.blocks[i + 1].kind == DocBlock::Kind::Table)
            return &s.blocks[i + 1].table;
    return nullptr;
}

bool has_paragraph(const DocSection& s, const std::string& start)
{
    for (const auto& b : s.blocks)
        if (b.kind == DocBlock::Kind::Paragraph && b.text.rfind(start, 0) == 0) return true;
    return false;
}

// The points of each <polyline> (or <polygon>, with `polygons`) of an SVG, in drawing order.
std::vector<std::vector<std::pair<double, double>>> shapes(const std::string& svg, const char* tag)
{
    std::vector<std::vector<std::pair<double, double>>> out;
    const std::regex shape(std::string("<") + tag + " [^>]*points=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), shape); it != std::sregex_iterator(); ++it) {
        std::vector<std::pair<double, double>> pts;
        std::istringstream in((*it)[1].str());
        std::string xy;
        while (in >> xy) {
            const auto comma = xy.find(',');
            pts.emplace_back(std::stod(xy.substr(0, comma)), std::stod(xy.substr(comma + 1)));
        }
        out.push_back(pts);
    }
    return out;
}

// Whether every point of each series is the same affine image of (time,
// value): y = a + b * value and x = c + d * time, to the SVG's 0.1 px.
QString affine_mismatch(const std::vector<std::vector<std::pair<double, double>>>& drawn, const std::vector<std::vector<double>>& values,
                        const std::vector<double>& times)
{
    if (drawn.size() != values.size()) return QString("%1 shapes, %2 series").arg(drawn.size()).arg(values.size());
    std::size_t lo = 0, hi = 0, slo = 0, shi = 0;  // the two most different values fix the map
    for (std::size_t s = 0; s < values.size(); ++s)
        for (std::size_t i = 0; i < values[s].size(); ++i) {
            if (values[s][i] < values[slo][lo]) slo = s, lo = i;
            if (values[s][i] > values[shi][hi]) shi = s, hi = i;
        }
    const double b = (drawn[shi][hi].second - drawn[slo][lo].second) / (values[shi][hi] - values[slo][lo]);
    const double a = drawn[slo][lo].second - b * values[slo][lo];
    const double d = (drawn[0].back().first - drawn[0].front().first) / (times.back() - times.front());
    const double c = drawn[0].front().first - d * times.front();
    for (std::size_t s = 0; s < values.size(); ++s) {
        if (drawn[s].size() != values[s].size()) return QString("series %1: %2 points, %3 values").arg(s).arg(drawn[s].size()).arg(values[s].size());
        for (std::size_t i = 0; i < values[s].size(); ++i) {
            const double t = times[i % times.size()];
            if (std::fabs(drawn[s][i].second - (a + b * values[s][i])) > 0.11 || (i < times.size() && std::fabs(drawn[s][i].first - (c + d * t)) > 0.11))
                return QString("series %1, point %2: (%3, %4) for value %5").arg(s).arg(i).arg(drawn[s][i].first).arg(drawn[s][i].second).arg(values[s][i]);
        }
    }
    return {};
}

}  // namespace

class TestDocument : public QObject {
    Q_OBJECT

private slots:
    void rejected_rows_up_to_two_hundred()
    {
        for (const int bad : {30, 250}) {
            Events e;
            e.units(0, "control", 6000).units(0, "treatment", 6000);
            for (int i = 0; i < bad; ++i) e.row("not a time", "x" + std::to_string(i), "control");
            const ReportDocument d = build_document(e.diagnose());
            const DocTable* t = table_after(section(d, "input"), "Rejected rows");
            QVERIFY(t);
            QCOMPARE(t->rows.size(), std::size_t(bad == 30 ? 30 : 200));
            QCOMPARE(t->rows.front().front(), std::string("12002"));  // the first bad row's line (header = line 1)
            QCOMPARE(t->note, bad == 30 ? std::string() : std::string("... and 50 more rejected rows (up to 250 listed in the JSON report)."));
        }
    }

    // The Warnings under "What was read" list what the column table does not
    // already say: not the ignored columns (their row gives the reason), but
    // every other warning, in order, and each dimension left out.
    void warnings_leave_out_the_ignored_columns()
    {
        Events e;
        e.units(0, "control", 500).units(0, "treatment", 500);
        Report r = e.diagnose();
        QVERIFY(!r.input.file.empty());
        r.input.warnings = {{"duplicate_header", "two columns are named 'x'", std::string("x"), std::nullopt},
                            {"column_ignored", "column 'note' is not used: free text", std::string("note"), std::nullopt},
                            {"bad_encoding", "3 rows are not UTF-8", std::nullopt, std::uint64_t(3)}};
        r.input.excluded_dimensions = {{"page", 201}};
        const ReportDocument d = build_document(r);
        const DocSection& in = section(d, "input");
        const DocBlock* items = nullptr;
        for (std::size_t i = 0; i + 1 < in.blocks.size(); ++i)
            if (in.blocks[i].kind == DocBlock::Kind::Subheading && in.blocks[i].text == "Warnings") items = &in.blocks[i + 1];
        QVERIFY(items);
        QCOMPARE(items->items, (std::vector<std::string>{"two columns are named 'x'", "3 rows are not UTF-8",
                                                         "dimension 'page' left out of the breakdown: more than 200 distinct values"}));
        r.input.warnings = {r.input.warnings[1]};
        r.input.excluded_dimensions.clear();
        const ReportDocument quiet = build_document(r);
        for (const auto& b : section(quiet, "input").blocks) QVERIFY(b.text != "Warnings");
    }

    void a_note_on_an_unchecked_item_is_kept()
    {
        Events e;
        e.units(0, "control", 500).units(0, "treatment", 500);
        DocumentContext ctx;
        ctx.work.answers = {{"variant_jumping", false, "asked the SDK team"}, {"analysis_window", true, ""}};
        const ReportDocument d = build_document(e.diagnose(), ctx);
        const DocTable& t = section(d, "checklist").blocks.front().table;
        std::map<std::string, std::string> reviewer;
        for (const auto& row : t.rows) reviewer[row[1]] = row[3];
        QCOMPARE(reviewer["Units seen in more than one variant"], std::string("not checked: asked the SDK team"));
        bool checked = false;
        for (const auto& [title, text] : reviewer) checked = checked || text == "checked";
        QVERIFY(checked);
    }

    // The reviewer's answers in the text report and in the Markdown table:
    // a note on an unchecked item is kept in both, an item neither checked
    // nor noted says nothing, and a note of two lines stays in its table row.
    void reviewer_answers_in_the_text_report_and_markdown()
    {
        Events e;
        e.units(0, "control", 500).units(0, "treatment", 500);
        const Report r = e.diagnose();
        QVERIFY(r.checks.size() >= 3);
        const std::string third = r.checks[2].id;
        QVERIFY(third != "variant_jumping" && third != "analysis_window");
        ReviewerWork work;
        work.answers = {{"variant_jumping", false, "asked the SDK team"}, {"analysis_window", true, ""}, {third, false, ""}};
        const std::string text = to_text(r, work);
        QVERIFY(text.find("(variant_jumping)\n") != std::string::npos);
        QVERIFY2(text.find("\n         Reviewer: not checked - asked the SDK team\n") != std::string::npos, text.c_str());
        QVERIFY(text.find("(analysis_window)\n") != std::string::npos);
        QVERIFY(text.find("\n         Reviewer: checked\n") != std::string::npos);
        std::size_t lines = 0;
        for (std::size_t at = text.find("Reviewer: "); at != std::string::npos; at = text.find("Reviewer: ", at + 1)) ++lines;
        QCOMPARE(lines, std::size_t(2));

        work.answers[0].notes = "asked the SDK team\nwaiting | for a reply\n";
        const std::string two_lines = to_text(r, work);
        QVERIFY2(two_lines.find("\n         Reviewer: not checked - asked the SDK team\n                   waiting | for a reply\n  [") !=
                     std::string::npos,
                 two_lines.c_str());
        DocumentContext ctx;
        ctx.work = work;
        const std::string md = to_markdown(build_document(r, ctx));
        QVERIFY2(md.find("| not checked: asked the SDK team waiting \\| for a reply |\n") != std::string::npos, md.c_str());
        QVERIFY(md.find("\nwaiting") == std::string::npos);
        QVERIFY(md.find("| checked |\n") != std::string::npos);
    }

    void a_window_report_gives_the_whole_span()
    {
        AnalysisRequest r;
        r.file = SRM_SAMPLE_DIR "/exposures.csv";
        r.window_start = kT0 + 4 * 86400;
        r.window_end = kT0 + 9 * 86400;
        const Report report = analyse(r);
        QVERIFY(report.window.whole_span.has_value());
        const ReportDocument d = build_document(report);
        QVERIFY(has_paragraph(section(d, "split"), "Over the whole span (not only the window): p = 3.4e-11, 14,315 units."));
        QVERIFY2(d.scope.rfind("Showing: Window 2026-03-05 00:00 – 2026-03-10 00:00 UTC", 0) == 0, d.scope.c_str());
    }

    void the_scope_of_a_window_and_a_segment()
    {
        Scope s;
        s.window = std::make_pair(kT0, kT0 + 86400);
        s.segment = std::make_pair(std::string("browser"), std::string("Safari"));
        s.units_total = 1000;
        QCOMPARE(describe_scope(s, 120), std::string("Window 2026-03-01 00:00 – 2026-03-02 00:00 UTC · segment browser = Safari · 120 of 1,000 units"));
        // The Markdown report's scope line escapes a segment value's markup.
        Events e;
        e.units(0, "control", 60).units(0, "treatment", 60);
        Report r = e.diagnose();
        r.scope.segment = std::make_pair(std::string("browser"), std::string("Fire*fox_<b>"));
        r.scope.units_total = 1000;
        const std::string md = to_markdown(build_document(r));
        QVERIFY2(md.find("\n> Showing: Segment browser = Fire\\*fox\\_&lt;b&gt; · 120 of 1,000 units\n") != std::string::npos, md.c_str());
        // And so does the HTML report's.
        const std::string html = to_html(build_document(r));
        QVERIFY2(html.find("<p class=\"scope\" id=\"scope\">Showing: Segment browser = Fire*fox_&lt;b&gt; · 120 of 1,000 units</p>\n") != std::string::npos,
                 html.c_str());
    }

    // An exact test's paragraph (and the text report) gives the asymptotic
    // chi-square p beside it; a chi-square test's does not repeat itself.
    // 1 of 9 units against 50/50: the exact binomial p is 20/512 = 0.0390625;
    // chi-square = 49/9 on 1 df, p = erfc(sqrt(49/18)) = 0.019630657
    // (python3 -c "import math; print(math.erfc(math.sqrt(49/18)))").
    // 40 of 120: chi-square 40/3, p = erfc(sqrt(20/3)) = 0.000261.
    void an_exact_test_gives_the_chi_square_p_for_comparison()
    {
        const auto paragraph_of = [](const Report& r) {
            const ReportDocument d = build_document(r);
            for (const auto& b : section(d, "split").blocks)
                if (b.kind == DocBlock::Kind::Paragraph && b.text.rfind(r.srm.method + ": chi-square = ", 0) == 0) return b.text;
            return std::string();
        };
        Events small;
        small.units(0, "control", 1).units(0, "treatment", 8);
        const Report exact = small.diagnose();
        QCOMPARE(exact.srm.test, TestKind::Exact);
        QCOMPARE(exact.srm.method, std::string("exact binomial test (two-sided), because an expected count is below 5"));
        const std::string e = paragraph_of(exact);
        QVERIFY2(e.find(": chi-square = 5.4444, df = 1, p = 0.0391 (") != std::string::npos, e.c_str());
        QVERIFY2(e.ends_with("). Asymptotic chi-square p, for comparison: 0.0196."), e.c_str());
        QVERIFY2(to_text(exact).find("\nAsymptotic chi-square p, for comparison: 0.0196\n") != std::string::npos, to_text(exact).c_str());
        Events large;
        large.units(0, "control", 40).units(0, "treatment", 80);
        const Report chi = large.diagnose();
        QCOMPARE(chi.srm.test, TestKind::ChiSquare);
        const std::string c = paragraph_of(chi);
        QVERIFY2(c.find(": chi-square = 13.3333, df = 1, p = 0.000261 (") != std::string::npos, c.c_str());
        QVERIFY2(c.find("for comparison") == std::string::npos, c.c_str());
        QVERIFY(to_text(chi).find("for comparison") == std::string::npos);
    }

    void breakdown_chart_shows_the_twelve_smallest_p_first()
    {
        Report r;
        const SegmentSeverity sev[] = {SegmentSeverity::Ok, SegmentSeverity::Warn, SegmentSeverity::Severe, SegmentSeverity::TooSmall};
        // Two dimensions, 16 segments; segment k's log10 adjusted p is
        // -(k * 7 % 16) (a permutation of 0..15); k = 16 ties with k = 1.
        for (int k = 0; k < 17; ++k) {
            if (k % 8 == 0 && k < 16) r.dimensions.push_back(DimensionResult{k == 0 ? "browser" : "country", 1.0, 0.0, {}, false});
            SegmentResult s;
            s.value = "v" + std::to_string(k);
            s.log10_adjusted_p_value = -static_cast<double>(k == 16 ? 7 : k * 7 % 16);
            s.adjusted_p_value = std::pow(10.0, s.log10_adjusted_p_value);
            s.max_deviation_pp = k == 16 ? -2.0 : 0.5 + k;
            s.severity = sev[k % 4];
            r.dimensions.back().segments.push_back(s);
        }
        const ReportDocument d = build_document(r);
        const DocChart* chart = nullptr;
        for (const auto& sec : d.sections)
            for (const auto& b : sec.blocks)
                if (b.kind == DocBlock::Kind::Chart && b.chart.id == "breakdown") chart = &b.chart;
        QVERIFY(chart);
        const std::regex label("text-anchor=\"end\" fill=\"#333333\">([a-z]+ = v[0-9]+)</text><rect [^>]* width=\"([0-9.]+)\"[^>]* fill=\"(#[0-9a-f]+)\"/><text [^>]*>([^<]*)</text>");
        QStringList bars;
        for (auto it = std::sregex_iterator(chart->svg.begin(), chart->svg.end(), label); it != std::sregex_iterator(); ++it)
            bars << QString::fromStdString((*it)[1].str() + " " + (*it)[2].str() + " " + (*it)[3].str() + " " + (*it)[4].str());
        // By p: -15 (k=9), -14 (k=2), -13 (k=11), -12 (k=4), -11 (k=13), -10 (k=6), -9 (k=15),
        // -8 (k=8), -7 (k=1, then its tie k=16), -6 (k=10), -5 (k=3); k=16 is in "country".
        // Widths: |deviation| / (1.15 x 15.5 pp, the largest shown) x 380 px (230 to 610).
        QStringList expected;
        const std::vector<std::tuple<std::string, int, std::string, std::string>> want = {
            {"country = v9", 9, "#e67e22", "warn"},      {"browser = v2", 2, "#c0392b", "severe"}, {"country = v11", 11, "#b0b0b0", "too small"},
            {"browser = v4", 4, "#5d9c59", "ok"},        {"country = v13", 13, "#e67e22", "warn"}, {"browser = v6", 6, "#c0392b", "severe"},
            {"country = v15", 15, "#b0b0b0", "too small"}, {"country = v8", 8, "#5d9c59", "ok"},   {"browser = v1", 1, "#e67e22", "warn"},
            {"country = v16", 16, "#5d9c59", "ok"},      {"country = v10", 10, "#c0392b", "severe"}, {"browser = v3", 3, "#b0b0b0", "too small"}};
        const int log10p[] = {15, 14, 13, 12, 11, 10, 9, 8, 7, 7, 6, 5};
        for (std::size_t i = 0; i < want.size(); ++i) {
            const auto& [name, k, fill, word] = want[i];
            const double dev = k == 16 ? 2.0 : 0.5 + k;
            expected << QString::fromStdString(name) + " " + QString::number(dev / (1.15 * 15.5) * 380.0, 'f', 1) + " " +
                            QString::fromStdString(fill) + " " + QString::fromStdString(word) + ", p = 1e-" +
                            QString::number(log10p[i]).rightJustified(2, '0');
        }
        QCOMPARE(bars.join("\n"), expected.join("\n"));

        // The segments' tables say each severity in words, as the chart does.
        QStringList severities;
        for (const auto& sec : d.sections)
            for (const auto& b : sec.blocks)
                if (b.kind == DocBlock::Kind::Table && !b.table.header.empty() && b.table.header[0] == "Value")
                    for (const auto& row : b.table.rows) severities << QString::fromStdString(row[0] + " " + row[4]);
        QCOMPARE(severities.mid(0, 4).join(", "), QStringLiteral("v0 ok, v1 warn, v2 severe, v3 too small"));
        QCOMPARE(severities.size(), 17);
    }

    // Step 2's table gives each metric's own p and, beside it, the p after
    // Holm's correction across the metrics: two columns that differ once
    // there are two metrics.
    void step2_gives_the_raw_and_the_holm_adjusted_p()
    {
        Report r;
        r.group_metrics.push_back(GroupMetric{"crash", true, "two-proportion z-test",
                                              {MetricVariant{"control", 0.02, 1000, 0.013, 0.029}, MetricVariant{"treatment", 0.035, 1200, 0.025, 0.047}},
                                              0.0412, 0.0824, false});
        r.group_metrics.push_back(GroupMetric{"revenue", false, "Welch's t-test",
                                              {MetricVariant{"control", 12.5, 1000, 11.25, 13.75}, MetricVariant{"treatment", 14.0, 1200, 13.0, 15.0}},
                                              0.0031, 0.0062, true});
        const ReportDocument d = build_document(r);
        const DocSection& s = section(d, "step2");
        const DocTable* t = nullptr;
        for (const auto& b : s.blocks)
            if (b.kind == DocBlock::Kind::Table) t = &b.table;
        QVERIFY(t);
        QCOMPARE(QString::fromStdString(t->header[5] + " | " + t->header[6]), QStringLiteral("p | Holm-adjusted p"));
        QStringList rows;
        for (const auto& row : t->rows) {
            QStringList cells;
            for (const auto& c : row) cells << QString::fromStdString(c);
            rows << cells.join(" | ");
        }
        QCOMPARE(rows.join("\n"), QStringLiteral("crash (rate) | control | 1,000 | 2.00 % | [1.30, 2.90] % | 0.0412 | 0.0824 | \n"
                                                 " | treatment | 1,200 | 3.50 % | [2.50, 4.70] % |  |  | \n"
                                                 "revenue (mean) | control | 1,000 | 12.500 | [11.250, 13.750] | 0.0031 | 0.0062 | differs\n"
                                                 " | treatment | 1,200 | 14.000 | [13.000, 15.000] |  |  | "));
    }

    // The HTML report leaves nothing of the document out: every section's
    // title and, in order, each paragraph (its line breaks as <br>), list
    // item, table header, cell and note, and each chart with its text
    // alternative, all escaped; on the sample with its change log, a
    // reviewer's note of two lines, and a table with a note.
    void html_shows_every_text_of_the_document()
    {
        AnalysisRequest r;
        r.file = SRM_SAMPLE_DIR "/exposures.csv";
        r.changes_file = std::string(SRM_SAMPLE_DIR "/changes.csv");
        DocumentContext ctx;
        ctx.work.answers = {{"variant_jumping", false, "asked <the> SDK team\nwaiting for a reply"}};
        ReportDocument d = build_document(analyse(r), ctx);
        DocTable extra{{"A & B", "n"}, {{"x < y", "1"}}, {false, true}, "... and 3 more \"rows\""};
        d.sections.back().blocks.push_back(DocBlock{DocBlock::Kind::Table, {}, {}, extra, {}, {}});
        d.sections.back().blocks.push_back(DocBlock{DocBlock::Kind::Paragraph, "first line\nsecond <line>", {}, {}, {}, "note"});
        const std::string html = to_html(d);
        std::size_t at = 0;
        int pieces = 0, notes = 0, charts = 0, breaks = 0, numbered = 0;
        auto expect = [&](const std::string& piece, const std::string& what) {
            const std::size_t found = html.find(piece, at);
            if (found == std::string::npos) return "missing or out of order: " + what + ": " + piece.substr(0, 200);
            at = found + piece.size();
            ++pieces;
            return std::string();
        };
        std::vector<std::string> missing;
        auto check = [&](const std::string& piece, const std::string& what) {
            const std::string m = expect(piece, what);
            if (!m.empty()) missing.push_back(m);
        };
        check(html_escape(d.title), "title");
        check(html_escape(d.health_label), "health");
        check(html_escape(d.health_headline), "headline");
        for (const auto& s : d.sections) {
            check(html_escape(s.title), "section " + s.id);
            for (const auto& b : s.blocks) switch (b.kind) {
                case DocBlock::Kind::Paragraph: {
                    std::string t = html_escape(b.text);
                    for (std::size_t nl; (nl = t.find('\n')) != std::string::npos; ++breaks) t.replace(nl, 1, "<br>");
                    check(t, "paragraph in " + s.id);
                    break;
                }
                case DocBlock::Kind::Subheading: check("<h3>" + html_escape(b.text) + "</h3>", "subheading in " + s.id); break;
                case DocBlock::Kind::Bullets:
                case DocBlock::Kind::Numbered: {
                    // A numbered list (the next steps) is an <ol>, bullets a <ul>.
                    const std::string tag = b.kind == DocBlock::Kind::Numbered ? "ol" : "ul";
                    check("<" + tag + ">", tag + " list in " + s.id);
                    for (const auto& i : b.items) check("<li>" + html_escape(i) + "</li>", "item in " + s.id);
                    check("</" + tag + ">", tag + " list end in " + s.id);
                    numbered += b.kind == DocBlock::Kind::Numbered;
                    break;
                }
                case DocBlock::Kind::Table:
                    for (const auto& h : b.table.header) check(">" + html_escape(h) + "</th>", "header in " + s.id);
                    for (const auto& row : b.table.rows)
                        for (const auto& c : row) check(">" + html_escape(c) + "</td>", "cell in " + s.id);
                    if (!b.table.note.empty()) {
                        check(">" + html_escape(b.table.note) + "</p>", "table note in " + s.id);
                        ++notes;
                    }
                    break;
                case DocBlock::Kind::Chart:
                    check(b.chart.svg, "chart " + b.chart.id);
                    check("<figcaption>" + html_escape(b.chart.alt) + "</figcaption>", "chart text of " + b.chart.id);
                    ++charts;
                    break;
                }
        }
        QVERIFY2(missing.empty(), missing.empty() ? "" : missing.front().c_str());
        QVERIFY2(pieces > 300, qPrintable(QString::number(pieces)));
        QVERIFY(notes >= 1);
        QCOMPARE(charts, 4);
        QVERIFY(breaks >= 1);
        QVERIFY(numbered >= 1);  // the next steps
        QVERIFY(html.find(">... and 3 more &quot;rows&quot;</p>") != std::string::npos);
        QVERIFY(html.find("<p class=\"note\">first line<br>second &lt;line&gt;</p>") != std::string::npos);
    }

    // Each line of the three timeline charts is drawn from its own field:
    // its points are one affine image of (time, value) for every series of
    // the chart (the cumulative units and the plan's, each variant's drift
    // and the band's both edges, the chi-square and the sequential p).
    void timeline_charts_draw_each_series_from_its_field()
    {
        Report r;
        Timeline& tl = r.timeline;
        tl.resolution = TimeResolution::Hour;
        tl.variants = {"a", "b"};
        tl.expected_share = {0.5, 0.5};
        const double chi[] = {-0.1, -0.5, -1.0, -2.5, -4.0}, seq[] = {-0.05, -0.2, -0.2, -1.0, -3.0}, dev[] = {0.5, 1.0, -0.5, 2.0, 3.0},
                     band[] = {4.0, 3.0, 2.5, 2.0, 1.5};
        std::vector<double> times;
        for (int i = 0; i < 5; ++i) {
            TimelinePoint p;
            p.time = kT0 + 3600 * (i + 1);
            p.cumulative = {std::uint64_t(100 * (i + 1) + 7 * i * i), std::uint64_t(100 * (i + 1))};
            p.expected_cumulative = {100.0 * (i + 1) + 3.5 * i * i, 100.0 * (i + 1) + 3.5 * i * i};
            p.new_units = {100, 100};
            p.expected_new = {100, 100};
            p.deviation_pp = {dev[i], -dev[i]};
            p.band_pp = {band[i], band[i]};
            p.new_deviation_pp = {0, 0};
            p.new_band_pp = {1, 1};
            p.log10_p_value = chi[i];
            p.sequential_log10_p = seq[i];
            tl.points.push_back(p);
            times.push_back(static_cast<double>(p.time));
        }
        const ReportDocument d = build_document(r);
        std::map<std::string, std::string> svg;
        for (const auto& sec : d.sections)
            for (const auto& b : sec.blocks)
                if (b.kind == DocBlock::Kind::Chart) svg[b.chart.id] = b.chart.svg;
        auto column = [&](auto f) {
            std::vector<double> v;
            for (const auto& p : tl.points) v.push_back(f(p));
            return v;
        };
        const QString cumulative = affine_mismatch(
            shapes(svg.at("cumulative_units"), "polyline"),
            {column([](const TimelinePoint& p) { return p.expected_cumulative[0]; }), column([](const TimelinePoint& p) { return double(p.cumulative[0]); }),
             column([](const TimelinePoint& p) { return p.expected_cumulative[1]; }), column([](const TimelinePoint& p) { return double(p.cumulative[1]); })},
            times);
        QVERIFY2(cumulative.isEmpty(), qPrintable(cumulative));
        const QString drift = affine_mismatch(shapes(svg.at("deviation"), "polyline"),
                                              {column([](const TimelinePoint& p) { return p.deviation_pp[0]; }),
                                               column([](const TimelinePoint& p) { return p.deviation_pp[1]; })},
                                              times);
        QVERIFY2(drift.isEmpty(), qPrintable(drift));
        // The band: its upper edge forward, then its lower edge back, on the drift's scale.
        auto drawnBand = shapes(svg.at("deviation"), "polygon");
        QCOMPARE(drawnBand.size(), std::size_t(1));
        std::vector<double> edges(band, band + 5);
        for (int i = 4; i >= 0; --i) edges.push_back(-band[i]);
        auto lines = shapes(svg.at("deviation"), "polyline");
        lines.push_back(drawnBand[0]);
        std::vector<double> bandTimes = times;
        const QString withBand = affine_mismatch(lines,
                                                 {column([](const TimelinePoint& p) { return p.deviation_pp[0]; }),
                                                  column([](const TimelinePoint& p) { return p.deviation_pp[1]; }), edges},
                                                 bandTimes);
        QVERIFY2(withBand.isEmpty(), qPrintable(withBand));
        QCOMPARE(drawnBand[0][7].first, drawnBand[0][2].first);  // the lower edge runs back over the same times
        const QString pvalues = affine_mismatch(shapes(svg.at("p_value_path"), "polyline"),
                                                {column([](const TimelinePoint& p) { return -p.log10_p_value; }),
                                                 column([](const TimelinePoint& p) { return -p.sequential_log10_p; })},
                                                times);
        QVERIFY2(pvalues.isEmpty(), qPrintable(pvalues));
    }

    void text_stays_text()
    {
        QCOMPARE(html_escape("<a href=\"x\" title='y'>&</a>"), std::string("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"));
        QCOMPARE(markdown_escape("a|b", true), std::string("a\\|b"));
        QCOMPARE(markdown_escape("[x](http://e) *y* `z`"), std::string("\\[x\\](http://e) \\*y\\* \\`z\\`"));
        QCOMPARE(markdown_escape("- item\n# head"), std::string("\\- item\n\\# head"));
        QCOMPARE(markdown_escape("-0.5", true), std::string("-0.5"));
        // Every other special character: entities stay literal text ('&lt;' is
        // shown as typed, not as '<'), a NUL becomes U+FFFD.
        QCOMPARE(markdown_escape("a<b>&lt;c&amp;d\\e_f~g!h"), std::string("a&lt;b&gt;&amp;lt;c&amp;amp;d\\\\e\\_f\\~g\\!h"));
        QCOMPARE(markdown_escape(std::string("x\0y", 3)), std::string("x\xEF\xBF\xBDy"));
        QCOMPARE(markdown_escape("+ a\n= b"), std::string("\\+ a\n\\= b"));
        QCOMPARE(markdown_escape("+1 = 1", true), std::string("+1 = 1"));
        QCOMPARE(csv_cell("@x"), std::string("'@x"));
    }
};

QTEST_APPLESS_MAIN(TestDocument)
#include "tst_document.moc"
