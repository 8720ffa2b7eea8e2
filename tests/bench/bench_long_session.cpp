// A long workbench session: one window opens N simulated exports one after
// another (each a different experiment, about 40,000 users), then cancels
// loads at random moments M times, then opens the first file again. It
// prints the resident memory (VmRSS) after the fifth file (the baseline: the
// first ones fill Qt's caches), after every tenth,
// after the cancels and at the end, and the ratio of the last to the first
// (the target: back within 10 % of the baseline). Exits 1 when the ratio is
// over 1.10 or the final report is not the first file's (a stale page).
//
//   QT_QPA_PLATFORM=offscreen bench_long_session [N=50] [M=100]
//
// No nested event loop: each step starts the next from the window's signals.
#include "dialogservice.h"
#include "mainwindow.h"
#include "preferencesdialog.h"
#include "session.h"

#include "srm/simulate.hpp"

#include <QApplication>
#include <QFile>
#include <QMenu>
#include <QRandomGenerator>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <malloc.h>
#include <fstream>
#include <functional>
#include <sstream>

namespace {

// Resident memory after handing freed heap pages back (malloc_trim): what the
// process holds, not what the allocator keeps cached.
long rss_kib()
{
    ::malloc_trim(0);
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').front().toLong();
    return -1;
}

class NoDialogs : public srmui::DialogService {
public:
    QString openFile(QWidget*, const QString&, const QString&) override { return {}; }
    QString saveFile(QWidget*, const QString&, const QString&, const QString&) override { return {}; }
    Choice unsavedChanges(QWidget*) override { return Choice::Discard; }
    void error(QWidget*, const QString&, const QString& text) override { std::fprintf(stderr, "error: %s\n", qPrintable(text)); }
    QString locateFile(QWidget*, const QString&) override { return {}; }
    std::optional<srmui::Session> importFile(QWidget*, const QString&) override { return std::nullopt; }
    std::optional<srmui::Session> openDatabase(QWidget*) override { return std::nullopt; }
    std::optional<srmui::AnalysisPreferences> preferences(QWidget*, const srmui::AnalysisPreferences&) override { return std::nullopt; }
    void printPreview(QWidget*, const std::function<void(QPrinter*)>&) override {}
    void popupMenu(QMenu* menu, const QPoint&) override { menu->deleteLater(); }
};

}  // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const int files = argc > 1 ? std::max(2, std::atoi(argv[1])) : 50;
    const int cancels = argc > 2 ? std::max(0, std::atoi(argv[2])) : 100;
    QTemporaryDir dir;
    QStringList paths;
    const srm::Scenario scenarios[] = {srm::Scenario::Healthy, srm::Scenario::DeploymentDrop, srm::Scenario::SegmentSkew,
                                       srm::Scenario::GradualAttrition, srm::Scenario::VariantJumping};
    for (int i = 0; i < files; ++i) {
        srm::SimulationSpec spec;
        spec.scenario = scenarios[i % 5];
        spec.users = 40000;
        spec.seed = static_cast<std::uint64_t>(100 + i);
        std::ostringstream csv;
        srm::simulate(spec, csv);
        paths << dir.filePath(QStringLiteral("f%1.csv").arg(i));
        std::ofstream(paths.back().toStdString()) << csv.str();
    }
    QSettings settings(dir.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
    NoDialogs dialogs;
    srmui::MainWindow window(&settings, &dialogs);
    window.show();
    long baseline = 0;
    constexpr int kWarmUp = 5;
    int opened = 0, cancelled = 0, status = 0;
    std::uint64_t first_units = 0;
    std::function<void()> next;
    auto* rng = QRandomGenerator::global();
    enum { Opening, Cancelling, Final } phase = Opening;
    QObject::connect(&window, &srmui::MainWindow::reportShown, &app, [&](const srm::Report& r) {
        if (phase == Opening) {
            if (opened == 1) first_units = r.srm.units;
            if (opened == kWarmUp) {  // the baseline: after the first files have filled Qt's and the fonts' caches
                baseline = rss_kib();
                std::printf("after file %d (the baseline): %ld KiB\n", kWarmUp, baseline);
            } else if (opened % 10 == 0) {
                std::printf("after file %d: %ld KiB\n", opened, rss_kib());
            }
        } else if (phase == Final) {
            const long end = rss_kib();
            const double ratio = static_cast<double>(end) / static_cast<double>(baseline);
            const bool fresh = r.srm.units == first_units && r.input.file == paths.front().toStdString();
            std::printf("after %d cancels and the first file again: %ld KiB; ratio to the baseline %.3f (target <= 1.10); page %s\n", cancelled, end,
                        ratio, fresh ? "shows the first file" : "STALE");
            status = ratio <= 1.10 && fresh ? 0 : 1;
            QTimer::singleShot(0, &app, &QApplication::quit);
            return;
        }
        if (phase == Opening) QTimer::singleShot(0, &app, next);  // while cancelling, the timers drive the steps
    });
    next = [&] {
        if (phase == Opening && opened < files) {
            window.openFile(paths[opened++]);
            return;
        }
        if (phase == Opening) {
            phase = Cancelling;
            std::printf("opened %d files\n", opened);
        }
        if (phase == Cancelling && cancelled < cancels) {
            window.openFile(paths[rng->bounded(files)]);
            const int after = rng->bounded(60);
            QTimer::singleShot(after, &app, [&] {
                if (auto* cancel = window.findChild<QWidget*>(QStringLiteral("cancelButton")); cancel && cancel->isVisible())
                    QMetaObject::invokeMethod(cancel, "click");
                ++cancelled;
                QTimer::singleShot(80, &app, next);  // the load either finished or was cancelled by now
            });
            return;
        }
        std::printf("after %d cancels: %ld KiB\n", cancelled, rss_kib());
        phase = Final;
        window.openFile(paths.front());
    };
    QTimer::singleShot(0, &app, next);
    app.exec();
    return status;
}
