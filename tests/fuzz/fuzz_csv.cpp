// libFuzzer target: dialect sniffing and CSV loading on arbitrary bytes.
// Besides crashes and sanitizer reports it checks two differential oracles:
// the parallel reader with tiny chunks and tiny windows (records cut at every
// window's end) must agree with the sequential one, and (one input in eight)
// the same bytes gzip-compressed into a file (read by the streaming path) must
// load to the same counts, rejections and lines as the plain bytes in memory.
#include "srm/analysis.hpp"
#include "srm/ingest.hpp"
#include "record_scanner_internal.hpp"

#include <zlib.h>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {
// One scratch file for the compressed copy, removed at exit.
const std::string& gz_path()
{
    static const std::string path = [] {
        char name[] = "/tmp/fuzz_csv_XXXXXX";
        const int fd = mkstemp(name);
        if (fd >= 0) close(fd);
        std::remove(name);
        std::atexit([] { std::remove(gz_path().c_str()); });
        return std::string(name) + ".csv.gz";
    }();
    return path;
}

// The same bytes gzip-compressed into a file load as they do from memory.
void compressed_agrees(const std::uint8_t* data, std::size_t size, const srm::LoadOptions& options, bool plain_ok, const srm::Dataset& plain)
{
    gzFile gz = gzopen(gz_path().c_str(), "wb");
    if (!gz || (size > 0 && gzwrite(gz, data, static_cast<unsigned>(size)) != static_cast<int>(size)) || gzclose(gz) != Z_OK) std::abort();
    srm::Dataset c;
    bool ok = true;
    try {
        c = srm::load_csv(gz_path(), options);
    } catch (const srm::InputError&) {
        ok = false;
    }
    if (ok != plain_ok) std::abort();
    if (!ok) return;
    if (c.rows_read != plain.rows_read || c.rows_rejected != plain.rows_rejected || c.size() != plain.size() || c.errors.size() != plain.errors.size())
        std::abort();
    for (std::size_t i = 0; i < plain.errors.size(); ++i)
        if (plain.errors[i].line != c.errors[i].line) std::abort();
}
}  // namespace

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
    // One input in eight (by size, so a replay checks the same ones): writing
    // and reading a file costs more than the rest.
    if (size % 8 == 0) compressed_agrees(data, size, sequential, a_ok, a);
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
