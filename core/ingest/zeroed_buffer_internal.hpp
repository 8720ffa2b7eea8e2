// Memory for the unit tables (internal to ingest).
#pragma once

#include <cstddef>
#include <string>

namespace srm::detail {

/// Zero-filled anonymous memory for the unit tables, backed at once
/// (MADV_POPULATE_WRITE, Linux 5.14+; elsewhere on first touch). A table is
/// filled at random, so every page of it is soon touched anyway; backing it
/// in one call is far cheaper than a page fault per page. Deliberately no
/// transparent huge pages: on virtual machines a fresh 2 MiB page is often
/// one the host has taken back, and faulting it in again costs more than
/// the TLB misses it saves (measured in tests/bench/README.md).
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
};

}  // namespace srm::detail
