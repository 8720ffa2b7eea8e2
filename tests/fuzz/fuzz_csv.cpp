// libFuzzer target: dialect sniffing and CSV loading on arbitrary bytes.
// Besides crashes and sanitizer reports it checks a differential oracle: the
// parallel reader with tiny chunks must agree with the sequential one.
#include "srm/analysis.hpp"
#include "srm/ingest.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        srm::sniff_dialect(bytes);
    } catch (const srm::InputError&) {
    }
    srm::LoadOptions sequential;
    sequential.threads = 1;
    srm::LoadOptions parallel;
    parallel.threads = 2;
    parallel.chunk_bytes = 1 + (size % 13);
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
