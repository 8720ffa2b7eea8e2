// Step 1's charts: cumulative units per variant with the expected split,
// and the SRM p-value paths on a log scale; change-log markers and the
// change point on both. Dragging across the cumulative chart chooses an
// analysis window.
#pragma once

#include "srm/report.hpp"

#include <QChartView>
#include <QPoint>

class QRubberBand;

namespace srmui {

class TimeChartView : public QChartView {
    Q_OBJECT

public:
    explicit TimeChartView(QWidget* parent = nullptr);
    /// Draws the cumulative chart (cumulative = true) or the p-value paths.
    void showReport(const srm::Report& report, bool cumulative);
    void clear();
    /// The tooltip of the marker line within `tolerance` pixels of pos, if any.
    QString markerTipAt(const QPoint& pos, int tolerance) const;

signals:
    /// A window dragged across the chart, seconds since the epoch (UTC).
    void windowDragged(qint64 start, qint64 end);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    QAbstractAxis* addCumulativeSeries(const srm::Timeline& tl, qint64 t0, double& y_high);
    QAbstractAxis* addPValueSeries(const srm::Report& report, qint64 t0, qint64 t1, double& y_low, double& y_high);
    void addMarkers(const srm::Report& report, double y_low, double y_high, qint64 t0, qint64 t1);
    qint64 timeAt(int x) const;

    QRubberBand* m_band = nullptr;
    QPoint m_origin;
    bool m_dragging = false;
    bool m_cumulative = true;
};

}  // namespace srmui
