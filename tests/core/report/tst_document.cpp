// The report document's rules, each at its edge: at most 200 rejected rows
// listed (with how many more), a reviewer's note on an item left unchecked,
// the whole span's p in a window's report, the scope line of a window and a
// segment, and text that stays text in HTML (quotes in attributes) and
// Markdown (a pipe in a cell).
#include "support/fixtures.hpp"

#include "srm/analysis.hpp"
#include "srm/document.hpp"

#include <QtTest>

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
    }

    void text_stays_text()
    {
        QCOMPARE(html_escape("<a href=\"x\" title='y'>&</a>"), std::string("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"));
        QCOMPARE(markdown_escape("a|b", true), std::string("a\\|b"));
        QCOMPARE(markdown_escape("[x](http://e) *y* `z`"), std::string("\\[x\\](http://e) \\*y\\* \\`z\\`"));
        QCOMPARE(markdown_escape("- item\n# head"), std::string("\\- item\n\\# head"));
        QCOMPARE(markdown_escape("-0.5", true), std::string("-0.5"));
        QCOMPARE(csv_cell("@x"), std::string("'@x"));
    }
};

QTEST_APPLESS_MAIN(TestDocument)
#include "tst_document.moc"
