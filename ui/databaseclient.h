// The database client of srm-check --db and the workbench's Open from
// Database: Qt SQL (QPSQL, QSQLITE) only, no widgets, so srm-check links it.
// Each call opens its own connection and closes it; calls may run on any
// thread (a connection is used only by the thread that made it).
#pragma once

#include "srm/warehouse.hpp"

#include <QList>
#include <QStringList>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace srmui {

/// Runs the query and returns its result as CSV (a header, then one line a
/// row; NULL as an empty field). `rows` reports the rows fetched so far.
/// Cancel is polled; on PostgreSQL it also cancels the running statement on
/// the server (pg_cancel_backend from a second connection). Throws
/// srm::DatabaseError (cannot connect, login refused, connection dropped),
/// srm::InputError (the query is rejected: a missing table or column),
/// srm::Cancelled. The password is used for the login only.
std::string fetchQueryCsv(const srm::DatabaseUrl& url, const std::string& sql, const std::function<void(std::uint64_t rows)>& rows = {},
                          const std::atomic<bool>* cancel = nullptr);

/// A table's columns and first rows, for the import preview.
struct TablePreview {
    QStringList columns;
    QList<QStringList> rows;
};
TablePreview previewTable(const srm::DatabaseUrl& url, const QString& table, int rows = 20);

/// The database's tables (schema.table where the schema is not public).
QStringList listTables(const srm::DatabaseUrl& url);

}  // namespace srmui
