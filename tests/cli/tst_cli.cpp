// srm-check as a user runs it: the real binary, its output and exit codes.
#include "../core/stats/vectors.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

namespace {

struct Run {
    int code = -1;
    QString out;
    QString err;
};

Run run(const QStringList& args, const QString& program = QStringLiteral(SRM_CHECK_BIN))
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(60000)) qFatal("srm-check did not finish");
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

// Returns the validator's complaints; empty when the report is valid.
QString schema_errors(const QString& json)
{
    QProcess p;
    p.start(QStringLiteral(SRM_PYTHON), {QStringLiteral(SRM_VALIDATOR), QStringLiteral(SRM_SCHEMA)});
    p.write(json.toUtf8());
    p.closeWriteChannel();
    if (!p.waitForFinished(60000)) return "validator did not finish";
    if (p.exitCode() == 0) return {};
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
}

QString join_counts(const SrmVector& v, bool weights)
{
    QStringList parts;
    for (std::size_t i = 0; i < v.observed.size(); ++i)
        parts << QStringLiteral("v%1=%2").arg(i).arg(weights ? QString::number(v.weights[i], 'g', 17)
                                                               : QString::number(v.observed[i]));
    return parts.join(',');
}

bool close_rel(double a, double b, double rel)
{
    return a == b || std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b));
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void help_and_version()
    {
        const auto help = run({"--help"});
        QCOMPARE(help.code, 0);
        QVERIFY(help.out.contains("Usage: srm-check"));
        QVERIFY(help.out.contains("Exit codes"));
        const auto version = run({"--version"});
        QCOMPARE(version.code, 0);
        QVERIFY(version.out.startsWith("srm-check 0."));
    }

    void text_report_for_the_issue_example()
    {
        const auto r = run({"--counts", "control=821588,treatment=815482", "--expected", "control=50,treatment=50"});
        QCOMPARE(r.code, 1);  // SRM found
        QVERIFY(r.out.contains("VERDICT: Sample ratio mismatch (severe, p = 1.82e-06)"));
        QVERIFY(r.out.contains("chi-square = 22.7744, df = 1"));
        QVERIFY(r.out.contains(QRegularExpression("control\\s+821,588\\s+818535\\.0\\s+50\\.186 %\\s+50\\.000 %\\s+\\+0\\.186 pp")));
        QVERIFY(r.out.contains("Severity: severe"));
        QVERIFY(r.err.isEmpty());
    }

    void healthy_exit_code()
    {
        const auto r = run({"--counts", "a=502,b=498"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("VERDICT: No sample ratio mismatch"));
        QVERIFY(r.out.contains("equal split is assumed"));
    }

    void thresholds_are_configurable()
    {
        // 1010 vs 950: p = 0.175 -> healthy at 0.01, an alert at 0.2
        QCOMPARE(run({"--counts", "a=1010,b=950"}).code, 0);
        const auto r = run({"--counts", "a=1010,b=950", "--warn-alpha", "0.2", "--severe-alpha", "0.05"});
        QCOMPARE(r.code, 1);
        QVERIFY(r.out.contains("Severity: warn"));
    }

    // Each refusal's whole message: usage errors (64) with the hint, bad input (65) without.
    void usage_errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no input") << QStringList{} << "no input: give a FILE.csv or --counts NAME=N,...";
        QTest::newRow("unknown option") << QStringList{"--frobnicate"} << "unknown option '--frobnicate'";
        QTest::newRow("missing value") << QStringList{"--counts"} << "--counts needs a value";
        QTest::newRow("file and counts") << QStringList{"x.csv", "--counts", "a=1,b=2"} << "give either a FILE or --counts, not both";
        QTest::newRow("bad alpha") << QStringList{"--counts", "a=1,b=2", "--warn-alpha", "2"}
                                   << "--warn-alpha takes a probability between 0 and 1, not '2'";
        QTest::newRow("two files") << QStringList{"x.csv", "y.csv"} << "more than one input file given ('x.csv' and 'y.csv')";
        QTest::newRow("flag with value") << QStringList{"--json=yes", "--counts", "a=1,b=2"} << "--json takes no value";
        QTest::newRow("unknown control") << QStringList{"--counts", "a=10,b=12", "--control", "c"}
                                         << "--control names 'c', which is not a variant of the data; the variants are: a, b";
        QTest::newRow("window of counts") << QStringList{"--counts", "a=10,b=12", "--window", "2026-03-01,"}
                                          << "--changes, --allocation and --window need event-level data (a FILE), not --counts";
        QTest::newRow("table without a database") << QStringList{"--counts", "a=10,b=12", "--table", "t"} << "--table is for --print-sql and --db";
        QTest::newRow("window without a comma") << QStringList{"x.csv", "--window", "x"} << "--window takes START,END (either may be empty), not 'x'";
        QTest::newRow("window of neither end") << QStringList{"x.csv", "--window", ","} << "--window needs a START, an END or both";
        QTest::newRow("shape") << QStringList{"x.csv", "--shape", "foo"} << "--shape takes 'events' or 'aggregated', not 'foo'";
        QTest::newRow("report extension") << QStringList{"x.csv", "--report", "r.txt"}
                                          << "--report needs a file ending in .html, .pdf or .md, not 'r.txt'";
    }
    void usage_errors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto r = run(args);
        QCOMPARE(r.code, 64);
        QCOMPARE(r.err, "srm-check: " + message + "\nTry 'srm-check --help'.\n");
        QVERIFY(r.out.isEmpty());
    }

    void bad_input_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("single variant") << QStringList{"--counts", "a=10"}
                                        << "only one variant ('a') in the data, and no expected allocation names the others: give one with --expected";
        QTest::newRow("negative count") << QStringList{"--counts", "a=10,b=-3"} << "variant 'b' has a negative count";
        QTest::newRow("fractional count") << QStringList{"--counts", "a=10,b=3.5"} << "variant 'b' has a count that is not a whole number";
        QTest::newRow("not a number") << QStringList{"--counts", "a=10,b=lots"} << "--counts: 'lots' (for 'b') is not a number";
        QTest::newRow("no pairs") << QStringList{"--counts", "a,b"} << "--counts: 'a' is not of the form NAME=NUMBER";
        QTest::newRow("unknown expected") << QStringList{"--counts", "a=10,b=12", "--expected", "a=1,c=1"}
                                          << "the expected allocation names variant 'c', which has no count";
        QTest::newRow("negative weight") << QStringList{"--counts", "a=10,b=12", "--expected", "a=1,b=-1"}
                                         << "the expected allocation gives variant 'b' a negative or invalid weight";
        QTest::newRow("all zero") << QStringList{"--counts", "a=0,b=0"} << "no units were observed in any variant";
        QTest::newRow("duplicate") << QStringList{"--counts", "a=1,a=2"} << "--counts: variant 'a' is given twice";
        QTest::newRow("missing file") << QStringList{"/nonexistent/x.csv"} << "cannot open '/nonexistent/x.csv': No such file or directory";
    }
    void bad_input()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto r = run(args);
        QCOMPARE(r.code, 65);
        QCOMPARE(r.err, "srm-check: bad input: " + message + "\n");
    }

    // A line of 1 GiB (a file with no line ends, or a quote that never closes,
    // looks like this): refused at its line once it passes 256 MiB, with the
    // bad-input code, in seconds, holding at most a 512 MiB window of it.
    // Written out here (1 GiB on disk); sanitizer builds check the same limit
    // at 64 KiB in tst_sources.
    void a_line_of_one_gigabyte()
    {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
        QSKIP("the 1 GiB line runs in the optimised builds");
#endif
        QTemporaryDir dir;
        const QString path = dir.filePath("gigabyte.csv");
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("user_id,variant,timestamp\nu1,control,2026-03-01T00:00:00Z\nu2,");
            const QByteArray mib(1 << 20, 'x');
            for (int i = 0; i < 1024; ++i) QCOMPARE(f.write(mib), qint64(mib.size()));
            f.write(",2026-03-01T00:00:01Z\nu3,treatment,2026-03-01T00:00:02Z\n");
        }
        const auto r = run({path});
        QFile::remove(path);
        QCOMPARE(r.code, 65);
        QCOMPARE(r.err.trimmed(), QString("srm-check: bad input: %1:3: a record longer than 256 MiB (no line end where one was expected): "
                                          "this is not a CSV export, or a quote does not close").arg(path));
    }

    // An error of the header names its line too: line 1, or the line after
    // the blank lines that come before it.
    void header_errors_name_the_line_data()
    {
        QTest::addColumn<QByteArray>("leading");
        QTest::addColumn<int>("line");
        QTest::newRow("first line") << QByteArray() << 1;
        QTest::newRow("after two blank lines") << QByteArray("\n\r\n") << 3;
    }
    void header_errors_name_the_line()
    {
        QFETCH(QByteArray, leading);
        QFETCH(int, line);
        QTemporaryDir dir;
        const QString path = dir.filePath("header.csv");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(leading + "\"user_id,variant,timestamp\nu1,control,2026-03-01T00:00:00Z\n");
        f.close();
        const auto r = run({path});
        QCOMPARE(r.code, 65);
        QCOMPARE(r.err.trimmed(), QString("srm-check: bad input: %1:%2: the header row is malformed (a quote does not close)").arg(path).arg(line));
    }

    void counts_file_errors_name_the_line()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("counts.csv");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("variant,units\ncontrol,100\ntreatment,1x0\n");
        f.close();
        // --strict: the first bad row is fatal and named by its line.
        const auto strict = run({path, "--strict"});
        QCOMPARE(strict.code, 65);
        QVERIFY2(strict.err.contains(path + ":3:") && strict.err.contains("'1x0'"), qPrintable(strict.err));
        // Otherwise it is rejected, counted and listed; a rejected aggregated
        // row can hold many units, so the report says the input is the problem.
        const auto lenient = run({path, "--expected", "control=1,treatment=1", "--json"});
        QCOMPARE(lenient.code, 65);
        const auto report = QJsonDocument::fromJson(lenient.out.toUtf8()).object();
        QCOMPARE(report["health"].toObject()["state"].toString(), QStringLiteral("input_problem"));
        const auto in = report["input"].toObject();
        QCOMPARE(in["rejected_by_reason"].toObject()["bad_count"].toInt(), 1);
        QCOMPARE(in["rows_rejected"].toInt(), 1);
        QCOMPARE(in["errors"].toArray()[0].toObject()["line"].toInt(), 3);
        QVERIFY(in["errors"].toArray()[0].toObject()["message"].toString().contains("'1x0'"));
    }

    void bundled_sample()
    {
        const auto r = run({QStringLiteral(SRM_SOURCE_DIR "/resources/sample/exposures.csv"), "--expected", "control=50,treatment=50",
                            "--changes", QStringLiteral(SRM_SOURCE_DIR "/resources/sample/changes.csv")});
        QCOMPARE(r.code, 1);
        QVERIFY(r.out.contains("VERDICT: Sample ratio mismatch (severe"));
        QVERIFY(r.out.contains("It concentrates in browser = Safari"));
        QVERIFY(r.out.contains("Release 4.2.0"));
    }

    // srm-check reproduces every reference vector (../shared/reference) and our own.
    void reproduces_vectors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("index");
        for (const char* file : {"reference-srm-vectors.csv", "own-srm-vectors.csv"}) {
            const auto rows = read_vectors(std::string(SRM_TEST_DATA_DIR) + "/" + file);
            for (int i = 0; i < static_cast<int>(rows.size()); ++i)
                QTest::addRow("%s:%d", file, rows[i].line) << QString::fromLatin1(file) << i;
        }
    }
    void reproduces_vectors()
    {
        QFETCH(QString, file);
        QFETCH(int, index);
        const auto v = read_vectors(std::string(SRM_TEST_DATA_DIR) + "/" + file.toStdString())[index];
        const auto r = run({"--counts", join_counts(v, false), "--expected", join_counts(v, true), "--json"});
        QVERIFY2(r.code == 0 || r.code == 1, qPrintable(r.err));
        const auto j = QJsonDocument::fromJson(r.out.toUtf8()).object()["srm"].toObject();
        QVERIFY(close_rel(j["statistic"].toDouble(), v.chi_square, 1e-12));
        QCOMPARE(j["df"].toInt(), v.df);
        const double p = v.exact_p_value ? *v.exact_p_value : v.p_value;
        QVERIFY2(close_rel(j["p_value"].toDouble(), p, 1e-9), qPrintable(r.out));
        const double log10p = v.exact_p_value ? std::log10(*v.exact_p_value) : v.log10_p_value;
        QVERIFY(close_rel(j["log10_p_value"].toDouble(), log10p, 1e-9));
        QCOMPARE(j["test"].toString(), QString(v.exact_p_value ? "exact" : "chi_square"));
        const QString expected_severity = log10p < -3 ? "severe" : log10p < -2 ? "warn" : "ok";
        QCOMPARE(j["severity"].toString(), expected_severity);
        QCOMPARE(r.code, expected_severity == "ok" ? 0 : 1);
    }

    void json_validates_against_schema_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("severe") << QStringList{"--counts", "control=821588,treatment=815482"};
        QTest::newRow("healthy") << QStringList{"--counts", "a=502,b=498", "--expected", "a=1,b=1"};
        QTest::newRow("underflow") << QStringList{"--counts", "a=120000,b=80000"};
        QTest::newRow("exact") << QStringList{"--counts", "a=1,b=2,c=0,d=3"};
        QTest::newRow("unplanned") << QStringList{"--counts", "a=500,b=500,c=9", "--expected", "a=1,b=1"};
        QTest::newRow("practical") << QStringList{"--counts", "a=5005000,b=4995000", "--min-practical-pp", "0.5"};
        QTest::newRow("file") << QStringList{SRM_SOURCE_DIR "/resources/sample/exposures.csv"};
    }
    void json_validates_against_schema()
    {
        QFETCH(QStringList, args);
        const auto r = run(args << "--json");
        QVERIFY(r.code == 0 || r.code == 1);
        const QString errors = schema_errors(r.out);
        QVERIFY2(errors.isEmpty(), qPrintable(errors));
    }

    // A simulated deployment that breaks one browser, with its change log:
    // the whole reviewer's report, text and JSON.
    void diagnosis_of_an_exposure_export()
    {
        QTemporaryDir dir;
        const QString events = dir.filePath("events.csv"), changes = dir.filePath("changes.csv");
        const auto sim = run({"--scenario", "deployment_drop", "--users", "60000", "--seed", "3", "--out", events, "--changes", changes},
                             QStringLiteral(SRM_SIMULATE_BIN));
        QCOMPARE(sim.code, 0);
        const auto text = run({events, "--changes", changes});
        QCOMPARE(text.code, 1);
        for (const char* part : {"Step 1 - When did it start (time pattern): at_point", "Step 2 - Is it a symptom",
                                 "Step 3 - What changed then", "NEAR 2026-03-08T00:00:00Z", "Step 4 - Where does it concentrate",
                                 "1. browser = Safari", "Checklist:", "[pass] Units seen in more than one variant"})
            QVERIFY2(text.out.contains(part), part);
        const auto json = run({events, "--changes", changes, "--json"});
        QCOMPARE(json.code, 1);
        const QString errors = schema_errors(json.out);
        QVERIFY2(errors.isEmpty(), qPrintable(errors));
        const auto j = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QCOMPARE(j["time_pattern"]["kind"].toString(), QString("at_point"));
        QCOMPARE(j["ranked_segments"].toArray()[0].toObject()["value"].toString(), QString("Safari"));
        QCOMPARE(j["verdict"]["type"].toString(), QString("tracking"));
        QVERIFY(j["changes"].toArray()[2].toObject()["near_change_point"].toBool());
        QVERIFY(!j["sequential"]["first_alert_time"].isNull());
        QCOMPARE(j["input"]["columns"]["unit"].toString(), QString("user_id"));
    }

    void window_and_allocation_history()
    {
        QTemporaryDir dir;
        const QString events = dir.filePath("events.csv"), alloc = dir.filePath("alloc.csv");
        QCOMPARE(run({"--scenario", "allocation_change", "--users", "40000", "--seed", "5", "--out", events, "--allocation", alloc},
                     QStringLiteral(SRM_SIMULATE_BIN)).code, 0);
        const auto plain = run({events, "--json"});
        QCOMPARE(plain.code, 1);
        const auto phased = run({events, "--allocation", alloc, "--json"});
        QCOMPARE(phased.code, 0);
        const auto pj = QJsonDocument::fromJson(phased.out.toUtf8()).object();
        QCOMPARE(pj["srm"]["test"].toString(), QString("chi_square_phased"));
        QVERIFY(schema_errors(phased.out).isEmpty());
        // Before the change the split is the planned one: a window ending then is healthy,
        // and the report gives the whole span's p as well.
        const auto windowed = run({events, "--window", ",2026-03-07", "--json"});
        QCOMPARE(windowed.code, 0);
        const auto wj = QJsonDocument::fromJson(windowed.out.toUtf8()).object();
        QCOMPARE(wj["window"]["end"].toString(), QString("2026-03-07T23:59:59Z"));
        QVERIFY(wj["window"]["whole_span_srm"]["log10_p_value"].toDouble() < -3);
        QVERIFY(wj["input"]["rows_outside_window"].toInt() > 0);
        for (const auto& c : wj["checks"].toArray())
            if (c.toObject()["id"].toString() == "analysis_window") QCOMPARE(c.toObject()["status"].toString(), QString("warn"));
        QVERIFY(schema_errors(windowed.out).isEmpty());
        QCOMPARE(run({events, "--window", "2026-03-09,2026-03-01"}).code, 64);
        QCOMPARE(run({events, "--window", "yesterday,"}).code, 64);
        QCOMPARE(run({"--counts", "a=1,b=2", "--window", "2026-03-01,"}).code, 64);
        QCOMPARE(run({events, "--allocation", dir.filePath("missing.csv")}).code, 65);
    }

    // The validator really rejects a report that breaks the contract.
    void validator_rejects_broken_report()
    {
        auto doc = QJsonDocument::fromJson(run({"--counts", "a=10,b=12", "--json"}).out.toUtf8()).object();
        auto srm = doc["srm"].toObject();
        srm["severity"] = "catastrophic";
        doc["srm"] = srm;
        QVERIFY(!schema_errors(QString::fromUtf8(QJsonDocument(doc).toJson())).isEmpty());
    }

    // The project's copy of the contract is the shared one (when shared/ is beside the checkout).
    void schema_copy_matches_shared_contract()
    {
        QFile shared(QStringLiteral(SRM_SOURCE_DIR "/../shared/contracts/srm-report.schema.json"));
        if (!shared.exists()) QSKIP("../shared is not beside this checkout");
        QFile ours(QStringLiteral(SRM_SCHEMA));
        QVERIFY(shared.open(QIODevice::ReadOnly) && ours.open(QIODevice::ReadOnly));
        QCOMPARE(ours.readAll(), shared.readAll());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
