// A time chart: draws a ChartModel (lines, the plan's band, per-point dots,
// markers) on the palette's colours. Hovering shows a crosshair and what
// the point under it says (time, counts, shares, p); the wheel zooms the
// time axis around the cursor, Shift+drag zooms to the dragged span, a
// double-click or resetZoom() shows it all again. Where window dragging is
// on, a plain drag chooses an analysis window.
#pragma once

#include "chartmodel.h"

#include <QChartView>
#include <QPoint>
#include <optional>
#include <utility>

class QGraphicsLineItem;
class QRubberBand;

namespace srmui {

class TimeChartView : public QChartView {
    Q_OBJECT

public:
    explicit TimeChartView(QWidget* parent = nullptr);
    void setModel(const ChartModel& model);
    const ChartModel& model() const { return m_model; }
    void clear();
    /// Draws the model set last if it is not drawn yet (done on the event
    /// loop's next turn when the chart is in sight, else when it is shown).
    void ensureDrawn();
    /// Whether a plain drag chooses an analysis window (else it zooms).
    void setWindowDragEnabled(bool on) { m_windowDrag = on; }
    /// The tooltip of the marker line within `tolerance` pixels of pos, if any.
    QString markerTipAt(const QPoint& pos, int tolerance) const;
    /// What hovering at pos says (the point nearest in time), empty outside the plot.
    QString hoverTextAt(const QPoint& pos) const;
    /// The crosshair's x in view pixels, or -1 when it is hidden.
    int crosshairX() const;
    /// The shown time range, milliseconds since the epoch.
    QPair<double, double> xRange() const;
    bool isZoomed() const;
    /// The view position of a time (seconds) at the middle of the plot's height.
    QPoint positionOf(qint64 seconds) const;

public slots:
    /// Shows [low, high] (milliseconds since the epoch) of the time axis.
    void zoomTo(double low, double high);
    void resetZoom();

signals:
    /// A window dragged across the chart, seconds since the epoch (UTC).
    void windowDragged(qint64 start, qint64 end);
    /// The shown time range changed (zoom or reset), milliseconds.
    void xRangeChanged(double low, double high);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void draw();

    QChart* newChart() const;
    void swapIn(QChart* chart);
    void applyPalette();
    void updateTicks();
    double msAt(int x) const;
    int hoverIndexAt(const QPoint& pos) const;

    ChartModel m_model;
    QRubberBand* m_band = nullptr;
    QGraphicsLineItem* m_crosshair = nullptr;
    QPoint m_origin;
    bool m_dragging = false, m_zoomDrag = false, m_windowDrag = true;
    bool m_dirty = false;       // a model set, not drawn yet
    bool m_drawQueued = false;  // a draw waiting in runSoon's queue
    std::optional<std::pair<double, double>> m_pendingZoom;
};

}  // namespace srmui
