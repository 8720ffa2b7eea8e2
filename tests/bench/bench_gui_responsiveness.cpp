// GUI responsiveness on a large export: a timer probe on the UI thread
// records the longest gap between its ticks (a stall) in each phase a
// reviewer goes through, and the time each takes:
//   load     opening the file until the first results are shown;
//   window   a window dragged across Step 1's cumulative chart (real mouse
//            events) until its exact count is shown;
//   clear    Show all units until the whole data is shown again;
//   segments Step 4: twelve rows selected one after another (each shows its
//            segment's charts beside the table), 100 ms apart;
//   zoom     ten wheel notches on Step 1's charts, 50 ms apart.
// No nested event loop: each phase starts the next from a signal or a timer.
// With SRM_BENCH_EVENTS=1 it also prints every stall over 50 ms, every event
// the UI thread took over 8 ms to handle, and the time per event type and
// receiver (what to look at when a stall appears).
//
//   QT_QPA_PLATFORM=offscreen bench_gui_responsiveness FILE.csv
#include "dialogservice.h"
#include "mainwindow.h"
#include "pages.h"
#include "step4page.h"
#include "timechart.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QItemSelectionModel>
#include <QMouseEvent>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QWheelEvent>
#include <cstdio>
#include <functional>
#include <map>
#include <cstdlib>

namespace {

struct Phase {
    const char* name;
    qint64 took = 0, longest = 0;
};

// Reports each event the UI thread took over 8 ms to handle (what stalls it).
class TimedApplication : public QApplication {
public:
    using QApplication::QApplication;
    bool notify(QObject* receiver, QEvent* event) override
    {
        if (depth_ > 0) return QApplication::notify(receiver, event);
        ++depth_;
        // Named before: a receiver may delete itself while it handles the event.
        QByteArray what = QByteArray(receiver->metaObject()->className()) + " '" + receiver->objectName().toUtf8() + "'";
        if (receiver->parent()) what += " in " + receiver->parent()->objectName().toUtf8();
        const int type = static_cast<int>(event->type());
        QElapsedTimer t;
        t.start();
        const bool r = QApplication::notify(receiver, event);
        --depth_;
        const qint64 ns = t.nsecsElapsed();
        if (!detail) return r;
        {
            totals[{type, what}].first += ns;
            totals[{type, what}].second += 1;
        }
        if (t.elapsed() > 8)
            std::fprintf(stderr, "  slow: %lld ms handling event %d for %s (ended at %lld ms)\n", static_cast<long long>(t.elapsed()), type, what.constData(),
                         static_cast<long long>(since.elapsed()));
        return r;
    }

    std::map<std::pair<int, QByteArray>, std::pair<qint64, int>> totals;
    QElapsedTimer since;  // started with the run
    const bool detail = std::getenv("SRM_BENCH_EVENTS") != nullptr;  // per event type: ns and count (SRM_BENCH_EVENTS=1)

private:
    int depth_ = 0;
};

void mouse(QWidget* w, QEvent::Type type, const QPoint& at, Qt::MouseButtons buttons)
{
    QMouseEvent e(type, at, w->mapToGlobal(at), Qt::LeftButton, buttons, Qt::NoModifier);
    QApplication::sendEvent(w, &e);
}

}  // namespace

int main(int argc, char** argv)
{
    TimedApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_gui_responsiveness FILE.csv\n");
        return 64;
    }
    QTemporaryDir dir;
    QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
    srmui::MainWindow window(&settings);
    window.resize(1400, 900);
    window.show();
    QElapsedTimer clock, sinceTick;
    std::vector<Phase> phases;
    QTimer probe;
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        if (sinceTick.elapsed() > 50 && std::getenv("SRM_BENCH_EVENTS"))
            std::fprintf(stderr, "  stall: %lld ms, ended at %lld ms\n", static_cast<long long>(sinceTick.elapsed()), static_cast<long long>(app.since.elapsed()));
        if (!phases.empty()) phases.back().longest = std::max(phases.back().longest, sinceTick.elapsed());
        sinceTick.restart();
    });
    app.since.start();
    auto begin = [&](const char* name) {
        if (app.detail) std::fprintf(stderr, "-- %s at %lld ms\n", name, static_cast<long long>(app.since.elapsed()));
        if (!phases.empty()) phases.back().longest = std::max(phases.back().longest, sinceTick.elapsed());
        phases.push_back({name});
        clock.start();
        sinceTick.restart();
    };
    auto end = [&] {
        phases.back().longest = std::max(phases.back().longest, sinceTick.elapsed());
        phases.back().took = clock.elapsed();
    };
    auto finish = [&] {
        qint64 worst = 0;
        for (const auto& p : phases) {
            std::printf("%-9s %7.2f s   longest UI-thread stall %4lld ms\n", p.name, p.took / 1000.0, static_cast<long long>(p.longest));
            worst = std::max(worst, p.longest);
        }
        const bool fast = phases.front().took <= 2000;
        std::printf("targets: first results within 2 s: %s; no stall over 50 ms: %s (longest %lld ms)\n", fast ? "met" : "NOT met",
                    worst <= 50 ? "met" : "NOT met", static_cast<long long>(worst));
        for (const auto& [key, t] : app.totals)
            if (t.first > 10000000)
                std::fprintf(stderr, "  event %d for %s: %d handled in %.1f ms\n", key.first, key.second.constData(), t.second, t.first / 1e6);
        app.exit(fast && worst <= 50 ? 0 : 1);
    };
    auto* step1 = window.findChild<srmui::Step1Page*>();
    auto* step4 = window.findChild<srmui::Step4Page*>();
    int stage = 0;  // which phase a shown report ends
    std::function<void(int)> selectRow, wheel;
    selectRow = [&](int i) {
        auto* table = step4->findChild<QTableView*>(QStringLiteral("segmentsTable"));
        if (i >= std::min(12, step4->proxy()->rowCount())) {
            end();
            window.showPage(QStringLiteral("step1"));
            begin("zoom");
            QTimer::singleShot(50, [&] { wheel(0); });
            return;
        }
        table->selectionModel()->setCurrentIndex(step4->proxy()->index(i, 1), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QTimer::singleShot(100, [&, i] { selectRow(i + 1); });
    };
    wheel = [&](int i) {
        if (i >= 10) {
            end();
            finish();
            return;
        }
        auto* chart = step1->cumulativeChart();
        const QPoint at(chart->width() / 2, chart->height() / 2);
        QWheelEvent e(at, chart->viewport()->mapToGlobal(at), {}, QPoint(0, i < 5 ? 120 : -120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(chart->viewport(), &e);
        QTimer::singleShot(50, [&, i] { wheel(i + 1); });
    };
    QObject::connect(&window, &srmui::MainWindow::reportShown, [&](const srm::Report& report) {
        if (stage == 0) {  // loaded: drag a window over the middle half of the span
            end();
            stage = 1;
            window.showPage(QStringLiteral("step1"));
            QTimer::singleShot(100, [&] {
                begin("window");
                auto* chart = step1->cumulativeChart();
                auto* v = chart->viewport();
                const int y = v->height() / 2, x0 = v->width() * 3 / 8, x1 = v->width() * 5 / 8;
                mouse(v, QEvent::MouseButtonPress, QPoint(x0, y), Qt::LeftButton);
                for (int x = x0; x <= x1; x += 10) mouse(v, QEvent::MouseMove, QPoint(x, y), Qt::LeftButton);
                mouse(v, QEvent::MouseButtonRelease, QPoint(x1, y), Qt::NoButton);
            });
        } else if (stage == 1 && report.scope.window && report.scope.exact_window) {
            end();
            stage = 2;
            QTimer::singleShot(100, [&] {
                begin("clear");
                window.showAllUnits();
            });
        } else if (stage == 2 && report.scope.all()) {
            end();
            stage = 3;
            window.showPage(QStringLiteral("step4"));
            QTimer::singleShot(100, [&] {
                begin("segments");
                selectRow(0);
            });
        }
    });
    QObject::connect(&window, &srmui::MainWindow::analysisFailed, [&](const QString& m) {
        std::fprintf(stderr, "failed: %s\n", qPrintable(m));
        app.exit(2);
    });
    QTimer::singleShot(200, [&] {
        probe.start();
        begin("load");
        window.openFile(QString::fromLocal8Bit(argv[1]));
    });
    return app.exec();
}
