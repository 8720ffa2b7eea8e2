#include "uiqueue.h"

#include <QCoreApplication>
#include <QList>
#include <QPointer>
#include <QTimer>
#include <utility>

namespace srmui {

namespace {

struct Piece {
    QPointer<QObject> context;
    std::function<void()> work;
};

QList<Piece>& pieces()
{
    static QList<Piece> queue;
    return queue;
}

void runNext();

// A timer, not a queued call: the posted events the last piece caused, and
// the timers due (input among them), come first.
void schedule() { QTimer::singleShot(1, Qt::PreciseTimer, QCoreApplication::instance(), &runNext); }

void runNext()
{
    auto& queue = pieces();
    while (!queue.isEmpty()) {
        Piece next = queue.takeFirst();
        if (!next.context) continue;
        next.work();
        break;
    }
    if (!queue.isEmpty()) schedule();
}

}  // namespace

void runSoon(QObject* context, std::function<void()> work)
{
    auto& queue = pieces();
    queue.push_back({context, std::move(work)});
    if (queue.size() == 1) schedule();
}

}  // namespace srmui
