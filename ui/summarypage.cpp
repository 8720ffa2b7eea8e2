#include "summarypage.h"

#include "healthbadge.h"
#include "reportformat.h"
#include "variantmodel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>
#include <cmath>

namespace srmui {

namespace {
QLabel* wrappingLabel(const QString& objectName, QWidget* parent)
{
    auto* l = new QLabel(parent);
    l->setObjectName(objectName);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}
}  // namespace

SummaryPage::SummaryPage(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("summaryPage"));
    auto* layout = new QVBoxLayout(this);

    m_banner = wrappingLabel(QStringLiteral("srmAlertBanner"), this);
    m_banner->setStyleSheet(QStringLiteral("QLabel { background: #c62828; color: white; padding: 8px; font-weight: bold; border-radius: 4px; }"));
    m_banner->hide();
    layout->addWidget(m_banner);

    m_error = wrappingLabel(QStringLiteral("errorMessage"), this);
    m_error->setStyleSheet(QStringLiteral("QLabel { background: #fff3e0; color: #6d2c00; padding: 8px; border: 1px solid #e65100; border-radius: 4px; }"));
    m_error->hide();
    layout->addWidget(m_error);

    m_badge = new HealthBadge(this);
    auto* badgeRow = new QHBoxLayout;
    badgeRow->addWidget(m_badge);
    badgeRow->addStretch(1);
    layout->addLayout(badgeRow);

    m_model = new VariantTableModel(this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("variantTable"));
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    layout->addWidget(m_table);

    m_statistics = wrappingLabel(QStringLiteral("testStatistics"), this);
    layout->addWidget(m_statistics);
    m_findings = wrappingLabel(QStringLiteral("findings"), this);
    m_findings->setStyleSheet(QStringLiteral("QLabel { color: #b71c1c; }"));
    layout->addWidget(m_findings);

    auto* chart = new QChart;
    chart->setTitle(tr("Deviation from the planned split, per variant"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_chartView = new QChartView(chart, this);
    m_chartView->setObjectName(QStringLiteral("splitChart"));
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(220);
    m_chartView->setMaximumHeight(320);
    layout->addWidget(m_chartView, 1);

    auto* verdictBox = new QGroupBox(tr("Verdict"), this);
    auto* verdictLayout = new QVBoxLayout(verdictBox);
    m_verdict = wrappingLabel(QStringLiteral("verdictText"), verdictBox);
    m_nextSteps = wrappingLabel(QStringLiteral("nextSteps"), verdictBox);
    verdictLayout->addWidget(m_verdict);
    verdictLayout->addWidget(m_nextSteps);
    layout->addWidget(verdictBox);
}

void SummaryPage::showRunning()
{
    m_error->hide();
    m_badge->showPending(tr("Analysing…"));
}

void SummaryPage::showError(const QString& message)
{
    m_banner->hide();
    m_error->setText(tr("The data could not be analysed: %1").arg(message));
    m_error->show();
    m_badge->clear();
    m_model->clear();
    m_statistics->clear();
    m_findings->clear();
    m_verdict->clear();
    m_nextSteps->clear();
    m_chartView->chart()->removeAllSeries();
}

void SummaryPage::showReport(const srm::Report& report)
{
    const auto& r = report.srm;
    m_error->hide();
    m_badge->showResult(r);
    m_model->setResult(r);
    if (r.severity == srm::Severity::Severe) {
        m_banner->setText(tr("\u2716 SRM alert: the traffic split does not match the planned allocation (p = %1). "
                             "Do not trust this experiment's results until the cause is found.").arg(formatP(r)));
        m_banner->show();
    } else {
        m_banner->hide();
    }
    m_statistics->setText(tr("%1: \u03C7\u00B2 = %2, df = %3, p = %4 (log\u2081\u2080 p = %5). Severity: %6 "
                             "(alert below p = %7, severe below p = %8). %9 units.")
                              .arg(QString::fromStdString(r.method))
                              .arg(r.statistic, 0, 'f', 3)
                              .arg(r.df)
                              .arg(formatP(r))
                              .arg(r.log10_p_value, 0, 'f', 3)
                              .arg(severityText(r.severity))
                              .arg(report.options.thresholds.warn)
                              .arg(report.options.thresholds.severe)
                              .arg(formatCount(r.units)) +
                          (report.input.expected_assumed_equal ? tr(" No allocation was given: an equal split is assumed.")
                                                               : QString()));
    QStringList findings;
    for (const auto& f : r.findings) findings << QStringLiteral("\u26A0 ") + QString::fromStdString(f);
    m_findings->setText(findings.join('\n'));
    m_findings->setVisible(!findings.isEmpty());
    m_verdict->setText(QString::fromStdString(report.verdict.summary));
    QString steps = QStringLiteral("<b>%1</b><ol>").arg(tr("Next steps"));
    for (const auto& s : report.verdict.next_steps) steps += QStringLiteral("<li>%1</li>").arg(QString::fromStdString(s).toHtmlEscaped());
    m_nextSteps->setText(steps + QStringLiteral("</ol>"));
    updateChart(r);
}

void SummaryPage::updateChart(const srm::SrmResult& result)
{
    QChart* chart = m_chartView->chart();
    chart->removeAllSeries();
    for (auto* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    // The deviation from the planned share shows the imbalance at any scale,
    // where raw unit bars of 50.19 % vs 50 % would look identical.
    auto* deviation = new QBarSet(tr("Observed minus expected share (percentage points)"));
    deviation->setColor(severityColor(result.severity));
    QStringList names;
    double top = 0;
    for (const auto& v : result.variants) {
        *deviation << v.deviation_pp;
        names << QStringLiteral("%1\n%2 vs %3").arg(QString::fromStdString(v.name), formatShare(v.observed_share),
                                                    formatShare(v.expected_share));
        top = std::max(top, std::fabs(v.deviation_pp));
    }
    auto* series = new QBarSeries;
    series->append(deviation);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(names);
    auto* y = new QValueAxis;
    const double span = top > 0 ? top * 1.25 : 1.0;
    y->setRange(-span, span);
    y->setLabelFormat(span < 0.1 ? QStringLiteral("%+.4f") : span < 10 ? QStringLiteral("%+.2f") : QStringLiteral("%+.0f"));
    y->setTitleText(tr("pp"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
}

}  // namespace srmui
