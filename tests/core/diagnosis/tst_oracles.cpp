// Values computed independently of the code under test, each with the
// command that computed it:
// - Step 2 (Wilson and t intervals, the z-test and Welch's t-test, Holm
//   within a metric and across metrics, a 0/1 metric as "any" per unit) on
//   tests/data/oracles/step2_metrics.csv: step2_oracle.py (scipy).
// - The sequential test hour by hour, its first alert, the running minimum
//   and two allocation phases: sequential_oracle.py (scipy gammaln, the
//   formulas of Lindon & Malek), and ssrm's own published test values.
// - Step 1's four time-pattern fits: time_pattern_oracle.py (scipy optimize).
// - Step 4's independence test within daily and weekly strata: strata_oracle.py.
// - Step 2's functions on 175 random inputs (small and large groups of
//   different sizes, rates near 0 and 1, other levels, ties in Holm):
//   step2_vectors.py (scipy and statsmodels) into step2-vectors.csv.
// All scripts are in tests/data/oracles/ and run with /usr/bin/python3.
#include "support/fixtures.hpp"

#include "srm/inference.hpp"

#include <QtTest>
#include <cmath>
#include <fstream>

using namespace srm;
using namespace srm::test;

namespace {

bool close(double actual, double expected, double rel = 1e-9)
{
    return std::fabs(actual - expected) <= rel * std::max(1.0, std::fabs(expected));
}
#define QCLOSE(actual, expected, rel)                                                                                                  \
    QVERIFY2(close((actual), (expected), (rel)), QByteArray::number(actual, 'g', 17) + " vs " + QByteArray::number(expected, 'g', 17))

const Report& sequential_case(const Report& r, const std::vector<double>& log10_p)
{
    if (r.timeline.points.size() != log10_p.size()) qFatal("%zu points", r.timeline.points.size());
    for (std::size_t i = 0; i < log10_p.size(); ++i)
        if (!close(r.timeline.points[i].sequential_log10_p, log10_p[i], 1e-9))
            qFatal("hour %zu: %.17g vs %.17g", i, r.timeline.points[i].sequential_log10_p, log10_p[i]);
    return r;
}

}  // namespace

class TestOracles : public QObject {
    Q_OBJECT

private slots:
    // The tests' documented edges: no spread in either group gives p = 1,
    // no evidence either way (scipy answers t = -inf, p = 0 for
    // ttest_ind([5,5,5],[7,7,7,7],equal_var=False), which the report cannot
    // show); one constant group beside a varying one is a real test; one
    // value gives a zero-width interval.
    void degenerate_inputs()
    {
        QCOMPARE(welch_t_p(5, 0, 3, 7, 0, 4), 1.0);
        QCOMPARE(welch_t_p(5, 0, 3, 5, 0, 3), 1.0);
        // python3 -c "from scipy import stats; print(stats.ttest_ind([5,6,7],[7,7,7,7],equal_var=False).pvalue)"
        QCLOSE(welch_t_p(6, 1, 3, 7, 0, 4), 0.2254033307585166, 1e-9);
        QCOMPARE(two_proportion_z_p(0, 10, 0, 10), 1.0);
        QCOMPARE(two_proportion_z_p(10, 10, 20, 20), 1.0);
        const Interval one = t_interval(4.5, 0.0, 1);
        QCOMPARE(one.low, 4.5);
        QCOMPARE(one.high, 4.5);
    }

    // Welch's test with groups of different sizes and spreads, where each
    // group's variance must be divided by its own n:
    // /usr/bin/python3 -c "from scipy import stats; import math; print(stats.ttest_ind_from_stats(6, math.sqrt(1.0), 3, 7.5,
    //   math.sqrt(2.5), 10, equal_var=False).pvalue, stats.ttest_ind_from_stats(12.0, 3.0, 250, 12.6, 4.0, 60, equal_var=False).pvalue)"
    // = 0.1020566634254357 0.27890540781903417
    void welch_with_groups_of_different_sizes()
    {
        QCLOSE(welch_t_p(6, 1.0, 3, 7.5, 2.5, 10), 0.1020566634254357, 1e-9);
        QCLOSE(welch_t_p(12.0, 9.0, 250, 12.6, 16.0, 60), 0.27890540781903417, 1e-9);
        // The same test from the other side: the p does not depend on which group is the control.
        QCLOSE(welch_t_p(12.6, 16.0, 60, 12.0, 9.0, 250), 0.27890540781903417, 1e-9);
    }

    // /usr/bin/python3 tests/data/oracles/step2_vectors.py > tests/data/oracles/step2-vectors.csv
    void step2_functions_on_random_inputs_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QVector<double>>("in");
        QTest::addColumn<QVector<double>>("expected");
        std::ifstream file(SRM_TEST_DATA_DIR "/oracles/step2-vectors.csv");
        std::string line;
        std::getline(file, line);
        auto numbers = [](const QString& field) {
            QVector<double> v;
            for (const auto& x : field.split(';')) v << x.toDouble();
            return v;
        };
        int n = 0;
        for (int at = 2; std::getline(file, line); ++at, ++n) {
            const QStringList f = QString::fromStdString(line).split(',');
            QTest::newRow(qPrintable(f[0] + " line " + QString::number(at))) << f[0] << numbers(f[1]) << numbers(f[2]);
        }
        if (n != 175) qFatal("%d vectors", n);
    }
    void step2_functions_on_random_inputs()
    {
        QFETCH(QString, kind);
        QFETCH(QVector<double>, in);
        QFETCH(QVector<double>, expected);
        QVector<double> got;
        if (kind == "wilson") {
            const Interval i = wilson_interval(in[0] / in[1], in[1], in[2]);
            got = {i.low, i.high};
        } else if (kind == "t") {
            const Interval i = t_interval(in[0], in[1], in[2], in[3]);
            got = {i.low, i.high};
        } else if (kind == "z") {
            got = {two_proportion_z_p(in[0], in[1], in[2], in[3])};
        } else if (kind == "welch") {
            got = {welch_t_p(in[0], in[1], in[2], in[3], in[4], in[5])};
        } else if (kind == "holm") {
            std::vector<double> log10_p;
            for (const double p : in) log10_p.push_back(std::log10(p));
            for (const double a : holm_log10(log10_p)) got << std::pow(10.0, a);
        } else if (kind == "variance") {
            got = {sample_variance(in[0], in[1], in[2])};
        } else {
            QFAIL(qPrintable("unknown kind " + kind));
        }
        QCOMPARE(got.size(), expected.size());
        for (int i = 0; i < got.size(); ++i)  // relative to the value (p-values as small as 1e-8), 1e-14 absolute near 0
            QVERIFY2(std::fabs(got[i] - expected[i]) <= 1e-9 * std::fabs(expected[i]) + 1e-14,
                     QByteArray::number(i) + ": " + QByteArray::number(got[i], 'g', 17) + " vs " + QByteArray::number(expected[i], 'g', 17));
    }

    // /usr/bin/python3 tests/data/oracles/step2_oracle.py
    void step2_metrics_against_scipy()
    {
        LoadOptions lo;
        lo.metrics = std::vector<std::string>{"crashed", "revenue"};
        const Dataset ds = load_csv(std::string(SRM_TEST_DATA_DIR) + "/oracles/step2_metrics.csv", lo);
        const auto r = diagnose_dataset(ds, {});
        QCOMPARE(r.group_metrics.size(), std::size_t(2));
        const auto& crashed = r.group_metrics[0];
        const auto& revenue = r.group_metrics[1];
        QVERIFY(crashed.binary);
        QVERIFY(!revenue.binary);
        struct V { double rate, low, high; };
        const V c_expected[] = {{0.175, 0.08745413746035918, 0.3194999033178771},
                                {0.475, 0.32935470112678905, 0.6250263789330752},
                                {0.225, 0.12316091323540745, 0.37503096742310016}};
        const V r_expected[] = {{9.535000000000004, 7.91493332247962, 11.155066677520388},
                                {9.796499999999998, 8.059453875110766, 11.53354612488923},
                                {11.341499999999996, 8.666326671510292, 14.0166733284897}};
        for (std::size_t j = 0; j < 3; ++j) {
            QCOMPARE(crashed.variants[j].n, std::uint64_t(40));
            QCLOSE(crashed.variants[j].rate, c_expected[j].rate, 1e-12);
            QCLOSE(crashed.variants[j].ci_low, c_expected[j].low, 1e-12);
            QCLOSE(crashed.variants[j].ci_high, c_expected[j].high, 1e-12);
            QCLOSE(revenue.variants[j].rate, r_expected[j].rate, 1e-12);
            QCLOSE(revenue.variants[j].ci_low, r_expected[j].low, 1e-12);
            QCLOSE(revenue.variants[j].ci_high, r_expected[j].high, 1e-12);
        }
        // The metric's p: the smallest Holm-adjusted pair (z-test for crashed:
        // 0.004177215730032826 and 0.5761501220305789; Welch for revenue:
        // 0.8243672505210823 and 0.24698589463381218).
        QCLOSE(crashed.p_value, 0.008354431460065651, 1e-9);
        QCLOSE(revenue.p_value, 0.49397178926762436, 1e-9);
        // Holm across the two metrics.
        QCLOSE(crashed.adjusted_p_value, 0.016708862920131302, 1e-9);
        QCLOSE(revenue.adjusted_p_value, 0.49397178926762436, 1e-9);
        QVERIFY(crashed.flag);
        QVERIFY(!revenue.flag);
    }

    // /usr/bin/python3 -c "from sequential_oracle import run; ..." (case A
    // in sequential_oracle.py): log10 p after each hour, c = 100 and 10000.
    void sequential_test_hour_by_hour()
    {
        Events e;
        e.hours({{510, 490}, {530, 470}, {560, 440}, {540, 460}, {580, 420}});
        const Dataset ds = e.load();
        DiagnosisOptions opt;
        const auto r = sequential_case(diagnose_dataset(ds, opt), {0.0, -0.00011402851795828599, -2.0580212446068833, -3.349076734785985,
                                                                   -7.400109117009497});
        QCOMPARE(r.timeline.resolution, TimeResolution::Hour);
        QCLOSE(r.sequential.log10_p_value, -7.400109117009497, 1e-9);
        // p < 0.01 first after hour 3 (the end of its bin); severe after hour 4.
        QCOMPARE(*r.sequential.first_alert, kT0 + 3 * 3600);
        opt.dirichlet_concentration = 10000;  // ssrm's default
        const auto wide = sequential_case(diagnose_dataset(ds, opt), {0.0, -0.0762299388851085, -0.611248938915096, -1.1431253910683254,
                                                                      -2.715186798526729});
        QCOMPARE(*wide.sequential.first_alert, kT0 + 5 * 3600);
        QCOMPARE(wide.sequential.concentration, 10000.0);
        opt.srm.thresholds.warn = 0.1;  // the alert follows the warn level
        QCOMPARE(*diagnose_dataset(ds, opt).sequential.first_alert, kT0 + 4 * 3600);
    }

    // Case B: the evidence falls after hour 1; p keeps its running minimum.
    void sequential_p_keeps_its_minimum()
    {
        Events e;
        e.hours({{580, 420}, {420, 580}, {500, 500}, {505, 495}});
        const auto r = sequential_case(e.diagnose(), {-4.55454391480031, -4.55454391480031, -4.55454391480031, -4.55454391480031});
        QCOMPARE(*r.sequential.first_alert, kT0 + 3600);
        QCOMPARE(r.srm.severity, Severity::Ok);  // the fixed-horizon test sees 2005 : 1995
    }

    // Case C: a 50/50 phase for hours 0-2, then 20/80; the first phase's
    // Bayes factor is kept and multiplies the second's.
    void sequential_test_over_two_phases()
    {
        Events e;
        e.hours({{540, 460}, {545, 455}, {530, 470}, {230, 770}, {235, 765}, {228, 772}});
        DiagnosisOptions opt;
        opt.allocation = {{kT0, {{"control", 50}, {"treatment", 50}}}, {kT0 + 3 * 3600, {{"control", 20}, {"treatment", 80}}}};
        const auto r = sequential_case(e.diagnose(opt), {-0.743987173146088, -2.330916668078133, -2.9633870609744815, -3.4958659746748175,
                                                         -4.910757436306158, -5.848933493607718});
        QCOMPARE(*r.sequential.first_alert, kT0 + 2 * 3600);
    }

    // ssrm_test/test_ssrm_test.py (Optimizely's ssrm, test_sequential_posteriors):
    // log marginal likelihoods under M1 (Dirichlet alpha = [1,1,1]) and M0
    // (theta = [0.4,0.4,0.2]) after each row, unit-level and batched. The
    // Bayes factor of the cumulative counts is their difference (the
    // multinomial coefficients cancel; batching does not change it).
    void ssrm_published_values()
    {
        const std::vector<double> theta{0.4, 0.4, 0.2}, alpha{1, 1, 1};
        auto check_rows = [&](const std::vector<std::vector<double>>& rows, const std::vector<std::pair<double, double>>& ml) {
            std::vector<double> x(3, 0.0);
            for (std::size_t i = 0; i < rows.size(); ++i) {
                for (std::size_t j = 0; j < 3; ++j) x[j] += rows[i][j];
                QCLOSE(dirichlet_log_bayes_factor_prior(x, theta, alpha), ml[i].first - ml[i].second, 1e-12);
            }
        };
        check_rows({{1, 0, 0}, {0, 1, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
                   {{-1.0986122886681096, -0.916290731874155},
                    {-2.4849066497880004, -1.83258146374831},
                    {-3.401197381662155, -2.748872195622465},
                    {-4.499809670330265, -3.66516292749662},
                    {-6.4457198193855785, -5.27460083993072}});
        check_rows({{20, 17, 9}, {18, 21, 8}, {4, 6, 4}, {18, 19, 11}},
                   {{-7.028201432058012, -4.0776406466061985},
                    {-11.947847738358888, -8.265946861099877},
                    {-15.471401950257842, -11.610743519545139},
                    {-19.96484521090386, -15.781031228536165}});
        // With alpha = c x theta the two forms agree.
        QCOMPARE(dirichlet_log_bayes_factor({60, 63, 32}, theta, 10000.0),
                 dirichlet_log_bayes_factor_prior({60, 63, 32}, theta, {4000, 4000, 2000}));
    }

    // /usr/bin/python3 tests/data/oracles/time_pattern_oracle.py
    void time_pattern_fits()
    {
        Events e;
        std::vector<std::pair<long, long>> hours;
        for (long h = 0; h < 10; ++h) hours.push_back({100 + 2 * h, 100 - 2 * h});
        e.hours(hours);
        const auto r = e.diagnose();
        QCLOSE(r.time_pattern.bic_none, 2772.588722239781, 1e-12);
        QCLOSE(r.time_pattern.bic_constant, 2763.967683531488, 1e-12);
        QCLOSE(r.time_pattern.bic_step, 2767.453015480966, 1e-12);
        QCLOSE(r.time_pattern.bic_trend, 2757.3613130422277, 1e-9);
        QCOMPARE(r.time_pattern.kind, PatternKind::Gradual);
    }

    // /usr/bin/python3 tests/data/oracles/step4_oracle.py (writes the CSV):
    // segments against the plan, Holm across all segments of both
    // dimensions, the independence test within each day summed over days.
    void step4_against_scipy()
    {
        const Dataset ds = load_csv(std::string(SRM_TEST_DATA_DIR) + "/oracles/step4_segments.csv");
        DiagnosisOptions opt = without_localization();
        const auto r = diagnose_dataset(ds, opt);
        struct S { const char* dim; const char* value; std::uint64_t c, t; double p, holm; };
        const S expected[] = {{"browser", "Chrome", 450, 448, 0.946788001710581, 1.0},
                              {"browser", "Safari", 252, 200, 0.014450138700340478, 0.05780055480136191},
                              {"os", "Android", 332, 330, 0.9380410737812707, 1.0},
                              {"os", "iOS", 370, 318, 0.04742538550874104, 0.14227615652622314}};
        for (const auto& e : expected) {
            const auto& sr = segment(r, e.dim, e.value);
            QCOMPARE(sr.counts, (std::vector<std::uint64_t>{e.c, e.t}));
            QCLOSE(sr.p_value, e.p, 1e-9);
            QCLOSE(sr.adjusted_p_value, e.holm, 1e-9);
        }
        for (const auto& d : r.dimensions) {
            if (d.name == "browser") QCLOSE(d.p_value, 0.010243041953391537, 1e-9);
            else QCLOSE(d.p_value, 0.16167738038264687, 1e-9);
        }
    }
    // /usr/bin/python3 tests/data/oracles/strata_oracle.py (writes both CSVs):
    // the independence test within days for a test of 60 days, within weeks
    // for one of 130 days (the same units, only the last day moved).
    void step4_strata_days_then_weeks()
    {
        const auto p_of = [](const char* file) {
            const Dataset ds = load_csv(std::string(SRM_TEST_DATA_DIR) + "/oracles/" + file);
            const auto r = diagnose_dataset(ds, without_localization());
            if (r.dimensions.size() != 1) qFatal("%zu dimensions", r.dimensions.size());
            return r.dimensions.front().p_value;
        };
        QCLOSE(p_of("step4_strata_60d.csv"), 0.011988882477361249, 1e-9);
        QCLOSE(p_of("step4_strata_130d.csv"), 0.03890398992409346, 1e-9);
    }
};

QTEST_APPLESS_MAIN(TestOracles)
#include "tst_oracles.moc"
