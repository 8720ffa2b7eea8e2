#include "analysisengine.h"

#include <QPointer>
#include <QtConcurrent>

namespace srmui {

namespace {
int registerTypes()
{
    qRegisterMetaType<srm::Report>();
    qRegisterMetaType<srmui::Refinement>();
    return 0;
}
const int kRegistered = registerTypes();

QString describe(const srm::InputError& e)
{
    return e.line() > 0 ? QObject::tr("Line %1: %2").arg(e.line()).arg(QString::fromStdString(e.what()))
                        : QString::fromStdString(e.what());
}

srm::DiagnosisOptions refined(srm::DiagnosisOptions options, const srm::Dataset& ds, const Refinement& r)
{
    if (r.window) {
        options.window_start = r.window->first;
        options.window_end = r.window->second;
    }
    if (r.segment) {
        options.segment = srm::find_segment(ds, r.segment->first, r.segment->second);
        if (!options.segment)
            throw srm::InputError("the data has no segment " + r.segment->first + " = " + r.segment->second);
    }
    return options;
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
    m_dataset.reset();
    run([request](const std::function<void(double)>& progress, const std::atomic<bool>* cancel) {
        Outcome out;
        if (!request.file) {
            out.report = srm::analyse(request, progress, cancel);
            return out;
        }
        const srm::DiagnosisOptions options = srm::diagnosis_options(request);
        srm::LoadOptions load = request.load;
        load.cancel = cancel;
        load.progress = [&](double f) { progress(0.95 * f); };
        auto ds = std::make_shared<const srm::Dataset>(srm::load_csv(*request.file, load));
        out.report = srm::diagnose_dataset(*ds, options);
        out.dataset = std::move(ds);
        progress(1.0);
        return out;
    });
}

void AnalysisEngine::refine(const Refinement& refinement)
{
    if (!m_dataset) return;
    m_refinement = refinement;
    auto ds = m_dataset;
    const auto request = m_request;
    run([ds, request, refinement](const std::function<void(double)>& progress, const std::atomic<bool>*) {
        Outcome out;
        out.report = srm::diagnose_dataset(*ds, refined(srm::diagnosis_options(request), *ds, refinement));
        out.dataset = ds;
        progress(1.0);
        return out;
    });
}

void AnalysisEngine::run(Job job)
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
    emit started();
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
        if (out.dataset) m_dataset = out.dataset;
        emit finished(*out.report);
    } else {
        emit failed(out.error);
    }
}

}  // namespace srmui
