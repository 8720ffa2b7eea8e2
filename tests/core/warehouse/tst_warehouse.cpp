// The warehouse query's text (srm-check --print-sql) and the aggregated
// reader of its result's columns. That the query gives the same diagnosis as
// the events it sums is shown on real engines by check_engines.py; here, the
// rules that hold whatever the engine: quoting, names refused, the window's
// bounds, each dialect's bucket, and the result's flags read exactly.
#include "srm/analysis.hpp"
#include "srm/cli.hpp"
#include "srm/ingest.hpp"
#include "srm/warehouse.hpp"
#include "testutil.hpp"

#include <QtTest>
#include <sstream>

using namespace srm;

namespace {

AggregationQuery query(SqlEngine e)
{
    AggregationQuery q;
    q.engine = e;
    q.table = "analytics.events";
    q.unit = "user_id";
    q.variant = "variant";
    q.time = "ts";
    q.dimensions = {"browser"};
    return q;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

int cli(const std::vector<std::string>& args, std::string* out = nullptr, std::string* err = nullptr)
{
    std::ostringstream o, e;
    const int rc = run_srm_check(args, o, e);
    if (out) *out = o.str();
    if (err) *err = e.str();
    return rc;
}

const std::vector<std::string> kSqlArgs = {"--print-sql", "postgresql", "--table", "events", "--unit-col", "user_id",
                                           "--variant-col", "variant", "--time-col", "ts"};

}  // namespace

class TestWarehouse : public QObject {
    Q_OBJECT

private slots:
    // Database URLs: every part read (percent-decoded), the display without
    // the password; each unusable URL refused with its message.
    void database_urls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("parts");  // engine|host|port|user|password|database|display, or "error: message"
        QTest::newRow("full") << "postgresql://ana:s%40cret@db.example.com:6543/exp%20db?sslmode=require"
                              << "postgresql|db.example.com|6543|ana|s@cret|exp db|postgresql://ana@db.example.com:6543/exp db";
        QTest::newRow("postgres scheme, no user, no port") << "POSTGRES://localhost/x" << "postgresql|localhost||||x|postgresql://localhost/x";
        QTest::newRow("port 1") << "postgresql://h:1/d" << "postgresql|h|1|||d|postgresql://h:1/d";
        QTest::newRow("port 65535") << "postgresql://h:65535/d" << "postgresql|h|65535|||d|postgresql://h:65535/d";
        QTest::newRow("IPv6") << "postgresql://u@[::1]:5433/d" << "postgresql|::1|5433|u||d|postgresql://u@[::1]:5433/d";
        QTest::newRow("IPv6 without port") << "postgresql://[::1]/d" << "postgresql|::1||||d|postgresql://[::1]/d";
        QTest::newRow("socket directory") << "postgresql://%2Frun%2Fpostgresql/d" << "postgresql|/run/postgresql||||d|postgresql://%2Frun%2Fpostgresql/d";
        QTest::newRow("password with a colon") << "postgresql://u:a:b@h/d" << "postgresql|h||u|a:b|d|postgresql://u@h/d";
        QTest::newRow("sqlite absolute") << "sqlite:///tmp/a%20b.db" << "sqlite|||||/tmp/a b.db|sqlite:/tmp/a b.db";
        QTest::newRow("sqlite relative") << "sqlite:data.db" << "sqlite|||||data.db|sqlite:data.db";
        QTest::newRow("separators in the parts") << "postgresql://a%40b%3Ac:pw@h%3Fx/db%3Fq/sub"
                                                 << "postgresql|h?x||a@b:c|pw|db?q/sub|postgresql://a%40b%3Ac@h%3Fx/db%3Fq/sub";
        QTest::newRow("port 0") << "postgresql://h:0/d" << "error: the port '0' is not a number from 1 to 65535";
        QTest::newRow("port 65536") << "postgresql://h:65536/d" << "error: the port '65536' is not a number from 1 to 65535";
        QTest::newRow("port empty") << "postgresql://h:/d" << "error: the port '' is not a number from 1 to 65535";
        QTest::newRow("port letters") << "postgresql://h:54x/d" << "error: the port '54x' is not a number from 1 to 65535";
        QTest::newRow("port huge") << "postgresql://h:99999999999999999999/d" << "error: the port '99999999999999999999' is not a number from 1 to 65535";
        QTest::newRow("no database") << "postgresql://h:5432/" << "error: the PostgreSQL URL names no database: postgresql://user@host:5432/database";
        QTest::newRow("no slash") << "postgresql://h" << "error: the PostgreSQL URL names no database: postgresql://user@host:5432/database";
        QTest::newRow("sqlite no file") << "sqlite://" << "error: the SQLite URL names no file: sqlite:///path/to/file.db";
        QTest::newRow("other scheme") << "mysql://h/d" << "error: a database URL starts postgresql:// or sqlite:, not 'mysql://h/d'";
    }
    void database_urls()
    {
        QFETCH(QString, url);
        QFETCH(QString, parts);
        QString got;
        try {
            const DatabaseUrl d = parse_database_url(url.toStdString());
            got = QStringList{d.engine == SqlEngine::SQLite ? "sqlite" : "postgresql", QString::fromStdString(d.host),
                              d.port ? QString::number(d.port) : QString(), QString::fromStdString(d.user), QString::fromStdString(d.password),
                              QString::fromStdString(d.database), QString::fromStdString(d.display())}
                      .join('|');
        } catch (const std::invalid_argument& e) {
            got = QStringLiteral("error: ") + e.what();
        }
        QCOMPARE(got, parts);
        if (got.startsWith("error")) return;
        // The display reads back as the same URL, without the password.
        const DatabaseUrl d = parse_database_url(url.toStdString()), again = parse_database_url(d.display());
        QCOMPARE(again.host, d.host);
        QCOMPARE(again.port, d.port);
        QCOMPARE(again.user, d.user);
        QCOMPARE(again.database, d.database);
        QCOMPARE(again.password, std::string());
        QCOMPARE(again.display(), d.display());
    }

    // Each engine's own quoting: the SQL standard's doubled quote, Spark's
    // doubled backtick, BigQuery's and ClickHouse's backslash escapes.
    void identifiers_are_quoted_per_engine()
    {
        QCOMPARE(quote_identifier(SqlEngine::PostgreSQL, "a\"b c"), std::string("\"a\"\"b c\""));
        QCOMPARE(quote_identifier(SqlEngine::Snowflake, "USER_ID"), std::string("\"USER_ID\""));
        QCOMPARE(quote_identifier(SqlEngine::SQLite, "x`y"), std::string("\"x`y\""));
        QCOMPARE(quote_identifier(SqlEngine::Databricks, "a`b\\c"), std::string("`a``b\\c`"));
        QCOMPARE(quote_identifier(SqlEngine::BigQuery, "a`b\\c"), std::string("`a\\`b\\\\c`"));
        QCOMPARE(quote_identifier(SqlEngine::ClickHouse, "a`b"), std::string("`a\\`b`"));
        QCOMPARE(quote_identifier(SqlEngine::Trino, "Événement"), std::string("\"Événement\""));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, quote_identifier(SqlEngine::PostgreSQL, ""));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, quote_identifier(SqlEngine::PostgreSQL, "a\nb"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, quote_identifier(SqlEngine::BigQuery, std::string("a\0b", 3)));
    }

    void a_dotted_table_is_quoted_part_by_part()
    {
        AggregationQuery q = query(SqlEngine::BigQuery);
        q.table = "my-project.exp data.events";
        QVERIFY(contains(aggregation_sql(q), "FROM `my-project`.`exp data`.`events`\n"));
        q.table = "a..b";
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, aggregation_sql(q));
    }

    // No user text reaches the query outside a quoted identifier: a name
    // that tries to close its quote stays inside it.
    void names_cannot_escape_their_quotes()
    {
        AggregationQuery q = query(SqlEngine::PostgreSQL);
        q.dimensions = {"x\"; DROP TABLE events; --"};
        const std::string sql = aggregation_sql(q);
        QVERIFY(contains(sql, "TRIM(CAST(\"x\"\"; DROP TABLE events; --\" AS TEXT)) AS srm_d0"));
        QVERIFY(!contains(sql, "\"x\";"));
    }

    void names_the_result_needs_are_refused()
    {
        for (const char* name : {"units", "Variant", "FIRST_EXPOSURE_TIME", "srm_multi_variant", "srm_assigned_variant"}) {
            AggregationQuery q = query(SqlEngine::DuckDB);
            q.dimensions = {name};
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, aggregation_sql(q));
        }
        AggregationQuery q = query(SqlEngine::DuckDB);
        q.dimensions = {"browser", "Browser"};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, aggregation_sql(q));
        q = query(SqlEngine::DuckDB);
        q.window_start = 10;
        q.window_end = 9;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, aggregation_sql(q));
    }

    // The start of each unit's bucket, in seconds since the epoch, floored.
    void each_engine_buckets_by_its_own_epoch()
    {
        const std::pair<SqlEngine, const char*> hourly[] = {
            {SqlEngine::PostgreSQL, "CAST(FLOOR(EXTRACT(EPOCH FROM srm_t) / 3600) * 3600 AS BIGINT)"},
            {SqlEngine::Redshift, "CAST(FLOOR(EXTRACT(EPOCH FROM srm_t) / 3600) * 3600 AS BIGINT)"},
            {SqlEngine::DuckDB, "CAST(FLOOR(epoch(srm_t) / 3600) * 3600 AS BIGINT)"},
            {SqlEngine::SQLite, "(unixepoch(srm_t, 'auto') - (((unixepoch(srm_t, 'auto')) % 3600) + 3600) % 3600)"},
            {SqlEngine::BigQuery, "UNIX_SECONDS(TIMESTAMP_TRUNC(srm_t, HOUR))"},
            {SqlEngine::Snowflake, "CAST(FLOOR(DATE_PART(EPOCH_SECOND, srm_t) / 3600) * 3600 AS BIGINT)"},
            {SqlEngine::Databricks, "CAST(FLOOR(UNIX_TIMESTAMP(srm_t) / 3600) * 3600 AS BIGINT)"},
            {SqlEngine::ClickHouse, "intDiv(toUnixTimestamp(srm_t), 3600) * 3600"},
            {SqlEngine::Trino, "CAST(FLOOR(to_unixtime(srm_t) / 3600) * 3600 AS BIGINT)"},
        };
        for (const auto& [engine, bucket] : hourly) {
            QVERIFY2(contains(aggregation_sql(query(engine)), bucket), to_string(engine));
        }
        AggregationQuery q = query(SqlEngine::BigQuery);
        q.daily = true;
        QVERIFY(contains(aggregation_sql(q), "UNIX_SECONDS(TIMESTAMP_TRUNC(srm_t, DAY))"));
        q.engine = SqlEngine::ClickHouse;
        QVERIFY(contains(aggregation_sql(q), "intDiv(toUnixTimestamp(srm_t), 86400) * 86400"));
    }

    // The window's end is inclusive to its last microsecond: "< end + 1 s".
    void the_window_bounds_are_exact()
    {
        AggregationQuery q = query(SqlEngine::PostgreSQL);
        q.window_start = 1772409600;  // 2026-03-02T00:00:00Z
        q.window_end = 1772668799;    // 2026-03-04T23:59:59Z
        const std::string sql = aggregation_sql(q);
        QVERIFY(contains(sql, "WHERE \"ts\" IS NOT NULL AND EXTRACT(EPOCH FROM \"ts\") >= 1772409600 AND EXTRACT(EPOCH FROM \"ts\") < 1772668800\n"));
        q.engine = SqlEngine::BigQuery;
        QVERIFY(contains(aggregation_sql(q),
                         "WHERE `ts` IS NOT NULL AND `ts` >= TIMESTAMP_SECONDS(1772409600) AND `ts` < TIMESTAMP_SECONDS(1772668800)\n"));
        q.window_start.reset();
        QVERIFY(contains(aggregation_sql(q), "WHERE `ts` IS NOT NULL AND `ts` < TIMESTAMP_SECONDS(1772668800)\n"));
        q.window_start = 1772409600;
        q.window_end.reset();
        QVERIFY(contains(aggregation_sql(q), "WHERE `ts` IS NOT NULL AND `ts` >= TIMESTAMP_SECONDS(1772409600)\n"));
        // Every engine: the start is kept (>=), the end's next second is not (<).
        for (const auto& e : sql_engines()) {
            q.engine = e.engine;
            q.window_start = 1772409600;
            q.window_end = 1772668799;
            const std::string w = aggregation_sql(q);
            QVERIFY2(contains(w, " >= 1772409600 AND ") || contains(w, " >= TIMESTAMP_SECONDS(1772409600) AND "), e.name);
            QVERIFY2(contains(w, " < 1772668800\n") || contains(w, " < TIMESTAMP_SECONDS(1772668800)\n"), e.name);
            QVERIFY2(!contains(w, " > 1772409600") && !contains(w, " > TIMESTAMP_SECONDS(") && !contains(w, "<= 1772668"), e.name);
        }
    }

    // With an event column, its words as the CSV reader has them, and the
    // first assignment's variant in the result.
    void events_are_told_apart_by_the_readers_words()
    {
        AggregationQuery q = query(SqlEngine::Trino);
        q.event = "event_type";
        const std::string sql = aggregation_sql(q);
        QVERIFY(contains(sql, "LIKE '%assign%' THEN 2 WHEN"));
        for (const char* word : {"'%expos%'", "'%view%'", "'%impression%'", "'%trigger%'"}) QVERIFY(contains(sql, word));
        QVERIFY(contains(sql, "srm_assigned AS \"srm_assigned_variant\""));
        QVERIFY(!contains(aggregation_sql(query(SqlEngine::Trino)), "srm_assigned_variant"));
    }

    void engine_names_and_aliases()
    {
        QCOMPARE(sql_engines().size(), std::size_t{9});
        for (const auto& e : sql_engines()) QCOMPARE(sql_engine_by_name(e.name), std::optional<SqlEngine>(e.engine));
        QCOMPARE(sql_engine_by_name("Postgres"), std::optional<SqlEngine>(SqlEngine::PostgreSQL));
        QCOMPARE(sql_engine_by_name("spark"), std::optional<SqlEngine>(SqlEngine::Databricks));
        QCOMPARE(sql_engine_by_name("presto"), std::optional<SqlEngine>(SqlEngine::Trino));
        QVERIFY(!sql_engine_by_name("mysql"));
    }

    void print_sql_on_the_command_line()
    {
        std::string out, err;
        QCOMPARE(cli(kSqlArgs, &out, &err), int{kExitHealthy});
        QVERIFY(contains(out, "FROM \"events\"\n"));
        QVERIFY(err.empty());
        auto without = [&](const std::string& flag) {
            std::vector<std::string> a;
            for (std::size_t i = 0; i < kSqlArgs.size(); ++i) {
                if (kSqlArgs[i] == flag) {
                    ++i;
                    continue;
                }
                a.push_back(kSqlArgs[i]);
            }
            return a;
        };
        for (const char* flag : {"--table", "--unit-col", "--variant-col", "--time-col"}) {
            QCOMPARE(cli(without(flag), &out, &err), int{kExitUsage});
            QVERIFY2(contains(err, std::string("--print-sql needs ") + flag), err.c_str());
        }
        auto with = [&](std::vector<std::string> extra) {
            std::vector<std::string> a = kSqlArgs;
            a.insert(a.end(), extra.begin(), extra.end());
            return a;
        };
        QCOMPARE(cli(with({"data.csv"}), &out, &err), int{kExitUsage});
        QVERIFY(contains(err, "reads no FILE"));
        QCOMPARE(cli(with({"--dimensions", "units"}), &out, &err), int{kExitUsage});
        QVERIFY(contains(err, "a name the result needs for itself"));
        QCOMPARE(cli(with({"--bucket", "week"}), &out, &err), int{kExitUsage});
        QCOMPARE(cli({"--print-sql", "mysql", "--table", "t"}, &out, &err), int{kExitUsage});
        QVERIFY(contains(err, "--print-sql takes one of postgresql, duckdb, sqlite"));
        QCOMPARE(cli({"data.csv", "--table", "t"}, &out, &err), int{kExitUsage});
        QVERIFY(contains(err, "--table is for --print-sql"));
        QCOMPARE(cli(with({"--window", "2026-03-02,2026-03-04"}), &out, &err), int{kExitHealthy});
        QVERIFY(contains(out, ">= 1772409600 AND EXTRACT(EPOCH FROM \"ts\") < 1772668800"));
        // Each option of the query reaches it: --bucket, --event-col, --dimensions, --window's end.
        std::string plain;
        QCOMPARE(cli(kSqlArgs, &plain, &err), int{kExitHealthy});
        QVERIFY(contains(plain, "per hour"));
        QCOMPARE(cli(with({"--bucket", "hour"}), &out, &err), int{kExitHealthy});
        QCOMPARE(out, plain);
        for (const char* day : {"day", "DAY"}) {
            QCOMPARE(cli(with({"--bucket", day}), &out, &err), int{kExitHealthy});
            QVERIFY2(contains(out, "per day") && !contains(out, "per hour"), out.c_str());
            QVERIFY2(contains(out, "86400") && !contains(out, "3600)"), out.c_str());
        }
        QCOMPARE(cli(with({"--event-col", "kind"}), &out, &err), int{kExitHealthy});
        QVERIFY2(contains(out, "\"kind\"") && !contains(plain, "\"kind\""), out.c_str());
        QCOMPARE(cli(with({"--dimensions", "browser,os"}), &out, &err), int{kExitHealthy});
        QVERIFY2(contains(out, "\"browser\"") && contains(out, "\"os\"") && !contains(plain, "\"browser\""), out.c_str());
        QCOMPARE(cli(with({"--window", "2026-03-02,"}), &out, &err), int{kExitHealthy});
        QVERIFY2(contains(out, ">= 1772409600") && !contains(out, "< 1772"), out.c_str());
    }

    // The result's columns read back: units exposed in several variants,
    // the funnel by the first assignment's variant (also across arms), units
    // assigned and never exposed, and a flag that is not 0/1 rejected by line.
    void the_results_flags_are_read_exactly()
    {
        test::Files files;
        const std::string path = files.write("result.csv",
                                             "first_exposure_time,variant,browser,srm_multi_variant,srm_assigned_variant,units\n"
                                             "1772323200,control,Chrome,0,control,400\n"
                                             "1772323200,control,Safari,1,control,30\n"
                                             "1772323200,treatment,Chrome,0,treatment,380\n"
                                             "1772326800,treatment,Safari,1,control,20\n"
                                             ",,,0,control,50\n"
                                             ",,,0,treatment,10\n"
                                             "1772326800,treatment,Chrome,0,,5\n"
                                             "1772326800,control,Chrome,yes,treatment,2\n"
                                             "1772326800,control,Chrome,2,control,1\n");
        const Dataset ds = load_csv(path);
        QCOMPARE(ds.shape, Shape::Aggregated);
        QVERIFY(ds.has_event && ds.has_multi_variant);
        QCOMPARE(ds.rows_rejected, std::uint64_t{1});
        QCOMPARE(ds.errors.at(0).line, std::uint64_t{10});
        QCOMPARE(ds.errors.at(0).message, std::string("'srm_multi_variant' has '2', not 0 or 1"));
        QCOMPARE(ds.rejected_by_reason.at(0).reason, std::string("bad_flag"));
        const auto counts = test::per_variant(ds);
        QCOMPARE(counts.at("control"), std::uint64_t{432});
        QCOMPARE(counts.at("treatment"), std::uint64_t{405});
        const auto mapping = ds.mapping();
        QCOMPARE(mapping.multi_variant, std::optional<std::string>("srm_multi_variant"));
        QCOMPARE(mapping.assigned_variant, std::optional<std::string>("srm_assigned_variant"));

        AnalysisRequest r;
        r.file = path;
        const Report report = analyse(r);
        QCOMPARE(report.evidence.exposed_units, std::uint64_t{837});
        QCOMPARE(report.evidence.jumped_units, std::uint64_t{52});
        // funnel by assigned variant: control 400 + 30 + 20 (exposed in treatment) + 50 never exposed
        QCOMPARE(report.evidence.funnel.at(0), (std::pair<std::uint64_t, std::uint64_t>{500, 450}));
        QCOMPARE(report.evidence.funnel.at(1), (std::pair<std::uint64_t, std::uint64_t>{392, 382}));
        const auto jumping = std::find_if(report.checks.begin(), report.checks.end(), [](const Check& c) { return c.id == "variant_jumping"; });
        QCOMPARE(jumping->status, CheckStatus::Fail);
        QCOMPARE(*jumping->value, 52.0 / 837.0);
    }

    // In event-level data the columns mean nothing: ignored, and said so.
    void event_data_ignores_the_result_columns()
    {
        test::Files files;
        const Dataset ds = load_csv(files.write("events.csv", "timestamp,user_id,variant,srm_multi_variant\n"
                                                              "2026-03-01T00:00:00Z,u1,a,1\n"
                                                              "2026-03-01T00:00:01Z,u2,b,0\n"));
        QCOMPARE(ds.shape, Shape::Events);
        QVERIFY(!ds.has_multi_variant);
        QCOMPARE(ds.columns.at(3).role, Role::Ignore);
        QVERIFY(std::any_of(ds.warnings.begin(), ds.warnings.end(),
                            [](const InputWarning& w) { return w.code == "column_ignored" && w.column == "srm_multi_variant"; }));
    }
};

QTEST_GUILESS_MAIN(TestWarehouse)
#include "tst_warehouse.moc"
