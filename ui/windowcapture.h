// Renders a window to a PNG once its analysis has been shown (srm-workbench
// --screenshot), then quits the application.
#pragma once

#include <QObject>
#include <QString>

namespace srmui {

class MainWindow;

class WindowCapture : public QObject {
    Q_OBJECT

public:
    /// Arms the capture: after the window's next report (or failure) it saves
    /// the window to `path` and quits with exit code 0 (65 when the analysis
    /// failed, 2 when the picture could not be saved).
    WindowCapture(MainWindow* window, QString path, QString page = {});

private:
    void capture();

    MainWindow* m_window;
    QString m_path;
    QString m_page;
    bool m_done = false;
    bool m_failed = false;
};

}  // namespace srmui
