// The engine facade the window talks to: start an analysis (load + diagnose)
// or refine the current one (another window or segment of the loaded data)
// on a worker thread; progress, finished, failed and cancelled arrive as
// queued signals carrying value types. A window is shown first as a quick
// preview on the loaded data (units first exposed in it), then exactly as
// srm-check --window counts it (the file read again in the background).
#pragma once

#include "srm/analysis.hpp"
#include "srm/diagnosis.hpp"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <optional>

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

private:
    struct Outcome {
        std::optional<srm::Report> report;
        std::shared_ptr<const srm::LoadedAnalysis> loaded;
        QString error;
        bool cancelled = false;
        bool exact_pending = false;  ///< a window preview: the exact count follows
    };
    using Job = std::function<Outcome(const std::function<void(double)>&, const std::atomic<bool>*)>;
    void run(Job job, bool announce = true);
    void runExactWindow();
    void onJobDone(QFutureWatcher<Outcome>* watcher, quint64 generation);

    srm::AnalysisRequest m_request;
    Refinement m_refinement;
    std::shared_ptr<const srm::LoadedAnalysis> m_loaded;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QFutureWatcher<Outcome>* m_watcher = nullptr;
    quint64 m_generation = 0;
};

}  // namespace srmui

Q_DECLARE_METATYPE(srm::Refinement)
