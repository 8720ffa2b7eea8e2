#include "windowcapture.h"

#include "mainwindow.h"

#include <QApplication>
#include <QPixmap>
#include <QTimer>
#include <cstdio>

namespace srmui {

WindowCapture::WindowCapture(MainWindow* window, QString path)
    : QObject(window), m_window(window), m_path(std::move(path))
{
    // Let layouts and charts settle for one event-loop turn after the result.
    auto later = [this] { QTimer::singleShot(200, this, &WindowCapture::capture); };
    connect(window, &MainWindow::reportShown, this, later);
    connect(window, &MainWindow::analysisFailed, this, later);
}

void WindowCapture::capture()
{
    if (m_done) return;
    m_done = true;
    const QPixmap pixmap = m_window->grab();
    const bool ok = pixmap.save(m_path, "PNG");
    if (!ok) std::fprintf(stderr, "srm-workbench: cannot write the screenshot to '%s'\n", qPrintable(m_path));
    QApplication::exit(ok ? 0 : 2);
}

}  // namespace srmui
