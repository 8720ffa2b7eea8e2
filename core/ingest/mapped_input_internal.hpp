// A plain (uncompressed) regular file mapped into memory, read without a
// copy (internal to ingest). A file truncated while it is mapped would kill
// the process with SIGBUS on the first page past its new end: a handler
// catches exactly those faults, puts a page of zeros in place and marks the
// mapping as changed, and the loader checks the mark after every window
// (and compares the file's size and time at the end), so the reader says
// "the file changed while it was read" instead of crashing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <sys/stat.h>

namespace srm::detail {

class MappedInput {
public:
    /// The mapping of `path` if it is a plain regular file that is not
    /// empty and not compressed (told by its first bytes); null otherwise.
    static std::unique_ptr<MappedInput> map(const std::string& path);
    ~MappedInput();
    MappedInput(const MappedInput&) = delete;
    MappedInput& operator=(const MappedInput&) = delete;

    const char* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    /// Throws InputError when the file shrank under the mapping (a fault was
    /// caught) or, with `at_end`, has another size or time than when mapped.
    void check(bool at_end) const;
    /// The range [0, upto) will not be read again: its pages leave this
    /// process's resident set (they stay in the page cache).
    void release_before(std::size_t upto) noexcept;

private:
    MappedInput() = default;
    const char* data_ = nullptr;
    std::size_t size_ = 0, released_ = 0;
    int fd_ = -1;
    int guard_ = -1;  // slot in the fault handler's table
    struct stat opened_ {};
};

}  // namespace srm::detail
