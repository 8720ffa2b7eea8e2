#include "mapped_file.hpp"

#include "srm/stats.hpp"

#include <cerrno>
#include <cstdint>
#include <new>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace srm::detail {

MappedFile::MappedFile(const std::string& path)
{
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw InputError("cannot open '" + path + "': " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd_, &st) != 0) {
        const int e = errno;
        ::close(fd_);
        throw InputError("cannot read '" + path + "': " + std::strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        ::close(fd_);
        throw InputError("'" + path + "' is a folder, not a CSV file");
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ == 0) return;
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (p == MAP_FAILED) {
        const int e = errno;
        ::close(fd_);
        throw InputError("cannot map '" + path + "' into memory: " + std::strerror(e));
    }
    ::madvise(p, size_, MADV_SEQUENTIAL);
    data_ = static_cast<const char*>(p);
}

MappedFile::~MappedFile()
{
    if (data_) ::munmap(const_cast<char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
}

void MappedFile::release_before(std::size_t upto) noexcept
{
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    upto = upto / page * page;
    if (!data_ || upto <= released_) return;
    ::madvise(const_cast<char*>(data_) + released_, upto - released_, MADV_DONTNEED);
    released_ = upto;
}

namespace {
constexpr std::size_t kHuge = std::size_t(2) << 20;
// Below this a huge page would mostly hold zeros that were never needed.
constexpr std::size_t kHugeWorthIt = std::size_t(8) << 20;
}  // namespace

void advise_huge_pages(const void* p, std::size_t bytes) noexcept
{
    if (bytes < kHugeWorthIt) return;
    const auto from = (reinterpret_cast<std::uintptr_t>(p) + kHuge - 1) / kHuge * kHuge;
    const auto to = (reinterpret_cast<std::uintptr_t>(p) + bytes) / kHuge * kHuge;
    if (to > from) ::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
}

ZeroedBuffer::ZeroedBuffer(std::size_t bytes)
{
    if (bytes == 0) return;
    const std::size_t size = (bytes + kHuge - 1) / kHuge * kHuge;
    map_size_ = size + kHuge;  // room to align to a huge-page boundary
    map_ = ::mmap(nullptr, map_size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map_ == MAP_FAILED) {
        map_ = nullptr;
        throw std::bad_alloc();
    }
    const auto base = reinterpret_cast<std::uintptr_t>(map_);
    data_ = reinterpret_cast<unsigned char*>((base + kHuge - 1) / kHuge * kHuge);
    size_ = bytes;
    if (bytes >= kHugeWorthIt) ::madvise(data_, size, MADV_HUGEPAGE);
}

ZeroedBuffer::~ZeroedBuffer() { release(); }

void ZeroedBuffer::release() noexcept
{
    if (map_) ::munmap(map_, map_size_);
    map_ = nullptr;
    data_ = nullptr;
    size_ = map_size_ = 0;
}

ZeroedBuffer::ZeroedBuffer(ZeroedBuffer&& other) noexcept
    : data_(other.data_), size_(other.size_), map_(other.map_), map_size_(other.map_size_)
{
    other.data_ = nullptr;
    other.map_ = nullptr;
    other.size_ = other.map_size_ = 0;
}

ZeroedBuffer& ZeroedBuffer::operator=(ZeroedBuffer&& other) noexcept
{
    if (this != &other) {
        release();
        data_ = other.data_;
        size_ = other.size_;
        map_ = other.map_;
        map_size_ = other.map_size_;
        other.data_ = nullptr;
        other.map_ = nullptr;
        other.size_ = other.map_size_ = 0;
    }
    return *this;
}

}  // namespace srm::detail
