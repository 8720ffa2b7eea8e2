// The loader's in-memory tables (internal to the core): the 64-bit hash of
// unit ids, the per-chunk dictionaries of variant and dimension values, the
// cache of variant+dimension combinations, and the per-partition unit table.
#pragma once

#include "zeroed_buffer_internal.hpp"
#include "srm/dataset.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace srm::detail {

inline std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

inline std::uint64_t finalise(std::uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

// A value of up to 16 bytes as two little-endian words, zero-padded.
// [lo, hi) is memory that may be read around the value (the mapped file):
// there one unaligned 16-byte read and a mask replace byte copies.
[[gnu::always_inline]] inline void pack16(std::string_view v, const char* lo, const char* hi, std::uint64_t& w0, std::uint64_t& w1)
{
    // Masks keeping the first n bytes of the two words.
    static constexpr auto kMasks = [] {
        std::array<std::array<std::uint64_t, 2>, 17> m{};
        for (std::size_t k = 0; k <= 16; ++k) {
            m[k][0] = k >= 8 ? ~0ULL : (k ? ~0ULL >> (64 - 8 * k) : 0);
            m[k][1] = k >= 16 ? ~0ULL : (k > 8 ? ~0ULL >> (64 - 8 * (k - 8)) : 0);
        }
        return m;
    }();
    const std::size_t n = v.size();
    if (lo && v.data() >= lo && v.data() + 16 <= hi) {
        std::memcpy(&w0, v.data(), 8);
        std::memcpy(&w1, v.data() + 8, 8);
        w0 &= kMasks[n][0];
        w1 &= kMasks[n][1];
    } else {
        w0 = w1 = 0;
        if (n) std::memcpy(&w0, v.data(), std::min<std::size_t>(n, 8));
        if (n > 8) std::memcpy(&w1, v.data() + 8, n - 8);
    }
}

// 64-bit hash of a unit id. Two different ids share a hash with probability
// about n^2 / 2^65 (1e-6 for 6 million units); ids of up to 8 bytes never
// share one (the mix of one word is a bijection).
[[gnu::always_inline]] inline std::uint64_t hash_id(std::string_view s, const char* lo = nullptr, const char* hi = nullptr)
{
    const std::size_t n = s.size();
    if (n <= 16) {
        std::uint64_t w0, w1;
        pack16(s, lo, hi, w0, w1);
        return finalise((w0 * 0x87c37b91114253d5ULL) ^ rotl(w1 * 0x4cf5ad432745937fULL + n, 29));
    }
    std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0x87c37b91114253d5ULL);
    const char* p = s.data();
    std::size_t left = n;
    while (left >= 8) {
        std::uint64_t v;
        std::memcpy(&v, p, 8);
        h = rotl(h ^ (v * 0x87c37b91114253d5ULL), 31) * 0x4cf5ad432745937fULL;
        p += 8;
        left -= 8;
    }
    if (left > 0) {
        std::uint64_t v = 0;
        std::memcpy(&v, p, left);
        h = rotl(h ^ (v * 0x87c37b91114253d5ULL), 31) * 0x4cf5ad432745937fULL;
    }
    return finalise(h);
}

// String -> code dictionary with a cap. Values of up to 16 bytes (nearly all
// variant and dimension values) are keyed by their bytes packed into two
// words, so a lookup is one hash and one probe without comparing strings.
class LocalDict {
public:
    explicit LocalDict(std::size_t cap = 0xFFFE) : cap_(std::min<std::size_t>(cap, 0xFFFE)) {}

    /// Code of the value, kNoCode once more than `cap` values were seen.
    /// [lo, hi) is memory that may be read around the value (the mapped file).
    [[gnu::always_inline]] std::uint16_t code(std::string_view v, const char* lo = nullptr, const char* hi = nullptr)
    {
        if (v.size() <= 16) {
            std::uint64_t w0, w1;
            pack16(v, lo, hi, w0, w1);
            return short_code(w0, w1, static_cast<std::uint32_t>(v.size()), v);
        }
        return long_code(v);
    }
    const std::vector<std::string>& values() const { return values_; }
    bool overflow() const { return overflow_; }

private:
    struct Entry {
        std::uint64_t w0, w1;
        std::uint32_t len;  // 0xFFFFFFFF: empty
        std::uint16_t code;
    };

    std::uint16_t add(std::string_view v)
    {
        if (values_.size() >= cap_) {
            overflow_ = true;
            return kNoCode;
        }
        values_.emplace_back(v);
        return static_cast<std::uint16_t>(values_.size() - 1);
    }

    // A dictionary holds at most a few thousand values: one multiply mixes enough.
    static std::size_t short_hash(std::uint64_t w0, std::uint64_t w1, std::uint32_t n)
    {
        return static_cast<std::size_t>(((w0 ^ rotl(w1, 23) ^ n) * 0x9E3779B97F4A7C15ULL) >> 40);
    }

    [[gnu::always_inline]] std::uint16_t short_code(std::uint64_t w0, std::uint64_t w1, std::uint32_t n, std::string_view v)
    {
        if (!short_.empty()) {
            const std::size_t mask = short_.size() - 1;
            for (std::size_t i = short_hash(w0, w1, n) & mask;; i = (i + 1) & mask) {
                const Entry& e = short_[i];
                if (e.len == 0xFFFFFFFF) break;
                if (e.w0 == w0 && e.w1 == w1 && e.len == n) return e.code;
            }
        }
        return short_insert(w0, w1, n, v);
    }

    // A value not in the table yet: adds it (unless the dictionary is full).
    [[gnu::noinline]] std::uint16_t short_insert(std::uint64_t w0, std::uint64_t w1, std::uint32_t n, std::string_view v)
    {
        if (short_.empty()) short_.assign(64, Entry{0, 0, 0xFFFFFFFF, 0});
        std::size_t mask = short_.size() - 1;
        std::size_t i = short_hash(w0, w1, n) & mask;
        while (short_[i].len != 0xFFFFFFFF) i = (i + 1) & mask;
        const std::uint16_t c = add(v);
        if (c == kNoCode) return c;
        short_[i] = Entry{w0, w1, n, c};
        if (++short_count_ * 2 > short_.size()) {
            std::vector<Entry> old(short_.size() * 2, Entry{0, 0, 0xFFFFFFFF, 0});
            old.swap(short_);
            mask = short_.size() - 1;
            for (const Entry& e : old) {
                if (e.len == 0xFFFFFFFF) continue;
                std::size_t j = short_hash(e.w0, e.w1, e.len) & mask;
                while (short_[j].len != 0xFFFFFFFF) j = (j + 1) & mask;
                short_[j] = e;
            }
        }
        return c;
    }

    std::uint16_t long_code(std::string_view v)
    {
        if (long_.empty()) long_.assign(64, 0);
        std::size_t mask = long_.size() - 1;
        std::size_t i = hash_id(v) & mask;
        for (;; i = (i + 1) & mask) {
            const std::uint32_t s = long_[i];
            if (s == 0) break;
            if (values_[s - 1] == v) return static_cast<std::uint16_t>(s - 1);
        }
        const std::uint16_t c = add(v);
        if (c == kNoCode) return c;
        long_[i] = static_cast<std::uint32_t>(c + 1);
        if (++long_count_ * 2 > long_.size()) {
            std::vector<std::uint32_t> old(long_.size() * 2, 0);
            old.swap(long_);
            mask = long_.size() - 1;
            for (std::uint32_t s : old) {
                if (s == 0) continue;
                std::size_t j = hash_id(values_[s - 1]) & mask;
                while (long_[j]) j = (j + 1) & mask;
                long_[j] = s;
            }
        }
        return c;
    }

    std::size_t cap_;
    std::vector<std::string> values_;
    std::vector<Entry> short_;
    std::vector<std::uint32_t> long_;
    std::size_t short_count_ = 0, long_count_ = 0;
    bool overflow_ = false;
};

// The codes of a row's variant and dimension values at once, keyed by the
// bytes of the contiguous fields that hold them: an export repeats a few
// thousand such combinations millions of times, so one hash and one compare
// replace a dictionary lookup per column. Bounded: once full, further
// combinations go through the per-column dictionaries. Where combinations
// rarely repeat (several high-cardinality dimensions) the cache would only
// add work, so it switches itself off when fewer than half of its first
// 4096 lookups were hits.
class ComboCache {
public:
    static constexpr std::size_t kMaxEntries = std::size_t(1) << 15;
    static constexpr std::size_t kTrialLookups = 4096;

    explicit ComboCache(std::size_t width = 0) : width_(width) {}

    /// Hash of [p, p + n); bytes up to `end` may be read past the span.
    static std::uint64_t hash(const char* p, std::size_t n, const char* end)
    {
        std::uint64_t h = n * 0x9E3779B97F4A7C15ULL;
        for (; n >= 8; p += 8, n -= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            h = (h ^ w) * 0xff51afd7ed558ccdULL;
            h ^= h >> 29;
        }
        if (n) {
            std::uint64_t w = 0;
            if (end - p >= 8) {
                std::memcpy(&w, p, 8);
                w &= ~0ULL >> (64 - 8 * n);
            } else {
                std::memcpy(&w, p, n);
            }
            h = (h ^ w) * 0xff51afd7ed558ccdULL;
            h ^= h >> 29;
        }
        return h ^ (h >> 32);
    }

    /// The cached codes of the span, or null; bytes up to `end` may be read past it.
    /// False once the cache has found itself not worth its cost.
    bool active() const { return active_; }

    const std::uint16_t* find(std::string_view span, std::uint64_t h, const char* end)
    {
        if (++lookups_ == kTrialLookups && hits_ * 2 < lookups_) active_ = false;
        if (slots_.empty()) return nullptr;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            const Slot& e = slots_[i];
            if (e.len == 0) return nullptr;
            if (e.hash == h && e.len == span.size() && same(bytes_.data() + e.at, span.data(), span.size(), end)) {
                ++hits_;
                return codes_.data() + e.codes;
            }
        }
    }

    void insert(std::string_view span, std::uint64_t h, const std::uint16_t* codes)
    {
        if (count_ >= kMaxEntries || span.empty()) return;
        if ((count_ + 1) * 2 > slots_.size()) grow();
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = h & mask;
        while (slots_[i].len != 0) i = (i + 1) & mask;
        slots_[i] = Slot{h, static_cast<std::uint32_t>(bytes_.size()), static_cast<std::uint32_t>(span.size()),
                         static_cast<std::uint32_t>(codes_.size())};
        bytes_.append(span);
        bytes_.append((8 - span.size() % 8) % 8, '\0');  // whole words, zero-padded
        codes_.insert(codes_.end(), codes, codes + width_);
        ++count_;
    }

private:
    // Equal bytes? Eight at a time (spans are short; a call to memcmp costs
    // more). `stored` is zero-padded to whole words; `span` may be read up to `end`.
    static bool same(const char* stored, const char* span, std::size_t n, const char* end)
    {
        for (; n >= 8; stored += 8, span += 8, n -= 8) {
            std::uint64_t x, y;
            std::memcpy(&x, stored, 8);
            std::memcpy(&y, span, 8);
            if (x != y) return false;
        }
        if (n == 0) return true;
        std::uint64_t x, y = 0;
        std::memcpy(&x, stored, 8);
        if (end - span >= 8) {
            std::memcpy(&y, span, 8);
            y &= ~0ULL >> (64 - 8 * n);
        } else {
            std::memcpy(&y, span, n);
        }
        return x == y;
    }
    struct Slot {
        std::uint64_t hash;
        std::uint32_t at, len, codes;  // len 0: empty
    };
    void grow()
    {
        std::vector<Slot> old(std::max<std::size_t>(slots_.size() * 2, 256), Slot{0, 0, 0, 0});
        old.swap(slots_);
        const std::size_t mask = slots_.size() - 1;
        for (const Slot& e : old) {
            if (e.len == 0) continue;
            std::size_t i = e.hash & mask;
            while (slots_[i].len != 0) i = (i + 1) & mask;
            slots_[i] = e;
        }
    }
    std::size_t width_;
    std::vector<Slot> slots_;
    std::string bytes_;
    std::vector<std::uint16_t> codes_;
    std::size_t count_ = 0;
    std::size_t lookups_ = 0, hits_ = 0;
    bool active_ = true;
};

// Per-partition table of units, keyed by the id hash: open addressing with
// linear probing over an array of keys (eight to a cache line, so the probe
// sequence of a full table stays within a line or two), and beside it, at
// the same index, the unit's record: first time, variant, assigned
// variant, flags, dimension codes, metric values. Key 0 marks an empty slot
// (a hash of 0 is stored as 1).
class UnitTable {
public:
    static constexpr std::size_t kTimeOff = 0, kVarOff = 8, kAssignedOff = 9, kFlagsOff = 10, kDimOff = 11;

    /// `narrow`: dimension codes fit one byte (0xFF standing for kNoCode),
    /// which makes the usual record 16 bytes instead of 24.
    UnitTable(std::size_t dims, std::size_t metrics, bool narrow, std::size_t initial_capacity) : narrow_(narrow)
    {
        metric_off_ = (kDimOff + (narrow ? 1 : 2) * dims + 7) / 8 * 8;
        stride_ = metric_off_ + 8 * metrics;
        std::size_t cap = 1024;
        while (cap < initial_capacity) cap *= 2;
        allocate(cap);
    }

    std::size_t size() const { return count_; }
    std::size_t capacity() const { return mask_ + 1; }
    std::size_t record_bytes() const { return stride_; }
    std::size_t metric_off() const { return metric_off_; }
    bool used(std::size_t i) const { return keys()[i] != 0; }
    const unsigned char* record(std::size_t i) const { return records_.data() + i * stride_; }

    bool narrow() const { return narrow_; }
    static void set_dim(unsigned char* r, std::size_t d, std::uint16_t code, bool narrow)
    {
        if (narrow)
            r[kDimOff + d] = static_cast<unsigned char>(code == kNoCode ? 0xFF : code);
        else
            std::memcpy(r + kDimOff + 2 * d, &code, 2);
    }
    std::uint16_t dim(const unsigned char* r, std::size_t d) const
    {
        if (narrow_) return r[kDimOff + d] == 0xFF ? kNoCode : r[kDimOff + d];
        std::uint16_t code;
        std::memcpy(&code, r + kDimOff + 2 * d, 2);
        return code;
    }

    /// The table's arrays in plain values, for a run of lookups with no
    /// growth in between (after ensure_room): the compiler keeps them in
    /// registers instead of reloading them after every store.
    struct Cursor {
        std::uint64_t* keys;
        unsigned char* records;
        std::size_t mask, stride, added;
        std::size_t home(std::uint64_t key) const { return home_of(key, mask); }
        void prefetch(std::uint64_t key) const
        {
            const std::size_t i = home(key);
            __builtin_prefetch(keys + i);
            __builtin_prefetch(records + i * stride);
            __builtin_prefetch(records + i * stride + 64);
        }
        // The unit's record, created (time = kNoTime) when new.
        unsigned char* find_or_insert(std::uint64_t key)
        {
            key += key == 0;
            std::size_t i = home(key);
            while (keys[i] != key) {
                if (keys[i] == 0) {
                    keys[i] = key;
                    ++added;
                    unsigned char* r = records + i * stride;
                    std::memcpy(r + kTimeOff, &kNoTime, 8);
                    return r;
                }
                i = (i + 1) & mask;
            }
            return records + i * stride;
        }
    };
    Cursor cursor() { return Cursor{keys(), records_.data(), mask_, stride_, 0}; }
    void commit(const Cursor& c) { count_ += c.added; }

    /// Grows now if `more` new units would need it: then that many
    /// Cursor::find_or_insert() calls keep every record where it is.
    void ensure_room(std::size_t more)
    {
        while ((count_ + more) * 5 > capacity() * 4) grow();
    }

private:
    std::uint64_t* keys() { return reinterpret_cast<std::uint64_t*>(keys_.data()); }
    const std::uint64_t* keys() const { return reinterpret_cast<const std::uint64_t*>(keys_.data()); }
    static std::size_t home_of(std::uint64_t key, std::size_t mask) { return (key ^ (key >> 29)) & mask; }

    void allocate(std::size_t cap)
    {
        keys_ = detail::ZeroedBuffer(cap * 8);
        records_ = detail::ZeroedBuffer(cap * stride_);
        mask_ = cap - 1;
    }

    void grow()
    {
        detail::ZeroedBuffer old_keys = std::move(keys_), old_records = std::move(records_);
        const std::size_t old_cap = capacity();
        allocate(old_cap * 2);
        const auto* ok = reinterpret_cast<const std::uint64_t*>(old_keys.data());
        std::uint64_t* k = keys();
        for (std::size_t j = 0; j < old_cap; ++j) {
            if (ok[j] == 0) continue;
            std::size_t i = home_of(ok[j], mask_);
            while (k[i] != 0) i = (i + 1) & mask_;
            k[i] = ok[j];
            std::memcpy(records_.data() + i * stride_, old_records.data() + j * stride_, stride_);
        }
    }

    bool narrow_ = false;
    std::size_t metric_off_ = 0, stride_ = 0, count_ = 0, mask_ = 0;
    detail::ZeroedBuffer keys_, records_;
};

}  // namespace srm::detail
