// The engine facade the window talks to: start/cancel an analysis on a worker
// thread; progress, finished, failed and cancelled arrive as queued signals
// carrying value types.
#pragma once

#include "srm/analysis.hpp"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <optional>

Q_DECLARE_METATYPE(srm::Report)

namespace srmui {

class AnalysisEngine : public QObject {
    Q_OBJECT

public:
    explicit AnalysisEngine(QObject* parent = nullptr);
    ~AnalysisEngine() override;

    bool isRunning() const;
    /// The request of the last started analysis (for sessions and re-runs).
    const srm::AnalysisRequest& lastRequest() const { return m_request; }

public slots:
    /// Starts an analysis; a running one is cancelled and its result dropped.
    void start(const srm::AnalysisRequest& request);
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
        QString error;
        bool cancelled = false;
    };
    void onJobDone(QFutureWatcher<Outcome>* watcher, quint64 generation);

    srm::AnalysisRequest m_request;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QFutureWatcher<Outcome>* m_watcher = nullptr;
    quint64 m_generation = 0;
};

}  // namespace srmui
