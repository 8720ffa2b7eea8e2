// The diagnosis on simulated experiments with a known cause: each asserts
// the specific finding (change point, top segment, flagged metric, check
// status, verdict type); healthy experiments must raise no alarm. Values of
// the statistics are checked against scipy / R (commands next to them).
#include "srm/analysis.hpp"
#include "srm/diagnosis.hpp"
#include "srm/inference.hpp"
#include "srm/ingest.hpp"
#include "srm/side_files.hpp"
#include "srm/simulate.hpp"
#include "steps_internal.hpp"

#include <QTemporaryDir>
#include <QtTest>
#include <array>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>

using namespace srm;

namespace {

struct Run {
    SimulationTruth truth;
    Dataset ds;
    Report report;
};

Run run(SimulationSpec spec, DiagnosisOptions opt = {})
{
    std::ostringstream csv;
    Run r;
    r.truth = simulate(spec, csv);
    r.ds = load_csv_memory(csv.str(), "sim.csv");
    r.report = diagnose_dataset(r.ds, opt);
    return r;
}

SimulationSpec spec(Scenario s, std::uint64_t seed, std::uint64_t users = 40000)
{
    SimulationSpec p;
    p.scenario = s;
    p.seed = seed;
    p.users = users;
    return p;
}

const Check& check(const Report& r, const std::string& id)
{
    for (const auto& c : r.checks)
        if (c.id == id) return c;
    qFatal("no check %s", id.c_str());
}

}  // namespace

class TestDiagnosis : public QObject {
    Q_OBJECT

private slots:
    void healthy_raises_no_alarm()
    {
        for (std::uint64_t seed : {1u, 2u, 3u}) {
            const auto r = run(spec(Scenario::Healthy, seed)).report;
            QVERIFY(!r.verdict.srm);
            QCOMPARE(r.verdict.type, SrmType::None);
            QCOMPARE(std::string(to_string(r.time_pattern.kind)), std::string("none"));
            QVERIFY(r.ranked_segments.empty());
            QVERIFY(!r.sequential.first_alert);
            for (const auto& m : r.group_metrics) QVERIFY(!m.flag);
            for (const auto& c : r.checks) QVERIFY2(c.status != CheckStatus::Fail && c.status != CheckStatus::Warn, c.id.c_str());
        }
    }

    void bucketing_defect_is_from_start_allocation()
    {
        const auto r = run(spec(Scenario::BucketingDefect, 7)).report;
        QVERIFY(r.verdict.srm);
        QCOMPARE(std::string(to_string(r.time_pattern.kind)), std::string("from_start"));
        QCOMPARE(r.verdict.type, SrmType::Allocation);
        QCOMPARE(r.srm.variants[0].name, std::string("control"));
        QVERIFY(r.srm.variants[0].observed > r.srm.variants[1].observed);
    }

    void deployment_drop_is_at_point_in_one_browser()
    {
        auto s = spec(Scenario::DeploymentDrop, 8, 100000);
        DiagnosisOptions opt;
        opt.changes = {{1772928000 - 3 * 86400, "remote_config", "cache TTL", 2},
                       {1772928000, "deployment", "Release 4.2.0", 3},
                       {1772928000 + 2 * 86400, "deployment", "Release 4.2.1", 4}};
        const auto r = run(s, opt);
        QCOMPARE(std::string(to_string(r.report.time_pattern.kind)), std::string("at_point"));
        QVERIFY(std::llabs(*r.report.time_pattern.change_point - r.truth.change_time_us / 1000000) <= 12 * 3600);
        QVERIFY(!r.report.ranked_segments.empty());
        QCOMPARE(r.report.ranked_segments.front().dimension, std::string("browser"));
        QCOMPARE(r.report.ranked_segments.front().value, std::string("Safari"));
        QCOMPARE(r.report.verdict.type, SrmType::Tracking);
        QVERIFY(r.report.changes[1].near_change_point);
        QVERIFY(!r.report.changes[0].near_change_point);
        QVERIFY(!r.report.changes[2].near_change_point);
        QVERIFY(QString::fromStdString(r.report.verdict.summary).contains("Release 4.2.0"));
        QVERIFY(r.report.sequential.first_alert.has_value());
        QVERIFY(*r.report.sequential.first_alert > r.truth.change_time_us / 1000000);
    }

    // At a smaller size the deployment's break can look gradual; concentrated
    // in one browser with no metric differing, it is still a tracking loss.
    void break_in_one_browser_is_tracking_at_any_pattern()
    {
        const auto r = run(spec(Scenario::DeploymentDrop, 4, 50000)).report;
        QVERIFY(r.time_pattern.kind == PatternKind::AtPoint || r.time_pattern.kind == PatternKind::Gradual);
        QCOMPARE(r.verdict.type, SrmType::Tracking);
        QVERIFY(QString::fromStdString(r.verdict.summary).contains("browser = Safari"));
    }

    void gradual_attrition_flags_the_crash_metric()
    {
        const auto r = run(spec(Scenario::GradualAttrition, 9, 60000)).report;
        QCOMPARE(std::string(to_string(r.time_pattern.kind)), std::string("gradual"));
        QCOMPARE(r.verdict.type, SrmType::Eligibility);
        QCOMPARE(r.group_metrics.size(), std::size_t(1));
        QCOMPARE(r.group_metrics[0].metric, std::string("crashed"));
        QVERIFY(r.group_metrics[0].flag);
        QVERIFY(r.group_metrics[0].variants[1].rate > r.group_metrics[0].variants[0].rate);
    }

    // The verdict names a group metric by its flag (Holm across metrics), not
    // by its unadjusted p: the same report with the flag cleared no longer
    // names it, and with the flag set but a large p still does.
    void verdict_names_the_metrics_flagged_after_holm()
    {
        Report r = run(spec(Scenario::GradualAttrition, 9, 60000)).report;
        QCOMPARE(r.group_metrics.size(), std::size_t(1));
        const std::string named = " The group metric 'crashed' differs between variants";
        QVERIFY(r.group_metrics[0].p_value < 0.05);
        QVERIFY(r.verdict.summary.find(named) != std::string::npos);
        r.group_metrics[0].flag = false;  // small p, not significant after Holm
        Verdict v = detail::decide_verdict(r);
        QCOMPARE(v.type, SrmType::Eligibility);
        QVERIFY2(v.summary.find("'crashed'") == std::string::npos, v.summary.c_str());
        r.group_metrics[0].flag = true;
        r.group_metrics[0].p_value = 0.2;
        v = detail::decide_verdict(r);
        QVERIFY2(v.summary.find(named) != std::string::npos, v.summary.c_str());
    }

    void segment_skew_is_found_though_the_total_is_fine()
    {
        const auto r = run(spec(Scenario::SegmentSkew, 10)).report;
        QCOMPARE(r.srm.severity, Severity::Ok);
        QVERIFY(r.verdict.srm);
        QCOMPARE(r.verdict.type, SrmType::SegmentLimited);
        QCOMPARE(r.ranked_segments.front().dimension, std::string("browser"));
        const auto& top = r.ranked_segments.front().value;
        QVERIFY2(top == "Safari" || top == "Firefox", top.c_str());
        for (const auto& d : r.dimensions)
            if (d.name == "browser") QVERIFY(d.log10_p_value < -3);
    }

    void variant_jumping_fails_the_check()
    {
        const auto r = run(spec(Scenario::VariantJumping, 11));
        const auto& c = check(r.report, "variant_jumping");
        QCOMPARE(c.status, CheckStatus::Fail);
        QVERIFY(std::fabs(*c.value - static_cast<double>(r.truth.jumpers) / static_cast<double>(r.truth.exposed_units)) < 1e-12);
    }

    void allocation_change_with_and_without_history()
    {
        const auto s = spec(Scenario::AllocationChange, 12);
        const auto plain = run(s).report;
        QVERIFY(plain.verdict.srm);
        QCOMPARE(std::string(to_string(plain.time_pattern.kind)), std::string("at_point"));
        QCOMPARE(check(plain, "allocation_change").status, CheckStatus::Warn);
        QCOMPARE(plain.verdict.type, SrmType::Allocation);
        // sdk_version 3.3.0 ships on day 5, so its mix changes over time; tested
        // within days, its split does not differ across versions.
        for (const auto& d : plain.dimensions) QVERIFY2(d.log10_p_value > -3, d.name.c_str());
        // With the history the phased expectation explains the split.
        std::ostringstream csv;
        const auto truth = simulate(s, csv);
        const Dataset ds = load_csv_memory(csv.str(), "sim.csv");
        DiagnosisOptions opt;
        opt.allocation = {{s.start_us / 1000000, s.variants}, {truth.change_time_us / 1000000, truth.weights_after}};
        const auto phased = diagnose_dataset(ds, opt);
        QCOMPARE(phased.srm.test, TestKind::ChiSquarePhased);
        QCOMPARE(phased.srm.severity, Severity::Ok);
        QCOMPARE(std::string(to_string(phased.time_pattern.kind)), std::string("none"));
        QCOMPARE(check(phased, "allocation_change").status, CheckStatus::Warn);
        QVERIFY(!phased.sequential.first_alert);
    }

    void assignment_exposure_drop_fails_the_funnel()
    {
        const auto whole = run(spec(Scenario::AssignmentExposureDrop, 13));
        const auto& r = whole.report;
        QCOMPARE(check(r, "assignment_exposure_funnel").status, CheckStatus::Fail);
        // Under a segment the funnel is not tallied (a unit's segment is that
        // of its exposure): the check does not apply.
        DiagnosisOptions one;
        one.segment = find_segment(whole.ds, whole.ds.dimensions.at(0).name, whole.ds.dimensions.at(0).values.at(0));
        QVERIFY(one.segment);
        const auto seg = diagnose_dataset(whole.ds, one);
        for (const auto& [assigned, exposed] : seg.evidence.funnel) QVERIFY(assigned == 0 && exposed == 0);
        QCOMPARE(check(seg, "assignment_exposure_funnel").status, CheckStatus::NotApplicable);
        QCOMPARE(r.evidence.funnel.size(), std::size_t(2));
        QCOMPARE(r.verdict.type, SrmType::Tracking);
        QVERIFY(r.evidence.funnel[1].second * r.evidence.funnel[0].first < r.evidence.funnel[0].second * r.evidence.funnel[1].first);
        const auto healthy = run([] {
            auto s = spec(Scenario::Healthy, 14);
            s.event_type = true;
            return s;
        }()).report;
        QCOMPARE(check(healthy, "assignment_exposure_funnel").status, CheckStatus::Pass);
    }

    // Above 200,000 units the tally runs on several threads and merges their
    // parts (counts, bins, phases, the funnel, segments and their bins,
    // metric sums, the span): the same units nine times over must count
    // nine times the once-over tally, point for point.
    void parallel_tally_is_the_sum_of_its_parts_data()
    {
        QTest::addColumn<int>("scenario");
        QTest::addColumn<int>("days");
        QTest::addColumn<int>("extra");
        QTest::addColumn<bool>("untimed");
        QTest::addColumn<bool>("numeric");
        QTest::newRow("funnel, inclusions") << static_cast<int>(Scenario::AssignmentExposureDrop) << 14 << 0 << false << false;
        QTest::newRow("drop in one browser") << static_cast<int>(Scenario::DeploymentDrop) << 14 << 0 << false << false;
        // Without times: the segments' totals are counted directly.
        QTest::newRow("without times") << static_cast<int>(Scenario::DeploymentDrop) << 14 << 0 << true << false;
        // 60 days of hourly bins: the 200-value dimensions past the first
        // are counted without bins, and the cube's radices pass 2^22 (the
        // coarse cube).
        QTest::newRow("many dimensions") << static_cast<int>(Scenario::DeploymentDrop) << 60 << 4 << false << false;
        // Jumping units, units whose mirror column disagrees, and a numeric
        // metric (its sums of squares merged: the t interval's width).
        QTest::newRow("jumping, mirror, mean metric") << static_cast<int>(Scenario::VariantJumping) << 14 << 0 << false << true;
    }
    void parallel_tally_is_the_sum_of_its_parts()
    {
        QFETCH(int, scenario);
        QFETCH(int, days);
        QFETCH(int, extra);
        QFETCH(bool, untimed);
        QFETCH(bool, numeric);
        auto s = spec(static_cast<Scenario>(scenario), 21, 25000);
        s.inclusion = true;
        s.days = days;
        s.extra_dimensions = extra;
        s.extra_values = 200;
        if (extra > 0) s.strength = 0.9;
        Run once = run(s);
        // Two allocation phases where dimensions go uncounted by bin: each
        // segment's phased expectation sums the threads' phase totals.
        DiagnosisOptions opt;
        if (extra > 0) {
            opt.allocation = {{s.start_us / 1000000, {{"control", 50}, {"treatment", 50}}},
                              {s.start_us / 1000000 + 20 * 86400, {{"control", 55}, {"treatment", 45}}}};
            once.report = diagnose_dataset(once.ds, opt);
        }
        if (untimed) {
            once.ds.has_time = false;
            std::fill(once.ds.first_time.begin(), once.ds.first_time.end(), kNoTime);
            once.ds.min_time = once.ds.max_time = kNoTime;
            once.report = diagnose_dataset(once.ds, {});
        }
        if (numeric) {
            // Each unit's value from its row number (not 0/1), and every
            // fifth unit's mirror column naming another arm.
            QCOMPARE(once.ds.metrics.size(), std::size_t{1});
            once.ds.metrics[0].binary = false;
            for (std::size_t i = 0; i < once.ds.size(); ++i) {
                once.ds.metric_values[i] = 0.5 * static_cast<double>(i % 11) + 0.25 * static_cast<double>(i % 3);
                if (i % 5 == 0) once.ds.flags[i] |= kDisagreed;
            }
            once.report = diagnose_dataset(once.ds, {});
            QVERIFY(once.report.evidence.jumped_units > 100);
            QVERIFY(once.report.evidence.mirror_units_disagreeing > 1000);
            QVERIFY(!once.report.group_metrics.front().binary);
        }
        constexpr std::uint64_t K = 9;
        Dataset many = once.ds;
        auto repeat = [](auto& column) {
            const auto one = column;
            for (std::uint64_t k = 1; k < K; ++k) column.insert(column.end(), one.begin(), one.end());
        };
        repeat(many.first_time);
        repeat(many.variant);
        repeat(many.assigned_variant);
        repeat(many.flags);
        repeat(many.weight);
        repeat(many.dim_codes);
        repeat(many.metric_values);
        QVERIFY(many.size() > 200000);
        // The middle of the test first and its two ends last, so that each
        // thread's part holds other units (its own span, bins and segments)
        // and neither end of the span is in the first part.
        {
            std::vector<std::size_t> order(many.size());
            std::iota(order.begin(), order.end(), std::size_t{0});
            const std::int64_t mid = many.min_time / 2 + many.max_time / 2;
            auto off_mid = [&](std::size_t x) { return many.first_time[x] == kNoTime ? 0 : std::llabs(many.first_time[x] - mid); };
            std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return off_mid(x) < off_mid(y); });
            auto permute = [&](auto& column) {
                if (column.empty()) return;
                const std::size_t stride = column.size() / order.size();
                const auto from = column;
                for (std::size_t i = 0; i < order.size(); ++i)
                    for (std::size_t j = 0; j < stride; ++j) column[i * stride + j] = from[order[i] * stride + j];
            };
            permute(many.first_time);
            permute(many.variant);
            permute(many.assigned_variant);
            permute(many.flags);
            permute(many.weight);
            permute(many.dim_codes);
            permute(many.metric_values);
        }
        const Report a = once.report, b = diagnose_dataset(many, opt);
        // The localization's cube (merged across the threads too): its
        // segments (disjoint: each takes the units no earlier one took) hold
        // nine times the once-over data's units that match any of them, and
        // the rest nine times the others (counted here from the dataset).
        // (Nine times the units make chance imbalances significant: the
        // segments found differ from the once-over data's.)
        if (extra == 0 && !untimed && !numeric) QCOMPARE(b.explanation.status, ExplanationStatus::Localized);
        const std::size_t nd = once.ds.dimensions.size();
        auto matches = [&](std::size_t i, const Conditions& conditions) {
            for (const auto& [dim, value] : conditions) {
                std::size_t d = 0;
                while (once.ds.dimensions[d].name != dim) ++d;
                const auto code = once.ds.dim_codes[i * nd + d];
                if (code == kNoCode || once.ds.dimensions[d].values[code] != value) return false;
            }
            return true;
        };
        std::uint64_t in_segments = 0, outside = 0, segment_units = 0;
        for (std::size_t i = 0; i < once.ds.size(); ++i) {
            if (!(once.ds.flags[i] & kExposed)) continue;
            bool any = false;
            for (const auto& seg : b.explanation.segments) any = any || matches(i, seg.conditions);
            (any ? in_segments : outside) += once.ds.weight_of(i);
        }
        for (const auto& seg : b.explanation.segments) segment_units += seg.units;
        QCOMPARE(segment_units, K * in_segments);
        QCOMPARE(b.explanation.remaining_units, K * outside);
        QCOMPARE(b.srm.variants.size(), a.srm.variants.size());
        for (std::size_t v = 0; v < a.srm.variants.size(); ++v) {
            QCOMPARE(b.srm.variants[v].observed, K * a.srm.variants[v].observed);
            QVERIFY(std::fabs(b.srm.variants[v].expected - static_cast<double>(K) * a.srm.variants[v].expected) < 1e-6);
        }
        QCOMPARE(b.evidence.exposed_units, K * a.evidence.exposed_units);
        QCOMPARE(b.evidence.jumped_units, K * a.evidence.jumped_units);
        QCOMPARE(b.evidence.mirror_units_disagreeing, K * a.evidence.mirror_units_disagreeing);
        QCOMPARE(b.evidence.variant_span, a.evidence.variant_span);
        QCOMPARE(b.evidence.included_units, K * a.evidence.included_units);
        QVERIFY(a.evidence.included_units > 0);
        QCOMPARE(b.evidence.funnel.size(), a.evidence.funnel.size());
        for (std::size_t v = 0; v < a.evidence.funnel.size(); ++v) {
            QCOMPARE(b.evidence.funnel[v].first, K * a.evidence.funnel[v].first);
            QCOMPARE(b.evidence.funnel[v].second, K * a.evidence.funnel[v].second);
        }
        auto same_points = [&](const Timeline& x, const Timeline& y) {
            QCOMPARE(y.points.size(), x.points.size());
            for (std::size_t i = 0; i < x.points.size(); ++i) {
                QCOMPARE(y.points[i].time, x.points[i].time);
                for (std::size_t v = 0; v < x.points[i].cumulative.size(); ++v) {
                    QCOMPARE(y.points[i].cumulative[v], K * x.points[i].cumulative[v]);
                    QCOMPARE(y.points[i].new_units[v], K * x.points[i].new_units[v]);
                }
            }
        };
        QVERIFY(untimed || a.timeline.points.size() > 5);
        same_points(a.timeline, b.timeline);
        QCOMPARE(b.dimensions.size(), a.dimensions.size());
        QVERIFY(!a.dimensions.empty());
        for (std::size_t d = 0; d < a.dimensions.size(); ++d) {
            QCOMPARE(b.dimensions[d].segments.size(), a.dimensions[d].segments.size());
            for (std::size_t g = 0; g < a.dimensions[d].segments.size(); ++g) {
                const auto &x = a.dimensions[d].segments[g], &y = b.dimensions[d].segments[g];
                QCOMPARE(y.value, x.value);
                QCOMPARE(y.units, K * x.units);
                QVERIFY2(std::fabs(y.max_deviation_pp - x.max_deviation_pp) < 1e-9, y.value.c_str());
                for (std::size_t v = 0; v < x.counts.size(); ++v) QCOMPARE(y.counts[v], K * x.counts[v]);
                same_points(x.timeline, y.timeline);
                same_points(x.rest_timeline, y.rest_timeline);
            }
        }
        QCOMPARE(b.group_metrics.size(), a.group_metrics.size());
        QVERIFY(!a.group_metrics.empty());
        for (std::size_t m = 0; m < a.group_metrics.size(); ++m)
            for (std::size_t v = 0; v < a.group_metrics[m].variants.size(); ++v) {
                const auto &x = a.group_metrics[m].variants[v], &y = b.group_metrics[m].variants[v];
                QCOMPARE(y.n, K * x.n);
                QVERIFY2(std::fabs(y.rate - x.rate) <= 1e-12 * std::max(1.0, std::fabs(x.rate)), a.group_metrics[m].metric.c_str());
                if (a.group_metrics[m].binary) continue;
                // The once-over sample variance s2 from its t interval's
                // half-width; nine copies have s2 * 9 (n - 1) / (9 n - 1).
                const double n = static_cast<double>(x.n), nk = static_cast<double>(y.n);
                const double sd = 0.5 * (x.ci_high - x.ci_low) / t_interval(0.0, 1.0, n).high;
                const double want = t_interval(0.0, sd * sd * static_cast<double>(K) * (n - 1) / (nk - 1), nk).high;
                QVERIFY(sd > 0.1);
                QVERIFY2(std::fabs(0.5 * (y.ci_high - y.ci_low) - want) < 1e-9 * want, a.group_metrics[m].metric.c_str());
            }
    }

    // Each step's state from its own evidence: Step 1 warns for any time
    // pattern and is severe only for a pattern under a severe SRM (a severe
    // SRM with no pattern leaves Step 1 ok: the pattern is what it shows);
    // Steps 2 and 3 warn at most; a step without its input is not applicable.
    void step_states_follow_their_evidence()
    {
        auto state_of = [](const Report& r, const std::string& id) {
            for (const auto& s : detail::step_statuses(r))
                if (s.id == id) return std::string(to_string(s.state));
            return std::string("missing");
        };
        const std::pair<PatternKind, std::array<const char*, 3>> step1[] = {
            // kind: state under an ok, a warning and a severe SRM
            {PatternKind::NotApplicable, {"none", "none", "none"}},
            {PatternKind::None, {"ok", "ok", "ok"}},
            {PatternKind::FromStart, {"warn", "warn", "severe"}},
            {PatternKind::Gradual, {"warn", "warn", "severe"}},
            {PatternKind::AtPoint, {"warn", "warn", "severe"}},
        };
        for (const auto& [kind, want] : step1)
            for (int sev = 0; sev < 3; ++sev) {
                Report r;
                r.time_pattern.kind = kind;
                r.srm.severity = static_cast<Severity>(sev);
                QCOMPARE(state_of(r, "step1"), std::string(want[static_cast<std::size_t>(sev)]));
                QCOMPARE(state_of(r, "step2"), std::string("none"));
                QCOMPARE(state_of(r, "step3"), std::string("none"));
                QCOMPARE(state_of(r, "checklist"), std::string("ok"));
            }
        Report r;
        r.srm.severity = Severity::Severe;
        r.group_metrics.resize(2);
        r.changes.resize(1);
        QCOMPARE(state_of(r, "step2"), std::string("ok"));
        QCOMPARE(state_of(r, "step3"), std::string("ok"));
        r.group_metrics[1].flag = true;
        r.changes[0].near_change_point = true;
        QCOMPARE(state_of(r, "step2"), std::string("warn"));
        QCOMPARE(state_of(r, "step3"), std::string("warn"));
    }

    void variant_removed_mid_test()
    {
        // Three variants for two weeks; 'c' stops receiving traffic after day 6.
        std::string t = "timestamp,user_id,variant\n";
        int id = 0;
        for (int day = 0; day < 14; ++day)
            for (int h = 0; h < 24; ++h)
                for (const char* v : {"a", "b", "c"}) {
                    if (std::string(v) == "c" && day >= 6) continue;
                    char line[96];
                    std::snprintf(line, sizeof line, "2026-03-%02dT%02d:10:00Z,u%d,%s\n", day + 1, h, id++, v);
                    t += line;
                }
        const auto r = diagnose_dataset(load_csv_memory(t, "removed.csv"), {});
        const auto& c = check(r, "variant_added_removed");
        QCOMPARE(c.status, CheckStatus::Fail);
        QVERIFY2(c.detail.find("'c' stops at 2026-03-06T23:10:00Z") != std::string::npos, c.detail.c_str());
        QCOMPARE(*c.value, 192.0);  // hours from c's last exposure (Mar 6 23:10) to the last (Mar 14 23:10)
        // Healthy data passes.
        QCOMPARE(check(run(spec(Scenario::Healthy, 21)).report, "variant_added_removed").status, CheckStatus::Pass);
    }

    void inclusions_are_counted()
    {
        auto s = spec(Scenario::Healthy, 15);
        s.inclusion = true;
        const auto res = run(s);
        const auto& c = check(res.report, "individual_inclusions");
        QCOMPARE(c.status, CheckStatus::Warn);
        QVERIFY(res.truth.included_units > 0);
        QCOMPARE(res.report.evidence.included_units, res.truth.included_units);
        QCOMPARE(*c.value, static_cast<double>(res.truth.included_units) / static_cast<double>(res.truth.exposed_units));
    }

    void window_filters_on_loaded_data()
    {
        auto s = spec(Scenario::DeploymentDrop, 16);
        std::ostringstream csv;
        const auto truth = simulate(s, csv);
        const Dataset ds = load_csv_memory(csv.str(), "sim.csv");
        DiagnosisOptions before;
        before.window_end = truth.change_time_us / 1000000 - 1;
        const auto r = diagnose_dataset(ds, before);
        QCOMPARE(r.srm.severity, Severity::Ok);  // the break is after the window
        QCOMPARE(check(r, "analysis_window").status, CheckStatus::Warn);
        DiagnosisOptions safari;
        safari.segment = std::make_pair(std::size_t(0), std::uint16_t(0));
        for (std::uint16_t c = 0; c < ds.dimensions[0].values.size(); ++c)
            if (ds.dimensions[0].values[c] == "Safari") safari.segment->second = c;
        const auto seg = diagnose_dataset(ds, safari);
        QCOMPARE(seg.srm.severity, Severity::Severe);
        QCOMPARE(std::string(to_string(seg.time_pattern.kind)), std::string("at_point"));
    }

    // Values: /usr/bin/python3 with scipy.special.gammaln:
    // logBF = gammaln(c)-gammaln(c+n)+sum(gammaln(a+x)-gammaln(a))-sum(x*log(th)), a = c*th, c = 100
    void sequential_bayes_factor()
    {
        Dataset ds = load_csv_memory(
            [] {
                std::string t = "timestamp,user_id,variant\n";
                for (int i = 0; i < 100; ++i)
                    t += "2026-03-01T10:" + std::string(i % 60 < 10 ? "0" : "") + std::to_string(i % 60) + ":00Z,u" +
                         std::to_string(i) + "," + (i < 70 ? "a" : "b") + "\n";
                return t;
            }(),
            "bf.csv");
        // All 100 units in hours 10 and 11: x = (70, 30) at the end.
        const auto r = diagnose_dataset(ds, {});
        QVERIFY(std::fabs(r.sequential.log10_p_value - -1.6067851771453148) < 1e-9);
    }

    // R: p.adjust(c(0.01,0.04,0.03,0.005), "holm") -> 0.03 0.06 0.06 0.02
    void holm()
    {
        const auto adj = holm_log10({std::log10(0.01), std::log10(0.04), std::log10(0.03), std::log10(0.005)});
        const double expected[] = {0.03, 0.06, 0.06, 0.02};
        for (int i = 0; i < 4; ++i) QVERIFY(std::fabs(std::pow(10.0, adj[static_cast<std::size_t>(i)]) - expected[i]) < 1e-12);
    }

    // scipy: 2*norm.sf(|z|) for 20/1000 vs 40/1000 -> 0.008751486656558373;
    // chi2_contingency([[500,400],[300,320],[100,80]], correction=False)[1] -> 0.017212375591177196
    void metric_and_dimension_tests()
    {
        std::string t = "user_id,variant,browser,crashed\n";
        int id = 0;
        auto add = [&](const char* v, const char* b, int n, int crashed) {
            for (int i = 0; i < n; ++i) t += "u" + std::to_string(id++) + "," + v + "," + b + "," + (i < crashed ? "1" : "0") + "\n";
        };
        add("a", "x", 500, 10);
        add("b", "x", 400, 20);
        add("a", "y", 300, 6);
        add("b", "y", 320, 12);
        add("a", "z", 200, 4);
        add("b", "z", 280, 8);
        // crashed: a 20 of 1000, b 40 of 1000; browser table [[500,400],[300,320],[200,280]]
        const Dataset ds = load_csv_memory(t, "m.csv");
        const auto r = diagnose_dataset(ds, {});
        QVERIFY(std::fabs(r.group_metrics[0].p_value - 0.008751486656558373) < 1e-12);
        QVERIFY(r.group_metrics[0].flag);
        QCOMPARE(r.group_metrics[0].variants[0].rate, 0.02);
        const auto t2 = [] {
            std::string s = "user_id,variant,browser\n";
            int id = 0;
            auto add2 = [&](const char* v, const char* b, int n) {
                for (int i = 0; i < n; ++i) s += "u" + std::to_string(id++) + "," + v + "," + b + "\n";
            };
            add2("a", "x", 500);
            add2("b", "x", 400);
            add2("a", "y", 300);
            add2("b", "y", 320);
            add2("a", "z", 100);
            add2("b", "z", 80);
            return s;
        }();
        const auto r2 = diagnose_dataset(load_csv_memory(t2, "d.csv"), {});
        QVERIFY(std::fabs(r2.dimensions[0].p_value - 0.017212375591177196) < 1e-9);
    }

    // The metrics compare each arm against the control, wherever the control
    // stands among the variants: here b (--control b), shown second.
    // statsmodels: proportions_ztest([40,20],[1000,1000])[1] -> 0.008751486656558373,
    // proportions_ztest([45,20],[1000,1000])[1] -> 0.001618677606637792,
    // min(multipletests([those two], method='holm')[1]) -> 0.003237355213275584
    // (against a instead: 2 * 0.008751486656558373).
    void metrics_against_a_control_not_first()
    {
        std::string t = "user_id,variant,crashed\n";
        int id = 0;
        for (const auto& [v, crashed] : {std::pair{"a", 40}, std::pair{"b", 20}, std::pair{"c", 45}})
            for (int i = 0; i < 1000; ++i) t += "u" + std::to_string(id++) + "," + v + "," + (i < crashed ? "1" : "0") + "\n";
        DiagnosisOptions o;
        o.control = "b";
        const auto r = diagnose_dataset(load_csv_memory(t, "c.csv"), o);
        QCOMPARE(r.group_metrics.size(), std::size_t(1));
        QCOMPARE(r.group_metrics[0].variants.size(), std::size_t(3));
        QCOMPARE(r.group_metrics[0].variants[1].name, std::string("b"));
        QVERIFY2(std::fabs(r.group_metrics[0].p_value - 0.003237355213275584) < 1e-12, std::to_string(r.group_metrics[0].p_value).c_str());
        QVERIFY(std::fabs(r.group_metrics[0].adjusted_p_value - 0.003237355213275584) < 1e-12);
        QVERIFY(r.group_metrics[0].flag);
    }

    void change_log_and_allocation_files()
    {
        QTemporaryDir dir;
        const auto log = dir.filePath("changes.csv").toStdString();
        std::ofstream(log) << "timestamp,kind,description\n2026-03-08T00:00:00Z,deployment,\"Release 4.2.0, web\"\nnot a time,config,x\n";
        try {
            read_change_log(log);
            QFAIL("no error");
        } catch (const InputError& e) {
            QCOMPARE(e.line(), 3u);
        }
        std::ofstream(log) << "time,type,summary\n2026-03-08,deployment,\"Release 4.2.0, web\"\n";
        const auto changes = read_change_log(log);
        QCOMPARE(changes.size(), std::size_t(1));
        QCOMPARE(changes[0].description, std::string("Release 4.2.0, web"));
        // Every column name side_files.cpp reads, each alone; an unknown time column names the ones it takes.
        for (const char* time : {"timestamp", "time", "date", "datetime", "ts", "deployed_at", "created_at", "Deployed At", "TIMESTAMP"}) {
            const auto one = parse_change_log(std::string(time) + ",x\n2026-03-08,y\n", "c.csv");
            QCOMPARE(one.size(), std::size_t(1));
            QCOMPARE(one[0].time, std::int64_t(1772928000));
            QCOMPARE(one[0].kind, std::string("change"));
        }
        for (const char* kind : {"kind", "type", "category", "change_type"})
            QCOMPARE(parse_change_log(std::string("ts,") + kind + "\n2026-03-08,deployment\n", "c.csv").at(0).kind, std::string("deployment"));
        for (const char* desc : {"description", "desc", "summary", "message", "title", "name", "change"})
            QCOMPARE(parse_change_log(std::string("ts,") + desc + "\n2026-03-08,Release 5\n", "c.csv").at(0).description, std::string("Release 5"));
        // A hand-written file with blanks around its fields (after the commas,
        // before the line end): names, kinds, times and weights without them.
        const auto spaced = parse_change_log("timestamp, kind,\tdescription \n 2026-03-08T06:00:00Z , deployment ,  Release 5 \t\n", "c.csv");
        QCOMPARE(spaced.size(), std::size_t(1));
        QCOMPARE(spaced[0].time, std::int64_t(1772928000 + 6 * 3600));
        QCOMPARE(spaced[0].kind, std::string("deployment"));
        QCOMPARE(spaced[0].description, std::string("Release 5"));
        const auto spacedPhases = parse_allocation_history("timestamp, control, treatment\n2026-03-08,\t50, 25 \n", "h.csv");
        QCOMPARE(spacedPhases.size(), std::size_t(1));
        QCOMPARE(spacedPhases[0].weights, (std::vector<std::pair<std::string, double>>{{"control", 50.0}, {"treatment", 25.0}}));
        try {
            parse_change_log("when,kind\n2026-03-08,deployment\n", "c.csv");
            QFAIL("no error");
        } catch (const InputError& e) {
            QCOMPARE(e.line(), 1u);
            QVERIFY2(std::string(e.what()).find("needs a timestamp column (timestamp, time or date)") != std::string::npos, e.what());
        }
        for (const char* time : {"timestamp", "time", "date", "datetime", "ts", "start", "from"})
            QCOMPARE(parse_allocation_history(std::string(time) + ",a,b\n2026-03-08,1,3\n", "h.csv").at(0).start, std::int64_t(1772928000));
        QVERIFY_THROWS_EXCEPTION(InputError, parse_allocation_history("when,a,b\n2026-03-08,1,3\n", "h.csv"));
        const auto alloc = dir.filePath("alloc.csv").toStdString();
        std::ofstream(alloc) << "timestamp,control,treatment\n2026-03-08,30,70\n2026-03-01,50,50\n";
        const auto phases = read_allocation_history(alloc);
        QCOMPARE(phases.size(), std::size_t(2));
        QCOMPARE(phases[0].start, 1772323200);
        QCOMPARE(phases[1].weights[1].second, 70.0);
        std::ofstream(alloc) << "timestamp,control,treatment\n2026-03-01,50,-1\n";
        QVERIFY_THROWS_EXCEPTION(InputError, read_allocation_history(alloc));
        // A row where every weight is 0 names its line.
        std::ofstream(alloc) << "timestamp,control,treatment\n2026-03-01,50,50\n2026-03-08,0,0\n";
        try {
            read_allocation_history(alloc);
            QFAIL("no error");
        } catch (const InputError& e) {
            QCOMPARE(e.line(), 3u);
        }
    }

    // Each refusal of a side file, with its whole message and its line (0: none).
    void side_files_are_refused_with_their_line()
    {
        struct Bad {
            bool history;
            const char* text;
            const char* message;
            std::uint64_t line;
        };
        const std::vector<Bad> bad = {
            {false, "when,kind\n2026-03-08,deployment\n", "the change log 'f.csv' needs a timestamp column (timestamp, time or date)", 1},
            {false, "timestamp,kind\n2026-03-08,deployment\nsoon,deployment\n", "the change log has an unparsable time 'soon'", 3},
            {false, "timestamp,kind\n2026-03-08,a,b\n", "the change log row has 3 fields, the header 2", 2},
            {false, "timestamp,kind\n\"2026-03-08,a\n", "the change log has a malformed quoted field", 2},
            {false, "\n\n", "the change log 'f.csv' is empty", 0},
            {true, "when,a,b\n2026-03-08,1,3\n", "the allocation history 'f.csv' needs a timestamp column first", 1},
            {true, "timestamp,a\n2026-03-08,1\n", "the allocation history needs a weight column for each of at least two variants", 1},
            {true, "timestamp,control,treatment\n2026-03-01,50,-1\n",
             "the allocation history gives 'treatment' the weight '-1'; weights are numbers of 0 or more", 2},
            {true, "timestamp,control,treatment\n2026-03-01,50,lots\n",
             "the allocation history gives 'treatment' the weight 'lots'; weights are numbers of 0 or more", 2},
            {true, "timestamp,control,treatment\n2026-03-01,50,50\n2026-03-08,0,0\n", "the allocation history row gives every variant weight 0", 3},
            {true, "timestamp,control,treatment\n", "the allocation history 'f.csv' has no rows", 0},
        };
        for (const auto& b : bad) {
            try {
                if (b.history) parse_allocation_history(b.text, "f.csv");
                else parse_change_log(b.text, "f.csv");
                QFAIL(b.text);
            } catch (const InputError& e) {
                QCOMPARE(std::string(e.what()), std::string(b.message));
                QCOMPARE(e.line(), b.line);
            }
        }
        for (const bool history : {false, true}) {
            try {
                if (history) read_allocation_history("/nonexistent/h.csv");
                else read_change_log("/nonexistent/c.csv");
                QFAIL("opened");
            } catch (const InputError& e) {
                QCOMPARE(std::string(e.what()), std::string(history ? "cannot open the allocation history '/nonexistent/h.csv'"
                                                                    : "cannot open the change log '/nonexistent/c.csv'"));
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestDiagnosis)
#include "tst_diagnosis.moc"
