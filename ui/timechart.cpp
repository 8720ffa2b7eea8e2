#include "timechart.h"

#include "pageparts.h"
#include "uiqueue.h"

#include <QAreaSeries>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLineItem>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPen>
#include <QRubberBand>
#include <QGraphicsView>
#include <QCoreApplication>
#include <QPointer>
#include <QTimer>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>
#include <QWheelEvent>
#include <cmath>

namespace srmui {

namespace {

// The time axis' labels for [low, high] (ms) on a plot `width` pixels wide:
// as many as fit (about 80 px each); over whole days on day boundaries (an
// interval that divides the span), else at least a day apart where only
// days are shown, so that no day is named twice. Unchanged values are not
// set again (each set lays the chart out anew).
void setTicks(QDateTimeAxis* x, double low, double high, double width)
{
    const double span_days = (high - low) / 86400000.0;
    const int fit = std::max(2, static_cast<int>(width / 80.0) + 1);
    const bool days = span_days > 3;
    const QString format = days ? QStringLiteral("MMM d") : QStringLiteral("MMM d HH:mm");
    if (x->format() != format) x->setFormat(format);
    int ticks = std::min(fit, 7);
    if (days) {
        const auto whole = static_cast<long long>(std::llround(span_days));
        ticks = std::clamp(static_cast<int>(std::floor(span_days)) + 1, 2, fit);
        if (std::fabs(span_days - static_cast<double>(whole)) < 1e-6)
            for (int n = ticks; n >= 2; --n)
                if (whole % (n - 1) == 0) {
                    ticks = n;
                    break;
                }
    }
    if (x->tickCount() != ticks) x->setTickCount(ticks);
}

QDateTime utc(double ms) { return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(std::llround(ms)), Qt::UTC); }


void hideFromLegend(QChart* chart, QAbstractSeries* series)
{
    for (auto* m : chart->legend()->markers(series)) m->setVisible(false);
}

QLineSeries* lineOf(const QList<QPointF>& points)
{
    auto* s = new QLineSeries;
    s->append(points);
    return s;
}

}  // namespace

TimeChartView::TimeChartView(QWidget* parent) : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(240);
    setMouseTracking(true);
    swapIn(newChart());
}

void TimeChartView::clear()
{
    m_model = ChartModel{};
    m_dirty = false;
    m_pendingZoom.reset();
    swapIn(newChart());
}

void TimeChartView::setModel(const ChartModel& model)
{
    m_model = model;
    m_pendingZoom.reset();
    // Laying out a chart's scene takes the UI thread tens of milliseconds: a
    // chart in sight is drawn as a piece of UI work of its own (runSoon), a
    // chart out of sight when it is shown.
    m_dirty = true;
    if (isVisible() && !m_drawQueued) {
        m_drawQueued = true;
        runSoon(this, [this] {
            m_drawQueued = false;
            if (isVisible()) ensureDrawn();
        });
    }
}

void TimeChartView::ensureDrawn()
{
    if (!m_dirty) return;
    m_dirty = false;
    draw();
    if (m_pendingZoom) {
        const auto [low, high] = *m_pendingZoom;
        m_pendingZoom.reset();
        zoomTo(low, high);
    }
}

void TimeChartView::showEvent(QShowEvent* event)
{
    ensureDrawn();
    QChartView::showEvent(event);
}

namespace {

// The Qt series of a model series.
QAbstractSeries* makeSeries(const ChartSeries& s)
{
    switch (s.kind) {
    case ChartSeries::Kind::Band: {
        auto* upper = lineOf(s.points);
        auto* lower = lineOf(s.lower);
        auto* area = new QAreaSeries(upper, lower);
        upper->setParent(area);  // an area series does not own its edges
        lower->setParent(area);
        area->setBrush(s.color);
        area->setPen(Qt::NoPen);
        return area;
    }
    case ChartSeries::Kind::Points: {
        auto* dots = new QScatterSeries;
        dots->append(s.points);
        dots->setMarkerSize(s.width);
        if (s.outline) {
            dots->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
            dots->setBrush(Qt::NoBrush);
            dots->setPen(QPen(s.color, 1.5));
        } else {
            QColor c = s.color;
            c.setAlphaF(0.55f);
            dots->setColor(c);
            dots->setBorderColor(c);
        }
        return dots;
    }
    case ChartSeries::Kind::Line:
    case ChartSeries::Kind::Marker:
        break;
    }
    auto* line = lineOf(s.points);
    line->setPen(QPen(s.color, s.width, s.style));
    if (s.kind == ChartSeries::Kind::Marker) {
        line->setProperty("marker", true);
        line->setProperty("tip", s.tip);
    }
    return line;
}

// The model's value axis.
QValueAxis* makeValueAxis(const ChartModel& m)
{
    auto* y = new QValueAxis;
    y->setTitleText(m.yTitle);
    y->setLabelFormat(m.yFormat);
    y->setRange(m.yLow, m.yHigh);
    if (m.yTick > 0) {
        y->setTickType(QValueAxis::TicksDynamic);
        y->setTickAnchor(0.0);
        y->setTickInterval(m.yTick);
    } else {
        y->applyNiceNumbers();  // round labels (0, 10,000, 20,000, ...) over at least the model's range
    }
    return y;
}

}  // namespace

void TimeChartView::draw()
{
    // A fresh chart built outside the scene, then swapped in: the scene lays
    // it out once, not after every series and axis added.
    auto* c = newChart();
    if (m_model.empty()) {
        c->setTitle(m_model.emptyText);
        swapIn(c);
        return;
    }
    c->setTitle(m_model.title);
    auto* x = new QDateTimeAxis;
    x->setTitleText(tr("first exposure (UTC)"));
    // The whole span, set before the chart is in the scene (laid out once).
    const double full0 = static_cast<double>(m_model.t0) * 1000.0, full1 = static_cast<double>(m_model.t1) * 1000.0;
    x->setRange(utc(full0), utc(full1));
    setTicks(x, full0, full1, std::max(200, width() - 120));
    c->addAxis(x, Qt::AlignBottom);
    auto* y = makeValueAxis(m_model);
    c->addAxis(y, Qt::AlignLeft);
    for (const auto& s : m_model.series) {
        QAbstractSeries* series = makeSeries(s);
        series->setName(s.name);
        c->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
        if (!s.legend) hideFromLegend(c, series);
    }
    swapIn(c);
    emit xRangeChanged(full0, full1);
}

QChart* TimeChartView::newChart() const
{
    auto* c = new QChart;
    c->legend()->setAlignment(Qt::AlignBottom);
    QFont small = c->legend()->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    c->legend()->setFont(small);
    c->setMargins(QMargins(4, 4, 4, 4));
    return c;
}

void TimeChartView::swapIn(QChart* c)
{
    QChart* old = chart();
    setChart(c);
    delete old;
    m_crosshair = new QGraphicsLineItem(c);
    m_crosshair->setZValue(1000);
    m_crosshair->hide();
    applyPalette();
}

void TimeChartView::applyPalette()
{
    applyChartStyle(chart(), palette());
    QColor cross = palette().color(QPalette::Text);
    cross.setAlphaF(0.5f);
    m_crosshair->setPen(QPen(cross, 1, Qt::DashLine));
}

void TimeChartView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) applyPalette();
    QChartView::changeEvent(event);
}

QPair<double, double> TimeChartView::xRange() const
{
    auto* x = qobject_cast<QDateTimeAxis*>(chart()->axes(Qt::Horizontal).value(0));
    if (!x) return {0, 0};
    return {static_cast<double>(x->min().toMSecsSinceEpoch()), static_cast<double>(x->max().toMSecsSinceEpoch())};
}

bool TimeChartView::isZoomed() const
{
    if (m_model.empty()) return false;
    const auto [low, high] = xRange();
    return low > static_cast<double>(m_model.t0) * 1000.0 + 0.5 || high < static_cast<double>(m_model.t1) * 1000.0 - 0.5;
}

void TimeChartView::zoomTo(double low, double high)
{
    if (m_dirty) {  // applied once drawn
        m_pendingZoom = std::make_pair(low, high);
        return;
    }
    auto* x = qobject_cast<QDateTimeAxis*>(chart()->axes(Qt::Horizontal).value(0));
    if (!x || m_model.empty()) return;
    const double full0 = static_cast<double>(m_model.t0) * 1000.0, full1 = static_cast<double>(m_model.t1) * 1000.0;
    const double bin = static_cast<double>(srm::seconds_of(m_model.resolution)) * 1000.0;
    if (high < low) std::swap(low, high);
    if (high - low < 2 * bin) {  // at least two bins
        const double mid = (low + high) / 2;
        low = mid - bin;
        high = mid + bin;
    }
    low = std::max(low, full0);
    high = std::min(high, full1);
    if (high <= low) std::tie(low, high) = std::pair{full0, full1};
    if (xRange() == qMakePair(static_cast<double>(std::llround(low)), static_cast<double>(std::llround(high)))) return;
    x->setRange(utc(low), utc(high));
    m_crosshair->hide();
    updateTicks();
    const auto shown = xRange();
    emit xRangeChanged(shown.first, shown.second);
}


void TimeChartView::updateTicks()
{
    auto* x = qobject_cast<QDateTimeAxis*>(chart()->axes(Qt::Horizontal).value(0));
    if (!x) return;
    const auto [low, high] = xRange();
    setTicks(x, low, high, chart()->plotArea().width());
}

void TimeChartView::resizeEvent(QResizeEvent* event)
{
    // A chart about to be replaced is not laid out again for the new size:
    // the one drawn next takes the view's size.
    if (m_dirty) {
        QGraphicsView::resizeEvent(event);
        return;
    }
    QChartView::resizeEvent(event);
    updateTicks();
}

void TimeChartView::resetZoom()
{
    if (!m_model.empty()) zoomTo(static_cast<double>(m_model.t0) * 1000.0, static_cast<double>(m_model.t1) * 1000.0);
}

double TimeChartView::msAt(int x) const
{
    const auto series = chart()->series();
    if (series.isEmpty()) return 0;
    return chart()->mapToValue(chart()->mapFromScene(mapToScene(QPoint(x, 0))), series.front()).x();
}

QPoint TimeChartView::positionOf(qint64 seconds) const
{
    const auto series = chart()->series();
    if (series.isEmpty()) return {};
    const QPointF at = chart()->mapToPosition(QPointF(static_cast<double>(seconds) * 1000.0, (m_model.yLow + m_model.yHigh) / 2), series.front());
    return mapFromScene(chart()->mapToScene(at));
}

int TimeChartView::hoverIndexAt(const QPoint& pos) const
{
    if (m_model.hover.isEmpty() || !chart()->plotArea().contains(chart()->mapFromScene(mapToScene(pos)))) return -1;
    const double t = msAt(pos.x()) / 1000.0;
    int best = -1;
    double distance = 0;
    for (int i = 0; i < m_model.hover.size(); ++i) {
        const double d = std::fabs(static_cast<double>(m_model.hover[i].time) - t);
        if (best < 0 || d < distance) {
            best = i;
            distance = d;
        }
    }
    return best;
}

QString TimeChartView::hoverTextAt(const QPoint& pos) const
{
    const int i = hoverIndexAt(pos);
    return i < 0 ? QString() : m_model.hover[i].text;
}

int TimeChartView::crosshairX() const
{
    if (!m_crosshair->isVisible()) return -1;
    return mapFromScene(chart()->mapToScene(m_crosshair->line().p1())).x();
}

QString TimeChartView::markerTipAt(const QPoint& pos, int tolerance) const
{
    QString tip;
    int best = tolerance + 1;
    for (auto* s : chart()->series()) {
        auto* line = qobject_cast<QLineSeries*>(s);
        if (!line || !line->property("marker").toBool() || line->count() == 0) continue;
        const QPoint at = mapFromScene(chart()->mapToScene(chart()->mapToPosition(line->at(0), line)));
        if (std::abs(at.x() - pos.x()) < best) {
            best = std::abs(at.x() - pos.x());
            tip = line->property("tip").toString();
        }
    }
    return tip;
}

void TimeChartView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && !m_model.empty()) {
        m_origin = event->pos();
        m_dragging = true;
        m_zoomDrag = !m_windowDrag || (event->modifiers() & Qt::ShiftModifier);
        if (!m_band) m_band = new QRubberBand(QRubberBand::Rectangle, this);
        m_band->setGeometry(QRect(m_origin, QSize()));
        m_band->show();
    }
    QChartView::mousePressEvent(event);
}

void TimeChartView::mouseMoveEvent(QMouseEvent* event)
{
    if (m_dragging && m_band) {
        const QRectF plot = chart()->plotArea();
        m_band->setGeometry(QRect(QPoint(m_origin.x(), static_cast<int>(plot.top())), QPoint(event->pos().x(), static_cast<int>(plot.bottom())))
                                .normalized());
    } else {
        // The crosshair at the nearest point, what it says, and a marker's tooltip near its line.
        const int i = hoverIndexAt(event->pos());
        if (i < 0) {
            m_crosshair->hide();
            QToolTip::hideText();
        } else {
            const QRectF plot = chart()->plotArea();
            const auto series = chart()->series();
            const double x = chart()->mapToPosition(QPointF(static_cast<double>(m_model.hover[i].time) * 1000.0, 0), series.front()).x();
            m_crosshair->setLine(QLineF(x, plot.top(), x, plot.bottom()));
            m_crosshair->show();
            QString text = m_model.hover[i].text;
            const QString tip = markerTipAt(event->pos(), 6);
            if (!tip.isEmpty()) text += QStringLiteral("<hr>") + tip.toHtmlEscaped();
            QToolTip::showText(event->globalPosition().toPoint(), text, this);
        }
    }
    QChartView::mouseMoveEvent(event);
}

void TimeChartView::leaveEvent(QEvent* event)
{
    m_crosshair->hide();
    QChartView::leaveEvent(event);
}

void TimeChartView::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_dragging && event->button() == Qt::LeftButton) {
        m_dragging = false;
        if (m_band) m_band->hide();
        if (std::abs(event->pos().x() - m_origin.x()) >= 8) {
            const double a = msAt(m_origin.x()), b = msAt(event->pos().x());
            if (m_zoomDrag) zoomTo(std::min(a, b), std::max(a, b));
            else emit windowDragged(static_cast<qint64>(std::min(a, b) / 1000.0), static_cast<qint64>(std::max(a, b) / 1000.0));
        }
    }
    QChartView::mouseReleaseEvent(event);
}

void TimeChartView::mouseDoubleClickEvent(QMouseEvent* event)
{
    resetZoom();
    QChartView::mouseDoubleClickEvent(event);
}

void TimeChartView::wheelEvent(QWheelEvent* event)
{
    if (m_model.empty() || event->angleDelta().y() == 0) {
        QChartView::wheelEvent(event);
        return;
    }
    const double factor = std::pow(0.8, event->angleDelta().y() / 120.0);
    const double at = msAt(static_cast<int>(event->position().x()));
    const auto [low, high] = xRange();
    zoomTo(at - (at - low) * factor, at + (high - at) * factor);
    event->accept();
}

}  // namespace srmui
