// Small exports in the shape of the classes of real public A/B-test files
// that were misread (issue #10): each asserts the roles given and the exact
// counts, warnings and checks.
#include "srm/analysis.hpp"
#include "srm/ingest.hpp"
#include "testutil.hpp"

#include <QtTest>
#include <cstdio>
#include <map>

using namespace srm;
using namespace srm::test;

namespace {

Role role_of(const Dataset& ds, const std::string& column)
{
    for (const auto& c : ds.columns)
        if (c.name == column) return c.role;
    return static_cast<Role>(-1);  // no such column: unequal to every role
}

bool has_warning(const Report& r, const std::string& code)
{
    for (const auto& w : r.input.warnings)
        if (w.code == code) return true;
    return false;
}

const Check& check(const Report& r, const std::string& id)
{
    for (const auto& c : r.checks)
        if (c.id == id) return c;
    static const Check none;
    return none;
}

Report diagnose_file(const std::string& path, LoadOptions load = {})
{
    AnalysisRequest req;
    req.file = path;
    req.load = std::move(load);
    return analyse(req);
}

// A UUID-like id per row, an experiment column, a date and an hour of day.
// Rows i named in `hours` carry that text as their hour instead of i % 24.
std::string ad_auctions(int n = 400, const std::map<int, std::string>& hours = {})
{
    std::string t = "auction_id,experiment,date,hour,device_make,platform_os,browser,yes,no\n";
    for (int i = 0; i < n; ++i) {
        char id[64];
        std::snprintf(id, sizeof id, "%08x-%04x-4%03x-a%03x-%012x", 0x1000 + i * 7919, i % 65536, i % 4096, (i * 13) % 4096, i * 104729);
        char row[256];
        const auto h = hours.find(i);
        const std::string hour = h == hours.end() ? std::to_string(i % 24) : h->second;
        std::snprintf(row, sizeof row, "%s,%s,2020-07-%02d,%s,%s,%d,%s,%d,%d\n", id, i % 2 ? "control" : "exposed", 3 + i % 8, hour.c_str(),
                      i % 3 == 0 ? "Samsung" : i % 3 == 1 ? "iPhone" : "Generic", i % 5 ? 6 : 5,
                      i % 3 == 0 ? "Chrome Mobile" : i % 3 == 1 ? "Safari" : "Facebook", i % 7 == 0, i % 7 == 1);
        t += row;
    }
    return t;
}

}  // namespace

class TestRealExports : public QObject {
    Q_OBJECT

private slots:
    // A unique id ignored, an hour taken for a count: 400 rows are 400 units,
    // the time is the date plus the hour.
    void uuid_id_with_date_and_hour()
    {
        Files f;
        const auto path = f.write("auctions.csv", ad_auctions());
        const Dataset ds = load_csv(path);
        QCOMPARE(ds.shape, Shape::Events);
        QCOMPARE(role_of(ds, "auction_id"), Role::Unit);
        QCOMPARE(role_of(ds, "experiment"), Role::Variant);
        QCOMPARE(role_of(ds, "date"), Role::Time);
        QCOMPARE(role_of(ds, "hour"), Role::Hour);
        QCOMPARE(role_of(ds, "device_make"), Role::Dimension);
        QCOMPARE(role_of(ds, "platform_os"), Role::Dimension);
        QCOMPARE(role_of(ds, "yes"), Role::Metric);
        QCOMPARE(ds.size(), std::size_t(400));
        QCOMPARE(per_variant(ds), (std::map<std::string, std::uint64_t>{{"control", 200}, {"exposed", 200}}));
        // Row 23 (i = 23): 2020-07-10 (3 + 23 % 8 = 10) at 23:00.
        QCOMPARE(ds.max_time, std::int64_t(1594422000) * 1000000);
        QCOMPARE(ds.min_time, std::int64_t(1593734400) * 1000000);  // 2020-07-03T00:00:00Z
        const Report r = diagnose_file(path);
        QVERIFY(has_warning(r, "time_from_date_and_hour"));
        QCOMPARE(r.srm.units, std::uint64_t(400));
        QCOMPARE(r.health.state, HealthState::Healthy);
    }

    // The hour column is chosen from the first 2000 rows; a bad hour after
    // them rejects its row with the reason bad_hour and its line number.
    void a_bad_hour_past_the_sample_rejects_its_row()
    {
        Files f;
        const auto path = f.write("auctions.csv", ad_auctions(2400, {{2100, "24"}, {2300, "7a"}}));
        const Dataset ds = load_csv(path);
        QCOMPARE(role_of(ds, "hour"), Role::Hour);
        QCOMPARE(ds.size(), std::size_t(2398));
        QCOMPARE(ds.rows_rejected, std::uint64_t(2));
        QCOMPARE(ds.rejected_by_reason.size(), std::size_t(1));
        QCOMPARE(ds.rejected_by_reason[0].reason, std::string("bad_hour"));
        QCOMPARE(ds.rejected_by_reason[0].rows, std::uint64_t(2));
        QCOMPARE(ds.rejected_by_reason[0].first_line, std::uint64_t(2102));  // the header is line 1, row i line i + 2
        QCOMPARE(ds.errors.size(), std::size_t(2));
        QCOMPARE(ds.errors[0].line, std::uint64_t(2102));
        QCOMPARE(ds.errors[0].message, std::string("hour '24' is not an hour of the day (0-23)"));
        QCOMPARE(ds.errors[1].line, std::uint64_t(2302));
        QCOMPARE(ds.errors[1].message, std::string("hour '7a' is not an hour of the day (0-23)"));
    }

    // Without a plan, an arm with no units in the segment is still one of
    // the arms: it counts as 0 against its equal share, not dropped.
    void an_arm_with_no_units_in_the_segment_counts_as_zero()
    {
        Files f;
        std::string t = "user_id,variant,browser\n";
        for (int i = 0; i < 30; ++i) t += "c" + std::to_string(i) + ",c,Edge\n";
        for (int i = 0; i < 600; ++i) t += "u" + std::to_string(i) + (i % 2 ? ",b," : ",a,") + (i % 3 ? "Chrome\n" : "Safari\n");
        AnalysisRequest req;
        req.file = f.write("arms.csv", t);
        const LoadedAnalysis loaded = load_analysis(req);
        Refinement chrome;
        chrome.segment = std::make_pair(std::string("browser"), std::string("Chrome"));
        const Report r = diagnose_loaded(loaded, chrome);
        QCOMPARE(r.srm.units, std::uint64_t(400));
        QCOMPARE(r.srm.variants.size(), std::size_t(3));
        std::map<std::string, std::uint64_t> arms;
        for (const auto& v : r.srm.variants) {
            arms[v.name] = v.observed;
            QCOMPARE(v.expected, 400.0 / 3);
        }
        QCOMPARE(arms, (std::map<std::string, std::uint64_t>{{"a", 200}, {"b", 200}, {"c", 0}}));
        // chi2 = 2 (200 - 400/3)^2 / (400/3) + 400/3 = 200
        QCOMPARE(r.srm.statistic, 200.0);
        QCOMPARE(r.srm.severity, Severity::Severe);
    }

    // True/False metrics are booleans; "version" names the variant.
    void boolean_metrics_and_a_version_variant()
    {
        Files f;
        std::string t = "userid,version,sum_gamerounds,retention_1,retention_7\n";
        for (int i = 0; i < 300; ++i)
            t += std::to_string(116 + i * 7) + "," + (i % 2 ? "gate_40" : "gate_30") + "," + std::to_string((i * 37) % 500) + "," +
                 (i % 3 == 0 ? "True" : "False") + "," + (i % 5 == 0 ? "TRUE" : "FALSE") + "\n";
        const auto path = f.write("cats.csv", t);
        const Report r = diagnose_file(path);
        QCOMPARE(r.input.rows_rejected, std::uint64_t(0));
        QCOMPARE(r.input.columns.variant, std::string("version"));
        QCOMPARE(*r.input.columns.unit, std::string("userid"));
        QCOMPARE(r.input.columns.metrics, (std::vector<std::string>{"sum_gamerounds", "retention_1", "retention_7"}));
        QCOMPARE(r.group_metrics.size(), std::size_t(3));
        // retention_1: i % 3 == 0 among the even i (gate_30): 50 of 150; among the odd: 50 of 150.
        QCOMPARE(r.group_metrics[1].variants[0].rate, 50.0 / 150.0);
        QCOMPARE(r.group_metrics[1].variants[1].rate, 50.0 / 150.0);
        // retention_7: i % 5 == 0: 30 even and 30 odd of 150 each.
        QCOMPARE(r.group_metrics[2].variants[0].rate, 0.2);
        QVERIFY(!r.group_metrics[0].binary);
        QCOMPARE(r.srm.units, std::uint64_t(300));
    }

    // Every spelling of a boolean metric the documentation lists (true/false,
    // yes/no, t/f, y/n, any case) reads as 1/0: no row rejected, the rates exact.
    void boolean_words_of_every_spelling()
    {
        Files f;
        const std::vector<std::pair<std::string, std::string>> words{{"y", "n"}, {"Y", "N"}, {"t", "f"}, {"T", "F"},
                                                                     {"yes", "no"}, {"YES", "No"}, {"true", "false"}, {"True", "FALSE"}};
        std::string t = "user_id,variant";
        for (std::size_t w = 0; w < words.size(); ++w) t += ",flag" + std::to_string(w);
        t += "\n";
        for (int i = 0; i < 300; ++i) {
            t += "u" + std::to_string(i) + "," + (i % 2 ? "treatment" : "control");
            for (const auto& [yes, no] : words) t += "," + (i % 3 == 0 ? yes : no);
            t += "\n";
        }
        const Report r = diagnose_file(f.write("flags.csv", t));
        QCOMPARE(r.input.rows_rejected, std::uint64_t(0));
        QCOMPARE(r.group_metrics.size(), words.size());
        // i % 3 == 0: 50 of the 150 even i (control) and 50 of the 150 odd.
        for (const auto& m : r.group_metrics) {
            QVERIFY2(m.binary, m.metric.c_str());
            QCOMPARE(m.variants[0].rate, 50.0 / 150.0);
            QCOMPARE(m.variants[1].rate, 50.0 / 150.0);
        }
    }

    // A row-number column is not the unit; "test group" names the variant;
    // an hour of the most ads is a dimension (there is no date).
    void row_number_and_test_group()
    {
        Files f;
        std::string t = ",user id,test group,converted,total ads,most ads day,most ads hour\n";
        for (int i = 0; i < 300; ++i)
            t += std::to_string(i) + "," + std::to_string(1069124 + i * 13) + "," + (i % 10 ? "ad" : "psa") + "," +
                 (i % 9 == 0 ? "True" : "False") + "," + std::to_string((i * 17) % 200 + 1) + "," +
                 (i % 3 == 0 ? "Monday" : i % 3 == 1 ? "Tuesday" : "Friday") + "," + std::to_string(i % 24) + "\n";
        const auto path = f.write("ads.csv", t);
        const Dataset ds = load_csv(path);
        QCOMPARE(role_of(ds, "column_1"), Role::Ignore);
        QCOMPARE(role_of(ds, "user id"), Role::Unit);
        QCOMPARE(role_of(ds, "test group"), Role::Variant);
        QCOMPARE(role_of(ds, "converted"), Role::Metric);
        QCOMPARE(role_of(ds, "total ads"), Role::Metric);
        QCOMPARE(role_of(ds, "most ads day"), Role::Dimension);
        QCOMPARE(role_of(ds, "most ads hour"), Role::Dimension);
        QVERIFY(!ds.has_time);
        QCOMPARE(per_variant(ds), (std::map<std::string, std::uint64_t>{{"ad", 270}, {"psa", 30}}));
        // The plan was 90/10: with it the split is exact.
        AnalysisRequest req;
        req.file = path;
        req.expected = Weights{{"ad", 90}, {"psa", 10}};
        QCOMPARE(analyse(req).health.state, HealthState::Healthy);
        // Without it an equal split is assumed, and the reviewer hears so.
        const Report r = diagnose_file(path);
        QCOMPARE(r.health.state, HealthState::Severe);
        QVERIFY(has_warning(r, "equal_split_assumed"));
    }

    // An outcome flag is a metric, never a dimension; a landing page that
    // mirrors the variant is a check of its own; repeated ids in a file of
    // one row per unit are a warning.
    // The mirror's warning counts rows and units apart: 4 units whose three
    // rows each name the other arm are 12 rows and 4 units.
    void mirror_warning_counts_rows_and_units()
    {
        Files f;
        std::string t = "user_id,timestamp,variant,arm_label\n";
        for (int i = 0; i < 200; ++i)
            for (int k = 0; k < 3; ++k) {
                const bool control = i % 2 == 0;
                const bool label_control = i < 4 ? !control : control;
                char ts[32];
                std::snprintf(ts, sizeof ts, "2026-03-0%dT%02d:%02d:00Z", 1 + k, i / 60, i % 60);
                t += "u" + std::to_string(i) + "," + ts + "," + (control ? "control" : "treatment") + "," + (label_control ? "ctrl" : "test") + "\n";
            }
        const Report r = diagnose_file(f.write("mirror-units.csv", t));
        QCOMPARE(r.evidence.mirror_rows_disagreeing, std::uint64_t(12));
        QCOMPARE(r.evidence.mirror_units_disagreeing, std::uint64_t(4));
        QString message;
        for (const auto& w : r.input.warnings)
            if (w.code == "variant_mirror_disagrees") message = QString::fromStdString(w.message);
        QCOMPARE(message, QString("12 rows (4 units) show another arm in 'arm_label' than their variant"));
    }

    void outcome_flag_mirror_and_duplicates()
    {
        Files f;
        std::string t = "user_id,timestamp,group,landing_page,converted\n";
        for (int i = 0; i < 500; ++i) {
            const bool control = i % 2;
            bool old_page = control;
            if (i % 50 == 0) old_page = !old_page;  // 10 rows see the other arm's page
            const int uid = i % 100 ? 700000 + i : 700000 + i - 1;  // 4 ids twice (i = 100, 200, 300, 400)
            char ts[64];
            std::snprintf(ts, sizeof ts, "2017-01-%02d 22:11:48.556739", 2 + i % 20);
            t += std::to_string(uid) + "," + ts + "," + (control ? "control" : "treatment") + "," + (old_page ? "old_page" : "new_page") + "," +
                 (i % 8 == 0 ? "1" : "0") + "\n";
        }
        const auto path = f.write("pages.csv", t);
        const Dataset ds = load_csv(path);
        QCOMPARE(role_of(ds, "landing_page"), Role::Mirror);
        QCOMPARE(role_of(ds, "converted"), Role::Metric);
        QCOMPARE(ds.mirror_disagreeing_rows, std::uint64_t(10));
        const Report r = diagnose_file(path);
        QCOMPARE(r.srm.units, std::uint64_t(496));
        const Check& c = check(r, "variant_column_agreement");
        QCOMPARE(c.status, CheckStatus::Fail);
        QCOMPARE(*c.value, 10.0);
        QCOMPARE(r.evidence.mirror_units_disagreeing, std::uint64_t(10));
        QVERIFY(has_warning(r, "variant_mirror"));
        QVERIFY(has_warning(r, "duplicate_units"));
        QCOMPARE(r.evidence.repeated_rows, std::uint64_t(4));
        QCOMPARE(r.health.state, HealthState::CheckFailed);
        QVERIFY(QString::fromStdString(r.verdict.summary).contains("10 rows show another arm"));
        QVERIFY(!QString::fromStdString(r.verdict.next_steps.front()).contains("no reason to distrust"));
        // The fractional-second timestamps are times.
        QCOMPARE(role_of(ds, "timestamp"), Role::Time);
    }

    // M/D/YYYY dates: the order of day and month told from the values, or
    // asked for when they cannot tell.
    void month_first_dates()
    {
        Files f;
        std::string t = "date,user_id,variant\n";
        for (int i = 0; i < 60; ++i) t += std::to_string(7) + "/" + std::to_string(1 + i % 28) + "/2020,u" + std::to_string(i) + "," + (i % 2 ? "a" : "b") + "\n";
        const Dataset ds = load_csv(f.write("mdy.csv", t));
        QCOMPARE(role_of(ds, "date"), Role::Time);
        QCOMPARE(ds.min_time, std::int64_t(1593561600) * 1000000);  // 2020-07-01
        QCOMPARE(ds.max_time, std::int64_t(1593561600 + 27 * 86400) * 1000000);
        std::string ambiguous = "date,user_id,variant\n";
        for (int i = 0; i < 30; ++i) ambiguous += "3/" + std::to_string(1 + i % 12) + "/2020,u" + std::to_string(i) + "," + (i % 2 ? "a" : "b") + "\n";
        const auto path = f.write("amb.csv", ambiguous);
        try {
            load_csv(path);
            QFAIL("ambiguous dates were read");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains("--time-format '%m/%d/%Y'") && QString(e.what()).contains("'%d/%m/%Y'"), e.what());
        }
        LoadOptions o;
        o.time_format = "%d/%m/%Y";
        const Dataset dmy = load_csv(path, o);
        QCOMPARE(dmy.min_time, std::int64_t(1578009600) * 1000000);  // 2020-01-03: day 3 of months 1 to 12
    }

    // Dotted, compact and epoch-string dates; a date without a year is not a time.
    void other_date_forms()
    {
        Files f;
        auto one = [&](const std::string& name, const std::string& value) {
            std::string t = "when,user_id,variant\n";
            for (int i = 0; i < 20; ++i) t += value + ",u" + std::to_string(i) + "," + (i % 2 ? "a" : "b") + "\n";
            return load_csv(f.write(name, t));
        };
        QCOMPARE(one("dot.csv", "10.07.2020").min_time, std::int64_t(1594339200) * 1000000);
        QCOMPARE(one("compact.csv", "20200710").min_time, std::int64_t(1594339200) * 1000000);
        QCOMPARE(one("epoch.csv", "1594339200").min_time, std::int64_t(1594339200) * 1000000);
        QVERIFY(!one("noyear.csv", "\"Sat, Oct 11\"").has_time);
        // The edges of what is read as a time: compact dates from 1990 up to
        // 2100 (not including it), epoch seconds from 1e9.
        QCOMPARE(one("y1990.csv", "19900101").min_time, std::int64_t(631152000) * 1000000);
        QVERIFY(!one("y1989.csv", "19891231").has_time);
        QCOMPARE(one("y2099.csv", "20991231").min_time, std::int64_t(4102358400) * 1000000);
        QVERIFY(!one("y2100.csv", "21000101").has_time);
        QCOMPARE(one("e9.csv", "1000000000").min_time, std::int64_t(1000000000) * 1000000);
        QVERIFY(!one("e9less.csv", "999999999").has_time);
        LoadOptions o;
        o.time_format = "%a, %b %d";
        o.time_year = 2014;
        std::string t = "when,user_id,variant\n";
        for (int i = 0; i < 20; ++i) t += "\"Sat, Oct 11\",u" + std::to_string(i) + "," + (i % 2 ? "a" : "b") + "\n";
        QCOMPARE(load_csv(f.write("year.csv", t), o).min_time, std::int64_t(1412985600) * 1000000);  // 2014-10-11
    }

    // Ids are never summed as counts; the count is the column named for units.
    // A GA4 (BigQuery) export: event_timestamp in microseconds, event_date as
    // yyyymmdd beside it, user_pseudo_id of the form 1197596843.1673515099
    // (a number with a point, yet an id), event_name with the exposure event
    // among others. 300 users (control for the even ones) each with a
    // session_start, an experience_impression and a user_engagement.
    void a_ga4_export()
    {
        std::string t = "event_date,event_timestamp,event_name,user_pseudo_id,experiment_variant,platform\n";
        const long long t0 = 1772323200000000LL;  // 2026-03-01T00:00:00Z in microseconds
        for (int u = 0; u < 300; ++u) {
            const std::string id = std::to_string(1000000000 + u * 7919) + "." + std::to_string(1772323200 + u);
            const std::string arm = u % 2 ? "1" : "0", platform = u % 3 ? "WEB" : "IOS";
            for (int e = 0; e < 3; ++e) {
                const long long at = t0 + (static_cast<long long>(u) * 3 + e) * 60000000LL;
                t += "20260301," + std::to_string(at) + "," + (e == 0 ? "session_start" : e == 1 ? "experience_impression" : "user_engagement") + "," + id + "," + arm + "," + platform +
                     "\n";
            }
        }
        Files f;
        const Dataset ds = load_csv(f.write("ga4.csv", t));
        QCOMPARE(role_of(ds, "event_timestamp"), Role::Time);
        QCOMPARE(role_of(ds, "user_pseudo_id"), Role::Unit);
        QCOMPARE(role_of(ds, "event_name"), Role::Event);
        QCOMPARE(role_of(ds, "experiment_variant"), Role::Variant);
        QCOMPARE(role_of(ds, "platform"), Role::Dimension);
        QCOMPARE(role_of(ds, "event_date"), Role::Ignore);
        QCOMPARE(ds.columns[0].reason, std::string("a second time column"));
        QCOMPARE(ds.metrics.size(), std::size_t(0));
        QCOMPARE(ds.size(), std::size_t(300));
        QCOMPARE(per_variant(ds).at("0"), std::uint64_t(150));
        QCOMPARE(per_variant(ds).at("1"), std::uint64_t(150));
        const Report r = diagnose_file(f.write("ga4.csv", t));
        QCOMPARE(r.srm.units, std::uint64_t(300));
        QCOMPARE(r.input.rows_other_events, std::uint64_t(600));
        // The first exposure of the last user: 3 * 299 + 1 minutes after midnight.
        QCOMPARE(r.window.traffic_end, std::make_optional<std::int64_t>(1772323200 + (3 * 299 + 1) * 60));
    }

    // Excel's "Save as CSV" in a European locale: a BOM, a "sep=;" first
    // line naming the delimiter, CRLF line ends, German names, dates as
    // 13.03.2026 10:00. The sep line is skipped, and counted in the lines: a
    // row of too few fields in row 100 is line 102 + 1.
    void an_excel_export_with_a_sep_line()
    {
        std::string t = "\xEF\xBB\xBFsep=;\r\nZeitstempel;Nutzer-ID;Variante;Land\r\n";
        for (int i = 0; i < 200; ++i) {
            char row[80];
            std::snprintf(row, sizeof row, "%02d.03.2026 %02d:%02d;N%05d;%s;%s\r\n", 1 + i % 28, i % 24, i % 60, i, i % 2 ? "Test" : "Kontrolle",
                          i % 3 ? "DE" : "AT");
            t += i == 100 ? std::string("01.03.2026 10:00;N99999\r\n") : std::string(row);
        }
        Files f;
        const Dataset ds = load_csv(f.write("excel.csv", t));
        QCOMPARE(ds.dialect.delimiter, ';');
        QCOMPARE(ds.dialect.line_end, std::string("CRLF"));
        QCOMPARE(role_of(ds, "Zeitstempel"), Role::Time);
        QCOMPARE(role_of(ds, "Nutzer-ID"), Role::Unit);
        QCOMPARE(role_of(ds, "Variante"), Role::Variant);
        QCOMPARE(role_of(ds, "Land"), Role::Dimension);
        QCOMPARE(ds.rows_read, std::uint64_t(200));
        QCOMPARE(ds.rows_rejected, std::uint64_t(1));
        QCOMPARE(ds.errors.size(), std::size_t(1));
        QCOMPARE(ds.errors[0].line, std::uint64_t(103));
        QCOMPARE(per_variant(ds).at("Kontrolle"), std::uint64_t(99));
        QCOMPARE(per_variant(ds).at("Test"), std::uint64_t(100));
        // A file of the sep line alone has no data.
        try {
            load_csv(f.write("only.csv", "sep=;\r\n"));
            QFAIL("no error");
        } catch (const InputError& e) {
            QCOMPARE(std::string(e.what()), std::string("the file has no data: it holds only its \"sep=\" line"));
        }
    }

    void ids_are_not_counts()
    {
        Files f;
        std::string t = "variant,region,metric_id,visitors\n";
        for (int i = 0; i < 40; ++i)
            t += std::string(i % 2 ? "control" : "treatment") + ",r" + std::to_string(i % 5) + "," + std::to_string(1 + i % 12) + "," +
                 std::to_string(100 + i) + "\n";
        const Dataset ds = load_csv(f.write("agg.csv", t));
        QCOMPARE(ds.shape, Shape::Aggregated);
        QCOMPARE(role_of(ds, "visitors"), Role::Count);
        QCOMPARE(role_of(ds, "metric_id"), Role::Ignore);
        // control: i odd, 100 + i summed over 20 odd i = 2000 + 400
        QCOMPARE(per_variant(ds).at("control"), std::uint64_t(2400));
        // Naming the metrics never promotes the next integer column to the count.
        std::string u = "variant,score,clicks\n";
        for (int i = 0; i < 40; ++i) u += std::string(i % 2 ? "a" : "b") + "," + std::to_string(i % 5) + "," + std::to_string(i * 10) + "\n";
        LoadOptions o;
        o.metrics = std::vector<std::string>{"score"};
        const Dataset rows = load_csv(f.write("rows.csv", u), o);
        QCOMPARE(rows.shape, Shape::Events);
        QCOMPARE(rows.size(), std::size_t(40));
    }

    // A window, either end alone or both, needs a time column: refused with
    // the reason, never ignored.
    void a_window_without_a_time_column_is_refused()
    {
        Files f;
        const auto path = f.write("untimed.csv", "user_id,variant\nu1,a\nu2,b\nu3,a\nu4,b\n");
        QCOMPARE(load_csv(path).size(), std::size_t(4));
        for (int ends = 1; ends <= 3; ++ends) {
            LoadOptions o;
            if (ends & 1) o.window_start = std::int64_t(1772323200) * 1000000;
            if (ends & 2) o.window_end = std::int64_t(1772409599) * 1000000;
            try {
                load_csv(path, o);
                QFAIL("a window was applied to a file without times");
            } catch (const InputError& e) {
                QCOMPARE(QString(e.what()), QString("an analysis window needs a time column; none was found (name it with --time-col)"));
            }
        }
    }

    // Missing values are never an arm: the row is rejected with its reason.
    void missing_variants_are_rejected()
    {
        Files f;
        const auto path = f.write("na.csv",
                                  "user_id,variant\nu1,control\nu2,NA\nu3,treatment\nu4,null\nu5,\nu6,None\nu7,control\nu8,treatment\n");
        const Dataset ds = load_csv(path);
        QCOMPARE(ds.variants.size(), std::size_t(2));
        QCOMPARE(ds.rows_rejected, std::uint64_t(4));
        QCOMPARE(ds.rejected_by_reason.size(), std::size_t(1));
        QCOMPARE(ds.rejected_by_reason[0].reason, std::string("missing_variant"));
        QCOMPARE(ds.rejected_by_reason[0].rows, std::uint64_t(4));
        QCOMPARE(ds.rejected_by_reason[0].first_line, std::uint64_t(3));
        QCOMPARE(ds.errors[1].line, std::uint64_t(5));
        // 4 of 8 rows rejected: the input cannot carry a verdict.
        QCOMPARE(diagnose_file(path).health.state, HealthState::InputProblem);
    }

    // Two columns with one name: a warning naming both and how each is used.
    void duplicate_header_names()
    {
        Files f;
        const Report r = diagnose_file(f.write("dup.csv", "user_id,variant,variant\nu1,a,x\nu2,b,y\nu3,a,x\nu4,b,x\n"));
        QVERIFY(has_warning(r, "duplicate_header"));
        for (const auto& w : r.input.warnings)
            if (w.code == "duplicate_header")
                QVERIFY2(QString::fromStdString(w.message).contains("'variant'") && QString::fromStdString(w.message).contains("variant_2"),
                         w.message.c_str());
        QCOMPARE(r.input.columns.variant, std::string("variant"));
    }

    // An allocation naming none of the data's variants is a wrong request.
    void expected_naming_no_variant()
    {
        Files f;
        AnalysisRequest req;
        req.file = f.write("e.csv", "user_id,variant\nu1,a\nu2,b\n");
        req.expected = Weights{{"control", 1}, {"treatment", 1}};
        try {
            analyse(req);
            QFAIL("no usage error");
        } catch (const UsageError& e) {
            QVERIFY2(QString(e.what()).contains("the variants in") && QString(e.what()).contains("a, b"), e.what());
        }
    }

    // Group metrics compare each arm with the control found by name, not the first arm.
    void control_found_by_name()
    {
        Files f;
        std::string t = "user_id,variant,converted\n";
        for (int i = 0; i < 300; ++i) {
            const char* v = i % 3 == 0 ? "b_variant" : i % 3 == 1 ? "control" : "a_variant";
            t += "u" + std::to_string(i) + "," + v + "," + (i % 3 == 1 ? (i % 10 == 1 ? "1" : "0") : "0") + "\n";
        }
        const Report r = diagnose_file(f.write("ctl.csv", t));
        QCOMPARE(r.group_metrics[0].test, std::string("two-proportion z-test against control"));
    }
};

QTEST_APPLESS_MAIN(TestRealExports)
#include "tst_real_exports.moc"
