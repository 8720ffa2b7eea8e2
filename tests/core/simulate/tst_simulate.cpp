// The simulator checked against its own output: the truth it reports (rows,
// exposed units, units per variant, browser and day by first exposure,
// jumpers, assigned and force-included units) must equal counts this test
// makes from the CSV it wrote, with its own reader (a split on commas; the
// simulator writes no quoted fields by default). The simulator's truth is
// what the diagnosis tests compare against, so it must not be its own
// oracle.
#include "srm/simulate.hpp"

#include <QtTest>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

using namespace srm;

namespace {

struct Counted {
    std::uint64_t rows = 0, exposed = 0, jumpers = 0, assigned = 0, included = 0, included_rows = 0;
    std::map<std::string, std::uint64_t> per_variant;
    std::map<std::string, std::map<std::string, std::uint64_t>> per_browser, per_day;
};

std::vector<std::string> split(const std::string& line)
{
    std::vector<std::string> out;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, ',')) out.push_back(field);
    return out;
}

// Units by first exposure: the earliest time, ties in file order.
Counted count(const std::string& csv)
{
    std::istringstream in(csv);
    std::string line;
    std::getline(in, line);
    const auto header = split(line);
    std::map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
    struct Unit {
        std::string time, variant, browser;
        std::set<std::string> variants;
        bool included = false, assigned = false, exposed = false;
    };
    std::map<std::string, Unit> units;
    Counted c;
    while (std::getline(in, line)) {
        const auto f = split(line);
        if (f.size() != header.size()) qFatal("row %llu has %zu fields", static_cast<unsigned long long>(c.rows + 2), f.size());
        ++c.rows;
        Unit& u = units[f[col["user_id"]]];
        const bool exposure = !col.count("event_type") || f[col["event_type"]] == "exposure";
        if (col.count("force_included") && f[col["force_included"]] == "1") {
            ++c.included_rows;
            u.included = true;
        }
        if (!exposure) {
            u.assigned = u.assigned || f[col["event_type"]] == "assignment";
            continue;
        }
        u.variants.insert(f[col["variant"]]);
        if (!u.exposed || f[col["timestamp"]] < u.time) {  // ISO 8601 UTC with fixed digits: text order is time order
            u.exposed = true;
            u.time = f[col["timestamp"]];
            u.variant = f[col["variant"]];
            u.browser = col.count("browser") ? f[col["browser"]] : "";
        }
    }
    for (const auto& [id, u] : units) {
        c.assigned += u.assigned;
        if (!u.exposed) continue;
        ++c.exposed;
        c.jumpers += u.variants.size() > 1;
        c.included += u.included;
        ++c.per_variant[u.variant];
        ++c.per_browser[u.variant][u.browser];
        ++c.per_day[u.variant][u.time.substr(0, 10)];
    }
    return c;
}

}  // namespace

class TestSimulate : public QObject {
    Q_OBJECT

private slots:
    void truth_equals_the_csv_data()
    {
        QTest::addColumn<int>("scenario");
        QTest::addColumn<bool>("events");
        QTest::addColumn<bool>("inclusion");
        QTest::newRow("healthy, inclusion") << int(Scenario::Healthy) << false << true;
        QTest::newRow("variant_jumping") << int(Scenario::VariantJumping) << false << false;
        QTest::newRow("assignment_exposure_drop") << int(Scenario::AssignmentExposureDrop) << true << false;
        QTest::newRow("deployment_drop") << int(Scenario::DeploymentDrop) << false << false;
        QTest::newRow("allocation_change") << int(Scenario::AllocationChange) << false << true;
        QTest::newRow("segment_skew") << int(Scenario::SegmentSkew) << false << false;
    }
    void truth_equals_the_csv()
    {
        QFETCH(int, scenario);
        QFETCH(bool, events);
        QFETCH(bool, inclusion);
        SimulationSpec spec;
        spec.scenario = static_cast<Scenario>(scenario);
        spec.users = 20000;
        spec.seed = 5;
        spec.event_type = events;
        spec.inclusion = inclusion;
        std::ostringstream csv;
        const SimulationTruth t = simulate(spec, csv);
        const Counted c = count(csv.str());
        QCOMPARE(c.rows, t.rows);
        QCOMPARE(c.exposed, t.exposed_units);
        QCOMPARE(c.per_variant, t.units_per_variant);
        QCOMPARE(c.per_browser, t.units_per_browser);
        QCOMPARE(c.per_day, t.units_per_day);
        QCOMPARE(c.jumpers, t.jumpers);
        if (events) QCOMPARE(c.assigned, t.assigned_units);
        QCOMPARE(c.included, t.included_units);
        if (inclusion) {
            // simulate.hpp: 2 % of units are force-included. 4 standard
            // deviations of a binomial(exposed, 0.02) share around 2 %.
            const double share = static_cast<double>(c.included) / static_cast<double>(c.exposed);
            const double sd = std::sqrt(0.02 * 0.98 / static_cast<double>(c.exposed));
            QVERIFY2(std::fabs(share - 0.02) < 4 * sd, qPrintable(QString::number(share)));
        } else {
            QCOMPARE(c.included_rows, std::uint64_t(0));
        }
    }

    // The aggregated export sums to the same units per variant and day.
    void aggregated_sums_to_the_truth()
    {
        SimulationSpec spec;
        spec.scenario = Scenario::DeploymentDrop;
        spec.users = 20000;
        std::ostringstream agg;
        const SimulationTruth t = simulate_aggregated(spec, agg);
        std::istringstream in(agg.str());
        std::string line;
        std::getline(in, line);
        const auto header = split(line);
        std::size_t day_col = 0, variant_col = 0, units_col = 0;
        for (std::size_t i = 0; i < header.size(); ++i) {
            if (header[i] == "day" || header[i] == "date") day_col = i;
            if (header[i] == "variant") variant_col = i;
            if (header[i] == "units" || header[i] == "users") units_col = i;
        }
        QVERIFY(units_col > 0);
        std::map<std::string, std::uint64_t> per_variant;
        std::map<std::string, std::map<std::string, std::uint64_t>> per_day;
        while (std::getline(in, line)) {
            const auto f = split(line);
            const std::uint64_t n = std::stoull(f[units_col]);
            per_variant[f[variant_col]] += n;
            per_day[f[variant_col]][f[day_col].substr(0, 10)] += n;
        }
        QCOMPARE(per_variant, t.units_per_variant);
        QCOMPARE(per_day, t.units_per_day);
    }
};

QTEST_APPLESS_MAIN(TestSimulate)
#include "tst_simulate.moc"
