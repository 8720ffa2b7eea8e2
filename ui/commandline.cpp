#include "commandline.h"

#include "session.h"

#include "mainwindow.h"

#include "srm/cli.hpp"

#include <QFileInfo>
#include <algorithm>

namespace srmui {

namespace {

// Takes "--name VALUE" or "--name=VALUE" out of args.
std::optional<QString> take_value(std::vector<std::string>& args, const std::string& name)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == name) {
            if (i + 1 >= args.size()) throw srm::UsageError(name + " needs a value");
            const QString v = QString::fromStdString(args[i + 1]);
            args.erase(args.begin() + static_cast<std::ptrdiff_t>(i), args.begin() + static_cast<std::ptrdiff_t>(i) + 2);
            return v;
        }
        if (args[i].rfind(name + "=", 0) == 0) {
            const QString v = QString::fromStdString(args[i].substr(name.size() + 1));
            args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
            return v;
        }
    }
    return std::nullopt;
}

// Whether an option is among the arguments, as "--name VALUE" or "--name=VALUE".
bool given(const std::vector<std::string>& args, const std::string& name)
{
    return std::any_of(args.begin(), args.end(), [&](const std::string& a) { return a == name || a.rfind(name + "=", 0) == 0; });
}

// Options whose value is a path: made absolute (the session keeps them).
void absolute_paths(srm::AnalysisRequest& r)
{
    auto abs = [](std::optional<std::string>& p) {
        if (p && *p != "-") p = QFileInfo(QString::fromStdString(*p)).absoluteFilePath().toStdString();
    };
    abs(r.file);
    abs(r.changes_file);
    abs(r.allocation_file);
}

}  // namespace

srm::AnalysisRequest WorkbenchCommandLine::analysisRequest(double preferredPriorConcentration) const
{
    srm::AnalysisRequest r = request;
    if (!prior_concentration_given) r.prior_concentration = preferredPriorConcentration;
    return r;
}

WorkbenchCommandLine parseWorkbenchCommandLine(const std::vector<std::string>& in, const std::string& sample_dir)
{
    WorkbenchCommandLine c;
    std::vector<std::string> args = in;
    c.screenshot = take_value(args, "--screenshot");
    c.page = take_value(args, "--page");
    c.palette = take_value(args, "--palette");
    if (c.palette && *c.palette != QStringLiteral("dark") && *c.palette != QStringLiteral("light"))
        throw srm::UsageError("--palette takes dark or light, not '" + c.palette->toStdString() + "'");
    if (const auto seg = take_value(args, "--segment")) {
        const auto eq = seg->indexOf(QLatin1Char('='));
        if (eq <= 0) throw srm::UsageError("--segment takes DIMENSION=VALUE, not '" + seg->toStdString() + "'");
        c.segment = std::make_pair(seg->left(eq).toStdString(), seg->mid(eq + 1).toStdString());
    }
    if (c.page && !MainWindow::pageIds().contains(*c.page))
        throw srm::UsageError("--page takes one of " + MainWindow::pageIds().join(QStringLiteral(", ")).toStdString());
    for (auto it = args.begin(); it != args.end(); ++it)
        if (!it->empty() && (*it)[0] != '-' && isSessionPath(QString::fromStdString(*it))) {
            c.session = QString::fromStdString(*it);
            args.erase(it);
            break;
        }
    for (const auto& a : args) {
        if (a == "-h" || a == "--help") c.help = true;
        if (a == "--version" || a == "-v") c.version = true;
    }
    if (c.help || c.version) return c;
    if (c.session) return c;
    if (!srm::check_arguments_name_input(args)) {
        args.insert(args.begin(), {sample_dir + "/exposures.csv", "--changes", sample_dir + "/changes.csv"});
        if (!given(args, "--expected")) args.insert(args.end(), {"--expected", "control=50,treatment=50"});
        c.title = QStringLiteral("sample experiment");
    }
    c.check_args = args;
    c.prior_concentration_given = given(args, "--prior-concentration");
    const auto parsed = srm::parse_check_command_line(args);
    c.request = parsed.request;
    absolute_paths(c.request);
    if (c.title.isEmpty())
        c.title = c.request.file ? QFileInfo(QString::fromStdString(*c.request.file)).fileName() : QStringLiteral("counts");
    return c;
}

std::string workbenchUsage()
{
    return std::string("Usage: srm-workbench [FILE | SESSION.srm.json | --counts NAME=N,...] [options]\n\n"
                       "The desktop workbench for Sample Ratio Mismatch (SRM) diagnosis. With no input it\n"
                       "opens the bundled sample experiment; without a display it prints srm-check's report\n"
                       "of the same input.\n\n"
                       "Workbench options:\n"
                       "  --screenshot OUT.png      render the window to OUT.png once the analysis is shown,\n"
                       "                            then exit (65 when the analysis failed)\n"
                       "  --page PAGE               the page to show: step1, step2, step3, step4, checklist,\n"
                       "                            summary\n"
                       "  --segment DIM=VALUE       look at one segment once the data is loaded\n"
                       "  --palette dark|light      the window's colours (default: the desktop's)\n"
                       "  -h, --help, --version\n\n"
                       "The same options as srm-check:\n") +
           srm::check_options_help();
}

}  // namespace srmui
