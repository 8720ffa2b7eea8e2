// Report model: checklist, verdict, JSON and text rendering.
#include "srm/analysis.hpp"
#include "srm/render.hpp"
#include "srm/text.hpp"
#include "srm/timeutil.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace srm;

namespace {

Report counts_report(std::vector<std::pair<std::string, double>> counts,
                     std::optional<std::vector<std::pair<std::string, double>>> expected = std::nullopt)
{
    AnalysisRequest req;
    req.counts = std::move(counts);
    req.expected = std::move(expected);
    return analyse(req);
}

QJsonObject json_of(const Report& r)
{
    QJsonParseError err;
    const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(to_json(r)), &err);
    if (err.error != QJsonParseError::NoError) qFatal("invalid JSON: %s", qPrintable(err.errorString()));
    return doc.object();
}

const Check* find_check(const Report& r, const std::string& id)
{
    for (const auto& c : r.checks)
        if (c.id == id) return &c;
    return nullptr;
}

}  // namespace

class TestReport : public QObject {
    Q_OBJECT

private slots:
    void healthy_verdict()
    {
        const auto r = counts_report({{"control", 502}, {"treatment", 498}});
        QVERIFY(!r.verdict.srm);
        QCOMPARE(r.verdict.type, SrmType::None);
        QVERIFY(r.input.expected_assumed_equal);
        QVERIFY(QString::fromStdString(r.verdict.summary).startsWith("No sample ratio mismatch"));
    }

    void srm_verdict_from_counts_is_unknown_type()
    {
        const auto r = counts_report({{"control", 821588}, {"treatment", 815482}}, {{{"control", 50}, {"treatment", 50}}});
        QVERIFY(r.verdict.srm);
        QCOMPARE(r.srm.severity, Severity::Severe);
        QCOMPARE(r.verdict.type, SrmType::Unknown);
        QCOMPARE(r.verdict.next_steps.size(), std::size_t(3));
        QVERIFY(QString::fromStdString(r.verdict.next_steps[1]).contains("randomization seed"));
        QVERIFY(QString::fromStdString(r.verdict.summary).contains("1.82e-06"));
    }

    // --min-practical-pp qualifies a significant split whose largest
    // deviation is below it: 101,000 / 99,000 is 0.5 pp off 50/50 (chi-square
    // 20, p = 7.7e-06).
    void the_practical_threshold_qualifies_the_verdict()
    {
        AnalysisRequest req;
        req.counts = {{"control", 101000}, {"treatment", 99000}};
        req.options.min_practical_pp = 1.0;
        const Report below = analyse(req);
        QVERIFY(below.verdict.srm);
        QVERIFY(!below.srm.practically_significant);
        QVERIFY2(QString::fromStdString(below.verdict.summary)
                     .endsWith(" The largest deviation is below the practical threshold of 1 pp: statistically but not practically significant."),
                 below.verdict.summary.c_str());
        req.options.min_practical_pp = 0.4;
        const Report above = analyse(req);
        QVERIFY(above.srm.practically_significant);
        QVERIFY2(above.verdict.summary.find("practical") == std::string::npos, above.verdict.summary.c_str());
    }

    void unplanned_traffic_is_an_allocation_srm()
    {
        const auto r = counts_report({{"a", 5000}, {"b", 5000}, {"c", 40}}, {{{"a", 1}, {"b", 1}}});
        QVERIFY(r.verdict.srm);
        QCOMPARE(r.verdict.type, SrmType::Allocation);
        QVERIFY(r.srm.variants[2].unplanned);
    }

    void expected_naming_unknown_variant_is_bad_input()
    {
        QVERIFY_THROWS_EXCEPTION(InputError, counts_report({{"a", 5}, {"b", 5}}, {{{"a", 1}, {"x", 1}}}));
        QVERIFY_THROWS_EXCEPTION(InputError, counts_report({{"a", -5}, {"b", 5}}));
        QVERIFY_THROWS_EXCEPTION(InputError, counts_report({{"a", 5.5}, {"b", 5}}));
        // A variant given twice through the library (srm-check's --counts
        // parser refuses it before): not summed, not the last one taken.
        try {
            counts_report({{"a", 5}, {"b", 7}, {"a", 6}});
            QFAIL("no error");
        } catch (const InputError& e) {
            QCOMPARE(std::string(e.what()), std::string("variant 'a' is given twice"));
        }
    }

    void checklist_says_what_would_let_a_check_run()
    {
        const auto r = counts_report({{"a", 5000}, {"b", 5100}});
        const auto* jump = find_check(r, "variant_jumping");
        QVERIFY(jump);
        QCOMPARE(jump->status, CheckStatus::NotApplicable);
        QVERIFY(QString::fromStdString(jump->detail).contains("unit id column"));
        const auto* size = find_check(r, "sample_size");
        QVERIFY(size);
        QCOMPARE(size->status, CheckStatus::Pass);
        QCOMPARE(*size->value, 10100.0);
        int manual = 0;
        for (const auto& c : r.checks) manual += c.status == CheckStatus::Manual;
        QCOMPARE(manual, 7);
        // too few units: warn
        QCOMPARE(find_check(counts_report({{"a", 40}, {"b", 45}}), "sample_size")->status, CheckStatus::Warn);
    }

    void json_sections_and_values()
    {
        const auto r = counts_report({{"control", 600}, {"treatment", 400}});
        const auto j = json_of(r);
        for (const char* key : {"tool", "input", "srm", "time_pattern", "dimensions", "ranked_segments", "group_metrics",
                                "changes", "checks", "verdict"})
            QVERIFY2(j.contains(key), key);
        QCOMPARE(j["tool"]["name"].toString(), QString("srm-check"));
        QCOMPARE(j["input"]["shape"].toString(), QString("counts"));
        QCOMPARE(j["time_pattern"]["kind"].toString(), QString("not_applicable"));
        QVERIFY(j["time_pattern"]["change_point"].isNull());
        QCOMPARE(j["srm"]["statistic"].toDouble(), 40.0);
        QCOMPARE(j["srm"]["severity"].toString(), QString("severe"));
        QCOMPARE(j["srm"]["variants"].toArray().size(), 2);
        QCOMPARE(j["srm"]["variants"][0]["observed"].toInt(), 600);
        QCOMPARE(j["verdict"]["srm"].toBool(), true);
        QVERIFY(j["dimensions"].toArray().isEmpty());
    }

    void underflowing_p_stays_finite_in_json_and_text()
    {
        const auto r = counts_report({{"a", 120000}, {"b", 80000}});
        const auto j = json_of(r);
        QCOMPARE(j["srm"]["p_value"].toDouble(), 0.0);
        QVERIFY(qAbs(j["srm"]["log10_p_value"].toDouble() - -1739.2275868148745) < 1e-6);
        QVERIFY(QString::fromStdString(to_text(r)).contains("p = 5.92e-1740"));
    }

    void format_p_forms()
    {
        QCOMPARE(QString::fromStdString(format_p(0.8993, std::log10(0.8993))), QString("0.8993"));
        QCOMPARE(QString::fromStdString(format_p(1.82e-6, std::log10(1.82e-6))), QString("1.82e-06"));
        QCOMPARE(QString::fromStdString(format_p(0.0, -1739.2275868148745)), QString("5.92e-1740"));
    }

    void iso8601()
    {
        QCOMPARE(QString::fromStdString(format_iso8601(0)), QString("1970-01-01T00:00:00Z"));
        QCOMPARE(QString::fromStdString(format_iso8601(1772366400)), QString("2026-03-01T12:00:00Z"));
        QCOMPARE(QString::fromStdString(format_iso8601(-1)), QString("1969-12-31T23:59:59Z"));
        QCOMPARE(days_from_civil(2026, 3, 1), 20513);
    }
};

QTEST_APPLESS_MAIN(TestReport)
#include "tst_report.moc"
