#include "config/load.hpp"

#include <nlohmann/json.hpp>

namespace signoff::config {

std::vector<std::string> shipped_demo_keys() {
    // The value each key takes when its variable is unset: the default of "${NAME:-default}".
    std::vector<std::string> out;
    auto const demo = nlohmann::json::parse(demo_json());
    for (auto const& k : demo.at("api").at("keys")) {
        auto const text = k.at("key").get<std::string>();
        auto const dash = text.find(":-");
        if (text.rfind("${", 0) == 0 && text.back() == '}' && dash != std::string::npos)
            out.push_back(text.substr(dash + 2, text.size() - dash - 3));
        else if (text.find("${") == std::string::npos)
            out.push_back(text);
    }
    return out;
}

}  // namespace signoff::config
