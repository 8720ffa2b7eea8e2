// The engine facade the window talks to: start an analysis (load + diagnose)
// or refine the current one (another window or segment of the loaded data)
// on a worker thread; progress, finished, failed and cancelled arrive as
// queued signals carrying value types. A window is shown first as a quick
// preview on the loaded data (units first exposed in it), then exactly as
// srm-check --window counts it (the file read again in the background).
#pragma once

#include "srm/analysis.hpp"
#include "srm/diagnosis.hpp"

#include <QObject>
#include <QString>
#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

Q_DECLARE_METATYPE(srm::Report)

namespace srmui {

/// A window and/or segment of the loaded units (the core's type).
using Refinement = srm::Refinement;

class AnalysisEngine : public QObject {
    Q_OBJECT

public:
    explicit AnalysisEngine(QObject* parent = nullptr);
    ~AnalysisEngine() override;

    bool isRunning() const;
    const srm::AnalysisRequest& request() const { return m_request; }
    const Refinement& refinement() const { return m_refinement; }
    /// Whether a dataset is loaded (refine() works on it).
    bool hasData() const { return m_loaded != nullptr; }

public slots:
    /// Loads and diagnoses; a running job is cancelled and its result dropped.
    void start(const srm::AnalysisRequest& request);
    /// Diagnoses the loaded data again for a window and/or segment (a
    /// window: a preview first, then the exact count).
    void refine(const srm::Refinement& refinement);
    void cancel();

signals:
    void started();
    /// The exact count of a window is being read (the preview is shown).
    void refining();
    void progressChanged(double fraction);
    void finished(const srm::Report& report);
    void failed(const QString& message);
    void cancelled();

private slots:
    // Queued from a job's thread (by name, so that Qt makes no copy of a
    // functor across threads); `generation` tells which job.
    void onJobProgress(quint64 generation, double fraction);
    void onJobDone(quint64 generation);

private:
    struct Outcome {
        std::optional<srm::Report> report;
        std::shared_ptr<const srm::LoadedAnalysis> loaded;
        QString error;
        bool cancelled = false;
        bool exact_pending = false;  ///< a window preview: the exact count follows
    };
    using Job = std::function<Outcome(const std::function<void(double)>&, const std::atomic<bool>*)>;
    /// One job on its own thread. The outcome is handed over under the mutex
    /// and the thread is joined when it is taken, so every hand-off is one
    /// the standard library (and ThreadSanitizer) can see.
    struct Running {
        quint64 generation = 0;
        std::atomic<bool> cancel{false};
        std::mutex mutex;
        std::optional<Outcome> outcome;  ///< set once, under mutex, when the job ends
        std::thread thread;
    };
    void run(Job job, bool announce = true);
    void runExactWindow();

    srm::AnalysisRequest m_request;
    Refinement m_refinement;
    std::shared_ptr<const srm::LoadedAnalysis> m_loaded;
    std::list<Running> m_jobs;  ///< the current job last; superseded ones until they end
    quint64 m_generation = 0;
};

}  // namespace srmui

Q_DECLARE_METATYPE(srm::Refinement)
