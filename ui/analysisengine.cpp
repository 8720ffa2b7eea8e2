#include "analysisengine.h"

#include <QPointer>
#include <QtConcurrent>

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
    if (m_cancel) m_cancel->store(true);
    if (m_watcher) m_watcher->waitForFinished();
}

bool AnalysisEngine::isRunning() const { return m_watcher && m_watcher->isRunning(); }

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
    if (m_cancel) m_cancel->store(true);  // the previous job's result will be dropped
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = ++m_generation;
    QPointer<AnalysisEngine> self(this);
    auto cancel = m_cancel;
    auto progress = [self, generation](double fraction) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, generation, fraction] {
                if (self && self->m_generation == generation) emit self->progressChanged(fraction);
            },
            Qt::QueuedConnection);
    };
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, generation] { onJobDone(watcher, generation); });
    watcher->setFuture(QtConcurrent::run([job = std::move(job), cancel, progress]() -> Outcome {
        try {
            return job(progress, cancel.get());
        } catch (const srm::Cancelled&) {
            Outcome out;
            out.cancelled = true;
            return out;
        } catch (const srm::InputError& e) {
            Outcome out;
            out.error = describe(e);
            return out;
        } catch (const std::exception& e) {
            Outcome out;
            out.error = QObject::tr("Internal error: %1").arg(QString::fromStdString(e.what()));
            return out;
        }
    }));
    m_watcher = watcher;
    if (announce) emit started();
    else emit refining();
}

void AnalysisEngine::cancel()
{
    if (m_cancel) m_cancel->store(true);
}

void AnalysisEngine::onJobDone(QFutureWatcher<Outcome>* watcher, quint64 generation)
{
    const Outcome out = watcher->result();
    if (watcher == m_watcher) m_watcher = nullptr;
    watcher->deleteLater();
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
