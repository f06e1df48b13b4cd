// Delivery of result files: DICOM C-STORE (dicom/net) or DICOMweb STOW-RS over libcurl.
#include "cxr/server/delivery.h"

#include "cxr/dicom/net.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#ifdef CXR_SERVER_WITH_CURL
#include <curl/curl.h>
#endif

namespace cxr::server {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Exception(ErrorCode::kNotFound, path + ": result file missing");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string make_boundary() {
  std::random_device rd;
  std::ostringstream ss;
  ss << "cxr-stow-" << std::hex << rd() << rd() << rd();
  return ss.str();
}

}  // namespace

double backoff_seconds(const RetryPolicy& policy, int attempts) {
  double b = policy.initial_backoff_s * std::pow(2.0, std::max(0, attempts - 1));
  return std::min(b, policy.max_backoff_s);
}

Status stow_rs(const Destination& d, const std::vector<std::string>& files) {
#ifndef CXR_SERVER_WITH_CURL
  (void)files;
  return make_error(ErrorCode::kUnsupported, "destination " + d.name +
                                                 ": this build has no libcurl, so STOW-RS is unavailable; "
                                                 "install libcurl4-openssl-dev and rebuild");
#else
  auto r = capture([&] {
    std::string boundary = make_boundary();
    std::string body;
    for (const auto& f : files) {
      body += "--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n";
      body += read_file(f);
      body += "\r\n";
    }
    body += "--" + boundary + "--\r\n";

    static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    if (!curl_ready) throw Exception(ErrorCode::kInternal, "libcurl initialisation failed");
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) throw Exception(ErrorCode::kInternal, "libcurl: cannot create a handle");
    std::string url = d.url + "/studies";
    std::string content_type = "Content-Type: multipart/related; type=\"application/dicom\"; boundary=" + boundary;
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, content_type.c_str());
    headers = curl_slist_append(headers, "Accept: application/dicom+json");
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_guard(headers, curl_slist_free_all);
    std::string response;
    auto sink = +[](char* data, size_t size, size_t n, void* user) -> size_t {
      auto* out = static_cast<std::string*>(user);
      if (out->size() < 4096) out->append(data, std::min<size_t>(size * n, 4096 - out->size()));
      return size * n;
    };
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(d.timeout_s));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min(d.timeout_s, 10)));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    std::string credentials = d.username + ":" + d.password;
    if (!d.username.empty()) {
      curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(c, CURLOPT_USERPWD, credentials.c_str());
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK)
      throw Exception(ErrorCode::kNetwork, "STOW-RS to " + url + " failed: " + curl_easy_strerror(rc));
    long http = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http);
    if (http != 200)
      throw Exception(ErrorCode::kNetwork, "STOW-RS to " + url + ": HTTP " + std::to_string(http) +
                                               (http == 202 ? " (some instances were not stored)" : "") +
                                               ": " + response.substr(0, 300));
    return 0;
  });
  if (!r) return r.error();
  return Status::Ok();
#endif
}

Status deliver(const Destination& d, const std::vector<std::string>& all_files) {
  std::vector<std::string> files;
  for (const auto& f : all_files) {
    bool heatmap = f.find("heatmap-") != std::string::npos;
    if (!heatmap || d.send_heatmaps) files.push_back(f);
  }
  if (files.empty()) return Status::Ok();
  if (d.type == "stow-rs") return stow_rs(d, files);
  cxr::dicom::net::ScuOptions o;
  o.calling_ae = d.calling_ae;
  o.peer = d.peer;
  o.tls = d.tls;
  o.timeout_s = d.timeout_s;
  return cxr::dicom::net::store_files(o, files);
}

}  // namespace cxr::server
