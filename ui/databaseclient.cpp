#include "databaseclient.h"

#include "srm/errors.hpp"
#include "srm/text.hpp"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QVariant>
#include <chrono>
#include <thread>

namespace srmui {

namespace {

std::atomic<int> g_connections{0};

bool isPostgres(const srm::DatabaseUrl& url) { return url.engine == srm::SqlEngine::PostgreSQL; }

// A driver's message on one line ("FATAL:  password authentication failed
// for user "srm" (QPSQL: Unable to connect)").
std::string oneLine(const QSqlError& e)
{
    QString text = e.databaseText().trimmed();
    if (text.isEmpty()) text = e.driverText().trimmed();
    else if (!e.driverText().isEmpty()) text += QStringLiteral(" (") + e.driverText().trimmed() + QStringLiteral(")");
    text.replace(QLatin1Char('\n'), QStringLiteral("; "));
    return text.simplified().toStdString();
}

// One connection of its own, closed and removed when it goes.
class Connection {
public:
    explicit Connection(const srm::DatabaseUrl& url, const char* application = "srm-workbench")
        : m_name(QStringLiteral("srm-db-%1").arg(++g_connections))
    {
        const QString driver = isPostgres(url) ? QStringLiteral("QPSQL") : QStringLiteral("QSQLITE");
        if (!QSqlDatabase::isDriverAvailable(driver))
            throw srm::DatabaseError("the Qt SQL driver for " + std::string(isPostgres(url) ? "PostgreSQL" : "SQLite") +
                                     " is not installed (Debian: libqt6sql6-" + (isPostgres(url) ? "psql" : "sqlite") + ")");
        if (!isPostgres(url) && !QFileInfo(QString::fromStdString(url.database)).isFile())
            throw srm::DatabaseError("no SQLite database at " + url.database);
        std::string failure;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(driver, m_name);
            db.setDatabaseName(QString::fromStdString(url.database));
            if (isPostgres(url)) {
                if (!url.host.empty()) db.setHostName(QString::fromStdString(url.host));
                if (url.port) db.setPort(url.port);
                if (!url.user.empty()) db.setUserName(QString::fromStdString(url.user));
                if (!url.password.empty()) db.setPassword(QString::fromStdString(url.password));  // else libpq: PGPASSWORD, ~/.pgpass
                // No hang: a connect gives up after 10 s, a silent network after about 25 s.
                db.setConnectOptions(QStringLiteral("connect_timeout=10;keepalives=1;keepalives_idle=10;keepalives_interval=5;"
                                                    "keepalives_count=3;application_name=") +
                                     QLatin1String(application));
            } else {
                db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
            }
            if (!db.open()) failure = oneLine(db.lastError());
        }
        if (!failure.empty()) {
            QSqlDatabase::removeDatabase(m_name);
            throw srm::DatabaseError("cannot connect to " + url.display() + ": " + failure);
        }
    }
    ~Connection()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }

private:
    QString m_name;
};

// A failed statement: the connection's fault (SQLSTATE class 08, 57P: an
// administrator's shutdown or termination, or it no longer answers) or the
// query's (a missing table or column, a type).
[[noreturn]] void fail(const QSqlError& e, const QSqlDatabase& db, const srm::DatabaseUrl& url)
{
    const QString state = e.nativeErrorCode();
    bool lost = state.startsWith(QLatin1String("08")) || state.startsWith(QLatin1String("57P")) || !db.isOpen();
    if (!lost && isPostgres(url)) {
        QSqlQuery ping(db);
        lost = !ping.exec(QStringLiteral("SELECT 1"));
    }
    if (lost) throw srm::DatabaseError("the connection to " + url.display() + " was lost: " + oneLine(e));
    throw srm::InputError("the database rejected the query: " + oneLine(e));
}

// A value as a CSV field (NULL: empty).
void appendCell(std::string& out, const QVariant& v)
{
    if (!v.isNull()) out += srm::csv_quote(v.toString().toStdString());
}

// Cancels PostgreSQL's running statement of backend `pid` from a connection
// of this thread's own.
void cancelBackend(const srm::DatabaseUrl& url, qint64 pid)
{
    try {
        Connection c(url, "srm-workbench-cancel");
        QSqlQuery q(c.db());
        q.prepare(QStringLiteral("SELECT pg_cancel_backend(?)"));
        q.addBindValue(pid);
        q.exec();
    } catch (const std::exception&) {
        // the statement then runs to its end, and its result is dropped
    }
}

}  // namespace

std::string fetchQueryCsv(const srm::DatabaseUrl& url, const std::string& sql, const std::function<void(std::uint64_t)>& rows,
                          const std::atomic<bool>* cancel)
{
    srm::check_cancel(cancel);
    Connection connection(url);
    QSqlDatabase db = connection.db();
    qint64 pid = 0;
    if (isPostgres(url)) {
        QSqlQuery p(db);
        if (p.exec(QStringLiteral("SELECT pg_backend_pid()")) && p.next()) pid = p.value(0).toLongLong();
    }
    // While the statement runs on the server: a watcher that cancels it there.
    std::atomic<bool> done{false};
    std::thread watcher;
    if (cancel && pid)
        watcher = std::thread([&] {
            while (!done.load()) {
                if (cancel->load()) {
                    cancelBackend(url, pid);
                    return;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        });
    struct Stop {
        std::atomic<bool>& done;
        std::thread& watcher;
        ~Stop()
        {
            done = true;
            if (watcher.joinable()) watcher.join();
        }
    } stop{done, watcher};

    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QString::fromStdString(sql))) {
        srm::check_cancel(cancel);
        fail(q.lastError(), db, url);
    }
    std::string out;
    const QSqlRecord record = q.record();
    for (int i = 0; i < record.count(); ++i) {
        if (i) out += ',';
        appendCell(out, record.fieldName(i));
    }
    out += '\n';
    std::uint64_t n = 0;
    while (q.next()) {
        for (int i = 0; i < record.count(); ++i) {
            if (i) out += ',';
            appendCell(out, q.value(i));
        }
        out += '\n';
        if (++n % 4096 == 0) {
            srm::check_cancel(cancel);
            if (rows) rows(n);
        }
    }
    if (q.lastError().isValid()) {
        srm::check_cancel(cancel);
        fail(q.lastError(), db, url);
    }
    srm::check_cancel(cancel);
    if (rows) rows(n);
    return out;
}

TablePreview previewTable(const srm::DatabaseUrl& url, const QString& table, int rows)
{
    Connection connection(url);
    QSqlDatabase db = connection.db();
    QSqlQuery q(db);
    q.setForwardOnly(true);
    std::string quoted;
    try {
        quoted = srm::quote_table(url.engine, table.toStdString());
    } catch (const std::invalid_argument& e) {
        throw srm::InputError(e.what());
    }
    if (!q.exec(QStringLiteral("SELECT * FROM %1 LIMIT %2").arg(QString::fromStdString(quoted)).arg(rows))) fail(q.lastError(), db, url);
    TablePreview p;
    const QSqlRecord record = q.record();
    for (int i = 0; i < record.count(); ++i) p.columns << record.fieldName(i);
    while (q.next()) {
        QStringList row;
        for (int i = 0; i < record.count(); ++i) row << (q.value(i).isNull() ? QString() : q.value(i).toString());
        p.rows << row;
    }
    return p;
}

QStringList listTables(const srm::DatabaseUrl& url)
{
    Connection connection(url);
    QStringList tables = connection.db().tables(QSql::Tables) + connection.db().tables(QSql::Views);
    tables.sort();
    return tables;
}

}  // namespace srmui
