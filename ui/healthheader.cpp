#include "healthheader.h"

#include "healthbadge.h"
#include "reportformat.h"

#include <QHBoxLayout>
#include <QLabel>
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
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #c62828; color: white; padding: 8px; font-weight: bold; border-radius: 4px; }"));
    m_banner->hide();
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("errorMessage"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("QLabel { background: #fff3e0; color: #6d2c00; padding: 8px; border: 1px solid #e65100; border-radius: 4px; }"));
    m_error->hide();
    m_badge = new HealthBadge(this);
    m_statistics = new QLabel(this);
    m_statistics->setObjectName(QStringLiteral("testStatistics"));
    m_statistics->setWordWrap(true);
    m_statistics->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* row = new QHBoxLayout;
    row->addWidget(m_badge);
    row->addWidget(m_statistics, 1);
    layout->addWidget(m_banner);
    layout->addWidget(m_error);
    layout->addLayout(row);
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
}

void HealthHeader::showReport(const srm::Report& report)
{
    const auto& r = report.srm;
    m_error->hide();
    m_badge->showResult(r);
    if (r.severity == srm::Severity::Severe) {
        m_banner->setText(tr("\u2716 SRM alert: the traffic split does not match the planned allocation (p = %1). "
                             "Do not trust this experiment's results until the cause is found.")
                              .arg(formatP(r)));
        m_banner->show();
    } else {
        m_banner->hide();
    }
    QStringList observed;
    for (const auto& v : r.variants)
        observed << QStringLiteral("%1 %2 (%3 vs %4)")
                        .arg(QString::fromStdString(v.name), formatCount(v.observed), formatShare(v.observed_share), formatShare(v.expected_share));
    m_statistics->setText(tr("%1 units: %2.<br>%3: \u03C7\u00B2 = %4, df = %5, <b>p = %6</b>. Severity: %7 (alert below p = %8, severe below p = %9).%10")
                              .arg(formatCount(r.units), observed.join(tr(", ")), QString::fromStdString(r.method))
                              .arg(r.statistic, 0, 'f', 3)
                              .arg(r.df)
                              .arg(formatP(r), severityText(r.severity))
                              .arg(report.options.thresholds.warn)
                              .arg(report.options.thresholds.severe)
                              .arg(report.input.expected_assumed_equal ? tr(" No allocation was given: an equal split is assumed.") : QString()));
}

}  // namespace srmui
