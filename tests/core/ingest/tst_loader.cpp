#include "srm/analysis.hpp"
#include "srm/ingest.hpp"
#include "srm/simulate.hpp"
#include "srm/timeparse.hpp"
#include "testutil.hpp"

#include <QtTest>
#include <random>
#include <sstream>

using namespace srm;
using namespace srm::test;

class TestLoader : public QObject {
    Q_OBJECT

private slots:
    // A file whose distinct units would not fit: refused after its first
    // window, with the estimate and the way out (--print-sql); loaded when
    // the check is off or the memory is there.
    void a_file_too_large_for_the_memory_is_refused_before_loading()
    {
        std::string text = "timestamp,user_id,variant\n";
        for (int i = 0; i < 4000; ++i)
            text += "2026-03-01T00:00:" + std::string(i % 60 < 10 ? "0" : "") + std::to_string(i % 60) + "Z,u" + std::to_string(i) +
                    (i % 2 ? ",a\n" : ",b\n");
        srm::LoadOptions o;
        o.threads = 1;
        o.window_bytes = 16384;  // the first window holds a tenth of the file's units
        o.memory_available = 100000;
        try {
            srm::load_csv_memory(text, "big.csv", o);
            QFAIL("a file over the memory available was loaded");
        } catch (const srm::InputError& e) {
            // 588 units in the first window's whole records, 16,380 of the 114,916 bytes (14.25 %):
            // 588 / 0.14254 = 4,125 units at 2.5 x (8 + 16) + 11 = 71 bytes each, 292,888 bytes
            // (python3: stop = s.rfind('\n', 0, 16384) + 1; units = s[:stop].count('\n') - 1; units / (stop / len(s)) * 71)
            QCOMPARE(std::string(e.what()),
                     std::string("this file would need about 293 kB of memory for its about 4,125 distinct units (71 bytes each; estimated "
                                 "from the first 14.3 % of the input), and 100 kB are available. Aggregate it where it is stored: "
                                 "srm-check --print-sql ENGINE prints the query (see --help); or load it anyway with --no-memory-check."));
        }
        o.memory_check = false;
        QCOMPARE(srm::load_csv_memory(text, "big.csv", o).size(), std::size_t{4000});
        o.memory_check = true;
        o.memory_available = 4000 * 200;  // each unit costs 2.5 x (8 + 16) + 11 = 71 bytes here
        QCOMPARE(srm::load_csv_memory(text, "big.csv", o).size(), std::size_t{4000});
        o.memory_available = 4000 * 50;
        QVERIFY_THROWS_EXCEPTION(srm::InputError, srm::load_csv_memory(text, "big.csv", o));
    }

    // Small windows cut records at every window's end; a quoted line end as
    // the window's last byte does not end the record, and the sample that
    // finds the roles is not limited to the first window (fuzz finds).
    void small_windows_read_what_one_window_reads()
    {
        const std::string text = "time|unit_id|bucket|note\n"
                                 "2026-03-01T00:00:00Z|u1|a|\"multi\nline, a long note that runs past the window's end\"\n"
                                 "2026-03-01T00:00:01Z|u2|b|plain\n"
                                 "2026-03-01T00:00:02Z|u3|a|\"open\n";
        srm::LoadOptions one;
        one.threads = 1;
        const srm::Dataset whole = srm::load_csv_memory(text, "w.csv", one);
        QCOMPARE(whole.rows_read, std::uint64_t{3});
        QCOMPARE(whole.rows_rejected, std::uint64_t{1});  // the quote that never closes
        QCOMPARE(whole.size(), std::size_t{2});
        for (std::size_t window = 16; window < text.size(); window += 3) {
            srm::LoadOptions small = one;
            small.window_bytes = window;
            const srm::Dataset d = srm::load_csv_memory(text, "w.csv", small);
            QCOMPARE(d.rows_read, whole.rows_read);
            QCOMPARE(d.rows_rejected, whole.rows_rejected);
            QCOMPARE(d.size(), whole.size());
        }
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
        QTest::newRow("empty") << QByteArray() << "the file is empty";
        QTest::newRow("bom only") << QByteArray("\xEF\xBB\xBF") << "the file is empty (it holds only a UTF-8 byte order mark)";
        QTest::newRow("blank lines") << QByteArray("\n\n\r\n") << "the file has no data: it holds only blank lines";
        QTest::newRow("header only") << QByteArray("timestamp,user_id,variant\n") << "the file has a header but no data rows";
        // Either byte order's mark names the encoding (not only "NUL bytes").
        QTest::newRow("utf16 le") << QByteArray("\xFF\xFEt\0i\0m\0e\0", 10)
                                  << "the file is UTF-16 encoded; save it as UTF-8 (with or without BOM) and open it again";
        QTest::newRow("utf16 be") << QByteArray("\xFE\xFF\0t\0i\0m\0e", 10)
                                  << "the file is UTF-16 encoded; save it as UTF-8 (with or without BOM) and open it again";
        QTest::newRow("binary") << QByteArray("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0", 24)
                                << "the file contains NUL bytes: it is binary or UTF-16, not a UTF-8 CSV text file";
        // Control bytes without a NUL, past 1 % of the head: binary too.
        QTest::newRow("control bytes") << QByteArray(200, '\x01') << "the file is binary, not a CSV text file";
        QTest::newRow("damaged zip") << QByteArray("PK\x03\x04\0\0\x14\0binary", 14) << "the zip file is damaged: Truncated ZIP file header";
        QTest::newRow("no variant") << QByteArray("timestamp,user_id,page\n2026-03-01,u1,home\n")
                                    << "no usable variant column: none is named like a variant (variant, variation, arm, group, bucket, ...) or holds "
                                       "arm labels (control, treatment, ...); name it with --variant-col. The columns are: timestamp, user_id, page";
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
            QCOMPARE(QString(e.what()), message);
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
        // Without a unit column, a row of another event type is counted as
        // such and is no exposure: only the exposure rows are units.
        const auto noUnits = load_csv(f.write("events-no-units.csv",
                                              "time,variant,event\n"
                                              "2026-03-01T00:00:00Z,control,exposure\n"
                                              "2026-03-01T00:00:01Z,treatment,click\n"
                                              "2026-03-01T00:00:02Z,treatment,exposure\n"
                                              "2026-03-01T00:00:03Z,treatment,purchase\n"
                                              "2026-03-01T00:00:04Z,control,exposure\n"));
        QVERIFY(!noUnits.has_unit);
        QCOMPARE(noUnits.rows_other_events, 2u);
        QCOMPARE(noUnits.size(), std::size_t(3));
        QCOMPARE(per_variant(noUnits).at("control"), 2u);
        QCOMPARE(per_variant(noUnits).at("treatment"), 1u);
    }

    // A column named as the time that holds epoch seconds and a few values
    // that are no times: it is still the time, read as epoch seconds, and
    // each bad value rejects its own row (found by tests/cli/check_reader.py:
    // one bad value among the first rows used to drop the whole column as a
    // dimension of too many values).
    void epoch_times_with_a_bad_value_are_still_the_time()
    {
        Files f;
        std::string text = "variant|timestamp|browser\n";
        for (int i = 0; i < 300; ++i)
            text += std::string(i % 2 ? "b" : "a") + "|" + (i == 5 || i == 250 ? std::string("not a time") : std::to_string(1772323200 + 60 * i)) + "|Chrome\n";
        const auto ds = load_csv(f.write("epoch-bad.csv", text));
        QVERIFY(ds.has_time);
        QCOMPARE(QString::fromStdString(ds.columns[1].reason), QString("by name: epoch timestamps"));
        QCOMPARE(ds.size(), std::size_t(298));
        QCOMPARE(ds.rows_rejected, 2u);
        QCOMPARE(ds.errors.size(), std::size_t(2));
        QCOMPARE(ds.errors[0].line, 7u);
        QCOMPARE(ds.errors[1].line, 252u);
        QCOMPARE(QString::fromStdString(ds.errors[0].message), QString("unparsable time 'not a time'"));
        QCOMPARE(ds.first_time[0], std::int64_t(1772323200) * 1000000);
    }

    // The spellings of a missing value (empty, -, NA, N/A, NaN, null, none,
    // nil, any case) reject a row's unit id, each with its line; ids that
    // only start like one are ids.
    void missing_unit_ids_are_rejected()
    {
        Files f;
        std::string text = "user_id,variant\n";
        const char* ids[] = {"", "-", "NA", "n/a", "NaN", "NULL", "None", "nil", "Nadia", "na1", "-1", "nones", "u9"};
        for (std::size_t i = 0; i < std::size(ids); ++i) text += std::string(ids[i]) + (i % 2 ? ",control\n" : ",treatment\n");
        const auto ds = load_csv(f.write("na.csv", text));
        QCOMPARE(ds.rows_rejected, 8u);
        QCOMPARE(ds.size(), std::size_t(5));
        QStringList errors;
        for (const auto& e : ds.errors) errors << QString::number(e.line) + ": " + QString::fromStdString(e.message);
        QCOMPARE(errors, (QStringList{"2: empty unit id", "3: missing unit id '-'", "4: missing unit id 'NA'", "5: missing unit id 'n/a'",
                                      "6: missing unit id 'NaN'", "7: missing unit id 'NULL'", "8: missing unit id 'None'", "9: missing unit id 'nil'"}));
        QCOMPARE(per_variant(ds), (std::map<std::string, std::uint64_t>{{"control", 2}, {"treatment", 3}}));
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

    // The warehouse query's result: units assigned but never exposed come
    // with NULL (empty) dimensions. That is no value of the dimension: a
    // browser of exactly --max-dimension-values values stays in, and the
    // exposed units' values are the dictionary.
    void assigned_only_rows_add_no_dimension_value()
    {
        const std::string text = "first_exposure_time,variant,browser,srm_multi_variant,srm_assigned_variant,units\n"
                                 "1772323200,control,Chrome,0,control,40\n"
                                 "1772323200,treatment,Safari,0,treatment,35\n"
                                 ",,,0,treatment,5\n"
                                 ",,,0,control,2\n";
        LoadOptions o;
        o.max_dimension_values = 2;
        const auto ds = load_csv_memory(text, "agg.csv", o);
        QCOMPARE(ds.rows_rejected, std::uint64_t{0});
        QCOMPARE(ds.dimensions.size(), std::size_t{1});
        QVERIFY(!ds.dimensions[0].excluded);
        QCOMPARE(ds.dimensions[0].values, (std::vector<std::string>{"Chrome", "Safari"}));
        o.max_dimension_values = 1;
        QVERIFY(load_csv_memory(text, "agg.csv", o).dimensions[0].excluded);
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

    // A count is a whole number of units: written as an integer, with a
    // zero fraction or an exponent it is read; a fraction, a sign or a word
    // rejects its row with its line and the value.
    void aggregated_counts_are_whole_numbers()
    {
        Files f;
        const auto ds = load_csv(f.write("c.csv", "variant,country,users\n"
                                                 "control,DE,10\n"
                                                 "treatment,DE,10.0\n"
                                                 "control,FR,1e3\n"
                                                 "treatment,FR,10.5\n"
                                                 "control,US,-1\n"
                                                 "treatment,US,0.25\n"
                                                 "treatment,IT,many\n"
                                                 "treatment,ES, 7 \n"));
        QVERIFY(ds.shape == Shape::Aggregated);
        QCOMPARE(per_variant(ds), (std::map<std::string, std::uint64_t>{{"control", 1010}, {"treatment", 17}}));
        QCOMPARE(ds.rows_rejected, 4u);
        QStringList errors;
        for (const auto& e : ds.errors) errors << QString::number(e.line) + ": " + QString::fromStdString(e.message);
        QCOMPARE(errors, (QStringList{"5: count '10.5' is not a whole number of units (0 or more)",
                                      "6: count '-1' is not a whole number of units (0 or more)",
                                      "7: count '0.25' is not a whole number of units (0 or more)",
                                      "8: count 'many' is not a whole number of units (0 or more)"}));
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

QTEST_APPLESS_MAIN(TestLoader)
#include "tst_loader.moc"
