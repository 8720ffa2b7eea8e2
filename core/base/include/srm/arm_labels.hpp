// What arm labels look like: the words experimentation platforms and
// warehouses use for variants, and which of them name the control arm.
#pragma once

#include <string_view>

namespace srm {

/// control, ctrl, baseline, holdout, original, default, old, off, "no X"
/// (no e-mail), a / A, 0 (loose: case, spaces and punctuation ignored).
bool is_control_label(std::string_view value);

/// A value that reads like an arm: the control labels, treatment, test,
/// variant_1, v2, group_b, b, gate_30, exposed, new_page, on, ...
bool looks_like_arm_label(std::string_view value);

}  // namespace srm
