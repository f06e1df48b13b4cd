// cxr/dicom/net.h — DICOM networking (PS3.7 DIMSE, PS3.8 upper layer, PS3.15 B.9 TLS): a storage
// SCP that writes each instance durably before it answers, and the SCU operations the PACS node
// needs (C-ECHO, C-STORE, C-FIND, C-GET, C-MOVE). DCMTK stays behind this header.
//
// Durability contract of the SCP (the "no loss" rule): for every C-STORE it answers with Success,
// the instance was first written to <storage_dir>/<StudyInstanceUID>/<SOPInstanceUID>.dcm through a
// temporary file, fsync, rename and fsync of the directory, and StoreSink::on_stored returned OK.
// If either step fails the answer is a failure status (0xA700 out of resources), so the sender retries.
#pragma once

#include "cxr/result.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cxr::dicom::net {

// DICOM TLS (PS3.15 B.9, BCP 195 profile). Files are PEM.
struct TlsConfig {
  bool enabled = false;
  std::string certificate_file;                   // our certificate
  std::string private_key_file;                   // its private key (unencrypted PEM)
  std::vector<std::string> trusted_certificates;  // CA / peer certificates we accept
  bool require_peer_certificate = true;           // SCP: reject peers without a trusted certificate
};

// A remote application entity.
struct Peer {
  std::string ae_title;
  std::string host;
  uint16_t port = 0;
};

// Parses "AET@HOST:PORT" (e.g. "ORTHANC@127.0.0.1:4242"); kInvalidArgument with the expected form.
Result<Peer> parse_peer(const std::string& text);

// SOP classes by short name, for configuration files: "cr", "dx-presentation", "dx-processing",
// "secondary-capture", "sc-multiframe-byte", "sc-multiframe-word", "dx-mammo" etc. Returns the UID or
// kInvalidArgument listing the known names. A full UID ("1.2.840...") is accepted as is.
Result<std::string> storage_class_uid(const std::string& name_or_uid);
// The default accepted classes: CR, DX for presentation and for processing, secondary capture.
std::vector<std::string> default_storage_classes();
// Every storage SOP class DCMTK knows (for a permissive "accept_all_storage" policy).
std::vector<std::string> all_storage_classes();
// True for the image classes the analysis handles (CR, DX, secondary capture and its multi-frame
// grayscale variants).
bool is_analysable_class(const std::string& sop_class_uid);

// What the SCP tells the sink about an instance it has written durably.
struct StoredInstance {
  std::string path;  // final file path, already durable
  std::string sop_class_uid, sop_instance_uid, study_instance_uid, series_instance_uid, modality;
  std::string calling_ae;  // the sending AE ("" for C-GET, where we are the caller)
  uint64_t bytes = 0;
};

// Receives instances after they are durable. Implementations must be thread-safe: the SCP calls
// on_stored concurrently from one thread per association. A non-OK status makes the SCP answer the
// C-STORE with a failure (the file stays on disk; the sender will retry).
class StoreSink {
 public:
  virtual ~StoreSink() = default;
  virtual Status on_stored(const StoredInstance& instance) = 0;
};

// Structured events of the network layer (association accepted/rejected, store failed, ...).
// Fields never contain patient data. Called from SCP threads; must be thread-safe.
struct NetEvent {
  std::string level;    // "debug" | "info" | "warn" | "error"
  std::string event;    // short machine name, e.g. "association_rejected"
  std::string message;  // human sentence
  std::string calling_ae, peer_host;
};
using NetEventCallback = std::function<void(const NetEvent&)>;

struct ScpConfig {
  std::string ae_title = "CXR_ASSIST";
  uint16_t port = 11112;
  std::vector<std::string> allowed_calling_aes;  // empty: any calling AE is accepted
  int max_associations = 8;                      // concurrent; more are rejected "local limit exceeded"
  std::string storage_dir;                       // <storage_dir>/<StudyUID>/<SOPUID>.dcm
  std::vector<std::string> accepted_classes;     // SOP class UIDs; empty: default_storage_classes()
  int acse_timeout_s = 30;                       // association negotiation
  int dimse_timeout_s = 60;                      // a message in progress
  int idle_timeout_s = 120;                      // an association with no message is aborted
  TlsConfig tls;
};

// Counters of one SCP since start (all monotonic).
struct ScpCounters {
  uint64_t associations_accepted = 0, associations_rejected = 0, echoes = 0;
  uint64_t instances_stored = 0, instances_failed = 0, bytes_stored = 0;
};

// A storage + verification SCP running on its own threads: one accept thread, one thread per
// association (at most max_associations). Thread-safety: all methods may be called from any thread.
class StoreScp {
 public:
  // Binds the port and starts accepting. The sink must outlive the SCP. kNetwork if the port is
  // taken, kInvalidArgument for a bad configuration (e.g. TLS files missing).
  static Result<std::unique_ptr<StoreScp>> start(const ScpConfig& config, StoreSink* sink,
                                                 NetEventCallback on_event = {});
  // Stops accepting; lets open associations finish for up to grace_s, then aborts them. Idempotent.
  virtual void stop(int grace_s = 10) = 0;
  virtual ScpCounters counters() const = 0;
  virtual int active_associations() const = 0;
  virtual ~StoreScp() = default;
};

// Writes bytes to path durably: temporary file in the same directory, fsync, rename, fsync of the
// directory. Creates the directory if needed. kIo with the path and errno text on failure.
Status write_file_durably(const std::string& path, const std::string& bytes);
// fsync of a directory (after a rename/creation inside it).
Status sync_directory(const std::string& dir);

// ---- SCU -------------------------------------------------------------------------------------

struct ScuOptions {
  std::string calling_ae = "CXR_ASSIST";
  Peer peer;
  TlsConfig tls;  // require_peer_certificate applies to the server's certificate
  int timeout_s = 30;
};

// C-ECHO. kNetwork with the peer and the cause on failure.
Status echo(const ScuOptions& options);

// C-STORE of files over one association (presentation contexts negotiated from the files' SOP
// classes and transfer syntaxes). Fails as a whole if any file is not stored with Success/Warning;
// the message names the file and the DIMSE status.
Status store_files(const ScuOptions& options, const std::vector<std::string>& paths);

// C-FIND, study root, STUDY level. Empty fields are not constrained.
struct StudyQuery {
  std::string study_instance_uid;
  std::string study_date;                // DICOM range "YYYYMMDD-YYYYMMDD", "YYYYMMDD-", single date
  std::vector<std::string> modalities;   // ModalitiesInStudy, e.g. {"CR","DX"}
};
struct StudyMatch {
  std::string study_instance_uid, study_date, modalities_in_study;
  int number_of_instances = -1;  // -1 when the peer did not return it
};
Result<std::vector<StudyMatch>> find_studies(const ScuOptions& options, const StudyQuery& query);

// C-GET of one study (study root): every instance the peer sends is written durably under
// storage_dir like the SCP does and passed to sink (may be null). Returns the number stored.
// Instances of classes outside accepted_classes (empty: default) are refused.
Result<int> get_study(const ScuOptions& options, const std::string& study_instance_uid,
                      const std::string& storage_dir, StoreSink* sink,
                      const std::vector<std::string>& accepted_classes = {});

// C-MOVE of one study (study root) to destination_ae (e.g. our own running SCP). Returns the number
// of sub-operations the peer reports as completed.
Result<int> move_study(const ScuOptions& options, const std::string& study_instance_uid,
                       const std::string& destination_ae);

}  // namespace cxr::dicom::net
