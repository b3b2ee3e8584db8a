#pragma once

#include <QList>
#include <QObject>
#include <QString>

#include "batchtypes/BatchType.h"
#include "store/BatchResult.h"
#include "store/ItemImporter.h"
#include "store/ResultExport.h"
#include "store/ResultStore.h"

class QThread;

namespace batchdeck {

// What the submit dialog asks for. Items are imported on the engine thread, only when the operator
// confirms, and before the submit.
struct SubmitRequest
{
    QString runId;
    QString batchType;
    QString itemsPath; // items to import into the run first; empty: the run's items as they are
    ItemFormat itemFormat = ItemFormat::Auto;
    QString keyField = QStringLiteral("id");
    QString requestFilePath; // a ready .jsonl request file, sent as it is instead of rendering the items
};

enum class ActionKind
{
    Submit,
    Retry,
    Cancel,
    Process,
    Export,
};

// How an action ended, sent back to the GUI thread by value.
struct ActionOutcome
{
    quint64 actionId = 0;
    ActionKind kind = ActionKind::Submit;
    qint64 jobId = 0; // the job acted on; 0 when none came to be
    QString runId;
    QString batchType;
    bool ok = false;
    QString message;   // what happened, or what went wrong, in a sentence
    QString errorCode; // the engine's stable code when !ok ("job_not_ready", "provider_error", ...)
};

// A page of a job's results, for the Results tab.
struct ResultPage
{
    quint64 requestId = 0;
    qint64 jobId = 0;
    ResultFilter::Kind kind = ResultFilter::Kind::All;
    int offset = 0;
    QList<BatchResult> rows; // content cut to a preview length
    qint64 total = 0;        // results through the filter
    QString error;           // not empty: the page could not be read
};

// The first request lines of a job: as a submit renders them now, or (inputFileId set) as they were
// sent, read back from the file the provider holds.
struct RequestPreviewPage
{
    quint64 requestId = 0;
    QString runId;
    QString batchType;
    QString inputFileId; // not empty: the lines are the head of this uploaded file
    QList<QByteArray> lines;
    qint64 total = 0; // the rendered requests, or the file's lines when it was read whole; -1 unknown
    QString error;
};

// The operator's actions and the reads that go with them, run away from the GUI thread by the
// engine's own thread (app/ implements it over the AppEngine: BatchService, provider, poller). Every
// call returns at once with an id; the answer comes by signal with the same id. ui/ only knows this
// interface, so the window works over any engine and tests can run the real one.
class ConsoleActions : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~ConsoleActions() override = default;

    // True once the engine is up (started() was emitted); actions before that fail at once.
    virtual bool isReady() const = 0;
    virtual QList<BatchType> batchTypes() const = 0; // known once ready
    virtual QString actor() const = 0;               // who the actions are recorded as
    virtual bool isDemo() const = 0;
    // The thread the engine (BatchService, provider, database connection) runs on, and the thread its
    // BatchService object lives in; both differ from the GUI thread.
    virtual QThread* engineThread() const = 0;
    virtual QThread* serviceThread() const = 0;

    virtual quint64 submit(const SubmitRequest& request) = 0;
    virtual quint64 retry(const QString& runId, const QString& batchType, const QString& reason) = 0;
    virtual quint64 cancel(const QString& runId, const QString& batchType, const QString& reason) = 0;
    // `harvest`: a SUBMISSION_FAILED job whose expired or cancelled batch has output.
    virtual quint64 process(const QString& runId, const QString& batchType, bool harvest) = 0;
    virtual quint64 exportResults(qint64 jobId, const QString& path, ExportFormat format, ResultFilter::Kind kind) = 0;

    virtual quint64 loadResults(qint64 jobId, ResultFilter::Kind kind, int offset, int limit) = 0;
    virtual quint64 loadRequestPreview(const QString& runId, const QString& batchType, int limit) = 0;
    // The first `limit` lines of the request file a job sent (`inputFileId`), read from the provider
    // without downloading the whole file. Answered by requestPreviewLoaded.
    virtual quint64
    loadSentRequests(const QString& runId, const QString& batchType, const QString& inputFileId, int limit) = 0;

Q_SIGNALS:
    void started();
    void startFailed(const QString& message);
    void actionFinished(const batchdeck::ActionOutcome& outcome);
    void resultsLoaded(const batchdeck::ResultPage& page);
    void requestPreviewLoaded(const batchdeck::RequestPreviewPage& page);
};

QString actionName(ActionKind kind); // "Submit", "Retry", ... for messages

} // namespace batchdeck

Q_DECLARE_METATYPE(batchdeck::ActionOutcome)
Q_DECLARE_METATYPE(batchdeck::ResultPage)
Q_DECLARE_METATYPE(batchdeck::RequestPreviewPage)
