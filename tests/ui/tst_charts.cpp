// The charts in the real window, driven as a reviewer would: a Step 4 row
// selected shows that segment over time beside the table (its series equal
// core's timeline of the segment and of the rest), double-click still
// filters; the wheel and Shift+drag zoom every Step 1 chart together and
// Reset zoom shows the whole span; hovering puts the crosshair on a point
// and says its counts; the expected line follows an allocation history; the
// p-value path goes below 1e-300; severity rows keep WCAG AA contrast in a
// dark and a light palette (contrast computed here from the colours).
#include "chartmodel.h"
#include "palette.h"
#include "pages.h"
#include "reportformat.h"
#include "reportmodels.h"
#include "step4page.h"
#include "timechart.h"
#include "uitestutil.hpp"

#include "srm/analysis.hpp"

#include <QApplication>
#include <QChartView>
#include <QGraphicsTextItem>
#include <QScopeGuard>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QWheelEvent>
#include <cmath>
#include <fstream>
#include <sstream>

namespace {

const srm::SegmentResult& coreSegment(const srm::Report& r, const std::string& dim, const std::string& value)
{
    for (const auto& d : r.dimensions)
        if (d.name == dim)
            for (const auto& s : d.segments)
                if (s.value == value) return s;
    throw std::logic_error("no such segment");
}

// The proxy row of a segment in the Step 4 table.
QModelIndex rowOf(srmui::Step4Page* page, const QString& dim, const QString& value)
{
    auto* proxy = page->proxy();
    for (int r = 0; r < proxy->rowCount(); ++r)
        if (proxy->index(r, srmui::SegmentsModel::Dimension).data().toString() == dim &&
            proxy->index(r, srmui::SegmentsModel::Value).data().toString() == value)
            return proxy->index(r, srmui::SegmentsModel::Value);
    return {};
}

// WCAG 2.1 contrast, written out here (not the program's).
double luminance(const QColor& c)
{
    auto ch = [](int v) {
        const double s = v / 255.0;
        return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue());
}
double contrast(const QColor& a, const QColor& b)
{
    const double x = luminance(a), y = luminance(b);
    return (std::max(x, y) + 0.05) / (std::min(x, y) + 0.05);
}

QList<double> ys(const srmui::ChartSeries* s)
{
    QList<double> out;
    for (const auto& p : s->points) out << p.y();
    return out;
}

// The pointer moved to pos over a chart (a move event as the window system delivers it).
void hover(srmui::TimeChartView* chart, const QPoint& pos)
{
    QMouseEvent move(QEvent::MouseMove, pos, chart->viewport()->mapToGlobal(pos), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(chart->viewport(), &move);
}

void writeFile(const QString& path, const std::string& text) { std::ofstream(path.toStdString(), std::ios::binary) << text; }

}  // namespace

class TestCharts : public QObject {
    Q_OBJECT

private slots:
    void a_selected_segment_is_shown_beside_the_table()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        f.window.showPage(QStringLiteral("step4"));
        auto* page = f.window.findChild<srmui::Step4Page*>();
        // The most telling segment is shown from the start.
        QCOMPARE(page->shownSegment(), qMakePair(QString("browser"), QString("Safari")));
        auto* table = page->findChild<QTableView*>(QStringLiteral("segmentsTable"));
        const QModelIndex ios = rowOf(page, "os", "iOS");
        QVERIFY(ios.isValid());
        table->scrollTo(ios);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(ios).center());
        QCOMPARE(page->shownSegment(), qMakePair(QString("os"), QString("iOS")));
        // The charts carry core's timeline of os = iOS and of the rest.
        srm::AnalysisRequest req;
        req.file = kSample.toStdString();
        const srm::Report core = srm::analyse(req);
        const auto& seg = coreSegment(core, "os", "iOS");
        QCOMPARE(seg.timeline.points.size(), std::size_t{14});
        const auto& cumulative = page->segmentCumulativeChart()->model();
        QList<double> control{0.0}, deviation, rest;
        for (const auto& p : seg.timeline.points) {
            control << static_cast<double>(p.cumulative[0]);
            deviation << p.deviation_pp[0];
        }
        for (const auto& p : seg.rest_timeline.points) rest << p.deviation_pp[0];
        QCOMPARE(ys(cumulative.find("control")), control);
        QCOMPARE(control.back(), 902.0);  // os = iOS: control 902 of 1,394 (srm-check --json)
        const auto& drift = page->segmentDeviationChart()->model();
        QCOMPARE(ys(drift.find("control")), deviation);
        QCOMPARE(ys(drift.find("control, the rest")), rest);
        QVERIFY(cumulative.title.contains("os = iOS"));
        // Double-click still filters every step to the segment.
        QSignalSpy shown(&f.window, &MainWindow::reportShown);
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(rowOf(page, "os", "iOS")).center());
        QVERIFY(shown.wait(30000));
        QVERIFY(f.window.report()->scope.segment);
        QCOMPARE(f.window.report()->scope.segment->second, std::string("iOS"));
        QCOMPARE(f.window.report()->srm.units, std::uint64_t{1394});
    }

    void wheel_and_shift_drag_zoom_every_step1_chart_and_reset_shows_all()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        f.window.showPage(QStringLiteral("step1"));
        auto* page = f.window.findChild<srmui::Step1Page*>();
        auto* cumulative = page->cumulativeChart();
        auto* reset = page->findChild<QPushButton*>(QStringLiteral("resetZoomButton"));
        for (auto* chart : {cumulative, page->deviationChart(), page->pathChart()}) chart->ensureDrawn();  // the event loop's next turn
        const auto full = cumulative->xRange();
        QCOMPARE(full.first, 1772323200000.0);   // 2026-03-01T00:00:00Z
        QCOMPARE(full.second, 1773532800000.0);  // 2026-03-15T00:00:00Z
        QVERIFY(!reset->isEnabled());
        // One wheel notch at Mar 8 00:00: the span shrinks to 0.8 around it.
        const QPoint at = cumulative->positionOf(1772928000);
        QWheelEvent wheel(at, cumulative->viewport()->mapToGlobal(at), {}, QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(cumulative->viewport(), &wheel);
        const auto zoomed = cumulative->xRange();
        const double centre = 1772928000000.0;
        QVERIFY2(std::fabs((zoomed.second - zoomed.first) - 0.8 * (full.second - full.first)) < 0.02 * (full.second - full.first),
                 qPrintable(QString::number(zoomed.second - zoomed.first)));
        QVERIFY(zoomed.first < centre && zoomed.second > centre);
        QVERIFY(std::fabs((centre - zoomed.first) / (zoomed.second - centre) - 1.0) < 0.05);  // around the cursor
        QTRY_COMPARE(page->deviationChart()->xRange(), zoomed);  // the others follow on the next turn
        QTRY_COMPARE(page->pathChart()->xRange(), zoomed);
        QVERIFY(reset->isEnabled());
        QTest::mouseClick(reset, Qt::LeftButton);
        QCOMPARE(cumulative->xRange(), full);
        QTRY_COMPARE(page->pathChart()->xRange(), full);
        QVERIFY(!reset->isEnabled());
        // Shift+drag from Mar 4 to Mar 10 zooms to it and chooses no window.
        QSignalSpy dragged(cumulative, &srmui::TimeChartView::windowDragged);
        const QPoint a = cumulative->positionOf(1772582400), b = cumulative->positionOf(1773100800);
        QTest::mousePress(cumulative->viewport(), Qt::LeftButton, Qt::ShiftModifier, a);
        QTest::mouseMove(cumulative->viewport(), b);
        QTest::mouseRelease(cumulative->viewport(), Qt::LeftButton, Qt::ShiftModifier, b);
        QCOMPARE(dragged.count(), 0);
        QTRY_VERIFY(page->deviationChart()->xRange() == cumulative->xRange());
        const auto span = page->deviationChart()->xRange();
        QVERIFY2(std::fabs(span.first - 1772582400000.0) < 3600000.0 * 2 && std::fabs(span.second - 1773100800000.0) < 3600000.0 * 2,
                 qPrintable(QString("%1 %2").arg(span.first, 0, 'f', 0).arg(span.second, 0, 'f', 0)));
        // A double-click resets too.
        QTest::mouseDClick(page->pathChart()->viewport(), Qt::LeftButton, {}, page->pathChart()->positionOf(1772928000));
        QTRY_COMPARE(cumulative->xRange(), full);
    }

    void hovering_puts_the_crosshair_on_a_point_and_says_its_counts()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        f.window.showPage(QStringLiteral("step1"));
        auto* chart = f.window.findChild<srmui::Step1Page*>()->deviationChart();
        chart->ensureDrawn();
        QCOMPARE(chart->crosshairX(), -1);
        // Near the last point (Mar 15 00:00): 7,554 and 6,761 units, +2.770 pp.
        const QPoint last = chart->positionOf(1773532800);
        hover(chart, last - QPoint(3, 0));
        QVERIFY2(std::abs(chart->crosshairX() - last.x()) <= 1, qPrintable(QString("%1 vs %2").arg(chart->crosshairX()).arg(last.x())));
        const QString text = chart->hoverTextAt(last - QPoint(3, 0));
        QVERIFY2(text.contains("2026-03-15 00:00") && text.contains("7,554") && text.contains("6,761") && text.contains("+2.770 pp") &&
                     text.contains("p = 3.4e-11"),
                 qPrintable(text));
        // And the last day alone against its own band, as core has it.
        const auto& lastPoint = f.window.report()->timeline.points.back();
        // All 14,315 units are in by then; the last day brought its own new units.
        QVERIFY2(text.contains("14,315 units up to here, " + srmui::formatCount(lastPoint.new_units[0] + lastPoint.new_units[1]) + " in this day"),
                 qPrintable(text));
        QVERIFY(lastPoint.new_units[0] + lastPoint.new_units[1] < 14315);
        QVERIFY2(text.contains("this day alone: control " + srmui::formatDeviationPp(lastPoint.new_deviation_pp[0]) +
                               QString(" (band ±%1)").arg(lastPoint.new_band_pp[0], 0, 'f', 3)),
                 qPrintable(text));
        // Between Mar 5 and Mar 6, nearer Mar 6: the Mar 6 point.
        const QPoint between = chart->positionOf(1772755200 - 3 * 3600);
        hover(chart, between);
        QVERIFY(std::abs(chart->crosshairX() - chart->positionOf(1772755200).x()) <= 1);
        QVERIFY(chart->hoverTextAt(between).contains("2026-03-06 00:00"));
    }

    void the_expected_line_follows_the_allocation_phases()
    {
        Fixture f;
        // Mar 1 to Mar 5 at 12:00: control/treatment 12/8, 10/10, 15/5, 16/4, 30/10; 50/50 until Mar 3, then 80/20.
        std::ostringstream csv;
        csv << "user_id,variant,timestamp\n";
        const int days[5][2] = {{12, 8}, {10, 10}, {15, 5}, {16, 4}, {30, 10}};
        int id = 0;
        for (int d = 0; d < 5; ++d)
            for (int v = 0; v < 2; ++v)
                for (int i = 0; i < days[d][v]; ++i) csv << "u" << id++ << ',' << (v ? "treatment" : "control") << ",2026-03-0" << d + 1 << "T12:00:00Z\n";
        writeFile(f.dir.filePath("events.csv"), csv.str());
        writeFile(f.dir.filePath("allocation.csv"), "start,control,treatment\n2026-03-01T00:00:00Z,50,50\n2026-03-03T00:00:00Z,80,20\n");
        srm::AnalysisRequest req;
        req.file = f.dir.filePath("events.csv").toStdString();
        req.allocation_file = f.dir.filePath("allocation.csv").toStdString();
        f.window.show();
        QSignalSpy shown(&f.window, &MainWindow::reportShown);
        f.window.analyse(req, QStringLiteral("phases"));
        QVERIFY(shown.wait(30000));
        auto* page = f.window.findChild<srmui::Step1Page*>();
        const auto& m = page->cumulativeChart()->model();
        // Each day's units x its phase's shares, summed (worked out by hand).
        QCOMPARE(ys(m.find("control expected")), (QList<double>{0, 10, 20, 36, 52, 84}));
        QCOMPARE(ys(m.find("treatment expected")), (QList<double>{0, 10, 20, 24, 28, 36}));
        const auto* change = m.find("allocation change");
        QVERIFY(change);
        QCOMPARE(change->points.front().x(), 1772496000000.0);  // 2026-03-03T00:00:00Z
        // The drift is against the phased plan: Mar 4 00:00, 37 of 60 against 36 of 60.
        QVERIFY(std::fabs(ys(page->deviationChart()->model().find("control"))[2] - 1.6666666666666718) < 1e-9);
    }

    // A point's own units are marked outside their band by the size of the
    // deviation, above or below; exactly at the band is inside.
    void points_outside_their_band_on_either_side()
    {
        srm::Timeline tl;
        tl.resolution = srm::TimeResolution::Hour;
        tl.variants = {"a", "b"};
        tl.expected_share = {0.5, 0.5};
        const std::vector<std::pair<double, double>> fresh_dev = {{3, -3}, {-1, 1}, {2, -2}, {0, 0}, {-2.5, 2.5}};
        for (std::size_t i = 0; i < fresh_dev.size(); ++i) {
            srm::TimelinePoint p;
            p.time = 1772326800 + static_cast<std::int64_t>(i) * 3600;
            p.new_units = i == 3 ? std::vector<std::uint64_t>{0, 0} : std::vector<std::uint64_t>{10, 10};
            p.cumulative = {10 * (i + 1), 10 * (i + 1)};
            p.expected_cumulative = {10.0 * (i + 1), 10.0 * (i + 1)};
            p.expected_new = {10, 10};
            p.deviation_pp = {0.5, -0.5};
            p.band_pp = {1.0 + 0.25 * static_cast<double>(i), 1.0 + 0.25 * static_cast<double>(i)};
            p.new_deviation_pp = {fresh_dev[i].first, fresh_dev[i].second};
            p.new_band_pp = {2, 2};
            tl.points.push_back(p);
        }
        const auto m = srmui::deviationChart(tl, srm::Report{}, QPalette());
        auto pts = [&](const QString& name) {
            const auto* s = m.find(name);
            QList<QPointF> out;
            if (s) out = s->points;
            return out;
        };
        const double t0 = 1772326800000.0, h = 3600000.0;
        QCOMPARE(pts("a per hour outside its band"), (QList<QPointF>{{t0, 3}, {t0 + 4 * h, -2.5}}));
        QCOMPARE(pts("b per hour outside its band"), (QList<QPointF>{{t0, -3}, {t0 + 4 * h, 2.5}}));
        QCOMPARE(pts("a per hour"), (QList<QPointF>{{t0 + h, -1}, {t0 + 2 * h, 2}}));
        QCOMPARE(pts("b per hour"), (QList<QPointF>{{t0 + h, 1}, {t0 + 2 * h, -2}}));
        QVERIFY(m.find("a per hour outside its band")->outline);
        QVERIFY(!m.find("a per hour")->outline);
        // The cumulative band: one for two variants, from -band to +band at each point.
        const srmui::ChartSeries* band = nullptr;
        int bands = 0;
        for (const auto& s : m.series)
            if (s.kind == srmui::ChartSeries::Kind::Band) {
                band = &s;
                ++bands;
            }
        QCOMPARE(bands, 1);
        QCOMPARE(band->name, QString("99 % band"));  // Timeline::band_level's default
        QCOMPARE(band->points, (QList<QPointF>{{t0, 1}, {t0 + h, 1.25}, {t0 + 2 * h, 1.5}, {t0 + 3 * h, 1.75}, {t0 + 4 * h, 2}}));
        QCOMPARE(band->lower, (QList<QPointF>{{t0, -1}, {t0 + h, -1.25}, {t0 + 2 * h, -1.5}, {t0 + 3 * h, -1.75}, {t0 + 4 * h, -2}}));
    }

    // The change point is drawn only for a break at a point: a pattern
    // there from the start (or gradual, or none) carries no line, whatever
    // time the fit left in change_point.
    void the_change_point_line_only_for_a_break_at_a_point()
    {
        srm::Timeline tl;
        tl.resolution = srm::TimeResolution::Hour;
        tl.variants = {"a", "b"};
        tl.expected_share = {0.5, 0.5};
        for (int i = 0; i < 5; ++i) {
            srm::TimelinePoint p;
            p.time = 1772326800 + i * 3600;
            p.new_units = {10, 10};
            p.cumulative = {10u * (i + 1), 10u * (i + 1)};
            p.expected_cumulative = {10.0 * (i + 1), 10.0 * (i + 1)};
            p.expected_new = {10, 10};
            p.deviation_pp = {0, 0};
            p.band_pp = {1, 1};
            p.new_deviation_pp = {0, 0};
            p.new_band_pp = {2, 2};
            tl.points.push_back(p);
        }
        for (const auto kind : {srm::PatternKind::AtPoint, srm::PatternKind::FromStart, srm::PatternKind::Gradual, srm::PatternKind::None}) {
            srm::Report r;
            r.time_pattern.kind = kind;
            r.time_pattern.change_point = 1772326800 + 2 * 3600;
            for (const auto& m : {srmui::cumulativeChart(tl, r, QPalette()), srmui::deviationChart(tl, r, QPalette())}) {
                const srmui::ChartSeries* line = m.find("change point");
                if (kind != srm::PatternKind::AtPoint) {
                    QVERIFY2(!line, srm::to_string(kind));
                    continue;
                }
                QVERIFY(line);
                QCOMPARE(line->kind, srmui::ChartSeries::Kind::Marker);
                QCOMPARE(line->points.size(), 2);
                QCOMPARE(line->points[0].x(), 1772334000000.0);
                QCOMPARE(line->points[1].x(), 1772334000000.0);
                QCOMPARE(line->tip, QString("Detected change point: 2026-03-01 03:00"));
            }
        }
        // Change log entries: one line each inside the chart's span (none for
        // one after it), and one legend entry for all of them.
        srm::Report r;
        for (const std::int64_t t : {1772326800 + 3600, 1772326800 + 3 * 3600, 1772326800 + 30 * 3600}) {
            srm::ChangeResult c;
            c.change.time = t;
            c.change.kind = "deploy";
            c.change.description = "v" + std::to_string(t % 7);
            r.changes.push_back(c);
        }
        for (const auto& m : {srmui::cumulativeChart(tl, r, QPalette()), srmui::deviationChart(tl, r, QPalette())}) {
            QStringList tips;
            int legends = 0;
            for (const auto& s : m.series)
                if (s.name == QLatin1String("change log entry")) {
                    QCOMPARE(s.kind, srmui::ChartSeries::Kind::Marker);
                    tips << s.tip;
                    legends += s.legend ? 1 : 0;
                }
            QCOMPARE(tips, (QStringList{QStringLiteral("2026-03-01 02:00 deploy: v%1").arg((1772326800 + 3600) % 7),
                                        QStringLiteral("2026-03-01 04:00 deploy: v%1").arg((1772326800 + 3 * 3600) % 7)}));
            QCOMPARE(legends, 1);
        }
    }

    void the_p_value_path_is_not_floored()
    {
        Fixture f;
        std::ostringstream csv;
        csv << "user_id,variant,timestamp\n";
        for (int i = 0; i < 30000; ++i) csv << "c" << i << ",control,2026-03-0" << 1 + i % 5 << "T10:00:00Z\n";
        for (int i = 0; i < 15000; ++i) csv << "t" << i << ",treatment,2026-03-0" << 1 + i % 5 << "T10:00:00Z\n";
        writeFile(f.dir.filePath("skew.csv"), csv.str());
        QVERIFY(f.open(f.dir.filePath("skew.csv")));
        const auto& m = f.window.findChild<srmui::Step1Page*>()->pathChart()->model();
        const double last = ys(m.find("chi-square p")).back();
        QCOMPARE(last, f.window.report()->timeline.points.back().log10_p_value);
        QVERIFY2(last < -1000, qPrintable(QString::number(last)));  // chi-square 5,000 on 1 df
        QVERIFY(m.yLow <= last);
    }

    // In the user's locale the axes read as the tables do: the summary's
    // deviation axis spans 1.2 x the largest deviation (2.770 pp) in 5 ticks.
    void axis_labels_are_in_the_users_locale()
    {
        const QLocale before;
        auto restore = qScopeGuard([&] { QLocale::setDefault(before); });
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        Fixture f;
        QVERIFY(f.open(kSample));
        QCOMPARE(f.window.findChild<QTableView*>(QStringLiteral("variantTable"))->model()->index(0, 1).data().toString(), QString("7.554"));
        auto* view = f.window.findChild<QChartView*>(QStringLiteral("splitChart"));
        QVERIFY(view);
        view->resize(800, 400);
        QTRY_VERIFY(!view->chart()->plotArea().isEmpty());
        QStringList texts;
        for (auto* item : view->scene()->items())
            if (auto* t = dynamic_cast<QGraphicsTextItem*>(item)) texts << t->toPlainText();
        for (const char* label : {"-3,32", "-1,66", "0,00", "1,66", "3,32"}) QVERIFY2(texts.contains(label), qPrintable(texts.join('|')));
    }

    void severity_rows_keep_aa_contrast_in_dark_and_light_palettes()
    {
        const QPalette original = QApplication::palette();
        for (const bool dark : {true, false}) {
            QApplication::setPalette(dark ? srmui::darkPalette() : QApplication::style()->standardPalette());
            Fixture f;
            QVERIFY(f.open(kSample));
            auto* model = f.window.findChild<srmui::Step4Page*>()->model();
            int tinted = 0;
            for (int r = 0; r < model->rowCount(); ++r) {
                const QModelIndex i = model->index(r, srmui::SegmentsModel::Value);
                const QString status = i.data(srmui::kStatusRole).toString();
                const QVariant bg = i.data(Qt::BackgroundRole), fg = i.data(Qt::ForegroundRole);
                if (status != "severe" && status != "warn") {
                    QVERIFY(!bg.isValid());
                    continue;
                }
                ++tinted;
                const double ratio = contrast(bg.value<QBrush>().color(), fg.value<QBrush>().color());
                QVERIFY2(ratio >= 4.5, qPrintable(QString("%1 row %2: %3").arg(dark ? "dark" : "light").arg(r).arg(ratio)));
                // The tint is seen: not the plain base colour.
                QVERIFY(bg.value<QBrush>().color() != QApplication::palette().color(QPalette::Base));
            }
            QCOMPARE(tinted, 5);  // Safari, iOS, macOS, US, 3.2.0
            // The charts draw on the palette's base with its text colour.
            f.window.showPage(QStringLiteral("step1"));
            f.window.findChild<srmui::Step1Page*>()->cumulativeChart()->ensureDrawn();
            auto* chart = f.window.findChild<srmui::Step1Page*>()->cumulativeChart()->chart();
            QCOMPARE(chart->backgroundBrush().color(), QApplication::palette().color(QPalette::Base));
            QVERIFY(contrast(chart->titleBrush().color(), chart->backgroundBrush().color()) >= 4.5);
        }
        QApplication::setPalette(original);
    }
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
