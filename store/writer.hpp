#pragma once
// The single writer with group commit: jobs from any thread queue up, a dedicated thread runs
// everything queued so far inside one transaction (each job in its own savepoint, so one
// failing job rolls back alone) and commits once, then completes every job. A caller is told
// of success only after its batch is durable.

#include "store/checkpointer.hpp"
#include "store/sqlite.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace signoff::store {

// The last event of the audit chain, as seen inside the writer, and how the next one is hashed
// (store/audit.hpp).
struct chain_tip {
    std::int64_t last_id = 0;
    std::string hash;   // hex; 64 zeros before the first event
    std::string key;    // audit.key; empty: no key (events stay plain SHA-256)
    bool keyed = false; // the chain has its chain_keyed event: every later event is HMAC-SHA256 under key
};

// What a job sees: the writer's connection inside the open transaction.
struct write_tx {
    sqlite::database& db;
    chain_tip& tip;
    bool outbox_changed = false;  // set by outbox writes, so the dispatcher is woken after commit
};

using job_fn = std::function<void(write_tx&)>;

struct writer_stats {
    std::uint64_t batches = 0;
    std::uint64_t jobs = 0;
    std::uint64_t idle_releases = 0;  // times the writer gave its page cache back after a quiet spell
    checkpoint_stats checkpoints;
};

class writer {
public:
    // audit_key: the key of the audit chain (store::load_chain_tip says when it does not fit the store).
    writer(std::string const& path, std::string const& synchronous, std::string const& audit_key = {});
    ~writer();  // finishes queued jobs, then stops the thread
    writer(writer const&) = delete;
    writer& operator=(writer const&) = delete;

    // Runs `job` in the next batch; resumes after commit, rethrowing the job's exception
    // (the job's changes are then rolled back) or a store_error when the commit failed.
    template <class CompletionToken = boost::asio::use_awaitable_t<>>
    auto write(job_fn job, CompletionToken&& token = {}) {
        return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr)>(
            [this](auto handler, job_fn job) {
                enqueue(std::move(job), std::make_unique<completion<decltype(handler)>>(std::move(handler)));
            },
            token, std::move(job));
    }

    void write_sync(job_fn job);  // blocking form, for the command line and tests
    void on_commit(std::function<void()> callback);  // called on the writer thread after a batch touching the outbox
    // Called on the writer thread after every committed batch with its job count and the time
    // COMMIT took (fsync included), for the metrics. Set it before the first write.
    void on_batch(std::function<void(std::size_t jobs, double commit_seconds)> callback);
    // Once no job has come for `after` since the last one, the writer frees its connection's
    // page cache and then calls `callback` on its thread (the server frees the readers' caches
    // and trims the heap there), so a quiet server holds only what it uses. Once per quiet spell.
    void on_idle(std::chrono::milliseconds after, std::function<void()> callback);
    writer_stats stats() const;
    void stop();

private:
    struct completion_base {
        virtual ~completion_base() = default;
        virtual void complete(std::exception_ptr error) = 0;
    };
    template <class Handler>
    struct completion final : completion_base {
        explicit completion(Handler h)
            : handler(std::move(h)), guard(boost::asio::make_work_guard(boost::asio::get_associated_executor(handler))) {}
        void complete(std::exception_ptr error) override {
            auto ex = boost::asio::get_associated_executor(handler);
            boost::asio::post(ex, [h = std::move(handler), error]() mutable { std::move(h)(error); });
            guard.reset();
        }
        Handler handler;
        boost::asio::executor_work_guard<boost::asio::associated_executor_t<Handler>> guard;
    };
    struct queued {
        job_fn job;
        std::unique_ptr<completion_base> done;
        std::exception_ptr error;
    };

    void enqueue(job_fn job, std::unique_ptr<completion_base> done);
    void run();
    void run_batch(std::vector<queued>& batch);

    sqlite::database db_;
    checkpointer checkpoints_;  // after db_: gone before the connection whose hook points at it
    chain_tip tip_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<queued> queue_;
    bool stopping_ = false;
    writer_stats stats_;
    std::function<void()> on_commit_;
    std::function<void(std::size_t, double)> on_batch_;
    std::chrono::milliseconds idle_after_{0};
    std::function<void()> on_idle_;
    std::thread thread_;
};

}  // namespace signoff::store
