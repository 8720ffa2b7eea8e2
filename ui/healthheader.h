// Always visible above the pages: the SRM alert banner (when severe), the
// "Is exposure balanced?" badge and the test's one-line statistics.
#pragma once

#include "srm/report.hpp"

#include <QWidget>

class QLabel;

namespace srmui {

class HealthBadge;

class HealthHeader : public QWidget {
    Q_OBJECT
public:
    explicit HealthHeader(QWidget* parent = nullptr);
    void showReport(const srm::Report& report);
    void showRunning();
    void showError(const QString& message);
    HealthBadge* badge() const { return m_badge; }

private:
    QLabel* m_banner;
    QLabel* m_error;
    HealthBadge* m_badge;
    QLabel* m_statistics;
};

}  // namespace srmui
