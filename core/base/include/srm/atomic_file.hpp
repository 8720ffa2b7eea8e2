// Files the user keeps (sessions, reports, exports) written so that a
// reader sees the old file or the new one, never a part of either.
#pragma once

#include <string>
#include <string_view>

namespace srm {

/// Writes `data` to `path` atomically: a temporary file in the same folder,
/// flushed and synced, then renamed over the target, so that a reader sees
/// the old file or the new one, never a part. Throws std::runtime_error with
/// the reason (the old file is left as it was).
void write_file_atomic(const std::string& path, std::string_view data);

}  // namespace srm
