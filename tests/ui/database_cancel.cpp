// Cancel during a PostgreSQL query (run by tests/core/warehouse/check_database.py
// against its server, URL and a sleeping table given as arguments): the
// fetch stops with Cancelled well before the statement would end, and the
// statement is cancelled on the server, not left running.
//
// Usage: database_cancel POSTGRESQL_URL TABLE   (PGPASSWORD in the environment)
#include "databaseclient.h"

#include "srm/errors.hpp"

#include <QCoreApplication>
#include <chrono>
#include <cstdio>
#include <thread>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: database_cancel POSTGRESQL_URL TABLE\n");
        return 2;
    }
    const srm::DatabaseUrl url = srm::parse_database_url(argv[1]);
    srm::AggregationQuery q;
    q.engine = srm::SqlEngine::PostgreSQL;
    q.table = argv[2];
    q.unit = "user_id";
    q.variant = "variant";
    q.time = "timestamp";
    std::atomic<bool> cancel{false};
    std::thread later([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        cancel = true;
    });
    const auto t0 = std::chrono::steady_clock::now();
    int rc = 1;
    try {
        srmui::fetchQueryCsv(url, srm::aggregation_sql(q), {}, &cancel);
        std::printf("FAIL: the query finished though it was cancelled\n");
    } catch (const srm::Cancelled&) {
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("%s: cancelled after %.1f s\n", s < 10 ? "ok" : "FAIL", s);
        rc = s < 10 ? 0 : 1;
    } catch (const std::exception& e) {
        std::printf("FAIL: %s\n", e.what());
    }
    later.join();
    return rc;
}
