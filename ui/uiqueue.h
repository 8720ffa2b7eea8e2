// Pieces of UI work run one per turn of the event loop, in order: a large
// report's pages and charts, each laid out on its own, so that the scene
// updates of one piece, the input and the timers run between two pieces and
// no run of them adds up to a long stall. A piece whose context object is
// gone is skipped.
#pragma once

#include <QObject>
#include <functional>

namespace srmui {

void runSoon(QObject* context, std::function<void()> work);

}  // namespace srmui
