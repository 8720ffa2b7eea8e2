// The simulator checked against its own output: the truth it reports (rows,
// exposed units, units per variant, browser and day by first exposure,
// jumpers, assigned and force-included units) must equal counts this test
// makes from the CSV it wrote, with its own reader (a split on commas; the
// simulator writes no quoted fields by default). The simulator's truth is
// what the diagnosis tests compare against, so it must not be its own
// oracle. srm-simulate's command line: every option of its --help changes
// what it writes as the help says, and every exit code is produced.
#include "srm/simulate.hpp"
#include "srm/timeparse.hpp"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
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

std::string slurp(const std::string& path)
{
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

// srm-simulate run in-process into a scratch folder: its exit code, the
// events it wrote and the truth file's "key value" lines.
struct SimRun {
    int code = -1;
    std::string events, err, out;
    std::map<std::string, std::string> truth;
    std::string header() const { return events.substr(0, events.find_first_of("\r\n")); }
};

SimRun sim(std::vector<std::string> args, bool with_out = true)
{
    static QTemporaryDir dir;
    const std::string base = dir.path().toStdString() + "/run";
    if (with_out) args.insert(args.end(), {"--out", base + ".csv", "--truth", base + ".truth"});
    std::remove((base + ".csv").c_str());
    std::remove((base + ".truth").c_str());
    std::ostringstream out, err;
    SimRun r;
    r.code = run_srm_simulate(args, out, err);
    r.out = out.str();
    r.err = err.str();
    if (!with_out || r.code != 0) return r;
    r.events = slurp(base + ".csv");
    std::istringstream t(slurp(base + ".truth"));
    std::string line;
    while (std::getline(t, line))
        if (const auto sp = line.find(' '); sp != std::string::npos && !r.truth.count(line.substr(0, sp)))
            r.truth[line.substr(0, sp)] = line.substr(sp + 1);
    return r;
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

    // Each option of srm-simulate's --help, against a run without it.
    void every_option_changes_what_is_written()
    {
        const std::vector<std::string> small = {"--users", "3000", "--days", "4"};
        auto with = [&](std::vector<std::string> extra) {
            extra.insert(extra.begin(), small.begin(), small.end());
            return sim(extra);
        };
        const SimRun plain = with({});
        QCOMPARE(plain.code, 0);
        QCOMPARE(plain.header(), std::string("timestamp,user_id,variant,browser,os,country,sdk_version,crashed"));
        QCOMPARE(plain.events.substr(0, 40), plain.header().substr(0, 40));
        QCOMPARE(plain.truth.at("change_time_us"), std::string("0"));
        QCOMPARE(plain.truth.at("jumpers"), std::string("0"));
        QCOMPARE(count(plain.events).rows, std::stoull(plain.truth.at("rows")));
        QVERIFY(std::stoull(plain.truth.at("exposed_units")) <= 3000);
        QVERIFY(std::stoull(plain.truth.at("exposed_units")) > 2500);

        // --seed: same seed same bytes, another seed other bytes.
        QCOMPARE(with({"--seed", "1"}).events, plain.events);
        QVERIFY(with({"--seed", "2"}).events != plain.events);
        // --users
        QVERIFY(std::stoull(with({"--users", "300"}).truth.at("exposed_units")) <= 300);
        // --days and --start: the last event before start + days, the first on the start's day.
        {
            const SimRun r = with({"--days", "2", "--start", "2025-01-01T00:00:00Z"});
            const Counted c = count(r.events);
            QCOMPARE(c.per_day.at("control").begin()->first, std::string("2025-01-01"));
            QCOMPARE(c.per_day.at("control").rbegin()->first, std::string("2025-01-02"));
        }
        // --change-at, with a scenario that has a change: start + 0.25 * 4 days (1772323200 + 86400 s).
        QCOMPARE(with({"--scenario", "deployment_drop", "--change-at", "0.25"}).truth.at("change_time_us"), std::string("1772409600000000"));
        QCOMPARE(with({"--scenario", "deployment_drop"}).truth.at("change_time_us"), std::string("1772496000000000"));
        // --scenario variant_jumping and --strength
        const auto jumpers = [&](std::vector<std::string> a) { return std::stoull(with(a).truth.at("jumpers")); };
        const auto j_default = jumpers({"--scenario", "variant_jumping"});
        QVERIFY(j_default > 0);
        QCOMPARE(jumpers({"--scenario", "variant_jumping", "--strength", "0"}), std::uint64_t(0));
        QVERIFY(jumpers({"--scenario", "variant_jumping", "--strength", "0.5"}) > 2 * j_default);
        // --browser: the explaining segment of a deployment drop.
        QCOMPARE(with({"--scenario", "deployment_drop"}).truth.at("explaining_segment"), std::string("browser=Safari"));
        QCOMPARE(with({"--scenario", "deployment_drop", "--browser", "Firefox"}).truth.at("explaining_segment"), std::string("browser=Firefox"));
        // --cause
        {
            const SimRun r = with({"--scenario", "segment_drop", "--cause", "os=iOS&browser=Chrome:0.3@0.5"});
            QCOMPARE(r.truth.at("explanation"), std::string("localized"));
            QCOMPARE(r.truth.at("explaining_segment"), std::string("browser=Chrome&os=iOS"));
        }
        // --exposures-per-user: 1 gives one row per exposed unit; more give
        // more rows (fewer than asked: exposures stop at the test's end).
        {
            const SimRun one = with({"--exposures-per-user", "1"});
            QCOMPARE(one.truth.at("rows"), one.truth.at("exposed_units"));
            const auto per = [](const SimRun& r) { return std::stod(r.truth.at("rows")) / std::stod(r.truth.at("exposed_units")); };
            QVERIFY2(per(with({"--exposures-per-user", "4"})) > 1.2 * per(plain), qPrintable(QString::number(per(plain))));
        }
        // --variants
        {
            const Counted c = count(with({"--variants", "a=1,b=3"}).events);
            QCOMPARE(c.per_variant.size(), std::size_t(2));
            QVERIFY(c.per_variant.at("b") > 2 * c.per_variant.at("a"));
        }
        // The columns.
        QCOMPARE(with({"--event-type"}).header(), std::string("timestamp,user_id,variant,browser,os,country,sdk_version,event_type,crashed"));
        QCOMPARE(with({"--inclusion"}).header(), std::string("timestamp,user_id,variant,browser,os,country,sdk_version,crashed,force_included"));
        QCOMPARE(with({"--no-metrics"}).header(), std::string("timestamp,user_id,variant,browser,os,country,sdk_version"));
        QCOMPARE(with({"--no-dimensions"}).header(), std::string("timestamp,user_id,variant,crashed"));
        {
            const SimRun r = with({"--extra-dimensions", "2", "--extra-values", "3"});
            QCOMPARE(r.header(), std::string("timestamp,user_id,variant,browser,os,country,sdk_version,extra1,extra2,crashed"));
            std::set<std::string> values;
            std::istringstream in(r.events);
            std::string line;
            std::getline(in, line);
            while (std::getline(in, line)) values.insert(split(line)[8]);
            QCOMPARE(values, (std::set<std::string>{"e2_v001", "e2_v002", "e2_v003"}));
        }
        // The dialect.
        QCOMPARE(with({"--delimiter", ";"}).header(), std::string("timestamp;user_id;variant;browser;os;country;sdk_version;crashed"));
        QCOMPARE(with({"--delimiter", "tab"}).header(), std::string("timestamp\tuser_id\tvariant\tbrowser\tos\tcountry\tsdk_version\tcrashed"));
        QCOMPARE(with({"--delimiter", "|"}).header(), std::string("timestamp|user_id|variant|browser|os|country|sdk_version|crashed"));
        QCOMPARE(with({"--delimiter", ","}).header(), plain.header());
        QCOMPARE(with({"--crlf"}).events.substr(plain.header().size(), 2), std::string("\r\n"));
        QCOMPARE(plain.events.substr(plain.header().size(), 2).substr(0, 1), std::string("\n"));
        QCOMPARE(with({"--quote-all"}).header().substr(0, 21), std::string("\"timestamp\",\"user_id\""));
        QCOMPARE(with({"--bom"}).events.substr(0, 12), std::string("\xEF\xBB\xBFtimestamp"));
        // --time-format: the first row's time in each format (2026-03-01, the first arrival).
        const auto first_time = [&](const char* f) {
            const SimRun r = with({"--time-format", f});
            const auto nl = r.events.find('\n');
            return r.events.substr(nl + 1, r.events.find(',', nl) - nl - 1);
        };
        const std::string iso = first_time("iso");
        QCOMPARE(iso.size(), std::size_t(24));  // 2026-03-01T00:03:52.723Z
        QCOMPARE(iso.substr(0, 11), std::string("2026-03-01T"));
        const std::int64_t us = *parse_timestamp(iso);
        QCOMPARE(first_time("iso-space-utc"), iso.substr(0, 10) + " " + iso.substr(11, 8) + " UTC");
        QCOMPARE(*parse_timestamp(first_time("iso-offset")), us);
        QVERIFY(first_time("iso-offset").substr(10, 1) == "T" && first_time("iso-offset").size() == 29);
        QCOMPARE(first_time("date"), std::string("2026-03-01"));
        QCOMPARE(std::stoll(first_time("epoch-s")), us / 1000000);
        QCOMPARE(std::stoll(first_time("epoch-ms")), us / 1000);
        QCOMPARE(std::stoll(first_time("epoch-us")) / 1000, us / 1000);
    }

    void side_files_and_exit_codes()
    {
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString();
        SimRun r = sim({"--users", "2000", "--scenario", "allocation_change", "--out", d + "/e.csv", "--aggregated", d + "/a.csv",
                        "--changes", d + "/c.csv", "--allocation", d + "/h.csv"},
                       false);
        QCOMPARE(r.code, 0);
        QCOMPARE(slurp(d + "/a.csv").substr(0, 5), std::string("date,"));
        QVERIFY(!slurp(d + "/c.csv").empty());
        const std::string alloc = slurp(d + "/h.csv");
        QCOMPARE(std::count(alloc.begin(), alloc.end(), '\n'), std::ptrdiff_t(3));  // header and two phases
        // 0 for --help and --version, 64 for a wrong command line, 73 for a file that cannot be written.
        r = sim({"--help"}, false);
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.find("Usage: srm-simulate") == 0);
        QCOMPARE(sim({"--version"}, false).code, 0);
        for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
                 {"--users", "2000"}, {"--out"}, {"--out", d + "/x.csv", "--seed", "x"}, {"--out", d + "/x.csv", "--frobnicate"},
                 {"--out", d + "/x.csv", "--scenario", "nope"}, {"--out", d + "/x.csv", "--delimiter", ":"},
                 {"--out", d + "/x.csv", "--time-format", "rfc"}, {"--out", d + "/x.csv", "--start", "yesterday"},
                 {"--out", d + "/x.csv", "--cause", "browser"}, {"--out", d + "/x.csv", "--extra-values", "1"}}) {
            r = sim(bad, false);
            QVERIFY2(r.code == 64, bad.back().c_str());
            QVERIFY2(r.err.find("srm-simulate: ") == 0, r.err.c_str());
        }
        QCOMPARE(sim({"--users", "100", "--out", d + "/no/such/dir/e.csv"}, false).code, 73);
    }
};

QTEST_APPLESS_MAIN(TestSimulate)
#include "tst_simulate.moc"
