// The option table: every option srm-check's --help lists, each run on a
// small fixture (written by initTestCase, every row known) with the JSON
// field it changes asserted exactly, with and without the option where the
// default differs; and every exit code the program documents.
#include "srm/cli.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <tuple>
#include <vector>

namespace {

struct Run {
    int code = -1;
    QByteArray out, err;
};

Run run(const QStringList& args, const QByteArray& input = {})
{
    QProcess p;
    p.start(QStringLiteral(SRM_CHECK_BIN), args);
    if (!input.isEmpty()) p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(60000)) qFatal("srm-check did not finish");
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
}

// "a.b.2.c" into the report; "x.#" is the length of array x.
QJsonValue at_path(const QJsonValue& root, const QString& path)
{
    QJsonValue v = root;
    for (const auto& part : path.split('.')) {
        if (part == "#") return v.toArray().size();
        bool number = false;
        const int i = part.toInt(&number);
        v = number ? v.toArray().at(i) : v.toObject().value(part);
    }
    return v;
}

QString compact(const QJsonValue& v)
{
    if (v.isString()) return v.toString();
    if (v.isDouble()) return QString::number(v.toDouble(), 'g', 17);
    if (v.isBool()) return v.toBool() ? "true" : "false";
    if (v.isNull()) return "null";
    if (v.isUndefined()) return "undefined";
    return QString::fromUtf8(QJsonDocument(v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject())).toJson(QJsonDocument::Compact));
}

std::string iso(long seconds)  // seconds after 2026-03-01T00:00:00Z
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "2026-03-%02ldT%02ld:%02ld:%02ldZ", 1 + seconds / 86400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
    return buf;
}

// One row per unit, browser by browser: (browser, control units, treatment
// units), times spread over the first day. With `os`, an os column (iOS on
// odd units) and a crashed flag, set where `crashes` says (treatment every
// 5th unit, control every 10th), else 0.
std::string browser_split(const std::vector<std::tuple<const char*, long, long>>& browsers, bool os, bool crashes)
{
    std::ostringstream s;
    s << "timestamp,user_id,variant,browser" << (os ? ",os,crashed" : "") << "\n";
    long u = 0;
    for (const auto& [browser, c, t] : browsers)
        for (long i = 0; i < c + t; ++i, ++u) {
            const bool treat = i >= c;
            s << iso(u * 86 % 86400) << ",u" << u << "," << (treat ? "treatment" : "control") << "," << browser;
            if (os) s << "," << (u % 2 ? "iOS" : "Android") << "," << (crashes && (treat ? u % 5 : u % 10) == 0 ? 1 : 0);
            s << "\n";
        }
    return s.str();
}

}  // namespace

class TestCliOptions : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString path(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    void write(const char* name, const std::string& text) const { std::ofstream(path(name).toStdString(), std::ios::binary) << text; }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // seg.csv: balanced overall (500 : 500), Safari and Chrome tilted
        // opposite ways (150 : 50 and 50 : 150), Firefox even; one row per
        // unit, 1000 units over hours 0-23; crashed on every 5th unit of
        // treatment, every 10th of control.
        write("seg.csv", browser_split({{"Safari", 150, 50}, {"Chrome", 50, 150}, {"Firefox", 300, 300}}, true, true));
        // one.csv: Safari alone tilted (120 : 40), Chrome and Firefox even
        // (500 : 500 each); the total's 1120 : 1040 is within chance.
        write("one.csv", browser_split({{"Safari", 120, 40}, {"Chrome", 500, 500}, {"Firefox", 500, 500}}, true, false));
        // same.csv: Safari and Chrome both tilted towards control (120 : 40
        // each), Firefox even (5000 : 5000); the total is within chance.
        write("same.csv", browser_split({{"Safari", 120, 40}, {"Chrome", 120, 40}, {"Firefox", 5000, 5000}}, false, false));
        // hourly.csv: (control, treatment) per hour for five hours, the
        // sequential case A of tests/data/oracles/sequential_oracle.py.
        {
            std::ostringstream s;
            s << "timestamp,user_id,variant\n";
            const long hours[5][2] = {{510, 490}, {530, 470}, {560, 440}, {540, 460}, {580, 420}};
            long u = 0;
            for (long h = 0; h < 5; ++h)
                for (int v = 0; v < 2; ++v)
                    for (long i = 0; i < hours[h][v]; ++i) s << iso(h * 3600 + i * 3) << ",u" << u++ << "," << (v ? "treatment" : "control") << "\n";
            write("hourly.csv", s.str());
        }
        // step.csv: 100 : 100 per hour for 24 hours, then 130 : 70 for 24.
        {
            std::ostringstream s;
            s << "timestamp,user_id,variant\n";
            long u = 0;
            for (long h = 0; h < 48; ++h)
                for (int v = 0; v < 2; ++v)
                    for (long i = 0; i < (h < 24 ? 100 : v ? 70 : 130); ++i)
                        s << iso(h * 3600 + i * 17) << ",u" << u++ << "," << (v ? "treatment" : "control") << "\n";
            write("step.csv", s.str());
            // The change point is at hour 24: changes 10 h after it.
            write("changes.csv", "timestamp,kind,description\n" + iso(34 * 3600) + ",deployment,Release 7\n");
                // ... and one 20 h after it: near only within the default 24 h.
            write("changes20.csv", "timestamp,kind,description\n" + iso(44 * 3600) + ",config,Flag flip\n");
        // Planned 50/50, then 65/35 from hour 24: each phase as planned.
            write("alloc.csv", "timestamp,control,treatment\n" + iso(0) + ",50,50\n" + iso(24 * 3600) + ",65,35\n");
        }
        // wh.csv: a warehouse result with its flag columns under other names:
        // 40 of 200 control units and 10 of 200 treatment units in several
        // variants; assigned 220 : 200, of them exposed 200 : 200.
        write("wh.csv", "hour_start,variant,jumped,first_assignment,units\n"
                        "1772323200,control,0,control,160\n1772323200,control,1,control,40\n"
                        "1772323200,treatment,0,treatment,190\n1772323200,treatment,1,treatment,10\n"
                        ",,0,control,20\n");
        // win.csv: units at the window's edges (window 01:00:00 .. 02:00:00):
        // before, at the start, inside, in the end's last second (.5 s), after.
        write("win.csv", "timestamp,user_id,variant\n" + iso(3599) + ",a,control\n" + iso(3600) + ",b,control\n" + iso(5400) +
                             ",c,treatment\n2026-03-01T02:00:00.500Z,d,treatment\n" + iso(7201) + ",e,treatment\n" + iso(7300) + ",f,control\n");
        // sec.csv: two units inside the second 01:00:00 (.0 and .7), one before, one after.
        write("sec.csv", "timestamp,user_id,variant\n2026-03-01T00:59:59Z,a,control\n2026-03-01T01:00:00Z,b,control\n"
                         "2026-03-01T01:00:00.7Z,c,treatment\n2026-03-01T01:00:01Z,d,treatment\n");
        // small.csv: segments of 99 and 100 units (both tilted 9 : 1) and 1000 even ones.
        {
            std::ostringstream s;
            s << "timestamp,user_id,variant,browser\n";
            long u = 0;
            auto add = [&](const char* browser, long c, long t) {
                for (long i = 0; i < c + t; ++i, ++u) s << iso(u) << ",u" << u << "," << (i < c ? "control" : "treatment") << "," << browser << "\n";
            };
            add("ninety_nine", 90, 9);
            add("hundred", 90, 10);
            add("many", 500, 500);
            write("small.csv", s.str());
        }
        // hours.csv: two columns of hours of day; the first is taken unless --hour-col names the other.
        write("hours.csv", "date,aa,bb,user_id,variant\n2026-03-01,5,1,a,control\n2026-03-01,9,2,b,treatment\n2026-03-02,13,3,c,control\n"
                           "2026-03-02,2,4,d,treatment\n");
        // counts2.csv: two columns could hold the units; "sessions" is taken by name unless --count-col says otherwise.
        write("counts2.csv", "day,arm,people,sessions\n2026-03-01,control,600,900\n2026-03-01,treatment,400,800\n2026-03-02,control,500,700\n"
                             "2026-03-02,treatment,500,650\n");
        // times.csv: two time columns; event_time is taken by name unless --time-col names the other.
        write("times.csv", "event_time,other_time,user_id,variant\n2026-03-01T10:00:00Z,2026-02-01T10:00:00Z,a,control\n"
                           "2026-03-01T11:00:00Z,2026-02-02T10:00:00Z,b,treatment\n");
        // odd.csv: names no role guesser knows; a ; delimiter; a German time
        // layout without a year; an event and an inclusion column.
        write("odd.csv",
              "wann;wer;gruppe;aktion;erzwungen;land\n"
              "01.03 10:00;p1;control;exposure;0;DE\n01.03 10:05;p2;treatment;exposure;1;DE\n01.03 10:07;p3;control;click;0;AT\n"
              "01.03 11:00;p4;treatment;exposure;0;AT\n01.03 11:30;p3;control;exposure;0;AT\n01.03 12:00;p5;control;exposure;0;CH\n");
        // counts.csv: the aggregated shape with a count column.
        // users.csv: counts by a name srm-check knows ("users"): aggregated
        // unless --shape events reads each row as one unit.
        write("users.csv", "day,arm,users\n2026-03-01,control,600\n2026-03-01,treatment,400\n2026-03-02,control,500\n2026-03-02,treatment,500\n");
        // both.csv: a count of exposures beside a count of users: units are
        // counted, whichever column comes first.
        write("both.csv", "arm,exposures,users\ncontrol,900,600\ntreatment,700,400\n");
        write("both2.csv", "arm,users,exposures\ncontrol,600,900\ntreatment,400,700\n");
        write("counts.csv", "day,arm,people\n2026-03-01,control,600\n2026-03-01,treatment,400\n2026-03-02,control,500\n2026-03-02,treatment,500\n");
        // dates.csv: date-only times with an hour column.
        write("dates.csv", "date,hr,user_id,variant\n2026-03-01,7,a,control\n2026-03-01,9,b,treatment\n2026-03-02,23,c,control\n");
        // noheader.csv: the first row is data.
        // (all text, so its first row could be a header).
        write("noheader.csv", "treatment,u0\ncontrol,u1\ntreatment,u2\ncontrol,u3\n");
        // bad.csv: a bad time on line 3.
        write("bad.csv", "timestamp,user_id,variant\n" + iso(0) + ",u1,control\nnot a time,u2,treatment\n" + iso(60) + ",u3,treatment\n" + iso(61) +
                             ",u4,control\n");
        // jump.csv: 10 units, one exposed to both variants (10 % > 5 %).
        write("jump.csv", "timestamp,user_id,variant\n" + iso(0) + ",j,control\n" + iso(1) + ",j,treatment\n" + [] {
            std::string s;
            for (int i = 0; i < 9; ++i) s += iso(10 + i) + ",k" + std::to_string(i) + "," + (i % 2 ? "control" : "treatment") + "\n";
            return s;
        }());
    }

    void options_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("code");
        const QString seg = path("seg.csv"), hourly = path("hourly.csv"), step = path("step.csv"), win = path("win.csv"), odd = path("odd.csv");
        // Input.
        QTest::newRow("FILE") << QStringList{seg} << "srm.units" << "1000" << 1;
        QTest::newRow("--counts") << QStringList{"--counts", "a=5200,b=4800"} << "srm.chi_square_p_value" << "~6.334248366623988e-05" << 1;  // scipy.stats.chisquare([5200,4800])
        // --counts keeps the order given, not control first, nor --expected's order.
        QTest::newRow("--counts order") << QStringList{"--counts", "treatment=400,control=600"} << "srm.variants.0.name" << "treatment" << 1;
        QTest::newRow("--counts order, --expected") << QStringList{"--counts", "treatment=400,control=600", "--expected", "control=1,treatment=1"}
                                                    << "srm.variants.1.name" << "control" << 1;
        // Reading the file.
        QTest::newRow("--shape aggregated") << QStringList{path("counts.csv"), "--shape", "aggregated", "--count-col", "people"} << "srm.variants.0.observed"
                                            << "1100" << 1;
        QTest::newRow("users detected") << QStringList{path("users.csv")} << "srm.units" << "2000" << 1;
        QTest::newRow("--shape events") << QStringList{path("users.csv"), "--shape", "events"} << "srm.units" << "4" << 0;
        QTest::newRow("users before exposures") << QStringList{path("both.csv")} << "input.columns.count" << "users" << 1;
        QTest::newRow("users before exposures, 2") << QStringList{path("both2.csv")} << "srm.units" << "1000" << 1;
        QTest::newRow("--count-col") << QStringList{path("counts.csv"), "--count-col", "people"} << "input.columns.count" << "people" << 1;
        QTest::newRow("--time-col etc.") << QStringList{odd, "--time-col", "wann", "--unit-col", "wer", "--variant-col", "gruppe", "--time-format",
                                                         "%d.%m %H:%M", "--time-year", "2025", "--event-col", "aktion"}
                                         << "input.columns" << R"({"count":null,"dimensions":["land"],"event":"aktion","metrics":["erzwungen"],"time":"wann","unit":"wer","variant":"gruppe"})" << 0;
        QTest::newRow("--event-col units") << QStringList{odd, "--time-col", "wann", "--unit-col", "wer", "--variant-col", "gruppe", "--time-format",
                                                           "%d.%m %H:%M", "--time-year", "2025", "--event-col", "aktion"}
                                           << "input.rows_other_events" << "1" << 0;
        QTest::newRow("--time-year") << QStringList{odd, "--time-col", "wann", "--unit-col", "wer", "--variant-col", "gruppe", "--time-format",
                                                     "%d.%m %H:%M", "--time-year", "2025", "--event-col", "aktion"}
                                     << "window.traffic_start" << "2025-03-01T10:00:00Z" << 0;
        QTest::newRow("--inclusion-col") << QStringList{odd, "--time-col", "wann", "--unit-col", "wer", "--variant-col", "gruppe", "--time-format",
                                                         "%d.%m %H:%M", "--time-year", "2025", "--event-col", "aktion", "--inclusion-col", "erzwungen"}
                                         << "checks.6.value" << "~0.2" << 0;  // p2 of 5 exposed units
        QTest::newRow("--delimiter") << QStringList{odd, "--delimiter", ";", "--time-col", "wann", "--unit-col", "wer", "--variant-col", "gruppe",
                                                     "--time-format", "%d.%m %H:%M", "--time-year", "2025"}
                                     << "input.dialect.delimiter" << ";" << 0;
        QTest::newRow("--hour-col") << QStringList{path("dates.csv"), "--hour-col", "hr"} << "window.traffic_end" << "2026-03-02T23:00:00Z" << 0;
        QTest::newRow("time column by name") << QStringList{path("times.csv")} << "window.traffic_start" << "2026-03-01T10:00:00Z" << 0;
        QTest::newRow("--time-col the other") << QStringList{path("times.csv"), "--time-col", "other_time"} << "window.traffic_start"
                                              << "2026-02-01T10:00:00Z" << 0;
        // A column named on the command line is matched as the file's names are: case, spaces and dashes aside.
        QTest::newRow("--time-col spelled otherwise") << QStringList{path("times.csv"), "--time-col", "Other-Time"} << "window.traffic_start"
                                                      << "2026-02-01T10:00:00Z" << 0;
        QTest::newRow("hour column detected") << QStringList{path("hours.csv")} << "window.traffic_end" << "2026-03-02T13:00:00Z" << 0;
        QTest::newRow("--hour-col the other") << QStringList{path("hours.csv"), "--hour-col", "bb"} << "window.traffic_end" << "2026-03-02T04:00:00Z" << 0;
        QTest::newRow("count column by name") << QStringList{path("counts2.csv")} << "srm.variants.0.observed" << "1600" << 1;
        QTest::newRow("--count-col the other") << QStringList{path("counts2.csv"), "--count-col", "people"} << "srm.variants.0.observed" << "1100" << 1;
        QTest::newRow("--dimensions") << QStringList{seg, "--dimensions", "os"} << "input.columns.dimensions" << R"(["os"])" << 0;
        // Empty items of a list (a doubled or trailing comma) name no column.
        QTest::newRow("--dimensions, empty items") << QStringList{seg, "--dimensions", ",os,,"} << "input.columns.dimensions" << R"(["os"])" << 0;
        QTest::newRow("--metrics, empty items") << QStringList{seg, "--metrics", "crashed,"} << "group_metrics.#" << "1" << 1;
        QTest::newRow("--metrics") << QStringList{seg, "--metrics", "crashed"} << "group_metrics.0.variants.1.rate" << "~0.2" << 1;  // every 5th treatment unit
        QTest::newRow("metrics by default") << QStringList{QStringLiteral(SRM_TEST_DATA_DIR "/oracles/step2_metrics.csv")} << "group_metrics.#" << "2" << 0;
        QTest::newRow("--metrics one") << QStringList{QStringLiteral(SRM_TEST_DATA_DIR "/oracles/step2_metrics.csv"), "--metrics", "revenue"}
                                       << "group_metrics.0.metric" << "revenue" << 0;
        QTest::newRow("--metrics count") << QStringList{QStringLiteral(SRM_TEST_DATA_DIR "/oracles/step2_metrics.csv"), "--metrics", "revenue"}
                                         << "group_metrics.#" << "1" << 0;
        QTest::newRow("--no-header") << QStringList{path("noheader.csv"), "--no-header"} << "input.rows_read" << "4" << 0;
        QTest::newRow("header by default") << QStringList{path("noheader.csv")} << "input.rows_read" << "3" << 0;
        QTest::newRow("--no-header units") << QStringList{path("noheader.csv"), "--no-header"} << "srm.units" << "4" << 0;
        QTest::newRow("rejected row") << QStringList{path("bad.csv")} << "input.rows_rejected" << "1" << 65;
        QTest::newRow("--max-dimension-values") << QStringList{seg, "--max-dimension-values", "2"} << "dimensions.#" << "1" << 0;
        QTest::newRow("dimensions by default") << QStringList{seg} << "dimensions.#" << "2" << 1;
        QTest::newRow("--threads") << QStringList{seg, "--threads", "1"} << "dimensions.0.segments.0.counts" << R"({"control":300,"treatment":300})" << 1;
        // Options.
        QTest::newRow("--expected") << QStringList{"--counts", "a=600,b=400", "--expected", "a=60,b=40"} << "srm.p_value" << "1" << 0;
        QTest::newRow("--control") << QStringList{seg, "--control", "treatment"} << "group_metrics.0.test" << "two-proportion z-test against treatment" << 1;
        QTest::newRow("--warn-alpha") << QStringList{"--counts", "a=5200,b=4800", "--warn-alpha", "0.00001", "--severe-alpha", "0.000001"}
                                      << "srm.severity" << "ok" << 0;
        QTest::newRow("--severe-alpha") << QStringList{"--counts", "a=5200,b=4800", "--severe-alpha", "0.00001"} << "health.state" << "warn" << 1;
        // "--severe-alpha must not be larger than --warn-alpha": equal is allowed (p = 6.3e-05 is severe at both 0.001).
        QTest::newRow("--severe-alpha = --warn-alpha") << QStringList{"--counts", "a=5200,b=4800", "--warn-alpha", "0.001", "--severe-alpha", "0.001"}
                                                      << "srm.severity" << "severe" << 1;
        QTest::newRow("--min-practical-pp") << QStringList{"--counts", "a=5200,b=4800", "--min-practical-pp", "2.5"} << "srm.practically_significant"
                                            << "false" << 1;
        QTest::newRow("--min-practical-pp 75") << QStringList{"--counts", "a=5200,b=4800", "--min-practical-pp", "75"} << "srm.practically_significant"
                                               << "false" << 1;
        QTest::newRow("--min-practical-pp 0") << QStringList{"--counts", "a=5200,b=4800", "--min-practical-pp", "0"} << "srm.practically_significant"
                                              << "true" << 1;
        QTest::newRow("--changes") << QStringList{step, "--changes", path("changes.csv")} << "changes.0.distance_seconds" << "36000" << 1;
        QTest::newRow("--near-hours default") << QStringList{step, "--changes", path("changes.csv")} << "changes.0.near_change_point" << "true" << 1;
        QTest::newRow("--near-hours 10") << QStringList{step, "--changes", path("changes.csv"), "--near-hours", "10"} << "changes.0.near_change_point" << "true" << 1;
        QTest::newRow("--near-hours 9") << QStringList{step, "--changes", path("changes.csv"), "--near-hours", "9"} << "changes.0.near_change_point" << "false" << 1;
        QTest::newRow("--allocation") << QStringList{step, "--allocation", path("alloc.csv")} << "srm.test" << "chi_square_phased" << 0;
        QTest::newRow("--window units") << QStringList{win, "--window", "2026-03-01T01:00:00Z,2026-03-01T02:00:00Z"} << "srm.units" << "3" << 0;
        QTest::newRow("--window start") << QStringList{win, "--window", "2026-03-01T01:00:00Z,"} << "srm.units" << "5" << 0;
        QTest::newRow("--window end") << QStringList{win, "--window", ",2026-03-01T02:00:00Z"} << "srm.variants.1.observed" << "2" << 0;
        QTest::newRow("--window one second") << QStringList{path("sec.csv"), "--window", "2026-03-01T01:00:00Z,2026-03-01T01:00:00Z"} << "srm.units" << "2" << 0;
        // Aggregated counts under a window: the scope's total is of units
        // (600 + 400 + 500 + 500), not of the four count rows.
        QTest::newRow("--window aggregated units") << QStringList{path("counts.csv"), "--count-col", "people", "--window", "2026-03-02T00:00:00Z,"}
                                                   << "srm.units" << "1000" << 0;
        QTest::newRow("--window aggregated total") << QStringList{path("counts.csv"), "--count-col", "people", "--window", "2026-03-02T00:00:00Z,"}
                                                   << "scope.units_total" << "2000" << 0;
        // An open start is the traffic's first time (00:59:59), not 1970.
        QTest::newRow("--window open start") << QStringList{win, "--window", ",2026-03-01T02:00:00Z"} << "scope.window"
                                             << R"({"end":"2026-03-01T02:00:00Z","exact":true,"start":"2026-03-01T00:59:59Z"})" << 0;
        QTest::newRow("--window outside") << QStringList{win, "--window", "2026-03-01T01:00:00Z,2026-03-01T02:00:00Z"} << "input.rows_outside_window" << "3" << 0;
        QTest::newRow("--prior-concentration default") << QStringList{hourly} << "sequential.log10_p_value" << "~-7.400109117009497" << 1;
        QTest::newRow("--prior-concentration") << QStringList{hourly, "--prior-concentration", "10000"} << "sequential.log10_p_value" << "~-2.715186798526729" << 1;
        QTest::newRow("--prior-concentration field") << QStringList{hourly, "--prior-concentration", "10000"} << "sequential.concentration" << "10000" << 1;
        QTest::newRow("concentration default") << QStringList{hourly} << "sequential.concentration" << "100" << 1;
        QTest::newRow("first alert") << QStringList{hourly} << "sequential.first_alert_time" << "2026-03-01T03:00:00Z" << 1;
        QTest::newRow("near by default (24 h)") << QStringList{step, "--changes", path("changes20.csv")} << "changes.0.near_change_point" << "true" << 1;
        QTest::newRow("--near-hours 19") << QStringList{step, "--changes", path("changes20.csv"), "--near-hours", "19"} << "changes.0.near_change_point"
                                         << "false" << 1;
        QTest::newRow("too_small by default (100)") << QStringList{path("small.csv")} << "dimensions.0.segments.2.severity" << "too_small" << 1;
        QTest::newRow("100 units tested by default") << QStringList{path("small.csv")} << "dimensions.0.segments.1.severity" << "severe" << 1;
        QTest::newRow("min_segment_units default") << QStringList{path("small.csv")} << "dimensions.0.min_segment_units" << "100" << 1;
        QTest::newRow("--min-segment-units") << QStringList{seg, "--min-segment-units", "201"} << "dimensions.0.segments.1.severity" << "too_small" << 0;
        QTest::newRow("segments by default") << QStringList{seg} << "dimensions.0.segments.1.severity" << "severe" << 1;
        QTest::newRow("--no-localization") << QStringList{seg, "--no-localization"} << "explanation.status" << "not_applicable" << 1;
        QTest::newRow("localization") << QStringList{seg} << "health.state" << "segment_limited" << 1;
        // A segment-limited SRM, explained by one segment or ranked only. p's:
        //   total: scipy.stats.chi2.sf(2*40**2/1080, 1) = 0.0851916964358797;
        //   Safari's G-test: 2*(120*log(120/80)+40*log(40/80)) = 41.86, chi2.sf(41.86, 1) = 9.805548415239227e-11;
        //   Safari's adjusted p: Holm over the 5 segments (3 browsers, 2 OS), 5 * chi2.sf(40, 1) = 1.2698142947354368e-09.
        const QString one = path("one.csv");
        QTest::newRow("one segment explains it") << QStringList{one} << "verdict.summary"
            << "The overall split looks fine (p = 0.0852), but it is out of balance inside browser = Safari (p = 9.81e-11). The skew is "
               "confined to that segment, too small a part of the traffic to show in the total; results for that segment cannot be trusted. "
               "Without browser = Safari, the other 2,000 units match the plan (p = 1.0000)." << 1;
        //   seg.csv's Safari (and Chrome), G-test: 2*(150*log(1.5)+50*log(0.5)) = 52.32, chi2.sf(52.32, 1) = 4.703928404646e-13.
        QTest::newRow("two segments explain it") << QStringList{seg} << "verdict.summary"
            << "The overall split looks fine (p = 1.0000), but it is out of balance inside browser = Safari (p = 4.7e-13) and other segments. "
               "Opposite skews in different segments cancel out in the total; results for those segments cannot be trusted. Without browser = "
               "Safari and browser = Chrome, the other 600 units match the plan (p = 1.0000)." << 1;
        //   same.csv's total: chi2.sf(2*80**2/5160, 1) = 0.1152567995779128; Safari's G-test as one.csv's.
        QTest::newRow("segments skewed alike") << QStringList{path("same.csv")} << "verdict.summary"
            << "The overall split looks fine (p = 0.1153), but it is out of balance inside browser = Safari (p = 9.81e-11) and other segments. "
               "The segments skew the same way but are too small a part of the traffic to show in the total; results for those segments "
               "cannot be trusted. Without browser = Safari and browser = Chrome, the other 10,000 units match the plan (p = 1.0000)." << 1;
        QTest::newRow("ranked segments only: an SRM") << QStringList{one, "--no-localization"} << "verdict.srm" << "true" << 1;
        QTest::newRow("ranked segments only: the verdict") << QStringList{one, "--no-localization"} << "verdict.summary"
            << "The overall split looks fine (p = 0.0852), but it is out of balance inside browser = Safari (adjusted p = 1.27e-09). "
               "The skew is confined to that segment, too small a part of the traffic to show in the total; results for that segment cannot "
               "be trusted." << 1;
        QTest::newRow("jumping fails") << QStringList{path("jump.csv")} << "health.state" << "check_failed" << 2;
        const QString wh = path("wh.csv");
        const QStringList flags{"--multi-variant-col", "jumped", "--assigned-variant-col", "first_assignment"};
        QTest::newRow("--multi-variant-col") << QStringList{wh} + flags << "checks.0.value" << "0.125" << 2;  // 50 of the 400 exposed
        QTest::newRow("no multi-variant column") << QStringList{wh, "--assigned-variant-col", "first_assignment"} << "checks.0.status"
                                                 << "not_applicable" << 2;
        // p: python3 -c "from scipy.stats import chi2_contingency; print(chi2_contingency([[200,20],[200,0]], correction=False)[1])"
        // = 1.2463716772329825e-05
        QTest::newRow("--assigned-variant-col") << QStringList{wh} + flags << "checks.4.detail"
                                                << "Exposed after assignment: control 90.91 % of 220, treatment 100.00 % of 200 (chi-square "
                                                   "test of equal rates, p = 1.25e-05). Exposures go missing in one variant after a correct "
                                                   "assignment: a tracking or eligibility loss." << 2;
        QTest::newRow("--no-memory-check") << QStringList{seg, "--no-memory-check"} << "srm.units" << "1000" << 1;
    }

    // Each bounded option at and just past its documented limits: the
    // value at the limit is taken, the one past it refused with its message.
    void option_limits_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        auto row = [&](const char* name, const QString& option, const QString& value, int code, const QString& message = {}) {
            QTest::newRow(name) << QStringList{option, value} << code << message;
        };
        const QString prob = "takes a probability between 0 and 1, not '%1'";
        row("warn 1", "--warn-alpha", "1", 64, "--warn-alpha " + prob.arg("1"));
        row("warn 0", "--warn-alpha", "0", 64, "--warn-alpha " + prob.arg("0"));
        row("warn 0.999", "--warn-alpha", "0.999", 1);
        row("warn 1.0", "--warn-alpha", "1.0", 64, "--warn-alpha " + prob.arg("1.0"));
        row("severe 0", "--severe-alpha", "0", 64, "--severe-alpha " + prob.arg("0"));
        row("severe 1e-300", "--severe-alpha", "1e-300", 1);
        row("severe 1", "--severe-alpha", "1", 64, "--severe-alpha " + prob.arg("1"));
        row("practical 0", "--min-practical-pp", "0", 1);
        row("practical 100", "--min-practical-pp", "100", 1);
        row("practical 100.5", "--min-practical-pp", "100.5", 64, "--min-practical-pp takes percentage points between 0 and 100, not '100.5'");
        row("practical -0.1", "--min-practical-pp", "-0.1", 64, "--min-practical-pp takes percentage points between 0 and 100, not '-0.1'");
        row("near 8760", "--near-hours", "8760", 1);
        row("near 8761", "--near-hours", "8761", 64, "--near-hours takes a whole number from 1 to 8760, not '8761'");
        row("near 0", "--near-hours", "0", 64, "--near-hours takes a whole number from 1 to 8760, not '0'");
        row("near 1.5", "--near-hours", "1.5", 64, "--near-hours takes a whole number from 1 to 8760, not '1.5'");
        row("segment units 1e9", "--min-segment-units", "1000000000", 0);
        row("segment units past 1e9", "--min-segment-units", "1000000001", 64,
            "--min-segment-units takes a whole number from 1 to 1000000000, not '1000000001'");
        row("dimension values 65000", "--max-dimension-values", "65000", 1);
        row("dimension values 65001", "--max-dimension-values", "65001", 64, "--max-dimension-values takes a whole number from 1 to 65000, not '65001'");
        row("concentration 1e-6", "--prior-concentration", "1e-6", 1);
        row("concentration 1e12", "--prior-concentration", "1e12", 1);
        row("concentration 1e13", "--prior-concentration", "1e13", 64, "--prior-concentration takes a number from 1e-06 to 1e+12, not '1e13'");
        row("concentration 9e-7", "--prior-concentration", "9e-7", 64, "--prior-concentration takes a number from 1e-06 to 1e+12, not '9e-7'");
        row("delimiter ,", "--delimiter", ",", 1);
        row("delimiter tab", "--delimiter", "tab", 65);  // seg.csv has no tabs: one column
        row("delimiter :", "--delimiter", ":", 64, "--delimiter takes one of , ; | tab, not ':'");
        row("delimiter ;;", "--delimiter", ";;", 64, "--delimiter takes one of , ; | tab, not ';;'");
        row("page size letter", "--page-size", "letter", 1);
        row("page size a5", "--page-size", "a5", 64, "--page-size takes a4 or letter, not 'a5'");
    }
    void option_limits()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const Run r = run(QStringList{path("seg.csv")} + args);
        QVERIFY2(r.code == code, (QByteArray::number(r.code) + " " + r.err).constData());
        if (code == 64) {
            QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
            QVERIFY(r.out.isEmpty());
        }
    }

    void options()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(int, code);
        const Run r = run(args + QStringList{"--json"});
        QVERIFY2(r.code == code, (QByteArray::number(r.code) + " " + r.err).constData());
        const QJsonDocument doc = QJsonDocument::fromJson(r.out);
        QVERIFY2(doc.isObject(), r.err.constData());
        const QJsonValue got = at_path(doc.object(), field);
        if (value.startsWith('~'))  // a value from scipy: to 1e-9 relative
            QVERIFY2(std::fabs(got.toDouble() / value.mid(1).toDouble() - 1) < 1e-9, qPrintable(compact(got)));
        else
            QCOMPARE(compact(got), value);
        QCOMPARE(at_path(doc.object(), "health.exit_code").toInt(), code);
    }

    // A slow pipe: the export arrives in 333-byte pieces, 4 ms apart, most
    // cut inside a field. The report is the file's, byte for byte (apart
    // from the input's name).
    void a_slow_pipe_reads_every_row()
    {
        QFile f(path("seg.csv"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QProcess p;
        p.start(QStringLiteral(SRM_CHECK_BIN), {"-", "--json"});
        QVERIFY(p.waitForStarted());
        for (qsizetype at = 0; at < bytes.size(); at += 333) {
            p.write(bytes.mid(at, 333));
            QVERIFY(p.waitForBytesWritten(5000));
            QTest::qWait(4);
        }
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        QJsonObject slow = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QJsonObject whole = QJsonDocument::fromJson(run({path("seg.csv"), "--json"}).out).object();
        QCOMPARE(compact(at_path(slow, "input.rows_read")), QString("1000"));
        for (QJsonObject* o : {&slow, &whole}) {
            QJsonObject input = o->value("input").toObject();
            input.remove("file");
            o->insert("input", input);
        }
        QCOMPARE(compact(slow), compact(whole));
    }

    // Thousands of variants and a dimension value of 100 KB: a clear
    // refusal, and an exact report whose text stays readable.
    void many_variants_and_a_huge_value()
    {
        std::string many = "timestamp,user_id,variant\n";
        for (int i = 0; i < 3000; ++i) many += iso(i) + ",u" + std::to_string(i) + ",v" + std::to_string(i) + "\n";
        write("many.csv", many);
        const Run detected = run({path("many.csv")});
        QCOMPARE(detected.code, 65);
        QVERIFY2(detected.err.contains("no usable variant column: 'variant' is named like one, but its first rows hold 2000 different "
                                       "values (at most 255 variants are read)"),
                 detected.err.constData());
        const Run forced = run({path("many.csv"), "--variant-col", "variant"});
        QCOMPARE(forced.code, 65);
        QVERIFY2(forced.err.contains("more than 255 different variants: is 'variant' really the variant column?"), forced.err.constData());

        std::string big = "timestamp,user_id,variant,browser\n";
        for (int i = 0; i < 400; ++i)
            big += iso(i) + ",u" + std::to_string(i) + (i % 2 ? ",a," : ",b,") + (i == 7 ? std::string(100000, 'x') : "Chrome") + "\n";
        write("big.csv", big);
        const Run json = run({path("big.csv"), "--json"});
        QCOMPARE(json.code, 0);
        const QJsonObject r = QJsonDocument::fromJson(json.out).object();
        QCOMPARE(compact(at_path(r, "srm.units")), QString("400"));
        QCOMPARE(at_path(r, "dimensions.0.segments.1.value").toString().size(), 100000);
        const Run text = run({path("big.csv")});
        int longest = 0;
        for (const auto& line : text.out.split('\n')) longest = std::max(longest, static_cast<int>(line.size()));
        QVERIFY2(longest < 200, QByteArray::number(longest).constData());
        QVERIFY(text.out.contains(QByteArray(77, 'x') + "..."));
    }

    // Standard input, help, version, text and the error exits.
    void exits_and_streams()
    {
        QFile f(path("seg.csv"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const Run piped = run({"-", "--json"}, f.readAll());
        QCOMPARE(piped.code, 1);
        QCOMPARE(compact(at_path(QJsonDocument::fromJson(piped.out).object(), "srm.units")), QString("1000"));
        const Run help = run({"--help"});
        QCOMPARE(help.code, 0);
        QVERIFY(help.out.contains("--prior-concentration C"));
        QCOMPARE(run({"-h"}).out, help.out);
        const Run version = run({"--version"});
        QCOMPARE(version.code, 0);
        QVERIFY(version.out.startsWith("srm-check "));
        const Run text = run({path("seg.csv")});
        QCOMPARE(text.code, 1);
        QVERIFY(text.out.contains("browser"));
        QCOMPARE(run({"--counts", "a=1,b=1", "--bogus"}).code, 64);
        const auto larger = run({"--counts", "a=1,b=1", "--warn-alpha", "0.001", "--severe-alpha", "0.002"});
        QCOMPARE(larger.code, 64);
        QVERIFY2(larger.err.contains("--severe-alpha must not be larger than --warn-alpha"), qPrintable(larger.err));
        QCOMPARE(run({"--counts", "a=1,b=1", "--prior-concentration", "0"}).code, 64);
        const QStringList sql{"--print-sql", "sqlite", "--table", "t", "--unit-col", "user_id", "--variant-col", "variant", "--time-col", "ts"};
        QCOMPARE(run(sql).code, 0);
        const Run both = run(sql + QStringList{"--db", "sqlite:///nonexistent.db"});
        QCOMPARE(both.code, 64);
        QVERIFY2(both.err.contains("give either --print-sql or --db, not both"), qPrintable(both.err));
        QCOMPARE(run({"--counts", "a=1,b=1", "--min-practical-pp", "100.5"}).code, 64);
        const Run backwards = run({path("win.csv"), "--window", "2026-03-01T01:00:01Z,2026-03-01T01:00:00Z"});
        QCOMPARE(backwards.code, 64);
        QVERIFY(backwards.err.contains("START is after END"));
        QCOMPARE(run({path("seg.csv"), "--threads", "0"}).code, 64);
        QCOMPARE(run({path("seg.csv"), "--threads", "256"}).code, 1);
        QCOMPARE(run({path("seg.csv"), "--threads", "257"}).code, 64);
        const Run strict = run({path("bad.csv"), "--strict"});
        QCOMPARE(strict.code, 65);
        QVERIFY2(strict.err.contains("bad.csv:3:"), strict.err.constData());
        const Run missing = run({path("nonexistent.csv")});
        QCOMPARE(missing.code, 65);
        // Half the rows rejected: the input_problem state, its report printed.
        write("half.csv", "timestamp,user_id,variant\n" + iso(0) + ",u1,control\nx,u2,treatment\ny,u3,control\n" + iso(3) + ",u4,treatment\n");
        const Run half = run({path("half.csv"), "--json"});
        QCOMPARE(half.code, 65);
        QCOMPARE(compact(at_path(QJsonDocument::fromJson(half.out).object(), "health.state")), QString("input_problem"));
    }

    // 70: an internal error (here: the output stream fails) is reported, not a crash.
    void internal_error_exit()
    {
        struct Failing : std::streambuf {
            int overflow(int) override { throw std::runtime_error("output device failed"); }
        } buf;
        std::ostream out(&buf);
        out.exceptions(std::ios::badbit);
        std::ostringstream err;
        QCOMPARE(srm::run_srm_check({"--counts", "a=10,b=12"}, out, err), 70);
        QVERIFY2(err.str().find("internal error: output device failed") != std::string::npos, err.str().c_str());
    }

    // A report that cannot be written (a full disk) is an error, not exit 0.
    void unwritable_output()
    {
        if (!QFile::exists("/dev/full")) QSKIP("no /dev/full");
        QProcess p;
        p.setStandardOutputFile("/dev/full");
        p.start(QStringLiteral(SRM_CHECK_BIN), {"--counts", "a=10,b=12"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 74);
        QVERIFY(p.readAllStandardError().contains("cannot write the report"));
    }
    // --report writes the document the extension names (atomically, beside
    // the normal output and exit code); --page-size sets the PDF's paper.
    void report_documents()
    {
        const QString html = path("r.html"), md = path("r.md"), pdf = path("r.pdf"), letter = path("letter.pdf");
        for (const QString& out : {html, md, pdf}) {
            const Run r = run({path("seg.csv"), "--report", out});
            QCOMPARE(r.code, 1);  // seg.csv: an SRM inside segments
            QVERIFY(r.out.startsWith("SRM check"));  // the text report still goes to stdout
            QVERIFY2(QFile::exists(out), qPrintable(out));
        }
        QFile h(html), m(md), p(pdf);
        QVERIFY(h.open(QIODevice::ReadOnly) && m.open(QIODevice::ReadOnly) && p.open(QIODevice::ReadOnly));
        const QByteArray ht = h.readAll(), mt = m.readAll();
        QVERIFY(ht.startsWith("<!DOCTYPE html>"));
        QVERIFY(ht.contains("<div class=\"label\">SRM inside segments</div>"));
        QVERIFY(mt.startsWith("# SRM report: seg.csv\n"));
        QVERIFY(mt.contains("| control | 500 | 500.0 | 50.000 % | 50.000 % | +0.000 pp |"));
        QVERIFY(p.read(5) == "%PDF-");
        QCOMPARE(run({path("seg.csv"), "--report", letter, "--page-size", "Letter"}).code, 1);
        auto paper = [](const QString& file) {
            QProcess info;
            info.start("pdfinfo", {file});
            info.waitForFinished(60000);
            const QByteArray out = info.readAllStandardOutput();
            const qsizetype at = out.indexOf("Page size:");
            return at < 0 ? QByteArray("no page size") : out.mid(at, out.indexOf('\n', at) - at).simplified();
        };
        QCOMPARE(paper(letter), QByteArray("Page size: 612 x 792 pts (letter)"));
        // Without --page-size the paper is A4 (595.276 x 841.89 pts).
        QVERIFY2(paper(pdf).startsWith("Page size: 595") && paper(pdf).endsWith("(A4)"), paper(pdf).constData());
        // The extension is read without regard to case: .HTML is an HTML document, .Md a Markdown one.
        const QString upper = path("R.HTML"), mixed = path("r.Md");
        QCOMPARE(run({path("seg.csv"), "--report", upper}).code, 1);
        QCOMPARE(run({path("seg.csv"), "--report", mixed}).code, 1);
        QFile hu(upper), mm(mixed);
        QVERIFY(hu.open(QIODevice::ReadOnly) && mm.open(QIODevice::ReadOnly));
        QVERIFY(hu.readAll().startsWith("<!DOCTYPE html>"));
        QVERIFY(mm.readAll().startsWith("# SRM report: seg.csv\n"));
        // .htm is HTML too.
        const QString htm = path("r.htm");
        QCOMPARE(run({path("seg.csv"), "--report", htm}).code, 1);
        QFile hf(htm);
        QVERIFY(hf.open(QIODevice::ReadOnly) && hf.readAll().startsWith("<!DOCTYPE html>"));
        // .markdown is Markdown too.
        const QString markdown = path("r.markdown");
        QCOMPARE(run({path("seg.csv"), "--report", markdown}).code, 1);
        QFile mf(markdown);
        QVERIFY(mf.open(QIODevice::ReadOnly) && mf.readAll().startsWith("# SRM report: seg.csv\n"));
        // A wrong extension or paper is a usage error; nothing is written.
        Run bad = run({path("seg.csv"), "--report", path("r.docx")});
        QCOMPARE(bad.code, 64);
        QVERIFY(bad.err.contains("--report needs a file ending in .html, .pdf or .md"));
        QVERIFY(!QFile::exists(path("r.docx")));
        QCOMPARE(run({path("seg.csv"), "--report", html, "--page-size", "a5"}).code, 64);
        // A folder that does not exist: exit 74 with the reason, nothing on stdout.
        const Run missing = run({path("seg.csv"), "--report", path("no/such/dir/r.html")});
        QCOMPARE(missing.code, 74);
        QVERIFY2(missing.err.contains("cannot write the report") && missing.err.contains("No such file or directory"), missing.err.constData());
        QVERIFY(missing.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCliOptions)
#include "tst_cli_options.moc"
