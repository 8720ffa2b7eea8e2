// The engine facade the window talks to: start an analysis (load + diagnose)
// or refine the current one (another window or segment on the loaded data)
// on a worker thread; progress, finished, failed and cancelled arrive as
// queued signals carrying value types.
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

/// A refinement of the loaded analysis: only units first exposed in the
/// window (seconds, UTC) and/or of one segment (dimension, value).
struct Refinement {
    std::optional<std::pair<std::int64_t, std::int64_t>> window;
    std::optional<std::pair<std::string, std::string>> segment;
    bool operator==(const Refinement&) const = default;
};

class AnalysisEngine : public QObject {
    Q_OBJECT

public:
    explicit AnalysisEngine(QObject* parent = nullptr);
    ~AnalysisEngine() override;

    bool isRunning() const;
    const srm::AnalysisRequest& request() const { return m_request; }
    const Refinement& refinement() const { return m_refinement; }
    /// Whether a dataset is loaded (refine() works on it).
    bool hasData() const { return m_dataset != nullptr; }

public slots:
    /// Loads and diagnoses; a running job is cancelled and its result dropped.
    void start(const srm::AnalysisRequest& request);
    /// Diagnoses the loaded data again for a window and/or segment.
    void refine(const srmui::Refinement& refinement);
    void cancel();

signals:
    void started();
    void progressChanged(double fraction);
    void finished(const srm::Report& report);
    void failed(const QString& message);
    void cancelled();

private:
    struct Outcome {
        std::optional<srm::Report> report;
        std::shared_ptr<const srm::Dataset> dataset;
        QString error;
        bool cancelled = false;
    };
    using Job = std::function<Outcome(const std::function<void(double)>&, const std::atomic<bool>*)>;
    void run(Job job);
    void onJobDone(QFutureWatcher<Outcome>* watcher, quint64 generation);

    srm::AnalysisRequest m_request;
    Refinement m_refinement;
    std::shared_ptr<const srm::Dataset> m_dataset;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QFutureWatcher<Outcome>* m_watcher = nullptr;
    quint64 m_generation = 0;
};

}  // namespace srmui

Q_DECLARE_METATYPE(srmui::Refinement)
