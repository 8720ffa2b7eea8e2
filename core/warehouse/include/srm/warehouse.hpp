// The aggregation run in the warehouse: one SQL query, in the dialect of the
// engine that holds the exposure log, whose result is the aggregated shape
// srm-check reads (srm-check --print-sql). Units are counted by their first
// exposure, as for event files; the result also carries what the checklist
// needs from the events: units exposed in more than one variant and, with an
// event-type column, the variant each unit was first assigned to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace srm {

enum class SqlEngine { PostgreSQL, DuckDB, SQLite, BigQuery, Snowflake, Redshift, Databricks, ClickHouse, Trino };

struct SqlEngineInfo {
    SqlEngine engine;
    const char* name;   ///< as --print-sql takes it
    const char* title;  ///< as a person writes it
};

/// Every engine, in --help's order.
const std::vector<SqlEngineInfo>& sql_engines();

/// The engine of a --print-sql argument (its name or a common alias:
/// postgres, spark, presto); none when unknown.
std::optional<SqlEngine> sql_engine_by_name(std::string_view name);
const char* to_string(SqlEngine engine) noexcept;

/// What the query reads: the table and its columns, as the warehouse names
/// them (quoted in the query exactly as given: case matters where the
/// engine keeps it, e.g. Snowflake's upper-case unquoted names).
struct AggregationQuery {
    SqlEngine engine = SqlEngine::PostgreSQL;
    std::string table;  ///< a name or a dotted path (schema.table, project.dataset.table)
    std::string unit, variant, time;
    std::optional<std::string> event;     ///< event type: assignment and exposure events told apart
    std::vector<std::string> dimensions;  ///< each unit's values at its first exposure
    /// Only events in [window_start, window_end] (seconds since the epoch,
    /// both inclusive: the end's whole second), as srm-check --window.
    std::optional<std::int64_t> window_start, window_end;
    bool daily = false;  ///< buckets of a day (UTC) rather than an hour
};

/// The result's columns (srm-check detects each by its name).
namespace result_column {
constexpr const char* kTime = "first_exposure_time";  ///< the bucket's start, seconds since the epoch (UTC)
constexpr const char* kVariant = "variant";           ///< the variant of the units' first exposure; empty: never exposed
constexpr const char* kMultiVariant = "srm_multi_variant";        ///< 1: exposed in more than one variant
constexpr const char* kAssignedVariant = "srm_assigned_variant";  ///< the first assignment's variant (with an event column)
constexpr const char* kUnits = "units";                           ///< distinct units
}  // namespace result_column

/// The query. Throws std::invalid_argument for a name that cannot be
/// quoted (empty, control characters, one the result needs for itself).
std::string aggregation_sql(const AggregationQuery& query);

/// One identifier (a column or a part of a table path), quoted for the engine.
std::string quote_identifier(SqlEngine engine, std::string_view name);
/// A table's name or dotted path, each part quoted.
std::string quote_table(SqlEngine engine, const std::string& table);

/// A database to connect to (srm-check --db, the workbench's Open from
/// Database): postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE (libpq's
/// URI; percent-escapes decoded; no password: libpq's PGPASSWORD or
/// ~/.pgpass) or sqlite:PATH (sqlite:///abs/path.db, sqlite:rel/path.db).
struct DatabaseUrl {
    SqlEngine engine = SqlEngine::PostgreSQL;  ///< PostgreSQL or SQLite
    std::string host, database, user, password;
    int port = 0;  ///< 0: the default (5432)
    /// The URL as shown in reports and messages: never the password.
    std::string display() const;
};
/// Throws std::invalid_argument for a URL it cannot use (another scheme,
/// no database).
DatabaseUrl parse_database_url(std::string_view url);

}  // namespace srm
