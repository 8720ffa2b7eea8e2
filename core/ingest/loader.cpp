// The CSV loader. Outline:
//  1. Map the file, sniff the dialect, read the header and a sample of rows
//     (sequentially) and give each column a role.
//  2. Read the data in batches of chunks. Per batch:
//     a. parse the chunks in parallel. Every chunk but the first guesses that
//        its first record starts after its first line break; each guess is
//        checked against where the previous chunk's last record ended, and a
//        wrong one (a quoted newline near the boundary) is parsed again from
//        there. Records without quotes go through the RecordScanner fast
//        path, the others through parse_record. Rows go into packed row
//        buffers, split by unit hash into partitions, with chunk-local
//        dictionaries;
//     b. merge the dictionaries and rejected rows in file order;
//     c. fold the rows into the per-partition unit tables in parallel (each
//        partition sees its rows in file order, so "first" is well defined).
//  3. Move the unit tables into the Dataset's arrays, in parallel.
#include "srm/ingest.hpp"

#include "mapped_file_internal.hpp"
#include "record_scanner_internal.hpp"
#include "roles_internal.hpp"
#include "tables_internal.hpp"
#include "srm/errors.hpp"
#include "srm/parallel.hpp"
#include "srm/text.hpp"
#include "srm/timeparse.hpp"
#include "srm/timeparse_fast.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>

namespace srm {

namespace {

using detail::ComboCache;
using detail::EventKind;
using detail::hash_id;
using detail::LocalDict;
using detail::UnitTable;

constexpr unsigned kPartitionBits = 3;
constexpr unsigned kPartitions = 1u << kPartitionBits;

// Peak resident memory so far (kB) for SRM_LOAD_TRACE; -1 where /proc is missing.
long trace_hwm_kb()
{
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long kb = -1;
    while (std::fgets(line, sizeof line, f))
        if (std::strncmp(line, "VmHWM:", 6) == 0) kb = std::strtol(line + 6, nullptr, 10);
    std::fclose(f);
    return kb;
}

[[gnu::always_inline]] inline bool blank_char(char c) { return c == ' ' || c == '\t'; }

[[gnu::always_inline]] inline std::string_view trim(std::string_view s)
{
    // Most fields have nothing to trim: one compare per end (both blanks sort at or below ' ').
    if (s.empty() || (static_cast<unsigned char>(s.front()) > ' ' && static_cast<unsigned char>(s.back()) > ' ')) return s;
    while (!s.empty() && blank_char(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank_char(s.back())) s.remove_suffix(1);
    return s;
}

// Copies n codes; the usual small counts as fixed-size copies (no call).
[[gnu::always_inline]] inline void copy_codes(void* to, const std::uint16_t* from, std::size_t n)
{
    switch (n) {
    case 0: return;
    case 1: std::memcpy(to, from, 2); return;
    case 2: std::memcpy(to, from, 4); return;
    case 3: std::memcpy(to, from, 6); return;
    case 4: std::memcpy(to, from, 8); return;
    case 5: std::memcpy(to, from, 10); return;
    case 6: std::memcpy(to, from, 12); return;
    case 7: std::memcpy(to, from, 14); return;
    case 8: std::memcpy(to, from, 16); return;
    default: std::memcpy(to, from, 2 * n);
    }
}

// Where a parsed row's values sit in the row buffers: one packed record per
// row (a single write stream per partition while parsing, a single read
// stream while folding).
struct RowLayout {
    RowLayout() = default;
    RowLayout(bool unit, bool count, std::size_t dims, std::size_t metrics)
    {
        std::size_t o = 0;
        key = o;
        o += unit ? 8 : 0;
        time = o;
        o += 8;
        weight = o;
        o += count ? 8 : 0;
        metric = o;
        o += 4 * metrics;
        dim = o;
        o += 2 * dims;
        variant = o++;
        kind = o++;
        stride = o;
    }
    std::size_t key = 0, time = 0, weight = 0, metric = 0, dim = 0, variant = 0, kind = 0, stride = 0;
};

// A growing byte buffer of packed rows, kept (with its memory) from batch to batch.
struct RowBuf {
    void clear()
    {
        used = 0;
        rows = 0;
    }
    unsigned char* append(std::size_t stride)
    {
        if (used + stride > bytes.size()) bytes.resize(std::max(bytes.size() * 2, used + stride + 4096));
        unsigned char* r = bytes.data() + used;
        used += stride;
        ++rows;
        return r;
    }
    void reserve(std::size_t n) { bytes.resize(std::max(bytes.size(), n)); }
    const unsigned char* row(std::size_t i, std::size_t stride) const { return bytes.data() + i * stride; }
    std::vector<unsigned char> bytes;
    std::size_t used = 0, rows = 0;
};

struct ChunkOut {
    std::size_t begin = 0, end = 0;  // byte range (offsets into the data)
    std::size_t first = 0;           // where its first record starts (a guess until verified)
    std::size_t stop = 0;            // where its last record ends
    bool exact_start = false;        // `first` is known to be a record start
    std::uint64_t lines = 0, rows = 0, rejected = 0, blank = 0, other = 0, outside = 0;
    std::vector<std::pair<std::uint64_t, std::string>> errors;  // (line offset in chunk, message)
    LocalDict variants;
    std::vector<LocalDict> dims;
    std::vector<bool> metric_nonbinary;
    std::vector<RowBuf> parts;
};

struct Loader {
    std::string path;
    const LoadOptions& opt;
    std::unique_ptr<detail::MappedFile> mapped;  // null when reading from memory
    const char* bytes = nullptr;
    std::size_t byte_count = 0;
    Dataset ds;
    detail::RoleAssignment roles;
    const char* base = nullptr;   // first byte after the BOM
    std::size_t data_begin = 0;   // offset (from base) of the first data record
    std::size_t data_end = 0;
    std::uint64_t first_data_line = 1;
    std::size_t ncols = 0;
    std::size_t avg_record_bytes = 64;
    unsigned threads = 1;
    RowLayout layout;
    // The variant and dimension columns, when they are adjacent: [combo_lo, combo_hi].
    int combo_lo = -1, combo_hi = -1;

    // Global dictionaries.
    std::vector<LocalDict> global_dims;
    LocalDict global_variants{255};
    std::vector<std::unique_ptr<UnitTable>> tables;

    Loader(const std::string& p, const LoadOptions& o)
        : path(p), opt(o), mapped(std::make_unique<detail::MappedFile>(p)), bytes(mapped->data()), byte_count(mapped->size())
    {
    }
    Loader(std::string_view memory, std::string name, const LoadOptions& o)
        : path(std::move(name)), opt(o), bytes(memory.data()), byte_count(memory.size())
    {
    }

    void check_cancel() const
    {
        if (opt.cancel && opt.cancel->load(std::memory_order_relaxed)) throw Cancelled{};
    }

    std::vector<std::string> read_head(std::vector<std::vector<std::string>>& sample, std::size_t max_sample)
    {
        if (byte_count == 0) throw InputError("the file is empty");
        const std::size_t probe = std::min<std::size_t>(byte_count, 1 << 18);
        ds.dialect = sniff_dialect(std::string_view(bytes, probe), opt.delimiter, opt.header);
        base = bytes + ds.dialect.bom_bytes;
        data_end = byte_count - ds.dialect.bom_bytes;
        const char* end = base + data_end;
        const char* p = base;
        Record rec;
        std::uint64_t line = 1;
        // Leading blank lines.
        while (p < end) {
            const char* next = parse_record(p, end, ds.dialect, rec);
            if (!rec.blank) break;
            line += rec.line_breaks;
            p = next;
        }
        if (p >= end) throw InputError("the file has no data: it holds only blank lines");
        std::vector<std::string> names;
        const char* after = parse_record(p, end, ds.dialect, rec);
        if (ds.dialect.header) {
            if (rec.problem != Record::Problem::None)
                throw InputError("the header row is malformed (a quote does not close)", line);
            for (std::size_t i = 0; i < rec.fields.size(); ++i) {
                std::string n(trim(rec.fields[i]));
                if (n.empty()) n = "column_" + std::to_string(i + 1);
                std::string unique = n;
                for (int k = 2; std::find(names.begin(), names.end(), unique) != names.end(); ++k)
                    unique = n + "_" + std::to_string(k);
                names.push_back(unique);
            }
            line += rec.line_breaks;
            p = after;
        } else {
            for (std::size_t i = 0; i < rec.fields.size(); ++i) names.push_back("column_" + std::to_string(i + 1));
        }
        data_begin = static_cast<std::size_t>(p - base);
        first_data_line = line;
        ncols = names.size();
        // Sample rows for role detection.
        const char* q = p;
        while (q < end && sample.size() < max_sample) {
            q = parse_record(q, end, ds.dialect, rec);
            avg_record_bytes = static_cast<std::size_t>(q - p) / (sample.size() + 1) + 1;
            if (rec.blank || rec.problem != Record::Problem::None || rec.fields.size() != ncols) continue;
            std::vector<std::string> row;
            for (auto f : rec.fields) row.emplace_back(trim(f));
            sample.push_back(std::move(row));
        }
        return names;
    }

    void setup(std::vector<std::string> names, const std::vector<std::vector<std::string>>& sample)
    {
        bool has_data = false;
        {
            const char* end = base + data_end;
            const char* p = base + data_begin;
            Record rec;
            while (p < end && !has_data) {
                p = parse_record(p, end, ds.dialect, rec);
                has_data = !rec.blank;
            }
        }
        if (!has_data)
            throw InputError(ds.dialect.header ? "the file has a header but no data rows" : "the file has no data rows");
        roles = detail::assign_roles(names, sample, opt);
        if ((opt.window_start || opt.window_end) && roles.time < 0)
            throw InputError("an analysis window needs a time column; none was found (name it with --time-col)");
        ds.file = path;
        ds.shape = roles.shape;
        ds.columns = roles.columns;
        ds.has_time = roles.time >= 0;
        ds.has_unit = roles.unit >= 0;
        ds.has_event = roles.event >= 0;
        ds.has_inclusion = roles.inclusion >= 0;
        for (int d : roles.dimensions) {
            ds.dimensions.push_back({names[static_cast<std::size_t>(d)], {}, false, 0});
            global_dims.emplace_back(opt.max_dimension_values);
        }
        for (int m : roles.metrics) ds.metrics.push_back({names[static_cast<std::size_t>(m)], true});
        threads = opt.threads ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
        layout = RowLayout(roles.unit >= 0, roles.count >= 0, ds.dimensions.size(), ds.metrics.size());
        if (!roles.dimensions.empty()) {
            const auto [lo, hi] = std::minmax_element(roles.dimensions.begin(), roles.dimensions.end());
            const int a = std::min(*lo, roles.variant), b = std::max(*hi, roles.variant);
            if (b - a + 1 == static_cast<int>(roles.dimensions.size()) + 1) {
                combo_lo = a;
                combo_hi = b;
            }
        }
    }

    // Parses one chunk's records into row buffers (phase a): the records
    // that start in [begin, end). Without an exact start it guesses the
    // first record starts after the first line break; run() verifies that
    // guess against the previous chunk and parses again where it was wrong.
    void parse_chunk(ChunkOut& c) const
    {
        const char* end = base + data_end;
        const char* chunk_end = base + c.end;
        const char* p = base + c.first;
        if (!c.exact_start) {
            p = base + c.begin;
            while (p < chunk_end && !(p[-1] == '\n' || (p[-1] == '\r' && *p != '\n'))) ++p;
            c.first = static_cast<std::size_t>(p - base);
        }
        const std::size_t nd = ds.dimensions.size(), nm = ds.metrics.size();
        c.lines = c.rows = c.rejected = c.blank = c.other = c.outside = 0;
        c.errors.clear();
        c.variants = LocalDict(255);
        c.dims.assign(nd, LocalDict(opt.max_dimension_values));
        c.metric_nonbinary.assign(nm, false);
        c.parts.resize(roles.unit >= 0 ? kPartitions : 1);
        {
            const std::size_t expect = (c.end - c.begin) / std::max<std::size_t>(avg_record_bytes, 8) / c.parts.size() * 5 / 4 + 16;
            for (auto& b : c.parts) {
                b.clear();
                b.reserve(expect * layout.stride);
            }
        }
        const auto* dcols = roles.dimensions.data();
        const auto* mcols = roles.metrics.data();
        std::vector<EventKind> event_kind_of;  // by local event code
        LocalDict events(4096);
        std::vector<std::uint16_t> dim_codes(nd);
        std::vector<float> metric_vals(nm);
        Record rec;
        std::uint64_t line = 0;
        auto reject = [&](std::uint64_t at, std::string message) {
            ++c.rejected;
            if (c.errors.size() < opt.max_errors_kept) c.errors.emplace_back(at, std::move(message));
        };
        // One well-formed record (its ncols fields at f) into the row buffers.
        ComboCache combos(1 + nd);
        std::vector<std::uint16_t> combo_codes(1 + nd);
        // `plain`: the fields are views into the file, one after the other.
        auto take = [&](std::uint64_t here, const std::string_view* f, bool plain) {
            const std::string_view variant = trim(f[static_cast<std::size_t>(roles.variant)]);
            if (variant.empty()) {
                reject(here, "empty variant");
                return;
            }
            std::int64_t t = kNoTime;
            if (roles.time >= 0) {
                const std::string_view ts = f[static_cast<std::size_t>(roles.time)];
                if (!detail::parse_fixed_iso(ts, t) && !parse_timestamp(ts, t)) {
                    reject(here, trim(ts).empty() ? std::string("empty time") : "unparsable time '" + shorten(ts) + "'");
                    return;
                }
            }
            std::uint64_t key = 0;
            if (roles.unit >= 0) {
                const std::string_view unit = trim(f[static_cast<std::size_t>(roles.unit)]);
                if (unit.empty()) {
                    reject(here, "empty unit id");
                    return;
                }
                key = hash_id(unit, base, end);
            }
            std::uint64_t weight = 1;
            if (roles.count >= 0) {
                const std::string_view cs = trim(f[static_cast<std::size_t>(roles.count)]);
                auto [ptr, ec] = std::from_chars(cs.data(), cs.data() + cs.size(), weight);
                if (ec != std::errc() || ptr != cs.data() + cs.size() || cs.empty()) {
                    double dv = 0;
                    auto [p2, ec2] = std::from_chars(cs.data(), cs.data() + cs.size(), dv);
                    if (ec2 == std::errc() && p2 == cs.data() + cs.size() && dv >= 0 && dv == std::floor(dv) && dv < 1.8e19) {
                        weight = static_cast<std::uint64_t>(dv);
                    } else {
                        reject(here, "count '" + shorten(cs) + "' is not a whole number of units (0 or more)");
                        return;
                    }
                }
            }
            auto kind = EventKind::Exposure;
            if (roles.event >= 0) {
                const std::uint16_t ec = events.code(trim(f[static_cast<std::size_t>(roles.event)]));
                if (ec == kNoCode) {
                    kind = detail::classify_event(trim(f[static_cast<std::size_t>(roles.event)]));
                } else {
                    while (event_kind_of.size() <= ec) event_kind_of.push_back(detail::classify_event(events.values()[event_kind_of.size()]));
                    kind = event_kind_of[ec];
                }
            }
            bool bad_metric = false;
            for (std::size_t m = 0; m < nm; ++m) {
                const std::string_view ms = trim(f[static_cast<std::size_t>(mcols[m])]);
                float v = 0;
                if (!ms.empty()) {
                    double dv = 0;
                    auto [ptr, ec] = std::from_chars(ms.data(), ms.data() + ms.size(), dv);
                    if (ec != std::errc() || ptr != ms.data() + ms.size() || !std::isfinite(dv)) {
                        reject(here, "metric '" + ds.metrics[m].name + "' has '" + shorten(ms) + "', not a number");
                        bad_metric = true;
                        break;
                    }
                    v = static_cast<float>(dv);
                    if (dv != 0 && dv != 1) c.metric_nonbinary[m] = true;
                }
                metric_vals[m] = v;
            }
            if (bad_metric) return;
            if (kind == EventKind::Other) {
                ++c.other;
                if (roles.unit < 0) return;  // without unit ids nothing else uses the row
            }
            if (t != kNoTime && ((opt.window_start && t < *opt.window_start) || (opt.window_end && t > *opt.window_end))) {
                ++c.outside;
                return;
            }
            std::uint16_t vcode;
            const bool by_combo = plain && combo_lo >= 0 && combos.active();
            std::string_view span;
            std::uint64_t span_hash = 0;
            const std::uint16_t* cached = nullptr;
            if (by_combo) {
                const char* from = f[static_cast<std::size_t>(combo_lo)].data();
                const std::string_view last = f[static_cast<std::size_t>(combo_hi)];
                span = std::string_view(from, static_cast<std::size_t>(last.data() + last.size() - from));
                span_hash = ComboCache::hash(span.data(), span.size(), end);
                cached = combos.find(span, span_hash, end);
            }
            if (cached) {
                vcode = cached[0];
                copy_codes(dim_codes.data(), cached + 1, nd);
            } else {
                vcode = c.variants.code(variant, base, end);
                if (vcode == kNoCode) {
                    reject(here, "more than 255 different variants: is '" +
                                     ds.columns[static_cast<std::size_t>(roles.variant)].name + "' really the variant column?");
                    return;
                }
                for (std::size_t d = 0; d < nd; ++d)
                    dim_codes[d] = c.dims[d].code(trim(f[static_cast<std::size_t>(dcols[d])]), base, end);
                if (by_combo) {
                    combo_codes[0] = vcode;
                    std::copy(dim_codes.begin(), dim_codes.end(), combo_codes.begin() + 1);
                    combos.insert(span, span_hash, combo_codes.data());
                }
            }
            const bool included = roles.inclusion >= 0 && detail::truthy(trim(f[static_cast<std::size_t>(roles.inclusion)]));
            unsigned char* r = c.parts[roles.unit >= 0 ? (key >> (64 - kPartitionBits)) : 0].append(layout.stride);
            if (roles.unit >= 0) std::memcpy(r + layout.key, &key, 8);
            std::memcpy(r + layout.time, &t, 8);
            if (roles.count >= 0) std::memcpy(r + layout.weight, &weight, 8);
            if (nm) std::memcpy(r + layout.metric, metric_vals.data(), 4 * nm);
            copy_codes(r + layout.dim, dim_codes.data(), nd);
            r[layout.variant] = static_cast<unsigned char>(vcode);
            r[layout.kind] = static_cast<unsigned char>(static_cast<unsigned>(kind) | (included ? 0x10u : 0u));
        };
        RecordScanner scanner(ds.dialect, end);
        std::vector<std::string_view> fields(ncols);
        while (p < chunk_end) {
            const std::uint64_t here = line;
            if (const char* next = scanner.scan(p, fields.data(), ncols)) {
                p = next;
                ++line;
                ++c.rows;
                take(here, fields.data(), true);
                continue;
            }
            p = parse_record(p, end, ds.dialect, rec);
            line += rec.line_breaks;
            if (rec.blank) {
                ++c.blank;
                continue;
            }
            ++c.rows;
            if (rec.problem == Record::Problem::UnterminatedQuote) {
                reject(here, "unterminated quote: a quoted field never closes (it runs to the end of the file)");
                continue;
            }
            if (rec.problem == Record::Problem::StrayQuote) {
                reject(here, std::string("text after the closing quote of a quoted field (") + ds.dialect.quote + ")");
                continue;
            }
            if (rec.fields.size() != ncols) {
                reject(here, "expected " + std::to_string(ncols) + " fields, found " + std::to_string(rec.fields.size()));
                continue;
            }
            take(here, rec.fields.data(), false);
        }
        c.lines = line;
        c.stop = static_cast<std::size_t>(p - base);
    }

    // Merges a batch's dictionaries, counters and errors in file order (phase b).
    // Returns, per chunk, local->global remaps (variant, then each dimension).
    std::vector<std::vector<std::vector<std::uint16_t>>> merge(std::vector<ChunkOut>& chunks, std::uint64_t& next_line)
    {
        std::vector<std::vector<std::vector<std::uint16_t>>> remaps(chunks.size());
        for (std::size_t k = 0; k < chunks.size(); ++k) {
            auto& c = chunks[k];
            auto& r = remaps[k];
            r.resize(1 + ds.dimensions.size());
            for (const auto& v : c.variants.values()) {
                const std::uint16_t g = global_variants.code(v);
                if (g == kNoCode)
                    throw InputError("more than 255 different variants: is '" +
                                     ds.columns[static_cast<std::size_t>(roles.variant)].name + "' really the variant column?");
                r[0].push_back(g);
            }
            for (std::size_t d = 0; d < ds.dimensions.size(); ++d) {
                for (const auto& v : c.dims[d].values()) r[1 + d].push_back(global_dims[d].code(v));
                if (c.dims[d].overflow()) ds.dimensions[d].excluded = true;
            }
            for (std::size_t m = 0; m < ds.metrics.size(); ++m)
                if (c.metric_nonbinary[m]) ds.metrics[m].binary = false;
            if (opt.strict && c.rejected > 0) {
                const auto& e = c.errors.front();
                throw InputError(e.second + " (--strict stops at the first bad row)", next_line + e.first);
            }
            for (auto& [offset, message] : c.errors) {
                if (ds.errors.size() < opt.max_errors_kept) ds.errors.push_back({next_line + offset, std::move(message)});
            }
            ds.rows_read += c.rows;
            ds.rows_rejected += c.rejected;
            ds.rows_other_events += c.other;
            ds.blank_lines += c.blank;
            outside_window += c.outside;
            next_line += c.lines;
        }
        return remaps;
    }

    std::uint64_t outside_window = 0;
    double trace_[4] = {0, 0, 0, 0};
    double trace_tables_ = 0;

    // Per chunk, pointers to its local->global code maps (variant, then each dimension).
    using Remaps = std::vector<std::vector<std::vector<std::uint16_t>>>;
    static std::vector<const std::uint16_t*> remap_pointers(const std::vector<std::vector<std::uint16_t>>& r)
    {
        std::vector<const std::uint16_t*> out;
        for (const auto& m : r) out.push_back(m.data());
        return out;
    }

    // Phase c for unit-keyed events: fold partition `part`'s rows of all chunks.
    void fold_partition(std::size_t part, std::vector<ChunkOut>& chunks, const Remaps& remaps)
    {
        UnitTable& table = *tables[part];
        const std::size_t nd = ds.dimensions.size(), nm = ds.metrics.size();
        const std::size_t moff = table.metric_off(), stride = layout.stride;
        constexpr std::size_t kDist = 16;  // rows to look ahead: prefetch their slots
        // Offsets and maps in locals: stores through byte pointers would
        // otherwise make the compiler reload them for every row.
        const RowLayout at = layout;
        const bool narrow = table.narrow();
        for (std::size_t k = 0; k < chunks.size(); ++k) {
            RowBuf& b = chunks[k].parts[part];
            const auto maps = remap_pointers(remaps[k]);
            const std::uint16_t* vmap = maps[0];
            const std::uint16_t* const* dmaps = maps.data() + 1;
            const std::size_t n = b.rows;
            // In groups: first the slots of a group's rows (the probes, with
            // the next group's slots prefetched), then their updates.
            constexpr std::size_t kGroup = 16;
            unsigned char* slot[kGroup];
            for (std::size_t i = 0; i < n; ++i) {
                const std::size_t g = i % kGroup;
                if (g == 0) {
                    const std::size_t stop = std::min(n, i + kGroup);
                    table.ensure_room(kGroup);  // no record moves within the group
                    UnitTable::Cursor cur = table.cursor();
                    const unsigned char* rows = b.row(0, stride) + at.key;
                    for (std::size_t j = i + kDist; j < std::min(n, stop + kDist); ++j) {
                        std::uint64_t ahead;
                        std::memcpy(&ahead, rows + j * stride, 8);
                        cur.prefetch(ahead);
                    }
                    for (std::size_t j = i; j < stop; ++j) {
                        std::uint64_t key;
                        std::memcpy(&key, rows + j * stride, 8);
                        slot[j - i] = cur.find_or_insert(key);
                    }
                    table.commit(cur);
                }
                const unsigned char* row = b.row(i, stride);
                unsigned char* r = slot[g];
                const std::uint8_t kind_bits = row[at.kind];
                const auto kind = static_cast<EventKind>(kind_bits & 0x0F);
                std::uint8_t flags = r[UnitTable::kFlagsOff];
                if (kind_bits & 0x10) flags |= kIncluded;
                const auto var = static_cast<std::uint8_t>(vmap[row[at.variant]]);
                if (kind == EventKind::Exposure) {
                    std::int64_t t0, t;
                    std::memcpy(&t0, r + UnitTable::kTimeOff, 8);
                    std::memcpy(&t, row + at.time, 8);
                    bool take = false;
                    if (!(flags & kExposed)) {
                        take = true;
                        flags |= kExposed;
                    } else {
                        if (r[UnitTable::kVarOff] != var) flags |= kJumped;
                        take = t < t0;  // earlier exposure later in the file; ties keep file order
                    }
                    if (take) {
                        std::memcpy(r + UnitTable::kTimeOff, &t, 8);
                        r[UnitTable::kVarOff] = var;
                        for (std::size_t d = 0; d < nd; ++d) {
                            std::uint16_t local;
                            std::memcpy(&local, row + at.dim + 2 * d, 2);
                            const std::uint16_t code = local == kNoCode ? kNoCode : dmaps[d][local];
                            UnitTable::set_dim(r, d, code, narrow);
                        }
                    }
                } else if (kind == EventKind::Assignment) {
                    if (!(flags & kAssigned)) r[UnitTable::kAssignedOff] = var;
                    flags |= kAssigned;
                }
                r[UnitTable::kFlagsOff] = flags;
                for (std::size_t m = 0; m < nm; ++m) {
                    float acc, v;
                    std::memcpy(&acc, r + moff + 4 * m, 4);
                    std::memcpy(&v, row + at.metric + 4 * m, 4);
                    acc += v;
                    std::memcpy(r + moff + 4 * m, &acc, 4);
                }
            }
            b.clear();
        }
    }

    // Phase c without unit ids: every row is an entry (weighted when aggregated).
    void append_rows(std::vector<ChunkOut>& chunks, const Remaps& remaps)
    {
        const std::size_t nd = ds.dimensions.size(), nm = ds.metrics.size();
        for (std::size_t k = 0; k < chunks.size(); ++k) {
            RowBuf& b = chunks[k].parts[0];
            const auto maps = remap_pointers(remaps[k]);
            for (std::size_t i = 0; i < b.rows; ++i) {
                const unsigned char* row = b.row(i, layout.stride);
                const auto kind = static_cast<EventKind>(row[layout.kind] & 0x0F);
                const auto var = static_cast<std::uint8_t>(maps[0][row[layout.variant]]);
                std::uint8_t flags = (row[layout.kind] & 0x10) ? kIncluded : 0;
                flags |= kind == EventKind::Assignment ? kAssigned : kExposed;
                std::int64_t t;
                std::memcpy(&t, row + layout.time, 8);
                ds.first_time.push_back(t);
                ds.variant.push_back(kind == EventKind::Assignment ? 0 : var);
                ds.assigned_variant.push_back(kind == EventKind::Assignment ? var : 0);
                ds.flags.push_back(flags);
                if (roles.count >= 0) {
                    std::uint64_t w;
                    std::memcpy(&w, row + layout.weight, 8);
                    ds.weight.push_back(w);
                }
                for (std::size_t d = 0; d < nd; ++d) {
                    std::uint16_t local;
                    std::memcpy(&local, row + layout.dim + 2 * d, 2);
                    ds.dim_codes.push_back(local == kNoCode ? kNoCode : maps[1 + d][local]);
                }
                for (std::size_t m = 0; m < nm; ++m) {
                    float v;
                    std::memcpy(&v, row + layout.metric + 4 * m, 4);
                    ds.metric_values.push_back(v);
                }
            }
            b.clear();
        }
    }

    void run()
    {
        const std::size_t total = data_end - data_begin;
        const std::size_t chunk_size =
            opt.chunk_bytes ? opt.chunk_bytes : std::clamp<std::size_t>(total / (threads * 16 + 1), 1 << 16, 2 << 20);
        // Up to 32 chunks (64 MiB) a batch: the mapped pages and row buffers
        // held at once stay bounded (16 MiB of file on 2 cores).
        const std::size_t batch_chunks = std::clamp<std::size_t>(threads * 4, 2, 32);
        // Initial unit tables: a guess from the file size, capped (192 MiB in
        // all), backed at once; past that the tables grow with the units, not
        // with the file. Starting smaller and growing costs more time than
        // it saves memory (rehashing at random into fresh memory).
        const std::size_t est_rows = total / 16 + 1024;
        constexpr std::size_t kMaxInitialSlots = std::size_t(1) << 20;  // 24 MiB a partition
        const auto tables_start = std::chrono::steady_clock::now();
        if (roles.unit >= 0) {
            // In parallel: backing the tables' memory is most of the work.
            tables.resize(kPartitions);
            detail::parallel_for(kPartitions, threads, [&](std::size_t p) {
                tables[p] = std::make_unique<UnitTable>(ds.dimensions.size(), ds.metrics.size(), opt.max_dimension_values <= 255,
                                                        std::min(est_rows / kPartitions / 8, kMaxInitialSlots));
            });
        }
        trace_tables_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - tables_start).count();
        std::size_t next_start = data_begin;
        std::uint64_t next_line = first_data_line;
        std::size_t pos = data_begin;
        if (opt.progress) opt.progress(0.0);
        // The chunks' row buffers are reused from batch to batch: their memory
        // is faulted in once, not for every batch.
        std::vector<ChunkOut> pool(batch_chunks);
        while (pos < data_end) {
            check_cancel();
            std::vector<ChunkOut> chunks;
            for (std::size_t k = 0; k < batch_chunks && pos < data_end; ++k) {
                ChunkOut& c = pool[k];
                c.begin = pos;
                c.end = std::min(data_end, pos + chunk_size);
                c.exact_start = false;
                pos = c.end;
                chunks.push_back(std::move(c));
            }
            auto t0 = std::chrono::steady_clock::now();
            // Parse every chunk at once; all but the first guess where their
            // first record starts.
            chunks.front().first = next_start;
            chunks.front().exact_start = true;
            detail::parallel_for(chunks.size(), threads, [&](std::size_t k) { parse_chunk(chunks[k]); });
            auto t1 = std::chrono::steady_clock::now();
            // A guess is right when it is where the previous chunk's last
            // record ended; otherwise (a quoted newline near the boundary)
            // parse that chunk again from there.
            for (std::size_t k = 1; k < chunks.size(); ++k) {
                auto& c = chunks[k];
                const std::size_t start = chunks[k - 1].stop;
                if (c.first == start) continue;
                c.first = start;  // at or past c.end: no record starts in this chunk
                c.exact_start = true;
                parse_chunk(c);
            }
            next_start = chunks.back().stop;
            check_cancel();
            auto t2 = std::chrono::steady_clock::now();
            const auto remaps = merge(chunks, next_line);
            auto t3 = std::chrono::steady_clock::now();
            if (roles.unit >= 0)
                detail::parallel_for(kPartitions, threads, [&](std::size_t p) { fold_partition(p, chunks, remaps); });
            else
                append_rows(chunks, remaps);
            auto t4 = std::chrono::steady_clock::now();
            trace_[0] += std::chrono::duration<double>(t1 - t0).count();
            trace_[1] += std::chrono::duration<double>(t2 - t1).count();
            trace_[2] += std::chrono::duration<double>(t3 - t2).count();
            trace_[3] += std::chrono::duration<double>(t4 - t3).count();
            // A record may run past its chunk; keep a margin before releasing pages.
            if (mapped) mapped->release_before(ds.dialect.bom_bytes + next_start);
            if (opt.progress) opt.progress(static_cast<double>(pos - data_begin) / static_cast<double>(total ? total : 1));
            for (std::size_t k = 0; k < chunks.size(); ++k) pool[k] = std::move(chunks[k]);
        }
        auto t5 = std::chrono::steady_clock::now();
        const long hwm_rows = trace_hwm_kb();
        if (roles.unit >= 0) move_tables_into_dataset();
        finish_dictionaries();
        if (std::getenv("SRM_LOAD_TRACE"))
            std::fprintf(stderr, "load phases (s): tables %.3f parse %.3f repair %.3f merge %.3f fold %.3f finish %.3f; peak RSS %ld MB before finish, %ld MB after\n",
                         trace_tables_, trace_[0], trace_[1], trace_[2], trace_[3],
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - t5).count(), hwm_rows / 1024,
                         trace_hwm_kb() / 1024);
    }

    // Copies the unit tables into the dataset's arrays, a partition per task
    // (each at its offset), releasing every table once copied: the arrays'
    // pages are touched as the tables' are given back. Also sets the span.
    void move_tables_into_dataset()
    {
        const std::size_t nd = ds.dimensions.size(), nm = ds.metrics.size();
        std::vector<std::size_t> offset(tables.size() + 1, 0);
        for (std::size_t p = 0; p < tables.size(); ++p) offset[p + 1] = offset[p] + tables[p]->size();
        const std::size_t units = offset.back();
        auto size_column = [units](auto& column, std::size_t per_unit) {
            column.resize(units * per_unit);  // uninitialised: no page is touched here
        };
        size_column(ds.first_time, 1);
        size_column(ds.variant, 1);
        size_column(ds.assigned_variant, 1);
        size_column(ds.flags, 1);
        size_column(ds.dim_codes, nd);
        size_column(ds.metric_values, nm);
        std::vector<std::int64_t> lo(tables.size(), kNoTime), hi(tables.size(), kNoTime);
        detail::parallel_for(tables.size(), threads, [&](std::size_t p) {
            UnitTable& t = *tables[p];
            std::size_t at = offset[p];
            std::int64_t span_lo = std::numeric_limits<std::int64_t>::max(), span_hi = kNoTime;
            for (std::size_t i = 0; i < t.capacity(); ++i) {
                if (!t.used(i)) continue;
                const unsigned char* r = t.record(i);
                std::int64_t time;
                std::memcpy(&time, r + UnitTable::kTimeOff, 8);
                const std::uint8_t flags = r[UnitTable::kFlagsOff];
                ds.first_time[at] = time;
                ds.variant[at] = r[UnitTable::kVarOff];
                ds.assigned_variant[at] = r[UnitTable::kAssignedOff];
                ds.flags[at] = flags;
                if ((flags & kExposed) && time != kNoTime) {
                    span_lo = std::min(span_lo, time);
                    span_hi = std::max(span_hi, time);
                }
                for (std::size_t d = 0; d < nd; ++d) ds.dim_codes[at * nd + d] = t.dim(r, d);
                for (std::size_t m = 0; m < nm; ++m) std::memcpy(&ds.metric_values[at * nm + m], r + t.metric_off() + 4 * m, 4);
                ++at;
            }
            if (span_hi != kNoTime) {
                lo[p] = span_lo;
                hi[p] = span_hi;
            }
            tables[p].reset();
        });
        tables.clear();
        for (std::size_t p = 0; p < lo.size(); ++p) {
            if (lo[p] == kNoTime) continue;
            if (ds.min_time == kNoTime || lo[p] < ds.min_time) ds.min_time = lo[p];
            if (ds.max_time == kNoTime || hi[p] > ds.max_time) ds.max_time = hi[p];
        }
        span_known = true;
    }
    bool span_known = false;

    void finish_dictionaries()
    {
        ds.variants = global_variants.values();
        for (std::size_t d = 0; d < ds.dimensions.size(); ++d) {
            auto& info = ds.dimensions[d];
            info.values = global_dims[d].values();
            info.distinct = info.values.size() + (global_dims[d].overflow() ? 1 : 0);
            if (global_dims[d].overflow()) info.excluded = true;
        }
        // Binary metrics: per unit "any" (the sum capped at 1).
        const std::size_t nm = ds.metrics.size();
        for (std::size_t m = 0; m < nm; ++m)
            if (ds.metrics[m].binary && ds.has_unit)
                for (std::size_t i = 0; i < ds.size(); ++i) {
                    float& v = ds.metric_values[i * nm + m];
                    if (v > 1.0f) v = 1.0f;
                }
    }
};

}  // namespace

namespace {
Dataset load_all(Loader& loader, const LoadOptions& options)
{
    std::vector<std::vector<std::string>> sample;
    auto names = loader.read_head(sample, 2000);
    loader.setup(std::move(names), sample);
    loader.run();
    loader.ds.rows_outside_window = loader.outside_window;
    Dataset& ds = loader.ds;
    for (std::size_t i = 0; !loader.span_known && i < ds.size(); ++i) {
        if (!(ds.flags[i] & kExposed) || ds.first_time[i] == kNoTime) continue;
        if (ds.min_time == kNoTime || ds.first_time[i] < ds.min_time) ds.min_time = ds.first_time[i];
        if (ds.max_time == kNoTime || ds.first_time[i] > ds.max_time) ds.max_time = ds.first_time[i];
    }
    if (options.progress) options.progress(1.0);
    return std::move(loader.ds);
}
}  // namespace

Dataset load_csv(const std::string& path, const LoadOptions& options)
{
    Loader loader(path, options);
    return load_all(loader, options);
}

Dataset load_csv_memory(std::string_view bytes, const std::string& name, const LoadOptions& options)
{
    Loader loader(bytes, name, options);
    return load_all(loader, options);
}

Preview preview_csv(const std::string& path, const LoadOptions& options, std::size_t rows)
{
    Loader loader(path, options);
    std::vector<std::vector<std::string>> sample;
    auto names = loader.read_head(sample, std::max<std::size_t>(rows, 2000));
    loader.setup(names, sample);
    Preview p;
    p.dialect = loader.ds.dialect;
    p.shape = loader.ds.shape;
    p.columns = loader.ds.columns;
    sample.resize(std::min(sample.size(), rows));
    p.rows = std::move(sample);
    return p;
}

}  // namespace srm
