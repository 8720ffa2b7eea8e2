#include "reportformat.h"
#include "srm/text.hpp"

#include <QDateTime>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

namespace srmui {

QString severityText(srm::Severity s)
{
    switch (s) {
    case srm::Severity::Ok: return QObject::tr("Balanced");
    case srm::Severity::Warn: return QObject::tr("SRM alert");
    case srm::Severity::Severe: return QObject::tr("Severe SRM");
    }
    return {};
}

QColor severityColor(srm::Severity s)
{
    switch (s) {
    case srm::Severity::Ok: return QColor(0x2e, 0x7d, 0x32);
    case srm::Severity::Warn: return QColor(0xf9, 0xa8, 0x25);
    case srm::Severity::Severe: return QColor(0xc6, 0x28, 0x28);
    }
    return Qt::gray;
}

QLocale displayLocale()
{
    const QLocale user;
    return user.language() == QLocale::C ? QLocale(QLocale::English, QLocale::UnitedStates) : user;
}

QLocale numberLocale(int role)
{
    if (role != kExportRole) return displayLocale();
    QLocale c = QLocale::c();
    c.setNumberOptions(QLocale::OmitGroupSeparator);
    return c;
}

QString formatCount(quint64 n, const QLocale& locale) { return locale.toString(n); }

QString formatNumber(double v, int decimals, const QLocale& locale) { return locale.toString(v, 'f', decimals); }

QString formatShare(double share, const QLocale& locale) { return formatNumber(share * 100.0, 3, locale) + QStringLiteral(" %"); }

QString formatDeviationPp(double pp, const QLocale& locale)
{
    return (pp >= 0 ? QStringLiteral("+") : QString()) + formatNumber(pp, 3, locale) + QStringLiteral(" pp");
}

QString localizeNumber(const std::string& number, const QLocale& locale)
{
    return QString::fromStdString(number).replace(QLatin1Char('.'), locale.decimalPoint());
}

QString formatP(double p, double log10_p, const QLocale& locale) { return localizeNumber(srm::format_p(p, log10_p), locale); }

QString formatP(const srm::SrmResult& r, const QLocale& locale) { return formatP(r.p_value, r.log10_p_value, locale); }

QString formatTime(std::int64_t seconds)
{
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

namespace {
QIcon roundIcon(const QColor& color, const QString& glyph)
{
    QPixmap pm(16, 16);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(color);
    p.setPen(Qt::NoPen);
    p.drawEllipse(1, 1, 14, 14);
    p.setPen(Qt::white);
    QFont f = p.font();
    f.setPixelSize(10);
    f.setBold(true);
    p.setFont(f);
    p.drawText(QRect(0, 0, 16, 16), Qt::AlignCenter, glyph);
    return QIcon(pm);
}
}  // namespace

QIcon severityIcon(const QString& severity)
{
    if (severity == "severe") return roundIcon(severityColor(srm::Severity::Severe), QStringLiteral("!"));
    if (severity == "warn") return roundIcon(severityColor(srm::Severity::Warn), QStringLiteral("?"));
    if (severity == "ok") return roundIcon(severityColor(srm::Severity::Ok), QStringLiteral("✓"));
    return roundIcon(QColor(0x9e, 0x9e, 0x9e), QStringLiteral("–"));
}

QIcon checkIcon(srm::CheckStatus status)
{
    switch (status) {
    case srm::CheckStatus::Pass: return severityIcon(QStringLiteral("ok"));
    case srm::CheckStatus::Warn: return severityIcon(QStringLiteral("warn"));
    case srm::CheckStatus::Fail: return severityIcon(QStringLiteral("severe"));
    case srm::CheckStatus::Manual: return roundIcon(QColor(0x15, 0x65, 0xc0), QStringLiteral("?"));
    case srm::CheckStatus::NotApplicable: break;
    }
    return severityIcon(QStringLiteral("none"));
}

QString checkStatusText(srm::CheckStatus status)
{
    switch (status) {
    case srm::CheckStatus::Pass: return QObject::tr("pass");
    case srm::CheckStatus::Warn: return QObject::tr("warn");
    case srm::CheckStatus::Fail: return QObject::tr("fail");
    case srm::CheckStatus::Manual: return QObject::tr("manual");
    case srm::CheckStatus::NotApplicable: return QObject::tr("n/a");
    }
    return {};
}

QLabel* makeTextLabel(const QString& objectName, QWidget* parent)
{
    auto* l = new QLabel(parent);
    l->setObjectName(objectName);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

QString healthTooltip(const srm::Report& report)
{
    const auto& r = report.srm;
    // Non-breaking spaces keep each number on one line.
    auto keep = [](QString s) { return s.replace(QLatin1Char(' '), QChar(0x00A0)); };
    QString html = QStringLiteral("<p><b>%1</b></p><table cellspacing=4><tr><th align=left>%2</th><th align=right>%3</th><th align=right>%4</th>"
                                  "<th align=right>%5</th></tr>")
                       .arg(QString::fromStdString(report.health.headline).toHtmlEscaped(), QObject::tr("variant"), QObject::tr("observed"),
                            QObject::tr("expected"), QObject::tr("deviation"));
    for (const auto& v : r.variants)
        html += QStringLiteral("<tr><td>%1</td><td align=right>%2</td><td align=right>%3</td><td align=right>%4</td></tr>")
                    .arg(QString::fromStdString(v.name).toHtmlEscaped(), keep(formatCount(v.observed)),
                         keep(formatNumber(v.expected, 1)), keep(formatDeviationPp(v.deviation_pp)));
    html += QStringLiteral("</table><p style='white-space:pre'>p = %1 (%2)</p>").arg(keep(formatP(r)), QString::fromStdString(r.method).toHtmlEscaped());
    return html;
}

QString healthText(srm::HealthState s)
{
    switch (s) {
    case srm::HealthState::Healthy: return QObject::tr("Balanced");
    case srm::HealthState::Warn: return QObject::tr("SRM alert");
    case srm::HealthState::Severe: return QObject::tr("Severe SRM");
    case srm::HealthState::SegmentLimited: return QObject::tr("SRM inside segments");
    case srm::HealthState::InputProblem: return QObject::tr("Input problem");
    case srm::HealthState::CheckFailed: return QObject::tr("Check failed");
    }
    return {};
}

QColor healthColor(srm::HealthState s)
{
    switch (s) {
    case srm::HealthState::Healthy: return severityColor(srm::Severity::Ok);
    case srm::HealthState::Warn: return severityColor(srm::Severity::Warn);
    case srm::HealthState::SegmentLimited: return QColor(0xef, 0x6c, 0x00);
    case srm::HealthState::Severe: return severityColor(srm::Severity::Severe);
    case srm::HealthState::CheckFailed: return QColor(0xad, 0x14, 0x57);
    case srm::HealthState::InputProblem: return QColor(0x6a, 0x1b, 0x9a);
    }
    return Qt::gray;
}

QString healthGlyph(srm::HealthState s)
{
    switch (s) {
    case srm::HealthState::Healthy: return QStringLiteral("\u2714");
    case srm::HealthState::Warn:
    case srm::HealthState::SegmentLimited: return QStringLiteral("\u26A0");
    case srm::HealthState::Severe:
    case srm::HealthState::CheckFailed: return QStringLiteral("\u2716");
    case srm::HealthState::InputProblem: return QStringLiteral("\u26D4");
    }
    return {};
}

QIcon stepIcon(srm::StepState s)
{
    switch (s) {
    case srm::StepState::Ok: return severityIcon(QStringLiteral("ok"));
    case srm::StepState::Warn: return severityIcon(QStringLiteral("warn"));
    case srm::StepState::Severe: return severityIcon(QStringLiteral("severe"));
    case srm::StepState::NotApplicable: break;
    }
    return severityIcon(QStringLiteral("none"));
}

}  // namespace srmui
