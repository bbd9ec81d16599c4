#pragma once
// A small directory for engine tests: two roles with heads and fallbacks, an observer, a
// director for the "major" tier, and an admin.

#include "config/config.hpp"

namespace signoff::test {

inline config::config small_directory() {
    config::config cfg;
    cfg.organisation = "Test Bureau";
    auto person = [](std::string id, bool admin = false) {
        config::person p;
        p.id = id;
        p.name = "Name of " + id;
        p.admin = admin;
        return p;
    };
    cfg.people = {person("head-a"), person("fb-a"), person("head-b"), person("fb-b"),
                  person("dg"),     person("dpr", true), person("rc-south")};
    cfg.roles = {{"role-a", "Head A", "head-a", "fb-a", {"standards"}, {}},
                 {"role-b", "Head B", "head-b", "fb-b", {"labs"}, {}},
                 {"coord-south", "Coordinator South", "rc-south", "", {}, {"south"}}};
    cfg.observers = {"dpr"};
    cfg.tiers = {{"general", {"@head"}},
                 {"sensitive", {"@head", "@fallback"}},
                 {"major", {"@head", "dg"}},
                 {"cross", {"@head", "role-b", "head-a"}}};
    return cfg;
}

}  // namespace signoff::test
