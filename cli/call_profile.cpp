#include "call_profile.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <toml++/toml.h>

namespace rampart::cli {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

void Fill(std::string& into, const std::string& from) {
  if (into.empty()) into = from;
}

std::string DefaultFile() {
  if (std::string f = Env("RAMPART_PROFILES"); !f.empty()) return f;
  const std::string home = Env("HOME");
  return home.empty() ? "" : home + "/.config/rampart/profiles.toml";
}

// The profile `name` of `file`; an absent file is no profile unless one was asked for by name.
Result<CallProfile> FromFile(const std::string& file, const std::string& name, bool required) {
  struct stat st {};
  if (file.empty() || ::stat(file.c_str(), &st) != 0) {
    if (required) return Error::Invalid("no profiles file " + file);
    return CallProfile{};
  }
  if ((st.st_mode & 077) != 0 || st.st_uid != ::geteuid()) {
    return Error::Invalid(file + " holds keys and must be yours and readable by you alone (chmod 600 " + file + ")");
  }
  toml::table parsed;
  try {  // toml++ reports errors by exception
    parsed = toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    return Error::Invalid(file + ": " + std::string(e.description()));
  }
  const toml::table* t = parsed[name].as_table();
  if (!t) {
    if (required) return Error::Invalid(file + " has no profile [" + name + "]");
    return CallProfile{};
  }
  CallProfile p;
  for (auto [key, field] : {std::pair{"url", &p.url}, {"org", &p.org}, {"user", &p.user}, {"key", &p.key},
                            {"ca_file", &p.ca_file}}) {
    const toml::node* n = t->get(key);
    if (!n) continue;
    if (!n->is_string()) return Error::Invalid(file + ": [" + name + "] " + key + " must be a string");
    *field = n->as_string()->get();
  }
  return p;
}

}  // namespace

Result<CallProfile> ResolveProfile(const ProfileSource& source) {
  CallProfile p = source.flags;
  const bool named = !source.name.empty();
  RAMPART_TRY(from_file, FromFile(source.file.empty() ? DefaultFile() : source.file,
                                  named ? source.name : "default", named || !source.file.empty()));
  CallProfile env{Env("RAMPART_URL"), Env("RAMPART_ORG_ID"), Env("RAMPART_USER_ID"), Env("RAMPART_HAWK_KEY"),
                  Env("RAMPART_CA_FILE")};
  // A profile asked for by name beats the environment (a stray RAMPART_HAWK_KEY must not sign
  // for the named one); otherwise the environment beats the default profile.
  const CallProfile& first = named ? from_file : env;
  const CallProfile& second = named ? env : from_file;
  for (const CallProfile* source_profile : {&first, &second}) {
    Fill(p.url, source_profile->url);
    Fill(p.org, source_profile->org);
    Fill(p.user, source_profile->user);
    Fill(p.key, source_profile->key);
    Fill(p.ca_file, source_profile->ca_file);
  }
  if (p.key.empty()) return Error::Invalid("no Hawk key: set RAMPART_HAWK_KEY or use a profile (--profile)");
  if (p.user.empty()) return Error::Invalid("no user id: --user, RAMPART_USER_ID or a profile");
  if (p.org.empty()) return Error::Invalid("no organization id: --org, RAMPART_ORG_ID or a profile");
  for (char c : p.org) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return Error::Invalid("the organization id is not an id");
  }
  for (char c : p.user) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return Error::Invalid("the user id is not an id");
  }
  return p;
}

}  // namespace rampart::cli
