// One chart model for every time chart: what a chart shows (its series,
// bands, markers, axes and what hovering a point says), built from core's
// series — the report's timeline, a segment's and the rest's — and drawn by
// TimeChartView (the workbench and --screenshot alike). Building one
// computes no statistics: it places core's numbers.
#pragma once

#include "srm/report.hpp"

#include <QColor>
#include <QCoreApplication>
#include <QList>
#include <QPalette>
#include <QPointF>
#include <QString>

namespace srmui {

struct ChartSeries {
    enum class Kind { Line, Band, Points, Marker };
    QString name;
    Kind kind = Kind::Line;
    QColor color;
    Qt::PenStyle style = Qt::SolidLine;
    double width = 2.0;
    /// x: milliseconds since the epoch (UTC). A band's upper edge; a
    /// marker's two ends (bottom and top of the plot).
    QList<QPointF> points;
    QList<QPointF> lower;  ///< a band's lower edge
    bool legend = true;
    QString tip;  ///< a marker's tooltip
    bool outline = false;  ///< points drawn as outlined squares (outside their band), not dots
};

/// What hovering the chart at a point's time says.
struct HoverPoint {
    qint64 time = 0;  ///< seconds: the end of the point's bin
    QString text;     ///< rich text
};

struct ChartModel {
    Q_DECLARE_TR_FUNCTIONS(ChartModel)

public:
    QString title, emptyText, yTitle;
    QString yFormat = QStringLiteral("%.0f");
    srm::TimeResolution resolution = srm::TimeResolution::None;
    qint64 t0 = 0, t1 = 0;  ///< seconds: the x range
    double yLow = 0.0, yHigh = 1.0;
    double yTick = 0.0;  ///< a fixed tick interval anchored at 0, or 0 for the axis' own
    QList<ChartSeries> series;
    QList<HoverPoint> hover;
    bool empty() const { return series.isEmpty(); }
    /// The series of a name (nullptr if none).
    const ChartSeries* find(const QString& name) const;
};

/// Cumulative units per variant (solid) and the plan's (dashed; each
/// allocation phase's shares), with the report's markers.
ChartModel cumulativeChart(const srm::Timeline& timeline, const srm::Report& report, const QPalette& palette, const QString& title = {});
/// Observed minus planned share per variant over time (percentage points):
/// cumulative (lines) in the band the plan allows, each point's new units
/// (dots; outlined squares outside their own band). With `rest`, the rest's
/// cumulative deviation beside it (dashed).
ChartModel deviationChart(const srm::Timeline& timeline, const srm::Report& report, const QPalette& palette, const QString& title = {},
                          const srm::Timeline* rest = nullptr);
/// The SRM p-value paths (log10, never floored): fixed-horizon and sequential.
ChartModel pValueChart(const srm::Report& report, const QPalette& palette);

}  // namespace srmui
