#include "windowcapture.h"

#include "mainwindow.h"

#include <QApplication>
#include <QPixmap>
#include <QTimer>
#include <cstdio>

namespace srmui {

WindowCapture::WindowCapture(MainWindow* window, QString path, QString page)
    : QObject(window), m_window(window), m_path(std::move(path)), m_page(std::move(page))
{
    // Let layouts and charts settle for one event-loop turn after the result.
    auto later = [this] {
        if (!m_page.isEmpty()) m_window->showPage(m_page);
        QTimer::singleShot(300, this, &WindowCapture::capture);
    };
    connect(window, &MainWindow::reportShown, this, later);
    connect(window, &MainWindow::analysisFailed, this, [this, later] {
        m_failed = true;
        later();
    });
}

void WindowCapture::capture()
{
    if (m_done) return;
    m_done = true;
    const QPixmap pixmap = m_window->grab();
    const bool ok = pixmap.save(m_path, "PNG");
    if (!ok) std::fprintf(stderr, "srm-workbench: cannot write the screenshot to '%s'\n", qPrintable(m_path));
    QApplication::exit(!ok ? 2 : m_failed ? 65 : 0);
}

}  // namespace srmui
