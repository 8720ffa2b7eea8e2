#include "column_names_internal.hpp"

#include "srm/text.hpp"

#include <algorithm>
#include <array>

namespace srm::detail {

namespace {

bool ends_with(const std::string& s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

struct RoleNames {
    Role role;
    std::vector<std::string> names;
};

// Exact names per role, most specific first.
const std::vector<RoleNames>& table()
{
    static const std::vector<RoleNames> kTable = {
        // The warehouse query's own columns (srm-check --print-sql), before any
        // pattern: "srm_assigned_variant" is not the variant.
        {Role::MultiVariant, {"srm_multi_variant"}},
        {Role::AssignedVariant, {"srm_assigned_variant"}},
        {Role::Variant, {"variant", "variation", "variation_id", "variant_id", "variant_name", "variation_name", "arm", "arm_name",
                         "group", "group_name", "bucket", "bucket_name", "experiment_group", "experiment_variant", "treatment_group",
                         "test_group", "ab_group", "ab_test_group", "abtest_group", "ab_variant", "test_variant", "assigned_variant",
                         "exposure_variant", "flag_variant", "feature_flag", "feature_flag_variant", "cohort", "treatment", "branch",
                         "version", "experiment", "condition", "ab", "abtest", "split", "test_arm", "experiment_arm", "variant_key",
                         "variation_key", "promotion"}},
        {Role::Unit, {"user_id", "unit_id", "device_id", "amplitude_id", "anonymous_id", "distinct_id", "user_pseudo_id",
                      "fullvisitorid", "visitor_id", "client_id", "customer_id", "account_id", "member_id", "person_id", "player_id",
                      "subject_id", "cookie_id", "session_id", "auction_id", "userid", "user", "unit", "visitor", "customer", "uid",
                      "uuid", "guid", "id"}},
        {Role::Time, {"timestamp", "event_time", "exposure_time", "first_exposure_time", "assignment_time", "server_upload_time",
                      "client_event_time", "event_timestamp", "exposure_timestamp", "timestamp_utc", "exposure_date", "event_date",
                      "time", "ts", "datetime", "date_time", "created_at", "first_seen", "date", "day", "dt", "period"}},
        {Role::Hour, {"hour", "hr", "hour_of_day", "hod", "event_hour"}},
        {Role::Count, {"count", "units", "users", "n", "unique_users", "distinct_users", "num_users", "n_users", "user_count",
                       "users_count", "count_users", "unit_count", "n_units", "cnt", "exposed_users", "visitors", "unique_visitors",
                       "participants", "reach", "exposures", "pageviews", "page_views", "impressions", "sessions"}},
        {Role::Event, {"event_type", "event", "event_name", "action"}},
        {Role::Inclusion, {"force_included", "forced", "individually_included", "individual_inclusion", "is_forced", "manually_included",
                           "included_manually"}},
        {Role::Dimension, {"browser", "browser_version", "os", "os_version", "platform", "platform_os", "country", "region", "state",
                           "city", "market", "sdk_version", "app_version", "device", "device_type", "device_make", "device_category",
                           "language", "locale", "channel", "source", "medium", "campaign", "user_type", "segment"}},
        {Role::Metric, {"crashed", "crash", "error", "errors", "retained", "converted", "conversion", "conversions", "revenue",
                        "bounced", "clicked", "click", "clicks", "purchased", "purchase", "purchases", "orders", "spend", "sales",
                        "churned", "signed_up", "signups", "opened", "visit", "visits", "yes", "no"}},
    };
    return kTable;
}

}  // namespace

const std::vector<std::string>& names_for(Role role)
{
    static const std::vector<std::string> kNone;
    for (const auto& r : table())
        if (r.role == role) return r.names;
    return kNone;
}

std::optional<NameHint> role_by_name(std::string_view name)
{
    const std::string n = normalise_name(name);
    for (const auto& r : table()) {
        const auto it = std::find(r.names.begin(), r.names.end(), n);
        if (it != r.names.end()) return NameHint{r.role, static_cast<int>(it - r.names.begin())};
    }
    // Patterns, after every exact name.
    constexpr int kPattern = 1000;
    if (n.find("variant") != std::string::npos || n.find("variation") != std::string::npos || starts_with(n, "$feature/") ||
        starts_with(n, "_feature_") || ends_with(n, "_group") || ends_with(n, "_arm") || ends_with(n, "_bucket") || ends_with(n, "_cohort"))
        return NameHint{Role::Variant, kPattern};
    if (is_id_name(n)) return NameHint{Role::Unit, kPattern};
    if (ends_with(n, "_time") || ends_with(n, "_timestamp") || ends_with(n, "_at") || ends_with(n, "_date") || ends_with(n, "_ts"))
        return NameHint{Role::Time, kPattern};
    if (starts_with(n, "retention") || starts_with(n, "retained") || starts_with(n, "is_") || starts_with(n, "has_") ||
        starts_with(n, "did_") || starts_with(n, "converted") || ends_with(n, "_revenue") || ends_with(n, "_converted") ||
        starts_with(n, "sum_") || starts_with(n, "total_") || starts_with(n, "num_") || starts_with(n, "#_of_"))
        return NameHint{Role::Metric, kPattern};
    return std::nullopt;
}

bool is_id_name(std::string_view name)
{
    const std::string n = normalise_name(name);
    return n == "id" || ends_with(n, "_id") || ends_with(n, "_uuid") || ends_with(n, "_guid") || ends_with(n, "_key") || n == "uuid" ||
           n == "guid" || (n.size() > 2 && ends_with(n, "id") && !ends_with(n, "_id") &&
                           (starts_with(n, "user") || starts_with(n, "client") || starts_with(n, "customer") || starts_with(n, "visitor") ||
                            starts_with(n, "device") || starts_with(n, "account") || starts_with(n, "session") || starts_with(n, "location") ||
                            starts_with(n, "market") || starts_with(n, "store") || starts_with(n, "record") || starts_with(n, "player") ||
                            starts_with(n, "member")));
}

std::optional<int> count_name_rank(std::string_view name)
{
    const std::string n = normalise_name(name);
    const auto& names = names_for(Role::Count);
    const auto it = std::find(names.begin(), names.end(), n);
    if (it == names.end()) return std::nullopt;
    constexpr std::array<std::string_view, 5> kExposureCounts = {"exposures", "pageviews", "page_views", "impressions", "sessions"};
    return std::find(kExposureCounts.begin(), kExposureCounts.end(), n) != kExposureCounts.end() ? 1 : 0;
}

bool is_known_column_name(std::string_view name)
{
    return role_by_name(name).has_value();
}

}  // namespace srm::detail
