// "Is exposure balanced?": the always-visible health indicator.
#pragma once

#include "srm/stats.hpp"

#include <QFrame>

class QLabel;

namespace srmui {

class HealthBadge : public QFrame {
    Q_OBJECT
    Q_PROPERTY(QString state READ state)

public:
    explicit HealthBadge(QWidget* parent = nullptr);

    /// "none" before any result, else "ok", "warn" or "severe".
    QString state() const { return m_state; }

    void showResult(const srm::SrmResult& result);
    void showPending(const QString& text);
    void clear();

private:
    void paint(const QColor& color, const QString& text);

    QLabel* m_question;
    QLabel* m_answer;
    QString m_state = QStringLiteral("none");
};

}  // namespace srmui
