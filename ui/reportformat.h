// How the UI shows report values: text, colours and number formats in one place.
#pragma once

#include "srm/report.hpp"

#include <QColor>
#include <QString>

namespace srmui {

QString severityText(srm::Severity s);
/// Background colour of the health state (green / amber / red).
QColor severityColor(srm::Severity s);
QString formatP(const srm::SrmResult& r);
QString formatCount(quint64 n);
QString formatShare(double share);        ///< 0.5 -> "50.000 %"
QString formatDeviationPp(double pp);     ///< "+0.187 pp"
/// Tooltip of the health badge: observed vs expected per variant and the p-value.
QString healthTooltip(const srm::SrmResult& r);

}  // namespace srmui
