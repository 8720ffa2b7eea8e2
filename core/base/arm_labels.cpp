#include "srm/arm_labels.hpp"

#include "srm/text.hpp"

#include <array>
#include <string>

namespace srm {

namespace {

// Normalised (normalise_name) and without trailing digits or separators:
// "Variant 2" -> "variant", "gate_30" -> "gate".
std::string stem(std::string_view value)
{
    std::string s = normalise_name(value);
    while (!s.empty() && ((s.back() >= '0' && s.back() <= '9') || s.back() == '_')) s.pop_back();
    return s;
}

constexpr std::array<std::string_view, 10> kControl = {"control", "ctrl", "baseline", "holdout", "hold_out", "original",
                                                       "default", "old", "off", "champion"};
constexpr std::array<std::string_view, 28> kArm = {"treatment", "treat", "test", "variant", "variation", "var", "experiment",
                                                   "exp", "exposed", "group", "arm", "bucket", "cohort", "gate", "version",
                                                   "v", "option", "recipe", "new", "on", "challenger", "alt", "alternative",
                                                   "branch", "new_page", "old_page", "enabled", "disabled"};

bool in(std::string_view s, auto const& list)
{
    for (auto w : list)
        if (s == w) return true;
    return false;
}

}  // namespace

bool is_control_label(std::string_view value)
{
    const std::string n = normalise_name(value);
    if (n == "a" || n == "0" || n == "control_group" || n == "controls") return true;
    if (n.rfind("no_", 0) == 0 || n.rfind("without_", 0) == 0) return true;  // "No E-Mail", "no_email"
    const std::string s = stem(value);
    return in(s, kControl) || s == "control_group" || s == "group_control" || s == "old_page" || s == "old_version";
}

bool looks_like_arm_label(std::string_view value)
{
    if (is_control_label(value)) return true;
    const std::string n = normalise_name(value);
    if (n.size() == 1 && n[0] >= 'a' && n[0] <= 'h') return true;  // a, b, c, ...
    const std::string s = stem(value);
    if (in(s, kArm)) return true;
    // group_a, variant_b, arm_c, test_1, treatment_high, ...
    for (std::string_view prefix : {"group_", "variant_", "variation_", "arm_", "test_", "treatment_", "bucket_", "cohort_", "version_"})
        if (n.rfind(prefix, 0) == 0) return true;
    for (std::string_view suffix : {"_group", "_variant", "_arm", "_treatment", "_test", "_control", "_page", "_version"})
        if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0) return true;
    return false;
}

}  // namespace srm
