// The reports a reviewer hands on, checked with a reader's tools: for the
// bundled sample and a healthy, a segment-limited and a failed-check
// experiment (and one whose dimension values and notes are hostile), the
// HTML, PDF and Markdown are written and check_reports.py parses the HTML as
// HTML5 and renders it in headless Chromium, reads the PDF's pages and text
// (pdfinfo, pdftotext) and counts the Markdown tables' columns. The
// workbench's File > Export Report, Print, and the charts' and tables'
// context menus are driven through the real window.
#include "uitestutil.hpp"

#include "reportexport.h"
#include "reportpainter.h"

#include "srm/analysis.hpp"
#include "srm/simulate.hpp"
#include "srm/text.hpp"

#include <QChartView>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSvgRenderer>
#include <QTableView>
#include <fstream>
#include <sstream>

using namespace srmui;


namespace {

const std::string kHyperlink = "=HYPERLINK(\"http://x.invalid\",\"x\")";
const std::string kScript = "<script>alert(1)</script>";

// A CSV with a hostile dimension value of each kind, Safari-like skewed so that it is flagged.
std::string hostile_csv()
{
    std::ostringstream o;
    o << "timestamp,user_id,variant,browser\n";
    long u = 0;
    auto rows = [&](const std::string& browser, int control, int treatment) {
        for (int i = 0; i < control + treatment; ++i)
            o << "2026-03-0" << 1 + i % 7 << "T" << (i % 24 < 10 ? "0" : "") << i % 24 << ":00:00Z,u" << u++ << ","
              << (i < control ? "control" : "treatment") << "," << browser << "\n";
    };
    rows("\"=HYPERLINK(\"\"http://x.invalid\"\",\"\"x\"\")\"", 900, 500);
    rows(kScript, 700, 700);
    rows("Chrome", 1500, 1500);
    o << "yesterday,u999999,control,Chrome\n";  // line 5802: a time that cannot be read, rejected and listed
    return o.str();
}

// Markup in every name a report shows: the arms, a dimension's column and its
// values, a metric's column, a change's kind and description, and the file's
// name. One browser value is skewed so that Step 4 names it, and the metric
// differs between the arms so that Step 2 shows it.
const std::string kArmA = "<b>ctl</b>";
const std::string kArmB = "t|r & \"co\"";
const std::string kDimension = "br<i>owser</i>";
const std::string kDimensionValue = "Fire<u>fox</u> | *x*";
const std::string kMetric = "cr<s>ashed</s>";
const std::string kChangeKind = "con<b>fig</b>";
const std::string kChange = "Rolled out <img src=x onerror=alert(4)> [link](http://x.invalid)";

std::string hostile_names_csv()
{
    std::ostringstream o;
    o << "timestamp,user_id,variant,\"" << kDimension << "\",\"" << kMetric << "\"\n";
    long u = 0;
    auto rows = [&](const std::string& browser, int control, int treatment) {
        for (int i = 0; i < control + treatment; ++i) {
            const bool a = i < control;
            o << "2026-03-0" << 1 + i % 7 << "T" << (i % 24 < 10 ? "0" : "") << i % 24 << ":00:00Z,u" << u++ << ",\""
              << (a ? kArmA : std::string("t|r & \"\"co\"\"")) << "\",\"" << browser << "\"," << (a ? i % 10 == 0 : i % 5 == 0)
              << "\n";
        }
    };
    rows(kDimensionValue, 1200, 600);
    rows("Chrome", 1500, 1500);
    return o.str();
}

QString writeText(const QString& path, const std::string& text)
{
    std::ofstream(path.toStdString(), std::ios::binary) << text;
    return path;
}

QString simulated(QTemporaryDir& dir, srm::Scenario scenario, const char* name)
{
    srm::SimulationSpec spec;
    spec.scenario = scenario;
    spec.users = 30000;
    spec.seed = 7;
    std::ostringstream csv;
    srm::simulate(spec, csv);
    return writeText(dir.filePath(name), csv.str());
}

QJsonArray strings(const std::vector<std::string>& list)
{
    QJsonArray a;
    for (const auto& s : list) a.append(QString::fromStdString(s));
    return a;
}

struct Case {
    QString name;
    srm::Report report;
    srm::ReviewerWork work;
    std::vector<std::string> hostile;
};

// Writes the three documents and the case file check_reports.py reads.
QString writeCase(QTemporaryDir& dir, const Case& c, int minPages, int maxPages)
{
    const srm::ReportDocument doc = srm::build_document(c.report, srm::DocumentContext{c.work, 1764612000, "SRM Workbench"});
    const QString base = dir.filePath(c.name);
    writeReportFile(doc, base + ".html");
    writeReportFile(doc, base + ".pdf");
    writeReportFile(doc, base + ".md");
    std::vector<std::string> texts = {c.report.verdict.summary, doc.health_label, c.report.health.headline};
    for (const auto& v : c.report.srm.variants) {
        texts.push_back(v.name);
        texts.push_back(srm::group_thousands(v.observed));
    }
    if (!c.work.notes.empty()) texts.push_back(c.work.notes);
    for (const auto& e : c.report.input.errors) texts.push_back(std::to_string(e.line) + " " + e.message);
    for (const auto& a : c.work.answers)
        if (!a.notes.empty()) texts.push_back(a.notes);
    QJsonObject o{{"html", base + ".html"}, {"pdf", base + ".pdf"}, {"md", base + ".md"}, {"texts", strings(texts)},
                  {"pages", QJsonArray{minPages, maxPages}}, {"page_size", QJsonArray{595, 842}},
                  {"md_tables", QJsonArray{QJsonArray{"Variant", 6}, QJsonArray{"Status", 4}, QJsonArray{"Column", 3}}},
                  {"hostile", strings(c.hostile)}, {"png_out", base + ".png"}};
    QFile f(base + ".json");
    if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(f.fileName()));
    f.write(QJsonDocument(o).toJson());
    return f.fileName();
}

srm::Report analyse(const QString& file, const QString& changes = {})
{
    srm::AnalysisRequest r;
    r.file = file.toStdString();
    if (!changes.isEmpty()) r.changes_file = changes.toStdString();
    return srm::analyse(r);
}

bool runChecker(const QStringList& cases, QString* output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(SRM_PYTHON), QStringList{QStringLiteral(SRM_REPORT_CHECKER)} + cases);
    if (!p.waitForFinished(300000)) return false;
    *output = QString::fromUtf8(p.readAll());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

}  // namespace

class TestReports : public QObject {
    Q_OBJECT

private slots:
    void four_experiments_in_every_format()
    {
        QTemporaryDir dir;
        Case sample{"sample", analyse(kSample, QStringLiteral(SRM_SAMPLE_DIR "/changes.csv")), {}, {}};
        sample.work.notes = "Safari's lazy-loaded SDK confirmed with the web team.\nTicket EXP-1423.";
        sample.work.answers = {{"variant_jumping", true, "logs checked for 14 days"}};
        QCOMPARE(sample.report.health.state, srm::HealthState::Severe);
        Case healthy{"healthy", analyse(simulated(dir, srm::Scenario::Healthy, "healthy.csv")), {}, {}};
        QCOMPARE(healthy.report.health.state, srm::HealthState::Healthy);
        Case segment{"segment", analyse(simulated(dir, srm::Scenario::SegmentSkew, "segment.csv")), {}, {}};
        QCOMPARE(segment.report.health.state, srm::HealthState::SegmentLimited);
        Case failed{"failed", analyse(simulated(dir, srm::Scenario::VariantJumping, "failed.csv")), {}, {}};
        QCOMPARE(failed.report.health.state, srm::HealthState::CheckFailed);
        failed.work.notes = "Jumping comes from the cache key; see INC-77.";
        Case hostile{"hostile", analyse(writeText(dir.filePath("hostile.csv"), hostile_csv())), {}, {kHyperlink, kScript}};
        QCOMPARE(hostile.report.input.errors.size(), std::size_t(1));
        QCOMPARE(hostile.report.input.errors[0].line, std::uint64_t(5802));
        hostile.work.notes = "Note with markup: <script>alert(2)</script> | and a pipe";
        hostile.hostile.push_back(hostile.work.notes);
        const QString namesFile = dir.filePath(QStringLiteral("exp<i>1<i> | 2.csv"));
        writeText(namesFile, hostile_names_csv());
        const QString namesChanges =
            writeText(dir.filePath(QStringLiteral("changes.csv")),
                      "timestamp,kind,description\n2026-03-03T12:00:00Z,\"" + kChangeKind + "\",\"" + kChange + "\"\n");
        Case names{"names", analyse(namesFile, namesChanges), {}, {kArmA, kArmB, kDimension, kDimensionValue, kMetric, kChangeKind, kChange,
                                                                   "exp<i>1<i> | 2.csv"}};
        QCOMPARE(names.report.health.state, srm::HealthState::Severe);
        QCOMPARE(names.report.srm.variants.size(), std::size_t(2));
        QCOMPARE(names.report.srm.variants[1].name, kArmB);
        names.work.answers = {{"variant_jumping", true, "checked <b>twice</b> | ok"}};
        QStringList cases = {writeCase(dir, sample, 4, 7), writeCase(dir, healthy, 3, 6), writeCase(dir, segment, 3, 7),
                             writeCase(dir, failed, 3, 7), writeCase(dir, hostile, 3, 6), writeCase(dir, names, 3, 7)};
        QString out;
        const bool ok = runChecker(cases, &out);
        // The README's screenshots come from here when asked for (SRM_REPORT_SCREENSHOTS=folder).
        if (const QByteArray keep = qgetenv("SRM_REPORT_SCREENSHOTS"); !keep.isEmpty())
            for (const QString& n : QDir(dir.path()).entryList(QDir::Files)) {
                QFile::remove(QString::fromUtf8(keep) + "/" + n);
                QFile::copy(dir.filePath(n), QString::fromUtf8(keep) + "/" + n);
            }
        QVERIFY2(ok, qPrintable(out));
    }

    // The checker fails a report it should fail: a raw <script> and a table row with a cell too many.
    void the_checker_can_fail()
    {
        QTemporaryDir dir;
        Case hostile{"bad", analyse(writeText(dir.filePath("hostile.csv"), hostile_csv())), {}, {kScript}};
        const QString json = writeCase(dir, hostile, 1, 99);
        QString html;
        {
            QFile f(dir.filePath("bad.html"));
            QVERIFY(f.open(QIODevice::ReadOnly));
            html = QString::fromUtf8(f.readAll());
        }
        html.replace(QStringLiteral("</main>"), QStringLiteral("<script>alert(1)</script></main>"));
        writeText(dir.filePath("bad.html"), html.toStdString());
        QFile md(dir.filePath("bad.md"));
        QVERIFY(md.open(QIODevice::Append));
        md.write("\n| Variant | a | b | c | d | e |\n| --- | --- | --- | --- | --- | --- |\n| x | 1 | 2 | 3 | 4 | 5 | 6 |\n");
        md.close();
        QString out;
        QVERIFY(!runChecker({json}, &out));
        QVERIFY2(out.contains(QStringLiteral("HTML has a <script> element")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("7 cells, not 6")), qPrintable(out));
    }

    // A value that starts like a formula is prefixed; a plain number is not; quotes and commas per RFC 4180.
    void csv_is_formula_safe()
    {
        QCOMPARE(srm::csv_cell(kHyperlink), std::string("\"'=HYPERLINK(\"\"http://x.invalid\"\",\"\"x\"\")\""));
        QCOMPARE(srm::csv_cell("+1 555"), std::string("'+1 555"));
        QCOMPARE(srm::csv_cell("-2+3"), std::string("'-2+3"));
        QCOMPARE(srm::csv_cell("@SUM(A1)"), std::string("'@SUM(A1)"));
        QCOMPARE(srm::csv_cell("\tx"), std::string("'\tx"));
        QCOMPARE(srm::csv_cell("\rx"), std::string("\"'\rx\""));
        QCOMPARE(srm::csv_cell("-0.25"), std::string("-0.25"));
        QCOMPARE(srm::csv_cell("+3"), std::string("+3"));
        QCOMPARE(srm::csv_cell("a,b"), std::string("\"a,b\""));
        QCOMPARE(srm::csv_cell("plain"), std::string("plain"));
        QCOMPARE(srm::to_csv({{"a", "b"}, {"1", "x\ny"}}), std::string("a,b\r\n1,\"x\ny\"\r\n"));
    }

    // File > Export Report in each format, with the notes typed in; File > Print through the preview.
    void export_and_print_from_the_window()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        auto* notes = f.window.findChild<QPlainTextEdit*>(QStringLiteral("reviewerNotes"));
        QVERIFY(notes);
        notes->setPlainText(QStringLiteral("Checked with the SDK team <b>today</b>"));
        QTemporaryDir dir;
        for (const char* name : {"r.html", "r.md", "r.pdf"}) {
            f.dialogs.files = {dir.filePath(name)};
            f.window.findChild<QAction*>(QStringLiteral("exportReportAction"))->trigger();
            QVERIFY2(QFile::exists(dir.filePath(name)), name);
        }
        QFile html(dir.filePath("r.html"));
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QByteArray h = html.readAll();
        QVERIFY(h.contains("Checked with the SDK team &lt;b&gt;today&lt;/b&gt;"));
        QVERIFY(h.contains("7,554"));
        QFile md(dir.filePath("r.md"));
        QVERIFY(md.open(QIODevice::ReadOnly));
        QVERIFY(md.readAll().contains("| control | 7,554 | 7157.5 | 52.770 % | 50.000 % | +2.770 pp |"));
        // A name without an extension becomes HTML.
        f.dialogs.files = {dir.filePath("plain")};
        f.window.findChild<QAction*>(QStringLiteral("exportReportAction"))->trigger();
        QVERIFY(QFile::exists(dir.filePath("plain.html")));
        // An unwritable place: a clear message, nothing left behind.
        f.dialogs.files = {dir.filePath("missing-folder/r.html")};
        f.window.findChild<QAction*>(QStringLiteral("exportReportAction"))->trigger();
        QCOMPARE(f.dialogs.errors.size(), 1);
        QVERIFY2(f.dialogs.errors.front().contains(QStringLiteral("No such file or directory")), qPrintable(f.dialogs.errors.front()));
        f.dialogs.printTo = dir.filePath("printed.pdf");
        f.window.findChild<QAction*>(QStringLiteral("printAction"))->trigger();
        QCOMPARE(f.dialogs.printPreviews, 1);
        QFile printed(f.dialogs.printTo);
        QVERIFY(printed.open(QIODevice::ReadOnly));
        QVERIFY(printed.readAll().startsWith("%PDF-"));
    }

    // Every chart: Save as SVG (vectors that parse) and PNG (the view's size); every table: Save as CSV.
    void charts_and_tables_save_from_their_menus()
    {
        Fixture f;
        QTemporaryDir dir;
        QVERIFY(f.open(writeText(dir.filePath("hostile.csv"), hostile_csv())));
        const auto charts = f.window.findChildren<QChartView*>();
        QVERIFY(charts.size() >= 5);
        for (QChartView* view : charts) {
            f.dialogs.menuChoice = QStringLiteral("Save as SVG…");
            f.dialogs.files = {dir.filePath(view->objectName() + ".svg")};
            emit view->customContextMenuRequested(QPoint(5, 5));
            QCOMPARE(f.dialogs.menuEntries, (QStringList{"Copy Image", "Save as PNG…", "Save as SVG…"}));
            QSvgRenderer svg(dir.filePath(view->objectName() + ".svg"));
            QVERIFY2(svg.isValid(), qPrintable(view->objectName()));
            f.dialogs.menuChoice = QStringLiteral("Save as PNG…");
            f.dialogs.files = {dir.filePath(view->objectName() + ".png")};
            emit view->customContextMenuRequested(QPoint(5, 5));
            const QImage png(dir.filePath(view->objectName() + ".png"));
            QCOMPARE(png.size(), view->size() * view->devicePixelRatioF());
            QApplication::clipboard()->clear();
            f.dialogs.menuChoice = QStringLiteral("Copy Image");
            emit view->customContextMenuRequested(QPoint(5, 5));
            QCOMPARE(QApplication::clipboard()->image().size(), png.size());
        }
        auto* segments = f.window.findChild<QTableView*>(QStringLiteral("segmentsTable"));
        QVERIFY(segments);
        f.dialogs.menuChoice = QStringLiteral("Save as CSV…");
        f.dialogs.files = {dir.filePath("segments.csv")};
        emit segments->customContextMenuRequested(QPoint(5, 5));
        QFile csv(dir.filePath("segments.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QByteArray text = csv.readAll();
        QCOMPARE(text.count("\r\n"), segments->model()->rowCount() + 1);
        QVERIFY2(text.contains("\"'=HYPERLINK(\"\"http://x.invalid\"\",\"\"x\"\")\""), text.constData());
        QVERIFY(text.contains(kScript.c_str()));  // text in a CSV is inert; only formulas run
        for (QTableView* table : f.window.findChildren<QTableView*>()) {
            f.dialogs.menuChoice = QStringLiteral("Save as CSV…");
            f.dialogs.files = {dir.filePath(table->objectName() + ".csv")};
            emit table->customContextMenuRequested(QPoint(5, 5));
            QVERIFY2(QFile::exists(dir.filePath(table->objectName() + ".csv")), qPrintable(table->objectName()));
        }
    }
    // The filter in use is on the report: a segment looked at is named with its units.
    void a_filtered_view_is_labelled()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        QSignalSpy shown(&f.window, &MainWindow::reportShown);
        f.window.lookAtSegment({"browser", "Safari"});
        QVERIFY(shown.wait(30000));
        QTemporaryDir dir;
        f.dialogs.files = {dir.filePath("safari.html")};
        f.window.findChild<QAction*>(QStringLiteral("exportReportAction"))->trigger();
        QFile html(dir.filePath("safari.html"));
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QByteArray h = html.readAll();
        QVERIFY2(h.contains("<p class=\"scope\" id=\"scope\">Showing: Segment browser = Safari · 2,521 of 14,315 units</p>"), h.left(3000).constData());
    }

    // The real print preview opens without a nested event loop and paints the report.
    void the_print_preview_opens_and_paints()
    {
        QtDialogService dialogs;
        int painted = 0, pages = 0;
        const srm::ReportDocument doc = srm::build_document(analyse(kSample));
        dialogs.printPreview(nullptr, [&](QPrinter* printer) {
            ++painted;
            pages = paintReport(doc, printer);
        });
        QWidget* preview = nullptr;
        QTRY_VERIFY((preview = [] {
            for (QWidget* w : QApplication::topLevelWidgets())
                if (w->objectName() == QLatin1String("printPreview") && w->isVisible()) return w;
            return static_cast<QWidget*>(nullptr);
        }()) != nullptr);
        QTRY_VERIFY(painted > 0);
        QVERIFY(pages >= 4);
        preview->close();
    }
};

QTEST_MAIN(TestReports)
#include "tst_reports.moc"
