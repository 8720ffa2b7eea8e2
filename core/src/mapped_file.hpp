// A read-only memory map of a whole file (internal).
#pragma once

#include <cstddef>
#include <string>

namespace srm::detail {

class MappedFile {
public:
    /// Throws InputError when the file cannot be opened or mapped.
    explicit MappedFile(const std::string& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const char* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    /// Tells the kernel the range [0, upto) will not be read again, so its
    /// pages leave this process's resident set (they stay in the page cache).
    void release_before(std::size_t upto) noexcept;

private:
    const char* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t released_ = 0;
    int fd_ = -1;
};

/// Asks for transparent huge pages on the 2 MiB-aligned part of [p, p + bytes)
/// (memory not yet touched, such as a freshly reserved vector): fewer page
/// faults when it is filled. Does nothing for small ranges.
void advise_huge_pages(const void* p, std::size_t bytes) noexcept;

/// Zero-filled anonymous memory for large tables, backed by transparent huge
/// pages where the kernel offers them (fewer page faults and TLB misses for
/// random access); no explicit zeroing is needed.
class ZeroedBuffer {
public:
    ZeroedBuffer() = default;
    /// Throws std::bad_alloc when the memory cannot be had.
    explicit ZeroedBuffer(std::size_t bytes);
    ~ZeroedBuffer();
    ZeroedBuffer(ZeroedBuffer&& other) noexcept;
    ZeroedBuffer& operator=(ZeroedBuffer&& other) noexcept;
    ZeroedBuffer(const ZeroedBuffer&) = delete;
    ZeroedBuffer& operator=(const ZeroedBuffer&) = delete;

    unsigned char* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }

private:
    void release() noexcept;
    unsigned char* data_ = nullptr;
    std::size_t size_ = 0;
    void* map_ = nullptr;
    std::size_t map_size_ = 0;
};

}  // namespace srm::detail
