#include "column_names_internal.hpp"

#include "srm/text.hpp"

#include <algorithm>
#include <array>

namespace srm::detail {

namespace {

struct RoleNames {
    Role role;
    std::vector<std::string> names;
};

const std::array<RoleNames, 8>& table()
{
    static const std::array<RoleNames, 8> kTable = {{
        {Role::Time, {"timestamp", "event_time", "exposure_time", "first_exposure_time", "server_upload_time", "client_event_time",
                      "event_timestamp", "exposure_date", "time", "ts", "datetime", "created_at", "date", "day", "period", "hour"}},
        {Role::Unit, {"user_id", "unit_id", "device_id", "amplitude_id", "anonymous_id", "account_id", "userid", "visitor_id",
                      "customer_id", "user", "unit"}},
        {Role::Variant, {"variant", "variation", "variation_id", "variant_id", "variant_name", "arm", "group", "bucket",
                         "experiment_group", "treatment_group"}},
        {Role::Count, {"count", "units", "users", "n", "exposures", "num_users", "user_count", "unit_count", "n_units", "cnt",
                       "exposed_users"}},
        {Role::Event, {"event_type", "event", "event_name"}},
        {Role::Inclusion, {"force_included", "forced", "individually_included", "individual_inclusion", "is_forced",
                           "manually_included", "included_manually"}},
        {Role::Dimension, {"browser", "os", "country", "platform", "sdk_version", "app_version", "device", "device_type", "region",
                           "os_version", "language", "locale", "channel", "source", "city"}},
        {Role::Metric, {"crashed", "crash", "error", "errors", "retained", "converted", "conversion", "revenue", "bounced"}},
    }};
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

bool is_known_column_name(std::string_view name)
{
    const std::string n = normalise_name(name);
    for (const auto& r : table())
        if (std::find(r.names.begin(), r.names.end(), n) != r.names.end()) return true;
    return false;
}

}  // namespace srm::detail
