#include "analysisengine.h"

#include <QPointer>
#include <QtConcurrent>

namespace srmui {

namespace {
int registerTypes()
{
    qRegisterMetaType<srm::Report>();
    return 0;
}
const int kRegistered = registerTypes();
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
    if (m_cancel) m_cancel->store(true);  // the previous job's result will be dropped
    m_request = request;
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
    connect(watcher, &QFutureWatcher<Outcome>::finished, this,
            [this, watcher, generation] { onJobDone(watcher, generation); });
    watcher->setFuture(QtConcurrent::run([request, cancel, progress]() -> Outcome {
        Outcome out;
        try {
            out.report = srm::analyse(request, progress, cancel.get());
        } catch (const srm::Cancelled&) {
            out.cancelled = true;
        } catch (const srm::InputError& e) {
            out.error = e.line() > 0 ? QObject::tr("Line %1: %2").arg(e.line()).arg(QString::fromStdString(e.what()))
                                     : QString::fromStdString(e.what());
        } catch (const std::exception& e) {
            out.error = QObject::tr("Internal error: %1").arg(QString::fromStdString(e.what()));
        }
        return out;
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
    if (generation != m_generation) return;  // superseded by a newer start()
    if (out.cancelled) {
        emit cancelled();
    } else if (out.report) {
        emit finished(*out.report);
    } else {
        emit failed(out.error);
    }
}

}  // namespace srmui
