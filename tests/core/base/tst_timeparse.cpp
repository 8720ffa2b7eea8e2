#include "srm/analysis.hpp"
#include "srm/ingest.hpp"
#include "srm/simulate.hpp"
#include "srm/timeparse.hpp"
#include "srm/timeutil.hpp"
#include "srm/timeformat.hpp"
#include "testutil.hpp"

#include <QtTest>
#include <random>
#include <sstream>

using namespace srm;
using namespace srm::test;

class TestTimeParse : public QObject {
    Q_OBJECT

private slots:
    // Layouts as exports write them (expected values: Python's
    // calendar.timegm of the same date and time).
    void layouts_data()
    {
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("seconds");
        QTest::newRow("m/d/Y") << "%m/%d/%Y" << "7/10/2020" << qint64(1594339200);
        QTest::newRow("d.m.Y") << "%d.%m.%Y" << "10.07.2020" << qint64(1594339200);
        QTest::newRow("Ymd") << "%Y%m%d" << "20200710" << qint64(1594339200);
        QTest::newRow("12-hour") << "%m/%d/%Y %I:%M %p" << "7/10/2020 3:04 PM" << qint64(1594393440);
        QTest::newRow("midnight") << "%m/%d/%Y %I:%M %p" << "7/10/2020 12:00 AM" << qint64(1594339200);
        QTest::newRow("month name") << "%b %d, %Y" << "Jul 10, 2020" << qint64(1594339200);
        QTest::newRow("weekday") << "%a, %d %b %Y %H:%M:%S %z" << "Fri, 10 Jul 2020 12:00:00 +0200" << qint64(1594375200);
        QTest::newRow("fraction") << "%Y-%m-%d %H:%M:%S.%f" << "2017-01-21 22:11:48.556739" << qint64(1485036708);
        QTest::newRow("day of year") << "%Y-%j" << "2020-192" << qint64(1594339200);
        QTest::newRow("2-digit year") << "%d/%m/%y" << "10/07/20" << qint64(1594339200);
        // The boundaries of each directive (calendar.timegm(datetime(...).timetuple())).
        QTest::newRow("2-digit year 68 is 2068") << "%d/%m/%y" << "10/07/68" << qint64(3109104000);
        QTest::newRow("2-digit year 69 is 1969") << "%d/%m/%y" << "10/07/69" << qint64(-15120000);
        QTest::newRow("12 PM is noon") << "%m/%d/%Y %I:%M %p" << "7/10/2020 12:00 PM" << qint64(1594382400);
        QTest::newRow("1 pm") << "%m/%d/%Y %I:%M %p" << "7/10/2020 1:05 pm" << qint64(1594386300);
        QTest::newRow("a.m.") << "%m/%d/%Y %I:%M %p" << "7/10/2020 9:30 a.m." << qint64(1594373400);
        QTest::newRow("full month name") << "%B %d %Y" << "January 5 2020" << qint64(1578182400);
        QTest::newRow("abbreviated month with a dot") << "%b %d %Y" << "Sep. 5 2020" << qint64(1599264000);
        QTest::newRow("space-padded day") << "%Y-%m-%e" << "2020-07- 5" << qint64(1593907200);
        QTest::newRow("2000 is a leap year") << "%Y-%m-%d" << "2000-02-29" << qint64(951782400);
        QTest::newRow("day 366 of a leap year") << "%Y-%j" << "2020-366" << qint64(1609372800);
        QTest::newRow("negative offset with minutes") << "%Y-%m-%d %H:%M %z" << "2020-07-10 12:00 -09:30" << qint64(1594416600);
        QTest::newRow("epoch seconds") << "%s" << "1594339200" << qint64(1594339200);
        QTest::newRow("fraction of 3 digits") << "%H:%M:%S.%f %Y-%m-%d" << "12:00:01.250 2020-07-10" << qint64(1594382401);
    }
    void layouts()
    {
        QFETCH(QString, layout);
        QFETCH(QString, text);
        QFETCH(qint64, seconds);
        const TimestampFormat f(layout.toStdString());
        const auto us = f.parse(text.toStdString());
        QVERIFY(us.has_value());
        QCOMPARE(*us / 1000000, seconds);
    }
    void layouts_refuse_what_does_not_fit()
    {
        const TimestampFormat mdy("%m/%d/%Y");
        QVERIFY(!mdy.parse("13/10/2020"));  // no month 13
        QVERIFY(!mdy.parse("2/30/2020"));   // no February 30
        QVERIFY(mdy.parse("2/29/2020"));    // a leap day
        QVERIFY(!mdy.parse("2/29/2021"));
        QVERIFY(!mdy.parse("7/10/2020 extra"));
        QCOMPARE(*TimestampFormat("%Y-%m-%d %H:%M:%S.%f").parse("2017-01-21 22:11:48.556739") % 1000000, std::int64_t(556739));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TimestampFormat("%a, %b %d"));  // no year
        QCOMPARE(*TimestampFormat("%a, %b %d", 2014).parse("Sat, Oct 11") / 1000000, std::int64_t(1412985600));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TimestampFormat("%Q"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TimestampFormat("%Y-%"));
        QVERIFY(!TimestampFormat("%Y-%m-%d").parse("1900-02-29"));  // 1900 is not a leap year
        QVERIFY(!TimestampFormat("%Y-%j").parse("2021-366"));
        QVERIFY(!TimestampFormat("%Y-%j").parse("2020-000"));
        QVERIFY(!TimestampFormat("%m/%d/%Y %I:%M %p").parse("7/10/2020 13:00 PM"));
        QVERIFY(!TimestampFormat("%m/%d/%Y %I:%M %p").parse("7/10/2020 0:00 AM"));
        QVERIFY(!TimestampFormat("%Y-%m-%d %H:%M %z").parse("2020-07-10 12:00 +24:00"));
        QVERIFY(!TimestampFormat("%Y-%m-%d %H:%M %z").parse("2020-07-10 12:00 +05:60"));
        QVERIFY(!TimestampFormat("%Y-%m-%d %H:%M").parse("2020-07-10 12:60"));
        QCOMPARE(*TimestampFormat("%H:%M:%S.%f %Y-%m-%d").parse("12:00:01.250 2020-07-10") % 1000000, std::int64_t(250000));
        QCOMPARE(*TimestampFormat("%s.%f").parse("1594339200.5") % 1000000, std::int64_t(500000));
    }

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
        QTest::newRow("iso space GMT") << "2026-03-01 12:34:56 GMT" << qint64(1772368496000000);
        QTest::newRow("iso lower z") << "2026-03-01T12:34:56z" << qint64(1772368496000000);
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


    // A leap second (:60) is a time in every layout, fast path or not; :61 is not.
    void leap_seconds_in_every_layout()
    {
        // date -u -d 2026-03-02T00:00:00Z +%s = 1772409600: 23:59:60 reads as that second.
        for (const char* t : {"2026-03-01T23:59:60Z", "2026-03-01 23:59:60", "2026/03/01 23:59:60", "2026/03/01T23:59:60+00:00",
                              "2026-03-01T23:59:60.25Z"}) {
            const auto us = srm::parse_timestamp(t);
            QVERIFY2(us.has_value(), t);
            QCOMPARE(srm::to_seconds(*us), std::int64_t(1772409600));
        }
        QVERIFY(!srm::parse_timestamp("2026/03/01 23:59:61").has_value());
        QVERIFY(!srm::parse_timestamp("2026-03-01T23:59:61Z").has_value());
    }
};

QTEST_APPLESS_MAIN(TestTimeParse)
#include "tst_timeparse.moc"
