// The CUDA backend (kernels/include/cxr/kernels/backend.h): device buffers, weights uploaded once at
// pack time, every op one kernel (or a cuBLASLt call) from its own .cu/.cuh pair.
//
// Streams: every op and copy runs on cudaStreamPerThread, so ops called from several host threads at
// once (the backend contract) run on separate streams and never wait for each other; download()
// synchronises the calling thread's stream, which orders it after that thread's ops; upload() also
// synchronises, so a buffer uploaded on one thread is complete before any thread's op reads it.
// Contract inherited from backend.h: an op's inputs were produced by the calling thread's ops (or
// uploaded); the model never hands a buffer being written on one thread to another mid-flight.
// Scratch memory (cuBLASLt workspace, bf16 copies of activations) comes from the device's
// stream-ordered pool, which is told to keep freed memory for reuse.
#include "cuda_backend.h"

#include "add.cuh"
#include "add_rows.cuh"
#include "attention.cuh"
#include "cuda_check.cuh"
#include "gather_rows.cuh"
#include "gelu.cuh"
#include "layer_norm.cuh"
#include "linear.cuh"
#include "patchify.cuh"
#include "softmax.cuh"

#include <cstdint>
#include <vector>

namespace cxr::kernels {
namespace {

using namespace cuda;

const cudaStream_t kStream = cudaStreamPerThread;

class CudaLinear final : public PackedLinear {
 public:
  CudaLinear(int out, int in) : PackedLinear(out, in) { device.out = out, device.in = in; }
  ~CudaLinear() override {
    cudaFree(device.weight);
    cudaFree(device.weight_bf16);
    cudaFree(device.bias);
  }
  DeviceLinear device;
};

template <typename T>
T* device_copy(const T* host, std::size_t n) {
  T* p = nullptr;
  check_cuda(cudaMalloc(reinterpret_cast<void**>(&p), n * sizeof(T)), "cudaMalloc (weights)");
  check_cuda(cudaMemcpy(p, host, n * sizeof(T), cudaMemcpyHostToDevice), "weights upload");
  return p;
}

class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(Precision precision) : precision_(precision) {
    int device = 0;
    check_cuda(cudaGetDevice(&device), "cudaGetDevice");
    cudaMemPool_t pool = nullptr;
    check_cuda(cudaDeviceGetDefaultMemPool(&pool, device), "cudaDeviceGetDefaultMemPool");
    uint64_t keep = UINT64_MAX;  // keep freed scratch for the next op instead of returning it to the OS
    check_cuda(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep), "memory pool");
  }

  std::string name() const override { return "cuda"; }
  int threads() const override { return 1; }
  Precision precision() const override { return precision_; }
  bool supports_op(Op op) const override { return op != Op::kCount; }

  Buffer alloc(std::size_t floats) const override {
    float* p = nullptr;
    check_cuda(cudaMalloc(reinterpret_cast<void**>(&p), std::max<std::size_t>(floats, 1) * sizeof(float)), "cudaMalloc");
    return Buffer(p, floats, [](float* q) { cudaFree(q); });
  }
  void upload(Buffer& dst, const float* host, std::size_t floats, std::size_t dst_offset) const override {
    // Synchronous: an uploaded buffer (weights, cached position tables) may next be read by ops on
    // another thread's stream, which would not wait for this thread's copy.
    check_cuda(cudaMemcpyAsync(dst.data() + dst_offset, host, floats * sizeof(float), cudaMemcpyHostToDevice, kStream),
               "upload");
    check_cuda(cudaStreamSynchronize(kStream), "upload (synchronise)");
  }
  void download(const Buffer& src, float* host, std::size_t floats, std::size_t src_offset) const override {
    check_cuda(cudaMemcpyAsync(host, src.data() + src_offset, floats * sizeof(float), cudaMemcpyDeviceToHost, kStream),
               "download");
    check_cuda(cudaStreamSynchronize(kStream), "download (synchronise)");
  }

  std::unique_ptr<PackedLinear> pack_linear(const float* w, const float* bias, int out, int in) const override {
    auto packed = std::make_unique<CudaLinear>(out, in);
    const std::size_t n = static_cast<std::size_t>(out) * in;
    packed->device.weight = device_copy(w, n);
    if (bias != nullptr) packed->device.bias = device_copy(bias, static_cast<std::size_t>(out));
    if (precision_ == Precision::kBf16) {
      std::vector<__nv_bfloat16> rounded(n);
      for (std::size_t i = 0; i < n; ++i) rounded[i] = __float2bfloat16_rn(w[i]);
      packed->device.weight_bf16 = device_copy(rounded.data(), n);
    }
    return packed;
  }

  void linear(const PackedLinear& w, const float* x, float* y, int rows, Activation act,
              const float* residual) const override {
    launch_linear(static_cast<const CudaLinear&>(w).device, x, y, rows, act, residual, precision_, kStream);
  }
  void layer_norm(const float* x, const float* gamma, const float* beta, float* y, int rows, int cols,
                  float eps) const override {
    launch_layer_norm(x, gamma, beta, y, rows, cols, eps, kStream);
  }
  void attention(const AttentionArgs& args) const override { launch_attention(args, kStream); }
  void add(const float* a, const float* b, float* y, std::size_t n) const override { launch_add(a, b, y, n, kStream); }
  void add_rows(const float* x, const float* table, float* y, int rows, int period, int cols) const override {
    launch_add_rows(x, table, y, rows, period, cols, kStream);
  }
  void gelu(const float* x, float* y, std::size_t n) const override { launch_gelu(x, y, n, kStream); }
  void softmax(const float* x, float* y, int rows, int cols) const override {
    launch_softmax(x, y, rows, cols, kStream);
  }
  void patchify(const float* images, float* patches, int batch, int channels, int size, int patch) const override {
    launch_patchify(images, patches, batch, channels, size, patch, kStream);
  }
  void gather_rows(const float* table, const int* ids, float* out, int n, int cols) const override {
    launch_gather_rows(table, ids, out, n, cols, kStream);
  }

 private:
  Precision precision_;
};

}  // namespace

bool cuda_device_available(std::string* why) {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status == cudaSuccess && count > 0) return true;
  if (why) {
    const bool no_driver = status == cudaErrorInsufficientDriver || status == cudaErrorNoDevice;
    *why = status == cudaSuccess ? std::string("no CUDA device found")
                                 : std::string(no_driver ? "no NVIDIA GPU or driver found (" : "no usable CUDA device (") +
                                       cudaGetErrorName(status) + ": " + cudaGetErrorString(status) + ")";
  }
  cudaGetLastError();  // clear the sticky-free error so later runtime calls start clean
  return false;
}

bool cuda_supports_bf16(std::string* why) {
  if (!cuda_device_available(why)) return false;
  int device = 0, major = 0;
  if (cudaGetDevice(&device) != cudaSuccess ||
      cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device) != cudaSuccess) {
    if (why) *why = "cannot read the CUDA device's compute capability";
    return false;
  }
  if (major >= 8) return true;
  if (why) *why = "the CUDA device has compute capability " + std::to_string(major) + ".x; bf16 needs 8.0 or newer";
  return false;
}

std::shared_ptr<const Backend> make_cuda_backend(Precision precision) {
  return std::make_shared<CudaBackend>(precision);
}

}  // namespace cxr::kernels
