// The two ways a piece of work stops early: the input cannot be used
// (InputError, with the file's line where there is one) or the user
// cancelled (Cancelled). Every stage throws these; callers map them to
// messages and exit codes.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>

namespace srm {

/// Bad input: the caller's data cannot be analysed as given. `line` is the
/// 1-based physical line of the offending input where there is one (0 = none).
class InputError : public std::runtime_error {
public:
    explicit InputError(const std::string& message, std::uint64_t line = 0)
        : std::runtime_error(message), line_(line) {}
    std::uint64_t line() const noexcept { return line_; }

private:
    std::uint64_t line_;
};

/// The request itself is wrong (an option names nothing in the data): the
/// command line's exit code 64 rather than bad input's 65.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A database could not be reached, refused the login or dropped the
/// connection (srm-check exits 69, EX_UNAVAILABLE); a query it rejects (a
/// missing table or column) is an InputError.
class DatabaseError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Thrown when the cancel flag was raised while work was under way.
struct Cancelled : std::exception {
    const char* what() const noexcept override { return "analysis cancelled"; }
};

/// Fraction done in [0, 1]; called from the working thread.
using ProgressFn = std::function<void(double)>;

/// Throws Cancelled when `cancel` is set.
inline void check_cancel(const std::atomic<bool>* cancel)
{
    if (cancel && cancel->load(std::memory_order_relaxed)) throw Cancelled{};
}

}  // namespace srm
