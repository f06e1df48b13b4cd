// Shared networking helpers: durable writes, peer parsing, SOP class policy, TLS set-up.
#include "net_internal.h"

#include <dcmtk/dcmnet/dimse.h>
#include <dcmtk/oflog/oflog.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

namespace cxr::dicom::net {
namespace fs = std::filesystem;

namespace {

std::string errno_text() { return std::strerror(errno); }

// fsync of an open-able path (file or directory). Throws kIo.
void fsync_path(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) throw Exception(ErrorCode::kIo, path + ": cannot open for fsync: " + errno_text());
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  if (rc != 0) {
    errno = saved;
    throw Exception(ErrorCode::kIo, path + ": fsync failed: " + errno_text() + "; check the disk");
  }
}

// Creates dir (and parents) and makes each new entry durable in its parent.
void ensure_directory(const fs::path& dir) {
  if (fs::is_directory(dir)) return;
  ensure_directory(dir.parent_path());
  std::error_code ec;
  fs::create_directory(dir, ec);
  if (ec && !fs::is_directory(dir))
    throw Exception(ErrorCode::kIo, dir.string() + ": cannot create directory: " + ec.message());
  fsync_path(dir.parent_path().empty() ? "." : dir.parent_path().string(), true);
}

std::string unique_temp_path(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  return path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
}

void rename_durably(const std::string& tmp, const std::string& path) {
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = errno_text();
    ::unlink(tmp.c_str());
    throw Exception(ErrorCode::kIo, path + ": cannot rename temporary file into place: " + why);
  }
  fsync_path(fs::path(path).parent_path().string(), true);
}

struct NamedClass {
  const char* name;
  const char* uid;
};
const NamedClass kNamedClasses[] = {
    {"cr", UID_ComputedRadiographyImageStorage},
    {"dx-presentation", UID_DigitalXRayImageStorageForPresentation},
    {"dx-processing", UID_DigitalXRayImageStorageForProcessing},
    {"secondary-capture", UID_SecondaryCaptureImageStorage},
    {"sc-multiframe-byte", UID_MultiframeGrayscaleByteSecondaryCaptureImageStorage},
    {"sc-multiframe-word", UID_MultiframeGrayscaleWordSecondaryCaptureImageStorage},
    {"mammo-presentation", UID_DigitalMammographyXRayImageStorageForPresentation},
    {"basic-text-sr", UID_BasicTextSRStorage},
    {"enhanced-sr", UID_EnhancedSRStorage},
    {"comprehensive-sr", UID_ComprehensiveSRStorage},
};

}  // namespace

Result<Peer> parse_peer(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return make_error(ErrorCode::kInvalidArgument,
                      "peer '" + text + "': " + why + "; expected AET@HOST:PORT, e.g. ORTHANC@127.0.0.1:4242");
  };
  auto at = text.find('@');
  auto colon = text.rfind(':');
  if (at == std::string::npos || colon == std::string::npos || colon < at) return bad("malformed");
  Peer peer;
  peer.ae_title = text.substr(0, at);
  peer.host = text.substr(at + 1, colon - at - 1);
  std::string port = text.substr(colon + 1);
  if (peer.ae_title.empty() || peer.ae_title.size() > 16) return bad("AE title must have 1 to 16 characters");
  if (peer.host.empty()) return bad("host is empty");
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) return bad("port is not a number");
  int value = std::stoi(port);
  if (value < 1 || value > 65535) return bad("port out of range 1-65535");
  peer.port = static_cast<uint16_t>(value);
  return peer;
}

Result<std::string> storage_class_uid(const std::string& name_or_uid) {
  if (!name_or_uid.empty() && std::isdigit(static_cast<unsigned char>(name_or_uid[0]))) return name_or_uid;
  std::string known;
  for (const auto& c : kNamedClasses) {
    if (name_or_uid == c.name) return std::string(c.uid);
    known += known.empty() ? c.name : std::string(", ") + c.name;
  }
  return make_error(ErrorCode::kInvalidArgument,
                    "unknown SOP class name '" + name_or_uid + "'; use one of " + known + " or a UID");
}

std::vector<std::string> default_storage_classes() {
  return {UID_ComputedRadiographyImageStorage, UID_DigitalXRayImageStorageForPresentation,
          UID_DigitalXRayImageStorageForProcessing, UID_SecondaryCaptureImageStorage};
}

std::vector<std::string> all_storage_classes() {
  std::vector<std::string> out;
  for (int i = 0; i < numberOfDcmAllStorageSOPClassUIDs; ++i) out.emplace_back(dcmAllStorageSOPClassUIDs[i]);
  return out;
}

bool is_analysable_class(const std::string& uid) {
  static const char* kImage[] = {UID_ComputedRadiographyImageStorage, UID_DigitalXRayImageStorageForPresentation,
                                 UID_DigitalXRayImageStorageForProcessing, UID_SecondaryCaptureImageStorage,
                                 UID_MultiframeGrayscaleByteSecondaryCaptureImageStorage,
                                 UID_MultiframeGrayscaleWordSecondaryCaptureImageStorage};
  return std::any_of(std::begin(kImage), std::end(kImage), [&](const char* u) { return uid == u; });
}

Status sync_directory(const std::string& dir) {
  auto r = capture([&] { fsync_path(dir, true); return 0; });
  if (!r) return r.error();
  return Status::Ok();
}

Status write_file_durably(const std::string& path, const std::string& bytes) {
  auto r = capture([&] {
    ensure_directory(fs::path(path).parent_path());
    std::string tmp = unique_temp_path(path);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw Exception(ErrorCode::kIo, tmp + ": cannot create: " + errno_text());
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        std::string why = errno_text();
        ::close(fd);
        ::unlink(tmp.c_str());
        throw Exception(ErrorCode::kIo, tmp + ": write failed: " + why + "; check free disk space");
      }
      done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
      ::unlink(tmp.c_str());
      throw Exception(ErrorCode::kIo, tmp + ": fsync/close failed: " + errno_text());
    }
    rename_durably(tmp, path);
    return 0;
  });
  if (!r) return r.error();
  return Status::Ok();
}

namespace detail {

void check(const OFCondition& cond, const std::string& what) {
  if (cond.bad()) throw Exception(ErrorCode::kNetwork, what + ": " + cond.text());
}

std::unique_ptr<DcmTLSTransportLayer> make_tls_layer(const TlsConfig& config, T_ASC_NetworkRole role) {
  auto need_file = [](const std::string& path, const char* what) {
    if (path.empty() || !fs::is_regular_file(path))
      throw Exception(ErrorCode::kInvalidArgument,
                      std::string("TLS ") + what + " '" + path + "' not found; set it in the configuration");
  };
  bool acceptor = role == NET_ACCEPTOR || role == NET_ACCEPTORREQUESTOR;
  auto layer = std::make_unique<DcmTLSTransportLayer>(role, nullptr, OFTrue);
  check(layer->setTLSProfile(TSP_Profile_BCP195), "TLS profile");
  check(layer->activateCipherSuites(), "TLS cipher suites");
  if (acceptor || !config.certificate_file.empty()) {
    need_file(config.certificate_file, "certificate");
    need_file(config.private_key_file, "private key");
    if (layer->setPrivateKeyFile(config.private_key_file.c_str(), DCF_Filetype_PEM).bad())
      throw Exception(ErrorCode::kInvalidArgument, "TLS private key '" + config.private_key_file + "' cannot be read (PEM, unencrypted)");
    if (layer->setCertificateFile(config.certificate_file.c_str(), DCF_Filetype_PEM).bad())
      throw Exception(ErrorCode::kInvalidArgument, "TLS certificate '" + config.certificate_file + "' cannot be read (PEM)");
    if (!layer->checkPrivateKeyMatchesCertificate())
      throw Exception(ErrorCode::kInvalidArgument, "TLS private key '" + config.private_key_file +
                                                       "' does not match certificate '" + config.certificate_file + "'");
  }
  for (const auto& trusted : config.trusted_certificates) {
    need_file(trusted, "trusted certificate");
    if (layer->addTrustedCertificateFile(trusted.c_str(), DCF_Filetype_PEM).bad())
      throw Exception(ErrorCode::kInvalidArgument, "TLS trusted certificate '" + trusted + "' cannot be read (PEM)");
  }
  layer->setCertificateVerification(config.require_peer_certificate ? DCV_requireCertificate : DCV_ignoreCertificate);
  return layer;
}

std::vector<const char*> storage_transfer_syntaxes() {
  return {UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax,
          UID_BigEndianExplicitTransferSyntax, UID_DeflatedExplicitVRLittleEndianTransferSyntax,
          UID_JPEGProcess1TransferSyntax, UID_JPEGProcess2_4TransferSyntax,
          UID_JPEGProcess14TransferSyntax, UID_JPEGProcess14SV1TransferSyntax,
          UID_JPEGLSLosslessTransferSyntax, UID_JPEGLSLossyTransferSyntax,
          UID_JPEG2000LosslessOnlyTransferSyntax, UID_JPEG2000TransferSyntax,
          UID_RLELosslessTransferSyntax};
}

std::string instance_path(const std::string& storage_dir, const std::string& study_uid, const std::string& sop_uid) {
  auto valid = [](const std::string& uid) {
    return !uid.empty() && uid.size() <= 64 && uid.front() != '.' &&
           std::all_of(uid.begin(), uid.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
  };
  if (!valid(study_uid)) throw Exception(ErrorCode::kCorruptData, "StudyInstanceUID '" + study_uid + "' is not a valid UID");
  if (!valid(sop_uid)) throw Exception(ErrorCode::kCorruptData, "SOPInstanceUID '" + sop_uid + "' is not a valid UID");
  return (fs::path(storage_dir) / study_uid / (sop_uid + ".dcm")).string();
}

void read_identity(DcmDataset& dataset, StoredInstance& instance) {
  auto get = [&](const DcmTagKey& tag) {
    OFString value;
    dataset.findAndGetOFString(tag, value);
    return std::string(value.c_str());
  };
  instance.sop_class_uid = get(DCM_SOPClassUID);
  instance.sop_instance_uid = get(DCM_SOPInstanceUID);
  instance.study_instance_uid = get(DCM_StudyInstanceUID);
  instance.series_instance_uid = get(DCM_SeriesInstanceUID);
  instance.modality = get(DCM_Modality);
  if (instance.sop_instance_uid.empty() || instance.study_instance_uid.empty())
    throw Exception(ErrorCode::kCorruptData, "dataset lacks SOPInstanceUID or StudyInstanceUID");
}

uint64_t save_durably(DcmFileFormat& file, const std::string& path) {
  ensure_directory(fs::path(path).parent_path());
  std::string tmp = unique_temp_path(path);
  E_TransferSyntax xfer = file.getDataset()->getOriginalXfer();
  if (xfer == EXS_Unknown) xfer = EXS_LittleEndianExplicit;
  OFCondition cond = file.saveFile(tmp.c_str(), xfer, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0, EWM_fileformat);
  if (cond.bad()) {
    ::unlink(tmp.c_str());
    throw Exception(ErrorCode::kIo, path + ": cannot write instance: " + cond.text() + "; check free disk space");
  }
  fsync_path(tmp, false);
  uint64_t bytes = fs::file_size(tmp);
  rename_durably(tmp, path);
  return bytes;
}

void quiet_dcmtk_network_log() {
  static std::once_flag once;
  std::call_once(once, [] { OFLog::getLogger("dcmtk.dcmnet").setLogLevel(OFLogger::WARN_LOG_LEVEL); });
}

std::string status_text(uint16_t status) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%04X", status);
  std::string meaning = status == 0 ? "Success"
                        : (status & 0xF000) == 0xB000 ? "Warning"
                        : (status & 0xFF00) == 0xA700 ? "Refused: out of resources"
                        : (status & 0xFF00) == 0xA900 ? "Error: data set does not match SOP class"
                        : (status & 0xF000) == 0xC000 ? "Error: cannot understand"
                        : status == 0x0122 ? "Refused: SOP class not supported"
                        : status == 0x0124 ? "Refused: not authorized"
                        : "Failure";
  return std::string(hex) + " (" + meaning + ")";
}

}  // namespace detail
}  // namespace cxr::dicom::net
