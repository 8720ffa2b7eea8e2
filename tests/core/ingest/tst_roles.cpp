#include "srm/analysis.hpp"
#include "srm/ingest.hpp"
#include "srm/simulate.hpp"
#include "srm/timeparse.hpp"
#include "testutil.hpp"

#include <QtTest>
#include <functional>
#include <random>
#include <sstream>

using namespace srm;
using namespace srm::test;

class TestRoles : public QObject {
    Q_OBJECT

private slots:
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

    // Every column name the exports use for a role finds its column where the
    // content alone would not decide it (two text columns, a unit id among
    // them, a dimension of too many values to be kept by content), upper-case
    // and with spaces as people type them.
    void every_known_name_finds_its_column_data()
    {
        QTest::addColumn<int>("role");
        QTest::addColumn<QString>("header");
        auto add = [](Role role, std::initializer_list<const char*> names) {
            for (const char* n : names) {
                QTest::newRow((std::string(to_string(role)) + " " + n).c_str()) << static_cast<int>(role) << QString(n);
                QString spaced = QString(n).toUpper().replace('_', ' ');
                if (spaced != QString(n)) QTest::newRow((std::string(to_string(role)) + " " + spaced.toStdString()).c_str()) << static_cast<int>(role) << spaced;
            }
        };
        add(Role::Variant, {"variant", "variation", "variation_id", "variant_id", "variant_name", "variation_name", "arm", "arm_name", "group",
                            "group_name", "bucket", "bucket_name", "experiment_group", "experiment_variant", "treatment_group", "test_group",
                            "ab_group", "ab_test_group", "abtest_group", "ab_variant", "test_variant", "assigned_variant", "exposure_variant",
                            "flag_variant", "feature_flag", "feature_flag_variant", "cohort", "treatment", "branch", "version", "experiment",
                            "condition", "ab", "abtest", "split", "test_arm", "experiment_arm", "variant_key", "variation_key", "promotion"});
        add(Role::Unit, {"user_id", "unit_id", "device_id", "amplitude_id", "anonymous_id", "distinct_id", "user_pseudo_id", "fullvisitorid",
                         "visitor_id", "client_id", "customer_id", "account_id", "member_id", "person_id", "player_id", "subject_id",
                         "cookie_id", "session_id", "auction_id", "userid", "user", "unit", "visitor", "customer", "uid", "uuid", "guid", "id"});
        add(Role::Time, {"timestamp", "event_time", "exposure_time", "first_exposure_time", "assignment_time", "server_upload_time",
                         "client_event_time", "event_timestamp", "exposure_timestamp", "timestamp_utc", "exposure_date", "event_date", "time",
                         "ts", "datetime", "date_time", "created_at", "first_seen", "date", "day", "dt", "period"});
        add(Role::Hour, {"hour", "hr", "hour_of_day", "hod", "event_hour"});
        add(Role::Count, {"count", "units", "users", "n", "unique_users", "distinct_users", "num_users", "n_users", "user_count", "users_count",
                          "count_users", "unit_count", "n_units", "cnt", "exposed_users", "visitors", "unique_visitors", "participants",
                          "reach", "exposures", "pageviews", "page_views", "impressions", "sessions"});
        add(Role::Dimension, {"browser", "browser_version", "os", "os_version", "platform", "platform_os", "country", "region", "state", "city",
                              "market", "sdk_version", "app_version", "device", "device_type", "device_make", "device_category", "language",
                              "locale", "channel", "source", "medium", "campaign", "user_type", "segment"});
    }
    void every_known_name_finds_its_column()
    {
        QFETCH(int, role);
        QFETCH(QString, header);
        const std::string h = header.toStdString();
        const Role r = static_cast<Role>(role);
        // Twelve rows: two arms, unit ids k0..k11, hourly times, seven
        // values of the dimension (too many to keep by content alone).
        std::string csv;
        auto rows = [&](const std::string& head, const std::function<std::string(int)>& row) {
            csv = head + "\n";
            for (int i = 0; i < 12; ++i) csv += row(i) + "\n";
        };
        const char* arm[] = {"a", "b"};
        const std::string sevenths[] = {"p1", "p2", "p3", "p4", "p5", "p6", "p7"};
        auto hour = [](int i) { return "2026-03-01T" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00:00Z"; };
        int column = 0;
        switch (r) {
        case Role::Variant: rows("uid_x,note," + h, [&](int i) { return "k" + std::to_string(i) + ",n" + std::to_string(i % 2) + "," + arm[i % 2]; }); column = 2; break;
        case Role::Unit: rows("variant,note," + h, [&](int i) { return std::string(arm[i % 2]) + ",n" + std::to_string(i % 2) + ",k" + std::to_string(i); }); column = 2; break;
        case Role::Time: rows("user_id,variant," + h, [&](int i) { return "k" + std::to_string(i) + "," + arm[i % 2] + "," + hour(i); }); column = 2; break;
        case Role::Hour: rows("user_id,variant,event_day," + h, [&](int i) { return "k" + std::to_string(i) + "," + arm[i % 2] + ",2026-03-01," + std::to_string(i); }); column = 3; break;
        case Role::Count: rows("variant,note," + h, [&](int i) { return std::string(arm[i % 2]) + ",n" + std::to_string(i) + "," + std::to_string(100 + i); }); column = 2; break;
        default: rows("user_id,variant," + h, [&](int i) { return "k" + std::to_string(i) + "," + arm[i % 2] + "," + sevenths[i % 7]; }); column = 2; break;
        }
        Files f;
        const auto ds = load_csv(f.write("n.csv", csv));
        QCOMPARE(ds.columns[static_cast<std::size_t>(column)].name, h);
        QCOMPARE(to_string(ds.columns[static_cast<std::size_t>(column)].role), to_string(r));
        QVERIFY2(ds.columns[static_cast<std::size_t>(column)].reason.find("name") != std::string::npos, ds.columns[static_cast<std::size_t>(column)].reason.c_str());
        QCOMPARE(ds.rows_rejected, std::uint64_t{0});
    }

    // The event-type column and the inclusion flag go by name alone: every
    // name the exports use, in the spellings they use (case, spaces), is
    // found, and its values read (one exposure, one assignment, one other).
    void event_and_inclusion_columns_by_every_name_data()
    {
        QTest::addColumn<QString>("header");
        QTest::addColumn<bool>("event");
        for (const char* n : {"event_type", "Event Type", "event", "EVENT", "event_name", "Event Name", "action", "Action"})
            QTest::newRow(n) << QString(n) << true;
        for (const char* n : {"force_included", "forced", "individually_included", "Individual Inclusion", "is_forced",
                              "manually_included", "included_manually"})
            QTest::newRow(n) << QString(n) << false;
    }
    void event_and_inclusion_columns_by_every_name()
    {
        QFETCH(QString, header);
        QFETCH(bool, event);
        const std::string h = header.toStdString();
        Files f;
        const std::string body = event ? "u1,a,exposure\nu2,b,assignment\nu3,a,click\nu4,b,exposure\n"
                                       : "u1,a,true\nu2,b,false\nu3,a,false\nu4,b,false\n";
        const auto ds = load_csv(f.write("e.csv", "user_id,variant," + h + "\n" + body));
        const auto m = ds.mapping();
        QCOMPARE(ds.columns[2].role, event ? Role::Event : Role::Inclusion);
        QCOMPARE(ds.has_event, event);
        QCOMPARE(ds.has_inclusion, !event);
        if (event) {
            QCOMPARE(*m.event, h);
            QCOMPARE(ds.rows_other_events, std::uint64_t{1});
            // u1 and u4 exposed, u2 only assigned, u3's click another event.
            int exposed = 0, assigned = 0;
            for (std::size_t i = 0; i < ds.size(); ++i) {
                exposed += ds.flags[i] & kExposed ? 1 : 0;
                assigned += ds.flags[i] & kAssigned ? 1 : 0;
            }
            QCOMPARE(exposed, 2);
            QCOMPARE(assigned, 1);
        } else {
            QVERIFY(!m.event);
            QCOMPARE(static_cast<int>(ds.flags[0] & kIncluded), static_cast<int>(kIncluded));
            QCOMPARE(static_cast<int>(ds.flags[1] & kIncluded), 0);
        }
        QVERIFY(m.dimensions.empty());
    }

    // A text column is a dimension when its values repeat (at most half as
    // many values as rows) or when it has at most 3 values, however few the
    // rows; otherwise it is left out (unless its name says dimension: not "zq").
    void few_values_make_a_dimension_in_few_rows()
    {
        Files f;
        auto roles = [&](const std::vector<std::string>& values) {
            std::string text = "user_id,variant,zq\n";
            for (std::size_t i = 0; i < values.size(); ++i) text += "u" + std::to_string(i) + (i % 2 ? ",control," : ",treatment,") + values[i] + "\n";
            const auto ds = load_csv(f.write("few.csv", text));
            const auto& c = ds.columns.at(2);
            if (c.name != "zq") return "column " + c.name;
            return std::string(c.role == Role::Dimension ? "dimension" : c.role == Role::Ignore ? "ignored: " + c.reason : "other");
        };
        QCOMPARE(roles({"north", "south", "east", "north"}), std::string("dimension"));  // 3 values in 4 rows
        QCOMPARE(roles({"north", "south", "east"}), std::string("dimension"));           // 3 in 3
        QCOMPARE(roles({"a", "b", "c", "d", "a", "b", "c", "d"}), std::string("dimension"));  // 4 in 8
        QCOMPARE(roles({"a", "b", "c", "d"}), std::string("ignored: too many distinct values for a dimension (4 in the first 4 rows)"));
        QCOMPARE(roles({"a", "b", "c", "d", "e", "a", "b", "c", "d"}),
                 std::string("ignored: too many distinct values for a dimension (5 in the first 9 rows)"));  // 5 in 9
    }

    // A second column of ISO times (here with only two values, which would
    // make a dimension) is left out as a second time column.
    // A time column whose name says nothing ("when") is found by its content
    // though its values are distinct like ids: epoch seconds, or dates in a
    // layout of their own (13/03/2026 10:00, which also tells the first row
    // for a header). The unit is the id column beside it.
    void an_unnamed_time_column_is_the_time_not_the_unit_data()
    {
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QString>("how");
        QTest::newRow("epoch seconds") << "epoch" << "by content: epoch timestamps";
        QTest::newRow("day first") << "/" << "by content: dates as %d/%m/%Y %H:%M";
        QTest::newRow("dotted") << "." << "by content: dates as %d.%m.%Y %H:%M";
    }
    void an_unnamed_time_column_is_the_time_not_the_unit()
    {
        QFETCH(QString, layout);
        QFETCH(QString, how);
        std::string csv = "when,who,grp\n";
        for (int i = 0; i < 400; ++i) {
            char t[40], id[16];
            if (layout == "epoch") std::snprintf(t, sizeof t, "%d", 1772323200 + i * 37);
            else {
                const char sep = layout.toLatin1().at(0);
                std::snprintf(t, sizeof t, "%02d%c03%c2026 %02d:%02d", 1 + i % 28, sep, sep, i % 24, i % 60);
            }
            std::snprintf(id, sizeof id, "%08x", static_cast<unsigned>(i * 2654435761u));
            csv += std::string(t) + "," + id + "," + (i % 2 ? "treatment" : "control") + "\n";
        }
        Files f;
        const Dataset ds = load_csv(f.write("when.csv", csv));
        QCOMPARE(ds.rows_read, std::uint64_t(400));
        const auto m = ds.mapping();
        QCOMPARE(m.time, std::make_optional(std::string("when")));
        QCOMPARE(m.unit, std::make_optional(std::string("who")));
        QCOMPARE(m.variant, std::string("grp"));
        QCOMPARE(QString::fromStdString(ds.columns[0].reason), how);
        QVERIFY(ds.has_time);
        QCOMPARE(ds.size(), std::size_t(400));
    }

    // A column counting 1, 2, 3, ... is a row number from ten rows on (a
    // small export's index column), never the unit; nine rows tell nothing.
    void a_row_number_from_ten_rows()
    {
        Files f;
        for (const int n : {9, 10, 30}) {
            std::string csv = "idx,variant,browser\n";
            for (int i = 0; i < n; ++i) csv += std::to_string(i + 1) + "," + (i % 2 ? "treatment" : "control") + "," + (i % 3 ? "Chrome" : "Safari") + "\n";
            const Dataset ds = load_csv(f.write("idx.csv", csv));
            QCOMPARE(ds.columns[0].name, std::string("idx"));
            QCOMPARE(ds.columns[0].reason == "a row number (rising by one from row to row)", n >= 10);
            QCOMPARE(ds.mapping().unit, std::optional<std::string>());
            QCOMPARE(ds.size(), std::size_t(n));
        }
    }

    void a_second_time_column_is_left_out()
    {
        Files f;
        std::string text = "timestamp,user_id,variant,updated_at\n";
        for (int i = 0; i < 12; ++i)
            text += "2026-03-01T" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00:00Z,u" + std::to_string(i) + (i % 2 ? ",control," : ",treatment,") +
                    (i < 6 ? "2026-02-01T00:00:00Z" : "2026-02-02T00:00:00Z") + "\n";
        const auto ds = load_csv(f.write("two_times.csv", text));
        QCOMPARE(ds.columns.at(0).role, Role::Time);
        QCOMPARE(ds.columns.at(3).name, std::string("updated_at"));
        QCOMPARE(ds.columns.at(3).role, Role::Ignore);
        QCOMPARE(ds.columns.at(3).reason, std::string("a second time column"));
        QVERIFY(ds.dimensions.empty());
        QCOMPARE(ds.size(), std::size_t(12));
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
        // Counted one past the cap (8 values, cap 5: 6 seen), so "more than 5".
        QCOMPARE(ds.dimensions[0].distinct, std::uint64_t(6));
        QCOMPARE(ds.size(), std::size_t(40));
        o.max_dimension_values = 8;
        QVERIFY(!load_csv(f.write("hc.csv", text), o).dimensions[0].excluded);
    }

    // A column named for no role is the variant by content when it holds arm
    // labels: up to 20 values (here 12: control, treatment1 ... treatment11),
    // not past 20 (21 arms: no variant column).
    void arms_by_content_up_to_twenty()
    {
        Files f;
        auto file = [&](int arms) {
            std::string text = "tag,ts\n";
            for (int i = 0; i < 100 * arms; ++i)
                text += (i % arms ? "treatment" + std::to_string(i % arms) : std::string("control")) + ",2026-03-01T00:" +
                        QString::number(i / 60 % 60).rightJustified(2, '0').toStdString() + ":" + QString::number(i % 60).rightJustified(2, '0').toStdString() + "Z\n";
            return f.write("arms.csv", text);
        };
        for (const int arms : {12, 20}) {
            const auto ds = load_csv(file(arms));
            QCOMPARE(ds.mapping().variant, std::string("tag"));
            QCOMPARE(ds.variants.size(), std::size_t(arms));
            QCOMPARE(ds.size(), std::size_t(100 * arms));
        }
        QVERIFY_THROWS_EXCEPTION(InputError, load_csv(file(21)));
    }

    // A column named for no role is the variant by content, too, when it
    // holds a control and at least as many arm labels as other values:
    // control / new_checkout (exactly half arm labels: the control itself)
    // is one, and so is control / treatment / new_checkout / fast_path
    // (two of four); control / new_checkout / fast_path (one of three) is not.
    void a_control_makes_a_variant_with_half_arm_labels()
    {
        Files f;
        auto file = [&](const std::vector<std::string>& values) {
            std::string text = "ts,flavour\n";
            for (std::size_t i = 0; i < 100 * values.size(); ++i)
                text += "2026-03-01T00:" + QString::number(int(i / 60 % 60)).rightJustified(2, '0').toStdString() + ":" +
                        QString::number(int(i % 60)).rightJustified(2, '0').toStdString() + "Z," + values[i % values.size()] + "\n";
            return f.write("flavour.csv", text);
        };
        for (const std::vector<std::string>& values :
             {std::vector<std::string>{"control", "new_checkout"}, std::vector<std::string>{"control", "treatment", "new_checkout", "fast_path"}}) {
            const auto ds = load_csv(file(values));
            QCOMPARE(ds.mapping().variant, std::string("flavour"));
            QCOMPARE(ds.variants.size(), values.size());
            QCOMPARE(ds.size(), 100 * values.size());
        }
        QVERIFY_THROWS_EXCEPTION(InputError, load_csv(file({"control", "new_checkout", "fast_path"})));
    }

    // A unit column by content has a different value in at least 90 % of the
    // rows; a column with 70 % distinct values is not one (each row is a unit,
    // and the column, too varied for a dimension, is ignored).
    void unit_by_content_needs_ninety_percent_distinct()
    {
        Files f;
        auto file = [&](int distinct_of_10) {
            std::string text = "ref,variant\n";
            for (int i = 0; i < 1000; ++i)
                text += "r" + std::to_string(i % 10 < distinct_of_10 ? i : i - i % 10) + (i % 2 ? ",a\n" : ",b\n");
            return f.write("ref.csv", text);
        };
        const auto seventy = load_csv(file(7));
        QVERIFY(!seventy.mapping().unit);
        QCOMPARE(seventy.size(), std::size_t(1000));
        QCOMPARE(seventy.columns[0].role, Role::Ignore);
        const auto ninety = load_csv(file(9));
        QCOMPARE(*ninety.mapping().unit, std::string("ref"));
        QCOMPARE(ninety.size(), std::size_t(900));
    }

};

QTEST_APPLESS_MAIN(TestRoles)
#include "tst_roles.moc"
