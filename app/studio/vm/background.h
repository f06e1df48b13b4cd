// vm/background.h — run a blocking function on the global thread pool and get its result back on
// the thread of a context object (the UI thread), so the window never freezes. QtCore only.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <memory>

namespace cxr::studio {

// Runs work() on QThreadPool::globalInstance(); calls done(result) on context's thread when it
// returns, unless context was destroyed first. T must be copyable (wrap large results in shared_ptr).
template <typename T>
void run_in_background(QObject* context, std::function<T()> work, std::function<void(const T&)> done) {
  auto* watcher = new QFutureWatcher<T>(context);
  QObject::connect(watcher, &QFutureWatcher<T>::finished, context, [watcher, done = std::move(done)] {
    done(watcher->result());
    watcher->deleteLater();
  });
  watcher->setFuture(QtConcurrent::run(std::move(work)));
}

}  // namespace cxr::studio
