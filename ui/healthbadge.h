// "Is exposure balanced?": the always-visible health indicator.
#pragma once

#include "srm/report.hpp"

#include <QFrame>

class QLabel;

namespace srmui {

class HealthBadge : public QFrame {
    Q_OBJECT
    Q_PROPERTY(QString state READ state)

public:
    explicit HealthBadge(QWidget* parent = nullptr);

    /// "none" before any result, else the health state: healthy, warn,
    /// severe, segment_limited, input_problem or check_failed.
    QString state() const { return m_state; }

    void showReport(const srm::Report& report);
    void showPending(const QString& text);
    void clear();

private:
    void paint(const QColor& color, const QString& text);

    QLabel* m_question;
    QLabel* m_answer;
    QString m_state = QStringLiteral("none");
};

}  // namespace srmui
