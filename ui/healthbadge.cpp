#include "healthbadge.h"

#include "reportformat.h"

#include <QHBoxLayout>
#include <QLabel>

namespace srmui {

HealthBadge::HealthBadge(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("healthBadge"));
    setFrameShape(QFrame::StyledPanel);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    m_question = new QLabel(tr("Is exposure balanced?"), this);
    QFont f = m_question->font();
    f.setBold(true);
    m_question->setFont(f);
    m_answer = new QLabel(this);
    m_answer->setObjectName(QStringLiteral("healthAnswer"));
    m_answer->setAlignment(Qt::AlignCenter);
    m_answer->setMinimumWidth(150);
    layout->addWidget(m_question);
    layout->addWidget(m_answer);
    clear();
}

void HealthBadge::paint(const QColor& color, const QString& text)
{
    m_answer->setText(text);
    // A style sheet set re-polishes the label: only when the colour changes.
    const QString sheet = QStringLiteral("QLabel { background: %1; color: %2; border-radius: 9px; padding: 3px 12px; font-weight: bold; }")
                              .arg(color.name(), color.lightness() > 150 ? QStringLiteral("black") : QStringLiteral("white"));
    if (m_answer->styleSheet() != sheet) m_answer->setStyleSheet(sheet);
}

void HealthBadge::showReport(const srm::Report& report)
{
    const srm::HealthState s = report.health.state;
    m_state = QString::fromLatin1(srm::to_string(s));
    // Text and a glyph as well as colour, for colour-blind users.
    const QString answer = s == srm::HealthState::Healthy ? tr("Yes") : s == srm::HealthState::InputProblem ? tr("Cannot tell") : tr("No");
    paint(healthColor(s), QStringLiteral("%1 %2 — %3").arg(healthGlyph(s), answer, healthText(s)));
    setToolTip(healthTooltip(report));
}

void HealthBadge::showPending(const QString& text)
{
    m_state = QStringLiteral("none");
    paint(QColor(0x90, 0x90, 0x90), text);
    setToolTip({});
}

void HealthBadge::clear() { showPending(tr("No data")); }

}  // namespace srmui
