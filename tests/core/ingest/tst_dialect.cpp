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

class TestDialect : public QObject {
    Q_OBJECT

private slots:
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


    // Two fields wrapped in single quotes make ' the quote; one does not.
    void single_quotes_from_two_wrapped_fields()
    {
        QCOMPARE(srm::sniff_dialect("a,b\n'x, y',1\n'z',2\n").quote, '\'');
        QCOMPARE(srm::sniff_dialect("a,b\n'x, y',1\nz,2\n").quote, '"');
    }

    // More than 1 % control bytes is a binary file; 1 % or less is text with odd bytes in it.
    void control_bytes_up_to_one_percent()
    {
        std::string text = "user_id,variant\n";
        while (text.size() < 2000) text += "u1,control\n";
        std::string few = text, many = text;
        for (std::size_t i = 0; i < few.size() / 100; ++i) few[20 + i * 11] = '\x01';         // 1 % of the bytes
        for (std::size_t i = 0; i < many.size() / 50; ++i) many[20 + i * 5] = '\x01';         // 2 %
        QCOMPARE(srm::sniff_dialect(few).delimiter, ',');
        QVERIFY_EXCEPTION_THROWN(srm::sniff_dialect(many), srm::InputError);
    }
};

QTEST_APPLESS_MAIN(TestDialect)
#include "tst_dialect.moc"
