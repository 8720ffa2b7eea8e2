// How the UI shows report values: text, colours and number formats in one place.
#pragma once

#include "srm/report.hpp"

#include <QColor>
#include <QIcon>
#include <QLocale>
#include <QString>

#include <string>

class QLabel;
class QWidget;

namespace srmui {

QString severityText(srm::Severity s);
/// Background colour of the health state (green / amber / red).
QColor severityColor(srm::Severity s);
/// The role the table exports read (Save as CSV): the displayed text with
/// locale-free numbers ("7554", "52.770 %"), so a file is the same in every locale.
constexpr int kExportRole = Qt::UserRole + 3;
/// The locale the GUI shows numbers in: the user's, or US English when the
/// system names none ("C", "POSIX").
QLocale displayLocale();
/// The locale of a model role: C (no digit grouping) for kExportRole, displayLocale() otherwise.
QLocale numberLocale(int role);

/// Numbers as the GUI shows them, in `locale` ("7,554" / "7.554"; "52.770 %" / "52,770 %").
QString formatCount(quint64 n, const QLocale& locale = displayLocale());
QString formatNumber(double v, int decimals, const QLocale& locale = displayLocale());
QString formatShare(double share, const QLocale& locale = displayLocale());     ///< 0.5 -> "50.000 %"
QString formatDeviationPp(double pp, const QLocale& locale = displayLocale());  ///< "+0.187 pp"
/// A number core formatted locale-free ("0.0123", "3.4e-11") with the locale's decimal point.
QString localizeNumber(const std::string& number, const QLocale& locale = displayLocale());
/// A p-value as core words it (srm::format_p), with the locale's decimal point.
QString formatP(double p, double log10_p, const QLocale& locale = displayLocale());
QString formatP(const srm::SrmResult& r, const QLocale& locale = displayLocale());
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
