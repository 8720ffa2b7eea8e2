#include "summarypage.h"

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

    auto* verdictBox = new QGroupBox(tr("Verdict"), this);
    auto* verdictLayout = new QVBoxLayout(verdictBox);
    m_type = wrappingLabel(QStringLiteral("verdictType"), verdictBox);
    m_verdict = wrappingLabel(QStringLiteral("verdictText"), verdictBox);
    m_nextSteps = wrappingLabel(QStringLiteral("nextSteps"), verdictBox);
    verdictLayout->addWidget(m_type);
    verdictLayout->addWidget(m_verdict);
    verdictLayout->addWidget(m_nextSteps);
    layout->addWidget(verdictBox);

    m_findings = wrappingLabel(QStringLiteral("findings"), this);
    m_findings->setStyleSheet(QStringLiteral("QLabel { color: #b71c1c; }"));
    layout->addWidget(m_findings);

    m_model = new VariantTableModel(this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("variantTable"));
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    layout->addWidget(m_table);

    auto* chart = new QChart;
    chart->setTitle(tr("Deviation from the planned split, per variant"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_chartView = new QChartView(chart, this);
    m_chartView->setObjectName(QStringLiteral("splitChart"));
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(220);
    m_chartView->setMaximumHeight(300);
    layout->addWidget(m_chartView, 1);
}

void SummaryPage::clear()
{
    m_type->clear();
    m_model->clear();
    m_findings->clear();
    m_verdict->clear();
    m_nextSteps->clear();
    m_chartView->chart()->removeAllSeries();
}

void SummaryPage::showReport(const srm::Report& report)
{
    const auto& r = report.srm;
    m_model->setResult(r);
    static const char* const kTypeText[] = {"none", "allocation (assignment does not follow the plan)",
                                             "tracking (exposures are lost or added in one variant)",
                                             "eligibility (who gets counted depends on the variant)",
                                             "segment-limited (only inside segments)", "unknown"};
    m_type->setText(tr("<b>SRM: %1</b> — most likely type: <b>%2</b>")
                        .arg(report.verdict.srm ? tr("yes") : tr("no"))
                        .arg(QString::fromLatin1(kTypeText[static_cast<int>(report.verdict.type)])));
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
