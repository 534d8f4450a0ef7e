#include "store/open.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

namespace rampart::store {
namespace fs = std::filesystem;

Result<std::unique_ptr<Store>> Open(const OpenOptions& o) {
  const std::string path = (fs::path(o.data_dir) / "rampart.db").string();
  std::error_code ec;
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (!exists) {
    if (!o.create) {
      return Error::NotFound("no database at " + path + " (is the data directory right? `rampart serve` or "
                                    "`rampart admin account create` makes one)");
    }
    fs::create_directories(o.data_dir, ec);
    if (ec) return Error::Unavailable("cannot create data directory " + o.data_dir + ": " + ec.message());
    ::chmod(o.data_dir.c_str(), 0700);
  } else if (st.st_size == 0) {
    return Error::Invalid(path + " is empty (0 bytes), not a rampart database: restore it from a backup, "
                                    "or remove it to start with an empty database");
  } else if ((st.st_mode & 077) && !o.allow_insecure_permissions) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Error::Invalid(path + " is readable by group or others (mode " + mode +
                                    "): chmod 600 it, or set allow_insecure_permissions");
  }
  const mode_t old = ::umask(077);  // the database (and its WAL) readable by the owner only
  auto store = OpenSqliteStore({path});
  ::umask(old);
  if (!store) {  // name the file: "file is not a database" alone does not say which
    Error e = store.error();
    if (e.detail.find(path) == std::string::npos) e.detail = path + ": " + e.detail;
    return e;
  }
  return store;
}

}  // namespace rampart::store
