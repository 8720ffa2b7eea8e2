// The CSV loader's driver (the outline is in loader_internal.hpp): the input
// read window by window, each window's chunks parsed in parallel, merged in
// file order and folded into the unit tables.
#include "loader_internal.hpp"
#include "mapped_input_internal.hpp"
#include "values_internal.hpp"

#include "srm/errors.hpp"
#include "srm/parallel.hpp"
#include "srm/text.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <cassert>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace srm {

namespace {

using namespace detail;

constexpr std::size_t kMinWindowBytes = std::size_t(1) << 20;
constexpr std::size_t kSampleRows = 2000;

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

// /proc/meminfo's MemAvailable (bytes): what can be allocated without
// swapping; none where it is not known.
std::optional<std::uint64_t> available_memory()
{
    std::FILE* f = std::fopen("/proc/meminfo", "r");
    if (!f) return std::nullopt;
    char line[256];
    std::optional<std::uint64_t> bytes;
    while (std::fgets(line, sizeof line, f))
        if (std::strncmp(line, "MemAvailable:", 13) == 0) bytes = std::strtoull(line + 13, nullptr, 10) * 1024;
    std::fclose(f);
    return bytes;
}

double seconds_since(std::chrono::steady_clock::time_point t)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The input as a sequence of windows: a file or pipe read into one reused
// buffer (what the last window left unread moves to its front), or bytes in
// memory viewed in place.
class Reader {
public:
    Reader(std::unique_ptr<ByteSource> source, std::size_t window, unsigned threads)
        : source_(std::move(source)), capacity_(window), threads_(threads)
    {
        buffer_.resize(capacity_);
    }
    Reader(std::string_view memory, std::size_t window) : memory_(memory), in_memory_(true), capacity_(window) {}
    /// A plain file mapped into memory: windows are views of the mapping.
    Reader(std::unique_ptr<MappedInput> mapped, std::size_t window)
        : mapped_(std::move(mapped)), memory_(mapped_->data(), mapped_->size()), in_memory_(true), capacity_(window)
    {
    }

    /// After a window is parsed: the file did not change under the mapping,
    /// and the pages behind `offset` (from the window's start) are given back.
    void done_with(std::size_t offset, bool at_end) const
    {
        if (!mapped_) return;
        mapped_->check(at_end);
        mapped_->release_before(offset_ + offset);
    }

    /// The next window, keeping the current one's bytes from `keep_from` on.
    Window next(std::size_t keep_from)
    {
        if (in_memory_) {
            offset_ += keep_from;
            const std::size_t size = std::min(capacity_, memory_.size() - offset_);
            return {memory_.data() + offset_, size, offset_ + size == memory_.size()};
        }
        if (keep_from > 0) {
            std::memmove(buffer_.data(), buffer_.data() + keep_from, filled_ - keep_from);
            filled_ -= keep_from;
        }
        if (!eof_ && filled_ < capacity_) {
            const std::size_t want = capacity_ - filled_;
            const std::size_t got = source_->fill(buffer_.data() + filled_, want, threads_);
            if (got < want) eof_ = true;
            filled_ += got;
            read_ += got;
        }
        return {buffer_.data(), filled_, eof_};
    }

    /// The bytes from the current window's start on that can be looked at
    /// before they are parsed, at least `want` when there are so many: in
    /// memory beyond the window, from a stream the window itself.
    std::string_view lookahead(const Window& w, std::size_t want) const
    {
        if (!in_memory_) return {w.base, w.size};
        return memory_.substr(offset_, std::max(w.size, std::min(want, memory_.size() - offset_)));
    }
    bool at_end_of(std::string_view ahead) const
    {
        return in_memory_ ? ahead.data() + ahead.size() == memory_.data() + memory_.size() : eof_ && ahead.size() == filled_;
    }
    bool in_memory() const { return in_memory_; }

    /// Gives the buffer back (once everything is read).
    void release()
    {
        std::vector<char>().swap(buffer_);
        filled_ = 0;
    }

    /// Doubles the window (for a record longer than one).
    void grow()
    {
        capacity_ *= 2;
        if (!in_memory_) buffer_.resize(capacity_);
    }

    /// Fraction of the input read once the current window is done up to
    /// `used`, when the input's size is known (negative otherwise).
    double progress(std::size_t used = 0) const
    {
        if (in_memory_) return memory_.empty() ? 1.0 : static_cast<double>(offset_ + used) / static_cast<double>(memory_.size());
        const auto total = source_->total();
        return total && *total > 0 ? std::min(1.0, static_cast<double>(source_->consumed()) / static_cast<double>(*total)) : -1.0;
    }
    std::uint64_t bytes_read() const { return in_memory_ ? memory_.size() : read_; }
    /// The input's size when it is known before it is read (plain files and
    /// memory); for compressed input a guess from a typical CSV ratio.
    std::size_t size_hint() const
    {
        if (in_memory_) return memory_.size();
        const auto total = source_->total();
        if (!total) return 0;
        return static_cast<std::size_t>(source_->encoding() == "plain" ? *total : *total * 8);
    }
    std::string compression() const { return in_memory_ ? "plain" : source_->encoding(); }
    static Reader open(const std::string& path, std::size_t window, unsigned threads)
    {
        if (auto mapped = MappedInput::map(path)) return Reader(std::move(mapped), window);
        return Reader(open_source(path), window, threads);
    }

private:
    std::unique_ptr<ByteSource> source_;
    std::unique_ptr<MappedInput> mapped_;
    std::string_view memory_;
    bool in_memory_ = false;
    std::size_t capacity_;
    std::vector<char> buffer_;
    unsigned threads_ = 1;
    std::size_t filled_ = 0, offset_ = 0;
    std::uint64_t read_ = 0;
    bool eof_ = false;
};

// Header names: blanks as column_N, duplicates made unique (and remembered
// for a warning).
std::vector<std::string> header_names(const Record& rec, std::vector<std::pair<std::string, std::string>>& renamed)
{
    std::vector<std::string> names;
    // Sets, so that a header of 100,000 columns (or of one name 100,000 times)
    // is not 10^10 comparisons: the names taken, and each name's next suffix.
    std::unordered_set<std::string> taken;
    std::unordered_map<std::string, int> next_suffix;
    for (std::size_t i = 0; i < rec.fields.size(); ++i) {
        std::string n(trim(rec.fields[i]));
        if (n.empty()) n = "column_" + std::to_string(i + 1);
        std::string unique = n;
        int& k = next_suffix.try_emplace(n, 2).first->second;
        for (; taken.count(unique); ++k) unique = n + "_" + std::to_string(k);
        if (unique != n) renamed.emplace_back(n, unique);
        taken.insert(unique);
        names.push_back(unique);
    }
    return names;
}

class Loader {
public:
    Loader(const std::string& path, const LoadOptions& options)
        : s_(path, options), reader_(Reader::open(path, window_bytes(options, 0), thread_count(options)))
    {
    }
    Loader(std::string_view memory, const std::string& name, const LoadOptions& options)
        : s_(name, options), reader_(memory, window_bytes(options, memory.size()))
    {
    }

    /// The first window: dialect, header, a sample of rows, column roles.
    void head()
    {
        window_ = reader_.next(0);
        if (window_.size == 0) throw InputError("the file is empty");
        // The dialect and the roles need whole rows to look at: a stream's
        // first window grows to the usual size when a small one was asked for
        // (in memory they look beyond the window).
        while (!reader_.in_memory() && !window_.final && window_.size < kMinWindowBytes) {
            reader_.grow();
            window_ = reader_.next(0);
        }
        read_head();
        setup();
    }

    Dataset load()
    {
        head();
        run();
        finish();
        return std::move(s_.ds);
    }

    Preview preview(std::size_t rows)
    {
        head();
        Preview p;
        p.dialect = s_.ds.dialect;
        p.shape = s_.ds.shape;
        p.columns = s_.ds.columns;
        sample_.resize(std::min(sample_.size(), rows));
        p.rows = std::move(sample_);
        return p;
    }

private:
    static std::size_t chunk_bytes(const LoadOptions& o, std::size_t total, unsigned threads)
    {
        if (o.chunk_bytes) return o.chunk_bytes;
        return total ? std::clamp<std::size_t>(total / (threads * 16 + 1), 1 << 16, 2 << 20) : std::size_t(2) << 20;
    }
    // Up to 32 chunks a window (64 MiB): the bytes and row buffers held at
    // once stay bounded (16 MiB of input on 2 cores).
    static std::size_t batch_chunks(unsigned threads) { return std::clamp<std::size_t>(threads * 4, 2, 32); }
    static unsigned thread_count(const LoadOptions& o) { return o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency()); }
    static std::size_t window_bytes(const LoadOptions& o, std::size_t total)
    {
        if (o.window_bytes) return o.window_bytes;
        const unsigned t = thread_count(o);
        return std::max(kMinWindowBytes, chunk_bytes(o, total, t) * batch_chunks(t));
    }

    void read_head()
    {
        Dataset& ds = s_.ds;
        const std::string_view ahead = reader_.lookahead(window_, kMinWindowBytes);
        const std::size_t probe = std::min<std::size_t>(ahead.size(), 1 << 18);
        ds.dialect = sniff_dialect(ahead.substr(0, probe), s_.opt.delimiter, s_.opt.header);
        const char* base = ahead.data();
        const char* end = base + ahead.size();
        const char* p = base + ds.dialect.bom_bytes + ds.dialect.preamble_bytes;
        Record rec;
        std::uint64_t line = 1 + ds.dialect.preamble_lines;
        while (p < end) {  // leading blank lines
            const char* next = parse_record(p, end, ds.dialect, rec);
            if (!rec.blank) break;
            line += rec.line_breaks;
            p = next;
        }
        if (p >= end) throw InputError("the file has no data: it holds only blank lines");
        const char* after = parse_record(p, end, ds.dialect, rec);
        if (ds.dialect.header) {
            if (rec.problem != Record::Problem::None) throw InputError("the header row is malformed (a quote does not close)", line);
            names_ = header_names(rec, renamed_);
            line += rec.line_breaks;
            p = after;
        } else {
            for (std::size_t i = 0; i < rec.fields.size(); ++i) names_.push_back("column_" + std::to_string(i + 1));
        }
        data_begin_ = static_cast<std::size_t>(p - base);
        if (data_begin_ > window_.size) {  // a header longer than a small window (in memory): the data starts in a later one
            window_ = reader_.next(data_begin_);
            data_begin_ = 0;
        }
        first_data_line_ = line;
        s_.ncols = names_.size();
        read_sample(p, end, reader_.at_end_of(ahead));
    }

    // Sample rows for role detection: complete records of the first bytes.
    void read_sample(const char* p, const char* end, bool final)
    {
        Record rec;
        const char* q = p;
        while (q < end && sample_.size() < kSampleRows) {
            const char* next = parse_record(q, end, s_.ds.dialect, rec);
            if (!final && next == end && (end[-1] != '\n' || rec.problem == Record::Problem::UnterminatedQuote)) break;
            q = next;
            s_.avg_record_bytes = static_cast<std::size_t>(q - p) / (sample_.size() + 1) + 1;
            if (rec.blank || rec.problem != Record::Problem::None || rec.fields.size() != s_.ncols) continue;
            std::vector<std::string> row;
            for (auto f : rec.fields) row.emplace_back(trim(f));
            sample_.push_back(std::move(row));
        }
    }

    void setup()
    {
        Dataset& ds = s_.ds;
        const LoadOptions& opt = s_.opt;
        if (window_.final && !has_data_row())
            throw InputError(ds.dialect.header ? "the file has a header but no data rows" : "the file has no data rows");
        s_.roles = assign_roles(names_, sample_, opt, [this](std::size_t col) { return window_values(col); });
        ds.warnings = s_.roles.warnings;
        add_renamed_warnings();
        const RoleAssignment& roles = s_.roles;
        if ((opt.window_start || opt.window_end) && roles.time < 0)
            throw InputError("an analysis window needs a time column; none was found (name it with --time-col)");
        ds.file = s_.path;
        ds.shape = roles.shape;
        ds.columns = roles.columns;
        ds.has_time = roles.time >= 0;
        ds.has_unit = roles.unit >= 0;
        ds.has_event = roles.event >= 0 || roles.assigned_variant >= 0;
        ds.has_inclusion = roles.inclusion >= 0;
        ds.has_multi_variant = roles.multi_variant >= 0;
        for (int d : roles.dimensions) {
            ds.dimensions.push_back({names_[static_cast<std::size_t>(d)], {}, false, 0});
            s_.global_dims.emplace_back(opt.max_dimension_values);
        }
        for (int m : roles.metrics) ds.metrics.push_back({names_[static_cast<std::size_t>(m)], true});
        s_.mirror_expected = roles.mirror_expected;
        s_.threads = thread_count(opt);
        s_.layout = RowLayout(roles.unit >= 0, roles.count >= 0, ds.dimensions.size(), ds.metrics.size(), roles.assigned_variant >= 0);
        if (!roles.dimensions.empty()) {
            const auto [lo, hi] = std::minmax_element(roles.dimensions.begin(), roles.dimensions.end());
            const int a = std::min(*lo, roles.variant), b = std::max(*hi, roles.variant);
            if (b - a + 1 == static_cast<int>(roles.dimensions.size()) + 1) {
                s_.combo_lo = a;
                s_.combo_hi = b;
            }
        }
    }

    // The values of one column in every complete record of the first bytes
    // (to tell day from month where the first rows cannot).
    std::vector<std::string> window_values(std::size_t col) const
    {
        std::vector<std::string> out;
        const std::string_view ahead = reader_.lookahead(window_, kMinWindowBytes);
        const bool final = reader_.at_end_of(ahead);
        const char* end = ahead.data() + ahead.size();
        const char* p = ahead.data() + data_begin_;
        Record rec;
        while (p < end && out.size() < 2000000) {
            const char* next = parse_record(p, end, s_.ds.dialect, rec);
            if (!final && next == end && (end[-1] != '\n' || rec.problem == Record::Problem::UnterminatedQuote)) break;
            p = next;
            if (rec.blank || rec.problem != Record::Problem::None || rec.fields.size() != s_.ncols) continue;
            const std::string_view v = trim(rec.fields[col]);
            if (!is_missing(v)) out.emplace_back(v);
        }
        return out;
    }

    void add_renamed_warnings()
    {
        // One warning for each of the first kShown renamed columns, then one for the rest.
        constexpr std::size_t kShown = 20;
        std::unordered_map<std::string, std::string> role;
        for (const auto& c : s_.roles.columns) role.emplace(c.name, to_string(c.role));
        const auto role_of = [&](const std::string& n) {
            const auto it = role.find(n);
            return it == role.end() ? std::string("ignore") : it->second;
        };
        for (std::size_t i = 0; i < renamed_.size() && i < kShown; ++i) {
            const auto& [name, unique] = renamed_[i];
            s_.ds.warnings.push_back({"duplicate_header",
                                      "two columns are named '" + shorten(name) + "': the first is used as " + role_of(name) + ", the later one is read as '" +
                                          shorten(unique) + "' and used as " + role_of(unique),
                                      name, std::nullopt});
        }
        if (renamed_.size() > kShown)
            s_.ds.warnings.push_back({"duplicate_header",
                                      group_thousands(renamed_.size() - kShown) + " more columns repeat an earlier column's name; each is read under its "
                                          "name with a suffix (_2, _3, ...)",
                                      std::nullopt, std::nullopt});
    }

    bool has_data_row() const
    {
        const char* end = window_.base + window_.size;
        const char* p = window_.base + data_begin_;
        Record rec;
        while (p < end) {
            p = parse_record(p, end, s_.ds.dialect, rec);
            if (!rec.blank) return true;
        }
        return false;
    }

    // Initial unit tables: a guess from the input size, capped (192 MiB in
    // all), backed at once; past that the tables grow with the units, not
    // with the input. Starting smaller and growing costs more time than it
    // saves memory (rehashing at random into fresh memory).
    void make_tables(std::size_t input_bytes)
    {
        if (s_.roles.unit < 0) return;
        const auto t0 = std::chrono::steady_clock::now();
        const std::size_t est_rows = input_bytes / 16 + 1024;
        constexpr std::size_t kMaxInitialSlots = std::size_t(1) << 20;  // 24 MiB a partition
        s_.tables.resize(kPartitions);
        parallel_for(kPartitions, s_.threads, [&](std::size_t p) {
            s_.tables[p] = std::make_unique<UnitTable>(s_.ds.dimensions.size(), s_.ds.metrics.size(), s_.opt.max_dimension_values <= 255,
                                                       std::min(est_rows / kPartitions / 8, kMaxInitialSlots));
        });
        s_.trace[0] = seconds_since(t0);
    }

    // The window's records from `start` on, in chunks parsed in parallel;
    // returns where the last complete record ends.
    std::size_t parse_window(std::size_t start, std::vector<ChunkOut>& chunks)
    {
        const std::size_t chunk = chunk_bytes(s_.opt, total_hint_, s_.threads);
        chunks.clear();
        for (std::size_t pos = start; pos < window_.size; pos += chunk) {
            if (chunks.size() == pool_.size()) pool_.emplace_back();
            ChunkOut& c = pool_[chunks.size()];
            c.begin = pos;
            c.end = std::min(window_.size, pos + chunk);
            c.exact_start = false;
            chunks.push_back(std::move(c));
        }
        if (chunks.empty()) return start;
        chunks.front().first = start;
        chunks.front().exact_start = true;
        auto t0 = std::chrono::steady_clock::now();
        parallel_for(chunks.size(), s_.threads, [&](std::size_t k) { parse_chunk(s_, window_, chunks[k]); });
        auto t1 = std::chrono::steady_clock::now();
        // A guess is right when it is where the previous chunk's last record
        // ended; otherwise (a quoted newline near the boundary) parse that
        // chunk again from there.
        for (std::size_t k = 1; k < chunks.size(); ++k) {
            auto& c = chunks[k];
            const auto& previous = chunks[k - 1];
            const std::size_t at = previous.stop;
            assert(at >= previous.first && at <= window_.size);
            if (c.first == at) continue;
            c.first = at;  // at or past c.end: no record starts in this chunk
            c.exact_start = true;
            // The previous chunk stopped short of its end: its last record runs
            // past the window, so nothing after it is complete. This chunk is
            // left empty rather than scanning that record again (which made a
            // record of hundreds of MB cost a scan per chunk).
            if (at < previous.end) c.begin = c.end = at;
            parse_chunk(s_, window_, c);
        }
        s_.trace[1] += std::chrono::duration<double>(t1 - t0).count();
        s_.trace[2] += seconds_since(t1);
        return chunks.back().stop;
    }

    // After the first window of a file with unit ids: its distinct units,
    // scaled to the whole input by the share read, times what a unit costs
    // (its table slot at the lowest load factor, 0.4, and its entry in the
    // dataset's arrays), against the memory available. Refuses the file,
    // pointing to the warehouse, before hours of swapping.
    void check_memory(double fraction)
    {
        if (!s_.opt.memory_check || s_.roles.unit < 0 || !(fraction > 0 && fraction < 1)) return;
        std::uint64_t units = 0;
        for (const auto& t : s_.tables) units += t->size();
        const std::size_t nd = s_.ds.dimensions.size(), nm = s_.ds.metrics.size();
        const double per_unit = 2.5 * static_cast<double>(8 + s_.tables[0]->record_bytes()) + static_cast<double>(11 + 2 * nd + 8 * nm);
        const double units_total = static_cast<double>(units) / fraction;
        const double need = units_total * per_unit;
        const std::optional<std::uint64_t> available = s_.opt.memory_available ? s_.opt.memory_available : available_memory();
        if (!available || need <= static_cast<double>(*available)) return;
        auto mb = [](double bytes) {
            if (bytes >= 1e9) return format_fixed(bytes / 1e9, 1) + " GB";
            if (bytes >= 1e6) return format_fixed(bytes / 1e6, 0) + " MB";
            return format_fixed(bytes / 1e3, 0) + " kB";
        };
        throw InputError("this file would need about " + mb(need) + " of memory for its about " +
                         group_thousands(static_cast<std::uint64_t>(units_total)) + " distinct units (" + format_fixed(per_unit, 0) +
                         " bytes each; estimated from the first " + format_fixed(fraction * 100.0, 1) + " % of the input), and " +
                         mb(static_cast<double>(*available)) +
                         " are available. Aggregate it where it is stored: srm-check --print-sql ENGINE prints the query "
                         "(see --help); or load it anyway with --no-memory-check.");
    }

    void give_back(std::vector<ChunkOut>& chunks)
    {
        for (std::size_t k = 0; k < chunks.size(); ++k) pool_[k] = std::move(chunks[k]);
    }

    void run()
    {
        const LoadOptions& opt = s_.opt;
        total_hint_ = reader_.size_hint();
        make_tables(total_hint_ ? total_hint_ : window_.size * 8);
        std::uint64_t next_line = first_data_line_;
        std::size_t start = data_begin_;
        if (opt.progress) opt.progress(0.0);
        std::vector<ChunkOut> chunks;
        bool first_window = true;
        while (true) {
            check_cancel(opt.cancel);
            const std::size_t stop = parse_window(start, chunks);
            if (!window_.final && stop == start) {
                // No record ends in the window: one longer than it. Read more.
                give_back(chunks);
                if (window_.size - start >= opt.max_record_bytes) {
                    const std::size_t limit = opt.max_record_bytes;
                    const std::string size = limit >= (std::size_t(1) << 20) ? std::to_string(limit >> 20) + " MiB" : std::to_string(limit >> 10) + " KiB";
                    throw InputError("a record longer than " + size +
                                         " (no line end where one was expected): this is not a CSV export, or a quote does not close",
                                     next_line);
                }
                reader_.grow();
                window_ = reader_.next(start);
                start = 0;
                continue;
            }
            check_cancel(opt.cancel);
            reader_.done_with(0, false);  // a window read off a truncated file is not merged
            auto t2 = std::chrono::steady_clock::now();
            const auto remaps = merge_chunks(s_, chunks, next_line);
            auto t3 = std::chrono::steady_clock::now();
            if (s_.roles.unit >= 0)
                parallel_for(kPartitions, s_.threads, [&](std::size_t p) { fold_partition(s_, p, chunks, remaps); });
            else
                append_rows(s_, chunks, remaps);
            s_.trace[3] += std::chrono::duration<double>(t3 - t2).count();
            s_.trace[4] += seconds_since(t3);
            give_back(chunks);
            reader_.done_with(stop, window_.final);
            if (first_window && !window_.final) check_memory(reader_.progress(stop));
            first_window = false;
            if (opt.progress) opt.progress(std::max(0.0, reader_.progress(stop)));
            if (window_.final) break;
            assert(stop <= window_.size);
            window_ = reader_.next(stop);
            start = 0;
        }
    }

    void finish()
    {
        Dataset& ds = s_.ds;
        const auto t5 = std::chrono::steady_clock::now();
        const long hwm_rows = trace_hwm_kb();
        reader_.release();
        std::vector<ChunkOut>().swap(pool_);
        if (s_.roles.unit >= 0) move_tables_into_dataset(s_);
        else
            for (std::size_t i = 0; i < ds.size(); ++i) {
                if (!(ds.flags[i] & kExposed) || ds.first_time[i] == kNoTime) continue;
                if (ds.min_time == kNoTime || ds.first_time[i] < ds.min_time) ds.min_time = ds.first_time[i];
                if (ds.max_time == kNoTime || ds.first_time[i] > ds.max_time) ds.max_time = ds.first_time[i];
            }
        finish_dictionaries(s_);
        ds.rows_outside_window = s_.outside_window;
        ds.compression = reader_.compression();
        if (s_.roles.mirror >= 0) {
            ds.mirror_column = s_.ds.columns[static_cast<std::size_t>(s_.roles.mirror)].name;
            ds.mirror_expected = s_.roles.mirror_expected;
            ds.mirror_disagreeing_rows = s_.disagreeing_rows;
        }
        ds.input_bytes = reader_.bytes_read();
        if (ds.rows_read == 0 && ds.rows_rejected == 0)
            throw InputError(ds.dialect.header ? "the file has a header but no data rows" : "the file has no data rows");
        if (std::getenv("SRM_LOAD_TRACE"))
            std::fprintf(stderr,
                         "load phases (s): tables %.3f parse %.3f repair %.3f merge %.3f fold %.3f finish %.3f; peak RSS %ld MB before "
                         "finish, %ld MB after\n",
                         s_.trace[0], s_.trace[1], s_.trace[2], s_.trace[3], s_.trace[4], seconds_since(t5), hwm_rows / 1024,
                         trace_hwm_kb() / 1024);
        if (s_.opt.progress) s_.opt.progress(1.0);
    }

    LoadState s_;
    Reader reader_;
    Window window_;
    std::vector<std::string> names_;
    std::vector<std::pair<std::string, std::string>> renamed_;
    std::vector<std::vector<std::string>> sample_;
    std::size_t data_begin_ = 0, total_hint_ = 0;
    std::uint64_t first_data_line_ = 1;
    std::vector<ChunkOut> pool_;  // the chunks' row buffers, reused from window to window
};

}  // namespace

namespace detail {

std::vector<ChunkRemap> merge_chunks(LoadState& s, std::vector<ChunkOut>& chunks, std::uint64_t& next_line)
{
    Dataset& ds = s.ds;
    std::vector<ChunkRemap> remaps(chunks.size());
    for (std::size_t k = 0; k < chunks.size(); ++k) {
        auto& c = chunks[k];
        auto& r = remaps[k];
        r.resize(1 + ds.dimensions.size());
        for (const auto& v : c.variants.values()) {
            const std::uint16_t g = s.global_variants.code(v);
            if (g == kNoCode)
                throw InputError("more than 255 different variants: is '" + ds.columns[static_cast<std::size_t>(s.roles.variant)].name +
                                 "' really the variant column?");
            r[0].push_back(g);
        }
        for (std::size_t d = 0; d < ds.dimensions.size(); ++d) {
            for (const auto& v : c.dims[d].values()) r[1 + d].push_back(s.global_dims[d].code(v));
            if (c.dims[d].overflow()) ds.dimensions[d].excluded = true;
        }
        for (std::size_t m = 0; m < ds.metrics.size(); ++m)
            if (c.metric_nonbinary[m]) ds.metrics[m].binary = false;
        if (s.opt.strict && c.rejected.total > 0) {
            const auto& e = c.rejected.kept.front();
            throw InputError(e.second + " (--strict stops at the first bad row)", next_line + e.first);
        }
        for (auto& [offset, message] : c.rejected.kept)
            if (ds.errors.size() < s.opt.max_errors_kept) ds.errors.push_back({next_line + offset, std::move(message)});
        for (std::size_t why = 0; why < c.rejected.counts.size(); ++why) {
            if (c.rejected.counts[why] == 0) continue;
            const std::string code = reason_code(static_cast<RejectReason>(why));
            auto it = std::find_if(ds.rejected_by_reason.begin(), ds.rejected_by_reason.end(), [&](const auto& x) { return x.reason == code; });
            if (it == ds.rejected_by_reason.end()) {
                ds.rejected_by_reason.push_back({code, 0, next_line + c.rejected.first[why]});
                it = ds.rejected_by_reason.end() - 1;
            }
            it->rows += c.rejected.counts[why];
        }
        ds.rows_read += c.rows;
        ds.rows_rejected += c.rejected.total;
        ds.rows_other_events += c.other;
        ds.blank_lines += c.blank;
        s.outside_window += c.outside;
        s.disagreeing_rows += c.disagreeing;
        next_line += c.lines;
    }
    return remaps;
}

}  // namespace detail

namespace {

// The last checks of a load: aggregated counts that add up past 2^64 units
// (each row fits, the total does not: no sum of them is right) are refused;
// names and values in a bad encoding are shown escaped (\xFF), so that every
// report (JSON must be UTF-8) and the GUI's text can hold them.
Dataset finish_load(Dataset ds)
{
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < ds.weight.size(); ++i)
        if (__builtin_add_overflow(total, ds.weight[i], &total))
            throw InputError("the counts add up to more than 18,446,744,073,709,551,615 units (2^64): they cannot be the units of an "
                             "experiment; check the count column ('" + (ds.mapping().count ? *ds.mapping().count : std::string("count")) + "')");
    bool changed = false;
    for (auto& c : ds.columns) changed |= make_valid_utf8(c.name);
    for (auto& v : ds.variants) changed |= make_valid_utf8(v);
    for (auto& d : ds.dimensions) {
        changed |= make_valid_utf8(d.name);
        for (auto& v : d.values) changed |= make_valid_utf8(v);
    }
    for (auto& m : ds.metrics) changed |= make_valid_utf8(m.name);
    for (auto& e : ds.errors) make_valid_utf8(e.message);
    for (auto& w : ds.warnings) {
        make_valid_utf8(w.message);
        if (w.column) make_valid_utf8(*w.column);
    }
    if (ds.mirror_column) make_valid_utf8(*ds.mirror_column);
    for (auto& [a, b] : ds.mirror_expected) {
        make_valid_utf8(a);
        make_valid_utf8(b);
    }
    if (changed)
        ds.warnings.push_back({"invalid_utf8", "some column names or values are not valid UTF-8: their bad bytes are shown as \\xNN", std::nullopt,
                               std::nullopt});
    return ds;
}

}  // namespace

Dataset load_csv(const std::string& path, const LoadOptions& options)
{
    return finish_load(Loader(path, options).load());
}

Dataset load_csv_memory(std::string_view bytes, const std::string& name, const LoadOptions& options)
{
    return finish_load(Loader(bytes, name, options).load());
}

Preview preview_csv(const std::string& path, const LoadOptions& options, std::size_t rows)
{
    return Loader(path, options).preview(rows);
}

}  // namespace srm
