#include "mapped_input_internal.hpp"
#include "source_internal.hpp"

#include "srm/errors.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/mman.h>
#include <unistd.h>

namespace srm::detail {

namespace {

// The mappings the SIGBUS handler may repair: a fixed table read without
// locks from the handler.
struct Guarded {
    std::atomic<bool> used{false};
    std::atomic<std::uintptr_t> begin{0}, end{0};  // 0: not armed
    std::atomic<bool> faulted{false};
};
constexpr int kSlots = 32;
Guarded g_slots[kSlots];
struct sigaction g_previous {};
std::once_flag g_installed;

void on_sigbus(int sig, siginfo_t* info, void* context)
{
    const auto addr = reinterpret_cast<std::uintptr_t>(info->si_addr);
    for (auto& slot : g_slots) {
        const std::uintptr_t b = slot.begin.load(std::memory_order_acquire), e = slot.end.load(std::memory_order_acquire);
        if (b == 0 || e == 0 || addr < b || addr >= e) continue;
        // A page of the mapped file is gone (the file was truncated): map
        // zeros over it so the read can finish, and mark the mapping.
        const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
        void* at = reinterpret_cast<void*>(addr & ~(page - 1));
        if (::mmap(at, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
            slot.faulted.store(true, std::memory_order_release);
            return;
        }
        break;
    }
    // Not ours: whatever handled SIGBUS before (or the default action).
    if (g_previous.sa_flags & SA_SIGINFO) {
        if (g_previous.sa_sigaction) return g_previous.sa_sigaction(sig, info, context);
    } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN && g_previous.sa_handler) {
        return g_previous.sa_handler(sig);
    }
    ::signal(SIGBUS, SIG_DFL);
    ::raise(SIGBUS);
}

void install_handler()
{
    std::call_once(g_installed, [] {
        struct sigaction sa {};
        sa.sa_sigaction = on_sigbus;
        sa.sa_flags = SA_SIGINFO | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        ::sigaction(SIGBUS, &sa, &g_previous);
    });
}

int claim_slot(const char* data, std::size_t size)
{
    for (int i = 0; i < kSlots; ++i) {
        if (g_slots[i].used.exchange(true)) continue;
        g_slots[i].faulted.store(false);
        g_slots[i].begin.store(reinterpret_cast<std::uintptr_t>(data), std::memory_order_release);
        g_slots[i].end.store(reinterpret_cast<std::uintptr_t>(data) + size, std::memory_order_release);
        return i;
    }
    return -1;
}

bool compressed_or_empty(int fd)
{
    char head[4] = {0, 0, 0, 0};
    const ssize_t n = ::pread(fd, head, sizeof head, 0);
    return n <= 0 || container_of(std::string_view(head, static_cast<std::size_t>(n))) != Container::Plain;
}

}  // namespace

std::unique_ptr<MappedInput> MappedInput::map(const std::string& path)
{
    if (path == "-") return nullptr;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;  // the stream reader says why
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0 || compressed_or_empty(fd)) {
        ::close(fd);
        return nullptr;
    }
    void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
        ::close(fd);
        return nullptr;
    }
    ::madvise(p, static_cast<std::size_t>(st.st_size), MADV_SEQUENTIAL);
    install_handler();
    std::unique_ptr<MappedInput> m(new MappedInput());
    m->data_ = static_cast<const char*>(p);
    m->size_ = static_cast<std::size_t>(st.st_size);
    m->fd_ = fd;
    m->opened_ = st;
    m->guard_ = claim_slot(m->data_, m->size_);
    if (m->guard_ < 0) return nullptr;  // every slot taken: read it as a stream instead
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return m;
}

MappedInput::~MappedInput()
{
    if (guard_ >= 0) {
        g_slots[guard_].end.store(0, std::memory_order_release);
        g_slots[guard_].begin.store(0, std::memory_order_release);
        g_slots[guard_].used.store(false, std::memory_order_release);
    }
    if (data_) ::munmap(const_cast<char*>(data_), size_);
    if (fd_ >= 0) ::close(fd_);
}

void MappedInput::check(bool at_end) const
{
    const bool faulted = guard_ >= 0 && g_slots[guard_].faulted.load(std::memory_order_acquire);
    struct stat now {};
    const bool stat_ok = ::fstat(fd_, &now) == 0;
    if (faulted || (stat_ok && now.st_size < opened_.st_size))
        throw InputError("the file changed while it was read (it shrank from " + std::to_string(opened_.st_size) + " to " +
                         std::to_string(stat_ok ? now.st_size : 0) + " bytes): read it again once it is complete");
    if (!at_end || !stat_ok) return;
    if (now.st_size != opened_.st_size)
        throw InputError("the file changed while it was read (its size went from " + std::to_string(opened_.st_size) + " to " +
                         std::to_string(now.st_size) + " bytes): read it again once it is complete");
    if (now.st_mtim.tv_sec != opened_.st_mtim.tv_sec || now.st_mtim.tv_nsec != opened_.st_mtim.tv_nsec)
        throw InputError("the file changed while it was read (it was written to): read it again once it is complete");
}

void MappedInput::release_before(std::size_t upto) noexcept
{
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    upto = upto / page * page;
    if (!data_ || upto <= released_) return;
    ::madvise(const_cast<char*>(data_) + released_, upto - released_, MADV_DONTNEED);
    released_ = upto;
}

}  // namespace srm::detail
