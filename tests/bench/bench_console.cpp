// The console's speed: a poll tick over 10,000 jobs with 100 changed (the GUI thread's share), and
// opening the window on 100,000 jobs. Prints a table; not a timed test (machines differ).
//   bench_console [--jobs 10000] [--changed 100] [--rounds 50] [--open 100000] [--open-runs 3] [--json FILE]
// --json writes the main figures in bench_engine's report shape, for tests/bench/report.py.
#include <algorithm>
#include <numeric>

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include "BenchTable.h"
#include "ConsoleFixtures.h"
#include "JobFilterProxyModel.h"
#include "JobTableModel.h"
#include "MainWindow.h"
#include "PollController.h"
#include "store/Database.h"

using namespace batchdeck;

namespace {

struct Row
{
    QString what;
    QString value;
};

bench::Figure figure(const QString& key, const QString& label, const QList<double>& values)
{
    bench::Figure result;
    result.key = key;
    result.label = label;
    result.unit = QStringLiteral("ms");
    result.ours.values = values;
    return result;
}

QString ms(double value)
{
    return QStringLiteral("%1 ms").arg(value, 0, 'f', value < 10 ? 2 : 1);
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(values.size() / 2);
}

double percentile95(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.isEmpty() ? 0 : values.at(std::min<qsizetype>(values.size() - 1, values.size() * 95 / 100));
}

double maximum(const QList<double>& values)
{
    return values.isEmpty() ? 0 : *std::max_element(values.begin(), values.end());
}

void printTable(const QList<Row>& rows)
{
    QTextStream out(stdout);
    int width = 0;
    for (const Row& row : rows)
        width = std::max(width, int(row.what.size()));
    out << QStringLiteral("%1  %2\n").arg(QStringLiteral("measurement"), -width).arg(QStringLiteral("value"));
    out << QString(width + 14, QLatin1Char('-')) << '\n';
    for (const Row& row : rows)
        out << QStringLiteral("%1  %2\n").arg(row.what, -width).arg(row.value);
}

std::shared_ptr<Database> seededDatabase(const QTemporaryDir& dir, const QString& name, int jobs, qint64 now)
{
    auto database = Database::open(QStringLiteral("sqlite://") + dir.filePath(name));
    if (!database)
        qFatal("%s", qPrintable(database.error().message));
    test::seedJobs(**database, jobs, now);
    return *database;
}

// The model, the proxy and a shown view, as in the window; only the merge is timed.
void benchModelMerge(int jobs, int changed, int rounds, QList<Row>& rows)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    JobTableModel model;
    JobFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QTableView view;
    view.setModel(&proxy);
    view.setSortingEnabled(true);
    view.sortByColumn(JobTableModel::UpdatedColumn, Qt::AscendingOrder);
    view.resize(1400, 600);
    view.show();
    (void)QTest::qWaitForWindowExposed(&view);
    QList<JobSnapshot> all = test::syntheticJobs(jobs, now);
    model.merge(all);
    QCoreApplication::processEvents();

    QList<double> mergeTimes;
    QList<double> paintTimes;
    for (int round = 1; round <= rounds; ++round) {
        QList<JobSnapshot> delta;
        QList<int> picked;
        while (picked.size() < changed) {
            const int row = int(QRandomGenerator::global()->bounded(jobs));
            if (!picked.contains(row))
                picked.append(row);
        }
        for (int row : std::as_const(picked)) {
            JobSnapshot job = model.jobAt(row);
            job.requestCompleted += 1;
            job.updatedAt = now + round * 1000;
            delta.append(job);
        }
        QElapsedTimer timer;
        timer.start();
        model.merge(delta);
        mergeTimes.append(timer.nsecsElapsed() / 1e6);
        timer.restart();
        view.viewport()->repaint();
        QCoreApplication::processEvents();
        paintTimes.append(timer.nsecsElapsed() / 1e6);
    }
    const QString label = QStringLiteral("tick, %1 of %2 jobs changed").arg(changed).arg(jobs);
    rows.append({label + QStringLiteral(": model + proxy merge (median)"), ms(median(mergeTimes))});
    rows.append({label + QStringLiteral(": model + proxy merge (95th percentile)"), ms(percentile95(mergeTimes))});
    rows.append({label + QStringLiteral(": model + proxy merge (max)"), ms(maximum(mergeTimes))});
    rows.append({label + QStringLiteral(": repaint of the visible rows (median)"), ms(median(paintTimes))});
}

// The whole path: another connection changes jobs, the controller's thread reads, the window merges.
void benchWindowTick(
    const QTemporaryDir& dir, int jobs, int changed, int rounds, QList<Row>& rows, QList<bench::Figure>& figures)
{
    const qint64 start = QDateTime::currentMSecsSinceEpoch() - 3'600'000;
    auto database = seededDatabase(dir, QStringLiteral("tick.db"), jobs, start);
    auto writer = Database::open(database->url());
    if (!writer)
        qFatal("%s", qPrintable(writer.error().message));
    QSettings settings(dir.filePath(QStringLiteral("tick.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("poll/intervalSeconds"), 0);
    PollController poll(database, settings);
    QElapsedTimer gui;
    QObject::connect(&poll, &PollController::polled, &poll, [&gui] { gui.start(); });
    MainWindow window(ConsoleContext{database, database->url().redacted(), false}, poll, settings);
    QList<double> guiTimes;
    QList<double> readTimes;
    QObject::connect(&poll, &PollController::polled, &poll, [&](const PollResult& result) {
        guiTimes.append(gui.nsecsElapsed() / 1e6);
        readTimes.append(double(result.readMs));
    });
    window.resize(1400, 900);
    window.show();
    (void)QTest::qWaitForWindowExposed(&window);
    QSignalSpy polled(&poll, &PollController::polled);
    poll.start();
    if (!polled.wait(60'000))
        qFatal("no first poll");
    guiTimes.clear();
    readTimes.clear();

    for (int round = 1; round <= rounds; ++round) {
        QList<qint64> ids;
        while (ids.size() < changed) {
            const qint64 id = 1 + QRandomGenerator::global()->bounded(jobs);
            if (!ids.contains(id))
                ids.append(id);
        }
        test::touchJobs(**writer, ids, QDateTime::currentMSecsSinceEpoch());
        poll.tick();
        if (!polled.wait(60'000))
            qFatal("no poll result");
    }
    const QString label = QStringLiteral("tick through the controller, %1 of %2 changed").arg(changed).arg(jobs);
    rows.append({label + QStringLiteral(": GUI thread (median)"), ms(median(guiTimes))});
    rows.append({label + QStringLiteral(": GUI thread (95th percentile)"), ms(percentile95(guiTimes))});
    rows.append({label + QStringLiteral(": GUI thread (max)"), ms(maximum(guiTimes))});
    rows.append({label + QStringLiteral(": database read, feed thread (median)"), ms(median(readTimes))});
    figures.append(figure(QStringLiteral("console_tick_gui_ms"),
                          QStringLiteral("console poll tick, %1 of %2 jobs changed: GUI thread").arg(changed).arg(jobs),
                          guiTimes));
    figures.append(figure(
        QStringLiteral("console_tick_read_ms"),
        QStringLiteral("console poll tick, %1 of %2 jobs changed: database read (feed thread)").arg(changed).arg(jobs),
        readTimes));
}

struct OpenTimes
{
    QList<double> usable; // the newest jobs listed and painted
    QList<double> all;    // every job listed and painted
};

void benchOpen(const QTemporaryDir& dir, int jobs, int run, QList<Row>& rows, OpenTimes& times)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer seeding;
    seeding.start();
    auto database = seededDatabase(dir, QStringLiteral("open-%1.db").arg(run), jobs, now);
    rows.append({QStringLiteral("seeding %1 jobs (setup, not the console)").arg(jobs), ms(seeding.elapsed())});

    QSettings settings(dir.filePath(QStringLiteral("open-%1.ini").arg(run)), QSettings::IniFormat);
    QElapsedTimer total;
    total.start();
    PollController poll(database, settings);
    QElapsedTimer gui;
    QList<PollResult> results;
    QList<double> guiTimes;
    QList<double> doneAt;
    QObject::connect(&poll, &PollController::polled, &poll, [&gui] { gui.start(); });
    MainWindow window(ConsoleContext{database, database->url().redacted(), false}, poll, settings);
    QObject::connect(&poll, &PollController::polled, &poll, [&](const PollResult& result) {
        guiTimes.append(gui.nsecsElapsed() / 1e6);
        results.append(result);
        window.repaint(); // what the operator sees now
        doneAt.append(total.nsecsElapsed() / 1e6);
    });
    window.resize(1400, 900);
    window.show();
    poll.start();
    (void)QTest::qWaitForWindowExposed(&window);
    const double shown = total.nsecsElapsed() / 1e6;
    QTRY_VERIFY_WITH_TIMEOUT(!results.isEmpty() && !results.last().partial, 120'000);
    if (window.jobModel()->rowCount() != jobs)
        qFatal("the window shows %d jobs, not %d", window.jobModel()->rowCount(), jobs);

    times.usable.append(doneAt.first());
    times.all.append(doneAt.last());
    const QString label = QStringLiteral("open on %1 jobs").arg(jobs);
    rows.append({label + QStringLiteral(": window on screen (empty tables)"), ms(shown)});
    if (results.first().partial) {
        rows.append(
            {label + QStringLiteral(": newest %1 jobs listed and painted (usable)").arg(results.first().jobCount),
             ms(doneAt.first())});
        rows.append({label + QStringLiteral(":   of which their database read, feed thread"),
                     ms(double(results.first().readMs))});
        rows.append({label + QStringLiteral(":   of which their merge, GUI thread"), ms(guiTimes.first())});
    }
    rows.append({label + QStringLiteral(": every job listed and painted"), ms(doneAt.last())});
    rows.append({label + QStringLiteral(":   of which the full database read, feed thread"),
                 ms(double(results.last().readMs))});
    rows.append({label + QStringLiteral(":   GUI thread, all %1 deliveries together").arg(results.size()),
                 ms(std::accumulate(guiTimes.cbegin(), guiTimes.cend(), 0.0))});
    rows.append({label + QStringLiteral(":   GUI thread, longest single delivery"), ms(maximum(guiTimes))});

    // A periodic full read of the same jobs: the feed thread compares, the GUI thread gets nothing.
    results.clear();
    guiTimes.clear();
    poll.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!results.isEmpty(), 120'000);
    rows.append({QStringLiteral("full re-read of %1 unchanged jobs: feed thread").arg(jobs),
                 ms(double(results.last().readMs))});
    rows.append({QStringLiteral("full re-read of %1 unchanged jobs: GUI thread").arg(jobs), ms(guiTimes.last())});
}

} // namespace

int main(int argc, char* argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption jobs(QStringLiteral("jobs"),
                                  QStringLiteral("Jobs in the tick benchmark."),
                                  QStringLiteral("n"),
                                  QStringLiteral("10000"));
    const QCommandLineOption changed(QStringLiteral("changed"),
                                     QStringLiteral("Jobs changed per tick."),
                                     QStringLiteral("n"),
                                     QStringLiteral("100"));
    const QCommandLineOption rounds(
        QStringLiteral("rounds"), QStringLiteral("Ticks measured."), QStringLiteral("n"), QStringLiteral("50"));
    const QCommandLineOption open(QStringLiteral("open"),
                                  QStringLiteral("Jobs in the opening benchmark."),
                                  QStringLiteral("n"),
                                  QStringLiteral("100000"));
    const QCommandLineOption openRuns(QStringLiteral("open-runs"),
                                      QStringLiteral("Times the opening benchmark runs (a fresh database each)."),
                                      QStringLiteral("n"),
                                      QStringLiteral("3"));
    const QCommandLineOption json(
        QStringLiteral("json"), QStringLiteral("Where to write the JSON report."), QStringLiteral("file"));
    parser.addOptions({jobs, changed, rounds, open, openRuns, json});
    parser.process(app);

    QTemporaryDir dir;
    QList<Row> rows;
    QList<bench::Figure> figures;
    benchModelMerge(parser.value(jobs).toInt(), parser.value(changed).toInt(), parser.value(rounds).toInt(), rows);
    benchWindowTick(
        dir, parser.value(jobs).toInt(), parser.value(changed).toInt(), parser.value(rounds).toInt(), rows, figures);
    OpenTimes openTimes;
    const int openJobs = parser.value(open).toInt();
    for (int run = 1; run <= std::max(1, parser.value(openRuns).toInt()); ++run) {
        QList<Row> runRows; // every run measures the same; the table shows the last one
        benchOpen(dir, openJobs, run, runRows, openTimes);
        if (run == std::max(1, parser.value(openRuns).toInt()))
            rows.append(runRows);
    }
    figures.append(figure(QStringLiteral("console_open_usable_ms"),
                          QStringLiteral("console start on %1 jobs: newest jobs listed and painted").arg(openJobs),
                          openTimes.usable));
    figures.append(figure(QStringLiteral("console_open_all_ms"),
                          QStringLiteral("console start on %1 jobs: every job listed").arg(openJobs),
                          openTimes.all));
    printTable(rows);

    if (parser.isSet(json)) {
        bench::Report report;
        report.title = QStringLiteral("console");
        report.setup = bench::machineDescription();
        report.figures = figures;
        QFile file(parser.value(json));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(file.fileName()));
        file.write(QJsonDocument(report.toJson()).toJson());
    }
    return 0;
}
