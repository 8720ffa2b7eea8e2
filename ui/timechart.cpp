#include "timechart.h"

#include "pageparts.h"

#include "reportformat.h"

#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPen>
#include <QRubberBand>
#include <QToolTip>
#include <QValueAxis>
#include <cmath>

namespace srmui {

namespace {
const QColor kVariantColors[] = {QColor(0x15, 0x65, 0xc0), QColor(0xef, 0x6c, 0x00), QColor(0x2e, 0x7d, 0x32),
                                 QColor(0x6a, 0x1b, 0x9a), QColor(0x00, 0x83, 0x8f), QColor(0x8d, 0x6e, 0x63)};

QColor variantColor(std::size_t i) { return kVariantColors[i % std::size(kVariantColors)]; }

void hideFromLegend(QChart* chart, QAbstractSeries* series)
{
    for (auto* m : chart->legend()->markers(series)) m->setVisible(false);
}
}  // namespace

TimeChartView::TimeChartView(QWidget* parent) : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    chart()->legend()->setAlignment(Qt::AlignBottom);
    setMinimumHeight(300);
    setMouseTracking(true);
}

void TimeChartView::clear()
{
    clearChart(chart());
}

void TimeChartView::showReport(const srm::Report& report, bool cumulative)
{
    m_cumulative = cumulative;
    clear();
    const auto& tl = report.timeline;
    if (tl.points.empty()) {
        chart()->setTitle(tr("No time column: the time pattern needs one"));
        return;
    }
    const qint64 t0 = tl.points.front().time - srm::seconds_of(tl.resolution);
    const qint64 t1 = tl.points.back().time;
    auto* x = new QDateTimeAxis;
    x->setFormat(tl.resolution == srm::TimeResolution::Day ? QStringLiteral("MMM d") : QStringLiteral("MMM d HH:mm"));
    x->setTitleText(tr("first exposure (UTC)"));
    x->setRange(QDateTime::fromSecsSinceEpoch(t0, Qt::UTC), QDateTime::fromSecsSinceEpoch(t1, Qt::UTC));
    x->setTickCount(8);
    chart()->addAxis(x, Qt::AlignBottom);
    double y_low = 0, y_high = 1;
    QAbstractAxis* y = cumulative ? addCumulativeSeries(tl, t0, y_high) : addPValueSeries(report, t0, t1, y_low, y_high);
    chart()->addAxis(y, Qt::AlignLeft);
    for (auto* s : chart()->series()) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
    addMarkers(report, y_low, y_high, t0, t1);
}

QAbstractAxis* TimeChartView::addCumulativeSeries(const srm::Timeline& tl, qint64 t0, double& y_high)
{
    chart()->setTitle(tr("Cumulative units per variant (solid) and the planned split (dashed)"));
    double top = 0;
    for (std::size_t v = 0; v < tl.variants.size(); ++v) {
        auto* observed = new QLineSeries;
        observed->setName(QString::fromStdString(tl.variants[v]));
        observed->setPen(QPen(variantColor(v), 2));
        auto* expected = new QLineSeries;
        expected->setName(tr("%1 expected").arg(QString::fromStdString(tl.variants[v])));
        expected->setPen(QPen(variantColor(v), 1.5, Qt::DashLine));
        observed->append(static_cast<double>(t0) * 1000.0, 0);
        expected->append(static_cast<double>(t0) * 1000.0, 0);
        for (const auto& p : tl.points) {
            observed->append(static_cast<double>(p.time) * 1000.0, static_cast<double>(p.cumulative[v]));
            expected->append(static_cast<double>(p.time) * 1000.0, p.expected_cumulative[v]);
            top = std::max(top, static_cast<double>(p.cumulative[v]));
        }
        chart()->addSeries(observed);
        chart()->addSeries(expected);
    }
    auto* axis = new QValueAxis;
    axis->setTitleText(tr("units"));
    axis->setLabelFormat(QStringLiteral("%.0f"));
    axis->setRange(0, top * 1.05 + 1);
    y_high = top * 1.05 + 1;
    return axis;
}

QAbstractAxis* TimeChartView::addPValueSeries(const srm::Report& report, qint64 t0, qint64 t1, double& y_low, double& y_high)
{
    const auto& tl = report.timeline;
    chart()->setTitle(tr("SRM p-value over time (log\u2081\u2080): fixed-horizon and anytime-valid sequential"));
    auto* fixed = new QLineSeries;
    fixed->setName(tr("chi-square p"));
    fixed->setPen(QPen(QColor(0x37, 0x47, 0x4f), 2));
    auto* sequential = new QLineSeries;
    sequential->setName(tr("sequential p"));
    sequential->setPen(QPen(QColor(0x6a, 0x1b, 0x9a), 2));
    double lowest = 0;
    for (const auto& p : tl.points) {
        const double a = std::max(p.log10_p_value, -300.0), b = std::max(p.sequential_log10_p, -300.0);
        fixed->append(static_cast<double>(p.time) * 1000.0, a);
        sequential->append(static_cast<double>(p.time) * 1000.0, b);
        lowest = std::min({lowest, a, b});
    }
    chart()->addSeries(fixed);
    chart()->addSeries(sequential);
    const double bottom = std::min(-4.0, std::floor(lowest) - 1.0);
    for (const auto& [level, color, label] : {std::tuple{report.options.thresholds.warn, severityColor(srm::Severity::Warn), tr("alert level")},
                                              std::tuple{report.options.thresholds.severe, severityColor(srm::Severity::Severe), tr("severe level")}}) {
        auto* line = new QLineSeries;
        line->setName(QStringLiteral("p = %1").arg(level)); (void)label;
        line->setPen(QPen(color, 1.5, Qt::DashLine));
        line->append(static_cast<double>(t0) * 1000.0, std::log10(level));
        line->append(static_cast<double>(t1) * 1000.0, std::log10(level));
        chart()->addSeries(line);
    }
    // log10 p on a linear axis: readable labels (-2 is p = 0.01) at any depth.
    auto* axis = new QValueAxis;
    axis->setLabelFormat(QStringLiteral("%.0f"));
    axis->setTitleText(tr("log\u2081\u2080 p"));
    axis->setRange(bottom, 0.0);
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0.0);
    axis->setTickInterval(std::max(1.0, std::ceil(-bottom / 6.0)));
    y_low = bottom;
    y_high = 0.0;
    return axis;
}

void TimeChartView::addMarkers(const srm::Report& report, double y_low, double y_high, qint64 t0, qint64 t1)
{
    auto* x = chart()->axes(Qt::Horizontal).value(0);
    auto* y = chart()->axes(Qt::Vertical).value(0);
    auto vertical = [&](qint64 t, const QPen& pen, const QString& name, const QString& tip, bool legend) {
        if (t < t0 || t > t1) return;
        auto* line = new QLineSeries;
        line->setName(name);
        line->setPen(pen);
        line->append(static_cast<double>(t) * 1000.0, y_low);
        line->append(static_cast<double>(t) * 1000.0, y_high);
        line->setProperty("tip", tip);
        line->setProperty("marker", true);
        chart()->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
        if (!legend) hideFromLegend(chart(), line);
    };
    bool first = true;
    for (const auto& c : report.changes) {
        if (c.change.time < t0 || c.change.time > t1) continue;
        const QString tip = QStringLiteral("%1 %2: %3").arg(formatTime(c.change.time), QString::fromStdString(c.change.kind),
                                                            QString::fromStdString(c.change.description));
        vertical(c.change.time, QPen(c.near_change_point ? QColor(0xb7, 0x1c, 0x1c) : QColor(0x75, 0x75, 0x75), 1.5, Qt::DotLine),
                 tr("change log entry"), tip, first);
        first = false;
    }
    if (report.time_pattern.change_point && report.time_pattern.kind == srm::PatternKind::AtPoint)
        vertical(*report.time_pattern.change_point, QPen(severityColor(srm::Severity::Severe), 3), tr("change point"),
                 tr("Detected change point: %1").arg(formatTime(*report.time_pattern.change_point)), true);
}

qint64 TimeChartView::timeAt(int x) const
{
    const auto series = chart()->series();
    if (series.isEmpty()) return 0;
    const QPointF value = chart()->mapToValue(chart()->mapFromScene(mapToScene(QPoint(x, 0))), series.front());
    return static_cast<qint64>(value.x() / 1000.0);
}

void TimeChartView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && !chart()->series().isEmpty()) {
        m_origin = event->pos();
        m_dragging = true;
        if (!m_band) m_band = new QRubberBand(QRubberBand::Rectangle, this);
        m_band->setGeometry(QRect(m_origin, QSize()));
        m_band->show();
    }
    QChartView::mousePressEvent(event);
}

QString TimeChartView::markerTipAt(const QPoint& pos, int tolerance) const
{
    QString tip;
    int best = tolerance + 1;
    for (auto* s : chart()->series()) {
        auto* line = qobject_cast<QLineSeries*>(s);
        if (!line || !line->property("marker").toBool() || line->count() == 0) continue;
        const QPoint at = mapFromScene(chart()->mapToPosition(line->at(0), line));
        if (std::abs(at.x() - pos.x()) < best) {
            best = std::abs(at.x() - pos.x());
            tip = line->property("tip").toString();
        }
    }
    return tip;
}

void TimeChartView::mouseMoveEvent(QMouseEvent* event)
{
    // A marker's tooltip within a few pixels of its line, not on it exactly.
    if (!m_dragging) {
        const QString tip = markerTipAt(event->pos(), 6);
        if (!tip.isEmpty()) QToolTip::showText(event->globalPosition().toPoint(), tip, this);
        else QToolTip::hideText();
    }
    if (m_dragging && m_band) {
        const QRectF plot = chart()->plotArea();
        m_band->setGeometry(QRect(QPoint(m_origin.x(), static_cast<int>(plot.top())),
                                  QPoint(event->pos().x(), static_cast<int>(plot.bottom())))
                                .normalized());
    }
    QChartView::mouseMoveEvent(event);
}

void TimeChartView::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_dragging && event->button() == Qt::LeftButton) {
        m_dragging = false;
        if (m_band) m_band->hide();
        if (std::abs(event->pos().x() - m_origin.x()) >= 8) {
            const qint64 a = timeAt(m_origin.x()), b = timeAt(event->pos().x());
            emit windowDragged(std::min(a, b), std::max(a, b));
        }
    }
    QChartView::mouseReleaseEvent(event);
}

}  // namespace srmui
