#include "summarypage.h"

#include "pageparts.h"

#include "reportformat.h"
#include "uiqueue.h"
#include "variantmodel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QTimer>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>
#include <cmath>

namespace srmui {

SummaryPage::SummaryPage(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("summaryPage"));
    auto* layout = new QVBoxLayout(this);

    m_health = makeTextLabel(QStringLiteral("healthHeadline"), this);
    layout->addWidget(m_health);

    auto* verdictBox = new QGroupBox(tr("Verdict"), this);
    auto* verdictLayout = new QVBoxLayout(verdictBox);
    m_type = makeTextLabel(QStringLiteral("verdictType"), verdictBox);
    m_verdict = makeTextLabel(QStringLiteral("verdictText"), verdictBox);
    m_nextSteps = makeTextLabel(QStringLiteral("nextSteps"), verdictBox);
    verdictLayout->addWidget(m_type);
    verdictLayout->addWidget(m_verdict);
    verdictLayout->addWidget(m_nextSteps);
    layout->addWidget(verdictBox);

    m_findings = makeTextLabel(QStringLiteral("findings"), this);
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

    auto* inputBox = new QGroupBox(tr("What was read"), this);
    auto* inputLayout = new QVBoxLayout(inputBox);
    m_input = makeTextLabel(QStringLiteral("inputSummary"), inputBox);
    inputLayout->addWidget(m_input);

    auto* chart = new QChart;
    chart->setTitle(tr("Deviation from the planned split, per variant"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_chartView = new QChartView(chart, this);
    m_chartView->setObjectName(QStringLiteral("splitChart"));
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(220);
    m_chartView->setMaximumHeight(300);
    layout->addWidget(m_chartView, 1);
    layout->addWidget(inputBox);
}

void SummaryPage::clear()
{
    m_health->clear();
    m_type->clear();
    m_input->clear();
    m_model->clear();
    m_findings->clear();
    m_verdict->clear();
    m_nextSteps->clear();
    m_chartView->chart()->removeAllSeries();
    m_pendingChart.reset();
}

void SummaryPage::showReport(const srm::Report& report)
{
    const auto& r = report.srm;
    m_model->setResult(r);
    // The health state first: the one answer every view shows, with why.
    QString health = QStringLiteral("<h3 style='color:%1'>%2 %3</h3>")
                         .arg(healthColor(report.health.state).name(), healthGlyph(report.health.state),
                              QString::fromStdString(report.health.headline).toHtmlEscaped());
    if (!report.health.reasons.empty()) {
        health += QStringLiteral("<ul>");
        for (const auto& reason : report.health.reasons) health += QStringLiteral("<li>%1</li>").arg(QString::fromStdString(reason).toHtmlEscaped());
        health += QStringLiteral("</ul>");
    }
    health += tr("<p><b>Showing:</b> %1</p>").arg(QString::fromStdString(srm::describe_scope(report.scope, r.units)).toHtmlEscaped());
    m_health->setText(health);
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
    // The chart is laid out when the page is in sight: on the event loop's
    // next turn (the page's text first), or when it is shown.
    m_pendingChart = r;
    if (isVisible()) runSoon(this, [this] { showEvent(nullptr); });

    // The input as read: what was assumed about the file, and every problem row.
    const auto& in = report.input;
    QString text;
    if (in.file.empty()) {
        text = tr("Counts given directly: %1 variants.").arg(r.variants.size());
    } else {
        text = tr("<b>%1</b><br>%2 data, delimiter '%3', %4, %5, %6 line ends. %7 rows read, <b>%8 rejected</b>%9.<br>")
                   .arg(QString::fromStdString(in.file).toHtmlEscaped(), QString::fromLatin1(srm::to_string(in.shape)),
                        QString::fromStdString(in.delimiter.value_or(",")).toHtmlEscaped(),
                        in.header ? tr("header row") : tr("no header row"), QString::fromStdString(in.encoding),
                        QString::fromStdString(in.line_end), formatCount(in.rows_read), formatCount(in.rows_rejected),
                        in.rows_other_events ? tr(", %1 of other event types").arg(formatCount(in.rows_other_events)) : QString());
        // The first 40 columns' roles (a file of 20,000 columns is not one label of 20,000 lines).
        constexpr std::size_t kRolesShown = 40;
        QStringList roles;
        for (std::size_t i = 0; i < in.column_roles.size() && i < kRolesShown; ++i) {
            const auto& c = in.column_roles[i];
            roles << QStringLiteral("%1 = <i>%2</i> (%3)")
                         .arg(QString::fromStdString(c.name).toHtmlEscaped(), QString::fromLatin1(srm::to_string(c.role)),
                              QString::fromStdString(c.reason).toHtmlEscaped());
        }
        text += tr("Columns: ") + roles.join(QStringLiteral("; "));
        if (in.column_roles.size() > kRolesShown)
            text += tr("; … and %1 more (every one in the JSON report).").arg(formatCount(in.column_roles.size() - kRolesShown));
        for (const auto& [name, distinct] : in.excluded_dimensions)
            text += tr("<br>Dimension '%1' left out of the breakdown: more than %2 distinct values.")
                        .arg(QString::fromStdString(name).toHtmlEscaped())
                        .arg(srm::dimension_value_limit(distinct));
        if (!in.errors.empty()) {
            text += tr("<br><b>Rejected rows</b> (the rest of the file still counts):<br>");
            const std::size_t shown = std::min<std::size_t>(in.errors.size(), 20);
            for (std::size_t i = 0; i < shown; ++i)
                text += tr("line %1: %2<br>").arg(in.errors[i].line).arg(QString::fromStdString(in.errors[i].message).toHtmlEscaped());
            if (in.rows_rejected > shown) text += tr("… and %1 more (every one in the JSON report).").arg(in.rows_rejected - shown);
        }
    }
    if (in.expected_assumed_equal) text += tr("<br>No allocation was given: an equal split is assumed.");
    m_input->setText(text);
}

void SummaryPage::showEvent(QShowEvent* event)
{
    if (m_pendingChart) {
        updateChart(*m_pendingChart);
        m_pendingChart.reset();
    }
    if (event) QWidget::showEvent(event);
}

void SummaryPage::updateChart(const srm::SrmResult& result)
{
    QChart* chart = m_chartView->chart();
    clearChart(chart);
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
    addDeviationBars(chart, series, names, top);
    applyChartStyle(chart, palette());
}

}  // namespace srmui
