// Byte sources for the loader: plain files and pipes read with read(2),
// gzip (zlib; every member of a multi-member file), zstd (every frame) and
// zip (libarchive; the one file it holds), each a stream of bounded memory.
#include "source_internal.hpp"

#include "srm/errors.hpp"
#include "srm/parallel.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace srm::detail {

namespace {

constexpr std::size_t kRawBlock = 1 << 20;

// The raw bytes of a file or pipe. A regular file is read up to the size it
// had when opened; if it then has another size or modification time, or
// ends early, it changed while it was read.
class RawInput {
public:
    explicit RawInput(const std::string& path) : path_(path)
    {
        if (path == "-") {
            fd_ = 0;
            owned_ = false;
            name_ = "standard input";
        } else {
            fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd_ < 0) throw InputError("cannot open '" + path + "': " + std::strerror(errno));
            name_ = "'" + path + "'";
        }
        if (::fstat(fd_, &opened_) != 0) {
            const int e = errno;
            close_fd();
            throw InputError("cannot read " + name_ + ": " + std::strerror(e));
        }
        if (S_ISDIR(opened_.st_mode)) {
            close_fd();
            throw InputError("'" + path + "' is a folder, not a CSV file");
        }
        regular_ = S_ISREG(opened_.st_mode);
        if (regular_) ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
    ~RawInput() { close_fd(); }
    RawInput(const RawInput&) = delete;
    RawInput& operator=(const RawInput&) = delete;

    std::optional<std::uint64_t> size() const
    {
        return regular_ ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(opened_.st_size)) : std::nullopt;
    }
    std::uint64_t consumed() const { return consumed_; }

    /// Looks at the first bytes without consuming them.
    std::string_view peek(std::size_t n)
    {
        while (pending_.size() - pending_at_ < n) {
            char buf[4096];
            const std::size_t got = raw_read(buf, std::min(sizeof buf, n - (pending_.size() - pending_at_)));
            if (got == 0) break;
            pending_.insert(pending_.end(), buf, buf + got);
        }
        return std::string_view(pending_.data() + pending_at_, pending_.size() - pending_at_);
    }

    std::size_t read(char* buf, std::size_t n)
    {
        if (pending_at_ < pending_.size()) {
            const std::size_t take = std::min(n, pending_.size() - pending_at_);
            std::memcpy(buf, pending_.data() + pending_at_, take);
            pending_at_ += take;
            return take;
        }
        return raw_read(buf, n);
    }

    const std::string& name() const { return name_; }
    bool regular() const { return regular_ && pending_at_ >= pending_.size(); }

    /// n bytes from the current position, read in `parts` pieces at once
    /// (pread); n is at most what is left of the file's size.
    void read_parts(char* buf, std::size_t n, unsigned parts)
    {
        const std::uint64_t at = consumed_;
        const std::size_t piece = (n + parts - 1) / parts;
        parallel_for(parts, parts, [&](std::size_t k) {
            const std::size_t from = k * piece, to = std::min(n, from + piece);
            for (std::size_t done = from; done < to;) {
                const ssize_t got = ::pread(fd_, buf + done, to - done, static_cast<off_t>(at + done));
                if (got < 0) {
                    if (errno == EINTR) continue;
                    throw InputError("cannot read " + name_ + ": " + std::strerror(errno));
                }
                if (got == 0) changed("it ended after " + std::to_string(at + done) + " of its " + std::to_string(opened_.st_size) + " bytes");
                done += static_cast<std::size_t>(got);
            }
        });
        consumed_ += n;
        if (::lseek(fd_, static_cast<off_t>(consumed_), SEEK_SET) < 0) throw InputError("cannot read " + name_ + ": " + std::strerror(errno));
        if (consumed_ >= static_cast<std::uint64_t>(opened_.st_size)) check_unchanged();
    }
    std::uint64_t left() const { return static_cast<std::uint64_t>(opened_.st_size) - consumed_; }

private:
    std::size_t raw_read(char* buf, std::size_t n)
    {
        if (regular_) {
            const auto limit = static_cast<std::uint64_t>(opened_.st_size);
            if (consumed_ >= limit) {
                check_unchanged();
                return 0;
            }
            n = static_cast<std::size_t>(std::min<std::uint64_t>(n, limit - consumed_));
        }
        while (true) {
            const ssize_t got = ::read(fd_, buf, n);
            if (got < 0) {
                if (errno == EINTR) continue;
                throw InputError("cannot read " + name_ + ": " + std::strerror(errno));
            }
            if (got == 0 && regular_) changed("it ended after " + std::to_string(consumed_) + " of its " +
                                              std::to_string(static_cast<std::uint64_t>(opened_.st_size)) + " bytes");
            consumed_ += static_cast<std::uint64_t>(got);
            return static_cast<std::size_t>(got);
        }
    }

    void check_unchanged()
    {
        if (checked_) return;
        checked_ = true;
        struct stat now {};
        if (::fstat(fd_, &now) != 0) return;
        if (now.st_size != opened_.st_size)
            changed("its size went from " + std::to_string(opened_.st_size) + " to " + std::to_string(now.st_size) + " bytes");
        if (now.st_mtim.tv_sec != opened_.st_mtim.tv_sec || now.st_mtim.tv_nsec != opened_.st_mtim.tv_nsec)
            changed("it was written to");
    }

    [[noreturn]] void changed(const std::string& how) const
    {
        throw InputError("the file changed while it was read (" + how + "): read it again once it is complete");
    }

    void close_fd()
    {
        if (owned_ && fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    std::string path_, name_;
    int fd_ = -1;
    bool owned_ = true, regular_ = false, checked_ = false;
    struct stat opened_ {};
    std::uint64_t consumed_ = 0;
    std::vector<char> pending_;
    std::size_t pending_at_ = 0;
};

class PlainSource : public ByteSource {
public:
    explicit PlainSource(std::unique_ptr<RawInput> raw) : raw_(std::move(raw)) {}
    std::size_t read(char* buf, std::size_t n) override { return raw_->read(buf, n); }
    std::size_t fill(char* buf, std::size_t n, unsigned threads) override
    {
        // Large reads of a plain file in parts at once: copying from the
        // page cache is then shared by the cores that parse.
        if (!raw_->regular() || n < (std::size_t(4) << 20) || threads < 2) return ByteSource::fill(buf, n, threads);
        const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(n, raw_->left()));
        if (take > 0) raw_->read_parts(buf, take, threads);
        if (take < n) return take + ByteSource::fill(buf + take, n - take, 1);
        return take;
    }
    std::uint64_t consumed() const override { return raw_->consumed(); }
    std::optional<std::uint64_t> total() const override { return raw_->size(); }
    std::string encoding() const override { return "plain"; }

private:
    std::unique_ptr<RawInput> raw_;
};

// Compressed input: a block of raw bytes at a time into a decoder.
class CompressedSource : public ByteSource {
public:
    explicit CompressedSource(std::unique_ptr<RawInput> raw) : raw_(std::move(raw)), in_(kRawBlock) {}
    std::uint64_t consumed() const override { return raw_->consumed(); }
    std::optional<std::uint64_t> total() const override { return raw_->size(); }

protected:
    // Refills the input block when it is used up; false at the end of the raw input.
    bool refill()
    {
        if (in_at_ < in_len_) return true;
        in_len_ = raw_->read(in_.data(), in_.size());
        in_at_ = 0;
        return in_len_ > 0;
    }
    std::unique_ptr<RawInput> raw_;
    std::vector<char> in_;
    std::size_t in_at_ = 0, in_len_ = 0;
};

class GzipSource : public CompressedSource {
public:
    explicit GzipSource(std::unique_ptr<RawInput> raw) : CompressedSource(std::move(raw))
    {
        if (inflateInit2(&z_, 15 + 16) != Z_OK) throw InputError("cannot start the gzip decoder");
    }
    ~GzipSource() override { inflateEnd(&z_); }
    std::string encoding() const override { return "gzip"; }

    std::size_t read(char* buf, std::size_t n) override
    {
        std::size_t out = 0;
        while (out < n && !done_) {
            if (!refill()) {
                if (in_member_) throw InputError("the gzip data ends early: the file is truncated");
                done_ = true;
                break;
            }
            if (!in_member_) {
                // Between members: only another member, or zero padding, may follow.
                if (static_cast<unsigned char>(in_[in_at_]) == 0) {
                    ++in_at_;
                    continue;
                }
                inflateReset(&z_);
                in_member_ = true;
            }
            z_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_at_);
            z_.avail_in = static_cast<uInt>(in_len_ - in_at_);
            z_.next_out = reinterpret_cast<Bytef*>(buf + out);
            z_.avail_out = static_cast<uInt>(std::min<std::size_t>(n - out, 1u << 30));
            const int rc = inflate(&z_, Z_NO_FLUSH);
            out = static_cast<std::size_t>(reinterpret_cast<char*>(z_.next_out) - buf);
            in_at_ = static_cast<std::size_t>(reinterpret_cast<char*>(z_.next_in) - in_.data());
            if (rc == Z_STREAM_END) {
                in_member_ = false;
            } else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) {
                throw InputError(std::string("the gzip data is damaged: ") + (z_.msg ? z_.msg : "invalid data"));
            } else if (rc == Z_MEM_ERROR) {
                throw InputError("not enough memory to decompress the gzip data");
            } else if (rc == Z_BUF_ERROR && z_.avail_in > 0 && z_.avail_out > 0) {
                throw InputError("the gzip data is damaged");
            }
        }
        return out;
    }

private:
    z_stream z_{};
    bool in_member_ = true, done_ = false;
};

class ZstdSource : public CompressedSource {
public:
    explicit ZstdSource(std::unique_ptr<RawInput> raw) : CompressedSource(std::move(raw)), ctx_(ZSTD_createDCtx())
    {
        if (!ctx_) throw InputError("cannot start the zstd decoder");
    }
    ~ZstdSource() override { ZSTD_freeDCtx(ctx_); }
    std::string encoding() const override { return "zstd"; }

    std::size_t read(char* buf, std::size_t n) override
    {
        ZSTD_outBuffer out{buf, n, 0};
        while (out.pos < n && !done_) {
            if (!refill()) {
                if (pending_ != 0) throw InputError("the zstd data ends early: the file is truncated");
                done_ = true;
                break;
            }
            ZSTD_inBuffer in{in_.data() + in_at_, in_len_ - in_at_, 0};
            pending_ = ZSTD_decompressStream(ctx_, &out, &in);
            in_at_ += in.pos;
            if (ZSTD_isError(pending_)) throw InputError(std::string("the zstd data is damaged: ") + ZSTD_getErrorName(pending_));
        }
        return out.pos;
    }

private:
    ZSTD_DCtx* ctx_;
    std::size_t pending_ = 0;
    bool done_ = false;
};

// A zip holding one CSV (folders, __MACOSX/ and dot files are passed over).
class ZipSource : public ByteSource {
public:
    explicit ZipSource(std::unique_ptr<RawInput> raw) : raw_(std::move(raw)), block_(kRawBlock), archive_(archive_read_new(), archive_read_free)
    {
        // Freed by archive_ even when this constructor throws.
        archive_read_support_format_zip(a_);
        if (archive_read_open(a_, this, nullptr, &ZipSource::callback, nullptr) != ARCHIVE_OK) fail("cannot read the zip file");
        if (!next_member()) throw InputError("the zip file holds no file to read");
        member_ = current_;
    }

    std::uint64_t consumed() const override { return raw_->consumed(); }
    std::optional<std::uint64_t> total() const override { return raw_->size(); }
    std::string encoding() const override { return "zip (" + member_ + ")"; }

    std::size_t read(char* buf, std::size_t n) override
    {
        if (done_) return 0;
        const la_ssize_t got = archive_read_data(a_, buf, n);
        if (got < 0) fail("the zip member '" + member_ + "' cannot be read");
        if (got == 0) {
            done_ = true;
            if (next_member())
                throw InputError("the zip file holds more than one file ('" + member_ + "', '" + current_ +
                                 "', ...): extract the export to analyse and open it on its own");
        }
        return static_cast<std::size_t>(got);
    }

private:
    static la_ssize_t callback(struct archive*, void* self, const void** buffer)
    {
        auto* z = static_cast<ZipSource*>(self);
        try {
            *buffer = z->block_.data();
            return static_cast<la_ssize_t>(z->raw_->read(z->block_.data(), z->block_.size()));
        } catch (const InputError& e) {
            z->raw_error_ = e.what();
            return -1;
        }
    }

    // Moves to the next member that is a file to read; false at the end.
    bool next_member()
    {
        while (true) {
            archive_entry* entry = nullptr;
            const int rc = archive_read_next_header(a_, &entry);
            if (rc == ARCHIVE_EOF) return false;
            if (rc < ARCHIVE_WARN) fail("the zip file is damaged");
            const char* name = archive_entry_pathname(entry);
            const std::string path = name ? name : "";
            const std::string base = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
            if (archive_entry_filetype(entry) != AE_IFREG || path.rfind("__MACOSX/", 0) == 0 || base.empty() || base[0] == '.') {
                archive_read_data_skip(a_);
                continue;
            }
            current_ = path;
            return true;
        }
    }

    [[noreturn]] void fail(const std::string& what)
    {
        if (!raw_error_.empty()) throw InputError(raw_error_);
        const char* why = archive_error_string(a_);
        throw InputError(what + (why ? std::string(": ") + why : std::string()));
    }

    std::unique_ptr<RawInput> raw_;
    std::vector<char> block_;
    std::unique_ptr<archive, int (*)(archive*)> archive_;
    archive* a_ = archive_.get();
    std::string member_, current_, raw_error_;
    bool done_ = false;
};

// Decompression on a thread of its own, a few blocks ahead of the loader:
// inflating is the slowest part of reading a compressed export, and the
// loader's parsing then runs beside it instead of after it.
class PrefetchSource : public ByteSource {
public:
    static constexpr std::size_t kBlock = std::size_t(4) << 20;
    static constexpr std::size_t kAhead = 4;

    explicit PrefetchSource(std::unique_ptr<ByteSource> inner) : inner_(std::move(inner)), encoding_(inner_->encoding()), total_(inner_->total())
    {
        worker_ = std::thread([this] { produce(); });
    }
    ~PrefetchSource() override
    {
        {
            std::lock_guard lock(m_);
            stop_ = true;
        }
        cv_.notify_all();
        worker_.join();
    }
    std::uint64_t consumed() const override { return consumed_.load(std::memory_order_relaxed); }
    std::optional<std::uint64_t> total() const override { return total_; }
    std::string encoding() const override
    {
        std::lock_guard lock(m_);
        return done_ ? inner_->encoding() : encoding_;
    }

    std::size_t read(char* buf, std::size_t n) override
    {
        std::size_t out = 0;
        while (out < n) {
            if (at_ == current_.size()) {
                std::unique_lock lock(m_);
                if (!current_.empty()) free_.push_back(std::move(current_));
                current_.clear();
                at_ = 0;
                cv_.notify_all();
                cv_.wait(lock, [&] { return !ready_.empty() || done_; });
                if (ready_.empty()) {
                    if (error_) std::rethrow_exception(error_);
                    break;
                }
                current_ = std::move(ready_.front());
                ready_.pop_front();
            }
            const std::size_t take = std::min(n - out, current_.size() - at_);
            std::memcpy(buf + out, current_.data() + at_, take);
            at_ += take;
            out += take;
        }
        return out;
    }

private:
    void produce()
    {
        try {
            while (true) {
                std::vector<char> block;
                {
                    std::unique_lock lock(m_);
                    cv_.wait(lock, [&] { return stop_ || ready_.size() < kAhead; });
                    if (stop_) break;
                    if (!free_.empty()) {
                        block = std::move(free_.back());
                        free_.pop_back();
                    }
                }
                block.resize(kBlock);
                const std::size_t got = inner_->fill(block.data(), kBlock, 1);
                block.resize(got);
                consumed_.store(inner_->consumed(), std::memory_order_relaxed);
                std::lock_guard lock(m_);
                if (got > 0) ready_.push_back(std::move(block));
                if (got < kBlock) {
                    done_ = true;
                    break;
                }
                cv_.notify_all();
            }
        } catch (...) {
            std::lock_guard lock(m_);
            error_ = std::current_exception();
            done_ = true;
        }
        cv_.notify_all();
    }

    std::unique_ptr<ByteSource> inner_;
    std::string encoding_;
    std::optional<std::uint64_t> total_;
    std::thread worker_;
    mutable std::mutex m_;
    std::condition_variable cv_;
    std::deque<std::vector<char>> ready_;
    std::vector<std::vector<char>> free_;
    std::vector<char> current_;
    std::size_t at_ = 0;
    bool done_ = false, stop_ = false;
    std::exception_ptr error_;
    std::atomic<std::uint64_t> consumed_{0};
};

}  // namespace

std::size_t ByteSource::fill(char* buf, std::size_t n, unsigned)
{
    std::size_t done = 0;
    while (done < n) {
        const std::size_t got = read(buf + done, n - done);
        if (got == 0) break;
        done += got;
    }
    return done;
}

Container container_of(std::string_view head) noexcept
{
    const auto byte = [&](std::size_t i) { return i < head.size() ? static_cast<unsigned char>(head[i]) : 0u; };
    if (byte(0) == 0x1f && byte(1) == 0x8b) return Container::Gzip;
    if (byte(0) == 0x28 && byte(1) == 0xb5 && byte(2) == 0x2f && byte(3) == 0xfd) return Container::Zstd;
    if (byte(0) == 'P' && byte(1) == 'K' && ((byte(2) == 3 && byte(3) == 4) || (byte(2) == 5 && byte(3) == 6))) return Container::Zip;
    if (byte(0) == 'B' && byte(1) == 'Z' && byte(2) == 'h') return Container::Bzip2;
    if (byte(0) == 0xfd && byte(1) == '7' && byte(2) == 'z' && byte(3) == 'X') return Container::Xz;
    return Container::Plain;
}

std::unique_ptr<ByteSource> open_source(const std::string& path)
{
    auto raw = std::make_unique<RawInput>(path);
    const std::string_view head = raw->peek(4);
    // Compressed files are decompressed ahead on a thread of their own (not
    // pipes: a stalled writer would hold up a cancel).
    const bool ahead = raw->size().has_value();
    auto wrap = [ahead](std::unique_ptr<ByteSource> s) -> std::unique_ptr<ByteSource> {
        if (ahead) return std::make_unique<PrefetchSource>(std::move(s));
        return s;
    };
    switch (container_of(head)) {
    case Container::Gzip: return wrap(std::make_unique<GzipSource>(std::move(raw)));
    case Container::Zstd: return wrap(std::make_unique<ZstdSource>(std::move(raw)));
    case Container::Zip: return wrap(std::make_unique<ZipSource>(std::move(raw)));
    case Container::Bzip2: throw InputError("the file is bzip2-compressed; decompress it (bunzip2) or recompress it with gzip or zstd");
    case Container::Xz: throw InputError("the file is xz-compressed; decompress it (unxz) or recompress it with gzip or zstd");
    case Container::Plain: break;
    }
    return std::make_unique<PlainSource>(std::move(raw));
}

}  // namespace srm::detail
