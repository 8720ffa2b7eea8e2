// srm-check --print-sql: the warehouse query for nine engines. One query
// shape for all of them, built from the few expressions where dialects
// differ (quoting, text casts, epoch seconds), each in one function below.
//
// The shape: events (the columns read, each event's kind) -> ranked (each
// unit's first exposure and first assignment, and whether its exposures
// name more than one variant) -> units (one row per unit) -> the result
// (units counted per bucket, variant, dimension values and flags). Only
// ROW_NUMBER and MIN/MAX windows, CASE and GROUP BY: what every engine has.
#include "srm/warehouse.hpp"

#include <algorithm>
#include <stdexcept>

namespace srm {

namespace {

std::string lower_ascii(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool backtick_engine(SqlEngine e) { return e == SqlEngine::BigQuery || e == SqlEngine::Databricks || e == SqlEngine::ClickHouse; }

// A column cast to text, then trimmed (the CSV reader trims every field).
std::string text_of(SqlEngine e, const std::string& expr)
{
    const char* type = "VARCHAR";
    switch (e) {
    case SqlEngine::PostgreSQL:
    case SqlEngine::SQLite: type = "TEXT"; break;
    case SqlEngine::BigQuery:
    case SqlEngine::Databricks: type = "STRING"; break;
    case SqlEngine::ClickHouse: type = "String"; break;
    default: break;
    }
    return "TRIM(CAST(" + expr + " AS " + type + "))";
}

// Seconds since the epoch (UTC) of a time value, possibly with a fraction.
std::string epoch_of(SqlEngine e, const std::string& t)
{
    switch (e) {
    case SqlEngine::PostgreSQL:
    case SqlEngine::Redshift: return "EXTRACT(EPOCH FROM " + t + ")";
    case SqlEngine::DuckDB: return "epoch(" + t + ")";
    case SqlEngine::SQLite: return "unixepoch(" + t + ", 'auto')";  // ISO 8601 text or epoch seconds
    case SqlEngine::BigQuery: return "UNIX_SECONDS(" + t + ")";
    case SqlEngine::Snowflake: return "DATE_PART(EPOCH_SECOND, " + t + ")";
    case SqlEngine::Databricks: return "UNIX_TIMESTAMP(" + t + ")";
    case SqlEngine::ClickHouse: return "toUnixTimestamp(" + t + ")";
    case SqlEngine::Trino: return "to_unixtime(" + t + ")";
    }
    return t;
}

// The start of the time's bucket, as whole seconds since the epoch (floored,
// also before 1970).
std::string bucket_of(SqlEngine e, const std::string& t, bool daily)
{
    const std::string width = daily ? "86400" : "3600";
    switch (e) {
    case SqlEngine::BigQuery: return "UNIX_SECONDS(TIMESTAMP_TRUNC(" + t + (daily ? ", DAY))" : ", HOUR))");
    case SqlEngine::ClickHouse: return "intDiv(toUnixTimestamp(" + t + "), " + width + ") * " + width;
    case SqlEngine::SQLite: {  // integer seconds: floor by the remainder (SQLite may lack FLOOR)
        const std::string s = epoch_of(e, t);
        return "(" + s + " - (((" + s + ") % " + width + ") + " + width + ") % " + width + ")";
    }
    default: return "CAST(FLOOR(" + epoch_of(e, t) + " / " + width + ") * " + width + " AS BIGINT)";
    }
}

// The order of a unit's events: by time, ties by variant and dimension
// values (a file keeps its own order for ties; a table has none).
std::string time_order(SqlEngine e, const std::string& t)
{
    if (e == SqlEngine::SQLite) return "julianday(" + t + ", 'auto'), " + t;  // text times in any ISO layout
    return t;
}

// The analysis window on the raw time column.
std::string window_condition(const AggregationQuery& q, const std::string& t)
{
    std::string out;
    auto add = [&](const std::string& c) { out += (out.empty() ? "" : " AND ") + c; };
    if (q.engine == SqlEngine::BigQuery) {  // keeps partition pruning on a TIMESTAMP column
        if (q.window_start) add(t + " >= TIMESTAMP_SECONDS(" + std::to_string(*q.window_start) + ")");
        if (q.window_end) add(t + " < TIMESTAMP_SECONDS(" + std::to_string(*q.window_end + 1) + ")");
        return out;
    }
    const std::string s = epoch_of(q.engine, t);
    if (q.window_start) add(s + " >= " + std::to_string(*q.window_start));
    if (q.window_end) add(s + " < " + std::to_string(*q.window_end + 1));
    return out;
}

// A missing value as the CSV reader has it (empty, -, NA, N/A, NaN, null, None, nil).
std::string present(const std::string& text)
{
    return text + " IS NOT NULL AND LOWER(" + text + ") NOT IN ('', '-', 'na', 'n/a', 'nan', 'null', 'none', 'nil')";
}

// The event's kind: 2 assignment, 1 exposure, 0 other, by the words the
// CSV reader looks for (srm::detail::classify_event).
std::string kind_of(const std::string& event_text)
{
    const std::string v = "LOWER(" + event_text + ")";
    return "CASE WHEN " + v + " LIKE '%assign%' THEN 2 WHEN " + v + " LIKE '%expos%' OR " + v + " LIKE '%view%' OR " + v +
           " LIKE '%impression%' OR " + v + " LIKE '%trigger%' THEN 1 ELSE 0 END";
}

void check_name(std::string_view name, const char* what)
{
    if (name.empty()) throw std::invalid_argument(std::string(what) + " is empty");
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7F) throw std::invalid_argument(std::string(what) + " has a control character; it cannot be quoted safely");
}

}  // namespace

std::string quote_table(SqlEngine e, const std::string& table)
{
    check_name(table, "the table name");
    std::string out;
    std::size_t from = 0;
    while (true) {
        const std::size_t dot = table.find('.', from);
        const std::string part = table.substr(from, dot == std::string::npos ? std::string::npos : dot - from);
        if (part.empty()) throw std::invalid_argument("the table name '" + table + "' has an empty part");
        out += (out.empty() ? "" : ".") + quote_identifier(e, part);
        if (dot == std::string::npos) break;
        from = dot + 1;
    }
    return out;
}

const std::vector<SqlEngineInfo>& sql_engines()
{
    static const std::vector<SqlEngineInfo> kEngines = {
        {SqlEngine::PostgreSQL, "postgresql", "PostgreSQL"}, {SqlEngine::DuckDB, "duckdb", "DuckDB"},
        {SqlEngine::SQLite, "sqlite", "SQLite"},             {SqlEngine::BigQuery, "bigquery", "BigQuery"},
        {SqlEngine::Snowflake, "snowflake", "Snowflake"},    {SqlEngine::Redshift, "redshift", "Amazon Redshift"},
        {SqlEngine::Databricks, "databricks", "Databricks / Spark SQL"}, {SqlEngine::ClickHouse, "clickhouse", "ClickHouse"},
        {SqlEngine::Trino, "trino", "Trino"},
    };
    return kEngines;
}

std::optional<SqlEngine> sql_engine_by_name(std::string_view name)
{
    const std::string n = lower_ascii(name);
    for (const auto& e : sql_engines())
        if (n == e.name) return e.engine;
    if (n == "postgres" || n == "pg") return SqlEngine::PostgreSQL;
    if (n == "spark" || n == "sparksql" || n == "spark-sql") return SqlEngine::Databricks;
    if (n == "presto" || n == "athena") return SqlEngine::Trino;
    if (n == "sqlite3") return SqlEngine::SQLite;
    return std::nullopt;
}

const char* to_string(SqlEngine engine) noexcept
{
    for (const auto& e : sql_engines())
        if (e.engine == engine) return e.name;
    return "postgresql";
}

std::string quote_identifier(SqlEngine e, std::string_view name)
{
    check_name(name, "a column name");
    std::string out;
    if (!backtick_engine(e)) {  // SQL standard: "name", a quote doubled
        out = "\"";
        for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
        return out + "\"";
    }
    out = "`";
    for (char c : name) {
        if (c == '`') out += e == SqlEngine::Databricks ? "``" : "\\`";  // Spark doubles; BigQuery and ClickHouse escape
        else if (c == '\\' && e != SqlEngine::Databricks) out += "\\\\";
        else out += c;
    }
    return out + "`";
}

std::string aggregation_sql(const AggregationQuery& q)
{
    const SqlEngine e = q.engine;
    check_name(q.unit, "the unit column");
    check_name(q.variant, "the variant column");
    check_name(q.time, "the time column");
    if (q.event) check_name(*q.event, "the event column");
    if (q.window_start && q.window_end && *q.window_start > *q.window_end) throw std::invalid_argument("the window's start is after its end");
    // The result's own names cannot also be dimensions (case-insensitively,
    // as most engines compare them), nor can a dimension come twice.
    std::vector<std::string> taken = {result_column::kTime, result_column::kVariant, result_column::kMultiVariant,
                                      result_column::kAssignedVariant, result_column::kUnits};
    for (const auto& d : q.dimensions) {
        check_name(d, "a dimension column");
        const std::string l = lower_ascii(d);
        if (std::find(taken.begin(), taken.end(), l) != taken.end())
            throw std::invalid_argument("the dimension '" + d + "' has a name the result needs for itself (or is given twice)");
        taken.push_back(l);
    }
    const bool with_event = q.event.has_value();
    const std::string t = quote_identifier(e, q.time);
    const std::size_t nd = q.dimensions.size();
    auto dim = [](std::size_t i) { return "srm_d" + std::to_string(i); };

    std::string sql;
    sql += "-- SRM Workbench: distinct units by first exposure, per " + std::string(q.daily ? "day" : "hour") +
           " (UTC), variant and dimension values, for srm-check.\n";
    sql += "-- Engine: " + std::string([&] {
               for (const auto& x : sql_engines())
                   if (x.engine == e) return x.title;
               return "";
           }()) + ". Save the result as CSV and run: srm-check RESULT.csv\n";
    sql += "WITH srm_events AS (\n    SELECT\n";
    sql += "        " + text_of(e, quote_identifier(e, q.unit)) + " AS srm_unit,\n";
    sql += "        " + text_of(e, quote_identifier(e, q.variant)) + " AS srm_variant,\n";
    sql += "        " + t + " AS srm_t,\n";
    for (std::size_t i = 0; i < nd; ++i) sql += "        " + text_of(e, quote_identifier(e, q.dimensions[i])) + " AS " + dim(i) + ",\n";
    sql += "        " + (with_event ? kind_of(text_of(e, quote_identifier(e, *q.event))) : std::string("1")) + " AS srm_kind\n";
    sql += "    FROM " + quote_table(e, q.table) + "\n";
    sql += "    WHERE " + t + " IS NOT NULL";
    if (const std::string w = window_condition(q, t); !w.empty()) sql += " AND " + w;
    sql += "\n),\n";
    std::string order = time_order(e, "srm_t") + ", srm_variant";
    for (std::size_t i = 0; i < nd; ++i) order += ", " + dim(i);
    sql += "srm_ranked AS (\n    SELECT srm_events.*,\n";
    sql += "        ROW_NUMBER() OVER (PARTITION BY srm_unit, srm_kind ORDER BY " + order + ") AS srm_rank,\n";
    sql += "        MIN(srm_variant) OVER (PARTITION BY srm_unit, srm_kind) AS srm_vmin,\n";
    sql += "        MAX(srm_variant) OVER (PARTITION BY srm_unit, srm_kind) AS srm_vmax\n";
    sql += "    FROM srm_events\n";
    sql += "    WHERE srm_kind > 0 AND " + present("srm_unit") + "\n        AND " + present("srm_variant") + "\n),\n";
    sql += "srm_units AS (\n    SELECT srm_unit,\n";
    sql += "        MAX(CASE WHEN srm_kind = 1 THEN " + bucket_of(e, "srm_t", q.daily) + " END) AS srm_bucket,\n";
    sql += "        MAX(CASE WHEN srm_kind = 1 THEN srm_variant END) AS srm_variant,\n";
    for (std::size_t i = 0; i < nd; ++i) sql += "        MAX(CASE WHEN srm_kind = 1 THEN " + dim(i) + " END) AS " + dim(i) + ",\n";
    sql += "        MAX(CASE WHEN srm_kind = 1 AND srm_vmin <> srm_vmax THEN 1 ELSE 0 END) AS srm_multi";
    if (with_event) sql += ",\n        MAX(CASE WHEN srm_kind = 2 THEN srm_variant END) AS srm_assigned";
    sql += "\n    FROM srm_ranked\n    WHERE srm_rank = 1\n    GROUP BY srm_unit\n)\n";
    std::string keys = "srm_bucket, srm_variant";
    sql += "SELECT\n    srm_bucket AS " + quote_identifier(e, result_column::kTime) + ",\n";
    sql += "    srm_variant AS " + quote_identifier(e, result_column::kVariant) + ",\n";
    for (std::size_t i = 0; i < nd; ++i) {
        sql += "    " + dim(i) + " AS " + quote_identifier(e, q.dimensions[i]) + ",\n";
        keys += ", " + dim(i);
    }
    sql += "    srm_multi AS " + quote_identifier(e, result_column::kMultiVariant) + ",\n";
    keys += ", srm_multi";
    if (with_event) {
        sql += "    srm_assigned AS " + quote_identifier(e, result_column::kAssignedVariant) + ",\n";
        keys += ", srm_assigned";
    }
    sql += "    COUNT(*) AS " + quote_identifier(e, result_column::kUnits) + "\n";
    sql += "FROM srm_units\nGROUP BY " + keys + "\nORDER BY " + keys + ";\n";
    return sql;
}

namespace {

std::string percent_decode(std::string_view s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto hex = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1; };
        if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace

DatabaseUrl parse_database_url(std::string_view url)
{
    DatabaseUrl d;
    const std::string lowered = lower_ascii(url.substr(0, std::min<std::size_t>(url.size(), 16)));
    if (lowered.rfind("sqlite:", 0) == 0) {
        d.engine = SqlEngine::SQLite;
        std::string_view path = url.substr(7);
        if (path.rfind("//", 0) == 0) path.remove_prefix(2);  // sqlite:///abs -> /abs
        d.database = percent_decode(path);
        if (d.database.empty()) throw std::invalid_argument("the SQLite URL names no file: sqlite:///path/to/file.db");
        return d;
    }
    std::string_view rest;
    if (lowered.rfind("postgresql://", 0) == 0) rest = url.substr(13);
    else if (lowered.rfind("postgres://", 0) == 0) rest = url.substr(11);
    else throw std::invalid_argument("a database URL starts postgresql:// or sqlite:, not '" + std::string(url.substr(0, 40)) + "'");
    if (const auto q = rest.find('?'); q != std::string_view::npos) rest = rest.substr(0, q);  // options: libpq's environment instead
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash + 1 == rest.size())
        throw std::invalid_argument("the PostgreSQL URL names no database: postgresql://user@host:5432/database");
    d.database = percent_decode(rest.substr(slash + 1));
    std::string_view authority = rest.substr(0, slash);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view who = authority.substr(0, at);
        authority = authority.substr(at + 1);
        const auto colon = who.find(':');
        d.user = percent_decode(who.substr(0, colon));
        if (colon != std::string_view::npos) d.password = percent_decode(who.substr(colon + 1));
    }
    std::string_view host = authority;
    if (const auto colon = authority.rfind(':'); colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
        const std::string_view port = authority.substr(colon + 1);
        host = authority.substr(0, colon);
        int p = 0;
        for (char c : port) {
            if (c < '0' || c > '9' || p > 65535) throw std::invalid_argument("the port '" + std::string(port) + "' is not a number from 1 to 65535");
            p = p * 10 + (c - '0');
        }
        if (p < 1 || p > 65535) throw std::invalid_argument("the port '" + std::string(port) + "' is not a number from 1 to 65535");
        d.port = p;
    }
    if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);  // [::1]
    d.host = percent_decode(host);  // %2Frun%2Fpostgresql: a socket directory
    return d;
}

namespace {

// A URL part with the characters that would end it percent-encoded (and
// control bytes), so that the display reads back as the same URL.
std::string percent_encode(std::string_view s, std::string_view special)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f || c == '%' || special.find(c) != std::string_view::npos) {
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 15];
        } else {
            out += c;
        }
    }
    return out;
}

bool ipv6_literal(const std::string& host)
{
    return host.find(':') != std::string::npos && host.find_first_not_of("0123456789abcdefABCDEF:.") == std::string::npos;
}

}  // namespace

std::string DatabaseUrl::display() const
{
    if (engine == SqlEngine::SQLite) return "sqlite:" + database;
    std::string out = "postgresql://";
    if (!user.empty()) out += percent_encode(user, ":@/?") + "@";
    out += ipv6_literal(host) ? "[" + host + "]" : percent_encode(host, ":@/?[]");
    if (port) out += ":" + std::to_string(port);
    return out + "/" + percent_encode(database, "?");
}

}  // namespace srm
