// srm-workbench's command line: srm-check's options (the same request) plus
// the workbench's own (--screenshot, --page, a session file). Read without a
// QApplication, so --help and --version work without a display.
#pragma once

#include "srm/analysis.hpp"

#include <QString>
#include <QStringList>
#include <optional>
#include <string>
#include <vector>

namespace srmui {

struct WorkbenchCommandLine {
    bool help = false, version = false;
    std::optional<QString> screenshot;  ///< render the window to this PNG and exit
    std::optional<QString> page;        ///< the page to show
    std::optional<QString> session;     ///< a saved session to open
    std::optional<QString> palette;     ///< --palette dark|light (else the desktop's)
    std::optional<std::pair<std::string, std::string>> segment;  ///< --segment DIM=VALUE: the segment to look at
    srm::AnalysisRequest request;       ///< the analysis to start (the bundled sample when none is given)
    QString title;
    std::vector<std::string> check_args;  ///< the same input as srm-check arguments (no-display fallback)
    bool prior_concentration_given = false;  ///< --prior-concentration on the command line (else the preference)

    /// The analysis to start, with the user's preferred prior concentration
    /// unless the command line gives its own.
    srm::AnalysisRequest analysisRequest(double preferredPriorConcentration) const;
};

/// `args` without the program name; `sample_dir` holds the bundled sample.
/// Throws srm::UsageError for a wrong command line.
WorkbenchCommandLine parseWorkbenchCommandLine(const std::vector<std::string>& args, const std::string& sample_dir);

/// The text of srm-workbench --help.
std::string workbenchUsage();

}  // namespace srmui
