#include "store/writer.hpp"

#include "store/audit.hpp"
#include "store/schema.hpp"

#include <sqlite3.h>

#include <chrono>
#include <future>

namespace signoff::store {

namespace {
constexpr std::size_t max_batch = 2048;

}  // namespace

writer::writer(std::string const& path, std::string const& synchronous, std::string const& audit_key)
    : db_(path, sqlite::open_options{.read_only = false, .synchronous = synchronous}),
      checkpoints_(path, synchronous) {
    // Room for the upper levels of the big indexes (outbox, events) and a batch's pages, so a
    // busy batch reads few pages back from the OS; 8 MiB of the 64 the server may use under load.
    db_.exec("PRAGMA cache_size = -8192");
    migrate(db_);
    checkpoints_.attach(db_);
    tip_ = load_chain_tip(db_, audit_key);
    thread_ = std::thread([this] { run(); });
}

writer::~writer() { stop(); }

void writer::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !thread_.joinable()) return;
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void writer::on_commit(std::function<void()> callback) {
    std::lock_guard lock(mutex_);
    on_commit_ = std::move(callback);
}

void writer::on_batch(std::function<void(std::size_t, double)> callback) {
    std::lock_guard lock(mutex_);
    on_batch_ = std::move(callback);
}

void writer::on_idle(std::chrono::milliseconds after, std::function<void()> callback) {
    {
        std::lock_guard lock(mutex_);
        idle_after_ = after;
        on_idle_ = std::move(callback);
    }
    wake_.notify_all();  // a writer already asleep starts counting the quiet spell now
}

writer_stats writer::stats() const {
    std::lock_guard lock(mutex_);
    auto out = stats_;
    out.checkpoints = checkpoints_.stats();
    return out;
}

void writer::enqueue(job_fn job, std::unique_ptr<completion_base> done) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            done->complete(std::make_exception_ptr(store_error("the store is shutting down")));
            return;
        }
        queue_.push_back({std::move(job), std::move(done), nullptr});
    }
    wake_.notify_one();
}

void writer::write_sync(job_fn job) {
    struct promise_completion final : completion_base {
        std::promise<void> promise;
        void complete(std::exception_ptr error) override {
            if (error) promise.set_exception(error);
            else promise.set_value();
        }
    };
    auto done = std::make_unique<promise_completion>();
    auto future = done->promise.get_future();
    enqueue(std::move(job), std::move(done));
    future.get();
}

void writer::run() {
    std::vector<queued> batch;
    bool worked_since_release = true;  // start-up's own reads count as work
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            auto const ready = [this] { return stopping_ || !queue_.empty(); };
            auto const may_release = [&] { return on_idle_ && worked_since_release; };
            if (may_release() && !wake_.wait_for(lock, idle_after_, ready)) {
                auto idle = on_idle_;
                ++stats_.idle_releases;
                lock.unlock();
                sqlite3_db_release_memory(db_.handle());
                idle();
                worked_since_release = false;
                continue;
            }
            wake_.wait(lock, [&] { return ready() || may_release(); });
            if (!ready()) continue;  // on_idle was set just now: the quiet spell counts from here
            if (queue_.empty()) return;  // stopping, and everything queued is done
            worked_since_release = true;
            if (queue_.size() <= max_batch) {
                batch.swap(queue_);
            } else {
                batch.assign(std::make_move_iterator(queue_.begin()),
                             std::make_move_iterator(queue_.begin() + max_batch));
                queue_.erase(queue_.begin(), queue_.begin() + max_batch);
            }
        }
        run_batch(batch);
        batch.clear();
    }
}

void writer::run_batch(std::vector<queued>& batch) {
    chain_tip const tip_before = tip_;
    bool outbox_changed = false;
    bool committed = false;
    double commit_seconds = 0;
    try {
        sqlite::transaction tx(db_);
        for (auto& item : batch) {
            chain_tip const tip_saved = tip_;
            db_.prepare("SAVEPOINT job").run();
            write_tx wtx{db_, tip_};
            try {
                item.job(wtx);
                db_.prepare("RELEASE job").run();
                outbox_changed = outbox_changed || wtx.outbox_changed;
            } catch (...) {
                item.error = std::current_exception();
                db_.prepare("ROLLBACK TO job").run();
                db_.prepare("RELEASE job").run();
                tip_ = tip_saved;
            }
        }
        auto commit_started = std::chrono::steady_clock::now();
        tx.commit();
        commit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - commit_started).count();
        committed = true;
    } catch (std::exception const& e) {
        tip_ = tip_before;
        outbox_changed = false;
        auto failure = std::make_exception_ptr(store_error(std::string("commit failed: ") + e.what()));
        for (auto& item : batch)
            if (!item.error) item.error = failure;
    }
    std::function<void()> notify;
    std::function<void(std::size_t, double)> observe;
    {
        std::lock_guard lock(mutex_);
        ++stats_.batches;
        stats_.jobs += batch.size();
        if (outbox_changed) notify = on_commit_;
        if (committed) observe = on_batch_;
    }
    if (observe) observe(batch.size(), commit_seconds);
    for (auto& item : batch) item.done->complete(item.error);
    if (notify) notify();
}

}  // namespace signoff::store
