#include "analysisengine.h"

#include <QMetaObject>

#include <algorithm>

namespace srmui {

namespace {
int registerTypes()
{
    qRegisterMetaType<srm::Report>();
    qRegisterMetaType<srm::Refinement>();
    return 0;
}
const int kRegistered = registerTypes();

QString describe(const srm::InputError& e)
{
    return e.line() > 0 ? QObject::tr("Line %1: %2").arg(e.line()).arg(QString::fromStdString(e.what()))
                        : QString::fromStdString(e.what());
}

}  // namespace

AnalysisEngine::AnalysisEngine(QObject* parent) : QObject(parent) { Q_UNUSED(kRegistered); }

AnalysisEngine::~AnalysisEngine()
{
    for (auto& job : m_jobs) job.cancel.store(true);
    for (auto& job : m_jobs) job.thread.join();  // their queued calls to this object are dropped with it
}

bool AnalysisEngine::isRunning() const { return !m_jobs.empty() && m_jobs.back().generation == m_generation; }

void AnalysisEngine::start(const srm::AnalysisRequest& request)
{
    m_request = request;
    m_refinement = {};
    m_loaded.reset();
    // A window asked for with the request (--window) is the exact one; the
    // whole file stays loaded for other windows and segments.
    const bool windowed = request.file && (request.window_start || request.window_end);
    srm::AnalysisRequest whole = request;
    whole.window_start.reset();
    whole.window_end.reset();
    run([whole, windowed, start = request.window_start, end = request.window_end](const std::function<void(double)>& progress,
                                                                                   const std::atomic<bool>* cancel) {
        Outcome out;
        if (!whole.file) {
            out.report = srm::analyse(whole, progress, cancel);
            return out;
        }
        const double share = windowed ? 0.5 : 0.95;
        auto loaded = std::make_shared<const srm::LoadedAnalysis>(srm::load_analysis(whole, [&](double f) { progress(share * f); }, cancel));
        out.report = windowed ? srm::diagnose_window(*loaded, start, end, std::nullopt, [&](double f) { progress(0.5 + 0.45 * f); }, cancel)
                              : srm::diagnose_loaded(*loaded);
        out.loaded = std::move(loaded);
        progress(1.0);
        return out;
    });
}

void AnalysisEngine::refine(const Refinement& refinement)
{
    if (!m_loaded) return;
    m_refinement = refinement;
    auto loaded = m_loaded;
    run([loaded, refinement](const std::function<void(double)>& progress, const std::atomic<bool>*) {
        Outcome out;
        out.report = srm::diagnose_loaded(*loaded, refinement);
        out.loaded = loaded;
        out.exact_pending = refinement.window.has_value();
        progress(1.0);
        return out;
    });
}

void AnalysisEngine::runExactWindow()
{
    auto loaded = m_loaded;
    const auto refinement = m_refinement;
    run(
        [loaded, refinement](const std::function<void(double)>& progress, const std::atomic<bool>* cancel) {
            Outcome out;
            out.report = srm::diagnose_window(*loaded, refinement.window->first, refinement.window->second, refinement.segment, progress, cancel);
            out.loaded = loaded;
            return out;
        },
        false);
}

void AnalysisEngine::run(Job job, bool announce)
{
    if (!m_jobs.empty()) m_jobs.back().cancel.store(true);  // the previous job's result will be dropped
    Running& r = m_jobs.emplace_back();
    r.generation = ++m_generation;
    r.thread = std::thread([this, &r, job = std::move(job)] {
        const quint64 generation = r.generation;
        auto progress = [this, generation](double fraction) {
            QMetaObject::invokeMethod(this, "onJobProgress", Qt::QueuedConnection, Q_ARG(quint64, generation), Q_ARG(double, fraction));
        };
        Outcome out;
        try {
            out = job(progress, &r.cancel);
        } catch (const srm::Cancelled&) {
            out = Outcome{};
            out.cancelled = true;
        } catch (const srm::InputError& e) {
            out = Outcome{};
            out.error = describe(e);
        } catch (const std::exception& e) {
            out = Outcome{};
            out.error = QObject::tr("Internal error: %1").arg(QString::fromStdString(e.what()));
        } catch (...) {  // never let an exception end the thread (std::terminate)
            out = Outcome{};
            out.error = QObject::tr("Internal error: an unknown exception");
        }
        {
            const std::lock_guard lock(r.mutex);
            r.outcome = std::move(out);
        }
        QMetaObject::invokeMethod(this, "onJobDone", Qt::QueuedConnection, Q_ARG(quint64, generation));
    });
    if (announce) emit started();
    else emit refining();
}

void AnalysisEngine::cancel()
{
    if (!m_jobs.empty()) m_jobs.back().cancel.store(true);
}

void AnalysisEngine::onJobProgress(quint64 generation, double fraction)
{
    if (generation == m_generation) emit progressChanged(fraction);
}

void AnalysisEngine::onJobDone(quint64 generation)
{
    const auto it = std::find_if(m_jobs.begin(), m_jobs.end(), [generation](const Running& r) { return r.generation == generation; });
    if (it == m_jobs.end()) return;
    it->thread.join();  // it has posted this call as its last act
    Outcome out;
    {
        const std::lock_guard lock(it->mutex);
        out = std::move(*it->outcome);
    }
    m_jobs.erase(it);
    if (generation != m_generation) return;  // superseded by a newer job
    if (out.cancelled) {
        emit cancelled();
    } else if (out.report) {
        if (out.loaded) m_loaded = out.loaded;
        if (out.report->scope.window && !m_refinement.window) m_refinement.window = out.report->scope.window;
        if (out.exact_pending) runExactWindow();  // running before the preview is shown: the window knows it is not final
        emit finished(*out.report);
    } else {
        emit failed(out.error);
    }
}

}  // namespace srmui
