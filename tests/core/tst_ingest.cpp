// CSV ingestion: dialects, shapes, timestamps, bad rows with their line
// numbers, distinct-unit counting, and agreement with srm-simulate's truth.
#include "srm/analysis.hpp"
#include "srm/ingest.hpp"
#include "record_scanner_internal.hpp"
#include "srm/simulate.hpp"
#include "srm/timeparse.hpp"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

using namespace srm;

namespace {

class Files {
public:
    std::string write(const std::string& name, const std::string& bytes)
    {
        const std::string path = dir_.filePath(QString::fromStdString(name)).toStdString();
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    }

private:
    QTemporaryDir dir_;
};

std::map<std::string, std::uint64_t> per_variant(const Dataset& ds)
{
    std::map<std::string, std::uint64_t> out;
    for (std::size_t i = 0; i < ds.size(); ++i)
        if (ds.flags[i] & kExposed) out[ds.variants[ds.variant[i]]] += ds.weight_of(i);
    return out;
}

std::map<std::string, std::map<std::string, std::uint64_t>> per_dim(const Dataset& ds, const std::string& dim)
{
    std::size_t d = 0;
    while (ds.dimensions[d].name != dim) ++d;
    std::map<std::string, std::map<std::string, std::uint64_t>> out;
    for (std::size_t i = 0; i < ds.size(); ++i)
        if (ds.flags[i] & kExposed)
            out[ds.variants[ds.variant[i]]][ds.dimensions[d].values[ds.dim(i, d)]] += ds.weight_of(i);
    return out;
}

std::map<std::string, std::map<std::string, std::uint64_t>> per_day(const Dataset& ds)
{
    std::map<std::string, std::map<std::string, std::uint64_t>> out;
    for (std::size_t i = 0; i < ds.size(); ++i) {
        if (!(ds.flags[i] & kExposed)) continue;
        const std::int64_t s = ds.first_time[i] / 1000000;
        const std::int64_t day = s >= 0 ? s / 86400 : (s - 86399) / 86400;
        char buf[16];
        const std::string iso = [&] {
            std::tm tm{};
            const time_t t = static_cast<time_t>(day * 86400);
            gmtime_r(&t, &tm);
            std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
            return std::string(buf);
        }();
        out[ds.variants[ds.variant[i]]][iso] += ds.weight_of(i);
    }
    return out;
}

const std::string kBasic =
    "timestamp,user_id,variant,browser\n"
    "2026-03-01T10:00:00Z,u1,control,Chrome\n"
    "2026-03-01T10:01:00Z,u2,treatment,Safari\n"
    "2026-03-01T10:02:00Z,u3,control,Chrome\n"
    "2026-03-01T10:03:00Z,u1,control,Chrome\n"
    "2026-03-01T10:04:00Z,u4,treatment,Firefox\n";

std::string with_delimiter(std::string text, char d)
{
    for (auto& c : text)
        if (c == ',') c = d;
    return text;
}

std::string with_line_end(const std::string& text, const std::string& end)
{
    std::string out;
    for (char c : text) {
        if (c == '\n') out += end;
        else out += c;
    }
    return out;
}

}  // namespace

class TestIngest : public QObject {
    Q_OBJECT

private slots:
    // Values: /usr/bin/python3 -c "import datetime as d; t=d.datetime.fromisoformat(S); print(int(t.timestamp())*10**6+t.microsecond)"
    void timestamps_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("us");
        QTest::newRow("iso Z") << "2026-03-01T12:34:56Z" << qint64(1772368496000000);
        QTest::newRow("iso frac") << "2026-03-01T12:34:56.789Z" << qint64(1772368496789000);
        QTest::newRow("iso frac us") << "2026-03-01T12:34:56.123456+00:00" << qint64(1772368496123456);
        QTest::newRow("iso frac 1 us") << "2026-03-01T12:34:56.000001Z" << qint64(1772368496000001);
        QTest::newRow("iso frac 1 digit") << "2026-03-01 12:34:56.1Z" << qint64(1772368496100000);
        // Python's fromisoformat stops at microseconds; nanoseconds are truncated to them.
        QTest::newRow("iso frac ns") << "2026-03-01T12:34:56.123456789Z" << qint64(1772368496123456);
        QTest::newRow("iso space") << "2026-03-01 12:34:56" << qint64(1772368496000000);
        QTest::newRow("iso space UTC") << "2026-03-01 12:34:56 UTC" << qint64(1772368496000000);
        QTest::newRow("offset") << "2026-03-01T14:34:56+02:00" << qint64(1772368496000000);
        QTest::newRow("offset compact") << "2026-03-01T14:34:56+0200" << qint64(1772368496000000);
        QTest::newRow("negative offset frac") << "2026-02-28T23:59:59.5-05:00" << qint64(1772341199500000);
        QTest::newRow("date") << "2026-03-01" << qint64(1772323200000000);
        QTest::newRow("slash date") << "2026/03/01" << qint64(1772323200000000);
        QTest::newRow("leap day") << "2024-02-29T00:00:00Z" << qint64(1709164800000000);
        QTest::newRow("before epoch") << "1969-12-31T23:59:59Z" << qint64(-1000000);
        QTest::newRow("epoch s") << "1772368496" << qint64(1772368496000000);
        QTest::newRow("epoch s frac") << "1772368496.25" << qint64(1772368496250000);
        QTest::newRow("epoch ms") << "1772368496789" << qint64(1772368496789000);
        QTest::newRow("epoch us") << "1772368496789123" << qint64(1772368496789123);
        QTest::newRow("epoch ns") << "1772368496789123456" << qint64(1772368496789123);
        QTest::newRow("spaces") << "  2026-03-01T12:34:56Z " << qint64(1772368496000000);
    }
    void timestamps()
    {
        QFETCH(QString, text);
        QFETCH(qint64, us);
        const auto t = parse_timestamp(text.toStdString());
        QVERIFY(t.has_value());
        QCOMPARE(*t, us);
    }

    void bad_timestamps()
    {
        for (const char* s : {"", "yesterday", "2026-13-01", "2026-02-30", "2026-03-01T25:00:00Z", "2026-03-01T10:00Z+",
                              "03/01/2026", "2026-03-01T10:00:00 CET", "12:00", "1e9"})
            QVERIFY2(!parse_timestamp(s).has_value(), s);
    }

    // Rows in the same hour reuse the parsed hour; the rest must still be checked.
    void timestamps_in_the_same_hour()
    {
        QCOMPARE(*parse_timestamp("2026-03-01T12:34:56Z"), qint64(1772368496000000));
        QCOMPARE(*parse_timestamp("2026-03-01T12:00:01.5Z"), qint64(1772366401500000));
        QVERIFY(!parse_timestamp("2026-03-01T12:7x:00Z").has_value());
        QVERIFY(!parse_timestamp("2026-03-01T12:61:00Z").has_value());
        QVERIFY(!parse_timestamp("2026-03-01T12:34:56Q").has_value());
        QCOMPARE(*parse_timestamp("2026-03-01T12:34:56+02:00"), qint64(1772361296000000));
        QCOMPARE(*parse_timestamp("2026-03-01T13:00:00Z"), qint64(1772370000000000));
    }

    void delimiters()
    {
        Files f;
        for (char d : {',', ';', '\t', '|'}) {
            const auto ds = load_csv(f.write("d.csv", with_delimiter(kBasic, d)));
            QCOMPARE(ds.dialect.delimiter, d);
            QCOMPARE(ds.rows_read, 5u);
            QCOMPARE(ds.size(), std::size_t(4));
            QCOMPARE(per_variant(ds)["control"], 2u);
            QCOMPARE(per_variant(ds)["treatment"], 2u);
        }
    }

    void line_ends_and_bom()
    {
        Files f;
        const std::string bad = kBasic + "not-a-time,u9,control,Chrome\n2026-03-01T10:05:00Z,u5,control,Edge\n";
        for (const std::string end : {"\n", "\r\n", "\r"}) {
            for (bool bom : {false, true}) {
                const auto ds = load_csv(f.write("e.csv", (bom ? "\xEF\xBB\xBF" : "") + with_line_end(bad, end)));
                QCOMPARE(ds.dialect.line_end, std::string(end == "\n" ? "LF" : end == "\r\n" ? "CRLF" : "CR"));
                QCOMPARE(ds.dialect.encoding, std::string(bom ? "utf-8 with BOM" : "utf-8"));
                QCOMPARE(ds.dialect.header, true);
                QCOMPARE(ds.mapping().variant, std::string("variant"));
                QCOMPARE(ds.size(), std::size_t(5));
                QCOMPARE(ds.rows_rejected, 1u);
                QCOMPARE(ds.errors.at(0).line, 7u);
            }
        }
    }

    void quoting_and_physical_lines()
    {
        Files f;
        const std::string text =
            "timestamp,user_id,variant,browser,note\n"           // 1
            "2026-03-01T10:00:00Z,u1,control,\"Chrome\",\"a, b\"\n"  // 2
            "2026-03-01T10:00:00Z,u2,\"treat\"\"ment\",Safari,\"two\n"  // 3
            "lines\"\n"                                            // 4
            "2026-03-01T10:00:00Z,u3,control,Chrome,x,extra\n"    // 5: bad field count
            "2026-03-01T10:00:00Z,u4,control,\"Chr\"ome,x\n"      // 6: text after a closing quote
            "2026-03-01T10:00:00Z,u5,,Chrome,x\n"                 // 7: empty variant
            "\n"                                                   // 8: blank
            "2026-03-01T10:00:00Z,u6,control,Chrome,\"open\n"     // 9: unterminated to the end
            "2026-03-01T10:00:00Z,u7,control,Chrome,x\n";
        const auto ds = load_csv(f.write("q.csv", text));
        QCOMPARE(ds.rows_read, 6u);
        QCOMPARE(ds.rows_rejected, 4u);
        QCOMPARE(ds.blank_lines, 1u);
        QCOMPARE(ds.errors.size(), std::size_t(4));
        QCOMPARE(ds.errors[0].line, 5u);
        QVERIFY(ds.errors[0].message.find("expected 5 fields, found 6") != std::string::npos);
        QCOMPARE(ds.errors[1].line, 6u);
        QVERIFY(ds.errors[1].message.find("quote") != std::string::npos);
        QCOMPARE(ds.errors[2].line, 7u);
        QCOMPARE(ds.errors[2].message, std::string("empty variant"));
        QCOMPARE(ds.errors[3].line, 9u);
        QVERIFY(ds.errors[3].message.find("unterminated quote") != std::string::npos);
        const auto counts = per_variant(ds);
        QCOMPARE(counts.at("control"), 1u);
        QCOMPARE(counts.at("treat\"ment"), 1u);
    }

    void strict_stops_at_first_bad_row()
    {
        Files f;
        const auto path = f.write("s.csv", kBasic + "bad,u9,control,Chrome\n" + "2026-03-01T10:05:00Z,u5,,Edge\n");
        LoadOptions o;
        o.strict = true;
        try {
            load_csv(path, o);
            QFAIL("no error");
        } catch (const InputError& e) {
            QCOMPARE(e.line(), 7u);
            QVERIFY(std::string(e.what()).find("unparsable time 'bad'") != std::string::npos);
        }
    }

    void unusable_files_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray() << "empty";
        QTest::newRow("bom only") << QByteArray("\xEF\xBB\xBF") << "empty";
        QTest::newRow("blank lines") << QByteArray("\n\n\r\n") << "only blank lines";
        QTest::newRow("header only") << QByteArray("timestamp,user_id,variant\n") << "header but no data rows";
        QTest::newRow("utf16") << QByteArray("\xFF\xFEt\0i\0m\0e\0", 10) << "UTF-16";
        QTest::newRow("binary") << QByteArray("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0", 24) << "binary";
        QTest::newRow("damaged zip") << QByteArray("PK\x03\x04\0\0\x14\0binary", 14) << "zip file is damaged";
        QTest::newRow("no variant") << QByteArray("timestamp,user_id,page\n2026-03-01,u1,home\n") << "no usable variant column";
        QTest::newRow("unknown column option") << QByteArray("x") << "";
    }
    void unusable_files()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        if (message.isEmpty()) {
            Files f;
            LoadOptions o;
            o.unit_col = "nope";
            QVERIFY_THROWS_EXCEPTION(InputError, load_csv(f.write("u.csv", kBasic), o));
            return;
        }
        Files f;
        try {
            load_csv(f.write("bad.csv", bytes.toStdString()));
            QFAIL("no error");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    void single_variant_needs_an_allocation()
    {
        Files f;
        const auto ds = load_csv(f.write("one.csv", "variant,user_id\ncontrol,u1\ncontrol,u2\n"));
        QVERIFY_THROWS_EXCEPTION(InputError, variant_counts(ds, std::nullopt));
        // With an allocation naming the other variant, it is the most severe SRM: tested with 0.
        const auto v = variant_counts(ds, std::vector<std::pair<std::string, double>>{{"control", 1}, {"treatment", 1}});
        QCOMPARE(v.size(), std::size_t(2));
        QCOMPARE(v[1].name, std::string("treatment"));
        QCOMPARE(v[1].observed, 0u);
    }

    void first_exposure_and_jumping()
    {
        Files f;
        // u1's earliest exposure (treatment) is written after a later control one.
        const auto ds = load_csv(f.write("j.csv",
                                         "ts,user_id,variant,browser\n"
                                         "2026-03-02T00:00:00Z,u1,control,Chrome\n"
                                         "2026-03-01T00:00:00Z,u1,treatment,Safari\n"
                                         "2026-03-01T00:00:00Z,u2,control,Chrome\n"
                                         "2026-03-03T00:00:00Z,u2,control,Chrome\n"));
        QCOMPARE(ds.size(), std::size_t(2));
        const auto counts = per_variant(ds);
        QCOMPARE(counts.at("treatment"), 1u);
        QCOMPARE(counts.at("control"), 1u);
        int jumped = 0;
        for (std::size_t i = 0; i < ds.size(); ++i) {
            jumped += (ds.flags[i] & kJumped) ? 1 : 0;
            if (ds.variants[ds.variant[i]] == "treatment") {
                QCOMPARE(ds.first_time[i], 1772323200000000LL);
                QCOMPARE(ds.dimensions[0].values[ds.dim(i, 0)], std::string("Safari"));
            }
        }
        QCOMPARE(jumped, 1);
    }

    void event_types_and_rows_as_units()
    {
        Files f;
        const auto ds = load_csv(f.write("ev.csv",
                                         "time,user_id,variant,event_type\n"
                                         "2026-03-01T00:00:00Z,u1,control,assignment\n"
                                         "2026-03-01T00:00:01Z,u1,control,exposure\n"
                                         "2026-03-01T00:00:00Z,u2,treatment,$assignment\n"
                                         "2026-03-01T00:00:02Z,u2,treatment,page_click\n"));
        QCOMPARE(ds.rows_other_events, 1u);
        int assigned = 0, exposed = 0;
        for (std::size_t i = 0; i < ds.size(); ++i) {
            assigned += (ds.flags[i] & kAssigned) ? 1 : 0;
            exposed += (ds.flags[i] & kExposed) ? 1 : 0;
        }
        QCOMPARE(assigned, 2);
        QCOMPARE(exposed, 1);
        // Without a unit column every row is a unit.
        const auto rows = load_csv(f.write("rows.csv", "variant,browser\ncontrol,Chrome\ncontrol,Chrome\ntreatment,Safari\n"));
        QVERIFY(!rows.has_unit);
        QCOMPARE(per_variant(rows).at("control"), 2u);
    }

    void roles_by_name_content_and_option()
    {
        Files f;
        const auto ds = load_csv(f.write("r.csv",
                                         "event_time,device_id,arm,platform,crashed,latency_ms,ua\n"
                                         "2026-03-01T00:00:00Z,d1,A,ios,0,120.5,Mozilla/5.0 (1)\n"
                                         "2026-03-01T00:00:00Z,d2,B,android,1,98,Mozilla/5.0 (2)\n"
                                         "2026-03-01T00:00:00Z,d3,A,ios,0,77,Mozilla/5.0 (3)\n"
                                         "2026-03-01T00:00:00Z,d4,B,ios,0,80,Mozilla/5.0 (4)\n"));
        const auto m = ds.mapping();
        QCOMPARE(*m.time, std::string("event_time"));
        QCOMPARE(*m.unit, std::string("device_id"));
        QCOMPARE(m.variant, std::string("arm"));
        QCOMPARE(m.dimensions, std::vector<std::string>{"platform"});
        QCOMPARE(m.metrics, (std::vector<std::string>{"crashed", "latency_ms"}));
        QVERIFY(ds.metrics[0].binary);
        QVERIFY(!ds.metrics[1].binary);
        QCOMPARE(ds.columns[6].role, Role::Ignore);
        LoadOptions o;
        o.variant_col = "platform";
        o.dimensions = std::vector<std::string>{"arm"};
        const auto forced = load_csv(f.write("r.csv", "event_time,device_id,arm,platform\n2026-03-01,d1,A,ios\n2026-03-01,d2,B,android\n"), o);
        QCOMPARE(forced.mapping().variant, std::string("platform"));
        QCOMPARE(forced.mapping().dimensions, std::vector<std::string>{"arm"});
    }

    void no_header()
    {
        Files f;
        LoadOptions o;
        o.variant_col = "column_3";
        const auto ds = load_csv(f.write("nh.csv", "2026-03-01T00:00:00Z,u1,control\n2026-03-01T00:00:00Z,u2,treatment\n"), o);
        QVERIFY(!ds.dialect.header);
        QCOMPARE(ds.rows_read, 2u);
        QCOMPARE(per_variant(ds).at("control"), 1u);
    }

    void high_cardinality_dimension_is_left_out()
    {
        Files f;
        std::string text = "user_id,variant,city\n";
        for (int i = 0; i < 40; ++i) text += "u" + std::to_string(i) + (i % 2 ? ",control," : ",treatment,") + "c" + std::to_string(i % 8) + "\n";
        LoadOptions o;
        o.max_dimension_values = 5;
        o.dimensions = std::vector<std::string>{"city"};
        const auto ds = load_csv(f.write("hc.csv", text), o);
        QVERIFY(ds.dimensions[0].excluded);
        QCOMPARE(ds.size(), std::size_t(40));
        o.max_dimension_values = 8;
        QVERIFY(!load_csv(f.write("hc.csv", text), o).dimensions[0].excluded);
    }

    // Variant and dimension values are looked up once per combination of
    // their raw text: padded spellings of one value still count as that
    // value, and a dimension past its cap is still left out.
    void combinations_of_values_count_like_single_values()
    {
        Files f;
        std::string text = "user_id,variant,browser,city\n";
        const char* spellings[] = {"control,Chrome,", " control ,Chrome,", "control, Chrome ,", "treatment,Safari,"};
        for (int i = 0; i < 4000; ++i)
            text += "u" + std::to_string(i) + "," + spellings[i % 4] + "c" + std::to_string(i % 7) + "\n";
        const auto path = f.write("combo.csv", text);
        LoadOptions o;
        o.chunk_bytes = 4096;  // many chunks, each with its own cache
        const auto ds = load_csv(path, o);
        QCOMPARE(ds.size(), std::size_t(4000));
        QCOMPARE(per_variant(ds), (std::map<std::string, std::uint64_t>{{"control", 3000}, {"treatment", 1000}}));
        const auto browsers = per_dim(ds, "browser");
        QCOMPARE(browsers.at("control").at("Chrome"), std::uint64_t(3000));
        QCOMPARE(browsers.at("treatment").at("Safari"), std::uint64_t(1000));
        QCOMPARE(ds.dimensions[0].values.size(), std::size_t(2));
        std::uint64_t c6 = 0;
        for (const auto& [variant, cities] : per_dim(ds, "city")) c6 += cities.count("c6") ? cities.at("c6") : 0;
        QCOMPARE(c6, std::uint64_t(571));  // i % 7 == 6 for 571 of 4000
        o.max_dimension_values = 5;  // city has 7 values
        const auto capped = load_csv(path, o);
        QVERIFY(capped.dimensions[1].excluded);
        QVERIFY(!capped.dimensions[0].excluded);
        QCOMPARE(per_dim(capped, "browser"), browsers);
    }

    // Combinations that hardly repeat switch the combination cache off
    // part-way through a chunk; the counts stay exact.
    void rare_combinations_count_exactly()
    {
        std::mt19937 rng(7);
        std::string text = "user_id,variant,a,b,c\n";
        std::map<std::string, std::map<std::string, std::uint64_t>> expect_b;
        for (int i = 0; i < 20000; ++i) {
            const std::string v = rng() % 2 ? "control" : "treatment";
            const std::string b = "b" + std::to_string(rng() % 150);
            text += "u" + std::to_string(i) + "," + v + ",a" + std::to_string(rng() % 150) + "," + b + ",c" +
                    std::to_string(rng() % 150) + "\n";
            ++expect_b[v][b];
        }
        Files f;
        LoadOptions o;
        o.chunk_bytes = 1 << 22;  // one chunk: past the cache's trial of 4096 lookups
        const auto ds = load_csv(f.write("rare.csv", text), o);
        QCOMPARE(ds.size(), std::size_t(20000));
        QCOMPARE(per_dim(ds, "b"), expect_b);
    }

    // The same simulated experiment in every dialect gives the numbers it was built with.
    void simulated_truth_in_every_dialect_data()
    {
        QTest::addColumn<int>("variant");
        for (int i = 0; i < 9; ++i) QTest::addRow("%d", i) << i;
    }
    void simulated_truth_in_every_dialect()
    {
        QFETCH(int, variant);
        SimulationSpec spec;
        spec.users = 3000;
        spec.seed = 11 + static_cast<std::uint64_t>(variant);
        spec.scenario = variant % 2 ? Scenario::DeploymentDrop : Scenario::VariantJumping;
        switch (variant) {
        case 1: spec.delimiter = ';'; break;
        case 2: spec.delimiter = '\t'; spec.crlf = true; break;
        case 3: spec.delimiter = '|'; spec.bom = true; break;
        case 4: spec.quote_all = true; spec.time_format = TimeFormat::EpochMillis; break;
        case 5: spec.time_format = TimeFormat::IsoOffset; break;
        case 6: spec.time_format = TimeFormat::IsoSpaceUtc; spec.event_type = true; break;
        case 7: spec.time_format = TimeFormat::EpochMicros; spec.crlf = true; break;
        case 8: spec.time_format = TimeFormat::EpochSeconds; break;
        default: break;
        }
        std::ostringstream csv;
        const auto truth = simulate(spec, csv);
        Files f;
        const auto ds = load_csv(f.write("sim.csv", csv.str()));
        QCOMPARE(ds.rows_rejected, 0u);
        QCOMPARE(ds.rows_read, truth.rows);
        const auto counts = per_variant(ds);
        for (const auto& [name, n] : truth.units_per_variant) QCOMPARE(counts.count(name) ? counts.at(name) : 0, n);
        QCOMPARE(per_dim(ds, "browser"), truth.units_per_browser);
        if (spec.time_format != TimeFormat::EpochSeconds) QCOMPARE(per_day(ds), truth.units_per_day);
        std::uint64_t jumpers = 0;
        for (std::size_t i = 0; i < ds.size(); ++i) jumpers += (ds.flags[i] & kJumped) ? 1 : 0;
        QCOMPARE(jumpers, truth.jumpers);
    }

    // Events and the aggregated counts of the same experiment: same SRM.
    void aggregated_equals_events()
    {
        SimulationSpec spec;
        spec.users = 5000;
        spec.seed = 5;
        spec.scenario = Scenario::BucketingDefect;
        std::ostringstream events, counts;
        simulate(spec, events);
        simulate_aggregated(spec, counts);
        Files f;
        AnalysisRequest a, b;
        a.file = f.write("events.csv", events.str());
        b.file = f.write("counts.csv", counts.str());
        const auto ra = analyse(a), rb = analyse(b);
        QCOMPARE(std::string(to_string(rb.input.shape)), std::string("aggregated"));
        QCOMPARE(std::string(to_string(ra.input.shape)), std::string("events"));
        QCOMPARE(ra.srm.units, rb.srm.units);
        QCOMPARE(ra.srm.statistic, rb.srm.statistic);
        QCOMPARE(ra.srm.p_value, rb.srm.p_value);
        const auto da = load_csv(*a.file), db = load_csv(*b.file);
        QCOMPARE(per_dim(da, "country"), per_dim(db, "country"));
        QCOMPARE(per_day(da), per_day(db));
    }

    // Tiny chunks put quoted newlines and CRLF pairs across chunk boundaries:
    // the parallel reader must agree with a single-threaded one exactly.
    void record_scanner_agrees_with_parse_record()
    {
        // Random records around the scanner's 64-byte blocks: plain ones of
        // every length, fields quoted as a whole (with delimiters inside, or
        // empty), and ones it must leave to parse_record (doubled quotes,
        // line breaks inside quotes, text after a closing quote, a quote
        // inside a field, blank lines, a lone CR, too many or too few fields).
        std::mt19937 rng(20261123);
        auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
        const std::string plain = "abcxyz0123456789 -_.:";
        for (char delim : {',', ';', '\t'}) {
            std::string text;
            for (int r = 0; r < 6000; ++r) {
                const int kind = pick(24);
                const int fields = kind == 0 ? 2 : kind == 1 ? 4 : 3;
                for (int f = 0; f < fields; ++f) {
                    if (f) text += delim;
                    const int len = pick(4) == 0 ? pick(90) : pick(12);
                    std::string value;
                    for (int i = 0; i < len; ++i) value += plain[static_cast<std::size_t>(pick(static_cast<int>(plain.size())))];
                    const bool quoted = kind >= 10 && pick(2) == 0;
                    if (quoted && kind == 10) value.insert(value.size() / 2, 1, delim);           // delimiter inside
                    if (quoted && kind == 11) value.insert(value.size() / 2, "\"\"");             // doubled quote
                    if (quoted && kind == 12) value.insert(value.size() / 2, "\n");               // line break inside
                    if (quoted && kind == 13) value.clear();                                     // empty
                    text += quoted ? "\"" + value + "\"" + (kind == 14 ? "x" : "") : value;    // 14: text after it
                    if (kind == 2 && f == 1) text += "\"q\"";
                    if (kind == 3 && f == 0) text = text + '"' + "in" + delim + "side" + '"';
                }
                text += kind == 4 ? "\r\n" : kind == 5 ? "\r" : kind == 6 ? "\n\n" : "\n";
            }
            Dialect d;
            d.delimiter = delim;
            const char* end = text.data() + text.size();
            RecordScanner scanner(d, end);
            Record rec;
            std::vector<std::string_view> fields(3);
            std::size_t taken = 0, left = 0, quoted_taken = 0;
            for (const char* p = text.data(); p < end;) {
                const char* expect = parse_record(p, end, d, rec);
                if (const char* next = scanner.scan(p, fields.data(), 3)) {
                    ++taken;
                    if (std::string_view(p, static_cast<std::size_t>(next - p)).find('"') != std::string_view::npos) ++quoted_taken;
                    QCOMPARE(static_cast<const void*>(next), static_cast<const void*>(expect));
                    QVERIFY(!rec.blank && rec.problem == Record::Problem::None);
                    QCOMPARE(rec.fields.size(), std::size_t(3));
                    for (std::size_t f = 0; f < 3; ++f) QCOMPARE(fields[f], rec.fields[f]);
                } else {
                    ++left;
                }
                p = expect;
            }
            QVERIFY(taken > 3500);  // the fast path is really taken
            QVERIFY(left > 1000);   // and the odd records really left to parse_record
            QVERIFY(quoted_taken > 1000);  // including records with quoted fields
        }
    }

    void parallel_chunks_agree_with_sequential()
    {
        std::string text = "timestamp,user_id,variant,browser,comment\r\n";
        for (int i = 0; i < 600; ++i) {
            text += "2026-03-01T00:" + std::string(i % 60 < 10 ? "0" : "") + std::to_string(i % 60) + ":00Z,u" +
                    std::to_string(i % 250) + "," + (i % 3 ? "control" : "treatment") + "," + (i % 5 ? "Chrome" : "Safari") +
                    ",\"line one\r\nline \"\"two\"\", end\"\r\n";
            if (i % 97 == 0) text += "broken,row\r\n";
        }
        Files f;
        const auto path = f.write("par.csv", text);
        LoadOptions seq;
        seq.threads = 1;
        const auto a = load_csv(path, seq);
        QCOMPARE(a.rows_rejected, 7u);
        for (std::size_t chunk : {7u, 64u, 101u, 4096u}) {
            LoadOptions par;
            par.threads = 2;
            par.chunk_bytes = chunk;
            const auto b = load_csv(path, par);
            QCOMPARE(b.rows_read, a.rows_read);
            QCOMPARE(b.rows_rejected, a.rows_rejected);
            QCOMPARE(b.errors.size(), a.errors.size());
            for (std::size_t i = 0; i < a.errors.size(); ++i) QCOMPARE(b.errors[i].line, a.errors[i].line);
            QCOMPARE(per_variant(b), per_variant(a));
            QCOMPARE(per_dim(b, "browser"), per_dim(a, "browser"));
        }
        QCOMPARE(a.errors[0].line, 4u);  // header 1, first record 2-3, the broken row 4
    }

    void progress_and_cancel()
    {
        SimulationSpec spec;
        spec.users = 20000;
        std::ostringstream csv;
        simulate(spec, csv);
        Files f;
        const auto path = f.write("p.csv", csv.str());
        LoadOptions o;
        o.chunk_bytes = 1 << 14;
        std::vector<double> seen;
        o.progress = [&](double x) { seen.push_back(x); };
        load_csv(path, o);
        QVERIFY(seen.size() > 3);
        QCOMPARE(seen.back(), 1.0);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        std::atomic<bool> cancel{false};
        o.progress = [&](double x) {
            if (x > 0.2) cancel = true;
        };
        o.cancel = &cancel;
        QVERIFY_THROWS_EXCEPTION(Cancelled, load_csv(path, o));
    }
};

QTEST_APPLESS_MAIN(TestIngest)
#include "tst_ingest.moc"
