// Where the loader's bytes come from (internal to ingest): a plain file read
// in blocks, standard input or a pipe, or a compressed export (gzip, also
// multi-member; zstd; a zip holding one CSV) decompressed as a stream. The
// loader sees only read(); nothing is memory-mapped, so a file that shrinks
// or grows while it is read is reported, never a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace srm::detail {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    /// Up to n bytes into buf; 0 only at the end. Throws InputError when the
    /// input is damaged or changed while it is read.
    virtual std::size_t read(char* buf, std::size_t n) = 0;
    /// Fills buf with up to n bytes, as many as are left; a plain file is
    /// read in `threads` parts at once. Returns the bytes read (less than n
    /// only at the end).
    virtual std::size_t fill(char* buf, std::size_t n, unsigned threads);
    /// Bytes of the underlying file taken so far, and its size when known
    /// (a pipe has none): progress is their ratio.
    virtual std::uint64_t consumed() const = 0;
    virtual std::optional<std::uint64_t> total() const = 0;
    /// "plain", "gzip", "zstd" or "zip (member.csv)".
    virtual std::string encoding() const = 0;
};

/// Opens a path ("-" is standard input), telling the compression by its
/// first bytes. Throws InputError when it cannot be opened or read.
std::unique_ptr<ByteSource> open_source(const std::string& path);

/// What the first bytes of a file say it is (a zip starts with its first
/// member, or, holding none, with the end of its directory).
enum class Container { Plain, Gzip, Zstd, Zip, Bzip2, Xz };
Container container_of(std::string_view head) noexcept;

}  // namespace srm::detail
