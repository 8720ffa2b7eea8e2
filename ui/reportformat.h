// How the UI shows report values: text, colours and number formats in one place.
#pragma once

#include "srm/report.hpp"

#include <QColor>
#include <QIcon>

class QLabel;
class QWidget;
#include <QString>

namespace srmui {

QString severityText(srm::Severity s);
/// Background colour of the health state (green / amber / red).
QColor severityColor(srm::Severity s);
QString formatP(const srm::SrmResult& r);
QString formatCount(quint64 n);
QString formatShare(double share);        ///< 0.5 -> "50.000 %"
QString formatDeviationPp(double pp);     ///< "+0.187 pp"
/// "2026-03-08 00:00" (UTC) for seconds since the epoch.
QString formatTime(std::int64_t seconds);
/// A round icon in the colour of a severity ("ok", "warn", "severe", "too_small", "none").
QIcon severityIcon(const QString& severity);
QIcon checkIcon(srm::CheckStatus status);
QString checkStatusText(srm::CheckStatus status);
/// A word-wrapped, selectable text label with an object name (pages use it for their texts).
QLabel* makeTextLabel(const QString& objectName, QWidget* parent);
/// Tooltip of the health badge: the headline, observed vs expected per variant and the p-value.
QString healthTooltip(const srm::Report& report);

/// The health state as the badge words it ("Balanced", "Severe SRM", "Check failed", ...).
QString healthText(srm::HealthState s);
/// Its colour (green, amber, red, orange, purple) and glyph, so that it is never told by colour alone.
QColor healthColor(srm::HealthState s);
QString healthGlyph(srm::HealthState s);
/// The navigator's icon of a step's state.
QIcon stepIcon(srm::StepState s);


}  // namespace srmui
