// The text helpers every report uses, at their edges: shortening at exactly
// the limit, p-values on each side of 0.001 and of the underflow, thousands,
// locale-free fixed and %g numbers, escaping of bytes that are not UTF-8, and
// the numbers of options and lists; which labels name a control group or an arm.
#include "srm/arm_labels.hpp"
#include "srm/text.hpp"

#include <QtTest>
#include <cmath>

using namespace srm;

class TestText : public QObject {
    Q_OBJECT

private slots:
    // Every word list and rule of arm_labels.cpp, each side of it.
    void control_labels()
    {
        for (const char* v : {"control", "Control", "CONTROL", "ctrl", "baseline", "holdout", "Hold-Out", "original", "default",
                              "old", "off", "champion", "a", "A", "0", "control_group", "controls", "Control Group", "group_control",
                              "old_page", "old-version", "No E-Mail", "no_email", "without_banner", "control_1", "Control 2",
                              "baseline_", "\"control\"", "[ctrl]"})
            QVERIFY2(is_control_label(v), v);
        for (const char* v : {"treatment", "b", "B", "1", "variant", "new_page", "controlled", "nobody", "notice", "ctrlx", "test",
                              "on", "group_a", "", "offer", "holdouts", "a1"})
            QVERIFY2(!is_control_label(v), v);
    }
    void arm_labels()
    {
        for (const char* v : {"treatment", "Treatment", "treat", "test", "variant", "variation", "var", "experiment", "exp",
                              "exposed", "group", "arm", "bucket", "cohort", "gate_30", "version", "v2", "V 3", "option",
                              "recipe", "new", "on", "challenger", "alt", "alternative", "branch", "new_page", "enabled",
                              "disabled", "b", "c", "h", "H", "group_a", "variant_b", "variation_1", "arm_c", "test_1",
                              "treatment_high", "bucket_7", "cohort_x", "version_2", "blue_group", "red_variant", "x_arm",
                              "high_treatment", "ab_test", "my_control", "landing_page", "new_version", "control", "a"})
            QVERIFY2(looks_like_arm_label(v), v);
        for (const char* v : {"i", "z", "chrome", "ios", "US", "12345", "2026-03-01", "_group", "_page", "groupie", "tester",
                              "versions", "optional", "page", "user_42", "premium", "variantb"})
            QVERIFY2(!looks_like_arm_label(v), v);
    }
    void shorten_at_the_limit()
    {
        const std::string sixty(60, 'x'), sixty_one(61, 'x');
        QCOMPARE(shorten(sixty), sixty);
        QCOMPARE(shorten(sixty_one), std::string(57, 'x') + "...");
        QCOMPARE(shorten("abcdef", 5), std::string("ab..."));
        // Never inside a UTF-8 sequence ("é" is two bytes): a cut at byte 3 after "aé" keeps it;
        // after "ab" and the first byte of "é" it backs up to 2.
        QCOMPARE(shorten("a\xC3\xA9\xC3\xA9\xC3\xA9x", 6), std::string("a\xC3\xA9..."));
        QCOMPARE(shorten("ab\xC3\xA9\xC3\xA9\xC3\xA9x", 6), std::string("ab..."));
        QCOMPARE(shorten("abcde", 5), std::string("abcde"));
    }

    void p_values()
    {
        QCOMPARE(format_p(0.001, -3.0), std::string("0.0010"));
        QCOMPARE(format_p(0.000999, std::log10(0.000999)), std::string("0.000999"));
        QCOMPARE(format_p(0.0123456, std::log10(0.0123456)), std::string("0.0123"));
        QCOMPARE(format_p(1.2345e-7, std::log10(1.2345e-7)), std::string("1.23e-07"));
        QCOMPARE(format_p(1e-299, -299.0), std::string("1e-299"));
        QCOMPARE(format_p(0.0, -350.5), std::string("3.16e-351"));  // from log10 p where p underflows
        QCOMPARE(format_p(1e-301, -301.0), std::string("1.00e-301"));
        // A mantissa that rounds to 10 is one order up: 10^0.9999 = 9.9977.
        QCOMPARE(format_p(0.0, -400.0001), std::string("1.00e-400"));
        QCOMPARE(format_p(0.0, -300.0001), std::string("1.00e-300"));
        QCOMPARE(format_p(0.0, -400.003), std::string("9.93e-401"));  // python3 -c "print('%.2f' % 10**0.997)"
    }

    // RFC 4180: a field holding a comma, a quote or a line break is quoted,
    // its quotes doubled; any other field is written as it is.
    void csv_fields()
    {
        QCOMPARE(csv_quote("plain"), std::string("plain"));
        QCOMPARE(csv_quote(""), std::string(""));
        QCOMPARE(csv_quote("a,b"), std::string("\"a,b\""));
        QCOMPARE(csv_quote("say \"hi\""), std::string("\"say \"\"hi\"\"\""));
        QCOMPARE(csv_quote("\""), std::string("\"\"\"\""));
        QCOMPARE(csv_quote("two\nlines"), std::string("\"two\nlines\""));
        QCOMPARE(csv_quote("cr\r"), std::string("\"cr\r\""));
        QCOMPARE(csv_quote("semi;colon"), std::string("semi;colon"));
    }

    void numbers()
    {
        QCOMPARE(group_thousands(0), std::string("0"));
        QCOMPARE(group_thousands(999), std::string("999"));
        QCOMPARE(group_thousands(1000), std::string("1,000"));
        QCOMPARE(group_thousands(18446744073709551615ULL), std::string("18,446,744,073,709,551,615"));
        QCOMPARE(format_fixed(2.7704, 3), std::string("2.770"));
        QCOMPARE(format_fixed(-0.0005, 3), std::string("-0.001"));
        QCOMPARE(format_general(0.01), std::string("0.01"));
        QCOMPARE(format_general(1e-5), std::string("1e-05"));
        QCOMPARE(format_general(123456789.0, 3), std::string("1.23e+08"));
    }

    void bytes_that_are_not_utf8_are_escaped()
    {
        QCOMPARE(escape_invalid_utf8("br\xff" "owser"), std::string("br\\xFFowser"));
        QCOMPARE(escape_invalid_utf8("\xc3\x28"), std::string("\\xC3("));                  // a lead byte without its continuation
        QCOMPARE(escape_invalid_utf8("\xed\xa0\x80"), std::string("\\xED\\xA0\\x80"));     // a surrogate
        QCOMPARE(escape_invalid_utf8("\xe2\x82\xac \xf0\x9f\x98\x80"), std::string("\xe2\x82\xac \xf0\x9f\x98\x80"));  // € and an emoji stay
        std::string s = "ok";
        QVERIFY(!make_valid_utf8(s));
        s = "\x80";
        QVERIFY(make_valid_utf8(s));
        QCOMPARE(s, std::string("\\x80"));
    }

    void numbers_of_options_and_lists()
    {
        double v = 0;
        QVERIFY(parse_number("-0.25", &v) && v == -0.25);
        QVERIFY(parse_number("+3", &v) && v == 3.0);
        QVERIFY(parse_number("1e400", &v) && std::isinf(v));  // never silently 0
        QVERIFY(parse_number("1e-400", &v) && v == 0.0);
        QVERIFY(!parse_number("nan") && !parse_number("0x10") && !parse_number("1,5") && !parse_number(""));
        const auto pairs = parse_name_values("control=50,treatment= 49.5", "--expected");
        QCOMPARE(pairs.size(), std::size_t(2));
        QCOMPARE(pairs[1].second, 49.5);
        QVERIFY_EXCEPTION_THROWN(parse_name_values("a=1,a=2", "--expected"), std::invalid_argument);
        QVERIFY_EXCEPTION_THROWN(parse_name_values("a=x", "--expected"), std::invalid_argument);
    }
};

QTEST_APPLESS_MAIN(TestText)
#include "tst_text.moc"
