#include "zeroed_buffer_internal.hpp"

#include "srm/errors.hpp"

#include <cerrno>
#include <cstdint>
#include <new>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace srm::detail {

ZeroedBuffer::ZeroedBuffer(std::size_t bytes)
{
    if (bytes == 0) return;
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    data_ = static_cast<unsigned char*>(p);
    size_ = bytes;
#ifdef MADV_POPULATE_WRITE
    ::madvise(p, bytes, MADV_POPULATE_WRITE);  // best effort: older kernels say EINVAL
#endif
}

ZeroedBuffer::~ZeroedBuffer() { release(); }

void ZeroedBuffer::release() noexcept
{
    if (data_) ::munmap(data_, size_);
    data_ = nullptr;
    size_ = 0;
}

ZeroedBuffer::ZeroedBuffer(ZeroedBuffer&& other) noexcept : data_(other.data_), size_(other.size_)
{
    other.data_ = nullptr;
    other.size_ = 0;
}

ZeroedBuffer& ZeroedBuffer::operator=(ZeroedBuffer&& other) noexcept
{
    if (this != &other) {
        release();
        data_ = other.data_;
        size_ = other.size_;
        other.data_ = nullptr;
        other.size_ = 0;
    }
    return *this;
}

}  // namespace srm::detail
