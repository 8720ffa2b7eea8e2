// Every threshold the program documents, tested on both sides with a
// hand-made export whose counts put it exactly there: jumping at 1 % and
// 5 %, a change exactly --near-hours away, a segment of exactly
// --min-segment-units, an expected count of exactly 5, equal first-exposure
// times, p exactly at each alpha, the 50 % concentration, the change point's
// 2 % margin. Each asserts the side the documentation (README, --help,
// comments in core) promises.
#include "support/fixtures.hpp"

#include "srm/stats.hpp"

#include <QtTest>
#include <cmath>

using namespace srm;
using namespace srm::test;

namespace {

// n units, each exposed once; `jumpers` of them exposed again an hour
// later in the other variant. The first exposures alternate control and
// treatment, so the split itself is even.
Report jumping(long n, long jumpers)
{
    Events e;
    for (long i = 0; i < n; ++i) e.row(at(0, i), "u" + std::to_string(i), i % 2 ? "treatment" : "control");
    for (long i = 0; i < jumpers; ++i) e.row(at(1, i), "u" + std::to_string(i), i % 2 ? "control" : "treatment");
    return e.diagnose();
}

}  // namespace

class TestBoundaries : public QObject {
    Q_OBJECT

private slots:
    // "Warn from 1 %, fail from 5 %" (the check's detail, README).
    void jumping_at_exactly_one_and_five_percent()
    {
        const auto share = [](const Report& r) { return *check(r, "variant_jumping").value; };
        QCOMPARE(check(jumping(200, 0), "variant_jumping").status, CheckStatus::Pass);
        QCOMPARE(check(jumping(101, 1), "variant_jumping").status, CheckStatus::Pass);  // 0.990 %
        const auto one = jumping(100, 1);
        QCOMPARE(share(one), 0.01);
        QCOMPARE(check(one, "variant_jumping").status, CheckStatus::Warn);
        const auto four = jumping(100, 4);
        QCOMPARE(check(four, "variant_jumping").status, CheckStatus::Warn);
        const auto five = jumping(100, 5);
        QCOMPARE(share(five), 0.05);
        QCOMPARE(five.evidence.jumped_units, std::uint64_t(5));
        QCOMPARE(check(five, "variant_jumping").status, CheckStatus::Fail);
        QCOMPARE(five.health.state, HealthState::CheckFailed);
        // Each jumper is counted in the variant of its first exposure.
        QCOMPARE(observed(five), (std::vector<std::uint64_t>{50, 50}));
    }

    // "earliest time; ties keep file order" (fold.cpp): the first of two
    // rows at the same time sets the unit's variant.
    void equal_first_exposure_times_keep_file_order()
    {
        Events e;
        for (int i = 0; i < 30; ++i) {
            e.row(at(0, i), "t" + std::to_string(i), "control");
            e.row(at(0, i), "t" + std::to_string(i), "treatment");
        }
        for (int i = 0; i < 10; ++i) {
            e.row(at(0, 100 + i), "s" + std::to_string(i), "treatment");
            e.row(at(0, 100 + i), "s" + std::to_string(i), "control");
        }
        // An earlier exposure later in the file still wins.
        e.row(at(2), "late", "control");
        e.row(at(1), "late", "treatment");
        const auto r = e.diagnose();
        QCOMPARE(observed(r), (std::vector<std::uint64_t>{30, 11}));
        QCOMPARE(r.evidence.jumped_units, std::uint64_t(41));
    }

    // The first exposure sets the unit's dimension values too, whatever its
    // later rows say: a unit's browser is the one of its earliest row.
    void dimensions_come_from_the_first_exposure()
    {
        Events e("timestamp,user_id,variant,browser");
        for (int i = 0; i < 20; ++i) {  // in time order: Safari first, then Chrome
            e.row(at(0, i), "a" + std::to_string(i), "control", "Safari");
            e.row(at(1, i), "a" + std::to_string(i), "control", "Chrome");
        }
        for (int i = 0; i < 12; ++i) {  // the later row first in the file: Edge is the earlier
            e.row(at(3, i), "b" + std::to_string(i), "treatment", "Chrome");
            e.row(at(2, i), "b" + std::to_string(i), "treatment", "Edge");
        }
        for (int i = 0; i < 7; ++i) e.row(at(4, i), "c" + std::to_string(i), "treatment", "Chrome");
        DiagnosisOptions opt = without_localization();
        opt.min_segment_units = 1;
        const auto r = e.diagnose(opt);
        QCOMPARE(segment(r, "browser", "Safari").counts, (std::vector<std::uint64_t>{20, 0}));
        QCOMPARE(segment(r, "browser", "Edge").counts, (std::vector<std::uint64_t>{0, 12}));
        QCOMPARE(segment(r, "browser", "Chrome").counts, (std::vector<std::uint64_t>{0, 7}));
    }

    // The event column: "impression", "exposure", "view" and "trigger"
    // values are exposures; "assignment" assigns; anything else is neither.
    void impression_view_and_trigger_events_are_exposures()
    {
        Events e("timestamp,user_id,variant,event");
        e.units(0, "control", 40, "impression").units(0, "treatment", 30, "Impression");
        e.units(1, "control", 5, "page_view").units(1, "treatment", 6, "exposure_logged");
        e.units(2, "control", 3, "experiment_triggered").units(2, "treatment", 9, "click");
        e.units(3, "control", 7, "trigger").units(3, "treatment", 2, "Exposed");  // each word alone
        e.units(4, "control", 4, "assigned").units(4, "treatment", 5, "VIEW");
        const auto r = e.diagnose();
        QCOMPARE(observed(r), (std::vector<std::uint64_t>{55, 43}));
        QVERIFY(r.evidence.has_event);
    }

    // "a change within H hours of the change point is near it" (--help).
    void change_exactly_near_hours_away_is_near()
    {
        Events e;
        std::vector<std::pair<long, long>> hours(24, {100, 100});
        hours.resize(48, {130, 70});
        e.hours(hours);
        const Dataset ds = e.load();
        DiagnosisOptions opt;
        const auto first = diagnose_dataset(ds, opt);
        QCOMPARE(first.time_pattern.kind, PatternKind::AtPoint);
        QCOMPARE(*first.time_pattern.change_point, kT0 + 24 * 3600);
        const std::int64_t cp = *first.time_pattern.change_point;
        for (double near : {24.0, 6.0}) {
            const auto h = static_cast<std::int64_t>(near * 3600);
            opt.near_change_hours = near;
            opt.changes = {{cp - h, "deployment", "exactly before", 2}, {cp + h, "config", "exactly after", 3},
                           {cp + h + 1, "config", "a second too late", 4}, {cp - h - 1, "config", "a second too early", 5}};
            const auto r = diagnose_dataset(ds, opt);
            QCOMPARE(r.changes.size(), std::size_t(4));
            QVERIFY(r.changes[0].near_change_point);
            QVERIFY(r.changes[1].near_change_point);
            QVERIFY(!r.changes[2].near_change_point);
            QVERIFY(!r.changes[3].near_change_point);
            QCOMPARE(*r.changes[1].distance_seconds, static_cast<double>(h));
        }
    }

    // "smaller segments are marked too_small (100)": a segment of exactly
    // the minimum is tested, one unit less is too small.
    void segment_of_exactly_min_segment_units_is_tested()
    {
        Events e("timestamp,user_id,variant,browser");
        e.units(0, "control", 500, "big").units(0, "treatment", 500, "big");
        e.units(0, "control", 80, "hundred").units(0, "treatment", 20, "hundred");
        e.units(0, "control", 79, "ninety_nine").units(0, "treatment", 20, "ninety_nine");
        DiagnosisOptions opt = without_localization();
        const auto r = e.diagnose(opt);
        QCOMPARE(segment(r, "browser", "hundred").units, std::uint64_t(100));
        QCOMPARE(segment(r, "browser", "hundred").severity, SegmentSeverity::Severe);
        QCOMPARE(segment(r, "browser", "ninety_nine").severity, SegmentSeverity::TooSmall);
        QCOMPARE(segment(r, "browser", "big").severity, SegmentSeverity::Ok);
        opt.min_segment_units = 99;
        QCOMPARE(segment(e.diagnose(opt), "browser", "ninety_nine").severity, SegmentSeverity::Severe);
    }

    // "the exact test where an expected count is below 5" (README): exactly
    // 5 keeps the chi-square test.
    void expected_count_of_exactly_five_keeps_chi_square()
    {
        const auto five = test_srm({{"a", 3, 1}, {"b", 7, 1}});  // expected 5 and 5
        QCOMPARE(five.variants[0].expected, 5.0);
        QCOMPARE(five.test, TestKind::ChiSquare);
        const auto below = test_srm({{"a", 3, 1}, {"b", 6, 1}});  // expected 4.5
        QCOMPARE(below.test, TestKind::Exact);
        // scipy.stats.chisquare([3,7]).pvalue -> 0.20590321073206466
        QVERIFY(std::fabs(five.p_value / 0.20590321073206466 - 1) < 1e-13);
        // scipy.stats.binomtest(3, 9, 0.5).pvalue -> 0.5078125
        QCOMPARE(below.p_value, 0.5078125);
    }

    // "--warn-alpha P: p below which the split is an SRM alert": p equal to
    // alpha is not below it.
    void p_exactly_at_each_alpha()
    {
        const std::vector<VariantInput> in{{"a", 5200, 1}, {"b", 4800, 1}};
        const double p = test_srm(in).p_value;
        // scipy.stats.chisquare([5200,4800]).pvalue -> 6.334248366623988e-05
        QVERIFY(std::fabs(p / 6.334248366623988e-05 - 1) < 1e-13);
        SrmOptions o;
        o.thresholds = {p, p / 10};
        QCOMPARE(test_srm(in, o).severity, Severity::Ok);
        o.thresholds = {std::nextafter(p, 1.0), p / 10};
        QCOMPARE(test_srm(in, o).severity, Severity::Warn);
        o.thresholds = {0.01, p};
        QCOMPARE(test_srm(in, o).severity, Severity::Warn);
        o.thresholds = {0.01, std::nextafter(p, 1.0)};
        QCOMPARE(test_srm(in, o).severity, Severity::Severe);
    }

    // The verdict names the segment that carries at least half of its
    // dimension's excess units (checks.cpp), not one that carries less.
    void concentration_needs_half_of_the_imbalance()
    {
        auto make = [](long y_control, long y_treatment) {
            Events e("timestamp,user_id,variant,browser");
            e.units(0, "control", 650, "x").units(0, "treatment", 350, "x");              // excess 300
            e.units(0, "control", y_control, "y").units(0, "treatment", y_treatment, "y");
            e.units(0, "control", 1000, "w").units(0, "treatment", 1000, "w");            // excess 0
            DiagnosisOptions opt = without_localization();
            return e.diagnose(opt);
        };
        const auto forty = make(1225, 775);  // y excess 450: x holds 300 / 750
        QCOMPARE(segment(forty, "browser", "x").share_of_imbalance, 0.4);
        QCOMPARE(segment(forty, "browser", "y").share_of_imbalance, 0.6);
        QVERIFY2(forty.verdict.summary.find("concentrates in browser = y (60 % of the imbalance") != std::string::npos,
                 forty.verdict.summary.c_str());
        const auto below = make(1150, 850);  // y excess 300 of 600 with x's: each exactly 50 %
        QCOMPARE(segment(below, "browser", "x").share_of_imbalance, 0.5);
        QVERIFY2(below.verdict.summary.find("concentrates in") != std::string::npos, below.verdict.summary.c_str());
        // Three segments, none with half: x 300, y 200, z 250 of 750.
        Events e("timestamp,user_id,variant,browser");
        e.units(0, "control", 650, "x").units(0, "treatment", 350, "x");
        e.units(0, "control", 1100, "y").units(0, "treatment", 900, "y");
        e.units(0, "control", 1625, "z").units(0, "treatment", 1375, "z");
        e.units(0, "control", 3000, "w").units(0, "treatment", 3000, "w");
        DiagnosisOptions opt = without_localization();
        const auto none = e.diagnose(opt);
        QCOMPARE(segment(none, "browser", "x").share_of_imbalance, 0.4);
        QVERIFY2(none.verdict.summary.find("concentrates in") == std::string::npos, none.verdict.summary.c_str());
    }

    // Of two dimensions that each qualify, the verdict names the more
    // significant one's segment: browser (x holds 500 of 700 excess units,
    // 71 %) before country (a holds 600 of 700, 86 %, but country's split
    // differs less), though both are past the severe level.
    void concentration_in_the_most_significant_dimension()
    {
        Events e("timestamp,user_id,variant,browser,country");
        for (const auto& [cell, control, treatment] :
             {std::tuple{"x,a", 1400, 600}, std::tuple{"x,b", 1100, 900}, std::tuple{"y,a", 1200, 800}, std::tuple{"y,b", 1000, 1000},
              std::tuple{"w,a", 1000, 1000}, std::tuple{"w,b", 1000, 1000}})
            e.units(0, "control", control, cell).units(0, "treatment", treatment, cell);
        const auto r = e.diagnose(without_localization());
        QCOMPARE(r.dimensions.size(), std::size_t(2));
        QCOMPARE(r.dimensions[0].name, std::string("browser"));
        QVERIFY(r.dimensions[0].log10_p_value < r.dimensions[1].log10_p_value);
        QVERIFY(r.dimensions[1].log10_p_value < -10);
        QCOMPARE(segment(r, "browser", "x").share_of_imbalance, 500.0 / 700.0);
        QCOMPARE(segment(r, "country", "a").share_of_imbalance, 600.0 / 700.0);
        QVERIFY2(r.verdict.summary.find("concentrates in browser = x (71 % of the imbalance in that dimension)") != std::string::npos,
                 r.verdict.summary.c_str());
    }

    // Only a dimension whose split differs across its values at the severe
    // level names the concentration: y holds 60 % of the imbalance, and the
    // dimension's p decides, on each side of --severe-alpha (warn at 0.01).
    void concentration_needs_the_dimension_at_the_severe_level()
    {
        auto make = [](double severe) {
            Events e("timestamp,user_id,variant,browser");
            e.units(0, "control", 650, "x").units(0, "treatment", 350, "x");
            e.units(0, "control", 1225, "y").units(0, "treatment", 775, "y");
            e.units(0, "control", 1000, "w").units(0, "treatment", 1000, "w");
            DiagnosisOptions opt = without_localization();
            if (severe > 0) opt.srm.thresholds = {0.01, severe};
            return e.diagnose(opt);
        };
        const double pd = make(0).dimensions.at(0).p_value;
        QVERIFY2(pd > 1e-300 && pd < 1e-3, qPrintable(QString::number(pd)));
        const auto above = make(pd * 1.01);
        QVERIFY2(above.verdict.summary.find("concentrates in browser = y (60 % of the imbalance") != std::string::npos, above.verdict.summary.c_str());
        const auto below = make(pd * 0.99);
        QCOMPARE(below.dimensions.at(0).p_value, pd);
        QVERIFY(below.srm.severity != Severity::Ok);
        QVERIFY2(below.verdict.summary.find("concentrates in") == std::string::npos, below.verdict.summary.c_str());
    }

    // The change point is searched "over the bins with at least 2 % of the
    // units on each side": a break 3 % from the end is found there.
    void change_point_near_the_end_of_the_units()
    {
        Events e;
        std::vector<std::pair<long, long>> hours(47, {100, 100});
        hours.push_back({300, 0});  // 300 of 9700 units (3.1 %) after hour 47
        e.hours(hours);
        const auto r = e.diagnose();
        QCOMPARE(*r.time_pattern.change_point, kT0 + 47 * 3600);
        QCOMPARE(r.time_pattern.kind, PatternKind::AtPoint);
        // Under 2 %: 100 of 9500 units; the break cannot be placed in hour 47.
        Events small;
        std::vector<std::pair<long, long>> h2(47, {100, 100});
        h2.push_back({100, 0});
        small.hours(h2);
        const auto r2 = small.diagnose();
        QVERIFY(!r2.time_pattern.change_point || *r2.time_pattern.change_point != kT0 + 47 * 3600);
    }

    // "more than 1 % can skew the split" (individual_inclusions).
    void inclusions_above_one_percent_warn()
    {
        auto make = [](int included) {
            Events e("timestamp,user_id,variant,force_included");
            for (int i = 0; i < 100; ++i) e.row(at(0, i), "u" + std::to_string(i), i % 2 ? "treatment" : "control", i < included ? "1" : "0");
            return e.diagnose();
        };
        const auto one = make(1);
        QCOMPARE(*check(one, "individual_inclusions").value, 0.01);
        QCOMPARE(check(one, "individual_inclusions").status, CheckStatus::Pass);
        QCOMPARE(check(make(2), "individual_inclusions").status, CheckStatus::Warn);
        QCOMPARE(check(make(0), "individual_inclusions").status, CheckStatus::Pass);
    }

    // "gaps over 10 % of the span" (variant_added_removed): control from
    // second 0 to 1000; treatment starting (or stopping) exactly 100 s, or
    // 101 s, inside.
    void variant_gap_over_ten_percent_of_the_span_fails()
    {
        auto make = [](long start, long stop) {
            Events e;
            for (long t = 0; t <= 1000; t += 10) e.row(at(0, t), "c" + std::to_string(t), "control");
            for (long t = start; t <= stop; ++t) e.row(at(0, t), "t" + std::to_string(t), "treatment");
            return e.diagnose();
        };
        QCOMPARE(check(make(100, 1000), "variant_added_removed").status, CheckStatus::Pass);
        const auto late = make(101, 1000);
        QCOMPARE(check(late, "variant_added_removed").status, CheckStatus::Fail);
        QCOMPARE(*check(late, "variant_added_removed").value, 101.0 / 3600.0);
        QCOMPARE(check(make(0, 900), "variant_added_removed").status, CheckStatus::Pass);
        QCOMPARE(check(make(0, 899), "variant_added_removed").status, CheckStatus::Fail);
    }

    // "Fail from 0.1 % of rows" (variant_column_agreement): one row of 1000
    // whose landing page names the other arm fails; one of 1001 warns.
    void mirror_column_fails_from_a_tenth_of_a_percent()
    {
        auto make = [](int rows) {
            Events e("timestamp,user_id,variant,landing_page");
            for (int i = 0; i < rows; ++i) {
                const bool treat = i % 2;
                e.row(at(0, i), "u" + std::to_string(i), treat ? "treatment" : "control", (treat != (i == 7)) ? "new_page" : "old_page");
            }
            return e.diagnose();
        };
        const auto thousand = make(1000);
        QCOMPARE(*thousand.evidence.mirror_column, std::string("landing_page"));
        QCOMPARE(*check(thousand, "variant_column_agreement").value, 1.0);
        QCOMPARE(check(thousand, "variant_column_agreement").status, CheckStatus::Fail);
        QCOMPARE(check(make(1001), "variant_column_agreement").status, CheckStatus::Warn);
    }

    // The loaded-data window [start, end] in seconds: a unit at the start's
    // first microsecond and one in the end's last second count; a
    // microsecond before the start and the second after the end do not. A
    // window that begins at the first traffic is the whole span.
    void loaded_data_window_edges()
    {
        Events e;
        e.row("2026-03-01T00:00:00Z", "first", "control");
        e.row("2026-03-01T00:59:59.999999Z", "before", "control");
        e.row("2026-03-01T01:00:00Z", "start", "control");
        e.row("2026-03-01T01:30:00Z", "inside", "treatment");
        e.row("2026-03-01T02:00:00.999999Z", "end", "treatment");
        e.row("2026-03-01T02:00:01Z", "after", "treatment");
        e.row("2026-03-01T03:00:00Z", "last", "treatment");
        const Dataset ds = e.load();
        DiagnosisOptions opt;
        opt.window_start = kT0 + 3600;
        opt.window_end = kT0 + 7200;
        const auto r = diagnose_dataset(ds, opt);
        QCOMPARE(observed(r), (std::vector<std::uint64_t>{1, 2}));
        QCOMPARE(check(r, "analysis_window").status, CheckStatus::Warn);
        QCOMPARE(*check(r, "analysis_window").value, 3600.0 / 10800.0);
        opt.window_start = kT0;  // from the first traffic to the last: the whole span
        opt.window_end = kT0 + 10800;
        const auto whole = diagnose_dataset(ds, opt);
        QCOMPARE(whole.srm.units, std::uint64_t(7));
        QCOMPARE(check(whole, "analysis_window").status, CheckStatus::Pass);
        opt.window_start = kT0 + 1;
        QCOMPARE(check(diagnose_dataset(ds, opt), "analysis_window").status, CheckStatus::Warn);
    }

    // The assigned variant is the unit's first assignment (fold.cpp); the
    // funnel counts, per assigned variant, the units assigned and exposed.
    void first_assignment_sets_the_assigned_variant()
    {
        Events e("timestamp,user_id,variant,event_type");
        e.row(at(0, 1), "a", "control", "assignment").row(at(0, 2), "a", "treatment", "assignment").row(at(0, 3), "a", "control", "exposure");
        e.row(at(0, 4), "b", "treatment", "assignment").row(at(0, 5), "b", "treatment", "exposure");
        e.row(at(0, 6), "c", "treatment", "assignment");
        e.row(at(0, 7), "d", "control", "assignment").row(at(0, 8), "d", "control", "exposure");
        const auto r = e.diagnose();
        using F = std::vector<std::pair<std::uint64_t, std::uint64_t>>;
        QCOMPARE(r.evidence.funnel, (F{{2, 2}, {2, 1}}));
        QCOMPARE(observed(r), (std::vector<std::uint64_t>{2, 1}));
    }

    // "--min-practical-pp PP: smallest share deviation ... that matters":
    // a deviation of exactly PP matters. 75 : 25 planned 50/50 deviates by
    // exactly 25 pp (all binary fractions).
    void deviation_of_exactly_min_practical_pp_matters()
    {
        SrmOptions o;
        o.min_practical_pp = 25.0;
        const auto at = test_srm({{"a", 75, 1}, {"b", 25, 1}}, o);
        QCOMPARE(at.max_abs_deviation_pp, 25.0);
        QVERIFY(at.practically_significant);
        o.min_practical_pp = std::nextafter(25.0, 26.0);
        QVERIFY(!test_srm({{"a", 75, 1}, {"b", 25, 1}}, o).practically_significant);
    }

    // Input problem: "more than 1 % of the rows of event-level data"
    // rejected (README); exactly 1 % is not.
    void input_problem_above_one_percent_of_rows()
    {
        auto make = [](int bad) {
            Events e;
            for (int i = 0; i < 100 - bad; ++i) e.row(at(0, i), "u" + std::to_string(i), i % 2 ? "treatment" : "control");
            for (int i = 0; i < bad; ++i) e.csv += "not a time,b" + std::to_string(i) + ",control\n";
            return e.diagnose();
        };
        const auto one = make(1);
        QCOMPARE(one.input.rows_rejected, std::uint64_t(1));
        QCOMPARE(one.input.rows_read, std::uint64_t(100));
        QVERIFY(one.health.state != HealthState::InputProblem);
        QCOMPARE(make(2).health.state, HealthState::InputProblem);
    }

    // "hourly for spans up to three days, else daily" (the timeline's points).
    void hourly_points_up_to_three_days()
    {
        auto make = [](long last_second) {
            Events e;
            e.row(at(0), "a", "control").row(at(0, 1), "b", "treatment").row(at(0, last_second), "c", "control").row(at(0, last_second), "d", "treatment");
            return e.diagnose();
        };
        const auto three = make(3 * 86400);
        QCOMPARE(three.timeline.resolution, TimeResolution::Hour);
        QCOMPARE(three.timeline.points.size(), std::size_t(73));
        QCOMPARE(make(3 * 86400 + 3600).timeline.resolution, TimeResolution::Day);
    }

    // A segment-limited SRM says whether one segment or several skew, and
    // the same way: browser A at 560 / 440 of 1,000 units (and C too, in the
    // second case) beside B at 9,000 / 9,000. The totals stay within the
    // plan (10,120 / 9,880: chi-square 2.88, p = 0.09). Without the search,
    // Step 4 still says that segments are out of balance.
    void a_segment_limited_verdict_says_how_many_skew()
    {
        auto make = [](bool two) {
            Events e("timestamp,user_id,variant,browser");
            for (long h = 0; h < 10; ++h) {
                e.units(h, "control", 56, "A").units(h, "treatment", 44, "A");
                if (two) e.units(h, "control", 56, "C").units(h, "treatment", 44, "C");
                e.units(h, "control", 900, "B").units(h, "treatment", 900, "B");
            }
            return e;
        };
        const Report one = make(false).diagnose();
        QCOMPARE(one.health.state, HealthState::SegmentLimited);
        QCOMPARE(one.verdict.type, SrmType::SegmentLimited);
        QVERIFY2(QString::fromStdString(one.verdict.summary)
                     .contains(" The skew is confined to that segment, too small a part of the traffic to show in the total; results for that "
                               "segment cannot be trusted."),
                 one.verdict.summary.c_str());
        const Report two = make(true).diagnose();
        QCOMPARE(two.health.state, HealthState::SegmentLimited);
        QVERIFY2(QString::fromStdString(two.verdict.summary)
                     .contains(" The segments skew the same way but are too small a part of the traffic to show in the total; results for "
                               "those segments cannot be trusted."),
                 two.verdict.summary.c_str());
        const Report off = make(true).diagnose(without_localization());
        const auto step4 = std::find_if(off.steps.begin(), off.steps.end(), [](const StepStatus& st) { return st.id == "step4"; });
        QVERIFY(step4 != off.steps.end());
        QCOMPARE(step4->note, std::string("segments out of balance"));
        QCOMPARE(off.explanation.summary, std::string("The search for the segments that explain the SRM was switched off."));
    }

    // An SRM whose units also jumped between the arms says so in its verdict:
    // 100 control and 300 treatment units, 30 of the latter seen in control
    // later (7.5 % of 400, past the 5 % that fails the check).
    void the_verdict_adds_that_units_jumped()
    {
        Events e;
        e.units(0, "control", 100).units(0, "treatment", 300);
        for (int i = 100; i < 130; ++i) e.row(at(2, i), "u" + std::to_string(i), "control");
        const Report r = e.diagnose();
        QCOMPARE(check(r, "variant_jumping").status, CheckStatus::Fail);
        QVERIFY(r.verdict.srm);
        QVERIFY2(QString::fromStdString(r.verdict.summary).contains(". Many units saw more than one variant."), r.verdict.summary.c_str());
        Events clean;
        clean.units(0, "control", 100).units(0, "treatment", 300);
        QVERIFY(clean.diagnose().verdict.summary.find("more than one variant") == std::string::npos);
    }

    // A window holds the units first exposed at its first second and at any
    // time in its last second; the ones a second before or after are out.
    void a_window_holds_both_of_its_ends()
    {
        Events e;
        e.row(at(0, 3599), "early", "treatment").row(at(1), "first", "control").row(at(2), "mid", "treatment");
        e.row("2026-03-01T03:00:00.500Z", "last", "control").row(at(3, 1), "late", "treatment");
        DiagnosisOptions o;
        o.window_start = kT0 + 3600;
        o.window_end = kT0 + 3 * 3600;
        const Report r = e.diagnose(o);
        QCOMPARE(r.srm.units, std::uint64_t(3));
        QCOMPARE(r.srm.variants[0].name, std::string("control"));
        QCOMPARE(r.srm.variants[0].observed, std::uint64_t(2));
        QCOMPARE(r.srm.variants[1].observed, std::uint64_t(1));
    }

    // The time grid is hourly up to two years and daily beyond ("daily bins
    // for tests over two years"): a step at 12:00 on day 200 is found at
    // that hour in a 400-day test and at a midnight in an 800-day one.
    void hourly_bins_up_to_two_years()
    {
        const long step = 200 * 24 + 12;
        auto make = [&](long days) {
            Events e;
            for (long h : {0L, 1200L, 2400L, 3600L, step - 1}) e.units(h, "control", 200).units(h, "treatment", 200);
            for (long h : {step, step + 1200, step + 2400, days * 24}) e.units(h, "control", 260).units(h, "treatment", 140);
            return e.diagnose();
        };
        const Report within = make(400);
        QCOMPARE(within.time_pattern.kind, PatternKind::AtPoint);
        QCOMPARE(within.time_pattern.change_point, std::make_optional<std::int64_t>(kT0 + step * 3600));
        const Report beyond = make(800);
        QCOMPARE(beyond.time_pattern.kind, PatternKind::AtPoint);
        QVERIFY(beyond.time_pattern.change_point.has_value());
        QCOMPARE(*beyond.time_pattern.change_point % 86400, std::int64_t(0));
    }

    // Planned weights: negative, all zero or not a number are refused.
    void bad_planned_weights_are_refused()
    {
        Events e;
        e.units(0, "control", 10).units(0, "treatment", 10).units(0, "other", 10);
        const Dataset ds = e.load();
        for (const Weights& w : {Weights{{"control", -0.5}, {"treatment", 2}, {"other", 1}}, Weights{{"control", 0}, {"treatment", 0}},
                                 Weights{{"control", std::nan("")}, {"treatment", 1}, {"other", 1}},
                                 Weights{{"control", INFINITY}, {"treatment", 1}, {"other", 1}}}) {
            DiagnosisOptions opt;
            opt.expected = w;
            QVERIFY_THROWS_EXCEPTION(InputError, diagnose_dataset(ds, opt));
        }
        DiagnosisOptions ok;
        ok.expected = Weights{{"control", 1}, {"treatment", 3}, {"other", 1}};  // relative weights
        QCOMPARE(diagnose_dataset(ds, ok).srm.variants[0].expected, 6.0);
        ok.expected = Weights{{"control", 1}, {"treatment", 0}, {"other", 0}};  // one planned variant: nothing to compare against
        QVERIFY_THROWS_EXCEPTION(InputError, diagnose_dataset(ds, ok));
    }

    // The funnel check follows the report's alpha levels: control 95 of 100
    // assigned units exposed, treatment 82 of 100.
    // /usr/bin/python3 -c "from scipy.stats import chi2_contingency as c; print(repr(c([[95,5],[82,18]], correction=False)[1]))"
    // -> 0.00395877445298255: warn at the default levels, fail with severe 0.005.
    void funnel_follows_the_alpha_levels()
    {
        Events e("timestamp,user_id,variant,event_type");
        for (int i = 0; i < 200; ++i) {
            const bool treat = i >= 100;
            const std::string id = "u" + std::to_string(i), v = treat ? "treatment" : "control";
            e.row(at(0, i), id, v, "assignment");
            if ((treat ? i - 100 : i) < (treat ? 82 : 95)) e.row(at(1, i), id, v, "exposure");
        }
        const Dataset ds = e.load();
        DiagnosisOptions opt;
        const auto r = diagnose_dataset(ds, opt);
        QVERIFY(std::fabs(r.evidence.funnel_p_value / 0.00395877445298255 - 1) < 1e-9);
        QCOMPARE(check(r, "assignment_exposure_funnel").status, CheckStatus::Warn);
        opt.srm.thresholds.severe = 0.005;
        QCOMPARE(check(diagnose_dataset(ds, opt), "assignment_exposure_funnel").status, CheckStatus::Fail);
        opt.srm.thresholds = {0.001, 0.0001};
        QCOMPARE(check(diagnose_dataset(ds, opt), "assignment_exposure_funnel").status, CheckStatus::Pass);
    }

    // A segment under --min-segment-units is never named as where the SRM
    // concentrates, though it holds most of the excess: x (90 units,
    // excess 70 of 130) is too small; y's 60 is under half.
    void a_too_small_segment_is_not_the_concentration()
    {
        Events e("timestamp,user_id,variant,browser");
        e.units(0, "control", 80, "x").units(0, "treatment", 10, "x");
        e.units(0, "control", 1030, "y").units(0, "treatment", 970, "y");
        DiagnosisOptions opt = without_localization();
        const auto r = e.diagnose(opt);
        QCOMPARE(segment(r, "browser", "x").severity, SegmentSeverity::TooSmall);
        QVERIFY(std::fabs(segment(r, "browser", "x").share_of_imbalance - 70.0 / 130.0) < 1e-12);
        QVERIFY(r.dimensions[0].log10_p_value < -3);
        QVERIFY2(r.verdict.summary.find("concentrates in") == std::string::npos, r.verdict.summary.c_str());
    }

    // "listed (the first 1000) with its physical line number (the header is
    // line 1)": 1005 bad rows, every other line from line 3, read in one
    // piece and in many small chunks.
    void the_first_thousand_rejected_rows_are_listed()
    {
        Events e;
        for (int i = 0; i < 1005; ++i) {
            e.row(at(0, i), "u" + std::to_string(i), i % 2 ? "treatment" : "control");
            e.csv += "not a time,b" + std::to_string(i) + ",control\n";
        }
        for (std::size_t chunk : {std::size_t(0), std::size_t(4096)}) {
            LoadOptions lo;
            if (chunk) lo.chunk_bytes = chunk;
            const Dataset ds = e.load(lo);
            QCOMPARE(ds.rows_rejected, std::uint64_t(1005));
            QCOMPARE(ds.errors.size(), std::size_t(1000));
            QCOMPARE(ds.errors.front().line, std::uint64_t(3));
            QCOMPARE(ds.errors.back().line, std::uint64_t(2001));
            QCOMPARE(ds.size(), std::size_t(1005));
        }
    }

    // "ranked_segments lists the segments at warn or severe after adjustment":
    // x at 549 : 451 (chi-square 9.604, p = 0.00194; Holm over the two
    // segments 0.00388) is a warn-level segment; the total (1049 : 951,
    // p = 0.028) is not an SRM.
    // /usr/bin/python3 -c "from scipy.stats import chisquare as c; print(repr(c([549,451]).pvalue*2), repr(c([1049,951]).pvalue))"
    void warn_level_segments_are_ranked()
    {
        Events e("timestamp,user_id,variant,browser");
        e.units(0, "control", 549, "x").units(0, "treatment", 451, "x");
        e.units(0, "control", 500, "y").units(0, "treatment", 500, "y");
        DiagnosisOptions opt = without_localization();
        const auto r = e.diagnose(opt);
        QCOMPARE(r.srm.severity, Severity::Ok);
        QVERIFY(std::fabs(segment(r, "browser", "x").adjusted_p_value / 0.0038830795700808417 - 1) < 1e-9);
        QCOMPARE(segment(r, "browser", "x").severity, SegmentSeverity::Warn);
        QCOMPARE(r.ranked_segments.size(), std::size_t(1));
        QCOMPARE(r.ranked_segments[0].value, std::string("x"));
        QCOMPARE(r.health.state, HealthState::SegmentLimited);
    }

    // The sample-size check warns when the smallest expected count is below 100.
    void sample_size_warns_below_one_hundred_expected()
    {
        auto status = [](std::uint64_t a, std::uint64_t b) {
            return check(diagnose_counts({{"a", a, 1}, {"b", b, 1}}, InputSummary{}, SrmOptions{}), "sample_size").status;
        };
        QCOMPARE(status(100, 100), CheckStatus::Pass);  // expected exactly 100
        QCOMPARE(status(99, 101), CheckStatus::Pass);   // expected 100 each
        QCOMPARE(status(99, 100), CheckStatus::Warn);   // expected 99.5
    }

    // A column is the variant's mirror when it agrees on at least 90 % of the
    // sampled rows and each arm has at least 5 of them (roles.cpp).
    void mirror_needs_ninety_percent_and_five_rows_per_arm()
    {
        auto make = [](int rows, int disagreeing, int treatment_rows) {
            Events e("timestamp,user_id,variant,landing_page");
            for (int i = 0; i < rows; ++i) {
                const bool treat = i < treatment_rows;
                const bool flip = i >= rows - disagreeing;
                e.row(at(0, i), "u" + std::to_string(i), treat ? "treatment" : "control", (treat != flip) ? "new_page" : "old_page");
            }
            return e.load().mirror_column;
        };
        QVERIFY(make(100, 10, 50).has_value());   // 90 % agree
        QVERIFY(!make(100, 11, 50).has_value());  // 89 %
        QVERIFY(make(10, 0, 5).has_value());      // 5 rows per arm
        QVERIFY(!make(10, 0, 4).has_value());     // 4 treatment rows
    }

    // The ranking keeps up to 20 segments: eight severe ones are all ranked.
    void eight_severe_segments_are_all_ranked()
    {
        Events e("timestamp,user_id,variant,browser");
        for (int v = 0; v < 8; ++v) e.units(0, "control", 300, "b" + std::to_string(v)).units(0, "treatment", 150, "b" + std::to_string(v));
        DiagnosisOptions opt = without_localization();
        QCOMPARE(e.diagnose(opt).ranked_segments.size(), std::size_t(8));
    }

    // Hourly bins for spans up to two years: a test running 400 days still
    // places its change point on the hour (day 200, 12:00).
    void change_point_on_the_hour_in_a_long_test()
    {
        Events e;
        for (long h = 0; h < 400 * 24; ++h) {
            const bool after = h >= 200 * 24 + 12;
            e.units(h, "control", after ? 3 : 2).units(h, "treatment", after ? 1 : 2);
        }
        const auto r = e.diagnose();
        QCOMPARE(r.time_pattern.kind, PatternKind::AtPoint);
        QCOMPARE(*r.time_pattern.change_point, kT0 + (200 * 24 + 12) * 3600);
    }
    // Pairs are formed from each dimension's 24 most deviating values, not
    // only the top few: country = x ranks third by its own gain (its
    // imbalance diluted by 3600 balanced units; A and B deviate more but not
    // significantly), yet (country = x, app = y) is the segment.
    // Chi-square against 50/50: A and B 9.8 each, x 6.4, app = y 7.5 (none
    // below the severe level over the 6 singles), (x, y) 64; the rest balanced.
    void pairs_reach_beyond_the_top_values()
    {
        Events e("timestamp,user_id,variant,country,app");
        e.units(0, "control", 280, "x,y").units(0, "treatment", 120, "x,y");
        e.units(0, "control", 1800, "x,z").units(0, "treatment", 1800, "x,z");
        for (const char* app : {"y", "z"}) {
            e.units(1, "control", 535, std::string("A,") + app).units(1, "treatment", 465, std::string("A,") + app);
            e.units(1, "control", 465, std::string("B,") + app).units(1, "treatment", 535, std::string("B,") + app);
            e.units(1, "control", 500, std::string("C,") + app).units(1, "treatment", 500, std::string("C,") + app);
        }
        const auto r = e.diagnose();
        QCOMPARE(r.explanation.status, ExplanationStatus::Localized);
        QCOMPARE(r.explanation.segments.size(), std::size_t(1));
        QCOMPARE(r.explanation.segments[0].conditions, (Conditions{{"country", "x"}, {"app", "y"}}));
        QCOMPARE(r.explanation.segments[0].counts, (std::vector<std::uint64_t>{280, 120}));
        QCOMPARE(r.explanation.remaining_units, std::uint64_t(9600));
    }

    // An alternative is listed when it shares at least 1.5 times the units
    // independence would give: browser = Safari (3000 units, all iOS) is the
    // segment; os = iOS holds 10000 of the 15000 units, so the lift is
    // 3000 x 15000 / (3000 x 10000) = 1.5 exactly, and its gain is over a
    // fifth of Safari's.
    void an_alternative_at_a_lift_of_one_and_a_half()
    {
        Events e("timestamp,user_id,variant,browser,os");
        e.units(0, "control", 1800, "Safari,iOS").units(0, "treatment", 1200, "Safari,iOS");
        e.units(0, "control", 3500, "Chrome,iOS").units(0, "treatment", 3500, "Chrome,iOS");
        e.units(0, "control", 2500, "Chrome,Android").units(0, "treatment", 2500, "Chrome,Android");
        const auto r = e.diagnose();
        QCOMPARE(r.explanation.status, ExplanationStatus::Localized);
        QCOMPARE(r.explanation.segments.size(), std::size_t(1));
        const auto& s = r.explanation.segments[0];
        QCOMPARE(s.conditions, (Conditions{{"browser", "Safari"}}));
        QCOMPARE(s.alternatives.size(), std::size_t(1));
        QCOMPARE(s.alternatives[0].conditions, (Conditions{{"os", "iOS"}}));
    }
    // The health line names up to three explaining segments: with exactly
    // three (b1-b3 at 300 : 150 each, b4-b6 at 600 : 600) it names them all.
    void the_health_line_names_three_segments()
    {
        Events e("timestamp,user_id,variant,browser");
        for (int b = 1; b <= 6; ++b) {
            const std::string v = "b" + std::to_string(b);
            e.units(0, "control", b <= 3 ? 300 : 600, v).units(0, "treatment", b <= 3 ? 150 : 600, v);
        }
        const auto r = e.diagnose();
        QCOMPARE(r.explanation.segments.size(), std::size_t(3));
        QVERIFY2(r.health.headline.find("explained by browser = b1, browser = b2 and browser = b3") != std::string::npos, r.health.headline.c_str());
    }
    // Looking at one segment: its own dimension is not broken down again,
    // the others are; and a value left without units by a window is no segment.
    void a_segment_and_a_window_narrow_step_four()
    {
        Events e("timestamp,user_id,variant,browser,os");
        e.units(0, "control", 200, "Safari,iOS").units(0, "treatment", 200, "Safari,iOS");
        e.units(0, "control", 200, "Chrome,Android").units(0, "treatment", 200, "Chrome,Android");
        e.units(30, "control", 150, "Edge,Windows").units(30, "treatment", 150, "Edge,Windows");  // only after hour 30
        const Dataset ds = e.load();
        DiagnosisOptions seg = without_localization();
        seg.segment = find_segment(ds, "browser", "Safari");
        QVERIFY(seg.segment.has_value());
        const auto r = diagnose_dataset(ds, seg);
        QCOMPARE(r.dimensions.size(), std::size_t(1));
        QCOMPARE(r.dimensions[0].name, std::string("os"));
        QCOMPARE(r.dimensions[0].segments.size(), std::size_t(1));  // iOS: the only os with Safari's units
        QCOMPARE(r.dimensions[0].segments[0].value, std::string("iOS"));
        DiagnosisOptions win = without_localization();
        win.window_end = kT0 + 10 * 3600;
        const auto w = diagnose_dataset(ds, win);
        for (const auto& d : w.dimensions) {
            QCOMPARE(d.segments.size(), std::size_t(2));  // Edge and Windows had no units before hour 10
            for (const auto& sg : d.segments) QVERIFY2(sg.units == 400, sg.value.c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestBoundaries)
#include "tst_boundaries.moc"
