// Always visible above the pages: the alert banner (any state but healthy
// and a warn-level SRM), the "Is exposure balanced?" badge with the test's
// one-line statistics, and what the view shows (all units, or a window or
// segment, with a button that clears it).
#pragma once

#include "srm/report.hpp"

#include <QWidget>

class QLabel;
class QToolButton;

namespace srmui {

class HealthBadge;

class HealthHeader : public QWidget {
    Q_OBJECT
public:
    explicit HealthHeader(QWidget* parent = nullptr);
    void showReport(const srm::Report& report);
    void showRunning();
    void showError(const QString& message);
    /// After a cancel: the report shown before, whole.
    void showCancelled(const srm::Report* previous);
    HealthBadge* badge() const { return m_badge; }

signals:
    /// The user cleared the window or segment filter.
    void clearScopeRequested();

private:
    QLabel* m_banner;
    QLabel* m_error;
    HealthBadge* m_badge;
    QLabel* m_statistics;
    QLabel* m_scope;
    QToolButton* m_clearScope;
};

}  // namespace srmui
