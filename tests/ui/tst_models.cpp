// Every UI model under QAbstractItemModelTester, filled from a real report.
#include "pageparts.h"
#include "pages.h"
#include "reportexport.h"
#include "reportformat.h"
#include "reportmodels.h"
#include "step4page.h"
#include "tablecopy.h"
#include "srm/diagnosis.hpp"
#include "srm/ingest.hpp"
#include "srm/simulate.hpp"
#include "variantmodel.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QApplication>
#include <QClipboard>
#include <QStandardItemModel>
#include <QTableView>
#include <QChart>
#include <QPalette>
#include <QScopeGuard>
#include <QSortFilterProxyModel>
#include <QtTest>
#include <cmath>
#include <sstream>

namespace {
srm::Report simulatedReport()
{
    srm::SimulationSpec spec;
    spec.users = 20000;
    spec.scenario = srm::Scenario::DeploymentDrop;
    std::ostringstream csv;
    srm::simulate(spec, csv);
    const auto ds = srm::load_csv_memory(csv.str(), "m.csv");
    srm::DiagnosisOptions o;
    o.changes = {{1772928000, "deployment", "Release 4.2.0", 2}};
    return srm::diagnose_dataset(ds, o);
}
}  // namespace

class TestModels : public QObject {
    Q_OBJECT

private slots:
    void variant_model()
    {
        srmui::VariantTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        const auto r = srm::test_srm({{"a", 600, 1}, {"b", 400, 1}, {"c", 12, 0}});
        model.setResult(r);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, srmui::VariantTableModel::Observed).data(srmui::VariantTableModel::RawRole).toDouble(), 600.0);
        QVERIFY(model.index(2, srmui::VariantTableModel::Name).data().toString().contains("planned at 0 %"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void step_models()
    {
        const auto report = simulatedReport();
        srmui::MetricsModel metrics;
        srmui::ChangesModel changes;
        srmui::SegmentsModel segments;
        srmui::ChecklistModel checklist;
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&segments);
        QAbstractItemModelTester t1(&metrics, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&changes, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(&segments, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t4(&checklist, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t5(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        metrics.setReport(report);
        changes.setReport(report);
        segments.setReport(report);
        checklist.setReport(report);
        QCOMPARE(metrics.rowCount(), 1);
        QCOMPARE(metrics.columnCount(), 2 + 4);
        QCOMPARE(changes.rowCount(), 1);
        int segmentRows = 0;  // one row per segment of every dimension
        for (const auto& d : report.dimensions) segmentRows += static_cast<int>(d.segments.size());
        QVERIFY(segmentRows > 10);
        QCOMPARE(segments.rowCount(), segmentRows);
        QCOMPARE(segments.segmentAt(segments.topRow()).second, std::string("Safari"));
        QCOMPARE(checklist.rowCount(), static_cast<int>(report.checks.size()));
        // Only the manual questions are the reviewer's to tick and annotate;
        // an automated check's result is the program's, not editable.
        int manual = 0, automated = 0;
        for (int r = 0; r < checklist.rowCount(); ++r) {
            const bool isManual = report.checks[static_cast<std::size_t>(r)].status == srm::CheckStatus::Manual;
            (isManual ? manual : automated) += 1;
            const QModelIndex done = checklist.index(r, srmui::ChecklistModel::Done), notes = checklist.index(r, srmui::ChecklistModel::Notes);
            QCOMPARE(static_cast<bool>(checklist.flags(done) & Qt::ItemIsUserCheckable), isManual);
            QCOMPARE(static_cast<bool>(checklist.flags(notes) & Qt::ItemIsEditable), isManual);
            QCOMPARE(static_cast<bool>(checklist.flags(done) & Qt::ItemIsEditable), false);
            QCOMPARE(done.data(Qt::CheckStateRole).isValid(), isManual);
            if (!isManual) QVERIFY(!checklist.setData(done, Qt::Checked, Qt::CheckStateRole));
        }
        QVERIFY(manual > 0 && automated > 0);
        proxy.sort(srmui::SegmentsModel::Units);
        proxy.setFilterKeyColumn(-1);
        proxy.setFilterFixedString("Safari");
        // Every column: Safari's row and the three segments the explanation
        // says Safari explains (os = iOS, os = macOS, sdk_version = 3.3.0).
        QCOMPARE(proxy.rowCount(), 4);
        for (int r = 0; r < proxy.rowCount(); ++r) {
            QStringList cells;
            for (int k = 0; k < proxy.columnCount(); ++k) cells << proxy.index(r, k).data().toString();
            QVERIFY2(cells[1] == "Safari" || cells.contains("explained by browser = Safari"), qPrintable(cells.join('|')));
        }
        proxy.setFilterKeyColumn(1);  // the value column alone
        QCOMPARE(proxy.rowCount(), 1);
        metrics.setReport(srm::Report{});
        QCOMPARE(metrics.rowCount(), 0);
    }

    // Each column of the metrics, changes and segments tables shows its own
    // field: a hand-made report where every field has a value of its own,
    // exported (locale-free) and shown (US English).
    // Step 4's explanation in words: each segment's units, its share of the
    // imbalance in percent, its p, where it broke, whether it is marginal,
    // the alternatives and the dimensions not searched; names escaped.
    void the_explanation_in_words()
    {
        const QLocale before;
        auto restore = qScopeGuard([&] { QLocale::setDefault(before); });
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        srm::Report r;
        r.explanation.status = srm::ExplanationStatus::Localized;
        r.explanation.summary = "Two segments <explain> it.";
        srm::ExplainingSegment a;
        a.conditions = {{"browser", "Safari"}};
        a.units = 12345;
        a.share_of_imbalance = 0.4567;
        a.p_value = 4.7e-13;
        a.log10_p_value = std::log10(4.7e-13);
        a.change_point = 1772334000;
        a.alternatives = {{{{"os", "iOS"}}, "explains less of it"}};
        srm::ExplainingSegment b;
        b.conditions = {{"browser", "Edge"}, {"sdk", "3.2<b>"}};
        b.units = 80;
        b.share_of_imbalance = 0.05;
        b.p_value = 0.02;
        b.log10_p_value = std::log10(0.02);
        b.marginal = true;
        r.explanation.segments = {a, b};
        r.explanation.dimensions_left_out = {"city", "zip"};
        QCOMPARE(srmui::explanationHtml(r),
                 QString::fromUtf8("<b>Two segments &lt;explain&gt; it.</b><ul style=\"margin-top:2px\"><li><b>browser = Safari</b>: 12,345 units, "
                                   "45.7 % of the imbalance, p = 4.7e-13; broke at 2026-03-01 03:00 UTC<br>&nbsp;&nbsp;Not os = iOS: explains "
                                   "less of it</li><li><b>browser = Edge \u2227 sdk = 3.2&lt;b&gt;</b>: 80 units, 5.0 % of the imbalance, p = 0.0200 "
                                   "\u2014 marginal: taken only because the rest was still off the plan without it</li></ul><br>Not searched (too "
                                   "many combinations with the others): city, zip."));
    }

    void every_column_shows_its_own_field()
    {
        const QLocale before;
        auto restore = qScopeGuard([&] { QLocale::setDefault(before); });
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        srm::Report r;
        r.srm = srm::test_srm({{"control", 5200, 1}, {"treatment", 4800, 1}});
        srm::GroupMetric crash{"crashed", true, "two-proportion z-test against control",
                               {{"control", 0.0213, 5200, 0.0177, 0.0256}, {"treatment", 0.0391, 4800, 0.0339, 0.0451}}, 2.5e-7, 5.0e-7, true};
        srm::GroupMetric revenue{"revenue", false, "Welch's t-test against control",
                                 {{"control", 12.3456, 5200, 11.9, 12.8}, {"treatment", 12.5, 4800, 12.01, 12.99}}, 0.31, 0.62, false};
        r.group_metrics = {crash, revenue};
        srmui::MetricsModel metrics;
        metrics.setReport(r);
        QCOMPARE(srmui::tableCsv(&metrics),
                 QString("Metric,control (95 % interval),treatment (95 % interval),p,Holm-adjusted p,Flag\r\n"
                         "crashed (rate),\"2.13 % [1.77, 2.56]  n = 5200\",\"3.91 % [3.39, 4.51]  n = 4800\",2.5e-07,5e-07,\u26A0 differs between variants\r\n"
                         "revenue (mean),\"12.346 [11.900, 12.800]  n = 5200\",\"12.500 [12.010, 12.990]  n = 4800\",0.3100,0.6200,no difference\r\n"));
        QCOMPARE(metrics.index(0, 3).data(srmui::kRawRole).toDouble(), 2.5e-7);
        QCOMPARE(metrics.index(0, 4).data(srmui::kRawRole).toDouble(), 5.0e-7);
        QCOMPARE(metrics.index(0, 0).data(srmui::kStatusRole).toString(), QString("flag"));
        QCOMPARE(metrics.index(1, 0).data(srmui::kStatusRole).toString(), QString("ok"));

        r.changes = {{{1772928000, "deployment", "Release 4.2.0", 2}, -5400.0, true}, {{1773014400, "config", "flag on", 3}, 81000.0, false},
                     {{1773100800, "note", "", 4}, std::nullopt, false}};
        srmui::ChangesModel changes;
        changes.setReport(r);
        QCOMPARE(srmui::tableCsv(&changes), QString("Time (UTC),Kind,Description,From change point,Near\r\n"
                                                   "2026-03-08 00:00,deployment,Release 4.2.0,'-1.5 h,\u25CF near\r\n"
                                                   "2026-03-09 00:00,config,flag on,'+22.5 h,\r\n"
                                                   "2026-03-10 00:00,note,,no change point,\r\n"));
        QCOMPARE(changes.index(0, 0).data(srmui::kStatusRole).toString(), QString("near"));
        QCOMPARE(changes.index(1, 0).data(srmui::kStatusRole).toString(), QString("far"));
        QCOMPARE(changes.index(0, srmui::ChangesModel::Distance).data(srmui::kRawRole).toDouble(), -5400.0);

        srm::DimensionResult browser{"browser", 1e-9, -9.0, {}, false};
        auto seg = [](std::string value, std::uint64_t c, std::uint64_t t, double p, double adj, srm::SegmentSeverity sev, double share, double dev) {
            srm::SegmentResult s;
            s.value = std::move(value);
            s.counts = {c, t};
            s.units = c + t;
            s.p_value = p;
            s.log10_p_value = std::log10(p);
            s.adjusted_p_value = adj;
            s.log10_adjusted_p_value = std::log10(adj);
            s.severity = sev;
            s.share_of_imbalance = share;
            s.max_deviation_pp = dev;
            return s;
        };
        browser.segments = {seg("Safari", 1300, 700, 1e-12, 3e-12, srm::SegmentSeverity::Severe, 0.755, 15.0),
                            seg("Chrome", 2600, 2500, 0.16, 0.32, srm::SegmentSeverity::Ok, 0.125, -0.98),
                            seg("Edge", 30, 10, 0.0016, 0.0048, srm::SegmentSeverity::TooSmall, 0.12, 25.0)};
        r.dimensions = {browser};
        r.ranked_segments = {{"browser", "Safari", 3e-12, std::log10(3e-12), 0.755}, {"browser", "Chrome", 0.32, std::log10(0.32), 0.125}};
        srmui::SegmentsModel segments;
        segments.setReport(r);
        QCOMPARE(srmui::tableCsv(&segments),
                 QString("Dimension,Value,Units,Largest deviation,Adjusted p (Holm),Severity,Share of imbalance,Explanation,Rank\r\n"
                         "browser,Safari,2000,15.00 pp,3e-12,severe,75.5 %,,\u25B2 1 (most implicated)\r\n"
                         "browser,Chrome,5100,'-0.98 pp,0.3200,ok,12.5 %,,2\r\n"
                         "browser,Edge,40,25.00 pp,0.0048,too small,12.0 %,,\r\n"));
        // The Explanation column: a segment that explains the SRM alone, a
        // value that is one half of an explaining pair, and a segment the
        // explanation accounts for.
        srm::ExplainingSegment alone;
        alone.conditions = {{"browser", "Safari"}};
        srm::ExplainingSegment pair;
        pair.conditions = {{"browser", "Edge"}, {"os", "iOS"}};
        r.explanation.segments = {alone, pair};
        r.explanation.explained_segments = {{{"browser", "Chrome"}}};
        segments.setReport(r);
        QStringList explanation;
        for (int row = 0; row < segments.rowCount(); ++row)
            explanation << segments.index(row, srmui::SegmentsModel::Value).data().toString() + ": " +
                               segments.index(row, srmui::SegmentsModel::Explanation).data().toString();
        QCOMPARE(explanation.join(" | "), QString::fromUtf8("Safari: \u25C6 explains | Chrome: explained by browser = Safari and browser = Edge \u2227 os = iOS | "
                                                           "Edge: \u25C7 part of browser = Edge \u2227 os = iOS"));
        QCOMPARE(segments.index(0, 0).data(Qt::ToolTipRole).toString(),
                 QString("<b>browser = Safari</b><br>control: 1,300<br>treatment: 700<br>p = 1e-12 (unadjusted)"));
        QCOMPARE(segments.topRow(), 0);
        QCOMPARE(segments.index(2, srmui::SegmentsModel::Rank).data(srmui::kRawRole).toInt(), 1000000);
        // Step 4 opens at the segment that explains the SRM alone; failing
        // that, at a value of an explaining pair; failing that, at rank 1.
        QCOMPARE(segments.topRow(), 0);
        r.explanation.segments = {pair};
        segments.setReport(r);
        QCOMPARE(segments.topRow(), 2);
        r.explanation.segments.clear();
        r.ranked_segments = {{"browser", "Chrome", 0.32, std::log10(0.32), 0.125}};
        segments.setReport(r);
        QCOMPARE(segments.topRow(), 1);
    }

    // The words, colours and glyphs of each state and status, and the number
    // formats at their edges: every state has its own colour and text.
    void format_helpers_for_each_state()
    {
        const QLocale before;
        auto restore = qScopeGuard([&] { QLocale::setDefault(before); });
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        using H = srm::HealthState;
        const std::vector<std::tuple<H, QString, QString, QString>> states = {
            {H::Healthy, "Balanced", "#2e7d32", "\u2714"},          {H::Warn, "SRM alert", "#f9a825", "\u26A0"},
            {H::Severe, "Severe SRM", "#c62828", "\u2716"},         {H::SegmentLimited, "SRM inside segments", "#ef6c00", "\u26A0"},
            {H::InputProblem, "Input problem", "#6a1b9a", "\u26D4"}, {H::CheckFailed, "Check failed", "#ad1457", "\u2716"}};
        for (const auto& [state, text, colour, glyph] : states) {
            QCOMPARE(srmui::healthText(state), text);
            QCOMPARE(srmui::healthColor(state).name(), colour);
            QCOMPARE(srmui::healthGlyph(state), glyph);
        }
        QCOMPARE(srmui::severityText(srm::Severity::Ok), QString("Balanced"));
        QCOMPARE(srmui::severityText(srm::Severity::Warn), QString("SRM alert"));
        QCOMPARE(srmui::severityText(srm::Severity::Severe), QString("Severe SRM"));
        using C = srm::CheckStatus;
        QCOMPARE(srmui::checkStatusText(C::Pass), QString("pass"));
        QCOMPARE(srmui::checkStatusText(C::Warn), QString("warn"));
        QCOMPARE(srmui::checkStatusText(C::Fail), QString("fail"));
        QCOMPARE(srmui::checkStatusText(C::Manual), QString("manual"));
        QCOMPARE(srmui::checkStatusText(C::NotApplicable), QString("n/a"));
        // A deviation of exactly zero is "+0.000 pp", a negative one keeps its sign.
        QCOMPARE(srmui::formatDeviationPp(0.0), QString("+0.000 pp"));
        QCOMPARE(srmui::formatDeviationPp(-1.23449), QString("-1.234 pp"));
        QCOMPARE(srmui::formatDeviationPp(12.3456), QString("+12.346 pp"));
        QCOMPARE(srmui::formatShare(0.5), QString("50.000 %"));
        QCOMPARE(srmui::formatShare(0.123456), QString("12.346 %"));
        QCOMPARE(srmui::formatCount(1234567), QString("1,234,567"));
        QCOMPARE(srmui::formatNumber(1234.5678, 2), QString("1,234.57"));
        QCOMPARE(srmui::formatTime(1772368496), QString("2026-03-01 12:34"));  // UTC, whatever the zone
        QCOMPARE(srmui::formatP(0.5, std::log10(0.5)), QString("0.5000"));
        // The tooltip: each variant's observed, expected and deviation, and the p-value with its method.
        srm::Report report;
        report.srm = srm::test_srm({{"a", 12345, 1}, {"b", 10000, 1}});
        report.health.headline = "Severe <SRM>";
        const QString tip = srmui::healthTooltip(report);
        QVERIFY2(tip.contains("<b>Severe &lt;SRM&gt;</b>"), qPrintable(tip));
        QVERIFY2(tip.contains(QString("<tr><td>a</td><td align=right>12,345</td><td align=right>11,172.5</td><td align=right>+5.247\u00A0pp</td></tr>")),
                 qPrintable(tip));
        QVERIFY2(tip.contains(QString("<tr><td>b</td><td align=right>10,000</td><td align=right>11,172.5</td><td align=right>-5.247\u00A0pp</td></tr>")),
                 qPrintable(tip));
        QVERIFY2(tip.contains("p = " + srmui::formatP(report.srm).replace(' ', QChar(0x00A0)) + " (" + QString::fromStdString(report.srm.method) + ")"),
                 qPrintable(tip));
        // A variant's name is text in the tooltip's HTML, never markup.
        report.srm = srm::test_srm({{"<b>x & y", 12345, 1}, {"b", 10000, 1}});
        const QString named = srmui::healthTooltip(report);
        QVERIFY2(named.contains("<tr><td>&lt;b&gt;x &amp; y</td><td align=right>12,345</td>"), qPrintable(named));
    }

    // The tables, texts and chart axes show numbers in the user's locale; Save
    // as CSV writes them locale-free, the same file in every locale.
    void numbers_follow_the_users_locale_exports_do_not()
    {
        const QLocale before;
        auto restore = qScopeGuard([&] { QLocale::setDefault(before); });
        using M = srmui::VariantTableModel;
        M model;
        model.setResult(srm::test_srm({{"a", 12345, 1}, {"b", 10000, 1}}));
        auto cell = [&](int column, int role) { return model.index(0, column).data(role).toString(); };
        // 12345 / 22345 = 55.2473 %, 5.2473 pp over the plan; expected 22345 / 2 = 11172.5.
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        QCOMPARE(cell(M::Observed, Qt::DisplayRole), QString("12.345"));
        QCOMPARE(cell(M::Expected, Qt::DisplayRole), QString("11.172,5"));
        QCOMPARE(cell(M::ObservedShare, Qt::DisplayRole), QString("55,247 %"));
        QCOMPARE(cell(M::Deviation, Qt::DisplayRole), QString("+5,247 pp"));
        QCOMPARE(srmui::formatP(3.4e-11, std::log10(3.4e-11)), QString("3,4e-11"));
        QCOMPARE(srmui::formatP(0.045671, std::log10(0.045671)), QString("0,0457"));
        QCOMPARE(cell(M::Observed, srmui::kExportRole), QString("12345"));
        QCOMPARE(cell(M::Expected, srmui::kExportRole), QString("11172.5"));
        // RFC 4180 line ends; a cell starting with + or - gets the formula guard (').
        const QString csv = QStringLiteral(
            "Variant,Observed units,Expected units,Observed share,Expected share,Deviation\r\n"
            "a,12345,11172.5,55.247 %,50.000 %,'+5.247 pp\r\n"
            "b,10000,11172.5,44.753 %,50.000 %,'-5.247 pp\r\n");
        QCOMPARE(srmui::tableCsv(&model), csv);
        QChart chart;
        srmui::applyChartStyle(&chart, QPalette());
        QVERIFY(chart.localizeNumbers());
        QCOMPARE(chart.locale(), QLocale(QLocale::German, QLocale::Germany));

        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QCOMPARE(cell(M::Observed, Qt::DisplayRole), QString("12,345"));
        QCOMPARE(cell(M::Expected, Qt::DisplayRole), QString("11,172.5"));
        QCOMPARE(srmui::tableCsv(&model), csv);
        // A system that names no locale ("C", "POSIX") gets US English, as before.
        QLocale::setDefault(QLocale::c());
        QCOMPARE(cell(M::Observed, Qt::DisplayRole), QString("12,345"));
        QCOMPARE(srmui::tableCsv(&model), csv);

        // The step tables: every number cell exports without grouping and with a decimal point.
        const auto report = simulatedReport();
        srmui::SegmentsModel segments;
        srmui::MetricsModel metrics;
        segments.setReport(report);
        metrics.setReport(report);
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        const QString germanSegments = srmui::tableCsv(&segments), germanMetrics = srmui::tableCsv(&metrics);
        for (int r = 0; r < segments.rowCount(); ++r) {
            const auto& s = segments.resultAt(r);
            QCOMPARE(segments.index(r, srmui::SegmentsModel::Units).data().toString(), QLocale().toString(qulonglong(s.units)));
            QCOMPARE(segments.index(r, srmui::SegmentsModel::Units).data(srmui::kExportRole).toString(), QString::number(s.units));
            QCOMPARE(segments.index(r, srmui::SegmentsModel::Share).data(srmui::kExportRole).toString(),
                     QString::number(s.share_of_imbalance * 100.0, 'f', 1) + " %");
            QCOMPARE(segments.index(r, srmui::SegmentsModel::Share).data().toString(),
                     QString::number(s.share_of_imbalance * 100.0, 'f', 1).replace('.', ',') + " %");
        }
        // The crash rate of the simulated deployment drop: shown in German, exported with points.
        QCOMPARE(metrics.index(0, 1).data().toString(), QString("2,15 % [1,88, 2,45]  n = 10.019"));
        QCOMPARE(metrics.index(0, 3).data().toString(), QString("0,8102"));
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QCOMPARE(srmui::tableCsv(&segments), germanSegments);
        QCOMPARE(srmui::tableCsv(&metrics), germanMetrics);
        QCOMPARE(germanMetrics, QStringLiteral("Metric,control (95 % interval),treatment (95 % interval),p,Holm-adjusted p,Flag\r\n"
                                              "crashed (rate),\"2.15 % [1.88, 2.45]  n = 10019\",\"2.20 % [1.92, 2.51]  n = 9334\",0.8102,0.8102,"
                                              "no difference\r\n"));
    }

    // Step 3's summary counts the changes near the change point only when
    // the time pattern is a break at that point: a pattern there from the
    // start (its "change point" is the first bin), a gradual one or none
    // has no change point a change could be near.
    void step3_summary_only_for_a_break_at_a_point_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("point");
        QTest::addColumn<int>("near");
        QTest::addColumn<QString>("expected");
        const QString none = QStringLiteral("No change point was found, so no change is near one.");
        QTest::newRow("at a point, one near") << int(srm::PatternKind::AtPoint) << true << 1
                                              << QStringLiteral("1 change within 24 h of the change point at 2026-03-08 05:00 UTC (highlighted).");
        QTest::newRow("at a point, two near") << int(srm::PatternKind::AtPoint) << true << 2
                                              << QStringLiteral("2 changes within 24 h of the change point at 2026-03-08 05:00 UTC (highlighted).");
        QTest::newRow("at a point, none near") << int(srm::PatternKind::AtPoint) << true << 0
                                               << QStringLiteral("No change within 24 h of the change point at 2026-03-08 05:00 UTC.");
        QTest::newRow("from the start") << int(srm::PatternKind::FromStart) << true << 1 << none;
        QTest::newRow("gradual") << int(srm::PatternKind::Gradual) << true << 1 << none;
        QTest::newRow("no change point") << int(srm::PatternKind::None) << false << 1 << none;
    }
    void step3_summary_only_for_a_break_at_a_point()
    {
        QFETCH(int, kind);
        QFETCH(bool, point);
        QFETCH(int, near);
        QFETCH(QString, expected);
        srm::Report r;
        r.time_pattern.kind = static_cast<srm::PatternKind>(kind);
        if (point) r.time_pattern.change_point = 1772946000;  // 2026-03-08T05:00:00Z
        for (int i = 0; i < 3; ++i) {
            srm::ChangeResult c;
            c.change = {1772946000 + 3600 * i, "deployment", "release " + std::to_string(i), std::uint64_t(i + 2)};
            c.near_change_point = i < near;
            r.changes.push_back(c);
        }
        srmui::Step3Page page;
        page.showReport(r);
        const QString text = page.findChild<QLabel*>(QStringLiteral("changesSummary"))->text();
        QVERIFY2(text.endsWith(expected), qPrintable(text));
        QCOMPARE(page.model()->rowCount(), 3);
    }

    // Ctrl+C on a table copies its selected cells for a spreadsheet: a tab
    // between columns, a newline between rows, an empty field for each
    // column skipped inside a row (so every cell lands under its column),
    // tabs and line breaks inside a cell as spaces.
    void copying_cells_keeps_their_columns()
    {
        QStandardItemModel model(3, 5);
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 5; ++c) model.setItem(r, c, new QStandardItem(QStringLiteral("r%1c%2").arg(r).arg(c)));
        model.item(2, 4)->setText(QStringLiteral("two\tlines\nhere"));
        QTableView view;
        view.setModel(&model);
        srmui::makeCopyable(&view);
        auto select = [&](int r, int c) { view.selectionModel()->select(model.index(r, c), QItemSelectionModel::Select); };
        select(0, 0);
        select(0, 3);  // two columns skipped
        select(1, 1);
        select(1, 2);
        select(2, 4);
        select(2, 0);  // selected out of order
        const QString expected = QStringLiteral("r0c0\t\t\tr0c3\nr1c1\tr1c2\nr2c0\t\t\t\ttwo lines here");
        QCOMPARE(srmui::selectedCellsText(&view), expected);
        QApplication::clipboard()->clear();
        QCOMPARE(view.actions().size(), 1);
        QCOMPARE(view.actions().front()->shortcut(), QKeySequence(QKeySequence::Copy));
        view.actions().front()->trigger();
        QCOMPARE(QApplication::clipboard()->text(), expected);
        QVERIFY(!view.tabKeyNavigation());
    }
};

QTEST_MAIN(TestModels)
#include "tst_models.moc"
