#include "srm/analysis.hpp"
#include "srm/ingest.hpp"
#include "srm/simulate.hpp"
#include "srm/timeparse.hpp"
#include "testutil.hpp"
#include "record_scanner_internal.hpp"

#include <QtTest>
#include <random>
#include <sstream>

using namespace srm;
using namespace srm::test;

class TestRecordScanner : public QObject {
    Q_OBJECT

private slots:
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

};

QTEST_APPLESS_MAIN(TestRecordScanner)
#include "tst_record_scanner.moc"
