// libFuzzer target: dialect sniffing and CSV loading on arbitrary bytes.
// Besides crashes and sanitizer reports it checks a differential oracle: the
// parallel reader with tiny chunks and tiny windows (records cut at every
// window's end) must agree with the sequential one.
#include "srm/analysis.hpp"
#include "srm/ingest.hpp"
#include "record_scanner_internal.hpp"

#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <vector>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        // The tokenizer's fast path must give parse_record's fields for
        // every record it takes (the field count chosen from the first record).
        const srm::Dialect d = srm::sniff_dialect(bytes);
        const char* p = bytes.data() + d.bom_bytes;
        const char* end = bytes.data() + bytes.size();
        srm::Record rec;
        srm::parse_record(p, end, d, rec);
        const std::size_t ncols = std::max<std::size_t>(1, rec.fields.size());
        srm::RecordScanner scanner(d, end);
        std::vector<std::string_view> fields(ncols);
        while (p < end) {
            const char* expect = srm::parse_record(p, end, d, rec);
            if (const char* next = scanner.scan(p, fields.data(), ncols)) {
                if (next != expect || rec.blank || rec.problem != srm::Record::Problem::None || rec.fields.size() != ncols)
                    std::abort();
                for (std::size_t f = 0; f < ncols; ++f)
                    if (fields[f] != rec.fields[f]) std::abort();
            }
            p = expect;
        }
    } catch (const srm::InputError&) {
    }
    srm::LoadOptions sequential;
    sequential.threads = 1;
    srm::LoadOptions parallel;
    parallel.threads = 2;
    parallel.chunk_bytes = 1 + (size % 13);
    parallel.window_bytes = 16 + (size % 97);
    srm::Dataset a, b;
    bool a_ok = true, b_ok = true;
    try {
        a = srm::load_csv_memory(bytes, "fuzz.csv", sequential);
    } catch (const srm::InputError&) {
        a_ok = false;
    }
    try {
        b = srm::load_csv_memory(bytes, "fuzz.csv", parallel);
    } catch (const srm::InputError&) {
        b_ok = false;
    }
    if (a_ok != b_ok) std::abort();
    if (!a_ok) return 0;
    if (a.rows_read != b.rows_read || a.rows_rejected != b.rows_rejected || a.size() != b.size() ||
        a.errors.size() != b.errors.size())
        std::abort();
    for (std::size_t i = 0; i < a.errors.size(); ++i)
        if (a.errors[i].line != b.errors[i].line) std::abort();
    if (a.rows_rejected > a.rows_read) std::abort();
    if (a.flags.size() != a.size() || a.first_time.size() != a.size() ||
        a.dim_codes.size() != a.size() * a.dimensions.size() || a.metric_values.size() != a.size() * a.metrics.size())
        std::abort();
    try {
        (void)srm::variant_counts(a, std::nullopt);
    } catch (const srm::InputError&) {
    }
    return 0;
}
