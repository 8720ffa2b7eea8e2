// Step 1's timeline against values worked out by hand: each point's
// cumulative and phased expected units, the drift from the plan and the
// band the plan allows (z from scipy), across an allocation change; and each
// Step 4 segment's timeline and the rest's against counts made here from the
// rows the fixture writes.
#include "srm/analysis.hpp"
#include "testutil.hpp"

#include <QtTest>
#include <map>
#include <sstream>

using namespace srm;

namespace {

// Units per day (Mar 1 to Mar 5, at 12:00 UTC) per variant: the plan is
// 50/50 until Mar 3, then 80/20.
struct Day {
    int day, control, treatment;
};
const Day kDays[] = {{1, 12, 8}, {2, 10, 10}, {3, 15, 5}, {4, 16, 4}, {5, 30, 10}};

// The fixture's rows, and the units of browser = Safari (every third unit) per day and variant.
std::string fixture(std::map<int, std::pair<int, int>>& safari)
{
    std::ostringstream csv;
    csv << "user_id,variant,timestamp,browser\n";
    int id = 0;
    for (const auto& d : kDays)
        for (int v = 0; v < 2; ++v)
            for (int i = 0; i < (v == 0 ? d.control : d.treatment); ++i, ++id) {
                const bool is_safari = id % 3 == 0;
                csv << "u" << id << ',' << (v == 0 ? "control" : "treatment") << ",2026-03-0" << d.day << "T12:" << (10 + i % 40)
                    << ":00Z," << (is_safari ? "Safari" : "Chrome") << "\n";
                if (is_safari) (v == 0 ? safari[d.day].first : safari[d.day].second) += 1;
            }
    return csv.str();
}

const SegmentResult& segment(const Report& r, const std::string& dim, const std::string& value)
{
    for (const auto& d : r.dimensions)
        if (d.name == dim)
            for (const auto& s : d.segments)
                if (s.value == value) return s;
    throw std::logic_error("no segment " + dim + "=" + value);
}

Report analyse_events(test::Files& files, const std::string& csv)
{
    AnalysisRequest req;
    req.file = files.write("events.csv", csv);
    return analyse(req);
}

}  // namespace

class TestTimeline : public QObject {
    Q_OBJECT

private slots:
    // Points at each day's end (the span is over three days); the last at
    // the end of the last hour with units.
    void points_follow_the_phased_plan()
    {
        test::Files files;
        std::map<int, std::pair<int, int>> safari;
        AnalysisRequest req;
        req.file = files.write("events.csv", fixture(safari));
        req.allocation_file = files.write("allocation.csv", "start,control,treatment\n2026-03-01T00:00:00Z,50,50\n2026-03-03T00:00:00Z,80,20\n");
        const Report r = analyse(req);
        const auto& tl = r.timeline;
        QCOMPARE(to_string(tl.resolution), "day");
        QCOMPARE(tl.points.size(), std::size_t{5});
        const std::vector<std::vector<std::uint64_t>> cumulative{{12, 8}, {22, 18}, {37, 23}, {53, 27}, {83, 37}};
        const std::vector<std::vector<double>> expected{{10, 10}, {20, 20}, {36, 24}, {52, 28}, {84, 36}};
        for (std::size_t i = 0; i < 5; ++i) {
            QCOMPARE(tl.points[i].cumulative, cumulative[i]);
            QCOMPARE(tl.points[i].expected_cumulative, expected[i]);
        }
        // /usr/bin/python3 -c "from scipy.stats import norm; import math; z=norm.ppf(0.995);
        //   print([(o/n-e/n)*100 for o,e,n in ...], [z*math.sqrt(e/n*(1-e/n)/n)*100 ...])"
        const double deviation[] = {9.999999999999998, 5.000000000000004, 1.6666666666666718, 1.2499999999999956, -0.8333333333333304};
        const double band[] = {28.798647105856407, 20.363718657549406, 16.290974926039524, 13.736079211024546, 10.775467067272364};
        for (std::size_t i = 0; i < 5; ++i) {
            QVERIFY2(std::fabs(tl.points[i].deviation_pp[0] - deviation[i]) < 1e-9, qPrintable(QString::number(tl.points[i].deviation_pp[0], 'g', 17)));
            QVERIFY(std::fabs(tl.points[i].deviation_pp[1] + deviation[i]) < 1e-9);
            QVERIFY2(std::fabs(tl.points[i].band_pp[0] - band[i]) < 1e-9, qPrintable(QString::number(tl.points[i].band_pp[0], 'g', 17)));
        }
        // Mar 3 alone: 15 of 20 in control against 80 %: -5 pp in a band of 23.0389 (n = 20, q = 0.8).
        QCOMPARE(tl.points[2].new_units, (std::vector<std::uint64_t>{15, 5}));
        QCOMPARE(tl.points[2].expected_new, (std::vector<double>{16, 4}));
        QVERIFY(std::fabs(tl.points[2].new_deviation_pp[0] - -5.000000000000004) < 1e-9);
        QVERIFY(std::fabs(tl.points[2].new_band_pp[0] - 23.038917684685124) < 1e-9);
        QCOMPARE(r.evidence.allocation_changes, (std::vector<std::int64_t>{1772496000}));  // 2026-03-03T00:00:00Z
        // The timeline's planned shares are the current (last) phase's, 80/20.
        QCOMPARE(tl.expected_share, (std::vector<double>{0.8, 0.2}));
    }

    void segments_carry_their_timeline_and_the_rest()
    {
        test::Files files;
        std::map<int, std::pair<int, int>> safari;
        AnalysisRequest req;
        req.file = files.write("events.csv", fixture(safari));
        const Report r = analyse(req);
        const auto& s = segment(r, "browser", "Safari");
        const auto& c = segment(r, "browser", "Chrome");
        QVERIFY(r.dimensions.front().timelines);
        QCOMPARE(s.timeline.points.size(), r.timeline.points.size());
        std::uint64_t sc = 0, st = 0;
        for (std::size_t i = 0; i < 5; ++i) {
            sc += static_cast<std::uint64_t>(safari[kDays[i].day].first);
            st += static_cast<std::uint64_t>(safari[kDays[i].day].second);
            QCOMPARE(s.timeline.points[i].cumulative, (std::vector<std::uint64_t>{sc, st}));
            QCOMPARE(s.timeline.points[i].time, r.timeline.points[i].time);
            // The rest of Safari is Chrome here, and the whole less Safari.
            QCOMPARE(s.rest_timeline.points[i].cumulative, c.timeline.points[i].cumulative);
            QCOMPARE(s.rest_timeline.points[i].cumulative[0] + sc, r.timeline.points[i].cumulative[0]);
            QCOMPARE(s.rest_timeline.points[i].cumulative[1] + st, r.timeline.points[i].cumulative[1]);
        }
        QCOMPARE(sc + st, s.units);
        // An even plan: the segment's drift is its share less 50 %.
        const auto& last = s.timeline.points.back();
        QVERIFY(std::fabs(last.deviation_pp[0] - (static_cast<double>(sc) / static_cast<double>(sc + st) - 0.5) * 100) < 1e-9);
    }

    // Each point's p is the chi-square test of the cumulative counts, also
    // where the expected counts are below 5 (the report's own test switches to
    // the exact one there): a path of one kind. Hours 10, 11 and 12 of Mar 1
    // add (3, 1), (2, 4) and (10, 2) units to (control, treatment).
    void points_keep_the_chi_square_below_five_expected()
    {
        test::Files files;
        std::ostringstream csv;
        csv << "user_id,variant,timestamp\n";
        int id = 0;
        const int hours[][2] = {{3, 1}, {2, 4}, {10, 2}};
        for (int h = 0; h < 3; ++h)
            for (int v = 0; v < 2; ++v)
                for (int i = 0; i < hours[h][v]; ++i)
                    csv << "u" << id++ << ',' << (v == 0 ? "control" : "treatment") << ",2026-03-01T1" << h << ':' << (10 + i) << ":00Z\n";
        const Report r = analyse_events(files, csv.str());
        const auto& tl = r.timeline;
        QCOMPARE(to_string(tl.resolution), "hour");
        QCOMPARE(tl.points.size(), std::size_t{3});
        QCOMPARE(tl.points[0].cumulative, (std::vector<std::uint64_t>{3, 1}));
        QCOMPARE(tl.points[0].time, std::int64_t{1772362800});  // 2026-03-01T11:00:00Z, the first hour's end
        // /usr/bin/python3 -c "from scipy.stats import chi2; print(repr(chi2.sf(1.0,1)), repr(chi2.sf(32/11,1)))"
        // (the exact binomial test would give 0.625 for 3 of 4: binomtest(3,4,0.5).pvalue)
        QVERIFY2(std::fabs(tl.points[0].p_value - 0.31731050786291115) < 1e-12, qPrintable(QString::number(tl.points[0].p_value, 'g', 17)));
        QCOMPARE(tl.points[1].p_value, 1.0);
        QVERIFY2(std::fabs(tl.points[2].p_value - 0.08808151166219025) < 1e-12, qPrintable(QString::number(tl.points[2].p_value, 'g', 17)));
    }

    // Dates without a time of day get daily bins, also when some units have
    // no exposure time at all (assigned only): one point per day, at the
    // day's end, not hourly points over the two-day span.
    void dates_only_bin_by_day_with_untimed_units()
    {
        test::Files files;
        std::ostringstream csv;
        csv << "user_id,variant,date,event\n";
        int id = 0;
        for (int day = 1; day <= 3; ++day)
            for (int i = 0; i < 8; ++i) csv << "u" << id++ << ',' << (i % 2 ? "treatment" : "control") << ",2026-03-0" << day << ",exposure\n";
        csv << "a1,control,2026-03-02,assignment\na2,treatment,2026-03-03,assignment\n";
        const Report r = analyse_events(files, csv.str());
        const auto& tl = r.timeline;
        QCOMPARE(to_string(tl.resolution), "day");
        QCOMPARE(tl.points.size(), std::size_t{3});
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(tl.points[i].time, std::int64_t{1772323200} + 86400 * static_cast<std::int64_t>(i + 1));  // Mar 2, 3, 4 at 00:00Z
            QCOMPARE(tl.points[i].new_units, (std::vector<std::uint64_t>{4, 4}));
        }
    }
};

QTEST_APPLESS_MAIN(TestTimeline)
#include "tst_timeline.moc"
