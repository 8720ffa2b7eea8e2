// The SRM test against values computed independently with scipy and R
// (tests/data/*.csv; commands in tests/data/make_own_vectors.py).
#include "srm/stats.hpp"
#include "vectors.hpp"

#include <QtTest>
#include <cmath>

using namespace srm;

namespace {

bool close_rel(double a, double b, double rel)
{
    if (a == b) return true;
    return std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b));
}

std::vector<VariantInput> inputs(const SrmVector& v)
{
    std::vector<VariantInput> in;
    for (std::size_t i = 0; i < v.observed.size(); ++i)
        in.push_back({"v" + std::to_string(i), v.observed[i], v.weights[i]});
    return in;
}

}  // namespace

class TestStats : public QObject {
    Q_OBJECT

private slots:
    void vectors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("index");
        for (const char* file : {"reference-srm-vectors.csv", "own-srm-vectors.csv"}) {
            const auto path = std::string(SRM_TEST_DATA_DIR) + "/" + file;
            const auto rows = read_vectors(path);
            for (int i = 0; i < static_cast<int>(rows.size()); ++i)
                QTest::addRow("%s:%d", file, rows[i].line) << QString::fromLatin1(file) << i;
        }
    }

    void vectors()
    {
        QFETCH(QString, file);
        QFETCH(int, index);
        const auto v = read_vectors(std::string(SRM_TEST_DATA_DIR) + "/" + file.toStdString())[index];
        const auto r = test_srm(inputs(v));
        QVERIFY2(close_rel(r.statistic, v.chi_square, 1e-12), qPrintable(QString::number(r.statistic, 'g', 17)));
        QCOMPARE(r.df, v.df);
        QVERIFY2(close_rel(r.chi_square_p_value, v.p_value, 1e-9),
                 qPrintable(QString::number(r.chi_square_p_value, 'g', 17)));
        if (v.exact_p_value) {
            QCOMPARE(r.test, TestKind::Exact);
            QVERIFY2(close_rel(r.p_value, *v.exact_p_value, 1e-9), qPrintable(QString::number(r.p_value, 'g', 17)));
            QVERIFY(close_rel(r.log10_p_value, std::log10(*v.exact_p_value), 1e-9));
        } else {
            QCOMPARE(r.test, TestKind::ChiSquare);
            QVERIFY(close_rel(r.p_value, v.p_value, 1e-9));
            QVERIFY2(close_rel(r.log10_p_value, v.log10_p_value, 1e-9),
                     qPrintable(QString::number(r.log10_p_value, 'g', 17)));
        }
        QVERIFY(std::isfinite(r.log10_p_value));
    }

    // log Q where the double is near and past its limit, and across the point
    // where the implementation switches to the continued fraction.
    // Values: Rscript -e "cat(sprintf('%.17g', pchisq(X, DF, lower.tail=FALSE, log.p=TRUE)/log(10)))"
    void log_tail_data()
    {
        QTest::addColumn<double>("x");
        QTest::addColumn<double>("df");
        QTest::addColumn<double>("log10");
        QTest::newRow("1280/1") << 1280.0 << 1.0 << -279.60047197384324;
        QTest::newRow("1300/1") << 1300.0 << 1.0 << -283.94677828443776;
        QTest::newRow("1400/3") << 1400.0 << 3.0 << -302.53082337429259;
        QTest::newRow("2000/10") << 2000.0 << 10.0 << -423.67295423102291;
        QTest::newRow("50000/200") << 50000.0 << 200.0 << -10577.934267226432;
    }
    void log_tail()
    {
        QFETCH(double, x);
        QFETCH(double, df);
        QFETCH(double, log10);
        const double got = log_chi_square_sf(x, df) / std::log(10.0);
        QVERIFY2(close_rel(got, log10, 1e-9), qPrintable(QString::number(got, 'g', 17)));
    }

    void severity_thresholds()
    {
        const SrmThresholds t;
        QCOMPARE(classify_log10(std::log10(0.02), t), Severity::Ok);
        QCOMPARE(classify_log10(std::log10(0.005), t), Severity::Warn);
        QCOMPARE(classify_log10(std::log10(0.0005), t), Severity::Severe);
        QCOMPARE(classify_log10(-5000.0, t), Severity::Severe);
        const SrmThresholds loose{0.05, 0.01};
        QCOMPARE(classify_log10(std::log10(0.02), loose), Severity::Warn);
        // 600 400 at 50/50: p = 2.54e-10 (reference vector) -> severe
        QCOMPARE(test_srm({{"a", 600, 1}, {"b", 400, 1}}).severity, Severity::Severe);
        // 1010 990: p = 0.65 -> ok
        QCOMPARE(test_srm({{"a", 1010, 1}, {"b", 990, 1}}).severity, Severity::Ok);
    }

    void shares_and_deviation()
    {
        const auto r = test_srm({{"control", 850, 90}, {"treatment", 150, 10}});
        QCOMPARE(r.units, 1000u);
        QCOMPARE(r.variants[0].expected, 900.0);
        QCOMPARE(r.variants[1].expected_share, 0.1);
        QCOMPARE(r.variants[0].observed_share, 0.85);
        QVERIFY(close_rel(r.variants[1].deviation_pp, 5.0, 1e-12));
        QVERIFY(close_rel(r.max_abs_deviation_pp, 5.0, 1e-12));
    }

    void zero_observed_variant_is_tested()
    {
        // A planned variant with no units is the most severe SRM, not an error.
        const auto r = test_srm({{"a", 0, 1}, {"b", 1000, 1}});
        QCOMPARE(r.severity, Severity::Severe);
        QVERIFY(r.log10_p_value < -200);
    }

    void unplanned_variant_is_a_finding()
    {
        const auto r = test_srm({{"a", 5000, 1}, {"b", 5000, 1}, {"holdout", 30, 0}});
        QCOMPARE(r.severity, Severity::Severe);
        QCOMPARE(r.findings.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(r.findings[0]).contains("holdout"));
        QVERIFY(r.variants[2].unplanned);
        QCOMPARE(r.df, 1);  // the test itself runs over the planned variants
        QVERIFY(r.chi_square_p_value > 0.99);
        // a weight-0 variant without units is no finding
        QCOMPARE(test_srm({{"a", 5000, 1}, {"b", 5000, 1}, {"c", 0, 0}}).severity, Severity::Ok);
    }

    void practical_significance()
    {
        SrmOptions o;
        o.min_practical_pp = 0.5;
        const auto r = test_srm({{"a", 5005000, 1}, {"b", 4995000, 1}}, o);  // p = 0.00157, 0.05 pp
        QCOMPARE(r.severity, Severity::Warn);
        QVERIFY(!r.practically_significant);
        o.min_practical_pp = 0.01;
        QVERIFY(test_srm({{"a", 5005000, 1}, {"b", 4995000, 1}}, o).practically_significant);
    }

    void bad_input()
    {
        QVERIFY_THROWS_EXCEPTION(InputError, test_srm({}));
        QVERIFY_THROWS_EXCEPTION(InputError, test_srm({{"a", 10, 1}}));
        QVERIFY_THROWS_EXCEPTION(InputError, test_srm({{"a", 10, 1}, {"a", 10, 1}}));
        QVERIFY_THROWS_EXCEPTION(InputError, test_srm({{"a", 10, -1}, {"b", 10, 1}}));
        QVERIFY_THROWS_EXCEPTION(InputError, test_srm({{"a", 10, NAN}, {"b", 10, 1}}));
        QVERIFY_THROWS_EXCEPTION(InputError, test_srm({{"a", 0, 1}, {"b", 0, 1}}));
        QVERIFY_THROWS_EXCEPTION(InputError, test_srm({{"a", 10, 1}, {"b", 10, 0}}));
        QVERIFY_THROWS_EXCEPTION(InputError, test_srm({{"", 10, 1}, {"b", 10, 1}}));
    }

    // Monte Carlo estimate of the exact multinomial p agrees with the
    // enumerated value (0.5312500000000001, own vectors) within 5 standard errors,
    // and is reproducible for a fixed seed.
    void monte_carlo_matches_enumeration()
    {
        SrmOptions o;
        o.enumeration_limit = 1;
        o.monte_carlo_samples = 100000;
        const auto e = exact_multinomial({1, 2, 0, 3}, {0.25, 0.25, 0.25, 0.25}, o);
        QVERIFY(e.monte_carlo);
        QVERIFY2(std::fabs(e.p_value - 0.5312500000000001) < 5 * e.standard_error, qPrintable(QString::number(e.p_value)));
        QCOMPARE(exact_multinomial({1, 2, 0, 3}, {0.25, 0.25, 0.25, 0.25}, o).p_value, e.p_value);
        const auto r = test_srm({{"a", 1, 1}, {"b", 2, 1}, {"c", 0, 1}, {"d", 3, 1}}, o);
        QVERIFY(QString::fromStdString(r.method).contains("Monte Carlo"));
        QVERIFY(r.monte_carlo_se > 0);
    }

    // Exact binomial where n is large but an expected count is tiny, and the
    // p-value underflows: still finite in log space.
    void exact_binomial_large_n()
    {
        // All units in the big arm, expected 2 in the small one: p = P(X=0) + P(X>=4).
        // /usr/bin/python3 -c "from scipy.stats import binomtest; print(repr(binomtest(0, 2000000, 1e-6).pvalue))"
        const double lp = log_binomial_two_sided(0, 2000000, 1e-6);
        QVERIFY2(close_rel(std::exp(lp), 0.278211597179155, 1e-9), qPrintable(QString::number(std::exp(lp), 'g', 17)));
        const double deep = log_binomial_two_sided(900, 1000, 0.001);
        QVERIFY(std::isfinite(deep));
        QVERIFY(deep / std::log(10.0) < -300);
    }
    // The Monte Carlo exact test draws at least 1000 samples, and counts an
    // outcome as probable as the observed one as extreme: {2, 2, 2, 2} under an
    // equal plan is the most probable outcome, so every draw counts and p = 1.
    void monte_carlo_floor_and_ties()
    {
        SrmOptions o;
        o.enumeration_limit = 1;
        o.monte_carlo_samples = 10;
        const auto r = test_srm({{"a", 2, 1}, {"b", 2, 1}, {"c", 2, 1}, {"d", 2, 1}}, o);
        QVERIFY2(r.method.find("(1000 samples") != std::string::npos, r.method.c_str());
        QCOMPARE(exact_multinomial({2, 2, 2, 2}, {0.25, 0.25, 0.25, 0.25}, o).p_value, 1.0);
    }

    // Severity from log10 p (where p underflows, and for segments): strictly below each alpha.
    void severity_from_log10_at_the_alphas()
    {
        const SrmThresholds t;
        const double warn = std::log10(t.warn), severe = std::log10(t.severe);
        QCOMPARE(classify_log10(warn, t), Severity::Ok);
        QCOMPARE(classify_log10(std::nextafter(warn, -1e9), t), Severity::Warn);
        QCOMPARE(classify_log10(severe, t), Severity::Warn);
        QCOMPARE(classify_log10(std::nextafter(severe, -1e9), t), Severity::Severe);
        QCOMPARE(classify_log10(-400.0, t), Severity::Severe);
    }
};

QTEST_APPLESS_MAIN(TestStats)
#include "tst_stats.moc"
