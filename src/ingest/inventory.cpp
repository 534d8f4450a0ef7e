#include "ingest/inventory.hpp"

#include <boost/json.hpp>

#include "ingest/batch.hpp"
#include "vuln/deb_version.hpp"

namespace rampart::ingest {
namespace json = boost::json;

namespace {

bool Word(std::string_view s, size_t max, bool dash) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (dash && c == '-'))) return false;
  }
  return true;
}

bool Printable(std::string_view s, size_t max) {
  if (s.size() > max) return false;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

Result<std::string> Field(const json::object& o, const char* key, const std::string& where) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) return Error::Invalid(where + "." + key + " must be a string");
  return std::string(v->get_string());
}

Result<store::PackageRecord> Package(const json::value& v, const std::string& where, bool name_only) {
  const json::object* o = v.if_object();
  if (!o) return Error::Invalid(where + " must be an object");
  store::PackageRecord p;
  RAMPART_TRY(name, Field(*o, "name", where));
  RAMPART_TRY(arch, Field(*o, "arch", where));
  if (!vuln::IsPackageName(name)) return Error::Invalid(where + ".name must be a Debian package name");
  if (!Word(arch, 32, true)) return Error::Invalid(where + ".arch must be an architecture (amd64, all, …)");
  p.name = std::move(name);
  p.arch = std::move(arch);
  if (name_only) return p;
  for (const auto& [k, ignored] : *o) {
    if (k != "name" && k != "arch" && k != "version" && k != "source" && k != "sourceVersion" && k != "status") {
      return Error::Invalid(where + ": unknown key '" + std::string(k.substr(0, 64)) + "'");
    }
  }
  RAMPART_TRY(version, Field(*o, "version", where));
  RAMPART_TRY(source, Field(*o, "source", where));
  RAMPART_TRY(source_version, Field(*o, "sourceVersion", where));
  RAMPART_TRY(status, Field(*o, "status", where));
  std::string why;
  if (!vuln::DebVersion::Parse(version, &why)) return Error::Invalid(where + ".version: " + why);
  if (!vuln::DebVersion::Parse(source_version, &why)) return Error::Invalid(where + ".sourceVersion: " + why);
  if (!vuln::IsPackageName(source)) return Error::Invalid(where + ".source must be a Debian package name");
  if (!Printable(status, 64)) return Error::Invalid(where + ".status must be at most 64 printable characters");
  p.version = std::move(version);
  p.source = std::move(source);
  p.source_version = std::move(source_version);
  p.status = std::move(status);
  return p;
}

Result<std::vector<store::PackageRecord>> Packages(const json::object& o, const char* key, bool name_only) {
  std::vector<store::PackageRecord> out;
  const json::value* v = o.if_contains(key);
  if (!v) return out;
  const json::array* a = v->if_array();
  if (!a) return Error::Invalid(std::string(key) + " must be an array");
  if (a->size() > kMaxInventoryPackages) return Error::TooLarge(Reason::kTooManyEntries, std::string(key) + " holds more than 100,000 packages");
  out.reserve(a->size());
  for (size_t i = 0; i < a->size(); ++i) {
    RAMPART_TRY(p, Package((*a)[i], std::string(key) + "[" + std::to_string(i) + "]", name_only));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

Result<telemetry::InventoryUpdate> DecodeInventory(std::string_view body, bool gzip, size_t max_inflated_bytes) {
  std::string inflated;
  if (gzip) {
    RAMPART_TRY(text, Gunzip(body, max_inflated_bytes));
    inflated = std::move(text);
    body = inflated;
  }
  json::error_code ec;
  json::value doc = json::parse(body, ec);
  if (ec || !doc.is_object()) return Error::Invalid("an inventory is a JSON object");
  const json::object& o = doc.get_object();
  for (const auto& [k, ignored] : o) {
    if (k != "full" && k != "os" && k != "packages" && k != "upserted" && k != "removed") {
      return Error::Invalid("unknown key '" + std::string(k.substr(0, 64)) + "'");
    }
  }
  const json::value* full = o.if_contains("full");
  if (!full || !full->is_bool()) return Error::Invalid("full must be true or false");
  const json::object* os = o.contains("os") ? o.at("os").if_object() : nullptr;
  if (!os) return Error::Invalid("os must be an object of codename and versionId");
  telemetry::InventoryUpdate u;
  u.full = full->get_bool();
  RAMPART_TRY(codename, Field(*os, "codename", "os"));
  if (!Word(codename, 32, false)) return Error::Invalid("os.codename must be a release codename (bookworm, …)");
  u.codename = std::move(codename);
  if (const json::value* id = os->if_contains("versionId")) {
    if (!id->is_string() || !Printable(id->get_string(), 32)) return Error::Invalid("os.versionId must be a short string");
    u.version_id = std::string(id->get_string());
  }
  if (u.full && (o.contains("upserted") || o.contains("removed"))) {
    return Error::Invalid("a full inventory has packages, not upserted or removed");
  }
  if (!u.full && o.contains("packages")) return Error::Invalid("a delta has upserted and removed, not packages");
  RAMPART_TRY(packages, Packages(o, u.full ? "packages" : "upserted", false));
  RAMPART_TRY(removed, Packages(o, "removed", true));
  u.upserted = std::move(packages);
  u.removed = std::move(removed);
  return u;
}

}  // namespace rampart::ingest
