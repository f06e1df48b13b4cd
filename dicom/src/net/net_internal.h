// Internal helpers shared by the SCP and SCU code in dicom/src/net (DCMTK types allowed here only).
#pragma once

#include "cxr/dicom/net.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmtls/tlslayer.h>

#include <memory>
#include <string>
#include <vector>

namespace cxr::dicom::net::detail {

// Throws cxr::Exception(kNetwork) with "<what>: <DCMTK condition text>" when cond is bad.
void check(const OFCondition& cond, const std::string& what);

// A TLS transport layer configured from config for the given role (NET_ACCEPTOR / NET_REQUESTOR):
// BCP 195 cipher suites, our certificate and key, trusted certificates, peer verification.
// Throws kInvalidArgument naming the file that is missing or does not match.
std::unique_ptr<DcmTLSTransportLayer> make_tls_layer(const TlsConfig& config, T_ASC_NetworkRole role);

// The transfer syntaxes we accept for storage, uncompressed first (storage keeps what arrives).
std::vector<const char*> storage_transfer_syntaxes();

// Builds the final path <storage_dir>/<study>/<sop>.dcm; rejects UIDs that are empty or carry
// characters outside [0-9.] (kCorruptData), so a peer cannot write outside storage_dir.
std::string instance_path(const std::string& storage_dir, const std::string& study_uid,
                          const std::string& sop_uid);

// Reads the identifying attributes of a received dataset into instance (path/bytes left empty).
// Throws kCorruptData when SOPInstanceUID or StudyInstanceUID is missing.
void read_identity(DcmDataset& dataset, StoredInstance& instance);

// Saves file durably to path (temporary file, fsync, rename, fsync of the directory) and returns its
// size in bytes. Creates the study directory. Throws kIo on failure.
uint64_t save_durably(DcmFileFormat& file, const std::string& path);

// DCMTK's dcmnet logger prints informational lines to stdout; keep only its warnings and errors
// (our own structured events report what matters). Idempotent, thread-safe.
void quiet_dcmtk_network_log();

// Text for a DIMSE status code, e.g. "0xA700 (Refused: out of resources)".
std::string status_text(uint16_t status);

}  // namespace cxr::dicom::net::detail
