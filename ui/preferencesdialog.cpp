#include "preferencesdialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <cmath>

namespace srmui {

namespace {
const char* const kConcentrationKey = "analysis/prior_concentration";
constexpr double kMinConcentration = 0.01, kMaxConcentration = 1e9;
}  // namespace

AnalysisPreferences AnalysisPreferences::load(const QSettings& settings)
{
    AnalysisPreferences p;
    bool ok = false;
    const double c = settings.value(QLatin1String(kConcentrationKey), p.priorConcentration).toDouble(&ok);
    // A hand-edited settings file with a bad value falls back to the default.
    if (ok && std::isfinite(c) && c >= kMinConcentration && c <= kMaxConcentration) p.priorConcentration = c;
    return p;
}

void AnalysisPreferences::save(QSettings& settings) const
{
    settings.setValue(QLatin1String(kConcentrationKey), priorConcentration);
}

PreferencesDialog::PreferencesDialog(const AnalysisPreferences& current, QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("preferencesDialog"));
    setWindowTitle(tr("Preferences"));
    auto* form = new QFormLayout(this);
    m_concentration = new QDoubleSpinBox(this);
    m_concentration->setObjectName(QStringLiteral("priorConcentration"));
    m_concentration->setRange(kMinConcentration, kMaxConcentration);
    m_concentration->setDecimals(2);
    m_concentration->setValue(current.priorConcentration);
    form->addRow(tr("Sequential test prior concentration:"), m_concentration);
    auto* help = new QLabel(tr("The anytime-valid test's Dirichlet prior is the plan's shares times this number. Larger values expect "
                               "smaller deviations: 100 (default) alerts on large breaks sooner, 10,000 (Optimizely's ssrm) on small "
                               "ones. New analyses use it; a saved session keeps its own value."),
                            this);
    help->setWordWrap(true);
    form->addRow(help);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { m_concentration->setValue(AnalysisPreferences{}.priorConcentration); });
    form->addRow(buttons);
}

AnalysisPreferences PreferencesDialog::preferences() const
{
    AnalysisPreferences p;
    p.priorConcentration = m_concentration->value();
    return p;
}

}  // namespace srmui
