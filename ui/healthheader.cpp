#include "healthheader.h"

#include "healthbadge.h"
#include "reportformat.h"
#include "srm/text.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace srmui {

HealthHeader::HealthHeader(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("healthHeader"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 0);
    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("srmAlertBanner"));
    m_banner->setWordWrap(true);
    m_banner->hide();
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("errorMessage"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("QLabel { background: #fff3e0; color: #6d2c00; padding: 8px; border: 1px solid #e65100; border-radius: 4px; }"));
    m_error->hide();
    m_badge = new HealthBadge(this);
    m_statistics = makeTextLabel(QStringLiteral("testStatistics"), this);
    auto* row = new QHBoxLayout;
    row->addWidget(m_badge);
    row->addWidget(m_statistics, 1);
    m_scope = new QLabel(this);
    m_scope->setObjectName(QStringLiteral("viewScope"));
    m_scope->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_clearScope = new QToolButton(this);
    m_clearScope->setObjectName(QStringLiteral("clearScopeButton"));
    m_clearScope->setText(tr("\u2715 Show all units"));
    m_clearScope->setToolTip(tr("Clear the window and segment filter (Esc)"));
    auto* scopeRow = new QHBoxLayout;
    scopeRow->addWidget(m_scope, 1);
    scopeRow->addWidget(m_clearScope);
    layout->addWidget(m_banner);
    layout->addWidget(m_error);
    layout->addLayout(row);
    layout->addLayout(scopeRow);
    // The row keeps its height while nothing is filtered: the window below
    // does not jump (nor relayout its charts) when a filter comes or goes.
    for (QWidget* w : {static_cast<QWidget*>(m_scope), static_cast<QWidget*>(m_clearScope)}) {
        QSizePolicy policy = w->sizePolicy();
        policy.setRetainSizeWhenHidden(true);
        w->setSizePolicy(policy);
    }
    m_scope->hide();
    m_clearScope->hide();
    connect(m_clearScope, &QToolButton::clicked, this, &HealthHeader::clearScopeRequested);
}

void HealthHeader::showRunning()
{
    m_error->hide();
    m_badge->showPending(tr("Analysing…"));
}

void HealthHeader::showError(const QString& message)
{
    m_banner->hide();
    m_error->setText(tr("The data could not be analysed: %1").arg(message));
    m_error->show();
    m_badge->clear();
    m_statistics->clear();
    m_scope->hide();
    m_clearScope->hide();
}

void HealthHeader::showCancelled(const srm::Report* previous)
{
    if (previous) showReport(*previous);
    else showError(tr("the analysis was cancelled"));
}

void HealthHeader::showReport(const srm::Report& report)
{
    const auto& r = report.srm;
    const srm::HealthState state = report.health.state;
    m_error->hide();
    m_badge->showReport(report);
    const bool alert = state != srm::HealthState::Healthy && state != srm::HealthState::Warn;
    if (alert) {
        m_banner->setText(QStringLiteral("%1 %2").arg(healthGlyph(state), QString::fromStdString(report.health.headline).toHtmlEscaped()) +
                          (state == srm::HealthState::Severe ? tr(" Do not trust this experiment's results until the cause is found.") : QString()));
        // A style sheet set re-polishes the window (tens of ms): only when the colour changes.
        const QString sheet = QStringLiteral("QLabel { background: %1; color: white; padding: 8px; font-weight: bold; border-radius: 4px; }")
                                  .arg(healthColor(state).name());
        if (m_banner->styleSheet() != sheet) m_banner->setStyleSheet(sheet);
    }
    m_banner->setVisible(alert);
    QStringList observed;
    for (const auto& v : r.variants)
        observed << QStringLiteral("%1 %2 (%3 vs %4)")
                        .arg(QString::fromStdString(v.name).toHtmlEscaped(), formatCount(v.observed), formatShare(v.observed_share),
                             formatShare(v.expected_share));
    m_statistics->setText(tr("%1 units: %2.<br>%3: \u03C7\u00B2 = %4, df = %5, <b>p = %6</b>. Alert below p = %7, severe below p = %8.%9")
                              .arg(formatCount(r.units), observed.join(tr(", ")), QString::fromStdString(r.method).toHtmlEscaped())
                              .arg(formatNumber(r.statistic, 3))
                              .arg(r.df)
                              .arg(formatP(r))
                              .arg(localizeNumber(srm::format_general(report.options.thresholds.warn, 6)))
                              .arg(localizeNumber(srm::format_general(report.options.thresholds.severe, 6)))
                              .arg(report.input.expected_assumed_equal ? tr(" No allocation was given: an equal split is assumed.") : QString()));
    const bool filtered = !report.scope.all();
    m_scope->setText(tr("Showing: <b>%1</b>").arg(QString::fromStdString(srm::describe_scope(report.scope, r.units)).toHtmlEscaped()));
    m_scope->setVisible(filtered);
    m_clearScope->setVisible(filtered);
}

}  // namespace srmui
