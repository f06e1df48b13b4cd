// SCU operations on DCMTK's DcmSCU: C-ECHO, C-STORE (PS3.4 B), C-FIND / C-GET / C-MOVE, study root
// (PS3.4 C.4). Each call opens one association and releases it before returning.
#include "net_internal.h"

#include <dcmtk/dcmnet/dimse.h>
#include <dcmtk/dcmnet/scu.h>

#include <algorithm>
#include <map>
#include <set>

namespace cxr::dicom::net {
namespace {

using detail::check;

OFList<OFString> syntaxes(std::initializer_list<const char*> uids) {
  OFList<OFString> out;
  for (const char* uid : uids) out.push_back(uid);
  return out;
}

std::string peer_name(const ScuOptions& o) {
  return o.peer.ae_title + "@" + o.peer.host + ":" + std::to_string(o.peer.port);
}

// DcmSCU with TLS switchable from outside (DcmSCU keeps useSecureConnection protected).
class Scu : public DcmSCU {
 public:
  OFCondition enable_tls(DcmTransportLayer* layer) { return useSecureConnection(layer); }
};

// Sets peer, AE titles and timeouts on scu, and builds the TLS layer when asked (connect() installs
// it). The returned layer must outlive the association.
std::unique_ptr<DcmTLSTransportLayer> configure(Scu& scu, const ScuOptions& o) {
  detail::quiet_dcmtk_network_log();
  if (o.peer.host.empty() || o.peer.port == 0 || o.peer.ae_title.empty())
    throw Exception(ErrorCode::kInvalidArgument, "peer is incomplete; give AET@HOST:PORT");
  scu.setAETitle(o.calling_ae.c_str());
  scu.setPeerHostName(o.peer.host.c_str());
  scu.setPeerPort(o.peer.port);
  scu.setPeerAETitle(o.peer.ae_title.c_str());
  scu.setACSETimeout(static_cast<Uint32>(o.timeout_s));
  scu.setDIMSETimeout(static_cast<Uint32>(o.timeout_s));
  scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
  scu.setConnectionTimeout(o.timeout_s);
  if (!o.tls.enabled) return nullptr;
  return detail::make_tls_layer(o.tls, NET_REQUESTOR);
}

// tls: the layer from configure(), or nullptr. It goes on the network after initNetwork(): DcmSCU sets
// the transport layer on its network object, which does not exist before ("ASC Caller passed in a
// NULL key" otherwise, and no outgoing TLS association could ever start).
void connect(Scu& scu, const ScuOptions& o, DcmTransportLayer* tls) {
  OFCondition cond = scu.initNetwork();
  check(cond, "network set-up for " + peer_name(o));
  if (tls) check(scu.enable_tls(tls), "TLS for " + peer_name(o));
  cond = scu.negotiateAssociation();
  if (cond.bad())
    throw Exception(ErrorCode::kNetwork, peer_name(o) + ": association failed: " + cond.text() +
                                             "; check host, port, AE titles (ours: " + o.calling_ae + ") and TLS");
}

T_ASC_PresentationContextID context_for(DcmSCU& scu, const char* sop_class, const ScuOptions& o) {
  T_ASC_PresentationContextID id = scu.findAnyPresentationContextID(sop_class, UID_LittleEndianExplicitTransferSyntax);
  if (id == 0) throw Exception(ErrorCode::kNetwork, peer_name(o) + " did not accept " + dcmFindNameOfUID(sop_class, sop_class));
  return id;
}

std::string get_string(DcmDataset* ds, const DcmTagKey& tag) {
  OFString value;
  if (ds) ds->findAndGetOFStringArray(tag, value);
  return value.c_str();
}

// DcmSCU that writes each instance a C-GET delivers through the same durable path as the SCP.
class GetScu final : public Scu {
 public:
  GetScu(std::string storage_dir, StoreSink* sink) : storage_dir_(std::move(storage_dir)), sink_(sink) {}
  int stored = 0;
  std::string first_error;

 protected:
  OFCondition handleSTORERequest(const T_ASC_PresentationContextID, DcmDataset* incoming, OFBool& keep_going,
                                 Uint16& status) override {
    keep_going = OFTrue;
    std::unique_ptr<DcmDataset> owned(incoming);  // DcmSCU hands ownership to us
    status = STATUS_Success;
    try {
      if (!incoming) throw Exception(ErrorCode::kCorruptData, "empty data set");
      StoredInstance instance;
      detail::read_identity(*incoming, instance);
      instance.path = detail::instance_path(storage_dir_, instance.study_instance_uid, instance.sop_instance_uid);
      DcmFileFormat file(incoming);  // copies the data set; the original transfer syntax is kept
      file.getDataset()->updateOriginalXfer();
      instance.bytes = detail::save_durably(file, instance.path);
      if (sink_) {
        Status s = sink_->on_stored(instance);
        if (!s) throw Exception(s.error().code, s.error().message);
      }
      ++stored;
    } catch (const Exception& e) {
      if (first_error.empty()) first_error = e.what();
      status = STATUS_STORE_Refused_OutOfResources;
    }
    return EC_Normal;
  }

 private:
  std::string storage_dir_;
  StoreSink* sink_;
};

DcmDataset study_level_keys(const std::string& study_uid) {
  DcmDataset keys;
  keys.putAndInsertString(DCM_QueryRetrieveLevel, "STUDY");
  keys.putAndInsertString(DCM_StudyInstanceUID, study_uid.c_str());
  return keys;
}

}  // namespace

Status echo(const ScuOptions& options) {
  auto r = capture([&] {
    Scu scu;
    auto tls = configure(scu, options);
    check(scu.addPresentationContext(UID_VerificationSOPClass, syntaxes({UID_LittleEndianExplicitTransferSyntax})), "context");
    connect(scu, options, tls.get());
    OFCondition cond = scu.sendECHORequest(0);
    scu.releaseAssociation();
    if (cond.bad()) throw Exception(ErrorCode::kNetwork, peer_name(options) + ": C-ECHO failed: " + cond.text());
    return 0;
  });
  if (!r) return r.error();
  return Status::Ok();
}

Status store_files(const ScuOptions& options, const std::vector<std::string>& paths) {
  auto r = capture([&] {
    struct FileInfo {
      std::string path, sop_class, xfer;
    };
    std::vector<FileInfo> files;
    std::map<std::string, std::set<std::string>> classes;  // SOP class -> its files' transfer syntaxes
    for (const auto& path : paths) {
      DcmFileFormat ff;
      if (ff.loadFile(path.c_str(), EXS_Unknown, EGL_noChange, 0 /* meta + tags only */).bad())
        throw Exception(ErrorCode::kCorruptData, path + ": not a readable DICOM file");
      OFString sop_class;
      ff.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, sop_class);
      if (sop_class.empty()) ff.getDataset()->findAndGetOFString(DCM_SOPClassUID, sop_class);
      if (sop_class.empty()) throw Exception(ErrorCode::kCorruptData, path + ": no SOP Class UID");
      DcmXfer xfer(ff.getDataset()->getOriginalXfer());
      files.push_back({path, sop_class.c_str(), xfer.getXferID()});
      classes[sop_class.c_str()].insert(xfer.getXferID());
    }
    if (files.empty()) return 0;
    Scu scu;
    auto tls = configure(scu, options);
    scu.setDatasetConversionMode(OFTrue);
    for (const auto& [sop_class, xfers] : classes) {
      for (const auto& x : xfers) check(scu.addPresentationContext(sop_class.c_str(), syntaxes({x.c_str()})), "context");
      check(scu.addPresentationContext(sop_class.c_str(), syntaxes({UID_LittleEndianExplicitTransferSyntax,
                                                                   UID_LittleEndianImplicitTransferSyntax})), "context");
    }
    connect(scu, options, tls.get());
    for (const auto& f : files) {
      T_ASC_PresentationContextID id = scu.findPresentationContextID(f.sop_class.c_str(), f.xfer.c_str());
      if (id == 0) id = scu.findAnyPresentationContextID(f.sop_class.c_str(), UID_LittleEndianExplicitTransferSyntax);
      if (id == 0) {
        scu.releaseAssociation();
        throw Exception(ErrorCode::kNetwork, peer_name(options) + " did not accept the SOP class of " + f.path);
      }
      Uint16 status = 0;
      OFCondition cond = scu.sendSTORERequest(id, f.path.c_str(), nullptr, status);
      if (cond.bad() || (status != STATUS_Success && (status & 0xF000) != 0xB000)) {
        scu.releaseAssociation();
        throw Exception(ErrorCode::kNetwork, peer_name(options) + ": C-STORE of " + f.path + " failed: " +
                                                 (cond.bad() ? std::string(cond.text()) : detail::status_text(status)));
      }
    }
    scu.releaseAssociation();
    return 0;
  });
  if (!r) return r.error();
  return Status::Ok();
}

Result<std::vector<StudyMatch>> find_studies(const ScuOptions& options, const StudyQuery& query) {
  return capture([&] {
    Scu scu;
    auto tls = configure(scu, options);
    check(scu.addPresentationContext(UID_FINDStudyRootQueryRetrieveInformationModel,
                                     syntaxes({UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax})), "context");
    connect(scu, options, tls.get());
    DcmDataset keys;
    keys.putAndInsertString(DCM_QueryRetrieveLevel, "STUDY");
    keys.putAndInsertString(DCM_StudyInstanceUID, query.study_instance_uid.c_str());
    keys.putAndInsertString(DCM_StudyDate, query.study_date.c_str());
    std::string modalities;
    for (const auto& m : query.modalities) modalities += (modalities.empty() ? "" : "\\") + m;
    keys.putAndInsertString(DCM_ModalitiesInStudy, modalities.c_str());
    keys.putAndInsertString(DCM_NumberOfStudyRelatedInstances, "");
    OFList<QRResponse*> responses;
    OFCondition cond = scu.sendFINDRequest(context_for(scu, UID_FINDStudyRootQueryRetrieveInformationModel, options),
                                           &keys, &responses);
    scu.releaseAssociation();
    std::vector<StudyMatch> matches;
    Uint16 final_status = STATUS_Success;
    for (QRResponse* response : responses) {
      if (response->m_dataset && response->m_status != STATUS_Success) {
        StudyMatch m;
        m.study_instance_uid = get_string(response->m_dataset, DCM_StudyInstanceUID);
        m.study_date = get_string(response->m_dataset, DCM_StudyDate);
        m.modalities_in_study = get_string(response->m_dataset, DCM_ModalitiesInStudy);
        std::string n = get_string(response->m_dataset, DCM_NumberOfStudyRelatedInstances);
        if (!n.empty()) m.number_of_instances = std::atoi(n.c_str());
        if (!m.study_instance_uid.empty()) matches.push_back(m);
      } else {
        final_status = response->m_status;
      }
      delete response;
    }
    if (cond.bad()) throw Exception(ErrorCode::kNetwork, peer_name(options) + ": C-FIND failed: " + cond.text());
    if (final_status != STATUS_Success)
      throw Exception(ErrorCode::kNetwork, peer_name(options) + ": C-FIND ended with " + detail::status_text(final_status));
    // ModalitiesInStudy matching is optional for a peer: filter here as well.
    if (!query.modalities.empty()) {
      std::erase_if(matches, [&](const StudyMatch& m) {
        if (m.modalities_in_study.empty()) return false;
        return std::none_of(query.modalities.begin(), query.modalities.end(),
                            [&](const std::string& mod) { return m.modalities_in_study.find(mod) != std::string::npos; });
      });
    }
    return matches;
  });
}

Result<int> get_study(const ScuOptions& options, const std::string& study_uid, const std::string& storage_dir,
                      StoreSink* sink, const std::vector<std::string>& accepted_classes) {
  return capture([&] {
    GetScu scu(storage_dir, sink);
    auto tls = configure(scu, options);
    check(scu.addPresentationContext(UID_GETStudyRootQueryRetrieveInformationModel,
                                     syntaxes({UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax})), "context");
    auto classes = accepted_classes.empty() ? default_storage_classes() : accepted_classes;
    OFList<OFString> all_syntaxes;
    for (const char* ts : detail::storage_transfer_syntaxes()) all_syntaxes.push_back(ts);
    for (const auto& c : classes) check(scu.addPresentationContext(c.c_str(), all_syntaxes, ASC_SC_ROLE_SCP), "context");
    connect(scu, options, tls.get());
    DcmDataset keys = study_level_keys(study_uid);
    OFList<RetrieveResponse*> responses;
    OFCondition cond = scu.sendCGETRequest(context_for(scu, UID_GETStudyRootQueryRetrieveInformationModel, options),
                                           &keys, &responses);
    scu.releaseAssociation();
    Uint16 last_status = STATUS_Success;
    int failed = 0;
    for (RetrieveResponse* r : responses) {
      last_status = r->m_status;
      failed = r->m_numberOfFailedSubops;
      delete r;
    }
    if (cond.bad()) throw Exception(ErrorCode::kNetwork, peer_name(options) + ": C-GET failed: " + cond.text());
    if (!scu.first_error.empty())
      throw Exception(ErrorCode::kIo, "C-GET of study: an instance could not be stored: " + scu.first_error);
    if (last_status != STATUS_Success && (last_status & 0xF000) != 0xB000)
      throw Exception(ErrorCode::kNetwork, peer_name(options) + ": C-GET ended with " + detail::status_text(last_status) +
                                               " (" + std::to_string(failed) + " failed sub-operations)");
    return scu.stored;
  });
}

Result<int> move_study(const ScuOptions& options, const std::string& study_uid, const std::string& destination_ae) {
  return capture([&] {
    Scu scu;
    auto tls = configure(scu, options);
    check(scu.addPresentationContext(UID_MOVEStudyRootQueryRetrieveInformationModel,
                                     syntaxes({UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax})), "context");
    connect(scu, options, tls.get());
    DcmDataset keys = study_level_keys(study_uid);
    OFList<RetrieveResponse*> responses;
    OFCondition cond = scu.sendMOVERequest(context_for(scu, UID_MOVEStudyRootQueryRetrieveInformationModel, options),
                                           destination_ae.c_str(), &keys, &responses);
    scu.releaseAssociation();
    Uint16 last_status = STATUS_Success;
    int completed = 0, failed = 0;
    for (RetrieveResponse* r : responses) {
      last_status = r->m_status;
      completed = r->m_numberOfCompletedSubops;
      failed = r->m_numberOfFailedSubops;
      delete r;
    }
    if (cond.bad()) throw Exception(ErrorCode::kNetwork, peer_name(options) + ": C-MOVE failed: " + cond.text());
    if (last_status != STATUS_Success && (last_status & 0xF000) != 0xB000)
      throw Exception(ErrorCode::kNetwork, peer_name(options) + ": C-MOVE to " + destination_ae + " ended with " +
                                               detail::status_text(last_status) + " (" + std::to_string(failed) +
                                               " failed); is " + destination_ae + " configured as a modality there?");
    return completed;
  });
}

}  // namespace cxr::dicom::net
