// Storage + verification SCP on the DCMTK ASC_/DIMSE_ API (PS3.7 9.1.1 C-STORE, 9.1.5 C-ECHO).
//
// Threads: one accept thread polls for association requests (1 s timeout so stop() is prompt); each
// accepted association runs on its own detached worker, counted in active_; at most max_associations
// run at once, further requests are rejected with "local limit exceeded" (PS3.8 7.1.1.9).
#include "net_internal.h"

#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/dimse.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

namespace cxr::dicom::net {
namespace {

using detail::check;

class StoreScpImpl;

std::string trim(const char* text) {
  std::string s(text);
  auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

// State of one C-STORE while DIMSE_storeProvider receives it; read by the progress callback.
struct StoreContext {
  StoreScpImpl* scp = nullptr;
  DcmFileFormat* file = nullptr;
  std::string calling_ae;
};

class StoreScpImpl final : public StoreScp {
 public:
  StoreScpImpl(ScpConfig config, StoreSink* sink, NetEventCallback on_event)
      : config_(std::move(config)), sink_(sink), on_event_(std::move(on_event)) {
    if (config_.accepted_classes.empty()) config_.accepted_classes = default_storage_classes();
  }

  ~StoreScpImpl() override { stop(0); }

  void open() {
    detail::quiet_dcmtk_network_log();
    if (config_.storage_dir.empty()) throw Exception(ErrorCode::kInvalidArgument, "SCP storage_dir is not set");
    if (config_.max_associations < 1) throw Exception(ErrorCode::kInvalidArgument, "max_associations must be >= 1");
    std::filesystem::create_directories(config_.storage_dir);
    OFCondition cond = ASC_initializeNetwork(NET_ACCEPTOR, config_.port, config_.acse_timeout_s, &network_);
    if (cond.bad())
      throw Exception(ErrorCode::kNetwork, "cannot listen on port " + std::to_string(config_.port) + ": " +
                                               cond.text() + "; is another program using it?");
    if (config_.tls.enabled) {
      tls_ = detail::make_tls_layer(config_.tls, NET_ACCEPTOR);
      check(ASC_setTransportLayer(network_, tls_.get(), 0), "TLS transport layer");
    }
    accept_thread_ = std::thread([this] { accept_loop(); });
  }

  void stop(int grace_s) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopped_) return;
      stopped_ = true;
    }
    stopping_ = true;
    if (accept_thread_.joinable()) accept_thread_.join();
    std::unique_lock<std::mutex> lock(mutex_);
    if (!idle_.wait_for(lock, std::chrono::seconds(grace_s), [&] { return active_ == 0; })) {
      abort_now_ = true;  // workers abort at their next poll (<= 1 s)
      idle_.wait(lock, [&] { return active_ == 0; });
    }
    lock.unlock();
    if (network_) ASC_dropNetwork(&network_);
  }

  ScpCounters counters() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return counters_;
  }

  int active_associations() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return active_;
  }

  // Called by the store callback once the data set is complete; returns the DIMSE status.
  uint16_t finish_store(StoreContext& ctx, T_DIMSE_C_StoreRQ& request) {
    DcmDataset* dataset = ctx.file->getDataset();
    StoredInstance instance;
    instance.calling_ae = ctx.calling_ae;
    try {
      detail::read_identity(*dataset, instance);
    } catch (const Exception& e) {
      emit("warn", "store_rejected", e.what(), ctx.calling_ae);
      count([](ScpCounters& c) { ++c.instances_failed; });
      return STATUS_STORE_Error_CannotUnderstand;
    }
    if (instance.sop_class_uid != request.AffectedSOPClassUID ||
        instance.sop_instance_uid != request.AffectedSOPInstanceUID) {
      emit("warn", "store_rejected", "data set UIDs differ from the C-STORE request", ctx.calling_ae);
      count([](ScpCounters& c) { ++c.instances_failed; });
      return STATUS_STORE_Error_DataSetDoesNotMatchSOPClass;
    }
    try {
      instance.path = detail::instance_path(config_.storage_dir, instance.study_instance_uid, instance.sop_instance_uid);
      instance.bytes = detail::save_durably(*ctx.file, instance.path);
    } catch (const Exception& e) {
      emit("error", "store_failed", e.what(), ctx.calling_ae);
      count([](ScpCounters& c) { ++c.instances_failed; });
      return e.code() == ErrorCode::kCorruptData ? STATUS_STORE_Error_CannotUnderstand : STATUS_STORE_Refused_OutOfResources;
    }
    Status accepted = sink_ ? sink_->on_stored(instance) : Status::Ok();
    if (!accepted) {
      emit("error", "store_failed", "instance written but not queued: " + accepted.error().message, ctx.calling_ae);
      count([](ScpCounters& c) { ++c.instances_failed; });
      return STATUS_STORE_Refused_OutOfResources;
    }
    count([&](ScpCounters& c) { ++c.instances_stored; c.bytes_stored += instance.bytes; });
    return STATUS_Success;
  }

 private:
  template <typename Fn>
  void count(Fn&& fn) {
    std::lock_guard<std::mutex> lock(mutex_);
    fn(counters_);
  }

  void emit(const char* level, const char* event, const std::string& message, const std::string& calling_ae = {},
            const std::string& host = {}) {
    if (on_event_) on_event_(NetEvent{level, event, message, calling_ae, host});
  }

  void accept_loop() {
    while (!stopping_) {
      T_ASC_Association* assoc = nullptr;
      OFCondition cond = ASC_receiveAssociation(network_, &assoc, ASC_DEFAULTMAXPDU, nullptr, nullptr,
                                                config_.tls.enabled ? OFTrue : OFFalse, DUL_NOBLOCK, 1);
      if (cond == DUL_NOASSOCIATIONREQUEST) {
        release(assoc);
        continue;
      }
      if (cond.bad()) {
        emit("warn", "association_failed", std::string("association request could not be read: ") + cond.text());
        count([](ScpCounters& c) { ++c.associations_rejected; });
        release(assoc);
        continue;
      }
      dispatch(assoc);
    }
  }

  static void release(T_ASC_Association*& assoc) {
    if (!assoc) return;
    ASC_dropSCPAssociation(assoc);
    ASC_destroyAssociation(&assoc);
  }

  void reject(T_ASC_Association*& assoc, T_ASC_RejectParametersResult result, T_ASC_RejectParametersReason reason,
              T_ASC_RejectParametersSource source, const std::string& why, const std::string& calling_ae) {
    count([](ScpCounters& c) { ++c.associations_rejected; });
    emit("warn", "association_rejected", why, calling_ae);
    T_ASC_RejectParameters rej{result, source, reason};
    ASC_rejectAssociation(assoc, &rej);
    release(assoc);
  }

  void dispatch(T_ASC_Association* assoc) {
    char calling[64] = {0}, called[64] = {0};
    ASC_getAPTitles(assoc->params, calling, sizeof calling, called, sizeof called, nullptr, 0);
    std::string calling_ae = trim(calling), called_ae = trim(called);
    const auto& allowed = config_.allowed_calling_aes;
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), calling_ae) == allowed.end()) {
      reject(assoc, ASC_RESULT_REJECTEDPERMANENT, ASC_REASON_SU_CALLINGAETITLENOTRECOGNIZED, ASC_SOURCE_SERVICEUSER,
             "calling AE title '" + calling_ae + "' is not in allowed_calling_aes", calling_ae);
      return;
    }
    if (called_ae != config_.ae_title) {
      reject(assoc, ASC_RESULT_REJECTEDPERMANENT, ASC_REASON_SU_CALLEDAETITLENOTRECOGNIZED, ASC_SOURCE_SERVICEUSER,
             "called AE title '" + called_ae + "' is not ours ('" + config_.ae_title + "')", calling_ae);
      return;
    }
    bool over_limit = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      over_limit = active_ >= config_.max_associations;
      if (!over_limit) ++active_;
    }
    if (over_limit) {
      reject(assoc, ASC_RESULT_REJECTEDTRANSIENT, ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED,
             ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED,
             "more than max_associations (" + std::to_string(config_.max_associations) + ") at once", calling_ae);
      return;
    }
    std::thread([this, assoc, calling_ae]() mutable {
      serve(assoc, calling_ae);
      std::lock_guard<std::mutex> lock(mutex_);
      --active_;
      idle_.notify_all();
    }).detach();
  }

  // Presentation contexts (PS3.8 9.3.2.2): Verification and the accepted storage classes. For each
  // context the first transfer syntax in the proposer's order that we support wins, so compressed
  // data arrives as it is stored at the sender and is never converted on the way.
  bool negotiate(T_ASC_Association* assoc) {
    auto syntaxes = detail::storage_transfer_syntaxes();
    const int count = ASC_countPresentationContexts(assoc->params);
    for (int i = 0; i < count; ++i) {
      T_ASC_PresentationContext pc;
      if (ASC_getPresentationContext(assoc->params, i, &pc).bad()) return false;
      const std::string abstract = pc.abstractSyntax;
      const bool verification = abstract == UID_VerificationSOPClass;
      const auto& classes = config_.accepted_classes;
      if (!verification && std::find(classes.begin(), classes.end(), abstract) == classes.end()) {
        ASC_refusePresentationContext(assoc->params, pc.presentationContextID, ASC_P_ABSTRACTSYNTAXNOTSUPPORTED);
        continue;
      }
      const char* chosen = nullptr;
      for (int t = 0; t < pc.transferSyntaxCount && !chosen; ++t) {
        for (const char* ours : syntaxes)
          if (std::string(pc.proposedTransferSyntaxes[t]) == ours) chosen = ours;
        if (verification && chosen && std::string(chosen) != UID_LittleEndianExplicitTransferSyntax &&
            std::string(chosen) != UID_LittleEndianImplicitTransferSyntax)
          chosen = nullptr;  // C-ECHO needs no compressed syntax
      }
      OFCondition cond = chosen ? ASC_acceptPresentationContext(assoc->params, pc.presentationContextID, chosen)
                                : ASC_refusePresentationContext(assoc->params, pc.presentationContextID,
                                                                ASC_P_TRANSFERSYNTAXESNOTSUPPORTED);
      if (cond.bad()) return false;
    }
    return true;
  }

  // Runs one association to its end. Owns assoc.
  void serve(T_ASC_Association* assoc, const std::string& calling_ae) {
    if (!negotiate(assoc) || ASC_acknowledgeAssociation(assoc).bad()) {
      emit("warn", "association_failed", "presentation context negotiation failed", calling_ae);
      release(assoc);
      return;
    }
    count([](ScpCounters& c) { ++c.associations_accepted; });
    emit("info", "association_accepted", "association accepted", calling_ae);
    int idle_s = 0;
    while (true) {
      if (abort_now_) {
        ASC_abortAssociation(assoc);
        emit("warn", "association_aborted", "aborted at shutdown after the grace period", calling_ae);
        break;
      }
      T_DIMSE_Message msg;
      T_ASC_PresentationContextID pres_id = 0;
      OFCondition cond = DIMSE_receiveCommand(assoc, DIMSE_NONBLOCKING, 1, &pres_id, &msg, nullptr);
      if (cond == DIMSE_NODATAAVAILABLE) {
        if (++idle_s >= config_.idle_timeout_s) {
          ASC_abortAssociation(assoc);
          emit("warn", "association_aborted", "idle for " + std::to_string(idle_s) + " s", calling_ae);
          break;
        }
        continue;
      }
      idle_s = 0;
      if (cond == DUL_PEERREQUESTEDRELEASE) {
        ASC_acknowledgeRelease(assoc);
        break;
      }
      if (cond.bad()) {
        if (cond != DUL_PEERABORTEDASSOCIATION) {
          emit("warn", "association_aborted", std::string("receive failed: ") + cond.text(), calling_ae);
          ASC_abortAssociation(assoc);
        }
        break;
      }
      if (!handle(assoc, pres_id, msg, calling_ae)) {
        ASC_abortAssociation(assoc);
        break;
      }
    }
    ASC_dropSCPAssociation(assoc);
    ASC_destroyAssociation(&assoc);
  }

  bool handle(T_ASC_Association* assoc, T_ASC_PresentationContextID pres_id, T_DIMSE_Message& msg,
              const std::string& calling_ae) {
    switch (msg.CommandField) {
      case DIMSE_C_ECHO_RQ:
        count([](ScpCounters& c) { ++c.echoes; });
        return DIMSE_sendEchoResponse(assoc, pres_id, &msg.msg.CEchoRQ, STATUS_Success, nullptr).good();
      case DIMSE_C_STORE_RQ:
        return handle_store(assoc, pres_id, msg.msg.CStoreRQ, calling_ae);
      default:
        emit("warn", "unsupported_command", "unsupported DIMSE command " + std::to_string(msg.CommandField), calling_ae);
        return false;
    }
  }

  static void store_progress(void* data, T_DIMSE_StoreProgress* progress, T_DIMSE_C_StoreRQ* request, char*,
                             DcmDataset** dataset, T_DIMSE_C_StoreRSP* response, DcmDataset**) {
    if (progress->state != DIMSE_StoreEnd) return;
    auto* ctx = static_cast<StoreContext*>(data);
    if (!dataset || !*dataset) {
      response->DimseStatus = STATUS_STORE_Error_CannotUnderstand;
      return;
    }
    response->DimseStatus = ctx->scp->finish_store(*ctx, *request);
  }

  bool handle_store(T_ASC_Association* assoc, T_ASC_PresentationContextID pres_id, T_DIMSE_C_StoreRQ& request,
                    const std::string& calling_ae) {
    DcmFileFormat file;
    DcmDataset* dataset = file.getDataset();
    StoreContext ctx{this, &file, calling_ae};
    OFCondition cond = DIMSE_storeProvider(assoc, pres_id, &request, nullptr, OFTrue, &dataset, store_progress, &ctx,
                                           DIMSE_BLOCKING, config_.dimse_timeout_s);
    if (cond.bad()) {
      emit("warn", "store_failed", std::string("C-STORE receive failed: ") + cond.text(), calling_ae);
      count([](ScpCounters& c) { ++c.instances_failed; });
      return false;
    }
    return true;
  }

  ScpConfig config_;
  StoreSink* sink_;
  NetEventCallback on_event_;
  T_ASC_Network* network_ = nullptr;
  std::unique_ptr<DcmTLSTransportLayer> tls_;
  std::thread accept_thread_;
  std::atomic<bool> stopping_{false}, abort_now_{false};
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  bool stopped_ = false;
  int active_ = 0;
  ScpCounters counters_;
};

}  // namespace

Result<std::unique_ptr<StoreScp>> StoreScp::start(const ScpConfig& config, StoreSink* sink, NetEventCallback on_event) {
  return capture([&]() -> std::unique_ptr<StoreScp> {
    auto scp = std::make_unique<StoreScpImpl>(config, sink, std::move(on_event));
    scp->open();
    return scp;
  });
}

}  // namespace cxr::dicom::net
