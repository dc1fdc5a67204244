// A C++ input plugin written with the SDK (std::string, exceptions, nlohmann::json inside),
// built with flags that make its C++ library incompatible with the host's:
// -D_GLIBCXX_USE_CXX11_ABI=0 or -static-libstdc++. Through the C ABI it must still load and
// work, because no C++ type crosses the boundary.
#include <ferry/sdk.hpp>
#include <stdexcept>
#include <string>

namespace {

class CxxMisfit : public ferry::sdk::InputPlugin {
 public:
  CxxMisfit(const ferry::sdk::Host& host, ferry::sdk::Config& config)
      : greeting_(config.get<std::string>("greeting", "hello")) {
    host.info(std::string("created ") + MISFIT_NAME);
  }

  bool accepts(std::string_view content_type) const override {
    return content_type == "application/x-misfit";
  }

  void parse(std::string_view, std::string_view body, ferry::sdk::Families& out) override {
    if (body == "invalid") throw ferry::sdk::invalidInput(greeting_ + " from " + MISFIT_NAME);
    if (body == "internal")
      throw std::runtime_error(std::string("internal trouble in ") + MISFIT_NAME);
    // One untyped family named after the body, with one series.
    out.family(body, ferry::sdk::MetricType::kUntyped).add({{"from", MISFIT_NAME}}, 1);
  }

 private:
  std::string greeting_;
};

}  // namespace

FERRY_PLUGIN(CxxMisfit, MISFIT_NAME, "0.0.1", "a C++ plugin built with foreign C++ flags", "{}")
