// Edit > Preferences: the analysis settings a new analysis starts with.
// Stored in the application's settings (typed access: AnalysisPreferences);
// a session keeps the value it was analysed with.
#pragma once

#include <QDialog>

class QDoubleSpinBox;
class QSettings;

namespace srmui {

struct AnalysisPreferences {
    /// The sequential test's Dirichlet prior concentration (alpha = C x the
    /// planned shares); 100 by default, Optimizely's ssrm uses 10,000.
    double priorConcentration = 100.0;

    static AnalysisPreferences load(const QSettings& settings);
    void save(QSettings& settings) const;
    bool operator==(const AnalysisPreferences&) const = default;
};

class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    explicit PreferencesDialog(const AnalysisPreferences& current, QWidget* parent = nullptr);
    AnalysisPreferences preferences() const;

private:
    QDoubleSpinBox* m_concentration;
};

}  // namespace srmui
